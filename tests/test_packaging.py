"""environment.yml (conda) lists the same dependencies as pyproject.toml (the source of truth)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[<>=!\[ ]", requirement.strip(), maxsplit=1)[0].lower()


def test_environment_yml_matches_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(requirement) for requirement in project["dependencies"]}
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    listed = {_name(item) for item in environment["dependencies"] if isinstance(item, str)}
    assert wanted == listed - {"python", "pip"}
    pip_section = next(item["pip"] for item in environment["dependencies"] if isinstance(item, dict))
    assert pip_section == ["-e ."]

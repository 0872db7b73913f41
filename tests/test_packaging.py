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
    assert wanted == listed - {"python", "pip", "c-compiler"}
    pip_section = next(item["pip"] for item in environment["dependencies"] if isinstance(item, dict))
    assert pip_section == ["-e ."]


def test_setup_compiles_exactly_the_modules_the_loader_chooses_between() -> None:
    import ast

    from claimkit.extract import _loader

    setup = ast.parse((ROOT / "setup.py").read_text())
    compiled = next(node.value for node in ast.walk(setup)
                    if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "COMPILED")
    modules = {Path(ast.literal_eval(element)).stem for element in compiled.elts}
    assert modules == set(_loader.COMPILED_MODULES)
    assert all((ROOT / "claimkit" / "extract" / source).exists() for source in _loader.C_MODULES.values())
    assert "claimkit/extract/_scan.c" in (ROOT / "setup.py").read_text()
    build_requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["requires"]
    assert any(_name(requirement) == "mypy" for requirement in build_requires)

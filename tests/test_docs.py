"""The README's promises: a two-command Quick start that CI runs, and every command documented."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from claimkit.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", section, re.S)]


def test_quick_start_has_exactly_two_commands() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2 and all("\n" not in command for command in commands)
    assert commands[0].startswith("pip install") and "claimkit" in commands[0]


def test_ci_runs_the_readme_test_command() -> None:
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert quick_start_commands()[1] in ci_lines


def subcommands() -> dict:
    parser = build_parser()
    action = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return action.choices


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_every_command_is_documented(name: str) -> None:
    parser = subcommands()[name]
    assert parser.description, f"claimkit {name} has no description"
    assert f"claimkit {name}" in README, f"README does not show claimkit {name}"
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):  # "claimkit fetch arxiv": check each source
            assert all(sub.description for sub in action.choices.values()), f"claimkit {name}: undocumented source"
        elif action.dest != "help":
            assert action.help, f"claimkit {name}: {action.dest} has no help"

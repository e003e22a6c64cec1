"""Documentation cannot drift: every command is in README.md and its --help shows examples."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from analysis.cli import build_parser

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands() -> list[tuple[str, argparse.ArgumentParser]]:
    found: list[tuple[str, argparse.ArgumentParser]] = []

    def walk(parser: argparse.ArgumentParser, prefix: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, child in action.choices.items():
                    found.append((f"{prefix} {name}".strip(), child))
                    walk(child, f"{prefix} {name}")

    walk(build_parser(), "")
    return found


COMMANDS = _commands()


def test_every_command_is_found() -> None:
    names = {name for name, _ in COMMANDS}
    assert {"parse", "report", "analyze", "export", "eval", "eval quotes"} <= names


@pytest.mark.parametrize(("name", "parser"), COMMANDS, ids=[name for name, _ in COMMANDS])
def test_command_is_in_readme_and_help_has_examples(name: str, parser: argparse.ArgumentParser) -> None:
    assert f"threadlens {name}" in README
    if not any(isinstance(action, argparse._SubParsersAction) for action in parser._actions):
        assert "examples:" in parser.format_help()
    assert "exit codes:" in parser.format_help()

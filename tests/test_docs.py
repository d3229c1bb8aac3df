"""Docs that cannot drift: every command has help and a section in docs/cli.md; the README's set-up."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

import reckon

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("gen_cli", ROOT / "docs" / "gen_cli.py")
gen_cli = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen_cli)  # type: ignore[union-attr]

COMMANDS = gen_cli.commands()


@pytest.mark.parametrize("path,cmd", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_help_and_a_section(path, cmd):
    assert (getattr(cmd, "help", None) or getattr(cmd, "short_help", None) or "").strip(), f"reckon {' '.join(path)} has no help"
    assert f"## reckon {' '.join(path)}\n" in (ROOT / "docs" / "cli.md").read_text(encoding="utf-8"), \
        "run: python docs/gen_cli.py"


def test_readme_has_exactly_two_setup_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- setup -->\s*```(?:bash|sh)\n(.*?)```", readme, re.S)
    assert block, "README needs the set-up block"
    lines = [l for l in block.group(1).splitlines() if l.strip() and not l.lstrip().startswith("#")]
    assert len(lines) == 2 and "reckon demo" in lines[0] and "pytest" in lines[1]
    assert lines[1].strip() in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_public_api_surface():
    assert {"open", "Reckon", "Claim", "Count", "Span", "Location", "Document", "ReckonError"} <= set(reckon.__all__)
    for name in reckon.__all__:
        assert hasattr(reckon, name), name

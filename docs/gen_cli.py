"""Regenerate docs/cli.md from the commands' own --help (run: python docs/gen_cli.py)."""

from __future__ import annotations

import re
from pathlib import Path

import typer
from typer.testing import CliRunner

from reckon.cli import app


def commands() -> list[tuple[list[str], object]]:
    root = typer.main.get_command(app)
    out: list[tuple[list[str], object]] = []

    def walk(cmd, path: list[str]) -> None:
        if path:
            out.append((path, cmd))
        if hasattr(cmd, "commands"):
            for name in sorted(cmd.commands):
                walk(cmd.commands[name], path + [name])

    walk(root, [])
    return out


def render() -> str:
    runner = CliRunner()
    parts = ["# Command-line reference\n",
             "Generated from each command's `--help` by `python docs/gen_cli.py`; a test keeps it complete.\n",
             "Every command takes `--db PATH_OR_URL` (or the `RECKON_DB` variable; default `./reckon.db`).\n"]
    for path, _cmd in commands():
        res = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})
        text = re.sub(r"\x1b\[[0-9;]*m", "", res.output).rstrip()
        parts.append(f"\n## reckon {' '.join(path)}\n\n```text\n{text}\n```\n")
    return "".join(parts)


if __name__ == "__main__":
    Path(__file__).with_name("cli.md").write_text(render(), encoding="utf-8")

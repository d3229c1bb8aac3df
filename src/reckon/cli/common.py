"""Shared pieces of the command line: the --db option, opening, printing problems."""

from __future__ import annotations

import os
from typing import Annotated, Iterable, Optional

import typer
from rich.console import Console

from ..errors import Problem, ReckonError

console = Console()
if not console.is_terminal:  # piped or captured: wide enough for the claims table
    console = Console(width=170)
err = Console(stderr=True)

DbOpt = Annotated[
    Optional[str],
    typer.Option("--db", envvar="RECKON_DB", help="Database file or SQLAlchemy URL [default: ./reckon.db]", show_default=False),
]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table, jsonl, csv or json")]


def open_reckon(db: str | None):
    """Open the database or exit with a one-line error."""
    from ..api import open as open_db

    try:
        return open_db(db or os.environ.get("RECKON_DB") or "reckon.db")
    except ReckonError as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc


def fail(exc: ReckonError | str, code: int = 1) -> None:
    err.print(f"[red]error[/red] {exc}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def report_problems(problems: Iterable[Problem]) -> int:
    n = 0
    for p in problems:
        style = "red" if p.level == "error" else "yellow"
        err.print(f"[{style}]{p.level}[/{style}] {p.message}", highlight=False, soft_wrap=True)
        n += p.level == "error"
    return n


def progress_bar():
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=True, disable=not err.is_terminal)

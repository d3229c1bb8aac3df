"""CLI commands of the estimates capability: ``reckon estimate``."""

from __future__ import annotations

import json
import math
import os
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.table import Table

from ..errors import ReckonError
from .common import console, err, fail

DbArg = Annotated[
    Optional[str],
    typer.Option("--db", envvar="RECKON_DB", show_default=False,
                 help="Database file or SQLAlchemy URL (default ./reckon.db); with --table only used (and the run "
                      "recorded) when given"),
]


def _num(x: float | None) -> str:
    if x is None:
        return "-"
    if not math.isfinite(x):
        return "∞"
    return f"{x:,.0f}"


def estimates_table(rows: list[Any]) -> tuple[Table, list[str]]:
    """A Rich table of estimates and the numbered warnings its last column points to."""
    t = Table(title="Estimated totals (multiple systems estimation)", header_style="bold")
    t.add_column("stratum", overflow="fold", min_width=8)
    t.add_column("model (detail)", overflow="fold", min_width=13)
    t.add_column("observed", justify="right", no_wrap=True)
    t.add_column("estimate", justify="right", no_wrap=True)
    t.add_column("95% interval", justify="right", no_wrap=True)
    t.add_column("warn", style="yellow", overflow="fold")
    notes: list[str] = []
    for e in rows:
        refs = []
        for w in e.warnings:
            if w not in notes:
                notes.append(w)
            refs.append(str(notes.index(w) + 1))
        interval = "-" if e.lower is None else f"{_num(e.lower)} - {_num(e.upper)}"
        model = f"{e.model}\n[dim]{e.detail}[/dim]" if e.detail else e.model
        t.add_row(e.stratum, model, f"{e.observed:,}", _num(e.estimate), interval,
                  ("⚠ " + ",".join(refs)) if refs else "")
    return t, notes


def estimate(
    table: Annotated[Optional[Path], typer.Option("--table", help="CSV with columns list1..listK,count (no all-zero row); "
                                                  "default: the linked victims' overlap")] = None,
    by: Annotated[Optional[str], typer.Option("--by", help="Stratify by these columns, comma-separated "
                                              "(e.g. place,sex,period)")] = None,
    model: Annotated[str, typer.Option("--model", help="loglinear, lcmcr or all")] = "all",
    seed: Annotated[Optional[int], typer.Option("--seed", help="Seed for LCMCR (the run is reproducible with it)")] = None,
    iterations: Annotated[int, typer.Option("--iterations", help="LCMCR iterations per chain after burn-in")] = 100_000,
    burn_in: Annotated[int, typer.Option("--burn-in", help="LCMCR iterations discarded first")] = 10_000,
    thinning: Annotated[int, typer.Option("--thinning", help="Keep every n-th LCMCR draw")] = 100,
    chains: Annotated[int, typer.Option("--chains", help="Independent LCMCR chains (convergence check)")] = 2,
    classes: Annotated[int, typer.Option("--classes", help="LCMCR latent classes (truncation K)")] = 10,
    max_order: Annotated[Optional[int], typer.Option("--max-order", help="Largest log-linear interaction "
                                                     "(default: K-1 up to 4 lists, else 2)")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
    plot: Annotated[Optional[Path], typer.Option("--plot", help="Also draw documented vs estimated totals "
                                                 "(.png or .svg)")] = None,
    db: DbArg = None,
) -> None:
    """Estimate how many people the lists missed: log-linear models and the latent-class model (LCMCR).

    Every estimate comes with a 95% interval and with warnings where the data cannot carry it.
    """
    from ..estimates.api import estimate as run_estimate
    from ..estimates.api import to_tables

    strata = [s.strip() for s in (by or "").split(",") if s.strip()]
    if fmt not in ("table", "json"):
        fail(f"unknown format {fmt!r}: use table or json", 2)
    models = ("loglinear", "lcmcr") if model == "all" else (model,)
    kw: dict[str, Any] = dict(seed=seed, iterations=iterations, burn_in=burn_in, thinning=thinning, chains=chains,
                              k=classes, max_order=max_order)
    try:
        if table is not None and not (db or os.environ.get("RECKON_DB")):
            rows = run_estimate(to_tables(table, strata), models=models, **kw)
        else:
            from .common import open_reckon

            r = open_reckon(db)
            rows = r.estimates.run(table, strata, models, **kw)
    except ReckonError as exc:
        fail(exc, 2)
        return
    except ValueError as exc:
        fail(f"R150 {exc}", 2)
        return
    if fmt == "json":
        sys.stdout.write(json.dumps([e.to_dict() for e in rows], ensure_ascii=False, indent=2) + "\n")
    else:
        shown, notes = estimates_table(rows)
        console.print(shown)
        for i, note in enumerate(notes, start=1):
            console.print(f"[yellow]⚠ {i}[/yellow] {note}", highlight=False, soft_wrap=True)
    if plot is not None:
        from ..estimates.plot import plot as draw

        try:
            draw(rows, plot)
        except ReckonError as exc:
            fail(exc, 2)
        err.print(f"plot written to {plot}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add this capability's commands to the main app."""
    app.command("estimate")(estimate)

"""CLI commands of the places capability: gazetteer, geocode, places (review and corrections)."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.table import Table

from ..errors import ReckonError
from .common import DbOpt, FormatOpt, console, fail, open_reckon, progress_bar

gazetteer_app = typer.Typer(help="The gazetteer: built-in world places and imported GeoNames dumps.", no_args_is_help=True)
places_app = typer.Typer(help="Location mentions: what resolved where, what did not, and corrections.",
                         invoke_without_command=True)

MENTION_COLUMNS = ["mention", "doc", "status", "place_id", "kind", "country", "admin1", "admin2", "lat", "lon",
                   "geo_precision", "hint", "count", "candidates"]


def _emit(rows: list[dict[str, Any]], fmt: str, columns: list[str], title: str) -> None:
    if fmt == "jsonl":
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    elif fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, default=str, indent=2) + "\n")
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(columns)
        for row in rows:
            w.writerow([_cell(row.get(c)) for c in columns])
        sys.stdout.write(buf.getvalue())
    elif fmt == "table":
        t = Table(*columns, title=title, header_style="bold")
        for row in rows:
            t.add_row(*[_cell(row.get(c)) for c in columns])
        console.print(t)
    else:
        fail(f"unknown format {fmt!r}: use table, jsonl, csv or json", 2)


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, list):
        return "; ".join(f"{c.get('name')} ({c.get('admin1') or c.get('country')}) {c.get('place_id')}" if isinstance(c, dict)
                         else str(c) for c in v)
    if isinstance(v, float):
        return f"{v:.5f}"
    return str(v)


@gazetteer_app.command("import")
def gazetteer_import(
    file: Annotated[Path, typer.Argument(help="GeoNames dump: a country file such as SY.txt or SY.zip (19 tab-separated columns)")],
    alternate_names: Annotated[Optional[Path], typer.Option("--alternate-names", help="GeoNames alternateNames file for more spellings")] = None,
    db: DbOpt = None,
) -> None:
    """Import (or update) places from a GeoNames dump. All or nothing: a bad line changes nothing."""
    r = open_reckon(db)
    try:
        res = r.places.import_geonames(file, alternate_names)
    except ReckonError as exc:
        fail(exc, 1)
        return
    console.print(f"imported {res.rows} place(s) from {file.name}: {res.added} new, {res.updated} updated "
                  f"in {res.seconds:.1f} s; run [bold]reckon geocode[/bold] to re-resolve stored claims")


@gazetteer_app.command("stats")
def gazetteer_stats(db: DbOpt = None, fmt: FormatOpt = "table") -> None:
    """Sizes of the built-in and imported gazetteers."""
    r = open_reckon(db)
    st = r.places.stats()
    if fmt in ("json", "jsonl"):
        sys.stdout.write(json.dumps(st) + "\n")
        return
    t = Table("what", "count", title="Gazetteer")
    for k, v in st.items():
        if isinstance(v, dict):
            v = ", ".join(f"{a} {b}" for a, b in sorted(v.items())) or "0"
        t.add_row(k.replace("_", " "), str(v))
    console.print(t)


@gazetteer_app.command("search")
def gazetteer_search(
    name: Annotated[str, typer.Argument(help="A place name in any common spelling, or in Arabic script")],
    country: Annotated[Optional[str], typer.Option(help="ISO alpha-2 country code")] = None,
    db: DbOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """Find gazetteer places by name (to get the id for `reckon places set`)."""
    r = open_reckon(db)
    rows = [p.to_dict() for p in r.places.search(name, country)]
    _emit(rows, fmt, ["id", "name", "kind", "country", "admin1", "admin2", "lat", "lon", "population", "source"], f"Places like {name!r}")


def geocode(
    db: DbOpt = None,
    doc: Annotated[Optional[str], typer.Option(help="Only this document")] = None,
) -> None:
    """Re-resolve the locations of stored claims (for example after a gazetteer import)."""
    r = open_reckon(db)
    with progress_bar() as bar:
        task = bar.add_task("geocode", total=None)
        res = r.places.geocode(doc=doc, progress=lambda i, n: bar.update(task, completed=i, total=n))
    st = ", ".join(f"{k} {v}" for k, v in sorted(res.by_status.items())) or "none"
    pr = ", ".join(f"{k} {v}" for k, v in sorted(res.by_precision.items())) or "none"
    console.print(f"geocoded {res.mentions} mention(s) in {res.claims} claim(s): {st}; precision {pr}")


@places_app.callback()
def places_list(
    ctx: typer.Context,
    db: DbOpt = None,
    status: Annotated[Optional[str], typer.Option(help="resolved, ambiguous or unresolved")] = None,
    doc: Annotated[Optional[str], typer.Option(help="Only this document")] = None,
    fmt: FormatOpt = "table",
) -> None:
    """What resolved where, what did not, and which mentions are ambiguous (with their candidates)."""
    if ctx.invoked_subcommand is not None:
        return
    if status and status not in ("resolved", "ambiguous", "unresolved"):
        fail(f"unknown status {status!r}: use resolved, ambiguous or unresolved", 2)
    r = open_reckon(db)
    rows = r.places.mentions(status=status, doc=doc)
    for row in rows:
        row.pop("claims", None)
    _emit(rows, fmt, MENTION_COLUMNS if fmt != "table" else
          ["mention", "doc", "status", "place_id", "admin1", "admin2", "geo_precision", "hint", "count", "candidates"],
          "Location mentions")


@places_app.command("set")
def places_set(
    mention: Annotated[str, typer.Argument(help="The mention as written, e.g. 'Snobar'")],
    place_id: Annotated[str, typer.Argument(help="Gazetteer id, e.g. gn:163806 (see `reckon gazetteer search`)")],
    why: Annotated[str, typer.Option("--why", help="Why this is the place (kept in the audit log)")],
    doc: Annotated[Optional[str], typer.Option(help="Only in this document (default: everywhere)")] = None,
    db: DbOpt = None,
) -> None:
    """Record that a mention is a given place; this and later geocoding runs honour it."""
    r = open_reckon(db)
    try:
        n = r.places.set(mention, place_id, doc=doc, why=why)
    except ReckonError as exc:
        fail(exc, 1)
        return
    console.print(f"{mention!r} -> {place_id}{' in ' + doc if doc else ''}: recorded; {n} stored mention(s) updated")


def register(app: typer.Typer) -> None:
    """Add this capability's commands to the main app."""
    app.add_typer(gazetteer_app, name="gazetteer")
    app.command("geocode")(geocode)
    app.add_typer(places_app, name="places")

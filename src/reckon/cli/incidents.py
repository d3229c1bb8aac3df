"""Incident commands: resolve, incidents (list, merge, split, edit), incident, export."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.table import Table

from ..errors import ReckonError
from .common import DbOpt, console, fail, open_reckon

WhyOpt = Annotated[str, typer.Option("--why", help="Why you make this change (required; kept in the audit log)")]


def _fig(v: dict[str, Any] | None) -> str:
    if not v:
        return ""
    if v["low"] == v["best"] == v["high"]:
        return str(v["best"])
    return f"{v['best']} ({v['low']}-{v['high']})"


def _date(d: dict[str, Any]) -> str:
    if not d.get("date_start") and not d.get("date_end"):
        return ""
    if d["date_start"] == d["date_end"]:
        return d["date_start"]
    return f"{d['date_start'] or ''}..{d['date_end'] or ''}"


def incidents_table(rows: list[dict[str, Any]], title: str) -> Table:
    """Incidents as a Rich table; figure columns with no value in any row are left out."""
    figs = [f for f in ("fatalities", "injured", "displaced") if any(d[f] for d in rows)] or ["fatalities"]
    t = Table(title=title, header_style="bold")
    t.add_column("id", no_wrap=True)
    t.add_column("date", no_wrap=True)
    t.add_column("type", overflow="fold", max_width=24)
    t.add_column("where", overflow="fold", max_width=26)
    for f in figs:
        t.add_column({"fatalities": "killed"}.get(f, f), justify="right")
    t.add_column("src", justify="right")
    t.add_column("clm", justify="right")
    t.add_column("conflict")
    t.add_column("actor", overflow="fold", max_width=24)
    for d in rows:
        where = d.get("location") or ""
        if d.get("admin1"):
            where += f" ({d['admin1']})"
        t.add_row(d["id"], _date(d), d["sub_event_type"] or d["event_type"], where, *[_fig(d[f]) for f in figs],
                  str(d["corroboration"]), str(d["n_claims"]), "yes" if d["conflict"] else "", d.get("actor1") or "")
    return t


incidents_app = typer.Typer(
    help="List incidents (filters below), or review them: merge, split, edit.",
    invoke_without_command=True,
    no_args_is_help=False,
)


@incidents_app.callback()
def incidents_list(
    ctx: typer.Context,
    db: DbOpt = None,
    date_from: Annotated[Optional[str], typer.Option("--from", help="Only incidents on or after this date (YYYY-MM-DD)")] = None,
    date_to: Annotated[Optional[str], typer.Option("--to", help="Only incidents on or before this date")] = None,
    place: Annotated[Optional[str], typer.Option(help="Place name, district or governorate contains this")] = None,
    event_type: Annotated[Optional[str], typer.Option("--type", help="Only this event type")] = None,
    actor: Annotated[Optional[str], typer.Option(help="An actor's name contains this")] = None,
    min_fatalities: Annotated[Optional[int], typer.Option("--min-fatalities", help="Best fatality figure at least this")] = None,
    search: Annotated[Optional[str], typer.Option("--search", help="Full-text search in quotes, places and actors")] = None,
    conflict: Annotated[bool, typer.Option("--conflict", help="Only incidents whose sources conflict")] = False,
    order: Annotated[str, typer.Option(help="-fatalities, date, -date, -corroboration, -claims, id")] = "-fatalities",
    limit: Annotated[int, typer.Option(help="At most this many rows in the table (0: all)")] = 100,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, jsonl or json")] = "table",
) -> None:
    """List incidents: fused figures (best, low-high), independent sources, conflicts."""
    if ctx.invoked_subcommand is not None:
        ctx.obj = {"db": db}  # `reckon incidents --db X merge ...` works like `... merge --db X`
        return
    r = open_reckon(db)
    try:
        q = r.incidents(date_from=date_from, date_to=date_to, place=place, event_type=event_type, actor=actor,
                        min_fatalities=min_fatalities, text=search, conflict=True if conflict else None)
        if fmt == "jsonl":
            for d in q:
                sys.stdout.write(json.dumps(d, ensure_ascii=False, default=str) + "\n")
        elif fmt == "json":
            sys.stdout.write(json.dumps(q.to_dicts(), ensure_ascii=False, default=str, indent=1) + "\n")
        elif fmt == "table":
            total = q.count()
            rows = q.page(0, limit if limit > 0 else max(total, 1), order)
            console.print(incidents_table(rows, f"Incidents ({len(rows)} of {total})"))
        else:
            fail(f"unknown format {fmt!r}: use table, jsonl or json", 2)
    except ReckonError as exc:
        fail(exc, 2)


@incidents_app.command("merge")
def incidents_merge(
    ctx: typer.Context,
    a: Annotated[str, typer.Argument(help="Incident id (or unique prefix)")],
    b: Annotated[str, typer.Argument(help="The incident to merge into it")],
    why: WhyOpt,
    db: DbOpt = None,
) -> None:
    """Make two incidents one. Later automatic runs keep them together."""
    r = open_reckon(db or (ctx.obj or {}).get("db"))
    try:
        new = r.incidents.merge(a, b, why)
    except ReckonError as exc:
        fail(exc)
        return
    console.print(f"merged into incident {new}")


@incidents_app.command("split")
def incidents_split(
    ctx: typer.Context,
    incident: Annotated[str, typer.Argument(help="Incident id (or unique prefix)")],
    claims: Annotated[str, typer.Option("--claims", help="Claim ids to move into a new incident, comma-separated")],
    why: WhyOpt,
    db: DbOpt = None,
) -> None:
    """Move some claims of an incident into a new incident. Later automatic runs keep them apart."""
    r = open_reckon(db or (ctx.obj or {}).get("db"))
    refs = [c.strip() for c in claims.split(",") if c.strip()]
    try:
        rest, new = r.incidents.split(incident, refs, why)
    except ReckonError as exc:
        fail(exc)
        return
    console.print(f"split: {rest} keeps the other claims, {new} has claims {', '.join(refs)}")


@incidents_app.command("edit")
def incidents_edit(
    ctx: typer.Context,
    incident: Annotated[str, typer.Argument(help="Incident id (or unique prefix)")],
    field: Annotated[str, typer.Argument(help="event_type, sub_event_type, date, date_start, date_end, location, admin1, "
                                              "admin2, country, lat, lon, geo_precision, actor1, actor2, fatalities, "
                                              "injured, displaced, notes")],
    value: Annotated[str, typer.Argument(help="New value; figures as N, LOW-HIGH or LOW,BEST,HIGH")],
    why: WhyOpt,
    db: DbOpt = None,
) -> None:
    """Set one field of an incident by hand. Later automatic runs keep the value."""
    r = open_reckon(db or (ctx.obj or {}).get("db"))
    try:
        d = r.incidents.edit(incident, field, value, why)
    except ReckonError as exc:
        fail(exc)
        return
    console.print(f"incident {d['id']}: {field} set to {value!r}")


def incident(
    ref: Annotated[str, typer.Argument(help="Incident id (or unique prefix)")],
    db: DbOpt = None,
    why: Annotated[bool, typer.Option("--why", help="Explain each low/best/high: rule, claims and quotes")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json")] = "text",
) -> None:
    """Show one incident with all its claims and their exact quotes."""
    r = open_reckon(db)
    try:
        d = r.incidents.get(ref)
    except ReckonError as exc:
        fail(exc)
        return
    if fmt == "json":
        sys.stdout.write(json.dumps(d, ensure_ascii=False, default=str, indent=1) + "\n")
        return
    console.print(f"[bold]Incident {d['id']}[/bold]  {d['event_type']}/{d['sub_event_type']}  {_date(d) or 'date unknown'}",
                  highlight=False)
    where = ", ".join(l["name"] + (f" ({l['admin1']})" if l.get("admin1") else "") for l in d["locations"]) or "-"
    console.print(f"where: {where}", highlight=False)
    console.print(f"actors: {d.get('actor1') or '-'} -> {d.get('actor2') or '-'}", highlight=False)
    for f in ("fatalities", "injured", "displaced"):
        if d[f]:
            v = d[f]
            console.print(f"{f}: best {v['best']}, low {v['low']}, high {v['high']}", highlight=False)
    console.print(f"independent sources: {d['corroboration']}; claims: {d['n_claims']} in {d['n_documents']} document(s)"
                  + ("; [red]sources conflict[/red]" if d["conflict"] else ""), highlight=False)
    for c in d["conflicts"]:
        console.print(f"  conflict on {c['field']}: claims {', '.join(map(str, c['claims']))} say {', '.join(c['values'])}",
                      highlight=False)
    for field_name, e in (d.get("edited") or {}).items():
        console.print(f"  set by hand: {field_name} = {e['value']!r} (by {e['by']} at {e['at']}: {e['why']})", highlight=False)
    by_id = {c["id"]: c for c in d["claims"]}
    if why:
        for f, fig in (d.get("figures") or {}).items():
            console.print(f"\n[bold]{f}[/bold]: low {fig['low']}, best {fig['best']}, high {fig['high']}", highlight=False)
            console.print(f"  rule: {fig['rule']}", highlight=False)
            for part in ("low", "best", "high"):
                for cid in fig.get(f"{part}_claims", []):
                    c = by_id.get(cid)
                    if c:
                        console.print(f"  {part:<4} claim {cid} [{c['doc']}] \"{c['quote']}\"", highlight=False, soft_wrap=True)
    t = Table("claim", "doc", "date", "source", "killed", "injured", "displaced", "quote", title="Claims", header_style="bold")
    for c in d["claims"]:
        cnt = lambda k: "" if not c[k] else (str(c[k]["min"]) if c[k]["max"] == c[k]["min"] else  # noqa: E731
                                             f"{c[k]['min']}+" if c[k]["max"] is None else f"{c[k]['min']}-{c[k]['max']}")
        t.add_row(str(c["id"]), c["doc"], c["date_start"] or "", c.get("source") or "", cnt("fatalities"), cnt("injured"),
                  cnt("displaced"), c["quote"])
    console.print(t)


def resolve(db: DbOpt = None) -> None:
    """Group claims into incidents (also run at the end of extract). People's decisions are kept."""
    r = open_reckon(db)
    res = r.incidents.resolve()
    console.print(f"{res.claims} claim(s) -> {res.incidents} incident(s) ({res.multi_claim} from several claims) "
                  f"in {res.seconds:.2f} s")


def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="acled-csv, geojson, json, jsonl, parquet (or a plugin's)")],
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write")],
    db: DbOpt = None,
    date_from: Annotated[Optional[str], typer.Option("--from", help="Only incidents on or after this date")] = None,
    date_to: Annotated[Optional[str], typer.Option("--to", help="Only incidents on or before this date")] = None,
    place: Annotated[Optional[str], typer.Option(help="Place name, district or governorate contains this")] = None,
    event_type: Annotated[Optional[str], typer.Option("--type", help="Only this event type")] = None,
) -> None:
    """Export incidents: ACLED-style CSV, GeoJSON (QGIS), JSON, JSON Lines or Parquet."""
    r = open_reckon(db)
    try:
        n = r.incidents.export(fmt, out, date_from=date_from, date_to=date_to, place=place, event_type=event_type)
    except ReckonError as exc:
        fail(exc, 2)
        return
    console.print(f"wrote {n} incident(s) to {out}")


def register(app: typer.Typer) -> None:
    """Add this capability's commands to the main app."""
    app.command("resolve")(resolve)
    app.add_typer(incidents_app, name="incidents")
    app.command("incident")(incident)
    app.command("export")(export)

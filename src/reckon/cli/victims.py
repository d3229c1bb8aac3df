"""CLI commands of the victims capability: ``reckon victims [import|link|review|export|overlap]``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from ..errors import ReckonError
from .common import DbOpt, FormatOpt, console, err, fail, open_reckon, report_problems

victims_app = typer.Typer(
    help="Named victim lists: import, link into unique persons, review, export, overlap by source.",
    invoke_without_command=True,
)
review_app = typer.Typer(help="Pairs of records the model is unsure about, and people's decisions on them.",
                         invoke_without_command=True)


@victims_app.callback()
def persons(
    ctx: typer.Context,
    db: DbOpt = None,
    fmt: FormatOpt = "table",
    source: Annotated[Optional[str], typer.Option(help="Only persons this list documents")] = None,
    no_names: Annotated[bool, typer.Option("--no-names", help="Hide victims' names")] = False,
    limit: Annotated[Optional[int], typer.Option(help="Show at most this many persons")] = None,
) -> None:
    """Unique persons with their records and the lists that documented them."""
    if ctx.invoked_subcommand is not None:
        return
    r = open_reckon(db)
    people = r.victims.persons(source=source, with_names=not no_names, limit=limit)
    if fmt in ("jsonl", "json"):
        rows = [p.to_dict() for p in people]
        if fmt == "json":
            sys.stdout.write(json.dumps(rows, ensure_ascii=False, default=str, indent=1) + "\n")
        else:
            for row in rows:
                sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        return
    if fmt == "csv":
        sys.stdout.write(r.victims.export(format="csv", with_names=not no_names) or "")
        return
    if fmt != "table":
        fail(f"unknown format {fmt!r}: use table, jsonl, json or csv", 2)
    t = Table(title=f"{len(people)} unique person(s)", header_style="bold")
    for col in ("person", "name", "sex", "age", "died", "place", "records", "sources"):
        t.add_column(col, overflow="fold", justify="right" if col in ("person", "age", "records") else "left")
    for p in people:
        died = p.value("date_of_death")
        t.add_row(str(p.person_id), p.name or "", p.value("sex") or "", str(p.value("age") or ""), str(died or ""),
                  p.value("place") or "", ", ".join(f"{x.source}:{x.record_id}" for x in p.records), ", ".join(p.sources))
    console.print(t)


@victims_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A list: .csv, .xlsx or .jsonl (UTF-8 or cp1256)")],
    source: Annotated[str, typer.Option("--source", "-s", help="Name of the list (who published it)")],
    map_: Annotated[Optional[list[str]], typer.Option("--map", "-m", help='COLUMN=FIELD, e.g. "الاسم=full_name" (repeatable)')] = None,
    mapping: Annotated[Optional[Path], typer.Option("--mapping", help="YAML file of COLUMN: FIELD pairs")] = None,
    no_geocode: Annotated[bool, typer.Option("--no-geocode", help="Do not look places up in the gazetteer")] = False,
    db: DbOpt = None,
) -> None:
    """Import a victim list (re-importing the same source replaces it). Bad rows are reported by line."""
    from ..victims.importer import load_mapping, parse_mapping

    r = open_reckon(db)
    try:
        cols = load_mapping(mapping) if mapping else {}
        cols.update(parse_mapping(map_))
        res = r.victims.import_file(file, source, cols or None, geocode=not no_geocode)
    except ReckonError as exc:
        fail(exc, 2)
        return
    n_err = report_problems(res.problems)
    console.print(f"{res.source}: {res.added} added, {res.updated} updated, {res.unchanged} unchanged, "
                  f"{res.removed} removed, {res.geocoded} geocoded, {n_err} bad row(s)", highlight=False)
    console.print("columns: " + ", ".join(f"{c} -> {f}" for c, f in res.mapping.items()), highlight=False)
    if res.failed:
        raise typer.Exit(1)


@victims_app.command("link")
def link(
    db: DbOpt = None,
    threshold: Annotated[Optional[float], typer.Option(help="Match probability to join two records [default: setting link_threshold]")] = None,
    model: Annotated[Optional[Path], typer.Option(help="Apply this saved Splink model (JSON) instead of training")] = None,
    save_model: Annotated[Optional[Path], typer.Option("--save-model", help="Write the model used (Splink JSON) here")] = None,
    labels: Annotated[Optional[Path], typer.Option(help="CSV of record_l,record_r pairs known to be one person")] = None,
) -> None:
    """Link all records, across and within lists, into unique persons (Splink)."""
    r = open_reckon(db)
    try:
        s = r.victims.link(threshold, model=model, save_model=save_model, labels=labels)
    except ReckonError as exc:
        fail(exc, 2)
        return
    for n in s.notes:
        err.print(f"[yellow]note[/yellow] {n}", highlight=False)
    console.print(f"{s.records} record(s) -> {s.persons} person(s); {s.linked} pair(s) linked, {s.review} to review, "
                  f"{s.held_apart} held apart by decisions; model {'trained on the data' if s.trained else 'priors'}; "
                  f"{s.backend}, {s.seconds:.1f}s", highlight=False)


@review_app.callback()
def review_list(
    ctx: typer.Context,
    db: DbOpt = None,
    fmt: FormatOpt = "table",
    all_: Annotated[bool, typer.Option("--all", help="Include pairs already decided")] = False,
    no_names: Annotated[bool, typer.Option("--no-names", help="Hide victims' names")] = False,
) -> None:
    """List uncertain pairs, least certain first, with the weight each field gave."""
    if ctx.invoked_subcommand is not None:
        return
    r = open_reckon(db)
    queue = r.victims.review_queue(include_decided=all_)
    if fmt in ("jsonl", "json"):
        for q in queue:
            sys.stdout.write(json.dumps(q.__dict__, ensure_ascii=False) + "\n")
        return
    recs = {}
    if queue:
        df = r.victims.records()
        recs = {int(row["id"]): row for row in df.to_dict("records")}
    t = Table(title=f"{len(queue)} pair(s) to review", header_style="bold")
    for col in ("pair", "p", "left", "right", "field weights", "status"):
        t.add_column(col, overflow="fold")

    def show(i: int) -> str:
        x = recs.get(i, {})
        name = "" if no_names else (x.get("full_name") or "")
        age = x.get("age")
        age_text = "" if age is None or age != age else f"age {int(age)}"
        bits = [name, age_text, str(x.get("date_of_death") or ""), x.get("place") or ""]
        return f"{x.get('source')}:{x.get('record_id')} " + " / ".join(b for b in bits if b)

    for q in queue:
        weights = " ".join(f"{k} {v:+.1f}" for k, v in q.weights.items())
        t.add_row(q.pair, f"{q.match_probability:.2f}", show(q.record_l), show(q.record_r), weights, q.status)
    console.print(t)
    if queue:
        console.print("decide with: reckon victims review decide PAIR same|different --why \"...\"", highlight=False)


@review_app.command("decide")
def review_decide(
    pair: Annotated[str, typer.Argument(help='Two record ids, e.g. "12-34"')],
    verdict: Annotated[str, typer.Argument(help="same or different")],
    why: Annotated[str, typer.Option("--why", help="The reason (kept in the audit log)")],
    db: DbOpt = None,
) -> None:
    """Record that two records are the same person or different persons (audit-logged, kept by later links)."""
    if verdict not in ("same", "different"):
        fail(f"verdict {verdict!r}: use same or different", 2)
    r = open_reckon(db)
    try:
        payload = r.victims.decide(pair, verdict == "same", why)
    except ReckonError as exc:
        fail(exc, 2)
        return
    console.print(f"pair {payload['pair']}: {verdict} (recorded in the audit log)", highlight=False)


@victims_app.command("explain")
def explain(
    pair: Annotated[str, typer.Argument(help='Two record ids, e.g. "12-34"')],
    db: DbOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON")] = False,
) -> None:
    """Why two records were (or were not) linked: match probability and the weight of each field."""
    r = open_reckon(db)
    try:
        ex = r.victims.explain(pair)
    except ReckonError as exc:
        fail(exc, 2)
        return
    if as_json:
        sys.stdout.write(json.dumps(ex, ensure_ascii=False, default=str) + "\n")
        return
    if not ex["scored"]:
        console.print(f"pair {ex['pair']}: not compared in the last link (no blocking rule brought them together)",
                      highlight=False)
    else:
        t = Table("field", "match weight", title=f"pair {ex['pair']}: p = {ex['match_probability']:.3f}, "
                  f"weight {ex['match_weight']:+.2f}, {ex['status']}")
        for k, v in ex["weights"].items():
            t.add_row(k, f"{v:+.2f}")
        console.print(t)
    if "decision" in ex:
        d = ex["decision"]
        console.print(f"decided {'same' if d['same'] else 'different'} by {d['actor']} at {d['at']}: {d['why']}",
                      highlight=False)


@victims_app.command("export")
def export(
    db: DbOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv or jsonl")] = "csv",
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write to this file instead of the screen")] = None,
    no_names: Annotated[bool, typer.Option("--no-names", help="Leave name fields empty")] = False,
) -> None:
    """Every record with its person: record_id, source, person_id, then the fields."""
    r = open_reckon(db)
    try:
        text = r.victims.export(out, format=fmt, with_names=not no_names)
    except ReckonError as exc:
        fail(exc, 2)
        return
    if text is not None:
        sys.stdout.write(text)


@victims_app.command("overlap")
def overlap(
    db: DbOpt = None,
    by: Annotated[Optional[str], typer.Option("--by", help="Strata, comma-separated: place, sex, age_group, period, status")] = None,
    fmt: FormatOpt = "table",
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write CSV to this file")] = None,
) -> None:
    """Persons per pattern of lists (1 = documented by that list), per stratum: input of multiple systems estimation."""
    r = open_reckon(db)
    strata = [s.strip() for s in (by or "").split(",") if s.strip()]
    try:
        df = r.victims.overlap(strata)
    except ReckonError as exc:
        fail(exc, 2)
        return
    if out is not None:
        df.to_csv(out, index=False)
        console.print(f"{len(df)} pattern(s) -> {out}", highlight=False)
        return
    if fmt == "csv":
        sys.stdout.write(df.to_csv(index=False))
        return
    if fmt in ("jsonl", "json"):
        sys.stdout.write(df.to_json(orient="records", lines=fmt == "jsonl", force_ascii=False) + "\n")
        return
    t = Table(*[str(c) for c in df.columns], title="Persons per pattern of lists", header_style="bold")
    for row in df.itertuples(index=False):
        t.add_row(*[str(v) for v in row])
    console.print(t)


victims_app.add_typer(review_app, name="review")


def register(app: typer.Typer) -> None:
    """Add this capability's commands to the main app."""
    app.add_typer(victims_app, name="victims")

"""Core commands: ingest, extract, claims, eval, demo, documents, audit."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from .common import DbOpt, FormatOpt, console, err, fail, open_reckon, progress_bar, report_problems


def claims_table(claims, title: str = "Claims") -> Table:
    t = Table(title=title, show_lines=False, header_style="bold")
    for col, kw in (("id", {"justify": "right"}), ("doc", {}), ("type", {}), ("date", {}), ("where", {}),
                    ("killed", {"justify": "right"}), ("injured", {"justify": "right"}), ("displaced", {"justify": "right"}),
                    ("perpetrator", {"max_width": 28}), ("reported by", {"max_width": 18})):
        t.add_column(col, overflow="fold", **kw)
    for c in claims:
        date = "" if not c.date_start else (str(c.date_start) if c.date_start == c.date_end else f"{c.date_start}..{c.date_end or ''}")
        where = ", ".join(loc.name + (f" ({loc.admin1})" if loc.admin1 else "") for loc in c.locations)
        t.add_row(str(c.id or ""), c.doc, f"{c.event_type}/{c.sub_event_type}", date, where,
                  str(c.fatalities or ""), str(c.injured or ""), str(c.displaced or ""),
                  c.actor1_canonical or c.actor1 or "", ", ".join(c.reported_by))
    return t


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (.txt, .md, .html, .jsonl); folders are read recursively")],
    db: DbOpt = None,
) -> None:
    """Read reports into the database. The same content twice is stored once."""
    r = open_reckon(db)
    with progress_bar() as bar:
        task = bar.add_task("ingest", total=None)
        res = r.ingest(paths, progress=lambda i, n: bar.update(task, completed=i, total=n))
    n_err = report_problems(res.problems)
    console.print(f"ingested {res.added} document(s), {res.duplicates} already stored, {n_err} problem(s)")
    if res.failed:
        raise typer.Exit(1)


def extract(
    db: DbOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Re-extract documents extracted before")] = False,
    no_resolve: Annotated[bool, typer.Option("--no-resolve", help="Do not merge claims into incidents afterwards")] = False,
) -> None:
    """Extract incident claims from every document not yet extracted."""
    r = open_reckon(db)
    with progress_bar() as bar:
        task = bar.add_task("extract", total=None)
        res = r.extract(force=force, resolve=not no_resolve, progress=lambda i, n: bar.update(task, completed=i, total=n))
    for note in res.notes:
        err.print(f"[yellow]note[/yellow] {note}", highlight=False)
    report_problems(res.problems)
    console.print(f"extracted {res.claims} claim(s) from {res.documents} document(s); {res.skipped} skipped")
    if res.failed:
        raise typer.Exit(1)


def claims(
    db: DbOpt = None,
    fmt: FormatOpt = "table",
    doc: Annotated[Optional[str], typer.Option(help="Only this document")] = None,
    event_type: Annotated[Optional[str], typer.Option("--type", help="Only this event type")] = None,
    place: Annotated[Optional[str], typer.Option(help="Place name or admin1 contains this")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write to this file instead of the screen")] = None,
) -> None:
    """Show extracted claims (table, or --format jsonl|csv in the guidelines' field names)."""
    r = open_reckon(db)
    q = r.claims(doc=doc, event_type=event_type, place=place)
    if fmt == "jsonl":
        text = q.to_jsonl(out) if out else q.to_jsonl()
    elif fmt == "csv":
        text = q.to_csv(out) if out else q.to_csv()
    elif fmt == "table":
        console.print(claims_table(q))
        return
    else:
        fail(f"unknown format {fmt!r}: use table, jsonl or csv", 2)
        return
    if text is not None:
        sys.stdout.write(text)


def eval_(
    gold: Annotated[Path, typer.Argument(help="Gold claims, JSON Lines (see the annotation guidelines)")],
    pred: Annotated[Optional[Path], typer.Option("--pred", help="Score this file instead of the stored claims")] = None,
    db: DbOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON")] = False,
) -> None:
    """Score claims against a gold file: precision, recall, F1 and per-field accuracy."""
    from ..errors import ReckonError

    r = open_reckon(db)
    try:
        res = r.evaluate(gold, pred)
    except ReckonError as exc:
        fail(exc, 2)
        return
    if as_json:
        console.print_json(json.dumps(res))
        return
    console.print(f"claims: gold {res['gold']}, predicted {res['pred']}, matched {res['matched']}")
    console.print(f"precision {res['precision']:.3f}  recall {res['recall']:.3f}  F1 {res['f1']:.3f}")
    t = Table("field", "accuracy", title="per matched claim")
    for k in ("event_type", "sub_event_type", "date", "fatalities", "injured", "displaced", "actor1", "actor2",
              "reported_by", "location_recall", "admin1"):
        if k in res:
            t.add_row(k, f"{res[k]:.3f}")
    console.print(t)


def demo(
    keep: Annotated[Optional[Path], typer.Option("--keep", help="Keep the demo database at this path")] = None,
) -> None:
    """Ingest the example report shipped with Reckon into a temporary database and show its claims."""
    from importlib.resources import files

    from ..api import open as open_db

    example = files("reckon") / "examples"
    with tempfile.TemporaryDirectory() as tmp:
        db = keep or Path(tmp) / "demo.db"
        r = open_db(db)
        paths = [Path(str(p)) for p in example.iterdir() if p.name.endswith((".txt", ".md", ".html", ".jsonl"))]
        res = r.ingest(sorted(paths))
        report_problems(res.problems)
        ex = r.extract()
        console.print(f"[bold]Reckon demo[/bold]: {res.added} example report(s) -> {ex.claims} claims")
        console.print(claims_table(r.claims(), title="Claims extracted from the example reports"))
        first = next(iter(r.claims()), None)
        if first is not None:
            console.print("\nEvery field points at its source characters, for example:", highlight=False)
            for name, spans in sorted(first.spans.items()):
                s = spans[0]
                console.print(f"  {name:<12} [{s.start}:{s.end}] {first.text[s.start:s.end]!r}", highlight=False, soft_wrap=True)
        try:
            n_inc = r.incidents.count()
            console.print(f"\n{n_inc} incident(s) after merging claims; try [bold]reckon incidents --db DB[/bold] with --keep DB")
        except Exception:  # incidents are optional for the demo
            pass
        r.close()


def documents(db: DbOpt = None, fmt: FormatOpt = "table") -> None:
    """List stored documents."""
    r = open_reckon(db)
    docs = r.documents()
    if fmt == "jsonl":
        for d in docs:
            row = d.as_dict()
            row.pop("text")
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    t = Table("doc", "date", "language", "words", "title", "sha256", title="Documents")
    for d in docs:
        t.add_row(d.doc, str(d.date or ""), d.language or "", str(len(d.text.split())), (d.title or "")[:50], d.sha256[:12])
    console.print(t)


audit_app = typer.Typer(help="The append-only audit log of people's decisions.", no_args_is_help=True)


@audit_app.command("verify")
def audit_verify(db: DbOpt = None) -> None:
    """Check the audit log's hash chain; exit 1 if any row was edited, removed or inserted."""
    r = open_reckon(db)
    problems = r.audit_verify()
    for p in problems:
        err.print(f"[red]tampered[/red] {p}", highlight=False)
    if problems:
        raise typer.Exit(1)
    console.print(f"audit log intact: {len(r.audit_log())} event(s)")


@audit_app.command("log")
def audit_show(db: DbOpt = None, fmt: FormatOpt = "table") -> None:
    """Show the audit log."""
    r = open_reckon(db)
    events = r.audit_log()
    if fmt == "jsonl":
        for e in events:
            sys.stdout.write(json.dumps({**e.__dict__, "at": e.at.isoformat()}, ensure_ascii=False) + "\n")
        return
    t = Table("seq", "at", "actor", "action", "target", "why", title="Audit log")
    for e in events:
        t.add_row(str(e.seq), e.at.isoformat(), e.actor, e.action, e.target, e.why)
    console.print(t)


debug_app = typer.Typer(help="Inspect Reckon's configuration.", no_args_is_help=True)


@debug_app.command("pipeline")
def debug_pipeline() -> None:
    """Show the extraction stages in order, what each needs and sets, and any gap."""
    from ..settings import Settings
    from ..text.pipeline import default_pipeline

    pipe = default_pipeline(Settings.load())
    t = Table("stage", "factory", "requires", "assigns", title=f"pipeline {pipe.name}")
    for s in pipe.stages:
        t.add_row(s.name, s.factory, ", ".join(s.requires), ", ".join(s.assigns))
    console.print(t)
    gaps = pipe.check()
    for g in gaps:
        err.print(f"[red]gap[/red] {g}")
    if gaps:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
    app.command("extract")(extract)
    app.command("claims")(claims)
    app.command("eval")(eval_)
    app.command("demo")(demo)
    app.command("documents")(documents)
    app.add_typer(audit_app, name="audit")
    app.add_typer(debug_app, name="debug")

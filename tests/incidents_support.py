"""Hand-built inputs for the incidents tests: documents and claims stored without the extractor."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any, Iterable

from reckon.model import Claim, Count, Document, Location, Span
from reckon.store import repo

CORPUS = Path(__file__).parent / "cases" / "incidents"


def count(v: Any) -> Count | None:
    if v is None:
        return None
    if isinstance(v, int):
        return Count(v, v)
    if isinstance(v, dict):
        return Count(v["min"], v.get("max"))
    return Count(v[0], v[1])


def loc(name: str, admin1: str | None = None, country: str | None = None, **kw: Any) -> Location:
    return Location(name=name, admin1=admin1, country=country, **kw)


def claim(text: str, quote: str, *, doc: str = "d", event_type: str = "violence_against_civilians",
          sub_event_type: str = "attack", date: str | tuple[str, str] | None = None, places: Iterable[Location] = (),
          fatalities: Any = None, injured: Any = None, displaced: Any = None, actor1: str | None = None,
          actor2: str | None = None, reported_by: Iterable[str] = ()) -> Claim:
    start = text.index(quote)
    ds = de = None
    if isinstance(date, tuple):
        ds, de = dt.date.fromisoformat(date[0]), dt.date.fromisoformat(date[1])
    elif date:
        ds = de = dt.date.fromisoformat(date)
    return Claim(doc=doc, quote_span=Span(start, start + len(quote)), event_type=event_type,
                 sub_event_type=sub_event_type, date_start=ds, date_end=de, locations=tuple(places),
                 actor1=actor1, actor2=actor2, fatalities=count(fatalities), injured=count(injured),
                 displaced=count(displaced), reported_by=tuple(reported_by))


def add_document(r, doc: str, text: str, date: str | None = None, url: str | None = None,
                 claims: Iterable[Claim] = ()) -> int:
    """Store a document (or find it stored) and replace its claims; returns its row id."""
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    d = Document(sha256=sha, doc=doc, text=text, date=dt.date.fromisoformat(date) if date else None, url=url)
    import sqlalchemy as sa
    from reckon.store.schema import documents

    with r.store.transaction() as conn:
        did = repo.insert_document(conn, d)
        if did is None:
            did = conn.execute(sa.select(documents.c.id).where(documents.c.sha256 == sha)).scalar_one()
        repo.replace_claims(conn, did, [c.replace(doc=doc) for c in claims], "test")
    return did


def corpus_claims() -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for line in (CORPUS / "annotations.json").read_text(encoding="utf-8").splitlines():
        c = json.loads(line)
        out.setdefault(c["doc"], []).append(c)
    return out


def load_corpus(r, order: Iterable[str] | None = None) -> None:
    """Ingest the corpus reports (in the given order of names) and store their hand-annotated claims."""
    from reckon.ingest import read_path

    annotated = corpus_claims()
    names = list(order) if order is not None else sorted(annotated)
    for name in names:
        item = next(i for i in read_path(CORPUS / f"{name}.txt", max_bytes=10_000_000) if not hasattr(i, "code"))
        cs = []
        for c in annotated.get(name, []):
            cs.append(claim(
                item.text, c["quote"], doc=name, event_type=c["event_type"], sub_event_type=c["sub_event_type"],
                date=(c["date_start"], c["date_end"]) if c["date_start"] else None,
                places=[loc(l["name"], l.get("admin1"), l.get("country")) for l in c["locations"]],
                fatalities=c["fatalities"], injured=c["injured"], displaced=c["displaced"],
                actor1=c["actor1"], actor2=c["actor2"], reported_by=c["reported_by"]))
        add_document(r, name, item.text, item.date.isoformat() if item.date else None, item.url, cs)


def expected() -> list[dict[str, Any]]:
    return json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))["incidents"]

"""Reading and writing the core records (documents, claims, their locations)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable, Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..model import Claim, Count, Document, Location, Span
from .schema import claim_locations, claims, documents

COUNT_FIELDS = ("fatalities", "injured", "displaced", "arrested")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)


# -- documents ----------------------------------------------------------------
def document_from_row(r: Any) -> Document:
    return Document(
        sha256=r.sha256, doc=r.doc, text=r.text, title=r.title, url=r.url, date=r.date,
        language=r.language, source_path=r.source_path, encoding=r.encoding, id=r.id,
    )


def insert_document(conn: Connection, d: Document) -> int | None:
    """Insert unless the same content is stored already; the new row id, or None."""
    if not insert_documents(conn, [d])[0]:
        return None
    return int(conn.execute(sa.select(documents.c.id).where(documents.c.sha256 == d.sha256)).scalar_one())


def insert_documents(conn: Connection, docs: list[Document]) -> list[bool]:
    """Insert the documents whose content is not stored yet (one query to check, one to insert); True = added."""
    shas = [d.sha256 for d in docs]
    have: set[str] = set()
    for i in range(0, len(shas), 500):
        have.update(r.sha256 for r in conn.execute(sa.select(documents.c.sha256).where(documents.c.sha256.in_(shas[i : i + 500]))))
    now = _now()
    rows, added = [], []
    for d in docs:
        new = d.sha256 not in have
        added.append(new)
        if new:
            have.add(d.sha256)
            rows.append(dict(sha256=d.sha256, doc=d.doc, source_path=d.source_path, title=d.title, url=d.url, date=d.date,
                             language=d.language, encoding=d.encoding, text=d.text, n_words=len(d.text.split()), ingested_at=now))
    if rows:
        conn.execute(documents.insert(), rows)
    return added


def get_documents(conn: Connection, ids: Iterable[int]) -> dict[int, Document]:
    ids = list(ids)
    out: dict[int, Document] = {}
    for i in range(0, len(ids), 500):
        for r in conn.execute(sa.select(documents).where(documents.c.id.in_(ids[i : i + 500]))):
            out[r.id] = document_from_row(r)
    return out


# -- claims -------------------------------------------------------------------
def _spans_to_json(spans: dict[str, tuple[Span, ...]]) -> dict[str, list[list[int]]]:
    return {k: [s.to_list() for s in v] for k, v in spans.items()}


def claim_row(document_id: int, seq: int, c: Claim, extractor: str) -> dict[str, Any]:
    row: dict[str, Any] = dict(
        document_id=document_id, seq=seq, event_type=c.event_type, sub_event_type=c.sub_event_type,
        date_start=c.date_start, date_end=c.date_end, actor1=c.actor1, actor2=c.actor2,
        actor1_canonical=c.actor1_canonical, actor2_canonical=c.actor2_canonical,
        reported_by=list(c.reported_by), quote_start=c.quote_span.start, quote_end=c.quote_span.end,
        sentence_start=c.sentence_span.start if c.sentence_span else None,
        sentence_end=c.sentence_span.end if c.sentence_span else None,
        spans=_spans_to_json(c.spans), confidence=float(c.confidence), extractor=extractor,
    )
    for f in COUNT_FIELDS:
        cnt: Count | None = getattr(c, f)
        row[f"{f}_min"] = cnt.min if cnt else None
        row[f"{f}_max"] = cnt.max if cnt else None
        row[f"has_{f}"] = cnt is not None
    return row


def location_row(claim_id: int, seq: int, loc: Location) -> dict[str, Any]:
    return dict(
        claim_id=claim_id, seq=seq, name=loc.name,
        start=loc.span.start if loc.span else None, end=loc.span.end if loc.span else None,
        hint=loc.hint, hint_start=loc.hint_span.start if loc.hint_span else None,
        hint_end=loc.hint_span.end if loc.hint_span else None, kind=loc.kind, country=loc.country,
        admin1=loc.admin1, admin2=loc.admin2, place_id=loc.place_id, lat=loc.lat, lon=loc.lon,
        geo_precision=loc.geo_precision, geo_score=loc.geo_score, status=loc.status,
        candidates=list(loc.candidates) or None,
    )


def replace_claims(conn: Connection, document_id: int, new: list[Claim], extractor: str) -> list[int]:
    """Replace a document's claims (re-extraction) and return the new claim ids."""
    return replace_claims_many(conn, [(document_id, new)], extractor)[0]


def replace_claims_many(conn: Connection, batch: list[tuple[int, list[Claim]]], extractor: str) -> list[list[int]]:
    """Replace the claims of several documents at once (two multi-row inserts); new ids per document."""
    doc_ids = [d for d, _ in batch]
    old = [r.id for r in conn.execute(sa.select(claims.c.id).where(claims.c.document_id.in_(doc_ids)))]
    for i in range(0, len(old), 500):
        conn.execute(claim_locations.delete().where(claim_locations.c.claim_id.in_(old[i : i + 500])))
        conn.execute(claims.delete().where(claims.c.id.in_(old[i : i + 500])))
    rows = [claim_row(doc_id, seq, c, extractor) for doc_id, new in batch for seq, c in enumerate(new)]
    if not rows:
        return [[] for _ in batch]
    ids = [int(r[0]) for r in conn.execute(claims.insert().returning(claims.c.id, sort_by_parameter_order=True), rows)]
    out: list[list[int]] = []
    loc_rows: list[dict[str, Any]] = []
    k = 0
    for _doc_id, new in batch:
        mine = ids[k : k + len(new)]
        k += len(new)
        out.append(mine)
        for cid, c in zip(mine, new):
            loc_rows.extend(location_row(cid, i, loc) for i, loc in enumerate(c.locations))
    if loc_rows:
        conn.execute(claim_locations.insert(), loc_rows)
    return out


def update_locations(conn: Connection, claim_id: int, locs: Iterable[Location]) -> None:
    conn.execute(claim_locations.delete().where(claim_locations.c.claim_id == claim_id))
    rows = [location_row(claim_id, i, loc) for i, loc in enumerate(locs)]
    if rows:
        conn.execute(claim_locations.insert(), rows)


def location_from_row(r: Any) -> Location:
    return Location(
        name=r.name, span=Span(r.start, r.end) if r.start is not None else None, hint=r.hint,
        hint_span=Span(r.hint_start, r.hint_end) if r.hint_start is not None else None,
        country=r.country, admin1=r.admin1, admin2=r.admin2, place_id=r.place_id, lat=r.lat, lon=r.lon,
        geo_precision=r.geo_precision, geo_score=r.geo_score, status=r.status, kind=r.kind,
        candidates=tuple(r.candidates or ()),
    )


def claim_from_row(r: Any, doc: Document, locs: list[Location]) -> Claim:
    def cnt(f: str) -> Count | None:
        if not getattr(r, f"has_{f}"):
            return None
        return Count(getattr(r, f"{f}_min"), getattr(r, f"{f}_max"))

    return Claim(
        doc=doc.doc, quote_span=Span(r.quote_start, r.quote_end), event_type=r.event_type,
        sub_event_type=r.sub_event_type, date_start=r.date_start, date_end=r.date_end, locations=tuple(locs),
        actor1=r.actor1, actor2=r.actor2, actor1_canonical=r.actor1_canonical, actor2_canonical=r.actor2_canonical,
        fatalities=cnt("fatalities"), injured=cnt("injured"), displaced=cnt("displaced"), arrested=cnt("arrested"),
        reported_by=tuple(r.reported_by or ()), confidence=r.confidence,
        spans={k: tuple(Span(a, b) for a, b in v) for k, v in (r.spans or {}).items()},
        sentence_span=Span(r.sentence_start, r.sentence_end) if r.sentence_start is not None else None,
        id=r.id, text=doc.text,
    )


def iter_claims(conn: Connection, query: sa.Select, batch: int = 1000) -> Iterator[Claim]:
    """Claims for a select over the claims table (ids in order), in batches."""
    doc_cache: dict[int, Document] = {}
    rows = conn.execute(query).fetchall()
    for i in range(0, len(rows), batch):
        chunk = rows[i : i + batch]
        need = {r.document_id for r in chunk} - set(doc_cache)
        if len(doc_cache) > 2000:
            doc_cache.clear()
            need = {r.document_id for r in chunk}
        doc_cache.update(get_documents(conn, need))
        locs: dict[int, list[Location]] = {}
        ids = [r.id for r in chunk]
        for lr in conn.execute(
            sa.select(claim_locations).where(claim_locations.c.claim_id.in_(ids)).order_by(claim_locations.c.claim_id, claim_locations.c.seq)
        ):
            locs.setdefault(lr.claim_id, []).append(location_from_row(lr))
        for r in chunk:
            yield claim_from_row(r, doc_cache[r.document_id], locs.get(r.id, []))

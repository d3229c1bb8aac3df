"""The Python API. The CLI and the web app are thin layers over :class:`Reckon`.

    >>> import reckon
    >>> r = reckon.open("reckon.db")
    >>> r.ingest(["reports/"])
    >>> r.extract()
    >>> r.claims(event_type="violence_against_civilians").to_pandas()

Capabilities further down the flow live in namespaces: ``r.places``,
``r.incidents``, ``r.victims``, ``r.estimates``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

import sqlalchemy as sa

from .errors import Problem
from .ingest import detect_language, iter_files, read_path
from .model import Claim, Document
from .settings import Settings
from .store import Store, audit, repo
from .store.schema import claim_locations, claims, documents, runs

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .estimates.api import EstimatesAPI
    from .incidents.api import IncidentsAPI
    from .places.api import PlacesAPI
    from .text.pipeline import Pipeline
    from .victims.api import VictimsAPI

__all__ = ["Reckon", "open", "IngestResult", "ExtractResult", "ClaimQuery"]

Progress = Callable[[int, int], None]


def open(db: str | os.PathLike[str] | None = None, *, settings: Settings | None = None) -> "Reckon":  # noqa: A001
    """Open (creating and migrating if needed) the database at ``db``.

    ``db`` is a file path or a SQLAlchemy URL; by default ``RECKON_DB`` or ``./reckon.db``.
    """
    settings = settings or Settings.load()
    target = db or os.environ.get("RECKON_DB") or settings.db
    return Reckon(Store.open(target), settings.replace(db=str(target)))


@dataclass
class IngestResult:
    added: int = 0
    duplicates: int = 0
    words: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(p.level == "error" for p in self.problems)


@dataclass
class ExtractResult:
    documents: int = 0
    skipped: int = 0
    claims: int = 0
    words: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(p.level == "error" for p in self.problems)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)


class Reckon:
    """One database and the settings to work on it."""

    def __init__(self, store: Store, settings: Settings | None = None) -> None:
        self.store = store
        self.settings = settings or Settings.load()

    def __repr__(self) -> str:
        return f"<Reckon {self.store!r}>"

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "Reckon":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- documents in ---------------------------------------------------------
    def ingest(self, paths: Iterable[str | os.PathLike[str]], *, progress: Progress | None = None) -> IngestResult:
        """Read files and folders into the store. Same content twice adds nothing.

        Bad files are reported in ``result.problems`` and the rest goes on; every
        batch is one transaction, so a failure never leaves a half-written batch.
        """
        result = IngestResult()
        files = list(iter_files(list(paths)))
        max_bytes = int(self.settings.max_file_mb * 1_000_000)
        batch: list[Document] = []
        seen: set[str] = set()

        def flush() -> None:
            if not batch:
                return
            with self.store.transaction() as conn:
                for d, new in zip(batch, repo.insert_documents(conn, batch)):
                    if new:
                        result.added += 1
                        result.words += len(d.text.split())
                    else:
                        result.duplicates += 1
            batch.clear()

        for i, f in enumerate(files):
            if isinstance(f, Problem):
                result.problems.append(f)
                continue
            for item in read_path(f, max_bytes=max_bytes):
                if isinstance(item, Problem):
                    result.problems.append(item)
                    continue
                if item.sha256 in seen:
                    result.duplicates += 1
                    continue
                seen.add(item.sha256)
                batch.append(
                    Document(
                        sha256=item.sha256, doc=item.doc, text=item.text, title=item.title, url=item.url,
                        date=item.date, language=item.language or detect_language(item.text),
                        source_path=item.source_path, encoding=item.encoding,
                    )
                )
                if len(batch) >= self.settings.batch_size:
                    flush()
            if progress:
                progress(i + 1, len(files))
        flush()
        return result

    def documents(self) -> list[Document]:
        with self.store.connect() as conn:
            return [repo.document_from_row(r) for r in conn.execute(sa.select(documents).order_by(documents.c.id))]

    def document(self, doc: str) -> Document | None:
        with self.store.connect() as conn:
            r = conn.execute(sa.select(documents).where(documents.c.doc == doc).order_by(documents.c.id.desc())).first()
            return repo.document_from_row(r) if r else None

    # -- documents -> claims --------------------------------------------------
    @cached_property
    def pipeline(self) -> "Pipeline":
        from .text.pipeline import default_pipeline

        return default_pipeline(self.settings)

    def extract(
        self, *, force: bool = False, resolve: bool = True, geocode: bool = True, progress: Progress | None = None
    ) -> ExtractResult:
        """Extract claims from every document not yet extracted (all of them with ``force``)."""
        result = ExtractResult()
        q = sa.select(documents.c.id)
        if not force:
            q = q.where(documents.c.extracted_at.is_(None))
        with self.store.connect() as conn:
            ids = [r.id for r in conn.execute(q.order_by(documents.c.id))]
        started = _now()
        geocoder = self.places.resolver() if geocode else None
        langs = set(self.settings.languages)
        step = max(1, self.settings.batch_size)
        for b in range(0, len(ids), step):
            with self.store.connect() as conn:
                docs = repo.get_documents(conn, ids[b : b + step])
            out: list[tuple[Document, list[Claim] | None, str | None]] = []
            for d in docs.values():
                if d.language and d.language not in langs:
                    note = f"language {d.language!r}: stored, extraction skipped"
                    result.skipped += 1
                    result.notes.append(f"{d.doc}: {note}")
                    out.append((d, None, note))
                    continue
                try:
                    found = self.pipeline(d)
                    if geocoder is not None:
                        found = geocoder(d, found)
                except Exception as exc:  # one bad document must not stop the run
                    result.problems.append(Problem(f"R120 {d.doc}: extraction failed: {exc!r}", path=d.source_path, code="R120"))
                    continue
                out.append((d, found, None))
                result.documents += 1
                result.words += len(d.text.split())
                result.claims += len(found)
            with self.store.transaction() as conn:
                now = _now()
                repo.replace_claims_many(conn, [(d.id, found) for d, found, _n in out if found is not None], self.pipeline.name)  # type: ignore[misc]
                done = [d.id for d, _f, note in out if note is None]
                for i in range(0, len(done), 500):
                    conn.execute(documents.update().where(documents.c.id.in_(done[i : i + 500])).values(extracted_at=now, extract_note=None))
                for d, _f, note in out:
                    if note is not None:
                        conn.execute(documents.update().where(documents.c.id == d.id).values(extracted_at=now, extract_note=note))
            if progress:
                progress(min(b + step, len(ids)), len(ids))
        self.record_run("extract", started, {"pipeline": self.pipeline.describe()}, {
            "documents": result.documents, "skipped": result.skipped, "claims": result.claims})
        if resolve and ids:
            self.incidents.resolve()
        return result

    def claims(self, **filters: Any) -> "ClaimQuery":
        """Stored claims, filtered by ``doc``, ``event_type``, ``date_from``, ``date_to``, ``ids``."""
        return ClaimQuery(self, filters)

    # -- later stages ---------------------------------------------------------
    @cached_property
    def places(self) -> "PlacesAPI":
        from .places.api import PlacesAPI

        return PlacesAPI(self)

    @cached_property
    def incidents(self) -> "IncidentsAPI":
        from .incidents.api import IncidentsAPI

        return IncidentsAPI(self)

    @cached_property
    def victims(self) -> "VictimsAPI":
        from .victims.api import VictimsAPI

        return VictimsAPI(self)

    @cached_property
    def estimates(self) -> "EstimatesAPI":
        from .estimates.api import EstimatesAPI

        return EstimatesAPI(self)

    # -- evaluation -----------------------------------------------------------
    def evaluate(self, gold: str | os.PathLike[str], pred: str | os.PathLike[str] | None = None) -> dict[str, Any]:
        """Score stored (or given) claims against a gold file; see :mod:`reckon.evaluate`."""
        from .evaluate import load_jsonl, score

        gold_claims = load_jsonl(gold)
        if pred is not None:
            pred_claims = load_jsonl(pred)
        else:
            docs = {c.get("doc") for c in gold_claims}
            pred_claims = [c.to_dict() for c in self.claims() if c.doc in docs]
        return score(gold_claims, pred_claims)

    # -- audit ----------------------------------------------------------------
    def audit_log(self, **filters: Any) -> list[audit.AuditEvent]:
        with self.store.connect() as conn:
            return list(audit.events(conn, **filters))

    def audit_verify(self) -> list[str]:
        with self.store.connect() as conn:
            return audit.verify(conn)

    def record_run(self, kind: str, started: dt.datetime, settings: dict[str, Any], summary: dict[str, Any]) -> None:
        with self.store.transaction() as conn:
            conn.execute(runs.insert().values(kind=kind, started_at=started, finished_at=_now(),
                                              settings=json.loads(json.dumps(settings, default=str)),
                                              summary=json.loads(json.dumps(summary, default=str))))

    def runs(self, kind: str | None = None) -> list[dict[str, Any]]:
        q = sa.select(runs).order_by(runs.c.id)
        if kind:
            q = q.where(runs.c.kind == kind)
        with self.store.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(q)]


CLAIM_COLUMNS = [
    "doc", "quote", "event_type", "sub_event_type", "date_start", "date_end", "locations", "actor1", "actor2",
    "fatalities", "injured", "displaced", "reported_by",
]


class ClaimQuery:
    """A lazy handle on stored claims: iterate, count, or write out."""

    def __init__(self, r: Reckon, filters: dict[str, Any]) -> None:
        self._r = r
        self._filters = filters

    def _select(self) -> sa.Select:
        f = self._filters
        q = sa.select(claims).join(documents, documents.c.id == claims.c.document_id)
        if f.get("doc"):
            q = q.where(documents.c.doc == f["doc"])
        if f.get("event_type"):
            q = q.where(claims.c.event_type == f["event_type"])
        if f.get("date_from"):
            q = q.where(claims.c.date_end >= f["date_from"])
        if f.get("date_to"):
            q = q.where(claims.c.date_start <= f["date_to"])
        if f.get("ids") is not None:
            q = q.where(claims.c.id.in_(list(f["ids"])))
        if f.get("min_fatalities") is not None:
            q = q.where(claims.c.fatalities_min >= int(f["min_fatalities"]))
        if f.get("place"):
            sub = sa.select(claim_locations.c.claim_id).where(
                sa.or_(claim_locations.c.name.ilike(f"%{f['place']}%"), claim_locations.c.admin1.ilike(f"%{f['place']}%"))
            )
            q = q.where(claims.c.id.in_(sub))
        return q.order_by(claims.c.document_id, claims.c.seq)

    def __iter__(self) -> Iterator[Claim]:
        with self._r.store.connect() as conn:
            yield from repo.iter_claims(conn, self._select())

    def count(self) -> int:
        with self._r.store.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(self._select().subquery())).scalar_one())

    def to_dicts(self) -> list[dict[str, Any]]:
        return [c.to_dict() for c in self]

    def to_jsonl(self, path: str | os.PathLike[str] | None = None) -> str | None:
        lines = (json.dumps(c.to_dict(), ensure_ascii=False) + "\n" for c in self)
        if path is None:
            return "".join(lines)
        with Path(path).open("w", encoding="utf-8") as f:
            f.writelines(lines)
        return None

    def to_csv(self, path: str | os.PathLike[str] | None = None) -> str | None:
        buf = io.StringIO() if path is None else Path(path).open("w", encoding="utf-8", newline="")
        w = csv.writer(buf)
        extra = ["id", "location_admin1", "location_country", "fatalities_min", "fatalities_max", "injured_min",
                 "injured_max", "displaced_min", "displaced_max", "actor1_canonical", "actor2_canonical", "confidence"]
        w.writerow(CLAIM_COLUMNS + extra)
        for c in self:
            d = c.to_dict()
            locs = d["locations"]
            row = [
                d["doc"], d["quote"], d["event_type"], d["sub_event_type"], d["date_start"] or "", d["date_end"] or "",
                "; ".join(l["name"] for l in locs), d["actor1"] or "", d["actor2"] or "",
                str(c.fatalities or ""), str(c.injured or ""), str(c.displaced or ""), "; ".join(d["reported_by"]),
                d["id"], "; ".join(l["admin1"] or "" for l in locs), "; ".join(l["country"] or "" for l in locs),
            ]
            for cnt in (c.fatalities, c.injured, c.displaced):
                row += [cnt.min if cnt else "", (cnt.max if cnt and cnt.max is not None else "")]
            row += [d["actor1_canonical"] or "", d["actor2_canonical"] or "", d["confidence"]]
            w.writerow(row)
        if path is None:
            return buf.getvalue()  # type: ignore[union-attr]
        buf.close()
        return None

    def to_pandas(self) -> "pd.DataFrame":
        import pandas as pd

        return pd.DataFrame(self.to_dicts())

"""Incidents namespace of the API (``r.incidents``).

    >>> r.incidents.resolve()                       # group claims into incidents
    >>> q = r.incidents(admin1="Latakia", min_fatalities=10)
    >>> q.count(); q.page(limit=20, order="-fatalities")
    >>> r.incidents.get("3fa2c91b0d4e")["figures"]["fatalities"]["rule"]
    >>> r.incidents.merge("3fa2", "9c01", why="same massacre, two spellings")
    >>> r.incidents.export("acled-csv", "out.csv", date_from="2025-03-01")
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Sequence

import sqlalchemy as sa

from ..errors import InputError
from ..store import repo
from ..store.schema import claims, documents
from . import review
from .build import resolve_all
from .resolve import ResolveOptions
from .tables import FIGURES, incident_claims, incident_decisions, incidents

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..api import Reckon

__all__ = ["IncidentsAPI", "IncidentQuery", "ResolveResult", "ORDERS", "FILTERS"]

#: orders ``IncidentQuery.page`` accepts (prefix "-" for descending)
ORDERS = {
    "fatalities": incidents.c.sort_fatalities,
    "date": incidents.c.sort_date,
    "corroboration": incidents.c.corroboration,
    "claims": incidents.c.n_claims,
    "id": incidents.c.id,
}

#: filters ``r.incidents(...)`` accepts
FILTERS = (
    "date_from", "date_to", "place", "country", "admin1", "event_type", "sub_event_type", "actor", "min_fatalities",
    "min_corroboration", "conflict", "text", "bbox", "ids",
)


@dataclass(frozen=True)
class ResolveResult:
    claims: int
    incidents: int
    multi_claim: int
    seconds: float


def _as_date(v: Any, name: str) -> dt.date:
    if isinstance(v, dt.date):
        return v
    try:
        return dt.date.fromisoformat(str(v))
    except ValueError:
        raise InputError(f"{v!r} is not a date", field=name, hint="use YYYY-MM-DD", code="R104") from None


def _fts_query(text: str) -> str:
    return " ".join(f'"{t}"*' for t in re.findall(r"\w+", text, flags=re.UNICODE))


def summary(row: Any) -> dict[str, Any]:
    """An incident row as a plain dict (no claims)."""
    m = dict(row._mapping) if hasattr(row, "_mapping") else dict(row)
    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    out: dict[str, Any] = {
        "id": m["id"], "event_type": m["event_type"], "sub_event_type": m["sub_event_type"],
        "date_start": iso(m["date_start"]), "date_end": iso(m["date_end"]), "time_precision": m["time_precision"],
        "location": m["location"], "admin1": m["admin1"], "admin2": m["admin2"], "country": m["country"],
        "lat": m["lat"], "lon": m["lon"], "geo_precision": m["geo_precision"],
        "locations": [{k: v for k, v in loc.items() if k != "kind"} for loc in (m["locations"] or [])],
        "actor1": m["actor1"], "actor2": m["actor2"],
    }
    for f in FIGURES:
        low, best, high = (m[f"{f}_{b}"] for b in ("low", "best", "high"))
        out[f] = None if best is None else {"low": low, "best": best, "high": high}
    edited = m.get("edited") or {}
    out.update(
        corroboration=m["corroboration"], conflict=bool(m["conflict"]), conflicts=m["conflicts"] or [],
        n_claims=m["n_claims"], n_documents=m["n_documents"], edited=edited,
        notes=(edited.get("notes") or {}).get("value"),
    )
    return out


class IncidentQuery:
    """A lazy handle on incidents matching some filters: count, page, iterate or write out."""

    def __init__(self, api: "IncidentsAPI", filters: dict[str, Any]) -> None:
        unknown = set(filters) - set(FILTERS)
        if unknown:
            raise InputError(f"unknown incident filter(s): {', '.join(sorted(unknown))}", hint="known: " + ", ".join(FILTERS),
                             code="R105")
        self._api = api
        self.filters = {k: v for k, v in filters.items() if v is not None and v != ""}

    def __repr__(self) -> str:
        return f"<IncidentQuery {self.filters}>"

    # -- SQL ---------------------------------------------------------------------
    def where(self, dialect: str) -> list[Any]:
        f, t = self.filters, incidents.c
        w: list[Any] = []
        if "date_from" in f:
            w.append(sa.func.coalesce(t.date_end, t.date_start) >= _as_date(f["date_from"], "date_from"))
        if "date_to" in f:
            w.append(sa.func.coalesce(t.date_start, t.date_end) <= _as_date(f["date_to"], "date_to"))
        if "event_type" in f:
            w.append(t.event_type == f["event_type"])
        if "sub_event_type" in f:
            w.append(t.sub_event_type == f["sub_event_type"])
        if "country" in f:
            w.append(t.country == str(f["country"]).upper())
        if "admin1" in f:
            w.append(t.admin1.ilike(f["admin1"]))
        if "place" in f:
            q = _fts_query(str(f["place"]))
            if dialect == "sqlite" and q:  # word-prefix match on the indexed place names
                w.append(t.id.in_(sa.text("SELECT id FROM incidents_fts WHERE incidents_fts MATCH :fts_place")
                                  .bindparams(fts_place="places: (" + q + ")").columns(sa.column("id"))))
            else:
                p = f"%{f['place']}%"
                w.append(sa.or_(t.location.ilike(p), t.admin1.ilike(p), t.admin2.ilike(p), t.places_text.ilike(p)))
        if "actor" in f:
            w.append(t.actors_text.ilike(f"%{f['actor']}%"))
        if "min_fatalities" in f:
            w.append(t.fatalities_best >= int(f["min_fatalities"]))
        if "min_corroboration" in f:
            w.append(t.corroboration >= int(f["min_corroboration"]))
        if "conflict" in f:
            w.append(t.conflict.is_(bool(f["conflict"])))
        if "ids" in f:
            w.append(t.id.in_(list(f["ids"])))
        if "bbox" in f:
            x0, y0, x1, y1 = (float(v) for v in f["bbox"])
            w.append(sa.and_(t.lon >= x0, t.lon <= x1, t.lat >= y0, t.lat <= y1))
        if "text" in f:
            q = _fts_query(str(f["text"]))
            if dialect == "sqlite" and q:
                w.append(t.id.in_(sa.text("SELECT id FROM incidents_fts WHERE incidents_fts MATCH :fts").bindparams(fts=q)
                                  .columns(sa.column("id"))))
            else:
                for word in re.findall(r"\w+", str(f["text"])):
                    w.append(t.text.ilike(f"%{word}%"))
        return w

    def select(self, *cols: Any) -> sa.Select:
        q = sa.select(*(cols or (incidents,)))
        for cond in self.where(self._api._r.store.dialect):
            q = q.where(cond)
        return q

    # -- reading --------------------------------------------------------------------
    def count(self) -> int:
        with self._api._r.store.connect() as conn:
            return int(conn.execute(self.select(sa.func.count(incidents.c.id))).scalar_one())

    def page(self, offset: int = 0, limit: int = 50, order: str = "-fatalities", *, claims: bool = False) -> list[dict[str, Any]]:
        """One page of incidents, sorted server-side (``order``: a key of ORDERS, "-" for descending)."""
        desc = order.startswith("-")
        key = order.lstrip("-+")
        if key not in ORDERS:
            raise InputError(f"unknown order {order!r}", hint="one of " + ", ".join(ORDERS), code="R105")
        col = ORDERS[key]
        if desc:
            q = self.select().order_by(col.desc(), incidents.c.id.desc())
        else:
            q = self.select().order_by(col.asc(), incidents.c.id.asc())
        q = q.offset(max(0, int(offset))).limit(max(0, int(limit)))
        with self._api._r.store.connect() as conn:
            rows = [summary(r) for r in conn.execute(q)]
            if claims:
                self._api._attach_claims(conn, rows)
        return rows

    def __iter__(self) -> Iterator[dict[str, Any]]:
        """Every matching incident with its claims, in date order, read in batches."""
        with self._api._r.store.connect() as conn:
            ids = [r.id for r in conn.execute(self.select(incidents.c.id).order_by(incidents.c.sort_date, incidents.c.id))]
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                rows = {r.id: summary(r) for r in conn.execute(sa.select(incidents).where(incidents.c.id.in_(chunk)))}
                batch = [rows[x] for x in chunk if x in rows]
                self._api._attach_claims(conn, batch)
                yield from batch

    def to_dicts(self) -> list[dict[str, Any]]:
        return list(self)

    def to_jsonl(self, path: str | os.PathLike[str] | None = None) -> str | None:
        lines = (json.dumps(d, ensure_ascii=False, default=str) + "\n" for d in self)
        if path is None:
            return "".join(lines)
        with Path(path).open("w", encoding="utf-8") as f:
            f.writelines(lines)
        return None

    def to_pandas(self) -> "pd.DataFrame":
        """One row per incident, figures as ``fatalities_low`` ... columns (no claims)."""
        import pandas as pd

        with self._api._r.store.connect() as conn:
            rows = [summary(r) for r in conn.execute(self.select().order_by(incidents.c.sort_date, incidents.c.id))]
        flat = []
        for d in rows:
            d = dict(d)
            for f in FIGURES:
                v = d.pop(f) or {}
                for b in ("low", "best", "high"):
                    d[f"{f}_{b}"] = v.get(b)
            flat.append(d)
        return pd.DataFrame(flat)


class IncidentsAPI:
    """Incidents: claims grouped into events, with fused figures, review and export."""

    def __init__(self, r: "Reckon") -> None:
        self._r = r

    @property
    def options(self) -> ResolveOptions:
        """Resolver options; a ``Settings`` field ``incident_<name>`` overrides the default."""
        s = self._r.settings
        base = ResolveOptions()
        return ResolveOptions(**{
            name: type(getattr(base, name))(getattr(s, "incident_" + name, getattr(base, name)))
            for name in base.__dataclass_fields__
        })

    # -- resolution -------------------------------------------------------------------
    def resolve(self) -> ResolveResult:
        """Group every stored claim into incidents (idempotent; people's decisions are kept)."""
        t0 = time.perf_counter()
        started = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
        opts = self.options
        with self._r.store.transaction() as conn:
            res = resolve_all(conn, opts)
        out = ResolveResult(res["claims"], res["incidents"], res["multi_claim"], round(time.perf_counter() - t0, 3))
        self._r.record_run("resolve", started, opts.__dict__, out.__dict__)
        return out

    # -- reading ------------------------------------------------------------------------
    def __call__(self, **filters: Any) -> IncidentQuery:
        """Incidents matching filters (see FILTERS), as a lazy :class:`IncidentQuery`."""
        return IncidentQuery(self, filters)

    def count(self, **filters: Any) -> int:
        return IncidentQuery(self, filters).count()

    def resolve_id(self, ref: str) -> str:
        """The full id for an id or unique id prefix."""
        with self._r.store.connect() as conn:
            return review.find_incident(conn, ref)

    def get(self, ref: str) -> dict[str, Any]:
        """Everything about one incident: fused fields, each figure's explanation, every claim
        with its quote, spans and document, the decisions people took on it."""
        with self._r.store.connect() as conn:
            iid = review.find_incident(conn, ref)
            row = conn.execute(sa.select(incidents).where(incidents.c.id == iid)).one()
            d = summary(row)
            d["figures"] = row.figures or {}
            self._attach_claims(conn, [d])
            keys = {c["key"] for c in d["claims"]}
            d["decisions"] = [
                {"seq": r.seq, "at": r.at.isoformat(), "actor": r.actor, "kind": r.kind, "why": r.why,
                 "audit_seq": r.audit_seq, "payload": r.payload}
                for r in conn.execute(sa.select(incident_decisions).order_by(incident_decisions.c.seq))
                if keys & set((r.payload or {}).get("keys", []) + (r.payload or {}).get("a", []) + (r.payload or {}).get("b", [])
                              + (r.payload or {}).get("rest", []))
            ]
        return d

    def _attach_claims(self, conn: Any, rows: list[dict[str, Any]]) -> None:
        ids = [r["id"] for r in rows]
        links: dict[int, tuple[str, str, str]] = {}
        for lr in conn.execute(sa.select(incident_claims).where(incident_claims.c.incident_id.in_(ids))):
            links[lr.claim_id] = (lr.incident_id, lr.claim_key, lr.source)
        docs = {r.id: r for r in conn.execute(
            sa.select(claims.c.id, documents.c.title, documents.c.url, documents.c.date, documents.c.sha256)
            .join(documents, documents.c.id == claims.c.document_id).where(claims.c.id.in_(list(links))))}
        per: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
        if links:
            q = sa.select(claims).where(claims.c.id.in_(list(links))).order_by(claims.c.document_id, claims.c.seq)
            for c in repo.iter_claims(conn, q):
                assert c.id is not None
                iid, key, source = links[c.id]
                cd = c.to_dict()
                doc = docs[c.id]
                cd.update(key=key, source=source, document={
                    "doc": c.doc, "title": doc.title, "url": doc.url, "date": doc.date.isoformat() if doc.date else None,
                    "sha256": doc.sha256})
                per[iid].append(cd)
        for r in rows:
            r["claims"] = sorted(per.get(r["id"], []), key=lambda c: (c["document"]["date"] or "9999", c["doc"], c["quote_span"]))

    def timeline(self, **filters: Any) -> list[dict[str, Any]]:
        """Per day and event type: number of incidents and their summed best fatality figure."""
        q = IncidentQuery(self, filters)
        t = incidents.c
        sel = q.select(t.date_start, t.event_type, sa.func.count(t.id), sa.func.coalesce(sa.func.sum(t.fatalities_best), 0))
        sel = sel.where(t.date_start.is_not(None)).group_by(t.date_start, t.event_type).order_by(t.date_start, t.event_type)
        with self._r.store.connect() as conn:
            return [{"date": d.isoformat(), "event_type": e, "incidents": int(n), "fatalities_best": int(s)}
                    for d, e, n, s in conn.execute(sel)]

    def map_points(self, filters: dict[str, Any] | None = None, zoom: int = 4) -> list[dict[str, Any]]:
        """Located incidents clustered on a grid that gets finer with the map ``zoom`` (0-18):
        one point per cell with its count, mean position, summed best fatalities, and the
        incident id when the cell holds one incident."""
        q = IncidentQuery(self, dict(filters or {}))
        size = 360.0 / (2 ** max(0, min(int(zoom), 22))) / 4.0
        t = incidents.c
        if self._r.store.dialect == "sqlite":
            gx = sa.cast((t.lon + 180.0) / size, sa.Integer)
            gy = sa.cast((t.lat + 90.0) / size, sa.Integer)
        else:
            gx = sa.func.floor((t.lon + 180.0) / size)
            gy = sa.func.floor((t.lat + 90.0) / size)
        sel = q.select(gx.label("gx"), gy.label("gy"), sa.func.count(t.id), sa.func.avg(t.lat), sa.func.avg(t.lon),
                       sa.func.coalesce(sa.func.sum(t.fatalities_best), 0), sa.func.min(t.id),
                       sa.func.min(t.lon), sa.func.min(t.lat), sa.func.max(t.lon), sa.func.max(t.lat))
        sel = sel.where(t.lat.is_not(None), t.lon.is_not(None)).group_by("gx", "gy").order_by("gx", "gy")
        with self._r.store.connect() as conn:
            return [{"lat": lat, "lon": lon, "count": int(n), "fatalities_best": int(s), "id": first if n == 1 else None,
                     "bbox": [x0, y0, x1, y1]}
                    for _gx, _gy, n, lat, lon, s, first, x0, y0, x1, y1 in conn.execute(sel)]

    def decisions(self) -> list[dict[str, Any]]:
        """People's decisions on incidents, oldest first."""
        with self._r.store.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(sa.select(incident_decisions).order_by(incident_decisions.c.seq))]

    # -- review ---------------------------------------------------------------------------
    def merge(self, a: str, b: str, why: str) -> str:
        """Make two incidents one (recorded, audited, kept by later resolves); the merged id."""
        with self._r.store.transaction() as conn:
            return review.merge(conn, a, b, why, actor=self._r.settings.actor, opts=self.options)

    def split(self, ref: str, claim_ids: Sequence[int | str], why: str) -> tuple[str, str]:
        """Move some claims (row ids or claim keys) into a new incident; (remaining id, new id)."""
        with self._r.store.transaction() as conn:
            return review.split(conn, ref, claim_ids, why, actor=self._r.settings.actor, opts=self.options)

    def edit(self, ref: str, field: str, value: Any, why: str) -> dict[str, Any]:
        """Set one field (see ``review.EDITABLE``) by hand; returns the incident."""
        with self._r.store.transaction() as conn:
            iid = review.edit(conn, ref, field, value, why, actor=self._r.settings.actor, opts=self.options)
        return self.get(iid)

    # -- export -------------------------------------------------------------------------
    def export(self, format: str, path: str | os.PathLike[str], **filters: Any) -> int:  # noqa: A002
        """Write matching incidents with a registered exporter; returns how many were written."""
        from .export import EXPORTERS

        return EXPORTERS.get(format)(IncidentQuery(self, filters), Path(path))

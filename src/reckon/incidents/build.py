"""Reading claims for resolution and writing incidents back (the database side of resolve)."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from functools import lru_cache
from typing import Any, Iterable, Sequence
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..ingest.fingerprint import jaccard, shingles
from ..store.schema import claim_locations, claims, documents
from .fuse import fuse_incident, source_name
from .resolve import Constraints, Facts, ResolveOptions, claim_key, fold_name, group_claims, incident_id, place_keys
from .tables import FIGURES, incident_claims, incident_decisions, incidents

__all__ = ["load_facts", "load_decisions", "Decisions", "resolve_all", "rebuild_groups", "write_incidents"]

COUNTS = ("fatalities", "injured", "displaced")
_WORDS = re.compile(r"\w+", re.UNICODE)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)


def load_facts(conn: Connection, claim_ids: Iterable[int] | None = None) -> list[Facts]:
    """Facts for all stored claims (or the given ones), with their quotes and locations."""
    c, d = claims, documents
    quote = sa.func.substr(d.c.text, c.c.quote_start + 1, c.c.quote_end - c.c.quote_start).label("quote")
    cols = [
        c.c.id, c.c.document_id, c.c.seq, c.c.event_type, c.c.sub_event_type, c.c.date_start, c.c.date_end,
        c.c.actor1, c.c.actor2, c.c.actor1_canonical, c.c.actor2_canonical, c.c.reported_by,
        c.c.quote_start, c.c.quote_end, c.c.confidence,
        *[getattr(c.c, f"{f}_{b}") for f in COUNTS for b in ("min", "max")], *[getattr(c.c, f"has_{f}") for f in COUNTS],
        d.c.sha256, d.c.date.label("doc_date"), d.c.doc, d.c.url, d.c.title, quote,
    ]
    base = sa.select(*cols).join(d, d.c.id == c.c.document_id)
    loc_q = sa.select(claim_locations).order_by(claim_locations.c.claim_id, claim_locations.c.seq)
    ids = None if claim_ids is None else sorted(set(claim_ids))
    rows: list[Any] = []
    locs: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if ids is None:
        rows = list(conn.execute(base.order_by(c.c.document_id, c.c.seq)))
        for lr in conn.execute(loc_q):
            locs[lr.claim_id].append(_loc(lr))
    else:
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            rows.extend(conn.execute(base.where(c.c.id.in_(chunk))))
            for lr in conn.execute(loc_q.where(claim_locations.c.claim_id.in_(chunk))):
                locs[lr.claim_id].append(_loc(lr))
        rows.sort(key=lambda r: (r.document_id, r.seq))
    out: list[Facts] = []
    seen: dict[str, int] = {}
    for r in rows:
        ls = locs.get(r.id, [])
        key = claim_key(r.sha256, r.quote_start, r.quote_end, ls[0]["name"] if ls else None)
        if key in seen:  # the same quote and place twice in one document: number them in document order
            seen[key] += 1
            key = claim_key(r.sha256, r.quote_start, r.quote_end, f"{ls[0]['name'] if ls else ''}#{seen[key]}")
        else:
            seen[key] = 0
        places, pids, areas, area_only, point, admin1 = place_keys(ls)
        words = _WORDS.findall((r.quote or "").lower())
        counts = {
            f: (getattr(r, f"{f}_min") or 0, getattr(r, f"{f}_max")) for f in COUNTS if getattr(r, f"has_{f}")
        }
        a1 = r.actor1_canonical or r.actor1
        out.append(Facts(
            key=key, claim_id=r.id, document_id=r.document_id, doc_sha=r.sha256, doc_date=r.doc_date,
            event_type=r.event_type, sub_event_type=r.sub_event_type, date_start=r.date_start, date_end=r.date_end,
            places=places, pids=pids, areas=areas, area_only=area_only, point=point, admin1=admin1,
            actor1=fold_name(a1) if a1 else None,
            fatalities=counts.get("fatalities"),
            sort_key=(r.doc_date.isoformat() if r.doc_date else "9999-12-31", r.sha256, r.quote_start, r.quote_end, key),
            extra={
                "doc": r.doc, "url": r.url, "title": r.title, "quote": r.quote or "", "locations": ls,
                "actor1": r.actor1, "actor2": r.actor2, "actor1_canonical": r.actor1_canonical,
                "actor2_canonical": r.actor2_canonical, "reported_by": list(r.reported_by or ()), "counts": counts,
                "quote_key": " ".join(words) if len(words) >= 8 else None,
            },
        ))
    return out


def _loc(lr: Any) -> dict[str, Any]:
    return {
        "name": lr.name, "admin1": lr.admin1, "country": lr.country, "admin2": lr.admin2, "lat": lr.lat, "lon": lr.lon,
        "place_id": lr.place_id, "geo_precision": lr.geo_precision, "status": lr.status, "kind": lr.kind,
    }


# -- decisions ------------------------------------------------------------------
class Decisions:
    """People's decisions, replayed in order: link constraints and field edits."""

    def __init__(self, rows: Sequence[Any]) -> None:
        self.constraints = Constraints()
        self.edits: list[dict[str, Any]] = []
        for r in rows:
            p = r.payload or {}
            if r.kind == "merge":
                self.constraints.must(list(p.get("a", [])) + list(p.get("b", [])))
            elif r.kind == "split":
                self.constraints.must(p.get("keys", []))
                self.constraints.cannot(p.get("keys", []), p.get("rest", []))
            elif r.kind == "edit":
                self.edits.append({"seq": r.seq, "keys": list(p.get("keys", [])), "field": p["field"],
                                   "value": p.get("value"), "actor": r.actor, "at": r.at, "why": r.why})


def load_decisions(conn: Connection) -> Decisions:
    return Decisions(list(conn.execute(sa.select(incident_decisions).order_by(incident_decisions.c.seq))))


# -- sources ----------------------------------------------------------------------
@lru_cache(maxsize=100_000)
def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        h = urlsplit(url).hostname
    except ValueError:
        return None
    if not h:
        return None
    return h[4:] if h.startswith("www.") else h


def document_sources(
    conn: Connection, groups: Sequence[Sequence[Facts]], opts: ResolveOptions
) -> dict[int, str]:
    """Document id -> its source: documents from one web host, or copies of one story, are one source."""
    parent: dict[int, int] = {}

    def find(i: int) -> int:
        while parent.setdefault(i, i) != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    info: dict[int, tuple[str, str | None, str]] = {}
    for g in groups:
        for f in g:
            info.setdefault(f.document_id, (f.extra.get("doc") or str(f.document_id), _host(f.extra.get("url")), f.doc_sha))
    by_host: dict[str, int] = {}
    for did, (_, host, _) in info.items():
        find(did)
        if host:
            if host in by_host:
                union(did, by_host[host])
            else:
                by_host[host] = did
    multi = [sorted({f.document_id for f in g}) for g in groups]
    multi = [m for m in multi if len(m) > 1]
    need = sorted({d for m in multi for d in m})
    sh: dict[int, set[int]] = {}
    for i in range(0, len(need), 200):
        chunk = need[i : i + 200]
        for r in conn.execute(sa.select(documents.c.id, documents.c.text).where(documents.c.id.in_(chunk))):
            sh[r.id] = shingles(r.text)
    for m in multi:
        for i, a in enumerate(m):
            for b in m[i + 1 :]:
                if find(a) != find(b) and jaccard(sh.get(a, set()), sh.get(b, set())) >= opts.copy_jaccard:
                    union(a, b)
    members: dict[int, list[int]] = defaultdict(list)
    for did in info:
        members[find(did)].append(did)
    out: dict[int, str] = {}
    for ms in members.values():
        label = min((info[m][1] or info[m][0]) for m in ms)
        for m in ms:
            out[m] = label
    return out


# -- building incidents --------------------------------------------------------
def rebuild_groups(
    conn: Connection, groups: list[list[Facts]], decisions: Decisions, opts: ResolveOptions, now: dt.datetime
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Incident rows and incident-claim rows for the given groups of claims."""
    from .review import apply_edit

    doc_src = document_sources(conn, groups, opts)
    rows: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    used: set[str] = set()
    where: dict[str, int] = {}
    for gi, g in enumerate(groups):
        for f in g:
            where[f.key] = gi
    fused: list[dict[str, Any]] = []
    for g in groups:
        sources = {f.key: source_name(f.extra.get("reported_by", ()), doc_src[f.document_id]) for f in g}
        row = fuse_incident(g, sources, opts.best_rule)
        anchor = g[0].key
        iid = incident_id(anchor)
        n = 0
        while iid in used:  # a 48-bit collision: practically never
            n += 1
            iid = incident_id(f"{anchor}#{n}")
        used.add(iid)
        row.update(id=iid, anchor=anchor, edited={}, resolved_at=now)
        fused.append(row)
        links.extend({"incident_id": iid, "claim_key": f.key, "claim_id": f.claim_id, "source": sources[f.key][:200]} for f in g)
    for e in decisions.edits:
        hits: dict[int, int] = defaultdict(int)
        for k in e["keys"]:
            if k in where:
                hits[where[k]] += 1
        if not hits:
            continue
        gi = sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        apply_edit(fused[gi], e["field"], e["value"], actor=e["actor"], why=e["why"], at=e["at"])
    rows.extend(fused)
    return rows, links


def write_incidents(conn: Connection, rows: list[dict[str, Any]], links: list[dict[str, Any]],
                    replace: Sequence[str] | None = None) -> None:
    """Store incidents: all of them (``replace`` None) or in place of the given incident ids."""
    fts = conn.dialect.name == "sqlite"
    if replace is None:
        conn.execute(incident_claims.delete())
        conn.execute(incidents.delete())
        if fts:
            conn.execute(sa.text("DELETE FROM incidents_fts"))
    else:
        gone = sorted(set(replace) | {r["id"] for r in rows})
        for i in range(0, len(gone), 500):
            chunk = gone[i : i + 500]
            conn.execute(incident_claims.delete().where(incident_claims.c.incident_id.in_(chunk)))
            conn.execute(incidents.delete().where(incidents.c.id.in_(chunk)))
            if fts:
                conn.execute(sa.text("DELETE FROM incidents_fts WHERE id IN :ids").bindparams(
                    sa.bindparam("ids", expanding=True)), {"ids": chunk})
    cols = {c.name for c in incidents.columns}
    for r in rows:
        r["sort_date"] = r.get("date_start") or r.get("date_end") or dt.date(9999, 12, 31)
        r["sort_fatalities"] = -1 if r.get("fatalities_best") is None else r["fatalities_best"]
    for i in range(0, len(rows), 2000):
        chunk = rows[i : i + 2000]
        conn.execute(incidents.insert(), [{k: v for k, v in r.items() if k in cols} for r in chunk])
        if fts:
            conn.execute(sa.text("INSERT INTO incidents_fts (id, text, places) VALUES (:id, :text, :places)"),
                         [{"id": r["id"], "text": r.get("text") or "",
                           "places": " ".join(str(r.get(k) or "") for k in ("places_text", "admin1", "admin2"))}
                          for r in chunk])
    for i in range(0, len(links), 5000):
        conn.execute(incident_claims.insert(), links[i : i + 5000])


def resolve_all(conn: Connection, opts: ResolveOptions) -> dict[str, int]:
    """Regroup every stored claim into incidents, honouring people's decisions."""
    facts = load_facts(conn)
    decisions = load_decisions(conn)
    idx_groups = group_claims(facts, opts, decisions.constraints)
    groups = [[facts[i] for i in g] for g in idx_groups]
    rows, links = rebuild_groups(conn, groups, decisions, opts, _now())
    write_incidents(conn, rows, links)
    return {"claims": len(facts), "incidents": len(rows), "multi_claim": sum(1 for g in groups if len(g) > 1)}


def figure_columns() -> list[str]:
    return [f"{f}_{b}" for f in FIGURES for b in ("low", "best", "high")]

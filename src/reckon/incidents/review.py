"""People's review of incidents: merge, split and edit, each with a reason.

A decision is stored twice in one transaction: as a row of ``incident_decisions``
(in terms of stable claim keys, so it survives re-extraction and new ingests and
is replayed by every later resolve) and as an event of the hash-chained audit log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import InputError, NotFoundError, ReckonError
from ..model import EVENT_TYPES, SUB_EVENT_TYPES
from ..store import audit
from .build import load_decisions, load_facts, rebuild_groups, write_incidents
from .resolve import ResolveOptions
from .tables import incident_claims, incident_decisions, incidents

__all__ = ["EDITABLE", "parse_edit", "apply_edit", "find_incident", "merge", "split", "edit"]

#: fields a person can set on an incident, with what they take
EDITABLE: dict[str, str] = {
    "event_type": "one of " + ", ".join(EVENT_TYPES),
    "sub_event_type": "an ACLED sub-event type in snake_case",
    "date": "YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD",
    "date_start": "YYYY-MM-DD (empty to clear)",
    "date_end": "YYYY-MM-DD (empty to clear)",
    "location": "place name",
    "admin1": "governorate / province",
    "admin2": "district",
    "country": "ISO 3166 alpha-2 code",
    "lat": "latitude in degrees",
    "lon": "longitude in degrees",
    "geo_precision": "1, 2 or 3",
    "actor1": "perpetrator / initiator",
    "actor2": "target / other side",
    "fatalities": "N, LOW-HIGH, or LOW,BEST,HIGH",
    "injured": "N, LOW-HIGH, or LOW,BEST,HIGH",
    "displaced": "N, LOW-HIGH, or LOW,BEST,HIGH",
    "notes": "free text kept with the incident (exported as ACLED notes)",
}

ALL_SUBS = {s for subs in SUB_EVENT_TYPES.values() for s in subs}


def _date(value: str, field: str) -> str | None:
    v = value.strip()
    if not v:
        return None
    try:
        return dt.date.fromisoformat(v).isoformat()
    except ValueError:
        raise InputError(f"{v!r} is not a date", field=field, hint="use YYYY-MM-DD", code="R310") from None


def parse_edit(field: str, value: Any) -> Any:
    """Check and normalise a value for ``field``; raises InputError with a hint."""
    if field not in EDITABLE:
        raise InputError(f"cannot edit {field!r}", field=field, hint="editable: " + ", ".join(EDITABLE), code="R311")
    raw = "" if value is None else str(value).strip()
    if field == "event_type":
        if raw not in EVENT_TYPES:
            raise InputError(f"unknown event type {raw!r}", field=field, hint=EDITABLE[field], code="R312")
        return raw
    if field == "sub_event_type":
        if raw not in ALL_SUBS:
            raise InputError(f"unknown sub-event type {raw!r}", field=field, hint=", ".join(sorted(ALL_SUBS)), code="R312")
        return raw
    if field in ("date_start", "date_end"):
        return _date(raw, field)
    if field == "date":
        a, _, b = raw.partition("..")
        ds, de = _date(a, field), _date(b or a, field)
        if ds and de and de < ds:
            raise InputError(f"{raw!r}: end before start", field=field, code="R310")
        return [ds, de]
    if field in ("lat", "lon"):
        try:
            x = float(raw)
        except ValueError:
            raise InputError(f"{raw!r} is not a number", field=field, code="R313") from None
        if not (-90 <= x <= 90 if field == "lat" else -180 <= x <= 180):
            raise InputError(f"{x} is out of range", field=field, code="R313")
        return x
    if field == "geo_precision":
        if raw not in ("1", "2", "3"):
            raise InputError(f"{raw!r} is not 1, 2 or 3", field=field, code="R313")
        return int(raw)
    if field == "country":
        if len(raw) != 2 or not raw.isalpha():
            raise InputError(f"{raw!r} is not an ISO alpha-2 code", field=field, code="R313")
        return raw.upper()
    if field in ("fatalities", "injured", "displaced"):
        try:
            if "," in raw:
                lo, best, hi = (int(x) for x in raw.split(","))
            elif "-" in raw.strip("-"):
                a, b = raw.split("-", 1)
                lo, hi = int(a), int(b)
                best = lo
            else:
                lo = best = hi = int(raw)
        except ValueError:
            raise InputError(f"{raw!r} is not a figure", field=field, hint=EDITABLE[field], code="R314") from None
        if not (0 <= lo <= best <= hi):
            raise InputError(f"{raw!r}: need 0 <= low <= best <= high", field=field, code="R314")
        return [lo, best, hi]
    return raw or None


def apply_edit(row: dict[str, Any], field: str, value: Any, *, actor: str, why: str, at: Any) -> None:
    """Set a person's value on a fused incident row, keeping what the automatic fusion said."""
    if not isinstance(value, list):  # lists are already normalised (figures, date ranges)
        value = parse_edit(field, value)
    when = at.isoformat() if hasattr(at, "isoformat") else str(at)
    note = {"value": value, "by": actor, "at": when, "why": why}
    edited = dict(row.get("edited") or {})
    if field in ("fatalities", "injured", "displaced"):
        note["was"] = [row.get(f"{field}_{b}") for b in ("low", "best", "high")]
        for b, v in zip(("low", "best", "high"), value):
            row[f"{field}_{b}"] = v
        figs = dict(row.get("figures") or {})
        fig = dict(figs.get(field) or {})
        fig.update(low=value[0], best=value[1], high=value[2], rule=f"set by {actor}: {why}",
                   auto={k: fig.get(k) for k in ("low", "best", "high", "rule")})
        figs[field] = fig
        row["figures"] = figs
    elif field == "date":
        note["was"] = [_iso(row.get("date_start")), _iso(row.get("date_end"))]
        row["date_start"] = dt.date.fromisoformat(value[0]) if value[0] else None
        row["date_end"] = dt.date.fromisoformat(value[1]) if value[1] else None
    elif field in ("date_start", "date_end"):
        note["was"] = _iso(row.get(field))
        row[field] = dt.date.fromisoformat(value) if value else None
    elif field == "notes":
        note["was"] = (row.get("edited") or {}).get("notes", {}).get("value")
    else:
        note["was"] = row.get(field)
        row[field] = value
    if field in ("date", "date_start", "date_end"):
        from .fuse import time_precision

        row["time_precision"] = time_precision(row.get("date_start"), row.get("date_end"))
    edited[field] = note
    row["edited"] = edited


def _iso(d: Any) -> str | None:
    return d.isoformat() if d else None


def find_incident(conn: Connection, ref: str) -> str:
    """The full id of an incident given its id or a unique prefix of it."""
    ref = (ref or "").strip().lower()
    if not ref:
        raise NotFoundError("no incident id given", code="R201")
    exact = conn.execute(sa.select(incidents.c.id).where(incidents.c.id == ref)).first()
    if exact:
        return exact.id
    hits = [r.id for r in conn.execute(sa.select(incidents.c.id).where(incidents.c.id.like(ref + "%")).limit(3))]
    if len(hits) == 1:
        return hits[0]
    if not hits:
        raise NotFoundError(f"no incident {ref!r}", hint="list them with: reckon incidents", code="R201")
    raise NotFoundError(f"{ref!r} names several incidents ({', '.join(hits)}, ...)", hint="give more characters", code="R201")


def _members(conn: Connection, iid: str) -> list[tuple[str, int]]:
    return [(r.claim_key, r.claim_id) for r in conn.execute(
        sa.select(incident_claims.c.claim_key, incident_claims.c.claim_id)
        .where(incident_claims.c.incident_id == iid).order_by(incident_claims.c.claim_key))]


def _record(conn: Connection, actor: str, kind: str, target: str, payload: dict[str, Any], why: str) -> None:
    if not why or not why.strip():
        raise ReckonError("every change needs a reason", hint="give --why", code="R302")
    ev = audit.append(conn, actor=actor, action=f"incident.{kind}", target=target, payload=payload, why=why)
    conn.execute(incident_decisions.insert().values(at=ev.at, actor=actor, kind=kind, target=target[:64],
                                                    payload=payload, why=why, audit_seq=ev.seq))


def _rebuild(conn: Connection, claim_groups: Sequence[Sequence[int]], replace: Sequence[str], opts: ResolveOptions) -> list[str]:
    facts = {f.claim_id: f for f in load_facts(conn, [c for g in claim_groups for c in g])}
    groups = [sorted((facts[c] for c in g if c in facts), key=lambda f: f.sort_key) for g in claim_groups]
    groups = [g for g in groups if g]
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    rows, links = rebuild_groups(conn, groups, load_decisions(conn), opts, now)
    write_incidents(conn, rows, links, replace=replace)
    return [r["id"] for r in rows]


def merge(conn: Connection, a: str, b: str, why: str, *, actor: str, opts: ResolveOptions) -> str:
    """Make incidents ``a`` and ``b`` one; returns the merged incident's id."""
    a, b = find_incident(conn, a), find_incident(conn, b)
    if a == b:
        raise InputError(f"{a} and {b} are the same incident", code="R315")
    ma, mb = _members(conn, a), _members(conn, b)
    _record(conn, actor, "merge", f"{a}+{b}", {"incidents": [a, b], "a": [k for k, _ in ma], "b": [k for k, _ in mb]}, why)
    return _rebuild(conn, [[c for _, c in ma + mb]], [a, b], opts)[0]


def split(conn: Connection, iid: str, claim_refs: Sequence[int | str], why: str, *, actor: str,
          opts: ResolveOptions) -> tuple[str, str]:
    """Move the given claims (row ids or claim keys) of an incident into a new incident;
    returns (id of what remains, id of the new incident)."""
    iid = find_incident(conn, iid)
    members = _members(conn, iid)
    by_id = {c: k for k, c in members}
    keys = {k for k, _ in members}
    chosen: set[str] = set()
    for ref in claim_refs:
        s = str(ref).strip()
        if s.isdigit() and int(s) in by_id:
            chosen.add(by_id[int(s)])
        elif s in keys:
            chosen.add(s)
        else:
            raise InputError(f"claim {s} is not part of incident {iid}", hint=f"reckon incident {iid} lists its claims",
                             code="R316")
    if not chosen or chosen == keys:
        raise InputError("a split needs some, but not all, of the incident's claims", code="R316")
    rest = sorted(keys - chosen)
    _record(conn, actor, "split", iid, {"incident": iid, "keys": sorted(chosen), "rest": rest}, why)
    ids = _rebuild(conn, [[c for k, c in members if k not in chosen], [c for k, c in members if k in chosen]], [iid], opts)
    return ids[0], ids[1]


def edit(conn: Connection, iid: str, field: str, value: Any, why: str, *, actor: str, opts: ResolveOptions) -> str:
    """Set one field of an incident by hand; later resolves keep it."""
    iid = find_incident(conn, iid)
    norm = parse_edit(field, value)
    members = _members(conn, iid)
    _record(conn, actor, "edit", iid, {"incident": iid, "keys": [k for k, _ in members], "field": field,
                                       "value": norm}, why)
    return _rebuild(conn, [[c for _, c in members]], [iid], opts)[0]

"""The review queue: scored pairs a person should look at, and their decisions.

A pair is named by its two record ids, smaller first: ``"12-34"``. A decision
(same person or not) is stored in ``victim_decisions`` and the audit log in one
transaction; :func:`reckon.victims.link.cluster` honours it on every later run.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import InputError, NotFoundError
from ..store import audit
from .tables import victim_decisions, victim_pairs, victim_records

__all__ = ["ReviewPair", "parse_pair", "pair_name", "queue", "record_decision", "decisions"]


@dataclass(frozen=True)
class ReviewPair:
    """Two records the model is unsure about, with the match weight each field gave."""

    pair: str
    record_l: int
    record_r: int
    match_probability: float
    match_weight: float
    weights: dict[str, float]
    status: str

    def __repr__(self) -> str:
        return f"<ReviewPair {self.pair} p={self.match_probability:.2f} {self.status}>"


def pair_name(a: int, b: int) -> str:
    lo, hi = sorted((int(a), int(b)))
    return f"{lo}-{hi}"


def parse_pair(pair: str | tuple[int, int] | list[int]) -> tuple[int, int]:
    """``"12-34"``, ``"12,34"``, ``(34, 12)`` -> ``(12, 34)``."""
    if isinstance(pair, (tuple, list)):
        if len(pair) != 2:
            raise InputError(f"a pair is two record ids, not {pair!r}", code="R141")
        a, b = int(pair[0]), int(pair[1])
    else:
        m = re.fullmatch(r"\s*(\d+)\s*[-,:/ ]\s*(\d+)\s*", str(pair))
        if not m:
            raise InputError(f"{pair!r} is not a pair of record ids", hint='write it as "12-34"', code="R141")
        a, b = int(m.group(1)), int(m.group(2))
    if a == b:
        raise InputError("a pair needs two different records", code="R141")
    return (a, b) if a < b else (b, a)


def queue(conn: Connection, *, include_decided: bool = False) -> list[ReviewPair]:
    statuses = ["review", "decided"] if include_decided else ["review"]
    q = (sa.select(victim_pairs).where(victim_pairs.c.status.in_(statuses))
         .order_by(sa.func.abs(victim_pairs.c.match_probability - 0.5), victim_pairs.c.record_l))
    return [ReviewPair(pair_name(r.record_l, r.record_r), r.record_l, r.record_r, r.match_probability,
                       r.match_weight, dict(r.weights or {}), r.status) for r in conn.execute(q)]


def decisions(conn: Connection) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(pairs decided same, pairs decided different)."""
    same: list[tuple[int, int]] = []
    different: list[tuple[int, int]] = []
    for r in conn.execute(sa.select(victim_decisions.c.record_l, victim_decisions.c.record_r, victim_decisions.c.same)):
        (same if r.same else different).append((r.record_l, r.record_r))
    return same, different


def record_decision(conn: Connection, pair: tuple[int, int], same: bool, *, actor: str, why: str) -> dict[str, Any]:
    """Store one decision and its audit event inside the caller's transaction."""
    a, b = pair
    found = {r.id: r for r in conn.execute(sa.select(victim_records.c.id, victim_records.c.source,
                                                     victim_records.c.record_id).where(victim_records.c.id.in_([a, b])))}
    missing = [x for x in (a, b) if x not in found]
    if missing:
        raise NotFoundError(f"no victim record {missing[0]}", hint="see `reckon victims --format jsonl` for ids")
    payload = {
        "pair": pair_name(a, b), "same": same,
        "records": [{"id": x, "source": found[x].source, "record_id": found[x].record_id} for x in (a, b)],
    }
    prev = conn.execute(sa.select(victim_decisions.c.same).where(
        victim_decisions.c.record_l == a, victim_decisions.c.record_r == b)).first()
    if prev is not None:
        payload["previous"] = "same" if prev.same else "different"
    audit.append(conn, actor=actor, action="victims.decide", target=f"victim-pair:{pair_name(a, b)}",
                 payload=payload, why=why)
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    conn.execute(victim_decisions.delete().where(victim_decisions.c.record_l == a, victim_decisions.c.record_r == b))
    conn.execute(victim_decisions.insert().values(record_l=a, record_r=b, same=same, actor=actor, why=why, decided_at=now))
    conn.execute(victim_pairs.update().where(victim_pairs.c.record_l == a, victim_pairs.c.record_r == b)
                 .values(status="decided"))
    return payload

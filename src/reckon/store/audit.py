"""Append-only, hash-chained audit log of people's decisions.

Each event stores the hash of the event before it; its own hash covers every
field and that previous hash, so editing, deleting or reordering any row breaks
the chain from that row on, and :func:`verify` says where.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any, Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import ReckonError
from .schema import audit_log

GENESIS = "0" * 64

__all__ = ["AuditEvent", "append", "events", "verify"]


@dataclass(frozen=True)
class AuditEvent:
    seq: int
    at: dt.datetime
    actor: str
    action: str
    target: str
    payload: dict[str, Any]
    why: str
    prev_hash: str
    hash: str


def _digest(seq: int, at: dt.datetime, actor: str, action: str, target: str, payload: Any, why: str, prev: str) -> str:
    body = json.dumps(
        [seq, at.replace(microsecond=at.microsecond).isoformat(), actor, action, target, payload, why, prev],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def append(conn: Connection, *, actor: str, action: str, target: str, payload: dict[str, Any], why: str) -> AuditEvent:
    """Record one decision inside the caller's transaction."""
    if not why or not why.strip():
        raise ReckonError("every change needs a reason", hint="give --why", code="R302")
    last = conn.execute(sa.select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)).first()
    seq = (last.seq + 1) if last else 1
    prev = last.hash if last else GENESIS
    at = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    payload = json.loads(json.dumps(payload, default=str))  # what is stored is what is hashed
    h = _digest(seq, at, actor, action, target, payload, why, prev)
    conn.execute(
        audit_log.insert().values(
            seq=seq, at=at, actor=actor, action=action, target=target, payload=payload, why=why, prev_hash=prev, hash=h
        )
    )
    return AuditEvent(seq, at, actor, action, target, payload, why, prev, h)


def events(conn: Connection, *, action: str | None = None, target: str | None = None) -> Iterator[AuditEvent]:
    q = sa.select(audit_log).order_by(audit_log.c.seq)
    if action:
        q = q.where(audit_log.c.action.like(action.replace("*", "%")))
    if target:
        q = q.where(audit_log.c.target == target)
    for r in conn.execute(q):
        yield AuditEvent(r.seq, r.at, r.actor, r.action, r.target, r.payload, r.why, r.prev_hash, r.hash)


def verify(conn: Connection) -> list[str]:
    """Problems found in the chain; an empty list means it is intact."""
    problems: list[str] = []
    prev = GENESIS
    expected_seq = 1
    for ev in events(conn):
        if ev.seq != expected_seq:
            problems.append(f"audit row {ev.seq}: expected row {expected_seq} (a row was deleted or inserted)")
        if ev.prev_hash != prev:
            problems.append(f"audit row {ev.seq}: does not follow the row before it (chain broken)")
        if _digest(ev.seq, ev.at, ev.actor, ev.action, ev.target, ev.payload, ev.why, ev.prev_hash) != ev.hash:
            problems.append(f"audit row {ev.seq}: content does not match its hash (edited after it was written)")
        prev = ev.hash
        expected_seq = ev.seq + 1
    return problems

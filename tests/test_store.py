"""The store: migrations, transactions, the audit chain."""

from __future__ import annotations

import sqlalchemy as sa
import pytest

import reckon
from reckon.store import Store, audit
from reckon.errors import ReckonError, StoreError


def test_fresh_database_is_at_every_head(db_path):
    s = Store.open(db_path)
    current, heads = s.schema_heads()
    assert heads and current == heads
    names = set(sa.inspect(s.engine).get_table_names())
    assert {"documents", "claims", "claim_locations", "audit_log", "runs"} <= names


def test_reopening_does_not_migrate_again(db_path):
    Store.open(db_path).close()
    s = Store.open(db_path)
    current, heads = s.schema_heads()
    assert current == heads


def test_not_a_database_gives_store_error(tmp_path):
    p = tmp_path / "junk.db"
    p.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError):
        Store.open(p)


def test_audit_chain_detects_edits(r):
    with r.store.transaction() as conn:
        audit.append(conn, actor="ana", action="incident.merge", target="incident:1", payload={"into": 2}, why="same village, same night")
        audit.append(conn, actor="ben", action="place.set", target="mention:Sharifa", payload={"place": "gn:1"}, why="checked map")
    assert r.audit_verify() == []
    with r.store.transaction() as conn:
        conn.execute(sa.text("UPDATE audit_log SET why = 'nothing to see' WHERE seq = 1"))
    problems = r.audit_verify()
    assert problems and "row 1" in problems[0]


def test_audit_needs_a_reason(r):
    with pytest.raises(ReckonError):
        with r.store.transaction() as conn:
            audit.append(conn, actor="ana", action="x", target="y", payload={}, why="  ")
    assert r.audit_log() == []


def test_database_from_an_older_release_opens_and_keeps_its_data(tmp_path):
    """A database at the first core revision (as an early release made it) is upgraded in place."""
    import datetime as dt

    from alembic import command

    path = tmp_path / "old.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    s = Store(engine)
    with engine.begin() as conn:
        command.upgrade(s._alembic_config(conn), "core_0001")
        conn.execute(sa.text(
            "INSERT INTO documents (sha256, doc, text, n_words, ingested_at) VALUES ('ab', 'old', 'Five killed in Goma.', 4, :t)"),
            {"t": dt.datetime(2024, 1, 1)})
    engine.dispose()
    r = reckon.open(path)
    current, heads = r.store.schema_heads()
    assert current == heads and len(heads) > 1
    assert [d.doc for d in r.documents()] == ["old"]
    r.close()

"""One suite, every backend: the core flow on SQLite and, when a server is given, PostgreSQL.

CI (.ci/run) starts PostgreSQL and sets RECKON_TEST_POSTGRES; elsewhere the PostgreSQL
cases skip with that reason.
"""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa

import reckon
import reckon.store.audit
from reckon.store import Store

PG = os.environ.get("RECKON_TEST_POSTGRES")

REPORT = ("date: 2025-02-03\n\nMilitants killed at least nine villagers in Tillia on Sunday and wounded four others, "
          "local officials said. Hundreds of residents fled to Tahoua.\n")


@pytest.fixture(params=["sqlite", "postgres"])
def backend_url(request, tmp_path):
    if request.param == "sqlite":
        yield str(tmp_path / "b.db")
        return
    if not PG:
        pytest.skip("no PostgreSQL server: set RECKON_TEST_POSTGRES (CI does)")
    schema_db = f"reckon_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(sa.text(f'CREATE DATABASE "{schema_db}"'))
    url = PG.rsplit("/", 1)[0] + "/" + schema_db
    yield url
    sa.create_engine(url).dispose()
    with admin.connect() as c:
        c.execute(sa.text(f'DROP DATABASE IF EXISTS "{schema_db}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.postgres
def test_core_flow_on_backend(backend_url, write):
    r = reckon.open(backend_url)
    assert r.ingest([write("tillia.txt", REPORT)]).added == 1
    assert r.ingest([write("copy.txt", REPORT)]).duplicates == 1
    r.extract()
    claims = list(r.claims())
    assert claims and claims[0].fatalities.min == 9 and claims[0].quote.startswith("Militants killed")
    with r.store.transaction() as conn:
        reckon.store.audit.append(conn, actor="t", action="test", target="x", payload={"a": 1}, why="backend check")
    assert r.audit_verify() == []
    r.close()


@pytest.mark.postgres
def test_failed_batch_leaves_nothing_behind(backend_url):
    s = Store.open(backend_url)
    docs = s.table("documents")
    with pytest.raises(RuntimeError):
        with s.transaction() as conn:
            conn.execute(docs.insert().values(sha256="a" * 64, doc="a", text="x", n_words=1, ingested_at=sa.func.now()))
            raise RuntimeError("disk full")
    with s.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(docs)).scalar_one() == 0
    s.close()

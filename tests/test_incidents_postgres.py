"""The incidents capability on PostgreSQL (set RECKON_TEST_POSTGRES to a server URL whose user may
create databases, e.g. postgresql+psycopg2://reckon@127.0.0.1:5432/postgres). Each test run works
in a database of its own and drops it afterwards."""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa

from incidents_support import expected, load_corpus

URL = os.environ.get("RECKON_TEST_POSTGRES")
pytestmark = [pytest.mark.issue(4), pytest.mark.postgres,
              pytest.mark.skipif(not URL, reason="no PostgreSQL server: set RECKON_TEST_POSTGRES")]


@pytest.fixture(scope="module")
def pg():
    import reckon

    server = sa.make_url(URL)
    name = "reckon_incidents_" + uuid.uuid4().hex[:8]
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    r = reckon.open(server.set(database=name).render_as_string(hide_password=False))
    load_corpus(r)
    r.incidents.resolve()
    yield r
    r.close()
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE "{name}"')
    admin.dispose()


def test_corpus_incidents_and_figures_on_postgres(pg):
    got = sorted((i["n_claims"], i["corroboration"], i["conflict"], i["fatalities"] and i["fatalities"]["best"])
                 for i in pg.incidents())
    want = sorted((len(e["claims"]), e["corroboration"], e["conflict"], e["fatalities"] and e["fatalities"]["best"])
                  for e in expected())
    assert got == want


def test_filters_and_search_fall_back_to_like(pg):
    assert pg.incidents(place="Sumy").count() == 2
    assert pg.incidents(text="heinous crime").count() == 1
    assert pg.incidents(conflict=True).count() == 2
    assert pg.incidents().page(0, 1, "-fatalities")[0]["fatalities"]["best"] == 38


def test_review_and_audit_on_postgres(pg):
    massacre = next(i["id"] for i in pg.incidents() if i["n_claims"] == 4 and i["corroboration"] == 4)
    abduction = next(i["id"] for i in pg.incidents() if "abducted" in i["claims"][0]["quote"])
    new = pg.incidents.merge(massacre, abduction, why="postgres check")
    pg.incidents.resolve()
    assert pg.incidents.get(new)["n_claims"] == 5
    assert pg.audit_verify() == []

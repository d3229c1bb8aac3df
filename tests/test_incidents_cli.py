"""The incident commands call the Python API; bad input gives one line and a non-zero exit."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from incidents_support import load_corpus
from reckon.cli import app

pytestmark = pytest.mark.issue(4)


@pytest.fixture
def db(r, db_path):
    load_corpus(r)
    return str(db_path)


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_resolve_command(db):
    res = run("resolve", "--db", db)
    assert res.exit_code == 0 and "7 incident(s)" in res.output


def test_incidents_table_and_jsonl(db):
    run("resolve", "--db", db)
    res = run("incidents", "--db", db, "--place", "Sumy")
    assert res.exit_code == 0 and "Incidents (2 of 2)" in res.output
    res = run("incidents", "--db", db, "--format", "jsonl", "--min-fatalities", "20")
    rows = [json.loads(x) for x in res.output.splitlines()]
    assert len(rows) == 2 and all(r["claims"] for r in rows)


def test_incident_why_shows_rules_and_quotes(db):
    run("resolve", "--db", db)
    res = run("incidents", "--db", db, "--format", "jsonl", "--search", "heinous")
    iid = json.loads(res.output.splitlines()[0])["id"]
    res = run("incident", iid[:6], "--why", "--db", db)
    assert res.exit_code == 0
    assert "rule:" in res.output and "149 people were killed" in res.output


def test_review_commands_need_why(db):
    run("resolve", "--db", db)
    ids = [json.loads(x)["id"] for x in run("incidents", "--db", db, "--format", "jsonl", "--place", "Sumy").output.splitlines()]
    res = run("incidents", "merge", ids[0], ids[1], "--db", db)
    assert res.exit_code != 0
    res = run("incidents", "merge", ids[0], ids[1], "--why", "the shelling and the strike are one attack", "--db", db)
    assert res.exit_code == 0, res.output
    assert run("audit", "verify", "--db", db).exit_code == 0


def test_edit_and_split_commands(db):
    run("resolve", "--db", db)
    inc = json.loads(run("incidents", "--db", db, "--format", "jsonl", "--search", "heinous").output.splitlines()[0])
    res = run("incidents", "edit", inc["id"], "fatalities", "30,38,149", "--why", "burial records", "--db", db)
    assert res.exit_code == 0, res.output
    cid = str(inc["claims"][0]["id"])
    res = run("incidents", "split", inc["id"], "--claims", cid, "--why", "another raid", "--db", db)
    assert res.exit_code == 0, res.output
    assert run("incidents", "--db", db, "--format", "jsonl").output.count("\n") == 8


def test_bad_edit_exits_non_zero_with_one_line(db):
    run("resolve", "--db", db)
    inc = json.loads(run("incidents", "--db", db, "--format", "jsonl").output.splitlines()[0])
    res = run("incidents", "edit", inc["id"], "fatalities", "lots", "--why", "x", "--db", db)
    assert res.exit_code == 1 and "R314" in res.output


def test_unknown_incident_exits_non_zero(db):
    res = run("incident", "zzzz", "--db", db)
    assert res.exit_code == 1


def test_export_command(db, tmp_path):
    run("resolve", "--db", db)
    out = tmp_path / "x.csv"
    res = run("export", "--format", "acled-csv", "--out", str(out), "--db", db)
    assert res.exit_code == 0 and out.read_text().startswith("event_id_cnty,")
    res = run("export", "--format", "nope", "--out", str(out), "--db", db)
    assert res.exit_code == 2

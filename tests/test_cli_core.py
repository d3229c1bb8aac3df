"""The command line: thin, one line per problem, exit codes, formats."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from reckon.cli import app

runner = CliRunner()

REPORT = ("date: 2024-11-03\ntitle: Strike on market\n\n"
          "An airstrike hit a market in Kabkabiya on Saturday, killing at least 14 people and wounding 30 others, "
          "local activists said. Hundreds of families fled to Tawila the next day.\n")


def test_ingest_extract_claims_jsonl(tmp_path, write):
    db = str(tmp_path / "c.db")
    p = write("kabkabiya.txt", REPORT)
    r = runner.invoke(app, ["ingest", str(p), "--db", db])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["extract", "--db", db])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["claims", "--db", db, "--format", "jsonl"])
    rows = [json.loads(x) for x in r.stdout.splitlines() if x.strip()]
    first = rows[0]
    for field in ("doc", "quote", "event_type", "sub_event_type", "date_start", "date_end", "locations", "actor1",
                  "actor2", "fatalities", "injured", "displaced", "reported_by", "confidence", "spans"):
        assert field in first
    assert first["doc"] == "kabkabiya" and first["fatalities"] == {"min": 14, "max": None}
    assert first["injured"] == {"min": 30, "max": 30} and first["date_start"] == "2024-11-02"
    r = runner.invoke(app, ["claims", "--db", db, "--format", "csv"])
    assert r.stdout.splitlines()[0].startswith("doc,quote,event_type")


def test_ingest_reports_bad_files_and_exits_non_zero(tmp_path, write):
    db = str(tmp_path / "c.db")
    good = write("good.txt", REPORT)
    bad = write("bad.jsonl", '{"id": "x", "text": "ok"}\n{broken\n')
    r = runner.invoke(app, ["ingest", str(good), str(bad), "--db", db])
    assert r.exit_code == 1
    assert "bad.jsonl:2" in r.output and "malformed JSON" in r.output
    assert "ingested 2 document(s)" in r.output


def test_db_from_environment(tmp_path, write, monkeypatch):
    monkeypatch.setenv("RECKON_DB", str(tmp_path / "env.db"))
    r = runner.invoke(app, ["ingest", str(write("a.txt", REPORT))])
    assert r.exit_code == 0 and (tmp_path / "env.db").exists()


def test_eval_command_scores_stored_claims(tmp_path, write):
    db = str(tmp_path / "c.db")
    runner.invoke(app, ["ingest", str(write("kabkabiya.txt", REPORT)), "--db", db])
    runner.invoke(app, ["extract", "--db", db])
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"doc": "kabkabiya", "quote": "An airstrike hit a market in Kabkabiya", "event_type": "explosions_remote_violence",
                                "sub_event_type": "air_drone_strike", "date_start": "2024-11-02", "date_end": "2024-11-02",
                                "locations": [{"name": "Kabkabiya", "admin1": None, "country": "SD"}], "actor1": None, "actor2": None,
                                "fatalities": {"min": 14, "max": None}, "injured": {"min": 30, "max": 30}, "displaced": None,
                                "reported_by": ["local activists"]}) + "\n")
    r = runner.invoke(app, ["eval", str(gold), "--db", db, "--json"])
    assert r.exit_code == 0, r.output
    res = json.loads(r.stdout)
    assert res["matched"] == 1 and res["fatalities"] == 1.0 and res["date"] == 1.0


def test_eval_bad_gold_file_is_a_clear_error(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"doc": "a"}\nnot json\n')
    r = runner.invoke(app, ["eval", str(gold), "--db", str(tmp_path / "c.db")])
    assert r.exit_code == 2 and "gold.jsonl:2" in r.output


def test_demo_runs_on_a_fresh_install():
    r = runner.invoke(app, ["demo"])
    assert r.exit_code == 0, r.output
    assert "Reckon demo" in r.output and "claims" in r.output


def test_debug_pipeline_has_no_gaps():
    r = runner.invoke(app, ["debug", "pipeline"])
    assert r.exit_code == 0, r.output
    assert "reckon.dates.v1" in r.output

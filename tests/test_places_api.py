"""The places namespace over a real store: geocode stored claims, review, corrections, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reckon.cli import app
from reckon.model import Claim, Document, Location, Span
from reckon.store import repo

pytestmark = pytest.mark.issue(3)

FIXTURES = Path(__file__).parent / "fixtures" / "gazetteer"
TEXT = ("Syrian security forces raided Sharifa on Monday. Later, gunmen attacked Zahrat al-Bustan in the "
        "Jableh countryside, and two civilians died in Al Mukhtareyah.")


def store_claims(r) -> None:
    """One document with three claims, as extraction would store them (locations not yet resolved)."""
    doc = Document(sha256="a" * 64, doc="report1", text=TEXT)

    def loc(name: str, hint: str | None = None) -> Location:
        at = TEXT.find(name)
        h = TEXT.find(hint) if hint else None
        return Location(name=name, span=Span(at, at + len(name)), hint=hint,
                        hint_span=Span(h, h + len(hint)) if hint and h is not None else None)

    claims = [
        Claim(doc="report1", quote_span=Span(0, 48), event_type="strategic_developments", sub_event_type="arrests",
              locations=(loc("Sharifa"),)),
        Claim(doc="report1", quote_span=Span(50, 119), event_type="violence_against_civilians", sub_event_type="attack",
              locations=(loc("Zahrat al-Bustan", "Jableh countryside"),)),
        Claim(doc="report1", quote_span=Span(121, len(TEXT)), event_type="violence_against_civilians",
              sub_event_type="attack", locations=(loc("Al Mukhtareyah"),)),
    ]
    with r.store.transaction() as conn:
        did = repo.insert_document(conn, doc)
        repo.replace_claims(conn, did, claims, "test")


def store_lone_sharifa(r) -> None:
    """A second document naming only Sharifa (two villages of that name in the fixture)."""
    text = "Syrian security forces raided Sharifa."
    doc = Document(sha256="c" * 64, doc="report2", text=text)
    claim = Claim(doc="report2", quote_span=Span(0, len(text)), event_type="strategic_developments",
                  sub_event_type="arrests", locations=(Location("Sharifa", span=Span(30, 37)),))
    with r.store.transaction() as conn:
        repo.replace_claims(conn, repo.insert_document(conn, doc), [claim], "test")


def statuses(r) -> dict[str, str]:
    return {m["mention"]: m["status"] for m in r.places.mentions()}


def test_geocode_updates_stored_locations(r) -> None:
    r.places.import_geonames(FIXTURES / "sy_sample.txt")
    store_claims(r)
    res = r.places.geocode()
    assert res.mentions == 3 and sum(res.by_status.values()) == 3
    locs = {loc.name: loc for c in r.claims() for loc in c.locations}
    assert locs["Al Mukhtareyah"].place_id == "gn:166712"
    assert locs["Al Mukhtareyah"].to_dict()["geo_precision"] == 1
    assert locs["Zahrat al-Bustan"].admin1 == "Latakia"


def test_geocode_after_import_resolves_what_was_missing(r) -> None:
    store_claims(r)
    r.places.geocode()
    assert statuses(r)["Al Mukhtareyah"] == "unresolved"
    r.places.import_geonames(FIXTURES / "sy_sample.txt")
    r.places.geocode()
    assert statuses(r)["Al Mukhtareyah"] == "resolved"


def test_mentions_list_ambiguous_ones_with_candidates(r) -> None:
    r.places.import_geonames(FIXTURES / "sy_sample.txt")
    store_claims(r)
    store_lone_sharifa(r)
    r.places.geocode()
    (amb,) = r.places.mentions(status="ambiguous")
    assert (amb["mention"], amb["doc"]) == ("Sharifa", "report2") and len(amb["candidates"]) >= 2
    # in report1 its neighbour Al Mukhtareyah, 8 km from the Latakia Sharifa, decides
    (res,) = [m for m in r.places.mentions(doc="report1") if m["mention"] == "Sharifa"]
    assert (res["status"], res["admin1"]) == ("resolved", "Latakia")


def test_correction_is_audited_and_honoured_by_later_runs(r) -> None:
    r.places.import_geonames(FIXTURES / "sy_sample.txt")
    store_lone_sharifa(r)
    r.places.geocode()
    assert statuses(r)["Sharifa"] == "ambiguous"
    r.places.set("Sharifa", "gn:164437", why="the coastal village; the report is about Latakia")
    assert statuses(r)["Sharifa"] == "resolved"
    r.places.geocode()  # a later automatic run keeps the person's decision
    (m,) = [m for m in r.places.mentions() if m["mention"] == "Sharifa"]
    assert (m["status"], m["place_id"], m["admin1"]) == ("resolved", "gn:164437", "Latakia")
    (ev,) = r.audit_log(action="places.set")
    assert ev.payload["place_id"] == "gn:164437" and r.audit_verify() == []


def test_correction_for_one_document_only(r) -> None:
    r.places.import_geonames(FIXTURES / "sy_sample.txt")
    store_claims(r)
    store_lone_sharifa(r)
    r.places.set("Sharifa", "gn:2332", doc="report1", why="checked with the source")
    assert r.places.corrections()[0]["doc"] == "report1"
    got = {m["doc"]: (m["status"], m["admin1"]) for m in r.places.mentions() if m["mention"] == "Sharifa"}
    assert got["report1"] == ("resolved", "Homs") and got.get("report2", ("unresolved",))[0] != "resolved"


def test_correction_needs_a_known_place(r) -> None:
    from reckon.errors import NotFoundError

    with pytest.raises(NotFoundError):
        r.places.set("Sharifa", "gn:1", why="x")


def test_resolver_fills_locations_of_new_claims(r) -> None:
    r.places.import_geonames(FIXTURES / "sy_sample.txt")
    doc = Document(sha256="b" * 64, doc="d2", text="Syrian troops shelled Qurfays.")
    claim = Claim(doc="d2", quote_span=Span(0, 30), event_type="explosions_remote_violence",
                  sub_event_type="shelling_artillery_missile_attack", locations=(Location("Qurfays", span=Span(22, 29)),))
    (out,) = r.places.resolver()(doc, [claim])
    assert (out.locations[0].place_id, out.locations[0].admin1) == ("gn:165681", "Latakia")


def test_search_and_get(r) -> None:
    r.places.import_geonames(FIXTURES / "sy_sample.txt")
    assert r.places.search("Hmeimim", country="SY")[0].id == "gn:169492"
    assert r.places.get("gn:169492").admin1 == "Latakia"  # type: ignore[union-attr]


# -- command line ----------------------------------------------------------------------------------------
runner = CliRunner()


def test_cli_import_bad_file_exits_non_zero_with_line(db_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "SY.txt"
    bad.write_text("1\tonly\tthree\n", encoding="utf-8")
    res = runner.invoke(app, ["gazetteer", "import", str(bad), "--db", str(db_path)])
    assert res.exit_code == 1
    assert "SY.txt:1" in res.output.replace("\n", "")


def test_cli_import_geocode_places_and_set(r, db_path: Path) -> None:
    store_lone_sharifa(r)
    db = ["--db", str(db_path)]
    assert runner.invoke(app, ["gazetteer", "import", str(FIXTURES / "sy_sample.txt"), *db]).exit_code == 0
    res = runner.invoke(app, ["geocode", *db])
    assert res.exit_code == 0 and "1 mention(s)" in res.output
    res = runner.invoke(app, ["places", "--status", "ambiguous", "--format", "jsonl", *db])
    rows = [json.loads(x) for x in res.output.splitlines()]
    assert [x["mention"] for x in rows] == ["Sharifa"]
    res = runner.invoke(app, ["places", "set", "Sharifa", "gn:164437", "--why", "checked", *db])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["places", "--status", "ambiguous", "--format", "jsonl", *db])
    assert res.output.strip() == ""


def test_cli_gazetteer_stats_as_json(r, db_path: Path) -> None:
    r.places.import_geonames(FIXTURES / "sy_sample.txt")
    res = runner.invoke(app, ["gazetteer", "stats", "--format", "json", "--db", str(db_path)])
    st = json.loads(res.output)
    assert st["imported_places"] == 17 and st["imported_by_country"] == {"SY": 17} and st["builtin_places"] > 200_000

"""The incidents corpus (tests/cases/incidents): reports of three incidents from different kinds of
sources, with different spellings, dates and figures, copies of one wire story, and decoys (other
events in the same places). Claims are the hand annotations in annotations.json (one claim per line); expected.json says
which incidents they form and with which figures."""

from __future__ import annotations

import pytest

from incidents_support import corpus_claims, expected, load_corpus

pytestmark = pytest.mark.issue(4)


def _by_claims(r) -> dict[frozenset, dict]:
    """Incident dicts keyed by their claims as (doc, quote start) pairs."""
    out = {}
    for inc in r.incidents():
        out[frozenset((c["doc"], c["quote"][:20]) for c in inc["claims"])] = inc
    return out


def _expected_key(e: dict) -> frozenset:
    full = corpus_claims()
    keys = set()
    for doc, prefix in e["claims"]:
        q = next(c["quote"] for c in full[doc] if c["quote"].startswith(prefix))
        keys.add((doc, q[:20]))
    return frozenset(keys)


@pytest.fixture
def resolved(r):
    load_corpus(r)
    r.incidents.resolve()
    return r


def test_corpus_gives_the_expected_incidents(resolved):
    got = _by_claims(resolved)
    want = {_expected_key(e) for e in expected()}
    assert set(got) == want


@pytest.mark.parametrize("name", [e["name"] for e in expected()])
def test_corpus_incident_figures(resolved, name):
    e = next(x for x in expected() if x["name"] == name)
    inc = _by_claims(resolved)[_expected_key(e)]
    assert inc["fatalities"] == e["fatalities"]
    if "injured" in e:
        assert inc["injured"] == e["injured"]
    assert inc["corroboration"] == e["corroboration"]
    assert inc["conflict"] is e["conflict"]


def test_copies_of_one_wire_story_count_as_one_source(resolved):
    inc = next(i for i in resolved.incidents(text="Kadugli market") if i["n_claims"] == 4)
    wire = {c["source"] for c in inc["claims"] if c["doc"].startswith("kadugli_wire")}
    assert len(wire) == 1
    assert inc["n_documents"] == 4 and inc["corroboration"] == 3


def test_resolving_twice_gives_the_same_incidents(resolved):
    first = {i["id"]: i["n_claims"] for i in resolved.incidents()}
    resolved.incidents.resolve()
    assert {i["id"]: i["n_claims"] for i in resolved.incidents()} == first


def test_ingest_order_does_not_change_incidents_or_ids(tmp_path):
    import reckon

    names = sorted(corpus_claims())
    results = []
    for i, order in enumerate((names, names[::-1], names[1::2] + names[::2])):
        with reckon.open(tmp_path / f"o{i}.db") as rk:
            load_corpus(rk, order)
            rk.incidents.resolve()
            results.append({inc["id"]: sorted((c["doc"], c["quote"]) for c in inc["claims"]) for inc in rk.incidents()})
    assert results[0] == results[1] == results[2]


def test_incremental_ingest_matches_one_batch(tmp_path):
    import reckon

    names = sorted(corpus_claims())
    with reckon.open(tmp_path / "a.db") as a, reckon.open(tmp_path / "b.db") as b:
        load_corpus(a, names)
        a.incidents.resolve()
        for n in names[::-1]:  # one report at a time, resolving after each
            load_corpus(b, [n])
            b.incidents.resolve()
        ids = lambda rk: {i["id"]: i["fatalities"] for i in rk.incidents()}  # noqa: E731
        assert ids(a) == ids(b)

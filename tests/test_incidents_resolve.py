"""Incident resolution rules, on claims built by hand."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents_support import add_document, claim, loc
from reckon.incidents.resolve import claim_key, fold_name

pytestmark = pytest.mark.issue(4)

A = "Gunmen killed 14 villagers in Tell Hamra on 2 April 2025."
B = "Fourteen people were killed in Tal Hamra, residents said."
C = "Artillery shelled Tell Hamra on 2 April 2025."


def groups(r) -> list[list[str]]:
    return sorted(sorted(c["doc"] for c in inc["claims"]) for inc in r.incidents())


@pytest.mark.parametrize("a,b", [("Al-Kaduqli", "Kadugli"), ("Kadugli", "Kaduqli"),
                                 ("Krasnopillia", "Krasnopolye"), ("Tell Hamra", "Tel Hamra"), ("Arzah", "Arzé")])
def test_fold_name_matches_transliterations(a, b):
    assert fold_name(a) == fold_name(b)


@pytest.mark.parametrize("a,b", [("Arzah", "Barzah"), ("Homs", "Hama"), ("Kadugli", "Dilling")])
def test_fold_name_keeps_different_places_apart(a, b):
    assert fold_name(a) != fold_name(b)


def test_claim_key_does_not_depend_on_row_ids():
    assert claim_key("ab" * 32, 3, 40, "Arzah") == claim_key("ab" * 32, 3, 40, "Arza")
    assert claim_key("ab" * 32, 3, 40, "Arzah") != claim_key("ab" * 32, 4, 40, "Arzah")


def test_same_place_same_day_different_spelling_is_one_incident(r):
    add_document(r, "a", A, "2025-04-03", claims=[claim(A, A, date="2025-04-02", places=[loc("Tell Hamra")], fatalities=14)])
    add_document(r, "b", B, "2025-04-03", claims=[claim(B, B, date="2025-04-02", places=[loc("Tal Hamra")], fatalities=14)])
    r.incidents.resolve()
    assert groups(r) == [["a", "b"]]


def test_bombardment_and_massacre_in_one_village_stay_apart(r):
    add_document(r, "a", A, "2025-04-03", claims=[claim(A, A, date="2025-04-02", places=[loc("Tell Hamra")], fatalities=14)])
    add_document(r, "c", C, "2025-04-03", claims=[claim(C, C, date="2025-04-02", places=[loc("Tell Hamra")],
                                                       event_type="explosions_remote_violence",
                                                       sub_event_type="shelling_artillery_missile_attack")])
    r.incidents.resolve()
    assert groups(r) == [["a"], ["c"]]


def test_same_village_three_days_apart_stays_apart(r):
    add_document(r, "a", A, "2025-04-03", claims=[claim(A, A, date="2025-04-02", places=[loc("Tell Hamra")], fatalities=14)])
    add_document(r, "b", B, "2025-04-06", claims=[claim(B, B, date="2025-04-05", places=[loc("Tal Hamra")], fatalities=14)])
    r.incidents.resolve()
    assert groups(r) == [["a"], ["b"]]


def test_one_day_apart_is_one_incident(r):
    add_document(r, "a", A, "2025-04-03", claims=[claim(A, A, date="2025-04-02", places=[loc("Tell Hamra")], fatalities=14)])
    add_document(r, "b", B, "2025-04-03", claims=[claim(B, B, date="2025-04-03", places=[loc("Tal Hamra")])])
    r.incidents.resolve()
    assert groups(r) == [["a", "b"]]


def test_undated_claim_joins_by_place_and_document_date(r):
    add_document(r, "a", A, "2025-04-03", claims=[claim(A, A, date="2025-04-02", places=[loc("Tell Hamra")], fatalities=14)])
    add_document(r, "b", B, "2025-04-04", claims=[claim(B, B, places=[loc("Tal Hamra")], fatalities=14)])
    r.incidents.resolve()
    assert groups(r) == [["a", "b"]]


def test_undated_claim_in_a_much_later_document_stays_apart(r):
    add_document(r, "a", A, "2025-04-03", claims=[claim(A, A, date="2025-04-02", places=[loc("Tell Hamra")], fatalities=14)])
    add_document(r, "b", B, "2025-05-20", claims=[claim(B, B, places=[loc("Tal Hamra")], fatalities=14)])
    r.incidents.resolve()
    assert groups(r) == [["a"], ["b"]]


def test_no_chaining_across_days(r):
    # day 1 ~ day 2 ~ day 3 pairwise within tolerance, but day 1 and day 3 are not
    for i, day in enumerate(("2025-04-01", "2025-04-02", "2025-04-03")):
        text = f"Report {i}: {A}"
        add_document(r, f"d{i}", text, day, claims=[claim(text, A, date=day, places=[loc("Tell Hamra")])])
    r.incidents.resolve()
    assert all(len(g) <= 2 for g in groups(r)) and len(groups(r)) == 2


def test_district_level_claim_needs_other_evidence(r):
    district = "Fourteen people were killed in Salamiyah district on 2 April 2025."
    add_document(r, "a", A, "2025-04-03", claims=[claim(A, A, date="2025-04-02", fatalities=14,
                                                       places=[loc("Tell Hamra", "Hama", "SY", admin2="Salamiyah")])])
    add_document(r, "b", district, "2025-04-03", claims=[claim(district, district, date="2025-04-02", fatalities=20,
                                                               places=[loc("Salamiyah", "Hama", "SY", kind="admin2")])])
    r.incidents.resolve()
    assert groups(r) == [["a"], ["b"]]


def test_district_level_claim_joins_with_the_same_figure(r):
    district = "Fourteen people were killed in Salamiyah district on 2 April 2025."
    add_document(r, "a", A, "2025-04-03", claims=[claim(A, A, date="2025-04-02", fatalities=14,
                                                       places=[loc("Tell Hamra", "Hama", "SY", admin2="Salamiyah")])])
    add_document(r, "b", district, "2025-04-03", claims=[claim(district, district, date="2025-04-02", fatalities=14,
                                                               places=[loc("Salamiyah", "Hama", "SY", kind="admin2")])])
    r.incidents.resolve()
    assert groups(r) == [["a", "b"]]


def test_nearby_places_join_only_with_other_evidence(r):
    near = "Fourteen people were killed in Umm Sharshouh on 2 April 2025."
    p1 = dict(lat=35.000, lon=36.700, geo_precision=1, status="resolved")
    p2 = dict(lat=35.030, lon=36.720, geo_precision=1, status="resolved")
    add_document(r, "a", A, "2025-04-03", claims=[claim(A, A, date="2025-04-02", fatalities=14, actor1="gunmen",
                                                       places=[loc("Tell Hamra", place_id="1", **p1)])])
    add_document(r, "b", near, "2025-04-03", claims=[claim(near, near, date="2025-04-02", fatalities=14,
                                                           places=[loc("Umm Sharshouh", place_id="2", **p2)])])
    p3 = dict(lat=34.980, lon=36.690, geo_precision=1, status="resolved")
    add_document(r, "c", C, "2025-04-03", claims=[claim(C, C, date="2025-04-02", fatalities=3,
                                                       places=[loc("Kafr Sousa", place_id="3", **p3)])])
    r.incidents.resolve()
    assert groups(r) == [["a", "b"], ["c"]]


def test_same_name_in_two_governorates_stays_apart(r):
    add_document(r, "a", A, "2025-04-03", claims=[claim(A, A, date="2025-04-02", places=[loc("Tell Hamra", "Hama")])])
    add_document(r, "b", B, "2025-04-03", claims=[claim(B, B, date="2025-04-02", places=[loc("Tal Hamra", "Al-Hasakah")])])
    r.incidents.resolve()
    assert groups(r) == [["a"], ["b"]]


def test_repeated_claims_within_one_document_join(r):
    text = "Gunmen killed 14 villagers in Tell Hamra on 2 April 2025. Later the toll in Tell Hamra rose to 16."
    add_document(r, "a", text, "2025-04-03", claims=[
        claim(text, "Gunmen killed 14 villagers in Tell Hamra on 2 April 2025", date="2025-04-02",
              places=[loc("Tell Hamra")], fatalities=14),
        claim(text, "Later the toll in Tell Hamra rose to 16", places=[loc("Tell Hamra")], fatalities=16)])
    r.incidents.resolve()
    (inc,) = r.incidents()
    assert inc["n_claims"] == 2 and inc["corroboration"] == 1
    assert inc["fatalities"] == {"low": 16, "best": 16, "high": 16}


def test_total_over_several_places_stays_apart_from_one_place(r):
    total = "Gunmen killed 30 people in Tell Hamra and Kafr Sousa on 2 April 2025."
    add_document(r, "a", A, "2025-04-03", claims=[claim(A, A, date="2025-04-02", places=[loc("Tell Hamra")], fatalities=14)])
    add_document(r, "t", total, "2025-04-03", claims=[claim(total, total, date="2025-04-02", fatalities=30,
                                                            places=[loc("Tell Hamra"), loc("Kafr Sousa")])])
    r.incidents.resolve()
    assert groups(r) == [["a"], ["t"]]


def test_shelling_reported_as_attack_joins_when_figures_agree(r):
    add_document(r, "a", A, "2025-04-03", claims=[claim(A, A, date="2025-04-02", places=[loc("Tell Hamra")], fatalities=14)])
    add_document(r, "c", C, "2025-04-03", claims=[claim(C, C, date="2025-04-02", places=[loc("Tell Hamra")], fatalities=14,
                                                       event_type="explosions_remote_violence",
                                                       sub_event_type="shelling_artillery_missile_attack")])
    r.incidents.resolve()
    assert groups(r) == [["a", "c"]]


def test_reextraction_keeps_incident_ids(r):
    did = add_document(r, "a", A, "2025-04-03", claims=[claim(A, A, date="2025-04-02", places=[loc("Tell Hamra")])])
    add_document(r, "b", B, "2025-04-03", claims=[claim(B, B, date="2025-04-02", places=[loc("Tal Hamra")])])
    r.incidents.resolve()
    before = [i["id"] for i in r.incidents()]
    add_document(r, "a", A, "2025-04-03", claims=[claim(A, A, date="2025-04-02", places=[loc("Tell Hamra")])])
    assert did
    r.incidents.resolve()
    assert [i["id"] for i in r.incidents()] == before


def test_resolve_records_a_run(r):
    add_document(r, "a", A, "2025-04-03", claims=[claim(A, A, date="2025-04-02", places=[loc("Tell Hamra")])])
    res = r.incidents.resolve()
    assert (res.claims, res.incidents) == (1, 1)
    assert r.runs("resolve")[-1]["summary"]["incidents"] == 1


def _facts(spec):
    import datetime as dt

    from reckon.incidents.resolve import Facts

    out = []
    for i, (place, day, etype, killed, dated) in enumerate(spec):
        d = dt.date(2025, 1, 1) + dt.timedelta(days=day)
        key = f"k{i:04d}"
        out.append(Facts(
            key=key, claim_id=i, document_id=i, doc_sha=key, doc_date=d + dt.timedelta(days=1),
            event_type=etype, sub_event_type="attack", date_start=d if dated else None, date_end=d if dated else None,
            places=(f"n:{place}",), pids=(), areas=(), area_only=False, point=None, admin1=None, actor1=None,
            fatalities=(killed, killed), sort_key=(d.isoformat(), key), extra={}))
    return out


@given(st.lists(st.tuples(st.sampled_from("abc"), st.integers(0, 6),
                          st.sampled_from(["violence_against_civilians", "battles"]), st.integers(0, 5), st.booleans()),
                min_size=1, max_size=25),
       st.randoms(use_true_random=False))
@settings(max_examples=60, deadline=None)
def test_grouping_does_not_depend_on_claim_order(spec, rnd):
    from reckon.incidents.resolve import ResolveOptions, group_claims

    facts = _facts(spec)
    shuffled = facts[:]
    rnd.shuffle(shuffled)
    as_keys = lambda fs: {frozenset(fs[i].key for i in g) for g in group_claims(fs, ResolveOptions())}  # noqa: E731
    groups = as_keys(facts)
    assert groups == as_keys(shuffled)
    assert sorted(k for g in groups for k in g) == sorted(f.key for f in facts)


def test_admin1_of_a_weak_geocode_does_not_keep_same_names_apart(r):
    weak = dict(geo_precision=3, status="unresolved", lat=61.0, lon=24.4)
    add_document(r, "a", A, "2025-04-03", claims=[claim(A, A, date="2025-04-02", places=[loc("Tell Hamra", "Tavastland", **weak)])])
    add_document(r, "b", B, "2025-04-03", claims=[claim(B, B, date="2025-04-02", places=[loc("Tal Hamra", "Hama")])])
    r.incidents.resolve()
    assert groups(r) == [["a", "b"]]

"""Reading incidents: filters, server-side paging, full-text search, timeline and map points."""

from __future__ import annotations

import pytest

from incidents_support import add_document, claim, load_corpus, loc
from reckon.errors import InputError

pytestmark = pytest.mark.issue(4)


@pytest.fixture
def corpus(r):
    load_corpus(r)
    r.incidents.resolve()
    return r


def test_count_of_the_corpus(corpus):
    assert corpus.incidents.count() == 7
    assert corpus.incidents().count() == 7


def test_filter_by_date_range(corpus):
    assert corpus.incidents(date_from="2025-05-01").count() == 4
    assert corpus.incidents(date_from="2025-03-01", date_to="2025-03-31").count() == 3


def test_filter_by_place_admin_area(corpus):
    assert corpus.incidents(place="Sumy").count() == 2
    assert corpus.incidents(place="arzah").count() == 3


def test_filter_by_type_and_minimum_fatalities(corpus):
    assert corpus.incidents(event_type="violence_against_civilians").count() == 2
    assert corpus.incidents(min_fatalities=20).count() == 2


def test_filter_by_actor(corpus):
    got = corpus.incidents(actor="terrorist").page()
    assert len(got) == 1 and got[0]["n_claims"] == 4


def test_full_text_search_reaches_quotes(corpus):
    got = corpus.incidents(text="burial").to_dicts()  # not a quote word: nothing
    assert got == []
    (inc,) = corpus.incidents(text="heinous crime").to_dicts()
    assert any(c["doc"] == "arzah_state_media" for c in inc["claims"])


def test_full_text_search_is_prefix_and_case_insensitive(corpus):
    assert corpus.incidents(text="KRASNOP").count() == 2


def test_conflict_and_corroboration_filters(corpus):
    assert corpus.incidents(conflict=True).count() == 2
    assert corpus.incidents(min_corroboration=3).count() == 3


def test_unknown_filter_is_refused(corpus):
    with pytest.raises(InputError):
        corpus.incidents(colour="red")


def test_page_orders_server_side(corpus):
    page = corpus.incidents().page(0, 2, "-fatalities")
    assert [p["fatalities"]["best"] for p in page] == [38, 25]
    assert [p["date_start"] for p in corpus.incidents().page(0, 3, "date")] == ["2025-03-03", "2025-03-03", "2025-03-20"]
    assert len(corpus.incidents().page(5, 50)) == 2


def test_page_puts_incidents_without_figures_last(corpus):
    page = corpus.incidents().page(0, 10, "-fatalities")
    assert page[-1]["fatalities"] is None and page[0]["fatalities"] is not None


def test_page_with_unknown_order_is_refused(corpus):
    with pytest.raises(InputError):
        corpus.incidents().page(order="colour")


def test_get_has_claims_quotes_documents_and_explanations(corpus):
    inc = corpus.incidents(actor="terrorist").page()[0]
    d = corpus.incidents.get(inc["id"])
    assert {c["document"]["url"].split("/")[2] for c in d["claims"]} >= {"monitor.example.net", "inquiry.example.org"}
    fig = d["figures"]["fatalities"]
    quotes = {c["id"]: c["quote"] for c in d["claims"]}
    assert "149" in quotes[fig["high_claims"][0]] and "12 citizens" in quotes[fig["low_claims"][0]]
    assert "38" in quotes[fig["best_claims"][0]]
    assert all(c["quote"] for c in d["claims"])


def test_jsonl_has_the_documented_fields(corpus):
    import json

    lines = corpus.incidents().to_jsonl().splitlines()
    assert len(lines) == 7
    d = json.loads(lines[0])
    for k in ("id", "event_type", "sub_event_type", "date_start", "date_end", "locations", "fatalities", "injured",
              "displaced", "corroboration", "conflict", "claims"):
        assert k in d
    assert {"doc", "quote"} <= set(d["claims"][0])


def test_to_pandas_one_row_per_incident(corpus):
    df = corpus.incidents().to_pandas()
    assert len(df) == 7 and {"fatalities_low", "fatalities_best", "fatalities_high"} <= set(df.columns)


def test_timeline_per_day_and_type(corpus):
    t = corpus.incidents.timeline(date_from="2025-05-14", date_to="2025-05-14")
    assert t == [{"date": "2025-05-14", "event_type": "explosions_remote_violence", "incidents": 1, "fatalities_best": 25}]


def _located(r):
    for i, (lat, lon) in enumerate([(35.0, 36.7), (35.01, 36.71), (36.2, 37.1)]):
        text = f"Report {i}: shells hit the market on 2 April 2025."
        add_document(r, f"m{i}", text, "2025-04-03", claims=[claim(
            text, text, date="2025-04-02", fatalities=i + 1, places=[loc(f"Place {'ABC'[i]}", place_id=str(i), lat=lat, lon=lon,
                                                                          geo_precision=1, status="resolved")])])
    r.incidents.resolve()


def test_map_points_cluster_by_zoom(r):
    _located(r)
    coarse = r.incidents.map_points(zoom=3)
    assert sum(p["count"] for p in coarse) == 3 and len(coarse) <= 2
    fine = r.incidents.map_points(zoom=16)
    assert len(fine) == 3 and all(p["id"] for p in fine)


def test_bbox_filter(r):
    _located(r)
    assert r.incidents(bbox=(36.5, 34.9, 36.8, 35.1)).count() == 2


def test_place_filter_matches_words_of_admin_areas(corpus):
    assert corpus.incidents(place="Kordofan").count() == 2
    assert corpus.incidents(place="south kordofan").count() == 2

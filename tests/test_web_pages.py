"""Pages and their JSON twins over a small hand-built database."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from reckon.web.app import create_app
from reckon.web.auth import Users
from web_support import PASSWORD, login, seed, cheap_argon2  # noqa: F401


@pytest.fixture
def site(r):
    u = Users(r)
    u.add("viewer", role="viewer", password=PASSWORD)
    u.add("editor", role="editor", password=PASSWORD)
    ids = seed(r)
    c = TestClient(create_app(r))
    login(c, "viewer")
    return c, ids


def test_incidents_table_lists_every_incident(site):
    c, ids = site
    data = c.get("/api/incidents").json()
    assert data["total"] == 3 and {i["id"] for i in data["incidents"]} == set(ids.values())


def test_incidents_table_sorts_by_fatalities(site):
    c, ids = site
    rows = c.get("/api/incidents?order=-fatalities").json()["incidents"]
    assert [r["id"] for r in rows[:2]] == [ids["shelling"], ids["strike"]]


def test_incidents_table_filters_by_event_type(site):
    c, ids = site
    rows = c.get("/api/incidents?event_type=protests").json()["incidents"]
    assert [r["id"] for r in rows] == [ids["protest"]]


def test_incidents_full_text_search(site):
    c, ids = site
    rows = c.get("/api/incidents?q=Douma").json()["incidents"]
    assert [r["id"] for r in rows] == [ids["shelling"]]


def test_incidents_table_pages_on_the_server(site):
    c, _ = site
    data = c.get("/api/incidents?limit=1&offset=1").json()
    assert data["total"] == 3 and len(data["incidents"]) == 1


def test_unknown_sort_column_is_a_clear_400(site):
    c, _ = site
    res = c.get("/api/incidents?order=password")
    assert res.status_code == 400 and "cannot sort" in res.json()["error"]


def test_bad_date_filter_is_a_clear_400(site):
    c, _ = site
    res = c.get("/api/incidents?date_from=yesterday")
    assert res.status_code == 400 and "date_from" in res.json()["error"]


def test_incidents_html_shows_low_best_high(site):
    c, ids = site
    html = c.get("/incidents").text
    assert f'href="/incidents/{ids["shelling"]}"' in html and "<b>12</b>" in html


def test_incident_page_highlights_the_quote_and_links_the_source(site):
    c, ids = site
    html = c.get(f"/incidents/{ids['strike']}").text
    assert '<mark class="f-fatalities sentence" title="fatalities">killed 5 people</mark>' in html
    assert '<mark class="f-location sentence" title="location">Kafr Nabl</mark>' in html
    assert 'href="/documents/strike-report' in html and 'href="https://example.org/strike"' in html
    assert "Residents were still searching" in html  # the context after the sentence


def test_incident_api_gives_segments_that_rebuild_the_text(site):
    c, ids = site
    inc = c.get(f"/api/incidents/{ids['shelling']}").json()
    claim = inc["claims"][0]
    assert "".join(s["text"] for s in claim["context"]["segments"]) == claim["quote"]
    assert inc["fatalities"] == {"low": 12, "best": 12, "high": 12}


def test_unknown_incident_is_404(site):
    c, _ = site
    assert c.get("/api/incidents/doesnotexist").status_code == 404


def test_map_points_carry_type_and_fatalities(site):
    c, ids = site
    pts = c.get("/api/map?zoom=8").json()["points"]
    by_id = {p["id"]: p for p in pts}
    assert by_id[ids["shelling"]]["event_type"] == "explosions_remote_violence"
    assert by_id[ids["shelling"]]["fatalities_best"] == 12


def test_map_clusters_at_low_zoom(site):
    c, _ = site
    pts = c.get("/api/map?zoom=0").json()["points"]
    assert sum(p["count"] for p in pts) == 3 and len(pts) < 3


def test_map_filters_like_the_table(site):
    c, ids = site
    pts = c.get("/api/map?zoom=8&event_type=protests").json()["points"]
    assert [p["id"] for p in pts] == [ids["protest"]]


def test_map_bbox_limits_points(site):
    c, ids = site
    pts = c.get("/api/map?zoom=8&bbox=36,35,37,36").json()["points"]
    assert [p["id"] for p in pts] == [ids["strike"]]


def test_timeline_sums_fatalities_per_day_and_type(site):
    c, _ = site
    t = c.get("/api/timeline").json()
    assert t["days"] == ["2024-03-01", "2024-03-02", "2024-03-03"]
    assert t["series"]["explosions_remote_violence"] == [5, 12, 0]


def test_documents_page_and_json(site):
    c, _ = site
    assert "Strike on Kafr Nabl" in c.get("/documents").text
    docs = c.get("/api/documents").json()["documents"]
    assert {d["doc"] for d in docs} == {"strike-report", "shelling-report", "protest-report"}
    assert "text" not in docs[0] and docs[0]["claims"] == 1


def test_document_page_shows_claims_in_context(site):
    c, _ = site
    html = c.get("/documents/shelling-report").text
    assert '<mark class="f-fatalities sentence" title="fatalities">killed 12 civilians</mark>' in html


def test_openapi_schema_documents_the_json_api(site):
    c, _ = site
    paths = c.get("/openapi.json").json()["paths"]
    assert {"/api/incidents", "/api/incidents/{incident_id}", "/api/map", "/api/timeline", "/api/documents",
            "/api/places/mentions", "/api/victims", "/api/estimates"} <= set(paths)


def test_every_page_renders_for_a_viewer(site):
    c, ids = site
    for path in ("/map", "/timeline", "/incidents", f"/incidents/{ids['strike']}", "/documents",
                 "/documents/strike-report"):
        res = c.get(path)
        assert res.status_code == 200, path
        assert "Log out" in res.text


def test_editor_merges_incidents_through_the_audited_api(r, site):
    c, ids = site
    ed = TestClient(c.app)
    token = login(ed, "editor")
    res = ed.post("/api/incidents/merge", json={"a": ids["strike"], "b": ids["shelling"], "why": "same attack"},
                  headers={"X-CSRF-Token": token})
    assert res.status_code == 200, res.text
    ev = r.audit_log(action="incident*")[-1]
    assert ev.actor == "web:editor" and ev.why == "same attack"


def _record_estimate(r):
    import datetime as dt

    est = {"stratum": "total", "model": "loglinear", "observed": 1234, "estimate": 2345.0, "lower": 1900.0,
           "upper": 3100.0, "warnings": ["<script>alert(1)</script>"], "stratum_values": {}, "detail": "",
           "interval": "profile likelihood", "lists": ["vdc", "snhr"], "diagnostics": {}}
    r.record_run("estimate", dt.datetime(2024, 3, 5, 12, 0), {"models": ["loglinear"]}, {"estimates": [est]})


def test_estimates_page_shows_the_latest_run(r, site):
    c, _ = site
    _record_estimate(r)
    html = c.get("/estimates").text
    assert "2,345" in html and "1,900" in html and "3,100" in html and "vdc, snhr" in html
    assert "<script>alert" not in html
    assert c.get("/api/estimates").json()[0]["estimate"] == 2345.0


def test_estimates_page_says_when_none_were_run(site):
    c, _ = site
    assert "No estimates have been run yet" in c.get("/estimates").text


def test_report_shows_the_estimates(r, site, tmp_path):
    from reckon.web.report import build_report

    _record_estimate(r)
    html = build_report(r, tmp_path / "rep", pdf=False).html.read_text()
    assert "2,345" in html and "profile likelihood" in html


def test_incident_page_explains_figures_and_conflicts(r, site):
    import datetime as dt

    from web_support import add_claim, add_document

    c, ids = site
    text = "Another account: Government shelling of Douma killed 15 civilians on Friday, medics said."
    d = add_document(r, "second-report", text, title="Second account")
    add_claim(r, d, text, killed="killed 15 civilians", place="Douma", lat=33.57, lon=36.40, admin1="Rif Dimashq",
              actor="Government", sub_event_type="shelling_artillery_missile_attack", day=dt.date(2024, 3, 2))
    r.incidents.resolve()
    inc = r.incidents(place="Douma").page(0, 1, "id")[0]
    html = c.get(f"/incidents/{inc['id']}").text
    assert 'id="figures-explained"' in html and "sources disagree" in html
    assert "12 vs 15" in html
    assert html.count('<article class="claim"') == 2


def test_timeline_includes_days_without_incidents(r, site):
    import datetime as dt

    from web_support import add_claim, add_document

    c, _ = site
    text = "Clashes near Tal Rifaat killed 3 fighters on 10 March."
    d = add_document(r, "later", text)
    add_claim(r, d, text, killed="killed 3 fighters", place="Tal Rifaat", lat=36.47, lon=37.1, admin1="Aleppo",
              event_type="battles", sub_event_type="armed_clash", day=dt.date(2024, 3, 10))
    r.incidents.resolve()
    t = c.get("/api/timeline").json()
    assert t["days"][0] == "2024-03-01" and t["days"][-1] == "2024-03-10" and len(t["days"]) == 10
    assert t["series"]["battles"][-1] == 3 and sum(t["series"]["battles"]) == 3


def test_claims_api_pages_and_filters(site):
    c, _ = site
    data = c.get("/api/claims?limit=2").json()
    assert data["total"] == 3 and len(data["claims"]) == 2
    one = c.get("/api/claims?doc=shelling-report").json()["claims"]
    assert [x["doc"] for x in one] == ["shelling-report"] and one[0]["fatalities"] == {"min": 12, "max": 12}
    assert c.get("/api/claims?date_from=2024-03-03").json()["total"] == 1


def test_map_never_sends_more_than_the_cap(site, monkeypatch):
    from reckon.web import views

    c, _ = site
    monkeypatch.setattr(views, "MAX_MAP_POINTS", 1)
    data = c.get("/api/map?zoom=12").json()
    assert len(data["points"]) == 1 and data["points"][0]["count"] == 3 and data["zoom"] < 12


def test_map_extent_covers_the_filtered_incidents(site):
    c, _ = site
    assert c.get("/api/map/extent").json() == {"bbox": [36.4, 32.71, 36.57, 35.56], "count": 3}
    assert c.get("/api/map/extent?event_type=protests").json()["bbox"] == [36.57, 32.71, 36.57, 32.71]
    assert c.get("/api/map/extent?event_type=riots").json() == {"bbox": None, "count": 0}


def test_editor_corrects_a_figure_with_the_form(r, site):
    from web_support import csrf_of

    c, ids = site
    ed = TestClient(c.app)
    login(ed, "editor")
    html = ed.get(f"/incidents/{ids['strike']}").text
    assert 'action="/incidents/' in html and '<option value="fatalities"' in html
    res = ed.post(f"/incidents/{ids['strike']}/edit", data={"csrf": csrf_of(html), "field": "fatalities",
                                                            "value": "5,6,9", "why": "hospital list checked"},
                  follow_redirects=False)
    assert res.status_code == 303, res.text
    assert r.incidents.get(ids["strike"])["fatalities"] == {"low": 5, "best": 6, "high": 9}
    assert r.audit_log()[-1].actor == "web:editor"


def test_bad_correction_value_is_a_clear_400(site):
    c, ids = site
    ed = TestClient(c.app)
    token = login(ed, "editor")
    res = ed.post(f"/api/incidents/{ids['strike']}/edit", json={"field": "fatalities", "value": "many", "why": "x"},
                  headers={"X-CSRF-Token": token})
    assert res.status_code == 400 and "not a figure" in res.json()["error"]

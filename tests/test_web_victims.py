"""Victims' names on the web: hidden from viewers without the right, in HTML and JSON."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from reckon.web.app import create_app, redact_names
from reckon.web.auth import Users
from web_support import PASSWORD, login, cheap_argon2  # noqa: F401

NAMES = ("Ahmad Khalil Hasan", "Maryam Yusuf", "Fatima")
CSV = ("name,mother_name,sex,age,date_of_death,place\n"
       "Ahmad Khalil Hasan,Fatima,male,34,2024-03-01,Douma\n"
       "Maryam Yusuf,Fatima,female,8,2024-03-02,Douma\n")


@pytest.fixture
def app(r, tmp_path):
    pytest.importorskip("reckon.victims.api")
    path = tmp_path / "list.csv"
    path.write_text(CSV, encoding="utf-8")
    r.victims.import_file(path, "vdc", geocode=False)
    u = Users(r)
    u.add("viewer", role="viewer", password=PASSWORD)
    u.add("trusted", role="viewer", password=PASSWORD, can_see_names=True)
    u.add("editor", role="editor", password=PASSWORD)
    return create_app(r)


def as_user(app, name):
    c = TestClient(app)
    login(c, name)
    return c


def test_viewer_sees_no_names_in_json(app):
    data = as_user(app, "viewer").get("/api/victims")
    assert data.status_code == 200
    body = data.text
    assert not any(n in body for n in NAMES)
    js = data.json()
    assert js["names_shown"] is False and len(js["persons"]) == 2
    assert js["persons"][0]["records"][0]["age"] in (34, 8)  # the rest is still there


def test_viewer_sees_no_names_in_html(app):
    html = as_user(app, "viewer").get("/victims").text
    assert not any(n in html for n in NAMES)
    assert 'id="names-hidden"' in html


def test_viewer_with_the_right_sees_names(app):
    c = as_user(app, "trusted")
    assert "Ahmad Khalil Hasan" in c.get("/api/victims").text
    assert "Maryam Yusuf" in c.get("/victims").text


def test_editor_sees_names(app):
    assert "Ahmad Khalil Hasan" in as_user(app, "editor").get("/victims").text


def test_viewer_cannot_open_the_review_queue(app):
    assert as_user(app, "viewer").get("/api/victims/review").status_code == 403


def test_api_token_of_a_viewer_sees_no_names(app, r):
    secret = Users(r).new_token("viewer")
    res = TestClient(app).get("/api/victims", headers={"Authorization": f"Bearer {secret}"})
    assert res.status_code == 200 and not any(n in res.text for n in NAMES)


def test_redact_names_reaches_nested_and_extra_fields():
    data = {"persons": [{"name": "A", "records": [{"full_name": "A", "extra": {"mother_name": "B"}, "place": "X",
                                                   "place_name": "Y"}]}]}
    out = redact_names(data)
    rec = out["persons"][0]["records"][0]
    assert out["persons"][0]["name"] is None and rec["full_name"] is None and rec["extra"]["mother_name"] is None
    assert rec["place"] == "X" and rec["place_name"] == "Y"


def test_editor_decides_a_pair_through_the_audited_api(app, r):
    from web_support import login as log_in

    c = TestClient(app)
    token = log_in(c, "editor")
    ids = sorted(rec["id"] for p in c.get("/api/victims").json()["persons"] for rec in p["records"])
    res = c.post("/api/victims/decide", json={"pair": f"{ids[0]}-{ids[1]}", "decision": "different",
                                              "why": "different ages and mothers differ"},
                 headers={"X-CSRF-Token": token})
    assert res.status_code == 200, res.text
    ev = r.audit_log()[-1]
    assert ev.actor == "web:editor" and ev.why == "different ages and mothers differ"


def test_decision_must_be_same_or_different(app):
    c = TestClient(app)
    token = login(c, "editor")
    res = c.post("/api/victims/decide", json={"pair": "1-2", "decision": "maybe", "why": "x"},
                 headers={"X-CSRF-Token": token})
    assert res.status_code == 400


def test_victims_are_paged(app):
    c = as_user(app, "viewer")
    data = c.get("/api/victims?limit=1&offset=1").json()
    assert data["total"] == 2 and len(data["persons"]) == 1

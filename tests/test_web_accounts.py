"""Account management in the browser (/users) and the login rate limit."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from reckon.cli import app as cli
from reckon.errors import InputError
from reckon.web.app import create_app
from reckon.web.auth import Users
from reckon.web.tables import login_failures
from reckon.web.throttle import LoginLimit, LoginThrottle
from web_support import PASSWORD, cheap_argon2, csrf_of, login  # noqa: F401

NEW_PW = "another long secret"


@pytest.fixture
def app(r):
    u = Users(r)
    u.add("vera", role="viewer", password=PASSWORD)
    u.add("eddie", role="editor", password=PASSWORD)
    u.add("ada", role="admin", password=PASSWORD)
    u.add("bot", role="viewer", password=None)
    u.new_token("bot", label="nightly")
    return create_app(r)


@pytest.fixture
def admin(app):
    c = TestClient(app)
    return c, login(c, "ada")


# -- Users: the operations the CLI and the page share -------------------------------------
def test_set_role_changes_role_and_names_right_and_is_audited(r):
    u = Users(r)
    u.add("ada", role="admin", password=PASSWORD)
    u.add("sami", role="viewer", password=PASSWORD)
    got = u.set_role("sami", "editor", why="joins the review team")
    assert got.role == "editor" and u.get("sami").role == "editor"
    u.set_role("sami", "viewer", can_see_names=True)
    assert u.get("sami").sees_names
    ev = r.audit_log(action="users.role")[0]
    assert ev.target == "user:sami" and ev.why == "joins the review team"
    assert ev.payload["from"] == "viewer" and ev.payload["role"] == "editor"


def test_enable_undoes_disable_but_not_a_revocation(r):
    u = Users(r)
    user = u.add("sami", role="viewer", password=PASSWORD)
    token = u.new_token("sami")
    u.disable("sami", why="on leave")
    u.revoke_tokens("sami")
    u.enable("sami", why="back")
    assert u.authenticate("sami", PASSWORD).name == user.name
    assert u.token_user(token) is None
    assert r.audit_log(action="users.enable")[0].why == "back"


def test_the_last_enabled_admin_cannot_be_disabled_or_demoted(r):
    u = Users(r)
    u.add("ada", role="admin", password=PASSWORD)
    with pytest.raises(InputError, match="last enabled admin"):
        u.disable("ada")
    with pytest.raises(InputError, match="last enabled admin"):
        u.set_role("ada", "editor")
    u.add("bea", role="admin", password=PASSWORD)
    u.set_role("ada", "editor")  # another admin remains
    with pytest.raises(InputError, match="last enabled admin"):
        u.disable("bea")


def test_overview_counts_tokens_and_says_who_has_a_password(r):
    u = Users(r)
    u.add("ada", role="admin", password=PASSWORD)
    u.add("bot", role="viewer", password=None)
    u.new_token("bot")
    u.new_token("bot")
    rows = {x["name"]: x for x in u.overview()}
    assert rows["bot"]["tokens"] == 2 and not rows["bot"]["has_password"]
    assert rows["ada"]["tokens"] == 0 and rows["ada"]["has_password"] and rows["ada"]["sees_names"]


def test_cli_users_role_and_enable(db_path):
    run = CliRunner().invoke
    run(cli, ["users", "add", "ada", "--role", "admin", "--no-password", "--db", str(db_path)])
    run(cli, ["users", "add", "sami", "--no-password", "--db", str(db_path)])
    res = run(cli, ["users", "role", "sami", "editor", "--why", "promoted", "--db", str(db_path)])
    assert res.exit_code == 0 and "sami is now editor" in res.output
    assert run(cli, ["users", "role", "ada", "viewer", "--db", str(db_path)]).exit_code == 2  # last admin
    run(cli, ["users", "disable", "sami", "--db", str(db_path)])
    res = run(cli, ["users", "enable", "sami", "--db", str(db_path)])
    assert res.exit_code == 0 and "enabled sami" in res.output


# -- the /users page -----------------------------------------------------------------------
def test_admin_sees_every_account_and_a_link_to_the_page(admin):
    c, _ = admin
    html = c.get("/users").text
    for name in ("vera", "eddie", "ada", "bot"):
        assert f'data-user="{name}"' in html
    assert 'href="/users"' in c.get("/map").text
    row = html.split('data-user="bot"')[1].split("</tr>")[0]
    assert "tokens only" in row and "Revoke 1 token(s)" in row


@pytest.mark.parametrize("who", ["vera", "eddie"])
def test_viewer_and_editor_are_refused_the_page_and_every_change(app, who):
    c = TestClient(app)
    token = login(c, who)
    assert 'href="/users"' not in c.get("/map").text
    res = c.get("/users")
    assert res.status_code == 403 and "admin role" in res.text
    assert c.get("/api/users").status_code == 403
    posts = [("/users/add", {"name": "mallory", "role": "admin", "password": NEW_PW, "password2": NEW_PW, "why": "x"}),
             ("/users/vera/role", {"role": "admin", "why": "x"}), ("/users/ada/disable", {"why": "x"}),
             ("/users/bot/revoke", {"why": "x"}), ("/users/vera/enable", {"why": "x"})]
    for path, data in posts:
        res = c.post(path, data={**data, "csrf": token}, follow_redirects=False)
        assert res.status_code == 403, path
    res = c.post("/api/users", json={"name": "mallory", "role": "admin", "password": NEW_PW},
                 headers={"X-CSRF-Token": token})
    assert res.status_code == 403
    assert [u.name for u in Users(app.state.reckon).list()] == ["ada", "bot", "eddie", "vera"]
    assert Users(app.state.reckon).get("vera").role == "viewer"


def test_admin_adds_an_account_that_can_log_in(admin, app):
    c, token = admin
    res = c.post("/users/add", data={"csrf": token, "name": "nour", "role": "viewer", "can_see_names": "1",
                                     "password": NEW_PW, "password2": NEW_PW, "why": "joins the team"},
                 follow_redirects=False)
    assert res.status_code == 303 and res.headers["location"].startswith("/users?done=added")
    assert "Account added" in c.get(res.headers["location"]).text
    users = Users(app.state.reckon)
    assert users.get("nour").sees_names and users.authenticate("nour", NEW_PW)
    ev = app.state.reckon.audit_log(action="users.add")[-1]
    assert ev.actor == "web:ada" and ev.why == "joins the team" and NEW_PW not in str(ev.payload)


def test_add_form_refuses_differing_or_missing_passwords(admin, app):
    c, token = admin
    base = {"csrf": token, "name": "nour", "role": "viewer", "why": "x"}
    res = c.post("/users/add", data={**base, "password": NEW_PW, "password2": NEW_PW + "!"})
    assert res.status_code == 400 and "differ" in res.text
    res = c.post("/users/add", data={**base})
    assert res.status_code == 400 and "initial password" in res.text
    res = c.post("/users/add", data={**base, "password": "short", "password2": "short"})
    assert res.status_code == 400 and "too short" in res.text
    res = c.post("/users/add", data={**base, "token_only": "1"}, follow_redirects=False)
    assert res.status_code == 303
    assert Users(app.state.reckon).authenticate("nour", "") is None


def test_admin_changes_a_role_disables_enables_and_revokes(admin, app):
    c, token = admin
    r = app.state.reckon
    users = Users(r)
    assert c.post("/users/vera/role", data={"csrf": token, "role": "editor", "why": "reviews now"},
                  follow_redirects=False).status_code == 303
    assert users.get("vera").role == "editor"
    vera = TestClient(app)
    login(vera, "vera")
    assert c.post("/users/vera/disable", data={"csrf": token, "why": "left"}, follow_redirects=False).status_code == 303
    assert vera.get("/api/me").status_code == 401  # the open session ended
    assert users.get("vera").disabled
    assert c.post("/users/vera/enable", data={"csrf": token, "why": "back"}, follow_redirects=False).status_code == 303
    assert not users.get("vera").disabled
    secret = users.new_token("bot")
    assert c.post("/users/bot/revoke", data={"csrf": token, "why": "laptop lost"}, follow_redirects=False).status_code == 303
    assert users.token_user(secret) is None
    actions = [(e.action, e.actor, e.why) for e in r.audit_log() if e.actor == "web:ada"]
    assert [a for a, _, _ in actions] == ["users.role", "users.disable", "users.enable", "users.revoke"]
    assert ("users.revoke", "web:ada", "laptop lost") in actions


def test_admin_cannot_disable_or_demote_themself_in_the_browser(admin, app):
    c, token = admin
    Users(app.state.reckon).add("bea", role="admin", password=PASSWORD)  # not the last admin either way
    res = c.post("/users/ada/disable", data={"csrf": token, "why": "oops"})
    assert res.status_code == 400 and "your own account" in res.text
    res = c.post("/users/ada/role", data={"csrf": token, "role": "viewer", "why": "oops"})
    assert res.status_code == 400
    assert Users(app.state.reckon).get("ada").role == "admin"


def test_account_changes_need_the_csrf_token(admin, app):
    c, _ = admin
    for path, data in [("/users/add", {"name": "x", "token_only": "1", "why": "x"}), ("/users/vera/disable", {"why": "x"})]:
        assert c.post(path, data=data, follow_redirects=False).status_code == 403
        assert c.post(path, data={**data, "csrf": "forged"}, follow_redirects=False).status_code == 403
    assert not Users(app.state.reckon).get("vera").disabled


def test_json_api_with_an_admin_token(app):
    r = app.state.reckon
    secret = Users(r).new_token("ada")
    c = TestClient(app, headers={"Authorization": f"Bearer {secret}"})
    res = c.post("/api/users", json={"name": "sami", "role": "editor", "password": NEW_PW, "why": "api"})
    assert res.status_code == 200 and res.json()["result"]["role"] == "editor"
    assert c.post("/api/users/sami/role", json={"role": "viewer", "can_see_names": True, "why": "x"}).json()["result"] == \
        {"name": "sami", "role": "viewer", "can_see_names": True}
    assert c.post("/api/users/sami/disable", json={"why": "x"}).json()["result"]["disabled"] is True
    assert c.post("/api/users/sami/enable", json={}).json()["result"]["disabled"] is False
    assert c.post("/api/users/bot/revoke", json={"why": "x"}).json()["result"]["revoked"] == 1
    listed = {u["name"]: u for u in c.get("/api/users").json()}
    assert listed["sami"]["role"] == "viewer" and listed["bot"]["tokens"] == 0
    assert c.post("/api/users", json={"name": "sami", "role": "viewer"}).status_code == 400  # exists
    assert c.post("/api/users/nobody/disable", json={}).status_code == 404


def test_account_names_are_inert_on_the_page(admin, app):
    c, _ = admin
    Users(app.state.reckon).add("<script>alert(1)</script>", role="viewer", password=None)
    html = c.get("/users").text
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


# -- login rate limit -----------------------------------------------------------------------
def _try(c: TestClient, name: str, password: str):
    token = csrf_of(c.get("/login").text)
    return c.post("/login", data={"name": name, "password": password, "csrf": token}, follow_redirects=False)


def test_failed_logins_for_one_name_are_refused_with_429(r):
    Users(r).add("ada", role="admin", password=PASSWORD)
    c = TestClient(create_app(r, login_limit=LoginLimit(per_name=3, per_address=100)))
    for _ in range(3):
        assert _try(c, "ada", "wrong password").status_code == 401
    res = _try(c, "ada", PASSWORD)  # even the right password waits
    assert res.status_code == 429 and "too many failed logins" in res.text
    assert 0 < int(res.headers["retry-after"]) <= 15 * 60
    assert "reckon_session" not in res.cookies


def test_the_refusal_does_not_tell_whether_the_account_exists(r):
    Users(r).add("ada", role="admin", password=PASSWORD)
    c = TestClient(create_app(r, login_limit=LoginLimit(per_name=3, per_address=100)))
    answers = {}
    for name in ("ada", "nobody"):
        codes = [_try(c, name, "wrong password").status_code for _ in range(4)]
        res = _try(c, name, "wrong password")
        answers[name] = (codes, res.status_code, re.sub(r"csrf\" value=\"[^\"]+", "", res.text))
    assert answers["ada"] == answers["nobody"]
    assert answers["ada"][0] == [401, 401, 401, 429]


def test_a_right_password_clears_the_names_count(r):
    Users(r).add("ada", role="admin", password=PASSWORD)
    c = TestClient(create_app(r, login_limit=LoginLimit(per_name=3, per_address=100)))
    for _ in range(2):
        _try(c, "ada", "wrong password")
    assert _try(c, "ada", PASSWORD).status_code == 303
    for _ in range(2):
        assert _try(c, "ada", "wrong password").status_code == 401
    assert _try(c, "ada", PASSWORD).status_code == 303


def test_one_address_trying_many_names_is_refused(r):
    Users(r).add("ada", role="admin", password=PASSWORD)
    c = TestClient(create_app(r, login_limit=LoginLimit(per_name=100, per_address=4)))
    for i in range(4):
        assert _try(c, f"guess{i}", "wrong password").status_code == 401
    assert _try(c, "ada", PASSWORD).status_code == 429  # a new name from the same address
    other = TestClient(create_app(r, login_limit=LoginLimit(per_name=100, per_address=4)), client=("10.1.2.3", 5000))
    assert _try(other, "ada", PASSWORD).status_code == 303  # another address is not held back


def test_the_count_holds_across_workers_sharing_the_database(r):
    Users(r).add("ada", role="admin", password=PASSWORD)
    limit = LoginLimit(per_name=4, per_address=100)
    one, two = TestClient(create_app(r, login_limit=limit)), TestClient(create_app(r, login_limit=limit))
    for c in (one, two, one, two):
        assert _try(c, "ada", "wrong password").status_code == 401
    assert _try(one, "ada", PASSWORD).status_code == 429
    assert _try(two, "ada", PASSWORD).status_code == 429


def test_failures_are_stored_as_digests_only(r):
    throttle = LoginThrottle(r, LoginLimit())
    throttle.failed("my secret passphrase typed as a name", "127.0.0.1")
    with r.store.connect() as conn:
        rows = [dict(x._mapping) for x in conn.execute(sa.select(login_failures))]
    assert len(rows) == 2 and all(len(x["key_sha256"]) == 64 for x in rows)
    assert "passphrase" not in str(rows) and "127.0.0.1" not in str(rows)


def test_counts_end_with_their_window_and_blocks_with_their_time(r):
    t0 = dt.datetime(2025, 1, 1, 12, 0)
    throttle = LoginThrottle(r, LoginLimit(per_name=3, per_address=0, window_minutes=10, block_minutes=5))
    throttle.failed("ada", None, now=t0)
    throttle.failed("ada", None, now=t0 + dt.timedelta(minutes=1))
    throttle.failed("ada", None, now=t0 + dt.timedelta(minutes=11))  # the first two are out of the window
    assert throttle.blocked("ada", None, now=t0 + dt.timedelta(minutes=11)) == 0
    assert throttle.failed("ada", None, now=t0 + dt.timedelta(minutes=12)) == 0
    wait = throttle.failed("ada", None, now=t0 + dt.timedelta(minutes=13))
    assert wait == 300
    assert throttle.blocked("ADA ", None, now=t0 + dt.timedelta(minutes=14)) == 240  # case and spaces do not matter
    assert throttle.blocked("ada", None, now=t0 + dt.timedelta(minutes=18, seconds=1)) == 0
    assert throttle.failed("ada", None, now=t0 + dt.timedelta(minutes=18, seconds=1)) == 0  # counting starts again
    with r.store.connect() as conn:
        assert conn.execute(sa.select(login_failures.c.failures)).scalar_one() == 1


def test_old_rows_are_removed(r):
    t0 = dt.datetime(2025, 1, 1, 12, 0)
    throttle = LoginThrottle(r, LoginLimit(per_name=3, per_address=3, window_minutes=10, block_minutes=5))
    throttle.failed("ada", "10.0.0.1", now=t0)
    throttle.failed("bea", "10.0.0.2", now=t0 + dt.timedelta(hours=1))
    with r.store.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(login_failures)).scalar_one() == 2


def test_limits_come_from_the_environment():
    limit = LoginLimit.from_env({"RECKON_LOGIN_MAX_FAILURES": "8", "RECKON_LOGIN_BLOCK_MINUTES": "2.5"})
    assert limit == LoginLimit(per_name=8, per_address=20, window_minutes=15, block_minutes=2.5)
    assert LoginLimit.from_env({}) == LoginLimit()
    with pytest.raises(InputError):
        LoginLimit.from_env({"RECKON_LOGIN_MAX_FAILURES": "many"})


def test_a_zero_limit_switches_that_count_off(r):
    Users(r).add("ada", role="admin", password=PASSWORD)
    c = TestClient(create_app(r, login_limit=LoginLimit(per_name=0, per_address=0)))
    for _ in range(8):
        assert _try(c, "ada", "wrong password").status_code == 401
    assert _try(c, "ada", PASSWORD).status_code == 303

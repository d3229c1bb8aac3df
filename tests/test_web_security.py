"""Security of the web app: CSRF, roles, inert report text, names hidden, bound SQL parameters."""

from __future__ import annotations

import ast
import logging
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from reckon.web.app import MUTATING, create_app
from reckon.web.auth import Users
from web_support import PASSWORD, add_claim, add_document, csrf_of, login, cheap_argon2  # noqa: F401

WEB = Path(__file__).parent.parent / "src" / "reckon" / "web"
EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)><b>bold</b>'


@pytest.fixture
def app(r):
    u = Users(r)
    u.add("viewer", role="viewer", password=PASSWORD)
    u.add("editor", role="editor", password=PASSWORD)
    u.add("admin", role="admin", password=PASSWORD)
    return create_app(r)


def mutating_routes(app) -> list[tuple[str, str]]:
    out = []
    for route in app.routes:
        for m in sorted(getattr(route, "methods", None) or ()):
            if m in MUTATING and route.path != "/login":
                out.append((m, re.sub(r"\{[^}]+\}", "x1", route.path)))
    return out


def test_there_are_mutating_routes_to_check(app):
    paths = {p for _, p in mutating_routes(app)}
    assert {"/logout", "/places/set", "/api/places/set", "/api/incidents/merge", "/victims/decide"} <= paths


def test_every_mutating_request_without_csrf_token_is_refused(app):
    c = TestClient(app)
    login(c, "admin")
    for method, path in mutating_routes(app):
        res = c.request(method, path, data={"why": "x"}, follow_redirects=False)
        assert res.status_code == 403, (method, path, res.status_code)


def test_every_mutating_request_with_a_wrong_csrf_token_is_refused(app):
    c = TestClient(app)
    login(c, "admin")
    for method, path in mutating_routes(app):
        res = c.request(method, path, headers={"X-CSRF-Token": "not-the-token"}, follow_redirects=False)
        assert res.status_code == 403, (method, path)


def test_every_mutating_request_without_login_is_refused(app):
    c = TestClient(app)
    for method, path in mutating_routes(app):
        res = c.request(method, path, follow_redirects=False)
        assert res.status_code in (401, 303), (method, path)
        if res.status_code == 303:
            assert res.headers["location"].startswith("/login")


def test_viewer_with_valid_csrf_is_refused_every_correction(app):
    c = TestClient(app)
    token = login(c, "viewer")
    for method, path in mutating_routes(app):
        if path == "/logout":
            continue
        res = c.request(method, path, headers={"X-CSRF-Token": token}, follow_redirects=False)
        assert res.status_code == 403, (method, path)
        assert "editor" in res.text or "admin" in res.text


def test_viewer_api_token_is_refused_corrections(app, r):
    secret = Users(r).new_token("viewer")
    c = TestClient(app)
    res = c.post("/api/places/set", json={"mention": "m", "place_id": "p", "why": "w"},
                 headers={"Authorization": f"Bearer {secret}"})
    assert res.status_code == 403


def test_login_without_csrf_is_refused(app):
    c = TestClient(app)
    res = c.post("/login", data={"name": "admin", "password": PASSWORD}, follow_redirects=False)
    assert res.status_code == 403
    assert "reckon_session" not in res.cookies


def test_wrong_password_gives_no_session(app):
    c = TestClient(app)
    token = csrf_of(c.get("/login").text)
    res = c.post("/login", data={"name": "admin", "password": "wrong password", "csrf": token}, follow_redirects=False)
    assert res.status_code == 401 and "wrong name or password" in res.text
    assert c.get("/api/me").status_code == 401


def test_session_cookie_is_httponly_and_samesite_strict(app):
    c = TestClient(app)
    token = csrf_of(c.get("/login").text)
    res = c.post("/login", data={"name": "admin", "password": PASSWORD, "csrf": token}, follow_redirects=False)
    cookie = res.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


def test_login_never_redirects_off_site(app):
    c = TestClient(app)
    token = csrf_of(c.get("/login").text)
    res = c.post("/login", data={"name": "admin", "password": PASSWORD, "csrf": token, "next": "//evil.example/x"},
                 follow_redirects=False)
    assert res.headers["location"] == "/map"


def test_api_needs_authentication(app):
    c = TestClient(app)
    for path in ("/api/documents", "/api/claims", "/api/me", "/openapi.json", "/api/users"):
        assert c.get(path).status_code == 401, path


def test_users_list_is_for_admins_only(app):
    c = TestClient(app)
    login(c, "editor")
    assert c.get("/api/users").status_code == 403
    c2 = TestClient(app)
    login(c2, "admin")
    assert {u["name"] for u in c2.get("/api/users").json()} == {"viewer", "editor", "admin"}


def test_passwords_never_stored_or_logged_in_clear(app, r, db_path, caplog):
    caplog.set_level(logging.DEBUG)
    c = TestClient(app)
    login(c, "viewer")
    c.get("/documents")
    r.close()
    raw = b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*"))
    assert PASSWORD.encode() not in raw
    assert PASSWORD not in caplog.text


def test_report_text_with_html_is_inert_on_document_and_claim_pages(app, r):
    text = f"Shelling on {EVIL} killed 3 people in Douma, a monitor said. More text follows here."
    d = add_document(r, "evil", text, title=EVIL, url="javascript:alert(1)")
    add_claim(r, d, text.split(". More")[0] + ".", killed="killed 3 people", place="Douma", actor=EVIL)
    c = TestClient(app)
    login(c, "viewer")
    for path in ("/documents", "/documents/evil"):
        html = c.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>bold</b>" not in html, path
        assert "&lt;script&gt;" in html
        assert 'href="javascript:' not in html
    assert c.get("/api/documents/evil").json()["title"] == EVIL  # JSON keeps the text as it is


def test_pages_forbid_inline_scripts(app):
    c = TestClient(app)
    csp = c.get("/login").headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]


def test_templates_have_no_inline_scripts_or_unescaped_output():
    for t in (WEB / "templates").glob("*.html"):
        src = t.read_text()
        assert "|safe" not in src.replace(" ", ""), t.name
        assert "autoescape false" not in src, t.name
        for m in re.finditer(r"<script([^>]*)>", src):
            assert "src=" in m.group(1), f"{t.name}: inline script"


def test_front_end_never_assigns_html_from_data():
    for js in (WEB / "static").glob("*.js"):
        src = js.read_text()
        assert ".innerHTML" not in src and "insertAdjacentHTML" not in src and "document.write" not in src, js.name


def _string_built_sql(path: Path) -> list[str]:
    """Calls of execute()/text() whose SQL is an f-string, a %-format, a concatenation or .format()."""
    bad = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                "execute", "exec_driver_sql", "text", "executescript"):
            for arg in node.args[:1]:
                if isinstance(arg, (ast.JoinedStr, ast.BinOp)) or (
                        isinstance(arg, ast.Call) and getattr(arg.func, "attr", "") == "format"):
                    bad.append(f"{path.name}:{node.lineno}")
    return bad


def test_sql_only_with_bound_parameters_in_the_web_package():
    bad = [b for p in WEB.rglob("*.py") for b in _string_built_sql(p)]
    assert bad == []
    for p in WEB.rglob("*.py"):
        assert "sa.text(" not in p.read_text() or p.name == "never", p.name


def test_loopback_app_refuses_other_host_names(r):
    from reckon.web.app import LOOPBACK_NAMES

    app = create_app(r, allowed_hosts=LOOPBACK_NAMES)
    assert TestClient(app, base_url="http://127.0.0.1:8000").get("/login").status_code == 200
    assert TestClient(app, base_url="http://attacker.example").get("/login").status_code == 400


def test_serve_binds_to_loopback_by_default(monkeypatch, db_path):
    from typer.testing import CliRunner

    import uvicorn

    from reckon.cli import app as cli

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw))
    res = CliRunner().invoke(cli, ["serve", "--db", str(db_path)])
    assert res.exit_code == 0, res.output
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8000


def test_audit_chain_stays_intact_after_web_changes(app, r):
    c = TestClient(app)
    token = login(c, "editor")
    c.post("/api/incidents/merge", json={"a": "x", "b": "y", "why": "w"}, headers={"X-CSRF-Token": token})
    Users(r).new_token("viewer", why="script")
    assert r.audit_verify() == []

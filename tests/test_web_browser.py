"""The web app in a real browser (Playwright driving Debian's Chromium).

Screenshots go to test-output/ at the repository root.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading
import time
from pathlib import Path

import pytest

import reckon
from reckon.web.auth import Users
from web_support import PASSWORD, add_claim, add_document, seed, cheap_argon2  # noqa: F401

pytestmark = [pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
OUT = Path(__file__).parent.parent / "test-output"
EVIL = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>'

if not os.path.exists(CHROMIUM):
    pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn

    from reckon.web.app import create_app

    db = tmp_path_factory.mktemp("web") / "browser.db"
    r = reckon.open(db)
    u = Users(r)
    u.add("vera", role="viewer", password=PASSWORD)
    u.add("eddie", role="editor", password=PASSWORD)
    u.add("ada", role="admin", password=PASSWORD)
    ids = seed(r)
    text = f"Gunmen shouting {EVIL} killed 2 people in Hama on Monday, witnesses said."
    d = add_document(r, "evil-report", text, title=EVIL)
    add_claim(r, d, text, killed="killed 2 people", place="Hama", lat=35.13, lon=36.75, admin1="Hama", actor=EVIL,
              event_type="violence_against_civilians", sub_event_type="attack", day=dt.date(2024, 3, 4))
    fix = "Rockets fell on Duma town overnight, residents said."
    d2 = add_document(r, "fix-report", fix, title="Rockets at night")
    add_claim(r, d2, fix, place="Duma town", day=dt.date(2024, 3, 5))
    r.incidents.resolve()
    ids["evil"] = next(i["id"] for i in r.incidents(event_type="violence_against_civilians").page(0, 5, "id"))
    port = _free_port()
    config = uvicorn.Config(create_app(r), host="127.0.0.1", port=port, log_level="warning", access_log=False)
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 15
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    assert srv.started, "server did not start"
    yield {"url": f"http://127.0.0.1:{port}", "ids": ids, "r": r}
    srv.should_exit = True
    thread.join(timeout=10)
    r.close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    # CSP bypassed: the page's CSP forbids eval, which Playwright's waits use; it also means the
    # inert-text checks below prove the escaping itself, not the CSP behind it.
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    pg = ctx.new_page()
    pg.dialogs = []  # type: ignore[attr-defined]
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
    offsite: list[str] = []
    pg.on("request", lambda req: offsite.append(req.url) if not req.url.startswith((server["url"], "data:")) else None)
    yield pg
    assert offsite == [], f"requests left the machine: {offsite}"
    ctx.close()


def shot(pg, name: str) -> None:
    OUT.mkdir(exist_ok=True)
    pg.screenshot(path=str(OUT / f"web_{name}.png"), full_page=True)


def log_in(pg, server, name: str, then: str = "/map") -> None:
    pg.goto(server["url"] + then)
    assert "/login" in pg.url
    pg.fill("input[name=name]", name)
    pg.fill("input[name=password]", PASSWORD)
    pg.click("button[type=submit]")
    pg.wait_for_url(server["url"] + then + "*")


def wait_for_map(pg) -> str:
    pg.wait_for_function("document.getElementById('map-status').textContent.includes('in view')", timeout=15000)
    return pg.text_content("#map-status") or ""


def test_log_in_and_filter_the_map(page, server):
    log_in(page, server, "vera")
    status = wait_for_map(page)
    assert status.startswith("4 incident(s)")  # the fifth has no coordinates
    page.wait_for_selector("path.leaflet-interactive")  # country boundaries from the vendored atlas
    # first-level boundaries (Natural Earth admin-1) come after the markers: lines between governorates, their names
    page.wait_for_function("document.getElementById('map').dataset.admin1 === 'drawn'")
    assert page.locator("path.admin1-line").count() >= 1
    names = page.locator(".admin1-label").all_text_contents()
    assert {"Idlib", "Hama"} <= set(names), names
    shot(page, "map_all")
    page.select_option("select[name=event_type]", "protests")
    page.click("#filters button[type=submit]")
    page.wait_for_function("document.getElementById('map-status').textContent.startsWith('1 incident(s)')")
    assert "event_type=protests" in page.url
    shot(page, "map_filtered")


def test_map_popup_shows_report_text_inert(page, server):
    log_in(page, server, "vera", then="/map?event_type=violence_against_civilians")
    wait_for_map(page)
    page.wait_for_selector(".incident-marker")
    page.locator(".incident-marker").first.click(force=True)
    popup = page.wait_for_selector(".leaflet-popup-content")
    text = popup.text_content() or ""
    assert "<script>" in text and "<img" in text  # shown as text
    assert popup.query_selector("img, script") is None
    assert page.evaluate("window.__pwned") is None and page.dialogs == []
    shot(page, "map_popup_inert")


def test_open_an_incident_and_see_the_highlighted_quote(page, server):
    log_in(page, server, "vera", then="/incidents")
    page.click(f"a[href='/incidents/{server['ids']['shelling']}']")
    page.wait_for_selector("blockquote.context")
    mark = page.locator("blockquote mark.f-fatalities").first
    assert mark.text_content() == "killed 12 civilians"
    assert page.locator("blockquote mark.f-location").first.text_content() == "Douma"
    shot(page, "incident_quote")


def test_incidents_table_sorts_and_searches(page, server):
    log_in(page, server, "vera", then="/incidents")
    page.click("a[data-sort=fatalities]")
    page.wait_for_url("**order=*fatalities*")
    first = page.locator("#incidents tbody tr").first.text_content() or ""
    assert "Douma" in first
    page.fill("input[name=q]", "Kafr")
    page.click("#filters button[type=submit]")
    rows = page.locator("#incidents tbody tr")
    assert rows.count() == 1 and "Kafr Nabl" in (rows.first.text_content() or "")
    shot(page, "incidents_table")


def test_evil_incident_page_is_inert(page, server):
    log_in(page, server, "vera", then=f"/incidents/{server['ids']['evil']}")
    assert page.evaluate("window.__pwned") is None and page.dialogs == []
    assert "<script>" in (page.text_content("blockquote.context") or "")
    shot(page, "incident_inert")


def test_timeline_draws_bars(page, server):
    log_in(page, server, "vera", then="/timeline")
    page.wait_for_selector("#timeline svg rect")
    assert "fatalities" in (page.text_content("#timeline-status") or "")
    shot(page, "timeline")


def test_editor_corrects_a_place(page, server):
    from reckon.places.api import PlacesAPI

    if not hasattr(PlacesAPI, "set") or not hasattr(PlacesAPI, "mentions"):
        pytest.skip("place review (r.places.mentions/set) is not in this installation")
    page.set_default_timeout(600_000)  # the first use of the built-in gazetteer may build its index (minutes)
    log_in(page, server, "eddie", then="/places?status=unresolved")
    row = page.locator("#mentions tr", has_text="Duma town")
    row.locator("input[name=place_id]").fill("gn:170590")
    row.locator("input[name=why]").fill("the Douma in Rif Dimashq, per the report")
    row.locator("button[type=submit]").click()
    page.wait_for_selector("#fixed")
    shot(page, "place_fixed")
    moved = [m for m in server["r"].places.mentions(doc="fix-report") if m["mention"] == "Duma town"]
    assert moved and moved[0]["place_id"] == "gn:170590"
    ev = server["r"].audit_log(action="places.set")[-1]
    assert ev.actor == "web:eddie"


def test_viewer_is_refused_a_correction(page, server):
    log_in(page, server, "vera", then="/places?status=unresolved")
    assert page.locator("form[action='/places/set']").count() == 0  # no form offered
    status = page.evaluate("""async () => {
        const res = await fetch('/api/places/set', {method: 'POST', headers: {'Content-Type': 'application/json',
            'X-CSRF-Token': document.body.dataset.csrf},
            body: JSON.stringify({mention: 'Duma town', place_id: 'gn:170590', why: 'try'})});
        return res.status; }""")
    assert status == 403
    page.goto(server["url"] + f"/incidents/{server['ids']['strike']}")
    assert page.locator("form[action$='/edit']").count() == 0
    # a hand-made form post is refused by the server too
    page.evaluate("""(id) => { const f = document.createElement('form'); f.method = 'post';
        f.action = '/incidents/' + id + '/edit';
        for (const [k, v] of [['csrf', document.body.dataset.csrf], ['field', 'fatalities'], ['value', '999'], ['why', 'x']]) {
            const i = document.createElement('input'); i.name = k; i.value = v; f.append(i); }
        document.body.append(f); f.submit(); }""", server["ids"]["strike"])
    page.wait_for_selector("text=Refused")
    assert "this needs the editor role" in (page.text_content("p.error") or "")
    shot(page, "viewer_refused")


def test_admin_manages_accounts(page, server):
    log_in(page, server, "ada", then="/users")
    form = page.locator("#add-user")
    form.locator("input[name=name]").fill("nour")
    form.locator("select[name=role]").select_option("viewer")
    form.locator("input[name=password]").fill("nour's first password")
    form.locator("input[name=password2]").fill("nour's first password")
    form.locator("input[name=why]").fill("joins the coast team")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#done")
    row = page.locator("tr[data-user=nour]")
    assert row.locator("td.role").text_content() == "viewer"
    row.locator(".role-form select[name=role]").select_option("editor")
    row.locator(".role-form input[name=why]").fill("reviews places")
    row.locator(".role-form button").click()
    page.wait_for_selector("text=Role changed")
    assert page.locator("tr[data-user=nour] td.role").text_content() == "editor"
    row = page.locator("tr[data-user=nour]")
    row.locator(".disable-form input[name=why]").fill("left the team")
    row.locator(".disable-form button").click()
    page.wait_for_selector("text=Account disabled")
    assert page.locator("tr[data-user=nour] td.state").text_content() == "disabled"
    shot(page, "accounts")
    actions = [(e.action, e.actor) for e in server["r"].audit_log() if e.target == "user:nour"]
    assert actions == [("users.add", "web:ada"), ("users.role", "web:ada"), ("users.disable", "web:ada")]


def test_editor_gets_no_accounts_page(page, server):
    log_in(page, server, "eddie", then="/map")
    assert page.locator("header nav a[href='/users']").count() == 0
    res = page.goto(server["url"] + "/users")
    assert res is not None and res.status == 403

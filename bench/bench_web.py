"""Benchmark: web app requests over 50,000 incidents.

    python bench/bench_web.py                   # 50,000 incidents
    python bench/bench_web.py --incidents 100000
    python bench/bench_web.py --browser         # also full page loads in Chromium

Writes synthetic incidents (spread over Syria's governorates and two years, with
figures, actors and searchable text) straight into the incidents store, then
times the requests the map and the incidents table make, through the whole
FastAPI stack in process (authentication, query, JSON or HTML rendering):
median and worst of several runs, with the size of each answer.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

PLACES = [  # (governorate, lat, lon) centres
    ("Aleppo", 36.20, 37.16), ("Idlib", 35.93, 36.63), ("Hama", 35.13, 36.75), ("Homs", 34.73, 36.71),
    ("Latakia", 35.52, 35.79), ("Tartus", 34.89, 35.89), ("Rif Dimashq", 33.57, 36.40), ("Damascus", 33.51, 36.29),
    ("Daraa", 32.62, 36.10), ("As-Suwayda", 32.71, 36.57), ("Quneitra", 33.13, 35.82), ("Deir ez-Zor", 35.34, 40.14),
    ("Ar-Raqqa", 35.95, 39.01), ("Al-Hasakah", 36.50, 40.75),
]
TYPES = [("explosions_remote_violence", "shelling_artillery_missile_attack"), ("explosions_remote_violence", "air_drone_strike"),
         ("battles", "armed_clash"), ("violence_against_civilians", "attack"), ("protests", "peaceful_protest")]
ACTORS = ["Government forces", "Armed opposition", "Islamic State", "SDF", "Unidentified gunmen", "Russian air force"]
WORDS = "market school bakery hospital checkpoint convoy mosque road village farm bridge camp".split()


def make_rows(n: int, seed: int = 7) -> list[dict]:
    rnd = random.Random(seed)
    start = dt.date(2023, 1, 1)
    now = dt.datetime(2024, 1, 1)
    rows = []
    for i in range(n):
        gov, lat, lon = rnd.choice(PLACES)
        et, sub = rnd.choice(TYPES)
        best = rnd.choice([0, 0, 1, 1, 2, 3, 4, 5, 7, 10, 15, 25, 40])
        day = start + dt.timedelta(days=rnd.randrange(730))
        place = f"{gov} village {i % 997}"
        actor = rnd.choice(ACTORS)
        what = rnd.choice(WORDS)
        row = {
            "id": f"{i:012x}", "anchor": f"a{i}", "event_type": et, "sub_event_type": sub, "date_start": day,
            "date_end": day, "time_precision": 1, "location": place, "country": "SY", "admin1": gov, "admin2": None,
            "place_id": None, "lat": lat + rnd.gauss(0, 0.35), "lon": lon + rnd.gauss(0, 0.35), "geo_precision": 1,
            "locations": [{"name": place, "admin1": gov, "country": "SY"}], "actor1": actor, "actor2": None,
            "fatalities_low": best, "fatalities_best": best, "fatalities_high": best + rnd.choice([0, 0, 2, 5]),
            "injured_low": None, "injured_best": None, "injured_high": None,
            "displaced_low": None, "displaced_best": None, "displaced_high": None,
            "figures": {}, "corroboration": rnd.randint(1, 4), "n_claims": rnd.randint(1, 6), "n_documents": rnd.randint(1, 4),
            "conflict": rnd.random() < 0.1, "conflicts": [], "edited": {}, "places_text": f"{place} {gov}",
            "actors_text": actor, "text": f"{actor} hit a {what} in {place}, {gov}; {best} killed.", "resolved_at": now,
        }
        rows.append(row)
    return rows


def timed(client, url: str, runs: int) -> tuple[float, float, int]:
    times = []
    size = 0
    for _ in range(runs):
        t0 = time.perf_counter()
        res = client.get(url)
        times.append(time.perf_counter() - t0)
        assert res.status_code == 200, (url, res.status_code, res.text[:200])
        size = len(res.content)
    return statistics.median(times), max(times), size


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--incidents", type=int, default=50_000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--browser", action="store_true", help="also time full page loads in /usr/bin/chromium")
    args = ap.parse_args()

    from fastapi.testclient import TestClient

    import reckon
    from reckon.incidents.build import write_incidents
    from reckon.web.app import create_app
    from reckon.web.auth import Users

    with tempfile.TemporaryDirectory() as tmp:
        r = reckon.open(Path(tmp) / "bench.db")
        t0 = time.perf_counter()
        with r.store.transaction() as conn:
            write_incidents(conn, make_rows(args.incidents), [])
        print(f"wrote {args.incidents:,} incidents in {time.perf_counter() - t0:.1f} s")
        users = Users(r)
        users.add("bench", role="viewer", password=None)
        token = users.new_token("bench")
        client = TestClient(create_app(r), headers={"Authorization": f"Bearer {token}"})
        syria = "35.5,32.0,42.5,37.5"
        cases = [
            ("map data, all of Syria, zoom 6", f"/api/map?zoom=6&bbox={syria}"),
            ("map data, all of Syria, zoom 8", f"/api/map?zoom=8&bbox={syria}"),
            ("map data, one governorate, zoom 10", "/api/map?zoom=10&bbox=36.2,35.5,37.1,36.3"),
            ("map data, filtered (battles, >= 5 killed)", f"/api/map?zoom=7&bbox={syria}&event_type=battles&min_fatalities=5"),
            ("map page (HTML)", "/map"),
            ("incidents table JSON, newest first", "/api/incidents"),
            ("incidents table JSON, most killed first", "/api/incidents?order=-fatalities"),
            ("incidents table JSON, page 500", "/api/incidents?offset=25000"),
            ("incidents table JSON, filtered", "/api/incidents?event_type=battles&admin1=Idlib&date_from=2023-06-01"),
            ("incidents table JSON, full-text search", "/api/incidents?q=bakery%20Hama"),
            ("incidents table page (HTML)", "/incidents"),
            ("incidents table page (HTML), search + sort", "/incidents?q=hospital&order=-fatalities"),
            ("timeline data", "/api/timeline"),
        ]
        timed(client, cases[0][1], 1)  # warm up
        print(f"\n{args.incidents:,} incidents, {args.runs} runs each; Python {sys.version.split()[0]}")
        print(f"{'request':<48} {'median':>9} {'worst':>9} {'bytes':>10}")
        for label, url in cases:
            med, worst, size = timed(client, url, args.runs)
            print(f"{label:<48} {med * 1000:>7.0f}ms {worst * 1000:>7.0f}ms {size:>10,}")
        if args.browser:
            browser_loads(r, users, args.runs)
        r.close()


def browser_loads(r, users, runs: int) -> None:
    """Time from navigation to a drawn map / a loaded table in Chromium, through a real server."""
    import socket
    import threading

    import uvicorn
    from playwright.sync_api import sync_playwright

    from reckon.web.app import SESSION_COOKIE, create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(r), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=srv.run, daemon=True).start()
    while not srv.started:
        time.sleep(0.05)
    users.add("bench-browser", role="viewer", password="bench password 1")
    secret, _ = users.open_session(users.get("bench-browser"))
    base = f"http://127.0.0.1:{port}"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        ctx = b.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        ctx.add_cookies([{"name": SESSION_COOKIE, "value": secret, "url": base}])
        pg = ctx.new_page()
        print(f"\nChromium, full page loads ({runs} runs)")
        # the map page fetches the first-level boundaries after its markers are drawn: the next load waits
        # (untimed) until that is done too, so it does not start while the page before it is still busy
        settled = "['drawn', 'hidden'].includes(document.getElementById('map').dataset.admin1)"
        for label, url, ready, settle in [
            ("map page until the markers are drawn", "/map", "document.getElementById('map-status').textContent.includes('in view')", settled),
            ("map page until first-level boundaries are drawn", "/map", settled, None),
            ("incidents table page until load", "/incidents", "document.readyState === 'complete'", None),
        ]:
            times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                pg.goto(base + url)
                pg.wait_for_function(ready)
                times.append(time.perf_counter() - t0)
                if settle:
                    pg.wait_for_function(settle)
            print(f"{label:<48} {statistics.median(times) * 1000:>7.0f}ms {max(times) * 1000:>7.0f}ms")
        b.close()
    srv.should_exit = True


if __name__ == "__main__":
    main()

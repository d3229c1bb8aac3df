"""Benchmark: incident resolution on synthetic claims, and incident queries on the result.

    python bench/bench_resolve.py                 # 10k, 25k, 50k, 100k claims
    python bench/bench_resolve.py --sizes 20000   # one size

Synthetic claims: events at villages spread over a region and two years; each event is
reported by one to six documents with spelling variants, a date off by up to a day, or no
date, and differing figures; a fifth of the documents are copies of another one. Prints
seconds per resolve (with claims per second, to show the growth is near-linear) and the
time of typical web-app queries (count, a sorted page, a filtered page, full-text search,
timeline, map clusters).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

import reckon
from reckon.store.schema import claim_locations, claims, documents

SYL = ["al", "ka", "mu", "ra", "sa", "ta", "ha", "ba", "da", "qa", "za", "ni", "ri", "bu", "lo", "fi", "ya", "ja"]
TYPES = [("violence_against_civilians", "attack"), ("explosions_remote_violence", "shelling_artillery_missile_attack"),
         ("explosions_remote_violence", "air_drone_strike"), ("battles", "armed_clash")]
ADMIN1 = ["Hama", "Homs", "Idlib", "Aleppo", "Latakia", "Tartus", "Daraa", "Deir ez-Zor"]


def village(rng: random.Random) -> str:
    return "".join(rng.choice(SYL) for _ in range(rng.randint(2, 4))).capitalize()


def variant(name: str, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.3:
        return "Al-" + name
    if r < 0.5:
        return name.replace("a", "e", 1)
    if r < 0.6:
        return name + "h"
    return name


def build(db: Path, n_claims: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    r = reckon.open(db)
    n_places = max(200, n_claims // 20)
    places = []
    for i in range(n_places):
        places.append((village(rng) + str(i), rng.choice(ADMIN1), 33.0 + rng.random() * 4, 35.8 + rng.random() * 5))
    start = dt.date(2023, 1, 1)
    docs, cls, locs = [], [], []
    did = cid = 0
    now = dt.datetime(2025, 1, 1)
    while cid < n_claims:
        name, a1, lat, lon = rng.choice(places)
        day = start + dt.timedelta(days=rng.randint(0, 730))
        et, st = rng.choice(TYPES)
        true_killed = rng.randint(0, 60)
        copies_of: str | None = None
        for _ in range(rng.randint(1, 6)):
            if cid >= n_claims:
                break
            did += 1
            cid += 1
            spelled = variant(name, rng)
            killed = max(0, true_killed + rng.randint(-5, 5))
            if copies_of is not None and rng.random() < 0.2:
                text = copies_of + " Republished."
            else:
                text = f"Report {did}: {killed} people were killed in {spelled} ({a1}) on {day.isoformat()}, sources said."
                copies_of = text
            dated = rng.random() > 0.15
            d = day + dt.timedelta(days=rng.choice((0, 0, 0, 1, -1))) if dated else None
            docs.append(dict(id=did, sha256=hashlib.sha256(f"{did}:{text}".encode()).hexdigest(), doc=f"d{did}",
                             text=text, date=day + dt.timedelta(days=1), url=f"https://site{did % 300}.example/{did}",
                             n_words=len(text.split()), ingested_at=now, extracted_at=now))
            cls.append(dict(id=cid, document_id=did, seq=0, event_type=et, sub_event_type=st, date_start=d, date_end=d,
                            fatalities_min=killed, fatalities_max=killed, has_fatalities=True, reported_by=[],
                            quote_start=0, quote_end=len(text), spans={}, confidence=0.8, extractor="bench"))
            locs.append(dict(claim_id=cid, seq=0, name=spelled, kind="place", admin1=a1, country="SY",
                             lat=lat, lon=lon, geo_precision=1 if rng.random() < 0.5 else None,
                             status="resolved", place_id=None))
    with r.store.transaction() as conn:
        for table, rows in ((documents, docs), (claims, cls), (claim_locations, locs)):
            for i in range(0, len(rows), 5000):
                conn.execute(table.insert(), rows[i : i + 5000])
    r.close()


def timed(fn) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def cpu_timed(fn) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds of this process, result): CPU time is what a busy machine distorts least."""
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - w, time.process_time() - c, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 25_000, 50_000, 100_000])
    args = ap.parse_args()
    print(f"python {sys.version.split()[0]}")
    print(f"{'claims':>8} {'incidents':>10} {'wall s':>8} {'cpu s':>7} {'claims/cpu s':>13} {'2nd run cpu s':>14}")
    last_db = None
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            db = Path(tmp) / f"b{n}.db"
            build(db, n)
            with reckon.open(db) as r:
                w1, c1, res = cpu_timed(r.incidents.resolve)
                _, c2, _ = cpu_timed(r.incidents.resolve)
                print(f"{n:>8} {res.incidents:>10} {w1:>8.2f} {c1:>7.2f} {n / c1:>13.0f} {c2:>14.2f}",  # type: ignore[attr-defined]
                      flush=True)
            last_db = db
        if last_db is not None:
            with reckon.open(last_db) as r:
                total = r.incidents.count()
                print(f"\nqueries on {total} incidents (ms, median of 5):")
                some_place = r.incidents().page(0, 1)[0]["location"]
                cases = {
                    "count()": lambda: r.incidents().count(),
                    "page(0, 50, -fatalities)": lambda: r.incidents().page(0, 50, "-fatalities"),
                    "page(25000, 50, date)": lambda: r.incidents().page(min(25_000, total - 50), 50, "date"),
                    "filter type+date+min_fatalities, page": lambda: r.incidents(
                        event_type="battles", date_from="2024-01-01", date_to="2024-06-30", min_fatalities=20).page(),
                    "place filter, page": lambda: r.incidents(place=some_place).page(),
                    "text search, page": lambda: r.incidents(text=some_place).page(),
                    "timeline (all)": lambda: r.incidents.timeline(),
                    "map_points zoom 6": lambda: r.incidents.map_points({}, 6),
                    "map_points zoom 10 + bbox": lambda: r.incidents.map_points({"bbox": (36.0, 34.0, 37.0, 35.0)}, 10),
                    "get(id)": lambda: r.incidents.get(r.incidents().page(0, 1)[0]["id"]),
                }
                for name, fn in cases.items():
                    times = sorted(timed(fn)[0] for _ in range(5))
                    print(f"  {name:<40} {times[2] * 1000:8.1f}")


if __name__ == "__main__":
    main()

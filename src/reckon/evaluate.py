"""Scoring extracted claims against annotated gold claims.

The rules follow the annotation guidelines' "Matching" section so that figures
agree with the reference scorer: a predicted claim matches a gold claim of the
same document when they share a place (transliteration-insensitive) or, when
neither names a place, when their quotes overlap by half; pairs are taken best
first and each claim is used once. Then per matched pair: event type, date,
counts, actors (token F1), sources and places.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections import defaultdict
from difflib import SequenceMatcher
from typing import Any, Iterable

from .errors import FormatError

__all__ = ["load_jsonl", "score", "same_place", "place_key"]

_ARTICLES = frozenset("al el ad ar as ash at az an adh ath ed es et ez the".split())
_GENERIC = frozenset(
    "governorate province district subdistrict countryside city town village villages area region square base "
    "air airbase camp neighborhood neighbourhood rural outskirts".split()
)


def _ascii_words(s: str | None) -> list[str]:
    folded = unicodedata.normalize("NFKD", s or "").encode("ascii", "ignore").decode().lower()
    return re.findall(r"[a-z0-9]+", re.sub(r"['`\u2018\u2019]", "", folded))


def place_key(name: str) -> str:
    """A comparison key for a place name: articles and generic words dropped, ``-ah`` ending folded."""
    words = _ascii_words(name)
    while len(words) > 1 and words[0] in _ARTICLES:
        words.pop(0)
    if len(words) > 1:
        words = [w for w in words if w not in _ARTICLES]
    core = [w for w in words if w not in _GENERIC] or words
    key = "".join(core)
    return re.sub(r"([aeiy])h$", r"\1", key)


def _consonants(key: str) -> str:
    if not key:
        return key
    rest = re.sub(r"[aeiouyw]", "", key[1:])
    return re.sub(r"(.)\1+", r"\1", key[0] + rest)


def same_place(a: str, b: str) -> bool:
    ka, kb = place_key(a), place_key(b)
    if not ka or not kb:
        return False
    if ka == kb or _consonants(ka) == _consonants(kb):
        return True
    return SequenceMatcher(None, ka, kb).ratio() >= 0.8


def _tokens(s: str | None) -> set[str]:
    return set(_ascii_words(s))


def _token_f1(gold: str | None, pred: str | None) -> float:
    if not gold and not pred:
        return 1.0
    g, p = _tokens(gold), _tokens(pred)
    common = len(g & p)
    if not g or not p or not common:
        return 0.0
    precision, recall = common / len(p), common / len(g)
    return 2 * precision * recall / (precision + recall)


def _overlap(a: str | None, b: str | None) -> float:
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / min(len(ta), len(tb))


def _names(c: dict[str, Any]) -> list[str]:
    return [loc.get("name", "") for loc in c.get("locations") or []]


def _shared(g: dict[str, Any], p: dict[str, Any]) -> int:
    pn = _names(p)
    return sum(1 for name in _names(g) if any(same_place(name, other) for other in pn))


def _same_count(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    if not a or not b:
        return not a and not b
    return (a.get("min"), a.get("max")) == (b.get("min"), b.get("max"))


def _pair_score(g: dict[str, Any], p: dict[str, Any]) -> float:
    if _names(g) and _names(p):
        k = _shared(g, p)
        if k == 0:
            return 0.0
        s = 2.0 * k
    else:
        q = _overlap(g.get("quote"), p.get("quote"))
        if q < 0.5:
            return 0.0
        s = 1.0 + q
    s += 1.0 if g.get("event_type") == p.get("event_type") else 0.0
    s += 0.5 if _same_count(g.get("fatalities"), p.get("fatalities")) else 0.0
    return s + 0.5 * _overlap(g.get("quote"), p.get("quote"))


def _initials(s: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z]+", s) if w[0].isupper()).lower()


def _sources(g: dict[str, Any], p: dict[str, Any]) -> float:
    gs, ps = g.get("reported_by") or [], p.get("reported_by") or []
    if not gs or not ps:
        return 1.0 if not gs and not ps else 0.0

    def found(name: str) -> bool:
        tn, an = _tokens(name), _initials(name)
        return any(tn & _tokens(o) or (an and an in _tokens(o)) or (_initials(o) and _initials(o) in tn) for o in ps)

    return sum(found(x) for x in gs) / len(gs)


FIELDS = ("event_type", "sub_event_type", "date", "fatalities", "injured", "displaced", "actor1", "actor2",
          "reported_by", "location_recall")


def score(gold: Iterable[dict[str, Any]], pred: Iterable[dict[str, Any]]) -> dict[str, Any]:
    by_doc: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    for c in gold:
        by_doc[str(c.get("doc"))][0].append(c)
    for c in pred:
        by_doc[str(c.get("doc"))][1].append(c)
    n_gold = n_pred = matched = 0
    sums: dict[str, float] = defaultdict(float)
    admin_n = admin_ok = 0
    pairs: list[tuple[dict, dict]] = []
    for gs, ps in by_doc.values():
        n_gold += len(gs)
        n_pred += len(ps)
        ranked = sorted(((_pair_score(g, p), i, j) for i, g in enumerate(gs) for j, p in enumerate(ps)), reverse=True)
        used_g: set[int] = set()
        used_p: set[int] = set()
        for s, i, j in ranked:
            if s > 0 and i not in used_g and j not in used_p:
                used_g.add(i)
                used_p.add(j)
                pairs.append((gs[i], ps[j]))
        matched += len(used_g)
    for g, p in pairs:
        sums["event_type"] += g.get("event_type") == p.get("event_type")
        sums["sub_event_type"] += g.get("sub_event_type") == p.get("sub_event_type")
        sums["date"] += (g.get("date_start"), g.get("date_end")) == (p.get("date_start"), p.get("date_end"))
        for f in ("fatalities", "injured", "displaced"):
            sums[f] += _same_count(g.get(f), p.get(f))
        sums["actor1"] += _token_f1(g.get("actor1"), p.get("actor1"))
        sums["actor2"] += _token_f1(g.get("actor2"), p.get("actor2"))
        sums["reported_by"] += _sources(g, p)
        sums["location_recall"] += _shared(g, p) / len(_names(g)) if _names(g) else 1.0
        for loc in g.get("locations") or []:
            if loc.get("admin1"):
                admin_n += 1
                hit = next((pl for pl in p.get("locations") or [] if same_place(loc.get("name", ""), pl.get("name", ""))), None)
                admin_ok += bool(hit and hit.get("admin1") and same_place(loc["admin1"], hit["admin1"]))
    precision = matched / n_pred if n_pred else 0.0
    recall = matched / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    out: dict[str, Any] = {"gold": n_gold, "pred": n_pred, "matched": matched,
                           "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}
    for f in FIELDS:
        out[f] = round(sums[f] / len(pairs), 4) if pairs else 0.0
    out["admin1"] = round(admin_ok / admin_n, 4) if admin_n else 0.0
    return out


def load_jsonl(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise FormatError(f"not JSON: {exc.msg}", path=str(path), line=n) from exc
            if not isinstance(obj, dict):
                raise FormatError("not a JSON object", path=str(path), line=n)
            out.append(obj)
    return out

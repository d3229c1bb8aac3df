"""Fused figures of an incident: low / best / high, independent sources, conflicts.

Each independent source contributes one figure per field (its highest stated
minimum, with that claim's maximum). Then:

- ``low``  the lowest minimum any source states (the most conservative figure, as ACLED keeps);
- ``best`` by default the median of the sources' point values (lower median when even), so
  it is always a figure some source gave; open-ended figures ("at least N") are floors and
  count only when no source gives a closed figure; ``min``, ``max`` and ``mean`` are the alternatives;
- ``high`` the highest figure any source states (its maximum, or its minimum when open-ended).

A point value is the exact figure, the midpoint of a stated range, the maximum of
"up to N", or N of "at least N". Two sources *conflict* when their stated ranges do
not overlap at all (38 against 149; but not 38 against "at least two dozen").
Every figure names the rule it used and the claims behind it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Sequence

from .resolve import Facts, fold_name

__all__ = ["SourceValue", "Figure", "point_value", "fuse_figure", "source_name", "fuse_incident", "time_precision"]

GENERIC_SOURCES = {
    "activist", "activists", "local", "locals", "resident", "residents", "witness", "witnesses", "source", "sources",
    "medic", "medics", "doctor", "doctors", "official", "officials", "survivor", "survivors", "people", "villager",
    "villagers", "relatives", "family", "families", "journalist", "journalists", "eyewitness", "eyewitnesses",
    "rescuer", "rescuers", "volunteer", "volunteers", "monitor", "monitors", "group", "groups",
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True)
class SourceValue:
    """One source's figure for one field, and the claim it comes from."""

    claim_id: int
    claim_key: str
    source: str
    min: int
    max: int | None


@dataclass(frozen=True)
class Figure:
    low: int
    best: int
    high: int
    rule: str
    low_claims: tuple[int, ...]
    best_claims: tuple[int, ...]
    high_claims: tuple[int, ...]
    sources: int
    conflict: bool
    conflicting: tuple[int, ...]
    values: tuple[SourceValue, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "low": self.low, "best": self.best, "high": self.high, "rule": self.rule,
            "low_claims": list(self.low_claims), "best_claims": list(self.best_claims),
            "high_claims": list(self.high_claims), "sources": self.sources, "conflict": self.conflict,
            "conflicting": list(self.conflicting),
            "values": [{"claim": v.claim_id, "source": v.source, "min": v.min, "max": v.max} for v in self.values],
        }


def point_value(lo: int, hi: int | None) -> int:
    """One number for a stated count: exact, midpoint of a range, N of "up to N" / "at least N"."""
    if hi is None:
        return lo
    if lo == 0:
        return hi
    return (lo + hi + 1) // 2


def _upper(v: SourceValue) -> int:
    return v.max if v.max is not None else v.min


def fuse_figure(values: Sequence[SourceValue], rule: str = "median") -> Figure | None:
    """Fuse the figures claims give for one field; one value per source is kept."""
    if not values:
        return None
    per_source: dict[str, SourceValue] = {}
    for v in sorted(values, key=lambda v: (v.source, -v.min, -(v.max if v.max is not None else 1 << 60), v.claim_key)):
        per_source.setdefault(v.source, v)
    reps = sorted(per_source.values(), key=lambda v: (point_value(v.min, v.max), v.claim_key))
    n = len(reps)
    low = min(v.min for v in reps)
    high = max(_upper(v) for v in reps)
    closed = [v for v in reps if v.max is not None]
    # "at least N" is a floor, not an estimate: the best figure comes from closed figures when there are any
    basis = closed or reps
    points = sorted(point_value(v.min, v.max) for v in basis)
    nb = len(basis)
    if rule == "min":
        best, text = points[0], "lowest point value"
    elif rule == "max":
        best, text = points[-1], "highest point value"
    elif rule == "mean":
        best, text = round(sum(points) / nb), "mean of point values"
    else:
        best, text = points[(nb - 1) // 2], "median of point values" + (" (lower median)" if nb % 2 == 0 else "")
    best = min(max(best, low), high)
    kind = "closed figures" if closed else "open-ended figures"
    src = f"{n} independent source{'s' if n != 1 else ''}"
    rule_text = (f"low: lowest stated minimum of {src}; best: {text} of {nb} {kind}"
                 + (" ('at least' figures are floors)" if closed and nb < n else "") + "; high: highest stated figure")
    by = lambda pred: tuple(sorted({v.claim_id for v in values if pred(v)}))  # noqa: E731
    finite = [v.max for v in reps if v.max is not None]
    conflicting: set[int] = set()
    for a in reps:
        for b in reps:
            if a.max is not None and a.max < b.min:
                conflicting.update((a.claim_id, b.claim_id))
    return Figure(
        low=low, best=best, high=high, rule=rule_text,
        low_claims=by(lambda v: v.min == low),
        best_claims=by(lambda v: point_value(v.min, v.max) == best and (v.max is not None or not closed))
        or tuple(v.claim_id for v in basis),
        high_claims=by(lambda v: _upper(v) == high),
        sources=n, conflict=bool(conflicting) and bool(finite), conflicting=tuple(sorted(conflicting)),
        values=tuple(reps),
    )


def source_name(reported_by: Sequence[str], doc_source: str) -> str:
    """The independent source behind a claim: a named reporter (SOHR, SANA) counts once
    across documents; generic ones ("activists", "residents") count once per document source."""
    if not reported_by:
        return doc_source
    name = reported_by[0].strip()
    words = set(_WORD.findall(name.lower()))
    plain = " ".join(_WORD.findall(name.lower()))
    if plain.startswith("the "):
        plain = plain[4:]
    if not words or words & GENERIC_SOURCES and not any(w.isupper() and len(w) > 1 for w in name.split()):
        return f"{doc_source}: {plain or 'unnamed'}"
    return plain or fold_name(name)


def time_precision(ds: dt.date | None, de: dt.date | None) -> int:
    """ACLED time precision: 1 the day is known, 2 within a week, 3 vaguer."""
    if ds is None or de is None:
        return 3
    days = (de - ds).days
    return 1 if days == 0 else 2 if days <= 7 else 3


def _count_text(lo: int, hi: int | None) -> str:
    return str(lo) if hi == lo else f"{lo}+" if hi is None else f"{lo}-{hi}"


def _mode(values: Sequence[Any]) -> Any:
    vals = [v for v in values if v not in (None, "")]
    if not vals:
        return None
    c = Counter(vals)
    return sorted(c.items(), key=lambda kv: (-kv[1], str(kv[0])))[0][0]


def fuse_incident(facts: Sequence[Facts], sources: dict[str, str], opts_rule: str = "median") -> dict[str, Any]:
    """The fused fields of one incident (everything of an ``incidents`` row but id and timestamps)."""
    n_sources = len(set(sources[f.key] for f in facts))
    event_type = _mode([f.event_type for f in facts])
    sub = _mode([f.sub_event_type for f in facts if f.event_type == event_type])
    # dates: the days every dated claim allows, else the most reported range
    dated = [f for f in facts if f.dated]
    ds = de = None
    conflicts: list[dict[str, Any]] = []
    if dated:
        starts = [(f.date_start or f.date_end) for f in dated]
        ends = [(f.date_end or f.date_start) for f in dated]
        a, b = max(starts), min(ends)  # type: ignore[type-var]
        if a <= b:
            ds, de = a, b
        else:
            ds, de = _mode(list(zip(starts, ends)))
            conflicts.append({
                "field": "date",
                "claims": sorted(f.claim_id for f in dated),
                "values": sorted({f"{s}..{e}" if s != e else str(s) for s, e in zip(starts, ends)}),
            })
    # places: every distinct place, most reported (then most precise) first
    seen: dict[str, dict[str, Any]] = {}
    counts: Counter[str] = Counter()
    rank = lambda l: (l.get("place_id") is None, l.get("lat") is None, l.get("geo_precision") or 9)  # noqa: E731
    spellings: dict[str, Counter[str]] = {}
    for f in facts:
        for loc in f.extra.get("locations", ()):
            k = "n:" + fold_name(loc.get("name") or "")  # spellings of one place are one entry
            counts[k] += 1
            spellings.setdefault(k, Counter())[loc.get("name") or ""] += 1
            cur = seen.get(k)
            if cur is None or rank(loc) < rank(cur):
                seen[k] = loc
    for k, loc in seen.items():  # named as most reports spell it
        seen[k] = {**loc, "name": _mode(list(spellings[k].elements())) or loc.get("name")}
    locs = sorted(seen.items(), key=lambda kv: (-counts[kv[0]], rank(kv[1]), kv[1].get("name") or ""))
    locations = [loc for _, loc in locs]
    # the primary place: the best located one (precise coordinates first), else the most reported
    located = sorted((l for l in locations if l.get("lat") is not None),
                     key=lambda l: (l.get("geo_precision") not in (1, 2), -counts["n:" + fold_name(l.get("name") or "")]))
    primary = located[0] if located else (locations[0] if locations else {})
    actor1 = _mode([f.extra.get("actor1_canonical") or f.extra.get("actor1") for f in facts])
    actor2 = _mode([f.extra.get("actor2_canonical") or f.extra.get("actor2") for f in facts])
    figures: dict[str, Any] = {}
    row: dict[str, Any] = {}
    for field_name in ("fatalities", "injured", "displaced"):
        vals = [
            SourceValue(f.claim_id, f.key, sources[f.key], c[0], c[1])
            for f in facts
            if (c := f.extra.get("counts", {}).get(field_name)) is not None
        ]
        fig = fuse_figure(vals, opts_rule)
        for b in ("low", "best", "high"):
            row[f"{field_name}_{b}"] = getattr(fig, b) if fig else None
        if fig:
            figures[field_name] = fig.to_dict()
            if fig.conflict:
                conflicts.append({"field": field_name, "claims": list(fig.conflicting),
                                  "values": sorted({_count_text(v.min, v.max) for v in fig.values
                                                    if v.claim_id in fig.conflicting})})
    actors_all = sorted({a for f in facts for a in (f.extra.get("actor1"), f.extra.get("actor2"),
                                                     f.extra.get("actor1_canonical"), f.extra.get("actor2_canonical")) if a})
    places_all = sorted({str(l.get(k)) for f in facts for l in f.extra.get("locations", ())
                         for k in ("name", "admin1", "admin2") if l.get(k)})
    quotes = [f.extra.get("quote", "") for f in facts]
    row.update(
        event_type=event_type, sub_event_type=sub or "", date_start=ds, date_end=de, time_precision=time_precision(ds, de),
        location=primary.get("name"), country=primary.get("country"), admin1=primary.get("admin1"),
        admin2=primary.get("admin2"), place_id=primary.get("place_id"), lat=primary.get("lat"), lon=primary.get("lon"),
        geo_precision=primary.get("geo_precision"), locations=locations, actor1=actor1, actor2=actor2,
        figures=figures, corroboration=n_sources, n_claims=len(facts),
        n_documents=len({f.document_id for f in facts}), conflict=bool(conflicts), conflicts=conflicts,
        places_text=" | ".join(places_all), actors_text=" | ".join(actors_all),
        text="\n".join([event_type or "", sub or "", " ".join(places_all), " ".join(actors_all), *quotes]),
    )
    return row

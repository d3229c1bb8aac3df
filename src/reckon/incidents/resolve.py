"""Incident resolution: which claims describe the same event.

Claims are compared only inside blocks (same event type and the same place,
the same admin area, or neighbouring map cells) and, inside a block, only within
a sliding time window, so the work grows with the number of claims, not with its
square. Candidate pairs are scored and joined greedily, best first; a join is
refused when it would put two claims a person separated into one incident, or
spread the incident's dated claims over more days than the tolerance allows.

Everything here depends only on the claims' content (stable claim keys, dates,
places), never on row ids or ingest order: the same claims always give the same
incidents with the same ids.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import bisect
import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable, Sequence

__all__ = [
    "ResolveOptions",
    "Facts",
    "Constraints",
    "fold_name",
    "claim_key",
    "incident_id",
    "group_claims",
]


@dataclass(frozen=True)
class ResolveOptions:
    """Knobs of the resolver (defaults suit daily event data such as ACLED's)."""

    #: dated claims whose ranges are at most this many days apart can be one incident
    date_tolerance_days: int = 1
    #: a claim with no date joins dated claims up to this many days before its document's date
    undated_window_days: int = 7
    #: precise places at most this far apart (km) are "nearby" (joins need other evidence)
    near_km: float = 10.0
    #: two documents whose 5-word shingles overlap at least this much are copies of one story
    copy_jaccard: float = 0.5
    #: how the best figure is chosen from independent sources: median | min | max | mean
    best_rule: str = "median"


# -- stable keys --------------------------------------------------------------
_ARTICLE = re.compile(r"^(?:al|el|ad|ar|as|at|az|an|ash|ath|adh)[\s\-‐'’]+")
_NOT_LETTER = re.compile(r"[^\w]|_|\d")


@lru_cache(maxsize=500_000)
def fold_name(name: str) -> str:
    """A transliteration-tolerant key for a place name: "Al-Kaduqli" and
    "Kadugli" fold alike (article, case, accents, vowels, doubled letters, q/g/k)."""
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() or name
    s = s.lower().strip()
    s = _ARTICLE.sub("", s)
    s = _NOT_LETTER.sub("", s)
    if not s.isascii():
        return s
    s = s.replace("ou", "u").replace("ee", "i").replace("ph", "f").replace("dj", "j")
    s = s.replace("q", "k").replace("g", "k").replace("c", "k")  # qaf is written q, g or k
    if s.endswith("h") and len(s) > 3:
        s = s[:-1]
    head, tail = s[:1], s[1:]
    tail = re.sub(r"[aeiouyw]", "", tail)
    out = head + tail
    return re.sub(r"(.)\1+", r"\1", out)


def _h(text: str, n: int) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()[:n]


def claim_key(sha256: str, quote_start: int, quote_end: int, first_place: str | None) -> str:
    """A claim's identity across re-extraction and ingest order: its document's
    content hash, its quote span and its first place."""
    return _h(f"{sha256}:{quote_start}:{quote_end}:{fold_name(first_place or '')}", 24)


def incident_id(anchor_key: str) -> str:
    """An incident's id: derived from its anchor claim (the earliest report of it)."""
    return _h("incident:" + anchor_key, 12)


# -- facts the resolver works on ------------------------------------------------
@dataclass(slots=True)
class Facts:
    """What the resolver needs to know about one claim (lighter than a Claim)."""

    key: str
    claim_id: int
    document_id: int
    doc_sha: str
    doc_date: dt.date | None
    event_type: str
    sub_event_type: str
    date_start: dt.date | None
    date_end: dt.date | None
    places: tuple[str, ...]  # folded names of the places: "n:<folded name>"
    pids: tuple[str, ...]  # gazetteer ids of the places the geocoder resolved: "p:<place_id>"
    areas: tuple[str, ...]  # admin areas named or containing the places: "a1:n:<folded>", "a2:..."
    area_only: bool  # the claim names only an admin area, region or country
    point: tuple[float, float] | None  # (lat, lon) of the first precisely located place
    admin1: str | None  # folded admin1 of the first place, when known
    actor1: str | None  # folded canonical (or written) actor1
    fatalities: tuple[int, int | None] | None
    sort_key: tuple[Any, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def dated(self) -> bool:
        return self.date_start is not None or self.date_end is not None

    def interval(self, opts: ResolveOptions) -> tuple[int, int]:
        """Ordinal days the event can lie in: its dates, else the days before its document."""
        if self.dated:
            a = self.date_start or self.date_end
            b = self.date_end or self.date_start
            assert a is not None and b is not None
            return a.toordinal(), max(a, b).toordinal()
        if self.doc_date is not None:
            d = self.doc_date.toordinal()
            return d - opts.undated_window_days, d
        return -1, -1  # no date at all: joins only within its own document


def place_keys(
    locs: Sequence[dict[str, Any]],
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], bool, tuple[float, float] | None, str | None]:
    """(name keys, gazetteer ids, area keys, area-only?, first precise point, folded admin1) of a claim's locations.

    A place the geocoder could only place at admin level (geo precision 3) is still the named
    place for matching, but its coordinates are not used for "nearby"."""
    names: list[str] = []
    pids: list[str] = []
    areas: list[str] = []
    precise = False
    point: tuple[float, float] | None = None
    admin1: str | None = None
    for loc in locs:
        kind = loc.get("kind") or "place"
        country = (loc.get("country") or "").upper()
        a1, a2 = loc.get("admin1"), loc.get("admin2")
        k = "n:" + fold_name(loc.get("name") or "")
        if kind != "place":
            areas.append(("a2:" if kind == "admin2" else "a1:" if kind == "admin1" else "a:") + k)
            if kind == "country" and country:
                areas.append("c:" + country)
        else:
            precise = True
            names.append(k)
            if loc.get("place_id"):
                pids.append("p:" + str(loc["place_id"]))
            if point is None and loc.get("geo_precision") in (1, 2) and loc.get("lat") is not None \
                    and loc.get("lon") is not None:
                point = (float(loc["lat"]), float(loc["lon"]))
        if a2:
            areas.append("a2:n:" + fold_name(a2))
        if a1:
            areas.append("a1:n:" + fold_name(a1))
            # an admin1 guessed by a weak geocode (admin level only, or ambiguous) does not veto a name match
            if loc.get("geo_precision") != 3 and loc.get("status") != "ambiguous":
                admin1 = admin1 or fold_name(a1)
    if not precise:
        # an area-only claim is "at" its area: that area is its place key
        names = [a for a in areas if not a.startswith("c:")][:1] or areas[:1]
    return (tuple(dict.fromkeys(names)), tuple(dict.fromkeys(pids)), tuple(dict.fromkeys(areas)), not precise,
            point, admin1)


# -- people's decisions as constraints -------------------------------------------
@dataclass
class Constraints:
    """Pairwise must-link / cannot-link between claim keys; a later decision overrides an earlier one."""

    pairs: dict[frozenset[str], str] = field(default_factory=dict)

    def must(self, keys: Iterable[str]) -> None:
        ks = sorted(set(keys))
        for i, a in enumerate(ks):
            for b in ks[i + 1 :]:
                self.pairs[frozenset((a, b))] = "must"

    def cannot(self, left: Iterable[str], right: Iterable[str]) -> None:
        rs = sorted(set(right))
        for a in sorted(set(left)):
            for b in rs:
                if a != b:
                    self.pairs[frozenset((a, b))] = "cannot"

    def of_kind(self, kind: str) -> list[tuple[str, str]]:
        return sorted(tuple(sorted(p)) for p, k in self.pairs.items() if k == kind)  # type: ignore[misc]


# -- grouping -----------------------------------------------------------------
def _haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


def _pair_score(x: Facts, y: Facts, relation: str, opts: ResolveOptions,
                xi: tuple[int, int] | None = None, yi: tuple[int, int] | None = None) -> float | None:
    """How strongly two claims of one block look like one event; None when they cannot be."""
    same_doc = x.document_id == y.document_id
    xi = xi or x.interval(opts)
    yi = yi or y.interval(opts)
    tol = opts.date_tolerance_days
    score = 3.0 if relation == "same" else 1.5
    if x.dated and y.dated:
        gap = max(xi[0], yi[0]) - min(xi[1], yi[1])
        if gap > tol:
            return None
        score += 1.0 if xi == yi else 0.5
    elif x.dated or y.dated:
        if not (max(xi[0], yi[0]) - min(xi[1], yi[1]) <= 1):
            return None
    else:
        if xi[0] < 0 or yi[0] < 0:
            if not same_doc:
                return None
        elif max(xi[0], yi[0]) > min(xi[1], yi[1]):
            return None
    actors = 0
    if x.actor1 and y.actor1:
        actors = 1 if x.actor1 == y.actor1 else -1
    figures = 0.0
    if x.fatalities and y.fatalities:
        (a0, a1), (b0, b1) = x.fatalities, y.fatalities
        if (a0, a1) == (b0, b1):
            figures = 1.0
        elif (a1 is None or a1 >= b0) and (b1 is None or b1 >= a0):
            figures = 0.5
    if x.event_type != y.event_type:
        # a shelling told as an attack on civilians: only at one place, on dated claims with agreeing figures
        if relation != "same" or not (x.dated and y.dated) or figures <= 0 or "attack" not in (
                x.sub_event_type, y.sub_event_type):
            return None
        score -= 1.0
    if relation == "same":
        if actors < 0 and not (x.dated and y.dated) and not same_doc:
            return None
    else:  # a place inside an area, or a nearby place: only with other evidence
        if not (same_doc or figures >= 1.0 or (actors > 0 and x.dated and y.dated)):
            return None
    return score + 0.5 * actors + figures + (0.5 if same_doc else 0.0)


def _relation(x: Facts, y: Facts, opts: ResolveOptions) -> str | None:
    """How the places of two claims relate: same | contains | near | None."""
    if x.places and y.places and not x.area_only and not y.area_only:
        sx, sy = set(x.places), set(y.places)
        if len(sx) == 1 and len(sy) == 1:
            if x.pids and y.pids:  # both resolved by the geocoder: trust it
                if x.pids[0] == y.pids[0]:
                    return "same"
            elif sx == sy and not (x.admin1 and y.admin1 and x.admin1 != y.admin1):
                return "same"
        elif len(sx) > 1 and len(sy) > 1:
            return "same" if len(sx & sy) / len(sx | sy) >= 0.5 else None
        else:  # a claim over several places and a single-place claim: kept apart
            return None
    elif x.area_only and y.area_only:
        return "same" if set(x.places) & set(y.places) else None
    elif x.area_only != y.area_only:
        area, other = (x, y) if x.area_only else (y, x)
        return "contains" if set(area.places) & set(other.areas) else None
    if x.point and y.point and _haversine_km(x.point, y.point) <= opts.near_km:
        return "near"
    return None


#: event types that reports of one event confuse: a shelling that killed civilians is also
#: reported as an attack on civilians. Such pairs need agreeing figures (see _pair_score).
FAMILY = {"violence_against_civilians": "lethal", "explosions_remote_violence": "lethal"}


def _family(event_type: str) -> str:
    return FAMILY.get(event_type, event_type)


def candidate_pairs(facts: Sequence[Facts], opts: ResolveOptions) -> dict[tuple[int, int], float]:
    """Scored candidate pairs (i < j), found by blocking on type + place/area/cell and a time window."""
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    area_blocks: dict[tuple[str, str], tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    cells: dict[tuple[str, int, int], list[int]] = defaultdict(list)
    cell_deg = max(opts.near_km / 111.0, 0.01)
    for i, f in enumerate(facts):
        fam = _family(f.event_type)
        for p in f.places + f.pids:
            blocks[(fam, p)].append(i)
        if f.extra.get("quote_key"):  # the same sentence in two documents: copies of one story
            blocks[(fam, "q:" + f.extra["quote_key"])].append(i)
        if f.area_only:
            for p in f.places:
                area_blocks[(fam, p)][0].append(i)
        else:
            for a in f.areas:
                area_blocks[(fam, a)][1].append(i)
            if f.point is not None:
                cells[(fam, math.floor(f.point[0] / cell_deg), math.floor(f.point[1] / cell_deg))].append(i)
    out: dict[tuple[int, int], float] = {}
    ivs = [f.interval(opts) for f in facts]
    tol = max(opts.date_tolerance_days, 1)

    def consider(i: int, j: int) -> None:
        if i == j:
            return
        a, b = (i, j) if i < j else (j, i)
        if (a, b) in out:
            return
        x, y = facts[a], facts[b]
        rel = _relation(x, y, opts)
        if rel is None and x.extra.get("quote_key") and x.extra.get("quote_key") == y.extra.get("quote_key") \
                and (not x.places or not y.places or set(x.places) & set(y.places)):
            rel = "same"
        if rel is None:
            return
        s = _pair_score(x, y, rel, opts, ivs[a], ivs[b])
        if s is not None:
            out[(a, b)] = s

    def window(members: list[int], others: list[int] | None = None) -> None:
        # sliding window over start days: only pairs whose intervals can overlap
        if others is None:
            ms = sorted(members, key=lambda k: ivs[k])
            for n, i in enumerate(ms):
                hi = ivs[i][1] + tol
                for j in ms[n + 1 :]:
                    if ivs[j][0] > hi:
                        break
                    consider(i, j)
        else:
            # claims spanning over a month are too vague to join by area or distance: same-place blocks only
            os_ = sorted((k for k in others if ivs[k][1] - ivs[k][0] <= 31), key=lambda k: ivs[k])
            if not os_:
                return
            starts = [ivs[k][0] for k in os_]
            longest = max(ivs[k][1] - ivs[k][0] for k in os_)
            for i in members:
                if ivs[i][1] - ivs[i][0] > 31:
                    continue
                lo, hi = ivs[i][0] - longest - tol, ivs[i][1] + tol
                for j in os_[bisect.bisect_left(starts, lo) :]:
                    if ivs[j][0] > hi:
                        break
                    consider(i, j)

    for members in blocks.values():
        if len(members) > 1:
            window(members)
    for key, (areas, inside) in area_blocks.items():
        if areas and inside:
            window(areas, inside)
    for (etype, cx, cy), members in cells.items():
        near: list[int] = []
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                near.extend(cells.get((etype, cx + dx, cy + dy), ()))
        if len(near) > 1:
            window(members, near)
    return out


class _Groups:
    """Union-find with per-group date hull and cannot-link sets."""

    def __init__(self, facts: Sequence[Facts], opts: ResolveOptions) -> None:
        self.parent = list(range(len(facts)))
        self.members: dict[int, list[int]] = {i: [i] for i in range(len(facts))}
        self.forbid: dict[int, set[int]] = {}
        self.hull: dict[int, tuple[int, int] | None] = {}
        for i, f in enumerate(facts):
            if f.dated:
                a, b = f.interval(opts)
                self.hull[i] = (a, b)  # (max start, min end) of dated claims
            else:
                self.hull[i] = None
        self.tol = opts.date_tolerance_days

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def blocked(self, ra: int, rb: int, check_dates: bool) -> bool:
        fa, fb = self.forbid.get(ra, ()), self.forbid.get(rb, ())
        if any(self.find(x) == rb for x in fa) or any(self.find(x) == ra for x in fb):
            return True
        if check_dates:
            ha, hb = self.hull[ra], self.hull[rb]
            if ha is not None and hb is not None:
                if max(ha[0], hb[0]) - min(ha[1], hb[1]) > self.tol:
                    return True
        return False

    def union(self, a: int, b: int, check_dates: bool = True) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if self.blocked(ra, rb, check_dates):
            return False
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra].extend(self.members.pop(rb))
        f = self.forbid.pop(rb, None)
        if f:
            self.forbid.setdefault(ra, set()).update(f)
        ha, hb = self.hull[ra], self.hull.pop(rb)
        if ha is None:
            self.hull[ra] = hb
        elif hb is not None:
            self.hull[ra] = (max(ha[0], hb[0]), min(ha[1], hb[1]))
        return True


def group_claims(
    facts: Sequence[Facts], opts: ResolveOptions, constraints: Constraints | None = None
) -> list[list[int]]:
    """Groups of claim indices, one per incident, in a content-determined order."""
    g = _Groups(facts, opts)
    index = {f.key: i for i, f in enumerate(facts)}
    if constraints is not None:
        for a, b in constraints.of_kind("cannot"):
            if a in index and b in index:
                g.forbid.setdefault(index[a], set()).add(index[b])
                g.forbid.setdefault(index[b], set()).add(index[a])
        for a, b in constraints.of_kind("must"):
            if a in index and b in index:
                g.union(index[a], index[b], check_dates=False)
    pairs = candidate_pairs(facts, opts)
    # best first; ties broken by the claims' keys so the result never depends on row order
    order = sorted(pairs.items(), key=lambda kv: (-kv[1], min(facts[kv[0][0]].key, facts[kv[0][1]].key),
                                                   max(facts[kv[0][0]].key, facts[kv[0][1]].key)))
    for (i, j), _score in order:
        g.union(i, j)
    groups = [sorted(m, key=lambda k: facts[k].sort_key) for m in g.members.values()]
    groups.sort(key=lambda m: facts[m[0]].sort_key)
    return groups

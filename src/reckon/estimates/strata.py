"""Checks on what a capture table can support, and sums over strata.

:func:`check` looks at one stratum's table before any model runs and says,
in plain words, what the data cannot carry: too few lists, too few people,
empty lists, lists that share nobody, mostly empty overlap patterns.
:func:`usable` drops lists that are empty in a stratum (a list nobody is on
adds nothing and breaks the models). :func:`sum_lognormal` adds estimates of
independent strata.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from scipy import special

from .io import CaptureTable

__all__ = ["Check", "check", "usable", "sum_lognormal", "MIN_OBSERVED", "label"]

#: fewer people than this in a stratum gets a warning
MIN_OBSERVED = 50
#: more than this share of empty overlap patterns gets a warning
MAX_EMPTY_SHARE = 0.5


@dataclass(frozen=True)
class Check:
    """What one stratum's table can support."""

    table: CaptureTable
    warnings: tuple[str, ...]
    estimable: bool  # False when no model can say anything (no overlap at all, fewer than 2 lists)


def label(stratum: dict[str, object]) -> str:
    """``sex=f, place=Homs``, or ``all`` for an unstratified table."""
    if not stratum:
        return "all"
    return ", ".join(f"{k}={'(missing)' if v is None else v}" for k, v in stratum.items())


def usable(table: CaptureTable) -> tuple[CaptureTable, list[str]]:
    """The table without lists nobody is on, and a warning naming each dropped list."""
    totals = table.list_totals()
    empty = [name for name, n in totals.items() if n == 0]
    if not empty:
        return table, []
    keep = [j for j, name in enumerate(table.lists) if totals[name] > 0]
    pats = table.patterns[:, keep]
    rows: dict[tuple[int, ...], int] = {}
    for p, c in zip(map(tuple, pats.tolist()), table.counts.tolist()):
        if any(p):
            rows[p] = rows.get(p, 0) + int(c)
    items = sorted(rows.items())
    new = CaptureTable(
        tuple(table.lists[j] for j in keep),
        np.array([p for p, _ in items], dtype=np.int64).reshape(-1, len(keep)),
        np.array([c for _, c in items], dtype=np.int64),
        dict(table.stratum),
    )
    return new, [f"list {name!r} has nobody in this stratum and was left out" for name in empty]


def check(table: CaptureTable) -> Check:
    """Warnings about the data themselves, the same for every model run on them."""
    t, notes = usable(table)
    out = list(notes)
    n = t.observed
    if t.k < 2:
        out.append(f"only {t.k} list(s) with people: capture-recapture needs at least 2; no estimate")
        return Check(t, tuple(out), False)
    if t.k == 2:
        out.append("only 2 lists: the estimate rests on the untestable assumption that the lists are independent")
    pats, counts = t.full()
    multi = counts[pats.sum(axis=1) >= 2].sum()
    if multi == 0:
        out.append("nobody is on more than one list: the overlap carries no information; no estimate")
        return Check(t, tuple(out), False)
    if n < MIN_OBSERVED:
        out.append(f"only {n} people observed (< {MIN_OBSERVED}): too few for a stable estimate")
    empty = int((counts == 0).sum())
    if t.k >= 3 and empty / len(counts) > MAX_EMPTY_SHARE:
        out.append(f"sparse overlaps: {empty} of {len(counts)} capture patterns are empty")
    several = pats.sum(axis=1) >= 2
    isolated = {j for j in range(t.k) if counts[(pats[:, j] == 1) & several].sum() == 0}
    for j in sorted(isolated):
        out.append(f"list {t.lists[j]!r} shares nobody with the other lists")
    for a in range(t.k):
        for b in range(a + 1, t.k):
            if a in isolated or b in isolated:
                continue
            if counts[(pats[:, a] == 1) & (pats[:, b] == 1)].sum() == 0:
                out.append(f"lists {t.lists[a]!r} and {t.lists[b]!r} share nobody")
    return Check(t, tuple(out), True)


def sum_lognormal(parts: Sequence[tuple[int, float, float, float]], level: float = 0.95) -> tuple[float, float, float]:
    """Sum of independent strata's (observed, estimate, lower, upper).

    Each stratum's interval is read as log-normal on its missing count
    (``estimate - observed``); variances add; the total gets Chao's log-normal
    interval. An infinite end anywhere makes that end of the total infinite.
    """
    z = float(special.ndtri(0.5 + level / 2))
    n = sum(p[0] for p in parts)
    missing = sum(p[1] - p[0] for p in parts)
    if any(math.isinf(p[3]) for p in parts):
        return n + missing, n + missing, float("inf")
    var = 0.0
    for obs, est, lo, hi in parts:
        m = est - obs
        if m <= 0 or lo - obs <= 0 or hi - obs <= 0:
            # an interval touching the observed count: use its width as a normal one
            var += ((hi - lo) / (2 * z)) ** 2
            continue
        s = (math.log(hi - obs) - math.log(lo - obs)) / (2 * z)
        var += (m * s) ** 2
    if missing <= 0:
        return float(n), float(n), float(n + z * math.sqrt(var))
    c = math.exp(z * math.sqrt(math.log1p(var / missing**2)))
    return n + missing, n + missing / c, n + missing * c

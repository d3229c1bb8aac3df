"""Capture tables: how many people were seen on exactly which lists.

A capture table has one 0/1 column per list, a ``count`` column, and optionally
stratum columns (place, sex, period...) in front. The all-zero pattern (on no
list) cannot be observed and is left out; estimation infers it.

    list1,list2,list3,count
    0,0,1,306
    0,1,0,845
    ...

:func:`read_table` reads such a CSV and :func:`from_frame` checks a DataFrame;
both raise :class:`reckon.errors.FormatError` naming the file, line and field
of the first bad value.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

import numpy as np

from ..errors import FormatError, InputError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["CaptureTable", "read_table", "from_frame"]


@dataclass(frozen=True)
class CaptureTable:
    """Counts per capture pattern for one stratum.

    ``patterns`` is an (m, K) 0/1 array with no all-zero row and no duplicate
    rows; ``counts`` the number of people seen with each pattern.
    """

    lists: tuple[str, ...]
    patterns: np.ndarray
    counts: np.ndarray
    stratum: dict[str, Any] = field(default_factory=dict)

    @property
    def k(self) -> int:
        """Number of lists."""
        return len(self.lists)

    @property
    def observed(self) -> int:
        """People seen on at least one list."""
        return int(self.counts.sum())

    def list_totals(self) -> dict[str, int]:
        """People on each list."""
        return {name: int(self.counts[self.patterns[:, j] == 1].sum()) for j, name in enumerate(self.lists)}

    def full(self) -> tuple[np.ndarray, np.ndarray]:
        """All 2^K - 1 observable patterns (rows sorted, list1 most significant) with their counts, zeros included."""
        k = self.k
        codes = np.arange(1, 2**k)
        pats = ((codes[:, None] >> np.arange(k - 1, -1, -1)[None, :]) & 1).astype(np.int64)
        counts = np.zeros(len(codes), dtype=np.int64)
        own = self.patterns @ (1 << np.arange(k - 1, -1, -1))
        np.add.at(counts, own - 1, self.counts)
        return pats, counts

    def without_empty(self) -> "CaptureTable":
        """The same table with zero-count patterns dropped."""
        keep = self.counts > 0
        return CaptureTable(self.lists, self.patterns[keep], self.counts[keep], dict(self.stratum))

    def to_frame(self) -> "pd.DataFrame":
        import pandas as pd

        pats, counts = self.full()
        df = pd.DataFrame(pats, columns=list(self.lists))
        df["count"] = counts
        return df

    def __repr__(self) -> str:
        where = ", ".join(f"{k}={v}" for k, v in self.stratum.items()) or "all"
        return f"<CaptureTable {where}: {self.k} lists, {self.observed} observed>"


def _build(lists: Sequence[str], rows: Iterable[tuple[tuple[int, ...], int]], stratum: dict[str, Any]) -> CaptureTable:
    k = len(lists)
    agg: dict[tuple[int, ...], int] = {}
    for pat, n in rows:
        agg[pat] = agg.get(pat, 0) + n
    agg.pop((0,) * k, None)
    if agg:
        items = sorted(agg.items())
        pats = np.array([p for p, _ in items], dtype=np.int64)
        counts = np.array([n for _, n in items], dtype=np.int64)
    else:
        pats = np.zeros((0, k), dtype=np.int64)
        counts = np.zeros(0, dtype=np.int64)
    return CaptureTable(tuple(lists), pats, counts, stratum)


def _cell_int(raw: Any, *, path: str | None, line: int | None, name: str, zero_one: bool) -> int:
    text = str(raw).strip() if raw is not None else ""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if text == "" or not np.isfinite(value) or value != int(value):
        what = "0 or 1" if zero_one else "a whole number"
        raise FormatError(f"{text!r} is not {what}", path=path, line=line, field=name,
                          hint="each list column holds 0/1 and count a non-negative whole number")
    v = int(value)
    if zero_one and v not in (0, 1):
        raise FormatError(f"{text!r} is not 0 or 1", path=path, line=line, field=name,
                          hint="a list column says whether the people of this row are on that list")
    if not zero_one and v < 0:
        raise FormatError(f"{text!r} is negative", path=path, line=line, field=name, hint="counts are numbers of people")
    return v


def _records(
    header: Sequence[str], rows: Iterable[tuple[int | None, Sequence[Any]]], strata: Sequence[str], path: str | None
) -> list[CaptureTable]:
    header = [h.strip() for h in header]
    where_line = 1 if path else None
    if "count" not in header:
        raise FormatError("no 'count' column", path=path, line=where_line,
                          hint="columns are list1..listK,count (one 0/1 column per list)")
    missing = [s for s in strata if s not in header]
    if missing:
        raise FormatError(f"no stratum column {', '.join(map(repr, missing))}", path=path, line=where_line,
                          hint=f"columns present: {', '.join(header)}")
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise FormatError(f"column {dupes[0]!r} appears twice", path=path, line=where_line)
    lists = [h for h in header if h != "count" and h not in strata]
    if not lists:
        raise FormatError("no list columns", path=path, line=where_line, hint="columns are list1..listK,count")
    idx = {h: i for i, h in enumerate(header)}
    groups: dict[tuple[Any, ...], list[tuple[tuple[int, ...], int]]] = {}
    for line, row in rows:
        if len(row) != len(header):
            raise FormatError(f"{len(row)} fields, the header has {len(header)}", path=path, line=line)
        key = tuple(_stratum_value(row[idx[s]]) for s in strata)
        pat = tuple(_cell_int(row[idx[h]], path=path, line=line, name=h, zero_one=True) for h in lists)
        n = _cell_int(row[idx["count"]], path=path, line=line, name="count", zero_one=False)
        if not any(pat) and n > 0:
            raise FormatError(f"the all-zero pattern has count {n}", path=path, line=line, field="count",
                              hint="people on no list cannot be counted; leave that row out")
        groups.setdefault(key, []).append((pat, n))
    if not groups:
        raise FormatError("the table has no rows", path=path, hint="one row per capture pattern: list1..listK,count")
    return [_build(lists, g, dict(zip(strata, key))) for key, g in sorted(groups.items(), key=lambda kv: _sort_key(kv[0]))]


def _stratum_value(v: Any) -> Any:
    if v is None:
        return None
    try:
        if isinstance(v, float) and np.isnan(v):
            return None
    except TypeError:  # pragma: no cover - defensive
        pass
    if isinstance(v, np.generic):
        return v.item()
    return v


def _sort_key(key: tuple[Any, ...]) -> tuple[tuple[int, str], ...]:
    return tuple((0, "") if v is None else (1, str(v)) for v in key)


def read_table(path: str | os.PathLike[str], strata: Sequence[str] = ()) -> list[CaptureTable]:
    """Read a capture-table CSV; one :class:`CaptureTable` per stratum (one in all when ``strata`` is empty)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError("no such file", path=p, hint="give a CSV with columns list1..listK,count") from exc
    except UnicodeDecodeError as exc:
        raise FormatError("not UTF-8 text", path=p) from exc
    reader = csv.reader(text.splitlines())
    try:
        header = next(reader)
    except StopIteration:
        raise FormatError("empty file", path=p, hint="columns are list1..listK,count") from None
    rows = ((i, r) for i, r in enumerate(reader, start=2) if any(c.strip() for c in r))
    return _records(header, rows, list(strata), str(p))


def from_frame(df: "pd.DataFrame", strata: Sequence[str] = (), *, source: str | None = None) -> list[CaptureTable]:
    """Check a DataFrame (stratum columns, 0/1 list columns, ``count``) and split it into capture tables.

    Problems name ``source`` (default ``<table>``) and the 1-based row number.
    """
    header = [str(c) for c in df.columns]
    rows = ((i, list(r)) for i, r in enumerate(df.itertuples(index=False, name=None), start=1))
    return _records(header, rows, list(strata), source or "<table>")

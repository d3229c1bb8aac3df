"""Event dates: full, partial, relative and ranges, resolved against the document.

``parse_dates`` is pure: given a sentence, the document date (``anchor``) and
the latest explicit year seen before the sentence, it returns the event date
ranges the sentence states, with their spans. Reporting dates ("SOHR said on
Wednesday") are not event dates and are skipped. Month-level and vaguer
references ("last month", "in May") give nothing, as the guidelines say.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..model import Span
from ..text.pipeline import stage

__all__ = ["DateMention", "parse_dates", "MONTHS", "WEEKDAYS"]

MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())}

_MON = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(rf"\b(?P<y>{_YEAR})-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-3]\d)\b")),
    # ranges
    ("range_dmy", re.compile(rf"\b(?:between\s+|from\s+)?(?P<d1>{_DAY})\s*(?:-|–|to|and|until|till)\s*(?P<d2>{_DAY})\s+(?P<m>{_MON})(?:,?\s+(?P<y>{_YEAR}))?\b", re.I)),
    ("range_mdy", re.compile(rf"\b(?:between\s+|from\s+)?(?P<m>{_MON})\s+(?P<d1>{_DAY})\s*(?:-|–|to|and|until|till)\s*(?P<d2>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?\b", re.I)),
    ("range_full", re.compile(rf"\b(?:between|from)\s+(?P<d1>{_DAY})\s+(?P<m1>{_MON})(?:\s+(?P<y1>{_YEAR}))?\s+(?:and|to|until)\s+(?P<d2>{_DAY})\s+(?P<m2>{_MON})(?:,?\s+(?P<y2>{_YEAR}))?\b", re.I)),
    # open ranges: "since 27 January" runs to the document date, "as of 4 February" ends there
    ("since_dmy", re.compile(rf"\bsince\s+(?:the\s+)?(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_MON})(?:,?\s+(?P<y>{_YEAR}))?\b", re.I)),
    ("since_mdy", re.compile(rf"\bsince\s+(?P<m>{_MON})\s+(?P<d>{_DAY})(?!\d)(?:,?\s+(?P<y>{_YEAR}))?\b", re.I)),
    ("asof_dmy", re.compile(rf"\b(?:as\s+of|by)\s+(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_MON})(?:,?\s+(?P<y>{_YEAR}))?\b", re.I)),
    ("asof_mdy", re.compile(rf"\b(?:as\s+of)\s+(?P<m>{_MON})\s+(?P<d>{_DAY})(?!\d)(?:,?\s+(?P<y>{_YEAR}))?\b", re.I)),
    # single days
    ("dmy", re.compile(rf"\b(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_MON})(?:,?\s+(?P<y>{_YEAR}))?\b", re.I)),
    ("mdy", re.compile(rf"\b(?P<m>{_MON})\s+(?P<d>{_DAY})(?!\d)(?:,?\s+(?P<y>{_YEAR}))?\b", re.I)),
    # relative
    ("past_hours", re.compile(r"\b(?:in\s+)?the\s+(?:past|last|previous)\s+(?P<n>24|48|72|twenty-four|forty-eight)\s+hours\b", re.I)),
    ("past_days", re.compile(r"\b(?:in\s+|over\s+)?the\s+(?:past|last|previous)\s+(?P<n>\d+|two|three|four|five|six|seven|ten)\s+days\b", re.I)),
    ("weekend", re.compile(r"\b(?:over|during|at)\s+the\s+weekend\b|\blast\s+weekend\b", re.I)),
    ("since_wd", re.compile(rf"\bsince\s+(?:last\s+)?(?P<wd>{_WD})\b", re.I)),
    ("weekday", re.compile(rf"\b(?:on\s+|last\s+|early\s+|late\s+)?(?P<wd>{_WD})(?:\s+(?:morning|afternoon|evening|night))?\b", re.I)),
    ("yesterday", re.compile(r"\b(?:yesterday|last\s+night)\b", re.I)),
    ("today", re.compile(r"\b(?:today|this\s+morning|this\s+afternoon|earlier\s+today|tonight)\b", re.I)),
    ("overnight", re.compile(r"\bovernight\b", re.I)),
    ("same_day", re.compile(r"\b(?:the\s+same\s+day|that\s+(?:same\s+)?(?:day|night|evening|morning|afternoon)|later\s+that\s+day|hours\s+later|shortly\s+after(?:wards)?|the\s+same\s+night|(?:during|in)\s+the\s+same\s+(?:operation|attack|raid|assault|incident|clashes))\b", re.I)),
    ("next_day", re.compile(r"\b(?:the\s+(?:next|following)\s+(?:day|morning)|a\s+day\s+later)\b", re.I)),
    ("vague", re.compile(rf"\b(?:last\s+(?:month|week|year)|earlier\s+this\s+(?:week|month|year)|this\s+(?:week|month|year)|in\s+(?:early\s+|mid-?|late\s+)?{_MON}(?!\s+\d)|recent(?:ly)?|in\s+recent\s+(?:days|weeks))\b", re.I)),
]

_ANY_DATE = re.compile(
    rf"\d|{_MON}|{_WD}|yesterday|today|tonight|overnight|night|morning|evening|afternoon|weekend|same|next|following|later|hours|days|week|month|year|recent|since",
    re.I,
)

_REPORTING_BEFORE = re.compile(
    r"\b(?:said|says|reported|reports|told|announced|stated|added|confirmed|published|posted|wrote|tweeted|claimed|"
    r"acknowledged|declared|issued|released|noted|updated|documented)\b(?:\s+[\w'’-]+){0,3}\s+(?:on|late|early)?\s*$",
    re.I,
)


@dataclass(frozen=True)
class DateMention:
    start: dt.date | None
    end: dt.date | None
    span: Span
    kind: str


def _num(word: str) -> int:
    words = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10, "twenty-four": 24, "forty-eight": 48}
    return int(word) if word.isdigit() else words[word.lower()]


def _day(s: str) -> int:
    return int(re.match(r"\d+", s).group(0))  # type: ignore[union-attr]


def _month(s: str) -> int:
    return MONTHS[s.lower().rstrip(".")]


def _safe(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _year_for(month: int, day: int, anchor: dt.date | None, year_hint: int | None) -> int | None:
    if anchor is not None:
        y = anchor.year
        cand = _safe(y, month, day)
        # a day-month after the document date belongs to the year before ("28 December" in a 3 January report)
        if cand and cand > anchor + dt.timedelta(days=31):
            return y - 1
        return y
    return year_hint


def _last_weekday(anchor: dt.date, wd: int) -> dt.date:
    return anchor - dt.timedelta(days=(anchor.weekday() - wd) % 7)


def parse_dates(
    sentence: str,
    anchor: dt.date | None = None,
    year_hint: int | None = None,
    previous: tuple[dt.date | None, dt.date | None] | None = None,
    offset: int = 0,
) -> list[DateMention]:
    """Event dates stated in ``sentence``, in order. ``previous`` is the date of the sentence before."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    if not _ANY_DATE.search(sentence):
        return found
    for kind, rx in _PATTERNS:
        for m in rx.finditer(sentence):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            if _REPORTING_BEFORE.search(sentence[max(0, m.start() - 50) : m.start()]):
                continue
            got = _resolve(kind, m, anchor, year_hint, previous)
            if got is None:
                continue
            s, e = got
            found.append(DateMention(s, e, Span(offset + m.start(), offset + m.end()), kind))
    found.sort(key=lambda d: d.span.start)
    # "overnight" right after a day: [that day, next day]
    out: list[DateMention] = []
    i = 0
    while i < len(found):
        d = found[i]
        nxt = found[i + 1] if i + 1 < len(found) else None
        if (d.kind == "overnight" and nxt is not None and nxt.start and nxt.start == nxt.end
                and re.fullmatch(r"\s*(?:on|into|to)?\s*", sentence[d.span.end - offset : nxt.span.start - offset] if nxt.span.start >= d.span.end else "x")):
            # "overnight on Saturday": that night, to the next day; "overnight into Sunday": the night before
            into = re.search(r"\b(?:into|to)\b", sentence[d.span.end - offset : nxt.span.start - offset])
            first_day = nxt.start - dt.timedelta(days=1) if into else nxt.start
            out.append(DateMention(first_day, first_day + dt.timedelta(days=1), Span(d.span.start, nxt.span.end), "overnight"))
            i += 2
            continue
        if d.kind == "overnight" and out and out[-1].start and d.span.start - out[-1].span.end < 20:
            prev = out.pop()
            d = DateMention(prev.start, prev.start + dt.timedelta(days=1), Span(prev.span.start, d.span.end), "overnight")
        out.append(d)
        i += 1
    return out


def _resolve(kind, m, anchor, year_hint, previous):  # noqa: C901 - one branch per pattern
    g = m.groupdict()
    if kind == "iso":
        d = _safe(int(g["y"]), int(g["m"]), int(g["d"]))
        return (d, d) if d else None
    if kind in ("range_dmy", "range_mdy"):
        mo = _month(g["m"])
        y = int(g["y"]) if g.get("y") else _year_for(mo, _day(g["d1"]), anchor, year_hint)
        if y is None:
            return None
        a, b = _safe(y, mo, _day(g["d1"])), _safe(y, mo, _day(g["d2"]))
        return (a, b) if a and b and a <= b else None
    if kind == "range_full":
        m1, m2 = _month(g["m1"]), _month(g["m2"])
        y2 = int(g["y2"]) if g.get("y2") else _year_for(m2, _day(g["d2"]), anchor, year_hint)
        y1 = int(g["y1"]) if g.get("y1") else (y2 if y2 and m1 <= m2 else (y2 - 1 if y2 else None))
        if y1 is None or y2 is None:
            return None
        a, b = _safe(y1, m1, _day(g["d1"])), _safe(y2, m2, _day(g["d2"]))
        return (a, b) if a and b and a <= b else None
    if kind in ("since_dmy", "since_mdy", "asof_dmy", "asof_mdy"):
        mo = _month(g["m"])
        day = _day(g["d"])
        y = int(g["y"]) if g.get("y") else _year_for(mo, day, anchor, year_hint)
        d = _safe(y, mo, day) if y else None
        if d is None:
            return None
        if kind.startswith("since"):
            return (d, anchor if anchor and anchor >= d else None) if anchor else None
        # "as of 4 February" / "by 4 February" (a running total): open start, ends that day
        return (None, d)
    if kind in ("dmy", "mdy"):
        mo = _month(g["m"])
        day = _day(g["d"])
        y = int(g["y"]) if g.get("y") else _year_for(mo, day, anchor, year_hint)
        if y is None:
            return None
        d = _safe(y, mo, day)
        return (d, d) if d else None
    if kind == "vague":
        return None
    if kind in ("same_day", "next_day"):
        if not previous or previous[0] is None:
            return None
        if kind == "next_day":
            nd = (previous[1] or previous[0]) + dt.timedelta(days=1)
            return (nd, nd)
        return previous
    if anchor is None:
        return None
    if kind == "past_hours":
        n = _num(g["n"])
        return (anchor - dt.timedelta(days=max(1, n // 24)), anchor)
    if kind == "past_days":
        n = _num(g["n"])
        return (anchor - dt.timedelta(days=n - 1), anchor)
    if kind == "weekend":
        sat = _last_weekday(anchor - dt.timedelta(days=1) if anchor.weekday() == 5 else anchor, 5)
        if anchor.weekday() == 6:
            sat = anchor - dt.timedelta(days=1)
        return (sat, sat + dt.timedelta(days=1))
    if kind == "since_wd":
        return (_last_weekday(anchor, WEEKDAYS[g["wd"].lower()]), anchor)
    if kind == "weekday":
        d = _last_weekday(anchor, WEEKDAYS[g["wd"].lower()])
        return (d, d)
    if kind == "yesterday":
        d = anchor - dt.timedelta(days=1)
        return (d, d)
    if kind == "today":
        return (anchor, anchor)
    if kind == "overnight":
        return (anchor - dt.timedelta(days=1), anchor)
    return None


_YEAR_RE = re.compile(rf"\b({_YEAR})\b")


@stage("reckon.dates.v1", requires=("drafts",), assigns=("draft.date",))
def make_dates(settings):
    def dates(report) -> None:
        anchor = report.doc.date
        years = [(m.start(), int(m.group(1))) for m in _YEAR_RE.finditer(report.work)]
        previous: tuple[dt.date | None, dt.date | None] | None = None
        by_sentence: dict[int, list[DateMention]] = {}
        for s in report.sentences:
            hint = None
            for pos, y in years:
                if pos < s.span.start:
                    hint = y
                else:
                    break
            # the sentence's own explicit year counts for its partial dates too
            own = [y for pos, y in years if s.span.start <= pos < s.span.end]
            found = parse_dates(s.text, anchor, own[0] if own and anchor is None else hint, previous, s.span.start)
            by_sentence[s.index] = found
            if found and found[0].start is not None:
                previous = (found[0].start, found[0].end)
        for d in report.drafts:
            found = [x for x in by_sentence.get(d.sentence.index, []) if x.span.start < d.span.end]
            inside = [x for x in found if d.span.start <= x.span.start]
            pick = inside[0] if inside else (found[0] if found else None)
            if pick:
                d.date_start, d.date_end, d.date_span = pick.start, pick.end, pick.span

    return dates

"""Enumerations: one clause distributed over several places -> one claim per place.

"Twenty-four civilians in Al-Shir were killed ..., twenty-two in Qurfays, seven in
the Al-Haffah district" says three things. Each item (a count, optionally "more"
and a noun, then "in/from/at" and one or more places) becomes its own draft that
inherits event type, date, actors and source from the whole sentence. Several
places with no separate figures stay one claim with several locations. Likewise
a sentence joining two events with their own places ("condemned massacres in A
and B, and noted similar incidents in C") is split at the clause boundary.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import Span
from ..text.pipeline import stage
from ..text.report import Draft
from .counts import COUNT_RE, PERSON_NOUNS, CountMention, find_counts, parse_count
from .events import find_triggers
from .locations import _NAME, locations_for

__all__ = ["find_items", "split_enumeration"]

_ITEM = re.compile(
    rf"(?P<count>{COUNT_RE.pattern})(?:\s+(?:more|others|other|additional|further))?"
    rf"(?:\s+(?:[\w'-]+\s+){{0,2}}?(?:{PERSON_NOUNS}))?"
    rf"(?:\s+(?:were\s+|was\s+|had\s+been\s+)?(?:killed|died|dead|wounded|injured|displaced|executed|murdered|abducted|arrested|slain))?"
    rf"\s+(?:were\s+\w+\s+)?(?:(?:in|at|on)\s+(?:a|an|the)\s+(?:[a-z-]+\s+){{1,2}}(?:in|of|near)\s+|(?:in|from|at)\s+(?:the\s+)?)(?P<place>(?-i:{_NAME}))",
    re.IGNORECASE,
)


def find_items(sentence: str) -> list[re.Match[str]]:
    items = []
    for m in _ITEM.finditer(sentence):
        if not m.group("place")[:1].isupper():
            continue
        items.append(m)
    return items


def split_enumeration(sentence: str, offset: int) -> list[tuple[Span, re.Match[str]]] | None:
    """Item spans (first from the sentence start, last to its end), or None if no enumeration."""
    items = find_items(sentence)
    if len(items) < 2:
        return None
    # items must be separated by list punctuation, not by a new clause
    for a, b in zip(items, items[1:]):
        gap = sentence[a.end("place"):b.start()]
        if len(gap) > 160 or re.search(r"[;]|\.\s", gap):
            return None
    spans = []
    head = [c for c in find_counts(sentence) if c.role and c.span.end <= items[0].start()]
    if head and items[0].start() - head[0].span.end > 15:
        # a total comes first, then its breakdown: the total is a claim of its own
        cut = re.search(r"[:;,]\s*$", sentence[: items[0].start()])
        end = cut.start() if cut else items[0].start()
        spans.append((Span(offset, offset + end), None))
    for i, m in enumerate(items):
        start = 0 if (i == 0 and not spans) else m.start()
        if i + 1 < len(items):
            end = items[i + 1].start()
            seg = sentence[start:end]
            seg_trim = re.sub(r"[\s,;]*(?:and\s*)?$", "", seg)
            end = start + len(seg_trim)
        else:
            end = len(sentence.rstrip(" ."))
        spans.append((Span(offset + start, offset + end), m))
    return spans


_CLAUSE_SPLIT = re.compile(r",?\s+and\s+(?=(?:also\s+)?[a-z]+ed\b)|;\s+|,\s+(?:while|whereas|but)\s+")


def split_clauses(sentence: str, offset: int) -> list[Span] | None:
    """Clause spans when two clauses each carry an event and places of their own."""
    cuts = [m for m in _CLAUSE_SPLIT.finditer(sentence)]
    if not cuts:
        return None
    bounds = [0] + [m.start() for m in cuts] + [len(sentence)]
    starts = [0] + [m.end() for m in cuts]
    parts = []
    for i in range(len(starts)):
        s, e = starts[i], bounds[i + 1]
        text = sentence[s:e]
        has_event = any(t.kind in ("concrete", "unspecified") for t in find_triggers(text))
        has_place = any(not re.match(r"\s*from\b", text[max(0, loc.span.start - 6) : loc.span.start]) for loc in locations_for(text, 0) if loc.span)
        has_figure = any(c.role in ("fatalities", "injured", "displaced") for c in find_counts(text))
        parts.append((Span(offset + s, offset + e), (has_event and has_place) or (has_figure and bool(re.search(r"[;]|while|whereas|but", sentence)))))
    good = [p for p, ok in parts if ok]
    if len(good) < 2:
        return None
    return good


@stage("reckon.enumerations.v1", requires=("drafts", "draft.locations", "draft.counts"), assigns=("drafts",))
def make_enumerations(settings):
    def enumerations(report) -> None:
        out: list[Draft] = []
        for d in report.drafts:
            text = report.work[d.span.start : d.span.end]
            enum = split_enumeration(text, d.span.start)
            if enum:
                for i, (span, m) in enumerate(enum):
                    seg = report.work[span.start : span.end]
                    counts = find_counts(seg, span.start)
                    if m is None:  # a total ahead of its breakdown
                        out.append(replace(d, span=span, count_mentions=counts, locations=locations_for(seg, span.start),
                                           extra={**d.extra, "total": True}))
                        continue
                    i = i - (1 if enum[0][1] is None else 0)
                    if not counts:
                        # a bare item count ("twenty-two in Qurfays"): read it from the match itself
                        c = parse_count(m.group("count"))
                        if c is None:
                            continue
                        cs = span.start + (m.start("count") - (0 if i == 0 else m.start()))
                        counts = [CountMention(Span(cs, cs + len(m.group("count"))), c, None, None, None, True)]
                    out.append(replace(d, span=span, count_mentions=counts, locations=locations_for(seg, span.start),
                                       inherited=i > 0, extra={**d.extra, "enumeration": i, "head": d.span}))
                continue
            clauses = split_clauses(text, d.span.start)
            if clauses:
                for i, span in enumerate(clauses):
                    seg = report.work[span.start : span.end]
                    out.append(replace(d, span=span, triggers=find_triggers(seg, span.start),
                                       count_mentions=find_counts(seg, span.start),
                                       locations=locations_for(seg, span.start), extra={**d.extra, "clause": i}))
                continue
            out.append(d)
        report.drafts = out

    return enumerations

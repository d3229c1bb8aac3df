"""Sentence splitting that knows abbreviations, initials, quotes and paragraph breaks.

Rule-based and fast (it runs on every sentence of every document); spans are
offsets into the document text.
"""

from __future__ import annotations

import re

from ..model import Span
from .pipeline import stage
from .report import Sentence

__all__ = ["split_sentences"]

_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cpt", "sgt", "cpl", "pvt", "adm", "brig",
    "gov", "sen", "rep", "rev", "st", "sr", "jr", "no", "nos", "vol", "fig", "approx", "est", "dept", "govt", "inc",
    "ltd", "co", "corp", "vs", "etc", "al", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "mt", "ft", "km", "e.g",
    "i.e", "cf", "u.s", "u.n", "u.k", "e.u", "a.m", "p.m", "pres", "amb", "sheikh", "mgr",
}
# a candidate boundary: end punctuation, optional closing quotes/brackets, then space
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s+)|\n\s*\n|\n(?=\s*[A-Z\[\"“‘(•*-])")


def _is_abbreviation(text: str, end: int) -> bool:
    """Does the period just before ``end`` close an abbreviation or an initial?"""
    m = re.search(r"([A-Za-z][A-Za-z.]*)\.$", text[max(0, end - 12) : end])
    if not m:
        return False
    word = m.group(1).lower()
    if word in _ABBREV:
        return True
    if re.fullmatch(r"[a-z]", word):  # an initial: "J. Smith"
        return True
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]", word):  # U.S, U.N
        return True
    return False


def split_sentences(text: str) -> list[Span]:
    spans: list[Span] = []
    start = 0
    n = len(text)
    for m in _BOUNDARY.finditer(text):
        end = m.end()
        punct = m.group(0)
        if punct.startswith(".") and punct.rstrip("\"'”’»)]") == "." and _is_abbreviation(text, m.start() + 1):
            continue
        # the next sentence should start with an upper-case letter, digit or quote
        nxt = re.match(r"\s*(\S)", text[end:])
        if nxt and punct.strip() and not (nxt.group(1).isupper() or nxt.group(1).isdigit() or nxt.group(1) in "\"“‘'([•*-"):
            continue
        _add(text, start, end, spans)
        start = end
    _add(text, start, n, spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[Span]) -> None:
    seg = text[start:end]
    lead = len(seg) - len(seg.lstrip())
    trail = len(seg) - len(seg.rstrip())
    s, e = start + lead, end - trail
    if e > s and re.search(r"\w", text[s:e]):
        spans.append(Span(s, e))


@stage("reckon.sentences.v1", requires=("work",), assigns=("sentences",))
def make_sentences(settings):
    def sentences(report) -> None:
        report.sentences = [Sentence(i, sp, report.work[sp.start : sp.end]) for i, sp in enumerate(split_sentences(report.work))]

    return sentences

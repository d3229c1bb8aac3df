"""A claim's source sentence in context, cut into segments to highlight.

Offsets are the truth: the segments are computed from the claim's character
spans into the document text and, joined, give back exactly the window of text
shown. Templates print each segment's text escaped and mark it with the fields
whose spans cover it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from ..model import Claim, Span

__all__ = ["Segment", "segments", "claim_context"]

#: Characters of surrounding text shown before and after the sentence.
CONTEXT_CHARS = 240


@dataclass(frozen=True)
class Segment:
    """A run of text and the fields (``fatalities``, ``date``...) whose spans cover all of it."""

    text: str
    fields: tuple[str, ...] = ()
    in_sentence: bool = False

    @property
    def css(self) -> str:
        return " ".join(f"f-{f}" for f in self.fields)


def segments(text: str, window: Span, marks: Mapping[str, Sequence[Span]], sentence: Span | None = None) -> list[Segment]:
    """Cut ``text[window]`` at every mark boundary; each piece knows which marks cover it."""
    end = min(len(text), window.end)
    start = min(max(0, window.start), end)
    cuts = {start, end}
    clipped: list[tuple[str, int, int]] = []
    for name, spans in marks.items():
        for s in spans:
            a, b = max(s.start, start), min(s.end, end)
            if a < b:
                clipped.append((name, a, b))
                cuts.update((a, b))
    if sentence is not None:
        for x in (sentence.start, sentence.end):
            if start < x < end:
                cuts.add(x)
    points = sorted(cuts)
    out: list[Segment] = []
    for a, b in zip(points, points[1:]):
        if a >= b:
            continue
        fields = tuple(sorted({n for n, x, y in clipped if x <= a and b <= y}))
        inside = sentence is not None and sentence.start <= a and b <= sentence.end
        out.append(Segment(text[a:b], fields, inside))
    return out


def claim_context(claim: Claim, context: int = CONTEXT_CHARS) -> tuple[list[Segment], bool, bool]:
    """The claim's sentence with ``context`` characters around it, highlighted.

    Returns (segments, cut at the start, cut at the end) so a page can show an ellipsis.
    """
    text = claim.text
    sentence = claim.sentence_span or claim.quote_span
    a = max(0, sentence.start - context)
    b = min(len(text), sentence.end + context)
    # do not cut a word in half
    while a > 0 and not text[a - 1].isspace() and a < sentence.start:
        a += 1
    while b < len(text) and not text[b].isspace() and b > sentence.end:
        b -= 1
    marks = {k: v for k, v in claim.spans.items() if k != "quote"}
    return segments(text, Span(a, b), marks, sentence), a > 0, b < len(text)

"""The Report: one document and everything the stages find in it.

``work`` is the document text with citation debris blanked out (same length, so
every offset into ``work`` is an offset into the original ``text``). Stages add
sentences, then drafts (candidate claims, one or more per sentence), then the
finished claims.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..model import Claim, Count, Document, Location, Span

if TYPE_CHECKING:  # pragma: no cover
    from ..extract.counts import CountMention
    from ..extract.events import Trigger


@dataclass(frozen=True)
class Sentence:
    index: int
    span: Span
    text: str  # from ``work`` (debris blanked)


@dataclass
class Draft:
    """A claim under construction; stages fill its fields with spans."""

    sentence: Sentence
    span: Span  # the part of the sentence this claim is read from
    triggers: list["Trigger"] = field(default_factory=list)
    event_type: str | None = None
    sub_event_type: str | None = None
    count_mentions: list["CountMention"] = field(default_factory=list)
    counts: dict[str, tuple[Count, Span]] = field(default_factory=dict)
    locations: list[Location] = field(default_factory=list)
    date_start: dt.date | None = None
    date_end: dt.date | None = None
    date_span: Span | None = None
    actor1: tuple[str, Span] | None = None
    actor2: tuple[str, Span] | None = None
    reported_by: list[tuple[str, Span | None]] = field(default_factory=list)
    inherited: bool = False  # split off an enumeration: shares the head clause's type, actors, source
    confidence: float = 0.5
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


class Report:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.text = doc.text
        self.work = doc.text
        self.sentences: list[Sentence] = []
        self.drafts: list[Draft] = []
        self.claims: list[Claim] = []
        self.year_hints: list[tuple[int, int]] = []  # (offset, year) of explicit years, for partial dates
        self.cache: dict[str, Any] = {}

    def quote(self, span: Span) -> str:
        return self.text[span.start : span.end]

    def __repr__(self) -> str:
        return f"<Report {self.doc.doc}: {len(self.sentences)} sentences, {len(self.drafts)} drafts, {len(self.claims)} claims>"

"""Reckon's data model: plain, frozen dataclasses that every stage passes along.

Offsets are the truth: a field extracted from a document stores the character
span it came from (``Span(start, end)`` into ``Document.text``) and the quote is
derived from it, never stored apart from it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Iterable

__all__ = [
    "EVENT_TYPES",
    "SUB_EVENT_TYPES",
    "Span",
    "Count",
    "Location",
    "Claim",
    "Document",
]

#: ACLED event types, plus displacement (see the annotation guidelines).
EVENT_TYPES = (
    "battles",
    "violence_against_civilians",
    "explosions_remote_violence",
    "protests",
    "riots",
    "strategic_developments",
    "displacement",
)

#: Sub-event types per event type, ACLED names in snake_case.
SUB_EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "battles": ("armed_clash", "government_regains_territory", "non_state_actor_overtakes_territory"),
    "violence_against_civilians": ("attack", "abduction_forced_disappearance", "sexual_violence"),
    "explosions_remote_violence": (
        "shelling_artillery_missile_attack",
        "air_drone_strike",
        "remote_explosive_landmine_ied",
        "suicide_bomb",
        "grenade",
        "chemical_weapon",
    ),
    "protests": ("peaceful_protest", "protest_with_intervention", "excessive_force_against_protesters"),
    "riots": ("violent_demonstration", "mob_violence"),
    "strategic_developments": (
        "agreement",
        "arrests",
        "change_to_group_activity",
        "disrupted_weapons_use",
        "headquarters_or_base_established",
        "looting_property_destruction",
        "non_violent_transfer_of_territory",
        "other",
    ),
    "displacement": ("displacement",),
}


@dataclass(frozen=True, order=True)
class Span:
    """Characters ``[start, end)`` of a document's text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not (0 <= self.start <= self.end):
            raise ValueError(f"bad span [{self.start}, {self.end})")

    def quote(self, text: str) -> str:
        return text[self.start : self.end]

    def __len__(self) -> int:
        return self.end - self.start

    def shift(self, offset: int) -> "Span":
        return Span(self.start + offset, self.end + offset)

    def covers(self, other: "Span") -> bool:
        return self.start <= other.start and other.end <= self.end

    def to_list(self) -> list[int]:
        return [self.start, self.end]

    @classmethod
    def union(cls, spans: Iterable["Span"]) -> "Span":
        spans = list(spans)
        return cls(min(s.start for s in spans), max(s.end for s in spans))


@dataclass(frozen=True)
class Count:
    """A reported number as a range: ``max`` is None when open-ended ("at least 5")."""

    min: int
    max: int | None

    def __post_init__(self) -> None:
        if self.min < 0 or (self.max is not None and self.max < self.min):
            raise ValueError(f"bad count min={self.min} max={self.max}")

    @classmethod
    def exact(cls, n: int) -> "Count":
        return cls(n, n)

    def to_dict(self) -> dict[str, int | None]:
        return {"min": self.min, "max": self.max}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> "Count | None":
        if not d:
            return None
        return cls(int(d["min"]), None if d.get("max") is None else int(d["max"]))

    def __add__(self, other: "Count") -> "Count":
        mx = None if self.max is None or other.max is None else self.max + other.max
        return Count(self.min + other.min, mx)

    def __str__(self) -> str:
        if self.max == self.min:
            return str(self.min)
        if self.max is None:
            return f"{self.min}+"
        return f"{self.min}-{self.max}"


@dataclass(frozen=True)
class Location:
    """A place named in a claim, as written, and what the geocoder made of it."""

    name: str
    span: Span | None = None
    hint: str | None = None  # admin context from the text: "in the Jableh countryside"
    hint_span: Span | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    place_id: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: int | None = None  # 1 the place itself, 2 near it / part of a region, 3 admin area only
    geo_score: float | None = None
    status: str = "unresolved"  # resolved | ambiguous | unresolved
    kind: str = "place"  # place | admin1 | admin2 | country | region
    #: other gazetteer places the name could be, best first: {"place_id", "name", "admin1", "score"}
    candidates: tuple[dict[str, Any], ...] = field(default=(), compare=False)

    def replace(self, **changes: Any) -> "Location":
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "admin1": self.admin1,
            "country": self.country,
            "admin2": self.admin2,
            "lat": self.lat,
            "lon": self.lon,
            "place_id": self.place_id,
            "geo_precision": self.geo_precision,
            "status": self.status,
            "span": self.span.to_list() if self.span else None,
            "hint": self.hint,
        }


@dataclass(frozen=True)
class Claim:
    """What one document says about one incident."""

    doc: str
    quote_span: Span
    event_type: str
    sub_event_type: str
    date_start: dt.date | None = None
    date_end: dt.date | None = None
    locations: tuple[Location, ...] = ()
    actor1: str | None = None
    actor2: str | None = None
    actor1_canonical: str | None = None
    actor2_canonical: str | None = None
    fatalities: Count | None = None
    injured: Count | None = None
    displaced: Count | None = None
    arrested: Count | None = None
    reported_by: tuple[str, ...] = ()
    confidence: float = 0.5
    #: field name -> list of spans the field was read from
    spans: dict[str, tuple[Span, ...]] = field(default_factory=dict, compare=False)
    sentence_span: Span | None = None
    id: int | None = field(default=None, compare=False)
    text: str = field(default="", repr=False, compare=False)  # the document text, for quotes

    @property
    def quote(self) -> str:
        return self.quote_span.quote(self.text) if self.text else ""

    def replace(self, **changes: Any) -> "Claim":
        return replace(self, **changes)

    def __repr__(self) -> str:
        where = ",".join(loc.name for loc in self.locations) or "-"
        killed = f" killed={self.fatalities}" if self.fatalities else ""
        return f"<Claim {self.event_type}{killed} @{where} [{self.doc}:{self.quote_span.start}-{self.quote_span.end}]>"

    def to_dict(self) -> dict[str, Any]:
        """The claim in the guidelines' field names, plus Reckon's extra fields."""
        iso = lambda d: d.isoformat() if d else None  # noqa: E731
        cnt = lambda c: c.to_dict() if c else None  # noqa: E731
        return {
            "doc": self.doc,
            "quote": self.quote,
            "event_type": self.event_type,
            "sub_event_type": self.sub_event_type,
            "date_start": iso(self.date_start),
            "date_end": iso(self.date_end),
            "locations": [loc.to_dict() for loc in self.locations],
            "actor1": self.actor1,
            "actor2": self.actor2,
            "fatalities": cnt(self.fatalities),
            "injured": cnt(self.injured),
            "displaced": cnt(self.displaced),
            "reported_by": list(self.reported_by),
            # extras
            "id": self.id,
            "arrested": cnt(self.arrested),
            "actor1_canonical": self.actor1_canonical,
            "actor2_canonical": self.actor2_canonical,
            "confidence": round(self.confidence, 3),
            "quote_span": self.quote_span.to_list(),
            "sentence_span": self.sentence_span.to_list() if self.sentence_span else None,
            "spans": {k: [s.to_list() for s in v] for k, v in sorted(self.spans.items())},
        }


@dataclass(frozen=True)
class Document:
    """One ingested report. ``sha256`` is of the raw bytes it was read from."""

    sha256: str
    doc: str  # id used in outputs: the `id` field if given, else the file stem
    text: str
    title: str | None = None
    url: str | None = None
    date: dt.date | None = None
    language: str | None = None
    source_path: str | None = None
    encoding: str | None = None
    id: int | None = None

    def __repr__(self) -> str:
        return f"<Document {self.doc} {len(self.text)} chars {self.date or '-'} {self.sha256[:10]}>"

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["date"] = self.date.isoformat() if self.date else None
        return d

"""The extraction pipeline: ordered, named stages over one :class:`Report`.

Stages register under versioned names with what they need and what they set
(``requires`` / ``assigns``), like spaCy's factories::

    @stage("reckon.dates.v1", requires=("drafts",), assigns=("draft.date",))
    def make_dates(settings):
        def dates(report): ...
        return dates

A learned or LLM-based stage registers the same way under its own name and
replaces a built-in one with :meth:`Pipeline.replace`. ``reckon debug pipeline``
lists the stages and flags a stage whose needs no earlier stage provides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from ..registry import Registry

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Claim, Document
    from ..settings import Settings
    from .report import Report

__all__ = ["stage", "STAGES", "Stage", "Pipeline", "default_pipeline", "DEFAULT_STAGES"]

StageFn = Callable[["Report"], None]


@dataclass(frozen=True)
class StageSpec:
    factory: Callable[["Settings"], StageFn]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]


STAGES: Registry[StageSpec] = Registry("stages")


def stage(name: str, *, requires: tuple[str, ...] = (), assigns: tuple[str, ...] = ()):
    """Register a stage factory under a versioned name."""

    def deco(factory: Callable[["Settings"], StageFn]) -> Callable[["Settings"], StageFn]:
        STAGES.register(name, StageSpec(factory, tuple(requires), tuple(assigns)))
        return factory

    return deco


@dataclass(frozen=True)
class Stage:
    name: str  # short name in this pipeline, e.g. "dates"
    factory: str  # registered name, e.g. "reckon.dates.v1"
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    fn: StageFn


#: (short name, registered factory) in order.
DEFAULT_STAGES: tuple[tuple[str, str], ...] = (
    ("clean", "reckon.clean.v1"),
    ("sentences", "reckon.sentences.v1"),
    ("triage", "reckon.triage.v1"),
    ("events", "reckon.events.v1"),
    ("counts", "reckon.counts.v1"),
    ("locations", "reckon.locations.v1"),
    ("spacy_places", "reckon.spacy_places.v1"),
    ("enumerations", "reckon.enumerations.v1"),
    ("dates", "reckon.dates.v1"),
    ("actors", "reckon.actors.v1"),
    ("attribution", "reckon.attribution.v1"),
    ("claims", "reckon.claims.v1"),
)


class Pipeline:
    def __init__(self, stages: list[Stage], settings: "Settings") -> None:
        self.stages = list(stages)
        self.settings = settings

    @classmethod
    def from_names(cls, names: tuple[tuple[str, str], ...], settings: "Settings") -> "Pipeline":
        _load_builtin_stages()
        stages = []
        for short, factory in names:
            spec = STAGES.get(factory)
            stages.append(Stage(short, factory, spec.requires, spec.assigns, spec.factory(settings)))
        return cls(stages, settings)

    @property
    def name(self) -> str:
        return "+".join(s.factory.removeprefix("reckon.") for s in self.stages)

    def describe(self) -> list[dict[str, object]]:
        return [{"name": s.name, "factory": s.factory} for s in self.stages]

    def check(self) -> list[str]:
        """Stages whose requirements no earlier stage assigns."""
        have: set[str] = {"document"}
        gaps = []
        for s in self.stages:
            missing = [r for r in s.requires if r not in have]
            if missing:
                gaps.append(f"{s.name} ({s.factory}) needs {', '.join(missing)}, which no earlier stage sets")
            have.update(s.assigns)
        return gaps

    def replace(self, short: str, factory: str) -> "Pipeline":
        spec = STAGES.get(factory)
        new = [Stage(short, factory, spec.requires, spec.assigns, spec.factory(self.settings)) if s.name == short else s
               for s in self.stages]
        return Pipeline(new, self.settings)

    def remove(self, short: str) -> "Pipeline":
        return Pipeline([s for s in self.stages if s.name != short], self.settings)

    def report(self, doc: "Document") -> "Report":
        from .report import Report

        rep = Report(doc)
        for s in self.stages:
            s.fn(rep)
        return rep

    def __call__(self, doc: "Document") -> list["Claim"]:
        return self.report(doc).claims


def _load_builtin_stages() -> None:
    # importing the modules registers their stages
    from . import clean, sentences  # noqa: F401
    from ..extract import (  # noqa: F401
        actors,
        attribution,
        spacy_places,
        claims,
        counts,
        dates,
        enumerations,
        events,
        locations,
        triage,
    )


def default_pipeline(settings: "Settings") -> Pipeline:
    names = DEFAULT_STAGES if settings.use_spacy else tuple(s for s in DEFAULT_STAGES if s[0] != "spacy_places")
    return Pipeline.from_names(names, settings)

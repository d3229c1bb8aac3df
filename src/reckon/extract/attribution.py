"""Who reported it (``reported_by``), from the sentence's own attribution.

Forms read: "according to X", "X reported that", "X said", "X told AFP",
"with X documenting", "distributed by X", "alleged by X", "X posted pictures",
"activists", "a war monitor", "state media". A pronoun or "the statement" as
the reporting subject takes the reporter named before it in the document.
Passives with no agent ("were reported", "reportedly") give nothing, as the
guidelines say. Known sources get their canonical short name ("SOHR").
"""

from __future__ import annotations

import re

from ..model import Span
from ..text.pipeline import stage
from .actors import ActorDictionary, load_dictionary

__all__ = ["find_reporters"]

_REPORT_VERBS = (
    r"reported|reports|report|said|says|say|stated|states|told|tells|announced|documented|documents|confirmed|"
    r"claimed|claims|estimated|estimates|alleged|alleges|recorded|counted|tallied|wrote|posted|published|released|"
    r"shared|acknowledged|noted|added|warned|accused|quoted|described|cited|condemned|denounced|put\s+the\s+toll|"
    r"gave\s+a\s+toll|updated|verified|circulated|distributed"
)
_SUBJECT_REPORT = re.compile(
    rf"(?P<np>(?:[\w'’.&-]+\s+|\([A-Z]{{2,8}}\)\s+){{1,12}}?)(?:also\s+|later\s+|earlier\s+|separately\s+|has\s+|have\s+|had\s+)?(?P<verb>{_REPORT_VERBS})\b(?!\s+(?:by|to\s+have))",
)
_VERB_AT = re.compile(rf"\b(?:{_REPORT_VERBS})\b(?!\s+(?:by|to\s+have))")


def _subject_reports(sentence: str):
    """Matches of ``_SUBJECT_REPORT`` found from the verbs backwards (fast on long sentences)."""
    for v in _VERB_AT.finditer(sentence):
        start = max(0, v.start() - 140)
        m = _SUBJECT_REPORT.search(sentence, start, v.end())
        while m and m.end("verb") < v.end():
            m = _SUBJECT_REPORT.search(sentence, m.end("verb"), v.end())
        if m and m.end("verb") == v.end():
            yield m


_BY_REPORT = re.compile(
    r"\b(?:reported|distributed|alleged|documented|released|published|circulated|confirmed|claimed|verified|posted|shared|compiled|recorded)\s+by\s+(?P<np>[^,.;()]+)"
)
_ACCORDING = re.compile(r"\baccording\s+to\s+(?P<np>[^,.;]+)", re.I)
_WITH_DOING = re.compile(rf"\bwith\s+(?P<np>(?:[\w'’-]+\s+){{1,6}}?)(?:documenting|reporting|saying|confirming|recording|noting)\b")
_TOLD_AGENCY = re.compile(r"(?P<np>(?:[\w'’-]+\s+){1,6}?)told\s+(?P<agency>AFP|Reuters|AP|the Associated Press|reporters|journalists)\b")

_PRONOUN = re.compile(r"^(?:he|she|they|it|the\s+statement|the\s+report|the\s+group|the\s+organi[sz]ation|the\s+monitor|the\s+agency|the\s+ministry|the\s+party|the\s+lawmaker|the\s+official|the\s+spokesman|the\s+spokesperson)$", re.I)
_NOT_REPORTER = re.compile(
    r"^(?:it|there|this|that|which|who|reports?|sources?\s+close|video|footage|pictures|photos|images|evidence|"
    r"authorities\s+have|the\s+toll|a\s+toll|the\s+death\s+toll|the\s+number)\b",
    re.I,
)
_TITLE_WORDS = re.compile(
    r"^(?:(?:the|a|an|lebanese|syrian|local|senior|former|lawmaker|mp|minister|spokesman|spokesperson|spokeswoman|"
    r"official|officials|chairman|chairwoman|chair|co-chairs?|head|chief|leader|president|governor|mayor|commander|"
    r"general|colonel|sheikh|activist|resident|witness|doctor|dr\.?|mr\.?|mrs\.?|ms\.?|state-owned|state-run|"
    r"government's|government|news|agency|of|for|in|the\s+country's)\s+)+",
    re.I,
)
_GENERIC_REPORTERS = re.compile(
    r"\b(?:activists|residents|witnesses|survivors|surviving\s+locals|locals|local\s+sources|medical\s+sources|"
    r"medics|doctors|officials|authorities|police|the\s+army|the\s+military|state\s+media|state\s+television|"
    r"state\s+TV|local\s+media|rights\s+groups|monitors|a\s+war\s+monitor|the\s+war\s+monitor|hospital\s+staff|"
    r"relatives|families|villagers|aid\s+workers|humanitarian\s+sources|security\s+sources|military\s+sources|"
    r"the\s+UN|the\s+United\s+Nations|OCHA)\b",
    re.I,
)


def _clean_np(np: str) -> str:
    np = np.strip(" \"“”'’,")
    np = re.sub(r"^(?:on\s+[\w\s]+?,\s*|(?:also|and|but|then|while|as|after|before|meanwhile|however),?\s+)", "", np, flags=re.I)
    np = re.sub(r"^(?:on|in|by)\s+\d+\s+\w+(?:\s+\d{4})?,?\s*", "", np)
    return np.strip(" \"“”'’,")


def _short_name(np: str, dic: ActorDictionary) -> str | None:
    """The name to record for a reporting noun phrase, or None when it names no reporter."""
    np = _clean_np(np)
    if not np or _NOT_REPORTER.match(np):
        return None
    src = dic.source(np)
    if src:
        return src.name
    m = re.search(r"\(([A-Z][A-Za-z]{1,8})\)", np)
    if m:
        return m.group(1)
    g = _GENERIC_REPORTERS.search(np)
    stripped = _TITLE_WORDS.sub("", np).strip()
    # a person or organisation name: the capitalised words at the end ("Lebanese lawmaker Sajih Attieh")
    caps = re.search(r"((?:[A-Z][\w'’.-]+\s*){1,5})$", stripped)
    if caps and not g:
        name = caps.group(1).strip()
        # an organisation followed by its members' names: "Turkey's DEM Party, Tülay ..." is cut before
        org = re.search(r"((?:[A-Z][\w'’-]*\s+){1,5}(?:Party|Council|Network|Committee|Front|Movement|Union|Watch|Observatory|Agency|Ministry|Commission|Office|Cross|Crescent))\b", np)
        if org:
            return re.sub(r"^[A-Z]\w+['’]s\s+", "", org.group(1))
        return name
    if g:
        return np[g.start():] if len(np) - g.start() < 40 else g.group(0)
    if len(np.split()) <= 7 and not re.search(r"\b(?:that|which|when|if)\b", np):
        if len(np.split()) <= 4 and (np[:1].isupper() or _GENERIC_REPORTERS.search(np)):
            return np
        if re.match(r"^(?:(?:the|a|an)\s+)?(?:\w+\s+){0,2}(?:chairman|chairwoman|spokesman|spokeswoman|spokesperson|official|officials|governor|commissioner|"
                     r"administrator|chief|mayor|leader|commander|witness|witnesses|resident|doctor|medic|nurse|volunteer|"
                     r"monitor|source|sources|ministry|agency|council|committee|coordinator|director)\b", np, re.I):
            return re.sub(r"^(?:the|a|an)\s+", "", np, flags=re.I)
    return None


_CUE = re.compile(rf"\b(?:according|{_REPORT_VERBS}|told|documenting|reporting|saying|confirming|recording|noting)\b")


def find_reporters(sentence: str, dic: ActorDictionary, previous: str | None = None, offset: int = 0) -> list[tuple[str, Span | None]]:
    """(name, span of the words it was read from) for each reporter the sentence names."""
    out: list[tuple[str, Span | None]] = []
    if not _CUE.search(sentence):
        return out

    def add(np: str, start: int) -> None:
        raw = _clean_np(np)
        if _PRONOUN.match(raw):
            if previous:
                out.append((previous, None))
            return
        name = _short_name(np, dic)
        if name and all(name != o[0] for o in out):
            pos = sentence.find(raw, start) if raw else -1
            span = Span(offset + pos, offset + pos + len(raw)) if pos >= 0 else None
            out.append((name, span))

    for m in _ACCORDING.finditer(sentence):
        add(m.group("np"), m.start("np"))
    for m in _BY_REPORT.finditer(sentence):
        add(m.group("np"), m.start("np"))
    for m in _WITH_DOING.finditer(sentence):
        add(m.group("np"), m.start("np"))
    for m in _TOLD_AGENCY.finditer(sentence):
        add(m.group("np"), m.start("np"))
    for m in _subject_reports(sentence):
        np = m.group("np")
        # only the last clause before the verb is the subject
        np = re.split(r"(?:,\s+|\bthat\s+|\band\s+(?=[A-Z]))", np)[-1]
        if m.group("verb") in ("reports", "report", "say", "says") and not np.strip():
            continue
        if re.search(r"\b(?:were|was|been|being|is|are)\s*$", np):
            continue  # "were reported": a passive, no agent
        add(np, m.start("np"))
    return out


@stage("reckon.attribution.v1", requires=("drafts",), assigns=("draft.reported_by",))
def make_attribution(settings):
    dic = load_dictionary(settings.actors_file)

    def attribution(report) -> None:
        last: str | None = None
        per_sentence: dict[int, list[tuple[str, Span | None]]] = {}
        for s in report.sentences:
            found = find_reporters(s.text, dic, last, s.span.start)
            per_sentence[s.index] = found
            named = [n for n, sp in found if sp is not None]
            if named:
                last = named[-1]
            else:
                # a subject that will be referred to as "the statement" / "he": the organisation or person acting
                m = re.search(r"((?:[A-Z][\w'’-]*\s+)*(?:Party|Council|Network|Committee|Front|Movement|Union|Ministry|Agency))\b.{0,80}\b(?:issued|released|published)\b", s.text)
                if m:
                    last = m.group(1).strip()
                    last = re.sub(r"^(?:The|Turkey's|Syria's)\s+", "", last)
        for d in report.drafts:
            d.reported_by = list(per_sentence.get(d.sentence.index, []))

    return attribution

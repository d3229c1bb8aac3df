"""Assemble drafts into claims: decide the event type, keep what is a claim, attach spans.

A draft becomes a claim when it states a concrete occurrence (an event word that
is not future, hypothetical, generic or a back-reference), and anchors it in the
world: a place, a figure, a date, or an explicit report of it. Everything a claim
says keeps the character span it was read from (``claim.spans``).
"""

from __future__ import annotations

import re

from ..model import Claim, Count, Location, Span
from ..text.pipeline import stage
from ..text.report import Draft
from .actors import load_dictionary
from .events import Trigger, main_trigger

__all__ = ["main_of", "COMBATANT_NOUNS"]

COMBATANT_NOUNS = re.compile(
    r"\b(?:soldiers?|troops|servicemen|officers?|policemen|police(?:\s+officers)?|personnel|guards?|militants|fighters|"
    r"rebels|insurgents|jihadists|gunmen|combatants|militiamen|recruits|conscripts|security\s+forces|forces|army|"
    r"terrorists?|extremists|separatists|bandits|kidnappers|vigilantes|attackers|assailants|"
    r"members\s+of\s+the\s+(?:security|armed)\s+forces)\b",
    re.I,
)
_CIVILIAN_NOUNS = re.compile(r"\b(?:civilians?|villagers|residents|people|children|women|students|worshippers|families|Alawites?|inhabitants|farmers|displaced)\b", re.I)
_FOREIGN_AIR = re.compile(r"\b(?:Israeli|Israel|Russian|Russia|Turkish|Turkey|US|U\.S\.|American|coalition|Saudi|Emirati|Jordanian|Iranian|Pakistani|Egyptian)\b")
_BACKGROUND = re.compile(
    r"\b(?:had|have|has)\s+(?:experienced|faced|suffered|endured|seen|witnessed)\b.*\bsince\b|\bcontinued\s+since\b|"
    r"\b(?:ongoing|decades-long|years-long|long-running)\b",
    re.I,
)
#: cumulative statistics across unrelated incidents are not claims (guidelines)
_CUMULATIVE = re.compile(
    r"\bsince\s+(?:the\s+(?:start|beginning|outbreak|onset)\b|(?:19|20)\d\d\b|the\s+(?:war|conflict|ceasefire|truce|coup|insurgency|fighting|uprising|revolution)\b|"
    r"it\s+(?:began|started|erupted)|then\b|records\s+began|(?:[\w-]+\s+){0,3}(?:broke\s+out|began|erupted|started)\b)|"
    r"\b(?:insurgency|war|conflict|violence|crisis)\b[^.]{0,80}\b(?:has|have)\s+(?:since\s+)?(?:killed|claimed|left|displaced|uprooted)\b|"
    r"\b(?:has|have)\s+(?:since\s+)?(?:killed|claimed|left|displaced|forced|uprooted|caused)\b.{0,60}\b(?:since|war|conflict|insurgency|year|years|months)\b|"
    r"\b(?:overall|cumulative|total)\s+(?:death\s+)?toll\b|\bover\s+the\s+(?:past|last)\s+(?:\w+\s+)?(?:years|decades?|months)\b|"
    r"\btoll\s+(?:for|of)\s+the\s+(?:war|conflict)\b|"
    r"\b(?:so\s+far\s+this|earlier\s+this|last|this)\s+year\b|\bacross\s+(?:the\s+country|[A-Z]\w+\s+territory|all\s+of)\b|\bin\s+(?:19|20)\d\d\s+alone\b|\ba\s+year\s+(?:ago|earlier)\b.{0,40}\btotal",
    re.I,
)
_REPORTED_MARKER = re.compile(r"\b(?:were|was|been)\s+reported\b|\breportedly\b|\bdocument(?:ed|ing)\b|\bshowed\b|\bfootage\b", re.I)
_QUOTE_CHARS = "\"“”"


def main_of(d: Draft) -> Trigger | None:
    roles = {cm.role for cm in d.count_mentions if cm.role}
    return main_trigger(d.triggers, roles)


def _in_quotes(text: str, pos: int) -> bool:
    before = text[:pos]
    n = sum(before.count(c) for c in _QUOTE_CHARS)
    if n % 2 == 1 or (before.count("“") > before.count("”")):
        return True
    # a quotation that opened in an earlier sentence and closes here: '... bombed the next day," said X'
    after = text[pos:]
    m = re.search(r"[\"”],?\s+(?:said|says|told|added|according)\b", after)
    return bool(m) and sum(after[: m.start()].count(c) for c in _QUOTE_CHARS) == 0


_KIN = r"(?:son|daughter|wife|husband|brother|sister|father|mother|child|nephew|niece|cousin|grandson|granddaughter|uncle|aunt)"
_KILL_VERB = r"(?:killed|killing|kills|shot\s+dead|executed|murdered|gunned\s+down|slaughtered)"


def _people_listed_with(text: str, cm_start: int, cm_end: int) -> int:
    """People named beside a count in one object list: "killed <a leader> and five of his family" -> 1."""
    extra = 0
    before = text[max(0, cm_start - 90) : cm_start]
    m = re.search(rf"{_KILL_VERB}\s+(?P<list>(?:(?!\b(?:in|on|at|near|with|after|before|while)\b)[^,;.]){{2,80}}?)\s+and\s+$", before)
    if m:
        items = re.split(r",\s*|\s+and\s+", m.group("list"))
        if all(re.match(r"(?:a|an|one|the|his|her|their|[A-Z])\b|(?:[a-z]+\s+)?(?:leader|chief|imam|teacher|doctor|pharmacist|driver|man|woman|boy|girl|child)\b", it.strip()) for it in items):
            extra += len(items)
    after = text[cm_end : cm_end + 40]
    if re.match(rf"\s+and\s+(?:his|her|their)\s+(?:\w+\s+)?{_KIN}\b", after):
        extra += 1
    return extra


def _counts(d: Draft, event_type: str, head_roles: dict[str, Count] | None, text: str = "") -> dict[str, tuple[Count, Span]]:
    out: dict[str, tuple[Count, Span]] = {}
    for cm in d.count_mentions:
        role = cm.role
        if d.inherited and head_roles:
            role = next(iter(head_roles))  # an item of a list counts what the list's head counts
        if role is None and event_type == "displacement" and cm.noun and not COMBATANT_NOUNS.search(cm.noun):
            role = "displaced"
        if role is None:
            continue
        if role == "displaced" and cm.noun and COMBATANT_NOUNS.search(cm.noun):
            continue  # fighters arriving are no displaced people
        if role not in out:
            span = cm.span if cm.noun_span is None else Span(cm.span.start, max(cm.span.end, cm.noun_span.end))
            count = cm.count
            if role == "fatalities" and text:
                extra = _people_listed_with(text, cm.span.start, span.end)
                if extra:
                    count = Count(count.min + extra, None if count.max is None else count.max + extra)
            out[role] = (count, span)
    return out


def _event_type(d: Draft, trig: Trigger | None, counts: dict, previous: tuple[str, str] | None, sentence: str) -> tuple[str, str] | None:
    if trig is None:
        unspecified = [t for t in d.triggers if t.kind == "unspecified"]
        if unspecified and previous:
            return previous
        back = [t for t in d.triggers if t.kind == "anaphoric"]
        if back and counts:
            t = min(back, key=lambda x: x.rank)
            return (t.event_type, t.sub_event_type)
        if "fatalities" in counts or "injured" in counts:
            return ("violence_against_civilians", "attack")
        if "displaced" in counts:
            return ("displacement", "displacement")
        if unspecified and (d.locations or counts):
            return ("violence_against_civilians", "attack")
        return None
    et, st = trig.event_type, trig.sub_event_type
    if et != "protests" and ("fatalities" in counts or "injured" in counts) and re.search(
            r"\b(?:protest(?:s|ers)?|demonstrat(?:ions?|ors)|marchers|rall(?:y|ies))\b", sentence, re.I) and re.search(
            r"\b(?:police|security\s+forces|soldiers|troops|army|officers)\b", sentence, re.I):
        return ("protests", "excessive_force_against_protesters")
    if et == "protests" and st == "peaceful_protest" and ("fatalities" in counts or "injured" in counts):
        return ("protests", "excessive_force_against_protesters")
    if et == "explosions_remote_violence" and st == "air_drone_strike" and re.search(r"\b(?:missiles?|artillery|rockets?|shell(?:s|ing))\b", sentence, re.I):
        return (et, "shelling_artillery_missile_attack")
    if et == "violence_against_civilians" and st == "attack":
        victims = " ".join(x for x in [d.actor2[0] if d.actor2 else ""] + [cm.noun or "" for cm in d.count_mentions if cm.role in ("fatalities", "injured")])
        after = sentence[trig.span.end - d.sentence.span.start : trig.span.end - d.sentence.span.start + 80]
        target_combatant = bool(COMBATANT_NOUNS.search(victims)) and not _CIVILIAN_NOUNS.search(victims)
        if target_combatant or re.match(r"\s*(?:on|against)\s+(?:\w+\s+){0,3}(?:security\s+forces|soldiers|troops|police|army|checkpoint)", after, re.I) \
                or re.search(r"\b(?:police|security|soldiers?|military)\s+casualties\b", sentence, re.I):
            return ("battles", "armed_clash")
    if et == "explosions_remote_violence" and st == "shelling_artillery_missile_attack":
        a1 = d.actor1[0] if d.actor1 else ""
        if re.match(r"bomb", trig.text, re.I) and _FOREIGN_AIR.search(a1 + " " + sentence[max(0, trig.span.start - d.sentence.span.start - 25): trig.span.start - d.sentence.span.start]):
            return (et, "air_drone_strike")
    if et == "battles" and st == "non_state_actor_overtakes_territory":
        a1 = (d.actor1[0] if d.actor1 else "").lower()
        if re.search(r"\b(?:army|government|regime|military|troops|soldiers)\b", a1):
            return (et, "government_regains_territory")
    return (et, st)


def _is_claim(d: Draft, trig: Trigger | None, counts: dict, sentence: str) -> bool:
    if trig is None and not counts and not any(t.kind == "unspecified" for t in d.triggers):
        return False
    if trig is None and not counts and not d.locations:
        return False
    has_anchor = bool(d.locations or counts or d.date_start or _REPORTED_MARKER.search(sentence) or d.inherited
                      or (trig is not None and d.actor1 is not None and bool(re.search(r"\b[A-Z]", d.actor1[0]))))
    if not has_anchor:
        # a count of people without a role ("directing three people ... before shooting them") still anchors
        has_anchor = any(cm.is_people and cm.noun for cm in d.count_mentions)
    if not has_anchor:
        return False
    if trig is not None and _in_quotes(sentence, trig.span.start - d.sentence.span.start) and not (d.locations or counts):
        return False
    if _BACKGROUND.search(sentence) and not counts:
        return False
    if (trig is not None and re.search(r"\bhad\s+(?:\w+ly\s+)?$", sentence[: trig.span.start - d.sentence.span.start])
            and not counts and not d.date_start and not re.search(r"\b(?:said|says|told|according|reported|claimed|announced)\b", sentence)):
        return False  # pluperfect background: "the militias had fought alongside the army"
    if _CUMULATIVE.search(sentence) and not (d.date_start and d.date_end and (d.date_end - d.date_start).days < 31):
        return False
    return True


def _trim(text: str, span: Span) -> Span:
    seg = text[span.start : span.end]
    lead = len(seg) - len(seg.lstrip(" ,;:–—"))
    seg2 = seg.rstrip(" ,;:–—")
    return Span(span.start + lead, span.start + len(seg2))


def _confidence(d: Draft, counts: dict, trig: Trigger | None) -> float:
    c = 0.35
    c += 0.2 if d.locations else 0.0
    c += 0.15 if counts else 0.0
    c += 0.1 if d.date_start else 0.0
    c += 0.1 if d.actor1 else 0.0
    c += 0.05 if d.reported_by else 0.0
    c -= 0.1 if trig is None else 0.0
    return max(0.05, min(0.99, c))


@stage("reckon.claims.v1", requires=("drafts", "draft.event_type", "draft.counts", "draft.locations", "draft.date", "draft.actors", "draft.reported_by"), assigns=("claims",))
def make_claims(settings):
    dic = load_dictionary(settings.actors_file)

    def claims(report) -> None:
        out: list[Claim] = []
        previous: tuple[str, str] | None = None
        heads: dict[tuple[int, int], tuple[tuple[str, str] | None, dict, Draft]] = {}
        for d in report.drafts:
            sentence = d.sentence.text
            head_key = d.extra.get("head")
            head = heads.get((head_key.start, head_key.end)) if head_key is not None and d.inherited else None
            if head is not None:
                _hd_type, head_counts, head_draft = head
                d.triggers = d.triggers or head_draft.triggers
                d.actor1 = d.actor1 or head_draft.actor1
                d.actor2 = d.actor2 or head_draft.actor2
                d.reported_by = d.reported_by or head_draft.reported_by
                if d.date_start is None and d.date_end is None:
                    d.date_start, d.date_end, d.date_span = head_draft.date_start, head_draft.date_end, head_draft.date_span
            trig = main_of(d) if head is None else (main_of(head[2]) or main_of(d))
            counts = _counts(d, trig.event_type if trig else "", head[1] if head else None, report.work)
            if not _is_claim(d, trig, counts, sentence):
                continue
            typed = head[0] if head is not None and head[0] else _event_type(d, trig, counts, previous, sentence)
            if typed is None:
                continue
            if d.extra.get("enumeration") == 0 and head_key is not None:
                heads[(head_key.start, head_key.end)] = (typed, {r: c for r, (c, _s) in counts.items()}, d)
            et, st = typed
            previous = typed
            locs = tuple(loc for loc in d.locations)
            spans: dict[str, tuple[Span, ...]] = {}
            if trig is not None:
                spans["event_type"] = (trig.span,)
            for role, (cnt, sp) in counts.items():
                spans[role] = (sp,)
            if locs:
                spans["locations"] = tuple(loc.span for loc in locs if loc.span)
                hints = tuple(loc.hint_span for loc in locs if loc.hint_span)
                if hints:
                    spans["location_hints"] = tuple(sorted(set(hints)))
            if d.date_span:
                spans["date"] = (d.date_span,)
            first, second = d.actor1, d.actor2
            if st == "protest_with_intervention":  # the protesters act, the force intervenes (ACLED's order)
                first, second = second, first
            a1 = first[0] if first else None
            a2 = second[0] if second else None
            if first:
                spans["actor1"] = (first[1],)
            if second:
                spans["actor2"] = (second[1],)
            rep = tuple(dict.fromkeys(n for n, _ in d.reported_by))
            rep_spans = tuple(sp for _, sp in d.reported_by if sp is not None)
            if rep_spans:
                spans["reported_by"] = rep_spans
            quote = _trim(report.work, d.span)
            spans["quote"] = (quote,)
            e1, e2 = dic.actor(a1), dic.actor(a2)
            out.append(
                Claim(
                    doc=report.doc.doc,
                    quote_span=quote,
                    event_type=et,
                    sub_event_type=st,
                    date_start=d.date_start,
                    date_end=d.date_end,
                    locations=locs,
                    actor1=a1,
                    actor2=a2,
                    actor1_canonical=e1.name if e1 else None,
                    actor2_canonical=e2.name if e2 else None,
                    fatalities=counts["fatalities"][0] if "fatalities" in counts else None,
                    injured=counts["injured"][0] if "injured" in counts else None,
                    displaced=counts["displaced"][0] if "displaced" in counts else None,
                    arrested=counts["arrested"][0] if "arrested" in counts else None,
                    reported_by=rep,
                    confidence=_confidence(d, counts, trig),
                    spans=spans,
                    sentence_span=d.sentence.span,
                    text=report.text,
                )
            )
        report.claims = out

    return claims

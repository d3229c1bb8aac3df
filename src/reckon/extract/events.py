"""Event triggers and the event-type taxonomy (ACLED types plus displacement).

A trigger is a word or phrase that says something happened ("were executed",
"shelling", "organized a demonstration", "fled to"). Each has an event type,
a sub-event type and a kind:

- ``concrete``: an occurrence ("killed", "an airstrike", "clashes");
- ``anaphoric``: a reference back to an event already told ("the attack",
  "these massacres"): not a new claim unless the sentence adds its own figures;
- ``unspecified``: "incidents", typed from the claim before it.

Generic words ("violence", "violations", "abuses", "tensions") are no triggers
at all: they name no concrete occurrence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Span
from ..text.pipeline import stage

__all__ = ["Trigger", "find_triggers", "TRIGGERS", "NON_EVENT_CONTEXT"]


@dataclass(frozen=True)
class Trigger:
    span: Span
    text: str
    event_type: str
    sub_event_type: str
    kind: str  # concrete | anaphoric | unspecified
    rank: int  # lower wins when a sentence has several
    voice: str = "active"  # "passive" when the victim is the grammatical subject ("were killed")


V = "violence_against_civilians"
B = "battles"
E = "explosions_remote_violence"
P = "protests"
R = "riots"
S = "strategic_developments"
D = "displacement"

# (pattern, event_type, sub_event_type, rank). Order matters only for equal spans.
_TABLE: list[tuple[str, str, str, float]] = [
    # protests
    (r"(?:opened\s+fire|fired(?:\s+(?:live\s+)?(?:ammunition|rounds|bullets))?)\s+(?:on|at|into)\s+(?:the\s+|a\s+crowd\s+of\s+|crowds\s+of\s+)?(?:peaceful\s+)?(?:protesters?|protestors?|demonstrators?|marchers|crowds?|mourners)", P, "excessive_force_against_protesters", 1),
    (r"(?:killed|shot|shot\s+dead|killing|shooting)\s+(?:\w+\s+){0,3}(?:protesters?|protestors?|demonstrators?|marchers?)", P, "excessive_force_against_protesters", 1),
    (r"(?:dispersed|disperse|broke\s+up|teargassed|tear-gassed|used\s+tear\s*gas|fired\s+tear\s*gas|water\s+cannons?)", P, "protest_with_intervention", 3),
    (r"(?:organi[sz]ed|held|staged|joined|took\s+part\s+in|launched)\s+(?:a\s+|an\s+)?(?:[\w\"“”'-]+\s+){0,3}(?:protests?|demonstrations?|rall(?:y|ies)|marche?s?|sit-ins?|vigils?|processions?|general\s+strike)", P, "peaceful_protest", 2),
    (r"(?:protest(?:ed|ing|s)?|demonstrat(?:ed|ing|ions?)|rall(?:ied|ying|y|ies)|marched|took\s+to\s+the\s+streets|sit-ins?|vigils?|went\s+on\s+strike)", P, "peaceful_protest", 4),
    # riots
    (r"(?:(?<!anti-)riot(?:s|ed|ing|ers)?(?!\s+(?:police|gear|squad|control|shields?|units?))|mobs?\s+(?:\w+\s+){0,2}(?:attacked|lynched|burned|killed|stormed|set|beat|torched)|lynch(?:ed|ing)|beat(?:en)?\s+(?:\w+\s+){0,4}to\s+death)", R, "mob_violence", 3),
    (r"(?:protesters|demonstrators|rioters|crowds?)\s+(?:[\w,'-]+\s+){0,6}(?:clashed|threw\s+stones|hurled\s+stones|set\s+fire|torched|vandali[sz]ed|looted|stormed|burned|ransacked|attacked)", R, "violent_demonstration", 2),
    # explosions / remote violence
    (r"suicide\s+(?:bomb(?:er|ers|ing|ings)?|attacks?|blasts?|car\s+bomb(?:ing)?)", E, "suicide_bomb", 2),
    (r"(?:air\s*strikes?|air-strikes?|air\s+raids?|airstrikes?|aerial\s+(?:bombardment|attacks?|strikes?|bombing|bombs?)|(?:guided|glide)\s+(?:aerial\s+)?bombs?|drone\s+(?:strikes?|attacks?)|"
     r"(?:warplanes?|jets?|fighter\s+jets?|helicopters?|aircraft|drones?)\s+(?:[\w,-]+\s+){0,8}?(?:struck|bombed|hit|targeted|attacked|pounded|fired)|"
     r"barrel\s+bombs?|struck\s+by\s+(?:a\s+)?drones?|(?:kamikaze|shahed|loitering)\s+(?:drones?|munitions?)|"
     r"(?<!went\s\bon\s)(?<!general\s)(?<!hunger\s)strikes?(?!\s+action)(?=\s+(?:on|hit|struck|killed|targeted|in|against|near|that|which|overnight|wounded))|"
     r"(?:Israeli|Russian|US|U\.S\.|American|coalition|Turkish|Saudi|Emirati|Jordanian|Pakistani|Iranian)\s+(?:air\s+|drone\s+)?strikes?)", E, "air_drone_strike", 2),
    (r"(?:improvised\s+explosive\s+devices?|IEDs?|roadside\s+bombs?|car\s+bombs?|(?:land)?mines?\s+(?:exploded|blast|explosion)|landmines?|land\s+mines?|"
     r"explosive\s+devices?|bomb\s+(?:exploded|went\s+off|blast)|(?:a|an)\s+(?:blast|explosion)|(?:blast|explosion)s?\s+(?:at|in|near|killed|ripped|hit|tore))", E, "remote_explosive_landmine_ied", 3),
    (r"grenades?", E, "grenade", 4),
    (r"(?:shell(?:ing|ed|s)|shell(?=\s+(?:hit|struck|landed|fell|exploded|killed|slammed))|artillery|mortars?(?:\s+(?:fire|rounds|shells|attacks?))?|rockets?\s+(?:fire|attacks?|strikes?|hit|struck|landed|slammed|killed|barrages?)|(?:fired|launched)\s+(?:\w+\s+){0,2}(?:rockets?|missiles?)|(?:ballistic\s+|cruise\s+|guided\s+)?missiles?\s+(?:strikes?|attacks?|hit|struck|landed|slammed|killed|fired|launched|barrages?)|(?:ballistic|cruise)\s+missiles?|"
     r"bombard(?:ment|ments|ed|ing)|barrages?|subjected\s+to\s+bombardment|bomb(?:ed|ing|ings)|pounded|heavy\s+weapons\s+fire)", E, "shelling_artillery_missile_attack", 3),
    (r"chemical\s+(?:attack|weapons?\s+attack)|(?:sarin|chlorine)\s+(?:attack|gas)", E, "chemical_weapon", 2),
    # battles
    (r"(?:clash(?:es|ed)?|fighting|fought|firefights?|gunfights?|gun\s+battles?|exchanges?\s+of\s+fire|exchanged\s+fire|skirmish(?:es|ed)?|"
     r"ambush(?:ed|es)?|battles?\s+(?:between|with|against|raged)|battle\s+for\s+control|heavy\s+fighting|offensive\s+(?:on|against)|"
     r"repelled|repulsed|fended\s+off|neutrali[sz]ed)", B, "armed_clash", 4),
    (r"(?:attacks?|attacked|raided|assault(?:ed|s)?|stormed)\s+(?:on\s+|against\s+)?(?:an?\s+|the\s+)?(?:\w+\s+){0,4}(?:security\s+forces|soldiers|troops|army|police|policemen|officers|checkpoints?|military\s+(?:posts?|positions?|bases?|convoys?)|positions|barracks|outposts?|patrols?|personnel|base|camp)", B, "armed_clash", 3),
    (r"(?:(?:took|seized|gained|wrested)\s+control\s+of|captured|overran|seized|took\s+over)(?=\s+(?:the\s+)?(?:town|village|city|base|district|area|hill|airport|border|strategic|key|[A-Z]))", B, "non_state_actor_overtakes_territory", 4),
    (r"(?:recaptured|retook|regained\s+control\s+of|re-took|liberated)", B, "government_regains_territory", 4),
    # violence against civilians
    (r"(?:abduct(?:ed|ion|ions|ing|s)?|kidnap(?:ped|ping|pings|s)?|taken\s+hostage|held\s+hostage|forcibly\s+disappeared|enforced\s+disappearances?|(?:was|were)\s+taken\s+(?:away\s+)?from)", V, "abduction_forced_disappearance", 3),
    (r"(?:rap(?:ed|es|ing)|rape|sexual(?:ly)?\s+(?:violence|assault(?:ed)?|abused)|gang-raped)", V, "sexual_violence", 3),
    (r"(?:massacr(?:e|es|ed)|execut(?:ed|ions?|ing)|slaughter(?:ed)?|murder(?:ed|s)?|killing\s+spree|mass\s+killings?|"
     r"shot\s+dead|gunned\s+down|beheaded|burned\s+alive|hacked\s+to\s+death|stabbed(?:\s+to\s+death)?|tortured(?:\s+to\s+death)?|"
     r"started\s+killing|began\s+killing|killings?|kill(?:ed|ing|s)?|death(?:s)?\s+(?:was|were)\s+reported|(?:died|dead))", V, "attack", 5),
    (r"(?:targeted(?!\s+(?:violence|killings?|attacks?|persecution|campaigns?|sanctions|assassinations?|harassment|discrimination))|"
     r"opened\s+fire|shot|shooting|fired\s+(?:on|at)|attacked|attacks?|raided|raids?|stormed|assaulted)", V, "attack", 6.5),
    # strategic developments
    (r"(?:arrest(?:ed|s|ing)?|detain(?:ed|ing)|rounded\s+up|taken\s+into\s+custody|arrest\s+campaign|detentions?|remanded)", S, "arrests", 6),
    (r"(?:loot(?:ed|ing)|pillag(?:ed|ing)|plunder(?:ed|ing)|demolish(?:ed|ing)|razed|bulldozed|destroyed\s+(?:houses|homes|property|crops)|"
     r"set\s+(?:fire|ablaze)|setting\s+fire|torched|burn(?:ed|t)\s+(?:down\s+)?(?:\w+\s+){0,2}(?:houses|homes|villages?|shops|huts))", S, "looting_property_destruction", 6.8),
    (r"(?:defused|dismantled|intercepted|shot\s+down|seized\s+(?:[\w-]+\s+){0,4}(?:weapons|arms|explosives|ammunition|rockets?|missiles?|drugs|cache))", S, "disrupted_weapons_use", 6.9),
    (r"(?:launched\s+(?:a\s+|an\s+)?(?:[\w-]+\s+){0,3}(?:campaign|operation|sweep|crackdown)|deployed|deployment\s+of|reinforcements|"
     r"convoys?\s+(?:of|carrying)|(?:forces|troops|fighters|units|militias?|reinforcements)\s+(?:\w+\s+){0,5}(?:arrived|leaving|left|moved|headed|heading|advanced|entered|withdrew|withdrawing|were\s+sent|mobili[sz]ed)|"
     r"arrived\s+from|sent\s+(?:troops|forces|reinforcements)|withdrew\s+from|withdrawal\s+from)", S, "other", 8),
    (r"(?:(?:signed|agreed|reached|brokered|struck)\s+(?:a\s+|an\s+|the\s+)?(?:\w+\s+){0,2}(?:cease-?fire|truce|peace\s+(?:deal|agreement)|agreement|deal)|prisoner\s+(?:swap|exchange))", S, "agreement", 8),
    # displacement
    (r"(?:fled|flee(?:ing)?|displaced|displacement|evacuated|uprooted|sought\s+refuge|seek(?:ing)?\s+refuge|took\s+refuge|taking\s+refuge|"
     r"(?:taken|took|sought|seeking)\s+shelter|forced\s+(?:from|out\s+of)\s+their\s+homes|left\s+(?:their\s+homes|the\s+(?:\w+\s+){0,2}(?:neighbou?rhoods?|villages?|town|city|area|camps?))|"
     r"crossed\s+(?:the\s+border\s+)?into|arrivals|streamed\s+into|exodus)", D, "displacement", 4),
    # unspecified
    (r"(?:similar\s+)?incidents?", "?", "?", 9),
]

TRIGGERS = [(re.compile(rf"(?<![\w-])(?:{p})(?![\w-])", re.IGNORECASE), et, st, rank) for p, et, st, rank in _TABLE]

_FUNCTION = r"(?:before|after|while|when|by|of|for|to|and|or|in|on|at|with|from|into|during|as)"
_ANAPHORIC = re.compile(
    rf"(?:\b(?:the|this|that|these|those|such|its|their|his|her)\s+(?:(?!{_FUNCTION}\b)[\w-]+\s+){{0,2}}|[\w]+['’]s\s+(?:(?!{_FUNCTION}\b)[\w-]+\s+){{0,1}})$",
    re.IGNORECASE,
)
_INDEFINITE = re.compile(r"(?:\b(?:a|an|another|new|several|two|three|multiple|numerous|repeated|renewed|fresh|further|more)\s+(?:[\w-]+\s+){0,2})$", re.IGNORECASE)

#: words before a trigger that make it no occurrence: future, hypothetical, generic infinitive.
NON_EVENT_CONTEXT = re.compile(
    r"(?:\b(?:will|would|could|might|may|shall|must|should|plans?\s+to|planning\s+to|threaten(?:ed|s|ing)?\s+to|vow(?:ed|s)?\s+to|"
    r"intend(?:s|ed)?\s+to|ready\s+to|prepared\s+to|refus(?:ed|es)\s+to|fear(?:ed|s)?|risk(?:s|ed)?\s+of|threat\s+of|"
    r"in\s+order\s+to|it\s+is\s+a\s+crime\s+to|a\s+crime\s+to|right\s+to|calls?\s+to|urged?\s+\w+\s+to|tasked\s+with|"
    r"investigat(?:e|ing|ion\s+into)|prevent(?:ed|ing)?|avoid(?:ed|ing)?|no\s+one\s+was|nobody\s+was|without|denied|deny|"
    r"expects?|expected\s+to|due\s+to\s+(?:meet|begin|start|resume|be|take|hold|arrive|visit|sign)|(?:is|are|was|were)\s+to|if|unless|in\s+case\s+of|call(?:ed|s)?\s+for|promised|pledged|"
    r"secure\s+an?|resume|warned\s+of|fears?\s+of|possible|potential|imminent)\s+(?:[\w-]+\s+){0,2})$"
    r"|(?:\bto\s+)$",
    re.IGNORECASE,
)

_EVENT_NOUN = re.compile(
    r"(?:massacres?|executions?|killings?|attacks?|(?:air|drone\s+)?strikes?|airstrikes?|shelling|bombardments?|bombings?|"
    r"explosions?|blasts?|clashes|clash|fighting|raids?|incidents?|abductions?|kidnappings?|assaults?|ambush(?:es)?|"
    r"shooting|shells|protests?|demonstrations?|rall(?:y|ies)|march|arrests|displacement|violence|offensive|operation)\b",
    re.I,
)

_PASSIVE = re.compile(r"\b(?:was|were|been|being|be|is|are|got|get)\s+(?:\w+ly\s+)?$", re.IGNORECASE)


def find_triggers(sentence: str, offset: int = 0) -> list[Trigger]:
    """Triggers in a sentence, overlapping matches resolved (longest, then best rank)."""
    found: list[Trigger] = []
    for rx, et, st, rank in TRIGGERS:
        for m in rx.finditer(sentence):
            before = sentence[max(0, m.start() - 60) : m.start()]
            if NON_EVENT_CONTEXT.search(before):
                # "started to kill", "claimed to have killed": occurrences; the rest are not
                if not re.search(r"\b(?:began|started|continued|went\s+on)\s+to\s+$|\bto\s+have\s+(?:been\s+)?$", before, re.I):
                    continue
            kind = "unspecified" if et == "?" else "concrete"
            word = m.group(0)
            if kind == "concrete" and _ANAPHORIC.search(before) and not _INDEFINITE.search(before):
                if _EVENT_NOUN.match(word):
                    kind = "anaphoric"
            voice = "passive" if _PASSIVE.search(before[-20:]) else "active"
            found.append(Trigger(Span(offset + m.start(), offset + m.end()), word, et, st, kind, rank, voice))
    found.sort(key=lambda t: (t.span.start, -(t.span.end - t.span.start), t.rank))
    kept: list[Trigger] = []
    for t in found:
        if kept and t.span.start < kept[-1].span.end:
            prev = kept[-1]
            if t.rank < prev.rank and (t.span.end - t.span.start) >= (prev.span.end - prev.span.start) * 0.6:
                kept[-1] = t
            continue
        kept.append(t)
    return kept


def main_trigger(triggers: list[Trigger], roles: set[str]) -> Trigger | None:
    """The trigger that types a claim: the best-ranked concrete one, counts' roles considered."""
    concrete = [t for t in triggers if t.kind == "concrete"]
    if not concrete:
        return None
    if roles & {"fatalities", "injured"}:
        # people killed or hurt: the violent event types the claim, not a flight or a deployment that came with it
        violent = [t for t in concrete if t.event_type not in (D, S) and not (t.event_type == P and t.sub_event_type == "peaceful_protest")]
        if violent:
            concrete = violent
    if "displaced" in roles and not roles & {"fatalities", "injured"}:
        disp = [t for t in concrete if t.event_type == D]
        if disp:
            return disp[0]
    return min(concrete, key=lambda t: (t.rank, t.span.start))


@stage("reckon.events.v1", requires=("drafts",), assigns=("draft.event_type",))
def make_events(settings):
    def events(report) -> None:
        for d in report.drafts:
            d.triggers = find_triggers(report.work[d.span.start : d.span.end], d.span.start)

    return events

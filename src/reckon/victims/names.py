"""Arabic personal names in Arabic script and in Latin transliterations, folded to comparable keys.

Pure functions, no dependency on the rest of Reckon::

    >>> name_key("Mohammad Ali Deeb") == name_key("محمد علي ديب") == name_key("Muhammad Ali Deib")
    True
    >>> name_key("Abd al-Rahman") == name_key("Abdulrahman") == name_key("عبد الرحمن")
    True

A *key* is a consonant skeleton: vowels are dropped (Latin transliterations
disagree mostly on vowels), letters Latin writers confuse are put in one class
(q/k/kh, s/sh/ṣ, t/th/ṭ, d/dh/ḍ, h/ḥ, j/g/dj), doubled letters are collapsed,
articles and the connectors bin/ibn are removed, and compounds such as
Abd al-X and Abu X become one part. Arabic script is cleaned first
(diacritics, tatweel, alef and hamza forms, ta marbuta, alef maqsura) and then
written in the same skeleton alphabet, so both scripts meet in one key.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "clean_arabic",
    "arabic_to_latin",
    "fold_latin",
    "fold_token",
    "split_name",
    "name_parts",
    "name_key",
    "sorted_key",
    "place_key",
    "district_key",
    "NameParts",
    "has_arabic",
]

# -- Arabic script cleanup ------------------------------------------------------

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
_ARABIC_FOLD = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ؤ": "و", "ئ": "ي", "ى": "ي", "ی": "ي", "ې": "ي",
    "ة": "ه", "ۀ": "ه", "ھ": "ه",
    "ک": "ك", "ڪ": "ك", "گ": "ك",
    "پ": "ب", "چ": "ج", "ژ": "ز", "ڤ": "ف",
    "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4", "٥": "5", "٦": "6", "٧": "7", "٨": "8", "٩": "9",
    "۰": "0", "۱": "1", "۲": "2", "۳": "3", "۴": "4", "۵": "5", "۶": "6", "۷": "7", "۸": "8", "۹": "9",
    "،": ",", "؛": ";",
})
_ARABIC_LETTER = re.compile("[\u0600-\u06ff]")


def has_arabic(text: str) -> bool:
    """True when ``text`` holds at least one Arabic-script letter."""
    return bool(_ARABIC_LETTER.search(text))


def clean_arabic(text: str) -> str:
    """Arabic script without diacritics or tatweel, one form each for alef, hamza seats,
    ta marbuta (as ha), alef maqsura (as ya), and Western digits. Other text is kept."""
    text = unicodedata.normalize("NFKC", text)
    text = _DIACRITICS.sub("", text).replace(_TATWEEL, "")
    text = text.translate(_ARABIC_FOLD)
    text = text.replace("ء", "")
    return re.sub(r"\s+", " ", text).strip()


# Arabic letter -> skeleton letter. Letters Latin writers leave out or write as a
# vowel (alef, ayn, hamza) map to "", ya and waw to "y"/"w" (dropped inside a word,
# like Latin vowels, and kept at the start).
_AR2LAT = {
    "ا": "", "ب": "b", "ت": "t", "ث": "t", "ج": "j", "ح": "h", "خ": "k", "د": "d", "ذ": "z",
    "ر": "r", "ز": "z", "س": "s", "ش": "s", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "",
    "غ": "g", "ف": "f", "ق": "k", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "و": "w",
    "ي": "y",
}


def arabic_to_latin(text: str) -> str:
    """A Latin spelling of Arabic-script ``text`` in the key alphabet (``محمد علي`` -> ``mhmd ly``).

    Not a reading transliteration: it writes what Latin spellings agree on
    (consonants), so its output folds to the same key as ``Mohammad Ali``.
    """
    out: list[str] = []
    for word in clean_arabic(text).split():
        letters: list[str] = []
        maful = len(word) == 5 and word[0] == "م" and word[3] == "و"
        for i, ch in enumerate(word):
            lat = _AR2LAT.get(ch)
            if lat is None:
                letters.append(ch.lower() if ch.isascii() else "")
                continue
            if lat in ("y", "w") and i > 0 and not (maful and i == 3):
                lat = ""  # a long vowel inside a word, as Latin writes a, e, i, o, u
            letters.append(lat)
        out.append("".join(letters))
    return " ".join(w for w in out if w)


# -- Latin folding --------------------------------------------------------------

_DIGRAPHS = (
    ("dj", "j"), ("kh", "k"), ("gh", "G"), ("sh", "s"), ("ch", "s"), ("th", "t"), ("dh", "z"),
    ("ph", "f"), ("ou", "u"), ("ck", "k"),
)
# a lone c is a French ç that lost its cedilla (Faycal = Fayçal = Faisal); ck and ch are handled above
_LETTER_CLASS = str.maketrans({"q": "k", "c": "s", "g": "j", "G": "g", "v": "f", "p": "b", "x": "k", "e": "a",
                               "i": "a", "o": "a", "u": "a"})
_VOWELS = set("a")
# Abbreviations of Muhammad seen in lists.
_ABBREVIATIONS = {"mhd": "muhammad", "mohd": "muhammad", "muhd": "muhammad", "md": "muhammad", "mohd.": "muhammad",
                  "mhd.": "muhammad", "m.": "muhammad"}
_CONNECTORS = {"bin", "ben", "ibn", "bint", "binti", "bn", "bnt", "ould", "wuld"}
_ARABIC_CONNECTORS = {"بن", "ابن", "بنت"}
_ARTICLE = re.compile(r"^(?:[ae]l|[ae]'l|ul|il|[ae][rsdntz]|[ae](?:sh|th|dh))[-'’‘ʼ`]", re.I)
_ABD = re.compile(r"^(abd|abed|abdu|abdou)(?:[-'’ ]?(?:[aeiou]?l|[aeiou][rsdntz]|[aeiou](?:sh|th|dh))[-'’ ]?|[-'’ ])?(?=\w{3,})", re.I)
_COMPOUND_HEADS = {"abd", "abdul", "abdel", "abdal", "abdol", "abdu", "abed", "abu", "abou", "abo", "abi",
                   "عبد", "ابو", "ابي"}
_ABD_HEAD = re.compile(r"^ab[ae]?d[aeiou]{0,2}(?:l|r|s|sh|d|n|z|t)?$")
_DETACHED_ARTICLES = {"al", "el", "ul", "il", "ar", "ur", "as", "us", "ad", "ud", "an", "un", "az", "at", "ash", "ush",
                      "ath", "adh", "ed", "er", "es", "en", "ez", "et"}
_COMPOUND_TAILS_LATIN = {"allah", "ullah", "ellah", "illah", "allh", "alla", "ulla"}
_TRAILING_VOWEL_H = re.compile(r"(?<=[aeiouy])h$")


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("ç", "s").replace("Ç", "S"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_MAFUL_LATIN = re.compile(r"^ma[^aeiouy]{1,3}(?:ou|oo|u)[^aeiouy]+$")


def fold_latin(word: str) -> str:
    """One Latin-script name part folded to its skeleton key (``Husayn`` -> ``hsn``)."""
    w = _strip_accents(word).lower()
    w = re.sub(r"[^a-z]", "", w)
    if not w:
        return ""
    if _MAFUL_LATIN.match(w):
        # the maf'ul pattern (Mahmoud, Mansour, Masoud): its long u is the one vowel
        # Arabic script writes, and it tells Mahmoud from Muhammad
        w = re.sub(r"(?:ou|oo|u)(?=[^aeiouy]+$)", "W", w)
    w = _TRAILING_VOWEL_H.sub("", w)  # Fatimah / Fatima, Mukhtariyah / Mukhtariya
    for a, b in _DIGRAPHS:
        w = w.replace(a, b)
    first, rest = w[0], w[1:]
    # y and w are consonants at the start of a word and vowels inside it.
    rest = rest.replace("y", "").replace("w", "")
    w = (first + rest).translate(_LETTER_CLASS).replace("W", "w")
    w = "".join(ch for ch in w if ch not in _VOWELS)
    return _squeeze(w)


def _squeeze(w: str) -> str:
    out: list[str] = []
    for ch in w:
        if not out or out[-1] != ch:
            out.append(ch)
    s = "".join(out)
    if len(s) > 1 and s.endswith("h"):
        s = s[:-1]  # ta marbuta written as h; Abdullah / Abdulla
    return s


def fold_token(token: str) -> str:
    """A key for one name part in either script."""
    if has_arabic(token):
        latin = arabic_to_latin(token)
        return _squeeze("".join(ch for ch in latin.replace(" ", "") if ch.isalpha()).translate(
            str.maketrans({"q": "k", "c": "k", "G": "g", "v": "f", "p": "b", "x": "k"})))
    return fold_latin(token)


# -- name parts ------------------------------------------------------------------


@dataclass(frozen=True)
class NameParts:
    """The parts of one name as keys, in the order given (given name first)."""

    keys: tuple[str, ...]

    @property
    def given(self) -> str | None:
        return self.keys[0] if self.keys else None

    @property
    def family(self) -> str | None:
        return self.keys[-1] if len(self.keys) > 1 else None

    @property
    def middle(self) -> tuple[str, ...]:
        return self.keys[1:-1]

    @property
    def father(self) -> str | None:
        return self.keys[1] if len(self.keys) > 2 else None

    def key(self) -> str:
        return " ".join(self.keys)


def _strip_article_arabic(tok: str) -> str:
    if tok.startswith("ال") and len(tok) > 3:
        return tok[2:]
    if tok.startswith("لل") and len(tok) > 3:
        return tok[2:]
    return tok


def _strip_article_latin(tok: str) -> str:
    m = _ARTICLE.match(tok)
    if m and len(tok) - m.end() >= 2:
        return tok[m.end():]
    low = tok.lower()
    # an article written solid: Alhasan, Elkhatib (but not Ali, Alaa, Elias)
    if re.match(r"^[ae]l(?=[bcdfghjklmnpqrstvwxz]{1,2}[aeiouy])", low) and len(low) >= 6 and low[:4] not in ("alla", "elia", "alia"):
        return tok[2:]
    return tok


def split_name(full: str) -> list[str]:
    """Name parts as written, in given-name-first order, with compounds joined.

    ``"Deeb, Mohammad Ali"`` -> ``["Mohammad", "Ali", "Deeb"]``;
    ``"Abd al-Rahman bin Khalid"`` -> ``["Abd-Rahman", "Khalid"]``.
    """
    text = clean_arabic(full) if has_arabic(full) else unicodedata.normalize("NFKC", full)
    if not _NOT_SIMPLE.search(text):
        # the common case: plain words, none of them an article, connector or compound head
        words = text.split()
        if not any(w.lower() in _SPECIAL_WORDS or w[:2].lower() == "ab" for w in words):
            return words
    text = re.sub(r"\([^)]*\)", " ", text)  # nicknames and notes in brackets
    if text.count(",") == 1:
        family, given = (p.strip() for p in text.split(","))
        if family and given:
            text = f"{given} {family}"
    text = text.replace(",", " ")
    raw = [t for t in re.split(r"[\s_/|.]+", text) if t]
    # split hyphen-joined parts that are not an article (Abdul-Karim stays as one compound later)
    tokens: list[str] = []
    for t in raw:
        if has_arabic(t):
            tokens.append(t)
            continue
        t = t.strip("-'’‘`")
        if not t:
            continue
        if _ARTICLE.match(t):
            tokens.append(t)
            continue
        tokens.extend(p for p in t.split("-") if p)
    tokens = [_ABBREVIATIONS.get(t.lower(), t) for t in tokens]
    tokens = [t for t in tokens if t.lower() not in _CONNECTORS and t not in _ARABIC_CONNECTORS]
    out: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        low = tok.lower()
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if (low in _COMPOUND_HEADS or _ABD_HEAD.match(low)) and nxt is not None:
            # Abd al-Rahman, Abu Bakr, Abdul Karim: one part
            if (nxt.lower() in _DETACHED_ARTICLES or nxt == "ال") and i + 2 < len(tokens):
                nxt = tokens[i + 2]
                i += 1
            head = "عبد" if low == "عبد" else ("ابو" if has_arabic(tok) else ("abu" if low.startswith("ab") and not low.startswith("abd") and not low.startswith("abe") else "abd"))
            out.append(f"{head}-{nxt}")
            i += 2
            continue
        if low in ("al", "el", "ال") and nxt is not None:
            i += 1  # a detached article: "al Hasan"
            continue
        if nxt is not None and nxt.lower() in _COMPOUND_TAILS_LATIN and i + 1 < len(tokens):
            out.append(f"{tok}-{nxt}")  # Abd Allah written apart without abd (Saif Allah)
            i += 2
            continue
        out.append(tok)
        i += 1
    return out


_NOT_SIMPLE = re.compile(r"[,()\-'’‘`._/|ʼ]")
_SPECIAL_WORDS = (_CONNECTORS | _ARABIC_CONNECTORS | _COMPOUND_HEADS | set(_ABBREVIATIONS) | _COMPOUND_TAILS_LATIN
                  | _DETACHED_ARTICLES | {"ال"})


@lru_cache(maxsize=100_000)
def _part_key(part: str) -> str:
    if has_arabic(part):
        pieces = [p for p in part.split("-") if p]
        if len(pieces) == 2 and pieces[0] in ("عبد", "ابو", "ابي"):
            return ("bd" if pieces[0] == "عبد" else "b") + fold_token(_strip_article_arabic(pieces[1]))
        if part.startswith("عبد") and len(part) > 4:
            # written solid: عبدالله, عبدالرحمن
            return "bd" + fold_token(_strip_article_arabic(part[3:]))
        if part.startswith("ابو") and len(part) > 4:
            return "b" + fold_token(_strip_article_arabic(part[3:]))
        return fold_token(_strip_article_arabic(part))
    part = _strip_article_latin(part)
    if "-" in part:
        head, _, tail = part.partition("-")
        tail_key = fold_latin(_strip_article_latin(tail))
        if head.lower() == "abu":
            return "b" + tail_key
        if head.lower() == "abd":
            return "bd" + tail_key
        return fold_latin(head) + tail_key
    m = _ABD.match(part)
    if m:
        return "bd" + fold_latin(_strip_article_latin(part[m.end():]))
    low = part.lower()
    if re.match(r"^ab[ou]{1,2}(?=[bcdfghjklmnpqrstvwxz])", low) and len(low) >= 6 and low not in ("abood", "abboud"):
        rest = re.sub(r"^ab[ou]{1,2}", "", part, flags=re.I)
        return "b" + fold_latin(_strip_article_latin(rest))
    return fold_latin(part)


def name_parts(full: str | None) -> NameParts:
    """The keys of a name's parts, given name first (empty for an empty name)."""
    if not full or not full.strip():
        return NameParts(())
    keys = tuple(k for k in (_part_key(p) for p in split_name(full)) if k)
    return NameParts(keys)


def name_key(full: str | None) -> str:
    """One key for a full name in either script (parts in the order written, space-joined)."""
    return name_parts(full).key()


def sorted_key(full: str | None) -> str:
    """The name key with its parts sorted, for lists that put the family name first."""
    return " ".join(sorted(name_parts(full).keys))


def _detached_article(word: str, nxt: str | None) -> bool:
    """``al``/``ال`` standing alone, or an assimilated article written apart whose consonant the next
    word repeats (As Suwayda, Ad Dimas, Tell et Totoun, Nahal ej Jourd)."""
    low = _strip_accents(word).lower()
    if low in ("al", "el", "ال"):
        return True
    if nxt is None or len(low) < 2 or low[0] not in "ae" or not low.isascii():
        return False
    cons = low[1:]
    return low in _DETACHED_ARTICLES | {"ej", "ech", "esh", "eth"} and _strip_accents(nxt).lower().startswith(cons)


def place_key(place: str | None) -> str:
    """A key for a place name in either script (``Al-Mukhtariya`` == ``Mukhtariyah`` == ``المختارية``)."""
    if not place or not place.strip():
        return ""
    text = clean_arabic(place) if has_arabic(place) else place
    text = re.split(r"[,،(]", text)[0]
    words = [p for p in re.split(r"\s+", text.strip()) if p]
    parts = [p for i, p in enumerate(words) if not _detached_article(p, words[i + 1] if i + 1 < len(words) else None)]
    keys = []
    for p in parts:
        keys.append(fold_token(_strip_article_arabic(p)) if has_arabic(p) else fold_latin(_strip_article_latin(p)))
    return "".join(k for k in keys if k)


# Words naming the kind of administrative unit rather than the unit: lists write
# "منطقة منبج" or "Manbij District" where others write "Menbij".
_ADMIN_WORDS = {
    "منطقه", "ناحيه", "محافظه", "مركز", "قضاء", "قضا", "مديريه", "لواء", "لوا",
    "district", "subdistrict", "sub-district", "governorate", "province", "county", "region", "of",
    "mantiqa", "mantiqah", "mantiqat", "mantika", "nahiya", "nahiyah", "nahiyat", "nahia", "muhafaza",
    "muhafazah", "muhafazat", "mohafaza", "mohafazat", "markaz", "qada", "qadaa", "caza", "kaza", "mudiriyah",
}


# Latin names of Syrian areas that are not a spelling of the Arabic name (exonyms), as the
# Arabic name would be spelled: English and French lists write "Damascus" or "Damas" where Arabic
# ones write دمشق (Dimashq). A spelling of the Arabic name needs no entry (Homs, Hama, Idlib).
_AREA_EXONYMS = {
    "damascus": "dimashq", "damas": "dimashq", "aleppo": "halab", "alep": "halab",
    "latakia": "ladhiqiyah", "lattakia": "ladhiqiyah", "latakieh": "ladhiqiyah", "lattaquie": "ladhiqiyah",
    "palmyra": "tadmur", "palmyre": "tadmur",
}
# "Rural Damascus", "Damascus Countryside" and "Rif Dimashq" (ريف دمشق) are one governorate.
_RURAL_BEFORE = {"rural", "reef", "rif"}
_RURAL_AFTER = {"countryside", "suburbs", "rural"}


def district_key(district: str | None) -> str:
    """A key for an administrative area in either script, without the word for the kind of
    unit (``منطقة منبج`` == ``Menbij`` == ``Manbij District``), Latin exonyms read as the
    Arabic name (``Damascus`` == ``دمشق``, ``Rural Damascus`` == ``Damascus Countryside`` ==
    ``ريف دمشق``)."""
    if not district or not district.strip():
        return ""
    text = clean_arabic(district) if has_arabic(district) else district
    text = re.split(r"[,،(]", text)[0]
    words = [w for w in re.split(r"\s+", text.strip()) if w]
    kept = [w for w in words if w.lower().strip(".") not in _ADMIN_WORDS] or words
    if not has_arabic(text):
        folded = [_strip_accents(w).lower().strip(".") for w in kept]
        rural = len(kept) > 1 and (folded[0] in _RURAL_BEFORE or folded[-1] in _RURAL_AFTER)
        if rural:
            kept = kept[1:] if folded[0] in _RURAL_BEFORE else kept[:-1]
        kept = [_AREA_EXONYMS.get(_strip_accents(w).lower().strip("."), w) for w in kept]
        if rural:
            kept = ["rif"] + kept
    return place_key(" ".join(kept))

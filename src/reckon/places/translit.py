"""Transliteration folding: keys under which spellings of one place name meet.

English reports spell Arabic place names in many ways ("Al-Mukhtariya",
"Al Mukhtareyah", "al-Muktariyya"; "Khmeimim" and "Hmeimim"). Two keys bring
such spellings together, and a similarity on the first ranks what they find:

- :func:`fold` — a normalised spelling: marks and apostrophes gone, articles
  (al-, el-, ash-, ...) dropped, digraphs and vowels normalised, doubled letters
  single. Spellings that differ only in these ways fold to the same string.
- :func:`skeleton` — the consonants of the fold: vowel differences vanish.
  Coarse on purpose; used to find candidates, never to accept one alone.
- :func:`fold_arabic` — Arabic-script names with diacritics, letter variants
  and the article removed.

:func:`keys` gives every key of a name. All functions are pure.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from unidecode import unidecode

__all__ = ["fold", "skeleton", "fold_arabic", "keys", "is_arabic", "similarity", "ascii_fold"]

_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_ARABIC_MARKS = re.compile(r"[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]")
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي", "ء": "",
                                 "ک": "ك", "ی": "ي", "ہ": "ه", "ۃ": "ه", "گ": "ك"})
#: ayn, hamza and apostrophe-like marks that transliterations scatter through names
_MARKS = re.compile(r"[\u02b9-\u02bf\u02c8\u2018\u2019\u201b\u00b4\u0060'\u02bc\u02bb\u055a]")
_ARTICLES = ("al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ath", "adh", "ed", "er", "es", "et", "ez", "en", "ul", "il")
_ARTICLE_RE = re.compile(r"\b(?:" + "|".join(sorted(_ARTICLES, key=len, reverse=True)) + r")[\s-]+(?=\w)")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_VOWELS = "aeiou"


def is_arabic(text: str) -> bool:
    """Whether the text holds Arabic-script letters."""
    return bool(_ARABIC.search(text))


def ascii_fold(text: str) -> str:
    """Lower-case ASCII of a name: marks stripped, apostrophes and ayn marks removed."""
    if not text.isascii():
        text = unidecode(_MARKS.sub("", unicodedata.normalize("NFC", text)))
    return text.replace("'", "").replace("`", "").lower()


def _words(s: str) -> list[str]:
    """Words of an ASCII-folded name with articles dropped."""
    s = s.replace("-", " ")
    s = _ARTICLE_RE.sub("", s + " ") if " " in s.strip() else s
    return [w for w in _NON_WORD.split(s) if w]


_DOUBLE = re.compile(r"(.)\1+")
_KU = re.compile(r"ku(?=[aeio])")
_DIPHTHONG = re.compile(r"[ae]y|ei|ai")
_AY = re.compile(r"ay(?=[^aeiuy]|$)")
_AW = re.compile(r"aw(?=[^aeiuw]|$)")
_END_H = re.compile(r"(?<=[aeiu])h$")
_IYA = re.compile(r"iy+a$")


def _single(m: re.Match[str]) -> str:
    return m.group(1)  # a function, not the template r"\1": the template is expanded in Python at every match


@lru_cache(maxsize=300_000)
def _fold_word(w: str) -> str:
    if w.isdigit():
        return w
    w = _DOUBLE.sub(_single, w)  # doubled letters
    w = w.replace("ph", "f").replace("th", "t").replace("dh", "d").replace("zh", "z").replace("ch", "sh")
    w = w.replace("gh", "g").replace("q", "k").replace("g", "k").replace("c", "k").replace("x", "ks")
    if "ku" in w:
        w = _KU.sub("kw", w)  # "Quayqah" ~ "Quwayqah"
    w = w.replace("ou", "u").replace("oo", "u").replace("ee", "i").replace("o", "u")
    # each pattern below only where its letters are (a plain test costs a tenth of a regex search)
    if "y" in w or "ei" in w or "ai" in w:
        w = _DIPHTHONG.sub("ay", w)
        if "ay" in w:
            w = _AY.sub("i", w)  # "Qurfays" ~ "Qurfis", "Bayt" ~ "Beit"
    if "aw" in w:
        w = _AW.sub("u", w)  # "Sanawbar" ~ "Snobar", "Zawr" ~ "Zor"
    if w.endswith("h"):
        w = _END_H.sub("", w)  # -ah, -eh, -iyah
    if w.endswith("e"):
        w = w[:-1] + "a"
    if w.endswith("a") and "iy" in w:
        w = _IYA.sub("iya", w)
    w = w.replace("ie", "i")
    return _DOUBLE.sub(_single, w)


def fold(text: str) -> str:
    """A normalised spelling of a Latin-script name ("Al-Mukhtariya" -> "mukhtariya")."""
    return _fold_ascii(ascii_fold(text))


@lru_cache(maxsize=300_000)
def _fold_ascii(s: str) -> str:
    if s.isalpha():  # one word of letters, most names: nothing to split or drop
        return _fold_word(s)
    return " ".join(_fold_word(w) for w in _words(s))


_NO_VOWELS = str.maketrans("", "", "aeiu ")


def _skel(folded: str, kh: str) -> str:
    return folded.replace("kh", kh).replace("sh", "$").translate(_NO_VOWELS)


def skeleton(text: str) -> tuple[str, ...]:
    """Consonant keys of a name; two when "kh" could be written "h" or "k"."""
    f = fold(text)
    if not f:
        return ()
    a = _skel(f, "h")
    b = _skel(f, "k")
    return (a,) if a == b else (a, b)


def fold_arabic(text: str) -> str:
    """An Arabic-script name without diacritics, letter variants or the article."""
    s = unicodedata.normalize("NFKC", text)
    s = _ARABIC_MARKS.sub("", s).translate(_ARABIC_LETTERS)
    words = re.findall(r"[\u0600-\u06FF\u0750-\u077F]+", s)
    out = []
    for w in words:
        if w.startswith("ال") and len(w) > 3:
            w = w[2:]
        out.append(w)
    return " ".join(out)


def keys(name: str) -> frozenset[str]:
    """Every index key of a name: its fold (prefixed ``f:``), skeletons (``s:``) or Arabic fold (``a:``)."""
    if not name or not name.strip():
        return frozenset()
    if is_arabic(name):
        a = fold_arabic(name)
        return frozenset(("a:" + a,)) if a else frozenset()
    return _fold_keys(fold(name))


@lru_cache(maxsize=200_000)
def _fold_keys(f: str) -> frozenset[str]:
    if not f:
        return frozenset()
    out = {"f:" + f}
    for kh in ("h", "k"):
        s = _skel(f, kh)
        if len(s) >= 3:
            out.add("s:" + s)
    return frozenset(out)


def similarity(a: str, b: str) -> float:
    """How alike two names are after folding, 0..1 (1 when they fold the same)."""
    fa = fold_arabic(a) if is_arabic(a) else fold(a)
    fb = fold_arabic(b) if is_arabic(b) else fold(b)
    if not fa or not fb:
        return 0.0
    if fa == fb:
        return 1.0
    from rapidfuzz.fuzz import ratio

    return ratio(fa, fb) / 100.0

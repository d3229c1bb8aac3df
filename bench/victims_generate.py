"""Synthetic multi-source victim lists with known truth.

Persons with Arabic names (given, father's, grandfather's, family name), sex, age,
date and place of death are documented by several sources, each with its own
habits: Arabic or Latin script, one of several transliteration habits, family
name first or last, the father's name or not, missing fields, typos, age and
date noise, and duplicates inside the list. Namesakes (same given, father's and
family name) are planted on purpose; place and age tell them apart.

    python bench/victims_generate.py --persons 2000 --out /tmp/lists   # one CSV per source + truth.csv

or from Python: ``generate(persons=2000, seed=1) -> pandas.DataFrame`` with a
``person`` column holding the truth.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from reckon.victims.names import _strip_article_arabic, _strip_article_latin, clean_arabic, fold_latin, fold_token, has_arabic


def place_key(place: str) -> str:
    """The place key the lists are drawn with: Reckon's place key as it was when the benchmark was
    made, kept here so that improving Reckon's own keys does not change the benchmark data."""
    text = clean_arabic(place) if has_arabic(place) else place
    text = re.split(r"[,،(]", text)[0]
    parts = [p for p in re.split(r"\s+", text.strip()) if p and p.lower() not in ("al", "el", "ال")]
    keys = (fold_token(_strip_article_arabic(p)) if has_arabic(p) else fold_latin(_strip_article_latin(p)) for p in parts)
    return "".join(k for k in keys if k)


def one_name(arabic: str, latin: list[str]) -> bool:
    """Whether an Arabic name and its Latin spellings are one name: the Arabic one's key is
    among the Latin ones' (the keys as in :func:`place_key`). A list writes one family or
    place in both scripts; a pairing that fails this (an exonym, another place's name)
    would make the truth rest on a pairing no real list makes."""
    return place_key(arabic) in {place_key(x) for x in latin}

# Arabic spelling, then Latin spellings in use (first: a common English habit,
# second: a French habit, third: a scholarly or phonetic habit, more: others).
MALE = [
    ("محمد", ["Mohammad", "Mohamed", "Muhammad", "Mhd", "Mohammed", "Muhammed"]),
    ("أحمد", ["Ahmad", "Ahmed", "Ahmad", "Ahmet"]),
    ("علي", ["Ali", "Ali", "Aly"]),
    ("حسين", ["Hussein", "Hussein", "Husayn", "Hussain", "Husein"]),
    ("حسن", ["Hassan", "Hassan", "Hasan"]),
    ("خالد", ["Khaled", "Khaled", "Khalid"]),
    ("عمر", ["Omar", "Omar", "Umar"]),
    ("يوسف", ["Youssef", "Youssef", "Yusuf", "Yousef", "Yousif"]),
    ("إبراهيم", ["Ibrahim", "Ibrahim", "Ibraheem", "Ebrahim"]),
    ("عبد الرحمن", ["Abdul Rahman", "Abdel Rahman", "Abd al-Rahman", "Abdulrahman"]),
    ("عبد الله", ["Abdullah", "Abdallah", "Abd Allah", "Abdulla"]),
    ("عبد الكريم", ["Abdul Karim", "Abdel Karim", "Abd al-Karim", "Abdulkarim"]),
    ("محمود", ["Mahmoud", "Mahmoud", "Mahmud", "Mahmood"]),
    ("مصطفى", ["Mustafa", "Moustafa", "Mustafa", "Mostafa"]),
    ("سعيد", ["Said", "Said", "Saeed", "Sa'id"]),
    ("سامر", ["Samer", "Samer", "Samir"]),
    ("ياسر", ["Yasser", "Yasser", "Yasir", "Yaser"]),
    ("فادي", ["Fadi", "Fadi", "Fady"]),
    ("رامي", ["Rami", "Rami", "Ramy"]),
    ("بلال", ["Bilal", "Bilal", "Belal"]),
    ("جمال", ["Jamal", "Djamal", "Jamal", "Gamal"]),
    ("وليد", ["Walid", "Walid", "Waleed"]),
    ("طارق", ["Tareq", "Tarek", "Tariq"]),
    ("زياد", ["Ziad", "Ziad", "Ziyad"]),
    ("عماد", ["Imad", "Imad", "Emad"]),
    ("أيمن", ["Ayman", "Aymen", "Ayman"]),
    ("هشام", ["Hisham", "Hicham", "Hisham", "Hesham"]),
    ("قاسم", ["Qassem", "Kassem", "Qasim"]),
    ("مروان", ["Marwan", "Marwane", "Marwan"]),
    ("نبيل", ["Nabil", "Nabil", "Nabeel"]),
    ("سليمان", ["Suleiman", "Soulaiman", "Sulayman", "Sleiman"]),
    ("عثمان", ["Othman", "Osman", "Uthman"]),
    ("جهاد", ["Jihad", "Jihad", "Jehad"]),
    ("رائد", ["Raed", "Raed", "Ra'id"]),
    ("منصور", ["Mansour", "Mansour", "Mansur"]),
    ("غسان", ["Ghassan", "Ghassane", "Ghassan"]),
    ("شادي", ["Shadi", "Chadi", "Shadi"]),
    ("ماهر", ["Maher", "Maher", "Mahir"]),
    ("باسل", ["Basel", "Bassel", "Basil"]),
    ("حمزة", ["Hamza", "Hamza", "Hamzah"]),
    ("أنس", ["Anas", "Anas", "Anass"]),
    ("معاذ", ["Moaz", "Mouaz", "Mu'adh"]),
    ("عدنان", ["Adnan", "Adnane", "Adnan"]),
    ("فيصل", ["Faisal", "Faycal", "Faysal"]),
    ("نزار", ["Nizar", "Nizar", "Nezar"]),
    ("وائل", ["Wael", "Wael", "Wa'il"]),
    ("كريم", ["Karim", "Karim", "Kareem"]),
    ("صالح", ["Saleh", "Saleh", "Salih"]),
    ("عادل", ["Adel", "Adel", "Adil"]),
    ("فراس", ["Firas", "Firas", "Feras"]),
]
FEMALE = [
    ("فاطمة", ["Fatima", "Fatma", "Fatimah", "Fatmeh"]),
    ("مريم", ["Mariam", "Meriem", "Maryam"]),
    ("زينب", ["Zainab", "Zeinab", "Zaynab"]),
    ("عائشة", ["Aisha", "Aicha", "A'isha", "Aysha"]),
    ("خديجة", ["Khadija", "Khadija", "Khadijah"]),
    ("نور", ["Nour", "Nour", "Nur", "Noor"]),
    ("هدى", ["Huda", "Houda", "Huda", "Hoda"]),
    ("سارة", ["Sara", "Sarah", "Sara"]),
    ("رنا", ["Rana", "Rana", "Rana"]),
    ("آمنة", ["Amina", "Amna", "Aminah"]),
    ("ليلى", ["Layla", "Leila", "Layla", "Laila"]),
    ("سلمى", ["Salma", "Salma", "Salmah"]),
    ("رغد", ["Raghad", "Raghad", "Raghd"]),
    ("هبة", ["Heba", "Hiba", "Hibah"]),
    ("دعاء", ["Doaa", "Douaa", "Du'a"]),
    ("إيمان", ["Iman", "Imane", "Eman"]),
    ("رهف", ["Rahaf", "Rahaf", "Rahf"]),
    ("ياسمين", ["Yasmin", "Yasmine", "Yasmeen"]),
    ("سعاد", ["Souad", "Souad", "Su'ad"]),
    ("وفاء", ["Wafaa", "Wafa", "Wafa'"]),
]
FAMILY = [
    ("ديب", ["Deeb", "Dib", "Deib"]), ("الأحمد", ["Al-Ahmad", "El Ahmed", "al-Ahmad", "Alahmad"]),
    ("الحسن", ["Al-Hassan", "El Hassan", "al-Hasan"]), ("الخطيب", ["Al-Khatib", "El Khatib", "al-Khateeb", "Alkhatib"]),
    ("المصري", ["Al-Masri", "El Masri", "al-Misri"]), ("الحلبي", ["Al-Halabi", "El Halabi", "al-Halabi"]),
    ("السيد", ["Al-Sayed", "El Sayed", "al-Sayyid"]), ("حداد", ["Haddad", "Haddad", "Hadad"]),
    ("نجار", ["Najjar", "Najjar", "Najar"]), ("عيسى", ["Issa", "Issa", "Eissa", "'Isa"]),
    ("خليل", ["Khalil", "Khalil", "Khaleel"]), ("الشامي", ["Al-Shami", "Chami", "al-Shami"]),
    ("العلي", ["Al-Ali", "El Ali", "al-Ali"]), ("حمدان", ["Hamdan", "Hamdane", "Hamdan"]),
    ("الزعبي", ["Al-Zoubi", "Zoubi", "al-Zu'bi"]), ("العمر", ["Al-Omar", "El Omar", "al-Umar"]),
    ("قاسم", ["Qassem", "Kassem", "Qasim"]), ("الرفاعي", ["Al-Rifai", "Rifai", "al-Rifa'i"]),
    ("الحمصي", ["Al-Homsi", "Homsi", "al-Himsi"]), ("الدمشقي", ["Al-Dimashqi", "Dimachki", "al-Dimashqi"]),
    ("عبود", ["Abboud", "Abboud", "Abbud"]), ("سليمان", ["Suleiman", "Sleiman", "Sulayman"]),
    ("النعيمي", ["Al-Nuaimi", "Nouaimi", "al-Nu'aymi"]), ("الحريري", ["Al-Hariri", "Hariri", "al-Hariri"]),
    ("شحادة", ["Shehadeh", "Chehade", "Shihada"]), ("عثمان", ["Othman", "Osman", "Uthman"]),
    ("الحموي", ["Al-Hamwi", "Hamwi", "al-Hamawi"]), ("درويش", ["Darwish", "Darwiche", "Darwish"]),
    ("الجاسم", ["Al-Jasem", "Jassem", "al-Jasim"]), ("الخالد", ["Al-Khaled", "Khaled", "al-Khalid"]),
    ("بكور", ["Bakour", "Bakkour", "Bakur"]), ("عرعور", ["Arour", "Arrour", "Ar'ur"]),
    ("الحسين", ["Al-Hussein", "El Hussein", "al-Husayn"]), ("المحمد", ["Al-Mohammad", "El Mohamed", "al-Muhammad"]),
    ("الصالح", ["Al-Saleh", "Saleh", "al-Salih"]), ("العبدالله", ["Al-Abdullah", "Abdallah", "al-Abd Allah"]),
    ("الطويل", ["Al-Taweel", "Tawil", "al-Tawil"]), ("الأسعد", ["Al-Asaad", "Assaad", "al-As'ad"]),
    ("منصور", ["Mansour", "Mansour", "Mansur"]), ("يونس", ["Younes", "Younes", "Yunus", "Younis"]),
    ("الكردي", ["Al-Kurdi", "Kurdi", "al-Kurdi"]), ("الشيخ", ["Al-Sheikh", "Cheikh", "al-Shaykh"]),
    ("الحاج", ["Al-Hajj", "El Hajj", "al-Haj"]), ("رحال", ["Rahhal", "Rahal", "Rahhal"]),
    ("الفارس", ["Al-Fares", "Fares", "al-Faris"]), ("عساف", ["Assaf", "Assaf", "'Assaf"]),
    ("الخضر", ["Al-Khodr", "Khodr", "al-Khidr"]), ("الدرويش", ["Al-Darwish", "Darwiche", "al-Darwish"]),
    ("بدر", ["Badr", "Badr", "Bader"]), ("الموسى", ["Al-Mousa", "Moussa", "al-Musa"]),
    ("العثمان", ["Al-Othman", "Osmane", "al-Uthman"]), ("الحسيني", ["Al-Husseini", "Husseini", "al-Husayni"]),
    ("الجبوري", ["Al-Jubouri", "Jbouri", "al-Juburi"]), ("طه", ["Taha", "Taha", "Taha"]),
    ("سلامة", ["Salameh", "Salame", "Salama"]), ("الناصر", ["Al-Nasser", "Nasser", "al-Nasir"]),
    ("زيدان", ["Zeidan", "Zidane", "Zaydan"]), ("مراد", ["Murad", "Mourad", "Murad"]),
    ("البيطار", ["Al-Bitar", "Bitar", "al-Baytar"]), ("القدور", ["Al-Qaddour", "Kaddour", "al-Qaddur"]),
]
# Fallback places (Arabic, Latin spellings) when the gazetteer file is not at hand.
PLACES = [
    ("المختارية", ["Al-Mukhtariya", "Mukhtariyah", "al-Mukhtariyya"]), ("الحولة", ["Al-Houla", "Houla", "al-Hula"]),
    ("داريا", ["Daraya", "Darayya", "Dariya"]), ("دوما", ["Douma", "Duma", "Douma"]),
    ("تلبيسة", ["Talbiseh", "Talbisa", "Talbiseh"]), ("الرستن", ["Al-Rastan", "Rastan", "ar-Rastan"]),
    ("سراقب", ["Saraqib", "Saraqeb", "Saraqib"]), ("معرة النعمان", ["Maarat al-Numan", "Maaret Nouman", "Ma'arrat al-Nu'man"]),
    ("كفرنبل", ["Kafranbel", "Kafr Nabl", "Kafranbil"]), ("جسر الشغور", ["Jisr al-Shughur", "Jisr ash-Shughour", "Jisr al-Shughour"]),
    ("القصير", ["Al-Qusayr", "Qusair", "al-Qusayr"]), ("الزبداني", ["Zabadani", "Al-Zabadani", "az-Zabadani"]),
    ("بانياس", ["Baniyas", "Banias", "Baniyas"]), ("تلكلخ", ["Tal Kalakh", "Tell Kalakh", "Talkalakh"]),
    ("عربين", ["Arbin", "Irbin", "'Arbin"]), ("حرستا", ["Harasta", "Harasta", "Harista"]),
]
GAZETTEER = Path("/work/shared/data/gazetteer/sy_lb_places.tsv")


def load_places(limit: int | None = None, seed: int = 7) -> list[tuple[str, list[str], tuple[str, str]]]:
    """(Arabic name, Latin spellings, (district in Arabic, in Latin)) of Syrian villages;
    the built-in list without the gazetteer."""
    if not GAZETTEER.exists():
        return [(ar, lat, (f"منطقة {i % 5}", f"District {i % 5}")) for i, (ar, lat) in enumerate(PLACES)]
    df = pd.read_csv(GAZETTEER, sep="\t", dtype=str, keep_default_na=False, quoting=csv.QUOTE_NONE)
    df = df[(df.country_code == "SY") & (df.feature_class == "P") & (df.name_ar != "")]
    out: list[tuple[str, list[str], tuple[str, str]]] = []
    seen: set[str] = set()
    for row in df.itertuples():
        alts = [a for a in row.alternatenames.split(",") if a and a.isascii() and a[0].isalpha()]
        latin = list(dict.fromkeys([row.name, row.asciiname] + alts))[:4]
        if row.name_ar in seen or len(latin) < 2:
            continue
        # keep places whose Arabic and Latin names are one name (the gazetteer sometimes pairs
        # a Latin name with a different Arabic one); the truth must not rest on a wrong pairing
        if not one_name(row.name_ar, latin):
            continue
        seen.add(row.name_ar)
        out.append((row.name_ar, latin, (row.wof_county_name_ar or row.wof_county_name, row.wof_county_name or row.admin1_name)))
    random.Random(seed).shuffle(out)
    return out[:limit] if limit else out


@dataclass(frozen=True)
class SourceHabit:
    """How one source writes its list."""

    name: str
    coverage: float          # share of persons it documents
    arabic: float            # share of its records written in Arabic script
    spelling: int            # its preferred Latin spelling (index into the variants)
    family_first: bool       # writes "Family, Given Father"
    with_father: float       # share of records with the father's name
    missing_age: float
    missing_date: float
    missing_place: float
    typo: float              # share of records with a typo in the name
    age_noise: float         # share with age off by 1-2 years
    date_noise: float        # share with date off by 1-3 days
    duplicates: float        # share of its records entered twice


DEFAULT_SOURCES = (
    SourceHabit("monitor", 0.75, 0.0, 0, False, 0.7, 0.1, 0.05, 0.02, 0.03, 0.15, 0.1, 0.02),
    SourceHabit("council", 0.55, 1.0, 0, False, 0.9, 0.2, 0.1, 0.05, 0.03, 0.1, 0.15, 0.03),
    SourceHabit("network", 0.6, 0.3, 1, True, 0.5, 0.3, 0.1, 0.1, 0.05, 0.2, 0.2, 0.02),
    SourceHabit("families", 0.35, 0.6, 2, False, 0.4, 0.4, 0.3, 0.2, 0.08, 0.3, 0.3, 0.05),
)

_KEYBOARD = "abdefhiklmnorstuy"
_AR_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def _typo(rng: random.Random, s: str) -> str:
    if len(s) < 4:
        return s
    i = rng.randrange(1, len(s) - 1)
    op = rng.random()
    alphabet = _AR_LETTERS if any("\u0600" <= c <= "\u06ff" for c in s) else _KEYBOARD
    if op < 0.35:
        return s[:i] + s[i + 1:]
    if op < 0.7:
        return s[:i] + rng.choice(alphabet) + s[i + 1:]
    if op < 0.85:
        return s[:i] + s[i] + s[i:]
    return s[:i - 1] + s[i] + s[i - 1] + s[i + 1:]


def _spell(rng: random.Random, variants: list[str], habit: int) -> str:
    if rng.random() < 0.7:
        return variants[min(habit, len(variants) - 1)]
    return rng.choice(variants)


def nisbas(places: list[tuple[str, list[str], tuple[str, str]]]) -> list[tuple[str, list[str]]]:
    """Family names made from place names, as many are (al-Halabi from Halab): (Arabic, Latin spellings).

    Only nisbas whose Arabic and Latin forms are one name (:func:`one_name`): the place's
    first Latin name can be an exonym (Palmyra for تدمر) or, rarely, another place's name,
    and its nisba would pair two family names."""
    out = []
    for ar, latin, _ in places:
        base = ar.split()[0]
        base = base[2:] if base.startswith("ال") and len(base) > 4 else base
        base = base[:-1] if base[-1] in "ةهاىي" else base
        if not all("\u0600" <= ch <= "\u06ff" for ch in base):
            continue
        words = [w for w in latin[0].replace("-", " ").split() if w.lower() not in ("al", "el", "as", "ar", "ad", "at", "an", "az")]
        if not words or len(base) < 3:
            continue
        lat = words[0].rstrip("aehiy") or words[0]
        arabic, spellings = f"ال{base}ي", [f"Al-{lat}i", f"El {lat}i", f"al-{lat}i", f"{lat}i"]
        if one_name(arabic, spellings):
            out.append((arabic, spellings))
    return out


# -- further family names, built from roots and patterns ---------------------------------------
# Used only when FAMILY and the nisbas run out (runs of about 94,000 persons and more).
#
# Latin letters of each Arabic consonant by habit: English, French (ch, dj, ou, k for qaf),
# scholarly (' for ayn, doubled letters written), and a phonetic habit (s for tha, z for dhal,
# g for jim, doubled letters not written, long vowels doubled).
_HABIT_LETTERS = {
    "ب": ("b", "b", "b", "b"), "ت": ("t", "t", "t", "t"), "ث": ("th", "t", "th", "s"),
    "ج": ("j", "dj", "j", "g"), "ح": ("h", "h", "h", "h"), "خ": ("kh", "kh", "kh", "kh"),
    "د": ("d", "d", "d", "d"), "ذ": ("dh", "d", "dh", "z"), "ر": ("r", "r", "r", "r"),
    "ز": ("z", "z", "z", "z"), "س": ("s", "s", "s", "s"), "ش": ("sh", "ch", "sh", "sh"),
    "ص": ("s", "s", "s", "s"), "ض": ("d", "d", "d", "dh"), "ط": ("t", "t", "t", "t"),
    "ظ": ("z", "z", "z", "dh"), "ع": ("", "", "'", ""), "غ": ("gh", "gh", "gh", "gh"),
    "ف": ("f", "f", "f", "f"), "ق": ("q", "k", "q", "k"), "ك": ("k", "k", "k", "k"),
    "ل": ("l", "l", "l", "l"), "م": ("m", "m", "m", "m"), "ن": ("n", "n", "n", "n"),
    "ه": ("h", "h", "h", "h"), "و": ("w", "ou", "w", "w"), "ي": ("y", "y", "y", "y"),
}
# Vowels in the patterns: a i u short, A I U long, E a final ta marbuta.
_HABIT_VOWELS = {
    "a": ("a", "a", "a", "a"), "i": ("i", "e", "i", "e"), "u": ("u", "ou", "u", "o"),
    "A": ("a", "a", "a", "aa"), "I": ("i", "i", "i", "ee"), "U": ("ou", "ou", "u", "oo"),
    "E": ("eh", "e", "a", "ah"),
}
_HABIT_ARTICLE = ("Al-", "El ", "al-", "")
_HABIT_ABU = ("Abu ", "Abou ", "Abu ", "Abo ")
# Surname patterns: (vocalised template, Arabic template, form). 1 2 3 are the root's letters,
# = doubles the letter before it; form "" is the bare name, "al" takes the article, "abu" follows Abu.
_PATTERNS = (
    ("1a2=A3", "12ا3", ""),        # fa''al: Haddad, Najjar
    ("1a23An", "123ان", ""),       # fa'lan: Hamdan, Zeidan
    ("1a2I3", "12ي3", ""),         # fa'il: Khalil
    ("1a2=A3I", "12ا3ي", "al"),    # nisba of fa''al: al-Haddadi
    ("1a23AnI", "123اني", "al"),   # nisba of fa'lan: al-Hamdani
    ("1a2I3", "12ي3", "abu"),      # Abu Khalil
    ("1A2i3", "1ا23", "al"),       # fa'il with the article: al-Jasim
    ("1a2=U3", "12و3", ""),        # fa''ul: Abboud, Bakkour
    ("ma12U3", "م12و3", ""),       # maf'ul: Mansour, Masoud
    ("1a23Un", "123ون", ""),       # fa'lun: Khaldoun, Hamdoun
    ("1a2A3E", "12ا3ة", ""),       # fa'ala: Salameh
    ("1u23I", "123ي", "al"),       # fu'li: al-Zu'bi
    ("mu1a2=i3", "م123", ""),      # mufa''il: Mudarris
    ("1a23aJI", "123جي", ""),      # the Ottoman -ji of trades: Qahwaji
    ("1a23An", "123ان", "abu"),    # Abu Hamdan
    ("a12a3", "أ123", "al"),       # af'al with the article: al-As'ad
)
# Patterns of four-letter roots (Ghandour, Barghouth), after the three-letter ones.
_PATTERNS_4 = (
    ("1a23U4", "123و4", ""),       # fa'lul: Ghandour
    ("1a23a4I", "1234ي", "al"),    # nisba: al-Jaafari
    ("1a23a4", "1234", "abu"),     # Abu Ja'far
    ("1a23a4An", "1234ان", ""),    # fa'lalan: Za'faran
)
# Roots common in Arabic names, then roots made from letters as Arabic roots combine them.
_ROOTS = (
    "حمد سعد كرم نصر حسن جمل فضل رشد صبر شكر حلم علم عمر زهر نور سلم رحم قدر كمل عزم نجم "
    "بدر فرح سرح جبر خطب عطر قطن حدد نجر خبز صبغ دبغ حجر زرع طحن فحم سكر لحم ملح عسل زيت "
    "حرب سيف رمح درع فرس خيل جمع ربح كسب غنم بقر بكر شرف مجد عزز فخر نبل كبر صغر طول قصر "
    "شهب نجب رفع وهب كتب قرأ درس حفظ فهم عقل حكم قضي عدل ظهر بطن جبل سهل نهر بحر ثلج مطر "
    "برق رعد غيث سحب شمس قمر زين حسم قسم عبد خدم رعي زرق خضر حمر صفر بيض سود شقر غزل "
    "نسج خيط دهن صوف قطف جني بلح تمر رمن تين كرز لوز جوز بصل ثوم عدس شعر غني طرب لحن دقق "
    "نقش رسم صقل زجج فخر خزف بني هدم عمد سقف حرس شرط نقب خفر سفر رحل نزل جلس وقف مشي ركض "
    "سبق صيد قنص شبك طير حوت سمك نحل دبس زبد حلب لبن جبن خمر عنب حصد بذر سقي نبع بئر عين "
    "جدل فرج فتح نجح فلح صلح ربع خمس سدس سبع ثمن عشر شهد رقب حضر بدو سكن وطن قرب بعد جور "
    "نهض صعد هبط ركب سرج لجم حزم شدد قوي ضعف صدق كذب وعد وفي خلص مخلص طهر نظف غسل خيط"
).split()
_ROOT_GROUPS = ("بفم", "تثدذطظسزصضش", "رلن", "كقجغخ", "عحهغخ")
_ROOT_LETTERS = "بتثجحخدذرزسشصضطظعغفقكلمنه"


def _latin_name(template: str, root: str, habit: int) -> str:
    out = ""
    last = ""
    for ch in template:
        if ch in "1234J":
            last = _HABIT_LETTERS["ج" if ch == "J" else root[int(ch) - 1]][habit]
            out += last
        elif ch == "=":
            if habit != 3 and last and (len(last) == 1 or habit == 2):  # phonetic: not written; Haddad, Kashshaf
                out += last
        elif ch in _HABIT_VOWELS:
            out += _HABIT_VOWELS[ch][habit]
        else:
            out += ch
    return re.sub(r"([aeiou])\1\1+", r"\1\1", out)  # Baaaf -> Baaf


def _capital(word: str) -> str:
    for i, ch in enumerate(word):
        if ch.isalpha():
            return word[:i] + ch.upper() + word[i + 1:]
    return word


def _roots(seed: int) -> list[str]:
    """The common roots, then the other roots whose letters do not repeat a place of articulation
    side by side (Arabic avoids such roots), the latter in an order set by ``seed``."""
    common = [r for r in dict.fromkeys(_ROOTS) if len(r) == 3 and all(c in _HABIT_LETTERS for c in r)
              and "و" not in r[1:] and "ي" not in r[1:]]

    def alike(a: str, b: str) -> bool:
        return a == b or any(a in g and b in g for g in _ROOT_GROUPS)

    made = [a + b + c for a in _ROOT_LETTERS for b in _ROOT_LETTERS for c in _ROOT_LETTERS
            if not alike(a, b) and (b == c or not alike(b, c)) and a != c]
    seen = set(common)
    made = [r for r in made if r not in seen]
    random.Random(seed).shuffle(made)
    four = [a + b + c + d for a in _ROOT_LETTERS for b in _ROOT_LETTERS if not alike(a, b)
            for c in _ROOT_LETTERS if not alike(b, c) and c != a
            for d in _ROOT_LETTERS if not alike(c, d) and d not in (a, b)]
    random.Random(seed + 1).shuffle(four)
    return common + made + four


def built_family_names(n: int, exclude: list[tuple[str, list[str]]], seed: int = 1) -> list[tuple[str, list[str]]]:
    """``n`` further family names (Arabic, Latin spellings by habit as in FAMILY), built from
    triliteral roots and surname patterns (Haddad, Hamdan, Khalil, al-Haddadi, Abu Khalil, ...).

    Each is a distinct Arabic name, none of those in ``exclude``, and passes :func:`one_name`.
    Names whose key (as in :func:`place_key`) no earlier name has come first; only when those
    run out do names that share a key with an earlier one follow (Haddad and Hadid share one).
    Deterministic given ``seed``."""
    taken = {ar for ar, _ in exclude}
    keys = {place_key(ar) for ar, _ in exclude}
    fresh: list[tuple[str, list[str]]] = []
    later: list[tuple[str, list[str]]] = []
    for root in _roots(seed):
        for template, arabic_template, form in (_PATTERNS if len(root) == 3 else _PATTERNS_4):
            word = "".join(root[int(c) - 1] if c in "1234" else c for c in arabic_template)
            arabic = {"al": "ال" + word, "abu": "أبو " + word}.get(form, word)
            if arabic in taken:
                continue
            latin = []
            for habit in range(4):
                name = _capital(_latin_name(template, root, habit))
                if form == "al":
                    name = _HABIT_ARTICLE[habit] + name
                elif form == "abu":
                    name = _HABIT_ABU[habit] + name
                latin.append(name)
            if not one_name(arabic, latin):
                continue
            taken.add(arabic)
            key = place_key(arabic)
            (later if key in keys else fresh).append((arabic, latin))
            keys.add(key)
            if len(fresh) >= n:
                return fresh
    return (fresh + later)[:n]


def family_pool(n: int, seed: int = 1) -> list[tuple[str, list[str]]]:
    """The family names drawn from, for ``n`` names: FAMILY, then nisbas of places, then (when
    these run out) names built from roots (:func:`built_family_names`) until the pool holds
    ``n`` distinct names. The nisbas repeat where places are named alike (159 villages called
    Bayt ... give البيتي 159 entries), so a pool of FAMILY and nisbas holds fewer distinct names
    than entries; the built names make up the difference."""
    base = FAMILY + nisbas(load_places(seed=seed + 1))
    if n <= len(base):
        return FAMILY + base[len(FAMILY):n]
    return base + built_family_names(n - len({ar for ar, _ in base}), base, seed=seed)


def generate(persons: int = 2000, *, seed: int = 1, sources: tuple[SourceHabit, ...] = DEFAULT_SOURCES,
             places: int | None = None, namesakes: float = 0.05, days: int = 365,
             family_names: int | None = None, truth: bool = False) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Records of ``persons`` people over ``sources`` lists; column ``person`` is the truth.

    ``family_names`` (default: the built-in 60-odd, more for large runs, one per 20
    persons) adds family names made from place names, so that large lists have the
    diversity of names real ones have, and beyond those (about 94,000 persons and more)
    names built from roots and surname patterns, up to that many distinct names (see
    :func:`family_pool`).

    Each person's family name is drawn uniformly from the pool's entries. Names are not all
    equally common, for a nisba has one entry per place it comes from (البيتي 159, the next
    131, 102, 98; most one): on the small lists a few such names are 1-2% of the persons; at
    a million records (21,367 names, 23,068 entries) the commonest is 0.7% and a family name
    is held by 20 persons on average, as the default asks.

    With ``truth``, also returns a table of the persons as drawn (see ``persons_table``);
    the records are the same either way, and carry no truth beyond ``person``.
    """
    rng = random.Random(seed)
    place_pool = load_places(places or max(16, persons // 40), seed=seed)
    n_family = family_names if family_names is not None else max(len(FAMILY), persons // 20)
    pool_of_families = family_pool(n_family, seed=seed)
    start = dt.date(2012, 1, 1)
    # events: a place and a day on which several people were killed
    n_events = max(1, persons // 12)
    events = [(rng.randrange(len(place_pool)), start + dt.timedelta(days=rng.randrange(days))) for _ in range(n_events)]
    people = []
    for p in range(persons):
        sex = "male" if rng.random() < 0.78 else "female"
        given = rng.randrange(len(MALE if sex == "male" else FEMALE))
        father, grandfather = rng.randrange(len(MALE)), rng.randrange(len(MALE))
        family = rng.randrange(len(pool_of_families))
        if people and rng.random() < namesakes:  # a namesake of someone already made
            other = rng.choice(people)
            if other["sex"] == sex:
                given, father, family = other["given"], other["father"], other["family"]
        place, date = events[rng.randrange(n_events)]
        age = max(0, min(95, int(rng.gauss(30, 16))))
        people.append(dict(person=p, sex=sex, given=given, father=father, grandfather=grandfather, family=family,
                           age=age, place=place, date=date))
    rows = []
    for src in sources:
        n = 0
        for person in people:
            if rng.random() >= src.coverage:
                continue
            copies = 2 if rng.random() < src.duplicates else 1
            for _ in range(copies):
                n += 1
                rows.append(_record(rng, src, person, n, place_pool, pool_of_families))
    df = pd.DataFrame(rows)
    df.insert(0, "id", range(1, len(df) + 1))
    return (df, persons_table(people, place_pool, pool_of_families)) if truth else df


def persons_table(people: list[dict], place_pool: list, family_pool: list) -> pd.DataFrame:
    """One row per person: ``person``, ``sex``, ``given`` and ``family`` (the names drawn, in
    Arabic, before any spelling or typo) and ``district`` (of the place of death, from the pool).

    Names, not pool indices: the family pool holds some names more than once (nisbas of
    places named alike), and two persons drawn from two such entries are namesakes."""
    return pd.DataFrame({
        "person": [p["person"] for p in people],
        "sex": [p["sex"] for p in people],
        "given": [(MALE if p["sex"] == "male" else FEMALE)[p["given"]][0] for p in people],
        "family": [family_pool[p["family"]][0] for p in people],
        "district": ["|".join(place_pool[p["place"]][2]) for p in people],
    })


def separable_persons(persons: pd.DataFrame) -> set[int]:
    """Persons none of whose namesakes (other persons of the same sex, given and family name)
    died in the same district: those a district field can tell apart from every namesake."""
    alike = persons.groupby(["sex", "given", "family", "district"]).person.transform("size")
    return set(persons.person[alike == 1].tolist())


def _record(rng: random.Random, src: SourceHabit, p: dict, n: int, place_pool: list, family_pool: list) -> dict:
    arabic = rng.random() < src.arabic
    pool = MALE if p["sex"] == "male" else FEMALE

    def name(entry: tuple[str, list[str]]) -> str:
        return entry[0] if arabic else _spell(rng, entry[1], src.spelling)

    given, father, family = name(pool[p["given"]]), name(MALE[p["father"]]), name(family_pool[p["family"]])
    if rng.random() < src.typo:
        which = rng.randrange(2)
        if which == 0:
            given = _typo(rng, given)
        else:
            family = _typo(rng, family)
    with_father = rng.random() < src.with_father
    if src.family_first and not arabic:
        full = f"{family}, {given}" + (f" {father}" if with_father else "")
    else:
        full = " ".join([given] + ([father] if with_father else []) + [family])
    age = p["age"]
    if rng.random() < src.age_noise:
        age = max(0, age + rng.choice([-2, -1, 1, 2]))
    date = p["date"]
    if rng.random() < src.date_noise:
        date = date + dt.timedelta(days=rng.choice([-3, -2, -1, 1, 2, 3]))
    ar, latin, district = place_pool[p["place"]]
    place = ar if arabic else _spell(rng, latin, src.spelling)
    return {
        "source": src.name,
        "record_id": f"{src.name[:3].upper()}-{n:07d}",
        "full_name": full,
        "sex": p["sex"] if rng.random() > 0.05 else None,
        "age": None if rng.random() < src.missing_age else age,
        "date_of_death": None if rng.random() < src.missing_date else date.isoformat(),
        "place": None if rng.random() < src.missing_place else place,
        "district": None if rng.random() < 0.02 else (district[0] if arabic else district[1]),
        "person": p["person"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--persons", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True, help="folder for one CSV per source and truth.csv")
    a = ap.parse_args()
    df = generate(a.persons, seed=a.seed)
    a.out.mkdir(parents=True, exist_ok=True)
    for src, part in df.groupby("source"):
        part.drop(columns=["id", "person", "source"]).to_csv(a.out / f"{src}.csv", index=False)
    df[["source", "record_id", "person"]].to_csv(a.out / "truth.csv", index=False)
    print(f"{len(df)} records of {a.persons} persons in {df.source.nunique()} lists -> {a.out}")


if __name__ == "__main__":
    main()

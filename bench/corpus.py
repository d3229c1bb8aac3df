"""Generate a synthetic corpus of English conflict news for extraction benchmarks.

    python bench/corpus.py --n 2000 --out DIR          # DIR/doc-000001.txt ... with header lines
    python bench/corpus.py --n 20000 --out corpus.jsonl # one article per line
    python bench/corpus.py --n 5 --out - --format jsonl  # to standard output

Every document is 250-700 words long and reads like wire or monitor reporting: a
minority of sentences report incidents (killings, strikes, clashes, abductions,
protests, arrests, displacement) in varied phrasings, and the rest is the
background, politics, economy, diplomacy and quotes that make up most of real
reporting. Templates and vocabulary are this module's own.

Output is deterministic: document ``i`` depends only on ``--seed`` and ``i``, so
``--n 20000`` starts with the same 2000 documents as ``--n 2000``. Documents are
written one at a time, so memory stays flat however large ``--n`` is.
``iter_documents`` gives the same documents to Python code.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, TextIO

__all__ = ["Article", "iter_documents", "make_document", "write_corpus", "main"]

MIN_WORDS, MAX_WORDS = 250, 700


@dataclass(frozen=True)
class Article:
    """One generated news document."""

    id: str
    date: dt.date
    title: str
    url: str
    text: str
    incident_sentences: int
    sentences: int

    def words(self) -> int:
        return len(self.text.split())

    def to_txt(self) -> str:
        return f"date: {self.date.isoformat()}\ntitle: {self.title}\nurl: {self.url}\n\n{self.text}\n"

    def to_json(self) -> str:
        row = {"id": self.id, "date": self.date.isoformat(), "title": self.title, "url": self.url, "text": self.text}
        return json.dumps(row, ensure_ascii=False)


# --------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class Country:
    name: str
    adjective: str
    capital: str
    regions: tuple[tuple[str, tuple[str, ...]], ...]  # (admin1 as written, towns)
    forces: tuple[str, ...]  # state forces
    armed: tuple[str, ...]  # non-state armed groups
    sources: tuple[str, ...]  # local sources and officials
    currency: str
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]


COUNTRIES: tuple[Country, ...] = (
    Country("Sudan", "Sudanese", "Port Sudan",
            (("North Darfur state", ("El Fasher", "Tawila", "Kutum", "Mellit")),
             ("North Kordofan state", ("El Obeid", "Bara", "Um Rawaba")),
             ("Gezira state", ("Wad Madani", "Rufaa", "Al-Hasaheisa")),
             ("White Nile state", ("Kosti", "Rabak", "Ed Dueim"))),
            ("the army", "the Sudanese Armed Forces", "army troops", "military intelligence units"),
            ("the Rapid Support Forces", "RSF fighters", "the paramilitary RSF", "allied Arab militias"),
            ("the Sudan Doctors Network", "a local emergency response room", "the state health ministry", "residents"),
            "Sudanese pound", ("Ahmed", "Fatima", "Osman", "Amal", "Hassan", "Mariam"), ("Abdelrahman", "Osman", "Idris", "Musa", "Bashir")),
    Country("Democratic Republic of Congo", "Congolese", "Kinshasa",
            (("North Kivu province", ("Goma", "Sake", "Rutshuru", "Masisi", "Kitshanga")),
             ("South Kivu province", ("Bukavu", "Uvira", "Kamanyola")),
             ("Ituri province", ("Bunia", "Djugu", "Fataki", "Mahagi"))),
            ("the Congolese army", "FARDC soldiers", "the national police"),
            ("M23 rebels", "the M23/AFC", "CODECO militiamen", "ADF fighters", "Wazalendo militias"),
            ("local civil society", "a territorial administrator", "the provincial governor's office", "MONUSCO"),
            "Congolese franc", ("Jean", "Esperance", "Patrick", "Aline", "Josue"), ("Kabila", "Mwamba", "Bahati", "Ilunga", "Kasereka")),
    Country("Nigeria", "Nigerian", "Abuja",
            (("Borno State", ("Maiduguri", "Damboa", "Konduga", "Bama", "Gwoza")),
             ("Zamfara State", ("Gusau", "Kaura Namoda", "Anka", "Tsafe")),
             ("Plateau State", ("Jos", "Bokkos", "Mangu", "Barkin Ladi")),
             ("Katsina State", ("Faskari", "Sabuwa", "Dutsinma"))),
            ("the Nigerian army", "troops", "the police", "the air force"),
            ("Boko Haram", "ISWAP fighters", "suspected jihadists", "bandits", "gunmen on motorcycles"),
            ("a community leader", "the state police command", "residents", "a local government chairman"),
            "naira", ("Ibrahim", "Aisha", "Musa", "Blessing", "Usman", "Grace"), ("Bello", "Abubakar", "Danjuma", "Okafor", "Yusuf")),
    Country("Myanmar", "Myanmar", "Naypyitaw",
            (("Sagaing region", ("Depayin", "Shwebo", "Khin-U", "Monywa", "Kani")),
             ("Rakhine state", ("Sittwe", "Kyauktaw", "Mrauk-U", "Ramree")),
             ("Magway region", ("Pauk", "Gangaw", "Saw"))),
            ("the junta", "the military", "junta troops", "the air force"),
            ("the Arakan Army", "People's Defence Force units", "resistance fighters", "the Kachin Independence Army"),
            ("a local resistance group", "residents", "an aid worker", "state media"),
            "kyat", ("Ko Min", "Ma Hnin", "U Tin", "Daw Khin", "Ko Zaw"), ("Thu", "Aye", "Naing", "Htun", "Win")),
    Country("Ukraine", "Ukrainian", "Kyiv",
            (("Kharkiv oblast", ("Kharkiv", "Kupiansk", "Zolochiv", "Bohodukhiv")),
             ("Donetsk oblast", ("Kostiantynivka", "Druzhkivka", "Kramatorsk", "Sloviansk")),
             ("Sumy oblast", ("Sumy", "Bilopillia", "Krasnopillia")),
             ("Zaporizhzhia oblast", ("Zaporizhzhia", "Orikhiv", "Huliaipole"))),
            ("Ukrainian forces", "the Ukrainian army", "air defence units"),
            ("Russian forces", "Russia", "Russian troops"),
            ("the regional governor", "police", "the regional military administration", "emergency services"),
            "hryvnia", ("Olena", "Serhiy", "Oksana", "Andriy", "Iryna"), ("Kovalenko", "Shevchuk", "Bondar", "Melnyk", "Tkachenko")),
    Country("Syria", "Syrian", "Damascus",
            (("Latakia governorate", ("Jableh", "Qardaha", "Latakia", "Al-Haffah")),
             ("Homs governorate", ("Homs", "Tal Kalakh", "Al-Qusayr", "Talbiseh")),
             ("Deir ez-Zor governorate", ("Al-Mayadin", "Al-Busayrah", "Hajin")),
             ("Daraa governorate", ("Tafas", "Jasim", "Nawa", "Busra al-Sham"))),
            ("General Security forces", "security forces", "the Defence Ministry"),
            ("unidentified gunmen", "ISIS cells", "local armed factions", "Turkish-backed factions"),
            ("SOHR", "the Observatory", "local sources", "SANA"),
            "Syrian pound", ("Ali", "Rania", "Omar", "Lina", "Khaled"), ("Haddad", "Khalil", "Suleiman", "Darwish", "Hamdan")),
    Country("Haiti", "Haitian", "Port-au-Prince",
            (("Ouest department", ("Port-au-Prince", "Delmas", "Petion-Ville", "Croix-des-Bouquets")),
             ("Centre department", ("Mirebalais", "Saut-d'Eau", "Hinche")),
             ("Artibonite department", ("Saint-Marc", "Gonaives", "Petite-Riviere"))),
            ("the Haitian National Police", "police officers", "the Kenyan-led security mission"),
            ("gangs", "the Viv Ansanm coalition", "armed gang members", "the Gran Grif gang"),
            ("residents", "a civil protection official", "a human rights group", "the mayor"),
            "gourde", ("Jean", "Marie", "Pierre", "Roseline", "Wilson"), ("Joseph", "Pierre", "Louis", "Charles", "Etienne")),
    Country("Colombia", "Colombian", "Bogota",
            (("Norte de Santander", ("Tibu", "El Tarra", "Teorama", "Cucuta")),
             ("Cauca", ("Popayan", "Suarez", "Argelia", "El Plateado")),
             ("Antioquia", ("Briceno", "Segovia", "Remedios"))),
            ("the army", "the national police", "soldiers"),
            ("the ELN", "FARC dissidents", "the Clan del Golfo", "armed men"),
            ("the Ombudsman's Office", "the governor's office", "residents", "a community leader"),
            "peso", ("Carlos", "Luz", "Andres", "Marta", "Jhon"), ("Gomez", "Rodriguez", "Quintero", "Arias", "Pabon")),
    Country("Mexico", "Mexican", "Mexico City",
            (("Sinaloa", ("Culiacan", "Navolato", "Eldorado", "Mazatlan")),
             ("Guerrero", ("Chilpancingo", "Acapulco", "Iguala")),
             ("Michoacan", ("Apatzingan", "Uruapan", "Zamora"))),
            ("state police", "the National Guard", "soldiers", "municipal police"),
            ("cartel gunmen", "armed men", "a criminal group", "suspected cartel members"),
            ("the state prosecutor's office", "the public security secretariat", "local media", "residents"),
            "peso", ("Jose", "Guadalupe", "Luis", "Veronica", "Miguel"), ("Hernandez", "Lopez", "Ramirez", "Torres", "Castro")),
    Country("Burkina Faso", "Burkinabe", "Ouagadougou",
            (("Centre-Nord region", ("Kaya", "Barsalogho", "Kongoussi")),
             ("Sahel region", ("Djibo", "Dori", "Gorom-Gorom")),
             ("Est region", ("Fada N'Gourma", "Diapaga", "Pama"))),
            ("the army", "Volunteers for the Defence of the Homeland", "soldiers"),
            ("JNIM fighters", "suspected jihadists", "the Islamic State Sahel Province", "armed men"),
            ("a security source", "local residents", "a regional official", "state television"),
            "CFA franc", ("Adama", "Salimata", "Issouf", "Mariam", "Boukary"), ("Ouedraogo", "Sawadogo", "Kabore", "Diallo", "Zongo")),
    Country("Somalia", "Somali", "Mogadishu",
            (("Banadir region", ("Mogadishu", "Hodan", "Wadajir")),
             ("Middle Shabelle region", ("Balcad", "Jowhar", "Adale")),
             ("Lower Shabelle region", ("Afgoye", "Marka", "Wanlaweyn"))),
            ("the Somali army", "government forces", "African Union troops"),
            ("al-Shabaab", "al-Shabaab fighters", "clan militias"),
            ("police", "an elder", "a local official", "residents"),
            "Somali shilling", ("Abdi", "Hodan", "Mohamed", "Fadumo", "Ahmed"), ("Warsame", "Farah", "Hassan", "Ali", "Nur")),
    Country("Yemen", "Yemeni", "Aden",
            (("Hodeidah governorate", ("Hodeidah", "Hays", "Zabid", "Ras Isa")),
             ("Taiz governorate", ("Taiz", "Mocha", "Al-Turbah")),
             ("Marib governorate", ("Marib", "Sirwah", "Harib"))),
            ("government forces", "the Saudi-led coalition", "the government-aligned army"),
            ("the Houthis", "Houthi fighters", "Ansar Allah"),
            ("a local official", "medical sources", "the Houthi-run health ministry", "military sources"),
            "Yemeni rial", ("Mohammed", "Amat", "Abdullah", "Sabah", "Nabil"), ("al-Hakimi", "Saleh", "al-Ahmar", "Qasim", "Mansour")),
)

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty")
TENS = {20: "twenty", 30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy", 80: "eighty", 90: "ninety"}
MEDIA_SOURCES = ("state media", "SANA", "SOHR", "the Observatory", "local media", "state television")
OUTLETS = ("AFP", "Reuters", "the Associated Press", "local radio", "a local news site", "our correspondent")
CIVILIANS = ("civilians", "people", "villagers", "residents", "farmers", "worshippers", "traders", "displaced people",
             "passengers", "miners", "herders", "students")
VICTIM_SOLDIERS = ("soldiers", "police officers", "members of the security forces", "militiamen", "fighters")


def _number_words(n: int) -> str:
    if n <= 20:
        return NUMBER_WORDS[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        return TENS[tens * 10] + ("" if unit == 0 else "-" + NUMBER_WORDS[unit])
    return f"{n:,}"


def _num(rng: random.Random, n: int) -> str:
    """A number as a reporter writes it: digits mostly, words for small numbers."""
    if n < 100 and rng.random() < 0.4:
        return _number_words(n)
    return f"{n:,}"


def _count(rng: random.Random, low: int, high: int, *, noun: bool = True) -> str:
    """A count phrase with a qualifier or a vague quantity word; ``noun``: a noun follows it."""
    n = rng.randint(low, high)
    form = rng.random()
    if form < 0.25:
        return _num(rng, n)
    if form < 0.45:
        return f"{rng.choice(('at least', 'more than', 'over', 'nearly', 'around', 'some', 'up to', 'as many as'))} {_num(rng, n)}"
    if form < 0.55:
        return f"between {n} and {n + rng.randint(2, 9)}"
    if form < 0.85 or n < 3:
        return _num(rng, n)
    vague = ("dozens of", "scores of", "a dozen", "several", "a few", "hundreds of")
    word = rng.choice(vague)
    return word if noun else word.removesuffix(" of")


def _cap(s: str) -> str:
    """Capitalised for the start of a sentence; a small number in digits is spelt out, as in print."""
    head, _, rest = s.partition(" ")
    if head.isdigit() and int(head) < 100:
        s = _number_words(int(head)) + (" " + rest if rest else "")
    return s[:1].upper() + s[1:]


# --------------------------------------------------------------------------- document context


@dataclass(frozen=True)
class Context:
    rng: random.Random
    country: Country
    region: str
    towns: tuple[str, ...]
    date: dt.date

    def town(self) -> str:
        return self.rng.choice(self.towns)

    def person(self) -> str:
        return f"{self.rng.choice(self.country.first_names)} {self.rng.choice(self.country.last_names)}"

    def when(self) -> str:
        """A date phrase relative to the document date (sometimes none)."""
        rng, d = self.rng, self.date
        back = d - dt.timedelta(days=rng.randint(1, 6))
        form = rng.randrange(12)
        if form < 4:
            return f"on {WEEKDAYS[back.weekday()]}"
        if form == 4:
            return f"on {back.day} {MONTHS[back.month - 1]}"
        if form == 5:
            return f"overnight on {WEEKDAYS[back.weekday()]}"
        if form == 6:
            return "yesterday"
        if form == 7:
            return f"in the early hours of {WEEKDAYS[back.weekday()]}"
        if form == 8:
            return "over the weekend"
        if form == 9:
            return f"on the evening of {back.day} {MONTHS[back.month - 1]}"
        if form == 10:
            return "in the past 24 hours"
        return ""

    def source(self) -> str:
        rng = self.rng
        form = rng.randrange(6)
        src = rng.choice(self.country.sources)
        if form == 0:
            return f", {src} said"
        if form == 1:
            return f", according to {src}"
        if form == 2 and src not in MEDIA_SOURCES:
            return f", {src} told {rng.choice(OUTLETS)}"
        if form == 3:
            return f", {self.person()}, a {rng.choice(('local official', 'spokesman', 'resident', 'doctor', 'witness'))}, said"
        if form == 4:
            return f", {src} reported"
        return ""


def _place(ctx: Context) -> str:
    rng = ctx.rng
    form = rng.randrange(5)
    if form == 0:
        return f"in {ctx.town()}"
    if form == 1:
        return f"in the village of {rng.choice(VILLAGE_NAMES)} near {ctx.town()}"
    if form == 2:
        return f"in {ctx.town()}, in {ctx.country.name}'s {ctx.region}"
    if form == 3:
        a, b = rng.sample(ctx.towns, 2)
        return f"in {a} and {b}"
    return f"on the road between {ctx.town()} and {rng.choice(VILLAGE_NAMES)}"


VILLAGE_NAMES = ("Kalamba", "Tungan Mallam", "Beit Salem", "Ain Hamra", "Kyaung Gon", "Nova Oleksiivka", "La Esperanza",
                 "Wad Hassan", "Um Dafok", "Loto", "Kilometre 12", "Bir Ali", "Santa Rosa", "Nyamilima", "Kamango",
                 "Dar Salam", "Tal Abyad", "Sabon Gari", "Kpana", "Mbau", "Pont-Sonde", "Los Naranjos", "Hamdallaye")


# --------------------------------------------------------------------------- incident sentences


def _attack(ctx: Context) -> str:
    rng, c = ctx.rng, ctx.country
    perp, victims = rng.choice(c.armed + c.forces[:1]), rng.choice(CIVILIANS)
    n, when = _count(rng, 2, 60), ctx.when()
    forms = (
        f"{_cap(perp)} killed {n} {victims} {_place(ctx)} {when}{ctx.source()}.",
        f"{_cap(n)} {victims} were killed {when} when {perp} attacked {ctx.town()}{ctx.source()}.",
        f"{_cap(perp)} opened fire on {victims} at a market {_place(ctx)} {when}, killing {_count(rng, 2, 60, noun=False)} and wounding {_count(rng, 2, 40, noun=False)}{ctx.source()}.",
        f"The bodies of {n} {victims} were found {_place(ctx)} {when}, a day after {perp} raided the area{ctx.source()}.",
        f"{_cap(perp)} stormed {ctx.town()} {when}, shooting dead {n} {victims} and setting homes on fire{ctx.source()}.",
    )
    return rng.choice(forms)


def _strike(ctx: Context) -> str:
    rng, c = ctx.rng, ctx.country
    perp = rng.choice(c.forces + c.armed)
    what = rng.choice(("An air strike", "A drone strike", "Artillery shelling", "A missile attack", "Mortar fire",
                       "A bombing raid", "Rocket fire"))
    forms = (
        f"{what} by {perp} on {ctx.town()} killed {_count(rng, 2, 40)} {rng.choice(CIVILIANS)} and wounded {_count(rng, 2, 60, noun=False)} {ctx.when()}{ctx.source()}.",
        f"{_cap(perp)} shelled {ctx.town()} and nearby villages {ctx.when()}, damaging a school and a clinic{ctx.source()}.",
        f"{_cap(_count(rng, 2, 30))} people were wounded when {what.lower()} hit a residential building {_place(ctx)} {ctx.when()}{ctx.source()}.",
        f"{what} hit a fuel depot {_place(ctx)} {ctx.when()}, and no casualties were reported{ctx.source()}.",
    )
    return rng.choice(forms)


def _bomb(ctx: Context) -> str:
    rng = ctx.rng
    target = rng.choice(("a military convoy", "a police patrol", "a minibus", "a checkpoint", "a market", "a pickup truck"))
    device = rng.choice(("A roadside bomb", "An improvised explosive device", "A landmine", "A car bomb", "A suicide bomber"))
    return rng.choice((
        f"{device} struck {target} near {ctx.town()} {ctx.when()}, killing {_count(rng, 2, 20)} {rng.choice(VICTIM_SOLDIERS + CIVILIANS)}{ctx.source()}.",
        f"{_cap(_count(rng, 2, 15))} {rng.choice(VICTIM_SOLDIERS)} died when {device.lower()} hit {target} {_place(ctx)}{ctx.source()}.",
    ))


def _clash(ctx: Context) -> str:
    rng, c = ctx.rng, ctx.country
    a, b = rng.choice(c.forces), rng.choice(c.armed)
    if rng.random() < 0.5:
        a, b = b, a
    return rng.choice((
        f"Fighting between {a} and {b} near {ctx.town()} left {_count(rng, 3, 80, noun=False)} dead {ctx.when()}{ctx.source()}.",
        f"{_cap(a)} clashed with {b} {_place(ctx)} {ctx.when()}, and {_count(rng, 2, 30)} {rng.choice(VICTIM_SOLDIERS)} were killed{ctx.source()}.",
        f"{_cap(a)} said they had repelled an attack by {b} on their positions in {ctx.town()} {ctx.when()}, killing {_count(rng, 5, 60, noun=False)} of the attackers.",
        f"{_cap(b)} seized {ctx.town()} {ctx.when()} after a day of heavy fighting{ctx.source()}.",
    ))


def _abduction(ctx: Context) -> str:
    rng, c = ctx.rng, ctx.country
    perp = rng.choice(c.armed)
    who = rng.choice(("students", "passengers", "farmers", "aid workers", "women", "traders", "worshippers"))
    return rng.choice((
        f"{_cap(perp)} abducted {_count(rng, 2, 80)} {who} {_place(ctx)} {ctx.when()}{ctx.source()}.",
        f"{_cap(_count(rng, 2, 40))} {who} were kidnapped from {ctx.town()} {ctx.when()}, and their captors have demanded a ransom{ctx.source()}.",
    ))


def _protest(ctx: Context) -> str:
    rng, c = ctx.rng, ctx.country
    crowd = rng.choice(("Hundreds of protesters", "Thousands of people", "Several hundred students", "Dozens of women",
                        "Traders and transport workers", "Relatives of detainees"))
    cause = rng.choice(("rising fuel prices", "the killings", "power cuts", "the arrest of a local journalist",
                        "insecurity on the roads", "the disappearance of their relatives"))
    force = rng.choice(c.forces)
    return rng.choice((
        f"{crowd} marched {_place(ctx)} {ctx.when()} to protest against {cause}{ctx.source()}.",
        f"{_cap(force)} fired tear gas to disperse {crowd.lower()} who had gathered in {ctx.town()} {ctx.when()} to denounce {cause}.",
        f"{crowd} blocked the main road in {ctx.town()} with burning tyres {ctx.when()}, angry over {cause}{ctx.source()}.",
        f"{_cap(force)} shot dead {_count(rng, 2, 12)} protesters in {ctx.town()} {ctx.when()} during demonstrations against {cause}{ctx.source()}.",
    ))


def _arrest(ctx: Context) -> str:
    rng, c = ctx.rng, ctx.country
    return rng.choice((
        f"{_cap(rng.choice(c.forces))} arrested {_count(rng, 2, 120)} people in raids {_place(ctx)} {ctx.when()}{ctx.source()}.",
        f"{_cap(_count(rng, 2, 50))} suspects were detained in {ctx.town()} {ctx.when()} in connection with the attacks{ctx.source()}.",
    ))


def _displacement(ctx: Context) -> str:
    rng = ctx.rng
    n = rng.randint(2, 90) * rng.choice((100, 1000))
    a, b = rng.sample(ctx.towns, 2)
    return rng.choice((
        f"{rng.choice(('Some', 'About', 'More than', 'An estimated'))} {n:,} people fled {a} for {b} {ctx.when()}{ctx.source()}.",
        f"More than {n:,} people have arrived in {b} since the fighting began, according to the International Organization for Migration.",
        f"As of {ctx.date.day} {MONTHS[ctx.date.month - 1]}, an estimated {n:,} people were displaced in {ctx.region}, most of them sheltering in schools, places of worship and host families.",
        f"Thousands of families have left {a} and nearby villages{ctx.source()}.",
    ))


INCIDENTS: tuple[tuple[Callable[[Context], str], int], ...] = (
    (_attack, 5), (_strike, 4), (_bomb, 2), (_clash, 4), (_abduction, 2), (_protest, 3), (_arrest, 2),
    (_displacement, 3),
)


def _incident(ctx: Context) -> str:
    fns, weights = zip(*INCIDENTS)
    sentence = ctx.rng.choices(fns, weights=weights)[0](ctx)
    return " ".join(sentence.split()).replace(" ,", ",").replace(" .", ".")


# --------------------------------------------------------------------------- other sentences

QUOTES = (
    "We have nothing left, not even the doors of our houses",
    "Nobody came to help us, so we buried them ourselves",
    "The children wake up screaming every night",
    "We are farmers, we do not know anything about politics",
    "If the road stays closed, the clinic will run out of medicine within a week",
    "Every family here has lost someone",
    "We want the government to tell us the truth about what happened",
    "I left with my mother on my back and my children running beside me",
    "Prices change every morning, and wages do not",
    "They told us the area was safe, and two days later the shelling started",
    "Our message is simple: stop the killing and let us go home",
    "We have registered the names of the missing, but no one has asked for the list",
    "The situation is calm today, but nobody believes it will last",
    "Teachers have not been paid for months, so the schools are empty",
    "We are ready to talk, but not while our people are being attacked",
)
OCCUPATIONS = ("farmer", "teacher", "nurse", "trader", "taxi driver", "student", "community elder", "mechanic",
               "pharmacist", "local journalist", "aid worker", "shopkeeper")
ORGS = ("the United Nations", "the African Union", "the European Union", "the World Food Programme", "UNICEF",
        "the International Committee of the Red Cross", "Human Rights Watch", "Amnesty International",
        "the World Health Organization", "the UN refugee agency")
TOPICS = ("a ceasefire", "humanitarian access", "the release of detainees", "a new constitution", "the return of the displaced",
          "elections", "the reopening of the border crossing", "debt relief", "reconstruction funding", "security sector reform")
STAPLES = ("bread", "rice", "cooking oil", "sugar", "maize flour", "fuel", "cooking gas", "medicine")
DISEASES = ("cholera", "measles", "malaria", "dengue", "acute watery diarrhoea")


def _background(ctx: Context) -> str:
    rng, c = ctx.rng, ctx.country
    year = ctx.date.year - rng.randint(2, 14)
    return rng.choice((
        f"The conflict in {c.name} began in {year}, and successive peace initiatives have failed to stop the violence.",
        f"{ctx.region[:1].upper() + ctx.region[1:]} has long been one of the poorest parts of the country, with few roads and almost no functioning hospitals.",
        f"Rights groups say that all sides have committed abuses against civilians since the fighting started.",
        f"{_cap(rng.choice(c.armed))} emerged in {year} and has since expanded its operations to several provinces.",
        f"Tens of thousands of people have been killed across {c.name} since {year}, according to conflict monitors.",
        f"{ctx.town()} lies on a strategic supply route, and control of it has changed hands several times.",
        f"Analysts say the government's reliance on local militias has deepened mistrust between communities.",
        f"The area has been largely cut off from aid since {MONTHS[rng.randrange(12)]}, when the main bridge was destroyed.",
        f"Access restrictions make it difficult to verify casualty figures independently.",
        f"Many families have been displaced several times since {year}.",
    ))


def _politics(ctx: Context) -> str:
    rng, c = ctx.rng, ctx.country
    who = f"{rng.choice(('Prime Minister', 'Interior Minister', 'Defence Minister', 'opposition leader', 'government spokesman', 'parliament speaker'))} {ctx.person()}"
    return rng.choice((
        f"{_cap(who)} said the government would not negotiate with armed groups until they laid down their weapons.",
        f"In {c.capital}, lawmakers debated a bill that would extend the state of emergency by another six months.",
        f"{_cap(who)} accused foreign powers of arming the rebels and promised to restore order.",
        f"The opposition called for an independent inquiry and said the security forces had failed to protect civilians.",
        f"{_cap(who)} is expected to present a new security plan to parliament next week.",
        f"The cabinet approved a decree creating a special commission on the displaced, chaired by {ctx.person()}.",
        f"Elections originally scheduled for {ctx.date.year + 1} may be postponed, officials said privately.",
        f"{_cap(who)} condemned the attack and offered condolences to the families of the victims.",
        f"Government officials did not respond to requests for comment.",
    ))


def _economy(ctx: Context) -> str:
    rng, c = ctx.rng, ctx.country
    return rng.choice((
        f"The {c.currency} has lost about {rng.randint(10, 70)} percent of its value against the dollar this year.",
        f"The price of {rng.choice(STAPLES)} in {ctx.town()} has {rng.choice(('doubled', 'tripled', 'risen sharply'))} since the main road was closed.",
        f"Traders say trucks now pay fees at as many as {rng.randint(5, 30)} checkpoints between {ctx.town()} and {c.capital}.",
        f"The central bank raised its main interest rate to {rng.randint(8, 35)} percent in an attempt to slow inflation.",
        f"Fuel shortages have forced hospitals in {ctx.town()} to ration electricity to a few hours a day.",
        f"Farmers in {ctx.region} say they could not plant this season because the fields are unsafe.",
        f"Remittances from relatives abroad remain the main source of income for many households.",
        f"The government's budget for next year allocates more to defence than to health and education combined.",
    ))


def _diplomacy(ctx: Context) -> str:
    rng, c = ctx.rng, ctx.country
    return rng.choice((
        f"{_cap(rng.choice(ORGS))} called on all parties to protect civilians and allow unhindered access for aid.",
        f"An envoy of {rng.choice(ORGS)} is due to visit {c.capital} next week to discuss {rng.choice(TOPICS)}.",
        f"Talks on {rng.choice(TOPICS)} stalled last month after the two delegations failed to agree on an agenda.",
        f"{_cap(rng.choice(ORGS))} said its humanitarian appeal for {c.name} was only {rng.randint(5, 40)} percent funded.",
        f"Neighbouring countries have tightened border controls, fearing that the violence could spill over.",
        f"Donors pledged ${rng.randint(50, 900)} million at a conference in Geneva, short of what aid agencies had requested.",
    ))


def _quote(ctx: Context) -> str:
    rng = ctx.rng
    q = rng.choice(QUOTES)
    return rng.choice((
        f'"{q}," said {ctx.person()}, a {rng.choice(OCCUPATIONS)} from {ctx.town()}.',
        f'"{q}," a {rng.choice(OCCUPATIONS)} in {ctx.town()} told {rng.choice(OUTLETS)}, asking not to be named.',
        f'{ctx.person()}, a {rng.choice(OCCUPATIONS)}, said: "{q}."',
    ))


def _humanitarian(ctx: Context) -> str:
    rng = ctx.rng
    return rng.choice((
        f"Health officials reported {rng.randint(20, 900)} suspected cases of {rng.choice(DISEASES)} in {ctx.region} this month.",
        f"Aid agencies said food stocks in {ctx.town()} would last only {rng.randint(2, 6)} more weeks.",
        f"Schools in {ctx.town()} have been turned into shelters, and classes have been suspended indefinitely.",
        f"The World Food Programme said it had reached {rng.randint(10, 500)},000 people with food assistance in {ctx.region} since January.",
        f"Only {rng.randint(2, 9)} of the {rng.randint(10, 30)} hospitals in the region are still functioning, according to medical charities.",
        f"The rainy season, due to begin in the coming weeks, is expected to make many roads impassable.",
    ))


def _society(ctx: Context) -> str:
    rng, c = ctx.rng, ctx.country
    return rng.choice((
        f"A court in {c.capital} adjourned the trial of {rng.randint(3, 40)} defendants accused of financing armed groups until next month.",
        f"Journalists' unions say reporting from {ctx.region} has become nearly impossible, with mobile networks cut for weeks at a time.",
        f"Religious leaders from several communities met in {ctx.town()} to call for calm and reconciliation.",
        f"Universities in {c.capital} reopened this week after a closure of several months, though many students have left the country.",
        f"A local radio station in {ctx.town()} resumed broadcasting after its transmitter was repaired with donated parts.",
        f"Women's groups in {ctx.town()} have set up a hotline for families searching for missing relatives.",
        f"The national football team's qualifying match was moved abroad for security reasons.",
        f"Telecommunications companies say repairs to the network in {ctx.region} depend on guarantees of safe passage for their engineers.",
        f"The ministry of education said {rng.randint(100, 3000)} schools across the country remained closed, most of them in conflict areas.",
    ))


def _security_policy(ctx: Context) -> str:
    rng, c = ctx.rng, ctx.country
    return rng.choice((
        f"The defence ministry announced a recruitment drive aimed at adding {rng.randint(5, 40)},000 personnel to the armed forces.",
        f"Military analysts say {rng.choice(c.armed)} has shifted from large assaults to smaller raids that are harder to anticipate.",
        f"The government has promised to equip local defence committees with radios and vehicles, but residents say little has arrived.",
        f"A curfew from {rng.randint(7, 10)} p.m. to {rng.randint(5, 6)} a.m. remains in force in parts of {ctx.region}.",
        f"Officials said a new joint command would coordinate operations in {ctx.region} from next month.",
        f"Parliament's security committee summoned the army chief to explain the deterioration in {ctx.region}.",
        f"The interior ministry said checkpoints on the main highway would be reduced to ease the movement of goods.",
    ))


OTHERS: tuple[tuple[Callable[[Context], str], int], ...] = (
    (_background, 4), (_politics, 4), (_economy, 3), (_diplomacy, 2), (_quote, 3), (_humanitarian, 3),
    (_society, 2), (_security_policy, 2),
)


def _other(ctx: Context) -> str:
    fns, weights = zip(*OTHERS)
    return ctx.rng.choices(fns, weights=weights)[0](ctx)


# --------------------------------------------------------------------------- documents

FIRST_DATE = dt.date(2023, 1, 1)


def make_document(i: int, *, seed: int = 0, incident_share: float = 0.25) -> Article:
    """Document number ``i`` (1-based) of the corpus for ``seed``."""
    rng = random.Random(seed * 1_000_003 + i)
    country = rng.choice(COUNTRIES)
    region, towns = rng.choice(country.regions)
    date = FIRST_DATE + dt.timedelta(days=rng.randrange(3 * 365))
    ctx = Context(rng, country, region, towns, date)
    target = rng.randint(MIN_WORDS + 20, MAX_WORDS - 40)
    lede = _incident(ctx)
    paragraphs: list[list[str]] = [[lede]]
    words, n_incidents, n_sentences = len(lede.split()), 1, 1
    used = {lede}
    while words < target:
        para: list[str] = []
        for _ in range(rng.randint(1, 3)):
            is_incident = rng.random() < incident_share
            for _retry in range(5):  # a document does not repeat a sentence
                sentence = _incident(ctx) if is_incident else _other(ctx)
                if sentence not in used:
                    break
            used.add(sentence)
            if words + len(sentence.split()) > MAX_WORDS:
                break
            para.append(sentence)
            words += len(sentence.split())
            n_sentences += 1
            n_incidents += is_incident
        if not para:
            break
        paragraphs.append(para)
    while words < MIN_WORDS:  # a long first sentence can leave a short document: pad with short background
        sentence = _background(ctx)
        paragraphs[-1].append(sentence)
        words += len(sentence.split())
        n_sentences += 1
    town = towns[0]
    kind = rng.choice(("Violence flares", "Deadly attack reported", "Fighting continues", "Tension rises",
                       "Civilians caught in crossfire", "Residents flee", "Security worsens"))
    title = f"{kind} in {country.name}'s {region}" if rng.random() < 0.5 else f"{kind} near {town}"
    slug = f"{date.isoformat().replace('-', '/')}/{i:06d}"
    return Article(
        id=f"doc-{i:06d}",
        date=date,
        title=title,
        url=f"https://example.org/news/{slug}",
        text="\n\n".join(" ".join(p) for p in paragraphs),
        incident_sentences=n_incidents,
        sentences=n_sentences,
    )


def iter_documents(n: int, *, seed: int = 0, start: int = 1, incident_share: float = 0.25) -> Iterator[Article]:
    """Documents ``start`` .. ``start + n - 1``, one at a time."""
    for i in range(start, start + n):
        yield make_document(i, seed=seed, incident_share=incident_share)


def write_corpus(out: str, n: int, *, seed: int = 0, fmt: str | None = None, incident_share: float = 0.25) -> dict[str, float]:
    """Write ``n`` documents to a folder of .txt files or to one .jsonl file ('-' for standard output)."""
    fmt = fmt or ("jsonl" if out == "-" or out.endswith((".jsonl", ".ndjson")) else "txt")
    t0 = time.perf_counter()
    docs = words = incidents = sentences = 0
    stream: TextIO | None = None
    folder: Path | None = None
    if fmt == "jsonl":
        if out == "-":
            stream = sys.stdout
        else:
            Path(out).parent.mkdir(parents=True, exist_ok=True)
            stream = open(out, "w", encoding="utf-8")
    else:
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
    try:
        for art in iter_documents(n, seed=seed, incident_share=incident_share):
            if stream is not None:
                stream.write(art.to_json() + "\n")
            else:
                assert folder is not None
                (folder / f"{art.id}.txt").write_text(art.to_txt(), encoding="utf-8")
            docs += 1
            words += art.words()
            incidents += art.incident_sentences
            sentences += art.sentences
    finally:
        if stream is not None and stream is not sys.stdout:
            stream.close()
    return {
        "documents": docs,
        "words": words,
        "words_per_document": words / docs if docs else 0.0,
        "incident_sentence_share": incidents / sentences if sentences else 0.0,
        "seconds": time.perf_counter() - t0,
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Generate a synthetic corpus of English conflict news.")
    ap.add_argument("--n", type=int, default=2000, help="number of documents (default 2000)")
    ap.add_argument("--out", required=True, help="a folder for .txt files, a .jsonl file, or '-' for standard output")
    ap.add_argument("--format", choices=("txt", "jsonl"), default=None, help="default: from --out")
    ap.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    ap.add_argument("--incident-share", type=float, default=0.25,
                    help="chance that a sentence after the lede reports an incident (default 0.25)")
    args = ap.parse_args(argv)
    if args.n < 0:
        ap.error("--n must be >= 0")
    stats = write_corpus(args.out, args.n, seed=args.seed, fmt=args.format, incident_share=args.incident_share)
    print(
        f"{stats['documents']} documents, {stats['words']:,} words "
        f"({stats['words_per_document']:.0f} per document), "
        f"{stats['incident_sentence_share']:.0%} incident sentences, {stats['seconds']:.1f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()

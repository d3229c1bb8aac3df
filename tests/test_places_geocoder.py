"""Geocoding mentions in context: namesakes, variants, admin areas, Arabic, gaps, other countries."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reckon.model import Claim, Document, Location, Span
from reckon.places.geocoder import document_countries, parse_mention

pytestmark = pytest.mark.issue(3)

SY = Path(__file__).parent / "fixtures" / "gazetteer" / "sy_sample.txt"


@pytest.fixture
def geo(r):
    r.places.import_geonames(SY)
    return r.places.geocoder()


@pytest.fixture
def builtin(r):
    return r.places.geocoder()


def run(geo, text: str, *mentions: tuple[str, str | None] | str, kind: str = "place") -> list[Location]:
    """Geocode one claim whose locations are ``mentions`` (name, or (name, hint)) found in ``text``."""
    locs = []
    for m in mentions:
        name, hint = (m, None) if isinstance(m, str) else m
        at = text.find(name)
        hat = text.find(hint) if hint else -1
        locs.append(Location(name=name, span=Span(at, at + len(name)) if at >= 0 else None, hint=hint,
                             hint_span=Span(hat, hat + len(hint)) if hint and hat >= 0 else None, kind=kind))
    claim = Claim(doc="d", quote_span=Span(0, len(text)), event_type="battles", sub_event_type="armed_clash",
                  locations=tuple(locs))
    doc = Document(sha256="0" * 64, doc="d", text=text)
    return list(geo.geocode_claims(doc, [claim])[0].locations)


def test_namesake_follows_the_hint_latakia(geo) -> None:
    (loc,) = run(geo, "Syrian forces raided Sharifa in the Latakia countryside.", ("Sharifa", "Latakia countryside"))
    assert (loc.status, loc.place_id, loc.admin1, loc.geo_precision) == ("resolved", "gn:164437", "Latakia", 1)


def test_namesake_follows_the_hint_homs(geo) -> None:
    (loc,) = run(geo, "Syrian forces raided Sharifa in the eastern Homs countryside.", ("Sharifa", "Homs countryside"))
    assert (loc.place_id, loc.admin1) == ("gn:2332", "Homs")


def test_namesake_without_context_is_ambiguous_with_candidates(geo) -> None:
    (loc,) = run(geo, "In Syria, shops closed in Sharifa.", "Sharifa")
    assert loc.status == "ambiguous" and loc.place_id is None
    assert {c["place_id"] for c in loc.candidates} >= {"gn:164437", "gn:2332"}


def test_namesake_is_chosen_by_its_neighbours(geo) -> None:
    text = "In Syria, families fled Jableh, Qurfays and Ain al-Arous."
    locs = run(geo, text, "Jableh", "Qurfays", "Ain al-Arous")
    assert locs[2].place_id == "gn:172886" and locs[2].admin1 == "Latakia"


@pytest.mark.parametrize("spelling", ["Al-Mukhtariya", "Al Mukhtareyah", "al-Muktariyya", "Mukhtariyeh"])
def test_transliteration_variants_resolve_to_one_village(geo, spelling: str) -> None:
    (loc,) = run(geo, f"Syrian gunmen entered {spelling} at dawn.", spelling)
    assert (loc.status, loc.place_id) == ("resolved", "gn:166712")


def test_arabic_script_mention_resolves(geo) -> None:
    (loc,) = run(geo, "قصف على قرية المختارية في سوريا", "المختارية")
    assert loc.place_id == "gn:166712"


def test_governorate_resolves_to_the_area(geo) -> None:
    (loc,) = run(geo, "One death was reported in Homs Governorate, Syria.", "Homs Governorate")
    assert (loc.kind, loc.admin1, loc.geo_precision, loc.status) == ("admin1", "Homs", 3, "resolved")
    assert loc.lat is not None


def test_district_mention_resolves_to_the_district(geo) -> None:
    (loc,) = run(geo, "Seven died in the Al-Haffah district of Syria.", "Al-Haffah", kind="admin2")
    assert (loc.kind, loc.admin1, loc.geo_precision) == ("admin2", "Latakia", 3)


def test_rural_area_resolves_to_the_governorate(geo) -> None:
    (loc,) = run(geo, "Shelling hit rural Idlib in Syria.", "rural Idlib")
    assert (loc.admin1, loc.geo_precision) == ("Idlib", 3)


def test_country_region_keeps_the_country_only(geo) -> None:
    (loc,) = run(geo, "Fighters arrived in coastal Syria.", "coastal Syria")
    assert (loc.kind, loc.country, loc.admin1, loc.geo_precision) == ("region", "SY", None, 3)


def test_facility_resolves_to_its_village_with_precision_2(geo) -> None:
    (loc,) = run(geo, "Families fled to the Khmeimim Air Base in Latakia province, Syria.",
                 ("Khmeimim Air Base", "Latakia province"))
    assert (loc.place_id, loc.geo_precision) == ("gn:169492", 2)


def test_near_a_town_has_precision_2(geo) -> None:
    (loc,) = run(geo, "An attack on security forces near Jableh, Syria.", "Jableh")
    assert (loc.place_id, loc.geo_precision) == ("gn:169304", 2)


def test_missing_place_is_kept_unresolved_with_its_hint(geo) -> None:
    (loc,) = run(geo, "Gunmen raided Zahrat al-Bustan in the Jableh countryside, Syria.",
                 ("Zahrat al-Bustan", "Jableh countryside"))
    assert (loc.status, loc.name, loc.hint, loc.place_id) == ("unresolved", "Zahrat al-Bustan", "Jableh countryside", None)
    assert (loc.admin1, loc.geo_precision, loc.country) == ("Latakia", 3, "SY")


def test_unresolved_mention_takes_the_area_its_sentence_names(geo) -> None:
    text = "Seven died in Zahrat al-Bustan, two in Qurfays and one in the Al-Haffah district of Syria."
    locs = run(geo, text, "Zahrat al-Bustan", "Qurfays")
    assert (locs[0].status, locs[0].admin1, locs[0].geo_precision) == ("unresolved", "Latakia", 3)


def test_text_and_gazetteer_disagreeing_is_left_for_a_person(geo) -> None:
    (loc,) = run(geo, "Syrian troops shelled Tasnin in Latakia province.", ("Tasnin", "Latakia province"))
    assert loc.status == "ambiguous" and loc.admin1 == "Latakia" and loc.candidates[0]["admin1"] == "Homs"


def test_big_city_beats_its_namesake_villages(builtin) -> None:
    (loc,) = run(builtin, "Protesters gathered in Homs, Syria.", "Homs")
    assert (loc.place_id, loc.admin1, loc.status) == ("gn:169577", "Homs", "resolved")


def test_ukrainian_report_with_builtin_data(builtin) -> None:
    text = "Ukrainian officials said a missile hit Kharkiv, and drones struck Kherson Oblast."
    a, b = run(builtin, text, "Kharkiv", "Kherson Oblast")
    assert (a.country, a.admin1, a.geo_precision) == ("UA", "Kharkiv", 1)
    assert (b.kind, b.admin1, b.geo_precision) == ("admin1", "Kherson", 3)


def test_sudanese_report_with_builtin_data(builtin) -> None:
    text = "The Sudanese army said RSF shelling killed 12 in El Fasher, North Darfur."
    a, b = run(builtin, text, "El Fasher", "North Darfur")
    assert (a.country, a.admin1, a.status) == ("SD", "North Darfur", "resolved")
    assert (b.kind, b.admin1) == ("admin1", "North Darfur")


def test_myanmar_report_with_builtin_data(builtin) -> None:
    (loc,) = run(builtin, "Airstrikes hit Lashio in Myanmar's Shan State.", ("Lashio", "Shan State"))
    assert (loc.country, loc.admin1, loc.status) == ("MM", "Shan", "resolved")


def test_village_missing_from_builtin_data_is_not_guessed_abroad(builtin) -> None:
    (loc,) = run(builtin, "In Syria, twenty civilians in Al-Shir were killed.", "Al-Shir")
    assert loc.country in (None, "SY") and loc.status != "resolved"


def test_document_countries_reads_names_and_demonyms() -> None:
    cc = document_countries("Syrian forces crossed into Lebanon; Syria denied it.")
    assert cc["SY"] == 1.0 and "LB" in cc


def test_parse_mention_reads_admin_and_facility_words() -> None:
    assert parse_mention("Homs Governorate").kind == "admin1"
    assert parse_mention("the Al-Haffah district").core == "Al-Haffah"
    m = parse_mention("Khmeimim Air Base")
    assert m.facility and m.core == "Khmeimim"


_WORDS = ["Jableh", "Al-Haffah", "district", "the", "North", "Air", "Base", "countryside", "of", "Homs's", "rural",
          "Deir", "ez-Zor", "Idlib", "-", ",", "province's", "near", "city", "Tell", "Sheikh", "camp", "Maarat"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=5), st.sampled_from(["place", "admin1", "region", "x"]),
       st.sampled_from([" ", "  ", "\u2019s ", "-"]))
def test_parse_mention_shortcut_reads_a_bare_name_as_the_full_reading_does(words, kind, sep) -> None:
    from reckon.places.geocoder import _read_words

    name = sep.join(words)
    assert parse_mention(name, kind) == _read_words(" ".join(name.replace("\u2019", "'").split()), kind)


_BEFORE = ["near", "outside", "around", "outskirts", "of", "vicinity", "close", "to", "km", "kilometres", "miles",
           "north", "north-west", "southern", "the", "The", "NEAR", "Of", "village", "shelled", "tothe", "\u017fouth", " ", "\n"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_BEFORE), max_size=7), st.sampled_from([" ", "", "  ", "\t"]), st.text(max_size=3))
def test_nearness_shortcut_agrees_with_the_search(words, sep, tail) -> None:
    from reckon.places.geocoder import _BEFORE_NEAR, _near_before

    for before in (sep.join(words), sep.join(words) + tail, tail + sep.join(words) + " "):
        assert _near_before(before) == (_BEFORE_NEAR.search(before) is not None)


_COUNTRY_WORDS = ["south", "sudan", "north", "korea", "dr", "congo", "west", "bank", "united", "states", "of", "america",
                  "syria", "syrian", "lebanon", "and", "papua", "new", "guinea", "the", "gaza", "village", "kharkiv"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_COUNTRY_WORDS), max_size=25))
def test_country_counts_try_every_name_length_at_every_word(words) -> None:
    from reckon.places.geocoder import _COUNTRY_OF, _WORD_RE, document_countries

    text = " ".join(words)
    document_countries("")  # the name table
    counts: dict[str, int] = {}
    found = _WORD_RE.findall(text.lower())
    i = 0
    while i < len(found):  # the plain reading: the longest name (three words, two, one) at each word
        step = 1
        for n in (3, 2, 1):
            cc = _COUNTRY_OF.get(" ".join(found[i: i + n])) if i + n <= len(found) else None
            if cc:
                counts[cc] = counts.get(cc, 0) + 1
                step = n
                break
        i += step
    top = max(counts.values(), default=1)
    assert document_countries(text) == {cc: n / top for cc, n in counts.items()}


def test_country_name_alone_is_the_country(builtin) -> None:
    (loc,) = run(builtin, "Thousands crossed into Lebanon overnight.", "Lebanon")
    assert (loc.kind, loc.country, loc.admin1, loc.geo_precision, loc.status) == ("country", "LB", None, 3, "resolved")


def test_lebanese_district_mention_gives_its_governorate(builtin) -> None:
    (loc,) = run(builtin, "Displaced Syrians reached villages in Akkar District, Lebanon.", "Akkar District")
    assert (loc.country, loc.admin1, loc.geo_precision) == ("LB", "Akkar", 3)


def test_fast_copies_equal_dataclass_replace() -> None:
    """The geocoder copies locations and claims field by field, which is only right while neither
    class checks its fields on construction."""
    import dataclasses

    from reckon.places.geocoder import _with, _with_locations

    assert not hasattr(Location, "__post_init__") and not hasattr(Claim, "__post_init__")
    loc = Location(name="Baniyas", span=Span(3, 10), hint="Tartus province")
    assert _with(loc, admin1="Tartus", lat=35.18) == dataclasses.replace(loc, admin1="Tartus", lat=35.18)
    assert loc.admin1 is None  # the original is untouched
    claim = Claim(doc="d", quote_span=Span(0, 20), event_type="battles", sub_event_type="armed_clash", locations=(loc,))
    other = (_with(loc, status="resolved"),)
    assert _with_locations(claim, other) == dataclasses.replace(claim, locations=other)


def test_sealed_index_still_takes_new_rows() -> None:
    from reckon.places.gazetteer import PlaceIndex

    idx = PlaceIndex("t")
    row = ("gn:1", "Jableh", "SY", "P", "PPL", "02", "", "Latakia", None, 35.36, 35.92, 80000, "place")
    idx.add(row, ["Jableh", "Jabala"])
    idx.seal()
    assert all(isinstance(v, tuple) for v in idx.by_key.values())
    idx.add(("gn:2", "Jablah", "SY", "P", "PPL", "02", "", "Latakia", None, 35.4, 35.9, 0, "place"), ["Jablah"])
    assert idx.lookup({"f:jabla"}) == {0, 1} and idx.lookup({"f:jabala"}) == {0}


def test_many_documents_in_workers_give_the_same_outcome(geo) -> None:
    """Forked workers geocode like one process, and the countries they resolve are counted once."""
    import dataclasses

    from reckon.places.geocoder import PARALLEL_DOCS

    names = [("Sharifa", "Latakia countryside"), ("Sharifa", "Homs countryside"), ("Al-Mukhtariya", None),
             ("Jableh", None), ("Qurfays", None), ("Snobar", None), ("Hmeimim", None), ("Baniyas", None)]
    items = []
    for k in range(2 * PARALLEL_DOCS + 7):
        name, hint = names[k % len(names)]
        text = f"Report {k}. Gunmen attacked {name}" + (f" in the {hint}." if hint else ".")
        at, hat = text.find(name), text.find(hint) if hint else -1
        loc = Location(name=name, span=Span(at, at + len(name)), hint=hint,
                       hint_span=Span(hat, hat + len(hint)) if hint else None)
        claim = Claim(doc=f"d{k}", quote_span=Span(0, len(text)), event_type="violence_against_civilians",
                      sub_event_type="attack", locations=(loc,))
        items.append((Document(sha256=f"{k:064d}", doc=f"d{k}", text=text), [claim]))
    before = dict(geo.seen_countries)
    one = geo.geocode_documents(items, workers=1)
    counted = dict(geo.seen_countries)
    geo.seen_countries = dict(before)
    two = geo.geocode_documents(items, workers=2)
    assert geo.seen_countries == counted and sum(counted.values()) > sum(before.values())
    flat = lambda out: [dataclasses.astuple(l) for cs in out for c in cs for l in c.locations]  # noqa: E731
    assert flat(one) == flat(two)
    assert {l.place_id for cs in two for c in cs for l in c.locations} >= {"gn:164437", "gn:2332"}


def test_a_batch_pauses_the_cycle_collector_and_leaves_it_as_it_was() -> None:
    import gc
    import threading

    from reckon.places.collector import collector_paused as _fewer_collections

    was = gc.isenabled()
    try:
        gc.enable()
        with _fewer_collections():
            assert not gc.isenabled()
            with _fewer_collections():  # nested (another thread's batch): the outer one re-enables
                pass
            assert not gc.isenabled()
        assert gc.isenabled()
        gc.disable()  # a caller that runs without it keeps it off
        with _fewer_collections():
            pass
        assert not gc.isenabled()
        gc.enable()
        inside = threading.Event()
        leave = threading.Event()

        def batch() -> None:
            with _fewer_collections():
                inside.set()
                leave.wait(5)

        t = threading.Thread(target=batch)
        t.start()
        inside.wait(5)
        with _fewer_collections():
            pass
        assert not gc.isenabled()  # the other thread's batch is still running
        leave.set()
        t.join()
        assert gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()


def test_spellings_that_fold_alike_resolve_alike_whatever_came_first(builtin) -> None:
    from reckon.places.geocoder import Geocoder

    spellings = ["Al-Mukhtariya", "al Mukhtariya", "Al-Mukhtareya"]
    text = "Gunmen killed villagers in {} near Jableh, Syria."
    outcomes = []
    for order in (spellings, spellings[::-1]):
        geo = Geocoder(builtin.indexes)
        got = {}
        for name in order:
            (loc,) = run(geo, text.format(name), name)
            got[name] = (loc.name, loc.status, loc.place_id, loc.admin1, loc.geo_score)
        outcomes.append(got)
    assert outcomes[0] == outcomes[1]
    assert {v[0] for v in outcomes[0].values()} == set(spellings)  # each keeps its own spelling


def test_reports_of_other_countries_are_only_a_mild_prior(builtin) -> None:
    """After many Ukrainian reports, one that names no country still finds its Syrian places."""
    builtin.seen_countries = {"UA": 40, "SD": 12}
    text = "Gunmen raided Jaramana on Tuesday; two men were killed near the As-Suwayda road."
    locs = run(builtin, text, "Jaramana")
    assert (locs[0].status, locs[0].country, locs[0].admin1) == ("resolved", "SY", "Rif Dimashq")


@pytest.mark.parametrize("country,code,expected", [
    ("CD", "11", "North Kivu"),  # "Nord-Kivu": English direction words
    ("SO", "08", "Middle Juba"),  # "Jubbada Dhexe"
    ("UA", "07", "Kharkiv"),  # "Kharkivska oblast": the English alias
    ("UA", "21", "Sumy"),  # "Sumska oblast"
    ("LY", "77", "Tripoli"),  # "Ţarābulus": the exonym
    ("SD", "39", "Gedaref"),  # a plain own name stays beside "Al Qadarif State"
    ("HT", "11", "Ouest"),  # no English name in use: the own one, not the Creole alias
    ("NG", "25", "Anambra"),  # beside "Udi State"
])
def test_admin1_names_are_the_ones_english_reports_use(country, code, expected) -> None:
    from reckon.places.gazetteer import admin_tables

    assert admin_tables().admin1[(country, code)] == expected


def test_a_name_placed_once_is_placed_everywhere_in_the_report(builtin) -> None:
    text = ("Troops attacked Boulkessi in the Mopti region. Fighting was also reported near Dioura in the "
            "Ségou region. On Sunday Boulkessi was shelled again.")
    locs = run(builtin, text, ("Boulkessi", "Mopti region"), ("Dioura", "Ségou region"), "Boulkessi")
    assert locs[2].status == "unresolved" and (locs[2].admin1, locs[2].geo_precision) == ("Mopti", 3)


def test_an_unknown_village_takes_the_area_the_report_is_about(builtin) -> None:
    text = ("Insurgents raided Macomia and Mocímboa da Praia. Troops were sent to Pemba and Chiure. "
            "Villagers fled Mbau. The government in Maputo said the situation was under control.")
    locs = run(builtin, text, "Macomia", "Mocímboa da Praia", "Pemba", "Chiure", "Mbau", "Maputo")
    assert [l.admin1 for l in locs[:4]] == ["Cabo Delgado"] * 4
    assert (locs[4].status, locs[4].admin1, locs[4].geo_precision) == ("unresolved", "Cabo Delgado", 3)


def test_the_country_of_the_places_joins_the_country_the_words_name(builtin) -> None:
    """A report that names only the attacker's country ("Russian drones") is about Ukrainian towns."""
    text = "Russian drones struck Kharkiv overnight. Drones also hit Bohodukhiv, damaging a school."
    kharkiv, town = run(builtin, text, "Kharkiv", "Bohodukhiv")
    assert (kharkiv.country, town.status, town.country, town.admin1) == ("UA", "resolved", "UA", "Kharkiv")

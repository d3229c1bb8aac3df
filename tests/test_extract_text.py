"""Cleaning, sentences, triggers, places, sources, enumerations, spans."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reckon.extract.actors import load_dictionary
from reckon.extract.attribution import find_reporters
from reckon.extract.enumerations import split_enumeration
from reckon.extract.events import find_triggers
from reckon.extract.locations import find_places, locations_for
from reckon.model import Document
from reckon.settings import Settings
from reckon.text.clean import blank_debris
from reckon.text.pipeline import default_pipeline
from reckon.text.sentences import split_sentences


def make_report(text: str, date: dt.date | None = dt.date(2025, 3, 12), doc: str = "t"):
    return default_pipeline(Settings.load()).report(Document(sha256="0" * 64, doc=doc, text=text, date=date))


def test_debris_is_blanked_and_offsets_kept():
    t = "Shelling hit Idlib.[16][18] Five died.[citation needed] Calm returned [of sorts]."
    w = blank_debris(t)
    assert len(w) == len(t) and "[16]" not in w and "[citation needed]" not in w and "[of sorts]" in w


def test_wire_datelines_are_blanked():
    w = blank_debris("GOMA, Congo (Reuters) - Fighting resumed near Sake on Monday.")
    assert w.lstrip().startswith("Fighting") and len(w) == len("GOMA, Congo (Reuters) - Fighting resumed near Sake on Monday.")


def test_sentences_respect_abbreviations_and_quotes():
    t = 'Gen. Hamdan said the U.S. plan failed. "We will fight," he said. Mr. Ali left at 5 p.m. on Monday. Then calm.'
    got = [t[s.start : s.end] for s in split_sentences(t)]
    assert got == ["Gen. Hamdan said the U.S. plan failed.", '"We will fight," he said.', "Mr. Ali left at 5 p.m. on Monday.", "Then calm."]


@pytest.mark.parametrize(
    "sentence,etype,sub",
    [
        ("Gunmen killed five villagers.", "violence_against_civilians", "attack"),
        ("An Israeli drone strike hit a car.", "explosions_remote_violence", "air_drone_strike"),
        ("Rebels clashed with the army near the town.", "battles", "armed_clash"),
        ("Thousands fled to the border.", "displacement", "displacement"),
        ("Activists organized a demonstration in the square.", "protests", "peaceful_protest"),
        ("A roadside bomb exploded near the convoy.", "explosions_remote_violence", "remote_explosive_landmine_ied"),
        ("Police arrested twenty students.", "strategic_developments", "arrests"),
        ("Gunmen abducted four aid workers.", "violence_against_civilians", "abduction_forced_disappearance"),
    ],
)
def test_triggers_and_types(sentence, etype, sub):
    trig = [t for t in find_triggers(sentence) if t.kind == "concrete"]
    assert trig and (trig[0].event_type, trig[0].sub_event_type) == (etype, sub)


@pytest.mark.parametrize(
    "sentence",
    [
        "The army will attack the town next week.",
        "Leaders threatened to kill anyone who resisted.",
        "It is a crime to kill civilians.",
    ],
)
def test_no_occurrence_no_concrete_trigger(sentence):
    assert [t for t in find_triggers(sentence) if t.kind == "concrete"] == []


def test_back_reference_is_anaphoric():
    (t,) = [x for x in find_triggers("Villagers tried to report the massacre to the police.") if x.text == "massacre"]
    assert t.kind == "anaphoric"


def test_places_with_introductions_and_admin_hints():
    s = "Twenty civilians were killed in Al-Shir and Qurfays in the Jableh countryside, and in the Al-Haffah district."
    locs = locations_for(s, 0)
    names = [l.name for l in locs]
    assert names[:2] == ["Al-Shir", "Qurfays"] and "Al-Haffah" in names
    assert locs[0].hint == "Jableh countryside"
    assert [l.kind for l in locs if l.name == "Al-Haffah"] == ["admin2"]


def test_places_exclude_people_months_and_organisations():
    s = "On Monday, Hamas said in a statement in March that the Syrian Observatory had counted victims in Gaza City."
    assert [p.name for p in find_places(s)] == ["Gaza City"]


@pytest.mark.parametrize("sentence,expected", [
    ("In Kramatorsk, a guided bomb hit an apartment block, wounding six people.", ["Kramatorsk"]),
    ("At Gao, gunmen on motorbikes attacked a checkpoint at dawn.", ["Gao"]),
    ("Near Tal Abyad, a car bomb killed three civilians.", ["Tal Abyad"]),
    ("In March, fighting spread across the region.", []),  # a month is not a place
    ("Thousands fled Mirebalais, the International Organization for Migration said.", ["Mirebalais"]),
    ("A unit of the Ministry of Defence entered Sweida.", ["Sweida"]),
])
def test_a_sentence_can_open_on_its_place(sentence, expected):
    assert [p.name for p in find_places(sentence)] == expected


def test_origin_is_not_the_location_of_a_flight():
    s = "Some 3,400 people have fled Um Sumeima and nearby villages for El Obeid."
    assert [l.name for l in locations_for(s, 0)] == ["El Obeid"]


def test_sources_are_read_and_canonicalised():
    dic = load_dictionary()
    got = lambda s: [n for n, _ in find_reporters(s, dic)]  # noqa: E731
    assert got("Five were killed, according to the Syrian Observatory for Human Rights.") == ["SOHR"]
    assert got("Lebanese lawmaker Sajih Attieh reported that thousands arrived.") == ["Sajih Attieh"]
    assert got("Two people died, a doctor at the hospital told AFP.") == ["a doctor at the hospital"] or got(
        "Two people died, a doctor at the hospital told AFP.") == ["doctor at the hospital"]
    assert got("Three civilians were reported killed.") == []
    assert got("He said the town was shelled.", ) == []
    assert [n for n, _ in find_reporters("He said the town was shelled.", dic, previous="OCHA")] == ["OCHA"]


def test_enumeration_splits_one_clause_over_places():
    s = "Twenty-four civilians in Al-Shir were killed by gunmen, twenty-two in Qurfays, and seven more in Beit Ana."
    parts = split_enumeration(s, 0)
    assert parts is not None and [s[p.start : p.end] for p, _ in parts] == [
        "Twenty-four civilians in Al-Shir were killed by gunmen", "twenty-two in Qurfays", "seven more in Beit Ana"]


def test_enumeration_claims_inherit_type_actor_and_source():
    rep = make_report("Twenty-four civilians in Al-Shir were killed by militiamen, twenty-two in Qurfays and seven in Beit Ana, activists said.")
    got = [(c.locations[0].name, c.fatalities.min, c.actor1, c.reported_by) for c in rep.claims]
    assert got == [("Al-Shir", 24, "militiamen", ("activists",)), ("Qurfays", 22, "militiamen", ("activists",)),
                   ("Beit Ana", 7, "militiamen", ("activists",))]


def test_places_without_figures_stay_one_claim():
    rep = make_report("Shelling hit Barmiya, Al-Hattaniyah and Al-Rumaylah on Sunday, SOHR said.")
    assert len(rep.claims) == 1 and [l.name for l in rep.claims[0].locations] == ["Barmiya", "Al-Hattaniyah", "Al-Rumaylah"]
    assert rep.claims[0].date_start == dt.date(2025, 3, 9)


def test_cumulative_statistics_are_not_claims():
    rep = make_report("The war, which erupted in April 2023, has killed tens of thousands of people across Sudan.")
    assert rep.claims == []


def test_every_field_points_at_its_source():
    text = ("BAMAKO (AFP) - Suspected jihadists killed at least 12 soldiers in an ambush near Boulkessi on Sunday, "
            "the army said. Five days later, the same group abducted a mayor.")
    rep = make_report(text)
    c = rep.claims[0]
    assert c.fatalities.min == 12 and c.quote.startswith("Suspected jihadists")
    assert text[c.spans["fatalities"][0].start : c.spans["fatalities"][0].end].startswith("at least 12")
    assert text[c.spans["locations"][0].start : c.spans["locations"][0].end] == "Boulkessi"
    assert text[c.spans["date"][0].start : c.spans["date"][0].end].endswith("Sunday")
    assert c.event_type == "battles"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from([
    "Gunmen killed 12 villagers in Tell Abyad on Sunday.", "The army said 5 soldiers died near Kidal.",
    "[12] Thousands fled to Goma, OCHA said.", "Prices rose again.", "Protesters marched in Jos on 3 May.",
    "Twenty in Hurum, ten in Mangor and six in Darwat were killed.", "“We are afraid,” she said.", "\n\n",
    "Shelling hit Kharkiv overnight, killing three.", "A list of 40 names was released by locals.",
]), min_size=1, max_size=8), st.text(alphabet=" .,;:-\n[]()\"'", max_size=5))
def test_spans_always_inside_the_text_and_quotes_are_slices(parts, noise):
    text = noise.join(parts)
    rep = make_report(text)
    for c in rep.claims:
        assert 0 <= c.quote_span.start < c.quote_span.end <= len(text)
        assert c.quote == text[c.quote_span.start : c.quote_span.end]
        for spans in c.spans.values():
            for sp in spans:
                assert 0 <= sp.start <= sp.end <= len(text)
        for loc in c.locations:
            assert loc.span is None or text[loc.span.start : loc.span.end] == loc.name


def test_installed_spacy_model_is_the_pinned_one():
    from reckon.extract.spacy_places import MODEL_SHA256, model_fingerprint

    assert model_fingerprint() == MODEL_SHA256


@pytest.mark.parametrize(
    "text,killed",
    [
        ("In Tibu, ELN fighters killed social leader Carmelo Guerrero and five members of his family on Tuesday.", 6),
        ("In Deir ez-Zor, unidentified gunmen shot dead a man and his son near the market on Saturday.", 2),
        ("An airstrike killed 12 people and wounded 30 in Kabkabiya on Saturday.", 12),
    ],
)
def test_people_listed_together_are_summed(text, killed):
    (c,) = make_report(text).claims
    assert c.fatalities.min == killed


@pytest.mark.parametrize("text,actor1,actor2", [
    ("Unidentified gunmen killed a school guard in Kaura Namoda on Friday, police said.", "Unidentified gunmen", None),
    ("Armed youths from Jonglei killed at least 27 people in a raid on Gumuruk.", "Armed youths from Jonglei", "people"),
    ("A mob set fire to a dozen houses in Jiribam town on Saturday night.", "A mob", None),
    ("Protesters ransacked the homes of three legislators in Imphal on Saturday.", "Protesters", None),
    ("Fighting between the army and the White Army militia around Nasir killed 20 people.", "the army",
     "the White Army militia"),
    ("Israel said it hit militants. An Israeli drone strike on a car in Nabatieh killed two people.", "Israel", None),
    ("A junta airstrike on Kyauk Aing village killed nine people on Sunday.", "junta", None),
])
def test_actors_in_common_phrasings(text, actor1, actor2):
    """Subjects described by words in -ed, crowds that open their trigger, both sides of a battle, and
    the owner of a strike (a nationality becomes its state when the report names the state)."""
    claim = make_report(text).claims[-1]
    assert claim.actor1 == actor1
    if actor2 is not None:
        assert claim.actor2 == actor2
    if claim.actor1 == "Israel":
        assert text[claim.spans["actor1"][0].start : claim.spans["actor1"][0].end] == "Israeli"

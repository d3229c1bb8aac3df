"""Counts: number words, qualifiers and roles."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reckon.extract.counts import find_counts, parse_count, parse_number
from reckon.model import Count


@pytest.mark.parametrize(
    "text,expected",
    [
        ("38", (38, 38)),
        ("thirty-eight", (38, 38)),
        ("Twenty-four", (24, 24)),
        ("10,000", (10000, 10000)),
        ("1.5 million", (1_500_000, 1_500_000)),
        ("a hundred", (100, 100)),
        ("two hundred and fifty", (250, 250)),
        ("at least 12", (12, None)),
        ("more than 300", (300, None)),
        ("over fifty", (50, None)),
        ("up to 40", (0, 40)),
        ("fewer than 10", (0, 10)),
        ("as many as 40,000", (0, 40000)),
        ("nearly 700", (700, 700)),
        ("around 30", (30, 30)),
        ("some 3,000", (3000, 3000)),
        ("between 5 and 7", (5, 7)),
        ("5-7", (5, 7)),
        ("dozens", (24, None)),
        ("scores", (40, None)),
        ("hundreds", (200, None)),
        ("thousands", (2000, None)),
        ("tens of thousands", (20000, None)),
        ("several", (3, None)),
        ("a few", (2, None)),
        ("a dozen", (12, 12)),
        ("two dozen", (24, 24)),
        ("at least two dozen", (24, None)),
        ("could exceed 100", (100, None)),
        ("20+", (20, None)),
    ],
)
def test_parse_count(text, expected):
    assert parse_count(text) == Count(*expected)


def test_parse_count_rejects_non_numbers():
    assert parse_count("many villages burned") is None
    assert parse_number("dozen-ish") is None


@pytest.mark.parametrize(
    "sentence,expected",
    [
        ("Gunmen killed at least 12 villagers and wounded 20 others.", [("at least 12", "fatalities"), ("20", "injured")]),
        ("Thirty-eight civilians were executed in the village.", [("Thirty-eight", "fatalities")]),
        ("More than 3,500 people fled to the town.", [("More than 3,500", "displaced")]),
        ("Police arrested 23 people in a raid.", [("23", "arrested")]),
        ("killing one protester and wounding at least 14, a medic said", [("one", "fatalities"), ("at least 14", "injured")]),
        ("A landmine killed two children herding goats.", [("two", "fatalities")]),
    ],
)
def test_find_counts_assigns_roles(sentence, expected):
    got = [(sentence[c.span.start : c.span.end], c.role) for c in find_counts(sentence)]
    assert got == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The attackers arrived on dozens of motorcycles.",
        "Israeli jets struck three border crossings on Monday.",
        "The 25-year-old man was found in 2019 near kilometre 45.",
        "On 14 January 2025, five villages were burned.",
        "Several protesters said it is a crime to kill civilians.",
    ],
)
def test_find_counts_ignores_things_and_dates(sentence):
    assert [c for c in find_counts(sentence) if c.role] == []


@given(st.text(max_size=200))
def test_parse_count_never_crashes_and_ranges_are_ordered(text):
    c = parse_count(text)
    assert c is None or (c.max is None or c.min <= c.max)


@given(st.integers(min_value=0, max_value=10**7))
def test_digits_round_trip(n):
    assert parse_count(f"{n:,}") == Count(n, n)
    assert parse_count(f"at least {n}") == Count(n, None)

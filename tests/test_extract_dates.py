"""Dates: full, partial, relative, ranges, and reporting dates that are not event dates."""

from __future__ import annotations

import datetime as dt

import pytest

from reckon.extract.dates import parse_dates

D = dt.date
ANCHOR = D(2025, 3, 12)  # a Wednesday


def first(text, anchor=ANCHOR, year_hint=None, previous=None):
    found = parse_dates(text, anchor, year_hint, previous)
    return (found[0].start, found[0].end) if found else None


@pytest.mark.parametrize(
    "text,expected",
    [
        ("On 14 January 2025, gunmen attacked", (D(2025, 1, 14), D(2025, 1, 14))),
        ("on March 9, 2024, protesters", (D(2024, 3, 9), D(2024, 3, 9))),
        ("on the evening of 6 March", (D(2025, 3, 6), D(2025, 3, 6))),
        ("By the early hours of 8 March, thirty-eight", (D(2025, 3, 8), D(2025, 3, 8))),
        ("between 6 and 8 March", (D(2025, 3, 6), D(2025, 3, 8))),
        ("from 28 February to 2 March", (D(2025, 2, 28), D(2025, 3, 2))),
        ("on Friday", (D(2025, 3, 7), D(2025, 3, 7))),
        ("on Wednesday", (D(2025, 3, 12), D(2025, 3, 12))),
        ("yesterday", (D(2025, 3, 11), D(2025, 3, 11))),
        ("in the past 24 hours", (D(2025, 3, 11), D(2025, 3, 12))),
        ("over the past three days", (D(2025, 3, 10), D(2025, 3, 12))),
        ("over the weekend", (D(2025, 3, 8), D(2025, 3, 9))),
        ("since Thursday", (D(2025, 3, 6), D(2025, 3, 12))),
        ("since 27 February", (D(2025, 2, 27), D(2025, 3, 12))),
        ("As of 4 March, 350,000 people", (None, D(2025, 3, 4))),
        ("on Sunday night and overnight", (D(2025, 3, 9), D(2025, 3, 10))),
    ],
)
def test_event_dates(text, expected):
    assert first(text) == expected


@pytest.mark.parametrize("text", ["last month", "in May", "earlier this week", "in recent weeks"])
def test_vague_references_give_no_date(text):
    assert first(text) is None


def test_reporting_date_is_not_the_event_date():
    assert first("SOHR said on Wednesday that five people were killed on Monday") == (D(2025, 3, 10), D(2025, 3, 10))
    assert first("The ministry said on Tuesday that the toll had risen") is None


def test_partial_date_takes_the_year_hint_without_a_document_date():
    assert first("On 9 March, activists marched", anchor=None, year_hint=2025) == (D(2025, 3, 9), D(2025, 3, 9))
    assert first("On 9 March, activists marched", anchor=None, year_hint=None) is None


def test_december_in_a_january_report_is_last_year():
    assert first("on 28 December", anchor=D(2025, 1, 3)) == (D(2024, 12, 28), D(2024, 12, 28))


def test_same_day_refers_back():
    prev = (D(2025, 3, 1), D(2025, 3, 1))
    assert first("The same day, two suspects were arrested", previous=prev) == prev
    assert first("The next day, shelling resumed", previous=prev) == (D(2025, 3, 2), D(2025, 3, 2))
    assert first("The same day, two suspects were arrested", previous=None) is None


def test_overnight_on_a_day_runs_into_the_next():
    assert first("clashed on the front overnight on Saturday", anchor=D(2025, 5, 26)) == (D(2025, 5, 24), D(2025, 5, 25))
    assert first("a drone attack on the city overnight into Monday", anchor=D(2025, 5, 26)) == (D(2025, 5, 25), D(2025, 5, 26))

"""A claim's sentence in context, cut into highlighted segments (reckon.web.context)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reckon.model import Span
from reckon.web.context import segments


def test_segments_mark_the_spans_that_cover_them():
    text = "Shelling killed 4 in Douma."
    segs = segments(text, Span(0, len(text)), {"fatalities": [Span(9, 17)], "location": [Span(21, 26)]})
    marked = {s.text: s.fields for s in segs if s.fields}
    assert marked == {"killed 4": ("fatalities",), "Douma": ("location",)}


def test_overlapping_spans_give_both_fields():
    text = "abcdef"
    segs = segments(text, Span(0, 6), {"a": [Span(0, 4)], "b": [Span(2, 6)]})
    assert [(s.text, s.fields) for s in segs] == [("ab", ("a",)), ("cd", ("a", "b")), ("ef", ("b",))]


def test_spans_outside_the_window_are_clipped():
    segs = segments("0123456789", Span(3, 7), {"x": [Span(0, 5)]})
    assert [(s.text, s.fields) for s in segs] == [("34", ("x",)), ("56", ())]


def test_sentence_boundaries_are_marked():
    segs = segments("One. Two. Three.", Span(0, 16), {}, sentence=Span(5, 9))
    assert [(s.text, s.in_sentence) for s in segs] == [("One. ", False), ("Two.", True), (" Three.", False)]


@given(
    text=st.text(max_size=60),
    marks=st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(0, 70), st.integers(0, 70)), max_size=6),
    window=st.tuples(st.integers(0, 70), st.integers(0, 70)),
)
def test_segments_join_back_to_the_window(text, marks, window):
    a, b = sorted(window)
    spans: dict[str, list[Span]] = {}
    for name, x, y in marks:
        spans.setdefault(name, []).append(Span(*sorted((x, y))))
    segs = segments(text, Span(a, b), spans)
    assert "".join(s.text for s in segs) == text[a:b]
    assert all(s.text for s in segs)

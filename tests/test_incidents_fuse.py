"""Fused figures: low / best / high, the rule and the claims behind each, conflicts, sources."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reckon.incidents.fuse import SourceValue, fuse_figure, point_value, source_name, time_precision

pytestmark = pytest.mark.issue(4)


def sv(claim: int, source: str, lo: int, hi: int | None) -> SourceValue:
    return SourceValue(claim, f"k{claim}", source, lo, hi)


def test_point_value_of_exact_range_floor_and_ceiling():
    assert point_value(38, 38) == 38
    assert point_value(20, 30) == 25
    assert point_value(24, None) == 24
    assert point_value(0, 40) == 40


def test_fuse_three_sources_low_best_high():
    fig = fuse_figure([sv(1, "monitor", 38, 38), sv(2, "wire", 24, None), sv(3, "inquiry", 149, 149)])
    assert (fig.low, fig.best, fig.high) == (24, 38, 149)
    assert fig.low_claims == (2,) and fig.best_claims == (1,) and fig.high_claims == (3,)
    assert fig.sources == 3


def test_open_ended_figures_are_floors_not_best_estimates():
    fig = fuse_figure([sv(1, "a", 21, None), sv(2, "b", 27, 27)])
    assert fig.best == 27
    assert "floors" in fig.rule


def test_only_open_ended_figures_give_the_median_floor():
    fig = fuse_figure([sv(1, "a", 21, None), sv(2, "b", 30, None), sv(3, "c", 24, None)])
    assert (fig.low, fig.best, fig.high) == (21, 24, 30)


def test_one_source_counts_once_with_its_highest_figure():
    fig = fuse_figure([sv(1, "outlet", 5, 5), sv(2, "outlet", 6, 6)])
    assert (fig.low, fig.best, fig.high, fig.sources) == (6, 6, 6, 1)
    assert fig.values[0].claim_id == 2


def test_even_number_of_sources_takes_lower_median():
    fig = fuse_figure([sv(1, "a", 11, 11), sv(2, "b", 12, 12)])
    assert fig.best == 11 and "lower median" in fig.rule


def test_disjoint_ranges_conflict():
    fig = fuse_figure([sv(1, "a", 38, 38), sv(2, "b", 149, 149)])
    assert fig.conflict and fig.conflicting == (1, 2)


def test_floor_below_exact_figure_is_no_conflict():
    fig = fuse_figure([sv(1, "a", 24, None), sv(2, "b", 38, 38)])
    assert not fig.conflict


@pytest.mark.parametrize("rule,best", [("min", 10), ("max", 30), ("mean", 20), ("median", 20)])
def test_best_rules(rule, best):
    fig = fuse_figure([sv(1, "a", 10, 10), sv(2, "b", 20, 20), sv(3, "c", 30, 30)], rule)
    assert fig.best == best


def test_no_values_no_figure():
    assert fuse_figure([]) is None


counts = st.tuples(st.integers(0, 10_000), st.one_of(st.none(), st.integers(0, 10_000))).map(
    lambda t: (t[0], None if t[1] is None else t[0] + t[1]))


@given(st.lists(st.tuples(st.sampled_from("abcde"), counts), min_size=1, max_size=8),
       st.sampled_from(["median", "min", "max", "mean"]))
def test_low_best_high_are_ordered_and_traceable(items, rule):
    vals = [sv(i, s, lo, hi) for i, (s, (lo, hi)) in enumerate(items)]
    fig = fuse_figure(vals, rule)
    assert fig is not None
    assert fig.low <= fig.best <= fig.high
    assert fig.low_claims and fig.high_claims and fig.best_claims
    assert fig.sources == len({s for s, _ in items})


def test_named_reporter_is_one_source_across_documents():
    assert source_name(["SOHR"], "site-a.org") == source_name(["SOHR"], "site-b.org")


def test_generic_reporter_is_scoped_to_its_document_source():
    assert source_name(["activists"], "site-a.org") != source_name(["activists"], "site-b.org")


def test_unattributed_claim_is_its_document_source():
    assert source_name([], "site-a.org") == "site-a.org"


def test_time_precision():
    d = dt.date(2025, 3, 3)
    assert time_precision(d, d) == 1
    assert time_precision(d, d + dt.timedelta(days=3)) == 2
    assert time_precision(None, d) == 3


def test_best_rule_comes_from_settings(tmp_path):
    import reckon
    from reckon.settings import Settings

    from incidents_support import load_corpus

    with reckon.open(tmp_path / "s.db", settings=Settings.load(incident_best_rule="min")) as r:
        assert r.incidents.options.best_rule == "min"
        load_corpus(r, ["arzah_monitor", "arzah_state_media", "arzah_investigation"])
        r.incidents.resolve()
        assert r.incidents(min_fatalities=1).page()[0]["fatalities"] == {"low": 12, "best": 12, "high": 149}

"""The latent-class sampler: reproducibility, convergence checks, agreement with R's LCMCR."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from conftest import SHARED
from reckon.estimates import lcmcr
from reckon.estimates.io import from_frame, read_table

MSE = SHARED / "data" / "mse"


def small_table():
    rows = [((0, 0, 1), 40), ((0, 1, 0), 35), ((0, 1, 1), 12), ((1, 0, 0), 50),
            ((1, 0, 1), 15), ((1, 1, 0), 14), ((1, 1, 1), 6)]
    df = pd.DataFrame([list(p) + [n] for p, n in rows], columns=["a", "b", "c", "count"])
    return from_frame(df)[0]


def mse_table(name: str):
    path = MSE / f"{name}.csv"
    if not path.exists():
        pytest.skip(f"reference data {path} not present (it sits beside the repository in ../shared)")
    return read_table(path)[0]


def r_long_chain(dataset: str) -> tuple[float, float, float]:
    path = MSE / "reference_estimates.csv"
    if not path.exists():
        pytest.skip(f"reference results {path} not present")
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["dataset"] == dataset and row["package"] == "LCMCR" and "long chain" in row["method"]:
                return float(row["estimate"]), float(row["lower"]), float(row["upper"])
    raise AssertionError(f"no LCMCR long-chain row for {dataset}")


QUICK = dict(burn_in=500, iterations=2000, thinning=10, chains=2)


def test_same_seed_gives_the_same_draws():
    a = lcmcr.sample(small_table(), seed=7, **QUICK)
    b = lcmcr.sample(small_table(), seed=7, **QUICK)
    assert np.array_equal(a.draws, b.draws)


def test_different_seeds_give_different_draws():
    a = lcmcr.sample(small_table(), seed=7, **QUICK)
    b = lcmcr.sample(small_table(), seed=8, **QUICK)
    assert not np.array_equal(a.draws, b.draws)


def test_draws_never_fall_below_the_observed_count():
    post = lcmcr.sample(small_table(), seed=1, **QUICK)
    assert post.draws.shape == (2, 200)
    assert post.draws.min() >= post.observed == 172


def test_numpy_engine_is_reproducible_and_plausible():
    a = lcmcr.sample(small_table(), seed=3, engine="numpy", **QUICK)
    b = lcmcr.sample(small_table(), seed=3, engine="numpy", **QUICK)
    assert np.array_equal(a.draws, b.draws)
    assert 172 < a.median < 400


def test_engines_agree_in_distribution():
    kw = dict(burn_in=1000, iterations=20000, thinning=10, chains=2)
    a = lcmcr.sample(small_table(), seed=3, engine="numpy", **kw)
    b = lcmcr.sample(small_table(), seed=3, engine="numba", **kw)
    assert a.median == pytest.approx(b.median, rel=0.05)


def test_fewer_than_three_lists_is_refused():
    df = pd.DataFrame({"a": [1, 0, 1], "b": [0, 1, 1], "count": [5, 6, 2]})
    with pytest.raises(ValueError, match="at least 3 lists"):
        lcmcr.sample(from_frame(df)[0], seed=1)


def test_short_run_is_flagged_as_rough():
    post = lcmcr.sample(small_table(), seed=1, burn_in=10, iterations=40, thinning=1, chains=2)
    assert any("effective draws" in w for w in post.warnings)


def test_split_rhat_is_one_for_mixed_chains_and_large_for_separated_ones():
    rng = np.random.default_rng(0)
    mixed = rng.normal(size=(2, 2000))
    assert lcmcr.split_rhat(mixed) == pytest.approx(1.0, abs=0.01)
    apart = np.vstack([rng.normal(0, 1, 2000), rng.normal(5, 1, 2000)])
    assert lcmcr.split_rhat(apart) > 1.5


def test_effective_sample_size_shrinks_with_autocorrelation():
    rng = np.random.default_rng(0)
    iid = rng.normal(size=4000)
    ar = np.empty(4000)
    ar[0] = 0
    for i in range(1, 4000):
        ar[i] = 0.9 * ar[i - 1] + rng.normal()
    assert lcmcr.effective_sample_size(iid[None, :]) > 3000
    assert lcmcr.effective_sample_size(ar[None, :]) < 600


def test_spina_bifida_agrees_with_r():
    med, lo, hi = r_long_chain("spina_bifida_3list")
    post = lcmcr.sample(mse_table("spina_bifida_3list"), seed=2024, chains=2)
    assert post.median == pytest.approx(med, rel=0.03)
    assert post.interval()[0] == pytest.approx(lo, rel=0.05)
    assert post.interval()[1] == pytest.approx(hi, rel=0.05)


def test_kosovo_agrees_with_r_lcmcr():
    """R's documented settings (K=10, a=b=0.25, burn-in 10,000, thinning 100), eight chains of 1,000 draws.

    One chain of 1,000 draws has about 8% Monte-Carlo spread in the upper end (as R's own runs do),
    so the comparison pools eight chains (about 5 s on two cores).
    """
    med, lo, hi = r_long_chain("kosovo")  # R: 10,375 (8,949 - 13,689) over 2.01 million iterations
    post = lcmcr.sample(mse_table("kosovo"), k=10, a_alpha=0.25, b_alpha=0.25, burn_in=10_000,
                        iterations=100_000, thinning=100, chains=8, seed=20261124)
    assert post.median == pytest.approx(med, rel=0.03)
    assert post.interval()[0] == pytest.approx(lo, rel=0.05)
    assert post.interval()[1] == pytest.approx(hi, rel=0.05)
    assert post.warnings == ()

"""Log-linear models: closed forms, a direct GLM fit, and R's Rcapture results."""

from __future__ import annotations

import csv
import math

import numpy as np
import pandas as pd
import pytest
from scipy import optimize

from reckon.estimates import loglinear as ll
from reckon.estimates.io import from_frame, read_table

from conftest import SHARED

MSE = SHARED / "data" / "mse"


def table(rows: list[tuple[tuple[int, ...], int]]):
    k = len(rows[0][0])
    df = pd.DataFrame([list(p) + [n] for p, n in rows], columns=[f"list{j + 1}" for j in range(k)] + ["count"])
    return from_frame(df)[0]


def mse_table(name: str):
    path = MSE / f"{name}.csv"
    if not path.exists():
        pytest.skip(f"reference data {path} not present (it sits beside the repository in ../shared)")
    return read_table(path)[0]


def rcapture(dataset: str, method_prefix: str) -> dict[str, str]:
    path = MSE / "reference_estimates.csv"
    if not path.exists():
        pytest.skip(f"reference results {path} not present")
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["dataset"] == dataset and row["package"] == "Rcapture" and row["method"].startswith(method_prefix):
                return row
    raise AssertionError(f"no Rcapture row for {dataset} {method_prefix}")


def test_two_lists_independence_is_lincoln_petersen():
    t = table([((1, 0), 60), ((0, 1), 30), ((1, 1), 20)])
    fit = ll.fit(t).independence()
    assert fit.estimate == pytest.approx(ll.lincoln_petersen(80, 50, 20), rel=1e-8)
    assert fit.estimate == pytest.approx(200.0, rel=1e-8)


def test_chapman_matches_its_formula():
    est, lo, hi = ll.chapman(80, 50, 20)
    assert est == pytest.approx(81 * 51 / 21 - 1)
    assert lo < est < hi and lo >= 110


def test_two_lists_sharing_nobody_is_not_estimable():
    t = table([((1, 0), 60), ((0, 1), 30)])
    fit = ll.fit(t).independence()
    assert not fit.estimable
    assert ll.lincoln_petersen(60, 30, 0) == math.inf


def test_three_list_independence_solves_darrochs_equation():
    t = table([((0, 0, 1), 40), ((0, 1, 0), 35), ((0, 1, 1), 12), ((1, 0, 0), 50),
               ((1, 0, 1), 15), ((1, 1, 0), 14), ((1, 1, 1), 6)])
    n, totals = t.observed, list(t.list_totals().values())
    # the independence MLE satisfies 1 - n/N = prod_j (1 - n_j/N)
    closed = optimize.brentq(lambda N: (1 - n / N) - np.prod([1 - m / N for m in totals]), n + 1e-6, 1e6)
    assert ll.fit(t).independence().estimate == pytest.approx(closed, rel=1e-6)


def test_fit_matches_a_direct_formula_glm_of_the_same_design():
    import statsmodels.formula.api as smf
    import statsmodels.api as sm

    t = table([((0, 0, 1), 40), ((0, 1, 0), 35), ((0, 1, 1), 12), ((1, 0, 0), 50),
               ((1, 0, 1), 15), ((1, 1, 0), 14), ((1, 1, 1), 6)])
    direct = smf.glm("count ~ list1 * list2 + list3", data=t.to_frame(), family=sm.families.Poisson()).fit()
    ours = ll.fit_model(t, ll.parse_model("[12,3]", 3))
    assert ours.missing == pytest.approx(math.exp(direct.params["Intercept"]), rel=1e-8)
    assert ours.aic == pytest.approx(direct.aic, rel=1e-8)
    assert ours.deviance == pytest.approx(direct.deviance, abs=1e-8)


def test_hierarchical_model_counts_match_rcapture():
    assert len(ll.hierarchical_models(3)) == 8
    assert len(ll.hierarchical_models(4)) == 113


def test_model_names_round_trip():
    m = ll.parse_model("[123,14,34]", 4)
    assert m.name == "[123,14,34]"
    assert (0, 1) in m.terms and (0, 1, 2) in m.terms and (1, 3) not in m.terms


def test_kosovo_bic_best_model_and_estimate_match_rcapture():
    sel = ll.fit(mse_table("kosovo"))
    best = sel.best("bic")
    ref = rcapture("kosovo", "closedpMS.t hierarchical log-linear, best BIC")
    assert best.model.name == ref["model"] == "[123,14,34]"
    assert best.estimate == pytest.approx(10356.519, abs=0.01)
    assert best.se == pytest.approx(785.902, abs=0.01)
    assert best.bic == pytest.approx(203.0296, abs=1e-3)
    assert best.aic == pytest.approx(132.7467, abs=1e-3)


def test_kosovo_profile_interval_matches_rcapture():
    best = ll.fit_model(mse_table("kosovo"), ll.parse_model("[123,14,34]", 4))
    ref = rcapture("kosovo", "closedpMS.t hierarchical log-linear, best BIC")
    prof = best.profile()
    assert prof.estimate == pytest.approx(float(ref["estimate"]), abs=0.5)
    assert prof.lower == pytest.approx(float(ref["lower"]), abs=0.5)
    assert prof.upper == pytest.approx(float(ref["upper"]), abs=0.5)


def test_kosovo_lognormal_interval_matches_rcapture_note():
    best = ll.fit_model(mse_table("kosovo"), ll.parse_model("[123,14,34]", 4))
    lo, hi = best.lognormal_interval()
    assert (round(lo), round(hi)) == (9004, 12106)


@pytest.mark.parametrize("dataset", ["hiv_rome", "lesbian_allegheny", "spina_bifida_3list"])
def test_best_bic_and_aic_models_match_rcapture(dataset):
    sel = ll.fit(mse_table(dataset))
    for crit in ("bic", "aic"):
        ref = rcapture(dataset, f"closedpMS.t hierarchical log-linear, best {crit.upper()}")
        best = sel.best(crit)
        assert ll.parse_model(best.model.name, best.model.k) == ll.parse_model(ref["model"], best.model.k)
        prof = best.profile()
        assert prof.estimate == pytest.approx(float(ref["estimate"]), rel=1e-4)
        assert prof.lower == pytest.approx(float(ref["lower"]), rel=1e-4)
        assert prof.upper == pytest.approx(float(ref["upper"]), rel=1e-4)


def test_hiv_independence_is_rcapture_mt():
    fit = ll.fit(mse_table("hiv_rome")).independence()
    assert fit.estimate == pytest.approx(11124.578, abs=0.01)


def test_average_interval_covers_the_weighted_models():
    sel = ll.fit(mse_table("kosovo"))
    avg = ll.average(sel, "aic")
    assert sum(avg.weights.values()) == pytest.approx(1.0, abs=1e-3)
    assert avg.lower < sel.best("aic").estimate < avg.upper
    assert avg.lower > sel.table.observed


def test_six_lists_use_the_forward_search_and_keep_the_independence_model():
    t = mse_table("snowshoe_hare")
    sel = ll.fit(t)
    assert len(sel.fits) < 200
    assert sel.independence().estimate == pytest.approx(75.066, abs=0.01)  # Rcapture Mt
    assert sel.best("bic").bic <= sel.independence().bic


@pytest.mark.slow  # 1,024 GLM fits: 6-18 s
def test_five_lists_bic_best_two_way_model_matches_rcapture():
    sel = ll.fit(mse_table("madigan_york_5list"))
    assert len(sel.fits) == 1024
    best = sel.best("bic")
    assert best.model.name == "[12,13,45]"
    assert best.estimate == pytest.approx(620.470, abs=0.01)

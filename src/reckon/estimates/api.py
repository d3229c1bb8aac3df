"""Estimates namespace of the API (``r.estimates``): how many people the lists missed.

    >>> ests = r.estimates.run(strata=["sex"], seed=1)      # the linked victims' overlap table
    >>> ests = r.estimates.run("kosovo.csv", seed=1)         # or a table of your own
    >>> [(e.stratum, e.model, e.estimate, e.lower, e.upper) for e in ests]
    >>> r.estimates.plot(ests, "estimates.png")

Every run is recorded (``r.runs("estimate")``) with its settings, seed and
results; :meth:`EstimatesAPI.latest` gives the last run's estimates back.
:func:`estimate` does the same work on capture tables without a database.

Models, one row each per stratum:

``loglinear-bic`` / ``loglinear-aic``
    the hierarchical log-linear model with the lowest BIC / AIC; Poisson-GLM
    estimate, 95% multinomial profile-likelihood interval.
``loglinear-avg``
    Akaike-weighted average over all estimable log-linear models, with an
    interval that includes model-choice uncertainty.
``chapman``
    two lists only: Chapman's estimate with a log-normal interval.
``lcmcr``
    the Bayesian latent-class model; posterior median and 95% equal-tailed
    credible interval.

With strata, a ``total`` row per model adds the strata up (LCMCR: the sum of
the strata's posterior draws; log-linear: estimates added, variances added on
the log-normal scale of each stratum's interval).
"""

from __future__ import annotations

import datetime as dt
import math
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

import numpy as np

from ..errors import InputError, ReckonError
from . import strata as _strata
from .io import CaptureTable, from_frame, read_table

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..api import Reckon
    from .lcmcr import Posterior

__all__ = ["Estimate", "EstimatesAPI", "estimate", "MODELS", "to_tables"]

#: what ``models=`` accepts; "all" means every one of them
MODELS = ("loglinear", "lcmcr")
#: an estimate this many times the observed count gets a warning
MAX_RATIO = 5.0
#: AIC- and BIC-chosen estimates further apart than this (relative) get a warning
MAX_DISAGREEMENT = 0.2


@dataclass(frozen=True)
class Estimate:
    """One model's estimate of the total for one stratum (or the total over strata).

    ``estimate``/``lower``/``upper`` are None when the data cannot support an
    estimate; ``upper`` is ``inf`` when nothing bounds it (JSON: null). The
    reasons are in ``warnings``, which every output shows.
    """

    stratum: str
    model: str
    observed: int
    estimate: float | None
    lower: float | None
    upper: float | None
    warnings: tuple[str, ...] = ()
    stratum_values: dict[str, Any] = field(default_factory=dict)
    detail: str = ""
    interval: str = ""
    lists: tuple[str, ...] = ()
    diagnostics: dict[str, Any] = field(default_factory=dict)

    @property
    def is_total(self) -> bool:
        return self.stratum.startswith("total")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: non-finite numbers become null."""

        def num(x: float | None) -> float | None:
            if x is None or not math.isfinite(x):
                return None
            return round(float(x), 2)

        return {
            "stratum": self.stratum, "model": self.model, "observed": self.observed,
            "estimate": num(self.estimate), "lower": num(self.lower), "upper": num(self.upper),
            "warnings": list(self.warnings), "stratum_values": dict(self.stratum_values), "detail": self.detail,
            "interval": self.interval, "lists": list(self.lists), "diagnostics": _jsonable(self.diagnostics),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Estimate":
        upper = d.get("upper")
        if upper is None and d.get("estimate") is not None:
            upper = float("inf")
        return cls(
            stratum=d["stratum"], model=d["model"], observed=int(d["observed"]), estimate=d.get("estimate"),
            lower=d.get("lower"), upper=upper, warnings=tuple(d.get("warnings", ())),
            stratum_values=dict(d.get("stratum_values", {})), detail=d.get("detail", ""),
            interval=d.get("interval", ""), lists=tuple(d.get("lists", ())), diagnostics=dict(d.get("diagnostics", {})),
        )

    def __repr__(self) -> str:
        if self.estimate is None:
            return f"<Estimate {self.stratum} {self.model}: none ({len(self.warnings)} warning(s))>"
        return (f"<Estimate {self.stratum} {self.model}: {self.estimate:,.0f} "
                f"({self.lower:,.0f}-{self.upper:,.0f}), observed {self.observed:,}>")


def _jsonable(v: Any) -> Any:
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, (np.floating, float)):
        return float(v) if math.isfinite(v) else None
    if isinstance(v, np.integer):
        return int(v)
    return v


# -- tables in -----------------------------------------------------------------

TableLike = "pd.DataFrame | str | os.PathLike[str] | Sequence[CaptureTable] | None"


def to_tables(table: Any, strata: Sequence[str] = ()) -> list[CaptureTable]:
    """Capture tables from a CSV path, a DataFrame or already-built tables."""
    if isinstance(table, (str, os.PathLike)):
        return read_table(table, strata)
    if isinstance(table, CaptureTable):
        return [table]
    if isinstance(table, (list, tuple)) and all(isinstance(t, CaptureTable) for t in table):
        return list(table)
    if hasattr(table, "columns") and hasattr(table, "itertuples"):
        return from_frame(table, strata)
    raise InputError(f"cannot read a capture table from {type(table).__name__}",
                     hint="give a CSV path, a DataFrame (list columns + count) or CaptureTables")


# -- the work ------------------------------------------------------------------------

def estimate(
    tables: Sequence[CaptureTable],
    *,
    models: Iterable[str] = MODELS,
    seed: int | None = None,
    iterations: int = 100_000,
    burn_in: int = 10_000,
    thinning: int = 100,
    chains: int = 2,
    k: int = 10,
    max_order: int | None = None,
    level: float = 0.95,
) -> list[Estimate]:
    """Estimate the total for each capture table (stratum), and their sum when there are several.

    ``models`` holds ``"loglinear"``, ``"lcmcr"`` or ``"all"``. LCMCR runs
    ``chains`` chains of ``burn_in + iterations`` Gibbs iterations each,
    keeping every ``thinning``-th draw; stratum ``i`` uses seed ``seed + i``.
    """
    wanted = _models(models)
    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0] % 2**31)
    rows: list[Estimate] = []
    per_model: dict[str, list[tuple[CaptureTable, Estimate]]] = {}
    posteriors: list[tuple[CaptureTable, "Posterior | None"]] = []
    for i, table in enumerate(tables):
        chk = _strata.check(table)
        base = dict(stratum=_strata.label(table.stratum), observed=table.observed,
                    stratum_values=dict(table.stratum), lists=chk.table.lists)
        found: list[Estimate] = []
        if "loglinear" in wanted:
            found += _loglinear_rows(chk, base, max_order, level)
        if "lcmcr" in wanted:
            est, post = _lcmcr_row(chk, base, seed + i, iterations, burn_in, thinning, chains, k, level)
            found.append(est)
            posteriors.append((table, post))
        found = _cross_check(found)
        for e in found:
            per_model.setdefault(e.model, []).append((table, e))
        rows += found
    if len(tables) > 1:
        for model, items in per_model.items():
            if len(items) < len(tables):  # a model only some strata have (chapman: two-list strata)
                continue
            if model == "lcmcr":
                rows.append(_lcmcr_total(posteriors, [e for _, e in items], level))
            else:
                rows.append(_loglinear_total(model, items, level))
    return rows


def _models(models: Iterable[str]) -> tuple[str, ...]:
    names = [models] if isinstance(models, str) else list(models)
    out: list[str] = []
    for m in names:
        m = m.strip().lower()
        if m == "all":
            out += MODELS
        elif m in MODELS:
            out.append(m)
        else:
            raise InputError(f"unknown model {m!r}", field="model", hint="use loglinear, lcmcr or all")
    return tuple(dict.fromkeys(out))


def _cross_check(rows: list[Estimate]) -> list[Estimate]:
    """Warn on every row of a stratum when LCMCR and the averaged log-linear estimate disagree."""
    got = {e.model: e for e in rows}
    a, b = got.get("lcmcr"), got.get("loglinear-avg")
    if a is None or b is None or a.estimate is None or b.estimate is None:
        return rows
    gap = abs(a.estimate - b.estimate) / min(a.estimate, b.estimate)
    if gap <= MAX_DISAGREEMENT:
        return rows
    note = (f"LCMCR and the averaged log-linear models differ by {gap:.0%}: the overlap does not settle how many "
            "hard-to-record people there are (such heterogeneity tends to pull estimates down)")
    return [replace(e, warnings=e.warnings + (note,)) if e.estimate is not None else e for e in rows]


def _ratio_warning(observed: int, est: float | None) -> list[str]:
    if est is not None and math.isfinite(est) and observed > 0 and est / observed > MAX_RATIO:
        return [f"the estimate is {est / observed:.1f} times the observed count: mostly extrapolation"]
    return []


def _loglinear_rows(chk: "_strata.Check", base: dict[str, Any], max_order: int | None, level: float) -> list[Estimate]:
    from . import loglinear as ll

    data_warn = list(chk.warnings)
    names = ["loglinear-bic", "loglinear-aic", "loglinear-avg"]
    if not chk.estimable:
        return [Estimate(model=m, estimate=None, lower=None, upper=None, warnings=tuple(data_warn), **base)
                for m in names]
    table = chk.table
    out: list[Estimate] = []
    if table.k == 2:
        n1, n2, m = ll.two_list_counts(table)
        est, lo, hi = ll.chapman(n1, n2, m, level)
        out.append(Estimate(model="chapman", estimate=est, lower=lo, upper=hi,
                            warnings=tuple(data_warn + _ratio_warning(table.observed, est)),
                            detail="Chapman", interval=f"{level:.0%} log-normal", **base,
                            diagnostics={"lincoln_petersen": ll.lincoln_petersen(n1, n2, m), "n1": n1, "n2": n2, "m": m}))
    sel = ll.fit(table, max_order=max_order)
    chosen = {c: sel.best(c) for c in ("bic", "aic")}
    disagree: list[str] = []
    if chosen["bic"] is not None and chosen["aic"] is not None:
        a, b = chosen["aic"].estimate, chosen["bic"].estimate
        gap = abs(a - b) / min(a, b)
        if gap > MAX_DISAGREEMENT:
            disagree.append(f"AIC and BIC choose models whose estimates differ by {gap:.0%}: "
                            "the model choice drives the result")
    for crit in ("bic", "aic"):
        best = chosen[crit]
        name = f"loglinear-{crit}"
        if best is None:
            out.append(Estimate(model=name, estimate=None, lower=None, upper=None, **base,
                                warnings=tuple(data_warn + ["no log-linear model could be fitted: sparse cells"])))
            continue
        prof = best.profile(level)
        warn = data_warn + list(best.warnings) + disagree + _ratio_warning(table.observed, best.estimate)
        if math.isinf(prof.upper):
            warn.append("the likelihood does not bound the total from above: no upper limit")
        lo_ln, hi_ln = best.lognormal_interval(level)
        out.append(Estimate(
            model=name, estimate=best.estimate, lower=prof.lower, upper=prof.upper, warnings=tuple(warn),
            detail=best.model.name, interval=f"{level:.0%} profile likelihood", **base,
            diagnostics={"aic": best.aic, "bic": best.bic, "deviance": best.deviance, "df": best.df, "se": best.se,
                         "profile_estimate": prof.estimate, "lognormal_lower": lo_ln, "lognormal_upper": hi_ln,
                         "models_fitted": len(sel.fits), "models_estimable": len(sel.estimable)},
        ))
    avg = ll.average(sel, "aic", level)
    if avg is None:
        out.append(Estimate(model="loglinear-avg", estimate=None, lower=None, upper=None, **base,
                            warnings=tuple(data_warn + ["no log-linear model could be fitted: sparse cells"])))
    else:
        out.append(Estimate(
            model="loglinear-avg", estimate=avg.estimate, lower=avg.lower, upper=avg.upper,
            warnings=tuple(data_warn + _ratio_warning(table.observed, avg.estimate)),
            detail=f"{len(sel.estimable)} models, AIC weights", interval=f"{level:.0%} log-normal, model uncertainty included", **base,
            diagnostics={"weights": avg.weights, "models_fitted": len(sel.fits)},
        ))
    return out


def _lcmcr_row(
    chk: "_strata.Check", base: dict[str, Any], seed: int, iterations: int, burn_in: int, thinning: int,
    chains: int, k: int, level: float,
) -> tuple[Estimate, "Posterior | None"]:
    from . import lcmcr

    warn = list(chk.warnings)
    if not chk.estimable or chk.table.k < 3:
        if chk.estimable:
            warn.append("the latent-class model needs at least 3 lists; not run")
        return Estimate(model="lcmcr", estimate=None, lower=None, upper=None, warnings=tuple(warn), **base), None
    post = lcmcr.sample(chk.table, k=k, burn_in=burn_in, iterations=iterations, thinning=thinning, chains=chains,
                        seed=seed)
    lo, hi = post.interval(level)
    warn += list(post.warnings) + _ratio_warning(post.observed, post.median)
    diag = dict(post.diagnostics)
    diag.update(mean=post.mean, seed=seed, chains=chains, draws=int(post.draws.size))
    return Estimate(model="lcmcr", estimate=post.median, lower=lo, upper=hi, warnings=tuple(warn),
                    detail=f"K={k} latent classes", interval=f"{level:.0%} credible (equal-tailed)",
                    diagnostics=diag, **base), post


def _total_label(n: int) -> str:
    return f"total ({n} strata)"


def _lcmcr_total(posteriors: list[tuple[CaptureTable, "Posterior | None"]], rows: list[Estimate], level: float) -> Estimate:
    observed = sum(t.observed for t, _ in posteriors)
    ran = [p for _, p in posteriors if p is not None]
    warn: list[str] = []
    missing = [_strata.label(t.stratum) for t, p in posteriors if p is None]
    added = sum(t.observed for t, p in posteriors if p is None)
    if missing:
        warn.append(f"no LCMCR estimate for {', '.join(missing)}: their observed {added} people are added as they are "
                    "(the total is too low)")
    flagged = [e.stratum for e in rows if e.estimate is not None and e.warnings]
    if flagged:
        warn.append(f"strata with warnings: {', '.join(flagged)}")
    label = _total_label(len(posteriors))
    if not ran:
        return Estimate(stratum=label, model="lcmcr", observed=observed, estimate=None, lower=None, upper=None,
                        warnings=tuple(warn))
    from .lcmcr import stack

    draws = stack(ran).reshape(-1) + added
    tail = (1 - level) / 2
    return Estimate(
        stratum=label, model="lcmcr", observed=observed, estimate=float(np.quantile(draws, 0.5)),
        lower=float(np.quantile(draws, tail)), upper=float(np.quantile(draws, 1 - tail)), warnings=tuple(warn),
        detail="sum of the strata's posterior draws", interval=f"{level:.0%} credible (equal-tailed)",
        diagnostics={"draws": int(draws.size)},
    )


def _loglinear_total(model: str, items: list[tuple[CaptureTable, Estimate]], level: float) -> Estimate:
    observed = sum(t.observed for t, _ in items)
    have = [e for _, e in items if e.estimate is not None and e.lower is not None and e.upper is not None]
    lacking = [e for _, e in items if e not in have]
    warn: list[str] = []
    if lacking:
        warn.append(f"no {model} estimate for {', '.join(e.stratum for e in lacking)}: their observed "
                    f"{sum(e.observed for e in lacking)} people are added as they are (the total is too low)")
    flagged = [e.stratum for e in have if e.warnings]
    if flagged:
        warn.append(f"strata with warnings: {', '.join(flagged)}")
    label = _total_label(len(items))
    if not have:
        return Estimate(stratum=label, model=model, observed=observed, estimate=None, lower=None, upper=None,
                        warnings=tuple(warn))
    est, lo, hi = _strata.sum_lognormal([(e.observed, e.estimate, e.lower, e.upper) for e in have], level)  # type: ignore[misc]
    extra = sum(e.observed for e in lacking)
    return Estimate(stratum=label, model=model, observed=observed, estimate=est + extra, lower=lo + extra,
                    upper=hi + extra, warnings=tuple(warn), detail="sum of strata",
                    interval=f"{level:.0%} log-normal from the strata's intervals")


# -- the namespace ------------------------------------------------------------------------

def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)


class EstimatesAPI:
    """Multiple systems estimation on the linked victims or on a given table."""

    def __init__(self, r: "Reckon") -> None:
        self._r = r

    def tables(self, table: Any = None, strata: Sequence[str] = ()) -> list[CaptureTable]:
        """The capture tables a run would use: from ``table``, or the linked victims' overlap per stratum."""
        if table is not None:
            return to_tables(table, strata)
        try:
            victims = self._r.victims
        except ImportError:  # the victims capability is not installed in this build
            victims = None
        overlap = getattr(victims, "overlap", None)
        if overlap is None:
            raise ReckonError("the linked victims' overlap table is not available",
                              hint="import and link victim lists first, or give a table with --table")
        df = overlap(list(strata))
        if df is None or len(df) == 0:
            raise InputError("there are no linked victims to estimate from",
                             hint="import and link victim lists (reckon victims ...), or give --table FILE.csv")
        return from_frame(df, strata, source="linked victims")

    def run(
        self,
        table: Any = None,
        strata: Sequence[str] = (),
        models: Iterable[str] = MODELS,
        *,
        seed: int | None = None,
        iterations: int = 100_000,
        burn_in: int = 10_000,
        thinning: int = 100,
        chains: int = 2,
        k: int = 10,
        max_order: int | None = None,
        level: float = 0.95,
        record: bool = True,
    ) -> list[Estimate]:
        """Estimate totals; see :func:`estimate`. The run is recorded unless ``record`` is False."""
        started = _now()
        tables = self.tables(table, strata)
        if seed is None:
            seed = int(np.random.SeedSequence().generate_state(1)[0] % 2**31)
        wanted = _models(models)
        rows = estimate(tables, models=wanted, seed=seed, iterations=iterations, burn_in=burn_in, thinning=thinning,
                        chains=chains, k=k, max_order=max_order, level=level)
        if record:
            source = "linked victims" if table is None else (os.fspath(table) if isinstance(table, (str, os.PathLike))
                                                              else type(table).__name__)
            settings = {"source": source, "strata": list(strata), "models": list(wanted), "seed": seed,
                        "iterations": iterations, "burn_in": burn_in, "thinning": thinning, "chains": chains,
                        "k": k, "a_alpha": 0.25, "b_alpha": 0.25, "max_order": max_order, "level": level}
            summary = {"strata": len(tables), "observed": sum(t.observed for t in tables),
                       "warnings": sum(len(e.warnings) for e in rows),
                       "estimates": [e.to_dict() for e in rows]}
            self._r.record_run("estimate", started, settings, summary)
        return rows

    def latest(self) -> list[Estimate]:
        """The estimates of the last recorded run (empty when there was none)."""
        runs = self._r.runs("estimate")
        if not runs:
            return []
        return [Estimate.from_dict(d) for d in runs[-1]["summary"].get("estimates", [])]

    def plot(self, estimates: Sequence[Estimate], path: str | os.PathLike[str], *, title: str | None = None) -> Path:
        """Documented against estimated totals with intervals, per stratum; PNG or SVG by suffix."""
        from .plot import plot

        return plot(estimates, path, title=title)

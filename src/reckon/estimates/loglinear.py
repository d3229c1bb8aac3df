"""Log-linear capture-recapture models (Fienberg 1972; as in R's Rcapture).

The counts of the 2^K - 1 observable capture patterns are modelled as Poisson
with ``log mu = intercept + list main effects + interactions``. The pattern
"on no list" has design row (1, 0, ..., 0), so the model's estimate of the
people missed by every list is ``exp(intercept)`` and ``N = n + exp(intercept)``.
The K-way interaction cannot be estimated (it would need the missing cell).

:func:`fit` fits every hierarchical model with all main effects and
interactions up to ``max_order`` lists (113 models for 4 lists), ranks them by
AIC and BIC, and gives for each:

- the Poisson-GLM estimate of N and its standard error (delta method, plus the
  Poisson variation of the missing count, as Rcapture reports it);
- a 95% log-normal interval from that standard error (Chao 1987);
- on request (:meth:`LoglinearFit.profile`), the multinomial profile-likelihood
  interval (Cormack 1992), which Rcapture's ``closedpCI.t`` reports.

:func:`average` combines the models with Akaike weights (Burnham & Anderson
2002) on the log scale of the missing count, so the interval carries the
uncertainty of model choice too. AIC is ``-2 log L + 2p`` with the full
Poisson likelihood; BIC uses ``log n`` with ``n`` the people observed, as
Rcapture does. Models are named like Rcapture's: ``[123,14,34]`` means the
interaction of lists 1, 2 and 3 (and everything under it), of 1 and 4, and of
3 and 4.
"""

from __future__ import annotations

import itertools
import math
import warnings as _warnings
from dataclasses import dataclass, field
from typing import Iterable

import numpy as np
from scipy import optimize, special

from ..errors import MissingExtra
from .io import CaptureTable

__all__ = [
    "Model", "LoglinearFit", "Selection", "fit", "fit_model", "hierarchical_models", "average",
    "lincoln_petersen", "chapman", "design", "profile", "parse_model", "two_list_counts", "Averaged", "Profile",
]

Term = tuple[int, ...]  # 0-based list indices, sorted, length >= 2

Z95 = 1.959963984540054
CHI2_95 = 3.841458820694124
#: a model whose missing-cell estimate needs a coefficient beyond this is not estimable from the data
MAX_ABS_COEF = 25.0


@dataclass(frozen=True)
class Model:
    """A hierarchical log-linear model: all main effects plus ``terms`` and everything they contain."""

    k: int
    terms: tuple[Term, ...] = ()

    @property
    def name(self) -> str:
        """Rcapture-style name: maximal terms first, then lists not in any interaction."""
        maximal = [t for t in self.terms if not any(set(t) < set(u) for u in self.terms)]
        maximal.sort(key=lambda t: (-len(t), t))
        covered = {i for t in maximal for i in t}
        parts = ["".join(str(i + 1) for i in t) for t in maximal] + [str(i + 1) for i in range(self.k) if i not in covered]
        sep = "," if self.k < 10 else ";"
        return "[" + sep.join(parts) + "]"

    @property
    def n_params(self) -> int:
        return 1 + self.k + len(self.terms)

    def __repr__(self) -> str:
        return f"<Model {self.name}>"


def design(patterns: np.ndarray, model: Model) -> np.ndarray:
    """Design matrix: intercept, one 0/1 column per list, one product column per interaction term."""
    pats = np.asarray(patterns, dtype=float)
    cols = [np.ones(len(pats))] + [pats[:, j] for j in range(model.k)]
    cols += [np.prod(pats[:, list(t)], axis=1) for t in model.terms]
    return np.column_stack(cols)


def hierarchical_models(k: int, max_order: int | None = None) -> list[Model]:
    """Every hierarchical model with all main effects and interactions of at most ``max_order`` lists.

    ``max_order`` defaults to ``k - 1`` (the K-way term is never estimable).
    """
    order = min(k - 1, max_order if max_order is not None else k - 1)
    terms: list[Term] = [t for size in range(2, order + 1) for t in itertools.combinations(range(k), size)]
    out: list[Model] = []

    def walk(i: int, chosen: list[Term], chosen_set: set[Term]) -> None:
        if i == len(terms):
            out.append(Model(k, tuple(chosen)))
            return
        t = terms[i]
        walk(i + 1, chosen, chosen_set)
        subs = [s for s in itertools.combinations(t, len(t) - 1)] if len(t) > 2 else []
        if all(s in chosen_set for s in subs):
            chosen.append(t)
            chosen_set.add(t)
            walk(i + 1, chosen, chosen_set)
            chosen.pop()
            chosen_set.discard(t)

    walk(0, [], set())
    return out


@dataclass(frozen=True)
class LoglinearFit:
    """One fitted model on one capture table."""

    model: Model
    observed: int
    missing: float  # exp(intercept): estimated people on no list
    se_log_missing: float
    deviance: float
    df: int
    aic: float
    bic: float
    converged: bool
    warnings: tuple[str, ...] = ()
    table: CaptureTable | None = field(default=None, repr=False, compare=False)

    @property
    def estimate(self) -> float:
        return self.observed + self.missing

    @property
    def estimable(self) -> bool:
        return self.converged and math.isfinite(self.missing) and math.isfinite(self.se_log_missing)

    @property
    def se(self) -> float:
        """Standard error of N: delta-method variance of exp(intercept) plus the Poisson variance of the missing count."""
        return math.sqrt(self.missing + self.missing**2 * self.se_log_missing**2)

    def lognormal_interval(self, level: float = 0.95) -> tuple[float, float]:
        """Chao's (1987) log-normal interval: N stays above the observed count."""
        z = float(special.ndtri(0.5 + level / 2))
        if not self.estimable or self.missing <= 0:
            return (float(self.observed), float("inf"))
        c = math.exp(z * math.sqrt(math.log1p((self.se / self.missing) ** 2)))
        return self.observed + self.missing / c, self.observed + self.missing * c

    def profile(self, level: float = 0.95) -> "Profile":
        """Multinomial profile-likelihood estimate and interval for N (see :func:`profile`)."""
        if self.table is None:
            raise ValueError("this fit does not keep its table")
        return profile(self.table, self.model, level=level)

    def __repr__(self) -> str:
        return f"<LoglinearFit {self.model.name} N={self.estimate:,.1f} AIC={self.aic:.2f} BIC={self.bic:.2f}>"


def _glm():
    try:
        import statsmodels.api as sm
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise MissingExtra("statsmodels", "estimates") from exc
    return sm


def _poisson_fit(y: np.ndarray, x: np.ndarray, start: np.ndarray | None = None):
    sm = _glm()
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore")
        model = sm.GLM(y, x, family=sm.families.Poisson())
        try:
            res = model.fit(start_params=start, maxiter=100, tol=1e-10)
        except (ValueError, np.linalg.LinAlgError, FloatingPointError):
            return None
    return res


def fit_model(table: CaptureTable, model: Model) -> LoglinearFit:
    """Fit one model to a table (zero cells included) as a Poisson GLM."""
    pats, y = table.full()
    x = design(pats, model)
    n = table.observed
    res = _poisson_fit(y.astype(float), x)
    bad: list[str] = []
    if res is None or not np.all(np.isfinite(res.params)):
        return LoglinearFit(model, n, float("inf"), float("inf"), float("nan"), 0, float("inf"), float("inf"), False,
                            ("the fit failed",), table)
    b0 = float(res.params[0])
    se0 = float(res.bse[0]) if np.isfinite(res.bse[0]) else float("inf")
    converged = bool(getattr(res, "converged", True))
    if np.max(np.abs(res.params)) > MAX_ABS_COEF or se0 > MAX_ABS_COEF / 2:
        converged = False
        bad.append("sparse cells make this model's estimate unbounded")
    if not converged and not bad:
        bad.append("the fit did not converge")
    df = int(len(y) - np.linalg.matrix_rank(x))
    p = model.n_params
    llf = float(res.llf)
    return LoglinearFit(
        model=model, observed=n, missing=math.exp(b0) if b0 < 700 else float("inf"), se_log_missing=se0,
        deviance=float(res.deviance), df=df, aic=-2 * llf + 2 * p, bic=-2 * llf + math.log(n) * p,
        converged=converged, warnings=tuple(bad), table=table,
    )


@dataclass(frozen=True)
class Profile:
    """Multinomial profile likelihood of N for one model."""

    estimate: float
    lower: float
    upper: float
    level: float


def _complete(table: CaptureTable) -> tuple[np.ndarray, np.ndarray]:
    pats, y = table.full()
    zero = np.zeros((1, table.k), dtype=pats.dtype)
    return np.vstack([zero, pats]), np.concatenate([[0.0], y.astype(float)])


def profile(table: CaptureTable, model: Model, level: float = 0.95) -> Profile:
    """Maximise and invert the multinomial profile likelihood of N (Cormack 1992).

    For a given N the missing count ``N - n`` is put in the empty cell and the
    model is fitted to the complete 2^K table; the profile log-likelihood is
    ``log N! - log (N-n)! + sum_cells y log(mu / N)``. The interval holds every
    N within ``chi2(1, level) / 2`` of the maximum; an end that does not exist
    (flat likelihood) is infinite.
    """
    pats, y = _complete(table)
    x = design(pats, model)
    n = float(table.observed)
    cache: dict[float, float] = {}
    start: list[np.ndarray | None] = [None]

    def loglik(n0: float) -> float:
        if n0 in cache:
            return cache[n0]
        yy = y.copy()
        yy[0] = n0
        res = _poisson_fit(yy, x, start[0])
        if res is None:
            return -float("inf")
        start[0] = res.params
        mu = res.mu
        total = n + n0
        keep = yy > 0
        val = float(special.gammaln(total + 1) - special.gammaln(n0 + 1) + np.sum(yy[keep] * np.log(mu[keep] / total)))
        cache[n0] = val
        return val

    first = fit_model(table, model)
    guess = first.missing if first.estimable else n
    # the maximum, searched on log(n0)
    hi_log = math.log(max(guess, 1.0)) + 6
    opt = optimize.minimize_scalar(lambda t: -loglik(math.exp(t)), bounds=(-10.0, hi_log), method="bounded",
                                   options={"xatol": 1e-7})
    n0_hat = math.exp(opt.x)
    best = loglik(n0_hat)
    drop = float(special.chdtri(1, 1 - level)) / 2

    def gap(n0: float) -> float:
        return loglik(n0) - (best - drop)

    lower = n
    if gap(0.0) < 0:
        lower = n + optimize.brentq(gap, 0.0, n0_hat, xtol=1e-4)
    upper = float("inf")
    far = n0_hat
    for _ in range(40):
        far = far * 2 + 10
        if gap(far) < 0:
            upper = n + optimize.brentq(gap, n0_hat, far, xtol=1e-4)
            break
    return Profile(n + n0_hat, lower, upper, level)


@dataclass(frozen=True)
class Selection:
    """All models fitted on one table, ranked."""

    table: CaptureTable
    fits: tuple[LoglinearFit, ...]

    @property
    def estimable(self) -> list[LoglinearFit]:
        return [f for f in self.fits if f.estimable]

    def best(self, criterion: str = "bic") -> LoglinearFit | None:
        """The estimable model with the lowest AIC or BIC."""
        ok = self.estimable
        if not ok:
            return None
        return min(ok, key=lambda f: (getattr(f, criterion), f.model.n_params))

    def ranked(self, criterion: str = "bic") -> list[LoglinearFit]:
        return sorted(self.fits, key=lambda f: (not f.estimable, getattr(f, criterion)))

    def independence(self) -> LoglinearFit:
        return next(f for f in self.fits if not f.model.terms)


def fit(
    table: CaptureTable, *, max_order: int | None = None, models: Iterable[Model] | None = None, max_models: int = 2048
) -> Selection:
    """Fit the hierarchical models of a table (or the given ``models``).

    ``max_order`` defaults to ``K - 1`` for up to 4 lists and 2 above. When the
    candidate interaction terms number more than ``log2(max_models)`` (11 by
    default: 6 lists, or 5 lists with three-way terms) a forward search by
    BIC and by AIC from the independence model replaces fitting every model.
    """
    if table.k < 2:
        raise ValueError("capture-recapture needs at least 2 lists")
    if table.observed == 0:
        raise ValueError("nobody was observed")
    if models is not None:
        return Selection(table, tuple(fit_model(table, m) for m in models))
    order = max_order if max_order is not None else (table.k - 1 if table.k <= 4 else 2)
    n_terms = sum(math.comb(table.k, s) for s in range(2, min(order, table.k - 1) + 1))
    if 2**n_terms <= max_models:  # the space has at most 2^terms models: enumerate it
        space = hierarchical_models(table.k, order)
        return Selection(table, tuple(fit_model(table, m) for m in space))
    return Selection(table, tuple(_forward(table, order)))


def _forward(table: CaptureTable, order: int) -> list[LoglinearFit]:
    """Greedy forward search (one term at a time, hierarchy kept) by BIC and by AIC."""
    k = table.k
    terms = [t for size in range(2, min(order, k - 1) + 1) for t in itertools.combinations(range(k), size)]
    seen: dict[tuple[Term, ...], LoglinearFit] = {}

    def get(ts: tuple[Term, ...]) -> LoglinearFit:
        key = tuple(sorted(ts))
        if key not in seen:
            seen[key] = fit_model(table, Model(k, key))
        return seen[key]

    for crit in ("bic", "aic"):
        current: tuple[Term, ...] = ()
        cur_fit = get(current)
        while True:
            options = [t for t in terms if t not in current
                       and all(s in current for s in itertools.combinations(t, len(t) - 1) if len(s) >= 2)]
            cands = [get(current + (t,)) for t in options]
            cands = [c for c in cands if c.estimable]
            if not cands:
                break
            nxt = min(cands, key=lambda f: getattr(f, crit))
            if getattr(nxt, crit) >= getattr(cur_fit, crit):
                break
            current, cur_fit = nxt.model.terms, nxt
    return list(seen.values())


@dataclass(frozen=True)
class Averaged:
    """A model-averaged estimate of N with its unconditional interval."""

    estimate: float
    lower: float
    upper: float
    weights: dict[str, float]
    criterion: str


def average(selection: Selection, criterion: str = "aic", level: float = 0.95) -> Averaged | None:
    """Average the estimable models with weights ``exp(-delta/2)`` of AIC (or BIC).

    Works on ``log(missing)``: the averaged value is the weighted mean, its
    standard error Burnham and Anderson's unconditional one (each model's
    variance plus its squared distance from the mean); the interval is
    ``n + exp(mean ± z se)``, the Poisson variation of the missing count added.
    """
    ok = [f for f in selection.estimable if f.missing > 0]
    if not ok:
        return None
    crit = np.array([getattr(f, criterion) for f in ok])
    w = np.exp(-(crit - crit.min()) / 2)
    w /= w.sum()
    theta = np.log([f.missing for f in ok])
    var_i = np.array([f.se**2 / f.missing**2 for f in ok])  # variance of log(missing) incl. Poisson part
    mean = float(np.sum(w * theta))
    se = float(np.sum(w * np.sqrt(var_i + (theta - mean) ** 2)))
    z = float(special.ndtri(0.5 + level / 2))
    n = selection.table.observed
    weights = {f.model.name: float(wi) for f, wi in sorted(zip(ok, w), key=lambda p: -p[1]) if wi >= 1e-4}
    return Averaged(n + math.exp(mean), n + math.exp(mean - z * se), n + math.exp(mean + z * se), weights, criterion)


# -- closed forms for two lists ------------------------------------------------------

def lincoln_petersen(n1: int, n2: int, m: int) -> float:
    """Lincoln-Petersen: N = n1 n2 / m (infinite when the lists share nobody)."""
    return float("inf") if m == 0 else n1 * n2 / m


def chapman(n1: int, n2: int, m: int, level: float = 0.95) -> tuple[float, float, float]:
    """Chapman's nearly unbiased two-list estimate with a log-normal interval (Chao 1987): (N, lower, upper)."""
    est = (n1 + 1) * (n2 + 1) / (m + 1) - 1
    var = (n1 + 1) * (n2 + 1) * (n1 - m) * (n2 - m) / ((m + 1) ** 2 * (m + 2))
    seen = n1 + n2 - m
    missing = est - seen
    if missing <= 0:
        return est, float(seen), float(seen)
    z = float(special.ndtri(0.5 + level / 2))
    c = math.exp(z * math.sqrt(math.log1p(var / missing**2)))
    return est, seen + missing / c, seen + missing * c


def two_list_counts(table: CaptureTable) -> tuple[int, int, int]:
    """(n1, n2, m): people on list 1, on list 2, and on both."""
    if table.k != 2:
        raise ValueError("needs exactly 2 lists")
    pats, y = table.full()
    n1 = int(y[pats[:, 0] == 1].sum())
    n2 = int(y[pats[:, 1] == 1].sum())
    m = int(y[(pats[:, 0] == 1) & (pats[:, 1] == 1)].sum())
    return n1, n2, m


def parse_model(name: str, k: int) -> Model:
    """A model from its Rcapture-style name, e.g. ``[123,14,34]``."""
    body = name.strip().strip("[]")
    sep = ";" if ";" in body else ","
    terms: set[Term] = set()
    for part in body.split(sep):
        part = part.strip()
        if not part:
            continue
        idx = tuple(sorted(int(c) - 1 for c in part)) if sep == "," else tuple(sorted(int(c) - 1 for c in part.split()))
        if any(i < 0 or i >= k for i in idx):
            raise ValueError(f"model {name!r} names a list outside 1..{k}")
        for size in range(2, len(idx) + 1):
            terms.update(itertools.combinations(idx, size))
    ordered = sorted(terms, key=lambda t: (len(t), t))
    return Model(k, tuple(ordered))


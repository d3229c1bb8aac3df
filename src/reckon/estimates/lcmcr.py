"""Bayesian latent-class capture-recapture (Manrique-Vallier 2016, "LCMCR").

The model: each person belongs to one of ``k`` latent classes; within a class,
being on each list is an independent Bernoulli event with its own probability
``lambda[j, c]``. Class weights follow a stick-breaking (Dirichlet process)
prior truncated at ``k`` classes with concentration ``alpha ~ Gamma(a_alpha,
b_alpha)`` (shape, rate); every ``lambda`` has a uniform Beta(1, 1) prior and
the population size ``N`` the improper prior ``p(N) ∝ 1/N``. These are the
priors of R's LCMCR package, whose documented example uses ``k = 10`` and
``a_alpha = b_alpha = 0.25`` (the defaults here).

The Gibbs sampler works on the counts of the 2^K - 1 capture patterns rather
than on individuals: given the parameters, the class memberships of the
people sharing a pattern are a multinomial draw, so one iteration costs the
same for 100 or 100,000 people. Per iteration:

1. class counts per observed pattern ~ Multinomial(count, class posterior);
2. the unseen ``n0 ~ NegBinomial(n, 1 - p0)`` where ``p0`` is the probability
   of the all-zero pattern, and their classes ~ Multinomial(n0, ...);
3. ``lambda[j, c] ~ Beta(1 + on list, 1 + not on list)``;
4. stick-breaking fractions ``V[c] ~ Beta(1 + n_c, alpha + n_{>c})``;
5. ``alpha ~ Gamma(a_alpha + k - 1, b_alpha - sum log(1 - V))``.

:func:`sample` runs one or more chains (numba-compiled when numba is
installed, numpy otherwise), keeps every ``thinning``-th draw of N after the
burn-in, and reports the posterior median, a 95% equal-tailed credible
interval and convergence checks. The same seed gives the same draws with the
same engine.
"""

from __future__ import annotations

import math
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal, Sequence

import numpy as np

from .io import CaptureTable

__all__ = ["Posterior", "sample", "split_rhat", "effective_sample_size", "geweke_z", "stack", "warm_up"]

Engine = Literal["auto", "numba", "numpy"]

#: thresholds of the convergence checks; crossing one adds a warning
RHAT_MAX = 1.05
ESS_MIN = 100.0
GEWEKE_MAX = 3.5
TRUNCATION_MAX = 0.5


@dataclass(frozen=True)
class Posterior:
    """Draws of the population size N and what they say.

    ``draws`` has one row per chain (kept draws, after burn-in and thinning).
    """

    observed: int
    draws: np.ndarray
    occupied: np.ndarray  # per kept draw: latent classes holding at least 1% of the people
    k: int
    settings: dict[str, Any]
    seconds: float  # CPU time of the sampling, summed over chains
    warnings: tuple[str, ...] = field(default=())

    @property
    def pooled(self) -> np.ndarray:
        return self.draws.reshape(-1)

    def quantile(self, q: float) -> float:
        """A posterior quantile of N (linear interpolation, as R's default type 7)."""
        return float(np.quantile(self.pooled, q))

    @property
    def median(self) -> float:
        return self.quantile(0.5)

    @property
    def mean(self) -> float:
        return float(self.pooled.mean())

    def interval(self, level: float = 0.95) -> tuple[float, float]:
        """Equal-tailed credible interval for N."""
        tail = (1 - level) / 2
        return self.quantile(tail), self.quantile(1 - tail)

    @property
    def diagnostics(self) -> dict[str, float]:
        """Split R-hat, effective sample size, worst Geweke z, and how often all k classes held 1% or more of the people."""
        return {
            "rhat": split_rhat(self.draws),
            "ess": effective_sample_size(self.draws),
            "geweke_z": max(abs(geweke_z(c)) for c in self.draws),
            "all_classes_used": float(np.mean(self.occupied >= self.k)),
            "seconds": self.seconds,
            "microseconds_per_iteration": self.seconds * 1e6 / max(1, self.settings["total_iterations"]),
        }

    def __repr__(self) -> str:
        lo, hi = self.interval()
        return f"<Posterior N median {self.median:,.0f} (95% {lo:,.0f}-{hi:,.0f}), observed {self.observed:,}>"


# -- the sampler ----------------------------------------------------------------

def _numba_run(pats, counts, k, a_alpha, b_alpha, burn_in, n_keep, thinning, seed):
    from ._kernel import run_chain

    return run_chain(pats, counts, k, a_alpha, b_alpha, burn_in, n_keep, thinning, seed)


def _numpy_run(pats, counts, k, a_alpha, b_alpha, burn_in, n_keep, thinning, seed):
    """The same sampler in vectorised numpy (slower per iteration; no compiler needed)."""
    rng = np.random.default_rng(seed)
    m, nl = pats.shape
    n = int(counts.sum())
    on = pats.astype(bool)
    lam = rng.beta(1.0, 1.0, size=(nl, k))
    alpha = 1.0
    v = np.append(rng.beta(1.0, alpha, size=k - 1), 1.0)
    pi = v * np.concatenate(([1.0], np.cumprod(1.0 - v[:-1])))
    keep_n = np.empty(n_keep, np.int64)
    keep_occ = np.empty(n_keep, np.int64)
    total = burn_in + n_keep * thinning
    kept = 0
    for it in range(total):
        # (m, k) probability of each pattern in each class, times the class weight
        like = np.where(on[:, :, None], lam[None, :, :], 1.0 - lam[None, :, :]).prod(axis=1) * pi[None, :]
        like /= like.sum(axis=1, keepdims=True)
        z = rng.multinomial(counts, like)
        q0 = pi * (1.0 - lam).prod(axis=0)
        p0 = min(float(q0.sum()), 1.0 - 1e-12)
        n0 = int(rng.negative_binomial(n, 1.0 - p0))
        z0 = rng.multinomial(n0, q0 / q0.sum()) if n0 > 0 else np.zeros(k, np.int64)
        size = z.sum(axis=0) + z0
        ones = pats.T @ z
        lam = rng.beta(1.0 + ones, 1.0 + size[None, :] - ones)
        above = np.cumsum(size[::-1])[::-1]
        vv = np.minimum(rng.beta(1.0 + size[:-1], alpha + above[1:]), 1.0 - 1e-12)
        v = np.append(vv, 1.0)
        pi = v * np.concatenate(([1.0], np.cumprod(1.0 - vv)))
        alpha = rng.gamma(a_alpha + k - 1, 1.0 / (b_alpha - np.log1p(-vv).sum()))
        if it >= burn_in and (it - burn_in + 1) % thinning == 0:
            keep_n[kept] = n + n0
            keep_occ[kept] = int((size >= 0.01 * (n + n0)).sum())
            kept += 1
    return keep_n, keep_occ


def _has_numba() -> bool:
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def sample(
    table: CaptureTable,
    *,
    k: int = 10,
    a_alpha: float = 0.25,
    b_alpha: float = 0.25,
    burn_in: int = 10_000,
    iterations: int = 100_000,
    thinning: int = 100,
    chains: int = 2,
    seed: int | None = None,
    engine: Engine = "auto",
) -> Posterior:
    """Sample the posterior of N for one capture table.

    Each chain runs ``burn_in + iterations`` Gibbs iterations and keeps every
    ``thinning``-th of the last ``iterations`` (so ``iterations // thinning``
    draws per chain). ``seed`` makes the run reproducible; chains get
    independent streams derived from it.
    """
    if table.k < 3:
        raise ValueError("the latent-class model needs at least 3 lists")
    if k < 2:
        raise ValueError("k (latent classes) must be at least 2")
    if thinning < 1 or iterations < thinning or burn_in < 0 or chains < 1:
        raise ValueError("need thinning >= 1, iterations >= thinning, burn_in >= 0, chains >= 1")
    if table.observed == 0:
        raise ValueError("nobody was observed")
    if engine == "auto":
        engine = "numba" if _has_numba() else "numpy"
    run = _numba_run if engine == "numba" else _numpy_run
    t = table.without_empty()
    pats = np.ascontiguousarray(t.patterns, dtype=np.int64)
    counts = np.ascontiguousarray(t.counts, dtype=np.int64)
    n_keep = iterations // thinning
    seeds = [int(s.generate_state(1, np.uint32)[0]) for s in np.random.SeedSequence(seed).spawn(chains)]
    if engine == "numba":
        _numba_run(pats[:1], counts[:1], 2, 1.0, 1.0, 0, 1, 1, 0)  # compile (or load from cache) before timing

    def one(chain_seed: int) -> tuple[np.ndarray, np.ndarray, float]:
        t0 = time.thread_time()  # CPU time of this chain's thread: robust to other load on the machine
        n_draws, occ = run(pats, counts, int(k), float(a_alpha), float(b_alpha), int(burn_in), int(n_keep),
                           int(thinning), chain_seed)
        return n_draws, occ, time.thread_time() - t0

    workers = max(1, min(chains, os.cpu_count() or 1)) if engine == "numba" else 1
    if workers > 1:  # the compiled kernel releases the GIL; each thread seeds its own generator
        with ThreadPoolExecutor(max_workers=workers) as pool:
            out = list(pool.map(one, seeds))
    else:
        out = [one(s) for s in seeds]
    seconds = sum(o[2] for o in out)
    settings = {
        "k": k, "a_alpha": a_alpha, "b_alpha": b_alpha, "burn_in": burn_in, "iterations": iterations,
        "thinning": thinning, "chains": chains, "seed": seed, "engine": engine,
        "total_iterations": chains * (burn_in + n_keep * thinning),
    }
    post = Posterior(
        observed=table.observed,
        draws=np.vstack([o[0] for o in out]).astype(np.float64),
        occupied=np.vstack([o[1] for o in out]),
        k=k, settings=settings, seconds=seconds,
    )
    return Posterior(post.observed, post.draws, post.occupied, k, settings, seconds, tuple(_warnings(post)))


def warm_up() -> None:
    """Compile the numba kernel now (it is cached on disk afterwards)."""
    if _has_numba():
        pats = np.array([[0, 0, 1], [0, 1, 0], [1, 0, 0], [1, 1, 1]], dtype=np.int64)
        _numba_run(pats, np.array([3, 3, 3, 1], dtype=np.int64), 2, 0.25, 0.25, 1, 1, 1, 1)


# -- convergence checks -----------------------------------------------------------

def split_rhat(draws: np.ndarray) -> float:
    """Potential scale reduction of chains split in halves (Gelman et al. 2013); about 1 when converged."""
    x = np.atleast_2d(np.asarray(draws, dtype=float))
    half = x.shape[1] // 2
    if half < 2:
        return float("nan")
    parts = np.vstack([x[:, :half], x[:, -half:]])
    n = parts.shape[1]
    within = parts.var(axis=1, ddof=1).mean()
    between = n * parts.mean(axis=1).var(ddof=1)
    if within <= 0:
        return 1.0 if between <= 0 else float("inf")
    var_plus = (n - 1) / n * within + between / n
    return float(math.sqrt(var_plus / within))


def _autocorr(x: np.ndarray) -> np.ndarray:
    n = len(x)
    y = x - x.mean()
    f = np.fft.rfft(y, n=2 * n)
    ac = np.fft.irfft(f * np.conjugate(f))[:n]
    return ac / ac[0] if ac[0] > 0 else np.zeros(n)


def effective_sample_size(draws: np.ndarray) -> float:
    """Effective number of independent draws, pooled over chains (Geyer's initial positive sequence)."""
    x = np.atleast_2d(np.asarray(draws, dtype=float))
    chains, n = x.shape
    if n < 4 or np.all(x == x.flat[0]):
        return float(chains * n)
    rho = np.mean([_autocorr(c) for c in x], axis=0)
    tau = -1.0
    for t in range(0, n - 1, 2):
        pair = rho[t] + rho[t + 1]
        if pair <= 0:
            break
        tau += 2 * pair
    tau = max(tau, 1.0 / math.log10(max(chains * n, 10)))
    return float(chains * n / tau)


def geweke_z(chain: np.ndarray, first: float = 0.1, last: float = 0.5) -> float:
    """Geweke's z: the mean of the first 10% of a chain against the last 50%, in standard errors."""
    x = np.asarray(chain, dtype=float)
    a = x[: max(2, int(len(x) * first))]
    b = x[-max(2, int(len(x) * last)):]

    def var_of_mean(y: np.ndarray) -> float:
        ess = effective_sample_size(y[None, :])
        return float(y.var(ddof=1) / max(ess, 1.0))

    se = math.sqrt(var_of_mean(a) + var_of_mean(b))
    if se == 0:
        return 0.0
    return float((a.mean() - b.mean()) / se)


def _warnings(post: Posterior) -> list[str]:
    out: list[str] = []
    d = post.diagnostics
    if post.draws.shape[0] > 1 and not (d["rhat"] <= RHAT_MAX):
        out.append(f"chains disagree (split R-hat {d['rhat']:.2f} > {RHAT_MAX}): not converged; raise --iterations/--burn-in")
    if d["ess"] < ESS_MIN:
        out.append(f"only {d['ess']:.0f} effective draws of N (< {ESS_MIN:.0f}): the interval is rough; raise --iterations")
    if post.draws.shape[0] == 1 and d["geweke_z"] > GEWEKE_MAX:  # with several chains split R-hat covers drift
        out.append(f"a chain drifts (Geweke |z| {d['geweke_z']:.1f} > {GEWEKE_MAX}): burn-in may be too short")
    if d["all_classes_used"] > TRUNCATION_MAX:
        out.append(f"all {post.k} latent classes held 1% or more of the people in {d['all_classes_used']:.0%} of "
                   "draws: the truncation may bind; raise k (--classes)")
    return out


def stack(posteriors: Sequence[Posterior]) -> np.ndarray:
    """Draw-wise sum of N over independent strata (chains and draws aligned by position)."""
    shapes = {p.draws.shape for p in posteriors}
    if len(shapes) != 1:
        raise ValueError("strata were sampled with different numbers of chains or draws")
    return np.sum([p.draws for p in posteriors], axis=0)

"""The compiled Gibbs kernel of :mod:`reckon.estimates.lcmcr` (numba; cached on disk after the first run).

Kept in its own module so that importing :mod:`reckon.estimates.lcmcr` does not import numba.
"""

import math

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def run_chain(pats, counts, k, a_alpha, b_alpha, burn_in, n_keep, thinning, seed):
    np.random.seed(seed)
    m, nl = pats.shape
    n = 0
    for p in range(m):
        n += counts[p]
    lam = np.empty((nl, k))
    for j in range(nl):
        for c in range(k):
            lam[j, c] = np.random.beta(1.0, 1.0)
    alpha = 1.0
    v = np.empty(k)
    pi = np.empty(k)
    rest = 1.0
    for c in range(k - 1):
        v[c] = np.random.beta(1.0, alpha)
        pi[c] = v[c] * rest
        rest *= 1.0 - v[c]
    v[k - 1] = 1.0
    pi[k - 1] = rest
    ones = np.zeros((nl, k))
    size = np.zeros(k)
    w = np.empty(k)
    q0 = np.empty(k)
    keep_n = np.empty(n_keep, np.int64)
    keep_occ = np.empty(n_keep, np.int64)
    total = burn_in + n_keep * thinning
    kept = 0
    for it in range(total):
        ones[:, :] = 0.0
        size[:] = 0.0
        # 1. classes of the observed, pattern by pattern
        for p in range(m):
            s = 0.0
            for c in range(k):
                pr = pi[c]
                for j in range(nl):
                    pr *= lam[j, c] if pats[p, j] == 1 else 1.0 - lam[j, c]
                w[c] = pr
                s += pr
            left = counts[p]
            for c in range(k):
                if left == 0:
                    break
                if c == k - 1 or s <= 0.0:
                    x = left
                else:
                    pc = w[c] / s
                    x = np.random.binomial(left, min(1.0, max(0.0, pc)))
                s -= w[c]
                left -= x
                if x > 0:
                    size[c] += x
                    for j in range(nl):
                        if pats[p, j] == 1:
                            ones[j, c] += x
        # 2. the unseen: how many, then their classes
        p0 = 0.0
        for c in range(k):
            pr = pi[c]
            for j in range(nl):
                pr *= 1.0 - lam[j, c]
            q0[c] = pr
            p0 += pr
        p0 = min(max(p0, 0.0), 1.0 - 1e-12)
        n0 = np.random.negative_binomial(n, 1.0 - p0)
        left = n0
        s = p0
        for c in range(k):
            if left == 0:
                break
            if c == k - 1 or s <= 0.0:
                x = left
            else:
                x = np.random.binomial(left, min(1.0, max(0.0, q0[c] / s)))
            s -= q0[c]
            left -= x
            size[c] += x
        # 3. list probabilities per class
        for j in range(nl):
            for c in range(k):
                lam[j, c] = np.random.beta(1.0 + ones[j, c], 1.0 + size[c] - ones[j, c])
        # 4. stick-breaking weights
        above = 0.0
        for c in range(k):
            above += size[c]
        rest = 1.0
        log_rest = 0.0
        for c in range(k - 1):
            above -= size[c]
            vc = np.random.beta(1.0 + size[c], alpha + above)
            vc = min(vc, 1.0 - 1e-12)
            v[c] = vc
            pi[c] = vc * rest
            rest *= 1.0 - vc
            log_rest += math.log(1.0 - vc)
        pi[k - 1] = rest
        # 5. concentration
        alpha = np.random.gamma(a_alpha + k - 1, 1.0 / (b_alpha - log_rest))
        if it >= burn_in and (it - burn_in + 1) % thinning == 0:
            occ = 0  # classes holding at least 1% of the people (seen and unseen)
            for c in range(k):
                if size[c] >= 0.01 * (n + n0):
                    occ += 1
            keep_n[kept] = n + n0
            keep_occ[kept] = occ
            kept += 1
    return keep_n, keep_occ

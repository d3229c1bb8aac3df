"""Time per Gibbs iteration of the LCMCR sampler on the Kosovo four-list table.

Runs R's documented settings (K = 10, a = b = 0.25, burn-in 10,000, 1,000
draws at thinning 100: 110,000 iterations) as single chains, one core, with
the compiled (numba) engine and the pure numpy engine, and prints the time per
iteration beside R's LCMCR 0.4.14 (15.5 microseconds per iteration on the
same two-core machine, from ../shared/data/mse/README.md).

    python bench/bench_lcmcr.py [--repeats 5] [--data ../shared/data/mse/kosovo.csv]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from pathlib import Path

from reckon.estimates import lcmcr
from reckon.estimates.io import read_table

HERE = Path(__file__).resolve().parent
DEFAULT = HERE.parent.parent / "shared" / "data" / "mse" / "kosovo.csv"
R_MICROSECONDS = 15.5


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--numpy-iterations", type=int, default=20_000, help="the numpy engine is slower; time fewer")
    args = ap.parse_args()
    table = read_table(args.data)[0]
    print(f"{args.data.name}: {table.k} lists, {table.observed:,} people, {len(table.without_empty().counts)} patterns")
    print(f"python {platform.python_version()}, {platform.machine()}")

    t0 = time.perf_counter()
    lcmcr.warm_up()
    print(f"numba kernel ready in {time.perf_counter() - t0:.2f} s (compile on first use, then loaded from cache)")

    per_iter: list[float] = []
    medians: list[float] = []
    for rep in range(args.repeats):
        post = lcmcr.sample(table, k=10, burn_in=10_000, iterations=100_000, thinning=100, chains=1, seed=rep + 1,
                            engine="numba")
        per_iter.append(post.diagnostics["microseconds_per_iteration"])
        medians.append(post.median)
        lo, hi = post.interval()
        print(f"  numba seed {rep + 1}: {post.seconds:.2f} s for 110,000 iterations "
              f"({per_iter[-1]:.1f} us/iter); N median {post.median:,.0f} ({lo:,.0f}-{hi:,.0f})")
    print(f"numba: median {statistics.median(per_iter):.1f} us/iteration "
          f"(R LCMCR {R_MICROSECONDS} us/iteration: {R_MICROSECONDS / statistics.median(per_iter):.2f}x)")

    its = args.numpy_iterations
    post = lcmcr.sample(table, k=10, burn_in=its // 10, iterations=its, thinning=100, chains=1, seed=1, engine="numpy")
    us = post.diagnostics["microseconds_per_iteration"]
    print(f"numpy: {us:.1f} us/iteration ({post.settings['total_iterations']:,} iterations timed)")


if __name__ == "__main__":
    main()

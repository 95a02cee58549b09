"""parmath ``f(x, out=y)`` against a hand-written thread pool of NumPy's own ``f`` over halves.

Usage: ``python scripts/interleaved_threadpool.py [--n 10000000] [--repeat 30]``.

On a shared, noisy machine two strategies timed one after the other in separate blocks (as
``parmath bench`` does) can swap places from run to run. Here the two calls alternate, ``--repeat``
times each, for ``exp`` and ``log`` in float64 and float32 (inputs uniform in [0.01, 1.01)), and the
medians and their ratio are printed: what is left is the difference between the two, not the
machine's drift.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import numpy as np

import parmath
from parmath.bench import _chunk_bounds  # the spans of bench's thread-pool strategy


def _by_hand(
    pool: ThreadPoolExecutor,
    func: np.ufunc,
    x: np.ndarray,
    y: np.ndarray,
    bounds: list[tuple[int, int]],
) -> None:
    """`func(x, out=y)` with a span of the pool per thread, as users write it by hand."""
    jobs = [pool.submit(func, x[a:b], out=y[a:b]) for a, b in bounds]
    for job in jobs:
        job.result()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=lambda s: int(float(s)), default=10_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    threads = parmath.get_num_threads()
    print(f"{dt.datetime.now(dt.timezone.utc).isoformat(timespec='seconds')}  {platform.node()}")
    print(f"n={args.n:,}, repeat={args.repeat}, threads={threads} (pool: {threads} spans)")
    with ThreadPoolExecutor(threads) as pool:
        for dtype in (np.float64, np.float32):
            x = np.random.default_rng(1).random(args.n).astype(dtype) + dtype(0.01)
            y = np.empty_like(x)
            bounds = _chunk_bounds(args.n, threads)
            for name in ("exp", "log"):
                ours, theirs = getattr(parmath, name), getattr(np, name)

                by_hand = partial(_by_hand, pool, theirs, x, y, bounds)
                ours(x, out=y)
                by_hand()
                a, b = [], []
                for _ in range(args.repeat):
                    t = time.perf_counter()
                    ours(x, out=y)
                    a.append(time.perf_counter() - t)
                    t = time.perf_counter()
                    by_hand()
                    b.append(time.perf_counter() - t)
                pm, tp = statistics.median(a), statistics.median(b)
                print(
                    f"{name} {np.dtype(dtype).name}: parmath {pm * 1e3:.2f} ms, "
                    f"thread pool {tp * 1e3:.2f} ms, pool / parmath {tp / pm:.2f}"
                )


if __name__ == "__main__":
    main()

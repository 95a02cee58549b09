"""Where splitting a call across threads starts to pay, per function: the data behind ``cost``.

For each function and dtype, the time of ``f(x, out=y)`` on one thread (parallel threshold forced
to 2**62) over the time on all threads (threshold 1), for 8K to 512K items, in batches of about
2 ms alternating (``parmath.bench``'s timer). A function of registry cost c splits from
``parallel_threshold / c`` items (65,536 / c by default); the ratio there should be above 1.
From outputs of 1 MiB (128K float64 items) the one-thread call streams its stores past the
cache while the threads' smaller slices do not, so the ratio there also counts that: the costs
were set from the smaller sizes.

    python scripts/split_points.py add,exp,erf float64,float32
"""

from __future__ import annotations

import argparse
import statistics
from functools import partial

import numpy as np

import parmath
from parmath import _core
from parmath.bench import _time_alternating

SIZES = (8_192, 16_384, 32_768, 65_536, 131_072, 262_144, 524_288)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("funcs", help="comma list of registry functions, or 'all'")
    parser.add_argument("dtypes", nargs="?", default="float64,float32", help="comma list")
    parser.add_argument("--repeat", type=int, default=15, help="batches per timing (median)")
    args = parser.parse_args()
    rows = {row["name"]: row for row in _core.registry()}
    funcs = list(rows) if args.funcs == "all" else args.funcs.split(",")
    rng = np.random.default_rng(1)
    previous = _core.parallel_threshold()
    try:
        for func in funcs:
            f = getattr(parmath, func)
            for dtype in args.dtypes.split(","):
                xs = [rng.uniform(0.1, 10.0, SIZES[-1]).astype(dtype) for _ in range(f.nin)]
                cells = []
                for n in SIZES:
                    y = np.empty(n, dtype)
                    operands = [x[:n] for x in xs]

                    def call(
                        threshold: int,
                        f: np.ufunc = f,
                        operands: list[np.ndarray] = operands,
                        y: np.ndarray = y,
                    ) -> None:
                        _core._set_parallel_threshold(threshold)
                        f(*operands, out=y)

                    serial, split = _time_alternating(
                        [partial(call, 1 << 62), partial(call, 1)], args.repeat
                    )
                    cells.append(
                        f"{n // 1024}K {statistics.median(serial) / statistics.median(split):.2f}"
                    )
                cost = rows[func]["cost"][dtype]
                print(f"{func:10s} {dtype} (cost {cost:g}): " + "  ".join(cells), flush=True)
    finally:
        _core._set_parallel_threshold(previous)


if __name__ == "__main__":
    main()

"""One core's time per item of registry functions at the active ISA level, and a comparison.

Each function (float64 and float32) runs on 4,096 items (below every parallel threshold, so on
the calling thread), inputs drawn as ``parmath bench`` draws them; the best of 30 batches of 50
calls is printed in ns per item. Set ``PARMATH_ISA`` to time another level. The figures behind
the README's table of AVX2 kernels came from

    PARMATH_ISA=avx2 python scripts/per_core.py --json before.json      # build before
    PARMATH_ISA=avx2 python scripts/per_core.py --json after.json       # build after
    python scripts/per_core.py --compare before.json after.json
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

import parmath
from parmath.bench import DEFAULT_RANGE, INPUT_RANGES

FUNCTIONS = (
    "exp,log,exp2,expm1,log2,log10,log1p,sin,cos,tan,arcsin,arccos,arctan,arctan2,sinh,cosh,"
    "tanh,arcsinh,arccosh,arctanh,cbrt,hypot,power,expit,erf,erfc"
)


def time_one(func: str, dtype: type, n: int = 4096) -> float:
    """Best ns per item of ``parmath.<func>(..., out=y)`` over 30 batches of 50 calls."""
    ufunc = getattr(parmath, func)
    rng = np.random.default_rng(1)
    ranges = INPUT_RANGES.get(func, (DEFAULT_RANGE,))
    args = []
    for i in range(ufunc.nin):
        lo, hi = ranges[min(i, len(ranges) - 1)]
        # As the bench draws them: in (lo, hi], never on lo (log(0), arccosh below 1).
        args.append((hi - (hi - lo) * rng.random(n)).astype(dtype))
    out = np.empty(n, dtype)
    best = float("inf")
    with np.errstate(all="ignore"):
        for _ in range(30):
            start = time.perf_counter()
            for _ in range(50):
                ufunc(*args, out=out)
            best = min(best, (time.perf_counter() - start) / 50 / n * 1e9)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--func", default=FUNCTIONS, help="comma list (default: the kernels)")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"), help="two JSON files")
    args = parser.parse_args()
    if args.compare:
        with open(args.compare[0]) as f:
            before = json.load(f)
        with open(args.compare[1]) as f:
            after = json.load(f)
        for key in before:
            if key in after:
                ratio = before[key] / after[key]
                print(f"{key:18s} {before[key]:6.2f} -> {after[key]:6.2f} ns/item  {ratio:5.2f}x")
        return
    figures = {}
    for func in args.func.split(","):
        for dtype in (np.float64, np.float32):
            figures[f"{func}/{dtype.__name__}"] = time_one(func, dtype)
            print(
                f"{func:10s} {dtype.__name__:8s} {figures[f'{func}/{dtype.__name__}']:6.2f} ns/item"
            )
    print(f"isa: {parmath._core.isa_active()}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(figures, f, indent=1)


if __name__ == "__main__":
    main()

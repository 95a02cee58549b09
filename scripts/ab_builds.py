"""Time one function of two builds of parmath's extension side by side, in one process.

Each build is an ``_core.abi3.so`` copied aside (``cp python/parmath/_core.abi3.so /tmp/a.so``
before a change, ``/tmp/b.so`` after); calls of NumPy, build A and build B alternate, so the
machine's drift hits all three alike, and the best of the rounds is printed per item. Unary and
binary functions; float64 and float32.

    python scripts/ab_builds.py /tmp/a.so /tmp/b.so power --n 4096 --low 0 --high 2
"""

from __future__ import annotations

import argparse
import importlib.util
import time
from types import ModuleType

import numpy as np


def load(path: str) -> ModuleType:
    """Load an extension build from `path` as a module of its own."""
    spec = importlib.util.spec_from_file_location("_core", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def reference(func):
    """NumPy's ufunc, or SciPy's for the functions NumPy lacks (expit, erf, erfc)."""
    if hasattr(np, func):
        return getattr(np, func)
    import scipy.special

    return getattr(scipy.special, func)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", help="the first build's _core.abi3.so")
    parser.add_argument("b", help="the second build's _core.abi3.so")
    parser.add_argument("func", help="a registry function, e.g. exp or power")
    parser.add_argument("--n", type=int, default=4096, help="items per call (default 4096)")
    parser.add_argument("--low", type=float, default=-10.0, help="inputs drawn from [low, high)")
    parser.add_argument("--high", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=0, help="rounds (default: about 1e8 / n)")
    args = parser.parse_args()
    builds = {"A": load(args.a), "B": load(args.b)}
    rng = np.random.default_rng(1)
    rounds = args.rounds or max(5, int(1e8 // args.n // 100))
    for dtype in (np.float64, np.float32):
        fs = {
            "numpy": reference(args.func),
            **{k: getattr(m, args.func) for k, m in builds.items()},
        }
        nin = fs["A"].nin
        xs = [rng.uniform(args.low, args.high, args.n).astype(dtype) for _ in range(nin)]
        if args.func == "power":
            xs[1] = rng.uniform(-3.0, 3.0, args.n).astype(dtype)
        out = np.empty(args.n, dtype)
        best = dict.fromkeys(fs, float("inf"))
        with np.errstate(all="ignore"):
            for _ in range(rounds):
                for name, f in fs.items():
                    start = time.perf_counter()
                    f(*xs, out=out)
                    best[name] = min(best[name], time.perf_counter() - start)
        cells = "  ".join(f"{k} {v / args.n * 1e9:.3f}" for k, v in best.items())
        print(f"{args.func} n={args.n} {np.dtype(dtype).name}: {cells} ns/item")


if __name__ == "__main__":
    main()

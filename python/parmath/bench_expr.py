"""``parmath bench --suite expressions``: fused formulas against numexpr and naive NumPy.

Each formula runs over ``n`` items per input with the output preallocated: parmath.evaluate,
numexpr.evaluate (same thread count), NumPy written naively (one temporary array per step), and
the memory floor for the formula's traffic (a threaded ``np.add(a, b, out=y)``: two arrays read,
one written).
"""

from __future__ import annotations

import statistics
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from types import ModuleType

    from .bench import Settings

#: The formulas, with NumPy written the way people write it (a temporary array per operation).
EXPRESSIONS: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "2*a + 3*b": lambda a, b: 2 * a + 3 * b,
    "sin(a)**2 + cos(b)**2": lambda a, b: np.sin(a) ** 2 + np.cos(b) ** 2,
    "(a - b) / (a + b + 1)": lambda a, b: (a - b) / (a + b + 1),
    "tanh(a) * where(b > 0.5, a, b)": lambda a, b: np.tanh(a) * np.where(b > 0.5, a, b),
    "exp(-a**2 / 2) * sin(b) + 1": lambda a, b: np.exp(-(a**2) / 2) * np.sin(b) + 1,
}

#: Formulas that only stream memory: judged against the floor.
MEMORY_BOUND = ("2*a + 3*b", "(a - b) / (a + b + 1)")


@dataclass
class ExpressionRow:
    """One formula and dtype (also the JSON row)."""

    expression: str
    dtype: str
    n: int
    parmath_s: float
    numexpr_s: float | None
    numpy_s: float
    floor_s: float
    max_ulp_vs_numpy: float


def measure(pm: ModuleType, settings: Settings) -> list[ExpressionRow]:
    """Time every formula for every dtype of `settings`.

    parmath, naive NumPy, numexpr and the traffic floor are timed in batches alternating round by
    round (`bench._time_alternating`), so that the machine's drifts hit each alike.
    """
    from .bench import (
        _import_optional,
        _numexpr_threads,
        _parallel_pass,
        _time_alternating,
        ulp_distance,
    )

    ne = _import_optional("numexpr")
    rows = []
    rng = np.random.default_rng(20240601)
    for dtype in settings.dtypes:
        a = rng.uniform(-1, 1, settings.n).astype(dtype)
        b = rng.uniform(0, 1, settings.n).astype(dtype)
        y, y_ne, y_floor = np.ones_like(a), np.ones_like(a), np.ones_like(a)
        values = {"a": a, "b": b}
        for text, naive in EXPRESSIONS.items():
            if not settings.quiet:
                print(f"  {text} ({dtype}) ...", flush=True, file=sys.stderr)
            with (
                ThreadPoolExecutor(settings.workers) as executor,
                pm.threads(settings.workers),
                _numexpr_threads(ne, settings.workers) if ne is not None else nullcontext(),
            ):
                calls: dict[str, Callable[[], object]] = {
                    "parmath": partial(pm.evaluate, text, values, out=y),
                    "numpy": partial(naive, a, b),
                    "floor": partial(_parallel_pass, [a, b], y_floor, executor, settings.workers),
                }
                if ne is not None:
                    calls["numexpr"] = partial(ne.evaluate, text, local_dict=values, out=y_ne)
                timed = _time_alternating(list(calls.values()), settings.repeat)
            med = {k: statistics.median(t) for k, t in zip(calls, timed, strict=True)}
            ref = naive(a, b)
            ulp = float(np.max(ulp_distance(y, ref.astype(dtype)), initial=0.0))
            rows.append(
                ExpressionRow(
                    text,
                    dtype,
                    settings.n,
                    med["parmath"],
                    med.get("numexpr"),
                    med["numpy"],
                    med["floor"],
                    ulp,
                )
            )
    return rows


def format_rows(rows: list[ExpressionRow]) -> list[str]:
    """Format the table: times in ms and the ratios the goals are stated in."""
    head = (
        f"{'expression':<32} {'dtype':<8} {'parmath ms':>10} {'numexpr ms':>10} "
        f"{'numpy ms':>9} {'floor ms':>8} {'vs numexpr':>10} {'vs numpy':>8} "
        f"{'pm/floor':>8} {'max ulp':>7}"
    )
    lines = [head]
    for r in rows:
        ne = f"{r.numexpr_s * 1e3:10.3f}" if r.numexpr_s else f"{'-':>10}"
        vs_ne = f"{r.numexpr_s / r.parmath_s:9.2f}x" if r.numexpr_s else f"{'-':>10}"
        lines.append(
            f"{r.expression:<32} {r.dtype:<8} {r.parmath_s * 1e3:10.3f} {ne} "
            f"{r.numpy_s * 1e3:9.3f} {r.floor_s * 1e3:8.3f} {vs_ne} "
            f"{r.numpy_s / r.parmath_s:7.2f}x {r.parmath_s / r.floor_s:7.2f}x "
            f"{r.max_ulp_vs_numpy:7.0f}"
        )
    return lines


def summary(rows: list[ExpressionRow]) -> list[str]:
    """Which goals each row meets: 1.5x numexpr, 3x naive NumPy, 1.2x the floor (memory-bound)."""
    out = []
    for r in rows:
        goals = [
            ("1.5x numexpr", r.numexpr_s is not None and r.numexpr_s / r.parmath_s >= 1.5),
            ("3x numpy", r.numpy_s / r.parmath_s >= 3.0),
        ]
        if r.expression in MEMORY_BOUND:
            goals.append(("<= 1.2x floor", r.parmath_s / r.floor_s <= 1.2))
        missed = [g for g, ok in goals if not ok]
        verdict = "all goals met" if not missed else "missed: " + ", ".join(missed)
        out.append(f"{r.expression} {r.dtype}: {verdict}")
    return out


def execute(settings: Settings, pm: ModuleType, info: dict[str, Any]) -> int:
    """Run the suite and print (and optionally write) the table."""
    from .bench import _header, _write_json

    header = _header(info, settings)
    header[-1] = "data    : a uniform [-1, 1), b uniform [0, 1), seed 20240601, cast to dtype"
    header.append(
        f"timing  : parmath, naive NumPy, numexpr and the floor in alternating runs, "
        f"median of {settings.repeat}"
    )
    print("\n".join(header), flush=True)
    rows = measure(pm, settings)
    isa = info["parmath"].get("isa", "?")
    print(f"\n== expressions, n={settings.n:,} per input, isa={isa} ==", flush=True)
    print("\n".join([*format_rows(rows), *summary(rows)]), flush=True)
    if settings.json_path is not None:
        _write_json(settings.json_path, info, settings, rows)
    return 0

"""The ``parmath bench`` command: time parmath against the usual alternatives.

Suite ``strategies`` (the default and, for now, the only one) computes ``f(x)``
for ``f`` in ``exp``/``log`` over ``n`` elements in several ways and prints one
table row per strategy: median time, speed relative to numpy's ``f(x)``, and
the maximum absolute and ULP differences from numpy's result.

Methodology
-----------
* Data: ``n`` float64 values drawn with ``numpy.random.default_rng(SEED)``,
  uniform on ``[0, 1)`` for ``exp``; ``log`` uses ``1 - u``, i.e. ``(0, 1]``,
  so that no input is exactly zero.  The draw is then cast to the dtype.
* Timing: each strategy runs ``--repeat`` times and the median of the
  ``time.perf_counter`` durations is reported.  Setup (process and thread
  pools, shared-memory segments, output buffers, the copy used by the in-place
  strategy) happens outside the timed region; for pool strategies only the
  ``map`` call plus joining its results is timed.
* Process pools use the ``fork`` start method on Linux (cheap start-up; the
  workers inherit the parent's modules) and the platform default elsewhere.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import importlib
import itertools
import json
import math
import multiprocessing
import os
import platform
import signal
import statistics
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import asdict, dataclass
from functools import partial
from multiprocessing.pool import Pool
from multiprocessing.shared_memory import SharedMemory
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext
    from types import ModuleType

Array = npt.NDArray[Any]

SEED = 20240601
DEFAULT_N = 10_000_000
DEFAULT_REPEAT = 5
FUNCS = ("exp", "log")
DTYPES = ("float64", "float32")
SPLIT_PARTS = 64
ITEM_CHUNKSIZE = 1000
POOL_NOTE = "pool made untimed; map+join timed"
DESCRIPTION = (
    "Time parmath against numpy, process/thread pools, numexpr and a parallel-copy memory floor."
)


# ----------------------------------------------------------------------------
# Accuracy helpers
# ----------------------------------------------------------------------------


def _ordered_bits(x: Array) -> Array:
    """Map floats to unsigned integers that sort like the floats.

    ``+0.0`` and ``-0.0`` get the same key and adjacent floats adjacent keys,
    so key differences count ULPs.
    """
    utype = np.dtype(f"u{x.dtype.itemsize}")
    bits = x.view(utype)
    sign = utype.type(1 << (8 * x.dtype.itemsize - 1))
    magnitude = bits & ~sign
    keys: Array = np.where(bits & sign, sign - magnitude, sign + magnitude)
    return keys


def ulp_distance(a: npt.ArrayLike, b: npt.ArrayLike) -> Array:
    """Return the element-wise distance between `a` and `b` in ULPs.

    Parameters
    ----------
    a, b : array_like
        Floating-point inputs (float16, float32 or float64), broadcast
        together and compared in their common dtype.

    Returns
    -------
    numpy.ndarray
        Unsigned integers as wide as the common dtype: how many representable
        steps separate each pair.  ``+0.0`` and ``-0.0`` are 0 apart, two NaNs
        are 0 apart, and a NaN against a non-NaN gives the integer type's
        maximum.

    Raises
    ------
    TypeError
        If the common dtype is not float16, float32 or float64.
    """
    xa, xb = np.asarray(a), np.asarray(b)
    dtype = np.result_type(xa, xb)
    if dtype.kind != "f" or dtype.itemsize not in (2, 4, 8):
        msg = f"ulp_distance needs float16/32/64 inputs, got {dtype}"
        raise TypeError(msg)
    xa, xb = np.broadcast_arrays(xa.astype(dtype), xb.astype(dtype))
    ka, kb = _ordered_bits(xa), _ordered_bits(xb)
    dist: Array = np.where(ka >= kb, ka - kb, kb - ka)
    nan_a, nan_b = np.isnan(xa), np.isnan(xb)
    dist[nan_a & nan_b] = 0
    dist[nan_a ^ nan_b] = np.iinfo(dist.dtype).max
    return dist


def max_abs_diff(a: npt.ArrayLike, b: npt.ArrayLike) -> float:
    """Return ``max(|a - b|)`` in float64; equal values (NaN, inf too) count as 0.

    Parameters
    ----------
    a, b : array_like
        Values to compare.

    Returns
    -------
    float
        The largest absolute difference (NaN if only one side has a NaN).
    """
    xa, xb = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        diff = np.abs(xa - xb)
    same = (xa == xb) | (np.isnan(xa) & np.isnan(xb))
    diff = np.where(same, 0.0, diff)
    return float(diff.max()) if diff.size else 0.0


# ----------------------------------------------------------------------------
# Strategy machinery
# ----------------------------------------------------------------------------


class UnavailableError(Exception):
    """Raised while preparing a strategy that cannot run here (missing package)."""


@dataclass(frozen=True)
class Case:
    """One workload: function, input, numpy's reference result, and the tools."""

    func: str
    dtype: np.dtype[Any]
    x: Array
    ref: Array
    workers: int
    pm: ModuleType
    mp_context: BaseContext

    @property
    def n(self) -> int:
        """Number of elements."""
        return int(self.x.size)

    @property
    def np_func(self) -> np.ufunc:
        """Numpy's ufunc for the function."""
        ufunc: np.ufunc = getattr(np, self.func)
        return ufunc

    @property
    def pm_func(self) -> np.ufunc:
        """Parmath's ufunc for the function."""
        ufunc: np.ufunc = getattr(self.pm, self.func)
        return ufunc


def _nothing() -> None:
    """Do nothing (the default per-repetition reset)."""


@dataclass(frozen=True)
class Prepared:
    """A strategy ready to time: `call` is timed, `reset` runs untimed before it."""

    call: Callable[[], Array]
    reset: Callable[[], object] = _nothing


PrepareFn = Callable[[Case], AbstractContextManager[Prepared]]


@dataclass(frozen=True)
class Strategy:
    """A named way of computing ``f(x)``; ``{f}`` in texts is the function name."""

    key: str
    label: str
    notes: str
    prepare: PrepareFn
    full_only: bool = False
    compare: bool = True

    def title(self, func: str) -> str:
        """Return the label for function `func`."""
        return self.label.format(f=func)


@dataclass
class Row:
    """Result of one strategy on one case (also the JSON row)."""

    strategy: str
    label: str
    func: str
    dtype: str
    n: int
    times_s: list[float]
    median_s: float | None
    speed: float | None
    max_abs_diff: float | None
    max_ulp_diff: int | None
    notes: str
    status: str = "ok"


def _pick_numpy(case: Case) -> np.ufunc:
    return case.np_func


def _pick_parmath(case: Case) -> np.ufunc:
    return case.pm_func


def _touched_like(x: Array) -> Array:
    """Return an output buffer like `x` whose pages are already faulted in."""
    y = np.empty_like(x)
    y.fill(0)
    return y


def _chunk_bounds(n: int, parts: int) -> list[tuple[int, int]]:
    """Split ``range(n)`` into at most `parts` contiguous ``(start, stop)`` spans."""
    edges = np.linspace(0, n, min(parts, n) + 1).astype(int).tolist()
    return list(itertools.pairwise(edges))


def _fresh(pick: Callable[[Case], np.ufunc]) -> PrepareFn:
    """Strategy factory: ``f(x)`` into a newly allocated array."""

    def prepare(case: Case) -> AbstractContextManager[Prepared]:
        f, x = pick(case), case.x
        return nullcontext(Prepared(lambda: f(x)))

    return prepare


def _with_out(pick: Callable[[Case], np.ufunc]) -> PrepareFn:
    """Strategy factory: ``f(x, out=y)`` into a buffer allocated once."""

    def prepare(case: Case) -> AbstractContextManager[Prepared]:
        f, x, y = pick(case), case.x, _touched_like(case.x)
        return nullcontext(Prepared(lambda: f(x, out=y)))

    return prepare


def _in_place(pick: Callable[[Case], np.ufunc]) -> PrepareFn:
    """Strategy factory: ``f(x2, out=x2)``; x2 is refilled from x untimed."""

    def prepare(case: Case) -> AbstractContextManager[Prepared]:
        f, x, x2 = pick(case), case.x, np.empty_like(case.x)
        return nullcontext(Prepared(call=lambda: f(x2, out=x2), reset=lambda: np.copyto(x2, x)))

    return prepare


Kernel = Callable[[Array, Array], object]


def _threaded(kernel_for: Callable[[Case], Kernel]) -> PrepareFn:
    """Strategy factory: threads run ``kernel(x[a:b], y[a:b])`` on `workers` spans."""

    @contextmanager
    def prepare(case: Case) -> Iterator[Prepared]:
        kernel, x, y = kernel_for(case), case.x, _touched_like(case.x)
        bounds = _chunk_bounds(case.n, case.workers)

        def work(span: tuple[int, int]) -> None:
            kernel(x[span[0] : span[1]], y[span[0] : span[1]])

        with ThreadPoolExecutor(case.workers) as executor:

            def call() -> Array:
                list(executor.map(work, bounds))  # list() re-raises worker errors
                return y

            yield Prepared(call)

    return prepare


def _ufunc_kernel(case: Case) -> Kernel:
    f = case.np_func
    return lambda src, dst: f(src, out=dst)


def _copy_kernel(_case: Case) -> Kernel:
    return lambda src, dst: np.copyto(dst, src)


# ---- process pools ---------------------------------------------------------


def _mp_context() -> BaseContext:
    """Return the ``fork`` context on Linux when available, else the default."""
    linux = sys.platform.startswith("linux")
    if linux and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _init_worker(setup: Callable[..., object] | None, *args: object) -> None:
    """Pool initializer: ignore Ctrl-C, then run `setup`.

    Only the parent handles SIGINT: it terminates the pool.  A worker killed
    by SIGINT while holding the task queue's lock would make
    ``Pool.terminate`` wait forever.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if setup is not None:
        setup(*args)


def _make_pool(
    case: Case,
    setup: Callable[..., object] | None = None,
    setup_args: Sequence[object] = (),
) -> Pool:
    """Create a pool of ``case.workers`` processes, each running `setup` first."""
    with warnings.catch_warnings():
        # Python >= 3.12 warns when forking a threaded process; the workers
        # only run numpy/math code, never the parent's thread pools.
        warnings.filterwarnings(
            "ignore",
            message=r".*fork\(\) may lead to deadlocks",
            category=DeprecationWarning,
        )
        initargs = (setup, *setup_args)
        return case.mp_context.Pool(case.workers, _init_worker, initargs)


def _exp_item(value: float) -> float:
    """Return ``math.exp`` of one item (picklable Pool.map target)."""
    return math.exp(value)


def _log_item(value: float) -> float:
    """Return ``math.log`` of one item (picklable Pool.map target)."""
    return math.log(value)


_SCALAR_FUNCS: dict[str, Callable[[float], float]] = {
    "exp": _exp_item,
    "log": _log_item,
}

PoolTask = Callable[[Case, Pool], Array]


def _pooled(task: PoolTask) -> PrepareFn:
    """Strategy factory: create a process pool (untimed), time ``task(case, pool)``."""

    @contextmanager
    def prepare(case: Case) -> Iterator[Prepared]:
        with _make_pool(case) as pool:
            yield Prepared(lambda: task(case, pool))

    return prepare


def _map_items(chunksize: int | None) -> PoolTask:
    """Pool task: ``pool.map(f_scalar, x, chunksize)``, then build the array."""

    def task(case: Case, pool: Pool) -> Array:
        results = pool.map(_SCALAR_FUNCS[case.func], case.x, chunksize)
        return np.fromiter(results, dtype=case.dtype, count=case.n)

    return task


def _map_split(parts: int) -> PoolTask:
    """Pool task: ``pool.map(f, np.array_split(x, parts))`` + ``np.concatenate``."""

    def task(case: Case, pool: Pool) -> Array:
        return np.concatenate(pool.map(case.np_func, np.array_split(case.x, parts)))

    return task


@dataclass(frozen=True)
class _SharedView:
    """A worker's cached attachment to the input and output segments."""

    func: np.ufunc
    segments: tuple[SharedMemory, SharedMemory]
    x: Array
    y: Array


_WORKER_STATE: dict[str, _SharedView] = {}


def _shared_array(shm: SharedMemory, n: int, dtype: np.dtype[Any]) -> Array:
    return np.ndarray((n,), dtype=dtype, buffer=shm.buf)


def _shm_attach(func: str, in_name: str, out_name: str, n: int, dtype: str) -> None:
    """Pool initializer: attach to both segments once per worker, cache views."""
    segments = (SharedMemory(name=in_name), SharedMemory(name=out_name))
    x, y = (_shared_array(shm, n, np.dtype(dtype)) for shm in segments)
    _WORKER_STATE["view"] = _SharedView(getattr(np, func), segments, x, y)


def _shm_compute(span: tuple[int, int]) -> None:
    """Pool task: ``f(x[a:b], out=y[a:b])`` on the shared segments."""
    view, (a, b) = _WORKER_STATE["view"], span
    view.func(view.x[a:b], out=view.y[a:b])


def _release(shm: SharedMemory) -> None:
    """Close and unlink a segment; it is unlinked even if closing fails."""
    try:
        shm.close()
    except BufferError:
        pass  # a view is still referenced (e.g. by a traceback); unmapped later
    finally:
        shm.unlink()


@contextmanager
def _segment(nbytes: int) -> Iterator[SharedMemory]:
    """Create a shared-memory segment that is always closed and unlinked."""
    shm = SharedMemory(create=True, size=max(nbytes, 1))
    try:
        yield shm
    finally:
        _release(shm)


@contextmanager
def _shared_memory_pool(case: Case) -> Iterator[Prepared]:
    """Strategy: worker processes compute their span in place in shared memory."""
    nbytes = case.x.nbytes
    with _segment(nbytes) as shm_in, _segment(nbytes) as shm_out:
        views = [_shared_array(s, case.n, case.dtype) for s in (shm_in, shm_out)]
        try:
            views[0][...] = case.x
            views[1].fill(0)
            initargs = (case.func, shm_in.name, shm_out.name, case.n, case.dtype.str)
            bounds = _chunk_bounds(case.n, case.workers)
            with _make_pool(case, _shm_attach, initargs) as pool:

                def call() -> Array:
                    pool.map(_shm_compute, bounds, chunksize=1)
                    return views[1]

                yield Prepared(call)
        finally:
            views.clear()  # drop our views so that the segments can be closed


# ---- optional numexpr ------------------------------------------------------


def _import_optional(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


@contextmanager
def _numexpr(case: Case) -> Iterator[Prepared]:
    """Strategy: ``numexpr.evaluate("f(x)")`` with `workers` threads."""
    ne = _import_optional("numexpr")
    if ne is None:
        msg = "not installed"
        raise UnavailableError(msg)
    previous = ne.set_num_threads(case.workers)
    try:
        expression, local_dict = f"{case.func}(x)", {"x": case.x}
        yield Prepared(lambda: ne.evaluate(expression, local_dict=local_dict))
    finally:
        ne.set_num_threads(previous)


STRATEGIES: tuple[Strategy, ...] = (
    Strategy("numpy_fresh", "numpy {f}(x)", "baseline, fresh output", _fresh(_pick_numpy)),
    Strategy("numpy_out", "numpy {f}(x, out=y)", "y allocated once", _with_out(_pick_numpy)),
    Strategy(
        "pool_map_items",
        "pool.map per item",
        f"math.{{f}}, default chunks; {POOL_NOTE}",
        _pooled(_map_items(None)),
        full_only=True,
    ),
    Strategy(
        "pool_map_items_chunked",
        f"pool.map per item, chunksize={ITEM_CHUNKSIZE}",
        f"math.{{f}}; {POOL_NOTE}",
        _pooled(_map_items(ITEM_CHUNKSIZE)),
        full_only=True,
    ),
    Strategy(
        "pool_map_split",
        f"pool.map split {SPLIT_PARTS}",
        f"array_split+concatenate; {POOL_NOTE}",
        _pooled(_map_split(SPLIT_PARTS)),
    ),
    Strategy(
        "pool_shared_memory",
        "process pool, shared memory",
        "in place, a span per worker; pool made untimed",
        _shared_memory_pool,
    ),
    Strategy(
        "thread_pool_out",
        "thread pool, out= slices",
        "a span per thread; executor made untimed",
        _threaded(_ufunc_kernel),
    ),
    Strategy("numexpr", "numexpr evaluate", "threads = workers", _numexpr),
    Strategy(
        "copy_floor",
        "memory floor: parallel copy (same bytes)",
        "threaded np.copyto, not {f}",
        _threaded(_copy_kernel),
        compare=False,
    ),
    Strategy("parmath_fresh", "parmath {f}(x)", "fresh output", _fresh(_pick_parmath)),
    Strategy(
        "parmath_out",
        "parmath {f}(x, out=y)",
        "y allocated once",
        _with_out(_pick_parmath),
    ),
    Strategy(
        "parmath_inplace",
        "parmath {f}(x2, out=x2) in place",
        "x2 refilled from x untimed",
        _in_place(_pick_parmath),
    ),
)


# ----------------------------------------------------------------------------
# Running and measuring
# ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """Parsed command-line options."""

    n: int
    repeat: int
    workers: int
    funcs: tuple[str, ...]
    dtypes: tuple[str, ...]
    suite: str
    full: bool
    quiet: bool
    json_path: Path | None

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Settings:
        """Build settings from a namespace parsed with `add_arguments` options."""
        return cls(
            n=args.n,
            repeat=args.repeat,
            workers=args.workers or os.cpu_count() or 1,
            funcs=_flatten(args.func) or ("exp",),
            dtypes=_flatten(args.dtype) or ("float64",),
            suite=args.suite,
            full=args.full,
            quiet=args.quiet,
            json_path=args.json,
        )


@dataclass
class SuiteResult:
    """Rows and summary lines of one suite on one case."""

    rows: list[Row]
    summary: list[str]


Suite = Callable[[Case, Settings], SuiteResult]


def _progress(settings: Settings, index: int, total: int, text: str) -> None:
    if not settings.quiet:
        print(f"[{index}/{total}] {text} ...", file=sys.stderr, flush=True)


def _time_once(prepared: Prepared) -> tuple[float, Array]:
    prepared.reset()
    start = time.perf_counter()
    out = prepared.call()
    return time.perf_counter() - start, out


def _time_runs(prepared: Prepared, repeat: int) -> tuple[list[float], Array]:
    """Run `prepared` `repeat` times; return the durations and the last output."""
    times: list[float] = []
    out: Array | None = None
    for _ in range(repeat):
        elapsed, out = _time_once(prepared)
        times.append(elapsed)
    if out is None:
        msg = f"repeat must be at least 1, got {repeat}"
        raise ValueError(msg)
    return times, out


def _row(strategy: Strategy, case: Case, times: list[float]) -> Row:
    """Build a row without accuracy figures (and without speed, set later)."""
    return Row(
        strategy=strategy.key,
        label=strategy.title(case.func),
        func=case.func,
        dtype=case.dtype.name,
        n=case.n,
        times_s=times,
        median_s=statistics.median(times) if times else None,
        speed=None,
        max_abs_diff=None,
        max_ulp_diff=None,
        notes=strategy.notes.format(f=case.func),
    )


def _measure(strategy: Strategy, case: Case, prepared: Prepared, repeat: int) -> Row:
    """Time a prepared strategy and compare its output with numpy's."""
    times, out = _time_runs(prepared, repeat)
    if not strategy.compare:
        return _row(strategy, case, times)
    return dataclasses.replace(
        _row(strategy, case, times),
        max_abs_diff=max_abs_diff(out, case.ref),
        max_ulp_diff=int(ulp_distance(out, case.ref).max(initial=0)),
    )


def run_strategy(strategy: Strategy, case: Case, repeat: int) -> Row:
    """Prepare, time and check one strategy.

    Parameters
    ----------
    strategy : Strategy
        What to run.
    case : Case
        The workload.
    repeat : int
        Number of timed runs.

    Returns
    -------
    Row
        The measurements; a strategy that cannot run here (e.g. numexpr not
        installed) gives a row without timings whose notes say why.
    """
    try:
        with strategy.prepare(case) as prepared:
            return _measure(strategy, case, prepared, repeat)
    except UnavailableError as exc:
        row = _row(strategy, case, [])
        return dataclasses.replace(row, notes=str(exc), status=str(exc))


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def _fmt_ratio(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "n/a"
    if value < _TINY_RATIO:  # keep three significant digits
        return f"{value:.3g}x"
    return f"{value:.{digits}f}x"


_TINY_RATIO = 0.1

# (text, numerator, denominator, digits): "text = numerator/denominator".
_SUMMARY = (
    ("parmath out= / floor = {}", "parmath_out", "copy_floor", 2),
    ("parmath out= vs numpy out= = {} faster", "numpy_out", "parmath_out", 2),
    ("parmath fresh vs numpy fresh = {} faster", "numpy_fresh", "parmath_fresh", 2),
    ("parmath vs split Pool.map = {} faster", "pool_map_split", "parmath_fresh", 1),
)


def _strategy_summary(rows: list[Row]) -> list[str]:
    """Headline ratios between the strategies of one case."""
    med = {row.strategy: row.median_s for row in rows}
    return [
        text.format(_fmt_ratio(_ratio(med.get(num), med.get(den)), digits))
        for text, num, den, digits in _SUMMARY
    ]


def suite_strategies(case: Case, settings: Settings) -> SuiteResult:
    """Run every strategy (the per-item Pool.map ones only with ``--full``).

    Parameters
    ----------
    case : Case
        The workload.
    settings : Settings
        Command-line options.

    Returns
    -------
    SuiteResult
        One row per strategy, speeds relative to numpy's ``f(x)``, and the
        summary lines.
    """
    selected = [s for s in STRATEGIES if settings.full or not s.full_only]
    rows: list[Row] = []
    for index, strategy in enumerate(selected, start=1):
        text = f"{strategy.title(case.func)} ({case.func}, {case.dtype})"
        _progress(settings, index, len(selected), text)
        rows.append(run_strategy(strategy, case, settings.repeat))
    baseline = rows[0].median_s
    for row in rows:
        row.speed = _ratio(baseline, row.median_s)
    return SuiteResult(rows, _strategy_summary(rows))


#: Sizes timed by the threshold suite (capped at ``--n``).
THRESHOLD_SIZES = (4_096, 16_384, 32_768, 65_536, 131_072, 262_144, 1_048_576)


def _time_small(call: Callable[[], object], repeat: int) -> list[float]:
    """Median-ready times of `call`, each averaged over enough calls to last about 2 ms."""
    start = time.perf_counter()
    call()
    once = max(time.perf_counter() - start, 1e-7)
    inner = max(1, int(2e-3 / once))
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(inner):
            call()
        times.append((time.perf_counter() - start) / inner)
    return times


def suite_threshold(case: Case, settings: Settings) -> SuiteResult:
    """Time ``f(x, out=y)`` on one thread and on all, around the parallel threshold.

    The threshold is forced low (every size parallel) and high (every size serial) in turn, so
    the row pairs show where splitting across threads starts to pay; the built-in threshold
    should sit there.

    Parameters
    ----------
    case : Case
        The workload (its input is cut to each size).
    settings : Settings
        Command-line options (``--repeat``).

    Returns
    -------
    SuiteResult
        Three rows per size (numpy, parmath serial, parmath parallel) and a summary.
    """
    core = case.pm._core
    sizes = [n for n in THRESHOLD_SIZES if n <= case.n] or [case.n]
    rows: list[Row] = []
    summary: list[str] = []
    previous = core.parallel_threshold()
    try:
        for index, n in enumerate(sizes, start=1):
            _progress(settings, index, len(sizes), f"threshold n={n:,} ({case.func}, {case.dtype})")
            x, y = case.x[:n], np.empty(n, case.dtype)
            timed: list[tuple[str, list[float]]] = []
            timed.append(
                ("numpy out=", _time_small(partial(case.np_func, x, out=y), settings.repeat))
            )
            for label, threshold in (("parmath 1 thread", n + 1), ("parmath parallel", 1)):
                core._set_parallel_threshold(threshold)
                timed.append((label, _time_small(partial(case.pm_func, x, out=y), settings.repeat)))
            core._set_parallel_threshold(previous)
            base = statistics.median(timed[0][1])
            for label, times in timed:
                median = statistics.median(times)
                rows.append(
                    Row(
                        f"threshold_{n}_{label}",
                        f"n={n:>9,} {label}",
                        case.func,
                        case.dtype.name,
                        n,
                        times,
                        median,
                        base / median,
                        None,
                        None,
                        "per call",
                    )
                )
            serial, parallel = (statistics.median(t) for _, t in timed[1:])
            summary.append(f"n={n:>9,}: parallel vs 1 thread = {serial / parallel:.2f}x")
    finally:
        core._set_parallel_threshold(previous)
    summary.append(f"built-in threshold: {previous:,} elements")
    return SuiteResult(rows, summary)


def _thread_counts(cpus: int) -> list[int]:
    """1, 2, 4, ... up to `cpus`, and `cpus` itself."""
    counts = [1]
    while counts[-1] * 2 <= cpus:
        counts.append(counts[-1] * 2)
    return counts if counts[-1] == cpus else [*counts, cpus]


def _parallel_copy(x: Array, y: Array, executor: ThreadPoolExecutor, threads: int) -> None:
    spans = _chunk_bounds(x.size, threads)
    list(executor.map(lambda s: np.copyto(y[s[0] : s[1]], x[s[0] : s[1]]), spans))


def suite_scaling(case: Case, settings: Settings) -> SuiteResult:
    """Time ``f(x, out=y)`` on 1, 2, 4, ... threads beside a parallel copy on as many threads.

    Parameters
    ----------
    case : Case
        The workload.
    settings : Settings
        Command-line options (``--repeat``; ``--workers`` is the largest thread count).

    Returns
    -------
    SuiteResult
        Per thread count: parmath and the copy floor; speeds relative to numpy's ``f(x, out=y)``.
    """
    x, y = case.x, _touched_like(case.x)
    counts = _thread_counts(case.workers)
    base = statistics.median(_time_small(partial(case.np_func, x, out=y), settings.repeat))
    rows = [
        Row(
            "scaling_numpy",
            "numpy out= (1 thread)",
            case.func,
            case.dtype.name,
            case.n,
            [base],
            base,
            1.0,
            None,
            None,
            "baseline",
        )
    ]
    summary = []
    with ThreadPoolExecutor(max(counts)) as executor:
        for index, t in enumerate(counts, start=1):
            _progress(settings, index, len(counts), f"scaling {t} threads ({case.func})")
            with case.pm.threads(t):
                pm = _time_small(partial(case.pm_func, x, out=y), settings.repeat)
            floor = _time_small(partial(_parallel_copy, x, y, executor, t), settings.repeat)
            pm_med, floor_med = statistics.median(pm), statistics.median(floor)
            rows.append(
                Row(
                    f"scaling_parmath_{t}",
                    f"parmath out= {t:>3} threads",
                    case.func,
                    case.dtype.name,
                    case.n,
                    pm,
                    pm_med,
                    base / pm_med,
                    None,
                    None,
                    "",
                )
            )
            rows.append(
                Row(
                    f"scaling_copy_{t}",
                    f"parallel copy {t:>3} threads",
                    case.func,
                    case.dtype.name,
                    case.n,
                    floor,
                    floor_med,
                    base / floor_med,
                    None,
                    None,
                    "memory floor",
                )
            )
            summary.append(
                f"{t:>3} threads: parmath {base / pm_med:6.2f}x numpy, "
                f"{pm_med / floor_med:.2f}x the copy floor, "
                f"{x.nbytes * 2 / pm_med / 1e9:.1f} GB/s"
            )
    return SuiteResult(rows, summary)


SUITES: dict[str, Suite] = {
    "strategies": suite_strategies,
    "threshold": suite_threshold,
    "scaling": suite_scaling,
}


def make_input(func: str, dtype: str, n: int, seed: int = SEED) -> Array:
    """Return the benchmark input.

    Parameters
    ----------
    func : str
        ``"exp"`` (uniform on ``[0, 1)``) or ``"log"`` (``1 - u``, on ``(0, 1]``).
    dtype : str
        Target dtype; values are drawn as float64 and cast.
    n : int
        Number of elements.
    seed : int, optional
        Seed for ``numpy.random.default_rng``.

    Returns
    -------
    numpy.ndarray
        The input array.
    """
    u = np.random.default_rng(seed).random(n)
    if func == "log":
        u = 1.0 - u
    return u.astype(dtype)


def _make_case(func: str, dtype: str, settings: Settings, pm: ModuleType, ctx: BaseContext) -> Case:
    x = make_input(func, dtype, settings.n)
    ref = getattr(np, func)(x)
    return Case(func, x.dtype, x, ref, settings.workers, pm, ctx)


# ----------------------------------------------------------------------------
# Reporting
# ----------------------------------------------------------------------------


def _cpu_model() -> str:
    keys = ("model name", "hardware", "cpu model")
    try:
        lines = Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    for line in lines:
        if line.lower().startswith(keys) and ":" in line:
            return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine() or "unknown"


def machine_info(pm: ModuleType, ctx: BaseContext) -> dict[str, Any]:
    """Describe the machine and software for the report header and the JSON.

    Parameters
    ----------
    pm : module
        The parmath module.
    ctx : multiprocessing context
        The context used for process pools.

    Returns
    -------
    dict
        Date, CPU model, logical cores, platform, versions, ``parmath.info()``,
        parmath's thread count and the multiprocessing start method.
    """
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpu_model": _cpu_model(),
        "logical_cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "parmath": dict(pm.info()),
        "parmath_threads": pm.get_num_threads(),
        "mp_start_method": ctx.get_start_method(),
    }


def _header(info: dict[str, Any], settings: Settings) -> list[str]:
    pm_info = info["parmath"]
    version, isa = pm_info.get("version", "?"), pm_info.get("isa", "?")
    detected, threads = pm_info.get("isa_detected", "?"), info["parmath_threads"]
    n, repeat, workers = settings.n, settings.repeat, settings.workers
    return [
        f"parmath bench -- suite {settings.suite} -- {info['date']}",
        f"machine : {info['cpu_model']}, {info['logical_cores']} logical cores",
        f"          {info['platform']}",
        f"parmath : {version}, isa={isa} (detected {detected}), threads={threads}",
        f"numpy   : {info['numpy']}, python {info['python']}",
        f"workload: n={n:,}, repeat={repeat} (median reported), workers={workers}",
        f"pools   : multiprocessing '{info['mp_start_method']}' start method",
        f"data    : uniform [0,1) (log: 1-u, in (0,1]), seed {SEED}, cast to dtype",
    ]


def _cells(row: Row) -> list[str]:
    ms = "n/a" if row.median_s is None else f"{row.median_s * 1e3:.3f}"
    absd = "-" if row.max_abs_diff is None else f"{row.max_abs_diff:.2e}"
    ulp = "-" if row.max_ulp_diff is None else str(row.max_ulp_diff)
    return [row.label, ms, _fmt_ratio(row.speed), absd, ulp, row.notes]


def format_table(rows: Sequence[Row]) -> list[str]:
    """Lay rows out as aligned text columns.

    Parameters
    ----------
    rows : sequence of Row
        The rows to show.

    Returns
    -------
    list of str
        A header line followed by one line per row.
    """
    head = ["strategy", "median ms", "speed", "max |diff|", "max ulp", "notes"]
    table = [head] + [_cells(row) for row in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(head))]
    align = ["<", ">", ">", ">", ">", "<"]
    return [
        "  ".join(f"{c:{a}{w}}" for c, a, w in zip(line, align, widths, strict=True)).rstrip()
        for line in table
    ]


def _report_case(func: str, dtype: str, result: SuiteResult) -> list[str]:
    return ["", f"== {func} {dtype} ==", *format_table(result.rows), *result.summary]


def _write_json(path: Path, info: dict[str, Any], settings: Settings, rows: list[Row]) -> None:
    config = asdict(settings)
    del config["json_path"], config["quiet"]
    payload = {
        "machine": info,
        "config": {**config, "seed": SEED},
        "rows": [asdict(row) for row in rows],
    }
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


# ----------------------------------------------------------------------------
# Command line
# ----------------------------------------------------------------------------


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        msg = f"expected a positive integer, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def _choice_list(allowed: Sequence[str]) -> Callable[[str], list[str]]:
    """Argparse type: a comma-separated list of names from `allowed`."""

    def parse(text: str) -> list[str]:
        names = [name.strip() for name in text.split(",") if name.strip()]
        if not names or any(name not in allowed for name in names):
            msg = f"invalid choice {text!r} (choose from {', '.join(allowed)})"
            raise argparse.ArgumentTypeError(msg)
        return names

    return parse


def _flatten(groups: list[list[str]] | None) -> tuple[str, ...]:
    """Flatten repeated comma-list options; drop duplicates, keep the order."""
    return tuple(dict.fromkeys(name for group in groups or [] for name in group))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``parmath bench`` options to `parser`.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The (sub)parser to extend.
    """
    add = parser.add_argument
    add(
        "--n",
        type=_positive_int,
        default=DEFAULT_N,
        help="number of elements (default %(default)s)",
    )
    add(
        "--repeat",
        type=_positive_int,
        default=DEFAULT_REPEAT,
        help="timed runs per strategy, median reported (default %(default)s)",
    )
    add(
        "--json",
        type=Path,
        metavar="FILE",
        help="also write all results to FILE as JSON",
    )
    add(
        "--full",
        action="store_true",
        help="also run the slow per-item Pool.map strategies",
    )
    add(
        "--workers",
        type=_positive_int,
        default=None,
        help="processes/threads for the classic strategies (default: CPU count)",
    )
    add(
        "--func",
        type=_choice_list(FUNCS),
        action="append",
        help="exp, log (repeatable or comma list; default exp)",
    )
    add(
        "--dtype",
        type=_choice_list(DTYPES),
        action="append",
        help="float64, float32 (repeatable or comma list; default float64)",
    )
    add(
        "--suite",
        choices=sorted(SUITES),
        default="strategies",
        help="benchmark suite (default %(default)s)",
    )
    add("--quiet", action="store_true", help="no progress lines on stderr")


def _execute(settings: Settings) -> int:
    pm, ctx = importlib.import_module("parmath"), _mp_context()
    info = machine_info(pm, ctx)
    print("\n".join(_header(info, settings)), flush=True)
    suite, all_rows = SUITES[settings.suite], []
    for func, dtype in itertools.product(settings.funcs, settings.dtypes):
        result = suite(_make_case(func, dtype, settings, pm, ctx), settings)
        all_rows.extend(result.rows)
        print("\n".join(_report_case(func, dtype, result)), flush=True)
    if settings.json_path is not None:
        _write_json(settings.json_path, info, settings, all_rows)
    return 0


def run(args: argparse.Namespace) -> int:
    """Run ``parmath bench`` with options parsed by a parser from `add_arguments`.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed options.

    Returns
    -------
    int
        Exit status: 0 on success, 1 on a runtime error, 130 if interrupted.
    """
    try:
        return _execute(Settings.from_args(args))
    except KeyboardInterrupt:
        print("parmath bench: interrupted", file=sys.stderr)
        return 130
    except (OSError, MemoryError) as exc:
        print(f"parmath bench: error: {exc}", file=sys.stderr)
        return 1


def main(argv: list[str] | None = None) -> int:
    """Entry point for ``parmath bench``.

    Parameters
    ----------
    argv : list of str, optional
        Arguments after ``bench``; defaults to ``sys.argv[1:]``.

    Returns
    -------
    int
        Exit status; 2 for invalid options, with argparse's message on stderr.
    """
    parser = argparse.ArgumentParser(prog="parmath bench", description=DESCRIPTION)
    add_arguments(parser)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse error (2) or --help (0)
        return exc.code if isinstance(exc.code, int) else 2
    return run(args)


if __name__ == "__main__":
    sys.exit(main())

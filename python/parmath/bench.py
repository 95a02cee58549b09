"""The ``parmath bench`` command: time parmath against the usual alternatives.

Suite ``strategies`` (the default) computes ``f(x)`` for ``f`` in ``exp``/``log``
over ``n`` elements in several ways and prints one table row per strategy:
median time, speed relative to numpy's ``f(x)``, and the maximum absolute and
ULP differences from numpy's result.  Suites ``threshold`` and ``scaling`` time
``f(x, out=y)`` around the parallel threshold and over thread counts.

Suite ``functions`` takes every function of ``parmath._core.registry()`` (or
those given with ``--func``) and times ``f(x, out=y)`` -- output preallocated on
every side -- for parmath, numpy (``scipy.special`` for erf/erfc/expit), numexpr
(``evaluate(expr, out=y)``), numba (``@vectorize(target="parallel")``, compiled
untimed; ``--no-numba`` leaves it out) and the memory floor: a threaded pass
over the same bytes (a copy ``x -> y`` for one input; ``np.add(x1, x2, out=y)``
for two, i.e. two reads and a write).  Inputs are uniform on per-function ranges
(`INPUT_RANGES`).  A second table gives parmath/numpy per call on 1 to 1000
float64 items.  The ISA in use (``PARMATH_ISA``) is in the header and the JSON.

Suite ``dask`` (``parmath.bench_dask``) times ``parmath.f(x)`` and an ``evaluate``
formula against NumPy's through Dask, on a ``LocalCluster`` of ``--workers``
processes with one thread each; ``--n 1e9`` is accepted.

Methodology
-----------
* Data: ``n`` float64 values drawn with ``numpy.random.default_rng(SEED)``,
  uniform on ``[0, 1)`` for ``exp``; ``log`` uses ``1 - u``, i.e. ``(0, 1]``,
  so that no input is exactly zero.  The draw is then cast to the dtype.
* Timing: every strategy runs ``--repeat`` times, the strategies taking turns
  round by round (so that a shared machine's drifts hit each alike), and the
  median of the ``time.perf_counter`` durations is reported.  Setup (process and thread
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
import shlex
import signal
import statistics
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext
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
    numba: bool = True
    command: str = ""
    folder: Path | None = None

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Settings:
        """Build settings from a namespace parsed with `add_arguments` options.

        Raises
        ------
        UsageError
            If a function is not available in the chosen suite.
        """
        funcs, suite = _flatten(args.func), args.suite
        if suite == "functions":
            funcs = funcs or _registry_names()
            dtypes = _flatten(args.dtype) or DTYPES
        else:
            funcs = funcs or ("exp",)
            dtypes = _flatten(args.dtype) or ("float64",)
            unsupported = [name for name in funcs if name not in FUNCS]
            if unsupported:
                msg = (
                    f"suite {suite} runs {', '.join(FUNCS)} only, not {', '.join(unsupported)} "
                    "(--suite functions runs every function)"
                )
                raise UsageError(msg)
        command = getattr(args, "command_line", None) or shlex.join(
            [Path(sys.argv[0]).name, *sys.argv[1:]]
        )
        return cls(
            n=args.n,
            repeat=args.repeat,
            workers=args.workers or os.cpu_count() or 1,
            funcs=funcs,
            dtypes=dtypes,
            suite=suite,
            full=args.full,
            quiet=args.quiet,
            json_path=args.json,
            numba=not getattr(args, "no_numba", False),
            command=command,
            folder=getattr(args, "dir", None),
        )


class UsageError(ValueError):
    """Raised for options that parse but do not fit together."""


@dataclass
class SuiteResult:
    """Rows and summary lines of one suite on one case."""

    rows: list[Row]
    summary: list[str]


Suite = Callable[[Case, Settings], SuiteResult]


def _progress(settings: Settings, index: int, total: int, text: str) -> None:
    if not settings.quiet:
        print(f"[{index}/{total}] {text} ...", file=sys.stderr, flush=True)


def _note(settings: Settings, text: str) -> None:
    """Print a progress line (``  text ...``) on stderr unless quiet (suites without counts)."""
    if not settings.quiet:
        print(f"  {text} ...", file=sys.stderr, flush=True)


def _time_once(prepared: Prepared) -> tuple[float, Array]:
    prepared.reset()
    start = time.perf_counter()
    out = prepared.call()
    return time.perf_counter() - start, out


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
    times: dict[str, list[float]] = {s.key: [] for s in selected}
    outs: dict[str, Array] = {}
    unavailable: dict[str, str] = {}
    rows: list[Row] = []
    # Every strategy is prepared up front and the timed runs alternate round by round, so that the
    # shared machine's drifts hit each strategy alike (the ratios are what the table is for). The
    # outputs are checked before the strategies close: some live in shared memory.
    with ExitStack() as stack:
        prepared: dict[str, Prepared] = {}
        for strategy in selected:
            try:
                prepared[strategy.key] = stack.enter_context(strategy.prepare(case))
            except UnavailableError as exc:
                unavailable[strategy.key] = str(exc)
        titles = {s.key: f"{s.title(case.func)} ({case.func}, {case.dtype})" for s in selected}
        order = {s.key: i for i, s in enumerate(selected, start=1)}
        for round_ in range(1, settings.repeat + 1):
            if round_ > 1:
                _note(settings, f"round {round_} of {settings.repeat}")
            for key, ready in prepared.items():
                if round_ == 1:
                    _progress(settings, order[key], len(selected), titles[key])
                elapsed, outs[key] = _time_once(ready)
                times[key].append(elapsed)
        for strategy in selected:
            row = _row(strategy, case, times[strategy.key])
            if strategy.key in unavailable:
                why = unavailable[strategy.key]
                row = dataclasses.replace(row, notes=why, status=why)
            elif strategy.compare and strategy.key in outs:
                out = outs[strategy.key]
                row = dataclasses.replace(
                    row,
                    max_abs_diff=max_abs_diff(out, case.ref),
                    max_ulp_diff=int(ulp_distance(out, case.ref).max(initial=0)),
                )
            rows.append(row)
        outs.clear()
    baseline = rows[0].median_s
    for row in rows:
        row.speed = _ratio(baseline, row.median_s)
    return SuiteResult(rows, _strategy_summary(rows))


#: Sizes timed by the threshold suite (capped at ``--n``).
THRESHOLD_SIZES = (4_096, 16_384, 32_768, 65_536, 131_072, 262_144, 1_048_576)


def _time_small(call: Callable[[], object], repeat: int) -> list[float]:
    """Median-ready times of `call`, each averaged over enough calls to last about 2 ms."""
    return _time_alternating([call], repeat)[0]


def _time_alternating(calls: Sequence[Callable[[], object]], repeat: int) -> list[list[float]]:
    """Median-ready times of each call, batches of about 2 ms alternating round by round.

    A burst of load on a shared machine then hits each of them alike.
    """
    inner = []
    for call in calls:
        start = time.perf_counter()
        call()
        inner.append(max(1, int(2e-3 / max(time.perf_counter() - start, 1e-7))))
    times: list[list[float]] = [[] for _ in calls]
    for _ in range(repeat):
        for call, count, out in zip(calls, inner, times, strict=True):
            start = time.perf_counter()
            for _ in range(count):
                call()
            out.append((time.perf_counter() - start) / count)
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
            # A function's own threshold is this one over its cost: 2**62 keeps any size serial.
            for label, threshold in (("parmath 1 thread", 1 << 62), ("parmath parallel", 1)):
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
# Suite "functions": every registry function against numpy, numexpr and numba
# ----------------------------------------------------------------------------

#: Range of the inputs of a function missing from `INPUT_RANGES`.
DEFAULT_RANGE = (-10.0, 10.0)

#: Input ranges of the functions suite, one ``(low, high)`` per input (the last one repeats for
#: further inputs).  Values are ``high - (high - low) * u`` with ``u`` uniform on ``[0, 1)``,
#: so they lie in ``(low, high]`` and never on `low` (log(0), arccosh below 1 ...) before the
#: cast to the dtype.
INPUT_RANGES: dict[str, tuple[tuple[float, float], ...]] = {
    "log": ((0.0, 1.0),),
    "log2": ((0.0, 100.0),),
    "log10": ((0.0, 100.0),),
    "log1p": ((-1.0, 10.0),),
    "sqrt": ((0.0, 100.0),),
    "arcsin": ((-1.0, 1.0),),
    "arccos": ((-1.0, 1.0),),
    "arccosh": ((1.0, 10.0),),
    "arctanh": ((-0.999, 0.999),),
    "sin": ((-100.0, 100.0),),
    "cos": ((-100.0, 100.0),),
    "tan": ((-100.0, 100.0),),
    "power": ((0.0, 2.0), (-3.0, 3.0)),
}

#: Functions whose reference is ``scipy.special``'s (as is that of any function numpy lacks).
SCIPY_FUNCS = ("erf", "erfc", "expit")

#: numexpr expressions for the functions whose numexpr spelling is not ``name(x[, y])``.
NUMEXPR_EXPRESSIONS: dict[str, str] = {
    "add": "x + y",
    "subtract": "x - y",
    "multiply": "x * y",
    "divide": "x / y",
    "true_divide": "x / y",
    "power": "x ** y",
    "fabs": "abs(x)",
    "negative": "-x",
    "absolute": "abs(x)",
    "square": "x * x",
    "reciprocal": "1 / x",
}

#: Functions numexpr has under numpy's name (called as ``name(x)`` or ``name(x, y)``).
NUMEXPR_FUNCTIONS = frozenset(
    (
        *("sin", "cos", "tan", "arcsin", "arccos", "arctan", "arctan2"),
        *("sinh", "cosh", "tanh", "arcsinh", "arccosh", "arctanh"),
        *("exp", "expm1", "log", "log2", "log10", "log1p", "sqrt"),
        *("floor", "ceil", "trunc", "fmod", "hypot", "copysign", "nextafter"),
        *("maximum", "minimum"),
    )
)

#: Sizes of the small-array table (time per call, parmath against numpy): up to 1,000 items the
#: call's fixed cost shows; at 10,000 and 100,000 where each function starts to split across threads
#: (its cost in the registry).
SMALL_SIZES = (1, 10, 100, 1_000, 10_000, 100_000)
#: The small-array goal: parmath's time per call at most this many times numpy's.
SMALL_GOAL = 1.3
#: Batches timed per small-array measurement at least (each about 2 ms, median reported).
SMALL_MIN_BATCHES = 9

#: Columns of the functions table besides parmath, in order.
OTHERS = ("numpy", "numexpr", "numba")


def _erf_scalar(x: float) -> float:
    return math.erf(x)


def _erfc_scalar(x: float) -> float:
    return math.erfc(x)


def _expit_scalar(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


#: numba kernels for the functions that numba cannot take from numpy.
NUMBA_KERNELS: dict[str, Callable[..., float]] = {
    "erf": _erf_scalar,
    "erfc": _erfc_scalar,
    "expit": _expit_scalar,
}


def input_range(func: str, index: int) -> tuple[float, float]:
    """Return the ``(low, high)`` range of input `index` of `func` (see `INPUT_RANGES`)."""
    ranges = INPUT_RANGES.get(func, (DEFAULT_RANGE,))
    return ranges[min(index, len(ranges) - 1)]


def make_inputs(func: str, dtype: str, n: int, nin: int = 1, seed: int = SEED) -> list[Array]:
    """Return the inputs of the functions suite.

    Parameters
    ----------
    func : str
        Function name; its ranges come from `INPUT_RANGES` (default `DEFAULT_RANGE`).
    dtype : str
        Target dtype; values are drawn as float64 and cast.
    n : int
        Number of elements per input.
    nin : int, optional
        Number of inputs.
    seed : int, optional
        Seed for ``numpy.random.default_rng``; the inputs are drawn one after the other.

    Returns
    -------
    list of numpy.ndarray
        `nin` arrays, input ``i`` in ``(low, high]`` of ``input_range(func, i)``.
    """
    rng = np.random.default_rng(seed)
    inputs = []
    for index in range(nin):
        low, high = input_range(func, index)
        inputs.append((high - (high - low) * rng.random(n)).astype(dtype))
    return inputs


def reference_ufunc(func: str) -> tuple[np.ufunc | None, str]:
    """Return the reference implementation of `func` and its name (or why there is none).

    numpy's ufunc of the same name; ``scipy.special``'s for `SCIPY_FUNCS` and for the
    functions numpy lacks.
    """
    found = getattr(np, func, None)
    if func not in SCIPY_FUNCS and isinstance(found, np.ufunc):
        return found, f"numpy.{func}"
    special = _import_optional("scipy.special")
    found = getattr(special, func, None) if special is not None else None
    if isinstance(found, np.ufunc):
        return found, f"scipy.special.{func}"
    return None, "not in numpy; scipy not installed" if special is None else "not in numpy/scipy"


def numexpr_expression(func: str, nin: int) -> str | None:
    """Return the numexpr expression of `func` on ``x`` (and ``y``), or None if it has none."""
    if func in NUMEXPR_EXPRESSIONS:
        return NUMEXPR_EXPRESSIONS[func]
    if func in NUMEXPR_FUNCTIONS:
        return f"{func}({'x, y' if nin == 2 else 'x'})"
    return None


def _numba_scalar(func: str) -> Callable[..., float] | None:
    """Return the scalar kernel numba vectorizes for `func`.

    A `NUMBA_KERNELS` one, else a call of numpy's ufunc, else of the `math` function.
    """
    if func in NUMBA_KERNELS:
        return NUMBA_KERNELS[func]
    found = getattr(np, func, None)
    if isinstance(found, np.ufunc):
        nin = found.nin
    elif callable(getattr(math, func, None)):
        found = getattr(math, func)
        nin = 2 if func in ("atan2", "copysign", "fmod", "hypot", "pow", "remainder") else 1
    else:
        return None
    scalar = found

    def unary(x: float) -> float:
        return scalar(x)  # type: ignore[no-any-return]

    def binary(x: float, y: float) -> float:
        return scalar(x, y)  # type: ignore[no-any-return]

    return unary if nin == 1 else binary


def numba_ufunc(func: str, dtype: str, nin: int) -> tuple[np.ufunc | None, str]:
    """Compile numba's ``@vectorize([...], target="parallel")`` version of `func` for `dtype`.

    Returns the ufunc (None if numba is missing or cannot compile it) and a note.
    """
    numba = _import_optional("numba")
    if numba is None:
        return None, "numba not installed"
    scalar = _numba_scalar(func)
    if scalar is None:
        return None, "no numba kernel"
    signature = f"{dtype}({', '.join([dtype] * nin)})"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compiled = numba.vectorize([signature], target="parallel")(scalar)
    except Exception as exc:  # numba's typing and lowering errors vary
        return None, f"numba: {type(exc).__name__}"
    if not isinstance(compiled, np.ufunc):
        return None, "numba: not a ufunc"
    return compiled, f"numba {numba.__version__}"


@dataclass
class FunctionRow:
    """One function and dtype of the functions suite (also the JSON row).

    ``*_s`` are median seconds per ``f(x, out=y)`` call (None: not available here);
    ``speedup_*`` are the other's time over parmath's; ``max_ulp_diff`` compares parmath's
    result with the reference's on the benchmark data.
    """

    func: str
    dtype: str
    n: int
    nin: int
    parmath_s: float | None
    numpy_s: float | None
    numexpr_s: float | None
    numba_s: float | None
    floor_s: float | None
    parmath_floor_ratio: float | None
    speedup_numpy: float | None
    speedup_numexpr: float | None
    speedup_numba: float | None
    max_ulp_diff: int | None
    reference: str
    numexpr_expression: str | None
    notes: str
    times_s: dict[str, list[float]]
    status: str = "ok"


@dataclass
class SmallRow:
    """One function at one small size: time per call of parmath and numpy (JSON row)."""

    func: str
    dtype: str
    n: int
    parmath_s: float
    numpy_s: float | None
    ratio: float | None
    times_s: dict[str, list[float]]


def _median_or_none(times: list[float] | None) -> float | None:
    return statistics.median(times) if times else None


def _parallel_pass(
    inputs: Sequence[Array], y: Array, executor: ThreadPoolExecutor, threads: int
) -> None:
    """Stream the bytes of ``f(*inputs, out=y)`` on threads: the memory floor.

    One input: `_parallel_copy` (read x, write y).  Two inputs: ``np.add`` on a span per
    thread (read x1 and x2, write y); the addition costs nothing beside the three streams.
    """
    if len(inputs) == 1:
        _parallel_copy(inputs[0], y, executor, threads)
        return
    x1, x2 = inputs[0], inputs[1]
    spans = _chunk_bounds(y.size, threads)

    def add(span: tuple[int, int]) -> None:
        a, b = span
        np.add(x1[a:b], x2[a:b], out=y[a:b])

    list(executor.map(add, spans))


def _numexpr_call(
    ne: ModuleType, expression: str, inputs: Sequence[Array], y: Array
) -> Callable[[], object]:
    names = dict(zip(("x", "y"), inputs, strict=False))
    return partial(ne.evaluate, expression, local_dict=names, out=y)


@contextmanager
def _numexpr_threads(ne: ModuleType, workers: int) -> Iterator[None]:
    """Run the block with numexpr on `workers` threads, restoring its own setting after."""
    previous = ne.set_num_threads(workers)
    try:
        yield
    finally:
        ne.set_num_threads(previous)


def _numexpr_callable(
    func: str, inputs: Sequence[Array], y: Array, settings: Settings
) -> tuple[Callable[[], object] | None, ModuleType | None, str | None, str]:
    """Return numexpr's `func` writing `y`, run once: (call, module, expression, note)."""
    expression = numexpr_expression(func, len(inputs))
    if expression is None:
        return None, None, None, "no numexpr expression"
    ne = _import_optional("numexpr")
    if ne is None:
        return None, None, expression, "numexpr not installed"
    call = _numexpr_call(ne, expression, inputs, y)
    with _numexpr_threads(ne, settings.workers):
        try:
            call()
        except Exception as exc:  # numexpr raises many kinds on unknown names
            return None, None, expression, f"numexpr: {type(exc).__name__}"
    return call, ne, expression, ""


def _numba_callable(
    func: str, inputs: Sequence[Array], y: Array, settings: Settings
) -> tuple[Callable[[], object] | None, str]:
    """Return numba's parallel vectorize of `func` writing `y`, compiled untimed: (call, note)."""
    if not settings.numba:
        return None, "numba skipped"
    compiled, note = numba_ufunc(func, y.dtype.name, len(inputs))
    if compiled is None:
        return None, note
    numba = importlib.import_module("numba")
    numba.set_num_threads(min(settings.workers, int(numba.config.NUMBA_NUM_THREADS)))
    return partial(compiled, *inputs, out=y), ""


def measure_function(
    pm: ModuleType, func: str, nin: int, dtype: str, settings: Settings
) -> FunctionRow:
    """Time `func` on `dtype` data of ``settings.n`` items every way and compare with numpy.

    Parameters
    ----------
    pm : module
        The parmath module.
    func : str
        A registry function.
    nin : int
        Its number of inputs (1 or 2).
    dtype : str
        ``"float64"`` or ``"float32"``.
    settings : Settings
        Command-line options (``--n``, ``--repeat``, ``--workers``, ``--no-numba``).

    Returns
    -------
    FunctionRow
        The medians, ratios and the maximum ULP difference from the reference.
    """
    inputs = make_inputs(func, dtype, settings.n, nin)
    reference, reference_name = reference_ufunc(func)
    pm_func: np.ufunc = getattr(pm, func)
    # Each competitor writes its own (already touched) output; all of them are timed in batches
    # alternating round by round, so that the machine's drifts hit each alike.
    y = _touched_like(inputs[0])
    calls: dict[str, Callable[[], object]] = {"parmath": partial(pm_func, *inputs, out=y)}
    notes: list[str] = []
    y_ref = None
    if reference is None:
        notes.append(reference_name)
    else:
        y_ref = _touched_like(inputs[0])
        calls["numpy"] = partial(reference, *inputs, out=y_ref)
    ne_call, ne, expression, note = _numexpr_callable(
        func, inputs, _touched_like(inputs[0]), settings
    )
    if ne_call is not None:
        calls["numexpr"] = ne_call
    notes.append(note)
    numba_call, note = _numba_callable(func, inputs, _touched_like(inputs[0]), settings)
    if numba_call is not None:
        calls["numba"] = numba_call
    notes.append(note)
    with (
        ThreadPoolExecutor(settings.workers) as executor,
        _numexpr_threads(ne, settings.workers) if ne is not None else nullcontext(),
    ):
        y_floor = _touched_like(inputs[0])
        calls["floor"] = partial(_parallel_pass, inputs, y_floor, executor, settings.workers)
        timed = _time_alternating(list(calls.values()), settings.repeat)
    times = dict(zip(calls, timed, strict=True))
    max_ulp: int | None = None
    if y_ref is not None:
        max_ulp = int(ulp_distance(y, y_ref).max(initial=0))
    med = {key: _median_or_none(times.get(key)) for key in ("parmath", *OTHERS, "floor")}
    return FunctionRow(
        func=func,
        dtype=dtype,
        n=settings.n,
        nin=nin,
        parmath_s=med["parmath"],
        numpy_s=med["numpy"],
        numexpr_s=med["numexpr"],
        numba_s=med["numba"],
        floor_s=med["floor"],
        parmath_floor_ratio=_ratio(med["parmath"], med["floor"]),
        speedup_numpy=_ratio(med["numpy"], med["parmath"]),
        speedup_numexpr=_ratio(med["numexpr"], med["parmath"]),
        speedup_numba=_ratio(med["numba"], med["parmath"]),
        max_ulp_diff=max_ulp,
        reference=reference_name,
        numexpr_expression=expression,
        notes="; ".join(note for note in notes if note),
        times_s=times,
    )


def measure_small(pm: ModuleType, func: str, nin: int, dtype: str, repeat: int) -> list[SmallRow]:
    """Time ``f(x, out=y)`` per call on `SMALL_SIZES` items, parmath against the reference.

    Each measurement is the median of at least `SMALL_MIN_BATCHES` batches of about 2 ms, the
    batches of parmath and of the reference alternating (`_time_alternating`).
    """
    inputs = make_inputs(func, dtype, max(SMALL_SIZES), nin)
    reference, _ = reference_ufunc(func)
    pm_func: np.ufunc = getattr(pm, func)
    batches = max(repeat, SMALL_MIN_BATCHES)
    rows = []
    for n in SMALL_SIZES:
        xs, y = [x[:n] for x in inputs], np.empty(n, dtype)
        calls: list[Callable[[], object]] = [partial(pm_func, *xs, out=y)]
        if reference is not None:
            calls.append(partial(reference, *xs, out=y))
        timed = _time_alternating(calls, batches)
        times = {"parmath": timed[0]}
        if reference is not None:
            times["numpy"] = timed[1]
        pm_s, np_s = statistics.median(times["parmath"]), _median_or_none(times.get("numpy"))
        rows.append(SmallRow(func, dtype, n, pm_s, np_s, _ratio(pm_s, np_s), times))
    return rows


def _ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1e3:.3f}"


def _x(value: float | None) -> str:
    return "-" if value is None else _fmt_ratio(value)


def _align(table: Sequence[Sequence[str]], align: Sequence[str]) -> list[str]:
    """Lay out `table` (head first) in columns aligned as `align` (``<`` or ``>``) says."""
    widths = [max(len(line[i]) for line in table) for i in range(len(align))]
    return [
        "  ".join(f"{c:{a}{w}}" for c, a, w in zip(line, align, widths, strict=True)).rstrip()
        for line in table
    ]


FUNCTION_HEAD = (
    "function",
    "dtype",
    "parmath ms",
    "numpy ms",
    "numexpr ms",
    "numba ms",
    "floor ms",
    "pm/floor",
    "vs numpy",
    "vs numexpr",
    "vs numba",
    "max ulp",
)


def format_function_table(rows: Sequence[FunctionRow]) -> list[str]:
    """Lay out the functions table: ms, parmath/floor, parmath's speed-ups, max ULP."""
    table = [list(FUNCTION_HEAD)]
    for row in rows:
        times = [row.parmath_s, row.numpy_s, row.numexpr_s, row.numba_s, row.floor_s]
        ratios = [row.parmath_floor_ratio, row.speedup_numpy, row.speedup_numexpr]
        table.append(
            [
                row.func,
                row.dtype,
                *map(_ms, times),
                *map(_x, [*ratios, row.speedup_numba]),
                "-" if row.max_ulp_diff is None else str(row.max_ulp_diff),
            ]
        )
    return _align(table, ["<", "<", *[">"] * (len(FUNCTION_HEAD) - 2)])


def format_small_table(rows: Sequence[SmallRow]) -> list[str]:
    """Lay out the small-array table: parmath/numpy time per call, a column per size."""
    by_func: dict[str, dict[int, SmallRow]] = {}
    for row in rows:
        by_func.setdefault(row.func, {})[row.n] = row
    head = ["function", *(f"n={n:,}" for n in SMALL_SIZES), "parmath us/call (n=1)"]
    table = [head]
    for func, sizes in by_func.items():
        cells = [_x(sizes[n].ratio) if n in sizes else "-" for n in SMALL_SIZES]
        first = sizes.get(SMALL_SIZES[0])
        table.append([func, *cells, "-" if first is None else f"{first.parmath_s * 1e6:.2f}"])
    return _align(table, ["<", *[">"] * (len(head) - 1)])


def _small_summary(rows: Sequence[SmallRow]) -> list[str]:
    over = sorted({row.func for row in rows if row.ratio is not None and row.ratio > SMALL_GOAL})
    funcs = {row.func for row in rows}
    line = f"goal parmath/numpy <= {SMALL_GOAL}: {len(funcs) - len(over)} of {len(funcs)} met"
    return [line + (f"; over: {', '.join(over)}" if over else "")]


@dataclass
class FunctionsResult:
    """Everything the functions suite measured."""

    rows: list[FunctionRow]
    small: list[SmallRow]
    skipped: list[str]
    numba_threading_layer: str | None


def _numba_threading_layer() -> str | None:
    """Return numba's threading layer once a parallel ufunc ran (None before, or without numba)."""
    numba = sys.modules.get("numba")
    try:
        return None if numba is None else str(numba.threading_layer())
    except ValueError:  # no parallel code ran yet
        return None


def _function_jobs(
    pm: ModuleType, settings: Settings
) -> tuple[list[tuple[str, int, str]], list[tuple[str, int]], list[str]]:
    """(func, nin, dtype) jobs, (func, nin) of the small table, and what is skipped and why."""
    registry = {str(entry["name"]): entry for entry in pm._core.registry()}
    jobs, small, skipped = [], [], []
    for func in settings.funcs:
        entry = registry[func]
        nin, nout = int(entry["nin"]), int(entry.get("nout", 1))
        if nin not in (1, 2) or nout != 1:
            skipped.append(f"{func} ({nin} inputs, {nout} outputs)")
            continue
        small.append((func, nin))
        dtypes = tuple(entry.get("dtypes", DTYPES))
        for dtype in settings.dtypes:
            if dtype in dtypes:
                jobs.append((func, nin, dtype))
            else:
                skipped.append(f"{func} {dtype} (no such loop)")
    return jobs, small, skipped


def run_functions(pm: ModuleType, settings: Settings) -> FunctionsResult:
    """Run the functions suite: the large table, then the small-array one.

    Parameters
    ----------
    pm : module
        The parmath module.
    settings : Settings
        Command-line options; ``funcs`` must be registry names.

    Returns
    -------
    FunctionsResult
        A row per function and dtype, a row per function, dtype and small size, the
        functions left out (more than two inputs or one output, or a dtype without a loop)
        and numba's threading layer.
    """
    jobs, small_funcs, skipped = _function_jobs(pm, settings)
    loops = {(func, dtype) for func, _, dtype in jobs}
    small_jobs = [
        (func, nin, dtype)
        for dtype in settings.dtypes
        for func, nin in small_funcs
        if (func, dtype) in loops
    ]
    total = len(jobs) + len(small_jobs)
    rows: list[FunctionRow] = []
    small: list[SmallRow] = []
    with np.errstate(all="ignore"), pm.threads(settings.workers):
        for index, (func, nin, dtype) in enumerate(jobs, start=1):
            _progress(settings, index, total, f"{func} {dtype} n={settings.n:,}")
            rows.append(measure_function(pm, func, nin, dtype, settings))
        for index, (func, nin, dtype) in enumerate(small_jobs, start=len(jobs) + 1):
            _progress(settings, index, total, f"{func} {dtype} small arrays")
            small.extend(measure_small(pm, func, nin, dtype, settings.repeat))
    return FunctionsResult(rows, small, skipped, _numba_threading_layer())


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


def numpy_simd() -> str:
    """NumPy's SIMD dispatch targets that run on this CPU, e.g. ``X86_V3 X86_V4``.

    ``NPY_DISABLE_CPU_FEATURES`` (read when NumPy is imported) turns targets off, so that NumPy can
    be held to the level parmath runs at under ``PARMATH_ISA``.
    """
    try:
        # Private, and absent before NumPy 2.0.
        mu = importlib.import_module("numpy._core._multiarray_umath")
    except ImportError:
        return "unknown"
    features = getattr(mu, "__cpu_features__", {})
    dispatch = getattr(mu, "__cpu_dispatch__", [])
    enabled = [t for t in dispatch if features.get(t)]
    return " ".join(enabled) if enabled else "baseline only"


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
        "numpy_simd": numpy_simd(),
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
        f"command : {settings.command}",
        f"machine : {info['cpu_model']}, {info['logical_cores']} logical cores",
        f"          {info['platform']}",
        f"parmath : {version}, isa={isa} (detected {detected}), threads={threads}",
        f"numpy   : {info['numpy']} (SIMD: {info['numpy_simd']}), python {info['python']}",
        f"workload: n={n:,}, repeat={repeat} (median reported), workers={workers}",
        f"pools   : multiprocessing '{info['mp_start_method']}' start method",
        f"data    : uniform [0,1) (log: 1-u, in (0,1]), seed {SEED}, cast to dtype",
    ]


def _functions_header(info: dict[str, Any], settings: Settings) -> list[str]:
    pm_info = info["parmath"]
    version, isa = pm_info.get("version", "?"), pm_info.get("isa", "?")
    detected, workers = pm_info.get("isa_detected", "?"), settings.workers
    others = info.get("others", {})
    numba = others.get("numba") or "not installed"
    if not settings.numba:
        numba = "skipped (--no-numba)"
    return [
        f"parmath bench -- suite functions -- {info['date']}",
        f"command : {settings.command}",
        f"machine : {info['cpu_model']}, {info['logical_cores']} logical cores",
        f"          {info['platform']}",
        f"parmath : {version}, isa={isa} (detected {detected}; PARMATH_ISA picks), "
        f"threads={workers}",
        f"numpy   : {info['numpy']} (SIMD: {info['numpy_simd']}), python {info['python']}, "
        f"scipy {others.get('scipy') or 'not installed'}",
        f"others  : numexpr {others.get('numexpr') or 'not installed'} ({workers} threads), "
        f"numba {numba} ({workers} threads, compiled untimed, "
        f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', 'unset')})",
        f"workload: n={settings.n:,} per input, f(x, out=y), output preallocated everywhere; "
        f"median of {settings.repeat} runs after a warm-up, the columns' runs alternating",
        "floor   : threaded pass over the same bytes: copy x->y (unary), "
        "np.add(x1, x2, out=y) (binary: 2 reads + 1 write)",
        f"data    : uniform per function (INPUT_RANGES, default {list(DEFAULT_RANGE)}), "
        f"seed {SEED}, cast to dtype",
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
    return _align([head] + [_cells(row) for row in rows], ["<", ">", ">", ">", ">", "<"])


def _report_case(func: str, dtype: str, result: SuiteResult) -> list[str]:
    return ["", f"== {func} {dtype} ==", *format_table(result.rows), *result.summary]


def _write_json(
    path: Path,
    info: dict[str, Any],
    settings: Settings,
    rows: Sequence[Any],
    extra: dict[str, Any] | None = None,
) -> None:
    config = asdict(settings)
    del config["json_path"], config["quiet"]
    config["folder"] = None if settings.folder is None else str(settings.folder)
    payload = {
        "machine": info,
        "config": {**config, "seed": SEED},
        "rows": [asdict(row) for row in rows],
        **(extra or {}),
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


def _count(text: str) -> int:
    """Argparse type: a positive whole number, also in float notation (``1e9``)."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not (value >= 1 and value.is_integer()):
        msg = f"expected a positive whole number, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return int(value) if "e" in text.lower() else _positive_int(text)


def _registry_names() -> tuple[str, ...]:
    """Names of every registry function, in registry order."""
    core = importlib.import_module("parmath._core")
    return tuple(str(entry["name"]) for entry in core.registry())


def _known_functions() -> tuple[str, ...]:
    """Names ``--func`` accepts: the classic suites' and every registry function."""
    return tuple(dict.fromkeys([*FUNCS, *_registry_names()]))


def _choice_list(
    choices: Sequence[str] | Callable[[], Sequence[str]],
) -> Callable[[str], list[str]]:
    """Argparse type: a comma-separated list of names from `choices` (or what it returns)."""

    def parse(text: str) -> list[str]:
        allowed = choices() if callable(choices) else choices
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
        type=_count,
        default=DEFAULT_N,
        help="number of elements, as 1000000 or 1e6 (default %(default)s)",
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
        help=(
            "processes/threads for the classic strategies; suite functions: threads of parmath, "
            "numexpr, numba and the floor; suite dask: worker processes (default: CPU count)"
        ),
    )
    add(
        "--func",
        type=_choice_list(_known_functions),
        action="append",
        help=(
            "function names (repeatable or comma list); suites strategies, threshold, scaling: "
            "exp or log (default exp); suite functions: any registry function (default all)"
        ),
    )
    add(
        "--dtype",
        type=_choice_list(DTYPES),
        action="append",
        help=(
            "float64, float32 (repeatable or comma list; default float64, suite functions: both)"
        ),
    )
    add(
        "--suite",
        choices=sorted([*SUITES, "functions", "expressions", "big", "dask"]),
        default="strategies",
        help="benchmark suite (default %(default)s)",
    )
    add(
        "--sweep",
        action="store_true",
        help=(
            "the strategy study: Pool.map over 1..128 parts x chunksize 1..128 beside "
            "parmath.map (threads, processes) over chunk sizes, and the strategies table"
        ),
    )
    add(
        "--plot",
        type=Path,
        metavar="FILE.png",
        help="with --sweep: draw the grid (heatmap) and the strategies (bars); needs matplotlib",
    )
    add(
        "--dir",
        type=Path,
        metavar="FOLDER",
        help="suite big: where the streamed .npy files go (default: the temporary folder)",
    )
    add("--quiet", action="store_true", help="no progress lines on stderr")
    add(
        "--no-numba",
        action="store_true",
        help="suite functions: leave the numba column out (compiling takes about 1 s a function)",
    )


def _library_versions(settings: Settings) -> dict[str, str | None]:
    """Versions of the optional libraries the functions suite compares with (None: missing)."""
    names = ["numexpr", "scipy", *(["numba"] if settings.numba else [])]
    modules = {name: _import_optional(name) for name in names}
    return {name: getattr(m, "__version__", "?") if m else None for name, m in modules.items()}


def _dedupe_notes(notes: Sequence[str]) -> list[str]:
    """Merge "func dtype: note" lines that differ only in the dtype."""
    merged: dict[str, list[str]] = {}
    for note in notes:
        key, sep, text = note.partition(": ")
        func, _, dtype = key.partition(" ")
        if sep and dtype in DTYPES:
            merged.setdefault(f"{func}: {text}", []).append(dtype)
        else:
            merged.setdefault(note, [])
    return [
        note.replace(": ", f" {'/'.join(dtypes)}: ", 1) if dtypes else note
        for note, dtypes in merged.items()
    ]


def _execute_functions(settings: Settings, pm: ModuleType, info: dict[str, Any]) -> int:
    info = {**info, "others": _library_versions(settings)}
    print("\n".join(_functions_header(info, settings)), flush=True)
    result = run_functions(pm, settings)
    rows, small = result.rows, result.small
    isa = info["parmath"].get("isa", "?")
    print(f"\n== functions, n={settings.n:,}, isa={isa} ==", flush=True)
    print("\n".join(format_function_table(rows)), flush=True)
    notes = [f"{row.func} {row.dtype}: {row.notes}" for row in rows if row.notes]
    if result.numba_threading_layer is not None:
        notes.append(f"numba threading layer: {result.numba_threading_layer}")
    if result.skipped:
        notes.append(f"left out: {', '.join(result.skipped)}")
    print("\n".join(f"note: {note}" for note in _dedupe_notes(notes)), flush=True)
    for small_dtype in dict.fromkeys(row.dtype for row in small):
        of_dtype = [row for row in small if row.dtype == small_dtype]
        print(
            f"\n== small and mid-size arrays: parmath/numpy time per call, {small_dtype}, "
            f"isa={isa} (goal <= {SMALL_GOAL}) ==",
            flush=True,
        )
        print("\n".join([*format_small_table(of_dtype), *_small_summary(of_dtype)]), flush=True)
    if settings.json_path is not None:
        extra = {
            "small_rows": [asdict(row) for row in small],
            "small_goal": SMALL_GOAL,
            "skipped": result.skipped,
            "numba_threading_layer": result.numba_threading_layer,
        }
        _write_json(settings.json_path, info, settings, rows, extra)
    return 0


def _execute(settings: Settings) -> int:
    pm, ctx = importlib.import_module("parmath"), _mp_context()
    info = machine_info(pm, ctx)
    if settings.suite == "functions":
        return _execute_functions(settings, pm, info)
    if settings.suite == "expressions":
        from .bench_expr import execute

        return execute(settings, pm, info)
    if settings.suite == "big":
        from . import bench_big

        return bench_big.execute(settings, pm, info)
    if settings.suite == "dask":
        from . import bench_dask

        return bench_dask.execute(settings, pm, info)
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
    # numba's OpenMP workers otherwise spin for milliseconds after each call, on the cores the next
    # library timed in the alternating rounds needs (measured: parmath's exp over 100,000 float64
    # took 0.73 ms after a numba call, 0.06 ms with passive waiting). Read when numba first loads
    # its threading layer, so it must be set before; a user's own setting wins.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        if getattr(args, "plot", None) is not None and not getattr(args, "sweep", False):
            raise UsageError("--plot draws the results of --sweep; add --sweep")
        if getattr(args, "sweep", False):
            from . import bench_sweep

            pm = importlib.import_module("parmath")
            info = machine_info(pm, _mp_context())
            return bench_sweep.execute(Settings.from_args(args), args.plot, pm, info)
        return _execute(Settings.from_args(args))
    except UsageError as exc:
        print(f"parmath bench: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("parmath bench: interrupted", file=sys.stderr)
        return 130
    except (OSError, MemoryError, RuntimeError) as exc:  # RuntimeError: --plot, no matplotlib
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
    args.command_line = shlex.join(["parmath", "bench", *(sys.argv[1:] if argv is None else argv)])
    return run(args)


if __name__ == "__main__":
    sys.exit(main())

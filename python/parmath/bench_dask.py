"""``parmath bench --suite dask``: parmath against NumPy through Dask on a LocalCluster.

A ``dask.distributed.LocalCluster`` of ``--workers`` processes (default: the CPU count), one
thread each, holds the input: ``n`` items drawn on the workers in chunks of at most
``CHUNK`` and persisted before any timing. Each timed run builds the graph, persists the result
and waits for it; the result is then freed (and the run waits until the scheduler has forgotten
it, since graph names are deterministic), so that at most one input and one result are in memory:
1e9 float64 items take 16 GB. Timed: ``parmath.f(x)`` against ``numpy.f(x)`` (Dask's own
ufunc, i.e. NumPy's per block) for ``f`` of ``--func``, and one :func:`parmath.evaluate` formula
against the same formula in NumPy ufuncs. After a warm-up run of each, the two run alternately
``--repeat`` times (a change of load on a shared machine hits both) and the medians are reported;
GB/s counts the bytes of the input read. Each worker's parmath uses its default thread count
(one, from the ``OMP_NUM_THREADS=1`` that the nanny sets, unless ``PARMATH_NUM_THREADS`` is set).
"""

from __future__ import annotations

import importlib
import math
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from types import ModuleType

    from .bench import Settings

#: Items per chunk at most (80 MB of float64, within Dask's advice of 10 MB to 1 GB a chunk).
CHUNK = 10_000_000
#: Chunks per worker at least, so that small runs still spread over every worker.
MIN_CHUNKS_PER_WORKER = 4
#: The formula of the suite: one input, so that 1e9 float64 items fit twice in memory.
FORMULA = "exp(-x**2 / 2) * sin(x) + 1"


def _numpy_formula(x: Any) -> Any:
    return np.exp(-(x**2) / 2) * np.sin(x) + 1


@dataclass
class DaskRow:
    """One function (or the formula) and dtype (also the JSON row)."""

    case: str
    dtype: str
    n: int
    chunk: int
    workers: int
    numpy_s: float
    parmath_s: float
    max_ulp_first_chunk: float


def chunk_size(n: int, workers: int) -> int:
    """Items per chunk: at most `CHUNK`, and at least `MIN_CHUNKS_PER_WORKER` chunks a worker."""
    return max(1, min(CHUNK, math.ceil(n / (MIN_CHUNKS_PER_WORKER * workers))))


def _modules() -> tuple[ModuleType, ModuleType, ModuleType]:
    """Return dask, dask.array and distributed, or say how to install them."""
    from .bench import UsageError

    try:
        return (
            importlib.import_module("dask"),
            importlib.import_module("dask.array"),
            importlib.import_module("distributed"),
        )
    except ImportError as exc:
        raise UsageError(
            f"--suite dask needs dask and distributed ({exc}): pip install 'parmath[dask]'"
        ) from exc


def _held(keys: list[Any], dask_scheduler: Any = None) -> bool:
    """Tell whether the scheduler still knows any of `keys` (run on the scheduler)."""
    return any(k in dask_scheduler.tasks for k in keys)


class _Timer:
    """Persist Dask arrays on a cluster and time it; free each result before the next run."""

    def __init__(self, client: Any, repeat: int) -> None:
        self.client = client
        self.repeat = repeat
        self.wait = _modules()[2].wait
        self.flatten = importlib.import_module("dask.core").flatten

    def _persist(self, make: Callable[[], Any]) -> float:
        start = time.perf_counter()
        result = make().persist()
        self.wait(result)
        elapsed = time.perf_counter() - start
        keys = list(self.flatten(result.__dask_keys__()))
        del result
        # Graph names are deterministic: until the scheduler forgets the keys, the next run would
        # find the result in memory (and two results would not fit at 1e9 items).
        while self.client.run_on_scheduler(_held, keys):
            time.sleep(0.01)
        return elapsed

    def medians(self, *makes: Callable[[], Any]) -> list[float]:
        """Time each of `makes`, interleaved run by run (a change of load hits them alike)."""
        for make in makes:
            self._persist(make)  # warm-up: imports, compilation, worker pools
        runs = [[self._persist(make) for make in makes] for _ in range(self.repeat)]
        return [statistics.median(times) for times in zip(*runs, strict=True)]


def _max_ulp_first_chunk(client: Any, ours: Any, numpy: Any) -> float:
    from .bench import ulp_distance

    a, b = client.compute([ours.blocks[0], numpy.blocks[0]], sync=True)
    return float(np.max(ulp_distance(a, b), initial=0.0))


@contextmanager
def _cluster(workers: int) -> Iterator[Any]:
    _, _, distributed = _modules()
    # memory_limit=0: no spilling to disk or pausing, which would time the disk (1e9 float64
    # items and their result take 16 GB); dashboard_address=":0": a free port, never a clash.
    with (
        distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            memory_limit=0,
            dashboard_address=":0",
        ) as cluster,
        distributed.Client(cluster) as client,  # the default: .persist() and wait() use it
    ):
        yield client


def _case(
    client: Any, timer: _Timer, row: Callable[..., DaskRow], x: Any, ours: Any, theirs: Any
) -> DaskRow:
    """Time ``ours(x)`` and ``theirs(x)`` (functions of a Dask array) and compare a chunk."""
    t_np, t_pm = timer.medians(lambda: theirs(x), lambda: ours(x))
    return row(t_np, t_pm, _max_ulp_first_chunk(client, ours(x), theirs(x)))


def _measure_dtype(pm: ModuleType, client: Any, settings: Settings, dtype: str) -> list[DaskRow]:
    from .bench import SEED, _note

    _, da, distributed = _modules()
    timer = _Timer(client, settings.repeat)
    n, workers = settings.n, settings.workers
    chunk = chunk_size(n, workers)

    def row(case: str) -> Callable[..., DaskRow]:
        return lambda *times_ulp: DaskRow(case, dtype, n, chunk, workers, *times_ulp)

    def data(func: str) -> Any:
        # Made and persisted on the workers, one input at a time: 1e9 float64 items and their
        # result take 16 GB. log gets 1 - u, in (0, 1], so that no input is zero.
        u = da.random.default_rng(SEED).random(n, chunks=chunk, dtype=dtype)
        x = (u if func == "exp" else 1 - u).persist()
        distributed.wait(x)
        return x

    rows = []
    for func in settings.funcs:
        _note(settings, f"{func} {dtype}")
        ours, theirs = getattr(pm, func), getattr(np, func)
        rows.append(_case(client, timer, row(func), data(func), ours, theirs))
    _note(settings, f"{FORMULA} {dtype}")

    def formula(x: Any) -> Any:
        return pm.evaluate(FORMULA, {"x": x})

    rows.append(_case(client, timer, row(FORMULA), data("exp"), formula, _numpy_formula))
    return rows


def measure(pm: ModuleType, client: Any, settings: Settings) -> list[DaskRow]:
    """Time every function of `settings` and the formula, for every dtype, on `client`."""
    return [r for dtype in settings.dtypes for r in _measure_dtype(pm, client, settings, dtype)]


def format_rows(rows: list[DaskRow]) -> list[str]:
    """Format the table: times in ms, GB/s of input read, and NumPy's time over parmath's."""
    head = (
        f"{'case':<30} {'dtype':<8} {'numpy ms':>10} {'parmath ms':>10} {'numpy GB/s':>10} "
        f"{'parmath GB/s':>12} {'speed-up':>8} {'max ulp':>7}"
    )
    lines = [head]
    for r in rows:
        gb = r.n * np.dtype(r.dtype).itemsize / 1e9
        lines.append(
            f"{r.case:<30} {r.dtype:<8} {r.numpy_s * 1e3:10.1f} {r.parmath_s * 1e3:10.1f} "
            f"{gb / r.numpy_s:10.2f} {gb / r.parmath_s:12.2f} {r.numpy_s / r.parmath_s:7.2f}x "
            f"{r.max_ulp_first_chunk:7.0f}"
        )
    return lines


def execute(settings: Settings, pm: ModuleType, info: dict[str, Any]) -> int:
    """Run the suite and print (and optionally write) the table."""
    from .bench import SEED, _header, _write_json

    dask, _, distributed = _modules()
    chunk = chunk_size(settings.n, settings.workers)
    with _cluster(settings.workers) as client:
        threads = sorted(set(client.run(pm.get_num_threads).values()))
        header = _header(info, settings)
        header[-2:] = [
            f"cluster : LocalCluster of {settings.workers} worker processes x 1 thread, "
            f"parmath threads per worker: {', '.join(map(str, threads))}; "
            f"dask {dask.__version__}, distributed {distributed.__version__}",
            f"data    : uniform [0, 1) drawn on the workers (log: 1 - u), seed {SEED}, "
            f"chunks of {chunk:,}",
        ]
        print("\n".join(header), flush=True)
        rows = measure(pm, client, settings)
    isa = info["parmath"].get("isa", "?")
    print(
        f"\n== dask, n={settings.n:,}, {settings.workers} workers, isa={isa}: result persisted "
        "on the workers, median ==",
        flush=True,
    )
    print("\n".join(format_rows(rows)), flush=True)
    print("max ulp: parmath against NumPy on the first chunk", flush=True)
    if settings.json_path is not None:
        extra = {
            "dask": {"dask": dask.__version__, "distributed": distributed.__version__},
            "worker_threads": threads,
        }
        _write_json(settings.json_path, info, settings, rows, extra)
    return 0

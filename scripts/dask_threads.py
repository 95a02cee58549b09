"""Measure parmath's thread count inside Dask: which default avoids oversubscribing the cores.

Usage: ``python scripts/dask_threads.py [--n 100000000] [--chunk 10000000] [--repeat 5]``.

For each way of running Dask on this machine (the threaded scheduler; a LocalCluster of one
process per core with one thread each; one process with a thread per core), it times
``parmath.exp(x)`` and ``parmath.evaluate(FORMULA)`` with parmath set to 1 thread and to every
CPU in each process, against ``numpy.exp`` and the formula written with NumPy ufuncs through the
same Dask setup. The inputs are made and persisted first; each timed run persists the result and
frees it. The median of ``--repeat`` runs is printed, as ms and as GB/s of input read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import time
from collections.abc import Callable
from typing import Any

import dask
import dask.array as da
import numpy as np
from dask.core import flatten
from distributed import Client, LocalCluster, wait

import parmath

FORMULA = "exp(-a**2 / 2) * sin(b) + 1"


def _held(keys: list[Any], dask_scheduler: Any = None) -> bool:
    """Tell whether the scheduler still knows any of `keys` (run on the scheduler)."""
    return any(k in dask_scheduler.tasks for k in keys)


def _cases(x: da.Array, a: da.Array, b: da.Array) -> dict[str, Callable[[], da.Array]]:
    return {
        "exp numpy": lambda: da.exp(x),  # dask's own ufunc: numpy.exp per block
        "exp parmath": lambda: parmath.exp(x),
        "formula numpy": lambda: da.exp(-(a**2) / 2) * da.sin(b) + 1,
        "formula parmath": lambda: parmath.evaluate(FORMULA, {"a": a, "b": b}),
    }


def _measure(
    setup: str,
    inputs: tuple[da.Array, da.Array, da.Array],
    threads: list[int],
    set_threads: Callable[[int], object],
    persist: Callable[[da.Array], da.Array],
    forgotten: Callable[[list[Any]], None],
    args: argparse.Namespace,
) -> None:
    """Time every case and thread count, interleaved round by round, and print the medians.

    The machine may be shared: running the variants one after another in each round spreads a
    change of load over all of them instead of one.
    """
    cpus = parmath._core.available_cpus()
    variants = [
        (case, k, make)
        for case, make in _cases(*inputs).items()
        for k in ([cpus] if "numpy" in case else threads)
    ]
    times: dict[tuple[str, int], list[float]] = {(c, k): [] for c, k, _ in variants}
    for round_ in range(args.repeat + 1):  # round 0 warms up (pools, compilation, page cache)
        for case, k, make in variants:
            set_threads(k)
            start = time.perf_counter()
            result = persist(make())
            elapsed = time.perf_counter() - start
            keys = list(flatten(result.__dask_keys__()))
            del result
            forgotten(keys)
            if round_:
                times[case, k].append(elapsed)
    for (case, k), ts in times.items():
        seconds = statistics.median(ts)
        reads = 2 if case.startswith("formula") else 1
        gbs = reads * 8 * args.n / seconds / 1e9
        print(f"{setup:<30} {k:>7} {case:<16} {seconds * 1e3:9.1f} {gbs:7.2f}", flush=True)


def _threaded(args: argparse.Namespace, threads: list[int]) -> None:
    with dask.config.set(scheduler="threads"):
        x, a, b = (da.random.random(args.n, chunks=args.chunk).persist() for _ in range(3))
        _measure(
            "threaded scheduler",
            (x, a, b),
            threads,
            parmath.set_num_threads,
            lambda y: y.persist(),
            lambda keys: None,
            args,
        )


def _cluster(args: argparse.Namespace, threads: list[int], workers: int, per_worker: int) -> None:
    setup = f"LocalCluster {workers} proc x {per_worker} thr"
    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=per_worker, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        x, a, b = (da.random.random(args.n, chunks=args.chunk).persist() for _ in range(3))
        wait([x, a, b])
        default = sorted(set(client.run(parmath.get_num_threads).values()))
        print(f"# {setup}: parmath's default in the workers: {default}", flush=True)

        def persist(y: da.Array) -> da.Array:
            y = y.persist()
            wait(y)
            return y

        def forgotten(keys: list[Any]) -> None:
            # Keys are deterministic: until the scheduler forgets them, the next run would find
            # the result already in memory.
            while client.run_on_scheduler(_held, keys):
                time.sleep(0.01)

        def set_threads(k: int) -> None:
            client.run(parmath.set_num_threads, k)

        _measure(setup, (x, a, b), threads, set_threads, persist, forgotten, args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000_000)
    parser.add_argument("--chunk", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--threads", default="", help="parmath thread counts, comma list (default: 1 and all CPUs)"
    )
    args = parser.parse_args()
    cpus = parmath._core.available_cpus()
    print(f"# {dt.datetime.now().astimezone().isoformat(timespec='seconds')}")
    print(f"# {platform.processor() or platform.machine()}, {cpus} CPUs, {platform.platform()}")
    print(
        f"# parmath {parmath.__version__} isa={parmath.info()['isa']}, numpy {np.__version__}, "
        f"dask {dask.__version__}; OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}"
    )
    print(f"# n={args.n:,} float64, chunks of {args.chunk:,}, median of {args.repeat}")
    print(f"{'setup':<30} {'parmath':>7} {'case':<16} {'ms':>9} {'GB/s':>7}")
    threads = [int(t) for t in args.threads.split(",") if t] or [1, cpus]
    _threaded(args, threads)
    _cluster(args, threads, cpus, 1)
    _cluster(args, threads, 1, cpus)


if __name__ == "__main__":
    main()

"""``parmath bench --suite big``: vectors of billions of items, in memory and streamed from disk.

Two measurements on ``n`` float64 (default 10M; the issue's figure is ``--n 1000000000``, 8 GB):

* in memory, in place: ``parmath.exp(x, out=x)`` against ``numpy.exp(x, out=x)`` and a parallel
  in-place pass of the same bytes (the memory floor), in GB/s of the array;
* streamed: ``parmath apply 'exp(x)'`` over an ``.npy`` file, against copying the same file (the
  disk floor) and against the by-hand way (``np.load(mmap_mode='r')`` and ``numpy.exp`` into an
  ``open_memmap`` output, chunk by chunk). Every run starts with the input evicted from the page
  cache (``posix_fadvise``) and ends with its output flushed to disk (``fsync``), so each reads and
  writes the disk.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from types import ModuleType

    from .bench import Settings

#: Items generated, evicted and copied at a time (keeps the suite's own memory small).
STEP = 1 << 22


@dataclass
class BigRow:
    """One strategy (also the JSON row); `seconds` is the median."""

    section: str
    strategy: str
    n: int
    seconds: float
    gb_per_s: float
    max_ulp_vs_numpy: float | None


def _median(call: Callable[[], object], repeat: int, before: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        before()
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _in_place_floor(x: np.ndarray, executor: ThreadPoolExecutor, threads: int) -> None:
    """Read and write every byte of `x` once, on `threads` threads: the in-place memory floor."""
    from .bench import _chunk_bounds

    def touch(span: tuple[int, int]) -> None:
        a, b = span
        np.negative(x[a:b], out=x[a:b])

    list(executor.map(touch, _chunk_bounds(x.size, threads)))


def measure_memory(pm: ModuleType, settings: Settings, say: Callable[[str], None]) -> list[BigRow]:
    """In place in memory: parmath against NumPy and the floor, restoring `x` between runs."""
    from .bench import ulp_distance

    n = settings.n
    say(f"filling {n:,} float64 ({n * 8 / 1e9:.1f} GB) in memory")
    x = np.empty(n)
    rng = np.random.default_rng(20261127)
    for start in range(0, n, STEP):
        rng.random(out=x[start : start + STEP])
    check = x[: min(n, 1 << 20)].copy()

    def restore() -> None:  # the floor's pass only flips signs
        pass

    rows = []
    with pm.threads(settings.workers), ThreadPoolExecutor(settings.workers) as executor:
        # Before each timed exp, log(x, out=x) (untimed) brings x back near its [0, 1) values.
        say("parmath.exp(x, out=x)")
        t_pm = _median(lambda: pm.exp(x, out=x), settings.repeat, lambda: pm.log(x, out=x))
        ours = pm.exp(check)
        say("numpy.exp(x, out=x)")
        t_np = _median(lambda: np.exp(x, out=x), settings.repeat, lambda: np.log(x, out=x))
        say("floor: parallel in-place pass")
        t_floor = _median(
            lambda: _in_place_floor(x, executor, settings.workers), settings.repeat, restore
        )
    ulp = float(np.max(ulp_distance(ours, np.exp(check))))
    gb = n * 8 / 1e9
    for name, t, u in (
        ("parmath.exp(x, out=x)", t_pm, ulp),
        ("numpy.exp(x, out=x)", t_np, None),
        (f"floor: np.negative in place on {settings.workers} threads", t_floor, None),
    ):
        rows.append(BigRow("memory", name, n, t, gb / t, u))
    return rows


def _evict(path: Path) -> None:
    """Drop `path`'s pages from the page cache (clean pages only: write and fsync first)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_file(src: Path, dst: Path) -> None:
    shutil.copyfile(src, dst)
    _fsync(dst)


def _by_hand(src: Path, dst: Path) -> None:
    """Do it the usual way without parmath: memory-map, ``numpy.exp`` chunks into a memmap."""
    x = np.load(src, mmap_mode="r")
    y = np.lib.format.open_memmap(dst, mode="w+", dtype=x.dtype, shape=x.shape)
    for start in range(0, x.size, STEP):
        np.exp(x[start : start + STEP], out=y[start : start + STEP])
    y.flush()
    del x, y
    _fsync(dst)


def measure_files(
    pm: ModuleType, settings: Settings, folder: Path, say: Callable[[str], None]
) -> list[BigRow]:
    """Streamed from disk: ``apply_file`` against copying the file and the by-hand loop."""
    n = settings.n
    need = 3 * n * 8 + (64 << 20)
    free = shutil.disk_usage(folder).free
    if free < need:
        raise OSError(f"suite big needs {need / 1e9:.1f} GB free in {folder}, has {free / 1e9:.1f}")
    src, out = folder / "parmath-bench-x.npy", folder / "parmath-bench-y.npy"
    say(f"writing {src} ({n * 8 / 1e9:.1f} GB)")
    x = np.lib.format.open_memmap(src, mode="w+", dtype=np.float64, shape=(n,))
    rng = np.random.default_rng(20261127)
    for start in range(0, n, STEP):
        rng.random(out=x[start : start + STEP])
    x.flush()
    del x
    _fsync(src)

    def fresh() -> None:
        out.unlink(missing_ok=True)
        _evict(src)

    try:
        with pm.threads(settings.workers):
            say("copy the file (disk floor)")
            t_copy = _median(lambda: _copy_file(src, out), settings.repeat, fresh)
            say("parmath.apply_file('exp(x)')")
            t_pm = _median(
                lambda: pm.apply_file("exp(x)", {"x": src}, out, progress=False),
                settings.repeat,
                fresh,
            )
            sample = np.load(out, mmap_mode="r")[: min(n, 1 << 20)].copy()
            say("by hand: np.load(mmap_mode='r') + numpy.exp into open_memmap")
            t_hand = _median(lambda: _by_hand(src, out), settings.repeat, fresh)
        reference = np.exp(np.load(src, mmap_mode="r")[: sample.size])
        from .bench import ulp_distance

        ulp = float(np.max(ulp_distance(sample, reference)))
    finally:
        out.unlink(missing_ok=True)
        src.unlink(missing_ok=True)
    gb = n * 8 / 1e9
    return [
        BigRow("file", "copy the file (shutil.copyfile + fsync)", n, t_copy, gb / t_copy, None),
        BigRow("file", "parmath apply 'exp(x)'", n, t_pm, gb / t_pm, ulp),
        BigRow("file", "by hand: memmap + numpy.exp in chunks", n, t_hand, gb / t_hand, None),
    ]


def format_rows(rows: list[BigRow]) -> list[str]:
    """Format the table: seconds, GB/s of the array, each row's time over its section's floor."""
    floors = {r.section: r.seconds for r in rows if r.strategy.startswith(("floor", "copy"))}
    lines = [f"{'':<2}{'strategy':<52} {'seconds':>8} {'GB/s':>6} {'/floor':>7} {'max ulp':>7}"]
    section = ""
    for r in rows:
        if r.section != section:
            section = r.section
            title = "in memory, in place" if section == "memory" else "streamed from disk"
            lines.append(f"-- {title} --")
        ulp = "-" if r.max_ulp_vs_numpy is None else f"{r.max_ulp_vs_numpy:.0f}"
        lines.append(
            f"  {r.strategy:<52} {r.seconds:8.3f} {r.gb_per_s:6.2f} "
            f"{r.seconds / floors[r.section]:6.2f}x {ulp:>7}"
        )
    return lines


def execute(settings: Settings, pm: ModuleType, info: dict[str, Any]) -> int:
    """Run the suite and print (and optionally write) the table."""
    from .bench import _header, _note, _write_json

    header = _header(info, settings)
    header[-1] = "data    : float64 uniform [0, 1), seed 20261127; GB/s counts the array (8n B)"
    print("\n".join(header), flush=True)

    say = partial(_note, settings)

    rows = measure_memory(pm, settings, say)
    with tempfile.TemporaryDirectory(prefix="parmath-bench-", dir=settings.folder) as tmp:
        rows += measure_files(pm, settings, Path(tmp), say)
    isa = info["parmath"].get("isa", "?")
    gb = settings.n * 8 / 1e9
    print(f"\n== big: n={settings.n:,} float64 ({gb:.1f} GB), isa={isa} ==", flush=True)
    print("\n".join(format_rows(rows)), flush=True)
    mem = {r.strategy.split("(")[0]: r for r in rows if r.section == "memory"}
    print(
        f"parmath/numpy in place: {mem['numpy.exp'].seconds / mem['parmath.exp'].seconds:.2f}x; "
        f"files in {settings.folder or tempfile.gettempdir()}",
        flush=True,
    )
    if settings.json_path is not None:
        _write_json(settings.json_path, info, settings, rows)
    return 0

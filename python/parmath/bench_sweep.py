"""``parmath bench --sweep``: which parallel strategy wins, over a grid of splits and chunk sizes.

The classic grid: ``Pool.map(f, np.array_split(x, parts), chunksize)`` joined with
``np.concatenate`` for ``parts`` and ``chunksize`` in 1, 2, 4, ... 128 (one pool, made untimed);
beside it :func:`parmath.map` with threads, with processes on :func:`parmath.shared_array`
input and output, and with processes on ordinary arrays (copied in and out of shared memory),
each with its own chunk size choice and a range of fixed ones; sequential NumPy
``f(x, out=y)``; the memory floor (a threaded copy of the same bytes); and the table of the
``strategies`` suite.  ``--plot FILE.png`` draws the grid as a heatmap and the strategy table as
a bar chart (needs matplotlib: ``pip install 'parmath[plot]'``).
"""

from __future__ import annotations

import importlib
import math
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from types import ModuleType

    from .bench import Case, Row, Settings

#: Parts and chunk sizes of the Pool.map grid.
GRID = (1, 2, 4, 8, 16, 32, 64, 128)
#: Fixed chunk sizes tried for parmath.map (capped at n), beside its own choice (None).
MAP_CHUNKS: tuple[int | None, ...] = (None, 16_384, 65_536, 262_144, 1_048_576, 4_194_304)
#: The parmath.map variants: (key, label, backend, shared arrays).
MAP_VARIANTS = (
    ("map_threads", "parmath.map threads", "threads", False),
    ("map_processes_shared", "parmath.map processes, shared_array", "processes", True),
    ("map_processes_copy", "parmath.map processes, ordinary arrays", "processes", False),
)


class PlotUnavailableError(RuntimeError):
    """``--plot`` without matplotlib."""


@dataclass
class SweepResult:
    """Everything the sweep measured (seconds; the JSON ``extra``)."""

    func: str
    dtype: str
    n: int
    workers: int
    grid_parts: list[int]
    grid_chunksizes: list[int]
    grid_s: list[list[float]]
    map_chunks: list[int | None]
    map_s: dict[str, list[float]]
    numpy_out_s: float
    floor_s: float
    strategy_rows: list[Row] = field(default_factory=list)


def require_matplotlib() -> Any:
    """Import matplotlib with the Agg backend, or raise a clear error."""
    try:
        matplotlib = importlib.import_module("matplotlib")
    except ImportError:
        msg = (
            "--plot needs matplotlib, which is not installed: pip install 'parmath[plot]' "
            "(or pip install matplotlib)"
        )
        raise PlotUnavailableError(msg) from None
    matplotlib.use("Agg")
    return importlib.import_module("matplotlib.pyplot")


def _median(call: Callable[[], object], repeat: int, *, warm: bool = True) -> float:
    if warm:
        call()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _split_map(pool: Any, f: Any, x: np.ndarray, parts: int, chunksize: int) -> np.ndarray:
    result: np.ndarray = np.concatenate(pool.map(f, np.array_split(x, parts), chunksize))
    return result


def measure(case: Case, settings: Settings) -> SweepResult:
    """Run the grid, the parmath.map variants and the baselines on one case."""
    from .bench import _make_pool, _note, _parallel_copy, _touched_like

    pm, f, x, workers, repeat = case.pm, case.np_func, case.x, case.workers, settings.repeat
    y = _touched_like(x)
    numpy_out = _median(partial(f, x, out=y), repeat)
    with ThreadPoolExecutor(workers) as executor:
        floor = _median(partial(_parallel_copy, x, y, executor, workers), repeat)
    grid: list[list[float]] = []
    with _make_pool(case) as pool:
        for parts in GRID:
            _note(settings, f"Pool.map split into {parts} parts, chunksize 1..{GRID[-1]}")
            row = []
            for chunksize in GRID:
                call = partial(_split_map, pool, f, x, parts, chunksize)
                row.append(_median(call, repeat, warm=False))
            grid.append(row)
    chunks = [c for c in MAP_CHUNKS if c is None or c < case.n]
    map_s: dict[str, list[float]] = {}
    xs, ys = pm.shared_array(x.shape, x.dtype), pm.shared_array(x.shape, x.dtype)
    xs[...] = x
    for key, label, backend, shared in MAP_VARIANTS:
        _note(settings, label)
        src, dst = (xs, ys) if shared else (x, y)
        times = []
        for chunk in chunks:
            call = partial(pm.map, f, src, dst, backend=backend, workers=workers, chunk_size=chunk)
            times.append(_median(call, repeat))
            if not np.array_equal(dst, case.ref, equal_nan=True):
                msg = f"{label} (chunk {chunk}) differs from numpy"
                raise AssertionError(msg)
        map_s[key] = times
    del xs, ys
    return SweepResult(
        case.func,
        case.dtype.name,
        case.n,
        workers,
        list(GRID),
        list(GRID),
        grid,
        chunks,
        map_s,
        numpy_out,
        floor,
    )


def _map_rows(case: Case, result: SweepResult) -> list[Row]:
    """Make rows of the strategy table for the parmath.map variants (own chunk size)."""
    from .bench import Row

    rows = []
    for key, label, _, shared in MAP_VARIANTS:
        t = result.map_s[key][0]
        note = "x, y from shared_array" if shared else "x, y ordinary arrays"
        # measure() checked every output equal to numpy's: no difference to report.
        rows.append(Row(key, label, case.func, case.dtype.name, case.n, [t], t, None, 0.0, 0, note))
    return rows


def format_sweep(result: SweepResult, repeat: int) -> list[str]:
    """Format the grid, the parmath.map table and the summary as text lines."""
    lines = [
        f"\n== Pool.map(np.{result.func}, np.array_split(x, parts), chunksize) + concatenate: "
        f"ms, median of {repeat} ==",
        "parts \\ chunksize " + "".join(f"{c:>8}" for c in result.grid_chunksizes),
    ]
    for parts, row in zip(result.grid_parts, result.grid_s, strict=True):
        lines.append(f"{parts:>17} " + "".join(f"{t * 1e3:8.1f}" for t in row))
    chunks = ["auto" if c is None else f"{c:,}" for c in result.map_chunks]
    lines += [
        f"\n== parmath.map(np.{result.func}, x, out=y, chunk_size=...), {result.workers} "
        f"workers: ms, median of {repeat} ==",
        f"{'chunk_size':<40}" + "".join(f"{c:>11}" for c in chunks),
    ]
    for key, label, _, _ in MAP_VARIANTS:
        lines.append(f"{label:<40}" + "".join(f"{t * 1e3:11.2f}" for t in result.map_s[key]))
    best_grid = min(min(row) for row in result.grid_s)
    base, floor = result.numpy_out_s, result.floor_s
    threads, shared = result.map_s["map_threads"][0], result.map_s["map_processes_shared"][0]
    copied = result.map_s["map_processes_copy"][0]
    lines += [
        f"{'numpy ' + result.func + '(x, out=y), sequential':<40}{base * 1e3:11.2f}",
        f"{'memory floor: threaded copy, same bytes':<40}{floor * 1e3:11.2f}",
        "",
        f"parmath.map threads (auto chunks) vs sequential numpy out= : {base / threads:.2f}x",
        f"parmath.map processes, shared_array vs sequential numpy   : {base / shared:.2f}x",
        f"parmath.map processes, ordinary arrays vs sequential numpy: {base / copied:.2f}x",
        f"sequential numpy / memory floor                            : {base / floor:.2f}x",
        f"parmath.map threads / memory floor                         : {threads / floor:.2f}x",
        f"best Pool.map cell ({best_grid * 1e3:.1f} ms) / parmath.map threads      : "
        f"{best_grid / threads:.1f}x",
        f"best Pool.map cell / parmath.map processes, shared_array   : {best_grid / shared:.1f}x",
    ]
    return lines


def plot(result: SweepResult, path: Path) -> None:
    """Draw the grid as a heatmap and the strategy table as a bar chart into `path`."""
    plt = require_matplotlib()
    colors = importlib.import_module("matplotlib.colors")
    fig, (ax_grid, ax_bar) = plt.subplots(
        1, 2, figsize=(14, 6), gridspec_kw={"width_ratios": [1, 1.25]}
    )
    ms = np.array(result.grid_s) * 1e3
    image = ax_grid.imshow(ms, cmap="viridis_r", norm=colors.LogNorm(), aspect="auto")
    ax_grid.set_xticks(range(len(result.grid_chunksizes)), [str(c) for c in result.grid_chunksizes])
    ax_grid.set_yticks(range(len(result.grid_parts)), [str(p) for p in result.grid_parts])
    ax_grid.set_xlabel("Pool.map chunksize")
    ax_grid.set_ylabel("array_split parts")
    ax_grid.set_title(
        f"Pool.map(np.{result.func}, array_split(x, parts), chunksize), ms\n"
        f"n={result.n:,} {result.dtype}, {result.workers} processes"
    )
    middle = math.sqrt(float(ms.min()) * float(ms.max()))  # the colour scale's middle
    for (i, j), value in np.ndenumerate(ms):
        shade = "w" if value > middle else "k"  # dark cells are the slow ones
        ax_grid.text(j, i, f"{value:.3g}", ha="center", va="center", fontsize=7, color=shade)
    fig.colorbar(image, ax=ax_grid, label="ms (log scale)")
    rows = [r for r in result.strategy_rows if r.median_s is not None]
    labels = [r.label for r in rows]
    values = [r.median_s * 1e3 for r in rows if r.median_s is not None]
    bar_colors = [
        "tab:orange"
        if r.strategy.startswith("map_")
        else "tab:green"
        if r.strategy.startswith("parmath")
        else "tab:gray"
        if r.strategy == "copy_floor"
        else "tab:blue"
        for r in rows
    ]
    ax_bar.barh(range(len(rows)), values, color=bar_colors)
    ax_bar.set_yticks(range(len(rows)), labels, fontsize=8)
    ax_bar.invert_yaxis()
    ax_bar.set_xscale("log")
    ax_bar.set_xlabel("median ms (log scale)")
    ax_bar.set_title(f"parmath bench strategies, {result.func} {result.dtype}")
    for i, bar in enumerate(values):
        ax_bar.text(bar, i, f" {bar:.3g}", va="center", fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def execute(
    settings: Settings, plot_path: Path | None, pm: ModuleType, info: dict[str, Any]
) -> int:
    """Run the sweep (and the strategies suite) for the first function and dtype; print it all."""
    from .bench import _header, _make_case, _mp_context, _write_json, format_table
    from .bench import suite_strategies as strategies

    if plot_path is not None:
        require_matplotlib()  # fail before minutes of measuring
    header = _header(info, settings)
    header[0] = header[0].replace(f"suite {settings.suite}", "sweep")
    print("\n".join(header), flush=True)
    func, dtype = settings.funcs[0], settings.dtypes[0]
    case = _make_case(func, dtype, settings, pm, _mp_context())
    result = measure(case, settings)
    print("\n".join(format_sweep(result, settings.repeat)), flush=True)
    table = strategies(case, settings)
    rows = [*table.rows, *_map_rows(case, result)]
    baseline = table.rows[0].median_s
    for row in rows:
        row.speed = None if not (baseline and row.median_s) else baseline / row.median_s
    result.strategy_rows = rows
    print(f"\n== strategies, {func} {dtype}, n={settings.n:,} ==", flush=True)
    print("\n".join([*format_table(rows), *table.summary]), flush=True)
    if plot_path is not None:
        plot(result, plot_path)
        print(f"\nplot written to {plot_path}", flush=True)
    if settings.json_path is not None:
        extra = {
            "sweep": {
                "grid_parts": result.grid_parts,
                "grid_chunksizes": result.grid_chunksizes,
                "grid_s": result.grid_s,
                "map_chunks": result.map_chunks,
                "map_s": result.map_s,
                "numpy_out_s": result.numpy_out_s,
                "floor_s": result.floor_s,
            }
        }
        _write_json(settings.json_path, info, settings, rows, extra)
    return 0

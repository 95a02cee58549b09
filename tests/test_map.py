"""``parmath.map`` and ``parmath.shared_array``: results, faults, and no leaked segments."""

from __future__ import annotations

import gc
import itertools
import math
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import parmath
from _helpers import check_subprocess, finish, run_python, start_python
from parmath import _map

SHM = Path("/dev/shm")
BACKENDS = ["threads", "processes"]
LENGTHS = [1, 2, 5, 1001, 100_003]

needs_shm = pytest.mark.skipif(not SHM.is_dir(), reason="no /dev/shm to inspect")


def _segments(pid: int | None = None) -> set[str]:
    """Return parmath's segments in /dev/shm (of one creating process when `pid` is given)."""
    if not SHM.is_dir():
        return set()
    prefix = _map.SEGMENT_PREFIX + ("" if pid is None else f"{pid}_")
    return {p.name for p in SHM.iterdir() if p.name.startswith(prefix)}


@pytest.fixture(autouse=True)
def _no_leaked_segments() -> Iterator[None]:
    """Every test leaves /dev/shm as it found it."""
    gc.collect()
    before = _segments(os.getpid())
    yield
    gc.collect()
    assert _segments(os.getpid()) == before


# Module-level functions: they pickle by reference for the process backend.


def chain(c: np.ndarray) -> np.ndarray:
    return np.sqrt(np.abs(np.sin(c))) * 2.0 + c


def scalar(v: float) -> float:
    return math.exp(-v * v) + 1.0


def to_int(c: np.ndarray) -> np.ndarray:
    return (c * 10).astype(np.int32)


def boom(c: np.ndarray) -> np.ndarray:
    if c[-1] > 0.9:
        raise ArithmeticError("boom at the end of the vector")
    return c


def exit_worker(c: np.ndarray) -> np.ndarray:
    os._exit(1)


def kill_worker(c: np.ndarray) -> np.ndarray:
    os.kill(os.getpid(), signal.SIGKILL)
    return c


def short(c: np.ndarray) -> np.ndarray:
    return c[:-1]


def not_scalar(v: float) -> list[float]:
    return [v, v]


def data_address(a: np.ndarray) -> int:
    return int(a.__array_interface__["data"][0])


# ---- results ------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("n", LENGTHS)
def test_vectorized_equals_sequential(backend: str, n: int, rng: np.random.Generator) -> None:
    x = rng.uniform(-3, 3, n)
    before = x.copy()
    got = parmath.map(chain, x, backend=backend, workers=3)
    np.testing.assert_array_equal(got, chain(x))
    assert got.dtype == np.float64
    np.testing.assert_array_equal(x, before)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("n", [1, 2, 7, 3001])
def test_scalar_equals_sequential(backend: str, n: int, rng: np.random.Generator) -> None:
    x = rng.uniform(-3, 3, n)
    got = parmath.map(scalar, x, backend=backend, workers=3, vectorized=False)
    np.testing.assert_array_equal(got, np.array([scalar(v) for v in x]))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("chunk_size", [1, 7, 64, 10_000])
def test_explicit_chunk_sizes_and_out(backend: str, chunk_size: int) -> None:
    x = np.linspace(0, 1, 1237)
    out = np.full_like(x, np.nan)
    got = parmath.map(np.exp, x, out, backend=backend, workers=2, chunk_size=chunk_size)
    assert got is out
    np.testing.assert_array_equal(out, np.exp(x))


@pytest.mark.parametrize("backend", BACKENDS)
def test_dtype_follows_func_or_out_dtype(backend: str) -> None:
    x = np.linspace(0, 1, 20_001)
    got = parmath.map(to_int, x, backend=backend)
    assert got.dtype == np.int32
    np.testing.assert_array_equal(got, to_int(x))
    got32 = parmath.map(np.exp, x, backend=backend, out_dtype=np.float32)
    assert got32.dtype == np.float32
    np.testing.assert_array_equal(got32, np.exp(x).astype(np.float32))


@pytest.mark.parametrize("backend", BACKENDS)
def test_empty_input(backend: str) -> None:
    for vectorized in (True, False):
        got = parmath.map(boom, np.empty(0), backend=backend, vectorized=vectorized)
        assert got.shape == (0,)
        assert got.dtype == np.float64
    assert parmath.map(np.exp, [], out_dtype=np.float32, backend=backend).dtype == np.float32
    out = np.empty((0, 3))
    assert parmath.map(np.exp, np.empty((0, 3)), out, backend=backend) is out


@pytest.mark.parametrize("backend", BACKENDS)
def test_nd_and_strided_inputs(backend: str, rng: np.random.Generator) -> None:
    x = rng.uniform(0, 1, (37, 11))
    np.testing.assert_array_equal(parmath.map(np.log1p, x, backend=backend), np.log1p(x))
    xt = x.T  # not C-contiguous: raveled in C order of its shape, a copy
    np.testing.assert_array_equal(parmath.map(np.log1p, xt, backend=backend), np.log1p(xt))
    strided = x.ravel()[::3]
    np.testing.assert_array_equal(
        parmath.map(np.log1p, strided, backend=backend, chunk_size=5), np.log1p(strided)
    )


def test_lists_and_in_place() -> None:
    np.testing.assert_array_equal(parmath.map(np.sqrt, [1.0, 4.0, 9.0]), [1.0, 2.0, 3.0])
    x = np.linspace(0, 1, 50_000)
    want = np.exp(x)
    assert parmath.map(np.exp, x, x, chunk_size=999) is x
    np.testing.assert_array_equal(x, want)


def test_threads_reuse_one_executor() -> None:
    parmath.map(np.exp, np.ones(100_000), workers=2, chunk_size=1000)
    first = _map._THREAD_POOL
    parmath.map(np.exp, np.ones(100_000), workers=2, chunk_size=1000)
    assert _map._THREAD_POOL is first


def test_map_inside_map_does_not_deadlock() -> None:
    def inner(c: np.ndarray) -> np.ndarray:
        return parmath.map(np.exp, c, workers=2, chunk_size=10)

    x = np.linspace(0, 1, 10_000)
    np.testing.assert_array_equal(parmath.map(inner, x, workers=2, chunk_size=100), np.exp(x))


# ---- shared arrays ------------------------------------------------------------------------


@needs_shm
def test_shared_array_lives_in_shm_and_is_freed() -> None:
    before = _segments(os.getpid())
    a = parmath.shared_array((3, 4), np.float32)
    assert a.shape == (3, 4)
    assert a.dtype == np.float32
    assert not a.any()
    assert len(_segments(os.getpid()) - before) == 1
    view = a[1:]
    del a
    gc.collect()
    assert len(_segments(os.getpid()) - before) == 1  # the view keeps it alive
    del view
    gc.collect()
    assert _segments(os.getpid()) == before


def test_shared_array_rejects_objects() -> None:
    with pytest.raises(TypeError, match="cannot hold object"):
        parmath.shared_array(3, object)


def test_shared_arrays_copy_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    n = 200_001
    x = parmath.shared_array(n)
    x[:] = np.linspace(-1, 1, n)
    y = parmath.shared_array(n)
    z = parmath.shared_array(n)
    address = data_address(y)
    made: list[int] = []
    real = _map._new_segment
    monkeypatch.setattr(_map, "_new_segment", lambda nbytes: made.append(nbytes) or real(nbytes))
    for _ in range(3):
        assert parmath.map(np.exp, x, y, backend="processes", workers=2) is y
    assert made == []  # no temporary segment: the workers wrote into y's own segment
    assert data_address(y) == address
    np.testing.assert_array_equal(y, np.exp(x))
    # A view inside a shared array is found too (byte offset).
    parmath.map(np.sin, x[10:], z[10:], backend="processes", workers=2)
    assert made == []
    np.testing.assert_array_equal(z[10:], np.sin(x[10:]))


def test_ordinary_arrays_use_temporary_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[int] = []
    real = _map._new_segment
    monkeypatch.setattr(_map, "_new_segment", lambda nbytes: made.append(nbytes) or real(nbytes))
    x = np.linspace(0, 1, 100_000)
    parmath.map(np.exp, x, np.empty_like(x), backend="processes", workers=2)
    assert made == [x.nbytes, x.nbytes]  # input in, output out; unlinked (the fixture checks)


def test_processes_reuse_the_pool() -> None:
    x = np.ones(10_000)
    parmath.map(np.exp, x, backend="processes", workers=2)
    pool = _map._PROC_POOL
    parmath.map(np.log, x, backend="processes", workers=2)
    assert _map._PROC_POOL is pool


# ---- faults -------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_exception_in_func_reaches_the_caller(backend: str) -> None:
    x = np.linspace(0, 1, 50_001)
    before = x.copy()
    with pytest.raises(ArithmeticError, match="boom at the end") as info:
        parmath.map(boom, x, backend=backend, workers=2, chunk_size=1000)
    if backend == "processes":
        cause = str(info.value.__cause__)
        assert "Traceback" in cause
        assert "in boom" in cause  # the worker's traceback
    else:
        assert any(entry.name == "boom" for entry in info.traceback)
    np.testing.assert_array_equal(x, before)
    # The next call works.
    np.testing.assert_array_equal(parmath.map(np.exp, x, backend=backend), np.exp(x))


@pytest.mark.parametrize("func", [exit_worker, kill_worker])
def test_dead_worker_is_a_runtime_error(func: Any) -> None:
    x = np.linspace(0, 1, 20_000)
    before = x.copy()
    out = np.zeros_like(x)
    with pytest.raises(RuntimeError, match="worker process died"):
        parmath.map(func, x, out, backend="processes", workers=2, chunk_size=5000)
    np.testing.assert_array_equal(x, before)
    # The pool is rebuilt on the next call.
    np.testing.assert_array_equal(parmath.map(np.exp, x, backend="processes"), np.exp(x))


def test_dead_worker_with_shared_arrays() -> None:
    x = parmath.shared_array(20_000)
    x[:] = 0.5
    y = parmath.shared_array(20_000)
    with pytest.raises(RuntimeError, match="worker process died"):
        parmath.map(exit_worker, x, y, backend="processes", workers=2, chunk_size=5000)
    assert (x == 0.5).all()


def test_unpicklable_function_with_processes() -> None:
    with pytest.raises(TypeError, match=r"module level.*backend='threads'"):
        parmath.map(lambda c: c + 1, np.ones(10), backend="processes")

    def nested(c: np.ndarray) -> np.ndarray:
        return c

    with pytest.raises(TypeError, match="does not"):
        parmath.map(nested, np.ones(10), backend="processes")


def test_object_arrays_with_processes() -> None:
    with pytest.raises(TypeError, match="backend='threads'"):
        parmath.map(str, np.array([1, 2], dtype=object), backend="processes", vectorized=False)
    got = parmath.map(str, np.array([1, 2], dtype=object), vectorized=False, out_dtype=object)
    assert got.tolist() == ["1", "2"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_wrong_result_shapes(backend: str) -> None:
    x = np.linspace(0, 1, 5000)
    with pytest.raises(ValueError, match=r"short returned shape \(\d+,\) for a chunk of shape"):
        parmath.map(short, x, backend=backend)
    with pytest.raises(ValueError, match=r"vectorized=False"):
        parmath.map(np.sum, x, backend=backend)
    with pytest.raises(ValueError, match=r"not_scalar returned shape \(2,\) for one item"):
        parmath.map(not_scalar, x, backend=backend, vectorized=False)


def test_bad_arguments() -> None:
    x = np.ones(10)
    with pytest.raises(ValueError, match=r"unknown backend 'gpu'.*'threads'.*'processes'"):
        parmath.map(np.exp, x, backend="gpu")
    with pytest.raises(ValueError, match="unknown backend"):
        parmath.map(np.exp, np.empty(0), backend="Threads")
    with pytest.raises(TypeError, match="callable"):
        parmath.map(3, x)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="workers must be at least 1"):
        parmath.map(np.exp, x, workers=0)
    with pytest.raises(TypeError, match="chunk_size must be a positive int"):
        parmath.map(np.exp, x, chunk_size=2.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least 1-D"):
        parmath.map(np.exp, 3.0)
    with pytest.raises(ValueError, match="out has shape"):
        parmath.map(np.exp, x, np.empty(9))
    with pytest.raises(ValueError, match="C-contiguous"):
        parmath.map(np.exp, x, np.empty(20)[::2])


# ---- subprocesses: start methods and Ctrl-C -----------------------------------------------

SPAWNED = """
import sys
import numpy as np
import parmath
from parmath import _map
_map._START_METHOD = sys.argv[1]
x = np.linspace(0, 1, 100_000)
assert (parmath.map(np.exp, x, backend="processes", workers=2) == np.exp(x)).all()
y = parmath.shared_array(x.size)
assert parmath.map(np.sqrt, x, y, backend="processes", workers=2) is y
assert (y == np.sqrt(x)).all()
print("ok")
"""


@pytest.mark.parametrize("method", ["forkserver", "spawn"])
def test_other_start_methods(method: str) -> None:
    if method not in __import__("multiprocessing").get_all_start_methods():
        pytest.skip(f"no {method} here")
    assert check_subprocess(run_python(SPAWNED, argv=(method,), timeout=60)).strip() == "ok"


INTERRUPTED = """
import sys, time
import numpy as np
import parmath
from _slow import slow
x = np.linspace(0, 1, 64)
print("started", flush=True)
try:
    parmath.map(slow, x, backend=sys.argv[1], workers=2, chunk_size=1)
except KeyboardInterrupt:
    print("interrupted", flush=True)
    sys.exit(3)
print("finished", flush=True)
"""


@needs_shm
@pytest.mark.parametrize("backend", BACKENDS)
def test_ctrl_c_stops_promptly(backend: str, tmp_path: Path) -> None:
    (tmp_path / "_slow.py").write_text(
        "import time\n\ndef slow(c):\n    time.sleep(0.5)\n    return c\n", encoding="utf-8"
    )
    proc = start_python(INTERRUPTED, {"PYTHONPATH": str(tmp_path)}, argv=(backend,))
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "started"
    time.sleep(1.0)  # two workers, 0.5 s a chunk, 32 rounds: far from done
    assert not _segments(proc.pid) or backend == "processes"
    start = time.perf_counter()
    proc.send_signal(signal.SIGINT)
    done = finish(proc, timeout=20)
    elapsed = time.perf_counter() - start
    assert done.returncode == 3, done.stderr
    assert "interrupted" in done.stdout
    assert elapsed < 5.0
    assert _segments(proc.pid) == set()


FORKED = """
import os
import numpy as np
import parmath
x = np.linspace(0, 1, 50_000)
assert (parmath.map(np.exp, x, backend="processes", workers=2) == np.exp(x)).all()
assert (parmath.map(np.exp, x, workers=2, chunk_size=1000) == np.exp(x)).all()
pid = os.fork()
if pid == 0:  # the child builds its own pools
    ok = (parmath.map(np.log1p, x, backend="processes", workers=2) == np.log1p(x)).all()
    ok &= (parmath.map(np.log1p, x, workers=2, chunk_size=1000) == np.log1p(x)).all()
    os._exit(0 if ok else 1)
_, status = os.waitpid(pid, 0)
assert os.waitstatus_to_exitcode(status) == 0
assert (parmath.map(np.sin, x, backend="processes", workers=2) == np.sin(x)).all()
print("ok")
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_pools_are_rebuilt_after_fork() -> None:
    assert check_subprocess(run_python(FORKED, timeout=60)).strip() == "ok"


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    ("n", "per_item_s"), [(10_000_000, 1.6e-9), (100_000_000, 1.6e-9), (1000, 1e-6), (7, 1e-3)]
)
def test_plan_covers_every_item_evenly(backend: str, n: int, per_item_s: float) -> None:
    workers = 2
    chunk, spans = _map._plan(0, n, workers, per_item_s, backend, None, True, 8)
    assert spans[0][0] == 0
    assert spans[-1][1] == n
    assert all(a < b for a, b in spans)
    assert all(b == c for (_, b), (c, _) in itertools.pairwise(spans))
    assert all((b - a) % chunk == 0 for a, b in spans[:-1])  # whole calls
    per_worker_s = n * per_item_s / workers
    target = _map._TARGET_S[backend]
    if per_worker_s < 2 * target:
        assert len(spans) <= workers  # short work: one round trip per worker
    else:
        assert len(spans) >= workers * _map._TASKS_PER_WORKER[backend]
        longest = max(b - a for a, b in spans) * per_item_s
        assert longest <= target + chunk * per_item_s

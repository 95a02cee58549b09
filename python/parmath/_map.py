"""``parmath.map``: a user's own function over a huge vector, on threads or processes.

Two backends share one plan: the vector is cut into contiguous chunks, a first chunk is computed
(and timed) to learn the output dtype and the cost per item, the output is allocated, and the
remaining chunks run in parallel, each result written straight into its slice of the output.

* ``backend="threads"``: a reused :class:`~concurrent.futures.ThreadPoolExecutor`.  Right for
  functions that release the GIL, as NumPy's do.
* ``backend="processes"``: a reused pool of worker processes.  The input and the output live in
  :mod:`multiprocessing.shared_memory` segments (named ``parmath_*``); workers attach to them and
  write in place, so no array is pickled.  An array made by :func:`shared_array` is used where
  it lies; any other input is copied once into a temporary segment, and a temporary output
  segment is copied out.  Temporary segments are unlinked before the call returns, whatever
  happens (an exception, a dead worker, Ctrl-C).
"""

from __future__ import annotations

import atexit
import concurrent.futures as cf
import math
import multiprocessing
import os
import pickle
import secrets
import signal
import sys
import threading
import time
import warnings
import weakref
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from functools import partial
from multiprocessing.shared_memory import SharedMemory
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

Array = npt.NDArray[Any]

__all__ = ["map", "shared_array"]

#: Prefix of every shared-memory segment parmath creates (``/dev/shm/parmath_*`` on Linux).
SEGMENT_PREFIX = "parmath_"

BACKENDS = ("threads", "processes")

#: Items in the first, timed chunk (vectorized, then one item at a time).
_PROBE_VECTORIZED = 4096
_PROBE_SCALAR = 32
#: Input bytes per call of a vectorized function: its temporaries stay in the core's cache.
_CHUNK_BYTES = 1 << 18
#: Items per call of a function of one item (the length of the temporary list of results).
_SCALAR_CHUNK = 1024
#: Least duration of one call (per-call costs stay a few per cent).
_MIN_CALL_S = 20e-6
#: Wanted duration of one task handed to a worker: long enough to hide the cost of handing out.
_TARGET_S = {"threads": 2e-3, "processes": 10e-3}
#: Tasks per worker at least (when the work allows), so that a slow worker can be helped.
_TASKS_PER_WORKER = {"threads": 4, "processes": 2}

#: Start method of the process pool (None: fork on Linux, else the platform default).
_START_METHOD: str | None = None


# ---------------------------------------------------------------------------------------------
# Shared arrays
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Segment:
    """A segment made by :func:`shared_array`: its name, address and size in this process."""

    name: str
    address: int
    nbytes: int


#: Segments made by shared_array() in this process, by name (removed when the array dies).
_SHARED: dict[str, _Segment] = {}
_SHARED_LOCK = threading.Lock()


def _new_segment(nbytes: int) -> SharedMemory:
    """Create a segment with a recognizable name (``parmath_<pid>_<random>``)."""
    while True:
        name = f"{SEGMENT_PREFIX}{os.getpid()}_{secrets.token_hex(6)}"
        try:
            return SharedMemory(name=name, create=True, size=max(nbytes, 1))
        except FileExistsError:  # pragma: no cover - 48 random bits
            continue


def _release(shm: SharedMemory, *, unlink: bool = True) -> None:
    """Close (and unlink) a segment; it is unlinked even if closing fails."""
    try:
        shm.close()
    except BufferError:
        pass  # a view is still referenced (e.g. by a traceback); unmapped when it dies
    finally:
        if unlink:
            with suppress(FileNotFoundError):
                shm.unlink()


def _free_shared(shm: SharedMemory, pid: int) -> None:
    """Forget a dead shared_array's segment, close it and (in its creator) unlink it."""
    with _SHARED_LOCK:
        _SHARED.pop(shm.name, None)
    _release(shm, unlink=os.getpid() == pid)


def shared_array(shape: int | Sequence[int], dtype: npt.DTypeLike = np.float64) -> Array:
    """Return a new array (zeros) that lives in shared memory, for ``map(backend="processes")``.

    :func:`map` with ``backend="processes"`` hands such an array to its workers where it lies,
    as input or as ``out=``, so repeated calls copy nothing.  The segment is unlinked when the
    array (and every view of it) is garbage collected, or at exit.

    Parameters
    ----------
    shape : int or sequence of int
        Shape of the array.
    dtype : data-type, optional
        Its dtype (default float64); object dtypes cannot be shared.

    Returns
    -------
    numpy.ndarray
        A C-contiguous, writeable array of zeros.

    Examples
    --------
    >>> import numpy as np, parmath
    >>> x = parmath.shared_array(4)
    >>> x[:] = [0.0, 1.0, 2.0, 3.0]
    >>> y = parmath.shared_array(4)
    >>> parmath.map(np.sqrt, x, out=y, backend="processes") is y
    True
    >>> y
    array([0.        , 1.        , 1.41421356, 1.73205081])
    """
    dt = np.dtype(dtype)
    if dt.hasobject:
        raise TypeError(f"shared_array cannot hold {dt} (Python objects cannot be shared)")
    shape_t = (shape,) if isinstance(shape, int | np.integer) else tuple(shape)
    nbytes = math.prod(shape_t) * dt.itemsize
    shm = _new_segment(nbytes)
    try:
        arr: Array = np.ndarray(shape_t, dtype=dt, buffer=shm.buf)
    except BaseException:
        _release(shm)
        raise
    segment = _Segment(shm.name, int(arr.__array_interface__["data"][0]), nbytes)
    with _SHARED_LOCK:
        _SHARED[shm.name] = segment
    weakref.finalize(arr, _free_shared, shm, os.getpid())
    return arr


def _find_shared(a: Array) -> tuple[str, int] | None:
    """Return the (segment name, byte offset) of a C-contiguous `a` inside a shared_array."""
    if not a.flags.c_contiguous or a.nbytes == 0:
        return None
    start = int(a.__array_interface__["data"][0])
    with _SHARED_LOCK:
        for seg in _SHARED.values():
            if seg.address <= start and start + a.nbytes <= seg.address + seg.nbytes:
                return seg.name, start - seg.address
    return None


# ---------------------------------------------------------------------------------------------
# Chunking
# ---------------------------------------------------------------------------------------------


def _probe_size(n: int, vectorized: bool, chunk_size: int | None) -> int:
    if chunk_size is not None:
        return min(n, chunk_size)
    return min(n, _PROBE_VECTORIZED if vectorized else _PROBE_SCALAR)


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def _plan(
    p: int,
    n: int,
    workers: int,
    per_item_s: float,
    backend: str,
    chunk_size: int | None,
    vectorized: bool,
    itemsize: int,
) -> tuple[int, list[tuple[int, int]]]:
    """Split ``range(p, n)`` into tasks of whole chunks; return (chunk, task spans).

    A chunk is what one call of the function sees: cache-sized (about 256 KB of input, and at
    least 20 us of work) unless given.  A task is what one worker is handed: a run of chunks
    lasting about 2 ms (threads) or 10 ms (processes), with at least 4 (threads) or 2
    (processes) tasks per worker when each worker has at least two tasks' worth of work, else
    one task per worker.
    """
    rest = n - p
    per_item = max(per_item_s, 1e-12)
    if chunk_size is not None:
        chunk = chunk_size
    elif vectorized:
        chunk = max(
            _CHUNK_BYTES // max(itemsize, 1),
            _ceil_div(int(_MIN_CALL_S * 1e9), int(per_item * 1e9) or 1),
        )
    else:
        chunk = _SCALAR_CHUNK
    chunk = max(1, min(chunk, _ceil_div(rest, workers)))
    by_time = int(_TARGET_S[backend] / per_item)
    per_worker = _ceil_div(rest, workers)
    # Several tasks per worker let a fast worker help a slow one, but each costs a round trip: for
    # a short call (under two target durations a worker) one task each wins. 10M float64 np.exp on
    # processes, 2 workers, 2-core machine (2026-11-27, 60 interleaved runs): 1.28x sequential
    # NumPy with 2 tasks a worker, 1.47x with 1.
    spread = 1 if per_worker * per_item < 2 * _TARGET_S[backend] else _TASKS_PER_WORKER[backend]
    by_balance = _ceil_div(rest, workers * spread)
    task = min(max(by_time, chunk), max(by_balance, chunk))
    tasks = _ceil_div(_ceil_div(rest, task), workers) * workers  # about as many per worker
    task = _ceil_div(_ceil_div(rest, tasks), chunk) * chunk  # whole chunks of `chunk` items
    return chunk, [(a, min(a + task, n)) for a in range(p, n, task)]


# ---------------------------------------------------------------------------------------------
# Evaluating one chunk (in any thread or process)
# ---------------------------------------------------------------------------------------------


def _func_name(func: Callable[..., Any]) -> str:
    return getattr(func, "__qualname__", None) or getattr(func, "__name__", None) or repr(func)


def _eval_chunk(func: Callable[..., Any], xs: Array, vectorized: bool) -> Array:
    """``func`` over `xs`, checked: one result per item."""
    if vectorized:
        result = np.asarray(func(xs))
        if result.shape != xs.shape:
            raise ValueError(
                f"map: {_func_name(func)} returned shape {result.shape} for a chunk of shape "
                f"{xs.shape}; with vectorized=True it must return one value per item (an array "
                "of the same length); for a function of one item pass vectorized=False"
            )
        return result
    values = [func(v) for v in xs]
    for v in values:
        if np.ndim(v) != 0:
            raise ValueError(
                f"map: {_func_name(func)} returned shape {np.shape(v)} for one item; with "
                "vectorized=False it must return a scalar (for a function of an array chunk, "
                "pass vectorized=True)"
            )
    return np.asarray(values) if values else np.empty(0)


def _direct(
    func: Callable[..., Any], vectorized: bool, result_dtype: np.dtype[Any], out: Array
) -> bool:
    """Whether `func` can write into `out` itself: a one-input ufunc giving `out`'s dtype."""
    return (
        vectorized
        and isinstance(func, np.ufunc)
        and func.nin == 1
        and func.nout == 1
        and result_dtype == out.dtype
    )


def _run_span(
    func: Callable[..., Any],
    x: Array,
    out: Array,
    span: tuple[int, int],
    chunk: int,
    vectorized: bool,
    direct: bool,
) -> None:
    """Compute ``out[a:b]`` chunk by chunk (a one-input ufunc writes there through ``out=``)."""
    a, b = span
    for lo in range(a, b, chunk):
        hi = min(lo + chunk, b)
        if direct:
            func(x[lo:hi], out=out[lo:hi])
        else:
            out[lo:hi] = _eval_chunk(func, x[lo:hi], vectorized)


# ---------------------------------------------------------------------------------------------
# Threads backend
# ---------------------------------------------------------------------------------------------

_THREADS_LOCK = threading.Lock()
_THREAD_POOL: tuple[int, int, cf.ThreadPoolExecutor] | None = None  # (pid, workers, executor)
_IN_WORKER = threading.local()


def _thread_init() -> None:
    _IN_WORKER.active = True
    from . import _core

    _core._set_local_threads(1)  # parmath ufuncs inside func: no nested pools


def _thread_pool(workers: int) -> cf.ThreadPoolExecutor:
    global _THREAD_POOL
    with _THREADS_LOCK:
        current = _THREAD_POOL
        if current is not None and current[0] == os.getpid() and current[1] == workers:
            return current[2]
        if current is not None and current[0] == os.getpid():
            current[2].shutdown(wait=False)
        executor = cf.ThreadPoolExecutor(
            workers, thread_name_prefix="parmath-map", initializer=_thread_init
        )
        _THREAD_POOL = (os.getpid(), workers, executor)
        return executor


def _wait_all(futures: list[cf.Future[Any]]) -> list[Any]:
    """Return the results in order.

    On an error, cancel what has not started and wait for what runs (so that nothing writes
    into the output after the call), then re-raise; on Ctrl-C, cancel and re-raise at once.
    """
    try:
        return [f.result() for f in futures]
    except KeyboardInterrupt:
        for f in futures:
            f.cancel()
        raise
    except BaseException:
        for f in futures:
            f.cancel()
        cf.wait(futures)
        raise


def _map_threads(
    func: Callable[..., Any],
    x: Array,
    out: Array | None,
    out_dtype: np.dtype[Any] | None,
    workers: int,
    chunk_size: int | None,
    vectorized: bool,
) -> Array:
    n = x.shape[0]
    p = _probe_size(n, vectorized, chunk_size)
    start = time.perf_counter()
    first = _eval_chunk(func, x[:p], vectorized)
    per_item = (time.perf_counter() - start) / max(p, 1)
    if out is None:
        out = np.empty(n, dtype=out_dtype if out_dtype is not None else first.dtype)
    out[:p] = first
    first_dtype = first.dtype
    del first
    if p == n:
        return out
    direct = _direct(func, vectorized, first_dtype, out)
    chunk, spans = _plan(p, n, workers, per_item, "threads", chunk_size, vectorized, x.itemsize)
    work = partial(_run_span, func, x, out, chunk=chunk, vectorized=vectorized, direct=direct)
    if getattr(_IN_WORKER, "active", False) or workers == 1 or len(spans) == 1:
        for span in spans:  # a map inside a map's function runs in its caller's thread
            work(span)
        return out
    executor = _thread_pool(workers)
    _wait_all([executor.submit(work, span) for span in spans])
    return out


# ---------------------------------------------------------------------------------------------
# Processes backend: the worker side
# ---------------------------------------------------------------------------------------------

#: Where an array lies: (segment name, byte offset, items, dtype string).
Place = tuple[str, int, int, str]

_W_SEGMENTS: dict[str, SharedMemory] = {}  # worker: attached shared_array segments, kept
_W_FUNC: tuple[bytes, Callable[..., Any]] | None = None  # worker: the last function unpickled


def _watch_parent(parent: int) -> None:
    """Exit when the parent is gone (killed, or left through ``os._exit`` with no shutdown)."""
    while os.getppid() == parent:
        time.sleep(0.25)
    os._exit(0)


def _worker_init() -> None:
    """Process-pool initializer: only the parent handles Ctrl-C; one parmath thread."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from . import _core

    _core.set_num_threads(1)
    watch = threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True)
    watch.start()


def _load_func(data: bytes) -> Callable[..., Any]:
    global _W_FUNC
    if _W_FUNC is not None and _W_FUNC[0] == data:
        return _W_FUNC[1]
    try:
        func: Callable[..., Any] = pickle.loads(data)  # bytes from our own parent process
    except Exception as exc:
        raise TypeError(
            f"map: a worker process could not load the function ({exc}); with "
            "backend='processes' define it at module level in an importable module, or use "
            "backend='threads'"
        ) from None
    _W_FUNC = (data, func)
    return func


#: Linux's madvise(MADV_POPULATE_WRITE) (5.14+): map every page of a segment now, in one call.
_MADV_POPULATE_WRITE = 23


def _populate(shm: SharedMemory) -> None:
    """Map all of a kept segment into this worker at once.

    Each process takes a page fault on its first touch of each page of a shared segment, and which
    worker gets which span changes from call to call, so without this a worker keeps faulting for
    several calls (measured: 10M float64 ``np.exp`` on shared_array took 18, 17, 11, 13 ms on its
    2nd to 5th calls, then 10 ms). Where the kernel lacks the option, pages fault as before.
    """
    mapping = getattr(shm, "_mmap", None)
    if sys.platform.startswith("linux") and mapping is not None and len(mapping):
        with suppress(OSError, ValueError):
            mapping.madvise(_MADV_POPULATE_WRITE)


@contextmanager
def _attach(place: Place, kept: bool, live: frozenset[str]) -> Iterator[Array]:
    """Attach to `place`; shared_array segments stay attached, temporary ones are closed."""
    name, offset, n, dtype = place
    for stale in [s for s in _W_SEGMENTS if s not in live]:
        _release(_W_SEGMENTS.pop(stale), unlink=False)
    shm = _W_SEGMENTS.get(name) if kept else None
    if shm is None:
        shm = SharedMemory(name=name)
        if kept:
            _W_SEGMENTS[name] = shm
            _populate(shm)
    view: Array = np.ndarray((n,), dtype=np.dtype(dtype), buffer=shm.buf, offset=offset)
    try:
        yield view
    finally:
        del view
        if not kept:
            _release(shm, unlink=False)


def _worker_chunk(
    data: bytes,
    vectorized: bool,
    src: tuple[Place, bool],
    dst: tuple[Place, bool] | None,
    span: tuple[int, int],
    chunk: int,
    direct: bool,
    live: frozenset[str],
) -> tuple[float, Array | None]:
    """Compute one task's span into `dst` in place, or (``dst=None``: the probe) return it."""
    func = _load_func(data)
    a, b = span
    with ExitStack() as stack:
        x = stack.enter_context(_attach(src[0], src[1], live))
        start = time.perf_counter()
        if dst is None:
            result = np.array(_eval_chunk(func, x[a:b], vectorized))
            del x
            return time.perf_counter() - start, result
        y = stack.enter_context(_attach(dst[0], dst[1], live))
        _run_span(func, x, y, span, chunk, vectorized, direct)
        del x, y
    return time.perf_counter() - start, None


# ---------------------------------------------------------------------------------------------
# Processes backend: the pool and the parent side
# ---------------------------------------------------------------------------------------------

_PROC_LOCK = threading.Lock()
_PROC_POOL: tuple[int, int, cf.ProcessPoolExecutor] | None = None  # (pid, workers, executor)
#: Cost per item and result dtype measured for a pickled function and input dtype: the probe
#: is skipped on later calls that know their output.
_COSTS: dict[tuple[bytes, str, bool], tuple[float, np.dtype[Any]]] = {}


def _mp_context() -> BaseContext:
    if _START_METHOD is not None:
        return multiprocessing.get_context(_START_METHOD)
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _process_pool(workers: int) -> cf.ProcessPoolExecutor:
    """Return the persistent pool (made on first use, rebuilt after a fork or resize)."""
    global _PROC_POOL
    with _PROC_LOCK:
        current = _PROC_POOL
        if current is not None and current[0] == os.getpid() and current[1] == workers:
            return current[2]
        if current is not None and current[0] == os.getpid():
            current[2].shutdown(wait=True, cancel_futures=True)
        with warnings.catch_warnings():
            # Python >= 3.12 warns when forking a threaded process; workers run func only.
            warnings.filterwarnings("ignore", message=r".*fork\(\) may lead to deadlocks")
            executor = cf.ProcessPoolExecutor(
                workers, mp_context=_mp_context(), initializer=_worker_init
            )
        _PROC_POOL = (os.getpid(), workers, executor)
        return executor


def _discard_pool(executor: cf.ProcessPoolExecutor, *, kill: bool) -> None:
    """Forget `executor` (the next call builds a new pool); with `kill`, stop its workers now."""
    global _PROC_POOL
    with _PROC_LOCK:
        if _PROC_POOL is not None and _PROC_POOL[2] is executor:
            _PROC_POOL = None
    processes = list((getattr(executor, "_processes", None) or {}).values())
    if kill:
        for proc in processes:
            with suppress(Exception):
                proc.kill()
    executor.shutdown(wait=False, cancel_futures=True)
    if kill:
        for proc in processes:
            with suppress(Exception):
                proc.join(5)


@atexit.register
def _shutdown() -> None:
    """Stop this process's worker pools at exit."""
    for state in (_PROC_POOL, _THREAD_POOL):
        if state is not None and state[0] == os.getpid():
            state[2].shutdown(wait=True, cancel_futures=True)


def _pickle_func(func: Callable[..., Any]) -> bytes:
    try:
        return pickle.dumps(func, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:
        raise TypeError(
            f"map: backend='processes' needs a function that pickles, and {_func_name(func)!r} "
            f"does not ({type(exc).__name__}: {exc}); define it at module level (not a lambda "
            "or a nested function), or use backend='threads' (right for NumPy calls, which "
            "release the GIL)"
        ) from None


def _check_shareable(dt: np.dtype[Any], what: str) -> None:
    if dt.hasobject:
        raise TypeError(
            f"map: backend='processes' cannot share {what} of dtype {dt} (Python objects); "
            "use backend='threads'"
        )


def _run_processes(
    executor: cf.ProcessPoolExecutor, calls: list[tuple[Any, ...]]
) -> list[tuple[float, Array | None]]:
    """Submit `calls` of _worker_chunk and wait; translate faults; kill the workers on Ctrl-C."""
    futures: list[cf.Future[tuple[float, Array | None]]] = []
    try:
        futures.extend(executor.submit(_worker_chunk, *call) for call in calls)
        return _wait_all(futures)
    except BrokenProcessPool as exc:
        # The pool's exception is shared by every future and its traceback holds this frame:
        # drop both, so that nothing keeps the caller's arrays (and their segments) alive.
        reason = str(exc)
        exc.__traceback__ = None
        futures.clear()
        _discard_pool(executor, kill=True)
        raise RuntimeError(
            "map: a worker process died (killed by a signal, os._exit or a crash) while "
            f"running the function ({reason}); its results are lost and the pool is restarted "
            "on the next call"
        ) from None
    except KeyboardInterrupt:
        _discard_pool(executor, kill=True)
        raise


def _map_processes(
    func: Callable[..., Any],
    x: Array,
    out: Array | None,
    out_dtype: np.dtype[Any] | None,
    workers: int,
    chunk_size: int | None,
    vectorized: bool,
) -> Array:
    data = _pickle_func(func)
    _check_shareable(x.dtype, "an input")
    n = x.shape[0]
    with ExitStack() as stack:
        temporary: list[SharedMemory] = []

        def temp_segment(nbytes: int) -> SharedMemory:
            shm = _new_segment(nbytes)
            temporary.append(shm)
            return shm

        @stack.callback
        def _unlink_temporaries() -> None:
            for shm in temporary:
                _release(shm)

        found = _find_shared(x)
        if found is not None:
            src: tuple[Place, bool] = ((found[0], found[1], n, x.dtype.str), True)
        else:
            shm_in = temp_segment(x.nbytes)
            staged: Array = np.ndarray((n,), dtype=x.dtype, buffer=shm_in.buf)
            staged[...] = x
            del staged
            src = ((shm_in.name, 0, n, x.dtype.str), False)

        executor = _process_pool(workers)
        with _SHARED_LOCK:
            live = frozenset(_SHARED)
        key = (data, x.dtype.str, vectorized)
        p = 0
        first: Array | None = None
        cached = _COSTS.get(key)
        known = out is not None or out_dtype is not None
        if not known or cached is None:
            p = _probe_size(n, vectorized, chunk_size)
            probe = (data, vectorized, src, None, (0, p), p, False, live)
            elapsed, first = _run_processes(executor, [probe])[0]
            assert first is not None
            cached = (elapsed / max(p, 1), first.dtype)
            _COSTS[key] = cached
        per_item, result_dtype = cached if cached is not None else (0.0, None)
        if out is None:  # out_dtype is given, or the probe ran
            dt = out_dtype if out_dtype is not None else first.dtype  # type: ignore[union-attr]
            out = np.empty(n, dtype=dt)
        if first is not None:
            out[:p] = first
            del first
        if p == n:
            return out
        _check_shareable(out.dtype, "an output")
        found_out = _find_shared(out)
        if found_out is not None:
            dst: tuple[Place, bool] = ((found_out[0], found_out[1], n, out.dtype.str), True)
            copy_back = None
        else:
            shm_out = temp_segment(out.nbytes)
            dst = ((shm_out.name, 0, n, out.dtype.str), False)
            copy_back = shm_out
        direct = result_dtype is not None and _direct(func, vectorized, result_dtype, out)
        chunk, spans = _plan(
            p, n, workers, per_item, "processes", chunk_size, vectorized, x.itemsize
        )
        calls = [(data, vectorized, src, dst, span, chunk, direct, live) for span in spans]
        done = _run_processes(executor, calls)
        # The probe is short and cold (a fresh mapping, maybe a fresh worker): the next call
        # plans with the cost per item measured over this call's tasks, or the least seen so far
        # if that is lower: a task's time includes first-touch page faults whenever it
        # lands on a worker that has not mapped its span yet, which inflates the latest figure
        # for several calls (10.1, 5.9, 3.5 ns/item for np.exp against ~1.8 in steady state).
        busy = sum(elapsed for elapsed, _ in done)
        if result_dtype is not None and busy > 0:
            _COSTS[key] = (min(busy / (n - p), per_item or math.inf), result_dtype)
        if copy_back is not None:
            result: Array = np.ndarray((n,), dtype=out.dtype, buffer=copy_back.buf)
            out[p:] = result[p:]
            del result
        return out


# ---------------------------------------------------------------------------------------------
# The public function
# ---------------------------------------------------------------------------------------------


def _positive(value: object, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"map: {what} must be a positive int or None, got {value!r}")
    if value < 1:
        raise ValueError(f"map: {what} must be at least 1, got {value}")
    return int(value)


def map(  # parmath.map shadows the builtin on purpose
    func: Callable[..., Any],
    x: npt.ArrayLike,
    out: Array | None = None,
    *,
    backend: str = "threads",
    workers: int | None = None,
    chunk_size: int | None = None,
    vectorized: bool = True,
    out_dtype: npt.DTypeLike | None = None,
) -> Array:
    """Apply `func` to every item of `x` in parallel; the result equals ``func(x)``.

    The vector is cut into contiguous chunks that workers compute at once, each result written
    straight into its slice of the output (no list of results, no concatenation).

    Parameters
    ----------
    func : callable
        With ``vectorized=True``, a function of a 1-D array chunk returning an array of the same
        length (e.g. ``numpy.exp`` or a chain of NumPy calls); with ``vectorized=False``, a
        function of one item returning a scalar.  With ``backend="processes"`` it must pickle
        (a module-level function, not a lambda).
    x : array_like
        The input, at least 1-D.  An N-d array is processed as its C-order ravel (a copy if it is
        not C-contiguous) and the result has its shape.  It is never modified.
    out : numpy.ndarray, optional
        Where to write the result: C-contiguous, writeable, of `x`'s shape.  Values are cast as
        by assignment (``out[...] = func(x)``).
    backend : {"threads", "processes"}
        ``"threads"`` for functions that release the GIL (NumPy's do); ``"processes"`` for pure
        Python work: workers (started once, reused) attach to shared memory and write in place;
        pass arrays from :func:`shared_array` as `x` and `out` to copy nothing.
    workers : int, optional
        Number of threads or processes (default: ``parmath.get_num_threads()``).
    chunk_size : int, optional
        Items per chunk.  Default: chosen from the length, the worker count and the measured cost
        of a first chunk (about 1 ms of work per chunk on threads, 5 ms on processes, and at
        least 4 and 2 chunks per worker where the work allows).
    vectorized : bool
        Whether `func` takes an array chunk (default) or one item.  One item at a time holds the
        GIL, so it only gains on processes.
    out_dtype : data-type, optional
        The result's dtype when `out` is not given (default: that of ``func`` on the first chunk).

    Returns
    -------
    numpy.ndarray
        `out` if given, else a new array of `x`'s shape.

    Raises
    ------
    ValueError
        Unknown backend, `func` returning the wrong shape, `out` of the wrong shape.
    TypeError
        A function that does not pickle with ``backend="processes"``, object dtypes there.
    RuntimeError
        A worker process died (the pool is restarted on the next call).

    Notes
    -----
    Exceptions raised by `func` reach the caller (from a worker process, with the worker's
    traceback as ``__cause__``).  parmath ufuncs called inside `func` run on one thread.  No
    shared-memory segment outlives a call, except those of :func:`shared_array`.

    Examples
    --------
    >>> import numpy as np, parmath
    >>> x = np.arange(5.0)
    >>> parmath.map(np.exp, x, workers=2)
    array([ 1.        ,  2.71828183,  7.3890561 , 20.08553692, 54.59815003])
    >>> parmath.map(lambda c: np.sin(c) ** 2 + 1, x, chunk_size=2)
    array([1.        , 1.70807342, 1.82682181, 1.01991486, 1.57275002])
    >>> import math
    >>> parmath.map(math.factorial, np.arange(6), vectorized=False, backend="processes")
    array([  1,   1,   2,   6,  24, 120])
    """
    if backend not in BACKENDS:
        raise ValueError(
            f"map: unknown backend {backend!r}; use 'threads' (functions that release the GIL, "
            "such as NumPy's) or 'processes' (pure Python functions)"
        )
    if not callable(func):
        raise TypeError(f"map: func must be callable, got {type(func).__name__}")
    nworkers = _positive(workers, "workers")
    chunk = _positive(chunk_size, "chunk_size")
    if nworkers is None:
        from . import _core

        nworkers = int(_core.get_num_threads())
    arr = np.asarray(x)
    if arr.ndim == 0:
        raise ValueError("map: x must be at least 1-D (a 0-d value has no items to map over)")
    shape = arr.shape
    flat = arr.reshape(-1)  # a view when C-contiguous, else a copy
    dt = None if out_dtype is None else np.dtype(out_dtype)
    flat_out: Array | None = None
    if out is not None:
        if not isinstance(out, np.ndarray):
            raise TypeError(f"map: out must be a numpy.ndarray, got {type(out).__name__}")
        if out.shape != shape:
            raise ValueError(f"map: out has shape {out.shape}, x has shape {shape}")
        if not out.flags.c_contiguous or not out.flags.writeable:
            raise ValueError("map: out must be C-contiguous and writeable")
        flat_out = out.reshape(-1)
    if flat.shape[0] == 0:
        if out is not None:
            return out
        return np.empty(shape, dtype=dt if dt is not None else arr.dtype)
    run = _map_threads if backend == "threads" else _map_processes
    result = run(func, flat, flat_out, dt, nworkers, chunk, bool(vectorized))
    if out is not None:
        return out
    return result.reshape(shape)

"""Thread-count controls, determinism across thread counts, safety with threads and processes."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pytest

import parmath
from _helpers import assert_ulp_close, check_subprocess, run_python
from _reference import CASE_IDS, CASES, numpy_tolerance, random_inputs, reference, ufunc

CPUS = parmath.info()["cpus"]
THRESHOLD = parmath.info()["parallel_threshold"]
BIG = 1_000_003

# Python 3.12+ warns about fork() in a process with threads; parmath's pool threads are exactly
# what the fork tests are about.
fork_warning = pytest.mark.filterwarnings(
    "ignore:This process .* is multi-threaded:DeprecationWarning"
)


def _input(name: str, dtype: str, n: int, seed: int = 0) -> np.ndarray:
    return random_inputs(name, dtype, n, np.random.default_rng(seed), typical=True)


# ---------------------------------------------------------------------------------------------
# set_num_threads / get_num_threads / threads()
# ---------------------------------------------------------------------------------------------


def test_set_and_get() -> None:
    for n in (1, 3, 7, 64):
        parmath.set_num_threads(n)
        assert parmath.get_num_threads() == n
        assert parmath.info()["threads"] == n


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        (0, ValueError),
        (-1, ValueError),
        (1025, ValueError),  # more threads than any machine could use
        (10**30, OverflowError),
        (1.5, TypeError),
        ("2", TypeError),
        (None, TypeError),
    ],
)
def test_set_num_threads_rejects(bad: Any, error: type[Exception]) -> None:
    parmath.set_num_threads(2)
    with pytest.raises(error):
        parmath.set_num_threads(bad)
    assert parmath.get_num_threads() == 2


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        (0, ValueError),
        (-1, ValueError),
        (5000, ValueError),
        (1.5, TypeError),
        ("2", TypeError),
        (None, TypeError),
        (True, TypeError),
    ],
)
def test_threads_rejects(bad: Any, error: type[Exception]) -> None:
    parmath.set_num_threads(2)
    with pytest.raises(error), parmath.threads(bad):
        pytest.fail("the block must not run")
    assert parmath.get_num_threads() == 2


def test_threads_context_nests_and_restores() -> None:
    parmath.set_num_threads(2)
    with parmath.threads(5):
        assert parmath.get_num_threads() == 5
        assert parmath.info()["threads"] == 5
        with parmath.threads(1):
            assert parmath.get_num_threads() == 1
        assert parmath.get_num_threads() == 5
    assert parmath.get_num_threads() == 2


def test_threads_context_restores_on_exception() -> None:
    parmath.set_num_threads(2)
    inside = []

    def fail_inside() -> None:
        with parmath.threads(4):
            inside.append(parmath.get_num_threads())
            raise KeyError("boom")

    with pytest.raises(KeyError):
        fail_inside()
    assert inside == [4]
    assert parmath.get_num_threads() == 2


def test_set_num_threads_inside_block_changes_the_global_value() -> None:
    parmath.set_num_threads(2)
    with parmath.threads(4):
        parmath.set_num_threads(6)
        assert parmath.get_num_threads() == 4  # the block's own setting still wins here
    assert parmath.get_num_threads() == 6


def test_threads_context_is_per_python_thread() -> None:
    parmath.set_num_threads(3)
    seen: dict[str, int] = {}

    def other() -> None:
        seen["before"] = parmath.get_num_threads()
        with parmath.threads(7):
            seen["inside"] = parmath.get_num_threads()
            barrier.wait(timeout=30)  # main thread checks its own value now
            barrier.wait(timeout=30)
        seen["after"] = parmath.get_num_threads()

    barrier = threading.Barrier(2)
    with parmath.threads(5):
        t = threading.Thread(target=other)
        t.start()
        barrier.wait(timeout=30)
        assert parmath.get_num_threads() == 5
        barrier.wait(timeout=30)
        t.join(timeout=30)
    assert seen == {"before": 3, "inside": 7, "after": 3}
    assert parmath.get_num_threads() == 3


# ---------------------------------------------------------------------------------------------
# PARMATH_NUM_THREADS
# ---------------------------------------------------------------------------------------------

ENV_CHILD = """
    import json, warnings
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        import parmath
    print(json.dumps({
        "threads": parmath.get_num_threads(),
        "cpus": parmath.info()["cpus"],
        "warnings": [str(w.message) for w in caught if w.category is RuntimeWarning],
    }))
"""


@pytest.mark.parametrize(("value", "expected"), [(None, None), ("3", 3), (" 2 ", 2), ("11", 11)])
def test_env_sets_default(value: str | None, expected: int | None) -> None:
    report = json.loads(check_subprocess(run_python(ENV_CHILD, {"PARMATH_NUM_THREADS": value})))
    assert report["warnings"] == []
    assert report["threads"] == (report["cpus"] if expected is None else expected)


@pytest.mark.parametrize("value", ["0", "-1", "abc", "", "1.5", "00", "1025"])
def test_invalid_env_warns_and_uses_every_cpu(value: str) -> None:
    report = json.loads(check_subprocess(run_python(ENV_CHILD, {"PARMATH_NUM_THREADS": value})))
    assert len(report["warnings"]) == 1
    assert "PARMATH_NUM_THREADS" in report["warnings"][0]
    assert repr(value) in report["warnings"][0]
    assert report["threads"] == report["cpus"]


@pytest.mark.parametrize(
    ("omp", "ours", "expected"),
    [
        ("1", None, 1),  # what dask.distributed's nanny sets in each worker it starts
        (str(CPUS + 1), None, CPUS + 1),  # counts other than the CPUs' tell the source apart
        (f" {CPUS + 2} ", None, CPUS + 2),
        (f"{CPUS + 1},2,1", None, CPUS + 1),  # OpenMP's list of counts per level: the first
        ("1", str(CPUS + 2), CPUS + 2),  # PARMATH_NUM_THREADS wins
        ("1", "abc", 1),  # an invalid PARMATH_NUM_THREADS is ignored (with a warning)
    ],
)
def test_omp_num_threads_sets_default(omp: str, ours: str | None, expected: int) -> None:
    env = {"OMP_NUM_THREADS": omp, "PARMATH_NUM_THREADS": ours}
    report = json.loads(check_subprocess(run_python(ENV_CHILD, env)))
    assert report["threads"] == expected
    assert len(report["warnings"]) == (ours == "abc")


@pytest.mark.parametrize("omp", ["", "0", "-1", "abc", "1.5", ",2", "1025"])
def test_unusable_omp_num_threads_is_ignored_silently(omp: str) -> None:
    """OMP_NUM_THREADS belongs to OpenMP: a value parmath cannot use leaves every CPU, unwarned."""
    report = json.loads(check_subprocess(run_python(ENV_CHILD, {"OMP_NUM_THREADS": omp})))
    assert report["warnings"] == []
    assert report["threads"] == report["cpus"]


ODD = CPUS + 3  # a count no default can produce by accident
ARABIC_INDIC = "".join(chr(0x660 + int(d)) for d in str(ODD))


@pytest.mark.parametrize("value", [f"+{ODD}", "\u00b2", ARABIC_INDIC])
def test_env_accepted_or_rejected_consistently(value: str) -> None:
    """Odd spellings (a sign, a superscript or non-ASCII digit) are handled consistently.

    Importing parmath works, and either the value is used silently or a warning says it is
    ignored and every CPU is used.
    """
    proc = run_python(ENV_CHILD, {"PARMATH_NUM_THREADS": value, "PYTHONIOENCODING": "utf-8"})
    report = json.loads(check_subprocess(proc))
    if report["warnings"]:
        assert report["threads"] == report["cpus"], (
            f"PARMATH_NUM_THREADS={value!r}: warned that it is ignored, yet uses "
            f"{report['threads']} threads, not the {report['cpus']} CPUs"
        )
    else:
        assert report["threads"] == int(value), (
            f"PARMATH_NUM_THREADS={value!r}: accepted without a warning, yet uses "
            f"{report['threads']} threads"
        )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/task")
def test_parallel_threshold_and_pool_threads() -> None:
    """Below the documented threshold no pool thread starts; at it, workers do."""
    code = """
        import json, os
        import numpy as np, parmath

        def workers():
            names = []
            for task in os.listdir("/proc/self/task"):
                with open(f"/proc/self/task/{task}/comm") as f:
                    names.append(f.read().strip())
            return sum(n.startswith("parmath") for n in names)

        t = parmath.info()["parallel_threshold"]
        cost = {row["name"]: row["cost"] for row in parmath._core.registry()}
        # float64 add (cost 1/2) stays serial below 2 t, where float64 exp (cost 1) splits.
        assert cost["add"]["float64"] == 0.5 and cost["exp"]["float64"] == 1.0
        parmath.exp(np.zeros(t - 1))
        parmath.add(np.zeros(2 * t - 1), 1.0)
        below = workers()
        parmath.exp(np.zeros(t))
        at = workers()
        print(json.dumps({"below": below, "at": at, "threshold": t}))
    """
    report = json.loads(check_subprocess(run_python(code, {"PARMATH_NUM_THREADS": "2"})))
    assert report["threshold"] == THRESHOLD
    assert report["below"] == 0
    assert report["at"] >= 1


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/task")
def test_heavy_functions_split_earlier() -> None:
    """float64 ``erf`` (cost 4) starts pool threads from a quarter of exp's threshold."""
    code = """
        import json, os
        import numpy as np, parmath

        def workers():
            return sum(
                open(f"/proc/self/task/{task}/comm").read().startswith("parmath")
                for task in os.listdir("/proc/self/task")
            )

        t = parmath.info()["parallel_threshold"]
        parmath.erf(np.zeros(t // 4 - 1))
        below = workers()
        parmath.erf(np.zeros(t // 4))
        print(json.dumps({"below": below, "at": workers()}))
    """
    report = json.loads(check_subprocess(run_python(code, {"PARMATH_NUM_THREADS": "2"})))
    assert report["below"] == 0
    assert report["at"] >= 1


# ---------------------------------------------------------------------------------------------
# Results do not depend on the thread count
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "dtype"), CASES, ids=CASE_IDS)
def test_bit_identical_for_any_thread_count(name: str, dtype: str) -> None:
    x = _input(name, dtype, BIG)
    x[::4099] = 0.0  # specials at positions that move between blocks
    x[7::5003] = np.nan
    results = {}
    udt = f"u{x.itemsize}"
    with np.errstate(all="ignore"):
        want = reference(name).numpy(x)
        for n in (1, 2, 3, 7):
            with parmath.threads(n):
                results[n] = ufunc(name)(x)
            # The strided path too: every other element, split differently.
            with parmath.threads(n):
                strided = ufunc(name)(x[::2])
            np.testing.assert_array_equal(strided.view(udt), results[n][::2].copy().view(udt))
    assert_ulp_close(results[1], want, numpy_tolerance(name, dtype), x)
    for n in (2, 3, 7):
        np.testing.assert_array_equal(results[n].view(udt), results[1].view(udt), err_msg=f"{n}")


# ---------------------------------------------------------------------------------------------
# Many Python threads at once
# ---------------------------------------------------------------------------------------------


def test_concurrent_python_threads() -> None:
    n = 500_000
    inputs = {case: _input(*case, n, seed=i) for i, case in enumerate(CASES)}
    expected = {}
    with np.errstate(all="ignore"):
        for (name, dtype), x in inputs.items():
            expected[(name, dtype)] = ufunc(name)(x)
            assert_ulp_close(
                expected[(name, dtype)],
                reference(name).numpy(x),
                numpy_tolerance(name, dtype),
                x,
            )

    start = threading.Barrier(8)

    def worker(k: int) -> list[str]:
        errors = []
        start.wait(timeout=30)
        with parmath.threads(1 + k % 3):
            for i in range(20):
                case = CASES[(k + i) % len(CASES)]
                out = ufunc(case[0])(inputs[case])
                if not np.array_equal(out, expected[case], equal_nan=True):
                    errors.append(f"thread {k} call {i} {case}")
        return errors

    with ThreadPoolExecutor(8) as pool:
        failures = [e for errs in pool.map(worker, range(8), timeout=120) for e in errs]
    assert failures == []


# ---------------------------------------------------------------------------------------------
# Child processes
# ---------------------------------------------------------------------------------------------


def _child_check(n: int) -> tuple[bool, float]:
    x = np.linspace(-5.0, 5.0, n)
    y = parmath.exp(x)
    diff = np.abs(y - np.exp(x)) / np.spacing(np.exp(x))
    return bool(np.isfinite(y).all()), float(diff.max())


def _warm_parallel_pool() -> None:
    x = np.linspace(-5.0, 5.0, BIG)
    with parmath.threads(max(2, CPUS)):
        parmath.exp(x)


@fork_warning
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_fork_pool_after_parallel_use() -> None:
    _warm_parallel_pool()
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(2) as pool:
        results = [pool.apply_async(_child_check, (BIG,)) for _ in range(2)]
        for r in results:
            finite, worst = r.get(timeout=60)
            assert finite
            assert worst <= 2
    _warm_parallel_pool()  # the parent's pool still works


@fork_warning
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_os_fork_after_parallel_use() -> None:
    _warm_parallel_pool()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            parmath.set_num_threads(2)
            finite, worst = _child_check(BIG)
            code = 0 if finite and worst <= 2 else 3
        finally:
            os._exit(code)
    deadline = time.monotonic() + 60
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail("forked child hung computing on the parallel path")
        time.sleep(0.02)
    assert os.WIFEXITED(status)
    assert os.WEXITSTATUS(status) == 0


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_spawn_and_forkserver_children(method: str) -> None:
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"{method} is not available here")
    _warm_parallel_pool()
    ctx = multiprocessing.get_context(method)
    x = np.linspace(-5.0, 5.0, BIG)
    with ctx.Pool(1) as pool:
        y = pool.apply_async(parmath.exp, (x,)).get(timeout=60)
        n = pool.apply_async(parmath.get_num_threads).get(timeout=60)
    assert_ulp_close(y, np.exp(x), numpy_tolerance("exp", "float64"), x)
    if "PARMATH_NUM_THREADS" not in os.environ and "OMP_NUM_THREADS" not in os.environ:
        assert n == CPUS  # a fresh interpreter: the default, not this process's setting


def test_gil_released_during_a_large_call() -> None:
    # A Python thread keeps counting while parmath works: NumPy releases the GIL around our loop.
    x = np.random.default_rng(5).random(20_000_000)
    y = np.empty_like(x)
    ticks = [0]
    stop = threading.Event()

    def spin() -> None:
        while not stop.is_set():
            ticks[0] += 1

    spinner = threading.Thread(target=spin)
    spinner.start()
    try:
        time.sleep(0.02)
        with parmath.threads(1):
            before = ticks[0]
            parmath.exp(x, out=y)
            during = ticks[0] - before
    finally:
        stop.set()
        spinner.join()
    assert during > 1000

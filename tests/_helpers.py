"""Shared helpers for the parmath test suite: ULP arithmetic, special-value checks, subprocesses.

Everything here compares parmath against an independent reference (NumPy or mpmath); nothing
calls parmath itself, so a bug in parmath cannot hide in a helper.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mpmath
import numpy as np

TESTS_DIR = Path(__file__).resolve().parent

#: Working precision (bits) for mpmath references: far beyond float64's 53, so that rounding the
#: reference adds no error worth measuring (well below 2**-60 ULP).
MP_PREC = 120

#: Floating-point dtypes parmath has loops for, by registry name.
FLOAT_DTYPES = {"float32": np.dtype(np.float32), "float64": np.dtype(np.float64)}

#: NumPy's np.errstate categories and the names its error callbacks report.
ERRSTATE_KINDS = {
    "divide by zero": "divide",
    "overflow": "over",
    "underflow": "under",
    "invalid value": "invalid",
}


# ---------------------------------------------------------------------------------------------
# Bit-level views of floats
# ---------------------------------------------------------------------------------------------


def _uint_dtype(dtype: np.dtype[Any]) -> np.dtype[Any]:
    return np.dtype(f"u{dtype.itemsize}")


def ordered_keys(x: np.ndarray) -> np.ndarray:
    """Map floats to unsigned integers that sort like the floats (both zeros share one key).

    Neighbouring floats get neighbouring keys, so key differences count representable steps.
    """
    x = np.ascontiguousarray(x)
    udt = _uint_dtype(x.dtype)
    bits = x.view(udt)
    sign = udt.type(1 << (8 * x.dtype.itemsize - 1))
    magnitude = bits & ~sign
    return np.where(bits & sign, sign - magnitude, sign + magnitude).astype(udt)


def ulp_distance(a: Any, b: Any) -> np.ndarray:
    """Return how many representable steps separate `a` and `b`, element-wise (as float64).

    Both must have the same float dtype. ``+0.0`` and ``-0.0`` are 0 apart, two NaNs are 0 apart,
    a NaN and a non-NaN are ``inf`` apart; ``inf`` is one step above the largest finite float.
    """
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype != b.dtype or a.dtype.kind != "f":
        raise TypeError(
            f"ulp_distance needs two arrays of one float dtype, got {a.dtype}, {b.dtype}"
        )
    a, b = np.broadcast_arrays(a, b)
    ka, kb = ordered_keys(a), ordered_keys(b)
    dist = np.where(ka >= kb, ka - kb, kb - ka).astype(np.float64)
    nan_a, nan_b = np.isnan(a), np.isnan(b)
    dist[nan_a & nan_b] = 0.0
    dist[nan_a ^ nan_b] = np.inf
    return dist


def neighbours(value: float, dtype: np.dtype[Any], steps: int = 3) -> np.ndarray:
    """Return `value` rounded to `dtype` and its `steps` representable neighbours on each side."""
    dtype = np.dtype(dtype)
    centre = np.asarray(value, dtype=dtype)
    out = [centre]
    up = down = centre
    for _ in range(steps):
        up = np.nextafter(up, dtype.type(np.inf))
        down = np.nextafter(down, dtype.type(-np.inf))
        out += [up, down]
    return np.array(out, dtype=dtype)


# ---------------------------------------------------------------------------------------------
# Comparisons
# ---------------------------------------------------------------------------------------------


def _describe(idx: tuple[int, ...], x: np.ndarray | None, got: np.ndarray, want: np.ndarray) -> str:
    where = f"at index {idx}"
    if x is not None and x.shape == got.shape:
        where += f" (input {x[idx]!r} = {float(x[idx]).hex()})"
    return f"{where}: got {got[idx]!r}, expected {want[idx]!r}"


def same_specials(got: Any, want: Any, x: Any = None, *, what: str = "") -> None:
    """Assert NaN positions, infinities (with sign) and signed zeros agree exactly.

    Zeros are compared where both results are zero; a zero against a tiny nonzero value is left to
    the ULP comparison.
    """
    got, want = np.asarray(got), np.asarray(want)
    xa = None if x is None else np.asarray(x)
    assert got.shape == want.shape, f"{what}shape {got.shape} != {want.shape}"
    checks = [
        ("NaN position", np.isnan(got) != np.isnan(want)),
        ("infinity", (np.isinf(got) | np.isinf(want)) & (got != want)),
        (
            "sign of zero",
            (got == 0) & (want == 0) & (np.signbit(got) != np.signbit(want)),
        ),
    ]
    for label, bad in checks:
        if bad.any():
            idx = tuple(int(i) for i in np.argwhere(bad)[0])
            n_bad = int(bad.sum())
            raise AssertionError(
                f"{what}{label} differs in {n_bad} element(s), first "
                + _describe(idx, xa, got, want)
            )


def assert_ulp_close(got: Any, want: Any, max_ulp: float, x: Any = None, *, what: str = "") -> None:
    """Assert `got` matches `want`: same dtype and shape, same specials, within `max_ulp` steps."""
    got_a, want_a = np.asarray(got), np.asarray(want)
    assert got_a.dtype == want_a.dtype, f"{what}dtype {got_a.dtype} != {want_a.dtype}"
    same_specials(got_a, want_a, x, what=what)
    if got_a.size == 0:
        return
    dist = ulp_distance(got_a, want_a)
    worst = float(dist.max())
    if worst > max_ulp:
        idx = tuple(int(i) for i in np.unravel_index(int(np.argmax(dist)), dist.shape))
        n_bad = int((dist > max_ulp).sum())
        xa = None if x is None else np.asarray(x)
        raise AssertionError(
            f"{what}{n_bad} element(s) more than {max_ulp} ULP apart (worst {worst:g} ULP "
            + _describe(idx, xa, got_a, want_a)
            + ")"
        )


# ---------------------------------------------------------------------------------------------
# mpmath references
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exact:
    """High-precision values of a function at some inputs, ready for fast ULP measurements.

    Each exact value ``e`` is kept in units of the ULP of its binade in the target dtype (a fixed
    unit below the smallest normal number): ``e = (units_hi + units_lo) * 2**scale``, a
    double-double holding about 100 bits of ``e``, far more than a measurement needs.
    """

    #: Where mpmath gave a real value for a finite input (elsewhere the result is special).
    measured: np.ndarray
    #: +1/-1 where the correctly rounded result overflows to +inf/-inf, else 0.
    overflow: np.ndarray
    scale: np.ndarray
    units_hi: np.ndarray
    units_lo: np.ndarray


def exact_values(func: Any, x: Any, dtype: Any) -> Exact:
    """Evaluate mpmath `func` at every input at :data:`MP_PREC` bits, for :func:`ulp_errors`.

    Inputs that are not finite, or outside the function's real domain (where mpmath answers with
    a complex number, an infinity or an exception), are left unmeasured: their results are special
    values, checked against NumPy instead.
    """
    info = np.finfo(dtype)
    p = info.nmant + 1
    emin = int(np.log2(float(info.smallest_normal)))
    emax = int(info.maxexp) - 1
    values = np.asarray(x).reshape(-1).tolist()
    n = len(values)
    measured = np.zeros(n, dtype=bool)
    overflow = np.zeros(n, dtype=np.int8)
    scale = np.full(n, emin - (p - 1), dtype=np.int64)
    hi = np.zeros(n)
    lo = np.zeros(n)
    with mpmath.workprec(MP_PREC):
        overflow_at = mpmath.mpf(float(info.max)) + mpmath.ldexp(1, emax - p)  # max + ulp/2
        for i, v in enumerate(values):
            if not np.isfinite(v):
                continue
            try:
                e = func(mpmath.mpf(v))
            except (ValueError, ZeroDivisionError):
                continue
            if not isinstance(e, mpmath.mpf) or not mpmath.isfinite(e):
                continue
            measured[i] = True
            if abs(e) >= overflow_at:
                overflow[i] = 1 if e > 0 else -1
                continue
            if e == 0:
                continue
            _, ex = mpmath.frexp(e)  # |e| = m * 2**ex with 0.5 <= m < 1
            scale[i] = max(int(ex) - 1, emin) - (p - 1)
            units = mpmath.ldexp(e, -int(scale[i]))
            hi[i] = float(units)
            lo[i] = float(units - hi[i])
    return Exact(measured, overflow, scale, hi, lo)


def describe_worst(x: np.ndarray, y: np.ndarray, err: np.ndarray, k: int = 5) -> str:
    """Return one line per input among the `k` with the largest errors (nonzero ones only)."""
    x, y, err = (np.asarray(a).reshape(-1) for a in (x, y, err))
    return "\n".join(
        f"  x={x[i]!r} ({float(x[i]).hex()}): got {y[i]!r} ({float(y[i]).hex()}), "
        f"error {err[i]:.4f} ULP"
        for i in np.argsort(err)[::-1][:k]
        if err[i] > 0
    )


def ulp_errors(got: Any, exact: Exact) -> np.ndarray:
    """Return ``|got - e| / ulp(e)`` for every measured input, 0 elsewhere (as float64).

    ``ulp(e)`` is the spacing of the dtype at ``|e|``. Where the correctly rounded result
    overflows, the only acceptable answer is the infinity of the right sign (error 0, else inf);
    any other non-finite result scores inf.
    """
    with np.errstate(all="ignore"):  # signalling NaNs from random bits raise "invalid"
        y = np.asarray(got).reshape(-1).astype(np.float64)
        units = np.ldexp(y, -exact.scale)  # exact: a power-of-two scaling to below 2**53
        err = np.abs((units - exact.units_hi) - exact.units_lo)
    err[~np.isfinite(y)] = np.inf
    over = exact.overflow != 0
    err[over] = np.where(y[over] == np.inf * exact.overflow[over], 0.0, np.inf)
    err[~exact.measured] = 0.0
    return err.reshape(np.shape(got))


def ieee_flags(func: Any, value: float, dtype: Any) -> set[str] | None:
    """Return the np.errstate categories IEEE 754 raises for ``func(value)`` rounded to `dtype`.

    Derived from mpmath: a complex or undefined result from a non-NaN input is ``invalid``, an
    infinite result from a finite input ``divide``, a result whose rounding overflows ``over``, a
    nonzero inexact result below the smallest normal number ``under``. Returns None when tininess
    is ambiguous (the exact result within one rounding of the smallest normal number).
    """
    if np.isnan(value):
        return set()
    info = np.finfo(dtype)
    p = info.nmant + 1
    emin = int(np.log2(float(info.smallest_normal)))
    emax = int(info.maxexp) - 1
    with mpmath.workprec(MP_PREC):
        try:
            r = func(mpmath.mpf(value))
        except (ValueError, ZeroDivisionError):
            return {"invalid"}
        if not isinstance(r, mpmath.mpf) or mpmath.isnan(r):
            return {"invalid"}
        if mpmath.isinf(r):
            return set() if np.isinf(value) else {"divide"}
        if np.isinf(value):
            return set()
        fmax = mpmath.mpf(float(info.max))
        if abs(r) >= fmax + mpmath.ldexp(1, emax - p):
            return {"over"}
        normal = mpmath.ldexp(1, emin)
        if r == 0 or abs(r) >= normal:
            return set()
        if abs(r) >= normal * (1 - mpmath.ldexp(1, -p)):
            return None
        quanta = mpmath.ldexp(abs(r), (p - 1) - emin)
        return set() if quanta == mpmath.floor(quanta) else {"under"}


# ---------------------------------------------------------------------------------------------
# Floating-point error reporting
# ---------------------------------------------------------------------------------------------


def fp_errors(func: Any, *args: Any, **kwargs: Any) -> tuple[set[str], Any]:
    """Call ``func(*args, **kwargs)`` and return the set of np.errstate categories it reported."""
    seen: set[str] = set()

    def record(kind: str, _flag: int) -> None:
        seen.add(ERRSTATE_KINDS[kind])

    with np.errstate(all="call", call=record):
        result = func(*args, **kwargs)
    return seen, result


@contextmanager
def no_warnings() -> Iterator[list[warnings.WarningMessage]]:
    """Record every warning raised inside the block (the caller asserts on the list)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield caught


def exception_from(func: Any, *args: Any, **kwargs: Any) -> Exception:
    """Return the exception ``func(*args, **kwargs)`` raises (failing if it raises none)."""
    try:
        func(*args, **kwargs)
    except Exception as err:
        return err
    raise AssertionError(f"{func!r} accepted {args!r} {kwargs!r}")


def assert_raises_like(expected: Any, actual: Any, *args: Any, **kwargs: Any) -> Exception:
    """Assert ``actual(...)`` raises what ``expected(...)`` raises: same type, same message.

    Returns the exception `actual` raised.
    """
    want = exception_from(expected, *args, **kwargs)
    got = exception_from(actual, *args, **kwargs)
    assert type(got) is type(want), f"{type(got).__name__}: {got} != {type(want).__name__}: {want}"
    assert str(got) == str(want)
    return got


# ---------------------------------------------------------------------------------------------
# Subprocesses
# ---------------------------------------------------------------------------------------------


def _child_env(env: dict[str, str | None] | None) -> dict[str, str]:
    full_env = dict(os.environ)
    full_env.pop("PARMATH_ISA", None)
    full_env.pop("PARMATH_NUM_THREADS", None)
    full_env.pop("OMP_NUM_THREADS", None)  # also sets parmath's default thread count
    for key, value in (env or {}).items():
        if value is None:
            full_env.pop(key, None)
        else:
            full_env[key] = value
    full_env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(TESTS_DIR), full_env.get("PYTHONPATH", "")) if p
    )
    return full_env


def start_python(
    code: str,
    env: dict[str, str | None] | None = None,
    *,
    flags: tuple[str, ...] = (),
    argv: tuple[str, ...] = (),
    cwd: str | os.PathLike[str] | None = None,
) -> subprocess.Popen[str]:
    """Start `code` in a fresh interpreter (this one) with tests/ importable; see run_python."""
    return subprocess.Popen(
        [sys.executable, *flags, "-c", textwrap.dedent(code), *argv],
        env=_child_env(env),
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=default_sigint,
    )


def default_sigint() -> None:
    """`preexec_fn` for children that tests interrupt: Ctrl-C's default action.

    A shell starts background jobs with SIGINT ignored and children inherit that (Python then
    installs no KeyboardInterrupt handler), so a test run started as `make test &` would see its
    interrupt tests fail for reasons of its own.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def finish(proc: subprocess.Popen[str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Wait for a :func:`start_python` child (killing it after `timeout` seconds)."""
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        raise AssertionError(f"child hung for {timeout}s\n{out}\n{err}") from None
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def run_python(
    code: str,
    env: dict[str, str | None] | None = None,
    *,
    flags: tuple[str, ...] = (),
    argv: tuple[str, ...] = (),
    timeout: float = 60,
    cwd: str | os.PathLike[str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter (this one), with tests/ importable.

    `env` entries are added to (or, with value None, removed from) a copy of this environment,
    from which PARMATH_ISA, PARMATH_NUM_THREADS and OMP_NUM_THREADS are dropped first. `flags`
    go to the interpreter, `argv` to the script; it runs in `cwd` if given.
    """
    return finish(start_python(code, env, flags=flags, argv=argv, cwd=cwd), timeout)


def check_subprocess(proc: subprocess.CompletedProcess[str]) -> str:
    """Assert a :func:`run_python` child exited 0; return its stdout."""
    assert proc.returncode == 0, (
        f"child exited {proc.returncode}\n--- stdout ---\n{proc.stdout}\n--- stderr ---\n"
        f"{proc.stderr}"
    )
    return proc.stdout

"""What each parmath function should compute: the independent references the tests use.

Every function in ``parmath._core.registry()`` needs an entry in :data:`REFERENCES` (a test fails
otherwise): its NumPy and mpmath counterparts, where to sample inputs, which inputs are edge cases,
and which floating-point errors NumPy reports for typical offending inputs. The test matrices are
built from the registry, so a new function is tested as soon as it has an entry here.
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mpmath
import numpy as np

import parmath
from _helpers import MP_PREC, Exact, describe_worst, exact_values, neighbours, ulp_errors

#: The registry rows, as parmath reports them.
REGISTRY: list[dict[str, Any]] = list(parmath._core.registry())


@dataclass(frozen=True)
class Reference:
    """Independent definition of one function, for the tests."""

    #: NumPy's ufunc computing the same function.
    numpy: np.ufunc
    #: mpmath's function (evaluated at high precision for the accuracy tests).
    mpmath: Callable[[Any], Any]
    #: Per dtype: ``(low, high)`` intervals to draw uniform random inputs from; the first is the
    #: function's "typical" range, used for the behaviour tests.
    ranges: dict[str, tuple[tuple[float, float], ...]]
    #: Per dtype: magnitudes worth sampling log-uniformly, as ``(min exponent, max exponent)`` of 2.
    binades: dict[str, tuple[int, int]]
    #: Signs to give the log-uniform samples (only those in the domain are worth many samples).
    signs: tuple[float, ...]
    #: Per dtype: function-specific edge inputs (thresholds and their neighbours, kernel seams).
    edges: Callable[[np.dtype[Any]], np.ndarray]
    #: NumPy's own accuracy target (integer ULP from the correctly rounded result), from its
    #: ``umath-validation-set-<name>.csv`` files: NumPy is compared with this much slack.
    numpy_ulp: dict[str, int]
    #: Inputs and the np.errstate category NumPy reports for them (None: no error).
    fp_cases: tuple[tuple[float, str | None], ...]


@dataclass(frozen=True)
class Reference2:
    """Independent definition of one two-argument function, for the tests."""

    #: NumPy's ufunc computing the same function.
    numpy: np.ufunc
    #: mpmath's function of two arguments.
    mpmath: Callable[[Any, Any], Any]
    #: Per dtype: ``((x1 low, x1 high), (x2 low, x2 high))`` boxes to draw uniform random pairs
    #: from; the first is the typical one, used for the behaviour tests.
    ranges: dict[str, tuple[tuple[tuple[float, float], tuple[float, float]], ...]]
    #: Function-specific edge pairs (special-case table, thresholds) as two arrays in a dtype.
    edges: Callable[[np.dtype[Any]], tuple[np.ndarray, np.ndarray]]
    #: NumPy's own accuracy target in ULP (0 for the correctly rounded operations).
    numpy_ulp: dict[str, int]
    #: ``(x1, x2, np.errstate category or None)`` triples NumPy is checked against.
    fp_cases: tuple[tuple[float, float, str | None], ...]


def _threshold(value: Any, dtype: np.dtype[Any]) -> np.ndarray:
    return neighbours(float(value), dtype, steps=3)


_LN2 = float(np.log(2.0))


def _exp_seam_windows(width: float) -> tuple[tuple[float, float], ...]:
    """Return intervals just above odd multiples of ln2/2.

    There the reduced argument r = x - k ln2 sits near -ln2/2, where a polynomial's error peaks.
    """
    return tuple(((k + 0.5) * _LN2, (k + 0.5) * _LN2 + width) for k in (-7, 0, 5))


def _exp_edges(dtype: np.dtype[Any]) -> np.ndarray:
    fi = np.finfo(dtype)
    with mpmath.workprec(MP_PREC):
        thresholds = [
            mpmath.log(mpmath.mpf(float(fi.max))),  # overflow
            mpmath.log(mpmath.mpf(float(fi.smallest_normal))),  # results become subnormal
            mpmath.log(mpmath.mpf(float(fi.smallest_subnormal))),  # smallest result
            mpmath.log(mpmath.mpf(float(fi.smallest_subnormal)) / 2),  # rounds to zero
            mpmath.log(2) / 2,  # range-reduction seams: k changes at odd multiples of ln2/2
            -mpmath.log(2) / 2,
            3 * mpmath.log(2) / 2,
            mpmath.log(2),
            mpmath.mpf(1),
        ]
    parts = [_threshold(t, dtype) for t in thresholds]
    tiny = [2.0**-k for k in (10, 24, 25, 30, 53, 54, 60, 100)]
    parts.append(np.array(tiny + [-t for t in tiny], dtype=dtype))
    parts.append(np.array([1000.0, -1000.0, 100.0, -100.0, 50.0, -50.0], dtype=dtype))
    return np.concatenate(parts)


def _log_edges(dtype: np.dtype[Any]) -> np.ndarray:
    fi = np.finfo(dtype)
    with mpmath.workprec(MP_PREC):
        seams = [
            mpmath.mpf(1),
            mpmath.sqrt(2) / 2,  # the kernel splits the mantissa here
            mpmath.sqrt(2),
            mpmath.mpf(2),
            mpmath.mpf(0.5),
            mpmath.e,
            mpmath.mpf(float(fi.smallest_normal)),
            mpmath.mpf(float(fi.smallest_normal)) * mpmath.sqrt(2) / 2,
        ]
    parts = [_threshold(t, dtype) for t in seams]
    sub = float(fi.smallest_subnormal)
    parts.append(
        np.array(
            [sub, 2 * sub, 3 * sub, float(fi.smallest_normal) - sub, float(fi.max), 10.0, 1e-10],
            dtype=dtype,
        )
    )
    parts.append(np.array([-1.0, -sub, -float(fi.max), -0.5], dtype=dtype))
    return np.concatenate(parts)


# ---- explog helpers ----


def _exp2_edges(dtype: np.dtype[Any]) -> np.ndarray:
    fi = np.finfo(dtype)
    emax = int(fi.maxexp)  # 1024 / 128: overflow from here
    emin = int(np.log2(float(fi.smallest_normal)))  # -1022 / -126
    sub = emin - int(fi.nmant)  # -1074 / -149: the smallest subnormal
    thresholds = [emax, emin, emin - 0.5, sub, sub - 0.5, sub - 1, 0.5, -0.5, 1.5, -1.5, 1.0]
    parts = [_threshold(t, dtype) for t in thresholds]
    tiny = [2.0**-k for k in (10, 24, 25, 30, 53, 54, 60, 100)]
    parts.append(np.array(tiny + [-t for t in tiny], dtype=dtype))
    parts.append(np.array([3.0, -3.0, 10.0, -10.0, 100.0, -100.0, 2000.0, -2000.0], dtype=dtype))
    return np.concatenate(parts)


def _expm1_edges(dtype: np.dtype[Any]) -> np.ndarray:
    fi = np.finfo(dtype)
    with mpmath.workprec(MP_PREC):
        thresholds = [
            mpmath.log(mpmath.mpf(float(fi.max)) + 1),  # overflow
            mpmath.log(2) / 2,  # range-reduction seams
            -mpmath.log(2) / 2,
            3 * mpmath.log(2) / 2,
            -3 * mpmath.log(2) / 2,
            mpmath.mpf(1),
            mpmath.mpf(-1),
            # expm1(x) rounds to -1 from about here.
            mpmath.log(mpmath.mpf(float(fi.eps)) / 4),
        ]
    parts = [_threshold(t, dtype) for t in thresholds]
    tiny = [2.0**-k for k in (10, 24, 25, 30, 53, 54, 60, 100, 1000)]
    parts.append(np.array(tiny + [-t for t in tiny], dtype=dtype))
    parts.append(np.array([-40.0, -50.0, -800.0, 20.0, 50.0, 700.0], dtype=dtype))
    return np.concatenate(parts)


def _log2_edges(dtype: np.dtype[Any]) -> np.ndarray:
    fi = np.finfo(dtype)
    powers = [2.0**k for k in (-1074, -1060, -1022, -149, -126, -10, -1, 1, 10, 100, 127, 1023)]
    powers = [p for p in powers if float(fi.smallest_subnormal) <= p <= float(fi.max)]
    return np.concatenate([_log_edges(dtype), np.array([*powers, 3.0, 10.0, 0.1], dtype=dtype)])


def _log10_edges(dtype: np.dtype[Any]) -> np.ndarray:
    fi = np.finfo(dtype)
    top = 22 if dtype == np.float64 else 10  # the powers of ten that are exact floats
    powers = [10.0**k for k in range(-5, top + 1)]
    near = [_threshold(10.0**k, dtype) for k in (1, 2, 3, 10)]
    tail = np.array([*powers, float(fi.max), 2.0, 0.5], dtype=dtype)
    return np.concatenate([_log_edges(dtype), tail, *near])


def _log1p_edges(dtype: np.dtype[Any]) -> np.ndarray:
    fi = np.finfo(dtype)
    with mpmath.workprec(MP_PREC):
        seams = [
            mpmath.sqrt(2) / 2 - 1,  # the kernel takes f = x inside (sqrt(2)/2 - 1, sqrt(2) - 1)
            mpmath.sqrt(2) - 1,
            mpmath.mpf(-1),
            mpmath.mpf(-0.5),
            mpmath.mpf(1),
            mpmath.mpf(2) ** (int(fi.nmant) + 1),  # 1 + x stops being exact
        ]
    parts = [_threshold(t, dtype) for t in seams]
    tiny = [2.0**-k for k in (10, 24, 25, 30, 53, 54, 60, 100, 1000)]
    parts.append(np.array(tiny + [-t for t in tiny], dtype=dtype))
    parts.append(np.array([float(fi.max), 1e10, -2.0, -float(fi.max)], dtype=dtype))
    return np.concatenate(parts)


# ---- end explog helpers ----


# ---- trig helpers ----


def _trig_edges(dtype: np.dtype[Any]) -> np.ndarray:
    """Return the trig kernels' edge inputs.

    Neighbours of multiples of pi/4 (the reduction's seams and zeros of sin, cos or tan), of the
    kernels' fast-range edge 2^20, hard-to-reduce huge arguments and tiny ones.
    """
    fi = np.finfo(dtype)
    with mpmath.workprec(MP_PREC):
        ks = [*range(1, 13), 100, 1001, 65536, 333333, 667544, 667545, 10**7]
        points = [k * mpmath.pi / 4 for k in ks]
        points += [mpmath.mpf(2) ** 20, mpmath.mpf(2) ** 24]
    parts = [_threshold(t, dtype) for t in points]
    parts += [-p for p in parts]
    huge = [1e22, 1e30, 3.4e38, float(fi.max), -float(fi.max)]
    if dtype == np.float64:
        huge += [6381956970095103.0 * 2.0**797, 5.319372648326541e255, 1e300, -1e308]
    tiny = [2.0**-k for k in (10, 20, 26, 27, 30, 60, 100)]
    with np.errstate(over="ignore", under="ignore"):
        parts.append(np.array(huge + tiny + [-t for t in tiny], dtype=dtype))
    return np.concatenate(parts)


#: Uniform ranges: typical, moderate, the reduced interval, about the fast-range edge 2^20, huge.
_TRIG_RANGES: dict[str, tuple[tuple[float, float], ...]] = {
    dt: ((-10.0, 10.0), (-1e3, 1e3), (-0.8, 0.8), (1.0e6, 1.1e6), (-1e7, 1e7), (-1e20, 1e20), wide)
    for dt, wide in (("float64", (-1e300, 1e300)), ("float32", (-3e38, 3e38)))
}


_TRIG_FP_CASES: tuple[tuple[float, str | None], ...] = (
    (np.inf, "invalid"),
    (-np.inf, "invalid"),
    (np.nan, None),
    (0.0, None),
    (-0.0, None),
    (1.0, None),
    (1e30, None),
    (-3e38, None),
)


# ---- end trig helpers ----


# ---- invtrig helpers ----
def _mp_atan2(y: Any, x: Any) -> Any:
    # mpmath has no signed zero: results at y = 0 are special values, compared with NumPy instead.
    return mpmath.nan if y == 0 else mpmath.atan2(y, x)


def _arctan2_edges(dtype: np.dtype[Any]) -> tuple[np.ndarray, np.ndarray]:
    """C99's special cases for atan2 (signed zeros, infinities, NaN) and tiny quotients."""
    fi = np.finfo(dtype)
    sub, tiny, big = float(fi.smallest_subnormal), float(fi.smallest_normal), float(fi.max)
    ys = [0.0, -0.0, 0.0, -0.0, 0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.inf, -np.inf]
    xs = [0.0, 0.0, -0.0, -0.0, -1.0, -1.0, 0.0, -0.0, np.inf, np.inf, -np.inf, -np.inf]
    ys += [np.inf, 2.0, -2.0, np.nan, 1.0, sub, tiny, 1.0, -1.0, big, 1.0, 3 * sub, 1e-30]
    xs += [3.0, np.inf, -np.inf, 1.0, np.nan, 0.5, big, 1.0, 1.0, 1.0, big, 2.0, 1e30]
    with np.errstate(over="ignore", under="ignore"):
        return np.array(ys, dtype=dtype), np.array(xs, dtype=dtype)


def _asin_edges(dtype: np.dtype[Any]) -> np.ndarray:
    """Edges of arcsin and arccos: the kernel's seam at |x| = 1/2, the domain ends, tiny inputs."""
    fi = np.finfo(dtype)
    parts = [_threshold(t, dtype) for t in (0.5, -0.5, 1.0, -1.0, 0.25, 0.75, 0.9999, -0.9999)]
    sub = float(fi.smallest_subnormal)
    tiny = [2.0**-k for k in (10, 26, 27, 30, 53, 60, 100, 500)]
    parts.append(np.array(tiny + [-t for t in tiny], dtype=dtype))
    parts.append(
        np.array(
            [sub, -sub, float(fi.smallest_normal), -float(fi.smallest_normal), 2.0, -2.0],
            dtype=dtype,
        )
    )
    return np.concatenate(parts)


def _atan_edges(dtype: np.dtype[Any]) -> np.ndarray:
    """Edges of arctan: the seam at |x| = 1, the clamp at 2^100, tiny and huge inputs."""
    fi = np.finfo(dtype)
    seams = (1.0, -1.0, 2.0**100, -(2.0**100), 0.5, 2.0, 2.0**27, 2.0**53, 0.41421356, 2.41421356)
    parts = [_threshold(t, dtype) for t in seams]
    sub = float(fi.smallest_subnormal)
    tiny = [2.0**-k for k in (10, 26, 27, 30, 53, 60, 100, 500)]
    parts.append(np.array(tiny + [-t for t in tiny], dtype=dtype))
    parts.append(np.array([sub, -sub, float(fi.max), -float(fi.max)], dtype=dtype))
    return np.concatenate(parts)


_ASIN_FP_CASES: tuple[tuple[float, str | None], ...] = (
    (2.0, "invalid"),
    (-2.0, "invalid"),
    (1.0000001, "invalid"),
    (np.inf, "invalid"),
    (-np.inf, "invalid"),
    (np.nan, None),
    (1.0, None),
    (-1.0, None),
    (0.0, None),
    (-0.0, None),
    (1e-40, None),
    (0.5, None),
)


# ---- end invtrig helpers ----


# ---- hyperbolic helpers ----


def _hyperbolic_edges(*values: Any) -> Callable[[np.dtype[Any]], np.ndarray]:
    """Return an `edges` function for the given thresholds.

    Each value (a float or a thunk giving an mpmath number) below the type's maximum and its
    neighbours, plus tiny inputs and the type's extremes, with both signs.
    """

    def edges(dtype: np.dtype[Any]) -> np.ndarray:
        fi = np.finfo(dtype)
        with mpmath.workprec(MP_PREC):
            vals = [float(v() if callable(v) else v) for v in values]
        parts = [_threshold(v, dtype) for v in vals if v < float(fi.max)]
        tiny = [2.0**-k for k in (10, 24, 27, 28, 29, 60)]
        sub = float(fi.smallest_subnormal)
        parts.append(np.array([*tiny, sub, float(fi.smallest_normal), float(fi.max)], dtype=dtype))
        both = np.concatenate(parts)
        return np.concatenate([both, -both])

    return edges


def _overflow_x(dtype_max: float) -> Any:
    """Return the x above which sinh and cosh overflow: log(2 max)."""
    return mpmath.log(2 * mpmath.mpf(dtype_max))


def _sinh_cosh_edges(dtype: np.dtype[Any]) -> np.ndarray:
    fi = np.finfo(dtype)
    return _hyperbolic_edges(
        lambda: _overflow_x(float(fi.max)),
        lambda: mpmath.log(mpmath.mpf(float(fi.max))),
        lambda: mpmath.log(2) / 2,  # the exponential's seam and sinh's polynomial boundary
        0.3465,
        lambda: 3 * mpmath.log(2) / 2,
        lambda: 40 * mpmath.log(2),
        1.0,
        20.0,
    )(dtype)


def _tanh_edges(dtype: np.dtype[Any]) -> np.ndarray:
    return _hyperbolic_edges(
        lambda: 55 * mpmath.log(2) / 2,  # float64 rounds to 1 above
        lambda: 25 * mpmath.log(2) / 2,  # float32 rounds to 1 above
        lambda: mpmath.log(2) / 4,  # seam of the exponential of -2x
        lambda: 3 * mpmath.log(2) / 4,
        20.0,
        0.55,
    )(dtype)


def _arcsinh_edges(dtype: np.dtype[Any]) -> np.ndarray:
    return _hyperbolic_edges(2.0**28, 2.0**26.5, 0.5, 1.0, 1e154, 1e20)(dtype)


def _arccosh_edges(dtype: np.dtype[Any]) -> np.ndarray:
    fi = np.finfo(dtype)
    one = neighbours(1.0, dtype, steps=5)
    rest = np.concatenate(
        [
            _threshold(v, dtype)
            for v in (2.0**28, 2.0**26.5, 1.5, 2.0, 1e154, 1e20)
            if v < float(fi.max)
        ]
    )
    low = np.array([0.5, 0.0, -1.0, -float(fi.max)], dtype=dtype)
    return np.concatenate([one, rest, low, np.array([float(fi.max)], dtype=dtype)])


def _arctanh_edges(dtype: np.dtype[Any]) -> np.ndarray:
    fi = np.finfo(dtype)
    one = np.concatenate([neighbours(1.0, dtype, steps=5), neighbours(-1.0, dtype, steps=5)])
    rest = _hyperbolic_edges(0.5, 0.25, 0.9, 0.99)(dtype)
    return np.concatenate([one, rest[np.abs(rest) <= 2.0], np.array([float(fi.max)], dtype=dtype)])


# ---- end hyperbolic helpers ----


# ---- powers helpers ----
def _power_edges(dtype: np.dtype[Any]) -> tuple[np.ndarray, np.ndarray]:
    """C99's table of special cases for pow, and results near overflow and underflow."""
    fi = np.finfo(dtype)
    big, tiny = float(fi.max), float(fi.smallest_normal)
    xs = [np.nan, np.nan, 1.0, 0.0, -1.0, -1.0, -2.0, -8.0, 0.0, -0.0, -0.0, 0.0, -0.0, -0.0]
    ys = [0.0, -0.0, np.nan, 0.0, np.inf, -np.inf, 0.5, 1 / 3, -1.0, -3.0, -2.0, -np.inf, 3.0, 0.5]
    xs += [-np.inf, -np.inf, -np.inf, np.inf, -2.0, -0.5, -0.5, np.inf, -1.0, 0.0, np.nan]
    ys += [3.0, -3.0, 0.5, -1.0, np.inf, np.inf, -np.inf, np.nan, np.nan, np.nan, -np.inf]
    xs += [2.0, 2.0, 2.0, 0.5, 10.0, -2.0, 1.0000001, 0.9999, 2.0, -3.0, -3.0, 1.5, big, tiny]
    ys += [2000.0, -1023.0, -1074.0, 1074.0, -400.0, 1e300, 1e300, 1e300, -1022.0, 3.0, 4.0]
    ys += [-2.5, 0.5, 0.5]
    with np.errstate(over="ignore", under="ignore"):
        return np.array(xs, dtype=dtype), np.array(ys, dtype=dtype)


def _hypot_edges(dtype: np.dtype[Any]) -> tuple[np.ndarray, np.ndarray]:
    fi = np.finfo(dtype)
    big, sub = float(fi.max), float(fi.smallest_subnormal)
    xs = [np.inf, np.nan, -np.inf, np.nan, -0.0, big, big, 3 * sub, sub, 0.0, 3.0, 1e-20]
    ys = [np.nan, np.inf, np.nan, 1.0, -0.0, big, 1.0, 4 * sub, 0.0, sub, 4.0, 1e20]
    xs, ys = xs + ys, ys + xs  # both orders
    with np.errstate(over="ignore", under="ignore"):
        return np.array(xs, dtype=dtype), np.array(ys, dtype=dtype)


def _mp_power(x: Any, y: Any) -> Any:
    if x == 0 and y < 0:
        return mpmath.inf
    if x < 0 and y != mpmath.floor(y):
        return mpmath.nan  # mpmath would answer with a complex number
    return mpmath.power(x, y)


def _mp_cbrt(x: Any) -> Any:
    """Return the real cube root (mpmath.cbrt gives the complex principal root of negatives)."""
    x = mpmath.mpf(x)
    return -mpmath.cbrt(-x) if x < 0 else mpmath.cbrt(x)


def _cbrt_edges(dtype: np.dtype[Any]) -> np.ndarray:
    fi = np.finfo(dtype)
    sub = float(fi.smallest_subnormal)
    tiny = float(fi.smallest_normal)
    parts = [
        _threshold(t, dtype)
        for t in (1.0, 2.0, 4.0, 8.0, 0.5, 0.25, 0.125, tiny, float(fi.max) / 2)
    ]
    big = float(fi.max)
    parts.append(np.array([sub, 2 * sub, 3 * sub, tiny - sub, big, 27.0, 1e-10], dtype=dtype))
    parts.append(np.array([-sub, -tiny, -float(fi.max), -8.0, -27.0, -0.001], dtype=dtype))
    return np.concatenate(parts)


# ---- end powers helpers ----


# ---- special helpers ----


class _NumpyLoops:
    """A SciPy ufunc, with NumPy's float16/float32/float64 loops and accurate values.

    Every call goes to SciPy's ufunc (for its errors, result type, layout and subclass), and its
    values are then replaced by SciPy's float64 loop's on the float64 inputs, corrected by `fix`,
    and rounded to the result's type, because scipy.special's ufuncs have no float16 loop and list
    float64 first (bool and int8 input give float64 where NumPy's float ufuncs, and parmath, give
    float16; float16 gives float32), their float32 loops flush subnormal results to zero
    (expit(-88.77) is 0 instead of 2.8e-39), and some float64 loops lose accuracy (see `fix`).
    ``where=`` is done by a full call and a masked copy: SciPy 1.17's masked loops are broken
    (``expit([1, 2, 3, 4], out=o, where=[1, 0, 1, 1])`` writes o[0] and o[3] only, and 4097
    float32 elements under a random mask corrupt the heap). pandas, xarray and dask objects are
    handed this object as the ufunc, so their own dispatch reaches the arrays inside. SciPy reports
    no floating-point errors; neither does this.
    """

    def __init__(
        self, ufunc: np.ufunc, fix: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None
    ) -> None:
        self._ufunc = ufunc
        self._fix = fix
        self.__name__ = ufunc.__name__

    def _values(self, x: np.ndarray) -> np.ndarray:
        x64 = x.astype(np.float64)
        y = self._ufunc(x64)
        return y if self._fix is None else self._fix(x64, y)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if len(args) != 1:
            return self._ufunc(*args, **kwargs)
        x = args[0]
        hook = getattr(type(x), "__array_ufunc__", None)
        if hook is not None and not kwargs and not isinstance(x, np.ndarray | np.generic):
            result = hook(x, self, "__call__", x)
            if result is not NotImplemented:
                return result
        try:
            xa = np.asarray(x)
        except (TypeError, ValueError):
            return self._ufunc(*args, **kwargs)
        if xa.dtype.kind not in "biuf":
            return self._ufunc(*args, **kwargs)
        if "where" in kwargs:
            return self._masked(x, kwargs)
        res = self._ufunc(*args, **kwargs)
        if not {"dtype", "signature", "out"} & set(kwargs):
            want = np.exp(np.zeros(0, dtype=xa.dtype)).dtype
            if res.dtype != want:
                res = res.astype(want, order="K") if isinstance(res, np.ndarray) else want.type(res)
        with np.errstate(all="ignore"):
            # With dtype= or signature=, the loop's type is the result's: inputs are cast to it.
            loop = {"dtype", "signature"} & set(kwargs) and np.dtype(res.dtype).kind == "f"
            vals = self._values(xa.astype(res.dtype) if loop else xa)
            if not isinstance(res, np.ndarray):
                return res.dtype.type(vals[()])
            np.copyto(np.asarray(res), vals, casting="unsafe")
        return res

    def _masked(self, x: Any, kwargs: dict[str, Any]) -> Any:
        dest = kwargs.get("out")
        dest = dest[0] if isinstance(dest, tuple) and len(dest) == 1 else dest
        where = kwargs["where"]
        try:
            if not isinstance(dest, np.ndarray) or not dest.flags.writeable:
                raise ValueError
            np.broadcast_shapes(np.shape(x), np.shape(where), dest.shape)
            if np.broadcast_shapes(np.shape(x), np.shape(where), dest.shape) != dest.shape:
                raise ValueError
        except ValueError:
            return self._ufunc(x, **kwargs)  # NumPy's error (raised before any loop runs)
        rest = {k: v for k, v in kwargs.items() if k not in ("out", "where")}
        np.copyto(dest, self(x, **rest), where=where, casting="unsafe")
        return dest

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._ufunc, attr)


def _special_ufunc(
    name: str,
    mp: Callable[[Any], Any],
    fix: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
) -> Any:
    """Return scipy.special's ufunc `name`, the reference users know (NumPy has none).

    Without SciPy, an object-dtype ufunc from mpmath stands in: it reports no floating-point
    errors (as SciPy's do not), but its results are object arrays, so the tests comparing dtypes
    with NumPy's need SciPy.
    """
    try:
        import scipy.special as special
    except ImportError:
        return np.frompyfunc(lambda v: float(mp(mpmath.mpf(float(v)))), 1, 1)
    return _NumpyLoops(getattr(special, name), fix)


def _scipy_special(name: str) -> np.ufunc:
    import scipy.special as special

    f: np.ufunc = getattr(special, name)
    return f


def _expit_mp(x: Any) -> Any:
    return 1 / (1 + mpmath.exp(-x))


def _expit_fix(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Return `y`, SciPy's expit, with its zeros below -700 replaced.

    SciPy's float64 expit is 1/(1+exp(-x)): 0 below -709.78, where exp(-x) overflows, though the
    exact result is subnormal down to -745.13. There expit(x) = exp(x) to 2^-1000 relative, so
    NumPy's exp stands in.
    """
    return np.where(x < -700.0, np.exp(x), y)


def _expit_edges(dtype: np.dtype[Any]) -> np.ndarray:
    fi = np.finfo(dtype)
    p = fi.nmant + 1
    with mpmath.workprec(MP_PREC):
        thresholds = [
            mpmath.log(mpmath.mpf(float(fi.smallest_normal))),  # results become subnormal
            mpmath.log(mpmath.mpf(float(fi.smallest_subnormal))),  # smallest result
            mpmath.log(mpmath.mpf(float(fi.smallest_subnormal)) / 2),  # rounds to zero
            mpmath.mpf(p + 1) * mpmath.log(2),  # 1 - exp(-x) rounds to 1 from about here
            mpmath.log(2) / 2,  # the exp reduction's seams
            -mpmath.log(2) / 2,
            -3 * mpmath.log(2) / 2,
        ]
    parts = [_threshold(t, dtype) for t in thresholds]
    tiny = [2.0**-k for k in (10, 24, 25, 30, 53, 54, 60, 100)]
    parts.append(np.array(tiny + [-t for t in tiny], dtype=dtype))
    big = [1000.0, -1000.0, 100.0, -100.0, 50.0, -50.0, 750.0, -750.0]
    parts.append(np.array(big, dtype=dtype))
    return np.concatenate(parts)


def _erf_edges(dtype: np.dtype[Any]) -> np.ndarray:
    fi = np.finfo(dtype)
    with mpmath.workprec(MP_PREC):
        normal = mpmath.mpf(float(fi.smallest_normal))
        one = 1 - mpmath.ldexp(1, -(fi.nmant + 2))  # erf rounds to 1 above this
        thresholds = [
            normal * mpmath.sqrt(mpmath.pi) / 2,  # results become subnormal
            mpmath.findroot(lambda t: mpmath.erf(t) - one, 5.9 if fi.nmant > 30 else 3.9),
            *(mpmath.mpf(c) for c in (0.5, 0.875, 1.5, 2.5, 3.5, 4.5)),  # the kernel's seams
        ]
    parts = [_threshold(t, dtype) for t in thresholds]
    parts += [-p for p in parts]
    sub = float(fi.smallest_subnormal)
    parts.append(np.array([sub, -sub, 2 * sub, 1e-300, 6.0, -6.5, 27.5, 30.0], dtype=dtype))
    return np.concatenate(parts)


def _erfc_edges(dtype: np.dtype[Any]) -> np.ndarray:
    fi = np.finfo(dtype)
    big = fi.nmant > 30
    with mpmath.workprec(MP_PREC):
        normal = mpmath.mpf(float(fi.smallest_normal))
        half_sub = mpmath.mpf(float(fi.smallest_subnormal)) / 2
        thresholds = [
            mpmath.findroot(lambda t: mpmath.erfc(t) - normal, 26.5 if big else 9.2),
            mpmath.findroot(lambda t: mpmath.erfc(t) - half_sub, 27.2 if big else 10.0),
            *(mpmath.mpf(c) for c in (0.5, -0.5, 1.5, 2.5, 3.5, 4.5, 27.5)),  # the kernel's seams
        ]
    parts = [_threshold(t, dtype) for t in thresholds]
    sub = float(fi.smallest_subnormal)
    parts.append(np.array([sub, -sub, 1e-300, -6.0, -30.0, 30.0, 100.0], dtype=dtype))
    return np.concatenate(parts)


def _erfc_mp(x: Any) -> Any:
    """Return mpmath's erfc, with a stand-in beyond |x| = 40.

    mpmath's series check overflows for huge arguments; the stand-in rounds like the exact value:
    2^-2000 for x > 40, 2 - 2^-2000 below -40.
    """
    if abs(x) > 40:
        tiny = mpmath.ldexp(1, -2000)
        return tiny if x > 0 else 2 - tiny
    return mpmath.erfc(x)


def _dd_square(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return x^2 as hi + lo exactly (Dekker's product), for |x| < 2^500."""
    c = 134217729.0 * x
    hi = c - (c - x)
    lo = x - hi
    p = x * x
    return p, ((hi * hi - p) + 2 * hi * lo) + lo * lo


def _erfc_fix(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Return `y`, SciPy's erfc, with its values for x >= 0.5 replaced.

    SciPy's float64 erfc is off by tens of ULP from about x = 1 and by far more toward the
    underflow (measured: 60 ULP on [0, 10], 7e12 on [10, 27.3]); exp(-x^2) erfcx(x), with x^2 as a
    double-double and SciPy's erfcx, is within 7 ULP on [0.5, 27.5] (measured against mpmath, 3000
    points per range), and SciPy's erfc within 3 ULP below 0.5 (and 0 beyond 27.5, as it should).
    """
    with np.errstate(all="ignore"):
        p, e = _dd_square(np.where(np.abs(x) <= 27.5, x, 0.0))
        alt = np.exp(-p) * (1 - e) * _scipy_special("erfcx")(x)
    return np.where((x >= 0.5) & (x <= 27.5), alt, y)


# ---- end special helpers ----


# ---- arith helpers ----
def _rounding_edges(dtype: np.dtype[Any]) -> np.ndarray:
    big = 2.0 ** (np.finfo(dtype).nmant)  # from here on every float is an integer
    vals = [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999997, big - 0.5, big + 1, -big + 0.5, 1e30]
    vals += [float(np.nextafter(dtype.type(0.5), dtype.type(0))), 3.5, -3.5, 1e-30, -1e-30]
    return np.array(vals, dtype=dtype)


def _square_edges(dtype: np.dtype[Any]) -> np.ndarray:
    fi = np.finfo(dtype)
    root_max = float(np.sqrt(np.float64(fi.max)))
    root_tiny = float(np.sqrt(np.float64(fi.smallest_normal)))
    return np.concatenate(
        [_threshold(root_max, dtype), _threshold(root_tiny, dtype), _threshold(-root_max, dtype)]
    )


def _reciprocal_edges(dtype: np.dtype[Any]) -> np.ndarray:
    fi = np.finfo(dtype)
    return np.concatenate(
        [
            _threshold(1 / float(fi.max), dtype),  # 1/x overflows below this
            _threshold(1 / float(fi.smallest_normal), dtype),  # and is subnormal above this
            np.array([3.0, -3.0, 7.0, 1e-30], dtype=dtype),
        ]
    )


def _sqrt_edges(dtype: np.dtype[Any]) -> np.ndarray:
    fi = np.finfo(dtype)
    sub = float(fi.smallest_subnormal)
    return np.array([4.0, 2.0, 3.0, sub, 4 * sub, -1.0, -sub, float(fi.max), 1e-30], dtype=dtype)


def _unary_arith(
    numpy: np.ufunc,
    mp: Callable[[Any], Any],
    edges: Callable[[np.dtype[Any]], np.ndarray],
    fp_cases: tuple[tuple[float, str | None], ...] = ((np.nan, None), (np.inf, None), (1.0, None)),
    ranges: tuple[tuple[float, float], ...] = ((-100.0, 100.0), (-1e6, 1e6), (-1.0, 1.0)),
    signs: tuple[float, ...] = (-1.0, 1.0),
) -> Reference:
    return Reference(
        numpy=numpy,
        mpmath=mp,
        ranges={"float64": ranges, "float32": ranges},
        binades={"float64": (-1074, 1023), "float32": (-149, 127)},
        signs=signs,
        edges=edges,
        numpy_ulp={"float64": 0, "float32": 0},
        fp_cases=fp_cases,
    )


def _trunc(x: Any) -> Any:
    return mpmath.floor(x) if x >= 0 else mpmath.ceil(x)


def _reciprocal(x: Any) -> Any:
    return 1 / x if x != 0 else mpmath.inf


def _divide(x: Any, y: Any) -> Any:
    if y != 0:
        return x / y
    return mpmath.nan if x == 0 else mpmath.inf * mpmath.sign(x)


def _nan_max(x: Any, y: Any) -> Any:
    return mpmath.nan if mpmath.isnan(x) or mpmath.isnan(y) else max(x, y)


def _nan_min(x: Any, y: Any) -> Any:
    return mpmath.nan if mpmath.isnan(x) or mpmath.isnan(y) else min(x, y)


def _pair_edges(dtype: np.dtype[Any]) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of a few special and boundary values."""
    fi = np.finfo(dtype)
    vals = [0.0, -0.0, 1.0, -1.0, 2.0, 0.5, 3.0, np.inf, -np.inf, np.nan]
    vals += [float(fi.max), -float(fi.max), float(fi.smallest_normal), float(fi.smallest_subnormal)]
    v = np.array(vals, dtype=dtype)
    return np.repeat(v, v.size), np.tile(v, v.size)


def _binary_arith(
    numpy: np.ufunc,
    mp: Callable[[Any, Any], Any],
    fp_cases: tuple[tuple[float, float, str | None], ...],
) -> Reference2:
    box = ((-100.0, 100.0), (-100.0, 100.0))
    ranges = (box, ((-1e300, 1e300), (-1e-300, 1e300)), ((0.0, 1.0), (0.0, 1.0)))
    ranges32 = (box, ((-1e30, 1e30), (-1e-30, 1e30)), ((0.0, 1.0), (0.0, 1.0)))
    return Reference2(
        numpy=numpy,
        mpmath=mp,
        ranges={"float64": ranges, "float32": ranges32},
        edges=_pair_edges,
        numpy_ulp={"float64": 0, "float32": 0},
        fp_cases=fp_cases,
    )


# ---- end arith helpers ----


REFERENCES: dict[str, Reference | Reference2] = {
    "exp": Reference(
        numpy=np.exp,
        mpmath=mpmath.exp,
        ranges={
            "float64": (
                (-20.0, 20.0),
                (-745.2, 709.8),
                (-1.0, 1.0),
                (-1e-6, 1e-6),
                *_exp_seam_windows(0.03),
            ),
            "float32": (
                (-20.0, 20.0),
                (-104.0, 88.8),
                (-1.0, 1.0),
                (-1e-4, 1e-4),
                *_exp_seam_windows(0.03),
            ),
        },
        binades={"float64": (-1074, 10), "float32": (-149, 7)},
        signs=(-1.0, 1.0),
        edges=_exp_edges,
        numpy_ulp={"float64": 1, "float32": 3},
        fp_cases=(
            (1000.0, "over"),
            (-1000.0, "under"),
            (-800.0, "under"),
            (np.nan, None),
            (np.inf, None),
            (-np.inf, None),
            (0.0, None),
            (1.0, None),
        ),
    ),
    "log": Reference(
        numpy=np.log,
        mpmath=mpmath.log,
        ranges={
            "float64": ((1e-3, 1e3), (0.5, 2.0), (0.99, 1.01), (0.0, 1e300)),
            "float32": ((1e-3, 1e3), (0.5, 2.0), (0.99, 1.01), (0.0, 3e38)),
        },
        binades={"float64": (-1074, 1023), "float32": (-149, 127)},
        signs=(1.0,),
        edges=_log_edges,
        numpy_ulp={"float64": 1, "float32": 4},
        fp_cases=(
            (0.0, "divide"),
            (-0.0, "divide"),
            (-1.0, "invalid"),
            (-np.inf, "invalid"),
            (np.nan, None),
            (np.inf, None),
            (1.0, None),
        ),
    ),
    # ---- explog ----
    "exp2": Reference(
        numpy=np.exp2,
        mpmath=lambda x: mpmath.power(2, x),
        ranges={
            "float64": ((-30.0, 30.0), (-1075.5, 1024.5), (-1.0, 1.0), (-1e-6, 1e-6)),
            "float32": ((-30.0, 30.0), (-150.5, 128.5), (-1.0, 1.0), (-1e-4, 1e-4)),
        },
        binades={"float64": (-1074, 11), "float32": (-149, 8)},
        signs=(-1.0, 1.0),
        edges=_exp2_edges,
        numpy_ulp={"float64": 1, "float32": 2},
        fp_cases=(
            (1024.0, "over"),
            (2000.0, "over"),
            (-1022.5, "under"),
            (-1100.0, "under"),
            (np.nan, None),
            (np.inf, None),
            (-np.inf, None),
            (0.0, None),
            (-126.0, None),
            (-20.5, None),
        ),
    ),
    "expm1": Reference(
        numpy=np.expm1,
        mpmath=mpmath.expm1,
        ranges={
            "float64": ((-10.0, 10.0), (-40.0, 709.8), (-0.4, 0.4), (-1e-6, 1e-6), (-750.0, -30.0)),
            "float32": ((-10.0, 10.0), (-20.0, 88.8), (-0.4, 0.4), (-1e-4, 1e-4), (-110.0, -10.0)),
        },
        binades={"float64": (-1074, 10), "float32": (-149, 7)},
        signs=(-1.0, 1.0),
        edges=_expm1_edges,
        numpy_ulp={"float64": 1, "float32": 3},
        fp_cases=(
            (1000.0, "over"),
            (710.0, "over"),
            (-1000.0, None),
            (np.nan, None),
            (np.inf, None),
            (-np.inf, None),
            (0.0, None),
            (-0.0, None),
            (1e-20, None),
        ),
    ),
    "log2": Reference(
        numpy=np.log2,
        mpmath=lambda x: mpmath.log(x, 2),
        ranges={
            "float64": ((1e-3, 1e3), (0.5, 2.0), (0.99, 1.01), (0.0, 1e300)),
            "float32": ((1e-3, 1e3), (0.5, 2.0), (0.99, 1.01), (0.0, 3e38)),
        },
        binades={"float64": (-1074, 1023), "float32": (-149, 127)},
        signs=(1.0,),
        edges=_log2_edges,
        numpy_ulp={"float64": 1, "float32": 3},
        fp_cases=(
            (0.0, "divide"),
            (-0.0, "divide"),
            (-1.0, "invalid"),
            (-np.inf, "invalid"),
            (np.nan, None),
            (np.inf, None),
            (1.0, None),
        ),
    ),
    "log10": Reference(
        numpy=np.log10,
        mpmath=mpmath.log10,
        ranges={
            "float64": ((1e-3, 1e3), (0.5, 2.0), (0.99, 1.01), (0.0, 1e300)),
            "float32": ((1e-3, 1e3), (0.5, 2.0), (0.99, 1.01), (0.0, 3e38)),
        },
        binades={"float64": (-1074, 1023), "float32": (-149, 127)},
        signs=(1.0,),
        edges=_log10_edges,
        numpy_ulp={"float64": 1, "float32": 4},
        fp_cases=(
            (0.0, "divide"),
            (-0.0, "divide"),
            (-1.0, "invalid"),
            (-np.inf, "invalid"),
            (np.nan, None),
            (np.inf, None),
            (1.0, None),
        ),
    ),
    "log1p": Reference(
        numpy=np.log1p,
        mpmath=mpmath.log1p,
        ranges={
            "float64": ((-0.5, 10.0), (-1.0, 1.0), (-1e-6, 1e-6), (0.0, 1e300), (-0.3, 0.42)),
            "float32": ((-0.5, 10.0), (-1.0, 1.0), (-1e-4, 1e-4), (0.0, 3e38), (-0.3, 0.42)),
        },
        binades={"float64": (-1074, 1023), "float32": (-149, 127)},
        signs=(1.0,),
        edges=_log1p_edges,
        numpy_ulp={"float64": 1, "float32": 2},
        fp_cases=(
            (-1.0, "divide"),
            (-2.0, "invalid"),
            (-np.inf, "invalid"),
            (np.nan, None),
            (np.inf, None),
            (0.0, None),
            (-0.0, None),
            (1e-20, None),
        ),
    ),
    # ---- end explog ----
    # ---- trig ----
    "sin": Reference(
        numpy=np.sin,
        mpmath=mpmath.sin,
        ranges=_TRIG_RANGES,
        binades={"float64": (-1074, 1023), "float32": (-149, 127)},
        signs=(-1.0, 1.0),
        edges=_trig_edges,
        numpy_ulp={"float64": 1, "float32": 2},
        fp_cases=_TRIG_FP_CASES,
    ),
    "cos": Reference(
        numpy=np.cos,
        mpmath=mpmath.cos,
        ranges=_TRIG_RANGES,
        binades={"float64": (-1074, 1023), "float32": (-149, 127)},
        signs=(-1.0, 1.0),
        edges=_trig_edges,
        numpy_ulp={"float64": 1, "float32": 2},
        fp_cases=_TRIG_FP_CASES,
    ),
    "tan": Reference(
        numpy=np.tan,
        mpmath=mpmath.tan,
        ranges=_TRIG_RANGES,
        binades={"float64": (-1074, 1023), "float32": (-149, 127)},
        signs=(-1.0, 1.0),
        edges=_trig_edges,
        numpy_ulp={"float64": 1, "float32": 4},
        fp_cases=_TRIG_FP_CASES,
    ),
    # ---- end trig ----
    # ---- invtrig ----
    "arcsin": Reference(
        numpy=np.arcsin,
        mpmath=mpmath.asin,
        ranges={
            "float64": ((-1.0, 1.0), (0.5, 1.0), (0.99, 1.0), (-0.6, -0.4), (-1e-6, 1e-6)),
            "float32": ((-1.0, 1.0), (0.5, 1.0), (0.99, 1.0), (-0.6, -0.4), (-1e-4, 1e-4)),
        },
        binades={"float64": (-1074, -1), "float32": (-149, -1)},
        signs=(-1.0, 1.0),
        edges=_asin_edges,
        numpy_ulp={"float64": 1, "float32": 4},
        fp_cases=_ASIN_FP_CASES,
    ),
    "arccos": Reference(
        numpy=np.arccos,
        mpmath=mpmath.acos,
        ranges={
            "float64": ((-1.0, 1.0), (0.5, 1.0), (0.99, 1.0), (-1.0, -0.99), (-0.6, -0.4)),
            "float32": ((-1.0, 1.0), (0.5, 1.0), (0.99, 1.0), (-1.0, -0.99), (-0.6, -0.4)),
        },
        binades={"float64": (-1074, -1), "float32": (-149, -1)},
        signs=(-1.0, 1.0),
        edges=_asin_edges,
        numpy_ulp={"float64": 1, "float32": 3},
        fp_cases=_ASIN_FP_CASES,
    ),
    "arctan": Reference(
        numpy=np.arctan,
        mpmath=mpmath.atan,
        ranges={
            "float64": ((-10.0, 10.0), (0.5, 2.0), (0.9, 1.1), (-1e-6, 1e-6), (-1e20, 1e20)),
            "float32": ((-10.0, 10.0), (0.5, 2.0), (0.9, 1.1), (-1e-4, 1e-4), (-1e20, 1e20)),
        },
        binades={"float64": (-1074, 1023), "float32": (-149, 127)},
        signs=(-1.0, 1.0),
        edges=_atan_edges,
        numpy_ulp={"float64": 1, "float32": 3},
        fp_cases=(
            (np.inf, None),
            (-np.inf, None),
            (np.nan, None),
            (0.0, None),
            (-0.0, None),
            (1e-40, None),
            (1e30, None),
            (1.0, None),
        ),
    ),
    "arctan2": Reference2(
        numpy=np.arctan2,
        mpmath=_mp_atan2,
        ranges={
            "float64": (
                ((-10.0, 10.0), (-10.0, 10.0)),
                ((-1e300, 1e300), (-1e300, 1e300)),
                ((-1e-300, 1e-300), (-1.0, 1.0)),
                ((0.0, 1.0), (-1.0, 0.0)),
            ),
            "float32": (
                ((-10.0, 10.0), (-10.0, 10.0)),
                ((-1e38, 1e38), (-1e38, 1e38)),
                ((-1e-37, 1e-37), (-1.0, 1.0)),
                ((0.0, 1.0), (-1.0, 0.0)),
            ),
        },
        edges=_arctan2_edges,
        numpy_ulp={"float64": 2, "float32": 2},
        fp_cases=(
            (0.0, -0.0, None),
            (np.inf, -np.inf, None),
            (np.nan, 1.0, None),
            (1e-300, 1e300, "under"),
            (1e-310, -1.0, None),
            (1.0, 2.0, None),
        ),
    ),
    # ---- end invtrig ----
    # ---- hyperbolic ----
    "sinh": Reference(
        numpy=np.sinh,
        mpmath=mpmath.sinh,
        ranges={
            "float64": ((-5.0, 5.0), (-710.5, 710.5), (-0.35, 0.35), (0.3, 0.4), (-1e-6, 1e-6)),
            "float32": ((-5.0, 5.0), (-89.5, 89.5), (-0.35, 0.35), (0.3, 0.4), (-1e-4, 1e-4)),
        },
        binades={"float64": (-1074, 10), "float32": (-149, 7)},
        signs=(-1.0, 1.0),
        edges=_sinh_cosh_edges,
        numpy_ulp={"float64": 1, "float32": 2},
        fp_cases=(
            (1000.0, "over"),
            (-1000.0, "over"),
            (np.nan, None),
            (np.inf, None),
            (-np.inf, None),
            (0.0, None),
            (1e-310, None),
            (1.0, None),
        ),
    ),
    "cosh": Reference(
        numpy=np.cosh,
        mpmath=mpmath.cosh,
        ranges={
            "float64": ((-5.0, 5.0), (-710.5, 710.5), (-0.35, 0.35), (-1e-6, 1e-6)),
            "float32": ((-5.0, 5.0), (-89.5, 89.5), (-0.35, 0.35), (-1e-4, 1e-4)),
        },
        binades={"float64": (-1074, 10), "float32": (-149, 7)},
        signs=(-1.0, 1.0),
        edges=_sinh_cosh_edges,
        numpy_ulp={"float64": 1, "float32": 3},
        fp_cases=(
            (1000.0, "over"),
            (-1000.0, "over"),
            (np.nan, None),
            (np.inf, None),
            (-np.inf, None),
            (0.0, None),
            (1.0, None),
        ),
    ),
    "tanh": Reference(
        numpy=np.tanh,
        mpmath=mpmath.tanh,
        ranges={
            "float64": ((-3.0, 3.0), (-20.0, 20.0), (-0.2, 0.2), (-1e-6, 1e-6)),
            "float32": ((-3.0, 3.0), (-10.0, 10.0), (-0.2, 0.2), (-1e-4, 1e-4)),
        },
        binades={"float64": (-1074, 6), "float32": (-149, 5)},
        signs=(-1.0, 1.0),
        edges=_tanh_edges,
        numpy_ulp={"float64": 2, "float32": 2},
        fp_cases=(
            (np.nan, None),
            (np.inf, None),
            (-np.inf, None),
            (0.0, None),
            (1e-310, None),
            (1000.0, None),
            (1.0, None),
        ),
    ),
    "arcsinh": Reference(
        numpy=np.arcsinh,
        mpmath=mpmath.asinh,
        ranges={
            "float64": ((-10.0, 10.0), (-1.0, 1.0), (-1e-6, 1e-6), (-1e300, 1e300)),
            "float32": ((-10.0, 10.0), (-1.0, 1.0), (-1e-4, 1e-4), (-3e38, 3e38)),
        },
        binades={"float64": (-1074, 1023), "float32": (-149, 127)},
        signs=(-1.0, 1.0),
        edges=_arcsinh_edges,
        numpy_ulp={"float64": 1, "float32": 2},
        fp_cases=(
            (np.nan, None),
            (np.inf, None),
            (-np.inf, None),
            (0.0, None),
            (1e-310, None),
            (1.0, None),
        ),
    ),
    "arccosh": Reference(
        numpy=np.arccosh,
        mpmath=mpmath.acosh,
        ranges={
            "float64": ((1.0, 10.0), (1.0, 1.001), (1.0, 1e300)),
            "float32": ((1.0, 10.0), (1.0, 1.001), (1.0, 3e38)),
        },
        binades={"float64": (0, 1023), "float32": (0, 127)},
        signs=(1.0,),
        edges=_arccosh_edges,
        numpy_ulp={"float64": 1, "float32": 2},
        fp_cases=(
            (0.5, "invalid"),
            (0.0, "invalid"),
            (-1.0, "invalid"),
            (-np.inf, "invalid"),
            (np.nan, None),
            (np.inf, None),
            (1.0, None),
        ),
    ),
    "arctanh": Reference(
        numpy=np.arctanh,
        mpmath=mpmath.atanh,
        ranges={
            "float64": ((-0.99, 0.99), (-1.0, 1.0), (-1e-6, 1e-6), (0.999, 1.0)),
            "float32": ((-0.99, 0.99), (-1.0, 1.0), (-1e-4, 1e-4), (0.999, 1.0)),
        },
        binades={"float64": (-1074, -1), "float32": (-149, -1)},
        signs=(-1.0, 1.0),
        edges=_arctanh_edges,
        numpy_ulp={"float64": 1, "float32": 2},
        fp_cases=(
            (1.0, "divide"),
            (-1.0, "divide"),
            (1.5, "invalid"),
            (-np.inf, "invalid"),
            (np.inf, "invalid"),
            (np.nan, None),
            (0.0, None),
            (0.5, None),
        ),
    ),
    # ---- end hyperbolic ----
    # ---- powers ----
    "hypot": Reference2(
        numpy=np.hypot,
        mpmath=lambda x, y: mpmath.sqrt(x * x + y * y),
        ranges={
            "float64": (
                ((-100.0, 100.0), (-100.0, 100.0)),
                ((-1e300, 1e300), (-1e300, 1e300)),
                ((-1e-300, 1e-300), (-1e-300, 1e-300)),
                ((0.0, 1.0), (0.0, 1e-9)),
            ),
            "float32": (
                ((-100.0, 100.0), (-100.0, 100.0)),
                ((-1e38, 1e38), (-1e38, 1e38)),
                ((-1e-37, 1e-37), (-1e-37, 1e-37)),
                ((0.0, 1.0), (0.0, 1e-5)),
            ),
        },
        edges=_hypot_edges,
        numpy_ulp={"float64": 1, "float32": 1},
        fp_cases=(
            (np.inf, np.nan, None),
            (np.nan, 1.0, None),
            (3e-320, 4e-320, "under"),
            (1.5e308, 1.5e308, "over"),
            (3.0, 4.0, None),
        ),
    ),
    "power": Reference2(
        numpy=np.power,
        mpmath=_mp_power,
        ranges={
            "float64": (
                ((0.0, 2.0), (-3.0, 3.0)),
                ((0.0, 100.0), (-150.0, 150.0)),
                ((0.99, 1.01), (-1e5, 1e5)),
                ((-10.0, 10.0), (-10.0, 10.0)),
                ((0.0, 1e300), (-1.0, 1.0)),
            ),
            "float32": (
                ((0.0, 2.0), (-3.0, 3.0)),
                ((0.0, 100.0), (-20.0, 20.0)),
                ((0.99, 1.01), (-1e3, 1e3)),
                ((-10.0, 10.0), (-10.0, 10.0)),
                ((0.0, 1e38), (-1.0, 1.0)),
            ),
        },
        edges=_power_edges,
        numpy_ulp={"float64": 1, "float32": 1},
        fp_cases=(
            (np.nan, 0.0, None),
            (1.0, np.nan, None),
            (-1.0, np.inf, None),
            (-2.0, 0.5, "invalid"),
            (0.0, -1.0, "divide"),
            (-0.0, -3.0, "divide"),
            (2.0, 2000.0, "over"),
            (2.0, -1074.0, "under"),
            (2.0, -1022.0, None),
            (-np.inf, 3.0, None),
            (3.0, 2.0, None),
        ),
    ),
    "cbrt": Reference(
        numpy=np.cbrt,
        mpmath=_mp_cbrt,
        ranges={
            "float64": ((-1e3, 1e3), (0.5, 8.0), (-1.0, 1.0), (-1e300, 1e300)),
            "float32": ((-1e3, 1e3), (0.5, 8.0), (-1.0, 1.0), (-3e38, 3e38)),
        },
        binades={"float64": (-1074, 1023), "float32": (-149, 127)},
        signs=(-1.0, 1.0),
        edges=_cbrt_edges,
        numpy_ulp={"float64": 2, "float32": 2},
        fp_cases=(
            (0.0, None),
            (-0.0, None),
            (np.inf, None),
            (-np.inf, None),
            (np.nan, None),
            (-8.0, None),
            (1e-30, None),
            (1e30, None),
        ),
    ),
    # ---- end powers ----
    # ---- special ----
    # Results below the smallest normal number report underflow (IEEE 754); SciPy's ufuncs report
    # no errors at all, so fp_cases lists only inputs where the two agree.
    "expit": Reference(
        numpy=_special_ufunc("expit", _expit_mp, _expit_fix),
        mpmath=_expit_mp,
        ranges={
            "float64": ((-20.0, 20.0), (-746.0, 40.0), (-1.0, 1.0), (-1e-6, 1e-6)),
            "float32": ((-20.0, 20.0), (-104.0, 18.0), (-1.0, 1.0), (-1e-4, 1e-4)),
        },
        binades={"float64": (-1074, 10), "float32": (-149, 7)},
        signs=(-1.0, 1.0),
        edges=_expit_edges,
        numpy_ulp={"float64": 2, "float32": 1},
        fp_cases=(
            (np.nan, None),
            (np.inf, None),
            (-np.inf, None),
            (0.0, None),
            (1.0, None),
            (-50.0, None),
        ),
    ),
    "erf": Reference(
        numpy=_special_ufunc("erf", mpmath.erf),
        mpmath=mpmath.erf,
        ranges={
            "float64": ((-3.0, 3.0), (-6.0, 6.0), (-1.0, 1.0), (0.8, 0.95), (-1e-6, 1e-6)),
            "float32": ((-3.0, 3.0), (-4.0, 4.0), (-1.0, 1.0), (0.8, 0.95), (-1e-4, 1e-4)),
        },
        binades={"float64": (-1074, 3), "float32": (-149, 2)},
        signs=(-1.0, 1.0),
        edges=_erf_edges,
        numpy_ulp={"float64": 3, "float32": 1},
        fp_cases=(
            (np.nan, None),
            (np.inf, None),
            (-np.inf, None),
            (0.0, None),
            (-0.0, None),
            (1.0, None),
            (-10.0, None),
        ),
    ),
    "erfc": Reference(
        numpy=_special_ufunc("erfc", _erfc_mp, _erfc_fix),
        mpmath=_erfc_mp,
        ranges={
            "float64": ((-3.0, 10.0), (-6.0, 27.3), (-1.0, 1.0), (0.4, 0.6), (4.4, 4.6)),
            "float32": ((-3.0, 9.0), (-4.0, 10.1), (-1.0, 1.0), (0.4, 0.6), (4.4, 4.6)),
        },
        binades={"float64": (-1074, 5), "float32": (-149, 4)},
        signs=(-1.0, 1.0),
        edges=_erfc_edges,
        numpy_ulp={"float64": 7, "float32": 1},
        fp_cases=(
            (np.nan, None),
            (np.inf, None),
            (-np.inf, None),
            (0.0, None),
            (1.0, None),
            (5.0, None),
            (-30.0, None),
        ),
    ),
    # ---- end special ----
    # ---- arith ----
    "absolute": _unary_arith(np.absolute, mpmath.fabs, _rounding_edges),
    "negative": _unary_arith(np.negative, lambda x: -x, _rounding_edges),
    "square": _unary_arith(
        np.square,
        lambda x: x * x,
        _square_edges,
        ((np.nan, None), (np.inf, None), (3.0, None)),  # over/underflow: edges, per dtype
    ),
    "reciprocal": _unary_arith(
        np.reciprocal,
        _reciprocal,
        _reciprocal_edges,
        ((0.0, "divide"), (-0.0, "divide"), (np.inf, None), (np.nan, None)),
    ),
    "sqrt": _unary_arith(
        np.sqrt,
        mpmath.sqrt,
        _sqrt_edges,
        ((-1.0, "invalid"), (-np.inf, "invalid"), (-0.0, None), (np.inf, None), (np.nan, None)),
        ranges=((0.0, 100.0), (0.0, 1e6), (0.0, 1.0)),
        signs=(1.0,),
    ),
    "floor": _unary_arith(np.floor, mpmath.floor, _rounding_edges),
    "ceil": _unary_arith(np.ceil, mpmath.ceil, _rounding_edges),
    "trunc": _unary_arith(np.trunc, _trunc, _rounding_edges),
    "rint": _unary_arith(np.rint, mpmath.nint, _rounding_edges),
    "add": _binary_arith(
        np.add,
        lambda x, y: x + y,
        (
            (1e308, 1e308, "over"),
            (np.inf, -np.inf, "invalid"),
            (1.0, 2.0, None),
            (np.nan, 1.0, None),
        ),
    ),
    "subtract": _binary_arith(
        np.subtract,
        lambda x, y: x - y,
        ((1e308, -1e308, "over"), (np.inf, np.inf, "invalid"), (1.0, 2.0, None)),
    ),
    "multiply": _binary_arith(
        np.multiply,
        lambda x, y: x * y,
        (
            (1e200, 1e200, "over"),
            (1e-200, 1e-200, "under"),
            (0.0, np.inf, "invalid"),
            (2.0**-1000, 2.0**-50, None),
            (3.0, 2.0, None),
        ),
    ),
    "divide": _binary_arith(
        np.divide,
        _divide,
        (
            (1.0, 0.0, "divide"),
            (0.0, 0.0, "invalid"),
            (np.inf, np.inf, "invalid"),
            (1e300, 1e-300, "over"),
            (1e-300, 1e300, "under"),
            (1.0, np.inf, None),
        ),
    ),
    "maximum": _binary_arith(
        np.maximum, _nan_max, ((np.nan, 1.0, None), (1.0, np.nan, None), (-0.0, 0.0, None))
    ),
    "minimum": _binary_arith(
        np.minimum, _nan_min, ((np.nan, 1.0, None), (1.0, np.nan, None), (-0.0, 0.0, None))
    ),
    # ---- end arith ----
}


def _entry(name: str) -> Reference | Reference2:
    try:
        return REFERENCES[name]
    except KeyError:
        raise AssertionError(
            f"registry function {name!r} has no entry in tests/_reference.py REFERENCES"
        ) from None


def reference(name: str) -> Reference:
    """Return the entry of unary `name`; a missing one is a test failure, not a skip."""
    ref = _entry(name)
    assert isinstance(ref, Reference), f"{name} is not unary"
    return ref


def reference2(name: str) -> Reference2:
    """Return the entry of binary `name`."""
    ref = _entry(name)
    assert isinstance(ref, Reference2), f"{name} is not binary"
    return ref


#: The registry's one-argument functions, which the unary test matrices run.
UNARY: list[dict[str, Any]] = [row for row in REGISTRY if row["nin"] == 1]
UNARY_NAMES = [row["name"] for row in UNARY]
#: The two-argument functions (tests/test_binary.py).
BINARY: list[dict[str, Any]] = [row for row in REGISTRY if row["nin"] == 2]
BINARY_NAMES = [row["name"] for row in BINARY]

#: ``(name, dtype name)`` for every unary registry function and each of its dtypes.
CASES: list[tuple[str, str]] = [(row["name"], dt) for row in UNARY for dt in row["dtypes"]]
CASE_IDS = [f"{name}-{dt}" for name, dt in CASES]
#: The same for the binary functions.
BINARY_CASES: list[tuple[str, str]] = [(row["name"], dt) for row in BINARY for dt in row["dtypes"]]
BINARY_CASE_IDS = [f"{name}-{dt}" for name, dt in BINARY_CASES]


def registry_row(name: str) -> dict[str, Any]:
    """Return the registry row for `name`."""
    return next(row for row in REGISTRY if row["name"] == name)


def ulp_bound(name: str, dtype: str) -> float:
    """Parmath's documented maximum error, in ULP, from the registry."""
    return float(registry_row(name)["ulp"][dtype])


def numpy_tolerance(name: str, dtype: str) -> float:
    """How many steps parmath may be from NumPy: its own bound plus NumPy's."""
    return float(np.ceil(ulp_bound(name, dtype))) + _entry(name).numpy_ulp[dtype]


def numpy_has_integer_loops(name: str) -> bool:
    """Whether NumPy's ufunc has integer or boolean loops (``absolute``, ``add``, ``floor`` ...).

    parmath's ufuncs have float loops only: integers are computed in float64 as ``numpy.sqrt``
    computes them, so where NumPy keeps integers the tests expect the float result instead, and
    NumPy's error messages (which depend on its loop list) are not compared word for word.
    """
    return any(t[0] in "?bBhHiIlLqQ" for t in _entry(name).numpy.types)


def in_domain(name: str, n: int, dtype: Any = np.float64) -> np.ndarray:
    """`n` evenly spaced values well inside the function's typical range (its first range)."""
    lo, hi = reference(name).ranges[np.dtype(dtype).name][0]
    # Off-centre fractions, so that a symmetric range never yields 0 (reciprocal's pole).
    fractions = 0.1 + 0.8 * (np.arange(n) + 0.37) / n
    return (lo + (hi - lo) * fractions).astype(dtype)


def ufunc(name: str) -> np.ufunc:
    """Parmath's ufunc for `name`."""
    f: np.ufunc = getattr(parmath, name)
    return f


# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------


#: Special inputs every function is checked on (NaN, infinities, zeros, subnormals, extremes).
def common_specials(dtype: np.dtype[Any]) -> np.ndarray:
    fi = np.finfo(dtype)
    vals = [np.nan, -np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0, 0.5, 2.0]
    for v in (fi.smallest_subnormal, fi.smallest_normal, fi.max):
        vals += [float(v), -float(v)]
    return np.array(vals, dtype=dtype)


def edge_inputs(name: str, dtype: Any) -> np.ndarray:
    """Return the common specials plus the function's own edge cases, in `dtype`."""
    dtype = np.dtype(dtype)
    return np.concatenate([common_specials(dtype), reference(name).edges(dtype)])


def random_inputs(
    name: str, dtype: Any, n: int, rng: np.random.Generator, *, typical: bool = False
) -> np.ndarray:
    """`n` random inputs for `name`: uniform over its ranges and log-uniform over its binades.

    With ``typical=True`` only the first (typical) range is used.
    """
    dtype = np.dtype(dtype)
    ref = reference(name)
    ranges = ref.ranges[dtype.name][:1] if typical else ref.ranges[dtype.name]
    parts = [rng.uniform(lo, hi, n) for lo, hi in ranges]
    if not typical:
        lo, hi = ref.binades[dtype.name]
        mags = np.exp2(rng.uniform(lo, hi + 1, n))
        parts.append(mags * rng.choice(ref.signs, n))
    pooled = np.concatenate(parts)
    with np.errstate(over="ignore", under="ignore"):
        return rng.choice(pooled, n, replace=False).astype(dtype)


def random_bits(dtype: Any, n: int, rng: np.random.Generator) -> np.ndarray:
    """`n` uniformly random bit patterns viewed as `dtype`: every binade, sign, NaN and inf."""
    dtype = np.dtype(dtype)
    udt = np.dtype(f"u{dtype.itemsize}")
    return rng.integers(0, np.iinfo(udt).max, n, dtype=udt, endpoint=True).view(dtype)


def sprinkle_specials(x: np.ndarray, rng: np.random.Generator, count: int = 32) -> np.ndarray:
    """Return a copy of 1-D `x` with common special values written at random positions."""
    out = x.copy()
    if out.size == 0:
        return out
    specials = common_specials(out.dtype)
    k = min(count, out.size // 4)
    if k:
        pos = rng.choice(out.size, k, replace=False)
        out[pos] = rng.choice(specials, k)
    return out


# ---------------------------------------------------------------------------------------------
# The accuracy data set (shared by test_accuracy and test_isa; mpmath work is done once)
# ---------------------------------------------------------------------------------------------

#: Points per (function, dtype) measured against mpmath, besides edges and NumPy's data set.
ACCURACY_RANDOM = 12_000
ACCURACY_SPACED = 3_000
ACCURACY_BITS = 2_000


def numpy_validation_set(name: str, dtype: str) -> tuple[np.ndarray, np.ndarray, int] | None:
    """NumPy's own hard cases for `name` (inputs, correctly rounded outputs, NumPy's ULP target).

    Read from the ``umath-validation-set-<name>.csv`` files NumPy ships with its tests; None when
    this NumPy has none for the function.
    """
    for core in ("_core", "core"):  # NumPy 2, NumPy 1
        path = (
            Path(np.__file__).parent / core / "tests" / "data" / f"umath-validation-set-{name}.csv"
        )
        if path.exists():
            break
    else:
        return None
    udt = np.dtype(f"u{np.dtype(dtype).itemsize}")
    xs, ys, tols = [], [], []
    for line in path.read_text().splitlines():
        fields = line.split(",")
        if len(fields) != 4 or fields[0] != f"np.{dtype}":
            continue
        xs.append(int(fields[1], 16))
        ys.append(int(fields[2], 16))
        tols.append(int(fields[3]))
    if not xs:
        return None
    return (
        np.array(xs, dtype=udt).view(dtype),
        np.array(ys, dtype=udt).view(dtype),
        max(tols),
    )


@functools.cache
def accuracy_inputs(name: str, dtype: str) -> np.ndarray:
    """Return the inputs whose errors are measured against mpmath.

    Random (uniform and log-uniform), evenly spaced, random-bit and edge inputs, plus NumPy's
    validation inputs when available. Read-only, the same in every process.
    """
    rng = np.random.default_rng(zlib.crc32(f"accuracy-{name}-{dtype}".encode()))
    ranges = reference(name).ranges[dtype]
    per_range = ACCURACY_SPACED // len(ranges)
    with np.errstate(over="ignore"):
        spaced = [np.linspace(lo, hi, per_range).astype(dtype) for lo, hi in ranges]
    parts = [
        random_inputs(name, dtype, ACCURACY_RANDOM, rng),
        *spaced,
        random_bits(dtype, ACCURACY_BITS, rng),
        edge_inputs(name, dtype),
    ]
    csv = numpy_validation_set(name, dtype)
    if csv is not None:
        parts.append(csv[0])
    x = np.concatenate(parts)
    x.flags.writeable = False
    return x


@functools.cache
def accuracy_exact(name: str, dtype: str) -> Exact:
    """Mpmath's values at :func:`accuracy_inputs`, computed once per run."""
    return exact_values(reference(name).mpmath, accuracy_inputs(name, dtype), dtype)


#: ULP statistics recorded by :func:`measure_accuracy`: label -> (max, mean, count); conftest
#: prints them at the end of the run.
ACCURACY_STATS: dict[str, tuple[float, float, int]] = {}


def measure_accuracy(name: str, dtype: str, y: np.ndarray, label: str) -> tuple[float, str]:
    """Record the ULP errors of results `y` on :func:`accuracy_inputs`.

    Returns the maximum error and a description of the worst inputs.
    """
    x = accuracy_inputs(name, dtype)
    exact = accuracy_exact(name, dtype)
    err = ulp_errors(y, exact)
    measured = exact.measured
    worst, mean = float(err.max()), float(err[measured].mean())
    ACCURACY_STATS[label] = (worst, mean, int(measured.sum()))
    print(f"{label}: max {worst:.4f} ULP, mean {mean:.4f} ULP over {int(measured.sum())} points")
    bound = ulp_bound(name, dtype)
    header = f"{int((err > bound).sum())} of {err.size} results exceed {bound} ULP; worst:"
    return worst, header + "\n" + describe_worst(x, y, err)

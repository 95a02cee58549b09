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


# ---- end explog helpers ----


# ---- trig helpers ----


# ---- end trig helpers ----


# ---- invtrig helpers ----


# ---- end invtrig helpers ----


# ---- hyperbolic helpers ----


# ---- end hyperbolic helpers ----


# ---- powers helpers ----


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


# ---- end arith helpers ----


REFERENCES: dict[str, Reference] = {
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
    # ---- end explog ----
    # ---- trig ----
    # ---- end trig ----
    # ---- invtrig ----
    # ---- end invtrig ----
    # ---- hyperbolic ----
    # ---- end hyperbolic ----
    # ---- powers ----
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
    # ---- end arith ----
}


def reference(name: str) -> Reference:
    """Return the entry for `name`; a missing one is a test failure, not a skip."""
    try:
        return REFERENCES[name]
    except KeyError:
        raise AssertionError(
            f"registry function {name!r} has no entry in tests/_reference.py REFERENCES"
        ) from None


#: ``(name, dtype name)`` for every registry function and each of its dtypes.
CASES: list[tuple[str, str]] = [(row["name"], dt) for row in REGISTRY for dt in row["dtypes"]]
CASE_IDS = [f"{name}-{dt}" for name, dt in CASES]


def registry_row(name: str) -> dict[str, Any]:
    """Return the registry row for `name`."""
    return next(row for row in REGISTRY if row["name"] == name)


def ulp_bound(name: str, dtype: str) -> float:
    """Parmath's documented maximum error, in ULP, from the registry."""
    return float(registry_row(name)["ulp"][dtype])


def numpy_tolerance(name: str, dtype: str) -> float:
    """How many steps parmath may be from NumPy: its own bound plus NumPy's."""
    return float(np.ceil(ulp_bound(name, dtype))) + reference(name).numpy_ulp[dtype]


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

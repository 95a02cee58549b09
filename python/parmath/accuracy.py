"""The ``parmath accuracy`` command: ULP errors of parmath and NumPy against mpmath.

For every function of ``parmath._core.registry()`` (or those given with ``--func``) and every
dtype (float64, float32), the command draws ``--points`` inputs, evaluates the function exactly
once per input with mpmath at `MP_PREC` bits, and measures on the same inputs the error of
parmath's result and of the reference implementation's (numpy's ufunc of the same name;
``scipy.special``'s for erf/erfc/expit and for the functions numpy lacks, when scipy is
importable; a dash when there is none).  It prints a table and writes the Markdown report
(``--output``, default ``docs/accuracy.md``) between the markers `BEGIN_MARKER` and
`END_MARKER`, leaving the rest of the file as it is.

Methodology
-----------
* Error of a result ``y``: ``|y - exact| / ulp(exact)``, where ``ulp(exact)`` is the spacing of
  the dtype's floats in the binade of ``exact`` (fixed at the subnormal spacing below the
  smallest normal number).  ``exact`` is not rounded to the dtype first, so a correctly rounded
  result scores at most 0.5.  See `exact_values` and `ulp_errors`.
* Not measured: inputs outside the function's real domain (mpmath answers with a complex
  number, an infinity or an exception) and inputs whose correctly rounded result overflows;
  those results are special values, tested elsewhere.  A non-finite result where the exact one
  is finite is not measured either, but counted in the notes.
* Points, per function and dtype (`DOMAINS`, one `Domain` per function; `DEFAULT_DOMAIN` for the
  others): `UNIFORM_SHARE` uniform on the function's typical ranges, `LOG_SHARE` log-uniform
  magnitudes across its whole domain (or the domain's own `Domain.wide` sampler) and the rest
  random bit patterns (finite ones, inside the domain).  Two-input functions sample each input
  so and pair them.  The generator is seeded from ``--seed``, the function name and the dtype.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import math
import os
import shlex
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from .bench import reference_ufunc

if TYPE_CHECKING:
    from types import ModuleType

Array = npt.NDArray[Any]
Range = tuple[float, float]

SEED = 20240601
DEFAULT_POINTS = 20_000
DEFAULT_OUTPUT = Path("docs/accuracy.md")
DTYPES = ("float64", "float32")
#: mpmath's working precision in bits: the exact values carry far more bits than any dtype.
MP_PREC = 120
#: Share of the points drawn uniformly on the typical ranges, and log-uniformly (or by
#: `Domain.wide`) over the whole domain; the rest are random bit patterns inside the domain.
UNIFORM_SHARE = 0.4
LOG_SHARE = 0.3
#: The generated part of the report lies between these lines; the rest of the file is kept.
BEGIN_MARKER = "<!-- accuracy:begin -->"
END_MARKER = "<!-- accuracy:end -->"
DESCRIPTION = (
    "Measure the ULP error of parmath and NumPy against mpmath on the same points; "
    "print a table and write it into a Markdown report."
)
INF = math.inf


# ----------------------------------------------------------------------------
# Input domains
# ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Input:
    """Where one input of a function is sampled.

    ``ranges`` are the typical ranges (uniform points, an equal share each); ``span`` is the
    whole domain, ``(low, high)`` with infinities meaning the dtype's largest float, or a
    mapping from dtype name to such a pair.  Log-uniform magnitudes and random bit patterns
    are drawn inside the span.
    """

    ranges: tuple[Range, ...] = ((-10.0, 10.0),)
    span: Range | Mapping[str, Range] = (-INF, INF)

    def span_for(self, dtype: np.dtype[Any]) -> Range:
        """Return the span for `dtype`, clipped to its finite floats."""
        span = self.span if isinstance(self.span, tuple) else self.span[dtype.name]
        big = float(np.finfo(dtype).max)
        return max(span[0], -big), min(span[1], big)


Sampler = Callable[[np.random.Generator, int, np.dtype[Any]], list[Array]]
SkipRule = Callable[[Sequence[Array]], Array]


@dataclass(frozen=True)
class Domain:
    """Input domain of a function: one `Input` per argument (the last repeats).

    ``wide`` replaces the log-uniform share with points of its own (see `_power_wide`);
    ``skip`` marks points whose result is known to overflow or underflow far beyond the dtype,
    left unmeasured without asking mpmath (which can take long there).
    """

    inputs: tuple[Input, ...] = (Input(),)
    wide: Sampler | None = None
    skip: SkipRule | None = None

    def input(self, index: int) -> Input:
        """Return the `Input` of argument `index`."""
        return self.inputs[min(index, len(self.inputs) - 1)]


def _per_dtype(float64: Range, float32: Range) -> dict[str, Range]:
    return {"float64": float64, "float32": float32}


def _power_wide(rng: np.random.Generator, n: int, dtype: np.dtype[Any]) -> list[Array]:
    """Pairs over the whole range whose power stays mostly within the dtype.

    ``x`` is log-uniform over every positive binade and ``y = t / log2(x)`` with ``t`` (the
    result's binary exponent) uniform over the dtype's exponents; a quarter of the pairs are
    negative ``x`` with integer ``y``.
    """
    fi = np.finfo(dtype)
    low, high = math.log2(float(fi.smallest_subnormal)), float(fi.maxexp)
    e = rng.uniform(low, high, n)
    x = np.exp2(e)
    y = rng.uniform(low, high, n) / np.where(e == 0.0, 1.0, e)
    negative = rng.random(n) < 0.25
    x[negative] = -np.exp2(rng.uniform(-8.0, 8.0, int(negative.sum())))
    y[negative] = rng.integers(-60, 61, int(negative.sum()))
    return [x.astype(dtype), y.astype(dtype)]


def _power_skip(args: Sequence[Array]) -> Array:
    """Pairs with ``|y log2|x|| > 1200``: far outside every dtype's range."""
    x, y = (a.astype(np.float64) for a in args)
    with np.errstate(all="ignore"):
        t = np.abs(y * np.log2(np.abs(x)))
    skip: Array = t > 1200.0
    return skip


_ANY = Input()
_WHOLE = Input(((-100.0, 100.0), (-10.0, 10.0)))
_POSITIVE = Input(((0.5, 2.0), (0.0, 100.0)), (0.0, INF))
_UNIT = Input(((-1.0, 1.0),), (-1.0, 1.0))
_TRIG = Input(((-3.5, 3.5), (-1e5, 1e5)), (-1e300, 1e300))

#: Per function: where its inputs are sampled.  Unknown names get `DEFAULT_DOMAIN`.
DOMAINS: dict[str, Domain] = {
    "exp": Domain(
        (Input(((-1.0, 1.0), (-50.0, 50.0)), _per_dtype((-746.0, 710.0), (-104.0, 89.0))),)
    ),
    "exp2": Domain(
        (Input(((-1.0, 1.0), (-50.0, 50.0)), _per_dtype((-1075.0, 1024.0), (-150.0, 128.0))),)
    ),
    "exp10": Domain(
        (Input(((-1.0, 1.0), (-20.0, 20.0)), _per_dtype((-324.0, 309.0), (-46.0, 39.0))),)
    ),
    "expm1": Domain(
        (Input(((-1.0, 1.0), (-20.0, 20.0)), _per_dtype((-746.0, 710.0), (-104.0, 89.0))),)
    ),
    "log": Domain((_POSITIVE,)),
    "log2": Domain((_POSITIVE,)),
    "log10": Domain((_POSITIVE,)),
    "log1p": Domain((Input(((-0.5, 1.0), (-1.0, 10.0)), (-1.0, INF)),)),
    "sqrt": Domain((Input(((0.0, 100.0),), (0.0, INF)),)),
    "cbrt": Domain((_WHOLE,)),
    "sin": Domain((_TRIG,)),
    "cos": Domain((_TRIG,)),
    "tan": Domain((_TRIG,)),
    "arcsin": Domain((_UNIT,)),
    "arccos": Domain((_UNIT,)),
    "arctan": Domain((Input(((-10.0, 10.0), (-1.0, 1.0))),)),
    "sinh": Domain(
        (Input(((-5.0, 5.0), (-50.0, 50.0)), _per_dtype((-711.0, 711.0), (-90.0, 90.0))),)
    ),
    "cosh": Domain(
        (Input(((-5.0, 5.0), (-50.0, 50.0)), _per_dtype((-711.0, 711.0), (-90.0, 90.0))),)
    ),
    "tanh": Domain((Input(((-5.0, 5.0), (-1.0, 1.0)), (-40.0, 40.0)),)),
    "arcsinh": Domain((Input(((-10.0, 10.0), (-1.0, 1.0))),)),
    "arccosh": Domain((Input(((1.0, 10.0), (1.0, 1.5)), (1.0, INF)),)),
    "arctanh": Domain((_UNIT,)),
    "erf": Domain((Input(((-3.0, 3.0),), (-10.0, 10.0)),)),
    "erfc": Domain((Input(((-3.0, 3.0), (0.0, 27.0)), _per_dtype((-10.0, 27.3), (-10.0, 10.1))),)),
    "expit": Domain(
        (Input(((-10.0, 10.0), (-50.0, 50.0)), _per_dtype((-746.0, 746.0), (-104.0, 104.0))),)
    ),
    "logit": Domain((Input(((0.0, 1.0),), (0.0, 1.0)),)),
    "logaddexp": Domain((Input(((-20.0, 20.0), (-1000.0, 1000.0)), (-1e5, 1e5)),)),
    "logaddexp2": Domain((Input(((-20.0, 20.0), (-1000.0, 1000.0)), (-1e5, 1e5)),)),
    "hypot": Domain((_ANY, _ANY)),
    "arctan2": Domain((_ANY, _ANY)),
    "power": Domain(
        (Input(((0.0, 10.0),), (0.0, INF)), Input(((-30.0, 30.0),), (-1100.0, 1100.0))),
        wide=_power_wide,
        skip=_power_skip,
    ),
    **{name: Domain((_WHOLE,)) for name in ("absolute", "fabs", "negative", "reciprocal")},
    **{name: Domain((_WHOLE,)) for name in ("floor", "ceil", "trunc", "rint")},
    "square": Domain((Input(_WHOLE.ranges, _per_dtype((-1.35e154, 1.35e154), (-1.9e19, 1.9e19))),)),
    **{
        name: Domain((_WHOLE, _WHOLE))
        for name in ("add", "subtract", "multiply", "divide", "true_divide", "maximum", "minimum")
    },
    **{name: Domain((_WHOLE, _WHOLE)) for name in ("fmod", "copysign", "fmax", "fmin")},
}

#: The domain of a function missing from `DOMAINS`: [-10, 10] and the whole float range.
DEFAULT_DOMAIN = Domain((_ANY,))


def domain(name: str) -> Domain:
    """Return the input domain of function `name` (`DEFAULT_DOMAIN` when it has none)."""
    return DOMAINS.get(name, DEFAULT_DOMAIN)


# ----------------------------------------------------------------------------
# Sampling
# ----------------------------------------------------------------------------


def _uniform(rng: np.random.Generator, n: int, spec: Input, dtype: np.dtype[Any]) -> Array:
    """`n` points uniform on the typical ranges, an equal share each (``(low, high]``)."""
    ranges = np.array(spec.ranges, dtype=np.float64)
    pick = rng.integers(0, len(ranges), n)
    low, high = ranges[pick, 0], ranges[pick, 1]
    values: Array = (high - (high - low) * rng.random(n)).astype(dtype)
    return values


def _log_uniform(rng: np.random.Generator, n: int, spec: Input, dtype: np.dtype[Any]) -> Array:
    """`n` points with log-uniform magnitudes across the span (both signs where it has them)."""
    low, high = spec.span_for(dtype)
    tiny = float(np.finfo(dtype).smallest_subnormal)
    sides: list[tuple[float, float, float]] = []  # (sign, smallest, largest magnitude)
    if high > 0:
        sides.append((1.0, max(low, tiny), high))
    if low < 0:
        sides.append((-1.0, max(-high, tiny), -low))
    if not sides:  # a span of zero only
        return np.zeros(n, dtype=dtype)
    pick = rng.integers(0, len(sides), n)
    side = np.array(sides)[pick]
    exponent = rng.uniform(np.log2(side[:, 1]), np.log2(side[:, 2]))
    values: Array = (side[:, 0] * np.exp2(exponent)).astype(dtype)
    np.clip(values, np.asarray(low, dtype=dtype), np.asarray(high, dtype=dtype), out=values)
    return values


def _random_bits(rng: np.random.Generator, n: int, spec: Input, dtype: np.dtype[Any]) -> Array:
    """`n` finite random bit patterns inside the span (log-uniform ones if too few are)."""
    low, high = spec.span_for(dtype)
    utype = np.dtype(f"u{dtype.itemsize}")
    found: list[Array] = []
    count = 0
    for _ in range(50):
        if count >= n:
            break
        draw = rng.integers(0, np.iinfo(utype).max, 2 * n, dtype=utype, endpoint=True).view(dtype)
        with np.errstate(invalid="ignore"):
            keep = draw[np.isfinite(draw) & (draw >= low) & (draw <= high)]
        found.append(keep)
        count += keep.size
    values = np.concatenate([*found, np.empty(0, dtype=dtype)])[:n]
    if values.size < n:
        values = np.concatenate([values, _log_uniform(rng, n - values.size, spec, dtype)])
    return values


def sample_inputs(name: str, nin: int, dtype: npt.DTypeLike, n: int, seed: int) -> list[Array]:
    """Return the `nin` input arrays of `n` points for function `name` in `dtype`.

    Parameters
    ----------
    name : str
        Function name; its domain comes from `DOMAINS` (`DEFAULT_DOMAIN` if absent).
    nin : int
        Number of inputs (1 or 2).
    dtype : dtype_like
        float32 or float64.
    n : int
        Number of points.
    seed : int
        Base seed; the generator is seeded from it, `name` and `dtype`.

    Returns
    -------
    list of numpy.ndarray
        `nin` arrays of `n` values: `UNIFORM_SHARE` uniform on the typical ranges, `LOG_SHARE`
        log-uniform over the domain (or `Domain.wide`'s points) and the rest random bits.
    """
    dt_ = np.dtype(dtype)
    rng = np.random.default_rng([seed, zlib.crc32(name.encode()), dt_.itemsize])
    dom = domain(name)
    n_uniform = round(n * UNIFORM_SHARE)
    n_log = round(n * LOG_SHARE)
    n_bits = n - n_uniform - n_log
    parts: list[list[Array]] = [
        [_uniform(rng, n_uniform, dom.input(i), dt_) for i in range(nin)],
        (
            dom.wide(rng, n_log, dt_)
            if dom.wide is not None
            else [_log_uniform(rng, n_log, dom.input(i), dt_) for i in range(nin)]
        ),
        [_random_bits(rng, n_bits, dom.input(i), dt_) for i in range(nin)],
    ]
    return [np.concatenate([part[i] for part in parts]).astype(dt_) for i in range(nin)]


# ----------------------------------------------------------------------------
# Exact values and ULP errors
# ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ExactValues:
    """Exact values in units of the ULP of their binade in a dtype, for `ulp_errors`.

    Each exact value ``e`` is ``(hi + lo) * 2**scale`` with ``hi + lo`` (a double-double, about
    106 bits of ``e``) in units of ``ulp(e)``; ``measured`` is False where ``e`` is missing,
    non-finite or rounds to an infinity in the dtype.
    """

    measured: Array
    scale: Array
    hi: Array
    lo: Array


def _mantissa_exponent(value: object) -> tuple[int, int, int] | None:
    """Return ``(sign, man, exp)`` with ``value = (-1)**sign * man * 2**exp``, or None.

    None for values that are not finite reals (``None``, mpmath's complex numbers, infinities
    and NaNs).  Takes mpmath's ``mpf`` and Python floats and ints.
    """
    mpf = getattr(value, "_mpf_", None)
    if mpf is not None:
        sign, man, exp, bc = mpf
        if man == 0 and (exp, bc) != (0, 0):  # mpmath's inf, -inf and nan
            return None
        return int(sign), int(man), int(exp)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not math.isfinite(value):
        return None
    num, den = value.as_integer_ratio()
    return int(num < 0), abs(num), 1 - den.bit_length()


def exact_values(values: Sequence[object], dtype: npt.DTypeLike) -> ExactValues:
    """Prepare exact values for measuring results in `dtype` against them.

    Parameters
    ----------
    values : sequence
        Exact values: mpmath ``mpf`` numbers (or Python floats/ints); anything else (None, an
        ``mpc``, an infinity, NaN) is left unmeasured.
    dtype : dtype_like
        float32 or float64: the dtype whose ULP is the unit.

    Returns
    -------
    ExactValues
        The values split as `ExactValues` says; the ones whose correctly rounded value
        overflows (``|e| >= max + ulp(max) / 2``) are unmeasured.
    """
    fi = np.finfo(np.dtype(dtype))
    p = int(fi.nmant) + 1
    emin = int(fi.minexp)
    emax = int(fi.maxexp) - 1
    n = len(values)
    measured = np.zeros(n, dtype=bool)
    scale = np.full(n, emin - (p - 1), dtype=np.int64)
    hi = np.zeros(n)
    lo = np.zeros(n)
    for i, value in enumerate(values):
        parts = _mantissa_exponent(value)
        if parts is None:
            continue
        sign, man, exp = parts
        if man == 0:
            measured[i] = True
            continue
        binade = exp + man.bit_length() - 1  # 2**binade <= |e| < 2**(binade + 1)
        if binade > emax:
            continue
        s = max(binade, emin) - (p - 1)
        shift = exp - s  # |e| in ulps = man * 2**shift, below 2**p
        up, down = max(shift, 0), max(-shift, 0)
        if binade == emax and (man << (up + 1)) >= ((1 << (p + 1)) - 1) << down:
            continue  # rounds past the largest float
        if shift >= 0:
            units = man << shift
            h = float(units)
            low = float(units - int(h))
        else:
            h = man / (1 << down)  # correctly rounded int division
            num, den = h.as_integer_ratio()
            low = (man * den - (num << down)) / (den << down)
        measured[i] = True
        scale[i] = s
        hi[i], lo[i] = (-h, -low) if sign else (h, low)
    return ExactValues(measured, scale, hi, lo)


def ulp_errors(got: npt.ArrayLike, exact: ExactValues) -> Array:
    """Return ``|got - e| / ulp(e)`` for every point, NaN where it is not measured.

    Parameters
    ----------
    got : array_like
        Results (float32 or float64), one per exact value.
    exact : ExactValues
        From `exact_values` in the results' dtype.

    Returns
    -------
    numpy.ndarray
        float64 errors in ULP; NaN where the exact value is unmeasured or `got` is not finite.
    """
    y = np.asarray(got).reshape(-1).astype(np.float64)
    with np.errstate(all="ignore"):
        units = np.ldexp(y, (-exact.scale).astype(np.int32))  # exact power-of-two scaling
        err: Array = np.abs((units - exact.hi) - exact.lo)
    err[~exact.measured | ~np.isfinite(y)] = np.nan
    return err


def ulp_error(got: float, exact: object, dtype: npt.DTypeLike) -> float:
    """Return the error in ULP of one result `got` against one `exact` value (NaN: unmeasured).

    Examples
    --------
    >>> ulp_error(1.0, 1.0 + 2.0**-52, "float64")
    1.0
    """
    return float(ulp_errors(np.array([got], dtype=dtype), exact_values([exact], dtype))[0])


# ----------------------------------------------------------------------------
# mpmath references
# ----------------------------------------------------------------------------

MpFunc = Callable[..., Any]


def mpmath_functions(mp: Any) -> dict[str, MpFunc]:
    """Return the mpmath definition of every function this command knows, by numpy name.

    Parameters
    ----------
    mp : module
        The ``mpmath`` module.

    Returns
    -------
    dict
        Name to a function of one or two ``mpf`` arguments; functions missing here are
        reported without errors.
    """

    def cbrt(x: Any) -> Any:
        return -mp.cbrt(-x) if x < 0 else mp.cbrt(x)

    def trunc(x: Any) -> Any:
        return mp.floor(x) if x >= 0 else mp.ceil(x)

    def logaddexp(a: Any, b: Any) -> Any:
        m, d = max(a, b), abs(a - b)
        return m if d > 2000 else m + mp.log1p(mp.exp(-d))

    def logaddexp2(a: Any, b: Any) -> Any:
        m, d = max(a, b), abs(a - b)
        return m if d > 3000 else m + mp.log1p(mp.power(2, -d)) / mp.log(2)

    def fmod(a: Any, b: Any) -> Any:
        return mp.mpf(math.fmod(float(a), float(b)))  # exact in binary floating point

    def copysign(a: Any, b: Any) -> Any:
        return abs(a) if b >= 0 else -abs(a)

    return {
        "exp": mp.exp,
        "exp2": lambda x: mp.power(2, x),
        "exp10": lambda x: mp.power(10, x),
        "expm1": mp.expm1,
        "log": mp.log,
        "log2": lambda x: mp.log(x, 2),
        "log10": mp.log10,
        "log1p": mp.log1p,
        "sqrt": mp.sqrt,
        "cbrt": cbrt,
        "sin": mp.sin,
        "cos": mp.cos,
        "tan": mp.tan,
        "arcsin": mp.asin,
        "arccos": mp.acos,
        "arctan": mp.atan,
        "sinh": mp.sinh,
        "cosh": mp.cosh,
        "tanh": mp.tanh,
        "arcsinh": mp.asinh,
        "arccosh": mp.acosh,
        "arctanh": mp.atanh,
        "erf": mp.erf,
        "erfc": mp.erfc,
        "expit": lambda x: 1 / (1 + mp.exp(-x)),
        "logit": lambda x: mp.log(x / (1 - x)),
        "deg2rad": lambda x: x * mp.pi / 180,
        "radians": lambda x: x * mp.pi / 180,
        "rad2deg": lambda x: x * 180 / mp.pi,
        "degrees": lambda x: x * 180 / mp.pi,
        "absolute": abs,
        "fabs": abs,
        "negative": lambda x: -x,
        "square": lambda x: x * x,
        "reciprocal": lambda x: 1 / x,
        "floor": mp.floor,
        "ceil": mp.ceil,
        "trunc": trunc,
        "rint": mp.nint,  # ties to even
        "add": lambda a, b: a + b,
        "subtract": lambda a, b: a - b,
        "multiply": lambda a, b: a * b,
        "divide": lambda a, b: a / b,
        "true_divide": lambda a, b: a / b,
        "maximum": max,
        "minimum": min,
        "fmax": max,
        "fmin": min,
        "fmod": fmod,
        "copysign": copysign,
        "hypot": mp.hypot,
        "power": mp.power,
        "arctan2": mp.atan2,
        "logaddexp": logaddexp,
        "logaddexp2": logaddexp2,
    }


def evaluate_exact(
    mp: Any, func: MpFunc, args: Sequence[Array], skip: Array | None = None
) -> list[object]:
    """Evaluate `func` at every point at `MP_PREC` bits (None where it fails or is skipped)."""
    columns = [a.astype(np.float64).tolist() for a in args]
    skipped = skip.tolist() if skip is not None else [False] * len(columns[0])
    mpf = mp.mpf
    out: list[object] = []
    with mp.workprec(MP_PREC):
        for point, leave in zip(zip(*columns, strict=True), skipped, strict=True):
            if leave or not all(map(math.isfinite, point)):
                out.append(None)
                continue
            try:
                out.append(func(*map(mpf, point)))
            except (ValueError, ZeroDivisionError, OverflowError):
                out.append(None)
    return out


# ----------------------------------------------------------------------------
# Measuring
# ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Stats:
    """Errors of one implementation on the measured points."""

    max_ulp: float | None
    mean_ulp: float | None
    nonfinite: int


def error_stats(got: npt.ArrayLike, exact: ExactValues) -> Stats:
    """Max and mean ULP error of `got` and how many non-finite results had finite exact ones."""
    err = ulp_errors(got, exact)
    valid = err[~np.isnan(err)]
    y = np.asarray(got).reshape(-1)
    nonfinite = int(np.count_nonzero(exact.measured & ~np.isfinite(y)))
    if not valid.size:
        return Stats(None, None, nonfinite)
    return Stats(float(valid.max()), float(valid.mean()), nonfinite)


@dataclass(frozen=True)
class Row:
    """One function and dtype: both implementations' errors on the same points."""

    func: str
    dtype: str
    points: int
    measured: int
    parmath: Stats | None
    numpy: Stats | None
    reference: str
    bound: float | None
    seconds: float
    note: str = ""

    @property
    def over_bound(self) -> bool:
        """Whether parmath's max error exceeds the documented bound."""
        worst = self.parmath.max_ulp if self.parmath else None
        return worst is not None and self.bound is not None and worst > self.bound


def measure(
    pm: ModuleType, mp: Any, entry: Mapping[str, Any], dtype: str, points: int, seed: int
) -> Row:
    """Measure one registry function in one dtype.

    Parameters
    ----------
    pm : module
        The parmath module.
    mp : module
        The mpmath module.
    entry : mapping
        The function's registry row (``name``, ``nin``, ``ulp`` ...).
    dtype : str
        float64 or float32.
    points : int
        Number of points to draw.
    seed : int
        Base seed (see `sample_inputs`).

    Returns
    -------
    Row
        parmath's and the reference implementation's errors against mpmath.
    """
    start = time.perf_counter()
    name, nin = str(entry["name"]), int(entry["nin"])
    bound = entry.get("ulp", {}).get(dtype)
    bound = None if bound is None else float(bound)
    ref, ref_name = reference_ufunc(name)
    mp_func = mpmath_functions(mp).get(name)
    if mp_func is None:
        return Row(name, dtype, points, 0, None, None, ref_name, bound, 0.0, "no mpmath reference")
    args = sample_inputs(name, nin, dtype, points, seed)
    dom = domain(name)
    exact = exact_values(
        evaluate_exact(mp, mp_func, args, dom.skip(args) if dom.skip else None), dtype
    )
    with np.errstate(all="ignore"):
        got = np.asarray(getattr(pm, name)(*args))
        theirs = np.asarray(ref(*args)).astype(dtype) if ref is not None else None
    return Row(
        func=name,
        dtype=dtype,
        points=points,
        measured=int(exact.measured.sum()),
        parmath=error_stats(got, exact),
        numpy=error_stats(theirs, exact) if theirs is not None else None,
        reference=ref_name,
        bound=bound,
        seconds=time.perf_counter() - start,
    )


# ----------------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------------

TABLE_HEAD = (
    "function",
    "dtype",
    "parmath max ULP",
    "parmath mean",
    "NumPy max",
    "NumPy mean",
    "documented bound",
)


def _ulp(value: float | None) -> str:
    if value is None:
        return "-"
    return "inf" if math.isinf(value) else f"{value:.4f}"


def table_cells(row: Row) -> list[str]:
    """Return the cells of `row` under `TABLE_HEAD`."""
    pm, ref = row.parmath, row.numpy
    return [
        row.func,
        row.dtype,
        _ulp(pm.max_ulp if pm else None),
        _ulp(pm.mean_ulp if pm else None),
        _ulp(ref.max_ulp if ref else None),
        _ulp(ref.mean_ulp if ref else None),
        "-" if row.bound is None else f"{row.bound:g}",
    ]


def format_table(rows: Sequence[Row]) -> list[str]:
    """Lay out the rows as aligned text columns (head first)."""
    table = [list(TABLE_HEAD), *(table_cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(TABLE_HEAD))]
    align = ["<", "<", *[">"] * (len(TABLE_HEAD) - 2)]
    return [
        "  ".join(f"{c:{a}{w}}" for c, a, w in zip(line, align, widths, strict=True)).rstrip()
        for line in table
    ]


def markdown_table(rows: Sequence[Row]) -> list[str]:
    """Return the rows as a Markdown table; parmath's max in bold where over its bound."""
    lines = [
        "| " + " | ".join(TABLE_HEAD) + " |",
        "| --- | --- | " + " | ".join(["---:"] * (len(TABLE_HEAD) - 2)) + " |",
    ]
    for row in rows:
        cells = table_cells(row)
        if row.over_bound:
            cells[2] = f"**{cells[2]}**"
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def row_notes(rows: Sequence[Row]) -> list[str]:
    """Return notes on the rows: references other than numpy, missing ones, unmeasured points."""
    notes: list[str] = []
    for row in rows:
        label = f"{row.func} {row.dtype}"
        if row.note:
            notes.append(f"{label}: {row.note}")
            continue
        if not row.reference.startswith("numpy."):
            shown = row.reference if row.numpy is not None else f"no reference ({row.reference})"
            notes.append(f"{label}: NumPy columns: {shown}")
        if row.measured < 0.9 * row.points:
            notes.append(
                f"{label}: {row.measured} of {row.points} points measured "
                "(the others: outside the real domain or overflowing)"
            )
        for who, stats in (("parmath", row.parmath), ("NumPy", row.numpy)):
            if stats is not None and stats.nonfinite:
                notes.append(
                    f"{label}: {who} gave {stats.nonfinite} non-finite results where the exact "
                    "one is finite (not measured)"
                )
        if row.over_bound:
            notes.append(f"{label}: parmath's max error exceeds the documented bound")
    return notes


METHOD = """\
Method: for each function and dtype, the points are drawn once ({uniform:.0%} uniform on the
function's typical ranges, {log:.0%} log-uniform magnitudes across its domain -- for `power`,
pairs whose result spans every binade -- and the rest random finite bit patterns inside the
domain; the domains are the table `DOMAINS` in `python/parmath/accuracy.py`), each is evaluated
once with mpmath at {prec} bits, and parmath and NumPy (`scipy.special` where noted) are measured
on the same points. The error of a result `y` is `|y - exact| / ulp(exact)`, `ulp` being the
spacing of the dtype's floats in the binade of the exact value (the subnormal spacing below the
smallest normal), with the exact value not rounded first: a correctly rounded result scores at
most 0.5. Inputs outside the real domain, results that overflow and non-finite results are not
measured (special values are tested in `tests/`). The documented bound is the registry's
(`parmath._core.registry()`); a bold maximum exceeds it. Sampling cannot find every worst case:
the float32 sweeps above cover every input."""


def _versions() -> dict[str, str]:
    found = {}
    for name in ("scipy", "mpmath"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        found[name] = str(getattr(module, "__version__", "?"))
    return found


@dataclass(frozen=True)
class Settings:
    """Parsed command-line options."""

    funcs: tuple[str, ...]
    dtypes: tuple[str, ...]
    points: int
    seed: int
    output: Path
    quiet: bool
    command: str

    @classmethod
    def from_args(cls, args: argparse.Namespace, names: Sequence[str]) -> Settings:
        """Build settings from parsed options; `names` are the registry's functions.

        Raises
        ------
        UsageError
            If ``--func`` names a function that is not in the registry.
        """
        funcs = _flatten(args.func) or tuple(names)
        unknown = [name for name in funcs if name not in names]
        if unknown:
            msg = (
                f"unknown function{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} "
                f"(the registry has: {', '.join(names)})"
            )
            raise UsageError(msg)
        command = getattr(args, "command_line", None) or shlex.join(
            ["parmath", "accuracy", *sys.argv[2:]]
        )
        return cls(
            funcs=funcs,
            dtypes=_flatten(args.dtype) or DTYPES,
            points=args.points,
            seed=args.seed,
            output=args.output,
            quiet=args.quiet,
            command=command,
        )


class UsageError(ValueError):
    """Raised for options that parse but name something that does not exist."""


def report_block(
    rows: Sequence[Row], info: Mapping[str, Any], settings: Settings, notes: Sequence[str] = ()
) -> str:
    """Return the generated Markdown block, markers included; `notes` go under the table."""
    versions = info["versions"]
    libs = ", ".join(f"{name} {version}" for name, version in versions.items())
    lines = [
        BEGIN_MARKER,
        "## Sampled against mpmath: parmath and NumPy (`parmath accuracy`)",
        "",
        "<!-- Generated by `parmath accuracy` (`make accuracy`); edits here are overwritten. -->",
        "",
        f"Generated {info['date']} by `{settings.command}`: parmath {info['version']}, "
        f"ISA `{info['isa']}`, NumPy {info['numpy']}" + (f", {libs}" if libs else "") + ". "
        f"{settings.points:,} points per function and dtype (seed {settings.seed}).",
        "",
        *markdown_table(rows),
        "",
    ]
    if notes:
        lines += ["Notes:", "", *(f"- {note}" for note in notes), ""]
    method = METHOD.format(uniform=UNIFORM_SHARE, log=LOG_SHARE, prec=MP_PREC)
    lines += [method, END_MARKER]
    return "\n".join(lines)


def merge_report(old: str | None, block: str) -> str:
    """Put `block` in place of the marked block of `old` (appended if it has none)."""
    if old is None:
        return f"# Accuracy\n\n{block}\n"
    start = old.find(BEGIN_MARKER)
    end = old.find(END_MARKER, start + 1) if start >= 0 else -1
    if start < 0 or end < 0:
        return f"{old.rstrip()}\n\n{block}\n"
    return old[:start] + block + old[end + len(END_MARKER) :]


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to a temporary file next to `path`, then rename it over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        if path.exists():
            os.chmod(temp, path.stat().st_mode & 0o777)
        else:
            os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


# ----------------------------------------------------------------------------
# Command line
# ----------------------------------------------------------------------------


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        msg = f"expected a positive integer, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def _dtype_list(text: str) -> list[str]:
    names = _names(text)
    if not names or any(name not in DTYPES for name in names):
        msg = f"invalid choice {text!r} (choose from {', '.join(DTYPES)})"
        raise argparse.ArgumentTypeError(msg)
    return names


def _flatten(groups: list[list[str]] | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for group in groups or [] for name in group))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``parmath accuracy`` options to `parser`.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The (sub)parser to extend.
    """
    add = parser.add_argument
    add(
        "--func",
        type=_names,
        action="append",
        help="registry functions (repeatable or comma list; default all)",
    )
    add(
        "--dtype",
        type=_dtype_list,
        action="append",
        help="float64, float32 (repeatable or comma list; default both)",
    )
    add(
        "--points",
        type=_positive_int,
        default=DEFAULT_POINTS,
        help="points per function and dtype (default %(default)s)",
    )
    add("--seed", type=int, default=SEED, help="random seed (default %(default)s)")
    add(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        metavar="PATH",
        help=(
            "Markdown report; the part between the accuracy markers is replaced, the rest kept "
            "(default %(default)s)"
        ),
    )
    add("--quiet", action="store_true", help="no progress lines on stderr")


def _execute(settings: Settings, pm: ModuleType, mp: Any, registry: Sequence[Any]) -> int:
    start = time.perf_counter()
    pm_info = pm.info()
    info = {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "version": pm_info.get("version", "?"),
        "isa": pm_info.get("isa", "?"),
        "numpy": np.__version__,
        "versions": _versions(),
    }
    print(f"parmath accuracy -- {info['date']}", flush=True)
    print(f"command : {settings.command}", flush=True)
    print(
        f"parmath : {info['version']}, isa={info['isa']}; numpy {info['numpy']}; "
        + ", ".join(f"{k} {v}" for k, v in info["versions"].items()),
        flush=True,
    )
    print(f"points  : {settings.points:,} per function and dtype, seed {settings.seed}", flush=True)
    entries = {str(entry["name"]): entry for entry in registry}
    skipped = [
        name
        for name in settings.funcs
        if int(entries[name]["nin"]) not in (1, 2) or int(entries[name].get("nout", 1)) != 1
    ]
    jobs = [
        (entries[name], dtype)
        for name in settings.funcs
        if name not in skipped
        for dtype in settings.dtypes
        if dtype in entries[name].get("dtypes", DTYPES)
    ]
    rows: list[Row] = []
    for index, (entry, dtype) in enumerate(jobs, 1):
        if not settings.quiet:
            print(f"[{index}/{len(jobs)}] {entry['name']} {dtype} ...", file=sys.stderr, flush=True)
        rows.append(measure(pm, mp, entry, dtype, settings.points, settings.seed))
    print("\n".join(["", *format_table(rows)]), flush=True)
    notes = row_notes(rows)
    if skipped:
        notes.append(f"left out (not one or two inputs and one output): {', '.join(skipped)}")
    print("\n".join(f"note: {note}" for note in notes), flush=True)
    old = settings.output.read_text(encoding="utf-8") if settings.output.exists() else None
    write_atomically(settings.output, merge_report(old, report_block(rows, info, settings, notes)))
    print(f"wrote {settings.output} in {time.perf_counter() - start:.1f} s", flush=True)
    return 0


def run(args: argparse.Namespace) -> int:
    """Run ``parmath accuracy`` with options parsed by a parser from `add_arguments`.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed options.

    Returns
    -------
    int
        Exit status: 0 on success, 1 when mpmath is missing or the report cannot be written,
        2 for an unknown function, 130 if interrupted.
    """
    try:
        core = importlib.import_module("parmath._core")
        registry = list(core.registry())
        settings = Settings.from_args(args, [str(entry["name"]) for entry in registry])
        try:
            mp = importlib.import_module("mpmath")
        except ImportError:
            print(
                "parmath accuracy: error: mpmath is needed as the exact reference "
                "(pip install mpmath, or pip install parmath[test])",
                file=sys.stderr,
            )
            return 1
        return _execute(settings, importlib.import_module("parmath"), mp, registry)
    except UsageError as exc:
        print(f"parmath accuracy: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("parmath accuracy: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"parmath accuracy: error: {exc}", file=sys.stderr)
        return 1


def main(argv: list[str] | None = None) -> int:
    """Entry point for ``parmath accuracy``.

    Parameters
    ----------
    argv : list of str, optional
        Arguments after ``accuracy``; defaults to ``sys.argv[1:]``.

    Returns
    -------
    int
        Exit status; 2 for invalid options, with argparse's message on stderr.
    """
    parser = argparse.ArgumentParser(prog="parmath accuracy", description=DESCRIPTION)
    add_arguments(parser)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse error (2) or --help (0)
        return exc.code if isinstance(exc.code, int) else 2
    args.command_line = shlex.join(
        ["parmath", "accuracy", *(sys.argv[1:] if argv is None else argv)]
    )
    return run(args)


if __name__ == "__main__":
    sys.exit(main())

"""parmath's two-argument ufuncs against NumPy and mpmath.

Broadcasting (scalars, rows, columns), layouts of each operand, lengths around the SIMD and block
sizes and the parallel threshold, out=/where=/in place, NumPy's reductions (which pass overlapping
operands), floating-point errors, float16, integer promotion, and accuracy against mpmath.
"""

from __future__ import annotations

import zlib
from typing import Any

import numpy as np
import pytest

import parmath
from _helpers import (
    assert_ulp_close,
    describe_worst,
    exact_values,
    fp_errors,
    same_specials,
    ulp_errors,
)
from _reference import (
    BINARY_CASE_IDS,
    BINARY_CASES,
    BINARY_NAMES,
    numpy_tolerance,
    reference2,
    ufunc,
    ulp_bound,
)

THRESHOLD = parmath.info()["parallel_threshold"]
LENGTHS = [0, 1, 7, 8, 9, 17, 255, 257, 511, 513, 4097, THRESHOLD - 1, THRESHOLD + 1, 300_001]
LAYOUTS = ["contiguous", "stride2", "reversed", "misaligned", "scalar"]


def seed(*parts: Any) -> int:
    return zlib.crc32(repr(parts).encode())


def pairs(name: str, dtype: str, n: int, *, typical: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """`n` random pairs from the function's boxes, with special pairs sprinkled in."""
    ref = reference2(name)
    rng = np.random.default_rng(seed(name, dtype, n, typical))
    boxes = ref.ranges[dtype][:1] if typical else ref.ranges[dtype]
    k = max(1, n // len(boxes) + 1)
    xs = np.concatenate([rng.uniform(*bx, k) for bx, _ in boxes])
    ys = np.concatenate([rng.uniform(*by, k) for _, by in boxes])
    pick = rng.permutation(xs.size)[:n]
    with np.errstate(over="ignore", under="ignore"):
        x, y = xs[pick].astype(dtype), ys[pick].astype(dtype)
    ex, ey = ref.edges(np.dtype(dtype))
    if n >= 64:
        pos = rng.choice(n, min(ex.size, n // 4), replace=False)
        x[pos], y[pos] = ex[: pos.size], ey[: pos.size]
    return x, y


def expect(name: str, *args: Any, **kwargs: Any) -> Any:
    with np.errstate(all="ignore"):
        return reference2(name).numpy(*args, **kwargs)


def call(name: str, *args: Any, **kwargs: Any) -> Any:
    with np.errstate(all="ignore"):
        return ufunc(name)(*args, **kwargs)


def check(name: str, dtype: str, got: Any, want: Any) -> None:
    assert type(got) is type(want)
    assert_ulp_close(got, want, numpy_tolerance(name, dtype))


def layout(x: np.ndarray, how: str) -> np.ndarray:
    """Return the values of 1-D `x` in a memory layout ("scalar" broadcasts element 0)."""
    n, dt = x.size, x.dtype
    if how == "contiguous":
        return x.copy()
    if how == "stride2":
        buf = np.full(2 * n, -7.0, dtype=dt)
        buf[::2] = x
        return buf[::2]
    if how == "reversed":
        return x[::-1].copy()[::-1]
    if how == "misaligned":
        raw = np.zeros(n * dt.itemsize + 1, dtype=np.uint8)
        view = raw[1:].view(dt)
        view[...] = x
        return view
    if how == "scalar":
        return np.broadcast_to(x[:1], x.shape) if n else x.copy()
    raise AssertionError(how)


@pytest.mark.parametrize("n", LENGTHS)
@pytest.mark.parametrize(("name", "dtype"), BINARY_CASES, ids=BINARY_CASE_IDS)
def test_lengths_match_numpy(name: str, dtype: str, n: int) -> None:
    x, y = pairs(name, dtype, n)
    check(name, dtype, call(name, x, y), expect(name, x, y))


@pytest.mark.parametrize("lx", LAYOUTS)
@pytest.mark.parametrize("ly", LAYOUTS)
@pytest.mark.parametrize(("name", "dtype"), BINARY_CASES, ids=BINARY_CASE_IDS)
def test_layouts_match_numpy(name: str, dtype: str, lx: str, ly: str) -> None:
    for n in (1037, 300_001):
        x, y = pairs(name, dtype, n)
        a, b = layout(x, lx), layout(y, ly)
        check(name, dtype, call(name, a, b), expect(name, a, b))


@pytest.mark.parametrize(("name", "dtype"), BINARY_CASES, ids=BINARY_CASE_IDS)
def test_broadcasting_matches_numpy(name: str, dtype: str) -> None:
    x, y = pairs(name, dtype, 600)
    col, row = x.reshape(-1, 1)[:30], y[:20]
    check(name, dtype, call(name, col, row), expect(name, col, row))  # 30 x 20 outer grid
    scalar = y.dtype.type(y[3])
    check(name, dtype, call(name, x, scalar), expect(name, x, scalar))
    check(name, dtype, call(name, scalar, x), expect(name, scalar, x))
    # 0-d operands give NumPy scalars.
    got, want = call(name, x[5], y[5]), expect(name, x[5], y[5])
    assert type(got) is type(want)
    same_specials(np.array(got), np.array(want))
    big = pairs(name, dtype, 2 * THRESHOLD)
    grid_x, grid_y = big[0].reshape(2, -1), big[1][:THRESHOLD].reshape(1, -1)
    check(name, dtype, call(name, grid_x, grid_y), expect(name, grid_x, grid_y))


@pytest.mark.parametrize(("name", "dtype"), BINARY_CASES, ids=BINARY_CASE_IDS)
def test_out_where_and_in_place(name: str, dtype: str) -> None:
    for n in (513, 300_001):
        x, y = pairs(name, dtype, n)
        out = np.full(n, 42.0, dtype=dtype)
        got = call(name, x, y, out=out)
        assert got is out
        check(name, dtype, out, expect(name, x, y))
        mask = np.arange(n) % 3 != 0
        out_pm = np.full(n, -5.0, dtype=dtype)
        out_np = out_pm.copy()
        call(name, x, y, out=out_pm, where=mask)
        expect(name, x, y, out=out_np, where=mask)
        check(name, dtype, out_pm, out_np)
        for first in (True, False):  # out= the first or the second input
            a, b = x.copy(), y.copy()
            target = a if first else b
            call(name, a, b, out=target)
            check(name, dtype, target, expect(name, x, y))
        # Inputs are left alone.
        x0, y0 = x.copy(), y.copy()
        call(name, x, y)
        np.testing.assert_array_equal(x.view(f"u{x.itemsize}"), x0.view(f"u{x.itemsize}"))
        np.testing.assert_array_equal(y.view(f"u{y.itemsize}"), y0.view(f"u{y.itemsize}"))


@pytest.mark.parametrize(("name", "dtype"), BINARY_CASES, ids=BINARY_CASE_IDS)
def test_threads_agree_bit_for_bit(name: str, dtype: str) -> None:
    x, y = pairs(name, dtype, 300_001)
    with parmath.threads(1):
        one = call(name, x, y)
    many = call(name, x, y)
    np.testing.assert_array_equal(one.view(f"u{one.itemsize}"), many.view(f"u{many.itemsize}"))


@pytest.mark.parametrize(("name", "dtype"), BINARY_CASES, ids=BINARY_CASE_IDS)
def test_reductions_match_numpy(name: str, dtype: str) -> None:
    """NumPy's reduce/accumulate pass the accumulator as input and output: done in order."""
    f, g = ufunc(name), reference2(name).numpy
    assert f.identity == g.identity
    x, _ = pairs(name, dtype, 1000)
    x = x[np.isfinite(x) & (np.abs(x) < 1e4) & (np.abs(x) > 1e-4)][:200]  # no cancellation
    if name in ("multiply", "divide"):
        x = (1.0 + x / 1000.0).astype(dtype)  # keep products in range
    chaotic = name not in ("add", "subtract", "multiply", "divide", "maximum", "minimum")
    if chaotic:
        # Iterating power or arctan2 amplifies each rounding difference: short chains only.
        x = x[:40]
    with np.errstate(all="ignore"):
        acc_pm, acc_np = f.accumulate(x), g.accumulate(x)
        m = x.reshape(4 if chaotic else 20, -1)
        red_pm, red_np = f.reduce(m, axis=1), g.reduce(m, axis=1)
        red0_pm, red0_np = f.reduce(m, axis=0), g.reduce(m, axis=0)
        if chaotic:
            # NumPy's power.reduce(axis=1) is not its own left fold; the fold is the definition.
            red_np = m[:, 0].copy()
            for j in range(1, m.shape[1]):
                red_np = g(red_np, m[:, j])
    if chaotic or name in ("add", "subtract", "multiply", "divide"):
        # NumPy sums pairwise in its own reduce loop; a sequential one differs by rounding.
        rtol = 1e-3 if dtype == "float32" else 1e-10
        for got, want in ((acc_pm, acc_np), (red_pm, red_np), (red0_pm, red0_np)):
            same_specials(got, want)
            np.testing.assert_allclose(got, want, rtol=rtol)
    else:
        check(name, dtype, acc_pm, acc_np)
        check(name, dtype, red_pm, red_np)
        check(name, dtype, red0_pm, red0_np)
    if g.identity is None:
        with pytest.raises(ValueError, match="identity"):
            f.reduce(np.array([], dtype=dtype))
    else:
        assert f.reduce(np.array([], dtype=dtype)) == g.identity


@pytest.mark.parametrize(("name", "dtype"), BINARY_CASES, ids=BINARY_CASE_IDS)
def test_special_pairs_match_numpy(name: str, dtype: str) -> None:
    ex, ey = reference2(name).edges(np.dtype(dtype))
    rng = np.random.default_rng(seed(name, dtype, "bits"))
    udt = np.dtype(f"u{np.dtype(dtype).itemsize}")
    bits = rng.integers(0, np.iinfo(udt).max, (2, 20_000), dtype=udt, endpoint=True).view(dtype)
    x, y = np.concatenate([ex, bits[0]]), np.concatenate([ey, bits[1]])
    got, want = call(name, x, y), expect(name, x, y)
    same_specials(got, want)
    assert_ulp_close(got, want, numpy_tolerance(name, dtype))


@pytest.mark.parametrize(("name", "dtype"), BINARY_CASES, ids=BINARY_CASE_IDS)
def test_ulp_error_within_registry_bound(name: str, dtype: str) -> None:
    """Against mpmath at 120 bits on random pairs from every box and the edge pairs."""
    x, y = pairs(name, dtype, 6000, typical=False)
    ex, ey = reference2(name).edges(np.dtype(dtype))
    x, y = np.concatenate([x, ex]), np.concatenate([y, ey])
    mp = reference2(name).mpmath

    def at(i: Any) -> Any:
        k = int(i)
        return mp(type(i)(float(x[k])), type(i)(float(y[k])))

    exact = exact_values(at, np.arange(x.size, dtype=np.float64), dtype)
    got = call(name, x, y)
    err = ulp_errors(got, exact)
    bound = ulp_bound(name, dtype)
    print(f"{name} {dtype}: max {err.max():.4f} ULP over {int(exact.measured.sum())} pairs")
    assert err.max() <= bound, describe_worst(np.stack([x, y], 1)[:, 0], got, err)


@pytest.mark.parametrize(("name", "dtype"), BINARY_CASES, ids=BINARY_CASE_IDS)
def test_floating_point_errors_like_numpy(name: str, dtype: str) -> None:
    for a, b, kind in reference2(name).fp_cases:
        with np.errstate(all="ignore"):  # float64 cases may not fit float32
            x, y = np.array([a, a], dtype=dtype), np.array([b, b], dtype=dtype)
        got, _ = fp_errors(ufunc(name), x, y)
        want, _ = fp_errors(reference2(name).numpy, x, y)
        assert got == want, f"{name}({a}, {b}) {dtype}: {got} != NumPy's {want}"
        if kind is not None and dtype == "float64":
            assert kind in want
    # The same in a large parallel call: conditions met on pool threads reach the caller.
    x, y = pairs(name, dtype, 300_001)
    for a, b, _ in reference2(name).fp_cases:
        xa, ya = x.copy(), y.copy()
        with np.errstate(all="ignore"):
            xa[-5], ya[-5] = a, b
        got, _ = fp_errors(ufunc(name), xa, ya)
        want, _ = fp_errors(reference2(name).numpy, xa, ya)
        assert got == want, f"{name}({a}, {b}) parallel {dtype}: {got} != NumPy's {want}"


@pytest.mark.parametrize("name", BINARY_NAMES)
def test_float16_and_integer_inputs(name: str) -> None:
    x, y = pairs(name, "float32", 1000)
    with np.errstate(over="ignore"):
        h, k = x.astype(np.float16), y.astype(np.float16)
    got, want = call(name, h, k), expect(name, h, k)
    assert got.dtype == want.dtype == np.float16
    if name in ("maximum", "minimum"):
        # NumPy's float16 loops return the first of two equal zeros, its float32/64 loops the
        # second; parmath computes float16 with its float32 kernel, so it returns the second.
        got = np.where(got == 0, want, got)
    same_specials(got, want)
    finite = np.isfinite(want)
    steps = got[finite].view(np.int16).astype(int) - want[finite].view(np.int16).astype(int)
    assert np.abs(steps).max(initial=0) <= 1
    # Integers promote to float64 (parmath has float loops only, as numpy.sqrt-like ufuncs).
    i, j = np.arange(1, 50), np.arange(3, 52)
    got_i = call(name, i, j)
    assert got_i.dtype == np.float64
    check(name, "float64", got_i, expect(name, i.astype(float), j.astype(float)))
    mixed = call(name, x, 2)  # a Python int with float32 stays float32, as in NumPy
    assert mixed.dtype == expect(name, x, 2).dtype


@pytest.mark.parametrize("name", BINARY_NAMES)
def test_bad_inputs_raise_like_numpy(name: str) -> None:
    f, g = ufunc(name), reference2(name).numpy
    for args in [(np.ones(3), np.ones(4)), (np.ones(3), "a"), (np.ones(2), None)]:
        # NumPy's object loops may fail with other errors (np.hypot(x, None): AttributeError);
        # parmath has no object loop and raises TypeError there.
        with pytest.raises((TypeError, ValueError, AttributeError)) as e_np:
            g(*args)
        base = ValueError if isinstance(e_np.value, ValueError) else TypeError
        with pytest.raises(base):
            f(*args)
    with pytest.raises(TypeError):
        f(np.ones(3))
    with pytest.raises(ValueError, match="broadcast"):
        f(np.ones(3), np.ones(3), out=np.ones(4))

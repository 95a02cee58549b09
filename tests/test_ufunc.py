"""parmath's ufuncs behave like NumPy's: layouts, lengths, out=/where=, broadcasting, dtypes."""

from __future__ import annotations

import functools
import zlib
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import parmath
from _helpers import FLOAT_DTYPES, assert_raises_like, assert_ulp_close, same_specials
from _reference import (
    CASE_IDS,
    CASES,
    REFERENCES,
    REGISTRY,
    UNARY_NAMES,
    in_domain,
    numpy_has_integer_loops,
    numpy_tolerance,
    random_inputs,
    reference,
    sprinkle_specials,
    ufunc,
)

# Around the SIMD lane counts (4/8/16), the 256-element gather block, the 512-element range
# block, the 4096-element thread block quantum and the parallel threshold.
THRESHOLD = parmath.info()["parallel_threshold"]
LENGTHS = [0, 1, 7, 8, 9, 15, 16, 17, 31, 33, 255, 256, 257, 511, 513, 1023, 4097]
LENGTHS += [THRESHOLD - 1, THRESHOLD, THRESHOLD + 1, 300_001]
LAYOUTS_1D = ["contiguous", "stride2", "reversed", "misaligned", "stride-3"]
PARALLEL = 300_001


@functools.cache
def _base_input(name: str, dtype: str, n: int) -> np.ndarray:
    rng = np.random.default_rng(zlib_seed(name, dtype, n))
    x = sprinkle_specials(random_inputs(name, dtype, n, rng, typical=True), rng)
    x.flags.writeable = False
    return x


def zlib_seed(*parts: Any) -> int:
    return zlib.crc32(repr(parts).encode())


def data(name: str, dtype: str, n: int) -> np.ndarray:
    """Return a fresh, writable copy of the standard test input (typical range plus specials)."""
    return _base_input(name, dtype, n).copy()


def expect(name: str, x: Any, **kwargs: Any) -> Any:
    with np.errstate(all="ignore"):
        return reference(name).numpy(x, **kwargs)


def call(name: str, x: Any, **kwargs: Any) -> Any:
    with np.errstate(all="ignore"):
        return ufunc(name)(x, **kwargs)


def check(name: str, dtype: str, got: Any, want: Any, x: Any = None) -> None:
    assert type(got) is type(want), f"result type {type(got)} != numpy's {type(want)}"
    assert_ulp_close(got, want, numpy_tolerance(name, dtype), x)


def layout_1d(x: np.ndarray, layout: str) -> np.ndarray:
    """Return a view with the values of 1-D `x` in the given memory layout."""
    n, dt = x.size, x.dtype
    if layout == "contiguous":
        return x.copy()
    if layout == "stride2":
        buf = np.full(2 * n, -7.0, dtype=dt)
        buf[::2] = x
        return buf[::2]
    if layout == "stride-3":
        buf = np.full(3 * n, -7.0, dtype=dt)
        buf[::-3] = x
        return buf[::-3]
    if layout == "reversed":
        return x[::-1].copy()[::-1]
    if layout == "misaligned":
        raw = np.zeros(n * dt.itemsize + 1, dtype=np.uint8)
        view = raw[1:].view(dt)
        view[...] = x
        assert n == 0 or not view.flags.aligned
        return view
    raise AssertionError(layout)


# ---------------------------------------------------------------------------------------------
# The reference table covers the registry
# ---------------------------------------------------------------------------------------------


def test_every_registry_function_has_a_reference() -> None:
    missing = [row["name"] for row in REGISTRY if row["name"] not in REFERENCES]
    assert not missing, f"add these to tests/_reference.py REFERENCES: {missing}"
    assert set(parmath.FUNCTIONS) == {row["name"] for row in REGISTRY}
    assert parmath.info()["functions"] == list(parmath.FUNCTIONS)


@pytest.mark.parametrize("row", REGISTRY, ids=[r["name"] for r in REGISTRY])
def test_registry_row_is_well_formed(row: dict[str, Any]) -> None:
    assert set(row) >= {"name", "nin", "nout", "dtypes", "ulp", "summary", "domain"}
    assert row["dtypes"] == sorted(row["dtypes"], key=lambda d: np.dtype(d).itemsize)
    assert set(row["dtypes"]) <= set(FLOAT_DTYPES)
    assert set(row["dtypes"]) <= set(row["loops"])
    assert set(row["ulp"]) == set(row["loops"])
    assert all(0 < row["ulp"][d] <= 1.0 for d in row["dtypes"])
    assert row["summary"]
    assert row["domain"]
    for dt in row["dtypes"]:
        assert set(REFERENCES[row["name"]].ranges) >= {dt}


# ---------------------------------------------------------------------------------------------
# The ufunc objects
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("row", REGISTRY, ids=[r["name"] for r in REGISTRY])
def test_ufunc_attributes(row: dict[str, Any]) -> None:
    f = ufunc(row["name"])
    assert isinstance(f, np.ufunc)
    assert f.__name__ == row["name"]
    assert f.__module__ == "parmath"
    assert (f.nin, f.nout, f.nargs) == (row["nin"], row["nout"], row["nin"] + row["nout"])
    assert f.ntypes == len(row["loops"])
    codes = [np.dtype(d).char for d in row["loops"]]
    assert f.types == [f"{c * row['nin']}->{c}" for c in codes]  # ['e->e', ...] or ['ee->e', ...]
    if row["nin"] == 1:
        assert f.identity is None
    else:
        assert f.identity == getattr(np, row["name"]).identity
    assert f.signature is None
    assert f is getattr(parmath, row["name"])
    assert row["name"] in parmath.__all__


@pytest.mark.parametrize("row", REGISTRY, ids=[r["name"] for r in REGISTRY])
def test_docstring_states_the_registry_bound(row: dict[str, Any]) -> None:
    doc = ufunc(row["name"]).__doc__
    assert doc is not None
    args = "x" if row["nin"] == 1 else "x1, x2"
    assert doc.startswith(f"{row['name']}({args}, /, out=None, *, where=True")
    assert row["summary"] in doc
    for dt in row["dtypes"]:
        assert f"{row['ulp'][dt]:g} ULP in {dt}" in doc
    assert f"({parmath.info()['isa']} here)" in doc


# ---------------------------------------------------------------------------------------------
# Layouts and lengths
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", LENGTHS)
@pytest.mark.parametrize("layout", LAYOUTS_1D)
@pytest.mark.parametrize(("name", "dtype"), CASES, ids=CASE_IDS)
def test_1d_layouts(name: str, dtype: str, layout: str, n: int) -> None:
    x = layout_1d(data(name, dtype, n), layout)
    before = x.copy()
    got = call(name, x)
    check(name, dtype, got, expect(name, x), x)
    assert got.flags.c_contiguous
    np.testing.assert_array_equal(x.view(f"u{x.itemsize}"), before.view(f"u{x.itemsize}"))


def _2d_views(x: np.ndarray, rows: int, cols: int) -> dict[str, np.ndarray]:
    c = x[: rows * cols].reshape(rows, cols)
    big = np.full((2 * rows, 3 * cols), -7.0, dtype=x.dtype)
    big[1::2, ::3] = c
    return {
        "C": c.copy(),
        "F": np.asfortranarray(c),
        "transposed": c.T,
        "slice": big[1::2, ::3],
        "slice-reversed": big[::-2, ::-3],
        "column": big[:, 1:2],
    }


@pytest.mark.parametrize("shape", [(3, 5), (33, 17), (389, 773)], ids=str)
@pytest.mark.parametrize(("name", "dtype"), CASES, ids=CASE_IDS)
def test_2d_layouts(name: str, dtype: str, shape: tuple[int, int]) -> None:
    rows, cols = shape
    x = data(name, dtype, rows * cols)
    for label, view in _2d_views(x, rows, cols).items():
        got = call(name, view)
        want = expect(name, view)
        check(name, dtype, got, want, view)
        assert got.flags.c_contiguous == want.flags.c_contiguous, label
        assert got.flags.f_contiguous == want.flags.f_contiguous, label
        for order in "CFA":
            got_o, want_o = call(name, view, order=order), expect(name, view, order=order)
            check(name, dtype, got_o, want_o, view)
            assert got_o.strides == want_o.strides, (label, order)


@pytest.mark.parametrize(("name", "dtype"), CASES, ids=CASE_IDS)
def test_scalars_and_0d(name: str, dtype: str) -> None:
    dt = FLOAT_DTYPES[dtype]
    for v in data(name, dtype, 64)[:16]:
        for x in (np.array(v), dt.type(v), np.array(v).reshape(1, 1)[0]):
            check(name, dtype, call(name, x), expect(name, x), x)
        if dtype == "float64":
            check(name, dtype, call(name, float(v)), expect(name, float(v)))
    # Python bools go to the float16 loop, as in NumPy: see test_result_dtype.
    for x in (2, [0.5, 2.0], [[1.0], [3.0]], (1.0, 2.0)):
        got = call(name, x)
        loop = loop_dtype(np.asarray(x).dtype)
        assert loop is not None
        want = expect(name, np.asarray(x).astype(loop))
        if np.ndim(x) == 0:
            want = want[()]
        assert isinstance(got, np.generic) == isinstance(want, np.generic)
        check(name, loop.name, got, want, x)


@pytest.mark.parametrize("shape", [(0,), (0, 3), (3, 0), (2, 0, 4)], ids=str)
@pytest.mark.parametrize(("name", "dtype"), CASES, ids=CASE_IDS)
def test_empty(name: str, dtype: str, shape: tuple[int, ...]) -> None:
    x = np.empty(shape, dtype=dtype)
    got = call(name, x)
    assert got.shape == shape
    assert got.dtype == np.dtype(dtype)
    out = np.empty(shape, dtype=dtype)
    assert call(name, x, out=out) is out


# ---------------------------------------------------------------------------------------------
# out=, where=, broadcasting
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [0, 1, 17, 257, 4097, THRESHOLD - 1, THRESHOLD, PARALLEL])
@pytest.mark.parametrize(("name", "dtype"), CASES, ids=CASE_IDS)
def test_out(name: str, dtype: str, n: int) -> None:
    x = data(name, dtype, n)
    want = expect(name, x)

    out = np.full(n, -7.0, dtype=dtype)
    assert call(name, x, out=out) is out
    check(name, dtype, out, want, x)

    out2 = np.full(n, -7.0, dtype=dtype)
    res = call(name, x, out=(out2,))
    assert res is out2
    check(name, dtype, out2, want, x)

    # A strided output, and an output of another float type (numpy casts after the loop).
    buf = np.full(2 * n, -7.0, dtype=dtype)
    call(name, x, out=buf[::2])
    check(name, dtype, buf[::2], want, x)
    assert np.all(buf[1::2] == -7.0)
    wide = call(name, x, out=np.empty(n, dtype=np.float64))
    wide_want = expect(name, x, out=np.empty(n, dtype=np.float64))
    assert wide.dtype == wide_want.dtype == np.float64
    check(name, dtype, wide.astype(dtype), wide_want.astype(dtype), x)

    inplace = x.copy()
    assert call(name, inplace, out=inplace) is inplace
    check(name, dtype, inplace, want, x)


@pytest.mark.parametrize("n", [33, PARALLEL])
@pytest.mark.parametrize(("name", "dtype"), CASES, ids=CASE_IDS)
def test_in_place_views(name: str, dtype: str, n: int) -> None:
    """In place on strided and reversed views, and an output overlapping the input."""
    x = data(name, dtype, n)
    want = expect(name, x)
    buf = np.full(2 * n, -7.0, dtype=dtype)
    buf[::2] = x
    call(name, buf[::2], out=buf[::2])
    check(name, dtype, buf[::2], want, x)
    assert np.all(buf[1::2] == -7.0)

    rev = x.copy()
    call(name, rev[::-1], out=rev[::-1])
    check(name, dtype, rev, want, x)

    # Output is the input shifted by one element: numpy must buffer, results as if not aliased.
    shifted = np.concatenate([x, x[:1]])
    call(name, shifted[:-1], out=shifted[1:])
    check(name, dtype, shifted[1:], want, x)


@pytest.mark.parametrize("n", [33, 4097, PARALLEL])
@pytest.mark.parametrize(("name", "dtype"), CASES, ids=CASE_IDS)
def test_where(name: str, dtype: str, n: int, rng: np.random.Generator) -> None:
    x = data(name, dtype, n)
    mask = rng.random(n) < 0.5
    sentinel = np.asarray(-7.25, dtype=dtype)
    out = np.full(n, sentinel, dtype=dtype)
    res = call(name, x, out=out, where=mask)
    assert res is out
    want = np.full(n, sentinel, dtype=dtype)
    expect(name, x, out=want, where=mask)
    same_specials(out, want, x)
    np.testing.assert_array_equal(out[~mask], sentinel)  # untouched
    assert_ulp_close(out[mask], want[mask], numpy_tolerance(name, dtype), x[mask])

    out_none = np.full(n, sentinel, dtype=dtype)
    call(name, x, out=out_none, where=False)
    np.testing.assert_array_equal(out_none, sentinel)
    out_all = np.full(n, sentinel, dtype=dtype)
    call(name, x, out=out_all, where=True)
    check(name, dtype, out_all, expect(name, x), x)

    # A broadcast mask on a 2-D output.
    x2 = x[: (n // 3) * 3].reshape(-1, 3)
    col_mask = np.array([True, False, True])
    out2 = np.full(x2.shape, sentinel, dtype=dtype)
    want2 = np.full(x2.shape, sentinel, dtype=dtype)
    call(name, x2, out=out2, where=col_mask)
    expect(name, x2, out=want2, where=col_mask)
    check(name, dtype, out2, want2, x2)


@pytest.mark.parametrize(("name", "dtype"), CASES, ids=CASE_IDS)
def test_broadcast_into_out(name: str, dtype: str) -> None:
    x = data(name, dtype, 1000)
    for in_shape, out_shape in [((3, 1), (3, 4)), ((1, 4), (3, 4)), ((4,), (5, 4)), ((), (2, 3))]:
        xin = x[: int(np.prod(in_shape))].reshape(in_shape)
        out = np.full(out_shape, -7.0, dtype=dtype)
        want = np.full(out_shape, -7.0, dtype=dtype)
        assert call(name, xin, out=out) is out
        expect(name, xin, out=want)
        check(name, dtype, out, want, np.broadcast_to(xin, out_shape))
    # A parallel-sized output fed by a stride-0 (broadcast) input.
    row = x[:7]
    out = np.empty((PARALLEL // 7 + 1, 7), dtype=dtype)
    call(name, row, out=out)
    want = expect(name, row)
    check(name, dtype, out, np.broadcast_to(want, out.shape).copy())
    col = x[:1]
    flat = np.broadcast_to(col, (PARALLEL,))
    assert flat.strides == (0,)
    check(name, dtype, call(name, flat), expect(name, flat), flat)


# ---------------------------------------------------------------------------------------------
# Types and casting
# ---------------------------------------------------------------------------------------------

INPUT_DTYPES = [
    "bool",
    "int8",
    "uint8",
    "int16",
    "uint16",
    "int32",
    "uint32",
    "int64",
    "uint64",
    "float16",
    "float32",
    "float64",
    "longdouble",
]


def loop_dtype(dt: np.dtype[Any]) -> np.dtype[Any] | None:
    """Return the loop NumPy's type resolution picks from parmath's float16/32/64 loops."""
    for candidate in (np.float16, np.float32, np.float64):
        if np.can_cast(dt, candidate):
            return np.dtype(candidate)
    return None


@pytest.mark.parametrize("in_dtype", INPUT_DTYPES)
@pytest.mark.parametrize("name", UNARY_NAMES)
def test_result_dtype(name: str, in_dtype: str) -> None:
    dt = np.dtype(in_dtype)
    x = np.array([0, 1, 2, 3, 5, 7, 100, 127], dtype=np.float64).astype(dt)
    loop = loop_dtype(dt)
    if loop is None:
        with pytest.raises(TypeError) as pm_err:
            call(name, x)
        # NumPy's own message for an input no loop can take safely.
        with pytest.raises(TypeError) as np_err:
            reference(name).numpy(np.zeros(1, dtype="V8"))
        if not numpy_has_integer_loops(name):
            assert str(pm_err.value) == str(np_err.value)
        return
    got = call(name, x)
    # The type NumPy's own ufunc gives, or where NumPy keeps integers, its float loop's type.
    xf = x.astype(loop) if numpy_has_integer_loops(name) else x
    assert got.dtype == loop == expect(name, xf).dtype
    if loop == np.float16:
        # Computed in float32 and rounded, as NumPy does: at most 1 ULP from NumPy's result.
        want = expect(name, xf)
        same_specials(got, want, x)
        finite = np.isfinite(want)
        steps = got[finite].view(np.int16).astype(int) - want[finite].view(np.int16).astype(int)
        assert np.abs(steps).max(initial=0) <= 1
    else:
        check(name, loop.name, got, expect(name, x.astype(loop)), x)


@pytest.mark.parametrize(("name", "dtype"), CASES, ids=CASE_IDS)
def test_dtype_and_signature_arguments(name: str, dtype: str) -> None:
    x = data(name, dtype, 257)
    other = "float32" if dtype == "float64" else "float64"
    for result_dtype, kwargs in (
        (other, {"dtype": other}),
        (dtype, {"dtype": dtype}),
        (other, {"signature": (other, other)}),
        (other, {"signature": f"{np.dtype(other).char}->{np.dtype(other).char}"}),
        (other, {"dtype": other, "casting": "unsafe"}),
    ):
        want = expect(name, x, **kwargs)
        got = call(name, x, **kwargs)
        assert got.dtype == want.dtype == np.dtype(result_dtype)
        check(name, want.dtype.name, got, want, x)


CASTING_CASES = {
    "out-int": {"out": "int64"},
    "out-int-unsafe": {"out": "int64", "casting": "unsafe"},
    "out-float16": {"out": "float16"},
    "out-float16-safe": {"out": "float16", "casting": "safe"},
    "out-complex": {"out": "complex128"},
    "out-other-float-no": {"out": "other", "casting": "no"},
    "out-other-float-equiv": {"out": "other", "casting": "equiv"},
    "out-other-float-safe": {"out": "other", "casting": "safe"},
    "dtype-int": {"dtype": "int64"},
    "dtype-other-safe": {"dtype": "other", "casting": "safe"},
    "casting-bogus": {"casting": "sideways"},
}


@pytest.mark.parametrize("case", list(CASTING_CASES))
@pytest.mark.parametrize(("name", "dtype"), CASES, ids=CASE_IDS)
def test_casting_matches_numpy(name: str, dtype: str, case: str) -> None:
    other = "float32" if dtype == "float64" else "float64"
    x = np.array([0.25, 0.5, 2.0, 3.0, 10.0], dtype=dtype)

    def kwargs() -> dict[str, Any]:
        kw = dict(CASTING_CASES[case])
        for key in ("out", "dtype"):
            if kw.get(key) == "other":
                kw[key] = other
        if "out" in kw:
            kw["out"] = np.zeros(x.shape, dtype=kw["out"])
        return kw

    if case == "dtype-int" and numpy_has_integer_loops(name):
        with pytest.raises(TypeError, match="loop"):  # parmath has float loops only
            call(name, x, **kwargs())
        return
    try:
        want = expect(name, x, **kwargs())
    except (TypeError, ValueError):
        assert_raises_like(lambda: expect(name, x, **kwargs()), lambda: call(name, x, **kwargs()))
        return
    got = call(name, x, **kwargs())
    assert got.dtype == want.dtype
    if got.dtype.kind in "iu":
        assert np.max(np.abs(got.astype(np.int64) - want.astype(np.int64))) <= 1
    elif got.dtype.kind == "c":
        tol = numpy_tolerance(name, dtype)
        assert_ulp_close(got.real.astype(dtype), want.real.astype(dtype), tol, x)
        assert np.all(got.imag == 0)
    elif got.dtype.itemsize >= x.dtype.itemsize:
        # Computed in the input's loop and widened: compare at the loop's precision.
        assert_ulp_close(got.astype(dtype), want.astype(dtype), numpy_tolerance(name, dtype), x)
    else:
        # Narrowed after the loop: close results may round to neighbouring narrow values.
        assert_ulp_close(got, want, 1, x)


# ---------------------------------------------------------------------------------------------
# ufunc methods, subclasses and overrides
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "dtype"), CASES, ids=CASE_IDS)
def test_ufunc_at(name: str, dtype: str) -> None:
    x = data(name, dtype, 64)
    x = np.abs(x[np.isfinite(x)])[:20] % 3  # values where applying twice stays finite
    idx = np.array([0, 3, 3, 7, 19, 0])
    got, want = x.copy(), x.copy()
    with np.errstate(all="ignore"):
        ufunc(name).at(got, idx)
        reference(name).numpy.at(want, idx)
    check(name, dtype, got, want, x)


@pytest.mark.parametrize("method", ["reduce", "accumulate", "reduceat", "outer"])
@pytest.mark.parametrize("name", UNARY_NAMES)
def test_binary_only_methods_raise_like_numpy(name: str, method: str) -> None:
    x = np.arange(1.0, 4.0)
    args: tuple[Any, ...] = {"reduceat": (x, [0]), "outer": (x, x)}.get(method, (x,))
    err = assert_raises_like(
        getattr(reference(name).numpy, method), getattr(ufunc(name), method), *args
    )
    assert isinstance(err, ValueError)


@pytest.mark.parametrize(("name", "dtype"), CASES, ids=CASE_IDS)
def test_masked_array_and_subok(name: str, dtype: str) -> None:
    # In the domain: np.ma masks out-of-domain results of NumPy's own ufuncs only.
    x = in_domain(name, 10, dtype)
    m = np.ma.array(x, mask=np.arange(x.size) % 3 == 0)
    got, want = call(name, m), expect(name, m)
    assert type(got) is type(want) is np.ma.MaskedArray
    np.testing.assert_array_equal(np.ma.getmaskarray(got), np.ma.getmaskarray(want))
    keep = ~np.ma.getmaskarray(want)
    assert_ulp_close(got.data[keep], want.data[keep], numpy_tolerance(name, dtype))
    plain = call(name, m, subok=False)
    assert type(plain) is type(expect(name, m, subok=False)) is np.ndarray


class _Override:
    def __array_ufunc__(self, uf: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        return ("handled", uf, method, inputs, kwargs)


@pytest.mark.parametrize("name", UNARY_NAMES)
def test_array_ufunc_override_receives_parmath_ufunc(name: str) -> None:
    obj = _Override()
    out = np.empty(1)
    tag, uf, method, inputs, kwargs = ufunc(name)(obj, out=out)
    assert (tag, uf, method, inputs) == ("handled", ufunc(name), "__call__", (obj,))
    assert kwargs["out"][0] is out
    assert ufunc(name).at(obj, [0])[2] == "at"


# ---------------------------------------------------------------------------------------------
# Property-based: arbitrary values, shapes and strides
# ---------------------------------------------------------------------------------------------


@st.composite
def _strided_arrays(draw: st.DrawFn, dtype: str) -> np.ndarray:
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=2, min_side=0, max_side=40))
    arr = draw(
        hnp.arrays(
            dtype,
            shape,
            elements=st.floats(width=np.dtype(dtype).itemsize * 8, allow_subnormal=True),
        )
    )
    steps = tuple(draw(st.sampled_from([1, 2, -1, -3])) for _ in shape)
    return arr[tuple(slice(None, None, s) for s in steps)]


@pytest.mark.parametrize(("name", "dtype"), CASES, ids=CASE_IDS)
@settings(max_examples=40, deadline=None, database=None)
@given(data_=st.data())
def test_property_matches_numpy(name: str, dtype: str, data_: st.DataObject) -> None:
    x = data_.draw(_strided_arrays(dtype))
    before = x.copy()
    check(name, dtype, call(name, x), expect(name, x), x)
    np.testing.assert_array_equal(x, before)


@pytest.mark.parametrize(("name", "dtype"), CASES, ids=CASE_IDS)
def test_results_do_not_depend_on_neighbours(name: str, dtype: str) -> None:
    """An element's result does not depend on what shares its block.

    Alone, among typical values, or next to special values (which send a block down a different
    code path): bit for bit the same.
    """
    rng = np.random.default_rng(zlib_seed("neighbours", name, dtype))
    x = random_inputs(name, dtype, 20_000, rng)
    x = x[np.isfinite(x)]
    poisoned = np.insert(x, np.arange(0, x.size, 97), np.nan)
    clean = call(name, x)
    check(name, dtype, clean, expect(name, x), x)
    mixed = call(name, poisoned)[~np.isnan(poisoned)]
    sample = np.arange(0, x.size, 61)
    alone = np.array([call(name, x[i : i + 1])[0] for i in sample], dtype=dtype)
    udt = f"u{x.itemsize}"
    np.testing.assert_array_equal(mixed.view(udt), clean.view(udt))
    np.testing.assert_array_equal(alone.view(udt), clean[sample].view(udt))

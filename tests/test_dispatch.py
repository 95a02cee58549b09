"""``__array_ufunc__`` dispatch: pandas, xarray and dask containers accept parmath's ufuncs.

Inputs on which parmath's and NumPy's results differ in the last bit tell the two implementations
apart: a container result with parmath's bits proves the container called parmath's ufunc.
"""

from __future__ import annotations

import numpy as np
import pytest

from _helpers import assert_ulp_close, same_specials
from _reference import (
    CASE_IDS,
    CASES,
    UNARY_NAMES,
    in_domain,
    numpy_tolerance,
    random_inputs,
    reference,
    ufunc,
    ulp_bound,
)

pd = pytest.importorskip("pandas")
xr = pytest.importorskip("xarray")
dask = pytest.importorskip("dask")
da = pytest.importorskip("dask.array")

NAMES = UNARY_NAMES


def _x(name: str, dtype: str, n: int = 50) -> np.ndarray:
    return random_inputs(name, dtype, n, np.random.default_rng(7), typical=True)


def _close(name: str, dtype: str, got: object, want: object) -> None:
    assert_ulp_close(np.asarray(got), np.asarray(want), numpy_tolerance(name, dtype))


# ---------------------------------------------------------------------------------------------
# pandas
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "dtype"), CASES, ids=CASE_IDS)
def test_pandas_series(name: str, dtype: str) -> None:
    x = _x(name, dtype)
    s = pd.Series(x, index=pd.date_range("2024-01-01", periods=x.size), name="values")
    got, want = ufunc(name)(s), reference(name).numpy(s)
    assert isinstance(got, pd.Series)
    assert got.name == "values"
    pd.testing.assert_index_equal(got.index, s.index)
    assert got.dtype == want.dtype == np.dtype(dtype)
    _close(name, dtype, got.to_numpy(), want.to_numpy())


#: Functions whose results can differ from NumPy's in the last bit: those prove that dispatch
#: reached parmath (the correctly rounded ones agree with NumPy everywhere, by definition).
TELLING = [name for name in NAMES if ulp_bound(name, "float64") > 0.5]


def _telling(name: str) -> np.ndarray:
    """Float64 inputs where parmath's result differs from NumPy's in the last bit."""
    x = random_inputs(name, "float64", 1_000_000, np.random.default_rng(11), typical=True)
    differ = ufunc(name)(x).view(np.int64) != reference(name).numpy(x).view(np.int64)
    assert differ.any(), "no input tells parmath from numpy"
    return x[differ][:8]


def _is_parmath(name: str, got: np.ndarray, x: np.ndarray) -> None:
    assert np.array_equal(got.view(np.int64), ufunc(name)(x).view(np.int64))
    assert not np.array_equal(got.view(np.int64), reference(name).numpy(x).view(np.int64))


@pytest.mark.parametrize("name", TELLING)
def test_pandas_series_dispatches_to_parmath(name: str) -> None:
    x = _telling(name)
    _is_parmath(name, ufunc(name)(pd.Series(x, name="small")).to_numpy(), x)


@pytest.mark.parametrize(("name", "dtype"), CASES, ids=CASE_IDS)
def test_pandas_dataframe(name: str, dtype: str) -> None:
    x = _x(name, dtype, 60).reshape(20, 3)
    df = pd.DataFrame(x, columns=["a", "b", "c"], index=pd.RangeIndex(100, 120))
    got, want = ufunc(name)(df), reference(name).numpy(df)
    assert isinstance(got, pd.DataFrame)
    pd.testing.assert_index_equal(got.columns, df.columns)
    pd.testing.assert_index_equal(got.index, df.index)
    assert list(got.dtypes) == [np.dtype(dtype)] * 3
    _close(name, dtype, got.to_numpy(), want.to_numpy())


@pytest.mark.parametrize("name", NAMES)
def test_pandas_masked_float64_with_na(name: str) -> None:
    a, b, c = in_domain(name, 3).tolist()
    values = [a, None, b, c, None]
    arr = pd.array(values, dtype="Float64")
    got, want = ufunc(name)(arr), reference(name).numpy(arr)
    assert got.dtype == want.dtype == pd.Float64Dtype()
    np.testing.assert_array_equal(pd.isna(got), [False, True, False, False, True])
    np.testing.assert_array_equal(pd.isna(got), pd.isna(want))
    keep = ~pd.isna(want)
    _close(
        name,
        "float64",
        got[keep].to_numpy(dtype=np.float64),
        want[keep].to_numpy(dtype=np.float64),
    )
    s = pd.Series(arr, name="m")
    got_s = ufunc(name)(s)
    assert got_s.dtype == pd.Float64Dtype()
    assert got_s.name == "m"
    assert got_s.isna().tolist() == [False, True, False, False, True]


# ---------------------------------------------------------------------------------------------
# xarray
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "dtype"), CASES, ids=CASE_IDS)
def test_xarray_dataarray(name: str, dtype: str) -> None:
    x = _x(name, dtype, 24).reshape(4, 6)
    arr = xr.DataArray(
        x,
        dims=("time", "space"),
        coords={"time": np.arange(4), "space": list("abcdef"), "label": ("time", list("wxyz"))},
        name="field",
    )
    got, want = ufunc(name)(arr), reference(name).numpy(arr)
    assert isinstance(got, xr.DataArray)
    assert got.dims == arr.dims
    assert got.name == want.name
    xr.testing.assert_identical(got.coords.to_dataset(), arr.coords.to_dataset())
    assert got.dtype == np.dtype(dtype)
    _close(name, dtype, got.values, want.values)
    ds = xr.Dataset({"field": arr})
    got_ds = ufunc(name)(ds)
    assert isinstance(got_ds, xr.Dataset)
    _close(name, dtype, got_ds["field"].values, want.values)


@pytest.mark.parametrize("name", TELLING)
def test_xarray_dispatches_to_parmath(name: str) -> None:
    x = _telling(name)
    _is_parmath(name, ufunc(name)(xr.DataArray(x, dims="x")).values, x)


# ---------------------------------------------------------------------------------------------
# dask
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "dtype"), CASES, ids=CASE_IDS)
def test_dask_array_is_lazy_and_correct(name: str, dtype: str) -> None:
    x = random_inputs(name, dtype, 600_000, np.random.default_rng(3), typical=True)
    loads: list[int] = []

    def load() -> np.ndarray:
        loads.append(1)
        return x

    source = da.from_delayed(dask.delayed(load)(), shape=x.shape, dtype=x.dtype).rechunk(150_000)
    lazy = ufunc(name)(source)
    assert isinstance(lazy, da.Array)
    assert loads == []  # nothing computed yet
    assert lazy.dtype == np.dtype(dtype)
    assert lazy.chunks == source.chunks
    got = lazy.compute(scheduler="threads")
    assert loads == [1]
    assert isinstance(got, np.ndarray)
    want = reference(name).numpy(x)
    same_specials(got, want, x)
    _close(name, dtype, got, want)


@pytest.mark.parametrize("name", TELLING)
def test_dask_dispatches_to_parmath(name: str) -> None:
    x = _telling(name)
    _is_parmath(name, ufunc(name)(da.from_array(x, chunks=3)).compute(scheduler="threads"), x)

"""Tests for the ``parmath bench`` command (``parmath.bench``)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest

from parmath import bench

if TYPE_CHECKING:
    from pathlib import Path

DEFAULT_STRATEGIES = [
    "numpy_fresh",
    "numpy_out",
    "pool_map_split",
    "pool_shared_memory",
    "thread_pool_out",
    "numexpr",
    "copy_floor",
    "parmath_fresh",
    "parmath_out",
    "parmath_inplace",
]
FULL_ONLY_STRATEGIES = ["pool_map_items", "pool_map_items_chunked"]
# Limits on the ULP distance from numpy's result, valid while numpy itself is
# within 1 ULP of the correctly rounded value.
NUMPY_MAX_ULP = 4
PARMATH_MAX_ULP = 2


def _numpy_excess_ulp(func: str, dtype: str) -> int:
    """ULPs by which numpy's own error exceeds 1 on the benchmark input.

    numpy's float32 SIMD kernels are documented to be off by up to about 4 ULP
    (``log`` with AVX-512F); a strategy that is closer to the true value is then
    further from numpy, so that excess widens the limits.  For float32 the
    float64 result rounded to float32 serves as the correctly rounded value;
    numpy's float64 kernels are taken to be within 1 ULP.
    """
    if dtype == "float64":
        return 0
    x = bench.make_input(func, dtype, 100_000)
    ufunc = getattr(np, func)
    exact = ufunc(x.astype(np.float64)).astype(dtype)
    return max(0, int(bench.ulp_distance(ufunc(x), exact).max()) - 1)


def _run_bench(tmp_path: Path, *extra: str) -> dict[str, Any]:
    out = tmp_path / "bench.json"
    argv = ["--n", "100000", "--repeat", "2", "--json", str(out), "--quiet", *extra]
    assert bench.main(argv) == 0
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result


def _check_rows(rows: list[dict[str, Any]], func: str, dtype: str) -> None:
    excess = _numpy_excess_ulp(func, dtype)
    for row in rows:
        assert (row["func"], row["dtype"], row["n"]) == (func, dtype, 100_000)
        if row["status"] != "ok":  # only numexpr may be missing
            assert row["strategy"] == "numexpr"
            assert row["median_s"] is None
            continue
        assert len(row["times_s"]) == 2
        assert row["median_s"] > 0
        assert row["speed"] > 0
        if row["strategy"] == "copy_floor":  # a copy, not f(x): nothing to compare
            assert row["max_ulp_diff"] is None
            continue
        limit = PARMATH_MAX_ULP if row["strategy"].startswith("parmath") else NUMPY_MAX_ULP
        assert row["max_ulp_diff"] <= limit + excess, row
        assert row["max_abs_diff"] < 1e-5, row


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("func", ["exp", "log"])
def test_bench_json_rows(tmp_path: Path, func: str, dtype: str) -> None:
    """Every default strategy runs and agrees with numpy within a few ULPs."""
    result = _run_bench(tmp_path, "--func", func, "--dtype", dtype)
    rows = result["rows"]
    assert [row["strategy"] for row in rows] == DEFAULT_STRATEGIES
    assert rows[0]["speed"] == pytest.approx(1.0)
    _check_rows(rows, func, dtype)
    assert {"cpu_model", "logical_cores", "numpy", "parmath"} <= set(result["machine"])
    assert "isa" in result["machine"]["parmath"]


def test_bench_full_and_lists(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--full`` adds the per-item Pool.map rows; comma lists and repeats combine."""
    result = _run_bench(tmp_path, "--full", "--func", "log,exp", "--dtype", "float32")
    expected = DEFAULT_STRATEGIES[:2] + FULL_ONLY_STRATEGIES + DEFAULT_STRATEGIES[2:]
    rows = result["rows"]
    assert [row["strategy"] for row in rows] == expected * 2
    _check_rows(rows[: len(expected)], "log", "float32")
    _check_rows(rows[len(expected) :], "exp", "float32")
    captured = capsys.readouterr()
    assert "parmath out= / floor = " in captured.out
    assert "parmath vs split Pool.map = " in captured.out
    assert "memory floor: parallel copy (same bytes)" in captured.out
    assert captured.err == ""  # --quiet


def test_progress_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    """Without ``--quiet`` each strategy announces itself on stderr."""
    argv = ["--n", "1000", "--repeat", "1", "--workers", "2"]
    assert bench.main(argv) == 0
    err = capsys.readouterr().err
    assert "[1/10] numpy exp(x)" in err
    assert "[3/10] pool.map split 64" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["--n", "0"],
        ["--n", "ten"],
        ["--repeat", "-1"],
        ["--func", "sin"],
        ["--dtype", "int8"],
    ],
)
def test_bad_options(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Invalid options give exit status 2 and a message on stderr."""
    assert bench.main(argv) == 2
    assert "error" in capsys.readouterr().err


def test_ulp_distance_float64() -> None:
    """Hand-checked float64 distances."""
    tiny = np.finfo(np.float64).smallest_subnormal
    assert int(bench.ulp_distance(1.0, np.nextafter(1.0, 2.0))) == 1
    assert int(bench.ulp_distance(np.nextafter(1.0, 2.0), 1.0)) == 1
    assert int(bench.ulp_distance(1.0, np.nextafter(1.0, 0.0))) == 1
    assert int(bench.ulp_distance(0.0, -0.0)) == 0
    assert int(bench.ulp_distance(np.nan, np.nan)) == 0
    assert int(bench.ulp_distance(-tiny, tiny)) == 2
    assert int(bench.ulp_distance(-1.0, -np.nextafter(1.0, 2.0))) == 1
    assert int(bench.ulp_distance(np.inf, np.finfo(np.float64).max)) == 1
    assert int(bench.ulp_distance(1.0, 2.0)) == 2**52
    assert int(bench.ulp_distance(np.nan, 1.0)) == np.iinfo(np.uint64).max


def test_ulp_distance_float32() -> None:
    """Hand-checked float32 distances, measured in float32 ULPs."""
    one, two, zero = np.float32(1), np.float32(2), np.float32(0)
    tiny = np.finfo(np.float32).smallest_subnormal
    nan = np.float32(np.nan)
    assert bench.ulp_distance(one, np.nextafter(one, two)).dtype == np.uint32
    assert int(bench.ulp_distance(one, np.nextafter(one, two))) == 1
    assert int(bench.ulp_distance(zero, -zero)) == 0
    assert int(bench.ulp_distance(nan, nan)) == 0
    assert int(bench.ulp_distance(-tiny, tiny)) == 2
    assert int(bench.ulp_distance(one, two)) == 2**23


def test_ulp_distance_arrays() -> None:
    """Works element-wise and rejects non-float input."""
    a = np.array([1.0, 0.0, np.nan, 3.0], dtype=np.float32)
    b = np.array([1.0, -0.0, np.nan, np.nextafter(np.float32(3), np.float32(0))])
    np.testing.assert_array_equal(bench.ulp_distance(a, b.astype(np.float32)), [0, 0, 0, 1])
    with pytest.raises(TypeError):
        bench.ulp_distance(np.arange(3), np.arange(3))


def test_max_abs_diff() -> None:
    """Equal infinities and NaNs count as no difference."""
    a = np.array([1.0, np.inf, np.nan, 2.0])
    b = np.array([1.5, np.inf, np.nan, 2.0])
    assert bench.max_abs_diff(a, b) == 0.5


def test_make_input_ranges() -> None:
    """Inputs are reproducible, in [0, 1) for exp and (0, 1] for log."""
    x = bench.make_input("exp", "float64", 10_000)
    np.testing.assert_array_equal(x, bench.make_input("exp", "float64", 10_000))
    assert x.min() >= 0.0
    assert x.max() < 1.0
    y = bench.make_input("log", "float32", 10_000)
    assert y.dtype == np.float32
    assert y.min() > 0.0
    assert y.max() <= 1.0

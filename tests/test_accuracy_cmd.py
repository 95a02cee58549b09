"""Tests for the ``parmath accuracy`` command (``parmath.accuracy``)."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

import mpmath
import numpy as np
import pytest

import parmath
from parmath import accuracy, cli

if TYPE_CHECKING:
    from pathlib import Path

REGISTRY = {str(row["name"]): row for row in parmath._core.registry()}
#: Two or three functions to run the command on: exp and add when registered.
FUNCS = [name for name in ("exp", "add", "sqrt") if name in REGISTRY] or list(REGISTRY)[:2]
#: Functions that are correctly rounded (max error 0.5 ULP on any point).
CORRECTLY_ROUNDED = [name for name in ("sqrt", "add") if name in REGISTRY]
ROW = re.compile(r"^\| (\w+) \| (float32|float64) \| (.+) \|$")


def _mp(value: str) -> object:
    """Evaluate an exact value written as an mpmath expression, at 200 bits."""
    with mpmath.workprec(200):
        return eval(value, {"mp": mpmath})


# ---- the ULP-error helper ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("got", "exact", "dtype", "want"),
    [
        (1.0, "1 + mp.ldexp(1, -53)", "float64", 0.5),  # half an ULP above 1
        (1.0, "1 - mp.ldexp(1, -54)", "float64", 0.5),  # below 1 the ULP is 2**-53
        (1.0, "1 + mp.ldexp(1, -52)", "float64", 1.0),
        (1.0, "1 + mp.ldexp(1, -24)", "float32", 0.5),
        (1.0, "1 - mp.ldexp(1, -25)", "float32", 0.5),
        (2.0, "2 - mp.ldexp(1, -60)", "float64", 2.0**-8),  # ulp(exact) = 2**-52 below 2
        (-3.0, "-3 - mp.ldexp(3, -54)", "float64", 0.375),  # ulp in [2, 4) is 2**-51
        (0.0, "mp.ldexp(1, -1075)", "float64", 0.5),  # subnormals: fixed unit 2**-1074
        (2.0**-1074, "mp.ldexp(3, -1076)", "float64", 0.25),
        (0.0, "mp.ldexp(1, -150)", "float32", 0.5),
        (0.0, "mp.mpf(0)", "float64", 0.0),
        (1e-300, "mp.mpf(0)", "float64", math.ldexp(1e-300, 1074)),
        (1.0, "mp.mpf(1)/3", "float64", abs(1.0 - 1 / 3) * 2.0**54),
    ],
)
def test_ulp_error_hand_computed(got: float, exact: str, dtype: str, want: float) -> None:
    assert accuracy.ulp_error(got, _mp(exact), dtype) == pytest.approx(want, rel=1e-12, abs=0)


def test_ulp_error_from_float_and_int() -> None:
    assert accuracy.ulp_error(1.0, 1.0 + 2.0**-52, "float64") == 1.0
    assert accuracy.ulp_error(3.0, 3, "float32") == 0.0


def test_ulp_error_unmeasured() -> None:
    assert math.isnan(accuracy.ulp_error(np.inf, _mp("mp.ldexp(1, 1024)"), "float64"))
    assert math.isnan(accuracy.ulp_error(1.0, _mp("mp.mpc(1, 1)"), "float64"))  # complex
    assert math.isnan(accuracy.ulp_error(1.0, _mp("mp.inf"), "float64"))
    assert math.isnan(accuracy.ulp_error(np.nan, 1.0, "float64"))  # non-finite result
    assert math.isnan(accuracy.ulp_error(1.0, None, "float64"))
    big = float(np.finfo(np.float32).max)
    # ulp(max) is 2**104: below max + ulp/2 rounds to max (measured), from there on to inf.
    assert accuracy.ulp_error(big, _mp(f"mp.mpf({big}) + mp.ldexp(1, 102)"), "float32") == 0.25
    assert math.isnan(accuracy.ulp_error(big, _mp(f"mp.mpf({big}) + mp.ldexp(1, 103)"), "float32"))


def test_ulp_errors_vectorised() -> None:
    exact = accuracy.exact_values([_mp("1 + mp.ldexp(1, -53)"), None, _mp("mp.mpf(-2)")], "float64")
    err = accuracy.ulp_errors(np.array([1.0, 5.0, -2.0]), exact)
    assert err[0] == 0.5
    assert math.isnan(err[1])
    assert err[2] == 0.0


# ---- sampling -------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", accuracy.DTYPES)
def test_samples_stay_in_domain(dtype: str) -> None:
    for name, low in (("log", 0.0), ("arccosh", 1.0), ("sqrt", 0.0)):
        (x,) = accuracy.sample_inputs(name, 1, dtype, 1000, seed=1)
        assert x.dtype == dtype
        assert x.size == 1000
        assert np.isfinite(x).all()
        assert (x >= low).all()
    (x,) = accuracy.sample_inputs("arcsin", 1, dtype, 1000, seed=1)
    assert (np.abs(x) <= 1).all()
    again = accuracy.sample_inputs("power", 2, dtype, 500, seed=7)
    first = accuracy.sample_inputs("power", 2, dtype, 500, seed=7)
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a, b)


# ---- the command ----------------------------------------------------------------------------


def _run(tmp_path: Path, *extra: str) -> tuple[int, Path]:
    out = tmp_path / "docs" / "accuracy.md"
    argv = ["accuracy", "--points", "300", "--output", str(out), "--quiet", *extra]
    return cli.main(argv), out


def _rows(text: str) -> dict[tuple[str, str], list[str]]:
    rows = {}
    for line in text.splitlines():
        match = ROW.match(line)
        if match:
            rows[match.group(1), match.group(2)] = match.group(3).split(" | ")
    return rows


def _number(cell: str) -> float:
    return float(cell.strip("*"))


def test_report_structure_and_bounds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(tmp_path, "--func", ",".join(FUNCS))
    assert code == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Accuracy\n")
    assert text.count(accuracy.BEGIN_MARKER) == 1
    assert text.count(accuracy.END_MARKER) == 1
    head = "| " + " | ".join(accuracy.TABLE_HEAD) + " |"
    assert head in text
    assert f"ISA `{parmath.info()['isa']}`" in text
    assert f"NumPy {np.__version__}" in text
    assert "parmath accuracy --points 300" in text
    assert "300 points per function and dtype" in text
    rows = _rows(text)
    assert set(rows) == {(name, dtype) for name in FUNCS for dtype in accuracy.DTYPES}
    for (name, dtype), cells in rows.items():
        assert len(cells) == len(accuracy.TABLE_HEAD) - 2
        pm_max, pm_mean, np_max, np_mean = map(_number, cells[:4])
        bound = float(cells[4])
        assert bound == REGISTRY[name]["ulp"][dtype]
        assert 0 <= pm_mean <= pm_max <= bound, (name, dtype, cells)
        assert 0 <= np_mean <= np_max
        if name in CORRECTLY_ROUNDED:
            assert pm_max <= 0.5, (name, dtype, cells)
    printed = capsys.readouterr().out
    assert "parmath max ULP" in printed
    assert f"wrote {out}" in printed
    assert [p.name for p in out.parent.iterdir()] == ["accuracy.md"]  # no temporary file left


def test_replaces_only_the_marked_block(tmp_path: Path) -> None:
    out = tmp_path / "docs" / "accuracy.md"
    out.parent.mkdir()
    before, after = "# Accuracy\n\nhand-written sweep numbers\n\n", "\n\n## Later\n\nkept\n"
    stale = f"{accuracy.BEGIN_MARKER}\nold table\n{accuracy.END_MARKER}"
    out.write_text(before + stale + after, encoding="utf-8")
    code, _ = _run(tmp_path, "--func", FUNCS[0], "--dtype", "float64")
    assert code == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith(before + accuracy.BEGIN_MARKER)
    assert text.endswith(accuracy.END_MARKER + after)
    assert "old table" not in text
    assert set(_rows(text)) == {(FUNCS[0], "float64")}
    assert sorted(p.name for p in out.parent.iterdir()) == ["accuracy.md"]


def test_failed_write_leaves_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report.md"
    out.write_text("original\n", encoding="utf-8")

    def fail(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(accuracy.os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        accuracy.write_atomically(out, "new\n")
    assert out.read_text(encoding="utf-8") == "original\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_unknown_function_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _run(tmp_path, "--func", f"{FUNCS[0]},no_such_function")
    assert code == 2
    err = capsys.readouterr().err
    assert "parmath accuracy: error: unknown function no_such_function" in err
    assert FUNCS[0] in err  # lists what the registry has
    assert not out.exists()
    assert not out.parent.exists()


def test_missing_mpmath_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_import = accuracy.importlib.import_module

    def no_mpmath(name: str, package: str | None = None) -> object:
        if name == "mpmath":
            raise ImportError("No module named 'mpmath'")
        return real_import(name, package)

    monkeypatch.setattr(accuracy.importlib, "import_module", no_mpmath)
    code, out = _run(tmp_path, "--func", FUNCS[0])
    assert code == 1
    assert "mpmath is needed" in capsys.readouterr().err
    assert not out.exists()


def test_function_without_numpy_reference_shows_a_dash() -> None:
    row = accuracy.Row("f", "float64", 10, 10, accuracy.Stats(0.5, 0.25, 0), None, "-", 1.0, 0.0)
    assert accuracy.table_cells(row) == ["f", "float64", "0.5000", "0.2500", "-", "-", "1"]

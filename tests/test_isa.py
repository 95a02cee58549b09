"""Every instruction-set level (PARMATH_ISA) gives correct results, each in a fresh interpreter.

PARMATH_ISA is read once, at import, so each level runs in its own child process; the children
only compute, and every check happens here against NumPy and mpmath.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import parmath
from _helpers import (
    FLOAT_DTYPES,
    assert_ulp_close,
    check_subprocess,
    describe_worst,
    exact_values,
    finish,
    run_python,
    same_specials,
    start_python,
    ulp_distance,
    ulp_errors,
)
from _reference import (
    CASE_IDS,
    CASES,
    accuracy_inputs,
    edge_inputs,
    measure_accuracy,
    numpy_tolerance,
    random_inputs,
    reference,
    sprinkle_specials,
    ulp_bound,
)

LEVELS = ("generic", "avx2", "avx512")
DETECTED = parmath.info()["isa_detected"]
RANDOM_POINTS = 200_000

CHILD = """
    import json, sys, warnings
    warnings.simplefilter("error")
    import numpy as np
    import parmath

    inputs = np.load(sys.argv[1])
    outputs = {}
    with np.errstate(all="ignore"):
        for key in inputs.files:
            outputs[key] = getattr(parmath, key.split("|")[0])(inputs[key])
    np.savez(sys.argv[2], **outputs)
    docs = {name: getattr(parmath, name).__doc__ for name in parmath.FUNCTIONS}
    print(json.dumps({"info": parmath.info(), "docs": docs}))
"""


def expected_level(requested: str) -> str:
    return LEVELS[min(LEVELS.index(requested), LEVELS.index(DETECTED))]


def _key(name: str, dtype: str, kind: str) -> str:
    return f"{name}|{dtype}|{kind}"


@pytest.fixture(scope="module")
def isa_inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, np.ndarray]]:
    rng = np.random.default_rng(20240601)
    arrays: dict[str, np.ndarray] = {}
    for name, dtype in CASES:
        x = np.concatenate(
            [random_inputs(name, dtype, RANDOM_POINTS, rng), edge_inputs(name, dtype)]
        )
        arrays[_key(name, dtype, "random")] = sprinkle_specials(x, rng, count=1000)
        arrays[_key(name, dtype, "accuracy")] = np.asarray(accuracy_inputs(name, dtype))
    path = tmp_path_factory.mktemp("isa") / "inputs.npz"
    np.savez(path, **arrays)
    return path, arrays


@pytest.fixture(scope="module")
def isa_runs(
    isa_inputs: tuple[Path, dict[str, np.ndarray]], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[dict[str, Any], dict[str, np.ndarray]]]:
    """Run every level's child (concurrently) on the same inputs; level -> (report, outputs)."""
    path, _ = isa_inputs
    outdir = tmp_path_factory.mktemp("isa-out")
    procs = {
        level: start_python(
            CHILD, {"PARMATH_ISA": level}, argv=(str(path), str(outdir / f"{level}.npz"))
        )
        for level in LEVELS
    }
    runs = {}
    for level, proc in procs.items():
        report = json.loads(check_subprocess(finish(proc, timeout=120)))
        with np.load(outdir / f"{level}.npz") as data:
            runs[level] = (report, {k: data[k] for k in data.files})
    return runs


@pytest.mark.parametrize("level", LEVELS)
def test_level_in_use(level: str, isa_runs: dict[str, Any]) -> None:
    report, _ = isa_runs[level]
    info = report["info"]
    assert info["isa_detected"] == DETECTED
    assert info["isa"] == expected_level(level)
    for doc in report["docs"].values():
        assert f"({expected_level(level)} here)" in doc


@pytest.mark.parametrize(("name", "dtype"), CASES, ids=CASE_IDS)
@pytest.mark.parametrize("level", LEVELS)
def test_level_matches_numpy(
    level: str, name: str, dtype: str, isa_runs: dict[str, Any], isa_inputs: Any
) -> None:
    _, arrays = isa_inputs
    _, outputs = isa_runs[level]
    x = arrays[_key(name, dtype, "random")]
    with np.errstate(all="ignore"):
        want = reference(name).numpy(x)
    got = outputs[_key(name, dtype, "random")]
    same_specials(got, want, x)
    # Where NumPy is further off than its own target (glibc's cos of 5.3e255 is 8 ULP from the
    # exact -4.687e-19), mpmath decides: parmath must be within its bound of the exact value.
    apart = np.flatnonzero(ulp_distance(got, want) > numpy_tolerance(name, dtype))
    if apart.size:
        exact = exact_values(reference(name).mpmath, x[apart], dtype)
        err = ulp_errors(got[apart], exact)
        assert err.max() <= ulp_bound(name, dtype), describe_worst(x[apart], got[apart], err)
    keep = np.ones(x.size, dtype=bool)
    keep[apart] = False
    assert_ulp_close(got[keep], want[keep], numpy_tolerance(name, dtype), x[keep])


@pytest.mark.parametrize(("name", "dtype"), CASES, ids=CASE_IDS)
@pytest.mark.parametrize("level", LEVELS)
def test_level_accuracy(level: str, name: str, dtype: str, isa_runs: dict[str, Any]) -> None:
    _, outputs = isa_runs[level]
    y = outputs[_key(name, dtype, "accuracy")]
    label = f"{name} {dtype} [{expected_level(level)}]"
    worst, detail = measure_accuracy(name, dtype, y, label)
    bound = ulp_bound(name, dtype)
    assert worst <= bound, f"{label}: max error {worst:.4f} ULP > {bound} ULP\n{detail}"


@pytest.mark.parametrize(("name", "dtype"), CASES, ids=CASE_IDS)
def test_special_values_identical_across_levels(
    name: str, dtype: str, isa_runs: dict[str, Any], isa_inputs: Any
) -> None:
    """Specials (NaN, infinities, zeros in or out) are the same at every level and as NumPy's.

    Bit for bit across levels, NaN positions only against NumPy.
    """
    _, arrays = isa_inputs
    key = _key(name, dtype, "random")
    x = arrays[key]
    ys = {level: isa_runs[level][1][key] for level in LEVELS}
    with np.errstate(all="ignore"):
        want = reference(name).numpy(x)
    special = ~np.isfinite(x) | (x == 0) | ~np.isfinite(want) | (want == 0)
    for y in ys.values():
        special |= ~np.isfinite(y) | (y == 0)
    assert special.sum() >= 300
    udt = f"u{FLOAT_DTYPES[dtype].itemsize}"
    first = ys[LEVELS[0]]
    for level, y in ys.items():
        same_specials(y[special], want[special], x[special], what=f"{level}: ")
        not_nan = ~np.isnan(y[special])
        np.testing.assert_array_equal(
            y[special][not_nan].view(udt),
            first[special][not_nan].view(udt),
            err_msg=f"{level} differs from {LEVELS[0]}",
        )


WARN_CHILD = """
    import json, warnings
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        import parmath
    print(json.dumps({
        "isa": parmath.info()["isa"],
        "warnings": [[w.category.__name__, str(w.message)] for w in caught],
    }))
"""


@pytest.mark.parametrize(
    ("value", "level"),
    [("AVX2", "avx2"), (" generic ", "generic"), ("Avx512", "avx512"), ("generic\n", "generic")],
)
def test_level_names_are_case_and_space_insensitive(value: str, level: str) -> None:
    report = json.loads(check_subprocess(run_python(WARN_CHILD, {"PARMATH_ISA": value})))
    assert report == {"isa": expected_level(level), "warnings": []}


@pytest.mark.parametrize("value", ["bogus", "avx-2", "sse2", ""])
def test_unknown_level_warns_and_is_ignored(value: str) -> None:
    report = json.loads(check_subprocess(run_python(WARN_CHILD, {"PARMATH_ISA": value})))
    assert report["isa"] == DETECTED
    assert len(report["warnings"]) == 1
    category, message = report["warnings"][0]
    assert category == "RuntimeWarning"
    assert "PARMATH_ISA" in message
    assert repr(value) in message


def test_unknown_level_fails_under_warnings_as_errors() -> None:
    proc = run_python("import parmath", {"PARMATH_ISA": "bogus"}, flags=("-W", "error"))
    assert proc.returncode != 0
    assert "RuntimeWarning" in proc.stderr
    assert "PARMATH_ISA" in proc.stderr

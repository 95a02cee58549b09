"""parmath's results against mpmath: every registry function within its documented ULP bound.

The error of a result ``y`` is ``|y - exact| / ulp(exact)`` with ``exact`` from mpmath at 120
bits (not rounded first, so no double rounding): a correctly rounded result scores at most 0.5.
"""

from __future__ import annotations

import numpy as np
import pytest

from _helpers import (
    describe_worst,
    exact_values,
    fp_errors,
    ieee_flags,
    same_specials,
    ulp_distance,
    ulp_errors,
)
from _reference import (
    CASE_IDS,
    CASES,
    accuracy_inputs,
    edge_inputs,
    measure_accuracy,
    numpy_validation_set,
    random_bits,
    reference,
    ufunc,
    ulp_bound,
)


@pytest.mark.parametrize(("name", "dtype"), CASES, ids=CASE_IDS)
def test_ulp_error_within_registry_bound(name: str, dtype: str) -> None:
    x = accuracy_inputs(name, dtype)
    with np.errstate(all="ignore"):
        y = ufunc(name)(x)
    worst, detail = measure_accuracy(name, dtype, y, f"{name} {dtype}")
    bound = ulp_bound(name, dtype)
    assert worst <= bound, f"{name} {dtype}: max error {worst:.4f} ULP > {bound} ULP\n{detail}"


@pytest.mark.parametrize(("name", "dtype"), CASES, ids=CASE_IDS)
def test_special_values_match_numpy(name: str, dtype: str, rng: np.random.Generator) -> None:
    x = np.concatenate([edge_inputs(name, dtype), random_bits(dtype, 20_000, rng)])
    with np.errstate(all="ignore"):
        same_specials(ufunc(name)(x), reference(name).numpy(x), x)


@pytest.mark.parametrize(("name", "dtype"), CASES, ids=CASE_IDS)
def test_edge_values_are_faithful(name: str, dtype: str) -> None:
    """Thresholds and seams on their own, so a failure names the edge."""
    x = edge_inputs(name, dtype)
    with np.errstate(all="ignore"):
        y = ufunc(name)(x)
    err = ulp_errors(y, exact_values(reference(name).mpmath, x, dtype))
    bound = ulp_bound(name, dtype)
    assert err.max() <= bound, describe_worst(x, y, err)


@pytest.mark.parametrize(("name", "dtype"), CASES, ids=CASE_IDS)
def test_floating_point_flags_follow_ieee(name: str, dtype: str) -> None:
    """The errors reported for each edge input are those IEEE 754 gives the exact result."""
    bad = []
    for v in edge_inputs(name, dtype):
        want = ieee_flags(reference(name).mpmath, float(v), dtype)
        if want is None:
            continue
        got, _ = fp_errors(ufunc(name), np.array([v]))
        if got != want:
            bad.append(f"  x={v!r} ({float(v).hex()}): reported {sorted(got)}, IEEE {sorted(want)}")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize(("name", "dtype"), CASES, ids=CASE_IDS)
def test_numpy_validation_targets_are_current(name: str, dtype: str) -> None:
    """The slack the NumPy comparisons allow is NumPy's own published target."""
    csv = numpy_validation_set(name, dtype)
    if csv is None:
        pytest.skip(f"this NumPy ships no validation set for {name}")
    _, _, tol = csv
    assert reference(name).numpy_ulp[dtype] == tol


@pytest.mark.parametrize(("name", "dtype"), CASES, ids=CASE_IDS)
def test_numpy_validation_set(name: str, dtype: str) -> None:
    """NumPy's own hard cases, whose correctly rounded results it ships: parmath within bound."""
    csv = numpy_validation_set(name, dtype)
    if csv is None:
        pytest.skip(f"this NumPy ships no validation set for {name}")
    x, correctly_rounded, _ = csv
    with np.errstate(all="ignore"):
        y = ufunc(name)(x)
    same_specials(y, correctly_rounded, x)
    # Faithful (<= 1 ULP) results are at most one step from the correctly rounded one, two where
    # the exact value sits just past a power of two.
    assert float(ulp_distance(y, correctly_rounded).max()) <= 2 * np.ceil(ulp_bound(name, dtype))

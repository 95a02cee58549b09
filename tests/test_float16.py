"""float16: computed by the float32 kernels and rounded, as NumPy's own float16 loops do."""

from __future__ import annotations

import numpy as np
import pytest

from _helpers import fp_errors
from _reference import UNARY_NAMES, numpy_has_integer_loops, reference, ufunc

NAMES = UNARY_NAMES
ALL_HALVES = np.arange(1 << 16, dtype=np.uint16).view(np.float16)


def _steps(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance in float16 ULPs (both zeros at 0), for finite or infinite values."""

    def ordered(v: np.ndarray) -> np.ndarray:
        bits = v.view(np.int16).astype(np.int64)
        return np.where(bits < 0, -(bits & 0x7FFF), bits)

    return np.abs(ordered(a) - ordered(b))


@pytest.mark.parametrize("name", NAMES)
def test_every_half_within_one_ulp(name: str) -> None:
    with np.errstate(all="ignore"):
        got = ufunc(name)(ALL_HALVES)
        # NumPy's float64 result (<= 1 ULP of 2^-52) rounded once to float16: the reference.
        want = reference(name).numpy(ALL_HALVES.astype(np.float64)).astype(np.float16)
        numpy_half = reference(name).numpy(ALL_HALVES)
    assert got.dtype == np.float16
    nan = np.isnan(want)
    assert np.array_equal(np.isnan(got), nan)
    assert np.array_equal(np.isnan(numpy_half), nan)
    assert _steps(got[~nan], want[~nan]).max() <= 1
    assert _steps(got[~nan], numpy_half[~nan]).max() <= 1
    # Infinities and zeros exactly, sign included.
    special = ~nan & ((want == 0) | np.isinf(want))
    assert np.array_equal(got[special].view(np.int16), want[special].view(np.int16))


@pytest.mark.parametrize("name", NAMES)
def test_parallel_and_strided_match_serial(name: str) -> None:
    x = np.resize(ALL_HALVES[np.isfinite(ALL_HALVES)], 300_001)
    with np.errstate(all="ignore"):
        serial = np.concatenate([ufunc(name)(x[i : i + 1000]) for i in range(0, x.size, 1000)])
        assert np.array_equal(ufunc(name)(x).view(np.int16), serial.view(np.int16))
        strided = ufunc(name)(x[::3])
    assert np.array_equal(strided.view(np.int16), serial[::3].view(np.int16))


ERROR_CASES = [
    ("exp", 12.0),  # overflows float16 only
    ("exp", -20.0),  # underflows float16 only
    ("exp", 1.0),
    ("exp", np.inf),
    ("exp", -np.inf),
    ("log", 0.0),
    ("log", -1.0),
    ("log", 2.0),
    ("log", np.nan),
]


@pytest.mark.parametrize(("name", "value"), ERROR_CASES)
def test_errors_match_numpy(name: str, value: float) -> None:
    if name not in NAMES:
        pytest.skip(f"{name} is not in the registry")
    x = np.full(5, value, dtype=np.float16)
    assert fp_errors(ufunc(name), x)[0] == fp_errors(reference(name).numpy, x)[0]


def test_small_integers_promote_to_float16_like_numpy() -> None:
    for dtype in ("int8", "uint8", "bool"):
        x = np.arange(4).astype(dtype)
        for name in NAMES:
            if numpy_has_integer_loops(name):
                continue  # NumPy keeps int8 there; parmath computes in float16
            with np.errstate(all="ignore"):
                assert ufunc(name)(x).dtype == reference(name).numpy(x).dtype == np.float16

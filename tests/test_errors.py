"""Bad arguments raise what NumPy raises; floating-point errors are reported as NumPy does."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

from _helpers import ERRSTATE_KINDS, assert_raises_like, exception_from, fp_errors, same_specials
from _reference import (
    CASE_IDS,
    CASES,
    UNARY_NAMES,
    in_domain,
    numpy_has_integer_loops,
    random_inputs,
    reference,
    ufunc,
)

NAMES = UNARY_NAMES
PARALLEL = 300_001

#: np.errstate category -> the words NumPy's messages use.
MESSAGE_WORDS = {v: k for k, v in ERRSTATE_KINDS.items()}


def _raises_like_numpy(name: str, *args: Any, **kwargs: Any) -> Exception:
    """Assert parmath raises NumPy's exception type with NumPy's message; return parmath's.

    Where NumPy has integer loops its messages differ (they depend on the loop list): the
    exception type is compared alone.
    """
    if numpy_has_integer_loops(name):
        want = exception_from(reference(name).numpy, *args, **kwargs)
        got = exception_from(ufunc(name), *args, **kwargs)
        assert isinstance(got, TypeError) == isinstance(want, TypeError), (got, want)
        return got
    return assert_raises_like(reference(name).numpy, ufunc(name), *args, **kwargs)


# ---------------------------------------------------------------------------------------------
# Unsupported input types
# ---------------------------------------------------------------------------------------------

UNSUPPORTED = {
    "complex128": np.array([1 + 1j, 2.0]),
    "complex64": np.array([1 + 1j], dtype=np.complex64),
    "object": np.array([1.0, 2.0], dtype=object),
    "str": np.array(["1.0"]),
    "bytes": np.array([b"1.0"]),
    "datetime64": np.array(["2000-01-01"], dtype="M8[D]"),
    "timedelta64": np.array([1], dtype="m8[s]"),
    "void": np.zeros(1, dtype="V8"),
    "structured": np.zeros(1, dtype=[("a", "f8")]),
}


@pytest.mark.parametrize("kind", list(UNSUPPORTED))
@pytest.mark.parametrize("name", NAMES)
def test_unsupported_dtype_raises_type_error(name: str, kind: str) -> None:
    x = UNSUPPORTED[kind]
    with pytest.raises(TypeError) as pm_err:
        ufunc(name)(x)
    # NumPy's legacy type resolution gives one message for every input no loop takes safely (it
    # does not name the dtype); parmath's must be NumPy's, whether or not np.<name> has a loop.
    with pytest.raises(TypeError) as np_err:
        reference(name).numpy(np.zeros(1, dtype="V8"))
    if not numpy_has_integer_loops(name):
        assert str(pm_err.value) == str(np_err.value)
    assert f"ufunc {name!r}" in str(pm_err.value)


@pytest.mark.parametrize("name", NAMES)
def test_unsupported_python_scalars(name: str) -> None:
    for x in (1j, "1.0", b"1", None, object()):
        with pytest.raises(TypeError):
            ufunc(name)(x)


@pytest.mark.skipif(not hasattr(np.dtypes, "StringDType"), reason="NumPy 2 only")
@pytest.mark.parametrize("name", NAMES)
def test_string_dtype_names_the_dtype(name: str) -> None:
    """The new-style StringDType goes through NumPy's promoter, whose message names it."""
    x = np.array(["1.0"], dtype=np.dtypes.StringDType())
    err = _raises_like_numpy(name, x)
    assert "StringDType" in str(err)


# ---------------------------------------------------------------------------------------------
# Bad out= and call signatures
# ---------------------------------------------------------------------------------------------


def _readonly(n: int) -> np.ndarray:
    a = np.zeros(n)
    a.flags.writeable = False
    return a


BAD_CALLS: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    "out-wrong-shape": ((np.ones(4),), {"out": np.empty(3)}),
    "out-wrong-ndim": ((np.ones(4),), {"out": np.empty((2, 2))}),
    "out-int": ((np.ones(4),), {"out": np.empty(4, dtype=np.int64)}),
    "out-bool": ((np.ones(4),), {"out": np.empty(4, dtype=bool)}),
    "out-read-only": ((np.ones(4),), {"out": _readonly(4)}),
    "out-not-array": ((np.ones(4),), {"out": [0.0] * 4}),
    "out-tuple-too-long": ((np.ones(4),), {"out": (np.empty(4), np.empty(4))}),
    "out-positional-and-keyword": ((np.ones(4), np.empty(4)), {"out": np.empty(4)}),
    "no-arguments": ((), {}),
    "too-many-arguments": ((1.0, 2.0, 3.0), {}),
    "second-positional-not-array": ((1.0, 2.0), {}),
    "unknown-keyword": ((1.0,), {"bogus": 1}),
    "bad-where": ((np.ones(4),), {"where": np.ones(3, dtype=bool)}),
    "bad-order": ((np.ones(4),), {"order": "Z"}),
    "bad-dtype": ((np.ones(4),), {"dtype": "not-a-dtype"}),
    "bad-signature": ((np.ones(4),), {"signature": "q->q"}),
}


@pytest.mark.parametrize("case", list(BAD_CALLS))
@pytest.mark.parametrize("name", NAMES)
def test_bad_calls_raise_like_numpy(name: str, case: str) -> None:
    args, kwargs = BAD_CALLS[case]
    err = _raises_like_numpy(name, *args, **kwargs)
    if case.startswith(("out-wrong", "out-read-only")):
        assert isinstance(err, ValueError)
    if case in ("out-int", "out-bool", "no-arguments", "too-many-arguments"):
        assert isinstance(err, TypeError)


def test_bad_out_leaves_input_and_out_untouched() -> None:
    x = np.array([1.0, 2.0, 3.0])
    out = np.full(3, 7, dtype=np.int64)
    with pytest.raises(TypeError):
        ufunc(NAMES[0])(x, out=out)
    np.testing.assert_array_equal(out, 7)
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])


# ---------------------------------------------------------------------------------------------
# Floating-point errors: parity with NumPy
# ---------------------------------------------------------------------------------------------


def _fp_cases() -> list[Any]:
    cases = []
    for name, dtype in CASES:
        for value, category in reference(name).fp_cases:
            cases.append(pytest.param(name, dtype, value, category, id=f"{name}-{dtype}-{value!r}"))
    return cases


def _arrays(name: str, dtype: str, value: float) -> dict[str, np.ndarray]:
    """Return arrays holding the offending `value`, the rest harmless.

    Alone, in a small array, and in large (parallel-path) arrays in the middle and near the end
    (a block a pool thread computes).
    """
    rng = np.random.default_rng(0)
    harmless = random_inputs(name, dtype, PARALLEL, rng, typical=True)
    harmless = harmless[np.isfinite(harmless)]
    small = np.resize(harmless[:33], 33)
    small[16] = value
    middle = np.resize(harmless, PARALLEL)
    middle[PARALLEL // 2] = value
    end = np.resize(harmless, PARALLEL)
    end[-3] = value
    return {
        "scalar": np.array(value, dtype=dtype),
        "small": small,
        "large-middle": middle,
        "large-end": end,
        "large-strided": np.repeat(end, 2)[::2],
    }


@pytest.mark.parametrize(("name", "dtype", "value", "category"), _fp_cases())
def test_fp_errors_match_numpy(name: str, dtype: str, value: float, category: str | None) -> None:
    for label, x in _arrays(name, dtype, value).items():
        np_seen, want = fp_errors(reference(name).numpy, x)
        pm_seen, got = fp_errors(ufunc(name), x)
        assert np_seen == ({category} if category else set()), f"{label}: numpy reports {np_seen}"
        assert pm_seen == np_seen, f"{label}: parmath reports {pm_seen}, numpy {np_seen}"
        same_specials(got, want, x)


@pytest.mark.parametrize(("name", "dtype", "value", "category"), _fp_cases())
def test_fp_errors_raise_warn_ignore(
    name: str, dtype: str, value: float, category: str | None
) -> None:
    arrays = _arrays(name, dtype, value)
    for label in ("small", "large-end"):
        x = arrays[label]
        # raise
        if category is None:
            with np.errstate(all="raise"):
                ufunc(name)(x)
        else:
            with np.errstate(all="raise"), pytest.raises(FloatingPointError) as np_err:
                reference(name).numpy(x)
            with np.errstate(all="raise"), pytest.raises(FloatingPointError) as pm_err:
                ufunc(name)(x)
            assert str(pm_err.value) == str(np_err.value)
            assert str(pm_err.value) == f"{MESSAGE_WORDS[category]} encountered in {name}"
            # Raising only the category at hand, everything else ignored.
            with (
                np.errstate(all="ignore", **{category: "raise"}),
                pytest.raises(FloatingPointError),
            ):
                ufunc(name)(x)
        # warn: exactly one RuntimeWarning, with NumPy's message
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with np.errstate(all="warn"):
                ufunc(name)(x)
        messages = [str(w.message) for w in caught]
        assert all(w.category is RuntimeWarning for w in caught)
        if category is None:
            assert messages == [], label
        else:
            assert messages == [f"{MESSAGE_WORDS[category]} encountered in {name}"], label
        # ignore
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with np.errstate(all="ignore"):
                ufunc(name)(x)
        assert caught == []


@pytest.mark.parametrize(("name", "dtype"), CASES, ids=CASE_IDS)
def test_no_spurious_fp_errors(name: str, dtype: str, rng: np.random.Generator) -> None:
    """Typical inputs raise nothing, on every path (small, parallel, strided, unaligned)."""
    x = random_inputs(name, dtype, PARALLEL, rng, typical=True)
    raw = np.zeros(x.nbytes + 1, dtype=np.uint8)
    unaligned = raw[1:].view(dtype)
    unaligned[...] = x
    for arr in (x[:1000], x, x[::3], unaligned):
        with np.errstate(all="raise"):
            ufunc(name)(arr)
            ufunc(name)(arr, out=np.empty_like(arr))


@pytest.mark.parametrize(("name", "dtype"), CASES, ids=CASE_IDS)
def test_fp_errors_respect_where(name: str, dtype: str) -> None:
    """An offending element masked out by where= reports nothing, as in NumPy."""
    for value, category in reference(name).fp_cases:
        if category is None:
            continue
        good = in_domain(name, 2, dtype)
        with np.errstate(all="ignore"):
            x = np.array([good[0], value, good[1]], dtype=dtype)
        mask = np.array([True, False, True])
        np_seen, _ = fp_errors(reference(name).numpy, x, out=np.zeros(3, dtype), where=mask)
        pm_seen, _ = fp_errors(ufunc(name), x, out=np.zeros(3, dtype), where=mask)
        assert pm_seen == np_seen == set()


def test_errors_from_casts_around_the_loop_are_kept() -> None:
    """Flags from NumPy's casts around the inner loop survive parmath's save and restore.

    Input casts run before the loop, output casts after it.
    """
    name = "exp" if "exp" in NAMES else NAMES[0]
    cases = [
        ((np.array([1e-300, 1.0]),), {"dtype": np.float32}),  # input cast underflows
        ((np.array([1e300, 1.0]),), {"dtype": np.float32}),  # input cast overflows
        ((np.full(20_000, 1e300),), {"dtype": np.float32}),  # ... over several buffers
        ((np.array([20.0, 1.0]),), {"out": np.empty(2, np.float16)}),  # output cast overflows
        ((np.array([0.5, 1.0]),), {"dtype": np.float32}),  # no error at all
    ]
    # The save and restore are shared by every function; exp and log show it, as NumPy's own loops
    # for many others (absolute, floor, tanh, ...) clear the flags, casts' included.
    for name in [n for n in NAMES if n in ("exp", "log")]:
        for args, kwargs in cases:
            np_seen, _ = fp_errors(reference(name).numpy, *args, **kwargs)
            pm_seen, _ = fp_errors(ufunc(name), *args, **kwargs)
            assert pm_seen == np_seen, (name, args[0][:2], kwargs)


@pytest.mark.parametrize("name", NAMES)
def test_flags_raised_before_the_call_do_not_leak_or_vanish(name: str) -> None:
    """A flag set by earlier, unrelated arithmetic is neither reported nor hidden, as in NumPy."""
    tiny = np.array([1e-300])

    def sequence(f: np.ufunc) -> tuple[set[str], set[str]]:
        with np.errstate(all="ignore"):
            tiny * tiny  # sets the hardware underflow flag, ignored here
        first, _ = fp_errors(f, np.array([0.5, 1.0]))
        second, _ = fp_errors(f, np.array([0.5, 1.0]), dtype=np.float32)
        return first, second

    assert sequence(ufunc(name)) == sequence(reference(name).numpy)

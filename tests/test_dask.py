"""parmath on Dask arrays: ufuncs and evaluate, on the threaded scheduler and dask.distributed.

Every result is compared with NumPy's on the same data (exact for arithmetic, comparisons and
integers; within the documented ULP bounds for functions) and, bit for bit, with parmath on the
whole NumPy arrays, which proves that the blocks ran parmath. The distributed tests use a
LocalCluster of worker processes, so the graphs and parmath's callables travel by pickle.
"""

# evaluate() reads variables from its caller's frame, which the linter cannot see.
# ruff: noqa: F841

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import parmath
from _helpers import assert_ulp_close, check_subprocess, run_python
from _reference import numpy_tolerance, random_inputs, reference, reference2, ufunc

dask = pytest.importorskip("dask")
da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")

Compute = Callable[[Any], Any]

UNARY = ["exp", "log", "sin", "tanh", "erf", "cbrt"]
BINARY = ["arctan2", "hypot", "power", "add"]
DTYPES = ["float64", "float32"]


def _cluster() -> Any:
    # dashboard_address=None still serves the scheduler's HTTP routes on port 8787, and a second
    # cluster warns that the port is taken: a free port instead (no dashboard without bokeh).
    return distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    )


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """Yield a client of two worker processes (a thread each), shared by the module's tests."""
    with _cluster() as cluster, distributed.Client(cluster, set_as_default=False) as c:
        yield c


@pytest.fixture(params=["threads", "distributed"])
def compute(request: pytest.FixtureRequest) -> Compute:
    """Compute a Dask collection on the threaded scheduler or on the LocalCluster."""
    if request.param == "threads":
        return lambda x: x.compute(scheduler="threads")
    c = request.getfixturevalue("client")
    return lambda x: c.compute(x).result(timeout=60)


def _same_bits(got: np.ndarray, want: np.ndarray) -> None:
    assert got.dtype == want.dtype
    assert got.shape == want.shape
    np.testing.assert_array_equal(got.view(f"u{got.itemsize}"), want.view(f"u{want.itemsize}"))


# ---------------------------------------------------------------------------------------------
# Ufuncs: lazy through dask's __array_ufunc__
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", UNARY)
def test_unary_ufuncs(name: str, dtype: str, compute: Compute, rng: np.random.Generator) -> None:
    x = random_inputs(name, dtype, 200_000, rng, typical=True)
    lazy = ufunc(name)(da.from_array(x, chunks=70_000))  # 65,536 and up runs in parallel
    assert isinstance(lazy, da.Array)
    assert lazy.dtype == np.dtype(dtype)
    got = compute(lazy)
    _same_bits(got, ufunc(name)(x))
    assert_ulp_close(got, reference(name).numpy(x), numpy_tolerance(name, dtype), x)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", BINARY)
def test_binary_ufuncs(name: str, dtype: str, compute: Compute, rng: np.random.Generator) -> None:
    (lo1, hi1), (lo2, hi2) = reference2(name).ranges[dtype][0]
    x1 = rng.uniform(lo1, hi1, (300, 400)).astype(dtype)
    x2 = rng.uniform(lo2, hi2, 400).astype(dtype)  # broadcast along the first axis
    lazy = ufunc(name)(da.from_array(x1, chunks=(70, 150)), da.from_array(x2, chunks=90))
    assert isinstance(lazy, da.Array)
    got = compute(lazy)
    _same_bits(got, ufunc(name)(x1, x2))
    want = reference2(name).numpy(x1, x2)
    assert_ulp_close(got, want, numpy_tolerance(name, dtype), what=f"{name} ")


# ---------------------------------------------------------------------------------------------
# evaluate: a blockwise graph
# ---------------------------------------------------------------------------------------------

#: (formula, the same with NumPy ufuncs, exact): exact where NumPy rounds the same operations.
FORMULAS: list[tuple[str, Callable[..., Any], bool]] = [
    ("2*a + 3*b - a/b", lambda a, b: 2 * a + 3 * b - a / b, True),
    ("(a - b) * (a + b) + 1.5", lambda a, b: (a - b) * (a + b) + 1.5, True),
    ("exp(-a**2 / 2) * sin(b) + 1", lambda a, b: np.exp(-(a**2) / 2) * np.sin(b) + 1, False),
    ("where(a > b, log(a), sqrt(b))", lambda a, b: np.where(a > b, np.log(a), np.sqrt(b)), False),
    ("(a < b) ^ (a >= 0.5)", lambda a, b: (a < b) ^ (a >= 0.5), True),
    ("arctan2(a, b) + hypot(a, b)", lambda a, b: np.arctan2(a, b) + np.hypot(a, b), False),
]


def _check_formula(
    got: np.ndarray, text: str, numpy_formula: Callable[..., Any], exact: bool, values: Any
) -> None:
    ours = parmath.evaluate(text, values)  # the NumPy path, on the whole arrays
    _same_bits(got, ours)
    want = np.asarray(numpy_formula(*values.values()))
    assert got.dtype == want.dtype
    if exact:
        np.testing.assert_array_equal(got, want)
    else:
        # Each function is within 1 ULP (NumPy's within 1 to 4); a few roundings add up.
        eps = float(np.finfo(got.dtype).eps)
        np.testing.assert_allclose(got, want, rtol=8 * eps, atol=8 * eps)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("text", "numpy_formula", "exact"), FORMULAS)
def test_evaluate_formulas(
    text: str,
    numpy_formula: Callable[..., Any],
    exact: bool,
    dtype: str,
    compute: Compute,
    rng: np.random.Generator,
) -> None:
    a = rng.uniform(0.01, 1, (120, 90)).astype(dtype)
    b = rng.uniform(0.01, 1, (120, 90)).astype(dtype)
    # Unequal chunks: dask rechunks them to common blocks.
    values = {"a": da.from_array(a, chunks=(50, 40)), "b": da.from_array(b, chunks=(35, 90))}
    lazy = parmath.evaluate(text, values)
    assert isinstance(lazy, da.Array)
    assert lazy.shape == a.shape
    assert lazy.dtype == parmath.evaluate(text, {"a": a, "b": b}).dtype
    _check_formula(compute(lazy), text, numpy_formula, exact, {"a": a, "b": b})


def test_evaluate_mixes_dask_numpy_and_scalars(compute: Compute, rng: np.random.Generator) -> None:
    x = rng.uniform(-1, 1, (40, 60))
    col = rng.uniform(-1, 1, (40, 1))  # dask, broadcast along the second axis
    row = rng.uniform(-1, 1, 60)  # numpy, broadcast along the first
    dx, dcol = da.from_array(x, chunks=(15, 25)), da.from_array(col, chunks=(8, 1))
    k, s = 3, np.float64(0.25)
    lazy = parmath.evaluate("dx * k + dcol - row * s + tanh(dx * dcol)")
    assert isinstance(lazy, da.Array)
    assert lazy.shape == (40, 60)
    got = compute(lazy)
    numpy_values = {"dx": x, "dcol": col, "k": k, "row": row, "s": s}
    want = parmath.evaluate("dx * k + dcol - row * s + tanh(dx * dcol)", numpy_values)
    _same_bits(got, want)
    eps = float(np.finfo(np.float64).eps)
    want_np = x * k + col - row * s + np.tanh(x * col)  # terms up to 5: absolute error from them
    np.testing.assert_allclose(got, want_np, rtol=8 * eps, atol=5 * 8 * eps)


def test_evaluate_float32_stays_float32(compute: Compute, rng: np.random.Generator) -> None:
    a = rng.uniform(0, 1, 1000).astype(np.float32)
    lazy = parmath.evaluate("a * 2.5 + sin(a) - 1", {"a": da.from_array(a, chunks=300)})
    assert lazy.dtype == np.float32
    got = compute(lazy)
    assert got.dtype == np.float32
    _same_bits(got, parmath.evaluate("a * 2.5 + sin(a) - 1", {"a": a}))
    want = a * np.float32(2.5) + np.sin(a) - np.float32(1)
    np.testing.assert_allclose(got, want, rtol=4 * 1.2e-7, atol=4 * 1.2e-7)


def test_evaluate_integers_and_booleans(compute: Compute) -> None:
    i = np.arange(-500, 500, dtype=np.int32)
    di = da.from_array(i, chunks=170)
    lazy = parmath.evaluate("di // 7 + di % 5 - (di > 3)")
    assert lazy.dtype == np.int32
    np.testing.assert_array_equal(compute(lazy), i // 7 + i % 5 - (i > 3))


@pytest.mark.parametrize("axis", [None, 0, 1, -1])
@pytest.mark.parametrize("reduction", ["sum", "prod", "min", "max"])
def test_evaluate_reductions(
    reduction: str, axis: int | None, compute: Compute, rng: np.random.Generator
) -> None:
    a = rng.uniform(0.9, 1.1, (70, 50))
    b = rng.uniform(0.9, 1.1, 50)
    values = {"a": da.from_array(a, chunks=(20, 15)), "b": b}
    text = f"{reduction}(a * exp(b - 1), axis={axis})"
    lazy = parmath.evaluate(text, values)
    assert isinstance(lazy, da.Array)
    got = compute(lazy)
    ours = parmath.evaluate(text, {"a": a, "b": b})
    assert got.dtype == ours.dtype == np.float64
    assert got.shape == ours.shape
    inner = parmath.evaluate("a * exp(b - 1)", {"a": a, "b": b})
    want = getattr(np, reduction)(inner, axis=axis)
    if reduction in ("min", "max"):
        np.testing.assert_array_equal(got, want)
    else:  # Dask adds and multiplies the blocks' results in another order than NumPy
        np.testing.assert_allclose(got, want, rtol=1e-13)
        np.testing.assert_allclose(ours, want, rtol=1e-13)


def test_evaluate_reduction_types_and_spelling(compute: Compute) -> None:
    i = np.arange(100, dtype=np.int8)
    di = da.from_array(i, chunks=30)
    count = parmath.evaluate(" ( sum ( (di > 40) , axis = 0 ) ) ")
    assert count.dtype == np.int64  # as numpy.sum of booleans
    assert compute(count) == 59
    total = parmath.evaluate("sum(di)")
    assert total.dtype == np.int64
    assert compute(total) == 4950
    assert parmath.evaluate("max(where(di < 50, di, 0))").dtype == np.int8
    with pytest.raises(np.exceptions.AxisError):
        parmath.evaluate("sum(di, axis=1)")


@pytest.mark.parametrize(
    ("text", "inner"),
    [
        ("sum(a)", "a"),
        ("  ( max ( a * (b + 1) , axis = -1 ) ) ", " a * (b + 1) "),
        ("prod(where(a > 0, a, 1),)", "where(a > 0, a, 1)"),
        ("min(\n  a - (b)\n)", "\n  a - (b)\n"),
    ],
)
def test_the_argument_of_a_reduction_is_split_off(text: str, inner: str) -> None:
    from parmath import _dask

    assert parmath.compile(text).input_names[0] == "a"  # the parser accepts it
    assert _dask.inner_expression(text) == inner


def test_evaluate_is_lazy() -> None:
    x = np.linspace(0.1, 1, 1000)
    loads: list[int] = []

    def load() -> np.ndarray:
        loads.append(1)
        return x

    source = da.from_delayed(dask.delayed(load)(), shape=x.shape, dtype=x.dtype).rechunk(300)
    lazy = parmath.evaluate("log(source) + 1")
    summed = parmath.evaluate("sum(source)")
    assert isinstance(lazy, da.Array)
    assert loads == []
    assert lazy.chunks == source.chunks
    _same_bits(lazy.compute(scheduler="threads"), parmath.log(x) + 1)
    assert loads == [1]
    np.testing.assert_allclose(summed.compute(scheduler="threads"), x.sum(), rtol=1e-14)


def test_graph_names_are_deterministic() -> None:
    a = da.ones(100, chunks=30)
    first = parmath.evaluate("a * 2 + 1")
    assert parmath.evaluate("a * 2 + 1").name == first.name
    assert parmath.evaluate("a * 2 + 2").name != first.name
    assert parmath.evaluate("a * 2 + 1", {"a": a + 1}).name != first.name
    assert parmath.compile("a * 2 + 1")(a).name == first.name


def test_the_block_task_pickles_with_plain_pickle() -> None:
    from parmath._dask import Blocks

    task = pickle.loads(pickle.dumps(Blocks("a * 2 + b", ("a", "b"))))
    np.testing.assert_array_equal(task(np.arange(3.0), 1.0), [1.0, 3.0, 5.0])


def test_compiled_programs_take_dask_arrays(compute: Compute) -> None:
    x = np.linspace(-2, 2, 500)
    f = parmath.compile("erf(x) * y")
    got = compute(f(da.from_array(x, chunks=128), y=3.0))
    _same_bits(got, f(x, y=3.0))


def test_out_is_refused_for_dask_inputs() -> None:
    a = da.ones(10, chunks=5)
    with pytest.raises(TypeError, match=r"\.compute\(\).*dask\.array\.store"):
        parmath.evaluate("a + 1", out=np.empty(10))


def test_other_dask_collections_are_refused() -> None:
    d = dask.delayed(np.ones)(3)
    with pytest.raises(TypeError, match=r"dask\.array\.Array"):
        parmath.evaluate("d + 1")


def test_import_parmath_does_not_import_dask() -> None:
    code = """
        import sys
        import numpy as np, parmath
        parmath.evaluate("sum(a * 2)", {"a": np.ones(3)})
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("dask", "distributed")))
    """
    assert check_subprocess(run_python(code)).strip() == "[]"


# ---------------------------------------------------------------------------------------------
# Threads inside workers
# ---------------------------------------------------------------------------------------------


@pytest.mark.skipif("PARMATH_NUM_THREADS" in os.environ, reason="PARMATH_NUM_THREADS is set")
def test_workers_default_to_one_thread(client: Any) -> None:
    """The nanny sets OMP_NUM_THREADS=1 in each worker, and parmath follows it."""
    assert set(client.run(lambda: os.environ.get("OMP_NUM_THREADS")).values()) == {"1"}
    assert list(client.run(parmath.get_num_threads).values()) == [1, 1]
    client.run(parmath.set_num_threads, 2)
    try:
        assert list(client.run(parmath.get_num_threads).values()) == [2, 2]
    finally:
        client.run(parmath.set_num_threads, 1)


# ---------------------------------------------------------------------------------------------
# A worker that dies mid-computation
# ---------------------------------------------------------------------------------------------


def _die_once(block: np.ndarray, flag: str) -> np.ndarray:
    """Kill this worker process the first time any block gets here; later calls pass through."""
    try:
        os.close(os.open(flag, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return block
    os._exit(1)


def test_a_dying_worker_is_retried(tmp_path: Path) -> None:
    x = np.linspace(-3, 3, 300_000)
    flag = tmp_path / "died"
    # meta given: dask would otherwise call _die_once here, on an empty array, to find it.
    source = da.from_array(x, chunks=75_000).map_blocks(
        _die_once, flag=str(flag), meta=np.empty(0, x.dtype)
    )
    results = [parmath.exp(source), parmath.evaluate("sin(source) * 2 + 1")]
    with _cluster() as cluster, distributed.Client(cluster, set_as_default=False) as c:
        got = [future.result(timeout=120) for future in c.compute(results)]
    assert flag.exists()  # a worker did die
    _same_bits(got[0], parmath.exp(x))
    _same_bits(got[1], parmath.evaluate("sin(x) * 2 + 1"))
    assert_ulp_close(got[0], np.exp(x), numpy_tolerance("exp", "float64"), x)

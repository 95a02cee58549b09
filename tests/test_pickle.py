"""parmath's ufuncs pickle by reference: the same object comes back, in this process or another."""

from __future__ import annotations

import copy
import multiprocessing
import pickle

import cloudpickle
import numpy as np
import pytest

from _helpers import assert_ulp_close
from _reference import UNARY_NAMES, in_domain, numpy_tolerance, reference, ufunc

NAMES = UNARY_NAMES


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
@pytest.mark.parametrize("name", NAMES)
def test_pickle_round_trip_is_identity(name: str, protocol: int) -> None:
    f = ufunc(name)
    data = pickle.dumps(f, protocol=protocol)
    assert pickle.loads(data) is f
    assert len(data) < 200  # by reference, not by value


@pytest.mark.parametrize("name", NAMES)
def test_copy_and_deepcopy_are_identity(name: str) -> None:
    f = ufunc(name)
    assert copy.copy(f) is f
    assert copy.deepcopy(f) is f
    assert copy.deepcopy({"f": [f]})["f"][0] is f


@pytest.mark.parametrize("name", NAMES)
def test_cloudpickle_round_trip_is_identity(name: str) -> None:
    f = ufunc(name)
    assert cloudpickle.loads(cloudpickle.dumps(f)) is f
    # Inside a closure cloudpickle serialises by value: the ufunc still comes back by reference.
    scale = 2.0
    g = cloudpickle.loads(cloudpickle.dumps(lambda x: f(x) * scale))
    x = in_domain(name, 7)
    np.testing.assert_array_equal(g(x), f(x) * 2.0)


def test_spawn_pool_maps_over_arrays() -> None:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        for name in NAMES:
            arrays = [in_domain(name, n) for n in (1, 100, 300_001)]
            arrays.append(in_domain(name, 64, np.float32)[::2])
            results = pool.map_async(ufunc(name), arrays).get(timeout=60)
            assert len(results) == len(arrays)
            for i, x in enumerate(arrays):
                y, dt = results[i], x.dtype.name
                assert_ulp_close(y, reference(name).numpy(x), numpy_tolerance(name, dt), x)
        # The ufunc itself makes the trip and back.
        assert pool.apply_async(copy.copy, (ufunc(NAMES[0]),)).get(timeout=60) is ufunc(NAMES[0])

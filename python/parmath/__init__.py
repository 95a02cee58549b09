"""Element-wise math on huge NumPy vectors: parallel SIMD ufuncs accurate to 1 ULP.

Every function is a genuine :class:`numpy.ufunc` (``out=``, ``where=``, ``dtype=``, broadcasting
and ``__array_ufunc__`` dispatch all work) whose inner loop is a SIMD kernel run on all cores with
the GIL released.

>>> import numpy as np, parmath
>>> x = np.linspace(0.0, 1.0, 5)
>>> parmath.exp(x, out=x)
array([1.        , 1.28402542, 1.64872127, 2.11700002, 2.71828183])
>>> parmath.exp.types
['e->e', 'f->f', 'd->d']
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Iterator
from typing import Any

from . import _core
from ._core import *  # noqa: F403  (every registry function, as a ufunc)
from ._core import get_num_threads, set_num_threads
from ._expr import Program, compile, evaluate
from ._files import ApplyResult, apply_file
from ._map import map, shared_array

__version__: str = _core.__version__

#: Names of every ufunc parmath provides, from the registry.
FUNCTIONS: tuple[str, ...] = tuple(row["name"] for row in _core.registry())

__all__ = [
    "FUNCTIONS",
    "ApplyResult",
    "Program",
    "__version__",
    "apply_file",
    "compile",
    "evaluate",
    "get_num_threads",
    "info",
    "map",
    "set_num_threads",
    "shared_array",
    "threads",
    *FUNCTIONS,
]


def _check_environment() -> None:
    # The Rust core reads these variables; warn through its own parsers, so both agree.
    # OMP_NUM_THREADS, which sets the default thread count when PARMATH_NUM_THREADS is unset,
    # belongs to OpenMP ("4,2" is valid there): a value parmath cannot use is ignored silently.
    checks = (
        ("PARMATH_ISA", _core.parse_isa, "is not one of generic, avx2, avx512; ignoring it"),
        ("PARMATH_NUM_THREADS", _core.parse_num_threads, "is not an integer in 1..1024; ignored"),
    )
    for name, parse, problem in checks:
        value = os.environ.get(name)
        if value is not None and parse(value) is None:
            warnings.warn(f"{name}={value!r} {problem}", RuntimeWarning, stacklevel=3)


_check_environment()


@contextlib.contextmanager
def threads(n: int) -> Iterator[None]:
    """Use `n` threads for parmath calls made from this Python thread inside the block.

    Other Python threads keep their own setting, so concurrent callers do not interfere.

    Parameters
    ----------
    n : int
        Number of threads, from 1 to 1024.

    Examples
    --------
    >>> import parmath
    >>> with parmath.threads(1):
    ...     parmath.get_num_threads()
    1
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"number of threads must be an int, got {type(n).__name__}")
    if n < 1:
        raise ValueError(f"number of threads must be at least 1, got {n}")
    previous = _core._set_local_threads(n)  # ValueError above its maximum
    try:
        yield
    finally:
        _core._set_local_threads(previous)


def info() -> dict[str, Any]:
    """Describe this installation: version, instruction set, threads and CPUs.

    Returns
    -------
    dict
        Keys ``version``, ``isa`` (the level in use), ``isa_detected`` (the best this CPU has),
        ``threads``, ``cpus``, ``parallel_threshold`` and ``functions``.
    """
    return {
        "version": __version__,
        "isa": _core.isa_active(),
        "isa_detected": _core.isa_detected(),
        "threads": get_num_threads(),
        "cpus": _core.available_cpus(),
        "parallel_threshold": _core.parallel_threshold(),
        "functions": list(FUNCTIONS),
    }

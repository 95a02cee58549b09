"""``parmath.evaluate`` on Dask arrays: a lazy blockwise graph of compiled programs.

Imported only when an input of :func:`parmath.evaluate` (or of a compiled program) is a Dask
array, so ``import parmath`` never imports dask. Each block of the result is the same formula
evaluated by the Rust engine on the NumPy blocks of the inputs; the graph is element-wise
(``dask.array.core.elemwise``, which broadcasts and aligns unequal chunks), and a reduction
(``sum``, ``prod``, ``min``, ``max`` as the outermost call) reduces the blockwise result of the
inner formula with Dask's own reduction of that name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import dask.array as da
import numpy as np
from dask.array.core import elemwise
from dask.base import tokenize

from ._expr import _DTYPES, _is_dask, _operand, compile, normalize_axis

if TYPE_CHECKING:
    from ._expr import Program

#: A reduction call at the start of a formula (the language allows it only as the outermost call).
_REDUCTION = re.compile(r"(sum|prod|min|max)\s*\(")


class Blocks:
    """One formula evaluated on NumPy blocks: the task of each block of the graph.

    A module-level class holding only the formula's text and input names, so plain ``pickle``
    ships it to ``dask.distributed`` workers; each worker compiles the formula once (programs
    are cached by their text).

    Parameters
    ----------
    expression : str
        The formula (without an outer reduction).
    names : tuple of str
        The names of the positional arguments the blocks come in.
    """

    def __init__(self, expression: str, names: tuple[str, ...]) -> None:
        self.expression = expression
        self.names = names

    def __repr__(self) -> str:
        return f"parmath.evaluate({self.expression!r})"

    def __dask_tokenize__(self) -> tuple[str, str, tuple[str, ...]]:
        return ("parmath.Blocks", self.expression, self.names)

    def __call__(self, *blocks: Any) -> np.ndarray:
        values = dict(zip(self.names, blocks, strict=True))
        return compile(self.expression)._run(values, None, "same_kind")


def inner_expression(text: str) -> str:
    """Return the argument of the outermost reduction call of `text`.

    `text` must be a formula the parser has accepted as a reduction: the language has no strings
    or comments, so counting parentheses and commas at depth 0 finds the argument.
    """
    s = text.strip()
    while s.startswith("(") and _closing(s, 0) == len(s) - 1:
        s = s[1:-1].strip()  # (sum(x)) is sum(x)
    match = _REDUCTION.match(s)
    if match is None:
        raise ValueError(f"no reduction call at the start of {text!r}")
    start = match.end()
    depth = 0
    for i in range(start, len(s)):
        c = s[i]
        if c == "(":
            depth += 1
        elif c == ")" and depth:
            depth -= 1
        elif c in ",)" and not depth:
            return s[start:i]
    raise ValueError(f"unbalanced parentheses in {text!r}")


def _closing(s: str, start: int) -> int:
    """Return the index of the parenthesis closing the one at `start` (-1: none)."""
    depth = 0
    for i in range(start, len(s)):
        if s[i] == "(":
            depth += 1
        elif s[i] == ")":
            depth -= 1
            if not depth:
                return i
    return -1


def _kind(name: str, value: Any) -> str:
    """Return the engine's kind of an input, as ``_operand`` gives it for NumPy values."""
    if isinstance(value, da.Array):
        value = np.empty(0, value.dtype)  # typed by its dtype only: nothing is computed
    elif _is_dask(value):
        raise TypeError(
            f"{name!r} is a {type(value).__module__}.{type(value).__name__}: evaluate takes "
            "dask.array.Array inputs (and NumPy arrays and scalars), not other Dask collections"
        )
    return _operand(name, value)[0]


def _blockwise(program: Program, values: Mapping[str, Any]) -> da.Array:
    """Build the element-wise graph of `program` (no reduction) over `values`."""
    names = tuple(n for n in program.input_names if n in values)
    kinds = tuple(_kind(n, values[n]) for n in names)
    dtype = _DTYPES[program._plan(names, kinds, None).result]
    args = [values[n] for n in names]
    blocks = Blocks(program.expression, names)
    name = "evaluate-" + tokenize(blocks, dtype, *args)
    # elemwise broadcasts, turns NumPy arrays into single-block Dask arrays and unifies chunks.
    result: da.Array = elemwise(blocks, *args, dtype=dtype, name=name)  # type: ignore[no-untyped-call]
    return result


def evaluate(
    program: Program, values: Mapping[str, Any], out: Any = None, casting: str = "same_kind"
) -> da.Array:
    """Build the lazy Dask array of `program` over `values`, of which one or more are Dask arrays.

    Parameters
    ----------
    program : parmath.Program
        The compiled formula.
    values : mapping
        Each input name's value: Dask arrays, NumPy arrays, Python or NumPy scalars.
    out : None
        Must be None: the result is lazy, so there is nothing to write into yet.
    casting : str
        Unused without `out` (accepted so that the call matches the NumPy path).

    Returns
    -------
    dask.array.Array
        The result, of the type :func:`parmath.evaluate` gives for NumPy inputs of the same types;
        nothing is computed until it is.

    Raises
    ------
    TypeError
        For `out`, or for a Dask collection that is not a Dask array.

    Examples
    --------
    >>> import dask.array as da, parmath
    >>> x = da.arange(6.0, chunks=4)
    >>> y = parmath.evaluate("x * 2 + 1")
    >>> y.chunks
    ((4, 2),)
    >>> y.compute(scheduler="threads")
    array([ 1.,  3.,  5.,  7.,  9., 11.])
    >>> float(parmath.evaluate("sum(x)").compute(scheduler="threads"))
    15.0
    """
    del casting  # only meaningful with out=, which is refused
    if out is not None:
        raise TypeError(
            "out= cannot be used with Dask inputs: the result is a lazy dask.array.Array; call "
            ".compute() on it, or dask.array.store(result, out) to write it into an array"
        )
    names = tuple(n for n in program.input_names if n in values)
    kinds = tuple(_kind(n, values[n]) for n in names)
    plan = program._plan(names, kinds, None)  # raises the NumPy path's errors for these types
    if plan.reduction is None:
        return _blockwise(program, values)
    reduction, axis = plan.reduction
    inner = _blockwise(compile(inner_expression(program.expression)), values)
    if axis is not None:
        axis = normalize_axis(axis, inner.ndim)
    reduced: da.Array = getattr(da, reduction)(inner, axis=axis)
    result = _DTYPES[plan.result]
    if reduced.dtype != result:
        reduced = reduced.astype(result)  # type: ignore[no-untyped-call]
    return reduced

"""``parmath.evaluate`` and ``parmath.compile``: formulas fused into one parallel pass.

The expression is parsed, typed (NumPy 2 rules, Python scalars weak as in NEP 50), simplified and
compiled by the Rust engine; it is never given to Python's ``eval``. This module finds the values
of the names, broadcasts them, picks and checks the output, and reports floating-point conditions
as ``numpy.errstate`` says.
"""

from __future__ import annotations

import functools
import sys
import threading
import warnings
from collections.abc import Mapping
from typing import Any, cast

import numpy as np

from . import _core

#: Names the language defines when no variable has them.
CONSTANTS = frozenset({"pi", "e", "inf", "nan"})

_CONDITIONS = (
    (1, "divide", "divide by zero"),
    (2, "over", "overflow"),
    (4, "under", "underflow"),
    (8, "invalid", "invalid value"),
)

#: The types the engine computes with (native byte order), and their names.
_NAMES: dict[np.dtype[Any], str] = {
    np.dtype(t): t
    for t in (
        "bool",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "float16",
        "float32",
        "float64",
    )
}
_DTYPES = {name: dtype for dtype, name in _NAMES.items()}


def _report(flags: int, where: str = "evaluate") -> None:
    """Warn, raise, call or log for each condition met, as ``numpy.seterr`` asks."""
    if not flags:
        return
    modes: dict[str, Any] = dict(np.geterr())
    for bit, key, text in _CONDITIONS:
        if not flags & bit:
            continue
        mode = modes[key]
        message = f"{text} encountered in {where}"
        if mode == "warn":
            warnings.warn(message, RuntimeWarning, stacklevel=4)
        elif mode == "raise":
            raise FloatingPointError(message)
        elif mode == "call":
            callback: Any = np.geterrcall()
            callback(text, bit)
        elif mode == "print":
            print(f"Warning: {message}")
        elif mode == "log":
            log: Any = np.geterrcall()
            log.write(f"Warning: {message}\n")


def _operand(name: str, value: Any) -> tuple[str, Any]:
    """Classify an input for the engine.

    Returns the kind (a dtype name, or ``int``/``float`` for a Python scalar) and the value to pass
    (an array, or the scalar).
    """
    if isinstance(value, np.generic):
        value = np.asarray(value)  # NumPy scalars are typed (np.float64 subclasses float)
    elif isinstance(value, bool):
        return "bool", np.asarray(value)
    elif isinstance(value, int):
        if not -(2**63) <= value < 2**63:
            raise OverflowError(f"Python integer {value} for {name!r} does not fit in int64")
        return "int", value
    elif isinstance(value, float):
        return "float", value
    array = value if type(value) is np.ndarray else np.asarray(value)
    kind = _NAMES.get(array.dtype)
    if kind is None and array.dtype.newbyteorder("=") in _NAMES:
        array = array.astype(array.dtype.newbyteorder("="))
        kind = _NAMES[array.dtype]
    if kind is None:
        raise TypeError(
            f"unsupported dtype {array.dtype} for {name!r}: evaluate takes bool, integer and "
            "float16/32/64 arrays"
        )
    return kind, array


class Program:
    """A compiled expression, called with its inputs.

    Inputs go by position (in the order of :attr:`input_names`) or by name. A program is typed
    for each combination of input types it is called with, and each typing is kept.

    Examples
    --------
    >>> import numpy as np, parmath
    >>> f = parmath.compile("2*a + 3*b")
    >>> f.input_names
    ('a', 'b')
    >>> f(np.arange(3.0), np.ones(3))
    array([3., 5., 7.])
    """

    def __init__(self, expression: str) -> None:
        if not isinstance(expression, str):
            raise TypeError(f"expression must be a str, got {type(expression).__name__}")
        self.expression = expression
        names = _core._expr_names(expression)
        self._names = tuple(names)
        self._plans: dict[tuple[Any, ...], Any] = {}
        self._lock = threading.Lock()

    @property
    def input_names(self) -> tuple[str, ...]:
        """The variables the expression reads, in order of first appearance.

        The constants ``pi``, ``e``, ``inf`` and ``nan`` are included: a variable of that name is
        used if given.
        """
        return self._names

    def __repr__(self) -> str:
        return f"parmath.compile({self.expression!r})"

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        # By expression: the receiving process compiles (and caches) it again.
        return (compile, (self.expression,))

    def _plan(self, names: tuple[str, ...], kinds: tuple[str, ...], out: str | None) -> Any:
        key = (names, kinds, out)
        plan = self._plans.get(key)
        if plan is None:
            plan = _core._expr_compile(self.expression, list(names), list(kinds), out)
            with self._lock:
                self._plans[key] = plan
        return plan

    def disassemble(self, **dtypes: Any) -> str:
        """Show the register program for inputs of the given types (float64 by default).

        Examples
        --------
        >>> import parmath
        >>> print(parmath.compile("x**2 + 1").disassemble(), end="")
        r2 = const 1.0 (float64)
        r0 = load x (float64)
        r1 = mul.float64 r0, r0
        r0 = add.float64 r1, r2
        return r0 (float64)
        """
        names = tuple(n for n in self._names if n not in CONSTANTS or n in dtypes)
        kinds = tuple(
            dtypes[n]
            if dtypes.get(n) in ("int", "float")
            else np.dtype(dtypes.get(n, "float64")).name
            for n in names
        )
        return str(self._plan(names, kinds, None).disassemble())

    def __call__(
        self, *args: Any, out: np.ndarray | None = None, casting: str = "same_kind", **kwargs: Any
    ) -> np.ndarray:
        if len(args) > len(self._names):
            raise TypeError(f"{self!r} takes {len(self._names)} inputs, got {len(args)}")
        values = dict(zip(self._names, args, strict=False))
        for k, v in kwargs.items():
            if k not in self._names:
                raise TypeError(f"{self!r} has no input {k!r}")
            if k in values:
                raise TypeError(f"input {k!r} given twice")
            values[k] = v
        return self._run(values, out, casting)

    def _run(self, values: Mapping[str, Any], out: np.ndarray | None, casting: str) -> np.ndarray:
        if any(_is_dask(v) for v in values.values()):
            from . import _dask  # imports dask: only when an input is a Dask collection

            # A lazy dask.array.Array, typed as ndarray like the rest: a duck array of it.
            return cast(np.ndarray, _dask.evaluate(self, values, out, casting))
        names = tuple(n for n in self._names if n in values)
        kinds: list[str] = []
        arrays: list[np.ndarray | None] = []
        scalars: list[Any] = []
        for n in names:
            kind, value = _operand(n, values[n])
            kinds.append(kind)
            arrays.append(value if isinstance(value, np.ndarray) else None)
            scalars.append(None if isinstance(value, np.ndarray) else value)
        plan = self._plan(names, tuple(kinds), None)
        shapes = [a.shape for a in arrays if a is not None]
        shape = np.broadcast_shapes(*shapes)
        views = [a if a is None or a.shape == shape else np.broadcast_to(a, shape) for a in arrays]
        reduce = None
        out_shape = shape
        if plan.reduction is not None:
            _, axis = plan.reduction
            reduce = "all"
            out_shape = ()
            if axis is not None:
                axis = normalize_axis(axis, len(shape))
                views = [None if v is None else np.moveaxis(v, axis, -1) for v in views]
                shape = shape[:axis] + shape[axis + 1 :] + shape[axis : axis + 1]
                out_shape = shape[:-1]
                reduce = "last"
        result = _DTYPES[plan.result]
        if out is None:
            target = out = np.empty(out_shape, result)
        else:
            if not isinstance(out, np.ndarray):
                raise TypeError(f"out must be a numpy.ndarray, got {type(out).__name__}")
            if reduce is None:
                full = np.broadcast_shapes(shape, out.shape)
                if full != out.shape:
                    raise ValueError(
                        f"non-broadcastable output operand with shape {out.shape} doesn't match "
                        f"the broadcast shape {full}"
                    )
                shape = full
                views = [
                    v if v is None or v.shape == shape else np.broadcast_to(v, shape) for v in views
                ]
            elif out.shape != out_shape:
                raise ValueError(f"output has shape {out.shape}, the reduction gives {out_shape}")
            if not out.flags.writeable:
                raise ValueError("output array is read-only")
            if out.dtype not in _NAMES:
                raise TypeError(f"unsupported output dtype {out.dtype}")
            target = out
            if out.dtype != result:
                if not np.can_cast(result, out.dtype, casting=casting):  # type: ignore[arg-type]
                    raise TypeError(
                        f"Cannot cast evaluate output from {result!r} to {out.dtype!r} with "
                        f"casting rule {casting!r}"
                    )
                if reduce is None:
                    plan = self._plan(names, tuple(kinds), _NAMES[out.dtype])
                else:
                    target = np.empty(out_shape, result)
            if target is out and any(
                a is not None and np.may_share_memory(a, out) and not _same_view(a, out)
                for a in arrays
            ):
                target = np.empty(out.shape, result)
        flags = plan.run(list(shape), views, scalars, target, reduce)
        if target is not out:
            np.copyto(out, target, casting="unsafe")
        _report(flags)
        return out


def _is_dask(value: Any) -> bool:
    """Tell, without importing dask, whether `value` is a collection of the dask package."""
    cls = type(value)
    return hasattr(cls, "__dask_graph__") and cls.__module__.startswith("dask")


def normalize_axis(axis: int, ndim: int) -> int:
    """`axis` as a non-negative index, or NumPy's AxisError."""
    if not -ndim <= axis < ndim:
        raise np.exceptions.AxisError(axis, ndim)
    return axis % ndim


def _same_view(a: np.ndarray, out: np.ndarray) -> bool:
    """Tell whether `a` is exactly the memory of `out` (same start, shape, strides and type)."""
    return (
        a.__array_interface__["data"][0] == out.__array_interface__["data"][0]
        and a.shape == out.shape
        and a.strides == out.strides
        and a.dtype == out.dtype
    )


@functools.lru_cache(maxsize=256)
def compile(expression: str) -> Program:
    """Compile `expression` once for repeated calls; programs are cached by their text.

    Parameters
    ----------
    expression : str
        A formula in the language of :func:`evaluate`.

    Returns
    -------
    Program
        Call it with the inputs by position (in the order of ``input_names``) or by name.
    """
    return Program(expression)


def evaluate(
    ex: str,
    local_dict: Mapping[str, Any] | None = None,
    global_dict: Mapping[str, Any] | None = None,
    *,
    out: np.ndarray | None = None,
    casting: str = "same_kind",
    _frame_depth: int = 1,
) -> np.ndarray:
    """Evaluate an element-wise formula over arrays in one parallel pass, like ``numexpr.evaluate``.

    Each input is read once and the output written once, block by block on all cores, with the
    same SIMD kernels as parmath's ufuncs; no temporary arrays are made.

    Parameters
    ----------
    ex : str
        The formula: numbers, ``True``/``False``, names, ``pi``, ``e``, ``inf``, ``nan``;
        ``+ - * / // % **``, unary ``-``, comparisons, ``& | ^ ~``; ``where(cond, a, b)`` and every
        parmath function (``exp``, ``sin``, ``arctan2``, ...). It is parsed by parmath, never by
        Python's ``eval``.
    local_dict, global_dict : mapping, optional
        Where names are looked up (first `local_dict`, then `global_dict`); by default the caller's
        local and global variables.
    out : numpy.ndarray, optional
        Where to write the result (the broadcast shape of the inputs); not with Dask inputs.
    casting : {'no', 'equiv', 'safe', 'same_kind', 'unsafe'}
        How the result may be cast to `out`'s type, as for ufuncs.

    Returns
    -------
    numpy.ndarray
        The result, typed as NumPy 2 would type the same formula written with ufuncs (a float32
        array times a Python float stays float32). When an input is a ``dask.array.Array``, a
        lazy Dask array of that type instead: each block is the formula evaluated by parmath on
        the inputs' blocks (a reduction reduces those with Dask's reduction of the same name).

    Examples
    --------
    >>> import numpy as np, parmath
    >>> x = np.linspace(0.0, 1.0, 3)
    >>> parmath.evaluate("exp(-x**2 / 2) * 2 + 1")
    array([3.        , 2.76499381, 2.21306132])
    """
    program = compile(ex)
    if local_dict is None or global_dict is None:
        frame = sys._getframe(_frame_depth)
        if local_dict is None:
            local_dict = frame.f_locals
        if global_dict is None:
            global_dict = frame.f_globals
    values = {}
    for name in program.input_names:
        if name in local_dict:
            values[name] = local_dict[name]
        elif name in global_dict:
            values[name] = global_dict[name]
    return program._run(values, out, casting)

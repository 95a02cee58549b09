"""Stubs of parmath._core, written by scripts/gen_stubs.py: do not edit."""

from typing import Any, final

import numpy as np

__version__: str

__all__ = [
    'exp',
    'log',
    'exp2',
    'expm1',
    'log2',
    'log10',
    'log1p',
    'sin',
    'cos',
    'tan',
    'arcsin',
    'arccos',
    'arctan',
    'arctan2',
    'sinh',
    'cosh',
    'tanh',
    'arcsinh',
    'arccosh',
    'arctanh',
    'cbrt',
    'hypot',
    'power',
    'expit',
    'erf',
    'erfc',
    'absolute',
    'negative',
    'square',
    'reciprocal',
    'sqrt',
    'floor',
    'ceil',
    'trunc',
    'rint',
    'add',
    'subtract',
    'multiply',
    'divide',
    'maximum',
    'minimum',
]

exp: np.ufunc
log: np.ufunc
exp2: np.ufunc
expm1: np.ufunc
log2: np.ufunc
log10: np.ufunc
log1p: np.ufunc
sin: np.ufunc
cos: np.ufunc
tan: np.ufunc
arcsin: np.ufunc
arccos: np.ufunc
arctan: np.ufunc
arctan2: np.ufunc
sinh: np.ufunc
cosh: np.ufunc
tanh: np.ufunc
arcsinh: np.ufunc
arccosh: np.ufunc
arctanh: np.ufunc
cbrt: np.ufunc
hypot: np.ufunc
power: np.ufunc
expit: np.ufunc
erf: np.ufunc
erfc: np.ufunc
absolute: np.ufunc
negative: np.ufunc
square: np.ufunc
reciprocal: np.ufunc
sqrt: np.ufunc
floor: np.ufunc
ceil: np.ufunc
trunc: np.ufunc
rint: np.ufunc
add: np.ufunc
subtract: np.ufunc
multiply: np.ufunc
divide: np.ufunc
maximum: np.ufunc
minimum: np.ufunc

def set_num_threads(n: int) -> None: ...
def get_num_threads() -> int: ...
def _set_local_threads(n: int) -> int: ...
def parse_num_threads(s: str) -> int | None: ...
def parse_isa(s: str) -> str | None: ...
def isa_active() -> str: ...
def isa_detected() -> str: ...
def available_cpus() -> int: ...
def parallel_threshold() -> int: ...
def _set_parallel_threshold(n: int) -> int: ...
def registry() -> list[dict[str, Any]]: ...
def _expr_names(text: str) -> list[str]: ...
def _expr_compile(
    text: str, names: list[str], kinds: list[str], out: str | None = None
) -> _Program: ...

@final
class _Program:
    @property
    def result(self) -> str: ...
    @property
    def reduction(self) -> tuple[str, int | None] | None: ...
    def disassemble(self) -> str: ...
    def run(
        self,
        shape: list[int],
        arrays: list[np.ndarray | None],
        scalars: list[Any],
        out: np.ndarray,
        reduce: str | None = None,
    ) -> int: ...

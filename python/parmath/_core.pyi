"""Stubs of parmath._core, written by scripts/gen_stubs.py: do not edit."""

from typing import Any

import numpy as np

__version__: str

__all__ = [
    'exp',
    'log',
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

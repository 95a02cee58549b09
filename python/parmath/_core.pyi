"""Stubs of parmath._core, written by scripts/gen_stubs.py: do not edit."""

from typing import Any

import numpy as np

__version__: str

__all__ = [
    'exp',
    'log',
    '__version__',
    'set_num_threads',
    'get_num_threads',
    '_set_local_threads',
    'parse_num_threads',
    'parse_isa',
    'isa_active',
    'isa_detected',
    'available_cpus',
    'parallel_threshold',
    '_set_parallel_threshold',
    'registry',
]

exp: np.ufunc
log: np.ufunc

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

"""Write ``python/parmath/_core.pyi`` from the function registry, or check that it is current.

Usage: ``python scripts/gen_stubs.py [--check]``. The ufunc entries come from
``parmath._core.registry()``, so a new registry row appears in the stubs without editing them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from parmath import _core

STUB = Path(__file__).resolve().parent.parent / "python" / "parmath" / "_core.pyi"

HEADER = '''"""Stubs of parmath._core, written by scripts/gen_stubs.py: do not edit."""

from typing import Any, final

import numpy as np

__version__: str

'''

FUNCTIONS = """
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
"""


def render() -> str:
    """Return the stub text for the registry of the installed module."""
    ufuncs = "".join(f"{row['name']}: np.ufunc\n" for row in _core.registry())
    names = ",\n".join(f"    {name!r}" for name in _core.__all__)
    return HEADER + f"__all__ = [\n{names},\n]\n\n" + ufuncs + FUNCTIONS


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the stub file is stale")
    args = parser.parse_args()
    text = render()
    if args.check:
        if not STUB.exists() or STUB.read_text() != text:
            print(f"{STUB} is stale: run `make stubs`", file=sys.stderr)
            return 1
        return 0
    STUB.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The examples in parmath's docstrings run and give the output they show."""

from __future__ import annotations

import doctest
import importlib
import io
import pkgutil

import numpy as np
import pytest

import parmath
from _reference import REGISTRY, ufunc

NAMES = [row["name"] for row in REGISTRY]

# Submodules whose import has side effects: ``parmath.__main__`` runs the command line.
SKIP_MODULES = {"parmath.__main__"}
MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(parmath.__path__, prefix="parmath.")
    if info.name not in SKIP_MODULES
)


def _run(tests: list[doctest.DocTest]) -> tuple[doctest.TestResults, str]:
    """Run doctests under np.errstate(all="raise"); return the results and the failure report."""
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report = io.StringIO()
    with np.errstate(all="raise"):
        for test in tests:
            runner.run(test, out=report.write)
    return runner.summarize(verbose=False), report.getvalue()


@pytest.mark.parametrize("name", NAMES)
def test_ufunc_docstring_examples(name: str) -> None:
    doc = ufunc(name).__doc__
    assert doc is not None
    test = doctest.DocTestParser().get_doctest(doc, {}, f"parmath.{name}", None, 0)
    assert test.examples, f"parmath.{name}.__doc__ has no examples"
    result, report = _run([test])
    assert result.failed == 0, report
    assert result.attempted == len(test.examples)


def test_package_docstrings() -> None:
    """``doctest.testmod(parmath)``: the module docstring, threads(), info() ..."""
    tests = doctest.DocTestFinder().find(parmath)
    result, report = _run(tests)
    assert result.failed == 0, report
    assert result.attempted >= 3  # the module docstring and threads() both have examples


#: Submodules that import an optional dependency, and which.
NEEDS = {"parmath._dask": "dask.array"}


@pytest.mark.parametrize("module", MODULES)
def test_submodule_docstrings(module: str) -> None:
    if module in NEEDS:
        pytest.importorskip(NEEDS[module])
    tests = doctest.DocTestFinder().find(importlib.import_module(module))
    result, report = _run(tests)
    assert result.failed == 0, report

"""Fixtures shared by the parmath tests; the helpers themselves live in _helpers/_reference."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

import parmath
from _reference import ACCURACY_STATS


def pytest_report_header(config: pytest.Config) -> str:
    info = parmath.info()
    return (
        f"parmath {info['version']}: isa={info['isa']} (detected {info['isa_detected']}), "
        f"threads={info['threads']}, cpus={info['cpus']}, numpy {np.__version__}"
    )


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not ACCURACY_STATS:
        return
    terminalreporter.section(
        "parmath ULP error against mpmath (correctly rounded = 0.5), or as labelled"
    )
    for label, (worst, mean, count) in sorted(ACCURACY_STATS.items()):
        terminalreporter.write_line(
            f"{label:<28} max {worst:.4f} ULP   mean {mean:.4f} ULP   ({count} points)"
        )


@pytest.fixture
def rng(request: pytest.FixtureRequest) -> np.random.Generator:
    """Return a generator seeded from the test's id: reproducible, different for every test."""
    return np.random.default_rng(zlib.crc32(request.node.nodeid.encode()))


@pytest.fixture(autouse=True)
def _restore_thread_count() -> Iterator[None]:
    """Put parmath's global thread count back after every test."""
    before = parmath.get_num_threads()
    yield
    parmath.set_num_threads(before)

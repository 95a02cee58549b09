"""``parmath bench --sweep`` and ``--plot`` (``parmath.bench_sweep``), on small inputs."""

from __future__ import annotations

import importlib
import json
from typing import TYPE_CHECKING, Any

import pytest

from parmath import bench, bench_sweep

if TYPE_CHECKING:
    from pathlib import Path


def test_sweep_prints_the_grid_and_writes_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sweep.json"
    argv = ["--sweep", "--n", "3000", "--repeat", "1", "--quiet", "--json", str(out)]
    assert bench.main(argv) == 0
    text = capsys.readouterr().out
    assert "parts \\ chunksize" in text
    assert "parmath.map processes, shared_array" in text
    assert "memory floor" in text
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    sweep = data["sweep"]
    assert sweep["grid_parts"] == list(bench_sweep.GRID)
    assert len(sweep["grid_s"]) == len(bench_sweep.GRID)
    assert all(len(row) == len(bench_sweep.GRID) for row in sweep["grid_s"])
    assert set(sweep["map_s"]) == {key for key, *_ in bench_sweep.MAP_VARIANTS}
    keys = [row["strategy"] for row in data["rows"]]
    assert "pool_map_split" in keys
    assert "map_threads" in keys


def test_plot_draws_a_png(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib")
    png = tmp_path / "sweep.png"
    argv = ["--sweep", "--n", "2000", "--repeat", "1", "--quiet", "--plot", str(png)]
    assert bench.main(argv) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"plot written to {png}" in capsys.readouterr().out


def test_plot_without_matplotlib(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = importlib.import_module

    def no_matplotlib(name: str, package: str | None = None) -> Any:
        if name.startswith("matplotlib"):
            raise ImportError(name)
        return real(name, package)

    monkeypatch.setattr(bench_sweep.importlib, "import_module", no_matplotlib)
    png = tmp_path / "sweep.png"
    assert bench.main(["--sweep", "--n", "2000", "--quiet", "--plot", str(png)]) == 1
    err = capsys.readouterr().err
    assert "--plot needs matplotlib" in err
    assert "pip install 'parmath[plot]'" in err
    assert not png.exists()


def test_plot_needs_sweep(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--n", "2000", "--plot", str(tmp_path / "x.png")]) == 2
    assert "add --sweep" in capsys.readouterr().err

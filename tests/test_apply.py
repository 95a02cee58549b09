"""``parmath.apply_file`` and ``parmath apply``: formulas streamed over ``.npy`` files.

Streamed results must equal the in-memory ones (same engine, so bit for bit) and NumPy's within
the functions' ULP bounds; every fault leaves no partial output and an existing output untouched.
"""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import parmath
from _helpers import check_subprocess, default_sigint, run_python
from parmath import _files, cli

RNG = np.random.default_rng(20261127)


def _save(path: Path, a: np.ndarray) -> Path:
    np.save(path, a)
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".parmath-partial"))


# -- results -------------------------------------------------------------------------------------

LAYOUTS = {
    # name: (shape, order of x, order of y, chunk_size)
    "1d-odd-tail": ((10_007,), "C", "C", 1000),
    "1d-one-chunk": ((513,), "C", "C", None),
    "2d-C-rows": ((37, 101), "C", "C", 250),
    "2d-C-row-split": ((7, 1001), "C", "C", 300),
    "2d-F": ((101, 37), "F", "F", 333),
    "2d-mixed": ((29, 53), "C", "F", 100),
    "3d-mixed": ((5, 7, 11), "F", "C", 20),
    "0d": ((), "C", "C", None),
    "empty": ((3, 0), "C", "C", None),
}


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("expr", ["exp(x)", "x*y + sin(x) / (1 + y)", "where(x > y, x, -y)**2"])
def test_streamed_equals_in_memory(tmp_path: Path, layout: str, dtype: str, expr: str) -> None:
    shape, ox, oy, chunk = LAYOUTS[layout]
    x = np.asarray(RNG.uniform(-3, 3, shape).astype(dtype), order=ox)
    y = np.asarray(RNG.uniform(-3, 3, shape).astype(dtype), order=oy)
    inputs = {"x": _save(tmp_path / "x.npy", x)}
    if "y" in expr:
        inputs["y"] = _save(tmp_path / "y.npy", y)
    result = parmath.apply_file(
        expr, inputs, tmp_path / "out.npy", chunk_size=chunk, progress=False
    )
    got = np.load(tmp_path / "out.npy")
    want = parmath.evaluate(expr, {"x": x, "y": y})
    assert got.dtype == want.dtype == np.dtype(dtype)
    assert got.shape == shape == result.shape
    np.testing.assert_array_equal(got, want, strict=True)
    fortran = len(shape) > 1 and ox == "F" and ("y" not in expr or oy == "F")
    assert result.fortran_order == fortran
    if len(shape) > 1 and got.size:
        assert got.flags.f_contiguous if fortran else got.flags.c_contiguous
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_streamed_exp_matches_numpy(tmp_path: Path, dtype: str) -> None:
    x = RNG.uniform(-700 if dtype == "float64" else -80, 80, 20_001).astype(dtype)
    x[:4] = [np.nan, np.inf, -np.inf, -0.0]
    parmath.apply_file(
        "exp(x)", {"x": _save(tmp_path / "x.npy", x)}, tmp_path / "e.npy", chunk_size=999
    )
    got, want = np.load(tmp_path / "e.npy"), np.exp(x)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    ulps = np.abs(got.view(f"i{x.itemsize}").astype(np.int64) - want.view(f"i{x.itemsize}"))
    assert ulps[4:].max() <= 2  # 1 ULP each from the true value
    np.testing.assert_array_equal(got[1:4], want[1:4])


def test_types_follow_evaluate(tmp_path: Path) -> None:
    a = RNG.random(1000).astype(">f8")  # big-endian input
    b = RNG.integers(-5, 5, 1000).astype(np.int32)
    paths = {"a": _save(tmp_path / "a.npy", a), "b": _save(tmp_path / "b.npy", b)}
    parmath.apply_file("a > b", paths, tmp_path / "cmp.npy", chunk_size=77)
    np.testing.assert_array_equal(np.load(tmp_path / "cmp.npy"), a > b, strict=True)
    parmath.apply_file("a * b", paths, tmp_path / "mul.npy", chunk_size=77)
    np.testing.assert_array_equal(np.load(tmp_path / "mul.npy"), a * b, strict=True)


def test_inputs_are_untouched_and_mode_is_umask(tmp_path: Path) -> None:
    x = _save(tmp_path / "x.npy", RNG.random(5000))
    before = _digest(x)
    parmath.apply_file("sqrt(x)", {"x": x}, tmp_path / "s.npy", chunk_size=123)
    assert _digest(x) == before
    mask = os.umask(0o022)
    os.umask(mask)
    assert (tmp_path / "s.npy").stat().st_mode & 0o777 == 0o666 & ~mask


def test_force_replaces_only_when_complete(tmp_path: Path) -> None:
    x = _save(tmp_path / "x.npy", RNG.random(3000))
    out = _save(tmp_path / "out.npy", np.arange(3.0))
    before = _digest(out)
    with pytest.raises(FileExistsError, match="--force"):
        parmath.apply_file("exp(x)", {"x": x}, out)
    assert _digest(out) == before
    parmath.apply_file("exp(x)", {"x": x}, out, force=True)
    np.testing.assert_array_equal(np.load(out), parmath.exp(np.load(x)))


def test_in_place_replacement_of_an_input(tmp_path: Path) -> None:
    data = RNG.random(10_000)
    x = _save(tmp_path / "x.npy", data)
    parmath.apply_file("2 * x + 1", {"x": x}, x, force=True, chunk_size=1000)
    np.testing.assert_array_equal(np.load(x), 2 * data + 1)


# -- faults: a clear error, no partial output ----------------------------------------------------


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, type[Exception], str]]:
    good = np.arange(1000.0)
    truncated = tmp_path / "truncated.npy"
    truncated.write_bytes(_save(tmp_path / "full.npy", good).read_bytes()[:-8])
    text = tmp_path / "text.npy"
    text.write_text("not an array\n")
    empty = tmp_path / "empty.npy"
    empty.write_bytes(b"")
    objects = tmp_path / "objects.npy"
    np.save(objects, np.array([1.0, "a"], dtype=object), allow_pickle=True)
    return {
        "missing": (tmp_path / "missing.npy", FileNotFoundError, "missing.npy"),
        "truncated": (truncated, ValueError, "truncated"),
        "not-npy": (text, ValueError, "not a valid .npy"),
        "empty-file": (empty, ValueError, "not a valid .npy"),
        "folder": (tmp_path, IsADirectoryError, "folder"),
        "complex": (_save(tmp_path / "c.npy", good.astype(complex)), TypeError, "complex128"),
        "object": (objects, TypeError, "object"),
        "strings": (_save(tmp_path / "s.npy", np.array(["ab", "c"])), TypeError, "<U2"),
    }


BAD = ["missing", "truncated", "not-npy", "empty-file", "folder", "complex", "object", "strings"]


@pytest.mark.parametrize("case", BAD)
def test_bad_input_file(tmp_path: Path, case: str) -> None:
    path, error, text = _bad_inputs(tmp_path)[case]
    out = tmp_path / "out.npy"
    with pytest.raises(error, match=text):
        parmath.apply_file("exp(x)", {"x": path}, out)
    assert not out.exists()
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("case", BAD)
def test_cli_bad_input_exit_1_without_traceback(
    tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _, text = _bad_inputs(tmp_path)[case]
    out = tmp_path / "out.npy"
    assert cli.main(["apply", "exp(x)", f"x={path}", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("parmath apply: error: ")
    assert text in err
    assert "Traceback" not in err
    assert not out.exists()


def test_cli_success_subprocess(tmp_path: Path) -> None:
    x = RNG.random(50_000)
    _save(tmp_path / "x.npy", x)
    proc = subprocess.run(
        [sys.executable, "-m", "parmath", "apply", "log1p(x) * 2", "x=x.npy", "-o", "o.npy"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "wrote o.npy (50,000 float64" in proc.stderr
    assert "[" not in proc.stderr  # no progress bar when stderr is not a terminal
    np.testing.assert_array_equal(np.load(tmp_path / "o.npy"), parmath.log1p(x) * 2)


def test_progress_bar(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    x = _save(tmp_path / "x.npy", RNG.random(100_000))
    parmath.apply_file("exp(x)", {"x": x}, tmp_path / "o.npy", chunk_size=10_000, progress=True)
    err = capsys.readouterr().err
    assert "100%" in err
    assert "/s" in err
    assert "left" in err


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["exp(x)+y", "x=X"], "no input file for 'y'"),
        (["exp(x)", "x=X", "z=X"], "does not use the input 'z'"),
        (["x + y", "x=X", "y=Y"], "different shapes"),
        (["sum(x)", "x=X"], "reductions"),
        (["exp(x", "x=X"], "column 6"),
        (["exp(x)", "x"], "NAME=FILE.npy"),
        (["exp(x)", "x=X", "x=X"], "given twice"),
    ],
)
def test_cli_usage_errors(
    tmp_path: Path, args: list[str], text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {
        "X": _save(tmp_path / "x.npy", np.ones(10)),
        "Y": _save(tmp_path / "y.npy", np.ones(9)),
    }
    argv = [a.replace("=X", f"={files['X']}").replace("=Y", f"={files['Y']}") for a in args]
    assert cli.main(["apply", *argv, "-o", str(tmp_path / "o.npy")]) == 1
    err = capsys.readouterr().err
    assert text in err
    assert "Traceback" not in err
    assert not (tmp_path / "o.npy").exists()


def test_output_folder_missing_or_a_file(tmp_path: Path) -> None:
    x = _save(tmp_path / "x.npy", np.ones(10))
    with pytest.raises(FileNotFoundError, match="does not exist"):
        parmath.apply_file("x", {"x": x}, tmp_path / "no" / "o.npy")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        parmath.apply_file("x", {"x": x}, x / "o.npy")  # a file, not a folder
    with pytest.raises(IsADirectoryError):
        parmath.apply_file("x", {"x": x}, tmp_path)


def test_output_folder_not_writable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # sysfs refuses new files even to root.
    x = _save(tmp_path / "x.npy", np.ones(10))
    assert cli.main(["apply", "x", f"x={x}", "-o", "/sys/o.npy"]) == 1
    err = capsys.readouterr().err
    assert "output folder /sys is not writable" in err
    assert "Traceback" not in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_output_folder_read_only(tmp_path: Path) -> None:
    x = _save(tmp_path / "x.npy", np.ones(10))
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        with pytest.raises(PermissionError, match="not writable"):
            parmath.apply_file("x", {"x": x}, locked / "o.npy")
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_free_space_checked_before_starting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    x = _save(tmp_path / "x.npy", np.ones(100_000))
    real = _files.shutil.disk_usage

    def tiny(path: Any) -> Any:
        return real(path)._replace(free=1000)

    monkeypatch.setattr(_files.shutil, "disk_usage", tiny)
    with pytest.raises(OSError, match="not enough free space") as info:
        parmath.apply_file("x", {"x": x}, tmp_path / "o.npy")
    assert info.value.errno == errno.ENOSPC
    assert not (tmp_path / "o.npy").exists()
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("failure", [errno.ENOSPC, errno.EIO])
def test_disk_full_while_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: int
) -> None:
    x = _save(tmp_path / "x.npy", RNG.random(50_000))
    out = _save(tmp_path / "o.npy", np.zeros(3))
    before = _digest(out)
    real, calls = os.pwrite, []

    def failing(fd: int, data: Any, offset: int) -> int:
        calls.append(offset)
        if len(calls) == 4:
            raise OSError(failure, os.strerror(failure))
        return real(fd, data, offset)

    monkeypatch.setattr(_files.os, "pwrite", failing)
    with pytest.raises(
        OSError, match="no output was written" if failure == errno.ENOSPC else "Input/output"
    ):
        parmath.apply_file("exp(x)", {"x": x}, out, force=True, chunk_size=5000)
    assert len(calls) == 4
    assert _digest(out) == before
    assert _leftovers(tmp_path) == []


def test_file_size_limit_is_a_clean_error(tmp_path: Path) -> None:
    # A real kernel write error: RLIMIT_FSIZE makes writes past 1 MB fail with EFBIG.
    _save(tmp_path / "x.npy", RNG.random(1_000_000))
    code = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))\n"
        "from parmath import cli\n"
        "sys.exit(cli.main(['apply', 'exp(x)', 'x=x.npy', '-o', 'o.npy']))\n"
    )
    proc = run_python(code, cwd=tmp_path, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "File too large" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "o.npy").exists()
    assert _leftovers(tmp_path) == []


def test_floating_point_error_mid_stream(tmp_path: Path) -> None:
    x = RNG.random(20_000) + 0.5
    x[-5] = 0.0  # log(0) in the last chunk
    xp = _save(tmp_path / "x.npy", x)
    with np.errstate(divide="raise"), pytest.raises(FloatingPointError):
        parmath.apply_file("log(x)", {"x": xp}, tmp_path / "o.npy", chunk_size=1000)
    assert not (tmp_path / "o.npy").exists()
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_interrupted_leaves_nothing(tmp_path: Path, signum: int, status: int) -> None:
    _save(tmp_path / "x.npy", RNG.random(20_000_000))
    out = _save(tmp_path / "o.npy", np.arange(4.0))
    before = _digest(out)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "parmath",
            "apply",
            # Enough work (seconds, one thread) that the signal lands mid-stream.
            "sin(x)**2 + cos(x)**2 + arcsinh(x) * tanh(x) - erf(x) + cbrt(x)",
            "x=x.npy",
            "-o",
            "o.npy",
            "--force",
            "--chunk-size",
            "20000",
            "--threads",
            "1",
        ],
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=default_sigint,
    )
    deadline = time.monotonic() + 60
    while not _leftovers(tmp_path) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert proc.poll() is None, "finished before it could be interrupted"
    time.sleep(0.05)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == status, err
    assert "Traceback" not in err
    assert _digest(out) == before
    assert _leftovers(tmp_path) == []


def test_memory_stays_bounded(tmp_path: Path) -> None:
    # 256 MB in, 256 MB out, 8 MB chunks: the peak resident size grows by far less than the file.
    n = 32 << 20
    path = tmp_path / "x.npy"
    big = np.lib.format.open_memmap(path, mode="w+", dtype=np.float64, shape=(n,))
    big[:] = 0.5
    big.flush()
    del big
    code = (
        "import resource, sys, numpy, parmath\n"
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "parmath.apply_file('exp(x)', {'x': 'x.npy'}, 'o.npy', chunk_size=1 << 20)\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print((peak - base) * 1024)\n"
    )
    grown = int(check_subprocess(run_python(code, cwd=tmp_path, timeout=300)))
    assert grown < 96 << 20, f"resident size grew by {grown / 2**20:.0f} MB for a 256 MB file"
    out = np.load(tmp_path / "o.npy", mmap_mode="r")
    assert out.shape == (n,)
    assert out[0] == out[-1] == np.exp(0.5)


def test_bad_arguments(tmp_path: Path) -> None:
    x = _save(tmp_path / "x.npy", np.ones(10))
    with pytest.raises(ValueError, match="chunk_size"):
        parmath.apply_file("x", {"x": x}, tmp_path / "o.npy", chunk_size=0)
    with pytest.raises(TypeError, match="inputs"):
        parmath.apply_file("x", [x], tmp_path / "o.npy")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least one input"):
        parmath.apply_file("1 + 2", {}, tmp_path / "o.npy")

"""``parmath.apply_file`` and ``parmath apply``: a formula streamed over ``.npy`` files.

The inputs are memory-mapped and read in chunks; each chunk is computed by the expression engine
into one of two reused buffers and written with ``pwrite`` by a writer thread while the next chunk
is computed. Pages of the inputs are dropped from the process once used (``MADV_DONTNEED``) and the
next chunk is announced to the kernel (``MADV_WILLNEED``), so memory stays bounded by a few chunks
whatever the file size, and reading ahead overlaps the computation.

Nothing is lost: the output is written under a temporary name in its own folder, flushed to disk
and renamed over the final name only when complete. After an error or Ctrl-C the temporary file is
removed and a file already at the output path is untouched.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import errno
import math
import mmap
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.lib.format as npy_format

from ._expr import _DTYPES, _NAMES, CONSTANTS, compile

#: Bytes of each input and output array per chunk (float64: 4M items). Memory stays near
#: (inputs + 2 outputs) x this, whatever the file size.
CHUNK_BYTES = 32 << 20

#: Seconds between two redraws of the progress bar.
PROGRESS_INTERVAL = 0.2

_PAGE = mmap.PAGESIZE


@dataclass(frozen=True)
class ApplyResult:
    """What :func:`apply_file` wrote.

    Attributes
    ----------
    path : pathlib.Path
        The output file.
    shape : tuple of int
        Its array's shape.
    dtype : numpy.dtype
        Its array's type.
    fortran_order : bool
        Whether it is stored in Fortran order.
    seconds : float
        Wall time of the whole call.
    bytes_read, bytes_written : int
        Array bytes read from the inputs and written to the output.
    """

    path: Path
    shape: tuple[int, ...]
    dtype: np.dtype[Any]
    fortran_order: bool
    seconds: float
    bytes_read: int
    bytes_written: int

    def summary(self) -> str:
        """One line: what was written, how long it took and the throughput."""
        items = math.prod(self.shape)
        rate = (self.bytes_read + self.bytes_written) / max(self.seconds, 1e-9)
        return (
            f"wrote {self.path} ({items:,} {self.dtype}, shape {self.shape}) in "
            f"{self.seconds:.2f} s: read {_size(self.bytes_read)}, wrote "
            f"{_size(self.bytes_written)}, {_size(rate)}/s"
        )


@dataclass
class _Input:
    """One memory-mapped ``.npy`` input."""

    name: str
    path: Path
    shape: tuple[int, ...]
    dtype: np.dtype[Any]
    fortran_order: bool
    offset: int
    file: IO[bytes]
    map: mmap.mmap | None = None

    def array(self) -> np.ndarray:
        """Return the whole array, a view of the mapping (no data read yet)."""
        n = math.prod(self.shape)
        if self.map is None:
            return np.empty(self.shape, self.dtype, order="F" if self.fortran_order else "C")
        flat = np.frombuffer(self.map, self.dtype, count=n, offset=self.offset)
        return flat.reshape(self.shape, order="F" if self.fortran_order else "C")

    def advise(self, advice: int, start: int, stop: int) -> None:
        """Advise the kernel about array bytes `start`..`stop` (only advice: errors ignored)."""
        if self.map is None or stop <= start:
            return
        first = (self.offset + start) // _PAGE * _PAGE
        last = min(len(self.map), self.offset + stop)
        with contextlib.suppress(OSError, ValueError):
            self.map.madvise(advice, first, last - first)


def _size(nbytes: float) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if nbytes < 1000 or unit == "GB":
            return f"{nbytes:.0f} {unit}" if unit == "B" else f"{nbytes:.2f} {unit}"
        nbytes /= 1000
    raise AssertionError  # pragma: no cover


def _open_input(name: str, path: str | os.PathLike[str]) -> _Input:
    """Open and check one ``.npy`` file; ValueError/TypeError/OSError naming it if it is bad."""
    p = Path(path)
    if p.is_dir():
        raise IsADirectoryError(errno.EISDIR, f"input {name}: {p} is a folder, not a .npy file")
    f = p.open("rb")  # FileNotFoundError / PermissionError name the file
    try:
        try:
            version = npy_format.read_magic(f)
            if version == (1, 0):
                shape, fortran, dtype = npy_format.read_array_header_1_0(f)
            elif version == (2, 0):
                shape, fortran, dtype = npy_format.read_array_header_2_0(f)
            else:  # 3.0 (utf-8 field names) has no public reader
                shape, fortran, dtype = npy_format._read_array_header(f, version)  # type: ignore[attr-defined]
        except (ValueError, EOFError, SyntaxError, TypeError) as exc:
            raise ValueError(f"input {name}: {p} is not a valid .npy file ({exc})") from None
        dtype = np.dtype(dtype)
        native = dtype.newbyteorder("=") if dtype.byteorder not in "=|" else dtype
        if dtype.hasobject or native not in _NAMES:
            raise TypeError(
                f"input {name}: {p} holds {dtype}, which apply does not take (float32 and "
                "float64, also bool, integer and float16)"
            )
        offset = f.tell()
        need = math.prod(shape) * dtype.itemsize
        have = os.fstat(f.fileno()).st_size - offset
        if have < need:
            raise ValueError(
                f"input {name}: {p} is truncated: its header says {shape} {dtype} "
                f"({need:,} bytes of data) but the file holds {have:,}"
            )
        item = _Input(name, p, tuple(shape), dtype, bool(fortran), offset, f)
        if need:
            item.map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            item.advise(getattr(mmap, "MADV_SEQUENTIAL", 0), 0, need)
        return item
    except BaseException:
        f.close()
        raise


def _slabs(shape: tuple[int, ...], budget: int) -> Iterator[tuple[Any, ...]]:
    """Index tuples that cut a C-ordered array into consecutive slabs of about `budget` items.

    Slabs come in memory order, each as contiguous as the shape allows: whole runs of the first
    axis when a run fits, else one index of it and slabs of the rest.
    """
    if not shape:
        yield ()
        return
    inner = math.prod(shape[1:])
    if inner <= budget:
        step = max(1, budget // max(inner, 1))
        for start in range(0, shape[0], step):
            yield (slice(start, min(start + step, shape[0])),)
    else:
        for i in range(shape[0]):
            for rest in _slabs(shape[1:], budget):
                yield (i, *rest)


class _Progress:
    """A one-line progress bar on stderr: percentage, data, throughput and time left."""

    def __init__(self, label: str, total_items: int, bytes_per_item: int, enabled: bool) -> None:
        self.label = label
        self.total = total_items
        self.bytes_per_item = bytes_per_item
        self.enabled = enabled
        self.start = time.perf_counter()
        self.last = 0.0
        self.drawn = False

    def update(self, done: int, *, final: bool = False) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if not final and now - self.last < PROGRESS_INTERVAL:
            return
        self.last = now
        elapsed = now - self.start
        frac = done / self.total if self.total else 1.0
        rate = done * self.bytes_per_item / elapsed if elapsed > 0 else 0.0
        left = (elapsed / frac - elapsed) if frac > 0 else float("nan")
        width = 24
        filled = int(frac * width)
        bar = "#" * filled + "-" * (width - filled)
        eta = "--:--" if math.isnan(left) else time.strftime("%H:%M:%S", time.gmtime(left))
        line = (
            f"\r{self.label} [{bar}] {frac:4.0%} {_size(done * self.bytes_per_item)}/"
            f"{_size(self.total * self.bytes_per_item)} {_size(rate)}/s left {eta}"
        )
        sys.stderr.write(line)
        sys.stderr.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            sys.stderr.write("\n")
            sys.stderr.flush()


def _umask() -> int:
    """Return the process's umask, read without changing it where Linux allows."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # elsewhere: set and restore (briefly process-wide)
    os.umask(mask)
    return mask


def _pwrite_all(fd: int, data: memoryview, offset: int) -> None:
    while data:
        n = os.pwrite(fd, data, offset)
        data, offset = data[n:], offset + n


def _check_output(output: Path, force: bool) -> None:
    """Refuse before any work: an existing file without `force`, a folder, a missing folder."""
    folder = output.parent
    if output.is_dir():
        raise IsADirectoryError(errno.EISDIR, f"output {output} is a folder")
    if output.exists() and not force:
        raise FileExistsError(
            errno.EEXIST, f"output {output} exists; pass force=True (--force) to replace it"
        )
    if not folder.is_dir():
        raise FileNotFoundError(errno.ENOENT, f"output folder {folder} does not exist")


def _check_space(output: Path, nbytes: int) -> None:
    free = shutil.disk_usage(output.parent).free
    if free < nbytes:
        raise OSError(
            errno.ENOSPC,
            f"not enough free space for {output}: it needs {_size(nbytes)}, "
            f"{output.parent} has {_size(free)} free",
        )


def _temporary(output: Path) -> tuple[int, Path]:
    """Create the output's temporary file in its folder; PermissionError if it cannot."""
    try:
        fd, name = tempfile.mkstemp(
            prefix=f".{output.name}.", suffix=".parmath-partial", dir=output.parent
        )
    except OSError as exc:
        raise PermissionError(
            exc.errno, f"output folder {output.parent} is not writable ({exc.strerror})"
        ) from None
    return fd, Path(name)


def apply_file(
    expression: str,
    inputs: Mapping[str, str | os.PathLike[str]],
    output: str | os.PathLike[str],
    *,
    force: bool = False,
    chunk_size: int | None = None,
    progress: bool | None = None,
) -> ApplyResult:
    """Evaluate `expression` over ``.npy`` files too large for memory, writing a ``.npy`` file.

    The inputs are memory-mapped and streamed through the expression engine chunk by chunk
    (parallel, GIL released), so memory stays at a few hundred MB whatever the file sizes. The
    output goes to a temporary file in the output's folder, renamed to `output` only once complete:
    after an error or Ctrl-C, no partial output exists and an existing `output` is untouched.

    Parameters
    ----------
    expression : str
        An element-wise formula in the language of :func:`parmath.evaluate` (reductions are not
        streamed).
    inputs : mapping of str to path
        For each variable of the expression, the ``.npy`` file holding it. All inputs have the same
        shape; C and Fortran order may be mixed.
    output : path
        The ``.npy`` file to write: the inputs' shape, the type evaluate gives for the inputs'
        types, Fortran order if every input is.
    force : bool
        Replace `output` if it exists (still only once the new file is complete).
    chunk_size : int, optional
        Items per chunk; by default 32 MB of the widest array.
    progress : bool, optional
        Draw a progress bar on stderr; by default when stderr is a terminal.

    Returns
    -------
    ApplyResult
        The output's path, shape, type, the time taken and the bytes moved.

    Raises
    ------
    FileNotFoundError, IsADirectoryError, PermissionError
        A missing input or output folder, a folder given as a file, an unwritable folder.
    FileExistsError
        `output` exists and `force` is false.
    ValueError
        A file that is not a ``.npy`` file or is truncated, inputs of different shapes, names
        without a file or files without a name, a reduction, a bad expression.
    TypeError
        An input type apply does not take (complex, object, strings, structured).
    OSError
        Not enough free space (checked before starting) or the disk filling up while writing.

    Examples
    --------
    >>> import numpy as np, parmath, tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> np.save(os.path.join(folder, "x.npy"), np.linspace(0.0, 1.0, 5))
    >>> result = parmath.apply_file(
    ...     "exp(-x**2 / 2)", {"x": os.path.join(folder, "x.npy")},
    ...     os.path.join(folder, "y.npy"), progress=False)
    >>> np.load(result.path)
    array([1.        , 0.96923323, 0.8824969 , 0.7548396 , 0.60653066])
    """
    start = time.perf_counter()
    program = compile(expression)
    if not isinstance(inputs, Mapping):
        raise TypeError(f"inputs must map names to .npy paths, got {type(inputs).__name__}")
    missing = [n for n in program.input_names if n not in inputs and n not in CONSTANTS]
    if missing:
        raise ValueError(
            f"no input file for {', '.join(map(repr, missing))}: give NAME=FILE.npy for each "
            "variable of the expression"
        )
    unused = [n for n in inputs if n not in program.input_names]
    if unused:
        raise ValueError(f"the expression does not use the input {', '.join(map(repr, unused))}")
    if not inputs:
        raise ValueError("apply needs at least one input file")
    if chunk_size is not None and (
        isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1
    ):
        raise ValueError(f"chunk_size must be a positive int, got {chunk_size!r}")
    output = Path(output)
    with ExitStack() as stack:
        items = []
        for name, path in inputs.items():
            item = _open_input(name, path)
            stack.callback(item.file.close)
            items.append(item)
        shapes = {item.shape for item in items}
        if len(shapes) > 1:
            listed = ", ".join(f"{i.name} {i.shape} ({i.path})" for i in items)
            raise ValueError(f"the inputs have different shapes: {listed}")
        (shape,) = shapes
        names = tuple(i.name for i in items)
        kinds = tuple(_NAMES[i.dtype.newbyteorder("=")] for i in items)
        plan = program._plan(names, kinds, None)
        if plan.reduction is not None:
            raise ValueError(
                "apply writes an element-wise result; reductions (sum, prod, min, max) are not "
                "streamed: use parmath.evaluate on np.load(..., mmap_mode='r')"
            )
        dtype = _DTYPES[plan.result]
        fortran = len(shape) > 1 and all(i.fortran_order for i in items)
        header = {
            "descr": npy_format.dtype_to_descr(dtype),
            "fortran_order": fortran,
            "shape": shape,
        }
        n = math.prod(shape)
        data_bytes = n * dtype.itemsize
        _check_output(output, force)
        fd, tmp = _temporary(output)
        try:
            _check_space(output, data_bytes + 4096)
            # mkstemp makes the file private; give it the mode a new file (or the one it replaces)
            # would have.
            mode = output.stat().st_mode & 0o7777 if output.exists() else 0o666 & ~_umask()
            os.fchmod(fd, mode)
            with os.fdopen(fd, "wb", closefd=False) as head:
                try:
                    npy_format.write_array_header_1_0(head, header)
                except ValueError:  # a header over 64 KiB
                    npy_format.write_array_header_2_0(head, header)
            data_offset = os.lseek(fd, 0, os.SEEK_END)
            try:
                os.posix_fallocate(fd, data_offset, data_bytes)  # ENOSPC now, not at 90 %
            except OSError as exc:
                if exc.errno not in (errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS):
                    raise
            widest = max([dtype.itemsize, *(i.dtype.itemsize for i in items)])
            budget = chunk_size or max(1, CHUNK_BYTES // widest)
            read_bytes = sum(n * i.dtype.itemsize for i in items)
            bar = _Progress(
                f"parmath apply {output.name}",
                n,
                (read_bytes + data_bytes) // max(n, 1),
                sys.stderr.isatty() if progress is None else bool(progress),
            )
            try:
                _stream(program, items, shape, fortran, dtype, fd, data_offset, budget, bar)
            finally:
                bar.close()
            os.fsync(fd)
            os.close(fd)
            fd = -1
            os.replace(tmp, output)
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
                raise OSError(
                    exc.errno, f"writing {output} failed: {exc.strerror}; no output was written"
                ) from None
            raise
        finally:
            if fd >= 0:
                os.close(fd)
            tmp.unlink(missing_ok=True)
    return ApplyResult(
        output, shape, dtype, fortran, time.perf_counter() - start, read_bytes, data_bytes
    )


def _stream(
    program: Any,
    items: list[_Input],
    shape: tuple[int, ...],
    fortran: bool,
    dtype: np.dtype[Any],
    fd: int,
    data_offset: int,
    budget: int,
    bar: _Progress,
) -> None:
    """Compute and write every chunk: two buffers, one computed while the other is written."""
    n = math.prod(shape)
    if n == 0:
        return
    arrays = [i.array() for i in items]
    # Put the output's memory order first: transposing a Fortran output makes it C-ordered.
    if fortran:
        arrays = [a.T for a in arrays]
        shape = shape[::-1]
    # Inputs stored in the output's order are read as flat runs; otherwise by N-d slabs.
    if all(a.flags.c_contiguous for a in arrays):
        arrays = [a.reshape(-1) for a in arrays]
        shape = (n,)
    flat_inputs = len(shape) == 1
    buffers = [np.empty(min(budget, n), dtype) for _ in range(2)]
    pending: list[cf.Future[None] | None] = [None, None]
    values = {i.name: a for i, a in zip(items, arrays, strict=True)}
    views: dict[str, np.ndarray] = {}
    done = 0
    dontneed = getattr(mmap, "MADV_DONTNEED", None)
    willneed = getattr(mmap, "MADV_WILLNEED", None)
    failed = threading.Event()

    def write(data: memoryview, offset: int) -> None:
        # The one writer thread runs the writes in order: once one fails, the chunk already
        # queued behind it is dropped instead of written into a file that will be removed.
        if failed.is_set():
            return
        try:
            _pwrite_all(fd, data, offset)
        except BaseException:
            failed.set()
            raise

    with cf.ThreadPoolExecutor(1, thread_name_prefix="parmath-apply-writer") as writer:
        try:
            for k, index in enumerate(_slabs(shape, budget)):
                slot = k % 2
                previous = pending[slot]
                if previous is not None:
                    previous.result()
                views = {name: a[index] for name, a in values.items()}
                count = next(iter(views.values())).size
                if flat_inputs and willneed is not None:
                    for i in items:  # ask for the next chunk while this one is computed
                        size = i.dtype.itemsize
                        i.advise(willneed, (done + count) * size, (done + 2 * count) * size)
                out = buffers[slot][:count].reshape(next(iter(views.values())).shape)
                program._run(views, out, "unsafe")
                data = memoryview(out.reshape(-1).view(np.uint8))  # type: ignore[arg-type]
                pending[slot] = writer.submit(write, data, data_offset + done * dtype.itemsize)
                if dontneed is not None:  # drop the pages just read from this process
                    for i in items:
                        size = i.dtype.itemsize
                        if flat_inputs:
                            i.advise(dontneed, done * size, (done + count) * size)
                        else:
                            i.advise(dontneed, 0, n * size)
                done += count
                bar.update(done)
            for future in pending:
                if future is not None:
                    future.result()
            bar.update(done, final=True)
        finally:
            for future in pending:
                if future is not None:
                    future.cancel()
            # The views hold the mappings open: drop them before closing.
            views.clear()
            values.clear()
            arrays.clear()
            for i in items:
                if i.map is not None:
                    # BufferError: a view is still alive; the mapping goes with it.
                    with contextlib.suppress(BufferError):
                        i.map.close()


def _input_argument(text: str) -> tuple[str, str]:
    name, sep, path = text.partition("=")
    if not sep or not name.isidentifier() or not path:
        raise ValueError(f"expected NAME=FILE.npy, got {text!r}")
    return name, path


def add_arguments(parser: Any) -> None:
    """Add the ``parmath apply`` arguments to an :class:`argparse.ArgumentParser`."""
    add = parser.add_argument
    add("expression", metavar="EXPR", help="element-wise formula, e.g. 'exp(-x**2 / 2) * y'")
    add(
        "inputs",
        metavar="NAME=INPUT.npy",
        nargs="+",
        help="the .npy file holding each variable of the formula",
    )
    add("-o", "--output", metavar="OUTPUT.npy", required=True, help="the .npy file to write")
    add("--force", action="store_true", help="replace OUTPUT.npy if it exists")
    add(
        "--chunk-size",
        type=int,
        metavar="ITEMS",
        help=f"items per chunk (default: {CHUNK_BYTES >> 20} MB of the widest array)",
    )
    add("--threads", type=int, metavar="N", help="parmath threads (default: every CPU)")
    bar = parser.add_mutually_exclusive_group()
    bar.add_argument(
        "--progress",
        dest="progress",
        action="store_const",
        const=True,
        default=None,
        help="draw the progress bar even when stderr is not a terminal",
    )
    bar.add_argument(
        "--no-progress", dest="progress", action="store_const", const=False, help="no progress bar"
    )


def _terminated(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)  # unwinds like Ctrl-C: the temporary output is removed


def run(args: Any) -> int:
    """Run ``parmath apply``: exit status 0, or 1 with one line on stderr for expected errors.

    SIGTERM (and Ctrl-C, status 130) stop it with no partial output left behind.
    """
    from . import threads

    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminated) if main else None
    try:
        return _run(args, threads)
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)


def _run(args: Any, threads: Any) -> int:
    try:
        inputs: dict[str, str] = {}
        for text in args.inputs:
            name, path = _input_argument(text)
            if name in inputs:
                raise ValueError(f"input {name} given twice")
            inputs[name] = path
        if args.threads is not None and args.threads < 1:
            raise ValueError(f"--threads must be at least 1, got {args.threads}")
        with ExitStack() as stack:
            if args.threads is not None:
                stack.enter_context(threads(args.threads))
            result = apply_file(
                args.expression,
                inputs,
                args.output,
                force=args.force,
                chunk_size=args.chunk_size,
                progress=args.progress,
            )
    except (OSError, ValueError, TypeError, ArithmeticError, MemoryError) as exc:
        message = exc.strerror if isinstance(exc, OSError) and exc.filename is None else exc
        if isinstance(exc, OSError) and exc.filename is not None:
            message = f"{exc.filename}: {exc.strerror}"
        print(f"parmath apply: error: {message or exc}", file=sys.stderr)
        return 1
    print(f"parmath apply: {result.summary()}", file=sys.stderr)
    return 0

"""The ``parmath`` command: ``parmath info``, ``bench``, ``accuracy`` and ``apply``."""

from __future__ import annotations

import argparse
import json
import shlex
import sys

from . import _files, accuracy, bench, info


def _info(args: argparse.Namespace) -> int:
    data = info()
    if args.json:
        print(json.dumps(data, indent=2))
        return 0
    width = max(map(len, data))
    for key, value in data.items():
        shown = ", ".join(value) if isinstance(value, list) else value
        print(f"{key:<{width}}  {shown}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser of the ``parmath`` command."""
    parser = argparse.ArgumentParser(
        prog="parmath", description="Parallel SIMD element-wise math for NumPy."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p_info = sub.add_parser("info", help="version, instruction set in use, threads")
    p_info.add_argument("--json", action="store_true", help="print as JSON")
    p_info.set_defaults(run=_info)
    p_bench = sub.add_parser("bench", help="compare parmath with the classic parallel strategies")
    bench.add_arguments(p_bench)
    p_bench.set_defaults(run=bench.run)
    p_accuracy = sub.add_parser(
        "accuracy", help="ULP errors of parmath and NumPy against mpmath, as a Markdown report"
    )
    accuracy.add_arguments(p_accuracy)
    p_accuracy.set_defaults(run=accuracy.run)
    p_apply = sub.add_parser(
        "apply",
        help="stream a formula over .npy files into a .npy file (larger than memory)",
        description=(
            "Evaluate EXPR over memory-mapped .npy inputs chunk by chunk and write OUTPUT.npy. "
            "The output appears only once complete; exit status 1 on any expected error."
        ),
    )
    _files.add_arguments(p_apply)
    p_apply.set_defaults(run=_files.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the ``parmath`` command; returns the exit status."""
    args = build_parser().parse_args(argv)
    args.command_line = shlex.join(["parmath", *(sys.argv[1:] if argv is None else argv)])
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130

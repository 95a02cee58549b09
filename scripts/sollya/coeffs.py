"""Run the sollya scripts here and print their coefficients as Rust ``from_bits`` constants.

Usage: ``python scripts/sollya/coeffs.py [SCRIPT.sollya ...]`` (needs Debian's ``sollya``; all
scripts when none is named). The kernels in
``crates/parmath-core/src/kernels/`` hold exactly these values.
"""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def as_rust(hex_float: str, single: bool) -> str:
    value = float.fromhex(hex_float) if hex_float != "0" else 0.0
    if single:
        bits = struct.unpack("<I", struct.pack("<f", value))[0]
        return f"f32::from_bits(0x{bits:08x}), // {hex_float}"
    bits = struct.unpack("<Q", struct.pack("<d", value))[0]
    return f"f64::from_bits(0x{bits:016x}), // {hex_float}"


def as_bits(hex_float: str, single: bool) -> str:
    """Return a table entry as its bit pattern (`[u32; N]` / `[u64; N]` tables read by permutes)."""
    value = float.fromhex(hex_float) if hex_float != "0" else 0.0
    if single:
        return f"0x{struct.unpack('<I', struct.pack('<f', value))[0]:08x}"
    return f"0x{struct.unpack('<Q', struct.pack('<d', value))[0]:016x}"


def main() -> None:
    only = sys.argv[1:]
    for script in sorted(HERE.glob("*.sollya")):
        if only and script.name not in only:
            continue
        out = subprocess.run(["sollya", str(script)], capture_output=True, text=True, check=True)
        single = table = False
        for line in out.stdout.splitlines():
            if "coefficients" in line or " rows " in line:
                single = "f32" in line
                # A table's rows (a line of values each) are printed as bit patterns, a row a line.
                table = " rows " in line
                print(f"// {script.name}: {line}")
            elif line.startswith(("0x", "-0x")) and table:
                print(", ".join(as_bits(v, single) for v in line.split()) + ",")
            elif line.startswith(("0x", "-0x")):
                print(" ".join(as_rust(v, single) for v in line.split()))
            elif "error" in line:
                print(f"// {line.strip()[:60]}")


if __name__ == "__main__":
    main()

"""Run the sollya scripts here and print their coefficients as Rust ``from_bits`` constants.

Usage: ``python scripts/sollya/coeffs.py`` (needs Debian's ``sollya``). The kernels in
``crates/parmath-core/src/kernels/`` hold exactly these values.
"""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent


def as_rust(hex_float: str, single: bool) -> str:
    value = float.fromhex(hex_float) if hex_float != "0" else 0.0
    if single:
        bits = struct.unpack("<I", struct.pack("<f", value))[0]
        return f"f32::from_bits(0x{bits:08x}), // {hex_float}"
    bits = struct.unpack("<Q", struct.pack("<d", value))[0]
    return f"f64::from_bits(0x{bits:016x}), // {hex_float}"


def main() -> None:
    for script in sorted(HERE.glob("*.sollya")):
        out = subprocess.run(["sollya", str(script)], capture_output=True, text=True, check=True)
        single = False
        for line in out.stdout.splitlines():
            if "coefficients" in line:
                single = "f32" in line
                print(f"// {script.name}: {line}")
            elif line.startswith(("0x", "-0x")):
                print(" ".join(as_rust(v, single) for v in line.split()))
            elif "error" in line:
                print(f"// {line.strip()[:60]}")


if __name__ == "__main__":
    main()

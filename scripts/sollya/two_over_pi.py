"""Print the constants of the trig kernels' range reduction (kernels/trig.rs).

Usage: ``python scripts/sollya/two_over_pi.py`` (needs mpmath). Prints

* the Cody-Waite pieces of pi/2 for the fast path: C1 (33 significant bits, so k*C1 is exact for
  |k| <= 2^20), C2 (C1 + C2 is pi/2 rounded to a multiple of 2^-53, so k*C2 is exact and
  x - k*C1 - k*C2 needs no rounding), C3 (33 bits) and C4 (53 bits);
* pi/2 and 2/pi as doubles, and pi/2 as a double-double;
* the bits of 2/pi for the Payne-Hanek reduction of huge arguments, as 64-bit words, most
  significant first, after one word of zeros (so windows may start up to 63 bits before the point).
"""

from __future__ import annotations

import mpmath

WORDS = 24  # 1 zero word + 23 words = 1472 bits of 2/pi; the kernel reads at most 1288


def hexf(v: mpmath.mpf) -> str:
    return f"f64::from_bits(0x{_bits(float(v)):016x}), // {float(v).hex()}"


def _bits(v: float) -> int:
    import struct

    return struct.unpack("<Q", struct.pack("<d", v))[0]


def round_bits(v: mpmath.mpf, bits: int) -> mpmath.mpf:
    """Round v to `bits` significant bits."""
    _, e = mpmath.frexp(v)
    scale = mpmath.mpf(2) ** (bits - e)
    return mpmath.nint(v * scale) / scale


def main() -> None:
    mpmath.mp.prec = 2000
    pio2 = mpmath.pi / 2
    c1 = round_bits(pio2, 33)
    c2 = mpmath.nint(pio2 * 2**53) / 2**53 - c1
    c3 = round_bits(pio2 - c1 - c2, 33)
    c4 = round_bits(pio2 - c1 - c2 - c3, 53)
    print("// Cody-Waite pieces of pi/2: C1, C2, C3, C4")
    for c in (c1, c2, c3, c4):
        print(hexf(c))
    print("// 2/pi, pi/2 (high, low)")
    hi = round_bits(pio2, 53)
    for c in (2 / mpmath.pi, hi, round_bits(pio2 - hi, 53)):
        print(hexf(c))
    print("// 2/pi bits, 64 a word, after one zero word")
    frac = 2 / mpmath.pi
    words = [0]
    for _ in range(WORDS - 1):
        frac *= 2**64
        w = int(mpmath.floor(frac))
        frac -= w
        words.append(w)
    for w in words:
        print(f"0x{w:016x},")


if __name__ == "__main__":
    main()

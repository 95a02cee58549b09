"""Print the rational approximation of the float32 `tan` kernel (kernels/trig.rs, `c64::TAN32_*`).

Usage: ``python scripts/sollya/tan_rational_f32.py`` (needs mpmath; about 10 s).

tan(r) = r P(s) / Q(s), s = r^2, |r| <= pi/4 (a little more: the reduction rounds k to nearest,
so the interval is widened by 2^-20), with P of degree 2 and Q = 1 + q1 s + q2 s^2, minimax in
relative error. Sollya has no rational Remez, so this runs the classic one: a nonlinear solve for
equioscillation at NP + NQ + 2 reference points, then the points move to the extrema of the error
until they settle. The error printed is that of the double-rounded coefficients, measured on a
dense grid: about 2^-35.4, far below the 2^-25 a float32 result can absorb.
"""

from __future__ import annotations

import struct

import mpmath as mp

mp.mp.prec = 160
NP, NQ = 2, 2
S_MAX = (mp.pi / 4 * (1 + mp.mpf(2) ** -20)) ** 2
GRID = 4000


def target(s: mp.mpf) -> mp.mpf:
    """tan(sqrt(s)) / sqrt(s), the function P/Q approximates."""
    if s == 0:
        return mp.mpf(1)
    x = mp.sqrt(s)
    return mp.tan(x) / x


def poly(c: list, s: mp.mpf) -> mp.mpf:
    return sum(ci * s**i for i, ci in enumerate(c))


def split(v: list) -> tuple[list, list]:
    return list(v[: NP + 1]), [mp.mpf(1), *v[NP + 1 : NP + 1 + NQ]]


def rel_err(p: list, q: list, s: mp.mpf) -> mp.mpf:
    return poly(p, s) / poly(q, s) / target(s) - 1


def solve(ref: list, start: list) -> list:
    """P, Q and E with P(s_i) = f(s_i) Q(s_i) (1 + (-1)^i E) at every reference point."""

    def equations(*v):
        p, q = split(v)
        e = v[-1]
        return [
            poly(p, s) - target(s) * poly(q, s) * (1 + (-1) ** i * e) for i, s in enumerate(ref)
        ]

    return list(mp.findroot(equations, start))


def extremum(p: list, q: list, a: mp.mpf, b: mp.mpf) -> mp.mpf:
    """Golden-section search for the largest |error| in [a, b]."""
    for _ in range(80):
        c1, c2 = a + (b - a) * mp.mpf("0.382"), a + (b - a) * mp.mpf("0.618")
        if abs(rel_err(p, q, c1)) > abs(rel_err(p, q, c2)):
            b = c2
        else:
            a = c1
    return (a + b) / 2


def remez() -> tuple[list, list]:
    n = NP + NQ + 2
    ref = [S_MAX * (1 - mp.cos(mp.pi * i / (n - 1))) / 2 for i in range(n)]
    v = [mp.mpf(1)] + [mp.mpf(0)] * (NP + NQ) + [mp.mpf("1e-10")]
    for _ in range(20):
        v = solve(ref, v)
        p, q = split(v)
        grid = [S_MAX * i / GRID for i in range(GRID + 1)]
        err = [rel_err(p, q, s) for s in grid]
        inner = [i for i in range(1, GRID) if (err[i] - err[i - 1]) * (err[i + 1] - err[i]) <= 0]
        if len(inner) != n - 2:
            raise RuntimeError(f"expected {n - 2} inner extrema, found {len(inner)}")
        new = [grid[0]] + [extremum(p, q, grid[i - 1], grid[i + 1]) for i in inner] + [grid[-1]]
        if max(abs(a - b) for a, b in zip(new, ref, strict=True)) < mp.mpf(2) ** -100:
            break
        ref = new
    return p, q


def bits(v: float) -> int:
    return struct.unpack("<Q", struct.pack("<d", v))[0]


def main() -> None:
    p, q = remez()
    pd = [mp.mpf(float(c)) for c in p]
    qd = [mp.mpf(1)] + [mp.mpf(float(c)) for c in q[1:]]
    worst = max(abs(rel_err(pd, qd, S_MAX * i / 20000)) for i in range(20001))
    print(f"// relative error with double coefficients: 2^{float(mp.log(worst, 2)):.2f}")
    for name, coeffs in (("TAN32_P", pd), ("TAN32_Q", qd[1:])):
        print(f"pub const {name}: [f64; {len(coeffs)}] = [")
        for c in coeffs:
            print(f"    f64::from_bits(0x{bits(float(c)):016x}), // {float(c)!r}")
        print("];")


if __name__ == "__main__":
    main()

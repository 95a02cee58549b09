//! `erfc(x) = 1 - erf(x)`, the complementary error function (SciPy's `scipy.special.erfc`; C99's
//! `erfc`, Annex F).
//!
//! Domain: all floats. erfc(-inf) = 2, erfc(inf) = +0, erfc(+-0) = 1, erfc(nan) = nan. Results are
//! subnormal above about 26.543 (float32 9.1945) and round to +0 above about 27.2 (float32 10.05);
//! those raise underflow (IEEE 754; SciPy's ufunc reports no error).
//!
//! Method (see `erfc_core`): for x >= 0.5, erfc(x) = exp(-x^2) erfcx(x), where erfcx(x) =
//! exp(x^2) erfc(x) is an entire, slowly varying function approximated on five intervals by minimax
//! polynomials of degree 18 (`scripts/sollya/erfc.sollya`, relative error below 2^-64): in
//! d = x - m on [m - 1/2, m + 1/2], m = 1..4, and in d = 1/x - 0.1294 for x >= 4.5 (1/x as a
//! double-double). The interval is chosen branch-free: every lane evaluates one polynomial whose
//! coefficients are selected by compares. Its two leading terms are summed exactly (double-double
//! coefficients, FMA or Dekker products, 2Sum). exp(-x^2) is a double-double: x^2 = s + e exactly,
//! exp(-s) by the shared double-double exp (Cody-Waite reduction, minimax polynomial), times 1 - e.
//! The product rounds once (twice for subnormal results). For |x| < 0.5, erfc(x) = (1 - x) - x p(x^2)
//! with erf's polynomial (`scripts/sollya/erf.sollya`) and 1 - x exact; for x <= -0.5,
//! erfc(x) = 2 - erfc(-x) with the double-double above. The same method as in Cody's rational
//! Chebyshev approximations of erf/erfc (W. J. Cody, Math. Comp. 23, 1969): split by range, erfc as
//! exp(-x^2) times a smooth factor for large arguments; here with polynomials and double-double steps.
//! float32: the float64 kernel, rounded once.
//!
//! Error bound: relative error of the unrounded result below 2^-55 (polynomial 2^-64, double-double
//! exp 2^-56, roundings of the small terms), so at most 0.5 + 2^-2 ULP. Measured maxima: float64
//! 0.71 ULP (mpmath, 4000 random inputs in each of 14 ranges from 0 to 27.3; 0.67 in
//! `tests/test_accuracy.py`), at most one step from the correctly rounded result at every level
//! (98.6% correctly rounded, `tests/accuracy.rs`); float32 correctly rounded on every sampled input
//! (every 251st bit pattern) at every level.

use super::erf::small_p;
use super::{exp_dd, scale};
use crate::fpstatus::UNDERFLOW;
use crate::kernels::dd::{two_prod, two_sum};
use crate::kernels::{flag, fma64, Unary};

/// The `erfc` kernel.
#[derive(Debug)]
pub struct Erfc;

/// The largest float64 whose erfc is at least the smallest normal number; above it erfc underflows.
pub const F64_TINY_X: f64 = 26.543258454250978;
/// The largest float32 whose erfc is at least the smallest normal float32.
pub const F32_TINY_X: f32 = 9.194549;

/// The polynomials of erfcx on the intervals `[m - 1/2, m + 1/2]`, m = 1..4, in x - m, and on
/// [4.5, 27.5] in 1/x - `U_MID`: c0 hi, c0 lo, c1 hi, c1 lo, c2..c18 (`scripts/sollya/erfc.sollya`).
pub(super) const C: [[f64; 21]; 5] = [
    [
        f64::from_bits(0x3fdb5d8780f956b2),
        f64::from_bits(0x3c58248aacad2d3c),
        f64::from_bits(0xbfd17c4e3f17c050),
        f64::from_bits(0xbc5a398837307218),
        f64::from_bits(0x3fc3c27283c32cc4),
        f64::from_bits(0xbfb44837f8906fc2),
        f64::from_bits(0x3fa33cad0ef5e9c0),
        f64::from_bits(0xbf910fcf1b55a12b),
        f64::from_bits(0x3f7c8cb958c84f7c),
        f64::from_bits(0xbf66af2654d3c14c),
        f64::from_bits(0x3f5135262e575e65),
        f64::from_bits(0xbf3908223d49ed38),
        f64::from_bits(0x3f2184fc35ff24ef),
        f64::from_bits(0xbf07ab1a8ef3f414),
        f64::from_bits(0x3eeef08bc4d7dbf7),
        f64::from_bits(0xbed39ccab9b41730),
        f64::from_bits(0x3eb827ac60a5bc01),
        f64::from_bits(0xbe9cd662caac6c16),
        f64::from_bits(0x3e80ddf478a4d98e),
        f64::from_bits(0xbe651e930ec24286),
        f64::from_bits(0x3e473f586308336c),
    ],
    [
        f64::from_bits(0x3fd058671b52c776),
        f64::from_bits(0xbc53b79d61099110),
        f64::from_bits(0xbfbb57034efd3f72),
        f64::from_bits(0xbc55a29d57c03497),
        f64::from_bits(0x3fa5672b9ea13de6),
        f64::from_bits(0xbf8fa9d3ac955d96),
        f64::from_bits(0x3f764907215a3c81),
        f64::from_bits(0xbf5e028e8a56d28e),
        f64::from_bits(0x3f4369ffa07cc7b3),
        f64::from_bits(0xbf28382216828191),
        f64::from_bits(0x3f0d37ba5506406d),
        f64::from_bits(0xbef115cfdd90024b),
        f64::from_bits(0x3ed369771e341a1b),
        f64::from_bits(0xbeb57780334d9b8a),
        f64::from_bits(0x3e9724953a231edf),
        f64::from_bits(0xbe785bd9e2c2f262),
        f64::from_bits(0x3e590ec7fc44678c),
        f64::from_bits(0xbe392de430b418a7),
        f64::from_bits(0x3e18f40ba5b88f2b),
        f64::from_bits(0xbdf9bad4fd4c0442),
        f64::from_bits(0x3dd6d1db3539f83f),
    ],
    [
        f64::from_bits(0x3fc6e9827d229d2d),
        f64::from_bits(0xbc590726e60f82ea),
        f64::from_bits(0xbfabd6ae4d14b16f),
        f64::from_bits(0x3c28d973a9e01494),
        f64::from_bits(0x3f9043fe1a98c0cd),
        f64::from_bits(0xbf7259061ba85692),
        f64::from_bits(0x3f5409cc2ed3ff14),
        f64::from_bits(0xbf353dec9d089560),
        f64::from_bits(0x3f15e73930481c87),
        f64::from_bits(0xbef6025103c17544),
        f64::from_bits(0x3ed595f1b61685a2),
        f64::from_bits(0xbeb4b146288ffc89),
        f64::from_bits(0x3e936990258af893),
        f64::from_bits(0xbe71d791276e2957),
        f64::from_bits(0x3e501517b1aa4f87),
        f64::from_bits(0xbe2c75388af68cc0),
        f64::from_bits(0x3e08b52241eeeacb),
        f64::from_bits(0xbde51cd1deea9bdc),
        f64::from_bits(0x3dc29dc027fa81b0),
        f64::from_bits(0xbd9ed8164ec68c81),
        f64::from_bits(0x3d39689e1be9dd2d),
    ],
    [
        f64::from_bits(0x3fc18932bf08e154),
        f64::from_bits(0x3c609833476ff135),
        f64::from_bits(0xbfa094922737431a),
        f64::from_bits(0x3c2646f7615cec9c),
        f64::from_bits(0x3f7e9412fa33c74b),
        f64::from_bits(0xbf5b8b6382729f08),
        f64::from_bits(0x3f38457bbe094286),
        f64::from_bits(0xbf14f2981c3bec3a),
        f64::from_bits(0x3ef1ba135ef0dc71),
        f64::from_bits(0xbecd727479819dd4),
        f64::from_bits(0x3ea806c913a3a791),
        f64::from_bits(0xbe8345efaa4f0b10),
        f64::from_bits(0x3e5e6bd303957202),
        f64::from_bits(0xbe37a304b9271aa1),
        f64::from_bits(0x3e121898db68022c),
        f64::from_bits(0xbdeb4c406210bc18),
        f64::from_bits(0x3dc3ce8d47003829),
        f64::from_bits(0xbd9dd4a62fd851d7),
        f64::from_bits(0x3d8b10a136b2bea6),
        f64::from_bits(0xbd4f2d4ef469234e),
        f64::from_bits(0xbd7ae77f43d6058c),
    ],
    [
        f64::from_bits(0x3fb2893deb79e6d4),
        f64::from_bits(0x3c5ee4375ba98c50),
        f64::from_bits(0x3fe19e5c19762270),
        f64::from_bits(0xbc544006ebb49190),
        f64::from_bits(0xbfb9dfc212be5ef3),
        f64::from_bits(0xbfcc34917de3b222),
        f64::from_bits(0x3fca956360c47acd),
        f64::from_bits(0x3fc39d6f8f6d3b6c),
        f64::from_bits(0xbfdf702be0489936),
        f64::from_bits(0x3fc38f9cd9ddbbbf),
        f64::from_bits(0x3ff1195317cf02a8),
        f64::from_bits(0xbffc7e4f9926632f),
        f64::from_bits(0xbff01689d5d93f01),
        f64::from_bits(0x401f98a912492a52),
        f64::from_bits(0xc021ce3128a30cc5),
        f64::from_bits(0xc031fdf9c836440c),
        f64::from_bits(0x40527c57a5b12d6a),
        f64::from_bits(0xc04b49439b1e35e7),
        f64::from_bits(0xc07140ef22305cfe),
        f64::from_bits(0x40861d49aebb08c8),
        f64::from_bits(0x40659c3d4bfea02d),
    ],
];
/// The centre of the last interval, in 1/x.
const U_MID: f64 = f64::from_bits(0x3fc0900000000000); // 0x1.09p-3

/// erfc(x) = 2^k (m + r) for 0.5 <= x <= 27.5 (NaN flows through m), |r| below an ULP of m and
/// m + r within 2^-55 relative of the exact value.
#[inline(always)]
pub(super) fn erfc_core<const FMA: bool>(x: f64) -> (f64, f64, i64) {
    const SHIFT: f64 = 6755399441055744.0; // 1.5 * 2^52: adding it rounds to an integer
                                           // Interval: the nearest integer m (at least 1) for x < 4.5, else the last one.
    let m = (x + SHIFT) - SHIFT;
    let m = if m < 1.0 { 1.0 } else { m };
    let big = x > 4.5;
    // d = d_hi + d_lo: x - m is exact (Sterbenz); 1/x - U_MID carries 1/x's rounding error.
    let u = 1.0 / x;
    let (p, pe) = two_prod::<FMA>(u, x);
    let u_lo = ((1.0 - p) - pe) * u;
    let (ud, ude) = two_sum(u, -U_MID);
    let (d_hi, d_lo) = if big { (ud, ude + u_lo) } else { (x - m, 0.0) };
    let c = |j: usize| {
        let mut c = C[0][j];
        c = if m >= 2.0 { C[1][j] } else { c };
        c = if m >= 3.0 { C[2][j] } else { c };
        c = if m >= 4.0 { C[3][j] } else { c };
        if big {
            C[4][j]
        } else {
            c
        }
    };
    let mut q = c(20);
    for j in (4..20).rev() {
        q = fma64::<FMA>(q, d_hi, c(j));
    }
    // erfcx = (c0 + c1 d) + d^2 q as s + lo, the first part exact.
    let (c0h, c0l, c1h, c1l) = (c(0), c(1), c(2), c(3));
    let (p1, p1e) = two_prod::<FMA>(c1h, d_hi);
    let (s, se) = two_sum(c0h, p1);
    let lo = se + p1e + c0l + fma64::<FMA>(c1l, d_hi, c1h * d_lo) + d_hi * d_hi * q;
    // exp(-x^2) = 2^k (h + t) (1 - x2l), x^2 = x2h + x2l exactly.
    let (x2h, x2l) = two_prod::<FMA>(x, x);
    let (h, t, k) = exp_dd::<FMA>(-x2h);
    // t is up to 2^-44 of h (x2l's term) and lo up to 2^-5 of s: their product counts.
    let t = t - h * x2l;
    let (y, ye) = two_prod::<FMA>(h, s);
    (y, ye + fma64::<FMA>(h, lo, t * (s + lo)), k)
}

#[inline(always)]
fn erfc64<const FMA: bool>(x: f64) -> f64 {
    let ax = x.abs();
    // Core, for |x| >= 0.5 (clamped: beyond 27.5 erfc is 0 and 2 - erfc is 2).
    let xc = if ax < 0.5 { 0.5 } else { ax };
    let xc = if xc > 27.5 { 27.5 } else { xc };
    let (m, r, k) = erfc_core::<FMA>(xc);
    let pos = scale(m + r, k);
    // 2 - erfc(|x|) for x <= -0.5: 2 - a exact by Fast2Sum, then the small parts.
    let (a, b) = (scale(m, k), scale(r, k));
    let s2 = 2.0 - a;
    let neg = s2 + (((2.0 - s2) - a) - b);
    // (1 - x) - x p(x^2) for |x| < 0.5.
    let s1 = 1.0 - x;
    let mid = s1 + (((1.0 - s1) - x) - x * small_p::<FMA>(x * x));
    let y = if x < 0.0 { neg } else { pos };
    let y = if ax < 0.5 { mid } else { y };
    // NaN: the input's own (quieted), whatever the lanes' operations propagated.
    if x.is_nan() {
        x + x
    } else {
        y
    }
}

impl Unary<f64> for Erfc {
    // Only results above F64_TINY_X underflow; the code is the same everywhere.
    const FAST_MIN: f64 = f64::MIN;
    const FAST_MAX: f64 = 26.5;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f64) -> f64 {
        erfc64::<FMA>(x)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f64) -> f64 {
        erfc64::<FMA>(x)
    }

    #[inline(always)]
    fn status(x: f64, _y: f64) -> u8 {
        flag(x > F64_TINY_X && x < f64::INFINITY, UNDERFLOW)
    }
}

impl Unary<f32> for Erfc {
    const FAST_MIN: f32 = f32::MIN;
    const FAST_MAX: f32 = 9.0;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f32) -> f32 {
        erfc64::<FMA>(f64::from(x)) as f32
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f32) -> f32 {
        erfc64::<FMA>(f64::from(x)) as f32
    }

    #[inline(always)]
    fn status(x: f32, _y: f32) -> u8 {
        flag(x > F32_TINY_X && x < f32::INFINITY, UNDERFLOW)
    }
}

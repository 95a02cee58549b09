//! Kernels of the hyperbolic family: sinh, cosh, tanh, arcsinh, arccosh, arctanh.
//!
//! Each kernel's doc comment gives its domain, error bound and method.
//!
//! Shared method: every float64 kernel is built on two double-double cores written here,
//! `expm1_core` (e^x = 2^k (1 + m) with m = expm1(r) carried as an unevaluated sum of two doubles,
//! relative error about 2^-58) and `log_quot` (k ln2 + log((1 + s)/(1 - s)) for a double-double
//! quotient s, one division, rounded once at the end, the rounding errors before the last addition
//! below 2^-58 of the result; `log_dd` feeds it the log of a double-double z >= 1). Double-double arithmetic
//! (error-free TwoSum / Fast2Sum, TwoProduct by FMA or by Veltkamp-Dekker splitting where there is no
//! FMA, and division with an exact residual) follows Dekker, "A floating-point technique for
//! extending the available precision" (1971), and Muller et al., "Handbook of Floating-Point
//! Arithmetic", ch. 4 and 14. Coefficients: `scripts/sollya/hyperbolic.sollya`.
//!
//! The float32 kernels widen to float64 (exact) and round once to float32. sinh, cosh and tanh
//! compute in plain float64 (`sinh_cosh_parts32`: the addition formulas with short even and odd
//! polynomials, no float64 division; error at most 0.5 + 2^-6 float32 ULP); arcsinh, arccosh and
//! arctanh likewise (`log32`, the float64 `log` kernel, and odd Taylor polynomials for small
//! arguments; error at most 0.5 + 2^-26 float32 ULP).
//!
//! At the AVX-512 level the float32 kernels are hand-vectorised in float32 arithmetic, 16 lanes
//! ([`avx512`], `Unary::map_avx512`): tanh by piecewise polynomials from a 32-interval table,
//! sinh and cosh from e^a and e^-a with a 32-entry table of 2^(j/32), the inverse functions from a
//! logarithm with a 32-entry table, each with the large terms added exactly (Fast2Sum, pairs of
//! singles) so that one rounding dominates: errors at most 0.5 + 0.13 ULP (tanh 0.5 + 0.23,
//! arccosh 0.5 + 2^-3); measured over all inputs 0.5018 to 0.6275 ULP. The float64 sinh and cosh
//! have such kernels too (8 lanes), with the AVX-512 exp kernel's table and polynomial, and so do
//! the float64 tanh (from `expm1`'s double-double kernel) and inverse functions (from `log`'s table
//! kernel with a double-double argument) ([`avx512_f64`]).
//! At the AVX2 level float32 `tanh` has a kernel of its own ([`avx2`]: 8 float32 lanes, every input
//! within 0.6256 ULP; one core 1.65 -> 1.12 ns/item on a Zen 4, where NumPy's AVX2 loop takes 1.25),
//! and so have float32 `arctanh`, `arcsinh` and `arccosh` (within 0.5207, 0.5607 and 0.5511 ULP;
//! 3.00 -> 1.27, 3.06 -> 1.55 and 2.69 -> 1.32 ns/item); float64 `sinh` and `cosh` run the AVX-512
//! kernels in 4 lanes, the table by gathers (bit-identical on 8M inputs; 3.37 -> 2.76 and
//! 2.88 -> 2.58 ns/item).
//! Coefficients: `scripts/sollya/tanh_f32.sollya`, `sinh_cosh_f32.sollya`, `invhyp_f32.sollya`.

#[cfg(target_arch = "x86_64")]
mod avx2;
#[cfg(target_arch = "x86_64")]
mod avx512;
#[cfg(target_arch = "x86_64")]
mod avx512_f64;

use super::dd::{fast_two_sum, two_prod, two_sum};
use super::{flag, fma64, Unary};
use crate::fpstatus::{DIVIDE, INVALID, OVERFLOW};

mod c {
    pub const SHIFT: f64 = 6755399441055744.0; // 1.5 * 2^52: adding it rounds to an integer
    pub const INV_LN2: f64 = f64::from_bits(0x3ff71547652b82fe);
    pub const LN2_HI: f64 = f64::from_bits(0x3fe62e42fee00000); // 32 significant bits
    pub const LN2_LO: f64 = f64::from_bits(0x3dea39ef35793c76);
    pub const SQRT_HALF_BITS: u64 = 0x3fe6a09e667f3bcd;
    /// 2^27 + 1, Veltkamp's splitting constant.
    /// 2^-28: below it sinh, tanh, arcsinh and arctanh round to x.
    pub const TINY: f64 = 3.725290298461914e-9;
    /// 2^28: above it arcsinh and arccosh use log(2x) plus a first-order correction.
    pub const HUGE: f64 = 268435456.0;
    /// expm1(r) = r + r^2/2 + r^3 c(r), |r| <= 0.3467.
    pub const EXPM1_C: [f64; 10] = [
        f64::from_bits(0x3fc5555555555556),
        f64::from_bits(0x3fa5555555555554),
        f64::from_bits(0x3f81111111110709),
        f64::from_bits(0x3f56c16c16c179fe),
        f64::from_bits(0x3f2a01a01a90438d),
        f64::from_bits(0x3efa01a019c4e292),
        f64::from_bits(0x3ec71de0a3401c0c),
        f64::from_bits(0x3e927e4f8293c7de),
        f64::from_bits(0x3e5af3f1d1634e16),
        f64::from_bits(0x3e21f3e5ee4a3368),
    ];
    /// sinh(x) = x + x^3 p(x^2), |x| <= 0.3467.
    pub const SINH_P: [f64; 6] = [
        f64::from_bits(0x3fc5555555555555),
        f64::from_bits(0x3f8111111111148a),
        f64::from_bits(0x3f2a01a019d920c8),
        f64::from_bits(0x3ec71de46620d09a),
        f64::from_bits(0x3e5ae321d66d239f),
        f64::from_bits(0x3dead7ed46ae9027),
    ];
    /// log(1 + f) = 2s + s z g(z), s = f / (2 + f), z = s^2 <= 0.02945.
    pub const LOG_G: [f64; 8] = [
        f64::from_bits(0x3fe5555555555555),
        f64::from_bits(0x3fd9999999999d59),
        f64::from_bits(0x3fd249249242ee1b),
        f64::from_bits(0x3fcc71c725c5ee56),
        f64::from_bits(0x3fc745cdb7521fa2),
        f64::from_bits(0x3fc3b215933c2fc5),
        f64::from_bits(0x3fc0f4a1544c3517),
        f64::from_bits(0x3fc1023b86d5d38d),
    ];
}

/// 2^k for -1022 <= k <= 1023.
#[inline(always)]
fn pow2(k: i64) -> f64 {
    f64::from_bits((k.wrapping_add(1023) as u64) << 52)
}

/// e^x = 2^k (1 + mh + ml) with mh + ml = expm1(r), r = x - k ln2, |r| <= 0.3467, to a relative
/// error of about 2^-58, for |x| <= 1000 (NaN gives NaN in mh).
///
/// Cody-Waite reduction with a two-part ln2 (k*LN2_HI exact, so x - k*LN2_HI is exact; the low
/// part added by TwoSum); expm1(r) =
/// r + r^2/2 + r^3 c(r) with r_hi^2 taken exactly by TwoProduct, so that only the r^3 term
/// (at most 2% of the result) carries ordinary rounding errors.
#[inline(always)]
fn expm1_core<const FMA: bool>(x: f64) -> (i64, f64, f64) {
    use c::*;
    let z = fma64::<FMA>(x, INV_LN2, SHIFT);
    let kf = z - SHIFT;
    let k = (z.to_bits() as i64).wrapping_sub(SHIFT.to_bits() as i64);
    let r_hi = fma64::<FMA>(kf, -LN2_HI, x);
    // r = r_hi + r_lo renormalised (r_lo reaches 2^-22 for large k, too much to square apart).
    let (r_hi, r_lo) = two_sum(r_hi, kf * -LN2_LO);
    let r = r_hi;
    let r2 = r * r;
    let r4 = r2 * r2;
    let cc = &EXPM1_C;
    let a0 = fma64::<FMA>(cc[1], r, cc[0]);
    let a1 = fma64::<FMA>(cc[3], r, cc[2]);
    let a2 = fma64::<FMA>(cc[5], r, cc[4]);
    let a3 = fma64::<FMA>(cc[7], r, cc[6]);
    let a4 = fma64::<FMA>(cc[9], r, cc[8]);
    let b0 = fma64::<FMA>(a1, r2, a0);
    let b1 = fma64::<FMA>(a3, r2, a2);
    let poly = fma64::<FMA>(fma64::<FMA>(a4, r4, b1), r4, b0);
    // (r_hi + r_lo)^2 / 2 = p/2 + pe/2 + r_hi r_lo (+ r_lo^2/2 <= 2^-108, dropped).
    let (p, pe) = two_prod::<FMA>(r_hi, r_hi);
    let (mh, t) = fast_two_sum(r_hi, 0.5 * p);
    let ml = t + (r_lo + fma64::<FMA>(r_hi, r_lo, 0.5 * pe) + (r2 * r) * poly);
    // Renormalise: ml can reach 2% of mh, and the callers need |ml| <= ulp(mh).
    let (mh, ml) = fast_two_sum(mh, ml);
    (k, mh, ml)
}

/// (e^a + sign e^-a) / 2 for 0 <= a <= 711 (sign = 1 for cosh, -1 for sinh; NaN gives NaN).
///
/// a = k ln2 + r (Cody-Waite as `expm1_core`), e^a = 2^k e^r and e^-a = 2^-k e^-r, so no division:
/// c(r) = C0(r^2) + r C1(r^2) (even and odd parts of the `EXPM1_C` polynomial) gives both
/// expm1(r) = r + r^2/2 + r^3 c(r) and expm1(-r) = -r + r^2/2 - r^3 c(-r), r_hi^2 exact by
/// TwoProduct and r_hi + r_hi^2/2 by Fast2Sum for each, so only the r^3 terms (at most 2% of
/// e^+-r) carry ordinary rounding errors (relative error about 2^-58 each). 2^-2k e^-r is dropped
/// beyond k = 40 (below 2^-79 of e^r); e^r + sign 2^-2k e^-r is summed by TwoSum of the high parts
/// and rounded once, then scaled by 2^(k-1) in two exact steps (k - 1 reaches 1025 near
/// overflow). Cancellation only for sinh, at most a factor 2.9 (coth(ln2/2)) for a >= 0.3465.
#[inline(always)]
fn sinh_cosh_core<const FMA: bool>(a: f64, sign: f64) -> f64 {
    use c::*;
    let z = fma64::<FMA>(a, INV_LN2, SHIFT);
    let kf = z - SHIFT;
    let k = (z.to_bits() as i64).wrapping_sub(SHIFT.to_bits() as i64);
    let r_hi = fma64::<FMA>(kf, -LN2_HI, a);
    let (r_hi, r_lo) = two_sum(r_hi, kf * -LN2_LO);
    let r = r_hi;
    let w = r * r;
    let w2 = w * w;
    let cc = &EXPM1_C;
    let e0 = fma64::<FMA>(cc[2], w, cc[0]);
    let e1 = fma64::<FMA>(cc[6], w, cc[4]);
    let ce = fma64::<FMA>(fma64::<FMA>(cc[8], w2, e1), w2, e0);
    let o0 = fma64::<FMA>(cc[3], w, cc[1]);
    let o1 = fma64::<FMA>(cc[7], w, cc[5]);
    let co = fma64::<FMA>(fma64::<FMA>(cc[9], w2, o1), w2, o0);
    let r3 = w * r;
    let pp = fma64::<FMA>(r, co, ce);
    let pm = fma64::<FMA>(-r, co, ce);
    // (r_hi + r_lo)^2 / 2 = p/2 + pe/2 + r_hi r_lo (+ r_lo^2/2 <= 2^-108, dropped), for both signs.
    let (p, pe) = two_prod::<FMA>(r_hi, r_hi);
    let sq_lo = fma64::<FMA>(r_hi, r_lo, 0.5 * pe);
    let (mph, tp) = fast_two_sum(r_hi, 0.5 * p);
    let mpl = tp + (r_lo + sq_lo + r3 * pp);
    let (mmh, tm) = fast_two_sum(-r_hi, 0.5 * p);
    let mml = tm + ((sq_lo - r_lo) - r3 * pm);
    // e^r = 1 + mph + mpl, e^-r = 1 + mmh + mml (|m| < 0.42: Fast2Sum with 1).
    let (eph, ept) = fast_two_sum(1.0, mph);
    let (emh, emt) = fast_two_sum(1.0, mmh);
    let s2 = if k > 40 {
        0.0
    } else {
        sign * pow2(k.wrapping_mul(-2))
    };
    let (dh, dt) = two_sum(eph, s2 * emh);
    let dl = dt + ((ept + mpl) + s2 * (emt + mml));
    let v = dh + dl;
    let km = k.wrapping_sub(1);
    let k1 = km >> 1;
    let k2 = km.wrapping_sub(k1);
    v * pow2(k1) * pow2(k2)
}

/// The biased exponent field of the float64 with bits `b`, as a float64 (exact; no 64-bit integer
/// conversion, which AVX2 lacks).
#[inline(always)]
fn biased_exponent(b: u64) -> f64 {
    f64::from_bits((b >> 52) | 0x4330_0000_0000_0000) - 4503599627370496.0
}

/// 2^k for an integer-valued float64 k, -1022 <= k <= 1023 (2^52 + 1023 + k holds k + 1023 in its
/// low bits).
#[inline(always)]
fn pow2f(k: f64) -> f64 {
    f64::from_bits((k + 4503599627371519.0).to_bits() << 52)
}

/// `if c { a } else { b }` by bit masks: a data select the compiler will not turn into control flow
/// (with `if`, it evaluated a large callee once per branch).
#[inline(always)]
fn bitsel(c: bool, a: f64, b: f64) -> f64 {
    let m = u64::from(c).wrapping_neg();
    f64::from_bits((a.to_bits() & m) | (b.to_bits() & !m))
}

/// The `sinh` kernel.
///
/// Domain: all floats. sinh(+-0) = +-0, sinh(+-inf) = +-inf, sinh(nan) = nan; overflows to +-inf
/// (overflow) for |x| > 710.4758600739439 (float32: 89.41599). Subnormal inputs are returned as they
/// are, with no underflow (as NumPy).
///
/// Method: |x| < 0.3465: odd minimax polynomial x + x^3 p(x^2) (the x^3 term is at most 2% of the
/// result); otherwise (e^|x| - e^-|x|)/2 from double-double e^r and e^-r (`sinh_cosh_core`, no
/// division), with the sign of x. At the AVX-512 level (`avx512::sinh8`): the same polynomial, and
/// otherwise e^(+-|x|)/2 = 2^k (hi + lo) from a 16-entry table of 2^(j/16)/2 as pairs of doubles
/// and the exp kernel's degree-7 polynomial, the high parts subtracted by Fast2Sum, one rounding. float32: sinh(k ln2 + r) = sinh(k ln2) cosh r + cosh(k ln2) sinh r
/// in plain float64 (`sinh32`), rounded once; at the AVX-512 level in float32 (`avx512::sinh16`:
/// a + a^3 p(a^2) below 1/4, else 2^k ((ah - bh) + (al - bl)) with e^(+-a)/2 = 2^k (ah + al),
/// 2^k (bh + bl) from a table of 2^(j/32)/2 as pairs of singles).
///
/// Error bound: 1 ULP (float64 at the AVX-512 level: 0.5 + 0.1; float32: 0.5 + 2^-6, at the
/// AVX-512 level 0.5 + 0.13). Measured maxima: float64 0.549 ULP against mpmath at generic and avx2,
/// 0.595 ULP at avx512 (`tests/test_accuracy.py`), and at most 1 ULP from CORE-MATH's correctly
/// rounded result, 99.8% (generic, avx2) and 99.5% (avx512) correctly rounded (`tests/accuracy.rs`);
/// float32 over all 2^32 inputs 0.5038 ULP at generic and avx2, 0.5676 ULP at avx512 (99.98%
/// correctly rounded).
#[derive(Debug)]
pub struct Sinh;

#[inline(always)]
fn sinh64<const FMA: bool>(x: f64) -> f64 {
    use c::*;
    let a = x.abs();
    let ac = if a > 711.0 { 711.0 } else { a };
    let big = sinh_cosh_core::<FMA>(ac, -1.0);
    let w = x * x;
    let w2 = w * w;
    let p = &SINH_P;
    let p01 = fma64::<FMA>(p[1], w, p[0]);
    let p23 = fma64::<FMA>(p[3], w, p[2]);
    let p45 = fma64::<FMA>(p[5], w, p[4]);
    let poly = fma64::<FMA>(fma64::<FMA>(p45, w2, p23), w2, p01);
    let small = fma64::<FMA>(x * w, poly, x);
    if a < 0.3465 {
        small
    } else {
        big.copysign(x)
    }
}

impl Unary<f64> for Sinh {
    const FAST_MIN: f64 = -710.0;
    const FAST_MAX: f64 = 710.0;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f64) -> f64 {
        sinh64::<FMA>(x)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f64) -> f64 {
        sinh64::<FMA>(x)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f64], dst: &mut [f64]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX-512F/DQ exist.
        Some(unsafe { avx512::sinh_f64(src, dst, Self::FAST_MIN, Self::FAST_MAX) })
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx2(src: &[f64], dst: &mut [f64]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX2 and FMA exist.
        Some(unsafe { avx2::sinh_f64(src, dst, Self::FAST_MIN, Self::FAST_MAX) })
    }

    #[inline(always)]
    fn status(x: f64, y: f64) -> u8 {
        flag(x.is_finite() && y.is_infinite(), OVERFLOW)
    }
}

/// cosh r = 1 + s pe(s) and sinh r = r + r s po(s), s = r^2, |r| <= ln2/2, for the float32 sinh, cosh
/// and tanh (`hyperbolic.sollya`, relative errors 2^-32.6 and 2^-35.6).
const PE32: [f64; 3] = [
    f64::from_bits(0x3fe0000000b83777),
    f64::from_bits(0x3fa5554e94127f11),
    f64::from_bits(0x3f56d42e51fc0434),
];
const PO32: [f64; 3] = [
    f64::from_bits(0x3fc5555555a754db),
    f64::from_bits(0x3f81110e10223091),
    f64::from_bits(0x3f2a124cec70bf29),
];

/// For 0 <= a <= 100 (NaN gives NaN) in plain float64: (sinh a, cosh a) = (A E + B O, B E + A O) with
/// a = k ln2 + r (|r| <= ln2/2, one-constant reduction: the error of k ln2 is below 2^-45), A =
/// sinh(k ln2) = 2^(k-1) - 2^(-k-1), B = cosh(k ln2) = 2^(k-1) + 2^(-k-1), E = cosh r, O = sinh r
/// (the addition formulas: both exponentials from one even and one odd polynomial, no division).
/// k = 0 below ln2/2, where A = 0 and sinh a = O(a). Returns (A E, B O, B E, A O): relative errors a
/// few 2^-53 plus E's and O's; cancellation in A E + B O at most a factor 3.5 (k = 1).
#[inline(always)]
fn sinh_cosh_parts32<const FMA: bool>(a: f64) -> (f64, f64, f64, f64) {
    use c::*;
    const LN2: f64 = f64::from_bits(0x3fe62e42fefa39ef);
    let z = fma64::<FMA>(a, INV_LN2, SHIFT);
    let kf = z - SHIFT;
    let k = (z.to_bits() as i64).wrapping_sub(SHIFT.to_bits() as i64);
    let r = fma64::<FMA>(kf, -LN2, a);
    let s = r * r;
    let e = fma64::<FMA>(
        s,
        fma64::<FMA>(s, fma64::<FMA>(s, PE32[2], PE32[1]), PE32[0]),
        1.0,
    );
    let po = fma64::<FMA>(s, fma64::<FMA>(s, PO32[2], PO32[1]), PO32[0]);
    let o = fma64::<FMA>(r * s, po, r);
    // k <= 145: 2^(k-1) and 2^(-k-1) are normal.
    let (up, down) = (
        pow2(k.wrapping_sub(1)),
        pow2(k.wrapping_neg().wrapping_sub(1)),
    );
    let (sa, ca) = (up - down, up + down);
    (sa * e, ca * o, ca * e, sa * o)
}

/// The float32 kernel: sinh a = A E + B O (`sinh_cosh_parts32`), |x| clamped to 100 (far past
/// float32 overflow), the sign of x.
#[inline(always)]
fn sinh32<const FMA: bool>(x: f32) -> f32 {
    let x = f64::from(x);
    let a = x.abs();
    let ac = if a > 100.0 { 100.0 } else { a };
    let (se, co, _, _) = sinh_cosh_parts32::<FMA>(ac);
    (se + co).copysign(x) as f32
}

impl Unary<f32> for Sinh {
    const FAST_MIN: f32 = -89.0;
    const FAST_MAX: f32 = 89.0;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f32) -> f32 {
        sinh32::<FMA>(x)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f32) -> f32 {
        sinh32::<FMA>(x)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX-512F/DQ exist.
        Some(unsafe { avx512::sinh(src, dst, Self::FAST_MIN, Self::FAST_MAX) })
    }

    #[inline(always)]
    fn status(x: f32, y: f32) -> u8 {
        flag(x.is_finite() && y.is_infinite(), OVERFLOW)
    }
}

/// The `cosh` kernel.
///
/// Domain: all floats. cosh(+-0) = 1, cosh(+-inf) = +inf, cosh(nan) = nan; overflows to +inf
/// (overflow) for |x| > 710.4758600739439 (float32: 89.41599).
///
/// Method: (e^|x| + e^-|x|)/2 from double-double e^r and e^-r (`sinh_cosh_core`, no division), no
/// cancellation; at the AVX-512 level (`avx512::cosh8`) e^(+-|x|)/2 = 2^k (hi + lo) as for sinh,
/// the high parts added by Fast2Sum, one rounding. float32: cosh(k ln2 + r) = cosh(k ln2) cosh r +
/// sinh(k ln2) sinh r in plain float64 (`cosh32`), rounded once; at the AVX-512 level in float32
/// (`avx512::cosh16`: as sinh's, with (ah + bh) + (al + bl)).
///
/// Error bound: 1 ULP (float64 at the AVX-512 level: 0.5 + 0.05; float32: 0.5 + 2^-7, at the
/// AVX-512 level 0.5 + 0.1). Measured maxima: float64 0.507 ULP against mpmath at generic and avx2,
/// 0.533 ULP at avx512 (`tests/test_accuracy.py`), and at most 1 ULP from CORE-MATH's correctly
/// rounded result, 99.85% (generic, avx2) and 99.6% (avx512) correctly rounded
/// (`tests/accuracy.rs`); float32 over all 2^32 inputs 0.5025 ULP at generic and avx2, 0.5371 ULP
/// at avx512 (99.99% correctly rounded).
#[derive(Debug)]
pub struct Cosh;

#[inline(always)]
fn cosh64<const FMA: bool>(x: f64) -> f64 {
    let a = x.abs();
    let ac = if a > 711.0 { 711.0 } else { a };
    sinh_cosh_core::<FMA>(ac, 1.0)
}

impl Unary<f64> for Cosh {
    const FAST_MIN: f64 = -710.0;
    const FAST_MAX: f64 = 710.0;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f64) -> f64 {
        cosh64::<FMA>(x)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f64) -> f64 {
        cosh64::<FMA>(x)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f64], dst: &mut [f64]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX-512F/DQ exist.
        Some(unsafe { avx512::cosh_f64(src, dst, Self::FAST_MIN, Self::FAST_MAX) })
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx2(src: &[f64], dst: &mut [f64]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX2 and FMA exist.
        Some(unsafe { avx2::cosh_f64(src, dst, Self::FAST_MIN, Self::FAST_MAX) })
    }

    #[inline(always)]
    fn status(x: f64, y: f64) -> u8 {
        flag(x.is_finite() && y.is_infinite(), OVERFLOW)
    }
}

/// The float32 kernel: cosh a = B E + A O (`sinh_cosh_parts32`), |x| clamped to 100.
#[inline(always)]
fn cosh32<const FMA: bool>(x: f32) -> f32 {
    let a = f64::from(x).abs();
    let ac = if a > 100.0 { 100.0 } else { a };
    let (_, _, ce, so) = sinh_cosh_parts32::<FMA>(ac);
    (ce + so) as f32
}

impl Unary<f32> for Cosh {
    const FAST_MIN: f32 = -89.0;
    const FAST_MAX: f32 = 89.0;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f32) -> f32 {
        cosh32::<FMA>(x)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f32) -> f32 {
        cosh32::<FMA>(x)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX-512F/DQ exist.
        Some(unsafe { avx512::cosh(src, dst, Self::FAST_MIN, Self::FAST_MAX) })
    }

    #[inline(always)]
    fn status(x: f32, y: f32) -> u8 {
        flag(x.is_finite() && y.is_infinite(), OVERFLOW)
    }
}

/// The `tanh` kernel.
///
/// Domain: all floats. tanh(+-0) = +-0, tanh(+-inf) = +-1, tanh(nan) = nan; no floating-point
/// conditions. |x| < 2^-28 returns x (subnormals included); tanh rounds to +-1 from |x| > 19.06
/// (float32: 9.01) on.
///
/// Method: with a = min(|x|, 20), u = expm1(-2a) as a double-double (`expm1_core`, u = 2^k m +
/// (2^k - 1), both parts exact), tanh a = -u / (2 + u) by a double-double division (quotient, exact
/// residual by TwoProduct, one correction); the sign of x. At the AVX-512 level
/// (`avx512_f64::tanh8`): u = expm1(2a) as a double-double from the AVX-512 expm1 kernel (exp's
/// 16-entry table, a polynomial below 1/32), u / (u + 2) by `vdivpd` and one correction through a
/// `vrcp14pd` reciprocal with a Newton step. float32: sinh a / cosh a in plain float64
/// from the float32 sinh and cosh parts (`tanh32`), rounded once; at the AVX-512 level in float32
/// (`avx512::tanh16`: a + a^3 p(a^2) below 2^-4, else a degree-6 polynomial in a - c on the quarter
/// of a binade that holds a, c its midpoint, with tanh c as a pair of singles, from a 32-row table).
///
/// Error bound: 1 ULP (float32: 0.5 + 2^-6; AVX-512 level 0.5 + 0.23). Measured maxima: float64
/// 0.533 ULP against mpmath (`tests/test_accuracy.py`) and at most 1 ULP from CORE-MATH's correctly
/// rounded result, 99.8% or more correctly rounded, at generic (no FMA), avx2 and avx512
/// (`tests/accuracy.rs`; avx512 99.998%, 0.5029 ULP against mpmath); float32 over all 2^32 inputs
/// 0.5015 ULP at generic and avx2, 0.6275 ULP at avx512 (99.96% correctly rounded).
#[derive(Debug)]
pub struct Tanh;

#[inline(always)]
fn tanh64<const FMA: bool>(x: f64) -> f64 {
    let a = x.abs();
    let ac = if a > 20.0 { 20.0 } else { a };
    let (k, mh, ml) = expm1_core::<FMA>(-2.0 * ac);
    // k in [-58, 0]: 2^k - 1 = ch + cl exactly.
    let sk = pow2(k);
    let ch = sk - 1.0;
    let cl = (-1.0 - ch) + sk;
    let (uh, ut) = two_sum(ch, sk * mh);
    let ul = ut + fma64::<FMA>(sk, ml, cl);
    let (dh, dt) = fast_two_sum(2.0, uh);
    let dl = dt + ul;
    let t0 = -uh / dh;
    let (p, pe) = two_prod::<FMA>(t0, dh);
    let rho = ((-uh - p) - pe) - fma64::<FMA>(t0, dl, ul);
    let t = t0 + rho / dh;
    let t = if a < c::TINY { a } else { t };
    t.copysign(x)
}

impl Unary<f64> for Tanh {
    const NO_CONDITIONS: bool = true;
    const FAST_MIN: f64 = f64::NEG_INFINITY;
    const FAST_MAX: f64 = f64::INFINITY;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f64) -> f64 {
        tanh64::<FMA>(x)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f64) -> f64 {
        tanh64::<FMA>(x)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f64], dst: &mut [f64]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX-512F/DQ exist. No status to compute.
        unsafe { avx512_f64::tanh(src, dst) };
        Some(true)
    }

    #[inline(always)]
    fn status(_x: f64, _y: f64) -> u8 {
        0
    }
}

/// The float32 kernel: tanh a = (A E + B O) / (B E + A O) (`sinh_cosh_parts32`), a = min(|x|, 10),
/// the sign of x. The quotient without a float64 division: a float32 reciprocal of the denominator
/// (relative error 2^-23), then one correction by the residual in float64 (relative error 2^-46).
#[inline(always)]
fn tanh32<const FMA: bool>(x: f32) -> f32 {
    let x = f64::from(x);
    let a = x.abs();
    let ac = if a > 10.0 { 10.0 } else { a };
    let (se, co, ce, so) = sinh_cosh_parts32::<FMA>(ac);
    let (num, den) = (se + co, ce + so);
    let inv = f64::from(1.0 / (den as f32));
    let q = num * inv;
    let t = fma64::<FMA>(fma64::<FMA>(-q, den, num), inv, q);
    t.copysign(x) as f32
}

impl Unary<f32> for Tanh {
    const NO_CONDITIONS: bool = true;
    const FAST_MIN: f32 = f32::NEG_INFINITY;
    const FAST_MAX: f32 = f32::INFINITY;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f32) -> f32 {
        tanh32::<FMA>(x)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f32) -> f32 {
        tanh32::<FMA>(x)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX-512F/DQ exist. No status to compute.
        unsafe { avx512::tanh(src, dst) };
        Some(true)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx2(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX2 and FMA exist. No status to compute.
        unsafe { avx2::tanh(src, dst, tanh32::<true>) };
        Some(true)
    }

    #[inline(always)]
    fn status(_x: f32, _y: f32) -> u8 {
        0
    }
}

/// log(zh + zl) + extra ln2 for a double-double zh + zl with zh >= 1 finite, |zl| <= ulp(zh)
/// (NaN in zl gives NaN).
///
/// zh = 2^e m with m in [sqrt(2)/2, sqrt(2)); f = m - 1 + zl 2^-e as a double-double (m - 1 is
/// exact); log(1 + f) = 2 atanh(s), s = f / (2 + f), by `log_quot` (one division). Float and unsigned
/// operations only.
#[inline(always)]
fn log_dd<const FMA: bool>(zh: f64, zl: f64, extra: f64) -> f64 {
    use c::*;
    // zh >= 1: t >= 0, and t >> 52 is e (subtracting sqrt(2)/2's bits splits at m = sqrt(2)/2).
    let t = zh.to_bits().wrapping_sub(SQRT_HALF_BITS);
    let ef = biased_exponent(t);
    let m = f64::from_bits((t & 0x000f_ffff_ffff_ffff).wrapping_add(SQRT_HALF_BITS));
    // 2^-e; 0 for e > 1000 (only arcsinh and arccosh of huge x, whose zl/zh is below 2^-2000).
    let scale = if ef > 1000.0 { 0.0 } else { pow2f(-ef) };
    let (fh, fl) = two_sum(m - 1.0, zl * scale);
    let (dh, dt) = fast_two_sum(2.0, fh);
    log_quot::<FMA>(ef + extra, fh, fl, dh, dt + fl)
}

/// ef ln2 + log((1 + s) / (1 - s)) with s = (nh + nl) / (dh + dl), |s| <= 0.17158, both double-doubles
/// (|nl| <= ulp(nh), |dl| <= ulp(dh)), rounded once; ef an integer, |ef| <= 2^20.
///
/// One division: s0 = nh (1/dh), the residual nh - s0 dh exact (TwoProduct; Sterbenz), s1 = residual
/// / dh through the same reciprocal (it only needs 2^-40); s0 + s1 has relative error about 2^-100.
/// log((1 + s)/(1 - s)) = 2s + s z g(z), z = s0^2, g minimax (the term is below 1% of the result).
/// ef ln2 in two parts (ef LN2_HI exact) added to 2 s0 by TwoSum; the rounding errors before the last
/// addition are below 2^-58 of the result.
#[inline(always)]
fn log_quot<const FMA: bool>(ef: f64, nh: f64, nl: f64, dh: f64, dl: f64) -> f64 {
    use c::*;
    let inv = 1.0 / dh;
    let s0 = nh * inv;
    let (p, pe) = two_prod::<FMA>(s0, dh);
    let rho = ((nh - p) - pe) + fma64::<FMA>(-s0, dl, nl);
    let s1 = rho * inv;
    let z = s0 * s0;
    let z2 = z * z;
    let z4 = z2 * z2;
    let g = &LOG_G;
    let g01 = fma64::<FMA>(g[1], z, g[0]);
    let g23 = fma64::<FMA>(g[3], z, g[2]);
    let g45 = fma64::<FMA>(g[5], z, g[4]);
    let g67 = fma64::<FMA>(g[7], z, g[6]);
    let h0 = fma64::<FMA>(g23, z2, g01);
    let h1 = fma64::<FMA>(g67, z2, g45);
    let poly = fma64::<FMA>(h1, z4, h0);
    let (h, l) = two_sum(ef * LN2_HI, 2.0 * s0);
    h + (l + fma64::<FMA>(ef, LN2_LO, fma64::<FMA>(s0 * z, poly, 2.0 * s1)))
}

/// sqrt(qh + ql) as a double-double (sh, sl): one correction from the exact residual.
#[inline(always)]
fn sqrt_dd<const FMA: bool>(qh: f64, ql: f64) -> (f64, f64) {
    let sh = qh.sqrt();
    let (s2, s2e) = two_prod::<FMA>(sh, sh);
    let sl = (((qh - s2) - s2e) + ql) / (2.0 * sh);
    (sh, if qh == 0.0 { 0.0 } else { sl })
}

/// log(z) in plain float64 for a positive normal z (`Log`'s float64 kernel, max 0.78 ULP), for the
/// float32 inverse hyperbolic kernels.
#[inline(always)]
fn log32<const FMA: bool>(z: f64) -> f64 {
    <super::log::Log as Unary<f64>>::eval_fast::<FMA>(z)
}

/// 2^-5: below it the float32 arcsinh and arctanh use their odd Taylor polynomials.
const SMALL32: f64 = 0.03125;

/// float32 arcsinh in plain float64: a = |x|; for a < 2^-5, a - a^3/6 + 3a^5/40 - 5a^7/112 (the
/// next term is below 2^-45 a); else log(a + sqrt(a^2 + 1)) (a^2 exact, z rounded once, so the
/// relative error of log z is at most a few 2^-53 / a <= 2^-46); the sign of x.
#[inline(always)]
fn arcsinh32<const FMA: bool>(x: f32) -> f32 {
    let x = f64::from(x);
    let a = x.abs();
    let w = a * a;
    let big = log32::<FMA>(a + (w + 1.0).sqrt());
    let p = fma64::<FMA>(fma64::<FMA>(-5.0 / 112.0, w, 3.0 / 40.0), w, -1.0 / 6.0);
    let small = fma64::<FMA>(a * w, p, a);
    let y = if a < SMALL32 { small } else { big };
    let y = if a == f64::INFINITY { a } else { y };
    let y = if a.is_nan() { a + a } else { y };
    y.copysign(x) as f32
}

/// float32 arccosh in plain float64: log(x + sqrt(x^2 - 1)) (x^2 exact, x^2 - 1 exact near 1 by
/// Sterbenz; for x >= 1 + 2^-23 the relative error of log z is at most a few 2^-53 / 2^-11).
#[inline(always)]
fn arccosh32<const FMA: bool>(x: f32) -> f32 {
    let x = f64::from(x);
    let y = log32::<FMA>(x + fma64::<FMA>(x, x, -1.0).sqrt());
    let y = if x == 1.0 { 0.0 } else { y };
    let y = if x == f64::INFINITY { x } else { y };
    let y = if x.is_nan() { x + x } else { y };
    (if x < 1.0 { f64::NAN } else { y }) as f32
}

/// float32 arctanh in plain float64: a = |x|; for a < 2^-5, a + a^3/3 + a^5/5 + a^7/7 (the next
/// term is below 2^-43 a); else log((1 + a) / (1 - a)) / 2 (both exact, one rounding in the
/// division, relative error of the log at most a few 2^-53 / 2a); the sign of x.
#[inline(always)]
fn arctanh32<const FMA: bool>(x: f32) -> f32 {
    let x = f64::from(x);
    let a = x.abs();
    let w = a * a;
    let big = 0.5 * log32::<FMA>((1.0 + a) / (1.0 - a));
    let p = fma64::<FMA>(fma64::<FMA>(1.0 / 7.0, w, 1.0 / 5.0), w, 1.0 / 3.0);
    let small = fma64::<FMA>(a * w, p, a);
    let y = if a < SMALL32 { small } else { big };
    let y = if a == 1.0 { f64::INFINITY } else { y };
    let y = if a > 1.0 { f64::NAN } else { y };
    let y = if a.is_nan() { a + a } else { y };
    y.copysign(x) as f32
}

/// The `arcsinh` kernel.
///
/// Domain: all floats. arcsinh(+-0) = +-0, arcsinh(+-inf) = +-inf, arcsinh(nan) = nan; no
/// floating-point conditions. |x| < 2^-28 returns x.
///
/// Method: a = |x|; z = a + sqrt(a^2 + 1) as a double-double (TwoProduct, TwoSum, `sqrt_dd`), or
/// for a > 2^28, ln2 + log(a) (the dropped 1/(4a^2) is below 2^-58); then `log_dd` (one division),
/// whose double-double input keeps the relative accuracy of z - 1 ~ a for small a; the sign of x.
/// At the AVX-512 level (`avx512_f64::asinh8`): the same z with one `vsqrtpd` and a `vrcp14pd`
/// reciprocal (one Newton step) for the root's correction, then log's table kernel with z's low
/// part in the exact low part of its reduced argument (`log::avx512::log8_parts_of`), a - a^3/6
/// below 2^-20. float32: plain float64 (`arcsinh32`: log(a + sqrt(a^2 + 1)), a Taylor polynomial below 2^-5),
/// rounded once; at the AVX-512 level in float32 (`avx512::asinh16`: the same formula with
/// a^2 + 1, its square root and z as pairs of singles and a table-driven logarithm, a + a^3 p(a^2)
/// below 2^-4).
///
/// Error bound: 1 ULP (float32: 0.5 + 2^-26, relative error before the rounding a few 2^-50;
/// AVX-512 level 0.5 + 2^-6). Measured maxima: float64 0.536 ULP against mpmath
/// (`tests/test_accuracy.py`, each level) and at most 1 ULP from CORE-MATH's correctly rounded
/// result, 99.9% correctly rounded, at generic (no FMA), avx2 and avx512 (`tests/accuracy.rs`;
/// avx512 99.988%, 0.5136 ULP against mpmath); float32 over all 2^32 inputs 0.5000 ULP at generic
/// and avx2 (all but 8 correctly rounded),
/// 0.5039 ULP at avx512 (all but 63,128).
#[derive(Debug)]
pub struct Arcsinh;

#[inline(always)]
fn arcsinh64<const FMA: bool>(x: f64) -> f64 {
    use c::*;
    let a = x.abs();
    let (q, qe) = two_prod::<FMA>(a, a);
    let (qh, qt) = two_sum(1.0, q);
    let (sh, sl) = sqrt_dd::<FMA>(qh, qt + qe);
    let (zh, zt) = fast_two_sum(sh, a);
    let zl = zt + sl;
    // a > 2^28: log(2a) (the dropped 1/(4a^2) is below 2^-58 of a result above 19); bit selects,
    // so that the compiler does not evaluate log_dd once per branch.
    let huge = a > HUGE;
    let y = log_dd::<FMA>(
        bitsel(huge, a, zh),
        bitsel(huge, 0.0, zl),
        bitsel(huge, 1.0, 0.0),
    );
    let y = if a < TINY { a } else { y };
    let y = if a == f64::INFINITY { a } else { y };
    y.copysign(x)
}

impl Unary<f64> for Arcsinh {
    const NO_CONDITIONS: bool = true;
    const FAST_MIN: f64 = f64::NEG_INFINITY;
    const FAST_MAX: f64 = f64::INFINITY;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f64) -> f64 {
        arcsinh64::<FMA>(x)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f64) -> f64 {
        arcsinh64::<FMA>(x)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f64], dst: &mut [f64]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX-512F/DQ exist. No status to compute.
        unsafe { avx512_f64::arcsinh(src, dst) };
        Some(true)
    }

    #[inline(always)]
    fn status(_x: f64, _y: f64) -> u8 {
        0
    }
}

impl Unary<f32> for Arcsinh {
    const NO_CONDITIONS: bool = true;
    const FAST_MIN: f32 = f32::NEG_INFINITY;
    const FAST_MAX: f32 = f32::INFINITY;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f32) -> f32 {
        arcsinh32::<FMA>(x)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f32) -> f32 {
        arcsinh32::<FMA>(x)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX-512F/DQ exist. No status to compute.
        unsafe { avx512::arcsinh(src, dst) };
        Some(true)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx2(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX2 and FMA exist. No status to compute.
        unsafe { avx2::arcsinh(src, dst, Self::eval::<true>) };
        Some(true)
    }

    #[inline(always)]
    fn status(_x: f32, _y: f32) -> u8 {
        0
    }
}

/// The `arccosh` kernel.
///
/// Domain: x >= 1. arccosh(1) = +0, arccosh(+inf) = +inf, arccosh(x < 1) = nan (invalid, -inf
/// included), arccosh(nan) = nan.
///
/// Method: z = x + sqrt(x^2 - 1) as a double-double (TwoProduct, TwoSum, `sqrt_dd`), or for
/// x > 2^28, ln2 + log(x) (the dropped 1/(4x^2) is below 2^-58); then `log_dd` (one division).
/// At the AVX-512 level (`avx512_f64::acosh8`): as arcsinh's, the root's reciprocal to 2^-53
/// (near 1 its correction reaches 2^-28.5 of it). float32: plain float64 (`arccosh32`: log(x + sqrt(x^2 - 1))), rounded once; at the AVX-512
/// level in float32 (`avx512::acosh16`: the same formula with x^2 - 1 = (x - 1)(x + 1), its square
/// root and z as pairs of singles and a table-driven logarithm).
///
/// Error bound: 1 ULP (float32: 0.5 + 2^-26, relative error before the rounding a few 2^-43;
/// AVX-512 level 0.5 + 2^-3, from the approximate reciprocal in the correction near x = 1).
/// Measured maxima: float64 0.504 ULP against mpmath
/// (`tests/test_accuracy.py`, each level) and at most 1 ULP from CORE-MATH's correctly rounded
/// result, 99.96% correctly rounded, at generic (no FMA), avx2 and avx512 (`tests/accuracy.rs`;
/// avx512 99.993%, 0.5186 ULP against mpmath); float32 over all 2^32 inputs 0.5000 ULP at generic
/// and avx2 (all but 2 correctly rounded),
/// 0.5140 ULP at avx512 (all but 24,030).
#[derive(Debug)]
pub struct Arccosh;

#[inline(always)]
fn arccosh64<const FMA: bool>(x: f64) -> f64 {
    use c::*;
    let (q, qe) = two_prod::<FMA>(x, x);
    let (qh, qt) = two_sum(q, -1.0);
    let (sh, sl) = sqrt_dd::<FMA>(qh, qt + qe);
    let (zh, zt) = fast_two_sum(x, sh);
    let zl = zt + sl;
    // x > 2^28: log(2x) (the dropped 1/(4x^2) is below 2^-58 of a result above 19), as arcsinh.
    let huge = x > HUGE;
    let y = log_dd::<FMA>(
        bitsel(huge, x, zh),
        bitsel(huge, 0.0, zl),
        bitsel(huge, 1.0, 0.0),
    );
    let y = if x == f64::INFINITY { x } else { y };
    if x < 1.0 {
        f64::NAN
    } else {
        y
    }
}

impl Unary<f64> for Arccosh {
    const FAST_MIN: f64 = 1.0;
    const FAST_MAX: f64 = f64::INFINITY;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f64) -> f64 {
        arccosh64::<FMA>(x)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f64) -> f64 {
        arccosh64::<FMA>(x)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f64], dst: &mut [f64]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX-512F/DQ exist.
        Some(unsafe { avx512_f64::arccosh(src, dst, Self::FAST_MIN, Self::FAST_MAX) })
    }

    #[inline(always)]
    fn status(x: f64, _y: f64) -> u8 {
        flag(x < 1.0, INVALID)
    }
}

impl Unary<f32> for Arccosh {
    const FAST_MIN: f32 = 1.0;
    const FAST_MAX: f32 = f32::INFINITY;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f32) -> f32 {
        arccosh32::<FMA>(x)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f32) -> f32 {
        arccosh32::<FMA>(x)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX-512F/DQ exist.
        Some(unsafe { avx512::arccosh(src, dst, Self::FAST_MIN, Self::FAST_MAX) })
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx2(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX2 and FMA exist.
        Some(unsafe { avx2::arccosh(src, dst, Self::FAST_MIN, Self::FAST_MAX, Self::eval::<true>) })
    }

    #[inline(always)]
    fn status(x: f32, _y: f32) -> u8 {
        flag(x < 1.0, INVALID)
    }
}

/// The `arctanh` kernel.
///
/// Domain: -1 <= x <= 1. arctanh(+-0) = +-0, arctanh(+-1) = +-inf (divide by zero), |x| > 1 (and
/// +-inf) gives nan (invalid), arctanh(nan) = nan. |x| < 2^-28 returns x.
///
/// Method: a = |x|; A = 1 + a and 1 - a exact double-doubles (Fast2Sum); z = A / (1 - a) = 2^k m
/// is never formed: k comes from the exponents and mantissas (m in [sqrt(2)/2, sqrt(2)]),
/// B = 2^k (1 - a) exactly, and arctanh a = (k ln2 + 2 atanh(s)) / 2 with s = (A - B) / (A + B) as
/// double-doubles (A - B exact by Sterbenz), one division (`log_quot`); the sign of x. At the
/// AVX-512 level (`avx512_f64::atanh8`): z = A / (1 - a) as a double-double (`vdivpd`, the exact
/// residual through a `vrcp14pd` reciprocal), log's table kernel with z's low part in its reduced
/// argument, a + a^3/3 below 2^-20. float32:
/// plain float64 (`arctanh32`: log((1 + a) / (1 - a)) / 2, a Taylor polynomial below 2^-5),
/// rounded once; at the AVX-512 level in float32 (`avx512::atanh16`: 1 + a and 1 - a as pairs of
/// singles, the quotient through an approximate reciprocal and exact residuals, a table-driven
/// logarithm, a + a^3 p(a^2) below 2^-4).
///
/// Error bound: 1 ULP (float64: 0.5 ULP from the last rounding, the rest below 2^-58 relative;
/// float32: 0.5 + 2^-26, relative error before the rounding a few 2^-49; AVX-512 level 0.5 + 2^-6).
/// Measured maxima: float64 0.510 ULP against mpmath (`tests/test_accuracy.py`, each level) and at
/// most 1 ULP from CORE-MATH's correctly rounded result, 99.97% correctly rounded, at generic (no
/// FMA), avx2 and avx512 (`tests/accuracy.rs`; avx512 99.996%, 0.5193 ULP against mpmath); float32 over all 2^32 inputs 0.5000 ULP at generic
/// and avx2 (all but 6 correctly rounded), 0.5018 ULP at avx512 (all but 13,004).
#[derive(Debug)]
pub struct Arctanh;

#[inline(always)]
fn arctanh64<const FMA: bool>(x: f64) -> f64 {
    const MANT: u64 = 0x000f_ffff_ffff_ffff;
    const ONE: u64 = 0x3ff0_0000_0000_0000;
    const SQRT2: f64 = std::f64::consts::SQRT_2;
    let a = x.abs();
    let (nh, nl) = fast_two_sum(1.0, a);
    let (dh, dl) = fast_two_sum(1.0, -a);
    // z = (1 + a) / (1 - a) = 2^k m, m in [sqrt(2)/2, sqrt(2)] (to 2^-52), k >= 0 from the exponents
    // and mantissas of nh and dh, no division (garbage for a >= 1 and NaN: selected away below).
    // Float and unsigned operations only (AVX2 and SSE2 lack 64-bit arithmetic shifts and
    // conversions).
    let (nb, db) = (nh.to_bits(), dh.to_bits());
    let mn = f64::from_bits((nb & MANT) | ONE);
    let md = f64::from_bits((db & MANT) | ONE);
    let k = biased_exponent(nb) - biased_exponent(db);
    let k = k + if mn >= SQRT2 * md { 1.0 } else { 0.0 };
    let k = k - if md > SQRT2 * mn { 1.0 } else { 0.0 };
    // B = 2^k (1 - a) exactly; m = A / B with A = 1 + a, and log z = k ln2 + 2 atanh(s),
    // s = (A - B) / (A + B). nh - bh is exact (Sterbenz: nh / bh in [1/2, 2]).
    let sc = pow2f(k);
    let (bh, bl) = (dh * sc, dl * sc);
    let (sh, st) = two_sum(nh - bh, nl - bl);
    let (th, tt) = two_sum(nh, bh);
    let y = 0.5 * log_quot::<FMA>(k, sh, st, th, tt + (nl + bl));
    let y = if a < c::TINY { a } else { y };
    let y = if a == 1.0 { f64::INFINITY } else { y };
    let y = if a > 1.0 { f64::NAN } else { y };
    y.copysign(x)
}

/// Largest float64 below 1.
const F64_BELOW_ONE: f64 = f64::from_bits(0x3fef_ffff_ffff_ffff);
/// Largest float32 below 1.
const F32_BELOW_ONE: f32 = f32::from_bits(0x3f7f_ffff);

impl Unary<f64> for Arctanh {
    const FAST_MIN: f64 = -F64_BELOW_ONE;
    const FAST_MAX: f64 = F64_BELOW_ONE;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f64) -> f64 {
        arctanh64::<FMA>(x)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f64) -> f64 {
        arctanh64::<FMA>(x)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f64], dst: &mut [f64]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX-512F/DQ exist.
        Some(unsafe { avx512_f64::arctanh(src, dst, Self::FAST_MIN, Self::FAST_MAX) })
    }

    #[inline(always)]
    fn status(x: f64, _y: f64) -> u8 {
        flag(x.abs() == 1.0, DIVIDE) | flag(x.abs() > 1.0, INVALID)
    }
}

impl Unary<f32> for Arctanh {
    const FAST_MIN: f32 = -F32_BELOW_ONE;
    const FAST_MAX: f32 = F32_BELOW_ONE;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f32) -> f32 {
        arctanh32::<FMA>(x)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f32) -> f32 {
        arctanh32::<FMA>(x)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX-512F/DQ exist.
        Some(unsafe { avx512::arctanh(src, dst, Self::FAST_MIN, Self::FAST_MAX) })
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx2(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX2 and FMA exist.
        Some(unsafe { avx2::arctanh(src, dst, Self::FAST_MIN, Self::FAST_MAX, Self::eval::<true>) })
    }

    #[inline(always)]
    fn status(x: f32, _y: f32) -> u8 {
        flag(x.abs() == 1.0, DIVIDE) | flag(x.abs() > 1.0, INVALID)
    }
}

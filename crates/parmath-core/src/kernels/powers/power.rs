//! `power(x, y)`, x raised to the power y (C's `pow`, NumPy's float `power`).
//!
//! Domain and special values (C99 Annex F, as NumPy): power(x, +-0) = 1 and power(1, y) = 1 even for
//! NaN; power(-1, +-inf) = 1; otherwise a NaN operand gives NaN. x < 0 finite with y finite and not an
//! integer gives NaN (invalid); x < 0 with an integer y gives the sign (-1)^y. power(+-0, y < 0) =
//! +inf, or -inf for x = -0 and an odd integer y (divide by zero, y = -inf included); power(+-0,
//! y > 0) = +0, or -0 for x = -0 and an odd integer y. power(x, +-inf) by |x| against 1;
//! power(+-inf, y) by the sign of y, negative only for -inf and an odd integer y. Overflow when finite
//! operands give an infinite result, underflow when finite nonzero x gives a result below the
//! smallest normal number (exact or not, as glibc).
//!
//! Method (float64): log|x| as a double-double, x = 2^e (1 + f) with 1 + f in [sqrt(2)/2, sqrt(2))
//! (subnormals scaled by 2^52), log(1 + f) = 2 atanh(s), s = f / (2 + f) as f (1 / (2 + f)) (one
//! division) plus its exact residual's correction, = 2s + (2/3) s^3 + s^5 Q(s^2) with the first two terms in double-double arithmetic (exact
//! products by FMA or by Dekker's algorithm with Veltkamp's splitting) and Q a minimax polynomial
//! (`scripts/sollya/power.sollya`), e ln2 added with a 42-bit high part; relative error below 2^-64.
//! Then y log|x| as a double-double (h, l) and exp(h + l) by Cody-Waite reduction h = k ln2 + r_hi
//! (exact) and exp(r_hi + r_lo) = 1 + r_hi + r_lo + r^2 q(r) (minimax, 2^-63) with 1 + r_hi split
//! exactly, scaled by 2^k in two exact steps so that subnormal results round once. Double-double
//! arithmetic as in Dekker (1971) and Muller et al., *Handbook of Floating-Point Arithmetic*, ch. 4
//! and 14; log via atanh as in Muller, *Elementary Functions*.
//!
//! Method (float32): where |y log2 x| < 120 (x positive normal; the result is normal), on the exact
//! float64 values, log|x| in plain float64 (the same reduction and Q, relative error below 2^-50)
//! times y in float64, then the float64 exp above and one rounding to float32: the float64 result is
//! within 2^-42 of exact, far inside float32's half ULP (2^-24), though an exact float32 midpoint
//! may round either way (at most 1 ULP). Elsewhere the float64 kernel on the exact float64 values,
//! rounded once more to float32, so that underflow to 0 and overflow are decided exactly.
//!
//! Error bound: at most 1 ULP; the log's error adds at most 745 * 2^-64 < 2^-54 to the exponent,
//! on top of exp's rounding (as in exp.rs). Measured (`tests/accuracy.rs`, 681 625 pairs against
//! CORE-MATH: special-case table, integer exponents, results near overflow/underflow, x near 1 with
//! huge y, random pairs): float64 at most 1 ULP from the correctly rounded result (99.4% correctly
//! rounded; generic, AVX2 and AVX-512 alike), float32 every result correctly rounded (0.5000 ULP).
//! The fractional float64 maximum against the exact value is not yet measured (mpmath).

use super::super::dd::{fast_two_sum, two_prod, two_sum};
use super::super::{first_nan, flag, fma64, Binary};
use crate::fpstatus::{DIVIDE, INVALID, OVERFLOW, UNDERFLOW};

/// The `power` kernel.
#[derive(Debug)]
pub struct Power;

mod c {
    pub const SQRT_HALF_BITS: u64 = 0x3fe6a09e667f3bcd;
    pub const TWO52: f64 = 4503599627370496.0;
    /// Q(z), `scripts/sollya/power.sollya`.
    pub const Q: [f64; 8] = [
        f64::from_bits(0x3fd999999999999a),
        f64::from_bits(0x3fd24924924922fc),
        f64::from_bits(0x3fcc71c71c74d1c0),
        f64::from_bits(0x3fc745d173c57417),
        f64::from_bits(0x3fc3b13aa0342a94),
        f64::from_bits(0x3fc11154601f4b17),
        f64::from_bits(0x3fbe01b9e2a1bb45),
        f64::from_bits(0x3fbda9000072fdb0),
    ];
    pub const T23_HI: f64 = f64::from_bits(0x3fe5555555555555);
    pub const T23_LO: f64 = f64::from_bits(0x3c85555555555555);
    pub const LN2_HI: f64 = f64::from_bits(0x3fe62e42fefa3800);
    pub const LN2_LO: f64 = f64::from_bits(0x3d2ef35793c76730);
    /// exp: q(r), 1/ln2 and ln2 in two parts, `scripts/sollya/power.sollya`.
    pub const E: [f64; 11] = [
        f64::from_bits(0x3fe0000000000000),
        f64::from_bits(0x3fc5555555555557),
        f64::from_bits(0x3fa5555555555552),
        f64::from_bits(0x3f81111111110051),
        f64::from_bits(0x3f56c16c16c18932),
        f64::from_bits(0x3f2a01a01ac1e4dc),
        f64::from_bits(0x3efa01a0197be222),
        f64::from_bits(0x3ec71de01aa5e8a5),
        f64::from_bits(0x3e927e500d7e4a31),
        f64::from_bits(0x3e5af4ed2a30d5c5),
        f64::from_bits(0x3e21f3305b8430a2),
    ];
    pub const INV_LN2: f64 = f64::from_bits(0x3ff71547652b82fe);
    pub const E_LN2_HI: f64 = f64::from_bits(0x3fe62e42ff000000);
    pub const E_LN2_LO: f64 = f64::from_bits(0xbdc718432a1b0e26);
    pub const SHIFT: f64 = 6755399441055744.0; // 1.5 * 2^52
}

/// log(x) as a double-double for a positive normal x (or a subnormal scaled by 2^52, `scaled` = 52).
#[inline(always)]
fn log_dd<const FMA: bool>(x: f64, scaled: i64) -> (f64, f64) {
    use c::*;
    let t = (x.to_bits() as i64).wrapping_sub(SQRT_HALF_BITS as i64);
    let e = (t >> 52).wrapping_sub(scaled);
    let m = f64::from_bits((t & 0x000f_ffff_ffff_ffff).wrapping_add(SQRT_HALF_BITS as i64) as u64);
    let f = m - 1.0;
    let ef = e as f64;
    // s = f / (2 + f) as sh + sl.
    let d = 2.0 + f;
    let dl = f - (d - 2.0);
    // One division: sh = f (1/d) is within an ulp or two of f/d, and the exact residual
    // f - sh d (Sterbenz, then the FMA's or Dekker's low part) times 1/d gives sl to 2^-50 of itself.
    let rd = 1.0 / d;
    let sh = f * rd;
    let (ph, pl) = two_prod::<FMA>(sh, d);
    let sl = (((f - ph) - pl) - sh * dl) * rd;
    // (2/3) s^3 as t3h + t3l.
    let (s2h, s2l) = two_prod::<FMA>(sh, sh);
    let s2l = s2l + 2.0 * sh * sl;
    let (s3h, s3l) = two_prod::<FMA>(s2h, sh);
    let s3l = s3l + (s2l * sh + s2h * sl);
    let (t3h, t3l) = two_prod::<FMA>(T23_HI, s3h);
    let t3l = t3l + (T23_HI * s3l + T23_LO * s3h);
    // s^5 Q(s^2).
    let z = s2h;
    let z2 = z * z;
    let z4 = z2 * z2;
    let q01 = fma64::<FMA>(Q[1], z, Q[0]);
    let q23 = fma64::<FMA>(Q[3], z, Q[2]);
    let q45 = fma64::<FMA>(Q[5], z, Q[4]);
    let q67 = fma64::<FMA>(Q[7], z, Q[6]);
    let q = fma64::<FMA>(fma64::<FMA>(q67, z2, q45), z4, fma64::<FMA>(q23, z2, q01));
    let tail = s3h * z * q;
    let (h, l) = two_sum(ef * LN2_HI, 2.0 * sh);
    let (h, l2) = fast_two_sum(h, t3h);
    let lo = (l + l2) + (((ef * LN2_LO + 2.0 * sl) + t3l) + tail);
    fast_two_sum(h, lo)
}

/// log(x) in plain float64 for a positive normal x (float32 path): the same reduction and Q as
/// [`log_dd`] without the double-double steps; relative error below 2^-50.
#[inline(always)]
fn log_lite<const FMA: bool>(x: f64) -> f64 {
    use c::*;
    let t = (x.to_bits() as i64).wrapping_sub(SQRT_HALF_BITS as i64);
    let e = t >> 52;
    let m = f64::from_bits((t & 0x000f_ffff_ffff_ffff).wrapping_add(SQRT_HALF_BITS as i64) as u64);
    let f = m - 1.0;
    let s = f / (2.0 + f);
    let z = s * s;
    let z2 = z * z;
    let z4 = z2 * z2;
    let q01 = fma64::<FMA>(Q[1], z, Q[0]);
    let q23 = fma64::<FMA>(Q[3], z, Q[2]);
    let q45 = fma64::<FMA>(Q[5], z, Q[4]);
    let q67 = fma64::<FMA>(Q[7], z, Q[6]);
    let q = fma64::<FMA>(fma64::<FMA>(q67, z2, q45), z4, fma64::<FMA>(q23, z2, q01));
    let tail = s * z * fma64::<FMA>(z, q, T23_HI);
    let ef = e as f64;
    fma64::<FMA>(ef, LN2_HI, fma64::<FMA>(ef, LN2_LO, 2.0 * s + tail))
}

/// exp(h + l) for |h| <= 746 with |l| <= 2^-40 |h|, as (p, k): p in about [0.7, 1.42], result p 2^k.
#[inline(always)]
fn exp_dd<const FMA: bool>(h: f64, l: f64) -> (f64, i64) {
    use c::*;
    let zk = fma64::<FMA>(h, INV_LN2, SHIFT);
    let kf = zk - SHIFT;
    let k = (zk.to_bits() as i64).wrapping_sub(SHIFT.to_bits() as i64);
    let r_hi = fma64::<FMA>(kf, -E_LN2_HI, h);
    let r_lo = fma64::<FMA>(kf, -E_LN2_LO, l);
    let r = r_hi + r_lo;
    let r2 = r * r;
    let r4 = r2 * r2;
    let a0 = fma64::<FMA>(E[1], r, E[0]);
    let a1 = fma64::<FMA>(E[3], r, E[2]);
    let a2 = fma64::<FMA>(E[5], r, E[4]);
    let a3 = fma64::<FMA>(E[7], r, E[6]);
    let a4 = fma64::<FMA>(E[9], r, E[8]);
    let b0 = fma64::<FMA>(a1, r2, a0);
    let b1 = fma64::<FMA>(a3, r2, a2);
    let b2 = fma64::<FMA>(E[10], r2, a4);
    let qq = fma64::<FMA>(fma64::<FMA>(b2, r4, b1), r4, b0);
    let one = 1.0 + r_hi;
    let lo = (1.0 - one) + r_hi;
    (one + (lo + fma64::<FMA>(r2, qq, r_lo)), k)
}

/// y log x as a double-double.
#[inline(always)]
fn ylogx<const FMA: bool>(x: f64, scaled: i64, y: f64) -> (f64, f64) {
    let (lh, ll) = log_dd::<FMA>(x, scaled);
    // Dekker's splitting overflows above 2^996; where |y| > 2^900 the result is 1 (log x = 0) or
    // overflows or underflows (|log x| >= 2^-53) either way, so y may be clamped there.
    let big = f64::from_bits((1023 + 900) << 52);
    let y = if y > big { big } else { y };
    let y = if y < -big { -big } else { y };
    let (ph, pl) = two_prod::<FMA>(y, lh);
    (ph, fma64::<FMA>(y, ll, pl))
}

/// Whether y is an integer, and whether an odd one (branch-free; NaN and inf are not odd).
#[inline(always)]
fn parity(y: f64) -> (bool, bool) {
    use c::TWO52;
    let a = y.abs();
    let big = a >= TWO52;
    let int = big || (a + TWO52) - TWO52 == a;
    let h = a * 0.5;
    let half_int = h >= TWO52 || (h + TWO52) - TWO52 == h;
    (int, int && !half_int && a < 2.0 * TWO52)
}

#[inline(always)]
fn pow64<const FMA: bool>(x: f64, y: f64) -> f64 {
    use c::*;
    let ax = x.abs();
    let tiny = ax < f64::MIN_POSITIVE;
    let (h, l) = ylogx::<FMA>(
        if tiny { ax * TWO52 } else { ax },
        if tiny { 52 } else { 0 },
        y,
    );
    // Beyond these the result is inf or 0 already; clamping keeps 2^k constructible.
    let hi_out = h > 710.0;
    let lo_out = h < -746.0;
    let h = if hi_out { 710.0 } else { h };
    let h = if lo_out { -746.0 } else { h };
    let l = if hi_out || lo_out { 0.0 } else { l };
    let (p, k) = exp_dd::<FMA>(h, l);
    let k1 = k >> 1;
    let k2 = k.wrapping_sub(k1);
    let s1 = f64::from_bits((k1.wrapping_add(1023) as u64) << 52);
    let s2 = f64::from_bits((k2.wrapping_add(1023) as u64) << 52);
    let r = p * s1 * s2;
    let ay = y.abs();
    // Magnitudes of the special cases.
    let r = if ay == f64::INFINITY {
        if ax == 1.0 {
            1.0
        } else if (ax > 1.0) == (y > 0.0) {
            f64::INFINITY
        } else {
            0.0
        }
    } else {
        r
    };
    let r = if ax == f64::INFINITY {
        if y > 0.0 {
            f64::INFINITY
        } else {
            0.0
        }
    } else {
        r
    };
    let r = if ax == 0.0 {
        if y < 0.0 {
            f64::INFINITY
        } else {
            0.0
        }
    } else {
        r
    };
    let (int, odd) = parity(y);
    let r = if x.is_sign_negative() && odd { -r } else { r };
    let r = if x < 0.0 && x > f64::NEG_INFINITY && ay < f64::INFINITY && !int {
        f64::NAN
    } else {
        r
    };
    let r = if x.is_nan() || y.is_nan() {
        first_nan(x, y)
    } else {
        r
    };
    if y == 0.0 || x == 1.0 {
        1.0
    } else {
        r
    }
}

/// The fast range: x positive normal, y such that |y log2 x| < 1020 (the result is normal), by the
/// bound |log2 x| < |e| + 1 from x's exponent e.
#[inline(always)]
fn fast64(x: f64, y: f64) -> bool {
    let e = ((x.to_bits() >> 52) as i64 - 1023).abs() + 1;
    (f64::MIN_POSITIVE..=f64::MAX).contains(&x) && y.abs() * (e as f64) < 1020.0
}

/// power(x, y) for a fast pair; `LITE` (float32 operands: |y log2 x| < 120) takes y log x in plain
/// float64 ([`log_lite`]), whose error 2^-50 |y log x| < 2^-43 stays far inside float32's rounding.
#[inline(always)]
fn pow64_fast<const FMA: bool, const LITE: bool>(x: f64, y: f64) -> f64 {
    let (h, l) = if LITE {
        (y * log_lite::<FMA>(x), 0.0)
    } else {
        ylogx::<FMA>(x, 0, y)
    };
    let (p, k) = exp_dd::<FMA>(h, l);
    p * f64::from_bits((k.wrapping_add(1023) as u64) << 52)
}

/// The float32 fast range: x positive normal, |y log2 x| < 120 (the float32 result is normal and
/// finite), by the bound |log2 x| < |e| + 1 from x's exponent e.
#[inline(always)]
fn fast32(x: f32, y: f32) -> bool {
    let e = ((x.to_bits() >> 23) as i32 - 127).abs() + 1;
    (f32::MIN_POSITIVE..=f32::MAX).contains(&x) && y.abs() * (e as f32) < 120.0
}

#[inline(always)]
fn status64(x: f64, y: f64, r: f64, min: f64) -> u8 {
    let (int, _) = parity(y);
    let finite = x.is_finite() && y.is_finite();
    flag(finite && x < 0.0 && !int, INVALID)
        | flag(x == 0.0 && y < 0.0, DIVIDE)
        | flag(finite && x != 0.0 && r.is_infinite(), OVERFLOW)
        | flag(finite && x != 0.0 && r.abs() < min, UNDERFLOW)
}

impl Binary<f64> for Power {
    #[inline(always)]
    fn eval<const FMA: bool>(x: f64, y: f64) -> f64 {
        pow64::<FMA>(x, y)
    }

    #[inline(always)]
    fn fast(x: f64, y: f64) -> bool {
        fast64(x, y)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f64, y: f64) -> f64 {
        pow64_fast::<FMA, false>(x, y)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(a: &[f64], b: &[f64], dst: &mut [f64]) -> Option<bool> {
        // SAFETY: the caller's contract (AVX-512F and DQ).
        Some(unsafe { avx512::map64(a, b, dst) })
    }

    #[inline(always)]
    fn status(x: f64, y: f64, r: f64) -> u8 {
        status64(x, y, r, f64::MIN_POSITIVE)
    }
}

impl Binary<f32> for Power {
    #[inline(always)]
    fn eval<const FMA: bool>(x: f32, y: f32) -> f32 {
        // Fast pairs as `eval_fast` (bit-identical by construction); the others, where results
        // that underflow to 0 or overflow must be decided exactly, by the double-double kernel.
        let (xd, yd) = (f64::from(x), f64::from(y));
        let lite = pow64_fast::<FMA, true>(xd, yd) as f32;
        let full = pow64::<FMA>(xd, yd) as f32;
        if fast32(x, y) {
            lite
        } else {
            full
        }
    }

    #[inline(always)]
    fn fast(x: f32, y: f32) -> bool {
        fast32(x, y)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f32, y: f32) -> f32 {
        pow64_fast::<FMA, true>(f64::from(x), f64::from(y)) as f32
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(a: &[f32], b: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller's contract (AVX-512F and DQ).
        Some(unsafe { avx512::map32(a, b, dst) })
    }

    #[inline(always)]
    fn status(x: f32, y: f32, r: f32) -> u8 {
        status64(
            f64::from(x),
            f64::from(y),
            f64::from(r),
            f64::from(f32::MIN_POSITIVE),
        )
    }
}

/// Hand-vectorised kernels of the AVX-512 level for pairs in the fast range (x positive normal and a
/// normal result); other lanes go to the per-lane kernel ([`pow64`]).
///
/// float64: log x as a double-double by the table-driven reduction of `log`'s AVX-512 kernel (x =
/// 2^e m, 16 intervals read with `vpermt2pd`, r = m invc - 1 exact as a sum of two doubles), with
/// log1p(r) = r - r^2/2 + r^3/3 + r^4 q(r), the first three terms in double-double arithmetic and q of
/// degree 8 (`scripts/sollya/power_table.sollya`, relative error 2^-71); relative error of log x below
/// 2^-64 (the roundings of the r^4 term, r^4/4 <= 2^-21.8 of the result, and of the final sums). Then
/// y log x as a double-double (h, l) and exp(h + l) = 2^(k/16) exp(r) with `exp`'s AVX-512 table and
/// polynomial (`scripts/sollya/exp_table.sollya`, 2^-64), r = h - k ln2/16 + l (Cody-Waite, exact
/// high part), scaled by `vscalefpd`. Error bound: 0.5 ULP for the final rounding, plus |y log x| <=
/// 700 times 2^-64 (< 0.1 ULP) from the logarithm, plus 2^-58 from exp's sums: below 0.65 ULP.
///
/// float32, in float32 arithmetic (16 lanes): log x as a pair of floats to about 2^-36
/// (`log::avx512::log_dd16`), y log x split by an FMA, exp by the same 16-entry table (two float32
/// parts) and a degree-5 Taylor polynomial (see `avx512::pow16`): 0.5 ULP plus about 2^-4 ULP;
/// measured 0.54 ULP on the test pairs, 0.62 on 4 million pairs with x near 1 and |y| up to 3000.
#[cfg(target_arch = "x86_64")]
pub(crate) mod avx512 {
    use super::super::super::exp::{
        avx512 as exp512,
        avx512::{exp_parts16, table16_f32},
        c64 as exp_c,
    };
    use super::super::super::log::avx512::{
        log_dd16, reduce8 as reduce, tables32, INVC, LOGC_HI, LOGC_LO,
    };
    use super::super::super::simd512::{
        fast_two_sum8, lookup16, table16, zip16, zip8, Table16, Table32,
    };
    use std::arch::x86_64::*;

    /// q(r), c4..c12, `scripts/sollya/power_table.sollya`.
    const Q: [u64; 9] = [
        0xbfd0000000000000,
        0x3fc9999999999926,
        0xbfc55555555554cb,
        0x3fc24924925fb11e,
        0xbfc000000017a7ed,
        0x3fbc71c4bc98e7a5,
        0xbfb99997424b8309,
        0x3fb751aae2ad4538,
        0xbfb56099cc3f673a,
    ];
    const THIRD_HI: f64 = f64::from_bits(0x3fd5555555555555);
    const THIRD_LO: f64 = f64::from_bits(0x3c75555555555555);
    /// ln 2 as `log`'s kernels split it: 32 significant bits (e ln2_hi exact) and the rest.
    const LN2_HI: f64 = f64::from_bits(0x3fe62e42fee00000);
    const LN2_LO: f64 = f64::from_bits(0x3dea39ef35793c76);

    #[derive(Clone, Copy)]
    struct Tables {
        invc: Table16,
        logc_hi: Table16,
        logc_lo: Table16,
        t_hi: Table16,
        t_lo: Table16,
    }

    #[inline]
    #[target_feature(enable = "avx512f")]
    fn tables(logc_hi: &[u64; 16], logc_lo: &[u64; 16]) -> Tables {
        Tables {
            invc: table16(&INVC),
            logc_hi: table16(logc_hi),
            logc_lo: table16(logc_lo),
            t_hi: table16(&exp512::T_HI),
            t_lo: table16(&exp512::T_LO),
        }
    }

    #[inline(always)]
    fn set(v: f64) -> __m512d {
        // SAFETY: no memory access; AVX-512F is enabled by every caller.
        unsafe { _mm512_set1_pd(v) }
    }

    /// log x as an unnormalised double-double (hi, lo), |lo| <= 2^-50 |hi|, for positive normal x.
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    fn log_dd8(x: __m512d, t: Tables) -> (__m512d, __m512d) {
        let (e, m, j) = reduce(x);
        let ic = lookup16(t.invc, j);
        // r = rh + rl exactly: m ic split by an FMA, p_hi - 1 exact (Sterbenz), then Fast2Sum
        // (|p_hi - 1| >= ulp(p_hi) > |p_lo| unless p_hi = 1).
        let p_hi = _mm512_mul_pd(m, ic);
        let p_lo = _mm512_fmsub_pd(m, ic, p_hi);
        let (rh, rl) = fast_two_sum8(_mm512_sub_pd(p_hi, set(1.0)), p_lo);
        // r^2 = sh + sl and r^3 = ch + cl to 2^-100 of themselves.
        let sh = _mm512_mul_pd(rh, rh);
        let sl = _mm512_fmadd_pd(_mm512_add_pd(rh, rh), rl, _mm512_fmsub_pd(rh, rh, sh));
        let ch = _mm512_mul_pd(sh, rh);
        let cl = _mm512_fmadd_pd(sl, rh, _mm512_fmsub_pd(sh, rh, ch));
        // r^3 / 3 = th + tl.
        let th = _mm512_mul_pd(ch, set(THIRD_HI));
        let tl = _mm512_fmsub_pd(ch, set(THIRD_HI), th);
        let tl = _mm512_fmadd_pd(cl, set(THIRD_HI), _mm512_fmadd_pd(ch, set(THIRD_LO), tl));
        // r^4 q(r), plain float64.
        let c = |i: usize| set(f64::from_bits(Q[i]));
        let r2 = sh;
        let r4 = _mm512_mul_pd(r2, r2);
        let q01 = _mm512_fmadd_pd(c(1), rh, c(0));
        let q23 = _mm512_fmadd_pd(c(3), rh, c(2));
        let q45 = _mm512_fmadd_pd(c(5), rh, c(4));
        let q67 = _mm512_fmadd_pd(c(7), rh, c(6));
        let q03 = _mm512_fmadd_pd(q23, r2, q01);
        let q47 = _mm512_fmadd_pd(q67, r2, q45);
        let q48 = _mm512_fmadd_pd(c(8), r4, q47);
        let q = _mm512_fmadd_pd(q48, r4, q03);
        let tail = _mm512_mul_pd(r4, q);
        // e ln2_hi + logc_hi is exact (both multiples of 2^-32, below 2^10). Each partial sum is at
        // least as large as the next term (|hi| >= |r| unless hi = 0, and |r^2/2|, |r^3/3| are far
        // below |hi + r|), so the Fast2Sums are exact.
        let hi = _mm512_fmadd_pd(e, set(LN2_HI), lookup16(t.logc_hi, j));
        let (w, e1) = fast_two_sum8(hi, rh);
        let (w, e2) = fast_two_sum8(w, _mm512_mul_pd(sh, set(-0.5)));
        let (w, e3) = fast_two_sum8(w, th);
        let lo = _mm512_fmadd_pd(e, set(LN2_LO), lookup16(t.logc_lo, j));
        let lo = _mm512_add_pd(lo, _mm512_add_pd(rl, _mm512_add_pd(e1, e2)));
        let lo = _mm512_add_pd(lo, _mm512_add_pd(e3, tl));
        let lo = _mm512_add_pd(lo, _mm512_fmadd_pd(sl, set(-0.5), tail));
        (w, lo)
    }

    /// exp(h + l) for |h| <= 700, |l| <= 2^-40 |h| (a normal result), scaled exactly.
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    fn exp_dd8(h: __m512d, l: __m512d, t: Tables) -> __m512d {
        // k/16 = h/ln2 rounded to a multiple of 1/16: adding 1.5 * 2^48 rounds there.
        let shift = set(exp_c::SHIFT / 16.0);
        let z = _mm512_fmadd_pd(h, set(exp_c::INV_LN2), shift);
        let k = _mm512_sub_pd(z, shift);
        // h - (k/16) ln2_hi is exact (k below 2^14 times 32 bits, Sterbenz); r rounds twice.
        let r_hi = _mm512_fnmadd_pd(k, set(exp_c::LN2_HI), h);
        let r = _mm512_add_pd(r_hi, _mm512_fnmadd_pd(k, set(exp_c::LN2_LO), l));
        // The low four bits of z's lanes are j = k mod 16.
        let j = _mm512_castpd_si512(z);
        let th = lookup16(t.t_hi, j);
        let tl = lookup16(t.t_lo, j);
        let (r2, q) = exp512::exp_q8(r);
        let p = _mm512_fmadd_pd(r2, q, r);
        let s = _mm512_add_pd(th, _mm512_fmadd_pd(th, p, tl));
        // vscalefpd multiplies by 2^floor(k/16).
        _mm512_scalef_pd(s, k)
    }

    /// Lanes whose x is a positive normal number: in none of `vfpclasspd`'s eight classes (NaNs,
    /// zeros, infinities, subnormals, negatives).
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    fn positive_normal(x: __m512d) -> __mmask8 {
        !_mm512_fpclass_pd_mask::<0xff>(x)
    }

    /// pow of eight float64 lanes and the lanes in the fast range (|y log x| < 700).
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    fn pow8(x: __m512d, y: __m512d, t: Tables) -> (__m512d, __mmask8) {
        let (lh, ll) = log_dd8(x, t);
        let ph = _mm512_mul_pd(y, lh);
        let pl = _mm512_fmadd_pd(y, ll, _mm512_fmsub_pd(y, lh, ph));
        let fast =
            positive_normal(x) & _mm512_cmp_pd_mask::<_CMP_LT_OQ>(_mm512_abs_pd(ph), set(700.0));
        // Other lanes compute garbage that is not used (they are redone one by one; the bindings
        // discard the hardware flags a kernel raises).
        (exp_dd8(ph, pl, t), fast)
    }

    /// `dst = power(a, b)` over float64 slices; whether every pair was in the fast range.
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(crate) fn map64(a: &[f64], b: &[f64], dst: &mut [f64]) -> bool {
        let t = tables(&LOGC_HI, &LOGC_LO);
        zip8(a, b, dst, |x, y| pow8(x, y, t), super::pow64::<true>)
    }

    /// pow of sixteen float32 lanes in float32 arithmetic, and the lanes in the fast range (x
    /// positive normal, |y log x| < 80: a normal float32 result). log x as a pair of floats to about
    /// 2^-36 (`log::avx512::log_dd16`), y log x = ph + pl (the product split by an FMA), then exp(ph +
    /// pl) = 2^(k/16) exp(r): k/16 from one shift, r = ph - (k/16) ln2_hi exact (an FMA; the
    /// difference fits in 14 bits), exp(r) - 1 by its Taylor polynomial of degree 5 (|r| <= 0.0217:
    /// remainder 2^-42), the table as two floats, `vscalefps`. Error 0.5 ULP plus |y log x| 2^-36 and
    /// the exp's 2^-29: below 0.55 ULP.
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    fn pow16(
        x: __m512,
        y: __m512,
        logt: (Table32, Table32, Table32),
        expt: (__m512, __m512),
    ) -> (__m512, __mmask16) {
        let (w, l) = log_dd16(x, logt);
        let ph = _mm512_mul_ps(y, w);
        let pl = _mm512_fmadd_ps(y, l, _mm512_fmsub_ps(y, w, ph));
        // x positive, normal and finite: in none of `vfpclassps`'s eight classes (NaNs, zeros,
        // infinities, subnormals, negatives).
        let fast = !_mm512_fpclass_ps_mask::<0xff>(x)
            & _mm512_cmp_ps_mask::<_CMP_LT_OQ>(_mm512_abs_ps(ph), _mm512_set1_ps(80.0));
        let (t, small, k) = exp_parts16(ph, pl, expt);
        let s = _mm512_add_ps(t, small);
        (_mm512_scalef_ps(s, k), fast)
    }

    /// `dst = power(a, b)` over float32 slices; whether every pair was in the fast range.
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(crate) fn map32(a: &[f32], b: &[f32], dst: &mut [f32]) -> bool {
        let (logt, expt) = (tables32(), table16_f32());
        zip16(
            a,
            b,
            dst,
            |x, y| pow16(x, y, logt, expt),
            <super::Power as super::Binary<f32>>::eval::<true>,
        )
    }
}

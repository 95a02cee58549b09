//! `hypot(x, y)`, sqrt(x^2 + y^2) without undue overflow or underflow.
//!
//! Domain: all pairs. hypot(+-inf, y) = hypot(x, +-inf) = +inf even when the other operand is NaN
//! (C99 Annex F); otherwise a NaN operand gives NaN; hypot(+-0, +-0) = +0; the sign of the operands
//! never matters. Conditions as NumPy (glibc): overflow when finite operands give an infinite result,
//! underflow when two nonzero operands give a result below the smallest normal number.
//!
//! Method (float64): b = max(|x|, |y|), s = min(|x|, |y|), both scaled by 2^-600 when b >= 2^450 and
//! by 2^600 when b < 2^-450 (exact, chosen by selects, undone at the end), so that the squares and
//! their rounding errors are normal numbers. b^2 and s^2 are computed as exact double-word products
//! (one FMA each, or Dekker's product with Veltkamp's splitting without FMA), r = sqrt(b^2 + s^2)
//! rounded, and r^2 also exactly; the residual d = b^2 + s^2 - r^2 is then computed with only
//! negligible rounding errors and the result is r + d / (2r): one Newton step from the rounded square
//! root, the "fused correction" of C. F. Borges, *An Improved Algorithm for hypot(a, b)*, ACM TOMS 47
//! (2021), which is correctly rounded almost always.
//!
//! Method (float32): in float64, where the squares are exact and nothing overflows or underflows:
//! sqrt(x^2 + y^2) with two float64 roundings, then one rounding to float32.
//!
//! Error bound: at most 1 ULP; float64 results are within 0.5 + 2^-50 ULP save for subnormal results
//! (a second rounding, <= 0.5 + 2^-50 of the subnormal ULP more); float32 within 0.5 + 2^-28 ULP
//! (AVX-512: 0.5 + 2^-17, below).
//! Measured (`tests/accuracy.rs`, 601 059 pairs against CORE-MATH, every ISA level): every float64
//! and float32 result correctly rounded (max 0.5 ULP).
//!
use super::super::{first_nan, flag, Binary};
use crate::fpstatus::{OVERFLOW, UNDERFLOW};

/// The `hypot` kernel.
#[derive(Debug)]
pub struct Hypot;

const TWO450: f64 = f64::from_bits((1023 + 450) << 52);
const TWO_M450: f64 = f64::from_bits((1023 - 450) << 52);
const TWO600: f64 = f64::from_bits((1023 + 600) << 52);
const TWO_M600: f64 = f64::from_bits((1023 - 600) << 52);

/// The rounding error of a * a, given h = fl(a * a): exact unless it underflows.
#[inline(always)]
fn sq_err<const FMA: bool>(a: f64, h: f64) -> f64 {
    if FMA {
        a.mul_add(a, -h)
    } else {
        // Veltkamp's splitting into two 26-bit halves, then Dekker's exact product.
        let c = a * 134217729.0; // 2^27 + 1
        let hi = c - (c - a);
        let lo = a - hi;
        ((hi * hi - h) + 2.0 * hi * lo) + lo * lo
    }
}

/// sqrt(b^2 + s^2) for b >= s >= 0, b in [2^-474, 2^450).
#[inline(always)]
fn core64<const FMA: bool>(b: f64, s: f64) -> f64 {
    let bh = b * b;
    let bl = sq_err::<FMA>(b, bh);
    let sh = s * s;
    let sl = sq_err::<FMA>(s, sh);
    let r = (bh + sh).sqrt();
    let rh = r * r;
    let rl = sq_err::<FMA>(r, rh);
    // bh - rh is exact (Sterbenz), and so nearly is adding sh: the residual is small.
    let d = ((bh - rh) + sh) + ((bl + sl) - rl);
    r + d / (2.0 * r)
}

#[inline(always)]
fn order(x: f64, y: f64) -> (f64, f64) {
    let (ax, ay) = (x.abs(), y.abs());
    if ax > ay {
        (ax, ay)
    } else {
        (ay, ax)
    }
}

impl Binary<f64> for Hypot {
    #[inline(always)]
    fn eval<const FMA: bool>(x: f64, y: f64) -> f64 {
        let (b, s) = order(x, y);
        let big = b >= TWO450;
        let small = b < TWO_M450;
        let scale = if big { TWO_M600 } else { 1.0 };
        let scale = if small { TWO600 } else { scale };
        let back = if big { TWO600 } else { 1.0 };
        let back = if small { TWO_M600 } else { back };
        let r = core64::<FMA>(b * scale, s * scale) * back;
        let r = if b == 0.0 { 0.0 } else { r };
        let r = if x.is_nan() || y.is_nan() {
            first_nan(x, y)
        } else {
            r
        };
        if x.abs() == f64::INFINITY || y.abs() == f64::INFINITY {
            f64::INFINITY
        } else {
            r
        }
    }

    #[inline(always)]
    fn fast(x: f64, y: f64) -> bool {
        let b = x.abs().max(y.abs());
        (TWO_M450..TWO450).contains(&b)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f64, y: f64) -> f64 {
        let (b, s) = order(x, y);
        core64::<FMA>(b, s)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(a: &[f64], b: &[f64], dst: &mut [f64]) -> Option<bool> {
        // SAFETY: the caller's contract (AVX-512F and DQ).
        Some(unsafe { avx512::map64(a, b, dst) })
    }

    #[inline(always)]
    fn status(x: f64, y: f64, r: f64) -> u8 {
        flag(
            x.is_finite() && y.is_finite() && r == f64::INFINITY,
            OVERFLOW,
        ) | flag(r < f64::MIN_POSITIVE && x != 0.0 && y != 0.0, UNDERFLOW)
    }
}

/// float32 in float64: the squares are exact, their sum and square root round once each.
#[inline(always)]
fn core32(x: f32, y: f32) -> f32 {
    let (x, y) = (f64::from(x), f64::from(y));
    (x * x + y * y).sqrt() as f32
}

impl Binary<f32> for Hypot {
    #[inline(always)]
    fn eval<const FMA: bool>(x: f32, y: f32) -> f32 {
        let r = core32(x, y);
        // The NaN of x^2 + y^2 depends on the order the compiler gave the operands.
        let r = if x.is_nan() || y.is_nan() {
            first_nan(x, y)
        } else {
            r
        };
        if x.abs() == f32::INFINITY || y.abs() == f32::INFINITY {
            f32::INFINITY
        } else {
            r
        }
    }

    #[inline(always)]
    fn fast(x: f32, y: f32) -> bool {
        // The result is then a normal float32 below 2^126.5.
        let b = x.abs().max(y.abs());
        (f32::MIN_POSITIVE..=8.507059e37).contains(&b) // up to 2^126
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f32, y: f32) -> f32 {
        core32(x, y)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(a: &[f32], b: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller's contract (AVX-512F and DQ).
        Some(unsafe { avx512::map32(a, b, dst) })
    }

    #[inline(always)]
    fn status(x: f32, y: f32, r: f32) -> u8 {
        // NumPy's float32 hypot works in float64 and flags underflow only when rounding the
        // subnormal result to float32 is inexact (hypot(3s, 4s) = 5s raises nothing).
        let (x64, y64) = (f64::from(x), f64::from(y));
        let wide = (x64 * x64 + y64 * y64).sqrt();
        flag(
            x.is_finite() && y.is_finite() && r == f32::INFINITY,
            OVERFLOW,
        ) | flag(r < f32::MIN_POSITIVE && wide != f64::from(r), UNDERFLOW)
    }
}

/// The AVX-512 level: `hypot8` (float64) and `hypot16` (float32).
#[cfg(target_arch = "x86_64")]
mod avx512 {
    use super::super::super::simd512::{zip16, zip8};
    use super::{TWO450, TWO_M450};
    use std::arch::x86_64::*;

    /// sqrt(s) for s = x^2 + y^2 (exact squares, the sum rounded once) of 8 float64 lanes, s
    /// normal: from `vrsqrt14pd` (2^-14), r0 = s y0 and two Newton steps on r^2 = s that reuse
    /// y0 / 2 as 1 / (2r): relative errors 2^-28, then 2^-42, before the rounding to float32, so
    /// at most 0.5 + 2^-17 ULP (a result within 2^-18 ULP of a half-way point may round the other
    /// way: 15 of 60M pairs). One core, Zen 4: 0.78 -> 0.59 ns/item (0.69 with `vsqrtpd`).
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    fn root8(x: __m512d, y: __m512d) -> __m512d {
        let s = _mm512_fmadd_pd(x, x, _mm512_mul_pd(y, y));
        let y0 = _mm512_rsqrt14_pd(s);
        let r = _mm512_mul_pd(s, y0);
        let h = _mm512_mul_pd(y0, _mm512_set1_pd(0.5));
        let r = _mm512_fmadd_pd(_mm512_fnmadd_pd(r, r, s), h, r);
        _mm512_fmadd_pd(_mm512_fnmadd_pd(r, r, s), h, r)
    }

    /// hypot of 16 float32 pairs in float64 halves; the fast pairs (max(|x|, |y|) normal and at
    /// most 2^126, so that s is a normal float64) as in `fast`.
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    fn hypot16(x: __m512, y: __m512) -> (__m512, __mmask16) {
        let b = _mm512_max_ps(_mm512_abs_ps(x), _mm512_abs_ps(y));
        // (`vmaxps` returns the second operand when one is NaN: hence the NaN test.)
        let fast = _mm512_cmp_ps_mask::<_CMP_GE_OQ>(b, _mm512_set1_ps(f32::MIN_POSITIVE))
            & _mm512_cmp_ps_mask::<_CMP_LE_OQ>(b, _mm512_set1_ps(8.507059e37))
            & _mm512_cmp_ps_mask::<_CMP_ORD_Q>(x, y);
        let lo = root8(
            _mm512_cvtps_pd(_mm512_castps512_ps256(x)),
            _mm512_cvtps_pd(_mm512_castps512_ps256(y)),
        );
        let hi = root8(
            _mm512_cvtps_pd(_mm512_extractf32x8_ps::<1>(x)),
            _mm512_cvtps_pd(_mm512_extractf32x8_ps::<1>(y)),
        );
        let r = _mm512_insertf32x8::<1>(
            _mm512_castps256_ps512(_mm512_cvtpd_ps(lo)),
            _mm512_cvtpd_ps(hi),
        );
        (r, fast)
    }

    /// hypot of 8 float64 pairs by the scalar kernel's method (`core64`), the correction d / (2r)
    /// as d times half of 1/r from `vrcp14pd` and one Newton step (2^-28 of a term below 2^-52 r),
    /// added by one FMA, instead of a division: 1.18 -> 0.80 ns/item (one core, Zen 4; a division
    /// 1.02, `vrcp14pd` alone 0.74 but 139 of 20M results one step off), the same results as the
    /// scalar kernel on 60M pairs. The fast pairs (max(|x|, |y|) in [2^-450, 2^450)) as in `fast`.
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    fn hypot8(x: __m512d, y: __m512d) -> (__m512d, __mmask8) {
        let (ax, ay) = (_mm512_abs_pd(x), _mm512_abs_pd(y));
        let b = _mm512_max_pd(ax, ay);
        let s = _mm512_min_pd(ax, ay);
        // (`vmaxpd` and `vminpd` return the second operand when one is NaN: hence the NaN test.)
        let fast = _mm512_cmp_pd_mask::<_CMP_GE_OQ>(b, _mm512_set1_pd(TWO_M450))
            & _mm512_cmp_pd_mask::<_CMP_LT_OQ>(b, _mm512_set1_pd(TWO450))
            & _mm512_cmp_pd_mask::<_CMP_ORD_Q>(x, y);
        let bh = _mm512_mul_pd(b, b);
        let bl = _mm512_fmsub_pd(b, b, bh);
        let sh = _mm512_mul_pd(s, s);
        let sl = _mm512_fmsub_pd(s, s, sh);
        let r = _mm512_sqrt_pd(_mm512_add_pd(bh, sh));
        let rh = _mm512_mul_pd(r, r);
        let rl = _mm512_fmsub_pd(r, r, rh);
        // bh - rh is exact (Sterbenz), and so nearly is adding sh: the residual is small.
        let d = _mm512_add_pd(
            _mm512_add_pd(_mm512_sub_pd(bh, rh), sh),
            _mm512_sub_pd(_mm512_add_pd(bl, sl), rl),
        );
        let y = _mm512_rcp14_pd(r);
        let y = _mm512_fmadd_pd(y, _mm512_fnmadd_pd(r, y, _mm512_set1_pd(1.0)), y);
        let h = _mm512_mul_pd(y, _mm512_set1_pd(0.5));
        (_mm512_fmadd_pd(d, h, r), fast)
    }

    /// `dst = hypot(a, b)` in float64; pairs outside the fast range again by the scalar kernel.
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(super) fn map64(a: &[f64], b: &[f64], dst: &mut [f64]) -> bool {
        zip8(
            a,
            b,
            dst,
            |x, y| hypot8(x, y),
            <super::Hypot as super::Binary<f64>>::eval::<true>,
        )
    }

    /// `dst = hypot(a, b)` in float32; pairs outside the fast range again by the scalar kernel.
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(super) fn map32(a: &[f32], b: &[f32], dst: &mut [f32]) -> bool {
        zip16(
            a,
            b,
            dst,
            |x, y| hypot16(x, y),
            <super::Hypot as super::Binary<f32>>::eval::<true>,
        )
    }
}

//! `expit(x) = 1 / (1 + exp(-x))`, the logistic sigmoid (SciPy's `scipy.special.expit`).
//!
//! Domain: all floats. expit(-inf) = 0, expit(inf) = 1, expit(+-0) = 0.5, expit(nan) = nan. Results
//! below the smallest normal number (x below about -708.40, float32 -87.34) are subnormal, and
//! round to +0 below about -745.13 (float32 -103.97); those raise underflow, as IEEE 754 has it for
//! the exact result (SciPy's ufunc reports no error there).
//!
//! Method: with e = exp(-|x|) in (0, 1], expit(x) = 1 / (1 + e) for x >= 0 and e / (1 + e) for
//! x < 0, so nothing overflows and no cancellation occurs. float64: e as a double-double 2^k (h + t)
//! (Cody-Waite reduction and a minimax polynomial, `scripts/sollya/expit.sollya`), 1 + e as an exact
//! Fast2Sum plus the tail, and the quotient by one division corrected with its exact residual
//! (Dekker's double-double division; the product is exact by FMA or Dekker's splitting), scaled by
//! 2^k last. float32: the same formula in float64 with the float64 exp kernel, rounded once.
//!
//! Error bound: float64: the double-double quotient has relative error below 2^-55, then one rounding
//! (a second one only for subnormal results): at most 0.5 + 2^-3 ULP. float32: float64 error below
//! 2^-50 relative, then one rounding: 0.5 + 2^-26 ULP. Measured maxima: float64 0.68 ULP (mpmath,
//! `tests/test_accuracy.py`), at most one step from the correctly rounded result at every level
//! (99.5% correctly rounded, `tests/accuracy.rs`; 99.9% at the AVX-512 level); float32 correctly
//! rounded on every input at the generic level; at AVX-512 (float32 arithmetic, below) max 0.5538
//! ULP, 4,293,328,770 of the 2^32 inputs correctly rounded; at AVX2 (float32 arithmetic, an
//! 8-entry table) max 0.5667 ULP, 4,293,979,405 (one core, 4,096 items, on a Zen 4: 2.06 -> 0.95
//! ns/item against the float64 scalar code vectorised by the compiler; SciPy 3.4). One core, 4,096 items on
//! [-10, 10), AVX-512 kernels against the scalar code: float64 2.5 -> 1.3 ns/item (SciPy 6.0; 1.21
//! on a Zen 4 with the range redone one by one, SciPy 5.5; 1.14 with e scaled before the quotient),
//! float32 1.35 -> 0.9 (float64 lanes; SciPy 3.5); float32 lanes against float64 lanes, side by
//! side in a slower phase of the machine: 1.30 -> 1.02 (SciPy 6.4); 0.61 -> 0.57 on the Zen 4 with
//! `vrcp14ps` for the division and e scaled first (2026-11-28). At the AVX2 level float64 runs
//! the AVX-512 kernel in 4 lanes (`avx2::expit4d`, the table by gathers; bit-identical to it on
//! 6M inputs, one core 3.41 -> 2.24 ns/item against the scalar code vectorised by the compiler).

use super::{exp_dd, scale};
use crate::fpstatus::UNDERFLOW;
use crate::kernels::dd::two_prod;
use crate::kernels::{exp::Exp, flag, Unary};

/// The `expit` kernel.
#[derive(Debug)]
pub struct Expit;

/// Below this float64 the exact expit is below the smallest normal number (ln(2^-1022) - 2^-1022 ulp).
pub const F64_TINY_X: f64 = -708.3964185322641;
/// Below this float32 the exact expit is below the smallest normal float32.
pub const F32_TINY_X: f32 = -87.33654022216797;

#[inline(always)]
fn expit64<const FMA: bool>(x: f64) -> f64 {
    // Beyond -746, exp(-|x|) is below half the smallest subnormal: the results are 0 and 1.
    let a = -x.abs();
    let a = if a < -746.0 { -746.0 } else { a };
    let (h, t, k) = exp_dd::<FMA>(a);
    // 1 + e as d_hi + d_lo; below 2^-200, e no longer matters, so its scale is clamped to stay normal.
    let kd = if k < -200 { -200 } else { k };
    let sd = super::pow2(kd);
    let (eh, et) = (h * sd, t * sd);
    let d_hi = 1.0 + eh;
    let d_lo = ((1.0 - d_hi) + eh) + et;
    // Numerator: e / 2^k = h + t for x < 0, else 1 (and no scaling).
    let neg = x < 0.0;
    let (n_hi, n_lo, kn) = if neg { (h, t, k) } else { (1.0, 0.0, 0) };
    let q0 = n_hi / d_hi;
    let (p, pe) = two_prod::<FMA>(q0, d_hi);
    let corr = (((n_hi - p) - pe) + (n_lo - q0 * d_lo)) / d_hi;
    let y = scale(q0 + corr, kn);
    // NaN: the input's own (quieted), whatever the lanes' operations propagated.
    if x.is_nan() {
        x + x
    } else {
        y
    }
}

impl Unary<f64> for Expit {
    // Results are normal from F64_TINY_X up; beyond 746 the result is 1 (the AVX-512 kernel is
    // right up to there only: lanes outside the range are redone one by one).
    const FAST_MIN: f64 = -708.0;
    const FAST_MAX: f64 = 746.0;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f64) -> f64 {
        expit64::<FMA>(x)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f64) -> f64 {
        expit64::<FMA>(x)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f64], dst: &mut [f64]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX-512F/DQ exist.
        Some(unsafe { avx512::map64(src, dst, Self::FAST_MIN, Self::FAST_MAX) })
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx2(src: &[f64], dst: &mut [f64]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX2 and FMA exist.
        Some(unsafe { avx2::map64(src, dst, Self::FAST_MIN, Self::FAST_MAX) })
    }

    #[inline(always)]
    fn status(x: f64, _y: f64) -> u8 {
        flag(x < F64_TINY_X && x > f64::NEG_INFINITY, UNDERFLOW)
    }
}

#[inline(always)]
fn expit32<const FMA: bool>(x: f32) -> f32 {
    let x = f64::from(x);
    // Below -104, the float32 result is 0 either way; the clamp keeps exp's fast path valid.
    let a = -x.abs();
    let a = if a < -104.0 { -104.0 } else { a };
    let e = <Exp as Unary<f64>>::eval_fast::<FMA>(a);
    let n = if x < 0.0 { e } else { 1.0 };
    (n / (1.0 + e)) as f32
}

impl Unary<f32> for Expit {
    const FAST_MIN: f32 = -87.0;
    const FAST_MAX: f32 = f32::MAX;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f32) -> f32 {
        expit32::<FMA>(x)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f32) -> f32 {
        expit32::<FMA>(x)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX-512F/DQ exist.
        Some(unsafe { avx512::map32(src, dst, Self::FAST_MIN, Self::FAST_MAX) })
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx2(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX2 and FMA exist.
        Some(unsafe { avx2::map32(src, dst, Self::FAST_MIN, Self::FAST_MAX) })
    }

    #[inline(always)]
    fn status(x: f32, _y: f32) -> u8 {
        flag(x < F32_TINY_X && x > f32::NEG_INFINITY, UNDERFLOW)
    }
}

/// The AVX-512 level, on every input. e = exp(-|x|) = 2^k (t + l) with `exp`'s 16-entry table t =
/// 2^(j/16) (`vpermt2pd`) and exp(r) - 1 on |r| <= ln2/32: float64 by `exp`'s degree-7 polynomial
/// (`scripts/sollya/exp_table.sollya`, 2^-64) with l = t (e^r - 1) + t_lo, a double-double of
/// relative error about 2^-57, scaled by 2^k (`vscalefpd`, exact for x >= -700; lanes below are
/// redone by the scalar kernel) and normalised. float64: 1 + e as an exact Fast2Sum plus the tail,
/// one division for 1 / d_hi, the quotient corrected by its residual (n - q0 d, by FMA), one
/// rounding: error 0.5 ULP plus about 2^-4. About half the
/// operations of the scalar code above. float32: `expit16`, the same scheme in float32 lanes (twice
/// as many a register as float64's, which halves the operations again).
#[cfg(target_arch = "x86_64")]
pub(super) mod avx512 {
    use crate::kernels::exp::avx512::{exp_parts16_of, exp_q8, table16_f32, T_HI, T_LO};
    use crate::kernels::exp::c64::{INV_LN2, LN2_HI, LN2_LO, SHIFT};
    use crate::kernels::simd512::{
        fast_two_sum8, lookup16, map16_redo, map8_redo_range, table16, Table16,
    };
    use std::arch::x86_64::*;

    /// (a, m, j) for e^a: a = -|x| (|x| <= 746: the caller redoes other lanes), m = a 16 / ln2
    /// rounded to an integer, j = m mod 16 in the low bits of the last.
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    fn reduce8(x: __m512d) -> (__m512d, __m512d, __m512i) {
        let a = _mm512_or_pd(x, _mm512_set1_pd(-0.0));
        let z = _mm512_fmadd_pd(a, _mm512_set1_pd(INV_LN2 * 16.0), _mm512_set1_pd(SHIFT));
        (
            a,
            _mm512_sub_pd(z, _mm512_set1_pd(SHIFT)),
            _mm512_castpd_si512(z),
        )
    }

    /// expit of eight float64 lanes.
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    fn expit8(x: __m512d, t_hi: Table16, t_lo: Table16) -> __m512d {
        let set = _mm512_set1_pd;
        let one = set(1.0);
        let (a, m, j) = reduce8(x);
        // r_hi is exact (LN2_HI has 32 bits, |m| < 2^15); r rounds once.
        let r_hi = _mm512_fnmadd_pd(m, set(LN2_HI / 16.0), a);
        let r = _mm512_fnmadd_pd(m, set(LN2_LO / 16.0), r_hi);
        let (r2, q) = exp_q8(r);
        let p = _mm512_fmadd_pd(r2, q, r);
        // e = 2^k (th + th p + tl), k = floor(m / 16) (vscalefpd floors), scaled first (exact:
        // 2^k th <= 1 since m <= 0, and 2^k tl stays normal for x >= -700, the caller's range),
        // then normalised (Fast2Sum: |th p + tl| < th / 32) so that q0 below is within 2^-52.
        let k = _mm512_mul_pd(m, set(1.0 / 16.0));
        let th = _mm512_scalef_pd(lookup16(t_hi, j), k);
        let tl = _mm512_fmadd_pd(th, p, _mm512_scalef_pd(lookup16(t_lo, j), k));
        let (h, l) = fast_two_sum8(th, tl);
        // 1 + e = d_hi + d_lo: Fast2Sum (h <= 1) plus l.
        let d_hi = _mm512_add_pd(one, h);
        let d_lo = _mm512_add_pd(_mm512_add_pd(_mm512_sub_pd(one, d_hi), h), l);
        // Numerator: e = h + l for x < 0, else 1.
        let neg = _mm512_cmp_pd_mask::<_CMP_LT_OQ>(x, _mm512_setzero_pd());
        let n_hi = _mm512_mask_mov_pd(one, neg, h);
        let n_lo = _mm512_maskz_mov_pd(neg, l);
        let rcp = _mm512_div_pd(one, d_hi);
        let q0 = _mm512_mul_pd(n_hi, rcp);
        // n - q0 d: the first FMA's rounding is 2^-53 of a residual already 2^-51 of n.
        let res = _mm512_fnmadd_pd(q0, d_hi, n_hi);
        let res = _mm512_fnmadd_pd(q0, d_lo, _mm512_add_pd(res, n_lo));
        _mm512_fmadd_pd(res, rcp, q0)
    }

    /// `dst = expit(src)` in float64 (`expit8`); inputs outside `[max(lo, -700), hi]` (below
    /// -700, above 746, inf, NaN) again by the scalar kernel. Whether every input lies in that
    /// range.
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(crate) fn map64(src: &[f64], dst: &mut [f64], lo: f64, hi: f64) -> bool {
        let (th, tl) = (table16(&T_HI), table16(&T_LO));
        map8_redo_range(
            src,
            dst,
            lo.max(-700.0),
            hi,
            |x| expit8(x, th, tl),
            super::expit64::<true>,
        )
    }

    /// expit of 16 float32 lanes in float32 arithmetic, for x >= -80 (2^k t_lo normal): e =
    /// exp(-|x|) = h + l by `exp_parts16_of` (16-entry table scaled by 2^k; the roundings of r and
    /// of t (e^r - 1) leave 2^-29 to 2^-28 of e), normalised by Fast2Sum; 1 + e = d_hi + d_lo
    /// (Fast2Sum plus l); the quotient of 1 (x >= 0) or h + l (x < 0) by d: q0 = n `vrcp14ps`(d_hi)
    /// (2^-14), corrected once by its residual (exact by FMA) over the same reciprocal (2^-28 left),
    /// rounded once: 0.5 + 2^-3 ULP (measured over every float32 input: at most 0.5538 ULP).
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    fn expit16(x: __m512, table: (__m512, __m512)) -> __m512 {
        let set = _mm512_set1_ps;
        let one = set(1.0);
        // -|x|, clamped where e no longer matters (x >= 104; NaN kept: `max` returns its second
        // operand; x below -80 is the caller's to redo).
        let a = _mm512_max_ps(set(-104.0), _mm512_or_ps(x, set(-0.0)));
        // e = h + l, scaled by 2^k already (2^k t_lo normal above -80, the caller's range).
        let (t, small, _) = exp_parts16_of::<true>(a, _mm512_setzero_ps(), table);
        let h = _mm512_add_ps(t, small);
        let l = _mm512_sub_ps(small, _mm512_sub_ps(h, t));
        let d_hi = _mm512_add_ps(one, h);
        let d_lo = _mm512_add_ps(_mm512_add_ps(_mm512_sub_ps(one, d_hi), h), l);
        let neg = _mm512_cmp_ps_mask::<_CMP_LT_OQ>(x, _mm512_setzero_ps());
        let n_hi = _mm512_mask_mov_ps(one, neg, h);
        let n_lo = _mm512_maskz_mov_ps(neg, l);
        let rcp = _mm512_rcp14_ps(d_hi);
        let q0 = _mm512_mul_ps(n_hi, rcp);
        let res = _mm512_fnmadd_ps(q0, d_hi, n_hi);
        let res = _mm512_fnmadd_ps(q0, d_lo, _mm512_add_ps(res, n_lo));
        _mm512_fmadd_ps(res, rcp, q0)
    }

    /// `dst = expit(src)` in float32 (`expit16`); inputs outside `[lo, hi]` (below -87, NaN, inf)
    /// again by the scalar kernel; whether every input lies in `[lo, hi]`.
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(crate) fn map32(src: &[f32], dst: &mut [f32], lo: f32, hi: f32) -> bool {
        let table = table16_f32();
        map16_redo(
            src,
            dst,
            lo.max(-80.0),
            hi,
            |x| expit16(x, table),
            super::expit32::<true>,
        )
    }
}

/// The AVX2 level, float32: `expit16`'s scheme in 8 float32 lanes, e = exp(-|x|) = h + l by
/// `exp::avx2::exp_parts8s` (an 8-entry table, 2^-28 of e, normal for x >= -80: lanes below are
/// redone by the scalar kernel; l may be subnormal, 2^-11 ULP of the result at most). Then
/// `expit16`'s quotient: d = 1 + e as a Fast2Sum plus l, q0 = n / d_hi by `vdivps` (one
/// rounding), corrected once by its exact residual over `vrcpps` (2^-11.4, so 2^-35 is left),
/// rounded once: error 0.5 + 2^-3 ULP by that accounting (measured over every float32 input:
/// `docs/accuracy.md`).
#[cfg(target_arch = "x86_64")]
pub(super) mod avx2 {
    use crate::kernels::exp::avx2::{exp_parts8s, tables8s, Table8s};
    use crate::kernels::exp::avx512::{C, T_HI, T_LO};
    use crate::kernels::exp::c64::{INV_LN2, LN2_HI, LN2_LO, SHIFT};
    use crate::kernels::simd256::{map4d_redo_where, map8s_redo};
    use std::arch::x86_64::*;

    /// expit of 8 float32 lanes, x >= -80 (others are the caller's to redo).
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    fn expit8s(x: __m256, t: Table8s) -> __m256 {
        let set = _mm256_set1_ps;
        let one = set(1.0);
        // -|x|, clamped where e no longer matters (x >= 87: 2^k stays normal).
        let a = _mm256_max_ps(set(-87.0), _mm256_or_ps(x, set(-0.0)));
        let (h, l) = exp_parts8s(a, t);
        // 1 + e = d_hi + d_lo: Fast2Sum (h <= 1) plus l.
        let d_hi = _mm256_add_ps(one, h);
        let d_lo = _mm256_add_ps(_mm256_add_ps(_mm256_sub_ps(one, d_hi), h), l);
        // Numerator: e = h + l for x < 0, else 1.
        let neg = _mm256_cmp_ps::<_CMP_LT_OQ>(x, _mm256_setzero_ps());
        let n_hi = _mm256_blendv_ps(one, h, neg);
        let n_lo = _mm256_and_ps(neg, l);
        let q0 = _mm256_div_ps(n_hi, d_hi);
        let res = _mm256_fnmadd_ps(q0, d_hi, n_hi);
        let res = _mm256_fnmadd_ps(q0, d_lo, _mm256_add_ps(res, n_lo));
        _mm256_fmadd_ps(res, _mm256_rcp_ps(d_hi), q0)
    }

    /// `dst = expit(src)` in float32 (`expit8s`); inputs outside `[max(lo, -80), hi]` (NaN and inf
    /// included) again by the scalar kernel; whether every input lies in that range.
    #[target_feature(enable = "avx2,fma")]
    pub(crate) fn map32(src: &[f32], dst: &mut [f32], lo: f32, hi: f32) -> bool {
        let t = tables8s();
        map8s_redo(
            src,
            dst,
            lo.max(-80.0),
            hi,
            |x| expit8s(x, t),
            super::expit32::<true>,
        )
    }

    /// expit of 4 float64 lanes, -700 <= x (others are the caller's to redo): `avx512::expit8`
    /// with the 16-entry table read by two gathers and 2^k built from its bits.
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    fn expit4d(x: __m256d) -> __m256d {
        let set = _mm256_set1_pd;
        let one = set(1.0);
        // -|x|, clamped where e no longer matters (x >= 700: 2^k stays normal).
        let a = _mm256_max_pd(set(-700.0), _mm256_or_pd(x, set(-0.0)));
        let z = _mm256_fmadd_pd(a, set(INV_LN2 * 16.0), set(SHIFT));
        let m = _mm256_sub_pd(z, set(SHIFT));
        // r_hi is exact (LN2_HI has 32 bits, |m| < 2^15); r rounds once.
        let r_hi = _mm256_fnmadd_pd(m, set(LN2_HI / 16.0), a);
        let r = _mm256_fnmadd_pd(m, set(LN2_LO / 16.0), r_hi);
        let c = |i: usize| set(C[i]);
        let r2 = _mm256_mul_pd(r, r);
        let a0 = _mm256_fmadd_pd(c(1), r, c(0));
        let a1 = _mm256_fmadd_pd(c(3), r, c(2));
        let a2 = _mm256_fmadd_pd(c(5), r, c(4));
        let q = _mm256_fmadd_pd(_mm256_fmadd_pd(a2, r2, a1), r2, a0);
        let p = _mm256_fmadd_pd(r2, q, r);
        // m = 16k + j: j in the low bits of z, k + 1023 from (m + 16 1023) >> 4 (m >= -16158).
        let zi = _mm256_castpd_si256(z);
        let j = _mm256_and_si256(zi, _mm256_set1_epi64x(15));
        let mb = _mm256_add_epi64(
            _mm256_sub_epi64(zi, _mm256_castpd_si256(set(SHIFT))),
            _mm256_set1_epi64x(16 * 1023),
        );
        let scale = _mm256_castsi256_pd(_mm256_slli_epi64::<52>(_mm256_srli_epi64::<4>(mb)));
        // SAFETY: j is in 0..16, inside both tables.
        let (th, tl) = unsafe {
            (
                _mm256_i64gather_pd::<8>(T_HI.as_ptr().cast(), j),
                _mm256_i64gather_pd::<8>(T_LO.as_ptr().cast(), j),
            )
        };
        // e = 2^k (th + th p + tl), scaled first (exact: 2^k th <= 1, 2^k tl normal for
        // x >= -700), then normalised (Fast2Sum).
        let th = _mm256_mul_pd(th, scale);
        let tl = _mm256_fmadd_pd(th, p, _mm256_mul_pd(tl, scale));
        let h = _mm256_add_pd(th, tl);
        let l = _mm256_sub_pd(tl, _mm256_sub_pd(h, th));
        // 1 + e = d_hi + d_lo: Fast2Sum (h <= 1) plus l.
        let d_hi = _mm256_add_pd(one, h);
        let d_lo = _mm256_add_pd(_mm256_add_pd(_mm256_sub_pd(one, d_hi), h), l);
        // Numerator: e = h + l for x < 0, else 1.
        let neg = _mm256_cmp_pd::<_CMP_LT_OQ>(x, _mm256_setzero_pd());
        let n_hi = _mm256_blendv_pd(one, h, neg);
        let n_lo = _mm256_and_pd(neg, l);
        let rcp = _mm256_div_pd(one, d_hi);
        let q0 = _mm256_mul_pd(n_hi, rcp);
        let res = _mm256_fnmadd_pd(q0, d_hi, n_hi);
        let res = _mm256_fnmadd_pd(q0, d_lo, _mm256_add_pd(res, n_lo));
        _mm256_fmadd_pd(res, rcp, q0)
    }

    /// `dst = expit(src)` in float64 (`expit4d`); inputs outside `[max(lo, -700), hi]` (NaN and
    /// inf included) again by the scalar kernel; whether every input lies in that range.
    #[target_feature(enable = "avx2,fma")]
    pub(crate) fn map64(src: &[f64], dst: &mut [f64], lo: f64, hi: f64) -> bool {
        map4d_redo_where::<false>(
            src,
            dst,
            lo.max(-700.0),
            hi,
            |x| expit4d(x),
            super::expit64::<true>,
        )
    }
}

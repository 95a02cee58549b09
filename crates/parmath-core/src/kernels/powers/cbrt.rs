//! `cbrt(x)`, the real cube root.
//!
//! Domain: all floats; cbrt(-x) = -cbrt(x), cbrt(+-0) = +-0, cbrt(+-inf) = +-inf, NaN gives NaN.
//! Subnormal inputs are scaled by 2^54 first. Raises no condition (the result is never tiny or
//! huge, and NumPy reports none).
//!
//! Method (float64): |x| = 2^(3k + j) m with m in [1, 2) and j in {0, 1, 2}, where k = e div 3 comes
//! from the biased exponent by a multiply-shift (branch-free integer division by 3). A degree-5
//! minimax polynomial gives cbrt(m) to 2^-19.7 (`scripts/sollya/cbrt.sollya`), times 2^(j/3) (chosen
//! by selects) an approximation y of cbrt(z), z = 2^j m in [1, 8). y is rounded to 17 significant bits
//! so that y^3 is exact (51 bits) and z - y^3 is exact (Sterbenz); with t = (z - y^3) / y^3,
//! |t| < 2^-15, cbrt(z) = y (1 + t)^(1/3) = y + y (t/3 - t^2/9 + 5t^3/81 - 10t^4/243 + ...), the
//! series truncated after t^4 (remainder below 2^-75) and added to y with one rounding: the classic
//! "exact residual, then one high-order correction" step (Householder's method of order 4, as in
//! Muller, *Elementary Functions*, ch. 5, and Brent & Zimmermann, *Modern Computer Arithmetic*,
//! 1.5.1). The result is scaled by 2^k and given x's sign.
//!
//! Method (float32): the same in float64 arithmetic (float32 subnormals are normal there), without the
//! 17-bit rounding: y^3 rounds once, the correction y (t/3 - t^2/9) leaves a relative error below
//! 2^-50, and the one rounding to float32 is the only large one.
//!
//! AVX-512 level (hand-vectorised, `avx512`): float64 as above with getexp/getmant, y rounded to 16
//! bits; float32 wholly in float32,
//! one Newton step with an exactly split residual (0.5 + 2^-9 ULP). AVX2 level (`avx2`): float32
//! the same in 8 lanes (every input within 0.5051 ULP; one core 2.28 -> 0.79 ns/item on a Zen 4
//! against the float64 scalar code vectorised by the compiler, 2026-11-28); float64 the scalar
//! method in 4 lanes, bit-identical to it (3.35 -> 2.10 ns/item).
//!
//! Error bound: at most 0.5 + 2^-20 ULP in both types (AVX-512 float32: 0.5 + 2^-9) (one final rounding of a value with relative
//! error below 2^-65, float64, or 2^-50, float32), the same with and without FMA. Measured
//! (`tests/accuracy.rs`, CORE-MATH): float64 1.1 million inputs, 99.9999% correctly rounded and the
//! rest 1 ULP away from it (near-halfway cases, within the bound above), every ISA level (AVX-512
//! 99.9997%); float32 17 million sampled inputs all correctly rounded (max 0.5000 ULP), and at the
//! AVX-512 level all 2^32 inputs within 0.5009 ULP (99.988% correctly rounded). One core, 4096 items:
//! AVX-512 float64 1.27 ns/item, float32 0.73 (NumPy's own: 1.32, 0.72); float64 1.41 -> 1.25 with
//! the division (2026-11-28, same process, NumPy 1.58).

use super::super::{fma64, Unary};

/// The `cbrt` kernel.
#[derive(Debug)]
pub struct Cbrt;

mod c {
    /// cbrt(m) on [1, 2), `scripts/sollya/cbrt.sollya`.
    pub const P: [f64; 6] = [
        f64::from_bits(0x3fde4b0cc2ad873b),
        f64::from_bits(0x3fead234fd877aaa),
        f64::from_bits(0xbfde07d7e4e40385),
        f64::from_bits(0x3fc9f49aafba4941),
        f64::from_bits(0xbfa9cc43b144fb52),
        f64::from_bits(0x3f75e85bcbc6878e),
    ];
    /// 2^(1/3) and 2^(2/3), `scripts/sollya/cbrt.sollya`.
    pub const CBRT2: f64 = f64::from_bits(0x3ff428a2f98d728b);
    pub const CBRT4: f64 = f64::from_bits(0x3ff965fea53d6e3d);
    /// Adding and subtracting 1.5 * 2^36 rounds a number in [1, 2) to a multiple of 2^-16.
    pub const ROUND17: f64 = 103079215104.0;
    pub const TWO54: f64 = 18014398509481984.0;
    pub const MANT: u64 = 0x000f_ffff_ffff_ffff;
    pub const ONE: u64 = 0x3ff0_0000_0000_0000;
}

/// For a positive normal float64 `a`: (y, z, k) with z = 2^j m in [1, 8), a = 2^(3k) z, and y an
/// approximation of cbrt(z) in [1, 2) to 2^-19.6.
#[inline(always)]
fn reduce<const FMA: bool>(a: f64) -> (f64, f64, i64) {
    use c::*;
    let bits = a.to_bits();
    let eb = (bits >> 52) as i64; // 1..=2046
                                  // floor(eb / 3) for 0 <= eb < 2^15: 21846 / 2^16 exceeds 1/3 by less than 1/(3 * 2^15).
    let q = (eb * 21846) >> 16;
    let j = eb - 3 * q;
    // 1023 = 3 * 341.
    let k = q - 341;
    let m = f64::from_bits((bits & MANT) | ONE);
    let z = m * f64::from_bits(((j + 1023) as u64) << 52);
    let m2 = m * m;
    let p01 = fma64::<FMA>(P[1], m, P[0]);
    let p23 = fma64::<FMA>(P[3], m, P[2]);
    let p45 = fma64::<FMA>(P[5], m, P[4]);
    let p = fma64::<FMA>(fma64::<FMA>(p45, m2, p23), m2, p01);
    let s = if j == 0 { 1.0 } else { CBRT2 };
    let s = if j == 2 { CBRT4 } else { s };
    (p * s, z, k)
}

/// 2^k for -1022 <= k <= 1023.
#[inline(always)]
fn pow2(k: i64) -> f64 {
    f64::from_bits(((k + 1023) as u64) << 52)
}

#[inline(always)]
fn cbrt64<const FMA: bool>(x: f64) -> f64 {
    use c::*;
    let a = x.abs();
    let tiny = a < f64::MIN_POSITIVE;
    let (y, z, k) = reduce::<FMA>(if tiny { a * TWO54 } else { a });
    let k = if tiny { k - 18 } else { k };
    let y = (y + ROUND17) - ROUND17;
    let y3 = y * y * y; // exact: y has 17 significant bits
    let t = (z - y3) / y3; // z - y3 exact (Sterbenz)
    let s = fma64::<FMA>(
        fma64::<FMA>(fma64::<FMA>(-10.0 / 243.0, t, 5.0 / 81.0), t, -1.0 / 9.0),
        t,
        1.0 / 3.0,
    ) * t;
    let r = fma64::<FMA>(y, s, y) * pow2(k);
    let r = r.copysign(x);
    // +-0, +-inf and NaN are their own cube roots.
    if a < f64::INFINITY && a != 0.0 {
        r
    } else {
        x
    }
}

#[inline(always)]
fn cbrt32<const FMA: bool>(x: f32) -> f32 {
    let a = f64::from(x.abs());
    let (y, z, k) = reduce::<FMA>(if a == 0.0 { 1.0 } else { a });
    let y3 = y * y * y;
    let t = (z - y3) / y3;
    let s = fma64::<FMA>(-1.0 / 9.0, t, 1.0 / 3.0) * t;
    let r = (fma64::<FMA>(y, s, y) * pow2(k)) as f32;
    let r = r.copysign(x);
    if x.abs() < f32::INFINITY && x != 0.0 {
        r
    } else {
        x
    }
}

impl Unary<f64> for Cbrt {
    const NO_CONDITIONS: bool = true;
    // Every input, NaN included, takes the same branch-free path and raises nothing.
    const FAST_MIN: f64 = f64::NEG_INFINITY;
    const FAST_MAX: f64 = f64::INFINITY;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f64) -> f64 {
        cbrt64::<FMA>(x)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f64) -> f64 {
        cbrt64::<FMA>(x)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f64], dst: &mut [f64]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX-512F/DQ exist.
        unsafe { avx512::map64(src, dst) };
        Some(true)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx2(src: &[f64], dst: &mut [f64]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX2 and FMA exist. No status to compute.
        unsafe { avx2::map64(src, dst, cbrt64::<true>) };
        Some(true)
    }

    #[inline(always)]
    fn status(_x: f64, _y: f64) -> u8 {
        0
    }
}

impl Unary<f32> for Cbrt {
    const NO_CONDITIONS: bool = true;
    const FAST_MIN: f32 = f32::NEG_INFINITY;
    const FAST_MAX: f32 = f32::INFINITY;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f32) -> f32 {
        cbrt32::<FMA>(x)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f32) -> f32 {
        cbrt32::<FMA>(x)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX-512F/DQ exist.
        unsafe { avx512::map32(src, dst) };
        Some(true)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx2(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX2 and FMA exist. No status to compute.
        unsafe { avx2::map32(src, dst, cbrt32::<true>) };
        Some(true)
    }

    #[inline(always)]
    fn status(_x: f32, _y: f32) -> u8 {
        0
    }
}

/// The AVX-512 level: `cbrt8` (float64) and `cbrt16` (float32, in float32 arithmetic), each with
/// its method and error below; e and m from getexp/getmant (subnormals included), k = floor((e +
/// 1/2) / 3) without an integer division, 2^(j/3) by a permute.
#[cfg(target_arch = "x86_64")]
mod avx512 {
    use super::super::super::simd512::{map16_all, map8_all, with_sign16, with_sign8};
    use super::c::{CBRT2, CBRT4, P};
    use std::arch::x86_64::*;

    /// cbrt of sixteen float32 lanes, in float32: the reduction above (getexp and getmant take
    /// subnormals as they are), y = P(m) 2^(j/3) (P rounded to float32: 2^-19), then one Newton step
    /// with the residual d = y^3 - z to 2^-23 of itself (y^2 split exactly by an FMA):
    /// y' = y - y d / (3z), with 1/z from `vrcp14ps` (2^-14 of a correction below 2^-19). Relative
    /// error of y' before its rounding below 2^-33: at most 0.5 + 2^-9 ULP.
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    fn cbrt16(a: __m512, roots: __m512) -> __m512 {
        let e = _mm512_getexp_ps(a);
        let m = _mm512_getmant_ps::<_MM_MANT_NORM_1_2, _MM_MANT_SIGN_ZERO>(a);
        let k = _mm512_roundscale_ps::<{ _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC }>(
            _mm512_fmadd_ps(e, _mm512_set1_ps(1.0 / 3.0), _mm512_set1_ps(1.0 / 6.0)),
        );
        let j = _mm512_fnmadd_ps(k, _mm512_set1_ps(3.0), e);
        let z = _mm512_scalef_ps(m, j);
        let c = |i: usize| _mm512_set1_ps(P[i] as f32);
        let m2 = _mm512_mul_ps(m, m);
        let p01 = _mm512_fmadd_ps(c(1), m, c(0));
        let p23 = _mm512_fmadd_ps(c(3), m, c(2));
        let p45 = _mm512_fmadd_ps(c(5), m, c(4));
        let p = _mm512_fmadd_ps(_mm512_fmadd_ps(p45, m2, p23), m2, p01);
        let y = _mm512_mul_ps(p, _mm512_permutexvar_ps(_mm512_cvttps_epi32(j), roots));
        let y2 = _mm512_mul_ps(y, y);
        let y2l = _mm512_fmsub_ps(y, y, y2);
        let d = _mm512_fmadd_ps(y2l, y, _mm512_fmsub_ps(y2, y, z));
        let t = _mm512_mul_ps(
            _mm512_mul_ps(d, _mm512_rcp14_ps(z)),
            _mm512_set1_ps(1.0 / 3.0),
        );
        _mm512_scalef_ps(_mm512_fnmadd_ps(y, t, y), k)
    }

    /// cbrt of eight positive float64 lanes (garbage for 0, inf and NaN, which the caller replaces):
    /// the scalar method with the same reduction by getexp and getmant (subnormals included), y
    /// rounded to 16 bits by `vrndscalepd`, and t by one division (a Newton reciprocal from
    /// `vrcp14pd` took four more operations and was 11% slower: the kernel is bound by its count).
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    fn cbrt8(a: __m512d, roots: __m512d) -> __m512d {
        let e = _mm512_getexp_pd(a);
        let m = _mm512_getmant_pd::<_MM_MANT_NORM_1_2, _MM_MANT_SIGN_ZERO>(a);
        let k = _mm512_roundscale_pd::<{ _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC }>(
            _mm512_fmadd_pd(e, _mm512_set1_pd(1.0 / 3.0), _mm512_set1_pd(1.0 / 6.0)),
        );
        let j = _mm512_fnmadd_pd(k, _mm512_set1_pd(3.0), e);
        let z = _mm512_scalef_pd(m, j);
        let c = |i: usize| _mm512_set1_pd(P[i]);
        let m2 = _mm512_mul_pd(m, m);
        let p01 = _mm512_fmadd_pd(c(1), m, c(0));
        let p23 = _mm512_fmadd_pd(c(3), m, c(2));
        let p45 = _mm512_fmadd_pd(c(5), m, c(4));
        let p = _mm512_fmadd_pd(_mm512_fmadd_pd(p45, m2, p23), m2, p01);
        let y = _mm512_mul_pd(p, _mm512_permutexvar_pd(_mm512_cvttpd_epi64(j), roots));
        // y in [1, 2) to a multiple of 2^-15 (imm8 bits 7:4): y^3 and z - y^3 are exact.
        let y = _mm512_roundscale_pd::<{ (15 << 4) | _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC }>(
            y,
        );
        let y3 = _mm512_mul_pd(_mm512_mul_pd(y, y), y);
        let t = _mm512_div_pd(_mm512_sub_pd(z, y3), y3);
        // (1 + t)^(1/3) - 1 = t/3 - t^2/9 + 5t^3/81 - 10t^4/243 + ...
        let s = _mm512_fmadd_pd(_mm512_set1_pd(-10.0 / 243.0), t, _mm512_set1_pd(5.0 / 81.0));
        let s = _mm512_fmadd_pd(s, t, _mm512_set1_pd(-1.0 / 9.0));
        let s = _mm512_fmadd_pd(s, t, _mm512_set1_pd(1.0 / 3.0));
        let s = _mm512_mul_pd(s, t);
        _mm512_scalef_pd(_mm512_fmadd_pd(y, s, y), k)
    }

    /// `dst = cbrt(src)` in float64; whether every input lies in `[lo, hi]`.
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(super) fn map64(src: &[f64], dst: &mut [f64]) {
        let roots = _mm512_setr_pd(1.0, CBRT2, CBRT4, 1.0, 1.0, 1.0, 1.0, 1.0);
        map8_all(src, dst, |x| {
            let a = _mm512_abs_pd(x);
            let y = cbrt8(a, roots);
            let y = with_sign8(y, x);
            // NaNs, zeros and infinities (`vfpclasspd` 0x9f) are their own cube roots.
            let own = _mm512_fpclass_pd_mask::<0x9f>(x);
            if own == 0 {
                y
            } else {
                _mm512_mask_mov_pd(y, own, x)
            }
        })
    }

    /// `dst = cbrt(src)` in float32; whether every input lies in `[lo, hi]`.
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(super) fn map32(src: &[f32], dst: &mut [f32]) {
        let r = [1.0, CBRT2 as f32, CBRT4 as f32];
        let roots = _mm512_setr_ps(
            r[0], r[1], r[2], 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0,
        );
        map16_all(src, dst, |x| {
            let a = _mm512_abs_ps(x);
            let y = cbrt16(a, roots);
            // x's sign on the positive root.
            let y = with_sign16(y, x);
            // +-0, +-inf and NaN (`vfpclassps` 0x9f) are their own cube roots.
            let own = _mm512_fpclass_ps_mask::<0x9f>(x);
            if own == 0 {
                y
            } else {
                _mm512_mask_mov_ps(y, own, x)
            }
        })
    }
}

/// The AVX2 level, float32: `cbrt16`'s method in 8 float32 lanes for normal |x| (zero, subnormal,
/// infinite and NaN lanes are redone by the scalar kernel). e and m from the bits, k = floor((e +
/// 1/2) / 3), z = 2^j m by adding j to m's exponent, 2^(j/3) by `vpermps`; the Newton step's
/// 1/z from `vrcpps` (2^-11.4 of a correction below 2^-19): relative error before the rounding
/// below 2^-30, at most 0.5 + 2^-6 ULP (every input: `docs/accuracy.md`).
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::super::super::simd256::{map4d_redo_where, map8s_redo_where};
    use super::c::{CBRT2, CBRT4, MANT, ONE, P, ROUND17};
    use std::arch::x86_64::*;

    /// cbrt of 8 lanes of normal |x|, with x's sign.
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    fn cbrt8s(x: __m256, roots: __m256) -> __m256 {
        let set = _mm256_set1_ps;
        let sign = set(-0.0);
        let bits = _mm256_castps_si256(_mm256_andnot_ps(sign, x));
        let eb = _mm256_srli_epi32::<23>(bits);
        let e = _mm256_cvtepi32_ps(_mm256_sub_epi32(eb, _mm256_set1_epi32(127)));
        let m = _mm256_castsi256_ps(_mm256_or_si256(
            _mm256_and_si256(bits, _mm256_set1_epi32(0x007f_ffff)),
            _mm256_set1_epi32(0x3f80_0000),
        ));
        let k = _mm256_floor_ps(_mm256_fmadd_ps(e, set(1.0 / 3.0), set(1.0 / 6.0)));
        let j = _mm256_cvtps_epi32(_mm256_fnmadd_ps(k, set(3.0), e));
        let z = _mm256_castsi256_ps(_mm256_add_epi32(
            _mm256_castps_si256(m),
            _mm256_slli_epi32::<23>(j),
        ));
        let c = |i: usize| set(P[i] as f32);
        let m2 = _mm256_mul_ps(m, m);
        let p01 = _mm256_fmadd_ps(c(1), m, c(0));
        let p23 = _mm256_fmadd_ps(c(3), m, c(2));
        let p45 = _mm256_fmadd_ps(c(5), m, c(4));
        let p = _mm256_fmadd_ps(_mm256_fmadd_ps(p45, m2, p23), m2, p01);
        let y = _mm256_mul_ps(p, _mm256_permutevar8x32_ps(roots, j));
        // d = y^3 - z to 2^-23 of itself (y^2 split exactly by an FMA).
        let y2 = _mm256_mul_ps(y, y);
        let y2l = _mm256_fmsub_ps(y, y, y2);
        let d = _mm256_fmadd_ps(y2l, y, _mm256_fmsub_ps(y2, y, z));
        let t = _mm256_mul_ps(_mm256_mul_ps(d, _mm256_rcp_ps(z)), set(1.0 / 3.0));
        let r = _mm256_fnmadd_ps(y, t, y);
        // 2^k, |k| <= 42.
        let scale = _mm256_castsi256_ps(_mm256_slli_epi32::<23>(_mm256_add_epi32(
            _mm256_cvtps_epi32(k),
            _mm256_set1_epi32(127),
        )));
        _mm256_or_ps(_mm256_mul_ps(r, scale), _mm256_and_ps(x, sign))
    }

    /// `dst = cbrt(src)` for equal-length slices; zero, subnormal, infinite and NaN inputs by
    /// `slow`, one by one.
    #[target_feature(enable = "avx2,fma")]
    pub(super) fn map32(src: &[f32], dst: &mut [f32], slow: impl Fn(f32) -> f32) {
        let roots = _mm256_setr_ps(1.0, CBRT2 as f32, CBRT4 as f32, 1.0, 1.0, 1.0, 1.0, 1.0);
        map8s_redo_where::<true>(
            src,
            dst,
            f32::MIN_POSITIVE,
            f32::MAX,
            |x| cbrt8s(x, roots),
            slow,
        );
    }

    /// cbrt of 4 lanes of normal |x|, with x's sign: the scalar float64 method (y rounded to 17
    /// bits so that y^3 and z - y^3 are exact, one division, the series to t^4) with e, m and 2^j
    /// from the bits, 2^(j/3) by selects.
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    fn cbrt4d(x: __m256d) -> __m256d {
        let set = _mm256_set1_pd;
        let sign = set(-0.0);
        let two52 = set(4503599627370496.0);
        let bits = _mm256_castpd_si256(_mm256_andnot_pd(sign, x));
        // The biased exponent as a double: its bits below 2^52's, minus 2^52 + 1023.
        let eb = _mm256_or_si256(_mm256_srli_epi64::<52>(bits), _mm256_castpd_si256(two52));
        let e = _mm256_sub_pd(_mm256_castsi256_pd(eb), set(4503599627370496.0 + 1023.0));
        let m = _mm256_castsi256_pd(_mm256_or_si256(
            _mm256_and_si256(bits, _mm256_set1_epi64x(MANT as i64)),
            _mm256_set1_epi64x(ONE as i64),
        ));
        let k = _mm256_floor_pd(_mm256_fmadd_pd(e, set(1.0 / 3.0), set(1.0 / 6.0)));
        let j = _mm256_fnmadd_pd(k, set(3.0), e);
        // z = 2^j m: j (0, 1, 2) sits in the low bits of j + 2^52; shifted by 52 it is 2^j's
        // exponent step.
        let jb = _mm256_castpd_si256(_mm256_add_pd(j, two52));
        let z = _mm256_castsi256_pd(_mm256_add_epi64(
            _mm256_castpd_si256(m),
            _mm256_slli_epi64::<52>(jb),
        ));
        let c = |i: usize| set(P[i]);
        let m2 = _mm256_mul_pd(m, m);
        let p01 = _mm256_fmadd_pd(c(1), m, c(0));
        let p23 = _mm256_fmadd_pd(c(3), m, c(2));
        let p45 = _mm256_fmadd_pd(c(5), m, c(4));
        let p = _mm256_fmadd_pd(_mm256_fmadd_pd(p45, m2, p23), m2, p01);
        let root = _mm256_blendv_pd(
            set(1.0),
            set(CBRT2),
            _mm256_cmp_pd::<_CMP_EQ_OQ>(j, set(1.0)),
        );
        let root = _mm256_blendv_pd(root, set(CBRT4), _mm256_cmp_pd::<_CMP_EQ_OQ>(j, set(2.0)));
        let y = _mm256_mul_pd(p, root);
        // y in [1, 2) to 17 significant bits: y^3 and z - y^3 are exact.
        let y = _mm256_sub_pd(_mm256_add_pd(y, set(ROUND17)), set(ROUND17));
        let y3 = _mm256_mul_pd(_mm256_mul_pd(y, y), y);
        let t = _mm256_div_pd(_mm256_sub_pd(z, y3), y3);
        // (1 + t)^(1/3) - 1 = t/3 - t^2/9 + 5t^3/81 - 10t^4/243 + ...
        let s = _mm256_fmadd_pd(set(-10.0 / 243.0), t, set(5.0 / 81.0));
        let s = _mm256_fmadd_pd(s, t, set(-1.0 / 9.0));
        let s = _mm256_fmadd_pd(s, t, set(1.0 / 3.0));
        let s = _mm256_mul_pd(s, t);
        let r = _mm256_fmadd_pd(y, s, y);
        // 2^k, |k| <= 342: k + 1023 in the low bits of k + (2^52 + 1023).
        let kb = _mm256_castpd_si256(_mm256_add_pd(k, set(4503599627370496.0 + 1023.0)));
        let scale = _mm256_castsi256_pd(_mm256_slli_epi64::<52>(kb));
        _mm256_or_pd(_mm256_mul_pd(r, scale), _mm256_and_pd(x, sign))
    }

    /// `dst = cbrt(src)` for equal-length float64 slices; zero, subnormal, infinite and NaN inputs
    /// by `slow`, one by one.
    #[target_feature(enable = "avx2,fma")]
    pub(super) fn map64(src: &[f64], dst: &mut [f64], slow: impl Fn(f64) -> f64) {
        map4d_redo_where::<true>(src, dst, f64::MIN_POSITIVE, f64::MAX, |x| cbrt4d(x), slow);
    }
}

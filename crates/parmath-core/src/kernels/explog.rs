//! Kernels of the explog family: exp2, expm1, log2, log10, log1p.
//!
//! Each kernel's doc comment gives its domain, error bound and method. The float64 kernels share two
//! cores that return double-double results (an unevaluated sum `hi + lo`): `exp2_core`/`expm1_core`
//! for exponentials and `log_core` for log(1 + f) on the reduced interval. The float32 kernels widen
//! the input exactly to float64 and compute there with their own lower-degree polynomials (relative
//! error 2^-34 or better, no double-double work), rounding once to float32 at the end, so their error
//! is 0.5 ULP plus at most about 2^-10 ULP.
//!
//! Coefficients: `scripts/sollya/exp2.sollya`, `expm1.sollya`, `log1p.sollya`, `log2.sollya`,
//! `log10.sollya`.

use super::exp::{F32_OVERFLOW_X, F64_OVERFLOW_X};
use super::{flag, fma64, Unary};
use crate::fpstatus::{DIVIDE, INVALID, OVERFLOW, UNDERFLOW};

/// Clears the low 27 bits of a float64's significand: the result has 26 significant bits, so the
/// product of two such numbers is exact (Veltkamp/Dekker splitting by masking).
#[inline(always)]
fn split26(x: f64) -> f64 {
    f64::from_bits(x.to_bits() & 0xffff_ffff_f800_0000)
}

/// 2^k for an integer k in [-1022, 1023].
#[inline(always)]
fn pow2(k: i64) -> f64 {
    f64::from_bits((k.wrapping_add(1023) as u64) << 52)
}

// ---------------------------------------------------------------------------------------------
// exp2
// ---------------------------------------------------------------------------------------------

mod c_exp2 {
    pub const SHIFT: f64 = 6755399441055744.0; // 1.5 * 2^52: adding it rounds to an integer
    /// ln2 in a 26-bit high part and a low part.
    pub const LN2_A: f64 = f64::from_bits(0x3fe62e4300000000);
    pub const LN2_B: f64 = f64::from_bits(0xbe205c610ca86c39);
    // Beyond these the result is already inf or 0; clamping keeps 2^k constructible.
    pub const X_MAX: f64 = 1025.0;
    pub const X_MIN: f64 = -1080.0;
    pub const Q: [f64; 11] = [
        f64::from_bits(0x3fcebfbdff82c58f),
        f64::from_bits(0x3fac6b08d704a0c2),
        f64::from_bits(0x3f83b2ab6fba4cbf),
        f64::from_bits(0x3f55d87fe78a509c),
        f64::from_bits(0x3f2430912f906c68),
        f64::from_bits(0x3eeffcbfc67c109f),
        f64::from_bits(0x3eb62c01f7a71124),
        f64::from_bits(0x3e7b524f93927919),
        f64::from_bits(0x3e3e4da38e28d25e),
        f64::from_bits(0x3dfe9d6c38ff0eb5),
        f64::from_bits(0x3dbb46112cf6ebfe),
    ];
}

/// Degree-10 polynomial by Estrin's scheme.
#[inline(always)]
fn estrin10<const FMA: bool>(c: &[f64; 11], r: f64, r2: f64) -> f64 {
    let r4 = r2 * r2;
    let a0 = fma64::<FMA>(c[1], r, c[0]);
    let a1 = fma64::<FMA>(c[3], r, c[2]);
    let a2 = fma64::<FMA>(c[5], r, c[4]);
    let a3 = fma64::<FMA>(c[7], r, c[6]);
    let a4 = fma64::<FMA>(c[9], r, c[8]);
    let b0 = fma64::<FMA>(a1, r2, a0);
    let b1 = fma64::<FMA>(a3, r2, a2);
    let b2 = fma64::<FMA>(c[10], r2, a4);
    fma64::<FMA>(fma64::<FMA>(b2, r4, b1), r4, b0)
}

/// exp2(x) = p * 2^k with p = 2^r, |r| <= 1/2, for |x| <= 2^50.
#[inline(always)]
fn exp2_core<const FMA: bool>(x: f64) -> (f64, i64) {
    use c_exp2::*;
    let z = x + SHIFT;
    let kf = z - SHIFT;
    let k = (z.to_bits() as i64).wrapping_sub(SHIFT.to_bits() as i64);
    // Exact: x and kf are within 1/2 of each other in magnitude terms (Sterbenz) or x is an integer.
    let r = x - kf;
    // r ln2 = a + b with a = r_h * LN2_A exact (26 x 26 bits) and |b| < 2^-25 |a|.
    let r_h = split26(r);
    let r_l = r - r_h;
    let a = r_h * LN2_A;
    let b = fma64::<FMA>(r_l, LN2_A, r * LN2_B);
    let r2 = r * r;
    let q = estrin10::<FMA>(&Q, r, r2);
    // 1 + a split exactly (Fast2Sum, |a| < 1), so that the only large rounding is the last.
    let hi = 1.0 + a;
    let lo = (1.0 - hi) + a;
    (hi + (lo + fma64::<FMA>(r2, q, b)), k)
}

/// The `exp2` kernel: 2**x.
///
/// Domain: all floats; overflows to +inf from x = 1024 (float32: 128), results are subnormal below
/// x = -1022 (float32: -126) and round to +0 below -1075 (float32: -150). exp2(-inf) = +0,
/// exp2(+inf) = +inf, NaN gives NaN. Status: overflow for finite x >= 1024 (128); underflow for
/// finite x < -1022 (-126) unless the result is exact (an integer x from -1074 (-149) on), as IEEE 754
/// defines it (NumPy's float32 loop also reports exact subnormal powers of two; its float64 loop does
/// not).
///
/// Method: x = k + r with k the nearest integer and |r| <= 1/2 (exact); 2^r = 1 + r ln2 + r^2 q(r),
/// q a degree-10 minimax polynomial (`scripts/sollya/exp2.sollya`, relative error 2^-61.7) by
/// Estrin's scheme; r ln2 is formed as an exact product of 26-bit parts plus a small correction
/// (Dekker's splitting), and 1 + r ln2 is split exactly (Fast2Sum), so only the last addition rounds at
/// full size; 2^k is applied in two exact steps so that k = 1024 and subnormal results need no branch.
/// float32: in float64, 2^r by a degree-7 minimax polynomial (relative error 2^-34.5), times 2^k,
/// rounded once.
///
/// Error bound: at most 1 ULP. Measured maxima: float64 0.67 ULP against mpmath (`tests/`), at most 1
/// step from the correctly rounded result at every level (`tests/accuracy.rs`); float32 0.5007 ULP
/// (every input, generic and AVX2), 0.7559 ULP at AVX-512 (`exp2_avx512`, float32 arithmetic: its
/// subnormal results round twice; 1.8x faster). One core, 4096 items, AVX-512: float64 0.83
/// ns/item, float32 0.36 (NumPy 0.71, 0.37).
#[derive(Debug)]
pub struct Exp2;

impl Unary<f64> for Exp2 {
    const FAST_MIN: f64 = -1022.0;
    const FAST_MAX: f64 = 1023.0;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f64) -> f64 {
        use c_exp2::*;
        // Comparisons are false for NaN, which flows through to the result.
        let x = if x > X_MAX { X_MAX } else { x };
        let x = if x < X_MIN { X_MIN } else { x };
        let (p, k) = exp2_core::<FMA>(x);
        let k1 = k >> 1;
        let k2 = k.wrapping_sub(k1);
        p * pow2(k1) * pow2(k2)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f64) -> f64 {
        let (p, k) = exp2_core::<FMA>(x);
        p * pow2(k)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f64], dst: &mut [f64]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX-512F/DQ exist.
        Some(unsafe { exp2_avx512::map64(src, dst, Self::FAST_MIN, Self::FAST_MAX) })
    }

    #[inline(always)]
    fn status(x: f64, _y: f64) -> u8 {
        // An integer x >= -1074 gives an exact (subnormal) power of two: no underflow.
        let exact = (x + c_exp2::SHIFT) - c_exp2::SHIFT == x && x >= -1074.0;
        flag((1024.0..f64::INFINITY).contains(&x), OVERFLOW)
            | flag(x < -1022.0 && x > f64::NEG_INFINITY && !exact, UNDERFLOW)
    }
}

/// Coefficients of the float32 kernels, which compute in float64 (`scripts/sollya/*.sollya`, the
/// "for float32" lines).
mod c32 {
    /// 2^r on |r| <= 1/2, relative error 2^-34.5.
    pub const EXP2: [f64; 8] = [
        f64::from_bits(0x3feffffffffab78a),
        f64::from_bits(0x3fe62e42ff11757f),
        f64::from_bits(0x3fcebfbe0a527a6f),
        f64::from_bits(0x3fac6b08aad7d8db),
        f64::from_bits(0x3f83b29dbe7ce84e),
        f64::from_bits(0x3f55d8a718929eba),
        f64::from_bits(0x3f2446a67d2fd4ab),
        f64::from_bits(0x3eefe1729c81640c),
    ];
    /// expm1(r) = r + r^2 q(r) on |r| <= 0.3467, relative error 2^-36.5.
    pub const EXPM1: [f64; 7] = [
        f64::from_bits(0x3fe00000000049ac),
        f64::from_bits(0x3fc55555567466b9),
        f64::from_bits(0x3fa5555553159a9d),
        f64::from_bits(0x3f81110c64819876),
        f64::from_bits(0x3f56c16fd616cdad),
        f64::from_bits(0x3f2a1515e917e4d5),
        f64::from_bits(0x3efa06ce674b52a3),
    ];
    /// g(z) of the log kernels, relative error 2^-29 on a term below 2% of the result.
    pub const LOG_G: [f64; 4] = [
        f64::from_bits(0x3fe5555554ba5320),
        f64::from_bits(0x3fd9999eba52ed78),
        f64::from_bits(0x3fd245c27a811e8d),
        f64::from_bits(0x3fcddd435206aa82),
    ];
    pub const LN2: f64 = f64::from_bits(0x3fe62e42fefa39ef);
    pub const LOG10_2: f64 = f64::from_bits(0x3fd34413509f79ff);
}

/// float32 exp2 in float64 for |x| <= 2^50: 2^r by a degree-7 polynomial times 2^k (k in [-1022,
/// 1023]); the caller rounds to float32 once.
#[inline(always)]
fn exp2_f32_core<const FMA: bool>(x: f64) -> f64 {
    use c32::EXP2 as C;
    let z = x + c_exp2::SHIFT;
    let kf = z - c_exp2::SHIFT;
    let k = (z.to_bits() as i64).wrapping_sub(c_exp2::SHIFT.to_bits() as i64);
    let r = x - kf;
    let r2 = r * r;
    let r4 = r2 * r2;
    let a0 = fma64::<FMA>(C[1], r, C[0]);
    let a1 = fma64::<FMA>(C[3], r, C[2]);
    let a2 = fma64::<FMA>(C[5], r, C[4]);
    let a3 = fma64::<FMA>(C[7], r, C[6]);
    let p = fma64::<FMA>(fma64::<FMA>(a3, r2, a2), r4, fma64::<FMA>(a1, r2, a0));
    p * pow2(k)
}

/// exp2 at the AVX-512 level: x = k/16 + r with |r| <= 1/32 (exact: adding 1.5 * 2^48, or 1.5 * 2^19
/// in float32, rounds x to a multiple of 1/16), 2^(k/16) from `exp`'s 16-entry table (`vpermt2pd`;
/// float32: its entries split in two float32 parts, `vpermps`), the result scaled by `vscalefpd`
/// (one rounding, subnormals included). float64: 2^r = exp(r ln2) with r ln2 a double-double and
/// `exp`'s polynomial (`scripts/sollya/exp_table.sollya`): the same error as that kernel, 0.5 ULP plus
/// about 2^-6. float32, in float32 arithmetic: 2^r = 1 + r p(r), p of degree 3
/// (`scripts/sollya/exp2.sollya`, 2^-35), T_hi + (T_hi r p + T_lo) with one large rounding.
#[cfg(target_arch = "x86_64")]
mod exp2_avx512 {
    use super::super::exp::avx512::{exp_q8, table16_f32, T_HI, T_LO};
    use super::super::simd512::{lookup16, map16, map8, table16};
    use std::arch::x86_64::*;

    const LN2: (f64, f64) = (
        f64::from_bits(0x3fe62e42fefa39ef),
        f64::from_bits(0x3c7abc9e3b39803f),
    );
    const P32: [u32; 4] = [0x3f317218, 0x3e75fdf0, 0x3d6356ec, 0x3c1d93ea];

    /// `dst = exp2(src)` in float64; whether every input lies in `[lo, hi]`.
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(super) fn map64(src: &[f64], dst: &mut [f64], lo: f64, hi: f64) -> bool {
        let (t_hi, t_lo) = (table16(&T_HI), table16(&T_LO));
        map8(src, dst, lo, hi, |x| {
            // Beyond these the result is inf or 0 already; NaN passes (min/max return it).
            let x = _mm512_max_pd(
                _mm512_set1_pd(super::c_exp2::X_MIN),
                _mm512_min_pd(_mm512_set1_pd(super::c_exp2::X_MAX), x),
            );
            let shift = _mm512_set1_pd(1.5 * 281474976710656.0);
            let z = _mm512_add_pd(x, shift);
            let k = _mm512_sub_pd(z, shift);
            let r = _mm512_sub_pd(x, k);
            // r ln2 = h + l to 2^-100.
            let h = _mm512_mul_pd(r, _mm512_set1_pd(LN2.0));
            let l = _mm512_fmadd_pd(
                r,
                _mm512_set1_pd(LN2.1),
                _mm512_fmsub_pd(r, _mm512_set1_pd(LN2.0), h),
            );
            let j = _mm512_castpd_si512(z);
            let th = lookup16(t_hi, j);
            let tl = lookup16(t_lo, j);
            let (h2, q) = exp_q8(h);
            let p = _mm512_add_pd(h, _mm512_fmadd_pd(h2, q, l));
            let s = _mm512_add_pd(th, _mm512_fmadd_pd(th, p, tl));
            _mm512_scalef_pd(s, k)
        })
    }

    /// `dst = exp2(src)` in float32; whether every input lies in `[lo, hi]`.
    #[target_feature(enable = "avx512f")]
    pub(super) fn map32(src: &[f32], dst: &mut [f32], lo: f32, hi: f32) -> bool {
        let (th, tl) = table16_f32();
        map16(src, dst, lo, hi, |x| {
            let x = _mm512_max_ps(
                _mm512_set1_ps(-160.0),
                _mm512_min_ps(_mm512_set1_ps(130.0), x),
            );
            let shift = _mm512_set1_ps(1.5 * 524288.0);
            let z = _mm512_add_ps(x, shift);
            let k = _mm512_sub_ps(z, shift);
            let r = _mm512_sub_ps(x, k);
            let j = _mm512_castps_si512(z);
            let c = |i: usize| _mm512_set1_ps(f32::from_bits(P32[i]));
            let r2 = _mm512_mul_ps(r, r);
            let p = _mm512_fmadd_ps(
                _mm512_fmadd_ps(c(3), r, c(2)),
                r2,
                _mm512_fmadd_ps(c(1), r, c(0)),
            );
            let t_hi = _mm512_permutexvar_ps(j, th);
            let t_lo = _mm512_permutexvar_ps(j, tl);
            let s = _mm512_add_ps(t_hi, _mm512_fmadd_ps(_mm512_mul_ps(t_hi, r), p, t_lo));
            _mm512_scalef_ps(s, k)
        })
    }
}

impl Unary<f32> for Exp2 {
    const FAST_MIN: f32 = -126.0;
    const FAST_MAX: f32 = 127.0;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f32) -> f32 {
        // Clamped where the float32 result is already 0 or inf (2^k stays a float64 normal);
        // comparisons are false for NaN, which flows through.
        let x = if x > 129.0 { 129.0 } else { x };
        let x = if x < -152.0 { -152.0 } else { x };
        exp2_f32_core::<FMA>(f64::from(x)) as f32
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f32) -> f32 {
        exp2_f32_core::<FMA>(f64::from(x)) as f32
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX-512F/DQ exist.
        Some(unsafe { exp2_avx512::map32(src, dst, Self::FAST_MIN, Self::FAST_MAX) })
    }

    #[inline(always)]
    fn status(x: f32, _y: f32) -> u8 {
        let xd = f64::from(x);
        let exact = (xd + c_exp2::SHIFT) - c_exp2::SHIFT == xd && x >= -149.0;
        flag((128.0..f32::INFINITY).contains(&x), OVERFLOW)
            | flag(x < -126.0 && x > f32::NEG_INFINITY && !exact, UNDERFLOW)
    }
}

// ---------------------------------------------------------------------------------------------
// expm1
// ---------------------------------------------------------------------------------------------

mod c_expm1 {
    pub const SHIFT: f64 = 6755399441055744.0;
    pub const INV_LN2: f64 = f64::from_bits(0x3ff71547652b82fe);
    pub const LN2_HI: f64 = f64::from_bits(0x3fe62e42fee00000); // 32 significant bits
    pub const LN2_LO: f64 = f64::from_bits(0x3dea39ef35793c76);
    /// Below this, expm1(x) rounds to -1.
    pub const X_MIN: f64 = -40.0;
    /// Above this, k may be 1024 (two scalings).
    pub const X_MAX: f64 = 710.0;
    pub const P: [f64; 10] = [
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
}

/// x = k ln2 + r, |r| <= 0.3467, for x in [-40, 710]: returns (p_h, p_l, k) with expm1(r) = p_h + p_l
/// as a double-double (relative error about 2^-58).
///
/// expm1(r) = r + r^2/2 + r^3 p(r): r^2/2 is formed exactly (Dekker's splitting of r into 26-bit
/// halves), added to r by Fast2Sum, and the rest (at most 2% of the result) goes into p_l, with the
/// rounding error of r = r_hi + r_lo compensated (expm1'(r) = 1 + expm1(r)).
#[inline(always)]
fn expm1_core<const FMA: bool>(x: f64) -> (f64, f64, i64) {
    use c_expm1::*;
    let z = fma64::<FMA>(x, INV_LN2, SHIFT);
    let kf = z - SHIFT;
    let k = (z.to_bits() as i64).wrapping_sub(SHIFT.to_bits() as i64);
    // Cody-Waite: r_hi exact (k * LN2_HI is exact and Sterbenz's lemma holds); r_hi = x when k = 0.
    let r_hi = fma64::<FMA>(kf, -LN2_HI, x);
    let r_lo = kf * -LN2_LO;
    let r = r_hi + r_lo;
    // r's rounding error (Fast2Sum: |r_lo| < |r_hi| unless both are tiny).
    let d = (r_hi - r) + r_lo;
    let r2 = r * r;
    let r4 = r2 * r2;
    let a0 = fma64::<FMA>(P[1], r, P[0]);
    let a1 = fma64::<FMA>(P[3], r, P[2]);
    let a2 = fma64::<FMA>(P[5], r, P[4]);
    let a3 = fma64::<FMA>(P[7], r, P[6]);
    let a4 = fma64::<FMA>(P[9], r, P[8]);
    let b0 = fma64::<FMA>(a1, r2, a0);
    let b1 = fma64::<FMA>(a3, r2, a2);
    let p = fma64::<FMA>(fma64::<FMA>(a4, r4, b1), r4, b0);
    // r^2/2 = h_h + h_l exactly.
    let r_h = split26(r);
    let r_l = r - r_h;
    let h_h = 0.5 * r_h * r_h;
    let h_l = 0.5 * r_l * (r + r_h);
    let p_h = r + h_h;
    let p_t = (r - p_h) + h_h;
    let p_l = fma64::<FMA>(r2 * r, p, fma64::<FMA>(d, 1.0 + r, p_t + h_l));
    (p_h, p_l, k)
}

/// expm1(x) = 2^k (1 + p_h + p_l) - 1 = (2^k - 1) + 2^k p_h + 2^k p_l, for k <= 1023, with `s` = 2^k:
/// 2^k - 1 and the sum with 2^k p_h by exact TwoSums, then one final rounding.
#[inline(always)]
fn expm1_finish(x: f64, p_h: f64, p_l: f64, s: f64) -> f64 {
    // m + m_e = 2^k - 1 exactly (m_e != 0 only for |k| > 53).
    let m = s - 1.0;
    let bb = m - s;
    let m_e = (s - (m - bb)) + (-1.0 - bb);
    // u + v = m + 2^k p_h exactly.
    let a = s * p_h;
    let u = m + a;
    let bb = u - m;
    let v = (m - (u - bb)) + (a - bb);
    let y = u + (v + (s * p_l + m_e));
    // expm1(±0) = ±0; subnormal x give x.
    if x.abs() < f64::MIN_POSITIVE {
        x
    } else {
        y
    }
}

/// The `expm1` kernel: exp(x) - 1, accurate near 0.
///
/// Domain: all floats; overflows to +inf above ln(MAX) (709.78, float32: 88.72); tends to -1 (reached
/// exactly from about -37.4, float32: -17.3); expm1(±0) = ±0, expm1(-inf) = -1, expm1(+inf) = +inf,
/// NaN gives NaN. Status: overflow for finite x above the threshold, nothing else: like NumPy (and C99
/// implementations), no underflow for subnormal x, whose result x + x^2/2 rounds to x.
///
/// Method: x = k ln2 + r (Cody-Waite, two-part ln2), |r| <= ln2/2; expm1(r) = r + r^2/2 + r^3 p(r)
/// with p the degree-9 minimax polynomial of `scripts/sollya/expm1.sollya`, kept as a double-double
/// (r^2/2 exact by Dekker's splitting, added by Fast2Sum); then expm1(x) = (2^k - 1) + 2^k expm1(r)
/// with exact TwoSums, so that only the last addition rounds at full size (the structure of fdlibm's
/// `s_expm1.c`, with compensated sums in place of its rational correction). Near 0 (k = 0, r = x) this
/// is the polynomial itself. Above 709 (k = 1024 possible) the result is exp(x), 1 + expm1(r) rounded
/// once and scaled in two exact steps; beyond the overflow threshold +inf.
/// float32: in float64, (2^k - 1) + 2^k (r + r^2 q(r)) with q of degree 6 (relative error 2^-36.5),
/// rounded once.
///
/// Error bound: at most 1 ULP. Measured maxima: float64 0.63 ULP against mpmath (0.54 in `tests/`),
/// at most 1 step from the correctly rounded result at every level; float32 0.5002 ULP (every
/// input, generic level); at AVX-512 and AVX2 in float32 arithmetic (`expm1_avx512::expm1_16`,
/// `expm1_avx2`) 0.8831 ULP, 4,290,781,736 of the 2^32 inputs correctly rounded (one core on a
/// Zen 4: AVX-512 0.62 -> 0.44 ns/item, NumPy 0.47; AVX2 1.00 -> 0.58). At the AVX-512 level float64 runs
/// `expm1_avx512` (exp's table kernel with the cancellation of e^x - 1 taken exactly, a polynomial
/// below 1/32): 99.99% of the test inputs
/// correctly rounded, 0.509 ULP against mpmath on 18,000 points; one core 2.2 -> 1.9 ns/item on
/// [-10, 10) (NumPy 2.0), 1.9 -> 0.8 for |x| < 0.02; 1.29 -> 1.00 on a Zen 4 (NumPy 1.25,
/// 2026-11-28: exact d + e for 2^k t - 1, Fast2Sum, lanes outside the range redone one by one).
#[derive(Debug)]
pub struct Expm1;

/// expm1 float64 at the AVX-512 level. |x| < 1/32 (only for vectors with such a lane):
/// x + x^2/2 + x^3 q(x), q of degree 5 (`scripts/sollya/expm1.sollya`, 2^-63.4), x^2/2 exact and
/// x + x^2/2 split by Fast2Sum. Elsewhere e^x = 2^k (t + t r_hi + (t (r_lo + r^2 c(r)) + t_lo)) with
/// `exp`'s 16-entry table and polynomial (k a multiple of 1/16, r_hi = x - k ln2_hi exact), and
/// 2^k t - 1 (exact as d + e) + 2^k t r_hi (exact by an FMA) summed by Fast2Sum before the small terms, so
/// that the cancellation of e^x - 1 for x near 1/32 magnifies no rounding error. Above 700 the -1 is
/// dropped and the sum scaled once (2^k t alone may overflow).
#[cfg(target_arch = "x86_64")]
pub(crate) mod expm1_avx512 {
    use super::super::exp::avx512::{exp_q8, T_HI, T_LO};
    use super::super::exp::c64::{INV_LN2, LN2_HI, LN2_LO, SHIFT};
    use super::super::exp::{F32_OVERFLOW_X, F64_OVERFLOW_X};
    use super::super::simd512::{
        fast_two_sum8, lookup16, map16_fix, map8_fix, series_parts8, table16, with_sign16, Table16,
    };
    use std::arch::x86_64::*;

    const Q: [u64; 6] = [
        0x3fc5555555555558,
        0x3fa555555555554d,
        0x3f8111111104494f,
        0x3f56c16c16c9db6d,
        0x3f2a01c2993e64c2,
        0x3efa01acd1f505c4,
    ];

    /// The table branch for -40 <= x <= 710 (NaN passes): (s, rest, e) with expm1(x) = s + rest
    /// for x <= 700 (s exact, |rest| below 2^-11 |s|), and e the parts of e^x for [`huge8`].
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    fn far8(xc: __m512d, t_hi: Table16, t_lo: Table16) -> (__m512d, __m512d, ExpParts) {
        let set = |v: f64| _mm512_set1_pd(v);
        let shift = set(SHIFT / 16.0);
        let z = _mm512_fmadd_pd(xc, set(INV_LN2), shift);
        let k = _mm512_sub_pd(z, shift);
        let r_hi = _mm512_fnmadd_pd(k, set(LN2_HI), xc);
        let r_lo = _mm512_mul_pd(k, set(-LN2_LO));
        let r = _mm512_add_pd(r_hi, r_lo);
        let j = _mm512_castpd_si512(z);
        let th = lookup16(t_hi, j);
        let tl = lookup16(t_lo, j);
        let (r2, q) = exp_q8(r);
        // e^r - 1 = r_hi + p_lo.
        let p_lo = _mm512_fmadd_pd(r2, q, r_lo);
        // t_lo e^r to 2^-60 of t: its t_lo r part (2^-60 t) is 0.25 ULP after the cancellation.
        let small_t = _mm512_fmadd_pd(th, p_lo, _mm512_fmadd_pd(tl, r, tl));
        let bt = _mm512_scalef_pd(th, k);
        let one = set(1.0);
        // bt - 1 = d + e exactly. d is exact for 0.5 <= bt <= 2^53 (Sterbenz up to 2; above, bt
        // and 1 are multiples of ulp(bt) and so is d, at least bt / 2), and then e = 0; below 0.5,
        // d + 1 and bt - (d + 1) are exact (Fast2Sum with |-1| > bt).
        let d = _mm512_sub_pd(bt, one);
        let e = _mm512_sub_pd(bt, _mm512_add_pd(d, one));
        // Beyond 2^53 (x above 36.7, only for vectors with such a lane), Fast2Sum the other way.
        let over = _mm512_cmp_pd_mask::<_CMP_GT_OQ>(xc, set(36.5));
        let e = if over == 0 {
            e
        } else {
            let e_big = _mm512_sub_pd(set(-1.0), _mm512_sub_pd(d, bt));
            _mm512_mask_mov_pd(e, over, e_big)
        };
        let ph = _mm512_mul_pd(bt, r_hi);
        let pe = _mm512_fmsub_pd(bt, r_hi, ph);
        // |d| >= 2^(1/16) - 1 > |ph| unless k = 0, where d = 0: Fast2Sum is exact.
        let (s, t) = fast_two_sum8(d, ph);
        let rest = _mm512_add_pd(
            _mm512_add_pd(e, _mm512_add_pd(pe, t)),
            _mm512_scalef_pd(small_t, k),
        );
        (
            s,
            rest,
            ExpParts {
                th,
                r_hi,
                small_t,
                k,
                over,
            },
        )
    }

    /// e^x = 2^k (t + t r_hi + small) from [`far8`], for x > 700 (where 2^k t - 1 could overflow).
    struct ExpParts {
        th: __m512d,
        r_hi: __m512d,
        small_t: __m512d,
        k: __m512d,
        /// The lanes above 36.5 (a superset of those above 700).
        over: __mmask8,
    }

    #[inline]
    #[target_feature(enable = "avx512f")]
    fn huge8(e: &ExpParts) -> __m512d {
        _mm512_scalef_pd(
            _mm512_add_pd(e.th, _mm512_fmadd_pd(e.th, e.r_hi, e.small_t)),
            e.k,
        )
    }

    /// The polynomial branch for |x| < 1/32 (x^2 not underflowing): (s, tail), s exact.
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    fn near8(x: __m512d) -> (__m512d, __m512d) {
        let c = |i: usize| _mm512_set1_pd(f64::from_bits(Q[i]));
        series_parts8(x, 0.5, |x, x2| {
            let x4 = _mm512_mul_pd(x2, x2);
            let q01 = _mm512_fmadd_pd(c(1), x, c(0));
            let q23 = _mm512_fmadd_pd(c(3), x, c(2));
            let q45 = _mm512_fmadd_pd(c(5), x, c(4));
            _mm512_fmadd_pd(q45, x4, _mm512_fmadd_pd(q23, x2, q01))
        })
    }

    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    fn expm1_8(x: __m512d, t_hi: Table16, t_lo: Table16) -> __m512d {
        let set = |v: f64| _mm512_set1_pd(v);
        let small = _mm512_cmp_pd_mask::<_CMP_LT_OQ>(_mm512_abs_pd(x), set(1.0 / 32.0));
        let y = if small == 0xff {
            x
        } else {
            // Lanes outside [-40, 709] (NaN too) are garbage here and redone one by one.
            let (s, rest, e) = far8(x, t_hi, t_lo);
            let far = _mm512_add_pd(s, rest);
            // e^x itself only for the vectors that need it.
            let big = if e.over == 0 {
                0
            } else {
                _mm512_cmp_pd_mask::<_CMP_GT_OQ>(x, set(700.0))
            };
            if big == 0 {
                far
            } else {
                _mm512_mask_mov_pd(far, big, huge8(&e))
            }
        };
        if small == 0 {
            return y;
        }
        let (s, tail) = near8(x);
        let near = _mm512_mask_mov_pd(
            _mm512_add_pd(s, tail),
            _mm512_cmp_pd_mask::<_CMP_LT_OQ>(_mm512_abs_pd(x), set(1e-100)),
            x,
        );
        _mm512_mask_mov_pd(y, small, near)
    }

    /// expm1(x) = hi + lo (|lo| <= ulp(hi)) for 2^-400 <= |x| <= 40 (NaN passes), relative error
    /// about 2^-60: for the float64 tanh.
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(crate) fn expm1_dd8(x: __m512d, t_hi: Table16, t_lo: Table16) -> (__m512d, __m512d) {
        let small = _mm512_cmp_pd_mask::<_CMP_LT_OQ>(_mm512_abs_pd(x), _mm512_set1_pd(1.0 / 32.0));
        let (fh, fl) = if small == 0xff {
            (x, x)
        } else {
            let (s, rest, _) = far8(x, t_hi, t_lo);
            (s, rest)
        };
        let (h, l) = if small == 0 {
            (fh, fl)
        } else {
            let (s, tail) = near8(x);
            (
                _mm512_mask_mov_pd(fh, small, s),
                _mm512_mask_mov_pd(fl, small, tail),
            )
        };
        // The parts are not normalised (the low one reaches 2^-12 of the high one).
        fast_two_sum8(h, l)
    }

    /// `dst = expm1(src)` in float64; inputs outside `[lo, hi]`: below `lo` (-40 or less, -inf)
    /// -1, above the overflow threshold (+inf too) inf, NaN itself, by selects (a block of them
    /// stays in vector code: one by one, inputs in [-100, 0] took 3.0 ns an item, 2.4x NumPy's
    /// time); the few between `hi` and the threshold one by one. Whether every input lies in
    /// `[lo, hi]`.
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(super) fn map64(src: &[f64], dst: &mut [f64], lo: f64, hi: f64) -> bool {
        let (t_hi, t_lo) = (table16(&T_HI), table16(&T_LO));
        let set = _mm512_set1_pd;
        map8_fix(
            src,
            dst,
            lo,
            hi,
            |x| expm1_8(x, t_hi, t_lo),
            |x, y, outside| {
                let below = _mm512_cmp_pd_mask::<_CMP_LT_OQ>(x, set(lo));
                let above = _mm512_cmp_pd_mask::<_CMP_GT_OQ>(x, set(F64_OVERFLOW_X));
                let nan = _mm512_cmp_pd_mask::<_CMP_UNORD_Q>(x, x);
                let y = _mm512_mask_mov_pd(y, below, set(-1.0));
                let y = _mm512_mask_mov_pd(y, above, set(f64::INFINITY));
                let y = _mm512_mask_add_pd(y, nan, x, x);
                (y, outside & !(below | above | nan))
            },
            <super::Expm1 as super::Unary<f64>>::eval::<true>,
        )
    }

    /// c(r) = (e^r - 1 - r) / r^2 for |r| <= ln2/2, degree 5, float32 coefficients
    /// (`scripts/sollya/expm1.sollya`: r + r^2 c(r) within 2^-31 of e^r - 1, relative).
    pub(super) const C32: [u32; 6] = [
        0x3f000000, 0x3e2aaaab, 0x3d2aaa81, 0x3c0887fa, 0x3ab69707, 0x39513158,
    ];

    /// float32 expm1 of 16 lanes in float32 arithmetic, for -40 <= x <= 88: x = k ln2 + r_hi + r_lo
    /// with k = round(x / ln2), r_hi = x - k ln2_hi exact (ln2_hi has 15 bits, |k| at most 8, and
    /// r_hi is x's ulp times less than 2^24) and r_lo = -k ln2_lo; e^r - 1 = r_hi + t with
    /// t = r_lo + r^2 c(r) (r = r_hi + r_lo rounded). With s = 2^k, expm1(x) = (s - 1) + s r_hi +
    /// s t, the first two summed exactly as hi + e (s - 1 is exact up to k = 24 and its rest -1
    /// beyond, s r_hi too, and |s - 1| >= |s r_hi| for k != 0: Fast2Sum), so that only s t's
    /// rounding (t is at most 1/4 of the result) and the last addition's are left: at most 0.8831
    /// ULP over every float32 input (0.5001 before, in float64 arithmetic, 1.45x the time; splitting
    /// r^2 exactly gave 0.72 ULP for 12% more time). -0 keeps its sign (OR-ed in: expm1 has x's sign).
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    fn expm1_16(x: __m512) -> __m512 {
        use super::super::log::c32::{LN2_HI, LN2_LO};
        let set = _mm512_set1_ps;
        let shift = set(12_582_912.0); // 1.5 * 2^23: adding it rounds to an integer
        let z = _mm512_fmadd_ps(x, set(std::f32::consts::LOG2_E), shift);
        let k = _mm512_sub_ps(z, shift);
        let r_hi = _mm512_fnmadd_ps(k, set(LN2_HI), x);
        let r_lo = _mm512_mul_ps(k, set(-LN2_LO));
        let r = _mm512_add_ps(r_hi, r_lo);
        let c = |i: usize| set(f32::from_bits(C32[i]));
        let mut p = c(5);
        for i in (0..5).rev() {
            p = _mm512_fmadd_ps(p, r, c(i));
        }
        let t = _mm512_fmadd_ps(_mm512_mul_ps(r, r), p, r_lo);
        let s = _mm512_scalef_ps(set(1.0), k);
        // s - 1 = sm1 + a_lo: a_lo is -1 from k = 25 on (sm1 = s), else 0.
        let sm1 = _mm512_sub_ps(s, set(1.0));
        let a_lo = _mm512_sub_ps(_mm512_sub_ps(s, sm1), set(1.0));
        let hi = _mm512_fmadd_ps(s, r_hi, sm1);
        // e and a_lo are integers where a_lo is not 0: their sum is exact.
        let e = _mm512_fmadd_ps(s, r_hi, _mm512_sub_ps(sm1, hi));
        let y = _mm512_add_ps(hi, _mm512_fmadd_ps(s, t, _mm512_add_ps(e, a_lo)));
        with_sign16(y, x)
    }

    /// `dst = expm1(src)` in float32; inputs outside `[lo, hi]` as for [`map64`] (-1 below `lo`,
    /// inf above the overflow threshold, NaN itself by selects, the rest one by one). Whether
    /// every input lies in `[lo, hi]`.
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(super) fn map32(src: &[f32], dst: &mut [f32], lo: f32, hi: f32) -> bool {
        let set = _mm512_set1_ps;
        map16_fix(
            src,
            dst,
            lo,
            hi,
            |x| expm1_16(x),
            |x, y, outside| {
                let below = _mm512_cmp_ps_mask::<_CMP_LT_OQ>(x, set(lo));
                let above = _mm512_cmp_ps_mask::<_CMP_GT_OQ>(x, set(F32_OVERFLOW_X));
                let nan = _mm512_cmp_ps_mask::<_CMP_UNORD_Q>(x, x);
                let y = _mm512_mask_mov_ps(y, below, set(-1.0));
                let y = _mm512_mask_mov_ps(y, above, set(f32::INFINITY));
                let y = _mm512_mask_add_ps(y, nan, x, x);
                (y, outside & !(below | above | nan))
            },
            <super::Expm1 as super::Unary<f32>>::eval::<true>,
        )
    }
}

/// float32 expm1 at the AVX2 level: `expm1_avx512`'s float32 method (`expm1_16`) in 8 lanes, 2^k
/// built from its bits (normal for -40 <= x <= 88); lanes outside that range by the scalar kernel.
/// Every float32 input within the same bound (`docs/accuracy.md`).
#[cfg(target_arch = "x86_64")]
mod expm1_avx2 {
    use super::super::simd256::map8s_redo;
    use std::arch::x86_64::*;

    /// See `expm1_avx512::expm1_16`; the same coefficients.
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    fn expm1_8s(x: __m256) -> __m256 {
        use super::super::log::c32::{LN2_HI, LN2_LO};
        use super::expm1_avx512::C32;
        let set = _mm256_set1_ps;
        let shift = set(12_582_912.0); // 1.5 * 2^23: adding it rounds to an integer
        let z = _mm256_fmadd_ps(x, set(std::f32::consts::LOG2_E), shift);
        let k = _mm256_sub_ps(z, shift);
        let r_hi = _mm256_fnmadd_ps(k, set(LN2_HI), x);
        let r_lo = _mm256_mul_ps(k, set(-LN2_LO));
        let r = _mm256_add_ps(r_hi, r_lo);
        let c = |i: usize| set(f32::from_bits(C32[i]));
        let mut p = c(5);
        for i in (0..5).rev() {
            p = _mm256_fmadd_ps(p, r, c(i));
        }
        let t = _mm256_fmadd_ps(_mm256_mul_ps(r, r), p, r_lo);
        // 2^k from k's bits in z (k + 127 in the exponent field).
        let ki = _mm256_sub_epi32(_mm256_castps_si256(z), _mm256_castps_si256(shift));
        let s = _mm256_castsi256_ps(_mm256_slli_epi32::<23>(_mm256_add_epi32(
            ki,
            _mm256_set1_epi32(127),
        )));
        // s - 1 = sm1 + a_lo: a_lo is -1 from k = 25 on (sm1 = s), else 0.
        let one = set(1.0);
        let sm1 = _mm256_sub_ps(s, one);
        let a_lo = _mm256_sub_ps(_mm256_sub_ps(s, sm1), one);
        let hi = _mm256_fmadd_ps(s, r_hi, sm1);
        // e and a_lo are integers where a_lo is not 0: their sum is exact.
        let e = _mm256_fmadd_ps(s, r_hi, _mm256_sub_ps(sm1, hi));
        let y = _mm256_add_ps(hi, _mm256_fmadd_ps(s, t, _mm256_add_ps(e, a_lo)));
        // expm1 has x's sign (-0 included).
        _mm256_or_ps(y, _mm256_and_ps(x, set(-0.0)))
    }

    /// `dst = expm1(src)` in float32; inputs outside `[lo, hi]` by `slow`, one by one. Whether
    /// every input lies in `[lo, hi]`.
    #[target_feature(enable = "avx2,fma")]
    pub(super) fn map32(
        src: &[f32],
        dst: &mut [f32],
        lo: f32,
        hi: f32,
        slow: impl Fn(f32) -> f32,
    ) -> bool {
        map8s_redo(src, dst, lo, hi, |x| expm1_8s(x), slow)
    }
}

impl Unary<f64> for Expm1 {
    const FAST_MIN: f64 = -40.0;
    const FAST_MAX: f64 = 709.0;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f64) -> f64 {
        use c_expm1::*;
        // Comparisons are false for NaN, which flows through to the result.
        let xc = if x > X_MAX { X_MAX } else { x };
        let xc = if xc < X_MIN { X_MIN } else { xc };
        let (p_h, p_l, k) = expm1_core::<FMA>(xc);
        // Above 709 (k may be 1024), expm1(x) = exp(x) to far below an ULP: 1 + p_h + p_l (1 + p_h
        // split exactly) rounded once, then scaled in two exact steps.
        let hi = 1.0 + p_h;
        let lo = ((1.0 - hi) + p_h) + p_l;
        let k1 = k >> 1;
        let big = (hi + lo) * pow2(k1) * pow2(k.wrapping_sub(k1));
        let y = expm1_finish(x, p_h, p_l, pow2(if k > 1023 { 1023 } else { k }));
        let y = if x > 709.0 { big } else { y };
        if x > F64_OVERFLOW_X {
            f64::INFINITY
        } else {
            y
        }
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f64) -> f64 {
        let (p_h, p_l, k) = expm1_core::<FMA>(x);
        expm1_finish(x, p_h, p_l, pow2(k))
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f64], dst: &mut [f64]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX-512F/DQ exist.
        Some(unsafe { expm1_avx512::map64(src, dst, Self::FAST_MIN, Self::FAST_MAX) })
    }

    #[inline(always)]
    fn status(x: f64, _y: f64) -> u8 {
        flag(x > F64_OVERFLOW_X && x < f64::INFINITY, OVERFLOW)
    }
}

/// float32 expm1 in float64 for x in [-40, 89]: (2^k - 1) + 2^k expm1(r), both terms exact or
/// nearly so in float64, expm1(r) = r + r^2 q(r) with q of degree 6; the caller rounds once.
#[inline(always)]
fn expm1_f32_core<const FMA: bool>(x: f64) -> f64 {
    use c32::{EXPM1 as C, LN2};
    let z = fma64::<FMA>(x, c_expm1::INV_LN2, c_expm1::SHIFT);
    let kf = z - c_expm1::SHIFT;
    let k = (z.to_bits() as i64).wrapping_sub(c_expm1::SHIFT.to_bits() as i64);
    // r = x exactly when k = 0; otherwise its error (|k| LN2's, below 2^-45) is far below float32's.
    let r = fma64::<FMA>(kf, -LN2, x);
    let r2 = r * r;
    let r4 = r2 * r2;
    let a0 = fma64::<FMA>(C[1], r, C[0]);
    let a1 = fma64::<FMA>(C[3], r, C[2]);
    let a2 = fma64::<FMA>(C[5], r, C[4]);
    let q = fma64::<FMA>(fma64::<FMA>(C[6], r2, a2), r4, fma64::<FMA>(a1, r2, a0));
    let e = fma64::<FMA>(r2, q, r);
    let s = pow2(k);
    let y = fma64::<FMA>(s, e, s - 1.0);
    // expm1(±0) = ±0.
    if x == 0.0 {
        x
    } else {
        y
    }
}

impl Unary<f32> for Expm1 {
    const FAST_MIN: f32 = -40.0;
    const FAST_MAX: f32 = 88.0;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f32) -> f32 {
        // Clamped where the float32 result is already -1 or inf; NaN flows through.
        let x = if x > 89.0 { 89.0 } else { x };
        let x = if x < -40.0 { -40.0 } else { x };
        expm1_f32_core::<FMA>(f64::from(x)) as f32
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f32) -> f32 {
        expm1_f32_core::<FMA>(f64::from(x)) as f32
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX-512F/DQ exist.
        Some(unsafe { expm1_avx512::map32(src, dst, Self::FAST_MIN, Self::FAST_MAX) })
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx2(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX2 and FMA exist.
        Some(unsafe {
            expm1_avx2::map32(src, dst, Self::FAST_MIN, Self::FAST_MAX, Self::eval::<true>)
        })
    }

    #[inline(always)]
    fn status(x: f32, _y: f32) -> u8 {
        flag(x > F32_OVERFLOW_X && x < f32::INFINITY, OVERFLOW)
    }
}

// ---------------------------------------------------------------------------------------------
// The double-double log core: log2, log10, log1p
// ---------------------------------------------------------------------------------------------

mod c_log {
    pub const SQRT_HALF_BITS: u64 = 0x3fe6a09e667f3bcd;
    pub const TWO52: f64 = 4503599627370496.0;
    /// ln2 in a 32-bit high part (e * hi exact) and a low part.
    pub const LN2_HI: f64 = f64::from_bits(0x3fe62e42ff000000);
    pub const LN2_LO: f64 = f64::from_bits(0xbdc718432a1b0e26);
    pub const G: [f64; 8] = [
        f64::from_bits(0x3fe5555555555555),
        f64::from_bits(0x3fd9999999999d59),
        f64::from_bits(0x3fd249249242ee1b),
        f64::from_bits(0x3fcc71c725c5ee56),
        f64::from_bits(0x3fc745cdb7521fa2),
        f64::from_bits(0x3fc3b215933c2fc5),
        f64::from_bits(0x3fc0f4a1544c3517),
        f64::from_bits(0x3fc1023b86d5d38d),
    ];
    /// 1/ln2: 26-bit high part, low part, whole.
    pub const INV_LN2_A: f64 = f64::from_bits(0x3ff7154768000000);
    pub const INV_LN2_B: f64 = f64::from_bits(0xbe46a3e80f444178);
    pub const INV_LN2: f64 = f64::from_bits(0x3ff71547652b82fe);
    /// 1/ln10: 26-bit high part, low part, whole.
    pub const INV_LN10_A: f64 = f64::from_bits(0x3fdbcb7b18000000);
    pub const INV_LN10_B: f64 = f64::from_bits(0xbe26c8d78e6acaa4);
    pub const INV_LN10: f64 = f64::from_bits(0x3fdbcb7b1526e50e);
    /// log10(2): 40-bit high part (e * hi exact), low part.
    pub const LOG10_2_HI: f64 = f64::from_bits(0x3fd34413509f8000);
    pub const LOG10_2_LO: f64 = f64::from_bits(0xbd380433b83b532a);
}

/// x = 2^e m with m in [sqrt(2)/2, sqrt(2)): returns (e, f = m - 1) for a positive normal x, or a
/// subnormal scaled by 2^52 with `scaled` = 52.
#[inline(always)]
fn log_reduce(x: f64, scaled: i64) -> (f64, f64) {
    use c_log::*;
    let t = (x.to_bits() as i64).wrapping_sub(SQRT_HALF_BITS as i64);
    let e = (t >> 52).wrapping_sub(scaled);
    let m = f64::from_bits((t & 0x000f_ffff_ffff_ffff).wrapping_add(SQRT_HALF_BITS as i64) as u64);
    (e as f64, m - 1.0)
}

/// log(1 + f) = h + l as a double-double (|l| < 0.05 |h|, relative error about 2^-56) for f in
/// [sqrt(2)/2 - 1, sqrt(2) - 1] (f exact; ±0 and subnormal f included).
///
/// With s = f / (2 + f), z = s^2: log(1 + f) = 2 atanh(s) = f - f^2/2 + s (f^2/2 + z g(z)) (an identity,
/// since 2s = f - s f). f^2/2 is formed exactly as hf_h + hf_l by splitting f (Dekker), f - hf_h by
/// Fast2Sum, and the remaining terms, at most 5% of the result, go into l.
#[inline(always)]
fn log_core<const FMA: bool>(f: f64) -> (f64, f64) {
    use c_log::G;
    let s = f / (2.0 + f);
    let z = s * s;
    let z2 = z * z;
    let z4 = z2 * z2;
    let g01 = fma64::<FMA>(G[1], z, G[0]);
    let g23 = fma64::<FMA>(G[3], z, G[2]);
    let g45 = fma64::<FMA>(G[5], z, G[4]);
    let g67 = fma64::<FMA>(G[7], z, G[6]);
    let g = fma64::<FMA>(fma64::<FMA>(g67, z2, g45), z4, fma64::<FMA>(g23, z2, g01));
    let f_h = split26(f);
    let f_l = f - f_h;
    let hf_h = 0.5 * f_h * f_h;
    let hf_l = 0.5 * f_l * (f + f_h);
    let a_h = f - hf_h;
    let a_l = (f - a_h) - hf_h;
    let l = fma64::<FMA>(s, fma64::<FMA>(z, g, hf_h + hf_l), a_l - hf_l);
    (a_h, l)
}

/// (h + l) * (c_a + c_b) as a double-double t_h + t_l, with c_a a 26-bit constant (t_h exact product
/// of 26-bit parts), c = c_a + c_b rounded.
#[inline(always)]
fn mul_dd<const FMA: bool>(h: f64, l: f64, c_a: f64, c_b: f64, c: f64) -> (f64, f64) {
    let h_h = split26(h);
    let h_l = h - h_h;
    let t_h = h_h * c_a;
    let t_l = fma64::<FMA>(h_l, c_a, fma64::<FMA>(h, c_b, l * c));
    (t_h, t_l)
}

/// log2 of a positive normal x (or a subnormal scaled by 2^52, `scaled` = 52).
#[inline(always)]
fn log2_pos<const FMA: bool>(x: f64, scaled: i64) -> f64 {
    use c_log::*;
    let (e, f) = log_reduce(x, scaled);
    let (h, l) = log_core::<FMA>(f);
    let (t_h, t_l) = mul_dd::<FMA>(h, l, INV_LN2_A, INV_LN2_B, INV_LN2);
    // Fast2Sum: e is an integer and |t_h| < 1/2, so |e| >= |t_h| unless e = 0 (then exact anyway).
    let y = e + t_h;
    let err = (e - y) + t_h;
    y + (err + t_l)
}

/// log10 of a positive normal x (or a subnormal scaled by 2^52, `scaled` = 52).
#[inline(always)]
fn log10_pos<const FMA: bool>(x: f64, scaled: i64) -> f64 {
    use c_log::*;
    let (e, f) = log_reduce(x, scaled);
    let (h, l) = log_core::<FMA>(f);
    let (t_h, t_l) = mul_dd::<FMA>(h, l, INV_LN10_A, INV_LN10_B, INV_LN10);
    // e * LOG10_2_HI is exact; Fast2Sum holds since |e log10(2)| >= 0.30 > |t_h| when e != 0.
    let eh = e * LOG10_2_HI;
    let y = eh + t_h;
    let err = (eh - y) + t_h;
    y + (err + fma64::<FMA>(e, LOG10_2_LO, t_l))
}

/// log2 and log10: the special values shared by both, around the positive-argument function `pos`.
#[inline(always)]
fn log_any(x: f64, pos: impl Fn(f64, i64) -> f64) -> f64 {
    use c_log::TWO52;
    let tiny = x < f64::MIN_POSITIVE;
    let y = pos(if tiny { x * TWO52 } else { x }, if tiny { 52 } else { 0 });
    let y = if x == f64::INFINITY { x } else { y };
    let y = if x == 0.0 { f64::NEG_INFINITY } else { y };
    // NaN for negative inputs; NaN inputs are returned as they are.
    if x < 0.0 {
        f64::NAN
    } else if x.is_nan() {
        x
    } else {
        y
    }
}

/// float32 logs in float64: log(1 + f) = 2s + s z g(z) with s = f / (2 + f), z = s^2, g of degree 3.
#[inline(always)]
fn log_f32_core<const FMA: bool>(f: f64) -> f64 {
    use c32::LOG_G as G;
    let s = f / (2.0 + f);
    let z = s * s;
    let z2 = z * z;
    let g = fma64::<FMA>(fma64::<FMA>(G[3], z, G[2]), z2, fma64::<FMA>(G[1], z, G[0]));
    fma64::<FMA>(s * z, g, s + s)
}

/// float32 log2 of a positive float32 (as float64: normal).
#[inline(always)]
fn log2_f32<const FMA: bool>(x: f64) -> f64 {
    let (e, f) = log_reduce(x, 0);
    let l = log_f32_core::<FMA>(f);
    fma64::<FMA>(l, c_log::INV_LN2, e)
}

/// float32 log10 of a positive float32 (as float64: normal).
#[inline(always)]
fn log10_f32<const FMA: bool>(x: f64) -> f64 {
    let (e, f) = log_reduce(x, 0);
    let l = log_f32_core::<FMA>(f);
    fma64::<FMA>(l, c_log::INV_LN10, e * c32::LOG10_2)
}

/// log2 and log10 in float32: the special values around the float64 function `pos`.
#[inline(always)]
fn log_any32(x: f32, pos: impl Fn(f64) -> f64) -> f32 {
    let y = pos(f64::from(x)) as f32;
    let y = if x == f32::INFINITY { x } else { y };
    let y = if x == 0.0 { f32::NEG_INFINITY } else { y };
    if x < 0.0 {
        f32::NAN
    } else if x.is_nan() {
        x
    } else {
        y
    }
}

/// The `log2` kernel: base-2 logarithm.
///
/// Domain: x > 0, subnormals included; log2(±0) = -inf (divide by zero), log2(x < 0) = NaN
/// (invalid), log2(+inf) = +inf, NaN gives NaN. log2(2^k) = k exactly.
///
/// Method: x = 2^e m, m in [sqrt(2)/2, sqrt(2)), f = m - 1 exact; log(1 + f) as a double-double from
/// `log_core` (the atanh series of fdlibm's `e_log.c` arrangement, with f^2/2 split exactly by
/// Dekker's method; g from `scripts/sollya/log1p.sollya`), multiplied by 1/ln2 as a double-double
/// (`scripts/sollya/log2.sollya`; exact 26 x 26-bit high product), and e added by Fast2Sum, so that
/// only the last addition rounds at full size. float32: in float64, e + log(1 + f)/ln2 with
/// log(1 + f) = 2s + s z g(z), g of degree 3, rounded once.
///
/// Error bound: at most 1 ULP. Measured maxima: float64 0.65 ULP against mpmath, at most 1 step from
/// the correctly rounded result at every level; float32 0.5002 ULP (every input, every level).
/// At the AVX-512 level float64 runs `log::avx512::map::<BASE_2>` (log's table-driven kernel, r/ln2
/// split exactly by an FMA): 99.99% of the test inputs correctly rounded, one core 2.7 -> 1.5
/// ns/item (NumPy 1.7); float32 `log::avx512::map32::<BASE_2>` (the same in float32 arithmetic, 32
/// intervals): every input within 0.5123 ULP, one core 1.07 -> 0.75 ns/item (NumPy 0.50).
#[derive(Debug)]
pub struct Log2;

impl Unary<f64> for Log2 {
    const FAST_MIN: f64 = f64::MIN_POSITIVE;
    const FAST_MAX: f64 = f64::MAX;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f64) -> f64 {
        log_any(x, log2_pos::<FMA>)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f64) -> f64 {
        log2_pos::<FMA>(x, 0)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f64], dst: &mut [f64]) -> Option<bool> {
        use super::log::avx512::{map, BASE_2};
        // SAFETY: the caller runs this only where AVX-512F/DQ exist.
        Some(unsafe { map::<BASE_2>(src, dst) })
    }

    #[inline(always)]
    fn status(x: f64, _y: f64) -> u8 {
        flag(x == 0.0, DIVIDE) | flag(x < 0.0, INVALID)
    }
}

impl Unary<f32> for Log2 {
    const FAST_MIN: f32 = f32::from_bits(1);
    const FAST_MAX: f32 = f32::MAX;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f32) -> f32 {
        log_any32(x, log2_f32::<FMA>)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f32) -> f32 {
        log2_f32::<FMA>(f64::from(x)) as f32
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        use super::log::avx512::{map32, BASE_2};
        // SAFETY: the caller runs this only where AVX-512F/DQ exist.
        Some(unsafe {
            map32::<BASE_2>(src, dst, Self::FAST_MIN, Self::FAST_MAX, Self::eval::<true>)
        })
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx2(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        use super::log::{avx2::map_log_b32, avx512::BASE_2};
        // SAFETY: the caller runs this only where AVX2 and FMA exist.
        Some(unsafe { map_log_b32::<BASE_2>(src, dst, Self::eval::<true>) })
    }

    #[inline(always)]
    fn status(x: f32, _y: f32) -> u8 {
        flag(x == 0.0, DIVIDE) | flag(x < 0.0, INVALID)
    }
}

/// The `log10` kernel: base-10 logarithm.
///
/// Domain: x > 0, subnormals included; log10(±0) = -inf (divide by zero), log10(x < 0) = NaN
/// (invalid), log10(+inf) = +inf, NaN gives NaN. log10(10^n) = n exactly for the powers of ten that
/// are floats (the error before the last rounding is far below half an ULP).
///
/// Method: as log2, with log(1 + f) times 1/ln10 as a double-double and e log10(2) added as
/// e * hi (exact, 40-bit hi) + e * lo (`scripts/sollya/log10.sollya`). float32: in float64,
/// e log10(2) + log(1 + f)/ln10 with the float32 log2 kernel's log(1 + f), rounded once.
///
/// Error bound: at most 1 ULP. Measured maxima: float64 0.57 ULP against mpmath, at most 1 step from
/// the correctly rounded result at every level; float32 0.5001 ULP (every input, every level).
/// At the AVX-512 level, as log2: float64 `log::avx512::map::<BASE_10>`, 99.99% of the test inputs
/// correctly rounded, one core 2.7 -> 1.7 ns/item (NumPy 1.9); float32 `log::avx512::map32::<BASE_10>`,
/// every input within 0.5123 ULP, one core 1.05 -> 0.73 ns/item (NumPy 0.51).
#[derive(Debug)]
pub struct Log10;

impl Unary<f64> for Log10 {
    const FAST_MIN: f64 = f64::MIN_POSITIVE;
    const FAST_MAX: f64 = f64::MAX;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f64) -> f64 {
        log_any(x, log10_pos::<FMA>)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f64) -> f64 {
        log10_pos::<FMA>(x, 0)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f64], dst: &mut [f64]) -> Option<bool> {
        use super::log::avx512::{map, BASE_10};
        // SAFETY: the caller runs this only where AVX-512F/DQ exist.
        Some(unsafe { map::<BASE_10>(src, dst) })
    }

    #[inline(always)]
    fn status(x: f64, _y: f64) -> u8 {
        flag(x == 0.0, DIVIDE) | flag(x < 0.0, INVALID)
    }
}

impl Unary<f32> for Log10 {
    const FAST_MIN: f32 = f32::from_bits(1);
    const FAST_MAX: f32 = f32::MAX;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f32) -> f32 {
        log_any32(x, log10_f32::<FMA>)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f32) -> f32 {
        log10_f32::<FMA>(f64::from(x)) as f32
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        use super::log::avx512::{map32, BASE_10};
        // SAFETY: the caller runs this only where AVX-512F/DQ exist.
        Some(unsafe {
            map32::<BASE_10>(src, dst, Self::FAST_MIN, Self::FAST_MAX, Self::eval::<true>)
        })
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx2(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        use super::log::{avx2::map_log_b32, avx512::BASE_10};
        // SAFETY: the caller runs this only where AVX2 and FMA exist.
        Some(unsafe { map_log_b32::<BASE_10>(src, dst, Self::eval::<true>) })
    }

    #[inline(always)]
    fn status(x: f32, _y: f32) -> u8 {
        flag(x == 0.0, DIVIDE) | flag(x < 0.0, INVALID)
    }
}

// ---------------------------------------------------------------------------------------------
// log1p
// ---------------------------------------------------------------------------------------------

/// log1p(x) for x > -1 finite (x = ±0 and subnormal x included).
#[inline(always)]
fn log1p_core<const FMA: bool>(x: f64) -> f64 {
    use c_log::*;
    // Near 0 (1 + x already in [sqrt(2)/2, sqrt(2))), f = x itself: no rounding at all.
    let inner = x > -0.2928932188134524 && x < 0.41421356237309503;
    // Elsewhere u = 1 + x rounded, c its exact error (TwoSum); log1p(x) = log(u) + log(1 + c/u) and
    // |c/u| <= 2^-53, so log(1 + c/u) = c/u to far below an ULP.
    let u = 1.0 + x;
    let bb = u - x;
    let c = (x - (u - bb)) + (1.0 - bb);
    let (e, f) = log_reduce(u, 0);
    let (e, f, c) = if inner { (0.0, x, 0.0) } else { (e, f, c) };
    let (h, l) = log_core::<FMA>(f);
    // Fast2Sum: |e ln2| >= 0.69 > |h| when e != 0.
    let eh = e * LN2_HI;
    let y = eh + h;
    let err = (eh - y) + h;
    let y = y + (err + (l + fma64::<FMA>(e, LN2_LO, c / u)));
    // log1p(-0) = -0.
    if x == 0.0 {
        x
    } else {
        y
    }
}

/// The `log1p` kernel: log(1 + x), accurate near 0.
///
/// Domain: x > -1; log1p(-1) = -inf (divide by zero), log1p(x < -1) = NaN (invalid),
/// log1p(±0) = ±0, log1p(+inf) = +inf, NaN gives NaN. Like NumPy, no underflow for subnormal x, whose
/// result x - x^2/2 rounds to x.
///
/// Method: for x in (sqrt(2)/2 - 1, sqrt(2) - 1), log(1 + f) with f = x directly; elsewhere u = 1 + x
/// with its rounding error c compensated exactly (TwoSum, the hint of Goldberg's "What every computer
/// scientist should know about floating-point arithmetic"), u = 2^e (1 + f), and
/// log1p(x) = e ln2 + log(1 + f) + c/u. log(1 + f) is the double-double core shared with log2 and
/// log10 (`scripts/sollya/log1p.sollya`); e ln2 has an exact 32-bit high part, added by Fast2Sum.
/// float32: in float64, where 1 + x is exact for |x| < 2^28 (f = x near 0 as above), e ln2 +
/// log(1 + f) with the float32 log2 kernel's log(1 + f), rounded once.
///
/// Error bound: at most 1 ULP. Measured maxima: float64 0.61 ULP against mpmath, at most 1 step from
/// the correctly rounded result at every level; float32 0.5002 ULP (every input, every level).
/// At the AVX-512 level float32 runs `log::avx512::map_log1p32` (float32 arithmetic: log's 32-entry
/// table kernel on u = 1 + x, u's exact rounding error joining the reduced argument's low part):
/// every input within 0.5312 ULP (4,294,482,302 of 2^32 correctly rounded), one core 0.85 ns/item
/// against 1.24 for its float64-lanes version (NumPy 0.95), 0.58 on a Zen 4 (NumPy 0.54; 0.65
/// with log(1 + u_lo/u) added apart, 2026-11-28); at the AVX2 level `log::avx2::map_log1p32`,
/// the same in 8 lanes with an 8-interval table (every input within 0.5746 ULP; 1.44 -> 0.87
/// ns/item against the scalar code vectorised by the compiler);
/// float64 runs `log::avx512::map_log1p64` (log's table kernel on 1 + x plus its rounding error,
/// and x - x^2/2 + x^3 q(x) below 1/64): 99.993% of the test inputs correctly rounded, one core
/// 1.9 -> 1.5 ns/item (NumPy 1.6), 2.1 -> 0.9 for |x| < 1/64; 1.26 -> 1.20 on a Zen 4 (NumPy
/// 1.11, 2026-11-28).
#[derive(Debug)]
pub struct Log1p;

impl Unary<f64> for Log1p {
    // The float just above -1.
    const FAST_MIN: f64 = -0.9999999999999999;
    const FAST_MAX: f64 = f64::MAX;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f64) -> f64 {
        let y = log1p_core::<FMA>(x);
        let y = if x == f64::INFINITY { x } else { y };
        let y = if x == -1.0 { f64::NEG_INFINITY } else { y };
        if x < -1.0 {
            f64::NAN
        } else if x.is_nan() {
            x
        } else {
            y
        }
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f64) -> f64 {
        log1p_core::<FMA>(x)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f64], dst: &mut [f64]) -> Option<bool> {
        use super::log::avx512::map_log1p64;
        // SAFETY: the caller runs this only where AVX-512F/DQ exist.
        Some(unsafe { map_log1p64(src, dst, Self::FAST_MIN, Self::FAST_MAX, Self::eval::<true>) })
    }

    #[inline(always)]
    fn status(x: f64, _y: f64) -> u8 {
        flag(x == -1.0, DIVIDE) | flag(x < -1.0, INVALID)
    }
}

/// float32 log1p in float64 for x > -1 finite: f = x itself near 0, else u = 1 + x (exact in
/// float64 for |x| < 2^28, and with a relative error below 2^-53 beyond, where log1p(x) > 19).
#[inline(always)]
fn log1p_f32<const FMA: bool>(x: f64) -> f64 {
    let inner = x > -0.2928932188134524 && x < 0.41421356237309503;
    let (e, f) = log_reduce(1.0 + x, 0);
    let (e, f) = if inner { (0.0, x) } else { (e, f) };
    let y = fma64::<FMA>(e, c32::LN2, log_f32_core::<FMA>(f));
    // log1p(-0) = -0.
    if x == 0.0 {
        x
    } else {
        y
    }
}

impl Unary<f32> for Log1p {
    const FAST_MIN: f32 = -0.99999994;
    const FAST_MAX: f32 = f32::MAX;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f32) -> f32 {
        let y = log1p_f32::<FMA>(f64::from(x)) as f32;
        let y = if x == f32::INFINITY { x } else { y };
        let y = if x == -1.0 { f32::NEG_INFINITY } else { y };
        if x < -1.0 {
            f32::NAN
        } else if x.is_nan() {
            x
        } else {
            y
        }
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f32) -> f32 {
        log1p_f32::<FMA>(f64::from(x)) as f32
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        use super::log::avx512::map_log1p32;
        // SAFETY: the caller runs this only where AVX-512F/DQ exist.
        Some(unsafe { map_log1p32(src, dst, Self::FAST_MIN, Self::FAST_MAX, Self::eval::<true>) })
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx2(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX2 and FMA exist. Up to 1e37, so that 2^-e
        // of 1 + x stays a normal float.
        Some(unsafe {
            super::log::avx2::map_log1p32(src, dst, Self::FAST_MIN, 1e37, Self::eval::<true>)
        })
    }

    #[inline(always)]
    fn status(x: f32, _y: f32) -> u8 {
        flag(x == -1.0, DIVIDE) | flag(x < -1.0, INVALID)
    }
}

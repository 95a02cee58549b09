//! `exp(x)`.
//!
//! Domain: all floats; overflows to +inf above ln(MAX), underflows through the subnormals to +0 below
//! ln(min subnormal / 2). NaN gives NaN.
//!
//! Method: x = k ln2 + r_hi + r_lo with |r| <= ln2/2 (Cody-Waite with a two-part ln2 whose high part
//! makes k*hi exact, so r_hi is exact without FMA too); exp(r) = 1 + r + r^2 q(r) with q a minimax
//! polynomial (`scripts/sollya/exp.sollya`), evaluated by Estrin's scheme, and 1 + r_hi split exactly
//! so that only the last addition rounds at full size; the result is scaled by 2^k in two exact steps
//! so that k = 1024 and subnormal results (one rounding) need no branch.
//!
//! Error bound: at most 1 ULP. Polynomial relative error 2^-63 (float64) and 2^-31.8 (float32); the
//! sum hi + (lo + r_lo + r^2 q) rounds once at full size after a correction below 2^-4 of it, and
//! subnormal results round a second time. Measured maxima: 0.68 ULP (float64, mpmath,
//! `tests/test_accuracy.py`) and 0.77 ULP (float32, every input, `make sweep`); `docs/accuracy.md`.

use super::{flag, fma32, fma64, Unary};
use crate::fpstatus::{OVERFLOW, UNDERFLOW};

/// The `exp` kernel.
#[derive(Debug)]
pub struct Exp;

/// Largest float64 whose exp is finite; above it exp overflows.
pub const F64_OVERFLOW_X: f64 = 709.782712893384;
/// Below this float64 the exact exp is below the smallest normal number (it underflows).
pub const F64_TINY_X: f64 = -708.3964185322641;
/// Largest float32 whose exp is finite.
pub const F32_OVERFLOW_X: f32 = 88.72283172607422;
/// Below this float32 the exact exp is below the smallest normal float32.
pub const F32_TINY_X: f32 = -87.33654022216797;

pub(crate) mod c64 {
    pub const SHIFT: f64 = 6755399441055744.0; // 1.5 * 2^52: adding it rounds to an integer
    pub const INV_LN2: f64 = f64::from_bits(0x3ff71547652b82fe);
    pub const LN2_HI: f64 = f64::from_bits(0x3fe62e42fee00000); // 32 significant bits
    pub const LN2_LO: f64 = f64::from_bits(0x3dea39ef35793c76);
    // Beyond these the result is already inf or 0; clamping keeps 2^k constructible.
    pub const X_MAX: f64 = 710.0;
    pub const X_MIN: f64 = -746.0;
    pub const C: [f64; 11] = [
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
}

mod c32 {
    pub const SHIFT: f32 = 12582912.0; // 1.5 * 2^23
    pub const INV_LN2: f32 = f32::from_bits(0x3fb8aa3b);
    pub const LN2_HI: f32 = f32::from_bits(0x3f317200); // 15 significant bits
    pub const LN2_LO: f32 = f32::from_bits(0x35bfbe8e);
    pub const X_MAX: f32 = 89.0;
    pub const X_MIN: f32 = -104.0;
    pub const C: [f32; 6] = [
        f32::from_bits(0x3f000000),
        f32::from_bits(0x3e2aaaab),
        f32::from_bits(0x3d2aaa81),
        f32::from_bits(0x3c0887fa),
        f32::from_bits(0x3ab69707),
        f32::from_bits(0x39513158),
    ];
}

/// exp(x) = p * 2^k: returns (p, k) with p = exp(r) in [sqrt(2)/2, sqrt(2)], for |x| <= 1100.
#[inline(always)]
fn reduce64<const FMA: bool>(x: f64) -> (f64, i64) {
    use c64::*;
    let z = fma64::<FMA>(x, INV_LN2, SHIFT);
    let kf = z - SHIFT;
    let k = (z.to_bits() as i64).wrapping_sub(SHIFT.to_bits() as i64);
    // r = r_hi + r_lo: r_hi is exact (k * LN2_HI is exact and Sterbenz's lemma holds), r_lo tiny.
    let r_hi = fma64::<FMA>(kf, -LN2_HI, x);
    let r_lo = kf * -LN2_LO;
    let r = r_hi + r_lo;
    let r2 = r * r;
    let r4 = r2 * r2;
    let a0 = fma64::<FMA>(C[1], r, C[0]);
    let a1 = fma64::<FMA>(C[3], r, C[2]);
    let a2 = fma64::<FMA>(C[5], r, C[4]);
    let a3 = fma64::<FMA>(C[7], r, C[6]);
    let a4 = fma64::<FMA>(C[9], r, C[8]);
    let b0 = fma64::<FMA>(a1, r2, a0);
    let b1 = fma64::<FMA>(a3, r2, a2);
    let b2 = fma64::<FMA>(C[10], r2, a4);
    let q = fma64::<FMA>(fma64::<FMA>(b2, r4, b1), r4, b0);
    // 1 + r_hi split exactly (Fast2Sum, |r_hi| < 1), so that the only large rounding is the last.
    let hi = 1.0 + r_hi;
    let lo = (1.0 - hi) + r_hi;
    (hi + (lo + fma64::<FMA>(r2, q, r_lo)), k)
}

impl Unary<f64> for Exp {
    // 2^k is a normal number here, so one scaling suffices.
    const FAST_MIN: f64 = -708.0;
    const FAST_MAX: f64 = 709.0;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f64) -> f64 {
        use c64::*;
        // Comparisons are false for NaN, which flows through to the result.
        let x = if x > X_MAX { X_MAX } else { x };
        let x = if x < X_MIN { X_MIN } else { x };
        let (p, k) = reduce64::<FMA>(x);
        // Two exact scalings cover k = 1024 and subnormal results (rounded once, by the second).
        let k1 = k >> 1;
        let k2 = k.wrapping_sub(k1);
        let s1 = f64::from_bits((k1.wrapping_add(1023) as u64) << 52);
        let s2 = f64::from_bits((k2.wrapping_add(1023) as u64) << 52);
        p * s1 * s2
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f64) -> f64 {
        let (p, k) = reduce64::<FMA>(x);
        p * f64::from_bits((k.wrapping_add(1023) as u64) << 52)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f64], dst: &mut [f64]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX-512F/DQ exist.
        Some(unsafe { avx512::map(src, dst, Self::FAST_MIN, Self::FAST_MAX) })
    }

    #[inline(always)]
    fn status(x: f64, _y: f64) -> u8 {
        flag(x > F64_OVERFLOW_X && x < f64::INFINITY, OVERFLOW)
            | flag(x < F64_TINY_X && x > f64::NEG_INFINITY, UNDERFLOW)
    }
}

/// As `reduce64`, in float32, for |x| <= 150.
#[inline(always)]
fn reduce32<const FMA: bool>(x: f32) -> (f32, i32) {
    use c32::*;
    let z = fma32::<FMA>(x, INV_LN2, SHIFT);
    let kf = z - SHIFT;
    let k = (z.to_bits() as i32).wrapping_sub(SHIFT.to_bits() as i32);
    let r_hi = fma32::<FMA>(kf, -LN2_HI, x);
    let r_lo = kf * -LN2_LO;
    let r = r_hi + r_lo;
    let r2 = r * r;
    let a0 = fma32::<FMA>(C[1], r, C[0]);
    let a1 = fma32::<FMA>(C[3], r, C[2]);
    let a2 = fma32::<FMA>(C[5], r, C[4]);
    let q = fma32::<FMA>(fma32::<FMA>(a2, r2, a1), r2, a0);
    let hi = 1.0 + r_hi;
    let lo = (1.0 - hi) + r_hi;
    (hi + (lo + fma32::<FMA>(r2, q, r_lo)), k)
}

impl Unary<f32> for Exp {
    const FAST_MIN: f32 = -87.0;
    const FAST_MAX: f32 = 88.0;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f32) -> f32 {
        use c32::*;
        let x = if x > X_MAX { X_MAX } else { x };
        let x = if x < X_MIN { X_MIN } else { x };
        let (p, k) = reduce32::<FMA>(x);
        let k1 = k >> 1;
        let k2 = k.wrapping_sub(k1);
        let s1 = f32::from_bits((k1.wrapping_add(127) as u32) << 23);
        let s2 = f32::from_bits((k2.wrapping_add(127) as u32) << 23);
        p * s1 * s2
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f32) -> f32 {
        let (p, k) = reduce32::<FMA>(x);
        p * f32::from_bits((k.wrapping_add(127) as u32) << 23)
    }

    #[inline(always)]
    fn status(x: f32, _y: f32) -> u8 {
        flag(x > F32_OVERFLOW_X && x < f32::INFINITY, OVERFLOW)
            | flag(x < F32_TINY_X && x > f32::NEG_INFINITY, UNDERFLOW)
    }
}

/// The float64 kernel of the AVX-512 level, on every input (so results never depend on neighbours):
/// x = (16k + j) ln2/16 + r with |r| <= ln2/32, exp(x) = 2^k 2^(j/16) exp(r); the 16 table entries
/// (`scripts/sollya/exp_table.sollya`, as a high and a low part) sit in four registers and are read
/// with `vpermt2pd`, exp(r) - 1 is a degree-7 minimax polynomial (relative error 2^-64), and
/// `vscalefpd` applies 2^k with a single rounding, subnormal and overflowing results included.
/// Error: the last addition rounds a sum whose small part is below 2^-5 of it; measured at most
/// 0.63 ULP against mpmath (`docs/accuracy.md`), bound 1 ULP.
#[cfg(target_arch = "x86_64")]
pub(crate) mod avx512 {
    use super::super::simd512::{lookup16, map8, table16};
    use std::arch::x86_64::*;

    pub(crate) const C: [f64; 6] = [
        f64::from_bits(0x3fe0000000000001),
        f64::from_bits(0x3fc5555555555553),
        f64::from_bits(0x3fa55555554df7f6),
        f64::from_bits(0x3f81111111137ab0),
        f64::from_bits(0x3f56c17f5d890940),
        f64::from_bits(0x3f2a01a7db334e36),
    ];
    pub(crate) const T_HI: [u64; 16] = [
        0x3ff0000000000000,
        0x3ff0b5586cf9890f,
        0x3ff172b83c7d517b,
        0x3ff2387a6e756238,
        0x3ff306fe0a31b715,
        0x3ff3dea64c123422,
        0x3ff4bfdad5362a27,
        0x3ff5ab07dd485429,
        0x3ff6a09e667f3bcd,
        0x3ff7a11473eb0187,
        0x3ff8ace5422aa0db,
        0x3ff9c49182a3f090,
        0x3ffae89f995ad3ad,
        0x3ffc199bdd85529c,
        0x3ffd5818dcfba487,
        0x3ffea4afa2a490da,
    ];
    pub(crate) const T_LO: [u64; 16] = [
        0x0000000000000000,
        0x3c98a62e4adc610b,
        0xbc819041b9d78a76,
        0x3c99b07eb6c70573,
        0x3c86f46ad23182e4,
        0x3c8ada0911f09ebc,
        0x3c7d4397afec42e2,
        0x3c96324c054647ad,
        0xbc9bdd3413b26456,
        0xbc841577ee04992f,
        0x3c96e9f156864b27,
        0x3c7c7c46b071f2be,
        0x3c97a1cd345dcc81,
        0x3c811065895048dd,
        0x3c82ed02d75b3707,
        0xbc9e9c23179c2893,
    ];

    /// The 2^(j/16) table as two float32 parts (high, rest) in one register each, for `vpermps`.
    #[inline]
    #[target_feature(enable = "avx512f")]
    pub(crate) fn table16_f32() -> (__m512, __m512) {
        let mut th = [0f32; 16];
        let mut tl = [0f32; 16];
        for i in 0..16 {
            let t = f64::from_bits(T_HI[i]);
            th[i] = t as f32;
            tl[i] = (t - f64::from(th[i])) as f32;
        }
        // SAFETY: 16 readable floats each.
        unsafe { (_mm512_loadu_ps(th.as_ptr()), _mm512_loadu_ps(tl.as_ptr())) }
    }

    /// e^(h + l) for float32 lanes with |h| <= 100, |l| <= 2^-10 |h| (or 2^-10), in float32
    /// arithmetic, as 2^floor(k) (t + small): k = h/ln2 rounded to a multiple of 1/16 (one shift),
    /// r = h - k ln2_hi exact (an FMA: the difference fits in 24 bits), then - k ln2_lo + l,
    /// e^r - 1 by its Taylor polynomial of degree 5 (|r| <= 0.0217: remainder 2^-42), t = 2^(j/16)
    /// high part and small = t (e^r - 1) + its low part (2^-29 of the result at most).
    #[inline]
    #[target_feature(enable = "avx512f")]
    pub(crate) fn exp_parts16(
        h: __m512,
        l: __m512,
        table: (__m512, __m512),
    ) -> (__m512, __m512, __m512) {
        exp_parts16_of::<false>(h, l, table)
    }

    /// [`exp_parts16`], with t and small already scaled by 2^floor(k) where `SCALED` (exact while
    /// 2^k t's low part stays normal: results above 2^-100).
    #[inline]
    #[target_feature(enable = "avx512f")]
    pub(crate) fn exp_parts16_of<const SCALED: bool>(
        h: __m512,
        l: __m512,
        table: (__m512, __m512),
    ) -> (__m512, __m512, __m512) {
        let shift = _mm512_set1_ps(1.5 * 524288.0);
        let z = _mm512_fmadd_ps(h, _mm512_set1_ps(std::f32::consts::LOG2_E), shift);
        let k = _mm512_sub_ps(z, shift);
        let ln2_hi = std::f32::consts::LN_2;
        let ln2_lo = (std::f64::consts::LN_2 - f64::from(ln2_hi)) as f32;
        let r_hi = _mm512_fnmadd_ps(k, _mm512_set1_ps(ln2_hi), h);
        let r = _mm512_add_ps(r_hi, _mm512_fnmadd_ps(k, _mm512_set1_ps(ln2_lo), l));
        let c = |v: f32| _mm512_set1_ps(v);
        let r2 = _mm512_mul_ps(r, r);
        let q = _mm512_fmadd_ps(
            _mm512_fmadd_ps(c(1.0 / 120.0), r, c(1.0 / 24.0)),
            r2,
            _mm512_fmadd_ps(c(1.0 / 6.0), r, c(0.5)),
        );
        let p = _mm512_fmadd_ps(r2, q, r);
        let j = _mm512_castps_si512(z);
        let t_hi = _mm512_permutexvar_ps(j, table.0);
        let t_lo = _mm512_permutexvar_ps(j, table.1);
        let (t_hi, t_lo) = if SCALED {
            (_mm512_scalef_ps(t_hi, k), _mm512_scalef_ps(t_lo, k))
        } else {
            (t_hi, t_lo)
        };
        (t_hi, _mm512_fmadd_ps(t_hi, p, t_lo), k)
    }

    /// (r^2, q(r)) for exp(r) = 1 + r + r^2 q(r) on |r| <= ln2/32 (`C`), the table kernels' polynomial.
    #[inline]
    #[target_feature(enable = "avx512f")]
    pub(crate) fn exp_q8(r: __m512d) -> (__m512d, __m512d) {
        let c = |i: usize| _mm512_set1_pd(C[i]);
        let r2 = _mm512_mul_pd(r, r);
        let a0 = _mm512_fmadd_pd(c(1), r, c(0));
        let a1 = _mm512_fmadd_pd(c(3), r, c(2));
        let a2 = _mm512_fmadd_pd(c(5), r, c(4));
        (r2, _mm512_fmadd_pd(_mm512_fmadd_pd(a2, r2, a1), r2, a0))
    }

    /// exp of eight lanes.
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    fn exp8(x: __m512d, t_hi: (__m512d, __m512d), t_lo: (__m512d, __m512d)) -> __m512d {
        use super::c64::{INV_LN2, LN2_HI, LN2_LO, SHIFT, X_MAX, X_MIN};
        // min/max return their second operand when either is NaN, which keeps NaN inputs.
        let x = _mm512_max_pd(
            _mm512_set1_pd(X_MIN),
            _mm512_min_pd(_mm512_set1_pd(X_MAX), x),
        );
        let z = _mm512_fmadd_pd(x, _mm512_set1_pd(INV_LN2 * 16.0), _mm512_set1_pd(SHIFT));
        let m = _mm512_sub_pd(z, _mm512_set1_pd(SHIFT));
        // r_hi is exact; r rounds once.
        let r_hi = _mm512_fnmadd_pd(m, _mm512_set1_pd(LN2_HI / 16.0), x);
        let r = _mm512_fnmadd_pd(m, _mm512_set1_pd(LN2_LO / 16.0), r_hi);
        // The low four bits of z's lanes are j = m mod 16.
        let j = _mm512_castpd_si512(z);
        let th = lookup16(t_hi, j);
        let tl = lookup16(t_lo, j);
        let (r2, q) = exp_q8(r);
        let p = _mm512_fmadd_pd(r2, q, r);
        let s = _mm512_add_pd(th, _mm512_fmadd_pd(th, p, tl));
        // vscalefpd multiplies by 2^floor(k): floor(m / 16) without a rounding instruction.
        _mm512_scalef_pd(s, _mm512_mul_pd(m, _mm512_set1_pd(1.0 / 16.0)))
    }

    /// `dst = exp(src)` for equal-length slices; whether every input lies in `[lo, hi]`.
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(crate) fn map(src: &[f64], dst: &mut [f64], lo: f64, hi: f64) -> bool {
        let (t_hi, t_lo) = (table16(&T_HI), table16(&T_LO));
        map8(src, dst, lo, hi, |x| exp8(x, t_hi, t_lo))
    }
}

/// The AVX2 level's float32 exponential parts, in float32 arithmetic: e^a = h + l for
/// -87 <= a <= 88 with h + l normal (l may be subnormal below a = -80), to 2^-28 relative.
/// n = round(8 a / ln2) = 8k + j, r = a - n ln2/8 as r_hi (exact: ln2/8's high part has 12 bits,
/// |n| < 2^11) plus r_lo = -n (ln2/8)_lo rounded (2^-34 of e); e^r - 1 = r_hi + (r_lo +
/// r^2 q(r)), q of degree 2 on |r| <= ln2/16 (relative error 2^-31.5), rounded once (2^-28.5 of
/// e); e / 2^k = t_hi + (t_hi (e^r - 1) + t_lo) with t = 2^(j/8) read by one `vpermps`,
/// normalised by Fast2Sum, and scaled by 2^k as a float (exact but for a subnormal l). Table, q and
/// the split of ln2/8: `scripts/sollya/expit.sollya`, part 2.
#[cfg(target_arch = "x86_64")]
pub(crate) mod avx2 {
    use std::arch::x86_64::*;

    /// 2^(j/8) = hi + lo, j = 0..7.
    const T_HI: [u32; 8] = [
        0x3f800000, 0x3f8b95c2, 0x3f9837f0, 0x3fa5fed7, 0x3fb504f3, 0x3fc5672a, 0x3fd744fd,
        0x3feac0c7,
    ];
    const T_LO: [u32; 8] = [
        0x00000000, 0xb260aba1, 0x33231b71, 0xb32c9d5e, 0x32cfe77a, 0x320aa837, 0xb2d4a58a,
        0xb24116de,
    ];
    /// q(r) for e^r = 1 + r + r^2 q(r), |r| <= ln2/16.
    const Q: [u32; 3] = [0x3f000000, 0x3e2aadc1, 0x3d2aac45];
    /// ln2/8 as a 12-bit high part and the rest; 8/ln2.
    const L_HI: u32 = 0x3db17000;
    const L_LO: u32 = 0x3685fdf4;
    const INV_L: u32 = 0x4138aa3b;
    /// 1.5 2^23: adding it rounds to an integer, found in the low bits.
    const SHIFT: f32 = 12582912.0;

    /// The table of [`exp_parts8s`]: 2^(j/8) high and low parts.
    pub(crate) type Table8s = (__m256, __m256);

    /// Loads the [`Table8s`].
    #[inline]
    #[target_feature(enable = "avx2")]
    pub(crate) fn tables8s() -> Table8s {
        // SAFETY: 8 readable floats each.
        unsafe {
            (
                _mm256_loadu_ps(T_HI.as_ptr().cast()),
                _mm256_loadu_ps(T_LO.as_ptr().cast()),
            )
        }
    }

    /// e^a = h + l, |l| <= ulp(h)/2, for -87 <= a <= 88 (see the module).
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    pub(crate) fn exp_parts8s(a: __m256, t: Table8s) -> (__m256, __m256) {
        let set = _mm256_set1_ps;
        let c = |b: u32| _mm256_set1_ps(f32::from_bits(b));
        let z = _mm256_fmadd_ps(a, c(INV_L), set(SHIFT));
        let nf = _mm256_sub_ps(z, set(SHIFT));
        let r_hi = _mm256_fnmadd_ps(nf, c(L_HI), a);
        let r_lo = _mm256_mul_ps(nf, set(-f32::from_bits(L_LO)));
        let r = _mm256_add_ps(r_hi, r_lo);
        let q = _mm256_fmadd_ps(_mm256_fmadd_ps(c(Q[2]), r, c(Q[1])), r, c(Q[0]));
        let p = _mm256_add_ps(r_hi, _mm256_fmadd_ps(_mm256_mul_ps(r, r), q, r_lo));
        // j = n mod 8 in the low bits of z (vpermps reads 3 bits); 2^k from n >> 3.
        let zi = _mm256_castps_si256(z);
        let th = _mm256_permutevar8x32_ps(t.0, zi);
        let tl = _mm256_fmadd_ps(th, p, _mm256_permutevar8x32_ps(t.1, zi));
        let h = _mm256_add_ps(th, tl);
        let l = _mm256_sub_ps(tl, _mm256_sub_ps(h, th));
        let n = _mm256_sub_epi32(zi, _mm256_set1_epi32(SHIFT.to_bits() as i32));
        let scale = _mm256_castsi256_ps(_mm256_slli_epi32::<23>(_mm256_add_epi32(
            _mm256_srai_epi32::<3>(n),
            _mm256_set1_epi32(127),
        )));
        (_mm256_mul_ps(h, scale), _mm256_mul_ps(l, scale))
    }
}

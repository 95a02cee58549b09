//! `log(x)`, the natural logarithm.
//!
//! Domain: x > 0, subnormals included; log(±0) = -inf (divide by zero), log(x < 0) = NaN (invalid),
//! log(+inf) = +inf, NaN gives NaN.
//!
//! Method: x = 2^e m with m in [sqrt(2)/2, sqrt(2)) (subnormals scaled by 2^52 or 2^23 first), f = m - 1
//! (exact), and log(1 + f) = 2 atanh(s) with s = f / (2 + f), |s| <= 0.1716, written as
//! f - (f^2/2 - s (f^2/2 + z g(z))), z = s^2, so that the rounding errors land in small correction
//! terms (the arrangement of fdlibm's `e_log.c`); g is a minimax polynomial
//! (`scripts/sollya/log.sollya`). e ln2 is added in two parts whose high part makes e*hi exact.
//!
//! Error bound: at most 1 ULP; the polynomial's relative error is 2^-51 (float64) and 2^-25
//! (float32) on a term at most 1% of the result. Measured maxima: 0.78 ULP (float64, mpmath,
//! `tests/test_accuracy.py`) and 0.84 ULP (float32, every input, `make sweep`); `docs/accuracy.md`.
//!
//! At the AVX-512 level both types have table-driven kernels with no division (`avx512`): measured
//! 0.5155 ULP (float64, 65,000 mpmath points) and 0.5095 ULP (float32, every input). One core, 100k
//! items, the builds before and after side by side: float64 as fast as the per-lane kernel (both at
//! NumPy's 1.0 ns/item), float32 1.13x faster (0.93x NumPy's time).

use super::{flag, fma32, fma64, Unary};
use crate::fpstatus::{DIVIDE, INVALID};

/// The `log` kernel.
#[derive(Debug)]
pub struct Log;

mod c64 {
    pub const LN2_HI: f64 = f64::from_bits(0x3fe62e42fee00000);
    pub const LN2_LO: f64 = f64::from_bits(0x3dea39ef35793c76);
    pub const SQRT_HALF_BITS: u64 = 0x3fe6a09e667f3bcd;
    pub const TWO52: f64 = 4503599627370496.0;
    pub const G: [f64; 7] = [
        f64::from_bits(0x3fe5555555555558),
        f64::from_bits(0x3fd9999999995303),
        f64::from_bits(0x3fd2492492df3035),
        f64::from_bits(0x3fcc71c62e0b72cb),
        f64::from_bits(0x3fc7462b661a6689),
        f64::from_bits(0x3fc39fe212ae99ba),
        f64::from_bits(0x3fc2b5b8533c9337),
    ];
}

pub(crate) mod c32 {
    pub const LN2_HI: f32 = f32::from_bits(0x3f317200);
    pub const LN2_LO: f32 = f32::from_bits(0x35bfbe8e);
    pub const SQRT_HALF_BITS: u32 = 0x3f3504f3;
    pub const TWO23: f32 = 8388608.0;
    pub const G: [f32; 4] = [
        f32::from_bits(0x3f2aaaab),
        f32::from_bits(0x3ecccc36),
        f32::from_bits(0x3e92610b),
        f32::from_bits(0x3e672e2d),
    ];
}

/// log(x) for a positive normal x, or a scaled subnormal with `scaled` = 52.
#[inline(always)]
fn core64<const FMA: bool>(x: f64, scaled: i64) -> f64 {
    use c64::*;
    // Subtracting sqrt(2)/2's bits splits at m = sqrt(2)/2 instead of m = 1: t >> 52 is e.
    let t = (x.to_bits() as i64).wrapping_sub(SQRT_HALF_BITS as i64);
    let e = (t >> 52).wrapping_sub(scaled);
    let m = f64::from_bits((t & 0x000f_ffff_ffff_ffff).wrapping_add(SQRT_HALF_BITS as i64) as u64);
    let f = m - 1.0;
    let ef = e as f64;
    let s = f / (2.0 + f);
    let z = s * s;
    let z2 = z * z;
    let g01 = fma64::<FMA>(G[1], z, G[0]);
    let g23 = fma64::<FMA>(G[3], z, G[2]);
    let g45 = fma64::<FMA>(G[5], z, G[4]);
    let g = fma64::<FMA>(fma64::<FMA>(fma64::<FMA>(G[6], z2, g45), z2, g23), z2, g01);
    let hfsq = 0.5 * f * f;
    let corr = fma64::<FMA>(s, fma64::<FMA>(z, g, hfsq), ef * LN2_LO);
    ef * LN2_HI - ((hfsq - corr) - f)
}

impl Unary<f64> for Log {
    const FAST_MIN: f64 = f64::MIN_POSITIVE;
    const FAST_MAX: f64 = f64::MAX;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f64) -> f64 {
        use c64::*;
        let tiny = x < f64::MIN_POSITIVE;
        let y = core64::<FMA>(if tiny { x * TWO52 } else { x }, if tiny { 52 } else { 0 });
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

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f64) -> f64 {
        core64::<FMA>(x, 0)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f64], dst: &mut [f64]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX-512F/DQ exist.
        // Subnormals raise nothing either: in range for the status too.
        Some(unsafe { avx512::map::<{ avx512::BASE_E }>(src, dst) })
    }

    #[inline(always)]
    fn status(x: f64, _y: f64) -> u8 {
        flag(x == 0.0, DIVIDE) | flag(x < 0.0, INVALID)
    }
}

/// As `core64`, in float32 (`scaled` = 23 for a scaled subnormal).
#[inline(always)]
fn core32<const FMA: bool>(x: f32, scaled: i32) -> f32 {
    use c32::*;
    let t = (x.to_bits() as i32).wrapping_sub(SQRT_HALF_BITS as i32);
    let e = (t >> 23).wrapping_sub(scaled);
    let m = f32::from_bits((t & 0x007f_ffff).wrapping_add(SQRT_HALF_BITS as i32) as u32);
    let f = m - 1.0;
    let ef = e as f32;
    let s = f / (2.0 + f);
    let z = s * s;
    let g = fma32::<FMA>(fma32::<FMA>(fma32::<FMA>(G[3], z, G[2]), z, G[1]), z, G[0]);
    let hfsq = 0.5 * f * f;
    let corr = fma32::<FMA>(s, fma32::<FMA>(z, g, hfsq), ef * LN2_LO);
    ef * LN2_HI - ((hfsq - corr) - f)
}

impl Unary<f32> for Log {
    const FAST_MIN: f32 = f32::MIN_POSITIVE;
    const FAST_MAX: f32 = f32::MAX;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f32) -> f32 {
        use c32::*;
        let tiny = x < f32::MIN_POSITIVE;
        let y = core32::<FMA>(if tiny { x * TWO23 } else { x }, if tiny { 23 } else { 0 });
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

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f32) -> f32 {
        core32::<FMA>(x, 0)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX-512F/DQ exist.
        Some(unsafe {
            // Subnormal inputs too (the vector kernel takes them as they are, and their logs
            // raise nothing).
            avx512::map32::<{ avx512::BASE_E }>(
                src,
                dst,
                f32::from_bits(1),
                Self::FAST_MAX,
                Self::eval::<true>,
            )
        })
    }

    #[inline(always)]
    fn status(x: f32, _y: f32) -> u8 {
        flag(x == 0.0, DIVIDE) | flag(x < 0.0, INVALID)
    }
}

/// The float64 kernel of the AVX-512 level, on every input (so results never depend on neighbours),
/// with no division: x = 2^e m, m in [0.75, 1.5) by `vgetexppd`/`vgetmantpd` (subnormals included);
/// m's top bits, rounded, pick one of 16 intervals, whose entry invc (about 1/m there, 1 for the
/// interval around 1) is read with `vpermt2pd`, and log x = e ln2 - log(invc) + log1p(r) with
/// r = m invc - 1 computed exactly as a sum of two doubles, |r| <= 0.0323; log1p(r) - r + r^2/2 is
/// r^3 q(r), q a degree-7 minimax polynomial (relative error 2^-60). e ln2_hi - log(invc)_hi is exact
/// (both multiples of 2^-32), its sum with r is split exactly (Fast2Sum), and every other term is
/// below 2^-5 of the result: one rounding dominates. Table and q: `scripts/sollya/log_table.sollya`.
/// Error: at most 0.5 + 2^-7 ULP by that accounting; measured in `docs/accuracy.md`.
#[cfg(target_arch = "x86_64")]
pub(crate) mod avx512 {
    use super::super::simd512::{
        fast_two_sum8, lookup16, map16_fix, map16_redo, map8_fix, map8_redo_range, series_head8,
        table16, Table16, Table32,
    };
    use std::arch::x86_64::*;

    const Q: [u64; 8] = [
        0x3fd5555555555546,
        0xbfcfffffffffffc0,
        0x3fc9999999a7d930,
        0xbfc55555556695fa,
        0x3fc2492387fa6df5,
        0xbfbffffdd90a3be0,
        0x3fbc7e3a9528e2b1,
        0xbfb9a589a009d7cb,
    ];
    /// Entry j serves m whose bits, rounded at 2^47, have j as the low 4 bits of their top 16:
    /// j = 0..7 for m in [1 - 2^-6, 1.5), j = 8..15 for m in [0.75, 1 - 2^-6).
    pub(crate) const INVC: [u64; 16] = [
        0x3ff0000000000000,
        0x3fee1e1e1e1e1e1e,
        0x3fec71c71c71c71c,
        0x3feaf286bca1af28,
        0x3fe999999999999a,
        0x3fe8618618618618,
        0x3fe745d1745d1746,
        0x3fe6058160581606,
        0x3ff51d07eae2f815,
        0x3ff47ae147ae147b,
        0x3ff3b13b13b13b14,
        0x3ff2f684bda12f68,
        0x3ff2492492492492,
        0x3ff1a7b9611a7b96,
        0x3ff1111111111111,
        0x3ff0842108421084,
    ];
    /// -log(invc): a multiple of 2^-32 (high) and the rest (low).
    pub(crate) const LOGC_HI: [u64; 16] = [
        0x0000000000000000,
        0x3faf0a30c0000000,
        0x3fbe27076e000000,
        0x3fc5ff3070800000,
        0x3fcc8ff7c7800000,
        0x3fd1675cabc00000,
        0x3fd4618bc2000000,
        0x3fd7eaf83b800000,
        0xbfd1bf9963400000,
        0xbfcf991c6c800000,
        0xbfca93ed3c800000,
        0xbfc5bf406b800000,
        0xbfc1178e82000000,
        0xbfb9335e5d000000,
        0xbfb08598b6000000,
        0xbfa0415d8a000000,
    ];
    pub(crate) const LOGC_LO: [u64; 16] = [
        0x0000000000000000,
        0x3da162a8617cc971,
        0x3dc57974f4f54400,
        0x3dd3c9eae439f105,
        0x3dca9a1fac25d81f,
        0xbdd459f0fc63382b,
        0x3ddc5ec1fd0b7b38,
        0x3da57e0fa59d2f3e,
        0xbdda6b9485aa28f8,
        0xbdd9d9bd1ecca0ce,
        0xbdb5b3cade57d4ef,
        0x3dd5e128023eb68a,
        0xbdd3f23cef19c5a1,
        0xbdd65261eb8757a9,
        0x3dd8717e9dd70099,
        0x3da8bbbf8fe8c38a,
    ];

    /// -log2(invc) and -log10(invc) as high parts (multiples of 2^-32 and 2^-33, so that e +
    /// hi and e log10(2)_hi + hi are exact) and the rest, `scripts/sollya/log_table.sollya`.
    pub(crate) const LOG2C_HI: [u64; 16] = [
        0x0000000000000000,
        0x3fb663f6fb000000,
        0x3fc5c01a3a000000,
        0x3fcfbc16b9000000,
        0x3fd49a784bc00000,
        0x3fd91bba89000000,
        0x3fdd6753e0400000,
        0x3fe140c9faa00000,
        0xbfd99b072a800000,
        0xbfd6cb0f68800000,
        0xbfd32bfee3800000,
        0xbfcf5fd8a9000000,
        0xbfc8a8980a800000,
        0xbfc22dadc2800000,
        0xbfb7d60497000000,
        0xbfa77394ca000000,
    ];
    pub(crate) const LOG2C_LO: [u64; 16] = [
        0x0000000000000000,
        0xbdcb767408ef9b15,
        0xbda0a5d5f6dc2122,
        0x3d934068328e31f1,
        0x3dca371319e96b49,
        0x3ddf170a26072b58,
        0xbdca2be374d6fa20,
        0x3dae54294a0f01ec,
        0xbdd6c6b1f033d348,
        0x3dda37157212ab8f,
        0x3dce232c52128069,
        0xbda8f8c6b79c0afe,
        0xbddfde97c1e0d76c,
        0xbdd59a4b0d13ffe5,
        0x3dc8225a850c98a0,
        0x3db3539833b60ae5,
    ];
    pub(crate) const LOG10C_HI: [u64; 16] = [
        0x0000000000000000,
        0x3f9af5f92c000000,
        0x3faa30a9d6000000,
        0x3fb31b3056000000,
        0x3fb8cf1838800000,
        0x3fbe3bc1ab000000,
        0x3fc1b3e71ec00000,
        0x3fc4c65808000000,
        0xbfbed50a4a000000,
        0xbfbb721cd1800000,
        0xbfb715d0ce000000,
        0xbfb2e3a740800000,
        0xbfadb11ed7000000,
        0xbfa5e3966b000000,
        0xbf9cb38fcc000000,
        0xbf8c3d0838000000,
    ];
    pub(crate) const LOG10C_LO: [u64; 16] = [
        0x0000000000000000,
        0xbdcfe33dd38d4888,
        0x3d93dfda77e1f5a5,
        0xbdcdc77320ca16fa,
        0x3d99202b79c4029c,
        0x3dac33fff41bb74d,
        0x3db29ef4991a8da0,
        0xbdc6ccc91e0ddba0,
        0xbdc3757daf66483c,
        0x3dad50398689798e,
        0xbdcb3d7eb52b56d4,
        0xbdcbc0066bc57f71,
        0xbdc9aafc2e5b365e,
        0xbdcfa4a50f577d22,
        0xbdcb17fb35966efe,
        0x3db0f678cac3e7ef,
    ];

    /// 1/ln2, 1/ln10 and log10(2) (32 significant bits), each with its rest.
    const IL2: (f64, f64) = (
        f64::from_bits(0x3ff71547652b82fe),
        f64::from_bits(0x3c7777d0ffda0d24),
    );
    const IL10: (f64, f64) = (
        f64::from_bits(0x3fdbcb7b1526e50e),
        f64::from_bits(0x3c695355baaafad3),
    );
    const LG2: (f64, f64) = (
        f64::from_bits(0x3fd3441350a00000),
        f64::from_bits(0xbd80c0219dc1da99),
    );

    /// The bases of [`log8`].
    pub(crate) const BASE_E: u8 = 0;
    pub(crate) const BASE_2: u8 = 1;
    pub(crate) const BASE_10: u8 = 2;

    /// x = 2^e m with m in [0.75, 1.5), and the index j of m's interval (entry j of the tables), for
    /// positive normal or subnormal x (getexp and getmant take subnormals as they are).
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(crate) fn reduce8(x: __m512d) -> (__m512d, __m512d, __m512i) {
        let one = _mm512_set1_pd(1.0);
        let m = _mm512_getmant_pd::<_MM_MANT_NORM_P75_1P5, _MM_MANT_SIGN_ZERO>(x);
        // getexp is the exponent of m in [1, 2); m below 1 was halved.
        let e = _mm512_getexp_pd(x);
        let e = _mm512_mask_add_pd(e, _mm512_cmp_pd_mask::<_CMP_LT_OQ>(m, one), e, one);
        let top = _mm512_srli_epi64::<48>(_mm512_add_epi64(
            _mm512_castpd_si512(m),
            _mm512_set1_epi64(1 << 47),
        ));
        // m just below 1.5 rounds up to 1.5's bits: keep it in the last interval above 1.
        (e, m, _mm512_min_epu64(top, _mm512_set1_epi64(0x3ff7)))
    }

    /// The logarithm of eight positive finite lanes (subnormals included; zero, negatives, +inf
    /// and NaN are the caller's to fix) to base e, 2 or 10 (`B`), with `logc_hi`, `logc_lo` that
    /// base's table. Base 2 and 10: log_b x = e log_b(2) + log_b(c) + log1p(r)/ln(b), the product
    /// r/ln(b) split exactly by an FMA and q's coefficients scaled by 1/ln(b); the same accounting.
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    fn log8<const B: u8>(x: __m512d, invc: Table16, logc_hi: Table16, logc_lo: Table16) -> __m512d {
        let (w, tail) = log8_parts::<B>(x, invc, logc_hi, logc_lo);
        _mm512_add_pd(w, tail)
    }

    /// [`log8`] before its last addition and special values: (w, tail) with w + tail the result,
    /// w exact and |tail| below 2^-5 |w|, for positive normal or subnormal x.
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    fn log8_parts<const B: u8>(
        x: __m512d,
        invc: Table16,
        logc_hi: Table16,
        logc_lo: Table16,
    ) -> (__m512d, __m512d) {
        let zero = _mm512_setzero_pd();
        log8_parts_of::<B, false>(x, zero, zero, invc, logc_hi, logc_lo)
    }

    /// The base-e tables of [`log8_parts_of`]: invc, -log(invc) high and low.
    #[inline]
    #[target_feature(enable = "avx512f")]
    pub(crate) fn tables8() -> (Table16, Table16, Table16) {
        (table16(&INVC), table16(&LOGC_HI), table16(&LOGC_LO))
    }

    /// [`log8_parts`] of zh + zl plus bump log_b(2), for zh positive normal, zl a correction below
    /// 2^-40 |zh| and bump 0 or 1 per lane (`LOW`; else zl and bump are not read): zl 2^-e invc
    /// joins the exact low part of r = m invc - 1 (relative accuracy is kept as z nears 1, where
    /// invc = 1 and r = zh - 1 exactly), bump joins e.
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(crate) fn log8_parts_of<const B: u8, const LOW: bool>(
        x: __m512d,
        zl: __m512d,
        bump: __m512d,
        invc: Table16,
        logc_hi: Table16,
        logc_lo: Table16,
    ) -> (__m512d, __m512d) {
        use super::c64::{LN2_HI, LN2_LO};
        let (s_hi, s_lo, e_hi, e_lo) = match B {
            BASE_E => (1.0, 0.0, LN2_HI, LN2_LO),
            BASE_2 => (IL2.0, IL2.1, 1.0, 0.0),
            _ => (IL10.0, IL10.1, LG2.0, LG2.1),
        };
        let one = _mm512_set1_pd(1.0);
        let (e, m, j) = reduce8(x);
        let ic = lookup16(invc, j);
        // r = p_hi - 1 + p_lo exactly: the product split by an FMA, p_hi - 1 exact (Sterbenz).
        let p_hi = _mm512_mul_pd(m, ic);
        let p_lo = _mm512_fmsub_pd(m, ic, p_hi);
        let (p_lo, e) = if LOW {
            let zs = _mm512_scalef_pd(zl, _mm512_sub_pd(_mm512_setzero_pd(), e));
            (_mm512_fmadd_pd(zs, ic, p_lo), _mm512_add_pd(e, bump))
        } else {
            (p_lo, e)
        };
        let r = _mm512_sub_pd(p_hi, one);
        let rf = _mm512_add_pd(r, p_lo);
        let c = |i: usize| _mm512_set1_pd(f64::from_bits(Q[i]) * s_hi);
        let r2 = _mm512_mul_pd(rf, rf);
        let r4 = _mm512_mul_pd(r2, r2);
        let q01 = _mm512_fmadd_pd(c(1), rf, c(0));
        let q23 = _mm512_fmadd_pd(c(3), rf, c(2));
        let q45 = _mm512_fmadd_pd(c(5), rf, c(4));
        let q67 = _mm512_fmadd_pd(c(7), rf, c(6));
        let q03 = _mm512_fmadd_pd(q23, r2, q01);
        let q47 = _mm512_fmadd_pd(q67, r2, q45);
        let q = _mm512_fmadd_pd(q47, r4, q03);
        let t = _mm512_fmadd_pd(q, rf, _mm512_set1_pd(-0.5 * s_hi));
        // r/ln(b) as rs + rs_err (r itself for base e).
        let (rs, rs_err) = if B == BASE_E {
            (r, p_lo)
        } else {
            let sh = _mm512_set1_pd(s_hi);
            let rs = _mm512_mul_pd(r, sh);
            let err = _mm512_fmadd_pd(p_lo, sh, _mm512_fmsub_pd(r, sh, rs));
            (rs, _mm512_fmadd_pd(r, _mm512_set1_pd(s_lo), err))
        };
        // hi is exact; |hi| >= |rs| unless hi = 0, so Fast2Sum splits hi + rs exactly.
        let hi = _mm512_fmadd_pd(e, _mm512_set1_pd(e_hi), lookup16(logc_hi, j));
        let (w, err) = fast_two_sum8(hi, rs);
        let lo = _mm512_fmadd_pd(e, _mm512_set1_pd(e_lo), lookup16(logc_lo, j));
        let lo = _mm512_add_pd(lo, _mm512_add_pd(rs_err, err));
        (w, _mm512_fmadd_pd(r2, t, lo))
    }

    /// The float32 kernel (16 lanes of float32): the float64 method with 32 intervals (rounded at
    /// 2^-6 above 1, 2^-7 below, read with `vpermt2ps`), |r| <= 0.0159, q of degree 2 (relative
    /// error 2^-35), -log(invc)_hi a multiple of 2^-15 (e ln2_hi + it exact), the small terms below
    /// 2^-6 of the result: error at most 0.5 + 2^-6 ULP by that accounting
    /// (`scripts/sollya/log_table_f32.sollya`). log2 and log10 round twice instead ([`log_b16`]):
    /// at most 0.7543 ULP over every float32 input, 12% faster.
    const Q32: [u32; 3] = [0x3eaaaaab, 0xbe800425, 0x3e4cc65f];
    const INVC32: [u32; 32] = [
        0x3f800000, 0x3f783e10, 0x3f70f0f1, 0x3f6a0ea1, 0x3f638e39, 0x3f5d67c9, 0x3f579436,
        0x3f520d21, 0x3f4ccccd, 0x3f47ce0c, 0x3f430c31, 0x3f3e82fa, 0x3f3a2e8c, 0x3f360b61,
        0x3f321643, 0x3f2d602b, 0x3fa9c84a, 0x3fa72f05, 0x3fa3d70a, 0x3fa0a0a1, 0x3f9d89d9,
        0x3f9a90e8, 0x3f97b426, 0x3f94f209, 0x3f924925, 0x3f8fb824, 0x3f8d3dcb, 0x3f8ad8f3,
        0x3f888889, 0x3f864b8a, 0x3f842108, 0x3f820821,
    ];
    const LOGC_HI32: [u32; 32] = [
        0x00000000, 0x3cfc0000, 0x3d786000, 0x3db78000, 0x3df14000, 0x3e14a800, 0x3e2ff800,
        0x3e4a9000, 0x3e648000, 0x3e7dc800, 0x3e8b3c00, 0x3e974800, 0x3ea30c00, 0x3eae8c00,
        0x3eb9d000, 0x3ec78800, 0xbe90a400, 0xbe88bc00, 0xbe7cc800, 0xbe688000, 0xbe54a000,
        0xbe412000, 0xbe2df800, 0xbe1b3000, 0xbe08c000, 0xbded4000, 0xbdc9a000, 0xbda6a000,
        0xbd843000, 0xbd44a000, 0xbd020000, 0xbc810000,
    ];
    const LOGC_LO32: [u32; 32] = [
        0x00000000, 0x3726439e, 0xb767aff7, 0x375272e5, 0xb778b1d5, 0x37258840, 0x36c1829e,
        0x373501e9, 0xb5858656, 0x3645eaf2, 0xb70da151, 0xb6ea08f7, 0x363a21c6, 0x37769560,
        0xb7207511, 0x36f53db3, 0x376ab7c5, 0xb666c27e, 0xb661e59e, 0xb6e0f995, 0x36139ba9,
        0x36f9eab9, 0xb700f6a8, 0x34e4fa9c, 0x37623bb0, 0x37587c7c, 0x3721b2a7, 0x376e9ae0,
        0x36ccd4c4, 0xb6a834a0, 0xb72e44f4, 0xb5b47127,
    ];

    /// -log2(invc) and -log10(invc) for the float32 intervals, hi (a multiple of 2^-15) + lo,
    /// `scripts/sollya/log_table_f32.sollya`.
    const LOG2C_HI32: [u32; 32] = [
        0x00000000, 0x3d35e000, 0x3db32000, 0x3e046000, 0x3e2e0000, 0x3e567800, 0x3e7de000,
        0x3e922000, 0x3ea4d400, 0x3eb71000, 0x3ec8dc00, 0x3eda4000, 0x3eeb3c00, 0x3efbd400,
        0x3f060800, 0x3f0ff000, 0xbed0a800, 0xbec54400, 0xbeb65800, 0xbea7b800, 0xbe996000,
        0xbe8b5000, 0xbe7b0000, 0xbe5fe000, 0xbe454800, 0xbe2b2000, 0xbe117000, 0xbdf06000,
        0xbdbeb000, 0xbd8de000, 0xbd3ba000, 0xbcba0000,
    ];
    const LOG2C_LO32: [u32; 32] = [
        0x00000000, 0xb716fde3, 0xb511c4c3, 0x3730f715, 0x36511734, 0x373bc560, 0x36350f69,
        0x35f2db6d, 0xb5f96905, 0x37081d49, 0x3769b112, 0xb6a01811, 0xb73137df, 0x35a8690e,
        0x361e4d1e, 0xb760abff, 0xb73bb4d6, 0xb6bf5814, 0xb6745c5e, 0x3582cbd6, 0x3462d9df,
        0x377e561b, 0x369cff92, 0xb74e8bcb, 0x374ed581, 0x368efbac, 0x372491bf, 0x37650b82,
        0xb4bb3f34, 0x374eb43f, 0x36594ef6, 0xb77d0752,
    ];
    const LOG10C_HI32: [u32; 32] = [
        0x00000000, 0x3c5b0000, 0x3cd7c000, 0x3d1f6000, 0x3d518000, 0x3d812000, 0x3d98e000,
        0x3daff000, 0x3dc68000, 0x3ddc7000, 0x3df1e000, 0x3e036800, 0x3e0da000, 0x3e17a000,
        0x3e216000, 0x3e2d5000, 0xbdfb4000, 0xbded9000, 0xbddb9000, 0xbdc9f000, 0xbdb8b000,
        0xbda7c000, 0xbd972000, 0xbd86d000, 0xbd6d8000, 0xbd4e0000, 0xbd2f2000, 0xbd10c000,
        0xbce58000, 0xbcaac000, 0xbc620000, 0xbbe00000,
    ];
    const LOG10C_LO32: [u32; 32] = [
        0x00000000, 0xb6389703, 0xb701bc33, 0x3708c267, 0x36a9ba3e, 0x36225317, 0xb74fb821,
        0x37003039, 0xb767e345, 0xb5d736c0, 0xb679dec1, 0xb70529c0, 0xb647e811, 0xb713099f,
        0x377cdd0a, 0x35b67443, 0xb604f6d6, 0x37614ed1, 0xb5e53e01, 0xb6fc45ff, 0x363bb133,
        0x36aa14f1, 0x36b162c6, 0x37196eab, 0xb70fbf16, 0xb74be3de, 0x365344ce, 0x373f21a2,
        0xb764547e, 0xb6ddc18d, 0x36be6150, 0xb66bb18b,
    ];

    /// 1/ln2, 1/ln10 and log10(2) (14 significant bits), each with its rest, in float32.
    pub(super) const IL2_32: (u32, u32) = (0x3fb8aa3b, 0x32a57060);
    pub(super) const IL10_32: (u32, u32) = (0x3ede5bd9, 0xb22d91af);
    pub(super) const LG2_32: (u32, u32) = (0x3e9a2000, 0x369a84fc);

    /// As [`reduce8`] for float32 lanes and the 32 float32 intervals.
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn reduce16(x: __m512) -> (__m512, __m512, __m512i) {
        let one = _mm512_set1_ps(1.0);
        let m = _mm512_getmant_ps::<_MM_MANT_NORM_P75_1P5, _MM_MANT_SIGN_ZERO>(x);
        let e = _mm512_getexp_ps(x);
        let e = _mm512_mask_add_ps(e, _mm512_cmp_ps_mask::<_CMP_LT_OQ>(m, one), e, one);
        let top = _mm512_srli_epi32::<18>(_mm512_add_epi32(
            _mm512_castps_si512(m),
            _mm512_set1_epi32(1 << 17),
        ));
        (
            e,
            m,
            _mm512_min_epu32(top, _mm512_set1_epi32((0x7f << 5) | 15)),
        )
    }

    /// The float32 logarithm to base e, 2 or 10 (`B`, as [`log8`]) of positive finite x (zero,
    /// negatives, +inf and NaN are the caller's to redo): base e by [`log16_parts`], the others by
    /// [`log_b16`] (q's coefficients scaled by 1/ln(b), e log_b(2)_hi + hi exact).
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn log16<const B: u8>(x: __m512, invc: Table32, logc_hi: Table32, logc_lo: Table32) -> __m512 {
        if B == BASE_E {
            let (w, small) = log16_parts(x, invc, logc_hi, logc_lo);
            _mm512_add_ps(w, small)
        } else {
            log_b16::<B>(x, invc, logc_hi, logc_lo)
        }
    }

    /// log2 or log10 (`B`) for positive normal x in two roundings, where [`log16_parts`] splits
    /// hi + r exactly: a = r s_hi + (r s_lo + p_lo s_hi + r^2 t + lo) by one FMA,
    /// then hi + a. Where hi = 0 (e = 0, the interval around 1) the result is a itself, rounded
    /// once; elsewhere |a| is at most about |hi + a|, so the two roundings stay within
    /// 0.5 ULP + 0.5 ulp(a) (every float32 input: see `docs/accuracy.md`).
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn log_b16<const B: u8>(
        x: __m512,
        invc: Table32,
        logc_hi: Table32,
        logc_lo: Table32,
    ) -> __m512 {
        let bits = |v: (u32, u32)| (f32::from_bits(v.0), f32::from_bits(v.1));
        let ((s_hi, s_lo), (e_hi, e_lo)) = match B {
            BASE_2 => (bits(IL2_32), (1.0, 0.0)),
            _ => (bits(IL10_32), bits(LG2_32)),
        };
        let (e, j, r, p_lo, rf, t) = log_reduce16(x, invc, s_hi);
        let sh = _mm512_set1_ps(s_hi);
        let rs_lo = _mm512_fmadd_ps(p_lo, sh, _mm512_mul_ps(r, _mm512_set1_ps(s_lo)));
        let lo = _mm512_fmadd_ps(e, _mm512_set1_ps(e_lo), logc_lo.get(j));
        let small = _mm512_fmadd_ps(_mm512_mul_ps(rf, rf), t, _mm512_add_ps(rs_lo, lo));
        let a = _mm512_fmadd_ps(r, sh, small);
        let hi = _mm512_fmadd_ps(e, _mm512_set1_ps(e_hi), logc_hi.get(j));
        _mm512_add_ps(hi, a)
    }

    /// The reduction of the float32 logarithms for positive normal x: (e, j, r, p_lo, rf, t) with
    /// x = 2^e m, j m's interval, m invc - 1 = r + p_lo exactly (the product split by an FMA,
    /// p_hi - 1 exact by Sterbenz), rf = r + p_lo rounded, and t = s (q(rf) rf - 1/2), so that
    /// log_b(1 + rf) = s rf + rf^2 t (s = 1/ln(b), `s_hi`).
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn log_reduce16(
        x: __m512,
        invc: Table32,
        s_hi: f32,
    ) -> (__m512, __m512i, __m512, __m512, __m512, __m512) {
        log_reduce16_of::<false>(x, _mm512_setzero_ps(), invc, s_hi)
    }

    /// [`log_reduce16`] of zh + zl (`LOW`; else zl is not read), |zl| at most half an ULP of zh:
    /// zl 2^-e invc joins r's exact low part (exactly where invc = 1, around z = 1, so relative
    /// accuracy is kept as the result nears 0; elsewhere one rounding of a term below 2^-23 of
    /// |r| + |log c|), and r is returned as the rounded r + low part with its exact error
    /// (Fast2Sum: |r| >= |low part| or r = 0), since zl can make the low part as large as r.
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn log_reduce16_of<const LOW: bool>(
        x: __m512,
        zl: __m512,
        invc: Table32,
        s_hi: f32,
    ) -> (__m512, __m512i, __m512, __m512, __m512, __m512) {
        let (e, m, j) = reduce16(x);
        let ic = invc.get(j);
        let p_hi = _mm512_mul_ps(m, ic);
        let p_lo = _mm512_fmsub_ps(m, ic, p_hi);
        let p_lo = if LOW {
            let zs = _mm512_scalef_ps(zl, _mm512_sub_ps(_mm512_setzero_ps(), e));
            _mm512_fmadd_ps(zs, ic, p_lo)
        } else {
            p_lo
        };
        let r = _mm512_sub_ps(p_hi, _mm512_set1_ps(1.0));
        let rf = _mm512_add_ps(r, p_lo);
        let c = |i: usize| _mm512_set1_ps(f32::from_bits(Q32[i]) * s_hi);
        let q = _mm512_fmadd_ps(_mm512_fmadd_ps(c(2), rf, c(1)), rf, c(0));
        let t = _mm512_fmadd_ps(q, rf, _mm512_set1_ps(-0.5 * s_hi));
        if LOW {
            (e, j, rf, _mm512_add_ps(_mm512_sub_ps(r, rf), p_lo), rf, t)
        } else {
            (e, j, r, p_lo, rf, t)
        }
    }

    /// The natural logarithm for positive normal x before its last addition: (w, small), w + small
    /// rounded once is the result (|small| < 2^-5 |w| where w is not 0).
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn log16_parts(
        x: __m512,
        invc: Table32,
        logc_hi: Table32,
        logc_lo: Table32,
    ) -> (__m512, __m512) {
        log16_parts_of::<false>(x, _mm512_setzero_ps(), invc, logc_hi, logc_lo)
    }

    /// [`log16_parts`] of zh + zl (`LOW`, as [`log_reduce16_of`]).
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn log16_parts_of<const LOW: bool>(
        x: __m512,
        zl: __m512,
        invc: Table32,
        logc_hi: Table32,
        logc_lo: Table32,
    ) -> (__m512, __m512) {
        use super::c32::{LN2_HI as E_HI, LN2_LO as E_LO};
        let (e, j, rs, rs_err, rf, t) = log_reduce16_of::<LOW>(x, zl, invc, 1.0);
        let hi = _mm512_fmadd_ps(e, _mm512_set1_ps(E_HI), logc_hi.get(j));
        let w = _mm512_add_ps(hi, rs);
        let err = _mm512_sub_ps(rs, _mm512_sub_ps(w, hi));
        let lo = _mm512_fmadd_ps(e, _mm512_set1_ps(E_LO), logc_lo.get(j));
        let lo = _mm512_add_ps(lo, _mm512_add_ps(rs_err, err));
        (w, _mm512_fmadd_ps(_mm512_mul_ps(rf, rf), t, lo))
    }

    /// The float32 tables of [`log_dd16`]: invc, -log(invc) high and low.
    #[inline]
    #[target_feature(enable = "avx512f")]
    pub(crate) fn tables32() -> (Table32, Table32, Table32) {
        (
            Table32::load(&INVC32),
            Table32::load(&LOGC_HI32),
            Table32::load(&LOGC_LO32),
        )
    }

    /// log x for positive normal float32 x as an unnormalised pair (w, l) of floats, |l| < 2^-12 |w|,
    /// to about 2^-36 relative (for power): [`log16`]'s reduction with r^2 = r2h + r2l exact (r the
    /// exact high part of m invc - 1, its product error p_lo kept apart) and -r^2/2 added to w by
    /// Fast2Sum, so that the roundings left are those of the r^3 q(r) term (r^2/3 <= 2^-13 of the
    /// result) and of the small sums.
    #[inline]
    #[target_feature(enable = "avx512f")]
    pub(crate) fn log_dd16(x: __m512, t: (Table32, Table32, Table32)) -> (__m512, __m512) {
        use super::c32::{LN2_HI, LN2_LO};
        let one = _mm512_set1_ps(1.0);
        let (e, m, j) = reduce16(x);
        let ic = t.0.get(j);
        let p_hi = _mm512_mul_ps(m, ic);
        let p_lo = _mm512_fmsub_ps(m, ic, p_hi);
        let r = _mm512_sub_ps(p_hi, one);
        let rf = _mm512_add_ps(r, p_lo);
        let r2h = _mm512_mul_ps(r, r);
        let r2l = _mm512_fmadd_ps(_mm512_add_ps(r, r), p_lo, _mm512_fmsub_ps(r, r, r2h));
        let c = |i: usize| _mm512_set1_ps(f32::from_bits(Q32[i]));
        let q = _mm512_fmadd_ps(_mm512_fmadd_ps(c(2), rf, c(1)), rf, c(0));
        // r^3 of the whole r (r2h lacks p_lo's 2 r p_lo, 2^-18 of it).
        let t3 = _mm512_mul_ps(_mm512_mul_ps(_mm512_mul_ps(rf, rf), rf), q);
        // hi is exact; each partial sum is at least as large as the next term.
        let hi = _mm512_fmadd_ps(e, _mm512_set1_ps(LN2_HI), t.1.get(j));
        let w = _mm512_add_ps(hi, r);
        let e1 = _mm512_sub_ps(r, _mm512_sub_ps(w, hi));
        let h2 = _mm512_mul_ps(r2h, _mm512_set1_ps(-0.5));
        let w2 = _mm512_add_ps(w, h2);
        let e2 = _mm512_sub_ps(h2, _mm512_sub_ps(w2, w));
        let lo = _mm512_fmadd_ps(e, _mm512_set1_ps(LN2_LO), t.2.get(j));
        let lo = _mm512_add_ps(lo, _mm512_add_ps(p_lo, _mm512_add_ps(e1, e2)));
        let lo = _mm512_add_ps(lo, _mm512_fmadd_ps(r2l, _mm512_set1_ps(-0.5), t3));
        (w2, lo)
    }

    /// [`specials8`] for 16 float32 lanes, for the lanes `outside` the kernel's range; returns the
    /// others of them (positive subnormals below it) for the scalar kernel.
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    fn specials16(x: __m512, y: __m512, outside: __mmask16) -> (__m512, __mmask16) {
        let zero = _mm512_setzero_ps();
        let inf = _mm512_set1_ps(f32::INFINITY);
        let y = _mm512_mask_mov_ps(y, _mm512_cmp_ps_mask::<_CMP_EQ_OQ>(x, inf), x);
        let y = _mm512_mask_mov_ps(
            y,
            _mm512_cmp_ps_mask::<_CMP_EQ_OQ>(x, zero),
            _mm512_set1_ps(f32::NEG_INFINITY),
        );
        let y = _mm512_mask_mov_ps(
            y,
            _mm512_cmp_ps_mask::<_CMP_LT_OQ>(x, zero),
            _mm512_set1_ps(f32::NAN),
        );
        let y = _mm512_mask_mov_ps(y, _mm512_cmp_ps_mask::<_CMP_UNORD_Q>(x, x), x);
        let finite_positive =
            _mm512_cmp_ps_mask::<_CMP_GT_OQ>(x, zero) & _mm512_cmp_ps_mask::<_CMP_LT_OQ>(x, inf);
        (y, outside & finite_positive)
    }

    /// `dst = log_b(src)` in float32 (`B` as for [`map`]); vectors with inputs outside `[lo, hi]`
    /// get zero, negatives, +inf and NaN by [`specials16`] and the positive subnormals below `lo`
    /// (`log2`, `log10`; `log`'s kernel takes all but the smallest) from `slow`, one by one
    /// (special-value selects in every vector cost 3 operations of about 25). Whether every input
    /// lies in `[lo, hi]`.
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(crate) fn map32<const B: u8>(
        src: &[f32],
        dst: &mut [f32],
        lo: f32,
        hi: f32,
        slow: impl Fn(f32) -> f32,
    ) -> bool {
        let (logc_hi, logc_lo) = match B {
            BASE_E => (&LOGC_HI32, &LOGC_LO32),
            BASE_2 => (&LOG2C_HI32, &LOG2C_LO32),
            _ => (&LOG10C_HI32, &LOG10C_LO32),
        };
        let (invc, logc_hi, logc_lo) = (
            Table32::load(&INVC32),
            Table32::load(logc_hi),
            Table32::load(logc_lo),
        );
        map16_fix(
            src,
            dst,
            lo,
            hi,
            |x| log16::<B>(x, invc, logc_hi, logc_lo),
            |x, y, outside| specials16(x, y, outside),
            slow,
        )
    }

    /// `dst = log1p(src)` in float32 arithmetic; inputs outside `[lo, hi]` (x <= -1, inf, NaN)
    /// again by `slow`; whether every input lies in `[lo, hi]`. u = 1 + x rounded and its error
    /// u_lo = x - (u - 1) (both subtractions exact for -1 < x < 2^24, Sterbenz or multiples of
    /// ulp(u); beyond, u_lo is within ulp(u) and log1p x > 16); log1p x = log(u + u_lo) by
    /// [`log16_parts_of`]: the accounting of `log`, 0.5 + 2^-6 ULP (over every float32 input: see
    /// `docs/accuracy.md`). The sign is x's (log1p(-0) = -0).
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(crate) fn map_log1p32(
        src: &[f32],
        dst: &mut [f32],
        lo: f32,
        hi: f32,
        slow: impl Fn(f32) -> f32,
    ) -> bool {
        let (invc, logc_hi, logc_lo) = tables32();
        let one = _mm512_set1_ps(1.0);
        map16_redo(
            src,
            dst,
            lo,
            hi,
            |x| {
                let u = _mm512_add_ps(x, one);
                let u_lo = _mm512_sub_ps(x, _mm512_sub_ps(u, one));
                let (w, rest) = log16_parts_of::<true>(u, u_lo, invc, logc_hi, logc_lo);
                // The sum gives +0 for x = -0.
                let y = _mm512_add_ps(w, rest);
                _mm512_or_ps(y, _mm512_and_ps(x, _mm512_set1_ps(-0.0)))
            },
            slow,
        )
    }

    /// log1p(x) = x - x^2/2 + x^3 q(x) for |x| < 1/64, q of degree 6
    /// (`scripts/sollya/log_table.sollya`, relative error 2^-63.6).
    const Q1P: [u64; 7] = [
        0x3fd5555555555555,
        0xbfd0000000000b34,
        0x3fc99999999a0865,
        0xbfc555554a2144a2,
        0x3fc249247c6a6d0b,
        0xbfc001667cd43254,
        0x3fbc752d3c076d39,
    ];

    /// log1p of eight float64 lanes. |x| >= 1/64: log(u) for u = 1 + x by [`log8_parts`], plus the
    /// rounding error of 1 + x (exact by Fast2Sum, below 2^-53 u) over u, with 1/u from `vrcp14pd`
    /// (2^-14 of a term below 2^-53 u: 2^-61 of a result at least 0.0155). |x| < 1/64 (only when a
    /// lane of the vector is there; the table path is skipped where all are): x - x^2/2 + x^3 q(x),
    /// x^2/2 exact and x - x^2/2 split by Fast2Sum; log1p(-0) = -0. Right for -1 < x <= MAX only.
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    fn log1p_f64x8(x: __m512d, invc: Table16, logc_hi: Table16, logc_lo: Table16) -> __m512d {
        let one = _mm512_set1_pd(1.0);
        let small = _mm512_cmp_pd_mask::<_CMP_LT_OQ>(_mm512_abs_pd(x), _mm512_set1_pd(1.0 / 64.0));
        let y = if small == 0xff {
            x
        } else {
            let u = _mm512_add_pd(x, one);
            // u - 1 and x - (u - 1) are exact for -1 < x < 2^53 (Sterbenz, or both multiples of
            // ulp(u) within a factor 2); beyond, u_lo / u is below 2^-52 of a result above 36.
            let u_lo = _mm512_sub_pd(x, _mm512_sub_pd(u, one));
            let (w, tail) = log8_parts::<BASE_E>(u, invc, logc_hi, logc_lo);
            let corr = _mm512_mul_pd(u_lo, _mm512_rcp14_pd(u));
            _mm512_add_pd(w, _mm512_add_pd(tail, corr))
        };
        if small == 0 {
            return y;
        }
        let c = |i: usize| _mm512_set1_pd(f64::from_bits(Q1P[i]));
        let near = series_head8(x, -0.5, |x, x2| {
            let x4 = _mm512_mul_pd(x2, x2);
            let q01 = _mm512_fmadd_pd(c(1), x, c(0));
            let q23 = _mm512_fmadd_pd(c(3), x, c(2));
            let q45 = _mm512_fmadd_pd(c(5), x, c(4));
            _mm512_fmadd_pd(
                _mm512_fmadd_pd(c(6), x2, q45),
                x4,
                _mm512_fmadd_pd(q23, x2, q01),
            )
        });
        _mm512_mask_mov_pd(y, small, near)
    }

    /// `dst = log1p(src)` in float64; inputs outside `[lo, hi]` (x <= -1, +inf, NaN) again one by
    /// one by `slow`. Whether every input lies in `[lo, hi]`.
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(crate) fn map_log1p64(
        src: &[f64],
        dst: &mut [f64],
        lo: f64,
        hi: f64,
        slow: impl Fn(f64) -> f64,
    ) -> bool {
        let (invc, logc_hi, logc_lo) = (table16(&INVC), table16(&LOGC_HI), table16(&LOGC_LO));
        map8_redo_range(
            src,
            dst,
            lo,
            hi,
            |x| log1p_f64x8(x, invc, logc_hi, logc_lo),
            slow,
        )
    }

    /// Zero, negatives, +inf and NaN in a vector of logarithms `y` of `x`, as the per-lane kernels
    /// give them.
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    fn specials8(x: __m512d, y: __m512d) -> __m512d {
        let zero = _mm512_setzero_pd();
        let inf = _mm512_set1_pd(f64::INFINITY);
        let y = _mm512_mask_mov_pd(y, _mm512_cmp_pd_mask::<_CMP_EQ_OQ>(x, inf), x);
        let y = _mm512_mask_mov_pd(
            y,
            _mm512_cmp_pd_mask::<_CMP_EQ_OQ>(x, zero),
            _mm512_set1_pd(f64::NEG_INFINITY),
        );
        let y = _mm512_mask_mov_pd(
            y,
            _mm512_cmp_pd_mask::<_CMP_LT_OQ>(x, zero),
            _mm512_set1_pd(f64::NAN),
        );
        _mm512_mask_mov_pd(y, _mm512_cmp_pd_mask::<_CMP_UNORD_Q>(x, x), x)
    }

    /// `dst = log_b(src)` (`B`: [`BASE_E`], [`BASE_2`], [`BASE_10`]) for equal-length slices;
    /// vectors with a lane outside the positive finite floats (zero, negatives, +inf, NaN) get
    /// those lanes from [`specials8`], found by the range check the status needs anyway (a
    /// `vfpclasspd` test in every vector cost 3 operations of about 45). Subnormals stay in the
    /// kernel. Whether every input is a positive finite float.
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(crate) fn map<const B: u8>(src: &[f64], dst: &mut [f64]) -> bool {
        let (logc_hi, logc_lo) = match B {
            BASE_E => (&LOGC_HI, &LOGC_LO),
            BASE_2 => (&LOG2C_HI, &LOG2C_LO),
            _ => (&LOG10C_HI, &LOG10C_LO),
        };
        let (invc, logc_hi, logc_lo) = (table16(&INVC), table16(logc_hi), table16(logc_lo));
        map8_fix(
            src,
            dst,
            f64::from_bits(1),
            f64::MAX,
            |x| log8::<B>(x, invc, logc_hi, logc_lo),
            |x, y, _| (specials8(x, y), 0),
            |x| x, // never called: the selects leave no lane
        )
    }
}

/// The float32 `log1p`, `log2` and `log10` kernels of the AVX2 level, in float32 arithmetic (8
/// lanes): the AVX-512 float32 method with 8 intervals, so that each table is one `vpermps` (`scripts/sollya/
/// log_table_f32_avx2.sollya`): x = 2^e m, m in [0.75, 1.5) from the bits, t = bits(x) -
/// bits(0.75) (e = t >> 23), the interval j from t's mantissa bits rounded at 2^-4 of the range,
/// r = m invc - 1 exact as a sum of two singles, |r| <= 0.0667, q of degree 4 (relative error
/// 2^-34), -log(invc)_hi a multiple of 2^-15 (e ln2_hi + it exact), w = hi + r split exactly and
/// every small term added to its error: one rounding dominates, 0.5 + 2^-6 ULP by that accounting
/// (every input: `docs/accuracy.md`). Positive normal inputs only; the caller redoes the others.
/// float32 `log` itself stays with the compiler's vectorisation of the table-free scalar kernel,
/// faster there (one core, 4,096 items on a Zen 4: 0.58 ns/item against 0.69 for this method);
/// `log2` and `log10` round twice as at AVX-512 (every input within 0.7753 and 0.7678 ULP; one
/// core 0.95 -> 0.69 and 1.00 -> 0.71 ns/item against the compiler's version of the scalar code).
#[cfg(target_arch = "x86_64")]
pub(crate) mod avx2 {
    use super::super::simd256::map8s_redo;
    use super::avx512::{BASE_2, IL10_32, IL2_32, LG2_32};
    use super::c32::{LN2_HI, LN2_LO};
    use std::arch::x86_64::*;

    const INVC: [u32; 8] = [
        0x3fa72f05, 0x3f9d89d9, 0x3f924925, 0x3f888889, 0x3f800000, 0x3f638e39, 0x3f4ccccd,
        0x3f360b61,
    ];
    /// -log(invc): a multiple of 2^-15 and the rest.
    const LOGC_HI: [u32; 8] = [
        0xbe88bc00, 0xbe54a000, 0xbe08c000, 0xbd843000, 0x00000000, 0x3df14000, 0x3e648000,
        0x3eae8c00,
    ];
    const LOGC_LO: [u32; 8] = [
        0xb666c27e, 0x36139ba9, 0x37623bb0, 0x36ccd4c4, 0x00000000, 0xb778b1d5, 0xb5858656,
        0x37769560,
    ];
    /// -log2(invc) and -log10(invc): multiples of 2^-15 (e + hi and e log10(2)_hi + hi exact) and
    /// the rest.
    const LOG2C_HI: [u32; 8] = [
        0xbec54400, 0xbe996000, 0xbe454800, 0xbdbeb000, 0x00000000, 0x3e2e0000, 0x3ea4d400,
        0x3efbd400,
    ];
    const LOG2C_LO: [u32; 8] = [
        0xb6bf5814, 0x3462d9df, 0x374ed581, 0xb4bb3f34, 0x00000000, 0x36511734, 0xb5f96905,
        0x35a8690e,
    ];
    const LOG10C_HI: [u32; 8] = [
        0xbded9000, 0xbdb8b000, 0xbd6d8000, 0xbce58000, 0x00000000, 0x3d518000, 0x3dc68000,
        0x3e17a000,
    ];
    const LOG10C_LO: [u32; 8] = [
        0x37614ed1, 0x363bb133, 0xb70fbf16, 0xb764547e, 0x00000000, 0x36a9ba3e, 0xb767e345,
        0xb713099f,
    ];
    /// q(r) for log1p(r) = r - r^2/2 + r^3 q(r), |r| <= 0.0675.
    const Q: [u32; 5] = [0x3eaaaaab, 0xbe7fffc9, 0x3e4cca4c, 0xbe2b6651, 0x3e148830];

    /// The three tables, one register each.
    #[derive(Clone, Copy)]
    pub(crate) struct Tables8s([__m256; 3]);

    /// Loads the [`Tables8s`] of the natural logarithm.
    #[inline]
    #[target_feature(enable = "avx2")]
    pub(crate) fn tables8s() -> Tables8s {
        tables8s_of(&LOGC_HI, &LOGC_LO)
    }

    /// [`Tables8s`] with `hi`, `lo` the -log_b(invc) of another base.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn tables8s_of(hi: &[u32; 8], lo: &[u32; 8]) -> Tables8s {
        // SAFETY: 8 readable floats each.
        unsafe {
            Tables8s([
                _mm256_loadu_ps(INVC.as_ptr().cast()),
                _mm256_loadu_ps(hi.as_ptr().cast()),
                _mm256_loadu_ps(lo.as_ptr().cast()),
            ])
        }
    }

    /// The reduction of positive normal zh (+ zl where `LOW`; zl is not read otherwise, and must be
    /// at most half an ULP of zh with 2^-e zl normal): (e, j, r, p_lo, rf, t) with zh = 2^e m, m in
    /// [0.75, 1.5) from the bits, j m's interval, m invc - 1 = r + p_lo exactly (the product split
    /// by an FMA, p_hi - 1 exact by Sterbenz), rf = r + p_lo rounded and t = s (q(rf) rf - 1/2), so
    /// that log_b(1 + rf) = s rf + rf^2 t (s = 1/ln(b), `s_hi`). With `LOW`, zl 2^-e invc joins the
    /// exact low part (exactly where invc = 1, around z = 1), and r is returned as the rounded
    /// r + low part with its exact error (Fast2Sum: |r| >= |low part| or r = 0), since zl can make
    /// the low part as large as r.
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    fn reduce8s<const LOW: bool>(
        zh: __m256,
        zl: __m256,
        t: Tables8s,
        s_hi: f32,
    ) -> (__m256, __m256i, __m256, __m256, __m256, __m256) {
        let set = _mm256_set1_ps;
        let bits = _mm256_castps_si256(zh);
        let top = _mm256_sub_epi32(bits, _mm256_set1_epi32(0x3f40_0000));
        let ei = _mm256_srai_epi32::<23>(top);
        let m = _mm256_castsi256_ps(_mm256_sub_epi32(bits, _mm256_slli_epi32::<23>(ei)));
        let j = _mm256_min_epu32(
            _mm256_srli_epi32::<20>(_mm256_add_epi32(
                _mm256_and_si256(top, _mm256_set1_epi32(0x007f_ffff)),
                _mm256_set1_epi32(1 << 19),
            )),
            _mm256_set1_epi32(7),
        );
        let ic = _mm256_permutevar8x32_ps(t.0[0], j);
        let p_hi = _mm256_mul_ps(m, ic);
        let p_lo = _mm256_fmsub_ps(m, ic, p_hi);
        let p_lo = if LOW {
            // 2^-e as a float (normal for -126 <= e <= 126).
            let inv = _mm256_castsi256_ps(_mm256_slli_epi32::<23>(_mm256_sub_epi32(
                _mm256_set1_epi32(127),
                ei,
            )));
            _mm256_fmadd_ps(_mm256_mul_ps(zl, inv), ic, p_lo)
        } else {
            p_lo
        };
        let r = _mm256_sub_ps(p_hi, set(1.0));
        let rf = _mm256_add_ps(r, p_lo);
        let c = |i: usize| set(f32::from_bits(Q[i]) * s_hi);
        let q = _mm256_fmadd_ps(c(4), rf, c(3));
        let q = _mm256_fmadd_ps(q, rf, c(2));
        let q = _mm256_fmadd_ps(q, rf, c(1));
        let q = _mm256_fmadd_ps(q, rf, c(0));
        let tq = _mm256_fmadd_ps(q, rf, set(-0.5 * s_hi));
        let e = _mm256_cvtepi32_ps(ei);
        if LOW {
            (e, j, rf, _mm256_add_ps(_mm256_sub_ps(r, rf), p_lo), rf, tq)
        } else {
            (e, j, r, p_lo, rf, tq)
        }
    }

    /// log2 or log10 (`B`) of positive normal x in two roundings, as `avx512::log_b16`: with
    /// s = 1/ln(b) = s_hi + s_lo, a = r s_hi + (r s_lo + p_lo s_hi + rf^2 t + lo) by one FMA (q's
    /// coefficients scaled by s_hi), then hi + a, hi = e log_b(2)_hi + (-log_b(invc))_hi exact.
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    fn log_b8s<const B: u8>(x: __m256, t: Tables8s) -> __m256 {
        let set = _mm256_set1_ps;
        let bits = |v: (u32, u32)| (f32::from_bits(v.0), f32::from_bits(v.1));
        let ((s_hi, s_lo), (e_hi, e_lo)) = match B {
            BASE_2 => (bits(IL2_32), (1.0, 0.0)),
            _ => (bits(IL10_32), bits(LG2_32)),
        };
        let (e, j, r, p_lo, rf, tq) = reduce8s::<false>(x, _mm256_setzero_ps(), t, s_hi);
        let sh = set(s_hi);
        let rs_lo = _mm256_fmadd_ps(p_lo, sh, _mm256_mul_ps(r, set(s_lo)));
        let lo = _mm256_fmadd_ps(e, set(e_lo), _mm256_permutevar8x32_ps(t.0[2], j));
        let small = _mm256_fmadd_ps(_mm256_mul_ps(rf, rf), tq, _mm256_add_ps(rs_lo, lo));
        let a = _mm256_fmadd_ps(r, sh, small);
        let hi = _mm256_fmadd_ps(e, set(e_hi), _mm256_permutevar8x32_ps(t.0[1], j));
        _mm256_add_ps(hi, a)
    }

    /// `dst = log2(src)` or `log10(src)` (`B`) in float32; inputs other than positive normal ones
    /// by `slow`. Whether every input is positive normal.
    #[target_feature(enable = "avx2,fma")]
    pub(crate) fn map_log_b32<const B: u8>(
        src: &[f32],
        dst: &mut [f32],
        slow: impl Fn(f32) -> f32,
    ) -> bool {
        let (hi, lo) = match B {
            BASE_2 => (&LOG2C_HI, &LOG2C_LO),
            _ => (&LOG10C_HI, &LOG10C_LO),
        };
        let t = tables8s_of(hi, lo);
        map8s_redo(
            src,
            dst,
            f32::MIN_POSITIVE,
            f32::MAX,
            |x| log_b8s::<B>(x, t),
            slow,
        )
    }

    /// log(zh + zl) (zl as in [`reduce8s`]) before its last addition: (w, small), w + small rounded
    /// once is the result.
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    pub(crate) fn log_parts8s<const LOW: bool>(
        zh: __m256,
        zl: __m256,
        t: Tables8s,
    ) -> (__m256, __m256) {
        let set = _mm256_set1_ps;
        let (e, j, rs, rs_err, rf, tq) = reduce8s::<LOW>(zh, zl, t, 1.0);
        // hi is exact; |hi| >= |rs| unless hi = 0, so Fast2Sum splits hi + rs exactly.
        let hi = _mm256_fmadd_ps(e, set(LN2_HI), _mm256_permutevar8x32_ps(t.0[1], j));
        let w = _mm256_add_ps(hi, rs);
        let err = _mm256_sub_ps(rs, _mm256_sub_ps(w, hi));
        let lo = _mm256_fmadd_ps(e, set(LN2_LO), _mm256_permutevar8x32_ps(t.0[2], j));
        let lo = _mm256_add_ps(lo, _mm256_add_ps(rs_err, err));
        (w, _mm256_fmadd_ps(_mm256_mul_ps(rf, rf), tq, lo))
    }

    /// `dst = log1p(src)` in float32 (`map_log1p32` of the AVX-512 level in 8 lanes: log(u + u_lo),
    /// u = 1 + x rounded, u_lo = x - (u - 1) exact); inputs outside `[lo, hi]` by `slow`.
    /// The sign is x's (log1p(-0) = -0).
    #[target_feature(enable = "avx2,fma")]
    pub(crate) fn map_log1p32(
        src: &[f32],
        dst: &mut [f32],
        lo: f32,
        hi: f32,
        slow: impl Fn(f32) -> f32,
    ) -> bool {
        let t = tables8s();
        let one = _mm256_set1_ps(1.0);
        map8s_redo(
            src,
            dst,
            lo,
            hi,
            |x| {
                let u = _mm256_add_ps(x, one);
                let u_lo = _mm256_sub_ps(x, _mm256_sub_ps(u, one));
                let (w, rest) = log_parts8s::<true>(u, u_lo, t);
                let y = _mm256_add_ps(w, rest);
                _mm256_or_ps(y, _mm256_and_ps(x, _mm256_set1_ps(-0.0)))
            },
            slow,
        )
    }
}

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

mod c32 {
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

    #[inline(always)]
    fn status(x: f32, _y: f32) -> u8 {
        flag(x == 0.0, DIVIDE) | flag(x < 0.0, INVALID)
    }
}

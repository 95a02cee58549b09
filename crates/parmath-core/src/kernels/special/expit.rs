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
//! (99.5% correctly rounded, `tests/accuracy.rs`); float32 correctly rounded on every sampled input
//! (every 251st bit pattern) at every level.

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
    // Results are normal from F64_TINY_X up; the clamp makes every input safe, so the fast path is
    // the same code.
    const FAST_MIN: f64 = -708.0;
    const FAST_MAX: f64 = f64::MAX;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f64) -> f64 {
        expit64::<FMA>(x)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f64) -> f64 {
        expit64::<FMA>(x)
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

    #[inline(always)]
    fn status(x: f32, _y: f32) -> u8 {
        flag(x < F32_TINY_X && x > f32::NEG_INFINITY, UNDERFLOW)
    }
}

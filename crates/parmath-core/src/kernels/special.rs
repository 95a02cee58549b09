//! Kernels of the special family: erf, erfc, expit.
//!
//! Each kernel's doc comment gives its domain, error bound and method. The helpers here (exact
//! products, exp as a double-double) are shared by the kernels.

mod erf;
mod erfc;
mod expit;

pub use erf::Erf;
pub use erfc::Erfc;
pub use expit::Expit;

use super::fma64;

/// Coefficients of exp(r) = 1 + r + r^2 q(r), |r| <= 0.3467 (`scripts/sollya/expit.sollya`; relative
/// error 2^-63.1).
const EXP_Q: [f64; 11] = [
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

/// exp(a) = 2^k (h + t) for |a| <= 1100 (NaN flows through h), with h + t in [0.7, 1.42] a
/// normalised double-double (|t| <= ulp(h) / 2) of relative error below 2^-56: a = k ln2 + r (Cody-Waite, exact r_hi as in the exp
/// kernel), exp(r) = 1 + r + r^2 q(r), and 1 + r_hi split exactly so that the rounding errors are
/// those of the small terms only.
#[inline(always)]
pub(crate) fn exp_dd<const FMA: bool>(a: f64) -> (f64, f64, i64) {
    const SHIFT: f64 = 6755399441055744.0; // 1.5 * 2^52
    const INV_LN2: f64 = f64::from_bits(0x3ff71547652b82fe);
    const LN2_HI: f64 = f64::from_bits(0x3fe62e42fee00000); // 32 significant bits: k * LN2_HI exact
    const LN2_LO: f64 = f64::from_bits(0x3dea39ef35793c76);
    let c = &EXP_Q;
    let z = fma64::<FMA>(a, INV_LN2, SHIFT);
    let kf = z - SHIFT;
    let k = (z.to_bits() as i64).wrapping_sub(SHIFT.to_bits() as i64);
    let r_hi = fma64::<FMA>(kf, -LN2_HI, a);
    let r_lo = kf * -LN2_LO;
    let r = r_hi + r_lo;
    let r2 = r * r;
    let r4 = r2 * r2;
    let a0 = fma64::<FMA>(c[1], r, c[0]);
    let a1 = fma64::<FMA>(c[3], r, c[2]);
    let a2 = fma64::<FMA>(c[5], r, c[4]);
    let a3 = fma64::<FMA>(c[7], r, c[6]);
    let a4 = fma64::<FMA>(c[9], r, c[8]);
    let b0 = fma64::<FMA>(a1, r2, a0);
    let b1 = fma64::<FMA>(a3, r2, a2);
    let b2 = fma64::<FMA>(c[10], r2, a4);
    let q = fma64::<FMA>(fma64::<FMA>(b2, r4, b1), r4, b0);
    let h = 1.0 + r_hi;
    let lo = (1.0 - h) + r_hi;
    let tail = lo + fma64::<FMA>(r2, q, r_lo);
    // Renormalised (Fast2Sum, |tail| < h), so that the low part is below half an ULP of the high.
    let hi = h + tail;
    (hi, (h - hi) + tail, k)
}

/// c - (a + b) for |a| <= |c| (c - a exact by Fast2Sum, its error added to b before the one
/// rounding): erf's 1 - erfc and erfc's 2 - erfc(-x) and (1 - x) - x p(x^2).
#[inline(always)]
pub(crate) fn sub_from(c: f64, a: f64, b: f64) -> f64 {
    let s = c - a;
    s + (((c - s) - a) - b)
}

/// 2^k for -1022 <= k <= 1023.
#[inline(always)]
pub(crate) fn pow2(k: i64) -> f64 {
    f64::from_bits((k.wrapping_add(1023) as u64) << 52)
}

/// `v * 2^k` for -2044 <= k <= 2046, in two exact steps (one rounding where the result is subnormal).
#[inline(always)]
pub(crate) fn scale(v: f64, k: i64) -> f64 {
    let k1 = k >> 1;
    v * pow2(k1) * pow2(k.wrapping_sub(k1))
}

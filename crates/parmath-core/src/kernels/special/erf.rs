//! `erf(x)`, the error function (SciPy's `scipy.special.erf`; C99's `erf`, Annex F).
//!
//! Domain: all floats. erf(+-0) = +-0, erf(+-inf) = +-1, erf(nan) = nan; odd. erf(x) rounds to +-1
//! for |x| >= 5.9215 (float32 3.9192). For |x| below about 1.97e-308 (float32 1.04e-38) the result
//! 2x/sqrt(pi) is subnormal and raises underflow (IEEE 754; SciPy's ufunc reports no error).
//!
//! Method: for |x| < 0.5, erf(x) = x + x p(x^2) with p a minimax polynomial of degree 9 whose
//! constant is a double-double (`scripts/sollya/erf.sollya`, absolute error 2^-63.5), the last step
//! one FMA (inputs below 2^-1000 are scaled by 2^60 first, so that without FMA x p(x^2) keeps its
//! bits); above, erf(x) = 1 - erfc(|x|) with the sign of x, where erfc's double-double (see
//! `erfc.rs`) is subtracted from 1 exactly (Fast2Sum) before the last rounding. Both branches are
//! evaluated and selected, so the code vectorises. (Above 0.5 a polynomial in x^2 loses too much to
//! its alternating terms: 1.06 ULP at 0.873 with the threshold at 0.875.) float32, in plain
//! float64 rounded once: x + x p(x^2) with p of degree 6 (absolute error 2^-43.2) below 0.5, else
//! 1 - erfc(|x|) by erfc's float32 table (`erfc32_core`; relative error below 2^-43, scaled by
//! erfc/erf < 0.93); both from `scripts/sollya/erf_float32.sollya`.
//!
//! Error bound: below 0.5 the relative error before the last rounding is about 2^-56 (p's
//! rounding, x p's rounding without FMA); above, erfc's error (below 2^-55) is scaled by
//! erfc/erf < 0.93: at most 0.5 + 2^-2 ULP. Measured maxima: float64 0.70 ULP (mpmath,
//! `tests/test_accuracy.py`; 0.60 over 4000 random inputs in each of 14 ranges), at most one step
//! from the correctly rounded result at every level (97% correctly rounded, `tests/accuracy.rs`);
//! float32: relative error below 2^-43 before the one rounding, so at most 0.5 + 2^-19 ULP;
//! measured 0.5000 ULP on every input at generic and avx512 (all but 2,234 correctly rounded).

use super::erfc::{erfc32_core, erfc_core};
use super::{scale, sub_from};
use crate::fpstatus::UNDERFLOW;
use crate::kernels::{flag, fma64, Unary};

/// The `erf` kernel.
#[derive(Debug)]
pub struct Erf;

/// The smallest float64 whose erf is at least the smallest normal number (below it erf underflows).
pub const F64_TINY_X: f64 = f64::from_bits(0x000e2dfc48da77b6); // 1.9719203645301425e-308
/// The smallest float32 whose erf is at least the smallest normal float32.
pub const F32_TINY_X: f32 = f32::from_bits(0x00716fe3); // 1.0417548e-38

/// p(z) = erf(sqrt z) / sqrt z - 1 for 0 <= z <= 0.2502: z^0 hi, z^0 lo, z^1..z^9
/// (`scripts/sollya/erf.sollya`).
pub(super) const P: [f64; 11] = [
    f64::from_bits(0x3fc06eba8214db69),
    f64::from_bits(0xbc6cd10e07c54ee2),
    f64::from_bits(0xbfd812746b0379e6),
    f64::from_bits(0x3fbce2f21a042aa0),
    f64::from_bits(0xbf9b82ce3127acce),
    f64::from_bits(0x3f7565bcd0953057),
    f64::from_bits(0xbf4c02db1cd9f4ee),
    f64::from_bits(0x3f1f9a2906412c24),
    f64::from_bits(0xbeef4b90fd57091a),
    f64::from_bits(0x3ebb74caf4ed44e2),
    f64::from_bits(0xbe838dfd0d5a495c),
];

/// p(z) = erf(sqrt z) / sqrt z - 1 for 0 <= z <= 0.2502, z^0..z^6 (`scripts/sollya/erf_float32.sollya`;
/// absolute error 2^-43.2).
pub(super) const P32: [f64; 7] = [
    f64::from_bits(0x3fc06eba8214cd4f),
    f64::from_bits(0xbfd812746af8a570),
    f64::from_bits(0x3fbce2f20f2638bf),
    f64::from_bits(0xbf9b82ca197f2ec5),
    f64::from_bits(0x3f7565009b1cbcc6),
    f64::from_bits(0xbf4be002b164ea36),
    f64::from_bits(0x3f1c5f312172478a),
];

/// p(z) for the float32 kernels (plain float64, Estrin's scheme).
#[inline(always)]
pub(super) fn small_p32<const FMA: bool>(z: f64) -> f64 {
    let c = &P32;
    let z2 = z * z;
    let z4 = z2 * z2;
    let a0 = fma64::<FMA>(c[1], z, c[0]);
    let a1 = fma64::<FMA>(c[3], z, c[2]);
    let a2 = fma64::<FMA>(c[5], z, c[4]);
    let b0 = fma64::<FMA>(a1, z2, a0);
    fma64::<FMA>(fma64::<FMA>(c[6], z2, a2), z4, b0)
}

/// p(z), rounded once at the end (its constant's low part is added to the small terms).
#[inline(always)]
pub(super) fn small_p<const FMA: bool>(z: f64) -> f64 {
    let z2 = z * z;
    let z4 = z2 * z2;
    // Estrin's scheme on z^1..z^9 (P[2..11]) as z q(z), q of degree 8.
    let a0 = fma64::<FMA>(P[3], z, P[2]);
    let a1 = fma64::<FMA>(P[5], z, P[4]);
    let a2 = fma64::<FMA>(P[7], z, P[6]);
    let a3 = fma64::<FMA>(P[9], z, P[8]);
    let b0 = fma64::<FMA>(a1, z2, a0);
    let b1 = fma64::<FMA>(a3, z2, a2);
    let q = fma64::<FMA>(fma64::<FMA>(P[10], z4, b1), z4, b0);
    P[0] + fma64::<FMA>(q, z, P[1])
}

#[inline(always)]
fn erf64<const FMA: bool>(x: f64) -> f64 {
    let ax = x.abs();
    // |x| < 0.5: x + x p(x^2), tiny x scaled up by 2^60 and back.
    let tiny = ax < f64::from_bits(0x0170000000000000); // 2^-1000
    let xs = if tiny {
        x * f64::from_bits(0x43b0000000000000)
    } else {
        x
    };
    let p = small_p::<FMA>(x * x);
    let ys = fma64::<FMA>(xs, p, xs);
    let small = if tiny {
        ys * f64::from_bits(0x3c30000000000000)
    } else {
        ys
    };
    // |x| >= 0.5: 1 - erfc(|x|); beyond 6.5 erfc is below 2^-63 and erf is 1.
    let xc = if ax < 0.5 { 0.5 } else { ax };
    let xc = if xc > 6.5 { 6.5 } else { xc };
    let (m, r, k) = erfc_core::<FMA>(xc);
    let big = sub_from(1.0, scale(m, k), scale(r, k));
    // A select, not copysign: with copysign the loop does not vectorise.
    let big = if x < 0.0 { -big } else { big };
    let y = if ax < 0.5 { small } else { big };
    // NaN: the input's own (quieted), whatever the lanes' operations propagated.
    if x.is_nan() {
        x + x
    } else {
        y
    }
}

#[inline(always)]
fn erf32<const FMA: bool>(x: f32) -> f32 {
    let x = f64::from(x);
    let ax = x.abs();
    // |x| < 0.5: x + x p(x^2) (no scaling: a float32 is far from float64's subnormals).
    let small = fma64::<FMA>(x, small_p32::<FMA>(x * x), x);
    // |x| >= 0.5: 1 - erfc(|x|); beyond 4 erf rounds to 1.
    let xc = if ax < 0.5 { 0.5 } else { ax };
    let xc = if xc > 4.0 { 4.0 } else { xc };
    let big = 1.0 - erfc32_core::<FMA>(xc);
    let big = if x < 0.0 { -big } else { big };
    let y = if ax < 0.5 { small } else { big };
    // NaN: the input's own (quieted).
    (if x.is_nan() { x + x } else { y }) as f32
}

impl Unary<f64> for Erf {
    // Per call the kernel loads its coefficient tables: streamed, 4,096-byte blocks instead of 512
    // took 10M items on 2 threads from 20.1 to 17.6 ms (erfc 24.8 to 22.8).
    const STREAM_BLOCK_BYTES: usize = 4096;

    // Tiny inputs of either sign underflow, so no interval is free of conditions: every block runs
    // `eval` and `status` (`eval_fast` is the same code).
    const FAST_MIN: f64 = 1.0;
    const FAST_MAX: f64 = -1.0;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f64) -> f64 {
        erf64::<FMA>(x)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f64) -> f64 {
        erf64::<FMA>(x)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f64], dst: &mut [f64]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX-512F/DQ exist.
        unsafe { avx512::map64(src, dst) };
        // The fast range is empty (tiny inputs underflow): the loop adds up every block's status.
        Some(false)
    }

    #[inline(always)]
    fn status(x: f64, _y: f64) -> u8 {
        flag(x != 0.0 && x.abs() < F64_TINY_X, UNDERFLOW)
    }
}

impl Unary<f32> for Erf {
    // Per call the kernel loads its coefficient tables: streamed, 4,096-byte blocks instead of 512
    // took 10M items on 2 threads from 20.1 to 17.6 ms (erfc 24.8 to 22.8).
    const STREAM_BLOCK_BYTES: usize = 4096;

    const FAST_MIN: f32 = 1.0;
    const FAST_MAX: f32 = -1.0;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f32) -> f32 {
        erf32::<FMA>(x)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f32) -> f32 {
        erf32::<FMA>(x)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX-512F/DQ exist.
        unsafe { avx512::map32(src, dst) };
        Some(false)
    }

    #[inline(always)]
    fn status(x: f32, _y: f32) -> u8 {
        flag(x != 0.0 && x.abs() < F32_TINY_X, UNDERFLOW)
    }
}

/// The AVX-512 level, float64: `erf64`'s method on 8 lanes with `erfc`'s vector core (coefficients
/// by `vpermpd`, exp(-x^2) from `exp`'s table); x + x p(x^2) by one FMA needs no scaling of tiny x.
/// Measured: 0.63 ULP against mpmath (`docs/accuracy.md`), 98.4% of the test inputs correctly
/// rounded; one core 9.6 -> 3.5 ns/item; float32 (below) correctly rounded on every input.
#[cfg(target_arch = "x86_64")]
mod avx512 {
    use super::super::erfc::avx512::{erfc_core8, small_p8, sub_from8, Tables};
    use crate::kernels::simd512::{in_f64_halves, map16_redo, map8_redo_range, with_sign8};
    use std::arch::x86_64::*;

    /// erf of 8 lanes, NaN excepted (the caller redoes it).
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    fn erf8(x: __m512d, tb: &Tables) -> __m512d {
        let set = _mm512_set1_pd;
        let ax = _mm512_abs_pd(x);
        let small = _mm512_cmp_pd_mask::<_CMP_LT_OQ>(ax, set(0.5));
        let out = if small == 0xff {
            x
        } else {
            // 1 - erfc(|x|) (erfc below 2^-63 beyond 6.5); x's sign.
            let xc = _mm512_min_pd(_mm512_max_pd(ax, set(0.5)), set(6.5));
            let (y, rest, k) = erfc_core8(xc, tb);
            let big = sub_from8(set(1.0), _mm512_scalef_pd(y, k), _mm512_scalef_pd(rest, k));
            with_sign8(big, x)
        };
        if small == 0 {
            return out;
        }
        let near = _mm512_fmadd_pd(x, small_p8(_mm512_mul_pd(x, x)), x);
        _mm512_mask_mov_pd(out, small, near)
    }

    /// `dst = erf(src)` in float32: the float64 kernel on each half of 16 lanes, rounded once
    /// more (the float64 result's error and that rounding: 0.5 + 2^-28 ULP; the per-lane float32
    /// kernel gathered its table's rows: 4.8 ns an item on one core); NaN again by the scalar kernel.
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(super) fn map32(src: &[f32], dst: &mut [f32]) {
        let tb = Tables::new();
        map16_redo(
            src,
            dst,
            f32::NEG_INFINITY,
            f32::INFINITY,
            |x| in_f64_halves(x, |h| erf8(h, &tb)),
            super::erf32::<true>,
        );
    }

    /// `dst = erf(src)` in float64; NaN again by the scalar kernel.
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(super) fn map64(src: &[f64], dst: &mut [f64]) {
        let tb = Tables::new();
        map8_redo_range(
            src,
            dst,
            f64::NEG_INFINITY,
            f64::INFINITY,
            |x| erf8(x, &tb),
            super::erf64::<true>,
        );
    }
}

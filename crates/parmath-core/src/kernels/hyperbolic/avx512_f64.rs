//! The float64 tanh, arcsinh, arccosh and arctanh of the AVX-512 level (8 lanes), built on the
//! double-double kernels of `expm1` (`explog::expm1_avx512::expm1_dd8`: exp's 16-entry table, or a
//! polynomial below 1/32) and `log` (`log::avx512::log_dd8_of`: log's 16-entry table, r - r^2/2 +
//! r^3/3 exact, relative error below 2^-64). No table lookups of their own and at most one
//! square root or division per vector; reciprocals by `vrcp14pd` and Newton steps. Each runs on
//! every block at that level (special values included), so a result never depends on its
//! neighbours. Double-double arithmetic as in the per-lane kernels (Dekker 1971; Muller et al.,
//! *Handbook of Floating-Point Arithmetic*, ch. 4 and 14).

use super::super::exp::avx512::{T_HI, T_LO};
use super::super::explog::expm1_avx512::expm1_dd8;
use super::super::log::avx512::{log8_parts_of, tables8, BASE_E};
use super::super::simd512::{
    fast_two_sum8, map8, map8_all, table16, two_sum8, with_sign8, Table16,
};
use super::c::{HUGE, TINY};

/// log's tables (`log::avx512::tables8`).
type LogTables = (Table16, Table16, Table16);

/// 2^-20: below it arcsinh and arctanh take the first two terms of their series.
const SMALL: f64 = 9.5367431640625e-7;
use std::arch::x86_64::*;

#[inline(always)]
fn set(v: f64) -> __m512d {
    // SAFETY: no memory access; every caller enabled AVX-512F.
    unsafe { _mm512_set1_pd(v) }
}

/// 1/d for normal d: `vrcp14pd` (2^-14) and one Newton step, relative error below 2^-27.9.
#[inline]
#[target_feature(enable = "avx512f")]
fn recip28(d: __m512d) -> __m512d {
    let y = _mm512_rcp14_pd(d);
    _mm512_fmadd_pd(y, _mm512_fnmadd_pd(d, y, set(1.0)), y)
}

/// 1/d for normal d: [`recip28`] and a second Newton step, relative error about 2^-53.
#[inline]
#[target_feature(enable = "avx512f")]
fn recip56(d: __m512d) -> __m512d {
    let y = recip28(d);
    _mm512_fmadd_pd(y, _mm512_fnmadd_pd(d, y, set(1.0)), y)
}

/// tanh of 8 lanes. a = min(|x|, 20) (tanh rounds to 1 from 19.06 on; NaN passes), u = expm1(2a)
/// = uh + ul (relative error about 2^-60), tanh a = u / (u + 2): u + 2 by TwoSum, the quotient
/// by `vdivpd` (correctly rounded, so the residual uh - t0 dh is exact by an FMA) and one
/// correction through a 2^-28 reciprocal (the correction is below 2^-52 of t). The error of u
/// reaches the result scaled by 2/(u + 2) <= 1: error 0.5 ULP plus about 2^-58 relative.
/// |x| < 2^-28 (and NaN) returns x; the sign of x.
#[inline]
#[target_feature(enable = "avx512f,avx512dq")]
fn tanh8(x: __m512d, th: Table16, tl: Table16) -> __m512d {
    let a = _mm512_abs_pd(x);
    let ac = _mm512_min_pd(set(20.0), a);
    let (uh, ul) = expm1_dd8(_mm512_add_pd(ac, ac), th, tl);
    // uh ranges over [2^-27, e^40]: TwoSum.
    let (dh, dt) = two_sum8(uh, set(2.0));
    let dl = _mm512_add_pd(dt, ul);
    let t0 = _mm512_div_pd(uh, dh);
    let rho = _mm512_fnmadd_pd(t0, dh, uh);
    let rho = _mm512_fnmadd_pd(t0, dl, _mm512_add_pd(rho, ul));
    let t = _mm512_fmadd_pd(rho, recip28(dh), t0);
    let y = _mm512_mask_mov_pd(t, _mm512_cmp_pd_mask::<_CMP_NGE_UQ>(a, set(TINY)), a);
    with_sign8(y, x)
}

/// sqrt(qh + ql) as (sh, sl) for qh > 0: `vsqrtpd`, the residual qh - sh^2 exact by an FMA, the
/// correction (residual + ql) / (2 sh) through [`recip28`], or [`recip56`] with `FINE` (arccosh,
/// whose correction reaches 2^-28.5 of the root near 1).
#[inline]
#[target_feature(enable = "avx512f")]
fn sqrt_dd8<const FINE: bool>(qh: __m512d, ql: __m512d) -> (__m512d, __m512d) {
    let sh = _mm512_sqrt_pd(qh);
    let res = _mm512_fnmadd_pd(sh, sh, qh);
    // sh = 0 (arccosh(1)) would make the reciprocal inf and its Newton step 0 * inf, an invalid
    // flag the call then had to clear (a status-register write): a tiny floor instead.
    let sh_pos = _mm512_max_pd(sh, set(1e-300));
    let inv = if FINE {
        recip56(sh_pos)
    } else {
        recip28(sh_pos)
    };
    let sl = _mm512_mul_pd(_mm512_add_pd(res, ql), _mm512_mul_pd(set(0.5), inv));
    (sh, sl)
}

/// log(zh + zl) rounded once (`log::avx512::log8_parts_of`: log's table kernel, 0.5 + 2^-7 ULP,
/// with zl in the exact low part of r), lanes above 2^28 (`huge`) taken as log(2 x) (zh = x,
/// zl = 0, bump 1: the dropped 1/(4x^2) is below 2^-58 of a result above 19).
#[inline]
#[target_feature(enable = "avx512f,avx512dq")]
fn log_of(zh: __m512d, zl: __m512d, x: __m512d, t: LogTables) -> __m512d {
    let huge = _mm512_cmp_pd_mask::<_CMP_GT_OQ>(x, set(HUGE));
    // The selects only for vectors with a huge lane.
    let (zh, zl, bump) = if huge == 0 {
        (zh, zl, _mm512_setzero_pd())
    } else {
        (
            _mm512_mask_mov_pd(zh, huge, x),
            _mm512_maskz_mov_pd(!huge, zl),
            _mm512_maskz_mov_pd(huge, set(1.0)),
        )
    };
    let (w, tail) = log8_parts_of::<BASE_E, true>(zh, zl, bump, t.0, t.1, t.2);
    _mm512_add_pd(w, tail)
}

/// arcsinh of 8 lanes: a = |x|, z = a + sqrt(a^2 + 1) as a double-double (a^2 exact by an FMA,
/// 1 + a^2 by Fast2Sum of the larger and the smaller, [`sqrt_dd8`], Fast2Sum with a), then
/// [`log_of`]; the root's correction has relative error 2^-28, at most 2^-81 absolute, below
/// 2^-8 ULP of a result above 2^-20. Below 2^-20: a - a^3/6 (the next term is below 2^-84 a);
/// inf and NaN pass. The sign of x.
#[inline]
#[target_feature(enable = "avx512f,avx512dq")]
fn asinh8(x: __m512d, t: LogTables) -> __m512d {
    let a = _mm512_abs_pd(x);
    let q = _mm512_mul_pd(a, a);
    let qe = _mm512_fmsub_pd(a, a, q);
    let (qh, qt) = fast_two_sum8(_mm512_max_pd(q, set(1.0)), _mm512_min_pd(q, set(1.0)));
    let (sh, sl) = sqrt_dd8::<false>(qh, _mm512_add_pd(qt, qe));
    let (zh, zt) = fast_two_sum8(sh, a);
    let y = log_of(zh, _mm512_add_pd(zt, sl), a, t);
    // Small, infinite and NaN lanes only for vectors that have one.
    let plain = _mm512_cmp_pd_mask::<_CMP_GE_OQ>(a, set(SMALL))
        & _mm512_cmp_pd_mask::<_CMP_LT_OQ>(a, set(f64::INFINITY));
    if plain == 0xff {
        return with_sign8(y, x);
    }
    let small = _mm512_fmadd_pd(_mm512_mul_pd(q, a), set(-1.0 / 6.0), a);
    let y = _mm512_mask_mov_pd(y, _mm512_cmp_pd_mask::<_CMP_NGE_UQ>(a, set(SMALL)), small);
    let y = _mm512_mask_mov_pd(
        y,
        _mm512_cmp_pd_mask::<_CMP_EQ_OQ>(a, set(f64::INFINITY)),
        a,
    );
    with_sign8(y, x)
}

/// arccosh of 8 lanes: z = x + sqrt(x^2 - 1) as a double-double (x^2 exact by an FMA, x^2 - 1 by
/// Fast2Sum, exact near 1 by Sterbenz, [`sqrt_dd8`], Fast2Sum with x), then [`log_of`]. Near 1 the
/// root's correction reaches 2^-28.5 of it (x^2's rounding error is at most (x - 1)^2): its
/// second-order term is below 2^-58 relative, and its reciprocal is taken to 2^-53.
/// arccosh(1) = 0, arccosh(inf) = inf, x < 1 gives NaN, NaN passes.
#[inline]
#[target_feature(enable = "avx512f,avx512dq")]
fn acosh8(x: __m512d, t: LogTables) -> __m512d {
    let q = _mm512_mul_pd(x, x);
    let qe = _mm512_fmsub_pd(x, x, q);
    let (qh, qt) = fast_two_sum8(q, set(-1.0));
    let (sh, sl) = sqrt_dd8::<true>(qh, _mm512_add_pd(qt, qe));
    let (zh, zt) = fast_two_sum8(x, sh);
    let y = log_of(zh, _mm512_add_pd(zt, sl), x, t);
    let ok = _mm512_cmp_pd_mask::<_CMP_GT_OQ>(x, set(1.0))
        & _mm512_cmp_pd_mask::<_CMP_LT_OQ>(x, set(f64::INFINITY));
    if ok == 0xff {
        return y;
    }
    let s = _mm512_mask_mov_pd(
        set(f64::NAN),
        _mm512_cmp_pd_mask::<_CMP_EQ_OQ>(x, set(1.0)),
        _mm512_setzero_pd(),
    );
    let s = _mm512_mask_mov_pd(
        s,
        _mm512_cmp_pd_mask::<_CMP_EQ_OQ>(x, set(f64::INFINITY))
            | _mm512_cmp_pd_mask::<_CMP_UNORD_Q>(x, x),
        x,
    );
    _mm512_mask_mov_pd(s, ok, y)
}

/// arctanh of 8 lanes: a = |x|, 1 + a and 1 - a as exact double-doubles (Fast2Sum), z = (1 + a) /
/// (1 - a) as zh + zl (`vdivpd`, the exact residual through [`recip28`]: 2^-81 absolute, below
/// 2^-8 ULP of a result above 2^-20), then log(z) / 2 by `log8_parts_of`. Below 2^-20: a + a^3/3 (the
/// next term is below 2^-82 a). |x| = 1 gives inf, |x| > 1 NaN, NaN passes; the sign of x.
#[inline]
#[target_feature(enable = "avx512f,avx512dq")]
fn atanh8(x: __m512d, t: LogTables) -> __m512d {
    let a = _mm512_abs_pd(x);
    let (nh, nl) = fast_two_sum8(set(1.0), a);
    let (dh, dl) = fast_two_sum8(set(1.0), _mm512_sub_pd(_mm512_setzero_pd(), a));
    let zh = _mm512_div_pd(nh, dh);
    let rho = _mm512_fnmadd_pd(zh, dh, nh);
    let rho = _mm512_fnmadd_pd(zh, dl, _mm512_add_pd(rho, nl));
    let zl = _mm512_mul_pd(rho, recip28(dh));
    // z <= 2^54: no lane is huge.
    let (w, tail) = log8_parts_of::<BASE_E, true>(zh, zl, _mm512_setzero_pd(), t.0, t.1, t.2);
    let y = _mm512_mul_pd(set(0.5), _mm512_add_pd(w, tail));
    let ok = _mm512_cmp_pd_mask::<_CMP_GE_OQ>(a, set(SMALL))
        & _mm512_cmp_pd_mask::<_CMP_LT_OQ>(a, set(1.0));
    if ok == 0xff {
        return with_sign8(y, x);
    }
    // Small and NaN lanes: the series; 1 gives inf, above 1 NaN.
    let s = _mm512_fmadd_pd(_mm512_mul_pd(_mm512_mul_pd(a, a), a), set(1.0 / 3.0), a);
    let s = _mm512_mask_mov_pd(
        s,
        _mm512_cmp_pd_mask::<_CMP_EQ_OQ>(a, set(1.0)),
        set(f64::INFINITY),
    );
    let s = _mm512_mask_mov_pd(
        s,
        _mm512_cmp_pd_mask::<_CMP_GT_OQ>(a, set(1.0)),
        set(f64::NAN),
    );
    with_sign8(_mm512_mask_mov_pd(s, ok, y), x)
}

/// `dst = tanh(src)` for equal-length float64 slices.
#[target_feature(enable = "avx512f,avx512dq")]
pub(super) fn tanh(src: &[f64], dst: &mut [f64]) {
    let (th, tl) = (table16(&T_HI), table16(&T_LO));
    map8_all(src, dst, |x| tanh8(x, th, tl));
}

/// `dst = arcsinh(src)` for equal-length float64 slices.
#[target_feature(enable = "avx512f,avx512dq")]
pub(super) fn arcsinh(src: &[f64], dst: &mut [f64]) {
    let t = tables8();
    map8_all(src, dst, |x| asinh8(x, t));
}

/// `dst = arccosh(src)` for equal-length float64 slices.
#[target_feature(enable = "avx512f,avx512dq")]
pub(super) fn arccosh(src: &[f64], dst: &mut [f64], lo: f64, hi: f64) -> bool {
    let t = tables8();
    map8(src, dst, lo, hi, |x| acosh8(x, t))
}

/// `dst = arctanh(src)` for equal-length float64 slices.
#[target_feature(enable = "avx512f,avx512dq")]
pub(super) fn arctanh(src: &[f64], dst: &mut [f64], lo: f64, hi: f64) -> bool {
    let t = tables8();
    map8(src, dst, lo, hi, |x| atanh8(x, t))
}

#[cfg(test)]
mod tests {
    use crate::fpstatus;

    /// arccosh(1) = 0 is exact: the float64 and float32 kernels must leave no flag behind (a
    /// spurious one costs each call a status-register write).
    #[test]
    fn arccosh_of_one_raises_nothing() {
        if !std::arch::is_x86_feature_detected!("avx512dq") {
            return;
        }
        let (xs, xs32) = ([1.0f64; 11], [1.0f32; 19]);
        let (mut ys, mut ys32) = ([f64::NAN; 11], [f32::NAN; 19]);
        fpstatus::clear();
        // SAFETY: AVX-512F and DQ checked above; equal lengths.
        let in_range = unsafe { super::arccosh(&xs, &mut ys, 1.0, f64::MAX) };
        assert_eq!(fpstatus::current(), 0);
        // SAFETY: as above.
        let in_range32 = unsafe { super::super::avx512::arccosh(&xs32, &mut ys32, 1.0, f32::MAX) };
        assert_eq!(fpstatus::current(), 0);
        assert!(in_range && in_range32);
        assert!(ys.iter().all(|&y| y == 0.0 && y.is_sign_positive()));
        assert!(ys32.iter().all(|&y| y == 0.0 && y.is_sign_positive()));
    }
}

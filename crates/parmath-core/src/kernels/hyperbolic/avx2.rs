//! Hand-vectorised float32 kernels of the AVX2 level, in float32 arithmetic (8 lanes).

use super::super::exp::avx2::{exp_parts8s, tables8s, Table8s};
use super::super::log::avx2::{log_parts8s, tables8s as log_tables8s, Tables8s};
use super::super::simd256::{map4d_redo_where, map8s_redo, map8s_redo_where};
use std::arch::x86_64::*;

/// a + a^3 p(a^2), p's coefficients (float32 bits, lowest first) by Horner's rule: the series
/// near 0 of `tanh`, `arctanh` and `arcsinh`.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn odd_series8s(a: __m256, p: &[u32]) -> __m256 {
    let a2 = _mm256_mul_ps(a, a);
    let c = |i: usize| _mm256_set1_ps(f32::from_bits(p[i]));
    let mut q = c(p.len() - 1);
    for i in (0..p.len() - 1).rev() {
        q = _mm256_fmadd_ps(q, a2, c(i));
    }
    _mm256_fmadd_ps(_mm256_mul_ps(a, a2), q, a)
}

/// tanh(a) = a + a^3 p(a^2) for a < 1/2 (`scripts/sollya/tanh_f32.sollya`, part 3; relative error
/// 2^-31).
const TANH_P: [u32; 5] = [0xbeaaaaaa, 0x3e08880d, 0xbd5cdde1, 0x3caf69bf, 0xbbe02547];

/// tanh of 8 lanes of finite x.
///
/// a = |x| clamped to 9.125 (tanh rounds to 1 from 9.0109 on). a < 1/2: a + a^3 p(a^2), one
/// rounding of a sum whose second term is below a/12: 0.5 + 2^-4 ULP. Otherwise tanh a =
/// 1 - 2/(E + 1) with E = e^(2a) = h + l (`exp_parts8s`, 2^-28): E + 1 = d_hi + d_lo (Fast2Sum,
/// h >= 1), s = 2/d as q0 (`vdivps`) plus its exact residual over `vrcpps` (2^-35 left), and
/// 1 - q0 split exactly (Fast2Sum) before the rest is added: s <= 0.54, so its error reaches the
/// result at most 1.2 times, and the bound is 0.5 + 2^-4 ULP there too. The sign of x.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn tanh8s(x: __m256, t: Table8s) -> __m256 {
    let set = _mm256_set1_ps;
    let one = set(1.0);
    let sign = set(-0.0);
    let a = _mm256_andnot_ps(sign, x);
    let near = odd_series8s(a, &TANH_P);
    // Elsewhere.
    let ac = _mm256_min_ps(set(9.125), a);
    let (h, l) = exp_parts8s(_mm256_add_ps(ac, ac), t);
    let d_hi = _mm256_add_ps(h, one);
    let d_lo = _mm256_add_ps(_mm256_add_ps(_mm256_sub_ps(h, d_hi), one), l);
    let two = set(2.0);
    let q0 = _mm256_div_ps(two, d_hi);
    let res = _mm256_fnmadd_ps(q0, d_hi, two);
    let res = _mm256_fnmadd_ps(q0, d_lo, res);
    let s_lo = _mm256_mul_ps(res, _mm256_rcp_ps(d_hi));
    let w = _mm256_sub_ps(one, q0);
    let err = _mm256_sub_ps(_mm256_sub_ps(one, w), q0);
    let far = _mm256_add_ps(w, _mm256_sub_ps(err, s_lo));
    let y = _mm256_blendv_ps(far, near, _mm256_cmp_ps::<_CMP_LT_OQ>(a, set(0.5)));
    _mm256_or_ps(y, _mm256_and_ps(x, sign))
}

/// `dst = tanh(src)` for equal-length slices; infinities and NaN by `slow`, one by one.
#[target_feature(enable = "avx2,fma")]
pub(super) fn tanh(src: &[f32], dst: &mut [f32], slow: impl Fn(f32) -> f32) {
    let t = tables8s();
    map8s_redo(src, dst, f32::MIN, f32::MAX, |x| tanh8s(x, t), slow);
}

/// arctanh(a) = a + a^3 p(a^2) for a < 2^-4 (`scripts/sollya/invhyp_f32.sollya`, part 1).
const ATANH_P: [u32; 3] = [0x3eaaaaab, 0x3e4cc9f0, 0x3e150b4a];

/// arctanh of 8 lanes of |x| < 1.
///
/// a = |x|. a < 2^-4: a + a^3 p(a^2) (relative error 2^-37). Otherwise the AVX-512 kernel's
/// log(q)/2, q = (1 + a)/(1 - a): 1 + a = uh + ul and 1 - a = vh + vl exactly (Fast2Sum),
/// R = 1/vh to 2^-11.4 (`vrcpps`), w = uh R and log q = log(w) + wl/w - log(1 + eps) with
/// wl = uh R - w + ul R (fused) and eps = vh R - 1 + vl R (|eps| <= 2^-11.4): the corrections,
/// below 2^-10, to 2^-30 of themselves (wl/w through a second `vrcpps`, log(1 + eps) as
/// eps - eps^2/2 + eps^3/3) join the small part of `log_parts8s` (log(w) for w >= 1: 0.5 + 2^-6
/// ULP), one rounding, then the exact halving. The sign of x.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn atanh8s(x: __m256, t: Tables8s) -> __m256 {
    let set = _mm256_set1_ps;
    let one = set(1.0);
    let sign = set(-0.0);
    let a = _mm256_andnot_ps(sign, x);
    let uh = _mm256_add_ps(one, a);
    let ul = _mm256_sub_ps(a, _mm256_sub_ps(uh, one));
    let vh = _mm256_sub_ps(one, a);
    let vl = _mm256_sub_ps(_mm256_sub_ps(one, vh), a);
    let r = _mm256_rcp_ps(vh);
    let eps = _mm256_fmadd_ps(vl, r, _mm256_fmsub_ps(vh, r, one));
    let w = _mm256_mul_ps(uh, r);
    let wl = _mm256_fmadd_ps(ul, r, _mm256_fmsub_ps(uh, r, w));
    // log(1 + eps) = eps - eps^2/2 + eps^3/3 (eps^4/4 below 2^-47).
    let l1e = _mm256_fmadd_ps(
        _mm256_mul_ps(eps, eps),
        _mm256_fmadd_ps(eps, set(1.0 / 3.0), set(-0.5)),
        eps,
    );
    let corr = _mm256_fmsub_ps(wl, _mm256_rcp_ps(w), l1e);
    let (lw, small) = log_parts8s::<false>(w, _mm256_setzero_ps(), t);
    let big = _mm256_mul_ps(set(0.5), _mm256_add_ps(lw, _mm256_add_ps(small, corr)));
    let near = odd_series8s(a, &ATANH_P);
    let y = _mm256_blendv_ps(big, near, _mm256_cmp_ps::<_CMP_LT_OQ>(a, set(0.0625)));
    _mm256_or_ps(y, _mm256_and_ps(x, sign))
}

/// `dst = arctanh(src)` for equal-length slices; inputs outside `[lo, hi]` (|x| >= 1, NaN) by
/// `slow`, one by one. Whether every input lies in `[lo, hi]`.
#[target_feature(enable = "avx2,fma")]
pub(super) fn arctanh(
    src: &[f32],
    dst: &mut [f32],
    lo: f32,
    hi: f32,
    slow: impl Fn(f32) -> f32,
) -> bool {
    let t = log_tables8s();
    map8s_redo(src, dst, lo, hi, |x| atanh8s(x, t), slow)
}

/// arcsinh(a) = a + a^3 p(a^2) for a < 2^-4 (`scripts/sollya/invhyp_f32.sollya`, part 1).
const ASINH_P: [u32; 3] = [0xbe2aaaab, 0x3d999c29, 0xbd3a71a4];

/// sqrt(gh + gl) = s + sl for gh >= 0 and |gl| <= 2^-23 gh: s by `vsqrtps` (correctly rounded),
/// sl = (gh - s^2 + gl) / (2s), the residual exact by an FMA and the division by `vrcpps`
/// (2^-11.4 of a term below ulp(s)); sl = 0 where gh = 0.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn sqrt_pair8s(gh: __m256, gl: __m256) -> (__m256, __m256) {
    let s = _mm256_sqrt_ps(gh);
    let d = _mm256_add_ps(_mm256_fnmadd_ps(s, s, gh), gl);
    let half_inv = _mm256_mul_ps(
        _mm256_set1_ps(0.5),
        _mm256_rcp_ps(_mm256_max_ps(s, _mm256_set1_ps(f32::MIN_POSITIVE))),
    );
    (s, _mm256_mul_ps(d, half_inv))
}

/// log(zh + zl) for zh = b + s, b >= s >= 0 (Fast2Sum; zl its error plus sl), or log(2b) where
/// `huge` (from 2^13 on, where the dropped 1/(4b^2) is below 2^-28 of the result; b <= 2^126):
/// `log_parts8s` with zl, rounded once.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn log_sum8s(b: __m256, s: __m256, sl: __m256, huge: __m256, t: Tables8s) -> __m256 {
    let zh = _mm256_add_ps(b, s);
    let zl = _mm256_add_ps(_mm256_sub_ps(s, _mm256_sub_ps(zh, b)), sl);
    let zh = _mm256_blendv_ps(zh, _mm256_add_ps(b, b), huge);
    let zl = _mm256_andnot_ps(huge, zl);
    let (w, small) = log_parts8s::<true>(zh, zl, t);
    _mm256_add_ps(w, small)
}

/// arcsinh of 8 lanes, |x| <= 2^126.
///
/// a = |x|. a < 2^-4: a + a^3 p(a^2) (relative error 2^-38). Otherwise log(a + sqrt(a^2 + 1))
/// with a^2 exact as a pair (an FMA), a^2 + 1 = gh + gl (Fast2Sum of the larger and the smaller),
/// its square root as a pair (`sqrt_pair8s`) and z = s + a as a pair (`log_sum8s`; s > a), whose
/// logarithm is `log_parts8s`'s with the low part: 0.5 + 2^-6 ULP. From 2^13 on, log(2a). The
/// sign of x.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn asinh8s(x: __m256, t: Tables8s) -> __m256 {
    let set = _mm256_set1_ps;
    let one = set(1.0);
    let sign = set(-0.0);
    let a = _mm256_andnot_ps(sign, x);
    let a2 = _mm256_mul_ps(a, a);
    let a2l = _mm256_fmsub_ps(a, a, a2);
    let (hi, lo) = (_mm256_max_ps(a2, one), _mm256_min_ps(a2, one));
    let gh = _mm256_add_ps(hi, lo);
    let gl = _mm256_add_ps(_mm256_sub_ps(lo, _mm256_sub_ps(gh, hi)), a2l);
    let (s, sl) = sqrt_pair8s(gh, gl);
    let huge = _mm256_cmp_ps::<_CMP_GE_OQ>(a, set(8192.0));
    // b = s >= a, but a itself where huge (a^2 may overflow there).
    let big = log_sum8s(_mm256_blendv_ps(s, a, huge), a, sl, huge, t);
    let near = odd_series8s(a, &ASINH_P);
    let y = _mm256_blendv_ps(big, near, _mm256_cmp_ps::<_CMP_LT_OQ>(a, set(0.0625)));
    _mm256_or_ps(y, _mm256_and_ps(x, sign))
}

/// arccosh of 8 lanes, 1 <= x <= 2^126.
///
/// log(x + sqrt(x^2 - 1)) with x^2 - 1 = (x - 1)(x + 1) (x - 1 exact below 2^13, x + 1 a pair by
/// Fast2Sum, the product a pair by an FMA), its square root as a pair (`sqrt_pair8s`) and
/// z = x + s as a pair (`log_sum8s`; near x = 1, z - 1 is `log_parts8s`'s exact r); from 2^13 on,
/// log(2x). x = 1 gives +0.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn acosh8s(x: __m256, t: Tables8s) -> __m256 {
    let one = _mm256_set1_ps(1.0);
    let xm = _mm256_sub_ps(x, one);
    let xp = _mm256_add_ps(x, one);
    let xpl = _mm256_sub_ps(one, _mm256_sub_ps(xp, x));
    let gh = _mm256_mul_ps(xm, xp);
    let gl = _mm256_fmadd_ps(xm, xpl, _mm256_fmsub_ps(xm, xp, gh));
    let (s, sl) = sqrt_pair8s(gh, gl);
    let huge = _mm256_cmp_ps::<_CMP_GE_OQ>(x, _mm256_set1_ps(8192.0));
    log_sum8s(x, s, sl, huge, t)
}

/// `dst = arcsinh(src)` for equal-length slices; |x| above 2^126, inf and NaN by `slow`.
#[target_feature(enable = "avx2,fma")]
pub(super) fn arcsinh(src: &[f32], dst: &mut [f32], slow: impl Fn(f32) -> f32) {
    let t = log_tables8s();
    map8s_redo_where::<true>(
        src,
        dst,
        0.0,
        f32::from_bits(0x7e80_0000),
        |x| asinh8s(x, t),
        slow,
    );
}

/// `dst = arccosh(src)` for equal-length slices; inputs outside `[lo, min(hi, 2^126)]` by
/// `slow`. Whether every input lies in that range.
#[target_feature(enable = "avx2,fma")]
pub(super) fn arccosh(
    src: &[f32],
    dst: &mut [f32],
    lo: f32,
    hi: f32,
    slow: impl Fn(f32) -> f32,
) -> bool {
    let t = log_tables8s();
    map8s_redo(
        src,
        dst,
        lo,
        hi.min(f32::from_bits(0x7e80_0000)),
        |x| acosh8s(x, t),
        slow,
    )
}

/// `avx512::exp_pm8` in 4 lanes: e^a/2 = 2^k (ah + al) and e^-a/2 = 2^k (bh + bl) for
/// 0 <= a <= 710, the halved table (`th`, `tl`: 16 doubles each) read by gathers; bh, bl scaled
/// by 2^(k' - k) built from its bits, 0 where that is below 2^-1022 (a above 354, where e^-a is
/// far below the result's ULP). Returns (ah, al, bh, bl, 2^(k-1)).
#[inline]
#[target_feature(enable = "avx2,fma")]
fn exp_pm4d(
    a: __m256d,
    th: &[f64; 16],
    tl: &[f64; 16],
) -> (__m256d, __m256d, __m256d, __m256d, __m256d) {
    use super::c::{INV_LN2, LN2_HI, LN2_LO, SHIFT};
    use crate::kernels::exp::avx512::C;
    let c = |v: f64| _mm256_set1_pd(v);
    let z = _mm256_fmadd_pd(a, c(INV_LN2 * 16.0), c(SHIFT));
    let nf = _mm256_sub_pd(z, c(SHIFT));
    let n = _mm256_sub_epi64(
        _mm256_castpd_si256(z),
        _mm256_set1_epi64x(SHIFT.to_bits() as i64),
    );
    let r_hi = _mm256_fnmadd_pd(nf, c(LN2_HI / 16.0), a);
    let r_lo = _mm256_mul_pd(nf, c(-LN2_LO / 16.0));
    let r = _mm256_add_pd(r_hi, r_lo);
    // r's rounding error (Fast2Sum: |r_lo| < |r_hi| unless both are tiny).
    let d = _mm256_add_pd(_mm256_sub_pd(r_hi, r), r_lo);
    let nm = _mm256_sub_epi64(_mm256_setzero_si256(), n);
    let fifteen = _mm256_set1_epi64x(15);
    let (j, jm) = (_mm256_and_si256(n, fifteen), _mm256_and_si256(nm, fifteen));
    // SAFETY: indices in 0..16, inside the tables.
    let (ah, al, bh, bl) = unsafe {
        (
            _mm256_i64gather_pd::<8>(th.as_ptr(), j),
            _mm256_i64gather_pd::<8>(tl.as_ptr(), j),
            _mm256_i64gather_pd::<8>(th.as_ptr(), jm),
            _mm256_i64gather_pd::<8>(tl.as_ptr(), jm),
        )
    };
    let w = _mm256_mul_pd(r, r);
    let e = _mm256_mul_pd(
        w,
        _mm256_fmadd_pd(_mm256_fmadd_pd(c(C[4]), w, c(C[2])), w, c(C[0])),
    );
    let o = _mm256_fmadd_pd(
        _mm256_mul_pd(r, w),
        _mm256_fmadd_pd(_mm256_fmadd_pd(c(C[5]), w, c(C[3])), w, c(C[1])),
        r,
    );
    let pp = _mm256_add_pd(_mm256_add_pd(e, o), d);
    let pm = _mm256_sub_pd(_mm256_sub_pd(e, o), d);
    let al = _mm256_fmadd_pd(ah, pp, al);
    let bl = _mm256_fmadd_pd(bh, pm, bl);
    // k = n >> 4 (n >= 0); k' - k = ((nm + 16 2048) >> 4) - 2048 - k, as 2^(k' - k) with the
    // biased exponent clamped at 0 (32-bit max: the values are small, their high halves 0 or -1).
    let k = _mm256_srli_epi64::<4>(n);
    let km = _mm256_sub_epi64(
        _mm256_srli_epi64::<4>(_mm256_add_epi64(nm, _mm256_set1_epi64x(16 * 2048))),
        _mm256_set1_epi64x(2048),
    );
    let dk = _mm256_add_epi64(_mm256_sub_epi64(km, k), _mm256_set1_epi64x(1023));
    let dk = _mm256_max_epi32(dk, _mm256_setzero_si256());
    let sb = _mm256_castsi256_pd(_mm256_slli_epi64::<52>(dk));
    let half_scale = _mm256_castsi256_pd(_mm256_slli_epi64::<52>(_mm256_add_epi64(
        k,
        _mm256_set1_epi64x(1022),
    )));
    (
        ah,
        al,
        _mm256_mul_pd(bh, sb),
        _mm256_mul_pd(bl, sb),
        half_scale,
    )
}

/// The exp kernel's table of 2^(j/16), halved (exact): high and low parts.
fn half_exp_table() -> ([f64; 16], [f64; 16]) {
    use crate::kernels::exp::avx512::{T_HI, T_LO};
    (
        T_HI.map(|b| f64::from_bits(b) * 0.5),
        T_LO.map(|b| f64::from_bits(b) * 0.5),
    )
}

/// sinh of 4 float64 lanes, |x| <= 710: `avx512::sinh8` (the series below 0.3465 only for
/// vectors with such a lane), the result scaled by 2^(k-1) and then 2 (2^k alone may overflow).
#[inline]
#[target_feature(enable = "avx2,fma")]
fn sinh4d(x: __m256d, th: &[f64; 16], tl: &[f64; 16]) -> __m256d {
    use super::c::SINH_P;
    let c = |v: f64| _mm256_set1_pd(v);
    let sign = c(-0.0);
    let a = _mm256_andnot_pd(sign, x);
    let (ah, al, bh, bl, half) = exp_pm4d(a, th, tl);
    let h = _mm256_sub_pd(ah, bh);
    let err = _mm256_sub_pd(_mm256_sub_pd(ah, h), bh);
    let s = _mm256_add_pd(h, _mm256_add_pd(err, _mm256_sub_pd(al, bl)));
    let big = _mm256_mul_pd(_mm256_mul_pd(s, half), c(2.0));
    let is_small = _mm256_cmp_pd::<_CMP_LT_OQ>(a, c(0.3465));
    let y = if _mm256_movemask_pd(is_small) == 0 {
        big
    } else {
        let w2 = _mm256_mul_pd(a, a);
        let p = &SINH_P;
        let q = _mm256_fmadd_pd(c(p[5]), w2, c(p[4]));
        let q = _mm256_fmadd_pd(q, w2, c(p[3]));
        let q = _mm256_fmadd_pd(q, w2, c(p[2]));
        let q = _mm256_fmadd_pd(q, w2, c(p[1]));
        let q = _mm256_fmadd_pd(q, w2, c(p[0]));
        let near = _mm256_fmadd_pd(_mm256_mul_pd(a, w2), q, a);
        _mm256_blendv_pd(big, near, is_small)
    };
    _mm256_or_pd(y, _mm256_and_pd(x, sign))
}

/// cosh of 4 float64 lanes, |x| <= 710: `avx512::cosh8`, scaled as `sinh4d`.
#[inline]
#[target_feature(enable = "avx2,fma")]
fn cosh4d(x: __m256d, th: &[f64; 16], tl: &[f64; 16]) -> __m256d {
    let a = _mm256_andnot_pd(_mm256_set1_pd(-0.0), x);
    let (ah, al, bh, bl, half) = exp_pm4d(a, th, tl);
    let h = _mm256_add_pd(ah, bh);
    let err = _mm256_sub_pd(bh, _mm256_sub_pd(h, ah));
    let s = _mm256_add_pd(h, _mm256_add_pd(err, _mm256_add_pd(al, bl)));
    _mm256_mul_pd(_mm256_mul_pd(s, half), _mm256_set1_pd(2.0))
}

/// `dst = sinh(src)` for equal-length float64 slices; lanes outside `[lo, hi]` (overflow, inf,
/// NaN) again by the scalar kernel.
#[target_feature(enable = "avx2,fma")]
pub(super) fn sinh_f64(src: &[f64], dst: &mut [f64], lo: f64, hi: f64) -> bool {
    let (th, tl) = half_exp_table();
    map4d_redo_where::<false>(
        src,
        dst,
        lo,
        hi,
        |x| sinh4d(x, &th, &tl),
        super::sinh64::<true>,
    )
}

/// `dst = cosh(src)` for equal-length float64 slices; lanes outside `[lo, hi]` as in
/// [`sinh_f64`].
#[target_feature(enable = "avx2,fma")]
pub(super) fn cosh_f64(src: &[f64], dst: &mut [f64], lo: f64, hi: f64) -> bool {
    let (th, tl) = half_exp_table();
    map4d_redo_where::<false>(
        src,
        dst,
        lo,
        hi,
        |x| cosh4d(x, &th, &tl),
        super::cosh64::<true>,
    )
}

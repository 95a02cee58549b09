//! The loop shared by the hand-vectorised kernels of the AVX-512 level
//! ([`Unary::map_avx512`](super::Unary::map_avx512)): a kernel of 8 (float64) or 16 (float32) lanes
//! over a block, the tail under a mask, noting on the way whether every input lies in the kernel's
//! fast range, so that the caller needs no second pass over the block to decide on status checks.

use std::arch::x86_64::*;

/// A 16-entry float64 table as the two registers `vpermt2pd` reads (entry `idx & 15` of each lane).
pub(crate) type Table16 = (__m512d, __m512d);

/// Loads a [`Table16`] from the entries' bits.
#[inline]
#[target_feature(enable = "avx512f")]
pub(crate) fn table16(bits: &[u64; 16]) -> Table16 {
    // SAFETY: each half is 8 readable u64 values.
    unsafe {
        (
            _mm512_loadu_pd(bits.as_ptr().cast()),
            _mm512_loadu_pd(bits[8..].as_ptr().cast()),
        )
    }
}

/// Entry `idx & 15` of a [`table16`], lane by lane.
#[inline]
#[target_feature(enable = "avx512f")]
pub(crate) fn lookup16(table: Table16, idx: __m512i) -> __m512d {
    _mm512_permutex2var_pd(table.0, idx, table.1)
}

/// A 32-entry column as the two registers `vpermt2ps` reads.
#[derive(Clone, Copy)]
pub(crate) struct Table32(__m512, __m512);

impl Table32 {
    #[inline]
    #[target_feature(enable = "avx512f")]
    pub(crate) fn load(col: &[u32; 32]) -> Table32 {
        // SAFETY: each half is 16 readable u32 values.
        unsafe {
            Table32(
                _mm512_loadu_ps(col.as_ptr().cast()),
                _mm512_loadu_ps(col[16..].as_ptr().cast()),
            )
        }
    }

    /// Entry `idx & 31` of each lane.
    #[inline]
    #[target_feature(enable = "avx512f")]
    pub(crate) fn get(self, idx: __m512i) -> __m512 {
        _mm512_permutex2var_ps(self.0, idx, self.1)
    }
}

/// The first lanes of `mask` (at least one) loaded from `p`, the others filled with the first
/// element. A lane past the end then computes what a real lane does and raises no flag of its own:
/// a zero there (log's, or a kernel's internal 1/x) set MXCSR flags, which the caller must then
/// rewrite, and that write stalls NumPy's next read of them (about 150 ns a short call).
///
/// # Safety
/// The lanes of `mask` are readable at `p`; `mask` is not empty; AVX-512F.
#[inline(always)]
pub(crate) unsafe fn load_tail8(mask: __mmask8, p: *const f64) -> __m512d {
    // SAFETY: as the caller promises.
    unsafe { _mm512_mask_loadu_pd(_mm512_set1_pd(*p), mask, p) }
}

/// As [`load_tail8`], 16 float32 lanes.
///
/// # Safety
/// As [`load_tail8`].
#[inline(always)]
pub(crate) unsafe fn load_tail16(mask: __mmask16, p: *const f32) -> __m512 {
    // SAFETY: as the caller promises.
    unsafe { _mm512_mask_loadu_ps(_mm512_set1_ps(*p), mask, p) }
}

/// Runs `f` over 8 float64 lanes at a time; returns whether every input lies in `[lo, hi]` (false
/// for NaN). [`map8_redo`] with every lane computed by `f`.
#[inline(always)]
pub(crate) fn map8(
    src: &[f64],
    dst: &mut [f64],
    lo: f64,
    hi: f64,
    f: impl Fn(__m512d) -> __m512d,
) -> bool {
    // `slow` never runs: no lane is left out.
    map8_redo(src, dst, lo, hi, |x| (f(x), 0xff), |v| v)
}

/// As [`map8`], 16 float32 lanes at a time.
#[inline(always)]
pub(crate) fn map16(
    src: &[f32],
    dst: &mut [f32],
    lo: f32,
    hi: f32,
    f: impl Fn(__m512) -> __m512,
) -> bool {
    // SAFETY: as in `map8`.
    unsafe {
        let (lo, hi) = (_mm512_set1_ps(lo), _mm512_set1_ps(hi));
        let mut outside: __mmask16 = 0;
        let mut chunks = src.chunks_exact(16).zip(dst.chunks_exact_mut(16));
        for (s, d) in &mut chunks {
            let x = _mm512_loadu_ps(s.as_ptr());
            outside |=
                _mm512_cmp_ps_mask::<_CMP_NGE_UQ>(x, lo) | _mm512_cmp_ps_mask::<_CMP_NLE_UQ>(x, hi);
            _mm512_storeu_ps(d.as_mut_ptr(), f(x));
        }
        let done = src.len() / 16 * 16;
        let (s, d) = (&src[done..], &mut dst[done..]);
        if !s.is_empty() {
            let mask: __mmask16 = ((1u32 << s.len()) - 1) as u16;
            let x = load_tail16(mask, s.as_ptr());
            outside |= mask
                & (_mm512_cmp_ps_mask::<_CMP_NGE_UQ>(x, lo)
                    | _mm512_cmp_ps_mask::<_CMP_NLE_UQ>(x, hi));
            _mm512_mask_storeu_ps(d.as_mut_ptr(), mask, f(x));
        }
        outside == 0
    }
}

/// Calls `g(base + i)` for each set bit i of `lanes`: the lanes a vector loop leaves to a scalar
/// kernel.
#[inline(always)]
fn each_lane(mut lanes: u32, base: usize, mut g: impl FnMut(usize)) {
    while lanes != 0 {
        g(base + lanes.trailing_zeros() as usize);
        lanes &= lanes - 1;
    }
}

/// As [`map8`], but where a vector has lanes outside `[lo, hi]` (NaN included), `fix(x, y,
/// outside)` then corrects them and returns those it leaves to `slow`, which computes them one by
/// one; so `f` need only be right inside the range. A block with such lanes is read a second time
/// (vectors are tested there, not in the main loop, which stays as fast as `map8`'s), and inputs
/// mostly outside stay in vector code (one by one, float64 `log` of inputs half negative took 2.2
/// ns an item instead of 1.3).
#[inline(always)]
pub(crate) fn map8_fix(
    src: &[f64],
    dst: &mut [f64],
    lo: f64,
    hi: f64,
    f: impl Fn(__m512d) -> __m512d,
    fix: impl Fn(__m512d, __m512d, __mmask8) -> (__m512d, __mmask8),
    slow: impl Fn(f64) -> f64,
) -> bool {
    let in_range = map8(src, dst, lo, hi, f);
    if !in_range {
        let src = &src[..dst.len()];
        // SAFETY: as in `map8`.
        unsafe {
            let (lo, hi) = (_mm512_set1_pd(lo), _mm512_set1_pd(hi));
            for base in (0..src.len()).step_by(8) {
                let mask: __mmask8 = if src.len() - base >= 8 {
                    0xff
                } else {
                    ((1u16 << (src.len() - base)) - 1) as u8
                };
                let x = load_tail8(mask, src.as_ptr().add(base));
                let o = mask
                    & (_mm512_cmp_pd_mask::<_CMP_NGE_UQ>(x, lo)
                        | _mm512_cmp_pd_mask::<_CMP_NLE_UQ>(x, hi));
                if o != 0 {
                    let y = _mm512_mask_loadu_pd(x, mask, dst.as_ptr().add(base));
                    let (y, left) = fix(x, y, o);
                    _mm512_mask_storeu_pd(dst.as_mut_ptr().add(base), mask, y);
                    each_lane((left & mask).into(), base, |k| dst[k] = slow(src[k]));
                }
            }
        }
    }
    in_range
}

/// As [`map8_fix`], 16 float32 lanes at a time.
#[inline(always)]
pub(crate) fn map16_fix(
    src: &[f32],
    dst: &mut [f32],
    lo: f32,
    hi: f32,
    f: impl Fn(__m512) -> __m512,
    fix: impl Fn(__m512, __m512, __mmask16) -> (__m512, __mmask16),
    slow: impl Fn(f32) -> f32,
) -> bool {
    let in_range = map16(src, dst, lo, hi, f);
    if !in_range {
        let src = &src[..dst.len()];
        // SAFETY: as in `map16`.
        unsafe {
            let (lo, hi) = (_mm512_set1_ps(lo), _mm512_set1_ps(hi));
            for base in (0..src.len()).step_by(16) {
                let mask: __mmask16 = if src.len() - base >= 16 {
                    0xffff
                } else {
                    ((1u32 << (src.len() - base)) - 1) as u16
                };
                let x = load_tail16(mask, src.as_ptr().add(base));
                let o = mask
                    & (_mm512_cmp_ps_mask::<_CMP_NGE_UQ>(x, lo)
                        | _mm512_cmp_ps_mask::<_CMP_NLE_UQ>(x, hi));
                if o != 0 {
                    let y = _mm512_mask_loadu_ps(x, mask, dst.as_ptr().add(base));
                    let (y, left) = fix(x, y, o);
                    _mm512_mask_storeu_ps(dst.as_mut_ptr().add(base), mask, y);
                    each_lane((left & mask).into(), base, |k| dst[k] = slow(src[k]));
                }
            }
        }
    }
    in_range
}

/// Runs `f` over 8 float64 lanes at a time with no range check: for kernels that raise no condition
/// (`Unary::NO_CONDITIONS`), whose callers need no status (without [`map8`]'s two compares:
/// float64 `arcsinh` 4% faster, `tanh` 2%, `cbrt` the same).
#[inline(always)]
pub(crate) fn map8_all(src: &[f64], dst: &mut [f64], f: impl Fn(__m512d) -> __m512d) {
    let src = &src[..dst.len()];
    // SAFETY: chunks hold 8 elements, the tail mask covers exactly the rest; the caller enabled
    // AVX-512F.
    unsafe {
        let full = src.len() / 8 * 8;
        for base in (0..full).step_by(8) {
            let x = _mm512_loadu_pd(src.as_ptr().add(base));
            _mm512_storeu_pd(dst.as_mut_ptr().add(base), f(x));
        }
        let rest = src.len() - full;
        if rest != 0 {
            let mask: __mmask8 = ((1u16 << rest) - 1) as u8;
            let x = load_tail8(mask, src.as_ptr().add(full));
            _mm512_mask_storeu_pd(dst.as_mut_ptr().add(full), mask, f(x));
        }
    }
}

/// As [`map8_all`], 16 float32 lanes at a time.
#[inline(always)]
pub(crate) fn map16_all(src: &[f32], dst: &mut [f32], f: impl Fn(__m512) -> __m512) {
    let src = &src[..dst.len()];
    // SAFETY: as in `map8_all`.
    unsafe {
        let full = src.len() / 16 * 16;
        for base in (0..full).step_by(16) {
            let x = _mm512_loadu_ps(src.as_ptr().add(base));
            _mm512_storeu_ps(dst.as_mut_ptr().add(base), f(x));
        }
        let rest = src.len() - full;
        if rest != 0 {
            let mask: __mmask16 = ((1u32 << rest) - 1) as u16;
            let x = load_tail16(mask, src.as_ptr().add(full));
            _mm512_mask_storeu_ps(dst.as_mut_ptr().add(full), mask, f(x));
        }
    }
}

/// `dst[i] = slow(src[i])` where `src[i]` lies outside `[lo, hi]` (NaN included): the lanes that
/// [`map16_redo`] and [`map8_redo_range`] compute again one by one.
#[inline(always)]
pub(crate) fn redo_outside<T: Copy + PartialOrd>(
    src: &[T],
    dst: &mut [T],
    lo: T,
    hi: T,
    slow: impl Fn(T) -> T,
) {
    for (d, &x) in dst.iter_mut().zip(src) {
        if !(lo..=hi).contains(&x) {
            *d = slow(x);
        }
    }
}

/// As [`map16`]; the lanes outside `[lo, hi]` (NaN included) are computed again by `slow`, one by
/// one, so `f` need only be right inside that range.
#[inline(always)]
pub(crate) fn map16_redo(
    src: &[f32],
    dst: &mut [f32],
    lo: f32,
    hi: f32,
    f: impl Fn(__m512) -> __m512,
    slow: impl Fn(f32) -> f32,
) -> bool {
    let in_range = map16(src, dst, lo, hi, f);
    if !in_range {
        redo_outside(src, dst, lo, hi, slow);
    }
    in_range
}

/// As [`map8`]; the lanes outside `[lo, hi]` (NaN included) are computed again by `slow`, one by
/// one, so `f` need only be right inside that range (the float64 [`map16_redo`]).
#[inline(always)]
pub(crate) fn map8_redo_range(
    src: &[f64],
    dst: &mut [f64],
    lo: f64,
    hi: f64,
    f: impl Fn(__m512d) -> __m512d,
    slow: impl Fn(f64) -> f64,
) -> bool {
    let in_range = map8(src, dst, lo, hi, f);
    if !in_range {
        redo_outside(src, dst, lo, hi, slow);
    }
    in_range
}

/// A float32 kernel computed in float64: `f` on each half of the 16 lanes widened to 8 float64
/// lanes, each result rounded once to float32.
#[inline]
#[target_feature(enable = "avx512f,avx512dq")]
pub(crate) fn in_f64_halves(x: __m512, f: impl Fn(__m512d) -> __m512d) -> __m512 {
    let low = f(_mm512_cvtps_pd(_mm512_castps512_ps256(x)));
    let high = f(_mm512_cvtps_pd(_mm512_extractf32x8_ps::<1>(x)));
    _mm512_insertf32x8::<1>(
        _mm512_castps256_ps512(_mm512_cvtpd_ps(low)),
        _mm512_cvtpd_ps(high),
    )
}

/// As [`map8`] for a kernel `f` that gives its results and the mask of lanes it computed (its own
/// fast range, which may be narrower than `[lo, hi]`); the other lanes are computed again by `slow`
/// one by one. Returns whether every input lies in `[lo, hi]` (false for NaN).
#[inline(always)]
pub(crate) fn map8_redo(
    src: &[f64],
    dst: &mut [f64],
    lo: f64,
    hi: f64,
    f: impl Fn(__m512d) -> (__m512d, __mmask8),
    slow: impl Fn(f64) -> f64,
) -> bool {
    let src = &src[..dst.len()];
    // Lanes `fast` leaves out of chunk `base`, computed one by one.
    let redo = |dst: &mut [f64], base: usize, left: __mmask8| {
        each_lane(left.into(), base, |k| dst[k] = slow(src[k]));
    };
    // SAFETY (all blocks below): chunks hold 8 elements, the tail mask covers exactly the rest; the
    // caller enabled AVX-512F.
    unsafe {
        let (lo, hi) = (_mm512_set1_pd(lo), _mm512_set1_pd(hi));
        let mut outside: __mmask8 = 0;
        let full = src.len() / 8 * 8;
        for base in (0..full).step_by(8) {
            let x = _mm512_loadu_pd(src.as_ptr().add(base));
            outside |=
                _mm512_cmp_pd_mask::<_CMP_NGE_UQ>(x, lo) | _mm512_cmp_pd_mask::<_CMP_NLE_UQ>(x, hi);
            let (r, fast) = f(x);
            _mm512_storeu_pd(dst.as_mut_ptr().add(base), r);
            redo(dst, base, !fast);
        }
        let rest = src.len() - full;
        if rest != 0 {
            let mask: __mmask8 = ((1u16 << rest) - 1) as u8;
            let x = load_tail8(mask, src.as_ptr().add(full));
            outside |= mask
                & (_mm512_cmp_pd_mask::<_CMP_NGE_UQ>(x, lo)
                    | _mm512_cmp_pd_mask::<_CMP_NLE_UQ>(x, hi));
            let (r, fast) = f(x);
            _mm512_mask_storeu_pd(dst.as_mut_ptr().add(full), mask, r);
            redo(dst, full, mask & !fast);
        }
        outside == 0
    }
}

/// Runs a binary kernel `f` over pairs of float64 lanes, 8 at a time; `f` gives the results and
/// the mask of lanes in its fast range, and the other lanes are computed again by `slow` one by one.
/// Returns whether every pair was fast.
#[inline(always)]
pub(crate) fn zip8(
    a: &[f64],
    b: &[f64],
    dst: &mut [f64],
    f: impl Fn(__m512d, __m512d) -> (__m512d, __mmask8),
    slow: impl Fn(f64, f64) -> f64,
) -> bool {
    let n = dst.len();
    let (a, b) = (&a[..n], &b[..n]);
    let mut all = true;
    let mut i = 0;
    // SAFETY (both blocks): lanes i..i+8 (or the masked rest) lie inside the three slices; the
    // caller enabled AVX-512F.
    while i < n {
        let left = n - i;
        let mask: __mmask8 = if left >= 8 {
            0xff
        } else {
            ((1u16 << left) - 1) as u8
        };
        let fast = unsafe {
            let (x, y) = if left >= 8 {
                (
                    _mm512_loadu_pd(a.as_ptr().add(i)),
                    _mm512_loadu_pd(b.as_ptr().add(i)),
                )
            } else {
                (
                    load_tail8(mask, a.as_ptr().add(i)),
                    load_tail8(mask, b.as_ptr().add(i)),
                )
            };
            let (r, fast) = f(x, y);
            _mm512_mask_storeu_pd(dst.as_mut_ptr().add(i), mask, r);
            fast
        };
        let redo = mask & !fast;
        if redo != 0 {
            all = false;
            each_lane(redo.into(), i, |k| dst[k] = slow(a[k], b[k]));
        }
        i += 8;
    }
    all
}

/// As [`zip8`], 16 float32 lanes at a time.
#[inline(always)]
pub(crate) fn zip16(
    a: &[f32],
    b: &[f32],
    dst: &mut [f32],
    f: impl Fn(__m512, __m512) -> (__m512, __mmask16),
    slow: impl Fn(f32, f32) -> f32,
) -> bool {
    let n = dst.len();
    let (a, b) = (&a[..n], &b[..n]);
    let mut all = true;
    let mut i = 0;
    while i < n {
        let left = n - i;
        let mask: __mmask16 = if left >= 16 {
            0xffff
        } else {
            ((1u32 << left) - 1) as u16
        };
        // SAFETY: as in `zip8`.
        let fast = unsafe {
            let (x, y) = if left >= 16 {
                (
                    _mm512_loadu_ps(a.as_ptr().add(i)),
                    _mm512_loadu_ps(b.as_ptr().add(i)),
                )
            } else {
                (
                    load_tail16(mask, a.as_ptr().add(i)),
                    load_tail16(mask, b.as_ptr().add(i)),
                )
            };
            let (r, fast) = f(x, y);
            _mm512_mask_storeu_ps(dst.as_mut_ptr().add(i), mask, r);
            fast
        };
        let redo = mask & !fast;
        if redo != 0 {
            all = false;
            each_lane(redo.into(), i, |k| dst[k] = slow(a[k], b[k]));
        }
        i += 16;
    }
    all
}

/// a + b as (sum, error), exact for any a and b (Knuth's TwoSum).
#[inline(always)]
pub(crate) fn two_sum8(a: __m512d, b: __m512d) -> (__m512d, __m512d) {
    // SAFETY: no memory access; the caller enabled AVX-512F.
    unsafe {
        let s = _mm512_add_pd(a, b);
        let bb = _mm512_sub_pd(s, a);
        (
            s,
            _mm512_add_pd(_mm512_sub_pd(a, _mm512_sub_pd(s, bb)), _mm512_sub_pd(b, bb)),
        )
    }
}

/// a + b as (sum, error), exact when |a| >= |b| or a = 0 (Fast2Sum).
#[inline(always)]
pub(crate) fn fast_two_sum8(a: __m512d, b: __m512d) -> (__m512d, __m512d) {
    // SAFETY: no memory access; the caller enabled AVX-512F.
    unsafe {
        let s = _mm512_add_pd(a, b);
        (s, _mm512_sub_pd(b, _mm512_sub_pd(s, a)))
    }
}

/// x + c x^2 + x^3 q for small x and c = +-1/2, the series head of `log1p` and `expm1`: c x^2
/// exact (with x^2's rounding error kept), x + c x^2 split by Fast2Sum, one rounding at the end;
/// x itself where x^2 underflows (tiny and subnormal x, +-0 with its sign). `q` gets (x, x^2).
#[inline(always)]
pub(crate) fn series_head8(x: __m512d, c: f64, q: impl Fn(__m512d, __m512d) -> __m512d) -> __m512d {
    let (s, tail) = series_parts8(x, c, q);
    // SAFETY: no memory access; the caller enabled AVX-512F.
    unsafe {
        _mm512_mask_mov_pd(
            _mm512_add_pd(s, tail),
            _mm512_cmp_pd_mask::<_CMP_LT_OQ>(_mm512_abs_pd(x), _mm512_set1_pd(1e-100)),
            x,
        )
    }
}

/// [`series_head8`] before its last addition: (s, tail) with s exact and |tail| far below |s|, for
/// x whose square does not underflow.
#[inline(always)]
pub(crate) fn series_parts8(
    x: __m512d,
    c: f64,
    q: impl Fn(__m512d, __m512d) -> __m512d,
) -> (__m512d, __m512d) {
    // SAFETY: no memory access; the caller enabled AVX-512F.
    unsafe {
        let x2 = _mm512_mul_pd(x, x);
        let x2l = _mm512_fmsub_pd(x, x, x2);
        let h = _mm512_mul_pd(x2, _mm512_set1_pd(c));
        let (s, e) = fast_two_sum8(x, h);
        let tail = _mm512_fmadd_pd(
            _mm512_mul_pd(x2, x),
            q(x, x2),
            _mm512_fmadd_pd(x2l, _mm512_set1_pd(c), e),
        );
        (s, tail)
    }
}

/// y (its sign bit clear) with x's sign bit set in, lane by lane (float64): copysign for y >= 0.
#[inline(always)]
pub(crate) fn with_sign8(y: __m512d, x: __m512d) -> __m512d {
    // SAFETY: no memory access; the caller enabled AVX-512F. 0xf8: a | (b & c) per bit.
    unsafe {
        _mm512_castsi512_pd(_mm512_ternarylogic_epi64::<0xf8>(
            _mm512_castpd_si512(y),
            _mm512_castpd_si512(x),
            _mm512_set1_epi64(i64::MIN),
        ))
    }
}

/// As [`with_sign8`], float32.
#[inline(always)]
pub(crate) fn with_sign16(y: __m512, x: __m512) -> __m512 {
    // SAFETY: as in `with_sign8`.
    unsafe {
        _mm512_castsi512_ps(_mm512_ternarylogic_epi32::<0xf8>(
            _mm512_castps_si512(y),
            _mm512_castps_si512(x),
            _mm512_set1_epi32(i32::MIN),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fpstatus::{self, DIVIDE};

    fn avx512() -> bool {
        std::arch::is_x86_feature_detected!("avx512f")
    }

    /// `1/x` over every lane, as a kernel whose lanes past the end would divide by zero if they
    /// held zeros (the flags such lanes raise cost a status-register write a call).
    #[target_feature(enable = "avx512f")]
    fn recip_all(xs: &[f64], ys: &[f32]) -> (Vec<f64>, Vec<f32>, Vec<f64>, Vec<f32>) {
        let mut a = vec![0.0; xs.len()];
        let mut b = vec![0.0; ys.len()];
        let mut c = vec![0.0; xs.len()];
        let mut d = vec![0.0; ys.len()];
        map8(xs, &mut a, 0.0, 10.0, |x| {
            _mm512_div_pd(_mm512_set1_pd(1.0), x)
        });
        map16(ys, &mut b, 0.0, 10.0, |x| {
            _mm512_div_ps(_mm512_set1_ps(1.0), x)
        });
        let f8 = |x, y| (_mm512_div_pd(x, y), 0xff);
        zip8(xs, xs, &mut c, f8, |x, y| x / y);
        let f16 = |x, y| (_mm512_div_ps(x, y), 0xffff);
        zip16(ys, ys, &mut d, f16, |x, y| x / y);
        (a, b, c, d)
    }

    #[test]
    fn lanes_past_the_end_raise_no_flags() {
        if !avx512() {
            return;
        }
        for n in 1..=33 {
            let (xs, ys) = (vec![2.0f64; n], vec![4.0f32; n]);
            fpstatus::clear();
            // SAFETY: AVX-512F checked above.
            let (a, b, c, d) = unsafe { recip_all(&xs, &ys) };
            assert_eq!(fpstatus::current() & DIVIDE, 0, "n = {n}");
            assert!(
                a.iter().all(|&v| v == 0.5) && b.iter().all(|&v| v == 0.25),
                "n = {n}"
            );
            assert!(
                c.iter().all(|&v| v == 1.0) && d.iter().all(|&v| v == 1.0),
                "n = {n}"
            );
        }
    }
}

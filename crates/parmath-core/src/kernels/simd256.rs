//! The loop shared by the hand-vectorised kernels of the AVX2 level
//! ([`Unary::map_avx2`](super::Unary::map_avx2)): a kernel of 8 float32 lanes over a block, the
//! tail through a padded copy, noting whether every input lies in the kernel's fast range; lanes
//! outside it are computed again one by one.

use std::arch::x86_64::*;

/// `dst = f(src)` 8 float32 lanes at a time; lanes outside `[lo, hi]` (NaN included) computed
/// again by `slow`, so `f` need only be right inside the range (and must not fault outside it).
/// Whether every input lies in the range.
#[inline(always)]
pub(crate) fn map8s_redo(
    src: &[f32],
    dst: &mut [f32],
    lo: f32,
    hi: f32,
    f: impl Fn(__m256) -> __m256,
    slow: impl Fn(f32) -> f32,
) -> bool {
    map8s_redo_where::<false>(src, dst, lo, hi, f, slow)
}

/// [`map8s_redo`] with the range `[lo, hi]` tested on |x| where `ABS` (for odd functions).
#[inline(always)]
pub(crate) fn map8s_redo_where<const ABS: bool>(
    src: &[f32],
    dst: &mut [f32],
    lo: f32,
    hi: f32,
    f: impl Fn(__m256) -> __m256,
    slow: impl Fn(f32) -> f32,
) -> bool {
    let key = |x: f32| if ABS { x.abs() } else { x };
    // SAFETY: the caller enabled AVX2 and FMA; every load and store is of 8 floats inside a chunk
    // of 8 or of the local tail buffer.
    let in_range = unsafe {
        let (vlo, vhi) = (_mm256_set1_ps(lo), _mm256_set1_ps(hi));
        let inside = |x: __m256| {
            let x = if ABS {
                _mm256_andnot_ps(_mm256_set1_ps(-0.0), x)
            } else {
                x
            };
            _mm256_movemask_ps(_mm256_and_ps(
                _mm256_cmp_ps::<_CMP_GE_OQ>(x, vlo),
                _mm256_cmp_ps::<_CMP_LE_OQ>(x, vhi),
            ))
        };
        let mut all = 0xff;
        let mut chunks = src.chunks_exact(8).zip(dst.chunks_exact_mut(8));
        for (s, d) in &mut chunks {
            let x = _mm256_loadu_ps(s.as_ptr());
            all &= inside(x);
            _mm256_storeu_ps(d.as_mut_ptr(), f(x));
        }
        let done = src.len().min(dst.len()) / 8 * 8;
        let (s, d) = (&src[done..dst.len()], &mut dst[done..]);
        if !s.is_empty() {
            // Padding with `lo`, which is inside.
            let mut buf = [lo; 8];
            buf[..s.len()].copy_from_slice(s);
            let x = _mm256_loadu_ps(buf.as_ptr());
            all &= inside(x);
            _mm256_storeu_ps(buf.as_mut_ptr(), f(x));
            d.copy_from_slice(&buf[..d.len()]);
        }
        all == 0xff
    };
    if !in_range {
        for (d, &x) in dst.iter_mut().zip(src) {
            if !(lo..=hi).contains(&key(x)) {
                *d = slow(x);
            }
        }
    }
    in_range
}

/// [`map8s_redo_where`] for 4 float64 lanes.
#[inline(always)]
pub(crate) fn map4d_redo_where<const ABS: bool>(
    src: &[f64],
    dst: &mut [f64],
    lo: f64,
    hi: f64,
    f: impl Fn(__m256d) -> __m256d,
    slow: impl Fn(f64) -> f64,
) -> bool {
    let key = |x: f64| if ABS { x.abs() } else { x };
    // SAFETY: as in `map8s_redo_where`, with 4 doubles.
    let in_range = unsafe {
        let (vlo, vhi) = (_mm256_set1_pd(lo), _mm256_set1_pd(hi));
        let inside = |x: __m256d| {
            let x = if ABS {
                _mm256_andnot_pd(_mm256_set1_pd(-0.0), x)
            } else {
                x
            };
            _mm256_movemask_pd(_mm256_and_pd(
                _mm256_cmp_pd::<_CMP_GE_OQ>(x, vlo),
                _mm256_cmp_pd::<_CMP_LE_OQ>(x, vhi),
            ))
        };
        let mut all = 0xf;
        let mut chunks = src.chunks_exact(4).zip(dst.chunks_exact_mut(4));
        for (s, d) in &mut chunks {
            let x = _mm256_loadu_pd(s.as_ptr());
            all &= inside(x);
            _mm256_storeu_pd(d.as_mut_ptr(), f(x));
        }
        let done = src.len().min(dst.len()) / 4 * 4;
        let (s, d) = (&src[done..dst.len()], &mut dst[done..]);
        if !s.is_empty() {
            let mut buf = [lo; 4];
            buf[..s.len()].copy_from_slice(s);
            let x = _mm256_loadu_pd(buf.as_ptr());
            all &= inside(x);
            _mm256_storeu_pd(buf.as_mut_ptr(), f(x));
            d.copy_from_slice(&buf[..d.len()]);
        }
        all == 0xf
    };
    if !in_range {
        for (d, &x) in dst.iter_mut().zip(src) {
            if !(lo..=hi).contains(&key(x)) {
                *d = slow(x);
            }
        }
    }
    in_range
}

/// `dst = f(a, b)` 8 float32 pairs at a time, `f` returning the results and a mask (all bits of
/// a lane set) of the lanes it got right; the others are computed again by `slow`, one by one.
/// Whether every lane was right. The tail through padded copies (padding with 1.0, whose lanes
/// are dropped).
#[inline(always)]
pub(crate) fn zip8s(
    a: &[f32],
    b: &[f32],
    dst: &mut [f32],
    f: impl Fn(__m256, __m256) -> (__m256, __m256),
    slow: impl Fn(f32, f32) -> f32,
) -> bool {
    let n = dst.len();
    let (a, b) = (&a[..n], &b[..n]);
    let mut all = true;
    let mut i = 0;
    while i < n {
        let len = (n - i).min(8);
        // SAFETY: the caller enabled AVX2 and FMA; full chunks are 8 floats inside the slices,
        // the tail goes through local buffers.
        let fast = unsafe {
            if len == 8 {
                let (r, fast) = f(
                    _mm256_loadu_ps(a.as_ptr().add(i)),
                    _mm256_loadu_ps(b.as_ptr().add(i)),
                );
                _mm256_storeu_ps(dst.as_mut_ptr().add(i), r);
                _mm256_movemask_ps(fast) as u32
            } else {
                let (mut xa, mut xb, mut out) = ([1.0f32; 8], [1.0f32; 8], [0.0f32; 8]);
                xa[..len].copy_from_slice(&a[i..]);
                xb[..len].copy_from_slice(&b[i..]);
                let (r, fast) = f(_mm256_loadu_ps(xa.as_ptr()), _mm256_loadu_ps(xb.as_ptr()));
                _mm256_storeu_ps(out.as_mut_ptr(), r);
                dst[i..].copy_from_slice(&out[..len]);
                _mm256_movemask_ps(fast) as u32 | !((1u32 << len) - 1)
            }
        };
        let mut redo = !fast & 0xff;
        if redo != 0 {
            all = false;
            while redo != 0 {
                let k = i + redo.trailing_zeros() as usize;
                dst[k] = slow(a[k], b[k]);
                redo &= redo - 1;
            }
        }
        i += 8;
    }
    all
}

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

/// A 256-bit register of float32 or float64 lanes, for the loops here.
pub(crate) trait Lanes: Copy {
    /// The element type.
    type Elem: Copy + PartialOrd;
    /// Lanes a register holds.
    const LANES: usize;
    /// Loads `LANES` elements.
    ///
    /// # Safety
    /// `p` addresses `LANES` readable elements; AVX2 is enabled.
    unsafe fn load(p: *const Self::Elem) -> Self;
    /// Stores `LANES` elements.
    ///
    /// # Safety
    /// `p` addresses `LANES` writable elements; AVX2 is enabled.
    unsafe fn store(self, p: *mut Self::Elem);
    /// Bit i set where lane i (or its magnitude, `abs`) lies in `[lo, hi]` (NaN outside).
    ///
    /// # Safety
    /// AVX2 is enabled.
    unsafe fn inside(self, lo: Self::Elem, hi: Self::Elem, abs: bool) -> u32;
    /// |x| of one element.
    fn magnitude(x: Self::Elem) -> Self::Elem;
}

impl Lanes for __m256 {
    type Elem = f32;
    const LANES: usize = 8;
    #[inline(always)]
    unsafe fn load(p: *const f32) -> Self {
        // SAFETY: forwarded contract.
        unsafe { _mm256_loadu_ps(p) }
    }
    #[inline(always)]
    unsafe fn store(self, p: *mut f32) {
        // SAFETY: forwarded contract.
        unsafe { _mm256_storeu_ps(p, self) }
    }
    #[inline(always)]
    unsafe fn inside(self, lo: f32, hi: f32, abs: bool) -> u32 {
        // SAFETY: forwarded contract (register operations only).
        unsafe {
            let x = if abs {
                _mm256_andnot_ps(_mm256_set1_ps(-0.0), self)
            } else {
                self
            };
            _mm256_movemask_ps(_mm256_and_ps(
                _mm256_cmp_ps::<_CMP_GE_OQ>(x, _mm256_set1_ps(lo)),
                _mm256_cmp_ps::<_CMP_LE_OQ>(x, _mm256_set1_ps(hi)),
            )) as u32
        }
    }
    #[inline(always)]
    fn magnitude(x: f32) -> f32 {
        x.abs()
    }
}

impl Lanes for __m256d {
    type Elem = f64;
    const LANES: usize = 4;
    #[inline(always)]
    unsafe fn load(p: *const f64) -> Self {
        // SAFETY: forwarded contract.
        unsafe { _mm256_loadu_pd(p) }
    }
    #[inline(always)]
    unsafe fn store(self, p: *mut f64) {
        // SAFETY: forwarded contract.
        unsafe { _mm256_storeu_pd(p, self) }
    }
    #[inline(always)]
    unsafe fn inside(self, lo: f64, hi: f64, abs: bool) -> u32 {
        // SAFETY: forwarded contract (register operations only).
        unsafe {
            let x = if abs {
                _mm256_andnot_pd(_mm256_set1_pd(-0.0), self)
            } else {
                self
            };
            _mm256_movemask_pd(_mm256_and_pd(
                _mm256_cmp_pd::<_CMP_GE_OQ>(x, _mm256_set1_pd(lo)),
                _mm256_cmp_pd::<_CMP_LE_OQ>(x, _mm256_set1_pd(hi)),
            )) as u32
        }
    }
    #[inline(always)]
    fn magnitude(x: f64) -> f64 {
        x.abs()
    }
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
    map_redo_where::<__m256, ABS>(src, dst, lo, hi, f, slow)
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
    map_redo_where::<__m256d, ABS>(src, dst, lo, hi, f, slow)
}

/// The loop of [`map8s_redo_where`] and [`map4d_redo_where`]: full registers in place, the tail
/// through a copy padded with `lo` (inside the range), then the lanes outside the range again by
/// `slow`.
#[inline(always)]
fn map_redo_where<V: Lanes, const ABS: bool>(
    src: &[V::Elem],
    dst: &mut [V::Elem],
    lo: V::Elem,
    hi: V::Elem,
    f: impl Fn(V) -> V,
    slow: impl Fn(V::Elem) -> V::Elem,
) -> bool {
    let n = V::LANES;
    let full = (1u32 << n) - 1;
    // SAFETY: the caller enabled AVX2 and FMA; every load and store is of `n` elements inside a
    // chunk of `n` or of the local tail buffer (8 elements, n <= 8).
    let in_range = unsafe {
        let mut all = full;
        let mut chunks = src.chunks_exact(n).zip(dst.chunks_exact_mut(n));
        for (s, d) in &mut chunks {
            let x = V::load(s.as_ptr());
            all &= x.inside(lo, hi, ABS);
            f(x).store(d.as_mut_ptr());
        }
        let done = src.len().min(dst.len()) / n * n;
        let (s, d) = (&src[done..dst.len()], &mut dst[done..]);
        if !s.is_empty() {
            let mut buf = [lo; 8];
            buf[..s.len()].copy_from_slice(s);
            let x = V::load(buf.as_ptr());
            all &= x.inside(lo, hi, ABS);
            f(x).store(buf.as_mut_ptr());
            d.copy_from_slice(&buf[..d.len()]);
        }
        all == full
    };
    if !in_range {
        let key = |x: V::Elem| if ABS { V::magnitude(x) } else { x };
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

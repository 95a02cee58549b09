//! The loops' streamed path (outputs of at least `STREAM_MIN_BYTES` in one call, written with
//! non-temporal stores through an L1 block) against the same loop run in calls too small to stream:
//! the same bits and the same conditions, whatever the output's alignment to a cache line and
//! whatever the tail.

use parmath_core::apply::STREAM_MIN_BYTES;
use parmath_core::{find, Dtype, Isa, UnaryLoop};

/// Inputs that reach each kernel's branches: ordinary values, zeros, huge, tiny, inf and NaN
/// (so that blocks leave the fast range and raise conditions).
fn inputs(n: usize) -> Vec<f64> {
    let specials = [
        0.0,
        -0.0,
        1e300,
        -1e300,
        5e-324,
        f64::INFINITY,
        -f64::INFINITY,
        f64::NAN,
    ];
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    (0..n)
        .map(|i| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            if i % 4099 == 17 {
                specials[(state % 8) as usize]
            } else {
                (state >> 11) as f64 / (1u64 << 53) as f64 * 60.0 - 30.0
            }
        })
        .collect()
}

/// The float types of the loops.
trait Float: Copy + Default + PartialEq + std::fmt::Debug {
    fn is_nan(self) -> bool;
}

impl Float for f32 {
    fn is_nan(self) -> bool {
        f32::is_nan(self)
    }
}

impl Float for f64 {
    fn is_nan(self) -> bool {
        f64::is_nan(self)
    }
}

/// Equal, or both NaN.
fn same<T: Float>(a: T, b: T) -> bool {
    a == b || (a.is_nan() && b.is_nan())
}

/// The loops' dtype for `T`.
fn dtype_of<T>() -> Dtype {
    if std::mem::size_of::<T>() == 8 {
        Dtype::F64
    } else {
        Dtype::F32
    }
}

/// Every element of `got` is `same` as `want`'s.
fn assert_same<T: Float>(got: &[T], want: &[T], what: &str) {
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(same(*g, *w), "{what}: element {i}: {g:?} != {w:?}");
    }
}

/// Calls of this many items never stream.
const CHUNK: usize = 4096;

/// `lp` over `src` in calls of `CHUNK` items: the results and the conditions.
fn in_small_calls<T: Float>(lp: UnaryLoop, src: &[T]) -> (Vec<T>, u8) {
    assert!(CHUNK * std::mem::size_of::<T>() < STREAM_MIN_BYTES);
    let size = std::mem::size_of::<T>() as isize;
    let mut want = vec![T::default(); src.len()];
    let mut status = 0;
    for (s, d) in src.chunks(CHUNK).zip(want.chunks_mut(CHUNK)) {
        // SAFETY: disjoint buffers of s.len() elements.
        status |= unsafe {
            lp(
                s.as_ptr().cast(),
                size,
                d.as_mut_ptr().cast(),
                size,
                s.len(),
            )
        };
    }
    (want, status)
}

fn check<T: Float>(name: &str, isa: Isa, xs: &[T]) {
    let f = find(name).expect("registry function");
    let lp = f.unary_loop(dtype_of::<T>(), isa).expect("unary loop");
    let size = std::mem::size_of::<T>() as isize;
    let n = xs.len() - 8;
    // Outputs starting 0 to 7 elements past a 64-byte boundary, inputs at other offsets.
    let mut out = vec![T::default(); n + 32];
    let base = out.as_ptr().align_offset(64);
    for shift in 0..8 {
        let src = &xs[shift % 3..][..n];
        let (want, want_status) = in_small_calls(lp, src);
        let what = format!("{name} {} shift {shift}", isa.name());
        let dst = &mut out[base + shift..][..n];
        // SAFETY: disjoint buffers of n elements.
        let status = unsafe { lp(src.as_ptr().cast(), size, dst.as_mut_ptr().cast(), size, n) };
        assert_same(dst, &want, &what);
        assert_eq!(status, want_status, "{what}: conditions");
        if shift % 3 == 0 {
            // In place, from the same alignment.
            dst.copy_from_slice(src);
            let p = dst.as_mut_ptr().cast::<u8>();
            // SAFETY: one buffer of n elements, read and written in place.
            let status = unsafe { lp(p.cast_const(), size, p, size, n) };
            assert_same(dst, &want, &format!("{what} in place"));
            assert_eq!(status, want_status, "{what} in place: conditions");
        }
    }
}

/// `f(a, b)` by one large call (a contiguous `b`, then `b` broadcast) against calls of 4,096 pairs.
fn check2<T: Float>(name: &str, isa: Isa, xs: &[T]) {
    let f = find(name).expect("registry function");
    let lp = f.binary_loop(dtype_of::<T>(), isa).expect("binary loop");
    let size = std::mem::size_of::<T>() as isize;
    let n = xs.len() / 2;
    let (a, b) = xs.split_at(n);
    let mut out = vec![T::default(); n + 32];
    let base = out.as_ptr().align_offset(64);
    for (b_step, shift) in [(size, 0), (size, 3), (0, 5)] {
        let mut want = vec![T::default(); n];
        let mut want_status = 0;
        for (i, d) in want.chunks_mut(CHUNK).enumerate() {
            let start = i * CHUNK;
            let bp = if b_step == 0 {
                b.as_ptr()
            } else {
                b[start..].as_ptr()
            };
            // SAFETY: d.len() pairs inside a and b, a distinct output.
            want_status |= unsafe {
                lp(
                    a[start..].as_ptr().cast(),
                    size,
                    bp.cast(),
                    b_step,
                    d.as_mut_ptr().cast(),
                    size,
                    d.len(),
                )
            };
        }
        let dst = &mut out[base + shift..][..n];
        // SAFETY: as above, n pairs.
        let status = unsafe {
            lp(
                a.as_ptr().cast(),
                size,
                b.as_ptr().cast(),
                b_step,
                dst.as_mut_ptr().cast(),
                size,
                n,
            )
        };
        let what = format!("{name} {} step {b_step}", isa.name());
        assert_same(dst, &want, &what);
        assert_eq!(status, want_status, "{what}: conditions");
    }
}

#[test]
fn streamed_outputs_match_small_calls() {
    let xs64 = inputs(STREAM_MIN_BYTES / 8 + 777 + 8);
    let xs32: Vec<f32> = inputs(STREAM_MIN_BYTES / 4 + 555 + 8)
        .into_iter()
        .map(|x| x as f32)
        .collect();
    let pairs64 = inputs(2 * (STREAM_MIN_BYTES / 8 + 333));
    let pairs32: Vec<f32> = inputs(2 * (STREAM_MIN_BYTES / 4 + 333))
        .into_iter()
        .map(|x| x as f32)
        .collect();
    for isa in Isa::ALL.into_iter().filter(|isa| isa.supported()) {
        // erf and erfc stream larger blocks per call (`STREAM_BLOCK_BYTES`).
        for name in [
            "exp", "log", "sqrt", "tan", "negative", "cbrt", "erf", "erfc", "expm1",
        ] {
            check(name, isa, &xs64);
            check(name, isa, &xs32);
        }
        for name in ["add", "power", "hypot", "arctan2", "maximum"] {
            check2(name, isa, &pairs64);
            check2(name, isa, &pairs32);
        }
    }
}

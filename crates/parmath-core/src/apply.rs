//! Loops that run an element kernel over memory, compiled once per instruction set, and the driver
//! that splits a large call across the thread pool.

use crate::kernels::{Binary, Unary};
use crate::{fpstatus, pool};
use std::mem::{align_of, size_of, MaybeUninit};
use std::ptr::{read_unaligned, write_unaligned};

/// A unary loop over `n` elements at byte strides `src_step` and `dst_step`; returns the
/// [`crate::fpstatus`] conditions met. `src == dst` with equal steps is allowed (in place); any other
/// overlap is not.
pub type UnaryLoop =
    unsafe fn(src: *const u8, src_step: isize, dst: *mut u8, dst_step: isize, n: usize) -> u8;

/// The float types kernels are written for.
pub trait Float: Copy + Default + PartialOrd + Send + Sync + 'static {}
impl Float for f32 {}
impl Float for f64 {}

/// Strided operands are gathered into blocks of this many elements, run through the SIMD kernel and
/// scattered back: large enough to amortise the loop, small enough to stay in L1 (at most
/// `RANGE_BLOCK`).
pub const GATHER_BLOCK: usize = 256;

/// Inputs are range-checked in blocks of this many elements (in L1 when the kernel reads them again).
pub const RANGE_BLOCK: usize = 512;

/// A contiguous output of at least this many bytes in one loop call is written with non-temporal
/// stores (x86-64): an output this large is not read back from L1 or L2 soon, and streaming
/// stores skip reading each destination line before writing it (a third of the traffic of a
/// plain `f(x, out=y)`). Smaller outputs keep plain stores, which leave them in cache for whatever
/// reads them next. A parallel call's slices are a quarter of each thread's share (`pool`), so on
/// 2 threads calls from 8 MB stream.
pub const STREAM_MIN_BYTES: usize = 1 << 20;

/// Streamed outputs are computed into L1 in blocks of this many bytes, each block then stored: a
/// burst of 8 lines, which the write-combining buffers take while the next block computes. Measured
/// (2-core development machine, float64 `exp` over 10M items, `scripts/ab_builds.py`): 0.59 ns an
/// item with 1,024-byte blocks, 0.34 to 0.54 with 256 or 512, against 0.69 to 0.82 with plain
/// stores; 4,096-byte bursts were slower than plain stores.
pub const STREAM_BLOCK_BYTES: usize = 512;

thread_local! {
    static STREAM_ALL: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with every contiguous output of the loops it calls on this thread streamed, whatever
/// its size: for callers that write a large output in small calls (`parmath.evaluate`'s blocks).
pub fn with_streamed_outputs<R>(f: impl FnOnce() -> R) -> R {
    let _restore = Restore(&STREAM_ALL, STREAM_ALL.replace(true));
    f()
}

/// Puts a thread-local cell's earlier value back when dropped, so that the settings above end
/// with their scope even if `f` unwinds (the binding turns panics into exceptions, and the thread
/// goes on running other calls).
struct Restore<T: Copy + 'static>(&'static std::thread::LocalKey<std::cell::Cell<T>>, T);

impl<T: Copy + 'static> Drop for Restore<T> {
    fn drop(&mut self) {
        self.0.set(self.1);
    }
}

/// The most inputs [`with_streamed_outputs_prefetching`] takes.
pub const MAX_PREFETCH_TARGETS: usize = 4;

const NO_TARGETS: Ahead = Ahead([(0, 0); MAX_PREFETCH_TARGETS]);

thread_local! {
    static AHEAD: std::cell::Cell<Ahead> = const { std::cell::Cell::new(NO_TARGETS) };
}

/// Memory ranges (address, bytes) a streamed loop brings into cache a slice per block; unused
/// slots have 0 bytes.
#[derive(Clone, Copy)]
struct Ahead([(usize, usize); MAX_PREFETCH_TARGETS]);

impl Ahead {
    /// Prefetches block `k` of `blocks` of every range: spread this way, the prefetches overlap
    /// the loop's own work (one burst of them stalls the core).
    #[inline(always)]
    fn prefetch_part(&self, k: usize, blocks: usize) {
        for &(p, bytes) in &self.0 {
            if bytes != 0 {
                let per = bytes.div_ceil(blocks).next_multiple_of(64);
                prefetch(p as *const u8, bytes, k * per, per);
            }
        }
    }
}

/// As [`with_streamed_outputs`]; in addition the streamed loops spread prefetches of `targets`
/// (address and length in bytes of each, at most [`MAX_PREFETCH_TARGETS`]; more are ignored) over
/// their blocks. `parmath.evaluate` passes the next block of its inputs to its last operation,
/// whose loop would otherwise leave the memory idle while it computes and writes (the operations
/// before it read those inputs). Measured: `2*a + 3*b` over 10M float64 against numexpr, six runs
/// of each build alternating: 1.24x to 1.41x numexpr's speed without (mean 1.32x), 1.32x to 1.51x
/// with (mean 1.42x).
pub fn with_streamed_outputs_prefetching<R>(
    targets: &[(*const u8, usize)],
    f: impl FnOnce() -> R,
) -> R {
    let mut ahead = NO_TARGETS;
    for (slot, &(p, bytes)) in ahead.0.iter_mut().zip(targets) {
        *slot = (p as usize, bytes);
    }
    let _restore = Restore(&AHEAD, AHEAD.replace(ahead));
    with_streamed_outputs(f)
}

/// Whether an output of `bytes` bytes is streamed.
#[inline(always)]
fn streams(bytes: usize) -> bool {
    cfg!(target_arch = "x86_64") && (bytes >= STREAM_MIN_BYTES || STREAM_ALL.get())
}

/// Whether the portable build has fused multiply-add as an instruction (always on aarch64).
const GENERIC_FMA: bool = cfg!(any(target_arch = "aarch64", target_feature = "fma"));

/// Whether every element lies in the kernel's fast range (false for NaN).
#[inline(always)]
fn all_fast<T: Float, K: Unary<T>>(xs: &[T]) -> bool {
    let mut outside = 0u8;
    for &x in xs {
        outside |= u8::from(!(x >= K::FAST_MIN && x <= K::FAST_MAX));
    }
    outside == 0
}

/// Asks for elements `start..start + count` of the operand at `base` (of `len` elements), clipped
/// to it, to be brought into cache, one hint per line.
#[inline(always)]
fn prefetch<T>(base: *const T, len: usize, start: usize, count: usize) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        if start < len {
            let end = (start + count).min(len);
            let base = base.cast::<i8>();
            for offset in (start * size_of::<T>()..end * size_of::<T>()).step_by(64) {
                // SAFETY: prefetching is a hint and never faults; the address is inside the operand.
                unsafe { _mm_prefetch::<_MM_HINT_T0>(base.wrapping_add(offset)) };
            }
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (base, len, start, count);
}

/// One block of at most `RANGE_BLOCK` elements: the fast kernel when every input is in its range,
/// else the full kernel with the status of every element. At the AVX-512 and AVX2 levels a
/// function's hand-vectorised kernel for that level, if it has one, computes every block.
#[inline(always)]
fn map_block<T: Float, K: Unary<T>, const FMA: bool, const AVX512: bool, const AVX2: bool>(
    src: &[T],
    dst: &mut [T],
) -> u8 {
    let mut status = 0;
    if K::HARDWARE_STATUS {
        // One IEEE operation per element: its flags are the conditions NumPy reports. `unary_range`
        // clears them before its first block and reads them after its last (memory accesses keep the
        // arithmetic between the two: the asm statements clobber memory).
        for (d, &x) in dst.iter_mut().zip(src) {
            *d = K::eval::<FMA>(x);
        }
        return 0;
    }
    let hand = if AVX512 {
        // SAFETY: AVX512 is only set in the entry compiled for, and chosen on, AVX-512 CPUs.
        unsafe { K::map_avx512(src, dst) }
    } else if AVX2 {
        // SAFETY: AVX2 is only set in the entry compiled for, and chosen on, AVX2 + FMA CPUs.
        unsafe { K::map_avx2(src, dst) }
    } else {
        None
    };
    if let Some(in_range) = hand {
        if !in_range {
            for (&x, &y) in src.iter().zip(dst.iter()) {
                status |= K::status(x, y);
            }
        }
    } else if K::NO_CONDITIONS || all_fast::<T, K>(src) {
        for (d, &x) in dst.iter_mut().zip(src) {
            *d = K::eval_fast::<FMA>(x);
        }
    } else {
        for (d, &x) in dst.iter_mut().zip(src) {
            let y = K::eval::<FMA>(x);
            *d = y;
            status |= K::status(x, y);
        }
    }
    status
}

/// `dst = f(src)` over equal-length slices, block by block.
/// No software prefetch here either: hints 8 blocks ahead cost the trivial loops 20-30% in L2
/// (32K items, one thread) and up to 40% from L3 (500K items, two threads), and gained nothing
/// measurable for the kernels (2026-11-28, development machine).
#[inline(always)]
fn map_slices<T: Float, K: Unary<T>, const FMA: bool, const AVX512: bool, const AVX2: bool>(
    src: &[T],
    dst: &mut [T],
) -> u8 {
    let mut status = 0;
    for (src, dst) in src.chunks(RANGE_BLOCK).zip(dst.chunks_mut(RANGE_BLOCK)) {
        status |= map_block::<T, K, FMA, AVX512, AVX2>(src, dst);
    }
    status
}

/// A block of `RANGE_BLOCK` elements in L1, aligned for whole-line stores.
#[cfg(target_arch = "x86_64")]
#[repr(align(64))]
struct LineBlock<T>([T; RANGE_BLOCK]);

/// Copies `bytes` (a multiple of 64) from `from` to `to` with non-temporal stores; `to` is 64-byte
/// aligned, `from` need not be. The caller issues `_mm_sfence` before another thread may read `to`.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn stream_lines<const AVX512: bool>(from: *const u8, to: *mut u8, bytes: usize) {
    use std::arch::x86_64::{__m128i, _mm_loadu_si128, _mm_stream_si128};
    if AVX512 {
        // SAFETY: AVX512 is only set in the entry compiled for, and chosen on, AVX-512 CPUs.
        unsafe { stream_lines_avx512(from, to, bytes) };
        return;
    }
    for offset in (0..bytes).step_by(16) {
        // SAFETY: both ranges hold `bytes` bytes; `to` is aligned (caller's contract).
        unsafe {
            let v = _mm_loadu_si128(from.add(offset).cast::<__m128i>());
            _mm_stream_si128(to.add(offset).cast::<__m128i>(), v);
        }
    }
}

/// [`stream_lines`] a whole line per store.
#[cfg(target_arch = "x86_64")]
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn stream_lines_avx512(from: *const u8, to: *mut u8, bytes: usize) {
    use std::arch::x86_64::{__m512i, _mm512_loadu_si512, _mm512_stream_si512};
    for offset in (0..bytes).step_by(64) {
        // SAFETY: both ranges hold `bytes` bytes; `to` is aligned (caller's contract).
        unsafe {
            let v = _mm512_loadu_si512(from.add(offset).cast::<__m512i>());
            _mm512_stream_si512(to.add(offset).cast::<__m512i>(), v);
        }
    }
}

/// `dst = f(src)`, or `dst = f(dst)` in place when `src` is `None`, for a large output
/// ([`STREAM_MIN_BYTES`]): up to the first 64-byte boundary of `dst` and after the last whole block
/// with plain stores; each block in between is computed into an L1 buffer and streamed out (one more
/// load and store per vector, from L1). In place too: the lines were just read, so plain stores
/// would not read them again, but would leave them dirty in cache to be written back later among
/// the next reads (float64 `exp` in place over 10M items: 6.3 ms with plain stores against 4.1 for
/// `out=`).
/// The input is left to the hardware prefetcher: with software prefetches 8 KB ahead, 10M float64
/// items on 2 threads took 5-8% longer for `negative`, `sqrt` and `exp`, 1-3% for `log`, `log1p`,
/// `sin` (and `add` 6-10%; 2026-11-28, development machine, builds alternating in one process).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn map_streaming<T: Float, K: Unary<T>, const FMA: bool, const AVX512: bool, const AVX2: bool>(
    src: Option<&[T]>,
    dst: &mut [T],
) -> u8 {
    let head = dst.as_ptr().align_offset(64).min(dst.len());
    let (dst_head, dst) = dst.split_at_mut(head);
    let (mut status, src) = match src {
        Some(src) => {
            let (src_head, src) = src.split_at(head);
            (
                map_slices::<T, K, FMA, AVX512, AVX2>(src_head, dst_head),
                Some(src),
            )
        }
        None => (
            map_in_place_plain::<T, K, FMA, AVX512, AVX2>(dst_head),
            None,
        ),
    };
    let mut buf = LineBlock([T::default(); RANGE_BLOCK]);
    let bytes = K::STREAM_BLOCK_BYTES.min(RANGE_BLOCK * size_of::<T>());
    let block = bytes / size_of::<T>();
    let len = dst.len();
    let (targets, stream_blocks) = (AHEAD.get(), (len / block).max(1));
    for (i, d) in dst.chunks_exact_mut(block).enumerate() {
        targets.prefetch_part(i, stream_blocks);
        let s = src.map_or(&*d, |src| &src[i * block..][..block]);
        status |= map_block::<T, K, FMA, AVX512, AVX2>(s, &mut buf.0[..block]);
        // SAFETY: `d` holds `bytes` (a multiple of 64) from a 64-byte boundary (`head`, then whole
        // blocks); `buf` is aligned by its type.
        unsafe {
            stream_lines::<AVX512>(
                buf.0.as_ptr().cast::<u8>(),
                d.as_mut_ptr().cast::<u8>(),
                bytes,
            );
        }
    }
    let done = len / block * block;
    status |= match src {
        Some(src) => map_slices::<T, K, FMA, AVX512, AVX2>(&src[done..], &mut dst[done..]),
        None => map_in_place_plain::<T, K, FMA, AVX512, AVX2>(&mut dst[done..]),
    };
    // SAFETY: no preconditions; orders the streaming stores before the pool's completion signal.
    unsafe { std::arch::x86_64::_mm_sfence() };
    status
}

/// `dst = f(src)`, streaming the stores of a large output.
#[inline(always)]
fn map_out_of_place<
    T: Float,
    K: Unary<T>,
    const FMA: bool,
    const AVX512: bool,
    const AVX2: bool,
>(
    src: &[T],
    dst: &mut [T],
) -> u8 {
    #[cfg(target_arch = "x86_64")]
    if streams(size_of_val(dst)) {
        return map_streaming::<T, K, FMA, AVX512, AVX2>(Some(src), dst);
    }
    map_slices::<T, K, FMA, AVX512, AVX2>(src, dst)
}

/// `buf = f(buf)`, streaming the stores of a large buffer.
#[inline(always)]
fn map_in_place<T: Float, K: Unary<T>, const FMA: bool, const AVX512: bool, const AVX2: bool>(
    buf: &mut [T],
) -> u8 {
    #[cfg(target_arch = "x86_64")]
    if streams(size_of_val(buf)) {
        return map_streaming::<T, K, FMA, AVX512, AVX2>(None, buf);
    }
    map_in_place_plain::<T, K, FMA, AVX512, AVX2>(buf)
}

/// [`map_in_place`] with plain stores: each block is copied to an L1 buffer first (the kernels read
/// and write distinct slices), which costs little beside the kernel.
#[inline(always)]
fn map_in_place_plain<
    T: Float,
    K: Unary<T>,
    const FMA: bool,
    const AVX512: bool,
    const AVX2: bool,
>(
    buf: &mut [T],
) -> u8 {
    let mut status = 0;
    let mut copy = [T::default(); RANGE_BLOCK];
    for block in buf.chunks_mut(RANGE_BLOCK) {
        let src = &mut copy[..block.len()];
        src.copy_from_slice(block);
        status |= map_block::<T, K, FMA, AVX512, AVX2>(src, block);
    }
    status
}

/// # Safety
/// `src` and `dst` must address `n` elements at their steps, disjoint or identical.
#[inline(always)]
unsafe fn unary_range<
    T: Float,
    K: Unary<T>,
    const FMA: bool,
    const AVX512: bool,
    const AVX2: bool,
>(
    src: *const u8,
    src_step: isize,
    dst: *mut u8,
    dst_step: isize,
    n: usize,
) -> u8 {
    let size = size_of::<T>() as isize;
    let aligned = (src as usize | dst as usize).is_multiple_of(align_of::<T>());
    if K::HARDWARE_STATUS {
        fpstatus::clear();
    }
    let status = if src_step == size && dst_step == size && aligned {
        // SAFETY: contiguous, aligned, and either the same memory or disjoint (caller's contract).
        unsafe {
            if std::ptr::eq(src, dst) {
                map_in_place::<T, K, FMA, AVX512, AVX2>(std::slice::from_raw_parts_mut(
                    dst.cast::<T>(),
                    n,
                ))
            } else {
                map_out_of_place::<T, K, FMA, AVX512, AVX2>(
                    std::slice::from_raw_parts(src.cast::<T>(), n),
                    std::slice::from_raw_parts_mut(dst.cast::<T>(), n),
                )
            }
        }
    } else {
        let mut gathered = [T::default(); GATHER_BLOCK];
        let mut results = [T::default(); GATHER_BLOCK];
        let mut status = 0;
        let mut start = 0;
        while start < n {
            let len = (n - start).min(GATHER_BLOCK);
            for (j, v) in gathered[..len].iter_mut().enumerate() {
                // SAFETY: index start + j < n, inside the operand (caller's contract).
                *v = unsafe {
                    read_unaligned(src.offset((start + j) as isize * src_step).cast::<T>())
                };
            }
            status |= map_block::<T, K, FMA, AVX512, AVX2>(&gathered[..len], &mut results[..len]);
            for (j, v) in results[..len].iter().enumerate() {
                // SAFETY: as above, for the output operand.
                unsafe {
                    write_unaligned(dst.offset((start + j) as isize * dst_step).cast::<T>(), *v)
                };
            }
            start += len;
        }
        status
    };
    if K::HARDWARE_STATUS {
        fpstatus::current()
    } else {
        status
    }
}

/// One instruction-set entry point: `unary_range` compiled with the given target features.
macro_rules! unary_entry {
    ($(#[$attr:meta])* $name:ident, $fma:expr, $avx512:expr, $avx2:expr) => {
        $(#[$attr])*
        unsafe fn $name<T: Float, K: Unary<T>>(
            src: *const u8,
            src_step: isize,
            dst: *mut u8,
            dst_step: isize,
            n: usize,
        ) -> u8 {
            // SAFETY: forwarded contract; the dispatcher only picks a level this CPU supports.
            unsafe { unary_range::<T, K, { $fma }, { $avx512 }, { $avx2 }>(src, src_step, dst, dst_step, n) }
        }
    };
}

unary_entry!(unary_generic, GENERIC_FMA, false, false);
unary_entry!(
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma,bmi1,bmi2,lzcnt,popcnt")]
    unary_avx2,
    true,
    false,
    true
);
unary_entry!(
    #[cfg(target_arch = "x86_64")]
    #[target_feature(
        enable = "avx512f,avx512dq,avx512vl,avx512bw,avx2,fma,bmi1,bmi2,lzcnt,popcnt"
    )]
    unary_avx512,
    true,
    true,
    false
);

/// The loops of one kernel, indexed by [`crate::Isa`]; levels this target lacks fall back to the portable one.
pub const fn unary_loops<T: Float, K: Unary<T>>() -> [UnaryLoop; 3] {
    #[cfg(target_arch = "x86_64")]
    {
        [
            unary_generic::<T, K>,
            unary_avx2::<T, K>,
            unary_avx512::<T, K>,
        ]
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        [
            unary_generic::<T, K>,
            unary_generic::<T, K>,
            unary_generic::<T, K>,
        ]
    }
}

/// A binary loop: `dst[i] = f(a[i], b[i])` over `n` elements at byte strides (0 for a broadcast
/// scalar); returns the [`crate::fpstatus`] conditions met. Operands may overlap in any way: elements
/// are then done in order (NumPy's reductions rely on it).
pub type BinaryLoop = unsafe fn(
    a: *const u8,
    a_step: isize,
    b: *const u8,
    b_step: isize,
    dst: *mut u8,
    dst_step: isize,
    n: usize,
) -> u8;

/// One block of pairs: the hardware's flags for one-operation kernels, else the fast kernel when every
/// pair is in its fast range, else the full kernel with the status of every element.
#[inline(always)]
fn map_block2<T: Float, K: Binary<T>, const FMA: bool, const AVX512: bool, const AVX2: bool>(
    a: &[T],
    b: &[T],
    dst: &mut [T],
) -> u8 {
    let (a, b) = (&a[..dst.len()], &b[..dst.len()]);
    if K::HARDWARE_STATUS {
        // The caller (`binary_range`) clears the flags before its first block and reads them after
        // its last: once per call rather than once per block.
        for ((d, &x), &y) in dst.iter_mut().zip(a).zip(b) {
            *d = K::eval::<FMA>(x, y);
        }
        return 0;
    }
    let hand = if AVX512 {
        // SAFETY: AVX512 is only set in the entry compiled for, and chosen on, AVX-512 CPUs.
        unsafe { K::map_avx512(a, b, dst) }
    } else if AVX2 {
        // SAFETY: AVX2 is only set in the entry compiled for, and chosen on, AVX2 + FMA CPUs.
        unsafe { K::map_avx2(a, b, dst) }
    } else {
        None
    };
    if let Some(all_fast) = hand {
        let mut status = 0;
        if !all_fast {
            for ((&r, &x), &y) in dst.iter().zip(a).zip(b) {
                status |= K::status(x, y, r);
            }
        }
        return status;
    }
    let mut fast = true;
    for (&x, &y) in a.iter().zip(b) {
        fast &= K::fast(x, y);
    }
    let mut status = 0;
    if fast {
        for ((d, &x), &y) in dst.iter_mut().zip(a).zip(b) {
            *d = K::eval_fast::<FMA>(x, y);
        }
    } else {
        for ((d, &x), &y) in dst.iter_mut().zip(a).zip(b) {
            let r = K::eval::<FMA>(x, y);
            *d = r;
            status |= K::status(x, y, r);
        }
    }
    status
}

/// How one input operand of a binary loop is read, block by block.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Step 0: one value, put in the block buffer once.
    Scalar,
    /// Contiguous, aligned and distinct from the output: used in place.
    Direct,
    /// Strided, unaligned or the output itself: copied into the block buffer.
    Staged,
}

fn access<T>(p: *const u8, step: isize, dst: *mut u8) -> Access {
    let size = size_of::<T>() as isize;
    if step == 0 {
        Access::Scalar
    } else if step == size && (p as usize).is_multiple_of(align_of::<T>()) && !std::ptr::eq(p, dst)
    {
        Access::Direct
    } else {
        Access::Staged
    }
}

/// The block of one input starting at element `start`, `len` long.
///
/// # Safety
/// `p` addresses the operand (caller's contract of [`BinaryLoop`]).
#[inline(always)]
unsafe fn input_block<T: Float>(
    how: Access,
    p: *const u8,
    step: isize,
    start: usize,
    len: usize,
    buf: &mut [T],
) -> &[T] {
    match how {
        Access::Scalar => {}
        // SAFETY: len contiguous elements from start, inside the operand and not the output.
        Access::Direct => unsafe {
            return std::slice::from_raw_parts(p.cast::<T>().add(start), len);
        },
        Access::Staged => {
            for (j, v) in buf[..len].iter_mut().enumerate() {
                // SAFETY: element start + j < n of the operand.
                *v = unsafe { read_unaligned(p.offset((start + j) as isize * step).cast::<T>()) };
            }
        }
    }
    &buf[..len]
}

/// The first `len` elements of `store`, set to zero.
#[inline(always)]
fn prefix<T: Float>(store: &mut [MaybeUninit<T>; RANGE_BLOCK], len: usize) -> &mut [T] {
    for v in &mut store[..len] {
        v.write(T::default());
    }
    // SAFETY: the first `len` elements were just initialised; MaybeUninit<T> has T's layout.
    unsafe { std::slice::from_raw_parts_mut(store.as_mut_ptr().cast::<T>(), len) }
}

/// Whether an input overlaps the output other than element for element. NumPy does this in its own
/// reductions and accumulations (`add.reduce` passes the accumulator as input and output with step
/// 0; `accumulate` lags the output by one element), which need the elements done in order, one at a
/// time.
fn overlaps(
    size: isize,
    a: *const u8,
    a_step: isize,
    b: *const u8,
    b_step: isize,
    dst: *mut u8,
    dst_step: isize,
    n: usize,
) -> bool {
    let span = |p: *const u8, step: isize| {
        let (p, last) = (p as isize, (n as isize - 1).saturating_mul(step));
        (p.min(p.saturating_add(last)), p.max(p.saturating_add(last)))
    };
    let out = span(dst, dst_step);
    let clash = |p: *const u8, step: isize| {
        let (lo, hi) = span(p, step);
        let same = std::ptr::eq(p, dst) && step == dst_step;
        !same && lo < out.1 + size && out.0 < hi + size
    };
    dst_step == 0 || clash(a, a_step) || clash(b, b_step)
}

/// Element by element, in order, reading each input just before writing the output: the semantics
/// NumPy's reductions and accumulations rely on.
///
/// # Safety
/// The operands are valid for `n` elements at their steps (they may overlap in any way).
#[inline(always)]
unsafe fn binary_in_order<T: Float, K: Binary<T>, const FMA: bool>(
    a: *const u8,
    a_step: isize,
    b: *const u8,
    b_step: isize,
    dst: *mut u8,
    dst_step: isize,
    n: usize,
) -> u8 {
    let mut status = 0;
    if K::HARDWARE_STATUS {
        fpstatus::clear();
    }
    for i in 0..n as isize {
        // SAFETY: element i < n of each operand.
        unsafe {
            let x = read_unaligned(a.offset(i * a_step).cast::<T>());
            let y = read_unaligned(b.offset(i * b_step).cast::<T>());
            let r = K::eval::<FMA>(x, y);
            if !K::HARDWARE_STATUS {
                status |= K::status(x, y, r);
            }
            write_unaligned(dst.offset(i * dst_step).cast::<T>(), r);
        }
    }
    if K::HARDWARE_STATUS {
        status = fpstatus::current();
    }
    status
}

/// # Safety
/// The contract of [`BinaryLoop`].
#[inline(always)]
unsafe fn binary_range<
    T: Float,
    K: Binary<T>,
    const FMA: bool,
    const AVX512: bool,
    const AVX2: bool,
>(
    a: *const u8,
    a_step: isize,
    b: *const u8,
    b_step: isize,
    dst: *mut u8,
    dst_step: isize,
    n: usize,
) -> u8 {
    if overlaps(
        size_of::<T>() as isize,
        a,
        a_step,
        b,
        b_step,
        dst,
        dst_step,
        n,
    ) {
        // SAFETY: forwarded.
        return unsafe { binary_in_order::<T, K, FMA>(a, a_step, b, b_step, dst, dst_step, n) };
    }
    let size = size_of::<T>() as isize;
    let (a_how, b_how) = (access::<T>(a, a_step, dst), access::<T>(b, b_step, dst));
    let direct_out = dst_step == size && (dst as usize).is_multiple_of(align_of::<T>());
    // A large contiguous output is streamed (as in `map_streaming`) from its first 64-byte
    // boundary, in blocks of `STREAM_BLOCK_BYTES` computed into `out`.
    let stream = direct_out && streams(n * size_of::<T>());
    let head = if stream {
        dst.align_offset(64) / size_of::<T>()
    } else {
        n
    };
    let bytes = K::STREAM_BLOCK_BYTES.min(RANGE_BLOCK * size_of::<T>());
    let stream_block = bytes / size_of::<T>();
    let targets = if stream { AHEAD.get() } else { NO_TARGETS };
    let stream_blocks = (n.saturating_sub(head) / stream_block).max(1);
    // Block buffers, initialised only where and as far as the call uses them: zeroing 12 KiB would
    // cost a short call (or a block of `parmath.evaluate`) more than its arithmetic.
    let used = |needed: bool| if needed { n.min(RANGE_BLOCK) } else { 0 };
    let mut stores = [[MaybeUninit::<T>::uninit(); RANGE_BLOCK]; 3];
    let [a_store, b_store, out_store] = &mut stores;
    let (a_buf, b_buf, out) = (
        prefix(a_store, used(a_how != Access::Direct)),
        prefix(b_store, used(b_how != Access::Direct)),
        prefix(out_store, used(!direct_out || stream)),
    );
    // SAFETY (both): a broadcast operand has one element.
    if a_how == Access::Scalar {
        a_buf.fill(unsafe { read_unaligned(a.cast::<T>()) });
    }
    if b_how == Access::Scalar {
        b_buf.fill(unsafe { read_unaligned(b.cast::<T>()) });
    }
    let mut status = 0;
    let mut start = 0;
    if K::HARDWARE_STATUS {
        fpstatus::clear();
    }
    while start < n {
        let streamed = start >= head && n - start >= stream_block;
        let len = if streamed {
            stream_block
        } else if start < head {
            (head - start).min(RANGE_BLOCK)
        } else {
            (n - start).min(RANGE_BLOCK)
        };
        if streamed {
            targets.prefetch_part((start - head) / stream_block, stream_blocks);
        }
        // SAFETY: the caller's contract; staged copies are taken before the output is written.
        unsafe {
            let xa = input_block(a_how, a, a_step, start, len, a_buf);
            let xb = input_block(b_how, b, b_step, start, len, b_buf);
            if streamed {
                status |= map_block2::<T, K, FMA, AVX512, AVX2>(xa, xb, &mut out[..len]);
                // `dst + start` is on a 64-byte boundary (`head`, then whole blocks); `out` is
                // aligned to T only, hence the unaligned loads in `stream_lines`.
                #[cfg(target_arch = "x86_64")]
                stream_lines::<AVX512>(
                    out.as_ptr().cast::<u8>(),
                    dst.cast::<T>().add(start).cast::<u8>(),
                    bytes,
                );
            } else if direct_out {
                let d = std::slice::from_raw_parts_mut(dst.cast::<T>().add(start), len);
                status |= map_block2::<T, K, FMA, AVX512, AVX2>(xa, xb, d);
            } else {
                status |= map_block2::<T, K, FMA, AVX512, AVX2>(xa, xb, &mut out[..len]);
                for (j, v) in out[..len].iter().enumerate() {
                    write_unaligned(dst.offset((start + j) as isize * dst_step).cast::<T>(), *v);
                }
            }
        }
        start += len;
    }
    #[cfg(target_arch = "x86_64")]
    if stream {
        // SAFETY: no preconditions; orders the streaming stores before the pool's completion signal.
        unsafe { std::arch::x86_64::_mm_sfence() };
    }
    if K::HARDWARE_STATUS {
        status = fpstatus::current();
    }
    status
}

/// One instruction-set entry point of a binary kernel.
macro_rules! binary_entry {
    ($(#[$attr:meta])* $name:ident, $fma:expr, $avx512:expr, $avx2:expr) => {
        $(#[$attr])*
        unsafe fn $name<T: Float, K: Binary<T>>(
            a: *const u8,
            a_step: isize,
            b: *const u8,
            b_step: isize,
            dst: *mut u8,
            dst_step: isize,
            n: usize,
        ) -> u8 {
            // SAFETY: forwarded contract; the dispatcher only picks a level this CPU supports.
            unsafe { binary_range::<T, K, { $fma }, { $avx512 }, { $avx2 }>(a, a_step, b, b_step, dst, dst_step, n) }
        }
    };
}

binary_entry!(binary_generic, GENERIC_FMA, false, false);
binary_entry!(
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma,bmi1,bmi2,lzcnt,popcnt")]
    binary_avx2,
    true,
    false,
    true
);
binary_entry!(
    #[cfg(target_arch = "x86_64")]
    #[target_feature(
        enable = "avx512f,avx512dq,avx512vl,avx512bw,avx2,fma,bmi1,bmi2,lzcnt,popcnt"
    )]
    binary_avx512,
    true,
    true,
    false
);

/// The loops of one binary kernel, indexed by [`crate::Isa`].
pub const fn binary_loops<T: Float, K: Binary<T>>() -> [BinaryLoop; 3] {
    #[cfg(target_arch = "x86_64")]
    {
        [
            binary_generic::<T, K>,
            binary_avx2::<T, K>,
            binary_avx512::<T, K>,
        ]
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        [
            binary_generic::<T, K>,
            binary_generic::<T, K>,
            binary_generic::<T, K>,
        ]
    }
}

/// Runs a binary loop over `n` elements of `elem_size` bytes, split across the pool when the call is
/// large enough for the loop's `cost` ([`pool::threads_for_cost`]) and the operands do not overlap.
///
/// # Safety
/// As for [`BinaryLoop`]; `f` must be one of the loops for an ISA level this CPU supports.
pub unsafe fn run_binary(
    f: BinaryLoop,
    cost: f32,
    elem_size: usize,
    a: *const u8,
    a_step: isize,
    b: *const u8,
    b_step: isize,
    dst: *mut u8,
    dst_step: isize,
    n: usize,
) -> u8 {
    let threads = pool::threads_for_cost(n, cost);
    if threads == 1 || overlaps(elem_size as isize, a, a_step, b, b_step, dst, dst_step, n) {
        // SAFETY: caller's contract.
        return unsafe { f(a, a_step, b, b_step, dst, dst_step, n) };
    }
    let (a_addr, b_addr, dst_addr) = (a as usize, b as usize, dst as usize);
    pool::for_each_block(n, threads, |start, end| {
        let at =
            |addr: usize, step: isize| (addr as *mut u8).wrapping_offset(start as isize * step);
        // SAFETY: [start, end) is inside the operands; output blocks are disjoint.
        unsafe {
            f(
                at(a_addr, a_step),
                a_step,
                at(b_addr, b_step),
                b_step,
                at(dst_addr, dst_step),
                dst_step,
                end - start,
            )
        }
    })
}

/// Runs a float32 binary loop over float16 operands, as [`run_unary_f16`] does.
///
/// # Safety
/// As for [`run_binary`], with float16 elements.
pub unsafe fn run_binary_f16(
    f32_loop: BinaryLoop,
    cost: f32,
    a: *const u8,
    a_step: isize,
    b: *const u8,
    b_step: isize,
    dst: *mut u8,
    dst_step: isize,
    n: usize,
) -> u8 {
    // Overlapping operands (NumPy's reductions) go one element at a time, in order.
    let serial = overlaps(2, a, a_step, b, b_step, dst, dst_step, n);
    let chunk = if serial { 1 } else { GATHER_BLOCK };
    let (a_addr, b_addr, dst_addr) = (a as usize, b as usize, dst as usize);
    let block = |start: usize, end: usize| {
        let mut xa = [0.0f32; GATHER_BLOCK];
        let mut xb = [0.0f32; GATHER_BLOCK];
        let mut status = 0;
        let mut i = start;
        while i < end {
            let len = (end - i).min(chunk);
            for (buf, addr, step) in [(&mut xa, a_addr, a_step), (&mut xb, b_addr, b_step)] {
                for (j, v) in buf[..len].iter_mut().enumerate() {
                    let at = (addr as *const u8).wrapping_offset((i + j) as isize * step);
                    // SAFETY: element i + j < n of an input operand (caller's contract).
                    *v = crate::half::f16_to_f32(unsafe { read_unaligned(at.cast::<u16>()) });
                }
            }
            let (pa, pb) = (xa.as_mut_ptr().cast::<u8>(), xb.as_ptr().cast::<u8>());
            // SAFETY: local buffers of `len` elements; the output is the first input itself.
            status |= unsafe { f32_loop(pa, 4, pb, 4, pa, 4, len) };
            for (j, &v) in xa[..len].iter().enumerate() {
                let (h, st) = crate::half::f32_to_f16(v);
                status |= st;
                let at = (dst_addr as *mut u8).wrapping_offset((i + j) as isize * dst_step);
                // SAFETY: element i + j < n of the output operand (caller's contract).
                unsafe { write_unaligned(at.cast::<u16>(), h) };
            }
            i += len;
        }
        status
    };
    let threads = if serial {
        1
    } else {
        pool::threads_for_cost(n, cost)
    };
    pool::for_each_block(n, threads, block)
}

/// Runs `f` over `n` elements, split across the pool when the call is large enough for the loop's
/// `cost` ([`pool::threads_for_cost`]).
///
/// # Safety
/// As for [`UnaryLoop`]; `f` must be one of the loops for an ISA level this CPU supports.
pub unsafe fn run_unary(
    f: UnaryLoop,
    cost: f32,
    src: *const u8,
    src_step: isize,
    dst: *mut u8,
    dst_step: isize,
    n: usize,
) -> u8 {
    let threads = pool::threads_for_cost(n, cost);
    if threads == 1 {
        // SAFETY: caller's contract.
        return unsafe { f(src, src_step, dst, dst_step, n) };
    }
    // Addresses cross threads as integers; every block touches only its own elements.
    let (src_addr, dst_addr) = (src as usize, dst as usize);
    pool::for_each_block(n, threads, |start, end| {
        let src = (src_addr as *const u8).wrapping_offset(start as isize * src_step);
        let dst = (dst_addr as *mut u8).wrapping_offset(start as isize * dst_step);
        // SAFETY: [start, end) is inside the operands; blocks are disjoint.
        unsafe { f(src, src_step, dst, dst_step, end - start) }
    })
}

/// Runs a float32 loop over float16 operands, converting through L1 blocks: NumPy's own float16
/// loops compute in float32 too. The conversion's overflow and underflow are reported with the
/// kernel's conditions.
///
/// # Safety
/// As for [`run_unary`], with float16 elements.
pub unsafe fn run_unary_f16(
    f32_loop: UnaryLoop,
    cost: f32,
    src: *const u8,
    src_step: isize,
    dst: *mut u8,
    dst_step: isize,
    n: usize,
) -> u8 {
    let (src_addr, dst_addr) = (src as usize, dst as usize);
    let block = |start: usize, end: usize| {
        let mut buf = [0.0f32; GATHER_BLOCK];
        let mut status = 0;
        let mut i = start;
        while i < end {
            let len = (end - i).min(GATHER_BLOCK);
            for (j, v) in buf[..len].iter_mut().enumerate() {
                let at = (src_addr as *const u8).wrapping_offset((i + j) as isize * src_step);
                // SAFETY: element i + j < n of the input operand (caller's contract).
                *v = crate::half::f16_to_f32(unsafe { read_unaligned(at.cast::<u16>()) });
            }
            let p = buf.as_mut_ptr().cast::<u8>();
            // SAFETY: in place over `len` elements of a local buffer.
            status |= unsafe { f32_loop(p, 4, p, 4, len) };
            for (j, &v) in buf[..len].iter().enumerate() {
                let (h, st) = crate::half::f32_to_f16(v);
                status |= st;
                let at = (dst_addr as *mut u8).wrapping_offset((i + j) as isize * dst_step);
                // SAFETY: element i + j < n of the output operand (caller's contract).
                unsafe { write_unaligned(at.cast::<u16>(), h) };
            }
            i += len;
        }
        status
    };
    pool::for_each_block(n, pool::threads_for_cost(n, cost), block)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A panic inside the scope (caught further up, as the binding does) leaves the thread's
    /// settings as they were before it.
    #[test]
    fn settings_end_with_their_scope_on_unwind() {
        let x = 1u8;
        let caught = std::panic::catch_unwind(|| {
            with_streamed_outputs_prefetching(&[(&x as *const u8, 1)], || {
                assert!(STREAM_ALL.get());
                assert_eq!(AHEAD.get().0[0].1, 1);
                panic!("kernel failed");
            })
        });
        assert!(caught.is_err());
        assert!(!STREAM_ALL.get());
        assert_eq!(AHEAD.get().0[0].1, 0);
    }
}

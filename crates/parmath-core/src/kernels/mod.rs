//! Element kernels. Each is a branch-free function of one lane, `#[inline(always)]`, so that the loops in
//! [`crate::apply`] vectorise it once per instruction set inside a `#[target_feature]` function.
//!
//! A kernel file holds the float64 and float32 versions of one function; its header gives the domain,
//! the error bound and the method. Coefficients come from the sollya scripts in `scripts/sollya/`.

pub mod arith;
mod dd;
pub mod exp;
pub mod explog;
pub mod hyperbolic;
pub mod invtrig;
pub mod log;
pub mod powers;
#[cfg(target_arch = "x86_64")]
mod simd256;
#[cfg(target_arch = "x86_64")]
mod simd512;
pub mod special;
pub mod trig;

/// An element-wise function of one argument, for one float type.
///
/// Loops check each cache-sized block of input against `[FAST_MIN, FAST_MAX]` first: a block wholly
/// inside (the usual case) runs `eval_fast` with no status bookkeeping; any other block runs `eval`
/// and `status` on every element.
pub trait Unary<T>: 'static {
    /// True for kernels that are one IEEE operation (`sqrt`, `1/x`, `x*x`): the loops then take the
    /// conditions from the hardware's flags, cleared before and read after each block, instead of
    /// calling `status` (which is then never used).
    const HARDWARE_STATUS: bool = false;

    /// True for kernels that raise no condition for any input, NaN included (`absolute`, `floor`,
    /// ...), with `eval_fast` equal to `eval` everywhere: the loops skip the range check, a second
    /// pass over each block that cost as much as these kernels themselves.
    const NO_CONDITIONS: bool = false;

    /// How many bytes of a streamed output one call of the kernel computes before they are stored
    /// ([`crate::apply::STREAM_BLOCK_BYTES`], at most 4,096 and a whole number of lines). Kernels
    /// that load many constants per call (tables of coefficients) take larger blocks.
    const STREAM_BLOCK_BYTES: usize = crate::apply::STREAM_BLOCK_BYTES;

    /// Smallest input of the fast range. Inputs in the range raise no condition.
    const FAST_MIN: T;
    /// Largest input of the fast range.
    const FAST_MAX: T;

    /// `f(x)` for any input. `FMA` is true where fused multiply-add is one instruction; kernels must be
    /// accurate either way.
    fn eval<const FMA: bool>(x: T) -> T;

    /// `f(x)` for inputs in `[FAST_MIN, FAST_MAX]`, bit-identical to `eval` there.
    fn eval_fast<const FMA: bool>(x: T) -> T;

    /// `dst = f(src)` by a hand-vectorised kernel of the AVX-512 level, for any inputs (it then runs on
    /// every block, so a result never depends on its neighbours). Returns `None` where the function
    /// has none, and the per-lane code runs instead; else whether every input lay in
    /// `[FAST_MIN, FAST_MAX]` (when not, the loop adds up `status` over the block).
    ///
    /// # Safety
    /// Only on CPUs with AVX-512F and AVX-512DQ; equal lengths.
    #[inline(always)]
    unsafe fn map_avx512(_src: &[T], _dst: &mut [T]) -> Option<bool> {
        None
    }

    /// As [`Unary::map_avx512`], for the AVX2 level (AVX2 and FMA).
    ///
    /// # Safety
    /// Only on CPUs with AVX2 and FMA; equal lengths.
    #[inline(always)]
    unsafe fn map_avx2(_src: &[T], _dst: &mut [T]) -> Option<bool> {
        None
    }

    /// The IEEE 754 conditions (see [`crate::fpstatus`]) that computing `f(x)` exactly rounded raises,
    /// given the input `x` and the result `y`. Branch-free: it runs on every element.
    fn status(x: T, y: T) -> u8;
}

/// An element-wise function of two arguments, for one float type. NumPy broadcasts the operands; the
/// loops see pairs.
pub trait Binary<T>: 'static {
    /// As [`Unary::HARDWARE_STATUS`].
    const HARDWARE_STATUS: bool = false;

    /// As [`Unary::STREAM_BLOCK_BYTES`].
    const STREAM_BLOCK_BYTES: usize = crate::apply::STREAM_BLOCK_BYTES;

    /// `f(x, y)` for any inputs.
    fn eval<const FMA: bool>(x: T, y: T) -> T;

    /// Whether `(x, y)` is in the fast range: no condition is raised and `eval_fast` is exact there.
    /// A block whose pairs are all fast runs `eval_fast` with no status bookkeeping.
    #[inline(always)]
    fn fast(_x: T, _y: T) -> bool {
        false
    }

    /// `f(x, y)` for fast pairs, bit-identical to `eval` there.
    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: T, y: T) -> T {
        Self::eval::<FMA>(x, y)
    }

    /// A hand-vectorised kernel for the AVX-512 level: `dst = f(a, b)` for every pair of equal-length
    /// slices, and whether every pair was in its fast range (no condition raised). `None` where the
    /// function has none (the loops then vectorise `eval_fast` and `eval`).
    ///
    /// # Safety
    /// The CPU supports AVX-512F and AVX-512DQ.
    #[inline(always)]
    unsafe fn map_avx512(_a: &[T], _b: &[T], _dst: &mut [T]) -> Option<bool> {
        None
    }

    /// As [`Binary::map_avx512`], for the AVX2 level.
    ///
    /// # Safety
    /// The CPU supports AVX2 and FMA.
    #[inline(always)]
    unsafe fn map_avx2(_a: &[T], _b: &[T], _dst: &mut [T]) -> Option<bool> {
        None
    }

    /// The conditions (see [`crate::fpstatus`]) that computing `f(x, y)` exactly rounded raises, given
    /// the inputs and the result `r`. Branch-free: it runs on every element of a block with any slow
    /// pair.
    fn status(x: T, y: T, r: T) -> u8;
}

/// `a * b + c`, fused where the hardware has it, else two roundings.
#[inline(always)]
pub fn fma64<const FMA: bool>(a: f64, b: f64, c: f64) -> f64 {
    if FMA {
        a.mul_add(b, c)
    } else {
        a * b + c
    }
}

/// `a * b + c` in float32, fused where the hardware has it, else two roundings.
#[inline(always)]
pub fn fma32<const FMA: bool>(a: f32, b: f32, c: f32) -> f32 {
    if FMA {
        a.mul_add(b, c)
    } else {
        a * b + c
    }
}

/// The NaN x86's `a + b` gives when `a` or `b` is NaN: `a` quieted if it is NaN, else `b` quieted.
/// Written out because the compiler may swap the operands of `a + b`, and then the vector and scalar
/// loops of one kernel return different NaN payloads.
#[inline(always)]
#[allow(clippy::eq_op)]
pub fn first_nan<T: Copy + std::ops::Add<Output = T> + PartialEq>(a: T, b: T) -> T {
    if a != a {
        a + a
    } else {
        b + b
    }
}

/// A status bit as a mask: `bit` when `cond` holds, else 0 (compiles to a compare and an and).
#[inline(always)]
pub fn flag(cond: bool, bit: u8) -> u8 {
    (cond as u8).wrapping_neg() & bit
}

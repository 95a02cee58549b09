//! The one table of functions. The Python ufuncs, the stubs and the test matrices are all made from it,
//! so a new function is one row here and one kernel file.

use crate::apply::{binary_loops, run_binary, run_unary, unary_loops, BinaryLoop, UnaryLoop};
use crate::isa::{self, Isa};
use crate::kernels::{self, arith, exp::Exp, log::Log};

/// Element types with kernels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dtype {
    /// IEEE binary32.
    F32,
    /// IEEE binary64.
    F64,
}

impl Dtype {
    /// Every supported type, in NumPy's loop order (the narrower first, so promotion picks it).
    pub const ALL: [Dtype; 2] = [Dtype::F32, Dtype::F64];

    /// NumPy's name for it.
    pub fn name(self) -> &'static str {
        match self {
            Dtype::F32 => "float32",
            Dtype::F64 => "float64",
        }
    }
}

/// The compiled loops of one function.
#[derive(Debug)]
pub enum Kernel {
    /// One input, one output; loops indexed by [`Isa`].
    Unary {
        /// float32 loops.
        f32: [UnaryLoop; 3],
        /// float64 loops.
        f64: [UnaryLoop; 3],
    },
    /// Two inputs, one output.
    Binary {
        /// float32 loops.
        f32: [BinaryLoop; 3],
        /// float64 loops.
        f64: [BinaryLoop; 3],
        /// The identity for `reduce`.
        identity: Identity,
    },
}

/// A binary ufunc's identity element, as NumPy's `PyUFunc_FromFuncAndData` takes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Identity {
    /// None: `reduce` needs a non-empty input and does not reorder.
    None,
    /// None, but `reduce` may reorder and run over several axes (`maximum`, `minimum`).
    ReorderableNone,
    /// 0 (`add`).
    Zero,
    /// 1 (`multiply`).
    One,
}

impl Identity {
    /// NumPy's `PyUFunc_*` constant.
    pub fn numpy_code(self) -> i32 {
        match self {
            Identity::None => -1,
            Identity::ReorderableNone => -2,
            Identity::Zero => 0,
            Identity::One => 1,
        }
    }
}

/// One row of the table.
#[derive(Debug)]
pub struct Function {
    /// The public name (as in NumPy).
    pub name: &'static str,
    /// One-line summary for the docstring.
    pub summary: &'static str,
    /// Where the function is defined, and its special values, for the docstring.
    pub domain: &'static str,
    /// A docstring example: float64 inputs (one Python list per argument) and the array NumPy prints
    /// for the result.
    pub example: (&'static [&'static str], &'static str),
    /// Guaranteed maximum error in ULP against the exact result, float32.
    pub ulp_f32: f64,
    /// Guaranteed maximum error in ULP against the exact result, float64.
    pub ulp_f64: f64,
    /// Work per element relative to float64 `exp`, which sets the size from which a call is split
    /// across threads ([`crate::pool::threads_for_cost`]).
    pub cost: Cost,
    /// The loops.
    pub kernel: Kernel,
}

/// Work per element of each type relative to float64 `exp`: a power of two, from where two threads
/// began to beat one (`python scripts/split_points.py all`: batches alternating, 8K to 512K
/// elements; 2026-11-28, 2-core development machine, AVX-512). float64: the exponentials and logarithms 1, the trigonometric functions,
/// `power`, `hypot`, `expit` and the inverse hyperbolic ones 2 (two threads 1.2x to 1.7x one at
/// 32K elements), `erf` and `erfc` 4; float32 half of that or the same; the arithmetic 1/2 and 1/4,
/// since splitting it pays only once the data outgrows one core's cache (float64 `add`: two threads
/// 0.6x to 1.4x one at 64K, 1.1x to 1.6x at 128K).
#[derive(Clone, Copy, Debug)]
pub struct Cost {
    /// float32 (and float16, computed in float32).
    pub f32: f32,
    /// float64.
    pub f64: f32,
}

impl Function {
    /// Number of inputs.
    pub fn arity(&self) -> usize {
        match self.kernel {
            Kernel::Unary { .. } => 1,
            Kernel::Binary { .. } => 2,
        }
    }

    /// The work per element for a type ([`Function::cost`]).
    pub fn cost(&self, dtype: Dtype) -> f32 {
        match dtype {
            Dtype::F32 => self.cost.f32,
            Dtype::F64 => self.cost.f64,
        }
    }

    /// The ULP bound for a type.
    pub fn ulp(&self, dtype: Dtype) -> f64 {
        match dtype {
            Dtype::F32 => self.ulp_f32,
            Dtype::F64 => self.ulp_f64,
        }
    }

    /// `dst[i] = f(src[i])` in float64 with the active instruction set and the pool; returns the
    /// [`crate::fpstatus`] conditions met.
    ///
    /// # Panics
    /// If the function is not unary or the lengths differ.
    pub fn apply_f64(&self, src: &[f64], dst: &mut [f64]) -> u8 {
        apply_slices(
            self.unary_loop(Dtype::F64, isa::active()),
            self.cost.f64,
            src,
            dst,
        )
    }

    /// As [`Function::apply_f64`], in float32.
    ///
    /// # Panics
    /// If the function is not unary or the lengths differ.
    pub fn apply_f32(&self, src: &[f32], dst: &mut [f32]) -> u8 {
        apply_slices(
            self.unary_loop(Dtype::F32, isa::active()),
            self.cost.f32,
            src,
            dst,
        )
    }

    /// The unary loop for a type and instruction set, if this function is unary.
    pub fn unary_loop(&self, dtype: Dtype, isa: Isa) -> Option<UnaryLoop> {
        match &self.kernel {
            Kernel::Unary { f32, f64 } => Some(match dtype {
                Dtype::F32 => f32[isa as usize],
                Dtype::F64 => f64[isa as usize],
            }),
            Kernel::Binary { .. } => None,
        }
    }

    /// The binary loop for a type and instruction set, if this function is binary.
    pub fn binary_loop(&self, dtype: Dtype, isa: Isa) -> Option<BinaryLoop> {
        match &self.kernel {
            Kernel::Binary { f32, f64, .. } => Some(match dtype {
                Dtype::F32 => f32[isa as usize],
                Dtype::F64 => f64[isa as usize],
            }),
            Kernel::Unary { .. } => None,
        }
    }

    /// `dst[i] = f(a[i], b[i])` in float64 with the active instruction set and the pool; returns the
    /// conditions met.
    ///
    /// # Panics
    /// If the function is not binary or the lengths differ.
    pub fn apply2_f64(&self, a: &[f64], b: &[f64], dst: &mut [f64]) -> u8 {
        apply_pairs(
            self.binary_loop(Dtype::F64, isa::active()),
            self.cost.f64,
            a,
            b,
            dst,
        )
    }

    /// As [`Function::apply2_f64`], in float32.
    ///
    /// # Panics
    /// If the function is not binary or the lengths differ.
    pub fn apply2_f32(&self, a: &[f32], b: &[f32], dst: &mut [f32]) -> u8 {
        apply_pairs(
            self.binary_loop(Dtype::F32, isa::active()),
            self.cost.f32,
            a,
            b,
            dst,
        )
    }
}

fn apply_pairs<T: Copy>(lp: Option<BinaryLoop>, cost: f32, a: &[T], b: &[T], dst: &mut [T]) -> u8 {
    let lp = lp.expect("not a binary function");
    assert!(
        a.len() == dst.len() && b.len() == dst.len(),
        "length mismatch"
    );
    let size = std::mem::size_of::<T>();
    let step = size as isize;
    // SAFETY: three slices of equal length, the output distinct; the loop is for the active level.
    unsafe {
        run_binary(
            lp,
            cost,
            size,
            a.as_ptr().cast(),
            step,
            b.as_ptr().cast(),
            step,
            dst.as_mut_ptr().cast(),
            step,
            dst.len(),
        )
    }
}

fn apply_slices<T: Copy>(lp: Option<UnaryLoop>, cost: f32, src: &[T], dst: &mut [T]) -> u8 {
    let lp = lp.expect("not a unary function");
    assert_eq!(src.len(), dst.len(), "length mismatch");
    let size = std::mem::size_of::<T>() as isize;
    // SAFETY: two distinct slices of equal length; the loop is for the active (supported) level.
    unsafe {
        run_unary(
            lp,
            cost,
            src.as_ptr().cast(),
            size,
            dst.as_mut_ptr().cast(),
            size,
            src.len(),
        )
    }
}

/// The loops of a unary kernel type.
const fn unary<K: kernels::Unary<f32> + kernels::Unary<f64>>() -> Kernel {
    Kernel::Unary {
        f32: unary_loops::<f32, K>(),
        f64: unary_loops::<f64, K>(),
    }
}

/// The loops of a binary kernel type.
const fn binary<K: kernels::Binary<f32> + kernels::Binary<f64>>(identity: Identity) -> Kernel {
    Kernel::Binary {
        f32: binary_loops::<f32, K>(),
        f64: binary_loops::<f64, K>(),
        identity,
    }
}

/// Every function parmath provides.
pub static FUNCTIONS: &[Function] = &[
    Function {
        name: "exp",
        summary: "Exponential, e**x, element-wise.",
        domain:
            "All reals. Overflows to inf above about 709.78 (float32: 88.72), underflows through \
                 the subnormals to 0 below about -745.13 (float32: -103.97); exp(nan) is nan.",
        example: (&["[0.0, 1.0, -1.0]"],
            "array([1.        , 2.71828183, 0.36787944])",
        ),
        ulp_f32: 1.0,
        ulp_f64: 1.0,
        cost: Cost { f32: 0.5, f64: 1.0 },
        kernel: unary::<Exp>(),
    },
    Function {
        name: "log",
        summary: "Natural logarithm, element-wise.",
        domain:
            "x > 0 (subnormals included). log(0) is -inf with a divide-by-zero error, log(x < 0) \
                 is nan with an invalid error, log(inf) is inf, log(nan) is nan.",
        example: (&["[1.0, 2.0, 10.0]"],
            "array([0.        , 0.69314718, 2.30258509])",
        ),
        ulp_f32: 1.0,
        ulp_f64: 1.0,
        cost: Cost { f32: 0.5, f64: 1.0 },
        kernel: unary::<Log>(),
    },
    // ---- explog family (kernels/explog.rs): exp2, expm1, log2, log10, log1p ----
    Function {
        name: "exp2",
        summary: "Calculate `2**p` for all `p` in the input array.",
        domain:
            "All reals. Overflows to inf from 1024 (float32: 128), underflows through the \
                 subnormals to 0 below -1075 (float32: -150); exp2(-inf) is 0, exp2(nan) is nan.",
        example: (&["[0.0, 1.0, -1.0, 0.5]"],
            "array([1.        , 2.        , 0.5       , 1.41421356])",
        ),
        ulp_f32: 1.0,
        ulp_f64: 1.0,
        cost: Cost { f32: 0.5, f64: 1.0 },
        kernel: unary::<kernels::explog::Exp2>(),
    },
    Function {
        name: "expm1",
        summary: "Calculate `exp(x) - 1` for all elements in the array.",
        domain:
            "All reals, accurate near 0. Overflows to inf above about 709.78 (float32: 88.72); \
                 tends to -1 (expm1(-inf) is -1); expm1(-0) is -0, expm1(nan) is nan.",
        example: (&["[0.0, 1e-10, 1.0]"],
            "array([0.00000000e+00, 1.00000000e-10, 1.71828183e+00])",
        ),
        ulp_f32: 1.0,
        ulp_f64: 1.0,
        cost: Cost { f32: 0.5, f64: 1.0 },
        kernel: unary::<kernels::explog::Expm1>(),
    },
    Function {
        name: "log2",
        summary: "Base-2 logarithm of `x`.",
        domain:
            "x > 0 (subnormals included). log2(0) is -inf with a divide-by-zero error, log2(x < 0) \
                 is nan with an invalid error, log2(inf) is inf, log2(nan) is nan; log2(2**k) is k \
                 exactly.",
        example: (&["[1.0, 8.0, 10.0]"],
            "array([0.        , 3.        , 3.32192809])",
        ),
        ulp_f32: 1.0,
        ulp_f64: 1.0,
        cost: Cost { f32: 0.5, f64: 1.0 },
        kernel: unary::<kernels::explog::Log2>(),
    },
    Function {
        name: "log10",
        summary: "Return the base 10 logarithm of the input array, element-wise.",
        domain:
            "x > 0 (subnormals included). log10(0) is -inf with a divide-by-zero error, \
                 log10(x < 0) is nan with an invalid error, log10(inf) is inf, log10(nan) is nan; \
                 log10 of a power of ten is exact.",
        example: (&["[1.0, 1000.0, 2.0]"],
            "array([0.     , 3.     , 0.30103])",
        ),
        ulp_f32: 1.0,
        ulp_f64: 1.0,
        cost: Cost { f32: 0.5, f64: 1.0 },
        kernel: unary::<kernels::explog::Log10>(),
    },
    Function {
        name: "log1p",
        summary: "Return the natural logarithm of one plus the input array, element-wise.",
        domain:
            "x > -1, accurate near 0. log1p(-1) is -inf with a divide-by-zero error, \
                 log1p(x < -1) is nan with an invalid error, log1p(-0) is -0, log1p(inf) is inf, \
                 log1p(nan) is nan.",
        example: (&["[0.0, 1e-10, 1.0]"],
            "array([0.00000000e+00, 1.00000000e-10, 6.93147181e-01])",
        ),
        ulp_f32: 1.0,
        ulp_f64: 1.0,
        cost: Cost { f32: 1.0, f64: 1.0 },
        kernel: unary::<kernels::explog::Log1p>(),
    },
    // ---- end explog ----
    // ---- trig family (kernels/trig.rs): sin, cos, tan ----
    Function {
        name: "sin",
        summary: "Trigonometric sine, element-wise.",
        domain:
            "All reals, in radians; arguments of any size are reduced exactly. sin(+-inf) is nan \
                 with an invalid error, sin(nan) is nan, sin(-0) is -0.",
        example: (&["[0.0, 0.5, 1.0, 3.0]"],
            "array([0.        , 0.47942554, 0.84147098, 0.14112001])",
        ),
        ulp_f32: 1.0,
        ulp_f64: 1.0,
        cost: Cost { f32: 1.0, f64: 2.0 },
        kernel: unary::<kernels::trig::Sin>(),
    },
    Function {
        name: "cos",
        summary: "Cosine element-wise.",
        domain:
            "All reals, in radians; arguments of any size are reduced exactly. cos(+-inf) is nan \
                 with an invalid error, cos(nan) is nan, cos(+-0) is 1.",
        example: (&["[0.0, 0.5, 1.0, 3.0]"],
            "array([ 1.        ,  0.87758256,  0.54030231, -0.9899925 ])",
        ),
        ulp_f32: 1.0,
        ulp_f64: 1.0,
        cost: Cost { f32: 1.0, f64: 2.0 },
        kernel: unary::<kernels::trig::Cos>(),
    },
    Function {
        name: "tan",
        summary: "Compute tangent element-wise.",
        domain:
            "All reals, in radians; arguments of any size are reduced exactly, and the result is \
                 always finite (no float is an odd multiple of pi/2). tan(+-inf) is nan with an \
                 invalid error, tan(nan) is nan, tan(-0) is -0.",
        example: (&["[0.0, 0.5, 1.0, 3.0]"],
            "array([ 0.        ,  0.54630249,  1.55740772, -0.14254654])",
        ),
        ulp_f32: 1.0,
        ulp_f64: 1.0,
        cost: Cost { f32: 1.0, f64: 2.0 },
        kernel: unary::<kernels::trig::Tan>(),
    },
    // ---- end trig ----
    // ---- invtrig family (kernels/invtrig.rs): arcsin, arccos, arctan, arctan2 ----
    Function {
        name: "arcsin",
        summary: "Inverse sine, element-wise.",
        domain: "[-1, 1]; arcsin(±0) is ±0, arcsin(±1) is ±pi/2; |x| > 1 (inf included) is nan \
                 with an invalid error; arcsin(nan) is nan.",
        example: (&["[0.0, 0.5, 1.0]"], "array([0.        , 0.52359878, 1.57079633])"),
        ulp_f32: 1.0,
        ulp_f64: 1.0,
        cost: Cost { f32: 0.5, f64: 1.0 },
        kernel: unary::<kernels::invtrig::Arcsin>(),
    },
    Function {
        name: "arccos",
        summary: "Trigonometric inverse cosine, element-wise.",
        domain: "[-1, 1]; arccos(1) is 0, arccos(-1) is pi, arccos(±0) is pi/2; |x| > 1 (inf \
                 included) is nan with an invalid error; arccos(nan) is nan.",
        example: (&["[1.0, 0.5, -1.0]"], "array([0.        , 1.04719755, 3.14159265])"),
        ulp_f32: 1.0,
        ulp_f64: 1.0,
        cost: Cost { f32: 0.5, f64: 1.0 },
        kernel: unary::<kernels::invtrig::Arccos>(),
    },
    Function {
        name: "arctan",
        summary: "Trigonometric inverse tangent, element-wise.",
        domain: "All reals; arctan(±0) is ±0, arctan(±inf) is ±pi/2, arctan(nan) is nan. \
                 Raises no error.",
        example: (&["[0.0, 1.0, -1e300]"], "array([ 0.        ,  0.78539816, -1.57079633])"),
        ulp_f32: 1.0,
        ulp_f64: 1.0,
        cost: Cost { f32: 1.0, f64: 2.0 },
        kernel: unary::<kernels::invtrig::Arctan>(),
    },
    Function {
        name: "arctan2",
        summary: "Element-wise arc tangent of x1/x2 choosing the quadrant correctly.",
        domain: "All pairs (x1 = y, x2 = x), result in [-pi, pi], with C99's special cases: \
                 arctan2(±0, +0) is ±0, arctan2(±0, -0) is ±pi, arctan2(±inf, +inf) is ±pi/4, \
                 arctan2(±inf, -inf) is ±3pi/4, arctan2(±inf, finite) is ±pi/2, arctan2(finite, \
                 +inf) is ±0, arctan2(finite, -inf) is ±pi; nan if either is nan. Underflow is \
                 reported where a nonzero result is below the smallest normal number.",
        example: (&["[1.0, -1.0, 0.0]", "[1.0, 1.0, -1.0]"],
            "array([ 0.78539816, -0.78539816,  3.14159265])",
        ),
        ulp_f32: 1.0,
        ulp_f64: 1.0,
        cost: Cost { f32: 1.0, f64: 4.0 },
        kernel: binary::<kernels::invtrig::Arctan2>(Identity::None),
    },
    // ---- end invtrig ----
    // ---- hyperbolic family (kernels/hyperbolic.rs): sinh, cosh, tanh, arcsinh, arccosh, arctanh ----
    Function {
        name: "sinh",
        summary: "Hyperbolic sine, element-wise.",
        domain: "All reals. sinh(+-0) is +-0 and sinh(+-inf) is +-inf; overflows to +-inf with an overflow error for |x| above about 710.4759 (float32: 89.416); sinh(nan) is nan.",
        example: (&["[0.0, 1.0, -2.0]"], "array([ 0.        ,  1.17520119, -3.62686041])"),
        ulp_f32: 1.0,
        ulp_f64: 1.0,
        cost: Cost { f32: 1.0, f64: 1.0 },
        kernel: unary::<kernels::hyperbolic::Sinh>(),
    },
    Function {
        name: "cosh",
        summary: "Hyperbolic cosine, element-wise.",
        domain: "All reals. cosh(+-0) is 1 and cosh(+-inf) is inf; overflows to inf with an overflow error for |x| above about 710.4759 (float32: 89.416); cosh(nan) is nan.",
        example: (&["[0.0, 1.0, -2.0]"], "array([1.        , 1.54308063, 3.76219569])"),
        ulp_f32: 1.0,
        ulp_f64: 1.0,
        cost: Cost { f32: 0.5, f64: 1.0 },
        kernel: unary::<kernels::hyperbolic::Cosh>(),
    },
    Function {
        name: "tanh",
        summary: "Hyperbolic tangent, element-wise.",
        domain: "All reals. tanh(+-0) is +-0 and tanh(+-inf) is +-1 (it rounds to +-1 from |x| of about 19.06, float32: 9.01, on); tanh(nan) is nan. No floating-point errors.",
        example: (&["[0.0, 0.5, -2.0]"], "array([ 0.        ,  0.46211716, -0.96402758])"),
        ulp_f32: 1.0,
        ulp_f64: 1.0,
        cost: Cost { f32: 0.5, f64: 1.0 },
        kernel: unary::<kernels::hyperbolic::Tanh>(),
    },
    Function {
        name: "arcsinh",
        summary: "Inverse hyperbolic sine, element-wise.",
        domain: "All reals. arcsinh(+-0) is +-0 and arcsinh(+-inf) is +-inf; arcsinh(nan) is nan. No floating-point errors.",
        example: (&["[0.0, 1.0, -2.0]"], "array([ 0.        ,  0.88137359, -1.44363548])"),
        ulp_f32: 1.0,
        ulp_f64: 1.0,
        cost: Cost { f32: 1.0, f64: 4.0 },
        kernel: unary::<kernels::hyperbolic::Arcsinh>(),
    },
    Function {
        name: "arccosh",
        summary: "Inverse hyperbolic cosine, element-wise.",
        domain: "x >= 1. arccosh(1) is +0 and arccosh(inf) is inf; arccosh(x < 1) (-inf included) is nan with an invalid error; arccosh(nan) is nan.",
        example: (&["[1.0, 2.0, 10.0]"], "array([0.        , 1.3169579 , 2.99322285])"),
        ulp_f32: 1.0,
        ulp_f64: 1.0,
        cost: Cost { f32: 1.0, f64: 2.0 },
        kernel: unary::<kernels::hyperbolic::Arccosh>(),
    },
    Function {
        name: "arctanh",
        summary: "Inverse hyperbolic tangent, element-wise.",
        domain: "-1 <= x <= 1. arctanh(+-0) is +-0; arctanh(+-1) is +-inf with a divide-by-zero error; arctanh(|x| > 1) (+-inf included) is nan with an invalid error; arctanh(nan) is nan.",
        example: (&["[0.0, 0.5, -0.9]"], "array([ 0.        ,  0.54930614, -1.47221949])"),
        ulp_f32: 1.0,
        ulp_f64: 1.0,
        cost: Cost { f32: 1.0, f64: 2.0 },
        kernel: unary::<kernels::hyperbolic::Arctanh>(),
    },
    // ---- end hyperbolic ----
    // ---- powers family (kernels/powers.rs): cbrt, hypot, power ----
    Function {
        name: "cbrt",
        summary: "Return the cube-root of an array, element-wise.",
        domain: "All reals, negative ones included (cbrt(-x) is -cbrt(x)); cbrt(+-0) is +-0, \
                 cbrt(+-inf) is +-inf, cbrt(nan) is nan; never raises an error.",
        example: (&["[8.0, -27.0, 2.0]"], "array([ 2.        , -3.        ,  1.25992105])"),
        ulp_f32: 1.0,
        ulp_f64: 1.0,
        cost: Cost { f32: 0.5, f64: 1.0 },
        kernel: unary::<kernels::powers::Cbrt>(),
    },
    Function {
        name: "hypot",
        summary: "Given the \"legs\" of a right triangle, return its hypotenuse, element-wise.",
        domain: "All pairs, sqrt(x1**2 + x2**2) without intermediate overflow or underflow. \
                 hypot(+-inf, x) is inf even when x is nan; otherwise a nan gives nan; \
                 hypot(+-0, +-0) is 0. Overflow error when the result exceeds the largest float, \
                 underflow error when two nonzero inputs give a subnormal result.",
        example: (&["[3.0, 5.0, 1.0]", "[4.0, 12.0, 1.0]"], "array([ 5.        , 13.        ,  1.41421356])"),
        ulp_f32: 1.0,
        ulp_f64: 1.0,
        cost: Cost { f32: 1.0, f64: 2.0 },
        kernel: binary::<kernels::powers::Hypot>(Identity::Zero),
    },
    Function {
        name: "power",
        summary: "First array elements raised to powers from second array, element-wise.",
        domain: "All pairs, as C's pow: power(x, 0) and power(1, y) are 1 even for nan, power(-1, \
                 +-inf) is 1, otherwise a nan gives nan. x < 0 needs an integer y (nan with an \
                 invalid error otherwise; odd y keeps the sign). power(+-0, y < 0) is inf (-inf for \
                 -0 and odd y) with a divide-by-zero error. Overflow and underflow errors when \
                 finite inputs give an infinite or subnormal (or zero) result.",
        example: (&["[2.0, 9.0, -2.0]", "[10.0, 0.5, 3.0]"], "array([1024.,    3.,   -8.])"),
        ulp_f32: 1.0,
        ulp_f64: 1.0,
        cost: Cost { f32: 1.0, f64: 2.0 },
        kernel: binary::<kernels::powers::Power>(Identity::None),
    },

    // ---- end powers ----
    // ---- special family (kernels/special.rs): erf, erfc, expit ----
    Function {
        name: "expit",
        summary: "Logistic sigmoid, 1/(1+exp(-x)), element-wise (scipy.special.expit).",
        domain: "All reals. expit(-inf) is 0, expit(inf) is 1, expit(nan) is nan. Results are \
                 subnormal below about -708.40 (float32: -87.34) and 0 below about -745.13 (float32: \
                 -103.97); those report underflow, as IEEE 754 has it (scipy reports none).",
        example: (&["[-1.0, 0.0, 2.0]"],
            "array([0.26894142, 0.5       , 0.88079708])",
        ),
        ulp_f32: 1.0,
        ulp_f64: 1.0,
        cost: Cost { f32: 1.0, f64: 2.0 },
        kernel: unary::<kernels::special::Expit>(),
    },

    Function {
        name: "erf",
        summary: "Error function, 2/sqrt(pi) times the integral of exp(-t**2) from 0 to x, \
                  element-wise (scipy.special.erf).",
        domain: "All reals; odd. erf(+-0) is +-0, erf(+-inf) is +-1, erf(nan) is nan. Results round \
                 to +-1 for |x| >= 5.93 (float32: 3.92). |x| below about 1.97e-308 (float32: \
                 1.04e-38) gives a subnormal result and reports underflow (scipy reports none).",
        example: (&["[0.0, 0.5, -1.0]"],
            "array([ 0.        ,  0.52049988, -0.84270079])",
        ),
        ulp_f32: 1.0,
        ulp_f64: 1.0,
        cost: Cost { f32: 4.0, f64: 4.0 },
        kernel: unary::<kernels::special::Erf>(),
    },
    Function {
        name: "erfc",
        summary: "Complementary error function, 1 - erf(x), element-wise (scipy.special.erfc).",
        domain: "All reals. erfc(-inf) is 2, erfc(inf) is 0, erfc(+-0) is 1, erfc(nan) is nan. \
                 Results are subnormal above about 26.54 (float32: 9.19) and 0 above about 27.23 \
                 (float32: 10.05); those report underflow (scipy reports none).",
        example: (&["[0.0, 0.5, 3.0]"],
            "array([1.00000000e+00, 4.79500122e-01, 2.20904970e-05])",
        ),
        ulp_f32: 1.0,
        ulp_f64: 1.0,
        cost: Cost { f32: 4.0, f64: 4.0 },
        kernel: unary::<kernels::special::Erfc>(),
    },
    // ---- end special ----
    // ---- arith family (kernels/arith.rs) ----
    Function {
        name: "absolute",
        summary: "Absolute value, element-wise.",
        domain: "All reals; absolute(-0) is 0, absolute(-inf) is inf, NaN stays NaN. Exact.",
        example: (&["[-1.5, 0.0, 2.0]"], "array([1.5, 0. , 2. ])"),
        ulp_f32: 0.5,
        ulp_f64: 0.5,
        cost: Cost { f32: 0.25, f64: 0.5 },
        kernel: unary::<arith::Absolute>(),
    },
    Function {
        name: "negative",
        summary: "Numerical negative, element-wise.",
        domain: "All reals; flips the sign, so negative(0) is -0. Exact.",
        example: (&["[-1.5, 0.0, 2.0]"], "array([ 1.5, -0. , -2. ])"),
        ulp_f32: 0.5,
        ulp_f64: 0.5,
        cost: Cost { f32: 0.25, f64: 0.5 },
        kernel: unary::<arith::Negative>(),
    },
    Function {
        name: "square",
        summary: "Square of the input, x*x, element-wise.",
        domain: "All reals, correctly rounded; overflows to inf above about 1.34e154 (float32: 1.84e19).",
        example: (&["[-1.5, 0.0, 3.0]"], "array([2.25, 0.  , 9.  ])"),
        ulp_f32: 0.5,
        ulp_f64: 0.5,
        cost: Cost { f32: 0.25, f64: 0.5 },
        kernel: unary::<arith::Square>(),
    },
    Function {
        name: "reciprocal",
        summary: "Reciprocal, 1/x, element-wise.",
        domain: "All reals, correctly rounded; reciprocal(0) is inf with a divide-by-zero error, the sign of zero kept.",
        example: (&["[-2.0, 0.5, 4.0]"], "array([-0.5 ,  2.  ,  0.25])"),
        ulp_f32: 0.5,
        ulp_f64: 0.5,
        cost: Cost { f32: 0.25, f64: 0.5 },
        kernel: unary::<arith::Reciprocal>(),
    },
    Function {
        name: "sqrt",
        summary: "Non-negative square root, element-wise.",
        domain: "x >= 0, correctly rounded; sqrt(-0) is -0, sqrt(x < 0) is nan with an invalid error, sqrt(inf) is inf.",
        example: (&["[0.0, 2.0, 9.0]"], "array([0.        , 1.41421356, 3.        ])"),
        ulp_f32: 0.5,
        ulp_f64: 0.5,
        cost: Cost { f32: 0.25, f64: 1.0 },
        kernel: unary::<arith::Sqrt>(),
    },
    Function {
        name: "floor",
        summary: "Floor: the largest integer not above x, element-wise.",
        domain: "All reals, exact; floor(-0.5) is -1, floor(-0) is -0, infinities and NaN pass through.",
        example: (&["[-1.5, 0.2, 2.7]"], "array([-2.,  0.,  2.])"),
        ulp_f32: 0.5,
        ulp_f64: 0.5,
        cost: Cost { f32: 0.25, f64: 0.5 },
        kernel: unary::<arith::Floor>(),
    },
    Function {
        name: "ceil",
        summary: "Ceiling: the smallest integer not below x, element-wise.",
        domain: "All reals, exact; ceil(-0.5) is -0, infinities and NaN pass through.",
        example: (&["[-1.5, 0.2, 2.7]"], "array([-1.,  1.,  3.])"),
        ulp_f32: 0.5,
        ulp_f64: 0.5,
        cost: Cost { f32: 0.25, f64: 0.5 },
        kernel: unary::<arith::Ceil>(),
    },
    Function {
        name: "trunc",
        summary: "Round toward zero, element-wise.",
        domain: "All reals, exact; trunc(-0.5) is -0, infinities and NaN pass through.",
        example: (&["[-1.5, 0.2, 2.7]"], "array([-1.,  0.,  2.])"),
        ulp_f32: 0.5,
        ulp_f64: 0.5,
        cost: Cost { f32: 0.25, f64: 0.5 },
        kernel: unary::<arith::Trunc>(),
    },
    Function {
        name: "rint",
        summary: "Round to the nearest integer, ties to even, element-wise.",
        domain: "All reals, exact; rint(0.5) is 0, rint(-0.5) is -0, rint(1.5) is 2.",
        example: (&["[-1.5, 0.5, 2.7]"], "array([-2.,  0.,  3.])"),
        ulp_f32: 0.5,
        ulp_f64: 0.5,
        cost: Cost { f32: 0.25, f64: 0.5 },
        kernel: unary::<arith::Rint>(),
    },
    Function {
        name: "add",
        summary: "Add arguments, x1 + x2, element-wise.",
        domain: "All reals, correctly rounded; inf + -inf is nan with an invalid error, overflow to inf is reported.",
        example: (&["[1.0, 2.0, 3.0]", "[0.5, -2.0, 1e-3]"], "array([1.5  , 0.   , 3.001])"),
        ulp_f32: 0.5,
        ulp_f64: 0.5,
        cost: Cost { f32: 0.25, f64: 0.5 },
        kernel: binary::<arith::Add>(Identity::Zero),
    },
    Function {
        name: "subtract",
        summary: "Subtract arguments, x1 - x2, element-wise.",
        domain: "All reals, correctly rounded; inf - inf is nan with an invalid error.",
        example: (&["[1.0, 2.0, 3.0]", "[0.5, -2.0, 1e-3]"], "array([0.5  , 4.   , 2.999])"),
        ulp_f32: 0.5,
        ulp_f64: 0.5,
        cost: Cost { f32: 0.25, f64: 0.5 },
        kernel: binary::<arith::Subtract>(Identity::None),
    },
    Function {
        name: "multiply",
        summary: "Multiply arguments, x1 * x2, element-wise.",
        domain: "All reals, correctly rounded; 0 * inf is nan with an invalid error; overflow and underflow are reported.",
        example: (&["[1.0, 2.0, 3.0]", "[0.5, -2.0, 1e-3]"], "array([ 5.e-01, -4.e+00,  3.e-03])"),
        ulp_f32: 0.5,
        ulp_f64: 0.5,
        cost: Cost { f32: 0.25, f64: 0.5 },
        kernel: binary::<arith::Multiply>(Identity::One),
    },
    Function {
        name: "divide",
        summary: "Divide arguments, x1 / x2, element-wise.",
        domain: "All reals, correctly rounded; x / 0 is ±inf with a divide-by-zero error, 0 / 0 and inf / inf are nan with an invalid error.",
        example: (&["[1.0, 2.0, 3.0]", "[0.5, -2.0, 1e-3]"], "array([ 2.e+00, -1.e+00,  3.e+03])"),
        ulp_f32: 0.5,
        ulp_f64: 0.5,
        cost: Cost { f32: 0.25, f64: 0.5 },
        kernel: binary::<arith::Divide>(Identity::None),
    },
    Function {
        name: "maximum",
        summary: "Element-wise maximum of two arrays, propagating NaNs.",
        domain: "All reals, exact; NaN if either input is NaN, with no error.",
        example: (&["[1.0, 2.0, 3.0]", "[0.5, -2.0, 4.0]"], "array([1., 2., 4.])"),
        ulp_f32: 0.5,
        ulp_f64: 0.5,
        cost: Cost { f32: 0.25, f64: 0.5 },
        kernel: binary::<arith::Maximum>(Identity::ReorderableNone),
    },
    Function {
        name: "minimum",
        summary: "Element-wise minimum of two arrays, propagating NaNs.",
        domain: "All reals, exact; NaN if either input is NaN, with no error.",
        example: (&["[1.0, 2.0, 3.0]", "[0.5, -2.0, 4.0]"], "array([ 0.5, -2. ,  3. ])"),
        ulp_f32: 0.5,
        ulp_f64: 0.5,
        cost: Cost { f32: 0.25, f64: 0.5 },
        kernel: binary::<arith::Minimum>(Identity::ReorderableNone),
    },
    // ---- end arith ----
];

/// Looks a function up by name.
pub fn find(name: &str) -> Option<&'static Function> {
    FUNCTIONS.iter().find(|f| f.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_bounds_sane() {
        for (i, f) in FUNCTIONS.iter().enumerate() {
            assert!(
                FUNCTIONS[..i].iter().all(|g| g.name != f.name),
                "{} twice",
                f.name
            );
            assert!(find(f.name).is_some());
            for d in Dtype::ALL {
                assert!(f.ulp(d) > 0.0 && f.ulp(d) <= 1.0, "{} {}", f.name, d.name());
                assert!(
                    f.unary_loop(d, Isa::Generic).is_some()
                        != f.binary_loop(d, Isa::Generic).is_some()
                );
            }
        }
    }
}

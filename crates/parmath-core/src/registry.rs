//! The one table of functions. The Python ufuncs, the stubs and the test matrices are all made from it,
//! so a new function is one row here and one kernel file.

use crate::apply::{run_unary, unary_loops, UnaryLoop};
use crate::isa::{self, Isa};
use crate::kernels::{exp::Exp, log::Log};

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
    /// A docstring example: float64 inputs (a Python list) and the array NumPy prints for the result.
    pub example: (&'static str, &'static str),
    /// Guaranteed maximum error in ULP against the exact result, float32.
    pub ulp_f32: f64,
    /// Guaranteed maximum error in ULP against the exact result, float64.
    pub ulp_f64: f64,
    /// The loops.
    pub kernel: Kernel,
}

impl Function {
    /// Number of inputs.
    pub fn arity(&self) -> usize {
        match self.kernel {
            Kernel::Unary { .. } => 1,
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
        apply_slices(self.unary_loop(Dtype::F64, isa::active()), src, dst)
    }

    /// As [`Function::apply_f64`], in float32.
    ///
    /// # Panics
    /// If the function is not unary or the lengths differ.
    pub fn apply_f32(&self, src: &[f32], dst: &mut [f32]) -> u8 {
        apply_slices(self.unary_loop(Dtype::F32, isa::active()), src, dst)
    }

    /// The unary loop for a type and instruction set, if this function is unary.
    pub fn unary_loop(&self, dtype: Dtype, isa: Isa) -> Option<UnaryLoop> {
        match &self.kernel {
            Kernel::Unary { f32, f64 } => Some(match dtype {
                Dtype::F32 => f32[isa as usize],
                Dtype::F64 => f64[isa as usize],
            }),
        }
    }
}

fn apply_slices<T: Copy>(lp: Option<UnaryLoop>, src: &[T], dst: &mut [T]) -> u8 {
    let lp = lp.expect("not a unary function");
    assert_eq!(src.len(), dst.len(), "length mismatch");
    let size = std::mem::size_of::<T>() as isize;
    // SAFETY: two distinct slices of equal length; the loop is for the active (supported) level.
    unsafe {
        run_unary(
            lp,
            src.as_ptr().cast(),
            size,
            dst.as_mut_ptr().cast(),
            size,
            src.len(),
        )
    }
}

const fn unary<K: crate::kernels::Unary<f32> + crate::kernels::Unary<f64>>() -> Kernel {
    Kernel::Unary {
        f32: unary_loops::<f32, K>(),
        f64: unary_loops::<f64, K>(),
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
        example: (
            "[0.0, 1.0, -1.0]",
            "array([1.        , 2.71828183, 0.36787944])",
        ),
        ulp_f32: 1.0,
        ulp_f64: 1.0,
        kernel: unary::<Exp>(),
    },
    Function {
        name: "log",
        summary: "Natural logarithm, element-wise.",
        domain:
            "x > 0 (subnormals included). log(0) is -inf with a divide-by-zero error, log(x < 0) \
                 is nan with an invalid error, log(inf) is inf, log(nan) is nan.",
        example: (
            "[1.0, 2.0, 10.0]",
            "array([0.        , 0.69314718, 2.30258509])",
        ),
        ulp_f32: 1.0,
        ulp_f64: 1.0,
        kernel: unary::<Log>(),
    },
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
                assert!(f.unary_loop(d, Isa::Generic).is_some());
            }
        }
    }
}

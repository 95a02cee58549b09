//! The cheap functions: one IEEE operation or a bit manipulation per element, exact or correctly
//! rounded (0.5 ULP), memory-bound, so they gain only from the cores' combined bandwidth.
//!
//! `sqrt`, `square`, `reciprocal` and the four arithmetic operations are single IEEE operations; their
//! conditions are the hardware's flags ([`Unary::HARDWARE_STATUS`]), as in NumPy. `absolute`,
//! `negative`, `floor`, `ceil`, `trunc`, `rint`, `maximum` and `minimum` are exact and raise nothing.

use super::{Binary, Unary};

/// Rounding to an integer, for the portable level (x86-64 before SSE4.1 has no rounding instruction and
/// a libm call would not vectorise): adding and subtracting 2^52 (2^23) rounds to nearest even, and
/// every |x| >= 2^52 is an integer already. Levels with FMA (AVX2, AVX-512, aarch64) use the
/// instruction.
trait Round: Copy {
    fn rint_portable(self) -> Self;
}

impl Round for f64 {
    #[inline(always)]
    fn rint_portable(self) -> f64 {
        const BIG: f64 = 4503599627370496.0; // 2^52
        let a = self.abs();
        if a < BIG {
            ((a + BIG) - BIG).copysign(self)
        } else {
            self
        }
    }
}

impl Round for f32 {
    #[inline(always)]
    fn rint_portable(self) -> f32 {
        const BIG: f32 = 8388608.0; // 2^23
        let a = self.abs();
        if a < BIG {
            ((a + BIG) - BIG).copysign(self)
        } else {
            self
        }
    }
}

/// Declares a unary kernel for both float types from one expression in `x` (generic over the type
/// through the shared method names of f32 and f64).
macro_rules! unary_kernel {
    ($(#[$doc:meta])* $name:ident, hardware: $hw:expr, |$x:ident, $fma:ident| $body:expr) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $name;

        unary_kernel!(@impl $name, f64, $hw, |$x, $fma| $body);
        unary_kernel!(@impl $name, f32, $hw, |$x, $fma| $body);
    };
    (@impl $name:ident, $t:ty, $hw:expr, |$x:ident, $fma:ident| $body:expr) => {
        impl Unary<$t> for $name {
            const HARDWARE_STATUS: bool = $hw;
            // The others are exact and raise nothing.
            const NO_CONDITIONS: bool = !$hw;
            const FAST_MIN: $t = <$t>::NEG_INFINITY;
            const FAST_MAX: $t = <$t>::INFINITY;

            #[inline(always)]
            fn eval<const FMA: bool>($x: $t) -> $t {
                let $fma = FMA;
                $body
            }

            #[inline(always)]
            fn eval_fast<const FMA: bool>(x: $t) -> $t {
                Self::eval::<FMA>(x)
            }

            #[inline(always)]
            fn status(_x: $t, _y: $t) -> u8 {
                0
            }
        }
    };
}

unary_kernel!(
    /// `|x|`: clears the sign bit (NaN keeps its payload).
    Absolute, hardware: false, |x, _fma| x.abs()
);
unary_kernel!(
    /// `-x`: flips the sign bit.
    Negative, hardware: false, |x, _fma| -x
);
unary_kernel!(
    /// `x * x`, correctly rounded.
    Square, hardware: true, |x, _fma| x * x
);
unary_kernel!(
    /// `1 / x`, correctly rounded.
    Reciprocal, hardware: true, |x, _fma| 1.0 / x
);
unary_kernel!(
    /// The square root, correctly rounded (IEEE `sqrt`); negative inputs give NaN and invalid.
    Sqrt, hardware: true, |x, _fma| x.sqrt()
);
unary_kernel!(
    /// Round to the nearest integer, ties to even: the instruction (`vroundpd`) where there is FMA
    /// (AVX2, AVX-512), the 2^52 trick at the portable level, which has no rounding instruction.
    Rint, hardware: false, |x, fma| if fma { x.round_ties_even() } else { x.rint_portable() }
);
unary_kernel!(
    /// The largest integer not above x (floor(-0.5) = -1, floor(-0) = -0).
    Floor, hardware: false, |x, fma| if fma {
        x.floor()
    } else {
        let r = x.rint_portable();
        if r > x { r - 1.0 } else { r }
    }
);
unary_kernel!(
    /// The smallest integer not below x (ceil(-0.5) = -0).
    Ceil, hardware: false, |x, fma| if fma {
        x.ceil()
    } else {
        let r = x.rint_portable();
        // The sign of x stays on a zero result: ceil(-0.6) = -0.
        (if r < x { r + 1.0 } else { r }).copysign(x)
    }
);
unary_kernel!(
    /// x rounded toward zero, sign kept (trunc(-0.5) = -0).
    Trunc, hardware: false, |x, fma| if fma {
        x.trunc()
    } else {
        let a = x.abs();
        let r = a.rint_portable();
        (if r > a { r - 1.0 } else { r }).copysign(x)
    }
);

/// Declares a binary kernel for both float types.
macro_rules! binary_kernel {
    ($(#[$doc:meta])* $name:ident, hardware: $hw:expr, |$x:ident, $y:ident| $body:expr) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $name;

        binary_kernel!(@impl $name, f64, $hw, |$x, $y| $body);
        binary_kernel!(@impl $name, f32, $hw, |$x, $y| $body);
    };
    (@impl $name:ident, $t:ty, $hw:expr, |$x:ident, $y:ident| $body:expr) => {
        impl Binary<$t> for $name {
            const HARDWARE_STATUS: bool = $hw;

            #[inline(always)]
            fn eval<const FMA: bool>($x: $t, $y: $t) -> $t {
                $body
            }

            #[inline(always)]
            fn fast(_x: $t, _y: $t) -> bool {
                true
            }

            #[inline(always)]
            fn status(_x: $t, _y: $t, _r: $t) -> u8 {
                0
            }
        }
    };
}

binary_kernel!(
    /// `x + y`, correctly rounded.
    Add, hardware: true, |x, y| x + y
);
binary_kernel!(
    /// `x - y`, correctly rounded.
    Subtract, hardware: true, |x, y| x - y
);
binary_kernel!(
    /// `x * y`, correctly rounded.
    Multiply, hardware: true, |x, y| x * y
);
binary_kernel!(
    /// `x / y`, correctly rounded.
    Divide, hardware: true, |x, y| x / y
);
binary_kernel!(
    /// The larger of x and y; NaN if either is NaN (the first NaN is returned). Of equal inputs (0 and
    /// -0) the second, as `numpy.maximum`.
    Maximum, hardware: false, |x, y| if x > y || x.is_nan() { x } else { y }
);
binary_kernel!(
    /// The smaller of x and y; NaN if either is NaN. Of equal inputs the second, as `numpy.minimum`.
    Minimum, hardware: false, |x, y| if x < y || x.is_nan() { x } else { y }
);

//! Element types in registers and the operations the SIMD kernels do not cover (integers, booleans,
//! comparisons, casts, `where`, float16 rounding, Python's floor division and modulo).

use crate::dtype::DType;
use parmath_core::fpstatus::{DIVIDE, OVERFLOW};
use parmath_core::half::{f16_to_f32, f32_to_f16};

/// A status bit beside [`parmath_core::fpstatus`]'s: an integer raised to a negative integer power
/// (NumPy raises ValueError).
pub const NEGATIVE_POWER: u8 = 0x40;

/// A NumPy `bool` in a register: one byte, nonzero is true.
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd)]
#[repr(transparent)]
pub struct Bool8(pub u8);

/// What every register element type can do. Methods that make no sense for a type (bitwise
/// operations on floats) are never called for it: the typing pass rejects them.
pub trait Elem: Copy + Default + PartialOrd + Send + Sync + 'static {
    /// Whether it is a float type.
    const FLOAT: bool;
    /// As a float (exact for every type but 64-bit integers beyond 2^53).
    fn to_f64(self) -> f64;
    /// As an integer (floats truncate).
    fn to_i128(self) -> i128;
    /// From a float, as C casts (integers truncate; bool: nonzero).
    fn from_f64(v: f64) -> Self;
    /// From an integer, wrapping as NumPy's casts do.
    fn from_i128(v: i128) -> Self;
    /// Nonzero.
    fn truthy(self) -> bool;
    /// a + b, wrapping.
    fn add(self, o: Self) -> Self;
    /// a - b, wrapping.
    fn sub(self, o: Self) -> Self;
    /// a * b, wrapping.
    fn mul(self, o: Self) -> Self;
    /// -a, wrapping.
    fn neg(self) -> Self;
    /// |a|, wrapping.
    fn abs(self) -> Self;
    /// a & b.
    fn and(self, o: Self) -> Self;
    /// a | b.
    fn or(self, o: Self) -> Self;
    /// a ^ b.
    fn xor(self, o: Self) -> Self;
    /// ~a.
    fn not(self) -> Self;
    /// Python's a // b and the conditions met.
    fn floordiv(self, o: Self) -> (Self, u8);
    /// Python's a % b and the conditions met.
    fn modulo(self, o: Self) -> (Self, u8);
    /// a ** b for integers; [`NEGATIVE_POWER`] when b < 0.
    fn ipow(self, o: Self) -> (Self, u8);
    /// numpy.maximum: NaN propagates.
    fn max(self, o: Self) -> Self;
    /// numpy.minimum: NaN propagates.
    fn min(self, o: Self) -> Self;
}

macro_rules! int_elem {
    ($($t:ty, $signed:expr);*) => {$(
        impl Elem for $t {
            const FLOAT: bool = false;
            fn to_f64(self) -> f64 { self as f64 }
            fn to_i128(self) -> i128 { self as i128 }
            fn from_f64(v: f64) -> Self { v as i128 as $t }
            fn from_i128(v: i128) -> Self { v as $t }
            fn truthy(self) -> bool { self != 0 }
            fn add(self, o: Self) -> Self { self.wrapping_add(o) }
            fn sub(self, o: Self) -> Self { self.wrapping_sub(o) }
            fn mul(self, o: Self) -> Self { self.wrapping_mul(o) }
            fn neg(self) -> Self { self.wrapping_neg() }
            #[allow(unused_comparisons)]
            fn abs(self) -> Self { if self < 0 { self.wrapping_neg() } else { self } }
            fn and(self, o: Self) -> Self { self & o }
            fn or(self, o: Self) -> Self { self | o }
            fn xor(self, o: Self) -> Self { self ^ o }
            fn not(self) -> Self { !self }
            #[allow(unused_comparisons)]
            fn floordiv(self, o: Self) -> (Self, u8) {
                if o == 0 {
                    return (0, DIVIDE);
                }
                if $signed && o == (0 as $t).wrapping_sub(1) && self == <$t>::MIN {
                    return (<$t>::MIN, OVERFLOW);
                }
                let q = self / o;
                let r = self % o;
                (if r != 0 && ((r < 0) != (o < 0)) { q - 1 } else { q }, 0)
            }
            #[allow(unused_comparisons)]
            fn modulo(self, o: Self) -> (Self, u8) {
                if o == 0 {
                    return (0, DIVIDE);
                }
                let r = self.wrapping_rem(o);
                (if r != 0 && ((r < 0) != (o < 0)) { r.wrapping_add(o) } else { r }, 0)
            }
            #[allow(unused_comparisons)]
            fn ipow(self, o: Self) -> (Self, u8) {
                if o < 0 {
                    return (0, NEGATIVE_POWER);
                }
                let (mut base, mut e, mut acc) = (self, o, 1 as $t);
                while e != 0 {
                    if e & 1 == 1 {
                        acc = acc.wrapping_mul(base);
                    }
                    base = base.wrapping_mul(base);
                    e >>= 1;
                }
                (acc, 0)
            }
            fn max(self, o: Self) -> Self { if self >= o { self } else { o } }
            fn min(self, o: Self) -> Self { if self <= o { self } else { o } }
        }
    )*};
}

int_elem!(i8, true; i16, true; i32, true; i64, true; u8, false; u16, false; u32, false; u64, false);

macro_rules! float_elem {
    ($($t:ty),*) => {$(
        impl Elem for $t {
            const FLOAT: bool = true;
            fn to_f64(self) -> f64 { self as f64 }
            fn to_i128(self) -> i128 { self as i128 }
            fn from_f64(v: f64) -> Self { v as $t }
            fn from_i128(v: i128) -> Self { v as $t }
            fn truthy(self) -> bool { self != 0.0 }
            fn add(self, o: Self) -> Self { self + o }
            fn sub(self, o: Self) -> Self { self - o }
            fn mul(self, o: Self) -> Self { self * o }
            fn neg(self) -> Self { -self }
            fn abs(self) -> Self { <$t>::abs(self) }
            fn and(self, _: Self) -> Self { self }
            fn or(self, _: Self) -> Self { self }
            fn xor(self, _: Self) -> Self { self }
            fn not(self) -> Self { self }
            fn floordiv(self, o: Self) -> (Self, u8) { (divmod(self, o).0, 0) }
            fn modulo(self, o: Self) -> (Self, u8) {
                if o == 0.0 {
                    // fmod(a, 0) is NaN (invalid), as NumPy's remainder.
                    return (self % o, 0);
                }
                (divmod(self, o).1, 0)
            }
            fn ipow(self, _: Self) -> (Self, u8) { (self, 0) }
            fn max(self, o: Self) -> Self {
                if self.is_nan() || self >= o { self } else { o }
            }
            fn min(self, o: Self) -> Self {
                if self.is_nan() || self <= o { self } else { o }
            }
        }
    )*};
}

float_elem!(f32, f64);

/// Python's divmod for floats, the way NumPy computes `floor_divide` and `remainder` (fmod, then the
/// quotient of the exact difference, adjusted towards -inf); flags come from the hardware.
fn divmod<T: Float>(a: T, b: T) -> (T, T) {
    let m = a.fmod(b);
    if b == T::ZERO {
        return (a / b, m);
    }
    let mut div = (a - m) / b;
    let mut m = m;
    if m != T::ZERO {
        if (b < T::ZERO) != (m < T::ZERO) {
            m = m + b;
            div = div - T::ONE;
        }
    } else {
        m = T::ZERO.copysign(b);
    }
    let q = if div != T::ZERO {
        let f = div.floor();
        if div - f > T::HALF {
            f + T::ONE
        } else {
            f
        }
    } else {
        T::ZERO.copysign(a / b)
    };
    (q, m)
}

/// The float operations `divmod` needs.
trait Float:
    Copy
    + PartialOrd
    + std::ops::Add<Output = Self>
    + std::ops::Sub<Output = Self>
    + std::ops::Div<Output = Self>
{
    const ZERO: Self;
    const ONE: Self;
    const HALF: Self;
    fn fmod(self, o: Self) -> Self;
    fn floor(self) -> Self;
    fn copysign(self, s: Self) -> Self;
}

macro_rules! float_ops {
    ($($t:ty),*) => {$(
        impl Float for $t {
            const ZERO: Self = 0.0;
            const ONE: Self = 1.0;
            const HALF: Self = 0.5;
            fn fmod(self, o: Self) -> Self { self % o }
            fn floor(self) -> Self { <$t>::floor(self) }
            fn copysign(self, s: Self) -> Self { <$t>::copysign(self, s) }
        }
    )*};
}

float_ops!(f32, f64);

impl Elem for Bool8 {
    const FLOAT: bool = false;
    fn to_f64(self) -> f64 {
        f64::from(u8::from(self.truthy()))
    }
    fn to_i128(self) -> i128 {
        i128::from(self.truthy())
    }
    fn from_f64(v: f64) -> Self {
        Bool8(u8::from(v != 0.0))
    }
    fn from_i128(v: i128) -> Self {
        Bool8(u8::from(v != 0))
    }
    fn truthy(self) -> bool {
        self.0 != 0
    }
    fn add(self, o: Self) -> Self {
        self.or(o)
    }
    fn sub(self, o: Self) -> Self {
        self.xor(o)
    }
    fn mul(self, o: Self) -> Self {
        self.and(o)
    }
    fn neg(self) -> Self {
        self
    }
    fn abs(self) -> Self {
        self
    }
    fn and(self, o: Self) -> Self {
        Bool8(u8::from(self.truthy() & o.truthy()))
    }
    fn or(self, o: Self) -> Self {
        Bool8(u8::from(self.truthy() | o.truthy()))
    }
    fn xor(self, o: Self) -> Self {
        Bool8(u8::from(self.truthy() ^ o.truthy()))
    }
    fn not(self) -> Self {
        Bool8(u8::from(!self.truthy()))
    }
    fn floordiv(self, o: Self) -> (Self, u8) {
        (self, u8::from(!o.truthy()) * DIVIDE)
    }
    fn modulo(self, _: Self) -> (Self, u8) {
        (Bool8(0), 0)
    }
    fn ipow(self, o: Self) -> (Self, u8) {
        (Bool8(u8::from(self.truthy() || !o.truthy())), 0)
    }
    fn max(self, o: Self) -> Self {
        self.or(o)
    }
    fn min(self, o: Self) -> Self {
        self.and(o)
    }
}

/// Runs `$body` with `$T` the register type of `$dt`.
macro_rules! with_type {
    ($dt:expr, $T:ident => $body:expr) => {
        match $dt {
            $crate::dtype::DType::Bool => {
                type $T = $crate::elem::Bool8;
                $body
            }
            $crate::dtype::DType::I8 => {
                type $T = i8;
                $body
            }
            $crate::dtype::DType::I16 => {
                type $T = i16;
                $body
            }
            $crate::dtype::DType::I32 => {
                type $T = i32;
                $body
            }
            $crate::dtype::DType::I64 => {
                type $T = i64;
                $body
            }
            $crate::dtype::DType::U8 => {
                type $T = u8;
                $body
            }
            $crate::dtype::DType::U16 => {
                type $T = u16;
                $body
            }
            $crate::dtype::DType::U32 => {
                type $T = u32;
                $body
            }
            $crate::dtype::DType::U64 => {
                type $T = u64;
                $body
            }
            $crate::dtype::DType::F16 | $crate::dtype::DType::F32 => {
                type $T = f32;
                $body
            }
            $crate::dtype::DType::F64 => {
                type $T = f64;
                $body
            }
        }
    };
}
pub(crate) use with_type;

/// float64 to float16, rounded once (to float32 rounding to odd, then to nearest even: float32 has
/// more than twice float16's precision, so the second rounding is correct), as a float32.
pub fn f64_to_f16(x: f64) -> (f32, u8) {
    let mut y = x as f32;
    if f64::from(y) != x && y.is_finite() {
        // Round to odd: truncate towards zero, then make the last bit sticky.
        if f64::from(y).abs() > x.abs() {
            y = f32::from_bits(y.to_bits() - 1);
        }
        y = f32::from_bits(y.to_bits() | 1);
    }
    round_f16(y)
}

/// A float32 rounded to float16 (kept as a float32) and the conditions met.
#[inline]
pub fn round_f16(x: f32) -> (f32, u8) {
    let (h, s) = f32_to_f16(x);
    (f16_to_f32(h), s)
}

/// Rounds a register of float16 values computed in float32.
pub fn round_f16_slice(xs: &mut [f32]) -> u8 {
    let mut s = 0;
    for x in xs {
        let (y, t) = round_f16(*x);
        *x = y;
        s |= t;
    }
    s
}

/// Converts one element between register types (`to` float16: rounded, with its conditions).
#[inline(always)]
pub fn convert<S: Elem, D: Elem>(x: S, to: DType) -> (D, u8) {
    if to == DType::F16 {
        let (y, s) = f64_to_f16(x.to_f64());
        return (D::from_f64(f64::from(y)), s);
    }
    if S::FLOAT {
        (D::from_f64(x.to_f64()), 0)
    } else {
        (D::from_i128(x.to_i128()), 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_floor_division_and_modulo() {
        for (a, b) in [(7, 2), (-7, 2), (7, -2), (-7, -2), (0, 3), (6, 3), (-6, 3)] {
            let q = (a as f64 / b as f64).floor() as i64;
            let r = a - q * b;
            assert_eq!(Elem::floordiv(a as i32, b as i32), (q as i32, 0));
            assert_eq!(Elem::modulo(a as i32, b as i32), (r as i32, 0));
            assert_eq!(Elem::floordiv(a as f64, b as f64).0, q as f64);
            assert_eq!(Elem::modulo(a as f64, b as f64).0, r as f64);
        }
        assert_eq!(Elem::floordiv(5i8, 0), (0, DIVIDE));
        assert_eq!(Elem::modulo(5u8, 0), (0, DIVIDE));
        assert_eq!(Elem::floordiv(i8::MIN, -1), (i8::MIN, OVERFLOW));
        assert_eq!(Elem::modulo(-1.0f64, f64::INFINITY).0, f64::INFINITY);
        assert!(Elem::modulo(1.0f64, 0.0).0.is_nan());
        assert_eq!(Elem::floordiv(1.0f64, 0.0).0, f64::INFINITY);
        assert_eq!(Elem::ipow(3i16, 4), (81, 0));
        assert_eq!(Elem::ipow(3i16, -1).1, NEGATIVE_POWER);
    }

    #[test]
    fn float16_from_float64_rounds_once() {
        // 1 + 2^-11 + 2^-40: above the float16 midpoint 1 + 2^-11, so it rounds up to 1 + 2^-10,
        // which a float32 first step (ties to even at 1 + 2^-11) would lose.
        let x = 1.0 + 2f64.powi(-11) + 2f64.powi(-40);
        assert_eq!(f64_to_f16(x).0, 1.0 + 2f32.powi(-10));
        assert_eq!(f64_to_f16(1.0 + 2f64.powi(-11)).0, 1.0);
        assert_eq!(f64_to_f16(70000.0), (f32::INFINITY, OVERFLOW));
    }
}

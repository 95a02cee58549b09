//! NumPy's numeric types and their promotion (`numpy.promote_types`, NEP 50 for Python scalars).

/// An element type the engine computes with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DType {
    /// `bool`: one byte, 0 or 1.
    Bool,
    /// `int8`.
    I8,
    /// `int16`.
    I16,
    /// `int32`.
    I32,
    /// `int64`.
    I64,
    /// `uint8`.
    U8,
    /// `uint16`.
    U16,
    /// `uint32`.
    U32,
    /// `uint64`.
    U64,
    /// `float16`: kept in registers as float32 values rounded to float16 after every operation.
    F16,
    /// `float32`.
    F32,
    /// `float64`.
    F64,
}

/// The kind of a type, as NumPy's `dtype.kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `b`.
    Bool,
    /// `i`.
    Signed,
    /// `u`.
    Unsigned,
    /// `f`.
    Float,
}

impl DType {
    /// Every type.
    pub const ALL: [DType; 12] = [
        DType::Bool,
        DType::I8,
        DType::I16,
        DType::I32,
        DType::I64,
        DType::U8,
        DType::U16,
        DType::U32,
        DType::U64,
        DType::F16,
        DType::F32,
        DType::F64,
    ];

    /// NumPy's name.
    pub fn name(self) -> &'static str {
        match self {
            DType::Bool => "bool",
            DType::I8 => "int8",
            DType::I16 => "int16",
            DType::I32 => "int32",
            DType::I64 => "int64",
            DType::U8 => "uint8",
            DType::U16 => "uint16",
            DType::U32 => "uint32",
            DType::U64 => "uint64",
            DType::F16 => "float16",
            DType::F32 => "float32",
            DType::F64 => "float64",
        }
    }

    /// The type NumPy names `name`.
    pub fn parse(name: &str) -> Option<DType> {
        DType::ALL.into_iter().find(|d| d.name() == name)
    }

    /// Bytes per element in memory.
    pub fn size(self) -> usize {
        match self {
            DType::Bool | DType::I8 | DType::U8 => 1,
            DType::I16 | DType::U16 | DType::F16 => 2,
            DType::I32 | DType::U32 | DType::F32 => 4,
            DType::I64 | DType::U64 | DType::F64 => 8,
        }
    }

    /// Bytes per element in a register (float16 is computed as float32).
    pub fn reg_size(self) -> usize {
        match self {
            DType::F16 => 4,
            d => d.size(),
        }
    }

    /// The kind.
    pub fn kind(self) -> Kind {
        match self {
            DType::Bool => Kind::Bool,
            DType::I8 | DType::I16 | DType::I32 | DType::I64 => Kind::Signed,
            DType::U8 | DType::U16 | DType::U32 | DType::U64 => Kind::Unsigned,
            DType::F16 | DType::F32 | DType::F64 => Kind::Float,
        }
    }

    /// Whether it is a floating-point type.
    pub fn is_float(self) -> bool {
        self.kind() == Kind::Float
    }

    /// Whether it is a signed or unsigned integer type.
    pub fn is_int(self) -> bool {
        matches!(self.kind(), Kind::Signed | Kind::Unsigned)
    }

    fn bits(self) -> usize {
        8 * self.size()
    }

    fn signed(bits: usize) -> Option<DType> {
        match bits {
            8 => Some(DType::I8),
            16 => Some(DType::I16),
            32 => Some(DType::I32),
            64 => Some(DType::I64),
            _ => None,
        }
    }

    fn float(bits: usize) -> DType {
        match bits {
            16 => DType::F16,
            32 => DType::F32,
            _ => DType::F64,
        }
    }

    /// The smallest float type this type casts to safely: the type a float function computes in.
    pub fn to_float(self) -> DType {
        match self {
            DType::Bool | DType::I8 | DType::U8 => DType::F16,
            DType::I16 | DType::U16 => DType::F32,
            DType::I32 | DType::I64 | DType::U32 | DType::U64 => DType::F64,
            f => f,
        }
    }
}

/// `numpy.promote_types(a, b)`.
pub fn promote(a: DType, b: DType) -> DType {
    use Kind::*;
    if a == b {
        return a;
    }
    match (a.kind(), b.kind()) {
        (Bool, _) => b,
        (_, Bool) => a,
        (Float, Float) => a.max(b),
        (Float, _) => promote_float_int(a, b),
        (_, Float) => promote_float_int(b, a),
        (Signed, Signed) | (Unsigned, Unsigned) => {
            if a.bits() >= b.bits() {
                a
            } else {
                b
            }
        }
        (Signed, Unsigned) => promote_signed_unsigned(a, b),
        (Unsigned, Signed) => promote_signed_unsigned(b, a),
    }
}

fn promote_float_int(f: DType, i: DType) -> DType {
    // The smallest float holding every value of the integer type, at least `f`.
    let need = match i.bits() {
        8 => 16,
        16 => 32,
        _ => 64,
    };
    DType::float(need.max(f.bits()))
}

fn promote_signed_unsigned(s: DType, u: DType) -> DType {
    if s.bits() > u.bits() {
        s
    } else {
        DType::signed(2 * u.bits()).unwrap_or(DType::F64)
    }
}

/// The type of a value in the expression: a NumPy type, or a Python scalar (NEP 50 "weak" types that
/// take the other operand's type).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ty {
    /// An array or NumPy scalar of this type.
    Strong(DType),
    /// A Python `int`.
    WeakInt,
    /// A Python `float`.
    WeakFloat,
}

impl Ty {
    /// The type a weak value takes when nothing else decides (NumPy's defaults).
    pub fn concrete(self) -> DType {
        match self {
            Ty::Strong(d) => d,
            Ty::WeakInt => DType::I64,
            Ty::WeakFloat => DType::F64,
        }
    }

    /// Whether it is a Python scalar type.
    pub fn is_weak(self) -> bool {
        !matches!(self, Ty::Strong(_))
    }
}

/// The common type of two operands (NumPy 2's `result_type` with NEP 50 weak scalars).
pub fn common(a: Ty, b: Ty) -> Ty {
    match (a, b) {
        (Ty::Strong(x), Ty::Strong(y)) => Ty::Strong(promote(x, y)),
        (Ty::Strong(x), w) | (w, Ty::Strong(x)) => Ty::Strong(weak_with(w, x)),
        (Ty::WeakInt, Ty::WeakInt) => Ty::WeakInt,
        _ => Ty::WeakFloat,
    }
}

/// The type a Python scalar of type `w` meets a NumPy type `d` in.
fn weak_with(w: Ty, d: DType) -> DType {
    match (w, d.kind()) {
        (Ty::WeakInt, Kind::Bool) => DType::I64,
        (Ty::WeakFloat, Kind::Bool | Kind::Signed | Kind::Unsigned) => DType::F64,
        _ => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DType::*;

    #[test]
    fn promotion_table_matches_numpy() {
        // numpy.promote_types on the pairs where the rules differ.
        let cases = [
            (I8, U8, I16),
            (I16, U16, I32),
            (I32, U32, I64),
            (I64, U64, F64),
            (I64, U8, I64),
            (U8, I16, I16),
            (I8, F16, F16),
            (U8, F16, F16),
            (I16, F16, F32),
            (I32, F16, F64),
            (I16, F32, F32),
            (I32, F32, F64),
            (U64, F32, F64),
            (F16, F32, F32),
            (F32, F64, F64),
            (Bool, I8, I8),
            (Bool, F16, F16),
        ];
        for (a, b, r) in cases {
            assert_eq!(promote(a, b), r, "{a:?} {b:?}");
            assert_eq!(promote(b, a), r, "{b:?} {a:?}");
        }
    }

    #[test]
    fn weak_scalars_take_the_array_type() {
        assert_eq!(common(Ty::Strong(F32), Ty::WeakFloat), Ty::Strong(F32));
        assert_eq!(common(Ty::WeakInt, Ty::Strong(I8)), Ty::Strong(I8));
        assert_eq!(common(Ty::WeakFloat, Ty::Strong(I8)), Ty::Strong(F64));
        assert_eq!(common(Ty::WeakInt, Ty::Strong(Bool)), Ty::Strong(I64));
        assert_eq!(common(Ty::WeakInt, Ty::WeakFloat), Ty::WeakFloat);
        assert_eq!(I8.to_float(), F16);
        assert_eq!(I16.to_float(), F32);
        assert_eq!(U64.to_float(), F64);
    }
}

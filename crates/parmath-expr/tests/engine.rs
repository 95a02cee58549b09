//! The engine against plain Rust arithmetic (IEEE operations are correctly rounded, so the
//! reference is exact for them) and against NumPy's documented rules for types.

use parmath_expr::{compile, ArrayRef, DType, Input, Program, ScalarValue};

fn names(n: &[&str]) -> Vec<String> {
    n.iter().map(|s| s.to_string()).collect()
}

/// Runs `prog` over 1-D contiguous arrays of f64 (or the given element type T).
fn run1<T: Copy + Default, R: Copy + Default>(
    prog: &Program,
    xs: &[&[T]],
    dtype: DType,
    scalars: &[Option<ScalarValue>],
) -> (Vec<R>, u8) {
    let n = xs.first().map_or(1, |x| x.len());
    let mut out = vec![R::default(); n];
    let arrays: Vec<Option<ArrayRef>> = xs
        .iter()
        .map(|x| {
            Some(ArrayRef {
                ptr: x.as_ptr().cast_mut().cast(),
                dtype,
                strides: vec![std::mem::size_of::<T>() as isize],
            })
        })
        .collect();
    let o = ArrayRef {
        ptr: out.as_mut_ptr().cast(),
        dtype: prog.result(),
        strides: vec![std::mem::size_of::<R>() as isize],
    };
    // SAFETY: contiguous vectors of n elements of the declared types.
    let s = unsafe { prog.run(&[n], &arrays, scalars, &o) }.unwrap();
    (out, s)
}

fn data(n: usize, seed: f64) -> Vec<f64> {
    (0..n)
        .map(|i| ((i as f64 * 0.618_033_988_749_895 + seed) % 1.0) * 8.0 - 4.0)
        .collect()
}

#[test]
fn arithmetic_is_exact_across_blocks_and_threads() {
    let n = 300_001; // several blocks, parallel
    let (a, b) = (data(n, 0.1), data(n, 0.7));
    let prog = compile(
        "2*a + 3*b - a*b/(b + 10)",
        &names(&["a", "b"]),
        &[Input::Array(DType::F64); 2],
        None,
    )
    .unwrap();
    let (y, s) = run1::<f64, f64>(&prog, &[&a, &b], DType::F64, &[]);
    assert_eq!(s, 0);
    for i in 0..n {
        let r = 2.0 * a[i] + 3.0 * b[i] - a[i] * b[i] / (b[i] + 10.0);
        assert_eq!(y[i].to_bits(), r.to_bits(), "{i}");
    }
}

#[test]
fn functions_use_the_registry_kernels() {
    let a = data(10_000, 0.3);
    let prog = compile(
        "sin(a)**2 + cos(a)**2",
        &names(&["a"]),
        &[Input::Array(DType::F64)],
        None,
    )
    .unwrap();
    let (y, _) = run1::<f64, f64>(&prog, &[&a], DType::F64, &[]);
    let f = |name: &str| parmath_core::find(name).unwrap();
    let (mut s, mut c) = (vec![0.0; a.len()], vec![0.0; a.len()]);
    f("sin").apply_f64(&a, &mut s);
    f("cos").apply_f64(&a, &mut c);
    for i in 0..a.len() {
        assert_eq!(y[i], s[i] * s[i] + c[i] * c[i]);
    }
}

#[test]
fn weak_scalars_keep_float32() {
    let prog = compile(
        "a * 2.5 + s",
        &names(&["a", "s"]),
        &[Input::Array(DType::F32), Input::Float],
        None,
    )
    .unwrap();
    assert_eq!(prog.result(), DType::F32);
    let a: Vec<f32> = (0..100).map(|i| i as f32 * 0.1).collect();
    let (y, _) = run1::<f32, f32>(
        &prog,
        &[&a],
        DType::F32,
        &[None, Some(ScalarValue::Float(0.1))],
    );
    for i in 0..a.len() {
        assert_eq!(y[i], a[i] * 2.5 + 0.1f32);
    }
    let p = compile("a + 1.5", &names(&["a"]), &[Input::Array(DType::I8)], None).unwrap();
    assert_eq!(p.result(), DType::F64);
    let p = compile("a + 1", &names(&["a"]), &[Input::Array(DType::Bool)], None).unwrap();
    assert_eq!(p.result(), DType::I64);
    let p = compile("a / a", &names(&["a"]), &[Input::Array(DType::I8)], None).unwrap();
    assert_eq!(p.result(), DType::F64);
    let p = compile("exp(a)", &names(&["a"]), &[Input::Array(DType::I8)], None).unwrap();
    assert_eq!(p.result(), DType::F16);
    let e = compile("a + 300", &names(&["a"]), &[Input::Array(DType::I8)], None).unwrap_err();
    assert_eq!(e.kind, parmath_expr::ErrorKind::Overflow);
}

#[test]
fn integers_wrap_and_floor() {
    let a: Vec<i8> = vec![-7, 7, 100, -128, 5];
    let b: Vec<i8> = vec![2, -2, 100, -1, 0];
    let prog = compile(
        "a // b",
        &names(&["a", "b"]),
        &[Input::Array(DType::I8); 2],
        None,
    )
    .unwrap();
    let (y, s) = run1::<i8, i8>(&prog, &[&a, &b], DType::I8, &[]);
    assert_eq!(y, vec![-4, -4, 1, -128, 0]);
    assert_eq!(
        s & parmath_core::fpstatus::DIVIDE,
        parmath_core::fpstatus::DIVIDE
    );
    let prog = compile(
        "a + b",
        &names(&["a", "b"]),
        &[Input::Array(DType::I8); 2],
        None,
    )
    .unwrap();
    let (y, _) = run1::<i8, i8>(&prog, &[&a, &b], DType::I8, &[]);
    assert_eq!(y, vec![-5, 5, -56, 127, 5]);
}

#[test]
fn simplification_is_visible_in_the_program() {
    let p = compile(
        "x**2 + x**2 + (1 + 2)",
        &names(&["x"]),
        &[Input::Array(DType::F64)],
        None,
    )
    .unwrap();
    let text = p.disassemble();
    assert_eq!(text.matches("mul.float64").count(), 1, "{text}");
    assert!(text.contains("const 3"), "{text}");
    let p = compile("x**0.5", &names(&["x"]), &[Input::Array(DType::F64)], None).unwrap();
    assert!(p.disassemble().contains("sqrt.float64"));
}

#[test]
fn strided_and_broadcast_operands() {
    // a: 3x4 C-contiguous; b: a row of 4 broadcast over 3 rows; out: transposed (Fortran order).
    let a: Vec<f64> = (0..12).map(f64::from).collect();
    let b: Vec<f64> = vec![10.0, 20.0, 30.0, 40.0];
    let mut out = vec![0.0f64; 12];
    let prog = compile(
        "a * b",
        &names(&["a", "b"]),
        &[Input::Array(DType::F64); 2],
        None,
    )
    .unwrap();
    let arrays = vec![
        Some(ArrayRef {
            ptr: a.as_ptr().cast_mut().cast(),
            dtype: DType::F64,
            strides: vec![32, 8],
        }),
        Some(ArrayRef {
            ptr: b.as_ptr().cast_mut().cast(),
            dtype: DType::F64,
            strides: vec![0, 8],
        }),
    ];
    let o = ArrayRef {
        ptr: out.as_mut_ptr().cast(),
        dtype: DType::F64,
        strides: vec![8, 24],
    };
    // SAFETY: the strides address the vectors above.
    unsafe { prog.run(&[3, 4], &arrays, &[], &o) }.unwrap();
    for i in 0..3 {
        for j in 0..4 {
            assert_eq!(out[i + 3 * j], a[4 * i + j] * b[j]);
        }
    }
}

#[test]
fn float16_rounds_after_each_operation() {
    // 2048 + 1 is not a float16: NumPy's float16 add gives 2048, then + 1 again gives 2048.
    let x: Vec<u16> = vec![0x6800]; // 2048.0
    let prog = compile(
        "x + one + one",
        &names(&["x", "one"]),
        &[Input::Array(DType::F16), Input::Array(DType::F16)],
        None,
    )
    .unwrap();
    let one: Vec<u16> = vec![0x3c00];
    let (y, _) = run1::<u16, u16>(&prog, &[&x, &one], DType::F16, &[]);
    assert_eq!(y, vec![0x6800]);
}

#[test]
fn bad_expressions() {
    let n = names(&["x"]);
    let i = [Input::Array(DType::F64)];
    for (s, kind) in [
        ("y + 1", parmath_expr::ErrorKind::Name),
        ("foo(x)", parmath_expr::ErrorKind::Value),
        ("sin(x, x)", parmath_expr::ErrorKind::Value),
        ("x & x", parmath_expr::ErrorKind::Type),
        ("~x", parmath_expr::ErrorKind::Type),
        ("1 + sum(x)", parmath_expr::ErrorKind::Value),
        ("x +", parmath_expr::ErrorKind::Syntax),
    ] {
        assert_eq!(compile(s, &n, &i, None).unwrap_err().kind, kind, "{s}");
    }
}

//! Every function in the registry, at every instruction-set level this CPU has, against CORE-MATH's
//! correctly rounded results: at most the registry's ULP bound, NaN where the reference is NaN, and
//! signed zeros and infinities exactly. The exhaustive float32 sweep is `#[ignore]`d (run it with
//! `make sweep`).

use parmath_core::{fpstatus, Dtype, Function, Isa, FUNCTIONS};

/// A function's correctly rounded references (float64, float32). A registry function missing here
/// fails `coverage`.
#[derive(Clone, Copy)]
enum Reference {
    Unary(fn(f64) -> f64, fn(f32) -> f32),
    Binary(fn(f64, f64) -> f64, fn(f32, f32) -> f32),
}

/// Each family's rows sit between its markers (families are written in parallel).
fn reference(name: &str) -> Option<Reference> {
    use Reference::{Binary as B, Unary as U};
    Some(match name {
        "exp" => U(core_math::exp, core_math::expf),
        "log" => U(core_math::log, core_math::logf),
        // ---- explog ----
        "exp2" => U(core_math::exp2, core_math::exp2f),
        "expm1" => U(core_math::expm1, core_math::expm1f),
        "log2" => U(core_math::log2, core_math::log2f),
        "log10" => U(core_math::log10, core_math::log10f),
        "log1p" => U(core_math::log1p, core_math::log1pf),
        // ---- end explog ----
        // ---- trig ----
        "sin" => U(core_math::sin, core_math::sinf),
        "cos" => U(core_math::cos, core_math::cosf),
        "tan" => U(core_math::tan, core_math::tanf),
        // ---- end trig ----
        // ---- invtrig ----
        "arcsin" => U(core_math::asin, core_math::asinf),
        "arccos" => U(core_math::acos, core_math::acosf),
        "arctan" => U(core_math::atan, core_math::atanf),
        "arctan2" => B(core_math::atan2, core_math::atan2f),
        // ---- end invtrig ----
        // ---- hyperbolic ----
        "sinh" => U(core_math::sinh, core_math::sinhf),
        "cosh" => U(core_math::cosh, core_math::coshf),
        "tanh" => U(core_math::tanh, core_math::tanhf),
        "arcsinh" => U(core_math::asinh, core_math::asinhf),
        "arccosh" => U(core_math::acosh, core_math::acoshf),
        "arctanh" => U(core_math::atanh, core_math::atanhf),

        // ---- end hyperbolic ----
        // ---- powers ----
        "cbrt" => U(core_math::cbrt, core_math::cbrtf),
        "hypot" => B(core_math::hypot, core_math::hypotf),
        "power" => B(core_math::pow, core_math::powf),
        // ---- end powers ----
        // ---- special ----
        "erf" => U(core_math::erf, core_math::erff),
        "erfc" => U(core_math::erfc, core_math::erfcf),
        // expit has no CORE-MATH counterpart. float64: a double-double evaluation (exp by Taylor's
        // series after an exact reduction, relative error below 2^-95, then one division), so the
        // reference is correctly rounded but for ties closer than that, and subnormal results, which
        // round twice (still within half an ULP plus 2^-53 of one). float32: 1/(1+exp(-x)) in float64
        // with CORE-MATH's exp is within 2^-50 relative of the exact value, which rounds to the
        // correctly rounded float32 except in cases 2^-27 ULP from a tie (none met in the sweep).
        "expit" => {
            fn two_sum(a: f64, b: f64) -> (f64, f64) {
                let s = a + b;
                let bb = s - a;
                (s, (a - (s - bb)) + (b - bb))
            }
            fn mul(a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
                let p = a.0 * b.0;
                let e = a.0.mul_add(b.0, -p) + (a.0 * b.1 + a.1 * b.0);
                two_sum(p, e)
            }
            fn add(a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
                let (s, e) = two_sum(a.0, b.0);
                two_sum(s, e + a.1 + b.1)
            }
            fn div(a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
                let q = a.0 / b.0;
                let r = add(a, mul((-q, 0.0), b));
                let q2 = r.0 / b.0;
                let r = add(r, mul((-q2, 0.0), b));
                add(two_sum(q, q2), (r.0 / b.0, 0.0))
            }
            /// exp(a) = 2^k m, m a double-double, for -750 <= a <= 0.
            fn exp(a: f64) -> ((f64, f64), i32) {
                const L1: f64 = f64::from_bits(0x3fe62e42fefa39ef);
                const L2: f64 = f64::from_bits(0x3c7abc9e3b39803f);
                let k = (a / L1).round();
                let r = add(
                    add((a, 0.0), mul((-k, 0.0), (L1, 0.0))),
                    mul((-k, 0.0), (L2, 0.0)),
                );
                let (mut sum, mut term) = ((1.0, 0.0), (1.0, 0.0));
                for n in 1..=32 {
                    term = div(mul(term, r), (f64::from(n), 0.0));
                    sum = add(sum, term);
                }
                (sum, k as i32)
            }
            fn expit_ref(x: f64) -> f64 {
                if x.is_nan() {
                    return x;
                }
                let a = -x.abs().min(750.0);
                let (m, k) = exp(a);
                let sd = 2f64.powi(k.max(-300));
                let den = add((1.0, 0.0), (m.0 * sd, m.1 * sd));
                let (num, kn) = if x < 0.0 { (m, k) } else { ((1.0, 0.0), 0) };
                let q = div(num, den);
                let k1 = kn / 2;
                (q.0 + q.1) * 2f64.powi(k1) * 2f64.powi(kn - k1)
            }
            fn expit_ref32(x: f32) -> f32 {
                let x = f64::from(x);
                let e = core_math::exp(-x.abs());
                (if x < 0.0 {
                    e / (1.0 + e)
                } else {
                    1.0 / (1.0 + e)
                }) as f32
            }
            U(expit_ref, expit_ref32)
        }

        // ---- end special ----
        // ---- arith: IEEE operations (the hardware's are correctly rounded) and exact ones ----
        "absolute" => U(f64::abs, f32::abs),
        "negative" => U(|x| -x, |x| -x),
        "square" => U(|x| x * x, |x| x * x),
        "reciprocal" => U(|x| 1.0 / x, |x| 1.0 / x),
        "sqrt" => U(f64::sqrt, f32::sqrt),
        "floor" => U(f64::floor, f32::floor),
        "ceil" => U(f64::ceil, f32::ceil),
        "trunc" => U(f64::trunc, f32::trunc),
        "rint" => U(f64::round_ties_even, f32::round_ties_even),
        "add" => B(|x, y| x + y, |x, y| x + y),
        "subtract" => B(|x, y| x - y, |x, y| x - y),
        "multiply" => B(|x, y| x * y, |x, y| x * y),
        "divide" => B(|x, y| x / y, |x, y| x / y),
        // NumPy's choice: of equal inputs (0 and -0), the second.
        "maximum" => B(
            |x, y| pick(x.is_nan() || y.is_nan(), f64::NAN, x > y, x, y),
            |x, y| pick(x.is_nan() || y.is_nan(), f32::NAN, x > y, x, y),
        ),
        "minimum" => B(
            |x, y| pick(x.is_nan() || y.is_nan(), f64::NAN, x < y, x, y),
            |x, y| pick(x.is_nan() || y.is_nan(), f32::NAN, x < y, x, y),
        ),
        // ---- end arith ----
        _ => return None,
    })
}

/// `nan` if `is_nan`, else `x` if `first`, else `y`; opaque to the optimiser, which may otherwise
/// turn the comparison into a max instruction that picks either zero.
fn pick<T: Copy>(is_nan: bool, nan: T, first: bool, x: T, y: T) -> T {
    if std::hint::black_box(is_nan) {
        nan
    } else if std::hint::black_box(first) {
        x
    } else {
        y
    }
}

/// The registry's functions, or those named in `PARMATH_TEST_ONLY` (comma-separated), to iterate
/// on a few kernels quickly.
fn selected() -> Vec<&'static Function> {
    let only = std::env::var("PARMATH_TEST_ONLY").unwrap_or_default();
    let names: Vec<&str> = only.split(',').filter(|s| !s.is_empty()).collect();
    FUNCTIONS
        .iter()
        .filter(|f| names.is_empty() || names.contains(&f.name))
        .collect()
}

/// The unary functions selected, with their references.
/// A unary function with its float64 and float32 references.
type UnaryCase = (&'static Function, fn(f64) -> f64, fn(f32) -> f32);

fn unary() -> Vec<UnaryCase> {
    selected()
        .into_iter()
        .filter_map(|f| match reference(f.name)? {
            Reference::Unary(r64, r32) => Some((f, r64, r32)),
            Reference::Binary(..) => None,
        })
        .collect()
}

/// The binary functions selected, with their references.
/// A binary function with its float64 and float32 references.
type BinaryCase = (&'static Function, fn(f64, f64) -> f64, fn(f32, f32) -> f32);

fn binary() -> Vec<BinaryCase> {
    selected()
        .into_iter()
        .filter_map(|f| match reference(f.name)? {
            Reference::Binary(r64, r32) => Some((f, r64, r32)),
            Reference::Unary(..) => None,
        })
        .collect()
}

/// Extra inputs that matter for one function (domain edges, thresholds), besides the common ones.
fn interesting(name: &str) -> Vec<f64> {
    match name {
        "exp" => vec![
            709.782712893384,
            709.7827128933841,
            709.78,
            -708.3964185322641,
            -708.3964185322642,
            -745.1332191019411,
            -745.1332191019412,
            -744.44,
            88.72283,
            88.72284,
            -87.33654,
            -87.33655,
            -103.97208,
            -103.97209,
            1e-300,
            -1e-300,
            0.34657359027997264,
        ],
        "log" => vec![
            1.0 - 1e-16,
            1.0 + 2.2e-16,
            std::f64::consts::FRAC_1_SQRT_2,
            std::f64::consts::SQRT_2,
            2.0,
            0.5,
        ],
        // ---- explog ----
        "exp2" => vec![
            1024.0,
            1023.9999999999999,
            1023.5,
            -1022.0,
            -1022.0000000000001,
            -1022.5,
            -1074.0,
            -1074.5,
            -1075.0,
            -1075.0000000000002,
            -1076.0,
            128.0,
            127.99999,
            -126.0,
            -126.00001,
            -149.0,
            -149.5,
            -150.0,
            -150.00002,
            0.5,
            -0.5,
            0.49999999999999994,
            -0.49999999999999994,
            1e-300,
            -1e-300,
            3.5,
            -3.5,
        ],
        "expm1" => vec![
            709.782712893384,
            709.7827128933841,
            709.43,
            709.0,
            88.72283,
            88.72284,
            0.34657359027997264,
            -0.34657359027997264,
            0.35,
            -0.35,
            1e-300,
            -1e-300,
            2f64.powi(-30),
            -2f64.powi(-30),
            2f64.powi(-54),
            -2f64.powi(-54),
            -36.0,
            -37.5,
            -38.0,
            -40.0,
            -40.5,
            -17.0,
            -17.4,
            -745.0,
        ],
        "log2" | "log10" => vec![
            1.0 - 1e-16,
            1.0 + 2.2e-16,
            std::f64::consts::FRAC_1_SQRT_2,
            std::f64::consts::SQRT_2,
            2.0,
            0.5,
            10.0,
            100.0,
            1000.0,
            1e22,
            1e23,
            1e-5,
            0.1,
            1024.0,
            2f64.powi(-1022),
            2f64.powi(-1060),
            2f64.powi(1023),
            3.0,
        ],
        "log1p" => vec![
            -0.2928932188134524,
            -0.29289321881345254,
            0.41421356237309503,
            0.4142135623730951,
            -0.5,
            -0.9999999999999999,
            -0.99999,
            1e-300,
            -1e-300,
            2f64.powi(-30),
            -2f64.powi(-30),
            2f64.powi(-54),
            -2f64.powi(-54),
            1e-10,
            -1e-10,
            9007199254740992.0,
            9007199254740993.0,
            1e300,
            1.0,
            3.0,
            1.5,
        ],
        // ---- end explog ----
        // ---- trig ----
        "sin" | "cos" | "tan" => {
            // Hard-to-reduce arguments (6381956970095103 * 2^797 is the double closest to a multiple
            // of pi/2 relative to its size), the fast range's edge (2^20), huge and tiny ones.
            let mut v = vec![
                6381956970095103.0 * 2f64.powi(797),
                -6381956970095103.0 * 2f64.powi(797),
                5.319372648326541e255,
                1e22,
                1e300,
                -1e308,
                2f64.powi(1023),
                3.4028234663852886e38,
                -3.4028234663852886e38,
                1048576.0,
                -1048576.0,
                1048576.0000000001,
                1048575.9999999999,
                1048577.0,
                16777216.0,
                1e-300,
                2f64.powi(-26),
                2f64.powi(-27),
                1.4901161193847656e-8,
                std::f64::consts::FRAC_PI_4,
                std::f64::consts::FRAC_PI_2,
                std::f64::consts::PI,
                102940.375,
                355.0,
                710.0,
            ];
            // Doubles next to multiples of pi/2 (k pi/2 in double-double, then neighbours), over
            // the fast range and beyond it.
            let (hi, lo) = (std::f64::consts::FRAC_PI_2, 6.123233995736766e-17);
            let mut ks: Vec<f64> = (1..=200).map(f64::from).collect();
            ks.extend([
                1e3, 12345.0, 65536.0, 99999.0, 333333.0, 667544.0, 667545.0, 700000.0, 1e7, 1e15,
            ]);
            for k in ks {
                let x = k.mul_add(hi, k * lo);
                let b = x.to_bits();
                for d in 0..=4u64 {
                    v.push(f64::from_bits(b + d - 2));
                    v.push(-f64::from_bits(b + d - 2));
                }
            }
            v
        }
        // ---- end trig ----
        // ---- invtrig ----
        "arcsin" | "arccos" => vec![
            0.5,
            -0.5,
            0.5000000000000001,
            0.49999999999999994,
            -0.5000000000000001,
            1.0 - 1e-16,
            -1.0 + 1e-16,
            1.0000000000000002,
            -1.0000000000000002,
            0.9999999,
            0.99999994,
            1.00000012,
            std::f64::consts::FRAC_1_SQRT_2,
            0.1,
            1e-8,
            -1e-300,
            1e-310,
        ],
        "arctan" => vec![
            1.0000000000000002,
            0.9999999999999999,
            -1.0000000000000002,
            1.00000012,
            0.99999994,
            1e100,
            1.2676506002282294e30,
            2f64.powi(100),
            2f64.powi(101),
            9.007199254740992e15,
            1e300,
            1e-8,
            0.41421356237309503,
            2.414213562373095,
            1e-310,
        ],
        // ---- end invtrig ----
        // ---- hyperbolic ----
        "sinh" | "cosh" => vec![
            710.4758600739439,
            710.475860073944,
            -710.4758600739439,
            -710.475860073944,
            710.0,
            709.78,
            89.41598,
            89.416,
            -89.41599,
            0.3465,
            0.34649999999999997,
            -0.3465,
            0.34657359027997264,
            0.5,
            1e-300,
            -1e-300,
            3.725290298461914e-9,
            40.0 * std::f64::consts::LN_2,
            28.0,
            29.0,
        ],
        "tanh" => vec![
            19.06,
            19.07,
            20.0,
            20.000000000000004,
            9.01,
            9.02,
            3.725290298461914e-9,
            3.7252902984619136e-9,
            0.17328679513998632,
            0.1733,
            0.55,
            1e-300,
            -1e-300,
            2.0e-308,
        ],
        "arcsinh" | "arccosh" => vec![
            1.0000000000000002,
            1.0000000000000004,
            1.0 + 1e-10,
            1.0 + 1e-8,
            268435456.0,
            268435456.00000006,
            268435455.99999997,
            94906265.62425156,
            94906267.0,
            1.3407807929942596e154,
            1.4e154,
            3.725290298461914e-9,
            3.7252902984619136e-9,
            -3.725290298461914e-9,
            0.4,
            1.5,
            f64::MAX,
        ],
        "arctanh" => vec![
            0.9999999999999999,
            -0.9999999999999999,
            0.99999994,
            0.9999999403953552,
            0.5,
            0.49999999999999994,
            0.5000000000000001,
            3.725290298461914e-9,
            3.7252902984619136e-9,
            1.0000000000000002,
            -1.0000000000000002,
            1e-300,
            0.17,
        ],

        // ---- end hyperbolic ----
        // ---- powers ----
        "cbrt" => vec![
            8.0,
            -27.0,
            2.0,
            4.0,
            0.125,
            1.0 - 1e-16,
            1.0 + 2.2e-16,
            7.999999999999999,
            1e-308,
            2.2250738585072e-308,
            -4.9e-323,
            1e300,
            -1.7e308,
            1.2345678901234567e-200,
            1.1754942e-38,
            1.4e-45,
            -3.4e38,
        ],
        // ---- end powers ----
        // ---- special ----
        // Interval seams (0.5, 0.875, m +- 1/2, 4.5), saturation and underflow thresholds.
        "erf" | "erfc" => vec![
            0.5,
            -0.5,
            0.49999999999999994,
            0.875,
            -0.875,
            0.8749999999999999,
            1.5,
            2.5,
            3.5,
            4.5,
            4.500000000000001,
            -4.5,
            5.9215,
            5.93,
            6.5,
            3.9192,
            3.92,
            1.9719203645301425e-308,
            1.9719203645301423e-308,
            -1.9719203645301425e-308,
            1.0417548e-38,
            26.543258454250978,
            26.54325845425098,
            27.2,
            27.23,
            27.5,
            28.0,
            -27.0,
            9.194549,
            9.19455,
            10.05,
            10.06,
        ],
        "expit" => vec![
            -708.3964185322641,
            -708.3964185322642,
            -745.1332191019411,
            -745.1332191019412,
            -746.0,
            746.0,
            36.7,
            37.5,
            -87.33654,
            -87.33655,
            -103.97208,
            -103.97209,
            17.0,
            16.6,
            0.34657359027997264,
            -0.34657359027997264,
            -1e-300,
            1e-300,
        ],

        // ---- end special ----
        // ---- arith ----
        "floor" | "ceil" | "trunc" | "rint" => vec![
            0.5,
            -0.5,
            1.5,
            -1.5,
            2.5,
            0.49999999999999994,
            4503599627370495.5,
            4503599627370497.0,
            -4503599627370495.5,
            8388607.5,
            -8388607.5,
            8388609.0,
            1e300,
            -1e-300,
        ],
        "square" | "reciprocal" => vec![
            1.3407807929942596e154,
            1.4916681462400413e-154,
            1e-160,
            5.6e-309,
        ],
        // ---- end arith ----
        _ => vec![],
    }
}

/// What the checks need of f32 and f64.
trait F: Copy + Default + std::fmt::Debug + PartialEq {
    /// Position on the number line in ULPs (both zeros map to 0).
    fn ord(self) -> i64;
    fn bits(self) -> u64;
    fn is_nan(self) -> bool;
    fn is_infinite(self) -> bool;
}

impl F for f64 {
    fn ord(self) -> i64 {
        let b = self.to_bits() as i64;
        if b < 0 {
            -(b & i64::MAX)
        } else {
            b
        }
    }
    fn bits(self) -> u64 {
        self.to_bits()
    }
    fn is_nan(self) -> bool {
        self.is_nan()
    }
    fn is_infinite(self) -> bool {
        self.is_infinite()
    }
}

impl F for f32 {
    fn ord(self) -> i64 {
        let b = self.to_bits() as i32;
        i64::from(if b < 0 { -(b & i32::MAX) } else { b })
    }
    fn bits(self) -> u64 {
        u64::from(self.to_bits())
    }
    fn is_nan(self) -> bool {
        self.is_nan()
    }
    fn is_infinite(self) -> bool {
        self.is_infinite()
    }
}

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * ((self.next() >> 11) as f64 / (1u64 << 53) as f64)
    }
}

fn inputs64(name: &str) -> Vec<f64> {
    let mut v = vec![
        0.0,
        -0.0,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        -f64::NAN,
        1.0,
        -1.0,
        f64::MIN_POSITIVE,
        -f64::MIN_POSITIVE,
        5e-324,
        -5e-324,
        f64::MAX,
        f64::MIN,
        f64::EPSILON,
        1e-10,
        -1e-10,
        0.5,
        1.5,
        100.0,
        -100.0,
    ];
    v.extend(interesting(name));
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..300_000 {
        v.push(f64::from_bits(rng.next())); // every binade alike
    }
    for &(lo, hi) in &[
        (-750.0, 750.0),
        (-1.0, 1.0),
        (-1e-6, 1e-6),
        (0.0, 10.0),
        (0.5, 2.0),
        (1.0, 1.0 + 1e-6),
    ] {
        for _ in 0..200_000 {
            v.push(rng.uniform(lo, hi));
        }
    }
    v
}

/// Checks `got` against `want` for every input: NaN where it is NaN, zeros and infinities exactly, and
/// `error(x, y)` ULP at most `bound`. Returns (max error, count equal to `want`).
fn compare<X: Copy + std::fmt::Debug, T: F>(
    what: &str,
    xs: &[X],
    got: &[T],
    want: impl Fn(X) -> T,
    error: impl Fn(X, T, T) -> f64,
    bound: f64,
) -> (f64, usize) {
    let (mut worst, mut exact) = (0.0f64, 0);
    for (&x, &y) in xs.iter().zip(got) {
        let r = want(x);
        if r.is_nan() || y.is_nan() {
            assert!(
                r.is_nan() && y.is_nan(),
                "{what}({x:?}) = {y:?}, want {r:?}"
            );
            exact += 1;
            continue;
        }
        // Zeros and infinities must match exactly, sign included.
        let special = |v: T| v.ord() == 0 || v.is_infinite();
        if special(r) || special(y) {
            assert_eq!(y.bits(), r.bits(), "{what}({x:?}) = {y:?}, want {r:?}");
            exact += 1;
            continue;
        }
        // A correctly rounded result is within half an ULP; only the others need measuring.
        let e = if y.bits() == r.bits() {
            0.5
        } else {
            error(x, y, r)
        };
        assert!(e <= bound, "{what}({x:?}) = {y:?}, want {r:?}: {e} ULP");
        worst = worst.max(e);
        exact += usize::from(y.bits() == r.bits());
    }
    (worst, exact)
}

/// float64: distance in ULPs from the correctly rounded result (an integer; the fractional error
/// against the exact value is measured with mpmath in `tests/test_accuracy.py`).
fn distance64(_x: f64, y: f64, r: f64) -> f64 {
    (y.ord() - r.ord()).abs() as f64
}

/// float32: error in ULPs of the exact value, which CORE-MATH's float64 result gives to 2^-29 ULP.
fn error32(wide: fn(f64) -> f64) -> impl Fn(f32, f32, f32) -> f64 {
    move |x, y, r| error32_of(wide(f64::from(x)), y, r)
}

/// The error of `y` in ULPs of the exact value `exact` (given to float64 precision).
fn error32_of(exact: f64, y: f32, _r: f32) -> f64 {
    {
        let ulp = if exact.abs() < f64::from(f32::MIN_POSITIVE) {
            f64::from(f32::from_bits(1))
        } else {
            // The spacing of float32 numbers in exact's binade.
            f64::from_bits((exact.abs().to_bits() & 0x7ff0_0000_0000_0000) - (23u64 << 52))
        };
        (f64::from(y) - exact).abs() / ulp
    }
}

fn supported_isas() -> impl Iterator<Item = Isa> {
    Isa::ALL.into_iter().filter(|isa| isa.supported())
}

/// Runs a function's loop at one level, contiguous and with a stride of 3 (the gather path).
fn run<T: F>(f: &Function, dtype: Dtype, isa: Isa, xs: &[T]) -> Vec<T> {
    let lp = f.unary_loop(dtype, isa).expect("unary");
    let size = std::mem::size_of::<T>() as isize;
    let mut out = vec![T::default(); xs.len()];
    // SAFETY: disjoint buffers of xs.len() elements.
    unsafe {
        lp(
            xs.as_ptr().cast(),
            size,
            out.as_mut_ptr().cast(),
            size,
            xs.len(),
        )
    };
    let spread: Vec<T> = xs
        .iter()
        .flat_map(|&x| [x, T::default(), T::default()])
        .collect();
    let mut out3 = vec![T::default(); spread.len()];
    // SAFETY: every third element of buffers of 3 * xs.len() elements.
    unsafe {
        lp(
            spread.as_ptr().cast(),
            3 * size,
            out3.as_mut_ptr().cast(),
            3 * size,
            xs.len(),
        )
    };
    for (i, (a, b)) in out.iter().zip(out3.iter().step_by(3)).enumerate() {
        assert_eq!(
            a.bits(),
            b.bits(),
            "{} strided result differs at {i}",
            f.name
        );
    }
    out
}

#[test]
fn coverage() {
    for f in FUNCTIONS {
        assert!(
            reference(f.name).is_some(),
            "{} has no reference in tests/accuracy.rs",
            f.name
        );
    }
}

#[test]
fn float64_within_bound() {
    for (f, cr, _) in unary() {
        let xs = inputs64(f.name);
        for isa in supported_isas() {
            let got = run(f, Dtype::F64, isa, &xs);
            let what = format!("{} f64 {}", f.name, isa.name());
            let (worst, exact) = compare(&what, &xs, &got, cr, distance64, f.ulp_f64);
            println!(
                "{what}: at most {worst} ULP from correctly rounded, {:.4}% correctly rounded",
                100.0 * exact as f64 / xs.len() as f64
            );
        }
    }
}

#[test]
fn float32_within_bound_sampled() {
    // Every 251st bit pattern: 17 million inputs, all binades and both signs.
    let xs: Vec<f32> = (0..=u32::MAX).step_by(251).map(f32::from_bits).collect();
    for (f, wide, cr) in unary() {
        let mut xs = xs.clone();
        xs.extend(interesting(f.name).iter().map(|&x| x as f32));
        for isa in supported_isas() {
            let got = run(f, Dtype::F32, isa, &xs);
            let what = format!("{} f32 {}", f.name, isa.name());
            let (worst, exact) = compare(&what, &xs, &got, cr, error32(wide), f.ulp_f32);
            println!(
                "{what}: max {worst:.4} ULP, {:.4}% correctly rounded",
                100.0 * exact as f64 / xs.len() as f64
            );
        }
    }
}

#[test]
#[ignore = "exhaustive: 2^32 inputs per function and level; run with `make sweep`"]
fn float32_exhaustive() {
    // Contiguous loops only (the sampled test covers the strided path), split across all cores.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    // PARMATH_SWEEP_ISA=avx512 (say) sweeps one level only: the sampled test covers the others.
    let only_isa = std::env::var("PARMATH_SWEEP_ISA")
        .ok()
        .and_then(|s| Isa::parse(&s));
    for (f, wide, cr) in unary() {
        for isa in supported_isas().filter(|&i| only_isa.is_none_or(|o| o == i)) {
            let lp = f.unary_loop(Dtype::F32, isa).unwrap();
            let what = format!("{} f32 {}", f.name, isa.name());
            let next = std::sync::atomic::AtomicU32::new(0);
            let results: Vec<(f64, usize)> = std::thread::scope(|s| {
                let workers: Vec<_> = (0..threads)
                    .map(|_| {
                        s.spawn(|| {
                            let (mut worst, mut exact) = (0.0f64, 0usize);
                            let mut got = vec![0.0f32; 1 << 16];
                            loop {
                                let hi = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                                if hi > u32::from(u16::MAX) {
                                    break (worst, exact);
                                }
                                let xs: Vec<f32> = (0..1u32 << 16)
                                    .map(|lo| f32::from_bits(hi << 16 | lo))
                                    .collect();
                                // SAFETY: disjoint buffers of 2^16 elements.
                                unsafe {
                                    lp(xs.as_ptr().cast(), 4, got.as_mut_ptr().cast(), 4, xs.len())
                                };
                                let (w, e) =
                                    compare(&what, &xs, &got, cr, error32(wide), f.ulp_f32);
                                worst = worst.max(w);
                                exact += e;
                            }
                        })
                    })
                    .collect();
                workers.into_iter().map(|w| w.join().unwrap()).collect()
            });
            let worst = results.iter().map(|r| r.0).fold(0.0, f64::max);
            let exact: usize = results.iter().map(|r| r.1).sum();
            println!("EXHAUSTIVE {what}: max {worst:.4} ULP, {exact} of 2^32 correctly rounded");
        }
    }
}

/// The conditions computing `f(x)` exactly rounded raises, for a float64 input `x` with correctly
/// rounded result `r`; None where the rule is the hardware's (one IEEE operation: `hardware`
/// computes it).
fn status_rule(name: &str, x: f64, r: f64) -> Option<u8> {
    use fpstatus::{DIVIDE, INVALID, OVERFLOW, UNDERFLOW};
    let finite_in = x.is_finite();
    let overflow = u8::from(finite_in && r.is_infinite()) * OVERFLOW;
    let underflow = u8::from(finite_in && r.abs() < f64::MIN_POSITIVE && x != 0.0) * UNDERFLOW;
    let invalid = u8::from(!x.is_nan() && r.is_nan()) * INVALID;
    let _ = (overflow, underflow, invalid);
    Some(match name {
        "exp" => overflow | (u8::from(finite_in && r < f64::MIN_POSITIVE) * UNDERFLOW),
        "log" => (u8::from(x == 0.0) * DIVIDE) | (u8::from(x < 0.0) * INVALID),
        // ---- explog ----
        // Underflow: a nonzero result below the smallest normal that is inexact (IEEE 754), so not
        // exp2's exact subnormal powers of two; expm1(x) and log1p(x) round to x for subnormal x, and
        // like NumPy they report nothing there.
        "exp2" => {
            let exact = x == x.trunc() && x >= -1074.0;
            overflow | (u8::from(finite_in && r < f64::MIN_POSITIVE && !exact) * UNDERFLOW)
        }
        "expm1" => overflow,
        "log2" | "log10" => (u8::from(x == 0.0) * DIVIDE) | (u8::from(x < 0.0) * INVALID),
        "log1p" => (u8::from(x == -1.0) * DIVIDE) | (u8::from(x < -1.0) * INVALID),
        // ---- end explog ----
        // ---- trig ----
        // Invalid for infinite arguments only; no underflow (see kernels/trig.rs: sin(x) = x for
        // subnormal x is not reported, as NumPy's tan and the fast path).
        "sin" | "cos" | "tan" => u8::from(x.is_infinite()) * INVALID,
        // ---- end trig ----
        // ---- invtrig ----
        "arcsin" | "arccos" => u8::from(x.abs() > 1.0) * INVALID,
        "arctan" => 0,
        // ---- end invtrig ----
        // ---- hyperbolic ----
        "sinh" | "cosh" => overflow,
        "tanh" | "arcsinh" => 0,
        "arccosh" => invalid,
        "arctanh" => (u8::from(x.abs() == 1.0) * DIVIDE) | invalid,

        // ---- end hyperbolic ----
        // ---- powers ----
        "cbrt" => 0,
        // ---- end powers ----
        // ---- special ----
        "erf" => underflow,
        "erfc" => u8::from(finite_in && r < f64::MIN_POSITIVE) * UNDERFLOW,
        "expit" => u8::from(finite_in && r < f64::MIN_POSITIVE) * UNDERFLOW,

        // ---- end special ----
        // ---- arith ----
        "absolute" | "negative" | "floor" | "ceil" | "trunc" | "rint" => 0,
        "square" | "reciprocal" | "sqrt" => return None,
        // ---- end arith ----
        other => panic!("no status rule for {other}"),
    })
}

/// The hardware's flags for one IEEE operation, the reference for the one-operation kernels.
fn hardware(op: impl FnOnce() -> f64) -> u8 {
    fpstatus::clear();
    std::hint::black_box(op());
    let st = fpstatus::current();
    fpstatus::clear();
    st
}

#[test]
fn status_matches_the_exact_result() {
    // For example exp: overflow exactly when a finite input gives an infinite result; underflow when
    // the correctly rounded result is below the smallest normal; log: divide by zero at 0 and invalid
    // below 0.
    for (f, cr, _) in unary() {
        let xs = inputs64(f.name);
        let mut out = vec![0.0; xs.len()];
        for (i, &x) in xs.iter().enumerate() {
            let st = f.apply_f64(&xs[i..=i], &mut out[i..=i]);
            let r = cr(x);
            let want = status_rule(f.name, x, r)
                .unwrap_or_else(|| hardware(|| cr(std::hint::black_box(x))));
            // At exactly the underflow threshold the rounded result is the smallest normal.
            if r.abs() == f64::MIN_POSITIVE {
                continue;
            }
            assert_eq!(st, want, "{}({x:e}) status", f.name);
        }
    }
}

/// Pairs for binary functions: every pair of special and common values, the function's own, and
/// random pairs (bit patterns, and uniform in a few ranges).
fn pairs64(name: &str) -> (Vec<f64>, Vec<f64>) {
    let mut common: Vec<f64> = inputs64(name)[..23].to_vec();
    common.extend([2.0, -2.0, 3.0, 0.1, 1e300, -1e300, 1e-300, 1e-320]);
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for &x in &common {
        for &y in &common {
            a.push(x);
            b.push(y);
        }
    }
    for (x, y) in interesting2(name) {
        a.push(x);
        b.push(y);
    }
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for _ in 0..200_000 {
        a.push(f64::from_bits(rng.next()));
        b.push(f64::from_bits(rng.next()));
    }
    for &(lo, hi) in &[(-10.0, 10.0), (-1e3, 1e3), (0.0, 2.0), (-1e-300, 1e-300)] {
        for _ in 0..100_000 {
            a.push(rng.uniform(lo, hi));
            b.push(rng.uniform(lo, hi));
        }
    }
    (a, b)
}

/// Pairs that matter for one binary function.
fn interesting2(name: &str) -> Vec<(f64, f64)> {
    match name {
        // ---- invtrig ----
        "arctan2" => {
            let special = [
                0.0,
                -0.0,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NAN,
                1.0,
                -1.0,
            ];
            let mut v = Vec::new();
            for &a in special.iter().chain(&[5e-324]) {
                for &b in special.iter().chain(&[1e-310]) {
                    v.push((a, b));
                }
            }
            v.extend([
                (1e-300, 1e300),
                (-1e-300, 1e300),
                (1e-300, -1e300),
                (5e-324, 0.5),
                (1e-310, 3.0),
                (1e-308, 1.0),
                (2.2250738585072014e-308, 1.0),
                (1e-320, 1e-310),
                (3e-310, 2e-310),
                (1e300, 1e-300),
                (1.0, 1.0000000000000002),
                (1.0000000000000002, 1.0),
                (-1.0, -1.0000000000000002),
                (1e-40, 1.0),
                (1e-30, 1e10),
                (1e-20, 1e20),
                (1e38, 1e-38),
                (f64::MAX, f64::MAX),
                (f64::MAX, -f64::MAX),
                (f64::MIN_POSITIVE, f64::MIN_POSITIVE),
            ]);
            v
        }
        // ---- end invtrig ----
        // ---- powers ----
        "hypot" => {
            let t = |k: i32| 2f64.powi(k);
            let mut v = vec![
                (3.0, 4.0),
                (-5.0, 12.0),
                (1e308, 1e308),
                (f64::MAX, 1.0),
                (f64::MAX, f64::MAX),
                (1.2711610061536574e308, 1.2711610061536574e308),
                (1.3407807929942596e154, 1.3407807929942596e154),
                (1e-310, 1e-310),
                (3e-320, 4e-320),
                (1e-310, 1e-320),
                (2.2250738585072e-308, 1e-320),
                (f64::MIN_POSITIVE, 5e-324),
                (f64::INFINITY, f64::NAN),
                (f64::NAN, f64::NEG_INFINITY),
                (f64::NAN, 1.0),
                (-0.0, -0.0),
                (-0.0, 5e-324),
                (1.0, 1e-17),
                (1.0, t(-27)),
                (1.0, t(-26) * 1.5),
                (3e38, 3e38),
                (2.4e38, 2.4e38),
                (2.406e38, 1.0),
                (1e-40, 1e-41),
                (1e-40, 0.0),
                (1.1754942e-38, 1e-45),
            ];
            for k in [450, -450, 500, -500, 600, -600, 1000, -1000, -1060] {
                for (a, b) in [(1.0, 1.0), (1.0 - 1e-16, 0.7), (1.5, 1.25), (1.0, t(-30))] {
                    v.push((a * t(k), b * t(k)));
                    v.push((a * t(k) * (1.0 - f64::EPSILON), -b * t(k)));
                }
            }
            v
        }
        "power" => {
            let specials = [
                0.0,
                -0.0,
                1.0,
                -1.0,
                0.5,
                -0.5,
                2.0,
                -2.0,
                3.0,
                -3.0,
                2.5,
                -2.5,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NAN,
                5e-324,
                -5e-324,
                1e-310,
                f64::MAX,
                -f64::MAX,
                9007199254740993.0,
                9007199254740992.0,
                4503599627370497.0,
                -4503599627370497.0,
                1e300,
            ];
            let mut v = Vec::new();
            for &x in &specials {
                for &y in &specials {
                    v.push((x, y));
                }
            }
            v.extend([
                (2.0, 1023.0),
                (2.0, 1024.0),
                (2.0, -1022.0),
                (2.0, -1023.0),
                (2.0, -1074.0),
                (2.0, -1075.0),
                (0.5, 1074.0),
                (10.0, 308.0),
                (10.0, 309.0),
                (10.0, -307.0),
                (10.0, -323.0),
                (10.0, -324.0),
                (-10.0, 307.0),
                (-10.0, -321.0),
                (1.0000001, 1e300),
                (0.9999999, 1e300),
                (1.0 + f64::EPSILON, 3e17),
                (1.0 - f64::EPSILON / 2.0, 1e18),
                (1.0 + f64::EPSILON, -3e17),
                (1.0 - 1e-10, 7.09e12),
                (1.0 + 1e-12, 7.09e14),
                (3.0, 0.5),
                (-8.0, 1.0 / 3.0),
                (7.0, 13.0),
                (-7.0, 13.0),
                (1.1, 7450.0),
                (0.9, 7000.0),
                (1e-310, 1.0),
                (1e-310, 0.5),
                (-1e-310, 1.0),
                (1e-310, -1.0),
                (2.409919865102884e-181, 2.0),
                (3.4e38, 1.0),
                (2.0, 127.9),
                (2.0, 128.0),
                (2.0, -126.0),
                (2.0, -149.0),
                (2.0, -150.0),
                (0.5, 149.5),
            ]);
            let mut rng = Rng(0x1234_5678_9abc_def1);
            for _ in 0..20_000 {
                // Integer exponents, results near the ends of the range, x near 1 with large y.
                let x = rng.uniform(-20.0, 20.0);
                let y = (rng.uniform(-300.0, 300.0)).round();
                v.push((x, y));
                let x = rng.uniform(0.5, 2.0);
                let target = rng.uniform(-745.5, 709.9);
                v.push((x, target / x.ln()));
                let x = 1.0 + rng.uniform(-1e-9, 1e-9);
                v.push((x, rng.uniform(-7e11, 7e11)));
                let x = f64::from_bits(rng.next() & 0x7fff_ffff_ffff_ffff);
                v.push((x, rng.uniform(-2.0, 2.0)));
            }
            v
        }
        // ---- end powers ----
        // ---- arith ----
        "add" | "subtract" => vec![(f64::MAX, f64::MAX), (1.0, 1e-17), (1e-308, -9e-309)],
        "multiply" | "divide" => vec![
            (1e-200, 1e-200),
            (2f64.powi(-1000), 2f64.powi(-50)),
            (1e200, 1e200),
        ],
        // ---- end arith ----
        _ => vec![],
    }
}

/// Runs a binary loop at one level: contiguous, strided by 3, and with the second operand a
/// broadcast scalar where it is one; the layouts must agree bit for bit.
fn run2<T: F>(f: &Function, dtype: Dtype, isa: Isa, a: &[T], b: &[T]) -> Vec<T> {
    let lp = f.binary_loop(dtype, isa).expect("binary");
    let size = std::mem::size_of::<T>() as isize;
    let n = a.len();
    let mut out = vec![T::default(); n];
    // SAFETY: distinct buffers of n elements.
    unsafe {
        lp(
            a.as_ptr().cast(),
            size,
            b.as_ptr().cast(),
            size,
            out.as_mut_ptr().cast(),
            size,
            n,
        )
    };
    let spread = |v: &[T]| -> Vec<T> {
        v.iter()
            .flat_map(|&x| [x, T::default(), T::default()])
            .collect()
    };
    let (a3, b3) = (spread(a), spread(b));
    let mut out3 = vec![T::default(); 3 * n];
    // SAFETY: every third element of buffers of 3n elements.
    unsafe {
        lp(
            a3.as_ptr().cast(),
            3 * size,
            b3.as_ptr().cast(),
            3 * size,
            out3.as_mut_ptr().cast(),
            3 * size,
            n,
        )
    };
    for (i, (x, y)) in out.iter().zip(out3.iter().step_by(3)).enumerate() {
        assert_eq!(
            x.bits(),
            y.bits(),
            "{} strided result differs at {i}",
            f.name
        );
    }
    // A scalar second operand: the first 2000 elements against b[7].
    let m = n.min(2000);
    let mut outs = vec![T::default(); m];
    let bs: Vec<T> = vec![b[7]; m];
    let mut want = vec![T::default(); m];
    // SAFETY: as above; the scalar is one element read with step 0.
    unsafe {
        lp(
            a.as_ptr().cast(),
            size,
            (&b[7] as *const T).cast(),
            0,
            outs.as_mut_ptr().cast(),
            size,
            m,
        );
        lp(
            a.as_ptr().cast(),
            size,
            bs.as_ptr().cast(),
            size,
            want.as_mut_ptr().cast(),
            size,
            m,
        );
    }
    for (i, (x, y)) in outs.iter().zip(&want).enumerate() {
        assert_eq!(
            x.bits(),
            y.bits(),
            "{} broadcast result differs at {i}",
            f.name
        );
    }
    out
}

#[test]
fn binary_float64_within_bound() {
    for (f, cr, _) in binary() {
        let (a, b) = pairs64(f.name);
        for isa in supported_isas() {
            let got = run2(f, Dtype::F64, isa, &a, &b);
            let what = format!("{} f64 {}", f.name, isa.name());
            let idx: Vec<usize> = (0..a.len()).collect();
            let want = |i: usize| cr(a[i], b[i]);
            let (worst, exact) = compare(
                &what,
                &idx,
                &got,
                want,
                |_, y, r| distance64(0.0, y, r),
                f.ulp_f64,
            );
            println!("{what}: at most {worst} ULP from correctly rounded, {exact} of {} correctly rounded", a.len());
        }
    }
}

#[test]
fn binary_float32_within_bound() {
    for (f, wide, cr) in binary() {
        let (a64, b64) = pairs64(f.name);
        let a: Vec<f32> = a64.iter().map(|&x| x as f32).collect();
        let b: Vec<f32> = b64.iter().map(|&x| x as f32).collect();
        for isa in supported_isas() {
            let got = run2(f, Dtype::F32, isa, &a, &b);
            let what = format!("{} f32 {}", f.name, isa.name());
            let idx: Vec<usize> = (0..a.len()).collect();
            let error = |i: usize, y: f32, r: f32| {
                let exact = wide(f64::from(a[i]), f64::from(b[i]));
                error32_of(exact, y, r)
            };
            let (worst, exact) = compare(&what, &idx, &got, |i| cr(a[i], b[i]), error, f.ulp_f32);
            println!(
                "{what}: max {worst:.4} ULP, {exact} of {} correctly rounded",
                a.len()
            );
        }
    }
}

/// The conditions computing `f(x, y)` exactly rounded raises; None where the hardware's flags for
/// the reference operation are the rule.
fn status_rule2(name: &str, x: f64, y: f64, r: f64) -> Option<u8> {
    let _ = (x, y, r);
    Some(match name {
        // ---- invtrig ----
        // x is NumPy's x1 (the ordinate): underflow where a finite nonzero x over a finite y gives
        // a result below the smallest normal number (NumPy, float64); nothing else.
        "arctan2" => {
            u8::from(x != 0.0 && x.is_finite() && y.is_finite() && r.abs() < f64::MIN_POSITIVE)
                * fpstatus::UNDERFLOW
        }
        // ---- end invtrig ----
        // ---- powers ----
        // As NumPy (glibc): overflow for finite inputs with an infinite result; underflow when two
        // nonzero inputs give a subnormal result, exact or not.
        "hypot" => {
            (u8::from(x.is_finite() && y.is_finite() && r.is_infinite()) * fpstatus::OVERFLOW)
                | (u8::from(r != 0.0 && r.abs() < f64::MIN_POSITIVE && x != 0.0 && y != 0.0)
                    * fpstatus::UNDERFLOW)
        }
        // C99 / glibc as NumPy reports them: invalid for a finite x < 0 with a finite non-integer y,
        // divide by zero for x = +-0 with y < 0 (y = -inf included), overflow and underflow (exact
        // tiny results included) for finite x != 0 and finite y.
        "power" => {
            let finite = x.is_finite() && y.is_finite();
            let int = y == y.trunc();
            (u8::from(finite && x < 0.0 && !int) * fpstatus::INVALID)
                | (u8::from(x == 0.0 && y < 0.0) * fpstatus::DIVIDE)
                | (u8::from(finite && x != 0.0 && r.is_infinite()) * fpstatus::OVERFLOW)
                | (u8::from(finite && x != 0.0 && r.abs() < f64::MIN_POSITIVE)
                    * fpstatus::UNDERFLOW)
        }
        // ---- end powers ----
        // ---- arith ----
        "add" | "subtract" | "multiply" | "divide" => return None,
        "maximum" | "minimum" => 0,
        // ---- end arith ----
        other => panic!("no status rule for {other}"),
    })
}

#[test]
fn binary_status_matches_the_exact_result() {
    for (f, cr, _) in binary() {
        let (a, b) = pairs64(f.name);
        let mut out = [0.0];
        for (&x, &y) in a.iter().zip(&b).take(60_000) {
            let st = f.apply2_f64(&[x], &[y], &mut out);
            let r = cr(x, y);
            let want = status_rule2(f.name, x, y, r).unwrap_or_else(|| {
                hardware(|| cr(std::hint::black_box(x), std::hint::black_box(y)))
            });
            if r.abs() == f64::MIN_POSITIVE {
                continue;
            }
            assert_eq!(st, want, "{}({x:e}, {y:e}) status", f.name);
        }
    }
}

//! Every function in the registry, at every instruction-set level this CPU has, against CORE-MATH's
//! correctly rounded results: at most the registry's ULP bound, NaN where the reference is NaN, and
//! signed zeros and infinities exactly. The exhaustive float32 sweep is `#[ignore]`d (run it with
//! `make sweep`).

use parmath_core::{fpstatus, Dtype, Function, Isa, FUNCTIONS};

/// Correctly rounded references, by registry name. A function missing here fails `coverage`.
/// (correctly rounded float64, correctly rounded float32).
type References = (fn(f64) -> f64, fn(f32) -> f32);

fn reference(name: &str) -> Option<References> {
    Some(match name {
        "exp" => (core_math::exp, core_math::expf),
        "log" => (core_math::log, core_math::logf),
        _ => return None,
    })
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
fn compare<T: F>(
    what: &str,
    xs: &[T],
    got: &[T],
    want: impl Fn(T) -> T,
    error: impl Fn(T, T, T) -> f64,
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
    move |x, y, _| {
        let exact = wide(f64::from(x));
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
    for f in FUNCTIONS {
        let (cr, _) = reference(f.name).unwrap();
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
    for f in FUNCTIONS {
        let (wide, cr) = reference(f.name).unwrap();
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
    for f in FUNCTIONS {
        let (wide, cr) = reference(f.name).unwrap();
        for isa in supported_isas() {
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

#[test]
fn status_matches_the_exact_result() {
    // Overflow exactly when a finite input gives an infinite result; underflow when the correctly
    // rounded result is below the smallest normal; for log, divide by zero at 0 and invalid below 0.
    for f in FUNCTIONS {
        let (cr, _) = reference(f.name).unwrap();
        let xs = inputs64(f.name);
        let mut out = vec![0.0; xs.len()];
        for (i, &x) in xs.iter().enumerate() {
            let st = f.apply_f64(&xs[i..=i], &mut out[i..=i]);
            let r = cr(x);
            let finite_in = x.is_finite();
            let want = match f.name {
                "exp" => {
                    (u8::from(finite_in && r.is_infinite()) * fpstatus::OVERFLOW)
                        | (u8::from(finite_in && r < f64::MIN_POSITIVE) * fpstatus::UNDERFLOW)
                }
                "log" => {
                    (u8::from(x == 0.0) * fpstatus::DIVIDE)
                        | (u8::from(x < 0.0) * fpstatus::INVALID)
                }
                other => panic!("no status rule for {other}"),
            };
            // At exactly the underflow threshold the rounded result is the smallest normal.
            if r == f64::MIN_POSITIVE {
                continue;
            }
            assert_eq!(st, want, "{}({x:e}) status", f.name);
        }
    }
}

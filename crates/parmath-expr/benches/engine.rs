//! The engine without Python: the formulas over 1M float64 per input (through the pool),
//! and on one cache-resident block (compute cost per element). `cargo bench -p parmath-expr`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use parmath_expr::{compile, ArrayRef, DType, Input, Program, BLOCK};
use std::hint::black_box;

const FORMULAS: [&str; 5] = [
    "2*a + 3*b",
    "sin(a)**2 + cos(b)**2",
    "(a - b) / (a + b + 1)",
    "tanh(a) * where(b > 0.5, a, b)",
    "exp(-a**2 / 2) * sin(b) + 1",
];

fn run(p: &Program, a: &[f64], b: &[f64], y: &mut [f64]) -> u8 {
    let arr = |x: &[f64]| {
        Some(ArrayRef {
            ptr: x.as_ptr().cast_mut().cast(),
            dtype: DType::F64,
            strides: vec![8],
        })
    };
    let out = ArrayRef {
        ptr: y.as_mut_ptr().cast(),
        dtype: DType::F64,
        strides: vec![8],
    };
    // SAFETY: three distinct vectors of equal length.
    unsafe { p.run(&[y.len()], &[arr(a), arr(b)], &[], &out) }.unwrap()
}

fn formulas(c: &mut Criterion) {
    let names = vec!["a".to_string(), "b".to_string()];
    for (label, n) in [("block", BLOCK), ("1M", 1 << 20)] {
        let a: Vec<f64> = (0..n)
            .map(|i| ((i as f64) * 0.618_034).fract() * 2.0 - 1.0)
            .collect();
        let b: Vec<f64> = (0..n).map(|i| ((i as f64) * 0.754_878).fract()).collect();
        let mut y = vec![0.0; n];
        let mut group = c.benchmark_group(format!("evaluate_{label}"));
        group.throughput(Throughput::Elements(n as u64));
        for f in FORMULAS {
            let p = compile(f, &names, &[Input::Array(DType::F64); 2], None).unwrap();
            group.bench_function(f, |bench| {
                bench.iter(|| run(&p, black_box(&a), black_box(&b), &mut y))
            });
        }
        group.finish();
    }
}

/// The register length `BLOCK` is tuned with: the same formulas at 1M with other lengths.
fn block_sizes(c: &mut Criterion) {
    let names = vec!["a".to_string(), "b".to_string()];
    let n = 1 << 20;
    let a: Vec<f64> = (0..n)
        .map(|i| ((i as f64) * 0.618_034).fract() * 2.0 - 1.0)
        .collect();
    let b: Vec<f64> = (0..n).map(|i| ((i as f64) * 0.754_878).fract()).collect();
    let mut y = vec![0.0; n];
    let mut group = c.benchmark_group("block_size");
    group.throughput(Throughput::Elements(n as u64));
    for f in ["2*a + 3*b", "exp(-a**2 / 2) * sin(b) + 1"] {
        for block in [512, 1024, 2048, 4096, 8192, 16384] {
            let p = compile(f, &names, &[Input::Array(DType::F64); 2], None)
                .unwrap()
                .with_block(block);
            group.bench_function(format!("{f}/{block}"), |bench| {
                bench.iter(|| run(&p, black_box(&a), black_box(&b), &mut y))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, formulas, block_sizes);
criterion_main!(benches);

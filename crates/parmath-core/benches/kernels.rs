//! Kernel throughput: each function, type and ISA level on a cache-resident block (compute cost,
//! one thread), and on 10M elements through the pool beside a parallel copy (the memory floor).
//! Run with `make bench-rust`; CI only compiles this.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use parmath_core::{pool, Dtype, Isa, FUNCTIONS};
use std::hint::black_box;

const BLOCK: usize = 4096;
const BIG: usize = 10_000_000;

fn input(n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| 0.5 + (i as f64 * 0.618_033_988_749_895) % 1.0)
        .collect()
}

fn run_loop<T>(f: parmath_core::UnaryLoop, src: &[T], dst: &mut [T]) -> u8 {
    let size = std::mem::size_of::<T>() as isize;
    // SAFETY: two distinct slices of equal length; the loop is for a supported level. Called
    // directly: one thread.
    unsafe {
        f(
            src.as_ptr().cast(),
            size,
            dst.as_mut_ptr().cast(),
            size,
            src.len(),
        )
    }
}

fn cache_resident(c: &mut Criterion) {
    let x64 = input(BLOCK);
    let x32: Vec<f32> = x64.iter().map(|&v| v as f32).collect();
    let mut group = c.benchmark_group("block4096");
    group.throughput(Throughput::Elements(BLOCK as u64));
    for f in FUNCTIONS.iter().filter(|f| f.arity() == 1) {
        for isa in Isa::ALL.into_iter().filter(|i| i.supported()) {
            let l64 = f.unary_loop(Dtype::F64, isa).unwrap();
            let l32 = f.unary_loop(Dtype::F32, isa).unwrap();
            let mut y64 = vec![0.0; BLOCK];
            let mut y32 = vec![0.0f32; BLOCK];
            group.bench_function(
                BenchmarkId::new(format!("{}/f64", f.name), isa.name()),
                |b| b.iter(|| run_loop(l64, black_box(&x64), &mut y64)),
            );
            group.bench_function(
                BenchmarkId::new(format!("{}/f32", f.name), isa.name()),
                |b| b.iter(|| run_loop(l32, black_box(&x32), &mut y32)),
            );
        }
    }
    group.finish();
}

fn run_loop2<T>(f: parmath_core::BinaryLoop, a: &[T], b: &[T], dst: &mut [T]) -> u8 {
    let size = std::mem::size_of::<T>() as isize;
    // SAFETY: three distinct slices of equal length; the loop is for a supported level. Called
    // directly: one thread.
    unsafe {
        f(
            a.as_ptr().cast(),
            size,
            b.as_ptr().cast(),
            size,
            dst.as_mut_ptr().cast(),
            size,
            a.len(),
        )
    }
}

/// Binary kernels on 4096 cache-resident pairs: x in [0.5, 1.5) as for the unary group, y in
/// [-8, 8) (every pair in `power`'s fast range).
fn cache_resident_binary(c: &mut Criterion) {
    let a64 = input(BLOCK);
    let b64: Vec<f64> = (0..BLOCK)
        .map(|i| -8.0 + 16.0 * ((i as f64 * 0.754_877_666_246_692_7) % 1.0))
        .collect();
    let a32: Vec<f32> = a64.iter().map(|&v| v as f32).collect();
    let b32: Vec<f32> = b64.iter().map(|&v| v as f32).collect();
    let mut group = c.benchmark_group("block4096_binary");
    group.throughput(Throughput::Elements(BLOCK as u64));
    for f in FUNCTIONS.iter().filter(|f| f.arity() == 2) {
        for isa in Isa::ALL.into_iter().filter(|i| i.supported()) {
            let l64 = f.binary_loop(Dtype::F64, isa).unwrap();
            let l32 = f.binary_loop(Dtype::F32, isa).unwrap();
            let mut y64 = vec![0.0; BLOCK];
            let mut y32 = vec![0.0f32; BLOCK];
            group.bench_function(
                BenchmarkId::new(format!("{}/f64", f.name), isa.name()),
                |b| b.iter(|| run_loop2(l64, black_box(&a64), black_box(&b64), &mut y64)),
            );
            group.bench_function(
                BenchmarkId::new(format!("{}/f32", f.name), isa.name()),
                |b| b.iter(|| run_loop2(l32, black_box(&a32), black_box(&b32), &mut y32)),
            );
        }
    }
    group.finish();
}

fn large_parallel(c: &mut Criterion) {
    let x = input(BIG);
    let mut y = vec![0.0; BIG];
    let mut group = c.benchmark_group("10M_f64_pool");
    group.sample_size(20);
    group.throughput(Throughput::Bytes((BIG * 16) as u64));
    let threads = pool::num_threads();
    group.bench_function("parallel copy (floor)", |b| {
        let src = x.as_ptr() as usize;
        let dst = y.as_mut_ptr() as usize;
        b.iter(|| {
            pool::for_each_block(BIG, threads, |s, e| {
                // SAFETY: disjoint blocks of two distinct buffers of BIG elements.
                unsafe {
                    std::ptr::copy_nonoverlapping(
                        (src as *const f64).add(s),
                        (dst as *mut f64).add(s),
                        e - s,
                    )
                };
                0
            })
        })
    });
    for f in FUNCTIONS.iter().filter(|f| f.arity() == 1) {
        group.bench_function(f.name, |b| b.iter(|| f.apply_f64(black_box(&x), &mut y)));
    }
    group.finish();
}

criterion_group!(
    benches,
    cache_resident,
    cache_resident_binary,
    large_parallel
);
criterion_main!(benches);

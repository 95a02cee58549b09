//! The thread pool and the thread-count policy.
//!
//! One rayon pool per process, built on first parallel use and rebuilt when the process id changes: a
//! child made by `fork` inherits the pool's bookkeeping but none of its threads, and would wait on them
//! forever. Work is split into blocks handed out through an atomic counter, so at most the requested
//! number of threads (the caller included) ever work on one call, and a slow core does not hold up the
//! rest.

use std::cell::Cell;
use std::sync::atomic::{AtomicU32, AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, TryLockError};

/// Below this many elements a call of float64 `exp` (cost 1, [`threads_for_cost`]) stays on the
/// calling thread: waking a worker costs microseconds. Two threads against one for float64 `exp`
/// (2-core development machine, 2026-11-28, batches of 2 ms alternating): 0.65x at 16K elements,
/// 0.89x to 1.19x at 32K, 1.16x to 1.35x at 64K, 1.8x from 128K up.
pub const DEFAULT_PAR_MIN_ELEMENTS: usize = 1 << 16;

/// Each thread gets at least this many elements of a parallel call (half the threshold).
pub const fn min_elements_per_thread(threshold: usize) -> usize {
    threshold / 2
}

static PAR_MIN_ELEMENTS: AtomicUsize = AtomicUsize::new(DEFAULT_PAR_MIN_ELEMENTS);

/// The current parallel threshold (elements).
pub fn parallel_threshold() -> usize {
    PAR_MIN_ELEMENTS.load(Ordering::Relaxed)
}

/// Changes the parallel threshold (for measuring it: `parmath bench --suite threshold`).
pub fn set_parallel_threshold(n: usize) {
    PAR_MIN_ELEMENTS.store(n.max(1), Ordering::Relaxed);
}

/// Blocks handed to threads are multiples of this many elements (a few pages, so that threads do not
/// share cache lines or huge-page faults at block edges).
pub const BLOCK_QUANTUM: usize = 4096;

/// The most threads one may ask for: far above any core count, far below what would exhaust memory.
pub const MAX_THREADS: usize = 1024;

static GLOBAL_THREADS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static LOCAL_THREADS: Cell<usize> = const { Cell::new(0) };
}

/// The number of CPUs this process may run on (affinity and cgroup limits included).
pub fn available_cpus() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The default thread count: `PARMATH_NUM_THREADS` when it is an integer from 1 to [`MAX_THREADS`],
/// else `OMP_NUM_THREADS` when its first number is (OpenMP reads a list, one count per nesting
/// level), else every CPU this process may run on.
///
/// `OMP_NUM_THREADS` is honoured, as numexpr does, because it is how schedulers that already run
/// one task per core tell libraries not to start threads of their own: `dask.distributed`'s nanny
/// sets it to 1 in every worker process it starts (`distributed.nanny.pre-spawn-environ`), as do
/// many batch systems. Without it, a worker per core each running parmath on every core would
/// start cores x cores threads.
///
/// Measured before choosing (`python scripts/dask_threads.py --repeat 9 --threads 1,2,8`, 2-core
/// development machine, Xeon with AVX-512, 2026-11-27): 1e8 float64 in Dask chunks of 1e7, the
/// result persisted and freed each run, ms, median of 9; "formula" is
/// `evaluate("exp(-a**2 / 2) * sin(b) + 1")`, NumPy's the same formula in `dask.array` ufuncs.
///
/// | setup                        | exp: numpy | parmath 1 / 2 / 8 | formula: numpy | parmath 1 / 2 / 8  |
/// |------------------------------|------------|-------------------|----------------|--------------------|
/// | threaded scheduler, 2 thr    | 223        | 273 / 318 / 324   | 2789           | 762 / 751 / 818    |
/// | LocalCluster 2 procs x 1 thr | 353        | 343 / 362 / 335   | 3725           | 1149 / 1140 / 1134 |
/// | LocalCluster 1 proc x 2 thr  | 212        | 285 / 219 / 237   | 2043           | 585 / 503 / 537    |
///
/// The machine is shared and these figures moved by 15-30% between five runs of the command; in
/// every run the thread count changed times by less than that (per process, 2 threads against 1:
/// 0.84x to 1.10x with one process per core, 0.77x to 1.04x with one process of two threads), also
/// with 8x as many threads as cores, and with chunks of 250,000. On two cores the measurements
/// cannot tell the candidates apart, so the default follows the convention and keeps the thread
/// count bounded where it would grow as cores x cores.
pub fn default_threads() -> usize {
    let var = |name| std::env::var(name).ok();
    parse_threads(var("PARMATH_NUM_THREADS").as_deref())
        .or_else(|| parse_omp_threads(var("OMP_NUM_THREADS").as_deref()))
        .unwrap_or_else(available_cpus)
}

/// Parses `OMP_NUM_THREADS`: its first comma-separated number, as [`parse_threads`] does; `None` for
/// anything else (the variable belongs to OpenMP, so a value parmath cannot use is ignored silently).
pub fn parse_omp_threads(s: Option<&str>) -> Option<usize> {
    parse_threads(s?.split(',').next())
}

/// Parses a thread count as `PARMATH_NUM_THREADS` gives it; `None` for anything but an integer from 1
/// to [`MAX_THREADS`].
pub fn parse_threads(s: Option<&str>) -> Option<usize> {
    s?.trim()
        .parse::<usize>()
        .ok()
        .filter(|&n| (1..=MAX_THREADS).contains(&n))
}

/// The process-wide thread count.
pub fn global_threads() -> usize {
    match GLOBAL_THREADS.load(Ordering::Relaxed) {
        0 => {
            let n = default_threads();
            // Another thread may have set it meanwhile; keep whichever came first.
            match GLOBAL_THREADS.compare_exchange(0, n, Ordering::Relaxed, Ordering::Relaxed) {
                Ok(_) => n,
                Err(current) => current,
            }
        }
        n => n,
    }
}

/// Sets the process-wide thread count (clamped to 1..=[`MAX_THREADS`]).
pub fn set_global_threads(n: usize) {
    GLOBAL_THREADS.store(n.clamp(1, MAX_THREADS), Ordering::Relaxed);
}

/// Sets a thread count for calls made from the calling thread only (0 removes it; clamped to
/// [`MAX_THREADS`]); returns the old one.
pub fn set_local_threads(n: usize) -> usize {
    LOCAL_THREADS.with(|c| c.replace(n.min(MAX_THREADS)))
}

/// The thread count that applies to calls made from the calling thread.
pub fn num_threads() -> usize {
    match LOCAL_THREADS.with(Cell::get) {
        0 => global_threads(),
        n => n,
    }
}

/// How many threads a call over `n` elements of `cost` uses: `cost` is the work per element relative
/// to float64 `exp` ([`crate::Function::cost`]), so the call is split from
/// [`parallel_threshold`]` / cost` elements on. Splitting costs a fixed few microseconds (waking
/// a worker, moving its half of the data to its core), which the cheapest loops (`add` on float32:
/// cost 1/4) earn back only from 256K elements and `erf` (cost 4) from 16K.
pub fn threads_for_cost(n: usize, cost: f32) -> usize {
    let threshold = ((parallel_threshold() as f64 / f64::from(cost)) as usize).max(1);
    if n < threshold {
        return 1;
    }
    num_threads()
        .min(n / min_elements_per_thread(threshold).max(1))
        .max(1)
}

struct Pool {
    pid: u32,
    workers: usize,
    pool: Arc<rayon::ThreadPool>,
}

static POOL: Mutex<Option<Pool>> = Mutex::new(None);

/// The process whose pool (or attempt at one) is behind `POOL`'s lock.
static POOL_PID: AtomicU32 = AtomicU32::new(0);

/// The process that found the pool's lock held for good: a child forked while another thread held it
/// (that thread does not exist in the child). Such a process runs every call on its calling thread.
static LOCK_LOST_IN: AtomicU32 = AtomicU32::new(0);

/// How many times a call tries for the pool's lock (yielding in between) before running serially.
const LOCK_TRIES: usize = 10_000;

/// The pool's lock, unless it stays held: it is only ever held for a moment (or while a pool starts
/// its threads), so a lock that stays held was taken by a thread lost in a `fork`.
fn lock_pool(pid: u32) -> Option<MutexGuard<'static, Option<Pool>>> {
    if LOCK_LOST_IN.load(Ordering::Relaxed) == pid {
        return None;
    }
    for _ in 0..LOCK_TRIES {
        match POOL.try_lock() {
            Ok(guard) => return Some(guard),
            Err(TryLockError::Poisoned(e)) => return Some(e.into_inner()),
            Err(TryLockError::WouldBlock) => std::thread::yield_now(),
        }
    }
    // Held by this process: a slow pool start; this call runs serially. Held by the parent: for good.
    let owner = POOL_PID.load(Ordering::Relaxed);
    if owner != 0 && owner != pid {
        LOCK_LOST_IN.store(pid, Ordering::Relaxed);
    }
    None
}

/// A pool with at least `workers` threads, owned by this process; `None` if threads cannot be started.
fn pool(workers: usize) -> Option<Arc<rayon::ThreadPool>> {
    let pid = std::process::id();
    let mut slot = lock_pool(pid)?;
    POOL_PID.store(pid, Ordering::Relaxed);
    if let Some(p) = slot.as_ref() {
        if p.pid == pid && p.workers >= workers {
            return Some(Arc::clone(&p.pool));
        }
    }
    if let Some(old) = slot.take() {
        if old.pid != pid {
            // Inherited through fork: its threads do not exist here, so dropping it could wait forever.
            std::mem::forget(old);
        }
    }
    let built = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .thread_name(|i| format!("parmath-{i}"))
        .build()
        .ok()?;
    let built = Arc::new(built);
    *slot = Some(Pool {
        pid,
        workers,
        pool: Arc::clone(&built),
    });
    Some(built)
}

/// Runs `work(start, end)` over `0..n` in blocks on up to `threads` threads, the caller included, and
/// returns the OR of what the calls returned. With one thread (or when no pool can be had) everything
/// runs on the caller.
pub fn for_each_block<F>(n: usize, threads: usize, work: F) -> u8
where
    F: Fn(usize, usize) -> u8 + Sync,
{
    let threads = threads.min(n.div_ceil(BLOCK_QUANTUM)).max(1);
    if threads == 1 {
        return work(0, n);
    }
    let Some(pool) = pool(threads - 1) else {
        return work(0, n);
    };
    // About four blocks per thread: enough to even out a busy core, few enough that counting is free.
    let block = n.div_ceil(threads * 4).next_multiple_of(BLOCK_QUANTUM);
    let blocks = n.div_ceil(block);
    let next = AtomicUsize::new(0);
    let status = AtomicU8::new(0);
    let run = || {
        let mut acc = 0;
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= blocks {
                break;
            }
            let start = i * block;
            acc |= work(start, (start + block).min(n));
        }
        status.fetch_or(acc, Ordering::Relaxed);
    };
    pool.in_place_scope(|scope| {
        for _ in 1..threads.min(blocks) {
            scope.spawn(|_| run());
        }
        run();
    });
    status.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU64;

    #[test]
    fn parse() {
        assert_eq!(parse_threads(Some("4")), Some(4));
        assert_eq!(parse_threads(Some(" 2 ")), Some(2));
        assert_eq!(parse_threads(Some("0")), None);
        assert_eq!(parse_threads(Some("-1")), None);
        assert_eq!(parse_threads(Some("many")), None);
        assert_eq!(parse_threads(Some("1024")), Some(MAX_THREADS));
        assert_eq!(parse_threads(Some("1025")), None);
        assert_eq!(parse_threads(None), None);
    }

    #[test]
    fn split_point_scales_with_cost() {
        let old = set_local_threads(4);
        let t = DEFAULT_PAR_MIN_ELEMENTS;
        assert_eq!(parallel_threshold(), t);
        assert_eq!(threads_for_cost(t - 1, 1.0), 1);
        assert_eq!(threads_for_cost(t, 1.0), 2);
        assert_eq!(threads_for_cost(2 * t, 1.0), 4);
        // Cheap work splits later, heavy work earlier, each thread keeping half its threshold.
        assert_eq!(threads_for_cost(4 * t - 1, 0.25), 1);
        assert_eq!(threads_for_cost(4 * t, 0.25), 2);
        assert_eq!(threads_for_cost(t / 4 - 1, 4.0), 1);
        assert_eq!(threads_for_cost(t / 4, 4.0), 2);
        assert_eq!(threads_for_cost(t, 4.0), 4);
        set_local_threads(old);
    }

    #[test]
    fn parse_omp() {
        assert_eq!(parse_omp_threads(Some("1")), Some(1));
        assert_eq!(parse_omp_threads(Some(" 3 ")), Some(3));
        assert_eq!(parse_omp_threads(Some("4,2,1")), Some(4));
        assert_eq!(parse_omp_threads(Some("")), None);
        assert_eq!(parse_omp_threads(Some(",2")), None);
        assert_eq!(parse_omp_threads(Some("0")), None);
        assert_eq!(parse_omp_threads(Some("auto")), None);
        assert_eq!(parse_omp_threads(Some("2000")), None);
        assert_eq!(parse_omp_threads(None), None);
    }

    #[test]
    fn blocks_cover_every_index_once() {
        for &(n, threads) in &[
            (0, 4),
            (1, 4),
            (4095, 3),
            (4097, 3),
            (1_000_003, 4),
            (1 << 20, 2),
        ] {
            let sum = AtomicU64::new(0);
            let count = AtomicU64::new(0);
            let status = for_each_block(n, threads, |a, b| {
                assert!(a < b || n == 0);
                sum.fetch_add((a..b).map(|i| i as u64).sum(), Ordering::Relaxed);
                count.fetch_add((b - a) as u64, Ordering::Relaxed);
                if a == 0 {
                    1
                } else {
                    4
                }
            });
            let n64 = n as u64;
            assert_eq!(count.into_inner(), n64);
            assert_eq!(sum.into_inner(), n64 * n64.saturating_sub(1) / 2);
            assert_eq!(status & 1, 1);
        }
    }

    #[test]
    fn local_override_is_per_thread() {
        let old = set_local_threads(3);
        assert_eq!(num_threads(), 3);
        std::thread::spawn(|| assert_eq!(num_threads(), global_threads()))
            .join()
            .unwrap();
        set_local_threads(old);
    }

    #[test]
    fn a_lock_held_for_good_falls_back_to_serial() {
        // As in a child forked while another thread held the lock: the call must finish, serially.
        let held = POOL.lock().unwrap();
        let owner = POOL_PID.swap(u32::MAX, Ordering::Relaxed); // the lock "belongs to the parent"
        let seen = std::thread::spawn(|| {
            let threads = std::sync::Mutex::new(std::collections::HashSet::new());
            let status = for_each_block(1 << 20, 4, |_, _| {
                threads.lock().unwrap().insert(std::thread::current().id());
                2
            });
            (status, threads.into_inner().unwrap().len())
        })
        .join()
        .unwrap();
        assert_eq!(LOCK_LOST_IN.swap(0, Ordering::Relaxed), std::process::id());
        POOL_PID.store(owner, Ordering::Relaxed);
        drop(held);
        assert_eq!(seen, (2, 1));
    }

    #[test]
    fn small_calls_stay_serial() {
        assert_eq!(threads_for_cost(10, 1.0), 1);
        assert_eq!(threads_for_cost(DEFAULT_PAR_MIN_ELEMENTS - 1, 1.0), 1);
    }
}

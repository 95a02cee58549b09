//! `parmath._core`: the registry's functions as genuine NumPy ufuncs, plus thread and CPU controls.
//!
//! The only crate that knows Python. Each ufunc gets one float32 and one float64 loop; NumPy's type
//! resolution, broadcasting, `out=`, `where=`, casting and `__array_ufunc__` dispatch then work as for
//! its own ufuncs. The loop picks the instruction-set level once, at import.

use numpy::npyffi::{npy_intp, NPY_TYPES, PY_UFUNC_API};
use parmath_core::{
    fpstatus, isa, pool, run_binary, run_binary_f16, run_unary, run_unary_f16, BinaryLoop, Dtype,
    Function, Kernel, UnaryLoop, FUNCTIONS,
};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use std::ffi::{c_char, c_int, c_void, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

mod expr;

/// The signature NumPy calls inner loops with.
type InnerLoop = unsafe extern "C" fn(*mut *mut c_char, *mut npy_intp, *mut npy_intp, *mut c_void);

/// A core loop and its cost per element ([`Function::cost`]): what a ufunc's `data` points to, one
/// per loop, made once in `make_ufunc` and never freed.
struct LoopData<L> {
    f: L,
    cost: f32,
}

/// The body of the inner loops NumPy calls for a unary ufunc: `data` is the core's loop for this
/// type and CPU with its cost, and `run` drives it (directly, or through float16 conversion).
///
/// Runs without the GIL. The kernel may run partly on pool threads and raise spurious hardware flags,
/// so the caller's flags are saved and put back, and then exactly the conditions the kernel reported are
/// raised for NumPy to check. Nothing here may unwind into C.
///
/// # Safety
/// The arguments NumPy passes to a one-input, one-output loop whose `data` came from `make_ufunc`.
#[inline(always)]
unsafe fn drive(
    args: *mut *mut c_char,
    dimensions: *mut npy_intp,
    steps: *mut npy_intp,
    data: *mut c_void,
    run: unsafe fn(UnaryLoop, f32, *const u8, isize, *mut u8, isize, usize) -> u8,
) {
    // SAFETY: NumPy passes arrays of nin + nout = 2 pointers and steps, and one dimension.
    let (n, src, dst, src_step, dst_step) =
        unsafe { (*dimensions, *args, *args.add(1), *steps, *steps.add(1)) };
    if n <= 0 {
        return;
    }
    // SAFETY: `data` is a `LoopData<UnaryLoop>` from `make_ufunc`, never changed or freed.
    let &LoopData { f, cost } = unsafe { &*data.cast::<LoopData<UnaryLoop>>() };
    let saved = fpstatus::save();
    let status = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: NumPy hands us n elements per operand at these steps, identical or non-overlapping.
        unsafe {
            run(
                f,
                cost,
                src.cast(),
                src_step,
                dst.cast(),
                dst_step,
                n as usize,
            )
        }
    }))
    .unwrap_or(fpstatus::INVALID);
    fpstatus::restore_and_raise(saved, status);
}

/// The float32 and float64 inner loop.
unsafe extern "C" fn unary_inner_loop(
    args: *mut *mut c_char,
    dimensions: *mut npy_intp,
    steps: *mut npy_intp,
    data: *mut c_void,
) {
    // SAFETY: NumPy's call, forwarded.
    unsafe { drive(args, dimensions, steps, data, run_unary) }
}

/// The float16 inner loop: the float32 kernel on converted blocks.
unsafe extern "C" fn half_inner_loop(
    args: *mut *mut c_char,
    dimensions: *mut npy_intp,
    steps: *mut npy_intp,
    data: *mut c_void,
) {
    // SAFETY: NumPy's call, forwarded.
    unsafe { drive(args, dimensions, steps, data, run_unary_f16) }
}

/// `run_binary`'s signature: the driver of a binary loop.
type RunBinary = unsafe fn(
    BinaryLoop,
    f32,
    usize,
    *const u8,
    isize,
    *const u8,
    isize,
    *mut u8,
    isize,
    usize,
) -> u8;

/// As [`drive`], for a two-input loop: `data` is the core's binary loop with its cost, `run` drives
/// it.
///
/// # Safety
/// The arguments NumPy passes to a two-input, one-output loop whose `data` came from `make_ufunc`.
#[inline(always)]
unsafe fn drive2(
    args: *mut *mut c_char,
    dimensions: *mut npy_intp,
    steps: *mut npy_intp,
    data: *mut c_void,
    run: RunBinary,
    elem_size: usize,
) {
    // SAFETY: NumPy passes arrays of nin + nout = 3 pointers and steps, and one dimension.
    let (n, a, b, dst) = unsafe { (*dimensions, *args, *args.add(1), *args.add(2)) };
    // SAFETY: as above.
    let (sa, sb, sd) = unsafe { (*steps, *steps.add(1), *steps.add(2)) };
    if n <= 0 {
        return;
    }
    // SAFETY: `data` is a `LoopData<BinaryLoop>` from `make_ufunc`, never changed or freed.
    let &LoopData { f, cost } = unsafe { &*data.cast::<LoopData<BinaryLoop>>() };
    let saved = fpstatus::save();
    let (a, b, dst) = (a.cast::<u8>(), b.cast::<u8>(), dst.cast::<u8>());
    let status = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: NumPy hands us n elements per operand at these steps.
        unsafe { run(f, cost, elem_size, a, sa, b, sb, dst, sd, n as usize) }
    }))
    .unwrap_or(fpstatus::INVALID);
    fpstatus::restore_and_raise(saved, status);
}

/// `run_binary_f16` with the signature of `run_binary` (the element size is implied).
unsafe fn run_half2(
    f: BinaryLoop,
    cost: f32,
    _elem_size: usize,
    a: *const u8,
    sa: isize,
    b: *const u8,
    sb: isize,
    dst: *mut u8,
    sd: isize,
    n: usize,
) -> u8 {
    // SAFETY: forwarded.
    unsafe { run_binary_f16(f, cost, a, sa, b, sb, dst, sd, n) }
}

/// The float32 binary inner loop.
unsafe extern "C" fn binary_inner_loop_f32(
    args: *mut *mut c_char,
    dimensions: *mut npy_intp,
    steps: *mut npy_intp,
    data: *mut c_void,
) {
    // SAFETY: NumPy's call, forwarded.
    unsafe { drive2(args, dimensions, steps, data, run_binary, 4) }
}

/// The float64 binary inner loop.
unsafe extern "C" fn binary_inner_loop_f64(
    args: *mut *mut c_char,
    dimensions: *mut npy_intp,
    steps: *mut npy_intp,
    data: *mut c_void,
) {
    // SAFETY: NumPy's call, forwarded.
    unsafe { drive2(args, dimensions, steps, data, run_binary, 8) }
}

/// The float16 binary inner loop: the float32 kernel on converted blocks.
unsafe extern "C" fn binary_inner_loop_f16(
    args: *mut *mut c_char,
    dimensions: *mut npy_intp,
    steps: *mut npy_intp,
    data: *mut c_void,
) {
    // SAFETY: NumPy's call, forwarded.
    unsafe { drive2(args, dimensions, steps, data, run_half2, 2) }
}

/// The ufunc's docstring (NumPy prepends the call signature).
fn docstring(f: &Function) -> String {
    let ulp = |d: Dtype| f.ulp(d);
    let (params, args) = if f.arity() == 1 {
        (
            "x : array_like\n    Input values; integers and booleans are converted as by ``numpy.NAME``\n    \
             (float16 is computed in float32 and rounded, as NumPy does).\n"
                .replace("NAME", f.name),
            "`x`".to_string(),
        )
    } else {
        (
            "x1, x2 : array_like\n    Input values, broadcast together; integers and booleans are \
             converted\n    as by ``numpy.NAME`` (float16 is computed in float32 and rounded).\n"
                .replace("NAME", f.name),
            "`x1` and `x2`".to_string(),
        )
    };
    let call: Vec<String> = f
        .example
        .0
        .iter()
        .map(|l| format!("np.array({l})"))
        .collect();
    format!(
        "{summary}\n\n\
         A NumPy ufunc: SIMD kernels ({isa} here) over all cores, with the GIL released.\n\
         Maximum error: {u64} ULP in float64, {u32} ULP in float32. {domain}\n\n\
         Parameters\n----------\n\
         {params}\
         out, where, casting, order, dtype, subok\n    As for any NumPy ufunc.\n\n\
         Returns\n-------\n\
         y : ndarray or scalar\n    ``{name}`` of each element of {args}.\n\n\
         Examples\n--------\n\
         >>> import numpy as np, parmath\n\
         >>> parmath.{name}({call})\n\
         {output}\n",
        summary = f.summary,
        isa = isa::active().name(),
        u64 = ulp(Dtype::F64),
        u32 = ulp(Dtype::F32),
        domain = f.domain,
        name = f.name,
        call = call.join(", "),
        output = f.example.1,
    )
}

/// Builds one ufunc. Everything NumPy keeps a pointer to is leaked: ufuncs live as long as the process.
fn make_ufunc<'py>(py: Python<'py>, f: &'static Function) -> PyResult<Bound<'py, PyAny>> {
    let level = isa::active();
    // NumPy picks the first loop an input casts to safely, so the narrowest comes first: float16
    // (computed in float32, as NumPy's own float16 loops are), then float32, then float64.
    let types = [
        NPY_TYPES::NPY_HALF,
        NPY_TYPES::NPY_FLOAT,
        NPY_TYPES::NPY_DOUBLE,
    ];
    let (loops, identity): ([(InnerLoop, *mut c_void); 3], c_int) = match f.kernel {
        Kernel::Unary { .. } => {
            let kernel = |d: Dtype| {
                let f = LoopData {
                    f: f.unary_loop(d, level).expect("unary"),
                    cost: f.cost(d),
                };
                Box::into_raw(Box::new(f)).cast::<c_void>()
            };
            (
                [
                    (half_inner_loop, kernel(Dtype::F32)),
                    (unary_inner_loop, kernel(Dtype::F32)),
                    (unary_inner_loop, kernel(Dtype::F64)),
                ],
                -1, // PyUFunc_None
            )
        }
        Kernel::Binary { identity, .. } => {
            let kernel = |d: Dtype| {
                let f = LoopData {
                    f: f.binary_loop(d, level).expect("binary"),
                    cost: f.cost(d),
                };
                Box::into_raw(Box::new(f)).cast::<c_void>()
            };
            (
                [
                    (binary_inner_loop_f16, kernel(Dtype::F32)),
                    (binary_inner_loop_f32, kernel(Dtype::F32)),
                    (binary_inner_loop_f64, kernel(Dtype::F64)),
                ],
                identity.numpy_code(),
            )
        }
    };
    let nin = f.arity();
    let funcs: &mut [numpy::npyffi::PyUFuncGenericFunction] =
        Box::leak(loops.iter().map(|&(l, _)| Some(l)).collect());
    let data: &mut [*mut c_void] = Box::leak(loops.iter().map(|&(_, d)| d).collect());
    let types: &mut [c_char] = Box::leak(
        types
            .iter()
            .flat_map(|&t| std::iter::repeat_n(t as c_char, nin + 1))
            .collect(),
    );
    let name = CString::new(f.name).expect("no NUL in names").into_raw();
    let doc = CString::new(docstring(f))
        .expect("no NUL in docs")
        .into_raw();
    // SAFETY: all pointers stay valid for the life of the process; counts match the arrays.
    let ptr = unsafe {
        PY_UFUNC_API.PyUFunc_FromFuncAndData(
            py,
            funcs.as_mut_ptr(),
            data.as_mut_ptr(),
            types.as_mut_ptr(),
            loops.len() as c_int,
            nin as c_int,
            1,
            identity,
            name,
            doc,
            0,
        )
    };
    // SAFETY: a new reference or NULL with an exception set.
    let ufunc = unsafe { Bound::from_owned_ptr_or_err(py, ptr)? };
    // Pickle finds a ufunc through `__module__` and its name; the public path keeps that cheap and stable.
    ufunc.setattr("__module__", "parmath")?;
    Ok(ufunc)
}

/// A thread count from Python: 1 to `pool::MAX_THREADS` (and 0 where `zero_ok`, meaning "unset").
fn thread_count(n: i64, zero_ok: bool) -> PyResult<usize> {
    let low = if zero_ok { 0 } else { 1 };
    if n < low || n > pool::MAX_THREADS as i64 {
        return Err(PyValueError::new_err(format!(
            "number of threads must be from 1 to {}, got {n}",
            pool::MAX_THREADS
        )));
    }
    Ok(n as usize)
}

/// Set the number of threads parmath uses (for every Python thread).
#[pyfunction]
fn set_num_threads(n: i64) -> PyResult<()> {
    pool::set_global_threads(thread_count(n, false)?);
    Ok(())
}

/// The number of threads parmath uses for calls from this Python thread.
#[pyfunction]
fn get_num_threads() -> usize {
    pool::num_threads()
}

/// Set a thread count for calls from this Python thread only (0 removes it); returns the previous one.
#[pyfunction]
fn _set_local_threads(n: i64) -> PyResult<usize> {
    Ok(pool::set_local_threads(thread_count(n, true)?))
}

/// How `PARMATH_NUM_THREADS` reads `s`: the thread count, or None if it is not a positive integer.
#[pyfunction]
fn parse_num_threads(s: &str) -> Option<usize> {
    pool::parse_threads(Some(s))
}

/// How `PARMATH_ISA` reads `s`: the level's name, or None if it names no level.
#[pyfunction]
fn parse_isa(s: &str) -> Option<&'static str> {
    isa::Isa::parse(s).map(isa::Isa::name)
}

/// The instruction-set level in use (`generic`, `avx2` or `avx512`).
#[pyfunction]
fn isa_active() -> &'static str {
    isa::active().name()
}

/// The best instruction-set level this CPU supports, ignoring `PARMATH_ISA`.
#[pyfunction]
fn isa_detected() -> &'static str {
    isa::detected().name()
}

/// The number of CPUs this process may run on.
#[pyfunction]
fn available_cpus() -> usize {
    pool::available_cpus()
}

/// The element count below which a call of float64 `exp` stays on the calling thread; a function of
/// cost c (its registry row) splits from this count / c.
#[pyfunction]
fn parallel_threshold() -> usize {
    pool::parallel_threshold()
}

/// Change the parallel threshold (for measuring it); returns the previous value.
#[pyfunction]
fn _set_parallel_threshold(n: i64) -> PyResult<usize> {
    if n < 1 {
        return Err(PyValueError::new_err(format!(
            "threshold must be at least 1, got {n}"
        )));
    }
    let previous = pool::parallel_threshold();
    pool::set_parallel_threshold(n as usize);
    Ok(previous)
}

/// The function registry: one dict per function (name, nin, nout, dtypes: the kernels' types,
/// loops: the ufunc's types, ulp: bound per type, cost: work per element per type relative to
/// float64 `exp`, summary, domain).
#[pyfunction]
fn registry(py: Python<'_>) -> PyResult<Bound<'_, PyList>> {
    let rows = PyList::empty(py);
    for f in FUNCTIONS {
        let row = PyDict::new(py);
        row.set_item("name", f.name)?;
        row.set_item("nin", f.arity())?;
        row.set_item("nout", 1)?;
        row.set_item("dtypes", Dtype::ALL.map(Dtype::name).to_vec())?;
        row.set_item("loops", ["float16", "float32", "float64"])?;
        let ulp = PyDict::new(py);
        // float16 goes through the float32 kernel: its bound plus one rounding is under 1 ULP.
        ulp.set_item("float16", f.ulp(Dtype::F32).max(1.0))?;
        for d in Dtype::ALL {
            ulp.set_item(d.name(), f.ulp(d))?;
        }
        row.set_item("ulp", ulp)?;
        let cost = PyDict::new(py);
        cost.set_item("float16", f.cost(Dtype::F32))?;
        for d in Dtype::ALL {
            cost.set_item(d.name(), f.cost(d))?;
        }
        row.set_item("cost", cost)?;
        row.set_item("summary", f.summary)?;
        row.set_item("domain", f.domain)?;
        rows.append(row)?;
    }
    Ok(rows)
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    for f in FUNCTIONS {
        m.add(f.name, make_ufunc(py, f)?)?;
    }
    m.add("__version__", parmath_core::VERSION)?;
    m.add_function(wrap_pyfunction!(set_num_threads, m)?)?;
    m.add_function(wrap_pyfunction!(get_num_threads, m)?)?;
    m.add_function(wrap_pyfunction!(_set_local_threads, m)?)?;
    m.add_function(wrap_pyfunction!(parse_num_threads, m)?)?;
    m.add_function(wrap_pyfunction!(parse_isa, m)?)?;
    m.add_function(wrap_pyfunction!(isa_active, m)?)?;
    m.add_function(wrap_pyfunction!(isa_detected, m)?)?;
    m.add_function(wrap_pyfunction!(available_cpus, m)?)?;
    m.add_function(wrap_pyfunction!(parallel_threshold, m)?)?;
    m.add_function(wrap_pyfunction!(_set_parallel_threshold, m)?)?;
    m.add_function(wrap_pyfunction!(registry, m)?)?;
    expr::register(m)?;
    // `from parmath._core import *` (the package does it) takes the ufuncs only.
    let names: Vec<&str> = FUNCTIONS.iter().map(|f| f.name).collect();
    m.setattr("__all__", names)?;
    Ok(())
}

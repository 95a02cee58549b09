//! `parmath.evaluate`'s engine, seen from Python: compile an expression for given input types, and
//! run the program over NumPy arrays with the GIL released. Type inference, broadcasting and error
//! reporting policy live in `python/parmath/_expr.py`; the engine in `parmath-expr`.

use numpy::npyffi::flags::NPY_ARRAY_WRITEABLE;
use numpy::{PyArrayDescrMethods, PyUntypedArray, PyUntypedArrayMethods};
use parmath_core::fpstatus;
use parmath_expr::{self as ex, ArrayRef, DType, ErrorKind, Input, Program, ScalarValue};
use pyo3::exceptions::{PyNameError, PyOverflowError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use std::panic::{catch_unwind, AssertUnwindSafe};

fn to_py(e: &ex::Error, text: &str) -> PyErr {
    let msg = e.render(text);
    match e.kind {
        ErrorKind::Syntax | ErrorKind::Value => PyValueError::new_err(msg),
        ErrorKind::Name => PyNameError::new_err(msg),
        ErrorKind::Type => PyTypeError::new_err(msg),
        ErrorKind::Overflow => PyOverflowError::new_err(msg),
    }
}

/// The variables `text` reads, in order of first appearance (raises on a syntax error).
#[pyfunction]
fn _expr_names(text: &str) -> PyResult<Vec<String>> {
    ex::parse(text)
        .map(|a| a.names())
        .map_err(|e| to_py(&e, text))
}

/// A compiled expression for given input types (made by `_expr_compile`).
#[pyclass(module = "parmath._core", name = "_Program", frozen)]
struct PyProgram {
    prog: Program,
    text: String,
}

/// Compiles `text` for inputs `names` of kinds `kinds` (a NumPy type name, or `"int"` / `"float"`
/// for a Python scalar); the result is cast to `out` when given.
#[pyfunction]
#[pyo3(signature = (text, names, kinds, out=None))]
fn _expr_compile(
    text: &str,
    names: Vec<String>,
    kinds: Vec<String>,
    out: Option<&str>,
) -> PyResult<PyProgram> {
    if names.len() != kinds.len() {
        return Err(PyValueError::new_err("one kind per name"));
    }
    let inputs = kinds
        .iter()
        .map(|k| match k.as_str() {
            "int" => Ok(Input::Int),
            "float" => Ok(Input::Float),
            d => DType::parse(d)
                .map(Input::Array)
                .ok_or_else(|| PyTypeError::new_err(format!("unsupported dtype {d}"))),
        })
        .collect::<PyResult<Vec<_>>>()?;
    let out = out
        .map(|d| {
            DType::parse(d).ok_or_else(|| PyTypeError::new_err(format!("unsupported dtype {d}")))
        })
        .transpose()?;
    let prog = ex::compile(text, &names, &inputs, out).map_err(|e| to_py(&e, text))?;
    Ok(PyProgram {
        prog,
        text: text.to_string(),
    })
}

/// The engine's type of an array's elements.
fn dtype_of(a: &Bound<'_, PyUntypedArray>) -> PyResult<DType> {
    let d = a.dtype();
    if d.is_native_byteorder() == Some(false) {
        return Err(PyValueError::new_err("arrays must be in native byte order"));
    }
    let name = match (d.kind(), d.itemsize()) {
        (b'b', 1) => "bool",
        (b'i', n) => ["int8", "int16", "", "int32", "", "", "", "int64"][n.clamp(1, 8) - 1],
        (b'u', n) => ["uint8", "uint16", "", "uint32", "", "", "", "uint64"][n.clamp(1, 8) - 1],
        (b'f', 2) => "float16",
        (b'f', 4) => "float32",
        (b'f', 8) => "float64",
        _ => "",
    };
    DType::parse(name).ok_or_else(|| PyTypeError::new_err(format!("unsupported dtype {}", d)))
}

fn array_ref(a: &Bound<'_, PyUntypedArray>, ndim: usize) -> PyResult<ArrayRef> {
    if a.ndim() != ndim {
        return Err(PyValueError::new_err(
            "operands must be broadcast to the output's shape",
        ));
    }
    // SAFETY: a live NumPy array object.
    let ptr = unsafe { (*a.as_array_ptr()).fields.data }.cast::<u8>();
    Ok(ArrayRef {
        ptr,
        dtype: dtype_of(a)?,
        strides: a.strides().to_vec(),
    })
}

/// What a worker thread needs: raw pointers the Python caller keeps alive during the call.
struct Call<'a> {
    prog: &'a Program,
    shape: Vec<usize>,
    arrays: Vec<Option<ArrayRef>>,
    scalars: Vec<Option<ScalarValue>>,
    out: ArrayRef,
    /// None: element-wise; Some(last_axis): the reduction.
    reduce: Option<bool>,
}

// SAFETY: the arrays are owned by the Python caller, which waits for the call (it holds references
// to them); the pointers are only used during it.
unsafe impl Send for Call<'_> {}

#[pymethods]
impl PyProgram {
    /// The NumPy type name of the result's elements.
    #[getter]
    fn result(&self) -> &'static str {
        self.prog.result().name()
    }

    /// `(name, axis)` of the outermost reduction, or None.
    #[getter]
    fn reduction(&self) -> Option<(&'static str, Option<i64>)> {
        self.prog.reduction().map(|(r, a)| (r.name(), a))
    }

    /// The register program as text.
    fn disassemble(&self) -> String {
        self.prog.disassemble()
    }

    /// Runs over `shape`: `arrays[i]` is input i when it is an array (broadcast to `shape`),
    /// `scalars[i]` when it is a Python scalar; writes `out`. Returns the floating-point conditions met
    /// (NumPy's bits: 1 divide, 2 overflow, 4 underflow, 8 invalid).
    ///
    /// For a reduction, `reduce` is `"all"` (every element) or `"last"` (the last dimension of
    /// `shape`, which `out` lacks).
    #[pyo3(signature = (shape, arrays, scalars, out, reduce=None))]
    fn run(
        &self,
        py: Python<'_>,
        shape: Vec<usize>,
        arrays: Vec<Option<Bound<'_, PyUntypedArray>>>,
        scalars: Vec<Option<Bound<'_, PyAny>>>,
        out: Bound<'_, PyUntypedArray>,
        reduce: Option<&str>,
    ) -> PyResult<u8> {
        let reduce = match reduce {
            None => None,
            Some("all") => Some(false),
            Some("last") => Some(true),
            Some(r) => {
                return Err(PyValueError::new_err(format!(
                    "reduce must be 'all' or 'last', got {r:?}"
                )))
            }
        };
        if reduce.is_some() != self.prog.reduction().is_some() {
            return Err(PyValueError::new_err(
                "reduce= must be given exactly for a reduction",
            ));
        }
        let ndim = shape.len();
        let arrays = arrays
            .iter()
            .map(|a| a.as_ref().map(|a| array_ref(a, ndim)).transpose())
            .collect::<PyResult<Vec<_>>>()?;
        let scalars = scalars
            .iter()
            .map(|s| {
                s.as_ref()
                    .map(|s| {
                        if let Ok(i) = s.extract::<i64>() {
                            Ok(ScalarValue::Int(i))
                        } else {
                            s.extract::<f64>().map(ScalarValue::Float)
                        }
                    })
                    .transpose()
            })
            .collect::<PyResult<Vec<_>>>()?;
        // SAFETY: a live NumPy array object.
        if unsafe { (*out.as_array_ptr()).fields.flags } & NPY_ARRAY_WRITEABLE == 0 {
            return Err(PyValueError::new_err("output array is read-only"));
        }
        let call = Call {
            prog: &self.prog,
            shape,
            arrays,
            scalars,
            out: array_ref(
                &out,
                match reduce {
                    None => ndim,
                    Some(false) => 0,
                    Some(true) => ndim.saturating_sub(1),
                },
            )?,
            reduce,
        };
        let result = py.detach(move || {
            let call = call;
            let saved = fpstatus::save();
            let r = catch_unwind(AssertUnwindSafe(|| {
                // SAFETY: the arrays come from NumPy objects alive for the call, broadcast to the
                // shape; the Python caller gives an output that is not a partial overlap of an input.
                unsafe {
                    match call.reduce {
                        None => call
                            .prog
                            .run(&call.shape, &call.arrays, &call.scalars, &call.out),
                        Some(last) => call.prog.run_reduce(
                            &call.shape,
                            &call.arrays,
                            &call.scalars,
                            last,
                            &call.out,
                        ),
                    }
                }
            }));
            fpstatus::restore_and_raise(saved, 0);
            r
        });
        match result {
            Ok(Ok(status)) => Ok(status),
            Ok(Err(e)) => Err(to_py(&e, &self.text)),
            Err(_) => Err(PyValueError::new_err(
                "internal error in the expression engine",
            )),
        }
    }
}

/// Adds the expression functions to `_core`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyProgram>()?;
    m.add_function(wrap_pyfunction!(_expr_names, m)?)?;
    m.add_function(wrap_pyfunction!(_expr_compile, m)?)?;
    Ok(())
}

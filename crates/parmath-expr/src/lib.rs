//! parmath's expression engine: `exp(-x**2 / 2) * sin(y) + 1` parsed (never by Python's `eval`),
//! typed by NumPy 2's rules, simplified (constant folding, common subexpressions, small integer
//! powers), compiled to a register program and run block by block over the thread pool, with the
//! same SIMD kernels as the ufuncs. No Python here; `parmath-py` wraps it.

pub mod dtype;
pub(crate) mod elem;
pub mod error;
pub mod exec;
pub mod ir;
pub mod parse;

pub use dtype::{DType, Ty};
pub use error::{Error, ErrorKind, Result};
pub use exec::{ArrayRef, Program, ScalarValue, BLOCK};
pub use ir::{Input, Reduction};
pub use parse::{parse, Ast};

/// Parses, types and compiles `text` for inputs `names[i]` of types `inputs[i]`; the result is cast
/// to `out` when given.
pub fn compile(
    text: &str,
    names: &[String],
    inputs: &[Input],
    out: Option<DType>,
) -> Result<Program> {
    let ast = parse(text)?;
    let graph = ir::lower(&ast, names, inputs)?;
    Ok(Program::new(&graph, inputs, out))
}

//! parmath's engine: element-wise math kernels (SIMD, dispatched at run time), the thread pool that
//! splits large calls, and the registry of functions. No Python here; `parmath-py` wraps it.

pub mod apply;
pub mod fpstatus;
pub mod half;
pub mod isa;
pub mod kernels;
pub mod pool;
pub mod registry;

pub use apply::{run_binary, run_binary_f16, run_unary, run_unary_f16, BinaryLoop, UnaryLoop};
pub use isa::Isa;
pub use registry::{find, Cost, Dtype, Function, Identity, Kernel, FUNCTIONS};

/// The crate version, shared with the Python package.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

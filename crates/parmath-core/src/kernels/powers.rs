//! Kernels of the powers family: cbrt, hypot, power.
//!
//! Each kernel's doc comment gives its domain, error bound and method.

mod cbrt;
mod hypot;
mod power;

pub use cbrt::Cbrt;
pub use hypot::Hypot;
pub use power::Power;

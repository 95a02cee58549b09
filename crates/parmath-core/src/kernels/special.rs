//! Kernels of the special family: erf, erfc, expit.
//!
//! Each kernel's doc comment gives its domain, error bound and method.

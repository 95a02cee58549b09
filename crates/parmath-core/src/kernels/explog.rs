//! Kernels of the explog family: exp2, expm1, log2, log10, log1p.
//!
//! Each kernel's doc comment gives its domain, error bound and method.

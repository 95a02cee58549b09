//! Kernels of the invtrig family: arcsin, arccos, arctan, arctan2.
//!
//! Each kernel's doc comment gives its domain, error bound and method.

//! Kernels of the trig family: sin, cos, tan.
//!
//! Each kernel's doc comment gives its domain, error bound and method.

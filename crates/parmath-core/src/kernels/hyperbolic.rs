//! Kernels of the hyperbolic family: sinh, cosh, tanh, arcsinh, arccosh, arctanh.
//!
//! Each kernel's doc comment gives its domain, error bound and method.

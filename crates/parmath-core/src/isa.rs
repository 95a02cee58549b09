//! Instruction-set detection, done once and cached.
//!
//! `PARMATH_ISA` (`generic`, `avx2`, `avx512`) caps the level so that every path can be tested on one
//! machine; it can only lower what the CPU supports, never raise it.

use std::sync::OnceLock;

/// The kernel families, from the portable baseline up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Isa {
    /// Whatever the compile target guarantees (SSE2 on x86-64, NEON on aarch64).
    Generic = 0,
    /// AVX2 with FMA (Haswell, Zen 1 and later).
    Avx2 = 1,
    /// AVX-512 F/DQ/VL/BW with FMA (Skylake-SP, Zen 4 and later).
    Avx512 = 2,
}

impl Isa {
    /// Every level, lowest first.
    pub const ALL: [Isa; 3] = [Isa::Generic, Isa::Avx2, Isa::Avx512];

    /// The name used by `PARMATH_ISA` and `parmath info`.
    pub fn name(self) -> &'static str {
        match self {
            Isa::Generic => "generic",
            Isa::Avx2 => "avx2",
            Isa::Avx512 => "avx512",
        }
    }

    /// Parses a `PARMATH_ISA` value (case-insensitive).
    pub fn parse(s: &str) -> Option<Isa> {
        Isa::ALL
            .into_iter()
            .find(|isa| isa.name().eq_ignore_ascii_case(s.trim()))
    }

    /// Whether this CPU can run kernels of this level.
    pub fn supported(self) -> bool {
        match self {
            Isa::Generic => true,
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => {
                std::arch::is_x86_feature_detected!("avx2")
                    && std::arch::is_x86_feature_detected!("fma")
            }
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 => {
                Isa::Avx2.supported()
                    && std::arch::is_x86_feature_detected!("avx512f")
                    && std::arch::is_x86_feature_detected!("avx512dq")
                    && std::arch::is_x86_feature_detected!("avx512vl")
                    && std::arch::is_x86_feature_detected!("avx512bw")
            }
            #[cfg(not(target_arch = "x86_64"))]
            _ => false,
        }
    }
}

/// The best level this CPU supports, ignoring `PARMATH_ISA`.
pub fn detected() -> Isa {
    *Isa::ALL
        .iter()
        .rev()
        .find(|isa| isa.supported())
        .unwrap_or(&Isa::Generic)
}

/// The level chosen from a CPU's best level and an optional `PARMATH_ISA` value.
/// An unknown value leaves the level uncapped (the Python package warns about it).
pub fn choose(best: Isa, cap: Option<&str>) -> Isa {
    match cap.and_then(Isa::parse) {
        Some(cap) => best.min(cap),
        None => best,
    }
}

/// The level every kernel call uses in this process: detected once, capped by `PARMATH_ISA`.
pub fn active() -> Isa {
    static ACTIVE: OnceLock<Isa> = OnceLock::new();
    *ACTIVE.get_or_init(|| choose(detected(), std::env::var("PARMATH_ISA").ok().as_deref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cap_only_lowers() {
        assert_eq!(choose(Isa::Avx2, Some("avx512")), Isa::Avx2);
        assert_eq!(choose(Isa::Avx512, Some("AVX2")), Isa::Avx2);
        assert_eq!(choose(Isa::Avx512, Some("generic")), Isa::Generic);
        assert_eq!(choose(Isa::Avx512, Some("bogus")), Isa::Avx512);
        assert_eq!(choose(Isa::Avx512, None), Isa::Avx512);
    }

    #[test]
    fn detected_is_supported() {
        assert!(detected().supported());
        assert!(active() <= detected());
    }
}

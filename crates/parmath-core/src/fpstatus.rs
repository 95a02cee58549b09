//! IEEE 754 exception flags as NumPy sees them.
//!
//! NumPy reads the calling thread's hardware status flags after a ufunc loop. Kernels run partly on pool
//! threads (whose flags NumPy never sees) and raise spurious flags of their own (clamped infinities,
//! lanes past the end), so they report the conditions they really met as bits, and the calling thread
//! restores the flags it had before the kernel and then sets exactly those bits.

/// Division by zero (a finite input gave an exact infinity), NumPy's `NPY_FPE_DIVIDEBYZERO`.
pub const DIVIDE: u8 = 1;
/// A finite input gave a result too large to represent, `NPY_FPE_OVERFLOW`.
pub const OVERFLOW: u8 = 2;
/// A nonzero exact result below the smallest normal number was rounded, `NPY_FPE_UNDERFLOW`.
pub const UNDERFLOW: u8 = 4;
/// The result is undefined (a NaN from a non-NaN input), `NPY_FPE_INVALID`.
pub const INVALID: u8 = 8;

/// The calling thread's floating-point status, saved before a kernel runs.
#[derive(Clone, Copy, Debug)]
pub struct Saved(#[allow(dead_code)] u64);

/// Saves the calling thread's status flags.
#[inline]
pub fn save() -> Saved {
    Saved(arch::read())
}

/// Puts back the flags saved by [`save`], then sets the conditions in `status` on top of them.
/// Where the four reported flags already read so, nothing is written: writing the status register
/// (`ldmxcsr`) stalls the next access to it, which cost a short ufunc call about a fifth of its
/// time (NumPy reads the flags right after the loop).
#[inline]
pub fn restore_and_raise(saved: Saved, status: u8) {
    if arch::READABLE && (arch::read() ^ with_status(saved.0, status)) & arch::REPORTED == 0 {
        return;
    }
    arch::write(saved.0, status);
}

/// `saved` with the hardware bits of `status` set.
#[inline]
fn with_status(saved: u64, status: u8) -> u64 {
    arch::BITS
        .iter()
        .filter(|(bit, _)| status & bit != 0)
        .fold(saved, |acc, (_, hw)| acc | hw)
}

/// The conditions currently flagged on the calling thread, as bits (for tests).
pub fn current() -> u8 {
    arch::decode(arch::read())
}

/// Clears the calling thread's flags (the four reported ones; nothing is written where they are
/// clear already).
pub fn clear() {
    let now = arch::read();
    if arch::READABLE && now & arch::REPORTED == 0 {
        return;
    }
    arch::write(now & !arch::ALL_BITS, 0);
}

#[cfg(target_arch = "x86_64")]
mod arch {
    // MXCSR: IE=0, DE=1, ZE=2, OE=3, UE=4, PE=5.
    pub const BITS: [(u8, u64); 4] = [
        (super::INVALID, 1 << 0),
        (super::DIVIDE, 1 << 2),
        (super::OVERFLOW, 1 << 3),
        (super::UNDERFLOW, 1 << 4),
    ];
    pub const ALL_BITS: u64 = 0x3f;
    /// The flags NumPy reads: invalid, divide by zero, overflow, underflow.
    pub const REPORTED: u64 = 0x1d;
    pub const READABLE: bool = true;

    #[inline]
    pub fn read() -> u64 {
        let mut csr: u32 = 0;
        // SAFETY: stmxcsr stores 4 bytes to a valid stack slot.
        unsafe {
            std::arch::asm!("stmxcsr [{}]", in(reg) &mut csr, options(nostack, preserves_flags));
        }
        u64::from(csr)
    }

    #[inline]
    pub fn write(saved: u64, status: u8) {
        let csr = super::with_status(saved, status) as u32;
        // SAFETY: only status bits differ from a value read from MXCSR, so no reserved bit is set.
        unsafe {
            std::arch::asm!("ldmxcsr [{}]", in(reg) &csr, options(nostack, preserves_flags, readonly));
        }
    }

    pub fn decode(csr: u64) -> u8 {
        BITS.iter()
            .filter(|(_, hw)| csr & hw != 0)
            .fold(0, |acc, (bit, _)| acc | bit)
    }
}

#[cfg(target_arch = "aarch64")]
mod arch {
    // FPSR: IOC=0, DZC=1, OFC=2, UFC=3, IXC=4, IDC=7.
    pub const BITS: [(u8, u64); 4] = [
        (super::INVALID, 1 << 0),
        (super::DIVIDE, 1 << 1),
        (super::OVERFLOW, 1 << 2),
        (super::UNDERFLOW, 1 << 3),
    ];
    pub const ALL_BITS: u64 = 0x9f;
    /// The flags NumPy reads: invalid, divide by zero, overflow, underflow.
    pub const REPORTED: u64 = 0x0f;
    pub const READABLE: bool = true;

    #[inline]
    pub fn read() -> u64 {
        let fpsr: u64;
        // SAFETY: reading FPSR has no side effects.
        unsafe { std::arch::asm!("mrs {}, fpsr", out(reg) fpsr, options(nomem, nostack)) };
        fpsr
    }

    #[inline]
    pub fn write(saved: u64, status: u8) {
        let fpsr = super::with_status(saved, status);
        // SAFETY: only cumulative status bits differ from a value read from FPSR.
        unsafe { std::arch::asm!("msr fpsr, {}", in(reg) fpsr, options(nomem, nostack)) };
    }

    pub fn decode(fpsr: u64) -> u8 {
        BITS.iter()
            .filter(|(_, hw)| fpsr & hw != 0)
            .fold(0, |acc, (bit, _)| acc | bit)
    }
}

#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
mod arch {
    // No portable way to read or restore the flags: raise them with real operations instead.
    use std::hint::black_box;
    pub const ALL_BITS: u64 = 0;
    pub const REPORTED: u64 = 0;
    pub const READABLE: bool = false;

    pub const BITS: [(u8, u64); 0] = [];

    pub fn read() -> u64 {
        0
    }

    pub fn write(_saved: u64, status: u8) {
        if status & super::INVALID != 0 {
            black_box(black_box(0.0f64) / black_box(0.0f64));
        }
        if status & super::DIVIDE != 0 {
            black_box(black_box(1.0f64) / black_box(0.0f64));
        }
        if status & super::OVERFLOW != 0 {
            black_box(black_box(f64::MAX) * black_box(2.0f64));
        }
        if status & super::UNDERFLOW != 0 {
            black_box(black_box(f64::MIN_POSITIVE) * black_box(f64::MIN_POSITIVE));
        }
    }

    pub fn decode(_: u64) -> u8 {
        0
    }
}

#[cfg(all(test, any(target_arch = "x86_64", target_arch = "aarch64")))]
mod tests {
    use super::*;
    use std::hint::black_box;

    #[test]
    fn restore_drops_spurious_and_raises_reported() {
        clear();
        let saved = save();
        black_box(black_box(f64::MAX) * black_box(2.0)); // spurious overflow
        assert_ne!(current() & OVERFLOW, 0);
        restore_and_raise(saved, INVALID | UNDERFLOW);
        assert_eq!(current(), INVALID | UNDERFLOW);
        clear();
        assert_eq!(current(), 0);
    }

    #[test]
    fn earlier_flags_are_kept() {
        clear();
        black_box(black_box(1.0f64) / black_box(0.0));
        let saved = save();
        restore_and_raise(saved, 0);
        assert_eq!(current(), DIVIDE);
        clear();
    }
}

//! Kernels of the trig family: sin, cos, tan.
//!
//! Each kernel's doc comment gives its domain, error bound and method. They share one range
//! reduction and one pair of polynomials:
//!
//! Reduction (float64): x = k pi/2 + r, |r| <= pi/4 (a little more when k rounds the other way near
//! a half-way point), r delivered as a double-double hi + lo.
//! * Fast path, |x| <= 2^20 (so |k| <= 2^20): Cody-Waite (Cody and Waite, *Software Manual for the
//!   Elementary Functions*, 1980) with pi/2 in four pieces (`scripts/sollya/two_over_pi.py`): C1 has
//!   33 significant bits and C1 + C2 is pi/2 rounded to a multiple of 2^-53, so k*C1 and k*C2 are
//!   exact and x - k C1 - k C2 is exact (Sterbenz's lemma, then a difference of multiples of 2^-53
//!   below 1); the last two pieces are subtracted with an exact TwoSum (Knuth) and a correction
//!   word, so hi + lo is within 2^-118 + 2^-105 |r| of x - k pi/2 for every double in the range
//!   (whose |r| is at least about 2^-61, so the relative error of r is below 2^-56). 2^20 keeps
//!   every product exact with 33-bit pieces and covers the arguments seen in practice.
//! * Slow path (`eval`, |x| > 2^20): Payne-Hanek (Payne and Hanek, *Radian reduction for
//!   trigonometric functions*, SIGNUM Newsletter 18, 1983): x = m 2^e, and only the 192 bits of 2/pi
//!   that can reach x 2/pi mod 4 are multiplied by m in integer arithmetic; the fraction (128 bits)
//!   is scaled by pi/2 in double-double. The bits of 2/pi come from `scripts/sollya/two_over_pi.py`.
//!
//! Polynomials (`scripts/sollya/sin.sollya`, `scripts/sollya/cos.sollya`, minimax, relative error
//! 2^-61 and 2^-60.5): sin(r) = r + r^3 p(r^2), cos(r) = 1 - r^2/2 + r^4 q(r^2), each evaluated as
//! a double-double (head + small correction): for cos the square hi^2 is exact (an FMA or Dekker's
//! product) and 1 - hi^2/2 is split exactly, and lo enters through its first-order terms. k mod 4
//! then selects (with selects, not branches) sin or cos of r and the sign.
//!
//! float32: the argument is widened to float64 and reduced by the same pieces (for |x| <= 2^20 in
//! plain float64 arithmetic, relative error below 2^-40), evaluated by shorter float64 polynomials
//! (relative error 2^-35; tan by a rational function, `scripts/sollya/tan_rational_f32.py`) and
//! rounded once; larger arguments take the float64 slow path.
//!
//! Special values and conditions (as NumPy): f(nan) = nan, f(+-inf) = nan with the invalid
//! condition; sin(+-0) = tan(+-0) = +-0, cos(+-0) = 1. tan never overflows (no double is close
//! enough to an odd multiple of pi/2). No underflow is reported for subnormal arguments (sin(x) and
//! tan(x) round to x there): NumPy's float64 sin (the C library) reports it while its tan does not,
//! and the loops run the fast path, which reports nothing, on blocks of small arguments.

use super::dd::{two_prod, two_sum};
use super::{flag, fma64, Unary};
use crate::fpstatus::INVALID;

/// The `sin` kernel.
#[derive(Debug)]
pub struct Sin;

/// The `cos` kernel.
#[derive(Debug)]
pub struct Cos;

/// The `tan` kernel.
#[derive(Debug)]
pub struct Tan;

/// Largest argument of the Cody-Waite (fast) path, both types: |k| <= 2^20 * 2/pi < 2^20.
const FAST_MAX: f64 = 1048576.0;

mod c64 {
    pub const SHIFT: f64 = 6755399441055744.0; // 1.5 * 2^52: adding it rounds to an integer
    pub const INV_PIO2: f64 = f64::from_bits(0x3fe45f306dc9c883); // 2/pi
                                                                  // pi/2 = C1 + C2 + C3 + C4 (to 2^-142), `scripts/sollya/two_over_pi.py`.
    pub const C1: f64 = f64::from_bits(0x3ff921fb54400000);
    pub const C2: f64 = f64::from_bits(0x3dd0b46200000000);
    pub const C3: f64 = f64::from_bits(0xbc8cb3b399d00000);
    pub const C4: f64 = f64::from_bits(0xba6d1fc8f8cbb5bf);
    // pi/2 as a double-double.
    pub const PIO2_HI: f64 = f64::from_bits(0x3ff921fb54442d18);
    pub const PIO2_LO: f64 = f64::from_bits(0x3c91a62633145c07);
    /// sin: p(z), sin(r) = r + r^3 p(r^2) (`scripts/sollya/sin.sollya`).
    pub const S: [f64; 7] = [
        f64::from_bits(0xbfc5555555555555),
        f64::from_bits(0x3f8111111111101f),
        f64::from_bits(0xbf2a01a019fe8de6),
        f64::from_bits(0x3ec71de3a10d7798),
        f64::from_bits(0xbe5ae63f8ff21575),
        f64::from_bits(0x3de60e685efcc41e),
        f64::from_bits(0xbd68db6757dd4521),
    ];
    /// cos: q(z), cos(r) = 1 - r^2/2 + r^4 q(r^2) (`scripts/sollya/cos.sollya`).
    pub const C: [f64; 6] = [
        f64::from_bits(0x3fa5555555555555),
        f64::from_bits(0xbf56c16c16c168ca),
        f64::from_bits(0x3efa01a019f3837b),
        f64::from_bits(0xbe927e4fa02e10e6),
        f64::from_bits(0x3e21eeb57cf7030e),
        f64::from_bits(0xbda9073823ce0c3d),
    ];
    /// The float32 kernels' p (in float64), `scripts/sollya/sin.sollya`.
    pub const S32: [f64; 4] = [
        f64::from_bits(0xbfc555555545aaac),
        f64::from_bits(0x3f811110de908049),
        f64::from_bits(0xbf2a013a0ed073b1),
        f64::from_bits(0x3ec6dbc3b6570bd3),
    ];
    /// The float32 kernels' q (in float64), `scripts/sollya/cos.sollya`.
    pub const C32: [f64; 4] = [
        f64::from_bits(0x3fa555555550216e),
        f64::from_bits(0xbf56c16bf5245431),
        f64::from_bits(0x3efa015c1a3014b4),
        f64::from_bits(0xbe9252388060c3ae),
    ];
    /// The float32 tan: tan(r) = r P(r^2) / (1 + r^2 Q(r^2)), minimax in relative error (2^-35.4)
    /// on |r| <= pi/4 (`scripts/sollya/tan_rational_f32.py`).
    pub const TAN32_P: [f64; 3] = [
        f64::from_bits(0x3ff0000000018491),
        f64::from_bits(0xbfbc822eed51788e),
        f64::from_bits(0x3f519d868ebb02a7),
    ];
    pub const TAN32_Q: [f64; 2] = [
        f64::from_bits(0xbfdc75e10ee0e465),
        f64::from_bits(0x3f905b542e5e5122),
    ];
    /// The bits of 2/pi, 64 a word, most significant first, after one word of zeros
    /// (`scripts/sollya/two_over_pi.py`).
    pub const TWO_OVER_PI: [u64; 24] = [
        0x0000000000000000,
        0xa2f9836e4e441529,
        0xfc2757d1f534ddc0,
        0xdb6295993c439041,
        0xfe5163abdebbc561,
        0xb7246e3a424dd2e0,
        0x06492eea09d1921c,
        0xfe1deb1cb129a73e,
        0xe88235f52ebb4484,
        0xe99c7026b45f7e41,
        0x3991d639835339f4,
        0x9c845f8bbdf9283b,
        0x1ff897ffde05980f,
        0xef2f118b5a0a6d1f,
        0x6d367ecf27cb09b7,
        0x4f463f669e5fea2d,
        0x7527bac7ebe5f17b,
        0x3d0739f78a5292ea,
        0x6bfb5fb11f8d5d08,
        0x56033046fc7b6bab,
        0xf0cfbc209af4361d,
        0xa9e391615ee61b08,
        0x6599855f14a06840,
        0x8dffd8804d732731,
    ];
}

/// A reduced argument: x = k pi/2 + hi + lo; `q` holds k in its low two bits.
#[derive(Clone, Copy)]
struct Reduced {
    hi: f64,
    lo: f64,
    q: u64,
}

/// Cody-Waite reduction for |x| <= 2^20 (see the module comment): exact but for the last rounding of
/// the small correction word.
#[inline(always)]
fn reduce_fast<const FMA: bool>(x: f64) -> Reduced {
    use c64::*;
    let z = fma64::<FMA>(x, INV_PIO2, SHIFT);
    let k = z - SHIFT;
    // Exact: k*C1 and k*C2 are exact products, the differences exact (see the module comment).
    let a = fma64::<FMA>(k, -C1, x);
    let b = fma64::<FMA>(k, -C2, a);
    let (c, ec) = two_sum(b, -(k * C3));
    let tail = fma64::<FMA>(k, -C4, ec);
    let hi = c + tail;
    let lo = (c - hi) + tail;
    Reduced {
        hi,
        lo,
        q: z.to_bits(),
    }
}

/// 64 bits of 2/pi starting at bit `pos` after the point (pos >= -63; bit 1 is the first).
#[inline(always)]
fn two_over_pi_bits(pos: i64) -> u64 {
    let g = (pos + 63) as usize;
    let (w, off) = (g / 64, g % 64);
    let t = &c64::TWO_OVER_PI;
    if off == 0 {
        t[w]
    } else {
        (t[w] << off) | (t[w + 1] >> (64 - off))
    }
}

/// Payne-Hanek reduction for finite |x| > 2^20 (see the module comment).
#[inline(never)]
fn reduce_slow<const FMA: bool>(x: f64) -> Reduced {
    use c64::*;
    let bits = x.to_bits();
    let e = ((bits >> 52) & 0x7ff) as i64 - 1075;
    let m = u128::from((bits & 0x000f_ffff_ffff_ffff) | (1u64 << 52));
    // x 2/pi mod 4 = m * W / 2^190 mod 4, W the 192 bits of 2/pi from bit e - 1 on (earlier bits
    // give multiples of 4, later ones less than 2^-137).
    let i0 = e - 1;
    let (w0, w1, w2) = (
        two_over_pi_bits(i0),
        two_over_pi_bits(i0 + 64),
        two_over_pi_bits(i0 + 128),
    );
    let p2 = m * u128::from(w2);
    let p1 = m * u128::from(w1);
    let p0 = m * u128::from(w0);
    // m * W mod 2^192 in three limbs.
    let l0 = p2 as u64;
    let t1 = (p2 >> 64) + u128::from(p1 as u64);
    let l1 = t1 as u64;
    let l2 = ((p1 >> 64) + u128::from(p0 as u64) + (t1 >> 64)) as u64;
    // Integer part mod 4 and the 128 fraction bits, as a signed fraction in [-1/2, 1/2).
    let frac = (u128::from(l2) << 66) | (u128::from(l1) << 2) | u128::from(l0 >> 62);
    let s = frac as i128;
    let k = (l2 >> 62) + u64::from(s < 0);
    let f_hi = s as f64;
    let f_lo = s.wrapping_sub(f_hi as i128) as f64;
    const TWO_M128: f64 = 2.938735877055719e-39; // 2^-128
    let (f_hi, f_lo) = (f_hi * TWO_M128, f_lo * TWO_M128);
    let (r_hi, e1) = two_prod::<FMA>(f_hi, PIO2_HI);
    let r_lo = e1 + (f_hi * PIO2_LO + f_lo * PIO2_HI);
    let hi = r_hi + r_lo;
    let lo = (r_hi - hi) + r_lo;
    if x < 0.0 {
        Reduced {
            hi: -hi,
            lo: -lo,
            q: k.wrapping_neg(),
        }
    } else {
        Reduced { hi, lo, q: k }
    }
}

/// sin(hi + lo) and cos(hi + lo) for |hi + lo| <= pi/4 (and a little), each as head + correction.
/// With `EXACT_CUBIC` (for tan) the sine's main correction hi^3 p_0 is kept exactly as well, so its
/// two parts come out normalised with a relative error near 2^-57 instead of 2^-56.
#[inline(always)]
fn sincos_poly<const FMA: bool, const EXACT_CUBIC: bool>(r: Reduced) -> ((f64, f64), (f64, f64)) {
    use c64::*;
    let (hi, lo) = (r.hi, r.lo);
    let (z, ez) = two_prod::<FMA>(hi, hi);
    let z2 = z * z;
    // sin(hi + lo) = hi + hi^3 p(hi^2) + lo (1 - hi^2/2), to within 2^-105 |hi|.
    let p12 = fma64::<FMA>(S[2], z, S[1]);
    let p34 = fma64::<FMA>(S[4], z, S[3]);
    let p56 = fma64::<FMA>(S[6], z, S[5]);
    // p(z) = S[0] + z p1(z).
    let p1 = fma64::<FMA>(fma64::<FMA>(p56, z2, p34), z2, p12);
    // hi^3 = hi3 + e3 + hi ez to 2^-105 (the product errors would otherwise cost 0.1 ULP).
    let (hi3, e3) = two_prod::<FMA>(hi, z);
    let corr = fma64::<FMA>(
        fma64::<FMA>(hi, ez, e3),
        S[0],
        fma64::<FMA>(-0.5 * z, lo, lo),
    );
    let sin = if EXACT_CUBIC {
        // hi + hi3 S[0] as an exact sum of three, then normalised.
        let (m, em) = two_prod::<FMA>(hi3, S[0]);
        let s0 = hi + m;
        let es = (hi - s0) + m;
        let rest = es + (em + fma64::<FMA>(hi3 * z, p1, corr));
        let s1 = s0 + rest;
        (s1, (s0 - s1) + rest)
    } else {
        let p = fma64::<FMA>(p1, z, S[0]);
        (hi, fma64::<FMA>(hi3, p, corr))
    };
    // cos(hi + lo) = 1 - (z + ez)/2 + z^2 q(z) - hi lo; 1 - z/2 split exactly.
    let q01 = fma64::<FMA>(C[1], z, C[0]);
    let q23 = fma64::<FMA>(C[3], z, C[2]);
    let q45 = fma64::<FMA>(C[5], z, C[4]);
    let q = fma64::<FMA>(fma64::<FMA>(q45, z2, q23), z2, q01);
    let h = 0.5 * z;
    let w = 1.0 - h;
    let ew = (1.0 - w) - h;
    let c_lo = ew + fma64::<FMA>(z2, q, -fma64::<FMA>(hi, lo, 0.5 * ez));
    (sin, (w, c_lo))
}

/// sin(x) from a reduction: sin or cos of r by k mod 4, with its sign.
#[inline(always)]
fn sin_of<const FMA: bool>(r: Reduced) -> f64 {
    let ((s0, s1), (c0, c1)) = sincos_poly::<FMA, false>(r);
    let odd = r.q & 1 != 0;
    let (a, b) = if odd { (c0, c1) } else { (s0, s1) };
    f64::from_bits((a + b).to_bits() ^ ((r.q & 2) << 62))
}

/// cos(x) from a reduction: cos(x) = sin(x + pi/2).
#[inline(always)]
fn cos_of<const FMA: bool>(r: Reduced) -> f64 {
    sin_of::<FMA>(Reduced {
        q: r.q.wrapping_add(1),
        ..r
    })
}

/// tan(x) from a reduction: tan(r) for even k, -1/tan(r) for odd k, as a quotient of the
/// double-double sine and cosine with one correction step.
#[inline(always)]
fn tan_of<const FMA: bool>(r: Reduced) -> f64 {
    let ((s0, s1), (c0, c1)) = sincos_poly::<FMA, true>(r);
    let (c0, c1) = (c0 + c1, (c0 - (c0 + c1)) + c1);
    let odd = r.q & 1 != 0;
    let (n0, n1) = if odd { (-c0, -c1) } else { (s0, s1) };
    let (d0, d1) = if odd { (s0, s1) } else { (c0, c1) };
    // One division: t = n0 (1/d0) is within 2 ULP of n0/d0, and the residual, computed exactly but
    // for its last rounding, is scaled by the same reciprocal.
    let inv = 1.0 / d0;
    let t = n0 * inv;
    let (p, ep) = two_prod::<FMA>(t, d0);
    let res = ((n0 - p) - ep) + fma64::<FMA>(-t, d1, n1);
    fma64::<FMA>(res, inv, t)
}

/// The reduction of any finite float64 (the fast path's bits in its range).
#[inline(always)]
fn reduce_any<const FMA: bool>(x: f64) -> Reduced {
    if x.abs() <= FAST_MAX {
        reduce_fast::<FMA>(x)
    } else {
        reduce_slow::<FMA>(x)
    }
}

/// NaN for ±inf (a new one) and NaN inputs (the input), else `y`.
#[inline(always)]
fn finite_or_nan(x: f64, y: f64) -> f64 {
    if x.is_finite() {
        y
    } else if x.is_nan() {
        x
    } else {
        f64::NAN
    }
}

/// `sin(x)`, float64 and float32.
///
/// Domain: all floats; sin(±inf) = nan (invalid), sin(nan) = nan, sin(±0) = ±0.
/// Method: see the module comment (Cody-Waite / Payne-Hanek reduction by pi/2, minimax sin and cos
/// polynomials on [-pi/4, pi/4] selected by k mod 4).
/// Error bound: 1 ULP. The head + correction sum rounds once; the correction's own error is about
/// 0.1 ULP (0.15 without FMA), the reduction's below 2^-56 relative. Measured maxima against mpmath
/// (`tests/test_accuracy.py` inputs, huge arguments included): float64 0.62 ULP (generic without
/// FMA 0.64), float32 0.5000 ULP (0.5002 over every float32 input at each level, `make sweep`).
impl Unary<f64> for Sin {
    const FAST_MIN: f64 = -FAST_MAX;
    const FAST_MAX: f64 = FAST_MAX;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f64) -> f64 {
        let y = sin_of::<FMA>(reduce_any::<FMA>(x));
        finite_or_nan(x, if x == 0.0 { x } else { y })
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f64) -> f64 {
        let y = sin_of::<FMA>(reduce_fast::<FMA>(x));
        if x == 0.0 {
            x
        } else {
            y
        }
    }

    #[inline(always)]
    fn status(x: f64, _y: f64) -> u8 {
        flag(x.is_infinite(), INVALID)
    }
}

/// `cos(x)`, float64 and float32.
///
/// Domain: all floats; cos(±inf) = nan (invalid), cos(nan) = nan, cos(±0) = 1.
/// Method: as [`Sin`] (cos(x) = sin(x + pi/2) by k + 1 mod 4).
/// Error bound: 1 ULP. Measured maxima against mpmath: float64 0.62 ULP (generic without FMA
/// 0.66), float32 0.5000 ULP (0.5002 over every float32 input, generic level; the other levels
/// not swept yet).
impl Unary<f64> for Cos {
    const FAST_MIN: f64 = -FAST_MAX;
    const FAST_MAX: f64 = FAST_MAX;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f64) -> f64 {
        finite_or_nan(x, cos_of::<FMA>(reduce_any::<FMA>(x)))
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f64) -> f64 {
        cos_of::<FMA>(reduce_fast::<FMA>(x))
    }

    #[inline(always)]
    fn status(x: f64, _y: f64) -> u8 {
        flag(x.is_infinite(), INVALID)
    }
}

/// `tan(x)`, float64 and float32.
///
/// Domain: all floats; tan(±inf) = nan (invalid), tan(nan) = nan, tan(±0) = ±0; never overflows.
/// Method: the reduction and polynomials of [`Sin`]; tan(x) = sin(r)/cos(r) for even k and
/// -cos(r)/sin(r) for odd k, the quotient of double-doubles corrected once (Dekker's division);
/// the sine's r^3 term is kept exactly so that both operands are within about 2^-57 relative.
/// At the AVX-512 level float64 runs `avx512::tan8` for |x| <= 2^16 (a reduction by pi/32, a
/// 16-entry table of tan(J pi/32) and the addition formula; see that module).
/// Error bound: 1 ULP. Measured maxima against mpmath: float64 0.53 ULP (generic without FMA
/// 0.55, AVX-512 0.53; 99.95% of the `tests/accuracy.rs` inputs correctly rounded at AVX-512,
/// 99.5% at the other levels), float32 0.5004 ULP (every input, every level).
impl Unary<f64> for Tan {
    const FAST_MIN: f64 = -FAST_MAX;
    const FAST_MAX: f64 = FAST_MAX;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f64) -> f64 {
        let y = tan_of::<FMA>(reduce_any::<FMA>(x));
        finite_or_nan(x, if x == 0.0 { x } else { y })
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f64) -> f64 {
        let y = tan_of::<FMA>(reduce_fast::<FMA>(x));
        if x == 0.0 {
            x
        } else {
            y
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f64], dst: &mut [f64]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX-512F/DQ exist.
        Some(unsafe { avx512::tan64(src, dst) })
    }

    #[inline(always)]
    fn status(x: f64, _y: f64) -> u8 {
        flag(x.is_infinite(), INVALID)
    }
}

// ---- float32: float64 arithmetic, one final rounding ----

/// r = x - k pi/2 for a float32 argument |x| <= 2^20 widened to float64, and the bits of k (k mod 4
/// in the low bits): relative error below 2^-40 (the first two products and differences are exact,
/// the last two pieces add 2^-53 |r| + 2^-120).
#[inline(always)]
fn reduce32<const FMA: bool>(x: f64) -> (f64, u64) {
    use c64::*;
    let z = fma64::<FMA>(x, INV_PIO2, SHIFT);
    let k = z - SHIFT;
    let a = fma64::<FMA>(k, -C1, x);
    let b = fma64::<FMA>(k, -C2, a);
    let r = fma64::<FMA>(k, -C4, fma64::<FMA>(k, -C3, b));
    (r, z.to_bits())
}

/// sin(r) and cos(r) for a float32 argument |x| <= 2^20 widened to float64 (`reduce32`), and
/// k mod 4: polynomials of relative error 2^-35.
#[inline(always)]
fn sincos32<const FMA: bool>(x: f64) -> (f64, f64, u64) {
    use c64::*;
    let (r, q) = reduce32::<FMA>(x);
    let r2 = r * r;
    let p = fma64::<FMA>(
        fma64::<FMA>(fma64::<FMA>(S32[3], r2, S32[2]), r2, S32[1]),
        r2,
        S32[0],
    );
    let s = fma64::<FMA>(r * r2, p, r);
    let q2 = fma64::<FMA>(
        fma64::<FMA>(fma64::<FMA>(C32[3], r2, C32[2]), r2, C32[1]),
        r2,
        C32[0],
    );
    let c = fma64::<FMA>(r2, fma64::<FMA>(r2, q2, -0.5), 1.0);
    (s, c, q)
}

#[inline(always)]
fn sin32<const FMA: bool>(x: f64) -> f64 {
    let (s, c, q) = sincos32::<FMA>(x);
    let y = if q & 1 != 0 { c } else { s };
    f64::from_bits(y.to_bits() ^ ((q & 2) << 62))
}

#[inline(always)]
fn cos32<const FMA: bool>(x: f64) -> f64 {
    let (s, c, q) = sincos32::<FMA>(x);
    let q = q.wrapping_add(1);
    let y = if q & 1 != 0 { c } else { s };
    f64::from_bits(y.to_bits() ^ ((q & 2) << 62))
}

/// tan of a float32 argument |x| <= 2^20 widened to float64: r = x - k pi/2, with FMA by pi/2 as
/// a double-double in two FMAs (relative error below 2^-52: |r| > 2^-28 for every such float32,
/// the least at x = 252.898...), without FMA by `reduce32`. Then tan(r) = n/d with n = r P(r^2),
/// d = 1 + r^2 Q(r^2) (relative error 2^-35.4), and for odd k -cot(r) = -d/n: the same two
/// polynomials, the operands swapped before the one division.
#[inline(always)]
fn tan32<const FMA: bool>(x: f64) -> f64 {
    use c64::*;
    let (r, q) = if FMA {
        // x - k PIO2_HI is rounded once (2^-53 of r); pi/2 - PIO2_HI - PIO2_LO leaves k 2^-107.
        let z = x.mul_add(INV_PIO2, SHIFT);
        let k = z - SHIFT;
        ((-k).mul_add(PIO2_LO, (-k).mul_add(PIO2_HI, x)), z.to_bits())
    } else {
        reduce32::<FMA>(x)
    };
    let s = r * r;
    let n = r * fma64::<FMA>(fma64::<FMA>(TAN32_P[2], s, TAN32_P[1]), s, TAN32_P[0]);
    let d = fma64::<FMA>(fma64::<FMA>(TAN32_Q[1], s, TAN32_Q[0]), s, 1.0);
    let (n, d) = if q & 1 != 0 { (-d, n) } else { (n, d) };
    n / d
}

/// `sin(x)` for float32: see the float64 kernel.
impl Unary<f32> for Sin {
    const FAST_MIN: f32 = -FAST_MAX as f32;
    const FAST_MAX: f32 = FAST_MAX as f32;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f32) -> f32 {
        if x.abs() <= FAST_MAX as f32 {
            Self::eval_fast::<FMA>(x)
        } else {
            <Self as Unary<f64>>::eval::<FMA>(f64::from(x)) as f32
        }
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f32) -> f32 {
        let y = sin32::<FMA>(f64::from(x)) as f32;
        if x == 0.0 {
            x
        } else {
            y
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller checked AVX-512F and AVX-512DQ.
        Some(unsafe { avx512::sincos32::<false>(src, dst, Self::FAST_MIN, Self::FAST_MAX) })
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx2(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller checked AVX2 and FMA.
        Some(unsafe { avx2::sincos32::<false>(src, dst, Self::FAST_MIN, Self::FAST_MAX) })
    }

    #[inline(always)]
    fn status(x: f32, _y: f32) -> u8 {
        flag(x.is_infinite(), INVALID)
    }
}

/// `cos(x)` for float32: see the float64 kernel.
impl Unary<f32> for Cos {
    const FAST_MIN: f32 = -FAST_MAX as f32;
    const FAST_MAX: f32 = FAST_MAX as f32;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f32) -> f32 {
        if x.abs() <= FAST_MAX as f32 {
            Self::eval_fast::<FMA>(x)
        } else {
            <Self as Unary<f64>>::eval::<FMA>(f64::from(x)) as f32
        }
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f32) -> f32 {
        cos32::<FMA>(f64::from(x)) as f32
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller checked AVX-512F and AVX-512DQ.
        Some(unsafe { avx512::sincos32::<true>(src, dst, Self::FAST_MIN, Self::FAST_MAX) })
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx2(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller checked AVX2 and FMA.
        Some(unsafe { avx2::sincos32::<true>(src, dst, Self::FAST_MIN, Self::FAST_MAX) })
    }

    #[inline(always)]
    fn status(x: f32, _y: f32) -> u8 {
        flag(x.is_infinite(), INVALID)
    }
}

/// `tan(x)` for float32: see the float64 kernel (here `tan32`: one float64 quotient of two short
/// polynomials, relative error below 2^-35).
impl Unary<f32> for Tan {
    const FAST_MIN: f32 = -FAST_MAX as f32;
    const FAST_MAX: f32 = FAST_MAX as f32;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f32) -> f32 {
        if x.abs() <= FAST_MAX as f32 {
            Self::eval_fast::<FMA>(x)
        } else {
            <Self as Unary<f64>>::eval::<FMA>(f64::from(x)) as f32
        }
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f32) -> f32 {
        let y = tan32::<FMA>(f64::from(x)) as f32;
        if x == 0.0 {
            x
        } else {
            y
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller checked AVX-512F and AVX-512DQ.
        Some(unsafe { avx512::tan32(src, dst, Self::FAST_MIN, Self::FAST_MAX) })
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx2(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller checked AVX2 and FMA.
        Some(unsafe { avx2::tan32(src, dst, Self::FAST_MIN, Self::FAST_MAX) })
    }

    #[inline(always)]
    fn status(x: f32, _y: f32) -> u8 {
        flag(x.is_infinite(), INVALID)
    }
}

/// The float64 tan of the AVX-512 level (8 lanes, `Unary::map_avx512`), for |x| <= 2^16 (other
/// lanes and non-finite ones go to the per-lane kernel): x = j pi/32 + s by Cody-Waite with the
/// module's four pieces of pi/2 scaled by 2^-4 (j < 2^20, so j C1 and j C2 stay exact), s = sh + sl
/// as above, |s| <= pi/64; j = 16 q + J with J in [-8, 8): tan x = tan(J pi/32 + s), or
/// -cot(J pi/32 + s) for odd q, by the addition formula (T + u) / (1 - T u) with T = tan(J pi/32)
/// as a pair of doubles from a 16-entry table (`vpermt2pd`) and u = tan s = s + s^3 P(s^2), P of
/// degree 4 (`scripts/sollya/tan_table.sollya`, relative error 2^-54): T + u by Fast2Sum (|T| >=
/// 2|s| unless T = 0), 1 - T u with T_hi s_hi split by an FMA, the quotient by `vdivpd`, its exact
/// residual and one correction through `vrcp14pd`. One rounding dominates: error 0.5 ULP plus about
/// 2^-58 relative. tan(+-0) = +-0.
#[cfg(target_arch = "x86_64")]
mod avx512 {
    use super::super::simd512::{
        fast_two_sum8, in_f64_halves, lookup16, map16_redo, map8_redo_range, table16, two_sum8,
        Table16,
    };
    use std::arch::x86_64::*;

    /// tan s = s + s^3 P(s^2), s^2 <= 0.0025 (`scripts/sollya/tan_table.sollya`).
    const P: [u64; 5] = [
        0x3fd5555555555555,
        0x3fc1111111111d8a,
        0x3faba1ba1abe3b16,
        0x3f9664f68155de5c,
        0x3f822b59834072fa,
    ];
    /// tan(J pi/32) as pairs of doubles, entry J mod 16 (`scripts/sollya/tan_table.sollya`).
    const T_HI: [u64; 16] = [
        0x0000000000000000,
        0x3fb936bb8c5b2da2,
        0x3fc975f5e0553158,
        0x3fd36a08355c63dc,
        0x3fda827999fcef32,
        0x3fe11ab7190834ec,
        0x3fe561b82ab7f990,
        0x3fea43002ae42850,
        0xbff0000000000000,
        0xbfea43002ae42850,
        0xbfe561b82ab7f990,
        0xbfe11ab7190834ec,
        0xbfda827999fcef32,
        0xbfd36a08355c63dc,
        0xbfc975f5e0553158,
        0xbfb936bb8c5b2da2,
    ];
    const T_LO: [u64; 16] = [
        0x0000000000000000,
        0x3c587d054f689d7a,
        0x3c2ef5d367441946,
        0xbc6d704d1bfdb6e8,
        0x3c708b2fb1366ea9,
        0xbc8e564bcd1e635d,
        0x3c87a8c52172b675,
        0xbc7a6db80fe796fe,
        0x0000000000000000,
        0x3c7a6db80fe796fe,
        0xbc87a8c52172b675,
        0x3c8e564bcd1e635d,
        0xbc708b2fb1366ea9,
        0x3c6d704d1bfdb6e8,
        0xbc2ef5d367441946,
        0xbc587d054f689d7a,
    ];
    /// 32/pi.
    const INV_PIO32: f64 = f64::from_bits(0x40245f306dc9c883);
    /// Largest |x| of the kernel: j pi/32 with |j| < 2^20.
    const LIMIT: f64 = 65536.0;

    /// The tables rotated by 8: entry (J + 8) mod 16 holds tan(J pi/32), J in [-8, 8), so that the
    /// index and the quadrant's parity come from the same integer j + 8.
    const fn rotated(t: &[u64; 16]) -> [u64; 16] {
        let mut out = [0u64; 16];
        let mut i = 0;
        while i < 16 {
            out[(i + 8) % 16] = t[i];
            i += 1;
        }
        out
    }

    /// tan of 8 lanes, |x| <= 2^16 (the caller redoes the others).
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    fn tan8(x: __m512d, th: Table16, tl: Table16) -> __m512d {
        use super::c64::{C1, C2, C3, C4, SHIFT};
        let set = |v: f64| _mm512_set1_pd(v);
        let sixteenth = 0.0625;
        // z's low bits are j + 8 (SHIFT + 8 is exact).
        let z = _mm512_fmadd_pd(x, set(INV_PIO32), set(SHIFT + 8.0));
        let k = _mm512_sub_pd(z, set(SHIFT + 8.0));
        // x - k C1 - k C2 exact; - k C3 by TwoSum; - k C4 with the TwoSum's error; normalised.
        let a = _mm512_fnmadd_pd(k, set(C1 * sixteenth), x);
        let b = _mm512_fnmadd_pd(k, set(C2 * sixteenth), a);
        let m3 = _mm512_mul_pd(k, set(-C3 * sixteenth));
        let (c, ec) = two_sum8(b, m3);
        let tail = _mm512_fnmadd_pd(k, set(C4 * sixteenth), ec);
        let (sh, sl) = fast_two_sum8(c, tail);
        // The low bits of z are j + 8: entry (j + 8) mod 16 of the rotated tables; the quadrant
        // q is odd where bit 4 of j + 8 is set.
        let zb = _mm512_castpd_si512(z);
        let t_hi = lookup16(th, zb);
        let t_lo = lookup16(tl, zb);
        let odd = _mm512_test_epi64_mask(zb, _mm512_set1_epi64(16));
        // u = tan s = sh + ul.
        let c_ = |i: usize| set(f64::from_bits(P[i]));
        let s2 = _mm512_mul_pd(sh, sh);
        let s4 = _mm512_mul_pd(s2, s2);
        let p01 = _mm512_fmadd_pd(c_(1), s2, c_(0));
        let p23 = _mm512_fmadd_pd(c_(3), s2, c_(2));
        let poly = _mm512_fmadd_pd(_mm512_fmadd_pd(c_(4), s4, p23), s4, p01);
        let ul = _mm512_fmadd_pd(_mm512_mul_pd(s2, sh), poly, sl);
        // Normalised (ul reaches 2^-12 of sh), so that the low parts of N and D below stay small
        // enough for the approximate reciprocal of the last correction.
        let (sh, ul) = fast_two_sum8(sh, ul);
        // N = T + u, D = 1 - T u, each as a pair.
        let (nh, ne) = fast_two_sum8(t_hi, sh);
        let nl = _mm512_add_pd(ne, _mm512_add_pd(t_lo, ul));
        // dh = 1 - T_hi sh rounded once; its error by a second FMA on 1 - dh (exact: dh is near
        // 1), rounded at 2^-53 of itself.
        let one = set(1.0);
        let dh = _mm512_fnmadd_pd(t_hi, sh, one);
        let de = _mm512_fnmadd_pd(t_hi, sh, _mm512_sub_pd(one, dh));
        let dl = _mm512_sub_pd(de, _mm512_fmadd_pd(t_hi, ul, _mm512_mul_pd(t_lo, sh)));
        // Odd q: -D / N.
        let zero = _mm512_setzero_pd();
        let num_h = _mm512_mask_sub_pd(nh, odd, zero, dh);
        let num_l = _mm512_mask_sub_pd(nl, odd, zero, dl);
        let den_h = _mm512_mask_mov_pd(dh, odd, nh);
        let den_l = _mm512_mask_mov_pd(dl, odd, nl);
        let q0 = _mm512_div_pd(num_h, den_h);
        let res = _mm512_fnmadd_pd(q0, den_h, num_h);
        let res = _mm512_fnmadd_pd(q0, den_l, _mm512_add_pd(res, num_l));
        let q = _mm512_fmadd_pd(res, _mm512_rcp14_pd(den_h), q0);
        // tan(+-0) = +-0.
        _mm512_mask_mov_pd(q, _mm512_cmp_pd_mask::<_CMP_EQ_OQ>(x, zero), x)
    }

    /// `tan32` on 8 float64 lanes: the same operations, so the same results.
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    fn tan32x8(x: __m512d) -> __m512d {
        use super::c64::*;
        let set = _mm512_set1_pd;
        let shift = set(SHIFT);
        let z = _mm512_fmadd_pd(x, set(INV_PIO2), shift);
        let k = _mm512_sub_pd(z, shift);
        let r = _mm512_fnmadd_pd(k, set(PIO2_LO), _mm512_fnmadd_pd(k, set(PIO2_HI), x));
        let s = _mm512_mul_pd(r, r);
        let p = _mm512_fmadd_pd(set(TAN32_P[2]), s, set(TAN32_P[1]));
        let n = _mm512_mul_pd(r, _mm512_fmadd_pd(p, s, set(TAN32_P[0])));
        let q = _mm512_fmadd_pd(set(TAN32_Q[1]), s, set(TAN32_Q[0]));
        let d = _mm512_fmadd_pd(q, s, set(1.0));
        // Odd k (the low bit of z): -d / n.
        let odd = _mm512_test_epi64_mask(_mm512_castpd_si512(z), _mm512_set1_epi64(1));
        let num = _mm512_mask_sub_pd(n, odd, _mm512_setzero_pd(), d);
        let den = _mm512_mask_mov_pd(d, odd, n);
        _mm512_div_pd(num, den)
    }

    /// sin r = r + r^3 p(r^2) on |r| <= pi/2, p of degree 5 (`scripts/sollya/sin.sollya`, relative
    /// error 2^-41.7).
    pub(super) const S32_PI: [u64; 6] = [
        0xbfc555555555491d,
        0x3f81111110fb2aae,
        0xbf2a01a0006c8220,
        0x3ec71dd8acb46803,
        0xbe5ae200e395be2e,
        0x3de54d89b27b9211,
    ];

    /// sin (`COS` false) or cos of 8 float32 inputs widened to float64, |x| <= 2^20, by one
    /// polynomial: x = m pi/2 + r with m even for sin (k = m/2 = round(x / pi)) and odd for cos
    /// (m/2 = floor(x / pi) + 1/2, from the rounded quotient: r may pass pi/2 by an ULP-sized
    /// amount), r by `tan32`'s two FMAs with pi/2 as a double-double scaled by m (relative error
    /// below 2^-52: |r| > 2^-28 for every such float32), then sin x = (-1)^k sin r and
    /// cos x = (-1)^(k+1) sin r. Relative error about 2^-41 before the rounding to float32. A
    /// reduction by pi/2 needed the sin and the cos polynomial and a select: 7 more operations.
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    fn sincos32x8<const COS: bool>(x: __m512d) -> __m512d {
        use super::c64::*;
        let set = _mm512_set1_pd;
        let inv_pi = set(INV_PIO2 * 0.5);
        // h = m / 2 and z, whose low bit is the parity of k.
        let (h, z) = if COS {
            let kf = _mm512_roundscale_pd::<{ _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC }>(
                _mm512_mul_pd(x, inv_pi),
            );
            (_mm512_add_pd(kf, set(0.5)), _mm512_add_pd(kf, set(SHIFT)))
        } else {
            let z = _mm512_fmadd_pd(x, inv_pi, set(SHIFT));
            (_mm512_sub_pd(z, set(SHIFT)), z)
        };
        // h (2 PIO2_HI) = m PIO2_HI exactly: the products are those of the reduction by pi/2.
        let r = _mm512_fnmadd_pd(
            h,
            set(2.0 * PIO2_LO),
            _mm512_fnmadd_pd(h, set(2.0 * PIO2_HI), x),
        );
        let r2 = _mm512_mul_pd(r, r);
        let c = |i: usize| set(f64::from_bits(S32_PI[i]));
        let mut p = c(5);
        for i in (0..5).rev() {
            p = _mm512_fmadd_pd(p, r2, c(i));
        }
        let y = _mm512_fmadd_pd(_mm512_mul_pd(r, r2), p, r);
        // The sign: bit 0 of z moved to bit 63, and for cos one more flip.
        let flip = _mm512_slli_epi64::<63>(_mm512_castpd_si512(z));
        let y = _mm512_castpd_si512(y);
        _mm512_castsi512_pd(if COS {
            // 0x96: a ^ b ^ c.
            _mm512_ternarylogic_epi64::<0x96>(y, flip, _mm512_set1_epi64(i64::MIN))
        } else {
            _mm512_xor_si512(y, flip)
        })
    }

    /// `dst = sin(src)` (`COS` false) or `cos(src)` in float32 (two halves of 8 float64 lanes),
    /// inputs outside `[lo, hi]` (huge, inf, NaN) again one by one; whether every input lies in
    /// `[lo, hi]`. sin(+-0) = +-0 by a select (the polynomial gives +0 for both).
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(super) fn sincos32<const COS: bool>(
        src: &[f32],
        dst: &mut [f32],
        lo: f32,
        hi: f32,
    ) -> bool {
        let slow = |x: f32| {
            if COS {
                <super::Cos as super::Unary<f32>>::eval::<true>(x)
            } else {
                <super::Sin as super::Unary<f32>>::eval::<true>(x)
            }
        };
        map16_redo(
            src,
            dst,
            lo,
            hi,
            |x| {
                let y = in_f64_halves(x, |h| sincos32x8::<COS>(h));
                if COS {
                    y
                } else {
                    let zero = _mm512_cmp_ps_mask::<_CMP_EQ_OQ>(x, _mm512_setzero_ps());
                    _mm512_mask_mov_ps(y, zero, x)
                }
            },
            slow,
        )
    }

    /// `dst = tan(src)` in float32 (`tan32`, in two halves of 8 float64 lanes), inputs outside
    /// `[lo, hi]` (the fast range) again one by one; whether every input lies in `[lo, hi]`.
    /// tan(+-0) = +-0 by the arithmetic (r = x, n = r P).
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(super) fn tan32(src: &[f32], dst: &mut [f32], lo: f32, hi: f32) -> bool {
        map16_redo(
            src,
            dst,
            lo,
            hi,
            |x| in_f64_halves(x, |h| tan32x8(h)),
            <super::Tan as super::Unary<f32>>::eval::<true>,
        )
    }

    /// `dst = tan(src)` in float64, inputs beyond [`tan8`]'s range (|x| > 2^16, inf, NaN) again
    /// one by one; whether every input lies in that range (the loop then adds up the status of the
    /// others: none for finite x, so a block of large arguments costs only that).
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(super) fn tan64(src: &[f64], dst: &mut [f64]) -> bool {
        let (th, tl) = (table16(&rotated(&T_HI)), table16(&rotated(&T_LO)));
        map8_redo_range(
            src,
            dst,
            -LIMIT,
            LIMIT,
            |x| tan8(x, th, tl),
            <super::Tan as super::Unary<f64>>::eval::<true>,
        )
    }
}

/// float32 sin, cos and tan of the AVX2 level: the AVX-512 kernels (`avx512::sincos32x8`,
/// `avx512::tan32x8`, in float64) on halves of 4 lanes; the same results.
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::super::simd256::map8s_redo;
    use super::avx512::S32_PI;
    use std::arch::x86_64::*;

    /// See `avx512::sincos32x8`.
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    fn sincos32x4<const COS: bool>(x: __m256d) -> __m256d {
        use super::c64::*;
        let set = _mm256_set1_pd;
        let inv_pi = set(INV_PIO2 * 0.5);
        // h = m / 2 and z, whose low bit is the parity of k.
        let (h, z) = if COS {
            let kf = _mm256_floor_pd(_mm256_mul_pd(x, inv_pi));
            (_mm256_add_pd(kf, set(0.5)), _mm256_add_pd(kf, set(SHIFT)))
        } else {
            let z = _mm256_fmadd_pd(x, inv_pi, set(SHIFT));
            (_mm256_sub_pd(z, set(SHIFT)), z)
        };
        let r = _mm256_fnmadd_pd(
            h,
            set(2.0 * PIO2_LO),
            _mm256_fnmadd_pd(h, set(2.0 * PIO2_HI), x),
        );
        let r2 = _mm256_mul_pd(r, r);
        let c = |i: usize| set(f64::from_bits(S32_PI[i]));
        let mut p = c(5);
        for i in (0..5).rev() {
            p = _mm256_fmadd_pd(p, r2, c(i));
        }
        let y = _mm256_fmadd_pd(_mm256_mul_pd(r, r2), p, r);
        // The sign: bit 0 of z moved to bit 63, and for cos one more flip.
        let flip = _mm256_castsi256_pd(_mm256_slli_epi64::<63>(_mm256_castpd_si256(z)));
        let y = _mm256_xor_pd(y, flip);
        if COS {
            _mm256_xor_pd(y, set(-0.0))
        } else {
            y
        }
    }

    /// `tan32` on 4 float64 lanes (`avx512::tan32x8`): the same operations, so the same results.
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    fn tan32x4(x: __m256d) -> __m256d {
        use super::c64::*;
        let set = _mm256_set1_pd;
        let shift = set(SHIFT);
        let z = _mm256_fmadd_pd(x, set(INV_PIO2), shift);
        let k = _mm256_sub_pd(z, shift);
        let r = _mm256_fnmadd_pd(k, set(PIO2_LO), _mm256_fnmadd_pd(k, set(PIO2_HI), x));
        let s = _mm256_mul_pd(r, r);
        let p = _mm256_fmadd_pd(set(TAN32_P[2]), s, set(TAN32_P[1]));
        let n = _mm256_mul_pd(r, _mm256_fmadd_pd(p, s, set(TAN32_P[0])));
        let q = _mm256_fmadd_pd(set(TAN32_Q[1]), s, set(TAN32_Q[0]));
        let d = _mm256_fmadd_pd(q, s, set(1.0));
        // Odd k (the low bit of z): -d / n.
        let odd = _mm256_castsi256_pd(_mm256_cmpeq_epi64(
            _mm256_and_si256(_mm256_castpd_si256(z), _mm256_set1_epi64x(1)),
            _mm256_set1_epi64x(1),
        ));
        let num = _mm256_blendv_pd(n, _mm256_sub_pd(_mm256_setzero_pd(), d), odd);
        let den = _mm256_blendv_pd(d, n, odd);
        _mm256_div_pd(num, den)
    }

    /// `dst = tan(src)` in float32 (`tan32x4` on two halves), inputs outside `[lo, hi]` again one
    /// by one; whether every input lies in `[lo, hi]`. tan(+-0) = +-0 by the arithmetic.
    #[target_feature(enable = "avx2,fma")]
    pub(super) fn tan32(src: &[f32], dst: &mut [f32], lo: f32, hi: f32) -> bool {
        map8s_redo(
            src,
            dst,
            lo,
            hi,
            |x| {
                let low = tan32x4(_mm256_cvtps_pd(_mm256_castps256_ps128(x)));
                let high = tan32x4(_mm256_cvtps_pd(_mm256_extractf128_ps::<1>(x)));
                _mm256_set_m128(_mm256_cvtpd_ps(high), _mm256_cvtpd_ps(low))
            },
            <super::Tan as super::Unary<f32>>::eval::<true>,
        )
    }

    /// `dst = sin(src)` (`COS` false) or `cos(src)` in float32 (two halves of 4 float64 lanes),
    /// inputs outside `[lo, hi]` (huge, inf, NaN) again one by one; whether every input lies in
    /// `[lo, hi]`. sin(+-0) = +-0 by a select (the polynomial gives +0 for both).
    #[target_feature(enable = "avx2,fma")]
    pub(super) fn sincos32<const COS: bool>(
        src: &[f32],
        dst: &mut [f32],
        lo: f32,
        hi: f32,
    ) -> bool {
        let slow = |x: f32| {
            if COS {
                <super::Cos as super::Unary<f32>>::eval::<true>(x)
            } else {
                <super::Sin as super::Unary<f32>>::eval::<true>(x)
            }
        };
        map8s_redo(
            src,
            dst,
            lo,
            hi,
            |x| {
                let low = sincos32x4::<COS>(_mm256_cvtps_pd(_mm256_castps256_ps128(x)));
                let high = sincos32x4::<COS>(_mm256_cvtps_pd(_mm256_extractf128_ps::<1>(x)));
                let y = _mm256_set_m128(_mm256_cvtpd_ps(high), _mm256_cvtpd_ps(low));
                if COS {
                    y
                } else {
                    let zero = _mm256_cmp_ps::<_CMP_EQ_OQ>(x, _mm256_setzero_ps());
                    _mm256_blendv_ps(y, x, zero)
                }
            },
            slow,
        )
    }
}

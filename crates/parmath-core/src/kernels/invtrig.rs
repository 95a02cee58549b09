//! Kernels of the invtrig family: arcsin, arccos, arctan, arctan2.
//!
//! Each kernel's doc comment gives its domain, error bound and method. The float64 kernels reduce the
//! argument exactly or with a correction term (the rounding error of a division or a square root),
//! evaluate a minimax polynomial (`scripts/sollya/atan.sollya`, `scripts/sollya/asin.sollya`) and add
//! a multiple of pi/4 held as a double-double (hi + lo, Fast2Sum), so that only the last addition
//! rounds at full size (the classic scheme of Muller, "Elementary Functions", ch. 11 and of Markstein,
//! "IA-64 and Elementary Functions"). The float32 kernels widen exactly to float64, evaluate shorter
//! float64 polynomials and round once.

use super::{first_nan, flag, fma64, Binary, Unary};
use crate::fpstatus::{INVALID, UNDERFLOW};

mod c64 {
    pub const PIO2_HI: f64 = f64::from_bits(0x3ff921fb54442d18);
    pub const PIO2_LO: f64 = f64::from_bits(0x3c91a62633145c07);
    pub const PIO4_HI: f64 = f64::from_bits(0x3fe921fb54442d18);
    pub const PIO4_LO: f64 = f64::from_bits(0x3c81a62633145c07);
    /// tan(3pi/8) = 1 + sqrt(2), where the middle arctan range ends.
    pub const TAN3PIO8: f64 = 2.414213562373095;
    /// 2^1000 and 2^-600: arctan2 scales pairs with a larger den down.
    pub const HUGE: f64 = f64::from_bits(0x7e70000000000000);
    pub const DOWN: f64 = f64::from_bits(0x1a70000000000000);
    pub const PI_HI: f64 = f64::from_bits(0x400921fb54442d18);
    pub const PI_LO: f64 = f64::from_bits(0x3ca1a62633145c07);
    /// 2^100: atan(x) rounds to pi/2 above it, and 1/x stays normal.
    pub const BIG: f64 = f64::from_bits(0x4630000000000000);
    /// 2^-900, 2^600 and 2^300: arctan2 scales pairs with a smaller num up so that the division's residual is exact.
    pub const TINY: f64 = f64::from_bits(0x07b0000000000000);
    pub const UP: f64 = f64::from_bits(0x6570000000000000);
    pub const TWO300: f64 = f64::from_bits(0x52b0000000000000);
    /// atan(t) = t + t s P(s), s = t^2, |t| <= 1/2 (`atan.sollya`, relative error of P 2^-54).
    pub const ATAN: [f64; 13] = [
        f64::from_bits(0xbfd5555555555555),
        f64::from_bits(0x3fc999999999980a),
        f64::from_bits(0xbfc2492492481d4c),
        f64::from_bits(0x3fbc71c71bd5548a),
        f64::from_bits(0xbfb745d15ab2c500),
        f64::from_bits(0x3fb3b1387beaedf3),
        f64::from_bits(0xbfb110e5048299a1),
        f64::from_bits(0x3fae1a203e4af2dc),
        f64::from_bits(0xbfaad23c9d17ab48),
        f64::from_bits(0x3fa7aa00b0940fff),
        f64::from_bits(0xbfa3696a79df3739),
        f64::from_bits(0x3f996179c413c69b),
        f64::from_bits(0xbf8296425a914adc),
    ];
    /// The float32 kernels' atan polynomial (relative error of P 2^-29.7).
    pub const ATAN_F32: [f64; 11] = [
        f64::from_bits(0xbfd5555554f146f0),
        f64::from_bits(0x3fc99998d7ab9560),
        f64::from_bits(0xbfc249052d3c9574),
        f64::from_bits(0x3fbc6dc2a8bcb245),
        f64::from_bits(0xbfb72375af325ec9),
        f64::from_bits(0x3fb3014d239546cd),
        f64::from_bits(0xbfad915042640218),
        f64::from_bits(0x3fa3b9767ac1d90e),
        f64::from_bits(0xbf93e4793aec7ffe),
        f64::from_bits(0x3f79bd553a21d8e5),
        f64::from_bits(0xbf4f2dcf1754b48b),
    ];
    /// asin(u) = u + u z P(z), z = u^2, u in [0, 1/2] (`asin.sollya`, relative error of P 2^-53).
    pub const ASIN: [f64; 13] = [
        f64::from_bits(0x3fc5555555555556),
        f64::from_bits(0x3fb3333333332dcd),
        f64::from_bits(0x3fa6db6db6e4397c),
        f64::from_bits(0x3f9f1c71c14da09c),
        f64::from_bits(0x3f96e8bb2fe2329a),
        f64::from_bits(0x3f91c4d1bf9d28ba),
        f64::from_bits(0x3f8c9d1cecf332dd),
        f64::from_bits(0x3f8780cd7fa32c2c),
        f64::from_bits(0x3f852df0d2513b5c),
        f64::from_bits(0x3f760a47d90796c8),
        f64::from_bits(0x3f9205df5d5ae1ea),
        f64::from_bits(0xbf8f07d84dfcd2db),
        f64::from_bits(0x3f9da67301f78fde),
    ];
    /// The float32 kernels' asin polynomial (relative error of P 2^-25.5).
    pub const ASIN_F32: [f64; 6] = [
        f64::from_bits(0x3fc555554dd86666),
        f64::from_bits(0x3fb33343bac79ade),
        f64::from_bits(0x3fa6d5902b133c36),
        f64::from_bits(0x3f9fdcb1d2e0609d),
        f64::from_bits(0x3f917dda34d79780),
        f64::from_bits(0x3fa14e3255728fc3),
    ];
}

/// Horner's scheme (one chain: the alternating atan series cancels badly when split into even and
/// odd parts near s = 1; the loops have many independent lanes to overlap).
#[inline(always)]
fn poly<const FMA: bool, const N: usize>(c: &[f64; N], x: f64) -> f64 {
    let mut p = c[N - 1];
    let mut i = N - 1;
    while i > 0 {
        i -= 1;
        p = fma64::<FMA>(p, x, c[i]);
    }
    p
}

/// `a * b - p` exactly (for p the rounded product): one fused operation, or Dekker's product with
/// both factors split by masking (26 + 27 bits) where there is no FMA. Finite inputs, no overflow.
#[inline(always)]
fn prod_err<const FMA: bool>(a: f64, b: f64, p: f64) -> f64 {
    if FMA {
        a.mul_add(b, -p)
    } else {
        const MASK: u64 = 0xffff_ffff_f800_0000;
        let ah = f64::from_bits(a.to_bits() & MASK);
        let bh = f64::from_bits(b.to_bits() & MASK);
        let (al, bl) = (a - ah, b - bh);
        ((ah * bh - p) + ah * bl + al * bh) + al * bl
    }
}

/// `A + m (t + x y + small)` with A = a_hi + a_lo, |m t| <= |a_hi| (or a_hi = 0) and m a power of
/// two times +-1: the sum a_hi + m t is split exactly (Fast2Sum) and the product x y, the largest
/// correction, is fused with the small terms, so that one rounding happens at the size of x y and
/// one at the result's (two at x y's without FMA).
#[inline(always)]
fn combine<const FMA: bool>(
    a_hi: f64,
    a_lo: f64,
    m: f64,
    t: f64,
    xy: (f64, f64),
    small: f64,
) -> f64 {
    let mt = m * t;
    let hi = a_hi + mt;
    let lo = (a_hi - hi) + mt;
    hi + fma64::<FMA>(m * xy.0, xy.1, fma64::<false>(m, small, lo + a_lo))
}

/// atan(t + t_lo) - t for t in [0, 1] and |t_lo| <= ulp(t), as a product and a small term:
/// t^3 P(t^2) + t_lo / (1 + t^2), the last factor approximated by 1 - s + s^2/2 (relative error
/// below 7% of a term below 2^-53 t). The tail reaches 27% of the result near t = 1, so t^3 and P's
/// leading sum -1/3 + s Q(s) are kept as double-doubles, and the product of their high parts is left
/// to `combine` to fuse.
#[inline(always)]
fn atan_tail<const FMA: bool>(t: f64, t_lo: f64) -> ((f64, f64), f64) {
    use c64::ATAN;
    let s = t * t;
    let s_lo = prod_err::<FMA>(t, t, s);
    let t3 = t * s;
    let t3_lo = fma64::<FMA>(t, s_lo, prod_err::<FMA>(t, s, t3));
    let mut q = ATAN[ATAN.len() - 1];
    for &c in ATAN[1..ATAN.len() - 1].iter().rev() {
        q = fma64::<FMA>(q, s, c);
    }
    let sq = s * q;
    let p_hi = ATAN[0] + sq;
    let p_lo = (ATAN[0] - p_hi) + sq;
    let d = fma64::<FMA>(s, fma64::<FMA>(s, 0.5, -1.0), 1.0);
    let small = fma64::<FMA>(t3_lo, p_hi, fma64::<FMA>(t3, p_lo, t_lo * d));
    ((t3, p_hi), small)
}

/// num / (den_hi + den_lo) as t + t_lo: one division (for 1/den_hi), and the residual
/// num - t den_hi exact, so that t + t_lo is the quotient to about 2^-104 relative even though t is
/// not the rounded quotient. num - t den_hi is exact by Sterbenz's lemma.
#[inline(always)]
fn ratio<const FMA: bool>(num: f64, den_hi: f64, den_lo: f64) -> (f64, f64) {
    let inv = 1.0 / den_hi;
    let t = num * inv;
    let p = t * den_hi;
    let res = fma64::<FMA>(-t, den_lo, (num - p) - prod_err::<FMA>(t, den_hi, p));
    (t, res * inv)
}

/// `if c { a } else { b }` by bit masks: a data select the compiler will not turn into control flow.
#[inline(always)]
fn bitsel(c: bool, a: f64, b: f64) -> f64 {
    let m = u64::from(c).wrapping_neg();
    f64::from_bits((a.to_bits() & m) | (b.to_bits() & !m))
}

/// atan(a) for a >= 0 (or NaN, which it returns as NaN).
#[inline(always)]
fn atan_pos64<const FMA: bool>(a: f64) -> f64 {
    use c64::*;
    // Three ranges, one division: [0, 1/2): t = a; [1/2, tan(3pi/8)]: pi/4 + atan((a - 1)/(a + 1))
    // (a - 1 exact there, a + 1 split exactly); above: pi/2 + atan(-1/a), a clamped to 2^100 so that
    // infinities stay finite (NaN passes).
    let mid = a >= 0.5;
    let high = a > TAN3PIO8;
    let ac = if a > BIG { BIG } else { a };
    let sum = a + 1.0;
    let sum_lo = if a >= 1.0 {
        (a - sum) + 1.0
    } else {
        (1.0 - sum) + a
    };
    // Bit selects: with `if`, the compiler evaluated the quotient and the polynomial once per branch.
    let num = bitsel(high, -1.0, bitsel(mid, a - 1.0, a));
    let den_hi = bitsel(high, ac, bitsel(mid, sum, 1.0));
    let den_lo = bitsel(mid && !high, sum_lo, 0.0);
    let (t, t_lo) = ratio::<FMA>(num, den_hi, den_lo);
    let (xy, small) = atan_tail::<FMA>(t, t_lo);
    let c_hi = bitsel(high, PIO2_HI, bitsel(mid, PIO4_HI, 0.0));
    let c_lo = bitsel(high, PIO2_LO, bitsel(mid, PIO4_LO, 0.0));
    combine::<FMA>(c_hi, c_lo, 1.0, t, xy, small)
}

/// `arctan(x)`, the inverse tangent, in (-pi/2, pi/2).
///
/// Domain: all floats. arctan(+-0) = +-0, arctan(+-inf) = +-pi/2 (rounded), subnormals give
/// themselves; NaN gives NaN. Raises nothing (as NumPy).
///
/// Method (float64): a = |x| in three ranges, as one select and one division: [0, 1/2): t = a;
/// [1/2, tan(3pi/8)]: atan(a) = pi/4 + atan((a - 1)/(a + 1)); above: pi/2 + atan(-1/a) (the
/// addition formula of the arctangent, Muller, "Elementary Functions", ch. 11). The quotient is
/// carried as t + t_lo through its exact residual (FMA or Dekker's product), |t| <= 1/2, and
/// atan(t) = t + t^3 P(t^2) with P a degree-12 minimax polynomial (`scripts/sollya/atan.sollya`),
/// t^3 and P's leading sum kept as double-doubles; pi/4 and pi/2 as double-doubles, so that only
/// the last addition rounds at full size. float32: in float32 arithmetic (`atan32`), the same
/// reductions plus atan(1/2) + atan((a - 1/2)/(1 + a/2)) on [1/4, 1/2), and a degree-6 polynomial.
///
/// At the AVX-512 level float64 runs `avx512::atan8`: a (or 1/a, never computed: one division a
/// lane) reduced by c = j/8 from a 16-entry table of atan(j/8) and pi/2 - atan(j/8), |t| <= 1/15,
/// P of degree 4 (`scripts/sollya/atan_table.sollya`).
///
/// Error bound: 1 ULP. Measured maxima (against mpmath, `tests/test_accuracy.py` inputs): float64
/// 0.53 ULP (generic, no FMA) and 0.52 ULP (AVX2), 0.504 ULP at AVX-512 (99.987% of the
/// `tests/accuracy.rs` inputs correctly rounded); float32 (every input) 0.578 ULP (generic, no
/// FMA), 0.571 ULP (AVX2, AVX-512).
#[derive(Debug)]
pub struct Arctan;

impl Unary<f64> for Arctan {
    const NO_CONDITIONS: bool = true;
    const FAST_MIN: f64 = f64::NEG_INFINITY;
    const FAST_MAX: f64 = f64::INFINITY;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f64) -> f64 {
        atan_pos64::<FMA>(x.abs()).copysign(x)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f64) -> f64 {
        Self::eval::<FMA>(x)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f64], dst: &mut [f64]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX-512F/DQ exist.
        Some(unsafe { avx512::atan64(src, dst) })
    }

    #[inline(always)]
    fn status(_x: f64, _y: f64) -> u8 {
        0
    }
}

/// The float32 arctan's atan(t) = t (1 + W(s)), s = t^2 <= 1/4, W of degree 6 with float32
/// coefficients (`atan.sollya`, absolute error of W 2^-31.9).
const ATAN32: [f32; 6] = [
    f32::from_bits(0xbeaaaaa9),
    f32::from_bits(0x3e4ccba4),
    f32::from_bits(0xbe12284f),
    f32::from_bits(0x3de03d53),
    f32::from_bits(0xbda4173f),
    f32::from_bits(0x3d201acb),
];

/// arctan(x) in float32 arithmetic (16 lanes per AVX-512 register, twice float64's): a = |x| in four
/// ranges, t + t_lo = num / (den_hi + den_lo) by one division and its residual (an FMA, or exact
/// float64 products where there is none), |t| <= 1/2 (below 1/4 where c = 0), W in float32, and
/// atan(c) as a float32 pair: c_hi + t split exactly (Fast2Sum), all else summed as a correction.
#[inline(always)]
fn atan32<const FMA: bool>(x: f32) -> f32 {
    use super::fma32;
    // 2^40: 1/a stays normal, and atan(a) rounds to pi/2 above 2^26.
    const BIG32: f32 = f32::from_bits(0x53800000);
    const TAN3PIO8: f32 = 2.414_213_5;
    const PIO4: (f32, f32) = (f32::from_bits(0x3f490fdb), f32::from_bits(0xb2bbbd2e));
    const PIO2: (f32, f32) = (f32::from_bits(0x3fc90fdb), f32::from_bits(0xb33bbd2e));
    const ATAN_HALF: (f32, f32) = (f32::from_bits(0x3eed6338), f32::from_bits(0x31ac376a));
    let a = x.abs();
    let quarter = a >= 0.25;
    let mid = a >= 0.5;
    let high = a > TAN3PIO8;
    let ac = if a > BIG32 { BIG32 } else { a };
    // atan(a) = atan(c) + atan((a - c) / (1 + a c)), c = 1/2 on [1/4, 1/2), c = 1 on
    // [1/2, tan(3pi/8)]: a - c is exact there (Sterbenz), a c too, and 1 + a c = sum + sum_lo
    // exactly (Fast2Sum on the larger first).
    let c = if mid { 1.0 } else { 0.5 };
    let prod = a * c;
    let sum = 1.0 + prod;
    let sum_lo = (prod.max(1.0) - sum) + prod.min(1.0);
    let (num, den_hi, den_lo) = if high {
        (-1.0, ac, 0.0)
    } else if quarter {
        (a - c, sum, sum_lo)
    } else {
        (a, 1.0, 0.0)
    };
    let r = 1.0 / den_hi;
    let t = num * r;
    let e = if FMA {
        fma32::<true>(-t, den_lo, fma32::<true>(-t, den_hi, num))
    } else {
        let t64 = f64::from(t);
        (f64::from(num) - t64 * f64::from(den_hi) - t64 * f64::from(den_lo)) as f32
    };
    let s = t * t;
    // atan(t + t_lo) = atan(t) + t_lo / (1 + s) + O(t_lo^2), t_lo = e r.
    let t_lo = (e * r) * (1.0 - s);
    let mut q = ATAN32[5];
    for &c in ATAN32[..5].iter().rev() {
        q = fma32::<FMA>(q, s, c);
    }
    let w = s * q;
    let (c_hi, c_lo) = if high {
        PIO2
    } else if mid {
        PIO4
    } else if quarter {
        ATAN_HALF
    } else {
        (0.0, 0.0)
    };
    let hi = c_hi + t;
    let lo = (c_hi - hi) + t;
    let y = hi + (fma32::<FMA>(t, w, t_lo) + (lo + c_lo));
    y.copysign(x)
}

impl Unary<f32> for Arctan {
    const NO_CONDITIONS: bool = true;
    const FAST_MIN: f32 = f32::NEG_INFINITY;
    const FAST_MAX: f32 = f32::INFINITY;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f32) -> f32 {
        atan32::<FMA>(x)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f32) -> f32 {
        Self::eval::<FMA>(x)
    }

    #[inline(always)]
    fn status(_x: f32, _y: f32) -> u8 {
        0
    }
}

/// The reduced asin argument for a = |x| in [0, 1]: (u, u_lo, (v, w), outer) with
/// asin(u + u_lo) = u + u_lo + v w, and `outer` true where a > 1/2, so that
/// asin(a) = pi/2 - 2 asin(u + u_lo), u + u_lo = sqrt((1 - a) / 2) (u_lo the square root's rounding
/// error, from the exact residual); else u = a, u_lo = 0.
#[inline(always)]
fn asin_reduce64<const FMA: bool>(a: f64) -> (f64, f64, (f64, f64), bool) {
    let outer = a > 0.5;
    let zo = (1.0 - a) * 0.5; // exact for a in [1/2, 1]
    let z = if outer { zo } else { a * a };
    let u = if outer { zo.sqrt() } else { a };
    let p = u * u;
    let res = (zo - p) - prod_err::<FMA>(u, u, p);
    let den = if zo > 0.0 { u + u } else { 1.0 };
    let u_lo = if outer { res / den } else { 0.0 };
    let tail = (u * z, poly::<FMA, 13>(&c64::ASIN, z));
    (u, u_lo, tail, outer)
}

/// The float32 kernels' reduction in float64: (asin(u), outer) as in `asin_reduce64`.
#[inline(always)]
fn asin_reduce_f32<const FMA: bool>(a: f64) -> (f64, bool) {
    let outer = a > 0.5;
    let z = if outer { (1.0 - a) * 0.5 } else { a * a };
    let u = if outer { z.sqrt() } else { a };
    (
        fma64::<FMA>(u * z, poly::<FMA, 6>(&c64::ASIN_F32, z), u),
        outer,
    )
}

/// `arcsin(x)`, the inverse sine, in [-pi/2, pi/2].
///
/// Domain: [-1, 1]; arcsin(+-0) = +-0, arcsin(+-1) = +-pi/2 (rounded), subnormals give themselves;
/// |x| > 1 (infinities included) gives NaN with an invalid error; NaN gives NaN.
///
/// Method: for |x| <= 1/2, asin(x) = x + x^3 P(x^2) with P a degree-12 minimax polynomial
/// (`scripts/sollya/asin.sollya`); above, asin(|x|) = pi/2 - 2 asin(sqrt((1 - |x|)/2)) (the
/// half-angle identity, Abramowitz & Stegun 4.4.32), the square root corrected by its exact
/// residual and pi/2 a double-double. float32: the same in float64 with a degree-5 polynomial.
/// At the AVX-512 level float64 runs `avx512::asin64`, the same with the residual scaled by
/// `vrcp14pd` instead of divided (one core 2.1 -> 1.6 ns/item, NumPy 1.9).
///
/// Error bound: 1 ULP. Measured maxima (against mpmath, `tests/test_accuracy.py` inputs): float64
/// 0.59 ULP (generic, no FMA) and 0.58 ULP (AVX2, AVX-512); float32 (every input) 0.516 ULP
/// (generic), 0.633 ULP (AVX-512 and AVX2: `avx512`, `avx2`, float32 arithmetic, 1.8x and 2.0x
/// faster).
#[derive(Debug)]
pub struct Arcsin;

#[inline(always)]
fn asin64<const FMA: bool>(x: f64) -> f64 {
    use c64::*;
    let (u, u_lo, tail, outer) = asin_reduce64::<FMA>(x.abs());
    let (a_hi, a_lo, m) = if outer {
        (PIO2_HI, PIO2_LO, -2.0)
    } else {
        (0.0, 0.0, 1.0)
    };
    combine::<FMA>(a_hi, a_lo, m, u, tail, u_lo).copysign(x)
}

impl Unary<f64> for Arcsin {
    const FAST_MIN: f64 = -1.0;
    const FAST_MAX: f64 = 1.0;

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f64], dst: &mut [f64]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX-512F/DQ exist.
        Some(unsafe { avx512::asin64(src, dst, Self::FAST_MIN, Self::FAST_MAX) })
    }

    #[inline(always)]
    fn eval<const FMA: bool>(x: f64) -> f64 {
        let r = asin64::<FMA>(x);
        if x.abs() > 1.0 {
            f64::NAN
        } else {
            r
        }
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f64) -> f64 {
        asin64::<FMA>(x)
    }

    #[inline(always)]
    fn status(x: f64, _y: f64) -> u8 {
        flag(x.abs() > 1.0, INVALID)
    }
}

#[inline(always)]
fn asin32<const FMA: bool>(x: f32) -> f32 {
    use c64::*;
    let (r, outer) = asin_reduce_f32::<FMA>(f64::from(x.abs()));
    let r = if outer {
        (PIO2_HI - 2.0 * r) + PIO2_LO
    } else {
        r
    };
    (r as f32).copysign(x)
}

impl Unary<f32> for Arcsin {
    const FAST_MIN: f32 = -1.0;
    const FAST_MAX: f32 = 1.0;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f32) -> f32 {
        let r = asin32::<FMA>(x);
        if x.abs() > 1.0 {
            f32::NAN
        } else {
            r
        }
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f32) -> f32 {
        asin32::<FMA>(x)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX-512F exists.
        Some(unsafe { avx512::asin32(src, dst, Self::FAST_MIN, Self::FAST_MAX) })
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx2(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX2 and FMA exist.
        Some(unsafe { avx2::asin32(src, dst, Self::FAST_MIN, Self::FAST_MAX, Self::eval::<true>) })
    }

    #[inline(always)]
    fn status(x: f32, _y: f32) -> u8 {
        flag(x.abs() > 1.0, INVALID)
    }
}

/// `arccos(x)`, the inverse cosine, in [0, pi].
///
/// Domain: [-1, 1]; arccos(1) = +0, arccos(-1) = pi and arccos(+-0) = pi/2 (rounded); |x| > 1
/// (infinities included) gives NaN with an invalid error; NaN gives NaN.
///
/// Method: the arcsin reduction (`scripts/sollya/asin.sollya`): for |x| <= 1/2,
/// acos(x) = pi/2 - (x + x^3 P(x^2)); for x > 1/2, 2 asin(sqrt((1 - x)/2)); for x < -1/2,
/// pi - 2 asin(sqrt((1 + x)/2)); pi/2 and pi as double-doubles, the square root corrected by its
/// exact residual. float32: the same in float64 with a degree-5 polynomial, one rounding.
/// At the AVX-512 level float64 runs `avx512::acos64`, as arcsin's (2.2 -> 1.5 ns/item, NumPy 1.7).
///
/// Error bound: 1 ULP. Measured maxima (against mpmath, `tests/test_accuracy.py` inputs): float64
/// 0.62 ULP (generic, no FMA) and 0.55 ULP (AVX2, AVX-512); float32 (every input) 0.514 ULP
/// (generic), 0.638 ULP (AVX-512 and AVX2: `avx512`, `avx2`, float32 arithmetic, 2x and 1.9x
/// faster).
#[derive(Debug)]
pub struct Arccos;

#[inline(always)]
fn acos64<const FMA: bool>(x: f64) -> f64 {
    use c64::*;
    let (u, u_lo, tail, outer) = asin_reduce64::<FMA>(x.abs());
    let neg = x < 0.0;
    let (a_hi, a_lo, m) = if !outer {
        (PIO2_HI, PIO2_LO, if neg { 1.0 } else { -1.0 })
    } else if neg {
        (PI_HI, PI_LO, -2.0)
    } else {
        (0.0, 0.0, 2.0)
    };
    combine::<FMA>(a_hi, a_lo, m, u, tail, u_lo)
}

impl Unary<f64> for Arccos {
    const FAST_MIN: f64 = -1.0;
    const FAST_MAX: f64 = 1.0;

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f64], dst: &mut [f64]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX-512F/DQ exist.
        Some(unsafe { avx512::acos64(src, dst, Self::FAST_MIN, Self::FAST_MAX) })
    }

    #[inline(always)]
    fn eval<const FMA: bool>(x: f64) -> f64 {
        let r = acos64::<FMA>(x);
        if x.abs() > 1.0 || x.is_nan() {
            f64::NAN
        } else {
            r
        }
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f64) -> f64 {
        acos64::<FMA>(x)
    }

    #[inline(always)]
    fn status(x: f64, _y: f64) -> u8 {
        flag(x.abs() > 1.0, INVALID)
    }
}

#[inline(always)]
fn acos32<const FMA: bool>(x: f32) -> f32 {
    use c64::*;
    let (r, outer) = asin_reduce_f32::<FMA>(f64::from(x.abs()));
    let neg = x < 0.0;
    let r = if !outer {
        (PIO2_HI - if neg { -r } else { r }) + PIO2_LO
    } else if neg {
        (PI_HI - 2.0 * r) + PI_LO
    } else {
        2.0 * r
    };
    r as f32
}

impl Unary<f32> for Arccos {
    const FAST_MIN: f32 = -1.0;
    const FAST_MAX: f32 = 1.0;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f32) -> f32 {
        let r = acos32::<FMA>(x);
        if x.abs() > 1.0 || x.is_nan() {
            f32::NAN
        } else {
            r
        }
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f32) -> f32 {
        acos32::<FMA>(x)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX-512F exists.
        Some(unsafe { avx512::acos32(src, dst, Self::FAST_MIN, Self::FAST_MAX) })
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx2(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX2 and FMA exist.
        Some(unsafe { avx2::acos32(src, dst, Self::FAST_MIN, Self::FAST_MAX, Self::eval::<true>) })
    }

    #[inline(always)]
    fn status(x: f32, _y: f32) -> u8 {
        flag(x.abs() > 1.0, INVALID)
    }
}

/// `arctan2(y, x)`, the angle of the point (x, y), in [-pi, pi] (NumPy's `arctan2(x1, x2)` with
/// x1 = y).
///
/// Domain: all pairs; the special cases of C99 Annex F: atan2(+-0, +0 or x > 0) = +-0,
/// atan2(+-0, -0 or x < 0) = +-pi, atan2(y != 0, +-0) = +-pi/2, atan2(+-inf, +inf) = +-pi/4,
/// atan2(+-inf, -inf) = +-3pi/4, atan2(+-inf, finite) = +-pi/2, atan2(finite y, +inf) = +-0,
/// atan2(finite y, -inf) = +-pi; NaN in either gives NaN. Raises underflow only where a finite
/// nonzero y gives a result below the smallest normal number (as NumPy in float64), nothing else.
///
/// Method: the ratio min(|x|, |y|) / max(|x|, |y|) in [0, 1], reduced like arctan's middle range
/// above 1/2 (pi/4 + atan((n - d)/(n + d)), n - d exact, n + d split exactly) and carried as
/// t + t_lo through the division's exact residual (pairs with a num below 2^-900 scaled by 2^600,
/// with a den above 2^1000 by 2^-600); atan(t), |t| <= 1/2, by the arctan polynomial
/// (`scripts/sollya/atan.sollya`); then the octant: the angle is j pi/4 +- atan(t), j = 0..4 from
/// |y| > |x|, the reduction and the sign bit of x, with pi/4 a double-double (j pi/4's high part
/// exact); the sign of y last. float32: the arctan float32 scheme on the ratio in float64, one
/// rounding; at the AVX-512 level in float32 arithmetic (`avx512::atan2_16`: the ratio and the
/// float32 arctan's reduction each as a quotient and its exact residual, the octant's constant from
/// a 16-entry table), pairs outside [1e-15, 1e15] one by one; at the AVX2 level the same in 8 lanes
/// (`avx2::atan2_8s`, one core 2.56 -> 1.48 ns/item on a Zen 4).
///
/// Error bound: 1 ULP. Measured maxima (against mpmath, 12,000 random pairs of several scales):
/// float64 0.57 ULP (generic, no FMA) and 0.56 ULP (AVX-512); float32 0.504 ULP, 0.556 ULP at
/// AVX-512 and AVX2 (`tests/accuracy.rs`, 600,000 pairs against CORE-MATH).
#[derive(Debug)]
pub struct Arctan2;

/// Below 2^-500 or above 2^500 a pair leaves the fast range.
const F64_FAST_LO: f64 = f64::from_bits(0x20b0000000000000);
const F64_FAST_HI: f64 = f64::from_bits(0x5f30000000000000);

/// atan2(|y|, x) for finite num = min, den = max, 0 < den <= 2^1000, of |x| and |y|.
#[inline(always)]
fn atan2_core64<const FMA: bool>(num: f64, den: f64, y_big: bool, x_neg: bool) -> f64 {
    use c64::*;
    // Ratios above 1/2: atan(n/d) = pi/4 + atan((n - d)/(n + d)), n - d exact (Sterbenz), n + d
    // split exactly (Fast2Sum, d >= n).
    let mid = num > 0.5 * den;
    let sum = num + den;
    let sum_lo = (den - sum) + num;
    let (n, d_hi, d_lo) = if mid {
        (num - den, sum, sum_lo)
    } else {
        (num, den, 0.0)
    };
    let (t, t_lo) = ratio::<FMA>(n, d_hi, d_lo);
    let (xy, small) = atan_tail::<FMA>(t, t_lo);
    // The angle A + m (c pi/4 + atan(t)) with A = 0, pi/2 or pi: j pi/4 + m atan(t), j = 0..4
    // (j PIO4_HI is exact: PIO4_HI ends in three zero bits).
    let (a, m) = if y_big {
        (2.0, if x_neg { 1.0 } else { -1.0 })
    } else if x_neg {
        (4.0, -1.0)
    } else {
        (0.0, 1.0)
    };
    let j = if mid { a + m } else { a };
    combine::<FMA>(j * PIO4_HI, j * PIO4_LO, m, t, xy, small)
}

impl Binary<f64> for Arctan2 {
    // Streamed, 1,024-byte blocks instead of 512: 10M float64 pairs on 2 threads 12.6 -> 11.6 ms.
    const STREAM_BLOCK_BYTES: usize = 1024;

    #[inline(always)]
    fn eval<const FMA: bool>(y: f64, x: f64) -> f64 {
        use c64::*;
        let (ax, ay) = (x.abs(), y.abs());
        let y_big = ay > ax;
        let x_neg = x.is_sign_negative();
        let num = if y_big { ax } else { ay };
        let den = if y_big { ay } else { ax };
        // An infinite den: num/den is 1 (both infinite) or 0; a zero den (both zero): 0/1.
        let den_inf = den == f64::INFINITY;
        let num = if den_inf {
            if num == f64::INFINITY {
                1.0
            } else {
                0.0
            }
        } else {
            num
        };
        let den = if den_inf || den == 0.0 { 1.0 } else { den };
        // Scaling tiny pairs keeps the residual exact (a tiny num over a den above 2^300 gives a
        // ratio that rounds to 0); scaling huge ones keeps num + den finite.
        let small = num < TINY && den < TWO300;
        let huge = den > HUGE;
        let scale = if small {
            UP
        } else if huge {
            DOWN
        } else {
            1.0
        };
        let (num, den) = (num * scale, den * scale);
        let r = atan2_core64::<FMA>(num, den, y_big, x_neg).copysign(y);
        if x.is_nan() || y.is_nan() {
            first_nan(x, y)
        } else {
            r
        }
    }

    #[inline(always)]
    fn fast(y: f64, x: f64) -> bool {
        let (ax, ay) = (x.abs(), y.abs());
        (F64_FAST_LO..=F64_FAST_HI).contains(&ax) && (F64_FAST_LO..=F64_FAST_HI).contains(&ay)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(y: f64, x: f64) -> f64 {
        let (ax, ay) = (x.abs(), y.abs());
        let y_big = ay > ax;
        let num = if y_big { ax } else { ay };
        let den = if y_big { ay } else { ax };
        atan2_core64::<FMA>(num, den, y_big, x.is_sign_negative()).copysign(y)
    }

    #[inline(always)]
    fn status(y: f64, x: f64, r: f64) -> u8 {
        flag(
            r.abs() < f64::MIN_POSITIVE && y != 0.0 && y.is_finite() && x.is_finite(),
            UNDERFLOW,
        )
    }
}

/// The 11-term polynomial of the float32 kernels by Estrin's scheme: four multiplications deep
/// instead of Horner's eleven; in float64 its extra rounding errors (a few 2^-53) are far below
/// float32's half ULP.
#[inline(always)]
fn estrin11<const FMA: bool>(c: &[f64; 11], s: f64) -> f64 {
    let s2 = s * s;
    let s4 = s2 * s2;
    let p01 = fma64::<FMA>(c[1], s, c[0]);
    let p23 = fma64::<FMA>(c[3], s, c[2]);
    let p45 = fma64::<FMA>(c[5], s, c[4]);
    let p67 = fma64::<FMA>(c[7], s, c[6]);
    let p89 = fma64::<FMA>(c[9], s, c[8]);
    let q03 = fma64::<FMA>(p23, s2, p01);
    let q47 = fma64::<FMA>(p67, s2, p45);
    let q810 = fma64::<FMA>(c[10], s2, p89);
    fma64::<FMA>(q810, s4 * s4, fma64::<FMA>(q47, s4, q03))
}

/// atan2 in float64 arithmetic for float32 inputs (exact widening; no scaling needed).
#[inline(always)]
fn atan2_f32<const FMA: bool>(y: f32, x: f32) -> f32 {
    use c64::*;
    let (ax, ay) = (f64::from(x.abs()), f64::from(y.abs()));
    let y_big = ay > ax;
    let x_neg = x.is_sign_negative();
    let num = if y_big { ax } else { ay };
    let den = if y_big { ay } else { ax };
    let den_inf = den == f64::INFINITY;
    let num = if den_inf {
        if num == f64::INFINITY {
            1.0
        } else {
            0.0
        }
    } else {
        num
    };
    let den = if den_inf || den == 0.0 { 1.0 } else { den };
    let t = num / den;
    let s = t * t;
    let at = fma64::<FMA>(t * s, estrin11::<FMA>(&ATAN_F32, s), t);
    let r = if y_big {
        (PIO2_HI + if x_neg { at } else { -at }) + PIO2_LO
    } else if x_neg {
        (PI_HI - at) + PI_LO
    } else {
        at
    };
    (r as f32).copysign(y)
}

impl Binary<f32> for Arctan2 {
    // Streamed, 1,024-byte blocks instead of 512: 10M float64 pairs on 2 threads 12.6 -> 11.6 ms.
    const STREAM_BLOCK_BYTES: usize = 1024;

    #[inline(always)]
    fn eval<const FMA: bool>(y: f32, x: f32) -> f32 {
        let r = atan2_f32::<FMA>(y, x);
        if x.is_nan() || y.is_nan() {
            first_nan(x, y)
        } else {
            r
        }
    }

    #[inline(always)]
    fn fast(y: f32, x: f32) -> bool {
        // Nonzero, finite, and a ratio of at least 1e-30: the result is normal.
        let (ax, ay) = (x.abs(), y.abs());
        (1e-15..=1e15).contains(&ax) && (1e-15..=1e15).contains(&ay)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(y: f32, x: f32) -> f32 {
        atan2_f32::<FMA>(y, x)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(a: &[f32], b: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller's contract (AVX-512F and DQ).
        Some(unsafe { avx512::atan2_32(a, b, dst) })
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx2(a: &[f32], b: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller checked AVX2 and FMA.
        Some(unsafe { avx2::atan2_32(a, b, dst) })
    }

    #[inline(always)]
    fn status(y: f32, x: f32, r: f32) -> u8 {
        flag(
            r.abs() < f32::MIN_POSITIVE && y != 0.0 && y.is_finite() && x.is_finite(),
            UNDERFLOW,
        )
    }
}

/// float32 arcsin, arccos and arctan2 of the AVX-512 level, in float32 arithmetic (16 lanes, twice
/// the float64 kernels' width; arctan2 in `atan2_16`). arcsin and arccos (`vsqrtps` instead of
/// `vsqrtpd`): the reduction above with u_lo = (z - u^2) /
/// (2u) from the exact residual (an FMA) and `vrcp14ps`, P rounded to float32 (relative error
/// 2^-24 of a tail below 1/24 of u), and A + m u split exactly (Fast2Sum) before the small terms
/// are added: error 0.5 ULP plus about 2^-4 ULP.
#[cfg(target_arch = "x86_64")]
mod avx512 {
    use super::super::simd512::{
        fast_two_sum8, lookup16, map16, map8, map8_redo_range, table16, with_sign16, with_sign8,
        zip16, Table16,
    };
    use super::c64::BIG;
    use super::c64::{ASIN, ASIN_F32, PIO2_HI, PIO2_LO, PI_HI, PI_LO};
    use std::arch::x86_64::*;

    /// (u, u_lo + tail, outer) for a = |x|: asin(a) = u + (u_lo + tail) where a <= 1/2 (u = a), and
    /// asin(a) = pi/2 - 2 (u + u_lo + tail) above (u + u_lo = sqrt((1 - a)/2)). |x| > 1 and NaN
    /// give NaN.
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn reduce16(a: __m512) -> (__m512, __m512, __mmask16) {
        let half = _mm512_set1_ps(0.5);
        let outer = _mm512_cmp_ps_mask::<_CMP_GT_OQ>(a, half);
        // 1/2 - a/2 is exact for a in [1/2, 1].
        let zo = _mm512_fnmadd_ps(a, half, half);
        let z = _mm512_mask_mov_ps(_mm512_mul_ps(a, a), outer, zo);
        let u = _mm512_mask_sqrt_ps(a, outer, zo);
        // z - u^2 is exact where u = sqrt(z) rounded; u = 0 (a = 1) has no residual.
        let res = _mm512_fnmadd_ps(u, u, z);
        let inv2u = _mm512_mul_ps(
            _mm512_rcp14_ps(_mm512_max_ps(u, _mm512_set1_ps(1e-30))),
            half,
        );
        let u_lo = _mm512_maskz_mul_ps(outer, res, inv2u);
        let c = |i: usize| _mm512_set1_ps(ASIN_F32[i] as f32);
        let z2 = _mm512_mul_ps(z, z);
        let p01 = _mm512_fmadd_ps(c(1), z, c(0));
        let p23 = _mm512_fmadd_ps(c(3), z, c(2));
        let p45 = _mm512_fmadd_ps(c(5), z, c(4));
        let p = _mm512_fmadd_ps(_mm512_fmadd_ps(p45, z2, p23), z2, p01);
        let tail = _mm512_fmadd_ps(_mm512_mul_ps(u, z), p, u_lo);
        (u, tail, outer)
    }

    /// a_hi + a_lo + m (u + small) with m in {+-1, +-2} and |m u| <= |a_hi| or a_hi = 0: a_hi + m u
    /// split exactly, the rest added to its error, one rounding at the result's size.
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn combine16(a_hi: __m512, a_lo: __m512, m: __m512, u: __m512, small: __m512) -> __m512 {
        let mu = _mm512_mul_ps(m, u);
        let s = _mm512_add_ps(a_hi, mu);
        let e = _mm512_add_ps(_mm512_sub_ps(a_hi, s), mu);
        _mm512_add_ps(s, _mm512_fmadd_ps(m, small, _mm512_add_ps(e, a_lo)))
    }

    #[inline(always)]
    const fn split(v: f64) -> (f32, f32) {
        let hi = v as f32;
        (hi, (v - hi as f64) as f32)
    }

    /// arctan2(y, x) of 16 float32 lanes in float32 arithmetic, and the lanes in the fast range
    /// (|x| and |y| in [1e-15, 1e15]; the others are redone one by one). t = min/max of |x|, |y|
    /// by `vdivps` with its exact residual (an FMA) over `vrcp14ps` as t_lo; then `atan32`'s
    /// reduction u = (t - c) / (1 + t c), c in {0, 1/2, 1} (t - c exact, 1 + t c split exactly), by
    /// a second `vdivps` and residual; atan(u + u_lo) = u + u^3 W(u^2) + u_lo (1 - u^2) with
    /// `ATAN32`. The quadrant's constant K + m atan(c) (K in {0, pi/2, pi}, m = +-1) comes as a pair
    /// of singles from a 16-entry table (`vpermps`) and `combine16` adds m u exactly before the
    /// small terms: error 0.5 ULP plus a few 2^-8 ULP, as the float32 arctan.
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    fn atan2_16(y: __m512, x: __m512, b_hi: __m512, b_lo: __m512) -> (__m512, __mmask16) {
        let set = |v: f32| _mm512_set1_ps(v);
        let (ax, ay) = (_mm512_abs_ps(x), _mm512_abs_ps(y));
        let y_big = _mm512_cmp_ps_mask::<_CMP_GT_OQ>(ay, ax);
        let x_neg = _mm512_cmp_ps_mask::<_CMP_LT_OQ>(x, _mm512_setzero_ps());
        let num = _mm512_min_ps(ax, ay);
        let den = _mm512_max_ps(ax, ay);
        // min and max may drop a NaN of x (they return their second operand): the ordered test
        // catches it.
        let fast = _mm512_cmp_ps_mask::<_CMP_GE_OQ>(num, set(1e-15))
            & _mm512_cmp_ps_mask::<_CMP_LE_OQ>(den, set(1e15))
            & _mm512_cmp_ps_mask::<_CMP_ORD_Q>(x, y);
        let t = _mm512_div_ps(num, den);
        let t_lo = _mm512_mul_ps(_mm512_fnmadd_ps(t, den, num), _mm512_rcp14_ps(den));
        // c = 1/2 on [1/4, 1/2), 1 on [1/2, 1]: t - c exact (Sterbenz), t c exact, 1 + t c split by
        // Fast2Sum (1 >= t c).
        let quarter = _mm512_cmp_ps_mask::<_CMP_GE_OQ>(t, set(0.25));
        let mid = _mm512_cmp_ps_mask::<_CMP_GE_OQ>(t, set(0.5));
        let c = _mm512_mask_mov_ps(_mm512_maskz_mov_ps(quarter, set(0.5)), mid, set(1.0));
        let n = _mm512_sub_ps(t, c);
        let prod = _mm512_mul_ps(t, c);
        let d = _mm512_add_ps(set(1.0), prod);
        // t_lo c belongs to the denominator as t_lo to the numerator (0.1 ULP otherwise).
        let d_lo = _mm512_fmadd_ps(t_lo, c, _mm512_add_ps(_mm512_sub_ps(set(1.0), d), prod));
        let u = _mm512_div_ps(n, d);
        let res = _mm512_fnmadd_ps(u, d_lo, _mm512_add_ps(_mm512_fnmadd_ps(u, d, n), t_lo));
        let u_lo = _mm512_mul_ps(res, _mm512_rcp14_ps(d));
        let s = _mm512_mul_ps(u, u);
        let k = |i: usize| set(super::ATAN32[i]);
        let s2 = _mm512_mul_ps(s, s);
        let q01 = _mm512_fmadd_ps(k(1), s, k(0));
        let q23 = _mm512_fmadd_ps(k(3), s, k(2));
        let q45 = _mm512_fmadd_ps(k(5), s, k(4));
        let q = _mm512_fmadd_ps(_mm512_fmadd_ps(q45, s2, q23), s2, q01);
        let small = _mm512_fmadd_ps(_mm512_mul_ps(u, s), q, _mm512_fnmadd_ps(u_lo, s, u_lo));
        // Table index: c's rank (0, 1, 2) + 4 y_big + 8 x_neg; m = -1 where exactly one holds.
        let one = _mm512_set1_epi32(1);
        let idx = _mm512_maskz_mov_epi32(quarter, one);
        let idx = _mm512_mask_add_epi32(idx, mid, idx, one);
        let idx = _mm512_mask_add_epi32(idx, y_big, idx, _mm512_set1_epi32(4));
        let idx = _mm512_mask_add_epi32(idx, x_neg, idx, _mm512_set1_epi32(8));
        let a_hi = _mm512_permutexvar_ps(idx, b_hi);
        let a_lo = _mm512_permutexvar_ps(idx, b_lo);
        let m = _mm512_mask_mov_ps(set(1.0), y_big ^ x_neg, set(-1.0));
        let r = combine16(a_hi, a_lo, m, u, small);
        // y's sign (r >= 0).
        (with_sign16(r, y), fast)
    }

    /// The 16 constants K + m atan(c) of [`atan2_16`] as pairs of singles, entry c_rank + 4 y_big
    /// + 8 x_neg (rank 3 unused).
    pub(super) const ATAN2_TABLE: ([f32; 16], [f32; 16]) = {
        const ATAN_C: [f64; 3] = [0.0, 0.463_647_609_000_806_1, std::f64::consts::FRAC_PI_4];
        let (mut hi, mut lo) = ([0.0f32; 16], [0.0f32; 16]);
        let mut i = 0;
        while i < 16 {
            let (rank, y_big, x_neg) = (i & 3, i & 4 != 0, i & 8 != 0);
            let at = ATAN_C[if rank > 2 { 2 } else { rank }];
            let v = match (y_big, x_neg) {
                (false, false) => at,
                (true, false) => (PIO2_HI - at) + PIO2_LO,
                (false, true) => (PI_HI - at) + PI_LO,
                (true, true) => (PIO2_HI + at) + PIO2_LO,
            };
            (hi[i], lo[i]) = split(v);
            i += 1;
        }
        (hi, lo)
    };

    /// `dst = arctan2(a, b)` in float32; whether every pair was in the fast range.
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(super) fn atan2_32(a: &[f32], b: &[f32], dst: &mut [f32]) -> bool {
        let (hi, lo) = &ATAN2_TABLE;
        // SAFETY: 16 readable floats each.
        let (b_hi, b_lo) = unsafe { (_mm512_loadu_ps(hi.as_ptr()), _mm512_loadu_ps(lo.as_ptr())) };
        zip16(
            a,
            b,
            dst,
            |y, x| atan2_16(y, x, b_hi, b_lo),
            <super::Arctan2 as super::Binary<f32>>::eval::<true>,
        )
    }

    /// atan(t) = t + t s P(s), s = t^2 <= 0.00445, for [`atan8`] (`scripts/sollya/atan_table.sollya`,
    /// relative error of P 2^-50.2, of the result 2^-59.6).
    const ATAN_T: [u64; 5] = [
        0xbfd5555555555551,
        0x3fc999999998071c,
        0xbfc24924871e3676,
        0x3fbc718fe78df8b8,
        0xbfb70e2d6d8aca3c,
    ];
    /// atan(j/8) (entries 0..7) and pi/2 - atan(j/8) (8..15) as pairs of doubles
    /// (`scripts/sollya/atan_table.sollya`).
    const ATAN_B_HI: [u64; 16] = [
        0x0000000000000000,
        0x3fbfd5ba9aac2f6e,
        0x3fcf5b75f92c80dd,
        0x3fd6f61941e4def1,
        0x3fddac670561bb4f,
        0x3fe1e00babdefeb4,
        0x3fe4978fa3269ee1,
        0x3fe700a7c5784634,
        0x3ff921fb54442d18,
        0x3ff7249faa996a21,
        0x3ff5368c951e9cfd,
        0x3ff3647503caf55c,
        0x3ff1b6e192ebbe44,
        0x3ff031f57e54adbe,
        0x3fedac670561bb4f,
        0x3feb434ee31013fd,
    ];
    const ATAN_B_LO: [u64; 16] = [
        0x0000000000000000,
        0xbc4cd37686760c17,
        0x3c68ab6e3cf7afbd,
        0xbc7c63aae6f6e918,
        0x3c7a2b7f222f65e2,
        0xbc5928df287a668f,
        0x3c72419a87f2a458,
        0xbc78c34d25aadef6,
        0x3c91a62633145c07,
        0x3c9a8cc1e7480c68,
        0xbc996f47948a99f1,
        0x3c817e21d9a42c9a,
        0x3c9b1b466a88828e,
        0x3c9338b4259c0270,
        0x3c8a2b7f222f65e2,
        0xbc80520d0701d877,
    ];

    /// arctan of 8 float64 lanes. a = |x| <= 2^100 (the caller redoes the rest); c = a, or
    /// about 1/a above 1 (`vrcp14pd`), rounded to a multiple of 1/8 (`vrndscalepd`), at most 7/8;
    /// t + t_lo = (a - c) / (1 + a c), or above 1 (1 - a c) / (a + c) (= (1/a - c) / (1 + c/a)
    /// with no division for 1/a: one `vdivpd` a lane, where two made the divider the bound), a c
    /// split by an FMA, the sums by Fast2Sum, the quotient by `vdivpd` with its exact residual over
    /// `vrcp14pd`: |t| <= 1/15. atan(a) = B_j + m (t + t^3 P(t^2) + t_lo (1 - t^2))
    /// with B_j = atan(j/8) (m = 1) or pi/2 - atan(j/8) (m = -1, a > 1) from a 16-entry table of
    /// pairs (`vpermt2pd`); B_hi + m t by Fast2Sum (|t| < |B_hi| unless B = 0), the rest added to
    /// its error, one rounding: error 0.5 ULP plus about 2^-58 relative. The sign of x.
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    fn atan8(x: __m512d, b_hi: Table16, b_lo: Table16) -> __m512d {
        let set = |v: f64| _mm512_set1_pd(v);
        let one = set(1.0);
        let a = _mm512_abs_pd(x);
        let big = _mm512_cmp_pd_mask::<_CMP_GT_OQ>(a, one);
        // c near a, or near 1/a (from `vrcp14pd`: c only has to be close) above 1; rounded to 3
        // fraction bits, to nearest (0x30 | 0x08: no precision exception).
        let b = _mm512_mask_rcp14_pd(a, big, a);
        let c = _mm512_min_pd(_mm512_roundscale_pd::<0x38>(b), set(0.875));
        // The low bits of 8c + 1.5 * 2^52 are j; entries 8..15 for a > 1.
        let jz = _mm512_castpd_si512(_mm512_fmadd_pd(c, set(8.0), set(6755399441055744.0)));
        let idx = _mm512_mask_add_epi64(jz, big, jz, _mm512_set1_epi64(8));
        // a c = p + pe exactly. a <= 1: n = a - c (exact), d = 1 + a c; a > 1: n = 1 - a c
        // (1 - p exact, c a within [1/2, 2]), d = a + c: the same t as (1/a - c) / (1 + c/a).
        let p = _mm512_mul_pd(a, c);
        let pe = _mm512_fmsub_pd(a, c, p);
        // Above 1 the numerator's sign is flipped (a c - 1): t, t_lo and the series come out
        // negated, as B_j - (...) needs, with no negation after the division.
        let n = _mm512_mask_sub_pd(_mm512_sub_pd(a, c), big, p, one);
        let nl = _mm512_maskz_mov_pd(big, pe);
        let (d, dl) = fast_two_sum8(
            _mm512_mask_mov_pd(one, big, a),
            _mm512_mask_mov_pd(p, big, c),
        );
        let dl = _mm512_mask_add_pd(dl, !big, dl, pe);
        let t = _mm512_div_pd(n, d);
        let res = _mm512_fnmadd_pd(t, d, n);
        let res = _mm512_fnmadd_pd(t, dl, _mm512_add_pd(res, nl));
        let t_lo = _mm512_mul_pd(res, _mm512_rcp14_pd(d));
        let s = _mm512_mul_pd(t, t);
        let k = |i: usize| set(f64::from_bits(ATAN_T[i]));
        let s2 = _mm512_mul_pd(s, s);
        let p01 = _mm512_fmadd_pd(k(1), s, k(0));
        let p23 = _mm512_fmadd_pd(k(3), s, k(2));
        let poly = _mm512_fmadd_pd(_mm512_fmadd_pd(k(4), s2, p23), s2, p01);
        let small = _mm512_fmadd_pd(_mm512_mul_pd(s, t), poly, _mm512_fnmadd_pd(t_lo, s, t_lo));
        let bh = lookup16(b_hi, idx);
        let (w, e) = fast_two_sum8(bh, t);
        let r = _mm512_add_pd(
            w,
            _mm512_add_pd(_mm512_add_pd(lookup16(b_lo, idx), small), e),
        );
        with_sign8(r, x)
    }

    /// `dst = arctan(src)` in float64: `atan8` for |x| <= 2^100, the rest (and NaN) again by the
    /// scalar kernel (a clamp in every vector cost 2%). arctan raises nothing: the result of the
    /// range check does not matter.
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(super) fn atan64(src: &[f64], dst: &mut [f64]) -> bool {
        let (b_hi, b_lo) = (table16(&ATAN_B_HI), table16(&ATAN_B_LO));
        map8_redo_range(
            src,
            dst,
            -BIG,
            BIG,
            |x| atan8(x, b_hi, b_lo),
            <super::Arctan as super::Unary<f64>>::eval::<true>,
        )
    }

    /// `asin_reduce64` on 8 lanes, a = |x|: (u, u_lo, (u z, P(z)), outer) with asin(a) =
    /// u + u_lo + u z P(z) (a <= 1/2: u = a, z = a^2) or pi/2 - 2 (that) (u + u_lo = sqrt(z),
    /// z = (1 - a)/2). u_lo = (z - u^2) / 2u with the reciprocal from `vrcp14pd`: a correction below
    /// 2^-53 u, so its 2^-14 error is 2^-67 u, and the divider does only the square root (with both,
    /// it was the bound). |x| > 1 gives NaN (the square root of a negative), as does NaN.
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn asin_reduce8(a: __m512d) -> (__m512d, __m512d, (__m512d, __m512d), __mmask8) {
        let half = _mm512_set1_pd(0.5);
        let outer = _mm512_cmp_pd_mask::<_CMP_GT_OQ>(a, half);
        // (1 - a)/2, exact for a in [1/2, 1].
        let zo = _mm512_fnmadd_pd(a, half, half);
        let z = _mm512_mask_mov_pd(_mm512_mul_pd(a, a), outer, zo);
        let u = _mm512_mask_sqrt_pd(a, outer, zo);
        // z - u^2 is exact where u = sqrt(z) rounded; u = 0 (a = 1) has no residual.
        let res = _mm512_fnmadd_pd(u, u, z);
        let inv2u = _mm512_mul_pd(
            _mm512_rcp14_pd(_mm512_max_pd(u, _mm512_set1_pd(1e-300))),
            half,
        );
        let u_lo = _mm512_maskz_mul_pd(outer, res, inv2u);
        let mut p = _mm512_set1_pd(ASIN[ASIN.len() - 1]);
        for &c in ASIN[..ASIN.len() - 1].iter().rev() {
            p = _mm512_fmadd_pd(p, z, _mm512_set1_pd(c));
        }
        (u, u_lo, (_mm512_mul_pd(u, z), p), outer)
    }

    /// `combine` on 8 lanes: A + m (t + x y + small), A = a_hi + a_lo, a_hi + m t by Fast2Sum.
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn combine8(
        (a_hi, a_lo): (__m512d, __m512d),
        m: __m512d,
        t: __m512d,
        (x, y): (__m512d, __m512d),
        small: __m512d,
    ) -> __m512d {
        let (hi, lo) = fast_two_sum8(a_hi, _mm512_mul_pd(m, t));
        let rest = _mm512_fmadd_pd(m, small, _mm512_add_pd(lo, a_lo));
        _mm512_add_pd(hi, _mm512_fmadd_pd(_mm512_mul_pd(m, x), y, rest))
    }

    /// `dst = arcsin(src)` in float64 (`asin_reduce8`); whether every input lies in `[lo, hi]`.
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(super) fn asin64(src: &[f64], dst: &mut [f64], lo: f64, hi: f64) -> bool {
        let set = _mm512_set1_pd;
        map8(src, dst, lo, hi, |x| {
            let (u, u_lo, tail, outer) = asin_reduce8(_mm512_abs_pd(x));
            let a = (
                _mm512_maskz_mov_pd(outer, set(PIO2_HI)),
                _mm512_maskz_mov_pd(outer, set(PIO2_LO)),
            );
            let m = _mm512_mask_mov_pd(set(1.0), outer, set(-2.0));
            // x's sign (the result is >= 0).
            with_sign8(combine8(a, m, u, tail, u_lo), x)
        })
    }

    /// `dst = arccos(src)` in float64 (`asin_reduce8`): |x| <= 1/2: pi/2 - sign(x) asin(|x|);
    /// x > 1/2: 2 asin(u); x < -1/2: pi - 2 asin(u). Whether every input lies in `[lo, hi]`.
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(super) fn acos64(src: &[f64], dst: &mut [f64], lo: f64, hi: f64) -> bool {
        let set = _mm512_set1_pd;
        map8(src, dst, lo, hi, |x| {
            let (u, u_lo, tail, outer) = asin_reduce8(_mm512_abs_pd(x));
            let neg = _mm512_cmp_pd_mask::<_CMP_LT_OQ>(x, _mm512_setzero_pd());
            let inner_m = _mm512_mask_mov_pd(set(-1.0), neg, set(1.0));
            let outer_m = _mm512_mask_mov_pd(set(2.0), neg, set(-2.0));
            let m = _mm512_mask_mov_pd(inner_m, outer, outer_m);
            let a = (
                _mm512_mask_mov_pd(set(PIO2_HI), outer, _mm512_maskz_mov_pd(neg, set(PI_HI))),
                _mm512_mask_mov_pd(set(PIO2_LO), outer, _mm512_maskz_mov_pd(neg, set(PI_LO))),
            );
            combine8(a, m, u, tail, u_lo)
        })
    }

    /// `dst = arcsin(src)` in float32; whether every input lies in `[lo, hi]`.
    #[target_feature(enable = "avx512f")]
    pub(super) fn asin32(src: &[f32], dst: &mut [f32], lo: f32, hi: f32) -> bool {
        let (p2h, p2l) = split(PIO2_HI + PIO2_LO);
        map16(src, dst, lo, hi, |x| {
            let a = _mm512_abs_ps(x);
            let (u, small, outer) = reduce16(a);
            let zero = _mm512_setzero_ps();
            let a_hi = _mm512_mask_mov_ps(zero, outer, _mm512_set1_ps(p2h));
            let a_lo = _mm512_mask_mov_ps(zero, outer, _mm512_set1_ps(p2l));
            let m = _mm512_mask_mov_ps(_mm512_set1_ps(1.0), outer, _mm512_set1_ps(-2.0));
            let r = combine16(a_hi, a_lo, m, u, small);
            // x's sign (r >= 0).
            with_sign16(r, x)
        })
    }

    /// `dst = arccos(src)` in float32; whether every input lies in `[lo, hi]`.
    #[target_feature(enable = "avx512f")]
    pub(super) fn acos32(src: &[f32], dst: &mut [f32], lo: f32, hi: f32) -> bool {
        let (p2h, p2l) = split(PIO2_HI + PIO2_LO);
        let (ph, pl) = split(PI_HI + PI_LO);
        map16(src, dst, lo, hi, |x| {
            let a = _mm512_abs_ps(x);
            let (u, small, outer) = reduce16(a);
            let zero = _mm512_setzero_ps();
            let neg = _mm512_cmp_ps_mask::<_CMP_LT_OQ>(x, zero);
            // |x| <= 1/2: pi/2 - sign(x) asin(a); x > 1/2: 2 asin(u); x < -1/2: pi - 2 asin(u).
            let inner_m = _mm512_mask_mov_ps(_mm512_set1_ps(-1.0), neg, _mm512_set1_ps(1.0));
            let outer_m = _mm512_mask_mov_ps(_mm512_set1_ps(2.0), neg, _mm512_set1_ps(-2.0));
            let m = _mm512_mask_mov_ps(inner_m, outer, outer_m);
            let a_hi = _mm512_mask_mov_ps(
                _mm512_set1_ps(p2h),
                outer,
                _mm512_maskz_mov_ps(neg, _mm512_set1_ps(ph)),
            );
            let a_lo = _mm512_mask_mov_ps(
                _mm512_set1_ps(p2l),
                outer,
                _mm512_maskz_mov_ps(neg, _mm512_set1_ps(pl)),
            );
            combine16(a_hi, a_lo, m, u, small)
        })
    }
}

/// float32 arcsin and arccos of the AVX2 level: the AVX-512 float32 kernels in 8 lanes (`vrcpps`,
/// 2^-11.4, for the square root's residual over 2u: 2^-36 of the result), the same accounting;
/// inputs outside `[lo, hi]` (|x| > 1, NaN) by the scalar kernel.
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::super::simd256::{map8s_redo, zip8s};
    use super::c64::{ASIN_F32, PIO2_HI, PIO2_LO, PI_HI, PI_LO};
    use std::arch::x86_64::*;

    /// (u, u_lo + tail, outer) for a = |x| <= 1: asin(a) = u + (u_lo + tail) where a <= 1/2
    /// (u = a), and asin(a) = pi/2 - 2 (u + u_lo + tail) above (u + u_lo = sqrt((1 - a)/2)).
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    fn reduce8s(a: __m256) -> (__m256, __m256, __m256) {
        let half = _mm256_set1_ps(0.5);
        let outer = _mm256_cmp_ps::<_CMP_GT_OQ>(a, half);
        // 1/2 - a/2 is exact for a in [1/2, 1].
        let zo = _mm256_fnmadd_ps(a, half, half);
        let z = _mm256_blendv_ps(_mm256_mul_ps(a, a), zo, outer);
        let u = _mm256_blendv_ps(a, _mm256_sqrt_ps(zo), outer);
        // z - u^2 is exact where u = sqrt(z) rounded; u = 0 (a = 1) has no residual.
        let res = _mm256_fnmadd_ps(u, u, z);
        let inv2u = _mm256_mul_ps(_mm256_rcp_ps(_mm256_max_ps(u, _mm256_set1_ps(1e-30))), half);
        let u_lo = _mm256_and_ps(outer, _mm256_mul_ps(res, inv2u));
        let c = |i: usize| _mm256_set1_ps(ASIN_F32[i] as f32);
        let z2 = _mm256_mul_ps(z, z);
        let p01 = _mm256_fmadd_ps(c(1), z, c(0));
        let p23 = _mm256_fmadd_ps(c(3), z, c(2));
        let p45 = _mm256_fmadd_ps(c(5), z, c(4));
        let p = _mm256_fmadd_ps(_mm256_fmadd_ps(p45, z2, p23), z2, p01);
        let tail = _mm256_fmadd_ps(_mm256_mul_ps(u, z), p, u_lo);
        (u, tail, outer)
    }

    /// a_hi + a_lo + m (u + small), m in {+-1, +-2}, |m u| <= |a_hi| or a_hi = 0: a_hi + m u split
    /// exactly, the rest added to its error, one rounding at the result's size.
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    fn combine8s(a_hi: __m256, a_lo: __m256, m: __m256, u: __m256, small: __m256) -> __m256 {
        let mu = _mm256_mul_ps(m, u);
        let s = _mm256_add_ps(a_hi, mu);
        let e = _mm256_add_ps(_mm256_sub_ps(a_hi, s), mu);
        _mm256_add_ps(s, _mm256_fmadd_ps(m, small, _mm256_add_ps(e, a_lo)))
    }

    const fn split(v: f64) -> (f32, f32) {
        let hi = v as f32;
        (hi, (v - hi as f64) as f32)
    }

    /// `dst = arcsin(src)` in float32; whether every input lies in `[lo, hi]`.
    #[target_feature(enable = "avx2,fma")]
    pub(super) fn asin32(
        src: &[f32],
        dst: &mut [f32],
        lo: f32,
        hi: f32,
        slow: impl Fn(f32) -> f32,
    ) -> bool {
        let (p2h, p2l) = split(PIO2_HI + PIO2_LO);
        let sign = _mm256_set1_ps(-0.0);
        map8s_redo(
            src,
            dst,
            lo,
            hi,
            |x| {
                let (u, small, outer) = reduce8s(_mm256_andnot_ps(sign, x));
                let a_hi = _mm256_and_ps(outer, _mm256_set1_ps(p2h));
                let a_lo = _mm256_and_ps(outer, _mm256_set1_ps(p2l));
                let m = _mm256_blendv_ps(_mm256_set1_ps(1.0), _mm256_set1_ps(-2.0), outer);
                let r = combine8s(a_hi, a_lo, m, u, small);
                // x's sign (r >= 0).
                _mm256_or_ps(r, _mm256_and_ps(x, sign))
            },
            slow,
        )
    }

    /// `dst = arccos(src)` in float32: |x| <= 1/2: pi/2 - sign(x) asin(|x|); x > 1/2: 2 asin(u);
    /// x < -1/2: pi - 2 asin(u). Whether every input lies in `[lo, hi]`.
    #[target_feature(enable = "avx2,fma")]
    pub(super) fn acos32(
        src: &[f32],
        dst: &mut [f32],
        lo: f32,
        hi: f32,
        slow: impl Fn(f32) -> f32,
    ) -> bool {
        let set = _mm256_set1_ps;
        let (p2h, p2l) = split(PIO2_HI + PIO2_LO);
        let (ph, pl) = split(PI_HI + PI_LO);
        let sign = set(-0.0);
        map8s_redo(
            src,
            dst,
            lo,
            hi,
            |x| {
                let (u, small, outer) = reduce8s(_mm256_andnot_ps(sign, x));
                let neg = _mm256_cmp_ps::<_CMP_LT_OQ>(x, _mm256_setzero_ps());
                let inner_m = _mm256_blendv_ps(set(-1.0), set(1.0), neg);
                let outer_m = _mm256_blendv_ps(set(2.0), set(-2.0), neg);
                let m = _mm256_blendv_ps(inner_m, outer_m, outer);
                let a_hi = _mm256_blendv_ps(set(p2h), _mm256_and_ps(neg, set(ph)), outer);
                let a_lo = _mm256_blendv_ps(set(p2l), _mm256_and_ps(neg, set(pl)), outer);
                combine8s(a_hi, a_lo, m, u, small)
            },
            slow,
        )
    }

    /// arctan2(y, x) of 8 float32 lanes: `avx512::atan2_16` with `vrcpps` (2^-11.4 of residual
    /// terms below an ULP: 2^-35 of the result) and the 16-entry constant table as two `vpermps`
    /// and a blend. Returns the results and the lanes in the fast range (|x| and |y| in
    /// [1e-15, 1e15], no NaN).
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    fn atan2_8s(y: __m256, x: __m256, tab: [__m256; 4]) -> (__m256, __m256) {
        let set = _mm256_set1_ps;
        let sign = set(-0.0);
        let (ax, ay) = (_mm256_andnot_ps(sign, x), _mm256_andnot_ps(sign, y));
        let y_big = _mm256_cmp_ps::<_CMP_GT_OQ>(ay, ax);
        let x_neg = _mm256_cmp_ps::<_CMP_LT_OQ>(x, _mm256_setzero_ps());
        let num = _mm256_min_ps(ax, ay);
        let den = _mm256_max_ps(ax, ay);
        // min and max may drop a NaN of x (they return their second operand): the ordered test
        // catches it.
        let fast = _mm256_and_ps(
            _mm256_and_ps(
                _mm256_cmp_ps::<_CMP_GE_OQ>(num, set(1e-15)),
                _mm256_cmp_ps::<_CMP_LE_OQ>(den, set(1e15)),
            ),
            _mm256_cmp_ps::<_CMP_ORD_Q>(x, y),
        );
        let t = _mm256_div_ps(num, den);
        let t_lo = _mm256_mul_ps(_mm256_fnmadd_ps(t, den, num), _mm256_rcp_ps(den));
        // c = 1/2 on [1/4, 1/2), 1 on [1/2, 1]: t - c exact (Sterbenz), t c exact, 1 + t c split by
        // Fast2Sum (1 >= t c).
        let quarter = _mm256_cmp_ps::<_CMP_GE_OQ>(t, set(0.25));
        let mid = _mm256_cmp_ps::<_CMP_GE_OQ>(t, set(0.5));
        let c = _mm256_blendv_ps(_mm256_and_ps(quarter, set(0.5)), set(1.0), mid);
        let n = _mm256_sub_ps(t, c);
        let prod = _mm256_mul_ps(t, c);
        let d = _mm256_add_ps(set(1.0), prod);
        let d_lo = _mm256_fmadd_ps(t_lo, c, _mm256_add_ps(_mm256_sub_ps(set(1.0), d), prod));
        let u = _mm256_div_ps(n, d);
        let res = _mm256_fnmadd_ps(u, d_lo, _mm256_add_ps(_mm256_fnmadd_ps(u, d, n), t_lo));
        let u_lo = _mm256_mul_ps(res, _mm256_rcp_ps(d));
        let s = _mm256_mul_ps(u, u);
        let k = |i: usize| set(super::ATAN32[i]);
        let s2 = _mm256_mul_ps(s, s);
        let q01 = _mm256_fmadd_ps(k(1), s, k(0));
        let q23 = _mm256_fmadd_ps(k(3), s, k(2));
        let q45 = _mm256_fmadd_ps(k(5), s, k(4));
        let q = _mm256_fmadd_ps(_mm256_fmadd_ps(q45, s2, q23), s2, q01);
        let small = _mm256_fmadd_ps(_mm256_mul_ps(u, s), q, _mm256_fnmadd_ps(u_lo, s, u_lo));
        // Table index: c's rank (0, 1, 2) + 4 y_big (8 x_neg picks the second half).
        let one = _mm256_set1_epi32(1);
        let idx = _mm256_and_si256(_mm256_castps_si256(quarter), one);
        let idx = _mm256_add_epi32(idx, _mm256_and_si256(_mm256_castps_si256(mid), one));
        let idx = _mm256_add_epi32(
            idx,
            _mm256_and_si256(_mm256_castps_si256(y_big), _mm256_set1_epi32(4)),
        );
        let a_hi = _mm256_blendv_ps(
            _mm256_permutevar8x32_ps(tab[0], idx),
            _mm256_permutevar8x32_ps(tab[1], idx),
            x_neg,
        );
        let a_lo = _mm256_blendv_ps(
            _mm256_permutevar8x32_ps(tab[2], idx),
            _mm256_permutevar8x32_ps(tab[3], idx),
            x_neg,
        );
        let m = _mm256_blendv_ps(set(1.0), set(-1.0), _mm256_xor_ps(y_big, x_neg));
        let r = combine8s(a_hi, a_lo, m, u, small);
        // y's sign (r >= 0).
        (_mm256_or_ps(r, _mm256_and_ps(y, sign)), fast)
    }

    /// `dst = arctan2(a, b)` in float32; whether every pair was in the fast range.
    #[target_feature(enable = "avx2,fma")]
    pub(super) fn atan2_32(a: &[f32], b: &[f32], dst: &mut [f32]) -> bool {
        let (hi, lo) = &super::avx512::ATAN2_TABLE;
        // SAFETY: 8 readable floats each (the two halves of each 16-entry column).
        let tab = unsafe {
            [
                _mm256_loadu_ps(hi.as_ptr()),
                _mm256_loadu_ps(hi[8..].as_ptr()),
                _mm256_loadu_ps(lo.as_ptr()),
                _mm256_loadu_ps(lo[8..].as_ptr()),
            ]
        };
        zip8s(
            a,
            b,
            dst,
            |y, x| atan2_8s(y, x, tab),
            <super::Arctan2 as super::Binary<f32>>::eval::<true>,
        )
    }
}

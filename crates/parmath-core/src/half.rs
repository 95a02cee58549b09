//! IEEE binary16 conversions, for float16 loops that compute in float32 as NumPy's own do.

use crate::fpstatus::{OVERFLOW, UNDERFLOW};

/// The float32 value of a float16 (exact).
pub fn f16_to_f32(h: u16) -> f32 {
    let sign = u32::from(h & 0x8000) << 16;
    let exp = u32::from(h >> 10) & 0x1f;
    let man = u32::from(h & 0x3ff);
    let magnitude = match exp {
        0x1f => f32::from_bits(0x7f80_0000 | (man << 13)),
        // Subnormal: man * 2^-24, exact in float32.
        0 => man as f32 * f32::from_bits(0x3380_0000),
        _ => f32::from_bits(((exp + 112) << 23) | (man << 13)),
    };
    f32::from_bits(magnitude.to_bits() | sign)
}

/// `x` rounded to the nearest float16 (ties to even), with the overflow or underflow it raises.
pub fn f32_to_f16(x: f32) -> (u16, u8) {
    let bits = x.to_bits();
    let sign = ((bits >> 16) & 0x8000) as u16;
    let a = bits & 0x7fff_ffff;
    if a >= 0x7f80_0000 {
        // Infinity, or NaN kept quiet with the top of its payload.
        let nan = if a > 0x7f80_0000 {
            0x0200 | ((a >> 13) & 0x3ff) as u16
        } else {
            0
        };
        return (sign | 0x7c00 | nan, 0);
    }
    if a >= 0x4780_0000 {
        return (sign | 0x7c00, OVERFLOW); // 65536 and above
    }
    if a >= 0x3880_0000 {
        // Normal float16 range: rebias the exponent, round the 13 dropped bits.
        let h = (a - 0x3800_0000) >> 13;
        let rem = a & 0x1fff;
        let h = h + u32::from(rem > 0x1000 || (rem == 0x1000 && h & 1 == 1));
        return (sign | h as u16, if h >= 0x7c00 { OVERFLOW } else { 0 });
    }
    let e = a >> 23;
    if e < 102 {
        // Below 2^-25: rounds to zero.
        return (sign, if a != 0 { UNDERFLOW } else { 0 });
    }
    // Subnormal float16: count units of 2^-24.
    let man = (a & 0x7f_ffff) | 0x80_0000;
    let shift = 126 - e;
    let h = man >> shift;
    let rem = man & ((1 << shift) - 1);
    let half = 1 << (shift - 1);
    let h = h + u32::from(rem > half || (rem == half && h & 1 == 1));
    (sign | h as u16, if rem != 0 { UNDERFLOW } else { 0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference rounding through float64: exact for the values a float16 can take.
    fn nearest_f16(x: f32) -> u16 {
        (0..=0x7c00u16)
            .min_by(|&p, &q| {
                let d = |h: u16| (f64::from(f16_to_f32(h)) - f64::from(x).abs()).abs();
                d(p).partial_cmp(&d(q)).unwrap().then((p & 1).cmp(&(q & 1)))
            })
            .unwrap()
    }

    #[test]
    fn every_half_round_trips() {
        for h in 0..=u16::MAX {
            let f = f16_to_f32(h);
            let (back, status) = f32_to_f16(f);
            if f.is_nan() {
                assert!(back & 0x7c00 == 0x7c00 && back & 0x3ff != 0, "{h:#x}");
            } else {
                assert_eq!((back, status), (h, 0), "{h:#x} -> {f:e}");
            }
        }
    }

    #[test]
    fn rounding_matches_nearest_even() {
        // Midpoints and their neighbours between consecutive halves, across the whole range.
        for h in (0..0x7bffu16).step_by(7) {
            let (lo, hi) = (f64::from(f16_to_f32(h)), f64::from(f16_to_f32(h + 1)));
            let mid = ((lo + hi) / 2.0) as f32;
            for x in [
                mid,
                f32::from_bits(mid.to_bits() - 1),
                f32::from_bits(mid.to_bits() + 1),
            ] {
                assert_eq!(f32_to_f16(x).0, nearest_f16(x), "{x:e}");
                assert_eq!(f32_to_f16(-x).0, nearest_f16(x) | 0x8000, "{x:e}");
            }
        }
    }

    #[test]
    fn overflow_and_underflow() {
        assert_eq!(f32_to_f16(65504.0), (0x7bff, 0));
        assert_eq!(f32_to_f16(65519.0), (0x7bff, 0));
        assert_eq!(f32_to_f16(65520.0), (0x7c00, OVERFLOW));
        assert_eq!(f32_to_f16(1e6), (0x7c00, OVERFLOW));
        assert_eq!(f32_to_f16(-1e6), (0xfc00, OVERFLOW));
        assert_eq!(f32_to_f16(f32::INFINITY), (0x7c00, 0));
        assert_eq!(f32_to_f16(1e-9), (0, UNDERFLOW));
        assert_eq!(f32_to_f16(2.0f32.powi(-24)), (1, 0));
        assert_eq!(f32_to_f16(2.0f32.powi(-25)), (0, UNDERFLOW));
        assert_eq!(f32_to_f16(1.5 * 2.0f32.powi(-24)), (2, UNDERFLOW));
        assert_eq!(f32_to_f16(-0.0), (0x8000, 0));
    }
}

//! The float32 kernels of the AVX-512 level ([`Unary::map_avx512`](super::Unary::map_avx512)):
//! 16 lanes of float32 arithmetic with fused multiply-adds, coefficient tables held in registers and
//! read with `vpermt2ps` (32 entries from two registers), and float64 sinh (8 lanes, `vpermt2pd`).
//! Each runs on every block at that level, so a result never depends on its neighbours; the
//! per-lane kernels (float32 computed in float64) serve the other levels.

use super::super::simd512::{
    lookup16, map16, map16_all, map8_redo_range, table16, Table16, Table32 as Table,
};
use std::arch::x86_64::*;

/// The columns of a table printed as rows by `scripts/sollya/coeffs.py` (a row per interval): one
/// 32-entry array per coefficient.
const fn columns<const C: usize>(rows: &[[u32; C]; 32]) -> [[u32; 32]; C] {
    let mut out = [[0; 32]; C];
    let mut r = 0;
    while r < 32 {
        let mut c = 0;
        while c < C {
            out[c][r] = rows[r][c];
            c += 1;
        }
        r += 1;
    }
    out
}

/// x with the sign of `sign` (copysign).
#[inline]
#[target_feature(enable = "avx512f")]
fn with_sign_of(x: __m512, sign: __m512) -> __m512 {
    // Bitwise select (0xd8: c ? b : a per bit): the sign bit from `sign`, the others from x.
    _mm512_castsi512_ps(_mm512_ternarylogic_epi32::<0xd8>(
        _mm512_castps_si512(x),
        _mm512_castps_si512(sign),
        _mm512_set1_epi32(i32::MIN),
    ))
}

// ---------------------------------------------------------------------------------------------
// tanh
// ---------------------------------------------------------------------------------------------

/// tanh(a) = a + a^3 p(a^2) for a < 2^-4 (`scripts/sollya/tanh_f32.sollya`, part 1).
const TANH_P: [f32; 3] = [
    f32::from_bits(0xbeaaaaab),
    f32::from_bits(0x3e088b29),
    f32::from_bits(0xbd65172b),
];

/// Rows c0h, c0l, c1..c6 of the 29 intervals of [2^-4, 9.125] (`tanh_f32.sollya`, part 2);
/// rows 29..31 are never read.
const TANH_ROWS: [[u32; 8]; 32] = {
    let mut rows = [[0; 8]; 32];
    let used: [[u32; 8]; 29] = [
        [
            0x3d8fc35f, 0xb11d0bfd, 0x3f7ebd11, 0xbd8f0ded, 0xbea7edb7, 0x3d0eb328, 0x415f3c5d,
            0x431e1a67,
        ],
        [
            0x3daf9169, 0xaf932cd8, 0x3f7e1e5f, 0xbdae4843, 0xbea4e344, 0x3e2695dd, 0xc1922373,
            0xc4968d39,
        ],
        [
            0x3dcf49ab, 0x30fa46dc, 0x3f7d609f, 0xbdcd2a54, 0xbea3883d, 0x3dbcaa32, 0xc08d3665,
            0xc394fd45,
        ],
        [
            0x3deee849, 0x31249f03, 0x3f7c842d, 0xbdeba800, 0xbea159b1, 0x3d97b02e, 0xc0283062,
            0x417eaa29,
        ],
        [
            0x3e0f0ee8, 0x312b9b2e, 0x3f7b00e5, 0xbe0c441b, 0xbe9d58a5, 0x3db4f836, 0xbf796486,
            0x3eae370a,
        ],
        [
            0x3e2e4984, 0xb1dd8639, 0x3f789580, 0xbe293cff, 0xbe976b3d, 0x3dd7b19d, 0x3f2a1c0b,
            0x3e561962,
        ],
        [
            0x3e4d2f8e, 0xb044cd7c, 0x3f75b8ad, 0xbe44f287, 0xbe9022ee, 0x3df6a5e8, 0x3ecbeab3,
            0x3d533c42,
        ],
        [
            0x3e6bb32e, 0x31f9bb83, 0x3f726fd9, 0xbe5f3630, 0xbe880db0, 0x3e00d9fc, 0x3f43eaf6,
            0x41b2e8fc,
        ],
        [
            0x3e8c51cd, 0xb0ca5bdd, 0x3f6cc59b, 0xbe81c7ba, 0xbe7479ce, 0x3e19a033, 0xba9edf0e,
            0xbe0072e4,
        ],
        [
            0x3ea96163, 0xb21e279f, 0x3f63fb92, 0xbe96d7cf, 0xbe4c3d5f, 0x3e283e7c, 0x3da2cfa7,
            0xbe23f6cb,
        ],
        [
            0x3ec543f1, 0xb234cc3c, 0x3f59ff97, 0xbea7fb8a, 0xbe21248f, 0x3e2e1434, 0xbd50c4ea,
            0xbd4d86d9,
        ],
        [
            0x3edfd735, 0x3239724e, 0x3f4f11d7, 0xbeb50e9d, 0xbdeb8cba, 0x3e2c280c, 0xbcaea23e,
            0xbcefe2f3,
        ],
        [
            0x3f028438, 0xb2d092b5, 0x3f3d7573, 0xbec12efc, 0xbd5e78ad, 0x3e1d2406, 0xbd3b6d88,
            0xbd11a035,
        ],
        [
            0x3f18abf0, 0xb1304752, 0x3f24f360, 0xbec4be94, 0x3c6b5e79, 0x3df4c2d5, 0xbd6cadb8,
            0xbc47409b,
        ],
        [
            0x3f2bc480, 0xb2ef2d66, 0x3f0cbfe7, 0xbebce070, 0x3d839145, 0x3da386b0, 0xbd79605a,
            0x3c0fe3ec,
        ],
        [
            0x3f3bec1c, 0x32e34058, 0x3eec1a69, 0xbead510e, 0x3dc21ede, 0x3d313f77, 0xbd5fd738,
            0x3c7a7c58,
        ],
        [
            0x3f4f2e5b, 0xb20b7653, 0x3eb0a801, 0xbe8ef7d6, 0x3de347ae, 0x3b5620c3, 0xbd038eae,
            0x3c976a46,
        ],
        [
            0x3f613c53, 0xb2d5b1b9, 0x3e6753a2, 0xbe4b8704, 0x3dcbec96, 0xbcaeeb13, 0xbc1cad64,
            0x3c33c6d9,
        ],
        [
            0x3f6ce37d, 0x32fe61c8, 0x3e132f1a, 0xbe083237, 0x3d99ef2d, 0xbcce939e, 0x3abb476c,
            0x3b85bd1d,
        ],
        [
            0x3f743c4f, 0x32cec0de, 0x3db7e7d3, 0xbdaf7449, 0x3d542ea0, 0xbcaaeac5, 0x3b95f343,
            0x3a27cb23,
        ],
        [
            0x3f7a5feb, 0x32c2dfd2, 0x3d320845, 0xbd2e1ec5, 0x3cdde702, 0xbc49e765, 0x3b82582c,
            0xba3b8fd4,
        ],
        [
            0x3f7dea85, 0xb2230a38, 0x3c84d3d4, 0xbc83bf06, 0x3c2cca67, 0xbba71de1, 0x3afaea66,
            0xba0efa38,
        ],
        [
            0x3f7f3b3d, 0xb2a2cac6, 0x3bc477b7, 0xbbc3e0b4, 0x3b81cb27, 0xbb003b4d, 0x3a49f878,
            0xb97f7b30,
        ],
        [
            0x3f7fb78c, 0xb2315712, 0x3b10d3da, 0xbb10aadc, 0x3ac073a1, 0xba3f99e4, 0x39996bf3,
            0xb8c8bde3,
        ],
        [
            0x3f7fefd4, 0xb2deac68, 0x3a016015, 0xba0157ba, 0x39ac3114, 0xb92c0bbc, 0x388f3471,
            0xb7bdb051,
        ],
        [
            0x3f7ffdd0, 0xb2d03e17, 0x388c1a31, 0xb88c18cc, 0x383a95d4, 0xb7ba95d4, 0x371ba5ce,
            0xb64ef25d,
        ],
        [
            0x3f7fffb4, 0x321fd937, 0x3717b0d0, 0xb717b06d, 0x36ca0917, 0xb64a0ef5, 0x35a89ae3,
            0xb4e04b06,
        ],
        [
            0x3f7ffff6, 0xb2875c39, 0x35a43bc3, 0xb5a43b82, 0x355abe60, 0xb4dac594, 0x34368ee8,
            0xb372df74,
        ],
        [
            0x3f7fffff, 0x32fa59d7, 0x3382d8c6, 0xb382cab1, 0x332be233, 0xb2c83832, 0x31341edb,
            0xb1ea84d8,
        ],
    ];
    let mut i = 0;
    while i < 29 {
        rows[i] = used[i];
        i += 1;
    }
    rows
};
const TANH_TABLE: [[u32; 32]; 8] = columns(&TANH_ROWS);

/// tanh of 16 lanes.
///
/// a = |x| clamped to 9.125 (tanh rounds to 1 from 9.0109 on; NaN passes). a < 2^-4: a + a^3 p(a^2)
/// (relative error 2^-36.9). Otherwise the interval index i = 4e + s from a's exponent e (from
/// 2^-4 on) and two leading significand bits s; its midpoint c has a's bits cut after those two
/// and a one appended, so t = a - c is exact (|t| <= 2^e/8); tanh a = c0h + (c0l + t q(t)), q of
/// degree 5 by Horner's rule (fit error 2^-30.2 relative), c0h + c0l = tanh c to 2^-48. The tail
/// c0l + t q(t) is at most 1/8 of the result, so its rounding errors stay below 0.2 ULP, and the
/// last addition rounds once: error at most 0.5 + 0.2 + 0.03 ULP. The sign of x at the end.
#[inline]
#[target_feature(enable = "avx512f,avx512dq")]
fn tanh16(x: __m512, tab: &[Table; 8]) -> __m512 {
    let a = _mm512_abs_ps(x);
    // min and max return their second operand when either is NaN: NaN stays. Below 1/16 the
    // polynomial below serves; the table path then works on 1/16, because on smaller a (zero
    // included: the tail lanes of every call) its c is subnormal and each operation on it takes a
    // microcode assist (0.5 us a call).
    let ac = _mm512_max_ps(
        _mm512_set1_ps(0.0625),
        _mm512_min_ps(_mm512_set1_ps(9.125), a),
    );
    let bits = _mm512_castps_si512(ac);
    let idx = _mm512_max_epi32(
        _mm512_sub_epi32(_mm512_srli_epi32::<21>(bits), _mm512_set1_epi32(123 << 2)),
        _mm512_setzero_si512(),
    );
    let c = _mm512_or_si512(
        _mm512_and_si512(bits, _mm512_set1_epi32(0xffe0_0000_u32 as i32)),
        _mm512_set1_epi32(0x0010_0000),
    );
    let t = _mm512_sub_ps(ac, _mm512_castsi512_ps(c));
    let mut q = tab[7].get(idx);
    for k in (2..7).rev() {
        q = _mm512_fmadd_ps(q, t, tab[k].get(idx));
    }
    let tail = _mm512_fmadd_ps(q, t, tab[1].get(idx));
    let big = _mm512_add_ps(tab[0].get(idx), tail);
    let w = _mm512_mul_ps(a, a);
    let p = _mm512_fmadd_ps(
        _mm512_fmadd_ps(_mm512_set1_ps(TANH_P[2]), w, _mm512_set1_ps(TANH_P[1])),
        w,
        _mm512_set1_ps(TANH_P[0]),
    );
    let small = _mm512_fmadd_ps(_mm512_mul_ps(a, w), p, a);
    let is_small = _mm512_cmp_ps_mask::<_CMP_LT_OQ>(a, _mm512_set1_ps(0.0625));
    with_sign_of(_mm512_mask_blend_ps(is_small, big, small), x)
}

/// `dst = tanh(src)` for equal-length slices.
#[target_feature(enable = "avx512f,avx512dq")]
pub(super) fn tanh(src: &[f32], dst: &mut [f32]) {
    let tab = TANH_TABLE.map(|col| Table::load(&col));
    map16_all(src, dst, |x| tanh16(x, &tab));
}

// ---------------------------------------------------------------------------------------------
// sinh and cosh
// ---------------------------------------------------------------------------------------------

/// sinh(a) = a + a^3 p(a^2) for a < 1/4 (`scripts/sollya/sinh_cosh_f32.sollya`, part 1).
const SINH_P: [f32; 3] = [
    f32::from_bits(0x3e2aaaab),
    f32::from_bits(0x3c08872e),
    f32::from_bits(0x395492ba),
];
/// e^r = 1 + r + r^2 (q0 + q1 r) for |r| <= ln2/64 (part 2; relative error 2^-31.7).
const EXP_Q: [f32; 2] = [f32::from_bits(0x3f00002a), f32::from_bits(0x3e2aaab6)];
/// ln2/32 = L1 + L2 (L1 with 9 significant bits, so n L1 is exact) and 32/ln2 (part 3).
const L1: f32 = f32::from_bits(0x3cb18000);
const L2: f32 = f32::from_bits(0xb6de8083);
const INV_L: f32 = f32::from_bits(0x4238aa3b);
/// 1.5 2^23: adding it rounds to an integer, found in the low bits.
const SHIFT: f32 = 12582912.0;

/// 2^(j/32)/2 = hi + lo, rows j = 0..31 (part 4).
const EXP_ROWS: [[u32; 2]; 32] = [
    [0x3f000000, 0x00000000],
    [0x3f02cd87, 0xb2cea7a9],
    [0x3f05aac3, 0x32cf9891],
    [0x3f08980f, 0xb2feda4b],
    [0x3f0b95c2, 0xb1e0aba1],
    [0x3f0ea43a, 0xb2e97465],
    [0x3f11c3d3, 0x32e75624],
    [0x3f14f4f0, 0xb2ae0212],
    [0x3f1837f0, 0x32a31b71],
    [0x3f1b8d3a, 0xb28c5563],
    [0x3f1ef532, 0x32c12342],
    [0x3f227043, 0x3043125a],
    [0x3f25fed7, 0xb2ac9d5e],
    [0x3f29a15b, 0xb2962b08],
    [0x3f2d583f, 0xb1adeaf6],
    [0x3f3123f6, 0xb2fc5aa8],
    [0x3f3504f3, 0x324fe77a],
    [0x3f38fbaf, 0x328ec5f7],
    [0x3f3d08a4, 0xb2c14fe8],
    [0x3f412c4d, 0xb256663e],
    [0x3f45672a, 0x318aa837],
    [0x3f49b9be, 0xb2f323a2],
    [0x3f4e248c, 0x31a8fc24],
    [0x3f52a81e, 0xb2dc1daa],
    [0x3f5744fd, 0xb254a58a],
    [0x3f5bfbb8, 0xb2d04a1c],
    [0x3f60ccdf, 0xb19eab59],
    [0x3f65b907, 0xb1c41be6],
    [0x3f6ac0c7, 0xb1c116de],
    [0x3f6fe4ba, 0xb2c8464a],
    [0x3f75257d, 0x31a92436],
    [0x3f7a83b3, 0xb2123758],
];
const EXP_TABLE: [[u32; 32]; 2] = columns(&EXP_ROWS);

/// e^a and e^-a for 0 <= a <= 89.5 (NaN passes) as e^a/2 = 2^k (ah + al) and
/// e^-a/2 = 2^k (bh + bl): returns (ah, al, bh, bl, k).
///
/// a = n ln2/32 + r, |r| <= ln2/64, with n from the nearest-integer trick and r exact but for the
/// rounding of r1 - n L2 (Cody-Waite: r1 = a - n L1 is exact); e^a/2 = 2^k 2^(j/32)/2 e^r with
/// n = 32k + j, and likewise e^-a from -n. ah and bh are table entries (bh scaled by 2^(k' - k),
/// exact, 0 once far below); al = lo + hi (e^(+-r) - 1) by one fused multiply-add, below 2^-6, so
/// its rounding is below 2^-31. Relative error of (ah + al) and (bh + bl) about 2^-29 (of e^r's
/// polynomial 2^-31.7, of r 2^-30).
#[inline]
#[target_feature(enable = "avx512f,avx512dq")]
fn exp_pm(a: __m512, tab: &[Table; 2]) -> (__m512, __m512, __m512, __m512, __m512) {
    let z = _mm512_fmadd_ps(a, _mm512_set1_ps(INV_L), _mm512_set1_ps(SHIFT));
    let nf = _mm512_sub_ps(z, _mm512_set1_ps(SHIFT));
    let n = _mm512_sub_epi32(
        _mm512_castps_si512(z),
        _mm512_set1_epi32(SHIFT.to_bits() as i32),
    );
    let r = _mm512_fnmadd_ps(nf, _mm512_set1_ps(L1), a);
    let r = _mm512_fnmadd_ps(nf, _mm512_set1_ps(L2), r);
    let nm = _mm512_sub_epi32(_mm512_setzero_si512(), n);
    let k = _mm512_srai_epi32::<5>(n);
    let km = _mm512_srai_epi32::<5>(nm);
    let (ah, al) = (tab[0].get(n), tab[1].get(n));
    let (bh, bl) = (tab[0].get(nm), tab[1].get(nm));
    let r2 = _mm512_mul_ps(r, r);
    let (q0, q1) = (_mm512_set1_ps(EXP_Q[0]), _mm512_set1_ps(EXP_Q[1]));
    // e^r - 1 and e^-r - 1.
    let pp = _mm512_fmadd_ps(r2, _mm512_fmadd_ps(q1, r, q0), r);
    let pm = _mm512_fmsub_ps(r2, _mm512_fnmadd_ps(q1, r, q0), r);
    let al = _mm512_fmadd_ps(ah, pp, al);
    let bl = _mm512_fmadd_ps(bh, pm, bl);
    let d = _mm512_cvtepi32_ps(_mm512_sub_epi32(km, k));
    (
        ah,
        al,
        _mm512_scalef_ps(bh, d),
        _mm512_scalef_ps(bl, d),
        _mm512_cvtepi32_ps(k),
    )
}

/// sinh of 16 lanes.
///
/// a = |x| clamped to 89.5 (beyond the overflow threshold 89.416; NaN passes). a < 1/4:
/// a + a^3 p(a^2) (relative error 2^-34). Otherwise sinh a = 2^k ((ah - bh) + (al - bl)) from
/// `exp_pm`: ah - bh by Fast2Sum (ah > bh), its error added to al - bl, one rounding of the sum
/// (cancellation at most a factor 4.1, at a = 1/4), then the exact scaling by 2^k (inf past the
/// threshold). Error about 0.5 + 0.13 ULP. The sign of x.
#[inline]
#[target_feature(enable = "avx512f,avx512dq")]
fn sinh16(x: __m512, tab: &[Table; 2]) -> __m512 {
    let a = _mm512_abs_ps(x);
    let ac = _mm512_min_ps(_mm512_set1_ps(89.5), a);
    let (ah, al, bh, bl, k) = exp_pm(ac, tab);
    let h = _mm512_sub_ps(ah, bh);
    let e = _mm512_sub_ps(_mm512_sub_ps(ah, h), bh);
    let s = _mm512_add_ps(h, _mm512_add_ps(e, _mm512_sub_ps(al, bl)));
    let big = _mm512_scalef_ps(s, k);
    let w = _mm512_mul_ps(a, a);
    let p = _mm512_fmadd_ps(
        _mm512_fmadd_ps(_mm512_set1_ps(SINH_P[2]), w, _mm512_set1_ps(SINH_P[1])),
        w,
        _mm512_set1_ps(SINH_P[0]),
    );
    let small = _mm512_fmadd_ps(_mm512_mul_ps(a, w), p, a);
    let is_small = _mm512_cmp_ps_mask::<_CMP_LT_OQ>(a, _mm512_set1_ps(0.25));
    with_sign_of(_mm512_mask_blend_ps(is_small, big, small), x)
}

/// cosh of 16 lanes: as sinh, with (ah + bh) + (al + bl) (no cancellation) for every a.
#[inline]
#[target_feature(enable = "avx512f,avx512dq")]
fn cosh16(x: __m512, tab: &[Table; 2]) -> __m512 {
    let a = _mm512_abs_ps(x);
    let ac = _mm512_min_ps(_mm512_set1_ps(89.5), a);
    let (ah, al, bh, bl, k) = exp_pm(ac, tab);
    let h = _mm512_add_ps(ah, bh);
    let e = _mm512_sub_ps(bh, _mm512_sub_ps(h, ah));
    let s = _mm512_add_ps(h, _mm512_add_ps(e, _mm512_add_ps(al, bl)));
    _mm512_scalef_ps(s, k)
}

/// `dst = sinh(src)` for equal-length slices.
#[target_feature(enable = "avx512f,avx512dq")]
pub(super) fn sinh(src: &[f32], dst: &mut [f32], lo: f32, hi: f32) -> bool {
    let tab = EXP_TABLE.map(|col| Table::load(&col));
    map16(src, dst, lo, hi, |x| sinh16(x, &tab))
}

/// `dst = cosh(src)` for equal-length slices.
#[target_feature(enable = "avx512f,avx512dq")]
pub(super) fn cosh(src: &[f32], dst: &mut [f32], lo: f32, hi: f32) -> bool {
    let tab = EXP_TABLE.map(|col| Table::load(&col));
    map16(src, dst, lo, hi, |x| cosh16(x, &tab))
}

// ---------------------------------------------------------------------------------------------
// arcsinh, arccosh, arctanh: a logarithm of an unevaluated sum of two singles
// ---------------------------------------------------------------------------------------------

/// arctanh(a) = a + a^3 p(a^2) for a < 2^-4 (`scripts/sollya/invhyp_f32.sollya`, part 1).
const ATANH_P: [f32; 3] = [
    f32::from_bits(0x3eaaaaab),
    f32::from_bits(0x3e4cc9f0),
    f32::from_bits(0x3e150b4a),
];
/// arcsinh(a) = a + a^3 p(a^2) for a < 2^-4 (part 1).
const ASINH_P: [f32; 3] = [
    f32::from_bits(0xbe2aaaab),
    f32::from_bits(0x3d999c29),
    f32::from_bits(0xbd3a71a4),
];
/// log(1 + r) = r + r^2 q(r) for -0.0210 <= r < 1/32 (part 2; relative error 2^-31.7).
const LOG_Q: [f32; 4] = [
    f32::from_bits(0xbf000000),
    f32::from_bits(0x3eaaaad2),
    f32::from_bits(0xbe800906),
    f32::from_bits(0x3e48f4c5),
];
/// ln2 = LN2_H + LN2_L, LN2_H a multiple of 2^-16 (part 3).
const LN2_H: f32 = f32::from_bits(0x3f317200);
const LN2_L: f32 = f32::from_bits(0x35bfbe8e);
/// Rows j = 0..31 for m in [1 + j/32, 1 + (j + 1)/32): k (a multiple of 1/64, 1 for j = 0) and
/// -log k = lh + ll, lh a multiple of 2^-16 (part 4).
const LOG_ROWS: [[u32; 3]; 32] = [
    [0x3f800000, 0x00000000, 0x00000000],
    [0x3f740000, 0x3d44a000, 0x36aa14a0],
    [0x3f6c0000, 0x3da69800, 0x358ae904],
    [0x3f680000, 0x3dc99800, 0x36bcbab3],
    [0x3f600000, 0x3e08bc00, 0x35e8227e],
    [0x3f5c0000, 0x3e1b3000, 0xb4d3fa9c],
    [0x3f540000, 0x3e412000, 0xb6fa6ab9],
    [0x3f500000, 0x3e54a000, 0xb6161ba9],
    [0x3f4c0000, 0x3e688000, 0x36dfc995],
    [0x3f440000, 0x3e88bc00, 0x3668227e],
    [0x3f400000, 0x3e934c00, 0xb6ef7659],
    [0x3f3c0000, 0x3e9e1200, 0x3693b99a],
    [0x3f380000, 0x3ea91600, 0xb68fc63b],
    [0x3f340000, 0x3eb45600, 0x3603e9c7],
    [0x3f300000, 0x3ebfd800, 0xb5b884fd],
    [0x3f2c0000, 0x3ecb9e00, 0xb6e5e765],
    [0x3f280000, 0x3ed7aa00, 0xb6b56dba],
    [0x3f240000, 0x3ee40000, 0xb5c71755],
    [0x3f240000, 0x3ee40000, 0xb5c71755],
    [0x3f200000, 0x3ef0a400, 0x3621a272],
    [0x3f1c0000, 0x3efd9a00, 0x36c57bd2],
    [0x3f180000, 0x3f057400, 0xb691d2fb],
    [0x3f180000, 0x3f057400, 0xb691d2fb],
    [0x3f140000, 0x3f0c4700, 0x36e40f24],
    [0x3f100000, 0x3f134b00, 0x35844d37],
    [0x3f100000, 0x3f134b00, 0x35844d37],
    [0x3f0c0000, 0x3f1a8100, 0x368ad9d9],
    [0x3f080000, 0x3f21ed00, 0xb2d06dc4],
    [0x3f080000, 0x3f21ed00, 0xb2d06dc4],
    [0x3f040000, 0x3f299100, 0x36e26868],
    [0x3f040000, 0x3f299100, 0x36e26868],
    [0x3f000000, 0x3f317200, 0x35bfbe8e],
];
const LOG_TABLE: [[u32; 32]; 3] = columns(&LOG_ROWS);

/// log(z) + corr (log(2z) + corr in the lanes of `double`) for z >= 1 finite and |corr| <= 2^-20
/// (garbage otherwise, which the callers replace), rounded once but for errors far below an ULP.
///
/// z = 2^e m (`vgetexpps`, `vgetmantps`: m in [1, 2), exact); the five leading bits of m pick
/// k = K/64 with r = m k - 1 in [-0.0210, 1/32), exact (a multiple of 2^-29 below 2^-5, so one
/// fused multiply-add gives it). log z = e ln2 - log k + r + r^2 q(r): e LN2_H + lh is exact (both
/// on the 2^-16 grid, below 2^8), r is added to it by Fast2Sum (|e LN2_H + lh| >= 0.048 > |r|
/// unless it is 0), and the small terms (r^2 q, e LN2_L + ll, corr, the Fast2Sum error), below
/// 2^-10 of the result but where it is r + r^2 q itself, are summed apart and added last: error
/// 0.5 ULP plus about 2^-30 relative.
#[inline]
#[target_feature(enable = "avx512f,avx512dq")]
fn log_plus(z: __m512, corr: __m512, double: __mmask16, tab: &[Table; 3]) -> __m512 {
    // log(2z) in the lanes of `double`.
    let e = _mm512_getexp_ps(z);
    let e = _mm512_mask_add_ps(e, double, e, _mm512_set1_ps(1.0));
    let m = _mm512_getmant_ps::<_MM_MANT_NORM_1_2, _MM_MANT_SIGN_SRC>(z);
    let j = _mm512_srli_epi32::<18>(_mm512_castps_si512(m));
    let r = _mm512_fmsub_ps(m, tab[0].get(j), _mm512_set1_ps(1.0));
    let q = _mm512_set1_ps(LOG_Q[3]);
    let q = _mm512_fmadd_ps(q, r, _mm512_set1_ps(LOG_Q[2]));
    let q = _mm512_fmadd_ps(q, r, _mm512_set1_ps(LOG_Q[1]));
    let q = _mm512_fmadd_ps(q, r, _mm512_set1_ps(LOG_Q[0]));
    let small = _mm512_fmadd_ps(
        _mm512_mul_ps(r, r),
        q,
        _mm512_add_ps(
            _mm512_fmadd_ps(e, _mm512_set1_ps(LN2_L), tab[2].get(j)),
            corr,
        ),
    );
    let big = _mm512_fmadd_ps(e, _mm512_set1_ps(LN2_H), tab[1].get(j));
    let h = _mm512_add_ps(big, r);
    let err = _mm512_sub_ps(r, _mm512_sub_ps(h, big));
    _mm512_add_ps(h, _mm512_add_ps(err, small))
}

/// `vfixupimmps` responses, a nibble per class of the classified operand (QNaN, SNaN, 0, +1, -inf,
/// +inf, negative, positive): 0 keeps the result, 2 is the operand's NaN quieted, 3 the default
/// NaN, 5 +inf, 8 +0.
const fn fixup(tokens: [u32; 8]) -> i32 {
    let mut v = 0;
    let mut i = 0;
    while i < 8 {
        v |= tokens[i] << (4 * i);
        i += 1;
    }
    v as i32
}

/// sqrt(gh + gl) = s + sl for normal gh > 0 and |gl| <= 2^-23 gh (garbage otherwise), to about
/// 2^-40 relative: y0 = 1/sqrt(gh) to 2^-14 (`vrsqrt14ps`), s0 = gh y0, one Newton step
/// s = s0 + (gh - s0^2) y0/2 (relative error 2^-27 after its rounding), then the residual
/// gh - s^2 + gl (the first part exact, by a fused multiply-add) times y0/2 as sl.
#[inline]
#[target_feature(enable = "avx512f")]
fn sqrt_pair(gh: __m512, gl: __m512) -> (__m512, __m512) {
    // gh = 0 (arccosh(1)) would give inf, then 0 * inf: an invalid flag the call had to clear.
    let y0 = _mm512_rsqrt14_ps(_mm512_max_ps(gh, _mm512_set1_ps(f32::MIN_POSITIVE)));
    let hy = _mm512_mul_ps(_mm512_set1_ps(0.5), y0);
    let s0 = _mm512_mul_ps(gh, y0);
    let s = _mm512_fmadd_ps(hy, _mm512_fnmadd_ps(s0, s0, gh), s0);
    let d = _mm512_add_ps(_mm512_fnmadd_ps(s, s, gh), gl);
    (s, _mm512_mul_ps(hy, d))
}

/// log(zh + zl) for the arguments of arcsinh and arccosh, zh = b + s (Fast2Sum, b >= s >= 0 or
/// s >= b >= 0 as `b_first` says), zl its error plus sl; from 2^13 on (where b is the argument a
/// and the dropped 1/(4a^2) is below 2^-28 of the result) log(2a) instead (`huge`).
#[inline]
#[target_feature(enable = "avx512f,avx512dq")]
fn log_sum(
    b: __m512,
    s: __m512,
    sl: __m512,
    b_first: bool,
    huge: __mmask16,
    tab: &[Table; 3],
) -> __m512 {
    let zh = _mm512_add_ps(b, s);
    let zt = if b_first {
        _mm512_sub_ps(s, _mm512_sub_ps(zh, b))
    } else {
        _mm512_sub_ps(b, _mm512_sub_ps(zh, s))
    };
    // zl/zh to 2^-14 of itself (|zl| <= 2^-23 zh).
    let corr = _mm512_mul_ps(_mm512_add_ps(zt, sl), _mm512_rcp14_ps(zh));
    let zh = _mm512_mask_mov_ps(zh, huge, b);
    let corr = _mm512_mask_mov_ps(corr, huge, _mm512_setzero_ps());
    log_plus(zh, corr, huge, tab)
}

/// arcsinh of 16 lanes.
///
/// a = |x|. a < 2^-4: a + a^3 p(a^2) (relative error 2^-38). Otherwise log(a + sqrt(a^2 + 1)) with
/// a^2 exact as a pair (a fused multiply-add gives the low part), a^2 + 1 = gh + gl (Fast2Sum of
/// the larger and the smaller), its square root as a pair by `sqrt_pair`, and z = a + s as a pair
/// by `log_sum` and `log_plus` (relative error of z about 2^-40); from a = 2^13 on, log(2a). inf
/// gives inf and NaN stays NaN (`vfixupimmps` on a). The sign of x.
#[inline]
#[target_feature(enable = "avx512f,avx512dq")]
fn asinh16(x: __m512, tab: &[Table; 3]) -> __m512 {
    let one = _mm512_set1_ps(1.0);
    let a = _mm512_abs_ps(x);
    let a2 = _mm512_mul_ps(a, a);
    let a2l = _mm512_fmsub_ps(a, a, a2);
    let (hi, lo) = (_mm512_max_ps(a2, one), _mm512_min_ps(a2, one));
    let gh = _mm512_add_ps(hi, lo);
    let gl = _mm512_add_ps(_mm512_sub_ps(lo, _mm512_sub_ps(gh, hi)), a2l);
    let (s, sl) = sqrt_pair(gh, gl);
    let huge = _mm512_cmp_ps_mask::<_CMP_GE_OQ>(a, _mm512_set1_ps(8192.0));
    let big = log_sum(a, s, sl, false, huge, tab);
    let w2 = _mm512_mul_ps(a, a);
    let p = _mm512_fmadd_ps(
        _mm512_fmadd_ps(_mm512_set1_ps(ASINH_P[2]), w2, _mm512_set1_ps(ASINH_P[1])),
        w2,
        _mm512_set1_ps(ASINH_P[0]),
    );
    let small = _mm512_fmadd_ps(_mm512_mul_ps(a, w2), p, a);
    let is_small = _mm512_cmp_ps_mask::<_CMP_LT_OQ>(a, _mm512_set1_ps(0.0625));
    let y = _mm512_mask_blend_ps(is_small, big, small);
    // +inf gives +inf, NaN its quieted self; other classes keep y.
    const SPECIAL: i32 = fixup([2, 2, 0, 0, 0, 5, 0, 0]);
    let y = _mm512_fixupimm_ps::<0>(y, a, _mm512_set1_epi32(SPECIAL));
    with_sign_of(y, x)
}

/// arccosh of 16 lanes.
///
/// log(x + sqrt(x^2 - 1)) with x^2 - 1 = (x - 1)(x + 1) (x - 1 exact, x + 1 a pair by Fast2Sum,
/// the product a pair by a fused multiply-add), its square root as a pair (`sqrt_pair`), and
/// z = x + s as a pair by `log_sum` and `log_plus` (relative error of z about 2^-40; near x = 1,
/// z - 1 = r of `log_plus` is exact and the result is r + r^2 q(r) + corr rounded once, where the
/// 2^-14 of corr's reciprocal, below 2^-38 absolutely, is up to 2^-3 ULP of a result down to
/// 2^-11); from x = 2^13
/// on, log(2x). x = 1 gives +0, x < 1 (and -inf) NaN, +inf +inf, NaN stays NaN (`vfixupimmps` on
/// x - 1).
#[inline]
#[target_feature(enable = "avx512f,avx512dq")]
fn acosh16(x: __m512, tab: &[Table; 3]) -> __m512 {
    let one = _mm512_set1_ps(1.0);
    let xm = _mm512_sub_ps(x, one);
    let xp = _mm512_add_ps(x, one);
    let xpl = _mm512_sub_ps(one, _mm512_sub_ps(xp, x));
    let gh = _mm512_mul_ps(xm, xp);
    let gl = _mm512_fmadd_ps(xm, xpl, _mm512_fmsub_ps(xm, xp, gh));
    let (s, sl) = sqrt_pair(gh, gl);
    let huge = _mm512_cmp_ps_mask::<_CMP_GE_OQ>(x, _mm512_set1_ps(8192.0));
    let y = log_sum(x, s, sl, true, huge, tab);
    // x - 1: 0 gives +0, -inf and negatives the default NaN, +inf +inf, NaN its quieted self.
    const SPECIAL: i32 = fixup([2, 2, 8, 0, 3, 5, 3, 0]);
    _mm512_fixupimm_ps::<0>(y, xm, _mm512_set1_epi32(SPECIAL))
}

/// arctanh of 16 lanes.
///
/// a = |x|. a < 2^-4: a + a^3 p(a^2) (relative error 2^-37). Otherwise arctanh a = log(q)/2 with
/// q = (1 + a)/(1 - a): 1 + a = uh + ul and 1 - a = vh + vl exactly (Fast2Sum), R = 1/vh to 2^-14
/// (`vrcp14ps`), w = uh R and log q = log(w) + log(1 + wl/w) - log(1 + eps) with wl = uh R - w +
/// ul R (fused, exact but for 2^-48) and eps = vh R - 1 + vl R (|eps| <= 2^-14); the corrections,
/// below 2^-13, to 2^-28 of themselves (wl/w through a second `vrcp14ps`, log(1 + eps) as
/// eps - eps^2/2), by `log_plus`. a = 1 gives inf, a > 1 (and inf) NaN, NaN stays NaN (classifying
/// 1 - a with `vfixupimmps`). The sign of x.
#[inline]
#[target_feature(enable = "avx512f,avx512dq")]
fn atanh16(x: __m512, tab: &[Table; 3]) -> __m512 {
    let one = _mm512_set1_ps(1.0);
    let a = _mm512_abs_ps(x);
    let uh = _mm512_add_ps(one, a);
    let ul = _mm512_sub_ps(a, _mm512_sub_ps(uh, one));
    let vh = _mm512_sub_ps(one, a);
    let vl = _mm512_sub_ps(_mm512_sub_ps(one, vh), a);
    let r = _mm512_rcp14_ps(vh);
    let eps = _mm512_fmadd_ps(vl, r, _mm512_fmsub_ps(vh, r, one));
    let w = _mm512_mul_ps(uh, r);
    let wl = _mm512_fmadd_ps(ul, r, _mm512_fmsub_ps(uh, r, w));
    // wl/w - (eps - eps^2/2).
    let corr = _mm512_fmsub_ps(
        wl,
        _mm512_rcp14_ps(w),
        _mm512_fnmadd_ps(_mm512_mul_ps(_mm512_set1_ps(0.5), eps), eps, eps),
    );
    let big = _mm512_mul_ps(_mm512_set1_ps(0.5), log_plus(w, corr, 0, tab));
    let w2 = _mm512_mul_ps(a, a);
    let p = _mm512_fmadd_ps(
        _mm512_fmadd_ps(_mm512_set1_ps(ATANH_P[2]), w2, _mm512_set1_ps(ATANH_P[1])),
        w2,
        _mm512_set1_ps(ATANH_P[0]),
    );
    let small = _mm512_fmadd_ps(_mm512_mul_ps(a, w2), p, a);
    let is_small = _mm512_cmp_ps_mask::<_CMP_LT_OQ>(a, _mm512_set1_ps(0.0625));
    let y = _mm512_mask_blend_ps(is_small, big, small);
    const SPECIAL: i32 = fixup([2, 2, 5, 0, 3, 0, 3, 0]);
    let y = _mm512_fixupimm_ps::<0>(y, vh, _mm512_set1_epi32(SPECIAL));
    with_sign_of(y, x)
}

/// `dst = arctanh(src)` for equal-length slices.
#[target_feature(enable = "avx512f,avx512dq")]
pub(super) fn arctanh(src: &[f32], dst: &mut [f32], lo: f32, hi: f32) -> bool {
    let tab = LOG_TABLE.map(|col| Table::load(&col));
    map16(src, dst, lo, hi, |x| atanh16(x, &tab))
}

/// `dst = arcsinh(src)` for equal-length slices.
#[target_feature(enable = "avx512f,avx512dq")]
pub(super) fn arcsinh(src: &[f32], dst: &mut [f32]) {
    let tab = LOG_TABLE.map(|col| Table::load(&col));
    map16_all(src, dst, |x| asinh16(x, &tab));
}

/// `dst = arccosh(src)` for equal-length slices.
#[target_feature(enable = "avx512f,avx512dq")]
pub(super) fn arccosh(src: &[f32], dst: &mut [f32], lo: f32, hi: f32) -> bool {
    let tab = LOG_TABLE.map(|col| Table::load(&col));
    map16(src, dst, lo, hi, |x| acosh16(x, &tab))
}

// ---------------------------------------------------------------------------------------------
// sinh, float64
// ---------------------------------------------------------------------------------------------

/// e^a and e^-a for 0 <= a <= 710.5 (NaN passes) as e^a/2 = 2^k (ah + al) and
/// e^-a/2 = 2^k (bh + bl): returns (ah, al, bh, bl, k); the float32 `exp_pm` at double precision,
/// with the table and polynomial of the AVX-512 exp kernel (`kernels/exp.rs`,
/// `scripts/sollya/exp_table.sollya`).
///
/// a = n ln2/16 + r, |r| <= ln2/32 (Cody-Waite: n LN2_HI/16 exact, r rounded once and its error d
/// kept); n = 16k + j and -n = 16k' + j' pick ah, bh from a table of 2^(j/16)/2 as pairs of
/// doubles (`vpermt2pd`; bh scaled by 2^(k' - k)), al = lo + hi (e^r - 1 + d) and
/// bl = lo' + hi' (e^-r - 1 - d), e^(+-r) - 1 = E(r^2) +- O(r) the even and odd parts of the exp
/// kernel's degree-7 polynomial (relative error 2^-64). |al| and |bl| are below 2^-5.3.
#[inline]
#[target_feature(enable = "avx512f,avx512dq")]
fn exp_pm8(a: __m512d, th: Table16, tl: Table16) -> (__m512d, __m512d, __m512d, __m512d, __m512d) {
    use super::c::{INV_LN2, LN2_HI, LN2_LO, SHIFT};
    use crate::kernels::exp::avx512::C;
    let c = |v: f64| _mm512_set1_pd(v);
    let z = _mm512_fmadd_pd(a, c(INV_LN2 * 16.0), c(SHIFT));
    let nf = _mm512_sub_pd(z, c(SHIFT));
    let n = _mm512_sub_epi64(
        _mm512_castpd_si512(z),
        _mm512_set1_epi64(SHIFT.to_bits() as i64),
    );
    let r_hi = _mm512_fnmadd_pd(nf, c(LN2_HI / 16.0), a);
    let r_lo = _mm512_mul_pd(nf, c(-LN2_LO / 16.0));
    let r = _mm512_add_pd(r_hi, r_lo);
    // r's rounding error (Fast2Sum: |r_lo| < |r_hi| unless both are tiny).
    let d = _mm512_add_pd(_mm512_sub_pd(r_hi, r), r_lo);
    let nm = _mm512_sub_epi64(_mm512_setzero_si512(), n);
    let k = _mm512_srai_epi64::<4>(n);
    let km = _mm512_srai_epi64::<4>(nm);
    let (ah, al) = (lookup16(th, n), lookup16(tl, n));
    let (bh, bl) = (lookup16(th, nm), lookup16(tl, nm));
    let w = _mm512_mul_pd(r, r);
    let e = _mm512_mul_pd(
        w,
        _mm512_fmadd_pd(_mm512_fmadd_pd(c(C[4]), w, c(C[2])), w, c(C[0])),
    );
    let o = _mm512_fmadd_pd(
        _mm512_mul_pd(r, w),
        _mm512_fmadd_pd(_mm512_fmadd_pd(c(C[5]), w, c(C[3])), w, c(C[1])),
        r,
    );
    let pp = _mm512_add_pd(_mm512_add_pd(e, o), d);
    let pm = _mm512_sub_pd(_mm512_sub_pd(e, o), d);
    let al = _mm512_fmadd_pd(ah, pp, al);
    let bl = _mm512_fmadd_pd(bh, pm, bl);
    let dk = _mm512_cvtepi64_pd(_mm512_sub_epi64(km, k));
    (
        ah,
        al,
        _mm512_scalef_pd(bh, dk),
        _mm512_scalef_pd(bl, dk),
        _mm512_cvtepi64_pd(k),
    )
}

/// sinh of 8 float64 lanes: the float32 `sinh16`'s method at double precision.
///
/// a = |x| <= 710 (the caller redoes other lanes). a < 0.3465 (only for vectors with such a lane):
/// a + a^3 p(a^2) (`SINH_P`, `hyperbolic.sollya`, relative error below 2^-60). Otherwise
/// sinh a = 2^k ((ah - bh) + (al - bl)) from `exp_pm8`: ah - bh by Fast2Sum, the small parts
/// added to its error, one rounding, then `vscalefpd` by 2^k (inf past the threshold).
/// Cancellation at most a factor 2.9, and the small parts' roundings reach 2^-58 of the result:
/// error 0.5 + 0.1 ULP. The sign of x.
#[inline]
#[target_feature(enable = "avx512f,avx512dq")]
fn sinh8(x: __m512d, th: Table16, tl: Table16) -> __m512d {
    let c = |v: f64| _mm512_set1_pd(v);
    let a = _mm512_abs_pd(x);
    let (ah, al, bh, bl, k) = exp_pm8(a, th, tl);
    let h = _mm512_sub_pd(ah, bh);
    let err = _mm512_sub_pd(_mm512_sub_pd(ah, h), bh);
    let s = _mm512_add_pd(h, _mm512_add_pd(err, _mm512_sub_pd(al, bl)));
    let big = _mm512_scalef_pd(s, k);
    // The series only for vectors with a lane near 0.
    let is_small = _mm512_cmp_pd_mask::<_CMP_LT_OQ>(a, c(0.3465));
    let y = if is_small == 0 {
        big
    } else {
        _mm512_mask_blend_pd(is_small, big, sinh_series8(a))
    };
    // copysign (bitwise select, as `with_sign_of`).
    _mm512_castsi512_pd(_mm512_ternarylogic_epi64::<0xd8>(
        _mm512_castpd_si512(y),
        _mm512_castpd_si512(x),
        _mm512_set1_epi64(i64::MIN),
    ))
}

/// sinh a = a + a^3 p(a^2) for a < 0.3465 (`SINH_P`).
#[inline]
#[target_feature(enable = "avx512f,avx512dq")]
fn sinh_series8(a: __m512d) -> __m512d {
    use super::c::SINH_P;
    let c = |v: f64| _mm512_set1_pd(v);
    let w2 = _mm512_mul_pd(a, a);
    let p = &SINH_P;
    let q = _mm512_fmadd_pd(c(p[5]), w2, c(p[4]));
    let q = _mm512_fmadd_pd(q, w2, c(p[3]));
    let q = _mm512_fmadd_pd(q, w2, c(p[2]));
    let q = _mm512_fmadd_pd(q, w2, c(p[1]));
    let q = _mm512_fmadd_pd(q, w2, c(p[0]));
    _mm512_fmadd_pd(_mm512_mul_pd(a, w2), q, a)
}

/// cosh of 8 float64 lanes: as `sinh8`, with (ah + bh) + (al + bl) (no cancellation) for every a:
/// error 0.5 + 0.05 ULP.
#[inline]
#[target_feature(enable = "avx512f,avx512dq")]
fn cosh8(x: __m512d, th: Table16, tl: Table16) -> __m512d {
    let a = _mm512_abs_pd(x);
    let (ah, al, bh, bl, k) = exp_pm8(a, th, tl);
    let h = _mm512_add_pd(ah, bh);
    let err = _mm512_sub_pd(bh, _mm512_sub_pd(h, ah));
    let s = _mm512_add_pd(h, _mm512_add_pd(err, _mm512_add_pd(al, bl)));
    _mm512_scalef_pd(s, k)
}

/// The exp kernel's table of 2^(j/16), halved (exact): (high parts, low parts).
#[inline]
#[target_feature(enable = "avx512f")]
fn half_exp_table() -> (Table16, Table16) {
    use crate::kernels::exp::avx512::{T_HI, T_LO};
    let half = |bits: &[u64; 16]| {
        let (lo, hi) = table16(bits);
        let h = _mm512_set1_pd(0.5);
        (_mm512_mul_pd(lo, h), _mm512_mul_pd(hi, h))
    };
    (half(&T_HI), half(&T_LO))
}

/// `dst = sinh(src)` for equal-length float64 slices; lanes outside `[lo, hi]` (overflow, inf,
/// NaN) again by the scalar kernel.
#[target_feature(enable = "avx512f,avx512dq")]
pub(super) fn sinh_f64(src: &[f64], dst: &mut [f64], lo: f64, hi: f64) -> bool {
    let (th, tl) = half_exp_table();
    map8_redo_range(
        src,
        dst,
        lo,
        hi,
        |x| sinh8(x, th, tl),
        super::sinh64::<true>,
    )
}

/// `dst = cosh(src)` for equal-length float64 slices; lanes outside `[lo, hi]` as in
/// [`sinh_f64`].
#[target_feature(enable = "avx512f,avx512dq")]
pub(super) fn cosh_f64(src: &[f64], dst: &mut [f64], lo: f64, hi: f64) -> bool {
    let (th, tl) = half_exp_table();
    map8_redo_range(
        src,
        dst,
        lo,
        hi,
        |x| cosh8(x, th, tl),
        super::cosh64::<true>,
    )
}

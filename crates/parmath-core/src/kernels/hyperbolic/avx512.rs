//! The float32 kernels of the AVX-512 level ([`Unary::map_avx512`](super::Unary::map_avx512)):
//! 16 lanes of float32 arithmetic with fused multiply-adds, coefficient tables held in registers and
//! read with `vpermt2ps` (32 entries from two registers). Each runs on every block at that level, so
//! a result never depends on its neighbours; the per-lane float64 kernels serve the other levels.

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

/// A 32-entry column as the two registers `vpermt2ps` reads.
#[derive(Clone, Copy)]
struct Table(__m512, __m512);

impl Table {
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn load(col: &[u32; 32]) -> Table {
        // SAFETY: each half is 16 readable u32 values.
        unsafe {
            Table(
                _mm512_loadu_ps(col.as_ptr().cast()),
                _mm512_loadu_ps(col[16..].as_ptr().cast()),
            )
        }
    }

    /// Entry `idx & 31` of each lane.
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn get(self, idx: __m512i) -> __m512 {
        _mm512_permutex2var_ps(self.0, idx, self.1)
    }
}

/// Runs `f` over 16 lanes at a time, the tail under a mask.
#[inline(always)]
fn map16(src: &[f32], dst: &mut [f32], f: impl Fn(__m512) -> __m512) {
    let mut chunks = src.chunks_exact(16).zip(dst.chunks_exact_mut(16));
    for (s, d) in &mut chunks {
        // SAFETY: both chunks hold 16 elements; the caller enabled AVX-512F.
        unsafe { _mm512_storeu_ps(d.as_mut_ptr(), f(_mm512_loadu_ps(s.as_ptr()))) };
    }
    let done = src.len() / 16 * 16;
    let (s, d) = (&src[done..], &mut dst[done..]);
    if !s.is_empty() {
        let mask: __mmask16 = ((1u32 << s.len()) - 1) as u16;
        // SAFETY: the mask covers exactly the remaining elements of both slices.
        unsafe {
            let x = _mm512_maskz_loadu_ps(mask, s.as_ptr());
            _mm512_mask_storeu_ps(d.as_mut_ptr(), mask, f(x));
        }
    }
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
/// (relative error 2^-36.1). Otherwise the interval index i = 4e + s from a's exponent e (from
/// 2^-4 on) and two leading significand bits s; its midpoint c has a's bits cut after those two
/// and a one appended, so t = a - c is exact (|t| <= 2^e/8); tanh a = c0h + (c0l + t q(t)), q of
/// degree 5 by Horner's rule (fit error 2^-30.2 relative), c0h + c0l = tanh c to 2^-48. The tail
/// c0l + t q(t) is at most 1/8 of the result, so its rounding errors stay below 0.2 ULP, and the
/// last addition rounds once: error at most 0.5 + 0.2 + 0.03 ULP. The sign of x at the end.
#[inline]
#[target_feature(enable = "avx512f,avx512dq")]
fn tanh16(x: __m512, tab: &[Table; 8]) -> __m512 {
    let a = _mm512_abs_ps(x);
    // min returns its second operand when either is NaN: NaN stays.
    let ac = _mm512_min_ps(_mm512_set1_ps(9.125), a);
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
    map16(src, dst, |x| tanh16(x, &tab));
}

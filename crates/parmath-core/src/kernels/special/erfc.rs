//! `erfc(x) = 1 - erf(x)`, the complementary error function (SciPy's `scipy.special.erfc`; C99's
//! `erfc`, Annex F).
//!
//! Domain: all floats. erfc(-inf) = 2, erfc(inf) = +0, erfc(+-0) = 1, erfc(nan) = nan. Results are
//! subnormal above about 26.543 (float32 9.1945) and round to +0 above about 27.2 (float32 10.05);
//! those raise underflow (IEEE 754; SciPy's ufunc reports no error).
//!
//! Method (see `erfc_core`): for x >= 0.5, erfc(x) = exp(-x^2) erfcx(x), where erfcx(x) =
//! exp(x^2) erfc(x) is an entire, slowly varying function approximated on five intervals by minimax
//! polynomials of degree 18 (`scripts/sollya/erfc.sollya`, relative error below 2^-64): in
//! d = x - m on [m - 1/2, m + 1/2], m = 1..4, and in d = 1/x - 0.1294 for x >= 4.5 (1/x as a
//! double-double). The interval is chosen branch-free: every lane loads its polynomial's row of
//! coefficients by the interval's index (a gather when vectorised; selecting them by compares made
//! LLVM pick a row pointer, and the loop stayed scalar). Its two leading terms are summed exactly
//! (double-double coefficients, FMA or Dekker products, 2Sum). exp(-x^2) is a double-double:
//! x^2 = s + e exactly, exp(-s) by the shared double-double exp (Cody-Waite reduction, minimax
//! polynomial), times 1 - e. The product rounds once (twice for subnormal results). For |x| < 0.5, erfc(x) = (1 - x) - x p(x^2)
//! with erf's polynomial (`scripts/sollya/erf.sollya`) and 1 - x exact; for x <= -0.5,
//! erfc(x) = 2 - erfc(-x) with the double-double above. The same method as in Cody's rational
//! Chebyshev approximations of erf/erfc (W. J. Cody, Math. Comp. 23, 1969): split by range, erfc as
//! exp(-x^2) times a smooth factor for large arguments; here with polynomials and double-double steps.
//! float32, in plain float64 rounded once (`erfc32_core`): erfcx from a table of 40 polynomials of
//! degree 8 in x - c on intervals of width 1/4 from 0.5 to 10.5, the coefficients loaded by the
//! interval's index (`scripts/sollya/erf_float32.sollya`, relative error 2^-43.4), times exp(-x^2)
//! (x^2 exact for a float32 x; the high part of the double-double exp); below 0.5,
//! 1 - (x + x p(x^2)) with erf's float32 polynomial; 2 - erfc(-x) below -0.5.
//!
//! Error bound: relative error of the unrounded result below 2^-55 (polynomial 2^-64, double-double
//! exp 2^-56, roundings of the small terms), so at most 0.5 + 2^-2 ULP. Measured maxima: float64
//! 0.71 ULP (mpmath, 4000 random inputs in each of 14 ranges from 0 to 27.3; 0.67 in
//! `tests/test_accuracy.py`), at most one step from the correctly rounded result at every level
//! (98.6% correctly rounded, `tests/accuracy.rs`). float32: relative error below 2^-43 before the
//! one rounding, so at most 0.5 + 2^-19 ULP; measured 0.5000 ULP on every input at generic and
//! avx512 (all but 10 correctly rounded).

use super::erf::{small_p, small_p32};
use super::{exp_dd, pow2, scale, sub_from};
use crate::fpstatus::UNDERFLOW;
use crate::kernels::dd::{two_prod, two_sum};
use crate::kernels::{flag, fma64, Unary};

/// The `erfc` kernel.
#[derive(Debug)]
pub struct Erfc;

/// The largest float64 whose erfc is at least the smallest normal number; above it erfc underflows.
pub const F64_TINY_X: f64 = 26.543258454250978;
/// The largest float32 whose erfc is at least the smallest normal float32.
pub const F32_TINY_X: f32 = 9.194549;

/// The polynomials of erfcx on the intervals `[m - 1/2, m + 1/2]`, m = 1..4, in x - m, and on
/// [4.5, 27.5] in 1/x - `U_MID`: c0 hi, c0 lo, c1 hi, c1 lo, c2..c18 (`scripts/sollya/erfc.sollya`).
pub(super) const C: [[f64; 21]; 5] = [
    [
        f64::from_bits(0x3fdb5d8780f956b2),
        f64::from_bits(0x3c58248aacad2d3c),
        f64::from_bits(0xbfd17c4e3f17c050),
        f64::from_bits(0xbc5a398837307218),
        f64::from_bits(0x3fc3c27283c32cc4),
        f64::from_bits(0xbfb44837f8906fc2),
        f64::from_bits(0x3fa33cad0ef5e9c0),
        f64::from_bits(0xbf910fcf1b55a12b),
        f64::from_bits(0x3f7c8cb958c84f7c),
        f64::from_bits(0xbf66af2654d3c14c),
        f64::from_bits(0x3f5135262e575e65),
        f64::from_bits(0xbf3908223d49ed38),
        f64::from_bits(0x3f2184fc35ff24ef),
        f64::from_bits(0xbf07ab1a8ef3f414),
        f64::from_bits(0x3eeef08bc4d7dbf7),
        f64::from_bits(0xbed39ccab9b41730),
        f64::from_bits(0x3eb827ac60a5bc01),
        f64::from_bits(0xbe9cd662caac6c16),
        f64::from_bits(0x3e80ddf478a4d98e),
        f64::from_bits(0xbe651e930ec24286),
        f64::from_bits(0x3e473f586308336c),
    ],
    [
        f64::from_bits(0x3fd058671b52c776),
        f64::from_bits(0xbc53b79d61099110),
        f64::from_bits(0xbfbb57034efd3f72),
        f64::from_bits(0xbc55a29d57c03497),
        f64::from_bits(0x3fa5672b9ea13de6),
        f64::from_bits(0xbf8fa9d3ac955d96),
        f64::from_bits(0x3f764907215a3c81),
        f64::from_bits(0xbf5e028e8a56d28e),
        f64::from_bits(0x3f4369ffa07cc7b3),
        f64::from_bits(0xbf28382216828191),
        f64::from_bits(0x3f0d37ba5506406d),
        f64::from_bits(0xbef115cfdd90024b),
        f64::from_bits(0x3ed369771e341a1b),
        f64::from_bits(0xbeb57780334d9b8a),
        f64::from_bits(0x3e9724953a231edf),
        f64::from_bits(0xbe785bd9e2c2f262),
        f64::from_bits(0x3e590ec7fc44678c),
        f64::from_bits(0xbe392de430b418a7),
        f64::from_bits(0x3e18f40ba5b88f2b),
        f64::from_bits(0xbdf9bad4fd4c0442),
        f64::from_bits(0x3dd6d1db3539f83f),
    ],
    [
        f64::from_bits(0x3fc6e9827d229d2d),
        f64::from_bits(0xbc590726e60f82ea),
        f64::from_bits(0xbfabd6ae4d14b16f),
        f64::from_bits(0x3c28d973a9e01494),
        f64::from_bits(0x3f9043fe1a98c0cd),
        f64::from_bits(0xbf7259061ba85692),
        f64::from_bits(0x3f5409cc2ed3ff14),
        f64::from_bits(0xbf353dec9d089560),
        f64::from_bits(0x3f15e73930481c87),
        f64::from_bits(0xbef6025103c17544),
        f64::from_bits(0x3ed595f1b61685a2),
        f64::from_bits(0xbeb4b146288ffc89),
        f64::from_bits(0x3e936990258af893),
        f64::from_bits(0xbe71d791276e2957),
        f64::from_bits(0x3e501517b1aa4f87),
        f64::from_bits(0xbe2c75388af68cc0),
        f64::from_bits(0x3e08b52241eeeacb),
        f64::from_bits(0xbde51cd1deea9bdc),
        f64::from_bits(0x3dc29dc027fa81b0),
        f64::from_bits(0xbd9ed8164ec68c81),
        f64::from_bits(0x3d39689e1be9dd2d),
    ],
    [
        f64::from_bits(0x3fc18932bf08e154),
        f64::from_bits(0x3c609833476ff135),
        f64::from_bits(0xbfa094922737431a),
        f64::from_bits(0x3c2646f7615cec9c),
        f64::from_bits(0x3f7e9412fa33c74b),
        f64::from_bits(0xbf5b8b6382729f08),
        f64::from_bits(0x3f38457bbe094286),
        f64::from_bits(0xbf14f2981c3bec3a),
        f64::from_bits(0x3ef1ba135ef0dc71),
        f64::from_bits(0xbecd727479819dd4),
        f64::from_bits(0x3ea806c913a3a791),
        f64::from_bits(0xbe8345efaa4f0b10),
        f64::from_bits(0x3e5e6bd303957202),
        f64::from_bits(0xbe37a304b9271aa1),
        f64::from_bits(0x3e121898db68022c),
        f64::from_bits(0xbdeb4c406210bc18),
        f64::from_bits(0x3dc3ce8d47003829),
        f64::from_bits(0xbd9dd4a62fd851d7),
        f64::from_bits(0x3d8b10a136b2bea6),
        f64::from_bits(0xbd4f2d4ef469234e),
        f64::from_bits(0xbd7ae77f43d6058c),
    ],
    [
        f64::from_bits(0x3fb2893deb79e6d4),
        f64::from_bits(0x3c5ee4375ba98c50),
        f64::from_bits(0x3fe19e5c19762270),
        f64::from_bits(0xbc544006ebb49190),
        f64::from_bits(0xbfb9dfc212be5ef3),
        f64::from_bits(0xbfcc34917de3b222),
        f64::from_bits(0x3fca956360c47acd),
        f64::from_bits(0x3fc39d6f8f6d3b6c),
        f64::from_bits(0xbfdf702be0489936),
        f64::from_bits(0x3fc38f9cd9ddbbbf),
        f64::from_bits(0x3ff1195317cf02a8),
        f64::from_bits(0xbffc7e4f9926632f),
        f64::from_bits(0xbff01689d5d93f01),
        f64::from_bits(0x401f98a912492a52),
        f64::from_bits(0xc021ce3128a30cc5),
        f64::from_bits(0xc031fdf9c836440c),
        f64::from_bits(0x40527c57a5b12d6a),
        f64::from_bits(0xc04b49439b1e35e7),
        f64::from_bits(0xc07140ef22305cfe),
        f64::from_bits(0x40861d49aebb08c8),
        f64::from_bits(0x40659c3d4bfea02d),
    ],
];
/// erfcx(x) = exp(x^2) erfc(x) on [0.5 + i/4, 0.75 + i/4], i = 0..39: d^0..d^8 in d = x - (0.625 + i/4)
/// (`scripts/sollya/erf_float32.sollya`; relative error below 2^-43.4).
const E32: [[f64; 9]; 40] = [
    [
        f64::from_bits(0x3fe1d16b5809eae1),
        f64::from_bits(0xbfdbabd0e4f0b692),
        f64::from_bits(0x3fd2577420fdc508),
        f64::from_bits(0xbfc59c35c67c3d49),
        f64::from_bits(0x3fb72d46a7df9931),
        f64::from_bits(0xbfa6fcd06c06835a),
        f64::from_bits(0x3f9552f8454f0ea0),
        f64::from_bits(0xbf82c419a51ce3fa),
        f64::from_bits(0x3f6f1dc9f20ae239),
    ],
    [
        f64::from_bits(0x3fddb747ee409ab7),
        f64::from_bits(0xbfd4369f60190140),
        f64::from_bits(0x3fc80ef8f45562bf),
        f64::from_bits(0xbfb9d58692ae62ce),
        f64::from_bits(0x3fa9831c2bd97c70),
        f64::from_bits(0xbf9779cc2323e2e8),
        f64::from_bits(0x3f84525ece364f3b),
        f64::from_bits(0xbf70c18f75fbd485),
        f64::from_bits(0x3f5a28b2ae2d21c7),
    ],
    [
        f64::from_bits(0x3fd9531e09b149b0),
        f64::from_bits(0xbfce78b35676c1ad),
        f64::from_bits(0x3fc05e72521cd199),
        f64::from_bits(0xbfb01343a4c9b034),
        f64::from_bits(0x3f9d4e711a1034ce),
        f64::from_bits(0xbf891097a63670fe),
        f64::from_bits(0x3f7446bfe2d9bffb),
        f64::from_bits(0xbf5f5e055598b504),
        f64::from_bits(0x3f47129558d2de3f),
    ],
    [
        f64::from_bits(0x3fd5f88f52f3c769),
        f64::from_bits(0xbfc797a639d7f08f),
        f64::from_bits(0x3fb701342cbd0a2d),
        f64::from_bits(0xbfa4bcdb9f4fb89c),
        f64::from_bits(0x3f917eba60ee2262),
        f64::from_bits(0xbf7bdf185ab7f68e),
        f64::from_bits(0x3f651ab535ceb42a),
        f64::from_bits(0xbf4eab64ff159b27),
        f64::from_bits(0x3f3547cbda1117c7),
    ],
    [
        f64::from_bits(0x3fd3583f6644327a),
        f64::from_bits(0xbfc2b11e695983cb),
        f64::from_bits(0x3fb0a15ac2adb52a),
        f64::from_bits(0xbf9ba018e7d9a0ce),
        f64::from_bits(0x3f85a14294c47d21),
        f64::from_bits(0xbf7014e53f8ee843),
        f64::from_bits(0x3f56d60569837af6),
        f64::from_bits(0xbf3f38d8e405ee93),
        f64::from_bits(0x3f2475bd24308636),
    ],
    [
        f64::from_bits(0x3fd13e5743b60480),
        f64::from_bits(0xbfbe36580c7f649b),
        f64::from_bits(0x3fa8a6efeed23fd1),
        f64::from_bits(0xbf92ef92f7b1da31),
        f64::from_bits(0x3f7b99589d648e58),
        f64::from_bits(0xbf6332326d221e23),
        f64::from_bits(0x3f499b5ceb7ed767),
        f64::from_bits(0xbf307ee397b2ed9e),
        f64::from_bits(0x3f147143402add43),
    ],
    [
        f64::from_bits(0x3fcf0fd28fdc20ab),
        f64::from_bits(0xbfb8d6f73d5a99e9),
        f64::from_bits(0x3fa2adaf7aaf59c1),
        f64::from_bits(0xbf8aa2443b69fdeb),
        f64::from_bits(0x3f721decee2eabf4),
        f64::from_bits(0xbf57a17c52eb696b),
        f64::from_bits(0x3f3dab51c80d92a8),
        f64::from_bits(0xbf220a4e9bcb988d),
        f64::from_bits(0x3f052b969cfd7928),
    ],
    [
        f64::from_bits(0x3fcc3987d04d0b97),
        f64::from_bits(0xbfb4baeac94dc506),
        f64::from_bits(0x3f9cdc880a0576f2),
        f64::from_bits(0xbf832a8abcee1898),
        f64::from_bits(0x3f68680d28552132),
        f64::from_bits(0xbf4deb40933f74f8),
        f64::from_bits(0x3f31b6486255ff0d),
        f64::from_bits(0xbf145d90fe69dcb9),
        f64::from_bits(0x3ef6a842c0cb9619),
    ],
    [
        f64::from_bits(0x3fc9d7738e1f4db7),
        f64::from_bits(0xbfb18737afe104e1),
        f64::from_bits(0x3f96afd3ba3fa8d7),
        f64::from_bits(0xbf7c28dd3cb2a2f6),
        f64::from_bits(0x3f60d40a2abfa11a),
        f64::from_bits(0xbf436e967331d5b0),
        f64::from_bits(0x3f25bd1be88aacfb),
        f64::from_bits(0xbf07ac6339b34ecb),
        f64::from_bits(0x3ee903aff0fc654d),
    ],
    [
        f64::from_bits(0x3fc7d0a5e9dd5710),
        f64::from_bits(0xbfadfc0205709916),
        f64::from_bits(0x3f921c23afa34345),
        f64::from_bits(0xbf7512f9300131bd),
        f64::from_bits(0x3f57b404aa0b04a1),
        f64::from_bits(0xbf39d6ef19f43868),
        f64::from_bits(0x3f1b5d7853e3bb5b),
        f64::from_bits(0xbefc45b2987b5533),
        f64::from_bits(0x3edc6600b29e504f),
    ],
    [
        f64::from_bits(0x3fc612a8125451bd),
        f64::from_bits(0xbfa9e8803e1770fb),
        f64::from_bits(0x3f8d503e1d201b0f),
        f64::from_bits(0xbf7009a92740b7c0),
        f64::from_bits(0x3f5104973f7c148c),
        f64::from_bits(0xbf318d44a4652986),
        f64::from_bits(0x3f11a12d9de88ffb),
        f64::from_bits(0xbef14f1167945995),
        f64::from_bits(0x3ed08c52e6c3b3a9),
    ],
    [
        f64::from_bits(0x3fc48f8f10299b71),
        f64::from_bits(0xbfa696d353f0080b),
        f64::from_bits(0x3f8804cc157145ce),
        f64::from_bits(0xbf68c84c13d289b7),
        f64::from_bits(0x3f48de5f267ebae8),
        f64::from_bits(0xbf2851165989015d),
        f64::from_bits(0x3f07350e0c783a9a),
        f64::from_bits(0xbee5b0308bb15960),
        f64::from_bits(0x3ec3c9e2728a54b7),
    ],
    [
        f64::from_bits(0x3fc33cb19179d7f6),
        f64::from_bits(0xbfa3dacc8d85f661),
        f64::from_bits(0x3f83e683138704d2),
        f64::from_bits(0xbf636992d3901b6e),
        f64::from_bits(0x3f4276b01f08254b),
        f64::from_bits(0xbf212679dbd9ba0c),
        f64::from_bits(0x3eff28afe8d8dddc),
        f64::from_bits(0xbedbc30e6af5968f),
        f64::from_bits(0x3eb834618253e1f8),
    ],
    [
        f64::from_bits(0x3fc211c625924e34),
        f64::from_bits(0xbfa193eb7b9bf529),
        f64::from_bits(0x3f80a7a05d336fd6),
        f64::from_bits(0xbf5ecb581c43ce1c),
        f64::from_bits(0x3f3bd21afb9783a9),
        f64::from_bits(0xbf1898582131d094),
        f64::from_bits(0x3ef54d5d73361c14),
        f64::from_bits(0xbed21f825e1f458d),
        f64::from_bits(0x3eae693b34fe7efa),
    ],
    [
        f64::from_bits(0x3fc10845e1dcb19a),
        f64::from_bits(0xbf9f53cfd5c1113e),
        f64::from_bits(0x3f7c21d6f4a4a1cd),
        f64::from_bits(0xbf58b46c6507f9a7),
        f64::from_bits(0x3f353e396346589d),
        f64::from_bits(0xbf11e806ebb7cd5f),
        f64::from_bits(0x3eed9f6c5f05bc13),
        f64::from_bits(0xbec8197de212563b),
        f64::from_bits(0x3ea32e5fa2be28fc),
    ],
    [
        f64::from_bits(0x3fc01afcc22e71b8),
        f64::from_bits(0xbf9c14b6f7f3c2c3),
        f64::from_bits(0x3f77f51652a46a10),
        f64::from_bits(0xbf5406f090b37e4b),
        f64::from_bits(0x3f306bf9a2fa5a0e),
        f64::from_bits(0xbf0a712c13f71082),
        f64::from_bits(0x3ee4eb8d7bc6207d),
        f64::from_bits(0xbec04c7a47b90b21),
        f64::from_bits(0x3e98e898691bbd6a),
    ],
    [
        f64::from_bits(0x3fbe8b725e90fb8d),
        f64::from_bits(0xbf994e4c65b27fba),
        f64::from_bits(0x3f748ea08fa98e5e),
        f64::from_bits(0xbf50641d50f632fe),
        f64::from_bits(0x3f29adea9f3178be),
        f64::from_bits(0xbf03c747f046da57),
        f64::from_bits(0x3eddfab1904c0eab),
        f64::from_bits(0xbeb665e15c780f54),
        f64::from_bits(0x3e9051ab886f9699),
    ],
    [
        f64::from_bits(0x3fbd0a2236d493ea),
        f64::from_bits(0xbf96ea9db6445294),
        f64::from_bits(0x3f71c3200b14e828),
        f64::from_bits(0xbf4b1138baedc511),
        f64::from_bits(0x3f244a17943fcfcc),
        f64::from_bits(0xbefdf23258f4f8b2),
        f64::from_bits(0x3ed5c54c63063b5e),
        f64::from_bits(0xbeaf3cba2e1dc248),
        f64::from_bits(0x3e863f4524f0934b),
    ],
    [
        f64::from_bits(0x3fbbac6ca42e1bfb),
        f64::from_bits(0xbf94d86dc5445fff),
        f64::from_bits(0x3f6ee3ffedd02e07),
        f64::from_bits(0xbf4687d168f0b232),
        f64::from_bits(0x3f202fdcfa2a3bd0),
        f64::from_bits(0xbef6ecb636d3103b),
        f64::from_bits(0x3ed0025d78bb1ab9),
        f64::from_bits(0xbea6159313fa4f6b),
        f64::from_bits(0x3e7dc7b0ccc3e49e),
    ],
    [
        f64::from_bits(0x3fba6dab49575b6d),
        f64::from_bits(0xbf930a0ebefa7fec),
        f64::from_bits(0x3f6b04ef16d7f280),
        f64::from_bits(0xbf42e52cf821941d),
        f64::from_bits(0x3f1a0faa96a589f7),
        f64::from_bits(0xbef1bb842af3abb7),
        f64::from_bits(0x3ec7d2083f708d70),
        f64::from_bits(0xbe9fa17799eb6b3a),
        f64::from_bits(0x3e74ae7d1cf3c2de),
    ],
    [
        f64::from_bits(0x3fb949fbeb63d761),
        f64::from_bits(0xbf91748bb019ff27),
        f64::from_bits(0x3f67c2ef77e92a59),
        f64::from_bits(0xbf3fe9e2a1b460dc),
        f64::from_bits(0x3f1527c1e0d2b146),
        f64::from_bits(0xbeebb2e5958e77f0),
        f64::from_bits(0x3ec1ea7366391372),
        f64::from_bits(0xbe96ed10ce2b74ec),
        f64::from_bits(0x3e6c2f07248e3352),
    ],
    [
        f64::from_bits(0x3fb83e1a154593d6),
        f64::from_bits(0xbf900f0a28e0b709),
        f64::from_bits(0x3f6500652770b5ec),
        f64::from_bits(0xbf3b1ffaa6fba2eb),
        f64::from_bits(0x3f114e9151bd47e3),
        f64::from_bits(0xbee5d442bdcfb5e2),
        f64::from_bits(0x3ebb38f572f72f5d),
        f64::from_bits(0xbe90ce1f3b1473a3),
        f64::from_bits(0x3e65d3cedc36f827),
    ],
    [
        f64::from_bits(0x3fb747414effdae0),
        f64::from_bits(0xbf8da4a7e35becd7),
        f64::from_bits(0x3f62a6189daf1bb7),
        f64::from_bits(0xbf37318428a5b080),
        f64::from_bits(0x3f0c85edd6f17a71),
        f64::from_bits(0xbee1594d8bb621f8),
        f64::from_bits(0x3eb4e1c0daf5c7f5),
        f64::from_bits(0xbe88e6188c9b4aec),
        f64::from_bits(0x3e5eb6dbcefb71a8),
    ],
    [
        f64::from_bits(0x3fb66315c5706f0b),
        f64::from_bits(0xbf8b70fb7681780b),
        f64::from_bits(0x3f60a1ac6028850b),
        f64::from_bits(0xbf33f1651ac273d1),
        f64::from_bits(0x3f07a9f9d546d756),
        f64::from_bits(0xbedbcb661cef5f8e),
        f64::from_bits(0x3eb029bc9648091f),
        f64::from_bits(0xbe82a1165439d438),
        f64::from_bits(0x3e53a9157087c61a),
    ],
    [
        f64::from_bits(0x3fb58f91d4c57cca),
        f64::from_bits(0xbf89794607880b02),
        f64::from_bits(0x3f5dc8f5a234aab8),
        f64::from_bits(0xbf313ce26f05dda2),
        f64::from_bits(0x3f03c1e9ac5f6073),
        f64::from_bits(0xbed66e17f8cab322),
        f64::from_bits(0x3ea939e300c90025),
        f64::from_bits(0xbe7c23990fecaf7f),
        f64::from_bits(0x3e5191b3749fe0bd),
    ],
    [
        f64::from_bits(0x3fb4caf750fa3231),
        f64::from_bits(0xbf87b56355cc257e),
        f64::from_bits(0x3f5ac57ccfb0754a),
        f64::from_bits(0xbf2df2033815897f),
        f64::from_bits(0x3f009820b8e5f784),
        f64::from_bits(0xbed23a260a370420),
        f64::from_bits(0x3ea3d89443f57ce7),
        f64::from_bits(0xbe75705dc8c0c79a),
        f64::from_bits(0x3e477fa7cfa731df),
    ],
    [
        f64::from_bits(0x3fb413c3b2dcd435),
        f64::from_bits(0xbf861e827af73700),
        f64::from_bits(0x3f5825df5629ab41),
        f64::from_bits(0xbf2a214309ab22df),
        f64::from_bits(0x3efc07f439791030),
        f64::from_bits(0xbecdd15aaded2c71),
        f64::from_bits(0x3e9f74a346605a42),
        f64::from_bits(0xbe7078a210b9bab6),
        f64::from_bits(0x3e434da80d674cfc),
    ],
    [
        f64::from_bits(0x3fb368a68664ffee),
        f64::from_bits(0xbf84aee62ebfbeeb),
        f64::from_bits(0x3f55da94d30ed122),
        f64::from_bits(0xbf26e62a07a8db58),
        f64::from_bits(0x3ef7ccc2894b5de8),
        f64::from_bits(0xbec88a4592dea68f),
        f64::from_bits(0x3e991ac11c36e4cf),
        f64::from_bits(0xbe6982166ab3a324),
        f64::from_bits(0x3e3f084474abcba5),
    ],
    [
        f64::from_bits(0x3fb2c8799eb812b4),
        f64::from_bits(0xbf8361b27d94cc84),
        f64::from_bits(0x3f53d6dfc1905845),
        f64::from_bits(0xbf2426342e9a75c2),
        f64::from_bits(0x3ef44ec08de481d9),
        f64::from_bits(0xbec45074d2187baa),
        f64::from_bits(0x3e942df73e7073f4),
        f64::from_bits(0xbe63e610984b46cf),
        f64::from_bits(0x3e19905ad78dbe1d),
    ],
    [
        f64::from_bits(0x3fb2323ab16589c9),
        f64::from_bits(0xbf8232c4d153e57c),
        f64::from_bits(0x3f52103cd5bd2be4),
        f64::from_bits(0xbf21cc27d25066cf),
        f64::from_bits(0x3ef168b44b700851),
        f64::from_bits(0xbec0e8a13571498f),
        f64::from_bits(0x3e90500f568d2d8b),
        f64::from_bits(0xbe5f4343fa2d17ba),
        f64::from_bits(0x3e20bc02f9f77ecd),
    ],
    [
        f64::from_bits(0x3fb1a50610170102),
        f64::from_bits(0xbf811e93f59f33b9),
        f64::from_bits(0x3f507df2a853c97e),
        f64::from_bits(0xbf1f8dd638979637),
        f64::from_bits(0x3eedfaf80b749b9d),
        f64::from_bits(0xbebc4b71c6067bdc),
        f64::from_bits(0x3e8a8444090b7692),
        f64::from_bits(0xbe58b9779454f711),
        f64::from_bits(0x3e363d55958a8f65),
    ],
    [
        f64::from_bits(0x3fb12012483654f3),
        f64::from_bits(0xbf80221654dd3f7b),
        f64::from_bits(0x3f4e3173af5acc3d),
        f64::from_bits(0xbf1c11425bd4c0d5),
        f64::from_bits(0x3ee9ec470083323e),
        f64::from_bits(0xbeb7ca69abe9c16f),
        f64::from_bits(0x3e85b098fcdcef7c),
        f64::from_bits(0xbe53ad6e9f09f84d),
        f64::from_bits(0x3e3027179875eb58),
    ],
    [
        f64::from_bits(0x3fb0a2ac7c5cca9a),
        f64::from_bits(0xbf7e755a2e90fed5),
        f64::from_bits(0x3f4bb4efa150edc5),
        f64::from_bits(0xbf190bf8c65907ea),
        f64::from_bits(0x3ee680ed5d5d904e),
        f64::from_bits(0xbeb418e0fd3c9a23),
        f64::from_bits(0x3e81d9059d8e9851),
        f64::from_bits(0xbe4f82287360e67c),
        f64::from_bits(0x3dfd1009301afc49),
    ],
    [
        f64::from_bits(0x3fb02c3554c1d773),
        f64::from_bits(0xbf7ccc263b906921),
        f64::from_bits(0x3f497c0fdbdf1ad9),
        f64::from_bits(0xbf166b709b95614e),
        f64::from_bits(0x3ee39bddca34c79b),
        f64::from_bits(0xbeb10d714ee2b785),
        f64::from_bits(0x3e7d83045d0964f2),
        f64::from_bits(0xbe495f2034795886),
        f64::from_bits(0xbe0a7c283566ff8e),
    ],
    [
        f64::from_bits(0x3faf783cd62d82c6),
        f64::from_bits(0xbf7b449e1ca6d840),
        f64::from_bits(0x3f477e1f5fcce145),
        f64::from_bits(0xbf1420633ad4cf59),
        f64::from_bits(0x3ee125c61eb4fd47),
        f64::from_bits(0xbead0f74ff961f77),
        f64::from_bits(0x3e787cd73489e505),
        f64::from_bits(0xbe448ad16733e8e1),
        f64::from_bits(0x3e1ac8c3cb307276),
    ],
    [
        f64::from_bits(0x3faea3d037a209f6),
        f64::from_bits(0xbf79db4fa9a996a4),
        f64::from_bits(0x3f45b3b733d3c25e),
        f64::from_bits(0xbf121e297cfc139f),
        f64::from_bits(0x3ede17a5297848c9),
        f64::from_bits(0xbea8dc8585370063),
        f64::from_bits(0x3e7473231f485867),
        f64::from_bits(0xbe40b804c50d1d71),
        f64::from_bits(0xbe0924fbd892c148),
    ],
    [
        f64::from_bits(0x3fadda3f567c9b7a),
        f64::from_bits(0xbf788d363ba5e5f4),
        f64::from_bits(0x3f441685ae4052ff),
        f64::from_bits(0xbf105a3baaad40d7),
        f64::from_bits(0x3eda7d79650c3d6a),
        f64::from_bits(0xbea559bf70eb5aaf),
        f64::from_bits(0x3e711c612996581e),
        f64::from_bits(0xbe3b59c32775d79f),
        f64::from_bits(0x3e21c009e8b5030e),
    ],
    [
        f64::from_bits(0x3fad1abb604a6b6f),
        f64::from_bits(0xbf7757aad4ad1e98),
        f64::from_bits(0x3f42a120712e5f96),
        f64::from_bits(0xbf0d9798529bc92d),
        f64::from_bits(0x3ed7641b919084ad),
        f64::from_bits(0xbea267080fa28aef),
        f64::from_bits(0x3e6cd171270e3e15),
        f64::from_bits(0xbe367941de6ca5ee),
        f64::from_bits(0x3e07252a960230c8),
    ],
    [
        f64::from_bits(0x3fac648970cc38a0),
        f64::from_bits(0xbf763856e15f97f3),
        f64::from_bits(0x3f414edee3cee8d0),
        f64::from_bits(0xbf0ad6edaf2ba2dc),
        f64::from_bits(0x3ed4b71ed08a9d83),
        f64::from_bits(0xbe9fd55b08dbee79),
        f64::from_bits(0x3e6856b482800882),
        f64::from_bits(0xbe328d264ddeb46f),
        f64::from_bits(0x3e1209c865556c62),
    ],
    [
        f64::from_bits(0x3fabb7003c6293ed),
        f64::from_bits(0xbf752d291aaf81b0),
        f64::from_bits(0x3f401bbb71bd8e94),
        f64::from_bits(0xbf0866010f0fe93d),
        f64::from_bits(0x3ed265b0a92b3c7e),
        f64::from_bits(0xbe9ba008963c56a7),
        f64::from_bits(0x3e64a0223b5fe4fd),
        f64::from_bits(0xbe2ec27b9cf1a2a0),
        f64::from_bits(0x3e1e435d00b1f038),
    ],
];

/// erfc(x) for 0.5 <= x <= 10.25 in plain float64, x a float32 (so that x^2 is exact): erfcx from
/// its table, times exp(-x^2) = 2^k h; relative error below 2^-43 (table 2^-43.4, exp 2^-52.9,
/// five roundings).
#[inline(always)]
pub(super) fn erfc32_core<const FMA: bool>(x: f64) -> f64 {
    const SHIFT: f64 = 6755399441055744.0; // 1.5 * 2^52: adding it rounds to an integer
                                           // Interval i = round(4x - 2.5) in 0..=39 (a tie takes either neighbour: |d| <= 1/8 still);
                                           // 4x - 2.5 and d are exact.
    let z = (x * 4.0 - 2.5) + SHIFT;
    let i = (z.to_bits() as i64).wrapping_sub(SHIFT.to_bits() as i64);
    let d = x - ((z - SHIFT) + 2.5) * 0.25;
    let c = &E32[(i as usize).min(39)];
    let d2 = d * d;
    let d4 = d2 * d2;
    let a0 = fma64::<FMA>(c[1], d, c[0]);
    let a1 = fma64::<FMA>(c[3], d, c[2]);
    let a2 = fma64::<FMA>(c[5], d, c[4]);
    let a3 = fma64::<FMA>(c[7], d, c[6]);
    let b0 = fma64::<FMA>(a1, d2, a0);
    let b1 = fma64::<FMA>(a3, d2, a2);
    let e = fma64::<FMA>(fma64::<FMA>(c[8], d4, b1), d4, b0);
    // Only the high part of the double-double exp is used (the low part's code is dead).
    let (h, _, k) = exp_dd::<FMA>(-(x * x));
    e * h * pow2(k)
}

/// The centre of the last interval, in 1/x.
const U_MID: f64 = f64::from_bits(0x3fc0900000000000); // 0x1.09p-3

/// erfc(x) = 2^k (m + r) for 0.5 <= x <= 27.5 (NaN flows through m), |r| below an ULP of m and
/// m + r within 2^-55 relative of the exact value.
#[inline(always)]
pub(super) fn erfc_core<const FMA: bool>(x: f64) -> (f64, f64, i64) {
    const SHIFT: f64 = 6755399441055744.0; // 1.5 * 2^52: adding it rounds to an integer
                                           // Interval: the nearest integer m (at least 1) for x < 4.5, else the last one.
    let z = x + SHIFT;
    let m = z - SHIFT;
    let m = if m < 1.0 { 1.0 } else { m };
    let big = x > 4.5;
    // The row of C: m - 1 for x <= 4.5, else 4 (rounded x is 5 or more exactly when x > 4.5).
    let n = (z.to_bits() as i64).wrapping_sub(SHIFT.to_bits() as i64);
    let row = &C[(n.max(1) as usize - 1).min(4)];
    // d = d_hi + d_lo: x - m is exact (Sterbenz); 1/x - U_MID carries 1/x's rounding error.
    let u = 1.0 / x;
    let (p, pe) = two_prod::<FMA>(u, x);
    let u_lo = ((1.0 - p) - pe) * u;
    let (ud, ude) = two_sum(u, -U_MID);
    let (d_hi, d_lo) = if big { (ud, ude + u_lo) } else { (x - m, 0.0) };
    let c = |j: usize| row[j];
    let mut q = c(20);
    for j in (4..20).rev() {
        q = fma64::<FMA>(q, d_hi, c(j));
    }
    // erfcx = (c0 + c1 d) + d^2 q as s + lo, the first part exact.
    let (c0h, c0l, c1h, c1l) = (c(0), c(1), c(2), c(3));
    let (p1, p1e) = two_prod::<FMA>(c1h, d_hi);
    let (s, se) = two_sum(c0h, p1);
    let lo = se + p1e + c0l + fma64::<FMA>(c1l, d_hi, c1h * d_lo) + d_hi * d_hi * q;
    // exp(-x^2) = 2^k (h + t) (1 - x2l), x^2 = x2h + x2l exactly.
    let (x2h, x2l) = two_prod::<FMA>(x, x);
    let (h, t, k) = exp_dd::<FMA>(-x2h);
    // t is up to 2^-44 of h (x2l's term) and lo up to 2^-5 of s: their product counts.
    let t = t - h * x2l;
    let (y, ye) = two_prod::<FMA>(h, s);
    (y, ye + fma64::<FMA>(h, lo, t * (s + lo)), k)
}

#[inline(always)]
fn erfc64<const FMA: bool>(x: f64) -> f64 {
    let ax = x.abs();
    // Core, for |x| >= 0.5 (clamped: beyond 27.5 erfc is 0 and 2 - erfc is 2).
    let xc = if ax < 0.5 { 0.5 } else { ax };
    let xc = if xc > 27.5 { 27.5 } else { xc };
    let (m, r, k) = erfc_core::<FMA>(xc);
    let pos = scale(m + r, k);
    // 2 - erfc(|x|) for x <= -0.5.
    let neg = sub_from(2.0, scale(m, k), scale(r, k));
    // (1 - x) - x p(x^2) for |x| < 0.5.
    let mid = sub_from(1.0, x, x * small_p::<FMA>(x * x));
    let y = if x < 0.0 { neg } else { pos };
    let y = if ax < 0.5 { mid } else { y };
    // NaN: the input's own (quieted), whatever the lanes' operations propagated.
    if x.is_nan() {
        x + x
    } else {
        y
    }
}

#[inline(always)]
fn erfc32<const FMA: bool>(x: f32) -> f32 {
    let x = f64::from(x);
    let ax = x.abs();
    // |x| >= 0.5: the table (clamped: beyond 10.25 erfc rounds to 0 and 2 - erfc to 2).
    let xc = if ax < 0.5 { 0.5 } else { ax };
    let xc = if xc > 10.25 { 10.25 } else { xc };
    let e = erfc32_core::<FMA>(xc);
    let y = if x < 0.0 { 2.0 - e } else { e };
    // |x| < 0.5: 1 - (x + x p(x^2)).
    let mid = 1.0 - fma64::<FMA>(x, small_p32::<FMA>(x * x), x);
    let y = if ax < 0.5 { mid } else { y };
    // NaN: the input's own (quieted).
    (if x.is_nan() { x + x } else { y }) as f32
}

impl Unary<f64> for Erfc {
    // Per call the kernel loads its coefficient tables: streamed, 4,096-byte blocks instead of 512
    // took 10M items on 2 threads from 20.1 to 17.6 ms (erfc 24.8 to 22.8).
    const STREAM_BLOCK_BYTES: usize = 4096;

    // Only results above F64_TINY_X underflow; the code is the same everywhere.
    const FAST_MIN: f64 = f64::MIN;
    const FAST_MAX: f64 = 26.5;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f64) -> f64 {
        erfc64::<FMA>(x)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f64) -> f64 {
        erfc64::<FMA>(x)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f64], dst: &mut [f64]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX-512F/DQ exist.
        Some(unsafe { avx512::map64(src, dst, Self::FAST_MIN, Self::FAST_MAX) })
    }

    #[inline(always)]
    fn status(x: f64, _y: f64) -> u8 {
        flag(x > F64_TINY_X && x < f64::INFINITY, UNDERFLOW)
    }
}

impl Unary<f32> for Erfc {
    // Per call the kernel loads its coefficient tables: streamed, 4,096-byte blocks instead of 512
    // took 10M items on 2 threads from 20.1 to 17.6 ms (erfc 24.8 to 22.8).
    const STREAM_BLOCK_BYTES: usize = 4096;

    const FAST_MIN: f32 = f32::MIN;
    const FAST_MAX: f32 = 9.0;

    #[inline(always)]
    fn eval<const FMA: bool>(x: f32) -> f32 {
        erfc32::<FMA>(x)
    }

    #[inline(always)]
    fn eval_fast<const FMA: bool>(x: f32) -> f32 {
        erfc32::<FMA>(x)
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn map_avx512(src: &[f32], dst: &mut [f32]) -> Option<bool> {
        // SAFETY: the caller runs this only where AVX-512F/DQ exist.
        unsafe { avx512::map32(src, dst) };
        // The loop adds up every block's status (the kernel's range passes the fast range).
        Some(false)
    }

    #[inline(always)]
    fn status(x: f32, _y: f32) -> u8 {
        flag(x > F32_TINY_X && x < f32::INFINITY, UNDERFLOW)
    }
}

/// The AVX-512 level, float64: `erfc_core`'s method on 8 lanes, with each coefficient of the five
/// rows read by `vpermpd` from a register per coefficient (the per-lane loop gathered the 21
/// coefficients of each lane's row: 9.6 ns an item on one core), and exp(-x^2) by `exp`'s
/// 16-entry table (as `expit`: relative error about 2^-57, the reduced argument rounded once).
#[cfg(target_arch = "x86_64")]
pub(super) mod avx512 {
    use super::super::erf::P;
    use super::{C, U_MID};
    use crate::kernels::exp::avx512::{exp_q8, T_HI, T_LO};
    use crate::kernels::exp::c64::{INV_LN2, LN2_HI, LN2_LO, SHIFT};
    use crate::kernels::simd512::{
        fast_two_sum8, in_f64_halves, lookup16, map16_redo, map8_fix, table16, two_sum8, Table16,
    };
    use std::arch::x86_64::*;

    /// The registers the kernels read: per coefficient j of `C`, entry i the coefficient of row
    /// max(i, 1) - 1 (at most row 4), and `exp`'s table.
    pub(crate) struct Tables {
        rows: [__m512d; 21],
        t: (Table16, Table16),
    }

    impl Tables {
        #[inline]
        #[target_feature(enable = "avx512f")]
        pub(crate) fn new() -> Tables {
            let rows = std::array::from_fn(|j| {
                let c = |r: usize| C[r][j];
                _mm512_setr_pd(c(0), c(0), c(1), c(2), c(3), c(4), c(4), c(4))
            });
            Tables {
                rows,
                t: (table16(&T_HI), table16(&T_LO)),
            }
        }
    }

    /// erfc(x) = 2^k (y + rest) for 0.5 <= x <= 27.5 (the caller keeps NaN away), as
    /// `erfc_core`: the row by round(min(x, 5)) (ties to even, as the scalar code's), d = x - m,
    /// or 1/x - `U_MID` (with 1/x's rounding error) above 4.5; erfcx's two leading terms exact;
    /// exp(-x^2) as a double-double.
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(crate) fn erfc_core8(x: __m512d, tb: &Tables) -> (__m512d, __m512d, __m512d) {
        let set = _mm512_set1_pd;
        let one = set(1.0);
        let z = _mm512_add_pd(_mm512_min_pd(x, set(5.0)), set(SHIFT));
        let idx = _mm512_castpd_si512(z);
        let m = _mm512_max_pd(_mm512_sub_pd(z, set(SHIFT)), one);
        let big = _mm512_cmp_pd_mask::<_CMP_GT_OQ>(x, set(4.5));
        // 1/x = u + u_lo; u - U_MID by TwoSum (either may be larger).
        let u = _mm512_div_pd(one, x);
        let p = _mm512_mul_pd(u, x);
        let pe = _mm512_fmsub_pd(u, x, p);
        let u_lo = _mm512_mul_pd(_mm512_sub_pd(_mm512_sub_pd(one, p), pe), u);
        let (ud, ude) = two_sum8(u, set(-U_MID));
        let d_hi = _mm512_mask_mov_pd(_mm512_sub_pd(x, m), big, ud);
        let d_lo = _mm512_maskz_mov_pd(big, _mm512_add_pd(ude, u_lo));
        let c = |j: usize| _mm512_permutexvar_pd(idx, tb.rows[j]);
        let mut q = c(20);
        for j in (4..20).rev() {
            q = _mm512_fmadd_pd(q, d_hi, c(j));
        }
        // erfcx = (c0 + c1 d) + d^2 q as s + lo, s exact: |c0| > |c1 d| on every row (Fast2Sum).
        let (c0h, c0l, c1h, c1l) = (c(0), c(1), c(2), c(3));
        let p1 = _mm512_mul_pd(c1h, d_hi);
        let p1e = _mm512_fmsub_pd(c1h, d_hi, p1);
        let (s, se) = fast_two_sum8(c0h, p1);
        let lo = _mm512_add_pd(
            _mm512_add_pd(_mm512_add_pd(se, p1e), c0l),
            _mm512_fmadd_pd(
                _mm512_mul_pd(d_hi, d_hi),
                q,
                _mm512_fmadd_pd(c1l, d_hi, _mm512_mul_pd(c1h, d_lo)),
            ),
        );
        // exp(-x^2) = 2^k (h + t) (1 - x2l), x^2 = x2h + x2l exactly.
        let x2h = _mm512_mul_pd(x, x);
        let x2l = _mm512_fmsub_pd(x, x, x2h);
        let a = _mm512_sub_pd(_mm512_setzero_pd(), x2h);
        let zz = _mm512_fmadd_pd(a, set(INV_LN2 * 16.0), set(SHIFT));
        let mm = _mm512_sub_pd(zz, set(SHIFT));
        let r_hi = _mm512_fnmadd_pd(mm, set(LN2_HI / 16.0), a);
        let r = _mm512_fnmadd_pd(mm, set(LN2_LO / 16.0), r_hi);
        let (r2, eq) = exp_q8(r);
        let ep = _mm512_fmadd_pd(r2, eq, r);
        let j = _mm512_castpd_si512(zz);
        let th = lookup16(tb.t.0, j);
        let tl = _mm512_fmadd_pd(th, ep, lookup16(tb.t.1, j));
        let (h, t) = fast_two_sum8(th, tl);
        let k = _mm512_mul_pd(mm, set(1.0 / 16.0));
        let t = _mm512_fnmadd_pd(h, x2l, t);
        let y = _mm512_mul_pd(h, s);
        let ye = _mm512_fmsub_pd(h, s, y);
        let rest = _mm512_add_pd(
            ye,
            _mm512_fmadd_pd(h, lo, _mm512_mul_pd(t, _mm512_add_pd(s, lo))),
        );
        (y, rest, k)
    }

    /// x + x p(x^2)'s p, as `erf::small_p`.
    #[inline]
    #[target_feature(enable = "avx512f")]
    pub(crate) fn small_p8(z: __m512d) -> __m512d {
        let c = |i: usize| _mm512_set1_pd(P[i]);
        let z2 = _mm512_mul_pd(z, z);
        let z4 = _mm512_mul_pd(z2, z2);
        let a0 = _mm512_fmadd_pd(c(3), z, c(2));
        let a1 = _mm512_fmadd_pd(c(5), z, c(4));
        let a2 = _mm512_fmadd_pd(c(7), z, c(6));
        let a3 = _mm512_fmadd_pd(c(9), z, c(8));
        let b0 = _mm512_fmadd_pd(a1, z2, a0);
        let b1 = _mm512_fmadd_pd(a3, z2, a2);
        let q = _mm512_fmadd_pd(_mm512_fmadd_pd(c(10), z4, b1), z4, b0);
        _mm512_add_pd(c(0), _mm512_fmadd_pd(q, z, c(1)))
    }

    /// `super::sub_from` on 8 lanes: c - (a + b), c - a by Fast2Sum.
    #[inline]
    #[target_feature(enable = "avx512f")]
    pub(crate) fn sub_from8(c: __m512d, a: __m512d, b: __m512d) -> __m512d {
        let s = _mm512_sub_pd(c, a);
        _mm512_add_pd(s, _mm512_sub_pd(_mm512_sub_pd(_mm512_sub_pd(c, s), a), b))
    }

    /// erfc of 8 lanes, x <= 26.5 (the caller redoes NaN and larger x).
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    fn erfc8(x: __m512d, tb: &Tables) -> __m512d {
        let set = _mm512_set1_pd;
        let ax = _mm512_abs_pd(x);
        // Beyond 27.5 erfc(-x) is 2 - 0 (the core's range).
        let xc = _mm512_min_pd(_mm512_max_pd(ax, set(0.5)), set(27.5));
        let (y, rest, k) = erfc_core8(xc, tb);
        let pos = _mm512_scalef_pd(_mm512_add_pd(y, rest), k);
        let neg_lanes = _mm512_cmp_pd_mask::<_CMP_LT_OQ>(x, _mm512_setzero_pd());
        let out = if neg_lanes == 0 {
            pos
        } else {
            // 2 - erfc(|x|).
            let neg = sub_from8(set(2.0), _mm512_scalef_pd(y, k), _mm512_scalef_pd(rest, k));
            _mm512_mask_mov_pd(pos, neg_lanes, neg)
        };
        let mid_lanes = _mm512_cmp_pd_mask::<_CMP_LT_OQ>(ax, set(0.5));
        if mid_lanes == 0 {
            return out;
        }
        // (1 - x) - x p(x^2).
        let xp = _mm512_mul_pd(x, small_p8(_mm512_mul_pd(x, x)));
        let mid = sub_from8(set(1.0), x, xp);
        _mm512_mask_mov_pd(out, mid_lanes, mid)
    }

    /// `dst = erfc(src)` in float32: the float64 kernel on each half of 16 lanes, rounded once
    /// more (0.5 + 2^-28 ULP; 4.8 ns an item on one core with the gathers of the per-lane float32
    /// kernel; subnormal results round once from the float64 value); inputs above 26.5 and NaN
    /// again by the scalar kernel.
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(crate) fn map32(src: &[f32], dst: &mut [f32]) {
        let tb = Tables::new();
        map16_redo(
            src,
            dst,
            f32::NEG_INFINITY,
            26.5,
            |x| in_f64_halves(x, |h| erfc8(h, &tb)),
            super::erfc32::<true>,
        );
    }

    /// `dst = erfc(src)` in float64; inputs outside `[lo, hi]`: above 27.5 (+inf too) 0 and NaN
    /// itself by selects (erfc(27.25) is below half the least subnormal), the rest (above 26.5,
    /// subnormal results) one by one by the scalar kernel (all of them so, inputs in [-1000, 1000]
    /// took 15.8 ns an item, 2.2x SciPy's). Whether every input lies in `[lo, hi]`.
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(crate) fn map64(src: &[f64], dst: &mut [f64], lo: f64, hi: f64) -> bool {
        let tb = Tables::new();
        map8_fix(
            src,
            dst,
            lo,
            hi,
            |x| erfc8(x, &tb),
            |x, y, outside| {
                let zero = _mm512_cmp_pd_mask::<_CMP_GT_OQ>(x, _mm512_set1_pd(27.5));
                let nan = _mm512_cmp_pd_mask::<_CMP_UNORD_Q>(x, x);
                let y = _mm512_mask_mov_pd(y, zero, _mm512_setzero_pd());
                let y = _mm512_mask_add_pd(y, nan, x, x);
                (y, outside & !(zero | nan))
            },
            super::erfc64::<true>,
        )
    }
}

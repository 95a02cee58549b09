//! Error-free transformations on float64, shared by the kernels that carry double-double
//! intermediates (Dekker 1971, "A floating-point technique for extending the available precision";
//! Knuth, TAOCP vol. 2, 4.2.2). Each result pair is exact, so every correct formulation gives the
//! same bits.

/// a + b = s + e exactly (Knuth's TwoSum, any order of magnitudes).
#[inline(always)]
pub(crate) fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    (s, (a - (s - bb)) + (b - bb))
}

/// a + b = s + e exactly, for |a| >= |b| or a = 0 (Dekker's Fast2Sum).
#[inline(always)]
pub(crate) fn fast_two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    (s, b - (s - a))
}

/// Veltkamp's split: a = h + l with h holding the top 26 bits (|a| < 2^995).
#[inline(always)]
pub(crate) fn split(a: f64) -> (f64, f64) {
    const SPLIT: f64 = 134217729.0; // 2^27 + 1
    let t = SPLIT * a;
    let h = t - (t - a);
    (h, a - h)
}

/// a * b = p + e exactly (barring underflow, and for |a|, |b| far from overflow without FMA): one
/// FMA, or Dekker's TwoProduct with Veltkamp's splitting.
#[inline(always)]
pub(crate) fn two_prod<const FMA: bool>(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    if FMA {
        (p, a.mul_add(b, -p))
    } else {
        let (ah, al) = split(a);
        let (bh, bl) = split(b);
        (p, ((ah * bh - p) + ah * bl + al * bh) + al * bl)
    }
}

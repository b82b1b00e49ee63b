// Sliding sums and central moments over the van Herk prefix/suffix split. Mean and variance merge
// with the pairwise formulas of Chan et al.; Skew, Kurt, Cov and Corr sum powers (and products) of
// deviations from a centre inside the window (slidingCentredSums), so near-constant windows of
// large values (prices ~3000 moving by 1e-4) keep their digits, unlike running sums of raw powers,
// and a merge is an addition. Product multiplies mantissas and adds exponents over the same blocks.

#include "core/eval/rolling_ops.h"

#include "core/eval/rolling_window.h"
#include "core/expr/operator_registry.h"
#include "core/util/simd.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

namespace alphascope::kernels::detail {
namespace {

/// Mean and second central sum of a run of values (the count is passed to the merges).
struct Moments2 {
    double mean = 0, m2 = 0;
};

/// Means and co-moments of a run of (x, y) pairs.
struct CoMoments {
    double mx = 0, my = 0, cxy = 0, m2x = 0, m2y = 0;
};

/// Sum and weighted sum of a run, the k-th oldest day weighted k.
struct Weighted {
    double s = 0, w = 0;
};

} // namespace

// Two doubles each: slidingRows keeps them member by member (AggLayout).
template <>
struct AggLayout<Moments2> : MembersOf<double, 2> {};
template <>
struct AggLayout<Weighted> : MembersOf<double, 2> {};

namespace {

/// Sum of r^age * x with age counted from the run's newest day.
struct Decayed {
    double e = 0;
};

[[gnu::always_inline]] inline Moments2 merge2(const Moments2& a, double na, const Moments2& b, double nb) {
    const double fb = nb / (na + nb);
    const double fab = na * fb; // na * nb / n
    const double d = b.mean - a.mean;
    return {a.mean + d * fb, a.m2 + b.m2 + d * d * fab};
}

template <MergeSide side = MergeSide::Runs>
[[gnu::always_inline]] inline CoMoments mergeCo(const CoMoments& a, double na, const CoMoments& b, double nb) {
    const double fb = nb / (na + nb);
    const double fab = na * fb;
    const double dx = b.mx - a.mx;
    const double dy = b.my - a.my;
    if constexpr (side == MergeSide::NewerIsOneDay) // b's co-moments are 0
        return {a.mx + dx * fb, a.my + dy * fb, a.cxy + dx * dy * fab, a.m2x + dx * dx * fab, a.m2y + dy * dy * fab};
    else if constexpr (side == MergeSide::OlderIsOneDay) // a's co-moments are 0
        return {a.mx + dx * fb, a.my + dy * fb, b.cxy + dx * dy * fab, b.m2x + dx * dx * fab, b.m2y + dy * dy * fab};
    else
        return {a.mx + dx * fb, a.my + dy * fb, a.cxy + b.cxy + dx * dy * fab, a.m2x + b.m2x + dx * dx * fab,
                a.m2y + b.m2y + dy * dy * fab};
}

/// A product held as m * 2^e with 0.5 <= |m| < 1, or m = 0: whatever the window and the values,
/// nothing overflows or underflows on the way, and each merge rounds once (W - 1 roundings of a
/// double for a window of W, against the float result's one).
struct ScaledProduct {
    double m = 1.0;
    std::int64_t e = 0;
};

} // namespace

// The exponent's 64 bits travel as a double's bits (never computed on in that form).
template <>
struct AggLayout<ScaledProduct> : MembersOf<double, 2> {};

namespace {

/// m * 2^e brought back to 0.5 <= |m| < 1 by its exponent bits. Every m met here is 0 or normal:
/// floats are normal as doubles, and the product of two normalised m is at least 0.25.
[[gnu::always_inline]] inline ScaledProduct normalised(double m, std::int64_t e) {
    std::uint64_t bits;
    std::memcpy(&bits, &m, sizeof bits);
    const auto field = static_cast<std::int64_t>((bits >> 52) & 0x7FFu);
    bits = (bits & ~(std::uint64_t(0x7FF) << 52)) | (std::uint64_t(1022) << 52);
    double n;
    std::memcpy(&n, &bits, sizeof n);
    const bool zero = field == 0;
    return {zero ? 0.0 : n, zero ? e : e + field - 1022};
}

/// m * 2^e as a double; exponents beyond float's range are clamped (the float result is then 0 or
/// overflows to NaN either way).
[[gnu::always_inline]] inline double valueOf(const ScaledProduct& p) {
    const std::int64_t e = std::min<std::int64_t>(std::max<std::int64_t>(p.e, -400), 400);
    const std::uint64_t bits = static_cast<std::uint64_t>(e + 1023) << 52;
    double scale;
    std::memcpy(&scale, &bits, sizeof scale);
    return p.m * scale;
}

/// Product over the van Herk blocks: each merge multiplies the mantissas and adds the exponents.
ALPHASCOPE_SIMD_CLONES_V4
void products(const Panel& x, int w, Panel& out, int i0, int i1, DaySpan span) {
    slidingRows<ScaledProduct>(
        x, out, i0, i1 - i0, w, span,
        [](int, float v, bool ok) { return normalised(ok ? static_cast<double>(v) : 0.0, 0); },
        [](const ScaledProduct& a, double, const ScaledProduct& b, double) { return normalised(a.m * b.m, a.e + b.e); },
        [](int, float, const ScaledProduct& a) { return toOutput(valueOf(a)); });
}

/// Mean, Sum, TsDiv: plain sliding sums (a sum of a suffix and a prefix, no subtraction).
template <OpId Op>
[[gnu::always_inline]] inline void sumsOf(const Panel& x, int w, Panel& out, int i0, int i1, DaySpan span) {
    const double invW = 1.0 / w;
    slidingRows<double>(
        x, out, i0, i1 - i0, w, span, [](int, float v, bool ok) { return ok ? static_cast<double>(v) : 0.0; },
        [](double a, double, double b, double) { return a + b; },
        [&](int, float v, double sum) {
            double r;
            if constexpr (Op == OpId::Sum)
                r = sum;
            else if constexpr (Op == OpId::Mean)
                r = sum * invW;
            else // TsDiv: x over the window's mean; a zero mean gives inf or NaN, written as NaN
                r = static_cast<double>(v) / (sum * invW);
            return toOutput(r);
        });
}

ALPHASCOPE_SIMD_CLONES_V4
void sums(OpId op, const Panel& x, int w, Panel& out, int i0, int i1, DaySpan span) {
    if (op == OpId::Sum)
        sumsOf<OpId::Sum>(x, w, out, i0, i1, span);
    else if (op == OpId::Mean)
        sumsOf<OpId::Mean>(x, w, out, i0, i1, span);
    else
        sumsOf<OpId::TsDiv>(x, w, out, i0, i1, span);
}

/// WMA (weights 1..W, newest largest) and EMA (alpha = 2/(W+1), truncated to W days), normalised.
ALPHASCOPE_SIMD_CLONES
void weighted(OpId op, const Panel& x, int w, Panel& out, int i0, int i1, DaySpan span) {
    const int n = i1 - i0;
    if (op == OpId::WMA) {
        const double norm = 0.5 * w * (w + 1.0);
        slidingRows<Weighted>(
            x, out, i0, n, w, span,
            [](int, float v, bool ok) {
                const double d = ok ? static_cast<double>(v) : 0.0;
                return Weighted{d, d};
            },
            [](const Weighted& a, double na, const Weighted& b, double) {
                return Weighted{a.s + b.s, a.w + b.w + na * b.s};
            },
            [&](int, float, const Weighted& a) { return toOutput(a.w / norm); });
        return;
    }
    const double r = 1.0 - 2.0 / (w + 1.0);
    std::vector<double> power(static_cast<std::size_t>(w) + 1, 1.0); // r^k, with 0^0 = 1 for W = 1
    for (int k = 1; k <= w; ++k) power[k] = power[k - 1] * r;
    double norm = 0.0;
    for (int k = 0; k < w; ++k) norm += power[k];
    slidingRows<Decayed>(
        x, out, i0, n, w, span, [](int, float v, bool ok) { return Decayed{ok ? static_cast<double>(v) : 0.0}; },
        [&](const Decayed& a, double, const Decayed& b, double nb) {
            return Decayed{a.e * power[static_cast<std::size_t>(nb)] + b.e};
        },
        [&](int, float, const Decayed& a) { return toOutput(a.e / norm); });
}

/// Std, Var, IR (W >= 2).
template <OpId Op>
[[gnu::always_inline]] inline void secondMomentsOf(const Panel& x, int w, Panel& out, int i0, int i1, DaySpan span) {
    // No constant-window tracking: a constant window's m2 is exactly 0 (every merge's d is 0).
    slidingRows<Moments2>(
        x, out, i0, i1 - i0, w, span,
        [](int, float v, bool ok) {
            return Moments2{ok ? static_cast<double>(v) : 0.0, 0.0};
        },
        [](const Moments2& a, double na, const Moments2& b, double nb) { return merge2(a, na, b, nb); },
        [&](int, float, const Moments2& a) {
            const double var = a.m2 / (w - 1.0);
            double v;
            if constexpr (Op == OpId::Var)
                v = var;
            else if constexpr (Op == OpId::Std)
                v = std::sqrt(var);
            else // IR: undefined on a flat window (0/0 or x/0, written as NaN)
                v = var > 0.0 ? a.mean / std::sqrt(var) : static_cast<double>(kNaN);
            return toOutput(v);
        });
}

ALPHASCOPE_SIMD_CLONES_V4
void secondMoments(OpId op, const Panel& x, int w, Panel& out, int i0, int i1, DaySpan span) {
    if (op == OpId::Var)
        secondMomentsOf<OpId::Var>(x, w, out, i0, i1, span);
    else if (op == OpId::Std)
        secondMomentsOf<OpId::Std>(x, w, out, i0, i1, span);
    else
        secondMomentsOf<OpId::IR>(x, w, out, i0, i1, span);
}

/// The centres of the block starting on day b (one per instrument of the block): the day's values.
/// A non-finite value, like a non-finite cell anywhere, is carried into the sums as it is: a sum
/// holds a day's term only if every window it serves holds that day, and the guard writes NaN for
/// those windows, so nothing is sanitised and the loops have no selects.
inline void centreOn(const Panel& x, int b, int i0, int n, double* centre) {
    const float* row = x.row(b) + i0;
    for (int i = 0; i < n; ++i) centre[i] = row[i];
}

/// Deviation of a cell from its centre.
[[gnu::always_inline]] inline double deviation(float v, double centre) {
    return static_cast<double>(v) - centre;
}

/// Writes a term into a slidingCentredSums row as M says.
template <TermsInto M>
[[gnu::always_inline]] inline void put(double* __restrict out, const double* __restrict add, std::size_t j, double v) {
    if constexpr (M == TermsInto::Set)
        out[j] = v;
    else if constexpr (M == TermsInto::Accumulate)
        out[j] += v;
    else
        out[j] = v + add[j];
}

/// The deviations of day t's cells (instruments i0..i0+n) from their centres, and their powers
/// 2..K: power k - 1 of instrument i at (k - 1) * n + i.
template <int K, TermsInto M>
[[gnu::always_inline]] inline void powersOf(const Panel& x, int t, int i0, int n, const double* __restrict centre,
                                            double* __restrict out, const double* __restrict add) {
    const float* __restrict row = x.row(t) + i0;
    const auto m = static_cast<std::size_t>(n);
    for (std::size_t i = 0; i < m; ++i) {
        const double d = deviation(row[i], centre[i]);
        const double d2 = d * d;
        put<M>(out, add, i, d);
        put<M>(out, add, m + i, d2);
        put<M>(out, add, 2 * m + i, d2 * d);
        if constexpr (K == 4) put<M>(out, add, 3 * m + i, d2 * d2);
    }
}

/// Skew (W >= 3) and Kurt (W >= 4), bias-corrected as pandas; NaN on a constant window. The sums of
/// d, d^2, d^3 (and d^4 for Kurt) around the block's centre give the central sums:
/// m2 = S2 - mu S1, m3 = S3 - mu (3 S2 - 2 mu S1), m4 = S4 - mu (4 S3 - mu (6 S2 - 3 mu S1)), mu = S1 / W.
template <OpId Op>
[[gnu::always_inline]] inline void higherMomentsOf(const Panel& x, int w, Panel& out, int i0, int i1, DaySpan span) {
    const int n = i1 - i0;
    WindowGuard guard(w, n, false); // a constant window's sums are exactly 0: see slidingCentredSums
    const double nn = w;
    const double invN = 1.0 / nn;
    const double skewScale = std::sqrt(nn * (nn - 1.0)) / (nn - 2.0);
    constexpr int K = Op == OpId::Skew ? 3 : 4;
    std::vector<double> centre(static_cast<std::size_t>(n));
    double* c = centre.data();
    slidingCentredSums<K>(
        x.days(), n, w, span, [&](int b) ALPHASCOPE_INLINE { centreOn(x, b, i0, n, c); },
        [&](int t, double* into, const double* add, auto mode)
            ALPHASCOPE_INLINE { powersOf<K, decltype(mode)::value>(x, t, i0, n, c, into, add); },
        [&](int t) ALPHASCOPE_INLINE { guard.step(t, x.row(t) + i0); },
        [&](int t, int i, const double* s) ALPHASCOPE_INLINE {
            const double mu = s[0] * invN;
            const double m2sum = s[1] - mu * s[0];
            const bool ok = guard.valid(i) & (m2sum > 0.0);
            const double m2 = ok ? m2sum * invN : 1.0;
            double v;
            if constexpr (Op == OpId::Skew) {
                const double m3 = (s[2] - mu * (3.0 * s[1] - 2.0 * mu * s[0])) * invN;
                v = skewScale * m3 / (m2 * std::sqrt(m2));
            } else {
                const double m4 = (s[3] - mu * (4.0 * s[2] - mu * (6.0 * s[1] - 3.0 * mu * s[0]))) * invN;
                v = ((nn * nn - 1.0) * m4 / (m2 * m2) - 3.0 * (nn - 1.0) * (nn - 1.0)) / ((nn - 2.0) * (nn - 3.0));
            }
            out.row(t)[i0 + i] = ok ? toOutput(v) : kNaN;
        });
}

ALPHASCOPE_SIMD_CLONES_V4
void higherMoments(OpId op, const Panel& x, int w, Panel& out, int i0, int i1, DaySpan span) {
    if (op == OpId::Skew)
        higherMomentsOf<OpId::Skew>(x, w, out, i0, i1, span);
    else
        higherMomentsOf<OpId::Kurt>(x, w, out, i0, i1, span);
}

/// Day t's deviations of x and y from their centres (centre[i], centre[n + i]) and their products:
/// dx, dy, dx^2, dy^2, dx dy, each a row of n. The deviations go through `dev` (2n doubles) first and
/// each term is its own loop: GCC 12 vectorised none of the AVX2 clones of one loop that reads both
/// float rows and writes the five terms.
template <TermsInto M>
[[gnu::always_inline]] inline void productsOf(const Panel& x, const Panel& y, int t, int i0, int n,
                                              const double* __restrict centre, double* __restrict dev,
                                              double* __restrict out, const double* __restrict add) {
    const float* __restrict rx = x.row(t) + i0;
    const float* __restrict ry = y.row(t) + i0;
    const auto m = static_cast<std::size_t>(n);
    for (std::size_t i = 0; i < m; ++i) dev[i] = deviation(rx[i], centre[i]);
    for (std::size_t i = 0; i < m; ++i) dev[m + i] = deviation(ry[i], centre[m + i]);
    const double* __restrict dx = dev;
    const double* __restrict dy = dev + m;
    for (std::size_t i = 0; i < m; ++i) put<M>(out, add, i, dx[i]);
    for (std::size_t i = 0; i < m; ++i) put<M>(out, add, m + i, dy[i]);
    for (std::size_t i = 0; i < m; ++i) put<M>(out, add, 2 * m + i, dx[i] * dx[i]);
    for (std::size_t i = 0; i < m; ++i) put<M>(out, add, 3 * m + i, dy[i] * dy[i]);
    for (std::size_t i = 0; i < m; ++i) put<M>(out, add, 4 * m + i, dx[i] * dy[i]);
}

/// Cov and Corr over one block of instruments: sums of dx, dy, dx^2, dy^2 and dx dy around the
/// block's centres give cxy = Sxy - mux Sy, m2x = Sxx - mux Sx, m2y = Syy - muy Sy.
template <OpId Op>
[[gnu::always_inline]] inline void coMomentsOf(const Panel& x, const Panel& y, int w, Panel& out, int i0, int i1,
                                               DaySpan span) {
    const int n = i1 - i0;
    WindowGuard guard(w, n, false); // a constant window's sums are exactly 0: see slidingCentredSums
    const double invN = 1.0 / w;
    std::vector<double> centre(2 * static_cast<std::size_t>(n)), deviations(2 * static_cast<std::size_t>(n));
    double* cx = centre.data();
    double* cy = cx + n;
    double* dev = deviations.data();
    slidingCentredSums<5>(
        x.days(), n, w, span,
        [&](int b) ALPHASCOPE_INLINE {
            centreOn(x, b, i0, n, cx);
            centreOn(y, b, i0, n, cy);
        },
        [&](int t, double* into, const double* add, auto mode)
            ALPHASCOPE_INLINE { productsOf<decltype(mode)::value>(x, y, t, i0, n, cx, dev, into, add); },
        [&](int t) ALPHASCOPE_INLINE {
            prefetchDay(x, t, i0, n);
            prefetchDay(y, t, i0, n);
            guard.step(t, x.row(t) + i0, y.row(t) + i0);
        },
        [&](int t, int i, const double* s) ALPHASCOPE_INLINE {
            const bool valid = guard.valid(i);
            const double cxy = s[4] - s[0] * invN * s[1];
            double v;
            if constexpr (Op == OpId::Cov) {
                v = cxy / (w - 1.0);
            } else {
                const double m2x = s[2] - s[0] * invN * s[0];
                const double m2y = s[3] - s[1] * invN * s[1];
                const bool ok = (m2x > 0.0) & (m2y > 0.0);
                v = ok ? cxy / std::sqrt(m2x * m2y) : static_cast<double>(kNaN);
            }
            out.row(t)[i0 + i] = valid ? toOutput(v) : kNaN;
        });
}

ALPHASCOPE_SIMD_CLONES
void coMoments(OpId op, const Panel& x, const Panel& y, int w, Panel& out, int i0, int i1, DaySpan span) {
    if (op == OpId::Cov)
        coMomentsOf<OpId::Cov>(x, y, w, out, i0, i1, span);
    else
        coMomentsOf<OpId::Corr>(x, y, w, out, i0, i1, span);
}

/// Slope, Rsquare, Resi: least squares of the window's values on time. The regressor is the day's
/// index; covariances do not change when it is shifted, so the co-moments of (day, x) are those of
/// (1..W, x) and the fit is Qlib's (x on 1..W). Slope = cov / var(day); R^2 = cov^2 / (var(day)
/// var(x)), NaN on a constant window; Resi = today's value minus the line's value today.
template <OpId Op>
[[gnu::always_inline]] inline void regressionOf(const Panel& x, int w, Panel& out, int i0, int i1) {
    const int n = i1 - i0;
    WindowGuard guard(w, n);
    slidingAggregateSoA<CoMoments>(
        x.days(), n, w,
        [&](int t, int i) {
            return CoMoments{static_cast<double>(t), sanitized(x.row(t)[i0 + i]), 0, 0, 0};
        },
        [](const CoMoments& a, double na, const CoMoments& b, double nb, auto side) {
            return mergeCo<decltype(side)::value>(a, na, b, nb);
        },
        [&](int t) { guard.step(t, x.row(t) + i0); },
        [&](int t, int i, const CoMoments& a) {
            const double slope = a.cxy / a.m2x; // m2x = W (W^2 - 1) / 12 > 0 for W >= 2
            double v;
            if constexpr (Op == OpId::Slope) {
                v = guard.constantX(i) ? 0.0 : slope;
            } else if constexpr (Op == OpId::Rsquare) {
                const bool ok = !guard.constantX(i) && a.m2y > 0.0;
                v = ok ? std::min(1.0, a.cxy * a.cxy / (a.m2x * a.m2y)) : static_cast<double>(kNaN);
            } else {
                v = guard.constantX(i) ? 0.0 : static_cast<double>(x.row(t)[i0 + i]) - (a.my + slope * (t - a.mx));
            }
            out.row(t)[i0 + i] = guard.valid(i) ? toOutput(v) : kNaN;
        });
}

ALPHASCOPE_SIMD_CLONES
void regression(OpId op, const Panel& x, int w, Panel& out, int i0, int i1) {
    if (op == OpId::Slope)
        regressionOf<OpId::Slope>(x, w, out, i0, i1);
    else if (op == OpId::Rsquare)
        regressionOf<OpId::Rsquare>(x, w, out, i0, i1);
    else
        regressionOf<OpId::Resi>(x, w, out, i0, i1);
}

/// Every moment kernel runs on day spans but the regressions (slidingAggregateSoA), which walk all
/// days of a block.
bool onDaySpans(OpId op) {
    return op != OpId::Slope && op != OpId::Rsquare && op != OpId::Resi;
}

} // namespace

void rollingMoments(OpId op, const Panel& x, int window, Panel& out, const UniverseMask* mask) {
    const bool defined = window >= minimumWindow(op) && window <= x.days();
    forEachSpanAndColumnBlock(x.instruments(), x.days(), defined && onDaySpans(op) ? window : 0, kColumnBlock,
                              thenMasked(mask, out, [&](int i0, int i1, DaySpan span) {
                                  fillNaN(out, span, defined ? window - 1 : x.days(), i0, i1);
                                  if (!defined) return;
                                  switch (op) {
                                  case OpId::Mean:
                                  case OpId::Sum:
                                  case OpId::TsDiv: sums(op, x, window, out, i0, i1, span); break;
                                  case OpId::WMA:
                                  case OpId::EMA: weighted(op, x, window, out, i0, i1, span); break;
                                  case OpId::Std:
                                  case OpId::Var:
                                  case OpId::IR: secondMoments(op, x, window, out, i0, i1, span); break;
                                  case OpId::Skew:
                                  case OpId::Kurt: higherMoments(op, x, window, out, i0, i1, span); break;
                                  case OpId::Slope:
                                  case OpId::Rsquare:
                                  case OpId::Resi: regression(op, x, window, out, i0, i1); break;
                                  case OpId::Product: products(x, window, out, i0, i1, span); break;
                                  default: fillNaN(out, span, x.days(), i0, i1); break;
                                  }
                              }));
}

void rollingCoMoments(OpId op, const Panel& x, const Panel& y, int window, Panel& out, const UniverseMask* mask) {
    const bool defined = window >= minimumWindow(op) && window <= x.days();
    forEachSpanAndColumnBlock(x.instruments(), x.days(), defined ? window : 0, kWideColumnBlock,
                              thenMasked(mask, out, [&](int i0, int i1, DaySpan span) {
                                  fillNaN(out, span, defined ? window - 1 : x.days(), i0, i1);
                                  if (defined) coMoments(op, x, y, window, out, i0, i1, span);
                              }));
}

} // namespace alphascope::kernels::detail

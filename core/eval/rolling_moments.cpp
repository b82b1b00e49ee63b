// Sliding sums and central moments. Moments are merged with the pairwise formulas of Chan et al.
// and Pebay (2008) over the van Herk prefix/suffix split: every term is a central moment or a
// difference of means, so near-constant windows of large values (prices ~3000 moving by 1e-4) keep
// their digits, unlike running sums of powers.

#include "core/eval/rolling_ops.h"

#include "core/eval/rolling_window.h"
#include "core/expr/operator_registry.h"
#include "core/util/simd.h"

#include <cmath>
#include <vector>

namespace alphascope::kernels::detail {
namespace {

/// Mean and second central sum of a run of values (the count is passed to the merges).
struct Moments2 {
    double mean = 0, m2 = 0;
};

/// Mean and second to fourth central sums of a run of values.
struct Moments4 {
    double mean = 0, m2 = 0, m3 = 0, m4 = 0;
};

/// Means and co-moments of a run of (x, y) pairs.
struct CoMoments {
    double mx = 0, my = 0, cxy = 0, m2x = 0, m2y = 0;
};

/// Sum and weighted sum of a run, the k-th oldest day weighted k.
struct Weighted {
    double s = 0, w = 0;
};

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

/// With a MergeSide telling that one side is a single day, the terms of that side's central sums
/// (all 0) are left out; what remains is computed in the same order, so the result is the same.
template <MergeSide side = MergeSide::Runs>
[[gnu::always_inline]] inline Moments4 merge4(const Moments4& a, double na, const Moments4& b, double nb) {
    // Pebay (2008), eq. 2.1-2.3; every factor below that involves only counts is hoisted.
    const double n = na + nb;
    const double inv = 1.0 / n;
    const double ab = na * nb;
    const double c2 = ab * inv;                   // na nb / n
    const double c3 = ab * (na - nb) * inv * inv; // na nb (na - nb) / n^2
    const double c4 = ab * (na * na - ab + nb * nb) * inv * inv * inv;
    const double d = b.mean - a.mean;
    const double dn = d * inv;
    const double d2 = d * d;
    Moments4 r;
    r.mean = a.mean + dn * nb;
    if constexpr (side == MergeSide::NewerIsOneDay) { // b.m2 = b.m3 = b.m4 = 0
        r.m2 = a.m2 + d2 * c2;
        r.m3 = a.m3 + d2 * d * c3 + 3.0 * dn * (0.0 - nb * a.m2);
        r.m4 = a.m4 + d2 * d2 * c4 + 6.0 * dn * dn * (nb * nb * a.m2) + 4.0 * dn * (0.0 - nb * a.m3);
    } else if constexpr (side == MergeSide::OlderIsOneDay) { // a.m2 = a.m3 = a.m4 = 0
        r.m2 = b.m2 + d2 * c2;
        r.m3 = b.m3 + d2 * d * c3 + 3.0 * dn * (na * b.m2);
        r.m4 = b.m4 + d2 * d2 * c4 + 6.0 * dn * dn * (na * na * b.m2) + 4.0 * dn * (na * b.m3);
    } else {
        r.m2 = a.m2 + b.m2 + d2 * c2;
        r.m3 = a.m3 + b.m3 + d2 * d * c3 + 3.0 * dn * (na * b.m2 - nb * a.m2);
        r.m4 = a.m4 + b.m4 + d2 * d2 * c4 + 6.0 * dn * dn * (na * na * b.m2 + nb * nb * a.m2) +
               4.0 * dn * (na * b.m3 - nb * a.m3);
    }
    return r;
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

/// Mean, Sum, TsDiv: plain sliding sums (a sum of a suffix and a prefix, no subtraction).
template <OpId Op> [[gnu::always_inline]] inline void sumsOf(const Panel& x, int w, Panel& out, int i0, int i1) {
    const int n = i1 - i0;
    WindowGuard guard(w, n, false);
    const double invW = 1.0 / w;
    slidingAggregate<double>(
        x.days(), n, w, [&](int t, int i) { return sanitized(x.row(t)[i0 + i]); },
        [](double a, double, double b, double) { return a + b; },
        [&](int t) { guard.step(t, x.row(t) + i0); },
        [&](int t, int i, double sum) {
            double v;
            if constexpr (Op == OpId::Sum)
                v = sum;
            else if constexpr (Op == OpId::Mean)
                v = sum * invW;
            else // TsDiv: x over the window's mean; a zero mean gives inf or NaN, written as NaN
                v = static_cast<double>(x.row(t)[i0 + i]) / (sum * invW);
            out.row(t)[i0 + i] = guard.valid(i) ? toOutput(v) : kNaN;
        });
}

ALPHASCOPE_SIMD_CLONES
void sums(OpId op, const Panel& x, int w, Panel& out, int i0, int i1) {
    if (op == OpId::Sum)
        sumsOf<OpId::Sum>(x, w, out, i0, i1);
    else if (op == OpId::Mean)
        sumsOf<OpId::Mean>(x, w, out, i0, i1);
    else
        sumsOf<OpId::TsDiv>(x, w, out, i0, i1);
}

/// WMA (weights 1..W, newest largest) and EMA (alpha = 2/(W+1), truncated to W days), normalised.
ALPHASCOPE_SIMD_CLONES
void weighted(OpId op, const Panel& x, int w, Panel& out, int i0, int i1) {
    const int n = i1 - i0;
    WindowGuard guard(w, n, false);
    auto lift = [&](int t, int i) { return sanitized(x.row(t)[i0 + i]); };
    auto begin = [&](int t) { guard.step(t, x.row(t) + i0); };
    if (op == OpId::WMA) {
        const double norm = 0.5 * w * (w + 1.0);
        slidingAggregate<Weighted>(
            x.days(), n, w,
            [&](int t, int i) {
                const double v = lift(t, i);
                return Weighted{v, v};
            },
            [](const Weighted& a, double na, const Weighted& b, double) {
                return Weighted{a.s + b.s, a.w + b.w + na * b.s};
            },
            begin,
            [&](int t, int i, const Weighted& a) {
                out.row(t)[i0 + i] = guard.valid(i) ? toOutput(a.w / norm) : kNaN;
            });
        return;
    }
    const double r = 1.0 - 2.0 / (w + 1.0);
    std::vector<double> power(static_cast<std::size_t>(w) + 1, 1.0); // r^k, with 0^0 = 1 for W = 1
    for (int k = 1; k <= w; ++k) power[k] = power[k - 1] * r;
    double norm = 0.0;
    for (int k = 0; k < w; ++k) norm += power[k];
    slidingAggregate<Decayed>(
        x.days(), n, w, [&](int t, int i) { return Decayed{lift(t, i)}; },
        [&](const Decayed& a, double, const Decayed& b, double nb) {
            return Decayed{a.e * power[static_cast<std::size_t>(nb)] + b.e};
        },
        begin,
        [&](int t, int i, const Decayed& a) {
            out.row(t)[i0 + i] = guard.valid(i) ? toOutput(a.e / norm) : kNaN;
        });
}

/// Std, Var, IR (W >= 2).
template <OpId Op>
[[gnu::always_inline]] inline void secondMomentsOf(const Panel& x, int w, Panel& out, int i0, int i1) {
    const int n = i1 - i0;
    WindowGuard guard(w, n);
    slidingAggregate<Moments2>(
        x.days(), n, w,
        [&](int t, int i) {
            return Moments2{sanitized(x.row(t)[i0 + i]), 0.0};
        },
        [](const Moments2& a, double na, const Moments2& b, double nb) { return merge2(a, na, b, nb); },
        [&](int t) { guard.step(t, x.row(t) + i0); },
        [&](int t, int i, const Moments2& a) {
            const bool flat = guard.constantX(i);
            const double var = flat ? 0.0 : a.m2 / (w - 1.0);
            double v;
            if constexpr (Op == OpId::Var)
                v = var;
            else if constexpr (Op == OpId::Std)
                v = std::sqrt(var);
            else // IR: undefined on a flat window (0/0 or x/0, written as NaN)
                v = !flat && var > 0.0 ? a.mean / std::sqrt(var) : static_cast<double>(kNaN);
            out.row(t)[i0 + i] = guard.valid(i) ? toOutput(v) : kNaN;
        });
}

ALPHASCOPE_SIMD_CLONES
void secondMoments(OpId op, const Panel& x, int w, Panel& out, int i0, int i1) {
    if (op == OpId::Var)
        secondMomentsOf<OpId::Var>(x, w, out, i0, i1);
    else if (op == OpId::Std)
        secondMomentsOf<OpId::Std>(x, w, out, i0, i1);
    else
        secondMomentsOf<OpId::IR>(x, w, out, i0, i1);
}

/// Skew (W >= 3) and Kurt (W >= 4), bias-corrected as pandas; NaN on a constant window.
template <OpId Op>
[[gnu::always_inline]] inline void higherMomentsOf(const Panel& x, int w, Panel& out, int i0, int i1) {
    const int n = i1 - i0;
    WindowGuard guard(w, n);
    const double nn = w;
    const double skewScale = std::sqrt(nn * (nn - 1.0)) / (nn - 2.0);
    slidingAggregateSoA<Moments4>(
        x.days(), n, w,
        [&](int t, int i) {
            return Moments4{sanitized(x.row(t)[i0 + i]), 0.0, 0.0, 0.0};
        },
        [](const Moments4& a, double na, const Moments4& b, double nb, auto side) {
            return merge4<decltype(side)::value>(a, na, b, nb);
        },
        [&](int t) { guard.step(t, x.row(t) + i0); },
        [&](int t, int i, const Moments4& a) {
            const bool ok = guard.valid(i) && !guard.constantX(i) && a.m2 > 0.0;
            const double m2 = ok ? a.m2 / nn : 1.0;
            double v;
            if constexpr (Op == OpId::Skew) {
                v = skewScale * (a.m3 / nn) / (m2 * std::sqrt(m2));
            } else {
                const double m4 = a.m4 / nn;
                v = ((nn * nn - 1.0) * m4 / (m2 * m2) - 3.0 * (nn - 1.0) * (nn - 1.0)) / ((nn - 2.0) * (nn - 3.0));
            }
            out.row(t)[i0 + i] = ok ? toOutput(v) : kNaN;
        });
}

ALPHASCOPE_SIMD_CLONES
void higherMoments(OpId op, const Panel& x, int w, Panel& out, int i0, int i1) {
    if (op == OpId::Skew)
        higherMomentsOf<OpId::Skew>(x, w, out, i0, i1);
    else
        higherMomentsOf<OpId::Kurt>(x, w, out, i0, i1);
}

/// Cov and Corr over one block of instruments.
template <OpId Op>
[[gnu::always_inline]] inline void coMomentsOf(const Panel& x, const Panel& y, int w, Panel& out, int i0, int i1) {
    const int n = i1 - i0;
    WindowGuard guard(w, n);
    slidingAggregateSoA<CoMoments>(
        x.days(), n, w,
        [&](int t, int i) {
            return CoMoments{sanitized(x.row(t)[i0 + i]), sanitized(y.row(t)[i0 + i]), 0, 0, 0};
        },
        [](const CoMoments& a, double na, const CoMoments& b, double nb, auto side) {
            return mergeCo<decltype(side)::value>(a, na, b, nb);
        },
        [&](int t) { guard.step(t, x.row(t) + i0, y.row(t) + i0); },
        [&](int t, int i, const CoMoments& a) {
            const bool valid = guard.valid(i);
            double v;
            if constexpr (Op == OpId::Cov) {
                v = a.cxy / (w - 1.0);
            } else {
                const bool ok = !guard.constantX(i) && !guard.constantY(i) && a.m2x > 0.0 && a.m2y > 0.0;
                v = ok ? a.cxy / std::sqrt(a.m2x * a.m2y) : static_cast<double>(kNaN);
            }
            out.row(t)[i0 + i] = valid ? toOutput(v) : kNaN;
        });
}

ALPHASCOPE_SIMD_CLONES
void coMoments(OpId op, const Panel& x, const Panel& y, int w, Panel& out, int i0, int i1) {
    if (op == OpId::Cov)
        coMomentsOf<OpId::Cov>(x, y, w, out, i0, i1);
    else
        coMomentsOf<OpId::Corr>(x, y, w, out, i0, i1);
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
        [&](int t, int i) { return CoMoments{static_cast<double>(t), sanitized(x.row(t)[i0 + i]), 0, 0, 0}; },
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

} // namespace

void rollingMoments(OpId op, const Panel& x, int window, Panel& out) {
    const bool defined = window >= minimumWindow(op) && window <= x.days();
    forEachColumnBlock(x.instruments(), kColumnBlock, [&](int i0, int i1) {
        fillNaN(out, std::min(x.days(), defined ? window - 1 : x.days()), i0, i1);
        if (!defined) return;
        switch (op) {
        case OpId::Mean:
        case OpId::Sum:
        case OpId::TsDiv:
            sums(op, x, window, out, i0, i1);
            break;
        case OpId::WMA:
        case OpId::EMA:
            weighted(op, x, window, out, i0, i1);
            break;
        case OpId::Std:
        case OpId::Var:
        case OpId::IR:
            secondMoments(op, x, window, out, i0, i1);
            break;
        case OpId::Skew:
        case OpId::Kurt:
            higherMoments(op, x, window, out, i0, i1);
            break;
        case OpId::Slope:
        case OpId::Rsquare:
        case OpId::Resi:
            regression(op, x, window, out, i0, i1);
            break;
        default:
            fillNaN(out, x.days(), i0, i1);
            break;
        }
    });
}

void rollingCoMoments(OpId op, const Panel& x, const Panel& y, int window, Panel& out) {
    const bool defined = window >= minimumWindow(op) && window <= x.days();
    forEachColumnBlock(x.instruments(), kColumnBlock, [&](int i0, int i1) {
        fillNaN(out, std::min(x.days(), defined ? window - 1 : x.days()), i0, i1);
        if (defined) coMoments(op, x, y, window, out, i0, i1);
    });
}

} // namespace alphascope::kernels::detail

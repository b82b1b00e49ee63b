// Sliding extrema with the van Herk / Gil-Werman split (about three comparisons a cell, whatever
// the window, no deque bookkeeping) and their arg positions with Qlib's tie rule.

#include "core/eval/rolling_ops.h"
#include "core/eval/rolling_window.h"

#include <algorithm>

namespace alphascope::kernels::detail {
namespace {

/// Largest and smallest value of a run.
struct Range {
    double hi = 0, lo = 0;
};

/// The extreme value of a run and the day it occurs (the oldest such day on ties); the day is a
/// double (exact for any day index) so that both fields have one vector width.
struct Extreme {
    double v = 0;
    double day = 0;
};

template <OpId Op>
[[gnu::always_inline]] inline void extremaOf(const Panel& x, int w, Panel& out, int i0, int i1) {
    const int n = i1 - i0;
    WindowGuard guard(w, n, false);
    slidingAggregate<Range>(
        x.days(), n, w,
        [&](int t, int i) {
            const double v = sanitized(x.row(t)[i0 + i]);
            return Range{v, v};
        },
        [](const Range& a, double, const Range& b, double) {
            return Range{a.hi > b.hi ? a.hi : b.hi, a.lo < b.lo ? a.lo : b.lo};
        },
        [&](int t) { guard.step(t, x.row(t) + i0); },
        [&](int t, int i, const Range& a) {
            const double today = x.row(t)[i0 + i];
            double v;
            if constexpr (Op == OpId::Max)
                v = a.hi;
            else if constexpr (Op == OpId::Min)
                v = a.lo;
            else if constexpr (Op == OpId::MaxDiff)
                v = today - a.hi;
            else if constexpr (Op == OpId::MinDiff)
                v = today - a.lo;
            else // MinMaxDiff
                v = a.hi - a.lo;
            out.row(t)[i0 + i] = guard.valid(i) ? toOutput(v) : kNaN;
        });
}

ALPHASCOPE_SIMD_CLONES
void extrema(OpId op, const Panel& x, int w, Panel& out, int i0, int i1) {
    switch (op) {
    case OpId::Max: extremaOf<OpId::Max>(x, w, out, i0, i1); break;
    case OpId::Min: extremaOf<OpId::Min>(x, w, out, i0, i1); break;
    case OpId::MaxDiff: extremaOf<OpId::MaxDiff>(x, w, out, i0, i1); break;
    case OpId::MinDiff: extremaOf<OpId::MinDiff>(x, w, out, i0, i1); break;
    default: extremaOf<OpId::MinMaxDiff>(x, w, out, i0, i1); break;
    }
}

/// ArgMax / ArgMin: 1-based position from the oldest day; ties go to the oldest (numpy argmax + 1).
/// The merge selects without a branch, so that the block's loops vectorise like extremaOf's.
template <bool IsMax>
[[gnu::always_inline]] inline void argExtremeOf(const Panel& x, int w, Panel& out, int i0, int i1) {
    const int n = i1 - i0;
    WindowGuard guard(w, n, false);
    slidingAggregate<Extreme>(
        x.days(), n, w,
        [&](int t, int i) {
            return Extreme{sanitized(x.row(t)[i0 + i]), static_cast<double>(t)};
        },
        [](const Extreme& older, double, const Extreme& newer, double) {
            // Strict comparison keeps the older day on ties.
            const bool takeNewer = IsMax ? newer.v > older.v : newer.v < older.v;
            return Extreme{takeNewer ? newer.v : older.v, takeNewer ? newer.day : older.day};
        },
        [&](int t) { guard.step(t, x.row(t) + i0); },
        [&](int t, int i, const Extreme& a) {
            out.row(t)[i0 + i] = guard.valid(i) ? static_cast<float>(a.day - double(t - w + 1) + 1.0) : kNaN;
        });
}

ALPHASCOPE_SIMD_CLONES
void argExtreme(OpId op, const Panel& x, int w, Panel& out, int i0, int i1) {
    if (op == OpId::ArgMax) argExtremeOf<true>(x, w, out, i0, i1);
    else argExtremeOf<false>(x, w, out, i0, i1);
}

} // namespace

void rollingExtrema(OpId op, const Panel& x, int window, Panel& out) {
    const bool defined = window >= 1 && window <= x.days();
    forEachColumnBlock(x.instruments(), kColumnBlock, [&](int i0, int i1) {
        fillNaN(out, std::min(x.days(), defined ? window - 1 : x.days()), i0, i1);
        if (!defined) return;
        if (op == OpId::ArgMax || op == OpId::ArgMin)
            argExtreme(op, x, window, out, i0, i1);
        else
            extrema(op, x, window, out, i0, i1);
    });
}

} // namespace alphascope::kernels::detail

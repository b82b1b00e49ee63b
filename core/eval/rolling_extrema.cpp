// Sliding extrema with the van Herk / Gil-Werman split (about three comparisons a cell, whatever
// the window, no deque bookkeeping) and their arg positions with Qlib's tie rule.

#include "core/eval/rolling_ops.h"
#include "core/eval/rolling_window.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

namespace alphascope::kernels::detail {
namespace {

/// Largest and smallest value of a run.
struct Range {
    double hi = 0, lo = 0;
};

/// The extreme value of a run and the day it occurs (the oldest such day on ties), both float: the
/// value is one of the inputs, and day indices are exact below 2^24 (45,000 years of days), so
/// eight lanes at a time give the double aggregate's results.
struct Extreme {
    float v = 0;
    float day = 0;
};

} // namespace

// Two members of one type each: slidingRows keeps them member by member (AggLayout).
template <>
struct AggLayout<Range> : MembersOf<double, 2> {};
template <>
struct AggLayout<Extreme> : MembersOf<float, 2> {};

namespace {

/// A float input with non-finite values as 0 (the guard discards the windows holding them).
[[gnu::always_inline]] inline float sanitizedFloat(float v) {
    return std::fabs(v) <= FLT_MAX ? v : 0.0f;
}

/// Max, Min, MaxDiff and MinDiff: one extreme per run, kept in float (the larger or smaller of two
/// floats is one of them, exactly, so the values are those of a double aggregate), eight lanes at
/// a time instead of four and one component instead of two.
template <OpId Op>
[[gnu::always_inline]] inline void oneExtremeOf(const Panel& x, int w, Panel& out, int i0, int i1, DaySpan span) {
    constexpr bool isMax = Op == OpId::Max || Op == OpId::MaxDiff;
    const int n = i1 - i0;
    WindowGuard guard(w, n, false);
    slidingAggregate<float>(
        x.days(), n, w, span, [&](int t, int i) { return sanitizedFloat(x.row(t)[i0 + i]); },
        [](float a, double, float b, double) {
            if constexpr (isMax)
                return a > b ? a : b;
            else
                return a < b ? a : b;
        },
        [&](int t) { guard.step(t, x.row(t) + i0); },
        [&](int t, int i, float a) {
            float v;
            if constexpr (Op == OpId::Max || Op == OpId::Min)
                v = a;
            else // one subtraction of two floats rounds in float as in double rounded back (53 >= 2 * 24 + 2 bits)
                v = x.row(t)[i0 + i] - a;
            out.row(t)[i0 + i] = guard.valid(i) && std::fabs(v) <= FLT_MAX ? v : kNaN;
        });
}

/// MinMaxDiff: the largest and the smallest value of the window, in double as before (its
/// difference is one rounding of the exact difference).
[[gnu::always_inline]] inline void rangeOf(const Panel& x, int w, Panel& out, int i0, int i1, DaySpan span) {
    slidingRows<Range>(
        x, out, i0, i1 - i0, w, span,
        [](int, float v, bool ok) {
            const double d = ok ? static_cast<double>(v) : 0.0;
            return Range{d, d};
        },
        [](const Range& a, double, const Range& b, double) {
            return Range{a.hi > b.hi ? a.hi : b.hi, a.lo < b.lo ? a.lo : b.lo};
        },
        [](int, float, const Range& a) { return toOutput(a.hi - a.lo); });
}

ALPHASCOPE_SIMD_CLONES
void extrema(OpId op, const Panel& x, int w, Panel& out, int i0, int i1, DaySpan span) {
    switch (op) {
    case OpId::Max: oneExtremeOf<OpId::Max>(x, w, out, i0, i1, span); break;
    case OpId::Min: oneExtremeOf<OpId::Min>(x, w, out, i0, i1, span); break;
    case OpId::MaxDiff: oneExtremeOf<OpId::MaxDiff>(x, w, out, i0, i1, span); break;
    case OpId::MinDiff: oneExtremeOf<OpId::MinDiff>(x, w, out, i0, i1, span); break;
    default: rangeOf(x, w, out, i0, i1, span); break;
    }
}

/// ArgMax / ArgMin: 1-based position from the oldest day; ties go to the oldest (numpy argmax + 1).
/// The merge selects without a branch, so that the block's loops vectorise like extremaOf's.
template <bool IsMax>
[[gnu::always_inline]] inline void argExtremeOf(const Panel& x, int w, Panel& out, int i0, int i1, DaySpan span) {
    slidingRows<Extreme>(
        x, out, i0, i1 - i0, w, span,
        [](int t, float v, bool ok) {
            return Extreme{ok ? v : 0.0f, static_cast<float>(t)};
        },
        [](const Extreme& older, double, const Extreme& newer, double) {
            // Strict comparison keeps the older day on ties.
            const bool takeNewer = IsMax ? newer.v > older.v : newer.v < older.v;
            return Extreme{takeNewer ? newer.v : older.v, takeNewer ? newer.day : older.day};
        },
        [&](int t, float, const Extreme& a) { return static_cast<float>(a.day - double(t - w + 1) + 1.0); });
}

ALPHASCOPE_SIMD_CLONES
void argExtreme(OpId op, const Panel& x, int w, Panel& out, int i0, int i1, DaySpan span) {
    if (op == OpId::ArgMax)
        argExtremeOf<true>(x, w, out, i0, i1, span);
    else
        argExtremeOf<false>(x, w, out, i0, i1, span);
}

} // namespace

void rollingExtrema(OpId op, const Panel& x, int window, Panel& out, const UniverseMask* mask) {
    const bool defined = window >= 1 && window <= x.days();
    forEachSpanAndColumnBlock(x.instruments(), x.days(), defined ? window : 0, kColumnBlock,
                              thenMasked(mask, out, [&](int i0, int i1, DaySpan span) {
                                  fillNaN(out, span, defined ? window - 1 : x.days(), i0, i1);
                                  if (!defined) return;
                                  if (op == OpId::ArgMax || op == OpId::ArgMin)
                                      argExtreme(op, x, window, out, i0, i1, span);
                                  else
                                      extrema(op, x, window, out, i0, i1, span);
                              }));
}

} // namespace alphascope::kernels::detail

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

/// The extreme value of a run and the day it occurs (the oldest such day on ties).
struct Extreme {
    double v = 0;
    int day = 0;
};

void extrema(OpId op, const Panel& x, int w, Panel& out, int i0, int i1) {
    const int n = i1 - i0;
    WindowGuard guard(w, n);
    slidingAggregate<Range>(
        x.days(), n, w,
        [&](int t, int i) {
            const double v = sanitized(x.row(t)[i0 + i]);
            return Range{v, v};
        },
        [](const Range& a, double, const Range& b, double) {
            return Range{std::max(a.hi, b.hi), std::min(a.lo, b.lo)};
        },
        [&](int t) { guard.step(t, x.row(t) + i0); },
        [&](int t, int i, const Range& a) {
            double v = kNaN;
            if (guard.valid(i)) {
                const double today = x.row(t)[i0 + i];
                switch (op) {
                case OpId::Max:
                    v = a.hi;
                    break;
                case OpId::Min:
                    v = a.lo;
                    break;
                case OpId::MaxDiff:
                    v = today - a.hi;
                    break;
                case OpId::MinDiff:
                    v = today - a.lo;
                    break;
                default:
                    v = a.hi - a.lo;
                    break; // MinMaxDiff
                }
            }
            out.row(t)[i0 + i] = toOutput(v);
        });
}

/// ArgMax / ArgMin: 1-based position from the oldest day; ties go to the oldest (numpy argmax + 1).
void argExtreme(OpId op, const Panel& x, int w, Panel& out, int i0, int i1) {
    const int n = i1 - i0;
    WindowGuard guard(w, n);
    const bool isMax = op == OpId::ArgMax;
    slidingAggregate<Extreme>(
        x.days(), n, w,
        [&](int t, int i) {
            return Extreme{sanitized(x.row(t)[i0 + i]), t};
        },
        [isMax](const Extreme& older, double, const Extreme& newer, double) {
            // Strict comparison keeps the older day on ties.
            const bool takeNewer = isMax ? newer.v > older.v : newer.v < older.v;
            return takeNewer ? newer : older;
        },
        [&](int t) { guard.step(t, x.row(t) + i0); },
        [&](int t, int i, const Extreme& a) {
            out.row(t)[i0 + i] = guard.valid(i) ? static_cast<float>(a.day - (t - w + 1) + 1) : kNaN;
        });
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

// Rank, Med and Mad. Long windows: per instrument, one OrderStatistic over the whole column (one
// sort), then O(log T) per day; columns are transposed in small blocks so each series is contiguous.
// Windows up to kDirectWindow: direct O(W) work that vectorises over instruments (Rank, Mad) or a
// small sorted window per instrument (Med); its cost is bounded by a constant, so every path is
// O(T x N), and for the usual windows (5..60) it is several times faster than the tree.

#include "core/eval/order_statistic.h"
#include "core/eval/rolling_ops.h"
#include "core/eval/rolling_window.h"
#include "core/util/simd.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace alphascope::kernels::detail {
namespace {

/// Instruments transposed together (16 floats = one cache line of each panel row).
constexpr int kOrderBlock = 16;

/// Longest window handled by the direct paths (their cost per cell grows with W up to this).
constexpr int kDirectWindow = 64;

/// Rank by counting, day-major: each day compares today's row with the W-1 rows before it.
ALPHASCOPE_SIMD_CLONES
void rankDirect(const Panel& x, int w, Panel& out, int i0, int i1) {
    const int n = i1 - i0;
    WindowGuard guard(w, n, false);
    std::vector<int> below(n), equal(n);
    for (int t = 0; t < x.days(); ++t) {
        guard.step(t, x.row(t) + i0);
        if (t < w - 1) continue;
        const float* today = x.row(t) + i0;
        std::fill(below.begin(), below.end(), 0);
        std::fill(equal.begin(), equal.end(), 0);
        for (int k = 1; k < w; ++k) {
            const float* row = x.row(t - k) + i0;
            for (int i = 0; i < n; ++i) {
                below[i] += row[i] < today[i];
                equal[i] += row[i] == today[i];
            }
        }
        float* dst = out.row(t) + i0;
        for (int i = 0; i < n; ++i) // today counts once among the equal values: (equal + 1 + 1) / 2
            dst[i] = guard.valid(i) ? toOutput((below[i] + 0.5 * (equal[i] + 2)) / w) : kNaN;
    }
}

/// Mad in two passes over the window, day-major: the mean, then the mean absolute deviation.
ALPHASCOPE_SIMD_CLONES
void madDirect(const Panel& x, int w, Panel& out, int i0, int i1) {
    const int n = i1 - i0;
    WindowGuard guard(w, n);
    std::vector<double> sum(n), dev(n);
    for (int t = 0; t < x.days(); ++t) {
        guard.step(t, x.row(t) + i0);
        if (t < w - 1) continue;
        std::fill(sum.begin(), sum.end(), 0.0);
        std::fill(dev.begin(), dev.end(), 0.0);
        for (int k = 0; k < w; ++k) {
            const float* row = x.row(t - k) + i0;
            for (int i = 0; i < n; ++i) sum[i] += row[i];
        }
        for (int i = 0; i < n; ++i) sum[i] /= w;
        for (int k = 0; k < w; ++k) {
            const float* row = x.row(t - k) + i0;
            for (int i = 0; i < n; ++i) dev[i] += std::fabs(row[i] - sum[i]);
        }
        float* dst = out.row(t) + i0;
        for (int i = 0; i < n; ++i)
            dst[i] = guard.valid(i) ? (guard.constantX(i) ? 0.0f : toOutput(dev[i] / w)) : kNaN;
    }
}

/// Number of the first m values of a sorted window that are below v (a branch-free count that
/// vectorises: for the short windows of this path it beats a binary search, whose branches miss).
ALPHASCOPE_SIMD_CLONES
int countBelow(const float* a, int m, float v) {
    int c = 0;
    for (int j = 0; j < m; ++j) c += a[j] < v ? 1 : 0;
    return c;
}

/// Med over a sorted copy of each instrument's window (finite values only): the leaving value's
/// slot and today's place are counted, and the values between them move by one.
void medianDirect(const Panel& x, int w, Panel& out, int i0, int i1) {
    const int n = i1 - i0;
    WindowGuard guard(w, n);
    std::vector<float> sorted(static_cast<std::size_t>(n) * w);
    std::vector<int> size(n, 0);
    for (int t = 0; t < x.days(); ++t) {
        guard.step(t, x.row(t) + i0);
        const float* today = x.row(t) + i0;
        const float* leaving = t >= w ? x.row(t - w) + i0 : nullptr;
        float* dst = out.row(t) + i0;
        for (int i = 0; i < n; ++i) {
            float* a = &sorted[static_cast<std::size_t>(i) * w];
            int m = size[i];
            const bool leaves = leaving && std::isfinite(leaving[i]);
            const bool enters = std::isfinite(today[i]);
            if (leaves) {
                const int p = countBelow(a, m, leaving[i]); // equal values are interchangeable
                if (enters) {
                    const float v = today[i];
                    const int q = countBelow(a, m, v);
                    if (q > p) { // v goes after the freed slot: the values between move down
                        std::copy(a + p + 1, a + q, a + p);
                        a[q - 1] = v;
                    } else { // v goes at or before it: the values between move up
                        std::copy_backward(a + q, a + p, a + p + 1);
                        a[q] = v;
                    }
                } else {
                    std::copy(a + p + 1, a + m, a + p);
                    --m;
                }
            } else if (enters) {
                const float v = today[i];
                const int q = countBelow(a, m, v);
                std::copy_backward(a + q, a + m, a + m + 1);
                a[q] = v;
                ++m;
            }
            size[i] = m;
            if (t >= w - 1)
                dst[i] = guard.valid(i) ? toOutput(w % 2 ? a[w / 2] : 0.5 * (double(a[w / 2 - 1]) + a[w / 2]))
                                        : kNaN;
        }
    }
}

/// One series: `series` and `result` are contiguous over days.
void orderSeries(OpId op, const float* series, int days, int w, float* result, OrderStatistic& stat) {
    stat.reset(series, days, op == OpId::Mad);
    int lastBad = -1;
    int run = 0; // days the value has been repeated, ending today
    for (int t = 0; t < days; ++t) {
        const float x = series[t];
        if (std::isfinite(x)) {
            stat.insert(t);
            run = (run > 0 && x == series[t - 1]) ? run + 1 : 1;
        } else {
            lastBad = t;
            run = 0;
        }
        if (t >= w && stat.rankOf(t - w) >= 0) stat.erase(t - w);
        if (t - lastBad < w) { // incomplete window, or a non-finite value in it
            result[t] = kNaN;
            continue;
        }
        double v = 0.0;
        if (op == OpId::Rank) {
            const int r = stat.rankOf(t);
            const int below = stat.countBelow(r);
            const int equal = stat.countBelow(r + 1) - below; // includes today
            v = (below + 0.5 * (equal + 1)) / w;
        } else if (op == OpId::Med) {
            v = (w % 2 == 1) ? stat.value(stat.kth(w / 2))
                             : 0.5 * (stat.value(stat.kth(w / 2 - 1)) + stat.value(stat.kth(w / 2)));
        } else if (run < w) { // Mad; exactly 0 on a constant window
            // sum |x - m| = m * nBelow - sumBelow + sumAbove - m * nAbove, with m the window mean.
            const double total = stat.sumBelow(stat.distinct());
            const double mean = total / w;
            const int split = stat.ranksAtMost(mean);
            const double nBelow = stat.countBelow(split);
            const double sBelow = stat.sumBelow(split);
            v = ((mean * nBelow - sBelow) + ((total - sBelow) - mean * (w - nBelow))) / w;
        }
        result[t] = toOutput(v);
    }
}

} // namespace

void rollingOrder(OpId op, const Panel& x, int window, Panel& out) {
    const int days = x.days();
    const bool defined = window >= 1 && window <= days;
    if (defined && window <= kDirectWindow) {
        forEachColumnBlock(x.instruments(), kColumnBlock, [&](int i0, int i1) {
            fillNaN(out, window - 1, i0, i1);
            if (op == OpId::Rank)
                rankDirect(x, window, out, i0, i1);
            else if (op == OpId::Mad)
                madDirect(x, window, out, i0, i1);
            else
                medianDirect(x, window, out, i0, i1);
        });
        return;
    }
    forEachColumnBlock(x.instruments(), kOrderBlock, [&](int i0, int i1) {
        if (!defined) {
            fillNaN(out, days, i0, i1);
            return;
        }
        const int n = i1 - i0;
        const auto len = static_cast<std::size_t>(days);
        std::vector<float> series(len * n);
        std::vector<float> result(len * n);
        for (int t = 0; t < days; ++t) {
            const float* row = x.row(t) + i0;
            for (int i = 0; i < n; ++i) series[i * len + t] = row[i];
        }
        OrderStatistic stat;
        for (int i = 0; i < n; ++i) orderSeries(op, &series[i * len], days, window, &result[i * len], stat);
        for (int t = 0; t < days; ++t) {
            float* row = out.row(t) + i0;
            for (int i = 0; i < n; ++i) row[i] = result[i * len + t];
        }
    });
}

} // namespace alphascope::kernels::detail

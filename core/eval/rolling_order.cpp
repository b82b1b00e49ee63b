// Rank, Med, Quantile and Mad. Long windows: per instrument, one OrderStatistic over the whole column (one
// sort), then O(log T) per day; columns are transposed in small blocks so each series is contiguous.
// Windows up to kDirectWindow: direct O(W) work that vectorises over instruments (Rank, Mad) or a
// small sorted window per instrument (Med); its cost is bounded by a constant, so every path is
// O(T x N), and for the usual windows (5..60) it is several times faster than the tree.

#include "core/eval/order_statistic.h"
#include "core/eval/rolling_ops.h"
#include "core/eval/rolling_window.h"
#include "core/util/simd.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

namespace alphascope::kernels::detail {
namespace {

/// Instruments transposed together (16 floats = one cache line of each panel row).
constexpr int kOrderBlock = 16;

/// Longest window handled by the direct paths (their cost per cell grows with W up to this): Rank
/// counts and Med's sorted windows stay ahead of the tree up to a few hundred days (W 120 on
/// 750 x 2,500: Rank 57 -> ~20 ms, Med 78 -> ~15 ms) and give the same values as it; Mad's direct
/// sums add in another order than the tree's, so it keeps its old switch.
constexpr int kDirectWindow = 256;
constexpr int kDirectWindowMad = 64;

constexpr float kInf = std::numeric_limits<float>::infinity();

/// Which order statistics make the value: Med averages the middle pair (as before); a quantile q
/// interpolates linearly at position (W - 1) q between the values of rank lo and hi (pandas' and
/// so Qlib's 'linear' rule).
struct Pick {
    int lo = 0, hi = 0;
    double frac = 0.0;
    bool median = true;
};

Pick pickFor(OpId op, int w, double q) {
    Pick p;
    if (op != OpId::Quantile) {
        p.lo = w > 1 ? (w - 1) / 2 : 0;
        p.hi = w / 2;
        return p;
    }
    const double position = (w - 1) * q;
    p.lo = static_cast<int>(std::floor(position));
    p.hi = std::min(w - 1, static_cast<int>(std::ceil(position)));
    p.frac = position - p.lo;
    p.median = false;
    return p;
}

inline double picked(const Pick& p, int w, double low, double high) {
    if (p.median) return w % 2 ? high : 0.5 * (low + high); // odd windows: low == high, the middle value
    return low + (high - low) * p.frac;
}

/// Rank by counting, day-major: each day compares today's row with the W-1 rows before it.
ALPHASCOPE_SIMD_CLONES
void rankDirect(const Panel& x, int w, Panel& out, int i0, int i1, DaySpan span) {
    const int n = i1 - i0;
    WindowGuard guard(w, n, false);
    std::vector<int> below(n), equal(n);
    for (int t = std::max(0, span.begin - w + 1); t < span.begin; ++t) guard.step(t, x.row(t) + i0);
    for (int t = span.begin; t < span.end; ++t) {
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

/// Mad, day-major: the window's mean from a running sum (in double, restarted from the window every
/// kMadRestart days so that rounding cannot build up), then one pass for the mean absolute deviation.
/// The deviations' float error stays far below the 1e-5 the kernels are held to (16 float terms per
/// partial sum: under 1e-6 relative).
constexpr int kMadRestart = 1024;
constexpr int kMadChunk = 16;

ALPHASCOPE_SIMD_CLONES
void madDirect(const Panel& x, int w, Panel& out, int i0, int i1) {
    const int n = i1 - i0;
    WindowGuard guard(w, n);
    std::vector<double> sum(n, 0.0), dev(n);
    std::vector<float> hi(n), lo(n), part(n);
    for (int t = 0; t < x.days(); ++t) {
        guard.step(t, x.row(t) + i0);
        const float* now = x.row(t) + i0;
        if (t >= w && t % kMadRestart == 0) {
            std::fill(sum.begin(), sum.end(), 0.0);
            for (int k = 0; k < w; ++k) {
                const float* row = x.row(t - k) + i0;
                for (int i = 0; i < n; ++i) sum[i] += sanitized(row[i]);
            }
        } else {
            const float* old = t >= w ? x.row(t - w) + i0 : nullptr;
            for (int i = 0; i < n; ++i) sum[i] += sanitized(now[i]) - (old ? sanitized(old[i]) : 0.0);
        }
        if (t < w - 1) continue;
        // The deviations in float, eight lanes: the mean split into a float and the float of its
        // remainder, so that x - hi is exact when x is near the mean (Sterbenz) and large levels with
        // small moves keep their digits; partial sums of kMadChunk terms go into double.
        for (int i = 0; i < n; ++i) {
            const double mu = sum[i] / w;
            hi[i] = static_cast<float>(mu);
            lo[i] = static_cast<float>(mu - hi[i]);
        }
        std::fill(dev.begin(), dev.end(), 0.0);
        for (int k0 = 0; k0 < w; k0 += kMadChunk) {
            std::fill(part.begin(), part.end(), 0.0f);
            for (int k = k0; k < std::min(w, k0 + kMadChunk); ++k) {
                const float* row = x.row(t - k) + i0;
                for (int i = 0; i < n; ++i) part[i] += std::fabs((row[i] - hi[i]) - lo[i]);
            }
            for (int i = 0; i < n; ++i) dev[i] += part[i];
        }
        float* dst = out.row(t) + i0;
        for (int i = 0; i < n; ++i) dst[i] = guard.valid(i) ? (guard.constantX(i) ? 0.0f : toOutput(dev[i] / w)) : kNaN;
    }
}

/// Eight floats handled as one vector (GCC vector extensions: AVX2 in the avx2 clone, two SSE
/// registers in the baseline one); buffers stay float arrays, read and written with memcpy.
using Lanes = float __attribute__((vector_size(32)));
constexpr int kLanes = 8;

/// Med over sorted windows, eight instruments at a time: row k of `sorted` holds the k-th smallest
/// value of each lane's window, non-finite values stand as +inf (such windows are NaN by the
/// guard, and a leaving value is always present) and a guard row of +inf follows the last. Each
/// day deletes the leaving value (row k takes row k+1 from the first row not below it: that is
/// one instance of it) and inserts today's (row k keeps its value while below today's, the first
/// row not below becomes today's value, the later ones take the row before them), in one pass
/// over the rows with compares and blends only: no branches, no per-instrument moves. Placement is
/// the same as inserting by counting, so the rows are those of a sorted copy of the window.
ALPHASCOPE_SIMD_CLONES
void medianDirect(const Panel& x, int w, const Pick& pick, Panel& out, int i0, int i1) {
    const int n = i1 - i0;
    WindowGuard guard(w, n, false);
    const int chunks = (n + kLanes - 1) / kLanes;
    const Lanes inf = Lanes{} + kInf, minusInf = Lanes{} - kInf;
    // Row k of chunk c: sorted[(k * chunks + c) * kLanes ...], rows 0..w-1 and the guard row w.
    std::vector<float> sorted(static_cast<std::size_t>(w + 1) * chunks * kLanes, kInf);
    std::vector<float> low(static_cast<std::size_t>(chunks) * kLanes), high(low.size());
    const Lanes largest = Lanes{} + FLT_MAX;
    const auto load = [&](Lanes& v, const float* row, int c) { // non-finite, past the block: +inf
        if ((c + 1) * kLanes <= n) {
            std::memcpy(&v, row + c * kLanes, sizeof v);
            Lanes magnitude;
            for (int l = 0; l < kLanes; ++l) magnitude[l] = std::fabs(v[l]);
            v = magnitude <= largest ? v : inf; // NaN compares false
            return;
        }
        v = inf;
        for (int l = 0; c * kLanes + l < n; ++l) {
            const float f = row[c * kLanes + l];
            v[l] = std::fabs(f) <= FLT_MAX ? f : kInf;
        }
    };
    const std::size_t rowStep = static_cast<std::size_t>(chunks) * kLanes;
    for (int t = 0; t < x.days(); ++t) {
        const float* today = x.row(t) + i0;
        guard.step(t, today);
        for (int c = 0; c < chunks; ++c) {
            Lanes v, gone = inf;
            load(v, today, c);
            if (t >= w) load(gone, x.row(t - w) + i0, c);
            float* rows = &sorted[static_cast<std::size_t>(c) * kLanes];
            Lanes cur, next, before = minusInf; // before: the previous row after the deletion
            std::memcpy(&cur, rows, sizeof cur);
            for (int k = 0; k < w; ++k) {
                std::memcpy(&next, rows + (k + 1) * rowStep, sizeof next);
                const Lanes kept = cur < gone ? cur : next;
                const Lanes shifted = before < v ? v : before;
                const Lanes result = kept < v ? kept : shifted;
                std::memcpy(rows + k * rowStep, &result, sizeof result);
                before = kept;
                cur = next;
            }
            std::memcpy(&low[static_cast<std::size_t>(c) * kLanes], rows + pick.lo * rowStep, sizeof(Lanes));
            std::memcpy(&high[static_cast<std::size_t>(c) * kLanes], rows + pick.hi * rowStep, sizeof(Lanes));
        }
        if (t < w - 1) continue;
        float* dst = out.row(t) + i0;
        for (int i = 0; i < n; ++i) dst[i] = guard.valid(i) ? toOutput(picked(pick, w, low[i], high[i])) : kNaN;
    }
}

/// One series: `series` and `result` are contiguous over days.
void orderSeries(OpId op, const float* series, int days, int w, const Pick& pick, float* result, OrderStatistic& stat) {
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
        } else if (op == OpId::Med || op == OpId::Quantile) {
            v = picked(pick, w, stat.value(stat.kth(pick.lo)), stat.value(stat.kth(pick.hi)));
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

void rollingOrder(OpId op, const Panel& x, int window, Panel& out, const UniverseMask* mask, double q) {
    const int days = x.days();
    const bool defined = window >= 1 && window <= days && (op != OpId::Quantile || (q >= 0.0 && q <= 1.0));
    const Pick pick = defined ? pickFor(op, window, q) : Pick{};
    if (defined && window <= (op == OpId::Mad ? kDirectWindowMad : kDirectWindow)) {
        // Rank, which counts within each window, on day spans. Mad's running sum restarts every
        // kMadRestart days, so its state depends on every day since the last restart, and the sorted
        // windows of Med and Quantile hold equal values (0 and -0) in the order they came: both walk
        // all days.
        forEachSpanAndColumnBlock(x.instruments(), days, op == OpId::Rank ? window : 0, kWideColumnBlock,
                                  thenMasked(mask, out, [&](int i0, int i1, DaySpan span) {
                                      fillNaN(out, span, window - 1, i0, i1);
                                      if (op == OpId::Rank)
                                          rankDirect(x, window, out, i0, i1, span);
                                      else if (op == OpId::Mad)
                                          madDirect(x, window, out, i0, i1);
                                      else
                                          medianDirect(x, window, pick, out, i0, i1);
                                  }));
        return;
    }
    forEachSpanAndColumnBlock(x.instruments(), days, 0, kOrderBlock,
                              thenMasked(mask, out, [&](int i0, int i1, DaySpan) {
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
                                  for (int i = 0; i < n; ++i)
                                      orderSeries(op, &series[i * len], days, window, pick, &result[i * len], stat);
                                  for (int t = 0; t < days; ++t) {
                                      float* row = out.row(t) + i0;
                                      for (int i = 0; i < n; ++i) row[i] = result[i * len + t];
                                  }
                              }));
}

} // namespace alphascope::kernels::detail

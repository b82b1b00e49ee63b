#pragma once
// Internal machinery shared by the rolling kernels (not a public API): output conversion, the
// per-instrument window guard (finite / constant tracking) and the van Herk / Gil-Werman sliding
// aggregation that makes every associative window statistic O(1) per cell whatever the window.

#include "core/data/panel.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace alphascope::kernels::detail {

/// Instruments per parallel task for the day-major kernels (64 floats = 4 cache lines a row).
inline constexpr int kColumnBlock = 64;

/// Runs fn(first, last) over blocks of `block` instruments in parallel.
template <class Fn> void forEachColumnBlock(int columns, int block, Fn&& fn) {
    const int blocks = (columns + block - 1) / block;
    tbb::parallel_for(tbb::blocked_range<int>(0, blocks), [&](const tbb::blocked_range<int>& r) {
        for (int b = r.begin(); b != r.end(); ++b) fn(b * block, std::min(columns, (b + 1) * block));
    });
}

/// Sets days [0, days) of instruments [first, last) to NaN.
inline void fillNaN(Panel& out, int days, int first, int last) {
    for (int t = 0; t < std::min(days, out.days()); ++t)
        std::fill(out.row(t) + first, out.row(t) + last, kNaN);
}

/// A double result as stored in a panel: anything non-finite (or overflowing float) is NaN.
inline float toOutput(double v) {
    const float f = static_cast<float>(v);
    return std::isfinite(f) ? f : kNaN;
}

/// Input value with non-finite replaced by 0: windows containing it are discarded by the guard,
/// and a clean value keeps inf/NaN from spreading through the shared prefix/suffix aggregates.
inline double sanitized(float v) {
    return std::isfinite(v) ? static_cast<double>(v) : 0.0;
}

/// Per-instrument state telling, for the current day, whether the window of the last W days is all
/// finite and whether it is constant. Constant is "the last W values are all equal": for float32
/// inputs this is the same as max - min <= 1e-12 * max(|max|, |min|), because two distinct floats
/// differ by at least ~6e-8 relatively (1e-7 among subnormals), far above 1e-12.
class WindowGuard {
public:
    WindowGuard(int window, int columns)
        : m_window(window), m_lastBad(columns, -1), m_runX(columns, 0), m_runY(columns, 0),
          m_prevX(columns, kNaN), m_prevY(columns, kNaN) {}

    /// Feeds day t of one series (`row` points at the block's first instrument).
    void step(int t, const float* row) {
        m_t = t;
        for (std::size_t i = 0; i < m_lastBad.size(); ++i) feed(i, row[i], m_runX, m_prevX);
    }

    /// Feeds day t of a pair of series: a window is valid only when both are finite throughout.
    void step(int t, const float* rowX, const float* rowY) {
        m_t = t;
        for (std::size_t i = 0; i < m_lastBad.size(); ++i) {
            feed(i, rowX[i], m_runX, m_prevX);
            feed(i, rowY[i], m_runY, m_prevY);
        }
    }

    /// The window ending today is complete and all finite.
    bool valid(int i) const { return m_t - m_lastBad[i] >= m_window; }
    /// The (valid) window of x is constant.
    bool constantX(int i) const { return m_runX[i] >= m_window; }
    /// The (valid) window of y is constant.
    bool constantY(int i) const { return m_runY[i] >= m_window; }

private:
    void feed(std::size_t i, float v, std::vector<int>& run, std::vector<float>& prev) {
        if (!std::isfinite(v)) {
            m_lastBad[i] = m_t;
            run[i] = 0;
        } else {
            run[i] = (run[i] > 0 && v == prev[i]) ? run[i] + 1 : 1;
        }
        prev[i] = v;
    }

    int m_window;
    int m_t = -1;
    std::vector<int> m_lastBad;
    std::vector<int> m_runX, m_runY;
    std::vector<float> m_prevX, m_prevY;
};

/// Sliding aggregation over `columns` series of `days` with a full window W (van Herk / Gil-Werman):
/// days are cut into blocks of W; a window is the suffix of one block merged with the prefix of the
/// next, so each cell costs about three merges and nothing is ever subtracted (no cancellation,
/// no drift). `lift(t, i)` makes the aggregate of one value; `merge(older, nOlder, newer, nNewer)`
/// must be associative and gets the numbers of days merged, which are the same for every instrument
/// of a day, so count-only factors hoist out of the instrument loop. `beginDay(t)` is called before
/// day t's windows are emitted, and `emit(t, i, agg)` receives the aggregate of days t-W+1..t for
/// every t >= W-1. Instruments are the inner loop.
template <class Agg, class Lift, class Merge, class BeginDay, class Emit>
void slidingAggregate(int days, int columns, int window, Lift&& lift, Merge&& merge, BeginDay&& beginDay,
                      Emit&& emit) {
    if (window < 1 || columns <= 0) return;
    const int w = window;
    std::vector<Agg> prefix(columns);
    // Suffix aggregates of the previous block: suffix[(s - blockStart) * columns + i].
    std::vector<Agg> suffix(static_cast<std::size_t>(std::min(w, std::max(days, 1))) * columns);
    for (int start = 0; start < days; start += w) {
        const int end = std::min(start + w, days);
        for (int t = start; t < end; ++t) {
            beginDay(t);
            const bool first = t == start;
            const bool emitting = t >= w - 1;
            const int s = t - w + 1; // oldest day of the window
            const Agg* suf = emitting && s != start
                                 ? &suffix[static_cast<std::size_t>(s - (start - w)) * columns]
                                 : nullptr;
            const double nPrefix = t - start; // days in the prefix before today
            const double nSuffix = start - s; // days of the window in the previous block
            if (first) {
                for (int i = 0; i < columns; ++i) prefix[i] = lift(t, i);
            } else {
                for (int i = 0; i < columns; ++i) prefix[i] = merge(prefix[i], nPrefix, lift(t, i), 1.0);
            }
            if (suf) {
                for (int i = 0; i < columns; ++i)
                    emit(t, i, merge(suf[i], nSuffix, prefix[i], nPrefix + 1.0));
            } else if (emitting) {
                for (int i = 0; i < columns; ++i) emit(t, i, prefix[i]);
            }
        }
        if (end == days) break;
        // Suffixes of this block, for the windows that start in it and end in the next one.
        for (int t = end - 1; t >= start; --t) {
            Agg* row = &suffix[static_cast<std::size_t>(t - start) * columns];
            if (t == end - 1) {
                for (int i = 0; i < columns; ++i) row[i] = lift(t, i);
            } else {
                const Agg* next = row + columns;
                const double nNext = end - 1 - t;
                for (int i = 0; i < columns; ++i) row[i] = merge(lift(t, i), 1.0, next[i], nNext);
            }
        }
    }
}

} // namespace alphascope::kernels::detail

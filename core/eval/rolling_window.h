#pragma once
// Internal machinery shared by the rolling kernels (not a public API): output conversion, the
// per-instrument window guard (finite / constant tracking) and the van Herk / Gil-Werman sliding
// aggregation that makes every associative window statistic O(1) per cell whatever the window.

#include "core/data/panel.h"
#include "core/eval/universe_mask.h"
#include "core/util/simd.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <type_traits>
#include <utility>
#include <vector>

namespace alphascope::kernels::detail {

/// Instruments per parallel task for the day-major kernels (64 floats = 4 cache lines a row).
inline constexpr int kColumnBlock = 64;
/// A wider block for the kernels that read two rows a day or keep small sorted windows per
/// instrument (Cov, Corr, the direct Rank, Med and Mad): 128 floats = 8 cache lines of each row,
/// which the hardware prefetchers follow better. Measured on 750 x 2,500, interleaved with 64:
/// Corr 1.2x, Rank 1.28x, Med and Mad 1.16x; the sliding sums and moments gained nothing, so they
/// keep kColumnBlock.
inline constexpr int kWideColumnBlock = 128;

/// The first instrument of block b of `blocks` sharing `columns` evenly (a multiple of 8; `columns`
/// for b == blocks).
inline int columnBlockEdge(int b, int blocks, int columns) {
    return b >= blocks ? columns : static_cast<int>(static_cast<long long>(b) * columns / blocks) / 8 * 8;
}

/// Runs fn(first, last) over blocks of about `block` instruments in parallel. The number of blocks is
/// rounded up to a multiple of the worker threads and the columns are shared out evenly, each block
/// starting on a multiple of 8 instruments, so that the workers get equal shares: 537 instruments in
/// blocks of 64 were 9 blocks, 5 on one of 2 threads and 4 on the other; now 10 of 48-56.
template <class Fn>
void forEachColumnBlock(int columns, int block, Fn&& fn) {
    int blocks = (columns + block - 1) / block;
    const int workers = tbb::this_task_arena::max_concurrency();
    if (blocks > 1 && workers > 1)
        blocks = std::max(1, std::min((blocks + workers - 1) / workers * workers, columns / 8));
    tbb::parallel_for(tbb::blocked_range<int>(0, blocks), [&](const tbb::blocked_range<int>& r) {
        for (int b = r.begin(); b != r.end(); ++b)
            fn(columnBlockEdge(b, blocks, columns), columnBlockEdge(b + 1, blocks, columns));
    });
}

/// A range of days [begin, end) of a kernel's output that one task computes. A span that does not
/// start on day 0 starts on a multiple of the window, i.e. on a van Herk block boundary, so that its
/// blocks, merges and results are those of a pass over all days.
struct DaySpan {
    int begin = 0;
    int end = 0;
};

/// A span is at least this many windows long: the W days before it are read again to rebuild the
/// guard and the suffixes of the block before it (at most an eighth more work).
inline constexpr int kSpanWindows = 8;

/// Like forEachColumnBlock, but the days are also cut into one span per worker (when the panel
/// holds at least kSpanWindows windows per worker): fn(first, last, span) for every block of
/// instruments in every span. Two threads walking down the same rows of a panel, each in its own
/// columns, ran at half their speed alone (the US panel, Max(20): 1 thread 0.33 ms, 2 threads split
/// by columns 0.27-0.33 ms, the two halves as separate panels 0.16-0.18 ms): with spans each thread
/// reads and writes its own rows. The tasks are ordered span by span, so that the workers start in
/// different spans and steal column blocks only at the end.
template <class Fn>
void forEachSpanAndColumnBlock(int columns, int days, int window, int block, Fn&& fn) {
    const int workers = tbb::this_task_arena::max_concurrency();
    const int spans = window >= 1 && workers > 1 ? std::min(workers, days / (kSpanWindows * window)) : 1;
    if (spans <= 1) {
        forEachColumnBlock(columns, block, [&](int first, int last) { fn(first, last, DaySpan{0, days}); });
        return;
    }
    const int blocks = (columns + block - 1) / block;
    const auto dayEdge = [&](int k) {
        return k >= spans ? days : static_cast<int>(static_cast<long long>(k) * days / spans) / window * window;
    };
    tbb::parallel_for(tbb::blocked_range<int>(0, spans * blocks), [&](const tbb::blocked_range<int>& r) {
        for (int k = r.begin(); k != r.end(); ++k) {
            const int b = k % blocks, s = k / blocks;
            fn(columnBlockEdge(b, blocks, columns), columnBlockEdge(b + 1, blocks, columns),
               DaySpan{dayEdge(s), dayEdge(s + 1)});
        }
    });
}

/// fn(first, last, span), then the cells of that block outside the universe of `mask` (if any) set
/// to NaN, while the block is still in this worker's cache.
template <class Fn>
auto thenMasked(const UniverseMask* mask, Panel& out, Fn&& fn) {
    return [mask, &out, fn = std::forward<Fn>(fn)](int first, int last, DaySpan span) {
        fn(first, last, span);
        if (mask) mask->apply(out, span.begin, span.end, first, last);
    };
}

/// Asks for instruments [first, first + n) of day t + ahead of a panel to be brought into cache: a
/// day-major kernel walking a block of instruments down the days reads a few cache lines every
/// thousands of bytes, which the hardware prefetchers do not foresee well.
inline void prefetchDay(const Panel& p, int t, int first, int n, int ahead = 8) {
    if (t + ahead >= p.days()) return;
    const char* row = reinterpret_cast<const char*>(p.row(t + ahead) + first);
    for (std::size_t b = 0; b < static_cast<std::size_t>(n) * sizeof(float); b += 64) __builtin_prefetch(row + b);
}

/// Sets days [0, days) of instruments [first, last) to NaN.
inline void fillNaN(Panel& out, int days, int first, int last) {
    for (int t = 0; t < std::min(days, out.days()); ++t) std::fill(out.row(t) + first, out.row(t) + last, kNaN);
}

/// Sets the days of `span` before day `days` (the days without a complete window) of instruments
/// [first, last) to NaN.
inline void fillNaN(Panel& out, DaySpan span, int days, int first, int last) {
    for (int t = span.begin; t < std::min({days, span.end, out.days()}); ++t)
        std::fill(out.row(t) + first, out.row(t) + last, kNaN);
}

/// A double result as stored in a panel: anything non-finite (or overflowing float) is NaN.
inline float toOutput(double v) {
    const float f = static_cast<float>(v);
    return std::fabs(f) <= FLT_MAX ? f : kNaN;
}

/// Input value with non-finite replaced by 0: windows containing it are discarded by the guard,
/// and a clean value keeps inf/NaN from spreading through the shared prefix/suffix aggregates.
inline double sanitized(float v) {
    return std::fabs(v) <= FLT_MAX ? static_cast<double>(v) : 0.0;
}

/// Per-instrument state telling, for the current day, whether the window of the last W days is all
/// finite and whether it is constant. Constant is "the last W values are all equal": for float32
/// inputs this is the same as max - min <= 1e-12 * max(|max|, |min|), because two distinct floats
/// differ by at least ~6e-8 relatively (1e-7 among subnormals), far above 1e-12. Kernels that do not
/// ask about constant windows leave the tracking off. The updates are branch-free loops over the
/// block's instruments, and valid() / constantX() inline into the kernels' output loops, so both
/// vectorise.
class WindowGuard {
public:
    WindowGuard(int window, int columns, bool trackConstant = true)
        : m_window(window), m_track(trackConstant), m_lastBad(columns, -1), m_runX(columns, 0), m_runY(columns, 0),
          m_prevX(columns, kNaN), m_prevY(columns, kNaN) {}

    /// Feeds day t of one series (`row` points at the block's first instrument). Day -1 counts as
    /// bad, so windows reaching before day 0 are incomplete.
    [[gnu::always_inline]] void step(int t, const float* row) {
        m_t = t;
        const int n = static_cast<int>(m_lastBad.size());
        int* lastBad = m_lastBad.data();
        if (!m_track) {
#pragma omp simd
            for (int i = 0; i < n; ++i) lastBad[i] = std::fabs(row[i]) <= FLT_MAX ? lastBad[i] : t;
            return;
        }
        feed(t, row, lastBad, m_runX.data(), m_prevX.data(), n);
    }

    /// Feeds day t of a pair of series: a window is valid only when both are finite throughout.
    [[gnu::always_inline]] void step(int t, const float* rowX, const float* rowY) {
        m_t = t;
        const int n = static_cast<int>(m_lastBad.size());
        if (!m_track) {
            int* lastBad = m_lastBad.data();
#pragma omp simd
            for (int i = 0; i < n; ++i)
                lastBad[i] = std::fabs(rowX[i]) <= FLT_MAX && std::fabs(rowY[i]) <= FLT_MAX ? lastBad[i] : t;
            return;
        }
        feed(t, rowX, m_lastBad.data(), m_runX.data(), m_prevX.data(), n);
        feed(t, rowY, m_lastBad.data(), m_runY.data(), m_prevY.data(), n);
    }

    /// The window ending today is complete and all finite.
    bool valid(int i) const {
        return m_t - m_lastBad[static_cast<std::size_t>(i)] >= m_window;
    }
    /// The (valid) window of x is constant.
    bool constantX(int i) const {
        return m_runX[static_cast<std::size_t>(i)] >= m_window;
    }
    /// The (valid) window of y is constant.
    bool constantY(int i) const {
        return m_runY[static_cast<std::size_t>(i)] >= m_window;
    }

private:
    [[gnu::always_inline]] static void feed(int t, const float* __restrict row, int* __restrict lastBad,
                                            int* __restrict run, float* __restrict prev, int n) {
#pragma omp simd
        for (int i = 0; i < n; ++i) {
            const float v = row[i];
            const bool ok = std::fabs(v) <= FLT_MAX;
            lastBad[i] = ok ? lastBad[i] : t;
            const int r = v == prev[i] ? run[i] + 1 : 1; // v finite and equal: prev was finite
            run[i] = ok ? r : 0;
            prev[i] = v;
        }
    }

    int m_window;
    bool m_track;
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
/// every t >= W-1 of `span`. A span starting after day 0 (on a multiple of W: forEachSpanAndColumnBlock)
/// first rebuilds the suffixes of the block before it, with beginDay called for its last W - 1 days
/// (the ones the span's windows reach) and nothing emitted, so that every aggregate is the one a pass
/// over all days makes. Instruments are the inner loop. Always inlined, so that a kernel compiled for
/// AVX2 (ALPHASCOPE_SIMD_CLONES) gets the whole loop nest in AVX2.
template <class Agg, class Lift, class Merge, class BeginDay, class Emit>
[[gnu::always_inline]] inline void slidingAggregate(int days, int columns, int window, DaySpan span, Lift&& lift,
                                                    Merge&& merge, BeginDay&& beginDay, Emit&& emit) {
    const int d1 = std::min(span.end, days);
    if (window < 1 || columns <= 0 || span.begin >= d1) return;
    const int w = window;
    std::vector<Agg> prefix(columns);
    // Suffix aggregates of the previous block: suffix[(s - blockStart) * columns + i].
    std::vector<Agg> suffix(static_cast<std::size_t>(std::min(w, std::max(days, 1))) * columns);
    const auto suffixesOf = [&](int start, int end) ALPHASCOPE_INLINE {
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
    };
    if (span.begin > 0) {
        for (int t = span.begin - w + 1; t < span.begin; ++t) beginDay(t);
        suffixesOf(span.begin - w, span.begin);
    }
    for (int start = span.begin; start < d1; start += w) {
        const int end = std::min(start + w, d1);
        for (int t = start; t < end; ++t) {
            beginDay(t);
            const bool first = t == start;
            const bool emitting = t >= w - 1;
            const int s = t - w + 1; // oldest day of the window
            const Agg* suf =
                emitting && s != start ? &suffix[static_cast<std::size_t>(s - (start - w)) * columns] : nullptr;
            const double nPrefix = t - start; // days in the prefix before today
            const double nSuffix = start - s; // days of the window in the previous block
            if (first) {
                for (int i = 0; i < columns; ++i) prefix[i] = lift(t, i);
            } else {
                for (int i = 0; i < columns; ++i) prefix[i] = merge(prefix[i], nPrefix, lift(t, i), 1.0);
            }
            if (suf) {
                for (int i = 0; i < columns; ++i) emit(t, i, merge(suf[i], nSuffix, prefix[i], nPrefix + 1.0));
            } else if (emitting) {
                for (int i = 0; i < columns; ++i) emit(t, i, prefix[i]);
            }
        }
        if (end == d1) break;
        // Suffixes of this block, for the windows that start in it and end in the next one.
        suffixesOf(start, end);
    }
}

/// How slidingRows stores its aggregates: as they are (the default), or, for an aggregate of K
/// members of one type `Word` (a specialisation says so next to the aggregate), one array per member
/// ("structure of arrays": member k of instrument i at [k * n + i]), so that the loops over the
/// instruments load and store each member contiguously instead of interleaving them with shuffles.
/// The arithmetic is the same, so are the bits. On the US panel (old and new library alternating,
/// minimum of 5 rounds): Product 2.0x as fast, WMA 1.4x, MinMaxDiff 1.35x, ArgMax 1.25x, Var 1.13x.
template <class W, int K>
struct MembersOf {
    using Word = W;
    static constexpr int kMembers = K;
};
template <class Agg>
struct AggLayout : MembersOf<Agg, 1> {};

/// n aggregates in the layout of AggLayout<Agg>, read and written member by member.
template <class Agg>
struct AggRow {
    using Layout = AggLayout<Agg>;
    using Word = typename Layout::Word;
    static constexpr int kMembers = Layout::kMembers;
    static_assert(sizeof(Word) * kMembers == sizeof(Agg) && std::is_trivially_copyable_v<Agg>);

    [[gnu::always_inline]] static Agg load(const Word* __restrict p, int n, int i) {
        if constexpr (kMembers == 1) {
            return p[i];
        } else {
            std::array<Word, kMembers> c;
            for (int k = 0; k < kMembers; ++k) c[k] = p[static_cast<std::size_t>(k) * n + i];
            return std::bit_cast<Agg>(c);
        }
    }
    [[gnu::always_inline]] static void store(Word* __restrict p, int n, int i, const Agg& a) {
        if constexpr (kMembers == 1) {
            p[i] = a;
        } else {
            const auto c = std::bit_cast<std::array<Word, kMembers>>(a);
            for (int k = 0; k < kMembers; ++k) p[static_cast<std::size_t>(k) * n + i] = c[k];
        }
    }
};

/// One day of slidingRows over the block: the guard's last non-finite day, the prefix merge (First:
/// the block's first day, the prefix is today's value) and, when Emit (the window is complete), the
/// output, with the previous block's suffix merged in when WithSuffix (the window reaches into it).
/// `pre` and `suf` hold n aggregates each in the layout of AggLayout<Agg>.
template <bool First, bool Emit, bool WithSuffix, class Agg, class Lift, class Merge, class Result>
[[gnu::always_inline]] inline void
slidingRowsDay(const float* __restrict xr, float* __restrict o, int* __restrict bad,
               typename AggRow<Agg>::Word* __restrict pre, const typename AggRow<Agg>::Word* __restrict suf, int t,
               int w, int n, double nPrefix, double nSuffix, Lift& lift, Merge& merge, Result& result) {
    using Row = AggRow<Agg>;
    for (int i = 0; i < n; ++i) {
        const float v = xr[i];
        const bool ok = std::fabs(v) <= FLT_MAX;
        const int b = ok ? bad[i] : t;
        bad[i] = b;
        Agg a = lift(t, v, ok);
        if constexpr (!First) a = merge(Row::load(pre, n, i), nPrefix, a, 1.0);
        Row::store(pre, n, i, a);
        if constexpr (Emit) {
            if constexpr (WithSuffix) a = merge(Row::load(suf, n, i), nSuffix, a, nPrefix + 1.0);
            const float r = result(t, v, a);
            o[i] = t - b >= w ? r : kNaN;
        }
    }
}

/// slidingAggregate and WindowGuard(w, n, false) fused for a block of instruments [i0, i0 + n) of x:
/// each day's guard step, prefix merge and output are one loop over the instruments, so the day's
/// input row is read once on the way down (and once more, from cache, for the block's suffixes) and
/// no loop runs per day for the guard alone. `lift(t, v, ok)` makes the aggregate of day t's value
/// v (ok: v is finite; a non-finite v must lift to a clean aggregate, e.g. of 0, which the guard
/// keeps out of every output); `merge` is slidingAggregate's, with the same operands in the same
/// order, so the results are bit for bit those of slidingAggregate; `result(t, v, agg)` is the
/// output of the window of days t-W+1..t (v today's input) when that window is complete and all
/// finite, NaN being written otherwise. Only the days of `span` are written (a span after day 0
/// starts on a multiple of W and first reads the W days before it, as slidingAggregate does); outputs
/// before day W - 1 are left to the caller.
/// Measured against slidingAggregate with its separate guard loop (interleaved, min of 50 runs):
/// Mean, Std, EMA, WMA, ArgMax and Product 1.05-1.3x faster on 750 x 2,500 and on the US panel;
/// Max, whose float aggregate makes each separate loop very cheap, 0.6-0.85x, so Max, Min, MaxDiff
/// and MinDiff stay on slidingAggregate.
template <class Agg, class Lift, class Merge, class Result>
[[gnu::always_inline]] inline void slidingRows(const Panel& x, Panel& out, int i0, int n, int window, DaySpan span,
                                               Lift&& lift, Merge&& merge, Result&& result) {
    const int days = x.days();
    const int w = window;
    const int d1 = std::min(span.end, days);
    if (w < 1 || n <= 0 || span.begin >= d1) return;
    std::vector<int> lastBad(static_cast<std::size_t>(n), -1);
    using Row = AggRow<Agg>;
    using Word = typename Row::Word;
    const std::size_t rowWords = static_cast<std::size_t>(Row::kMembers) * n; // one day's aggregates
    std::vector<Word> prefix(rowWords);
    std::vector<Word> suffix(static_cast<std::size_t>(std::min(w, days)) * rowWords);
    int* const bad = lastBad.data();
    Word* const pre = prefix.data();
    // Suffixes of the block [start, end), for the windows that start in it and end in the next one.
    const auto suffixesOf = [&](int start, int end) ALPHASCOPE_INLINE {
        for (int t = end - 1; t >= start; --t) {
            const float* __restrict xr = x.row(t) + i0;
            Word* __restrict row = &suffix[static_cast<std::size_t>(t - start) * rowWords];
            if (t == end - 1) {
                for (int i = 0; i < n; ++i) Row::store(row, n, i, lift(t, xr[i], std::fabs(xr[i]) <= FLT_MAX));
            } else {
                const Word* __restrict next = row + rowWords;
                const double nNext = end - 1 - t;
                for (int i = 0; i < n; ++i)
                    Row::store(row, n, i,
                               merge(lift(t, xr[i], std::fabs(xr[i]) <= FLT_MAX), 1.0, Row::load(next, n, i), nNext));
            }
        }
    };
    if (span.begin > 0) {
        // The block before the span: its non-finite days among the W - 1 that a window of the span
        // can reach (the guard's state on the span's eve, as far as the span can tell) and its
        // suffixes.
        for (int t = span.begin - w + 1; t < span.begin; ++t) {
            const float* __restrict xr = x.row(t) + i0;
            for (int i = 0; i < n; ++i) bad[i] = std::fabs(xr[i]) <= FLT_MAX ? bad[i] : t;
        }
        suffixesOf(span.begin - w, span.begin);
    }
    for (int start = span.begin; start < d1; start += w) {
        const int end = std::min(start + w, d1);
        for (int t = start; t < end; ++t) {
            const float* xr = x.row(t) + i0;
            float* o = out.row(t) + i0;
            const int s = t - w + 1; // oldest day of the window
            const double nPrefix = t - start;
            const double nSuffix = start - s;
            const Word* suf =
                t >= w - 1 && s != start ? &suffix[static_cast<std::size_t>(s - (start - w)) * rowWords] : nullptr;
            const bool first = t == start;
            if (t < w - 1) {
                if (first)
                    slidingRowsDay<true, false, false, Agg>(xr, o, bad, pre, suf, t, w, n, nPrefix, nSuffix, lift,
                                                            merge, result);
                else
                    slidingRowsDay<false, false, false, Agg>(xr, o, bad, pre, suf, t, w, n, nPrefix, nSuffix, lift,
                                                             merge, result);
            } else if (!suf) {
                if (first)
                    slidingRowsDay<true, true, false, Agg>(xr, o, bad, pre, suf, t, w, n, nPrefix, nSuffix, lift, merge,
                                                           result);
                else
                    slidingRowsDay<false, true, false, Agg>(xr, o, bad, pre, suf, t, w, n, nPrefix, nSuffix, lift,
                                                            merge, result);
            } else {
                if (first)
                    slidingRowsDay<true, true, true, Agg>(xr, o, bad, pre, suf, t, w, n, nPrefix, nSuffix, lift, merge,
                                                          result);
                else
                    slidingRowsDay<false, true, true, Agg>(xr, o, bad, pre, suf, t, w, n, nPrefix, nSuffix, lift, merge,
                                                           result);
            }
        }
        if (end == d1) break;
        suffixesOf(start, end);
    }
}

/// Which side of a merge is a single day (its central moments are 0): merges of a run with one day,
/// which are two of the three merges per cell, can leave out the terms those zeros cancel.
enum class MergeSide { Runs, NewerIsOneDay, OlderIsOneDay };
template <MergeSide S>
using MergeSideTag = std::integral_constant<MergeSide, S>;

/// slidingAggregate for aggregates made of several doubles (moments), kept component by component
/// ("structure of arrays": component k of instrument i at [k * columns + i]), so that every loop
/// over instruments reads and writes each component contiguously and vectorises. Same contract and
/// same arithmetic as slidingAggregate. Measured on 2,500 x 750 with AVX2: Skew (4 components)
/// 265 -> 345 Mcells/s and Corr (5) 176 -> 327 than with slidingAggregate; Std (2) was faster with
/// slidingAggregate (about 700 against 300), and is now on slidingRows. `merge` also receives a
/// MergeSideTag saying whether one side is a single day (a lifted value).
template <class Agg, class Lift, class Merge, class BeginDay, class Emit>
[[gnu::always_inline]] inline void slidingAggregateSoA(int days, int columns, int window, Lift&& lift, Merge&& merge,
                                                       BeginDay&& beginDay, Emit&& emit) {
    static_assert(std::is_trivially_copyable_v<Agg> && sizeof(Agg) % sizeof(double) == 0);
    constexpr int K = static_cast<int>(sizeof(Agg) / sizeof(double));
    if (window < 1 || columns <= 0) return;
    const int w = window;
    const auto stride = static_cast<std::size_t>(columns);
    const auto load = [stride](const double* base, int i) {
        double v[K];
        for (int k = 0; k < K; ++k) v[k] = base[k * stride + static_cast<std::size_t>(i)];
        Agg a;
        std::memcpy(&a, v, sizeof a);
        return a;
    };
    const auto store = [stride](double* base, int i, const Agg& a) {
        double v[K];
        std::memcpy(v, &a, sizeof a);
        for (int k = 0; k < K; ++k) base[k * stride + static_cast<std::size_t>(i)] = v[k];
    };
    std::vector<double> prefix(K * stride);
    std::vector<double> suffix(static_cast<std::size_t>(std::min(w, std::max(days, 1))) * K * stride);
    double* pre = prefix.data();
    for (int start = 0; start < days; start += w) {
        const int end = std::min(start + w, days);
        for (int t = start; t < end; ++t) {
            beginDay(t);
            const bool emitting = t >= w - 1;
            const int s = t - w + 1;
            const double* suf =
                emitting && s != start ? &suffix[static_cast<std::size_t>(s - (start - w)) * K * stride] : nullptr;
            const double nPrefix = t - start;
            const double nSuffix = start - s;
            if (t == start) {
                for (int i = 0; i < columns; ++i) store(pre, i, lift(t, i));
            } else {
                for (int i = 0; i < columns; ++i)
                    store(pre, i,
                          merge(load(pre, i), nPrefix, lift(t, i), 1.0, MergeSideTag<MergeSide::NewerIsOneDay>{}));
            }
            if (suf) {
                for (int i = 0; i < columns; ++i)
                    emit(t, i,
                         merge(load(suf, i), nSuffix, load(pre, i), nPrefix + 1.0, MergeSideTag<MergeSide::Runs>{}));
            } else if (emitting) {
                for (int i = 0; i < columns; ++i) emit(t, i, load(pre, i));
            }
        }
        if (end == days) break;
        for (int t = end - 1; t >= start; --t) {
            double* row = &suffix[static_cast<std::size_t>(t - start) * K * stride];
            if (t == end - 1) {
                for (int i = 0; i < columns; ++i) store(row, i, lift(t, i));
            } else {
                const double* next = row + K * stride;
                const double nNext = end - 1 - t;
                for (int i = 0; i < columns; ++i)
                    store(row, i,
                          merge(lift(t, i), 1.0, load(next, i), nNext, MergeSideTag<MergeSide::OlderIsOneDay>{}));
            }
        }
    }
}

/// How slidingCentredSums asks a kernel to write a day's terms: out = terms, out += terms, or
/// out = terms + add.
enum class TermsInto { Set, Accumulate, AddTo };
template <TermsInto M>
using TermsIntoTag = std::integral_constant<TermsInto, M>;

/// Sliding sums of K per-cell terms (powers of a deviation, products of two) over the same van Herk
/// blocks as slidingAggregate, with the deviations taken from a centre that lies inside every window
/// that uses them: `recentre(b)` is called with the first day b of each block before any term of a
/// window ending in that block is lifted (before the previous block's suffixes are built, which
/// only serve windows ending in block b), and the kernel's `lift(t, out, add, TermsIntoTag<M>)`
/// writes day t's K terms of every instrument around its current centre (e.g. x(b, i)), term k of
/// instrument i at out[k * columns + i], into `out` as M says. Every window ending in block b holds
/// day b, so by Samuelson's inequality each deviation is at most sqrt(W) window standard deviations
/// and the central moments recovered from the sums lose at most a factor of about (4W)^(k/2) of
/// double's precision in order k: far below float32 output for the windows the grammar builds.
/// Constant windows need no tracking: every deviation of a constant window from a centre inside it
/// is exactly 0, so are its sums and the second central sum S2 - S1^2 / W; a window that is not
/// constant has S2 - S1^2 / W >= S2 / (W + 1) (the centre's own deviation is 0), far above its
/// rounding, so "second central sum > 0" is exactly "not constant".
/// Merges are additions over contiguous rows, so a cell costs two lifts and a K-wide addition
/// instead of three moment merges. `emit(t, i, s)` receives the K sums of days t-W+1..t for every
/// t >= W-1 of `span`; a span after day 0 starts as slidingAggregate's does.
template <int K, class Recentre, class Lift, class BeginDay, class Emit>
[[gnu::always_inline]] inline void slidingCentredSums(int days, int columns, int window, DaySpan span,
                                                      Recentre&& recentre, Lift&& lift, BeginDay&& beginDay,
                                                      Emit&& emit) {
    const int d1 = std::min(span.end, days);
    if (window < 1 || columns <= 0 || span.begin >= d1) return;
    const int w = window;
    const auto stride = static_cast<std::size_t>(columns);
    const std::size_t row = K * stride;
    // prefix | the previous block's suffixes
    std::vector<double> buffer((1 + static_cast<std::size_t>(std::min(w, days))) * row);
    double* __restrict pre = buffer.data();
    double* const suffix = pre + row;
    const auto emitAll = [&](int t, const double* __restrict s) {
        for (int i = 0; i < columns; ++i) {
            double v[K];
            for (int k = 0; k < K; ++k) v[k] = s[k * stride + static_cast<std::size_t>(i)];
            emit(t, i, v);
        }
    };
    const auto emitSums = [&](int t, const double* __restrict a, const double* __restrict b) {
        for (int i = 0; i < columns; ++i) {
            double v[K];
            for (int k = 0; k < K; ++k)
                v[k] = a[k * stride + static_cast<std::size_t>(i)] + b[k * stride + static_cast<std::size_t>(i)];
            emit(t, i, v);
        }
    };
    const auto suffixesOf = [&](int start, int end) ALPHASCOPE_INLINE {
        for (int t = end - 1; t >= start; --t) {
            double* here = suffix + static_cast<std::size_t>(t - start) * row;
            if (t == end - 1)
                lift(t, here, nullptr, TermsIntoTag<TermsInto::Set>{});
            else
                lift(t, here, here + row, TermsIntoTag<TermsInto::AddTo>{});
        }
    };
    if (span.begin > 0) {
        // A span after day 0 (on a multiple of W): the guard over the W - 1 days its windows reach
        // before it, then the block before it summed around the span's first centre, as a pass over
        // all days leaves them.
        for (int t = span.begin - w + 1; t < span.begin; ++t) beginDay(t);
        recentre(span.begin);
        suffixesOf(span.begin - w, span.begin);
    } else {
        recentre(0);
    }
    for (int start = span.begin; start < d1; start += w) {
        const int end = std::min(start + w, d1);
        for (int t = start; t < end; ++t) {
            beginDay(t);
            const int s = t - w + 1;
            if (t == start)
                lift(t, pre, nullptr, TermsIntoTag<TermsInto::Set>{});
            else
                lift(t, pre, nullptr, TermsIntoTag<TermsInto::Accumulate>{});
            if (t < w - 1) continue;
            if (s != start) {
                emitSums(t, suffix + static_cast<std::size_t>(s - (start - w)) * row, pre);
            } else {
                emitAll(t, pre);
            }
        }
        if (end == d1) break;
        recentre(end); // the next block's centre: its windows hold day `end` and these suffixes
        suffixesOf(start, end);
    }
}

} // namespace alphascope::kernels::detail

// Dispatch of the rolling kernels, and the two-endpoint ones (Ref, Delta, PctChange), which read
// x[t] and x[t-W] directly, day-major with instruments innermost.

#include "core/eval/rolling_kernels.h"

#include "core/eval/rolling_ops.h"
#include "core/eval/rolling_window.h"
#include "core/eval/vector_math.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace alphascope::kernels {
namespace {

using detail::toOutput;

/// One day of Ref, Delta or PctChange: today's row against the row W days earlier. Delta in float
/// rounds exactly like the double difference rounded back (53 >= 2 * 24 + 2 bits); PctChange's
/// two operations stay in double. Non-finite results are NaN.
template <OpId Op>
[[gnu::always_inline]] inline void endpointRow(const float* __restrict then, const float* __restrict now,
                                               float* __restrict dst, int n) {
    constexpr float big = std::numeric_limits<float>::max();
    for (int i = 0; i < n; ++i) {
        const float a = then[i];
        const float b = now[i];
        if constexpr (Op == OpId::Ref) {
            dst[i] = std::fabs(a) <= big ? a : kNaN;
        } else if constexpr (Op == OpId::Delta) {
            const float d = b - a;
            dst[i] = std::fabs(d) <= big ? d : kNaN; // NaN when either side is not finite
        } else {
            const bool ok = std::fabs(a) <= big && std::fabs(b) <= big && a != 0.0f;
            const double v = ok ? double(b) / double(a) - 1.0 : 0.0;
            dst[i] = ok ? toOutput(v) : kNaN;
        }
    }
}

ALPHASCOPE_SIMD_CLONES
void endpointRows(OpId op, const float* then, const float* now, float* dst, int n) {
    if (op == OpId::Ref)
        endpointRow<OpId::Ref>(then, now, dst, n);
    else if (op == OpId::Delta)
        endpointRow<OpId::Delta>(then, now, dst, n);
    else
        endpointRow<OpId::PctChange>(then, now, dst, n);
}

/// Ref (any window; negative looks ahead), Delta and PctChange (window >= 1): row by row, days in
/// parallel (each row is one contiguous loop).
void endpoints(OpId op, const Panel& x, int w, Panel& out, const UniverseMask* mask) {
    const int days = x.days();
    const int n = x.instruments();
    const bool defined = op == OpId::Ref || w >= 1;
    constexpr int kCellsPerTask = 1 << 15; // as the elementwise kernels
    const int rowsPerTask = std::max(1, kCellsPerTask / std::max(1, n));
    tbb::parallel_for(tbb::blocked_range<int>(0, days, rowsPerTask), [&](const tbb::blocked_range<int>& r) {
        for (int t = r.begin(); t != r.end(); ++t) {
            float* dst = out.row(t);
            const int past = t - w;
            if (!defined || past < 0 || past >= days)
                std::fill(dst, dst + n, kNaN);
            else
                endpointRows(op, x.row(past), x.row(t), dst, n);
        }
        if (mask) mask->apply(out, r.begin(), r.end(), 0, n);
    });
}

/// Runs `body(i0, m)` over blocks of instruments [i0, i0 + m) in parallel, for a running kernel that
/// goes through the days in order; a window below 1 day or beyond the data is NaN everywhere.
template <class Body>
void runningOverBlocks(const Panel& x, int w, Panel& out, const UniverseMask* mask, Body&& body) {
    if (w < 1 || w > x.days()) {
        std::fill(out.storage().begin(), out.storage().end(), kNaN);
        return;
    }
    constexpr int kBlock = 256;
    tbb::parallel_for(tbb::blocked_range<int>(0, x.instruments(), kBlock), [&](const tbb::blocked_range<int>& r) {
        body(r.begin(), r.end() - r.begin());
        if (mask) mask->apply(out, 0, x.days(), r.begin(), r.end());
    });
}

/// Count (Qlib's): how many of the last W days have a finite value; NaN before day W - 1. A NaN in
/// the window is counted out, not propagated: that is what the operator measures. Instruments in
/// blocks in parallel, days in order with a running count.
void counts(const Panel& x, int w, Panel& out, const UniverseMask* mask) {
    const int days = x.days();
    runningOverBlocks(x, w, out, mask, [&](int i0, int m) {
        std::vector<int> count(static_cast<std::size_t>(m), 0);
        constexpr float big = std::numeric_limits<float>::max();
        for (int t = 0; t < days; ++t) {
            const float* now = x.row(t) + i0;
            const float* old = t >= w ? x.row(t - w) + i0 : nullptr;
            float* dst = out.row(t) + i0;
            for (int i = 0; i < m; ++i) {
                count[static_cast<std::size_t>(i)] += std::fabs(now[i]) <= big ? 1 : 0;
                if (old) count[static_cast<std::size_t>(i)] -= std::fabs(old[i]) <= big ? 1 : 0;
                dst[i] = t >= w - 1 ? static_cast<float>(count[static_cast<std::size_t>(i)]) : kNaN;
            }
        }
    });
}

/// The panel to read: x itself, or a copy of it when the caller asked to write over it.
const Panel& unaliased(const Panel& x, const Panel& out, Panel& copy) {
    if (&x != &out) return x;
    copy = x;
    return copy;
}

} // namespace

void rolling(OpId op, const Panel& x, int window, Panel& out, const UniverseMask* mask) {
    Panel copy;
    const Panel& in = unaliased(x, out, copy);
    if (out.days() != in.days() || out.instruments() != in.instruments()) out = Panel(in.days(), in.instruments());
    switch (op) {
    case OpId::Ref:
    case OpId::Delta:
    case OpId::PctChange: endpoints(op, in, window, out, mask); break;
    case OpId::Mean:
    case OpId::Sum:
    case OpId::TsDiv:
    case OpId::WMA:
    case OpId::EMA:
    case OpId::Std:
    case OpId::Var:
    case OpId::IR:
    case OpId::Skew:
    case OpId::Kurt:
    case OpId::Slope:
    case OpId::Rsquare:
    case OpId::Resi: detail::rollingMoments(op, in, window, out, mask); break;
    case OpId::Count: counts(in, window, out, mask); break;
    case OpId::Product: detail::rollingMoments(op, in, window, out, mask); break;
    case OpId::Max:
    case OpId::Min:
    case OpId::MaxDiff:
    case OpId::MinDiff:
    case OpId::MinMaxDiff:
    case OpId::ArgMax:
    case OpId::ArgMin: detail::rollingExtrema(op, in, window, out, mask); break;
    case OpId::Rank:
    case OpId::Med:
    case OpId::Mad: detail::rollingOrder(op, in, window, out, mask); break;
    default: // not a rolling operator: nothing is defined
        std::fill(out.storage().begin(), out.storage().end(), kNaN);
        break;
    }
}

void rollingQuantile(const Panel& x, int window, double q, Panel& out, const UniverseMask* mask) {
    Panel copy;
    const Panel& in = unaliased(x, out, copy);
    if (out.days() != in.days() || out.instruments() != in.instruments()) out = Panel(in.days(), in.instruments());
    detail::rollingOrder(OpId::Quantile, in, window, out, mask, q);
}

void pairRolling(OpId op, const Panel& x, const Panel& y, int window, Panel& out, const UniverseMask* mask) {
    Panel copyX, copyY;
    const Panel& inX = unaliased(x, out, copyX);
    const Panel& inY = unaliased(y, out, copyY);
    if (out.days() != inX.days() || out.instruments() != inX.instruments()) out = Panel(inX.days(), inX.instruments());
    const bool sameShape = inY.days() == inX.days() && inY.instruments() == inX.instruments();
    if (!sameShape || (op != OpId::Cov && op != OpId::Corr)) {
        std::fill(out.storage().begin(), out.storage().end(), kNaN);
        return;
    }
    detail::rollingCoMoments(op, inX, inY, window, out, mask);
}

} // namespace alphascope::kernels

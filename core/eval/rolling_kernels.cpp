// Dispatch of the rolling kernels, and the two-endpoint ones (Ref, Delta, PctChange), which read
// x[t] and x[t-W] directly, day-major with instruments innermost.

#include "core/eval/rolling_kernels.h"

#include "core/eval/rolling_ops.h"
#include "core/eval/rolling_window.h"

#include <algorithm>
#include <cmath>

namespace alphascope::kernels {
namespace {

using detail::kColumnBlock;
using detail::toOutput;

/// Ref (any window; negative looks ahead), Delta and PctChange (window >= 1).
void endpoints(OpId op, const Panel& x, int w, Panel& out) {
    const int days = x.days();
    const bool defined = op == OpId::Ref || w >= 1;
    detail::forEachColumnBlock(x.instruments(), kColumnBlock, [&](int i0, int i1) {
        for (int t = 0; t < days; ++t) {
            float* dst = out.row(t) + i0;
            const int past = t - w;
            if (!defined || past < 0 || past >= days) {
                std::fill(dst, dst + (i1 - i0), kNaN);
                continue;
            }
            const float* then = x.row(past) + i0;
            const float* now = x.row(t) + i0;
            for (int i = 0; i < i1 - i0; ++i) {
                const double a = then[i];
                const double b = now[i];
                double v = kNaN;
                if (op == OpId::Ref)
                    v = a;
                else if (std::isfinite(a) && std::isfinite(b))
                    v = op == OpId::Delta ? b - a : (a != 0.0 ? b / a - 1.0 : kNaN);
                dst[i] = toOutput(v);
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

void rolling(OpId op, const Panel& x, int window, Panel& out) {
    Panel copy;
    const Panel& in = unaliased(x, out, copy);
    if (out.days() != in.days() || out.instruments() != in.instruments())
        out = Panel(in.days(), in.instruments());
    switch (op) {
    case OpId::Ref:
    case OpId::Delta:
    case OpId::PctChange:
        endpoints(op, in, window, out);
        break;
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
        detail::rollingMoments(op, in, window, out);
        break;
    case OpId::Max:
    case OpId::Min:
    case OpId::MaxDiff:
    case OpId::MinDiff:
    case OpId::MinMaxDiff:
    case OpId::ArgMax:
    case OpId::ArgMin:
        detail::rollingExtrema(op, in, window, out);
        break;
    case OpId::Rank:
    case OpId::Med:
    case OpId::Mad:
        detail::rollingOrder(op, in, window, out);
        break;
    default: // not a rolling operator: nothing is defined
        std::fill(out.storage().begin(), out.storage().end(), kNaN);
        break;
    }
}

void pairRolling(OpId op, const Panel& x, const Panel& y, int window, Panel& out) {
    Panel copyX, copyY;
    const Panel& inX = unaliased(x, out, copyX);
    const Panel& inY = unaliased(y, out, copyY);
    if (out.days() != inX.days() || out.instruments() != inX.instruments())
        out = Panel(inX.days(), inX.instruments());
    const bool sameShape = inY.days() == inX.days() && inY.instruments() == inX.instruments();
    if (!sameShape || (op != OpId::Cov && op != OpId::Corr)) {
        std::fill(out.storage().begin(), out.storage().end(), kNaN);
        return;
    }
    detail::rollingCoMoments(op, inX, inY, window, out);
}

} // namespace alphascope::kernels

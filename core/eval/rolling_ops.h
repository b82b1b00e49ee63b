#pragma once
// Internal: the rolling kernels grouped by the machinery they use (not a public API). Each writes
// every cell of `out` (x's shape, not aliasing x or y), parallelises over instrument blocks and sets
// the cells outside the universe of a `mask` (may be null) to NaN block by block.

#include "core/data/panel.h"
#include "core/eval/universe_mask.h"
#include "core/expr/op_id.h"

namespace alphascope::kernels::detail {

/// Mean, Sum, TsDiv, WMA, EMA, Std, Var, IR, Skew, Kurt, Slope, Rsquare,
/// Resi and Product (sliding sums, central moments and products over van Herk blocks).
void rollingMoments(OpId op, const Panel& x, int window, Panel& out, const UniverseMask* mask);

/// Cov and Corr (sliding co-moments).
void rollingCoMoments(OpId op, const Panel& x, const Panel& y, int window, Panel& out, const UniverseMask* mask);

/// Max, Min, MaxDiff, MinDiff, MinMaxDiff, ArgMax, ArgMin (sliding extrema).
void rollingExtrema(OpId op, const Panel& x, int window, Panel& out, const UniverseMask* mask);

/// Rank, Med, Mad (order statistics over a Fenwick tree of value ranks).
void rollingOrder(OpId op, const Panel& x, int window, Panel& out, const UniverseMask* mask,
                  double q = 0.5); ///< q: Quantile's

} // namespace alphascope::kernels::detail

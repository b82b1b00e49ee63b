#pragma once
// Rolling (time-series) kernels over day-major T x N panels, O(T x N) whatever the window.
// Semantics: ALGORITHMS.md §2. A window needs W finite values (any NaN/inf in it gives NaN);
// results that would be +-inf are NaN. Each call parallelises over blocks of instruments with oneTBB
// and is re-entrant.

#include "core/data/panel.h"
#include "core/expr/op_id.h"

namespace alphascope::kernels {

/// out = op(x, window) for a rolling operator (Ref .. ArgMin). `out` must be x's shape.
/// Ref accepts a negative window (future values, for targets only) and window 0 (identity);
/// the others need window >= 1 (Std/Var/IR >= 2, Skew >= 3, Kurt >= 4, else all NaN).
void rolling(OpId op, const Panel& x, int window, Panel& out);
/// Quantile(x, window, q): the window's q-quantile, linear between the two nearest order
/// statistics (pandas' rule); NaN for q outside [0, 1].
void rollingQuantile(const Panel& x, int window, double q, Panel& out);

/// out = op(x, y, window) for Cov and Corr.
void pairRolling(OpId op, const Panel& x, const Panel& y, int window, Panel& out);

} // namespace alphascope::kernels

#pragma once
// Adaptive rolling OLS combination (AlphaForge; AlphaSAGE stage 2, ALGORITHMS.md §4): each day,
// with only the history whose labels were known `gap` days earlier, keep the factors whose
// |RankIC| and |RankICIR| pass the thresholds (at most maxFactors, best |RankICIR| first), fit
// OLS with an intercept on the stacked (day x instrument) history of z-scored factors against the
// target, and predict today.

#include "core/data/panel.h"
#include "core/metrics/correlation.h"
#include "core/util/result.h"

#include <vector>

namespace alphascope {

struct AdaptiveOptions {
    double minRankIc = 0.015;  ///< |mean daily Rank IC| over the history
    double minRankIcir = 0.15; ///< |Rank ICIR| over the history
    int maxFactors = 20;
    int window = 0; ///< history length in days; 0 = expanding from historyBegin
};

struct AdaptiveCombination {
    PanelPtr values;                 ///< predictions on the applied days, NaN elsewhere
    std::vector<int> selectedPerDay; ///< factors used, per applied day
    double meanSelected = 0.0;
};

/// `factors` are raw factor panels (z-scored per day here); `target` the label panel; `gap` the
/// label horizon (history ends at day t - gap - 1, inclusive). Errors: InvalidArgument (no factors,
/// shapes differ, empty ranges, apply starts before historyBegin + gap + 2).
Result<AdaptiveCombination> adaptiveCombination(const std::vector<PanelPtr>& factors, const Panel& target,
                                                int historyBegin, DayRange apply, int gap,
                                                const AdaptiveOptions& options = {});

} // namespace alphascope

#pragma once
// Return correlation between instruments over a window of days (ALGORITHMS.md §9): daily log
// returns, pairwise-complete Pearson or Spearman with a minimum overlap, the distance
// sqrt(2 (1 - rho)) the hierarchy and the spanning tree are built on.

#include "core/data/market_data.h"

#include <Eigen/Core>

#include <vector>

namespace alphascope::graph {

enum class CorrelationMethod { Pearson, Spearman };

/// Daily log returns of `close`: log(close[t] / close[t-1]), NaN where either close is missing or
/// not positive (and on the first day).
Panel logReturns(const Panel& close);

/// The N x N correlation of the columns of `returns` over days [end - window + 1, end], each pair
/// on the days where both are finite (pairwise-complete). NaN where the pair shares fewer than
/// `minOverlap` days or either series is constant on them; the diagonal is 1 for a series with
/// `minOverlap` finite, non-constant values, else NaN. Spearman ranks each pair on its common days
/// (average ranks for ties): exactly the rank correlation of the pair, not of each series' own ranks.
Eigen::MatrixXd windowCorrelation(const Panel& returns, int end, int window, int minOverlap,
                                  CorrelationMethod method = CorrelationMethod::Pearson);

/// The last days of the windows: window - 1 + k * step for k = 0, 1, ... while < days; the last
/// day of the calendar is added when the last step does not reach it.
std::vector<int> windowEnds(int days, int window, int step);

/// sqrt(2 (1 - rho)) elementwise: 0 for identical series, sqrt(2) for uncorrelated, 2 for opposite.
/// A NaN correlation (too little overlap) counts as uncorrelated; the diagonal is 0.
Eigen::MatrixXd correlationDistance(const Eigen::MatrixXd& rho);

} // namespace alphascope::graph

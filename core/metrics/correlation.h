#pragma once
// Cross-sectional correlation metrics: Pearson / Spearman, daily IC series, normalisation
// (ALGORITHMS.md §3). +-inf is treated as NaN everywhere.

#include "core/data/panel.h"

#include <limits>
#include <vector>

namespace alphascope {

inline constexpr double kNaNd = std::numeric_limits<double>::quiet_NaN();

/// Relative degeneracy threshold: a side whose std <= kDegenerateRel * max|value| is constant.
inline constexpr double kDegenerateRel = 1e-12;

/// Half-open range of day indices [begin, end).
struct DayRange {
    int begin = 0;
    int end = 0;

    int size() const { return end > begin ? end - begin : 0; }
};

/// Pearson correlation over pairs where both are finite; NaN when fewer than 2 pairs or either
/// std <= 1e-12 * max|value| (of that side).
double pearson(const float* x, const float* y, int n);
/// Same as pearson() on double input (used on ranks and by callers that already hold doubles).
double pearson(const double* x, const double* y, int n);
/// Spearman: Pearson of average ranks (ties averaged) over the finite pairs; O(n) (radix ranking).
double spearman(const float* x, const float* y, int n);

/// Daily IC series over days [r.begin, r.end): element k is the day r.begin+k, NaN when skipped.
/// Days outside either panel, or panels of different width, give NaN.
std::vector<double> dailyIc(const Panel& factor, const Panel& target, DayRange r);
/// Daily Rank IC (Spearman) series, laid out like dailyIc().
std::vector<double> dailyRankIc(const Panel& factor, const Panel& target, DayRange r);

/// Summary of a daily series over its non-NaN entries.
struct SeriesStats {
    double mean = kNaNd;
    double std = kNaNd; ///< ddof = 1
    double ir = kNaNd;  ///< mean / std
    int days = 0;       ///< number of non-NaN entries
};

/// Mean, std (ddof=1) and IR = mean/std over the finite entries of a series.
SeriesStats seriesStats(const std::vector<double>& series);

/// Mutual correlation of two factors: mean over days of the daily Pearson (ALGORITHMS.md §3).
double mutualCorrelation(const Panel& a, const Panel& b, DayRange r);

/// Per-day z-score (population std) over finite values, NaN/inf -> 0 afterwards (for combination);
/// a day with std 0 (<= 1e-12 * max|x|) -> all 0. `out` may be the same object as `in`.
void normalizeByDay(const Panel& in, Panel& out);

} // namespace alphascope

#pragma once
// Cross-sectional correlation metrics: Pearson / Spearman, daily IC series, normalisation
// (ALGORITHMS.md §3). +-inf is treated as NaN everywhere.

#include "core/data/panel.h"

#include <limits>
#include <memory>
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

/// A target prepared once for the Rank IC of many factors (every factor of a session is measured
/// against the same target). Per day it holds the target's finite cells, their average ranks and
/// their sorted order. A factor then needs only its own ranks: the target's ranks over the pairs
/// (the cells where the factor is finite too) follow from the day's sorted order in one pass,
/// without sorting again. Results equal dailyRankIc on the target panel up to the order of
/// floating-point sums.
class PreparedTarget {
public:
    /// Prepares `target` (which must outlive this object: prepareTarget() ties the two).
    explicit PreparedTarget(const Panel& target);

    const Panel& values() const { return *m_target; }
    /// Bytes held (not counting the target panel): 12 per finite target cell.
    std::size_t bytes() const;

    /// One day's prepared cells: [offset, offset + count) of the packed arrays.
    struct Day {
        std::size_t offset = 0;
        int count = 0;
    };
    const Day& day(int t) const { return m_days[static_cast<std::size_t>(t)]; }
    const int* instruments(const Day& d) const { return m_index.data() + d.offset; }
    const float* ranks(const Day& d) const { return m_ranks.data() + d.offset; }
    /// The day's packed positions in the order of the target's values.
    const int* order(const Day& d) const { return m_order.data() + d.offset; }

private:
    const Panel* m_target;
    std::vector<Day> m_days;
    std::vector<int> m_index;   ///< instrument of each packed cell, day after day
    std::vector<float> m_ranks; ///< average rank among the day's finite targets (half-integers: exact)
    std::vector<int> m_order;   ///< packed positions sorted by value, day by day
};

/// The prepared form of `target`, computed on the first call for that panel and shared while the
/// panel lives (so once per research session, whichever of the lab, the searches and the reports
/// asks first). The handle keeps the panel alive. Thread-safe.
std::shared_ptr<const PreparedTarget> prepareTarget(const PanelPtr& target);

/// dailyIc(factor, target.values(), r), so that callers holding a prepared target use it for both.
std::vector<double> dailyIc(const Panel& factor, const PreparedTarget& target, DayRange r);
/// dailyRankIc(factor, target.values(), r), faster: the target's ranks come prepared.
std::vector<double> dailyRankIc(const Panel& factor, const PreparedTarget& target, DayRange r);

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
/// normalizeByDay of one day's `n` values (`out` may be `in`).
void normalizeRow(const float* in, float* out, int n);

} // namespace alphascope

#pragma once
// Descriptive statistics of one factor: coverage, top-quantile turnover, rank autocorrelation,
// quantile returns and the value histogram (ALGORITHMS.md §3, Alphalens conventions).

#include "core/data/panel.h"
#include "core/metrics/correlation.h"

#include <cstdint>
#include <vector>

namespace alphascope {

/// Quantile label (0 = lowest .. quantiles-1 = highest) of each value, -1 for non-finite ones.
/// With m finite values and average rank r (1-based, ties averaged) the label is
/// floor((r - 0.5) * quantiles / m): symmetric, ties share a label, and with fewer values than
/// quantiles the extremes still land in the end quantiles. O(n log n).
std::vector<int> quantileLabels(const float* values, int n, int quantiles);

/// The average ranks (1-based, ties averaged) of each day's finite values, packed in instrument
/// order, for days [range): what quantileLabels() and the Spearman correlations rank. The
/// statistics below take it to rank a factor's day once instead of once per statistic (the lab's
/// metrics ranked every day five times); their results do not change.
struct DayRanks {
    DayRange range;
    int instruments = 0;
    std::vector<std::size_t> offset; ///< day k's ranks start at ranks[offset[k]] (range.size() + 1 entries)
    std::vector<double> ranks;
    std::vector<std::uint8_t> finite; ///< per cell of the range, day-major: 1 = finite
    bool covers(int t) const { return t >= range.begin && t < range.end; }
    int count(int t) const { return static_cast<int>(offset[t - range.begin + 1] - offset[t - range.begin]); }
    const double* of(int t) const { return ranks.data() + offset[t - range.begin]; }
    const std::uint8_t* finiteOf(int t) const {
        return finite.data() + static_cast<std::size_t>(t - range.begin) * static_cast<std::size_t>(instruments);
    }
};
DayRanks rankDays(const Panel& factor, DayRange r);

/// dailyRankIc(factor, target, r) reusing `ranks` (from rankDays(factor, ...)) on the days where
/// every finite factor cell has a finite target, so those days are not ranked again; the same
/// results.
std::vector<double> dailyRankIc(const Panel& factor, const PreparedTarget& target, DayRange r, const DayRanks& ranks);

/// Share of member cells in days [r) whose value is finite; NaN when no member cell.
/// `membership` is T x N (1 = member) like MarketData::membership, or empty = every cell.
double coverage(const Panel& factor, const std::vector<std::uint8_t>& membership, DayRange r);

/// Mean over consecutive days of 1 - |S_t ∩ S_{t-1}| / |S_t|, S = instruments in the top quantile by
/// value (finite only); pairs where either set is empty are skipped; NaN when no pair counts.
double topQuantileTurnover(const Panel& factor, DayRange r, int quantiles = 5, const DayRanks* ranks = nullptr);

/// Mean over days t in [r.begin+lag, r.end) of Spearman(factor_t, factor_{t-lag})
/// (Alphalens factor_rank_autocorrelation); NaN days are skipped.
double rankAutocorrelation(const Panel& factor, DayRange r, int lag = 1, const DayRanks* ranks = nullptr);

/// Mean forward return per factor quantile (index 0 = lowest), averaged over the days where the
/// quantile is populated; quantiles use only cells where both factor and return are finite.
std::vector<double> quantileMeanReturns(const Panel& factor, const Panel& forwardReturn, DayRange r, int quantiles = 5,
                                        const DayRanks* ranks = nullptr);

/// Histogram of the finite values in days [r) over [lo, hi] = the 0.5% .. 99.5% quantiles.
struct Histogram {
    double lo = kNaNd;
    double hi = kNaNd;
    std::vector<int> counts; ///< `bins` equal-width bins over [lo, hi]; hi falls in the last bin
    int below = 0;           ///< finite values < lo (not in counts)
    int above = 0;           ///< finite values > hi (not in counts)
};

/// Histogram of the finite factor values over days [r); a constant factor puts all in bin 0.
Histogram histogram(const Panel& factor, DayRange r, int bins = 50);

} // namespace alphascope

#pragma once
// FactorReport: everything the CLI and the GUI show about one formula, per split.

#include "core/data/split.h"
#include "core/eval/evaluator.h"
#include "core/expr/dimension.h"
#include "core/metrics/correlation.h"
#include "core/metrics/factor_stats.h"

#include <atomic>
#include <string>
#include <vector>

namespace alphascope {

/// Metrics of one factor on one split (ALGORITHMS.md §3).
struct SplitMetrics {
    std::string name;
    Date first;
    Date last;
    int days = 0;   ///< trading days in the split
    int icDays = 0; ///< days with a defined IC
    double ic = kNaNd;
    double icStd = kNaNd;
    double icir = kNaNd;
    double rankIc = kNaNd;
    double rankIcStd = kNaNd;
    double rankIcir = kNaNd;
    double coverage = kNaNd;             ///< share of in-universe cells with a finite value
    double turnover = kNaNd;             ///< top-quintile turnover, mean per day
    double autocorrelation = kNaNd;      ///< lag-1 rank autocorrelation
    std::vector<double> icDecay;         ///< IC against the h-day forward return, h = 1..decayHorizons
    std::vector<double> quantileReturns; ///< mean target per factor quantile (0 = lowest), `quantiles` of them
    Histogram histogram;                 ///< distribution of the factor's values in the split
};

/// The analysis of one formula against a target.
struct FactorReport {
    std::string formula;       ///< printed form of the parsed formula
    DimensionReport dimension; ///< dimension and rule violations (flags, not errors)
    std::vector<std::string> warnings;
    std::vector<SplitMetrics> splits;
    std::vector<double> dailyIc; ///< one per calendar day, NaN outside the splits
    std::vector<double> dailyRankIc;
    PanelPtr values; ///< the factor's values
};

/// What to compute beyond IC / Rank IC.
struct AnalysisOptions {
    int decayHorizons = 20; ///< IC decay horizons 1..n (0 = none); needs $close
    int quantiles = 5;      ///< for turnover and the quantile returns
    int histogramBins = 40; ///< bins of the value histogram (0 = none)
};

/// Adds to `report` what its analysis left out with decayHorizons = 0 and histogramBins = 0: each
/// split's IC against the 1..decayHorizons-day forward returns (needs $close) and its value
/// histogram, for report.values; `splits` are the ones report.splits was made from, in order. The
/// lab shows the metrics first and these after them; analyzeValues() calls it too, so both give
/// the same numbers. Errors: evaluation errors of the forward returns, Canceled.
Result<void> addDecayAndHistogram(const Evaluator& evaluator, FactorReport& report, const std::vector<Split>& splits,
                                  const AnalysisOptions& options, const std::atomic<bool>* cancel = nullptr);

/// Evaluates `factor` and measures it against `target` on each split. Errors: evaluation errors,
/// Canceled. Call from any thread.
Result<FactorReport> analyzeFactor(const Evaluator& evaluator, const ExprPtr& factor, const PanelPtr& target,
                                   const std::vector<Split>& splits, const AnalysisOptions& options = {},
                                   const std::atomic<bool>* cancel = nullptr);

/// Measures already computed `values` (a combination, a pasted panel) against `target` on each split,
/// exactly as analyzeFactor does after evaluating; `label` becomes FactorReport::formula and the
/// dimension is left unknown. `values` must have the data's shape. Errors: InvalidArgument,
/// evaluation errors of the decay returns, Canceled. Call from any thread.
Result<FactorReport> analyzeValues(const Evaluator& evaluator, PanelPtr values, std::string label,
                                   const PanelPtr& target, const std::vector<Split>& splits,
                                   const AnalysisOptions& options = {}, const std::atomic<bool>* cancel = nullptr);

/// The formula text of the h-day forward close-to-close return, "Ref($close, -h) / $close - 1".
std::string forwardReturnFormula(int horizon);

} // namespace alphascope

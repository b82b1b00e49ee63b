#pragma once
// Sample efficiency free of market noise: searches on a planted market (core/search/planted.h)
// and the share of the planted formulas their pool has found, against the evaluations spent. A
// planted formula counts as found when a pool member's values correlate with it at |corr| >=
// threshold on the training days (mean of daily Pearson correlations, as the pool measures
// mutual correlation). Several seeds per algorithm, with 95 % intervals at each checkpoint.
// Beside the share, a continuous closeness (the largest |corr| with each planted formula) that
// does not flip when a pool swaps a planted formula for a near-duplicate at the threshold.

#include "core/metrics/inference.h"
#include "core/search/planted.h"
#include "core/search/search.h"
#include "core/util/feedback.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace alphascope {

/// The default planted formulas: depths 1 to 4, none a function of another, none depending on the
/// price level (`Log($volume)`, `Div(Sub($close, $open), Sub($high, $low))`, `CSRank(Mean(Div($high,
/// $low), 10))`, `Corr(Div($close, $open), SLog1p(Div($volume, Mean($volume, 20))), 10)`).
const std::vector<std::string>& recoveryDefaultFormulas();

struct RecoverySpec {
    PlantedSpec market; ///< the planted formulas (their depths) and the noise level
    std::vector<SearchAlgo> algos;
    std::vector<std::uint64_t> seeds;
    long long evaluations = 2000;       ///< each run's budget
    std::vector<long long> checkpoints; ///< where the curve is read; empty: ten even steps
    double threshold = 0.9;
    bool preferCuda = false;
};

/// One run: the share of planted formulas found at each checkpoint (by the pool as it stood then).
struct RecoveryRun {
    SearchAlgo algo = SearchAlgo::Random;
    std::uint64_t seed = 0;
    std::vector<double> found;           ///< per checkpoint, 0..1
    std::vector<long long> firstFoundAt; ///< per planted formula: evaluations when first found; -1 never
    /// Per checkpoint: the mean over the planted formulas of the largest |corr| of a pool member
    /// with each (0 for an empty pool). Continuous where `found` jumps at the threshold: a pool that
    /// swaps a planted formula at 0.91 for a variant at 0.89 loses a third of a share here but
    /// 0.007 of closeness.
    std::vector<double> closeness;
    /// Per planted formula: the largest |corr| any pool of the run reached with it.
    std::vector<double> bestCorr;
};

struct RecoveryReport {
    RecoverySpec spec;                ///< checkpoints filled in
    std::vector<std::string> planted; ///< printed forms
    std::vector<double> realisedIc;   ///< of each planted formula against the target
    std::vector<RecoveryRun> runs;
    /// [algorithm][checkpoint]: the share found over seeds.
    std::vector<std::vector<MeanInterval>> curves;
    /// [algorithm][checkpoint]: the closeness over seeds.
    std::vector<std::vector<MeanInterval>> closenessCurves;
};

/// A run's area under its recovery curve: the mean of its shares over the checkpoints (with even
/// checkpoints, the share found per evaluation spent, in one number: 1 = everything found at once).
double recoveryArea(const RecoveryRun& run);

/// One pair of searches compared over their seeds (Welch: the seeds drive only each search's own
/// draws on the same market, so runs are not paired): the difference of the shares found at the
/// last checkpoint, of the areas under the curves and of the closeness at the last checkpoint,
/// first minus second.
struct RecoveryDifference {
    SearchAlgo first = SearchAlgo::Random, second = SearchAlgo::Random;
    WelchInterval atBudget;
    WelchInterval area;
    WelchInterval closeness; ///< NaN when the runs carry no closeness
};
/// Every pair of the report's algorithms, in their order (first before second).
std::vector<RecoveryDifference> recoveryDifferences(const RecoveryReport& report);

/// What one search did with one planted formula over its seeds: how many seeds' pools ever held it,
/// from which evaluation count at the earliest (-1: never), and the largest |corr| its runs'
/// pools reached with it (mean, lowest and highest over the seeds; NaN without closeness).
struct RecoveryFind {
    int seeds = 0;
    long long earliest = -1;
    double bestMean = kNaNd, bestLo = kNaNd, bestHi = kNaNd;
};
/// [algorithm, in the report's order][planted formula].
std::vector<std::vector<RecoveryFind>> recoveryFinds(const RecoveryReport& report);

/// Runs every (algorithm, seed) on the planted market. `base(algo)` gives each algorithm's
/// settings (seed, budget, device and snapshot cadence are set here). Cancel through `feedback`.
Result<RecoveryReport> runRecovery(const RecoverySpec& spec, const std::function<SearchConfig(SearchAlgo)>& base,
                                   Feedback& feedback);

/// The curves as a Markdown table and as CSV (algorithm,evaluations,mean,sd,lo95,hi95,seeds,
/// closeness,closeness_lo95,closeness_hi95: the share found, then the closeness).
std::string recoveryMarkdown(const RecoveryReport& report);
std::string recoveryCsv(const RecoveryReport& report);

} // namespace alphascope

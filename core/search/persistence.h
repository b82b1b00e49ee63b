#pragma once
// Persistence of factor performance: does a formula's IC in one period say anything about its IC
// in the next? A search ranks formulas by their training IC, so it can only gain out of sample
// where that ranking carries over. Measured on a sample of random formulas of the search grammar
// (the formulas random search draws): each one's mean daily Rank IC (or IC) per calendar year (or
// per equal block of the labelled days) and per split, then the correlation across formulas of
// those means for every pair of periods (Spearman), with bootstrap intervals over the formulas. The splits
// get a selection check as well: the formulas with the largest |train IC|, signed by their train
// IC, and what they did in each later split (what a search that only ranks by train IC keeps).
//
// On the US sample (train 2015-2017, test 2019) the across-formula correlation of train and test
// Rank IC is about 0: 2016 runs against every other year. README, "Why no search beats random
// search out of sample here".

#include "core/eval/research_session.h"
#include "core/metrics/correlation.h"
#include "core/search/grammar.h"
#include "core/util/feedback.h"
#include "core/util/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace alphascope {

struct PersistenceSpec {
    Grammar grammar;     ///< the formulas' grammar; no operators = the searches' default
    int formulas = 2000; ///< distinct random formulas drawn (and evaluated)
    std::uint64_t seed = 0;
    bool rankIc = true;   ///< mean daily Rank IC; false: mean daily IC (Pearson)
    int blocks = 0;       ///< > 0: that many equal blocks of the labelled days instead of calendar years
    int minDays = 40;     ///< a year or block needs this many labelled days
    int topK = 50;        ///< formulas kept by |train IC| for the selection check
    int bootstrap = 1000; ///< resamples of the formulas for the intervals (0 = none)
};

/// A stretch of days: a calendar year, a block, a candidate training window or one of the
/// session's splits.
struct PersistencePeriod {
    std::string name;
    int begin = 0; ///< days [begin, end) of the session's calendar
    int end = 0;
    Date first; ///< the first and last day
    Date last;
    bool split = false;
    /// A candidate training window: the calendar years from one year to the last before the
    /// validation split, ending a target horizon before it ("train 2016-2017").
    bool window = false;
};

/// The rank correlation (Spearman) across formulas of their means in periods a and b (formulas
/// where both are finite), with a 95 % bootstrap percentile interval: does the ranking of the
/// formulas by one period's mean carry over to the other?
struct PeriodCorrelation {
    int a = 0;
    int b = 0;
    int formulas = 0;
    double correlation = kNaNd;
    double lo = kNaNd;
    double hi = kNaNd;
};

/// Selection on the training split: the top K formulas by |train mean|, each signed by its train
/// mean (s = sign), and s x their mean in a later split.
struct PersistenceSelection {
    int period = 0;         ///< index in PersistenceReport::periods (a split after train)
    int formulas = 0;       ///< with finite train and split means
    double topMean = kNaNd; ///< mean of s x split mean over the top K
    double topLo = kNaNd;   ///< its 95 % bootstrap interval
    double topHi = kNaNd;
    double topSameSign = kNaNd; ///< share of the top K with s x split mean > 0
    double allMean = kNaNd;     ///< mean of s x split mean over every formula
};

/// A sampler that draws the measured formulas in proportion to |train mean|^beta, each signed by its
/// train mean: what a GFlowNet with reward |IC| and reward exponent beta would sample once trained,
/// were its base measure the random walks' (beta 0: the random walks themselves). Its expected
/// figures say what sharper rewards can buy on the split before any search is run.
struct PersistenceSampler {
    double beta = 0.0;
    double trainAbs = kNaNd;          ///< expected |train mean| of its draws
    double effectiveFormulas = kNaNd; ///< (sum w)^2 / sum w^2: how many formulas it really draws from
    std::vector<double> splitMeans;   ///< expected signed mean in each PersistenceReport::selection split
};

struct PersistenceReport {
    PersistenceSpec spec;
    long long drawn = 0;                         ///< distinct formulas evaluated
    long long failed = 0;                        ///< of those, evaluation errors or fewer than two finite period means
    std::vector<PersistencePeriod> periods;      ///< years (or blocks), candidate training windows, then the splits
    std::vector<std::string> formulas;           ///< the usable formulas
    std::vector<std::vector<double>> means;      ///< [formula][period]: mean daily (Rank) IC, NaN when too few days
    std::vector<PeriodCorrelation> correlations; ///< every pair of periods a < b (Spearman)
    std::vector<PersistenceSelection> selection; ///< each split after the training one
    int trainPeriod = -1;                        ///< the training split's index in periods (-1: none)
    int validPeriod = -1;                        ///< the validation split's (-1: none)
    /// The candidate training window whose ranking of the formulas is most like the validation
    /// split's (largest Spearman with valid; -1: no window). Chosen on valid only, never on test.
    int suggestedWindow = -1;
    /// One per exponent of kSamplerExponents (with a training split and a later one).
    std::vector<PersistenceSampler> samplers;
    static constexpr double kSamplerExponents[] = {0, 1, 2, 4, 8, 16};
    /// The sampler with the largest signed mean in valid (-1: none). Chosen on valid only.
    int suggestedSampler = -1;

    /// The correlation of periods a and b (either order); null when not computed.
    const PeriodCorrelation* correlation(int a, int b) const;
    /// Whether `period` covers the same days as the training split (false without one).
    bool isTraining(int period) const;
};

/// The sampler in proportion to |train[f]|^beta over the formulas f with a finite train mean
/// (trainAbs, effectiveFormulas), and its expected signed mean in each of `splits` (over the formulas
/// finite in both; sign +1 for a train mean >= 0, as the selection check).
PersistenceSampler persistenceSampler(double beta, const std::vector<double>& train,
                                      const std::vector<std::vector<double>>& splits);

/// What a correlation between the training period and a later one says about searching on train:
/// Against (its interval below zero), NoCarryOver (the interval holds zero), Weak (above zero but
/// under 0.3), CarriesOver (above zero, at least 0.3); Unknown without a finite correlation.
enum class PersistenceVerdict { Unknown, Against, NoCarryOver, Weak, CarriesOver };
PersistenceVerdict persistenceVerdict(const PeriodCorrelation* c);
/// The verdict in a sentence (English; the workbench words it through tr()).
const char* persistenceVerdictText(PersistenceVerdict v);
/// Its name in JSON: "unknown", "against", "no_carry_over", "weak", "carries_over".
const char* persistenceVerdictName(PersistenceVerdict v);
/// The verdict on train against the last split after it (Unknown without both).
PersistenceVerdict trainToTestVerdict(const PersistenceReport& report);
/// The last split after the training one (the one the verdict is about; -1 when none).
int lastSelectionPeriod(const PersistenceReport& report);

/// Spearman correlation of x[k] and y[k] over the k where both are finite: the Pearson correlation
/// of their average ranks (ties share the mean of their ranks); NaN with fewer than three such
/// pairs or no spread. `pairs` (optional) receives their number.
double pairwiseRankCorrelation(const std::vector<double>& x, const std::vector<double>& y, int* pairs = nullptr);

/// The periods of a session: its calendar years (or `blocks` equal blocks) over the labelled days
/// (those where the target has at least two finite values), keeping those with at least `minDays`
/// labelled days; with calendar years and a validation split, the candidate training windows: from
/// each of those years to the last one before valid, each ending a target horizon before valid
/// (as the splits are purged); then the splits.
std::vector<PersistencePeriod> persistencePeriods(const ResearchSession& session, int blocks, int minDays);

/// Draws spec.formulas distinct random formulas of the grammar, evaluates each over the whole
/// calendar (in parallel), and measures persistence. Deterministic per seed. Errors:
/// InvalidArgument (fewer than two periods, a grammar that allows no formula, bad numbers),
/// Canceled through `feedback`.
Result<PersistenceReport> measurePersistence(const ResearchSession& session, const PersistenceSpec& spec,
                                             Feedback& feedback);

/// The report in a paragraph (Markdown): train against valid and test, the verdict, the selection
/// check in the last split, the sampler best in valid against the random walks, and the suggested
/// training window with the --train range that selects it.
std::string persistenceSummary(const PersistenceReport& report);

/// The report as Markdown: the summary, the periods, the correlation matrix with intervals, the
/// candidate training windows, the selection check and the samplers.
std::string persistenceMarkdown(const PersistenceReport& report);
/// Each usable formula's mean per period as CSV: "formula,<period>,..." (empty where NaN; the
/// formula quoted, its quotes doubled).
std::string persistenceCsv(const PersistenceReport& report);

} // namespace alphascope

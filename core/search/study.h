#pragma once
// A study: every (algorithm, seed) pair of searches at one budget on one session, each pool kept
// as a file so that an interrupted study resumes where it stopped, and a summary that says whether
// one search beats another beyond seed noise: per algorithm the mean, standard deviation and a
// 95 % Student-t interval over seeds, and per pair of algorithms the paired difference of test
// Rank IC over seeds and a Newey-West test on the difference of their pools' daily test Rank IC.
// The summary is always computed from the pool files, whether this call ran them or not.

#include "core/eval/research_session.h"
#include "core/metrics/inference.h"
#include "core/search/persistence.h"
#include "core/search/search.h"
#include "core/util/feedback.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace alphascope {

struct StudySpec {
    std::vector<SearchAlgo> algos;
    std::vector<std::uint64_t> seeds;
    long long evaluations = 5000; ///< the equal budget of formula evaluations
    std::string outDir;           ///< pool files <algo>-seed<k>.json and the summary go here
    bool preferCuda = true;
    /// Searches run at once, each on its own thread (they share oneTBB's workers and the session's
    /// evaluator); every search is deterministic per seed, so the files do not depend on it.
    int jobs = 1;
    /// After the runs, this many random formulas of the first algorithm's grammar measure the
    /// split's persistence (measurePersistence, seed 0, calendar years): does train rank formulas
    /// as valid and test do? It says how much out-of-sample difference between searches to
    /// expect. 0: not measured.
    int persistenceFormulas = 1000;
    /// false: nothing is run; only the pairs whose file holds their finished run are read and
    /// summarised (opening a study folder), the others are counted in StudyReport::missing.
    bool runMissing = true;
};

/// One run's figures, read back from its pool file.
struct StudyRun {
    SearchAlgo algo = SearchAlgo::Random;
    std::uint64_t seed = 0;
    std::string file;
    bool reused = false; ///< the file was already there (a resumed study)
    double validIc = kNaNd, validRankIc = kNaNd, testIc = kNaNd, testRankIc = kNaNd, testIcir = kNaNd;
    double adaptiveTestIc = kNaNd, adaptiveTestRankIc = kNaNd;
    double selectedTestRankIc = kNaNd; ///< SearchResult::selected (members chosen on valid), test
    double tunedTestRankIc = kNaNd;    ///< SearchResult::tuned (L1 strength chosen on valid), test
    double tunedL1 = kNaNd;            ///< the strength chosen
    double earlyTestRankIc = kNaNd;    ///< SearchResult::early (stopped early on valid), test
    double earlyShare = kNaNd;         ///< the share of the budget spent at that pool
    double bestFactorTestIc = kNaNd;   ///< test IC of the member with the highest valid IC
    double meanAbsMutual = kNaNd;
    long long evaluations = 0, failedEvaluations = 0;
    double seconds = 0.0, evaluationsPerSecond = 0.0;
    int poolSize = 0;
    /// The learning curve: combined valid IC (train weights) against evaluations, from the snapshots.
    std::vector<std::pair<long long, double>> validIcCurve;
    /// The algorithm's own reward over the run (SearchResult::rewardCurve), and its mean over the
    /// first and the last tenth of the episodes (NaN without a curve). Each algorithm has its own
    /// reward scale: compare a search with itself, not with another.
    std::vector<RewardPoint> rewardCurve;
    double rewardFirstTenth = kNaNd, rewardLastTenth = kNaNd;
    /// SearchResult::icCurve and its first and last tenth: comparable between searches.
    std::vector<RewardPoint> icCurve;
    double icFirstTenth = kNaNd, icLastTenth = kNaNd;
    /// SearchResult::topCurve (new formulas of the run's top tenth by |IC|) and its tenths.
    std::vector<RewardPoint> topCurve;
    double topFirstTenth = kNaNd, topLastTenth = kNaNd;
    /// SearchResult::diagnostics as stored in the pool file (non-finite values left out).
    std::vector<std::pair<std::string, double>> diagnostics;
    /// The combined pool's daily Rank IC on the test split (recomputed from formulas and weights).
    std::vector<double> dailyTestRankIc;
    /// The same for the pool selected on valid (from the members' selected weights; empty when
    /// the file has none).
    std::vector<double> dailySelectedTestRankIc;
};

struct StudyAlgoSummary {
    SearchAlgo algo = SearchAlgo::Random;
    MeanInterval validIc, validRankIc, testIc, testRankIc, testIcir, adaptiveTestRankIc, selectedTestRankIc,
        tunedTestRankIc, tunedL1, earlyTestRankIc, earlyShare, bestFactorTestIc, meanAbsMutual, failedShare,
        evaluationsPerSecond, seconds;
    MeanInterval rewardFirstTenth, rewardLastTenth, rewardGain; ///< gain = last - first, seed by seed
    int seedsWithRewardGain = 0;                                ///< seeds whose last tenth beat the first
    MeanInterval icFirstTenth, icLastTenth, icGain;             ///< the same for the evaluated formulas' |IC|
    int seedsWithIcGain = 0;
    MeanInterval topFirstTenth, topLastTenth, topGain; ///< and for the share of new top-tenth formulas
    int seedsWithTopGain = 0;
    /// Each diagnostic its runs report, over the seeds that report it (in first-seen order).
    std::vector<std::pair<std::string, MeanInterval>> diagnostics;
    /// Selection on valid against the combined pool: selected minus combined test Rank IC, seed by
    /// seed, and the seeds where selection gained.
    MeanInterval selectionGain;
    int seedsWithSelectionGain = 0;
    /// Newey-West on the day-by-day selected minus combined test Rank IC, averaged over seeds.
    NeweyWestTest selectionDaily;
    /// The L1 strength chosen on valid against the pool's own: tuned minus combined test Rank IC,
    /// seed by seed, and the seeds where it gained.
    MeanInterval tuningGain;
    int seedsWithTuningGain = 0;
    /// Early stopping on valid against the final pool: early minus combined test Rank IC, seed by
    /// seed, and the seeds where it gained.
    MeanInterval earlyGain;
    int seedsWithEarlyGain = 0;
};

struct StudyPair {
    SearchAlgo a = SearchAlgo::Random, b = SearchAlgo::Random;
    /// a's minus b's test Rank IC, seed by seed (seeds both have).
    MeanInterval testRankIcDifference;
    /// On the day-by-day difference of their seed-averaged daily test Rank IC.
    NeweyWestTest dailyDifference;
    /// a's minus b's test Rank IC of the pools selected on valid, seed by seed, and Newey-West on
    /// the day-by-day difference of their seed-averaged daily test Rank IC.
    MeanInterval selectedTestRankIcDifference;
    NeweyWestTest selectedDailyDifference;
};

struct StudyReport {
    StudySpec spec;
    std::vector<StudyRun> runs;
    std::vector<StudyAlgoSummary> algos;
    std::vector<StudyPair> pairs;
    /// StudyAlgoSummary::selectionGain over every run of the study (all algorithms together).
    MeanInterval selectionGain;
    int runsWithSelectionGain = 0;
    NeweyWestTest selectionDaily; ///< on the daily selected minus combined, averaged over every run
    /// StudyAlgoSummary::tuningGain over every run of the study.
    MeanInterval tuningGain;
    int runsWithTuningGain = 0;
    /// StudyAlgoSummary::earlyGain over every run of the study.
    MeanInterval earlyGain;
    int runsWithEarlyGain = 0;
    int ran = 0, reused = 0;
    int missing = 0;           ///< pairs without a finished run of their settings (StudySpec::runMissing false)
    std::string missingReason; ///< why the first of them was not read (its file and the error)
    /// The split's persistence (StudySpec::persistenceFormulas); empty when not measured.
    std::optional<PersistenceReport> persistence;
};

/// Each algorithm's settings for a study or a recovery run: core's defaults for it
/// (defaultSearchConfig), then `config` read over them (a search config as searchConfigFromJson
/// reads it, usually partial such as {"mcts": {"train_every": 1}}; empty: none; the run sets
/// algorithm, seed and budget itself), then `adjust` (may be empty). Checked with validate() for
/// every one of `algos` before any search starts; with a `where` (the config file) an error names
/// it and the search it is about.
using StudyBase = std::function<SearchConfig(SearchAlgo)>;
Result<StudyBase> studyBaseConfig(const std::string& config, const std::string& where,
                                  const std::vector<SearchAlgo>& algos,
                                  const std::function<void(SearchConfig&)>& adjust = {});

/// One benchmark run's settings: `base(algo)` with the algorithm, the seed, a budget of exactly
/// `evaluations` (no episode or time limit) and the device preference set.
SearchConfig benchmarkRunConfig(const std::function<SearchConfig(SearchAlgo)>& base, SearchAlgo algo,
                                std::uint64_t seed, long long evaluations, bool preferCuda);

/// The pool file of one pair: outDir/<algo>-seed<seed>.json.
std::string studyRunFile(const StudySpec& spec, SearchAlgo algo, std::uint64_t seed);

/// Runs the pairs whose pool file is missing, unreadable, canceled, from another budget, other
/// settings or other data (target, instruments, days, splits)
/// (spec.jobs at a time; each search also uses every core), writing each file atomically as it
/// finishes, then summarises all of them (runs in the order of algorithms, then seeds). `base(algo)` gives each
/// algorithm's settings (seed, budget and device are set here). Cancel through `feedback`: the finished files stay, the
/// call returns Canceled. Progress is the share of pairs done.
Result<StudyReport> runStudy(std::shared_ptr<const ResearchSession> session, const StudySpec& spec,
                             const std::function<SearchConfig(SearchAlgo)>& base, Feedback& feedback);

/// What a study folder holds (alphascope-cli study's or the workbench's): the algorithms and seeds
/// of its finished pool files (<algo>-seed<k>.json; algorithms in SearchAlgo order, seeds
/// ascending, every seed that any algorithm has), their budget, and each algorithm's settings as
/// its lowest seed's file records them, so that runStudy with `base` reads the runs back instead
/// of running them again.
struct StudyFolder {
    std::vector<SearchAlgo> algos;
    std::vector<std::uint64_t> seeds;
    long long evaluations = 0;
    std::vector<std::pair<SearchAlgo, SearchConfig>> configs;
    /// The data the first of those files records (pool_json.h's "data" object as JSON text): its
    /// source, target, instruments, days and splits.
    std::string data;
    int files = 0;   ///< finished pool files at that budget
    int skipped = 0; ///< pool-file names that are not such a run (canceled, unreadable, another budget)
    /// The recorded settings of `algo`; for a search the folder has no run of, the first search's
    /// (a pool file records every search's options); the defaults for an empty folder.
    SearchConfig base(SearchAlgo algo) const;
};
/// Reads the folder's pool files (the budget is the one most files have). Errors: Io (no such
/// folder), NotFound (no finished run in it).
Result<StudyFolder> scanStudyFolder(const std::string& dir);

/// How `session` differs from the data the folder's runs were made on, in words ("splits train
/// 2015-01-12 … 2017-11-30, ... in the runs, ... here"); empty when the target, the instruments, the
/// days and the splits agree. A study's runs are read back only on their own data.
std::string studyDataDifference(const StudyFolder& folder, const ResearchSession& session);

/// A study folder read back on `session` without running anything (StudySpec::runMissing false):
/// the folder as scanStudyFolder finds it and the report of its finished runs, with the split's
/// persistence measured on `persistenceFormulas` random formulas (0: not). Errors: those of
/// scanStudyFolder; InvalidArgument when the runs were made on other data or splits (saying how
/// they differ); Canceled.
struct OpenedStudy {
    StudyFolder folder;
    StudyReport report;
};
Result<OpenedStudy> openStudy(std::shared_ptr<const ResearchSession> session, const std::string& dir,
                              int persistenceFormulas, Feedback& feedback);

/// Newey-West on the day-by-day mean over `pairs` of a minus b (NaN entries left out; pairs where
/// either series is empty too); n = 0 when no pair has both.
using DailyPair = std::pair<const std::vector<double>*, const std::vector<double>*>;
NeweyWestTest meanDailyDifferenceTest(const std::vector<DailyPair>& pairs);

/// Writes the summary files of alphascope-cli study into report.spec.outDir: summary.md,
/// summary.json, curves.csv and reward_curves.csv (each atomically). Errors: Io.
Result<void> writeStudySummary(const StudyReport& report);

/// The summary from the runs (exposed for tests).
void summarizeStudy(StudyReport& report);

/// The report as Markdown (tables), JSON, and the learning curves as CSV (algo,seed,evaluations,valid_ic).
std::string studyMarkdown(const StudyReport& report);
std::string studyJson(const StudyReport& report);
std::string studyCurvesCsv(const StudyReport& report);
/// The reward, |IC| and top-share curves as CSV (algorithm,seed,curve,point,episodes,evaluations,mean;
/// curve "reward", "abs_ic" or "top_share", episodes = evaluations counted for the last two): each run's points, then
/// per algorithm the mean over its seeds point by point (seed "mean").
std::string studyRewardCurvesCsv(const StudyReport& report);

/// One line of a study's learning curves: a run's (seed = its number) or the mean over an
/// algorithm's seeds (seed = "mean").
struct StudyCurve {
    std::string algorithm; ///< "gfn", "ppo", ...
    std::string seed;
    std::vector<double> evaluations, values;
};

/// The learning curves of a study folder, for plots: the combined pool's valid IC and each
/// search's own mean reward against evaluations, per run and averaged over seeds.
struct StudyCurves {
    std::vector<StudyCurve> validIc;   ///< runs from curves.csv, then one mean per algorithm
    std::vector<StudyCurve> reward;    ///< runs and means from reward_curves.csv
    std::vector<StudyCurve> formulaIc; ///< the evaluated formulas' mean |IC| (reward_curves.csv, abs_ic)
    std::vector<StudyCurve> topShare;  ///< the share of new top-tenth formulas (reward_curves.csv, top_share)
};

/// Reads `dir`/curves.csv and `dir`/reward_curves.csv (written by alphascope-cli study). The mean
/// valid IC of an algorithm is taken on kStudyCurveGrid evenly spaced evaluation counts up to its
/// largest: at each, the mean over its seeds of each seed's latest value at or before it (seeds
/// without one yet are left out). Errors: Io (a missing file), Format (with file and line).
Result<StudyCurves> readStudyCurves(const std::string& dir);
constexpr int kStudyCurveGrid = 50;

/// Mean reward of the first or last tenth of a curve's episodes (the first / last
/// max(1, size / 10) points, weighted by their episodes); NaN for an empty curve.
double rewardOfTenth(const std::vector<RewardPoint>& curve, bool last);

} // namespace alphascope

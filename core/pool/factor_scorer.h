#pragma once
// FactorScorer: the one place where a search turns a formula into a score. It evaluates with the
// shared Evaluator (and its sub-expression cache), z-scores the training slice once per formula,
// and measures IC and mutual correlation on those stored z-scores (ALGORITHMS.md §3-4).
//
// The z-scores are kept only for the labelled training cells (target finite), packed day after
// day in one contiguous array that every factor shares (TrainLayout). On those cells a factor's
// zero-filled z-scores and the target's have mean 0 each day, so the daily Pearson is a dot product
// over the norms: IC and mutual correlations cost one pass over contiguous floats, with no NaN test.

#include "core/eval/evaluator.h"
#include "core/metrics/correlation.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace alphascope {

class FactorProbe;

/// Where the labelled cells of a training range are: day k's cells are [dayStart[k], dayStart[k+1])
/// of every packed slice, and `instrument` names the instrument of each packed cell.
struct TrainLayout {
    DayRange range;
    int instruments = 0;
    std::vector<std::uint32_t> dayStart;   ///< range.size() + 1 offsets
    std::vector<std::uint32_t> instrument; ///< per packed cell

    int days() const { return range.size(); }
    std::size_t cells() const { return instrument.size(); }
    std::size_t dayBegin(int k) const { return dayStart[static_cast<std::size_t>(k)]; }
    int dayCells(int k) const {
        return static_cast<int>(dayStart[static_cast<std::size_t>(k) + 1] - dayStart[static_cast<std::size_t>(k)]);
    }
};

/// A factor's training z-scores packed in a TrainLayout: z-scored per day over the labelled cells
/// where it is finite (population std), 0 on the labelled cells it misses and on days without
/// z-scores (fewer than 2 values, or constant), plus each day's sum of squares (0 on such days).
struct TrainSlice {
    Panel::Storage z; ///< panel memory: reused, never zeroed first
    std::vector<double> norm2;
};

/// Daily Pearson of two packed slices (mean 0 each day on the labelled cells): dot / sqrt(norms),
/// averaged over the days where both norms are positive; NaN when no day counts.
double meanDailyCorrelation(const TrainLayout& layout, const TrainSlice& a, const TrainSlice& b,
                            int* counted = nullptr);
/// meanDailyCorrelation(a, *others[j]) into out[j] (and its day count into counted[j]) for each
/// of `count` slices, reading a's slice once; a null others[j] gives NaN and 0 days.
void meanDailyCorrelations(const TrainLayout& layout, const TrainSlice& a, const TrainSlice* const* others,
                           std::size_t count, double* out, int* counted = nullptr);
/// meanDailyCorrelation(*as[i], *others[j]) into out[i * stride + j] (and its day count into
/// counted[i * stride + j]) for `na` x `no` pairs; a null slice on either side gives NaN and 0 days.
/// Day by day, each of the others' days is read once for all of `as` (they stay in cache), so a
/// batch of candidates costs one pass over the others' slices instead of one per candidate. The
/// values are those of meanDailyCorrelation (same days in the same order, same dot products).
void meanDailyCorrelationMatrix(const TrainLayout& layout, const TrainSlice* const* as, std::size_t na,
                                const TrainSlice* const* others, std::size_t no, double* out, std::size_t stride,
                                int* counted = nullptr);

namespace detail {
/// The dot product of two float vectors (accumulated in double in a fixed order) on each of the
/// scorer's code paths: portable, AVX2 with FMA (NaN where this CPU lacks it). For tests: the paths
/// must give the same bits.
std::array<double, 2> dotOnEveryPath(const float* a, const float* b, int n);
/// The rows x cols (at most 3 x 4) dot products of a[r] and b[c] (into [r * cols + c]) of the
/// mutual-correlation matrix: pair by pair on the portable path, and as one block on the AVX2 + FMA
/// path (NaN where this CPU lacks it). For tests: the two must give the same bits.
void blockDotsOnEveryPath(const float* const* a, int rows, const float* const* b, int cols, int n, double* portable,
                          double* blocked);
} // namespace detail

/// Why a formula that evaluated is not usable (ScoredFactor::usable() false).
enum class Unusable : std::uint8_t {
    None,     ///< usable
    Empty,    ///< no finite value on the labelled training cells
    Constant, ///< finite values, but no training day with a cross-sectional spread
    Sparse,   ///< a spread on some days, but on fewer than kMinCoverage of the cells or days
};

/// The unusable evaluations of a run by reason (each repeat of a formula counts again).
struct UnusableCounts {
    long long refused = 0; ///< the evaluator refused the formula (error)
    long long empty = 0;
    long long constant = 0;
    long long sparse = 0;
    long long total() const { return refused + empty + constant + sparse; }
};

/// A formula measured on the training range. Pool members keep it, so that mutual correlations
/// never need another evaluation.
struct ScoredFactor {
    ExprPtr expr;
    std::string formula; ///< printed form
    PanelPtr values;     ///< the factor over the evaluator's calendar: the whole market's, or
                         ///< (a search's scorer) its days up to the end of training
    /// Packed training z-scores (FactorScorer::layout()). Shared, never modified.
    std::shared_ptr<const TrainSlice> trainZ;
    double ic = kNaNd;                  ///< train IC: mean daily Pearson with the target over the labelled cells
    int icDays = 0;                     ///< training days with a defined IC
    double coverage = 0.0;              ///< share of labelled training cells where the factor has a z-score
    Unusable unusable = Unusable::None; ///< why not usable (None when usable)
    bool rejected = false;              ///< the probe rejected it: no full evaluation, no values

    /// True when the factor has a finite train IC on enough of the training data (a constant,
    /// empty or mostly missing factor has not; see FactorScorer::kMinCoverage).
    bool usable() const { return trainZ != nullptr && std::isfinite(ic); }
};

/// Scores formulas against one target on one training range. Not thread-safe: one per search
/// (scoreBatch evaluates a batch on several threads itself).
class FactorScorer {
public:
    /// A factor must have z-scores on at least this share of the labelled training cells, and an IC
    /// on at least this share of the training days, to be usable: a factor defined on two stocks a
    /// day has a Pearson of +-1 every day and would look perfect.
    static constexpr double kMinCoverage = 0.5;

    /// `evaluator` holds the target's market, or its leading days up to at least `train.end`
    /// (MarketData::leadingDays: the searches do not evaluate the days after training).
    FactorScorer(std::shared_ptr<const Evaluator> evaluator, PanelPtr target, DayRange train);

    /// Evaluates `expr` and measures it on the training range; counts one evaluation (a formula
    /// scored again counts again, so that budgets mean the same thing for every search). A factor
    /// that evaluates but has no defined IC is returned with usable() false. With a probe, a
    /// formula it rejects is returned unusable with `rejected` set, without a full evaluation, and
    /// counts as a rejection instead of an evaluation. Errors: evaluation errors (unknown field,
    /// ...), Canceled.
    Result<ScoredFactor> score(const ExprPtr& expr, const std::atomic<bool>* cancel = nullptr);
    /// score() for each formula, the evaluations running in parallel; results, counters and the
    /// recent-results memory are exactly those of calling score() on each in order.
    std::vector<Result<ScoredFactor>> scoreBatch(const std::vector<ExprPtr>& exprs,
                                                 const std::atomic<bool>* cancel = nullptr);

    /// Mutual correlation of two scored factors: mean over training days of the Pearson of their
    /// zero-filled z-scores over the labelled instruments (ALGORITHMS.md §3-4, AlphaGen's
    /// normalisation). NaN when no day counts.
    double mutual(const ScoredFactor& a, const ScoredFactor& b, int* counted = nullptr) const;
    /// mutual(a, b) against many: out[j] for others[j] (NaN where others[j] is null), `counted`
    /// (optional) the days of each; a's z-scores are read once per thread, the pairs in parallel.
    void mutualRow(const ScoredFactor& a, const std::vector<const TrainSlice*>& others, double* out,
                   int* counted = nullptr) const;
    /// mutual() of many against many: out[i * others.size() + j] for as[i] and others[j] (NaN where
    /// either is null), `counted` (optional) the days of each; tiles of pairs in parallel, each
    /// reading its others' z-scores once for all its rows (meanDailyCorrelationMatrix).
    void mutualMatrix(const std::vector<const TrainSlice*>& as, const std::vector<const TrainSlice*>& others,
                      double* out, int* counted = nullptr) const;
    /// IC on the training range of a packed slice (its norms filled in).
    double icOfSlice(const TrainSlice& z, int* counted = nullptr) const;

    const Evaluator& evaluator() const { return *m_evaluator; }
    std::shared_ptr<const Evaluator> evaluatorPtr() const { return m_evaluator; }
    const PanelPtr& target() const { return m_target; }
    DayRange train() const { return m_train; }
    int instruments() const { return m_instruments; }
    const TrainLayout& layout() const { return m_layout; }
    const TrainSlice& targetSlice() const { return m_targetZ; }

    long long evaluations() const { return m_evaluations; }             ///< score() calls
    long long distinctFormulas() const { return m_distinct; }           ///< different formulas scored
    long long failures() const { return m_failures; }                   ///< evaluation errors or unusable results
    const UnusableCounts& unusableCounts() const { return m_unusable; } ///< failures() by reason
    /// Checks every new formula with `probe` before its full evaluation (null: no check).
    void setProbe(std::shared_ptr<const FactorProbe> probe) { m_probe = std::move(probe); }
    const FactorProbe* probe() const { return m_probe.get(); }
    long long rejections() const { return m_rejections; }                ///< score() calls the probe answered
    const UnusableCounts& rejectionCounts() const { return m_rejected; } ///< rejections() by reason

private:
    /// The measuring part of score(): no counters, no memory (any thread).
    ScoredFactor measure(const ExprPtr& expr, PanelPtr values) const;
    const ScoredFactor* recent(const Expr& expr);
    void remember(const ScoredFactor& f);

    std::shared_ptr<const Evaluator> m_evaluator;
    PanelPtr m_target;
    DayRange m_train;
    int m_instruments = 0;
    TrainLayout m_layout;
    TrainSlice m_targetZ; ///< the target's z-scores, packed
    std::unordered_map<std::uint64_t, std::list<ScoredFactor>::iterator> m_recentIndex;
    std::list<ScoredFactor> m_recent;         ///< small LRU of recent results (repeats are frequent)
    std::unordered_set<std::uint64_t> m_seen; ///< hashes scored so far (distinct formulas)
    long long m_evaluations = 0;
    long long m_distinct = 0;
    long long m_failures = 0;
    UnusableCounts m_unusable;
    std::shared_ptr<const FactorProbe> m_probe;
    long long m_rejections = 0;
    UnusableCounts m_rejected;
    /// Counts one score() result: a rejection, or an evaluation (and its failure, if unusable).
    void count(const ScoredFactor& f);
};

/// Z-scores `values` per day over days `r` (population std over the finite cells, NaN kept, a
/// constant day all NaN), masked where `mask` (same shape, may be null) is not finite. The
/// reference for the packed z-scores of FactorScorer (and the target's z-scores).
Panel::Storage zscoreSlice(const Panel& values, DayRange r, const Panel* mask = nullptr);

} // namespace alphascope

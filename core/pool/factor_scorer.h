#pragma once
// FactorScorer: the one place where a search turns a formula into a score. It evaluates with the
// shared Evaluator (and its sub-expression cache), z-scores the training slice once per formula,
// and measures IC and mutual correlation on those stored z-scores (ALGORITHMS.md §3-4).

#include "core/eval/evaluator.h"
#include "core/metrics/correlation.h"

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace alphascope {

/// A formula measured on the training range. Pool members keep it, so that mutual correlations
/// never need another evaluation.
struct ScoredFactor {
    ExprPtr expr;
    std::string formula;   ///< printed form
    PanelPtr values;       ///< the factor over the whole calendar (for valid/test afterwards)
    /// Training days x instruments, z-scored per day over the finite cells (population std), 0 on
    /// labelled cells the factor misses, NaN where the target is missing. Shared, never modified.
    std::shared_ptr<const std::vector<float>> trainZ;
    double ic = kNaNd;     ///< train IC: mean daily Pearson with the target over the labelled cells
    int icDays = 0;        ///< training days with a defined IC
    double coverage = 0.0; ///< share of labelled training cells where the factor has a z-score

    /// True when the factor has a finite train IC on enough of the training data (a constant,
    /// empty or mostly missing factor has not; see FactorScorer::kMinCoverage).
    bool usable() const { return trainZ != nullptr && std::isfinite(ic); }
};

/// Scores formulas against one target on one training range. Not thread-safe: one per search.
class FactorScorer {
public:
    /// A factor must have z-scores on at least this share of the labelled training cells, and an IC
    /// on at least this share of the training days, to be usable: a factor defined on two stocks a
    /// day has a Pearson of +-1 every day and would look perfect.
    static constexpr double kMinCoverage = 0.5;

    FactorScorer(std::shared_ptr<const Evaluator> evaluator, PanelPtr target, DayRange train);

    /// Evaluates `expr` and measures it on the training range; counts one evaluation (a formula
    /// scored again counts again, so that budgets mean the same thing for every search). A factor
    /// that evaluates but has no defined IC is returned with usable() false. Errors: evaluation
    /// errors (unknown field, ...), Canceled.
    Result<ScoredFactor> score(const ExprPtr& expr, const std::atomic<bool>* cancel = nullptr);

    /// Mutual correlation of two scored factors: mean over training days of the Pearson of their
    /// zero-filled z-scores over the labelled instruments (ALGORITHMS.md §3-4, AlphaGen's
    /// normalisation). NaN when no day counts.
    double mutual(const ScoredFactor& a, const ScoredFactor& b) const;
    /// IC on the training range of a z-scored slice laid out like ScoredFactor::trainZ.
    double icOfSlice(const std::vector<float>& z) const;

    const Evaluator& evaluator() const { return *m_evaluator; }
    std::shared_ptr<const Evaluator> evaluatorPtr() const { return m_evaluator; }
    const PanelPtr& target() const { return m_target; }
    DayRange train() const { return m_train; }
    int instruments() const { return m_instruments; }

    long long evaluations() const { return m_evaluations; }  ///< score() calls
    long long distinctFormulas() const { return m_distinct; } ///< different formulas scored
    long long failures() const { return m_failures; }         ///< evaluation errors or unusable results

private:
    std::shared_ptr<const Evaluator> m_evaluator;
    PanelPtr m_target;
    DayRange m_train;
    int m_instruments = 0;
    std::vector<float> m_targetZ; ///< target z-scores on the training range (NaN kept)
    std::size_t m_labelledCells = 0; ///< finite entries of m_targetZ
    std::unordered_map<std::uint64_t, std::list<ScoredFactor>::iterator> m_recentIndex;
    std::list<ScoredFactor> m_recent; ///< small LRU of recent results (repeats are frequent)
    std::unordered_set<std::uint64_t> m_seen; ///< hashes scored so far (distinct formulas)
    long long m_evaluations = 0;
    long long m_distinct = 0;
    long long m_failures = 0;
};

/// Z-scores `values` per day over days `r` (population std over the finite cells, NaN kept, a
/// constant day all NaN), masked where `mask` (same shape, may be null) is not finite.
std::vector<float> zscoreSlice(const Panel& values, DayRange r, const Panel* mask = nullptr);

} // namespace alphascope

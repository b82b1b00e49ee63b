#pragma once
// FactorProbe: a cheap check, before a full evaluation, that a formula can be usable at all.
//
// Four in ten formulas that random search and the GFlowNet build cannot be used (measured on the
// US data: constant, e.g. Less(-2, $open) = -2; empty, e.g. Log(Mul($volume, -2)); or defined on
// too few cells, e.g. Pow(10, $open), which overflows). Most of them are plain on any sample of
// the market. The probe evaluates a formula on a fixed sample of instruments over the days up to
// the end of the training range (the history rolling operators need, nothing later) and rejects it
// when, on the training days of that sample, it has no finite value, no day with a cross-sectional
// spread, or values with a spread on less than half of FactorScorer's coverage threshold of the
// cells or days. The margin leaves the borderline cases to the full evaluation. Formulas with group
// operators are never rejected (a sample splits the groups). The probe's verdict is deterministic.

#include "core/eval/evaluator.h"
#include "core/pool/factor_scorer.h"

#include <atomic>
#include <memory>
#include <optional>

namespace alphascope {

class FactorProbe {
public:
    /// Instruments in the sample: evenly spaced over those present on at least half of the
    /// training days (all of them when fewer), ...
    static constexpr int kSampleInstruments = 64;
    /// ... plus, for each field, those with the lowest minimum and the highest maximum up to the
    /// end of training (a constant comparison often varies only there).
    static constexpr int kEdgeInstruments = 4;
    /// A sampled share of cells or days below kMinCoverage * kMargin rejects the formula.
    static constexpr double kMargin = 0.5;

    /// Builds the sample from `data` (its first field decides presence) for the training days `train`.
    FactorProbe(const MarketData& data, DayRange train);

    /// Unusable::None when the formula may be usable (or the probe cannot tell: group operators, an
    /// evaluation error, which the full evaluation then reports), else the reason it cannot be.
    Unusable verdict(const ExprPtr& expr, const std::atomic<bool>* cancel = nullptr) const;

    int sampledInstruments() const { return m_sampled; }
    /// Sample cells over full-panel cells (the evaluations' size ratio, history days included).
    double relativeSize() const { return m_relativeSize; }

private:
    std::shared_ptr<const MarketData> m_sample;
    std::unique_ptr<Evaluator> m_evaluator;
    DayRange m_train;
    int m_sampled = 0;
    double m_relativeSize = 0.0;
};

} // namespace alphascope

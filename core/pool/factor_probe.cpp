#include "core/pool/factor_probe.h"

#include "core/expr/operator_registry.h"
#include "core/metrics/correlation.h"
#include "core/util/simd.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace alphascope {

namespace {

bool hasGroupOperator(const Expr& e) {
    if (e.isOperator() && operatorSpec(e.opId()).hasGroup) return true;
    for (const ExprPtr& a : e.args())
        if (hasGroupOperator(*a)) return true;
    return false;
}

/// Whether the scorer's rule z-scores this day (zscoreSlice without a mask): at least two finite
/// values whose population std is above kDegenerateRel times the largest |value|; the cells it
/// z-scores are then exactly the finite ones. Vector reductions, no copy of the day.
ALPHASCOPE_SIMD_CLONES
bool daySpread(const float* x, int n) {
    double sum = 0.0, maxAbs = 0.0;
    int count = 0;
#pragma omp simd reduction(+ : sum, count) reduction(max : maxAbs)
    for (int i = 0; i < n; ++i) {
        const bool ok = std::isfinite(x[i]);
        sum += ok ? double(x[i]) : 0.0;
        maxAbs = std::max(maxAbs, ok ? std::fabs(double(x[i])) : 0.0);
        count += ok ? 1 : 0;
    }
    if (count < 2) return false;
    const double mean = sum / count;
    double ss = 0.0;
#pragma omp simd reduction(+ : ss)
    for (int i = 0; i < n; ++i) {
        const double d = std::isfinite(x[i]) ? double(x[i]) - mean : 0.0;
        ss += d * d;
    }
    const double sd = std::sqrt(ss / count);
    return sd > kDegenerateRel * maxAbs && sd != 0.0;
}

} // namespace

FactorProbe::FactorProbe(const MarketData& data, DayRange train) {
    const int days = std::clamp(train.end, 0, data.days());
    m_train = DayRange{std::clamp(train.begin, 0, days), days};
    const int n = data.instrumentCount();

    // Instruments present (a finite first field, in the universe) on at least half the training days.
    const Panel* first = data.fields.empty() ? nullptr : data.fields.begin()->second.get();
    std::vector<int> eligible;
    for (int i = 0; i < n && first; ++i) {
        int present = 0;
        for (int t = m_train.begin; t < m_train.end; ++t)
            present += data.isMember(t, i) && std::isfinite(first->at(t, i)) ? 1 : 0;
        if (2 * present >= m_train.size() && present > 0) eligible.push_back(i);
    }
    std::vector<int> chosen;
    const int k = std::min<int>(kSampleInstruments, static_cast<int>(eligible.size()));
    for (int j = 0; j < k; ++j)
        chosen.push_back(eligible[static_cast<std::size_t>(
            (static_cast<long long>(j) * static_cast<long long>(eligible.size())) / k)]);
    // A comparison with a constant (Less(5, $high)) or a power often varies only on the few
    // instruments at the edges of a field's range: those with the lowest minimum and the highest
    // maximum of each field up to the end of training join the sample.
    for (const auto& [name, panel] : data.fields) {
        std::vector<std::pair<float, int>> lows, highs;
        for (int i = 0; i < n; ++i) {
            float lo = std::numeric_limits<float>::infinity(), hi = -lo;
            for (int t = 0; t < days; ++t) {
                const float v = panel->at(t, i);
                if (!data.isMember(t, i) || !std::isfinite(v)) continue;
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
            if (lo <= hi) {
                lows.emplace_back(lo, i);
                highs.emplace_back(-hi, i);
            }
        }
        for (auto* side : {&lows, &highs}) {
            const auto m = std::min<std::size_t>(kEdgeInstruments, side->size());
            std::partial_sort(side->begin(), side->begin() + static_cast<std::ptrdiff_t>(m), side->end());
            for (std::size_t j = 0; j < m; ++j) chosen.push_back((*side)[j].second);
        }
    }
    std::sort(chosen.begin(), chosen.end());
    chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());

    m_sampled = static_cast<int>(chosen.size());
    auto sample = data.slice(days, chosen);
    const double full = double(data.days()) * double(n);
    m_relativeSize = full > 0 ? double(days) * double(m_sampled) / full : 0.0;
    m_sample = sample;
    EvaluatorOptions options;
    options.cacheBytes = std::size_t(64) << 20;
    m_evaluator = std::make_unique<Evaluator>(m_sample, options);
}

Unusable FactorProbe::verdict(const ExprPtr& expr, const std::atomic<bool>* cancel) const {
    if (m_sampled < 2 || m_train.size() < 1 || hasGroupOperator(*expr)) return Unusable::None;
    auto values = m_evaluator->evaluate(expr, cancel);
    if (!values.ok()) return Unusable::None; // the full evaluation reports the error
    const Panel& v = *values.value();
    // The scorer's own rule for a day with z-scores (finite values with a spread).
    std::size_t cells = 0, covered = 0, present = 0;
    int spreadDays = 0;
    for (int t = m_train.begin; t < m_train.end; ++t) {
        const float* row = v.row(t);
        int finite = 0;
        for (int j = 0; j < m_sampled; ++j) {
            if (!m_sample->isMember(t, j)) continue;
            ++cells;
            finite += std::isfinite(row[j]) ? 1 : 0;
        }
        present += static_cast<std::size_t>(finite);
        const int zscored = finite > 0 && daySpread(row, m_sampled) ? finite : 0;
        covered += static_cast<std::size_t>(zscored);
        spreadDays += zscored > 0 ? 1 : 0;
    }
    if (present == 0) return Unusable::Empty;
    if (spreadDays == 0) return Unusable::Constant;
    const double threshold = FactorScorer::kMinCoverage * kMargin;
    if (double(covered) < threshold * double(cells) || double(spreadDays) < threshold * double(m_train.size()))
        return Unusable::Sparse;
    return Unusable::None;
}

} // namespace alphascope

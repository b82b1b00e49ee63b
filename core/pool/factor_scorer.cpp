#include "core/pool/factor_scorer.h"

#include <algorithm>
#include <cmath>

namespace alphascope {

namespace {

constexpr std::size_t kRecentCapacity = 32;

/// Mean over days of the Pearson of two day-major slices (finite pairs); NaN when no day counts.
double meanDailyPearson(const float* a, const float* b, int days, int n, int* counted = nullptr) {
    double sum = 0.0;
    int count = 0;
    for (int k = 0; k < days; ++k) {
        const std::size_t off = static_cast<std::size_t>(k) * n;
        const double c = pearson(a + off, b + off, n);
        if (std::isnan(c)) continue;
        sum += c;
        ++count;
    }
    if (counted) *counted = count;
    return count > 0 ? sum / count : kNaNd;
}

} // namespace

std::vector<float> zscoreSlice(const Panel& values, DayRange r, const Panel* mask) {
    const int n = values.instruments();
    std::vector<float> out(static_cast<std::size_t>(r.size()) * static_cast<std::size_t>(n), kNaN);
    for (int t = r.begin; t < r.end; ++t) {
        const float* x = values.row(t);
        const float* m = mask ? mask->row(t) : nullptr;
        float* z = out.data() + static_cast<std::size_t>(t - r.begin) * n;
        double sum = 0.0, maxAbs = 0.0;
        int count = 0;
        for (int i = 0; i < n; ++i) {
            if (!std::isfinite(x[i]) || (m && !std::isfinite(m[i]))) continue;
            sum += x[i];
            maxAbs = std::max(maxAbs, std::fabs(static_cast<double>(x[i])));
            ++count;
        }
        if (count < 2) continue;
        const double mean = sum / count;
        double ss = 0.0;
        for (int i = 0; i < n; ++i) {
            if (!std::isfinite(x[i]) || (m && !std::isfinite(m[i]))) continue;
            const double d = x[i] - mean;
            ss += d * d;
        }
        const double sd = std::sqrt(ss / count);
        if (!(sd > kDegenerateRel * maxAbs) || sd == 0.0) continue; // a constant day: no z-scores
        for (int i = 0; i < n; ++i) {
            if (!std::isfinite(x[i]) || (m && !std::isfinite(m[i]))) continue;
            z[i] = static_cast<float>((x[i] - mean) / sd);
        }
    }
    return out;
}

FactorScorer::FactorScorer(std::shared_ptr<const Evaluator> evaluator, PanelPtr target, DayRange train)
    : m_evaluator(std::move(evaluator)), m_target(std::move(target)), m_train(train) {
    m_instruments = m_target ? m_target->instruments() : 0;
    if (m_target) m_targetZ = zscoreSlice(*m_target, m_train);
    for (float v : m_targetZ) m_labelledCells += std::isfinite(v) ? 1 : 0;
}

double FactorScorer::icOfSlice(const std::vector<float>& z) const {
    return meanDailyPearson(z.data(), m_targetZ.data(), m_train.size(), m_instruments);
}

double FactorScorer::mutual(const ScoredFactor& a, const ScoredFactor& b) const {
    if (!a.trainZ || !b.trainZ) return kNaNd;
    return meanDailyPearson(a.trainZ->data(), b.trainZ->data(), m_train.size(), m_instruments);
}

Result<ScoredFactor> FactorScorer::score(const ExprPtr& expr, const std::atomic<bool>* cancel) {
    ++m_evaluations;
    const std::uint64_t h = expr->hash();
    if (auto it = m_recentIndex.find(h); it != m_recentIndex.end() && it->second->expr->equals(*expr)) {
        m_recent.splice(m_recent.begin(), m_recent, it->second); // most recent first
        if (!m_recent.front().usable()) ++m_failures;
        return m_recent.front();
    }
    if (m_seen.insert(h).second) ++m_distinct;
    auto values = m_evaluator->evaluate(expr, cancel);
    if (!values.ok()) {
        if (values.error().code != ErrorCode::Canceled) ++m_failures;
        return values.error();
    }
    ScoredFactor f;
    f.expr = expr;
    f.formula = expr->toString();
    f.values = values.value();
    if (f.values->days() != m_target->days() || f.values->instruments() != m_instruments)
        return makeError(ErrorCode::Internal, "factor and target shapes differ");
    auto z = std::make_shared<std::vector<float>>(zscoreSlice(*f.values, m_train, m_target.get()));
    std::size_t cells = 0;
    for (float v : *z) cells += std::isfinite(v) ? 1 : 0;
    f.coverage = m_labelledCells > 0 ? double(cells) / double(m_labelledCells) : 0.0;
    // Zero-fill the labelled cells the factor misses (AlphaGen's NaN -> 0 after normalisation), so
    // that IC, mutual correlations and the pool's combination all see the same vectors: then the
    // mutual matrix is an average of correlation matrices (positive semi-definite) and the pool
    // weights fitted on it describe the combination that is actually formed. With correlations
    // over each pair's own finite cells it is not, and weights exploded on US data.
    for (std::size_t c = 0; c < z->size(); ++c)
        if (!std::isfinite((*z)[c]) && std::isfinite(m_targetZ[c])) (*z)[c] = 0.0f;
    f.ic = meanDailyPearson(z->data(), m_targetZ.data(), m_train.size(), m_instruments, &f.icDays);
    if (std::isfinite(f.ic) && f.coverage >= kMinCoverage && f.icDays >= kMinCoverage * m_train.size()) {
        f.trainZ = std::move(z);
    } else {
        f.ic = kNaNd;
        ++m_failures;
    }
    if (auto it = m_recentIndex.find(h); it != m_recentIndex.end()) { // a hash collision: replace
        m_recent.erase(it->second);
        m_recentIndex.erase(it);
    }
    m_recent.push_front(f);
    m_recentIndex[h] = m_recent.begin();
    if (m_recent.size() > kRecentCapacity) {
        m_recentIndex.erase(m_recent.back().expr->hash());
        m_recent.pop_back();
    }
    return f;
}

} // namespace alphascope

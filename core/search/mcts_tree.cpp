// The arithmetic of MCTS's tree (mcts.h): top-k returns, min-max value normalisation, pUCT, root
// noise, the move distribution, returns along a path, progressive widening and Perf; and the
// guide's default batch call. The search itself is in mcts.cpp.

#include "core/search/mcts.h"

#include "core/util/random.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace alphascope {

void TopKReturns::add(double value) {
    auto greater = std::greater<double>();
    if (static_cast<int>(m_values.size()) < m_k) {
        m_values.push_back(value);
        std::push_heap(m_values.begin(), m_values.end(), greater);
    } else if (m_k > 0 && value > m_values.front()) {
        std::pop_heap(m_values.begin(), m_values.end(), greater);
        m_values.back() = value;
        std::push_heap(m_values.begin(), m_values.end(), greater);
    }
}

double TopKReturns::mean() const {
    if (m_values.empty()) return 0.0;
    double s = 0.0;
    for (double v : m_values) s += v;
    return s / static_cast<double>(m_values.size());
}

double TopKReturns::max() const {
    return m_values.empty() ? 0.0 : *std::max_element(m_values.begin(), m_values.end());
}

double TopKReturns::value(double beta) const {
    return beta * mean() + (1.0 - beta) * max();
}

std::vector<double> TopKReturns::sorted() const {
    std::vector<double> v = m_values;
    std::sort(v.begin(), v.end(), std::greater<double>());
    return v;
}

void MinMaxStats::update(double value) {
    m_min = std::min(m_min, value);
    m_max = std::max(m_max, value);
}

double MinMaxStats::normalize(double value) const {
    return m_max > m_min ? (value - m_min) / (m_max - m_min) : value;
}

double puctCoefficient(int parentVisits, double cBase, double cInit) {
    return std::log((parentVisits + cBase + 1.0) / cBase) + cInit;
}

double puctScore(double valueScore, double prior, int parentVisits, int childVisits, double cBase, double cInit) {
    return valueScore +
           puctCoefficient(parentVisits, cBase, cInit) * prior * std::sqrt(double(parentVisits)) / (1.0 + childVisits);
}

std::vector<float> sampleDirichlet(int n, double alpha, std::mt19937_64& rng) {
    std::vector<float> x(static_cast<std::size_t>(std::max(0, n)));
    if (x.empty()) return x;
    double sum = 0.0;
    std::vector<double> g(x.size());
    for (double& v : g) sum += (v = gamma(rng, alpha));
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = sum > 0.0 ? static_cast<float>(g[i] / sum) : 1.0f / static_cast<float>(x.size());
    return x;
}

std::vector<float> mixNoise(const std::vector<float>& priors, const std::vector<float>& noise, double fraction) {
    std::vector<float> out(priors.size());
    for (std::size_t i = 0; i < priors.size(); ++i)
        out[i] = static_cast<float>((1.0 - fraction) * priors[i] + fraction * noise[i]);
    return out;
}

std::vector<float> visitDistribution(const std::vector<int>& visits, double temperature) {
    std::vector<float> p(visits.size(), 0.0f);
    if (visits.empty()) return p;
    if (temperature <= 0.0) {
        p[static_cast<std::size_t>(std::max_element(visits.begin(), visits.end()) - visits.begin())] = 1.0f;
        return p;
    }
    // Scaled by the largest count so that visits^(1/T) cannot overflow.
    const double top = *std::max_element(visits.begin(), visits.end());
    if (top <= 0) {
        std::fill(p.begin(), p.end(), 1.0f / static_cast<float>(p.size()));
        return p;
    }
    double sum = 0.0;
    std::vector<double> w(visits.size());
    for (std::size_t i = 0; i < visits.size(); ++i) sum += (w[i] = std::pow(visits[i] / top, 1.0 / temperature));
    for (std::size_t i = 0; i < visits.size(); ++i) p[i] = static_cast<float>(w[i] / sum);
    return p;
}

std::vector<double> pathReturns(const std::vector<double>& rewards, double leafValue) {
    std::vector<double> g(rewards.size(), 0.0);
    double sum = leafValue;
    for (std::size_t i = rewards.size(); i-- > 0;) {
        g[i] = sum;
        sum += rewards[i];
    }
    return g;
}

int wideningLimit(int visits) {
    return static_cast<int>(std::ceil(kWideningScale * std::pow(double(std::max(0, visits)) + 1.0, kWideningExponent)));
}

double programPerf(double ic, double maxAbsMutual) {
    if (!std::isfinite(ic)) return 0.0;
    const double m = std::isfinite(maxAbsMutual) ? std::clamp(maxAbsMutual, 0.0, 1.0) : 1.0;
    return (1.0 - m) * std::fabs(ic);
}

Result<void> MctsGuide::evaluateBatch(const std::vector<const ProgramState*>& states,
                                      const std::vector<const std::vector<int>*>& legal,
                                      std::vector<std::vector<float>>& priors, std::vector<float>& values) {
    priors.assign(states.size(), {});
    values.assign(states.size(), 0.0f);
    for (std::size_t i = 0; i < states.size(); ++i) {
        auto r = evaluate(*states[i], *legal[i], priors[i], values[i]);
        if (!r.ok()) return r;
    }
    return {};
}

} // namespace alphascope

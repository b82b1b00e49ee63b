#include "core/search/planted.h"

#include "core/eval/evaluator.h"
#include "core/metrics/correlation.h"
#include "core/util/random.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace alphascope {

namespace {

constexpr const char* kPlantedTarget = "Ref($close, -1) / $close - 1";
const char* const kShapeFields[] = {"open", "high", "low", "vwap"};

/// Evaluates formulas on a market (a fresh evaluator, no cache).
Result<std::vector<PanelPtr>> evaluateAll(const std::shared_ptr<const MarketData>& data,
                                          const std::vector<std::string>& formulas,
                                          std::vector<std::string>* printed = nullptr) {
    Evaluator ev(data, EvaluatorOptions{0});
    std::vector<PanelPtr> out;
    for (const auto& text : formulas) {
        auto expr = parseFormula(text, parseOptionsFor(*data, false));
        if (!expr.ok()) {
            Error e = expr.error();
            e.where = "planted formula '" + text + "'" + (e.where.empty() ? "" : " " + e.where);
            return e;
        }
        if (printed) printed->push_back(expr.value()->toString());
        auto v = ev.evaluate(expr.value());
        if (!v.ok()) return v.error();
        out.push_back(v.value());
    }
    return out;
}

} // namespace

Result<PlantedMarket> makePlantedMarket(const PlantedSpec& spec) {
    if (spec.formulas.empty() || spec.formulas.size() != spec.weights.size())
        return makeError(ErrorCode::InvalidArgument, "planted market: give one weight per planted formula");
    auto base = std::make_shared<MarketData>(makeSyntheticMarket(spec.market));
    const int T = base->days(), N = base->instrumentCount();

    PlantedMarket out;
    out.target = kPlantedTarget;
    out.weights = spec.weights;
    auto planted = evaluateAll(base, spec.formulas, &out.formulas);
    if (!planted.ok()) return planted.error();

    // The signal: weighted per-day z-scores of the planted formulas (missing -> 0).
    Panel signal(T, N, 0.0f), z;
    for (std::size_t k = 0; k < planted->size(); ++k) {
        normalizeByDay(*planted.value()[k], z);
        for (std::size_t c = 0; c < signal.size(); ++c)
            signal.data()[c] += static_cast<float>(spec.weights[k]) * z.data()[c];
    }
    normalizeByDay(signal, signal); // unit cross-sectional variance whatever the weights

    // Each instrument keeps its base volatility; the next-day return is vol * (s * signal + noise).
    const Panel& close = *base->field("close");
    std::vector<double> vol(static_cast<std::size_t>(N), 0.02);
    for (int i = 0; i < N; ++i) {
        double s = 0, ss = 0;
        int n = 0;
        for (int t = 1; t < T; ++t) {
            const double a = close.at(t - 1, i), b = close.at(t, i);
            if (!(a > 0) || !(b > 0)) continue;
            const double r = std::log(b / a);
            s += r;
            ss += r * r;
            ++n;
        }
        if (n > 2) vol[static_cast<std::size_t>(i)] = std::sqrt(std::max(1e-8, (ss - s * s / n) / (n - 1)));
    }
    std::mt19937_64 rng(spec.market.seed ^ 0x9e3779b97f4a7c15ULL);
    auto newClose = std::make_shared<Panel>(T, N, kNaN);
    for (int i = 0; i < N; ++i) {
        double level = 0.0;
        for (int t = 0; t < T; ++t) {
            if (t == 0 || !(level > 0)) {
                level = std::isfinite(close.at(t, i)) ? close.at(t, i) : 0.0;
            } else {
                const double noise = normal(rng);
                const double r = vol[static_cast<std::size_t>(i)] * (spec.strength * signal.at(t - 1, i) + noise);
                level *= std::max(0.5, 1.0 + r);
            }
            if (std::isfinite(close.at(t, i))) newClose->at(t, i) = static_cast<float>(level);
        }
    }

    // Re-apply each day's intraday shape (field / close) to the new close path.
    auto data = std::make_shared<MarketData>(*base);
    data->fields["close"] = newClose;
    for (const char* f : kShapeFields) {
        const Panel* old = base->field(f);
        if (!old) continue;
        auto p = std::make_shared<Panel>(T, N, kNaN);
        for (std::size_t c = 0; c < p->size(); ++c)
            p->data()[c] = static_cast<float>(double(old->data()[c]) / close.data()[c] * newClose->data()[c]);
        data->fields[f] = p;
    }
    data->source = "planted";

    // The planted formulas must not depend on the price level: check that they kept their values.
    auto again = evaluateAll(data, spec.formulas);
    if (!again.ok()) return again.error();
    for (std::size_t k = 0; k < again->size(); ++k) {
        const double m = mutualCorrelation(*planted.value()[k], *again.value()[k], DayRange{0, T});
        if (!(m > 0.999))
            return makeError(ErrorCode::InvalidArgument,
                             "planted formula '" + spec.formulas[k] + "' depends on the price level (correlation " +
                                 std::to_string(m) +
                                 " after the prices were rebuilt); plant formulas of the "
                                 "intraday shape (open/high/low/vwap relative to close) and volume");
    }

    Evaluator ev(data, EvaluatorOptions{0});
    auto target = ev.evaluate(out.target, true);
    if (!target.ok()) return target.error();
    for (const auto& v : again.value())
        out.realisedIc.push_back(seriesStats(dailyIc(*v, *target.value(), DayRange{0, T})).mean);
    out.data = std::move(data);
    return out;
}

Result<std::shared_ptr<const ResearchSession>> openPlantedSession(const PlantedSpec& spec) {
    auto market = makePlantedMarket(spec);
    if (!market.ok()) return market.error();
    SessionSpec s;
    s.dataset.path = "planted";
    s.target = market->target;
    return makeResearchSession(market->data, s);
}

} // namespace alphascope

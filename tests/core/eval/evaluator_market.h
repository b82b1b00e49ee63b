#pragma once
// The small random market the evaluator's suites share (tst_evaluator, tst_cross_section): 60 days
// of 13 instruments with NaNs, zeros, negatives, a late listing and three sectors (one instrument
// without), and the float-against-double comparisons they use.

#include "core/data/market_data.h"

#include <cmath>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace evaluator_test {

using namespace alphascope;

inline constexpr int kDays = 60;
inline constexpr int kInstruments = 13;

inline std::shared_ptr<MarketData> makeMarket(unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    auto md = std::make_shared<MarketData>();
    std::vector<Date> days;
    for (int t = 0; t < kDays; ++t) days.push_back(Date::fromYmd(2020, 1 + t / 28, 1 + t % 28));
    md->calendar = Calendar(days);
    for (int i = 0; i < kInstruments; ++i) md->instruments.push_back("I" + std::to_string(i));
    md->membership.assign(kDays * kInstruments, 1);
    for (int t = 0; t < 5; ++t) md->membership[static_cast<std::size_t>(t * kInstruments + 3)] = 0; // late listing
    for (const char* name : {"open", "high", "low", "close", "volume", "vwap"}) {
        auto p = std::make_shared<Panel>(kDays, kInstruments);
        for (int t = 0; t < kDays; ++t)
            for (int i = 0; i < kInstruments; ++i) {
                double v = std::string(name) == "volume" ? std::floor(1000 * u(rng)) : 50 + 10 * (u(rng) - 0.5);
                if (u(rng) < 0.04) v = NAN;
                if (i == 5 && t % 7 == 0) v = 0.0;   // zeros for Log/Inv/Div
                if (i == 6 && t % 11 == 0) v = -2.5; // negatives for Log/Pow/Sqrt
                if (!md->membership[static_cast<std::size_t>(t * kInstruments + i)]) v = NAN;
                p->at(t, i) = static_cast<float>(v);
            }
        md->fields[name] = p;
    }
    Grouping g;
    g.name = "sector";
    g.labels = {"A", "B", "C"};
    for (int i = 0; i < kInstruments; ++i) g.ids.push_back(i == 12 ? -1 : i % 3);
    md->groupings.push_back(g);
    return md;
}

inline bool same(float a, double b, double tol = 1e-5) {
    if (std::fabs(b) > std::numeric_limits<float>::max()) b = NAN; // outputs are float32: overflow is NaN
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
    return std::fabs(a - b) <= tol * std::max(1.0, std::fabs(b));
}

/// Within one float ulp of the reference rounded to float (NaN where it is not finite in float).
inline bool sameUlp(float a, double b) {
    const float fb = static_cast<float>(b);
    if (!std::isfinite(fb) || std::isnan(a)) return std::isnan(a) && !std::isfinite(fb);
    return a == fb || std::nextafter(fb, a) == a;
}

} // namespace evaluator_test

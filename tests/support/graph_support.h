#pragma once
// A planted market for the graph tests: blocks of instruments driven by one factor each.

#include "core/data/market_data.h"

#include <cmath>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace alphascope::test {

/// A market of `blocks` blocks of `per` instruments: each day's return is the block's factor times
/// `loading` plus noise; from day `breakDay` on there are no factors (the structure breaks).
inline MarketData plantedBlocks(int days, int blocks, int per, double loading, int breakDay, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> z(0.0, 1.0);
    MarketData d;
    std::vector<Date> dates; // increasing valid dates (28 per month)
    for (int t = 0; t < days; ++t) dates.push_back(Date::fromYmd(2015 + t / 336, 1 + t / 28 % 12, 1 + t % 28));
    d.calendar = Calendar(dates);
    const int n = blocks * per;
    for (int i = 0; i < n; ++i) d.instruments.push_back("S" + std::to_string(i));
    auto close = std::make_shared<Panel>(days, n, kNaN);
    std::vector<double> price(static_cast<std::size_t>(n), 100.0);
    Grouping sector{"sector", {}, std::vector<int>(static_cast<std::size_t>(n)), {}};
    for (int b = 0; b < blocks; ++b) sector.labels.push_back("B" + std::to_string(b));
    // Instruments are interleaved (i % blocks) so that a block is not a run of neighbouring indices.
    for (int i = 0; i < n; ++i) sector.ids[static_cast<std::size_t>(i)] = i % blocks;
    for (int t = 0; t < days; ++t) {
        std::vector<double> f(static_cast<std::size_t>(blocks));
        for (auto& v : f) v = z(rng);
        for (int i = 0; i < n; ++i) {
            const double r = 0.01 * ((t < breakDay ? loading * f[static_cast<std::size_t>(i % blocks)] : 0.0) + z(rng));
            price[static_cast<std::size_t>(i)] *= std::exp(r);
            close->at(t, i) = static_cast<float>(price[static_cast<std::size_t>(i)]);
        }
    }
    d.fields["close"] = close;
    d.setGrouping(sector);
    return d;
}

} // namespace alphascope::test

#pragma once
// Synthetic market panels: random-walk OHLCV with sectors, for benchmarks, tests and demos.

#include "core/data/market_data.h"

#include <cstdint>

namespace alphascope {

/// Shape and randomness of a synthetic market.
struct SyntheticSpec {
    int days = 2500;
    int instruments = 750;
    int sectors = 11;
    std::uint64_t seed = 42;
    double missingShare = 0.002; ///< share of (day, instrument) cells dropped at random (suspensions)
    Date start = Date::fromYmd(2010, 1, 4);
};

/// A market of geometric random walks (daily vol 1-3 %, a sector factor and a market factor),
/// with open/high/low/close/volume/vwap, a "sector" grouping, and weekday calendar dates.
MarketData makeSyntheticMarket(const SyntheticSpec& spec);

} // namespace alphascope

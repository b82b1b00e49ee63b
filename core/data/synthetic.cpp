#include "core/data/synthetic.h"

#include "core/util/random.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace alphascope {

namespace {
Date addWeekdays(Date d, int n) {
    // Walk forward over weekdays; day 0 of the Unix epoch (1970-01-01) was a Thursday.
    std::int64_t dn = d.toDayNumber();
    int y = d.year(), m = d.month(), day = d.day();
    auto weekday = [](std::int64_t x) { return static_cast<int>(((x % 7) + 7 + 3) % 7); }; // 0 = Monday
    while (n > 0) {
        ++dn;
        ++day;
        static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        const int dim = m == 2 && leap ? 29 : kDays[m - 1];
        if (day > dim) {
            day = 1;
            if (++m > 12) {
                m = 1;
                ++y;
            }
        }
        if (weekday(dn) < 5) --n;
    }
    return Date::fromYmd(y, m, day);
}
} // namespace

MarketData makeSyntheticMarket(const SyntheticSpec& spec) {
    const int T = std::max(1, spec.days), N = std::max(1, spec.instruments);
    const int S = std::max(1, spec.sectors);
    std::mt19937_64 rng(spec.seed);
    // Draws through core/util/random.h: the same market for a seed with any standard library.

    MarketData md;
    std::vector<Date> days;
    Date d = spec.start;
    days.push_back(d);
    for (int t = 1; t < T; ++t) days.push_back(d = addWeekdays(d, 1));
    md.calendar = Calendar(std::move(days));
    Grouping sector;
    sector.name = "sector";
    for (int s = 0; s < S; ++s) sector.labels.push_back("Sector " + std::to_string(s + 1));
    std::vector<double> vol(static_cast<std::size_t>(N)), beta(static_cast<std::size_t>(N)),
        price(static_cast<std::size_t>(N)), liquidity(static_cast<std::size_t>(N));
    for (int i = 0; i < N; ++i) {
        char code[16];
        std::snprintf(code, sizeof code, "S%04d", i);
        md.instruments.push_back(code);
        sector.ids.push_back(i % S);
        vol[static_cast<std::size_t>(i)] = 0.01 + 0.02 * uniform01(rng);
        beta[static_cast<std::size_t>(i)] = 0.5 + uniform01(rng);
        price[static_cast<std::size_t>(i)] = std::exp(2.0 + 3.0 * uniform01(rng));
        liquidity[static_cast<std::size_t>(i)] = std::exp(12.0 + 3.0 * uniform01(rng));
    }
    md.groupings.push_back(sector);

    auto open = std::make_shared<Panel>(T, N), high = std::make_shared<Panel>(T, N),
         low = std::make_shared<Panel>(T, N);
    auto close = std::make_shared<Panel>(T, N), volume = std::make_shared<Panel>(T, N),
         vwap = std::make_shared<Panel>(T, N);
    md.membership.assign(static_cast<std::size_t>(T) * static_cast<std::size_t>(N), 1);
    std::vector<double> sectorMove(static_cast<std::size_t>(S));
    for (int t = 0; t < T; ++t) {
        const double market = 0.008 * normal(rng);
        for (auto& s : sectorMove) s = 0.006 * normal(rng);
        for (int i = 0; i < N; ++i) {
            const auto ui = static_cast<std::size_t>(i);
            const double r =
                beta[ui] * market + sectorMove[static_cast<std::size_t>(sector.ids[ui])] + vol[ui] * normal(rng);
            const double prev = price[ui];
            price[ui] = prev * std::exp(r);
            const double o = prev * std::exp(0.3 * vol[ui] * normal(rng));
            const double c = price[ui];
            const double h = std::max(o, c) * (1.0 + 0.5 * vol[ui] * std::fabs(normal(rng)));
            const double l = std::min(o, c) * (1.0 - 0.5 * vol[ui] * std::fabs(normal(rng)));
            const double v = liquidity[ui] * std::exp(0.4 * normal(rng) + 8.0 * std::fabs(r));
            if (uniform01(rng) < spec.missingShare) {
                md.membership[static_cast<std::size_t>(t) * static_cast<std::size_t>(N) + ui] = 0;
                continue;
            }
            open->at(t, i) = static_cast<float>(o);
            high->at(t, i) = static_cast<float>(h);
            low->at(t, i) = static_cast<float>(l);
            close->at(t, i) = static_cast<float>(c);
            volume->at(t, i) = static_cast<float>(std::round(v));
            vwap->at(t, i) = static_cast<float>((h + l + c) / 3.0);
        }
    }
    md.fields["open"] = open;
    md.fields["high"] = high;
    md.fields["low"] = low;
    md.fields["close"] = close;
    md.fields["volume"] = volume;
    md.fields["vwap"] = vwap;
    md.vwapDerived = true;
    md.vwapFormula = "(high+low+close)/3";
    md.source = "synthetic";
    md.universe = "all";
    return md;
}

} // namespace alphascope

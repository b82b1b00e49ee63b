#pragma once
// Planted markets: synthetic panels whose next-day returns are driven by known formulas plus
// noise, so that a search can be checked to find them (tests, demos, `alphascope-cli synth`).
//
// Construction: a synthetic market (makeSyntheticMarket) gives volume and each day's intraday
// shape (open, high, low, vwap relative to the close). The planted formulas must be functions of
// that shape and of volume that do not depend on the price level (e.g. Div(Sub($close, $open),
// Sub($high, $low))). Their per-day z-scores, weighted, drive the next-day return:
//   r(t -> t+1) = vol_i * (strength * signal(t) + noise(t)),  noise ~ N(0, 1),
// the close path is rebuilt from those returns and the shape re-applied, so the planted formulas
// have the same values on the final market and the target Ref($close, -1) / $close - 1 carries
// the signal with an IC of about strength / sqrt(1 + strength^2).

#include "core/data/market_data.h"
#include "core/data/synthetic.h"
#include "core/eval/research_session.h"

#include <memory>
#include <string>
#include <vector>

namespace alphascope {

struct PlantedSpec {
    SyntheticSpec market{.days = 400, .instruments = 120, .sectors = 6, .seed = 7, .missingShare = 0.0};
    std::vector<std::string> formulas{"Div(Sub($close, $open), Sub($high, $low))"};
    std::vector<double> weights{1.0};
    double strength = 0.35; ///< signal-to-noise of the next-day return
};

struct PlantedMarket {
    std::shared_ptr<const MarketData> data;
    std::string target;                ///< "Ref($close, -1) / $close - 1"
    std::vector<std::string> formulas; ///< printed forms of the planted formulas
    std::vector<double> weights;
    std::vector<double> realisedIc; ///< IC of each planted formula against the target, all days
};

/// Builds a planted market. Errors: a formula that does not parse or evaluate, weights that do
/// not match, a formula whose values depend on the price level (checked after rebuilding).
Result<PlantedMarket> makePlantedMarket(const PlantedSpec& spec);

/// A research session on a planted market with its next-day target and default splits (warm-up
/// 60 days, 70/15/15).
Result<std::shared_ptr<const ResearchSession>> openPlantedSession(const PlantedSpec& spec);

} // namespace alphascope

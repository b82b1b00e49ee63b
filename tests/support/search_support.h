#pragma once
// Helpers shared by the suites that run a search on a planted market.

#include "core/expr/parser.h"
#include "core/search/search.h"

#include <cmath>
#include <string>

namespace alphascope::test {

/// The pool member closest to a formula: the largest |mutual corr| on train and its formula.
struct PlantedMatch {
    double absCorr = 0.0;
    std::string formula;
    std::string error; ///< set when the planted formula cannot be parsed or scored
};

/// Scores `planted` with the run's scorer (one more evaluation) and finds the closest member.
inline PlantedMatch closestMember(SearchRun& run, const std::string& planted) {
    PlantedMatch match;
    auto expr = parseFormula(planted);
    if (!expr.ok()) {
        match.error = expr.error().toString();
        return match;
    }
    auto scored = run.scorer().score(expr.value());
    if (!scored.ok() || !scored->usable()) {
        match.error = "the planted formula has no usable score";
        return match;
    }
    for (const auto& m : run.pool().members()) {
        const double corr = std::fabs(run.scorer().mutual(m.factor, scored.value()));
        if (corr > match.absCorr) {
            match.absCorr = corr;
            match.formula = m.factor.formula;
        }
    }
    return match;
}

} // namespace alphascope::test

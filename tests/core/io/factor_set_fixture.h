#pragma once
// A small synthetic session shared by the factor-set suites: random walks with sectors and missing
// cells (so values have NaNs), default target and splits.

#include "core/data/synthetic.h"
#include "core/eval/research_session.h"
#include "core/expr/parser.h"
#include "core/metrics/factor_report.h"
#include "core/store/factor_record_of.h"

#include <QtGlobal>

#include <memory>

namespace alphascope::test {

/// 260 days x 24 instruments, 2 % of cells missing; fails the test run when it cannot be opened.
inline std::shared_ptr<const ResearchSession> syntheticSession() {
    SyntheticSpec spec;
    spec.days = 260;
    spec.instruments = 24;
    spec.sectors = 4;
    spec.seed = 11;
    spec.missingShare = 0.02;
    auto data = std::make_shared<const MarketData>(makeSyntheticMarket(spec));
    auto s = makeResearchSession(data, SessionSpec{});
    if (!s.ok()) qFatal("synthetic session: %s", s.error().toString().c_str());
    return s.value();
}

/// The record of `formula` measured on `session` (what a saved factor holds).
inline FactorRecord measured(const ResearchSession& session, const std::string& formula, std::string name = {}) {
    auto e = parseFormula(formula, parseOptionsFor(*session.data, false));
    if (!e.ok()) qFatal("%s: %s", formula.c_str(), e.error().toString().c_str());
    AnalysisOptions options;
    options.decayHorizons = 0;
    options.histogramBins = 0;
    auto r = analyzeFactor(*session.evaluator, e.value(), session.targetValues, session.splits, options);
    if (!r.ok()) qFatal("%s: %s", formula.c_str(), r.error().toString().c_str());
    return factorRecordOf(std::move(name), r.value());
}

} // namespace alphascope::test

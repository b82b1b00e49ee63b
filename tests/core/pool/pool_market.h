#pragma once
// The market the pool suites share (tst_alpha_pool, tst_factor_scorer): a planted synthetic market
// of 260 days x 60 instruments with a field defined on two instruments only and two fields missing
// on whole days (each on other days), the 5-day forward return as target, training days 30-230.

#include "core/data/synthetic.h"
#include "core/eval/evaluator.h"
#include "core/expr/parser.h"
#include "core/pool/factor_scorer.h"

#include <QTest>

#include <memory>

namespace pool_test {

using namespace alphascope;

/// A test class derives from it (after QObject) and calls setUpMarket() in initTestCase().
struct PoolMarket {
    std::shared_ptr<const MarketData> m_data;
    std::shared_ptr<Evaluator> m_evaluator;
    PanelPtr m_target;
    DayRange m_train{30, 230};

    ExprPtr parse(const char* text) {
        auto e = parseFormula(text, parseOptionsFor(*m_data, false));
        if (!e.ok()) qFatal("%s", e.error().toString().c_str());
        return e.value();
    }
    ScoredFactor score(FactorScorer& s, const char* text) {
        auto f = s.score(parse(text));
        if (!f.ok()) qFatal("%s", f.error().toString().c_str());
        return f.value();
    }
    FactorScorer scorer() { return FactorScorer(m_evaluator, m_target, m_train); }

    void setUpMarket() {
        SyntheticSpec spec;
        spec.days = 260;
        spec.instruments = 60;
        spec.missingShare = 0.0;
        spec.seed = 11;
        auto data = std::make_shared<MarketData>(makeSyntheticMarket(spec));
        // A field defined on two instruments only: its daily Pearson is +-1 on every day.
        auto sparse = std::make_shared<Panel>(*data->field("close"));
        for (int t = 0; t < sparse->days(); ++t)
            for (int i = 2; i < sparse->instruments(); ++i) sparse->at(t, i) = kNaN;
        data->fields["sparse"] = sparse;
        // Fields missing on whole days, each on other days (a third of them): members whose daily
        // correlations average over different days.
        for (int k = 0; k < 2; ++k) {
            auto gap = std::make_shared<Panel>(*data->field(k == 0 ? "volume" : "high"));
            for (int t = 0; t < gap->days(); ++t)
                if (t % 3 == k)
                    for (int i = 0; i < gap->instruments(); ++i) gap->at(t, i) = kNaN;
            data->fields[k == 0 ? "gapA" : "gapB"] = gap;
        }
        m_data = data;
        m_evaluator = std::make_shared<Evaluator>(m_data);
        auto t = m_evaluator->evaluate("Ref($close, -5) / $close - 1", true);
        QVERIFY2(t.ok(), "the target does not evaluate");
        m_target = t.value();
    }
};

} // namespace pool_test

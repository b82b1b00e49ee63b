// The pre-check (FactorProbe): hand cases of each verdict, agreement with the full scorer on random
// formulas of the default grammar (it must reject most formulas the full evaluation finds empty or
// constant, and almost never a usable one), the scorer's accounting of rejections, and a search
// whose grammar builds nothing usable stopping on rejections.

#include "core/data/synthetic.h"
#include "core/eval/evaluator.h"
#include "core/eval/research_session.h"
#include "core/expr/parser.h"
#include "core/pool/factor_probe.h"
#include "core/search/random_search.h"
#include "core/search/token_env.h"

#include <QTest>

#include <random>

using namespace alphascope;

class TstFactorProbe : public QObject {
    Q_OBJECT

    std::shared_ptr<const MarketData> m_data;
    std::shared_ptr<Evaluator> m_evaluator;
    PanelPtr m_target;
    DayRange m_train{60, 300};

    ExprPtr parse(const char* text) {
        auto e = parseFormula(text, parseOptionsFor(*m_data, false));
        if (!e.ok()) qFatal("%s", e.error().toString().c_str());
        return e.value();
    }

private Q_SLOTS:
    void initTestCase() {
        SyntheticSpec spec;
        spec.days = 360;
        spec.instruments = 200;
        spec.missingShare = 0.01;
        spec.seed = 5;
        auto data = std::make_shared<MarketData>(makeSyntheticMarket(spec));
        // Defined on two instruments only: a spread every day, on 1 % of the cells.
        auto sliver = std::make_shared<Panel>(*data->field("close"));
        for (int t = 0; t < sliver->days(); ++t)
            for (int i = 2; i < sliver->instruments(); ++i) sliver->at(t, i) = kNaN;
        data->fields["sliver"] = sliver;
        data->fields["flat"] = std::make_shared<Panel>(spec.days, spec.instruments, 100.0f);
        m_data = data;
        m_evaluator = std::make_shared<Evaluator>(m_data);
        auto t = m_evaluator->evaluate("Ref($close, -5) / $close - 1", true);
        QVERIFY(t.ok());
        m_target = t.value();
    }

    void handCases() {
        const FactorProbe probe(*m_data, m_train);
        // 64 evenly spaced instruments plus the edges of each of the 9 fields (some coincide).
        QVERIFY(probe.sampledInstruments() >= FactorProbe::kSampleInstruments);
        QVERIFY(probe.sampledInstruments() <= FactorProbe::kSampleInstruments + 9 * 2 * FactorProbe::kEdgeInstruments);
        // Only the days up to the end of training are evaluated.
        QVERIFY(std::fabs(probe.relativeSize() - double(m_train.end) * probe.sampledInstruments() / (360.0 * 200.0)) <
                1e-12);

        QCOMPARE(probe.verdict(parse("Log(Mul($volume, -2))")), Unusable::Empty);
        QCOMPARE(probe.verdict(parse("Sign(Add(Abs($close), 1))")), Unusable::Constant);
        QCOMPARE(probe.verdict(parse("Less(-2, $open)")), Unusable::Constant);
        QCOMPARE(probe.verdict(parse("Greater(Sub(-2, $high), 2)")), Unusable::Constant);
        QCOMPARE(probe.verdict(parse("Mean($flat, 10)")), Unusable::Constant);
        // The two instruments of $sliver are the lowest index ones: the evenly spaced sample starts there.
        QCOMPARE(probe.verdict(parse("$sliver")), Unusable::Sparse);
        // Usable formulas pass, including comparisons that bind on part of the market.
        for (const char* ok : {"Mean(Div($close, Ref($close, 1)), 10)", "Std($volume, 20)", "CSRank($volume)",
                               "Corr($close, $volume, 20)", "Greater(Delta($close, 5), 0)"})
            QCOMPARE(probe.verdict(parse(ok)), Unusable::None);
        // Group operators are left to the full evaluation.
        QCOMPARE(probe.verdict(parse("Sign(GroupRank(Add(Abs($close), 1), sector))")), Unusable::None);
        // An evaluation error is left to the full evaluation, which reports it.
        QCOMPARE(probe.verdict(Expr::feature("nosuch")), Unusable::None);
    }

    void agreesWithTheFullEvaluation() {
        // Random formulas of the default grammar: the probe must catch most of those the full
        // evaluation finds empty or constant, and reject a usable one rarely.
        const FactorProbe probe(*m_data, m_train);
        FactorScorer full(m_evaluator, m_target, m_train);
        Grammar grammar = Grammar::defaults(*m_data);
        grammar.maxTokens = 12;
        const TokenVocabulary vocabulary(grammar);
        TokenBuilder builder(vocabulary);
        std::mt19937_64 rng(3);
        int emptyOrConstant = 0, caught = 0, usable = 0, usableRejected = 0, rejected = 0;
        for (int k = 0; k < 600; ++k) {
            const ExprPtr e = sampleRandomFormula(builder, rng);
            QVERIFY(e);
            const Unusable v = probe.verdict(e);
            // The same verdict from a second probe of the same data (deterministic).
            if (k < 50) QCOMPARE(FactorProbe(*m_data, m_train).verdict(e), v);
            auto f = full.score(e);
            QVERIFY2(f.ok(), e->toString().c_str());
            rejected += v != Unusable::None;
            if (f->usable()) {
                ++usable;
                if (v != Unusable::None) {
                    ++usableRejected;
                    qInfo("usable but rejected: %s (IC %.4f, coverage %.3f)", f->formula.c_str(), f->ic, f->coverage);
                }
            } else if (f->unusable == Unusable::Empty || f->unusable == Unusable::Constant) {
                ++emptyOrConstant;
                caught += v != Unusable::None;
            }
        }
        qInfo("%d usable (%d rejected), %d empty or constant (%d caught), %d rejected in all", usable, usableRejected,
              emptyOrConstant, caught, rejected);
        QVERIFY(emptyOrConstant >= 100); // the default grammar builds many (the reason for the probe)
        QVERIFY(caught >= 0.9 * emptyOrConstant);
        QVERIFY(usableRejected <= 0.01 * usable);
    }

    void scorerCountsRejections() {
        FactorScorer plain(m_evaluator, m_target, m_train);
        FactorScorer probed(m_evaluator, m_target, m_train);
        probed.setProbe(std::make_shared<FactorProbe>(*m_data, m_train));
        const ExprPtr constant = parse("Sign(Add(Abs($close), 1))");
        const ExprPtr good = parse("Mean(Div($close, Ref($close, 1)), 10)");
        auto batch = probed.scoreBatch({constant, good, constant});
        QVERIFY(batch[0].ok() && batch[0]->rejected && !batch[0]->usable() && !batch[0]->values);
        QCOMPARE(batch[0]->unusable, Unusable::Constant);
        QVERIFY(batch[1].ok() && !batch[1]->rejected && batch[1]->usable());
        QVERIFY(batch[2].ok() && batch[2]->rejected);
        // A rejection is not an evaluation, a failure or a distinct formula.
        QCOMPARE(probed.evaluations(), 1LL);
        QCOMPARE(probed.rejections(), 2LL);
        QCOMPARE(probed.rejectionCounts().constant, 2LL);
        QCOMPARE(probed.failures(), 0LL);
        QCOMPARE(probed.distinctFormulas(), 1LL);
        // A usable formula scores the same with or without the probe; a repeat from the recent
        // memory is a rejection again.
        auto g = plain.score(good);
        QVERIFY(g.ok());
        QCOMPARE(batch[1]->ic, g->ic);
        QVERIFY(probed.score(constant)->rejected);
        QCOMPARE(probed.rejections(), 3LL);
        // Without the probe the constant formula is a failed evaluation, counted by reason.
        QVERIFY(!plain.score(constant)->usable());
        QCOMPARE(plain.failures(), 1LL);
        QCOMPARE(plain.unusableCounts().constant, 1LL);
        QVERIFY(!plain.score(Expr::feature("nosuch")).ok());
        QCOMPARE(plain.unusableCounts().refused, 1LL);
        QCOMPARE(plain.unusableCounts().total(), plain.failures());
    }

    void searchStopsWhenNothingIsUsable() {
        // A constant field, and unary operators of it: every formula of this grammar is constant.
        auto session = makeResearchSession(m_data, SessionSpec{});
        QVERIFY(session.ok());
        SearchConfig c;
        c.algo = SearchAlgo::Random;
        c.budget.evaluations = 20;
        c.grammar.operators = {OpId::Sign, OpId::Log, OpId::Abs};
        c.grammar.features = {"flat"};
        c.grammar.windows = {10};
        c.grammar.maxTokens = 4;
        SearchFeedback feedback;
        auto r = runSearch(session.value(), c, feedback);
        QVERIFY(r.ok());
        QCOMPARE(r->evaluations, 0LL);
        QCOMPARE(r->rejections, SearchRun::kMaxRejectionsPerEvaluation * 20LL);
        QVERIFY2(r->stopReason.find("pre-check") != std::string::npos, r->stopReason.c_str());
        QVERIFY(r->pool.empty());
        // Without the pre-check the same run spends its budget on them.
        c.precheck = false;
        auto all = runSearch(session.value(), c, feedback);
        QVERIFY(all.ok());
        QCOMPARE(all->evaluations, 20LL);
        QCOMPARE(all->failedEvaluations, 20LL);
        QCOMPARE(all->unusable.constant + all->unusable.empty, 20LL);
        QCOMPARE(all->rejections, 0LL);
    }
};

QTEST_GUILESS_MAIN(TstFactorProbe)
#include "tst_factor_probe.moc"

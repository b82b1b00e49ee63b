// Tests of the GCN signal baseline: on a market whose target is the sector average of a feature (a
// signal that travels along the graph), the GCN over sector edges or over the correlation graph
// learns it where the instrument's own feature cannot; deterministic per seed; options checked.

#include "core/eval/research_session.h"
#include "core/metrics/factor_report.h"
#include "core/nn/gcn_signal.h"

#include "tests/support/graph_support.h"
#include "tests/support/test_support.h"

#include <QtTest/QtTest>

#include <cmath>
#include <random>

using namespace alphascope;

namespace {

/// Ten instruments in each of 8 blocks (blocks correlated through their returns, as the sectors);
/// $sig is noise, $y is the block's mean of $sig plus noise: the target is only visible through
/// the neighbours.
std::shared_ptr<const ResearchSession> propagatedMarket() {
    MarketData d = test::plantedBlocks(360, 8, 10, 1.0, 100000, 41);
    const int T = d.days(), N = d.instrumentCount();
    auto sig = std::make_shared<Panel>(T, N, kNaN), y = std::make_shared<Panel>(T, N, kNaN);
    std::mt19937_64 rng(42);
    std::normal_distribution<double> z(0.0, 1.0);
    for (int t = 0; t < T; ++t) {
        for (int i = 0; i < N; ++i) sig->at(t, i) = static_cast<float>(z(rng));
        for (int i = 0; i < N; ++i) {
            double m = 0;
            for (int j = i % 8; j < N; j += 8) m += sig->at(t, j) / 10.0;
            y->at(t, i) = static_cast<float>(m + 0.3 * z(rng));
        }
    }
    d.fields["sig"] = sig;
    d.fields["y"] = y;
    SessionSpec spec;
    spec.target = "$y";
    spec.splits = {{"train", d.calendar[70], d.calendar[239]},
                   {"valid", d.calendar[240], d.calendar[299]},
                   {"test", d.calendar[300], d.calendar[359]}};
    auto s = makeResearchSession(std::make_shared<const MarketData>(std::move(d)), spec);
    return s.ok() ? s.value() : nullptr;
}

double testIc(const ResearchSession& s, PanelPtr values) {
    auto r = analyzeValues(*s.evaluator, std::move(values), "gcn", s.targetValues, s.splits, AnalysisOptions{0, 5, 0});
    return r.ok() ? r->splits.back().ic : std::nan("");
}

} // namespace

class TestGcnSignal : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void learnsAGraphPropagatedSignal_data() {
        QTest::addColumn<int>("edges");
        QTest::newRow("sector") << int(graph::EdgeRule::Sector);
        QTest::newRow("knn") << int(graph::EdgeRule::Knn);
    }

    void learnsAGraphPropagatedSignal() {
        QFETCH(int, edges);
        auto s = propagatedMarket();
        QVERIFY(s);
        nn::GcnSignalOptions o;
        o.graph.rule = static_cast<graph::EdgeRule>(edges);
        o.graph.k = 9;
        o.features = {"$sig"};
        o.epochs = 15;
        o.learningRate = 5e-3;
        auto r = nn::trainGcnSignal(*s, o);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        // The block mean explains sqrt(0.1 / 0.19) = 0.73 of the target; the own value 0.1 / sqrt(0.19) = 0.23.
        const double gcn = testIc(*s, r->scores);
        auto own = s->evaluator->evaluate("$sig");
        QVERIFY(own.ok());
        const double alone = testIc(*s, own.value());
        QVERIFY2(gcn > 0.6 && gcn > alone + 0.3,
                 qPrintable(QStringLiteral("GCN %1, own feature %2").arg(gcn).arg(alone)));
        QVERIFY(r->bestEpoch >= 0 && r->bestEpoch < static_cast<int>(r->validIc.size()));
        QVERIFY(r->validIc[static_cast<std::size_t>(r->bestEpoch)] > 0.6);
        QVERIFY(!r->graph.empty());
    }

    void deterministicPerSeed() {
        auto s = propagatedMarket();
        nn::GcnSignalOptions o;
        o.features = {"$sig", "$close/Ref($close,5)-1"};
        o.epochs = 3;
        auto a = nn::trainGcnSignal(*s, o), b = nn::trainGcnSignal(*s, o);
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(a->validIc, b->validIc);
        const Panel& pa = *a->scores;
        const Panel& pb = *b->scores;
        for (int t = 0; t < pa.days(); ++t)
            for (int i = 0; i < pa.instruments(); ++i) QVERIFY(test::near(pa.at(t, i), pb.at(t, i), 0));
    }

    void badOptionsAreRefused() {
        auto s = propagatedMarket();
        nn::GcnSignalOptions o;
        o.features = {"Mean($nosuch, 5)"};
        auto r = nn::trainGcnSignal(*s, o);
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.find("feature 1") != std::string::npos);
        o.features = {"$sig"};
        o.groupName = "industry";
        QCOMPARE(nn::trainGcnSignal(*s, o).error().code, ErrorCode::NotFound);
        o.groupName = "sector";
        o.epochs = 0;
        QCOMPARE(nn::trainGcnSignal(*s, o).error().code, ErrorCode::InvalidArgument);
    }
};

QTEST_APPLESS_MAIN(TestGcnSignal)
#include "tst_gcn_signal.moc"

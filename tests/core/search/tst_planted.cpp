// Planted markets: the planted formula drives the next-day return with the IC its strength
// implies, keeps its values after the prices are rebuilt, and a level-dependent formula is refused.

#include "core/metrics/correlation.h"
#include "core/search/planted.h"
#include "tests/support/test_support.h"

#include <QTest>

using namespace alphascope;

class TestPlanted : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void signalShowsUpInTheTarget() {
        PlantedSpec spec;
        auto m = makePlantedMarket(spec);
        QVERIFY2(m.ok(), m.ok() ? "" : m.error().toString().c_str());
        QCOMPARE(m->formulas.size(), std::size_t(1));
        const double expected = spec.strength / std::sqrt(1.0 + spec.strength * spec.strength);
        // Sampling error of a mean of ~400 daily correlations over 120 names is about 0.005.
        QVERIFY2(std::fabs(m->realisedIc[0] - expected) < 0.03,
                 qPrintable(QString("realised IC %1, expected about %2").arg(m->realisedIc[0]).arg(expected)));
        // The session sees the same signal through its own evaluator and target.
        auto s = openPlantedSession(spec);
        QVERIFY(s.ok());
        QCOMPARE((*s)->horizon, 1);
        QCOMPARE((*s)->splits.size(), std::size_t(3));
        auto v = (*s)->evaluator->evaluate(m->formulas[0]);
        QVERIFY(v.ok());
        const Split& test = (*s)->splits.back();
        const double ic = seriesStats(dailyIc(*v.value(), *(*s)->targetValues, DayRange{test.begin, test.end})).mean;
        QVERIFY2(ic > 0.5 * expected, qPrintable(QString::number(ic)));
        // A formula nobody planted carries nothing.
        auto other = (*s)->evaluator->evaluate("Std($volume, 20)");
        QVERIFY(other.ok());
        QVERIFY(
            std::fabs(seriesStats(dailyIc(*other.value(), *(*s)->targetValues, DayRange{test.begin, test.end})).mean) <
            0.05);
    }

    void weightsAndSeveralFormulas() {
        PlantedSpec spec;
        spec.formulas = {"Div($open, $close)", "Div($volume, Mean($volume, 10))"};
        spec.weights = {1.0, -1.0};
        auto m = makePlantedMarket(spec);
        QVERIFY2(m.ok(), m.ok() ? "" : m.error().toString().c_str());
        QVERIFY(m->realisedIc[0] > 0.05);
        QVERIFY(m->realisedIc[1] < -0.05);
    }

    void badSpecs() {
        PlantedSpec spec;
        spec.formulas = {"Mean($close, 5)"}; // depends on the price level
        auto m = makePlantedMarket(spec);
        QVERIFY(!m.ok());
        QVERIFY(m.error().message.find("price level") != std::string::npos);
        spec.formulas = {"Mean($close, 5", "$open"};
        QVERIFY(!makePlantedMarket(spec).ok()); // weights do not match
        spec.weights = {1.0, 1.0};
        auto parse = makePlantedMarket(spec);
        QVERIFY(!parse.ok());
        QCOMPARE(parse.error().code, ErrorCode::Parse);
    }
};

QTEST_GUILESS_MAIN(TestPlanted)
#include "tst_planted.moc"

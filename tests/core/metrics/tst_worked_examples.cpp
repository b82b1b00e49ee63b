// The worked examples of ALGORITHMS.md §10, computed independently with pandas + numpy on the
// shared US dataset: the whole core road (loader, parser, evaluator, metrics) must agree to 1e-4.

#include "core/data/dataset.h"
#include "core/expr/parser.h"
#include "core/metrics/factor_report.h"

#include <QFile>
#include <QTest>

using namespace alphascope;

class TestWorkedExamples : public QObject {
    Q_OBJECT
    std::shared_ptr<const MarketData> m_data;
    std::unique_ptr<Evaluator> m_evaluator;
    PanelPtr m_target;
    std::vector<Split> m_splits;

private Q_SLOTS:
    void initTestCase() {
        const std::string dir = ALPHASCOPE_SHARED_DATA;
        if (!QFile::exists(QString::fromStdString(dir + "/prices.csv.xz")))
            QSKIP("shared US dataset not beside the repository");
        DatasetSpec spec;
        spec.path = dir + "/prices.csv.xz";
        spec.groupsPath = dir + "/sectors.csv";
        auto data = loadDataset(spec);
        QVERIFY2(data.ok(), data.ok() ? "" : data.error().toString().c_str());
        m_data = data.value();
        m_evaluator = std::make_unique<Evaluator>(m_data);
        auto target = m_evaluator->evaluate("Ref($close, -20) / $close - 1", true);
        QVERIFY(target.ok());
        m_target = target.value();
        auto splits =
            makeSplits(m_data->calendar, {{"all", Date::fromYmd(2016, 1, 1), Date::fromYmd(2019, 12, 31)}}, 20);
        QVERIFY(splits.ok());
        m_splits = splits.value();
    }

    // One row per line, each input beside what it should give:
    // clang-format off
    void formulas_data() {
        QTest::addColumn<QString>("formula");
        QTest::addColumn<double>("ic");
        QTest::addColumn<double>("rankIc");
        QTest::newRow("intraday range position") << "Div(Sub($close,$open),Sub($high,$low))" << -0.00728 << -0.00838;
        QTest::newRow("mean") << "Mean($close,20)" << 0.00652 << 0.01703;
        QTest::newRow("volatility") << "Std(Div($close,Ref($close,1)),20)" << 0.03531 << 0.01440;
        QTest::newRow("ts rank") << "Rank($close,20)" << -0.03376 << -0.03453;
        QTest::newRow("price-volume corr") << "Corr($close,$volume,10)" << -0.00996 << -0.00943;
        QTest::newRow("cs rank momentum") << "CSRank(Delta($close,20))" << -0.02323 << -0.02222;
    }
    // clang-format on
    void formulas() {
        QFETCH(QString, formula);
        QFETCH(double, ic);
        QFETCH(double, rankIc);
        auto e = parseFormula(formula.toStdString());
        QVERIFY(e.ok());
        AnalysisOptions o;
        o.decayHorizons = 0;
        auto r = analyzeFactor(*m_evaluator, e.value(), m_target, m_splits, o);
        QVERIFY(r.ok());
        const SplitMetrics& m = r.value().splits.front();
        QCOMPARE(m.first, Date::fromYmd(2016, 1, 4));
        QCOMPARE(m.icDays, 993);
        QVERIFY2(std::fabs(m.ic - ic) < 1e-4, qPrintable(QStringLiteral("IC %1 vs %2").arg(m.ic).arg(ic)));
        QVERIFY2(std::fabs(m.rankIc - rankIc) < 1e-4,
                 qPrintable(QStringLiteral("Rank IC %1 vs %2").arg(m.rankIc).arg(rankIc)));
    }

    void decayStartsAtTheTargetHorizonValue() {
        // IC decay at h = 20 is the IC against the default target itself.
        auto e = parseFormula("CSRank(Delta($close,20))");
        auto r = analyzeFactor(*m_evaluator, e.value(), m_target, m_splits);
        QVERIFY(r.ok());
        const SplitMetrics& m = r.value().splits.front();
        QCOMPARE(m.icDecay.size(), std::size_t(20));
        QVERIFY(std::fabs(m.icDecay[19] - m.ic) < 1e-9);
    }
};

QTEST_GUILESS_MAIN(TestWorkedExamples)
#include "tst_worked_examples.moc"

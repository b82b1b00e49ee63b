// analyzeValues: the measuring half of analyzeFactor, for values that are not one formula
// (combinations); it must measure exactly what analyzeFactor measures.

#include "core/eval/research_session.h"
#include "core/expr/parser.h"
#include "core/metrics/factor_report.h"
#include "core/pool/linear_combination.h"

#include <QTest>

#include <cmath>

using namespace alphascope;

namespace {

bool same(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

bool sameSeries(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t k = 0; k < a.size(); ++k)
        if (!same(a[k], b[k])) return false;
    return true;
}

} // namespace

class TestFactorReport : public QObject {
    Q_OBJECT
    std::shared_ptr<const ResearchSession> m_session;

    FactorReport mustAnalyze(const char* formula) {
        auto e = parseFormula(formula);
        if (!e.ok()) qFatal("%s", e.error().toString().c_str());
        auto r = analyzeFactor(*m_session->evaluator, e.value(), m_session->targetValues, m_session->splits);
        if (!r.ok()) qFatal("%s", r.error().toString().c_str());
        return std::move(r.value());
    }

private Q_SLOTS:
    void initTestCase() {
        SessionSpec spec;
        spec.dataset = bundledSampleSpec();
        auto s = openResearchSession(spec);
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().toString().c_str());
        m_session = s.value();
        QVERIFY(m_session->splits.size() >= 2);
    }

    // One row per line, each input beside what it should give:
    // clang-format off
    void analyzeValuesMeasuresWhatAnalyzeFactorDoes_data() {
        QTest::addColumn<QString>("formula");
        QTest::addColumn<bool>("dimensionWarning");
        QTest::newRow("range position") << "Div(Sub($close,$open),Sub($high,$low))" << false;
        QTest::newRow("price plus volume") << "Add($close, $volume)" << true;
    }
    // clang-format on
    void analyzeValuesMeasuresWhatAnalyzeFactorDoes() {
        QFETCH(QString, formula);
        QFETCH(bool, dimensionWarning);
        const FactorReport f = mustAnalyze(formula.toUtf8().constData());
        auto v = analyzeValues(*m_session->evaluator, f.values, "my label", m_session->targetValues, m_session->splits);
        QVERIFY2(v.ok(), v.ok() ? "" : v.error().toString().c_str());
        QCOMPARE(v->formula, std::string("my label"));
        QVERIFY(v->values == f.values);
        QVERIFY(v->dimension.violations.empty());
        QVERIFY(sameSeries(v->dailyIc, f.dailyIc));
        QVERIFY(sameSeries(v->dailyRankIc, f.dailyRankIc));
        QCOMPARE(v->splits.size(), f.splits.size());
        for (std::size_t k = 0; k < f.splits.size(); ++k) {
            const SplitMetrics &a = v->splits[k], &b = f.splits[k];
            QCOMPARE(a.name, b.name);
            QCOMPARE(a.icDays, b.icDays);
            QVERIFY(same(a.ic, b.ic) && same(a.rankIc, b.rankIc) && same(a.icir, b.icir) &&
                    same(a.rankIcir, b.rankIcir));
            QVERIFY(same(a.coverage, b.coverage) && same(a.turnover, b.turnover) &&
                    same(a.autocorrelation, b.autocorrelation));
            QVERIFY(sameSeries(a.icDecay, b.icDecay));
            QCOMPARE(a.icDecay.size(), std::size_t(20));
            QVERIFY(sameSeries(a.quantileReturns, b.quantileReturns));
            QCOMPARE(a.histogram.counts, b.histogram.counts);
        }
        // analyzeFactor = analyzeValues + the dimension check, whose warnings come last.
        QCOMPARE(f.dimension.violations.empty(), !dimensionWarning);
        QCOMPARE(f.warnings.size(), v->warnings.size() + f.dimension.violations.size());
        if (dimensionWarning) QVERIFY(f.warnings.back().rfind("dimension: ", 0) == 0);
    }

    void aCombinationCanBeAnalysed() {
        const FactorReport a = mustAnalyze("Div(Sub($close,$open),Sub($high,$low))");
        const FactorReport b = mustAnalyze("CSRank(Delta($close,20))");
        const Split& train = m_session->splits.front();
        auto c = combineFactors({a.values, b.values}, *m_session->targetValues, DayRange{train.begin, train.end},
                                CombineMethod::LeastSquares);
        QVERIFY(c.ok());
        auto r =
            analyzeValues(*m_session->evaluator, c->values, "combination", m_session->targetValues, m_session->splits);
        QVERIFY(r.ok());
        // Least squares maximises the in-sample IC of the combination (to first order): not below either
        // part.
        const double best = std::max(std::fabs(a.splits.front().ic), std::fabs(b.splits.front().ic));
        QVERIFY2(r->splits.front().ic >= best - 1e-3,
                 qPrintable(QStringLiteral("%1 vs %2").arg(r->splits.front().ic).arg(best)));
    }

    void wrongValuesAreErrors() {
        const Evaluator& ev = *m_session->evaluator;
        auto none = analyzeValues(ev, nullptr, "x", m_session->targetValues, m_session->splits);
        QVERIFY(!none.ok());
        QCOMPARE(none.error().code, ErrorCode::InvalidArgument);
        auto small = std::make_shared<const Panel>(3, 2);
        auto wrong = analyzeValues(ev, small, "x", m_session->targetValues, m_session->splits);
        QVERIFY(!wrong.ok());
        QCOMPARE(wrong.error().code, ErrorCode::InvalidArgument);
    }
};

QTEST_GUILESS_MAIN(TestFactorReport)
#include "tst_factor_report.moc"

// Qlib expressions: hand cases for every operator (twins, exact rewrites, flagged ones), the
// rewrites computing the same values as the originals, WMA against Qlib's own formula, and the
// expression list with its comment lines.

#include "core/io/factor_set.h"
#include "core/io/qlib_expression.h"

#include "tests/core/io/factor_set_fixture.h"
#include "tests/support/test_support.h"

#include <QTest>

#include <cmath>

using namespace alphascope;

namespace {

ExprPtr mustParse(const QString& text) {
    auto e = parseFormula(text.toStdString());
    if (!e.ok()) qFatal("%s: %s", qPrintable(text), e.error().toString().c_str());
    return e.value();
}

} // namespace

class TestQlibExpression : public QObject {
    Q_OBJECT
    std::shared_ptr<const ResearchSession> m_session;

private Q_SLOTS:
    void initTestCase() { m_session = test::syntheticSession(); }

    void conversion_data() {
        QTest::addColumn<QString>("formula");
        QTest::addColumn<QString>("qlib");    // expected text, empty when flagged
        QTest::addColumn<QString>("blocker"); // expected blocker when flagged
        // Twins: same name, same numbers on full windows.
        QTest::newRow("field") << "$close"
                               << "$close"
                               << "";
        QTest::newRow("elementwise") << "Div(Sub($close,$open),Sub($high,$low))"
                                     << "Div(Sub($close, $open), Sub($high, $low))"
                                     << "";
        QTest::newRow("abs sign log") << "Abs(Sign(Log($volume)))"
                                      << "Abs(Sign(Log($volume)))"
                                      << "";
        QTest::newRow("greater less") << "Greater($open, Less($close, 2.5))"
                                      << "Greater($open, Less($close, 2.5))"
                                      << "";
        QTest::newRow("pow constant") << "Pow($close, 2)"
                                      << "Power($close, 2)"
                                      << "";
        QTest::newRow("ref") << "Ref($close, 5)"
                             << "Ref($close, 5)"
                             << "";
        QTest::newRow("rolling") << "Mean(Std(Delta($close, 1), 10), 5)"
                                 << "Mean(Std(Delta($close, 1), 10), 5)"
                                 << "";
        QTest::newRow("order stats") << "Add(Rank($close, 10), Sub(Med($close, 6), Mad($close, 7)))"
                                     << "Add(Rank($close, 10), Sub(Med($close, 6), Mad($close, 7)))"
                                     << "";
        QTest::newRow("moments") << "Mul(Skew($close, 5), Kurt($volume, 8))"
                                 << "Mul(Skew($close, 5), Kurt($volume, 8))"
                                 << "";
        QTest::newRow("sum var max min") << "Sub(Sum(Var($close, 5), 3), Sub(Max($high, 4), Min($low, 4)))"
                                         << "Sub(Sum(Var($close, 5), 3), Sub(Max($high, 4), Min($low, 4)))"
                                         << "";
        QTest::newRow("pair rolling") << "Corr($close, Cov($open, $volume, 5), 20)"
                                      << "Corr($close, Cov($open, $volume, 5), 20)"
                                      << "";
        // Exact rewrites with Qlib's operators.
        QTest::newRow("ref 0") << "Ref($close, 0)"
                               << "$close"
                               << "";
        QTest::newRow("neg") << "Neg($close)"
                             << "Mul($close, -1)"
                             << "";
        QTest::newRow("inv") << "Inv($volume)"
                             << "Div(1, $volume)"
                             << "";
        QTest::newRow("slog1p") << "SLog1p(Delta($volume, 1))"
                                << "Mul(Sign(Delta($volume, 1)), Log(Add(Abs(Delta($volume, 1)), 1)))"
                                << "";
        QTest::newRow("sqrt") << "Sqrt(Delta($close, 1))"
                              << "Mul(Sign(Delta($close, 1)), Power(Abs(Delta($close, 1)), 0.5))"
                              << "";
        QTest::newRow("ir") << "IR($close, 20)"
                            << "Div(Mean($close, 20), Std($close, 20))"
                            << "";
        QTest::newRow("maxdiff") << "MaxDiff($close, 10)"
                                 << "Sub($close, Max($close, 10))"
                                 << "";
        QTest::newRow("mindiff") << "MinDiff($close, 10)"
                                 << "Sub($close, Min($close, 10))"
                                 << "";
        QTest::newRow("minmaxdiff") << "MinMaxDiff($close, 10)"
                                    << "Sub(Max($close, 10), Min($close, 10))"
                                    << "";
        QTest::newRow("tsdiv") << "TsDiv($volume, 5)"
                               << "Div($volume, Mean($volume, 5))"
                               << "";
        QTest::newRow("pctchange") << "PctChange($close, 3)"
                                   << "Sub(Div($close, Ref($close, 3)), 1)"
                                   << "";
        QTest::newRow("argmax") << "ArgMax($close, 10)"
                                << "IdxMax($close, 10)"
                                << "";
        QTest::newRow("idxmin alias") << "IdxMin($close, 10)"
                                      << "IdxMin($close, 10)"
                                      << "";
        QTest::newRow("wma") << "WMA($close, 10)"
                             << "Mul(WMA($close, 10), 10)"
                             << "";
        // No Qlib twin: flagged, never rewritten.
        QTest::newRow("ema") << "EMA($close, 10)"
                             << ""
                             << "EMA";
        QTest::newRow("csrank") << "CSRank($close)"
                                << ""
                                << "CSRank";
        QTest::newRow("nested cszscore") << "Add($close, Mean(CSZScore($volume), 5))"
                                         << ""
                                         << "CSZScore";
        QTest::newRow("csdemean") << "CSDemean($close)"
                                  << ""
                                  << "CSDemean";
        QTest::newRow("csscale") << "CSScale($close)"
                                 << ""
                                 << "CSScale";
        QTest::newRow("group") << "GroupRank($close, sector)"
                               << ""
                               << "GroupRank";
        QTest::newRow("group demean") << "GroupDemean($close, sector)"
                                      << ""
                                      << "GroupDemean";
        QTest::newRow("series exponent") << "Pow($close, $open)"
                                         << ""
                                         << "Pow with a series exponent";
        QTest::newRow("constant base") << "Pow(2, $close)"
                                       << ""
                                       << "Pow with a series exponent";
        QTest::newRow("constant power") << "Add($close, Pow(2, 3))"
                                        << ""
                                        << "Pow of a constant";
        QTest::newRow("rolling constant") << "Add($close, Mean(Add(1, 2), 5))"
                                          << ""
                                          << "Mean";
        QTest::newRow("unary constant") << "Add($close, Abs(-2))"
                                        << ""
                                        << "Abs";
    }
    void conversion() {
        QFETCH(QString, formula);
        QFETCH(QString, qlib);
        QFETCH(QString, blocker);
        const QlibExpression q = toQlibExpression(*mustParse(formula));
        QCOMPARE(QString::fromStdString(q.text), qlib);
        QCOMPARE(QString::fromStdString(q.blocker), blocker);
        QCOMPARE(q.ok(), blocker.isEmpty());
        QCOMPARE(q.reason.empty(), blocker.isEmpty());
    }

    void constantFormulaIsFlagged() {
        // The parser refuses a formula without a field, but a builder can make one.
        const QlibExpression q = toQlibExpression(*Expr::op(OpId::Add, {Expr::constant(1), Expr::constant(2)}));
        QVERIFY(!q.ok());
        QCOMPARE(q.blocker, std::string("no field"));
        QVERIFY(q.text.empty());
    }

    // One row per line, each input beside what it should give:
    // clang-format off
    void rewritesComputeTheSameValues_data() {
        QTest::addColumn<QString>("formula");
        // Panels are float32 between operators: a rewrite that rounds an intermediate near `scale`
        // (PctChange's ratio near 1) can move the result by float32's epsilon times that scale.
        QTest::addColumn<double>("scale");
        for (const char* f :
             {"Ref($close, 0)", "Neg($close)", "Inv($volume)", "SLog1p(Delta($volume, 1))",
              "Sqrt(Delta($close, 1))", "IR($close, 20)", "MaxDiff($close, 10)", "MinDiff($close, 10)",
              "MinMaxDiff($close, 10)", "TsDiv($volume, 5)", "ArgMax($close, 10)", "Pow($close, 2)"})
            QTest::newRow(f) << f << 0.0;
        QTest::newRow("PctChange($close, 3)") << "PctChange($close, 3)" << 1.0;
    }
    // clang-format on
    void rewritesComputeTheSameValues() {
        // The rewrite uses only twins, which our parser reads with our (equal) semantics: the values
        // must not move.
        QFETCH(QString, formula);
        QFETCH(double, scale);
        const QlibExpression q = toQlibExpression(*mustParse(formula));
        QVERIFY(q.ok());
        const Evaluator& ev = *m_session->evaluator;
        auto original = ev.evaluate(mustParse(formula));
        auto rewritten = ev.evaluate(mustParse(QString::fromStdString(q.text)));
        QVERIFY(original.ok() && rewritten.ok());
        const Panel &a = *original.value(), &b = *rewritten.value();
        int finite = 0;
        for (int t = 0; t < a.days(); ++t)
            for (int i = 0; i < a.instruments(); ++i) {
                const double x = a.at(t, i), y = b.at(t, i);
                QVERIFY2(std::isnan(x) == std::isnan(y),
                         qPrintable(QStringLiteral("day %1, %2: %3 vs %4").arg(t).arg(i).arg(x).arg(y)));
                if (std::isnan(x)) continue;
                ++finite;
                QVERIFY2(std::fabs(x - y) <= 1e-6 * std::max(std::fabs(x), scale),
                         qPrintable(
                             QStringLiteral("day %1, %2: %3 vs %4").arg(t).arg(i).arg(x, 0, 'g', 9).arg(y, 0, 'g', 9)));
            }
        QVERIFY(finite > a.days() * a.instruments() / 2);
    }

    void wmaMatchesQlibsOwnFormula() {
        // Qlib: w = arange(N) + 1; w /= w.sum(); nanmean(w * x). Times N it is our WMA on full windows.
        const int n = 10;
        const Panel& close = *m_session->data->field("close");
        const Panel& ours = *m_session->evaluator->evaluate(mustParse("WMA($close, 10)")).value();
        int checked = 0;
        for (int t = n - 1; t < close.days(); ++t)
            for (int i = 0; i < close.instruments(); ++i) {
                double qlib = 0.0;
                bool full = true;
                for (int k = 0; k < n; ++k) {
                    const double x = close.at(t - n + 1 + k, i);
                    full = full && std::isfinite(x);
                    qlib += (k + 1.0) / (0.5 * n * (n + 1)) * x;
                }
                if (!full) continue;
                qlib /= n; // nanmean over the N products
                CHECK_NEAR(double(ours.at(t, i)), qlib * n, 1e-6);
                ++checked;
            }
        QVERIFY(checked > 1000);
    }

    void listFlagsWhatItCannotHold() {
        FactorSet set;
        for (const char* f : {"Mean($close, 5)", "CSRank(Delta($close, 5))", "Neg(EMA($volume, 10))"}) {
            FactorRecord r;
            r.name = r.formula = f;
            set.members.push_back(FactorSetMember{r});
        }
        auto q = qlibExpressionList(set);
        QVERIFY(q.ok());
        QCOMPARE(q->expressions, 1);
        QCOMPARE(q->flagged.size(), std::size_t(2));
        QCOMPARE(q->flagged[0].index, std::size_t(1));
        QCOMPARE(q->flagged[0].blocker, std::string("CSRank"));
        QCOMPARE(q->flagged[1].blocker, std::string("EMA"));
        QStringList lines = QString::fromStdString(q->text).split('\n', Qt::SkipEmptyParts);
        QStringList body;
        for (const QString& l : lines)
            if (!l.startsWith("# AlphaScope") && !l.startsWith("# Qlib fills") && !l.startsWith("# the values"))
                body << l;
        QCOMPARE(body,
                 QStringList({"Mean($close, 5)", "# not expressible in Qlib: CSRank(Delta($close, 5)) (uses CSRank)",
                              "# not expressible in Qlib: Neg(EMA($volume, 10)) (uses EMA)"}));
        // A formula that does not parse is an error naming the factor, not a silent comment.
        FactorRecord bad;
        bad.name = bad.formula = "Mean($close";
        set.members.push_back(FactorSetMember{bad});
        auto e = qlibExpressionList(set);
        QVERIFY(!e.ok());
        QCOMPARE(e.error().where, std::string("factor 4"));
    }
};

QTEST_GUILESS_MAIN(TestQlibExpression)
#include "tst_qlib_expression.moc"

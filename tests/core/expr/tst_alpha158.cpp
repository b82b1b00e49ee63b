// Qlib's Alpha158, as an analyst pastes it: all 158 expressions parse in Qlib's text, evaluate on
// the bundled sample, export back to Qlib's syntax, and the export parses again to the same values.

#include "core/data/dataset.h"
#include "core/eval/evaluator.h"
#include "core/expr/parser.h"
#include "core/io/qlib_expression.h"
#include "core/search/grammar.h"

#include "tests/support/alpha158.h"

#include <QtTest/QtTest>

#include <cmath>
#include <set>

using namespace alphascope;

class TestAlpha158 : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesEvaluatesAndRoundTrips() {
        const auto list = test::alpha158();
        QCOMPARE(list.size(), std::size_t(158));
        std::set<std::string> names;
        for (const auto& [name, text] : list) names.insert(name);
        QCOMPARE(names.size(), std::size_t(158));

        auto data = loadDataset(bundledSampleSpec());
        QVERIFY2(data.ok(), data.ok() ? "" : data.error().message.c_str());
        Evaluator evaluator(data.value());
        const ParseOptions options = parseOptionsFor(*data.value(), false);
        int parsed = 0, evaluated = 0;
        for (const auto& [name, text] : list) {
            auto e = parseFormula(text, options);
            QVERIFY2(e.ok(), qPrintable(QString::fromStdString(name + ": " + text + ": ") +
                                        QString::fromStdString(e.ok() ? std::string() : e.error().toString())));
            ++parsed;
            auto values = evaluator.evaluate(e.value());
            QVERIFY2(values.ok(), name.c_str());
            int finite = 0;
            for (float v : values.value()->storage()) finite += std::isfinite(v) ? 1 : 0;
            // Defined on most cells (windows up to 60 days of 1,259; constant windows make some NaN).
            QVERIFY2(finite > static_cast<int>(values.value()->size() / 2), name.c_str());
            ++evaluated;
            // Back to Qlib's syntax, and that text parses to the same values.
            const QlibExpression q = toQlibExpression(*e.value());
            QVERIFY2(q.blocker.empty(), qPrintable(QString::fromStdString(name + ": " + q.blocker + " " + q.reason)));
            auto again = parseFormula(q.text, options);
            QVERIFY2(again.ok(), qPrintable(QString::fromStdString(name + ": " + q.text)));
            auto valuesAgain = evaluator.evaluate(again.value());
            QVERIFY(valuesAgain.ok());
            const Panel& a = *values.value();
            const Panel& b = *valuesAgain.value();
            for (std::size_t k = 0; k < a.size(); ++k) {
                const float u = a.storage()[k], v = b.storage()[k];
                const bool same =
                    (std::isnan(u) && std::isnan(v)) || std::fabs(u - v) <= 1e-5f * std::max(1.0f, std::fabs(u));
                if (!same)
                    QFAIL(qPrintable(QString::fromStdString(name + " exported as " + q.text) +
                                     QStringLiteral(": %1 vs %2").arg(u).arg(v)));
            }
        }
        QCOMPARE(parsed, 158);
        QCOMPARE(evaluated, 158);
        qInfo("Alpha158: %d of 158 parse, evaluate and round-trip through Qlib's syntax", evaluated);
    }

    void quantileIsNotSearched() {
        // A search cannot choose Quantile's q: a grammar that lists it is refused with the reason.
        auto data = loadDataset(bundledSampleSpec());
        QVERIFY(data.ok());
        Grammar g = Grammar::defaults(*data.value());
        g.operators.push_back(OpId::Quantile);
        const auto v = g.validate(*data.value());
        QVERIFY(!v.ok());
        QVERIFY(QString::fromStdString(v.error().message).contains(QStringLiteral("number parameter")));
    }
};

QTEST_GUILESS_MAIN(TestAlpha158)
#include "tst_alpha158.moc"

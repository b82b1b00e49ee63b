// The 101 Formulaic Alphas, pasted as printed in the paper: all 101 parse in WorldQuant's notation
// and print back to the same formulas; on the bundled sample every one parses or fails with an error
// that names the data it needs (cap, a subindustry grouping), and those that parse evaluate.

#include "core/data/dataset.h"
#include "core/eval/evaluator.h"
#include "core/expr/operator_registry.h"
#include "core/expr/parser.h"
#include "core/expr/worldquant.h"
#include "core/search/grammar.h"

#include "tests/support/alpha101.h"

#include <QtTest/QtTest>

#include <algorithm>
#include <cctype>
#include <cmath>

using namespace alphascope;

namespace {

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

/// What the formula needs that the bundled sample (open high low close volume, vwap derived,
/// sector and industry) lacks, read from its text: "cap", "subindustry" or nothing.
std::string missingNeed(const std::string& text) {
    const std::string t = lower(text);
    if (t.find("cap") != std::string::npos) return "cap";
    if (t.find("indclass.subindustry") != std::string::npos) return "subindustry";
    return {};
}

} // namespace

class TestAlpha101 : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void allParseAndPrintBack() {
        const auto list = test::alpha101();
        QCOMPARE(list.size(), std::size_t(101));
        ParseOptions wq;
        wq.notation = Notation::WorldQuant;
        int parsed = 0;
        for (const auto& [name, text] : list) {
            QCOMPARE(detectNotation(text), Notation::WorldQuant); // no $ field: read as WorldQuant's
            auto e = parseFormula(text);
            QVERIFY2(e.ok(),
                     qPrintable(QString::fromStdString(name + ": " + (e.ok() ? std::string() : e.error().toString()))));
            ++parsed;
            // Either notation prints a text that parses back to the same formula.
            const std::string printed = toWorldQuant(*e.value());
            auto back = parseFormula(printed, wq);
            QVERIFY2(back.ok() && back.value()->equals(*e.value()),
                     qPrintable(QString::fromStdString(name + ": " + printed)));
            auto qlib = parseFormula(e.value()->toString());
            QVERIFY2(qlib.ok() && qlib.value()->equals(*e.value()),
                     qPrintable(QString::fromStdString(name + ": " + e.value()->toString())));
        }
        QCOMPARE(parsed, 101);
        qInfo("Alpha101: %d of 101 parse and print back in both notations", parsed);
    }

    void handTranslations() {
        // Read by hand from the paper's definitions (A.2): rank = cross-sectional rank, Ts_Rank =
        // rank over time, d = floor(d), adv20 = mean dollar volume, x ? y : z, SignedPower.
        const auto list = test::alpha101();
        auto qlib = [&](int k) {
            return parseFormula(list[static_cast<std::size_t>(k - 1)].second).value()->toString();
        };
        QCOMPARE(
            qlib(1),
            std::string("Sub(CSRank(ArgMax(SignedPower(If(Lt(PctChange($close, 1), 0), Std(PctChange($close, 1), 20), "
                        "$close), 2), 5)), 0.5)"));
        QCOMPARE(qlib(3), std::string("Mul(-1, Corr(CSRank($open), CSRank($volume), 10))"));
        QCOMPARE(qlib(4), std::string("Mul(-1, Rank(CSRank($low), 9))"));
        QCOMPARE(
            qlib(7),
            std::string("If(Lt(Mean(Mul($close, $volume), 20), $volume), Mul(Mul(-1, Rank(Abs(Delta($close, 7)), 60)), "
                        "Sign(Delta($close, 7))), Mul(-1, 1))"));
        QCOMPARE(qlib(101), std::string("Div(Sub($close, $open), Add(Sub($high, $low), 0.001))"));
    }

    void evaluateOnTheSample() {
        auto data = loadDataset(bundledSampleSpec());
        QVERIFY2(data.ok(), data.ok() ? "" : data.error().message.c_str());
        Evaluator evaluator(data.value());
        const ParseOptions options = parseOptionsFor(*data.value(), false);
        int evaluated = 0, refused = 0;
        QStringList sparse; // values on fewer than half the days after the history
        for (const auto& [name, text] : test::alpha101()) {
            auto e = parseFormula(text, options);
            const std::string need = missingNeed(text);
            if (!need.empty()) { // refused, with an error that names what is missing
                QVERIFY2(!e.ok(), name.c_str());
                QCOMPARE(e.error().code, ErrorCode::Semantic);
                QVERIFY2(e.error().message.find(need) != std::string::npos, (name + ": " + e.error().message).c_str());
                QVERIFY(e.error().column > 0);
                ++refused;
                continue;
            }
            QVERIFY2(e.ok(),
                     qPrintable(QString::fromStdString(name + ": " + (e.ok() ? std::string() : e.error().toString()))));
            auto values = evaluator.evaluate(e.value());
            QVERIFY2(values.ok(), name.c_str());
            // Defined somewhere on every day after the longest history (some alphas are sparse by
            // design, e.g. a ternary that is NaN where its condition is).
            const Panel& p = *values.value();
            int finiteDays = 0;
            for (int t = 0; t < p.days(); ++t) {
                int finite = 0;
                for (int i = 0; i < p.instruments(); ++i) finite += std::isfinite(p.at(t, i)) ? 1 : 0;
                finiteDays += finite > 0 ? 1 : 0;
            }
            const int history = e.value()->historyDays();
            if (finiteDays < (p.days() - history) / 2)
                sparse << QStringLiteral("%1 (%2 days)").arg(QString::fromStdString(name)).arg(finiteDays);
            ++evaluated;
        }
        QCOMPARE(evaluated + refused, 101);
        // Full windows propagate NaN, and Corr is NaN on a constant window: an alpha that takes a
        // 3-day correlation of time-series ranks (constant more often than not) under a 12-day
        // window of it has almost no value. Such alphas are few; the rest have values on most days.
        qInfo("sparse: %s", qPrintable(sparse.join(QStringLiteral(", "))));
        QVERIFY2(sparse.size() * 10 <= evaluated, qPrintable(sparse.join(QStringLiteral(", "))));
        qInfo("Alpha101 on the sample: %d evaluate, %d need data it does not have (cap, a subindustry grouping)",
              evaluated, refused);
    }

    void newOperatorsInGrammars() {
        // SignedPower and Product can be added to a search's grammar; If (three series) and
        // ChangeInstrument (an instrument code) cannot be built by the searches, and say so.
        auto data = loadDataset(bundledSampleSpec());
        QVERIFY(data.ok());
        for (OpId op : {OpId::SignedPower, OpId::Product}) {
            Grammar g = Grammar::defaults(*data.value());
            g.operators.push_back(op);
            QVERIFY2(g.validate(*data.value()).ok(), std::string(operatorSpec(op).name).c_str());
        }
        for (auto [op, why] :
             {std::pair{OpId::If, "three series"}, std::pair{OpId::ChangeInstrument, "instrument code"}}) {
            Grammar g = Grammar::defaults(*data.value());
            g.operators.push_back(op);
            const auto v = g.validate(*data.value());
            QVERIFY(!v.ok());
            QVERIFY2(v.error().message.find(why) != std::string::npos, v.error().message.c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestAlpha101)
#include "tst_alpha101.moc"

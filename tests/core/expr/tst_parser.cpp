// Parser and printer: round trips over every operator, infix input, located errors, dimensions.

#include "core/expr/dimension.h"
#include "core/expr/operator_registry.h"
#include "core/expr/parser.h"
#include "core/expr/worldquant.h"

#include <QTest>

#include <functional>
#include <iterator>
#include <random>

using namespace alphascope;

class TestParser : public QObject {
    Q_OBJECT
private:
    static ExprPtr mustParse(const QString& text, bool target = false) {
        ParseOptions o;
        o.allowFuture = target;
        auto r = parseFormula(text.toStdString(), o);
        if (!r.ok()) qFatal("parse failed for %s: %s", qPrintable(text), r.error().toString().c_str());
        return r.value();
    }

    /// One formula with the operator at its root, built from the registry.
    static ExprPtr sampleOf(const OperatorSpec& spec) {
        std::vector<ExprPtr> args;
        args.push_back(Expr::op(OpId::Div, {Expr::feature("close"), Expr::feature("open")}));
        if (spec.seriesArity >= 2) args.push_back(Expr::feature("volume"));
        if (spec.seriesArity == 3) args.push_back(Expr::op(OpId::Neg, {Expr::feature("high")}));
        if (spec.hasParameter) return Expr::opWithParameter(spec.id, args, 20, 0.25);
        return Expr::op(spec.id, args, spec.hasWindow ? 20 : 0,
                        spec.hasGroup        ? "sector"
                        : spec.hasInstrument ? "^GSPC"
                                             : "");
    }

private Q_SLOTS:
    void roundTripEveryOperator() {
        // Build one formula per operator from the registry itself, print, parse, compare.
        int checked = 0;
        for (const OperatorSpec& spec : allOperators()) {
            const ExprPtr e = sampleOf(spec);
            const std::string text = e->toString();
            auto parsed = parseFormula(text);
            QVERIFY2(parsed.ok(), (text + " -> " + (parsed.ok() ? "" : parsed.error().toString())).c_str());
            QVERIFY2(parsed.value()->equals(*e), text.c_str());
            QCOMPARE(parsed.value()->hash(), e->hash());
            QCOMPARE(parsed.value()->toString(), text);
            ++checked;
        }
        QCOMPARE(checked, kOpCount);
    }

    void roundTripConstants_data() {
        QTest::addColumn<double>("value");
        for (double v : {0.01, -0.01, 0.5, -0.5, 1.0, -1.0, 2.0, 5.0, 10.0, 30.0, -30.0, 1e-7, 123456.789, 0.1 + 0.2})
            QTest::newRow(QByteArray::number(v, 'g', 17).constData()) << v;
    }
    void roundTripConstants() {
        QFETCH(double, value);
        const ExprPtr e = Expr::op(OpId::Mul, {Expr::feature("close"), Expr::constant(value)});
        auto parsed = parseFormula(e->toString());
        QVERIFY(parsed.ok());
        QVERIFY(parsed.value()->equals(*e));
        QCOMPARE(parsed.value()->arg(1)->value(), value);
    }

    // One row per line, each input beside what it should give:
    // clang-format off
    void infixAndPrecedence_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("printed");
        QTest::newRow("precedence") << "$close + $open * 2" << "Add($close, Mul($open, 2))";
        QTest::newRow("left assoc") << "$close - $open - $high" << "Sub(Sub($close, $open), $high)";
        QTest::newRow("parens") << "($close - $open) / ($high - $low)" << "Div(Sub($close, $open), Sub($high, $low))";
        QTest::newRow("unary minus field") << "-$close" << "Neg($close)";
        QTest::newRow("negative constant") << "$close * -2" << "Mul($close, -2)";
        QTest::newRow("target") << "Ref($close, -20) / $close - 1" << "Sub(Div(Ref($close, -20), $close), 1)";
        QTest::newRow("alias") << "TsMean($close, 10)" << "Mean($close, 10)";
        QTest::newRow("window suffix d") << "Std($close, 20d)" << "Std($close, 20)";
        QTest::newRow("compact") << "Div(Sub($close,$open),Sub($high,$low))" << "Div(Sub($close, $open), Sub($high, $low))";
        QTest::newRow("group") << "GroupRank(Delta($close,5),industry)" << "GroupRank(Delta($close, 5), industry)";
        QTest::newRow("nested unary") << "--$close" << "Neg(Neg($close))";
        // Qlib's infix comparisons and logic, with Python's precedence (comparison < | < & < + < *).
        QTest::newRow("gt") << "$close > $open" << "Gt($close, $open)";
        QTest::newRow("ge lag") << "$close >= Ref($close, 1)" << "Ge($close, Ref($close, 1))";
        QTest::newRow("lt le") << "$low < $open * 0.99" << "Lt($low, Mul($open, 0.99))";
        QTest::newRow("le") << "$low <= $close" << "Le($low, $close)";
        QTest::newRow("eq ne") << "$close == $open" << "Eq($close, $open)";
        QTest::newRow("ne") << "$close != $open" << "Ne($close, $open)";
        QTest::newRow("arith binds tighter") << "$close - $open > $high - $low" << "Gt(Sub($close, $open), Sub($high, $low))";
        QTest::newRow("and") << "($close > $open) & ($volume > 0)" << "And(Gt($close, $open), Gt($volume, 0))";
        QTest::newRow("and before or") << "($close > $open) | ($close < $open) & ($volume > 0)"
                                       << "Or(Gt($close, $open), And(Lt($close, $open), Gt($volume, 0)))";
        QTest::newRow("alpha158 cntp") << "Mean($close>Ref($close, 1), 5)" << "Mean(Gt($close, Ref($close, 1)), 5)";
        QTest::newRow("qlib functions") << "Slope($close, 10)/$close" << "Div(Slope($close, 10), $close)";
        QTest::newRow("rsqr resi count") << "Rsquare($close, 5) + Resi($close, 5) + Count($volume, 5)"
                                         << "Add(Add(Rsquare($close, 5), Resi($close, 5)), Count($volume, 5))";
        QTest::newRow("not") << "Not($close > $open)" << "Not(Gt($close, $open))";
        QTest::newRow("quantile") << "Quantile($close, 20, 0.8)/$close" << "Div(Quantile($close, 20, 0.8), $close)";
    }
    // clang-format on
    void infixAndPrecedence() {
        QFETCH(QString, input);
        QFETCH(QString, printed);
        const ExprPtr e = mustParse(input, true);
        QCOMPARE(QString::fromStdString(e->toString()), printed);
        QVERIFY(mustParse(printed, true)->equals(*e));
    }

    // One row per line, each input beside what it should give:
    // clang-format off
    void errorsAreLocated_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown op") << "Mena($close, 20)" << 1 << "did you mean Mean";
        QTest::newRow("unknown op nested") << "Add($close, Stdd($open, 5))" << 13 << "did you mean Std";
        QTest::newRow("arity") << "Mean($close)" << 1 << "takes 2 arguments";
        QTest::newRow("window not a number") << "Mean($close, $open)" << 14 << "must be a window";
        QTest::newRow("series expected") << "Mean(20, $close)" << 6 << "must be a series";
        QTest::newRow("fractional window") << "Mean($close, 2.5)" << 14 << "whole number";
        QTest::newRow("zero window") << "Mean($close, 0)" << 14 << "at least 1";
        QTest::newRow("future in factor") << "Ref($close, -5)" << 13 << "future";
        QTest::newRow("missing paren") << "Mean($close, 20" << 16 << "expected ',' or ')'";
        QTest::newRow("trailing") << "$close )" << 8 << "unexpected";
        QTest::newRow("bad char") << "$close # 2" << 8 << "unexpected character";
        QTest::newRow("field without $") << "qlib:Mean(close, 5)" << 11 << "must be a series";
        QTest::newRow("bare name") << "qlib: close" << 7 << "fields start with '$'";
        QTest::newRow("qlib ternary") << "$close > 0 ? $close : $open" << 12 << "If(cond, a, b)";
        QTest::newRow("qlib double and") << "($close > 0) && ($open > 0)" << 14 << "'&'";
        QTest::newRow("qlib caret") << "$close ^ 2" << 8 << "Power(x, y)";
        QTest::newRow("instrument unquoted number") << "ChangeInstrument(5, $close)" << 18 << "code in quotes";
        QTest::newRow("instrument unclosed quote") << "ChangeInstrument('SPY, $close)" << 18 << "not closed";
        // WorldQuant's notation (no $ field), the same located errors.
        QTest::newRow("wq arity") << "rank(close, 5)" << 1 << "takes 1 argument";
        QTest::newRow("wq ts arity") << "ts_rank(close)" << 1 << "takes 2 arguments";
        QTest::newRow("wq unknown") << "rnk(close)" << 1 << "did you mean rank";
        QTest::newRow("wq unknown long") << "corelation(close, open, 5)" << 1 << "did you mean correlation";
        QTest::newRow("wq ternary colon") << "close > open ? close" << 21 << "expected ':'";
        QTest::newRow("wq unfinished") << "close +" << 8 << "expected a field";
        QTest::newRow("wq future") << "delay(close, -1)" << 14 << "future";
        QTest::newRow("wq quoted") << "rank('SPY')" << 6 << "must be a series";
        QTest::newRow("wq days a series") << "ts_min(close, open)" << 15 << "number of days";
        QTest::newRow("wq grouping as a series") << "rank(IndClass.sector)" << 6 << "is a grouping";
        QTest::newRow("wq scale book") << "scale(close, open)" << 14 << "book size";
        QTest::newRow("wq function without call") << "rank + close" << 1 << "needs its arguments";
        QTest::newRow("wq min one argument") << "min(close)" << 1 << "at least 2";
        QTest::newRow("wq constant") << "1 + 2" << 1 << "no field";
        QTest::newRow("empty") << "   " << 1 << "empty";
        QTest::newRow("constant only") << "Add(1, 2)" << 1 << "no field";
        QTest::newRow("group missing") << "GroupRank($close, 5)" << 19 << "grouping name";
        QTest::newRow("dollar alone") << "$ + 1" << 1 << "field name";
        QTest::newRow("unfinished call") << "Mean(" << 6 << "expected a field";
        QTest::newRow("unfinished argument") << "Mean($close," << 13 << "expected a field";
        QTest::newRow("unfinished negation") << "-Abs(" << 6 << "expected a field";
        QTest::newRow("std needs 2 days") << "Std($close, 1)" << 13 << "at least 2";
        QTest::newRow("kurt needs 4 days") << "Kurt($close, 3)" << 14 << "at least 4";
        QTest::newRow("corr needs 2 days") << "Corr($close, $open, 1)" << 21 << "at least 2";
        QTest::newRow("chained comparison") << "$close > $open > $low" << 16 << "cannot be chained";
        QTest::newRow("python precedence") << "$close > $open | $high < $low" << 24 << "cannot be chained";
        QTest::newRow("single equals") << "$close = $open" << 8 << "'=='";
        QTest::newRow("single bang") << "$close ! $open" << 8 << "'!='";
        QTest::newRow("slope needs 2 days") << "Slope($close, 1)" << 15 << "at least 2";
        QTest::newRow("comparison unfinished") << "$close >" << 9 << "expected a field";
        QTest::newRow("quantile q above 1") << "Quantile($close, 20, 1.5)" << 22 << "between 0 and 1";
        QTest::newRow("quantile q missing") << "Quantile($close, 20)" << 1 << "takes 3 arguments";
        QTest::newRow("quantile q a series") << "Quantile($close, 20, $open)" << 22 << "between 0 and 1";
    }
    // clang-format on
    void errorsAreLocated() {
        QFETCH(QString, input);
        QFETCH(int, column);
        QFETCH(QString, mentions);
        auto r = parseFormula(input.toStdString());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().column, column);
        QCOMPARE(QString::fromStdString(r.error().where), QStringLiteral("column %1").arg(column));
        QVERIFY2(QString::fromStdString(r.error().message).contains(mentions), r.error().message.c_str());
    }

    void deepNestingIsAnErrorNotACrash() {
        // Each of these overflowed the stack before the depth limit.
        const std::string calls = [] {
            std::string s;
            for (int k = 0; k < 5000; ++k) s += "Abs(";
            s += "$close";
            for (int k = 0; k < 5000; ++k) s += ")";
            return s;
        }();
        const std::string parens = std::string(10000, '(') + "$close" + std::string(10000, ')');
        const std::string minus = std::string(20000, '-') + "$close";
        for (const auto& text : {calls, parens, minus}) {
            auto r = parseFormula(text);
            QVERIFY(!r.ok());
            QVERIFY(QString::fromStdString(r.error().message).contains("nested deeper"));
            QVERIFY(r.error().column > 0);
        }
        std::string ok;
        for (int k = 0; k < 150; ++k) ok += "Abs(";
        ok += "$close";
        for (int k = 0; k < 150; ++k) ok += ")";
        QVERIFY(parseFormula(ok).ok());
    }

    void groupsAreCheckedEvenWhenTheDataHasNone() {
        ParseOptions o;
        o.checkNames = true;
        o.knownFields = {"close"};
        auto r = parseFormula("GroupRank($close, sector)", o);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().column, 19);
        QVERIFY(QString::fromStdString(r.error().message).contains("none"));
    }

    void hugeExponentsAreViolationsNotOverflow() {
        for (const char* f : {"Pow($close, 3000000000)", "Pow(Pow($close, 16), 16)", "Pow($close, -17)"}) {
            const DimensionReport r = inferDimension(*mustParse(f));
            QVERIFY2(!r.consistent(), f);
            QCOMPARE(QString::fromStdString(r.dimension.toString()), QStringLiteral("?"));
        }
        QCOMPARE(QString::fromStdString(inferDimension(*mustParse("Pow($close, 16)")).dimension.toString()),
                 QStringLiteral("price^16"));
    }

    void knownFieldsAndGroups() {
        ParseOptions o;
        o.knownFields = {"close", "open"};
        o.knownGroups = {"sector"};
        auto bad = parseFormula("Add($close, $vwap)", o);
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().code, ErrorCode::Semantic);
        QCOMPARE(bad.error().column, 13);
        QVERIFY(QString::fromStdString(bad.error().message).contains("$close, $open"));
        auto badGroup = parseFormula("GroupRank($close, industry)", o);
        QVERIFY(!badGroup.ok());
        QCOMPARE(badGroup.error().column, 19);
        QVERIFY(parseFormula("GroupRank($close, sector)", o).ok());
    }

    void futureAllowedInTarget() {
        const ExprPtr t = mustParse("Ref($close, -20) / $close - 1", true);
        QCOMPARE(t->futureDays(), 20);
        QCOMPARE(mustParse("Ref(Ref($close, -5), -3)", true)->futureDays(), 8);
        QCOMPARE(mustParse("Mean($close, 20)")->futureDays(), 0);
        QCOMPARE(mustParse("Mean(Ref($close, 5), 20)")->historyDays(), 24);
    }

    void hashingSharesStructure() {
        const ExprPtr a = mustParse("Add(Mean($close, 20), Std($volume, 10))");
        const ExprPtr b = mustParse("Mean($close,20) + Std($volume,10)");
        const ExprPtr c = mustParse("Add(Mean($close, 21), Std($volume, 10))");
        QVERIFY(a->equals(*b));
        QCOMPARE(a->hash(), b->hash());
        QVERIFY(!a->equals(*c));
        QVERIFY(a->hash() != c->hash());
        QVERIFY(a->arg(1)->equals(*c->arg(1))); // shared sub-tree has the same identity
        QCOMPARE(a->tokenCount(), 7);           // $close 20 Mean $volume 10 Std Add
        QCOMPARE(a->depth(), 3);
    }

    // One row per line, each input beside what it should give:
    // clang-format off
    void dimensions_data() {
        QTest::addColumn<QString>("formula");
        QTest::addColumn<QString>("dimension");
        QTest::addColumn<bool>("consistent");
        QTest::newRow("price ratio") << "Div(Sub($close,$open),Sub($high,$low))" << "1" << true;
        QTest::newRow("price") << "Mean($close, 20)" << "price" << true;
        QTest::newRow("var squares") << "Var($close, 20)" << "price^2" << true;
        QTest::newRow("price*volume") << "Mul($close, $volume)" << "price*volume" << true;
        QTest::newRow("per volume") << "Div($close, $volume)" << "price/volume" << true;
        QTest::newRow("add mismatch") << "Add($close, $volume)" << "?" << false;
        QTest::newRow("add constant to price") << "Add($close, 1)" << "?" << false;
        QTest::newRow("scale by constant") << "Mul($close, 2)" << "price" << true;
        QTest::newRow("corr dimensionless") << "Corr($close, $volume, 10)" << "1" << true;
        QTest::newRow("cov mismatch") << "Cov($close, $volume, 10)" << "?" << false;
        QTest::newRow("cov same") << "Cov($close, $open, 10)" << "price^2" << true;
        QTest::newRow("log anything") << "Log($volume)" << "1" << true;
        QTest::newRow("sqrt of var") << "Sqrt(Var($close, 5))" << "price" << true;
        QTest::newRow("sqrt of price") << "Sqrt($close)" << "?" << false;
        QTest::newRow("pow integer") << "Pow($close, 2)" << "price^2" << true;
        QTest::newRow("pow fractional") << "Pow($close, 0.5)" << "?" << false;
        QTest::newRow("inv") << "Inv($volume)" << "1/volume" << true;
        QTest::newRow("greater same") << "Greater($high, $close)" << "price" << true;
        QTest::newRow("cs rank") << "CSRank($volume)" << "1" << true;
        QTest::newRow("group demean keeps") << "GroupDemean($close, sector)" << "price" << true;
        QTest::newRow("unknown field") << "Add($turnover, $close)" << "?" << true;
        QTest::newRow("comparison same") << "Gt($close, $open)" << "1" << true;
        QTest::newRow("comparison threshold") << "Gt($volume, 0)" << "1" << true;
        QTest::newRow("comparison mismatch") << "Gt($close, $volume)" << "?" << false;
        QTest::newRow("and anything") << "And($close, $volume)" << "1" << true;
        QTest::newRow("slope keeps") << "Slope($close, 10)" << "price" << true;
        QTest::newRow("rsquare dimensionless") << "Rsquare($close, 10)" << "1" << true;
        QTest::newRow("count dimensionless") << "Count($volume, 10)" << "1" << true;
    }
    // clang-format on
    void dimensions() {
        QFETCH(QString, formula);
        QFETCH(QString, dimension);
        QFETCH(bool, consistent);
        const DimensionReport r = inferDimension(*mustParse(formula));
        QCOMPARE(QString::fromStdString(r.dimension.toString()), dimension);
        QCOMPARE(r.consistent(), consistent);
        if (!consistent) QVERIFY(!r.violations.front().empty());
    }

    // One row per line, each input beside what it should give:
    // clang-format off
    void sourceSpans_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("path"); // argument indexes from the root, "0.1" = root->arg(0)->arg(1)
        QTest::addColumn<QString>("span");
        const QString mix = QStringLiteral("Mean($close, 20) / -$open + 3");
        QTest::newRow("root is the whole text") << mix << "" << mix;
        QTest::newRow("div spans both sides") << mix << "0" << "Mean($close, 20) / -$open";
        QTest::newRow("call spans name to paren") << mix << "0.0" << "Mean($close, 20)";
        QTest::newRow("field in a call") << mix << "0.0.0" << "$close";
        QTest::newRow("neg includes the minus") << mix << "0.1" << "-$open";
        QTest::newRow("field under neg") << mix << "0.1.0" << "$open";
        QTest::newRow("constant") << mix << "1" << "3";
        QTest::newRow("parenthesised") << "( $close )" << "" << "$close";
        QTest::newRow("surrounding spaces") << "  $close  " << "" << "$close";
        QTest::newRow("parens inside a sum") << "($close - $open) / $high" << "0" << "$close - $open";
        QTest::newRow("parens at the start of the root") << "($close - $open) / $high" << "" << "($close - $open) / $high";
        QTest::newRow("same field twice, first") << "$close - $close" << "0" << "$close";
        QTest::newRow("negative constant") << "$close * -2" << "1" << "-2";
        QTest::newRow("constant argument") << "Pow($close,  2)" << "1" << "2";
        QTest::newRow("second series argument") << "Corr($close, $volume, 10)" << "1" << "$volume";
        QTest::newRow("group operator") << "GroupRank(Delta($close,5),industry)" << "" << "GroupRank(Delta($close,5),industry)";
        QTest::newRow("inside a group operator") << "GroupRank(Delta($close,5),industry)" << "0" << "Delta($close,5)";
        QTest::newRow("nested unary") << "--$close" << "0" << "-$close";
        QTest::newRow("prefix call form") << "Div(Sub($close,$open),$open)" << "0" << "Sub($close,$open)";
    }
    // clang-format on
    void sourceSpans() {
        QFETCH(QString, text);
        QFETCH(QString, path);
        QFETCH(QString, span);
        const std::string utf8 = text.toStdString();
        SourceMap spans;
        ParseOptions o;
        auto parsed = parseFormula(utf8, o, &spans);
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().toString().c_str());
        const Expr* node = parsed.value().get();
        for (const QString& step : path.split(QLatin1Char('.'), Qt::SkipEmptyParts))
            node = node->arg(static_cast<std::size_t>(step.toInt())).get();
        const auto it = spans.find(node);
        QVERIFY(it != spans.end());
        QVERIFY(it->second.begin <= it->second.end && it->second.end <= utf8.size());
        QCOMPARE(QString::fromStdString(utf8.substr(it->second.begin, it->second.end - it->second.begin)), span);
    }

    void everyNodeHasANestedSpan() {
        const std::string text = "Div(Sub($close, $open) * 2, Std(-$volume + 1, 20)) - CSRank(($high - $low))";
        SourceMap spans;
        auto parsed = parseFormula(text, {}, &spans);
        QVERIFY(parsed.ok());
        int nodes = 0;
        std::function<void(const Expr&, SourceSpan)> walk = [&](const Expr& e, SourceSpan parent) {
            ++nodes;
            const auto it = spans.find(&e);
            QVERIFY2(it != spans.end(), e.toString().c_str());
            QVERIFY(it->second.begin < it->second.end);
            QVERIFY(parent.begin <= it->second.begin && it->second.end <= parent.end);
            for (const ExprPtr& a : e.args()) walk(*a, it->second);
        };
        walk(*parsed.value(), SourceSpan{0, text.size()});
        QCOMPARE(static_cast<int>(spans.size()), nodes); // nothing but this parse's nodes
        // Without a map the result is the same formula.
        QVERIFY(parseFormula(text).value()->equals(*parsed.value()));
    }

    // One row per line, each input beside what it should give:
    // clang-format off
    void worldQuantNotation_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("printed"); // in Qlib's notation
        QTest::newRow("rank") << "rank(close)" << "CSRank($close)";
        QTest::newRow("alpha 3") << "(-1 * correlation(rank(open), rank(volume), 10))" << "Mul(-1, Corr(CSRank($open), CSRank($volume), 10))";
        QTest::newRow("ts_rank any case") << "(-1 * Ts_Rank(rank(low), 9))" << "Mul(-1, Rank(CSRank($low), 9))";
        QTest::newRow("delay delta") << "delay(close, 5) - delta(close, 2)" << "Sub(Ref($close, 5), Delta($close, 2))";
        QTest::newRow("days floored") << "correlation(high, volume, 6.00015)" << "Corr($high, $volume, 6)";
        QTest::newRow("decay floored") << "decay_linear(close, 7.8)" << "WMA($close, 7)";
        QTest::newRow("signedpower returns") << "SignedPower(returns, 2.)" << "SignedPower(PctChange($close, 1), 2)";
        QTest::newRow("adv") << "adv20 < volume" << "Lt(Mean(Mul($close, $volume), 20), $volume)";
        QTest::newRow("ternary") << "((returns < 0) ? stddev(returns, 20) : close)"
                                 << "If(Lt(PctChange($close, 1), 0), Std(PctChange($close, 1), 20), $close)";
        QTest::newRow("ternary right assoc") << "close > open ? 1 : close < open ? -1 : volume"
                                             << "If(Gt($close, $open), 1, If(Lt($close, $open), -1, $volume))";
        QTest::newRow("and before or") << "(close > open) || (volume > adv5) && (high < low)"
                                       << "Or(Gt($close, $open), And(Gt($volume, Mean(Mul($close, $volume), 5)), Lt($high, $low)))";
        QTest::newRow("comparison below arithmetic") << "close - open > high - low" << "Gt(Sub($close, $open), Sub($high, $low))";
        QTest::newRow("equality below relational") << "(close < open) == (high < low)" << "Eq(Lt($close, $open), Lt($high, $low))";
        QTest::newRow("power before times") << "close ^ 2 * 3" << "Mul(Pow($close, 2), 3)";
        QTest::newRow("minus power") << "-close ^ 2" << "Neg(Pow($close, 2))";
        QTest::newRow("power negative exponent") << "close ^ -1" << "Pow($close, -1)";
        QTest::newRow("power right assoc") << "close ^ 2 ^ 3" << "Pow($close, Pow(2, 3))";
        QTest::newRow("not") << "!(close > open)" << "Not(Gt($close, $open))";
        QTest::newRow("indneutralize") << "IndNeutralize(close, IndClass.industry)" << "GroupDemean($close, industry)";
        QTest::newRow("group_rank") << "group_rank(volume, sector)" << "GroupRank($volume, sector)";
        QTest::newRow("market group") << "group_neutralize(close, market)" << "CSDemean($close)";
        QTest::newRow("scale") << "scale(close)" << "CSScale($close)";
        QTest::newRow("scale book") << "scale(close, 2)" << "Mul(CSScale($close), 2)";
        QTest::newRow("max days") << "max(close, 5)" << "Max($close, 5)";
        QTest::newRow("min pair") << "min(close, open)" << "Less($close, $open)";
        QTest::newRow("max three") << "max(close, open, high)" << "Greater(Greater($close, $open), $high)";
        QTest::newRow("max with a number expression") << "max(close, (5))" << "Greater($close, 5)";
        QTest::newRow("product") << "product(close, 3)" << "Product($close, 3)";
        QTest::newRow("brain names") << "ts_mean(close, 10) / ts_std_dev(close, 10)" << "Div(Mean($close, 10), Std($close, 10))";
        QTest::newRow("brain ts_sum ts_corr") << "ts_sum(close, 5) + ts_corr(close, open, 5)" << "Add(Sum($close, 5), Corr($close, $open, 5))";
        QTest::newRow("our names any case") << "mean(close, 5) + CSRank(open)" << "Add(Mean($close, 5), CSRank($open))";
        QTest::newRow("field case") << "Close / Open" << "Div($close, $open)";
        QTest::newRow("prefix") << "wq:rank(close)" << "CSRank($close)";
        QTest::newRow("if_else") << "if_else(close > open, close, open)" << "If(Gt($close, $open), $close, $open)";
        QTest::newRow("change instrument") << "ChangeInstrument('SPY', close) / close" << "Div(ChangeInstrument('SPY', $close), $close)";
        QTest::newRow("mask") << "mask(close, 'SPY')" << "ChangeInstrument('SPY', $close)";
        QTest::newRow("sum over days") << "sum(close, 7) / 7" << "Div(Sum($close, 7), 7)";
        QTest::newRow("reverse inverse") << "reverse(close) + inverse(open)" << "Add(Neg($close), Inv($open))";
        QTest::newRow("qlib if") << "If($close > $open, $close, $open)" << "If(Gt($close, $open), $close, $open)";
        QTest::newRow("qlib mask") << "Mask($close, 'SH000300')" << "ChangeInstrument('SH000300', $close)";
        QTest::newRow("qlib change instrument") << "ChangeInstrument(\"^GSPC\", $close)" << "ChangeInstrument('^GSPC', $close)";
    }
    // clang-format on
    void worldQuantNotation() {
        QFETCH(QString, input);
        QFETCH(QString, printed);
        const ExprPtr e = mustParse(input);
        QCOMPARE(QString::fromStdString(e->toString()), printed);
        // Printed in WorldQuant's notation, it reads back as the same formula.
        const std::string wq = toWorldQuant(*e);
        ParseOptions o;
        o.notation = Notation::WorldQuant;
        auto back = parseFormula(wq, o);
        QVERIFY2(back.ok(), (wq + " -> " + (back.ok() ? "" : back.error().toString())).c_str());
        QVERIFY2(back.value()->equals(*e), (wq + " -> " + back.value()->toString()).c_str());
    }

    void everyOperatorRoundTripsInWorldQuantNotation() {
        ParseOptions o;
        o.notation = Notation::WorldQuant;
        std::vector<ExprPtr> formulas;
        for (const OperatorSpec& spec : allOperators()) formulas.push_back(sampleOf(spec));
        const ExprPtr close = Expr::feature("close"), two = Expr::constant(2), minus = Expr::constant(-1.5);
        for (OpId op : {OpId::Greater, OpId::Less, OpId::Add, OpId::Pow, OpId::Gt}) { // constants on either side
            formulas.push_back(Expr::op(op, {close, minus}));
            formulas.push_back(Expr::op(op, {two, close}));
        }
        formulas.push_back(Expr::op(OpId::Mean, {Expr::op(OpId::Mul, {close, Expr::feature("volume")})}, 20)); // adv20
        formulas.push_back(Expr::op(OpId::Mean, {Expr::op(OpId::Mul, {Expr::feature("volume"), close})}, 20));
        formulas.push_back(Expr::op(OpId::PctChange, {close}, 1)); // returns
        formulas.push_back(Expr::op(OpId::PctChange, {close}, 5));
        formulas.push_back(Expr::op(OpId::If, {Expr::op(OpId::Gt, {close, two}), minus, Expr::op(OpId::Not, {close})}));
        formulas.push_back(Expr::op(OpId::GroupRank, {close}, 0, "h1"));
        formulas.push_back(Expr::feature("adj_close"));
        for (const ExprPtr& e : formulas) {
            const std::string wq = toWorldQuant(*e);
            auto back = parseFormula(wq, o);
            QVERIFY2(back.ok(),
                     (e->toString() + " -> " + wq + " -> " + (back.ok() ? "" : back.error().toString())).c_str());
            QVERIFY2(back.value()->equals(*e),
                     (e->toString() + " -> " + wq + " -> " + back.value()->toString()).c_str());
            QCOMPARE(formatFormula(*e, Notation::Qlib), e->toString());
            QCOMPARE(formatFormula(*e, Notation::WorldQuant), wq);
        }
        // The printer uses WorldQuant's names where WorldQuant has the operator.
        QCOMPARE(toWorldQuant(*mustParse("Rank(CSRank($low), 9) * -1")), std::string("ts_rank(rank(low), 9) * (-1)"));
        QCOMPARE(toWorldQuant(
                     *mustParse("If(Lt(PctChange($close, 1), 0), Std($close, 20), Mean(Mul($close, $volume), 20))")),
                 std::string("(returns < 0) ? stddev(close, 20) : adv20"));
        QCOMPARE(toWorldQuant(*mustParse("GroupDemean(WMA($close, 5), sector)")),
                 std::string("group_neutralize(decay_linear(close, 5), sector)"));
    }

    void worldQuantNamesAgainstTheData() {
        ParseOptions o;
        o.checkNames = true;
        o.knownFields = {"open", "high", "low", "close", "volume", "adj_close"};
        o.knownGroups = {"sector", "industry"};
        auto vwap = parseFormula("rank(close - vwap)", o);
        QVERIFY(!vwap.ok());
        QCOMPARE(vwap.error().code, ErrorCode::Semantic);
        QCOMPARE(vwap.error().column, 14);
        QVERIFY2(QString::fromStdString(vwap.error().message).contains("$vwap, which the data does not have"),
                 vwap.error().message.c_str());
        auto cap = parseFormula("rank(cap)", o);
        QVERIFY(!cap.ok());
        QVERIFY2(QString::fromStdString(cap.error().message).contains("cap (market capitalisation)"),
                 cap.error().message.c_str());
        auto sub = parseFormula("IndNeutralize(close, IndClass.subindustry)", o);
        QVERIFY(!sub.ok());
        QCOMPARE(sub.error().column, 22);
        QVERIFY2(QString::fromStdString(sub.error().message)
                     .contains("unknown grouping 'subindustry'; the data has sector, industry"),
                 sub.error().message.c_str());
        auto typo = parseFormula("rank(closed)", o);
        QVERIFY(!typo.ok());
        QVERIFY2(QString::fromStdString(typo.error().message).contains("unknown name 'closed'"),
                 typo.error().message.c_str());
        // A field of the data wins over the derived names: $returns when the data has it.
        ParseOptions withReturns = o;
        withReturns.knownFields.push_back("returns");
        QCOMPARE(parseFormula("rank(returns)", withReturns).value()->toString(), std::string("CSRank($returns)"));
        QCOMPARE(parseFormula("rank(returns)", o).value()->toString(), std::string("CSRank(PctChange($close, 1))"));
        QCOMPARE(parseFormula("IndNeutralize(close, IndClass.Sector)", o).value()->toString(),
                 std::string("GroupDemean($close, sector)"));
        QCOMPARE(parseFormula("adj_close / close", o).value()->toString(), std::string("Div($adj_close, $close)"));
    }

    void notationIsDetected() {
        QCOMPARE(detectNotation("Mean($close, 5)"), Notation::Qlib);
        QCOMPARE(detectNotation("rank(close)"), Notation::WorldQuant);
        QCOMPARE(detectNotation("  wq: rank($close)"), Notation::WorldQuant);
        QCOMPARE(detectNotation("QLIB:Mean(close, 5)"), Notation::Qlib);
        // An explicit notation: Qlib's refuses a bare field, WorldQuant's reads $close too.
        ParseOptions qlib;
        qlib.notation = Notation::Qlib;
        QVERIFY(!parseFormula("rank(close)", qlib).ok());
        ParseOptions wq;
        wq.notation = Notation::WorldQuant;
        QCOMPARE(parseFormula("rank($close) ^ 2", wq).value()->toString(), std::string("Pow(CSRank($close), 2)"));
        // A prefix keeps the columns of the text as given.
        SourceMap spans;
        auto p = parseFormula("wq: rank(close)", {}, &spans);
        QVERIFY(p.ok());
        QCOMPARE(spans.at(p.value().get()).begin, std::size_t(4));
    }

    void randomTextIsParsedOrRefusedNeverCrashes() {
        // Random token soup in both notations: every text parses or gives a located error; what parses
        // prints back in either notation to the same formula.
        const char* pieces[] = {"$close",
                                "$volume",
                                "close",
                                "open",
                                "returns",
                                "adv20",
                                "cap",
                                "IndClass.sector",
                                "sector",
                                "rank(",
                                "ts_rank(",
                                "Mean(",
                                "Ref(",
                                "Corr(",
                                "If(",
                                "ChangeInstrument(",
                                "'SPY'",
                                "\"X\"",
                                "SignedPower(",
                                "product(",
                                "max(",
                                "min(",
                                "scale(",
                                "IndNeutralize(",
                                "Quantile(",
                                "Mask(",
                                "(",
                                ")",
                                ",",
                                " ",
                                "+",
                                "-",
                                "*",
                                "/",
                                "^",
                                "?",
                                ":",
                                "<",
                                ">",
                                "==",
                                "!=",
                                "&&",
                                "||",
                                "!",
                                "&",
                                "|",
                                "1",
                                "2.5",
                                "0",
                                "-3",
                                "20",
                                ".5",
                                "1e3",
                                "20d",
                                "wq:",
                                "qlib:",
                                "=",
                                "#",
                                "."};
        std::mt19937 rng(20261205u);
        std::uniform_int_distribution<int> count(1, 14);
        std::uniform_int_distribution<std::size_t> pick(0, std::size(pieces) - 1);
        ParseOptions wq;
        wq.notation = Notation::WorldQuant;
        int parsed = 0, refused = 0;
        for (int k = 0; k < 20000; ++k) {
            std::string text;
            for (int j = count(rng); j > 0; --j) text += pieces[pick(rng)];
            auto r = parseFormula(text);
            if (!r.ok()) {
                QVERIFY2(r.error().column >= 1 && r.error().column <= static_cast<int>(text.size()) + 1, text.c_str());
                QVERIFY2(!r.error().message.empty(), text.c_str());
                ++refused;
                continue;
            }
            ++parsed;
            auto qlib = parseFormula(r.value()->toString());
            QVERIFY2(qlib.ok() && qlib.value()->equals(*r.value()), (text + " -> " + r.value()->toString()).c_str());
            const std::string printed = toWorldQuant(*r.value());
            auto back = parseFormula(printed, wq);
            QVERIFY2(back.ok() && back.value()->equals(*r.value()), (text + " -> " + printed).c_str());
        }
        QVERIFY(parsed > 200); // the soup must exercise the printers, not only the errors
        qInfo("random texts: %d parsed, %d refused with a located error", parsed, refused);
    }

    void closestNames() {
        QCOMPARE(closestOperatorName("mean"), std::string("Mean"));
        QCOMPARE(closestOperatorName("Corrr"), std::string("Corr"));
        QCOMPARE(closestOperatorName("csrank"), std::string("CSRank"));
        QVERIFY(findOperator("IdxMax") == &operatorSpec(OpId::ArgMax));
        QVERIFY(findOperator("Nope") == nullptr);
    }
};

QTEST_GUILESS_MAIN(TestParser)
#include "tst_parser.moc"

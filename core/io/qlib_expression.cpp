#include "core/io/qlib_expression.h"

#include "core/expr/operator_registry.h"

namespace alphascope {

namespace {

/// One conversion; the first operator Qlib cannot express stops it.
class QlibWriter {
public:
    std::string blocker, reason;

    std::string write(const Expr& e) {
        if (!blocker.empty()) return {};
        switch (e.kind()) {
        case Expr::Kind::Feature: return "$" + e.name();
        case Expr::Kind::Constant: return formatConstant(e.value());
        case Expr::Kind::Operator: return op(e);
        }
        return {};
    }

private:
    std::string block(std::string what, std::string why) {
        if (blocker.empty()) {
            blocker = std::move(what);
            reason = std::move(why);
        }
        return {};
    }

    static std::string call(std::string_view name, const std::string& a) { return std::string(name) + "(" + a + ")"; }
    static std::string call(std::string_view name, const std::string& a, const std::string& b) {
        return std::string(name) + "(" + a + ", " + b + ")";
    }
    static std::string call(std::string_view name, const std::string& a, const std::string& b, const std::string& c) {
        return std::string(name) + "(" + a + ", " + b + ", " + c + ")";
    }

    std::string op(const Expr& e) {
        const OperatorSpec& spec = operatorSpec(e.opId());
        // Qlib's non-numpy operators call .load() on their series argument; a constant has none. The
        // numpy pair operators (Add ... Less) take plain numbers, so Neg and Inv, written with them, do too.
        const bool takesNumbers = spec.kind == OpKind::Binary || e.opId() == OpId::Neg || e.opId() == OpId::Inv;
        if (e.opId() == OpId::If &&
            e.arg(0)->isConstantExpression()) // If loads its condition; numbers may be the branches
            return block("If", "Qlib's If needs a series as its condition, not a constant");
        if (!takesNumbers && e.opId() != OpId::If)
            for (const ExprPtr& a : e.args())
                if (a->isConstantExpression())
                    return block(std::string(spec.name), "Qlib's counterpart of " + std::string(spec.name) +
                                                             " needs a series argument, not a constant");

        const std::string w = std::to_string(e.window());
        std::string x = write(*e.arg(0));
        std::string y = spec.seriesArity > 1 ? write(*e.arg(1)) : std::string();
        std::string z = spec.seriesArity > 2 ? write(*e.arg(2)) : std::string();
        if (!blocker.empty()) return {};

        switch (e.opId()) {
        case OpId::Abs:
        case OpId::Sign:
        case OpId::Log: return call(spec.name, x);
        case OpId::Neg: return call("Mul", x, "-1");
        case OpId::SLog1p: return call("Mul", call("Sign", x), call("Log", call("Add", call("Abs", x), "1")));
        case OpId::Inv: return call("Div", "1", x);
        case OpId::Sqrt: return call("Mul", call("Sign", x), call("Power", call("Abs", x), "0.5"));
        case OpId::Add:
        case OpId::Sub:
        case OpId::Mul:
        case OpId::Div:
        case OpId::Greater:
        case OpId::Less: return call(spec.name, x, y);
        case OpId::Pow:
            // Qlib's Power(feature, exponent) loads its base and takes the exponent as a plain number.
            if (!e.arg(1)->isConstant())
                return block("Pow with a series exponent", "Qlib's Power takes a number as its exponent");
            if (e.arg(0)->isConstant()) return block("Pow of a constant", "Qlib's Power needs a series as its base");
            return call("Power", x, y);
        case OpId::Ref:
            // Qlib's Ref(x, 0) is the first value of the series, not x.
            return e.window() == 0 ? x : call("Ref", x, w);
        case OpId::Delta:
        case OpId::Mean:
        case OpId::Sum:
        case OpId::Std:
        case OpId::Var:
        case OpId::Skew:
        case OpId::Kurt:
        case OpId::Max:
        case OpId::Min:
        case OpId::Med:
        case OpId::Mad:
        case OpId::Rank: return call(spec.name, x, w);
        case OpId::WMA:
            // Qlib's WMA is nanmean(w * x) with w normalised: the weighted mean divided by W again.
            return call("Mul", call("WMA", x, w), w);
        case OpId::EMA:
            return block("EMA", "Qlib's EMA(x, N) is ewm(span=N) over the whole history; AlphaScope's is "
                                "truncated to N days");
        case OpId::IR: return call("Div", call("Mean", x, w), call("Std", x, w));
        case OpId::MaxDiff: return call("Sub", x, call("Max", x, w));
        case OpId::MinDiff: return call("Sub", x, call("Min", x, w));
        case OpId::MinMaxDiff: return call("Sub", call("Max", x, w), call("Min", x, w));
        case OpId::TsDiv: return call("Div", x, call("Mean", x, w));
        case OpId::PctChange: return call("Sub", call("Div", x, call("Ref", x, w)), "1");
        case OpId::ArgMax: return call("IdxMax", x, w); // both 1-based from the oldest day, ties to the oldest
        case OpId::ArgMin: return call("IdxMin", x, w);
        case OpId::Cov:
        case OpId::Corr: return call(spec.name, x, y, w);
        case OpId::CSRank:
        case OpId::CSZScore:
        case OpId::CSDemean:
        case OpId::CSScale:
            return block(std::string(spec.name),
                         "cross-sectional: Qlib's expressions see one instrument at a time (CSRankNorm and "
                         "CSZScoreNorm are dataset processors, not expressions)");
        case OpId::GroupDemean:
        case OpId::GroupRank:
        case OpId::GroupZScore:
            return block(std::string(spec.name),
                         "group operator: Qlib's expressions see one instrument at a time and know no groupings");
        case OpId::Gt:
        case OpId::Ge:
        case OpId::Lt:
        case OpId::Le:
        case OpId::Eq:
        case OpId::Ne:
        case OpId::And:
        case OpId::Or: return call(spec.name, x, y); // Qlib's give booleans, which count as 1 and 0
        case OpId::Not: return call("Eq", x, "0");   // Qlib's Not is numpy's bitwise not, defined on booleans only
        case OpId::Count:
        case OpId::Slope:
        case OpId::Rsquare:
        case OpId::Resi: return call(spec.name, x, w);
        case OpId::Quantile: return call(spec.name, x, w, formatConstant(e.parameter()));
        case OpId::If: return call("If", x, y, z); // np.where: a NaN condition picks x there, NaN here (README)
        case OpId::SignedPower:
            if (!e.arg(1)->isConstant())
                return block("SignedPower with a series exponent", "Qlib's Power takes a number as its exponent");
            return call("Mul", call("Sign", x), call("Power", call("Abs", x), y));
        case OpId::Product: return block("Product", "Qlib has no rolling product");
        case OpId::ChangeInstrument: return "ChangeInstrument(" + quoteInstrument(e.name()) + ", " + x + ")";
        case OpId::Count_: break;
        }
        return block(std::string(spec.name), "no Qlib counterpart is known");
    }
};

} // namespace

QlibExpression toQlibExpression(const Expr& formula) {
    QlibExpression out;
    if (formula.isConstantExpression()) {
        out.blocker = "no field";
        out.reason = "a constant: a Qlib expression needs a field such as $close";
        return out;
    }
    QlibWriter writer;
    std::string text = writer.write(formula);
    if (!writer.blocker.empty()) {
        out.blocker = std::move(writer.blocker);
        out.reason = std::move(writer.reason);
    } else {
        out.text = std::move(text);
    }
    return out;
}

} // namespace alphascope

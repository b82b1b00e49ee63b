#include "core/expr/worldquant.h"

#include "core/expr/names.h"
#include "core/expr/operator_registry.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <optional>

namespace alphascope {

namespace {

using S = WqShape;

// For each operator the printer's name comes first: the paper's where it has one, BRAIN's otherwise.
constexpr std::array<WorldQuantFunction, 40> kFunctions = {{
    {"rank", OpId::CSRank, S::Plain, "rank(x)"},
    {"zscore", OpId::CSZScore, S::Plain, "zscore(x)"},
    {"scale", OpId::CSScale, S::Scale, "scale(x[, a])"},
    {"delay", OpId::Ref, S::Plain, "delay(x, d)"},
    {"ts_delay", OpId::Ref, S::Plain, "ts_delay(x, d)"},
    {"delta", OpId::Delta, S::Plain, "delta(x, d)"},
    {"ts_delta", OpId::Delta, S::Plain, "ts_delta(x, d)"},
    {"correlation", OpId::Corr, S::Plain, "correlation(x, y, d)"},
    {"ts_corr", OpId::Corr, S::Plain, "ts_corr(x, y, d)"},
    {"covariance", OpId::Cov, S::Plain, "covariance(x, y, d)"},
    {"ts_covariance", OpId::Cov, S::Plain, "ts_covariance(x, y, d)"},
    {"ts_rank", OpId::Rank, S::Plain, "ts_rank(x, d)"},
    {"ts_min", OpId::Min, S::Plain, "ts_min(x, d)"},
    {"ts_max", OpId::Max, S::Plain, "ts_max(x, d)"},
    {"ts_argmax", OpId::ArgMax, S::Plain, "ts_argmax(x, d)"},
    {"ts_argmin", OpId::ArgMin, S::Plain, "ts_argmin(x, d)"},
    {"decay_linear", OpId::WMA, S::Plain, "decay_linear(x, d)"},
    {"ts_decay_linear", OpId::WMA, S::Plain, "ts_decay_linear(x, d)"},
    {"signedpower", OpId::SignedPower, S::Plain, "SignedPower(x, e)"},
    {"signed_power", OpId::SignedPower, S::Plain, "signed_power(x, e)"},
    {"power", OpId::Pow, S::Plain, "power(x, y)"},
    {"sum", OpId::Sum, S::Plain, "sum(x, d)"},
    {"ts_sum", OpId::Sum, S::Plain, "ts_sum(x, d)"},
    {"product", OpId::Product, S::Plain, "product(x, d)"},
    {"ts_product", OpId::Product, S::Plain, "ts_product(x, d)"},
    {"stddev", OpId::Std, S::Plain, "stddev(x, d)"},
    {"ts_std_dev", OpId::Std, S::Plain, "ts_std_dev(x, d)"},
    {"ts_mean", OpId::Mean, S::Plain, "ts_mean(x, d)"},
    {"abs", OpId::Abs, S::Plain, "abs(x)"},
    {"log", OpId::Log, S::Plain, "log(x)"},
    {"sign", OpId::Sign, S::Plain, "sign(x)"},
    {"inverse", OpId::Inv, S::Plain, "inverse(x)"},
    {"reverse", OpId::Neg, S::Plain, "reverse(x)"},
    {"group_neutralize", OpId::GroupDemean, S::Plain, "group_neutralize(x, group)"},
    {"indneutralize", OpId::GroupDemean, S::Plain, "IndNeutralize(x, IndClass.group)"},
    {"group_rank", OpId::GroupRank, S::Plain, "group_rank(x, group)"},
    {"group_zscore", OpId::GroupZScore, S::Plain, "group_zscore(x, group)"},
    {"if_else", OpId::If, S::Plain, "if_else(cond, x, y)"},
    {"min", OpId::Less, S::Min, "min(x, d) or min(x, y, ...)"},
    {"max", OpId::Greater, S::Max, "max(x, d) or max(x, y, ...)"},
}};

/// The printer's name for an operator written as a plain call; empty when WorldQuant has none.
std::string_view printName(OpId op) {
    for (const auto& f : kFunctions)
        if (f.op == op && f.shape == S::Plain && op != OpId::Pow) return f.name;
    return {};
}

bool isIdentifier(const std::string& s) {
    if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
    for (char c : s)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
    return true;
}

const char* infixOf(OpId op) {
    switch (op) {
    case OpId::Add: return " + ";
    case OpId::Sub: return " - ";
    case OpId::Mul: return " * ";
    case OpId::Div: return " / ";
    case OpId::Pow: return " ^ ";
    case OpId::Gt: return " > ";
    case OpId::Ge: return " >= ";
    case OpId::Lt: return " < ";
    case OpId::Le: return " <= ";
    case OpId::Eq: return " == ";
    case OpId::Ne: return " != ";
    case OpId::And: return " && ";
    case OpId::Or: return " || ";
    default: return nullptr;
    }
}

bool isField(const Expr& e, const char* name) {
    return e.isFeature() && e.name() == name;
}

std::string write(const Expr& e) {
    switch (e.kind()) {
    case Expr::Kind::Feature: return isIdentifier(e.name()) ? e.name() : "$" + e.name();
    case Expr::Kind::Constant: {
        const std::string text = formatConstant(e.value());
        return e.value() < 0 ? "(" + text + ")" : text;
    }
    case Expr::Kind::Operator: break;
    }
    const OperatorSpec& spec = operatorSpec(e.opId());
    const OpId op = e.opId();
    if (const char* infix = infixOf(op)) return "(" + write(*e.arg(0)) + infix + write(*e.arg(1)) + ")";
    switch (op) {
    case OpId::Neg: return "(-" + write(*e.arg(0)) + ")";
    case OpId::Not: return "(!" + write(*e.arg(0)) + ")";
    case OpId::If: return "(" + write(*e.arg(0)) + " ? " + write(*e.arg(1)) + " : " + write(*e.arg(2)) + ")";
    case OpId::Greater:
    case OpId::Less: {
        // max(x, 5) reads as ts_max(x, 5): a number second is written in parentheses, an expression.
        const Expr& b = *e.arg(1);
        const std::string second = b.isConstant() ? "(" + formatConstant(b.value()) + ")" : write(b);
        return std::string(op == OpId::Greater ? "max(" : "min(") + write(*e.arg(0)) + ", " + second + ")";
    }
    case OpId::Mean: { // adv{d}: the mean dollar volume
        const Expr& x = *e.arg(0);
        if (x.isOperator() && x.opId() == OpId::Mul && isField(*x.arg(0), "close") && isField(*x.arg(1), "volume"))
            return "adv" + std::to_string(e.window());
        break;
    }
    case OpId::PctChange:
        if (e.window() == 1 && isField(*e.arg(0), "close")) return "returns";
        break;
    case OpId::ChangeInstrument: return "ChangeInstrument(" + quoteInstrument(e.name()) + ", " + write(*e.arg(0)) + ")";
    default: break;
    }
    const std::string_view wq = printName(op);
    std::string out(wq.empty() ? spec.name : wq);
    out += '(';
    for (std::size_t i = 0; i < e.args().size(); ++i) {
        if (i) out += ", ";
        out += write(*e.arg(i));
    }
    if (spec.hasWindow) out += ", " + std::to_string(e.window());
    if (spec.hasGroup) out += ", " + e.name();
    if (spec.hasParameter) out += ", " + formatConstant(e.parameter());
    out += ')';
    return out;
}

} // namespace

std::span<const WorldQuantFunction> worldQuantFunctions() {
    return kFunctions;
}

const WorldQuantFunction* findWorldQuantFunction(std::string_view name) {
    for (const auto& f : kFunctions)
        if (sameIgnoringCase(f.name, name)) return &f;
    return nullptr;
}

WorldQuantName resolveWorldQuantName(std::string_view typedName, const ParseOptions& options) {
    using K = WorldQuantName::Kind;
    const std::string typed(typedName);
    const std::string name = lowered(typed);
    const bool check = options.checkNames || !options.knownFields.empty();
    const auto has = [&](const std::string& f) {
        return std::find(options.knownFields.begin(), options.knownFields.end(), f) != options.knownFields.end();
    };
    const auto error = [](std::string message, bool semantic = false) {
        WorldQuantName r;
        r.error = std::move(message);
        r.semantic = semantic;
        return r;
    };
    const auto missing = [&](const std::string& f) { // the error when the data lacks a field it needs
        return check && !has(f)
                   ? std::optional<WorldQuantName>(error(typed + " needs the field $" + f +
                                                             ", which the data does not have; the data has " +
                                                             joinNames(options.knownFields, "$"),
                                                         true))
                   : std::nullopt;
    };
    const auto field = [&](const std::string& f) {
        if (auto e = missing(f)) return *e;
        WorldQuantName r;
        r.kind = K::Field;
        r.field = f;
        return r;
    };
    if (check && has(typed)) return field(typed);
    if (check && has(name)) return field(name);
    if (name.rfind("indclass.", 0) == 0)
        return error(typed + " is a grouping; it goes inside IndNeutralize(x, " + typed + ")");
    if (name == "open" || name == "high" || name == "low" || name == "close" || name == "volume" || name == "vwap" ||
        name == "amount")
        return field(name);  // a usual field the data lacks: the error names it
    if (name == "returns") { // the daily return, close to close
        if (auto e = missing("close")) return *e;
        WorldQuantName r;
        r.kind = K::Returns;
        return r;
    }
    if (name.size() > 3 && name.rfind("adv", 0) == 0 &&
        name.find_first_not_of("0123456789", 3) == std::string::npos) { // adv{d}: mean dollar volume
        const int days = std::atoi(name.c_str() + 3);
        if (days < 1 || days > options.maxWindow)
            return error(typed + ": the days must be between 1 and " + std::to_string(options.maxWindow));
        if (auto e = missing("close")) return *e;
        if (auto e = missing("volume")) return *e;
        WorldQuantName r;
        r.kind = K::DollarVolume;
        r.days = days;
        return r;
    }
    if (const WorldQuantFunction* f = findWorldQuantFunction(typed))
        return error(typed + " needs its arguments: " + std::string(f->signature));
    if (const OperatorSpec* spec = findOperatorIgnoringCase(typed))
        return error("operator " + std::string(spec->name) + " needs its arguments: " + std::string(spec->signature));
    if (!check && name.find('.') == std::string::npos) return field(name);
    if (name == "cap")
        return error("cap (market capitalisation) needs the field $cap, which the data does not have; the data has " +
                         joinNames(options.knownFields, "$"),
                     true);
    if (!check)
        return error("unknown name '" + typed +
                     "'; fields are plain names such as close, groupings are written IndClass.sector");
    return error("unknown name '" + typed + "'; the data has " + joinNames(options.knownFields, "") +
                     ", and returns and adv{d} are derived from close and volume",
                 true);
}

std::string toWorldQuant(const Expr& formula) {
    std::string text = write(formula);
    // The outermost parentheses of an infix formula say nothing.
    if (text.size() >= 2 && text.front() == '(' && text.back() == ')') {
        int depth = 0;
        bool wraps = true;
        for (std::size_t i = 0; i + 1 < text.size(); ++i) {
            depth += text[i] == '(' ? 1 : text[i] == ')' ? -1 : 0;
            if (depth == 0) {
                wraps = false;
                break;
            }
        }
        if (wraps && !formula.isConstant()) text = text.substr(1, text.size() - 2);
    }
    return text;
}

std::vector<std::string> operatorsWithoutWorldQuantName(const Expr& formula) {
    std::vector<std::string> out;
    auto walk = [&](auto&& self, const Expr& e) -> void {
        if (!e.isOperator()) return;
        const OpId op = e.opId();
        const bool named = infixOf(op) || !printName(op).empty() || op == OpId::Neg || op == OpId::Not ||
                           op == OpId::If || op == OpId::Greater || op == OpId::Less ||
                           (op == OpId::PctChange && e.window() == 1 && isField(*e.arg(0), "close"));
        if (!named) {
            std::string name(operatorSpec(op).name);
            if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(std::move(name));
        }
        for (const auto& a : e.args()) self(self, *a);
    };
    walk(walk, formula);
    std::sort(out.begin(), out.end());
    return out;
}

std::string formatFormula(const Expr& formula, Notation notation) {
    return notation == Notation::WorldQuant ? toWorldQuant(formula) : formula.toString();
}

std::string_view notationName(Notation notation) {
    switch (notation) {
    case Notation::Auto: return "auto";
    case Notation::Qlib: return "qlib";
    case Notation::WorldQuant: return "worldquant";
    }
    return "auto";
}

} // namespace alphascope

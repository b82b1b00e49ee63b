#include "core/expr/dimension.h"

#include "core/expr/operator_registry.h"

#include <cmath>

namespace alphascope {

std::string Dimension::toString() const {
    if (!known) return "?";
    if (price == 0 && volume == 0) return "1";
    // Appends and assign() rather than operator+ and a literal: GCC 12 warns, wrongly, about those
    // (-Wrestrict inside std::string).
    auto part = [](const char* unit, int e) {
        std::string s = unit;
        if (std::abs(e) != 1) {
            s += '^';
            s += std::to_string(std::abs(e));
        }
        return s;
    };
    std::string num, den;
    auto append = [](std::string& to, const std::string& p) {
        if (!to.empty()) to += '*';
        to += p;
    };
    if (price > 0) append(num, part("price", price));
    if (volume > 0) append(num, part("volume", volume));
    if (price < 0) append(den, part("price", price));
    if (volume < 0) append(den, part("volume", volume));
    if (num.empty()) num.assign(1, '1');
    if (!den.empty()) {
        num += '/';
        num += den;
    }
    return num;
}

Dimension fieldDimension(const std::string& f) {
    if (f == "open" || f == "high" || f == "low" || f == "close" || f == "vwap" || f == "adj_close")
        return {1, 0, true};
    if (f == "volume") return {0, 1, true};
    if (f == "amount") return {1, 1, true};
    return Dimension::unknown();
}

namespace {
// Larger powers of a dimensioned quantity are not meaningful and would overflow the exponents.
constexpr double kMaxExponent = 16;
constexpr int kMaxDimensionExponent = 64;
} // namespace

DimensionStep applyDimensionRule(OpId op, const Dimension& a, const Dimension& b, const double* exponent) {
    const OperatorSpec& spec = operatorSpec(op);
    DimensionStep s;
    auto fail = [&](std::string why) {
        s.ok = false;
        s.why = std::string(spec.name) + ": " + std::move(why);
        s.result = Dimension::unknown();
        return s;
    };
    switch (spec.dimRule) {
    case DimRule::Keep: s.result = a; return s;
    case DimRule::Dimensionless: s.result = Dimension::dimensionless(); return s;
    case DimRule::SameDimensionless:
        // A threshold (a constant, dimensionless) may be compared with anything: $volume > 0.
        if (a.known && b.known && !(a == b) && !a.isDimensionless() && !b.isDimensionless())
            return fail("arguments must have the same dimension, got " + a.toString() + " and " + b.toString());
        s.result = Dimension::dimensionless();
        return s;
    case DimRule::SameKeep:
    case DimRule::SameSquare:
    case DimRule::Select:
        if (!a.known || !b.known) {
            s.result = Dimension::unknown();
            return s;
        }
        if (!(a == b))
            return fail("arguments must have the same dimension, got " + a.toString() + " and " + b.toString());
        s.result = spec.dimRule != DimRule::SameSquare ? a : Dimension{a.price * 2, a.volume * 2, true};
        break;
    case DimRule::Multiply:
        s.result =
            (a.known && b.known) ? Dimension{a.price + b.price, a.volume + b.volume, true} : Dimension::unknown();
        break;
    case DimRule::Divide:
        s.result =
            (a.known && b.known) ? Dimension{a.price - b.price, a.volume - b.volume, true} : Dimension::unknown();
        break;
    case DimRule::Invert: s.result = a.known ? Dimension{-a.price, -a.volume, true} : a; return s;
    case DimRule::Square: s.result = a.known ? Dimension{a.price * 2, a.volume * 2, true} : a; break;
    case DimRule::Root:
        if (!a.known) {
            s.result = a;
            return s;
        }
        if (a.price % 2 != 0 || a.volume % 2 != 0)
            return fail("the square root of " + a.toString() + " has no whole-exponent dimension");
        s.result = Dimension{a.price / 2, a.volume / 2, true};
        return s;
    case DimRule::Power:
        if (b.known && !b.isDimensionless()) return fail("the exponent must be dimensionless, got " + b.toString());
        if (!a.known) {
            s.result = a;
            return s;
        }
        if (a.isDimensionless()) {
            s.result = a;
            return s;
        }
        if (exponent && std::isfinite(*exponent) && std::floor(*exponent) == *exponent &&
            std::fabs(*exponent) <= kMaxExponent) {
            const int k = static_cast<int>(*exponent);
            s.result = Dimension{a.price * k, a.volume * k, true};
            break;
        }
        return fail("a base of dimension " + a.toString() + " needs a whole-number constant exponent of at most " +
                    std::to_string(static_cast<int>(kMaxExponent)));
    }
    // Exponents grow through nested products and powers; past the limit the dimension means nothing.
    if (s.result.known &&
        (std::abs(s.result.price) > kMaxDimensionExponent || std::abs(s.result.volume) > kMaxDimensionExponent))
        return fail("the dimension " + s.result.toString() + " has an exponent beyond " +
                    std::to_string(kMaxDimensionExponent));
    return s;
}

namespace {
Dimension infer(const Expr& e, std::vector<std::string>& violations) {
    switch (e.kind()) {
    case Expr::Kind::Feature: return fieldDimension(e.name());
    case Expr::Kind::Constant: return Dimension::dimensionless();
    case Expr::Kind::Operator: break;
    }
    if (e.opId() == OpId::If) { // the condition's dimension does not matter; the branches must agree
        infer(*e.arg(0), violations);
        const Dimension x = infer(*e.arg(1), violations);
        const Dimension y = infer(*e.arg(2), violations);
        DimensionStep step = applyDimensionRule(OpId::If, x, y);
        if (!step.ok) violations.push_back(step.why + " (in " + e.toString() + ")");
        return step.result;
    }
    const Dimension a = infer(*e.arg(0), violations);
    Dimension b = Dimension::dimensionless();
    const double* exponent = nullptr;
    double exponentValue = 0.0;
    if (e.opId() == OpId::Product) { // a product of W values: x ^ W
        exponentValue = e.window();
        exponent = &exponentValue;
    } else if (e.args().size() > 1) {
        b = infer(*e.arg(1), violations);
        if (e.arg(1)->isConstant()) {
            exponentValue = e.arg(1)->value();
            exponent = &exponentValue;
        }
    }
    // Constants are scale-free: Add($close, 1) breaks the rule but Mul($close, 2) does not.
    DimensionStep step = applyDimensionRule(e.opId(), a, b, exponent);
    if (!step.ok) violations.push_back(step.why + " (in " + e.toString() + ")");
    return step.result;
}
} // namespace

DimensionReport inferDimension(const Expr& expr) {
    DimensionReport r;
    r.dimension = infer(expr, r.violations);
    return r;
}

} // namespace alphascope

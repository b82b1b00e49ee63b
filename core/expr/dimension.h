#pragma once
// Dimensions (Alpha2): every value is a product of base units (price, volume) with integer exponents.

#include "core/expr/expr.h"

#include <string>
#include <vector>

namespace alphascope {

/// price^p * volume^v, or unknown (a field whose unit we cannot tell).
struct Dimension {
    int price = 0;
    int volume = 0;
    bool known = true;

    static Dimension dimensionless() { return {0, 0, true}; }
    static Dimension unknown() { return {0, 0, false}; }
    bool isDimensionless() const { return known && price == 0 && volume == 0; }
    bool operator==(const Dimension&) const = default;
    /// "1", "price", "volume", "price^2", "price*volume", "price/volume", "?".
    std::string toString() const;
};

/// The dimension of a field name: open/high/low/close/vwap/adj_close -> price, volume -> volume,
/// amount -> price*volume, anything else unknown.
Dimension fieldDimension(const std::string& field);

/// Result of dimension inference: the formula's dimension and every rule it breaks.
struct DimensionReport {
    Dimension dimension;
    std::vector<std::string> violations; ///< empty when the formula follows the rules

    bool consistent() const { return violations.empty(); }
};

/// Infers the dimension of a formula (ALGORITHMS.md §2). A violation does not stop inference:
/// the offending node's result is taken as unknown so that each break is reported once.
DimensionReport inferDimension(const Expr& expr);

/// The dimension an operator gives to arguments of the given dimensions, or an explanation of why
/// they break its rule (then `ok` is false). `exponent` is the constant exponent of Pow, if any.
struct DimensionStep {
    Dimension result;
    bool ok = true;
    std::string why;
};
DimensionStep applyDimensionRule(OpId op, const Dimension& a, const Dimension& b = Dimension::dimensionless(),
                                 const double* constantExponent = nullptr);

} // namespace alphascope

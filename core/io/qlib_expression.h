#pragma once
// AlphaScope formulas in Qlib's expression syntax (qlib/data/ops.py). Each operator is mapped to a
// Qlib expression with the same values on full windows of finite data; an operator without such a
// twin (cross-sectional and group operators, our truncated EMA) is reported, never rewritten into
// something that computes a different number.

#include "core/expr/expr.h"

#include <string>

namespace alphascope {

/// The Qlib form of one formula, or why there is none.
struct QlibExpression {
    std::string text;    ///< the Qlib expression; empty when the formula is not expressible
    std::string blocker; ///< what Qlib cannot express ("CSRank", "EMA", ...); empty when expressible
    std::string reason;  ///< one line on why, empty when expressible

    bool ok() const { return blocker.empty(); }
};

/// Converts a parsed formula to Qlib's syntax: "$close", "Mean($close, 20)", constants as numbers.
/// Operators Qlib lacks are written with Qlib ones where the result is the same number (Neg ->
/// Mul(x, -1), IR -> Div(Mean, Std), ArgMax -> IdxMax, WMA -> Mul(WMA(x, W), W) because Qlib's WMA
/// divides by W once more, ...). Qlib itself differs everywhere in two ways that no text can
/// change: partial windows at the start of the history (min_periods=1) and +-inf kept where
/// AlphaScope gives NaN.
QlibExpression toQlibExpression(const Expr& formula);

} // namespace alphascope

#pragma once
// Parser for Qlib-style formula text: Mean($close, 20), Ref($close, 5), with infix + - * / and
// unary minus accepted on input (printed back as functions).

#include "core/expr/expr.h"
#include "core/util/result.h"

#include <string>
#include <string_view>
#include <vector>

namespace alphascope {

/// What the parser accepts beyond the grammar.
struct ParseOptions {
    /// Negative Ref (future data) is allowed only when parsing a target.
    bool allowFuture = false;
    /// When true, fields and grouping names must be among the two lists below (even when a list is
    /// empty: data without groupings accepts no group operator).
    bool checkNames = false;
    /// The fields of the data (names without '$').
    std::vector<std::string> knownFields;
    /// The groupings of the data (sector, industry, ...).
    std::vector<std::string> knownGroups;
    /// Longest window accepted (days).
    int maxWindow = 1000;
    /// Deepest nesting accepted (operators and parentheses), so that evaluation never runs out of stack.
    int maxDepth = 200;
};

/// Parses a formula. Errors have code Parse (or Semantic for future data / unknown fields), a
/// message naming what was expected, `where` = "column N" and Error::column set (1-based).
Result<ExprPtr> parseFormula(std::string_view text, const ParseOptions& options = {});

} // namespace alphascope

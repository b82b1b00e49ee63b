#pragma once
// Parser for Qlib-style formula text: Mean($close, 20), Ref($close, 5), with infix + - * / and
// unary minus accepted on input (printed back as functions).

#include "core/expr/expr.h"
#include "core/util/result.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
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

/// Where a node of a parsed formula came from in the text: bytes [begin, end).
struct SourceSpan {
    std::size_t begin = 0;
    std::size_t end = 0;
};
/// Spans of the nodes of one parse, keyed by node (every parse creates fresh nodes). A node written
/// in parentheses spans the text inside them.
using SourceMap = std::unordered_map<const Expr*, SourceSpan>;

/// Parses a formula. Errors have code Parse (or Semantic for future data / unknown fields), a
/// message naming what was expected, `where` = "column N" and Error::column set (1-based).
/// When `spans` is given it receives the source span of every node of the result.
Result<ExprPtr> parseFormula(std::string_view text, const ParseOptions& options = {}, SourceMap* spans = nullptr);

} // namespace alphascope

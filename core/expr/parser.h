#pragma once
// Parser for formula text in two notations, into one AST:
// - Qlib's: Mean($close, 20), Ref($close, 5), with infix + - * / and comparisons accepted on input
//   (printed back as functions);
// - WorldQuant's (the 101 Formulaic Alphas, BRAIN): rank(delta(log(volume), 2)), ts_rank(x, 5),
//   cond ? a : b, || && ^, adv20, returns, IndClass.sector (core/expr/worldquant.h has the table).

#include "core/expr/expr.h"
#include "core/util/result.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace alphascope {

/// The formula languages. Auto: "wq:" or "qlib:" before the formula chooses; otherwise a formula
/// with a $field is Qlib's and one without is WorldQuant's (Qlib fields always carry '$').
enum class Notation { Auto, Qlib, WorldQuant };

/// The notation Auto picks for a text.
Notation detectNotation(std::string_view text);

/// What the parser accepts beyond the grammar.
struct ParseOptions {
    Notation notation = Notation::Auto;
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

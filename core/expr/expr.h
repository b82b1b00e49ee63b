#pragma once
// Expr: an immutable formula tree with a structural hash; sub-trees are shared between formulas.

#include "core/expr/op_id.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace alphascope {

class Expr;
/// Formulas are passed around as shared pointers to immutable nodes.
using ExprPtr = std::shared_ptr<const Expr>;

/// One node of a formula: a field ($close), a constant, or an operator applied to arguments.
/// Windows and grouping names are parameters of the operator node, not children.
class Expr {
public:
    enum class Kind : std::uint8_t { Feature, Constant, Operator };

    /// A field, named without '$' ("close").
    static ExprPtr feature(std::string name);
    static ExprPtr constant(double value);
    /// An operator node; `window` for rolling ops, `group` for group ops and the instrument code for
    /// ChangeInstrument (not checked here: the parser and the builders check arity and kinds).
    static ExprPtr op(OpId id, std::vector<ExprPtr> args, int window = 0, std::string group = {});
    /// An operator with a number parameter after its window (Quantile's q).
    static ExprPtr opWithParameter(OpId id, std::vector<ExprPtr> args, int window, double parameter);
    /// Operator node `node` with other arguments (window, grouping and parameter kept).
    static ExprPtr withArgs(const Expr& node, std::vector<ExprPtr> args);

    Kind kind() const { return m_kind; }
    bool isFeature() const { return m_kind == Kind::Feature; }
    bool isConstant() const { return m_kind == Kind::Constant; }
    bool isOperator() const { return m_kind == Kind::Operator; }
    OpId opId() const { return m_op; }
    /// Field name (Feature), grouping name (group operators) or instrument code (ChangeInstrument).
    const std::string& name() const { return m_name; }
    double value() const { return m_value; }
    /// The number parameter of an operator that has one (Quantile's q); 0 otherwise.
    double parameter() const { return m_kind == Kind::Operator ? m_value : 0.0; }
    int window() const { return m_window; }
    const std::vector<ExprPtr>& args() const { return m_args; }
    const ExprPtr& arg(std::size_t i) const { return m_args[i]; }

    /// Structural hash: equal trees have equal hashes.
    std::uint64_t hash() const { return m_hash; }
    /// Number of tokens in reverse-Polish form (fields, constants, windows, groups, operators).
    int tokenCount() const { return m_tokens; }
    int depth() const { return m_depth; }
    /// True when the formula contains no field (a constant expression).
    bool isConstantExpression() const { return m_constantOnly; }

    /// Structural equality (hash first, then the trees).
    bool equals(const Expr& other) const;

    /// Qlib-style text, e.g. "Div(Sub($close, $open), Mean($volume, 20))".
    std::string toString() const;

    /// The largest number of days this formula reads ahead (negative Ref), 0 when none.
    int futureDays() const;
    /// The largest number of days of history one value needs (sum of windows along the deepest path).
    int historyDays() const;

    Expr(Kind kind, OpId op, std::string name, double value, int window, std::vector<ExprPtr> args);

private:
    Kind m_kind;
    OpId m_op;
    std::string m_name;
    double m_value;
    int m_window;
    std::vector<ExprPtr> m_args;
    std::uint64_t m_hash = 0;
    int m_tokens = 1;
    int m_depth = 1;
    bool m_constantOnly = false;
};

/// Formats a constant the way the printer does (shortest text that parses back to the same double).
std::string formatConstant(double value);
/// An instrument code as the printer writes it: 'SPY' (in double quotes when it holds a ').
std::string quoteInstrument(const std::string& code);

inline bool operator==(const Expr& a, const Expr& b) {
    return a.equals(b);
}

} // namespace alphascope

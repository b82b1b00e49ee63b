#pragma once
// The operator table: name, kind, arity, window/group argument, dimension rule, signature.

#include "core/expr/op_id.h"

#include <span>
#include <string>
#include <string_view>

namespace alphascope {

/// How an operator combines its arguments.
enum class OpKind : std::uint8_t {
    Unary,
    Binary,
    Rolling,
    PairRolling,
    CrossSectional,
    Group,
    Select,    ///< If(cond, a, b): three series
    Instrument ///< ChangeInstrument(code, x): one instrument's values of x, on every instrument
};

/// How an operator maps argument dimensions to its result (ALGORITHMS.md §2, Alpha2).
enum class DimRule : std::uint8_t {
    Keep,          ///< same as the (first) argument: Abs, Mean, Max, CSDemean, ...
    Dimensionless, ///< needs nothing, returns dimensionless: Log, Sign, Rank, Corr, Skew, ...
    SameKeep,      ///< arguments must have equal dimensions; result keeps it: Add, Sub, Greater, Less
    Multiply,      ///< exponents add: Mul
    Divide,        ///< exponents subtract: Div
    Invert,        ///< exponents negate: Inv
    Root,          ///< exponents halve (must be even): Sqrt
    Square,        ///< exponents double: Var
    SameSquare,    ///< arguments equal, result squared: Cov
    Power,         ///< Pow, SignedPower: exponent dimensionless; a dimensioned base needs an integer constant exponent
                   ///< (Product: the window)
    SameDimensionless, ///< comparisons (Gt .. Ne): equal dimensions, or one dimensionless (a threshold); result
                       ///< dimensionless
    Select,            ///< If: the condition anything; the two branches equal, result keeps it (as SameKeep)
};

/// One operator's static description.
struct OperatorSpec {
    OpId id;
    std::string_view name;
    OpKind kind;
    int seriesArity;  ///< number of series arguments (1, 2, or 3 for If)
    bool hasWindow;   ///< last argument is a window (a whole number of days)
    bool hasGroup;    ///< last argument is a grouping name (sector, industry, h1, ...)
    bool commutative; ///< Add, Mul, Greater, Less, Cov, Corr
    DimRule dimRule;
    std::string_view signature;   ///< e.g. "Mean(x, window)"
    std::string_view description; ///< one line, English (the UI translates)

    /// A number follows the window (Quantile's q, in [0, 1]); such operators are not searched.
    bool hasParameter = false;
    /// The first argument is an instrument code (ChangeInstrument); such operators are not searched.
    bool hasInstrument = false;

    int argumentCount() const {
        return seriesArity + (hasWindow ? 1 : 0) + (hasGroup ? 1 : 0) + (hasParameter ? 1 : 0) +
               (hasInstrument ? 1 : 0);
    }
    /// Whether the searches can build this operator (a setting may add it to a grammar): not when it
    /// takes a number parameter, an instrument code or three series.
    bool searchable() const { return !hasParameter && !hasInstrument && kind != OpKind::Select; }
};

/// All operators, in OpId order.
std::span<const OperatorSpec> allOperators();
/// The spec of an operator id.
const OperatorSpec& operatorSpec(OpId id);
/// Finds an operator by name or alias (TsMean -> Mean, IdxMax -> ArgMax, ...); nullptr when unknown.
const OperatorSpec* findOperator(std::string_view name);
/// The smallest window an operator gives any value with (Std needs 2 days, Skew 3, Kurt 4, ...).
int minimumWindow(OpId op);
/// The same, with the name in any case (WorldQuant's notation reaches AlphaScope's names this way).
const OperatorSpec* findOperatorIgnoringCase(std::string_view name);
/// The known operator name closest to `name` (edit distance, case-insensitive), for error messages.
std::string closestOperatorName(std::string_view name);
/// Case-insensitive edit distance, for suggestions.
int nameDistance(std::string_view a, std::string_view b);

} // namespace alphascope

#pragma once
// Elementwise kernels (unary and binary operators) over panels and scalars. Results that are
// +-inf or undefined (log of x <= 0, division by 0, ...) are NaN (ALGORITHMS.md §2).

#include "core/data/panel.h"
#include "core/expr/op_id.h"

#include <cstdint>
#include <vector>

namespace alphascope::kernels {

/// The operator applied to one value, in double (the reference for the vectorised kernels).
double unaryValue(OpId op, double x);
double binaryValue(OpId op, double x, double y);

/// out = op(x) for a unary operator; out has x's shape.
void unary(OpId op, const Panel& x, Panel& out);
/// out = op(x, y) with both panels of the same shape.
void binary(OpId op, const Panel& x, const Panel& y, Panel& out);
/// out = op(x, c) (scalarOnRight) or op(c, x).
void binaryScalar(OpId op, const Panel& x, double c, bool scalarOnRight, Panel& out);

/// If: out = a where cond is non-zero, b where it is zero, NaN where cond is NaN (or the chosen value
/// is); all four panels of one shape.
void select(const Panel& cond, const Panel& a, const Panel& b, Panel& out);
/// If on one value each (the reference).
double selectValue(double cond, double a, double b);
/// An operand of a fused elementwise chain: an input panel, an earlier step's result, or a number.
struct ChainOperand {
    enum class Kind : std::uint8_t { Input, Step, Number };
    Kind kind = Kind::Number;
    int index = 0;      ///< into the inputs (Input) or the steps (Step)
    double value = 0.0; ///< Number
};

/// One operator of a chain: unary (args[0]), binary (args[0], args[1]; not both numbers) or If
/// (cond, a, b). Every Step operand refers to an earlier step and is read by this step only.
struct ChainStep {
    OpId op = OpId::Abs;
    int arity = 1;
    ChainOperand args[3];
};

/// Runs `steps` in order over tiles of 1,024 cells, each intermediate tile staying in cache, and
/// writes the last step's values into `out` (the inputs' shape): one pass over the panels for
/// Div(Sub(a, b), Sub(c, d)) instead of three. Every cell is what unary, binary, binaryScalar and
/// select give step by step, bit for bit (the same loops; a number in If is a panel of that float).
void chain(const std::vector<ChainStep>& steps, const std::vector<const Panel*>& inputs, Panel& out);

/// ChangeInstrument: every instrument's cell on day t = x's cell of instrument `column` on day t.
void broadcastColumn(const Panel& x, int column, Panel& out);

/// The widest vector instructions the kernels use on this CPU ("AVX-512", "AVX2" or "baseline"),
/// for benchmark reports: every path gives the same values (core/util/simd.h).
const char* vectorInstructions();

} // namespace alphascope::kernels

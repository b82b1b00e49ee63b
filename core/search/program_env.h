#pragma once
// The Alpha2 program environment (ALGORITHMS.md §6, PEERS.md §4): a formula is a program of
// instructions over `grammar.registers` registers, at most `grammar.maxInstructions` of them;
// register 0 holds the result and Finish ends the program.
//
// The action list (ProgramVocabulary) is enumerated once per grammar, so that a policy network has
// a fixed-size head: every instruction (operator, destination register, operands, window, group)
// the grammar allows, then Finish (last). Choices that keep it small (about 5,000 actions for the
// default grammar) and free of useless duplicates:
// - an operand is a register, a feature or a constant; the first series operand is never a
//   constant, constants appear only as the second operand of a binary operator (Pow's exponent,
//   Greater's floor, ...), never in pair-rolling operators (Corr with a constant is undefined);
// - a binary or pair-rolling instruction has two different operands; commutative operators
//   (Add, Mul, Greater, Less, Cov, Corr) keep one order only (registers before features,
//   lower index first);
// - windows below an operator's minimum (Std needs 2 days, ...) are left out.
// At a state an instruction is legal when its register operands hold formulas, its result is not
// a constant-only expression, the dimension rule passes (when grammar.dimensionCheck: pruned before
// a node is expanded), and Finish stays reachable: once all but one instruction are used, only
// instructions that write register 0 are legal while it is empty. Finish is legal when register 0
// holds a featured formula, and is the only legal action at maxInstructions.

#include "core/expr/dimension.h"
#include "core/expr/expr.h"
#include "core/search/grammar.h"

#include <cstdint>
#include <string>
#include <vector>

namespace alphascope {

/// One operand of an instruction.
struct ProgramOperand {
    enum class Kind : std::uint8_t { None, Register, Feature, Constant };
    Kind kind = Kind::None;
    int index = 0; ///< register number, or index into the grammar's features / constants
};

/// One action of the program environment: an instruction or Finish.
struct ProgramInstruction {
    bool finish = false;
    OpId op = OpId::Abs;
    int destination = 0;
    ProgramOperand a;     ///< first series operand (register or feature)
    ProgramOperand b;     ///< second operand of binary / pair-rolling operators, else None
    int windowIndex = -1; ///< index into the grammar's windows (rolling operators), else -1
    int groupIndex = -1;  ///< index into the grammar's groups (group operators), else -1
    std::string text;     ///< "r0 = Div($open, $close)", "r1 = Mean(r0, 20)", "Finish"
};

/// The fixed action list of a grammar: instructions, then Finish (last).
class ProgramVocabulary {
public:
    explicit ProgramVocabulary(Grammar grammar);

    const Grammar& grammar() const { return m_grammar; }
    int size() const { return static_cast<int>(m_actions.size()); }
    const ProgramInstruction& instruction(int action) const { return m_actions[static_cast<std::size_t>(action)]; }
    int finishAction() const { return size() - 1; }
    int registers() const { return m_grammar.registers; }
    /// The action with this printed form ("r0 = Div($open, $close)"), or -1.
    int find(const std::string& text) const;

    /// Shared leaves, so that programs reuse the same nodes.
    const ExprPtr& featureExpr(int index) const { return m_features[static_cast<std::size_t>(index)]; }
    const ExprPtr& constantExpr(int index) const { return m_constants[static_cast<std::size_t>(index)]; }

private:
    Grammar m_grammar;
    std::vector<ProgramInstruction> m_actions;
    std::vector<ExprPtr> m_features;
    std::vector<ExprPtr> m_constants;
};

/// A program under construction: the registers' formulas, the actions so far.
class ProgramState {
public:
    /// The empty program (all registers empty). Keeps a pointer to `vocabulary`.
    explicit ProgramState(const ProgramVocabulary& vocabulary);

    const ProgramVocabulary& vocabulary() const { return *m_vocabulary; }
    /// Register contents (null = empty).
    const std::vector<ExprPtr>& registers() const { return m_registers; }
    /// Instructions applied (Finish excluded).
    int length() const { return m_length; }
    bool finished() const { return m_finished; }
    /// Actions so far, Finish included once finished.
    const std::vector<int>& actions() const { return m_actions; }

    bool isLegal(int action) const;
    /// Legal actions in vocabulary order (empty once finished).
    std::vector<int> legalActions() const;
    /// Applies a legal action (an illegal one is a programming error: asserted, ignored in release).
    void apply(int action);
    /// Register 0's formula (null while empty).
    ExprPtr result() const { return m_registers.empty() ? nullptr : m_registers.front(); }

    /// The network's view of the state: the action ids so far, padded to grammar.maxInstructions
    /// with vocabulary().size() (Finish is never part of an encoded state: finished states are not
    /// evaluated). The registers are a function of this sequence, and the network embeds each
    /// instruction by its parts (operator, destination, operands, window), so the encoding is
    /// complete and small.
    std::vector<int> encode() const;

private:
    bool operandReady(const ProgramOperand& o) const;
    Dimension operandDimension(const ProgramOperand& o) const;
    ExprPtr operandExpr(const ProgramOperand& o) const;
    DimensionStep dimensionStep(const ProgramInstruction& ins) const;

    const ProgramVocabulary* m_vocabulary;
    std::vector<ExprPtr> m_registers;
    std::vector<Dimension> m_dimensions;
    std::vector<int> m_actions;
    int m_length = 0;
    bool m_finished = false;
};

} // namespace alphascope

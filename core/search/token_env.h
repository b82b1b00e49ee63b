#pragma once
// The token environment (AlphaGen / AlphaSAGE, ALGORITHMS.md §5): a formula is built token by
// token in reverse-Polish order. The legal-action mask follows the grammar (operands on the stack,
// windows only after a featured expression and only before a rolling operator, no constant-only
// sub-formulas), optionally the dimension rules, and the length limit: an action is legal only if
// a valid formula can still be finished within maxTokens. So every finished formula is valid.

#include "core/expr/expr.h"
#include "core/search/grammar.h"
#include "core/util/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace alphascope {

enum class TokenKind : std::uint8_t { Operator, Feature, Constant, Window, Stop };

/// One action of the token environment.
struct Token {
    TokenKind kind = TokenKind::Stop;
    OpId op = OpId::Abs; ///< Operator tokens
    int index = 0;       ///< index into the grammar's operators / features / constants / windows
    int group = 0;       ///< a group operator's grouping (index into the grammar's groups)
    std::string text;    ///< "Mean", "GroupRank", "GroupRank(industry)", "$close", "-0.5", "20d", "SEP"
};

/// The action list of a grammar: operators, features, constants, windows, then stop (last). A group
/// operator has one action per grouping of the grammar, the first named as the operator alone (so a
/// grammar with one grouping has one action per operator), the others "GroupRank(industry)".
class TokenVocabulary {
public:
    explicit TokenVocabulary(Grammar grammar);

    const Grammar& grammar() const { return m_grammar; }
    int size() const { return static_cast<int>(m_tokens.size()); }
    const Token& token(int action) const { return m_tokens[static_cast<std::size_t>(action)]; }
    int stopAction() const { return size() - 1; }
    /// Action of an operator (a group operator on the grammar's grouping number `group`) / feature /
    /// window / constant, or -1 when the grammar lacks it.
    int operatorAction(OpId op, int group = 0) const;
    int featureAction(const std::string& name) const;
    int windowAction(int window) const;
    int constantAction(double value) const;

private:
    Grammar m_grammar;
    std::vector<Token> m_tokens;
};

/// Relation types of the formula graph (AlphaSAGE's RGCN), child -> parent.
enum class TokenRelation : std::uint8_t {
    UnaryOperand = 0,       ///< the operand of a unary or cross-sectional operator
    CommutativeOperand = 1, ///< an operand of Add, Mul (commutative binary)
    LeftOperand = 2,        ///< first operand of a non-commutative binary
    RightOperand = 3,       ///< second operand of a non-commutative binary
    DataOperand = 4,        ///< a series operand of a rolling or pair-rolling operator
    WindowOperand = 5,      ///< the window token of a rolling or pair-rolling operator
};

/// One formula under construction.
class TokenBuilder {
public:
    explicit TokenBuilder(const TokenVocabulary& vocabulary);

    /// Back to the empty formula.
    void reset();
    /// 1 for each legal action now (size vocabulary().size()); all 0 once finished.
    const std::vector<std::uint8_t>& legalMask() const { return m_mask; }
    bool isLegal(int action) const;
    /// Applies a legal action (an illegal one is a programming error: asserted, ignored in release).
    void apply(int action);
    /// True once stop was applied.
    bool finished() const { return m_finished; }
    /// Tokens so far, stop excluded.
    int length() const;
    /// The actions taken so far (stop included once finished).
    const std::vector<int>& actions() const { return m_actions; }
    /// The finished formula (null before finished()).
    ExprPtr result() const;
    /// The expression on top of the stack when it is a complete featured formula (for dense
    /// rewards), else null.
    ExprPtr stackTop() const;
    int stackSize() const;

    /// The partial formula as a forest over token positions 0..length()-1: an edge per operand.
    struct Edge {
        int child = 0;
        int parent = 0;
        TokenRelation relation = TokenRelation::UnaryOperand;
    };
    std::vector<Edge> edges() const;

    const TokenVocabulary& vocabulary() const { return *m_vocabulary; }

private:
    struct Item; // a stack entry (defined in the .cpp)
    void updateMask();

    const TokenVocabulary* m_vocabulary;
    std::vector<int> m_actions;
    std::vector<std::uint8_t> m_mask;
    std::vector<Edge> m_edges;
    std::shared_ptr<void> m_state; // stack of Items (opaque here)
    bool m_finished = false;
};

/// The actions that build `expr` in reverse-Polish order, stop included. Errors: NotFound when a
/// token is not in the vocabulary; InvalidArgument when the grammar's masks would refuse a step.
Result<std::vector<int>> tokenize(const Expr& expr, const TokenVocabulary& vocabulary);

} // namespace alphascope

#pragma once
// Genetic programming baseline (gplearn-style, ALGORITHMS.md §7, PEERS.md §5): a population of
// formula trees over the shared Grammar, ramped half-and-half initialisation, tournament selection,
// subtree crossover, subtree / hoist / point mutation and reproduction; fitness = |train IC| -
// parsimony * tokens. The best individuals are offered to the run's alpha pool every few
// generations, as AlphaGen's gplearn baseline loads its best cached expressions into its pool.

#include "core/expr/expr.h"
#include "core/search/grammar.h"
#include "core/util/result.h"

#include <functional>
#include <random>
#include <vector>

namespace alphascope {

class SearchRun;
struct GeneticOptions;

/// Runs the genetic search with `run.config().gp` until `run.shouldStop()` (budget or cancel);
/// the pool of `run` holds the result. Errors: InvalidArgument for options that make no search
/// (population or tournament < 1, probabilities outside [0, 1] or summing above 1, ...) and for a
/// grammar that leaves no operator or field.
Result<void> runGeneticSearch(SearchRun& run);

/// The genetic operators over one grammar (public for tests). Every tree they return is
/// admissible(): operators and windows from the grammar, no constant-only operand, at most
/// grammar.maxTokens tokens and, with grammar.dimensionCheck, dimension-consistent. An offspring
/// that would break these rules is replaced by a copy of its parent (gplearn-style).
class GeneticOperators {
public:
    /// `grammar` and `rng` must outlive the operators. Operators the grammar cannot use (no long
    /// enough window, group operators without groupings) are left out.
    GeneticOperators(const Grammar& grammar, std::mt19937_64& rng);

    /// True when the grammar leaves at least one operator and one field to build from.
    bool usable() const { return !m_ops.empty() && !m_grammar.features.empty(); }

    /// A random tree by gplearn's "full" (operators down to `depth`) or "grow" method; `depth`
    /// counts operator levels (1 = one operator over terminals). Not checked against maxTokens
    /// or dimensions.
    ExprPtr randomTree(int depth, bool full);
    /// Ramped half-and-half: depth uniform in [minDepth, maxDepth], full or grow with equal
    /// probability, drawn again until admissible (then shallower; a lone field as a last resort).
    ExprPtr initialTree(int minDepth, int maxDepth);

    /// Replaces a random subtree of `parent` with a random subtree of `donor`.
    ExprPtr crossover(const ExprPtr& parent, const ExprPtr& donor);
    /// Crossover with a fresh random tree of depth [minDepth, maxDepth] ("headless chicken").
    ExprPtr subtreeMutation(const ExprPtr& parent, int minDepth, int maxDepth);
    /// Replaces a random subtree S of `parent` with a random subtree of S (shrinks bloat).
    ExprPtr hoistMutation(const ExprPtr& parent);
    /// Each node is replaced with probability `replaceProbability`: an operator by another one of
    /// the same shape (series arity, window, grouping), or its window / grouping redrawn; a
    /// terminal by another terminal.
    ExprPtr pointMutation(const ExprPtr& parent, double replaceProbability);

    /// The grammar rules every individual follows (see the class comment).
    bool admissible(const Expr& expr) const;

    /// Subtrees of `root` in pre-order (root first).
    static std::vector<ExprPtr> subtrees(const ExprPtr& root);

private:
    struct Slot {
        ExprPtr node;
        std::vector<int> path; ///< argument indices from the root
        bool needsField;       ///< a bare constant may not stand here
    };
    std::vector<Slot> slots(const ExprPtr& root) const;
    int pickSlot(const std::vector<Slot>& slots, bool requireField);
    ExprPtr grow(int depth, int maxDepth, bool full, bool needsField);
    ExprPtr randomTerminal(bool needsField);
    ExprPtr randomOperatorNode(OpId op, std::vector<ExprPtr> args);
    ExprPtr mutatePoints(const ExprPtr& node, bool needsField, double p);
    ExprPtr orParent(ExprPtr child, const ExprPtr& parent) const;
    bool validNode(const Expr& expr) const;
    int pickWindow(OpId op);
    std::size_t index(std::size_t n);
    double uniform();

    const Grammar& m_grammar;
    std::mt19937_64& m_rng;
    std::vector<OpId> m_ops;                 ///< usable operators, in grammar order
    std::vector<bool> m_allowed;             ///< per OpId: in m_ops
    std::vector<std::vector<int>> m_windows; ///< per OpId: the grammar's windows >= minimumWindow
};

/// gplearn's variation step: `r` in [0, 1) picks, by the options' probabilities in the order
/// crossover (with donor(), called only then), subtree, hoist and point mutation, one child of
/// `parent`; r beyond their sum is reproduction (the parent itself).
ExprPtr vary(GeneticOperators& ops, const GeneticOptions& o, const ExprPtr& parent, double r,
             const std::function<ExprPtr()>& donor);

} // namespace alphascope

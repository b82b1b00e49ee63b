#include "core/search/token_env.h"

#include "core/expr/dimension.h"
#include "core/expr/operator_registry.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <tuple>

// Legality and the length limit
// -----------------------------
// The grammar rules (PEERS.md §1.5, AlphaGen's tree.py) decide whether a token may follow the
// current stack. On top of them an action is legal only when, after it, a valid formula can still
// be finished within the tokens left. "Can be finished" is decided for a fixed family R of
// completions ("reductions"): from a stack e_1..e_n (bottom..top) only the top is ever worked on:
//   - transform the top (a unary, cross-sectional or group operator: 1 token; a rolling operator:
//     window + operator, 2 tokens), or
//   - merge the top two (a binary operator: 1 token; a pair-rolling operator: window + op, 2),
// until one featured expression is left; a window on top first needs its rolling operator (1);
// a lone constant first needs a field pushed (then a binary merge); an empty stack needs a field.
// cost(s) = the cheapest completion of s in R (infinite when R has none).
//
// Claim: if cost(s) <= tokens left, then either stop is legal (cost 0: one featured expression) or
// some action a is legal with cost(s + a) <= tokens left - 1. Proof: every move of R is allowed by
// the grammar rules (transforms and merges apply to featured tops, windows are pushed on featured
// tops, the field after a lone constant is pushed on a non-window), and the rest of an R
// completion after its first move is an R completion of the next state, so cost drops by at least
// one per move of the cheapest completion. The start state has cost 1 (push a field). Hence a
// walk of legal actions never gets stuck and always ends with stop within maxTokens tokens.
//
// R is exact without the dimension check when the grammar has a binary operator (every completion
// must merge the n entries: n-1 tokens at least, R reaches that). With dimensions, R covers any
// sequence of transforms and merges (a small search over the reachable dimensions of the merged
// top) but not completions that push new leaves to repair a dimension; such grammars (no Mul/Div)
// lose a few choices, never validity. Two facts keep R sound: constants are pushed only on an
// empty stack or a featured top, so two constants are never adjacent and every merge has a
// featured operand; a window is only ever on top (nothing but its rolling operator may follow).

namespace alphascope {

namespace {

constexpr int kInfinite = std::numeric_limits<int>::max() / 4;

/// What legality and completion need to know about one stack entry.
struct Entry {
    bool window = false;
    int days = 0;          ///< window length (window entries)
    bool featured = false; ///< contains a field
    bool constant = false; ///< a bare constant (the only expression that is not featured)
    double value = 0.0;    ///< the constant
    Dimension dim;         ///< dimensionless when the dimension check is off
};

/// The grammar, sorted by the role each operator plays.
struct Rules {
    const Grammar* grammar = nullptr;
    bool dimensionCheck = false;
    bool grouped = false;               ///< the grammar has a grouping: group operators may be legal
    std::vector<Dimension> featureDims; ///< per grammar feature
    std::vector<OpId> binaries;         ///< Mul/Div first: the greedy merge tries the ones that always fit first
    std::vector<OpId> rolling;
    std::vector<OpId> pairRolling; ///< those a grammar window fits
    struct Transform {
        OpId op;
        int cost; ///< tokens: 1, or 2 for a rolling operator (window + operator)
    };
    std::vector<Transform> transforms; ///< one featured entry in, one out
};

Rules makeRules(const Grammar& g) {
    Rules r;
    r.grammar = &g;
    r.dimensionCheck = g.dimensionCheck;
    r.grouped = !g.groups.empty();
    for (const auto& f : g.features)
        r.featureDims.push_back(g.dimensionCheck ? fieldDimension(f) : Dimension::dimensionless());
    const int maxWindow = g.windows.empty() ? 0 : *std::max_element(g.windows.begin(), g.windows.end());
    std::vector<OpId> seen;
    for (OpId op : g.operators) {
        if (std::find(seen.begin(), seen.end(), op) != seen.end()) continue;
        seen.push_back(op);
        const OperatorSpec& spec = operatorSpec(op);
        switch (spec.kind) {
        case OpKind::Unary:
        case OpKind::CrossSectional: r.transforms.push_back({op, 1}); break;
        case OpKind::Group:
            if (r.grouped) r.transforms.push_back({op, 1});
            break;
        case OpKind::Binary: r.binaries.push_back(op); break;
        case OpKind::Rolling:
            r.rolling.push_back(op);
            if (maxWindow >= minimumWindow(op)) r.transforms.push_back({op, 2});
            break;
        case OpKind::PairRolling:
            if (maxWindow >= minimumWindow(op)) r.pairRolling.push_back(op);
            break;
        case OpKind::Select:
        case OpKind::Instrument: // not searchable (Grammar::validate refuses them)
            break;
        }
    }
    std::stable_partition(r.binaries.begin(), r.binaries.end(), [](OpId op) {
        const DimRule d = operatorSpec(op).dimRule;
        return d == DimRule::Multiply || d == DimRule::Divide;
    });
    return r;
}

/// The dimension of op(a, b), or nothing when the dimension rules refuse it.
std::optional<Dimension> applyRule(const Rules& r, OpId op, const Dimension& a,
                                   const Dimension& b = Dimension::dimensionless(), const double* exponent = nullptr) {
    if (!r.dimensionCheck) return Dimension::dimensionless();
    DimensionStep step = applyDimensionRule(op, a, b, exponent);
    if (!step.ok) return std::nullopt;
    return step.result;
}

/// One token's effect on the stack: pop `pop` entries, push `push`.
struct Move {
    int pop = 0;
    Entry push;
};

bool isFeaturedExpr(const Entry& e) {
    return !e.window && e.featured;
}

/// The effect of an operator when the grammar (and the dimension rules) allow it now.
std::optional<Move> tryOperator(const Rules& r, const std::vector<Entry>& s, OpId op) {
    const OperatorSpec& spec = operatorSpec(op);
    const std::size_t n = s.size();
    Move m;
    m.push.featured = true;
    std::optional<Dimension> d;
    switch (spec.kind) {
    case OpKind::Group:
        if (!r.grouped) return std::nullopt;
        [[fallthrough]];
    case OpKind::Unary:
    case OpKind::CrossSectional:
        if (n < 1 || !isFeaturedExpr(s[n - 1])) return std::nullopt;
        d = applyRule(r, op, s[n - 1].dim);
        m.pop = 1;
        break;
    case OpKind::Binary: {
        if (n < 2) return std::nullopt;
        const Entry& a = s[n - 2];
        const Entry& b = s[n - 1];
        if (a.window || b.window || (!a.featured && !b.featured)) return std::nullopt;
        d = applyRule(r, op, a.dim, b.dim, b.constant ? &b.value : nullptr);
        m.pop = 2;
        break;
    }
    case OpKind::Rolling:
        if (n < 2 || !s[n - 1].window || s[n - 1].days < minimumWindow(op) || !isFeaturedExpr(s[n - 2]))
            return std::nullopt;
        if (op == OpId::Product) { // a product of W values has W times the dimension
            const double days = s[n - 1].days;
            d = applyRule(r, op, s[n - 2].dim, Dimension::dimensionless(), &days);
        } else {
            d = applyRule(r, op, s[n - 2].dim);
        }
        m.pop = 2;
        break;
    case OpKind::PairRolling:
        if (n < 3 || !s[n - 1].window || s[n - 1].days < minimumWindow(op) || !isFeaturedExpr(s[n - 2]) ||
            !isFeaturedExpr(s[n - 3]))
            return std::nullopt;
        d = applyRule(r, op, s[n - 3].dim, s[n - 2].dim);
        m.pop = 3;
        break;
    case OpKind::Select:
    case OpKind::Instrument: return std::nullopt;
    }
    if (!d) return std::nullopt;
    m.push.dim = *d;
    return m;
}

/// The effect of a non-stop token when the grammar rules allow it now.
std::optional<Move> tryToken(const Rules& r, const std::vector<Entry>& s, const Token& t) {
    const Entry* top = s.empty() ? nullptr : &s.back();
    Move m;
    switch (t.kind) {
    case TokenKind::Feature:
        if (top && top->window) return std::nullopt;
        m.push.featured = true;
        m.push.dim = r.featureDims[static_cast<std::size_t>(t.index)];
        return m;
    case TokenKind::Constant:
        if (top && !isFeaturedExpr(*top)) return std::nullopt;
        m.push.constant = true;
        m.push.value = r.grammar->constants[static_cast<std::size_t>(t.index)];
        m.push.dim = Dimension::dimensionless();
        return m;
    case TokenKind::Window:
        if (!top || !isFeaturedExpr(*top)) return std::nullopt;
        m.push.window = true;
        m.push.days = r.grammar->windows[static_cast<std::size_t>(t.index)];
        return m;
    case TokenKind::Operator: return tryOperator(r, s, t.op);
    case TokenKind::Stop: return std::nullopt;
    }
    return std::nullopt;
}

std::vector<Entry> applied(std::vector<Entry> s, const Move& m) {
    s.resize(s.size() - static_cast<std::size_t>(m.pop));
    s.push_back(m.push);
    return s;
}

using DimKey = std::tuple<bool, int, int>;
using DimCosts = std::map<DimKey, int>; // ordered: results never depend on hashing
DimKey keyOf(const Dimension& d) {
    return {d.known, d.price, d.volume};
}
Dimension dimOf(const DimKey& k) {
    return {std::get<1>(k), std::get<2>(k), std::get<0>(k)};
}

void offer(DimCosts& m, const Dimension& d, int cost, int limit) {
    if (cost > limit) return;
    auto [it, inserted] = m.try_emplace(keyOf(d), cost);
    if (!inserted && it->second > cost) it->second = cost;
}

/// Closes a set of featured tops under transforms (cheapest cost per dimension, up to `limit`).
void closeUnderTransforms(const Rules& r, DimCosts& m, int limit) {
    std::vector<std::pair<DimKey, int>> work(m.begin(), m.end());
    while (!work.empty()) {
        const auto [k, c] = work.back();
        work.pop_back();
        if (m[k] < c) continue;
        const Dimension d = dimOf(k);
        for (const auto& t : r.transforms) {
            const int nc = c + t.cost;
            if (nc > limit) continue;
            const auto rd = applyRule(r, t.op, d);
            if (!rd) continue;
            auto [it, inserted] = m.try_emplace(keyOf(*rd), nc);
            if (!inserted) {
                if (it->second <= nc) continue;
                it->second = nc;
            }
            work.emplace_back(keyOf(*rd), nc);
        }
    }
}

/// A quick upper bound of the cheapest reduction: merge the top two with the first binary
/// operator that fits, no transforms.
int greedyReduction(const Rules& r, const std::vector<Entry>& s) {
    Entry carry = s.back();
    int cost = 0;
    for (int i = static_cast<int>(s.size()) - 2; i >= 0; --i) {
        const Entry& below = s[static_cast<std::size_t>(i)];
        if (!below.featured && !carry.featured) return kInfinite;
        std::optional<Dimension> d;
        for (OpId op : r.binaries)
            if ((d = applyRule(r, op, below.dim, carry.dim, carry.constant ? &carry.value : nullptr))) break;
        if (!d) return kInfinite;
        carry = Entry{};
        carry.featured = true;
        carry.dim = *d;
        ++cost;
    }
    return cost;
}

/// The cheapest reduction of a stack with no window on top (not a lone constant), or kInfinite
/// when it exceeds `bound`: a search over the dimensions the merged top can take.
int exactReduction(const Rules& r, const std::vector<Entry>& s, int bound) {
    const int n = static_cast<int>(s.size());
    const Entry& top = s.back();
    DimCosts carry; // featured tops reachable so far, by dimension
    const Entry* bareConstant = top.constant ? &top : nullptr;
    if (!bareConstant) {
        carry[keyOf(top.dim)] = 0;
        closeUnderTransforms(r, carry, bound - (n - 1));
    }
    for (int i = n - 2; i >= 0; --i) {
        const Entry& below = s[static_cast<std::size_t>(i)];
        const int limit = bound - i; // i more merges follow, one token each at least
        DimCosts next;
        if (bareConstant && below.featured)
            for (OpId op : r.binaries)
                if (auto d = applyRule(r, op, below.dim, bareConstant->dim, &bareConstant->value))
                    offer(next, *d, 1, limit);
        for (const auto& [k, c] : carry) {
            const Dimension d = dimOf(k);
            for (OpId op : r.binaries)
                if (auto rd = applyRule(r, op, below.dim, d)) offer(next, *rd, c + 1, limit);
            if (below.featured && !below.window)
                for (OpId op : r.pairRolling)
                    if (auto rd = applyRule(r, op, below.dim, d)) offer(next, *rd, c + 2, limit);
        }
        closeUnderTransforms(r, next, limit);
        if (next.empty()) return kInfinite;
        carry.swap(next);
        bareConstant = nullptr;
    }
    int best = kInfinite;
    for (const auto& kv : carry) best = std::min(best, kv.second);
    return best <= bound ? best : kInfinite;
}

/// True when R finishes `s` within `bound` more tokens (stop not counted).
bool finishable(const Rules& r, const std::vector<Entry>& s, int bound) {
    if (bound < 0) return false;
    if (s.empty()) return bound >= 1 && !r.featureDims.empty();
    const Entry& top = s.back();
    if (top.window) {
        // Only a rolling operator may follow a window.
        if (bound < 1) return false;
        for (const auto* ops : {&r.rolling, &r.pairRolling})
            for (OpId op : *ops)
                if (auto m = tryOperator(r, s, op); m && finishable(r, applied(s, *m), bound - 1)) return true;
        return false;
    }
    if (s.size() == 1 && top.constant) {
        // A lone constant: push a field, then merge.
        if (bound < 2) return false;
        for (const Dimension& d : r.featureDims) {
            Entry f;
            f.featured = true;
            f.dim = d;
            if (finishable(r, {top, f}, bound - 1)) return true;
        }
        return false;
    }
    const int merges = static_cast<int>(s.size()) - 1;
    if (merges > bound) return false;
    if (greedyReduction(r, s) <= bound) return true;
    return exactReduction(r, s, bound) <= bound;
}

/// Child -> parent relation of an operand (AlphaSAGE: only Add and Mul are commutative operands;
/// Greater and Less are left/right although the registry marks them commutative). Of Qlib's
/// operators, Eq, Ne, And and Or are commutative operands too.
TokenRelation binaryRelation(OpId op, bool left) {
    const bool commutative = operatorSpec(op).commutative && op != OpId::Greater && op != OpId::Less;
    if (commutative) return TokenRelation::CommutativeOperand;
    return left ? TokenRelation::LeftOperand : TokenRelation::RightOperand;
}

} // namespace

// ---------------------------------------------------------------------------------------------

TokenVocabulary::TokenVocabulary(Grammar grammar) : m_grammar(std::move(grammar)) {
    for (std::size_t i = 0; i < m_grammar.operators.size(); ++i) {
        const OpId op = m_grammar.operators[i];
        const bool grouped = operatorSpec(op).hasGroup;
        const std::size_t groupings = grouped ? std::max<std::size_t>(1, m_grammar.groups.size()) : 1;
        for (std::size_t g = 0; g < groupings; ++g) {
            Token t;
            t.kind = TokenKind::Operator;
            t.op = op;
            t.index = static_cast<int>(i);
            t.group = static_cast<int>(g);
            t.text = std::string(operatorSpec(op).name);
            if (g > 0) t.text += "(" + m_grammar.groups[g] + ")";
            m_tokens.push_back(std::move(t));
        }
    }
    for (std::size_t i = 0; i < m_grammar.features.size(); ++i)
        m_tokens.push_back({TokenKind::Feature, OpId::Abs, static_cast<int>(i), 0, "$" + m_grammar.features[i]});
    for (std::size_t i = 0; i < m_grammar.constants.size(); ++i)
        m_tokens.push_back(
            {TokenKind::Constant, OpId::Abs, static_cast<int>(i), 0, formatConstant(m_grammar.constants[i])});
    for (std::size_t i = 0; i < m_grammar.windows.size(); ++i)
        m_tokens.push_back(
            {TokenKind::Window, OpId::Abs, static_cast<int>(i), 0, std::to_string(m_grammar.windows[i]) + "d"});
    m_tokens.push_back({TokenKind::Stop, OpId::Abs, 0, 0, "SEP"});
}

int TokenVocabulary::operatorAction(OpId op, int group) const {
    for (int a = 0; a < size(); ++a) {
        const Token& t = m_tokens[static_cast<std::size_t>(a)];
        if (t.kind == TokenKind::Operator && t.op == op && t.group == group) return a;
    }
    return -1;
}

int TokenVocabulary::featureAction(const std::string& name) const {
    for (int a = 0; a < size(); ++a) {
        const Token& t = m_tokens[static_cast<std::size_t>(a)];
        if (t.kind == TokenKind::Feature && m_grammar.features[static_cast<std::size_t>(t.index)] == name) return a;
    }
    return -1;
}

int TokenVocabulary::windowAction(int window) const {
    for (int a = 0; a < size(); ++a) {
        const Token& t = m_tokens[static_cast<std::size_t>(a)];
        if (t.kind == TokenKind::Window && m_grammar.windows[static_cast<std::size_t>(t.index)] == window) return a;
    }
    return -1;
}

int TokenVocabulary::constantAction(double value) const {
    for (int a = 0; a < size(); ++a) {
        const Token& t = m_tokens[static_cast<std::size_t>(a)];
        if (t.kind != TokenKind::Constant) continue;
        const double c = m_grammar.constants[static_cast<std::size_t>(t.index)];
        // Printed constants parse back exactly; the tolerance only forgives arithmetic noise.
        if (c == value || std::fabs(c - value) <= 1e-12 * std::max(1.0, std::fabs(c))) return a;
    }
    return -1;
}

// ---------------------------------------------------------------------------------------------

namespace {

/// The builder's state behind its opaque pointer. Copied on write, so that copies of a builder
/// (tree searches keep them) never share a stack.
struct BuilderState {
    std::shared_ptr<const Rules> rules;
    std::vector<Entry> entries; ///< the stack, bottom first
    std::vector<ExprPtr> exprs; ///< per entry; null for a window
    std::vector<int> nodes;     ///< per entry: token position of its root
};

const BuilderState& stateOf(const std::shared_ptr<void>& p) {
    return *static_cast<const BuilderState*>(p.get());
}

} // namespace

TokenBuilder::TokenBuilder(const TokenVocabulary& vocabulary) : m_vocabulary(&vocabulary) {
    auto state = std::make_shared<BuilderState>();
    state->rules = std::make_shared<const Rules>(makeRules(vocabulary.grammar()));
    m_state = std::move(state);
    updateMask();
}

void TokenBuilder::reset() {
    auto state = std::make_shared<BuilderState>();
    state->rules = stateOf(m_state).rules;
    m_state = std::move(state);
    m_actions.clear();
    m_edges.clear();
    m_finished = false;
    updateMask();
}

bool TokenBuilder::isLegal(int action) const {
    return action >= 0 && action < static_cast<int>(m_mask.size()) && m_mask[static_cast<std::size_t>(action)] != 0;
}

int TokenBuilder::length() const {
    return static_cast<int>(m_actions.size()) - (m_finished ? 1 : 0);
}

int TokenBuilder::stackSize() const {
    return static_cast<int>(stateOf(m_state).entries.size());
}

ExprPtr TokenBuilder::result() const {
    if (!m_finished) return nullptr;
    return stateOf(m_state).exprs.front();
}

ExprPtr TokenBuilder::stackTop() const {
    const BuilderState& s = stateOf(m_state);
    if (s.entries.empty() || !isFeaturedExpr(s.entries.back())) return nullptr;
    return s.exprs.back();
}

std::vector<TokenBuilder::Edge> TokenBuilder::edges() const {
    return m_edges;
}

void TokenBuilder::updateMask() {
    const TokenVocabulary& v = *m_vocabulary;
    m_mask.assign(static_cast<std::size_t>(v.size()), 0);
    if (m_finished) return;
    const BuilderState& s = stateOf(m_state);
    const Rules& r = *s.rules;
    const int left = v.grammar().maxTokens - length() - 1; // tokens left after the next one
    if (left >= 0) {
        for (int a = 0; a < v.stopAction(); ++a) {
            const auto move = tryToken(r, s.entries, v.token(a));
            if (move && finishable(r, applied(s.entries, *move), left)) m_mask[static_cast<std::size_t>(a)] = 1;
        }
    }
    if (s.entries.size() == 1 && isFeaturedExpr(s.entries.front()))
        m_mask[static_cast<std::size_t>(v.stopAction())] = 1;
}

void TokenBuilder::apply(int action) {
    assert(isLegal(action));
    if (!isLegal(action)) return;
    const TokenVocabulary& v = *m_vocabulary;
    m_actions.push_back(action);
    if (action == v.stopAction()) {
        m_finished = true;
        updateMask();
        return;
    }
    if (m_state.use_count() > 1) m_state = std::make_shared<BuilderState>(stateOf(m_state));
    auto& s = *static_cast<BuilderState*>(m_state.get());
    const Token& t = v.token(action);
    const auto move = tryToken(*s.rules, s.entries, t);
    const int position = static_cast<int>(m_actions.size()) - 1;
    const std::size_t base = s.entries.size() - static_cast<std::size_t>(move->pop);

    ExprPtr expr;
    switch (t.kind) {
    case TokenKind::Feature: expr = Expr::feature(v.grammar().features[static_cast<std::size_t>(t.index)]); break;
    case TokenKind::Constant: expr = Expr::constant(v.grammar().constants[static_cast<std::size_t>(t.index)]); break;
    case TokenKind::Window:
    case TokenKind::Stop: break;
    case TokenKind::Operator: {
        const OperatorSpec& spec = operatorSpec(t.op);
        std::vector<ExprPtr> args;
        int window = 0;
        for (std::size_t i = base; i < s.entries.size(); ++i) {
            if (s.entries[i].window) {
                window = s.entries[i].days;
                m_edges.push_back({s.nodes[i], position, TokenRelation::WindowOperand});
                continue;
            }
            args.push_back(s.exprs[i]);
            TokenRelation rel = TokenRelation::UnaryOperand;
            if (spec.kind == OpKind::Binary)
                rel = binaryRelation(t.op, i == base);
            else if (spec.kind == OpKind::Rolling || spec.kind == OpKind::PairRolling)
                rel = TokenRelation::DataOperand;
            m_edges.push_back({s.nodes[i], position, rel});
        }
        expr = Expr::op(t.op, std::move(args), window,
                        spec.hasGroup ? s.rules->grammar->groups[static_cast<std::size_t>(t.group)] : std::string());
        break;
    }
    }
    s.entries.resize(base);
    s.exprs.resize(base);
    s.nodes.resize(base);
    s.entries.push_back(move->push);
    s.exprs.push_back(std::move(expr));
    s.nodes.push_back(position);
    updateMask();
}

// ---------------------------------------------------------------------------------------------

Result<std::vector<int>> tokenize(const Expr& expr, const TokenVocabulary& vocabulary) {
    const Grammar& g = vocabulary.grammar();
    std::vector<int> actions;
    std::function<Result<void>(const Expr&)> walk = [&](const Expr& e) -> Result<void> {
        switch (e.kind()) {
        case Expr::Kind::Feature: {
            const int a = vocabulary.featureAction(e.name());
            if (a < 0) return makeError(ErrorCode::NotFound, "the field $" + e.name() + " is not in the grammar");
            actions.push_back(a);
            return {};
        }
        case Expr::Kind::Constant: {
            const int a = vocabulary.constantAction(e.value());
            if (a < 0)
                return makeError(ErrorCode::NotFound,
                                 "the constant " + formatConstant(e.value()) + " is not in the grammar");
            actions.push_back(a);
            return {};
        }
        case Expr::Kind::Operator: break;
        }
        const OperatorSpec& spec = operatorSpec(e.opId());
        int group = 0;
        if (spec.hasGroup) {
            const auto it = std::find(g.groups.begin(), g.groups.end(), e.name());
            if (it == g.groups.end())
                return makeError(ErrorCode::NotFound, "the grouping '" + e.name() + "' is not in the grammar");
            group = static_cast<int>(it - g.groups.begin());
        }
        const int opAction = vocabulary.operatorAction(e.opId(), group);
        if (opAction < 0)
            return makeError(ErrorCode::NotFound, "the operator " + std::string(spec.name) + " is not in the grammar");
        for (const auto& arg : e.args())
            if (auto r = walk(*arg); !r) return r;
        if (spec.hasWindow) {
            const int a = vocabulary.windowAction(e.window());
            if (a < 0)
                return makeError(ErrorCode::NotFound,
                                 "the window " + std::to_string(e.window()) + " is not in the grammar");
            actions.push_back(a);
        }
        actions.push_back(opAction);
        return {};
    };
    if (auto r = walk(expr); !r) return r.error();
    actions.push_back(vocabulary.stopAction());

    TokenBuilder builder(vocabulary);
    for (std::size_t i = 0; i < actions.size(); ++i) {
        if (!builder.isLegal(actions[i]))
            return makeError(ErrorCode::InvalidArgument,
                             "the grammar refuses token " + std::to_string(i + 1) + " ('" +
                                 vocabulary.token(actions[i]).text + "') of " + expr.toString() +
                                 (static_cast<int>(i) >= g.maxTokens
                                      ? " (longer than " + std::to_string(g.maxTokens) + " tokens)"
                                      : ""));
        builder.apply(actions[i]);
    }
    return actions;
}

} // namespace alphascope

#include "core/search/genetic_search.h"

#include "core/expr/dimension.h"
#include "core/expr/operator_registry.h"
#include "core/metrics/correlation.h"
#include "core/pool/factor_scorer.h"
#include "core/search/search.h"
#include "core/util/random.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_map>

namespace alphascope {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// gplearn's _get_subtree: operator nodes are picked with weight 0.9, terminals with 0.1, so that
// crossover and mutation move structure rather than single leaves.
constexpr double kOperatorNodeWeight = 0.9;
constexpr double kTerminalNodeWeight = 0.1;
// Draws per depth before initialTree() tries a shallower one (full trees of depth 4 often pass
// maxTokens, and with the dimension check many random trees break a rule).
constexpr int kInitAttempts = 50;
// Generations in a row without a formula that was not scored before: the population has
// converged, and further generations would spend episodes but never the evaluation budget.
constexpr int kStallGenerations = 20;

bool sameShape(const OperatorSpec& a, const OperatorSpec& b) {
    return a.seriesArity == b.seriesArity && a.hasWindow == b.hasWindow && a.hasGroup == b.hasGroup;
}

// Whether argument `i` of operator node `e` must contain a field. Only a binary operator may take a
// bare constant (Mul($close, 2)), and only next to a featured operand; rolling, cross-sectional,
// unary and pair-rolling operators of a constant are constant or undefined (the token
// environment's rule).
bool argumentNeedsField(const Expr& e, std::size_t i) {
    if (operatorSpec(e.opId()).kind == OpKind::Binary) return e.arg(1 - i)->isConstantExpression();
    return true;
}

ExprPtr replaceAt(const ExprPtr& node, const std::vector<int>& path, std::size_t at, ExprPtr replacement) {
    if (at == path.size()) return replacement;
    std::vector<ExprPtr> args = node->args();
    auto& arg = args[static_cast<std::size_t>(path[at])];
    arg = replaceAt(arg, path, at + 1, std::move(replacement));
    return Expr::withArgs(*node, std::move(args));
}

void collectSubtrees(const ExprPtr& node, std::vector<ExprPtr>& out) {
    out.push_back(node);
    for (const auto& a : node->args()) collectSubtrees(a, out);
}

} // namespace

// ---------------------------------------------------------------------------------------------
// GeneticOperators

GeneticOperators::GeneticOperators(const Grammar& grammar, std::mt19937_64& rng)
    : m_grammar(grammar), m_rng(rng), m_allowed(kOpCount, false), m_windows(kOpCount) {
    for (OpId op : grammar.operators) {
        const auto& spec = operatorSpec(op);
        if (m_allowed[static_cast<std::size_t>(op)]) continue; // listed twice
        if (spec.hasGroup && grammar.groups.empty()) continue;
        auto& windows = m_windows[static_cast<std::size_t>(op)];
        if (spec.hasWindow) {
            for (int w : grammar.windows)
                if (w >= minimumWindow(op) && std::find(windows.begin(), windows.end(), w) == windows.end())
                    windows.push_back(w);
            if (windows.empty()) continue;
        }
        m_allowed[static_cast<std::size_t>(op)] = true;
        m_ops.push_back(op);
    }
}

// Every draw goes through core/util/random.h: the same run for a seed with any standard library.
std::size_t GeneticOperators::index(std::size_t n) {
    return static_cast<std::size_t>(uniformInt(m_rng, n));
}
double GeneticOperators::uniform() {
    return uniform01(m_rng);
}

int GeneticOperators::pickWindow(OpId op) {
    const auto& windows = m_windows[static_cast<std::size_t>(op)];
    return windows[index(windows.size())];
}

ExprPtr GeneticOperators::randomTerminal(bool needsField) {
    // gplearn draws a terminal uniformly among the n features and "a constant" (n + 1 choices).
    const std::size_t features = m_grammar.features.size();
    const bool constant = !needsField && !m_grammar.constants.empty() && index(features + 1) == features;
    if (constant) return Expr::constant(m_grammar.constants[index(m_grammar.constants.size())]);
    return Expr::feature(m_grammar.features[index(features)]);
}

ExprPtr GeneticOperators::randomOperatorNode(OpId op, std::vector<ExprPtr> args) {
    const auto& spec = operatorSpec(op);
    const int window = spec.hasWindow ? pickWindow(op) : 0;
    std::string group = spec.hasGroup ? m_grammar.groups[index(m_grammar.groups.size())] : std::string();
    return Expr::op(op, std::move(args), window, std::move(group));
}

ExprPtr GeneticOperators::grow(int depth, int maxDepth, bool full, bool needsField) {
    // gplearn's build_program: the root is always an operator; below it "full" places operators
    // down to maxDepth, "grow" picks an operator with probability ops / (ops + fields).
    const std::size_t choices = m_ops.size() + m_grammar.features.size();
    const bool useOperator = depth < maxDepth && (depth == 0 || full || index(choices) < m_ops.size());
    if (!useOperator) return randomTerminal(needsField);
    const OpId op = m_ops[index(m_ops.size())];
    const auto& spec = operatorSpec(op);
    std::vector<ExprPtr> args;
    // A binary operator needs one featured operand (drawn at random); the other may be a constant.
    const std::size_t featured = spec.kind == OpKind::Binary ? index(2) : 0;
    for (int i = 0; i < spec.seriesArity; ++i) {
        const bool needs = spec.kind != OpKind::Binary || static_cast<std::size_t>(i) == featured;
        args.push_back(grow(depth + 1, maxDepth, full, needs));
    }
    return randomOperatorNode(op, std::move(args));
}

ExprPtr GeneticOperators::randomTree(int depth, bool full) {
    if (m_ops.empty() || depth < 1) return randomTerminal(true);
    return grow(0, depth, full, true);
}

ExprPtr GeneticOperators::initialTree(int minDepth, int maxDepth) {
    int hi = std::max(1, maxDepth);
    int lo = std::clamp(minDepth, 1, hi);
    // Draw again until admissible; when a depth range keeps failing (too many tokens, broken
    // dimensions), narrow it towards depth 1.
    while (!m_ops.empty()) {
        for (int attempt = 0; attempt < kInitAttempts; ++attempt) {
            const int depth = lo + static_cast<int>(index(static_cast<std::size_t>(hi - lo + 1)));
            const bool full = index(2) == 0;
            ExprPtr tree = randomTree(depth, full);
            if (admissible(*tree)) return tree;
        }
        if (hi == 1) break;
        hi -= 1;
        lo = std::min(lo, hi);
    }
    return randomTerminal(true); // a lone field is always admissible
}

std::vector<GeneticOperators::Slot> GeneticOperators::slots(const ExprPtr& root) const {
    std::vector<Slot> out;
    std::vector<int> path;
    auto visit = [&](auto&& self, const ExprPtr& node, bool needsField) -> void {
        out.push_back(Slot{node, path, needsField});
        for (std::size_t i = 0; i < node->args().size(); ++i) {
            path.push_back(static_cast<int>(i));
            self(self, node->arg(i), argumentNeedsField(*node, i));
            path.pop_back();
        }
    };
    visit(visit, root, true);
    return out;
}

int GeneticOperators::pickSlot(const std::vector<Slot>& slots, bool requireField) {
    std::vector<double> weights(slots.size(), 0.0);
    double total = 0.0;
    for (std::size_t i = 0; i < slots.size(); ++i) {
        const Expr& n = *slots[i].node;
        if (requireField && n.isConstantExpression()) continue;
        weights[i] = n.isOperator() ? kOperatorNodeWeight : kTerminalNodeWeight;
        total += weights[i];
    }
    if (total <= 0.0) return -1;
    return static_cast<int>(discrete(m_rng, weights));
}

ExprPtr GeneticOperators::orParent(ExprPtr child, const ExprPtr& parent) const {
    // gplearn-style: an offspring that breaks a limit is replaced by a copy of its parent.
    return admissible(*child) ? child : parent;
}

ExprPtr GeneticOperators::crossover(const ExprPtr& parent, const ExprPtr& donor) {
    const auto target = slots(parent);
    const int at = pickSlot(target, false);
    if (at < 0) return parent;
    const auto& slot = target[static_cast<std::size_t>(at)];
    // A slot that needs a field only takes a featured donor subtree (the donor's root always is).
    const auto source = slots(donor);
    const int from = pickSlot(source, slot.needsField);
    if (from < 0) return parent;
    return orParent(replaceAt(parent, slot.path, 0, source[static_cast<std::size_t>(from)].node), parent);
}

ExprPtr GeneticOperators::subtreeMutation(const ExprPtr& parent, int minDepth, int maxDepth) {
    // gplearn: crossover with a freshly built program ("headless chicken"), ramped half-and-half.
    const int hi = std::max(1, maxDepth);
    const int lo = std::clamp(minDepth, 1, hi);
    const int depth = lo + static_cast<int>(index(static_cast<std::size_t>(hi - lo + 1)));
    const bool full = index(2) == 0;
    return crossover(parent, randomTree(depth, full));
}

ExprPtr GeneticOperators::hoistMutation(const ExprPtr& parent) {
    const auto outer = slots(parent);
    const int at = pickSlot(outer, false);
    if (at < 0) return parent;
    const auto& slot = outer[static_cast<std::size_t>(at)];
    const auto inner = slots(slot.node);
    const int from = pickSlot(inner, slot.needsField);
    if (from < 0) return parent;
    return orParent(replaceAt(parent, slot.path, 0, inner[static_cast<std::size_t>(from)].node), parent);
}

ExprPtr GeneticOperators::mutatePoints(const ExprPtr& node, bool needsField, double p) {
    if (!node->isOperator()) return uniform() < p ? randomTerminal(needsField) : node;

    OpId op = node->opId();
    int window = node->window();
    std::string group = node->name();
    bool changed = false;
    if (uniform() < p) {
        // The changes this node allows: another operator of the same shape (gplearn: same arity;
        // here also the same window / grouping parameter), another window, another grouping.
        const auto& spec = operatorSpec(op);
        std::vector<OpId> alternatives;
        for (OpId other : m_ops)
            if (other != op && sameShape(spec, operatorSpec(other))) alternatives.push_back(other);
        const auto& windows = m_windows[static_cast<std::size_t>(op)];
        const bool windowChange = spec.hasWindow && windows.size() > 1;
        const bool groupChange = spec.hasGroup && m_grammar.groups.size() > 1;
        const std::size_t kinds = (alternatives.empty() ? 0 : 1) + (windowChange ? 1 : 0) + (groupChange ? 1 : 0);
        if (kinds > 0) {
            std::size_t pick = index(kinds);
            if (!alternatives.empty() && pick-- == 0) {
                op = alternatives[index(alternatives.size())];
                const auto& allowed = m_windows[static_cast<std::size_t>(op)];
                // Keep the window when the new operator accepts it (Std needs 2 days, Kurt 4, ...).
                if (spec.hasWindow && std::find(allowed.begin(), allowed.end(), window) == allowed.end())
                    window = pickWindow(op);
            } else if (windowChange && pick-- == 0) {
                std::vector<int> others;
                for (int w : windows)
                    if (w != window) others.push_back(w);
                window = others[index(others.size())];
            } else {
                std::vector<std::string> others;
                for (const auto& g : m_grammar.groups)
                    if (g != group) others.push_back(g);
                group = others[index(others.size())];
            }
            changed = true;
        }
    }
    (void)needsField; // an operator node keeps its fields: its operands follow the rule below

    // Operands left to right; a binary operand may become a constant only while its sibling (as
    // mutated so far) holds a field, so two leaves never turn into constants together.
    std::vector<ExprPtr> args = node->args();
    const bool binary = operatorSpec(node->opId()).kind == OpKind::Binary;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const bool needs = !binary || args[1 - i]->isConstantExpression();
        ExprPtr mutated = mutatePoints(args[i], needs, p);
        if (mutated != args[i]) {
            args[i] = std::move(mutated);
            changed = true;
        }
    }
    if (!changed) return node;
    return Expr::op(op, std::move(args), window, std::move(group));
}

ExprPtr GeneticOperators::pointMutation(const ExprPtr& parent, double replaceProbability) {
    return orParent(mutatePoints(parent, true, replaceProbability), parent);
}

ExprPtr vary(GeneticOperators& ops, const GeneticOptions& o, const ExprPtr& parent, double r,
             const std::function<ExprPtr()>& donor) {
    double edge = o.crossover;
    if (r < edge) return ops.crossover(parent, donor());
    if (r < (edge += o.subtreeMutation)) return ops.subtreeMutation(parent, o.initDepthMin, o.initDepthMax);
    if (r < (edge += o.hoistMutation)) return ops.hoistMutation(parent);
    if (r < (edge += o.pointMutation)) return ops.pointMutation(parent, o.pointReplace);
    return parent; // reproduction
}

bool GeneticOperators::validNode(const Expr& e) const {
    if (e.isConstant()) return true; // whether a constant may stand here is its parent's rule
    if (e.isFeature())
        return std::find(m_grammar.features.begin(), m_grammar.features.end(), e.name()) != m_grammar.features.end();
    if (!m_allowed[static_cast<std::size_t>(e.opId())]) return false;
    const auto& spec = operatorSpec(e.opId());
    if (static_cast<int>(e.args().size()) != spec.seriesArity) return false;
    if (spec.hasWindow) {
        const auto& windows = m_windows[static_cast<std::size_t>(e.opId())];
        if (std::find(windows.begin(), windows.end(), e.window()) == windows.end()) return false;
    }
    if (spec.hasGroup &&
        std::find(m_grammar.groups.begin(), m_grammar.groups.end(), e.name()) == m_grammar.groups.end())
        return false;
    for (std::size_t i = 0; i < e.args().size(); ++i) {
        if (argumentNeedsField(e, i) && e.arg(i)->isConstantExpression()) return false;
        if (!validNode(*e.arg(i))) return false;
    }
    return true;
}

bool GeneticOperators::admissible(const Expr& expr) const {
    if (expr.isConstantExpression() || expr.tokenCount() > m_grammar.maxTokens) return false;
    if (!validNode(expr)) return false;
    return !m_grammar.dimensionCheck || inferDimension(expr).consistent();
}

std::vector<ExprPtr> GeneticOperators::subtrees(const ExprPtr& root) {
    std::vector<ExprPtr> out;
    collectSubtrees(root, out);
    return out;
}

// ---------------------------------------------------------------------------------------------
// The search. Choices beyond gplearn's:
// - Budget: one evaluation per formula never scored before in this run. Fitness is cached by
//   structural hash for the whole run (as AlphaGen's baseline caches by string), so duplicates
//   within or across generations and reproduced parents cost nothing. Every individual, cached
//   or not, counts one episode (SearchBudget: "GP individuals").
// - Fitness IC: the scorer's train IC (zero-filled, coverage-gated: see FactorScorer).
// - Offers: every poolEvery generations, the offerTop fittest distinct usable individuals; on
//   stopping (budget, cancel, convergence), the offerTop fittest formulas of the whole run.
// - Memory: scored factors are kept only for the 2 * offerTop fittest formulas of the run
//   (EliteStore), not per individual; an individual outside it cannot be among the best offered.
// - Generations continue until SearchRun says stop; a population that yields no new formula for
//   kStallGenerations generations ends the run with a note instead of spinning without spending
//   the evaluation budget.

namespace {

struct Individual {
    ExprPtr expr;
    double fitness = -kInf;
};

// Fitness of every formula scored in this run, by structural hash (equality checked), so that a
// formula met again (reproduction, converged populations, duplicates within a generation) does not
// spend the evaluation budget twice. Only looked up, never iterated.
class FitnessCache {
public:
    const double* find(const Expr& e) const {
        auto it = m_map.find(e.hash());
        if (it == m_map.end()) return nullptr;
        for (const auto& [expr, fitness] : it->second)
            if (expr->equals(e)) return &fitness;
        return nullptr;
    }
    void insert(ExprPtr e, double fitness) { m_map[e->hash()].emplace_back(std::move(e), fitness); }

private:
    std::unordered_map<std::uint64_t, std::vector<std::pair<ExprPtr, double>>> m_map;
};

// The best scored factors seen so far, highest fitness first. Scored factors hold the values over
// the whole calendar (megabytes on real data), so only these are kept, not one per individual:
// an individual outside this store is worse than `capacity` formulas seen before.
class EliteStore {
public:
    explicit EliteStore(std::size_t capacity) : m_capacity(capacity) {}

    void insert(double fitness, ScoredFactor factor) {
        if (find(*factor.expr)) return;
        if (m_entries.size() >= m_capacity && !(fitness > m_entries.back().first)) return;
        auto pos = std::upper_bound(m_entries.begin(), m_entries.end(), fitness,
                                    [](double f, const auto& entry) { return f > entry.first; });
        m_entries.insert(pos, {fitness, std::move(factor)});
        if (m_entries.size() > m_capacity) m_entries.pop_back();
    }
    const ScoredFactor* find(const Expr& e) const {
        for (const auto& entry : m_entries)
            if (entry.second.expr->equals(e)) return &entry.second;
        return nullptr;
    }
    const std::vector<std::pair<double, ScoredFactor>>& entries() const { return m_entries; }

private:
    std::size_t m_capacity;
    std::vector<std::pair<double, ScoredFactor>> m_entries;
};

Result<void> checkOptions(const GeneticOptions& o) {
    auto bad = [](std::string m) { return makeError(ErrorCode::InvalidArgument, "genetic search: " + std::move(m)); };
    if (o.population < 1) return bad("the population needs at least one individual");
    if (o.tournament < 1) return bad("the tournament needs at least one contestant");
    for (double p : {o.crossover, o.subtreeMutation, o.hoistMutation, o.pointMutation, o.pointReplace})
        if (!(p >= 0.0 && p <= 1.0)) return bad("probabilities must lie in [0, 1]");
    if (o.crossover + o.subtreeMutation + o.hoistMutation + o.pointMutation > 1.0 + 1e-9)
        return bad("crossover and mutation probabilities sum above 1");
    if (!(o.parsimony >= 0.0) || !std::isfinite(o.parsimony)) return bad("parsimony must be a finite number >= 0");
    if (o.initDepthMin < 1 || o.initDepthMax < o.initDepthMin)
        return bad("initial depths must satisfy 1 <= min <= max");
    if (o.poolEvery < 1) return bad("poolEvery must be at least 1");
    if (o.offerTop < 1) return bad("offerTop must be at least 1");
    return {};
}

class GeneticSearch {
public:
    explicit GeneticSearch(SearchRun& run)
        : m_run(run), m_options(run.config().gp), m_ops(run.grammar(), run.rng()),
          m_elite(static_cast<std::size_t>(std::max(2 * m_options.offerTop, 20))) {}

    Result<void> run() {
        if (!m_ops.usable())
            return makeError(ErrorCode::InvalidArgument,
                             "genetic search: the grammar leaves no operator or field to build from");
        std::vector<Individual> population, next;
        int stalled = 0;
        for (long long generation = 0;; ++generation) {
            next.clear();
            bool anyNew = false;
            // Children are bred from the previous generation only, so a chunk of them is bred
            // first and its new formulas evaluated in parallel; the bookkeeping then runs in
            // breeding order, exactly as one child at a time.
            std::vector<ExprPtr> children, fresh;
            for (int i = 0; i < m_options.population;) {
                children.clear();
                fresh.clear();
                bool stop = false;
                while (i + static_cast<int>(children.size()) < m_options.population &&
                       static_cast<int>(fresh.size()) < SearchRun::kBatch) {
                    if (m_run.stopsAfter(static_cast<long long>(fresh.size()),
                                         static_cast<long long>(children.size()))) {
                        stop = true;
                        break;
                    }
                    ExprPtr child = generation == 0 ? m_ops.initialTree(m_options.initDepthMin, m_options.initDepthMax)
                                                    : breed(population);
                    if (!m_cache.find(*child) &&
                        std::none_of(fresh.begin(), fresh.end(), [&](const ExprPtr& f) { return f->equals(*child); }))
                        fresh.push_back(child);
                    children.push_back(std::move(child));
                }
                auto scored = m_run.evaluateBatch(fresh);
                for (ExprPtr& child : children) {
                    bool isNew = false;
                    const double fitness = fitnessOf(child, isNew, fresh, scored);
                    // The monitor's reward is the fitness; 0 for an unusable individual, as in the
                    // random search (-inf only steers the tournaments).
                    m_run.reportReward(std::isfinite(fitness) ? fitness : 0.0);
                    anyNew = anyNew || isNew;
                    next.push_back(Individual{std::move(child), fitness});
                    // An episode is an individual built, scored or read from the cache (SearchBudget).
                    m_run.endEpisode();
                }
                i += static_cast<int>(children.size());
                // The budget was reached unless the pre-check answered some of the batch.
                if (stop && m_run.shouldStop()) {
                    offerElite();
                    return {};
                }
            }
            population.swap(next);
            if ((generation + 1) % m_options.poolEvery == 0) offerPopulation(population);
            stalled = anyNew ? 0 : stalled + 1;
            if (stalled >= kStallGenerations) {
                m_run.addNote("genetic search: no new formula in " + std::to_string(kStallGenerations) +
                              " generations (the population converged); stopped after generation " +
                              std::to_string(generation + 1));
                offerElite();
                return {};
            }
        }
    }

private:
    // gplearn's fitness with our IC: |train IC| - parsimony * tokens; -inf when the formula cannot
    // be evaluated or is not usable, so that tournaments never prefer it. The scorer's IC counts
    // missing cells as no signal and refuses factors defined on a sliver of the data, which
    // otherwise filled the population with |IC| near 1.0 (formulas defined on a few instruments).
    // `batch` holds the chunk's new formulas and `results` their scores.
    double fitnessOf(const ExprPtr& expr, bool& isNew, const std::vector<ExprPtr>& batch,
                     std::vector<Result<ScoredFactor>>& results) {
        if (const double* cached = m_cache.find(*expr)) return *cached;
        isNew = true;
        double fitness = -kInf;
        const auto at = std::find(batch.begin(), batch.end(), expr);
        Result<ScoredFactor> scored =
            at != batch.end() ? std::move(results[static_cast<std::size_t>(at - batch.begin())]) : m_run.evaluate(expr);
        if (scored.ok() && scored->usable()) {
            const double ic = scored->ic;
            if (std::isfinite(ic)) {
                fitness = std::fabs(ic) - m_options.parsimony * expr->tokenCount();
                m_elite.insert(fitness, std::move(scored.value()));
            }
        }
        m_cache.insert(expr, fitness);
        return fitness;
    }

    const Individual& tournament(const std::vector<Individual>& population) {
        // gplearn: contestants drawn with replacement; the fittest wins, the first drawn on ties.
        const Individual* best = nullptr;
        for (int k = 0; k < m_options.tournament; ++k) {
            const Individual& c = population[uniformInt(m_run.rng(), population.size())];
            if (!best || c.fitness > best->fitness) best = &c;
        }
        return *best;
    }

    ExprPtr breed(const std::vector<Individual>& population) {
        const Individual& parent = tournament(population);
        const double r = uniform01(m_run.rng());
        return vary(m_ops, m_options, parent.expr, r, [&] { return tournament(population).expr; });
    }

    // The offerTop fittest distinct usable individuals of the population (AlphaGen's baseline
    // loads its best cached expressions into its pool every few generations).
    void offerPopulation(const std::vector<Individual>& population) {
        std::vector<std::size_t> order(population.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return population[a].fitness > population[b].fitness; });
        std::vector<const Expr*> offered;
        for (std::size_t i : order) {
            const Individual& ind = population[i];
            if (!std::isfinite(ind.fitness) || static_cast<int>(offered.size()) >= m_options.offerTop) break;
            if (std::any_of(offered.begin(), offered.end(), [&](const Expr* e) { return e->equals(*ind.expr); }))
                continue;
            if (const ScoredFactor* factor = m_elite.find(*ind.expr)) {
                m_run.offer(*factor);
                offered.push_back(ind.expr.get());
            }
        }
    }

    // On stopping: the best formulas seen in the run (they include the current population's best).
    void offerElite() {
        int offered = 0;
        for (const auto& entry : m_elite.entries()) {
            if (offered++ >= m_options.offerTop) break;
            m_run.offer(entry.second);
        }
    }

    SearchRun& m_run;
    const GeneticOptions& m_options;
    GeneticOperators m_ops;
    FitnessCache m_cache;
    EliteStore m_elite;
};

} // namespace

Result<void> runGeneticSearch(SearchRun& run) {
    if (auto ok = checkOptions(run.config().gp); !ok) return ok.error();
    GeneticSearch search(run);
    return search.run();
}

} // namespace alphascope

#include "core/search/mcts.h"

#include "core/metrics/correlation.h"
#include "core/search/search.h"
#include "core/util/random.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <future>
#include <limits>
#include <memory>
#include <optional>
#include <unordered_map>

// The search: the tree's nodes, the Perf table, selection, leaf batches, games and the guide's
// training. The tree's arithmetic is in mcts_tree.cpp.

namespace alphascope {

namespace {

constexpr int kIdleGames = 50; ///< games in a row without a new formula before the search gives up

/// Perf of each formula seen in the run. Scores a formula once (one evaluation) and offers it to
/// the pool; when members were admitted since a formula's Perf was measured (itself included), its
/// max |mutual| is updated with those members from the kept z-scores (no evaluation). Evicted
/// members still count (a formula like one the pool already dropped is no novelty either).
class PerfTable {
public:
    PerfTable(SearchRun& run, std::size_t keep) : m_run(run), m_keep(std::max<std::size_t>(keep, 1)) {}

    /// The formula's Perf; a formula not yet in the table is scored: `scored` is its evaluation
    /// when the caller already has it (an evaluated leaf batch), else it is evaluated here.
    double perf(const ExprPtr& e, const Result<ScoredFactor>* scored = nullptr) {
        Entry* entry = find(*e);
        if (!entry) return score(e, scored);
        if (entry->usable && entry->version != m_version && entry->z) {
            ScoredFactor f;
            f.expr = entry->expr;
            f.trainZ = entry->z;
            f.ic = entry->ic;
            std::vector<const TrainSlice*> newer;
            for (const PoolMember& m : m_run.pool().members()) {
                auto at = m_admittedAt.find(m.factor.expr->hash());
                if (at != m_admittedAt.end() && at->second > entry->version) newer.push_back(m.factor.trainZ.get());
            }
            std::vector<double> mutual(newer.size());
            m_run.scorer().mutualRow(f, newer, mutual.data());
            for (double c : mutual)
                if (std::isfinite(c)) entry->maxMutual = std::max(entry->maxMutual, std::fabs(c));
            entry->perf = programPerf(entry->ic, entry->maxMutual);
            entry->version = m_version;
        }
        return entry->perf;
    }

    bool known(const Expr& e) { return find(e) != nullptr; }

private:
    struct Entry {
        ExprPtr expr;
        double ic = 0.0;
        double maxMutual = 0.0;
        double perf = 0.0;
        long long version = 0; ///< admissions counted when maxMutual was last brought up to date
        bool usable = false;
        std::shared_ptr<const TrainSlice> z; ///< kept for the last m_keep usable formulas
    };

    Entry* find(const Expr& e) {
        auto it = m_entries.find(e.hash());
        if (it == m_entries.end()) return nullptr;
        for (Entry& x : it->second)
            if (x.expr->equals(e)) return &x;
        return nullptr;
    }

    double score(const ExprPtr& e, const Result<ScoredFactor>* given) {
        Entry entry;
        entry.expr = e;
        // Versions before this formula's own admission: once admitted it counts among the found
        // alphas, and its Perf on the next visit is about 0 (Alpha2: novelty against everything found).
        entry.version = m_version;
        std::optional<Result<ScoredFactor>> own;
        if (!given) own.emplace(m_run.evaluate(e));
        const Result<ScoredFactor>& scored = given ? *given : *own;
        if (scored.ok() && scored->usable()) {
            entry.usable = true;
            entry.ic = scored->ic;
            // The pool measures the max |mutual| against its members before admitting: Perf is
            // against the pool as it was before this formula was offered to it.
            const AdmitResult admitted = m_run.offer(*scored);
            entry.maxMutual = admitted.maxAbsMutual;
            entry.perf = programPerf(scored->ic, admitted.maxAbsMutual);
            if (admitted.admitted) m_admittedAt[e->hash()] = ++m_version;
            entry.z = scored->trainZ;
            m_kept.push_back(e->hash());
            if (m_kept.size() > m_keep) {
                dropZ(m_kept.front());
                m_kept.pop_front();
            }
        }
        const double perf = entry.perf;
        m_entries[e->hash()].push_back(std::move(entry));
        return perf;
    }

    void dropZ(std::uint64_t hash) {
        auto it = m_entries.find(hash);
        if (it == m_entries.end()) return;
        for (Entry& x : it->second)
            if (x.z) {
                x.z.reset();
                return;
            }
    }

    SearchRun& m_run;
    std::size_t m_keep;
    long long m_version = 0;                                         ///< admissions so far
    std::unordered_map<std::uint64_t, std::vector<Entry>> m_entries; // looked up, never iterated
    std::unordered_map<std::uint64_t, long long> m_admittedAt;       // formula hash -> m_version
    std::deque<std::uint64_t> m_kept;
};

struct Node {
    explicit Node(ProgramState s) : state(std::move(s)) {}

    ProgramState state;
    double perf = 0.0;       ///< Perf of this state's register 0
    double reward = 0.0;     ///< Perf(this) - Perf(parent)
    double guideValue = 0.0; ///< the guide's value estimate when the node was created (0 for terminals)
    int visits = 0;
    int inFlight = 0;     ///< simulations of the current leaf batch through this node (virtual visits)
    bool pending = false; ///< created by the current leaf batch, not scored yet
    TopKReturns returns;
    bool terminal = false;
    std::vector<int> legal;
    std::vector<float> priors;                   ///< parallel to legal
    std::vector<float> keys;                     ///< log prior + Gumbel noise: the order in which children are added
    std::vector<std::unique_ptr<Node>> children; ///< parallel to legal, null until created
    int expanded = 0;                            ///< children created so far
};

class MctsSearch {
public:
    MctsSearch(SearchRun& run, MctsGuide* guide, const ProgramVocabulary& vocabulary)
        : m_run(run), m_guide(guide), m_vocabulary(vocabulary), m_options(run.config().mcts),
          m_perf(run, keptFormulas(run)) {}

    Result<void> run();

private:
    static std::size_t keptFormulas(SearchRun& run) {
        // About 256 MB of training z-scores for refreshing Perf after pool changes.
        const double cells = double(std::max(1, run.scorer().train().size())) * std::max(1, run.scorer().instruments());
        return static_cast<std::size_t>(std::clamp(256e6 / (4.0 * cells), 16.0, 4096.0));
    }

    Result<std::unique_ptr<Node>> makeNode(const Node* parent, ProgramState state);
    Result<void> completeNode(Node& node, const Node* parent, const Result<ScoredFactor>* scored);
    Result<int> simulateBatch(Node& root, int maxSimulations);
    static constexpr std::size_t kCollision = static_cast<std::size_t>(-1);
    std::size_t select(Node& node);
    double valueScore(const Node& child) const { return child.reward + child.returns.value(m_options.beta); }
    double temperature() const {
        const double f = m_run.fraction(), e = m_options.exploreShare;
        return f < e ? 1.0 : (f < e + 0.5 * (1.0 - e) ? 0.5 : 0.25);
    }
    Result<void> trainGuide(std::size_t newSamples);
    void drawKeys(Node& node);

    SearchRun& m_run;
    MctsGuide* m_guide;
    const ProgramVocabulary& m_vocabulary;
    MctsOptions m_options;
    PerfTable m_perf;
    MinMaxStats m_stats;
    std::deque<std::vector<MctsSample>> m_replay;
    long long m_games = 0;
    long long m_batches = 0, m_batchedFormulas = 0; ///< leaf batches and the new formulas they evaluated
    long long m_trainSteps = 0;
    double m_lastLoss = std::numeric_limits<double>::quiet_NaN();
    /// Diagnostics: per game, the guide's value predictions at its roots (made before the game's
    /// outcome was trained on) with the realised returns, and the Perf of its finished program.
    std::vector<std::vector<std::pair<double, double>>> m_valuePairs;
    std::vector<double> m_gamePerf;
    void addDiagnostics();
};

void MctsSearch::addDiagnostics() {
    const std::size_t games = m_gamePerf.size();
    if (games == 0) return;
    m_run.addDiagnostic("mcts.games", double(games));
    // The finished programs' Perf, first and last tenth of the games: does the tree's best branch improve?
    m_run.addTenthsDiagnostic("mcts.game_perf", m_gamePerf);
    if (!m_guide) return;
    // The value head out of sample: its prediction at each move's root against the return realised
    // after it, first and second half of the games.
    for (int half = 0; half < 2; ++half) {
        std::vector<double> predicted, realised;
        double mse = 0.0;
        for (std::size_t g = half ? games / 2 : 0; g < (half ? games : games / 2); ++g)
            for (auto [x, y] : m_valuePairs[g]) {
                predicted.push_back(x);
                realised.push_back(y);
                mse += (x - y) * (x - y);
            }
        const int n = static_cast<int>(predicted.size());
        const double corr = pearson(predicted.data(), realised.data(), n);
        mse = n > 0 ? mse / n : kNaNd;
        m_run.addDiagnostic(half ? "mcts.value_corr_second_half" : "mcts.value_corr_first_half", corr);
        m_run.addDiagnostic(half ? "mcts.value_mse_second_half" : "mcts.value_mse_first_half", mse);
    }
    m_run.addDiagnostic("mcts.training_steps", double(m_trainSteps));
}

Result<std::unique_ptr<Node>> MctsSearch::makeNode(const Node* parent, ProgramState state) {
    auto node = std::make_unique<Node>(std::move(state));
    auto r = completeNode(*node, parent, nullptr);
    if (!r.ok()) return r.error();
    return node;
}

Result<void> MctsSearch::completeNode(Node& node, const Node* parent, const Result<ScoredFactor>* scored) {
    node.pending = false;
    node.returns = TopKReturns(std::max(1, m_options.topK));
    const ExprPtr r0 = node.state.result();
    if (parent && r0 == parent->state.result())
        node.perf = parent->perf; // register 0 untouched (or Finish): same formula, same Perf
    else if (r0)
        node.perf = m_perf.perf(r0, scored);
    node.reward = parent ? node.perf - parent->perf : 0.0;
    if (node.state.finished()) {
        node.terminal = true;
        return {};
    }
    if (node.legal.empty()) node.legal = node.state.legalActions();
    if (node.legal.empty()) { // cannot happen (Finish stays reachable); a dead end is terminal
        node.terminal = true;
        return {};
    }
    node.children.resize(node.legal.size());
    if (node.priors.empty()) { // not yet asked with the rest of its leaf batch
        float value = 0.0f;
        if (m_guide) {
            auto r = m_guide->evaluate(node.state, node.legal, node.priors, value);
            if (!r.ok()) return r.error();
        } else {
            node.priors.assign(node.legal.size(), 1.0f / static_cast<float>(node.legal.size()));
        }
        node.guideValue = value;
    }
    if (node.priors.size() != node.legal.size())
        return makeError(ErrorCode::Internal, "MCTS guide returned " + std::to_string(node.priors.size()) +
                                                  " priors for " + std::to_string(node.legal.size()) + " actions");
    drawKeys(node);
    return {};
}

void MctsSearch::drawKeys(Node& node) {
    // Gumbel-top-k (Kool et al. 2019; Gumbel MuZero, Danihelka et al. 2022): adding children in the
    // order of log P + Gumbel noise samples them without replacement in proportion to the priors.
    // Taking the highest prior instead would let tiny logit differences of a barely trained
    // network fix one order for every game, and the search would re-walk the same programs.
    node.keys.resize(node.priors.size());
    for (std::size_t i = 0; i < node.priors.size(); ++i) {
        const double u = std::max(uniform01(m_run.rng()), 1e-12); // Gumbel(0, 1) = -log(-log U), U > 0
        const double logPrior = std::log(std::max(double(node.priors[i]), 1e-30));
        node.keys[i] = static_cast<float>(logPrior - std::log(-std::log(u)));
    }
}

std::size_t MctsSearch::select(Node& node) {
    // Progressive widening: while the node has fewer children than its visits allow, the next
    // simulation creates a new child, drawn from the priors (Gumbel-top-k order, drawKeys());
    // otherwise pUCT chooses among the children it has.
    // Simulations of the current leaf batch count as visits already, with a virtual loss (below),
    // so that the batch's simulations widen the tree and spread over it instead of all taking one
    // path; a child created by the batch and not scored yet cannot be chosen.
    const int visits = node.visits + node.inFlight;
    const bool widen = node.expanded < std::min<int>(static_cast<int>(node.legal.size()), wideningLimit(visits));
    // N >= 1 whenever pUCT runs here (a node with children has been visited); max() is a guard.
    const int parentVisits = std::max(1, visits);
    double best = -std::numeric_limits<double>::infinity();
    std::size_t chosen = kCollision;
    int ties = 0;
    for (std::size_t i = 0; i < node.legal.size(); ++i) {
        const Node* child = node.children[i].get();
        if ((child != nullptr) == widen || (child && child->pending)) continue;
        double score = 0.0;
        if (widen) {
            score = double(node.keys[i]);
        } else {
            // Virtual loss: each simulation in flight through the child counts as a return of the
            // tree's lowest value (0 once normalised), as if it had failed, until it is backed up.
            double value = m_stats.normalize(valueScore(*child));
            if (child->inFlight > 0) value *= double(child->visits) / double(child->visits + child->inFlight);
            score = puctScore(value, node.priors[i], parentVisits, child->visits + child->inFlight, m_options.cBase,
                              m_options.cInit);
        }
        if (score > best + 1e-12) {
            best = score;
            chosen = i;
            ties = 1;
        } else if (score >= best - 1e-12) {
            // Uniform choice among equal scores (reservoir sampling), so uniform priors do not always
            // pick the first instruction of the vocabulary.
            ++ties;
            if (uniformInt(m_run.rng(), static_cast<std::uint64_t>(ties)) == 0) chosen = i;
        }
    }
    return chosen;
}

Result<int> MctsSearch::simulateBatch(Node& root, int maxSimulations) {
    // Leaf batching with virtual visits: up to `leafBatch` simulations descend one after the other
    // (each counting as a visit of the nodes it passed, see select()), each ending at a new node
    // (or a terminal); the new formulas of their leaves (those not in the Perf table and not the
    // parent's) are evaluated together, in parallel (SearchRun::evaluateBatch); then
    // each simulation is completed in order (Perf, pool offer, guide, backup), as it would be one
    // at a time. A descent that meets only children still waiting for their score is dropped
    // (after `leafBatch` such descents the batch is complete).
    // With a batch of 1 this is the sequential search: same random draws, same tree.
    struct Leaf {
        std::vector<Node*> path;
        int evaluation = -1; ///< index into `formulas`, -1 when the leaf needs no new evaluation
    };
    const std::size_t batch = static_cast<std::size_t>(std::max(1, m_options.leafBatch));
    std::vector<Leaf> leaves;
    std::vector<ExprPtr> formulas;
    std::vector<std::vector<Node*>> collided; ///< descents that met only children waiting for their score
    const std::size_t most = std::min(batch, static_cast<std::size_t>(std::max(1, maxSimulations)));
    while (leaves.size() < most &&
           !m_run.stopsAfter(static_cast<long long>(formulas.size()), static_cast<long long>(leaves.size()))) {
        Leaf leaf;
        leaf.path.push_back(&root);
        Node* node = &root;
        bool collision = false;
        while (!node->terminal) {
            const std::size_t i = select(*node);
            if (i == kCollision) {
                collision = true;
                break;
            }
            if (!node->children[i]) {
                ProgramState next = node->state;
                next.apply(node->legal[i]);
                node->children[i] = std::make_unique<Node>(std::move(next));
                node->children[i]->pending = true;
                ++node->expanded;
                Node* child = node->children[i].get();
                leaf.path.push_back(child);
                const ExprPtr r0 = child->state.result();
                if (r0 && r0 != node->state.result() && !m_perf.known(*r0)) {
                    auto same = std::find_if(formulas.begin(), formulas.end(), [&](const ExprPtr& f) {
                        return f->hash() == r0->hash() && f->equals(*r0);
                    });
                    leaf.evaluation = static_cast<int>(same - formulas.begin());
                    if (same == formulas.end()) formulas.push_back(r0);
                }
                break;
            }
            node = node->children[i].get();
            leaf.path.push_back(node);
        }
        for (Node* n : leaf.path) ++n->inFlight;
        if (collision) {
            // Its virtual visits stay until the batch is done (they make the next descents widen or
            // turn elsewhere), but it is not a simulation: nothing is backed up for it.
            collided.push_back(std::move(leaf.path));
            if (collided.size() >= most) break;
            continue;
        }
        leaves.push_back(std::move(leaf));
    }
    for (const auto& path : collided)
        for (Node* n : path) --n->inFlight;
    if (leaves.empty()) {
        // A budget ran out since the caller's shouldStop() (the clock): 0 simulations, and the
        // caller stops. A first descent that met only pending children cannot happen (none are).
        if (collided.empty()) return 0;
        return makeError(ErrorCode::Internal, "MCTS: a simulation found no node to expand");
    }
    // The new nodes' priors and values in one guide call (one network forward). They depend only
    // on the nodes' states, so the call runs on another thread while the formulas are evaluated.
    std::vector<Node*> asked;
    std::vector<const ProgramState*> states;
    std::vector<const std::vector<int>*> legal;
    if (m_guide)
        for (const Leaf& leaf : leaves) {
            Node* n = leaf.path.back();
            if (!n->pending || n->state.finished()) continue;
            n->legal = n->state.legalActions();
            if (n->legal.empty()) continue;
            asked.push_back(n);
            states.push_back(&n->state);
            legal.push_back(&n->legal);
        }
    std::vector<std::vector<float>> priors;
    std::vector<float> values;
    std::future<Result<void>> guided; // declared after what it writes: destroyed first, it waits
    if (!asked.empty())
        guided = std::async(std::launch::async, [&] { return m_guide->evaluateBatch(states, legal, priors, values); });
    const std::vector<Result<ScoredFactor>> scored =
        formulas.empty() ? std::vector<Result<ScoredFactor>>{} : m_run.evaluateBatch(formulas);
    m_run.prepareOffers(scored); // each usable new formula is offered as its simulation completes
    ++m_batches;
    m_batchedFormulas += static_cast<long long>(formulas.size());
    if (guided.valid()) {
        auto r = guided.get();
        if (!r.ok()) return r.error();
        if (priors.size() != asked.size() || values.size() != asked.size())
            return makeError(ErrorCode::Internal, "MCTS guide answered a batch of " + std::to_string(asked.size()) +
                                                      " states with " + std::to_string(priors.size()));
        for (std::size_t i = 0; i < asked.size(); ++i) {
            asked[i]->priors = std::move(priors[i]);
            asked[i]->guideValue = values[i];
        }
    }

    for (Leaf& leaf : leaves) {
        for (Node* n : leaf.path) --n->inFlight;
        Node* last = leaf.path.back();
        double leafValue = 0.0;
        if (last->pending) {
            const Node* parent = leaf.path[leaf.path.size() - 2];
            // A formula evaluated in this batch is scored from its result the first time; a leaf
            // reaching it again (or one already known) finds it in the Perf table.
            const Result<ScoredFactor>* given =
                leaf.evaluation >= 0 ? &scored[static_cast<std::size_t>(leaf.evaluation)] : nullptr;
            auto r = completeNode(*last, parent, given);
            if (!r.ok()) return r.error();
            leafValue = last->guideValue;
        }
        // Backup: each node keeps the return from itself to the end of the simulation.
        std::vector<double> rewards;
        for (const Node* n : leaf.path) rewards.push_back(n->reward);
        const std::vector<double> g = pathReturns(rewards, leafValue);
        for (std::size_t i = 0; i < leaf.path.size(); ++i) {
            leaf.path[i]->returns.add(g[i]);
            ++leaf.path[i]->visits;
            if (i > 0) m_stats.update(valueScore(*leaf.path[i]));
        }
        // The episode's return for the monitor: the rewards from the empty program to the leaf, which
        // telescope to the leaf's Perf (the guide's value estimate is not a reward earned).
        m_run.reportReward(last->perf);
        m_run.endEpisode();
    }
    return static_cast<int>(leaves.size());
}

Result<void> MctsSearch::trainGuide(std::size_t newSamples) {
    std::vector<const MctsSample*> all;
    for (const auto& game : m_replay)
        for (const auto& s : game) all.push_back(&s);
    if (all.empty()) return {};
    const std::size_t batchSize = static_cast<std::size_t>(std::max(1, m_options.batchSize));
    // About one pass over the new samples, at most 32 steps per round (keeps the search dominant).
    const std::size_t steps = std::clamp<std::size_t>((newSamples + batchSize - 1) / batchSize, 1, 32);
    for (std::size_t step = 0; step < steps; ++step) {
        std::vector<MctsSample> batch;
        batch.reserve(std::min(batchSize, all.size()));
        for (std::size_t k = 0; k < std::min(batchSize, all.size()); ++k)
            batch.push_back(*all[uniformInt(m_run.rng(), all.size())]);
        auto loss = m_guide->train(batch);
        if (!loss.ok()) return loss.error();
        m_lastLoss = *loss;
        m_run.reportLoss(*loss);
        ++m_trainSteps;
    }
    return {};
}

Result<void> MctsSearch::run() {
    if (m_guide) m_run.setDevice(m_guide->device());
    const int simulations = std::max(1, m_options.simulationsPerMove);
    std::size_t samplesSinceTraining = 0;
    int idleGames = 0;
    while (!m_run.shouldStop()) {
        const long long evaluationsBefore = m_run.scorer().evaluations();
        auto rootResult = makeNode(nullptr, ProgramState(m_vocabulary));
        if (!rootResult.ok()) return rootResult.error();
        std::unique_ptr<Node> root = std::move(*rootResult);
        m_stats = MinMaxStats();
        std::vector<MctsSample> samples;
        std::vector<double> samplePerf, sampleGuess;
        bool stopped = false;
        while (!root->terminal) {
            // Root noise (Alpha2: Dirichlet 0.1, fraction 0.25), fresh at every move.
            root->priors =
                mixNoise(root->priors,
                         sampleDirichlet(static_cast<int>(root->legal.size()), m_options.dirichletAlpha, m_run.rng()),
                         m_options.dirichletFraction);
            drawKeys(*root);
            for (int done = 0; done < simulations;) {
                if (m_run.shouldStop()) {
                    stopped = true;
                    break;
                }
                auto r = simulateBatch(*root, simulations - done);
                if (!r.ok()) return r.error();
                done += *r;
            }
            if (stopped) break;
            std::vector<int> visits(root->legal.size(), 0);
            for (std::size_t i = 0; i < visits.size(); ++i)
                if (root->children[i]) visits[i] = root->children[i]->visits;
            MctsSample sample;
            sample.encoding = root->state.encode();
            sample.legal = root->legal;
            sample.policy = visitDistribution(visits, 1.0);
            samples.push_back(std::move(sample));
            samplePerf.push_back(root->perf);
            sampleGuess.push_back(root->guideValue);

            const std::vector<float> p = visitDistribution(visits, temperature());
            const std::size_t move = discrete(m_run.rng(), p);
            std::unique_ptr<Node> next = std::move(root->children[move]);
            if (!next) break; // cannot happen: a move with probability > 0 was visited
            root = std::move(next);
        }
        if (stopped || !root->terminal) break;
        // Value targets: the return from each root to the end of the game (returns telescope).
        for (std::size_t i = 0; i < samples.size(); ++i)
            samples[i].value = static_cast<float>(root->perf - samplePerf[i]);
        ++m_games;
        m_gamePerf.push_back(root->perf);
        m_valuePairs.emplace_back();
        for (std::size_t i = 0; i < samples.size(); ++i)
            m_valuePairs.back().emplace_back(sampleGuess[i], samples[i].value);
        // With an evaluation budget only, a search that keeps re-walking known programs would never
        // end: stop when games no longer reach new formulas.
        idleGames = m_run.scorer().evaluations() == evaluationsBefore ? idleGames + 1 : 0;
        if (idleGames >= kIdleGames) {
            m_run.addNote("mcts: stopped after " + std::to_string(kIdleGames) + " games without a new formula");
            break;
        }
        samplesSinceTraining += samples.size();
        m_replay.push_back(std::move(samples));
        while (static_cast<int>(m_replay.size()) > std::max(1, m_options.replayCapacity)) m_replay.pop_front();
        if (m_guide && m_games % std::max(1, m_options.trainEvery) == 0) {
            auto r = trainGuide(samplesSinceTraining);
            if (!r.ok()) return r;
            samplesSinceTraining = 0;
        }
    }
    std::string note =
        "mcts: " + std::to_string(m_games) + " games, " + std::to_string(m_vocabulary.size()) + " actions";
    if (m_batches > 0) {
        char mean[64];
        std::snprintf(mean, sizeof mean, "%.1f simulations and %.1f new formulas",
                      double(m_run.episodes()) / double(m_batches), double(m_batchedFormulas) / double(m_batches));
        note += ", leaf batches of " + std::string(mean) + " on average";
    }
    if (m_guide)
        note += ", " + std::to_string(m_trainSteps) + " training steps" +
                (std::isfinite(m_lastLoss) ? ", last loss " + std::to_string(m_lastLoss) : std::string{});
    m_run.addNote(std::move(note));
    addDiagnostics();
    return {};
}

} // namespace

Result<void> runMctsSearch(SearchRun& run, MctsGuide* guide) {
    const Grammar& g = run.grammar();
    if (g.operators.empty() || g.features.empty())
        return makeError(ErrorCode::InvalidArgument, "MCTS: the grammar needs operators and fields");
    if (g.registers < 1 || g.maxInstructions < 1)
        return makeError(ErrorCode::InvalidArgument, "MCTS: at least one register and one instruction are needed");
    if (!run.config().mcts.useNetwork) guide = nullptr;
    const ProgramVocabulary vocabulary(g);
    if (guide && guide->vocabularySize() != vocabulary.size())
        return makeError(ErrorCode::InvalidArgument,
                         "MCTS: the network was built for " + std::to_string(guide->vocabularySize()) +
                             " actions, the grammar has " + std::to_string(vocabulary.size()));
    MctsSearch search(run, guide, vocabulary);
    return search.run();
}

} // namespace alphascope

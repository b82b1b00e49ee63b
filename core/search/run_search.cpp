// The one entry point of every search (core/search/search.h): validate, build the shared run,
// dispatch through the algorithm registry, measure the pool; and the one validation of a config.

#include "core/search/search.h"
#include "core/search/search_registry.h"

#include <cmath>
#include <sstream>

namespace alphascope {

namespace {

/// Collects range checks; the first failure wins and names its field's JSON key.
class Checker {
public:
    bool ok() const { return m_error.empty(); }
    Error error() const {
        Error e = makeError(ErrorCode::InvalidArgument, m_error, m_where);
        return e;
    }
    void fail(const char* key, std::string message) {
        if (!ok()) return;
        m_where = key;
        m_error = std::move(message);
    }
    template <class T>
    void range(const char* key, const char* label, T v, T lo, T hi) {
        if (!(v >= lo && v <= hi)) {
            std::ostringstream m;
            m << label << " must be between " << lo << " and " << hi << " (got " << v << ")";
            fail(key, m.str());
        }
    }
    void positive(const char* key, const char* label, double v) {
        if (!(v > 0.0) || !std::isfinite(v)) fail(key, std::string(label) + " must be a positive number");
    }
    void probability(const char* key, const char* label, double v) { range(key, label, v, 0.0, 1.0); }

private:
    std::string m_where, m_error;
};

} // namespace

Result<void> validate(const SearchConfig& c, const ResearchSession* session) {
    Checker k;
    if (!searchAlgorithmAvailable(c.algo))
        k.fail("algorithm",
               "the " + std::string(searchAlgoName(c.algo)) + " search needs LibTorch, which this build lacks");
    const SearchBudget& b = c.budget;
    if (b.evaluations < 0 || b.episodes < 0 || b.seconds < 0 || !std::isfinite(b.seconds))
        k.fail("budget", "budgets cannot be negative");
    if (b.evaluations == 0 && b.episodes == 0 && b.seconds == 0)
        k.fail("budget", "give a budget: formula evaluations, episodes or seconds");
    k.range("pool.capacity", "the pool capacity", c.poolOptions.capacity, 1, 1000);
    k.range("pool.l1", "the L1 penalty", c.poolOptions.l1, 0.0, 10.0);
    k.range("pool.ridge", "the ridge term", c.poolOptions.ridge, 0.0, 10.0);
    k.range("pool.complexity", "the complexity penalty", c.poolOptions.complexity, 0.0, 1.0);
    k.range("pool.replace_similar", "the near-copy replacement threshold", c.poolOptions.replaceSimilar, 0.0, 1.0);
    k.range("pool.max_mutual", "the linear pool's mutual-IC limit", c.poolOptions.maxMutual, 0.0, 1.0);
    k.range("pool.admit_mutual", "the mining pool's admission limit", c.poolOptions.admitMutual, 0.0, 1.0);
    const Grammar& g = c.grammar;
    k.range("grammar.max_tokens", "the longest formula (tokens)", g.maxTokens, 3, 40);
    k.range("grammar.max_instructions", "the longest program (instructions)", g.maxInstructions, 1, 64);
    k.range("grammar.registers", "the number of registers", g.registers, 1, 8);
    // 0 = report at every step (tests and tools use it).
    k.range("progress_interval", "the progress interval (s)", c.progressInterval, 0.0, 3600.0);
    k.range("snapshot_interval", "the snapshot interval (s)", c.snapshotInterval, 0.0, 3600.0);
    switch (c.algo) {
    case SearchAlgo::GFlowNet: {
        const GFlowNetOptions& o = c.gfn;
        k.range("gfn.hidden", "the GFlowNet's width", o.hidden, 4, 4096);
        k.range("gfn.layers", "the GFlowNet's layers", o.layers, 1, 8);
        k.range("gfn.learning_rate", "the GFlowNet's learning rate", o.learningRate, 1e-7, 1.0);
        k.range("gfn.update_frequency", "episodes per optimiser step", o.updateFrequency, 1, 4096);
        k.range("gfn.entropy_coef", "the entropy bonus", o.entropyCoef, 0.0, 10.0);
        k.positive("gfn.entropy_temperature", "the entropy temperature", o.entropyTemperature);
        k.probability("gfn.forced_stop_prob", "the forced-stop probability", o.forcedStopProb);
        k.range("gfn.ssl_weight", "w_ssl", o.sslWeight, 0.0, 100.0);
        k.range("gfn.novelty_weight", "w_nov", o.noveltyWeight, 0.0, 100.0);
        if (!std::isfinite(o.logZInit)) k.fail("gfn.log_z_init", "log Z's initial value must be finite");
        k.range("gfn.log_z_learning_rate", "log Z's learning rate", o.logZLearningRate, 1e-7, 10.0);
        k.range("gfn.reward_exponent", "the reward exponent", o.rewardExponent, 0.01, 64.0);
        k.probability("gfn.exploration_epsilon", "the exploration probability", o.explorationEpsilon);
        k.range("gfn.replay_share", "replayed trajectories per sampled one", o.replayShare, 0.0, 16.0);
        k.range("gfn.replay_capacity", "the replay buffer's capacity", o.replayCapacity, 1, 1000000);
        k.range("gfn.length_penalty", "the length penalty", o.lengthPenalty, 0.0, 10.0);
        k.range("gfn.local_search", "the local-search share", o.localSearchShare, 0.0, 1.0);
        k.range("gfn.genetic", "the share of genetic offspring", o.geneticShare, 0.0, 1.0);
        if (o.geneticShare > 0.0 && o.denseRewards)
            k.fail("gfn.genetic", "genetic offspring do not go with dense rewards");
        break;
    }
    case SearchAlgo::Mcts: {
        const MctsOptions& o = c.mcts;
        k.range("mcts.simulations_per_move", "simulations per move", o.simulationsPerMove, 1, 1000000);
        k.range("mcts.leaf_batch", "the leaf batch", o.leafBatch, 1, 1024);
        k.positive("mcts.c_base", "c_base", o.cBase);
        k.range("mcts.c_init", "c_init", o.cInit, 0.0, 100.0);
        k.positive("mcts.dirichlet_alpha", "the Dirichlet alpha", o.dirichletAlpha);
        k.probability("mcts.dirichlet_fraction", "the Dirichlet fraction", o.dirichletFraction);
        k.range("mcts.top_k", "top-k", o.topK, 1, 1000);
        k.probability("mcts.beta", "beta", o.beta);
        k.probability("mcts.explore_share", "the share of the budget explored at temperature 1", o.exploreShare);
        if (o.useNetwork) {
            k.range("mcts.hidden", "the network's width", o.hidden, 4, 4096);
            k.range("mcts.learning_rate", "the network's learning rate", o.learningRate, 1e-7, 1.0);
            k.range("mcts.batch_size", "the batch size", o.batchSize, 1, 65536);
            k.range("mcts.replay_capacity", "the replay capacity", o.replayCapacity, 1, 10000000);
            k.range("mcts.train_every", "games between training steps", o.trainEvery, 1, 100000);
            if (!mctsGuideFactory())
                k.fail("mcts.network", "the MCTS policy/value network needs LibTorch, which this build lacks: "
                                       "use uniform priors");
        }
        break;
    }
    case SearchAlgo::Genetic: {
        const GeneticOptions& o = c.gp;
        k.range("gp.population", "the GP population", o.population, 4, 1000000);
        k.range("gp.tournament", "the tournament size", o.tournament, 1, o.population);
        for (auto [key, label, v] : {std::tuple{"gp.crossover", "the crossover probability", o.crossover},
                                     {"gp.subtree_mutation", "the subtree mutation probability", o.subtreeMutation},
                                     {"gp.hoist_mutation", "the hoist mutation probability", o.hoistMutation},
                                     {"gp.point_mutation", "the point mutation probability", o.pointMutation},
                                     {"gp.point_replace", "the point replacement probability", o.pointReplace}})
            k.probability(key, label, v);
        if (o.crossover + o.subtreeMutation + o.hoistMutation + o.pointMutation > 1.0 + 1e-12)
            k.fail("gp.crossover", "crossover and the mutation probabilities add up to more than 1");
        k.range("gp.parsimony", "the parsimony coefficient", o.parsimony, 0.0, 1.0);
        k.range("gp.init_depth_min", "the minimum initial depth", o.initDepthMin, 1, 16);
        k.range("gp.init_depth_max", "the maximum initial depth", o.initDepthMax, o.initDepthMin, 16);
        k.range("gp.pool_every", "generations between pool offers", o.poolEvery, 1, 100000);
        k.range("gp.offer_top", "individuals offered each time", o.offerTop, 1, 100000);
        break;
    }
    case SearchAlgo::Ppo: {
        const PpoOptions& o = c.ppo;
        k.range("ppo.hidden", "the PPO network's width", o.hidden, 4, 4096);
        k.range("ppo.layers", "the PPO network's LSTM layers", o.layers, 1, 8);
        k.range("ppo.dropout", "the dropout between LSTM layers", o.dropout, 0.0, 0.9);
        k.range("ppo.learning_rate", "the PPO learning rate", o.learningRate, 1e-7, 1.0);
        k.range("ppo.rollout_steps", "actions per rollout", o.rolloutSteps, 1, 1000000);
        k.range("ppo.batch_size", "the minibatch size", o.batchSize, 1, 65536);
        k.range("ppo.epochs", "epochs per rollout", o.epochs, 1, 1000);
        k.probability("ppo.gamma", "gamma", o.gamma);
        k.probability("ppo.gae_lambda", "the GAE lambda", o.gaeLambda);
        k.range("ppo.clip_range", "the clip range", o.clipRange, 1e-6, 10.0);
        k.range("ppo.entropy_coef", "the entropy coefficient", o.entropyCoef, 0.0, 10.0);
        k.range("ppo.value_coef", "the value-loss coefficient", o.valueCoef, 0.0, 100.0);
        k.positive("ppo.max_grad_norm", "the gradient-norm limit", o.maxGradNorm);
        break;
    }
    case SearchAlgo::Random: break;
    }
    if (!k.ok()) return k.error();
    if (session) {
        if (!session->data) return makeError(ErrorCode::InvalidArgument, "no data", "data");
        if (session->splits.empty()) return makeError(ErrorCode::InvalidArgument, "the session has no splits", "data");
        if (!g.operators.empty()) {
            if (auto v = g.validate(*session->data); !v.ok()) {
                Error e = v.error();
                e.where = "grammar"; // the location, so the message loses its own "grammar: " prefix
                if (e.message.rfind("grammar: ", 0) == 0) e.message.erase(0, 9);
                return e;
            }
        }
    }
    return {};
}

Result<SearchResult> runSearch(std::shared_ptr<const ResearchSession> session, const SearchConfig& config,
                               SearchFeedback& feedback) {
    if (!session) return makeError(ErrorCode::InvalidArgument, "no data");
    if (auto v = validate(config, session.get()); !v.ok()) return v.error();
    SearchRun run(session, config, feedback);
    if (auto g = run.grammar().validate(*session->data); !g.ok()) return g.error();
    const SearchAlgorithmRunner algorithm = searchAlgorithm(run.config().algo);
    if (!algorithm)
        return makeError(ErrorCode::InvalidArgument, "this search is not available in this build", "algorithm");
    if (Result<void> done = algorithm(run); !done.ok() && done.error().code != ErrorCode::Canceled) return done.error();
    return run.finish();
}

} // namespace alphascope

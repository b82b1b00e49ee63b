#include "core/io/search_config_json.h"

#include "core/expr/operator_registry.h"

#include <nlohmann/json.hpp>

namespace alphascope {

namespace {

using nlohmann::json;

const char* encoderName(GFlowNetOptions::Encoder e) {
    return e == GFlowNetOptions::Encoder::Lstm ? "lstm" : "gnn";
}

/// Thrown inside the reader only (it keeps the reading code a straight list) and turned into an
/// Error at the API.
struct ReadError {
    std::string key, message;
};

/// Reads `key` of `j` into `v` when present; wrong types name the key.
template <class T>
void read(const json& j, const char* key, T& v, const std::string& path) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) return;
    try {
        v = it->get<T>();
    } catch (const json::exception&) {
        throw ReadError{path + key, "has the wrong type (" + std::string(it->type_name()) + ")"};
    }
}

const json& object(const json& j, const char* key, const std::string& path) {
    static const json empty = json::object();
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) return empty;
    if (!it->is_object()) throw ReadError{path + key, "must be an object"};
    return *it;
}

} // namespace

std::string searchConfigToJson(const SearchConfig& c, int indent) {
    json j;
    j["format"] = "alphascope-search-config";
    j["version"] = kSearchConfigVersion;
    j["algorithm"] = std::string(searchAlgoName(c.algo));
    j["seed"] = c.seed;
    j["budget"] = {
        {"evaluations", c.budget.evaluations}, {"episodes", c.budget.episodes}, {"seconds", c.budget.seconds}};
    j["pool"] = {{"kind", !c.pool ? json(nullptr) : json(*c.pool == PoolKind::Mining ? "mining" : "linear")},
                 {"capacity", c.poolOptions.capacity},
                 {"l1", c.poolOptions.l1},
                 {"ridge", c.poolOptions.ridge},
                 {"refuse_lower_ic", c.poolOptions.refuseLowerIc},
                 {"complexity", c.poolOptions.complexity},
                 {"max_mutual", c.poolOptions.maxMutual},
                 {"replace_similar", c.poolOptions.replaceSimilar},
                 {"admit_mutual", c.poolOptions.admitMutual}};
    const Grammar& g = c.grammar;
    json ops = json::array();
    for (OpId op : g.operators) ops.push_back(std::string(operatorSpec(op).name));
    j["grammar"] = {{"operators", ops},
                    {"features", g.features},
                    {"windows", g.windows},
                    {"constants", g.constants},
                    {"groups", g.groups},
                    {"max_tokens", g.maxTokens},
                    {"max_instructions", g.maxInstructions},
                    {"registers", g.registers},
                    {"dimension_check", g.dimensionCheck}};
    j["prefer_cuda"] = c.preferCuda;
    j["precheck"] = c.precheck;
    j["progress_interval"] = c.progressInterval;
    j["snapshot_interval"] = c.snapshotInterval;
    const GFlowNetOptions& f = c.gfn;
    j["gfn"] = {{"encoder", encoderName(f.encoder)},
                {"hidden", f.hidden},
                {"layers", f.layers},
                {"learning_rate", f.learningRate},
                {"update_frequency", f.updateFrequency},
                {"entropy_coef", f.entropyCoef},
                {"entropy_temperature", f.entropyTemperature},
                {"forced_stop_prob", f.forcedStopProb},
                {"ssl_weight", f.sslWeight},
                {"novelty_weight", f.noveltyWeight},
                {"dense_rewards", f.denseRewards},
                {"log_z_init", f.logZInit},
                {"log_z_warm_start", f.logZWarmStart},
                {"log_z_learning_rate", f.logZLearningRate},
                {"reward_exponent", f.rewardExponent},
                {"novelty_scaled_ic", f.noveltyScaledIc},
                {"exploration_epsilon", f.explorationEpsilon},
                {"replay_share", f.replayShare},
                {"replay_capacity", f.replayCapacity},
                {"length_penalty", f.lengthPenalty},
                {"local_search", f.localSearchShare},
                {"genetic", f.geneticShare}};
    const MctsOptions& m = c.mcts;
    j["mcts"] = {{"simulations_per_move", m.simulationsPerMove},
                 {"leaf_batch", m.leafBatch},
                 {"c_base", m.cBase},
                 {"c_init", m.cInit},
                 {"dirichlet_alpha", m.dirichletAlpha},
                 {"dirichlet_fraction", m.dirichletFraction},
                 {"top_k", m.topK},
                 {"beta", m.beta},
                 {"network", m.useNetwork},
                 {"hidden", m.hidden},
                 {"learning_rate", m.learningRate},
                 {"batch_size", m.batchSize},
                 {"replay_capacity", m.replayCapacity},
                 {"train_every", m.trainEvery},
                 {"explore_share", m.exploreShare}};
    const GeneticOptions& p = c.gp;
    j["gp"] = {{"population", p.population},        {"tournament", p.tournament},
               {"crossover", p.crossover},          {"subtree_mutation", p.subtreeMutation},
               {"hoist_mutation", p.hoistMutation}, {"point_mutation", p.pointMutation},
               {"point_replace", p.pointReplace},   {"parsimony", p.parsimony},
               {"init_depth_min", p.initDepthMin},  {"init_depth_max", p.initDepthMax},
               {"pool_every", p.poolEvery},         {"offer_top", p.offerTop}};
    const PpoOptions& o = c.ppo;
    j["ppo"] = {{"hidden", o.hidden},
                {"layers", o.layers},
                {"dropout", o.dropout},
                {"learning_rate", o.learningRate},
                {"rollout_steps", o.rolloutSteps},
                {"batch_size", o.batchSize},
                {"epochs", o.epochs},
                {"gamma", o.gamma},
                {"gae_lambda", o.gaeLambda},
                {"clip_range", o.clipRange},
                {"entropy_coef", o.entropyCoef},
                {"value_coef", o.valueCoef},
                {"max_grad_norm", o.maxGradNorm}};
    return j.dump(indent);
}

Result<SearchConfig> searchConfigFromJson(std::string_view text, const std::string& where) {
    return searchConfigFromJson(text, where, SearchConfig{});
}

Result<SearchConfig> searchConfigFromJson(std::string_view text, const std::string& where, const SearchConfig& base) {
    json j;
    try {
        j = json::parse(text);
    } catch (const json::parse_error& e) {
        return makeError(ErrorCode::Format, std::string("the search config is not valid JSON: ") + e.what(),
                         where + "@" + std::to_string(e.byte));
    }
    if (!j.is_object()) return makeError(ErrorCode::Format, "the search config is not a JSON object", where);
    SearchConfig c = base;
    try {
        int version = kSearchConfigVersion;
        read(j, "version", version, "");
        if (version > kSearchConfigVersion)
            throw ReadError{"version", "is " + std::to_string(version) + ", newer than this build reads (" +
                                           std::to_string(kSearchConfigVersion) + ")"};
        std::string algo(searchAlgoName(base.algo));
        read(j, "algorithm", algo, "");
        const auto a = parseSearchAlgo(algo);
        if (!a) throw ReadError{"algorithm", "'" + algo + "' is not gfn, mcts, gp, random or ppo"};
        c.algo = *a;
        read(j, "seed", c.seed, "");

        const json& b = object(j, "budget", "");
        read(b, "evaluations", c.budget.evaluations, "budget.");
        read(b, "episodes", c.budget.episodes, "budget.");
        read(b, "seconds", c.budget.seconds, "budget.");

        const json& pool = object(j, "pool", "");
        std::string kind;
        read(pool, "kind", kind, "pool.");
        if (kind == "mining")
            c.pool = PoolKind::Mining;
        else if (kind == "linear")
            c.pool = PoolKind::Linear;
        else if (!kind.empty())
            throw ReadError{"pool.kind", "'" + kind + "' is not linear or mining"};
        read(pool, "capacity", c.poolOptions.capacity, "pool.");
        read(pool, "l1", c.poolOptions.l1, "pool.");
        read(pool, "ridge", c.poolOptions.ridge, "pool.");
        read(pool, "refuse_lower_ic", c.poolOptions.refuseLowerIc, "pool.");
        read(pool, "complexity", c.poolOptions.complexity, "pool.");
        read(pool, "max_mutual", c.poolOptions.maxMutual, "pool.");
        read(pool, "replace_similar", c.poolOptions.replaceSimilar, "pool.");
        read(pool, "admit_mutual", c.poolOptions.admitMutual, "pool.");

        const json& g = object(j, "grammar", "");
        if (g.contains("operators")) { // replaces base's list
            std::vector<std::string> ops;
            read(g, "operators", ops, "grammar.");
            c.grammar.operators.clear();
            for (const std::string& name : ops) {
                const OperatorSpec* spec = findOperator(name);
                if (!spec) throw ReadError{"grammar.operators", "unknown operator '" + name + "'"};
                c.grammar.operators.push_back(spec->id);
            }
        }
        read(g, "features", c.grammar.features, "grammar.");
        read(g, "windows", c.grammar.windows, "grammar.");
        read(g, "constants", c.grammar.constants, "grammar.");
        read(g, "groups", c.grammar.groups, "grammar.");
        read(g, "max_tokens", c.grammar.maxTokens, "grammar.");
        read(g, "max_instructions", c.grammar.maxInstructions, "grammar.");
        read(g, "registers", c.grammar.registers, "grammar.");
        read(g, "dimension_check", c.grammar.dimensionCheck, "grammar.");
        read(j, "prefer_cuda", c.preferCuda, "");
        read(j, "precheck", c.precheck, "");
        read(j, "progress_interval", c.progressInterval, "");
        read(j, "snapshot_interval", c.snapshotInterval, "");

        const json& f = object(j, "gfn", "");
        std::string encoder = encoderName(c.gfn.encoder);
        read(f, "encoder", encoder, "gfn.");
        if (encoder == "gnn")
            c.gfn.encoder = GFlowNetOptions::Encoder::Gnn;
        else if (encoder == "lstm")
            c.gfn.encoder = GFlowNetOptions::Encoder::Lstm;
        else
            throw ReadError{"gfn.encoder", "'" + encoder + "' is not gnn or lstm"};
        read(f, "hidden", c.gfn.hidden, "gfn.");
        read(f, "layers", c.gfn.layers, "gfn.");
        read(f, "learning_rate", c.gfn.learningRate, "gfn.");
        read(f, "update_frequency", c.gfn.updateFrequency, "gfn.");
        read(f, "entropy_coef", c.gfn.entropyCoef, "gfn.");
        read(f, "entropy_temperature", c.gfn.entropyTemperature, "gfn.");
        read(f, "forced_stop_prob", c.gfn.forcedStopProb, "gfn.");
        read(f, "ssl_weight", c.gfn.sslWeight, "gfn.");
        read(f, "novelty_weight", c.gfn.noveltyWeight, "gfn.");
        read(f, "dense_rewards", c.gfn.denseRewards, "gfn.");
        read(f, "log_z_init", c.gfn.logZInit, "gfn.");
        read(f, "log_z_warm_start", c.gfn.logZWarmStart, "gfn.");
        read(f, "log_z_learning_rate", c.gfn.logZLearningRate, "gfn.");
        read(f, "reward_exponent", c.gfn.rewardExponent, "gfn.");
        read(f, "novelty_scaled_ic", c.gfn.noveltyScaledIc, "gfn.");
        read(f, "exploration_epsilon", c.gfn.explorationEpsilon, "gfn.");
        read(f, "replay_share", c.gfn.replayShare, "gfn.");
        read(f, "replay_capacity", c.gfn.replayCapacity, "gfn.");
        read(f, "length_penalty", c.gfn.lengthPenalty, "gfn.");
        read(f, "local_search", c.gfn.localSearchShare, "gfn.");
        read(f, "genetic", c.gfn.geneticShare, "gfn.");

        const json& m = object(j, "mcts", "");
        read(m, "simulations_per_move", c.mcts.simulationsPerMove, "mcts.");
        read(m, "leaf_batch", c.mcts.leafBatch, "mcts.");
        read(m, "c_base", c.mcts.cBase, "mcts.");
        read(m, "c_init", c.mcts.cInit, "mcts.");
        read(m, "dirichlet_alpha", c.mcts.dirichletAlpha, "mcts.");
        read(m, "dirichlet_fraction", c.mcts.dirichletFraction, "mcts.");
        read(m, "top_k", c.mcts.topK, "mcts.");
        read(m, "beta", c.mcts.beta, "mcts.");
        read(m, "network", c.mcts.useNetwork, "mcts.");
        read(m, "hidden", c.mcts.hidden, "mcts.");
        read(m, "learning_rate", c.mcts.learningRate, "mcts.");
        read(m, "batch_size", c.mcts.batchSize, "mcts.");
        read(m, "replay_capacity", c.mcts.replayCapacity, "mcts.");
        read(m, "train_every", c.mcts.trainEvery, "mcts.");
        read(m, "explore_share", c.mcts.exploreShare, "mcts.");

        const json& p = object(j, "gp", "");
        read(p, "population", c.gp.population, "gp.");
        read(p, "tournament", c.gp.tournament, "gp.");
        read(p, "crossover", c.gp.crossover, "gp.");
        read(p, "subtree_mutation", c.gp.subtreeMutation, "gp.");
        read(p, "hoist_mutation", c.gp.hoistMutation, "gp.");
        read(p, "point_mutation", c.gp.pointMutation, "gp.");
        read(p, "point_replace", c.gp.pointReplace, "gp.");
        read(p, "parsimony", c.gp.parsimony, "gp.");
        read(p, "init_depth_min", c.gp.initDepthMin, "gp.");
        read(p, "init_depth_max", c.gp.initDepthMax, "gp.");
        read(p, "pool_every", c.gp.poolEvery, "gp.");
        read(p, "offer_top", c.gp.offerTop, "gp.");

        const json& o = object(j, "ppo", "");
        read(o, "hidden", c.ppo.hidden, "ppo.");
        read(o, "layers", c.ppo.layers, "ppo.");
        read(o, "dropout", c.ppo.dropout, "ppo.");
        read(o, "learning_rate", c.ppo.learningRate, "ppo.");
        read(o, "rollout_steps", c.ppo.rolloutSteps, "ppo.");
        read(o, "batch_size", c.ppo.batchSize, "ppo.");
        read(o, "epochs", c.ppo.epochs, "ppo.");
        read(o, "gamma", c.ppo.gamma, "ppo.");
        read(o, "gae_lambda", c.ppo.gaeLambda, "ppo.");
        read(o, "clip_range", c.ppo.clipRange, "ppo.");
        read(o, "entropy_coef", c.ppo.entropyCoef, "ppo.");
        read(o, "value_coef", c.ppo.valueCoef, "ppo.");
        read(o, "max_grad_norm", c.ppo.maxGradNorm, "ppo.");
    } catch (const ReadError& e) {
        return makeError(ErrorCode::Format, "search config: " + e.key + " " + e.message, where);
    }
    return c;
}

} // namespace alphascope

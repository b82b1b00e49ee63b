#include "core/io/pool_json.h"

#include "core/expr/operator_registry.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace alphascope {

namespace {

using nlohmann::json;

json num(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json metricsJson(const SplitMetrics& m) {
    return {{"first", m.days ? m.first.toString() : ""}, {"last", m.days ? m.last.toString() : ""},
            {"days", m.days},      {"ic", num(m.ic)},           {"rank_ic", num(m.rankIc)},
            {"icir", num(m.icir)}, {"rank_icir", num(m.rankIcir)}, {"coverage", num(m.coverage)},
            {"turnover", num(m.turnover)}};
}

json perSplit(const std::vector<SplitMetrics>& splits) {
    json j = json::object();
    for (const auto& m : splits) j[m.name] = metricsJson(m);
    return j;
}

json configJson(const SearchConfig& c) {
    json j;
    j["algorithm"] = std::string(searchAlgoName(c.algo));
    j["seed"] = c.seed;
    j["budget"] = {{"evaluations", c.budget.evaluations}, {"episodes", c.budget.episodes}, {"seconds", c.budget.seconds}};
    j["pool"] = {{"kind", c.pool && *c.pool == PoolKind::Mining ? "mining" : "linear"},
                 {"capacity", c.poolOptions.capacity},
                 {"l1", c.poolOptions.l1},
                 {"max_mutual", c.poolOptions.maxMutual},
                 {"admit_mutual", c.poolOptions.admitMutual}};
    const Grammar& g = c.grammar;
    json ops = json::array();
    for (OpId op : g.operators) ops.push_back(std::string(operatorSpec(op).name));
    j["grammar"] = {{"operators", ops},          {"features", g.features},
                    {"windows", g.windows},      {"constants", g.constants},
                    {"groups", g.groups},        {"max_tokens", g.maxTokens},
                    {"max_instructions", g.maxInstructions}, {"registers", g.registers},
                    {"dimension_check", g.dimensionCheck}};
    switch (c.algo) {
    case SearchAlgo::GFlowNet:
        j["gfn"] = {{"encoder", c.gfn.encoder == GFlowNetOptions::Encoder::Gnn ? "gnn" : "lstm"},
                    {"hidden", c.gfn.hidden}, {"layers", c.gfn.layers}, {"learning_rate", c.gfn.learningRate},
                    {"update_frequency", c.gfn.updateFrequency}, {"entropy_coef", c.gfn.entropyCoef},
                    {"entropy_temperature", c.gfn.entropyTemperature}, {"forced_stop_prob", c.gfn.forcedStopProb},
                    {"ssl_weight", c.gfn.sslWeight}, {"novelty_weight", c.gfn.noveltyWeight},
                    {"dense_rewards", c.gfn.denseRewards}};
        break;
    case SearchAlgo::Mcts:
        j["mcts"] = {{"simulations_per_move", c.mcts.simulationsPerMove}, {"c_base", c.mcts.cBase},
                     {"c_init", c.mcts.cInit}, {"dirichlet_alpha", c.mcts.dirichletAlpha},
                     {"dirichlet_fraction", c.mcts.dirichletFraction}, {"top_k", c.mcts.topK}, {"beta", c.mcts.beta},
                     {"network", c.mcts.useNetwork}, {"hidden", c.mcts.hidden}, {"learning_rate", c.mcts.learningRate}};
        break;
    case SearchAlgo::Genetic:
        j["gp"] = {{"population", c.gp.population}, {"tournament", c.gp.tournament}, {"crossover", c.gp.crossover},
                   {"subtree_mutation", c.gp.subtreeMutation}, {"hoist_mutation", c.gp.hoistMutation},
                   {"point_mutation", c.gp.pointMutation}, {"point_replace", c.gp.pointReplace},
                   {"parsimony", c.gp.parsimony}};
        break;
    case SearchAlgo::Random: break;
    }
    return j;
}

} // namespace

std::string poolJson(const SearchResult& r, const ResearchSession& s) {
    json j;
    j["format"] = "alphascope-pool";
    j["version"] = 1;
    j["algorithm"] = std::string(searchAlgoName(r.config.algo));
    j["seed"] = r.config.seed;
    j["device"] = r.device;
    j["config"] = configJson(r.config);
    json splits = json::array();
    for (const auto& sp : s.splits)
        splits.push_back({{"name", sp.name}, {"first", sp.first.toString()}, {"last", sp.last.toString()}, {"days", sp.days()}});
    j["data"] = {{"source", s.data->source}, {"universe", s.data->universe}, {"instruments", s.data->instrumentCount()},
                 {"days", s.data->days()}, {"target", s.target->toString()}, {"horizon", s.horizon}, {"splits", splits}};
    j["run"] = {{"evaluations", r.evaluations},   {"distinct_formulas", r.distinctFormulas},
                {"failed_evaluations", r.failedEvaluations}, {"episodes", r.episodes},
                {"seconds", r.seconds},           {"evaluations_per_second", r.evaluationsPerSecond},
                {"stop_reason", r.stopReason},    {"canceled", r.canceled}};
    json factors = json::array(), exprs = json::array(), weights = json::array();
    for (const auto& f : r.pool) {
        factors.push_back({{"formula", f.formula}, {"weight", num(f.weight)}, {"metrics", perSplit(f.splits)}});
        exprs.push_back(f.formula);
        weights.push_back(num(f.weight));
    }
    j["pool_kind"] = r.poolKind == PoolKind::Mining ? "mining" : "linear";
    j["factors"] = factors;
    j["combined"] = perSplit(r.combined);
    j["adaptive"] = perSplit(r.adaptive);
    j["diversity"] = {{"mean_abs_mutual", num(r.meanAbsMutual)}};
    json history = json::array();
    for (const auto& h : r.history)
        history.push_back({{"evaluations", h.evaluations}, {"seconds", h.seconds}, {"pool_ic", num(h.poolIc)},
                           {"size", h.formulas.size()}});
    j["history"] = history;
    j["notes"] = r.notes;
    // AlphaGen's pool shape (scripts/rl.py): the same formulas and weights.
    j["exprs"] = exprs;
    j["weights"] = weights;
    return j.dump(2);
}

Result<std::vector<PoolFileEntry>> readPoolFile(std::string_view text, const std::string& where) {
    json j;
    try {
        j = json::parse(text);
    } catch (const json::parse_error& e) {
        return makeError(ErrorCode::Format, std::string("not valid JSON: ") + e.what(), where + "@" + std::to_string(e.byte));
    }
    std::vector<PoolFileEntry> out;
    try {
        if (j.contains("factors")) {
            for (const auto& f : j.at("factors"))
                out.push_back({f.at("formula").get<std::string>(), f.at("weight").is_null() ? 0.0 : f.at("weight").get<double>()});
        } else if (j.contains("exprs")) {
            const auto& e = j.at("exprs");
            const auto& w = j.contains("weights") ? j.at("weights") : json::array();
            for (std::size_t k = 0; k < e.size(); ++k)
                out.push_back({e[k].get<std::string>(), k < w.size() && !w[k].is_null() ? w[k].get<double>() : 0.0});
        } else {
            return makeError(ErrorCode::Format, "no \"factors\" or \"exprs\" list: not a pool file", where);
        }
    } catch (const json::exception& e) {
        return makeError(ErrorCode::Format, std::string("unexpected content: ") + e.what(), where);
    }
    return out;
}

} // namespace alphascope

#include "core/io/pool_json.h"

#include "core/io/json_locate.h"
#include "core/io/search_config_json.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace alphascope {

namespace {

using nlohmann::json;

json num(double v) {
    return std::isfinite(v) ? json(v) : json(nullptr);
}

json metricsJson(const SplitMetrics& m) {
    return {{"first", m.days ? m.first.toString() : ""},
            {"last", m.days ? m.last.toString() : ""},
            {"days", m.days},
            {"ic", num(m.ic)},
            {"rank_ic", num(m.rankIc)},
            {"icir", num(m.icir)},
            {"rank_icir", num(m.rankIcir)},
            {"coverage", num(m.coverage)},
            {"turnover", num(m.turnover)}};
}

json perSplit(const std::vector<SplitMetrics>& splits) {
    json j = json::object();
    for (const auto& m : splits) j[m.name] = metricsJson(m);
    return j;
}

constexpr std::string_view kChoiceNames[] = {"combined", "selected", "tuned", "early"};

} // namespace

std::string_view poolChoiceName(PoolChoice choice) {
    return kChoiceNames[static_cast<int>(choice)];
}

std::optional<PoolChoice> poolChoiceNamed(std::string_view name) {
    for (int k = 0; k < 4; ++k)
        if (kChoiceNames[k] == name) return static_cast<PoolChoice>(k);
    return std::nullopt;
}

std::vector<WeightedFormula> poolMembers(const SearchResult& r, PoolChoice choice) {
    std::vector<WeightedFormula> out;
    switch (choice) {
    case PoolChoice::Combined:
        for (const auto& f : r.pool) out.push_back({f.formula, f.weight});
        break;
    case PoolChoice::Selected:
        for (const auto& f : r.pool)
            if (std::isfinite(f.selectedWeight) && f.selectedWeight != 0.0)
                out.push_back({f.formula, f.selectedWeight});
        break;
    case PoolChoice::Tuned:
        for (const auto& f : r.pool)
            if (std::isfinite(f.tunedWeight)) out.push_back({f.formula, f.tunedWeight});
        break;
    case PoolChoice::Early: out = r.earlyPool; break;
    }
    return out;
}

namespace {
json dataJson(const ResearchSession& s) {
    json splits = json::array();
    for (const auto& sp : s.splits)
        splits.push_back(
            {{"name", sp.name}, {"first", sp.first.toString()}, {"last", sp.last.toString()}, {"days", sp.days()}});
    return {{"source", s.data->source}, {"universe", s.data->universe},   {"instruments", s.data->instrumentCount()},
            {"days", s.data->days()},   {"target", s.target->toString()}, {"horizon", s.horizon},
            {"splits", splits}};
}
} // namespace

std::string poolDataJson(const ResearchSession& session) {
    return dataJson(session).dump();
}

std::string poolJson(const SearchResult& r, const ResearchSession& s) {
    json j;
    j["format"] = "alphascope-pool";
    j["version"] = 1;
    j["algorithm"] = std::string(searchAlgoName(r.config.algo));
    j["seed"] = r.config.seed;
    j["device"] = r.device;
    j["config"] = json::parse(searchConfigToJson(r.config));
    j["data"] = dataJson(s);
    j["run"] = {
        {"evaluations", r.evaluations},
        {"distinct_formulas", r.distinctFormulas},
        {"failed_evaluations", r.failedEvaluations},
        {"unusable",
         {{"refused", r.unusable.refused},
          {"empty", r.unusable.empty},
          {"constant", r.unusable.constant},
          {"sparse", r.unusable.sparse}}},
        {"rejections", r.rejections},
        {"rejected", {{"empty", r.rejected.empty}, {"constant", r.rejected.constant}, {"sparse", r.rejected.sparse}}},
        {"episodes", r.episodes},
        {"seconds", r.seconds},
        {"evaluations_per_second", r.evaluationsPerSecond},
        {"stop_reason", r.stopReason},
        {"canceled", r.canceled}};
    json factors = json::array(), exprs = json::array(), weights = json::array();
    for (const auto& f : r.pool) {
        factors.push_back({{"formula", f.formula},
                           {"weight", num(f.weight)},
                           {"selected_weight", num(f.selectedWeight)},
                           {"tuned_weight", num(f.tunedWeight)},
                           {"metrics", perSplit(f.splits)}});
        exprs.push_back(f.formula);
        weights.push_back(num(f.weight));
    }
    j["pool_kind"] = r.poolKind == PoolKind::Mining ? "mining" : "linear";
    j["factors"] = factors;
    j["combined"] = perSplit(r.combined);
    j["adaptive"] = perSplit(r.adaptive);
    j["selected"] = perSplit(r.selected);
    j["selected_members"] = r.selectedMembers;
    j["tuned"] = perSplit(r.tuned);
    j["tuned_l1"] = num(r.tunedL1);
    j["early"] = perSplit(r.early);
    j["early_evaluations"] = r.earlyEvaluations;
    json earlyPool = json::array();
    for (const auto& f : r.earlyPool) earlyPool.push_back({{"formula", f.formula}, {"weight", num(f.weight)}});
    j["early_pool"] = earlyPool;
    j["diversity"] = {{"mean_abs_mutual", num(r.meanAbsMutual)}};
    json history = json::array();
    for (const auto& h : r.history)
        history.push_back({{"evaluations", h.evaluations},
                           {"seconds", h.seconds},
                           {"pool_ic", num(h.poolIc)},
                           {"pool_valid_ic", num(h.poolValidIc)},
                           {"size", h.members.size()}});
    j["history"] = history;
    json rewards = json::array();
    for (const auto& p : r.rewardCurve)
        rewards.push_back(
            {{"episodes", p.episodes}, {"evaluations", p.evaluations}, {"mean_reward", num(p.meanReward)}});
    j["reward_curve"] = rewards;
    json ics = json::array();
    for (const auto& p : r.icCurve)
        ics.push_back({{"evaluated", p.episodes}, {"evaluations", p.evaluations}, {"mean_abs_ic", num(p.meanReward)}});
    j["ic_curve"] = ics;
    json tops = json::array();
    for (const auto& p : r.topCurve)
        tops.push_back({{"evaluated", p.episodes}, {"evaluations", p.evaluations}, {"top_share", num(p.meanReward)}});
    j["top_curve"] = tops;
    j["notes"] = r.notes;
    json diagnostics = json::object();
    for (const auto& [name, value] : r.diagnostics) diagnostics[name] = num(value);
    j["diagnostics"] = diagnostics;
    // AlphaGen's pool shape (scripts/rl.py): the same formulas and weights.
    j["exprs"] = exprs;
    j["weights"] = weights;
    return j.dump(2);
}

Result<std::vector<SplitMetrics>> readPoolSplits(std::string_view text, std::string_view combination,
                                                 const std::string& where) {
    const json j = json::parse(text, nullptr, false);
    if (!j.is_object()) return makeError(ErrorCode::Format, "not a pool file: not a JSON object", where);
    std::vector<SplitMetrics> out;
    const std::string key(combination);
    if (!j.contains(key) || !j.at(key).is_object() || !j.contains("data") || !j.at("data").is_object() ||
        !j.at("data").contains("splits") || !j.at("data").at("splits").is_array())
        return out;
    const json& bySplit = j.at(key);
    const auto real = [](const json& m, const char* k) {
        return m.contains(k) && m.at(k).is_number() ? m.at(k).get<double>() : kNaNd;
    };
    for (const json& split : j.at("data").at("splits")) {
        if (!split.is_object() || !split.contains("name") || !split.at("name").is_string()) continue;
        const std::string name = split.at("name").get<std::string>();
        if (!bySplit.contains(name) || !bySplit.at(name).is_object()) continue;
        const json& m = bySplit.at(name);
        SplitMetrics metrics;
        metrics.name = name;
        metrics.days = m.contains("days") && m.at("days").is_number_integer() ? m.at("days").get<int>() : 0;
        metrics.ic = real(m, "ic");
        metrics.icir = real(m, "icir");
        metrics.rankIc = real(m, "rank_ic");
        metrics.rankIcir = real(m, "rank_icir");
        metrics.coverage = real(m, "coverage");
        metrics.turnover = real(m, "turnover");
        out.push_back(std::move(metrics));
    }
    return out;
}

Result<std::vector<PoolFileEntry>> readPoolFile(std::string_view text, const std::string& where, PoolChoice choice) {
    using jsonpos::located;
    using jsonpos::positionAt;
    json j;
    try {
        j = json::parse(text);
    } catch (const json::parse_error& e) {
        // nlohmann counts bytes from 1 and says "parse error at line L, column C: <what>"; keep the what.
        const std::size_t byte = e.byte > 0 ? e.byte - 1 : 0;
        std::string what = e.what();
        if (const auto colon = what.find(": ", what.find("parse error")); colon != std::string::npos)
            what = what.substr(colon + 2);
        return makeError(ErrorCode::Format, "not valid JSON (byte " + std::to_string(byte) + "): " + what,
                         located(where, positionAt(text, byte)));
    }
    if (!j.is_object())
        return makeError(ErrorCode::Format, "not a pool file: the top level is not a JSON object", where);

    // Where each listed value starts, by its index in the list, for located errors.
    auto offsets = [&](const std::vector<std::string>& path) {
        std::vector<std::size_t> at;
        for (const auto& v : jsonpos::locateValues(text, path)) {
            const auto k = v.indices.empty() ? std::size_t(0) : static_cast<std::size_t>(v.indices.back());
            if (at.size() <= k) at.resize(k + 1, std::string::npos);
            at[k] = v.offset; // a repeated key: nlohmann keeps the last one, and so does this
        }
        return at;
    };
    auto at = [&](const std::vector<std::size_t>& offsets, std::size_t k) {
        return located(where, positionAt(text, k < offsets.size() ? offsets[k] : 0));
    };
    auto entry = [&](const json& formula, const std::vector<std::size_t>& formulaAt, std::size_t k,
                     const char* what) -> Result<PoolFileEntry> {
        if (!formula.is_string())
            return makeError(ErrorCode::Format, std::string(what) + " " + std::to_string(k + 1) + " is not a string",
                             at(formulaAt, k));
        PoolFileEntry e;
        e.formula = formula.get<std::string>();
        // The formula's first character is one past the opening quote.
        const std::size_t offset = k < formulaAt.size() && formulaAt[k] != std::string::npos ? formulaAt[k] + 1 : 0;
        const auto pos = positionAt(text, offset);
        e.line = pos.line;
        e.column = pos.column;
        return e;
    };
    auto weightOf = [&](const json& w, double& out) {
        if (w.is_null()) return true; // stays NaN: no weight
        if (!w.is_number()) return false;
        out = w.get<double>();
        return true;
    };

    std::vector<PoolFileEntry> out;
    if (j.contains("factors")) {
        const json& factors = j.at("factors");
        if (!factors.is_array())
            return makeError(ErrorCode::Format, "\"factors\" is not a list", at(offsets({"factors"}), 0));
        const auto factorAt = offsets({"factors", "*"});
        const auto formulaAt = offsets({"factors", "*", "formula"});
        for (std::size_t k = 0; k < factors.size(); ++k) {
            const json& f = factors[k];
            if (!f.is_object() || !f.contains("formula"))
                return makeError(ErrorCode::Format, "factor " + std::to_string(k + 1) + " has no \"formula\"",
                                 at(factorAt, k));
            auto e = entry(f.at("formula"), formulaAt, k, "the formula of factor");
            if (!e.ok()) return e.error();
            if (f.contains("weight") && !weightOf(f.at("weight"), e->weight))
                return makeError(ErrorCode::Format,
                                 "the weight of factor " + std::to_string(k + 1) + " is not a number", at(factorAt, k));
            if (f.contains("selected_weight") && !weightOf(f.at("selected_weight"), e->selectedWeight))
                return makeError(ErrorCode::Format,
                                 "the selected weight of factor " + std::to_string(k + 1) + " is not a number",
                                 at(factorAt, k));
            if (f.contains("tuned_weight") && !weightOf(f.at("tuned_weight"), e->tunedWeight))
                return makeError(ErrorCode::Format,
                                 "the tuned weight of factor " + std::to_string(k + 1) + " is not a number",
                                 at(factorAt, k));
            if (f.contains("name") && f.at("name").is_string()) e->name = f.at("name").get<std::string>();
            e->factorIndex = static_cast<int>(k);
            out.push_back(std::move(e.value()));
        }
    } else if (j.contains("exprs")) {
        const json& exprs = j.at("exprs");
        if (!exprs.is_array())
            return makeError(ErrorCode::Format, "\"exprs\" is not a list", at(offsets({"exprs"}), 0));
        const json weights = j.contains("weights") ? j.at("weights") : json::array();
        if (!weights.is_array() || (j.contains("weights") && weights.size() != exprs.size()))
            return makeError(ErrorCode::Format,
                             "\"weights\" must be a list as long as \"exprs\" (" + std::to_string(exprs.size()) + ")",
                             at(offsets({"weights"}), 0));
        const auto exprAt = offsets({"exprs", "*"});
        const auto weightAt = offsets({"weights", "*"});
        for (std::size_t k = 0; k < exprs.size(); ++k) {
            auto e = entry(exprs[k], exprAt, k, "expression");
            if (!e.ok()) return e.error();
            if (k < weights.size() && !weightOf(weights[k], e->weight))
                return makeError(ErrorCode::Format, "weight " + std::to_string(k + 1) + " is not a number",
                                 at(weightAt, k));
            out.push_back(std::move(e.value()));
        }
    } else {
        return makeError(ErrorCode::Format, "no \"factors\" or \"exprs\" list: not a pool or factor-set file", where);
    }
    if (choice == PoolChoice::Combined) return out;

    const std::string pool = std::string(poolChoiceName(choice));
    const auto none = [&](const std::string& why) {
        return makeError(ErrorCode::NotFound, "the file holds no " + pool + " pool: " + why, where);
    };
    const bool searchPool =
        j.contains("format") && j.at("format").is_string() && j.at("format").get<std::string>() == "alphascope-pool";
    if (!j.contains("factors") || !searchPool) return none("only a search's pool file (alphascope-pool) holds one");
    std::vector<PoolFileEntry> chosen;
    if (choice == PoolChoice::Selected || choice == PoolChoice::Tuned) {
        for (PoolFileEntry& e : out) {
            const double w = choice == PoolChoice::Selected ? e.selectedWeight : e.tunedWeight;
            if (!std::isfinite(w) || (choice == PoolChoice::Selected && w == 0.0)) continue;
            e.weight = w;
            chosen.push_back(std::move(e));
        }
        if (chosen.empty())
            return none(choice == PoolChoice::Selected
                            ? "no validation split, or no member's valid IC has its train IC's sign"
                            : "no validation split, or a mining pool");
        return chosen;
    }
    // Early: the pool's own list; members still in the final pool keep their metrics.
    if (!j.contains("early_pool") || !j.at("early_pool").is_array() || j.at("early_pool").empty())
        return none("no validation split, or a file written before early stopping was recorded");
    const json& early = j.at("early_pool");
    const auto earlyAt = offsets({"early_pool", "*"});
    const auto earlyFormulaAt = offsets({"early_pool", "*", "formula"});
    for (std::size_t k = 0; k < early.size(); ++k) {
        const json& f = early[k];
        if (!f.is_object() || !f.contains("formula"))
            return makeError(ErrorCode::Format, "early pool member " + std::to_string(k + 1) + " has no \"formula\"",
                             at(earlyAt, k));
        auto e = entry(f.at("formula"), earlyFormulaAt, k, "the formula of early pool member");
        if (!e.ok()) return e.error();
        if (f.contains("weight") && !weightOf(f.at("weight"), e->weight))
            return makeError(ErrorCode::Format,
                             "the weight of early pool member " + std::to_string(k + 1) + " is not a number",
                             at(earlyAt, k));
        for (const PoolFileEntry& member : out)
            if (member.formula == e->formula) {
                e->factorIndex = member.factorIndex;
                e->name = member.name;
                break;
            }
        chosen.push_back(std::move(e.value()));
    }
    return chosen;
}

} // namespace alphascope

#include "core/store/graph_fit_record.h"

#include <nlohmann/json.hpp>

namespace alphascope {

std::string hierarchyOptionsToJson(const graph::HierarchyOptions& o) {
    nlohmann::json j;
    j["window"] = o.window;
    j["step"] = o.step;
    j["min_overlap"] = o.minOverlap;
    j["correlation"] = o.method == graph::CorrelationMethod::Spearman ? "spearman" : "pearson";
    j["linkage"] = graph::linkageName(o.linkage);
    j["levels"] = o.levels;
    j["max_clusters"] = o.maxClusters;
    j["gap_statistic"] = o.gapStatistic;
    j["gap_references"] = o.gapReferences;
    j["seed"] = o.seed;
    j["temperature"] = o.temperature;
    j["compare_with"] = o.compareWith;
    j["prefix"] = o.prefix;
    return j.dump();
}

Result<graph::HierarchyOptions> hierarchyOptionsFromJson(const std::string& text) {
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return makeError(ErrorCode::Format, "the stored hierarchy options are not a JSON object");
    graph::HierarchyOptions o;
    std::string field;
    try {
        field = "window";
        o.window = j.at(field).get<int>();
        field = "step";
        o.step = j.at(field).get<int>();
        field = "min_overlap";
        o.minOverlap = j.at(field).get<int>();
        field = "correlation";
        const std::string correlation = j.at(field).get<std::string>();
        if (correlation != "pearson" && correlation != "spearman") throw std::invalid_argument("unknown correlation");
        o.method = correlation == "spearman" ? graph::CorrelationMethod::Spearman : graph::CorrelationMethod::Pearson;
        field = "linkage";
        if (!graph::parseLinkage(j.at(field).get<std::string>(), o.linkage))
            throw std::invalid_argument("unknown linkage");
        field = "levels";
        o.levels = j.at(field).get<std::vector<int>>();
        if (o.levels.empty()) throw std::invalid_argument("no levels");
        field = "max_clusters";
        o.maxClusters = j.at(field).get<int>();
        field = "gap_statistic";
        o.gapStatistic = j.at(field).get<bool>();
        field = "gap_references";
        o.gapReferences = j.at(field).get<int>();
        field = "seed";
        o.seed = j.at(field).get<std::uint64_t>();
        field = "temperature";
        o.temperature = j.at(field).get<double>();
        field = "compare_with";
        o.compareWith = j.at(field).get<std::string>();
        field = "prefix";
        o.prefix = j.at(field).get<std::string>();
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Format,
                         "the stored hierarchy options have a bad '" + field + "' (" + e.what() + ")");
    }
    return o;
}

} // namespace alphascope

#include "core/io/session_spec_json.h"

#include <nlohmann/json.hpp>

namespace alphascope {

namespace {
using nlohmann::json;

json splitsJson(const std::vector<SplitRange>& splits) {
    json a = json::array();
    for (const SplitRange& r : splits)
        a.push_back({{"name", r.name}, {"first", r.start.toString()}, {"last", r.end.toString()}});
    return a;
}
} // namespace

std::string splitRangesToJson(const std::vector<SplitRange>& splits) {
    return splitsJson(splits).dump();
}

std::string sessionSpecToJson(const SessionSpec& spec) {
    json o;
    o["path"] = spec.dataset.path;
    o["groups"] = spec.dataset.groupsPath;
    o["universe"] = spec.dataset.universe;
    o["mask_zero_volume"] = spec.dataset.maskZeroVolume;
    o["target"] = spec.target;
    o["splits"] = splitsJson(spec.splits);
    return o.dump();
}

std::optional<SessionSpec> sessionSpecFromJson(std::string_view text) {
    const json o = json::parse(text, nullptr, false);
    if (!o.is_object()) return std::nullopt;
    SessionSpec s;
    s.dataset.path = o.value("path", std::string());
    if (s.dataset.path.empty()) return std::nullopt;
    s.dataset.groupsPath = o.value("groups", std::string());
    s.dataset.universe = o.value("universe", std::string("all"));
    s.dataset.maskZeroVolume = o.value("mask_zero_volume", false);
    const std::string target = o.value("target", std::string());
    if (!target.empty()) s.target = target;
    if (o.contains("splits") && o["splits"].is_array()) {
        for (const json& v : o["splits"]) {
            if (!v.is_object()) return std::nullopt;
            auto first = parseDate(v.value("first", std::string()));
            auto last = parseDate(v.value("last", std::string()));
            if (!first || !last) return std::nullopt;
            s.splits.push_back(SplitRange{v.value("name", std::string()), *first, *last});
        }
    }
    return s;
}

} // namespace alphascope

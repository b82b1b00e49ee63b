// Reading a factor set back: the native format in full, a search pool file, AlphaGen's pool. The
// formula list itself comes from readPoolFile (one reader for all three shapes, with locations);
// this adds what only the richer formats carry.

#include "core/io/factor_set.h"

#include "core/io/pool_json.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include <fstream>
#include <limits>
#include <sstream>

namespace alphascope {

namespace {

using nlohmann::json;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
/// The native format version this build reads and writes.
constexpr int kNativeVersion = 1;

std::string textOf(const json& j, const char* key) {
    return j.is_object() && j.contains(key) && j.at(key).is_string() ? j.at(key).get<std::string>() : std::string();
}
double realOf(const json& j, const char* key) {
    return j.is_object() && j.contains(key) && j.at(key).is_number() ? j.at(key).get<double>() : kNaN;
}
int intOf(const json& j, const char* key) {
    return j.is_object() && j.contains(key) && j.at(key).is_number_integer() ? j.at(key).get<int>() : 0;
}

/// Metric fields shared by the native format and the pool file (which lacks ic_days and autocorrelation).
FactorSplitRecord metricsOf(const std::string& split, const json& m) {
    FactorSplitRecord r;
    r.split = split;
    r.icDays = intOf(m, "ic_days");
    r.ic = realOf(m, "ic");
    r.rankIc = realOf(m, "rank_ic");
    r.icir = realOf(m, "icir");
    r.rankIcir = realOf(m, "rank_icir");
    r.coverage = realOf(m, "coverage");
    r.turnover = realOf(m, "turnover");
    r.autocorrelation = realOf(m, "autocorrelation");
    return r;
}

std::vector<FactorSetSplit> splitsOf(const json& list) {
    std::vector<FactorSetSplit> out;
    if (!list.is_array()) return out;
    for (const json& s : list) out.push_back({textOf(s, "name"), textOf(s, "first"), textOf(s, "last")});
    return out;
}

FactorSetDataset datasetFromJson(const json& d) {
    FactorSetDataset out;
    out.source = textOf(d, "source");
    out.universe = textOf(d, "universe");
    out.target = textOf(d, "target");
    out.instruments = intOf(d, "instruments");
    out.days = intOf(d, "days");
    out.first = textOf(d, "first");
    out.last = textOf(d, "last");
    if (d.is_object() && d.contains("splits")) out.splits = splitsOf(d.at("splits"));
    return out;
}

void readNative(const json& j, FactorSet& set) {
    set.createdAt = textOf(j, "created_at");
    if (j.contains("dataset")) set.dataset = datasetFromJson(j.at("dataset"));
    if (j.contains("search") && j.at("search").is_object()) {
        const json& s = j.at("search");
        if (s.contains("run_id") && s.at("run_id").is_number_integer())
            set.originRunId = s.at("run_id").get<std::int64_t>();
        if (s.contains("config")) set.searchConfigJson = s.at("config").dump();
    }
    const json& factors = j.at("factors");
    for (std::size_t k = 0; k < set.members.size(); ++k) {
        const json& f = factors[k];
        FactorRecord& r = set.members[k].factor;
        r.notes = textOf(f, "notes");
        r.createdAt = textOf(f, "created_at");
        if (f.contains("metrics") && f.at("metrics").is_array())
            for (const json& m : f.at("metrics")) r.metrics.push_back(metricsOf(textOf(m, "split"), m));
    }
}

/// A search pool file (poolJson): metrics are an object keyed by split, in the data's split order.
/// Member k's are at factorIndex[k] of the file's "factors" (none for -1: an early pool's former member).
void readPool(const json& j, FactorSet& set, const std::vector<int>& factorIndex) {
    if (j.contains("data")) set.dataset = datasetFromJson(j.at("data"));
    if (j.contains("config")) set.searchConfigJson = j.at("config").dump();
    const json& factors = j.at("factors");
    for (std::size_t k = 0; k < set.members.size(); ++k) {
        if (factorIndex[k] < 0) continue;
        const json& f = factors[static_cast<std::size_t>(factorIndex[k])];
        if (!f.contains("metrics") || !f.at("metrics").is_object()) continue;
        const json& metrics = f.at("metrics");
        for (const FactorSetSplit& s : set.dataset.splits)
            if (metrics.contains(s.name))
                set.members[k].factor.metrics.push_back(metricsOf(s.name, metrics.at(s.name)));
    }
}

} // namespace

namespace {

/// An expression list (Qlib's or WorldQuant's, as exported, or typed): one formula per line; "#"
/// lines are comments, and the comment just before a formula names it. Formulas are checked when
/// they are imported (parsed for the data), not here.
FactorSet readExpressionList(std::string_view text) {
    FactorSet set;
    std::string pendingName;
    int line = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        std::string_view row = text.substr(start, end - start);
        ++line;
        start = end + 1;
        if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
        const std::size_t first = row.find_first_not_of(" \t");
        if (first == std::string_view::npos) {
            pendingName.clear();
            continue;
        }
        std::string_view body = row.substr(first);
        if (body.front() == '#') {
            std::string_view comment = body.substr(1);
            comment.remove_prefix(std::min(comment.find_first_not_of(" \t"), comment.size()));
            // The exporters' remarks ("not expressible ...", "uses ...") do not name the next formula.
            if (comment.rfind("not expressible", 0) != 0 && comment.rfind("uses ", 0) != 0)
                pendingName = std::string(comment);
            continue;
        }
        while (!body.empty() && (body.back() == ' ' || body.back() == '\t')) body.remove_suffix(1);
        FactorSetMember m;
        m.factor.formula = std::string(body);
        m.factor.name = pendingName.empty() ? m.factor.formula : pendingName;
        m.line = line;
        m.column = static_cast<int>(first) + 1;
        set.members.push_back(std::move(m));
        pendingName.clear();
    }
    return set;
}

} // namespace

Result<FactorSet> readFactorSet(std::string_view text, const std::string& where, PoolChoice choice) {
    // JSON starts with '{' or '['; anything else is read as an expression list.
    const std::size_t first = text.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && text[first] != '{' && text[first] != '[') {
        if (choice != PoolChoice::Combined)
            return makeError(ErrorCode::NotFound,
                             "the file holds no " + std::string(poolChoiceName(choice)) +
                                 " pool: only a search's pool file (alphascope-pool) holds one",
                             where);
        FactorSet set = readExpressionList(text);
        if (set.members.empty()) return makeError(ErrorCode::Format, "no formula in the file (only comments)", where);
        return set;
    }
    auto entries = readPoolFile(text, where, choice);
    if (!entries.ok()) return entries.error();
    FactorSet set;
    std::vector<int> factorIndex;
    for (PoolFileEntry& e : entries.value()) {
        factorIndex.push_back(e.factorIndex);
        FactorSetMember m;
        m.factor.name = e.name.empty() ? e.formula : std::move(e.name);
        m.factor.formula = std::move(e.formula);
        m.weight = e.weight;
        m.line = e.line;
        m.column = e.column;
        set.members.push_back(std::move(m));
    }
    // readPoolFile has parsed and checked the list; what is read here is optional provenance.
    const json j = json::parse(text, nullptr, false);
    const std::string format = alphascope::textOf(j, "format");
    if (format == "alphascope-factor-set") {
        const int version = intOf(j, "version");
        if (version > kNativeVersion)
            return makeError(ErrorCode::Format,
                             "factor-set format version " + std::to_string(version) +
                                 " was written by a newer AlphaScope; this one reads version " +
                                 std::to_string(kNativeVersion),
                             where);
        readNative(j, set);
    } else if (j.contains("factors")) {
        readPool(j, set, factorIndex);
    }
    return set;
}

Result<FactorSet> readFactorSetFile(const std::string& path, PoolChoice choice) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return makeError(ErrorCode::Io, "cannot read the file", path);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) return makeError(ErrorCode::Io, "reading failed", path);
    return readFactorSet(buffer.str(), path, choice);
}

} // namespace alphascope

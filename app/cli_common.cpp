#include "app/cli_common.h"

#include "core/expr/parser.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>

namespace alphascope::cli {

void addDataOptions(CLI::App& app, DataOptions& o) {
    app.add_option("--data", o.data, "Long CSV (.csv or .csv.xz) or Qlib binary folder; default: the bundled sample");
    app.add_option("--sectors", o.sectors, "Sector/industry CSV (ticker, sector[, industry]); default: the sample's sectors when --data is not given");
    app.add_option("--universe", o.universe, "Qlib universe name (instruments/<name>.txt)")->capture_default_str();
    app.add_flag("--mask-zero-volume", o.maskZeroVolume, "Treat zero-volume rows as missing (suspended)");
    app.add_option("--target", o.target, "Target formula (may look into the future)")->capture_default_str();
    app.add_option("--train", o.train, "Train range START:END (dates inclusive), e.g. 2015-01-01:2017-12-31");
    app.add_option("--valid", o.valid, "Validation range START:END");
    app.add_option("--test", o.test, "Test range START:END; with no range given, 70/15/15 % splits of the data are used");
    app.add_flag("--json", o.json, "Write JSON to stdout instead of tables");
}

int reportError(const Error& e, int exitCode) {
    std::cerr << "alphascope-cli: error: " << e.toString() << "\n";
    return exitCode;
}

int reportFormulaError(const std::string& formula, const Error& e) {
    std::cerr << "alphascope-cli: error in formula: " << e.toString() << "\n";
    if (e.column > 0) {
        std::cerr << "  " << formula << "\n  " << std::string(static_cast<std::size_t>(e.column - 1), ' ') << "^\n";
    }
    return kExitFormula;
}

std::unique_ptr<Session> openSession(const DataOptions& o, int& exitCode) {
    auto s = std::make_unique<Session>();
    const auto t0 = std::chrono::steady_clock::now();
    DatasetSpec spec;
    if (o.data.empty()) {
        spec = bundledSampleSpec();
        if (spec.path.empty()) {
            exitCode = reportError(makeError(ErrorCode::NotFound, "the bundled sample data was not found; pass --data"), kExitData);
            return nullptr;
        }
        if (!o.sectors.empty()) spec.groupsPath = o.sectors;
    } else {
        spec.path = o.data;
        spec.groupsPath = o.sectors;
    }
    spec.universe = o.universe;
    spec.maskZeroVolume = o.maskZeroVolume;
    auto data = loadDataset(spec);
    if (!data.ok()) {
        exitCode = reportError(data.error(), kExitData);
        return nullptr;
    }
    s->data = data.value();
    s->loadSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    s->evaluator = std::make_unique<Evaluator>(s->data);

    auto target = parseFormula(o.target, parseOptionsFor(*s->data, true));
    if (!target.ok()) {
        std::cerr << "alphascope-cli: the target formula is invalid\n";
        exitCode = reportFormulaError(o.target, target.error());
        return nullptr;
    }
    s->target = target.value();
    s->horizon = s->target->futureDays();
    if (s->horizon == 0) s->warnings.push_back("the target does not look into the future (no negative Ref): IC then measures a contemporaneous relation");
    auto tv = s->evaluator->evaluate(s->target);
    if (!tv.ok()) {
        exitCode = reportFormulaError(o.target, tv.error());
        return nullptr;
    }
    s->targetValues = tv.value();

    std::vector<SplitRange> ranges;
    for (auto [name, text] : {std::pair<const char*, const std::string*>{"train", &o.train}, {"valid", &o.valid}, {"test", &o.test}}) {
        if (text->empty()) continue;
        auto r = parseSplitRange(name, *text);
        if (!r.ok()) {
            exitCode = reportError(r.error(), kExitConfig);
            return nullptr;
        }
        ranges.push_back(r.value());
    }
    if (ranges.empty()) {
        s->splits = defaultSplits(s->data->calendar, s->horizon);
    } else {
        auto splits = makeSplits(s->data->calendar, ranges, s->horizon, &s->warnings);
        if (!splits.ok()) {
            exitCode = reportError(splits.error(), kExitConfig);
            return nullptr;
        }
        s->splits = splits.value();
    }
    exitCode = kExitOk;
    return s;
}

nlohmann::json number(double v) {
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

nlohmann::json describeData(const Session& s) {
    const MarketData& d = *s.data;
    nlohmann::json j;
    j["source"] = d.source;
    j["universe"] = d.universe;
    j["instruments"] = d.instrumentCount();
    j["days"] = d.days();
    if (d.days() > 0) {
        j["first"] = d.calendar[0].toString();
        j["last"] = d.calendar[d.days() - 1].toString();
    }
    j["fields"] = d.fieldNames();
    nlohmann::json groups = nlohmann::json::array();
    for (const auto& g : d.groupings) groups.push_back({{"name", g.name}, {"groups", g.groupCount()}});
    j["groupings"] = groups;
    j["vwap_derived"] = d.vwapDerived;
    if (d.vwapDerived) j["vwap_formula"] = d.vwapFormula;
    nlohmann::json warnings = nlohmann::json::array();
    for (const auto& w : d.warnings) warnings.push_back({{"where", w.where}, {"message", w.message}, {"count", w.count}});
    j["load_warnings"] = warnings;
    j["load_seconds"] = s.loadSeconds;
    return j;
}

nlohmann::json describeSplits(const std::vector<Split>& splits) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& s : splits)
        a.push_back({{"name", s.name}, {"first", s.days() ? s.first.toString() : ""}, {"last", s.days() ? s.last.toString() : ""}, {"days", s.days()}});
    return a;
}

std::string fmt(double v, int decimals) {
    if (!std::isfinite(v)) return "-";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

} // namespace alphascope::cli

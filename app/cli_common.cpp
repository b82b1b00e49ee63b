#include "app/cli_common.h"

#include "core/expr/parser.h"
#include "core/graph/hierarchy_fit.h"
#ifdef ALPHASCOPE_HAVE_TORCH
#include "core/nn/graph_pooling.h"
#endif

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

namespace alphascope::cli {

void addDataOptions(CLI::App& app, DataOptions& o) {
    const auto nonEmpty = CLI::Validator(
        [](std::string& v) { return v.empty() ? std::string("must not be empty") : std::string(); }, "PATH");
    app.add_option("--data", o.data, "Long CSV (.csv or .csv.xz) or Qlib binary folder; default: the bundled sample")
        ->check(nonEmpty);
    app.add_option(
           "--sectors", o.sectors,
           "Sector/industry CSV (ticker, sector[, industry]); default: the sample's sectors when --data is not given")
        ->check(nonEmpty);
    app.add_option("--universe", o.universe, "Qlib universe name (instruments/<name>.txt)")->capture_default_str();
    app.add_flag("--mask-zero-volume", o.maskZeroVolume, "Treat zero-volume rows as missing (suspended)");
    app.add_option("--target", o.target, "Target formula (may look into the future)")->capture_default_str();
    app.add_option("--train", o.train, "Train range START:END (dates inclusive), e.g. 2015-01-01:2017-12-31");
    app.add_option("--valid", o.valid, "Validation range START:END");
    app.add_option("--test", o.test,
                   "Test range START:END; with no range given, 70/15/15 % splits of the data are used");
    app.add_flag("--json", o.json, "Write JSON to stdout instead of tables");
    app.add_option("--hierarchy", o.hierarchy,
                   "Fit the market hierarchy and add its levels as groupings h1, h2, ... (finest first) for "
                   "group operators, e.g. ward:10,3 (linkage single, average, complete or ward, or mincut / "
                   "diffpool for graph pooling; then the cluster counts, 0 = chosen by silhouette for a "
                   "linkage); refitted every --hierarchy-step days on the last "
                   "--hierarchy-window days of returns, never on later data");
    app.add_option("--hierarchy-window", o.hierarchyWindow, "Days of returns per hierarchy fit")
        ->capture_default_str()
        ->check(CLI::Range(3, 100000));
    app.add_option("--hierarchy-step", o.hierarchyStep, "Days between hierarchy fits")
        ->capture_default_str()
        ->check(CLI::Range(1, 100000));
}

int reportError(const Error& e, int exitCode) {
    std::cerr << "alphascope-cli: error: " << e.toString() << "\n";
    return exitCode;
}

Result<std::string> readConfigFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) return makeError(ErrorCode::Io, "cannot read the config file", path);
    return text.str();
}

int reportFormulaError(const std::string& formula, const Error& e) {
    std::cerr << "alphascope-cli: error in formula: " << e.toString() << "\n";
    if (e.column > 0) {
        std::cerr << "  " << formula << "\n  " << std::string(static_cast<std::size_t>(e.column - 1), ' ') << "^\n";
    }
    return kExitFormula;
}

std::shared_ptr<const Session> openSession(const DataOptions& o, int& exitCode) {
    SessionSpec spec;
    if (o.data.empty()) {
        spec.dataset = bundledSampleSpec();
        if (spec.dataset.path.empty()) {
            exitCode = reportError(makeError(ErrorCode::NotFound, "the bundled sample data was not found; pass --data"),
                                   kExitData);
            return nullptr;
        }
        if (!o.sectors.empty()) spec.dataset.groupsPath = o.sectors;
    } else {
        spec.dataset.path = o.data;
        spec.dataset.groupsPath = o.sectors;
    }
    spec.dataset.universe = o.universe;
    spec.dataset.maskZeroVolume = o.maskZeroVolume;
    spec.target = o.target;
    for (auto [name, text] :
         {std::pair<const char*, const std::string*>{"train", &o.train}, {"valid", &o.valid}, {"test", &o.test}}) {
        if (text->empty()) continue;
        auto r = parseSplitRange(name, *text);
        if (!r.ok()) {
            exitCode = reportError(r.error(), kExitConfig);
            return nullptr;
        }
        spec.splits.push_back(r.value());
    }
    SessionStage stage = SessionStage::Data;
    Result<std::shared_ptr<const ResearchSession>> session = makeError(ErrorCode::Internal, "not opened");
    if (o.hierarchy.empty()) {
        session = openResearchSession(spec, &stage);
    } else {
        graph::HierarchyOptions ho;
        std::string bad;
        // "mincut:10,3" and "diffpool:10,3" learn the levels by graph pooling; the rest is a linkage.
        const std::string method = o.hierarchy.substr(0, o.hierarchy.find(':'));
        const bool pooling = method == "mincut" || method == "diffpool";
        const std::string levels = pooling ? "ward" + o.hierarchy.substr(method.size()) : o.hierarchy;
        if (!graph::parseHierarchySpec(levels, ho, bad)) {
            if (bad.rfind("unknown linkage", 0) == 0) bad += ", or mincut / diffpool for graph pooling";
            exitCode = reportError(makeError(ErrorCode::InvalidArgument, bad, "--hierarchy"), kExitConfig);
            return nullptr;
        }
        ho.window = o.hierarchyWindow;
        ho.step = o.hierarchyStep;
        auto data = loadDataset(spec.dataset);
        if (!data.ok()) {
            exitCode = reportError(data.error(), kExitData);
            return nullptr;
        }
        Result<graph::HierarchyFit> fit =
            makeError(ErrorCode::InvalidArgument, "this build has no LibTorch: use a linkage", "--hierarchy");
        if (!pooling) {
            fit = graph::fitHierarchy(*data.value(), ho);
        } else {
#ifdef ALPHASCOPE_HAVE_TORCH
            nn::PoolingOptions po;
            nn::parsePoolingMethod(method, po.method);
            fit = nn::fitPoolingHierarchy(*data.value(), ho, po);
#endif
        }
        if (!fit.ok()) {
            exitCode = reportError(fit.error(), fit.error().code == ErrorCode::NotFound ? kExitData : kExitConfig);
            return nullptr;
        }
        session = makeResearchSession(graph::withGroupings(*data.value(), fit->groupings), spec, &stage);
    }
    if (!session.ok()) {
        switch (stage) {
        case SessionStage::Data: exitCode = reportError(session.error(), kExitData); break;
        case SessionStage::Target:
            std::cerr << "alphascope-cli: the target formula is invalid\n";
            exitCode = reportFormulaError(o.target, session.error());
            break;
        case SessionStage::Splits: exitCode = reportError(session.error(), kExitConfig); break;
        }
        return nullptr;
    }
    exitCode = kExitOk;
    return session.value();
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
    for (const auto& w : d.warnings)
        warnings.push_back({{"where", w.where}, {"message", w.message}, {"count", w.count}});
    j["load_warnings"] = warnings;
    j["load_seconds"] = s.loadSeconds;
    return j;
}

nlohmann::json describeSplits(const std::vector<Split>& splits) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& s : splits)
        a.push_back({{"name", s.name},
                     {"first", s.days() ? s.first.toString() : ""},
                     {"last", s.days() ? s.last.toString() : ""},
                     {"days", s.days()}});
    return a;
}

std::string fmt(double v, int decimals) {
    if (!std::isfinite(v)) return "-";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

} // namespace alphascope::cli

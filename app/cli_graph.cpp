// alphascope-cli graph: the market as a hierarchical graph over time (ALGORITHMS.md §9): clusters
// per level refitted every few days on return correlation, their quality and stability, agreement
// with the sectors, the regime series, and the correlation graph and spanning tree of the last window.

#include "app/cli_commands.h"
#include "app/cli_common.h"

#include "core/graph/cluster_quality.h"
#include "core/graph/hierarchy_fit.h"
#include "core/graph/market_graph.h"
#ifdef ALPHASCOPE_HAVE_TORCH
#include "core/nn/graph_pooling.h"
#endif

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>

namespace alphascope::cli {

namespace {

struct GraphOptionsCli {
    DataOptions data;
    std::string method = "agglomerative";
    std::string linkage = "ward";
    std::vector<int> levels{10, 3};
    int window = 60, step = 20, minOverlap = 0;
    std::string correlation = "pearson";
    std::string edges = "corr";
    double threshold = 0.5;
    int k = 10;
    double temperature = 0.1;
    std::string assignmentsCsv, seriesCsv;
    bool edgesGiven = false;
    std::string chooseK = "silhouette";
    int gapReferences = 20;
    int epochs = 300, warmEpochs = 60, hidden = 32;
    double learningRate = 0.01;
    std::uint64_t seed = 1;
    std::string device = "cpu";
};

nlohmann::json levelJson(const graph::HierarchyFit& fit, int l) {
    using graph::LevelWindow;
    nlohmann::json windows = nlohmann::json::array();
    double clusters = 0;
    for (const auto& w : fit.windows) clusters += w.levels[static_cast<std::size_t>(l)].clusters;
    return {{"name", fit.groupings[static_cast<std::size_t>(l)].name},
            {"clusters_requested", fit.options.levels[static_cast<std::size_t>(l)]},
            {"clusters_mean", fit.windows.empty() ? 0.0 : clusters / fit.windows.size()},
            {"silhouette", number(fit.meanOver(l, &LevelWindow::silhouette))},
            {"intra_correlation", number(fit.meanOver(l, &LevelWindow::intra))},
            {"inter_correlation", number(fit.meanOver(l, &LevelWindow::inter))},
            {"ari_compared", number(fit.meanOver(l, &LevelWindow::ariCompared))},
            {"stability_ari", number(fit.meanOver(l, &LevelWindow::ariPrevious))},
            {"entropy", number(fit.meanOver(l, &LevelWindow::entropy))},
            {"largest_share", number(fit.meanOver(l, &LevelWindow::largestShare))}};
}

Result<void> writeAssignments(const std::string& path, const MarketData& d, const graph::HierarchyFit& fit) {
    std::ofstream out(path, std::ios::binary);
    if (!out) return makeError(ErrorCode::Io, "cannot write the assignments", path);
    out << "window_end,instrument";
    for (const auto& g : fit.groupings) out << ',' << g.name;
    out << '\n';
    for (const auto& w : fit.windows)
        for (int i = 0; i < d.instrumentCount(); ++i) {
            if (w.labels.front()[static_cast<std::size_t>(i)] < 0) continue;
            out << d.calendar[w.end].toString() << ',' << d.instruments[static_cast<std::size_t>(i)];
            for (const auto& labels : w.labels) out << ',' << labels[static_cast<std::size_t>(i)] + 1;
            out << '\n';
        }
    if (!out) return makeError(ErrorCode::Io, "cannot write the assignments", path);
    return {};
}

Result<void> writeSeries(const std::string& path, const MarketData& d, const graph::HierarchyFit& fit) {
    std::ofstream out(path, std::ios::binary);
    if (!out) return makeError(ErrorCode::Io, "cannot write the daily series", path);
    const int T = d.days();
    const std::vector<double> mean = fit.daily(T, &graph::WindowFit::meanCorrelation);
    std::vector<std::vector<double>> columns;
    out << "date,mean_correlation";
    using graph::LevelWindow;
    const std::pair<const char*, double LevelWindow::*> stats[] = {{"entropy", &LevelWindow::entropy},
                                                                   {"silhouette", &LevelWindow::silhouette},
                                                                   {"ari_compared", &LevelWindow::ariCompared},
                                                                   {"stability", &LevelWindow::ariPrevious}};
    for (std::size_t l = 0; l < fit.groupings.size(); ++l)
        for (const auto& [name, field] : stats) {
            out << ',' << fit.groupings[l].name << '_' << name;
            columns.push_back(fit.daily(T, static_cast<int>(l), field));
        }
    out << '\n';
    char buf[32];
    auto cell = [&](double v) {
        if (!std::isfinite(v)) return std::string();
        std::snprintf(buf, sizeof buf, "%.6g", v);
        return std::string(buf);
    };
    for (int t = 0; t < T; ++t) {
        if (!std::isfinite(mean[static_cast<std::size_t>(t)])) continue;
        out << d.calendar[t].toString() << ',' << cell(mean[static_cast<std::size_t>(t)]);
        for (const auto& c : columns) out << ',' << cell(c[static_cast<std::size_t>(t)]);
        out << '\n';
    }
    if (!out) return makeError(ErrorCode::Io, "cannot write the daily series", path);
    return {};
}

int run(const GraphOptionsCli& o) {
    graph::HierarchyOptions ho;
    if (!graph::parseLinkage(o.linkage, ho.linkage))
        return reportError(makeError(ErrorCode::InvalidArgument, "unknown linkage '" + o.linkage + "'", "--linkage"),
                           kExitConfig);
    graph::GraphOptions go;
    if (!graph::parseEdgeRule(o.edges, go.rule))
        return reportError(makeError(ErrorCode::InvalidArgument, "unknown edge rule '" + o.edges + "'", "--edges"),
                           kExitConfig);
    go.threshold = o.threshold;
    go.k = o.k;
    ho.levels = o.levels;
    ho.window = o.window;
    ho.step = o.step;
    ho.minOverlap = o.minOverlap;
    ho.temperature = o.temperature;
    ho.gapStatistic = o.chooseK == "gap";
    ho.seed = o.seed;
    ho.gapReferences = o.gapReferences;
    ho.method = o.correlation == "spearman" ? graph::CorrelationMethod::Spearman : graph::CorrelationMethod::Pearson;

    int code = kExitOk;
    auto session = openSession(o.data, code);
    if (!session) return code;
    const MarketData& d = *session->data;
    const Grouping* sector = d.grouping("sector");
    if ((go.rule == graph::EdgeRule::Sector || go.rule == graph::EdgeRule::Both) && !sector)
        return reportError(
            makeError(ErrorCode::NotFound, "sector edges need a sector grouping: pass --sectors", "--edges"),
            kExitData);
    Result<graph::HierarchyFit> fitted = makeError(ErrorCode::Internal, "not fitted");
    if (o.method == "agglomerative") {
        fitted = graph::fitHierarchy(d, ho);
    } else {
#ifdef ALPHASCOPE_HAVE_TORCH
        nn::PoolingOptions po;
        nn::parsePoolingMethod(o.method, po.method);
        po.epochs = o.epochs;
        po.warmEpochs = o.warmEpochs;
        po.hidden = o.hidden;
        po.learningRate = o.learningRate;
        po.seed = o.seed;
        po.cuda = o.device == "cuda";
        if (o.edgesGiven)
            po.graph = go;
        else
            po.graph.k = o.k;
        fitted = nn::fitPoolingHierarchy(d, ho, po);
#else
        return reportError(makeError(ErrorCode::InvalidArgument,
                                     "this build has no LibTorch: only agglomerative clustering", "--method"),
                           kExitConfig);
#endif
    }
    if (!fitted.ok())
        return reportError(fitted.error(), fitted.error().code == ErrorCode::NotFound ? kExitData : kExitConfig);
    const graph::HierarchyFit& fit = fitted.value();

    // The graph and the spanning tree of the last window.
    const graph::WindowFit& last = fit.windows.back();
    const Panel returns = graph::logReturns(*d.field("close"));
    const Eigen::MatrixXd rho =
        graph::windowCorrelation(returns, last.end, fit.options.window, fit.options.minOverlap, ho.method);
    std::vector<char> active(static_cast<std::size_t>(d.instrumentCount()));
    for (int i = 0; i < d.instrumentCount(); ++i) active[static_cast<std::size_t>(i)] = std::isfinite(rho(i, i));
    const graph::MarketGraph g = graph::buildGraph(rho, go, sector ? sector->ids : std::vector<int>{}, active);
    const std::vector<graph::Edge> tree = graph::minimumSpanningTree(graph::correlationDistance(rho), active);
    double treeLength = 0;
    for (const auto& e : tree) treeLength += e.weight;
    int activeNodes = 0;
    for (char a : active) activeNodes += a;
    const double meanDegree = activeNodes > 0 ? 2.0 * g.edges.size() / activeNodes : 0.0;

    if (!o.assignmentsCsv.empty())
        if (auto r = writeAssignments(o.assignmentsCsv, d, fit); !r.ok()) return reportError(r.error(), kExitData);
    if (!o.seriesCsv.empty())
        if (auto r = writeSeries(o.seriesCsv, d, fit); !r.ok()) return reportError(r.error(), kExitData);

    double minMean = 1, maxMean = -1, sumMean = 0, sumCoph = 0;
    int nMean = 0, nCoph = 0;
    for (const auto& w : fit.windows) {
        if (std::isfinite(w.meanCorrelation)) {
            minMean = std::min(minMean, w.meanCorrelation);
            maxMean = std::max(maxMean, w.meanCorrelation);
            sumMean += w.meanCorrelation;
            ++nMean;
        }
        if (std::isfinite(w.cophenetic)) {
            sumCoph += w.cophenetic;
            ++nCoph;
        }
    }
    const double cophenetic = nCoph ? sumCoph / nCoph : std::nan("");

    if (o.data.json) {
        nlohmann::json j;
        j["data"] = describeData(*session);
        j["method"] = o.method;
        j["linkage"] = o.method == "agglomerative" ? graph::linkageName(ho.linkage) : "";
        j["correlation"] = o.correlation;
        j["window"] = fit.options.window;
        j["step"] = fit.options.step;
        j["min_overlap"] = fit.options.minOverlap;
        j["compared_with"] = sector ? "sector" : "";
        j["fit_seconds"] = fit.seconds;
        j["cophenetic"] = number(cophenetic);
        nlohmann::json levels = nlohmann::json::array();
        for (int l = 0; l < static_cast<int>(fit.groupings.size()); ++l) levels.push_back(levelJson(fit, l));
        j["levels"] = levels;
        nlohmann::json windows = nlohmann::json::array();
        for (const auto& w : fit.windows) {
            nlohmann::json lw = nlohmann::json::array();
            for (const auto& s : w.levels)
                lw.push_back({{"clusters", s.clusters},
                              {"silhouette", number(s.silhouette)},
                              {"intra", number(s.intra)},
                              {"inter", number(s.inter)},
                              {"ari_compared", number(s.ariCompared)},
                              {"ari_previous", number(s.ariPrevious)},
                              {"entropy", number(s.entropy)},
                              {"largest_share", number(s.largestShare)}});
            windows.push_back({{"end", d.calendar[w.end].toString()},
                               {"active", w.active},
                               {"mean_correlation", number(w.meanCorrelation)},
                               {"cophenetic", number(w.cophenetic)},
                               {"levels", lw}});
        }
        j["windows"] = windows;
        j["graph"] = {{"window_end", d.calendar[last.end].toString()},
                      {"edges_rule", graph::edgeRuleName(go.rule)},
                      {"threshold", go.threshold},
                      {"k", go.k},
                      {"nodes", activeNodes},
                      {"edges", g.edges.size()},
                      {"density", g.density()},
                      {"mean_degree", meanDegree},
                      {"mst_edges", tree.size()},
                      {"mst_length", treeLength}};
        std::cout << j.dump(2) << "\n";
        return kExitOk;
    }
    const std::string how = o.method == "agglomerative" ? std::string(graph::linkageName(ho.linkage)) + " linkage"
                                                        : (o.method == "mincut" ? "MinCutPool" : "DiffPool");
    std::printf("Market hierarchy: %s on %s correlation of daily log returns, %d-day windows every %d days "
                "(pairs need %d common days), %zu windows, fitted in %.2f s\n",
                how.c_str(), o.correlation.c_str(), fit.options.window, fit.options.step, fit.options.minOverlap,
                fit.windows.size(), fit.seconds);
    std::printf("Mean pairwise correlation per window: %.3f (min %.3f, max %.3f); cophenetic correlation %.3f\n",
                nMean ? sumMean / nMean : std::nan(""), minMean, maxMean, cophenetic);
    std::printf("%-6s %9s %11s %7s %7s %11s %11s %8s %8s\n", "level", "clusters", "silhouette", "intra", "inter",
                sector ? "ARI sector" : "ARI -", "stability", "entropy", "largest");
    for (int l = 0; l < static_cast<int>(fit.groupings.size()); ++l) {
        using graph::LevelWindow;
        const nlohmann::json lj = levelJson(fit, l);
        std::printf(
            "%-6s %9.1f %11s %7s %7s %11s %11s %8s %8s\n", fit.groupings[static_cast<std::size_t>(l)].name.c_str(),
            lj["clusters_mean"].get<double>(), fmt(fit.meanOver(l, &LevelWindow::silhouette), 3).c_str(),
            fmt(fit.meanOver(l, &LevelWindow::intra), 3).c_str(), fmt(fit.meanOver(l, &LevelWindow::inter), 3).c_str(),
            fmt(fit.meanOver(l, &LevelWindow::ariCompared), 3).c_str(),
            fmt(fit.meanOver(l, &LevelWindow::ariPrevious), 3).c_str(),
            fmt(fit.meanOver(l, &LevelWindow::entropy), 3).c_str(),
            fmt(fit.meanOver(l, &LevelWindow::largestShare), 2).c_str());
    }
    std::printf("Graph on %s (%s edges): %d nodes, %zu edges, density %.4f, mean degree %.1f; spanning tree %zu edges, "
                "length %.2f\n",
                d.calendar[last.end].toString().c_str(), graph::edgeRuleName(go.rule), activeNodes, g.edges.size(),
                g.density(), meanDegree, tree.size(), treeLength);
    if (o.method == "agglomerative") {
        std::printf("Use the levels in formulas with --hierarchy %s:", graph::linkageName(ho.linkage));
        for (std::size_t l = 0; l < o.levels.size(); ++l) std::printf("%s%d", l ? "," : "", o.levels[l]);
        std::printf(" --hierarchy-window %d --hierarchy-step %d on eval, mine or backtest (Pearson, silhouette for a "
                    "level of 0), "
                    "e.g. GroupDemean(Div($close,Ref($close,20)),h1)\n",
                    o.window, o.step);
    }
    return kExitOk;
}

} // namespace

Runner addGraphCommand(CLI::App& root) {
    auto o = std::make_shared<GraphOptionsCli>();
    CLI::App* cmd = root.add_subcommand(
        "graph", "The market as a hierarchical graph: clusters per level refitted over time on return "
                 "correlation, their quality, stability and agreement with sectors, the regime "
                 "series, the correlation graph and its spanning tree");
    addDataOptions(*cmd, o->data);
    cmd->add_option("--method", o->method,
                    "agglomerative (on the correlation distance), mincut (MinCutPool) or diffpool (DiffPool): "
                    "the pooling methods train a GCN per window on the correlation graph (knn unless --edges is given)")
        ->check(CLI::IsMember({"agglomerative", "mincut", "diffpool"}))
        ->capture_default_str();
    cmd->add_option("--linkage", o->linkage, "single, average, complete or ward (agglomerative)")
        ->capture_default_str();
    cmd->add_option("--epochs", o->epochs, "Pooling: training steps on the first window")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    cmd->add_option("--warm-epochs", o->warmEpochs, "Pooling: steps on each later window, from the previous weights")
        ->check(CLI::Range(0, 100000))
        ->capture_default_str();
    cmd->add_option("--hidden", o->hidden, "Pooling: width of the GCN layers")
        ->check(CLI::Range(1, 4096))
        ->capture_default_str();
    cmd->add_option("--learning-rate", o->learningRate, "Pooling: Adam's learning rate")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    cmd->add_option("--seed", o->seed, "Pooling: seed of the initial weights")->capture_default_str();
    cmd->add_option("--device", o->device, "Pooling: cpu or cuda (the GPU when LibTorch has one, else the CPU)")
        ->check(CLI::IsMember({"cpu", "cuda"}))
        ->capture_default_str();
    cmd->add_option("--levels", o->levels, "Clusters per level, finest first; 0 = chosen by the data (--choose-k)")
        ->delimiter(',')
        ->capture_default_str();
    cmd->add_option("--choose-k", o->chooseK,
                    "How a level of 0 is chosen (agglomerative): silhouette, or gap (the gap statistic against "
                    "windows shuffled in time)")
        ->check(CLI::IsMember({"silhouette", "gap"}))
        ->capture_default_str();
    cmd->add_option("--gap-references", o->gapReferences, "Shuffled windows per fit for the gap statistic")
        ->check(CLI::Range(2, 1000))
        ->capture_default_str();
    cmd->add_option("--window", o->window, "Days of returns per fit")
        ->check(CLI::Range(3, 100000))
        ->capture_default_str();
    cmd->add_option("--step", o->step, "Days between fits")->check(CLI::Range(1, 100000))->capture_default_str();
    cmd->add_option("--min-overlap", o->minOverlap, "Common days a pair needs; 0 = two thirds of the window")
        ->capture_default_str();
    cmd->add_option("--correlation", o->correlation, "pearson or spearman")
        ->check(CLI::IsMember({"pearson", "spearman"}))
        ->capture_default_str();
    cmd->add_option("--edges", o->edges,
                    "Graph edges: corr (|rho| > threshold), knn, sector, or both (corr and sector)")
        ->capture_default_str();
    cmd->add_option("--threshold", o->threshold, "|rho| above which two instruments are linked")
        ->check(CLI::Range(0.0, 1.0))
        ->capture_default_str();
    cmd->add_option("--k", o->k, "Neighbours per instrument for knn edges")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    cmd->add_option("--temperature", o->temperature, "Temperature of the soft assignment behind the entropy")
        ->capture_default_str();
    cmd->add_option("--assignments-csv", o->assignmentsCsv,
                    "Write window_end,instrument,h1,h2,...: each fit's clusters (1-based), in effect from that day to "
                    "the next fit");
    cmd->add_option("--series-csv", o->seriesCsv,
                    "Write the daily series: mean correlation and, per level, the assignment entropy (regime), "
                    "silhouette, ARI with the sectors and with the previous fit, each held from one fit to the next");
    cmd->footer(
        "Exit codes: 0 ok, 2 usage, 3 data (no close prices, no sectors for sector edges), 5 a bad option value.");
    return [o, cmd]() -> int {
        if (!cmd->parsed()) return -1;
        o->edgesGiven = cmd->count("--edges") > 0;
        return run(*o);
    };
}

} // namespace alphascope::cli

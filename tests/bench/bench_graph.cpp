// Micro-benchmarks of the market graph: one window's return correlation (Pearson, Spearman) at
// N = 537 (the US data) and N = 750 (the synthetic market), the agglomerative clustering of it,
// the silhouette of a cut, a whole hierarchy fit over the synthetic calendar, and what the graph view
// does per window (the window's view, the Graphviz layout of its spanning tree or threshold graph).

#include "core/data/synthetic.h"
#include "core/graph/cluster_quality.h"
#include "core/graph/graph_layout.h"
#include "core/graph/hierarchy.h"
#include "core/graph/hierarchy_fit.h"
#include "core/graph/return_correlation.h"
#include "core/graph/window_view.h"

#include <benchmark/benchmark.h>

#include <map>

using namespace alphascope;
using namespace alphascope::graph;

namespace {

const MarketData& synthetic(int instruments) {
    static std::map<int, MarketData> markets;
    auto it = markets.find(instruments);
    if (it == markets.end()) {
        SyntheticSpec spec;
        spec.days = 1259;
        spec.instruments = instruments;
        it = markets.emplace(instruments, makeSyntheticMarket(spec)).first;
    }
    return it->second;
}

void correlation(benchmark::State& state, CorrelationMethod method) {
    const Panel returns = logReturns(*synthetic(static_cast<int>(state.range(0))).field("close"));
    for (auto _ : state) benchmark::DoNotOptimize(windowCorrelation(returns, 600, 60, 40, method).data());
    state.SetLabel("N = " + std::to_string(state.range(0)) + ", 60 days");
}

void clustering(benchmark::State& state, Linkage linkage) {
    const Panel returns = logReturns(*synthetic(static_cast<int>(state.range(0))).field("close"));
    const Eigen::MatrixXd dist = correlationDistance(windowCorrelation(returns, 600, 60, 40));
    for (auto _ : state) benchmark::DoNotOptimize(agglomerate(dist, linkage).merges.data());
    state.SetLabel("N = " + std::to_string(state.range(0)));
}

void silhouetteOfCut(benchmark::State& state) {
    const Panel returns = logReturns(*synthetic(static_cast<int>(state.range(0))).field("close"));
    const Eigen::MatrixXd dist = correlationDistance(windowCorrelation(returns, 600, 60, 40));
    const std::vector<int> labels = cutTree(agglomerate(dist, Linkage::Ward), 11);
    for (auto _ : state) benchmark::DoNotOptimize(silhouette(dist, labels));
}

void wholeFit(benchmark::State& state) {
    const MarketData& d = synthetic(static_cast<int>(state.range(0)));
    HierarchyOptions o;
    o.levels = {11, 4};
    for (auto _ : state) benchmark::DoNotOptimize(fitHierarchy(d, o).ok());
    state.SetLabel("1,259 days, 61 windows, Ward, levels 11 and 4");
}

const HierarchyFit& fitOf(int instruments) {
    static std::map<int, HierarchyFit> fits;
    auto it = fits.find(instruments);
    if (it == fits.end()) {
        HierarchyOptions o;
        o.levels = {11, 4};
        it = fits.emplace(instruments, fitHierarchy(synthetic(instruments), o).value()).first;
    }
    return it->second;
}

void windowViewOf(benchmark::State& state) {
    const MarketData& d = synthetic(static_cast<int>(state.range(0)));
    const HierarchyFit& fit = fitOf(static_cast<int>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(windowView(d, fit, 30).ok());
    state.SetLabel("N = " + std::to_string(state.range(0)) + ": correlation, dendrogram, labels");
}

void layout(benchmark::State& state, LayoutEngine engine, bool tree) {
    const MarketData& d = synthetic(static_cast<int>(state.range(0)));
    const WindowView view = windowView(d, fitOf(static_cast<int>(state.range(0))), 30).value();
    GraphOptions g;
    g.rule = EdgeRule::Knn;
    g.k = 5;
    const std::vector<Edge> edges = viewEdges(view, g, tree);
    for (auto _ : state)
        benchmark::DoNotOptimize(layoutGraph(static_cast<int>(view.active.size()), edges, {engine, true}).ok());
    state.SetLabel("N = " + std::to_string(state.range(0)) + ", " + std::to_string(edges.size()) + " edges");
}

} // namespace

BENCHMARK_CAPTURE(correlation, pearson, CorrelationMethod::Pearson)->Arg(537)->Arg(750)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(correlation, spearman, CorrelationMethod::Spearman)
    ->Arg(537)
    ->Arg(750)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(clustering, ward, Linkage::Ward)->Arg(537)->Arg(750)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(clustering, average, Linkage::Average)->Arg(537)->Arg(750)->Unit(benchmark::kMillisecond);
BENCHMARK(silhouetteOfCut)->Arg(537)->Arg(750)->Unit(benchmark::kMillisecond);
BENCHMARK(wholeFit)->Arg(537)->Arg(750)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(windowViewOf)->Arg(537)->Arg(750)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(layout, sfdp_tree, LayoutEngine::Sfdp, true)->Arg(537)->Arg(750)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(layout, sfdp_knn5, LayoutEngine::Sfdp, false)->Arg(537)->Arg(750)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(layout, neato_tree, LayoutEngine::Neato, true)->Arg(537)->Unit(benchmark::kMillisecond);

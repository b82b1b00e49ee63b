// Micro-benchmarks of the market graph: one window's return correlation (Pearson, Spearman) at
// N = 537 (the US data) and N = 750 (the synthetic market), the agglomerative clustering of it,
// the silhouette of a cut, and a whole hierarchy fit over the synthetic calendar.

#include "core/data/synthetic.h"
#include "core/graph/cluster_quality.h"
#include "core/graph/hierarchy.h"
#include "core/graph/hierarchy_fit.h"
#include "core/graph/return_correlation.h"

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

} // namespace

BENCHMARK_CAPTURE(correlation, pearson, CorrelationMethod::Pearson)->Arg(537)->Arg(750)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(correlation, spearman, CorrelationMethod::Spearman)->Arg(537)->Arg(750)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(clustering, ward, Linkage::Ward)->Arg(537)->Arg(750)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(clustering, average, Linkage::Average)->Arg(537)->Arg(750)->Unit(benchmark::kMillisecond);
BENCHMARK(silhouetteOfCut)->Arg(537)->Arg(750)->Unit(benchmark::kMillisecond);
BENCHMARK(wholeFit)->Arg(537)->Arg(750)->Unit(benchmark::kMillisecond)->Iterations(3);

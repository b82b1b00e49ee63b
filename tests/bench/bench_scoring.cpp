// Micro-benchmarks of the elementwise, cross-sectional and group kernels and of what a search
// spends per formula besides the kernels: scoring (packed z-scores + train IC), one mutual
// correlation, and the daily IC / Rank IC of the analysis. On a synthetic 750 x 2500 market (the
// `bench` command's synthetic panel); items = cells of one panel.

#include "core/data/synthetic.h"
#include "core/eval/cross_section_kernels.h"
#include "core/eval/elementwise_kernels.h"
#include "core/eval/evaluator.h"
#include "core/eval/rolling_kernels.h"
#include "core/expr/parser.h"
#include "core/metrics/correlation.h"
#include "core/pool/factor_scorer.h"

#include <benchmark/benchmark.h>

using namespace alphascope;

namespace {

struct Market {
    std::shared_ptr<const MarketData> data;
    std::shared_ptr<Evaluator> evaluator;
    PanelPtr target;
    DayRange train;
};

const Market& market() {
    static const Market m = [] {
        SyntheticSpec spec;
        spec.days = 2500;
        spec.instruments = 750;
        Market out;
        out.data = std::make_shared<const MarketData>(makeSyntheticMarket(spec));
        EvaluatorOptions o;
        o.cacheBytes = 0; // the kernels, not the cache
        out.evaluator = std::make_shared<Evaluator>(out.data, o);
        out.target = out.evaluator->evaluate("Ref($close, -20) / $close - 1", true).value();
        out.train = DayRange{60, 1750};
        return out;
    }();
    return m;
}

std::int64_t cells() {
    return static_cast<std::int64_t>(market().data->days()) * market().data->instrumentCount();
}

ExprPtr parsed(const char* text) {
    return parseFormula(text, parseOptionsFor(*market().data, false)).value();
}

void elementwiseBinary(benchmark::State& state, OpId op) {
    const Panel& x = *market().data->field("close");
    const Panel& y = *market().data->field("open");
    Panel out(x.days(), x.instruments());
    for (auto _ : state) {
        kernels::binary(op, x, y, out);
        benchmark::DoNotOptimize(out.data());
    }
    state.SetItemsProcessed(state.iterations() * cells());
}

void elementwiseScalar(benchmark::State& state, OpId op, double c) {
    const Panel& x = *market().data->field("close");
    Panel out(x.days(), x.instruments());
    for (auto _ : state) {
        kernels::binaryScalar(op, x, c, true, out);
        benchmark::DoNotOptimize(out.data());
    }
    state.SetItemsProcessed(state.iterations() * cells());
}

void elementwiseUnary(benchmark::State& state, OpId op) {
    const Panel& x = *market().data->field("close");
    Panel out(x.days(), x.instruments());
    for (auto _ : state) {
        kernels::unary(op, x, out);
        benchmark::DoNotOptimize(out.data());
    }
    state.SetItemsProcessed(state.iterations() * cells());
}

void crossSection(benchmark::State& state, OpId op) {
    const Panel& x = *market().data->field("close");
    Panel out(x.days(), x.instruments());
    for (auto _ : state) {
        kernels::crossSectional(op, x, out);
        benchmark::DoNotOptimize(out.data());
    }
    state.SetItemsProcessed(state.iterations() * cells());
}

void groupOp(benchmark::State& state, OpId op) {
    const Panel& x = *market().data->field("close");
    const Grouping* g = market().data->grouping("sector");
    if (!g) {
        state.SkipWithError("the synthetic market has no sector grouping");
        return;
    }
    Panel out(x.days(), x.instruments());
    for (auto _ : state) {
        kernels::group(op, x, g->ids, out);
        benchmark::DoNotOptimize(out.data());
    }
    state.SetItemsProcessed(state.iterations() * cells());
}

/// One rolling node, as a formula through the evaluator (no cache: a fresh output panel, and the
/// universe mask where the market has one) and as the bare kernel into a panel that is reused: the
/// difference is what a formula costs around its kernel.
void formulaOfOneNode(benchmark::State& state, const char* text) {
    const ExprPtr e = parsed(text);
    for (auto _ : state) {
        PanelPtr p = market().evaluator->evaluate(e).value();
        benchmark::DoNotOptimize(p->data());
    }
    state.SetItemsProcessed(state.iterations() * cells());
}

void kernelOfOneNode(benchmark::State& state, OpId op) {
    const Panel& x = *market().data->field("close");
    Panel out(x.days(), x.instruments());
    for (auto _ : state) {
        kernels::rolling(op, x, 20, out);
        benchmark::DoNotOptimize(out.data());
    }
    state.SetItemsProcessed(state.iterations() * cells());
}

/// Div(Sub($close, $open), Sub($high, $low)): through the evaluator (one fused chain, one pass over
/// the panels; no cache) and as three unfused kernels into reused panels.
void elementwiseChain(benchmark::State& state, bool fused) {
    const MarketData& d = *market().data;
    const ExprPtr e = parsed("Div(Sub($close, $open), Sub($high, $low))");
    Panel a(d.days(), d.instrumentCount()), b(d.days(), d.instrumentCount()), out(d.days(), d.instrumentCount());
    for (auto _ : state) {
        if (fused) {
            PanelPtr p = market().evaluator->evaluate(e).value();
            benchmark::DoNotOptimize(p->data());
        } else {
            kernels::binary(OpId::Sub, *d.field("close"), *d.field("open"), a);
            kernels::binary(OpId::Sub, *d.field("high"), *d.field("low"), b);
            kernels::binary(OpId::Div, a, b, out);
            benchmark::DoNotOptimize(out.data());
        }
    }
    state.SetItemsProcessed(state.iterations() * cells());
}

/// A search's scoring of one formula: its evaluation (no cache), packed z-scores and train IC.
void scoreFormula(benchmark::State& state) {
    const Market& m = market();
    const ExprPtr e = parsed("Div(Sub($close, $open), Sub($high, $low))");
    for (auto _ : state) {
        state.PauseTiming();
        FactorScorer s(m.evaluator, m.target, m.train); // fresh: no memory of the formula (not timed)
        state.ResumeTiming();
        auto f = s.score(e);
        benchmark::DoNotOptimize(f);
    }
    state.SetItemsProcessed(state.iterations() * cells());
}

void mutualCorrelationOfScored(benchmark::State& state) {
    const Market& m = market();
    FactorScorer s(m.evaluator, m.target, m.train);
    const ScoredFactor a = s.score(parsed("Div(Sub($close, $open), Sub($high, $low))")).value();
    const ScoredFactor b = s.score(parsed("Mean($volume, 20)")).value();
    for (auto _ : state) benchmark::DoNotOptimize(s.mutual(a, b));
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(s.layout().cells()));
}

/// A candidate against a full linear pool (20 members): one mutual() per member, or one mutualRow().
struct PoolOfTwenty {
    std::vector<ScoredFactor> members;
    std::vector<const TrainSlice*> slices;
    ScoredFactor candidate;
};

const PoolOfTwenty& poolOfTwenty(FactorScorer& s) {
    static PoolOfTwenty* p = [&] {
        auto* q = new PoolOfTwenty;
        const char* fields[] = {"$close", "$open", "$high", "$low", "$volume"};
        for (int w : {5, 10, 20, 40})
            for (const char* f : fields)
                q->members.push_back(
                    s.score(parsed(("Mean(" + std::string(f) + ", " + std::to_string(w) + ")").c_str())).value());
        for (const auto& m : q->members) q->slices.push_back(m.trainZ.get());
        q->candidate = s.score(parsed("Div(Sub($close, $open), Sub($high, $low))")).value();
        return q;
    }();
    return *p;
}

void mutualWithTwentyPairwise(benchmark::State& state) {
    const Market& m = market();
    FactorScorer s(m.evaluator, m.target, m.train);
    const PoolOfTwenty& p = poolOfTwenty(s);
    for (auto _ : state)
        for (const auto& member : p.members) benchmark::DoNotOptimize(s.mutual(p.candidate, member));
    state.SetItemsProcessed(state.iterations() * 20 * static_cast<std::int64_t>(s.layout().cells()));
}

void mutualWithTwentyRow(benchmark::State& state) {
    const Market& m = market();
    FactorScorer s(m.evaluator, m.target, m.train);
    const PoolOfTwenty& p = poolOfTwenty(s);
    std::vector<double> row(p.slices.size());
    for (auto _ : state) {
        s.mutualRow(p.candidate, p.slices, row.data());
        benchmark::DoNotOptimize(row.data());
    }
    state.SetItemsProcessed(state.iterations() * 20 * static_cast<std::int64_t>(s.layout().cells()));
}

/// A search's batch of 16 candidates against the same 20 members in one call (AlphaPool::prepareOffers).
void mutualMatrixSixteenByTwenty(benchmark::State& state) {
    const Market& m = market();
    FactorScorer s(m.evaluator, m.target, m.train);
    const PoolOfTwenty& p = poolOfTwenty(s);
    static const std::vector<ScoredFactor> candidates = [&] {
        std::vector<ScoredFactor> c;
        const char* fields[] = {"$close", "$open", "$high", "$low"};
        for (int w : {3, 7, 15, 30})
            for (const char* f : fields)
                c.push_back(
                    s.score(parsed(("Std(" + std::string(f) + ", " + std::to_string(w) + ")").c_str())).value());
        return c;
    }();
    std::vector<const TrainSlice*> rows;
    for (const auto& c : candidates) rows.push_back(c.trainZ.get());
    std::vector<double> out(rows.size() * p.slices.size());
    for (auto _ : state) {
        s.mutualMatrix(rows, p.slices, out.data());
        benchmark::DoNotOptimize(out.data());
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(out.size() * s.layout().cells()));
}

void dailyIcAndRankIc(benchmark::State& state) {
    const Market& m = market();
    const PanelPtr f = m.evaluator->evaluate(parsed("Mean($close, 20)")).value();
    const DayRange all{0, m.data->days()};
    for (auto _ : state) {
        benchmark::DoNotOptimize(dailyIc(*f, *m.target, all));
        benchmark::DoNotOptimize(dailyRankIc(*f, *m.target, all));
    }
    state.SetItemsProcessed(state.iterations() * cells());
}

/// The same against the target prepared once (what the lab, the reports and the searches use).
void dailyIcAndRankIcPrepared(benchmark::State& state) {
    const Market& m = market();
    const PanelPtr f = m.evaluator->evaluate(parsed("Mean($close, 20)")).value();
    const auto prepared = prepareTarget(m.target);
    const DayRange all{0, m.data->days()};
    for (auto _ : state) {
        benchmark::DoNotOptimize(dailyIc(*f, *prepared, all));
        benchmark::DoNotOptimize(dailyRankIc(*f, *prepared, all));
    }
    state.SetItemsProcessed(state.iterations() * cells());
}

} // namespace

BENCHMARK_CAPTURE(elementwiseBinary, Add, OpId::Add)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(elementwiseBinary, Div, OpId::Div)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(elementwiseBinary, Greater, OpId::Greater)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(elementwiseScalar, Mul_c, OpId::Mul, 0.01)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(elementwiseScalar, Less_2, OpId::Less, 2.0)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(elementwiseScalar, Div_30, OpId::Div, 30.0)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(elementwiseScalar, Div_0_01, OpId::Div, 0.01)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(elementwiseScalar, Pow_2, OpId::Pow, 2.0)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(elementwiseScalar, Pow_0_5, OpId::Pow, 0.5)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(elementwiseScalar, Pow_300_5, OpId::Pow, 300.5)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(elementwiseScalar, Pow_1_7, OpId::Pow, 1.7)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(elementwiseUnary, Abs, OpId::Abs)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(elementwiseUnary, Log, OpId::Log)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(crossSection, CSRank, OpId::CSRank)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(crossSection, CSZScore, OpId::CSZScore)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(crossSection, CSDemean, OpId::CSDemean)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(groupOp, GroupRank, OpId::GroupRank)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(groupOp, GroupZScore, OpId::GroupZScore)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(groupOp, GroupDemean, OpId::GroupDemean)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(formulaOfOneNode, Mean, "Mean($close,20)")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(kernelOfOneNode, Mean, OpId::Mean)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(formulaOfOneNode, EMA, "EMA($close,20)")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(kernelOfOneNode, EMA, OpId::EMA)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(elementwiseChain, fused, true)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(elementwiseChain, unfused, false)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(scoreFormula)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(mutualCorrelationOfScored)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(mutualWithTwentyPairwise)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(mutualWithTwentyRow)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(mutualMatrixSixteenByTwenty)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(dailyIcAndRankIc)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(dailyIcAndRankIcPrepared)->Unit(benchmark::kMillisecond)->UseRealTime();

// Micro-benchmarks of the rolling kernels on a 2500 x 750 random panel (day-major, ~10 years of
// days x a large universe), W = 20; W = 120 for the order statistics' Fenwick-tree path. Reported as cells
// per second (items = days x instruments).

#include "core/eval/rolling_kernels.h"

#include <benchmark/benchmark.h>

#include <random>

using namespace alphascope;

namespace {

constexpr int kDays = 2500;
constexpr int kInstruments = 750;
constexpr int kWindow = 20;

/// Random-walk prices with ~1% NaNs, built once.
const Panel& pricePanel(unsigned seed) {
    static const Panel panels[2] = {[] {
                                        Panel p(kDays, kInstruments);
                                        std::mt19937 rng(1u);
                                        std::normal_distribution<float> step(0.0f, 1.0f);
                                        std::uniform_real_distribution<float> u(0.0f, 1.0f);
                                        for (int i = 0; i < kInstruments; ++i) {
                                            float price = 100.0f + i;
                                            for (int t = 0; t < kDays; ++t) {
                                                price += step(rng);
                                                p.at(t, i) = u(rng) < 0.01f ? kNaN : price;
                                            }
                                        }
                                        return p;
                                    }(),
                                    [] {
                                        Panel p(kDays, kInstruments);
                                        std::mt19937 rng(2u);
                                        std::lognormal_distribution<float> volume(10.0f, 1.0f);
                                        for (float& v : p.storage()) v = volume(rng);
                                        return p;
                                    }()};
    return panels[seed % 2];
}

void runRolling(benchmark::State& state, OpId op, int window = kWindow) {
    const Panel& x = pricePanel(0);
    Panel out(kDays, kInstruments);
    for (auto _ : state) {
        kernels::rolling(op, x, window, out);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(x.size()));
}

void runPair(benchmark::State& state, OpId op) {
    const Panel& x = pricePanel(0);
    const Panel& y = pricePanel(1);
    Panel out(kDays, kInstruments);
    for (auto _ : state) {
        kernels::pairRolling(op, x, y, kWindow, out);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(x.size()));
}

} // namespace

BENCHMARK_CAPTURE(runRolling, Ref, OpId::Ref)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(runRolling, Mean, OpId::Mean)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(runRolling, Std, OpId::Std)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(runRolling, Skew, OpId::Skew)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(runRolling, EMA, OpId::EMA)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(runRolling, WMA, OpId::WMA)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(runRolling, Sum, OpId::Sum)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(runRolling, Max, OpId::Max)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(runRolling, ArgMax, OpId::ArgMax)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(runRolling, Rank, OpId::Rank)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(runRolling, Med, OpId::Med)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(runRolling, Mad, OpId::Mad)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(runRolling, Mad_W50, OpId::Mad, 50)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(runRolling, Product, OpId::Product)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(runRolling, Rank_W120, OpId::Rank, 120)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(runRolling, Med_W120, OpId::Med, 120)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(runRolling, Rank_W250, OpId::Rank, 250)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(runRolling, Med_W250, OpId::Med, 250)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(runRolling, Skew_W120, OpId::Skew, 120)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(runPair, Corr, OpId::Corr)->Unit(benchmark::kMillisecond)->UseRealTime();

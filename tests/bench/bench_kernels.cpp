// Micro-benchmarks of the rolling kernels on a 2500 x 750 random panel (day-major, ~10 years of
// days x a large universe) and, for a few, on the US sample's shape (1259 x 537), W = 20; W = 120 for
// the order statistics' Fenwick-tree path. Reported as cells per second (items = days x instruments).

#include "core/eval/rolling_kernels.h"

#include <benchmark/benchmark.h>

#include <random>

using namespace alphascope;

namespace {

constexpr int kDays = 2500;
constexpr int kInstruments = 750;
constexpr int kWindow = 20;

/// The US sample's shape (537 instruments x 1,259 days): how blocks of instruments split across
/// two threads depends on the width, so the kernels are also timed at the shape analysts load.
constexpr int kUsDays = 1259;
constexpr int kUsInstruments = 537;

/// Random-walk prices (seed 0) or lognormal volumes (seed 1), ~1% NaNs in the prices.
Panel makePanel(unsigned seed, int days, int instruments) {
    Panel p(days, instruments);
    if (seed == 0) {
        std::mt19937 rng(1u);
        std::normal_distribution<float> step(0.0f, 1.0f);
        std::uniform_real_distribution<float> u(0.0f, 1.0f);
        for (int i = 0; i < instruments; ++i) {
            float price = 100.0f + i;
            for (int t = 0; t < days; ++t) {
                price += step(rng);
                p.at(t, i) = u(rng) < 0.01f ? kNaN : price;
            }
        }
    } else {
        std::mt19937 rng(2u);
        std::lognormal_distribution<float> volume(10.0f, 1.0f);
        for (float& v : p.storage()) v = volume(rng);
    }
    return p;
}

/// The 2,500 x 750 panels, built once.
const Panel& pricePanel(unsigned seed) {
    static const Panel panels[2] = {makePanel(0, kDays, kInstruments), makePanel(1, kDays, kInstruments)};
    return panels[seed % 2];
}

/// The 1,259 x 537 panels, built once.
const Panel& usShapedPanel(unsigned seed) {
    static const Panel panels[2] = {makePanel(0, kUsDays, kUsInstruments), makePanel(1, kUsDays, kUsInstruments)};
    return panels[seed % 2];
}

void runRollingOn(benchmark::State& state, const Panel& x, OpId op, int window) {
    Panel out(x.days(), x.instruments());
    for (auto _ : state) {
        kernels::rolling(op, x, window, out);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(x.size()));
}

void runRolling(benchmark::State& state, OpId op, int window = kWindow) {
    runRollingOn(state, pricePanel(0), op, window);
}

void runRollingUs(benchmark::State& state, OpId op) {
    runRollingOn(state, usShapedPanel(0), op, kWindow);
}

void runPairOn(benchmark::State& state, const Panel& x, const Panel& y, OpId op) {
    Panel out(x.days(), x.instruments());
    for (auto _ : state) {
        kernels::pairRolling(op, x, y, kWindow, out);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(x.size()));
}

void runPair(benchmark::State& state, OpId op) {
    runPairOn(state, pricePanel(0), pricePanel(1), op);
}

void runPairUs(benchmark::State& state, OpId op) {
    runPairOn(state, usShapedPanel(0), usShapedPanel(1), op);
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
BENCHMARK_CAPTURE(runRollingUs, Mean, OpId::Mean)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(runRollingUs, Std, OpId::Std)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(runRollingUs, EMA, OpId::EMA)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(runRollingUs, Max, OpId::Max)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(runRollingUs, Rank, OpId::Rank)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(runRollingUs, Med, OpId::Med)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(runRollingUs, Mad, OpId::Mad)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(runRollingUs, Product, OpId::Product)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(runPairUs, Corr, OpId::Corr)->Unit(benchmark::kMillisecond)->UseRealTime();

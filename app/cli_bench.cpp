// alphascope-cli bench: evaluation and IC timings on real and synthetic panels, kernel throughput.

#include "app/cli_commands.h"
#include "app/cli_common.h"

#include "core/data/synthetic.h"
#include "core/eval/cross_section_kernels.h"
#include "core/eval/elementwise_kernels.h"
#include "core/eval/rolling_kernels.h"
#include "core/expr/parser.h"
#include "core/metrics/correlation.h"
#include "core/metrics/factor_report.h"

#include <tbb/info.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "core/util/compute_device.h"

namespace alphascope::cli {

namespace {

const char* const kDefaultFormulas[] = {
    "Div(Sub($close,$open),Sub($high,$low))",
    "Mean($close,20)",
    "Std(Div($close,Ref($close,1)),20)",
    "Rank($close,20)",
    "Corr($close,$volume,10)",
    "CSRank(Delta($close,20))",
    "Skew(Div($close,Ref($close,1)),20)",
    "Med($volume,20)",
    "EMA(Mad($close,10),20)",
    "GroupRank(Div($close,Ref($close,5)),sector)",
};

// Fields of a synthetic panel: six float32 panels; this cap keeps them near 1.2 GB.
constexpr double kMaxSyntheticCells = 50e6;

struct BenchOptions {
    DataOptions data;
    std::string formulasFile;
    int repeat = 7;
    bool synthetic = true;
    int synthDays = 2500;
    int synthInstruments = 750;
    std::string engine = "cpu"; ///< cpu (the kernels), torch-cpu or cuda (the LibTorch backend)
};

/// The LibTorch backend for `engine` on `data`; null for the CPU kernels or when it is unavailable.
std::shared_ptr<const EvalBackend> benchBackend(const std::string& engine, std::shared_ptr<const MarketData> data) {
    if (engine == "cpu") return nullptr;
    const EvalBackendFactory factory = evalBackendFactory();
    if (!factory) return nullptr;
    return factory(std::move(data), engine == "cuda");
}

using Clock = std::chrono::steady_clock;

template <class F>
double medianMs(int repeat, F&& f) {
    std::vector<double> ms;
    f(); // warm-up
    for (int k = 0; k < repeat; ++k) {
        const auto t0 = Clock::now();
        f();
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

struct FormulaTiming {
    std::string formula;
    double evalMs = 0;
    double icMs = 0;
    double analysisMs = 0; ///< the lab's metrics of a formula already evaluated (every split)
    std::string error;
};

struct KernelTiming {
    std::string family;
    std::string op;
    double ms = 0;
    double cellsPerSecond = 0;
};

struct DatasetTiming {
    std::string name;
    int days = 0, instruments = 0;
    double targetPrepareMs = 0; ///< the target's per-day ranks and order, once per session
    std::vector<FormulaTiming> formulas;
    std::vector<KernelTiming> kernels;
};

DatasetTiming benchDataset(const std::string& name, std::shared_ptr<const MarketData> data,
                           const std::vector<std::string>& formulas, const std::vector<Split>& splits, int repeat,
                           const std::string& engine) {
    DatasetTiming out;
    out.name = name;
    out.days = data->days();
    out.instruments = data->instrumentCount();
    EvaluatorOptions noCache;
    noCache.cacheBytes = 0; // measure the kernels, not the cache
    Evaluator ev(data, noCache);
    ev.setBackend(benchBackend(engine, data));
    auto target = ev.evaluate("Ref($close, -20) / $close - 1", true);
    std::shared_ptr<const PreparedTarget> prepared;
    if (target.ok()) {
        const auto t0 = Clock::now();
        prepared = prepareTarget(target.value());
        out.targetPrepareMs = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    }
    for (const auto& f : formulas) {
        FormulaTiming ft;
        ft.formula = f;
        auto e = parseFormula(f, parseOptionsFor(*data, false));
        if (!e.ok()) {
            ft.error = e.error().toString();
            out.formulas.push_back(ft);
            continue;
        }
        // One evaluation first: it reports what the data cannot serve (a grouping it lacks); once it
        // succeeds the timed ones do too (evaluation is deterministic and is not cancelled here).
        auto first = ev.evaluate(e.value());
        if (!first.ok()) {
            ft.error = first.error().toString();
            out.formulas.push_back(ft);
            continue;
        }
        PanelPtr values = first.value();
        ft.evalMs = medianMs(repeat, [&] { values = ev.evaluate(e.value()).value(); });
        if (target.ok()) {
            const DayRange all{0, data->days()};
            ft.icMs = medianMs(repeat, [&] {
                auto a = dailyIc(*values, *prepared, all);
                auto b = dailyRankIc(*values, *prepared, all);
                (void)a;
                (void)b;
            });
        }
        if (target.ok()) {
            ft.analysisMs = medianMs(repeat, [&] {
                auto rep = analyzeValues(ev, values, f, target.value(), splits);
                (void)rep;
            });
        }
        out.formulas.push_back(ft);
    }
    // Kernel throughput per family, on $close (and $volume for the pair kernels).
    if (!data->field("close") || !data->field("volume")) return out;
    const Panel& x = *data->field("close");
    const Panel& y = *data->field("volume");
    Panel outPanel(x.days(), x.instruments());
    const double cells = static_cast<double>(x.size());
    auto kernel = [&](const char* family, const char* op, auto&& f) {
        KernelTiming k;
        k.family = family;
        k.op = op;
        k.ms = medianMs(repeat, f);
        k.cellsPerSecond = cells / (k.ms / 1000.0);
        out.kernels.push_back(k);
    };
    kernel("elementwise", "Div", [&] { kernels::binary(OpId::Div, x, y, outPanel); });
    kernel("elementwise", "Log", [&] { kernels::unary(OpId::Log, x, outPanel); });
    kernel("elementwise", "Pow(x,1.7)", [&] { kernels::binaryScalar(OpId::Pow, x, 1.7, true, outPanel); });
    kernel("rolling sum", "Mean(20)", [&] { kernels::rolling(OpId::Mean, x, 20, outPanel); });
    kernel("rolling moments", "Std(20)", [&] { kernels::rolling(OpId::Std, x, 20, outPanel); });
    kernel("rolling moments", "Skew(20)", [&] { kernels::rolling(OpId::Skew, x, 20, outPanel); });
    kernel("rolling extrema", "Max(20)", [&] { kernels::rolling(OpId::Max, x, 20, outPanel); });
    kernel("rolling order statistics", "Rank(20)", [&] { kernels::rolling(OpId::Rank, x, 20, outPanel); });
    kernel("rolling order statistics", "Med(20)", [&] { kernels::rolling(OpId::Med, x, 20, outPanel); });
    kernel("rolling order statistics", "Mad(50)", [&] { kernels::rolling(OpId::Mad, x, 50, outPanel); });
    kernel("rolling product", "Product(20)", [&] { kernels::rolling(OpId::Product, x, 20, outPanel); });
    kernel("rolling weighted", "EMA(20)", [&] { kernels::rolling(OpId::EMA, x, 20, outPanel); });
    kernel("pair rolling", "Corr(20)", [&] { kernels::pairRolling(OpId::Corr, x, y, 20, outPanel); });
    kernel("cross-sectional", "CSRank", [&] { kernels::crossSectional(OpId::CSRank, x, outPanel); });
    if (const Grouping* g = data->grouping("sector"))
        kernel("group", "GroupRank(sector)", [&] { kernels::group(OpId::GroupRank, x, g->kernelIds(), outPanel); });
    return out;
}

int run(const BenchOptions& o) {
    std::vector<std::string> formulas;
    if (!o.formulasFile.empty()) {
        std::ifstream in(o.formulasFile);
        if (!in)
            return reportError(makeError(ErrorCode::Io, "cannot open the formula file " + o.formulasFile), kExitConfig);
        std::string line;
        while (std::getline(in, line)) {
            const auto b = line.find_first_not_of(" \t\r");
            if (b == std::string::npos || line[b] == '#') continue;
            const auto e = line.find_last_not_of(" \t\r");
            formulas.push_back(line.substr(b, e - b + 1));
        }
        if (formulas.empty())
            return reportError(makeError(ErrorCode::InvalidArgument, "no formula in " + o.formulasFile), kExitConfig);
    } else {
        formulas.assign(std::begin(kDefaultFormulas), std::end(kDefaultFormulas));
    }

    if (static_cast<double>(o.synthDays) * o.synthInstruments > kMaxSyntheticCells)
        return reportError(makeError(ErrorCode::InvalidArgument,
                                     "the synthetic panel would hold " +
                                         std::to_string(static_cast<long long>(o.synthDays) * o.synthInstruments) +
                                         " cells; at most " +
                                         std::to_string(static_cast<long long>(kMaxSyntheticCells)) +
                                         " (about 1.2 GB of fields)"),
                           kExitConfig);
    int code = kExitOk;
    auto session = openSession(o.data, code);
    if (!session) return code;
    std::string engineName = "CPU kernels";
    if (o.engine != "cpu") {
        const auto backend = benchBackend(o.engine, session->data);
        if (!backend)
            return reportError(makeError(ErrorCode::InvalidArgument,
                                         o.engine == "cuda"
                                             ? "--engine cuda: LibTorch has no CUDA device here"
                                             : "--engine " + o.engine + ": this build has no LibTorch backend"),
                               kExitConfig);
        engineName = backend->name();
    }
    // A formula from the user's file must be valid on the data; the built-in set skips the
    // formulas the data cannot serve (a group operator without a sector file) and says so.
    for (const auto& f : formulas) {
        auto e = parseFormula(f, parseOptionsFor(*session->data, false));
        if (!e.ok() && !o.formulasFile.empty()) return reportFormulaError(f, e.error());
    }
    std::vector<DatasetTiming> results;
    results.push_back(
        benchDataset(session->data->source, session->data, formulas, session->splits, o.repeat, o.engine));
    if (o.synthetic) {
        SyntheticSpec spec;
        spec.days = o.synthDays;
        spec.instruments = o.synthInstruments;
        auto synth = std::make_shared<const MarketData>(makeSyntheticMarket(spec));
        results.push_back(
            benchDataset("synthetic", synth, formulas, defaultSplits(synth->calendar, 20), o.repeat, o.engine));
    }

    const std::string device = computeDeviceInfo().name;
    const int threads = tbb::info::default_concurrency();
    if (o.data.json) {
        nlohmann::json j;
        j["threads"] = threads;
        j["repeat"] = o.repeat;
        j["compute_device"] = device;
        j["vector_instructions"] = kernels::vectorInstructions();
        j["engine"] = engineName;
        nlohmann::json sets = nlohmann::json::array();
        for (const auto& r : results) {
            nlohmann::json s;
            s["name"] = r.name;
            s["days"] = r.days;
            s["instruments"] = r.instruments;
            s["target_prepare_ms"] = r.targetPrepareMs;
            nlohmann::json fs = nlohmann::json::array();
            for (const auto& f : r.formulas) {
                nlohmann::json fj = {{"formula", f.formula},
                                     {"eval_ms", f.evalMs},
                                     {"ic_rank_ic_ms", f.icMs},
                                     {"analysis_ms", f.analysisMs}};
                if (!f.error.empty()) fj["error"] = f.error;
                fs.push_back(fj);
            }
            s["formulas"] = fs;
            nlohmann::json ks = nlohmann::json::array();
            for (const auto& k : r.kernels)
                ks.push_back(
                    {{"family", k.family}, {"op", k.op}, {"ms", k.ms}, {"cells_per_second", k.cellsPerSecond}});
            s["kernels"] = ks;
            sets.push_back(s);
        }
        j["datasets"] = sets;
        std::cout << j.dump(2) << "\n";
        return kExitOk;
    }
    std::printf("alphascope-cli bench: %d threads, compute device %s (%s vector code), median of %d runs after a "
                "warm-up, no cache\n",
                threads, device.c_str(), kernels::vectorInstructions(), o.repeat);
    std::printf("formulas evaluated by %s (the kernel table: the CPU kernels)\n", engineName.c_str());
    for (const auto& r : results) {
        std::printf("\n%s: %d instruments x %d days (%.2f M cells)\n", r.name.c_str(), r.instruments, r.days,
                    r.instruments * double(r.days) / 1e6);
        std::printf("  target prepared once (per-day ranks and order): %.2f ms\n", r.targetPrepareMs);
        std::printf("  %-48s %10s %14s %12s\n", "formula", "eval ms", "IC+RankIC ms", "metrics ms");
        for (const auto& f : r.formulas) {
            if (!f.error.empty())
                std::printf("  %-48s  skipped: %s\n", f.formula.c_str(), f.error.c_str());
            else
                std::printf("  %-48s %10.2f %14.2f %12.2f\n", f.formula.c_str(), f.evalMs, f.icMs, f.analysisMs);
        }
        std::printf("  %-26s %-20s %10s %14s\n", "kernel family", "op", "ms", "Mcells/s");
        for (const auto& k : r.kernels)
            std::printf("  %-26s %-20s %10.2f %14.1f\n", k.family.c_str(), k.op.c_str(), k.ms, k.cellsPerSecond / 1e6);
    }
    return kExitOk;
}

} // namespace

Runner addBenchCommand(CLI::App& root) {
    auto o = std::make_shared<BenchOptions>();
    CLI::App* cmd = root.add_subcommand("bench", "Median time to evaluate formulas and their IC + Rank IC, and kernel "
                                                 "throughput, on the data and a synthetic panel");
    addDataOptions(*cmd, o->data);
    cmd->add_option(
        "--formulas", o->formulasFile,
        "File with one formula per line (# comments); default: a built-in set covering every kernel family");
    cmd->add_option("--repeat", o->repeat, "Timed runs per measurement (the median is reported)")
        ->capture_default_str()
        ->check(CLI::Range(1, 1000));
    cmd->add_flag("!--no-synthetic", o->synthetic, "Skip the synthetic panel");
    cmd->add_option("--synthetic-days", o->synthDays, "Days of the synthetic panel")
        ->capture_default_str()
        ->check(CLI::Range(10, 100000));
    cmd->add_option("--synthetic-instruments", o->synthInstruments, "Instruments of the synthetic panel")
        ->capture_default_str()
        ->check(CLI::Range(2, 100000));
    cmd->add_option("--engine", o->engine,
                    "What evaluates the formulas: cpu (the kernels), torch-cpu or cuda (the LibTorch backend)")
        ->capture_default_str()
        ->check(CLI::IsMember({"cpu", "torch-cpu", "cuda"}));
    return [cmd, o]() { return cmd->parsed() ? run(*o) : -1; };
}

} // namespace alphascope::cli

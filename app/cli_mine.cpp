// alphascope-cli mine: run one automated search (gfn, mcts, gp, random) and write its pool.

#include "app/cli_commands.h"
#include "app/cli_common.h"

#include "core/io/pool_json.h"
#include "core/search/search.h"

#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>

namespace alphascope::cli {

namespace {

struct MineOptions {
    DataOptions data;
    std::string algo;
    long long budgetEvals = 2000;
    long long budgetEpisodes = 0;
    double budgetSeconds = 0;
    std::uint64_t seed = 0;
    int poolSize = 0;
    std::string pool;
    double l1 = 5e-3;
    bool dimensionCheck = false;
    int maxTokens = 20;
    std::string out;
    bool quiet = false;
    bool cpu = false;
    int gpPopulation = 1000;
    int mctsSimulations = 64;
    bool mctsNoNetwork = false;
    std::string gfnEncoder = "gnn";
    bool gfnDense = false;
    int gfnUpdateFrequency = 64;
};

std::atomic<bool>* g_cancel = nullptr;

extern "C" void onInterrupt(int) {
    if (g_cancel) g_cancel->store(true); // the search returns the pool found so far
}

void printSplitPair(const char* label, const std::vector<SplitMetrics>& splits) {
    std::printf("%-10s", label);
    for (const auto& m : splits) std::printf("  %-5s IC %8s  RankIC %8s  ICIR %7s", m.name.c_str(), fmt(m.ic, 4).c_str(),
                                            fmt(m.rankIc, 4).c_str(), fmt(m.icir, 3).c_str());
    std::printf("\n");
}

void printSummary(const SearchResult& r) {
    std::printf("Search    %s  seed %llu  device %s  stopped: %s\n", std::string(searchAlgoName(r.config.algo)).c_str(),
                static_cast<unsigned long long>(r.config.seed), r.device.c_str(), r.stopReason.c_str());
    std::printf("Grammar   %s\n", r.config.grammar.describe().c_str());
    std::printf("Work      %lld evaluations (%lld distinct formulas, %lld without a usable value), %lld episodes, "
                "%.1f s, %.1f evaluations/s\n",
                r.evaluations, r.distinctFormulas, r.failedEvaluations, r.episodes, r.seconds, r.evaluationsPerSecond);
    std::printf("Pool      %s, %zu factors, mean |mutual corr| %s\n",
                r.poolKind == PoolKind::Mining ? "mining (AlphaSAGE)" : "linear (AlphaGen)", r.pool.size(),
                fmt(r.meanAbsMutual, 3).c_str());
    for (const auto& n : r.notes) std::printf("note: %s\n", n.c_str());
    if (r.pool.empty()) return;
    printSplitPair("combined", r.combined);
    if (!r.adaptive.empty()) printSplitPair("adaptive", r.adaptive);
    std::vector<const PoolFactorReport*> order;
    for (const auto& f : r.pool) order.push_back(&f);
    std::stable_sort(order.begin(), order.end(), [](auto* a, auto* b) { return std::fabs(a->weight) > std::fabs(b->weight); });
    std::printf("\n%9s", "weight");
    for (const auto& m : r.pool.front().splits) std::printf(" %9s", (m.name + " IC").c_str());
    std::printf("  formula\n");
    for (const auto* f : order) {
        std::printf("%9s", fmt(f->weight, 4).c_str());
        for (const auto& m : f->splits) std::printf(" %9s", fmt(m.ic, 4).c_str());
        std::printf("  %s\n", f->formula.c_str());
    }
}

int run(const MineOptions& o) {
    SearchConfig config;
    const auto algo = parseSearchAlgo(o.algo);
    if (!algo) return reportError(makeError(ErrorCode::InvalidArgument, "unknown --algo '" + o.algo + "': use gfn, mcts, gp or random"), kExitConfig);
    config.algo = *algo;
    config.seed = o.seed;
    config.budget = {o.budgetEvals, o.budgetEpisodes, o.budgetSeconds};
    if (!o.pool.empty()) config.pool = o.pool == "mining" ? PoolKind::Mining : PoolKind::Linear;
    const bool mining = config.pool ? *config.pool == PoolKind::Mining : config.algo == SearchAlgo::GFlowNet;
    config.poolOptions.capacity = o.poolSize > 0 ? o.poolSize : (mining ? 50 : 20);
    config.poolOptions.l1 = o.l1;
    config.grammar.dimensionCheck = o.dimensionCheck;
    config.grammar.maxTokens = o.maxTokens;
    config.preferCuda = !o.cpu;
    config.gp.population = o.gpPopulation;
    config.mcts.simulationsPerMove = o.mctsSimulations;
    config.mcts.useNetwork = !o.mctsNoNetwork;
    config.gfn.encoder = o.gfnEncoder == "lstm" ? GFlowNetOptions::Encoder::Lstm : GFlowNetOptions::Encoder::Gnn;
    config.gfn.denseRewards = o.gfnDense;
    config.gfn.updateFrequency = o.gfnUpdateFrequency;

    int code = kExitOk;
    auto session = openSession(o.data, code);
    if (!session) return code;

    SearchFeedback feedback;
    const bool tty = isatty(fileno(stderr)) != 0;
    double lastLine = -1e9;
    if (!o.quiet) {
        feedback.onProgress = [&](const SearchProgress& p) {
            // A terminal gets one line rewritten in place; a log gets a line every 10 seconds.
            if (!tty && p.seconds - lastLine < 10.0) return;
            lastLine = p.seconds;
            std::fprintf(stderr, "%s[%s] %5.1f%%  %lld evals  %lld episodes  %6.1f s  pool %d  pool IC %s  best |IC| %s%s",
                         tty ? "\r\033[K" : "", o.algo.c_str(), 100.0 * p.fraction, p.evaluations, p.episodes, p.seconds,
                         p.poolSize, fmt(p.poolIc, 4).c_str(), fmt(p.bestIc, 4).c_str(), tty ? "" : "\n");
            std::fflush(stderr);
        };
    }
    g_cancel = &feedback.cancel;
    auto previous = std::signal(SIGINT, onInterrupt);
    auto result = runSearch(session, config, feedback);
    std::signal(SIGINT, previous);
    g_cancel = nullptr;
    if (!o.quiet && tty) std::fprintf(stderr, "\n");
    if (!result.ok()) return reportError(result.error(), result.error().code == ErrorCode::InvalidArgument ? kExitConfig : kExitInternal);

    const std::string text = poolJson(result.value(), *session);
    if (!o.out.empty()) {
        std::ofstream f(o.out, std::ios::binary);
        f << text << "\n";
        f.close();
        if (!f) return reportError(makeError(ErrorCode::Io, "cannot write the pool file", o.out), kExitConfig);
    }
    if (o.data.json) std::cout << text << "\n";
    else {
        printSummary(result.value());
        if (!o.out.empty()) std::printf("\nPool written to %s\n", o.out.c_str());
    }
    return kExitOk;
}

} // namespace

Runner addMineCommand(CLI::App& root) {
    auto o = std::make_shared<MineOptions>();
    CLI::App* cmd = root.add_subcommand("mine", "Automated alpha mining: GFlowNet (AlphaSAGE), MCTS (Alpha2), genetic programming or random search; writes the pool as JSON. Ctrl+C stops the search and keeps the pool found so far.");
    addDataOptions(*cmd, o->data);
    cmd->add_option("--algo", o->algo, "gfn | mcts | gp | random")->required()->check(CLI::IsMember({"gfn", "mcts", "gp", "random"}));
    cmd->add_option("--budget-evals", o->budgetEvals, "Formula evaluations (0 = no limit); equal budgets make searches comparable")->capture_default_str()->check(CLI::NonNegativeNumber);
    cmd->add_option("--budget-episodes", o->budgetEpisodes, "Formulas built / simulations / individuals (0 = no limit)")->check(CLI::NonNegativeNumber);
    cmd->add_option("--budget-seconds", o->budgetSeconds, "Wall time in seconds (0 = no limit)")->check(CLI::NonNegativeNumber);
    cmd->add_option("--seed", o->seed, "Random seed (runs are deterministic per seed on CPU)")->capture_default_str();
    cmd->add_option("--pool-size", o->poolSize, "Pool capacity (default 50 for the mining pool, 20 for the linear pool)")->check(CLI::Range(1, 1000));
    cmd->add_option("--pool", o->pool, "linear (AlphaGen; default for mcts, gp, random) | mining (AlphaSAGE; default for gfn)")->check(CLI::IsMember({"linear", "mining"}));
    cmd->add_option("--l1", o->l1, "L1 penalty of the linear pool's weights (AlphaGen's 5e-3; 0 = Eigen closed form)")->capture_default_str()->check(CLI::NonNegativeNumber);
    cmd->add_flag("--dimension-check", o->dimensionCheck, "Only build formulas that follow the dimension rules (no price + volume)");
    cmd->add_option("--max-tokens", o->maxTokens, "Longest formula in reverse-Polish tokens")->capture_default_str()->check(CLI::Range(3, 40));
    cmd->add_option("--out,-o", o->out, "Write the pool JSON here (formulas, weights, per-split metrics, config, seed, and AlphaGen's {exprs, weights})");
    cmd->add_flag("--quiet,-q", o->quiet, "No progress line");
    cmd->add_flag("--cpu", o->cpu, "Run the networks on the CPU even when CUDA is available");
    cmd->add_option("--gp-population", o->gpPopulation, "GP population")->capture_default_str()->check(CLI::Range(4, 100000));
    cmd->add_option("--mcts-simulations", o->mctsSimulations, "MCTS simulations per move")->capture_default_str()->check(CLI::Range(1, 1000000));
    cmd->add_flag("--mcts-no-network", o->mctsNoNetwork, "MCTS with uniform priors and no value network");
    cmd->add_option("--gfn-encoder", o->gfnEncoder, "gnn (RGCN) | lstm")->capture_default_str()->check(CLI::IsMember({"gnn", "lstm"}));
    cmd->add_flag("--gfn-dense", o->gfnDense, "GFlowNet: also reward complete sub-formulas (dense rewards)");
    cmd->add_option("--gfn-update-freq", o->gfnUpdateFrequency, "GFlowNet: episodes per optimiser step")->capture_default_str()->check(CLI::Range(1, 4096));
    return [cmd, o]() { return cmd->parsed() ? run(*o) : -1; };
}

} // namespace alphascope::cli

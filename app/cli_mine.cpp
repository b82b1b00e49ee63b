// alphascope-cli mine: run one automated search (gfn, mcts, gp, random, ppo) and write its pool.

#include "app/cli_commands.h"
#include "app/cli_common.h"

#include "core/io/pool_json.h"
#include "core/io/search_config_json.h"
#include "core/search/search.h"
#include "core/store/dataset_record_of.h"
#include "core/store/run_recorder.h"
#include "core/util/compute_device.h"

#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>

namespace alphascope::cli {

namespace {

/// Defaults are core's (SearchConfig's members), so the CLI and the GUI form start alike.
struct MineOptions {
    DataOptions data;
    std::string algo;
    long long budgetEvals = SearchBudget{}.evaluations;
    long long budgetEpisodes = SearchBudget{}.episodes;
    double budgetSeconds = SearchBudget{}.seconds;
    std::uint64_t seed = 0;
    int poolSize = 0;
    std::string pool;
    double l1 = PoolOptions{}.l1;
    double ridge = PoolOptions{}.ridge;
    double maxMutual = PoolOptions{}.maxMutual;
    double replaceSimilar = PoolOptions{}.replaceSimilar;
    bool refuseLowerIc = PoolOptions{}.refuseLowerIc;
    double complexity = PoolOptions{}.complexity;
    bool dimensionCheck = Grammar{}.dimensionCheck;
    int maxTokens = Grammar{}.maxTokens;
    std::string out;
    bool quiet = false;
    bool cpu = false;
    bool noPrecheck = false;
    int gpPopulation = GeneticOptions{}.population;
    int mctsSimulations = MctsOptions{}.simulationsPerMove;
    int mctsLeafBatch = MctsOptions{}.leafBatch;
    bool mctsNoNetwork = false;
    std::string gfnEncoder = "gnn";
    bool gfnDense = GFlowNetOptions{}.denseRewards;
    int gfnUpdateFrequency = GFlowNetOptions{}.updateFrequency;
    std::string configFile;
    std::string project;
    double snapshotSeconds = RunRecorder::kDefaultMinInterval;
    std::function<bool(const char*)> given; ///< was the option on the command line
};

std::atomic<bool>* g_cancel = nullptr;

extern "C" void onInterrupt(int) {
    if (g_cancel) g_cancel->store(true); // the search returns the pool found so far
}

void printSplitPair(const char* label, const std::vector<SplitMetrics>& splits) {
    std::printf("%-10s", label);
    for (const auto& m : splits)
        std::printf("  %-5s IC %8s  RankIC %8s  ICIR %7s", m.name.c_str(), fmt(m.ic, 4).c_str(),
                    fmt(m.rankIc, 4).c_str(), fmt(m.icir, 3).c_str());
    std::printf("\n");
}

void printSummary(const SearchResult& r) {
    std::printf("Search    %s  seed %llu  device %s  stopped: %s\n", std::string(searchAlgoName(r.config.algo)).c_str(),
                static_cast<unsigned long long>(r.config.seed), r.device.c_str(), r.stopReason.c_str());
    std::printf("Grammar   %s\n", r.config.grammar.describe().c_str());
    std::printf(
        "Work      %lld evaluations (%lld distinct formulas, %lld without a usable value), %lld rejected by the "
        "pre-check, %lld episodes, %.1f s, %.1f evaluations/s\n",
        r.evaluations, r.distinctFormulas, r.failedEvaluations, r.rejections, r.episodes, r.seconds,
        r.evaluationsPerSecond);
    if (r.failedEvaluations > 0)
        std::printf("Unusable  %lld refused, %lld empty, %lld constant, %lld sparse (under %.0f %% of the train cells "
                    "or days)\n",
                    r.unusable.refused, r.unusable.empty, r.unusable.constant, r.unusable.sparse,
                    100.0 * FactorScorer::kMinCoverage);
    std::printf("Pool      %s, %zu factors, mean |mutual corr| %s\n",
                r.poolKind == PoolKind::Mining ? "mining (AlphaSAGE)" : "linear (AlphaGen)", r.pool.size(),
                fmt(r.meanAbsMutual, 3).c_str());
    for (const auto& n : r.notes) std::printf("note: %s\n", n.c_str());
    if (r.pool.empty()) return;
    printSplitPair("combined", r.combined);
    if (!r.adaptive.empty()) printSplitPair("adaptive", r.adaptive);
    if (!r.selected.empty()) {
        printSplitPair("selected", r.selected);
        std::printf("          (selected: the %d of %zu members whose valid IC has their train IC's sign, reweighted "
                    "on train)\n",
                    r.selectedMembers, r.pool.size());
    }
    if (!r.tuned.empty()) {
        printSplitPair("tuned", r.tuned);
        std::printf(
            "          (tuned: every member refitted on train with the L1 strength whose valid IC is highest: %s)\n",
            fmt(r.tunedL1, 4).c_str());
    }
    if (!r.early.empty()) {
        printSplitPair("early", r.early);
        std::printf("          (early: the pool of %zu members at %lld evaluations, of its checkpoints at every tenth "
                    "of the budget "
                    "and the end the one whose valid IC is highest; `export --pool-choice early` writes it)\n",
                    r.earlyPool.size(), r.earlyEvaluations);
    }
    std::vector<const PoolFactorReport*> order;
    for (const auto& f : r.pool) order.push_back(&f);
    std::stable_sort(order.begin(), order.end(),
                     [](auto* a, auto* b) { return std::fabs(a->weight) > std::fabs(b->weight); });
    const bool selection = !r.selected.empty(); // then a column of the selected pool's weights ("-": left out)
    const bool tuning = !r.tuned.empty();
    std::printf("\n%9s", "weight");
    if (selection) std::printf(" %9s", "selected");
    if (tuning) std::printf(" %9s", "tuned");
    for (const auto& m : r.pool.front().splits) std::printf(" %9s", (m.name + " IC").c_str());
    std::printf("  formula\n");
    for (const auto* f : order) {
        std::printf("%9s", fmt(f->weight, 4).c_str());
        if (selection) std::printf(" %9s", f->selectedWeight == 0.0 ? "-" : fmt(f->selectedWeight, 4).c_str());
        if (tuning) std::printf(" %9s", fmt(f->tunedWeight, 4).c_str());
        for (const auto& m : f->splits) std::printf(" %9s", fmt(m.ic, 4).c_str());
        std::printf("  %s\n", f->formula.c_str());
    }
}

int run(const MineOptions& o) {
    const auto algo = parseSearchAlgo(o.algo);
    if (!algo)
        return reportError(
            makeError(ErrorCode::InvalidArgument, "unknown --algo '" + o.algo + "': use gfn, mcts, gp, random or ppo"),
            kExitConfig);
    SearchConfig config = defaultSearchConfig(*algo);
    if (!o.configFile.empty()) {
        const auto text = readConfigFile(o.configFile);
        if (!text.ok()) return reportError(text.error(), kExitConfig);
        auto read = searchConfigFromJson(text.value(), o.configFile);
        if (!read.ok()) return reportError(read.error(), kExitConfig);
        config = read.value();
    }
    // Without --config every option applies (its default is core's); with one, only those given.
    const bool all = o.configFile.empty();
    auto given = [&](const char* name) { return all || o.given(name); };
    config.algo = *algo;
    if (given("--seed")) config.seed = o.seed;
    if (all || o.given("--budget-evals") || o.given("--budget-episodes") || o.given("--budget-seconds"))
        config.budget = {o.budgetEvals, o.budgetEpisodes, o.budgetSeconds};
    if (!o.pool.empty()) config.pool = o.pool == "mining" ? PoolKind::Mining : PoolKind::Linear;
    if (!config.pool) config.pool = defaultPoolKind(config.algo);
    if (all || o.poolSize > 0)
        config.poolOptions.capacity = o.poolSize > 0 ? o.poolSize : defaultPoolCapacity(*config.pool);
    if (given("--l1")) config.poolOptions.l1 = o.l1;
    if (given("--ridge")) config.poolOptions.ridge = o.ridge;
    if (given("--max-mutual")) config.poolOptions.maxMutual = o.maxMutual;
    if (given("--replace-similar")) config.poolOptions.replaceSimilar = o.replaceSimilar;
    if (given("--refuse-lower-ic")) config.poolOptions.refuseLowerIc = o.refuseLowerIc;
    if (given("--complexity")) config.poolOptions.complexity = o.complexity;
    if (given("--dimension-check")) config.grammar.dimensionCheck = o.dimensionCheck;
    if (given("--max-tokens")) config.grammar.maxTokens = o.maxTokens;
    if (given("--cpu")) config.preferCuda = !o.cpu;
    if (given("--no-precheck")) config.precheck = !o.noPrecheck;
    if (given("--gp-population")) config.gp.population = o.gpPopulation;
    if (given("--mcts-simulations")) config.mcts.simulationsPerMove = o.mctsSimulations;
    if (given("--mcts-leaf-batch")) config.mcts.leafBatch = o.mctsLeafBatch;
    if (given("--mcts-no-network")) config.mcts.useNetwork = !o.mctsNoNetwork;
    if (given("--gfn-encoder"))
        config.gfn.encoder = o.gfnEncoder == "lstm" ? GFlowNetOptions::Encoder::Lstm : GFlowNetOptions::Encoder::Gnn;
    if (given("--gfn-dense")) config.gfn.denseRewards = o.gfnDense;
    if (given("--gfn-update-freq")) config.gfn.updateFrequency = o.gfnUpdateFrequency;
    if (auto v = validate(config, nullptr); !v.ok()) return reportError(v.error(), kExitConfig);

    int code = kExitOk;
    auto session = openSession(o.data, code);
    if (!session) return code;

    // --project: the run is recorded as it goes (the same rows the workbench writes and shows).
    std::unique_ptr<RunStore> runs;
    std::optional<RunRecorder> recorder;
    bool storeWarned = false;
    auto storeWarning = [&](const Error& e) {
        if (storeWarned) return;
        storeWarned = true;
        std::fprintf(stderr, "warning: cannot record the run in the project: %s\n", e.toString().c_str());
    };
    if (!o.project.empty()) {
        auto project = ProjectStore::open(o.project);
        if (!project.ok()) return reportError(project.error(), kExitConfig);
        auto datasetId = project.value()->upsertDataset(datasetRecordOf(*session));
        if (!datasetId.ok()) return reportError(datasetId.error(), kExitConfig);
        auto store = RunStore::open(o.project);
        if (!store.ok()) return reportError(store.error(), kExitConfig);
        runs = std::move(store.value());
        if (auto marked = runs->markInterruptedRuns(); !marked.ok()) storeWarning(marked.error());
        recorder.emplace(*runs);
        recorder->setMinInterval(o.snapshotSeconds);
        const ComputeDeviceInfo device = computeDeviceInfo();
        auto id = recorder->begin(searchConfigToJson(config), config.seed, std::string(searchAlgoName(config.algo)),
                                  config.preferCuda && device.cuda ? device.name : "CPU", runDatasetOf(*session),
                                  datasetId.value());
        if (!id.ok()) return reportError(id.error(), kExitConfig);
        if (!o.quiet)
            std::fprintf(stderr, "Recording run %lld in %s\n", static_cast<long long>(id.value()), o.project.c_str());
    }

    SearchFeedback feedback;
    SearchProgress lastProgress;
    feedback.onSnapshot = [&](const PoolSnapshot& snapshot) {
        if (!recorder) return;
        if (auto w = recorder->snapshot(lastProgress, snapshot); !w.ok()) storeWarning(w.error());
    };
    const bool tty = isatty(fileno(stderr)) != 0;
    double lastLine = -1e9;
    feedback.onSearchProgress = [&](const SearchProgress& p) {
        lastProgress = p;
        if (recorder) {
            if (auto w = recorder->progress(p); !w.ok()) storeWarning(w.error());
        }
        if (o.quiet) return;
        {
            // A terminal gets one line rewritten in place; a log gets a line every 10 seconds.
            if (!tty && p.seconds - lastLine < 10.0) return;
            lastLine = p.seconds;
            std::fprintf(stderr,
                         "%s[%s] %5.1f%%  %lld evals  %lld episodes  %6.1f s  pool %d  pool IC %s  best |IC| %s%s",
                         tty ? "\r\033[K" : "", o.algo.c_str(), 100.0 * p.fraction, p.evaluations, p.episodes,
                         p.seconds, p.poolSize, fmt(p.poolIc, 4).c_str(), fmt(p.bestIc, 4).c_str(), tty ? "" : "\n");
            std::fflush(stderr);
        }
    };
    g_cancel = &feedback.cancelFlag;
    auto previous = std::signal(SIGINT, onInterrupt);
    auto result = runSearch(session, config, feedback);
    std::signal(SIGINT, previous);
    g_cancel = nullptr;
    if (!o.quiet && tty) std::fprintf(stderr, "\n");
    if (!result.ok()) {
        if (recorder) {
            if (auto w = recorder->fail(result.error().toString()); !w.ok()) storeWarning(w.error());
        }
        return reportError(result.error(),
                           result.error().code == ErrorCode::InvalidArgument ? kExitConfig : kExitInternal);
    }

    const std::string text = poolJson(result.value(), *session);
    if (recorder) {
        if (auto w = recorder->finish(result.value(), text); !w.ok())
            storeWarning(w.error());
        else if (!o.quiet) {
            const auto cost = recorder->writeCost();
            std::fprintf(stderr, "Run %lld recorded: %d snapshots, %.2f ms per write (max %.2f)\n",
                         static_cast<long long>(recorder->runId()), cost.writes, cost.meanMs, cost.maxMs);
        }
    }
    if (!o.out.empty()) {
        std::ofstream f(o.out, std::ios::binary);
        f << text << "\n";
        f.close();
        if (!f) return reportError(makeError(ErrorCode::Io, "cannot write the pool file", o.out), kExitConfig);
    }
    if (o.data.json)
        std::cout << text << "\n";
    else {
        printSummary(result.value());
        if (!o.out.empty()) std::printf("\nPool written to %s\n", o.out.c_str());
    }
    return kExitOk;
}

} // namespace

Runner addMineCommand(CLI::App& root) {
    auto o = std::make_shared<MineOptions>();
    CLI::App* cmd = root.add_subcommand(
        "mine", "Automated alpha mining: GFlowNet (AlphaSAGE), MCTS (Alpha2), genetic programming or random search; "
                "writes the pool as JSON. Ctrl+C stops the search and keeps the pool found so far.");
    addDataOptions(*cmd, o->data);
    cmd->add_option("--algo", o->algo, "gfn | mcts | gp | random | ppo")
        ->required()
        ->check(CLI::IsMember({"gfn", "mcts", "gp", "random", "ppo"}));
    cmd->add_option("--budget-evals", o->budgetEvals,
                    "Formula evaluations (0 = no limit); equal budgets make searches comparable")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--budget-episodes", o->budgetEpisodes, "Formulas built / simulations / individuals (0 = no limit)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--budget-seconds", o->budgetSeconds, "Wall time in seconds (0 = no limit)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--seed", o->seed, "Random seed (runs are deterministic per seed on CPU)")->capture_default_str();
    cmd->add_option("--pool-size", o->poolSize,
                    "Pool capacity (default 50 for the mining pool, 20 for the linear pool)")
        ->check(CLI::Range(1, 1000));
    cmd->add_option("--pool", o->pool, "linear (AlphaGen; the default) | mining (AlphaSAGE's GFlowNet pool)")
        ->check(CLI::IsMember({"linear", "mining"}));
    cmd->add_option("--l1", o->l1, "L1 penalty of the linear pool's weights (AlphaGen's 5e-3; 0 = Eigen closed form)")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--ridge", o->ridge, "Ridge term of the linear pool's weights: w'(M + ridge I)w")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--max-mutual", o->maxMutual,
                    "Linear pool: refuse a formula whose |mutual IC| with a member exceeds this (AlphaGen 0.99; "
                    "WorldQuant BRAIN's "
                    "self-correlation limit is 0.7)")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 1.0));
    cmd->add_option("--replace-similar", o->replaceSimilar,
                    "Linear pool: a formula whose |mutual IC| with a member exceeds this takes the most similar "
                    "member's place if that "
                    "raises the combined train IC, and is refused otherwise (deterministic crowding; 0 = off)")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 1.0));
    cmd->add_option("--complexity", o->complexity,
                    "Linear pool: extra L1 penalty per formula token on each member's weight")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 1.0));
    cmd->add_flag("--refuse-lower-ic", o->refuseLowerIc,
                  "Linear pool: refuse a formula whose admission would lower the pool's combined train IC");
    cmd->add_flag("--dimension-check", o->dimensionCheck,
                  "Only build formulas that follow the dimension rules (no price + volume)");
    cmd->add_option("--max-tokens", o->maxTokens, "Longest formula in reverse-Polish tokens")
        ->capture_default_str()
        ->check(CLI::Range(3, 40));
    cmd->add_option("--out,-o", o->out,
                    "Write the pool JSON here (formulas, weights, per-split metrics, config, seed, and AlphaGen's "
                    "{exprs, weights})");
    cmd->add_option("--config", o->configFile,
                    "Start from a search config JSON (e.g. a stored run's); the options given here override it");
    cmd->add_option("--project", o->project,
                    "Record the run in this AlphaScope project (created when missing): the run row before the start, "
                    "snapshots as it goes, the pool at the end; the workbench shows it");
    cmd->add_option("--snapshot-seconds", o->snapshotSeconds, "With --project: seconds between stored snapshots")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    cmd->add_flag("--quiet,-q", o->quiet, "No progress line");
    cmd->add_flag("--cpu", o->cpu, "Run the networks on the CPU even when CUDA is available");
    cmd->add_flag(
        "--no-precheck", o->noPrecheck,
        "Evaluate every formula in full (by default a formula is first checked on a sample of the market, and one "
        "that cannot be usable costs no evaluation)");
    cmd->add_option("--gp-population", o->gpPopulation, "GP population")
        ->capture_default_str()
        ->check(CLI::Range(4, 100000));
    cmd->add_option("--mcts-simulations", o->mctsSimulations, "MCTS simulations per move")
        ->capture_default_str()
        ->check(CLI::Range(1, 1000000));
    cmd->add_option(
           "--mcts-leaf-batch", o->mctsLeafBatch,
           "MCTS simulations whose new formulas are evaluated together, in parallel (1 = one at a time, as Alpha2)")
        ->capture_default_str()
        ->check(CLI::Range(1, 1024));
    cmd->add_flag("--mcts-no-network", o->mctsNoNetwork, "MCTS with uniform priors and no value network");
    cmd->add_option("--gfn-encoder", o->gfnEncoder, "gnn (RGCN) | lstm")
        ->capture_default_str()
        ->check(CLI::IsMember({"gnn", "lstm"}));
    cmd->add_flag("--gfn-dense", o->gfnDense, "GFlowNet: also reward complete sub-formulas (dense rewards)");
    cmd->add_option("--gfn-update-freq", o->gfnUpdateFrequency, "GFlowNet: episodes per optimiser step")
        ->capture_default_str()
        ->check(CLI::Range(1, 4096));
    o->given = [cmd](const char* name) { return cmd->count(name) > 0; };
    return [cmd, o]() { return cmd->parsed() ? run(*o) : -1; };
}

} // namespace alphascope::cli

// alphascope-cli study: every (algorithm, seed) pair of searches at an equal budget, resumable,
// and a summary with intervals over seeds and paired tests (core/search/study.h).
// alphascope-cli recovery: the share of planted formulas each search finds against its budget
// (core/search/recovery.h).
// alphascope-cli study-compare: a variant study against a baseline study, seed by seed
// (core/search/study_compare.h).
// alphascope-cli persistence: whether a formula's IC in one period says anything about the next
// (core/search/persistence.h).

#include "app/cli_commands.h"
#include "app/cli_common.h"

#include "core/io/file_output.h"
#include "core/io/search_config_json.h"
#include "core/search/persistence.h"
#include "core/search/recovery.h"
#include "core/search/study.h"
#include "core/search/study_compare.h"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <optional>
#include <sstream>

namespace alphascope::cli {

namespace {

struct StudyOptions {
    DataOptions data;
    std::string algos = "gfn,mcts,gp,random";
    int seeds = 5;
    std::uint64_t firstSeed = 0;
    long long budgetEvals = 5000;
    std::string out;
    bool cpu = false;
    bool quiet = false;
    int jobs = 1;
    int persistence = StudySpec{}.persistenceFormulas;
    int gpPopulation = GeneticOptions{}.population;
    bool noPrecheck = false;
    double ridge = PoolOptions{}.ridge;
    std::string configFile;
    std::function<bool(const char*)> given; ///< was the option on the command line
};

std::atomic<bool>* g_cancel = nullptr;

extern "C" void onStudyInterrupt(int) {
    if (g_cancel) g_cancel->store(true); // the finished runs stay; the next call resumes
}

using BaseConfig = std::function<SearchConfig(SearchAlgo)>;

/// Each algorithm's settings for a study or recovery run: core's defaults for that algorithm, then
/// the keys of --config (a partial search config, the same for every algorithm; the run sets
/// algorithm, seed and budget itself), then --gp-population, --no-precheck and --ridge (without
/// --config always, with it only when given). Checked here for every algorithm of the run, so a
/// bad key or value stops before any search starts.
template <class Options>
Result<BaseConfig> baseConfig(const Options& o, const std::vector<SearchAlgo>& algos) {
    std::string text;
    if (!o.configFile.empty()) {
        auto read = readConfigFile(o.configFile);
        if (!read.ok()) return read.error();
        text = std::move(read.value());
    }
    const bool all = o.configFile.empty();
    const bool population = all || o.given("--gp-population"), precheck = all || o.given("--no-precheck"),
               ridge = all || o.given("--ridge");
    return studyBaseConfig(
        text, o.configFile, algos,
        [population, precheck, ridge, gp = o.gpPopulation, noPrecheck = o.noPrecheck, r = o.ridge](SearchConfig& c) {
            if (population) c.gp.population = gp;
            if (precheck) c.precheck = !noPrecheck;
            if (ridge) c.poolOptions.ridge = r;
        });
}

/// Runs `work(feedback)` with a progress line on stderr ("[tag] 12.3%  gp seed 1  40 s": a
/// terminal gets one line rewritten in place, a log a line every 10 seconds) and Ctrl+C as cancel.
template <class Work>
auto withProgress(const char* tag, bool quiet, Work&& work) {
    Feedback feedback;
    feedback.progressInterval = 1.0;
    const bool tty = isatty(fileno(stderr)) != 0;
    double lastLine = -1e9;
    feedback.onProgress = [&](const TaskProgress& p) {
        if (quiet || (!tty && p.seconds - lastLine < 10.0)) return;
        lastLine = p.seconds;
        std::fprintf(stderr, "%s[%s] %5.1f%%  %s  %.0f s%s", tty ? "\r\033[K" : "", tag, 100.0 * p.fraction,
                     p.text.c_str(), p.seconds, tty ? "" : "\n");
        std::fflush(stderr);
    };
    g_cancel = &feedback.cancelFlag;
    auto previous = std::signal(SIGINT, onStudyInterrupt);
    auto result = work(feedback);
    std::signal(SIGINT, previous);
    g_cancel = nullptr;
    if (!quiet && tty) std::fprintf(stderr, "\n");
    return result;
}

std::optional<std::vector<SearchAlgo>> parseAlgos(const std::string& text, int& code) {
    std::vector<SearchAlgo> algos;
    std::stringstream list(text);
    for (std::string name; std::getline(list, name, ',');) {
        const auto algo = parseSearchAlgo(name);
        if (!algo) {
            code = reportError(makeError(ErrorCode::InvalidArgument,
                                         "unknown algorithm '" + name + "' in --algos: use gfn, mcts, gp, random, ppo"),
                               kExitConfig);
            return std::nullopt;
        }
        algos.push_back(*algo);
    }
    return algos;
}

int run(const StudyOptions& o) {
    StudySpec spec;
    int parseCode = kExitOk;
    const auto algos = parseAlgos(o.algos, parseCode);
    if (!algos) return parseCode;
    spec.algos = *algos;
    for (int k = 0; k < o.seeds; ++k) spec.seeds.push_back(o.firstSeed + static_cast<std::uint64_t>(k));
    spec.evaluations = o.budgetEvals;
    spec.outDir = o.out;
    spec.preferCuda = !o.cpu;
    spec.jobs = o.jobs;
    spec.persistenceFormulas = o.persistence;

    const auto base = baseConfig(o, spec.algos);
    if (!base.ok()) return reportError(base.error(), kExitConfig);

    int code = kExitOk;
    auto session = openSession(o.data, code);
    if (!session) return code;

    auto report = withProgress("study", o.quiet,
                               [&](Feedback& feedback) { return runStudy(session, spec, base.value(), feedback); });
    if (!report.ok())
        return reportError(report.error(),
                           report.error().code == ErrorCode::InvalidArgument ? kExitConfig : kExitInternal);

    if (auto w = writeStudySummary(report.value()); !w.ok()) return reportError(w.error(), kExitConfig);
    if (o.data.json)
        std::cout << studyJson(report.value()) << "\n";
    else
        std::cout << studyMarkdown(report.value()) << "\nWritten to " << o.out
                  << " (summary.md, summary.json, curves.csv, reward_curves.csv, one pool file per run)\n";
    return kExitOk;
}

struct StudyCompareOptions {
    DataOptions data;
    std::string variant, baseline, out;
    bool quiet = false;
};

int runStudyCompare(const StudyCompareOptions& o) {
    int code = kExitOk;
    auto session = openSession(o.data, code);
    if (!session) return code;
    // Both folders read on the one session: their runs must have been made on its data and splits.
    auto opened =
        withProgress("study-compare", o.quiet, [&](Feedback& feedback) -> Result<std::pair<StudyReport, StudyReport>> {
            auto variant = openStudy(session, o.variant, 0, feedback);
            if (!variant.ok()) return variant.error();
            auto baseline = openStudy(session, o.baseline, 0, feedback);
            if (!baseline.ok()) return baseline.error();
            return std::make_pair(std::move(variant->report), std::move(baseline->report));
        });
    if (!opened.ok())
        return reportError(opened.error(), opened.error().code == ErrorCode::Canceled ? kExitInternal : kExitConfig);
    const StudyComparison c = compareStudies(opened->first, opened->second);
    if (c.algos.empty())
        return reportError(
            makeError(ErrorCode::NotFound, "the two studies have no search and seed in common", o.variant),
            kExitConfig);
    const std::string markdown = studyComparisonMarkdown(c);
    if (!o.out.empty())
        if (auto w = io::writeFileAtomically(o.out, markdown); !w.ok()) return reportError(w.error(), kExitConfig);
    std::cout << (o.data.json ? studyComparisonJson(c) : markdown);
    return kExitOk;
}

struct RecoveryOptions {
    std::string algos = "gfn,mcts,gp,random";
    int seeds = 10;
    long long budgetEvals = 2000;
    std::vector<std::string> formulas;
    double strength = PlantedSpec{}.strength;
    int days = PlantedSpec{}.market.days;
    int instruments = PlantedSpec{}.market.instruments;
    double threshold = 0.9;
    int gpPopulation = GeneticOptions{}.population;
    bool noPrecheck = false;
    double ridge = PoolOptions{}.ridge;
    std::string configFile;
    std::function<bool(const char*)> given;
    std::string out;
    bool quiet = false;
};

int runRecoveryCommand(const RecoveryOptions& o) {
    int code = kExitOk;
    RecoverySpec spec;
    const auto algos = parseAlgos(o.algos, code);
    if (!algos) return code;
    spec.algos = *algos;
    for (int k = 0; k < o.seeds; ++k) spec.seeds.push_back(static_cast<std::uint64_t>(k));
    spec.evaluations = o.budgetEvals;
    spec.threshold = o.threshold;
    spec.market.formulas = o.formulas.empty() ? recoveryDefaultFormulas() : o.formulas;
    spec.market.weights.assign(spec.market.formulas.size(), 1.0);
    spec.market.strength = o.strength;
    spec.market.market.days = o.days;
    spec.market.market.instruments = o.instruments;
    const auto base = baseConfig(o, spec.algos);
    if (!base.ok()) return reportError(base.error(), kExitConfig);
    auto report = withProgress("recovery", o.quiet,
                               [&](Feedback& feedback) { return runRecovery(spec, base.value(), feedback); });
    if (!report.ok())
        return reportError(report.error(),
                           report.error().code == ErrorCode::InvalidArgument ||
                                   report.error().code == ErrorCode::Semantic
                               ? kExitConfig
                               : (report.error().code == ErrorCode::Parse ? kExitFormula : kExitInternal));
    const std::string md = recoveryMarkdown(report.value());
    if (!o.out.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(o.out, ec);
        const std::filesystem::path dir(o.out);
        for (const auto& [name, text] :
             {std::pair<const char*, std::string>{"recovery.md", md}, {"recovery.csv", recoveryCsv(report.value())}})
            if (auto w = io::writeFileAtomically((dir / name).string(), text); !w.ok())
                return reportError(w.error(), kExitConfig);
    }
    std::cout << md;
    return kExitOk;
}

struct PersistenceOptions {
    DataOptions data;
    PersistenceSpec spec;
    bool pearson = false;
    std::string configFile;
    std::string out;
    std::string csv;
    bool quiet = false;
};

int runPersistenceCommand(PersistenceOptions o) {
    if (!o.configFile.empty()) { // the formulas' grammar: the config's "grammar" keys over the defaults
        auto text = readConfigFile(o.configFile);
        if (!text.ok()) return reportError(text.error(), kExitConfig);
        auto config = searchConfigFromJson(text.value(), o.configFile);
        if (!config.ok()) return reportError(config.error(), kExitConfig);
        o.spec.grammar = config->grammar;
    }
    o.spec.rankIc = !o.pearson;
    int code = kExitOk;
    auto session = openSession(o.data, code);
    if (!session) return code;
    auto report = withProgress("persistence", o.quiet,
                               [&](Feedback& feedback) { return measurePersistence(*session, o.spec, feedback); });
    if (!report.ok())
        return reportError(report.error(), report.error().code == ErrorCode::Canceled ? kExitInternal : kExitConfig);
    const PersistenceReport& r = report.value();
    if (o.data.json) {
        nlohmann::json j;
        j["data"] = describeData(*session);
        j["target"] = session->target->toString();
        j["measure"] = r.spec.rankIc ? "rank_ic" : "ic";
        j["seed"] = r.spec.seed;
        j["drawn"] = r.drawn;
        j["failed"] = r.failed;
        j["usable"] = r.formulas.size();
        nlohmann::json periods = nlohmann::json::array();
        for (const auto& p : r.periods)
            periods.push_back({{"name", p.name},
                               {"first", p.first.toString()},
                               {"last", p.last.toString()},
                               {"days", p.end - p.begin},
                               {"split", p.split},
                               {"window", p.window}});
        j["periods"] = periods;
        nlohmann::json corr = nlohmann::json::array();
        for (const auto& c : r.correlations)
            corr.push_back({{"a", r.periods[static_cast<std::size_t>(c.a)].name},
                            {"b", r.periods[static_cast<std::size_t>(c.b)].name},
                            {"formulas", c.formulas},
                            {"correlation", number(c.correlation)},
                            {"lo95", number(c.lo)},
                            {"hi95", number(c.hi)}});
        j["correlations"] = corr;
        nlohmann::json sel = nlohmann::json::array();
        for (const auto& s : r.selection)
            sel.push_back({{"split", r.periods[static_cast<std::size_t>(s.period)].name},
                           {"formulas", s.formulas},
                           {"top_k", r.spec.topK},
                           {"top_signed_mean", number(s.topMean)},
                           {"top_lo95", number(s.topLo)},
                           {"top_hi95", number(s.topHi)},
                           {"top_same_sign", number(s.topSameSign)},
                           {"all_signed_mean", number(s.allMean)}});
        j["selection"] = sel;
        j["suggested_window"] = r.suggestedWindow >= 0
                                    ? nlohmann::json(r.periods[static_cast<std::size_t>(r.suggestedWindow)].name)
                                    : nlohmann::json();
        nlohmann::json samplers = nlohmann::json::array();
        for (const auto& sm : r.samplers) {
            nlohmann::json means = nlohmann::json::object();
            for (std::size_t k = 0; k < sm.splitMeans.size() && k < r.selection.size(); ++k)
                means[r.periods[static_cast<std::size_t>(r.selection[k].period)].name] = number(sm.splitMeans[k]);
            samplers.push_back({{"beta", sm.beta},
                                {"train_abs", number(sm.trainAbs)},
                                {"effective_formulas", number(sm.effectiveFormulas)},
                                {"signed_means", means}});
        }
        j["samplers"] = samplers;
        j["suggested_sampler_beta"] =
            r.suggestedSampler >= 0 ? nlohmann::json(r.samplers[static_cast<std::size_t>(r.suggestedSampler)].beta)
                                    : nlohmann::json();
        j["verdict"] = persistenceVerdictName(trainToTestVerdict(r));
        std::cout << j.dump(2) << "\n";
    } else {
        std::cout << persistenceMarkdown(r);
    }
    if (!o.out.empty())
        if (auto w = io::writeFileAtomically(o.out, persistenceMarkdown(r)); !w.ok())
            return reportError(w.error(), kExitConfig);
    if (!o.csv.empty())
        if (auto w = io::writeFileAtomically(o.csv, persistenceCsv(r)); !w.ok())
            return reportError(w.error(), kExitConfig);
    return kExitOk;
}

} // namespace

const char* const kConfigHelp =
    "Search config JSON (as mine's --config; may be partial, e.g. {\"mcts\": {\"train_every\": 1}}) "
    "applied to every algorithm's defaults; algorithm, seed and budget are the run's own";

Runner addRecoveryCommand(CLI::App& root) {
    auto o = std::make_shared<RecoveryOptions>();
    CLI::App* cmd = root.add_subcommand(
        "recovery", "Sample efficiency on a planted market: the share of planted formulas each search's pool finds, "
                    "and how close it comes to each, against the evaluations spent, over seeds");
    cmd->add_option("--algos", o->algos, "Comma-separated: gfn, mcts, gp, random, ppo")->capture_default_str();
    cmd->add_option("--seeds", o->seeds, "Seeds per algorithm (0, 1, ...)")
        ->capture_default_str()
        ->check(CLI::Range(1, 1000));
    cmd->add_option("--budget-evals", o->budgetEvals, "Formula evaluations per run")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    cmd->add_option(
        "--formula,-f", o->formulas,
        "Planted formula (repeat for several; default: four of depths 1 to 4); it must not depend on the price level");
    cmd->add_option("--strength", o->strength, "Signal-to-noise of the next-day return")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 10.0));
    cmd->add_option("--days", o->days, "Trading days of the planted market")
        ->capture_default_str()
        ->check(CLI::Range(80, 20000));
    cmd->add_option("--instruments", o->instruments, "Instruments of the planted market")
        ->capture_default_str()
        ->check(CLI::Range(10, 20000));
    cmd->add_option("--threshold", o->threshold, "|corr| on train with a pool member that counts as found")
        ->capture_default_str()
        ->check(CLI::Range(0.01, 1.0));
    cmd->add_option("--gp-population", o->gpPopulation, "GP population")
        ->capture_default_str()
        ->check(CLI::Range(2, 100000));
    cmd->add_flag("--no-precheck", o->noPrecheck,
                  "Evaluate every formula in full (no pre-check on a sample of the market)");
    cmd->add_option("--ridge", o->ridge, "Ridge term of the linear pools' weights")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--config", o->configFile, kConfigHelp);
    cmd->add_option("--out", o->out, "Folder for recovery.md and recovery.csv");
    cmd->add_flag("-q,--quiet", o->quiet, "No progress on stderr");
    o->given = [cmd](const char* name) { return cmd->count(name) > 0; };
    return [cmd, o]() { return cmd->parsed() ? runRecoveryCommand(*o) : -1; };
}

Runner addPersistenceCommand(CLI::App& root) {
    auto o = std::make_shared<PersistenceOptions>();
    CLI::App* cmd = root.add_subcommand(
        "persistence", "Does a formula's Rank IC in one period say anything about the next? Random formulas of the "
                       "search grammar, their Rank IC per year and split, correlated across formulas, with intervals");
    addDataOptions(*cmd, o->data);
    cmd->add_option("--formulas", o->spec.formulas, "Distinct random formulas to draw and evaluate")
        ->capture_default_str()
        ->check(CLI::Range(3, 1000000));
    cmd->add_option("--seed", o->spec.seed, "Seed of the draws and of the bootstrap")->capture_default_str();
    cmd->add_option("--top", o->spec.topK, "Formulas kept by |train Rank IC| for the selection check")
        ->capture_default_str()
        ->check(CLI::Range(1, 1000000));
    cmd->add_option("--blocks", o->spec.blocks,
                    "Equal blocks of the labelled days instead of calendar years (0 = years)")
        ->capture_default_str()
        ->check(CLI::Range(0, 1000));
    cmd->add_option("--min-days", o->spec.minDays, "Labelled days a year or block needs")
        ->capture_default_str()
        ->check(CLI::Range(1, 100000));
    cmd->add_option("--bootstrap", o->spec.bootstrap, "Resamples of the formulas for the 95% intervals (0 = none)")
        ->capture_default_str()
        ->check(CLI::Range(0, 100000));
    cmd->add_flag("--pearson", o->pearson, "Mean daily IC (Pearson) instead of Rank IC");
    cmd->add_option("--config", o->configFile,
                    "Search config JSON whose \"grammar\" the formulas follow (default: the searches' grammar)");
    cmd->add_option("--out", o->out, "Also write the Markdown report to this file");
    cmd->add_option("--csv", o->csv, "Write each usable formula's mean per period to this CSV file");
    cmd->add_flag("-q,--quiet", o->quiet, "No progress on stderr");
    return [cmd, o]() { return cmd->parsed() ? runPersistenceCommand(*o) : -1; };
}

Runner addStudyCompareCommand(CLI::App& root) {
    auto o = std::make_shared<StudyCompareOptions>();
    CLI::App* cmd = root.add_subcommand(
        "study-compare", "A variant study (e.g. run with --config) against a baseline study on the same data: "
                         "each search's figures seed by seed with 95% intervals, and a Newey-West test on the "
                         "daily test Rank IC difference");
    addDataOptions(*cmd, o->data);
    cmd->add_option("--variant", o->variant, "The variant's study folder")->required();
    cmd->add_option("--baseline", o->baseline, "The baseline's study folder")->required();
    cmd->add_option("--out", o->out, "Also write the Markdown to this file");
    cmd->add_flag("-q,--quiet", o->quiet, "No progress on stderr");
    return [cmd, o]() { return cmd->parsed() ? runStudyCompare(*o) : -1; };
}

Runner addStudyCommand(CLI::App& root) {
    auto o = std::make_shared<StudyOptions>();
    CLI::App* cmd =
        root.add_subcommand("study", "Every (algorithm, seed) search at an equal budget, resumable: a summary with 95% "
                                     "intervals over seeds and paired tests between algorithms");
    addDataOptions(*cmd, o->data);
    cmd->add_option("--algos", o->algos, "Comma-separated: gfn, mcts, gp, random, ppo")->capture_default_str();
    cmd->add_option("--seeds", o->seeds, "Seeds per algorithm (0, 1, ... from --first-seed)")
        ->capture_default_str()
        ->check(CLI::Range(1, 1000));
    cmd->add_option("--first-seed", o->firstSeed, "The first seed")->capture_default_str();
    cmd->add_option("--budget-evals", o->budgetEvals, "Formula evaluations per run (equal for every search)")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    cmd->add_option("--out", o->out, "Folder for the pool files and the summary; a finished run there is not run again")
        ->required();
    cmd->add_option("--gp-population", o->gpPopulation, "GP population")
        ->capture_default_str()
        ->check(CLI::Range(2, 100000));
    cmd->add_flag("--no-precheck", o->noPrecheck,
                  "Evaluate every formula in full (no pre-check on a sample of the market)");
    cmd->add_option("--ridge", o->ridge, "Ridge term of the linear pools' weights")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--config", o->configFile, kConfigHelp);
    cmd->add_flag("--cpu", o->cpu, "Never use CUDA");
    cmd->add_option(
           "--jobs,-j", o->jobs,
           "Searches run at once (each still uses every core; the pool files are the same whatever the number)")
        ->capture_default_str()
        ->check(CLI::Range(1, 256));
    cmd->add_option("--persistence", o->persistence,
                    "Random formulas of the grammar that measure the split's persistence after the runs (does train "
                    "rank formulas as "
                    "valid and test do?); 0: not measured")
        ->capture_default_str()
        ->check(CLI::Range(0, 1000000));
    cmd->add_flag("-q,--quiet", o->quiet, "No progress on stderr");
    o->given = [cmd](const char* name) { return cmd->count(name) > 0; };
    return [cmd, o]() { return cmd->parsed() ? run(*o) : -1; };
}

} // namespace alphascope::cli

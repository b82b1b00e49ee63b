// alphascope-cli study: every (algorithm, seed) pair of searches at an equal budget, resumable,
// and a summary with intervals over seeds and paired tests (core/search/study.h).

#include "app/cli_commands.h"
#include "app/cli_common.h"

#include "core/io/file_output.h"
#include "core/search/study.h"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
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
    int gpPopulation = GeneticOptions{}.population;
};

std::atomic<bool>* g_cancel = nullptr;

extern "C" void onStudyInterrupt(int) {
    if (g_cancel) g_cancel->store(true); // the finished runs stay; the next call resumes
}

int run(const StudyOptions& o) {
    StudySpec spec;
    std::stringstream list(o.algos);
    for (std::string name; std::getline(list, name, ',');) {
        const auto algo = parseSearchAlgo(name);
        if (!algo) return reportError(makeError(ErrorCode::InvalidArgument, "unknown algorithm '" + name + "' in --algos: use gfn, mcts, gp, random"), kExitConfig);
        spec.algos.push_back(*algo);
    }
    for (int k = 0; k < o.seeds; ++k) spec.seeds.push_back(o.firstSeed + static_cast<std::uint64_t>(k));
    spec.evaluations = o.budgetEvals;
    spec.outDir = o.out;
    spec.preferCuda = !o.cpu;

    int code = kExitOk;
    auto session = openSession(o.data, code);
    if (!session) return code;

    Feedback feedback;
    feedback.progressInterval = 1.0;
    const bool tty = isatty(fileno(stderr)) != 0;
    feedback.onProgress = [&](const TaskProgress& p) {
        if (o.quiet) return;
        std::fprintf(stderr, "%s[study] %5.1f%%  %s  %.0f s%s", tty ? "\r\033[K" : "", 100.0 * p.fraction, p.text.c_str(),
                     p.seconds, tty ? "" : "\n");
        std::fflush(stderr);
    };
    g_cancel = &feedback.cancelFlag;
    auto previous = std::signal(SIGINT, onStudyInterrupt);
    auto report = runStudy(session, spec, [&](SearchAlgo algo) {
        SearchConfig c = defaultSearchConfig(algo);
        c.gp.population = o.gpPopulation;
        return c;
    }, feedback);
    std::signal(SIGINT, previous);
    g_cancel = nullptr;
    if (!o.quiet && tty) std::fprintf(stderr, "\n");
    if (!report.ok()) return reportError(report.error(), report.error().code == ErrorCode::InvalidArgument ? kExitConfig : kExitInternal);

    const std::string md = studyMarkdown(report.value());
    const std::filesystem::path dir(o.out);
    for (const auto& [name, text] : {std::pair<const char*, std::string>{"summary.md", md},
                                     {"summary.json", studyJson(report.value())},
                                     {"curves.csv", studyCurvesCsv(report.value())}})
        if (auto w = io::writeFileAtomically((dir / name).string(), text); !w.ok()) return reportError(w.error(), kExitConfig);
    if (o.data.json) std::cout << studyJson(report.value()) << "\n";
    else std::cout << md << "\nWritten to " << o.out << " (summary.md, summary.json, curves.csv, one pool file per run)\n";
    return kExitOk;
}

} // namespace

Runner addStudyCommand(CLI::App& root) {
    auto o = std::make_shared<StudyOptions>();
    CLI::App* cmd = root.add_subcommand("study", "Every (algorithm, seed) search at an equal budget, resumable: a summary with 95% intervals over seeds and paired tests between algorithms");
    addDataOptions(*cmd, o->data);
    cmd->add_option("--algos", o->algos, "Comma-separated: gfn, mcts, gp, random")->capture_default_str();
    cmd->add_option("--seeds", o->seeds, "Seeds per algorithm (0, 1, ... from --first-seed)")->capture_default_str()->check(CLI::Range(1, 1000));
    cmd->add_option("--first-seed", o->firstSeed, "The first seed")->capture_default_str();
    cmd->add_option("--budget-evals", o->budgetEvals, "Formula evaluations per run (equal for every search)")->capture_default_str()->check(CLI::PositiveNumber);
    cmd->add_option("--out", o->out, "Folder for the pool files and the summary; a finished run there is not run again")->required();
    cmd->add_option("--gp-population", o->gpPopulation, "GP population")->capture_default_str()->check(CLI::Range(2, 100000));
    cmd->add_flag("--cpu", o->cpu, "Never use CUDA");
    cmd->add_flag("-q,--quiet", o->quiet, "No progress on stderr");
    return [cmd, o]() { return cmd->parsed() ? run(*o) : -1; };
}

} // namespace alphascope::cli

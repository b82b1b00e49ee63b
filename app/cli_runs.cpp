// alphascope-cli runs: the searches' runs recorded in a project file (by `mine --project` or the GUI):
// list them, show one (its curve and last pool), delete one.

#include "app/cli_commands.h"
#include "app/cli_common.h"

#include "core/io/pool_json.h"
#include "core/store/run_store.h"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>

namespace alphascope::cli {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct RunsOptions {
    std::string project;
    bool json = false;
    std::int64_t show = 0;
    std::int64_t remove = 0;
    bool force = false;
};

/// A stored JSON text as JSON (null when empty; the text itself when it does not parse).
nlohmann::json embedded(const std::string& text) {
    if (text.empty()) return nullptr;
    auto j = nlohmann::json::parse(text, nullptr, false);
    return j.is_discarded() ? nlohmann::json(text) : j;
}

nlohmann::json runJson(const RunRecord& r) {
    const RunDataset& d = r.dataset;
    return {{"id", r.id},
            {"algorithm", r.algorithm},
            {"status", std::string(runStatusName(r.status))},
            {"seed", r.seed},
            {"device", r.device},
            {"dataset",
             {{"id", r.datasetId == 0 ? nlohmann::json(nullptr) : nlohmann::json(r.datasetId)},
              {"path", d.path},
              {"sectors", d.sectorsPath},
              {"universe", d.universe},
              {"mask_zero_volume", d.maskZeroVolume},
              {"target", d.target},
              {"splits", embedded(d.splits)}}},
            {"started_at", r.startedAt},
            {"updated_at", r.updatedAt},
            {"ended_at", r.endedAt},
            {"stop_reason", r.stopReason},
            {"error", r.error},
            {"evaluations", r.evaluations},
            {"episodes", r.episodes},
            {"distinct_formulas", r.distinctFormulas},
            {"failed_evaluations", r.failedEvaluations},
            {"seconds", r.seconds},
            {"evaluations_per_second", r.evaluationsPerSecond},
            {"best_valid_ic", number(r.bestValidIc)},
            {"pool_size", r.poolSize},
            {"owner", {{"pid", r.ownerPid}, {"host", r.ownerHost}}}};
}

nlohmann::json snapshotJson(const RunSnapshotRecord& s) {
    return {{"seq", s.seq},
            {"evaluations", s.evaluations},
            {"episodes", s.episodes},
            {"seconds", s.seconds},
            {"pool_size", s.poolSize},
            {"pool_ic", number(s.poolIc)},
            {"pool_valid_ic", number(s.poolValidIc)},
            {"best_ic", number(s.bestIc)},
            {"mean_abs_mutual", number(s.meanAbsMutual)},
            {"reward_mean", number(s.rewardMean)},
            {"reward_best", number(s.rewardBest)},
            {"loss", number(s.loss)},
            {"evaluations_per_second", number(s.evaluationsPerSecond)}};
}

nlohmann::json memberJson(const SnapshotMember& m) {
    return {{"formula", m.formula},
            {"weight", number(m.weight)},
            {"ic", number(m.ic)},
            {"rank_ic", number(m.rankIc)},
            {"valid_ic", number(m.validIc)},
            {"valid_rank_ic", number(m.validRankIc)},
            {"max_abs_corr", number(m.maxAbsCorr)},
            {"max_abs_corr_reference", number(m.maxAbsCorrReference)}};
}

/// A missing run or a refused delete is a bad option value; anything else is the file's fault.
int storeError(const Error& e) {
    return reportError(e,
                       e.code == ErrorCode::NotFound || e.code == ErrorCode::InvalidArgument ? kExitConfig : kExitData);
}

int list(RunStore& store, const RunsOptions& o) {
    auto runs = store.runs();
    if (!runs.ok()) return storeError(runs.error());
    if (o.json) {
        nlohmann::json a = nlohmann::json::array();
        for (const RunRecord& r : runs.value()) a.push_back(runJson(r));
        std::cout << nlohmann::json{{"project", store.path()}, {"runs", a}}.dump(2) << "\n";
        return kExitOk;
    }
    if (runs->empty()) {
        std::printf("No runs in %s\n", store.path().c_str());
        return kExitOk;
    }
    std::printf("%5s  %-7s %-12s %-21s %10s %9s %5s %9s  %s\n", "id", "algo", "status", "started (UTC)", "evals",
                "seconds", "pool", "valid IC", "data");
    for (const RunRecord& r : runs.value())
        std::printf("%5lld  %-7s %-12s %-21s %10lld %9.1f %5d %9s  %s\n", static_cast<long long>(r.id),
                    r.algorithm.c_str(), std::string(runStatusName(r.status)).c_str(), r.startedAt.c_str(),
                    r.evaluations, r.seconds, r.poolSize, fmt(r.bestValidIc, 4).c_str(), r.dataset.path.c_str());
    return kExitOk;
}

/// A finished run's pools (the combined one, the three chosen on valid, the adaptive combination):
/// members and IC / Rank IC per split, from its stored pool file.
void printPools(const std::string& resultJson) {
    const auto combined = readPoolSplits(resultJson, "combined");
    if (!combined.ok() || combined->empty()) return;
    std::printf("\nPools (`export --pool-choice NAME` writes one)\n%-10s %7s", "pool", "members");
    for (const SplitMetrics& m : *combined)
        std::printf(" %11s %12s", (m.name + " IC").c_str(), (m.name + " RankIC").c_str());
    std::printf("\n");
    const auto row = [&](const std::string& name, const std::string& members) {
        std::printf("%-10s %7s", name.c_str(), members.c_str());
        const auto splits = readPoolSplits(resultJson, name);
        for (const SplitMetrics& c : *combined) { // the combined pool's splits are the columns
            const SplitMetrics* m = nullptr;
            if (splits.ok())
                for (const SplitMetrics& s : *splits) m = s.name == c.name ? &s : m;
            std::printf(" %11s %12s", fmt(m ? m->ic : kNaN, 4).c_str(), fmt(m ? m->rankIc : kNaN, 4).c_str());
        }
        std::printf("\n");
    };
    for (PoolChoice choice : {PoolChoice::Combined, PoolChoice::Selected, PoolChoice::Tuned, PoolChoice::Early}) {
        auto members = readPoolFile(resultJson, {}, choice);
        row(std::string(poolChoiceName(choice)), members.ok() ? std::to_string(members->size()) : "-");
    }
    row("adaptive", "-");
}

int show(RunStore& store, const RunsOptions& o) {
    auto found = store.run(o.show);
    if (!found.ok()) return storeError(found.error());
    if (!found->has_value())
        return reportError(makeError(ErrorCode::NotFound, "no run with id " + std::to_string(o.show), store.path()),
                           kExitConfig);
    const RunRecord& r = **found;
    auto snapshots = store.snapshots(r.id);
    if (!snapshots.ok()) return storeError(snapshots.error());
    auto members = store.lastSnapshotMembers(r.id);
    if (!members.ok()) return storeError(members.error());
    if (o.json) {
        nlohmann::json j = runJson(r);
        j["config"] = embedded(r.configJson);
        j["snapshots"] = nlohmann::json::array();
        for (const auto& s : snapshots.value()) j["snapshots"].push_back(snapshotJson(s));
        j["last_members"] = nlohmann::json::array();
        for (const auto& m : members.value()) j["last_members"].push_back(memberJson(m));
        j["result"] = embedded(r.resultJson);
        std::cout << j.dump(2) << "\n";
        return kExitOk;
    }
    std::printf("Run       %lld  %s  seed %llu  device %s\n", static_cast<long long>(r.id), r.algorithm.c_str(),
                static_cast<unsigned long long>(r.seed), r.device.c_str());
    std::printf("Status    %s%s%s\n", std::string(runStatusName(r.status)).c_str(),
                r.stopReason.empty() ? "" : (" (" + r.stopReason + ")").c_str(),
                r.error.empty() ? "" : (": " + r.error).c_str());
    std::printf("Time      started %s, ended %s, %.1f s of search\n", r.startedAt.c_str(),
                r.endedAt.empty() ? "-" : r.endedAt.c_str(), r.seconds);
    std::printf("Owner     pid %lld on %s\n", static_cast<long long>(r.ownerPid), r.ownerHost.c_str());
    std::printf("Data      %s  universe %s%s\n", r.dataset.path.c_str(), r.dataset.universe.c_str(),
                r.dataset.sectorsPath.empty() ? "" : ("  sectors " + r.dataset.sectorsPath).c_str());
    std::printf("Target    %s\n", r.dataset.target.c_str());
    std::printf("Splits    %s\n", r.dataset.splits.c_str());
    std::printf("Work      %lld evaluations (%lld distinct, %lld failed), %lld episodes, %.1f evaluations/s\n",
                r.evaluations, r.distinctFormulas, r.failedEvaluations, r.episodes, r.evaluationsPerSecond);
    std::printf("Pool      %d factors, best combined valid IC %s\n", r.poolSize, fmt(r.bestValidIc, 4).c_str());
    if (!r.resultJson.empty()) printPools(r.resultJson);
    std::printf("\n%5s %9s %10s %5s %9s %9s %9s %9s %10s\n", "seq", "seconds", "evals", "pool", "pool IC", "valid IC",
                "best |IC|", "mutual", "loss");
    for (const auto& s : snapshots.value())
        std::printf("%5d %9.1f %10lld %5d %9s %9s %9s %9s %10s\n", s.seq, s.seconds, s.evaluations, s.poolSize,
                    fmt(s.poolIc).c_str(), fmt(s.poolValidIc).c_str(), fmt(s.bestIc).c_str(),
                    fmt(s.meanAbsMutual, 3).c_str(), fmt(s.loss, 4).c_str());
    if (!members->empty()) {
        std::printf("\nLast snapshot's pool\n%9s %9s %9s  formula\n", "weight", "IC", "valid IC");
        for (const auto& m : members.value())
            std::printf("%9s %9s %9s  %s\n", fmt(m.weight).c_str(), fmt(m.ic).c_str(), fmt(m.validIc).c_str(),
                        m.formula.c_str());
    }
    return kExitOk;
}

int run(const RunsOptions& o) {
    // Listing a file that is not there would create an empty project: refuse instead.
    std::error_code ec;
    if (!std::filesystem::is_regular_file(o.project, ec))
        return reportError(makeError(ErrorCode::NotFound, "no such project file", o.project), kExitData);
    auto opened = RunStore::open(o.project);
    if (!opened.ok()) return reportError(opened.error(), kExitData);
    RunStore& store = *opened.value();
    // Runs left 'running' by a process that died (kill -9, power loss) are shown as interrupted.
    if (auto marked = store.markInterruptedRuns(); !marked.ok()) return storeError(marked.error());
    if (o.remove != 0) {
        if (auto r = store.deleteRun(o.remove, o.force); !r.ok()) return storeError(r.error());
        if (o.json)
            std::cout << nlohmann::json{{"project", store.path()}, {"deleted", o.remove}}.dump(2) << "\n";
        else
            std::printf("Deleted run %lld from %s\n", static_cast<long long>(o.remove), store.path().c_str());
        return kExitOk;
    }
    return o.show != 0 ? show(store, o) : list(store, o);
}

} // namespace

Runner addRunsCommand(CLI::App& root) {
    auto o = std::make_shared<RunsOptions>();
    CLI::App* cmd = root.add_subcommand(
        "runs", "The search runs recorded in a project file (by `mine --project` or the GUI): list them (newest "
                "first), show one with its curve and last pool, or delete one. Runs whose process died are marked "
                "interrupted first.");
    cmd->add_option("--project", o->project, "Project file (.alphascope)")->required();
    cmd->add_flag("--json", o->json, "Write JSON to stdout instead of tables");
    auto* showOpt =
        cmd->add_option("--show", o->show, "Show run ID: its row, snapshots and last pool")->check(CLI::PositiveNumber);
    auto* deleteOpt = cmd->add_option("--delete", o->remove, "Delete run ID with its snapshots")
                          ->check(CLI::PositiveNumber)
                          ->excludes(showOpt);
    cmd->add_flag("--force", o->force,
                  "With --delete: delete a run even though it is marked running (its owner "
                  "may be alive on another host)")
        ->needs(deleteOpt);
    return [cmd, o]() { return cmd->parsed() ? run(*o) : -1; };
}

} // namespace alphascope::cli

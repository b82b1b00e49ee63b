// alphascope-cli export / import: factor sets between a project and files (native JSON, AlphaGen's
// pool, CSV, Qlib expressions, factor values).

#include "app/cli_commands.h"
#include "app/cli_common.h"

#include "core/io/factor_import.h"
#include "core/io/factor_set.h"
#include "core/store/dataset_record_of.h"
#include "core/store/project_store.h"
#include "core/store/run_store.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <sstream>

namespace alphascope::cli {

namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

struct ExportOptions {
    DataOptions data;
    std::string project, pool, format = "native", out, poolChoice = "combined";
    std::vector<std::int64_t> ids;
    std::int64_t run = 0;
};

struct ImportOptions {
    DataOptions data;
    std::string project, file;
    bool dryRun = false;
};

/// The exit code of a core error from these commands.
int exitCodeOf(const Error& e) {
    switch (e.code) {
    case ErrorCode::Parse:
    case ErrorCode::Semantic: return kExitFormula;
    case ErrorCode::Io:
    case ErrorCode::Format: return kExitData;
    case ErrorCode::InvalidArgument:
    case ErrorCode::NotFound: return kExitConfig;
    case ErrorCode::Canceled:
    case ErrorCode::Internal: return kExitInternal;
    }
    return kExitInternal;
}

nlohmann::json metricsJson(const std::vector<FactorSplitRecord>& metrics) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& m : metrics)
        j.push_back({{"split", m.split},
                     {"ic_days", m.icDays},
                     {"ic", number(m.ic)},
                     {"rank_ic", number(m.rankIc)},
                     {"icir", number(m.icir)},
                     {"rank_icir", number(m.rankIcir)},
                     {"coverage", number(m.coverage)},
                     {"turnover", number(m.turnover)},
                     {"autocorrelation", number(m.autocorrelation)}});
    return j;
}

/// The factors to export: a pool or factor-set file, or the project's factors (all, or --ids in order).
Result<FactorSet> selectFactors(const ExportOptions& o) {
    const PoolChoice choice = *poolChoiceNamed(o.poolChoice); // checked by CLI11
    if (!o.pool.empty()) return readFactorSetFile(o.pool, choice);
    if (o.run != 0) {
        // A stored run: its final pool file (finished or stopped runs), else its last snapshot.
        if (!std::filesystem::exists(o.project)) return makeError(ErrorCode::Io, "no such project file", o.project);
        auto runs = RunStore::open(o.project);
        if (!runs.ok()) return runs.error();
        auto run = runs.value()->run(o.run);
        if (!run.ok()) return run.error();
        if (!run.value())
            return makeError(ErrorCode::NotFound, "no run with id " + std::to_string(o.run) + " in the project",
                             o.project);
        FactorSet set;
        if (!run.value()->resultJson.empty()) {
            auto read = readFactorSet(run.value()->resultJson, o.project + " run " + std::to_string(o.run), choice);
            if (!read.ok()) return read.error();
            set = std::move(read.value());
        } else if (choice != PoolChoice::Combined) {
            return makeError(ErrorCode::NotFound,
                             "run " + std::to_string(o.run) + " has no " + o.poolChoice +
                                 " pool: it has not finished (only its last snapshot is stored)",
                             o.project);
        } else {
            auto members = runs.value()->lastSnapshotMembers(o.run);
            if (!members.ok()) return members.error();
            for (const SnapshotMember& m : members.value()) {
                FactorSetMember f;
                f.factor.name = m.formula;
                f.factor.formula = m.formula;
                f.weight = m.weight;
                set.members.push_back(std::move(f));
            }
        }
        set.originRunId = o.run;
        set.searchConfigJson = run.value()->configJson;
        return set;
    }
    if (!std::filesystem::exists(o.project)) return makeError(ErrorCode::Io, "no such project file", o.project);
    auto store = ProjectStore::open(o.project);
    if (!store.ok()) return store.error();
    auto all = store.value()->factors();
    if (!all.ok()) return all.error();
    std::vector<FactorRecord> chosen;
    if (o.ids.empty()) {
        chosen = all.value();
    } else {
        for (std::int64_t id : o.ids) {
            auto it = std::find_if(all->begin(), all->end(), [id](const FactorRecord& f) { return f.id == id; });
            if (it == all->end())
                return makeError(ErrorCode::NotFound, "no factor with id " + std::to_string(id) + " in the project",
                                 o.project);
            chosen.push_back(*it);
        }
    }
    FactorSet set = factorSetOf(chosen);
    // Provenance: the dataset the factors were measured on, when they share one.
    const std::int64_t datasetId = chosen.empty() ? 0 : chosen.front().datasetId;
    const bool shared = std::all_of(chosen.begin(), chosen.end(),
                                    [datasetId](const FactorRecord& f) { return f.datasetId == datasetId; });
    if (datasetId != 0 && shared) {
        auto datasets = store.value()->datasets();
        if (!datasets.ok()) return datasets.error();
        for (const DatasetRecord& d : datasets.value())
            if (d.id == datasetId) set.dataset = datasetOf(d);
    }
    return set;
}

int runExport(const ExportOptions& o) {
    if ((o.project.empty() && o.pool.empty()) || (o.run != 0 && o.project.empty())) {
        std::cerr << "alphascope-cli: error: export needs --project FILE (with --ids or --run) or --pool FILE\n";
        return kExitUsage;
    }
    if (o.poolChoice != "combined" && o.pool.empty() && o.run == 0) {
        std::cerr
            << "alphascope-cli: error: --pool-choice takes one of a search's pools: give --pool FILE or --run ID\n";
        return kExitUsage;
    }
    const FactorSetFormat format = *factorSetFormatNamed(o.format); // checked by CLI11
    auto set = selectFactors(o);
    if (!set.ok()) return reportError(set.error(), exitCodeOf(set.error()));
    if (set->createdAt.empty()) set->createdAt = utcNow();

    std::shared_ptr<const Session> session;
    if (format == FactorSetFormat::Values) {
        int code = kExitOk;
        session = openSession(o.data, code);
        if (!session) return code;
    }
    Feedback feedback;
    auto report = exportFactorSet(set.value(), format, o.out, session.get(), feedback);
    if (!report.ok()) // an Io error here is about the output file, a bad option value
        return reportError(report.error(),
                           report.error().code == ErrorCode::Io ? kExitConfig : exitCodeOf(report.error()));

    if (o.data.json) {
        nlohmann::json flagged = nlohmann::json::array();
        for (const QlibFlag& f : report->flagged)
            flagged.push_back({{"index", f.index},
                               {"name", f.name},
                               {"formula", f.formula},
                               {"uses", f.blocker},
                               {"reason", f.reason}});
        nlohmann::json j = {{"out", o.out},
                            {"format", o.format},
                            {"factors", set->members.size()},
                            {"written", report->written},
                            {"flagged", flagged},
                            {"notes", report->notes}};
        std::cout << j.dump(2) << "\n";
        return kExitOk;
    }
    std::printf("Wrote %d of %zu factors to %s (%s)\n", report->written, set->members.size(), o.out.c_str(),
                o.format.c_str());
    for (const QlibFlag& f : report->flagged)
        std::printf("not expressible in Qlib: %s (uses %s: %s)\n", f.formula.c_str(), f.blocker.c_str(),
                    f.reason.c_str());
    for (const std::string& n : report->notes) std::printf("note: %s\n", n.c_str());
    return kExitOk;
}

int runImport(const ImportOptions& o) {
    std::ifstream in(o.file, std::ios::binary);
    if (!in) return reportError(makeError(ErrorCode::Io, "cannot read the file", o.file), kExitData);
    std::ostringstream text;
    text << in.rdbuf();

    int code = kExitOk;
    auto session = openSession(o.data, code);
    if (!session) return code;
    Feedback feedback;
    auto prepared = prepareFactorImport(text.str(), o.file, *session, feedback);
    if (!prepared.ok()) return reportError(prepared.error(), exitCodeOf(prepared.error()));

    nlohmann::json errors = nlohmann::json::array();
    for (const Error& e : prepared->errors) {
        std::cerr << "alphascope-cli: error: " << e.toString() << "\n";
        errors.push_back({{"where", e.where}, {"message", e.message}, {"column", e.column}});
    }
    std::vector<std::int64_t> ids;
    if (prepared->errors.empty() && !o.dryRun) {
        // Only now is the project touched: a failed import leaves it (or its absence) as it was.
        auto store = ProjectStore::open(o.project);
        if (!store.ok()) return reportError(store.error(), kExitConfig);
        auto datasetId = store.value()->upsertDataset(datasetRecordOf(*session));
        if (!datasetId.ok()) return reportError(datasetId.error(), kExitConfig);
        for (FactorRecord& r : prepared->records) r.datasetId = datasetId.value();
        auto added = store.value()->addFactors(prepared->records);
        if (!added.ok()) return reportError(added.error(), kExitConfig);
        ids = std::move(added.value());
    }
    const std::size_t total = prepared->set.members.size();
    if (!prepared->errors.empty())
        std::cerr << "alphascope-cli: nothing was imported: " << prepared->errors.size() << " of " << total
                  << " formulas cannot be imported\n";

    if (o.data.json) {
        nlohmann::json imported = nlohmann::json::array();
        for (std::size_t k = 0; k < prepared->records.size(); ++k) {
            const FactorRecord& r = prepared->records[k];
            imported.push_back({{"id", k < ids.size() ? nlohmann::json(ids[k]) : nlohmann::json(nullptr)},
                                {"name", r.name},
                                {"formula", r.formula},
                                {"weight", number(prepared->set.members[k].weight)},
                                {"metrics", metricsJson(r.metrics)}});
        }
        nlohmann::json j = {{"file", o.file},   {"project", o.project}, {"dry_run", o.dryRun},
                            {"factors", total}, {"imported", imported}, {"errors", errors}};
        if (!prepared->errors.empty()) j["imported"] = nlohmann::json::array();
        std::cout << j.dump(2) << "\n";
    } else if (prepared->errors.empty()) {
        std::printf("%s %zu factors from %s%s%s\n", o.dryRun ? "Checked" : "Imported", prepared->records.size(),
                    o.file.c_str(), o.dryRun ? "" : " into ", o.dryRun ? "" : o.project.c_str());
        std::printf("%6s %9s %9s  %s\n", "id", "IC", "RankIC", "formula");
        for (std::size_t k = 0; k < prepared->records.size(); ++k) {
            const FactorRecord& r = prepared->records[k];
            const FactorSplitRecord* first = r.metrics.empty() ? nullptr : &r.metrics.front();
            std::printf("%6s %9s %9s  %s\n", k < ids.size() ? std::to_string(ids[k]).c_str() : "-",
                        fmt(first ? first->ic : kMissing, 5).c_str(), fmt(first ? first->rankIc : kMissing, 5).c_str(),
                        r.formula.c_str());
        }
        if (!prepared->records.empty() && !prepared->records.front().metrics.empty())
            std::printf("(IC and Rank IC on the %s split)\n", prepared->records.front().metrics.front().split.c_str());
    }
    return prepared->errors.empty() ? kExitOk : kExitFormula;
}

} // namespace

Runner addExportCommand(CLI::App& root) {
    auto o = std::make_shared<ExportOptions>();
    CLI::App* cmd = root.add_subcommand(
        "export", "Write a project's factors (or a pool file's) as a factor set: native JSON, AlphaGen pool, CSV "
                  "of metrics, Qlib expressions, or factor values (long CSV, evaluated on the data options)");
    addDataOptions(*cmd, o->data);
    cmd->add_option("--project", o->project, "AlphaScope project file to read the factors from");
    auto* ids = cmd->add_option("--ids", o->ids, "Factor ids to export, e.g. 1,2,3 (default: all)")->delimiter(',');
    auto* pool =
        cmd->add_option("--pool", o->pool, "Export the factors of this pool or factor-set file instead of a project");
    auto* run = cmd->add_option("--run", o->run, "Export the pool of this stored search run (with --project)");
    ids->excludes(pool);
    run->excludes(pool);
    run->excludes(ids);
    cmd->add_option("--pool-choice", o->poolChoice,
                    "Which of a search's pools (with --pool or --run): combined (every member, weights fitted on "
                    "train), selected (the members whose valid IC has their train IC's sign, refitted), tuned (the "
                    "L1 strength chosen on valid) or early (the pool early stopping on valid kept)")
        ->capture_default_str()
        ->check(CLI::IsMember({"combined", "selected", "tuned", "early"}));
    cmd->add_option("--format", o->format, "native | alphagen | csv | qlib | values | worldquant")
        ->capture_default_str()
        ->check(CLI::IsMember({"native", "alphagen", "csv", "qlib", "values", "worldquant"}));
    cmd->add_option("--out,-o", o->out, "Output file (replaced only when complete)")->required();
    return [cmd, o]() { return cmd->parsed() ? runExport(*o) : -1; };
}

Runner addImportCommand(CLI::App& root) {
    auto o = std::make_shared<ImportOptions>();
    CLI::App* cmd = root.add_subcommand(
        "import", "Import a factor set (native JSON, search pool or AlphaGen pool) into a project: every formula "
                  "is re-parsed and measured on the data options first; any error (with its line) imports nothing");
    addDataOptions(*cmd, o->data);
    cmd->add_option("--project", o->project, "AlphaScope project file (created when missing)")->required();
    cmd->add_flag("--dry-run", o->dryRun, "Check and measure the factors, write nothing");
    cmd->add_option("file", o->file, "Factor-set file")->required();
    return [cmd, o]() { return cmd->parsed() ? runImport(*o) : -1; };
}

} // namespace alphascope::cli

#pragma once
// ProjectStore: one AlphaScope project file (SQLite): datasets used, saved factors with their metrics,
// project key/values (ARCHITECTURE.md §5). SQLite stays behind the pimpl.

#include "core/store/graph_fit_record.h"
#include "core/util/result.h"

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace alphascope {

/// A dataset the project has used; (path, universe) identifies it.
struct DatasetRecord {
    std::int64_t id = 0;
    std::string name, path, sectorsPath, universe, target, splits /*JSON text*/;
    int instruments = 0, days = 0;
    std::string firstDate, lastDate;
    std::int64_t lastOpened = 0; ///< unix seconds; 0 = now (set by upsertDataset)
};

/// Metrics of a saved factor on one split; NaN allowed (stored as NULL).
struct FactorSplitRecord {
    std::string split;
    int icDays = 0;
    double ic = kNaN, rankIc = kNaN, icir = kNaN, rankIcir = kNaN, coverage = kNaN, turnover = kNaN,
           autocorrelation = kNaN;

private:
    static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
};

/// A saved factor with its metrics per split (in the order given).
struct FactorRecord {
    std::int64_t id = 0;
    std::string name, formula, notes;
    std::int64_t datasetId = 0;   ///< 0 = none
    std::int64_t originRunId = 0; ///< the search run whose pool it was saved from (RunStore); 0 = none
    std::string createdAt;        ///< ISO 8601 UTC ("2026-11-21T10:00:00Z"), set by addFactor when empty
    std::vector<FactorSplitRecord> metrics;
};

/// One project file. One connection: use an object from one thread at a time; other threads open their own.
/// Every write is one transaction: on error the file is left as it was. Errors carry the file path in
/// `where`.
class ProjectStore {
public:
    /// Opens or creates the file and migrates it to the latest schema (WAL, foreign keys on). A file
    /// that is not an AlphaScope project, or was written by a newer schema, is refused and left untouched.
    static Result<std::unique_ptr<ProjectStore>> open(const std::string& path);
    /// The schema version this build writes.
    static int latestSchemaVersion();

    ~ProjectStore();
    ProjectStore(const ProjectStore&) = delete;
    ProjectStore& operator=(const ProjectStore&) = delete;

    const std::string& path() const;
    /// Schema version of the open file (latestSchemaVersion() once open).
    int schemaVersion() const;

    /// Same (path, universe) -> that row is updated and keeps its id; otherwise inserted. The input id is
    /// ignored.
    Result<std::int64_t> upsertDataset(const DatasetRecord& dataset);
    /// Most recently opened first.
    Result<std::vector<DatasetRecord>> datasets() const;

    /// Inserts a factor and its metrics; id != 0 re-inserts with that id (undo of a delete). Ids of
    /// removed factors are never handed out again, so such an undo cannot collide. An originRunId whose
    /// run is gone is stored as none: what deleting that run would have done to the factor.
    Result<std::int64_t> addFactor(const FactorRecord& factor);
    /// Inserts several factors (as addFactor each) in one transaction: all or none. Returns their ids in
    /// the order given; an error names the factor (1-based) that failed.
    Result<std::vector<std::int64_t>> addFactors(const std::vector<FactorRecord>& factors);
    /// Replaces name, formula, notes, origin run and metrics of the factor with factor.id (NotFound if
    /// none).
    Result<void> updateFactor(const FactorRecord& factor);
    /// Removes a factor and its metrics (NotFound if none).
    Result<void> removeFactor(std::int64_t id);
    Result<std::optional<FactorRecord>> factor(std::int64_t id) const;
    /// Oldest first (by id), with metrics.
    Result<std::vector<FactorRecord>> factors() const;

    /// Writes a copy of the whole project to `path` (SQLite backup API), replacing what is there.
    Result<void> saveAs(const std::string& path) const;

    /// Stores a fit of the market hierarchy made on `data` (dataset `datasetId`), keeping that
    /// dataset's kGraphFitsKept latest fits. One transaction.
    Result<std::int64_t> addGraphFit(std::int64_t datasetId, const std::string& method, const graph::HierarchyFit& fit,
                                     const MarketData& data);
    /// The dataset's latest fit that still fits `data` (same instruments, days and window dates: a
    /// dataset changed under its path makes its fits stale, and they are skipped); nullopt when none.
    /// Format error for a damaged row.
    Result<std::optional<GraphFitRecord>> latestGraphFit(std::int64_t datasetId, const MarketData& data) const;
    static constexpr int kGraphFitsKept = 5;

    /// Project-scoped key/value (settings that travel with the project).
    Result<void> setValue(const std::string& key, const std::string& value);
    Result<std::optional<std::string>> value(const std::string& key) const;

private:
    struct Impl;
    explicit ProjectStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace alphascope

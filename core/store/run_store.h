#pragma once
// RunStore: the searches' runs in a project file (ARCHITECTURE.md §5): one row per run written before
// the search starts, snapshots of the monitor's figures and of the pool appended as it goes, the final
// counters and pool file at the end. Its own SQLite connection, so that a search thread writes through
// one RunStore while the GUI thread reads through ProjectStore or another RunStore.

#include "core/search/search.h"
#include "core/util/result.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace alphascope {

/// Where a run stands. Interrupted: its process died without finishing it (see markInterruptedRuns).
enum class RunStatus { Running, Finished, Canceled, Failed, Interrupted };
/// "running", "finished", "canceled", "failed", "interrupted" (the stored text).
std::string_view runStatusName(RunStatus status);
std::optional<RunStatus> parseRunStatus(std::string_view name);

/// What a run searched on, stored with the run (not only as a dataset id), so that the run can be
/// repeated from its row alone even after the dataset row is gone.
struct RunDataset {
    std::string path;        ///< the long CSV or Qlib folder
    std::string sectorsPath; ///< groups CSV; empty = none
    std::string universe;
    bool maskZeroVolume = false;
    std::string target; ///< target formula
    std::string splits; ///< split ranges as text, e.g. JSON [{"name":"train","first":...,"last":...}]
};

/// One search run as stored.
struct RunRecord {
    std::int64_t id = 0;
    std::string algorithm;      ///< "gfn", "mcts", "gp", "random", ...
    std::string configJson;     ///< searchConfigToJson's text
    std::uint64_t seed = 0;     ///< stored as the same 64 bits in a signed column
    std::string device;         ///< "CPU", "CUDA (...)"; replaced by the result's at finishRun
    std::int64_t datasetId = 0; ///< 0 = none (or its dataset row was deleted)
    RunDataset dataset;
    RunStatus status = RunStatus::Running;
    std::string startedAt;  ///< ISO 8601 UTC; createRun sets it when empty
    std::string updatedAt;  ///< last write of the run (creation, snapshot, end)
    std::string endedAt;    ///< empty while running; for an interrupted run its last update
    std::string stopReason; ///< SearchResult::stopReason, "interrupted", ...
    std::string error;      ///< why it failed or was interrupted
    long long evaluations = 0, episodes = 0, distinctFormulas = 0, failedEvaluations = 0;
    double seconds = 0.0, evaluationsPerSecond = 0.0;
    double bestValidIc = kNaNd; ///< best combined (pool) validation IC seen
    int poolSize = 0;
    std::int64_t ownerPid = 0; ///< the process that runs it; createRun: 0 = this process
    std::string ownerHost;     ///< its host name; createRun: empty = this host
    std::string resultJson;    ///< the final pool file text (may be empty); runs() leaves it empty
};

/// The monitor's figures at one snapshot of a run (the curves); members are read separately.
struct RunSnapshotRecord {
    int seq = 0; ///< 1, 2, ... per run
    long long evaluations = 0, episodes = 0;
    double seconds = 0.0;
    int poolSize = 0;
    double poolIc = kNaNd, poolValidIc = kNaNd, bestIc = kNaNd, meanAbsMutual = kNaNd;
    double rewardMean = kNaNd, rewardBest = kNaNd, loss = kNaNd, evaluationsPerSecond = kNaNd;
};

/// The runs of one project file through one connection: use an object from one thread at a time (the
/// search thread writes through its own object; readers open theirs). Every write is one transaction.
/// NaN is stored as NULL and read back as NaN. Errors carry the file path in `where`.
class RunStore {
public:
    /// Any thread. Opens or creates the file and migrates it like ProjectStore::open (WAL, foreign keys,
    /// busy timeout); foreign and newer files are refused untouched.
    static Result<std::unique_ptr<RunStore>> open(const std::string& path);

    ~RunStore();
    RunStore(const RunStore&) = delete;
    RunStore& operator=(const RunStore&) = delete;

    const std::string& path() const;

    /// Inserts a run with status running before its search starts; returns its id. The input id,
    /// status, end and counters are ignored; ownerPid 0 / ownerHost empty stand for this process and
    /// host. A datasetId not in the project is NotFound.
    Result<std::int64_t> createRun(const RunRecord& run);
    /// Appends one snapshot (figures and members, one transaction) and updates the run's counters;
    /// returns its seq. The pool's own figures (evaluations, episodes, seconds, pool IC, validation IC,
    /// diversity, size) come from `pool`, the others (best IC, rewards, loss, rate) from `progress`.
    /// NotFound when the run is gone.
    Result<int> appendSnapshot(std::int64_t runId, const SearchProgress& progress, const PoolSnapshot& pool);
    /// Ends a run: `status` Finished, Canceled or Failed; counters, device and stop reason from
    /// `result`; `resultJson` (the pool file text) kept as is.
    Result<void> finishRun(std::int64_t runId, const SearchResult& result, RunStatus status,
                           const std::string& resultJson);
    /// Ends a run as failed with `message`; its counters stay those of its last snapshot.
    Result<void> failRun(std::int64_t runId, const std::string& message);

    /// Newest first, without resultJson (read one run for it).
    Result<std::vector<RunRecord>> runs() const;
    Result<std::optional<RunRecord>> run(std::int64_t id) const;
    /// The run's snapshots' figures, oldest first (empty for an unknown run).
    Result<std::vector<RunSnapshotRecord>> snapshots(std::int64_t runId) const;
    /// The pool at snapshot `seq`, in pool order; NotFound when there is no such snapshot.
    Result<std::vector<SnapshotMember>> members(std::int64_t runId, int seq) const;
    /// The pool at the run's last snapshot; empty when it has none.
    Result<std::vector<SnapshotMember>> lastSnapshotMembers(std::int64_t runId) const;

    /// Removes a run with its snapshots; factors saved from it keep their rows and lose the link.
    /// A run still marked running is refused (InvalidArgument) unless `evenIfRunning`: its owner may be
    /// alive on another host. NotFound when there is no such run.
    Result<void> deleteRun(std::int64_t id, bool evenIfRunning = false);

    /// Marks interrupted the runs still 'running' whose owner process is gone: owned by this host
    /// (ownerHost == hostName()) and kill(pid, 0) fails with ESRCH. Another host's runs are left alone
    /// (their pids mean nothing here); so is a pid reused by a live process until that one ends, and
    /// an unreaped (zombie) child still counts as alive. Returns how many rows changed.
    Result<int> markInterruptedRuns();

    /// This machine's host name as stored in ownerHost.
    static std::string hostName();

private:
    struct Impl;
    explicit RunStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace alphascope

#include "core/store/run_store.h"

#include "core/store/schema.h"
#include "core/store/sqlite_statement.h"

#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <ctime>
#include <iterator>
#include <utility>

namespace alphascope {

namespace {

using sql::guarded;
using sql::Statement;
using sql::StoreError;
using sql::Transaction;

constexpr std::string_view kStatusNames[] = {"running", "finished", "canceled", "failed", "interrupted"};

// Every column but result_json, which runs() leaves out (a pool file can be large) and run() adds last.
constexpr const char* kRunColumns =
    "id, algorithm, config_json, seed, device, dataset_id, data_path, sectors_path, universe, mask_zero_volume, "
    "target, splits, status, started_at, updated_at, ended_at, stop_reason, error, evaluations, episodes, "
    "distinct_formulas, failed_evaluations, seconds, evaluations_per_second, best_valid_ic, pool_size, "
    "owner_pid, owner_host";
constexpr int kResultColumn = 28;

constexpr const char* kMemberColumns =
    "formula, weight, ic, rank_ic, valid_ic, valid_rank_ic, max_abs_corr, max_abs_corr_reference";

// Keeps the larger of the stored best validation IC and a new value; NULL (NaN) never replaces a value.
constexpr const char* kKeepBestValidIc =
    "best_valid_ic = CASE WHEN ?9 IS NULL THEN best_valid_ic "
    "WHEN best_valid_ic IS NULL OR ?9 > best_valid_ic THEN ?9 ELSE best_valid_ic END";

std::string now() {
    return sql::utcTimestamp(std::time(nullptr));
}

RunStatus statusOf(const std::string& text) {
    if (auto s = parseRunStatus(text)) return *s;
    throw StoreError{ErrorCode::Format, "a run has an unknown status '" + text + "'"};
}

RunRecord readRun(const Statement& q, bool withResult) {
    RunRecord r;
    int c = 0;
    r.id = q.int64(c++);
    r.algorithm = q.text(c++);
    r.configJson = q.text(c++);
    r.seed = static_cast<std::uint64_t>(q.int64(c++));
    r.device = q.text(c++);
    r.datasetId = q.isNull(c) ? 0 : q.int64(c);
    ++c;
    r.dataset.path = q.text(c++);
    r.dataset.sectorsPath = q.text(c++);
    r.dataset.universe = q.text(c++);
    r.dataset.maskZeroVolume = q.int64(c++) != 0;
    r.dataset.target = q.text(c++);
    r.dataset.splits = q.text(c++);
    r.status = statusOf(q.text(c++));
    r.startedAt = q.text(c++);
    r.updatedAt = q.text(c++);
    r.endedAt = q.text(c++);
    r.stopReason = q.text(c++);
    r.error = q.text(c++);
    r.evaluations = q.int64(c++);
    r.episodes = q.int64(c++);
    r.distinctFormulas = q.int64(c++);
    r.failedEvaluations = q.int64(c++);
    r.seconds = q.real(c++);
    r.evaluationsPerSecond = q.real(c++);
    r.bestValidIc = q.real(c++);
    r.poolSize = q.integer(c++);
    r.ownerPid = q.int64(c++);
    r.ownerHost = q.text(c++);
    if (withResult) r.resultJson = q.text(kResultColumn);
    return r;
}

SnapshotMember readMember(const Statement& q) {
    SnapshotMember m;
    m.formula = q.text(0);
    m.weight = q.real(1);
    m.ic = q.real(2);
    m.rankIc = q.real(3);
    m.validIc = q.real(4);
    m.validRankIc = q.real(5);
    m.maxAbsCorr = q.real(6);
    m.maxAbsCorrReference = q.real(7);
    return m;
}

/// The combined validation IC of a result: the split named "valid", as the search's own choice
/// (validationSplit) prefers; NaN without one.
double validIcOf(const SearchResult& result) {
    for (const SplitMetrics& m : result.combined)
        if (m.name == "valid") return m.ic;
    return kNaNd;
}

/// kill(pid, 0): ESRCH means no such process; EPERM means one exists that we may not signal.
bool processIsGone(std::int64_t pid) {
    if (pid <= 0 || pid > std::int64_t(INT32_MAX)) return false; // not a pid we wrote: leave it alone
    return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

} // namespace

std::string_view runStatusName(RunStatus status) {
    return kStatusNames[static_cast<int>(status)];
}

std::optional<RunStatus> parseRunStatus(std::string_view name) {
    for (int k = 0; k < int(std::size(kStatusNames)); ++k)
        if (kStatusNames[k] == name) return static_cast<RunStatus>(k);
    return std::nullopt;
}

struct RunStore::Impl {
    std::string path;
    sqlite3* db = nullptr;
    int version = 0;

    ~Impl() { sqlite3_close_v2(db); }
};

RunStore::RunStore(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
RunStore::~RunStore() = default;

const std::string& RunStore::path() const {
    return m_impl->path;
}

std::string RunStore::hostName() {
    char name[256] = {};
    if (gethostname(name, sizeof name - 1) != 0) return "localhost";
    return name;
}

Result<std::unique_ptr<RunStore>> RunStore::open(const std::string& path) {
    if (path.empty()) return makeError(ErrorCode::InvalidArgument, "no project file given");
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    Impl* p = impl.get();
    auto opened = guarded(path, [p] {
        p->db = sql::openProject(p->path, p->version);
        // WAL with synchronous NORMAL: a commit is not fsynced (a checkpoint is). A killed process loses
        // nothing committed and the file stays consistent; only a power cut may take back the last few
        // snapshots. Snapshots are written every few seconds for hours, so this connection trades that
        // for a write that does not wait on the disk; ProjectStore's connection keeps FULL.
        sql::exec(p->db, "PRAGMA synchronous = NORMAL");
    });
    if (!opened.ok()) return opened.error();
    return std::unique_ptr<RunStore>(new RunStore(std::move(impl)));
}

Result<std::int64_t> RunStore::createRun(const RunRecord& r) {
    sqlite3* db = m_impl->db;
    return guarded(m_impl->path, [&] {
        if (r.algorithm.empty()) throw StoreError{ErrorCode::InvalidArgument, "a run needs its algorithm's name"};
        Transaction tx(db);
        Statement q(db, "INSERT INTO runs (algorithm, config_json, seed, device, dataset_id, data_path, sectors_path, "
                        "universe, mask_zero_volume, target, splits, status, started_at, updated_at, owner_pid, "
                        "owner_host) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'running', ?12, ?13, "
                        "?14, ?15)");
        q.bind(1, r.algorithm).bind(2, r.configJson).bind(3, static_cast<std::int64_t>(r.seed)).bind(4, r.device);
        if (r.datasetId == 0) {
            q.bindNull(5);
        } else {
            Statement exists(db, "SELECT 1 FROM datasets WHERE id = ?1");
            if (!exists.bind(1, r.datasetId).step())
                throw StoreError{ErrorCode::NotFound,
                                 "no dataset with id " + std::to_string(r.datasetId) + " in the project"};
            q.bind(5, r.datasetId);
        }
        const RunDataset& d = r.dataset;
        q.bind(6, d.path).bind(7, d.sectorsPath).bind(8, d.universe).bind(9, d.maskZeroVolume ? 1 : 0);
        q.bind(10, d.target).bind(11, d.splits);
        const std::string stamp = now();
        q.bind(12, r.startedAt.empty() ? stamp : r.startedAt).bind(13, stamp);
        q.bind(14, r.ownerPid != 0 ? r.ownerPid : static_cast<std::int64_t>(getpid()));
        q.bind(15, r.ownerHost.empty() ? hostName() : r.ownerHost);
        q.run();
        const std::int64_t id = sqlite3_last_insert_rowid(db);
        tx.commit();
        return id;
    });
}

Result<int> RunStore::appendSnapshot(std::int64_t runId, const SearchProgress& progress, const PoolSnapshot& pool) {
    sqlite3* db = m_impl->db;
    return guarded(m_impl->path, [&] {
        Transaction tx(db);
        const int poolSize = static_cast<int>(pool.members.size());
        // A progress report may predate the snapshot; the rate over the run so far is the same figure.
        const double rate = progress.evaluationsPerSecond > 0.0 ? progress.evaluationsPerSecond
                            : pool.seconds > 0.0                ? double(pool.evaluations) / pool.seconds
                                                                : 0.0;
        Statement run(db, std::string("UPDATE runs SET evaluations = ?2, episodes = ?3, seconds = ?4, "
                                      "evaluations_per_second = ?5, pool_size = ?6, updated_at = ?7, ") +
                              kKeepBestValidIc + " WHERE id = ?1");
        run.bind(1, runId).bind(2, static_cast<std::int64_t>(pool.evaluations));
        run.bind(3, static_cast<std::int64_t>(pool.episodes)).bind(4, pool.seconds).bind(5, rate);
        run.bind(6, poolSize).bind(7, now()).bind(9, pool.poolValidIc);
        run.run();
        if (sqlite3_changes(db) == 0)
            throw StoreError{ErrorCode::NotFound, "no run with id " + std::to_string(runId) + " in the project"};

        Statement next(db, "SELECT coalesce(max(seq), 0) + 1 FROM run_snapshots WHERE run_id = ?1");
        next.bind(1, runId).step();
        const int seq = next.integer(0);
        Statement q(db, "INSERT INTO run_snapshots (run_id, seq, evaluations, episodes, seconds, pool_size, pool_ic, "
                        "pool_valid_ic, best_ic, mean_abs_mutual, reward_mean, reward_best, loss, "
                        "evaluations_per_second) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
        q.bind(1, runId).bind(2, seq).bind(3, static_cast<std::int64_t>(pool.evaluations));
        q.bind(4, static_cast<std::int64_t>(pool.episodes)).bind(5, pool.seconds).bind(6, poolSize);
        q.bind(7, pool.poolIc).bind(8, pool.poolValidIc).bind(9, progress.bestIc).bind(10, pool.meanAbsMutual);
        q.bind(11, progress.rewardMean).bind(12, progress.rewardBest).bind(13, progress.loss).bind(14, rate);
        q.run();

        Statement m(db, std::string("INSERT INTO run_members (run_id, seq, position, ") + kMemberColumns +
                            ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
        for (int k = 0; k < poolSize; ++k) {
            const SnapshotMember& s = pool.members[static_cast<std::size_t>(k)];
            m.reset();
            m.bind(1, runId).bind(2, seq).bind(3, k).bind(4, s.formula).bind(5, s.weight).bind(6, s.ic);
            m.bind(7, s.rankIc).bind(8, s.validIc).bind(9, s.validRankIc).bind(10, s.maxAbsCorr);
            m.bind(11, s.maxAbsCorrReference);
            m.run();
        }
        tx.commit();
        return seq;
    });
}

Result<void> RunStore::finishRun(std::int64_t runId, const SearchResult& result, RunStatus status,
                                 const std::string& resultJson) {
    sqlite3* db = m_impl->db;
    return guarded(m_impl->path, [&] {
        if (status == RunStatus::Running || status == RunStatus::Interrupted)
            throw StoreError{ErrorCode::InvalidArgument,
                             "a run ends as finished, canceled or failed, not " + std::string(runStatusName(status))};
        Transaction tx(db);
        const std::string stamp = now();
        Statement q(db, std::string("UPDATE runs SET status = ?2, ended_at = ?3, updated_at = ?3, stop_reason = ?4, "
                                    "device = CASE WHEN ?5 = '' THEN device ELSE ?5 END, evaluations = ?6, "
                                    "episodes = ?7, distinct_formulas = ?8, failed_evaluations = ?10, seconds = ?11, "
                                    "evaluations_per_second = ?12, pool_size = ?13, result_json = ?14, ") +
                            kKeepBestValidIc + " WHERE id = ?1");
        q.bind(1, runId).bind(2, runStatusName(status)).bind(3, stamp).bind(4, result.stopReason);
        q.bind(5, result.device).bind(6, static_cast<std::int64_t>(result.evaluations));
        q.bind(7, static_cast<std::int64_t>(result.episodes));
        q.bind(8, static_cast<std::int64_t>(result.distinctFormulas)).bind(9, validIcOf(result));
        q.bind(10, static_cast<std::int64_t>(result.failedEvaluations)).bind(11, result.seconds);
        q.bind(12, result.evaluationsPerSecond).bind(13, static_cast<int>(result.pool.size()));
        q.bind(14, resultJson);
        q.run();
        if (sqlite3_changes(db) == 0)
            throw StoreError{ErrorCode::NotFound, "no run with id " + std::to_string(runId) + " in the project"};
        tx.commit();
    });
}

Result<void> RunStore::failRun(std::int64_t runId, const std::string& message) {
    sqlite3* db = m_impl->db;
    return guarded(m_impl->path, [&] {
        Transaction tx(db);
        Statement q(db, "UPDATE runs SET status = 'failed', error = ?2, stop_reason = 'failed', ended_at = ?3, "
                        "updated_at = ?3 WHERE id = ?1");
        q.bind(1, runId).bind(2, message).bind(3, now()).run();
        if (sqlite3_changes(db) == 0)
            throw StoreError{ErrorCode::NotFound, "no run with id " + std::to_string(runId) + " in the project"};
        tx.commit();
    });
}

Result<std::vector<RunRecord>> RunStore::runs() const {
    sqlite3* db = m_impl->db;
    return guarded(m_impl->path, [&] {
        Statement q(db, std::string("SELECT ") + kRunColumns + " FROM runs ORDER BY id DESC");
        std::vector<RunRecord> out;
        while (q.step()) out.push_back(readRun(q, false));
        return out;
    });
}

Result<std::optional<RunRecord>> RunStore::run(std::int64_t id) const {
    sqlite3* db = m_impl->db;
    return guarded(m_impl->path, [&] {
        Statement q(db, std::string("SELECT ") + kRunColumns + ", result_json FROM runs WHERE id = ?1");
        if (!q.bind(1, id).step()) return std::optional<RunRecord>();
        return std::optional<RunRecord>(readRun(q, true));
    });
}

Result<std::vector<RunSnapshotRecord>> RunStore::snapshots(std::int64_t runId) const {
    sqlite3* db = m_impl->db;
    return guarded(m_impl->path, [&] {
        Statement q(db, "SELECT seq, evaluations, episodes, seconds, pool_size, pool_ic, pool_valid_ic, best_ic, "
                        "mean_abs_mutual, reward_mean, reward_best, loss, evaluations_per_second FROM run_snapshots "
                        "WHERE run_id = ?1 ORDER BY seq");
        q.bind(1, runId);
        std::vector<RunSnapshotRecord> out;
        while (q.step()) {
            RunSnapshotRecord s;
            s.seq = q.integer(0);
            s.evaluations = q.int64(1);
            s.episodes = q.int64(2);
            s.seconds = q.real(3);
            s.poolSize = q.integer(4);
            s.poolIc = q.real(5);
            s.poolValidIc = q.real(6);
            s.bestIc = q.real(7);
            s.meanAbsMutual = q.real(8);
            s.rewardMean = q.real(9);
            s.rewardBest = q.real(10);
            s.loss = q.real(11);
            s.evaluationsPerSecond = q.real(12);
            out.push_back(s);
        }
        return out;
    });
}

Result<std::vector<SnapshotMember>> RunStore::members(std::int64_t runId, int seq) const {
    sqlite3* db = m_impl->db;
    return guarded(m_impl->path, [&] {
        Transaction tx(db, Transaction::Mode::Read); // existence and members from one snapshot
        Statement exists(db, "SELECT 1 FROM run_snapshots WHERE run_id = ?1 AND seq = ?2");
        if (!exists.bind(1, runId).bind(2, seq).step())
            throw StoreError{ErrorCode::NotFound,
                             "run " + std::to_string(runId) + " has no snapshot " + std::to_string(seq)};
        Statement q(db, std::string("SELECT ") + kMemberColumns +
                            " FROM run_members WHERE run_id = ?1 AND seq = ?2 ORDER BY position");
        q.bind(1, runId).bind(2, seq);
        std::vector<SnapshotMember> out;
        while (q.step()) out.push_back(readMember(q));
        tx.commit();
        return out;
    });
}

Result<std::vector<SnapshotMember>> RunStore::lastSnapshotMembers(std::int64_t runId) const {
    sqlite3* db = m_impl->db;
    return guarded(m_impl->path, [&] {
        Statement q(db, std::string("SELECT ") + kMemberColumns +
                            " FROM run_members WHERE run_id = ?1 AND seq = (SELECT max(seq) FROM run_snapshots "
                            "WHERE run_id = ?1) ORDER BY position");
        q.bind(1, runId);
        std::vector<SnapshotMember> out;
        while (q.step()) out.push_back(readMember(q));
        return out;
    });
}

Result<void> RunStore::deleteRun(std::int64_t id, bool evenIfRunning) {
    sqlite3* db = m_impl->db;
    return guarded(m_impl->path, [&] {
        Transaction tx(db);
        Statement status(db, "SELECT status FROM runs WHERE id = ?1");
        if (!status.bind(1, id).step())
            throw StoreError{ErrorCode::NotFound, "no run with id " + std::to_string(id) + " in the project"};
        if (!evenIfRunning && status.text(0) == runStatusName(RunStatus::Running))
            throw StoreError{ErrorCode::InvalidArgument, "run " + std::to_string(id) +
                                                             " is still running (stop it first; a run whose process "
                                                             "is gone is marked interrupted and can then be deleted)"};
        // Snapshots and members go by ON DELETE CASCADE, factors' origin_run_id by ON DELETE SET NULL.
        Statement q(db, "DELETE FROM runs WHERE id = ?1");
        q.bind(1, id).run();
        tx.commit();
    });
}

Result<int> RunStore::markInterruptedRuns() {
    sqlite3* db = m_impl->db;
    return guarded(m_impl->path, [&] {
        Transaction tx(db);
        Statement q(db, "SELECT id, owner_pid FROM runs WHERE status = 'running' AND owner_host = ?1");
        q.bind(1, hostName());
        std::vector<std::pair<std::int64_t, std::int64_t>> dead;
        while (q.step())
            if (processIsGone(q.int64(1))) dead.emplace_back(q.int64(0), q.int64(1));
        // Its end is unknown; its last write (creation or last snapshot) is the latest moment it was seen.
        Statement mark(db, "UPDATE runs SET status = 'interrupted', stop_reason = 'interrupted', error = ?2, "
                           "ended_at = updated_at WHERE id = ?1 AND status = 'running'");
        int changed = 0;
        for (const auto& [id, pid] : dead) {
            mark.reset();
            mark.bind(1, id).bind(2, "its process (pid " + std::to_string(pid) + " on " + hostName() +
                                         ") ended without finishing the run; its figures are those of its "
                                         "last snapshot");
            mark.run();
            changed += sqlite3_changes(db);
        }
        tx.commit();
        return changed;
    });
}

} // namespace alphascope

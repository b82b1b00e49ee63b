#pragma once
// RunRecorder: records one search run in the project file as it goes. The one road both the CLI's
// `mine --project` and the GUI's search worker take: the run row before the search starts, throttled
// snapshots from SearchFeedback::onSnapshot, the result (or the failure) at the end.

#include "core/search/search.h"
#include "core/store/run_store.h"
#include "core/util/result.h"

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

namespace alphascope {

/// Writes one run through a RunStore the caller keeps open for the recorder's life. Call begin, then
/// snapshot/progress while the search runs, then finish or fail, all from one thread (the search
/// thread); writeCost() from any thread.
class RunRecorder {
public:
    /// How long snapshot writes took (the store's transaction, measured around appendSnapshot).
    struct WriteCost {
        int writes = 0;
        double meanMs = 0.0;
        double maxMs = 0.0;
        double totalMs = 0.0;
    };

    /// Seconds of run time between stored snapshots unless forced: at a few kB a snapshot, one every
    /// 5 s keeps an hour's run under 2 MB while a crash loses at most 5 s of curve.
    static constexpr double kDefaultMinInterval = 5.0;

    explicit RunRecorder(RunStore& store);
    /// A run begun and neither finished nor failed (an exception unwound past it) is recorded failed.
    ~RunRecorder();
    RunRecorder(const RunRecorder&) = delete;
    RunRecorder& operator=(const RunRecorder&) = delete;

    /// At most one snapshot per `seconds` of run time (PoolSnapshot::seconds, paused time excluded);
    /// 0 stores every one.
    void setMinInterval(double seconds) { m_minInterval = seconds < 0.0 ? 0.0 : seconds; }
    double minInterval() const { return m_minInterval; }

    /// Writes the run row (status running, this process and host as owner) before the search starts
    /// and returns its id. `configJson` is searchConfigToJson's text. InvalidArgument when a run was
    /// already begun by this recorder.
    Result<std::int64_t> begin(const std::string& configJson, std::uint64_t seed, const std::string& algorithm,
                               const std::string& device, const RunDataset& dataset, std::int64_t datasetId = 0);
    /// Stores the snapshot when `force`, when it is the first, or when minInterval() of run time passed
    /// since the last stored one; otherwise keeps it as pending (replacing an older pending one).
    /// Returns whether it was written.
    Result<bool> snapshot(const SearchProgress& progress, const PoolSnapshot& pool, bool force = false);
    /// Writes the pending snapshot once minInterval() passed (for SearchFeedback::onSearchProgress:
    /// snapshots only come when the pool changes, so one held back could otherwise wait for the end).
    /// Returns whether one was written.
    Result<bool> progress(const SearchProgress& progress);
    /// Writes the pending snapshot, then ends the run: canceled when result.canceled, else finished;
    /// `resultJson` is the pool file text (may be empty).
    Result<void> finish(const SearchResult& result, const std::string& resultJson);
    /// Writes the pending snapshot, then ends the run as failed with `message`.
    Result<void> fail(const std::string& message);

    /// The run's id (0 before begin).
    std::int64_t runId() const { return m_runId; }
    /// True between begin and finish/fail.
    bool isRecording() const { return m_recording; }
    /// Any thread.
    WriteCost writeCost() const;

private:
    struct Pending {
        SearchProgress progress;
        PoolSnapshot pool;
    };
    Result<void> write(const SearchProgress& progress, const PoolSnapshot& pool);
    Result<void> flushPending();
    Result<void> requireRecording(const char* what) const;

    RunStore& m_store;
    double m_minInterval = kDefaultMinInterval;
    std::int64_t m_runId = 0;
    bool m_recording = false;
    bool m_wroteAny = false;
    double m_lastWritten = 0.0; ///< run seconds of the last stored snapshot
    std::optional<Pending> m_pending;
    mutable std::mutex m_costMutex; ///< guards m_cost
    WriteCost m_cost;
};

} // namespace alphascope

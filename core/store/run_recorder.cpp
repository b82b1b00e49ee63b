#include "core/store/run_recorder.h"

#include <algorithm>
#include <chrono>
#include <utility>

namespace alphascope {

RunRecorder::RunRecorder(RunStore& store) : m_store(store) {}

RunRecorder::~RunRecorder() {
    // Otherwise the row would stay 'running' under a live process (the GUI) until that process ends.
    if (m_recording) (void)m_store.failRun(m_runId, "the run ended without a result (its recording was abandoned)");
}

Result<void> RunRecorder::requireRecording(const char* what) const {
    if (m_recording) return {};
    return makeError(ErrorCode::InvalidArgument,
                     std::string(what) + ": no run is being recorded (begin was not called, or it ended)",
                     m_store.path());
}

Result<std::int64_t> RunRecorder::begin(const std::string& configJson, std::uint64_t seed, const std::string& algorithm,
                                        const std::string& device, const RunDataset& dataset, std::int64_t datasetId) {
    if (m_runId != 0)
        return makeError(ErrorCode::InvalidArgument, "this recorder already recorded run " + std::to_string(m_runId),
                         m_store.path());
    RunRecord r;
    r.algorithm = algorithm;
    r.configJson = configJson;
    r.seed = seed;
    r.device = device;
    r.dataset = dataset;
    r.datasetId = datasetId;
    auto id = m_store.createRun(r);
    if (!id.ok()) return id.error();
    m_runId = id.value();
    m_recording = true;
    return m_runId;
}

Result<void> RunRecorder::write(const SearchProgress& progress, const PoolSnapshot& pool) {
    const auto start = std::chrono::steady_clock::now();
    auto seq = m_store.appendSnapshot(m_runId, progress, pool);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (!seq.ok()) return seq.error();
    {
        std::lock_guard lock(m_costMutex);
        ++m_cost.writes;
        m_cost.totalMs += ms;
        m_cost.maxMs = std::max(m_cost.maxMs, ms);
        m_cost.meanMs = m_cost.totalMs / m_cost.writes;
    }
    m_wroteAny = true;
    m_lastWritten = pool.seconds;
    return {};
}

Result<void> RunRecorder::flushPending() {
    if (!m_pending) return {};
    Pending p = std::move(*m_pending);
    m_pending.reset();
    return write(p.progress, p.pool);
}

Result<bool> RunRecorder::snapshot(const SearchProgress& progress, const PoolSnapshot& pool, bool force) {
    if (auto ok = requireRecording("snapshot"); !ok.ok()) return ok.error();
    if (!force && m_wroteAny && pool.seconds - m_lastWritten < m_minInterval) {
        m_pending = Pending{progress, pool};
        return false;
    }
    m_pending.reset(); // this one is newer
    if (auto ok = write(progress, pool); !ok.ok()) return ok.error();
    return true;
}

Result<bool> RunRecorder::progress(const SearchProgress& progress) {
    if (auto ok = requireRecording("progress"); !ok.ok()) return ok.error();
    if (!m_pending || progress.seconds - m_lastWritten < m_minInterval) return false;
    if (auto ok = flushPending(); !ok.ok()) return ok.error();
    return true;
}

Result<void> RunRecorder::finish(const SearchResult& result, const std::string& resultJson) {
    if (auto ok = requireRecording("finish"); !ok.ok()) return ok;
    auto flushed = flushPending();
    // The run is ended even when its last snapshot could not be written; the first error is reported.
    auto ended =
        m_store.finishRun(m_runId, result, result.canceled ? RunStatus::Canceled : RunStatus::Finished, resultJson);
    m_recording = false;
    return !flushed.ok() ? flushed : ended;
}

Result<void> RunRecorder::fail(const std::string& message) {
    if (auto ok = requireRecording("fail"); !ok.ok()) return ok;
    auto flushed = flushPending();
    auto ended = m_store.failRun(m_runId, message);
    m_recording = false;
    return !flushed.ok() ? flushed : ended;
}

RunRecorder::WriteCost RunRecorder::writeCost() const {
    std::lock_guard lock(m_costMutex);
    return m_cost;
}

} // namespace alphascope

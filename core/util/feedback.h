#pragma once
// Feedback: the one object every long piece of core work takes (QGIS's QgsFeedback): an atomic
// cancel flag that any thread may set directly, an atomic pause flag, and a throttled progress
// report (fraction 0..1, a line of text, an estimate of the time left). Loads, backtests, library
// jobs and searches all use it; SearchFeedback (core/search/search.h) adds the search's own
// reports on top.

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace alphascope {

/// One progress report of long work.
struct TaskProgress {
    double fraction = 0.0;     ///< 0..1 of the work; negative when unknown
    double seconds = 0.0;      ///< since the work started (paused time excluded)
    double secondsLeft = -1.0; ///< estimate from the rate so far; negative when unknown
    std::string text;          ///< e.g. "reading prices.csv.xz" or "1,200 of 5,000 evaluations"
};

/// Cancel, pause and progress for long work. The worker calls setProgress() and checks
/// canceled() (at least every few hundred milliseconds); any thread may call cancel(), pause()
/// and resume(). Callbacks run on the worker's thread: keep them short.
class Feedback {
public:
    Feedback() : m_start(std::chrono::steady_clock::now()) {}
    virtual ~Feedback() = default;
    Feedback(const Feedback&) = delete;
    Feedback& operator=(const Feedback&) = delete;

    /// Set directly (never through a queue: a busy worker would not see a queued request). APIs
    /// that take `const std::atomic<bool>*` get `&feedback.cancelFlag`.
    std::atomic<bool> cancelFlag{false};
    /// Called with throttled reports (at most one per `progressInterval` seconds, and always for
    /// the final fraction 1).
    std::function<void(const TaskProgress&)> onProgress;
    double progressInterval = 0.1;

    /// Any thread.
    void cancel() { cancelFlag.store(true, std::memory_order_relaxed); }
    bool canceled() const { return cancelFlag.load(std::memory_order_relaxed); }
    /// Any thread. A paused worker waits in waitWhilePaused() until resume() or cancel().
    void pause() { m_paused.store(true, std::memory_order_relaxed); }
    void resume() { m_paused.store(false, std::memory_order_relaxed); }
    bool paused() const { return m_paused.load(std::memory_order_relaxed); }

    /// The worker: blocks while paused (polling every 20 ms) and returns true when it was paused;
    /// the paused time does not count in elapsed().
    bool waitWhilePaused();
    /// Seconds since construction (or restart()), paused time excluded.
    double elapsed() const;
    /// Starts the clock again (when one object is reused for a second piece of work).
    void restart();

    /// The worker: reports progress. `fraction` in 0..1 (negative = unknown); the time left is
    /// estimated from the elapsed time and the fraction done.
    void setProgress(double fraction, std::string_view text = {});
    /// The last fraction given to setProgress (0 before any).
    double fraction() const { return m_fraction.load(std::memory_order_relaxed); }

private:
    std::atomic<bool> m_paused{false};
    std::atomic<double> m_fraction{0.0};
    std::chrono::steady_clock::time_point m_start;
    double m_pausedSeconds = 0.0;
    double m_lastReport = -1e9;
    mutable std::mutex m_mutex; ///< guards m_start, m_pausedSeconds and m_lastReport
};

} // namespace alphascope

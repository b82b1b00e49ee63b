#pragma once
// The search worker (ARCHITECTURE.md §4): a QObject living on its own QThread that runs core's
// runSearch() and records the run in the project through its own RunStore connection. Cancel and
// pause are direct atomic stores on the shared SearchFeedback (a queued slot would never run while
// the worker is busy); progress, snapshots and the result come back as queued signals carrying
// plain value types. Exceptions become the failed() signal at the thread boundary.
//
// A second Start while a search runs is refused (SearchController::start returns false with the
// reason): one search at a time keeps the 2-core machines the workbench targets responsive, and a
// queue of long runs is better served by `alphascope-cli mine --project` on a server.

#include "core/search/search.h"

#include <QObject>
#include <QThread>

#include <memory>
#include <string>
#include <vector>

namespace alphascope::ui {

/// Everything one search needs; copied into the worker.
struct SearchRequest {
    SearchConfig config;
    std::shared_ptr<const ResearchSession> session;
    std::string projectPath; ///< empty: the run is not recorded
    std::int64_t datasetId = 0;
    std::vector<std::string> libraryFormulas; ///< compared with each pool member (BRAIN's self-correlation)
    double snapshotSeconds = 5.0;             ///< between stored snapshots
};

/// Lives on the controller's thread; use it through SearchController.
class SearchWorker : public QObject {
    Q_OBJECT
public:
    explicit SearchWorker(std::shared_ptr<SearchFeedback> feedback) : m_feedback(std::move(feedback)) {}

public Q_SLOTS:
    void run(const alphascope::ui::SearchRequest& request);

Q_SIGNALS:
    /// The run row was written (runId 0 when not recorded) and the search begins.
    void started(qint64 runId, const QString& device);
    void progress(const alphascope::SearchProgress& progress);
    void snapshot(const alphascope::PoolSnapshot& snapshot);
    void finished(const alphascope::SearchResult& result, qint64 runId);
    void failed(const QString& message, qint64 runId);
    /// A non-fatal problem (e.g. a snapshot could not be stored).
    void warning(const QString& message);

private:
    std::shared_ptr<SearchFeedback> m_feedback;
};

/// Owns the worker thread; GUI thread only.
class SearchController : public QObject {
    Q_OBJECT
public:
    explicit SearchController(QObject* parent = nullptr);
    ~SearchController() override;

    /// Starts a search; false (and `why`) when one is running or the config is invalid.
    bool start(const SearchRequest& request, QString* why = nullptr);
    bool isRunning() const { return m_running; }
    bool isPaused() const { return m_feedback && m_feedback->paused(); }
    /// Direct atomic stores; any time.
    void cancel();
    void pause();
    void resume();
    /// The run being recorded (0 when none).
    qint64 runId() const { return m_runId; }

Q_SIGNALS:
    void started(qint64 runId, const QString& device);
    void progress(const alphascope::SearchProgress& progress);
    void snapshot(const alphascope::PoolSnapshot& snapshot);
    void finished(const alphascope::SearchResult& result, qint64 runId);
    void failed(const QString& message, qint64 runId);
    void warning(const QString& message);
    /// Running, paused or idle changed.
    void stateChanged();

private:
    QThread m_thread;
    std::shared_ptr<SearchFeedback> m_feedback;
    SearchWorker* m_worker = nullptr;
    qint64 m_runId = 0;
    bool m_running = false;
};

} // namespace alphascope::ui

Q_DECLARE_METATYPE(alphascope::ui::SearchRequest)
Q_DECLARE_METATYPE(alphascope::SearchProgress)
Q_DECLARE_METATYPE(alphascope::PoolSnapshot)
Q_DECLARE_METATYPE(alphascope::SearchResult)

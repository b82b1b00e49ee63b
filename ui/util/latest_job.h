#pragma once
// LatestJob<T>: the "latest job wins" pattern of the workbench in one place. start() runs a core
// call on Qt's thread pool with a fresh Feedback, cancels the job before it, and delivers only the
// newest job's result, progress and busy state on the GUI thread. Exceptions thrown by the work
// are turned into an Error at the thread boundary (PlotJuggler's workers do the same), so a bug in
// core shows as a message, never as a crash of the GUI thread.

#include "core/util/feedback.h"
#include "core/util/result.h"

#include <QFuture>
#include <QObject>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>
#include <functional>
#include <memory>
#include <optional>

namespace alphascope::ui {

/// Forward-declare it as `template <typename T> class LatestJob;`: after `template <class T>` lupdate
/// loses the namespace of a class declared next, and that class's tr() strings land in a context
/// the program never asks for (untranslated at run time).
template <class T>
class LatestJob {
public:
    using Work = std::function<Result<T>(Feedback&)>;

    /// `context` owns the callbacks' lifetime (usually the widget that holds this object).
    explicit LatestJob(QObject* context) : m_context(context) {}
    ~LatestJob() {
        // Results of jobs still running are dropped; wait so that they do not outlive their data.
        if (m_feedback) m_feedback->cancel();
        for (QFuture<void>& f : m_running) f.waitForFinished();
    }
    LatestJob(const LatestJob&) = delete;
    LatestJob& operator=(const LatestJob&) = delete;

    /// Called on the GUI thread with the newest job's result (Canceled when it was cancelled by
    /// cancel(); a job superseded by start() delivers nothing).
    std::function<void(Result<T>)> onDone;
    /// Called on the GUI thread when the busy state changes.
    std::function<void(bool)> onBusyChanged;
    /// Called on the GUI thread with the newest job's progress.
    std::function<void(const TaskProgress&)> onProgress;

    /// Starts `work` off the GUI thread; the job in flight (if any) is cancelled and its result
    /// dropped. GUI thread.
    void start(Work work) {
        if (m_feedback) m_feedback->cancel();
        const int generation = ++m_generation;
        m_feedback = std::make_shared<Feedback>();
        std::shared_ptr<Feedback> feedback = m_feedback;
        QPointer<QObject> context(m_context);
        feedback->onProgress = [this, context, generation](const TaskProgress& p) {
            if (!context) return;
            QMetaObject::invokeMethod(
                context,
                [this, generation, p] {
                    if (generation == m_generation && onProgress) onProgress(p);
                },
                Qt::QueuedConnection);
        };
        setBusy(true);
        prune();
        m_running.push_back(QtConcurrent::run([this, context, generation, feedback, work = std::move(work)] {
            std::optional<Result<T>> result;
            try {
                result.emplace(work(*feedback));
            } catch (const std::exception& e) {
                result.emplace(makeError(ErrorCode::Internal, std::string("unexpected error: ") + e.what()));
            } catch (...) {
                result.emplace(makeError(ErrorCode::Internal, "unexpected error"));
            }
            if (!context) return;
            auto shared = std::make_shared<Result<T>>(std::move(*result));
            QMetaObject::invokeMethod(
                context, [this, generation, shared] { deliver(generation, std::move(*shared)); }, Qt::QueuedConnection);
        }));
    }

    /// Cancels the job in flight; onDone receives Canceled when it returns. GUI thread.
    void cancel() {
        if (m_feedback) m_feedback->cancel();
    }
    /// Drops the job in flight without a callback (e.g. the data it works on was replaced).
    void abandon() {
        if (m_feedback) m_feedback->cancel();
        ++m_generation;
        setBusy(false);
    }
    bool busy() const { return m_busy; }

private:
    void deliver(int generation, Result<T> result) {
        if (generation != m_generation) return; // superseded
        setBusy(false);
        if (onDone) onDone(std::move(result));
    }
    void setBusy(bool busy) {
        if (busy == m_busy) return;
        m_busy = busy;
        if (onBusyChanged) onBusyChanged(busy);
    }
    void prune() {
        m_running.removeIf([](const QFuture<void>& f) { return f.isFinished(); });
    }

    QObject* m_context;
    std::shared_ptr<Feedback> m_feedback;
    QList<QFuture<void>> m_running;
    int m_generation = 0;
    bool m_busy = false;
};

} // namespace alphascope::ui

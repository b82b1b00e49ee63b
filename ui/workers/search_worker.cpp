#include "ui/workers/search_worker.h"

#include "core/expr/parser.h"
#include "core/io/pool_json.h"
#include "core/io/search_config_json.h"
#include "core/store/dataset_record_of.h"
#include "core/store/run_recorder.h"
#include "core/util/compute_device.h"

#include <optional>

namespace alphascope::ui {

void SearchWorker::run(const SearchRequest& request) {
    // Everything below runs on the worker thread; nothing may escape as an exception.
    qint64 runId = 0;
    try {
        SearchFeedback& feedback = *m_feedback;
        const ResearchSession& session = *request.session;
        std::unique_ptr<RunStore> store;
        std::optional<RunRecorder> recorder;
        bool warned = false;
        auto warn = [&](const Error& e) {
            if (warned) return;
            warned = true;
            Q_EMIT warning(
                tr("The run could not be recorded in the project: %1").arg(QString::fromStdString(e.toString())));
        };
        const ComputeDeviceInfo device = computeDeviceInfo();
        const std::string deviceName = request.config.preferCuda && device.cuda ? device.name : "CPU";
        if (!request.projectPath.empty()) {
            auto opened = RunStore::open(request.projectPath);
            if (opened.ok()) {
                store = std::move(opened.value());
                recorder.emplace(*store);
                recorder->setMinInterval(request.snapshotSeconds);
                auto id = recorder->begin(searchConfigToJson(request.config), request.config.seed,
                                          std::string(searchAlgoName(request.config.algo)), deviceName,
                                          runDatasetOf(session), request.datasetId);
                if (id.ok())
                    runId = id.value();
                else {
                    warn(id.error());
                    recorder.reset();
                }
            } else {
                warn(opened.error());
            }
        }
        // The library's factors, for each member's self-correlation (evaluated once, here).
        feedback.referenceFactors.clear();
        for (const std::string& f : request.libraryFormulas) {
            auto parsed = parseFormula(f, parseOptionsFor(*session.data, false));
            if (!parsed.ok()) continue;
            auto values = session.evaluator->evaluate(parsed.value(), &feedback.cancelFlag);
            if (values.ok()) feedback.referenceFactors.push_back(values.value());
        }
        Q_EMIT started(runId, QString::fromStdString(deviceName));

        SearchProgress last;
        feedback.onSearchProgress = [&](const SearchProgress& p) {
            last = p;
            if (recorder) {
                if (auto w = recorder->progress(p); !w.ok()) warn(w.error());
            }
            Q_EMIT progress(p);
        };
        feedback.onSnapshot = [&](const PoolSnapshot& s) {
            if (recorder) {
                if (auto w = recorder->snapshot(last, s); !w.ok()) warn(w.error());
            }
            Q_EMIT snapshot(s);
        };
        auto result = runSearch(request.session, request.config, feedback);
        feedback.onSearchProgress = nullptr;
        feedback.onSnapshot = nullptr;
        if (!result.ok()) {
            if (recorder) (void)recorder->fail(result.error().toString());
            Q_EMIT failed(QString::fromStdString(result.error().toString()), runId);
            return;
        }
        if (recorder) {
            if (auto w = recorder->finish(result.value(), poolJson(result.value(), session)); !w.ok()) warn(w.error());
        }
        Q_EMIT finished(result.value(), runId);
    } catch (const std::exception& e) {
        Q_EMIT failed(tr("Unexpected error: %1").arg(QString::fromUtf8(e.what())), runId);
    } catch (...) {
        Q_EMIT failed(tr("Unexpected error"), runId);
    }
}

SearchController::SearchController(QObject* parent) : QObject(parent) {
    qRegisterMetaType<SearchRequest>();
    qRegisterMetaType<SearchProgress>();
    qRegisterMetaType<PoolSnapshot>();
    qRegisterMetaType<SearchResult>();
    m_thread.setObjectName(QStringLiteral("SearchThread"));
    m_thread.start(QThread::LowPriority); // the lab and the charts come first
}

SearchController::~SearchController() {
    cancel();
    m_thread.quit();
    m_thread.wait();
}

bool SearchController::start(const SearchRequest& request, QString* why) {
    if (m_running) {
        if (why) *why = tr("A search is already running: stop it first.");
        return false;
    }
    if (!request.session) {
        if (why) *why = tr("Open a dataset first.");
        return false;
    }
    if (auto v = validate(request.config, request.session.get()); !v.ok()) {
        if (why) *why = QString::fromStdString(v.error().toString());
        return false;
    }
    // A fresh feedback and worker per run: a late signal of an old run cannot be mistaken for the
    // new one, and the old worker is deleted on its own thread once it returned.
    m_feedback = std::make_shared<SearchFeedback>();
    m_feedback->progressInterval = request.config.progressInterval;
    m_worker = new SearchWorker(m_feedback);
    m_worker->moveToThread(&m_thread);
    SearchWorker* worker = m_worker;
    connect(&m_thread, &QThread::finished, worker, &QObject::deleteLater);
    connect(worker, &SearchWorker::started, this, [this](qint64 id, const QString& device) {
        m_runId = id;
        Q_EMIT started(id, device);
    });
    connect(worker, &SearchWorker::progress, this, &SearchController::progress);
    connect(worker, &SearchWorker::snapshot, this, &SearchController::snapshot);
    connect(worker, &SearchWorker::warning, this, &SearchController::warning);
    connect(worker, &SearchWorker::finished, this, [this, worker](const SearchResult& r, qint64 id) {
        m_running = false;
        worker->deleteLater();
        Q_EMIT finished(r, id);
        Q_EMIT stateChanged();
    });
    connect(worker, &SearchWorker::failed, this, [this, worker](const QString& message, qint64 id) {
        m_running = false;
        worker->deleteLater();
        Q_EMIT failed(message, id);
        Q_EMIT stateChanged();
    });
    m_running = true;
    m_runId = 0;
    QMetaObject::invokeMethod(worker, "run", Qt::QueuedConnection, Q_ARG(alphascope::ui::SearchRequest, request));
    Q_EMIT stateChanged();
    return true;
}

void SearchController::cancel() {
    if (m_feedback) {
        m_feedback->cancel();
        m_feedback->resume(); // a paused search must wake up to see the cancel
    }
}

void SearchController::pause() {
    if (m_feedback && m_running) {
        m_feedback->pause();
        Q_EMIT stateChanged();
    }
}

void SearchController::resume() {
    if (m_feedback) {
        m_feedback->resume();
        Q_EMIT stateChanged();
    }
}

} // namespace alphascope::ui

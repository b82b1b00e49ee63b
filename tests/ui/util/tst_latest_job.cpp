// LatestJob: only the newest job's result reaches the GUI thread, a cancelled job reports Canceled,
// an exception thrown by the work becomes an error at the thread boundary, progress arrives on the
// GUI thread, and the busy state follows the newest job.

#include "ui/util/latest_job.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

using namespace alphascope;
using namespace alphascope::ui;

class TstLatestJob : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void newestWins();
    void cancelReportsCanceled();
    void exceptionBecomesError();
    void progressArrivesOnTheGuiThread();
    void abandonDropsTheResult();
};

void TstLatestJob::newestWins() {
    QObject context;
    LatestJob<int> job(&context);
    std::vector<int> delivered;
    std::vector<bool> busy;
    job.onDone = [&](Result<int> r) { delivered.push_back(r.ok() ? r.value() : -1); };
    job.onBusyChanged = [&](bool b) { busy.push_back(b); };
    std::atomic<bool> release{false};
    // The first job waits until released, so it surely ends after the second started.
    job.start([&](Feedback&) -> Result<int> {
        while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(2));
        return 1;
    });
    job.start([](Feedback&) -> Result<int> { return 2; });
    release = true;
    QTRY_COMPARE(delivered.size(), std::size_t(1));
    QTest::qWait(50); // a late delivery of the first job would show up here
    QCOMPARE(delivered, std::vector<int>{2});
    QCOMPARE(busy, (std::vector<bool>{true, false}));
    QVERIFY(!job.busy());
}

void TstLatestJob::cancelReportsCanceled() {
    QObject context;
    LatestJob<int> job(&context);
    std::optional<Error> error;
    job.onDone = [&](Result<int> r) {
        if (!r.ok()) error = r.error();
    };
    std::atomic<bool> running{false};
    job.start([&](Feedback& f) -> Result<int> {
        running = true;
        while (!f.canceled()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        return makeError(ErrorCode::Canceled, "canceled");
    });
    QTRY_VERIFY(running.load());
    job.cancel();
    QTRY_VERIFY(error.has_value());
    QCOMPARE(error->code, ErrorCode::Canceled);
}

void TstLatestJob::exceptionBecomesError() {
    QObject context;
    LatestJob<int> job(&context);
    std::optional<Error> error;
    job.onDone = [&](Result<int> r) {
        if (!r.ok()) error = r.error();
    };
    job.start([](Feedback&) -> Result<int> { throw std::runtime_error("boom"); });
    QTRY_VERIFY(error.has_value());
    QCOMPARE(error->code, ErrorCode::Internal);
    QVERIFY(error->message.find("boom") != std::string::npos);
}

void TstLatestJob::progressArrivesOnTheGuiThread() {
    QObject context;
    LatestJob<int> job(&context);
    std::vector<double> fractions;
    bool onGuiThread = true;
    job.onProgress = [&](const TaskProgress& p) {
        onGuiThread = onGuiThread && QThread::currentThread() == qApp->thread();
        fractions.push_back(p.fraction);
    };
    bool done = false;
    job.onDone = [&](Result<int>) { done = true; };
    job.start([](Feedback& f) -> Result<int> {
        f.progressInterval = 0.0;
        for (int k = 1; k <= 4; ++k) f.setProgress(k / 4.0, "step");
        return 0;
    });
    QTRY_VERIFY(done);
    QTRY_COMPARE(fractions.size(), std::size_t(4));
    QVERIFY(onGuiThread);
    QCOMPARE(fractions.back(), 1.0);
}

void TstLatestJob::abandonDropsTheResult() {
    QObject context;
    LatestJob<int> job(&context);
    int calls = 0;
    job.onDone = [&](Result<int>) { ++calls; };
    job.start([](Feedback&) -> Result<int> {
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        return 5;
    });
    job.abandon();
    QVERIFY(!job.busy());
    QTest::qWait(150);
    QCOMPARE(calls, 0);
}

QTEST_GUILESS_MAIN(TstLatestJob)
#include "tst_latest_job.moc"

// RunStore and RunRecorder: migration of a version-2 file to runs, every round trip (run, snapshots,
// members, end, failure), NaN as NULL, cascades and the factor's origin link, dead owners marked
// interrupted, the recorder's throttle, and a writer thread with a reader on its own connection.

#include "core/store/project_store.h"
#include "core/store/run_recorder.h"
#include "core/store/run_store.h"
#include "tests/support/released_schema.h"

#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <thread>

using namespace alphascope;
using alphascope::test::kVersion1Ddl;
using alphascope::test::kVersion2Ddl;

namespace {

/// A raw connection for looking under the store (and for writing files the way old builds did).
class RawDb {
public:
    explicit RawDb(const QString& path) {
        if (sqlite3_open(path.toUtf8().constData(), &m_db) != SQLITE_OK) qFatal("cannot open %s", qPrintable(path));
    }
    ~RawDb() { sqlite3_close(m_db); }
    void exec(const char* sql) {
        char* message = nullptr;
        if (sqlite3_exec(m_db, sql, nullptr, nullptr, &message) != SQLITE_OK) qFatal("SQL failed: %s", message);
    }
    /// First column of the first row as text ("" when no row; "NULL" for NULL).
    QString scalar(const char* sql) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(m_db, sql, -1, &st, nullptr) != SQLITE_OK)
            qFatal("SQL failed: %s", sqlite3_errmsg(m_db));
        QString out;
        if (sqlite3_step(st) == SQLITE_ROW)
            out = sqlite3_column_type(st, 0) == SQLITE_NULL
                      ? QStringLiteral("NULL")
                      : QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
        sqlite3_finalize(st);
        return out;
    }

private:
    sqlite3* m_db = nullptr;
};

bool same(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

bool sameMember(const SnapshotMember& a, const SnapshotMember& b) {
    return a.formula == b.formula && same(a.weight, b.weight) && same(a.ic, b.ic) && same(a.rankIc, b.rankIc) &&
           same(a.validIc, b.validIc) && same(a.validRankIc, b.validRankIc) && same(a.maxAbsCorr, b.maxAbsCorr) &&
           same(a.maxAbsCorrReference, b.maxAbsCorrReference);
}

RunDataset sampleDataset() {
    RunDataset d;
    d.path = "/data/us/prices.csv.xz";
    d.sectorsPath = "/data/us/sectors.csv";
    d.universe = "sp500";
    d.maskZeroVolume = true;
    d.target = "Ref($close, -1) / $close - 1";
    d.splits = R"([{"name":"train","first":"2015-01-02","last":"2019-12-31"}])";
    return d;
}

RunRecord sampleRun(const std::string& algorithm = "gfn") {
    RunRecord r;
    r.algorithm = algorithm;
    r.configJson = R"({"version":1,"algo":")" + algorithm + R"("})";
    r.seed = 0xFFFFFFFFFFFFFFF0ull; // above 2^63: must come back as the same 64 bits
    r.device = "CPU";
    r.dataset = sampleDataset();
    return r;
}

PoolSnapshot pool(double seconds, long long evaluations, int members, double validIc = 0.05) {
    PoolSnapshot s;
    s.seconds = seconds;
    s.evaluations = evaluations;
    s.episodes = evaluations / 2;
    s.poolIc = 0.07;
    s.poolValidIc = validIc;
    s.meanAbsMutual = 0.2;
    for (int k = 0; k < members; ++k) {
        SnapshotMember m;
        m.formula = "Mean($close, " + std::to_string(k + 2) + ")";
        m.weight = 0.1 * (k + 1);
        m.ic = 0.01 * (k + 1);
        m.rankIc = 0.011 * (k + 1);
        m.validIc = k == 0 ? kNaNd : 0.009 * (k + 1); // no validation IC: must stay NaN
        m.validRankIc = 0.008;
        m.maxAbsCorr = 0.3;
        m.maxAbsCorrReference = kNaNd;
        s.members.push_back(std::move(m));
    }
    return s;
}

SearchProgress progressAt(double seconds) {
    SearchProgress p;
    p.seconds = seconds;
    p.bestIc = 0.09;
    p.rewardMean = 0.02;
    p.rewardBest = kNaNd;
    p.loss = 1.5;
    p.evaluationsPerSecond = 40.0;
    return p;
}

template <class T>
T must(Result<T> r, const char* what) {
    if (!r.ok()) qFatal("%s failed: %s", what, r.error().toString().c_str());
    return std::move(r.value());
}

/// A pid that certainly belongs to no process: a child that has exited and been reaped.
pid_t deadPid() {
    const pid_t child = fork();
    if (child == 0) _exit(0);
    int status = 0;
    waitpid(child, &status, 0);
    return child;
}

} // namespace

class TestRunStore : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    int m_files = 0;
    QString freshPath() { return m_dir.filePath(QStringLiteral("runs%1.alphascope").arg(++m_files)); }

private Q_SLOTS:
    void migratesAVersion2FileKeepingItsData() {
        const QString path = freshPath();
        {
            RawDb raw(path);
            raw.exec(kVersion1Ddl);
            raw.exec(kVersion2Ddl);
            raw.exec("INSERT INTO datasets (id, name, path, universe, last_opened) VALUES (3, 'US', '/data/us', "
                     "'sp500', 1700000000)");
            raw.exec("INSERT INTO factors (id, name, formula, dataset_id, created_at, notes) VALUES "
                     "(5, 'reversal', 'Neg(Delta($close, 5))', 3, '2026-01-05T09:30:00Z', 'kept')");
            raw.exec("INSERT INTO factor_metrics VALUES (5, 0, 'train', 250, 0.04, 0.05, 0.4, 0.5, 0.99, "
                     "0.3, 0.8)");
            raw.exec("INSERT INTO kv VALUES ('theme', 'dark')");
        }
        auto runs = must(RunStore::open(path.toStdString()), "open");
        {
            RawDb raw(path);
            QCOMPARE(raw.scalar("SELECT group_concat(version) FROM schema_version"), QStringLiteral("1,2,3,4"));
            QCOMPARE(raw.scalar("PRAGMA foreign_key_check"), QString());
            QCOMPARE(raw.scalar("PRAGMA integrity_check"), QStringLiteral("ok"));
        }
        auto project = must(ProjectStore::open(path.toStdString()), "open project");
        QCOMPARE(project->schemaVersion(), ProjectStore::latestSchemaVersion());
        const auto factor = must(project->factor(5), "factor");
        QVERIFY(factor.has_value());
        QCOMPARE(factor->name, std::string("reversal"));
        QCOMPARE(factor->notes, std::string("kept"));
        QCOMPARE(factor->datasetId, std::int64_t(3));
        QCOMPARE(factor->originRunId, std::int64_t(0)); // the column version 3 added
        QCOMPARE(factor->metrics.size(), std::size_t(1));
        QCOMPARE(factor->metrics[0].ic, 0.04);
        QCOMPARE(must(project->value("theme"), "value").value_or(""), std::string("dark"));

        // A run on the migrated file, referring to the old dataset row, and a factor saved from it.
        RunRecord r = sampleRun();
        r.datasetId = 3;
        const std::int64_t runId = must(runs->createRun(r), "createRun");
        QCOMPARE(runId, std::int64_t(1));
        FactorRecord f = *factor;
        f.id = 0;
        f.name = "from the run";
        f.originRunId = runId;
        const std::int64_t fid = must(project->addFactor(f), "addFactor");
        QCOMPARE(fid, std::int64_t(6)); // the v1 AUTOINCREMENT carries on
        QCOMPARE(must(project->factor(fid), "factor")->originRunId, runId);
        // updateFactor replaces the link too.
        f.id = fid;
        f.originRunId = 0;
        QVERIFY(project->updateFactor(f).ok());
        QCOMPARE(must(project->factor(fid), "factor")->originRunId, std::int64_t(0));
        f.originRunId = runId;
        QVERIFY(project->updateFactor(f).ok());
        QCOMPARE(must(project->factors(), "factors").back().originRunId, runId);
    }

    void runRoundTrip() {
        auto store = must(RunStore::open(freshPath().toStdString()), "open");
        const RunRecord in = sampleRun("mcts");
        const std::int64_t id = must(store->createRun(in), "createRun");
        const std::int64_t second = must(store->createRun(sampleRun("gp")), "createRun");
        QVERIFY(second > id);

        const auto out = must(store->run(id), "run");
        QVERIFY(out.has_value());
        QCOMPARE(out->id, id);
        QCOMPARE(out->algorithm, in.algorithm);
        QCOMPARE(out->configJson, in.configJson);
        QCOMPARE(out->seed, in.seed);
        QCOMPARE(out->device, in.device);
        QCOMPARE(out->datasetId, std::int64_t(0));
        QCOMPARE(out->dataset.path, in.dataset.path);
        QCOMPARE(out->dataset.sectorsPath, in.dataset.sectorsPath);
        QCOMPARE(out->dataset.universe, in.dataset.universe);
        QCOMPARE(out->dataset.maskZeroVolume, true);
        QCOMPARE(out->dataset.target, in.dataset.target);
        QCOMPARE(out->dataset.splits, in.dataset.splits);
        QCOMPARE(out->status, RunStatus::Running);
        QVERIFY(!out->startedAt.empty());
        QCOMPARE(out->updatedAt, out->startedAt);
        QVERIFY(out->endedAt.empty());
        QCOMPARE(out->ownerPid, std::int64_t(getpid()));
        QCOMPARE(out->ownerHost, RunStore::hostName());
        QVERIFY(std::isnan(out->bestValidIc));
        QCOMPARE(out->evaluations, 0LL);

        const auto all = must(store->runs(), "runs");
        QCOMPARE(all.size(), std::size_t(2));
        QCOMPARE(all[0].id, second); // newest first
        QCOMPARE(all[1].id, id);
        QVERIFY(!must(store->run(99), "run").has_value());

        RunRecord bad = sampleRun();
        bad.datasetId = 42;
        auto r = store->createRun(bad);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::NotFound);
        QCOMPARE(r.error().where, store->path());
        bad = sampleRun("");
        QCOMPARE(store->createRun(bad).error().code, ErrorCode::InvalidArgument);

        for (RunStatus s :
             {RunStatus::Running, RunStatus::Finished, RunStatus::Canceled, RunStatus::Failed, RunStatus::Interrupted})
            QCOMPARE(parseRunStatus(runStatusName(s)), std::optional<RunStatus>(s));
        QVERIFY(!parseRunStatus("paused").has_value());
    }

    void snapshotsAndMembersRoundTrip() {
        const QString path = freshPath();
        auto store = must(RunStore::open(path.toStdString()), "open");
        const std::int64_t id = must(store->createRun(sampleRun()), "createRun");
        const PoolSnapshot first = pool(2.0, 100, 3, 0.05);
        const PoolSnapshot second = pool(4.5, 230, 5, kNaNd); // no validation figure this time
        QCOMPARE(must(store->appendSnapshot(id, progressAt(1.9), first), "append"), 1);
        SearchProgress early = progressAt(4.4);
        early.evaluationsPerSecond = 0.0; // no report yet: the rate comes from the snapshot
        QCOMPARE(must(store->appendSnapshot(id, early, second), "append"), 2);

        const auto figures = must(store->snapshots(id), "snapshots");
        QCOMPARE(figures.size(), std::size_t(2));
        const RunSnapshotRecord& a = figures[0];
        QCOMPARE(a.seq, 1);
        QCOMPARE(a.evaluations, 100LL);
        QCOMPARE(a.episodes, 50LL);
        QCOMPARE(a.seconds, 2.0);
        QCOMPARE(a.poolSize, 3);
        QCOMPARE(a.poolIc, 0.07);
        QCOMPARE(a.poolValidIc, 0.05);
        QCOMPARE(a.bestIc, 0.09);
        QCOMPARE(a.meanAbsMutual, 0.2);
        QCOMPARE(a.rewardMean, 0.02);
        QVERIFY(std::isnan(a.rewardBest));
        QCOMPARE(a.loss, 1.5);
        QCOMPARE(a.evaluationsPerSecond, 40.0);
        QCOMPARE(figures[1].seq, 2);
        QVERIFY(std::isnan(figures[1].poolValidIc));
        QCOMPARE(figures[1].evaluationsPerSecond, 230 / 4.5);

        const auto m1 = must(store->members(id, 1), "members");
        QCOMPARE(m1.size(), first.members.size());
        for (std::size_t k = 0; k < m1.size(); ++k)
            QVERIFY2(sameMember(m1[k], first.members[k]), m1[k].formula.c_str());
        const auto last = must(store->lastSnapshotMembers(id), "last");
        QCOMPARE(last.size(), second.members.size());
        for (std::size_t k = 0; k < last.size(); ++k) QVERIFY(sameMember(last[k], second.members[k]));
        QCOMPARE(must(store->members(id, 2), "members").size(), std::size_t(5));
        QCOMPARE(store->members(id, 3).error().code, ErrorCode::NotFound);

        // NaN is stored as NULL, not as a number.
        {
            RawDb raw(path);
            QCOMPARE(raw.scalar("SELECT valid_ic FROM run_members WHERE seq = 1 AND position = 0"),
                     QStringLiteral("NULL"));
            QCOMPARE(raw.scalar("SELECT pool_valid_ic FROM run_snapshots WHERE seq = 2"), QStringLiteral("NULL"));
            QCOMPARE(raw.scalar("SELECT reward_best FROM run_snapshots WHERE seq = 1"), QStringLiteral("NULL"));
        }

        // The run's row follows the snapshots; the best validation IC keeps its best value.
        const auto run = must(store->run(id), "run");
        QCOMPARE(run->evaluations, 230LL);
        QCOMPARE(run->episodes, 115LL);
        QCOMPARE(run->seconds, 4.5);
        QCOMPARE(run->poolSize, 5);
        QCOMPARE(run->bestValidIc, 0.05);
        QCOMPARE(run->status, RunStatus::Running);

        // A run with no snapshot, and an unknown run.
        const std::int64_t empty = must(store->createRun(sampleRun()), "createRun");
        QVERIFY(must(store->lastSnapshotMembers(empty), "last").empty());
        QVERIFY(must(store->snapshots(empty), "snapshots").empty());
        auto r = store->appendSnapshot(777, progressAt(1), first);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::NotFound);
        RawDb raw(path);
        QCOMPARE(raw.scalar("SELECT count(*) FROM run_snapshots WHERE run_id = 777"), QStringLiteral("0"));
    }

    void finishAndFail() {
        auto store = must(RunStore::open(freshPath().toStdString()), "open");
        const std::int64_t id = must(store->createRun(sampleRun()), "createRun");
        QVERIFY(store->appendSnapshot(id, progressAt(1), pool(1, 50, 2, 0.04)).ok());
        SearchResult result;
        result.device = "CUDA (H200)";
        result.canceled = true;
        result.stopReason = "canceled";
        result.evaluations = 321;
        result.distinctFormulas = 300;
        result.failedEvaluations = 7;
        result.episodes = 160;
        result.seconds = 12.5;
        result.evaluationsPerSecond = 25.68;
        result.pool.resize(4);
        SplitMetrics train, valid;
        train.name = "train";
        train.ic = 0.2;
        valid.name = "valid";
        valid.ic = 0.06;
        result.combined = {train, valid};
        const std::string json = R"({"format":"alphascope-pool","factors":[]})";
        QCOMPARE(store->finishRun(id, result, RunStatus::Running, json).error().code, ErrorCode::InvalidArgument);
        QVERIFY(store->finishRun(id, result, RunStatus::Canceled, json).ok());
        const auto run = must(store->run(id), "run");
        QCOMPARE(run->status, RunStatus::Canceled);
        QCOMPARE(run->device, std::string("CUDA (H200)"));
        QCOMPARE(run->stopReason, std::string("canceled"));
        QCOMPARE(run->evaluations, 321LL);
        QCOMPARE(run->distinctFormulas, 300LL);
        QCOMPARE(run->failedEvaluations, 7LL);
        QCOMPARE(run->episodes, 160LL);
        QCOMPARE(run->seconds, 12.5);
        QCOMPARE(run->evaluationsPerSecond, 25.68);
        QCOMPARE(run->poolSize, 4);
        QCOMPARE(run->bestValidIc, 0.06);
        QCOMPARE(run->resultJson, json);
        QVERIFY(!run->endedAt.empty());
        QVERIFY(must(store->runs(), "runs").front().resultJson.empty()); // the list leaves the pool file out
        QCOMPARE(store->finishRun(99, result, RunStatus::Finished, json).error().code, ErrorCode::NotFound);

        const std::int64_t failed = must(store->createRun(sampleRun()), "createRun");
        QVERIFY(store->failRun(failed, "out of memory on the device").ok());
        const auto f = must(store->run(failed), "run");
        QCOMPARE(f->status, RunStatus::Failed);
        QCOMPARE(f->error, std::string("out of memory on the device"));
        QVERIFY(!f->endedAt.empty());
        QCOMPARE(store->failRun(99, "x").error().code, ErrorCode::NotFound);
    }

    void deleteCascadesAndUnlinksFactors() {
        const QString path = freshPath();
        auto store = must(RunStore::open(path.toStdString()), "open");
        auto project = must(ProjectStore::open(path.toStdString()), "open project");
        const std::int64_t id = must(store->createRun(sampleRun()), "createRun");
        const std::int64_t other = must(store->createRun(sampleRun()), "createRun");
        for (int k = 0; k < 3; ++k) QVERIFY(store->appendSnapshot(id, progressAt(k), pool(k, 10 * k, 4)).ok());
        QVERIFY(store->appendSnapshot(other, progressAt(1), pool(1, 10, 2)).ok());
        FactorRecord f;
        f.name = "saved from run";
        f.formula = "Mean($close, 2)";
        f.originRunId = id;
        const std::int64_t fid = must(project->addFactor(f), "addFactor");

        auto refused = store->deleteRun(id);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, ErrorCode::InvalidArgument);
        QVERIFY(store->failRun(id, "stopped").ok());
        QVERIFY(store->deleteRun(id).ok());
        QVERIFY(!must(store->run(id), "run").has_value());
        RawDb raw(path);
        QCOMPARE(raw.scalar(qPrintable(QStringLiteral("SELECT count(*) FROM run_snapshots WHERE run_id = %1").arg(id))),
                 QStringLiteral("0"));
        QCOMPARE(raw.scalar(qPrintable(QStringLiteral("SELECT count(*) FROM run_members WHERE run_id = %1").arg(id))),
                 QStringLiteral("0"));
        QCOMPARE(must(store->snapshots(other), "snapshots").size(),
                 std::size_t(1)); // the other run is untouched
        QCOMPARE(must(store->lastSnapshotMembers(other), "last").size(), std::size_t(2));
        const auto kept = must(project->factor(fid), "factor");
        QVERIFY(kept.has_value());
        QCOMPARE(kept->originRunId, std::int64_t(0));
        // Undo of a factor delete after its run went: the link is gone, the factor comes back.
        QVERIFY(project->removeFactor(fid).ok());
        f.id = fid;
        QVERIFY(project->addFactor(f).ok());
        QCOMPARE(must(project->factor(fid), "factor")->originRunId, std::int64_t(0));

        QCOMPARE(store->deleteRun(id).error().code, ErrorCode::NotFound);
        QVERIFY(store->deleteRun(other, true).ok()); // still running, deleted on request
        QCOMPARE(raw.scalar("SELECT count(*) FROM run_members"), QStringLiteral("0"));
        QCOMPARE(raw.scalar("PRAGMA integrity_check"), QStringLiteral("ok"));
    }

    void marksRunsOfDeadOwnersInterrupted() {
        auto store = must(RunStore::open(freshPath().toStdString()), "open");
        const pid_t dead = deadPid();
        RunRecord r = sampleRun();
        r.ownerPid = dead;
        const std::int64_t orphan = must(store->createRun(r), "createRun");
        QVERIFY(store->appendSnapshot(orphan, progressAt(3), pool(3, 90, 2)).ok());
        r.ownerHost = "another-host"; // its pid means nothing here
        const std::int64_t remote = must(store->createRun(r), "createRun");
        const std::int64_t mine = must(store->createRun(sampleRun()), "createRun"); // this live process
        const std::int64_t done = must(store->createRun(r), "createRun");
        QVERIFY(store->failRun(done, "x").ok());

        QCOMPARE(must(store->markInterruptedRuns(), "mark"), 1);
        const auto o = must(store->run(orphan), "run");
        QCOMPARE(o->status, RunStatus::Interrupted);
        QCOMPARE(o->stopReason, std::string("interrupted"));
        QCOMPARE(o->endedAt, o->updatedAt);
        QVERIFY(QString::fromStdString(o->error).contains(QString::number(dead)));
        QCOMPARE(o->evaluations, 90LL); // its last snapshot's figures stay
        QCOMPARE(must(store->lastSnapshotMembers(orphan), "last").size(), std::size_t(2));
        QCOMPARE(must(store->run(remote), "run")->status, RunStatus::Running);
        QCOMPARE(must(store->run(mine), "run")->status, RunStatus::Running);
        QCOMPARE(must(store->run(done), "run")->status, RunStatus::Failed);
        QCOMPARE(must(store->markInterruptedRuns(), "mark"), 0);
        QVERIFY(store->deleteRun(orphan).ok()); // an interrupted run can be deleted
    }

    void recorderThrottlesSnapshots() {
        auto store = must(RunStore::open(freshPath().toStdString()), "open");
        RunRecorder recorder(*store);
        QCOMPARE(recorder.minInterval(), RunRecorder::kDefaultMinInterval);
        QCOMPARE(recorder.snapshot(progressAt(0), pool(0, 0, 1)).error().code, ErrorCode::InvalidArgument);
        const std::int64_t id =
            must(recorder.begin(R"({"algo":"random"})", 7, "random", "CPU", sampleDataset()), "begin");
        QCOMPARE(recorder.runId(), id);
        QVERIFY(recorder.isRecording());
        QVERIFY(!recorder.begin("{}", 1, "random", "CPU", sampleDataset()).ok());

        auto wrote = [&](double t, bool force = false) {
            return must(recorder.snapshot(progressAt(t), pool(t, static_cast<long long>(t * 10), 2), force),
                        "snapshot");
        };
        QVERIFY(wrote(0.5));  // the first is always stored
        QVERIFY(!wrote(1.0)); // within 5 s: held back
        QVERIFY(!wrote(2.0)); // replaces the held-back one
        QVERIFY(!must(recorder.progress(progressAt(4.0)), "progress"));
        QVERIFY(must(recorder.progress(progressAt(5.6)), "progress"));  // the held-back one (2.0) goes out
        QVERIFY(!must(recorder.progress(progressAt(9.0)), "progress")); // nothing held back
        QVERIFY(wrote(7.0));                                            // 5 s after 2.0
        QVERIFY(wrote(7.5, true));                                      // forced
        QVERIFY(!wrote(8.0));
        SearchResult result;
        result.evaluations = 80;
        result.stopReason = "time budget";
        QVERIFY(recorder.finish(result, "{}").ok()); // writes 8.0 first
        QVERIFY(!recorder.isRecording());
        QVERIFY(!recorder.snapshot(progressAt(9), pool(9, 90, 2)).ok());

        std::vector<double> seconds;
        for (const auto& s : must(store->snapshots(id), "snapshots")) seconds.push_back(s.seconds);
        QCOMPARE(seconds, (std::vector<double>{0.5, 2.0, 7.0, 7.5, 8.0}));
        const auto run = must(store->run(id), "run");
        QCOMPARE(run->status, RunStatus::Finished);
        QCOMPARE(run->seed, std::uint64_t(7));
        QCOMPARE(run->algorithm, std::string("random"));
        const RunRecorder::WriteCost cost = recorder.writeCost();
        QCOMPARE(cost.writes, 5);
        QVERIFY(cost.meanMs > 0.0 && cost.maxMs >= cost.meanMs && cost.totalMs >= cost.maxMs);

        // minInterval 0 stores every snapshot; a canceled result ends as canceled.
        RunRecorder every(*store);
        every.setMinInterval(0);
        const std::int64_t id2 = must(every.begin("{}", 1, "gp", "CPU", sampleDataset()), "begin");
        for (int k = 0; k < 4; ++k) QVERIFY(must(every.snapshot(progressAt(0.1 * k), pool(0.1 * k, k, 1)), "snapshot"));
        result.canceled = true;
        QVERIFY(every.finish(result, "").ok());
        QCOMPARE(must(store->run(id2), "run")->status, RunStatus::Canceled);
        QCOMPARE(must(store->snapshots(id2), "snapshots").size(), std::size_t(4));

        // fail() writes what was held back; a recorder dropped mid-run records a failure.
        std::int64_t id3 = 0, id4 = 0;
        {
            RunRecorder failing(*store);
            id3 = must(failing.begin("{}", 1, "mcts", "CPU", sampleDataset()), "begin");
            QVERIFY(must(failing.snapshot(progressAt(1), pool(1, 10, 1)), "snapshot"));
            QVERIFY(!must(failing.snapshot(progressAt(2), pool(2, 20, 1)), "snapshot"));
            QVERIFY(failing.fail("the data went away").ok());
            RunRecorder dropped(*store);
            id4 = must(dropped.begin("{}", 1, "gfn", "CPU", sampleDataset()), "begin");
        }
        QCOMPARE(must(store->snapshots(id3), "snapshots").size(), std::size_t(2));
        QCOMPARE(must(store->run(id3), "run")->error, std::string("the data went away"));
        QCOMPARE(must(store->run(id4), "run")->status, RunStatus::Failed);
    }

    void writerThreadWhileReaderReads() {
        // The search thread writes through its own connection while the GUI thread reads through
        // another: every read succeeds, sees whole snapshots only, and the counts only grow.
        const QString path = freshPath();
        auto reader = must(RunStore::open(path.toStdString()), "open reader");
        constexpr int kSnapshots = 300, kMembers = 20;
        std::atomic<std::int64_t> runId{0};
        std::atomic<bool> done{false};
        std::string writerError;
        RunRecorder::WriteCost cost;
        std::thread writer([&] {
            auto store = RunStore::open(path.toStdString());
            if (!store.ok()) {
                writerError = store.error().toString();
                done = true;
                return;
            }
            RunRecorder recorder(*store.value());
            recorder.setMinInterval(0);
            auto id = recorder.begin("{}", 3, "random", "CPU", sampleDataset());
            if (!id.ok()) writerError = id.error().toString();
            runId = id.ok() ? id.value() : -1;
            for (int k = 0; k < kSnapshots && writerError.empty(); ++k) {
                auto r = recorder.snapshot(progressAt(k), pool(k, 10 * k, kMembers));
                if (!r.ok()) writerError = r.error().toString();
            }
            if (writerError.empty()) {
                if (auto r = recorder.finish(SearchResult{}, "{}"); !r.ok()) writerError = r.error().toString();
            }
            cost = recorder.writeCost();
            done = true;
        });
        // No QVERIFY in the loop: returning early would leave the writer thread running.
        std::size_t lastCount = 0;
        int reads = 0;
        QString readError;
        while ((!done || reads == 0) && readError.isEmpty()) {
            const std::int64_t id = runId.load();
            if (id == 0) {
                std::this_thread::yield();
                continue;
            }
            if (id < 0) break;
            const auto figures = reader->snapshots(id);
            const auto members = reader->lastSnapshotMembers(id);
            const auto runs = reader->runs();
            if (!figures.ok() || !members.ok() || !runs.ok())
                readError = QString::fromStdString((!figures.ok()   ? figures.error()
                                                    : !members.ok() ? members.error()
                                                                    : runs.error())
                                                       .toString());
            else if (figures->size() < lastCount)
                readError = QStringLiteral("the snapshot count went down");
            else if (!members->empty() && members->size() != std::size_t(kMembers))
                readError = QStringLiteral("a partial snapshot: %1 members").arg(members->size());
            else
                lastCount = figures->size();
            ++reads;
        }
        writer.join();
        QVERIFY2(readError.isEmpty(), qPrintable(readError));
        QVERIFY2(writerError.empty(), writerError.c_str());
        QCOMPARE(must(reader->snapshots(runId.load()), "snapshots").size(), std::size_t(kSnapshots));
        QCOMPARE(must(reader->run(runId.load()), "run")->status, RunStatus::Finished);
        QCOMPARE(cost.writes, kSnapshots);
        qInfo("%d reads alongside; snapshot write cost (%d members): mean %.3f ms, max %.3f ms", reads, kMembers,
              cost.meanMs, cost.maxMs);
    }
};

QTEST_GUILESS_MAIN(TestRunStore)
#include "tst_run_store.moc"

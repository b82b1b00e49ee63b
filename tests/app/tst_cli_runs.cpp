// alphascope-cli runs, and what a run recorded in a project survives: a real `mine --project` child
// killed with SIGKILL mid-search leaves a consistent file whose run reads back as interrupted with its
// last snapshot whole; a finished run keeps its pool file; located errors with documented exit codes.

#include "core/store/run_store.h"
#include "tests/support/cli_support.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

#include <sqlite3.h>

#include <csignal>
#include <memory>

using alphascope::test::cli;
using alphascope::test::CliRun;
using namespace alphascope;

namespace {

const char* kTarget = "Ref($close, -1) / $close - 1";

/// PRAGMA integrity_check through a connection of its own ("ok" for a sound file).
QString integrityCheck(const QString& path) {
    sqlite3* db = nullptr;
    QString out;
    if (sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            out = QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return out;
}

/// Kills the child if a check fails before the test does.
struct ChildGuard {
    QProcess& p;
    ~ChildGuard() {
        if (p.state() != QProcess::NotRunning) {
            p.kill();
            p.waitForFinished(10000);
        }
    }
};

} // namespace

class TestCliRuns : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString prices() const { return m_dir.filePath("synth/prices.csv"); }
    QString sectors() const { return m_dir.filePath("synth/sectors.csv"); }
    QStringList mineArgs(const QString& project) const {
        return {"mine",     "--algo", "random", "--data", prices(),  "--sectors", sectors(),
                "--target", kTarget,  "--seed", "3",      "--quiet", "--project", project};
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        const CliRun r =
            cli({"synth", "--out", m_dir.filePath("synth"), "--days", "250", "--instruments", "60", "--seed", "5"});
        QVERIFY2(r.code == 0, r.err.constData());
    }

    void killedMineIsInterruptedWithItsLastSnapshotWhole() {
        const QString project = m_dir.filePath("killed.alphascope");
        QStringList args = mineArgs(project);
        // No evaluation budget: only the kill ends it. Every pool change is stored, so that the kill
        // is likely to land while a snapshot is being written.
        args << "--budget-evals"
             << "0"
             << "--budget-seconds"
             << "300"
             << "--snapshot-seconds"
             << "0";
        QProcess p;
        ChildGuard guard{p};
        p.start(QStringLiteral(ALPHASCOPE_CLI), args);
        QVERIFY(p.waitForStarted());
        const qint64 pid = p.processId();

        // Wait (bounded) until the run row and a few snapshots are in the file.
        std::unique_ptr<RunStore> store;
        std::int64_t runId = 0;
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < 120000 && p.state() == QProcess::Running) {
            if (!store && QFile::exists(project)) {
                auto opened = RunStore::open(project.toStdString());
                if (opened.ok()) store = std::move(opened.value());
            }
            if (store) {
                auto runs = store->runs();
                QVERIFY2(runs.ok(), runs.ok() ? "" : runs.error().toString().c_str());
                if (!runs->empty()) {
                    runId = runs->front().id;
                    auto snapshots = store->snapshots(runId);
                    QVERIFY(snapshots.ok());
                    if (snapshots->size() >= 3) break;
                }
            }
            QTest::qWait(50);
        }
        QVERIFY2(p.state() == QProcess::Running, p.readAllStandardError().constData());
        QVERIFY2(runId != 0 && store, "no run with three snapshots within 120 s");

        ::kill(static_cast<pid_t>(pid), SIGKILL);
        QVERIFY(p.waitForFinished(30000)); // reaped: kill(pid, 0) now fails with ESRCH
        QCOMPARE(p.exitStatus(), QProcess::CrashExit);

        QCOMPARE(integrityCheck(project), QStringLiteral("ok"));
        auto before = store->run(runId);
        QVERIFY(before.ok() && before->has_value());
        QCOMPARE((*before)->status, RunStatus::Running); // nobody told the file that it died
        QCOMPARE((*before)->ownerPid, std::int64_t(pid));
        QCOMPARE((*before)->algorithm, std::string("random"));
        QVERIFY(!(*before)->configJson.empty());
        QCOMPARE((*before)->dataset.path, prices().toStdString());

        auto marked = store->markInterruptedRuns();
        QVERIFY(marked.ok());
        QCOMPARE(marked.value(), 1);
        const RunRecord run = *store->run(runId).value();
        QCOMPARE(run.status, RunStatus::Interrupted);
        QVERIFY(QString::fromStdString(run.error).contains(QString::number(pid)));
        QVERIFY(!run.endedAt.empty());

        // The last snapshot is whole: its members are all there and the run row agrees with it.
        const auto snapshots = store->snapshots(runId).value();
        QVERIFY(snapshots.size() >= 3);
        const RunSnapshotRecord& last = snapshots.back();
        QCOMPARE(last.seq, int(snapshots.size()));
        QVERIFY(last.evaluations > 0);
        QVERIFY(last.poolSize > 0);
        const auto members = store->lastSnapshotMembers(runId).value();
        QCOMPARE(int(members.size()), last.poolSize);
        for (const auto& m : members) QVERIFY(!m.formula.empty() && std::isfinite(m.weight));
        QCOMPARE(run.evaluations, last.evaluations);
        QCOMPARE(run.poolSize, last.poolSize);
        for (std::size_t k = 1; k < snapshots.size(); ++k)
            QVERIFY(snapshots[k].evaluations >= snapshots[k - 1].evaluations);
        store.reset();

        // The CLI lists it, and shows the same last pool.
        CliRun r = cli({"runs", "--project", project, "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonArray runs = r.json().value("runs").toArray();
        QCOMPARE(runs.size(), 1);
        const QJsonObject listed = runs.at(0).toObject();
        QCOMPARE(listed.value("id").toInteger(), qint64(runId));
        QCOMPARE(listed.value("status").toString(), QStringLiteral("interrupted"));
        QCOMPARE(listed.value("algorithm").toString(), QStringLiteral("random"));
        QCOMPARE(listed.value("evaluations").toInteger(), qint64(last.evaluations));
        QCOMPARE(listed.value("owner").toObject().value("pid").toInteger(), pid);
        r = cli({"runs", "--project", project, "--json", "--show", QString::number(runId)});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject shown = r.json();
        QCOMPARE(shown.value("snapshots").toArray().size(), qsizetype(snapshots.size()));
        QCOMPARE(shown.value("last_members").toArray().size(), qsizetype(members.size()));
        QCOMPARE(shown.value("last_members").toArray().at(0).toObject().value("formula").toString(),
                 QString::fromStdString(members.front().formula));
        const QJsonObject config = shown.value("config").toObject(); // enough to run it again
        QCOMPARE(config.value("algorithm").toString(), QStringLiteral("random"));
        QCOMPARE(config.value("budget").toObject().value("seconds").toDouble(), 300.0);
        QCOMPARE(shown.value("dataset").toObject().value("target").toString().isEmpty(), false);
        QVERIFY(shown.value("result").isNull()); // it never finished
        r = cli({"runs", "--project", project});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(r.out.contains("interrupted"));

        // An interrupted run can be deleted; its snapshots go with it.
        r = cli({"runs", "--project", project, "--delete", QString::number(runId)});
        QVERIFY2(r.code == 0, r.err.constData());
        r = cli({"runs", "--project", project, "--json"});
        QCOMPARE(r.json().value("runs").toArray().size(), 0);
        QCOMPARE(integrityCheck(project), QStringLiteral("ok"));
    }

    void finishedRunKeepsItsPool() {
        const QString project = m_dir.filePath("finished.alphascope");
        const QString out = m_dir.filePath("finished.json");
        QStringList args = mineArgs(project);
        args << "--budget-evals"
             << "120"
             << "--out" << out;
        CliRun r = cli(args);
        QVERIFY2(r.code == 0, r.err.constData());
        r = cli({"runs", "--project", project, "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject listed = r.json().value("runs").toArray().at(0).toObject();
        QCOMPARE(listed.value("status").toString(), QStringLiteral("finished"));
        QCOMPARE(listed.value("stop_reason").toString(), QStringLiteral("evaluation budget"));
        QVERIFY(listed.value("evaluations").toInt() > 0 && listed.value("evaluations").toInt() <= 120);
        QVERIFY(listed.value("pool_size").toInt() > 0);
        QVERIFY(!listed.value("ended_at").toString().isEmpty());
        const QString id = QString::number(listed.value("id").toInteger());

        r = cli({"runs", "--project", project, "--json", "--show", id});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject result = r.json().value("result").toObject();
        QCOMPARE(result.value("format").toString(), QStringLiteral("alphascope-pool"));
        QFile written(out);
        QVERIFY(written.open(QIODevice::ReadOnly));
        QCOMPARE(result, QJsonDocument::fromJson(written.readAll()).object()); // the same pool file
        QVERIFY(!r.json().value("snapshots").toArray().isEmpty());

        r = cli({"runs", "--project", project, "--show", id});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(r.out.contains("finished"));
        QVERIFY(r.out.contains("Last snapshot's pool"));
        // Its pools: the combined one with its members and per-split figures, the three chosen on
        // valid and the adaptive combination, as the pool file gives them.
        QVERIFY2(r.out.contains("Pools (`export --pool-choice NAME` writes one)"), r.out.constData());
        const auto row = [&](const QString& pool) {
            for (const QByteArray& line : r.out.split('\n'))
                if (line.startsWith(pool.toUtf8() + ' ')) return QString::fromUtf8(line).split(' ', Qt::SkipEmptyParts);
            return QStringList();
        };
        const QStringList combined = row("combined");
        QCOMPARE(combined.size(), 2 + 2 * 3); // name, members, IC and Rank IC on train, valid, test
        QCOMPARE(combined.at(1).toInt(), result.value("factors").toArray().size());
        QCOMPARE(combined.at(2),
                 QString::number(result.value("combined").toObject().value("train").toObject().value("ic").toDouble(),
                                 'f', 4));
        QCOMPARE(row("early").at(1).toInt(), result.value("early_pool").toArray().size());
        for (const QString pool : {"selected", "tuned", "adaptive"}) QCOMPARE(row(pool).size(), 8);

        // export --run: the run's pool as AlphaGen's {exprs, weights}, the same formulas and weights.
        const QString alphagen = m_dir.filePath("run_alphagen.json");
        r = cli({"export", "--project", project, "--run", id, "--format", "alphagen", "--out", alphagen});
        QVERIFY2(r.code == 0, r.err.constData());
        QFile exported(alphagen);
        QVERIFY(exported.open(QIODevice::ReadOnly));
        const QJsonObject ag = QJsonDocument::fromJson(exported.readAll()).object();
        QCOMPARE(ag.value("exprs").toArray(), result.value("exprs").toArray());
        const QJsonArray w = ag.value("weights").toArray(), w0 = result.value("weights").toArray();
        QCOMPARE(w.size(), w0.size());
        for (qsizetype k = 0; k < w.size(); ++k) QVERIFY(std::fabs(w.at(k).toDouble() - w0.at(k).toDouble()) < 1e-12);
        r = cli({"export", "--project", project, "--run", "9999", "--out", alphagen});
        QCOMPARE(r.code, 5); // no such run
    }

    void errorsAreLocated() {
        CliRun r = cli({"runs", "--project", m_dir.filePath("missing.alphascope")});
        QCOMPARE(r.code, 3);
        QVERIFY(r.err.contains("missing.alphascope"));
        QVERIFY(!QFile::exists(m_dir.filePath("missing.alphascope"))); // not created by a listing

        const QString garbage = m_dir.filePath("garbage.alphascope");
        QFile g(garbage);
        QVERIFY(g.open(QIODevice::WriteOnly));
        g.write(QByteArray(4096, 'x'));
        g.close();
        r = cli({"runs", "--project", garbage});
        QCOMPARE(r.code, 3);
        QVERIFY(r.err.contains("garbage.alphascope"));

        // A run some live process owns (this test) cannot be deleted without --force.
        const QString project = m_dir.filePath("live.alphascope");
        std::int64_t id = 0;
        {
            auto store = RunStore::open(project.toStdString());
            QVERIFY(store.ok());
            RunRecord rec;
            rec.algorithm = "gp";
            auto created = store.value()->createRun(rec);
            QVERIFY(created.ok());
            id = created.value();
        }
        r = cli({"runs", "--project", project, "--show", "999"});
        QCOMPARE(r.code, 5);
        QVERIFY(r.err.contains("999"));
        r = cli({"runs", "--project", project, "--delete", QString::number(id)});
        QCOMPARE(r.code, 5);
        QVERIFY(r.err.contains("still running"));
        r = cli({"runs", "--project", project, "--json"});
        QCOMPARE(r.json().value("runs").toArray().at(0).toObject().value("status").toString(),
                 QStringLiteral("running"));
        r = cli({"runs", "--project", project, "--delete", QString::number(id), "--force"});
        QVERIFY2(r.code == 0, r.err.constData());
        r = cli({"runs", "--project", project, "--show", "1", "--delete", "1"});
        QCOMPARE(r.code, 2);
    }
};

QTEST_GUILESS_MAIN(TestCliRuns)
#include "tst_cli_runs.moc"

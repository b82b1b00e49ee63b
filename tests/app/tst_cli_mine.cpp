// alphascope-cli synth and mine end to end: a planted market written to files, every search run on
// it from the command line, the pool file's content (ours and AlphaGen's shape), determinism per
// seed, agreement with `eval`, a resumable `study`, and located errors with the documented exit codes.

#include "tests/support/cli_support.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <QProcess>
#include <QRegularExpression>

#include <cmath>
#include <csignal>

using alphascope::test::cli;
using alphascope::test::CliRun;

namespace {

const char* kTarget = "Ref($close, -1) / $close - 1";

QJsonObject readJson(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

QByteArray readText(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeText(const QString& path, const QByteArray& text) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
}

} // namespace

class TestCliMine : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString prices() const { return m_dir.filePath("synth/prices.csv"); }
    QString sectors() const { return m_dir.filePath("synth/sectors.csv"); }
    QStringList mineArgs(const QString& algo, int evals, const QString& out, int seed = 3) const {
        return {"mine",
                "--algo",
                algo,
                "--data",
                prices(),
                "--sectors",
                sectors(),
                "--target",
                kTarget,
                "--budget-evals",
                QString::number(evals),
                "--seed",
                QString::number(seed),
                "--quiet",
                "--out",
                out};
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        const CliRun r =
            cli({"synth", "--out", m_dir.filePath("synth"), "--days", "300", "--instruments", "80", "--seed", "5"});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(QFile::exists(prices()) && QFile::exists(sectors()));
        const QJsonObject manifest = readJson(m_dir.filePath("synth/planted.json"));
        QCOMPARE(manifest.value("target").toString(), QString(kTarget));
        const QJsonArray planted = manifest.value("planted").toArray();
        QCOMPARE(planted.size(), 1);
        QCOMPARE(planted.at(0).toObject().value("formula").toString(),
                 QString("Div(Sub($close, $open), Sub($high, $low))"));
        QVERIFY(planted.at(0).toObject().value("realised_ic").toDouble() > 0.2);
        // The written files load back and carry the planted signal through the ordinary eval road.
        const CliRun e = cli({"eval", "--json", "--data", prices(), "--sectors", sectors(), "--target", kTarget,
                              "--formula", "Div(Sub($close, $open), Sub($high, $low))", "--decay", "0"});
        QVERIFY2(e.code == 0, e.err.constData());
        const QJsonArray splits = e.json().value("factors").toArray().at(0).toObject().value("splits").toArray();
        for (const auto& s : splits) QVERIFY(s.toObject().value("ic").toDouble() > 0.2);
    }

    void poolFileHoldsEverything() {
        const QString out = m_dir.filePath("random.json");
        const CliRun r = cli(mineArgs("random", 150, out));
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(r.out.contains("Pool written to"));
        const QJsonObject j = readJson(out);
        QCOMPARE(j.value("format").toString(), QString("alphascope-pool"));
        QCOMPARE(j.value("algorithm").toString(), QString("random"));
        QCOMPARE(j.value("seed").toInt(), 3);
        QCOMPARE(j.value("config").toObject().value("budget").toObject().value("evaluations").toInt(), 150);
        const QJsonObject run = j.value("run").toObject();
        QVERIFY(run.value("evaluations").toInt() <= 150);
        QCOMPARE(run.value("stop_reason").toString(), QString("evaluation budget"));
        const QJsonArray factors = j.value("factors").toArray();
        QVERIFY(!factors.isEmpty());
        const QJsonArray exprs = j.value("exprs").toArray(), weights = j.value("weights").toArray();
        QCOMPARE(exprs.size(), factors.size());
        QCOMPARE(weights.size(), factors.size());
        for (int k = 0; k < factors.size(); ++k) {
            const QJsonObject f = factors.at(k).toObject();
            QCOMPARE(exprs.at(k).toString(), f.value("formula").toString());
            QCOMPARE(weights.at(k).toDouble(), f.value("weight").toDouble());
            for (const char* split : {"train", "valid", "test"})
                QVERIFY2(f.value("metrics").toObject().contains(split), split);
        }
        // Each member's weight in the pool selected on valid: non-zero for at most the selected
        // members (the L1 fit may zero one of them), and for some when there is a selection.
        int kept = 0;
        for (const auto& f : factors) {
            QVERIFY(f.toObject().contains("selected_weight"));
            if (f.toObject().value("selected_weight").toDouble() != 0.0) ++kept;
        }
        QVERIFY(kept <= j.value("selected_members").toInt());
        if (j.value("selected").toObject().contains("test")) QVERIFY(kept > 0);
        for (const char* split : {"train", "valid", "test"}) QVERIFY(j.value("combined").toObject().contains(split));
        QVERIFY(j.value("adaptive").toObject().contains("test"));
        QVERIFY(!j.value("adaptive").toObject().contains("train"));

        // The first factor's train IC is what `eval` measures for that formula.
        const QJsonObject first = factors.at(0).toObject();
        const CliRun e = cli({"eval", "--json", "--data", prices(), "--sectors", sectors(), "--target", kTarget,
                              "--formula", first.value("formula").toString(), "--decay", "0"});
        QVERIFY2(e.code == 0, e.err.constData());
        const double evalIc = e.json()
                                  .value("factors")
                                  .toArray()
                                  .at(0)
                                  .toObject()
                                  .value("splits")
                                  .toArray()
                                  .at(0)
                                  .toObject()
                                  .value("ic")
                                  .toDouble();
        const double poolIc = first.value("metrics").toObject().value("train").toObject().value("ic").toDouble();
        QVERIFY2(std::fabs(evalIc - poolIc) < 1e-9, qPrintable(QString("%1 vs %2").arg(evalIc).arg(poolIc)));

        // `export --pool-choice` writes each of the file's pools: the combined one, the members
        // selected on valid (weight 0: left out), the L1 strength chosen on valid, the early pool.
        for (const QString choice : {"combined", "selected", "tuned", "early"}) {
            QJsonArray formulas, chosenWeights;
            if (choice == "early") {
                for (const auto& m : j.value("early_pool").toArray()) {
                    formulas.append(m.toObject().value("formula"));
                    chosenWeights.append(m.toObject().value("weight"));
                }
            } else {
                const QString key = choice == "combined" ? "weight" : choice + "_weight";
                for (const auto& f : factors) {
                    const QJsonValue w = f.toObject().value(key);
                    if (w.isNull() || (choice == "selected" && w.toDouble() == 0.0)) continue;
                    formulas.append(f.toObject().value("formula"));
                    chosenWeights.append(w);
                }
            }
            QVERIFY2(!formulas.isEmpty(), qPrintable(choice)); // the synthetic session has a valid split
            const QString written = m_dir.filePath("export-" + choice + ".json");
            const CliRun x =
                cli({"export", "--pool", out, "--pool-choice", choice, "--format", "alphagen", "--out", written});
            QVERIFY2(x.code == 0, x.err.constData());
            QCOMPARE(readJson(written).value("exprs").toArray(), formulas);
            QCOMPARE(readJson(written).value("weights").toArray(), chosenWeights);
        }
        const CliRun noPool = cli({"export", "--pool", m_dir.filePath("export-combined.json"), "--pool-choice", "tuned",
                                   "--out", m_dir.filePath("x.json")});
        QVERIFY(noPool.code != 0);
        QVERIFY2(noPool.err.contains("holds no tuned pool"), noPool.err.constData());
        QVERIFY(!QFile::exists(m_dir.filePath("x.json")));

        // Same seed, same pool.
        const QString again = m_dir.filePath("random2.json");
        QCOMPARE(cli(mineArgs("random", 150, again)).code, 0);
        QCOMPARE(readJson(again).value("factors").toArray(), factors);
    }

    void maxMutualBoundsThePool() {
        // --max-mutual reaches the config, and no two members correlate beyond it on train.
        const QString out = m_dir.filePath("random-max-mutual.json");
        const CliRun r = cli(mineArgs("random", 150, out) + QStringList{"--max-mutual", "0.05"});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject j = readJson(out);
        QCOMPARE(j.value("config").toObject().value("pool").toObject().value("max_mutual").toDouble(), 0.05);
        QVERIFY(!j.value("factors").toArray().isEmpty());
        if (j.value("factors").toArray().size() > 1)
            QVERIFY(j.value("diversity").toObject().value("mean_abs_mutual").toDouble() <= 0.05);
        const QJsonObject plain = readJson(m_dir.filePath("random.json"));
        QCOMPARE(plain.value("config").toObject().value("pool").toObject().value("max_mutual").toDouble(), 0.99);
        QVERIFY(plain.value("diversity").toObject().value("mean_abs_mutual").toDouble() > 0.05); // so the bound bites
        QCOMPARE(cli(mineArgs("random", 10, out) + QStringList{"--max-mutual", "1.5"}).code, 2);
    }

    void everyAlgorithmRuns_data() {
        QTest::addColumn<QString>("algo");
        for (const char* a : {"gfn", "mcts", "gp", "random"}) QTest::newRow(a) << QString(a);
    }
    void everyAlgorithmRuns() {
        QFETCH(QString, algo);
        const QString out = m_dir.filePath(algo + ".json");
        QStringList args = mineArgs(algo, 80, out);
        if (algo == "gp")
            args << "--gp-population"
                 << "40";
        if (algo == "mcts")
            args << "--mcts-simulations"
                 << "8";
        const CliRun r = cli(args);
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject j = readJson(out);
        QCOMPARE(j.value("algorithm").toString(), algo);
        QVERIFY(j.value("run").toObject().value("evaluations").toInt() <= 80);
        QVERIFY(!j.value("device").toString().isEmpty());
        QCOMPARE(j.value("pool_kind").toString(), QString("linear"));
    }

    void interruptKeepsThePool_data() {
        QTest::addColumn<QString>("algo");
        for (const char* a : {"gfn", "mcts", "gp", "random"}) QTest::newRow(a) << QString(a);
    }
    void interruptKeepsThePool() {
        // Ctrl+C (SIGINT) during a search with no budget left to run out: the CLI stops the search,
        // measures and writes the pool found so far, and exits normally.
        QFETCH(QString, algo);
        const QString out = m_dir.filePath("interrupted-" + algo + ".json");
        QStringList args = mineArgs(algo, 0, out);
        args.removeAll(QStringLiteral("--quiet")); // the progress lines say when it has started
        args << QStringList{"--budget-seconds", "600"};
        QProcess p;
        p.start(QStringLiteral(ALPHASCOPE_CLI), args);
        QVERIFY(p.waitForStarted());
        // Interrupt once the search has evaluated something: the first progress line on stderr
        // (a log gets one at the first report) with a nonzero evaluation count.
        QByteArray err;
        const QRegularExpression evals(QStringLiteral("([0-9]+) evals"));
        const auto evaluated = [&] {
            err += p.readAllStandardError();
            for (auto it = evals.globalMatch(QString::fromUtf8(err)); it.hasNext();)
                if (it.next().captured(1).toLongLong() > 0) return true;
            return false;
        };
        QVERIFY2(QTest::qWaitFor(evaluated, 120000), err.constData());
        QCOMPARE(p.state(), QProcess::Running);
        ::kill(static_cast<pid_t>(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        const QJsonObject j = readJson(out);
        QCOMPARE(j.value("run").toObject().value("stop_reason").toString(), QString("canceled"));
        QVERIFY(j.value("run").toObject().value("canceled").toBool());
        QVERIFY(j.value("run").toObject().value("evaluations").toInt() > 0);
        QVERIFY(!j.value("factors").toArray().isEmpty());
    }

    void studyCompareSetsAVariantAgainstItsBaseline() {
        // Two small studies on the same data, GP changed by --config in the variant: study-compare
        // pairs them seed by seed; random search's runs are the same in both (difference 0).
        const QString base = m_dir.filePath("cmp-base"), variant = m_dir.filePath("cmp-variant");
        const QStringList data{"--data", prices(), "--sectors", sectors(), "--target", kTarget};
        const QStringList args =
            data + QStringList{"--algos",         "random,gp", "--seeds", "2",       "--budget-evals", "40",
                               "--gp-population", "20",        "--cpu",   "--quiet", "--persistence",  "0"};
        CliRun r = cli(QStringList{"study"} + args + QStringList{"--out", base});
        QVERIFY2(r.code == 0, r.err.constData());
        const QString config = m_dir.filePath("cmp-config.json");
        writeText(config, R"({"gp": {"tournament": 3}})");
        r = cli(QStringList{"study"} + args + QStringList{"--out", variant, "--config", config});
        QVERIFY2(r.code == 0, r.err.constData());
        const QString md = m_dir.filePath("cmp.md");
        r = cli(QStringList{"study-compare"} + data +
                QStringList{"--variant", variant, "--baseline", base, "--out", md, "--quiet"});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY2(r.out.contains("| gp | 2 |") && r.out.contains("| all runs | 4 |"), r.out.constData());
        QVERIFY2(r.out.contains("| random | test IC | "), r.out.constData());
        QCOMPARE(QString::fromUtf8(readText(md)), QString::fromUtf8(r.out));
        r = cli(QStringList{"study-compare"} + data +
                QStringList{"--variant", variant, "--baseline", base, "--json", "--quiet"});
        QCOMPARE(r.code, 0);
        const QJsonObject j = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(j.value("format").toString(), QString("alphascope-study-comparison"));
        const QJsonArray algos = j.value("algorithms").toArray();
        QCOMPARE(algos.size(), 2);
        for (const QJsonValue& a : algos) {
            if (a.toObject().value("algorithm").toString() != "random") continue;
            for (const QJsonValue& f : a.toObject().value("figures").toArray()) {
                const QJsonObject d = f.toObject().value("difference").toObject();
                if (d.value("n").toInt() > 0) QCOMPARE(d.value("mean").toDouble(), 0.0);
            }
        }
        // Other splits than the runs': refused, saying why.
        r = cli(QStringList{"study-compare"} + data +
                QStringList{"--train", "2010-01-04:2010-03-31", "--variant", variant, "--baseline", base, "--quiet"});
        QCOMPARE(r.code, 5);
        QVERIFY2(r.err.contains("other data or splits"), r.err.constData());
    }

    void studyRunsResumesAndSummarises() {
        // Two algorithms x two seeds from the command line; the second call reads the pool files back.
        const QString out = m_dir.filePath("study");
        const QStringList args{"study", "--data",          prices(),    "--sectors", sectors(), "--target",
                               kTarget, "--algos",         "random,gp", "--seeds",   "2",       "--budget-evals",
                               "40",    "--gp-population", "20",        "--cpu",     "--quiet", "--persistence",
                               "200",   "--out",           out};
        CliRun r = cli(args);
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(r.out.contains("| random |") && r.out.contains("random − gp"));
        // The split's persistence, measured after the runs, frames the figures.
        QVERIFY2(r.out.contains("The split's persistence: ") && r.out.contains("train ↔ valid"), r.out.constData());
        QVERIFY(r.out.contains("Runs: 4 run now, 0 read back"));
        for (const char* f : {"random-seed0.json", "random-seed1.json", "gp-seed0.json", "gp-seed1.json", "summary.md",
                              "summary.json", "curves.csv"})
            QVERIFY2(QFile::exists(out + "/" + f), f);
        const QJsonObject summary = readJson(out + "/summary.json");
        QCOMPARE(summary.value("format").toString(), QString("alphascope-study"));
        QCOMPARE(summary.value("algorithms").toArray().size(), 2);
        QCOMPARE(summary.value("pairs").toArray().size(), 1);
        QVERIFY(summary.value("persistence").toObject().value("formulas").toInt() > 0);
        QVERIFY(!summary.value("persistence").toObject().value("verdict").toString().isEmpty());
        r = cli(args);
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("Runs: 0 run now, 4 read back"));
        r = cli({"study", "--data", prices(), "--algos", "random,annealing", "--out", out});
        QCOMPARE(r.code, 5);
        QVERIFY(r.err.contains("annealing"));

        // --config: a partial search config over every algorithm's defaults. GP's own block
        // changes, so GP's pairs run again and random search's are read back.
        const QString config = m_dir.filePath("study-config.json");
        writeText(config, R"({"gp": {"tournament": 3}})");
        r = cli(args + QStringList{"--config", config});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY2(r.out.contains("Runs: 2 run now, 2 read back"), r.out.constData());
        const QJsonObject gp = readJson(out + "/gp-seed0.json").value("config").toObject().value("gp").toObject();
        QCOMPARE(gp.value("tournament").toInt(), 3);
        QCOMPARE(gp.value("population").toInt(), 20); // --gp-population given: it wins
        // A bad value or key stops before any search, naming the file and the key.
        writeText(config, R"({"gp": {"tournament": 0}})");
        r = cli(args + QStringList{"--config", config});
        QCOMPARE(r.code, 5);
        QVERIFY2(r.err.contains("study-config.json") && r.err.contains("gp.tournament"), r.err.constData());
        writeText(config, R"({"pool": {"kind": "deep"}})");
        r = cli(args + QStringList{"--config", config});
        QCOMPARE(r.code, 5);
        QVERIFY2(r.err.contains("pool.kind"), r.err.constData());
        r = cli(args + QStringList{"--config", m_dir.filePath("no-such-config.json")});
        QCOMPARE(r.code, 5);
        QVERIFY(r.err.contains("no-such-config.json"));
    }

    void errorsAreLocated() {
        CliRun r = cli({"mine", "--algo", "annealing", "--data", prices()});
        QCOMPARE(r.code, 2);
        r = cli({"mine", "--algo", "random", "--data", prices(), "--target", kTarget, "--budget-evals", "0"});
        QCOMPARE(r.code, 5);
        QVERIFY(r.err.contains("budget"));
        r = cli({"mine", "--algo", "random", "--data", m_dir.filePath("missing.csv"), "--budget-evals", "10"});
        QCOMPARE(r.code, 3);
        QVERIFY(r.err.contains("missing.csv"));
        r = cli(mineArgs("random", 10, "/nonexistent-dir/pool.json"));
        QCOMPARE(r.code, 5);
        QVERIFY(r.err.contains("/nonexistent-dir/pool.json"));
        r = cli({"synth", "--out", m_dir.filePath("bad"), "--formula", "Mean($close, 5)"});
        QCOMPARE(r.code, 5);
        QVERIFY(r.err.contains("price level"));
        r = cli({"synth", "--out", m_dir.filePath("bad"), "--formula", "Mena($close, 5)"});
        QCOMPARE(r.code, 4);
        QVERIFY(r.err.contains("Mean"));
    }
};

QTEST_GUILESS_MAIN(TestCliMine)
#include "tst_cli_mine.moc"

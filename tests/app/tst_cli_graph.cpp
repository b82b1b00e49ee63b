// alphascope-cli graph and --hierarchy end to end on the bundled sample: the JSON's levels and
// windows, the assignments and regime CSVs, a learned level used in a formula, located errors.

#include "tests/support/cli_support.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>

#include <cmath>

using alphascope::test::cli;

class TestCliGraph : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void graphJsonAndFiles() {
        QTemporaryDir dir;
        const QString assignments = dir.filePath("a.csv"), series = dir.filePath("s.csv");
        const auto r = cli({"graph", "--json", "--levels", "6,2", "--window", "60", "--step", "40", "--edges", "both",
                            "--assignments-csv", assignments, "--series-csv", series});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject j = r.json();
        QCOMPARE(j.value("linkage").toString(), QStringLiteral("ward"));
        QCOMPARE(j.value("min_overlap").toInt(), 40);
        // 1,259 days: ends at day 60, 100, ..., 1220, then the last day 1258.
        const QJsonArray windows = j.value("windows").toArray();
        QCOMPARE(windows.size(), 31);
        const QJsonArray levels = j.value("levels").toArray();
        QCOMPARE(levels.size(), 2);
        QCOMPARE(levels[0].toObject().value("name").toString(), QStringLiteral("h1"));
        QCOMPARE(levels[0].toObject().value("clusters_mean").toDouble(), 6.0);
        for (const auto& l : levels) {
            const QJsonObject o = l.toObject();
            for (const char* key : {"silhouette", "ari_compared", "stability_ari", "entropy"}) {
                const double v = o.value(key).toDouble(std::nan(""));
                QVERIFY2(v >= -1 && v <= 1, key);
            }
            // Stocks cluster by sector more than by chance, and the clusters hold together over time.
            QVERIFY(o.value("ari_compared").toDouble() > 0.05);
            QVERIFY(o.value("stability_ari").toDouble() > 0.1);
            QVERIFY(o.value("intra_correlation").toDouble() > o.value("inter_correlation").toDouble());
        }
        const QJsonObject g = j.value("graph").toObject();
        QVERIFY(g.value("edges").toInt() > 0);
        QCOMPARE(g.value("mst_edges").toInt(), g.value("nodes").toInt() - 1);

        QFile a(assignments);
        QVERIFY(a.open(QIODevice::ReadOnly));
        QTextStream as(&a);
        QCOMPARE(as.readLine(), QStringLiteral("window_end,instrument,h1,h2"));
        int rows = 0;
        while (!as.atEnd()) {
            const QStringList cells = as.readLine().split(',');
            QCOMPARE(cells.size(), 4);
            QVERIFY(cells[2].toInt() >= 1 && cells[2].toInt() <= 6);
            QVERIFY(cells[3].toInt() >= 1 && cells[3].toInt() <= 2);
            ++rows;
        }
        QVERIFY(rows > 31 * 100); // most of 150 instruments in every window
        QFile s(series);
        QVERIFY(s.open(QIODevice::ReadOnly));
        QCOMPARE(s.readLine().trimmed(),
                 QByteArray("date,mean_correlation,h1_entropy,h1_silhouette,h1_ari_compared,h1_stability,"
                            "h2_entropy,h2_silhouette,h2_ari_compared,h2_stability"));
        QCOMPARE(QString(s.readAll()).count('\n'), 1259 - 60); // from the first fit to the last day
    }

    void learnedLevelInAFormula() {
        const auto r = cli({"eval", "--json", "--hierarchy", "ward:6,2", "--formula",
                            "GroupDemean(Div($close,Ref($close,20)),h1)", "--formula", "GroupRank($volume,h2)"});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonArray factors = r.json().value("factors").toArray();
        QCOMPARE(factors.size(), 2);
        for (const auto& f : factors)
            for (const auto& s : f.toObject().value("splits").toArray()) {
                QVERIFY(s.toObject().value("ic").isDouble());
                QVERIFY(s.toObject().value("coverage").toDouble() > 0.9);
            }
        bool listed = false;
        for (const auto& g : r.json().value("data").toObject().value("groupings").toArray())
            listed = listed || g.toObject().value("name").toString() == QStringLiteral("h2");
        QVERIFY(listed);
        // Without --hierarchy the level is unknown.
        QCOMPARE(cli({"eval", "--formula", "GroupRank($volume,h1)"}).code, 4);
    }

    void gcnBaselineBesideFormulas() {
        const auto r = cli({"gnn", "--json", "--epochs", "2", "--compare", "Div($close,Ref($close,20))"});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject j = r.json();
        const QJsonObject g = j.value("gcn").toObject();
        QVERIFY(g.value("graph").toString().contains("sector"));
        QCOMPARE(g.value("valid_ic").toArray().size(), g.value("epochs_run").toInt());
        QVERIFY(g.value("epochs_run").toInt() >= 1 && g.value("epochs_run").toInt() <= 2);
        const QJsonArray signals = j.value("signals").toArray();
        QCOMPARE(signals.size(), 2);
        QVERIFY(signals[0].toObject().value("name").toString().startsWith("GCN"));
        for (const auto& s : signals) {
            const QJsonObject o = s.toObject();
            QCOMPARE(o.value("splits").toArray().size(), 3);
            for (const auto& sp : o.value("splits").toArray())
                QVERIFY(std::fabs(sp.toObject().value("ic").toDouble(9)) < 1);
            const QJsonObject bt = o.value("backtest").toObject();
            QVERIFY(bt.value("days").toInt() > 100);
            QVERIFY(bt.value("sharpe").isDouble());
        }
        auto bad = cli({"gnn", "--group", "nosuch"});
        QCOMPARE(bad.code, 3);
        QVERIFY(bad.err.contains("nosuch"));
    }

    void badOptionsAreLocated() {
        auto r = cli({"eval", "--hierarchy", "median:3", "--formula", "$close"});
        QCOMPARE(r.code, 5);
        QVERIFY(r.err.contains("--hierarchy") && r.err.contains("median"));
        r = cli({"graph", "--levels", "3,5"});
        QCOMPARE(r.code, 5);
        QVERIFY(r.err.contains("fine to coarse"));
        r = cli({"graph", "--linkage", "centroid"});
        QCOMPARE(r.code, 5);
        QVERIFY(r.err.contains("--linkage"));
        r = cli({"graph", "--window", "5000"});
        QCOMPARE(r.code, 5);
        QVERIFY(r.err.contains("fewer than the window"));
    }
};

QTEST_GUILESS_MAIN(TestCliGraph)
#include "tst_cli_graph.moc"

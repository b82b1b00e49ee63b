// alphascope-cli export / import end to end on the bundled sample: every format written and read
// back, Qlib's flagged factors, located errors with documented exit codes, and a project that a
// failed import leaves as it was.

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "tests/support/cli_support.h"

#include <cmath>

namespace {

using Run = alphascope::test::CliRun;
using alphascope::test::cli;

// AlphaGen's own pool file shape (LinearAlphaPool.to_json_dict): "20d" windows, bare constants.
const QByteArray kAlphaGenPool =
    R"json({"exprs": ["Div(Sub($close,$open),Sub($high,$low))", "CSRank(Delta($close,5d))", "Mul(WMA($volume,10d),-0.5)", "EMA($close,20d)"], "weights": [0.5, -0.25, 0.125, 0.0625]})json";
const QStringList kCanonical = {"Div(Sub($close, $open), Sub($high, $low))", "CSRank(Delta($close, 5))",
                                "Mul(WMA($volume, 10), -0.5)", "EMA($close, 20)"};

void write(const QString& path, const QByteArray& text) {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(path));
    f.write(text);
}

QByteArray read(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QStringList formulasOf(const QJsonArray& factors) {
    QStringList out;
    for (const auto& f : factors) out << f.toObject().value("formula").toString();
    return out;
}

/// The project's factors, read through a native export.
QJsonArray projectFactors(const QTemporaryDir& dir, const QString& project) {
    const QString out = dir.filePath("peek.json");
    const Run r = cli({"export", "--project", project, "--out", out});
    if (r.code != 0) return {};
    return QJsonDocument::fromJson(read(out)).object().value("factors").toArray();
}

} // namespace

class TestCliFactorSet : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_project;

    QString path(const QString& name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_project = path("project.alphascope");
        write(path("alphagen.json"), kAlphaGenPool);
    }

    void helpShowsTheOptions() {
        const Run e = cli({"export", "--help"});
        QCOMPARE(e.code, 0);
        for (const char* flag : {"--project", "--ids", "--pool", "--format", "--out", "--data", "native", "qlib"})
            QVERIFY2(e.out.contains(flag), flag);
        const Run i = cli({"import", "--help"});
        QCOMPARE(i.code, 0);
        for (const char* flag : {"--project", "--dry-run", "--data", "--train"}) QVERIFY2(i.out.contains(flag), flag);
        QVERIFY(cli({"--help"}).out.contains("export"));
    }

    void importAlphaGenPool() {
        const Run dry = cli({"import", "--project", m_project, "--dry-run", path("alphagen.json")});
        QCOMPARE(dry.code, 0);
        QVERIFY(!QFile::exists(m_project)); // a dry run writes nothing, not even an empty project

        const Run r = cli({"import", "--project", m_project, "--json", path("alphagen.json")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject j = r.json();
        const QJsonArray imported = j.value("imported").toArray();
        QCOMPARE(formulasOf(imported), kCanonical);
        QCOMPARE(imported.at(1).toObject().value("id").toInt(), 2);
        QCOMPARE(imported.at(2).toObject().value("weight").toDouble(), 0.125);
        QCOMPARE(imported.at(0).toObject().value("metrics").toArray().size(), 3);
        QVERIFY(j.value("errors").toArray().isEmpty());
        QCOMPARE(formulasOf(projectFactors(m_dir, m_project)), kCanonical);
    }

    void nativeRoundTripThroughASecondProject() {
        const QString out = path("native.json");
        const Run e = cli({"export", "--project", m_project, "--ids", "3,1", "--out", out});
        QVERIFY2(e.code == 0, e.err.constData());
        const QJsonObject set = QJsonDocument::fromJson(read(out)).object();
        QCOMPARE(set.value("format").toString(), QStringLiteral("alphascope-factor-set"));
        QCOMPARE(formulasOf(set.value("factors").toArray()), QStringList({kCanonical[2], kCanonical[0]}));
        QVERIFY(set.value("dataset").toObject().value("source").toString().endsWith("prices.csv.xz"));
        QCOMPARE(set.value("dataset").toObject().value("splits").toArray().size(), 3);

        const QString second = path("second.alphascope");
        const Run i = cli({"import", "--project", second, "--json", out});
        QVERIFY2(i.code == 0, i.err.constData());
        const QJsonArray back = projectFactors(m_dir, second);
        QCOMPARE(formulasOf(back), QStringList({kCanonical[2], kCanonical[0]}));
        // Measured again on the same data: the same metrics.
        const QJsonArray before = set.value("factors").toArray().at(0).toObject().value("metrics").toArray();
        const QJsonArray after = back.at(0).toObject().value("metrics").toArray();
        QCOMPARE(after, before);
    }

    void poolWeightsSurviveAlphaGenAndNative() {
        const QString ag = path("again.json"), native = path("weights.json");
        QCOMPARE(cli({"export", "--pool", path("alphagen.json"), "--format", "alphagen", "--out", ag}).code, 0);
        const QJsonObject j = QJsonDocument::fromJson(read(ag)).object();
        QCOMPARE(j.keys(), QStringList({"exprs", "weights"}));
        QCOMPARE(j.value("weights").toArray(), QJsonArray({0.5, -0.25, 0.125, 0.0625}));
        QCOMPARE(cli({"export", "--pool", ag, "--out", native}).code, 0);
        const QJsonArray factors = QJsonDocument::fromJson(read(native)).object().value("factors").toArray();
        QCOMPARE(factors.at(3).toObject().value("weight").toDouble(), 0.0625);
        // A project has no weights: AlphaGen gets the equal-weight sum, and says so.
        const Run p = cli({"export", "--project", m_project, "--format", "alphagen", "--out", ag, "--json"});
        QCOMPARE(p.code, 0);
        QCOMPARE(p.json().value("notes").toArray().size(), 1);
        QCOMPARE(QJsonDocument::fromJson(read(ag)).object().value("weights").toArray(),
                 QJsonArray({1.0, 1.0, 1.0, 1.0}));
    }

    void csvQlibAndValues() {
        const Run c =
            cli({"export", "--project", m_project, "--format", "csv", "--ids", "2,1", "--out", path("m.csv")});
        QCOMPARE(c.code, 0);
        const QList<QByteArray> rows = read(path("m.csv")).split('\n');
        QVERIFY(rows[0].startsWith("name,formula,weight,train_ic_days,train_ic,"));
        QVERIFY(rows[1].startsWith("\"CSRank(Delta($close, 5))\",\"CSRank(Delta($close, 5))\",,"));
        QVERIFY(rows[2].startsWith("\"Div(Sub($close, $open), Sub($high, $low))\""));

        const Run q = cli({"export", "--project", m_project, "--format", "qlib", "--out", path("q.txt"), "--json"});
        QCOMPARE(q.code, 0);
        const QJsonArray flagged = q.json().value("flagged").toArray();
        QCOMPARE(flagged.size(), 2);
        QCOMPARE(flagged.at(0).toObject().value("uses").toString(), QStringLiteral("CSRank"));
        QCOMPARE(flagged.at(1).toObject().value("uses").toString(), QStringLiteral("EMA"));
        QStringList expressions;
        for (const QByteArray& l : read(path("q.txt")).split('\n'))
            if (!l.isEmpty() && !l.startsWith('#')) expressions << QString::fromUtf8(l);
        QCOMPARE(expressions,
                 QStringList({"Div(Sub($close, $open), Sub($high, $low))", "Mul(Mul(WMA($volume, 10), 10), -0.5)"}));
        QVERIFY(read(path("q.txt")).contains("# not expressible in Qlib: EMA($close, 20) (uses EMA)\n"));

        const Run v =
            cli({"export", "--project", m_project, "--format", "values", "--ids", "1,4", "--out", path("v.csv")});
        QVERIFY2(v.code == 0, v.err.constData());
        const QList<QByteArray> lines = read(path("v.csv")).split('\n');
        QCOMPARE(lines[0],
                 QByteArray(R"x(date,instrument,"Div(Sub($close, $open), Sub($high, $low))","EMA($close, 20)")x"));
        QVERIFY(lines.size() > 150 * 1000);
        QVERIFY(lines[1].startsWith("2015-01-12,"));
        QVERIFY(lines[1].endsWith(",")); // EMA(20) has no value on the first day
        bool ok = false;
        lines[1].split(',')[2].toDouble(&ok);
        QVERIFY(ok);
    }

    void worldQuantListsImportAndExport() {
        // Alphas pasted from the paper, each after its name; one needs cap, which the sample lacks.
        const QByteArray two = "# Alpha#3\n(-1 * correlation(rank(open), rank(volume), 10))\n\n"
                               "# Alpha#101\n  ((close - open) / ((high - low) + .001))\n";
        write(path("alphas.txt"), two + "# Alpha#56\n(0 - (1 * (rank((sum(returns, 10) / sum(sum(returns, 2), 3))) * "
                                        "rank((returns * cap)))))\n");
        const QString project = path("wq.alphascope");
        const Run bad = cli({"import", "--project", project, path("alphas.txt")});
        QCOMPARE(bad.code, 4);
        QVERIFY2(bad.err.contains("alphas.txt:7:") && bad.err.contains("cap (market capitalisation)"),
                 bad.err.constData());
        QVERIFY(!QFile::exists(project));

        write(path("alphas.txt"), two);
        const Run r = cli({"import", "--project", project, "--json", path("alphas.txt")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonArray imported = r.json().value("imported").toArray();
        const QStringList canonical = {"Mul(-1, Corr(CSRank($open), CSRank($volume), 10))",
                                       "Div(Sub($close, $open), Add(Sub($high, $low), 0.001))"};
        QCOMPARE(formulasOf(imported), canonical);
        QCOMPARE(imported.at(0).toObject().value("name").toString(), QStringLiteral("Alpha#3"));
        QCOMPARE(imported.at(1).toObject().value("name").toString(), QStringLiteral("Alpha#101"));

        // Exported in WorldQuant's notation, and imported again: the same formulas.
        const Run e = cli({"export", "--project", project, "--format", "worldquant", "--out", path("wq.txt")});
        QVERIFY2(e.code == 0, e.err.constData());
        QStringList expressions;
        for (const QByteArray& l : read(path("wq.txt")).split('\n'))
            if (!l.isEmpty() && !l.startsWith('#')) expressions << QString::fromUtf8(l);
        QCOMPARE(expressions, QStringList({"(-1) * correlation(rank(open), rank(volume), 10)",
                                           "(close - open) / ((high - low) + 0.001)"}));
        const Run again = cli({"import", "--project", path("wq2.alphascope"), "--json", path("wq.txt")});
        QVERIFY2(again.code == 0, again.err.constData());
        QCOMPARE(formulasOf(again.json().value("imported").toArray()), canonical);
        QCOMPARE(again.json().value("imported").toArray().at(1).toObject().value("name").toString(),
                 QStringLiteral("Alpha#101"));
        // Qlib's list reads back too (its unexpressible factors are comments).
        const Run q = cli({"export", "--project", project, "--format", "qlib", "--out", path("q2.txt")});
        QVERIFY2(q.code == 0, q.err.constData());
        const Run fromQlib = cli({"import", "--project", path("wq3.alphascope"), "--json", path("q2.txt")});
        QVERIFY2(fromQlib.code == 0, fromQlib.err.constData());
        QCOMPARE(formulasOf(fromQlib.json().value("imported").toArray()), QStringList({canonical[1]}));
    }

    void badFormulasAreLocatedAndImportNothing() {
        const QJsonArray before = projectFactors(m_dir, m_project);
        write(path("bad.json"), "{\n  \"exprs\": [\n    \"Mean($close, 5)\",\n    \"Mean($close, 0)\",\n"
                                "    \"Foo($close)\"\n  ]\n}\n");
        const Run r = cli({"import", "--project", m_project, path("bad.json")});
        QCOMPARE(r.code, 4);
        QVERIFY2(r.err.contains("bad.json:4:19: factor 2 \"Mean($close, 0)\""), r.err.constData());
        QVERIFY(r.err.contains("bad.json:5:6: factor 3 \"Foo($close)\": unknown operator"));
        QVERIFY(r.err.contains("nothing was imported"));
        QCOMPARE(projectFactors(m_dir, m_project), before);
        const Run j = cli({"import", "--project", m_project, "--json", path("bad.json")});
        QCOMPARE(j.code, 4);
        QCOMPARE(j.json().value("errors").toArray().size(), 2);
        QVERIFY(j.json().value("imported").toArray().isEmpty());
        // Nothing is created either.
        QCOMPARE(cli({"import", "--project", path("never.alphascope"), path("bad.json")}).code, 4);
        QVERIFY(!QFile::exists(path("never.alphascope")));
    }

    void badFilesAndOptions() {
        const QJsonArray before = projectFactors(m_dir, m_project);
        write(path("broken.json"), "{\n  \"exprs\": [\"$close\",\n  ]\n}\n");
        const Run b = cli({"import", "--project", m_project, path("broken.json")});
        QCOMPARE(b.code, 3);
        QVERIFY2(b.err.contains("broken.json:3:3: not valid JSON (byte 26)"), b.err.constData());
        write(path("nokey.json"), "{\"factors\": [{\"name\": \"x\"}]}");
        const Run k = cli({"import", "--project", m_project, path("nokey.json")});
        QCOMPARE(k.code, 3);
        QVERIFY(k.err.contains("nokey.json:1:14: factor 1 has no \"formula\""));
        QCOMPARE(cli({"import", "--project", m_project, path("missing.json")}).code, 3);
        QCOMPARE(projectFactors(m_dir, m_project), before);

        QCOMPARE(cli({"export", "--project", path("nope.alphascope"), "--out", path("x.json")}).code, 3);
        QVERIFY(!QFile::exists(path("nope.alphascope")));
        QCOMPARE(cli({"export", "--out", path("x.json")}).code, 2);
        QCOMPARE(cli({"export", "--project", m_project, "--pool", path("alphagen.json"), "--ids", "1", "--out",
                      path("x.json")})
                     .code,
                 2);
        QCOMPARE(cli({"export", "--project", m_project, "--format", "parquet", "--out", path("x.json")}).code, 2);
        const Run id = cli({"export", "--project", m_project, "--ids", "1,99", "--out", path("x.json")});
        QCOMPARE(id.code, 5);
        QVERIFY(id.err.contains("no factor with id 99"));
        QCOMPARE(cli({"export", "--project", m_project, "--out", path("no/such/dir/x.json")}).code,
                 5); // output file
        QVERIFY(!QFile::exists(path("x.json")));
    }
};

QTEST_GUILESS_MAIN(TestCliFactorSet)
#include "tst_cli_factor_set.moc"

// alphascope-cli end to end: eval / backtest / convert / info / bench on the sample, the shared US
// data and a Qlib folder written by `convert`; located errors and documented exit codes.

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "tests/support/cli_support.h"

#include <cmath>

namespace {

using Run = alphascope::test::CliRun;
using alphascope::test::cli;

QString sharedPrices() {
    return QStringLiteral(ALPHASCOPE_SHARED_DATA "/prices.csv.xz");
}
QString sharedSectors() {
    return QStringLiteral(ALPHASCOPE_SHARED_DATA "/sectors.csv");
}

const QJsonObject split(const QJsonObject& factor, const QString& name) {
    for (const auto& s : factor.value("splits").toArray())
        if (s.toObject().value("name").toString() == name) return s.toObject();
    return {};
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void helpDocumentsExitCodes() {
        const Run r = cli({"--help"});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("Exit codes"));
        for (const char* sub : {"eval", "backtest", "bench", "info", "convert"}) QVERIFY2(r.out.contains(sub), sub);
        const Run e = cli({"eval", "--help"});
        QCOMPARE(e.code, 0);
        for (const char* flag :
             {"--data", "--sectors", "--universe", "--target", "--train", "--valid", "--test", "--formula", "--json"})
            QVERIFY2(e.out.contains(flag), flag);
        const Run b = cli({"backtest", "--help"});
        for (const char* flag :
             {"--topk", "--ndrop", "--open-cost", "--close-cost", "--min-cost", "--daily-csv", "--strategy"})
            QVERIFY2(b.out.contains(flag), flag);
        QCOMPARE(cli({"eval", "--no-such-flag"}).code, 2);
        QCOMPARE(cli({}).code, 2);
    }

    void evalOnSample() {
        const Run r = cli({"eval", "--json", "--formula", "Div(Sub($close,$open),Sub($high,$low))", "--formula",
                           "CSRank(Delta($close, 5))"});
        QCOMPARE(r.code, 0);
        const QJsonObject j = r.json();
        QCOMPARE(j.value("data").toObject().value("instruments").toInt(), 150);
        QCOMPARE(j.value("data").toObject().value("days").toInt(), 1259);
        QCOMPARE(j.value("horizon").toInt(), 20);
        const QJsonArray factors = j.value("factors").toArray();
        QCOMPARE(factors.size(), 2);
        for (const auto& f : factors) {
            QCOMPARE(f.toObject().value("splits").toArray().size(), 3);
            const QJsonObject train = split(f.toObject(), "train");
            QVERIFY(train.value("ic").isDouble());
            QVERIFY(std::fabs(train.value("ic").toDouble()) < 0.2);
            QVERIFY(train.value("ic_days").toInt() > 500);
            QCOMPARE(train.value("ic_decay").toArray().size(), 20);
            QVERIFY(train.value("coverage").toDouble() > 0.9);
        }
        QCOMPARE(j.value("mutual_correlation").toArray().size(), 1);
        QCOMPARE(factors.at(1).toObject().value("worldquant").toString(), QStringLiteral("rank(delta(close, 5))"));
        // the text form prints a table; a WorldQuant formula is read and shown in both notations
        const Run t = cli({"eval", "-f", "ts_mean(close, 20)"});
        QCOMPARE(t.code, 0);
        QVERIFY(t.out.contains("RankIC"));
        QVERIFY(t.out.contains("train"));
        QVERIFY2(t.out.contains("Factor  Mean($close, 20)") && t.out.contains("WorldQuant: ts_mean(close, 20)"),
                 t.out.constData());
    }

    void persistenceOnSample() {
        // Random formulas of the search grammar on the bundled sample (150 stocks, 2015-2019):
        // the years and the three splits, every pair correlated with an interval, the selection
        // check for valid and test; the Markdown and CSV files written beside.
        QTemporaryDir dir;
        const QString md = dir.filePath("persistence.md"), csv = dir.filePath("persistence.csv");
        const Run r = cli({"persistence", "--json", "-q", "--formulas", "150", "--bootstrap", "50", "--top", "10",
                           "--out", md, "--csv", csv});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject j = r.json();
        QCOMPARE(j.value("measure").toString(), QStringLiteral("rank_ic"));
        QCOMPARE(j.value("drawn").toInt(), 150);
        const int usable = j.value("usable").toInt();
        QVERIFY(usable > 50);
        QCOMPARE(usable + j.value("failed").toInt(), 150);
        const QJsonArray periods = j.value("periods").toArray();
        QStringList names;
        for (const auto& p : periods) names << p.toObject().value("name").toString();
        QVERIFY2(names.contains("2016") && names.contains("2018") && names.endsWith("test") && names.contains("train"),
                 qPrintable(names.join(",")));
        const QJsonArray corr = j.value("correlations").toArray();
        QCOMPARE(corr.size(), periods.size() * (periods.size() - 1) / 2);
        for (const auto& c : corr) {
            const QJsonObject o = c.toObject();
            if (!o.value("correlation").isDouble()) continue;
            QVERIFY(std::fabs(o.value("correlation").toDouble()) <= 1.0);
            QVERIFY(o.value("lo95").toDouble() <= o.value("correlation").toDouble() + 1e-12);
            QVERIFY(o.value("hi95").toDouble() >= o.value("correlation").toDouble() - 1e-12);
        }
        const QJsonArray sel = j.value("selection").toArray();
        QCOMPARE(sel.size(), 2);
        QCOMPARE(sel.at(0).toObject().value("split").toString(), QStringLiteral("valid"));
        QCOMPARE(sel.at(1).toObject().value("top_k").toInt(), 10);
        // The samplers in proportion to |train|^beta: beta 0 is the selection's "every formula".
        const QJsonArray samplers = j.value("samplers").toArray();
        QCOMPARE(samplers.size(), 6);
        QCOMPARE(samplers.at(0).toObject().value("beta").toDouble(), 0.0);
        QVERIFY(std::fabs(samplers.at(0).toObject().value("signed_means").toObject().value("test").toDouble() -
                          sel.at(1).toObject().value("all_signed_mean").toDouble()) < 1e-9);
        QVERIFY(j.value("suggested_sampler_beta").isDouble());
        QVERIFY(
            QStringList({"against", "no_carry_over", "weak", "carries_over"}).contains(j.value("verdict").toString()));
        QFile m(md), c(csv);
        QVERIFY(m.open(QIODevice::ReadOnly) && c.open(QIODevice::ReadOnly));
        QVERIFY(m.readAll().contains("# Persistence of factor performance"));
        const QList<QByteArray> lines = c.readAll().split('\n');
        QVERIFY(lines.front().startsWith("formula,"));
        QCOMPARE(lines.size(), usable + 2); // header, rows, and the empty piece after the last newline
        // A grammar it cannot use is a config error that names the file.
        const QString bad = dir.filePath("bad.json");
        QFile b(bad);
        QVERIFY(b.open(QIODevice::WriteOnly));
        b.write(
            R"({"grammar": {"operators": ["Add"], "features": ["nosuchfield"], "windows": [10], "constants": [1]}})");
        b.close();
        const Run e = cli({"persistence", "-q", "--formulas", "10", "--config", bad});
        QVERIFY(e.code != 0);
        QVERIFY2(e.err.contains("nosuchfield"), e.err.constData());
    }

    void evalOnSharedDataMatchesWorkedExample() {
        if (!QFile::exists(sharedPrices())) QSKIP("shared US dataset not beside the repository");
        // ALGORITHMS.md §10: IC days 2016-01-04 .. 2019-12-11 (993), computed independently with pandas.
        const Run r =
            cli({"eval", "--json", "--data", sharedPrices(), "--sectors", sharedSectors(), "--train",
                 "2016-01-01:2019-12-31", "--decay", "0", "--formula", "Div(Sub($close,$open),Sub($high,$low))"});
        QCOMPARE(r.code, 0);
        const QJsonObject train = split(r.json().value("factors").toArray().at(0).toObject(), "train");
        QCOMPARE(train.value("ic_days").toInt(), 993);
        QVERIFY2(std::fabs(train.value("ic").toDouble() - (-0.00728)) < 1e-4,
                 qPrintable(QString::number(train.value("ic").toDouble())));
        QVERIFY2(std::fabs(train.value("rank_ic").toDouble() - (-0.00838)) < 1e-4,
                 qPrintable(QString::number(train.value("rank_ic").toDouble())));
        QCOMPARE(r.json().value("data").toObject().value("instruments").toInt(), 537);
    }

    void backtestWritesDailySeries() {
        QTemporaryDir dir;
        const QString csv = dir.filePath("daily.csv");
        const Run r = cli({"backtest", "--json", "--formula", "Neg(Delta($close, 5))", "--topk", "20", "--ndrop", "2",
                           "--daily-csv", csv});
        QCOMPARE(r.code, 0);
        const QJsonObject j = r.json();
        const QJsonObject p = j.value("portfolio").toObject();
        for (const char* k : {"cumulative_return", "annual_return", "annual_volatility", "sharpe", "max_drawdown",
                              "turnover", "win_rate"})
            QVERIFY2(p.value(k).isDouble(), k);
        QVERIFY(p.value("max_drawdown").toDouble() <= 0);
        QVERIFY(p.value("turnover").toDouble() > 0 && p.value("turnover").toDouble() <= 1);
        QCOMPARE(j.value("config").toObject().value("topk").toInt(), 20);
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
        QCOMPARE(lines.front(), QByteArray("date,return,benchmark,excess,turnover,cost,value,holdings"));
        QCOMPARE(lines.size() - 1, p.value("days").toInt());
        // the first traded day fills the book: 20 holdings
        QCOMPARE(lines.at(1).split(',').last().toInt(), 20);
        for (const char* s : {"longshort", "longonly"}) {
            const Run q =
                cli({"backtest", "--json", "--strategy", s, "--formula", "Neg(Delta($close, 5))", "--period", "valid"});
            QCOMPARE(q.code, 0);
            QVERIFY(q.json().value("portfolio").toObject().value("sharpe").isDouble());
        }
    }

    void qlibFolderRoundTrip() {
        QTemporaryDir dir;
        const QString qlib = dir.filePath("qlib");
        const Run c = cli({"convert", "--qlib-out", qlib});
        QCOMPARE(c.code, 0);
        QVERIFY(QFile::exists(qlib + "/calendars/day.txt"));
        QVERIFY(QFile::exists(qlib + "/instruments/all.txt"));
        const QString sectors = QStringLiteral(ALPHASCOPE_SAMPLE_DIR "/sectors.csv");
        const QStringList evalArgs = {"eval",      "--json",
                                      "--decay",   "0",
                                      "--formula", "Div(Sub($close,$open),Sub($high,$low))",
                                      "--formula", "GroupRank($volume, sector)"};
        const Run fromCsv = cli(evalArgs);
        const Run fromQlib2 = cli(QStringList(evalArgs) << "--data" << qlib << "--sectors" << sectors);
        QCOMPARE(fromCsv.code, 0);
        QCOMPARE(fromQlib2.code, 0);
        const QJsonArray a = fromCsv.json().value("factors").toArray(), b = fromQlib2.json().value("factors").toArray();
        QCOMPARE(a.size(), 2);
        for (int f = 0; f < 2; ++f)
            for (const char* s : {"train", "valid", "test"}) {
                const double x = split(a.at(f).toObject(), s).value("ic").toDouble();
                const double y = split(b.at(f).toObject(), s).value("ic").toDouble();
                QVERIFY2(std::fabs(x - y) < 1e-9,
                         qPrintable(QStringLiteral("%1 %2: %3 vs %4").arg(f).arg(s).arg(x).arg(y)));
            }
        const Run bt = cli({"backtest", "--json", "--data", qlib, "--formula", "Neg(Delta($close, 5))"});
        QCOMPARE(bt.code, 0);
        const Run badUniverse = cli({"eval", "--data", qlib, "--universe", "csi300", "-f", "$close"});
        QCOMPARE(badUniverse.code, 3);
        QVERIFY(badUniverse.err.contains("csi300"));
        QVERIFY(badUniverse.err.contains("all"));
        // a truncated .bin is located by file and byte
        QFile bin(qlib + "/features/" + QDir(qlib + "/features").entryList(QDir::Dirs | QDir::NoDotAndDotDot).first() +
                  "/close.day.bin");
        QVERIFY(bin.open(QIODevice::ReadWrite));
        QVERIFY(bin.resize(bin.size() - 2));
        bin.close();
        const Run truncated = cli({"eval", "--data", qlib, "-f", "$close"});
        QCOMPARE(truncated.code, 3);
        QVERIFY2(truncated.err.contains("close.day.bin@"), truncated.err.constData());
    }

    void badInputIsLocated() {
        QTemporaryDir dir;
        const QString missing = dir.filePath("nope.csv");
        const Run m = cli({"eval", "--data", missing, "-f", "$close"});
        QCOMPARE(m.code, 3);
        QVERIFY(m.err.contains("nope.csv"));

        const QString bad = dir.filePath("bad.csv");
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(
            "date,ticker,open,high,low,close,volume\n2020-01-02,AAA,1,2,0.5,1.5,100\n2020-01-02,BBB,1,2,0.5,abc,100\n");
        f.close();
        const Run b = cli({"eval", "--data", bad, "-f", "$close"});
        QCOMPARE(b.code, 3);
        QVERIFY2(b.err.contains("bad.csv:3"), b.err.constData());
        QVERIFY(b.err.contains("abc"));

        const Run formula = cli({"eval", "-f", "Mean($close, $open)"});
        QCOMPARE(formula.code, 4);
        QVERIFY(formula.err.contains("column 14"));
        QVERIFY(formula.err.contains("^"));
        const Run future = cli({"eval", "-f", "Ref($close, -5)"});
        QCOMPARE(future.code, 4);
        QVERIFY(future.err.contains("future"));
        const Run field = cli({"eval", "-f", "Add($close, $amount)"});
        QCOMPARE(field.code, 4);
        QVERIFY(field.err.contains("$amount"));
        const Run target = cli({"eval", "--target", "Ref($close, -20) / ", "-f", "$close"});
        QCOMPARE(target.code, 4);

        const Run splitBad = cli({"eval", "--train", "2017-01-01", "-f", "$close"});
        QCOMPARE(splitBad.code, 5);
        QVERIFY(splitBad.err.contains("START:END"));
        const Run overlap =
            cli({"eval", "--train", "2015-01-01:2017-12-31", "--valid", "2017-06-01:2018-12-31", "-f", "$close"});
        QCOMPARE(overlap.code, 5);
        const Run period = cli({"backtest", "--train", "2016-01-01:2017-12-31", "-f", "$close"});
        QCOMPARE(period.code, 5); // default period is test, which is not given
        const Run backwards =
            cli({"eval", "--train", "2018-01-01:2019-01-01", "--test", "2016-01-01:2017-01-01", "-f", "$close"});
        QCOMPARE(backwards.code, 5);
        QVERIFY(backwards.err.contains("chronological"));
        const Run tooShort = cli({"eval", "--target", "Ref($close, -1000) / $close", "-f", "$close"});
        QCOMPARE(tooShort.code, 5);
        QVERIFY(tooShort.err.contains("no day"));
        const Run emptyData = cli({"eval", "--data", "", "-f", "$close"});
        QCOMPARE(emptyData.code, 2);
        const Run folder = cli({"eval", "--data", dir.path(), "-f", "$close"});
        QCOMPARE(folder.code, 3);
        QVERIFY(folder.err.contains("not a Qlib"));
        const Run noGroups = cli({"eval", "--data", QStringLiteral(ALPHASCOPE_SAMPLE_DIR "/prices.csv.xz"), "-f",
                                  "GroupRank($close, sector)"});
        QCOMPARE(noGroups.code, 4);
        QVERIFY(noGroups.err.contains("column 19"));
        const Run tinyWindow = cli({"eval", "-f", "Std($close, 1)"});
        QCOMPARE(tinyWindow.code, 4);
        const Run deep = cli({"eval", "-f", QString(10000, '(') + "$close" + QString(10000, ')')});
        QCOMPARE(deep.code, 4);
    }

    void shortLabelGapIsPurged() {
        const Run r = cli({"eval", "--json", "--decay", "0", "--train", "2015-01-01:2017-12-31", "--valid",
                           "2018-01-01:2018-12-31", "-f", "$close"});
        QCOMPARE(r.code, 0);
        const QJsonObject j = r.json();
        const QJsonArray splits = j.value("splits").toArray();
        QCOMPARE(splits.at(0).toObject().value("last").toString(),
                 QStringLiteral("2017-11-30")); // 20 trading days before 2018-01-02
        QVERIFY(j.value("warnings").toArray().at(0).toString().contains("labels do not read into valid"));
    }

    void infoAndBench() {
        const Run i = cli({"info", "--json"});
        QCOMPARE(i.code, 0);
        QCOMPARE(i.json().value("instruments").toInt(), 150);
        QVERIFY(i.json().value("vwap_derived").toBool());
        QVERIFY(i.json().value("coverage").toObject().value("close").toDouble() > 0.99);
        QTemporaryDir dir;
        const QString formulas = dir.filePath("f.txt");
        QFile f(formulas);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("# two formulas\nMean($close, 20)\n\nCorr($close, $volume, 10)\n");
        f.close();
        const Run b = cli({"bench", "--json", "--formulas", formulas, "--repeat", "1", "--synthetic-days", "60",
                           "--synthetic-instruments", "40"});
        QCOMPARE(b.code, 0);
        const QJsonArray sets = b.json().value("datasets").toArray();
        QCOMPARE(sets.size(), 2);
        for (const auto& s : sets) {
            QCOMPARE(s.toObject().value("formulas").toArray().size(), 2);
            QVERIFY(s.toObject().value("formulas").toArray().at(0).toObject().value("eval_ms").toDouble() > 0);
            QVERIFY(s.toObject().value("kernels").toArray().size() >= 10);
        }
        QCOMPARE(sets.at(1).toObject().value("days").toInt(), 60);
        const QString isa = b.json().value("vector_instructions").toString();
        QVERIFY2(isa == "AVX-512" || isa == "AVX2" || isa == "baseline", qPrintable(isa));

        // the built-in set on data without sectors: the group formula is skipped, not a crash
        const Run noSectors = cli({"bench", "--json", "--repeat", "1", "--no-synthetic", "--data",
                                   QStringLiteral(ALPHASCOPE_SAMPLE_DIR "/prices.csv.xz")});
        QCOMPARE(noSectors.code, 0);
        bool skipped = false;
        for (const auto& f : noSectors.json().value("datasets").toArray().at(0).toObject().value("formulas").toArray())
            skipped = skipped || (f.toObject().value("formula").toString().startsWith("GroupRank") &&
                                  f.toObject().contains("error"));
        QVERIFY(skipped);
        // a bad formula in the user's file is a located error
        QFile bad(dir.filePath("bad.txt"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("Mean($close, 20)\nMena($close, 5)\n");
        bad.close();
        const Run badFile = cli({"bench", "--formulas", dir.filePath("bad.txt"), "--repeat", "1", "--no-synthetic"});
        QCOMPARE(badFile.code, 4);
        QVERIFY(badFile.err.contains("did you mean Mean"));
        QCOMPARE(cli({"bench", "--synthetic-days", "100000", "--synthetic-instruments", "100000"}).code, 5);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"

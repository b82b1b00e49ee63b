// ProjectStore: round trips, upsert and undo semantics, cascades, key/values, save-as, migrations from
// a raw version-1 file, and refusal of newer, foreign and garbage files.

#include "core/graph/hierarchy_fit.h"
#include "core/store/project_store.h"
#include "tests/support/graph_support.h"
#include "tests/support/released_schema.h"

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <cmath>
#include <limits>

using namespace alphascope;
using alphascope::test::kVersion1Ddl;

namespace {

constexpr double kNaNd = std::numeric_limits<double>::quiet_NaN();

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
    /// First column of the first row as text ("" when no row or NULL).
    QString scalar(const char* sql) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(m_db, sql, -1, &st, nullptr) != SQLITE_OK)
            qFatal("SQL failed: %s", sqlite3_errmsg(m_db));
        QString out;
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
            out = QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
        sqlite3_finalize(st);
        return out;
    }

private:
    sqlite3* m_db = nullptr;
};

bool sameNumber(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

bool sameMetrics(const FactorSplitRecord& a, const FactorSplitRecord& b) {
    return a.split == b.split && a.icDays == b.icDays && sameNumber(a.ic, b.ic) && sameNumber(a.rankIc, b.rankIc) &&
           sameNumber(a.icir, b.icir) && sameNumber(a.rankIcir, b.rankIcir) && sameNumber(a.coverage, b.coverage) &&
           sameNumber(a.turnover, b.turnover) && sameNumber(a.autocorrelation, b.autocorrelation);
}

/// Everything but the id (and createdAt when `a` left it to the store).
bool sameFactor(const FactorRecord& a, const FactorRecord& b) {
    if (a.name != b.name || a.formula != b.formula || a.notes != b.notes || a.datasetId != b.datasetId) return false;
    if (!a.createdAt.empty() && a.createdAt != b.createdAt) return false;
    if (a.metrics.size() != b.metrics.size()) return false;
    for (std::size_t k = 0; k < a.metrics.size(); ++k)
        if (!sameMetrics(a.metrics[k], b.metrics[k])) return false;
    return true;
}

FactorSplitRecord metrics(const std::string& split, double ic) {
    return FactorSplitRecord{split, 200, ic, ic * 1.1, ic * 10, ic * 11, 0.97, 0.35, 0.81};
}

FactorRecord sampleFactor(const std::string& name, double ic = 0.03) {
    FactorRecord f;
    f.name = name;
    f.formula = "Div(Sub($close, $open), $open)";
    f.metrics = {metrics("train", ic), metrics("valid", ic / 2), metrics("test", ic / 3)};
    return f;
}

std::unique_ptr<ProjectStore> mustOpen(const QString& path) {
    auto r = ProjectStore::open(path.toStdString());
    if (!r.ok()) qFatal("open failed: %s", r.error().toString().c_str());
    return std::move(r.value());
}

QByteArray fileBytes(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return f.readAll();
}

} // namespace

class TestProjectStore : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    int m_files = 0;
    QString freshPath() { return m_dir.filePath(QStringLiteral("project%1.alphascope").arg(++m_files)); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void createsTheLatestSchemaInWalMode() {
        const QString path = freshPath();
        auto store = mustOpen(path);
        QCOMPARE(store->schemaVersion(), ProjectStore::latestSchemaVersion());
        QVERIFY(ProjectStore::latestSchemaVersion() >= 2);
        QCOMPARE(store->path(), path.toStdString());
        RawDb raw(path);
        QCOMPARE(raw.scalar("PRAGMA journal_mode"), QStringLiteral("wal"));
        QCOMPARE(raw.scalar("SELECT max(version) FROM schema_version").toInt(), ProjectStore::latestSchemaVersion());
        QVERIFY(store->factors()->empty());
        QVERIFY(store->datasets()->empty());
        // Opening again does not migrate twice.
        store.reset();
        QCOMPARE(mustOpen(path)->schemaVersion(), ProjectStore::latestSchemaVersion());
        QCOMPARE(raw.scalar("SELECT count(*) FROM schema_version").toInt(), ProjectStore::latestSchemaVersion());
    }

    void datasetsUpsertByPathAndUniverse() {
        auto store = mustOpen(freshPath());
        DatasetRecord a;
        a.name = "CSI 300 样本";
        a.path = "/data/cn/qlib";
        a.universe = "csi300";
        a.sectorsPath = "/data/cn/sectors.csv";
        a.target = "Ref($close, -20) / $close - 1";
        a.splits = R"({"train":"2015-01-01:2019-12-31"})";
        a.instruments = 300;
        a.days = 2400;
        a.firstDate = "2015-01-05";
        a.lastDate = "2024-12-31";
        a.lastOpened = 1000;
        DatasetRecord b = a;
        b.universe = "csi500"; // same path, other universe: another dataset
        b.lastOpened = 2000;
        const auto ida = store->upsertDataset(a);
        const auto idb = store->upsertDataset(b);
        QVERIFY(ida.ok() && idb.ok());
        QVERIFY(ida.value() != idb.value());

        auto list = store->datasets();
        QVERIFY(list.ok());
        QCOMPARE(list->size(), std::size_t(2));
        QCOMPARE(list->at(0).id, idb.value()); // most recently opened first
        const DatasetRecord& back = list->at(1);
        QCOMPARE(back.name, a.name);
        QCOMPARE(back.path, a.path);
        QCOMPARE(back.sectorsPath, a.sectorsPath);
        QCOMPARE(back.universe, a.universe);
        QCOMPARE(back.target, a.target);
        QCOMPARE(back.splits, a.splits);
        QCOMPARE(back.instruments, 300);
        QCOMPARE(back.days, 2400);
        QCOMPARE(back.firstDate, a.firstDate);
        QCOMPARE(back.lastDate, a.lastDate);
        QCOMPARE(back.lastOpened, std::int64_t(1000));

        // Re-opening a: same row, new fields, now first.
        a.days = 2500;
        a.lastOpened = 3000;
        const auto again = store->upsertDataset(a);
        QVERIFY(again.ok());
        QCOMPARE(again.value(), ida.value());
        list = store->datasets();
        QCOMPARE(list->size(), std::size_t(2));
        QCOMPARE(list->at(0).id, ida.value());
        QCOMPARE(list->at(0).days, 2500);

        // lastOpened 0 means now.
        b.lastOpened = 0;
        QVERIFY(store->upsertDataset(b).ok());
        QVERIFY(store->datasets()->at(0).lastOpened > 1'700'000'000);
    }

    void factorRoundTrip_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("notes");
        QTest::addColumn<double>("ic");
        QTest::addColumn<int>("splits");
        QTest::newRow("plain") << "momentum"
                               << "" << 0.031 << 3;
        QTest::newRow("unicode") << "动量因子 α — ünïcode 🚀"
                                 << "注释: 换手率高" << -0.0123456789012345 << 3;
        QTest::newRow("nan metrics") << "constant"
                                     << "no IC on any day" << kNaNd << 2;
        QTest::newRow("no metrics") << "unevaluated"
                                    << "" << 0.0 << 0;
        QTest::newRow("tiny and huge") << "extremes"
                                       << "" << 1e-300 << 1;
    }
    void factorRoundTrip() {
        QFETCH(QString, name);
        QFETCH(QString, notes);
        QFETCH(double, ic);
        QFETCH(int, splits);
        auto store = mustOpen(freshPath());
        DatasetRecord d;
        d.path = "/data/sample.csv";
        const auto datasetId = store->upsertDataset(d);
        QVERIFY(datasetId.ok());

        FactorRecord f = sampleFactor(name.toStdString(), ic);
        f.notes = notes.toStdString();
        f.datasetId = datasetId.value();
        f.metrics.resize(static_cast<std::size_t>(splits));
        if (splits > 0) f.metrics[0].turnover = kNaNd; // a NaN next to finite values
        const auto id = store->addFactor(f);
        QVERIFY2(id.ok(), id.ok() ? "" : id.error().toString().c_str());
        QVERIFY(id.value() > 0);

        const auto one = store->factor(id.value());
        QVERIFY(one.ok() && one->has_value());
        QCOMPARE((*one)->id, id.value());
        QVERIFY(sameFactor(f, **one));
        const auto all = store->factors();
        QVERIFY(all.ok());
        QCOMPARE(all->size(), std::size_t(1));
        QVERIFY(sameFactor(f, all->front()));
        if (splits > 0) {
            QVERIFY(std::isnan(all->front().metrics[0].turnover));
            QVERIFY(sameNumber(all->front().metrics[0].ic, ic)); // bit-exact doubles
        }
    }

    void nanIsStoredAsNull() {
        const QString path = freshPath();
        auto store = mustOpen(path);
        FactorRecord f = sampleFactor("nan", kNaNd);
        QVERIFY(store->addFactor(f).ok());
        RawDb raw(path);
        QCOMPARE(raw.scalar("SELECT count(*) FROM factor_metrics WHERE ic IS NULL").toInt(), 3);
        QCOMPARE(raw.scalar("SELECT count(*) FROM factor_metrics WHERE coverage IS NULL").toInt(), 0);
    }

    void createdAtIsIsoUtc() {
        auto store = mustOpen(freshPath());
        const auto id = store->addFactor(sampleFactor("now"));
        QVERIFY(id.ok());
        const std::string createdAt = store->factor(id.value())->value().createdAt;
        static const QRegularExpression iso(QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$"));
        QVERIFY2(iso.match(QString::fromStdString(createdAt)).hasMatch(), createdAt.c_str());
        FactorRecord given = sampleFactor("given");
        given.createdAt = "2026-11-21T10:00:00Z";
        const auto id2 = store->addFactor(given);
        QCOMPARE(store->factor(id2.value())->value().createdAt, given.createdAt);
    }

    void updateReplacesFieldsAndMetrics() {
        auto store = mustOpen(freshPath());
        FactorRecord f = sampleFactor("before");
        f.id = store->addFactor(f).value();
        f.name = "after";
        f.formula = "CSRank($volume)";
        f.notes = "renamed";
        f.metrics = {metrics("all", 0.05)};
        QVERIFY(store->updateFactor(f).ok());
        const FactorRecord back = store->factor(f.id)->value();
        QVERIFY(sameFactor(f, back));

        FactorRecord missing = f;
        missing.id = 999;
        const auto r = store->updateFactor(missing);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::NotFound);
    }

    void removeThenReAddWithTheSameId() {
        const QString path = freshPath();
        auto store = mustOpen(path);
        std::vector<std::int64_t> ids;
        for (const char* name : {"a", "b", "c"}) ids.push_back(store->addFactor(sampleFactor(name)).value());
        FactorRecord removed = store->factor(ids[2])->value(); // the newest: the id SQLite would reuse
        QVERIFY(store->removeFactor(ids[2]).ok());
        QVERIFY(!store->factor(ids[2])->has_value());
        RawDb raw(path);
        QCOMPARE(raw.scalar(qPrintable(
                                QStringLiteral("SELECT count(*) FROM factor_metrics WHERE factor_id = %1").arg(ids[2])))
                     .toInt(),
                 0); // cascaded
        QCOMPARE(raw.scalar("SELECT count(*) FROM factor_metrics").toInt(), 6);

        // A new factor must not take the removed one's id, or the undo below would collide.
        const auto fresh = store->addFactor(sampleFactor("d"));
        QVERIFY(fresh.ok());
        QVERIFY(fresh.value() > ids[2]);

        const auto back = store->addFactor(removed); // undo
        QVERIFY2(back.ok(), back.ok() ? "" : back.error().toString().c_str());
        QCOMPARE(back.value(), ids[2]);
        const auto all = store->factors().value();
        QCOMPARE(all.size(), std::size_t(4));
        QCOMPARE(all[2].id, ids[2]); // oldest first: back in its place
        QVERIFY(sameFactor(removed, all[2]));

        // The same id twice is refused and changes nothing.
        const auto twice = store->addFactor(removed);
        QVERIFY(!twice.ok());
        QCOMPARE(twice.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(store->factors()->size(), std::size_t(4));

        const auto gone = store->removeFactor(12345);
        QVERIFY(!gone.ok());
        QCOMPARE(gone.error().code, ErrorCode::NotFound);
    }

    void aFailedWriteLeavesNothingBehind() {
        const QString path = freshPath();
        auto store = mustOpen(path);
        FactorRecord f = sampleFactor("duplicate split");
        f.metrics.push_back(f.metrics.front()); // "train" twice: fails after the factor row went in
        const auto r = store->addFactor(f);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().where, path.toStdString());
        QVERIFY(QString::fromStdString(r.error().message).contains(QStringLiteral("train")));
        QVERIFY(store->factors()->empty());
        RawDb raw(path);
        QCOMPARE(raw.scalar("SELECT count(*) FROM factor_metrics").toInt(), 0);

        FactorRecord orphan = sampleFactor("orphan");
        orphan.datasetId = 77;
        const auto o = store->addFactor(orphan);
        QVERIFY(!o.ok());
        QCOMPARE(o.error().code, ErrorCode::NotFound);
        QVERIFY(store->factors()->empty());
        QVERIFY(store->addFactor(sampleFactor("fine")).ok()); // the connection is usable afterwards
    }

    void addFactorsIsOneTransaction() {
        const QString path = freshPath();
        auto store = mustOpen(path);
        QVERIFY(store->addFactor(sampleFactor("before")).ok());
        FactorRecord bad = sampleFactor("duplicate split");
        bad.metrics.push_back(bad.metrics.front()); // fails after two good factors went in
        const auto r = store->addFactors({sampleFactor("one", 0.01), sampleFactor("two", 0.02), bad});
        QVERIFY(!r.ok());
        QVERIFY2(QString::fromStdString(r.error().message).startsWith(QStringLiteral("factor 3 of 3")),
                 r.error().message.c_str());
        QCOMPARE(store->factors()->size(), std::size_t(1));
        RawDb raw(path);
        QCOMPARE(raw.scalar("SELECT count(*) FROM factor_metrics").toInt(), 3);

        const auto ok = store->addFactors({sampleFactor("one", 0.01), sampleFactor("two", 0.02)});
        QVERIFY(ok.ok());
        QCOMPARE(ok->size(), std::size_t(2));
        const auto all = store->factors().value();
        QCOMPARE(all.size(), std::size_t(3));
        QCOMPARE(all[1].id, ok.value()[0]);
        QCOMPARE(all[2].name, std::string("two"));
        QVERIFY(sameFactor(sampleFactor("two", 0.02), all[2]));
        QVERIFY(store->addFactors({}).ok());
    }

    void keyValues() {
        auto store = mustOpen(freshPath());
        QVERIFY(!store->value("missing")->has_value());
        QVERIFY(store->setValue("lab/formula", "Mean($close, 20)").ok());
        QVERIFY(store->setValue("标签", "值 ✓").ok());
        QVERIFY(store->setValue("empty", "").ok());
        QCOMPARE(store->value("lab/formula")->value(), std::string("Mean($close, 20)"));
        QCOMPARE(store->value("标签")->value(), std::string("值 ✓"));
        QVERIFY(store->value("empty")->has_value());
        QVERIFY(store->setValue("lab/formula", "CSRank($volume)").ok());
        QCOMPARE(store->value("lab/formula")->value(), std::string("CSRank($volume)"));
    }

    void saveAsThenOpenTheCopy() {
        const QString path = freshPath();
        auto store = mustOpen(path);
        DatasetRecord d;
        d.path = "/data/x.csv";
        d.name = "x";
        QVERIFY(store->upsertDataset(d).ok());
        FactorRecord f = sampleFactor("kept");
        f.notes = "copied";
        f.id = store->addFactor(f).value();
        QVERIFY(store->setValue("k", "v").ok());

        const QString copyPath = freshPath();
        QVERIFY(store->saveAs(copyPath.toStdString()).ok());
        auto copy = mustOpen(copyPath);
        QCOMPARE(copy->schemaVersion(), ProjectStore::latestSchemaVersion());
        QCOMPARE(copy->factors()->size(), std::size_t(1));
        QVERIFY(sameFactor(f, copy->factors()->front()));
        QCOMPARE(copy->factors()->front().id, f.id);
        QCOMPARE(copy->datasets()->front().name, std::string("x"));
        QCOMPARE(copy->value("k")->value(), std::string("v"));

        // Independent files from now on.
        QVERIFY(copy->removeFactor(f.id).ok());
        QCOMPARE(store->factors()->size(), std::size_t(1));

        const auto self = store->saveAs(path.toStdString());
        QVERIFY(!self.ok());
        const auto nowhere = store->saveAs(m_dir.filePath(QStringLiteral("no/such/dir/p.alphascope")).toStdString());
        QVERIFY(!nowhere.ok());
        QVERIFY(QString::fromStdString(nowhere.error().where).contains(QStringLiteral("no/such/dir")));
    }

    void migratesAVersion1FileKeepingItsRows() {
        const QString path = freshPath();
        {
            RawDb raw(path);
            raw.exec(kVersion1Ddl);
            raw.exec("INSERT INTO datasets (id, name, path, universe, instruments, days, last_opened) "
                     "VALUES (4, 'US 样本', '/data/us', 'sp500', 500, 2000, 1700000000)");
            raw.exec("INSERT INTO factors (id, name, formula, dataset_id, created_at) VALUES "
                     "(7, 'reversal', 'Neg(Delta($close, 5))', 4, '2026-01-05T09:30:00Z'), "
                     "(9, 'volume', 'CSRank($volume)', NULL, '2026-01-06T09:30:00Z')");
            raw.exec("INSERT INTO factor_metrics VALUES "
                     "(7, 0, 'train', 250, 0.04, 0.05, 0.4, 0.5, 0.99, 0.3, 0.8), "
                     "(7, 1, 'test', 120, NULL, NULL, NULL, NULL, 0.98, NULL, NULL)");
        }
        auto store = mustOpen(path);
        QCOMPARE(store->schemaVersion(), ProjectStore::latestSchemaVersion());
        const auto all = store->factors();
        QVERIFY(all.ok());
        QCOMPARE(all->size(), std::size_t(2));
        const FactorRecord& f = all->front();
        QCOMPARE(f.id, std::int64_t(7));
        QCOMPARE(f.name, std::string("reversal"));
        QCOMPARE(f.formula, std::string("Neg(Delta($close, 5))"));
        QCOMPARE(f.datasetId, std::int64_t(4));
        QCOMPARE(f.createdAt, std::string("2026-01-05T09:30:00Z"));
        QCOMPARE(f.notes, std::string()); // the column version 2 added
        QCOMPARE(f.metrics.size(), std::size_t(2));
        QVERIFY(sameMetrics(f.metrics[0], FactorSplitRecord{"train", 250, 0.04, 0.05, 0.4, 0.5, 0.99, 0.3, 0.8}));
        QCOMPARE(f.metrics[1].split, std::string("test"));
        QVERIFY(std::isnan(f.metrics[1].ic));
        QCOMPARE(f.metrics[1].coverage, 0.98);
        QCOMPARE(all->back().datasetId, std::int64_t(0));
        QCOMPARE(store->datasets()->front().name, std::string("US 样本"));

        // What version 2 added works on the migrated file, and the v1 AUTOINCREMENT carries on.
        QVERIFY(store->setValue("k", "v").ok());
        FactorRecord g = sampleFactor("new");
        g.notes = "after migration";
        const auto id = store->addFactor(g);
        QVERIFY(id.ok());
        QCOMPARE(id.value(), std::int64_t(10));
        RawDb raw(path);
        QCOMPARE(raw.scalar("SELECT group_concat(version) FROM schema_version"), QStringLiteral("1,2,3,4"));
    }

    void refusesANewerSchemaWithoutTouchingIt() {
        const QString path = freshPath();
        {
            RawDb raw(path);
            raw.exec(kVersion1Ddl);
            raw.exec(qPrintable(QStringLiteral("INSERT INTO schema_version VALUES (%1, '2030-01-01T00:00:00Z')")
                                    .arg(ProjectStore::latestSchemaVersion() + 1)));
        }
        const QByteArray before = fileBytes(path);
        QVERIFY(!before.isEmpty());
        const auto r = ProjectStore::open(path.toStdString());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::Format);
        QCOMPARE(r.error().where, path.toStdString());
        QVERIFY2(QString::fromStdString(r.error().message).contains(QStringLiteral("newer")),
                 r.error().message.c_str());
        QCOMPARE(fileBytes(path), before);
        QVERIFY(!QFile::exists(path + QStringLiteral("-wal")));
    }

    // One row per line, each input beside what it should give:
    // clang-format off
    void refusesFilesThatAreNotProjects_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<bool>("sqlite");
        QByteArray text("this is a CSV, not a project\n");
        while (text.size() < 8192) text += "date,instrument,close\n2024-01-02,AAPL,185.6\n";
        QTest::newRow("text") << text << false;
        QTest::newRow("sqlite header, garbage after")
            << QByteArray("SQLite format 3\0", 16) + QByteArray(4080, '\xff') << false;
        QTest::newRow("another app's database") << QByteArray() << true;
    }
    // clang-format on
    void refusesFilesThatAreNotProjects() {
        QFETCH(QByteArray, content);
        QFETCH(bool, sqlite);
        const QString path = freshPath();
        if (sqlite) {
            RawDb raw(path);
            raw.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes VALUES (1, "
                     "'hello')");
        } else {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(content);
        }
        const QByteArray before = fileBytes(path);
        const auto r = ProjectStore::open(path.toStdString());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::Format);
        QCOMPARE(r.error().where, path.toStdString());
        QVERIFY2(QString::fromStdString(r.error().toString()).contains(QStringLiteral("not an AlphaScope project")),
                 r.error().toString().c_str());
        QCOMPARE(fileBytes(path), before);
    }

    void unopenablePathIsAnIoError() {
        const QString path = m_dir.filePath(QStringLiteral("missing/dir/p.alphascope"));
        const auto r = ProjectStore::open(path.toStdString());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::Io);
        QCOMPARE(r.error().where, path.toStdString());
        QVERIFY(!ProjectStore::open("").ok());
    }

    void twoConnectionsOnOneFile() {
        const QString path = freshPath();
        auto writer = mustOpen(path);
        auto reader = mustOpen(path);
        QVERIFY(reader->factors()->empty()); // the reader has looked before the write
        const auto id = writer->addFactor(sampleFactor("shared"));
        QVERIFY(id.ok());
        const auto seen = reader->factors();
        QVERIFY(seen.ok());
        QCOMPARE(seen->size(), std::size_t(1));
        QCOMPARE(seen->front().id, id.value());
        QCOMPARE(seen->front().metrics.size(), std::size_t(3));
        QVERIFY(reader->setValue("from", "reader").ok());
        QCOMPARE(writer->value("from")->value(), std::string("reader"));
        QVERIFY(reader->removeFactor(id.value()).ok());
        QVERIFY(writer->factors()->empty());
    }
    void graphFitsRoundTripAndGoStale() {
        const QString path = freshPath();
        auto store = mustOpen(path);
        MarketData d = test::plantedBlocks(160, 3, 5, 1.0, 1000, 3);
        graph::HierarchyOptions o;
        o.levels = {3, 2};
        o.window = 40;
        o.step = 30;
        auto fit = graph::fitHierarchy(d, o);
        QVERIFY(fit.ok());
        DatasetRecord rec;
        rec.name = "planted";
        rec.path = "/planted";
        const std::int64_t datasetId = store->upsertDataset(rec).value();
        QVERIFY(store->latestGraphFit(datasetId, d).value() == std::nullopt);
        auto id = store->addGraphFit(datasetId, "ward", fit.value(), d);
        QVERIFY2(id.ok(), id.ok() ? "" : id.error().message.c_str());
        // Read back by a fresh connection: every window, statistic, label and the rebuilt groupings.
        store.reset();
        store = mustOpen(path);
        auto back = store->latestGraphFit(datasetId, d);
        QVERIFY(back.ok() && back.value().has_value());
        const GraphFitRecord& r = *back.value();
        QCOMPARE(r.id, id.value());
        QCOMPARE(r.method, std::string("ward"));
        QCOMPARE(r.fit.options.levels, o.levels);
        QCOMPARE(r.fit.options.window, 40);
        QCOMPARE(r.fit.options.minOverlap, fit->options.minOverlap);
        QCOMPARE(r.fit.options.linkage, fit->options.linkage);
        QCOMPARE(r.fit.windows.size(), fit->windows.size());
        for (std::size_t k = 0; k < r.fit.windows.size(); ++k) {
            const graph::WindowFit &a = r.fit.windows[k], &b = fit->windows[k];
            QCOMPARE(a.end, b.end);
            QCOMPARE(a.active, b.active);
            QVERIFY(sameNumber(a.meanCorrelation, b.meanCorrelation) && sameNumber(a.cophenetic, b.cophenetic));
            QCOMPARE(a.labels, b.labels);
            for (std::size_t l = 0; l < 2; ++l) {
                QCOMPARE(a.levels[l].clusters, b.levels[l].clusters);
                QVERIFY(sameNumber(a.levels[l].silhouette, b.levels[l].silhouette));
                QVERIFY(sameNumber(a.levels[l].ariPrevious, b.levels[l].ariPrevious)); // NaN in the first window
                QVERIFY(sameNumber(a.levels[l].entropy, b.levels[l].entropy));
                QVERIFY(sameNumber(a.levels[l].largestShare, b.levels[l].largestShare));
            }
            QCOMPARE(r.endDates[k], d.calendar[b.end].toString());
        }
        QCOMPARE(r.fit.groupings.size(), std::size_t(2));
        for (std::size_t l = 0; l < 2; ++l) {
            QCOMPARE(r.fit.groupings[l].name, fit->groupings[l].name);
            QCOMPARE(r.fit.groupings[l].daily, fit->groupings[l].daily);
            QCOMPARE(r.fit.groupings[l].ids, fit->groupings[l].ids);
        }
        // Another calendar under the same dataset: the fit is stale and not returned.
        MarketData shorter = test::plantedBlocks(150, 3, 5, 1.0, 1000, 3);
        QVERIFY(store->latestGraphFit(datasetId, shorter).value() == std::nullopt);
        // Only the latest kGraphFitsKept fits of a dataset stay; the newest is returned.
        std::int64_t last = 0;
        for (int k = 0; k < ProjectStore::kGraphFitsKept + 2; ++k)
            last = store->addGraphFit(datasetId, "average", fit.value(), d).value();
        RawDb raw(path);
        QCOMPARE(raw.scalar("SELECT count(*) FROM graph_fits").toInt(), ProjectStore::kGraphFitsKept);
        QCOMPARE(raw.scalar("SELECT count(DISTINCT fit_id) FROM graph_fit_windows").toInt(),
                 ProjectStore::kGraphFitsKept);
        QCOMPARE(store->latestGraphFit(datasetId, d).value()->id, last);
        // A damaged row is a Format error, not a crash or a wrong fit.
        raw.exec("UPDATE graph_fit_windows SET labels = x'0102' WHERE position = 0");
        auto damaged = store->latestGraphFit(datasetId, d);
        QVERIFY(!damaged.ok());
        QCOMPARE(damaged.error().code, ErrorCode::Format);
        raw.exec("UPDATE graph_fits SET options_json = '{\"window\": \"x\"}'");
        damaged = store->latestGraphFit(datasetId, d);
        QVERIFY(!damaged.ok());
        QVERIFY(QString::fromStdString(damaged.error().message).contains("window"));
        // Deleting the dataset deletes its fits.
        raw.exec("PRAGMA foreign_keys = ON");
        raw.exec("DELETE FROM datasets");
        QCOMPARE(raw.scalar("SELECT count(*) FROM graph_fit_windows").toInt(), 0);
    }
};

QTEST_GUILESS_MAIN(TestProjectStore)
#include "tst_project_store.moc"

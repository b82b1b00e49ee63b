// FactorLibraryModel over a real project file: rows and columns for the records, edits that reach
// the store, removal and restore with the same ids, under QAbstractItemModelTester.

#include "core/data/dataset.h"
#include "core/eval/research_session.h"
#include "core/expr/parser.h"
#include "core/metrics/factor_report.h"
#include "core/store/factor_record_of.h"
#include "core/store/project_store.h"
#include "ui/models/factor_library_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <memory>

using namespace alphascope;
using alphascope::ui::FactorLibraryModel;

class TestFactorLibraryModel : public QObject {
    Q_OBJECT

    std::shared_ptr<const ResearchSession> m_session;
    std::vector<FactorRecord> m_records; // analysed on the sample, not yet stored
    QTemporaryDir m_dir;
    std::shared_ptr<ProjectStore> m_store;

    std::shared_ptr<ProjectStore> openStore(const QString& file) {
        auto store = ProjectStore::open(m_dir.filePath(file).toStdString());
        if (!store.ok()) qWarning("%s", store.error().toString().c_str());
        return store.ok() ? std::shared_ptr<ProjectStore>(std::move(store.value())) : nullptr;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        auto session = openResearchSession(SessionSpec{bundledSampleSpec()});
        QVERIFY2(session.ok(), session.ok() ? "" : session.error().toString().c_str());
        m_session = session.value();
        const std::pair<std::string, std::string> factors[] = {
            {"intraday position", "Div(Sub($close, $open), Sub($high, $low))"},
            {"mean reversion", "Div(Mean($close, 5), $close)"},
        };
        for (const auto& [name, formula] : factors) {
            auto parsed = parseFormula(formula, parseOptionsFor(*m_session->data, false));
            QVERIFY(parsed.ok());
            auto report =
                analyzeFactor(*m_session->evaluator, parsed.value(), m_session->targetValues, m_session->splits);
            QVERIFY(report.ok());
            m_records.push_back(factorRecordOf(name, report.value()));
        }
        m_store = openStore(QStringLiteral("library.alphascope"));
        QVERIFY(m_store);
        for (const FactorRecord& r : m_records) QVERIFY(m_store->addFactor(r).ok());
    }

    void showsTheRecords() {
        FactorLibraryModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), 4); // Name, Formula, Notes, Created
        model.setStore(m_store);
        QCOMPARE(model.rowCount(), 2);
        // Name, Formula, IC and Rank IC of train / valid / test, Notes, Created.
        QCOMPARE(model.columnCount(), 2 + 2 * 3 + 2);
        QCOMPARE(model.splitNames(), (QStringList{"train", "valid", "test"}));
        const QStringList headers = {"Name",           "Formula",  "IC\ntrain",     "Rank IC\ntrain", "IC\nvalid",
                                     "Rank IC\nvalid", "IC\ntest", "Rank IC\ntest", "Notes",          "Created"};
        for (int c = 0; c < headers.size(); ++c) QCOMPARE(model.headerData(c, Qt::Horizontal).toString(), headers[c]);

        for (int row = 0; row < 2; ++row) {
            const FactorRecord& expected = m_records[static_cast<std::size_t>(row)];
            QCOMPARE(model.index(row, FactorLibraryModel::NameColumn).data().toString(),
                     QString::fromStdString(expected.name));
            QCOMPARE(model.index(row, FactorLibraryModel::FormulaColumn).data().toString(),
                     QString::fromStdString(expected.formula));
            for (const FactorSplitRecord& m : expected.metrics) {
                const QString split = QString::fromStdString(m.split);
                QCOMPARE(model.index(row, model.metricColumn(split, false)).data().toString(),
                         QString::number(m.ic, 'f', 4));
                QCOMPARE(model.index(row, model.metricColumn(split, true)).data().toString(),
                         QString::number(m.rankIc, 'f', 4));
                QCOMPARE(
                    model.index(row, model.metricColumn(split, false)).data(FactorLibraryModel::kSortRole).toDouble(),
                    m.ic);
            }
            QVERIFY(!model.index(row, model.createdColumn()).data().toString().isEmpty());
            QCOMPARE(model.index(row, 0).data(FactorLibraryModel::kIdRole).toLongLong(), model.record(row).id);
        }
        QVERIFY(model.record(0).id < model.record(1).id); // oldest first
    }

    void editsReachTheStore() {
        FactorLibraryModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.setStore(m_store);
        const std::int64_t id = model.record(0).id;
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        QVERIFY(model.flags(model.index(0, FactorLibraryModel::NameColumn)) & Qt::ItemIsEditable);
        QVERIFY(model.flags(model.index(0, model.notesColumn())) & Qt::ItemIsEditable);
        QVERIFY(!(model.flags(model.index(0, FactorLibraryModel::FormulaColumn)) & Qt::ItemIsEditable));
        QVERIFY(!model.setData(model.index(0, FactorLibraryModel::FormulaColumn), "Add($close, 1)"));
        QVERIFY(!model.setData(model.index(0, FactorLibraryModel::NameColumn), "   ")); // a name is required

        QVERIFY(model.setData(model.index(0, FactorLibraryModel::NameColumn), "  renamed "));
        QVERIFY(model.setData(model.index(0, model.notesColumn()), "works on large caps"));
        QCOMPARE(changed.count(), 2);
        QCOMPARE(model.index(0, FactorLibraryModel::NameColumn).data().toString(), QStringLiteral("renamed"));
        auto stored = m_store->factor(id);
        QVERIFY(stored.ok() && stored.value());
        QCOMPARE(stored.value()->name, std::string("renamed"));
        QCOMPARE(stored.value()->notes, std::string("works on large caps"));
        QCOMPARE(stored.value()->metrics.size(), std::size_t(3)); // the metrics survive an edit

        // A second model on the same file sees the edit.
        FactorLibraryModel other;
        other.setStore(m_store);
        QCOMPARE(other.index(0, FactorLibraryModel::NameColumn).data().toString(), QStringLiteral("renamed"));
    }

    void removesAndRestoresWithTheSameIds() {
        auto store = openStore(QStringLiteral("remove.alphascope"));
        QVERIFY(store);
        for (const FactorRecord& r : m_records) QVERIFY(store->addFactor(r).ok());
        FactorLibraryModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.setStore(store);
        QCOMPARE(model.rowCount(), 2);
        const FactorRecord first = model.record(0);
        const FactorRecord second = model.record(1);

        QVERIFY(model.removeFactors({first.id}).ok());
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.record(0).id, second.id);
        QCOMPARE(store->factors().value().size(), std::size_t(1));

        QVERIFY(model.restoreFactors({first}).ok());
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.record(0).id, first.id); // back in its place
        QCOMPARE(model.record(0).createdAt, first.createdAt);
        QCOMPARE(store->factors().value().size(), std::size_t(2));

        // Removing an id that is not there changes nothing, in the store or the table.
        QVERIFY(!model.removeFactors({second.id, 987654}).ok());
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(store->factors().value().size(), std::size_t(2));
        QVERIFY(store->factor(second.id).value().has_value());
    }

    void aNewSplitAddsColumns() {
        auto store = openStore(QStringLiteral("splits.alphascope"));
        QVERIFY(store);
        FactorLibraryModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.setStore(store);
        FactorRecord rec = m_records[0];
        rec.metrics.resize(1); // train only
        auto id = model.addFactor(rec);
        QVERIFY(id.ok());
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.columnCount(), 2 + 2 + 2);
        QVERIFY(!model.record(0).createdAt.empty()); // read back from the store
        auto id2 = model.addFactor(m_records[1]);
        QVERIFY(id2.ok());
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.columnCount(), 2 + 6 + 2);
        // The first factor has no valid metrics: an empty cell, not a number.
        QCOMPARE(model.index(0, model.metricColumn("valid", false)).data().toString(), QString());
        QVERIFY(!model.index(0, model.metricColumn("valid", false)).data(FactorLibraryModel::kSortRole).isValid());
    }
};

QTEST_MAIN(TestFactorLibraryModel)
#include "tst_factor_library_model.moc"

// FactorLibraryPanel driven as a user would, on a temporary project and the bundled sample: save,
// search, open, delete with undo, compare (heat map) and combine (weights, metrics, backtest request),
// each checked against the store and against core called directly.

#include "core/data/dataset.h"
#include "core/eval/research_session.h"
#include "core/expr/parser.h"
#include "core/expr/worldquant.h"
#include "core/metrics/factor_report.h"
#include "core/pool/linear_combination.h"
#include "core/store/project_store.h"
#include "ui/models/factor_library_model.h"
#include "ui/panels/factor_library_panel.h"
#include "ui/views/combination_view.h"
#include "ui/views/correlation_heatmap.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

#include <cmath>
#include <memory>
#include <set>

using namespace alphascope;
using alphascope::ui::FactorLibraryModel;
using alphascope::ui::FactorLibraryPanel;

namespace {

constexpr int kJobTimeoutMs = 120000;

struct Factor {
    QString name;
    std::string formula;
};
const Factor kFactors[] = {
    {QStringLiteral("intraday position"), "Div(Sub($close, $open), Sub($high, $low))"},
    {QStringLiteral("mean reversion"), "Div(Mean($close, 5), $close)"},
    {QStringLiteral("volume surprise"), "Div($volume, Mean($volume, 20))"},
    {QStringLiteral("momentum 20d"), "Sub(Div($close, Ref($close, 20)), 1)"},
};

QPushButton* button(QWidget* parent, const QString& text) {
    for (QPushButton* b : parent->findChildren<QPushButton*>())
        if (b->text().remove(QLatin1Char('&')) == text) return b;
    return nullptr;
}

} // namespace

class TestFactorLibraryPanel : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::shared_ptr<const ResearchSession> m_session;
    std::shared_ptr<ProjectStore> m_store;
    std::unique_ptr<FactorLibraryPanel> m_panel;
    std::vector<FactorReport> m_reports;
    std::unique_ptr<QAbstractItemModelTester> m_tester;

    QTableView* table() const { return m_panel->tableView(); }
    QSortFilterProxyModel* proxy() const { return m_panel->proxyModel(); }

    /// Clicks the formula cells of `rows` (view rows): the first plainly, the others with Ctrl.
    void selectRows(const std::vector<int>& rows) {
        table()->clearSelection();
        bool first = true;
        for (int row : rows) {
            const QRect cell = table()->visualRect(proxy()->index(row, FactorLibraryModel::FormulaColumn));
            QTest::mouseClick(table()->viewport(), Qt::LeftButton, first ? Qt::NoModifier : Qt::ControlModifier,
                              cell.center());
            first = false;
        }
    }

    /// The values of the factors in rows `rows` of the model, evaluated straight through core.
    std::vector<PanelPtr> evaluateRows(const std::vector<int>& rows) {
        std::vector<PanelPtr> values;
        for (int row : rows) {
            auto parsed = parseFormula(m_panel->model()->record(row).formula, parseOptionsFor(*m_session->data, false));
            if (!parsed.ok()) return {};
            auto v = m_session->evaluator->evaluate(parsed.value());
            if (!v.ok()) return {};
            values.push_back(v.value());
        }
        return values;
    }

    DayRange train() const { return {m_session->splits.front().begin, m_session->splits.front().end}; }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        auto session = openResearchSession(SessionSpec{bundledSampleSpec()});
        QVERIFY2(session.ok(), session.ok() ? "" : session.error().toString().c_str());
        m_session = session.value();
        for (const Factor& f : kFactors) {
            auto parsed = parseFormula(f.formula, parseOptionsFor(*m_session->data, false));
            QVERIFY2(parsed.ok(), f.formula.c_str());
            auto report =
                analyzeFactor(*m_session->evaluator, parsed.value(), m_session->targetValues, m_session->splits);
            QVERIFY(report.ok());
            m_reports.push_back(report.value());
        }
        auto store = ProjectStore::open(m_dir.filePath(QStringLiteral("project.alphascope")).toStdString());
        QVERIFY2(store.ok(), store.ok() ? "" : store.error().toString().c_str());
        m_store = std::move(store.value());

        m_panel = std::make_unique<FactorLibraryPanel>();
        m_tester = std::make_unique<QAbstractItemModelTester>(m_panel->model(),
                                                              QAbstractItemModelTester::FailureReportingMode::Fatal);
        m_panel->resize(1000, 820);
        m_panel->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
        m_panel->setStore(m_store);
        m_panel->setSession(m_session);
    }

    void cleanupTestCase() {
        m_tester.reset();
        m_panel.reset();
    }

    void savesFactors() {
        DatasetRecord dataset;
        dataset.name = "sample";
        dataset.path = bundledSampleSpec().path;
        auto datasetId = m_store->upsertDataset(dataset);
        QVERIFY(datasetId.ok());
        m_panel->setDatasetId(datasetId.value());

        auto first = m_panel->saveFactor(kFactors[0].name, m_reports[0]);
        auto second = m_panel->saveFactor(kFactors[1].name, m_reports[1]);
        QVERIFY(first.ok() && second.ok());
        QVERIFY(first.value() != second.value());
        QCOMPARE(m_panel->model()->rowCount(), 2);
        QCOMPARE(proxy()->rowCount(), 2);
        auto stored = m_store->factors();
        QVERIFY(stored.ok());
        QCOMPARE(stored.value().size(), std::size_t(2));
        const FactorRecord& rec = stored.value().front();
        QCOMPARE(rec.name, kFactors[0].name.toStdString());
        QCOMPARE(rec.formula, m_reports[0].formula);
        QCOMPARE(rec.datasetId, datasetId.value());
        QCOMPARE(rec.metrics.size(), m_reports[0].splits.size());
        QCOMPARE(rec.metrics[0].ic, m_reports[0].splits[0].ic);
        // The table shows the train IC as the lab does.
        const int icTrain = m_panel->model()->metricColumn(QStringLiteral("train"), false);
        QCOMPARE(proxy()->index(0, icTrain).data().toString(), QString::number(m_reports[0].splits[0].ic, 'f', 4));
    }

    // One row per line, each input beside what it should give:
    // clang-format off
    void searchFiltersNameAndFormula_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("names");
        QTest::newRow("by name") << "intraday" << QStringList{"intraday position"};
        QTest::newRow("case-insensitive") << "REVERSION" << QStringList{"mean reversion"};
        QTest::newRow("by formula") << "$high" << QStringList{"intraday position"};
        QTest::newRow("no match") << "zzz" << QStringList{};
        QTest::newRow("empty shows all") << "" << QStringList{"intraday position", "mean reversion"};
    }
    // clang-format on
    void searchFiltersNameAndFormula() {
        QFETCH(QString, text);
        QFETCH(QStringList, names);
        QLineEdit* search = m_panel->searchBox();
        search->clear();
        QTest::keyClicks(search, text);
        QCOMPARE(proxy()->rowCount(), int(names.size()));
        for (int r = 0; r < names.size(); ++r)
            QCOMPARE(proxy()->index(r, FactorLibraryModel::NameColumn).data().toString(), names[r]);
        search->clear();
        QCOMPARE(proxy()->rowCount(), 2);
    }

    void sortsByMetric() {
        const int icTrain = m_panel->model()->metricColumn(QStringLiteral("train"), false);
        table()->sortByColumn(icTrain, Qt::DescendingOrder);
        const double top = proxy()->index(0, icTrain).data(FactorLibraryModel::kSortRole).toDouble();
        const double bottom = proxy()->index(1, icTrain).data(FactorLibraryModel::kSortRole).toDouble();
        QVERIFY(top >= bottom);
        table()->sortByColumn(-1, Qt::AscendingOrder); // back to the saved order
        QCOMPARE(proxy()->index(0, 0).data().toString(), kFactors[0].name);
    }

    void opensInTheLab() {
        QSignalSpy open(m_panel.get(), &FactorLibraryPanel::openFormulaRequested);
        selectRows({1});
        QPushButton* openButton = button(m_panel.get(), QStringLiteral("Open in lab"));
        QVERIFY(openButton && openButton->isEnabled());
        QTest::mouseClick(openButton, Qt::LeftButton);
        QCOMPARE(open.count(), 1);
        QCOMPARE(open.takeFirst().first().toString(), QString::fromStdString(m_reports[1].formula));

        const QRect cell = table()->visualRect(proxy()->index(0, FactorLibraryModel::NameColumn));
        // A double-click as a mouse makes it: a click, then the second press that is the double-click.
        QTest::mouseClick(table()->viewport(), Qt::LeftButton, Qt::NoModifier, cell.center());
        QCOMPARE(open.count(), 0);
        QTest::mouseDClick(table()->viewport(), Qt::LeftButton, Qt::NoModifier, cell.center());
        QCOMPARE(open.count(), 1);
        QCOMPARE(open.takeFirst().first().toString(), QString::fromStdString(m_reports[0].formula));
        for (const QLineEdit* editor : table()->findChildren<QLineEdit*>()) QVERIFY(!editor->isVisible()); // no editing
    }

    void copiesInEitherNotation() {
        selectRows({0, 1});
        QStringList qlib, wq;
        for (int row : {0, 1}) {
            const int source = proxy()->mapToSource(proxy()->index(row, 0)).row();
            const ExprPtr e = parseFormula(m_panel->model()->record(source).formula).value();
            qlib << QString::fromStdString(e->toString());
            wq << QString::fromStdString(toWorldQuant(*e));
        }
        QCOMPARE(m_panel->selectedFormulas(Notation::Qlib), qlib.join(QLatin1Char('\n')));
        QCOMPARE(m_panel->selectedFormulas(Notation::WorldQuant), wq.join(QLatin1Char('\n')));
        QVERIFY(wq != qlib);
        // The context menu's action puts them on the clipboard.
        QAction* copy = nullptr;
        for (QAction* a : table()->actions())
            if (a->text() == QStringLiteral("Copy as WorldQuant")) copy = a;
        QVERIFY(copy && copy->isEnabled());
        QCOMPARE(table()->contextMenuPolicy(), Qt::ActionsContextMenu);
        copy->trigger();
        QCOMPARE(QGuiApplication::clipboard()->text(), wq.join(QLatin1Char('\n')));
        // And what is copied reads back, in WorldQuant's notation, as the same formulas.
        for (int k = 0; k < 2; ++k) {
            ParseOptions o;
            o.notation = Notation::WorldQuant;
            QVERIFY(parseFormula(wq[k].toStdString(), o).value()->equals(*parseFormula(qlib[k].toStdString()).value()));
        }
    }

    void deletesWithUndo() {
        QUndoStack* undo = m_panel->undoStack();
        const int commands = undo->count();
        const FactorRecord removed = m_panel->model()->record(0);
        selectRows({0});
        table()->setFocus();
        m_panel->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_panel.get()));
        QTest::keyClick(table(), Qt::Key_Delete);
        QCOMPARE(m_panel->model()->rowCount(), 1);
        QCOMPARE(m_store->factors().value().size(), std::size_t(1));
        QVERIFY(!m_store->factor(removed.id).value().has_value());
        QCOMPARE(undo->count(), commands + 1);

        undo->undo();
        QCOMPARE(m_panel->model()->rowCount(), 2);
        QCOMPARE(m_panel->model()->record(0).id, removed.id);
        auto back = m_store->factor(removed.id);
        QVERIFY(back.ok() && back.value());
        QCOMPARE(back.value()->name, removed.name);
        QCOMPARE(back.value()->createdAt, removed.createdAt);
        QCOMPARE(back.value()->metrics.size(), removed.metrics.size());

        undo->redo();
        QCOMPARE(m_panel->model()->rowCount(), 1);
        undo->undo();
        QCOMPARE(m_panel->model()->rowCount(), 2);
        QCOMPARE(m_store->factors().value().size(), std::size_t(2));
    }

    void deletesSeveralAsOneCommand() {
        QUndoStack* undo = m_panel->undoStack();
        const int position = undo->index();
        selectRows({0, 1});
        QTest::mouseClick(button(m_panel.get(), QStringLiteral("Delete")), Qt::LeftButton);
        QCOMPARE(m_panel->model()->rowCount(), 0);
        QCOMPARE(m_store->factors().value().size(), std::size_t(0));
        QCOMPARE(undo->index(), position + 1);
        QVERIFY2(undo->undoText().contains(QStringLiteral("2")), qPrintable(undo->undoText()));
        undo->undo();
        QCOMPARE(undo->index(), position);
        QCOMPARE(m_panel->model()->rowCount(), 2);
        QCOMPARE(m_store->factors().value().size(), std::size_t(2));
    }

    void comparesTheSelection() {
        selectRows({0, 1});
        QSignalSpy done(m_panel.get(), &FactorLibraryPanel::jobFinished);
        QTest::mouseClick(button(m_panel.get(), QStringLiteral("Compare")), Qt::LeftButton);
        QVERIFY(done.wait(kJobTimeoutMs));
        QCOMPARE(done.first().at(0).toBool(), false);
        QCOMPARE(done.first().at(1).toBool(), true);

        const auto* heat = m_panel->heatmap();
        QCOMPARE(heat->matrixSize(), 2);
        QCOMPARE(heat->names(), (QStringList{kFactors[0].name, kFactors[1].name}));
        const Eigen::MatrixXd expected = mutualCorrelationMatrix(evaluateRows({0, 1}), train());
        QVERIFY(std::abs(heat->cellValue(0, 1) - expected(0, 1)) <= 1e-12);
        QVERIFY(std::abs(heat->cellValue(1, 0) - expected(1, 0)) <= 1e-12);
        QCOMPARE(heat->cellValue(0, 0), 1.0);
        QVERIFY(std::abs(heat->cellValue(0, 1)) < 1.0);
    }

    void compareNeedsTwoFactors() {
        selectRows({0});
        QVERIFY(!button(m_panel.get(), QStringLiteral("Compare"))->isEnabled());
        QSignalSpy done(m_panel.get(), &FactorLibraryPanel::jobFinished);
        m_panel->compareSelected(); // e.g. from a menu
        QCOMPARE(done.count(), 1);
        QCOMPARE(done.first().at(1).toBool(), false);
        QVERIFY(m_panel->messageLabel()->text().contains(QStringLiteral("Select at least two factors")));
    }

    void combinesAndRequestsABacktest_data() {
        QTest::addColumn<int>("method");
        QTest::newRow("equal weight") << int(CombineMethod::EqualWeight);
        QTest::newRow("least squares") << int(CombineMethod::LeastSquares);
    }
    void combinesAndRequestsABacktest() {
        QFETCH(int, method);
        QComboBox* methods = m_panel->methodBox();
        methods->setCurrentIndex(methods->findData(method));
        selectRows({0, 1});
        QSignalSpy done(m_panel.get(), &FactorLibraryPanel::jobFinished);
        QTest::mouseClick(button(m_panel.get(), QStringLiteral("Combine")), Qt::LeftButton);
        QVERIFY(done.wait(kJobTimeoutMs));
        QCOMPARE(done.first().at(0).toBool(), true);
        QCOMPARE(done.first().at(1).toBool(), true);

        auto direct =
            combineFactors(evaluateRows({0, 1}), *m_session->targetValues, train(), static_cast<CombineMethod>(method));
        QVERIFY(direct.ok());
        auto report = analyzeValues(*m_session->evaluator, direct.value().values, "combination",
                                    m_session->targetValues, m_session->splits);
        QVERIFY(report.ok());
        const auto* view = m_panel->combinationView();
        const QTableWidget* weights = view->weightsTable();
        QCOMPARE(weights->rowCount(), 2);
        for (int k = 0; k < 2; ++k) {
            QCOMPARE(weights->item(k, 0)->text(), kFactors[k].name);
            QCOMPARE(weights->item(k, 1)->text(), QString::number(direct.value().weights[std::size_t(k)], 'f', 4));
            QCOMPARE(weights->item(k, 2)->text(), QString::number(direct.value().ics[std::size_t(k)], 'f', 4));
        }
        const QTableWidget* splits = view->splitTable();
        QCOMPARE(splits->rowCount(), int(m_session->splits.size()));
        for (int k = 0; k < splits->rowCount(); ++k) {
            QCOMPARE(splits->item(k, 0)->text(), QString::fromStdString(m_session->splits[std::size_t(k)].name));
            QCOMPARE(splits->item(k, 1)->text(), QString::number(report.value().splits[std::size_t(k)].ic, 'f', 4));
            QCOMPARE(splits->item(k, 2)->text(), QString::number(report.value().splits[std::size_t(k)].rankIc, 'f', 4));
        }

        QSignalSpy backtest(m_panel.get(), &FactorLibraryPanel::backtestRequested);
        QVERIFY(view->backtestButton()->isEnabled());
        QTest::mouseClick(view->backtestButton(), Qt::LeftButton);
        QCOMPARE(backtest.count(), 1);
        QVERIFY(!backtest.first().at(0).toString().isEmpty());
        const auto score = backtest.first().at(1).value<alphascope::PanelPtr>();
        QVERIFY(score);
        QCOMPARE(score->days(), m_session->data->days());
        QCOMPARE(score->instruments(), m_session->data->instrumentCount());
    }

    void reportsAFactorThatFails() {
        FactorRecord broken;
        broken.name = "broken";
        broken.formula = "Add($nosuchfield, 1)";
        auto id = m_panel->model()->addFactor(broken);
        QVERIFY(id.ok());
        const int row = m_panel->model()->rowOf(id.value());
        selectRows({0, row});
        QSignalSpy done(m_panel.get(), &FactorLibraryPanel::jobFinished);
        QTest::mouseClick(button(m_panel.get(), QStringLiteral("Combine")), Qt::LeftButton);
        QVERIFY(done.wait(kJobTimeoutMs));
        QCOMPARE(done.first().at(1).toBool(), false);
        const QString message = m_panel->messageLabel()->text();
        QVERIFY2(message.contains(QStringLiteral("broken")), qPrintable(message));
        QVERIFY(m_panel->model()->removeFactors({id.value()}).ok());
    }

    void savesScreenshots() {
        for (std::size_t k = 2; k < std::size(kFactors); ++k)
            QVERIFY(m_panel->saveFactor(kFactors[k].name, m_reports[k]).ok());
        QSignalSpy done(m_panel.get(), &FactorLibraryPanel::jobFinished);
        table()->selectAll();
        m_panel->compareSelected();
        QVERIFY(done.wait(kJobTimeoutMs));
        QVERIFY(done.first().at(1).toBool());
        QCOMPARE(m_panel->heatmap()->matrixSize(), 4);
        const QString dir = QCoreApplication::applicationDirPath();
        QVERIFY(m_panel->grab().save(dir + QStringLiteral("/tst_factor_library_panel.png")));
        m_panel->combineSelected();
        QVERIFY(done.wait(kJobTimeoutMs));
        QVERIFY(done.last().at(1).toBool());
        const QPixmap shot = m_panel->grab();
        QVERIFY(shot.save(dir + QStringLiteral("/tst_factor_library_panel_combination.png")));
        std::set<QRgb> colours;
        const QImage image = shot.toImage();
        for (int y = 0; y < image.height(); y += 4)
            for (int x = 0; x < image.width(); x += 4) colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 10, qPrintable(QString::number(colours.size())));
    }
};

QTEST_MAIN(TestFactorLibraryPanel)
#include "tst_factor_library_panel.moc"

// Drives the real MainWindow as a user would: open the bundled sample, type formulas, read what
// the panels show, and check it against core computed directly (and against a plain reference IC).

#include "core/backtest/backtest.h"
#include "core/data/dataset.h"
#include "core/expr/parser.h"
#include "core/metrics/factor_report.h"
#include "core/store/project_store.h"
#include "core/store/run_store.h"
#include "tests/support/test_support.h"
#include "ui/main_window.h"
#include "ui/models/backtest_stats_model.h"
#include "ui/models/factor_library_model.h"
#include "ui/models/split_metrics_model.h"
#include "ui/panels/dataset_panel.h"
#include "ui/panels/factor_library_panel.h"
#include "ui/panels/formula_lab.h"
#include "ui/panels/market_graph_panel.h"
#include "ui/panels/persistence_page.h"
#include "ui/panels/search_form.h"
#include "ui/panels/search_panel.h"
#include "ui/qcustomplot_include.h"
#include "ui/views/backtest_view.h"
#include "ui/views/factor_plots.h"
#include "ui/views/formula_tree_view.h"
#include "ui/views/market_graph_view.h"
#include "ui/widgets/formula_editor.h"

#include <QApplication>
#include <QDockWidget>
#include <QFileInfo>
#include <QGroupBox>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>

#include <cmath>
#include <memory>
#include <set>

using namespace alphascope;
using alphascope::ui::FactorPlots;
using alphascope::ui::FormulaLab;
using alphascope::ui::FormulaTreeView;
using alphascope::ui::MainWindow;
using alphascope::ui::MarketGraphPanel;
using alphascope::ui::PersistencePage;

namespace {

constexpr int kLoadTimeoutMs = 120000;
constexpr int kEvalTimeoutMs = 120000;

/// The value column of the top-level dataset tree row whose key is `key` (empty if absent).
QString treeValue(const QTreeWidget* tree, const QString& key) {
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        if (tree->topLevelItem(i)->text(0) == key) return tree->topLevelItem(i)->text(1);
    return {};
}

/// Index of the model column whose header reads `title` (-1 if absent).
int columnOf(const QAbstractItemModel* model, const QString& title) {
    for (int c = 0; c < model->columnCount(); ++c)
        if (model->headerData(c, Qt::Horizontal).toString() == title) return c;
    return -1;
}

/// Plain reference of ALGORITHMS.md §3: the mean over days of the cross-sectional Pearson correlation
/// (two-pass, double) over instruments where both values are finite; days with fewer than 2 pairs or a
/// degenerate cross-sectional std are skipped.
double referenceIc(const Panel& x, const Panel& y, int begin, int end, int* usedDays) {
    double sum = 0;
    int days = 0;
    for (int t = begin; t < end; ++t) {
        std::vector<double> xs, ys;
        for (int i = 0; i < x.instruments(); ++i) {
            const double a = x.at(t, i), b = y.at(t, i);
            if (std::isfinite(a) && std::isfinite(b)) {
                xs.push_back(a);
                ys.push_back(b);
            }
        }
        const std::size_t n = xs.size();
        if (n < 2) continue;
        double mx = 0, my = 0, maxX = 0, maxY = 0;
        for (std::size_t k = 0; k < n; ++k) {
            mx += xs[k];
            my += ys[k];
            maxX = std::max(maxX, std::abs(xs[k]));
            maxY = std::max(maxY, std::abs(ys[k]));
        }
        mx /= n;
        my /= n;
        double sxx = 0, syy = 0, sxy = 0;
        for (std::size_t k = 0; k < n; ++k) {
            sxx += (xs[k] - mx) * (xs[k] - mx);
            syy += (ys[k] - my) * (ys[k] - my);
            sxy += (xs[k] - mx) * (ys[k] - my);
        }
        const double sdX = std::sqrt(sxx / n), sdY = std::sqrt(syy / n);
        if (sdX <= 1e-12 * maxX || sdY <= 1e-12 * maxY) continue;
        sum += sxy / n / (sdX * sdY);
        ++days;
    }
    *usedDays = days;
    return days ? sum / days : std::nan("");
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_dir;
    QTimer m_modalGuard;
    QStringList m_modalsClosed;
    const QString m_formula = QStringLiteral("Div(Sub($close, $open), Sub($high, $low))");

    FormulaLab* lab() const { return m_window->formulaLab(); }
    QString projectPath() const { return m_dir.filePath(QStringLiteral("test.alphascope")); }

    /// Types `text` into the formula editor (replacing what is there) and presses Enter; true once
    /// `spy` (on FormulaLab::evaluated) has caught the outcome.
    bool typeAndEnter(const QString& text, QSignalSpy& spy, int timeoutMs) {
        ui::FormulaEditor* editor = lab()->editor();
        editor->setFocus();
        editor->selectAll();
        QTest::keyClicks(editor, text); // typing replaces the selection
        if (editor->formula() != text) {
            qWarning("editor shows '%s'", qPrintable(editor->formula()));
            return false;
        }
        // Typing opens the completion popup at times; Escape closes it, then Enter evaluates.
        QTest::keyClick(editor, Qt::Key_Escape);
        QTest::keyClick(editor, Qt::Key_Return);
        // A parse error is reported synchronously from the key press; an analysis later.
        if (spy.isEmpty() && !spy.wait(timeoutMs)) return false;
        return true;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QStandardPaths::setTestModeEnabled(true); // keep QSettings (window geometry) out of the user's
        QApplication::setOrganizationName(QStringLiteral("AlphaScopeTest"));
        QApplication::setApplicationName(QStringLiteral("tst_main_window"));
        QSettings().clear();
        // A failed load opens a modal QMessageBox; close it so that the test fails instead of hanging.
        connect(&m_modalGuard, &QTimer::timeout, this, [this] {
            if (QWidget* w = QApplication::activeModalWidget()) {
                m_modalsClosed << w->windowTitle();
                w->close();
            }
        });
        m_modalGuard.start(200);
        m_window = std::make_unique<MainWindow>();
        QVERIFY(m_window->openProject(projectPath(), true));
        m_window->resize(1400, 900);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanupTestCase() {
        m_modalGuard.stop();
        m_window.reset();
    }

    void opensTheBundledSample() {
        const DatasetSpec spec = bundledSampleSpec();
        QVERIFY2(!spec.path.empty(), "the bundled sample was not found");
        QSignalSpy loaded(m_window.get(), &MainWindow::datasetLoaded);
        QSignalSpy failed(m_window.get(), &MainWindow::loadFailed);
        m_window->openDataset(spec);
        QVERIFY(loaded.wait(kLoadTimeoutMs) || !failed.isEmpty());
        QVERIFY2(failed.isEmpty(), qPrintable(failed.isEmpty() ? QString() : failed.first().first().toString()));
        QCOMPARE(loaded.count(), 1);
        QVERIFY(m_window->session());
        QVERIFY(m_modalsClosed.isEmpty());

        // The sample holds 150 tickers over 1259 trading days (2015-01-12 .. 2020-01-10).
        const QTreeWidget* tree = m_window->datasetPanel()->tree();
        QCOMPARE(treeValue(tree, QStringLiteral("Instruments")), QStringLiteral("150"));
        QCOMPARE(treeValue(tree, QStringLiteral("Days")), QStringLiteral("1259"));
        QCOMPARE(treeValue(tree, QStringLiteral("Date range")), QStringLiteral("2015-01-12 .. 2020-01-10"));
        QCOMPARE(treeValue(tree, QStringLiteral("Splits")), QStringLiteral("3"));
        // The project remembers the dataset it was used with.
        auto datasets = m_window->project()->datasets();
        QVERIFY(datasets.ok());
        QCOMPARE(datasets.value().size(), std::size_t(1));
        QCOMPARE(datasets.value()[0].instruments, 150);
        QCOMPARE(datasets.value()[0].days, 1259);
    }

    void evaluatesATypedFormula() {
        const auto session = m_window->session();
        QVERIFY(session);
        QSignalSpy evaluated(lab(), &FormulaLab::evaluated);
        QSignalSpy backtested(m_window->backtestView(), &ui::BacktestView::finished);
        QSignalSpy details(lab(), &FormulaLab::detailsShown);
        QVERIFY(typeAndEnter(m_formula, evaluated, kEvalTimeoutMs));
        QCOMPARE(evaluated.count(), 1);
        QCOMPARE(evaluated.first().first().toBool(), true);

        // The same analysis straight through core.
        auto parsed = parseFormula(m_formula.toStdString(), parseOptionsFor(*session->data, false));
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().toString().c_str());
        auto direct = analyzeFactor(*session->evaluator, parsed.value(), session->targetValues, session->splits);
        QVERIFY2(direct.ok(), direct.ok() ? "" : direct.error().toString().c_str());
        const FactorReport& report = direct.value();
        QCOMPARE(report.splits.size(), std::size_t(3));

        const QAbstractItemModel* table = lab()->metricsTable()->model();
        QCOMPARE(table->rowCount(), 3);
        const int icCol = columnOf(table, QStringLiteral("IC"));
        const int rankIcCol = columnOf(table, QStringLiteral("Rank IC"));
        const int icDaysCol = columnOf(table, QStringLiteral("IC days"));
        QVERIFY(icCol >= 0 && rankIcCol >= 0 && icDaysCol >= 0);
        auto cell = [table](int r, int c) { return table->index(r, c).data().toString(); };
        const QStringList names = {QStringLiteral("train"), QStringLiteral("valid"), QStringLiteral("test")};
        for (int r = 0; r < 3; ++r) {
            QCOMPARE(cell(r, 0), names[r]);
            QCOMPARE(cell(r, icCol), QString::number(report.splits[std::size_t(r)].ic, 'f', 4));
            QCOMPARE(cell(r, rankIcCol), QString::number(report.splits[std::size_t(r)].rankIc, 'f', 4));
        }

        // The train IC shown also matches a plain reference over the train days.
        const Split& train = session->splits[0];
        QCOMPARE(QString::fromStdString(train.name), QStringLiteral("train"));
        auto values = session->evaluator->evaluate(parsed.value());
        QVERIFY(values.ok());
        int refDays = 0;
        const double refIc = referenceIc(*values.value(), *session->targetValues, train.begin, train.end, &refDays);
        QVERIFY(refDays > 100);
        QCOMPARE(cell(0, icDaysCol), QString::number(refDays));
        const double shownIc = cell(0, icCol).toDouble();
        QVERIFY2(std::abs(shownIc - refIc) <= 0.5e-4 + 1e-9,
                 qPrintable(QStringLiteral("shown %1, reference %2").arg(shownIc).arg(refIc, 0, 'g', 10)));

        // The message line names the printed formula.
        QVERIFY2(lab()->messageLabel()->text().contains(QString::fromStdString(report.formula).toHtmlEscaped()),
                 qPrintable(lab()->messageLabel()->text()));

        // Daily IC chart: one bar series per split, then cumulative IC and Rank IC over dates.
        QCustomPlot* plot = lab()->plots()->plot(FactorPlots::DailyIc);
        QCOMPARE(plot->graphCount(), 2);
        QCOMPARE(plot->plottableCount(), 5);
        QVERIFY(qSharedPointerDynamicCast<QCPAxisTickerDateTime>(plot->xAxis->ticker()));
        const std::vector<double>* daily[2] = {&report.dailyIc, &report.dailyRankIc};
        for (int g = 0; g < 2; ++g) {
            int finite = 0;
            double cum = 0;
            for (double v : *daily[g])
                if (std::isfinite(v)) {
                    ++finite;
                    cum += v;
                }
            const auto data = plot->graph(g)->data();
            QVERIFY(finite > 0);
            QCOMPARE(data->size(), finite);
            QVERIFY(std::abs((data->constEnd() - 1)->value - cum) <= 1e-9 * std::max(1.0, std::abs(cum)));
        }
        // Quantile chart: the train bars are core's quantile means (in %).
        QCustomPlot* quantiles = lab()->plots()->plot(FactorPlots::Quantiles);
        auto* trainBars = qobject_cast<QCPBars*>(quantiles->plottable(0));
        QVERIFY(trainBars);
        QCOMPARE(trainBars->data()->size(), int(report.splits[0].quantileReturns.size()));
        QVERIFY(std::abs(trainBars->data()->at(4)->value - report.splits[0].quantileReturns[4] * 100.0) < 1e-9);

        // The IC decay and the histogram follow the metrics: core's full analysis, drawn.
        QVERIFY(!details.isEmpty() || details.wait(kEvalTimeoutMs));
        const FactorReport* shown = lab()->report();
        QVERIFY(shown);
        QCustomPlot* decay = lab()->plots()->plot(FactorPlots::Decay);
        QCOMPARE(decay->graphCount(), 3);
        for (std::size_t k = 0; k < 3; ++k) {
            const SplitMetrics& a = shown->splits[k];
            const SplitMetrics& b = report.splits[k];
            QCOMPARE(a.icDecay.size(), std::size_t(20));
            QCOMPARE(a.icDecay, b.icDecay);
            QCOMPARE(a.histogram.counts, b.histogram.counts);
            QVERIFY(!a.histogram.counts.empty());
            QCOMPARE(decay->graph(static_cast<int>(k))->data()->size(), 20);
        }
        QVERIFY(lab()->plots()->plot(FactorPlots::Distribution)->graphCount() == 3);

        // The backtest follows the formula: same numbers as core's runBacktest with the view's settings.
        QVERIFY(!backtested.isEmpty() || backtested.wait(kEvalTimeoutMs));
        QCOMPARE(backtested.last().first().toBool(), true);
        ui::BacktestView* bt = m_window->backtestView();
        auto expected = runBacktest(*values.value(), *session->data->field("close"), bt->period(), bt->config());
        QVERIFY(expected.ok());
        const QModelIndex sharpe =
            bt->statsModel()->index(ui::BacktestStatsModel::Sharpe, ui::BacktestStatsModel::Portfolio);
        CHECK_NEAR(sharpe.data(ui::BacktestStatsModel::kValueRole).toDouble(), expected.value().portfolio.sharpe,
                   1e-12);
    }

    void treeFollowsTheTextAndShowsNodeMetrics() {
        FormulaTreeView* tree = m_window->treeView();
        QCOMPARE(tree->nodeCount(), 7);
        QCOMPARE(tree->nodeLabels(),
                 QStringList({QStringLiteral("Div"), QStringLiteral("Sub"), QStringLiteral("$close"),
                              QStringLiteral("$open"), QStringLiteral("Sub"), QStringLiteral("$high"),
                              QStringLiteral("$low")}));
        // Editing the text updates the tree at once (before any evaluation).
        ui::FormulaEditor* editor = lab()->editor();
        editor->setFocus();
        editor->moveCursor(QTextCursor::End);
        QTest::keyClick(editor, Qt::Key_Backspace); // drops the final ')': a parse error, no tree
        QCOMPARE(tree->nodeCount(), 0);
        QVERIFY(!tree->message().isEmpty());
        QSignalSpy evaluated(lab(), &FormulaLab::evaluated);
        QTest::keyClicks(editor, QStringLiteral(")"));
        QCOMPARE(tree->nodeCount(), 7);
        QVERIFY(evaluated.wait(kEvalTimeoutMs)); // the debounced evaluation of the restored text
        QCOMPARE(evaluated.last().first().toBool(), true);

        // Clicking the first Sub node shows that sub-formula's metrics and highlights its text.
        QSignalSpy nodeDone(lab(), &FormulaLab::nodeEvaluated);
        tree->show();
        const auto& node = tree->nodes()[1];
        const QPoint pos = tree->mapFromScene(node.center);
        QCOMPARE(tree->nodeAt(pos), 1);
        QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, pos);
        QVERIFY(!nodeDone.isEmpty() || nodeDone.wait(kEvalTimeoutMs));
        QCOMPARE(nodeDone.first().first().toBool(), true);
        QVERIFY(lab()->nodeBox()->isVisible());
        const auto session = m_window->session();
        auto sub = parseFormula("Sub($close, $open)", parseOptionsFor(*session->data, false));
        auto direct = analyzeFactor(*session->evaluator, sub.value(), session->targetValues, session->splits);
        QVERIFY(direct.ok());
        QCOMPARE(lab()->nodeMetricsModel()->rowCount(), 3);
        QCOMPARE(lab()->nodeMetricsModel()->index(0, ui::SplitMetricsModel::Ic).data(Qt::UserRole).toDouble(),
                 direct.value().splits[0].ic);
        QCOMPARE(m_formula.mid(node.begin, node.end - node.begin), QStringLiteral("Sub($close, $open)"));
    }

    void savedFactorsSurviveARestart() {
        QVERIFY(lab()->report());
        QVERIFY(m_window->saveCurrentFactor(QStringLiteral("intraday range position")));
        QCOMPARE(m_window->libraryPanel()->model()->rowCount(), 1);
        // A second window on the same project (as after a restart) lists the factor with its metrics.
        MainWindow second;
        QVERIFY(second.openProject(projectPath(), true));
        QCOMPARE(second.libraryPanel()->model()->rowCount(), 1);
        auto factors = second.project()->factors();
        QVERIFY(factors.ok());
        QCOMPARE(factors.value().size(), std::size_t(1));
        QCOMPARE(factors.value()[0].name, std::string("intraday range position"));
        QCOMPARE(factors.value()[0].formula, lab()->report()->formula);
        QCOMPARE(factors.value()[0].metrics.size(), std::size_t(3));
        QCOMPARE(factors.value()[0].metrics[0].ic, lab()->report()->splits[0].ic);
    }

    void searchMembersAreSavedWithTheirRun() {
        // As from the search panel's "Save to library": three members, evaluated off the GUI thread,
        // saved with their metrics and the run they came from.
        RunRecord run;
        run.algorithm = "random";
        run.configJson = "{}";
        auto runs = RunStore::open(projectPath().toStdString());
        QVERIFY(runs.ok());
        auto runId = runs.value()->createRun(run);
        QVERIFY(runId.ok());
        const int before = m_window->libraryPanel()->model()->rowCount();
        QSignalSpy saved(m_window.get(), &MainWindow::librarySaveFinished);
        m_window->saveFormulasToLibrary({QStringLiteral("Mean($close, 20)"), QStringLiteral("Std($volume, 10)"),
                                         QStringLiteral("CSRank(Delta($close, 5))")},
                                        runId.value());
        QVERIFY(saved.wait(60000));
        QCOMPARE(saved.at(0).at(0).toInt(), 3);
        QCOMPARE(m_window->libraryPanel()->model()->rowCount(), before + 3);
        auto factors = m_window->project()->factors();
        QVERIFY(factors.ok());
        for (std::size_t k = factors->size() - 3; k < factors->size(); ++k) {
            QCOMPARE((*factors)[k].originRunId, runId.value());
            QCOMPARE((*factors)[k].metrics.size(), std::size_t(3));
        }
        // A formula that does not parse saves nothing and says why.
        saved.clear();
        m_window->saveFormulasToLibrary({QStringLiteral("Mean($close, 20)"), QStringLiteral("Mean($close,")},
                                        runId.value());
        QVERIFY(saved.wait(60000));
        QCOMPARE(saved.at(0).at(0).toInt(), 0);
        QVERIFY(!saved.at(0).at(1).toString().isEmpty());
        QCOMPARE(m_window->libraryPanel()->model()->rowCount(), before + 3);
    }

    void layoutIsSavedAndRestored() {
        auto* treeDock = m_window->findChild<QDockWidget*>(QStringLiteral("TreeDock"));
        QVERIFY(treeDock && treeDock->isVisible());
        treeDock->hide();
        m_window->close(); // saves geometry and dock state
        MainWindow again;
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        auto* restored = again.findChild<QDockWidget*>(QStringLiteral("TreeDock"));
        QVERIFY(restored && !restored->isVisible());
        QVERIFY(again.findChild<QDockWidget*>(QStringLiteral("BacktestDock"))->isVisible());
        restored->show();
        again.close();
        m_window->show();
        treeDock->show();
    }

    void marketGraphLevelsBecomeGroupings() {
        // Fit the sample's hierarchy in the graph panel; the fit is stored in the project.
        MarketGraphPanel* graph = m_window->graphPanel();
        graph->methodBox()->setCurrentIndex(graph->methodBox()->findData(QStringLiteral("ward")));
        graph->levelsEdit()->setText(QStringLiteral("6,2"));
        QSignalSpy fitted(graph, &MarketGraphPanel::fitFinished);
        QSignalSpy shown(graph, &MarketGraphPanel::windowShown);
        QTest::mouseClick(graph->fitButton(), Qt::LeftButton);
        QVERIFY(fitted.wait(kEvalTimeoutMs));
        QVERIFY(fitted.first().first().toBool());
        QVERIFY(!shown.isEmpty() || shown.wait(kEvalTimeoutMs));
        const auto fit = graph->currentFit();
        QVERIFY(fit);
        QVERIFY(graph->graphView()->nodeCount() > 100); // the sample's 150 stocks, less any without data
        auto datasets = m_window->project()->datasets();
        QVERIFY(datasets.ok() && !datasets.value().empty());
        auto stored = m_window->project()->latestGraphFit(datasets.value()[0].id, *m_window->session()->data);
        QVERIFY(stored.ok() && stored.value());
        QCOMPARE(stored.value()->fit.windows.size(), fit->windows.size());

        // Use the levels: a new session of the same data with h1 and h2; the fit stays on screen.
        QSignalSpy loaded(m_window.get(), &MainWindow::datasetLoaded);
        QTest::mouseClick(graph->useButton(), Qt::LeftButton);
        QVERIFY(loaded.wait(kLoadTimeoutMs));
        const Grouping* h1 = m_window->session()->data->grouping("h1");
        QVERIFY(h1 && !h1->daily.empty());
        QVERIFY(m_window->session()->data->grouping("h2"));
        QCOMPARE(graph->currentFit(), fit);
        // The lab evaluates cluster-relative momentum with the learned level.
        QSignalSpy evaluated(lab(), &FormulaLab::evaluated);
        lab()->setFormula(QStringLiteral("GroupDemean(Div($close,Ref($close,20)),h1)"));
        lab()->evaluateNow();
        QVERIFY(evaluated.wait(kEvalTimeoutMs));
        QVERIFY2(evaluated.last().first().toBool(), qPrintable(lab()->messageLabel()->text()));
        QVERIFY(lab()->report() && std::isfinite(lab()->report()->splits[0].ic));
        // The search form offers the levels as groupings.
        QListWidget* groups = m_window->searchPanel()->form()->groupsList();
        QVERIFY(!groups->findItems(QStringLiteral("h1"), Qt::MatchExactly).isEmpty());
        QVERIFY(!groups->findItems(QStringLiteral("sector"), Qt::MatchExactly).isEmpty());

        // Reopening the project with the dataset shows the stored fit without fitting again.
        MainWindow second;
        QVERIFY(second.openProject(projectPath(), true));
        QSignalSpy secondLoaded(&second, &MainWindow::datasetLoaded);
        second.openDataset(bundledSampleSpec());
        QVERIFY(secondLoaded.wait(kLoadTimeoutMs));
        QVERIFY(second.graphPanel()->currentFit());
        QVERIFY(!second.graphPanel()->fitting());
        QCOMPARE(second.graphPanel()->currentFit()->windows.size(), fit->windows.size());
        QCOMPARE(second.graphPanel()->currentFit()->windows.back().labels, fit->windows.back().labels);
    }

    void persistenceMeasuresTheSessionAndCancelsFromTheStatusBar() {
        // The market graph panel's Persistence tab measures the loaded sample (its years, the
        // candidate training windows and its splits); the status bar names the work while it runs,
        // and its Cancel stops it.
        PersistencePage* page = m_window->graphPanel()->persistencePage();
        QVERIFY(page->measureButton()->isEnabled());
        page->formulasBox()->setValue(100);
        QSignalSpy measured(page, &PersistencePage::measured);
        QTest::mouseClick(page->measureButton(), Qt::LeftButton);
        auto* task = m_window->findChild<QLabel*>(QStringLiteral("TaskLabel"));
        QVERIFY(task);
        QCOMPARE(task->text(), QStringLiteral("Measuring persistence…"));
        QVERIFY(measured.wait(kEvalTimeoutMs));
        QVERIFY2(measured.first().first().toBool(), qPrintable(page->summaryLabel()->text()));
        QStringList names;
        for (const auto& p : page->report()->periods) names << QString::fromStdString(p.name);
        for (const char* name : {"2015", "2019", "train", "valid", "test"})
            QVERIFY2(names.contains(name), qPrintable(names.join(',')));
        QVERIFY(task->text().isEmpty() || !task->isVisible());

        // "Train on …" reopens the session with the suggested window as its training split; valid
        // and test stay as they were.
        const int suggested = page->report()->suggestedWindow;
        QVERIFY(suggested >= 0);
        const PersistencePeriod window = page->report()->periods[static_cast<std::size_t>(suggested)];
        const auto before = m_window->session();
        QVERIFY(!page->useWindowButton()->isHidden());
        QSignalSpy loaded(m_window.get(), &MainWindow::datasetLoaded);
        QTest::mouseClick(page->useWindowButton(), Qt::LeftButton);
        QVERIFY(loaded.wait(kLoadTimeoutMs));
        const auto after = m_window->session();
        QVERIFY(after != before);
        QCOMPARE(after->data, before->data);
        QCOMPARE(trainingSplit(*after).begin, window.begin);
        QCOMPARE(trainingSplit(*after).end, window.end);
        QCOMPARE(validationSplit(*after)->begin, validationSplit(*before)->begin);
        QCOMPARE(after->splits.back().end, before->splits.back().end);
        QVERIFY2(m_window->statusBar()->currentMessage().startsWith(QStringLiteral("Training on ") +
                                                                    QString::fromStdString(window.first.toString())),
                 qPrintable(m_window->statusBar()->currentMessage()));
        QVERIFY(!page->report()); // measured on the old splits: dropped
        QVERIFY(page->useWindowButton()->isHidden());
        // Back to the sample's own splits for the tests after this one.
        m_window->openDataset(before->spec);
        QVERIFY(loaded.wait(kLoadTimeoutMs));
        QCOMPARE(trainingSplit(*m_window->session()).begin, trainingSplit(*before).begin);
        QCOMPARE(trainingSplit(*m_window->session()).end, trainingSplit(*before).end);

        measured.clear();
        page->formulasBox()->setValue(50000);
        page->measure();
        auto* cancel = m_window->findChild<QToolButton*>(QStringLiteral("CancelWork"));
        QVERIFY(cancel && cancel->isVisible());
        QTest::mouseClick(cancel, Qt::LeftButton);
        QVERIFY(measured.wait(kEvalTimeoutMs));
        QCOMPARE(measured.first().first().toBool(), false);
        QCOMPARE(page->summaryLabel()->text(), QStringLiteral("Measurement cancelled."));
    }

    void savesAScreenshot() {
        const QString file = QCoreApplication::applicationDirPath() + QStringLiteral("/tst_main_window.png");
        QFile::remove(file);
        const QPixmap shot = m_window->grab();
        QCOMPARE(shot.size(), m_window->size());
        QVERIFY(shot.save(file));
        const QImage image(file);
        QCOMPARE(image.size(), m_window->size());
        // Not a blank image: the window paints many distinct colours (text, curves, table).
        std::set<QRgb> colours;
        for (int y = 0; y < image.height(); y += 4)
            for (int x = 0; x < image.width(); x += 4) colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 20, qPrintable(QString::number(colours.size())));
        qInfo("screenshot: %s", qPrintable(file));
    }

    void evaluatesWorldQuantNotation() {
        // Alpha#3 as printed in the paper: read as WorldQuant's, shown in both notations, and the
        // metrics are those of the same formula typed in Qlib's notation.
        QSignalSpy evaluated(lab(), &FormulaLab::evaluated);
        QVERIFY(typeAndEnter(QStringLiteral("(-1 * correlation(rank(open), rank(volume), 10))"), evaluated,
                             kEvalTimeoutMs));
        QVERIFY2(evaluated.last().first().toBool(), qPrintable(lab()->messageLabel()->text()));
        const QString message = lab()->messageLabel()->text();
        QVERIFY2(message.contains(QStringLiteral("Mul(-1, Corr(CSRank($open), CSRank($volume), 10))")),
                 qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("WorldQuant: (-1) * correlation(rank(open), rank(volume), 10)")),
                 qPrintable(message));
        const double ic = lab()->report()->splits[0].ic;
        const auto session = m_window->session();
        auto parsed =
            parseFormula("Mul(-1, Corr(CSRank($open), CSRank($volume), 10))", parseOptionsFor(*session->data, false));
        QVERIFY(parsed.ok());
        auto qlib = analyzeFactor(*session->evaluator, parsed.value(), session->targetValues, session->splits);
        QVERIFY(qlib.ok());
        QCOMPARE(qlib.value().splits[0].ic, ic);
        QVERIFY(std::isfinite(ic));
    }

    // One row per line, each input beside what it should give:
    // clang-format off
    void locatesFormulaErrors_data() {
        QTest::addColumn<QString>("formula");
        QTest::addColumn<int>("column");
        QTest::newRow("missing argument") << "Mean($close, )" << 14;
        QTest::newRow("unknown operator") << "Mena($close,5)" << 1;
        QTest::newRow("nested unknown operator") << "Add($close, Stdd($open, 5))" << 13;
        QTest::newRow("fractional window") << "Mean($close, 2.5)" << 14;
    }
    // clang-format on
    void locatesFormulaErrors() {
        QFETCH(QString, formula);
        QFETCH(int, column);
        const auto session = m_window->session();
        QVERIFY(session);
        auto direct = parseFormula(formula.toStdString(), parseOptionsFor(*session->data, false));
        QVERIFY(!direct.ok());
        QCOMPARE(direct.error().column, column);

        QSignalSpy evaluated(lab(), &FormulaLab::evaluated);
        QVERIFY(typeAndEnter(formula, evaluated, kEvalTimeoutMs));
        QCOMPARE(evaluated.count(), 1);
        QCOMPARE(evaluated.first().first().toBool(), false);
        const QString message = lab()->messageLabel()->text();
        QVERIFY2(message.contains(QStringLiteral("Column %1:").arg(column)), qPrintable(message));
        QVERIFY2(message.contains(QString::fromStdString(direct.error().message).toHtmlEscaped()), qPrintable(message));
        QCOMPARE(lab()->editor()->formula(), formula);
        QCOMPARE(lab()->editor()->errorColumn(), column);
        // Nothing of the previous formula stays on screen, and nothing can be saved.
        QCOMPARE(lab()->metricsTable()->model()->rowCount(), 0);
        QVERIFY(!lab()->saveButton()->isEnabled());
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"

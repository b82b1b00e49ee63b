#include "ui/main_window.h"

#include "core/graph/hierarchy_fit.h"

#include "core/expr/parser.h"
#include "core/store/dataset_record_of.h"
#include "core/store/project_store.h"
#include "ui/dialogs/open_dataset_dialog.h"
#include "ui/dialogs/settings_dialog.h"
#include "ui/models/factor_library_model.h"
#include "ui/panels/dataset_panel.h"
#include "ui/panels/factor_library_panel.h"
#include "ui/panels/formula_lab.h"
#include "ui/panels/gcn_signal_page.h"
#include "ui/panels/market_graph_panel.h"
#include "ui/panels/persistence_page.h"
#include "ui/panels/recovery_page.h"
#include "ui/panels/runs_panel.h"
#include "ui/panels/search_panel.h"
#include "ui/panels/study_panel.h"
#include "ui/settings.h"
#include "ui/util/latest_job.h"
#include "ui/views/backtest_view.h"
#include "ui/views/factor_plots.h"
#include "ui/views/formula_tree_view.h"
#include "ui/views/search_monitor.h"
#include "ui/widgets/formula_editor.h"

#include "core/util/compute_device.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QScreen>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolButton>
#include <QUndoStack>

namespace alphascope::ui {

namespace {
QDockWidget* makeDock(const QString& title, const QString& name, QWidget* widget, QMainWindow* window) {
    auto* dock = new QDockWidget(title, window);
    dock->setObjectName(name); // saveState()/restoreState() key
    dock->setWidget(widget);
    return dock;
}
} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_lab(new FormulaLab(this)), m_datasetPanel(new DatasetPanel(this)),
      m_library(new FactorLibraryPanel(this)), m_tree(new FormulaTreeView(this)), m_backtest(new BacktestView(this)),
      m_search(new SearchPanel(this)), m_runs(new RunsPanel(this)), m_graph(new MarketGraphPanel(this)),
      m_studies(new StudyPanel(this)), m_recovery(new RecoveryPage(this)), m_searchProgress(new QProgressBar(this)),
      m_datasetLabel(new QLabel(this)), m_deviceLabel(new QLabel(this)), m_taskLabel(new QLabel(this)),
      m_progress(new QProgressBar(this)), m_cancel(new QToolButton(this)) {
    setObjectName(QStringLiteral("MainWindow"));
    setCentralWidget(m_lab);
    m_lab->setDebounceMs(settings::debounceMs.value());
    createDocks();

    const ComputeDeviceInfo info = computeDeviceInfo();
    const QString device = info.cuda ? tr("CUDA (%1)").arg(QString::fromStdString(info.gpuName)) : tr("CPU");
    m_deviceLabel->setText(tr("Device: %1").arg(device));
    m_progress->setMaximumWidth(140);
    m_progress->setRange(0, 0);
    m_progress->setTextVisible(false);
    m_taskLabel->setObjectName(QStringLiteral("TaskLabel"));
    m_cancel->setObjectName(QStringLiteral("CancelWork"));
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop the work in progress (Esc)"));
    m_cancel->setShortcut(QKeySequence(Qt::Key_Escape));
    for (QWidget* w : std::initializer_list<QWidget*>{m_taskLabel, m_progress, m_cancel}) w->setVisible(false);
    statusBar()->addWidget(m_datasetLabel, 1);
    m_searchProgress->setRange(0, 1000);
    m_searchProgress->setMinimumWidth(220);
    m_searchProgress->setMaximumWidth(300);
    m_searchProgress->setVisible(false);
    statusBar()->addPermanentWidget(m_searchProgress);
    statusBar()->addPermanentWidget(m_taskLabel);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    statusBar()->addPermanentWidget(m_deviceLabel);
    m_datasetLabel->setText(tr("No dataset"));

    createMenus();
    connectPanels();
    connectSearch();
    m_loadJob = std::make_unique<LatestJob<std::shared_ptr<const ResearchSession>>>(this);
    m_loadJob->onDone = [this](Result<std::shared_ptr<const ResearchSession>> r) { onLoaded(std::move(r)); };
    m_loadJob->onProgress = [this](const TaskProgress& p) {
        if (!m_loading) return;
        m_progress->setRange(0, 1000);
        m_progress->setValue(static_cast<int>(1000.0 * std::max(0.0, p.fraction)));
        m_progress->setTextVisible(true);
        const int left = p.secondsLeft >= 0 ? static_cast<int>(p.secondsLeft + 0.5) : -1;
        m_progress->setFormat(left >= 0 ? tr("%p% — %1 s left").arg(left) : tr("%p%"));
        m_taskLabel->setText(QString::fromStdString(p.text));
    };
    connect(m_cancel, &QToolButton::clicked, this, &MainWindow::cancelWork);

    // A first start fills most of the screen (1600 x 1000 on a typical laptop), not a fixed size.
    if (const QScreen* screen = QGuiApplication::primaryScreen()) {
        const QRect area = screen->availableGeometry();
        // Never below the former fixed 1440 x 900, which the panels' minimum sizes were laid out for.
        resize(std::max(1440, area.width() * 19 / 20), std::max(900, area.height() * 19 / 20));
    } else {
        resize(1440, 900);
    }
    m_defaultState = saveState();
    restoreGeometry(settings::windowGeometry.value());
    restoreState(settings::windowState.value());
    updateTitle();
}

MainWindow::~MainWindow() = default;

void MainWindow::connectSearch() {
    m_saveJob = std::make_unique<LatestJob<std::vector<FactorReport>>>(this);
    m_exportJob = std::make_unique<LatestJob<int>>(this);
    auto raise = [this](const char* name) {
        if (auto* dock = findChild<QDockWidget*>(QLatin1String(name))) {
            dock->show();
            dock->raise();
        }
    };
    connect(m_search, &SearchPanel::openFormulaRequested, this,
            [this](const QString& formula) { m_lab->setFormula(formula); });
    connect(m_search, &SearchPanel::saveToLibraryRequested, this, &MainWindow::saveFormulasToLibrary);
    connect(m_search, &SearchPanel::compareRequested, this, [this, raise](const QStringList& formulas) {
        std::vector<std::string> f;
        for (const QString& s : formulas) f.push_back(s.toStdString());
        raise("LibraryDock");
        m_library->compareFormulas(formulas, f);
    });
    connect(m_search, &SearchPanel::combineRequested, this, [this, raise](const QStringList& formulas) {
        std::vector<std::string> f;
        for (const QString& s : formulas) f.push_back(s.toStdString());
        raise("LibraryDock");
        m_library->combineFormulas(formulas, f); // its result offers the combination's backtest
    });
    connect(m_search, &SearchPanel::exportRequested, this, &MainWindow::exportFormulas);
    connect(m_search, &SearchPanel::runStarted, m_runs, [this](qint64) { m_runs->reload(); });
    connect(m_search, &SearchPanel::runEnded, m_runs, [this](qint64, bool) { m_runs->reload(); });
    connect(m_search, &SearchPanel::progressChanged, this,
            [this](bool busy, double fraction, double left, const QString& text) {
                m_searchProgress->setVisible(busy);
                m_searchProgress->setValue(static_cast<int>(1000.0 * fraction));
                const int s = left >= 0 ? static_cast<int>(left + 0.5) : -1;
                m_searchProgress->setFormat(s >= 0 ? tr("Search %1% — %2:%3 left")
                                                         .arg(100.0 * fraction, 0, 'f', 0)
                                                         .arg(s / 60)
                                                         .arg(s % 60, 2, 10, QLatin1Char('0'))
                                                   : tr("Search %1%").arg(100.0 * fraction, 0, 'f', 0));
                m_searchProgress->setToolTip(text);
            });
    connect(m_runs, &RunsPanel::runOpened, this,
            [this, raise](qint64 id, const QString& label, const SearchConfig& config,
                          const std::vector<MonitorPoint>& curve, const std::vector<SnapshotMember>& pool,
                          const QByteArray& resultJson) {
                m_search->showStoredRun(id, label, config, curve, pool, resultJson);
                raise("SearchDock");
            });
    connect(m_library->model(), &QAbstractItemModel::modelReset, this, &MainWindow::refreshLibraryFormulas);
    connect(m_library->model(), &QAbstractItemModel::rowsInserted, this, &MainWindow::refreshLibraryFormulas);
    connect(m_library->model(), &QAbstractItemModel::rowsRemoved, this, &MainWindow::refreshLibraryFormulas);
}

void MainWindow::refreshLibraryFormulas() {
    std::vector<std::string> formulas;
    for (const FactorRecord& f : m_library->model()->records()) formulas.push_back(f.formula);
    m_search->setLibraryFormulas(std::move(formulas));
}

void MainWindow::createDocks() {
    QDockWidget* dataset = makeDock(tr("Dataset"), QStringLiteral("DatasetDock"), m_datasetPanel, this);
    QDockWidget* library = makeDock(tr("Factor library"), QStringLiteral("LibraryDock"), m_library, this);
    QDockWidget* tree = makeDock(tr("Formula tree"), QStringLiteral("TreeDock"), m_tree, this);
    QDockWidget* backtest = makeDock(tr("Backtest"), QStringLiteral("BacktestDock"), m_backtest, this);
    QDockWidget* search = makeDock(tr("Search"), QStringLiteral("SearchDock"), m_search, this);
    QDockWidget* runs = makeDock(tr("Runs"), QStringLiteral("RunsDock"), m_runs, this);
    QDockWidget* graph = makeDock(tr("Market graph"), QStringLiteral("GraphDock"), m_graph, this);
    // Studies over seeds on the open data, and the planted-market benchmark, in one dock.
    auto* studyTabs = new QTabWidget(this);
    studyTabs->setObjectName(QStringLiteral("StudyTabs"));
    studyTabs->setDocumentMode(true);
    studyTabs->addTab(m_studies, tr("Studies over seeds"));
    studyTabs->addTab(m_recovery, tr("Planted recovery"));
    QDockWidget* studies = makeDock(tr("Studies"), QStringLiteral("StudiesDock"), studyTabs, this);
    addDockWidget(Qt::LeftDockWidgetArea, dataset);
    // The left column runs the full height; backtest and library share the wide area under the lab
    // and the tree.
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::TopLeftCorner, Qt::LeftDockWidgetArea);
    addDockWidget(Qt::RightDockWidgetArea, tree);
    addDockWidget(Qt::BottomDockWidgetArea, backtest);
    addDockWidget(Qt::BottomDockWidgetArea, library);
    addDockWidget(Qt::BottomDockWidgetArea, search);
    addDockWidget(Qt::BottomDockWidgetArea, runs);
    addDockWidget(Qt::BottomDockWidgetArea, graph);
    addDockWidget(Qt::BottomDockWidgetArea, studies);
    tabifyDockWidget(backtest, library);
    tabifyDockWidget(backtest, search);
    tabifyDockWidget(backtest, runs);
    tabifyDockWidget(backtest, graph);
    tabifyDockWidget(backtest, studies);
    backtest->raise();
    resizeDocks({dataset, tree}, {300, 440}, Qt::Horizontal);
    resizeDocks({backtest}, {360}, Qt::Vertical);
}

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open dataset…"), QKeySequence::Open, this, &MainWindow::showOpenDialog);
    file->addAction(tr("Open the &sample dataset"), this, [this] { openDataset(bundledSampleSpec()); });
    m_recentMenu = file->addMenu(tr("&Recent datasets"));
    rebuildRecentMenu();
    file->addSeparator();
    file->addAction(tr("&New project…"), this, &MainWindow::newProject);
    file->addAction(tr("Open &project…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), this,
                    &MainWindow::openProjectDialog);
    file->addAction(tr("Save project &as…"), QKeySequence::SaveAs, this, &MainWindow::saveProjectAs);
    file->addSeparator();
    QMenu* exportMenu = file->addMenu(tr("&Export"));
    exportMenu->addAction(tr("Formula tree as &PNG…"), this, [this] { exportTree(false); });
    exportMenu->addAction(tr("Formula tree as &SVG…"), this, [this] { exportTree(true); });
    exportMenu->addAction(tr("Lab &chart (PNG/PDF)…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export chart"), QStringLiteral("chart.png"),
                                                          tr("PNG image (*.png);;PDF (*.pdf)"));
        if (!path.isEmpty() && !m_lab->plots()->exportCurrent(path))
            QMessageBox::warning(this, tr("Export"), tr("Cannot write %1.").arg(path));
    });
    exportMenu->addAction(tr("&Backtest daily series (CSV)…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export backtest"), QStringLiteral("backtest.csv"),
                                                          tr("CSV (*.csv)"));
        if (!path.isEmpty() && !m_backtest->exportCsv(path))
            QMessageBox::warning(this, tr("Export"), tr("Cannot write %1 (run a backtest first).").arg(path));
    });
    exportMenu->addAction(tr("Backtest c&hart (PNG)…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export backtest chart"),
                                                          QStringLiteral("backtest.png"), tr("PNG image (*.png)"));
        if (!path.isEmpty() && !m_backtest->exportPng(path))
            QMessageBox::warning(this, tr("Export"), tr("Cannot write %1.").arg(path));
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = m_library->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = m_library->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    QAction* prefs = edit->addAction(tr("&Settings…"), this, &MainWindow::showSettings);
    prefs->setShortcut(QKeySequence::Preferences);
    prefs->setMenuRole(QAction::PreferencesRole);

    QMenu* formula = menuBar()->addMenu(tr("F&ormula"));
    formula->addAction(tr("&Edit formula"), QKeySequence(Qt::CTRL | Qt::Key_L), this,
                       [this] { m_lab->editor()->setFocus(); });
    formula->addAction(tr("E&valuate now"), QKeySequence(Qt::Key_F5), m_lab, &FormulaLab::evaluateNow);
    formula->addAction(tr("&Save to library…"), QKeySequence::Save, this, &MainWindow::promptSaveFactor);
    formula->addAction(tr("Run &backtest"), QKeySequence(Qt::CTRL | Qt::Key_B), m_backtest, &BacktestView::run);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* d : findChildren<QDockWidget*>()) view->addAction(d->toggleViewAction());
    view->addSeparator();
    view->addAction(tr("&Reset layout"), this, [this] { restoreState(m_defaultState); });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Formula language"), this, [this] {
        QMessageBox::information(
            this, tr("Formula language"),
            tr("<p>Fields start with $: $open $high $low $close $volume $vwap.</p>"
               "<p>Operators take series first and a window (days) last: <tt>Mean($close, 20)</tt>, "
               "<tt>Corr($close, $volume, 10)</tt>, <tt>GroupRank($close, sector)</tt>. "
               "+ − × ÷ may be written infix.</p><p>In the editor, Ctrl+Space lists every operator with its signature; "
               "Enter evaluates at once.</p>"));
    });
    help->addAction(tr("&About AlphaScope"), this, [this] {
        QMessageBox::about(this, tr("About AlphaScope"),
                           tr("<b>AlphaScope %1</b><p>A research workbench for formulaic alpha factors.</p>")
                               .arg(QStringLiteral(ALPHASCOPE_UI_VERSION)));
    });
}

void MainWindow::connectPanels() {
    connect(m_lab, &FormulaLab::busyChanged, this, [this](bool busy) { setBusy(tr("Evaluating"), busy); });
    connect(m_backtest, &BacktestView::busyChanged, this, [this](bool busy) { setBusy(tr("Backtesting"), busy); });
    connect(m_graph, &MarketGraphPanel::busyChanged, this,
            [this](bool busy) { setBusy(tr("Fitting the market graph"), busy); });
    connect(m_studies, &StudyPanel::busyChanged, this, [this](bool busy) { setBusy(tr("Running a study"), busy); });
    connect(m_recovery, &RecoveryPage::busyChanged, this,
            [this](bool busy) { setBusy(tr("Running the recovery benchmark"), busy); });
    connect(m_graph->persistencePage(), &PersistencePage::busyChanged, this,
            [this](bool busy) { setBusy(tr("Measuring persistence"), busy); });
    connect(m_graph->persistencePage(), &PersistencePage::trainingWindowRequested, this, [this](int period) {
        const PersistenceReport* report = m_graph->persistencePage()->report();
        if (!report || period < 0 || period >= static_cast<int>(report->periods.size())) return;
        const PersistencePeriod& window = report->periods[static_cast<std::size_t>(period)];
        setTrainingRange(window.first, window.last);
        statusBar()->showMessage(tr("Training on %1 … %2 (%3); valid and test are unchanged.")
                                     .arg(QString::fromStdString(window.first.toString()),
                                          QString::fromStdString(window.last.toString()),
                                          QString::fromStdString(window.name)),
                                 10000);
    });
#ifdef ALPHASCOPE_HAVE_TORCH
    if (GcnSignalPage* gcn = m_graph->gcnPage()) {
        connect(gcn, &GcnSignalPage::busyChanged, this, [this](bool busy) { setBusy(tr("Training the GCN"), busy); });
        connect(gcn, &GcnSignalPage::backtestRequested, this, [this](const QString& label, PanelPtr scores) {
            m_backtest->setScore(label, std::move(scores));
            if (auto* dock = findChild<QDockWidget*>(QStringLiteral("BacktestDock"))) {
                dock->show();
                dock->raise();
            }
        });
    }
#endif
    connect(m_graph, &MarketGraphPanel::fitFinished, this, [this](bool ok) {
        const auto fit = m_graph->currentFit();
        if (!ok || !fit || !m_store || !m_session) return;
        auto saved = m_store->addGraphFit(m_datasetId, m_graph->fitMethod().toStdString(), *fit, *m_session->data);
        if (!saved.ok())
            statusBar()->showMessage(
                tr("The fit was not saved: %1").arg(QString::fromStdString(saved.error().toString())), 8000);
    });
    connect(m_graph, &MarketGraphPanel::useLevelsRequested, this, [this] {
        const auto fit = m_graph->currentFit();
        if (!fit) return;
        QStringList names;
        for (const Grouping& g : fit->groupings) names << QString::fromStdString(g.name);
        addGroupings(fit->groupings);
        statusBar()->showMessage(
            tr("Levels %1 added to the dataset: use them as GroupDemean($close, h1) or in a search's groupings.")
                .arg(names.join(QStringLiteral(", "))),
            10000);
    });
    connect(m_lab, &FormulaLab::formulaChanged, this, [this](const QString& text) {
        m_tree->setFormula(text, m_session ? parseOptionsFor(*m_session->data, false) : ParseOptions{});
    });
    connect(m_tree, &FormulaTreeView::nodeActivated, m_lab, &FormulaLab::analyzeNode);
    connect(m_lab, &FormulaLab::factorReady, m_backtest, &BacktestView::setScore);
    connect(m_lab, &FormulaLab::saveRequested, this, &MainWindow::promptSaveFactor);
    connect(m_library, &FactorLibraryPanel::openFormulaRequested, this, [this](const QString& formula) {
        m_lab->setFormula(formula);
        m_lab->editor()->setFocus();
    });
    connect(m_library, &FactorLibraryPanel::backtestRequested, this, [this](const QString& label, PanelPtr score) {
        m_backtest->setScore(label, std::move(score));
        if (auto* dock = findChild<QDockWidget*>(QStringLiteral("BacktestDock"))) {
            dock->show();
            dock->raise();
        }
    });
}

void MainWindow::showOpenDialog() {
    OpenDatasetDialog dialog(this);
    if (m_session) dialog.setSpec(m_session->spec);
    if (dialog.exec() == QDialog::Accepted) openDataset(dialog.spec());
}

void MainWindow::showSettings() {
    SettingsDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted) return;
    m_lab->setDebounceMs(settings::debounceMs.value());
    if (m_session) m_session->evaluator->setCacheBudget(static_cast<std::size_t>(settings::cacheMiB.value()) << 20);
    if (dialog.restartNeeded())
        QMessageBox::information(this, tr("Settings"),
                                 tr("The new language takes effect when AlphaScope is started again."));
}

void MainWindow::rebuildRecentMenu() {
    m_recentMenu->clear();
    const auto recent = RecentDatasets::load();
    for (const SessionSpec& s : recent) {
        QAction* a = m_recentMenu->addAction(RecentDatasets::label(s), this, [this, s] { openDataset(s); });
        a->setToolTip(QString::fromStdString(s.dataset.path));
    }
    if (recent.empty()) m_recentMenu->addAction(tr("(none)"))->setEnabled(false);
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(tr("&Clear list"), this, [this] {
        RecentDatasets::clear();
        rebuildRecentMenu();
    });
}

void MainWindow::exportTree(bool svg) {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export formula tree"), svg ? QStringLiteral("formula.svg") : QStringLiteral("formula.png"),
        svg ? tr("SVG image (*.svg)") : tr("PNG image (*.png)"));
    if (path.isEmpty()) return;
    const bool ok = svg ? m_tree->exportSvg(path) : m_tree->exportPng(path);
    if (!ok) QMessageBox::warning(this, tr("Export"), tr("Cannot write %1 (is a formula shown?).").arg(path));
}

void MainWindow::openDataset(const DatasetSpec& spec) {
    SessionSpec s;
    s.dataset = spec;
    openDataset(s);
}

void MainWindow::openDataset(const SessionSpec& spec) {
    m_loading = true; // a load in flight is cancelled by the job helper: the newer request wins
    setBusy(tr("Loading"), true);
    m_datasetLabel->setText(tr("Loading %1…").arg(QString::fromStdString(spec.dataset.path)));
    m_loadJob->start([spec](Feedback& feedback) -> Result<std::shared_ptr<const ResearchSession>> {
        return openResearchSession(spec, nullptr, &feedback);
    });
}

void MainWindow::onLoaded(Result<std::shared_ptr<const ResearchSession>> loaded) {
    if (!m_loading) return;
    m_loading = false;
    setBusy(tr("Loading"), false);
    if (!loaded.ok()) {
        updateTitle();
        m_datasetLabel->setText(
            m_session ? tr("%1 (the new dataset did not load)").arg(QString::fromStdString(m_session->data->source))
                      : tr("No dataset"));
        if (loaded.error().code == ErrorCode::Canceled) {
            statusBar()->showMessage(tr("Loading cancelled."), 4000);
            return;
        }
        const QString msg = QString::fromStdString(loaded.error().toString());
        QMessageBox::warning(this, tr("Cannot open the dataset"), msg);
        Q_EMIT loadFailed(msg);
        return;
    }
    const SessionSpec spec = loaded.value()->spec;
    m_session = loaded.value();
    m_session->evaluator->setCacheBudget(static_cast<std::size_t>(settings::cacheMiB.value()) << 20);
    const MarketData& d = *m_session->data;
    m_datasetLabel->setText(tr("%1 — %2 instruments × %3 days, %4 .. %5, %6 MB")
                                .arg(QFileInfo(QString::fromStdString(d.source)).fileName())
                                .arg(d.instrumentCount())
                                .arg(d.days())
                                .arg(d.days() ? QString::fromStdString(d.calendar[0].toString()) : QString(),
                                     d.days() ? QString::fromStdString(d.calendar[d.days() - 1].toString()) : QString())
                                .arg(static_cast<double>(d.bytes()) / 1e6, 0, 'f', 0));
    m_datasetPanel->setSession(m_session);
    m_library->setSession(m_session);
    m_backtest->setSession(m_session);
    m_lab->setSession(m_session);
    RecentDatasets::add(spec);
    rebuildRecentMenu();
    std::int64_t datasetId = 0;
    if (m_store) {
        auto id = m_store->upsertDataset(datasetRecordOf(*m_session));
        if (id.ok()) {
            datasetId = id.value();
            m_library->setDatasetId(datasetId);
        } else {
            statusBar()->showMessage(QString::fromStdString(id.error().toString()), 8000);
        }
    }
    m_search->setSession(m_session, datasetId);
    m_datasetId = datasetId;
    m_graph->setSession(m_session);
    m_studies->setSession(m_session);
    restoreGraphFit();
    updateTitle();
    Q_EMIT datasetLoaded();
}

void MainWindow::cancelWork() {
    if (m_loading) {
        m_loadJob->cancel(); // the loader polls it and returns Canceled promptly
        m_datasetLabel->setText(tr("Cancelling the load…"));
    }
    m_lab->cancelEvaluation();
    m_backtest->cancel();
    m_graph->cancelFit();
    m_graph->persistencePage()->cancel();
    m_studies->cancel();
    m_recovery->cancel();
#ifdef ALPHASCOPE_HAVE_TORCH
    if (GcnSignalPage* gcn = m_graph->gcnPage()) gcn->cancel();
#endif
}

void MainWindow::restoreGraphFit() {
    if (!m_store || !m_session || m_datasetId == 0 || m_graph->currentFit()) return;
    auto stored = m_store->latestGraphFit(m_datasetId, *m_session->data);
    if (!stored.ok()) {
        statusBar()->showMessage(tr("The project's market graph fit could not be read: %1")
                                     .arg(QString::fromStdString(stored.error().toString())),
                                 8000);
        return;
    }
    if (!stored.value()) return;
    GraphFitRecord record = std::move(*stored.value());
    m_graph->setFit(std::make_shared<const graph::HierarchyFit>(std::move(record.fit)),
                    QString::fromStdString(record.method));
}

void MainWindow::addGroupings(std::vector<Grouping> groupings) {
    if (!m_session || groupings.empty()) return;
    reopenSession(m_session->spec, std::move(groupings));
}

void MainWindow::setTrainingRange(Date start, Date end) {
    if (!m_session) return;
    reopenSession(withTrainingRange(*m_session, start, end), {});
}

void MainWindow::reopenSession(SessionSpec spec, std::vector<Grouping> groupings) {
    m_loading = true;
    setBusy(tr("Loading"), true);
    auto data = m_session->data;
    m_loadJob->start([data, spec = std::move(spec), groupings = std::move(groupings)](
                         Feedback& feedback) -> Result<std::shared_ptr<const ResearchSession>> {
        std::shared_ptr<const MarketData> d = data;
        if (!groupings.empty()) d = graph::withGroupings(*data, groupings);
        return makeResearchSession(std::move(d), spec, nullptr, &feedback);
    });
}

void MainWindow::setBusy(const QString& what, bool busy) {
    if (busy)
        m_busyTasks.append(what);
    else
        m_busyTasks.removeOne(what);
    const bool any = !m_busyTasks.isEmpty();
    m_taskLabel->setText(any ? m_busyTasks.last() + QStringLiteral("…") : QString());
    if (!m_loading) { // only the load reports a fraction; other work shows a busy bar
        m_progress->setRange(0, 0);
        m_progress->setTextVisible(false);
    }
    for (QWidget* w : std::initializer_list<QWidget*>{m_taskLabel, m_progress, m_cancel}) w->setVisible(any);
}

void MainWindow::updateTitle() {
    const QString project = m_store ? QFileInfo(QString::fromStdString(m_store->path())).fileName() : tr("no project");
    setWindowTitle(tr("AlphaScope — %1").arg(project));
}

void MainWindow::closeEvent(QCloseEvent* event) {
    settings::windowGeometry.setValue(saveGeometry());
    settings::windowState.setValue(saveState());
    event->accept();
}

} // namespace alphascope::ui

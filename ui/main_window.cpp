#include "ui/main_window.h"

#include "core/store/project_store.h"
#include "ui/dialogs/open_dataset_dialog.h"
#include "ui/dialogs/settings_dialog.h"
#include "ui/panels/dataset_panel.h"
#include "ui/panels/factor_library_panel.h"
#include "ui/panels/formula_lab.h"
#include "ui/settings.h"
#include "ui/views/backtest_view.h"
#include "ui/views/factor_plots.h"
#include "ui/views/formula_tree_view.h"
#include "ui/widgets/formula_editor.h"

#ifdef ALPHASCOPE_HAS_TORCH
#include "core/nn/device.h"
#endif

#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QStandardPaths>
#include <QStatusBar>
#include <QToolButton>
#include <QUndoStack>
#include <QtConcurrent/QtConcurrentRun>

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
    : QMainWindow(parent), m_lab(new FormulaLab(this)), m_datasetPanel(new DatasetPanel(this)), m_library(new FactorLibraryPanel(this)),
      m_tree(new FormulaTreeView(this)), m_backtest(new BacktestView(this)), m_datasetLabel(new QLabel(this)), m_deviceLabel(new QLabel(this)),
      m_taskLabel(new QLabel(this)), m_progress(new QProgressBar(this)), m_cancel(new QToolButton(this)) {
    setObjectName(QStringLiteral("MainWindow"));
    setCentralWidget(m_lab);
    m_lab->setDebounceMs(settings::debounceMs.value());
    createDocks();

    QString device = tr("CPU");
#ifdef ALPHASCOPE_HAS_TORCH
    device = detectComputeDevice().cuda ? tr("CUDA") : tr("CPU");
#endif
    m_deviceLabel->setText(tr("Device: %1").arg(device));
    m_progress->setMaximumWidth(140);
    m_progress->setRange(0, 0);
    m_progress->setTextVisible(false);
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop the work in progress (Esc)"));
    m_cancel->setShortcut(QKeySequence(Qt::Key_Escape));
    for (QWidget* w : std::initializer_list<QWidget*>{m_taskLabel, m_progress, m_cancel}) w->setVisible(false);
    statusBar()->addWidget(m_datasetLabel, 1);
    statusBar()->addPermanentWidget(m_taskLabel);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    statusBar()->addPermanentWidget(m_deviceLabel);
    m_datasetLabel->setText(tr("No dataset"));

    createMenus();
    connectPanels();
    connect(&m_loadWatcher, &QFutureWatcher<LoadOutcome>::finished, this, &MainWindow::onLoaded);
    connect(m_cancel, &QToolButton::clicked, this, &MainWindow::cancelWork);

    resize(1440, 900);
    m_defaultState = saveState();
    restoreGeometry(settings::windowGeometry.value());
    restoreState(settings::windowState.value());
    updateTitle();
}

MainWindow::~MainWindow() { m_loadWatcher.waitForFinished(); }

void MainWindow::createDocks() {
    QDockWidget* dataset = makeDock(tr("Dataset"), QStringLiteral("DatasetDock"), m_datasetPanel, this);
    QDockWidget* library = makeDock(tr("Factor library"), QStringLiteral("LibraryDock"), m_library, this);
    QDockWidget* tree = makeDock(tr("Formula tree"), QStringLiteral("TreeDock"), m_tree, this);
    QDockWidget* backtest = makeDock(tr("Backtest"), QStringLiteral("BacktestDock"), m_backtest, this);
    addDockWidget(Qt::LeftDockWidgetArea, dataset);
    // The left column runs the full height; backtest and library share the wide area under the lab
    // and the tree.
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::TopLeftCorner, Qt::LeftDockWidgetArea);
    addDockWidget(Qt::RightDockWidgetArea, tree);
    addDockWidget(Qt::BottomDockWidgetArea, backtest);
    addDockWidget(Qt::BottomDockWidgetArea, library);
    tabifyDockWidget(backtest, library);
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
    file->addAction(tr("Open &project…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), this, &MainWindow::openProjectDialog);
    file->addAction(tr("Save project &as…"), QKeySequence::SaveAs, this, &MainWindow::saveProjectAs);
    file->addSeparator();
    QMenu* exportMenu = file->addMenu(tr("&Export"));
    exportMenu->addAction(tr("Formula tree as &PNG…"), this, [this] { exportTree(false); });
    exportMenu->addAction(tr("Formula tree as &SVG…"), this, [this] { exportTree(true); });
    exportMenu->addAction(tr("Lab &chart (PNG/PDF)…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export chart"), QStringLiteral("chart.png"), tr("PNG image (*.png);;PDF (*.pdf)"));
        if (!path.isEmpty() && !m_lab->plots()->exportCurrent(path)) QMessageBox::warning(this, tr("Export"), tr("Cannot write %1.").arg(path));
    });
    exportMenu->addAction(tr("&Backtest daily series (CSV)…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export backtest"), QStringLiteral("backtest.csv"), tr("CSV (*.csv)"));
        if (!path.isEmpty() && !m_backtest->exportCsv(path)) QMessageBox::warning(this, tr("Export"), tr("Cannot write %1 (run a backtest first).").arg(path));
    });
    exportMenu->addAction(tr("Backtest c&hart (PNG)…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export backtest chart"), QStringLiteral("backtest.png"), tr("PNG image (*.png)"));
        if (!path.isEmpty() && !m_backtest->exportPng(path)) QMessageBox::warning(this, tr("Export"), tr("Cannot write %1.").arg(path));
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
    formula->addAction(tr("&Edit formula"), QKeySequence(Qt::CTRL | Qt::Key_L), this, [this] { m_lab->editor()->setFocus(); });
    formula->addAction(tr("E&valuate now"), QKeySequence(Qt::Key_F5), m_lab, &FormulaLab::evaluateNow);
    formula->addAction(tr("&Save to library…"), QKeySequence::Save, this, &MainWindow::promptSaveFactor);
    formula->addAction(tr("Run &backtest"), QKeySequence(Qt::CTRL | Qt::Key_B), m_backtest, &BacktestView::run);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* d : findChildren<QDockWidget*>()) view->addAction(d->toggleViewAction());
    view->addSeparator();
    view->addAction(tr("&Reset layout"), this, [this] { restoreState(m_defaultState); });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Formula language"), this, [this] {
        QMessageBox::information(this, tr("Formula language"),
                                 tr("<p>Fields start with $: $open $high $low $close $volume $vwap.</p>"
                                    "<p>Operators take series first and a window (days) last: <tt>Mean($close, 20)</tt>, "
                                    "<tt>Corr($close, $volume, 10)</tt>, <tt>GroupRank($close, sector)</tt>. "
                                    "+ − × ÷ may be written infix.</p><p>In the editor, Ctrl+Space lists every operator with its signature; "
                                    "Enter evaluates at once.</p>"));
    });
    help->addAction(tr("&About AlphaScope"), this, [this] {
        QMessageBox::about(this, tr("About AlphaScope"),
                           tr("<b>AlphaScope %1</b><p>A research workbench for formulaic alpha factors.</p>").arg(QStringLiteral(ALPHASCOPE_UI_VERSION)));
    });
}

void MainWindow::connectPanels() {
    connect(m_lab, &FormulaLab::busyChanged, this, [this](bool busy) { setBusy(tr("Evaluating"), busy); });
    connect(m_backtest, &BacktestView::busyChanged, this, [this](bool busy) { setBusy(tr("Backtesting"), busy); });
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

QString MainWindow::defaultProjectPath() {
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return QDir(dir).filePath(QStringLiteral("default.alphascope"));
}

bool MainWindow::openProject(const QString& path, bool quiet) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    auto store = ProjectStore::open(path.toStdString());
    if (!store.ok()) {
        if (!quiet) QMessageBox::warning(this, tr("Cannot open the project"), QString::fromStdString(store.error().toString()));
        return false;
    }
    m_store = std::shared_ptr<ProjectStore>(std::move(store.value()));
    m_library->setStore(m_store);
    settings::lastProject.setValue(QFileInfo(path).absoluteFilePath());
    updateTitle();
    return true;
}

void MainWindow::newProject() {
    const QString path = QFileDialog::getSaveFileName(this, tr("New project"), QFileInfo(defaultProjectPath()).absolutePath(),
                                                      tr("AlphaScope projects (*.alphascope)"));
    if (path.isEmpty()) return;
    QString file = path.endsWith(QStringLiteral(".alphascope")) ? path : path + QStringLiteral(".alphascope");
    if (QFileInfo::exists(file) && !QFile::remove(file)) {
        QMessageBox::warning(this, tr("New project"), tr("Cannot replace %1.").arg(file));
        return;
    }
    openProject(file);
}

void MainWindow::openProjectDialog() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open project"), QFileInfo(defaultProjectPath()).absolutePath(),
                                                      tr("AlphaScope projects (*.alphascope);;All files (*)"));
    if (!path.isEmpty()) openProject(path);
}

void MainWindow::saveProjectAs() {
    if (!m_store) return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Save project as"), QFileInfo(defaultProjectPath()).absolutePath(),
                                                      tr("AlphaScope projects (*.alphascope)"));
    if (path.isEmpty()) return;
    const QString file = path.endsWith(QStringLiteral(".alphascope")) ? path : path + QStringLiteral(".alphascope");
    if (auto r = m_store->saveAs(file.toStdString()); !r.ok()) {
        QMessageBox::warning(this, tr("Save project as"), QString::fromStdString(r.error().toString()));
        return;
    }
    openProject(file);
}

void MainWindow::promptSaveFactor() {
    const FactorReport* report = m_lab->report();
    if (!report) {
        statusBar()->showMessage(tr("Nothing to save: evaluate a formula first."), 4000);
        return;
    }
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Save to library"), tr("Name:"), QLineEdit::Normal,
                                               QString::fromStdString(report->formula), &ok);
    if (ok) saveCurrentFactor(name.trimmed().isEmpty() ? QString::fromStdString(report->formula) : name.trimmed());
}

bool MainWindow::saveCurrentFactor(const QString& name) {
    const FactorReport* report = m_lab->report();
    if (!report || !m_store) return false;
    auto id = m_library->saveFactor(name, *report);
    if (!id.ok()) {
        QMessageBox::warning(this, tr("Save to library"), QString::fromStdString(id.error().toString()));
        return false;
    }
    statusBar()->showMessage(tr("Saved “%1” to the library.").arg(name), 4000);
    return true;
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
    if (dialog.restartNeeded()) QMessageBox::information(this, tr("Settings"), tr("The new language takes effect when AlphaScope is started again."));
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
    const QString path = QFileDialog::getSaveFileName(this, tr("Export formula tree"), svg ? QStringLiteral("formula.svg") : QStringLiteral("formula.png"),
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
    if (m_loading) cancelWork(); // the newer request wins
    m_loading = true;
    const int generation = ++m_loadGeneration;
    setBusy(tr("Loading"), true);
    m_datasetLabel->setText(tr("Loading %1…").arg(QString::fromStdString(spec.dataset.path)));
    // A load that was abandoned (cancelled) may still be running; the watcher follows the newest one.
    m_loadWatcher.setFuture(QtConcurrent::run([spec, generation] {
        LoadOutcome out;
        out.generation = generation;
        out.spec = spec;
        auto r = openResearchSession(spec);
        if (r.ok()) out.session = r.value();
        else out.error = r.error();
        return out;
    }));
}

void MainWindow::onLoaded() {
    const LoadOutcome out = m_loadWatcher.result();
    if (out.generation != m_loadGeneration || !m_loading) return; // cancelled or superseded
    m_loading = false;
    setBusy(tr("Loading"), false);
    if (!out.session) {
        const QString msg = QString::fromStdString(out.error.toString());
        updateTitle();
        m_datasetLabel->setText(m_session ? tr("%1 (the new dataset did not load)").arg(QString::fromStdString(m_session->data->source)) : tr("No dataset"));
        QMessageBox::warning(this, tr("Cannot open the dataset"), msg);
        Q_EMIT loadFailed(msg);
        return;
    }
    m_session = out.session;
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
    RecentDatasets::add(out.spec);
    rebuildRecentMenu();
    if (m_store) {
        DatasetRecord rec;
        rec.name = QFileInfo(QString::fromStdString(out.spec.dataset.path)).fileName().toStdString();
        rec.path = out.spec.dataset.path;
        rec.sectorsPath = out.spec.dataset.groupsPath;
        rec.universe = out.spec.dataset.universe;
        rec.target = out.spec.target;
        rec.splits = RecentDatasets::toJson(out.spec).toStdString();
        rec.instruments = d.instrumentCount();
        rec.days = d.days();
        if (d.days()) {
            rec.firstDate = d.calendar[0].toString();
            rec.lastDate = d.calendar[d.days() - 1].toString();
        }
        rec.lastOpened = QDateTime::currentSecsSinceEpoch();
        auto id = m_store->upsertDataset(rec);
        if (id.ok()) m_library->setDatasetId(id.value());
        else statusBar()->showMessage(QString::fromStdString(id.error().toString()), 8000);
    }
    updateTitle();
    Q_EMIT datasetLoaded();
}

void MainWindow::cancelWork() {
    if (m_loading) {
        // The loader cannot be interrupted mid-file; its result is discarded when it arrives.
        m_loading = false;
        ++m_loadGeneration;
        setBusy(tr("Loading"), false);
        m_datasetLabel->setText(m_session ? QFileInfo(QString::fromStdString(m_session->data->source)).fileName() : tr("No dataset"));
        statusBar()->showMessage(tr("Loading cancelled."), 4000);
    }
    m_lab->cancelEvaluation();
}

void MainWindow::setBusy(const QString& what, bool busy) {
    if (busy) m_busyTasks.append(what);
    else m_busyTasks.removeOne(what);
    const bool any = !m_busyTasks.isEmpty();
    m_taskLabel->setText(any ? m_busyTasks.last() + QStringLiteral("…") : QString());
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

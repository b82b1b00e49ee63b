#include "ui/main_window.h"

#include "ui/panels/dataset_panel.h"
#include "ui/panels/formula_lab.h"

#ifdef ALPHASCOPE_HAS_TORCH
#include "core/nn/device.h"
#endif

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QSettings>
#include <QStatusBar>
#include <QtConcurrent/QtConcurrentRun>

namespace alphascope::ui {

namespace {
const char* const kGeometryKey = "mainWindow/geometry";
const char* const kStateKey = "mainWindow/state";
} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_lab(new FormulaLab(this)), m_datasetPanel(new DatasetPanel(this)),
      m_datasetLabel(new QLabel(this)), m_deviceLabel(new QLabel(this)), m_progress(new QProgressBar(this)) {
    setWindowTitle(tr("AlphaScope"));
    setObjectName(QStringLiteral("MainWindow"));
    setCentralWidget(m_lab);

    auto* dock = new QDockWidget(tr("Dataset"), this);
    dock->setObjectName(QStringLiteral("DatasetDock"));
    dock->setWidget(m_datasetPanel);
    addDockWidget(Qt::LeftDockWidgetArea, dock);
    resizeDocks({dock}, {380}, Qt::Horizontal); // wide enough for keys and values; a saved state wins

    QString device = tr("CPU");
#ifdef ALPHASCOPE_HAS_TORCH
    device = detectComputeDevice().cuda ? tr("CUDA") : tr("CPU");
#endif
    m_deviceLabel->setText(tr("Device: %1").arg(device));
    m_progress->setMaximumWidth(160);
    m_progress->setRange(0, 0);
    m_progress->setVisible(false);
    statusBar()->addWidget(m_datasetLabel, 1);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_deviceLabel);
    m_datasetLabel->setText(tr("No dataset"));

    createMenus();
    connect(m_lab, &FormulaLab::busyChanged, this, [this](bool busy) { setBusy(tr("Evaluating"), busy); });
    connect(&m_loadWatcher, &QFutureWatcher<LoadOutcome>::finished, this, &MainWindow::onLoaded);

    QSettings settings;
    restoreGeometry(settings.value(kGeometryKey).toByteArray());
    restoreState(settings.value(kStateKey).toByteArray());
    if (!settings.contains(kGeometryKey)) resize(1200, 760);
}

MainWindow::~MainWindow() { m_loadWatcher.waitForFinished(); }

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* openCsv = file->addAction(tr("Open &CSV dataset…"), this, &MainWindow::openCsvDialog);
    openCsv->setShortcut(QKeySequence::Open);
    file->addAction(tr("Open &Qlib folder…"), this, &MainWindow::openQlibDialog);
    file->addAction(tr("Open the &sample dataset"), this, [this] { openDataset(bundledSampleSpec()); });
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* d : findChildren<QDockWidget*>()) view->addAction(d->toggleViewAction());

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About AlphaScope"), this, [this] {
        QMessageBox::about(this, tr("About AlphaScope"),
                           tr("<b>AlphaScope %1</b><p>A research workbench for formulaic alpha factors.</p>").arg(QStringLiteral(ALPHASCOPE_UI_VERSION)));
    });
}

void MainWindow::openCsvDialog() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open a long CSV dataset"), QString(), tr("CSV files (*.csv *.csv.xz *.xz);;All files (*)"));
    if (path.isEmpty()) return;
    const QString sectors = QFileDialog::getOpenFileName(this, tr("Optional: a sector/industry CSV (cancel for none)"), QFileInfo(path).absolutePath(), tr("CSV files (*.csv);;All files (*)"));
    DatasetSpec spec;
    spec.path = path.toStdString();
    spec.groupsPath = sectors.toStdString();
    openDataset(spec);
}

void MainWindow::openQlibDialog() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a Qlib binary folder"));
    if (dir.isEmpty()) return;
    bool ok = false;
    const QString universe = QInputDialog::getText(this, tr("Universe"), tr("Universe (instruments/<name>.txt):"), QLineEdit::Normal, QStringLiteral("all"), &ok);
    if (!ok) return;
    DatasetSpec spec;
    spec.path = dir.toStdString();
    spec.universe = universe.toStdString();
    openDataset(spec);
}

void MainWindow::openDataset(const DatasetSpec& spec) {
    if (m_loadWatcher.isRunning()) return;
    setBusy(tr("Loading"), true);
    m_datasetLabel->setText(tr("Loading %1…").arg(QString::fromStdString(spec.path)));
    m_loadWatcher.setFuture(QtConcurrent::run([spec] {
        LoadOutcome out;
        SessionSpec sessionSpec;
        sessionSpec.dataset = spec;
        auto r = openResearchSession(sessionSpec);
        if (r.ok()) out.session = r.value();
        else out.error = r.error();
        return out;
    }));
}

void MainWindow::onLoaded() {
    setBusy(tr("Loading"), false);
    const LoadOutcome out = m_loadWatcher.result();
    if (!out.session) {
        const QString msg = QString::fromStdString(out.error.toString());
        m_datasetLabel->setText(m_session ? m_datasetLabel->text() : tr("No dataset"));
        QMessageBox::warning(this, tr("Cannot open the dataset"), msg);
        Q_EMIT loadFailed(msg);
        return;
    }
    m_session = out.session;
    const MarketData& d = *m_session->data;
    m_datasetLabel->setText(tr("%1 — %2 instruments × %3 days").arg(QString::fromStdString(d.source)).arg(d.instrumentCount()).arg(d.days()));
    m_datasetPanel->setSession(m_session);
    m_lab->setSession(m_session);
    Q_EMIT datasetLoaded();
}

void MainWindow::setBusy(const QString& what, bool busy) {
    m_busyCount = std::max(0, m_busyCount + (busy ? 1 : -1));
    m_progress->setVisible(m_busyCount > 0);
    m_progress->setFormat(what);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kStateKey, saveState());
    event->accept();
}

} // namespace alphascope::ui

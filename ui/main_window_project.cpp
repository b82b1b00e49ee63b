// MainWindow's project and library actions: opening, creating and saving project files, saving
// factors to the library and exporting them (the rest of the window is in main_window.cpp).
#include "ui/main_window.h"

#include "core/expr/parser.h"
#include "core/io/factor_set.h"
#include "core/store/dataset_record_of.h"
#include "core/store/factor_record_of.h"
#include "core/store/project_store.h"
#include "ui/models/pool_model.h"
#include "ui/panels/factor_library_panel.h"
#include "ui/panels/formula_lab.h"
#include "ui/panels/runs_panel.h"
#include "ui/panels/search_panel.h"
#include "ui/panels/study_panel.h"
#include "ui/settings.h"
#include "ui/util/latest_job.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMessageBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <map>

namespace alphascope::ui {

namespace {
/// Parses and measures formulas on every split (worker thread): what saving or exporting a
/// search's members needs. The first formula that fails stops it with its error.
Result<std::vector<FactorReport>> analyzeFormulas(const ResearchSession& session,
                                                  const std::vector<std::string>& formulas, Feedback& feedback) {
    AnalysisOptions light; // metrics per split only: no decay curve, no histogram
    light.decayHorizons = 0;
    light.histogramBins = 0;
    std::vector<FactorReport> out;
    for (std::size_t k = 0; k < formulas.size(); ++k) {
        feedback.setProgress(double(k) / double(formulas.size()), formulas[k]);
        auto parsed = parseFormula(formulas[k], parseOptionsFor(*session.data, false));
        if (!parsed.ok()) return parsed.error();
        auto report = analyzeFactor(*session.evaluator, parsed.value(), session.targetValues, session.splits, light,
                                    &feedback.cancelFlag);
        if (!report.ok()) return report.error();
        out.push_back(std::move(report.value()));
    }
    return out;
}
} // namespace

void MainWindow::saveFormulasToLibrary(const QStringList& formulas, qint64 runId) {
    if (!m_session || !m_store || formulas.isEmpty()) {
        Q_EMIT librarySaveFinished(0, tr("Open a dataset and a project first."));
        return;
    }
    std::vector<std::string> list;
    for (const QString& f : formulas) list.push_back(f.toStdString());
    auto session = m_session;
    m_saveJob->onDone = [this, runId](Result<std::vector<FactorReport>> reports) {
        if (!reports.ok()) {
            const QString error = QString::fromStdString(reports.error().toString());
            statusBar()->showMessage(tr("Not saved: %1").arg(error), 8000);
            Q_EMIT librarySaveFinished(0, error);
            return;
        }
        int saved = 0;
        QString error;
        for (const FactorReport& r : reports.value()) {
            auto id = m_library->saveFactor(QString::fromStdString(r.formula), r, runId);
            if (id.ok())
                ++saved;
            else if (error.isEmpty())
                error = QString::fromStdString(id.error().toString());
        }
        statusBar()->showMessage(tr("Saved %n factor(s) to the library.", nullptr, saved), 5000);
        Q_EMIT librarySaveFinished(saved, error);
    };
    m_saveJob->onBusyChanged = [this](bool busy) { setBusy(tr("Saving to the library"), busy); };
    m_saveJob->start([session, list](Feedback& feedback) { return analyzeFormulas(*session, list, feedback); });
}

void MainWindow::exportFormulas(const QStringList& formulas, qint64 runId) {
    if (!m_session || formulas.isEmpty()) return;
    // One filter per format, in FactorSetFormat's order; the chosen one is found by its text.
    const QStringList filters = {tr("AlphaScope factor set (*.json)"),  tr("AlphaGen pool (*.json)"),
                                 tr("CSV with metrics (*.csv)"),        tr("Qlib expressions (*.txt)"),
                                 tr("Factor values, long CSV (*.csv)"), tr("WorldQuant expressions (*.txt)")};
    const FactorSetFormat formats[] = {FactorSetFormat::Native, FactorSetFormat::AlphaGen, FactorSetFormat::Csv,
                                       FactorSetFormat::Qlib,   FactorSetFormat::Values,   FactorSetFormat::WorldQuant};
    QString filter;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export factors"), QStringLiteral("factors.json"),
                                                      filters.join(QStringLiteral(";;")), &filter);
    if (path.isEmpty()) return;
    const qsizetype chosen = std::max<qsizetype>(0, filters.indexOf(filter));
    const FactorSetFormat format = formats[chosen];
    // Weights are the pool's (when the formulas come from it).
    std::map<std::string, double> weights;
    for (const SnapshotMember& m : m_search->poolModel()->members()) weights[m.formula] = m.weight;
    std::vector<std::string> list;
    for (const QString& f : formulas) list.push_back(f.toStdString());
    auto session = m_session;
    const std::string file = path.toStdString();
    m_exportJob->onDone = [this, path](Result<int> written) {
        if (written.ok())
            statusBar()->showMessage(tr("Exported %n factor(s) to %1.", nullptr, written.value()).arg(path), 6000);
        else
            QMessageBox::warning(this, tr("Export"), QString::fromStdString(written.error().toString()));
    };
    m_exportJob->onBusyChanged = [this](bool busy) { setBusy(tr("Exporting"), busy); };
    m_exportJob->start([session, list, weights, format, file, runId](Feedback& feedback) -> Result<int> {
        FactorSet set;
        set.dataset = datasetOf(*session);
        set.originRunId = runId;
        auto reports = analyzeFormulas(*session, list, feedback);
        if (!reports.ok()) return reports.error();
        for (std::size_t k = 0; k < list.size(); ++k) {
            FactorSetMember m;
            m.factor = factorRecordOf(list[k], reports.value()[k], 0);
            if (auto it = weights.find(list[k]); it != weights.end()) m.weight = it->second;
            set.members.push_back(std::move(m));
        }
        auto r = exportFactorSet(set, format, file, session.get(), feedback);
        if (!r.ok()) return r.error();
        return r->written;
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
        if (!quiet)
            QMessageBox::warning(this, tr("Cannot open the project"), QString::fromStdString(store.error().toString()));
        return false;
    }
    m_store = std::shared_ptr<ProjectStore>(std::move(store.value()));
    m_library->setStore(m_store);
    m_search->setProjectPath(QFileInfo(path).absoluteFilePath());
    m_runs->setProjectPath(QFileInfo(path).absoluteFilePath());
    m_studies->setFolderBase(
        QFileInfo(path).absoluteDir().filePath(QFileInfo(path).completeBaseName() + QStringLiteral("-studies")));
    refreshLibraryFormulas();
    if (m_session) { // the open dataset gets its row in this project, and its stored graph fit
        auto id = m_store->upsertDataset(datasetRecordOf(*m_session));
        m_datasetId = id.ok() ? id.value() : 0;
        m_library->setDatasetId(m_datasetId);
        restoreGraphFit();
    }
    settings::lastProject.setValue(QFileInfo(path).absoluteFilePath());
    updateTitle();
    return true;
}

void MainWindow::newProject() {
    const QString path =
        QFileDialog::getSaveFileName(this, tr("New project"), QFileInfo(defaultProjectPath()).absolutePath(),
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
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open project"), QFileInfo(defaultProjectPath()).absolutePath(),
                                     tr("AlphaScope projects (*.alphascope);;All files (*)"));
    if (!path.isEmpty()) openProject(path);
}

void MainWindow::saveProjectAs() {
    if (!m_store) return;
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Save project as"), QFileInfo(defaultProjectPath()).absolutePath(),
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

} // namespace alphascope::ui

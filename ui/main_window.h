#pragma once
// MainWindow: composition only — the formula lab in the centre; dataset, factor library, formula
// tree and backtest as dockable panels; menus, shortcuts, the project and the status bar.

#include "core/eval/research_session.h"
#include "core/metrics/factor_report.h"
#include "ui/util/latest_job.h"

#include <QMainWindow>

#include <memory>

class QLabel;
class QMenu;
class QProgressBar;
class QToolButton;

namespace alphascope {
class ProjectStore;
}

namespace alphascope::ui {

class BacktestView;
class DatasetPanel;
class FactorLibraryPanel;
class FormulaLab;
class FormulaTreeView;
class MarketGraphPanel;
class StudyPanel;
class RecoveryPage;
class RunsPanel;
class SearchPanel;

/// The AlphaScope main window.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Loads a dataset off the GUI thread; datasetLoaded() or loadFailed() follows.
    void openDataset(const SessionSpec& spec);
    void openDataset(const DatasetSpec& spec);
    /// Adds `groupings` (or replaces those of the same name) to the open dataset: a new session of
    /// the same data is made off the GUI thread and datasetLoaded() follows, as for a load.
    void addGroupings(std::vector<Grouping> groupings);
    /// Moves the open session's training split to `start`..`end` (valid and test as they are): a new
    /// session of the same data is made off the GUI thread and datasetLoaded() follows, as for a load.
    void setTrainingRange(Date start, Date end);
    /// Opens (creating when needed) a project file; false (with a message box unless `quiet`) on error.
    bool openProject(const QString& path, bool quiet = false);
    /// The project file in the user's data directory used when no other was opened.
    static QString defaultProjectPath();

    std::shared_ptr<const ResearchSession> session() const { return m_session; }
    std::shared_ptr<ProjectStore> project() const { return m_store; }
    FormulaLab* formulaLab() const { return m_lab; }
    DatasetPanel* datasetPanel() const { return m_datasetPanel; }
    FactorLibraryPanel* libraryPanel() const { return m_library; }
    FormulaTreeView* treeView() const { return m_tree; }
    BacktestView* backtestView() const { return m_backtest; }
    SearchPanel* searchPanel() const { return m_search; }
    RunsPanel* runsPanel() const { return m_runs; }
    MarketGraphPanel* graphPanel() const { return m_graph; }
    StudyPanel* studyPanel() const { return m_studies; }
    RecoveryPage* recoveryPage() const { return m_recovery; }
    /// Evaluates the formulas off the GUI thread and saves them to the library with `runId` as their
    /// origin; librarySaveFinished() follows.
    void saveFormulasToLibrary(const QStringList& formulas, qint64 runId);
    /// Saves the lab's evaluated formula under `name` in the library; false when there is none.
    bool saveCurrentFactor(const QString& name);

Q_SIGNALS:
    void datasetLoaded();
    void loadFailed(const QString& message);
    /// saveFormulasToLibrary() ended: how many were saved, and the error when not all.
    void librarySaveFinished(int saved, const QString& error);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    /// A new session of the open data (with `groupings` added) under `spec`, made off the GUI thread.
    void reopenSession(SessionSpec spec, std::vector<Grouping> groupings);
    void createDocks();
    void createMenus();
    void connectPanels();
    void showOpenDialog();
    void showSettings();
    void newProject();
    void openProjectDialog();
    void saveProjectAs();
    void promptSaveFactor();
    void rebuildRecentMenu();
    void exportTree(bool svg);
    void setBusy(const QString& what, bool busy);
    void cancelWork();
    void onLoaded(Result<std::shared_ptr<const ResearchSession>> loaded);
    void updateTitle();
    void connectSearch();
    void exportFormulas(const QStringList& formulas, qint64 runId);
    void refreshLibraryFormulas();
    /// Shows the project's latest market graph fit of the open dataset, when there is one.
    void restoreGraphFit();

    FormulaLab* m_lab;
    DatasetPanel* m_datasetPanel;
    FactorLibraryPanel* m_library;
    FormulaTreeView* m_tree;
    BacktestView* m_backtest;
    SearchPanel* m_search;
    RunsPanel* m_runs;
    MarketGraphPanel* m_graph;
    StudyPanel* m_studies;
    RecoveryPage* m_recovery;
    QProgressBar* m_searchProgress;
    std::unique_ptr<LatestJob<std::vector<FactorReport>>> m_saveJob;
    std::unique_ptr<LatestJob<int>> m_exportJob;
    QLabel* m_datasetLabel;
    QLabel* m_deviceLabel;
    QLabel* m_taskLabel;
    QProgressBar* m_progress;
    QToolButton* m_cancel;
    QMenu* m_recentMenu = nullptr;
    std::unique_ptr<LatestJob<std::shared_ptr<const ResearchSession>>> m_loadJob;
    std::shared_ptr<const ResearchSession> m_session;
    std::shared_ptr<ProjectStore> m_store;
    QByteArray m_defaultState;
    QStringList m_busyTasks;
    bool m_loading = false;
    std::int64_t m_datasetId = 0; ///< the open dataset's row in the project (0 = none)
};

} // namespace alphascope::ui

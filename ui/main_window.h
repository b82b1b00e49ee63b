#pragma once
// MainWindow: composition only — the formula lab in the centre; dataset, factor library, formula
// tree and backtest as dockable panels; menus, shortcuts, the project and the status bar.

#include "core/eval/research_session.h"

#include <QFutureWatcher>
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

/// The outcome of loading a dataset in the background.
struct LoadOutcome {
    int generation = 0;
    SessionSpec spec;
    std::shared_ptr<const ResearchSession> session;
    Error error;
};

/// The AlphaScope main window.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Loads a dataset off the GUI thread; datasetLoaded() or loadFailed() follows.
    void openDataset(const SessionSpec& spec);
    void openDataset(const DatasetSpec& spec);
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
    /// Saves the lab's evaluated formula under `name` in the library; false when there is none.
    bool saveCurrentFactor(const QString& name);

Q_SIGNALS:
    void datasetLoaded();
    void loadFailed(const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
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
    void onLoaded();
    void updateTitle();

    FormulaLab* m_lab;
    DatasetPanel* m_datasetPanel;
    FactorLibraryPanel* m_library;
    FormulaTreeView* m_tree;
    BacktestView* m_backtest;
    QLabel* m_datasetLabel;
    QLabel* m_deviceLabel;
    QLabel* m_taskLabel;
    QProgressBar* m_progress;
    QToolButton* m_cancel;
    QMenu* m_recentMenu = nullptr;
    QFutureWatcher<LoadOutcome> m_loadWatcher;
    std::shared_ptr<const ResearchSession> m_session;
    std::shared_ptr<ProjectStore> m_store;
    QByteArray m_defaultState;
    QStringList m_busyTasks;
    int m_loadGeneration = 0;
    bool m_loading = false;
};

} // namespace alphascope::ui

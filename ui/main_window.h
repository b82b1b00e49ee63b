#pragma once
// MainWindow: composition only — the dataset dock, the formula lab, menus and the status bar.

#include "core/data/dataset.h"
#include "core/eval/research_session.h"

#include <QFutureWatcher>
#include <QMainWindow>

#include <memory>

class QLabel;
class QProgressBar;

namespace alphascope::ui {

class DatasetPanel;
class FormulaLab;

/// The outcome of loading a dataset in the background.
struct LoadOutcome {
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
    void openDataset(const DatasetSpec& spec);
    std::shared_ptr<const ResearchSession> session() const { return m_session; }
    FormulaLab* formulaLab() const { return m_lab; }
    DatasetPanel* datasetPanel() const { return m_datasetPanel; }

Q_SIGNALS:
    void datasetLoaded();
    void loadFailed(const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createMenus();
    void openCsvDialog();
    void openQlibDialog();
    void setBusy(const QString& what, bool busy);
    void onLoaded();

    FormulaLab* m_lab;
    DatasetPanel* m_datasetPanel;
    QLabel* m_datasetLabel;
    QLabel* m_deviceLabel;
    QProgressBar* m_progress;
    QFutureWatcher<LoadOutcome> m_loadWatcher;
    std::shared_ptr<const ResearchSession> m_session;
    int m_busyCount = 0;
};

} // namespace alphascope::ui

#pragma once
// SearchPanel: configure an automated search, run it on the worker thread, watch its curves and
// its pool grow, and act on what it found (open a member in the lab, save members to the library,
// compare / combine them, export them). Also shows a stored run (reopened from the runs browser).

#include "core/search/search.h"
#include "ui/views/monitor_point.h"
#include "ui/workers/search_worker.h"

#include <QElapsedTimer>
#include <QWidget>

#include <array>
#include <memory>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;
class QSortFilterProxyModel;

namespace alphascope {
class ProjectStore;
}

namespace alphascope::ui {

class PoolModel;
class SearchForm;
class SearchMonitor;

/// The search panel.
class SearchPanel : public QWidget {
    Q_OBJECT
public:
    explicit SearchPanel(QWidget* parent = nullptr);
    ~SearchPanel() override;

    void setSession(std::shared_ptr<const ResearchSession> session, std::int64_t datasetId);
    /// The project runs are recorded in (its path; empty = not recorded).
    void setProjectPath(const QString& path) { m_projectPath = path; }
    /// Library formulas each member is compared with (BRAIN's self-correlation).
    void setLibraryFormulas(std::vector<std::string> formulas) { m_libraryFormulas = std::move(formulas); }
    /// Shows a stored run: its config in the form, its curves and its last pool.
    /// `resultJson` is the run's pool file (empty while unfinished): the pools chosen on valid come from it.
    void showStoredRun(qint64 runId, const QString& label, const SearchConfig& config,
                       const std::vector<MonitorPoint>& curve, std::vector<SnapshotMember> pool,
                       const QByteArray& resultJson = {});

    SearchForm* form() const { return m_form; }
    SearchController* controller() const { return m_controller; }
    SearchMonitor* monitor() const { return m_monitor; }
    PoolModel* poolModel() const { return m_pool; }
    QTableView* poolView() const { return m_table; }
    QPushButton* startButton() const { return m_start; }
    QPushButton* pauseButton() const { return m_pause; }
    QPushButton* stopButton() const { return m_stop; }
    QLabel* statusLabel() const { return m_status; }
    /// Which of a finished run's pools the table shows (PoolChoice's order: combined, selected on
    /// valid, L1 chosen on valid, early stopping on valid); a pool the run lacks is disabled.
    QComboBox* poolChoiceBox() const { return m_poolChoice; }
    /// The shown pool's size and combined figures per split.
    QLabel* poolSummaryLabel() const { return m_poolSummary; }
    /// The run whose pool is shown (live or stored; 0 = none or not recorded).
    qint64 shownRunId() const { return m_shownRunId; }
    /// Formulas of the selected pool rows.
    QStringList selectedFormulas() const;

public Q_SLOTS:
    /// Starts a search with the form's config; false (with a message) when refused.
    bool start();
    void togglePause();
    void stop();

Q_SIGNALS:
    void openFormulaRequested(const QString& formula);
    void saveToLibraryRequested(const QStringList& formulas, qint64 runId);
    void compareRequested(const QStringList& formulas);
    void combineRequested(const QStringList& formulas);
    void exportRequested(const QStringList& formulas, qint64 runId);
    /// A run started / ended (the runs browser reloads).
    void runStarted(qint64 runId);
    void runEnded(qint64 runId, bool ok);
    /// Fraction (0..1) and estimated seconds left (negative: unknown) of the running search, for the
    /// status bar; busy false when it ended.
    void progressChanged(bool busy, double fraction, double secondsLeft, const QString& text);

private:
    void onProgress(const SearchProgress& p);
    void onSnapshot(const PoolSnapshot& s);
    void onFinished(const SearchResult& r, qint64 runId);
    void onFailed(const QString& message, qint64 runId);
    void updateButtons();
    void updateActions();
    /// The pools of a finished run (each pool's formulas and weights and its combined figures per
    /// split); the final snapshot's members give the table's per-member columns.
    void setPoolChoices(std::array<std::vector<WeightedFormula>, 4> pools,
                        std::array<std::vector<SplitMetrics>, 4> metrics, std::vector<SnapshotMember> finalMembers);
    /// Only the live pool: the choice is the combined pool and the box is disabled.
    void clearPoolChoices();
    /// Shows the chosen pool in the table and its figures under it.
    void showPoolChoice(int choice);

    std::shared_ptr<const ResearchSession> m_session;
    std::int64_t m_datasetId = 0;
    QString m_projectPath;
    std::vector<std::string> m_libraryFormulas;
    SearchForm* m_form;
    SearchController* m_controller;
    SearchMonitor* m_monitor;
    QComboBox* m_xAxis;
    QComboBox* m_poolChoice;
    QLabel* m_poolSummary;
    std::array<std::vector<WeightedFormula>, 4> m_choicePools;
    std::array<std::vector<SplitMetrics>, 4> m_choiceMetrics;
    std::vector<SnapshotMember> m_finalMembers;
    PoolModel* m_pool;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_table;
    QPushButton* m_start;
    QPushButton* m_pause;
    QPushButton* m_stop;
    QPushButton* m_open;
    QPushButton* m_save;
    QPushButton* m_compare;
    QPushButton* m_combine;
    QPushButton* m_export;
    QLabel* m_status;
    QProgressBar* m_progress;
    int m_liveSeries = -1;
    qint64 m_shownRunId = 0;
};

} // namespace alphascope::ui

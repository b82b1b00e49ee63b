#pragma once
// RunsPanel: every search run of the project (status, algorithm, dataset, budget, best valid IC,
// duration); reopen one in the search panel, compare two or more (curves overlaid, a table of
// valid/test metrics, pools side by side with shared formulas in bold), delete one. Reads through
// its own RunStore connection on the GUI thread (short queries); the search worker writes through
// another.

#include "core/search/search.h"
#include "core/store/run_store.h"
#include "ui/views/monitor_point.h"

#include <QWidget>

#include <memory>

class QLabel;
class QPushButton;
class QSplitter;
class QSortFilterProxyModel;
class QTableView;
class QTableWidget;

namespace alphascope::ui {

class PoolModel;
class RunListModel;
class SearchMonitor;

/// The runs browser.
class RunsPanel : public QWidget {
    Q_OBJECT
public:
    explicit RunsPanel(QWidget* parent = nullptr);
    ~RunsPanel() override;

    /// The project file (empty: none). Marks the runs of dead processes interrupted and reloads.
    void setProjectPath(const QString& path);
    /// Re-reads the runs.
    void reload();
    /// Selects the runs with these ids (tests, and "compare with the run just finished").
    void selectRuns(const QList<qint64>& ids);
    /// Compares the selected runs (at least two).
    void compareSelected();
    /// Emits runOpened() for the current run.
    void reopenSelected();
    /// Deletes the selected runs (asks unless `confirm` is false).
    void deleteSelected(bool confirm = true);

    RunListModel* model() const { return m_model; }
    QTableView* tableView() const { return m_table; }
    SearchMonitor* comparisonMonitor() const { return m_monitor; }
    QTableWidget* comparisonTable() const { return m_metrics; }
    const std::vector<PoolModel*>& comparisonPools() const { return m_poolModels; }
    QLabel* messageLabel() const { return m_message; }

    /// The curve of a stored run (its snapshots).
    static std::vector<MonitorPoint> curveOf(const std::vector<RunSnapshotRecord>& snapshots);

Q_SIGNALS:
    void runOpened(qint64 runId, const QString& label, const alphascope::SearchConfig& config,
                   const std::vector<alphascope::ui::MonitorPoint>& curve,
                   const std::vector<alphascope::SnapshotMember>& pool, const QByteArray& resultJson);

private:
    std::vector<qint64> selectedIds() const;
    QString labelOf(const RunRecord& r) const;
    void updateActions();
    void showMessage(const QString& text, bool error = false);

    std::unique_ptr<RunStore> m_store;
    RunListModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_table;
    QPushButton* m_reopen;
    QPushButton* m_compare;
    QPushButton* m_delete;
    QPushButton* m_refresh;
    QLabel* m_message;
    SearchMonitor* m_monitor;
    QTableWidget* m_metrics;
    QSplitter* m_pools;
    std::vector<PoolModel*> m_poolModels;
};

} // namespace alphascope::ui

Q_DECLARE_METATYPE(std::vector<alphascope::SnapshotMember>)
Q_DECLARE_METATYPE(alphascope::SearchConfig)

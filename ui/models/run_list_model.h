#pragma once
// RunListModel: the project's search runs (newest first): status, algorithm, dataset, budget, best
// valid IC, evaluations, duration, start time.

#include "core/store/run_store.h"

#include <QAbstractTableModel>

#include <vector>

namespace alphascope::ui {

/// Rows = runs. DisplayRole: text; Qt::UserRole: the raw value (sorting).
class RunListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Id,
        Status,
        Algorithm,
        Dataset,
        Budget,
        Evaluations,
        BestValidIc,
        PoolSize,
        Duration,
        Started,
        ColumnCount
    };

    explicit RunListModel(QObject* parent = nullptr);

    void setRuns(std::vector<RunRecord> runs);
    const std::vector<RunRecord>& runs() const { return m_runs; }
    const RunRecord& run(int row) const { return m_runs.at(static_cast<std::size_t>(row)); }

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// "GFlowNet", "MCTS", ... for an algorithm key.
    static QString algorithmLabel(const std::string& key);
    /// The translated status word.
    static QString statusLabel(RunStatus status);

private:
    std::vector<RunRecord> m_runs;
    std::vector<QString> m_budget; ///< per row, from the config JSON
};

} // namespace alphascope::ui

#pragma once
// PoolModel: a search's pool as a table (live from snapshots, or a stored run's last snapshot):
// formula, weight, IC / Rank IC on train and valid, the largest |corr| with the rest of the pool and
// with the project's library (is the find new?), and the dimension check.

#include "core/search/search.h"

#include <QAbstractTableModel>
#include <QSet>

#include <vector>

namespace alphascope::ui {

/// Rows = pool members. DisplayRole: formatted text; Qt::UserRole: the raw number (sorting).
class PoolModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Formula,
        Weight,
        TrainIc,
        TrainRankIc,
        ValidIc,
        ValidRankIc,
        MaxCorrPool,
        MaxCorrLibrary,
        Dimension,
        ColumnCount
    };

    explicit PoolModel(QObject* parent = nullptr);

    /// Replaces the rows (a new snapshot). Rows keep their order; selection by formula survives in the view.
    void setMembers(std::vector<SnapshotMember> members);
    void clear();
    const std::vector<SnapshotMember>& members() const { return m_members; }
    /// Formulas shown in bold (e.g. shared with another run in a comparison).
    void setHighlighted(QSet<QString> formulas);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<SnapshotMember> m_members;
    std::vector<QString> m_dimension; ///< per row; empty when consistent
    std::vector<QString> m_dimensionName;
    QSet<QString> m_highlighted;
};

} // namespace alphascope::ui

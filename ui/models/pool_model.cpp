#include "ui/models/pool_model.h"

#include "core/expr/dimension.h"
#include "core/expr/parser.h"
#include "ui/util/dimension_text.h"
#include "ui/util/number_text.h"

#include <QBrush>
#include <QFont>

#include <cmath>

namespace alphascope::ui {

PoolModel::PoolModel(QObject* parent) : QAbstractTableModel(parent) {}

void PoolModel::setMembers(std::vector<SnapshotMember> members) {
    beginResetModel();
    m_members = std::move(members);
    m_dimension.clear();
    m_dimensionName.clear();
    for (const SnapshotMember& m : m_members) {
        // Pool formulas print in our own syntax and re-parse (without data: fields are names only).
        auto parsed = parseFormula(m.formula, ParseOptions{});
        if (!parsed.ok()) {
            m_dimension.push_back(tr("does not parse"));
            m_dimensionName.push_back(QString());
            continue;
        }
        const DimensionReport d = inferDimension(*parsed.value());
        m_dimensionName.push_back(dimensionText(d.dimension));
        m_dimension.push_back(d.consistent() ? QString() : QString::fromStdString(d.violations.front()));
    }
    endResetModel();
}

void PoolModel::clear() {
    setMembers({});
}

void PoolModel::setHighlighted(QSet<QString> formulas) {
    m_highlighted = std::move(formulas);
    if (!m_members.empty()) Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int PoolModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_members.size());
}
int PoolModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PoolModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) return {};
    const SnapshotMember& m = m_members[static_cast<std::size_t>(index.row())];
    const QString formula = QString::fromStdString(m.formula);
    auto raw = [&]() -> double {
        switch (index.column()) {
        case Weight: return m.weight;
        case TrainIc: return m.ic;
        case TrainRankIc: return m.rankIc;
        case ValidIc: return m.validIc;
        case ValidRankIc: return m.validRankIc;
        case MaxCorrPool: return m.maxAbsCorr;
        case MaxCorrLibrary: return m.maxAbsCorrReference;
        default: return std::nan("");
        }
    };
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == Formula) return formula;
        if (index.column() == Dimension) {
            const QString& broken = m_dimension[static_cast<std::size_t>(index.row())];
            return broken.isEmpty() ? m_dimensionName[static_cast<std::size_t>(index.row())] : tr("rule broken");
        }
        return fixedOrDash(raw(), index.column() == Weight ? 4 : 4);
    case Qt::UserRole:
        if (index.column() == Formula) return formula;
        if (index.column() == Dimension) return m_dimension[static_cast<std::size_t>(index.row())].isEmpty() ? 0 : 1;
        return raw();
    case Qt::ToolTipRole:
        if (index.column() == Dimension && !m_dimension[static_cast<std::size_t>(index.row())].isEmpty())
            return m_dimension[static_cast<std::size_t>(index.row())];
        if (index.column() == MaxCorrLibrary && m.maxAbsCorrReference > 0.7)
            return tr("Close to a factor already in the library");
        if (index.column() == Formula) return formula;
        return {};
    case Qt::ForegroundRole:
        if (index.column() == Dimension && !m_dimension[static_cast<std::size_t>(index.row())].isEmpty())
            return QBrush(QColor(0xb0, 0x00, 0x20));
        if (index.column() == MaxCorrLibrary && m.maxAbsCorrReference > 0.7) return QBrush(QColor(0xa0, 0x60, 0x00));
        return {};
    case Qt::FontRole:
        if (m_highlighted.contains(formula)) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case Qt::TextAlignmentRole:
        return index.column() == Formula || index.column() == Dimension ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                                                        : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    default: return {};
    }
}

QVariant PoolModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case MaxCorrPool: return tr("Largest |correlation| with another member of the pool (train)");
        case MaxCorrLibrary:
            return tr("Largest |correlation| with a factor saved in the library (train): is this find new?");
        case Weight: return tr("Linear pool: fitted weight; mining pool: train IC");
        default: return {};
        }
    }
    if (role != Qt::DisplayRole) return {};
    switch (section) {
    case Formula: return tr("Formula");
    case Weight: return tr("Weight");
    case TrainIc: return tr("IC train");
    case TrainRankIc: return tr("Rank IC train");
    case ValidIc: return tr("IC valid");
    case ValidRankIc: return tr("Rank IC valid");
    case MaxCorrPool: return tr("Max |corr| pool");
    case MaxCorrLibrary: return tr("Max |corr| library");
    case Dimension: return tr("Dimension");
    default: return {};
    }
}

} // namespace alphascope::ui

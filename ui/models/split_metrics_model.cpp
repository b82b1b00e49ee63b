#include "ui/models/split_metrics_model.h"

#include <QColor>

#include <cmath>

namespace alphascope::ui {

namespace {
QString formatNumber(double v, int decimals) {
    return std::isfinite(v) ? QString::number(v, 'f', decimals) : QStringLiteral("–");
}
} // namespace

SplitMetricsModel::SplitMetricsModel(QObject* parent) : QAbstractTableModel(parent) {}

void SplitMetricsModel::setMetrics(std::vector<SplitMetrics> metrics) {
    beginResetModel();
    m_metrics = std::move(metrics);
    endResetModel();
}

void SplitMetricsModel::clear() {
    setMetrics({});
}

int SplitMetricsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_metrics.size());
}

int SplitMetricsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SplitMetricsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) return {};
    const SplitMetrics& m = m_metrics[static_cast<std::size_t>(index.row())];
    double raw = std::nan("");
    int decimals = 4;
    switch (index.column()) {
    case Split:
        if (role == Qt::DisplayRole || role == Qt::UserRole) return QString::fromStdString(m.name);
        return {};
    case First:
        if (role == Qt::DisplayRole || role == Qt::UserRole)
            return m.days ? QString::fromStdString(m.first.toString()) : QString();
        return {};
    case Last:
        if (role == Qt::DisplayRole || role == Qt::UserRole)
            return m.days ? QString::fromStdString(m.last.toString()) : QString();
        return {};
    case IcDays:
        raw = m.icDays;
        decimals = 0;
        break;
    case Ic: raw = m.ic; break;
    case RankIc: raw = m.rankIc; break;
    case Icir:
        raw = m.icir;
        decimals = 3;
        break;
    case RankIcir:
        raw = m.rankIcir;
        decimals = 3;
        break;
    case Coverage:
        raw = m.coverage;
        decimals = 3;
        break;
    case Turnover:
        raw = m.turnover;
        decimals = 3;
        break;
    case Autocorrelation:
        raw = m.autocorrelation;
        decimals = 3;
        break;
    default: return {};
    }
    switch (role) {
    case Qt::DisplayRole: return formatNumber(raw, decimals);
    case Qt::UserRole: return raw;
    case Qt::TextAlignmentRole: return int(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        // Sign of the correlation metrics at a glance: negative in red.
        if ((index.column() == Ic || index.column() == RankIc || index.column() == Icir ||
             index.column() == RankIcir) &&
            std::isfinite(raw) && raw < 0)
            return QColor(176, 0, 32);
        return {};
    default: return {};
    }
}

QVariant SplitMetricsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case IcDays: return tr("Days with a defined cross-sectional correlation");
        case Ic: return tr("Mean daily Pearson correlation with the target");
        case RankIc: return tr("Mean daily Spearman correlation with the target");
        case Icir: return tr("IC mean / IC standard deviation");
        case RankIcir: return tr("Rank IC mean / Rank IC standard deviation");
        case Coverage: return tr("Share of universe cells with a finite value");
        case Turnover: return tr("Daily turnover of the top quintile");
        case Autocorrelation: return tr("Lag-1 rank autocorrelation of the factor");
        default: return {};
        }
    }
    if (role != Qt::DisplayRole) return {};
    switch (section) {
    case Split: return tr("Split");
    case First: return tr("First day");
    case Last: return tr("Last day");
    case IcDays: return tr("IC days");
    case Ic: return tr("IC");
    case RankIc: return tr("Rank IC");
    case Icir: return tr("ICIR");
    case RankIcir: return tr("Rank ICIR");
    case Coverage: return tr("Coverage");
    case Turnover: return tr("Turnover");
    case Autocorrelation: return tr("Autocorr.");
    default: return {};
    }
}

} // namespace alphascope::ui

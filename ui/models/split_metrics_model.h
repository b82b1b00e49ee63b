#pragma once
// SplitMetricsModel: a factor's metrics per split (IC, Rank IC, ICIR, ...) as a read-only table.

#include "core/metrics/factor_report.h"

#include <QAbstractTableModel>

#include <vector>

namespace alphascope::ui {

/// Rows = splits, columns = metrics. Qt::DisplayRole gives formatted text, Qt::UserRole the raw double.
class SplitMetricsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Split,
        First,
        Last,
        IcDays,
        Ic,
        RankIc,
        Icir,
        RankIcir,
        Coverage,
        Turnover,
        Autocorrelation,
        ColumnCount
    };

    explicit SplitMetricsModel(QObject* parent = nullptr);

    void setMetrics(std::vector<SplitMetrics> metrics);
    void clear();
    const std::vector<SplitMetrics>& metrics() const { return m_metrics; }

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<SplitMetrics> m_metrics;
};

} // namespace alphascope::ui

#pragma once
// BacktestStatsModel: the statistics of one backtest as a table (rows = Performance fields,
// columns = portfolio / benchmark / excess).

#include "core/backtest/backtest.h"

#include <QAbstractTableModel>

#include <optional>

namespace alphascope::ui {

/// Read-only table of a BacktestResult's Performance statistics; empty until setResult().
class BacktestStatsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    /// One row per Performance field, in display order.
    enum Row {
        CumulativeReturn,
        CumulativeReturnSum,
        AnnualReturn,
        Cagr,
        AnnualVolatility,
        Sharpe,
        Sortino,
        Calmar,
        MaxDrawdown,
        Turnover,
        WinRate,
        Days,
        RowCount
    };
    /// The three series of a backtest.
    enum Column { Portfolio, Benchmark, Excess, ColumnCount };
    /// Qt::UserRole gives the raw double (NaN where undefined) for tests and sorting.
    static constexpr int kValueRole = Qt::UserRole;

    explicit BacktestStatsModel(QObject* parent = nullptr);

    /// Shows the statistics of `result` (resets the model).
    void setResult(const BacktestResult& result);
    /// Empties the table.
    void clear();
    bool hasResult() const { return m_result.has_value(); }
    /// The result shown, or nullptr.
    const BacktestResult* result() const { return m_result ? &*m_result : nullptr; }

    /// The value of `row` in `perf` (NaN where undefined).
    static double value(const Performance& perf, Row row);
    /// The display text of `v` for `row`: percentages for returns, drawdown, turnover and win rate.
    static QString format(Row row, double v);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    const Performance& performance(int column) const;

    std::optional<BacktestResult> m_result;
};

} // namespace alphascope::ui

#pragma once
// BacktestChart: the daily path of a backtest as four stacked plots sharing one date axis —
// cumulative return vs the benchmark, cumulative excess, drawdown, daily turnover.

#include "core/backtest/backtest.h"
#include "core/data/split.h"
#include "ui/qcustomplot_include.h"

#include <QStringList>
#include <QVector>

#include <vector>

namespace alphascope::ui {

/// The daily path of a backtest in plotting form (returns as fractions, dates as UTC seconds).
struct BacktestSeries {
    QVector<double> x;          ///< date of each reported day, seconds since the epoch (UTC)
    QStringList dates;          ///< "YYYY-MM-DD" of each reported day
    QVector<double> cumulative; ///< compounded portfolio return since the start
    QVector<double> benchmark;  ///< compounded benchmark return since the start
    QVector<double> excess;     ///< compounded excess return since the start
    QVector<double> drawdown;   ///< portfolio equity / running peak - 1
    QVector<double> turnover;   ///< daily turnover
};

/// The compounded curves of `result` (whose day indices refer to `calendar`). Any thread.
BacktestSeries makeBacktestSeries(const BacktestResult& result, const Calendar& calendar);

/// Four stacked axis rects (returns, excess, drawdown, turnover), each with its legend; dragging or
/// zooming the dates of one moves all of them.
class BacktestChart : public QCustomPlot {
    Q_OBJECT
public:
    /// The rows of the chart, top to bottom (index of axisRect()).
    enum Row { ReturnRow, ExcessRow, DrawdownRow, TurnoverRow, RowCount };

    explicit BacktestChart(QWidget* parent = nullptr);

    /// Plots `series`; dashed lines mark where each of `splits` after the first begins.
    void showSeries(const BacktestSeries& series, const std::vector<Split>& splits, const QString& title);
    /// Removes the curves and shows `title` only.
    void clearChart(const QString& title);

private:
    QCPLegend* legendOf(int row) const;
    void addCurve(int row, const QString& name, const QVector<double>& x, const QVector<double>& y, const QColor& color,
                  bool fill);
    void markSplit(double x, const QString& name);

    QCPTextElement* m_title;
};

} // namespace alphascope::ui

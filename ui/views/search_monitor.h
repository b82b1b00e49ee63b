#pragma once
// SearchMonitor: the live curves of one or more searches (QCustomPlot), against evaluations or
// wall time: reward (mean and best per report window), training loss, pool IC on train and valid
// with the best single IC, pool size with diversity (mean |mutual corr|), evaluations per second.
// One series per run: the live one, a reopened one, or several overlaid in a comparison.

#include "core/search/search.h"
#include "ui/qcustomplot_include.h"
#include "ui/views/monitor_point.h"

#include <QColor>
#include <QString>

#include <vector>

namespace alphascope::ui {

/// The monitor's plot.
class SearchMonitor : public QCustomPlot {
    Q_OBJECT
public:
    enum Row { RewardRow, LossRow, IcRow, PoolRow, RateRow, RowCount };
    enum class XAxis { Evaluations, Seconds };

    explicit SearchMonitor(QWidget* parent = nullptr);

    /// Removes every series.
    void clearSeries();
    /// Adds a series (returns its index); `points` may be empty and grow with appendPoint().
    int addSeries(const QString& name, const std::vector<MonitorPoint>& points, const QColor& color);
    /// Appends to a series and replots (queued, so a burst of reports costs one replot).
    void appendPoint(int series, const MonitorPoint& point);
    void setXAxis(XAxis axis);
    XAxis xAxis() const { return m_xAxis; }
    int seriesCount() const { return static_cast<int>(m_series.size()); }
    const std::vector<MonitorPoint>& points(int series) const {
        return m_series.at(static_cast<std::size_t>(series)).points;
    }
    /// Points drawn in `row` for `series`'s first graph (for tests).
    int pointsDrawn(int row, int series) const;

private:
    struct Series {
        QString name;
        QColor color;
        std::vector<MonitorPoint> points;
        std::vector<QCPGraph*> graphs; ///< per row: the graphs of this series
    };
    void rebuild(Series& s);
    void rescale();

    std::vector<Series> m_series;
    QCPAxisRect* m_rects[RowCount] = {};
    XAxis m_xAxis = XAxis::Evaluations;
};

} // namespace alphascope::ui

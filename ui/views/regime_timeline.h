#pragma once
// RegimeTimeline: the hierarchy's regime signals over time — the mean pairwise correlation and the
// entropy of the soft cluster assignment (high: correlation breakdown, no clear clusters; low:
// clusters form) — above the equal-weight market's drawdown, with drawdown spells shaded in both and
// a line at the window on screen. Clicking a date asks for the window in force on it.

#include "core/data/market_data.h"
#include "core/graph/window_view.h"
#include "ui/qcustomplot_include.h"

namespace alphascope::ui {

class RegimeTimeline : public QCustomPlot {
    Q_OBJECT
public:
    explicit RegimeTimeline(QWidget* parent = nullptr);

    /// Plots `series` over `calendar`; `level` picks the entropy curve (0 = the finest level).
    void setSeries(const graph::RegimeSeries& series, const Calendar& calendar, int level, const QString& levelName);
    void clearSeries(const QString& message);
    /// Moves the marker to day `day`.
    void setCurrentDay(int day);

    /// The drawdown depth that marks a spell (0.1 = 10 %).
    static constexpr double kSpellDepth = 0.1;
    int spellCount() const { return m_spells; }
    QCPGraph* correlationGraph() const { return m_correlation; }
    QCPGraph* entropyGraph() const { return m_entropy; }
    QCPGraph* drawdownGraph() const { return m_drawdown; }

Q_SIGNALS:
    void dayClicked(int day);

private:
    QCPAxisRect* m_top;
    QCPAxisRect* m_bottom;
    QCPGraph* m_correlation;
    QCPGraph* m_entropy;
    QCPGraph* m_drawdown;
    QCPItemStraightLine* m_marker;
    QCPItemStraightLine* m_markerBottom;
    QCPTextElement* m_title;
    std::vector<double> m_keys; ///< plotTime of each calendar day
    int m_spells = 0;
};

} // namespace alphascope::ui

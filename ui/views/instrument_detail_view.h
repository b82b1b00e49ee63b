#pragma once
// InstrumentDetailView: the side of the market graph panel. For the instrument clicked in the graph
// or the clustermap: its sector, its cluster at every level of the window on screen (size and intra
// correlation), its edges in the graph, and its cumulative log return over the window beside its
// cluster's mean and the market's.

#include "core/data/market_data.h"
#include "core/graph/graph_layout.h"
#include "core/graph/window_view.h"

#include <QWidget>

#include <vector>

class QLabel;
class QCustomPlot;

namespace alphascope::ui {

/// The window on screen, as the detail needs it.
struct InstrumentWindow {
    const MarketData* data = nullptr;
    const Panel* returns = nullptr; ///< daily log returns of the data's close
    const graph::WindowView* view = nullptr;
    const std::vector<std::vector<graph::ClusterSummary>>* clusters = nullptr; ///< per level
    const std::vector<graph::Edge>* edges = nullptr;                           ///< over positions into view->active
    int windowDays = 0;                                                        ///< days of returns in the window
    int level = 0;                                                             ///< the level whose cluster is plotted
    QString prefix; ///< the levels' names: prefix + (level + 1)
};

class InstrumentDetailView : public QWidget {
    Q_OBJECT
public:
    explicit InstrumentDetailView(QWidget* parent = nullptr);

    /// Shows instrument `instrument` (an index into the data) in `window`; an instrument outside the
    /// data, or a window without data, clears the plot and leaves the text as it was.
    void showInstrument(const InstrumentWindow& window, int instrument);

    QLabel* label() const { return m_text; }
    QCustomPlot* plot() const { return m_plot; }

private:
    QLabel* m_text;
    QCustomPlot* m_plot;
};

} // namespace alphascope::ui

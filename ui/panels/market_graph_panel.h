#pragma once
// MarketGraphPanel: the market as a hierarchical graph. Fits the time-varying hierarchy
// (agglomerative, or learned by MinCutPool / DiffPool) off the GUI thread with progress and cancel;
// shows one window at a time — the graph laid out by Graphviz (kept in place as the time slider
// moves), the clustermap, the clusters' statistics — and the regime timeline over all windows;
// clicking an instrument shows its return and its cluster's. "Use levels in formulas" hands the
// levels to the main window, which adds them to the dataset as groupings h1, h2, ... A tab measures
// whether the years and splits rank formulas alike (PersistencePage); a last one trains the GCN
// signal baseline over the sector or correlation graph (GcnSignalPage).

#include "core/eval/research_session.h"
#include "core/graph/graph_layout.h"
#include "core/graph/hierarchy_fit.h"
#include "core/graph/window_view.h"

#include <QWidget>

#include <memory>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSlider;
class QSpinBox;
class QStandardItemModel;
class QTabWidget;
class QTableView;
class QTimer;

namespace alphascope::ui {

class ClusterTableModel;
class ClustermapView;
class InstrumentDetailView;
class GcnSignalPage;
class PersistencePage;
class MarketGraphView;
class RegimeTimeline;
template <typename T>
class LatestJob;

/// A finished fit with what the views need besides it.
struct GraphFitOutcome {
    std::shared_ptr<const graph::HierarchyFit> fit;
    graph::RegimeSeries regimes;
    std::shared_ptr<const Panel> returns; ///< daily log returns of the data's close
    QString method;                       ///< "ward", "mincut", ...
};

/// One window ready to draw.
struct GraphWindowOutcome {
    graph::WindowView view;
    std::vector<graph::Edge> edges;                           ///< over positions into view.active
    std::vector<graph::Point2> positions;                     ///< per active instrument
    std::vector<std::vector<graph::ClusterSummary>> clusters; ///< per level
    std::vector<double> dollarVolume;                         ///< mean close x volume over the window, per active
    double seconds = 0;
};

class MarketGraphPanel : public QWidget {
    Q_OBJECT
public:
    explicit MarketGraphPanel(QWidget* parent = nullptr);
    ~MarketGraphPanel() override;

    /// A new session drops the fit unless it is the same market (same instruments and calendar,
    /// e.g. the session the levels were just added to).
    void setSession(std::shared_ptr<const ResearchSession> session);
    /// Shows a fit made elsewhere (read back from the project) as if it had just finished.
    void setFit(std::shared_ptr<const graph::HierarchyFit> fit, const QString& method);

    /// Starts a fit with the form's settings (cancels one in flight).
    void fit();
    void cancelFit();
    /// Shows window `window` of the fit.
    void showWindow(int window);
    /// Selects instrument `instrument` (an index into the data): ringed in the graph, its details shown.
    void selectInstrument(int instrument);

    std::shared_ptr<const graph::HierarchyFit> currentFit() const { return m_fit; }
    QString fitMethod() const { return m_method; }
    /// The window on screen (-1 before a fit).
    int currentWindow() const;
    bool fitting() const;
    bool viewBusy() const;

    // For tests and the main window.
    QComboBox* methodBox() const { return m_methodBox; }
    QLineEdit* levelsEdit() const { return m_levels; }
    QSpinBox* windowDaysBox() const { return m_windowDays; }
    QSpinBox* stepBox() const { return m_step; }
    QPushButton* fitButton() const { return m_fitButton; }
    QPushButton* useButton() const { return m_use; }
    QSlider* timeSlider() const { return m_slider; }
    QComboBox* colorBox() const { return m_color; }
    QComboBox* edgesBox() const { return m_edges; }
    QSlider* thresholdSlider() const { return m_threshold; }
    QTabWidget* tabs() const { return m_tabs; }
    MarketGraphView* graphView() const { return m_graph; }
    ClustermapView* clustermap() const { return m_clustermap; }
    QCheckBox* collapseBox() const { return m_collapse; }
    QTableView* clusterTable() const { return m_table; }
    QStandardItemModel* clusterModel() const;
    RegimeTimeline* timeline() const { return m_timeline; }
    /// The GCN baseline's tab (null in a build without LibTorch).
    GcnSignalPage* gcnPage() const { return m_gcn; }
    /// Whether the splits rank formulas alike (the "Persistence" tab).
    PersistencePage* persistencePage() const { return m_persistence; }
    QLabel* statusLabel() const { return m_status; }
    QLabel* detailLabel() const;
    /// The window outcome on screen (null before one).
    const GraphWindowOutcome* windowOutcome() const { return m_window.get(); }
    /// The instrument (data index) drawn as node `node` of the graph, or -1.
    int instrumentOfNode(int node) const;

Q_SIGNALS:
    /// A fit finished (ok) or failed/was cancelled (!ok).
    void fitFinished(bool ok);
    /// A window is on screen.
    void windowShown(int window);
    void busyChanged(bool busy);
    /// The user asked to add the fit's levels to the dataset as groupings.
    void useLevelsRequested();
    /// The user asked to export the view on screen.
    void exportRequested();

private:
    void onFitDone(Result<GraphFitOutcome> result);
    void showFitOutcome(GraphFitOutcome outcome);
    void requestWindow();
    void onWindowDone(Result<GraphWindowOutcome> result);
    void restyle();
    void fillClusterTable();
    void updateClustermap();
    void updateTimeline();
    void showDetails(int instrument);
    void exportCurrent();
    void updateEdgeControls();
    void updateDateLabel();
    int colorLevel() const;        ///< level index the colours follow, -1 = a grouping
    QString colorGrouping() const; ///< the grouping's name when colouring by one
    std::vector<int> nodeColors() const;
    QString levelName(int level) const;

    std::shared_ptr<const ResearchSession> m_session;
    std::shared_ptr<const graph::HierarchyFit> m_fit;
    std::shared_ptr<const MarketData> m_fitData;
    std::shared_ptr<const Panel> m_returns;
    graph::RegimeSeries m_regimes;
    QString m_method;
    std::unique_ptr<GraphWindowOutcome> m_window;
    std::vector<graph::Point2> m_positions; ///< last drawn position per instrument (NaN: never drawn)
    int m_selected = -1;                    ///< selected instrument (data index)
    bool m_fitView = true;                  ///< fit the graph to the view on the next draw

    QComboBox* m_methodBox;
    QLineEdit* m_levels;
    QSpinBox* m_windowDays;
    QSpinBox* m_step;
    QPushButton* m_fitButton;
    QPushButton* m_cancel;
    QProgressBar* m_progress;
    QLabel* m_status;
    QSlider* m_slider;
    QLabel* m_dateLabel;
    QComboBox* m_color;
    QComboBox* m_edges;
    QSlider* m_threshold;
    QLabel* m_thresholdLabel;
    QComboBox* m_sizeBy;
    QComboBox* m_engine;
    QPushButton* m_export;
    QPushButton* m_use;
    QTabWidget* m_tabs;
    MarketGraphView* m_graph;
    ClustermapView* m_clustermap;
    QCheckBox* m_collapse;
    ClusterTableModel* m_model;
    QTableView* m_table;
    RegimeTimeline* m_timeline;
    GcnSignalPage* m_gcn = nullptr;
    PersistencePage* m_persistence = nullptr;
    InstrumentDetailView* m_details;
    QTimer* m_debounce;
    std::unique_ptr<LatestJob<GraphFitOutcome>> m_fitJob;
    std::unique_ptr<LatestJob<GraphWindowOutcome>> m_windowJob;
};

} // namespace alphascope::ui

#pragma once
// One window of a hierarchy fit as the views draw it: the active instruments, their return
// correlation, the dendrogram on the correlation distance and its leaf order (the clustermap), the
// fit's labels, and the window's graph (a threshold or k-nearest graph, or the minimum spanning tree).
// Recomputed on demand from the data and the fit (a 537-stock window takes tens of milliseconds), so
// a stored fit needs only its labels and statistics.

#include "core/data/market_data.h"
#include "core/graph/hierarchy.h"
#include "core/graph/hierarchy_fit.h"
#include "core/graph/market_graph.h"
#include "core/util/result.h"

#include <Eigen/Core>

#include <utility>
#include <vector>

namespace alphascope::graph {

struct WindowView {
    int window = 0;                       ///< index into fit.windows
    int end = 0;                          ///< day of the window's last return
    std::vector<int> active;              ///< instrument indices with a correlation in the window
    Eigen::MatrixXd rho;                  ///< active x active correlation
    Dendrogram dendrogram;                ///< of the active instruments (fit's linkage, Ward for a pooling fit)
    std::vector<int> order;               ///< leaf order (positions into active)
    std::vector<std::vector<int>> labels; ///< per level, per active instrument
};

/// The view of window `window` of `fit` (fitted on `data`). InvalidArgument for a window out of
/// range, NotFound without $close.
Result<WindowView> windowView(const MarketData& data, const HierarchyFit& fit, int window);

/// The edges to draw, over positions into view.active: `rule` Threshold, Knn or Sector/Both with
/// `groups` (per instrument of the data), or the minimum spanning tree when `spanningTree`.
/// Edge weights are |rho| (for the tree too).
std::vector<Edge> viewEdges(const WindowView& view, const GraphOptions& options, bool spanningTree,
                            const std::vector<int>& groups = {});

/// One cluster of one level in a window.
struct ClusterSummary {
    int id = 0;               ///< the fit's (matched) label
    std::vector<int> members; ///< positions into view.active, strongest first (mean correlation to the cluster)
    double intra = 0;         ///< mean correlation between members (NaN for one member)
    double outside = 0;       ///< mean correlation of members with the other active instruments
    int topGroup = -1;        ///< most common id of `groups` among the members (-1 without groups)
    double topGroupShare = 0; ///< its share of the members
    double windowReturn = 0;  ///< mean log return of the members over the window
};

/// The clusters of `level` in the view, largest first. `groups` (per instrument of the data, may be
/// empty) gives each cluster's most common group; `returns` (the data's daily log returns, may be
/// null) its mean return over the window.
std::vector<ClusterSummary> clusterSummaries(const WindowView& view, int level, int window,
                                             const std::vector<int>& groups = {}, const Panel* returns = nullptr);

/// The view's rows ordered by the fit's levels, for a hierarchy that is not the dendrogram's (a
/// learned one): by coarsest cluster, then finest, each ordered by its members' mean position in
/// the leaf order, then by leaf order. Positions into view.active.
std::vector<int> clusterOrder(const WindowView& view);

/// Mean close x volume of each active instrument over the window's `window` days (NaN without
/// volume, or for an instrument with no day of both): a market-value proxy for sizing the nodes.
std::vector<double> meanDollarVolume(const MarketData& data, const WindowView& view, int window);

/// The regime signals as daily series over the data's calendar (NaN before the first fit): the
/// entropy of the soft assignment at each level, the mean pairwise correlation, and the equal-weight
/// market of the data's close prices (the mean daily log return, compounded) with its drawdown from
/// the running peak.
struct RegimeSeries {
    std::vector<std::vector<double>> entropy; ///< per level
    std::vector<double> meanCorrelation;
    std::vector<double> market;   ///< equity of the equal-weight market, 1 on the first day
    std::vector<double> drawdown; ///< market / running peak - 1
};
Result<RegimeSeries> regimeSeries(const MarketData& data, const HierarchyFit& fit);

/// Drawdown spells as [first, last] day pairs: a spell starts on a day at or below -depth and lasts
/// while the drawdown stays at or below -depth / 2 (hysteresis: one spell for a market that hovers
/// around the depth).
std::vector<std::pair<int, int>> drawdownSpells(const std::vector<double>& drawdown, double depth);

} // namespace alphascope::graph

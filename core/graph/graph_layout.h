#pragma once
// Graph layout by Graphviz (libgvc): sfdp or neato positions for a market graph, started from the
// previous window's positions when given and aligned to them (orthogonal Procrustes), so that the
// picture stays put while the time slider moves and only the nodes whose neighbourhood changed move.

#include "core/graph/market_graph.h"
#include "core/util/result.h"

#include <string_view>
#include <vector>

namespace alphascope::graph {

struct Point2 {
    double x = 0, y = 0;
};

enum class LayoutEngine {
    Sfdp,  ///< multiscale force-directed (large graphs)
    Neato, ///< stress majorisation (edge length follows the correlation distance)
};

bool parseLayoutEngine(std::string_view text, LayoutEngine& out); ///< "sfdp", "neato"
const char* layoutEngineName(LayoutEngine engine);

struct LayoutOptions {
    LayoutEngine engine = LayoutEngine::Sfdp;
    /// neato: an edge's preferred length is its correlation distance sqrt(2 (1 - |rho|)) (inches)
    /// instead of one length for all.
    bool weighted = true;
};

/// Positions (points; Graphviz's y axis points up) of nodes 0..nodes-1 for `edges` (edges with an
/// end outside the range are an error). Nodes in no edge are placed too: Graphviz packs the
/// components side by side. `initial` (empty, or one point per node) starts the layout there.
/// Graphviz is not re-entrant: calls are serialised, so this may be called from any thread.
Result<std::vector<Point2>> layoutGraph(int nodes, const std::vector<Edge>& edges, const LayoutOptions& options = {},
                                        const std::vector<Point2>& initial = {});

/// Moves `points` by the rotation or reflection, uniform scale and translation that brings them
/// closest (least squares) to `reference` over the nodes where both are finite; nothing when fewer
/// than 3 such nodes. Both have one point per node.
void alignLayout(std::vector<Point2>& points, const std::vector<Point2>& reference);

} // namespace alphascope::graph

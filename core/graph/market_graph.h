#pragma once
// The market as a graph (ALGORITHMS.md §9): instruments as nodes, edges from correlation (a
// threshold on |rho| or the k nearest), from a shared sector, or both; and the minimum spanning
// tree on the correlation distance.

#include <Eigen/Core>

#include <string_view>
#include <vector>

namespace alphascope::graph {

enum class EdgeRule {
    Threshold, ///< |rho| > threshold
    Knn,       ///< each node's k largest |rho| (an edge when either end chose it)
    Sector,    ///< same group
    Both,      ///< the correlation rule's edges and the sector edges
};

bool parseEdgeRule(std::string_view text, EdgeRule& out); ///< "corr", "knn", "sector", "both"
const char* edgeRuleName(EdgeRule rule);

struct GraphOptions {
    EdgeRule rule = EdgeRule::Threshold;
    double threshold = 0.5; ///< Threshold and Both
    int k = 10;             ///< Knn (Both uses the threshold unless knn is asked for with bothUsesKnn)
    bool bothUsesKnn = false;
};

struct Edge {
    int a = 0, b = 0;         ///< a < b
    double weight = 0;        ///< |rho|, or 0 for a sector edge of a pair without a correlation
    bool correlation = false; ///< made by the correlation rule
    bool sector = false;      ///< made by the shared group
};

struct MarketGraph {
    int nodes = 0;
    std::vector<Edge> edges; ///< sorted by (a, b), each pair once
    std::vector<int> degree() const;
    double density() const; ///< edges / (n (n - 1) / 2)
};

/// The graph of one window. `groups` (one id per node, -1 = none) is needed by Sector and Both;
/// `active` (may be empty = all) leaves nodes without data in the window unconnected.
MarketGraph buildGraph(const Eigen::MatrixXd& rho, const GraphOptions& options, const std::vector<int>& groups = {},
                       const std::vector<char>& active = {});

/// The minimum spanning forest of the complete graph with weights `dist` (Prim, O(n^2)) over the
/// active nodes; NaN or infinite distances are no edge. Edge weights are the distances.
std::vector<Edge> minimumSpanningTree(const Eigen::MatrixXd& dist, const std::vector<char>& active = {});

} // namespace alphascope::graph

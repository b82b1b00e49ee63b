#include "core/graph/market_graph.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <utility>

namespace alphascope::graph {

bool parseEdgeRule(std::string_view text, EdgeRule& out) {
    if (text == "corr")
        out = EdgeRule::Threshold;
    else if (text == "knn")
        out = EdgeRule::Knn;
    else if (text == "sector")
        out = EdgeRule::Sector;
    else if (text == "both")
        out = EdgeRule::Both;
    else
        return false;
    return true;
}

const char* edgeRuleName(EdgeRule rule) {
    switch (rule) {
    case EdgeRule::Threshold: return "corr";
    case EdgeRule::Knn: return "knn";
    case EdgeRule::Sector: return "sector";
    case EdgeRule::Both: return "both";
    }
    return "corr";
}

std::vector<int> MarketGraph::degree() const {
    std::vector<int> d(static_cast<std::size_t>(nodes), 0);
    for (const Edge& e : edges) {
        ++d[static_cast<std::size_t>(e.a)];
        ++d[static_cast<std::size_t>(e.b)];
    }
    return d;
}

double MarketGraph::density() const {
    const double pairs = 0.5 * nodes * (nodes - 1.0);
    return pairs > 0 ? edges.size() / pairs : 0.0;
}

MarketGraph buildGraph(const Eigen::MatrixXd& rho, const GraphOptions& options, const std::vector<int>& groups,
                       const std::vector<char>& active) {
    const int n = static_cast<int>(rho.rows());
    auto isActive = [&](int i) { return active.empty() || active[static_cast<std::size_t>(i)]; };
    std::map<std::pair<int, int>, Edge> edges;
    auto weightOf = [&](int i, int j) { return std::isfinite(rho(i, j)) ? std::fabs(rho(i, j)) : 0.0; };
    auto add = [&](int i, int j, bool byCorrelation) {
        if (i == j) return;
        if (i > j) std::swap(i, j);
        Edge& e = edges[{i, j}];
        e.a = i;
        e.b = j;
        e.weight = weightOf(i, j);
        (byCorrelation ? e.correlation : e.sector) = true;
    };
    const bool threshold =
        options.rule == EdgeRule::Threshold || (options.rule == EdgeRule::Both && !options.bothUsesKnn);
    const bool knn = options.rule == EdgeRule::Knn || (options.rule == EdgeRule::Both && options.bothUsesKnn);
    const bool sector = options.rule == EdgeRule::Sector || options.rule == EdgeRule::Both;
    if (threshold)
        for (int j = 0; j < n; ++j)
            for (int i = 0; i < j; ++i)
                if (isActive(i) && isActive(j) && std::isfinite(rho(i, j)) && std::fabs(rho(i, j)) > options.threshold)
                    add(i, j, true);
    if (knn) {
        std::vector<std::pair<double, int>> near;
        for (int i = 0; i < n; ++i) {
            if (!isActive(i)) continue;
            near.clear();
            for (int j = 0; j < n; ++j)
                if (j != i && isActive(j) && std::isfinite(rho(i, j))) near.push_back({-std::fabs(rho(i, j)), j});
            const std::size_t k = std::min(near.size(), static_cast<std::size_t>(std::max(0, options.k)));
            std::partial_sort(near.begin(), near.begin() + static_cast<std::ptrdiff_t>(k), near.end());
            for (std::size_t q = 0; q < k; ++q) add(i, near[q].second, true);
        }
    }
    if (sector && !groups.empty())
        for (int j = 0; j < n; ++j)
            for (int i = 0; i < j; ++i)
                if (isActive(i) && isActive(j) && groups[static_cast<std::size_t>(i)] >= 0 &&
                    groups[static_cast<std::size_t>(i)] == groups[static_cast<std::size_t>(j)])
                    add(i, j, false);
    MarketGraph g;
    g.nodes = n;
    g.edges.reserve(edges.size());
    for (auto& [key, e] : edges) g.edges.push_back(e);
    return g;
}

std::vector<Edge> minimumSpanningTree(const Eigen::MatrixXd& dist, const std::vector<char>& active) {
    const int n = static_cast<int>(dist.rows());
    const double inf = std::numeric_limits<double>::infinity();
    auto isActive = [&](int i) { return active.empty() || active[static_cast<std::size_t>(i)]; };
    std::vector<char> inTree(static_cast<std::size_t>(n), 0);
    std::vector<double> best(static_cast<std::size_t>(n), inf);
    std::vector<int> from(static_cast<std::size_t>(n), -1);
    std::vector<Edge> tree;
    for (int start = 0; start < n; ++start) { // one Prim run per component
        if (inTree[static_cast<std::size_t>(start)] || !isActive(start)) continue;
        best[static_cast<std::size_t>(start)] = 0;
        from[static_cast<std::size_t>(start)] = -1;
        while (true) {
            int u = -1;
            for (int i = 0; i < n; ++i)
                if (!inTree[static_cast<std::size_t>(i)] && isActive(i) && best[static_cast<std::size_t>(i)] < inf &&
                    (u < 0 || best[static_cast<std::size_t>(i)] < best[static_cast<std::size_t>(u)]))
                    u = i;
            if (u < 0) break;
            inTree[static_cast<std::size_t>(u)] = 1;
            if (from[static_cast<std::size_t>(u)] >= 0) {
                const int a = std::min(u, from[static_cast<std::size_t>(u)]),
                          b = std::max(u, from[static_cast<std::size_t>(u)]);
                tree.push_back({a, b, dist(a, b), true, false});
            }
            for (int v = 0; v < n; ++v) {
                if (inTree[static_cast<std::size_t>(v)] || !isActive(v)) continue;
                const double d = dist(u, v);
                if (std::isfinite(d) && d < best[static_cast<std::size_t>(v)]) {
                    best[static_cast<std::size_t>(v)] = d;
                    from[static_cast<std::size_t>(v)] = u;
                }
            }
        }
    }
    return tree;
}

} // namespace alphascope::graph

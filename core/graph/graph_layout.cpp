#include "core/graph/graph_layout.h"

#include <graphviz/gvc.h>

#include <Eigen/SVD>

#include <cmath>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>

namespace alphascope::graph {

namespace {

std::mutex& graphvizMutex() {
    static std::mutex m;
    return m;
}

// Graphviz's API takes char* for names it does not modify.
char* text(const char* s) {
    return const_cast<char*>(s);
}

struct GraphvizContext {
    GVC_t* gvc = nullptr;
    Agraph_t* graph = nullptr;
    bool laidOut = false;
    ~GraphvizContext() {
        if (gvc && graph && laidOut) gvFreeLayout(gvc, graph);
        if (graph) agclose(graph);
        if (gvc) gvFreeContext(gvc);
    }
};

} // namespace

bool parseLayoutEngine(std::string_view text, LayoutEngine& out) {
    if (text == "sfdp")
        out = LayoutEngine::Sfdp;
    else if (text == "neato")
        out = LayoutEngine::Neato;
    else
        return false;
    return true;
}

const char* layoutEngineName(LayoutEngine engine) {
    return engine == LayoutEngine::Neato ? "neato" : "sfdp";
}

Result<std::vector<Point2>> layoutGraph(int nodes, const std::vector<Edge>& edges, const LayoutOptions& options,
                                        const std::vector<Point2>& initial) {
    if (nodes < 0) return makeError(ErrorCode::InvalidArgument, "a graph cannot have a negative number of nodes");
    if (!initial.empty() && static_cast<int>(initial.size()) != nodes)
        return makeError(ErrorCode::InvalidArgument, "the initial layout has " + std::to_string(initial.size()) +
                                                         " points for " + std::to_string(nodes) + " nodes");
    for (const Edge& e : edges)
        if (e.a < 0 || e.b < 0 || e.a >= nodes || e.b >= nodes)
            return makeError(ErrorCode::InvalidArgument, "an edge (" + std::to_string(e.a) + ", " +
                                                             std::to_string(e.b) + ") leaves the graph of " +
                                                             std::to_string(nodes) + " nodes");
    std::vector<Point2> out(static_cast<std::size_t>(nodes));
    if (nodes == 0) return out;

    std::lock_guard<std::mutex> lock(graphvizMutex());
    agseterr(AGERR); // no warnings on stderr; errors come back through the return code
    GraphvizContext g;
    g.gvc = gvContext();
    if (!g.gvc) return makeError(ErrorCode::Internal, "Graphviz could not start (gvContext)");
    g.graph = agopen(text("market"), Agundirected, nullptr);
    agattr(g.graph, AGRAPH, text("overlap"), text("prism"));
    agattr(g.graph, AGRAPH, text("pack"), text("true"));
    agattr(g.graph, AGRAPH, text("start"), text("1")); // a fixed seed: the same graph, the same picture
    agattr(g.graph, AGNODE, text("shape"), text("point"));
    agattr(g.graph, AGNODE, text("width"), text("0.08"));
    Agsym_t* pos = initial.empty() ? nullptr : agattr(g.graph, AGNODE, text("pos"), text(""));
    const bool lengths = options.weighted && options.engine == LayoutEngine::Neato;
    Agsym_t* len = lengths ? agattr(g.graph, AGEDGE, text("len"), text("1")) : nullptr;

    std::vector<Agnode_t*> handles(static_cast<std::size_t>(nodes));
    char buffer[64];
    for (int i = 0; i < nodes; ++i) {
        std::snprintf(buffer, sizeof buffer, "%d", i);
        handles[static_cast<std::size_t>(i)] = agnode(g.graph, buffer, 1);
        const Point2& p = initial.empty() ? Point2{} : initial[static_cast<std::size_t>(i)];
        if (pos && std::isfinite(p.x) && std::isfinite(p.y)) {
            // Graphviz reads pos in points (divided by 72 into inches internally).
            std::snprintf(buffer, sizeof buffer, "%.3f,%.3f", p.x, p.y);
            agxset(handles[static_cast<std::size_t>(i)], pos, buffer);
        }
    }
    for (const Edge& e : edges) {
        if (e.a == e.b) continue;
        Agedge_t* edge =
            agedge(g.graph, handles[static_cast<std::size_t>(e.a)], handles[static_cast<std::size_t>(e.b)], nullptr, 1);
        if (len && edge && std::isfinite(e.weight) && e.weight > 0) {
            const double w = std::min(1.0, std::abs(e.weight));
            std::snprintf(buffer, sizeof buffer, "%.4f", std::max(0.05, std::sqrt(2 * (1 - w))));
            agxset(edge, len, buffer);
        }
    }
    if (gvLayout(g.gvc, g.graph, layoutEngineName(options.engine)) != 0) {
        const char* why = aglasterr();
        return makeError(ErrorCode::Internal, std::string("Graphviz could not lay out the graph") +
                                                  (why && *why ? std::string(": ") + why : std::string()));
    }
    g.laidOut = true;
    for (int i = 0; i < nodes; ++i) {
        const pointf c = ND_coord(handles[static_cast<std::size_t>(i)]);
        out[static_cast<std::size_t>(i)] = {c.x, c.y};
    }
    return out;
}

void alignLayout(std::vector<Point2>& points, const std::vector<Point2>& reference) {
    if (points.size() != reference.size()) return;
    std::vector<std::size_t> both;
    for (std::size_t i = 0; i < points.size(); ++i)
        if (std::isfinite(points[i].x) && std::isfinite(points[i].y) && std::isfinite(reference[i].x) &&
            std::isfinite(reference[i].y))
            both.push_back(i);
    if (both.size() < 3) return;
    const double m = static_cast<double>(both.size());
    Eigen::Vector2d cp = Eigen::Vector2d::Zero(), cr = Eigen::Vector2d::Zero();
    for (std::size_t i : both) {
        cp += Eigen::Vector2d(points[i].x, points[i].y);
        cr += Eigen::Vector2d(reference[i].x, reference[i].y);
    }
    cp /= m;
    cr /= m;
    // Orthogonal Procrustes with scale: R = U V^T from the SVD of P^T Q, s = tr(S) / ||P||^2.
    Eigen::Matrix2d cross = Eigen::Matrix2d::Zero();
    double norm = 0;
    for (std::size_t i : both) {
        const Eigen::Vector2d p = Eigen::Vector2d(points[i].x, points[i].y) - cp;
        const Eigen::Vector2d q = Eigen::Vector2d(reference[i].x, reference[i].y) - cr;
        cross += p * q.transpose();
        norm += p.squaredNorm();
    }
    if (!(norm > 0)) return;
    Eigen::JacobiSVD<Eigen::Matrix2d> svd(cross, Eigen::ComputeFullU | Eigen::ComputeFullV);
    const Eigen::Matrix2d rotation = svd.matrixV() * svd.matrixU().transpose(); // maps p to q: q ~ s R p
    const double scale = svd.singularValues().sum() / norm;
    for (Point2& point : points) {
        if (!std::isfinite(point.x) || !std::isfinite(point.y)) continue;
        const Eigen::Vector2d moved = scale * rotation * (Eigen::Vector2d(point.x, point.y) - cp) + cr;
        point = {moved.x(), moved.y()};
    }
}

} // namespace alphascope::graph

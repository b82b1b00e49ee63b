#pragma once
// GraphBatch (internal to core/nn, no torch): the GFlowNet's states as one disjoint union of
// graphs, the arrays its RGCN encoder turns into tensors (gflownet.cpp).

#include "core/search/token_env.h"

#include <array>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace alphascope {

constexpr int kGraphRelations = 6; ///< TokenRelation types (child -> parent); their inverses follow

/// A disjoint union of state graphs, ready for the RGCN.
struct GraphBatch {
    std::vector<std::int64_t> tokens, graphOf, src, dst, rel;
    std::vector<float> norm; // 1 / |N_r(dst)|: the mean over each relation's neighbours
    std::vector<float> nodeCount;
    int graphs = 0;

    /// Adds state s_t of a trajectory: BEG + actions[0..t-1], with its forest.
    void add(const std::vector<int>& actions, int t, const std::vector<TokenBuilder::Edge>& edges, int beg) {
        const auto base = static_cast<std::int64_t>(tokens.size());
        tokens.push_back(beg);
        for (int k = 0; k < t; ++k) tokens.push_back(actions[static_cast<std::size_t>(k)]);
        for (int k = 0; k <= t; ++k) graphOf.push_back(graphs);
        nodeCount.push_back(static_cast<float>(t + 1));
        // Count each (node, relation) in-degree first, so that messages are means.
        std::map<std::pair<std::int64_t, int>, int> degree;
        std::vector<std::array<std::int64_t, 3>> local;
        for (const auto& e : edges) {
            const std::int64_t c = base + 1 + e.child, p = base + 1 + e.parent;
            const int r = static_cast<int>(e.relation);
            local.push_back({c, p, r});
            local.push_back({p, c, r + kGraphRelations});
        }
        for (const auto& l : local) ++degree[{l[1], static_cast<int>(l[2])}];
        for (const auto& l : local) {
            src.push_back(l[0]);
            dst.push_back(l[1]);
            rel.push_back(l[2]);
            norm.push_back(1.0f / static_cast<float>(degree[{l[1], static_cast<int>(l[2])}]));
        }
        ++graphs;
    }
};

} // namespace alphascope

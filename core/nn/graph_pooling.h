#pragma once
// The market hierarchy learned by graph pooling (ALGORITHMS.md §9, seed 003): on each window a
// dense GCN over the correlation graph assigns instruments softly to K1 clusters, the clusters are
// pooled into a graph of their own, and a second GCN assigns them to K2 clusters (and so on for
// more levels). MinCutPool (Bianchi et al. 2020: cut loss + orthogonality loss) or DiffPool (Ying
// et al. 2018: link-prediction loss + entropy loss), trained without labels. No torch types here.
//
// Design notes:
// - Node features: each instrument's row of the window's correlation matrix over the whole universe
//   (column j is "correlation with instrument j" in every window, so weights learned on one window
//   mean the same on the next), followed by the features of ALGORITHMS.md §9: 5-, 20- and 60-day
//   returns, 20-day volatility, the 5-day over 60-day volume ratio (log) and the 20-day correlation
//   of returns with log volume, each z-scored over the window's instruments.
// - Warm start: the first window trains `epochs` steps from a seeded initialisation, every later
//   window `warmEpochs` steps from the previous window's weights and optimiser state, and the hard
//   labels (argmax) are then matched to the previous window's (Hungarian) so a cluster keeps its
//   number. Only data up to each window's last day is used.
// - DiffPool's link loss is divided by ||A||_F (a relative reconstruction error), not by the n^2
//   entries as in PyG's dense_diff_pool: there it is an auxiliary term beside a supervised loss,
//   and at 1/n^2 it is 1e-4 of the entropy term here, so that training without labels only hardened
//   the random initial assignment (ARI 0.20 with the planted blocks on the first window).
// - Levels are nested: an instrument's hard cluster at level l is the level-l argmax of its level
//   l-1 cluster. Its soft assignment at level l is the product of the assignment matrices up to l,
//   whose mean normalised entropy is the regime signal of that level.

#include "core/graph/hierarchy_fit.h"
#include "core/graph/market_graph.h"

#include <Eigen/Core>

#include <cstdint>
#include <string_view>

namespace alphascope::nn {

enum class PoolingMethod { MinCut, DiffPool };

bool parsePoolingMethod(std::string_view text, PoolingMethod& out); ///< "mincut", "diffpool"

struct PoolingOptions {
    PoolingMethod method = PoolingMethod::MinCut;
    int hidden = 32;
    int epochs = 300;    ///< training steps on the first window
    int warmEpochs = 60; ///< on each later window, from the previous one's weights
    double learningRate = 0.01;
    std::uint64_t seed = 1;
    bool cuda = false; ///< use the GPU when LibTorch has one
    /// The graph the GCN runs on: by default each instrument's 10 most correlated neighbours.
    graph::GraphOptions graph{graph::EdgeRule::Knn, 0.5, 10, false};
};

/// The unsupervised losses of one level: MinCutPool's cut loss -tr(S'AS)/tr(S'DS) and orthogonality
/// loss ||S'S/||S'S||_F - I/sqrt(K)||_F, DiffPool's link loss ||A - SS'||_F / ||A||_F and entropy
/// loss (mean over nodes of -sum_k s log s). `assignment` rows must sum to 1.
struct PoolingLosses {
    double cut = 0, orthogonality = 0, link = 0, entropy = 0;
};
PoolingLosses poolingLosses(const Eigen::MatrixXf& adjacency, const Eigen::MatrixXf& assignment);

/// The node features described above for the active instruments of the window ending on `end`
/// (rows in the order of `active`; the first instrumentCount() columns are the correlation profile).
Eigen::MatrixXf nodeFeatures(const MarketData& data, const Panel& returns, int end, int window,
                             const std::vector<int>& active, const Eigen::MatrixXd& rho);

/// The hierarchy by MinCutPool or DiffPool: the same windows, statistics, matching and groupings as
/// graph::fitHierarchy (whose linkage it does not use). Every level needs a fixed cluster count
/// (InvalidArgument for 0). Deterministic per seed on the CPU.
Result<graph::HierarchyFit> fitPoolingHierarchy(const MarketData& data, const graph::HierarchyOptions& options,
                                                const PoolingOptions& pooling, ProgressSpan progress = {});

} // namespace alphascope::nn

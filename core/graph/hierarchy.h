#pragma once
// Agglomerative clustering on a distance matrix (the classical baseline of ALGORITHMS.md §9) and
// what is read from its dendrogram: flat clusters at a level, the leaf order of a clustermap, the
// cophenetic correlation.

#include <Eigen/Core>

#include <string_view>
#include <vector>

namespace alphascope::graph {

enum class Linkage { Single, Average, Complete, Ward };

/// "single", "average", "complete", "ward"; false for anything else.
bool parseLinkage(std::string_view text, Linkage& out);
const char* linkageName(Linkage linkage);

/// One merge, numbered as SciPy's linkage matrix: leaves are 0..n-1, the cluster made by merge k
/// is n + k; a < b.
struct Merge {
    int a = 0, b = 0;
    double height = 0;
    int size = 0;
};

/// The n - 1 merges in order of height (ties in the order they were made).
struct Dendrogram {
    int leaves = 0;
    std::vector<Merge> merges;
};

/// Agglomerative clustering of the symmetric distance matrix `dist` (finite, zero diagonal) by the
/// nearest-neighbour chain with Lance-Williams updates (O(n^2) time and memory; Ward on Euclidean
/// distances as SciPy). The result equals the greedy merge-the-closest-pair algorithm when no two
/// distances tie.
Dendrogram agglomerate(const Eigen::MatrixXd& dist, Linkage linkage);

/// Flat clusters after the first n - k merges: labels 0..k-1, numbered by each cluster's smallest
/// leaf (k is clamped to 1..n).
std::vector<int> cutTree(const Dendrogram& d, int k);

/// The leaves left to right as the dendrogram draws them (the row order of a clustermap).
std::vector<int> leafOrder(const Dendrogram& d);

/// The cophenetic distance of every pair: the height of the merge that first joins them.
Eigen::MatrixXd copheneticDistances(const Dendrogram& d);

/// Pearson correlation between the cophenetic and the original distances over all pairs i < j.
double copheneticCorrelation(const Dendrogram& d, const Eigen::MatrixXd& dist);

} // namespace alphascope::graph

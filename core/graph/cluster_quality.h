#pragma once
// How good and how stable a clustering is: silhouette, intra- and inter-cluster correlation,
// adjusted Rand index, soft-assignment entropy (the regime signal), and the label matching that
// keeps "cluster 3" the same group from one window to the next.

#include <Eigen/Core>

#include <vector>

namespace alphascope::graph {

/// Mean silhouette over the labelled points (label >= 0) of the distance matrix: s = (b - a) /
/// max(a, b) with a the mean distance to the own cluster's other members and b the smallest mean
/// distance to another cluster; 0 for a point alone in its cluster (scikit-learn's convention). NaN
/// with fewer than two clusters.
double silhouette(const Eigen::MatrixXd& dist, const std::vector<int>& labels);

/// The adjusted Rand index (Hubert and Arabie 1985) of two labelings over the points labelled (>= 0)
/// in both; 1 for identical partitions, about 0 for independent ones. NaN with fewer than two points
/// or when both partitions are trivial in the same way (the index is 0/0).
double adjustedRandIndex(const std::vector<int>& a, const std::vector<int>& b);

/// Mean finite correlation over pairs in the same cluster and over pairs in different clusters
/// (labelled points only, i != j).
struct ClusterCorrelation {
    double intra = 0, inter = 0;
};
ClusterCorrelation clusterCorrelation(const Eigen::MatrixXd& rho, const std::vector<int>& labels);

/// Mean over labelled points of the normalised entropy (0..1) of a soft assignment to the clusters:
/// p(i, c) proportional to exp(mean correlation of i with c's other members / temperature). Near 0
/// when every point belongs clearly to one cluster, near 1 when correlation structure has broken down.
double assignmentEntropy(const Eigen::MatrixXd& rho, const std::vector<int>& labels, double temperature);

/// `current` relabelled so that each of its clusters takes the label of the `previous` cluster it
/// overlaps most, as a whole (a maximum-weight matching, Hungarian algorithm); clusters left
/// unmatched get the smallest labels not used by the matched ones. Points labelled -1 stay -1.
std::vector<int> matchLabels(const std::vector<int>& previous, const std::vector<int>& current);

/// The assignment minimising the total cost of an n x m matrix (n <= m): row r gets column result[r].
std::vector<int> hungarian(const Eigen::MatrixXd& cost);

} // namespace alphascope::graph

#include "core/graph/cluster_quality.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace alphascope::graph {

namespace {

constexpr double kNaNd = std::numeric_limits<double>::quiet_NaN();

int clusterCount(const std::vector<int>& labels) {
    int k = 0;
    for (int l : labels) k = std::max(k, l + 1);
    return k;
}

} // namespace

double silhouette(const Eigen::MatrixXd& dist, const std::vector<int>& labels) {
    const int n = static_cast<int>(labels.size());
    const int k = clusterCount(labels);
    std::vector<int> size(static_cast<std::size_t>(k), 0);
    for (int l : labels)
        if (l >= 0) ++size[static_cast<std::size_t>(l)];
    int nonEmpty = 0;
    for (int s : size) nonEmpty += s > 0;
    if (nonEmpty < 2) return kNaNd;
    std::vector<double> sums(static_cast<std::size_t>(k));
    double total = 0;
    int counted = 0;
    for (int i = 0; i < n; ++i) {
        const int li = labels[static_cast<std::size_t>(i)];
        if (li < 0) continue;
        std::fill(sums.begin(), sums.end(), 0.0);
        for (int j = 0; j < n; ++j) {
            const int lj = labels[static_cast<std::size_t>(j)];
            if (lj >= 0 && j != i) sums[static_cast<std::size_t>(lj)] += dist(i, j);
        }
        ++counted;
        if (size[static_cast<std::size_t>(li)] < 2) continue; // s = 0
        const double a = sums[static_cast<std::size_t>(li)] / (size[static_cast<std::size_t>(li)] - 1);
        double b = std::numeric_limits<double>::infinity();
        for (int c = 0; c < k; ++c)
            if (c != li && size[static_cast<std::size_t>(c)] > 0)
                b = std::min(b, sums[static_cast<std::size_t>(c)] / size[static_cast<std::size_t>(c)]);
        const double m = std::max(a, b);
        if (m > 0) total += (b - a) / m;
    }
    return counted > 0 ? total / counted : kNaNd;
}

double adjustedRandIndex(const std::vector<int>& a, const std::vector<int>& b) {
    const std::size_t n = std::min(a.size(), b.size());
    const int ka = clusterCount(a), kb = clusterCount(b);
    std::vector<double> table(static_cast<std::size_t>(ka) * static_cast<std::size_t>(kb), 0.0);
    std::vector<double> rowSum(static_cast<std::size_t>(ka), 0.0), colSum(static_cast<std::size_t>(kb), 0.0);
    double m = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (a[i] < 0 || b[i] < 0) continue;
        table[static_cast<std::size_t>(a[i]) * static_cast<std::size_t>(kb) + static_cast<std::size_t>(b[i])] += 1;
        rowSum[static_cast<std::size_t>(a[i])] += 1;
        colSum[static_cast<std::size_t>(b[i])] += 1;
        m += 1;
    }
    if (m < 2) return kNaNd;
    auto pairs = [](double x) { return x * (x - 1) / 2; };
    double index = 0, sa = 0, sb = 0;
    for (double v : table) index += pairs(v);
    for (double v : rowSum) sa += pairs(v);
    for (double v : colSum) sb += pairs(v);
    const double expected = sa * sb / pairs(m);
    const double maximum = (sa + sb) / 2;
    if (maximum == expected) return kNaNd;
    return (index - expected) / (maximum - expected);
}

ClusterCorrelation clusterCorrelation(const Eigen::MatrixXd& rho, const std::vector<int>& labels) {
    const int n = static_cast<int>(labels.size());
    double si = 0, se = 0, ni = 0, ne = 0;
    for (int j = 0; j < n; ++j) {
        const int lj = labels[static_cast<std::size_t>(j)];
        if (lj < 0) continue;
        for (int i = 0; i < j; ++i) {
            const int li = labels[static_cast<std::size_t>(i)];
            const double r = rho(i, j);
            if (li < 0 || !std::isfinite(r)) continue;
            if (li == lj) {
                si += r;
                ++ni;
            } else {
                se += r;
                ++ne;
            }
        }
    }
    return {ni > 0 ? si / ni : kNaNd, ne > 0 ? se / ne : kNaNd};
}

double assignmentEntropy(const Eigen::MatrixXd& rho, const std::vector<int>& labels, double temperature) {
    const int n = static_cast<int>(labels.size());
    const int k = clusterCount(labels);
    if (k < 2 || !(temperature > 0)) return kNaNd;
    std::vector<double> sums(static_cast<std::size_t>(k)), counts(static_cast<std::size_t>(k)), p;
    double total = 0;
    int counted = 0;
    for (int i = 0; i < n; ++i) {
        if (labels[static_cast<std::size_t>(i)] < 0) continue;
        std::fill(sums.begin(), sums.end(), 0.0);
        std::fill(counts.begin(), counts.end(), 0.0);
        for (int j = 0; j < n; ++j) {
            const int lj = labels[static_cast<std::size_t>(j)];
            if (j == i || lj < 0 || !std::isfinite(rho(i, j))) continue;
            sums[static_cast<std::size_t>(lj)] += rho(i, j);
            counts[static_cast<std::size_t>(lj)] += 1;
        }
        p.clear();
        double top = -std::numeric_limits<double>::infinity();
        for (int c = 0; c < k; ++c)
            if (counts[static_cast<std::size_t>(c)] > 0) {
                p.push_back(sums[static_cast<std::size_t>(c)] / counts[static_cast<std::size_t>(c)] / temperature);
                top = std::max(top, p.back());
            }
        if (p.size() < 2) continue;
        double z = 0;
        for (double& v : p) z += (v = std::exp(v - top));
        double h = 0;
        for (double v : p)
            if (v > 0) h -= v / z * std::log(v / z);
        total += h / std::log(static_cast<double>(p.size()));
        ++counted;
    }
    return counted > 0 ? total / counted : kNaNd;
}

std::vector<int> hungarian(const Eigen::MatrixXd& cost) {
    // The O(n^2 m) shortest augmenting path form with potentials (1-based internally).
    const int n = static_cast<int>(cost.rows()), m = static_cast<int>(cost.cols());
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<double> u(static_cast<std::size_t>(n) + 1, 0.0), v(static_cast<std::size_t>(m) + 1, 0.0);
    std::vector<int> p(static_cast<std::size_t>(m) + 1, 0), way(static_cast<std::size_t>(m) + 1, 0);
    for (int i = 1; i <= n; ++i) {
        p[0] = i;
        int j0 = 0;
        std::vector<double> minv(static_cast<std::size_t>(m) + 1, inf);
        std::vector<char> used(static_cast<std::size_t>(m) + 1, 0);
        do {
            used[static_cast<std::size_t>(j0)] = 1;
            const int i0 = p[static_cast<std::size_t>(j0)];
            double delta = inf;
            int j1 = 0;
            for (int j = 1; j <= m; ++j) {
                if (used[static_cast<std::size_t>(j)]) continue;
                const double cur =
                    cost(i0 - 1, j - 1) - u[static_cast<std::size_t>(i0)] - v[static_cast<std::size_t>(j)];
                if (cur < minv[static_cast<std::size_t>(j)]) {
                    minv[static_cast<std::size_t>(j)] = cur;
                    way[static_cast<std::size_t>(j)] = j0;
                }
                if (minv[static_cast<std::size_t>(j)] < delta) {
                    delta = minv[static_cast<std::size_t>(j)];
                    j1 = j;
                }
            }
            for (int j = 0; j <= m; ++j) {
                if (used[static_cast<std::size_t>(j)]) {
                    u[static_cast<std::size_t>(p[static_cast<std::size_t>(j)])] += delta;
                    v[static_cast<std::size_t>(j)] -= delta;
                } else {
                    minv[static_cast<std::size_t>(j)] -= delta;
                }
            }
            j0 = j1;
        } while (p[static_cast<std::size_t>(j0)] != 0);
        do {
            const int j1 = way[static_cast<std::size_t>(j0)];
            p[static_cast<std::size_t>(j0)] = p[static_cast<std::size_t>(j1)];
            j0 = j1;
        } while (j0 != 0);
    }
    std::vector<int> result(static_cast<std::size_t>(n), -1);
    for (int j = 1; j <= m; ++j)
        if (p[static_cast<std::size_t>(j)] > 0)
            result[static_cast<std::size_t>(p[static_cast<std::size_t>(j)] - 1)] = j - 1;
    return result;
}

std::vector<int> matchLabels(const std::vector<int>& previous, const std::vector<int>& current) {
    const int kp = clusterCount(previous), kc = clusterCount(current);
    if (kc == 0) return current;
    const int size = std::max(kp, kc);
    Eigen::MatrixXd cost = Eigen::MatrixXd::Zero(size, size); // rows: current clusters, columns: previous labels
    const std::size_t n = std::min(previous.size(), current.size());
    for (std::size_t i = 0; i < n; ++i)
        if (current[i] >= 0 && previous[i] >= 0) cost(current[i], previous[i]) -= 1.0;
    const std::vector<int> assignment = hungarian(cost);
    std::vector<int> map(static_cast<std::size_t>(kc), -1);
    std::vector<char> taken(static_cast<std::size_t>(size), 0);
    for (int c = 0; c < kc; ++c) {
        const int p = assignment[static_cast<std::size_t>(c)];
        if (p < kp) { // a real previous cluster (overlap may be 0: still the best use of that label)
            map[static_cast<std::size_t>(c)] = p;
            taken[static_cast<std::size_t>(p)] = 1;
        }
    }
    int next = 0;
    for (int c = 0; c < kc; ++c) {
        if (map[static_cast<std::size_t>(c)] >= 0) continue;
        while (next < size && taken[static_cast<std::size_t>(next)]) ++next;
        map[static_cast<std::size_t>(c)] = next;
        taken[static_cast<std::size_t>(next)] = 1;
    }
    std::vector<int> out(current.size());
    for (std::size_t i = 0; i < current.size(); ++i)
        out[i] = current[i] < 0 ? -1 : map[static_cast<std::size_t>(current[i])];
    return out;
}

} // namespace alphascope::graph

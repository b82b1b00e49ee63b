// The nearest-neighbour chain (Murtagh 1983; Müllner 2011, "Modern hierarchical, agglomerative
// clustering algorithms", section 3.1): follow nearest neighbours until two clusters are each
// other's nearest, merge them, keep the rest of the chain. Valid for the reducible linkages here.

#include "core/graph/hierarchy.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace alphascope::graph {

bool parseLinkage(std::string_view text, Linkage& out) {
    if (text == "single")
        out = Linkage::Single;
    else if (text == "average")
        out = Linkage::Average;
    else if (text == "complete")
        out = Linkage::Complete;
    else if (text == "ward")
        out = Linkage::Ward;
    else
        return false;
    return true;
}

const char* linkageName(Linkage linkage) {
    switch (linkage) {
    case Linkage::Single: return "single";
    case Linkage::Average: return "average";
    case Linkage::Complete: return "complete";
    case Linkage::Ward: return "ward";
    }
    return "average";
}

namespace {

/// Union-find over leaves, each root remembering its current cluster number.
struct Clusters {
    std::vector<int> parent, label;
    explicit Clusters(int n) : parent(static_cast<std::size_t>(n)), label(static_cast<std::size_t>(n)) {
        std::iota(parent.begin(), parent.end(), 0);
        std::iota(label.begin(), label.end(), 0);
    }
    int root(int i) {
        while (parent[static_cast<std::size_t>(i)] != i) {
            parent[static_cast<std::size_t>(i)] = parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(i)])];
            i = parent[static_cast<std::size_t>(i)];
        }
        return i;
    }
};

} // namespace

Dendrogram agglomerate(const Eigen::MatrixXd& dist, Linkage linkage) {
    const int n = static_cast<int>(dist.rows());
    Dendrogram out;
    out.leaves = n;
    if (n < 2) return out;
    Eigen::MatrixXd d = dist;
    std::vector<int> size(static_cast<std::size_t>(n), 1);
    std::vector<char> active(static_cast<std::size_t>(n), 1);
    struct Raw {
        int leafA, leafB; // a leaf of each merged cluster (the slot that held it)
        double height;
    };
    std::vector<Raw> raw;
    raw.reserve(static_cast<std::size_t>(n - 1));
    std::vector<int> chain;
    chain.reserve(static_cast<std::size_t>(n));
    int firstActive = 0;
    while (static_cast<int>(raw.size()) < n - 1) {
        if (chain.empty()) {
            while (!active[static_cast<std::size_t>(firstActive)]) ++firstActive;
            chain.push_back(firstActive);
        }
        int a = 0, b = 0;
        while (true) {
            a = chain.back();
            const int prev = chain.size() >= 2 ? chain[chain.size() - 2] : -1;
            // The nearest active cluster; the previous link of the chain wins ties, so the chain
            // cannot cycle.
            int best = prev;
            double bestD = prev >= 0 ? d(a, prev) : std::numeric_limits<double>::infinity();
            for (int c = 0; c < n; ++c) {
                if (c == a || !active[static_cast<std::size_t>(c)]) continue;
                if (d(a, c) < bestD) {
                    bestD = d(a, c);
                    best = c;
                }
            }
            b = best;
            if (b == prev) break;
            chain.push_back(b);
        }
        chain.pop_back();
        chain.pop_back();
        const double dab = d(a, b);
        const int keep = std::min(a, b), drop = std::max(a, b);
        raw.push_back({keep, drop, dab});
        const double na = size[static_cast<std::size_t>(a)], nb = size[static_cast<std::size_t>(b)];
        for (int k = 0; k < n; ++k) {
            if (!active[static_cast<std::size_t>(k)] || k == a || k == b) continue;
            const double dka = d(k, a), dkb = d(k, b);
            double v = 0;
            switch (linkage) {
            case Linkage::Single: v = std::min(dka, dkb); break;
            case Linkage::Complete: v = std::max(dka, dkb); break;
            case Linkage::Average: v = (na * dka + nb * dkb) / (na + nb); break;
            case Linkage::Ward: {
                const double nk = size[static_cast<std::size_t>(k)];
                const double s = ((na + nk) * dka * dka + (nb + nk) * dkb * dkb - nk * dab * dab) / (na + nb + nk);
                v = std::sqrt(std::max(0.0, s));
                break;
            }
            }
            d(k, keep) = d(keep, k) = v;
        }
        size[static_cast<std::size_t>(keep)] = static_cast<int>(na + nb);
        active[static_cast<std::size_t>(drop)] = 0;
        // A chain entry pointing at the dropped slot now means the merged cluster in `keep`; both
        // were popped, so the chain holds neither.
    }
    std::stable_sort(raw.begin(), raw.end(), [](const Raw& x, const Raw& y) { return x.height < y.height; });
    Clusters clusters(n);
    out.merges.reserve(raw.size());
    std::vector<int> clusterSize(static_cast<std::size_t>(2 * n - 1), 1);
    for (std::size_t k = 0; k < raw.size(); ++k) {
        const int ra = clusters.root(raw[k].leafA), rb = clusters.root(raw[k].leafB);
        const int la = clusters.label[static_cast<std::size_t>(ra)], lb = clusters.label[static_cast<std::size_t>(rb)];
        const int label = n + static_cast<int>(k);
        clusterSize[static_cast<std::size_t>(label)] =
            clusterSize[static_cast<std::size_t>(la)] + clusterSize[static_cast<std::size_t>(lb)];
        out.merges.push_back(
            {std::min(la, lb), std::max(la, lb), raw[k].height, clusterSize[static_cast<std::size_t>(label)]});
        clusters.parent[static_cast<std::size_t>(rb)] = ra;
        clusters.label[static_cast<std::size_t>(ra)] = label;
    }
    return out;
}

std::vector<int> cutTree(const Dendrogram& d, int k) {
    const int n = d.leaves;
    std::vector<int> labels(static_cast<std::size_t>(n), 0);
    if (n == 0) return labels;
    k = std::clamp(k, 1, n);
    // Leaves of every cluster number, built merge by merge up to the cut.
    Clusters clusters(n);
    std::vector<int> leafOf(static_cast<std::size_t>(2 * n - 1));
    std::iota(leafOf.begin(), leafOf.begin() + n, 0);
    for (int m = 0; m < n - k; ++m) {
        const Merge& g = d.merges[static_cast<std::size_t>(m)];
        const int ra = clusters.root(leafOf[static_cast<std::size_t>(g.a)]);
        const int rb = clusters.root(leafOf[static_cast<std::size_t>(g.b)]);
        clusters.parent[static_cast<std::size_t>(rb)] = ra;
        leafOf[static_cast<std::size_t>(n + m)] = ra;
    }
    std::vector<int> labelOfRoot(static_cast<std::size_t>(n), -1);
    int next = 0;
    for (int i = 0; i < n; ++i) {
        int& l = labelOfRoot[static_cast<std::size_t>(clusters.root(i))];
        if (l < 0) l = next++;
        labels[static_cast<std::size_t>(i)] = l;
    }
    return labels;
}

std::vector<int> leafOrder(const Dendrogram& d) {
    const int n = d.leaves;
    std::vector<int> order;
    if (n == 0) return order;
    if (n == 1) return {0};
    std::vector<int> stack{n + static_cast<int>(d.merges.size()) - 1};
    while (!stack.empty()) {
        const int c = stack.back();
        stack.pop_back();
        if (c < n) {
            order.push_back(c);
            continue;
        }
        const Merge& m = d.merges[static_cast<std::size_t>(c - n)];
        stack.push_back(m.b); // a is drawn first (left)
        stack.push_back(m.a);
    }
    return order;
}

Eigen::MatrixXd copheneticDistances(const Dendrogram& d) {
    const int n = d.leaves;
    Eigen::MatrixXd c = Eigen::MatrixXd::Zero(n, n);
    std::vector<std::vector<int>> members(static_cast<std::size_t>(std::max(0, 2 * n - 1)));
    for (int i = 0; i < n; ++i) members[static_cast<std::size_t>(i)] = {i};
    for (std::size_t k = 0; k < d.merges.size(); ++k) {
        const Merge& m = d.merges[k];
        auto& a = members[static_cast<std::size_t>(m.a)];
        auto& b = members[static_cast<std::size_t>(m.b)];
        for (int i : a)
            for (int j : b) c(i, j) = c(j, i) = m.height;
        auto& joined = members[static_cast<std::size_t>(n) + k];
        joined = std::move(a);
        joined.insert(joined.end(), b.begin(), b.end());
        b.clear();
    }
    return c;
}

double copheneticCorrelation(const Dendrogram& d, const Eigen::MatrixXd& dist) {
    const Eigen::MatrixXd c = copheneticDistances(d);
    const int n = d.leaves;
    double sx = 0, sy = 0, cnt = 0;
    for (int j = 1; j < n; ++j)
        for (int i = 0; i < j; ++i) {
            sx += c(i, j);
            sy += dist(i, j);
            ++cnt;
        }
    if (cnt < 2) return std::numeric_limits<double>::quiet_NaN();
    const double mx = sx / cnt, my = sy / cnt;
    double sxx = 0, syy = 0, sxy = 0;
    for (int j = 1; j < n; ++j)
        for (int i = 0; i < j; ++i) {
            const double a = c(i, j) - mx, b = dist(i, j) - my;
            sxx += a * a;
            syy += b * b;
            sxy += a * b;
        }
    if (!(sxx > 0) || !(syy > 0)) return std::numeric_limits<double>::quiet_NaN();
    return sxy / std::sqrt(sxx * syy);
}

} // namespace alphascope::graph

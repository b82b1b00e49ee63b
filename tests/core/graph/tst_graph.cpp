// Tests of core/graph: return correlation against a slow reference, agglomerative clustering
// against the greedy algorithm and hand-worked cases, silhouette / ARI / Hungarian / MST against
// brute force and hand values, and the time-varying hierarchy on a planted block market (blocks
// recovered, the regime signal rising where the structure breaks, no look-ahead, group operators).

#include "core/eval/evaluator.h"
#include "core/expr/parser.h"
#include "core/graph/cluster_quality.h"
#include "core/graph/hierarchy.h"
#include "core/graph/hierarchy_fit.h"
#include "core/graph/market_graph.h"
#include "core/graph/return_correlation.h"
#include "core/util/ranking.h"

#include "tests/support/graph_support.h"
#include "tests/support/test_support.h"

#include <QtTest/QtTest>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <set>
#include <vector>

using namespace alphascope;
using namespace alphascope::graph;
using alphascope::test::near;
using alphascope::test::plantedBlocks;

namespace {

// ---- slow references ----

double refPairCorrelation(const Panel& r, int end, int window, int minOverlap, int a, int b, bool spearman) {
    std::vector<double> x, y;
    for (int t = std::max(0, end - window + 1); t <= end; ++t)
        if (std::isfinite(r.at(t, a)) && std::isfinite(r.at(t, b))) {
            x.push_back(r.at(t, a));
            y.push_back(r.at(t, b));
        }
    const std::size_t n = x.size();
    if (static_cast<int>(n) < minOverlap || n < 2) return std::nan("");
    if (spearman) { // O(n^2) average ranks
        auto rank = [](const std::vector<double>& v) {
            std::vector<double> out(v.size());
            for (std::size_t i = 0; i < v.size(); ++i) {
                double less = 0, equal = 0;
                for (double w : v) {
                    less += w < v[i];
                    equal += w == v[i];
                }
                out[i] = less + (equal + 1) / 2;
            }
            return out;
        };
        x = rank(x);
        y = rank(y);
    }
    double mx = 0, my = 0;
    for (std::size_t i = 0; i < n; ++i) {
        mx += x[i] / n;
        my += y[i] / n;
    }
    double sxx = 0, syy = 0, sxy = 0;
    for (std::size_t i = 0; i < n; ++i) {
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
        sxy += (x[i] - mx) * (y[i] - my);
    }
    double scale = 0;
    for (double v : x) scale = std::max(scale, std::fabs(v));
    if (sxx <= 1e-20 || syy <= 1e-20) return std::nan("");
    return sxy / std::sqrt(sxx * syy);
}

/// The greedy algorithm: merge the closest pair of clusters, distances between clusters computed
/// from the definitions (min, max, mean of member distances; Ward's increase of the sum of squares
/// from the points' coordinates).
struct GreedyMerge {
    std::vector<int> a, b; // member lists
    double height;
};
std::vector<GreedyMerge> greedy(const std::vector<std::vector<double>>& points, Linkage linkage) {
    const int n = static_cast<int>(points.size());
    auto dist = [&](int i, int j) {
        double s = 0;
        for (std::size_t k = 0; k < points[0].size(); ++k)
            s += (points[i][k] - points[j][k]) * (points[i][k] - points[j][k]);
        return std::sqrt(s);
    };
    auto between = [&](const std::vector<int>& A, const std::vector<int>& B) {
        if (linkage == Linkage::Ward) {
            const std::size_t dim = points[0].size();
            std::vector<double> ca(dim, 0), cb(dim, 0);
            for (int i : A)
                for (std::size_t k = 0; k < dim; ++k) ca[k] += points[i][k] / A.size();
            for (int i : B)
                for (std::size_t k = 0; k < dim; ++k) cb[k] += points[i][k] / B.size();
            double s = 0;
            for (std::size_t k = 0; k < dim; ++k) s += (ca[k] - cb[k]) * (ca[k] - cb[k]);
            const double na = A.size(), nb = B.size();
            return std::sqrt(2.0 * na * nb / (na + nb)) * std::sqrt(s);
        }
        double lo = 1e300, hi = 0, sum = 0;
        for (int i : A)
            for (int j : B) {
                const double d = dist(i, j);
                lo = std::min(lo, d);
                hi = std::max(hi, d);
                sum += d;
            }
        if (linkage == Linkage::Single) return lo;
        if (linkage == Linkage::Complete) return hi;
        return sum / (A.size() * B.size());
    };
    std::vector<std::vector<int>> clusters;
    for (int i = 0; i < n; ++i) clusters.push_back({i});
    std::vector<GreedyMerge> out;
    while (clusters.size() > 1) {
        std::size_t bi = 0, bj = 1;
        double best = 1e300;
        for (std::size_t i = 0; i < clusters.size(); ++i)
            for (std::size_t j = i + 1; j < clusters.size(); ++j) {
                const double d = between(clusters[i], clusters[j]);
                if (d < best) {
                    best = d;
                    bi = i;
                    bj = j;
                }
            }
        out.push_back({clusters[bi], clusters[bj], best});
        clusters[bi].insert(clusters[bi].end(), clusters[bj].begin(), clusters[bj].end());
        clusters.erase(clusters.begin() + static_cast<std::ptrdiff_t>(bj));
    }
    return out;
}

Eigen::MatrixXd distances(const std::vector<std::vector<double>>& points) {
    const int n = static_cast<int>(points.size());
    Eigen::MatrixXd d(n, n);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            double s = 0;
            for (std::size_t k = 0; k < points[0].size(); ++k)
                s += (points[i][k] - points[j][k]) * (points[i][k] - points[j][k]);
            d(i, j) = std::sqrt(s);
        }
    return d;
}

double refSilhouette(const Eigen::MatrixXd& d, const std::vector<int>& labels) {
    const int n = static_cast<int>(labels.size());
    std::set<int> ks(labels.begin(), labels.end());
    double total = 0;
    for (int i = 0; i < n; ++i) {
        double a = 0, na = 0;
        for (int j = 0; j < n; ++j)
            if (j != i && labels[j] == labels[i]) {
                a += d(i, j);
                ++na;
            }
        if (na == 0) continue; // s = 0
        a /= na;
        double b = 1e300;
        for (int k : ks) {
            if (k == labels[i]) continue;
            double s = 0, c = 0;
            for (int j = 0; j < n; ++j)
                if (labels[j] == k) {
                    s += d(i, j);
                    ++c;
                }
            b = std::min(b, s / c);
        }
        total += (b - a) / std::max(a, b);
    }
    return total / n;
}

double refAri(const std::vector<int>& a, const std::vector<int>& b) {
    // Pair counting: agreements of "same cluster" over all pairs, then Hubert-Arabie's adjustment
    // written with the four pair counts.
    const std::size_t n = a.size();
    double ss = 0, sd = 0, ds = 0, dd = 0;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n; ++j) {
            const bool sa = a[i] == a[j], sb = b[i] == b[j];
            (sa ? (sb ? ss : sd) : (sb ? ds : dd)) += 1;
        }
    return 2.0 * (ss * dd - sd * ds) / ((ss + sd) * (sd + dd) + (ss + ds) * (ds + dd));
}

} // namespace

class TestGraph : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void correlationMatchesReference_data();
    void correlationMatchesReference();
    void correlationHandCases();
    void windowEndsCoverTheCalendar();
    void agglomerateHandCases();
    void agglomerateMatchesGreedy_data();
    void agglomerateMatchesGreedy();
    void copheneticAndLeafOrder();
    void silhouetteAndAri();
    void hungarianMatchesBruteForce();
    void matchLabelsUndoesAPermutation();
    void spanningTreeMatchesBruteForce();
    void graphEdges();
    void plantedBlocksAreRecovered();
    void gapStatisticByHand();
    void regimeSignalRisesWhenStructureBreaks();
    void noLookAhead();
    void groupOperatorsUseTimeVaryingLevels();
    void badOptionsAreRefused();
};

void TestGraph::correlationMatchesReference_data() {
    QTest::addColumn<bool>("spearman");
    QTest::newRow("pearson") << false;
    QTest::newRow("spearman") << true;
}

void TestGraph::correlationMatchesReference() {
    QFETCH(bool, spearman);
    std::mt19937_64 rng(7);
    std::normal_distribution<double> z(0.0, 1.0);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const int T = 90, N = 14;
    Panel r(T, N, kNaN);
    for (int t = 0; t < T; ++t) {
        const double common = z(rng);
        for (int i = 0; i < N; ++i) {
            if (i >= 3 && u(rng) < 0.15) continue; // gaps in most series (the first three are complete)
            // Series 5 is constant in the window, series 6 takes few distinct values (ties), series 7
            // is nearly absent.
            double v = 0.3 * common * (i % 3) + z(rng);
            if (i == 5) v = 10.0; // 0.1 a day, not a binary fraction
            if (i == 6) v = std::round(v);
            if (i == 7 && t % 9 != 0) continue;
            r.at(t, i) = static_cast<float>(0.01 * v + (i == 2 ? 3.0 : 0.0)); // a large offset on one series
        }
    }
    for (int end : {40, 89})
        for (int minOverlap : {5, 30}) {
            const Eigen::MatrixXd rho = windowCorrelation(
                r, end, 41, minOverlap, spearman ? CorrelationMethod::Spearman : CorrelationMethod::Pearson);
            for (int a = 0; a < N; ++a)
                for (int b = 0; b < N; ++b) {
                    const double ref =
                        a == b
                            ? (std::isfinite(refPairCorrelation(r, end, 41, minOverlap, a, a, spearman)) ? 1.0
                                                                                                         : std::nan(""))
                            : refPairCorrelation(r, end, 41, minOverlap, a, b, spearman);
                    QVERIFY2(near(rho(a, b), ref, 1e-6),
                             qPrintable(QStringLiteral("end %1 overlap %2 pair %3,%4: %5 vs %6")
                                            .arg(end)
                                            .arg(minOverlap)
                                            .arg(a)
                                            .arg(b)
                                            .arg(rho(a, b))
                                            .arg(ref)));
                }
        }
}

void TestGraph::correlationHandCases() {
    // Two series equal up to scale, one reversed, one constant.
    const Panel r = test::makePanel({{1, -2, 5, 3}, {2, -4, 5, 1}, {3, -6, 5, 2}, {4, -8, 5, kNaN}});
    const Eigen::MatrixXd p = windowCorrelation(r, 3, 4, 3);
    CHECK_NEAR(p(0, 1), -1.0, 1e-12);
    CHECK_NEAR(p(0, 0), 1.0, 1e-12);
    QVERIFY(std::isnan(p(0, 2))); // constant
    QVERIFY(std::isnan(p(2, 2)));
    // Series 3 on days 0..2 only: 3, 1, 2 against 1, 2, 3 -> Pearson -0.5.
    CHECK_NEAR(p(0, 3), -0.5, 1e-12);
    const Eigen::MatrixXd q = windowCorrelation(r, 3, 4, 4);
    QVERIFY(std::isnan(q(0, 3))); // only 3 common days
    const Eigen::MatrixXd d = correlationDistance(p);
    CHECK_NEAR(d(0, 1), 2.0, 1e-12);
    CHECK_NEAR(d(0, 2), std::sqrt(2.0), 1e-12); // NaN counts as uncorrelated
    CHECK_NEAR(d(0, 0), 0.0, 1e-12);
    // Log returns.
    const Panel c = test::makePanel({{100, 10}, {110, kNaN}, {121, 5}});
    const Panel lr = logReturns(c);
    QVERIFY(std::isnan(lr.at(0, 0)));
    CHECK_NEAR(lr.at(1, 0), std::log(1.1), 1e-6);
    QVERIFY(std::isnan(lr.at(1, 1)) && std::isnan(lr.at(2, 1)));
}

void TestGraph::windowEndsCoverTheCalendar() {
    QCOMPARE(windowEnds(100, 60, 20), (std::vector<int>{59, 79, 99}));
    QCOMPARE(windowEnds(105, 60, 20), (std::vector<int>{59, 79, 99, 104}));
    QVERIFY(windowEnds(50, 60, 20).empty());
}

void TestGraph::agglomerateHandCases() {
    // Points 0, 1, 4, 9 on a line.
    const Eigen::MatrixXd d = distances({{0}, {1}, {4}, {9}});
    struct Case {
        Linkage l;
        double h2, h3;
    };
    for (const Case& c :
         {Case{Linkage::Single, 3, 5}, Case{Linkage::Complete, 4, 9}, Case{Linkage::Average, 3.5, 22.0 / 3},
          Case{Linkage::Ward, std::sqrt(4.0 / 3) * 3.5, std::sqrt(1.5) * (9 - 5.0 / 3)}}) {
        const Dendrogram g = agglomerate(d, c.l);
        QCOMPARE(g.merges.size(), std::size_t(3));
        QCOMPARE(g.merges[0].a, 0);
        QCOMPARE(g.merges[0].b, 1);
        CHECK_NEAR(g.merges[0].height, 1.0, 1e-12);
        QCOMPARE(g.merges[1].a, 2); // leaf 2 joins cluster 4 = {0, 1}
        QCOMPARE(g.merges[1].b, 4);
        CHECK_NEAR(g.merges[1].height, c.h2, 1e-12);
        QCOMPARE(g.merges[2].a, 3);
        QCOMPARE(g.merges[2].b, 5);
        QCOMPARE(g.merges[2].size, 4);
        CHECK_NEAR(g.merges[2].height, c.h3, 1e-12);
        QCOMPARE(cutTree(g, 2), (std::vector<int>{0, 0, 0, 1}));
        QCOMPARE(cutTree(g, 3), (std::vector<int>{0, 0, 1, 2}));
        QCOMPARE(cutTree(g, 4), (std::vector<int>{0, 1, 2, 3}));
        QCOMPARE(cutTree(g, 1), (std::vector<int>{0, 0, 0, 0}));
    }
}

void TestGraph::agglomerateMatchesGreedy_data() {
    QTest::addColumn<int>("linkage");
    QTest::newRow("single") << int(Linkage::Single);
    QTest::newRow("average") << int(Linkage::Average);
    QTest::newRow("complete") << int(Linkage::Complete);
    QTest::newRow("ward") << int(Linkage::Ward);
}

void TestGraph::agglomerateMatchesGreedy() {
    QFETCH(int, linkage);
    std::mt19937_64 rng(11);
    std::normal_distribution<double> z(0.0, 1.0);
    for (int rep = 0; rep < 5; ++rep) {
        std::vector<std::vector<double>> points(25, std::vector<double>(3));
        for (auto& p : points)
            for (auto& v : p) v = z(rng);
        const auto ref = greedy(points, static_cast<Linkage>(linkage));
        const Dendrogram g = agglomerate(distances(points), static_cast<Linkage>(linkage));
        QCOMPARE(g.merges.size(), ref.size());
        for (std::size_t k = 0; k < ref.size(); ++k) CHECK_NEAR(g.merges[k].height, ref[k].height, 1e-9);
        // Every cut: the greedy clusters after the same number of merges.
        const int n = 25;
        for (int k = 1; k <= n; ++k) {
            std::vector<int> refLabels(n);
            std::iota(refLabels.begin(), refLabels.end(), 0);
            for (int m = 0; m < n - k; ++m) {
                const int to = refLabels[ref[static_cast<std::size_t>(m)].a.front()];
                const int from = refLabels[ref[static_cast<std::size_t>(m)].b.front()];
                for (int& l : refLabels)
                    if (l == from) l = to;
            }
            QCOMPARE(adjustedRandIndex(cutTree(g, k), refLabels) > 0.999999 || k == n || k == 1, true);
            std::set<int> distinct(refLabels.begin(), refLabels.end());
            const std::vector<int> cut = cutTree(g, k);
            QCOMPARE(static_cast<int>(std::set<int>(cut.begin(), cut.end()).size()), static_cast<int>(distinct.size()));
        }
    }
}

void TestGraph::copheneticAndLeafOrder() {
    const Eigen::MatrixXd d = distances({{0}, {1}, {4}, {9}});
    const Dendrogram g = agglomerate(d, Linkage::Single);
    const Eigen::MatrixXd c = copheneticDistances(g);
    CHECK_NEAR(c(0, 1), 1.0, 0);
    CHECK_NEAR(c(0, 2), 3.0, 0);
    CHECK_NEAR(c(1, 2), 3.0, 0);
    CHECK_NEAR(c(2, 3), 5.0, 0);
    CHECK_NEAR(c(0, 3), 5.0, 0);
    // Pearson of (1, 3, 3, 5, 5, 5) against (1, 4, 3, 9, 8, 5) by hand: means 22/6 and 30/6.
    const double cx[] = {1, 3, 3, 5, 5, 5}, dx[] = {1, 4, 3, 9, 8, 5};
    double sxy = 0, sxx = 0, syy = 0;
    for (int k = 0; k < 6; ++k) {
        sxy += (cx[k] - 22.0 / 6) * (dx[k] - 5.0);
        sxx += (cx[k] - 22.0 / 6) * (cx[k] - 22.0 / 6);
        syy += (dx[k] - 5.0) * (dx[k] - 5.0);
    }
    CHECK_NEAR(copheneticCorrelation(g, d), sxy / std::sqrt(sxx * syy), 1e-12);
    QCOMPARE(leafOrder(g), (std::vector<int>{3, 2, 0, 1}));
}

void TestGraph::silhouetteAndAri() {
    const Eigen::MatrixXd d = distances({{0}, {1}, {10}, {11}});
    const double s0 = (10.5 - 1) / 10.5, s1 = (9.5 - 1) / 9.5;
    CHECK_NEAR(silhouette(d, {0, 0, 1, 1}), (2 * s0 + 2 * s1) / 4, 1e-12);
    QVERIFY(std::isnan(silhouette(d, {0, 0, 0, 0})));
    CHECK_NEAR(adjustedRandIndex({0, 0, 1, 1}, {1, 1, 0, 0}), 1.0, 1e-12);
    CHECK_NEAR(adjustedRandIndex({0, 0, 1, 1}, {0, 1, 0, 1}), -0.5, 1e-12);
    std::mt19937_64 rng(3);
    std::normal_distribution<double> z(0.0, 1.0);
    for (int rep = 0; rep < 20; ++rep) {
        const int n = 30;
        std::vector<std::vector<double>> pts(n, std::vector<double>(2));
        for (auto& p : pts)
            for (auto& v : p) v = z(rng);
        std::vector<int> a(n), b(n);
        for (int i = 0; i < n; ++i) {
            a[i] = static_cast<int>(rng() % 4);
            b[i] = static_cast<int>(rng() % 3);
        }
        a[0] = 3; // a singleton is likely somewhere; make sure every label of `a` occurs
        CHECK_NEAR(silhouette(distances(pts), a), refSilhouette(distances(pts), a), 1e-12);
        CHECK_NEAR(adjustedRandIndex(a, b), refAri(a, b), 1e-12);
    }
    // Unlabelled points are left out of both.
    CHECK_NEAR(adjustedRandIndex({0, 0, 1, 1, -1}, {0, 0, 1, 1, 0}), 1.0, 1e-12);
}

void TestGraph::hungarianMatchesBruteForce() {
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> u(0.0, 10.0);
    for (int rep = 0; rep < 20; ++rep) {
        const int n = 5;
        Eigen::MatrixXd c(n, n);
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j) c(i, j) = std::round(u(rng));
        std::vector<int> perm(n);
        std::iota(perm.begin(), perm.end(), 0);
        double best = 1e300;
        do {
            double s = 0;
            for (int i = 0; i < n; ++i) s += c(i, perm[i]);
            best = std::min(best, s);
        } while (std::next_permutation(perm.begin(), perm.end()));
        const std::vector<int> h = hungarian(c);
        double s = 0;
        std::set<int> used;
        for (int i = 0; i < n; ++i) {
            s += c(i, h[i]);
            used.insert(h[i]);
        }
        QCOMPARE(static_cast<int>(used.size()), n);
        CHECK_NEAR(s, best, 1e-12);
    }
}

void TestGraph::matchLabelsUndoesAPermutation() {
    const std::vector<int> prev{0, 0, 1, 1, 2, 2, 2, -1};
    const std::vector<int> cur{2, 2, 0, 0, 1, 1, 0, 1}; // one point moved, one new
    QCOMPARE(matchLabels(prev, cur), (std::vector<int>{0, 0, 1, 1, 2, 2, 1, 2}));
    // A new fourth cluster gets the free label 3.
    QCOMPARE(matchLabels(prev, std::vector<int>{1, 1, 0, 0, 2, 2, 3, -1}), (std::vector<int>{0, 0, 1, 1, 2, 2, 3, -1}));
}

void TestGraph::spanningTreeMatchesBruteForce() {
    std::mt19937_64 rng(9);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (int rep = 0; rep < 5; ++rep) {
        const int n = 6;
        Eigen::MatrixXd d = Eigen::MatrixXd::Zero(n, n);
        std::vector<std::pair<int, int>> edges;
        for (int i = 0; i < n; ++i)
            for (int j = i + 1; j < n; ++j) {
                d(i, j) = d(j, i) = u(rng);
                edges.push_back({i, j});
            }
        double best = 1e300;
        const int m = static_cast<int>(edges.size());
        for (int mask = 0; mask < (1 << m); ++mask) {
            if (__builtin_popcount(static_cast<unsigned>(mask)) != n - 1) continue;
            std::vector<int> comp(n);
            std::iota(comp.begin(), comp.end(), 0);
            double s = 0;
            for (int e = 0; e < m; ++e)
                if (mask >> e & 1) {
                    s += d(edges[e].first, edges[e].second);
                    const int from = comp[edges[e].second], to = comp[edges[e].first];
                    for (int& c : comp)
                        if (c == from) c = to;
                }
            if (std::set<int>(comp.begin(), comp.end()).size() == 1) best = std::min(best, s);
        }
        const auto tree = minimumSpanningTree(d);
        QCOMPARE(static_cast<int>(tree.size()), n - 1);
        double s = 0;
        for (const auto& e : tree) s += e.weight;
        CHECK_NEAR(s, best, 1e-12);
    }
    // An inactive node is left out: a tree over the others.
    Eigen::MatrixXd d = Eigen::MatrixXd::Ones(4, 4);
    QCOMPARE(minimumSpanningTree(d, {1, 1, 0, 1}).size(), std::size_t(2));
}

void TestGraph::graphEdges() {
    Eigen::MatrixXd rho(4, 4);
    rho << 1, 0.9, 0.1, -0.6, 0.9, 1, 0.2, 0.3, 0.1, 0.2, 1, 0.4, -0.6, 0.3, 0.4, 1;
    GraphOptions o;
    o.threshold = 0.5;
    MarketGraph g = buildGraph(rho, o);
    QCOMPARE(g.edges.size(), std::size_t(2)); // 0-1 (0.9) and 0-3 (|-0.6|)
    CHECK_NEAR(g.edges[1].weight, 0.6, 1e-12);
    o.rule = EdgeRule::Knn;
    o.k = 1;
    g = buildGraph(rho, o); // nearest: 0->1, 1->0, 2->3, 3->0
    QCOMPARE(g.edges.size(), std::size_t(3));
    QCOMPARE(g.degree(), (std::vector<int>{2, 1, 1, 2}));
    o.rule = EdgeRule::Both;
    g = buildGraph(rho, o, {0, 1, 1, -1}); // threshold edges plus 1-2 by sector
    QCOMPARE(g.edges.size(), std::size_t(3));
    QVERIFY(g.edges[2].sector && !g.edges[2].correlation && g.edges[2].a == 1 && g.edges[2].b == 2);
    CHECK_NEAR(g.density(), 0.5, 1e-12);
}

void TestGraph::plantedBlocksAreRecovered() {
    const MarketData d = plantedBlocks(400, 4, 15, 1.0, 1000, 21);
    for (Linkage l : {Linkage::Average, Linkage::Ward, Linkage::Complete}) {
        HierarchyOptions o;
        o.linkage = l;
        o.levels = {4, 2};
        auto fit = fitHierarchy(d, o);
        QVERIFY2(fit.ok(), fit.ok() ? "" : fit.error().message.c_str());
        QCOMPARE(fit->groupings.size(), std::size_t(2));
        QCOMPARE(fit->groupings[0].name, std::string("h1"));
        for (const WindowFit& w : fit->windows) {
            QCOMPARE(w.active, 60);
            QVERIFY2(w.levels[0].ariCompared >= 0.9, qPrintable(QString::number(w.levels[0].ariCompared)));
            QVERIFY(w.levels[0].intra > w.levels[0].inter + 0.3);
            QVERIFY(w.levels[0].largestShare <= 0.3); // 15 of 60 when recovered exactly
        }
        QVERIFY(fit->meanOver(0, &LevelWindow::ariPrevious) >= 0.9);
        QVERIFY(fit->meanOver(0, &LevelWindow::silhouette) > 0.2);
        // Matched labels: the same blocks keep the same numbers from window to window.
        for (std::size_t k = 1; k < fit->windows.size(); ++k) {
            int same = 0;
            for (int i = 0; i < 60; ++i) same += fit->windows[k].labels[0][i] == fit->windows[k - 1].labels[0][i];
            QVERIFY(same >= 57);
        }
    }
    // The count chosen by silhouette is the planted one.
    HierarchyOptions o;
    o.levels = {0};
    auto fit = fitHierarchy(d, o);
    QVERIFY(fit.ok());
    for (const WindowFit& w : fit->windows) QCOMPARE(w.levels[0].clusters, 4);
    // And by the gap statistic against windows shuffled in time.
    o.gapStatistic = true;
    o.gapReferences = 20;
    o.maxClusters = 10;
    fit = fitHierarchy(d, o);
    QVERIFY(fit.ok());
    for (const WindowFit& w : fit->windows)
        QVERIFY2(w.levels[0].clusters == 4, qPrintable(QString::number(w.levels[0].clusters)));
}

void TestGraph::gapStatisticByHand() {
    // Two tight pairs far apart; references: four points spread out on a line.
    const Eigen::MatrixXd d = distances({{0}, {0.1}, {10}, {10.1}});
    const Eigen::MatrixXd r = distances({{0}, {3}, {7}, {10.2}});
    std::vector<double> gap, spread;
    const int k = clustersByGap(d, {r, r}, Linkage::Ward, 2, &gap, &spread);
    QCOMPARE(k, 2);
    // W1 = (sum over the 6 pairs of d^2) / 4, W2 = (0.01 + 0.01) / 2 (each pair over twice its size 2).
    const double w1 = (0.01 + 100 + 102.01 + 98.01 + 100 + 0.01) / 4, w2 = 0.01;
    const double r1 = (9 + 49 + 104.04 + 16 + 51.84 + 10.24) / 4, r2 = 9.0 / 2 + 10.24 / 2; // Ward: {0, 3} {7, 10.2}
    CHECK_NEAR(gap[0], std::log(r1) - std::log(w1), 1e-9);
    CHECK_NEAR(gap[1], std::log(r2) - std::log(w2), 1e-9);
    CHECK_NEAR(spread[1], 0.0, 1e-12); // identical references
}

void TestGraph::regimeSignalRisesWhenStructureBreaks() {
    const MarketData d = plantedBlocks(600, 4, 15, 1.0, 300, 22);
    HierarchyOptions o;
    o.levels = {4};
    auto fit = fitHierarchy(d, o);
    QVERIFY(fit.ok());
    double before = 0, after = 0, cBefore = 0, cAfter = 0;
    int nb = 0, na = 0;
    for (const WindowFit& w : fit->windows) {
        if (w.end < 300) {
            before += w.levels[0].entropy;
            cBefore += w.meanCorrelation;
            ++nb;
        } else if (w.end - o.window >= 300) {
            after += w.levels[0].entropy;
            cAfter += w.meanCorrelation;
            ++na;
        }
    }
    QVERIFY(nb >= 3 && na >= 3);
    before /= nb;
    after /= na;
    QVERIFY2(after > before + 0.3, qPrintable(QStringLiteral("entropy %1 -> %2").arg(before).arg(after)));
    // Within a block rho = 0.5, and 14 of an instrument's 59 partners share its block: 0.12 before.
    QVERIFY2(cBefore / nb > 0.08 && std::fabs(cAfter / na) < 0.03,
             qPrintable(QStringLiteral("mean correlation %1 -> %2").arg(cBefore / nb).arg(cAfter / na)));
    // The daily series: NaN before the first fit, then the fits' values held.
    const std::vector<double> daily = fit->daily(d.days(), 0, &LevelWindow::entropy);
    QVERIFY(std::isnan(daily[static_cast<std::size_t>(fit->windows[0].end - 1)]));
    CHECK_NEAR(daily[static_cast<std::size_t>(fit->windows[1].end)], fit->windows[1].levels[0].entropy, 0);
    CHECK_NEAR(daily[static_cast<std::size_t>(fit->windows[2].end - 1)], fit->windows[1].levels[0].entropy, 0);
}

void TestGraph::noLookAhead() {
    const MarketData d = plantedBlocks(300, 3, 10, 0.7, 1000, 23);
    MarketData changed = d;
    auto close = std::make_shared<Panel>(*d.field("close"));
    const int cut = 190;
    std::mt19937_64 rng(1);
    for (int t = cut; t < close->days(); ++t)
        for (int i = 0; i < close->instruments(); ++i) close->at(t, i) = static_cast<float>(50 + rng() % 100);
    changed.fields["close"] = close;
    HierarchyOptions o;
    o.levels = {3, 2};
    o.window = 40;
    o.step = 10;
    auto a = fitHierarchy(d, o), b = fitHierarchy(changed, o);
    QVERIFY(a.ok() && b.ok());
    const int N = d.instrumentCount();
    for (std::size_t l = 0; l < 2; ++l) {
        const auto& da = a->groupings[l].daily;
        const auto& db = b->groupings[l].daily;
        QVERIFY(std::equal(da.begin(), da.begin() + static_cast<std::ptrdiff_t>(cut) * N, db.begin()));
        QVERIFY(!std::equal(da.begin(), da.end(), db.begin())); // the change is seen after the cut
    }
}

void TestGraph::groupOperatorsUseTimeVaryingLevels() {
    const MarketData d = plantedBlocks(200, 3, 8, 1.0, 1000, 24);
    HierarchyOptions o;
    o.levels = {3};
    o.window = 40;
    o.step = 25;
    auto fit = fitHierarchy(d, o);
    QVERIFY(fit.ok());
    auto data = withGroupings(d, fit->groupings);
    const Grouping* h1 = data->grouping("h1");
    QVERIFY(h1 && h1->timeVarying());
    QCOMPARE(h1->daily.size(), std::size_t(200) * 24);
    // Evaluate GroupDemean($close, h1) and check each day against the day's own groups.
    auto evaluator = std::make_shared<Evaluator>(std::shared_ptr<const MarketData>(data));
    auto e = parseFormula("GroupDemean($close, h1)", parseOptionsFor(*data, false));
    QVERIFY(e.ok());
    auto v = evaluator->evaluate(e.value());
    QVERIFY(v.ok());
    const Panel& out = *v.value();
    const Panel& c = *data->field("close");
    for (int t = 0; t < 200; ++t) {
        const int* ids = h1->idsOn(t);
        for (int i = 0; i < 24; ++i) {
            if (ids[i] < 0) {
                QVERIFY(std::isnan(out.at(t, i)));
                continue;
            }
            double s = 0, n = 0;
            for (int j = 0; j < 24; ++j)
                if (ids[j] == ids[i]) {
                    s += c.at(t, j);
                    ++n;
                }
            QVERIFY(near(out.at(t, i), c.at(t, i) - s / n, 1e-4));
        }
    }
    QVERIFY(std::isnan(out.at(fit->windows[0].end - 1, 0)));
    QVERIFY(std::isfinite(out.at(fit->windows[0].end, 0)));
    // A slice keeps the days' ids.
    auto s = data->slice(120, {3, 1});
    QCOMPARE(s->grouping("h1")->daily.size(), std::size_t(240));
    QCOMPARE(s->grouping("h1")->idsOn(100)[1], h1->idsOn(100)[1]);
    QCOMPARE(s->grouping("h1")->idsOn(100)[0], h1->idsOn(100)[3]);
}

void TestGraph::badOptionsAreRefused() {
    const MarketData d = plantedBlocks(80, 2, 5, 1.0, 1000, 25);
    HierarchyOptions o;
    o.levels = {3, 5};
    QCOMPARE(fitHierarchy(d, o).error().code, ErrorCode::InvalidArgument);
    o.levels = {3};
    o.window = 200;
    QVERIFY(!fitHierarchy(d, o).ok());
    HierarchyOptions spec;
    std::string error;
    QVERIFY(parseHierarchySpec("ward:12,4,0", spec, error));
    QCOMPARE(spec.linkage, Linkage::Ward);
    QCOMPARE(spec.levels, (std::vector<int>{12, 4, 0}));
    QVERIFY(!parseHierarchySpec("median:3", spec, error));
    QVERIFY(error.find("median") != std::string::npos);
    QVERIFY(!parseHierarchySpec("average:3,x", spec, error));
    MarketData noClose = d;
    noClose.fields.erase("close");
    QCOMPARE(fitHierarchy(noClose, HierarchyOptions{}).error().code, ErrorCode::NotFound);
}

QTEST_APPLESS_MAIN(TestGraph)
#include "tst_graph.moc"

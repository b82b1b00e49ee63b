// Tests of what the graph views compute from a fit (core/graph/graph_layout, window_view): the
// Procrustes alignment against an exact similarity, Graphviz layouts of planted cliques, and a
// window's view, edges, cluster summaries, regime series and drawdown spells against slow
// references and hand values on a planted block market.

#include "core/graph/graph_layout.h"
#include "core/graph/hierarchy_fit.h"
#include "core/graph/return_correlation.h"
#include "core/graph/window_view.h"

#include "tests/support/graph_support.h"
#include "tests/support/test_support.h"

#include <QtTest/QtTest>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

using namespace alphascope;
using namespace alphascope::graph;
using alphascope::test::near;
using alphascope::test::plantedBlocks;

class TestGraphView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void alignLayoutUndoesASimilarity();
    void graphvizLayoutSeparatesBlocks();
    void windowViewMatchesTheFit();
};

void TestGraphView::alignLayoutUndoesASimilarity() {
    std::mt19937_64 rng(5);
    std::normal_distribution<double> z(0, 50);
    for (bool reflect : {false, true}) {
        std::vector<Point2> reference(20), moved(20);
        const double angle = 1.1, scale = 0.37, dx = 120, dy = -40;
        for (std::size_t i = 0; i < reference.size(); ++i) {
            reference[i] = {z(rng), z(rng)};
            const double x = reference[i].x, y = reflect ? -reference[i].y : reference[i].y;
            moved[i] = {scale * (std::cos(angle) * x - std::sin(angle) * y) + dx,
                        scale * (std::sin(angle) * x + std::cos(angle) * y) + dy};
        }
        // A node without a position in either layout is ignored by the fit and left as it is.
        moved[3] = {kNaN, kNaN};
        reference[7] = {kNaN, 0};
        const Point2 seventh = moved[7];
        alignLayout(moved, reference);
        for (std::size_t i = 0; i < reference.size(); ++i) {
            if (i == 3) {
                QVERIFY(std::isnan(moved[i].x));
                continue;
            }
            if (i == 7) {
                QVERIFY(std::isfinite(moved[i].x) && moved[i].x != seventh.x);
                continue;
            }
            QVERIFY2(near(moved[i].x, reference[i].x, 1e-9) && near(moved[i].y, reference[i].y, 1e-9),
                     qPrintable(QString("node %1 reflect %2").arg(i).arg(reflect)));
        }
    }
    // Fewer than three common nodes: nothing moves.
    std::vector<Point2> two{{1, 2}, {3, 4}}, ref{{0, 0}, {9, 9}};
    alignLayout(two, ref);
    QCOMPARE(two[1].x, 3.0);
}

void TestGraphView::graphvizLayoutSeparatesBlocks() {
    // Two cliques of 8 joined by one edge, and two isolated nodes: every node gets a finite,
    // distinct place, and a clique's members sit closer to each other than to the other clique.
    std::vector<Edge> edges;
    for (int c = 0; c < 2; ++c)
        for (int a = 0; a < 8; ++a)
            for (int b = a + 1; b < 8; ++b) edges.push_back({c * 8 + a, c * 8 + b, 0.9, true, false});
    edges.push_back({0, 8, 0.1, true, false});
    for (LayoutEngine engine : {LayoutEngine::Sfdp, LayoutEngine::Neato}) {
        auto laid = layoutGraph(18, edges, {engine, true});
        QVERIFY2(laid.ok(), laid.ok() ? "" : laid.error().message.c_str());
        const std::vector<Point2>& p = laid.value();
        QCOMPARE(p.size(), std::size_t(18));
        auto dist = [&](int a, int b) { return std::hypot(p[a].x - p[b].x, p[a].y - p[b].y); };
        double intra = 0, inter = 0;
        int ni = 0, nx = 0;
        for (int a = 0; a < 16; ++a)
            for (int b = a + 1; b < 16; ++b) {
                QVERIFY(std::isfinite(p[a].x) && std::isfinite(p[a].y));
                QVERIFY(dist(a, b) > 0);
                if (a / 8 == b / 8)
                    intra += dist(a, b), ++ni;
                else
                    inter += dist(a, b), ++nx;
            }
        QVERIFY2(intra / ni < 0.6 * inter / nx, layoutEngineName(engine));
        QVERIFY(dist(16, 17) > 0 && std::isfinite(p[16].x) && std::isfinite(p[17].y));
        // Started from its own result the layout stays close to it once aligned.
        auto again = layoutGraph(18, edges, {engine, true}, p);
        QVERIFY(again.ok());
        std::vector<Point2> q = again.value();
        alignLayout(q, p);
        double moved = 0, spread = 0;
        for (int i = 0; i < 16; ++i) {
            moved += std::hypot(q[i].x - p[i].x, q[i].y - p[i].y);
            spread += std::hypot(p[i].x - p[0].x, p[i].y - p[0].y);
        }
        QVERIFY2(moved < 0.5 * spread, layoutEngineName(engine));
    }
    QVERIFY(!layoutGraph(3, {{0, 3, 1.0, true, false}}).ok());
    QVERIFY(!layoutGraph(3, {}, {}, std::vector<Point2>(2)).ok());
    QVERIFY(layoutGraph(0, {}).ok());
}

void TestGraphView::windowViewMatchesTheFit() {
    MarketData d = plantedBlocks(200, 4, 6, 1.2, 1000, 11);
    auto close = std::make_shared<Panel>(*d.field("close"));
    close->at(30, 5) = kNaN; // a gap: instrument 5 stays active (58 returns of 60, 40 needed)
    for (int t = 0; t < 200; ++t) close->at(t, 7) = kNaN; // never active
    d.fields["close"] = close;
    HierarchyOptions o;
    o.levels = {4, 2};
    auto fit = fitHierarchy(d, o);
    QVERIFY(fit.ok());
    const Panel returns = logReturns(*d.field("close"));
    for (int w : {0, static_cast<int>(fit->windows.size()) - 1}) {
        auto view = windowView(d, fit.value(), w);
        QVERIFY(view.ok());
        const WindowFit& wf = fit->windows[static_cast<std::size_t>(w)];
        QCOMPARE(view->end, wf.end);
        QCOMPARE(static_cast<int>(view->active.size()), wf.active);
        QVERIFY(std::find(view->active.begin(), view->active.end(), 7) == view->active.end());
        const Eigen::MatrixXd rho = windowCorrelation(returns, wf.end, o.window, fit->options.minOverlap);
        for (std::size_t a = 0; a < view->active.size(); ++a) {
            for (std::size_t b = 0; b < view->active.size(); ++b)
                QCOMPARE(view->rho(static_cast<int>(a), static_cast<int>(b)), rho(view->active[a], view->active[b]));
            for (std::size_t l = 0; l < 2; ++l)
                QCOMPARE(view->labels[l][a], wf.labels[l][static_cast<std::size_t>(view->active[a])]);
        }
        std::vector<int> order = view->order;
        std::sort(order.begin(), order.end());
        for (std::size_t a = 0; a < order.size(); ++a) QCOMPARE(order[a], static_cast<int>(a));
        // The spanning tree connects every active instrument; the threshold graph keeps the blocks.
        const auto tree = viewEdges(view.value(), {}, true);
        QCOMPARE(tree.size(), view->active.size() - 1);
        GraphOptions g;
        g.threshold = 0.45; // within a block rho ~ 0.59; between blocks 0 +- 0.13 over 60 days
        for (const Edge& e : viewEdges(view.value(), g, false)) {
            QVERIFY(e.weight > 0.45);
            QCOMPARE(view->active[e.a] % 4, view->active[e.b] % 4);
        }
        g.rule = EdgeRule::Sector;
        const auto sector = viewEdges(view.value(), g, false, d.grouping("sector")->ids);
        for (const Edge& e : sector) QCOMPARE(view->active[e.a] % 4, view->active[e.b] % 4);
        QCOMPARE(sector.size(), std::size_t(4 * 15 - 5)); // instrument 7 (block 3) is out: 15 -> 10 pairs
    }
    // Cluster summaries of the last window at level 1 (4 clusters = the planted blocks).
    auto view = windowView(d, fit.value(), static_cast<int>(fit->windows.size()) - 1);
    QVERIFY(view.ok());
    const auto clusters = clusterSummaries(view.value(), 0, o.window, d.grouping("sector")->ids, &returns);
    QCOMPARE(clusters.size(), std::size_t(4));
    std::size_t total = 0;
    for (std::size_t c = 0; c < clusters.size(); ++c) {
        const ClusterSummary& k = clusters[c];
        total += k.members.size();
        if (c > 0) QVERIFY(k.members.size() <= clusters[c - 1].members.size());
        QCOMPARE(k.topGroupShare, 1.0);
        QCOMPARE(k.topGroup, view->active[static_cast<std::size_t>(k.members[0])] % 4);
        double intra = 0, outside = 0, ni = 0, no = 0, ret = 0;
        for (std::size_t a = 0; a < view->active.size(); ++a) {
            const bool inA = std::find(k.members.begin(), k.members.end(), static_cast<int>(a)) != k.members.end();
            if (!inA) continue;
            double r20 = 0;
            for (int t = view->end - o.window + 1; t <= view->end; ++t)
                if (std::isfinite(returns.at(t, view->active[a]))) r20 += returns.at(t, view->active[a]);
            ret += r20;
            for (std::size_t b = 0; b < view->active.size(); ++b) {
                if (a == b) continue;
                const bool inB = std::find(k.members.begin(), k.members.end(), static_cast<int>(b)) != k.members.end();
                (inB ? intra : outside) += view->rho(static_cast<int>(a), static_cast<int>(b));
                (inB ? ni : no) += 1;
            }
        }
        QVERIFY(near(k.intra, intra / ni, 1e-12) && near(k.outside, outside / no, 1e-12));
        QVERIFY(k.intra > k.outside + 0.3);
        QVERIFY(near(k.windowReturn, ret / static_cast<double>(k.members.size()), 1e-9));
    }
    QCOMPARE(total, view->active.size());
    // Regime series: the equal-weight market compounded by hand; entropy and correlation as fitted.
    auto regimes = regimeSeries(d, fit.value());
    QVERIFY(regimes.ok());
    double equity = 1, peak = 1;
    for (int t = 0; t < 200; ++t) {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < 24; ++i)
            if (std::isfinite(returns.at(t, i))) sum += returns.at(t, i), ++count;
        if (count) equity *= std::exp(sum / count);
        peak = std::max(peak, equity);
        QVERIFY(near(regimes->market[static_cast<std::size_t>(t)], equity, 1e-9));
        QVERIFY(near(regimes->drawdown[static_cast<std::size_t>(t)], equity / peak - 1, 1e-9));
    }
    QCOMPARE(regimes->entropy.size(), std::size_t(2));
    const auto corr = fit->daily(200, &WindowFit::meanCorrelation);
    for (int t = 0; t < 200; ++t) {
        const double a = regimes->meanCorrelation[static_cast<std::size_t>(t)], b = corr[static_cast<std::size_t>(t)];
        QVERIFY((std::isnan(a) && std::isnan(b)) || a == b);
    }
    // Spells start at -10 % and last while the drawdown stays at or below -5 %.
    QVERIFY(drawdownSpells({0, -0.05, -0.12, -0.2, -0.08, -0.15, -0.02, -0.11}, 0.1) ==
            (std::vector<std::pair<int, int>>{{2, 5}, {7, 7}}));
    QVERIFY(drawdownSpells({-0.12, -0.04, -0.11, -0.05}, 0.1) == (std::vector<std::pair<int, int>>{{0, 0}, {2, 3}}));
    QVERIFY(drawdownSpells({-0.3, -0.3}, 0.1) == (std::vector<std::pair<int, int>>{{0, 1}}));
    QVERIFY(drawdownSpells({0, -0.09}, 0.1).empty());

    QVERIFY(!windowView(d, fit.value(), -1).ok());
    QVERIFY(!windowView(d, fit.value(), static_cast<int>(fit->windows.size())).ok());
}

QTEST_APPLESS_MAIN(TestGraphView)
#include "tst_graph_view.moc"

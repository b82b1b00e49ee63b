// Tests of MinCutPool and DiffPool on market graphs: the losses against hand arithmetic on a tiny
// graph, planted blocks recovered by both, determinism per seed on the CPU, no look-ahead, options.

#include "core/graph/cluster_quality.h"
#include "core/nn/graph_pooling.h"

#include "tests/support/graph_support.h"
#include "tests/support/test_support.h"

#include <QtTest/QtTest>

#include <cmath>

using namespace alphascope;
using alphascope::test::plantedBlocks;

namespace {

graph::HierarchyOptions plantedOptions() {
    graph::HierarchyOptions o;
    o.levels = {4, 2};
    o.window = 60;
    o.step = 40;
    return o;
}

} // namespace

class TestGraphPooling : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void lossesMatchHandArithmetic() {
        // A path 0 -1- 1 -2- 2; node 1 split between the two clusters.
        Eigen::MatrixXf a(3, 3), s(3, 2);
        a << 0, 1, 0, 1, 0, 2, 0, 2, 0;
        s << 1, 0, 0.5, 0.5, 0, 1;
        const nn::PoolingLosses l = nn::poolingLosses(a, s);
        // S'AS has diagonal 1 and 2, S'DS (degrees 1, 3, 2) has diagonal 1.75 and 2.75.
        CHECK_NEAR(l.cut, -3.0 / 4.5, 1e-6);
        // S'S = [[1.25, 0.25], [0.25, 1.25]], Frobenius norm sqrt(3.25).
        const double diag = 1.25 / std::sqrt(3.25) - 1 / std::sqrt(2.0), off = 0.25 / std::sqrt(3.25);
        CHECK_NEAR(l.orthogonality, std::sqrt(2 * diag * diag + 2 * off * off), 1e-6);
        // A - SS' = [[-1, .5, 0], [.5, -.5, 1.5], [0, 1.5, -1]]: squares sum to 7.25; ||A||_F^2 = 10.
        CHECK_NEAR(l.link, std::sqrt(7.25 / 10), 1e-6);
        // Only node 1 is uncertain: entropy log 2, averaged over 3 nodes.
        CHECK_NEAR(l.entropy, std::log(2.0) / 3, 1e-6);
    }

    void plantedBlocksAreRecovered_data() {
        QTest::addColumn<int>("method");
        QTest::newRow("mincut") << int(nn::PoolingMethod::MinCut);
        QTest::newRow("diffpool") << int(nn::PoolingMethod::DiffPool);
    }

    void plantedBlocksAreRecovered() {
        QFETCH(int, method);
        const MarketData d = plantedBlocks(300, 4, 15, 1.0, 1000, 31);
        nn::PoolingOptions p;
        p.method = static_cast<nn::PoolingMethod>(method);
        auto fit = nn::fitPoolingHierarchy(d, plantedOptions(), p);
        QVERIFY2(fit.ok(), fit.ok() ? "" : fit.error().message.c_str());
        QCOMPARE(fit->groupings.size(), std::size_t(2));
        for (const graph::WindowFit& w : fit->windows) {
            QVERIFY2(w.levels[0].ariCompared >= 0.9,
                     qPrintable(QStringLiteral("window %1: ARI %2").arg(w.end).arg(w.levels[0].ariCompared)));
            QVERIFY(w.levels[0].intra > w.levels[0].inter + 0.3);
            QVERIFY(w.levels[0].entropy >= 0 && w.levels[0].entropy <= 1);
            QCOMPARE(w.levels[1].clusters, 2); // the second level is not one merged cluster
            QVERIFY(std::isnan(w.cophenetic)); // no dendrogram
        }
        QVERIFY(fit->meanOver(0, &graph::LevelWindow::ariPrevious) >= 0.9);
        // Nested: the instruments of one fine cluster share their coarse cluster.
        for (const graph::WindowFit& w : fit->windows)
            for (int i = 0; i < 60; ++i)
                for (int j = 0; j < 60; ++j)
                    if (w.labels[0][i] == w.labels[0][j]) QCOMPARE(w.labels[1][i], w.labels[1][j]);
    }

    void deterministicPerSeed() {
        const MarketData d = plantedBlocks(200, 3, 8, 0.6, 1000, 32);
        graph::HierarchyOptions o;
        o.levels = {3};
        o.window = 40;
        o.step = 40;
        nn::PoolingOptions p;
        p.epochs = 50;
        p.warmEpochs = 20;
        auto a = nn::fitPoolingHierarchy(d, o, p), b = nn::fitPoolingHierarchy(d, o, p);
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(a->groupings[0].daily, b->groupings[0].daily);
        for (std::size_t k = 0; k < a->windows.size(); ++k)
            QCOMPARE(a->windows[k].levels[0].entropy, b->windows[k].levels[0].entropy);
    }

    void noLookAhead() {
        const MarketData d = plantedBlocks(200, 3, 8, 0.8, 1000, 33);
        MarketData changed = d;
        auto close = std::make_shared<Panel>(*d.field("close"));
        const int cut = 130;
        for (int t = cut; t < close->days(); ++t)
            for (int i = 0; i < close->instruments(); ++i)
                close->at(t, i) = static_cast<float>(50 + (t * 7 + i * 13) % 100);
        changed.fields["close"] = close;
        graph::HierarchyOptions o;
        o.levels = {3};
        o.window = 40;
        o.step = 20;
        nn::PoolingOptions p;
        p.epochs = 40;
        p.warmEpochs = 10;
        auto a = nn::fitPoolingHierarchy(d, o, p), b = nn::fitPoolingHierarchy(changed, o, p);
        QVERIFY(a.ok() && b.ok());
        const auto& da = a->groupings[0].daily;
        const auto& db = b->groupings[0].daily;
        QVERIFY(std::equal(da.begin(), da.begin() + static_cast<std::ptrdiff_t>(cut) * 24, db.begin()));
    }

    void badOptionsAreRefused() {
        const MarketData d = plantedBlocks(100, 2, 5, 1.0, 1000, 34);
        graph::HierarchyOptions o;
        o.levels = {0};
        QCOMPARE(nn::fitPoolingHierarchy(d, o, {}).error().code, ErrorCode::InvalidArgument);
        o.levels = {3, 1};
        QCOMPARE(nn::fitPoolingHierarchy(d, o, {}).error().code, ErrorCode::InvalidArgument);
        o.levels = {20}; // more clusters than the 10 instruments: some stay empty
        o.window = 40;
        auto r = nn::fitPoolingHierarchy(d, o, {});
        QVERIFY(r.ok());
        for (const auto& w : r->windows) QVERIFY(w.levels[0].clusters >= 1 && w.levels[0].clusters <= 10);
        nn::PoolingMethod m;
        QVERIFY(nn::parsePoolingMethod("diffpool", m) && m == nn::PoolingMethod::DiffPool);
        QVERIFY(!nn::parsePoolingMethod("sag", m));
    }
};

QTEST_APPLESS_MAIN(TestGraphPooling)
#include "tst_graph_pooling.moc"

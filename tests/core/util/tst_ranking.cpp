// averageRanks (radix) against an O(n^2) reference: ties, signs, zeros, denormals, extremes.

#include "core/util/ranking.h"

#include <QTest>

#include <cmath>
#include <limits>
#include <random>

using namespace alphascope;

namespace {
std::vector<double> slowRanks(const std::vector<float>& v) {
    std::vector<double> r(v.size());
    for (std::size_t a = 0; a < v.size(); ++a) {
        double less = 0, equal = 0;
        for (float b : v) {
            less += b < v[a];
            equal += b == v[a];
        }
        r[a] = less + (equal + 1) / 2;
    }
    return r;
}
} // namespace

class TestRanking : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void handComputed() {
        RankWorkspace ws;
        const std::vector<float> v = {3.f, 1.f, 3.f, 2.f, -0.f, 0.f};
        std::vector<double> r(v.size());
        averageRanks(v.data(), static_cast<int>(v.size()), r.data(), ws);
        // order: {-0, 0} (ranks 1,2 -> 1.5), 1 -> 3, 2 -> 4, {3, 3} (5, 6 -> 5.5)
        QCOMPARE(r, (std::vector<double>{5.5, 3, 5.5, 4, 1.5, 1.5}));
        averageRanks(v.data(), 0, r.data(), ws); // no-op
    }

    void tiesShareTheMeanRank() {
        RankWorkspace ws;
        const float v[] = {3.f, 1.f, 3.f, 2.f, 3.f};
        double r[5];
        averageRanks(v, 5, r, ws);
        const double expected[] = {4.0, 1.0, 4.0, 2.0, 4.0};
        for (int i = 0; i < 5; ++i) QCOMPARE(r[i], expected[i]);
    }

    void matchesReference_data() {
        QTest::addColumn<int>("n");
        QTest::addColumn<int>("kind");
        for (int n : {1, 2, 5, 47, 48, 49, 100, 537, 5000})
            for (int kind = 0; kind < 4; ++kind)
                QTest::newRow(qPrintable(QStringLiteral("n=%1 kind=%2").arg(n).arg(kind))) << n << kind;
    }
    void matchesReference() {
        QFETCH(int, n);
        QFETCH(int, kind);
        std::mt19937 rng(static_cast<unsigned>(n * 7 + kind));
        std::normal_distribution<float> g(0.f, 1.f);
        std::uniform_int_distribution<int> small(-5, 5);
        std::vector<float> v(static_cast<std::size_t>(n));
        for (auto& x : v) {
            switch (kind) {
            case 0: x = g(rng); break;                              // continuous, both signs
            case 1: x = static_cast<float>(small(rng)); break;      // heavy ties incl. zeros
            case 2: x = g(rng) * 1e30f; break;                      // huge magnitudes
            default: {                                             // mixed specials
                const int c = small(rng);
                x = c == 0 ? -0.f : c == 1 ? 0.f : c == 2 ? std::numeric_limits<float>::denorm_min()
                  : c == 3 ? -std::numeric_limits<float>::max() : c == 4 ? std::numeric_limits<float>::max() : g(rng);
            }
            }
        }
        RankWorkspace ws;
        std::vector<double> r(v.size());
        averageRanks(v.data(), n, r.data(), ws);
        const auto expected = slowRanks(v);
        for (int i = 0; i < n; ++i) QCOMPARE(r[static_cast<std::size_t>(i)], expected[static_cast<std::size_t>(i)]);
        // the workspace is reusable with another size
        std::vector<float> w(v.begin(), v.begin() + n / 2);
        std::vector<double> r2(w.size());
        averageRanks(w.data(), static_cast<int>(w.size()), r2.data(), ws);
        const auto expected2 = slowRanks(w);
        for (std::size_t i = 0; i < w.size(); ++i) QCOMPARE(r2[i], expected2[i]);
    }
};

QTEST_GUILESS_MAIN(TestRanking)
#include "tst_ranking.moc"

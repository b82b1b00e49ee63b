// Tests of coverage, quantile labels, top-quantile turnover, rank autocorrelation, quantile returns
// and the histogram.

#include "core/metrics/factor_stats.h"

#include "tests/support/test_support.h"

#include <QtTest/QtTest>

#include <cmath>
#include <limits>
#include <random>
#include <set>
#include <vector>

using namespace alphascope;
using alphascope::test::makePanel;
using alphascope::test::near;

namespace {

const float kInf = std::numeric_limits<float>::infinity();

/// Slow quantile labels: O(n^2) average ranks, then floor((r - 0.5) * q / m) in double.
std::vector<int> slowLabels(const float* v, int n, int q) {
    std::vector<int> out(n, -1);
    int m = 0;
    for (int i = 0; i < n; ++i) m += std::isfinite(v[i]) ? 1 : 0;
    for (int i = 0; i < n; ++i) {
        if (!std::isfinite(v[i])) continue;
        int less = 0, equal = 0;
        for (int j = 0; j < n; ++j) {
            if (!std::isfinite(v[j])) continue;
            if (v[j] < v[i]) ++less;
            if (v[j] == v[i]) ++equal;
        }
        const double r = less + (equal + 1) / 2.0;
        out[i] = std::min(q - 1, static_cast<int>(std::floor((r - 0.5) * q / m + 1e-12)));
    }
    return out;
}

Panel randomPanel(int days, int n, unsigned seed) {
    std::mt19937 gen(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    Panel p(days, n);
    for (int t = 0; t < days; ++t) {
        for (int i = 0; i < n; ++i) {
            const float c = u(gen);
            float v = std::round(normal(gen) * 3.0f); // coarse: many ties
            if (c < 0.1f)
                v = kNaN;
            else if (c < 0.12f)
                v = kInf;
            p.at(t, i) = v;
        }
    }
    return p;
}

} // namespace

class TstFactorStats : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // One row per line, each input beside what it should give:
    // clang-format off
    void quantileLabelsHand_data() {
        QTest::addColumn<std::vector<float>>("values");
        QTest::addColumn<int>("quantiles");
        QTest::addColumn<std::vector<int>>("expected");
        QTest::newRow("five of five")
            << std::vector<float>{5, 1, 3, kNaN, 2, 4} << 5 << std::vector<int>{4, 0, 2, -1, 1, 3};
        QTest::newRow("all tied -> middle")
            << std::vector<float>{1, 1, 1, 1} << 5 << std::vector<int>{2, 2, 2, 2};
        QTest::newRow("halves") << std::vector<float>{4, 3, 2, 1} << 2 << std::vector<int>{1, 1, 0, 0};
        // m = 4 < 5 quantiles: (r - 0.5) * 5 / 4 = 0.625, 1.875, 3.125, 4.375.
        QTest::newRow("fewer than quantiles")
            << std::vector<float>{10, 20, 30, 40} << 5 << std::vector<int>{0, 1, 3, 4};
        QTest::newRow("ties share") << std::vector<float>{1, 2, 2, 3, kInf, 4, 5, 6} << 3
                                    << std::vector<int>{0, 0, 0, 1, -1, 1, 2, 2};
        QTest::newRow("single") << std::vector<float>{kNaN, 7} << 5 << std::vector<int>{-1, 2};
    }
    // clang-format on
    void quantileLabelsHand() {
        QFETCH(std::vector<float>, values);
        QFETCH(int, quantiles);
        QFETCH(std::vector<int>, expected);
        const std::vector<int> got = quantileLabels(values.data(), static_cast<int>(values.size()), quantiles);
        QCOMPARE(got, expected);
    }

    void quantileLabelsRandom() {
        const Panel p = randomPanel(10, 57, 3);
        for (int t = 0; t < p.days(); ++t) {
            for (int q : {2, 3, 5, 10}) {
                QCOMPARE(quantileLabels(p.row(t), p.instruments(), q), slowLabels(p.row(t), p.instruments(), q));
            }
        }
    }

    void coverageHand() {
        const Panel f = makePanel({{1, kNaN, 3}, {kInf, 2, 2}, {kNaN, kNaN, 5}});
        // All cells: 5 finite of 9.
        CHECK_NEAR(coverage(f, {}, DayRange{0, 3}), 5.0 / 9.0, 1e-12);
        // Members only: day 0 {0,1}, day 1 {0}, day 2 {1,2} -> finite 1 + 0 + 1 of 5.
        const std::vector<std::uint8_t> mem = {1, 1, 0, 1, 0, 0, 0, 1, 1};
        CHECK_NEAR(coverage(f, mem, DayRange{0, 3}), 2.0 / 5.0, 1e-12);
        CHECK_NEAR(coverage(f, mem, DayRange{1, 3}), 1.0 / 3.0, 1e-12);
        QVERIFY(std::isnan(coverage(f, mem, DayRange{2, 2})));
        QVERIFY(std::isnan(coverage(f, std::vector<std::uint8_t>(4, 1), DayRange{0, 3}))); // wrong size
    }

    void turnoverHand() {
        // quantiles = 2 with 4 names: the top quantile is the best two.
        const Panel f = makePanel({
            {4, 3, 2, 1},             // top {0, 1}
            {4, 1, 3, 2},             // top {0, 2}: 1 - 1/2
            {4, 1, 3, 2},             // same: 0
            {kNaN, kNaN, kNaN, kNaN}, // empty: pairs with it are skipped
            {1, 2, 3, 4},
            {1, 2, 4, 3}, // top {2, 3} both days: 0
        });
        CHECK_NEAR(topQuantileTurnover(f, DayRange{0, 6}, 2), (0.5 + 0.0 + 0.0) / 3.0, 1e-12);
        CHECK_NEAR(topQuantileTurnover(f, DayRange{0, 2}, 2), 0.5, 1e-12);
        CHECK_NEAR(topQuantileTurnover(f, DayRange{1, 3}, 2), 0.0, 1e-12);
        QVERIFY(std::isnan(topQuantileTurnover(f, DayRange{2, 5}, 2)));
        QVERIFY(std::isnan(topQuantileTurnover(f, DayRange{0, 1}, 2)));
        // quantiles = 4: the single best name; it changes 0 -> 0 -> 0 -> . -> 3 -> 2.
        CHECK_NEAR(topQuantileTurnover(f, DayRange{0, 6}, 4), (0.0 + 0.0 + 1.0) / 3.0, 1e-12);
    }

    void turnoverRandom() {
        const Panel f = randomPanel(15, 40, 11);
        for (int q : {2, 5}) {
            double sum = 0;
            int cnt = 0;
            for (int t = 1; t < f.days(); ++t) {
                const std::vector<int> a = slowLabels(f.row(t - 1), 40, q), b = slowLabels(f.row(t), 40, q);
                std::set<int> prev, now;
                for (int i = 0; i < 40; ++i) {
                    if (a[i] == q - 1) prev.insert(i);
                    if (b[i] == q - 1) now.insert(i);
                }
                if (prev.empty() || now.empty()) continue;
                int common = 0;
                for (int i : now) common += prev.count(i) ? 1 : 0;
                sum += 1.0 - static_cast<double>(common) / now.size();
                ++cnt;
            }
            CHECK_NEAR(topQuantileTurnover(f, DayRange{0, f.days()}, q), sum / cnt, 1e-12);
        }
    }

    void sharedRanksGiveTheSameStatistics() {
        // Ranks computed once per day (rankDays) and handed to the statistics must give exactly
        // what each statistic gets by ranking on its own: on days finite on the same cells
        // (shared ranks used), on days whose finite cells differ or where the return masks factor
        // cells (the statistic ranks itself), and on days outside the ranked range.
        Panel f = randomPanel(24, 37, 5);
        std::mt19937 gen(9);
        std::normal_distribution<float> normal(0.0f, 1.0f);
        for (int t = 0; t < 16; ++t)
            for (int i = 0; i < 37; ++i) {
                if (t < 8 || !(i % 7 == 3))
                    f.at(t, i) = std::round(normal(gen) * 4.0f); // ties
                else
                    f.at(t, i) = kNaN; // days 8-15: the same cells missing every day
            }
        Panel y = randomPanel(24, 37, 6);
        for (int t = 0; t < 24; ++t)
            for (int i = 0; i < 37; ++i)
                if (t < 12 && std::isnan(y.at(t, i))) y.at(t, i) = normal(gen); // days 12+: the return masks cells
        auto same = [](double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; };
        for (DayRange ranked : {DayRange{0, 24}, DayRange{3, 13}, DayRange{0, 40}}) {
            const DayRanks ranks = rankDays(f, ranked);
            for (DayRange r : {DayRange{0, 24}, DayRange{2, 18}}) {
                for (int q : {2, 5}) {
                    QVERIFY(same(topQuantileTurnover(f, r, q, &ranks), topQuantileTurnover(f, r, q)));
                    const std::vector<double> a = quantileMeanReturns(f, y, r, q, &ranks),
                                              b = quantileMeanReturns(f, y, r, q);
                    QCOMPARE(a.size(), b.size());
                    for (std::size_t k = 0; k < a.size(); ++k) QVERIFY(same(a[k], b[k]));
                }
                for (int lag : {1, 2})
                    QVERIFY(same(rankAutocorrelation(f, r, lag, &ranks), rankAutocorrelation(f, r, lag)));
                // Rank IC against a prepared target: days 0-11 have a finite return wherever the
                // factor is finite (shared ranks), days 12+ do not (ranked again).
                const Panel& target = y;
                const PreparedTarget prepared(target);
                const std::vector<double> a = dailyRankIc(f, prepared, r, ranks), b = dailyRankIc(f, prepared, r),
                                          c = dailyRankIc(f, target, r);
                QCOMPARE(a.size(), b.size());
                int defined = 0;
                for (std::size_t k = 0; k < a.size(); ++k) {
                    QVERIFY(same(a[k], b[k]));
                    QVERIFY(same(a[k], c[k]) || std::fabs(a[k] - c[k]) < 1e-12);
                    defined += std::isfinite(a[k]) ? 1 : 0;
                }
                QVERIFY(defined >= r.size() - 1);
                int sharedDays = 0; // days where the shared ranks are used
                for (int t = std::max(r.begin, ranks.range.begin); t < std::min(r.end, ranks.range.end); ++t) {
                    bool covered = true;
                    for (int i = 0; i < 37; ++i)
                        covered = covered && (!std::isfinite(f.at(t, i)) || std::isfinite(target.at(t, i)));
                    sharedDays += covered ? 1 : 0;
                }
                QVERIFY(sharedDays >= 5);
            }
        }
        // The ranks themselves: each day's finite values in instrument order, ties averaged.
        const DayRanks ranks = rankDays(f, DayRange{0, 24});
        for (int t : {0, 9, 20}) {
            std::vector<float> packed;
            for (int i = 0; i < 37; ++i)
                if (std::isfinite(f.at(t, i))) packed.push_back(f.at(t, i));
            QCOMPARE(ranks.count(t), static_cast<int>(packed.size()));
            for (std::size_t k = 0; k < packed.size(); ++k) {
                double less = 0, equal = 0;
                for (float v : packed) {
                    less += v < packed[k] ? 1 : 0;
                    equal += v == packed[k] ? 1 : 0;
                }
                QCOMPARE(ranks.of(t)[k], less + (equal + 1) / 2.0);
            }
        }
    }

    void rankAutocorrelationHand() {
        const Panel f = makePanel({
            {1, 2, 3, 4},
            {10, 20, 30, 40}, // same order as day 0: +1
            {4, 3, 2, 1},     // reversed: -1
            {1, 2, 4, 3},     // vs day 2 ranks (4,3,2,1): Sxy = -4, Sxx = Syy = 5 -> -0.8
        });
        CHECK_NEAR(rankAutocorrelation(f, DayRange{0, 4}, 1), (1.0 - 1.0 - 0.8) / 3.0, 1e-12);
        // Lag 2: day 2 vs 0 = -1, day 3 vs 1 = +0.8 (ranks 1,2,4,3 vs 1,2,3,4: Sxy = 4).
        CHECK_NEAR(rankAutocorrelation(f, DayRange{0, 4}, 2), (-1.0 + 0.8) / 2.0, 1e-12);
        // Only pairs inside the range count.
        CHECK_NEAR(rankAutocorrelation(f, DayRange{2, 4}, 1), -0.8, 1e-12);
        QVERIFY(std::isnan(rankAutocorrelation(f, DayRange{3, 4}, 1)));
        // A constant day is skipped, not 0.
        const Panel g = makePanel({{1, 2, 3}, {5, 5, 5}, {1, 3, 2}});
        QVERIFY(std::isnan(rankAutocorrelation(g, DayRange{0, 3}, 1)));
        const Panel h = makePanel({{1, 2, 3}, {1, 2, 3}, {5, 5, 5}});
        CHECK_NEAR(rankAutocorrelation(h, DayRange{0, 3}, 1), 1.0, 1e-12);
    }

    void quantileMeanReturnsHand() {
        const Panel f = makePanel({{1, 2, 3, 4}, {4, 3, 2, 1}});
        const Panel y = makePanel({{0.01f, 0.02f, 0.03f, 0.04f}, {0.1f, kNaN, 0.3f, 0.2f}});
        // Day 0: q0 = {0,1} -> 0.015, q1 = {2,3} -> 0.035.
        // Day 1: valid {0,2,3} with factor 4,2,1 -> ranks 3,2,1 -> labels 1,1,0: q0 = 0.2, q1 = 0.2.
        const std::vector<double> q = quantileMeanReturns(f, y, DayRange{0, 2}, 2);
        QCOMPARE(static_cast<int>(q.size()), 2);
        CHECK_NEAR(q[0], (0.015 + 0.2) / 2.0, 1e-7);
        CHECK_NEAR(q[1], (0.035 + 0.2) / 2.0, 1e-7);
        // Five quantiles over four names: quantile 2 is never populated.
        const std::vector<double> q5 = quantileMeanReturns(f, y, DayRange{0, 1}, 5);
        QCOMPARE(static_cast<int>(q5.size()), 5);
        CHECK_NEAR(q5[0], 0.01, 1e-7);
        CHECK_NEAR(q5[1], 0.02, 1e-7);
        QVERIFY(std::isnan(q5[2]));
        CHECK_NEAR(q5[3], 0.03, 1e-7);
        CHECK_NEAR(q5[4], 0.04, 1e-7);
    }

    void histogramHand() {
        // 0..999 over two days plus non-finite cells.
        Panel f(2, 502);
        for (int k = 0; k < 1000; ++k) f.at(k / 500, k % 500) = static_cast<float>(k);
        f.at(0, 500) = kInf;
        const Histogram h = histogram(f, DayRange{0, 2}, 10);
        // numpy linear quantiles: 0.005 * 999 = 4.995, 0.995 * 999 = 994.005.
        CHECK_NEAR(h.lo, 4.995, 1e-9);
        CHECK_NEAR(h.hi, 994.005, 1e-9);
        QCOMPARE(h.below, 5); // 0..4
        QCOMPARE(h.above, 5); // 995..999
        QCOMPARE(static_cast<int>(h.counts.size()), 10);
        // Width 98.901: bin 0 = [4.995, 103.896) holds 5..103 (99 values), bin 9 = [895.104, 994.005] holds
        // 896..994 (99 values); the middle bins hold 98 or 99 each.
        QCOMPARE(h.counts[0], 99);
        QCOMPARE(h.counts[9], 99);
        int total = 0;
        for (int c : h.counts) total += c;
        QCOMPARE(total, 990);

        const Histogram one = histogram(f, DayRange{0, 1}, 4);
        int total1 = one.below + one.above;
        for (int c : one.counts) total1 += c;
        QCOMPARE(total1, 500);

        const Histogram flat = histogram(makePanel({{2, 2, kNaN}, {2, 2, 2}}), DayRange{0, 2}, 5);
        QCOMPARE(flat.lo, 2.0);
        QCOMPARE(flat.hi, 2.0);
        QCOMPARE(flat.counts[0], 5);
        const Histogram empty = histogram(makePanel({{kNaN, kInf}}), DayRange{0, 1}, 5);
        QVERIFY(std::isnan(empty.lo));
        QCOMPARE(static_cast<int>(empty.counts.size()), 5);
    }
};

QTEST_GUILESS_MAIN(TstFactorStats)
#include "tst_factor_stats.moc"

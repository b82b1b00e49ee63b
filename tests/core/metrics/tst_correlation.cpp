// Tests of Pearson / Spearman, the daily IC series and per-day normalisation (ALGORITHMS.md §3).

#include "core/metrics/correlation.h"

#include "tests/support/test_support.h"

#include <QtTest/QtTest>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

using namespace alphascope;
using alphascope::test::makePanel;
using alphascope::test::near;

namespace {

const float kInf = std::numeric_limits<float>::infinity();

// Slow references: plain loops, two-pass double, O(n^2) ranks.
double refPearson(const std::vector<double>& x, const std::vector<double>& y) {
    std::vector<double> a, b;
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (std::isfinite(x[i]) && std::isfinite(y[i])) {
            a.push_back(x[i]);
            b.push_back(y[i]);
        }
    }
    const std::size_t m = a.size();
    if (m < 2) return std::nan("");
    double ma = 0, mb = 0, maxA = 0, maxB = 0;
    for (std::size_t i = 0; i < m; ++i) {
        ma += a[i] / m;
        mb += b[i] / m;
        maxA = std::max(maxA, std::fabs(a[i]));
        maxB = std::max(maxB, std::fabs(b[i]));
    }
    double saa = 0, sbb = 0, sab = 0;
    for (std::size_t i = 0; i < m; ++i) {
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
        sab += (a[i] - ma) * (b[i] - mb);
    }
    if (std::sqrt(saa / m) <= 1e-12 * maxA || std::sqrt(sbb / m) <= 1e-12 * maxB) return std::nan("");
    return sab / std::sqrt(saa * sbb);
}

std::vector<double> slowRanks(const std::vector<double>& v) {
    std::vector<double> r(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
        int less = 0, equal = 0;
        for (std::size_t j = 0; j < v.size(); ++j) {
            if (v[j] < v[i]) ++less;
            if (v[j] == v[i]) ++equal;
        }
        r[i] = less + (equal + 1) / 2.0;
    }
    return r;
}

double refSpearman(const std::vector<double>& x, const std::vector<double>& y) {
    std::vector<double> a, b;
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (std::isfinite(x[i]) && std::isfinite(y[i])) {
            a.push_back(x[i]);
            b.push_back(y[i]);
        }
    }
    return refPearson(slowRanks(a), slowRanks(b));
}

std::vector<double> rowOf(const Panel& p, int t) {
    return std::vector<double>(p.row(t), p.row(t) + p.instruments());
}

/// Random panel with NaNs, infs and ties (values rounded to a coarse grid on some days).
Panel randomPanel(int days, int n, unsigned seed) {
    std::mt19937 gen(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    Panel p(days, n);
    for (int t = 0; t < days; ++t) {
        const bool coarse = t % 3 == 0;
        for (int i = 0; i < n; ++i) {
            const float c = u(gen);
            float v = normal(gen);
            if (coarse) v = std::round(v * 2.0f);
            if (c < 0.1f)
                v = kNaN;
            else if (c < 0.12f)
                v = (c < 0.11f) ? kInf : -kInf;
            p.at(t, i) = v;
        }
    }
    return p;
}

} // namespace

class TstCorrelation : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void pearsonHand() {
        const float x[] = {1, 2, 3, 4};
        const float y[] = {2, 4, 6, 9};
        // Means 2.5 and 5.25; Sxy = 11.5, Sxx = 5, Syy = 26.75.
        CHECK_NEAR(pearson(x, y, 4), 11.5 / std::sqrt(5.0 * 26.75), 1e-12);
        // Pairs with NaN or +-inf on either side are dropped.
        const float x2[] = {1, kNaN, 2, kInf, 3, 7, 4};
        const float y2[] = {2, 5, 4, 3, 6, -kInf, 9};
        CHECK_NEAR(pearson(x2, y2, 7), 11.5 / std::sqrt(5.0 * 26.75), 1e-12);
        const float neg[] = {-2, -4, -6, -9};
        CHECK_NEAR(pearson(x, neg, 4), -11.5 / std::sqrt(5.0 * 26.75), 1e-12);
    }

    // One row per line, each input beside what it should give:
    // clang-format off
    void pearsonDegenerate_data() {
        QTest::addColumn<std::vector<float>>("x");
        QTest::addColumn<std::vector<float>>("y");
        QTest::newRow("one pair") << std::vector<float>{1, kNaN, 3} << std::vector<float>{2, 5, kNaN};
        QTest::newRow("no pair") << std::vector<float>{kNaN, kInf} << std::vector<float>{1, 2};
        QTest::newRow("constant x") << std::vector<float>{3, 3, 3, 3} << std::vector<float>{1, 2, 3, 4};
        QTest::newRow("constant large y")
            << std::vector<float>{1, 2, 3} << std::vector<float>{1e6f, 1e6f, 1e6f};
        QTest::newRow("all zero") << std::vector<float>{0, 0, 0} << std::vector<float>{0, 0, 0};
        QTest::newRow("constant after masking")
            << std::vector<float>{5, 5, 9, 5} << std::vector<float>{1, 2, kNaN, 3};
    }
    // clang-format on
    void pearsonDegenerate() {
        QFETCH(std::vector<float>, x);
        QFETCH(std::vector<float>, y);
        QVERIFY(std::isnan(pearson(x.data(), y.data(), static_cast<int>(x.size()))));
        QVERIFY(std::isnan(spearman(x.data(), y.data(), static_cast<int>(x.size()))));
    }

    void spearmanHand() {
        // Ranks x = 1, 2.5, 2.5, 4; y = 1, 3, 2, 4: Sxy = 4.5, Sxx = 4.5, Syy = 5.
        const float x[] = {1, 2, 2, 3};
        const float y[] = {1, 3, 2, 4};
        CHECK_NEAR(spearman(x, y, 4), 4.5 / std::sqrt(4.5 * 5.0), 1e-12);
        // Monotone but nonlinear: Spearman 1, Pearson below 1.
        const float a[] = {1, 2, 3, 4};
        const float b[] = {1, 8, 27, 64};
        CHECK_NEAR(spearman(a, b, 4), 1.0, 1e-12);
        QVERIFY(pearson(a, b, 4) < 0.99);
        // Ranks are taken over the valid pairs only: the NaN row does not shift them.
        const float c[] = {10, kNaN, 30, 20};
        const float d[] = {3, 1, 1, 2};
        CHECK_NEAR(spearman(c, d, 4), -1.0, 1e-12);
    }

    void randomAgainstReference() {
        for (unsigned seed = 1; seed <= 20; ++seed) {
            const int n = 5 + static_cast<int>(seed) * 13;
            const Panel p = randomPanel(2, n, seed);
            const std::vector<double> x = rowOf(p, 0), y = rowOf(p, 1);
            CHECK_NEAR(pearson(p.row(0), p.row(1), n), refPearson(x, y), 1e-9);
            CHECK_NEAR(spearman(p.row(0), p.row(1), n), refSpearman(x, y), 1e-9);
        }
    }

    void dailyIcSkipsAndRanges() {
        const int days = 12, n = 40;
        Panel f = randomPanel(days, n, 7);
        Panel y = randomPanel(days, n, 8);
        // Day 2: a single valid pair. Day 5: constant factor. Day 8: constant target after masking.
        for (int i = 0; i < n; ++i) f.at(2, i) = i == 3 ? 1.0f : kNaN;
        for (int i = 0; i < n; ++i) f.at(5, i) = 2.5f;
        for (int i = 0; i < n; ++i) y.at(8, i) = (i % 2) ? 0.25f : kNaN;
        const DayRange r{1, 10};
        const std::vector<double> ic = dailyIc(f, y, r);
        const std::vector<double> ric = dailyRankIc(f, y, r);
        QCOMPARE(static_cast<int>(ic.size()), 9);
        QCOMPARE(static_cast<int>(ric.size()), 9);
        for (int k = 0; k < 9; ++k) {
            const int t = r.begin + k;
            CHECK_NEAR(ic[k], refPearson(rowOf(f, t), rowOf(y, t)), 1e-9);
            CHECK_NEAR(ric[k], refSpearman(rowOf(f, t), rowOf(y, t)), 1e-9);
        }
        QVERIFY(std::isnan(ic[2 - 1]) && std::isnan(ic[5 - 1]) && std::isnan(ic[8 - 1]));
        QVERIFY(std::isnan(ric[2 - 1]) && std::isnan(ric[5 - 1]) && std::isnan(ric[8 - 1]));
        QVERIFY(!std::isnan(ic[0]));

        // Skipped days are left out of the mean, not counted as 0.
        double sum = 0.0;
        int cnt = 0;
        for (int t = 1; t < 10; ++t) {
            const double v = refPearson(rowOf(f, t), rowOf(y, t));
            if (!std::isnan(v)) {
                sum += v;
                ++cnt;
            }
        }
        QCOMPARE(cnt, 6);
        const SeriesStats st = seriesStats(ic);
        QCOMPARE(st.days, 6);
        CHECK_NEAR(st.mean, sum / cnt, 1e-12);
        CHECK_NEAR(mutualCorrelation(f, y, r), sum / cnt, 1e-12);

        // Days past the panel are NaN; an empty or reversed range gives an empty series.
        const std::vector<double> tail = dailyIc(f, y, DayRange{10, 14});
        QCOMPARE(static_cast<int>(tail.size()), 4);
        QVERIFY(!std::isnan(tail[0]) && !std::isnan(tail[1]));
        QVERIFY(std::isnan(tail[2]) && std::isnan(tail[3]));
        QVERIFY(dailyIc(f, y, DayRange{5, 5}).empty());
        QVERIFY(dailyRankIc(f, y, DayRange{6, 3}).empty());
        // Different widths: every day NaN.
        const std::vector<double> bad = dailyIc(f, Panel(days, n + 1, 1.0f), DayRange{0, 3});
        QCOMPARE(static_cast<int>(bad.size()), 3);
        for (double v : bad) QVERIFY(std::isnan(v));
    }

    void rankIcLargeCrossSection() {
        // Many instruments and days: exercises the parallel loop and the O(N log N) ranking.
        const Panel f = randomPanel(30, 1500, 21);
        const Panel y = randomPanel(30, 1500, 22);
        const std::vector<double> ric = dailyRankIc(f, y, DayRange{0, 30});
        for (int t = 0; t < 30; t += 7) CHECK_NEAR(ric[t], refSpearman(rowOf(f, t), rowOf(y, t)), 1e-9);
    }

    void preparedTargetMatchesTheReference() {
        // Days where the factor is finite on every finite target cell (the target's ranks are used
        // as prepared) and days where it is not (its ranks over the pairs are derived from them),
        // with ties on both sides (coarse days) among the kept and the dropped cells.
        const int days = 40, n = 97;
        Panel y = randomPanel(days, n, 31);
        Panel f = randomPanel(days, n, 32);
        std::mt19937 gen(33);
        std::normal_distribution<float> normal(0.0f, 1.0f);
        for (int t = 0; t < days; ++t) {
            if (t % 2 == 0) // finite wherever the target is; NaN/inf elsewhere stay
                for (int i = 0; i < n; ++i)
                    if (std::isfinite(y.at(t, i))) f.at(t, i) = (t % 4 == 0) ? std::round(normal(gen)) : normal(gen);
        }
        for (int i = 0; i < n; ++i) {
            y.at(3, i) = kNaN;                                    // no target at all
            y.at(5, i) = i == 7 ? 1.0f : kNaN;                    // one target cell
            y.at(6, i) = 0.5f;                                    // constant target
            f.at(8, i) = std::isfinite(y.at(8, i)) ? 2.0f : kNaN; // constant factor on the pairs
            f.at(10, i) = 1e30f * (i % 3 - 1.0f);                 // large values, finite
        }
        const PanelPtr target = std::make_shared<const Panel>(y);
        const auto prepared = prepareTarget(target);
        QVERIFY(prepared);
        QCOMPARE(&prepared->values(), target.get());
        QCOMPARE(prepared->day(3).count, 0);
        QCOMPARE(prepared->day(5).count, 1);
        const DayRange r{0, days};
        const std::vector<double> ic = dailyIc(f, *prepared, r);
        const std::vector<double> ric = dailyRankIc(f, *prepared, r);
        QCOMPARE(static_cast<int>(ic.size()), days);
        int completeDays = 0;
        for (int t = 0; t < days; ++t) {
            CHECK_NEAR(ic[t], refPearson(rowOf(f, t), rowOf(y, t)), 1e-9);
            CHECK_NEAR(ric[t], refSpearman(rowOf(f, t), rowOf(y, t)), 1e-9);
            CHECK_NEAR(ic[t], dailyIc(f, y, DayRange{t, t + 1})[0], 1e-12);
            CHECK_NEAR(ric[t], dailyRankIc(f, y, DayRange{t, t + 1})[0], 1e-12);
            completeDays += (t % 2 == 0 && !std::isnan(ric[t])) ? 1 : 0;
        }
        QVERIFY(completeDays >= 15);
        QVERIFY(std::isnan(ic[3]) && std::isnan(ic[5]) && std::isnan(ic[6]) && std::isnan(ic[8]));
        QVERIFY(std::isnan(ric[3]) && std::isnan(ric[5]) && std::isnan(ric[6]) && std::isnan(ric[8]));
        // A sub-range, and a factor of another width (every day NaN).
        const std::vector<double> part = dailyRankIc(f, *prepared, DayRange{20, 25});
        for (int k = 0; k < 5; ++k) CHECK_NEAR(part[k], ric[20 + k], 1e-15);
        for (double v : dailyIc(Panel(days, n + 1, 1.0f), *prepared, DayRange{0, 3})) QVERIFY(std::isnan(v));

        // Hand case: target 1, 2, NaN, 3 (centred ranks -1, 0, 1); factor 10, 30, NaN, 20 (centred
        // ranks -1, 1, 0): Sxy = 1, Sxx = Syy = 2, Spearman 0.5. Pearson: dx = -10, 10, 0 and dy = -1, 0, 1,
        // Sxy = 10, Sxx = 200, Syy = 2, so 0.5 as well.
        Panel hy(1, 4), hf(1, 4);
        const float yv[] = {1, 2, kNaN, 3}, fv[] = {10, 30, kNaN, 20};
        for (int i = 0; i < 4; ++i) {
            hy.at(0, i) = yv[i];
            hf.at(0, i) = fv[i];
        }
        const auto handTarget = prepareTarget(std::make_shared<const Panel>(hy));
        CHECK_NEAR(dailyRankIc(hf, *handTarget, DayRange{0, 1})[0], 0.5, 1e-12);
        CHECK_NEAR(dailyIc(hf, *handTarget, DayRange{0, 1})[0], 0.5, 1e-12);
    }

    void preparedTargetIsSharedWhileItsPanelLives() {
        const PanelPtr a = std::make_shared<const Panel>(randomPanel(5, 10, 41));
        const auto first = prepareTarget(a);
        QCOMPARE(prepareTarget(a).get(), first.get());
        const PanelPtr copy = std::make_shared<const Panel>(*a); // equal values, another panel
        QVERIFY(prepareTarget(copy).get() != first.get());
        QVERIFY(!prepareTarget(nullptr));
        QVERIFY(first->bytes() > 0);
    }

    void seriesStatsHand() {
        const SeriesStats st = seriesStats({0.1, std::nan(""), 0.3, 0.2, std::numeric_limits<double>::infinity()});
        QCOMPARE(st.days, 3);
        CHECK_NEAR(st.mean, 0.2, 1e-12);
        CHECK_NEAR(st.std, 0.1, 1e-12); // sqrt((0.01 + 0.01 + 0) / 2)
        CHECK_NEAR(st.ir, 2.0, 1e-9);
        const SeriesStats one = seriesStats({0.5});
        QCOMPARE(one.days, 1);
        CHECK_NEAR(one.mean, 0.5, 1e-12);
        QVERIFY(std::isnan(one.std) && std::isnan(one.ir));
        const SeriesStats none = seriesStats({});
        QCOMPARE(none.days, 0);
        QVERIFY(std::isnan(none.mean));
    }

    void normalizeByDayHand() {
        Panel in(3, 5);
        const float row0[] = {1, 2, kInf, kNaN, 3};
        const float row1[] = {4, 4, 4, kNaN, 4};
        const float row2[] = {kNaN, kNaN, kNaN, kNaN, kNaN};
        for (int i = 0; i < 5; ++i) {
            in.at(0, i) = row0[i];
            in.at(1, i) = row1[i];
            in.at(2, i) = row2[i];
        }
        Panel out;
        normalizeByDay(in, out);
        QCOMPARE(out.days(), 3);
        QCOMPARE(out.instruments(), 5);
        // Finite {1, 2, 3}: mean 2, population std sqrt(2/3); inf and NaN become 0.
        const double z = 1.0 / std::sqrt(2.0 / 3.0);
        const double expected0[] = {-z, 0, 0, 0, z};
        for (int i = 0; i < 5; ++i) CHECK_NEAR(out.at(0, i), expected0[i], 1e-6);
        for (int i = 0; i < 5; ++i) QCOMPARE(out.at(1, i), 0.0f); // constant day
        for (int i = 0; i < 5; ++i) QCOMPARE(out.at(2, i), 0.0f); // empty day

        // In place gives the same values.
        Panel same = in;
        normalizeByDay(same, same);
        for (int t = 0; t < 3; ++t)
            for (int i = 0; i < 5; ++i) QCOMPARE(same.at(t, i), out.at(t, i));
    }

    void normalizeByDayRandom() {
        const Panel in = randomPanel(6, 50, 33);
        Panel out;
        normalizeByDay(in, out);
        for (int t = 0; t < 6; ++t) {
            double mean = 0, ss = 0;
            int m = 0;
            for (int i = 0; i < 50; ++i) {
                if (std::isfinite(in.at(t, i))) {
                    mean += in.at(t, i);
                    ++m;
                }
            }
            mean /= m;
            for (int i = 0; i < 50; ++i) {
                if (std::isfinite(in.at(t, i))) ss += (in.at(t, i) - mean) * (in.at(t, i) - mean);
            }
            const double sd = std::sqrt(ss / m);
            for (int i = 0; i < 50; ++i) {
                const double expected = std::isfinite(in.at(t, i)) ? (in.at(t, i) - mean) / sd : 0.0;
                CHECK_NEAR(out.at(t, i), expected, 1e-5);
                QVERIFY(std::isfinite(out.at(t, i)));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TstCorrelation)
#include "tst_correlation.moc"

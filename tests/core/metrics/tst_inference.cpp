// Inference for study summaries: Student-t quantiles against printed tables, the t interval of a
// mean and the Newey-West test on hand-computed series, and the HAC variance against a slow
// reference on random autocorrelated series.

#include "core/metrics/inference.h"

#include <QTest>

#include <cmath>
#include <random>

using namespace alphascope;

namespace {

/// Slow reference of the Newey-West long-run variance: every product written out.
double slowLongRunVariance(const std::vector<double>& x, int lags) {
    const int n = static_cast<int>(x.size());
    double mean = 0.0;
    for (double v : x) mean += v;
    mean /= n;
    double total = 0.0;
    for (int i = 0; i < n; ++i)
        for (int k = 0; k < n; ++k) {
            const int l = std::abs(i - k);
            if (l > lags) continue;
            total += (1.0 - l / (lags + 1.0)) * (x[i] - mean) * (x[k] - mean);
        }
    return total / n;
}

} // namespace

class TestInference : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void studentTQuantilesMatchTables() {
        // Two-sided 95 % and 99 % critical values (any statistics table).
        const struct {
            int df;
            double q95, q99;
        } table[] = {{1, 12.7062, 63.6567}, {2, 4.3027, 9.9248},  {3, 3.1824, 5.8409},
                     {4, 2.7764, 4.6041},   {5, 2.5706, 4.0321},  {9, 2.2622, 3.2498},
                     {10, 2.2281, 3.1693},  {30, 2.0423, 2.7500}, {120, 1.9799, 2.6174}};
        for (const auto& row : table) {
            QVERIFY2(std::fabs(studentTQuantile(0.95, row.df) - row.q95) < 1e-4, qPrintable(QString::number(row.df)));
            QVERIFY2(std::fabs(studentTQuantile(0.99, row.df) - row.q99) < 1e-4, qPrintable(QString::number(row.df)));
        }
        QVERIFY(std::fabs(studentTQuantile(0.95, 100000) - 1.95996) < 1e-4); // the normal's 1.96
        QCOMPARE(studentTAbsCdf(0.0, 7), 0.0);
        QCOMPARE(studentTAbsCdf(INFINITY, 7), 1.0);
        QVERIFY(std::fabs(studentTAbsCdf(1.0, 1) - 0.5) < 1e-12);                       // Cauchy: P(|T| <= 1) = 1/2
        QVERIFY(std::fabs(studentTAbsCdf(std::sqrt(2.0), 2) - std::sqrt(0.5)) < 1e-12); // df 2: t / sqrt(2 + t^2)
        QVERIFY(std::isnan(studentTQuantile(1.0, 3)) && std::isnan(studentTQuantile(0.95, 0)));
        QVERIFY(std::fabs(normalTwoSidedP(1.959963985) - 0.05) < 1e-9);
    }

    void meanIntervalByHand() {
        // 1..5: mean 3, sd sqrt(2.5), half width t(4) sd / sqrt(5) = 2.776445 * 0.707107 = 1.963243.
        const MeanInterval m = meanInterval({1, 2, NAN, 3, 4, 5, INFINITY});
        QCOMPARE(m.n, 5);
        QCOMPARE(m.mean, 3.0);
        QVERIFY(std::fabs(m.sd - std::sqrt(2.5)) < 1e-12);
        QVERIFY(std::fabs(m.lo - (3.0 - 1.963243)) < 1e-5);
        QVERIFY(std::fabs(m.hi - (3.0 + 1.963243)) < 1e-5);
        const MeanInterval one = meanInterval({0.7});
        QCOMPARE(one.n, 1);
        QCOMPARE(one.mean, 0.7);
        QVERIFY(std::isnan(one.sd) && std::isnan(one.lo));
        QCOMPARE(meanInterval({}).n, 0);
    }

    void welchIntervalByHand() {
        // a = 1..4 (mean 2.5, var 5/3), b = 2, 4, .., 10 (mean 6, var 10): diff -3.5, se^2 = 5/12 + 2,
        // se = 1.554563; Welch-Satterthwaite df = 5.52 -> 5; t(5) = 2.570582, half width 3.996132;
        // |t| = 2.251436, two-sided p = 0.074143 (integrated numerically).
        const WelchInterval w = welchInterval({1, 2, NAN, 3, 4}, {2, 4, 6, 8, 10, INFINITY});
        QCOMPARE(w.df, 5);
        QVERIFY(std::fabs(w.diff + 3.5) < 1e-12);
        QVERIFY(std::fabs(w.se - 1.554563) < 1e-6);
        QVERIFY(std::fabs(w.lo - (-3.5 - 3.996132)) < 1e-5);
        QVERIFY(std::fabs(w.hi - (-3.5 + 3.996132)) < 1e-5);
        QVERIFY(std::fabs(w.p - 0.074143) < 1e-5);
        // The reverse difference mirrors it.
        const WelchInterval r = welchInterval({2, 4, 6, 8, 10}, {1, 2, 3, 4});
        QVERIFY(std::fabs(r.lo + w.hi) < 1e-12 && std::fabs(r.hi + w.lo) < 1e-12 && r.p == w.p);
        // Two constant samples: no spread, the interval is the difference.
        const WelchInterval c = welchInterval({0.5, 0.5, 0.5}, {0.25, 0.25});
        QCOMPARE(c.diff, 0.25);
        QCOMPARE(c.lo, 0.25);
        QCOMPARE(c.hi, 0.25);
        QCOMPARE(c.p, 0.0);
        QCOMPARE(welchInterval({0.1, 0.1}, {0.1, 0.1}).p, 1.0);
        // One value on a side: no interval.
        QVERIFY(std::isnan(welchInterval({1.0}, {1, 2, 3}).diff));
    }

    void neweyWestByHand() {
        // x = 1, -1, 2, 0: mean 0.5, gamma0 = 1.25, gamma1 = -0.9375; one lag: 1.25 - 0.9375 = 0.3125,
        // se = sqrt(0.3125 / 4) = 0.279508, t = 1.788854, p = 0.073638.
        const NeweyWestTest t = neweyWestMeanTest({1, -1, NAN, 2, 0}, 1);
        QCOMPARE(t.n, 4);
        QCOMPARE(t.lags, 1);
        QCOMPARE(t.mean, 0.5);
        QVERIFY(std::fabs(t.se - 0.2795085) < 1e-6);
        QVERIFY(std::fabs(t.t - 1.7888544) < 1e-6);
        QVERIFY(std::fabs(t.p - 0.0736382) < 1e-6);
        // Without lags: the plain standard error with the population variance.
        const NeweyWestTest plain = neweyWestMeanTest({1, -1, 2, 0}, 0);
        QVERIFY(std::fabs(plain.se - std::sqrt(1.25 / 4)) < 1e-12);
        // The automatic lag count: floor(4 (n/100)^(2/9)); 250 days -> 4.
        QCOMPARE(neweyWestMeanTest(std::vector<double>(250, 1.0)).lags, 4);
        QVERIFY(std::isnan(neweyWestMeanTest(std::vector<double>(250, 1.0)).t)); // constant: no test
        QVERIFY(std::isnan(neweyWestMeanTest({1.0}).t));
    }

    void neweyWestMatchesSlowReferenceOnAr1() {
        std::mt19937 rng(11);
        std::normal_distribution<double> g;
        for (double phi : {0.0, 0.5, 0.9}) {
            std::vector<double> x(300);
            double prev = 0.0;
            for (double& v : x) {
                prev = phi * prev + g(rng);
                v = 0.1 + prev;
            }
            for (int lags : {0, 3, 10}) {
                const NeweyWestTest t = neweyWestMeanTest(x, lags);
                const double se = std::sqrt(slowLongRunVariance(x, lags) / x.size());
                QVERIFY2(std::fabs(t.se - se) < 1e-12 * se,
                         qPrintable(QStringLiteral("phi %1 lags %2").arg(phi).arg(lags)));
            }
            // Positive autocorrelation widens the standard error beyond the plain one.
            if (phi >= 0.5) QVERIFY(neweyWestMeanTest(x, 10).se > neweyWestMeanTest(x, 0).se);
        }
    }
};

QTEST_APPLESS_MAIN(TestInference)
#include "tst_inference.moc"

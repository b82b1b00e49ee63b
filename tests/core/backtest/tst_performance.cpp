// Tests of the performance statistics against numbers worked out by hand.

#include "core/backtest/performance.h"

#include "tests/support/test_support.h"

#include <QtTest/QtTest>

#include <cmath>
#include <random>
#include <vector>

using namespace alphascope;
using alphascope::test::makePanel;
using alphascope::test::near;

namespace {} // namespace

class TstPerformance : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void threeDaysByHand() {
        const Performance p = computePerformance({0.01, -0.02, 0.03}, {0.5, 0.1, 0.3}, 252);
        QCOMPARE(p.days, 3);
        // Equity 1.01, 0.9898, 1.019494.
        CHECK_NEAR(p.cumulativeReturn, 0.019494, 1e-12);
        CHECK_NEAR(p.cumulativeReturnSum, 0.02, 1e-12);
        // Mean 0.02/3 -> x252 = 1.68.
        CHECK_NEAR(p.annualReturn, 1.68, 1e-12);
        // Deviations 0.01/3, -0.08/3, 0.07/3: sum of squares 114/9 * 1e-4, / 2 -> variance 19/30000.
        const double sd = std::sqrt(19.0 / 30000.0);
        CHECK_NEAR(p.annualVolatility, sd * std::sqrt(252.0), 1e-12);
        CHECK_NEAR(p.sharpe, (0.02 / 3.0) / sd * std::sqrt(252.0), 1e-12);
        // Downside: sqrt((0 + 0.0004 + 0) / 3).
        CHECK_NEAR(p.sortino, (0.02 / 3.0) / std::sqrt(0.0004 / 3.0) * std::sqrt(252.0), 1e-12);
        // Peak 1.01 then 0.9898: 0.9898 / 1.01 - 1 = -0.02.
        CHECK_NEAR(p.maxDrawdown, -0.02, 1e-12);
        const double cagr = std::pow(1.019494, 252.0 / 3.0) - 1.0;
        CHECK_NEAR(p.cagr, cagr, 1e-9);
        CHECK_NEAR(p.calmar, cagr / 0.02, 1e-9);
        CHECK_NEAR(p.winRate, 2.0 / 3.0, 1e-12);
        CHECK_NEAR(p.turnover, 0.3, 1e-12);
    }

    void drawdownAfterPeak() {
        // Equity 1.1, 0.55, 0.66, 0.99, 0.891: the worst is 0.55 / 1.1 - 1 = -0.5.
        const Performance p = computePerformance({0.1, -0.5, 0.2, 0.5, -0.1}, {}, 252);
        CHECK_NEAR(p.maxDrawdown, -0.5, 1e-12);
        CHECK_NEAR(p.cumulativeReturn, 0.891 - 1.0, 1e-12);
        CHECK_NEAR(p.cumulativeReturnSum, 0.2, 1e-12);
        CHECK_NEAR(p.winRate, 0.6, 1e-12);
        QVERIFY(std::isnan(p.turnover));
        // A first-day loss counts from the starting equity 1.
        CHECK_NEAR(computePerformance({-0.1, 0.05}, {}, 252).maxDrawdown, -0.1, 1e-12);
    }

    void daysPerYear() {
        const Performance a = computePerformance({0.01, -0.02, 0.03}, {}, 252);
        const Performance b = computePerformance({0.01, -0.02, 0.03}, {}, 238); // Qlib's scaler
        CHECK_NEAR(b.annualReturn, 0.02 / 3.0 * 238.0, 1e-12);
        CHECK_NEAR(b.sharpe / a.sharpe, std::sqrt(238.0 / 252.0), 1e-12);
    }

    void degenerate() {
        const Performance empty = computePerformance({}, {}, 252);
        QCOMPARE(empty.days, 0);
        QCOMPARE(empty.cumulativeReturn, 0.0);
        QVERIFY(std::isnan(empty.sharpe) && std::isnan(empty.annualReturn) && std::isnan(empty.winRate));

        const Performance one = computePerformance({0.02}, {}, 252);
        CHECK_NEAR(one.cumulativeReturn, 0.02, 1e-12);
        QVERIFY(std::isnan(one.annualVolatility) && std::isnan(one.sharpe));
        QVERIFY(std::isnan(one.sortino)); // no losing day
        QVERIFY(std::isnan(one.calmar));  // no drawdown
        QCOMPARE(one.maxDrawdown, 0.0);

        const Performance flat = computePerformance({0.01, 0.01, 0.01}, {}, 252);
        QVERIFY(std::isnan(flat.sharpe)); // zero volatility
        CHECK_NEAR(flat.cagr, std::pow(1.01, 252.0) - 1.0, 1e-9);

        const Performance wiped = computePerformance({-1.0, 0.1}, {}, 252);
        CHECK_NEAR(wiped.cumulativeReturn, -1.0, 1e-12);
        QCOMPARE(wiped.cagr, -1.0);
        CHECK_NEAR(wiped.maxDrawdown, -1.0, 1e-12);
    }

    void randomAgainstLoops() {
        std::mt19937 gen(5);
        std::normal_distribution<double> normal(0.0005, 0.01);
        std::vector<double> r(300);
        for (double& v : r) v = normal(gen);
        const Performance p = computePerformance(r, {}, 252);
        double eq = 1, peak = 1, mdd = 0, sum = 0;
        for (double v : r) {
            eq *= 1 + v;
            peak = std::max(peak, eq);
            mdd = std::min(mdd, eq / peak - 1);
            sum += v;
        }
        const double mean = sum / r.size();
        double ss = 0, dn = 0;
        for (double v : r) {
            ss += (v - mean) * (v - mean);
            dn += v < 0 ? v * v : 0.0;
        }
        CHECK_NEAR(p.cumulativeReturn, eq - 1, 1e-12);
        CHECK_NEAR(p.maxDrawdown, mdd, 1e-12);
        CHECK_NEAR(p.sharpe, mean / std::sqrt(ss / (r.size() - 1)) * std::sqrt(252.0), 1e-9);
        CHECK_NEAR(p.sortino, mean / std::sqrt(dn / r.size()) * std::sqrt(252.0), 1e-9);
    }
};

QTEST_GUILESS_MAIN(TstPerformance)
#include "tst_performance.moc"

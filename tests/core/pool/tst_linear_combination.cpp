// Linear combination: pool weights against hand-solved cases and an exhaustive reference, the mutual-IC
// matrix against pairwise mutualCorrelation, and combinations on synthetic panels with NaNs.

#include "core/pool/linear_combination.h"

#include "tests/support/test_support.h"

#include <QTest>

#include <cmath>
#include <random>

using namespace alphascope;
using alphascope::test::near;

namespace {

/// The objective the pool minimises.
/// w'Mw - 2w'rho + sum_i lambda_i |w_i|.
double objective(const Eigen::MatrixXd& m, const Eigen::VectorXd& rho, const Eigen::VectorXd& lambda,
                 const Eigen::VectorXd& w) {
    return w.dot(m * w) - 2.0 * w.dot(rho) + lambda.dot(w.cwiseAbs());
}
double objective(const Eigen::MatrixXd& m, const Eigen::VectorXd& rho, double lambda, const Eigen::VectorXd& w) {
    return objective(m, rho, Eigen::VectorXd::Constant(rho.size(), lambda), w);
}

/// Exact lasso minimiser by enumeration: for every sign pattern s in {-1, 0, +1}^n the optimum with that
/// pattern solves M_SS w_S = rho_S - lambda_S/2 s_S; keep the consistent pattern with the lowest objective.
/// Slow (3^n) but obviously right for a strictly convex objective. One penalty per weight.
Eigen::VectorXd exhaustiveLasso(const Eigen::MatrixXd& m, const Eigen::VectorXd& rho, const Eigen::VectorXd& lambda) {
    const int n = static_cast<int>(rho.size());
    int patterns = 1;
    for (int k = 0; k < n; ++k) patterns *= 3;
    Eigen::VectorXd best = Eigen::VectorXd::Zero(n);
    double bestValue = objective(m, rho, lambda, best);
    for (int p = 0; p < patterns; ++p) {
        std::vector<int> sign(static_cast<std::size_t>(n)), active;
        for (int k = 0, code = p; k < n; ++k, code /= 3) {
            sign[static_cast<std::size_t>(k)] = code % 3 - 1;
            if (code % 3 != 1) active.push_back(k);
        }
        if (active.empty()) continue;
        const auto a = static_cast<Eigen::Index>(active.size());
        Eigen::MatrixXd ms(a, a);
        Eigen::VectorXd rs(a);
        for (Eigen::Index i = 0; i < a; ++i) {
            rs(i) = rho(active[i]) - 0.5 * lambda(active[i]) * sign[static_cast<std::size_t>(active[i])];
            for (Eigen::Index j = 0; j < a; ++j) ms(i, j) = m(active[i], active[j]);
        }
        const Eigen::VectorXd ws = ms.llt().solve(rs);
        Eigen::VectorXd w = Eigen::VectorXd::Zero(n);
        bool consistent = true;
        for (Eigen::Index i = 0; i < a; ++i) {
            w(active[i]) = ws(i);
            if (ws(i) * sign[static_cast<std::size_t>(active[i])] <= 0) consistent = false;
        }
        if (!consistent) continue;
        const double v = objective(m, rho, lambda, w);
        if (v < bestValue) {
            bestValue = v;
            best = w;
        }
    }
    return best;
}
Eigen::VectorXd exhaustiveLasso(const Eigen::MatrixXd& m, const Eigen::VectorXd& rho, double lambda) {
    return exhaustiveLasso(m, rho, Eigen::VectorXd::Constant(rho.size(), lambda));
}

/// A random correlation matrix (unit diagonal, positive definite).
Eigen::MatrixXd randomCorrelation(int n, std::mt19937& rng) {
    std::normal_distribution<double> g;
    Eigen::MatrixXd a(n, n);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) a(i, j) = g(rng);
    Eigen::MatrixXd m = a * a.transpose() / n + 0.05 * Eigen::MatrixXd::Identity(n, n);
    const Eigen::VectorXd d = m.diagonal().cwiseSqrt().cwiseInverse();
    return d.asDiagonal() * m * d.asDiagonal();
}

/// Panels of standard normal values; `nanShare` of the cells NaN.
PanelPtr randomPanel(int days, int n, double nanShare, std::mt19937& rng) {
    std::normal_distribution<float> g;
    std::uniform_real_distribution<double> u;
    auto p = std::make_shared<Panel>(days, n);
    for (std::size_t k = 0; k < p->size(); ++k) p->data()[k] = u(rng) < nanShare ? kNaN : g(rng);
    return p;
}

/// a*x + b*y + noise*e per cell (NaN where x or y is).
PanelPtr mix(const Panel& x, double a, const Panel& y, double b, double noise, std::mt19937& rng) {
    std::normal_distribution<float> g;
    auto p = std::make_shared<Panel>(x.days(), x.instruments());
    for (std::size_t k = 0; k < p->size(); ++k)
        p->data()[k] = static_cast<float>(a * x.data()[k] + b * y.data()[k] + noise * g(rng));
    return p;
}

double meanIc(const Panel& f, const Panel& target, DayRange r) {
    return seriesStats(dailyIc(f, target, r)).mean;
}

} // namespace

class TestLinearCombination : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // One row per line, each input beside what it should give:
    // clang-format off
    void handSolvedTwoByTwo_data() {
        QTest::addColumn<double>("mutual");
        QTest::addColumn<double>("ic1");
        QTest::addColumn<double>("ic2");
        QTest::addColumn<double>("lambda");
        QTest::addColumn<double>("w1");
        QTest::addColumn<double>("w2");
        // lambda = 0: w = M^-1 rho = [[1,-m],[-m,1]] rho / (1 - m^2).
        QTest::newRow("closed form") << 0.5 << 0.05 << 0.03 << 0.0 << 0.035 / 0.75 << 0.005 / 0.75;
        QTest::newRow("closed form, opposite signs")
            << -0.4 << 0.02 << -0.01 << 0.0 << 0.016 / 0.84 << -0.002 / 0.84;
        QTest::newRow("independent") << 0.0 << 0.04 << -0.02 << 0.0 << 0.04 << -0.02;
        // lambda = 0.03: with w2 = 0, w1 = ic1 - lambda/2 = 0.035; w2 stays 0 since |2(0.5*0.035 - 0.03)| =
        // 0.025 <= 0.03.
        QTest::newRow("l1 drops the second") << 0.5 << 0.05 << 0.03 << 0.03 << 0.035 << 0.0;
        // lambda = 0.01, both active: M w = rho - lambda/2 = [0.045, 0.025] -> w = [0.0325, 0.0025] / 0.75.
        QTest::newRow("l1 shrinks both") << 0.5 << 0.05 << 0.03 << 0.01 << 0.0325 / 0.75 << 0.0025 / 0.75;
        // |2 rho| <= lambda everywhere: all weights 0.
        QTest::newRow("l1 drops all") << 0.5 << 0.05 << 0.03 << 0.2 << 0.0 << 0.0;
    }
    // clang-format on
    void handSolvedTwoByTwo() {
        QFETCH(double, mutual);
        QFETCH(double, ic1);
        QFETCH(double, ic2);
        QFETCH(double, lambda);
        QFETCH(double, w1);
        QFETCH(double, w2);
        Eigen::MatrixXd m(2, 2);
        m << 1.0, mutual, mutual, 1.0;
        Eigen::VectorXd rho(2);
        rho << ic1, ic2;
        const Eigen::VectorXd w = solvePoolWeights(m, rho, lambda);
        QCOMPARE(w.size(), Eigen::Index(2));
        QVERIFY2(std::fabs(w(0) - w1) < 1e-10, qPrintable(QString::number(w(0), 'g', 17)));
        QVERIFY2(std::fabs(w(1) - w2) < 1e-10, qPrintable(QString::number(w(1), 'g', 17)));
    }

    void coordinateDescentMatchesExhaustiveReference() {
        std::mt19937 rng(20261121);
        std::normal_distribution<double> g;
        int zeros = 0;
        for (int n = 2; n <= 6; ++n) {
            for (int trial = 0; trial < 8; ++trial) {
                const Eigen::MatrixXd m = randomCorrelation(n, rng);
                Eigen::VectorXd rho(n);
                for (int i = 0; i < n; ++i) rho(i) = 0.04 * g(rng);
                for (double lambda : {0.001, 0.01, 0.05}) {
                    const Eigen::VectorXd w = solvePoolWeights(m, rho, lambda);
                    const Eigen::VectorXd ref = exhaustiveLasso(m, rho, lambda);
                    QVERIFY2((w - ref).cwiseAbs().maxCoeff() < 1e-8,
                             qPrintable(QStringLiteral("n=%1 lambda=%2 |w-ref|=%3")
                                            .arg(n)
                                            .arg(lambda)
                                            .arg((w - ref).cwiseAbs().maxCoeff())));
                    QVERIFY(objective(m, rho, lambda, w) <= objective(m, rho, lambda, ref) + 1e-12);
                    zeros += static_cast<int>((w.array() == 0.0).count());
                }
                // No L1 term: coordinate descent's limit is the closed form.
                const Eigen::VectorXd exact = m.ldlt().solve(rho);
                QVERIFY((solvePoolWeights(m, rho) - exact).cwiseAbs().maxCoeff() < 1e-10);
                QVERIFY((solvePoolWeights(m, rho, 1e-14) - exact).cwiseAbs().maxCoeff() < 1e-8);
            }
        }
        QVERIFY(zeros > 0); // the cases exercised the sparse side of the L1 term
    }

    void perWeightPenaltiesMatchTheExhaustiveReference() {
        // The pool's complexity penalty: lambda + extra_i on weight i, against the enumeration; an
        // extra of 0 everywhere is the plain L1 fit, and with lambda 0 it is still an L1 fit.
        std::mt19937 rng(20261205);
        std::normal_distribution<double> g;
        std::uniform_real_distribution<double> u(0.0, 0.03);
        int zeros = 0;
        for (int n = 2; n <= 6; ++n)
            for (int trial = 0; trial < 6; ++trial) {
                const Eigen::MatrixXd m = randomCorrelation(n, rng);
                Eigen::VectorXd rho(n), extra(n);
                for (int i = 0; i < n; ++i) {
                    rho(i) = 0.04 * g(rng);
                    extra(i) = u(rng);
                }
                for (double lambda : {0.0, 0.005}) {
                    const Eigen::VectorXd w = solvePoolWeights(m, rho, lambda, nullptr, 0.0, &extra);
                    const Eigen::VectorXd total = (extra.array() + lambda).matrix();
                    const Eigen::VectorXd ref = exhaustiveLasso(m, rho, total);
                    QVERIFY2((w - ref).cwiseAbs().maxCoeff() < 1e-8,
                             qPrintable(QStringLiteral("n=%1 |w-ref|=%2").arg(n).arg((w - ref).cwiseAbs().maxCoeff())));
                    zeros += static_cast<int>((w.array() == 0.0).count());
                }
                const Eigen::VectorXd none = Eigen::VectorXd::Zero(n);
                QCOMPARE(solvePoolWeights(m, rho, 0.01, nullptr, 0.0, &none), solvePoolWeights(m, rho, 0.01));
            }
        QVERIFY(zeros > 0);
    }

    void singularAndNaNInputs() {
        // Two copies of one factor: M is singular; the ridge splits the weight between them.
        Eigen::MatrixXd m(2, 2);
        m << 1.0, 1.0, 1.0, 1.0;
        Eigen::VectorXd rho(2);
        rho << 0.04, 0.04;
        Eigen::VectorXd w = solvePoolWeights(m, rho);
        QVERIFY(w.allFinite());
        QVERIFY(std::fabs(w(0) - 0.02) < 1e-6 && std::fabs(w(1) - 0.02) < 1e-6);
        w = solvePoolWeights(m, rho, 0.01);
        QVERIFY(w.allFinite());
        QVERIFY(std::fabs(w.sum() - 0.035) < 1e-6);

        // NaN mutual IC (a constant factor) counts as 0, a NaN IC as 0.
        m << 1.0, kNaNd, kNaNd, 1.0;
        rho << 0.03, kNaNd;
        w = solvePoolWeights(m, rho);
        QVERIFY(std::fabs(w(0) - 0.03) < 1e-12 && std::fabs(w(1)) < 1e-12);

        // Not positive semi-definite (possible for averaged pairwise correlations): still a finite answer.
        Eigen::MatrixXd bad(3, 3);
        bad << 1.0, 0.9, 0.9, 0.9, 1.0, -0.9, 0.9, -0.9, 1.0;
        Eigen::VectorXd r3(3);
        r3 << 0.02, 0.01, 0.01;
        QVERIFY(solvePoolWeights(bad, r3).allFinite());
        QVERIFY(solvePoolWeights(bad, r3, 0.01).allFinite());
        QCOMPARE(solvePoolWeights(Eigen::MatrixXd(0, 0), Eigen::VectorXd(0)).size(), Eigen::Index(0));
    }

    void mutualMatrixMatchesPairwise() {
        std::mt19937 rng(7);
        const PanelPtr a = randomPanel(60, 40, 0.1, rng);
        const PanelPtr b = mix(*a, 0.8, *randomPanel(60, 40, 0.1, rng), 0.6, 0.0, rng);
        const PanelPtr c = randomPanel(60, 40, 0.3, rng);
        const PanelPtr flat = std::make_shared<Panel>(60, 40, 1.0f); // no defined correlation
        const std::vector<PanelPtr> fs{a, b, c, flat};
        const DayRange r{5, 50};
        const Eigen::MatrixXd m = mutualCorrelationMatrix(fs, r);
        QCOMPARE(m.rows(), Eigen::Index(4));
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(m(i, i), 1.0);
            for (int j = 0; j < 4; ++j) {
                if (i == j) continue;
                QVERIFY(near(m(i, j),
                             mutualCorrelation(*fs[static_cast<std::size_t>(i)], *fs[static_cast<std::size_t>(j)], r)));
                QVERIFY(near(m(i, j), m(j, i)));
            }
        }
        QVERIFY(m(0, 1) > 0.6); // b is built from a
        QVERIFY(std::isnan(m(0, 3)));
    }

    void equalWeightFollowsTheSignOfTheIc() {
        std::mt19937 rng(11);
        const PanelPtr target = randomPanel(80, 50, 0.05, rng);
        const PanelPtr up = mix(*target, 1.0, *target, 0.0, 1.0, rng);
        const PanelPtr down = mix(*target, -1.0, *target, 0.0, 1.0, rng);
        const PanelPtr flat = std::make_shared<Panel>(80, 50, 2.0f);
        auto c = combineFactors({up, down, flat}, *target, DayRange{0, 60}, CombineMethod::EqualWeight);
        QVERIFY(c.ok());
        QCOMPARE(c->method, CombineMethod::EqualWeight);
        QCOMPARE(c->weights.size(), std::size_t(3));
        QCOMPARE(c->weights[0], 1.0 / 3);
        QCOMPARE(c->weights[1], -1.0 / 3);
        QCOMPARE(c->weights[2], 0.0); // no IC: no vote
        QVERIFY(c->ics[0] > 0.5 && c->ics[1] < -0.5 && std::isnan(c->ics[2]));
        QCOMPARE(c->mutual.rows(), Eigen::Index(3));

        // values = (z(up) - z(down)) / 3 on every day, fit range or not.
        Panel zu, zd;
        normalizeByDay(*up, zu);
        normalizeByDay(*down, zd);
        for (int t : {3, 70}) {
            for (int i = 0; i < 50; ++i) {
                if (!std::isfinite(up->at(t, i))) {
                    QVERIFY(std::isnan(c->values->at(t, i)));
                    continue;
                }
                QVERIFY(near(c->values->at(t, i), (zu.at(t, i) - zd.at(t, i)) / 3.0, 1e-5));
            }
        }
        QVERIFY(meanIc(*c->values, *target, DayRange{60, 80}) > 0.5);
    }

    void leastSquaresRecoversTheMix() {
        // target = f1 + 0.5 f2 + noise: least squares weights ~ 2:1 and beat either factor out of sample.
        std::mt19937 rng(2024);
        const int days = 300, n = 200;
        const PanelPtr f1 = randomPanel(days, n, 0.05, rng);
        const PanelPtr f2 = randomPanel(days, n, 0.05, rng);
        const PanelPtr target = mix(*f1, 1.0, *f2, 0.5, 1.0, rng);
        const DayRange fit{0, 200}, test{200, 300};
        auto c = combineFactors({f1, f2}, *target, fit, CombineMethod::LeastSquares);
        QVERIFY(c.ok());
        QCOMPARE(c->weights.size(), std::size_t(2));
        QVERIFY2(std::fabs(c->weights[0] / c->weights[1] - 2.0) < 0.3,
                 qPrintable(QStringLiteral("%1 %2").arg(c->weights[0]).arg(c->weights[1])));
        const double ic1 = meanIc(*f1, *target, test), ic2 = meanIc(*f2, *target, test);
        const double combined = meanIc(*c->values, *target, test);
        QVERIFY2(combined > std::max(ic1, ic2) + 0.03,
                 qPrintable(QStringLiteral("combined %1, f1 %2, f2 %3").arg(combined).arg(ic1).arg(ic2)));
        // A cell is NaN exactly where both factors are.
        for (std::size_t k = 0; k < c->values->size(); ++k) {
            const bool none = !std::isfinite(f1->data()[k]) && !std::isfinite(f2->data()[k]);
            QCOMPARE(std::isnan(c->values->data()[k]), none);
        }
        // Equal weight on the same data is between the single factors and least squares.
        auto eq = combineFactors({f1, f2}, *target, fit, CombineMethod::EqualWeight);
        QVERIFY(eq.ok());
        QVERIFY(meanIc(*eq->values, *target, test) < combined);
    }

    void invalidInputsAreErrors() {
        std::mt19937 rng(3);
        const PanelPtr target = randomPanel(20, 10, 0.0, rng);
        const PanelPtr f = randomPanel(20, 10, 0.0, rng);
        const PanelPtr narrow = randomPanel(20, 9, 0.0, rng);
        QCOMPARE(combineFactors({}, *target, {0, 10}, CombineMethod::EqualWeight).error().code,
                 ErrorCode::InvalidArgument);
        QCOMPARE(combineFactors({f, narrow}, *target, {0, 10}, CombineMethod::LeastSquares).error().code,
                 ErrorCode::InvalidArgument);
        QCOMPARE(combineFactors({f, nullptr}, *target, {0, 10}, CombineMethod::LeastSquares).error().code,
                 ErrorCode::InvalidArgument);
        QVERIFY(!combineFactors({f}, *target, {5, 5}, CombineMethod::LeastSquares).ok());
        QVERIFY(!combineFactors({f}, *target, {0, 21}, CombineMethod::LeastSquares).ok());
        QVERIFY(combineFactors({f}, *target, {0, 20}, CombineMethod::LeastSquares).ok());
    }
};

QTEST_GUILESS_MAIN(TestLinearCombination)
#include "tst_linear_combination.moc"

// AlphaGen's linear pool and AlphaSAGE's mining pool: weights against an independent closed form,
// rejection, refusal, replacement and eviction rules, the complexity penalty, and the combined IC against the slow
// road (weightedCombination + dailyIc). The scorer's own tests: tst_factor_scorer.

#include "core/data/synthetic.h"
#include "core/eval/evaluator.h"
#include "core/expr/parser.h"
#include "core/pool/alpha_pool.h"
#include "core/pool/linear_combination.h"
#include "tests/core/pool/pool_market.h"
#include "tests/support/test_support.h"

#include <QTest>

#include <cstring>
#include <random>

using namespace alphascope;

class TestAlphaPool : public QObject, public pool_test::PoolMarket {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { setUpMarket(); }

    void linearWeightsAreTheClosedForm() {
        FactorScorer s = scorer();
        LinearAlphaPool pool(s, PoolOptions{.capacity = 10, .l1 = 0.0});
        std::vector<ScoredFactor> fs{score(s, "Mean(Div($close, Ref($close, 1)), 10)"), score(s, "Std($volume, 20)"),
                                     score(s, "Corr($close, $volume, 10)"), score(s, "Div($high, $low)")};
        for (const auto& f : fs) QVERIFY2(pool.offer(f).admitted, f.formula.c_str());
        // Independent closed form: M w = rho with M from the scorer's mutual correlations.
        Eigen::MatrixXd M(4, 4);
        Eigen::VectorXd rho(4);
        for (int i = 0; i < 4; ++i) {
            rho(i) = fs[i].ic;
            for (int j = 0; j < 4; ++j) M(i, j) = i == j ? 1.0 : s.mutual(fs[i], fs[j]);
        }
        const Eigen::VectorXd w = M.fullPivLu().solve(rho);
        for (int i = 0; i < 4; ++i) CHECK_NEAR(pool.members()[i].weight, w(i), 1e-9);
        QVERIFY((pool.mutualMatrix() - M).cwiseAbs().maxCoeff() < 1e-12);
        // The objective is the train IC of the weighted combination, the slow road.
        std::vector<PanelPtr> values;
        for (const auto& f : fs) values.push_back(f.values);
        const double slow = seriesStats(dailyIc(*weightedCombination(values, pool.weights()), *m_target, m_train)).mean;
        CHECK_NEAR(pool.combinedIc(), slow, 1e-5);
        // Diversity: mean |M_ij| over pairs.
        double sum = 0;
        for (int i = 0; i < 4; ++i)
            for (int j = i + 1; j < 4; ++j) sum += std::fabs(M(i, j));
        CHECK_NEAR(pool.meanAbsMutual(), sum / 6, 1e-12);
    }

    void weightsOfASubsetAreItsClosedForm() {
        // weightsOf({0, 2, 3}): the closed form on those members' sub-matrix, the pool unchanged;
        // all members give the pool's own weights; the mining pool keeps its members' weights.
        FactorScorer s = scorer();
        LinearAlphaPool pool(s, PoolOptions{.capacity = 10, .l1 = 0.0});
        std::vector<ScoredFactor> fs{score(s, "Mean(Div($close, Ref($close, 1)), 10)"), score(s, "Std($volume, 20)"),
                                     score(s, "Corr($close, $volume, 10)"), score(s, "Div($high, $low)")};
        for (const auto& f : fs) QVERIFY2(pool.offer(f).admitted, f.formula.c_str());
        const std::vector<double> before = pool.weights();
        const std::vector<int> keep{0, 2, 3};
        Eigen::MatrixXd M(3, 3);
        Eigen::VectorXd rho(3);
        for (int a = 0; a < 3; ++a) {
            rho(a) = fs[keep[a]].ic;
            for (int b = 0; b < 3; ++b) M(a, b) = a == b ? 1.0 : s.mutual(fs[keep[a]], fs[keep[b]]);
        }
        const Eigen::VectorXd w = M.fullPivLu().solve(rho);
        const std::vector<double> got = pool.weightsOf(keep);
        QCOMPARE(got.size(), std::size_t(3));
        for (int a = 0; a < 3; ++a) CHECK_NEAR(got[static_cast<std::size_t>(a)], w(a), 1e-9);
        QVERIFY(pool.weights() == before);
        const std::vector<double> all = pool.weightsOf({0, 1, 2, 3});
        for (int i = 0; i < 4; ++i)
            CHECK_NEAR(all[static_cast<std::size_t>(i)], before[static_cast<std::size_t>(i)], 1e-9);
        QVERIFY(pool.weightsOf({}).empty());
        MiningAlphaPool mining(s, PoolOptions{.capacity = 10, .admitMutual = 0.99});
        for (const auto& f : fs) mining.offer(f);
        QVERIFY(mining.size() >= 2);
        const std::vector<double> mw = mining.weightsOf({1});
        QCOMPARE(mw.size(), std::size_t(1));
        QCOMPARE(mw[0], mining.members()[1].weight);
    }

    void linearFitAveragesOverAllDays() {
        // Members defined on different days: the weights minimise the mean over all training days
        // of |sum_i w_i u_i - u_y|^2 with unit-norm daily vectors (zero on a day without a spread).
        // The slow reference builds that quadratic from the packed z-scores day by day.
        FactorScorer s = scorer();
        LinearAlphaPool pool(s, PoolOptions{.capacity = 10});
        std::vector<ScoredFactor> fs{score(s, "$gapA"), score(s, "Div($gapB, $close)"), score(s, "Log($gapB)"),
                                     score(s, "Mean(Div($close, Ref($close, 1)), 10)"), score(s, "Std($volume, 20)")};
        for (const auto& f : fs) QVERIFY2(pool.offer(f).admitted, f.formula.c_str());
        QVERIFY(fs[0].icDays < m_train.size() && fs[1].icDays < m_train.size());
        const TrainLayout& layout = s.layout();
        const int n = static_cast<int>(fs.size()), days = layout.days();
        Eigen::MatrixXd M = Eigen::MatrixXd::Zero(n, n);
        Eigen::VectorXd rho = Eigen::VectorXd::Zero(n);
        auto unit = [&](const TrainSlice& z, int k, int c) {
            const double norm2 = z.norm2[static_cast<std::size_t>(k)];
            return norm2 > 0 ? double(z.z[layout.dayBegin(k) + static_cast<std::size_t>(c)]) / std::sqrt(norm2) : 0.0;
        };
        for (int k = 0; k < days; ++k)
            for (int c = 0; c < layout.dayCells(k); ++c) {
                const double y = unit(s.targetSlice(), k, c);
                for (int i = 0; i < n; ++i) {
                    const double ui = unit(*fs[i].trainZ, k, c);
                    rho(i) += ui * y / days;
                    for (int j = 0; j < n; ++j) M(i, j) += ui * unit(*fs[j].trainZ, k, c) / days;
                }
            }
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(M);
        QVERIFY(eig.eigenvalues().minCoeff() > -1e-9); // a mean of Gram matrices
        const Eigen::VectorXd w = solvePoolWeights(M, rho, pool.options().l1);
        for (int i = 0; i < n; ++i) CHECK_NEAR(pool.members()[static_cast<std::size_t>(i)].weight, w(i), 1e-6);
        // The same matrix from the mutual correlations and their day counts.
        for (int i = 0; i < n; ++i) {
            CHECK_NEAR(M(i, i), double(fs[i].icDays) / days, 1e-6);
            for (int j = 0; j < n; ++j) {
                if (i == j) continue;
                int counted = 0;
                const double c = s.mutual(fs[i], fs[j], &counted);
                CHECK_NEAR(M(i, j), c * counted / days, 1e-6);
            }
        }
    }

    void l1WeightsSatisfyOptimality() {
        // The default L1 penalty: check the optimality conditions of w'Mw - 2w'rho + lambda|w|_1
        // directly: 2(Mw - rho)_i = -lambda sign(w_i) where w_i != 0, |2(Mw - rho)_i| <= lambda where 0.
        FactorScorer s = scorer();
        LinearAlphaPool pool(s, PoolOptions{.capacity = 10});
        QCOMPARE(pool.options().l1, 5e-3);
        for (const char* f : {"Mean(Div($close, Ref($close, 1)), 10)", "Std($volume, 20)", "Corr($close, $volume, 10)",
                              "Div($high, $low)", "Mean($close, 10)", "Mean($close, 20)", "Delta($volume, 10)"})
            pool.offer(score(s, f));
        QVERIFY(pool.size() >= 5);
        Eigen::VectorXd w(pool.size()), rho(pool.size());
        for (int i = 0; i < pool.size(); ++i) {
            w(i) = pool.members()[i].weight;
            rho(i) = pool.members()[i].factor.ic;
        }
        const Eigen::VectorXd g = 2.0 * (pool.mutualMatrix() * w - rho);
        for (int i = 0; i < pool.size(); ++i) {
            if (w(i) != 0.0)
                CHECK_NEAR(g(i), -5e-3 * (w(i) > 0 ? 1.0 : -1.0), 1e-6);
            else
                QVERIFY(std::fabs(g(i)) <= 5e-3 + 1e-9);
        }
    }

    void complexityPenalisesLongerMembers() {
        // The complexity penalty: the optimality conditions hold with lambda_i = l1 + c * tokens_i,
        // and a long member's weight shrinks against the fit without the penalty.
        FactorScorer s = scorer();
        const double c = 2e-3;
        LinearAlphaPool pool(s, PoolOptions{.capacity = 10, .complexity = c});
        LinearAlphaPool plain(s, PoolOptions{.capacity = 10});
        for (const char* f :
             {"Mean(Div($close, Ref($close, 1)), 10)", "Std($volume, 20)", "Corr($close, $volume, 10)",
              "Div($high, $low)", "Std(Div(Sub($close, $open), Sub($high, $low)), 20)", "Delta($volume, 10)"}) {
            const ScoredFactor sf = score(s, f);
            pool.offer(sf);
            plain.offer(sf);
        }
        QVERIFY(pool.size() >= 5);
        Eigen::VectorXd w(pool.size()), rho(pool.size()), lambda(pool.size());
        for (int i = 0; i < pool.size(); ++i) {
            const ScoredFactor& f = pool.members()[i].factor;
            w(i) = pool.members()[i].weight;
            rho(i) = f.ic;
            lambda(i) = 5e-3 + c * f.expr->tokenCount();
        }
        const Eigen::VectorXd g = 2.0 * (pool.mutualMatrix() * w - rho);
        for (int i = 0; i < pool.size(); ++i) {
            if (w(i) != 0.0)
                CHECK_NEAR(g(i), -lambda(i) * (w(i) > 0 ? 1.0 : -1.0), 1e-6);
            else
                QVERIFY(std::fabs(g(i)) <= lambda(i) + 1e-9);
        }
        // The sum of |w| weighted by length falls (the penalty trades fit for shorter members).
        double longPool = 0.0, longPlain = 0.0;
        for (int i = 0; i < pool.size(); ++i) longPool += pool.members()[i].factor.expr->tokenCount() * std::fabs(w(i));
        for (int i = 0; i < plain.size(); ++i)
            longPlain += plain.members()[i].factor.expr->tokenCount() * std::fabs(plain.members()[i].weight);
        QVERIFY2(longPool < longPlain, qPrintable(QStringLiteral("%1 vs %2").arg(longPool).arg(longPlain)));
    }

    void linearRejectsDuplicates() {
        FactorScorer s = scorer();
        LinearAlphaPool pool(s, PoolOptions{.capacity = 10});
        QVERIFY(pool.offer(score(s, "Std($volume, 20)")).admitted);
        const AdmitResult same = pool.offer(score(s, "Std($volume, 20)"));
        QVERIFY(!same.admitted);
        const AdmitResult scaled = pool.offer(score(s, "Mul(Std($volume, 20), 2)"));
        QVERIFY(!scaled.admitted);
        QVERIFY(scaled.maxAbsMutual > 0.99);
        // A negated copy has mutual IC -1: rejected too (AlphaGen's signed test would admit it and
        // give two offsetting, exploding weights).
        const AdmitResult neg = pool.offer(score(s, "Neg(Std($volume, 20))"));
        QVERIFY(!neg.admitted);
        CHECK_NEAR(neg.maxAbsMutual, 1.0, 1e-6);
        QVERIFY(pool.offer(score(s, "Div($high, $low)")).admitted);
        QCOMPARE(pool.size(), 2);
    }

    void linearEvictsTheSmallestWeight() {
        FactorScorer s = scorer();
        const char* formulas[] = {"Mean(Div($close, Ref($close, 1)), 10)", "Std($volume, 20)",
                                  "Corr($close, $volume, 10)"};
        std::vector<ScoredFactor> fs;
        for (const char* f : formulas) fs.push_back(score(s, f));
        // What the three-member weights are decides who leaves a pool of capacity 2.
        LinearAlphaPool big(s, PoolOptions{.capacity = 3, .l1 = 0.0});
        for (const auto& f : fs) QVERIFY(big.offer(f).admitted);
        int weakest = 0;
        for (int i = 1; i < 3; ++i)
            if (std::fabs(big.members()[i].weight) < std::fabs(big.members()[weakest].weight)) weakest = i;
        LinearAlphaPool pool(s, PoolOptions{.capacity = 2, .l1 = 0.0});
        QVERIFY(pool.offer(fs[0]).admitted);
        QVERIFY(pool.offer(fs[1]).admitted);
        const AdmitResult r = pool.offer(fs[2]);
        QCOMPARE(pool.size(), 2);
        if (weakest == 2) {
            QVERIFY(!r.admitted);
            QCOMPARE(pool.members()[0].factor.formula, fs[0].formula);
            QCOMPARE(pool.members()[1].factor.formula, fs[1].formula);
        } else {
            QVERIFY(r.admitted && r.evictedOther);
            QCOMPARE(r.evictedFormulas, std::vector<std::string>{fs[static_cast<std::size_t>(weakest)].formula});
            QVERIFY(!pool.contains(*fs[static_cast<std::size_t>(weakest)].expr));
        }
        // The matrix shrank consistently.
        QCOMPARE(pool.mutualMatrix().rows(), 2);
        CHECK_NEAR(pool.mutualMatrix()(0, 1), s.mutual(pool.members()[0].factor, pool.members()[1].factor), 1e-12);
    }

    void linearRefusesAdmissionsThatLowerTheCombinedIc() {
        // refuseLowerIc: the combined train IC never falls; a refused offer leaves members, weights,
        // mutual matrix and combined IC as they were; up to the first refusal the pool is AlphaGen's.
        // A small pool with a strong L1 penalty, where admissions and evictions do lower it.
        FactorScorer s = scorer();
        const char* formulas[] = {"Mean(Div($close, Ref($close, 1)), 10)",
                                  "Std($volume, 20)",
                                  "Corr($close, $volume, 10)",
                                  "Div($high, $low)",
                                  "Mean($close, 10)",
                                  "Delta($volume, 10)",
                                  "Div($close, $open)",
                                  "Rank($volume, 10)",
                                  "Sub($high, $close)",
                                  "Max($high, 5)",
                                  "Std(Div($close, $open), 10)",
                                  "Min($low, 20)",
                                  "Delta($close, 5)",
                                  "Mean($volume, 5)",
                                  "Corr($high, $low, 20)",
                                  "Div(Sub($close, $open), Sub($high, $low))",
                                  "Rank($close, 20)",
                                  "Log($volume)"};
        std::vector<ScoredFactor> fs;
        for (const char* f : formulas) fs.push_back(score(s, f));
        const PoolOptions plain{.capacity = 3, .l1 = 0.02};
        PoolOptions refusing = plain;
        refusing.refuseLowerIc = true;
        LinearAlphaPool alphaGen(s, plain), pool(s, refusing);
        int refusals = 0;
        bool diverged = false;
        for (const auto& f : fs) {
            const std::vector<PoolMember> members = pool.members();
            const Eigen::MatrixXd mutual = pool.mutualMatrix();
            const double before = pool.combinedIc();
            const AdmitResult r = pool.offer(f);
            const AdmitResult a = alphaGen.offer(f);
            if (!diverged) { // the same pool so far: the same answer unless this one is refused
                if (r.reason == "it would lower the combined train IC") {
                    QVERIFY(a.admitted);
                    QVERIFY(a.objective < before);
                } else {
                    QCOMPARE(r.admitted, a.admitted);
                    QCOMPARE(pool.weights(), alphaGen.weights());
                }
            }
            if (r.reason == "it would lower the combined train IC") {
                ++refusals;
                diverged = true;
                QVERIFY(!r.admitted && !r.evictedOther);
                QCOMPARE(r.objective, before);
                QCOMPARE(pool.size(), static_cast<int>(members.size()));
                for (std::size_t i = 0; i < members.size(); ++i) {
                    QCOMPARE(pool.members()[i].factor.formula, members[i].factor.formula);
                    QCOMPARE(pool.members()[i].weight, members[i].weight);
                }
                QVERIFY(pool.mutualMatrix() == mutual);
            }
            if (std::isfinite(before)) QVERIFY2(pool.combinedIc() >= before, f.formula.c_str());
        }
        QVERIFY2(refusals > 0, "no offer lowered the combined IC: the case tests nothing");
        // The combined IC kept through the refusals is the slow road's.
        std::vector<PanelPtr> values;
        for (const auto& m : pool.members()) values.push_back(m.factor.values);
        const double slow = seriesStats(dailyIc(*weightedCombination(values, pool.weights()), *m_target, m_train)).mean;
        CHECK_NEAR(pool.combinedIc(), slow, 1e-5);
    }

    void linearReplacesItsNearCopies() {
        // replaceSimilar (deterministic crowding): a candidate above the threshold with members
        // (measured here pair by pair) takes the place of all of them when the refitted pool's
        // combined IC is higher, and otherwise leaves the pool exactly as it was; no two members are
        // ever above the threshold; the combined IC is the slow road's.
        FactorScorer s = scorer();
        const char* formulas[] = {"Mean($close, 10)",
                                  "Std($volume, 20)",
                                  "Corr($close, $volume, 10)",
                                  "Div($high, $low)",
                                  "Mean($close, 11)",
                                  "Delta($volume, 10)",
                                  "Div($close, $open)",
                                  "Mean($close, 20)",
                                  "Std($volume, 21)",
                                  "Rank($volume, 10)",
                                  "Sub($high, $close)",
                                  "Max($high, 5)",
                                  "Max($high, 6)",
                                  "Std(Div($close, $open), 10)",
                                  "Std(Div($close, $open), 12)",
                                  "Min($low, 20)",
                                  "Delta($close, 5)",
                                  "Delta($close, 6)",
                                  "Mean($volume, 5)",
                                  "Mean($volume, 6)",
                                  "Corr($high, $low, 20)",
                                  "Div(Sub($close, $open), Sub($high, $low))",
                                  "Rank($close, 20)",
                                  "Log($volume)",
                                  "Mean(Div($close, Ref($close, 1)), 10)",
                                  "Mean(Div($close, Ref($close, 1)), 12)"};
        const double limit = 0.9;
        LinearAlphaPool pool(s, PoolOptions{.capacity = 6, .replaceSimilar = limit});
        int swaps = 0, refusals = 0;
        for (const char* text : formulas) {
            const ScoredFactor f = score(s, text);
            const std::vector<PoolMember> members = pool.members();
            const Eigen::MatrixXd mutual = pool.mutualMatrix();
            const double before = pool.combinedIc();
            std::vector<std::string> similar;
            for (const PoolMember& m : members)
                if (std::fabs(s.mutual(f, m.factor)) > limit) similar.push_back(m.factor.formula);
            const AdmitResult r = pool.offer(f);
            if (!similar.empty() && r.screened) {
                if (r.admitted) {
                    ++swaps;
                    QVERIFY(r.evictedOther);
                    QCOMPARE(r.evictedFormulas, similar);
                    QCOMPARE(pool.size(), static_cast<int>(members.size() - similar.size()) + 1);
                    QVERIFY(pool.contains(*f.expr));
                    QVERIFY2(pool.combinedIc() > before, text);
                } else {
                    ++refusals;
                    QVERIFY(!r.evictedOther);
                    QCOMPARE(r.objective, before);
                    QCOMPARE(pool.combinedIc(), before);
                    QCOMPARE(pool.size(), static_cast<int>(members.size()));
                    for (std::size_t i = 0; i < members.size(); ++i) {
                        QCOMPARE(pool.members()[i].factor.formula, members[i].factor.formula);
                        QCOMPARE(pool.members()[i].weight, members[i].weight);
                    }
                    QVERIFY(pool.mutualMatrix() == mutual);
                }
            }
            for (int i = 0; i < pool.size(); ++i)
                for (int j = i + 1; j < pool.size(); ++j) QVERIFY2(std::fabs(pool.mutualMatrix()(i, j)) <= limit, text);
        }
        QVERIFY2(
            swaps > 0 && refusals > 0,
            qPrintable(QStringLiteral("swaps %1, refusals %2: the case tests one road only").arg(swaps).arg(refusals)));
        std::vector<PanelPtr> values;
        for (const auto& m : pool.members()) values.push_back(m.factor.values);
        const double slow = seriesStats(dailyIc(*weightedCombination(values, pool.weights()), *m_target, m_train)).mean;
        CHECK_NEAR(pool.combinedIc(), slow, 1e-5);
        // Off (the default), the same offers leave pairs above the threshold side by side.
        LinearAlphaPool alphaGen(s, PoolOptions{.capacity = 6});
        for (const char* text : formulas) alphaGen.offer(score(s, text));
        bool pairAbove = false;
        for (int i = 0; i < alphaGen.size(); ++i)
            for (int j = i + 1; j < alphaGen.size(); ++j)
                pairAbove = pairAbove || std::fabs(alphaGen.mutualMatrix()(i, j)) > limit;
        QVERIFY(pairAbove);
    }

    void weightsOfTakeAnotherL1() {
        // weightsOf(keep, l1): the fit a pool with that penalty gives the same members.
        FactorScorer s = scorer();
        LinearAlphaPool pool(s, PoolOptions{.capacity = 10});
        LinearAlphaPool other(s, PoolOptions{.capacity = 10, .l1 = 0.0});
        for (const char* f : {"Mean(Div($close, Ref($close, 1)), 10)", "Std($volume, 20)", "Corr($close, $volume, 10)",
                              "Div($high, $low)"}) {
            const ScoredFactor sf = score(s, f);
            QVERIFY(pool.offer(sf).admitted);
            QVERIFY(other.offer(sf).admitted);
        }
        const std::vector<double> w = pool.weightsOf({0, 1, 2, 3}, 0.0);
        for (int i = 0; i < 4; ++i) CHECK_NEAR(w[static_cast<std::size_t>(i)], other.members()[i].weight, 1e-9);
        QVERIFY(pool.weightsOf({0, 1, 2, 3}, 0.0) != pool.weights());              // L1 5e-3 shrinks them
        QCOMPARE(pool.weightsOf({0, 1, 2, 3}, 10.0), std::vector<double>(4, 0.0)); // every |rho| below lambda / 2
    }

    void miningAdmissionAndReplacement() {
        FactorScorer s = scorer();
        MiningAlphaPool pool(s, PoolOptions{.capacity = 2, .admitMutual = 0.3});
        const ScoredFactor a = score(s, "Mean(Div($close, Ref($close, 1)), 10)");
        const ScoredFactor a2 = score(s, "Mean(Div($close, Ref($close, 1)), 20)"); // overlaps a
        QVERIFY(std::fabs(s.mutual(a, a2)) > 0.3);
        QVERIFY(pool.offer(a).admitted);
        const AdmitResult r = pool.offer(a2);
        QVERIFY(!r.admitted);
        CHECK_NEAR(r.maxAbsMutual, std::fabs(s.mutual(a, a2)), 1e-12);
        // Fill the pool with factors uncorrelated to a, then a stronger one must replace the weakest.
        std::vector<ScoredFactor> others;
        for (const char* f : {"Std($volume, 20)", "Div($high, $low)", "Corr($close, $volume, 10)", "Skew($volume, 30)",
                              "Mean($volume, 5)", "Delta($low, 10)"}) {
            ScoredFactor g = score(s, f);
            if (g.usable() && std::fabs(s.mutual(a, g)) <= 0.3) others.push_back(g);
        }
        QVERIFY(others.size() >= 2);
        QVERIFY(pool.offer(others[0]).admitted || pool.size() == 1);
        while (pool.size() < 2) {
            others.erase(others.begin());
            QVERIFY(!others.empty());
            pool.offer(others[0]);
        }
        const auto before = pool.members();
        const int weakest = std::fabs(before[0].factor.ic) <= std::fabs(before[1].factor.ic) ? 0 : 1;
        for (std::size_t k = 1; k < others.size(); ++k) {
            const ScoredFactor& c = others[k];
            if (pool.contains(*c.expr)) continue;
            const double maxMut = pool.maxAbsMutual(c);
            const AdmitResult res = pool.offer(c);
            const bool shouldEnter = maxMut <= 0.3 && std::fabs(c.ic) > std::fabs(before[weakest].factor.ic);
            QCOMPARE(res.admitted, shouldEnter);
            if (res.admitted) {
                QVERIFY(res.evictedOther);
                QCOMPARE(res.evictedFormulas, std::vector<std::string>{before[weakest].factor.formula});
                CHECK_NEAR(pool.members().back().weight, c.ic, 1e-15); // weights are the ICs
                break;
            }
        }
        QCOMPARE(pool.size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestAlphaPool)
#include "tst_alpha_pool.moc"

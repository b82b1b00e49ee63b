// Adaptive rolling OLS combination against a slow reference that rebuilds the stacked history
// for every day, plus hand cases: an exact linear target is recovered, and labels that were not
// known yet on a day never change that day's prediction.

#include "core/pool/adaptive_combination.h"
#include "tests/support/test_support.h"

#include <Eigen/Dense>
#include <QTest>

#include <algorithm>
#include <random>

using namespace alphascope;

namespace {

/// Random factors with NaNs and a target that depends on two of them.
struct Fixture {
    std::vector<PanelPtr> factors;
    Panel target;
};

Fixture makeFixture(int T, int N, int K, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> g(0.0f, 1.0f);
    Fixture f;
    f.target = Panel(T, N);
    std::vector<std::shared_ptr<Panel>> raw;
    for (int k = 0; k < K; ++k) {
        auto p = std::make_shared<Panel>(T, N);
        for (std::size_t c = 0; c < p->size(); ++c) p->data()[c] = (rng() % 17 == 0) ? kNaN : g(rng) * (k + 1) + k;
        raw.push_back(p);
        f.factors.push_back(p);
    }
    for (int t = 0; t < T; ++t)
        for (int i = 0; i < N; ++i) {
            const float a = raw[0]->at(t, i), b = raw[1]->at(t, i);
            f.target.at(t, i) = (rng() % 23 == 0) ? kNaN
                                                  : 0.3f * (std::isfinite(a) ? a : 0.0f) -
                                                        0.1f * (std::isfinite(b) ? b : 0.0f) + g(rng);
        }
    return f;
}

/// The obvious version: for day t, daily Rank ICs over the history, selection, stacked OLS.
Panel reference(const std::vector<PanelPtr>& factors, const Panel& target, int h0, DayRange apply, int gap,
                const AdaptiveOptions& o) {
    const int T = target.days(), N = target.instruments(), K = static_cast<int>(factors.size());
    std::vector<Panel> z(static_cast<std::size_t>(K));
    for (int k = 0; k < K; ++k) normalizeByDay(*factors[static_cast<std::size_t>(k)], z[static_cast<std::size_t>(k)]);
    Panel out(T, N);
    for (int t = apply.begin; t < apply.end; ++t) {
        const int end = t - gap;
        const int begin = o.window > 0 ? std::max(h0, end - o.window) : h0;
        std::vector<std::pair<double, int>> pass;
        std::pair<double, int> best{-1, -1};
        for (int k = 0; k < K; ++k) {
            std::vector<double> ric;
            for (int s = begin; s < end; ++s)
                ric.push_back(spearman(factors[static_cast<std::size_t>(k)]->row(s), target.row(s), N));
            const SeriesStats st = seriesStats(ric);
            if (std::isnan(st.ir)) continue;
            if (std::fabs(st.ir) > best.first) best = {std::fabs(st.ir), k};
            if (std::fabs(st.mean) > o.minRankIc && std::fabs(st.ir) > o.minRankIcir)
                pass.emplace_back(std::fabs(st.ir), k);
        }
        std::stable_sort(pass.begin(), pass.end(), [](auto& a, auto& b) { return a.first > b.first; });
        if (static_cast<int>(pass.size()) > o.maxFactors) pass.resize(static_cast<std::size_t>(o.maxFactors));
        if (pass.empty()) pass.push_back(best);
        const int m = static_cast<int>(pass.size());
        std::vector<std::vector<double>> rows;
        std::vector<double> ys;
        for (int s = begin; s < end; ++s)
            for (int i = 0; i < N; ++i) {
                if (!std::isfinite(target.at(s, i))) continue;
                std::vector<double> r{1.0};
                for (auto& [sc, k] : pass) r.push_back(z[static_cast<std::size_t>(k)].at(s, i));
                rows.push_back(r);
                ys.push_back(target.at(s, i));
            }
        Eigen::MatrixXd X(static_cast<Eigen::Index>(rows.size()), m + 1);
        Eigen::VectorXd Y(static_cast<Eigen::Index>(rows.size()));
        for (std::size_t r = 0; r < rows.size(); ++r) {
            for (int j = 0; j <= m; ++j) X(static_cast<Eigen::Index>(r), j) = rows[r][static_cast<std::size_t>(j)];
            Y(static_cast<Eigen::Index>(r)) = ys[r];
        }
        const Eigen::VectorXd beta = X.colPivHouseholderQr().solve(Y);
        for (int i = 0; i < N; ++i) {
            double p = beta(0);
            bool any = false;
            for (int j = 0; j < m; ++j) {
                const int k = pass[static_cast<std::size_t>(j)].second;
                any = any || std::isfinite(factors[static_cast<std::size_t>(k)]->at(t, i));
                p += beta(j + 1) * z[static_cast<std::size_t>(k)].at(t, i);
            }
            out.at(t, i) = any ? static_cast<float>(p) : kNaN;
        }
    }
    return out;
}

} // namespace

class TestAdaptiveCombination : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // One row per line, each input beside what it should give:
    // clang-format off
    void matchesReference_data() {
        QTest::addColumn<int>("window");
        QTest::addColumn<int>("maxFactors");
        QTest::newRow("expanding") << 0 << 20;
        QTest::newRow("window 25") << 25 << 20;
        QTest::newRow("top 2") << 0 << 2;
    }
    // clang-format on
    void matchesReference() {
        QFETCH(int, window);
        QFETCH(int, maxFactors);
        const Fixture f = makeFixture(90, 25, 5, 3);
        AdaptiveOptions o;
        o.window = window;
        o.maxFactors = maxFactors;
        const DayRange apply{50, 90};
        auto got = adaptiveCombination(f.factors, f.target, 5, apply, 3, o);
        QVERIFY2(got.ok(), got.ok() ? "" : got.error().message.c_str());
        const Panel ref = reference(f.factors, f.target, 5, apply, 3, o);
        for (int t = 0; t < 90; ++t)
            for (int i = 0; i < 25; ++i) {
                if (t < apply.begin) {
                    QVERIFY(std::isnan(got->values->at(t, i)));
                    continue;
                }
                CHECK_NEAR(got->values->at(t, i), ref.at(t, i), 2e-4);
            }
        QVERIFY(got->meanSelected >= 1.0 && got->meanSelected <= maxFactors);
    }

    void recoversAnExactLinearTarget() {
        Fixture f = makeFixture(60, 30, 2, 9);
        Panel z;
        normalizeByDay(*f.factors[0], z);
        for (std::size_t c = 0; c < f.target.size(); ++c) f.target.data()[c] = 2.0f * z.data()[c] + 0.5f;
        auto got = adaptiveCombination(f.factors, f.target, 0, DayRange{40, 60}, 1);
        QVERIFY(got.ok());
        for (int t = 40; t < 60; ++t)
            for (int i = 0; i < 30; ++i)
                if (std::isfinite(f.factors[0]->at(t, i)))
                    CHECK_NEAR(got->values->at(t, i), 2.0 * z.at(t, i) + 0.5, 1e-4);
    }

    void noLookAhead() {
        const Fixture f = makeFixture(80, 20, 4, 21);
        const int gap = 5, t = 60;
        auto a = adaptiveCombination(f.factors, f.target, 0, DayRange{t, t + 1}, gap);
        Panel changed = f.target;
        for (int s = t - gap; s < 80; ++s) // labels not yet known on day t
            for (int i = 0; i < 20; ++i) changed.at(s, i) = 100.0f * std::sin(float(s * 31 + i));
        auto b = adaptiveCombination(f.factors, changed, 0, DayRange{t, t + 1}, gap);
        QVERIFY(a.ok() && b.ok());
        for (int i = 0; i < 20; ++i) QCOMPARE(a->values->at(t, i), b->values->at(t, i));
        // ...while the last known label does matter.
        changed = f.target;
        for (int i = 0; i < 20; ++i) changed.at(t - gap - 1, i) = 100.0f * std::sin(float(i));
        auto c = adaptiveCombination(f.factors, changed, 0, DayRange{t, t + 1}, gap);
        QVERIFY(c.ok());
        bool differs = false;
        for (int i = 0; i < 20; ++i) differs = differs || a->values->at(t, i) != c->values->at(t, i);
        QVERIFY(differs);
    }

    void badInput() {
        const Fixture f = makeFixture(40, 10, 2, 1);
        QVERIFY(!adaptiveCombination({}, f.target, 0, DayRange{30, 40}, 1).ok());
        QVERIFY(!adaptiveCombination(f.factors, f.target, 0, DayRange{2, 40}, 5).ok());
        auto small = std::make_shared<Panel>(10, 10);
        QVERIFY(!adaptiveCombination({small}, f.target, 0, DayRange{30, 40}, 1).ok());
    }
};

QTEST_GUILESS_MAIN(TestAdaptiveCombination)
#include "tst_adaptive_combination.moc"

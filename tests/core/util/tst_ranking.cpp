// averageRanks and percentRanks (radix) against an O(n^2) reference (an O(n log n) one past 8,193
// values): ties, signs, zeros, denormals, extremes, one sign spread in log |x|, a tight cluster with
// an outlier; percentRanks also with NaN / inf cells and groups.

#include "core/util/ranking.h"

#include <QTest>

#include <algorithm>
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
// The same as slowRanks in O(n log n), for large n: std::sort of (value, position) and the mean
// of each run of equal values' 1-based ranks.
std::vector<double> fastReference(const std::vector<float>& v) {
    std::vector<std::pair<float, std::size_t>> s(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) s[i] = {v[i], i};
    std::sort(s.begin(), s.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<double> r(v.size());
    for (std::size_t i = 0; i < s.size();) {
        std::size_t j = i;
        while (j < s.size() && s[j].first == s[i].first) ++j;
        for (std::size_t k = i; k < j; ++k) r[s[k].second] = 0.5 * static_cast<double>(i + 1 + j);
        i = j;
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

    // One row per line, each input beside what it should give:
    // clang-format off
    void matchesReference_data() {
        QTest::addColumn<int>("n");
        QTest::addColumn<int>("kind");
        for (int n : {1, 2, 5, 47, 48, 49, 100, 537, 5000, 8192, 8193, 20000})
            for (int kind = 0; kind < 7; ++kind)
                QTest::newRow(qPrintable(QStringLiteral("n=%1 kind=%2").arg(n).arg(kind))) << n << kind;
    }
    // clang-format on
    void matchesReference() {
        QFETCH(int, n);
        QFETCH(int, kind);
        std::mt19937 rng(static_cast<unsigned>(n * 7 + kind));
        std::normal_distribution<float> g(0.f, 1.f);
        std::lognormal_distribution<float> priced(4.f, 1.f);
        std::uniform_int_distribution<int> small(-5, 5);
        std::vector<float> v(static_cast<std::size_t>(n));
        for (auto& x : v) {
            switch (kind) {
            case 0: x = g(rng); break;                         // continuous, both signs
            case 1: x = static_cast<float>(small(rng)); break; // heavy ties incl. zeros
            case 2: x = g(rng) * 1e30f; break;                 // huge magnitudes
            case 4: x = 1.f + g(rng) * 1e-3f; break;           // a tight cluster (and an outlier, below)
            case 5: x = priced(rng); break;                    // one sign, spread in log |x|
            case 6: x = -std::round(priced(rng)); break;       // negative, with ties
            default: {                                         // mixed specials
                const int c = small(rng);
                x = c == 0   ? -0.f
                    : c == 1 ? 0.f
                    : c == 2 ? std::numeric_limits<float>::denorm_min()
                    : c == 3 ? -std::numeric_limits<float>::max()
                    : c == 4 ? std::numeric_limits<float>::max()
                             : g(rng);
            }
            }
        }
        if (kind == 4 && n > 1) v[static_cast<std::size_t>(n / 3)] = 1e30f; // and its outlier
        RankWorkspace ws;
        std::vector<double> r(v.size());
        averageRanks(v.data(), n, r.data(), ws);
        const auto expected = n <= 8193 ? slowRanks(v) : fastReference(v);
        for (int i = 0; i < n; ++i) QCOMPARE(r[static_cast<std::size_t>(i)], expected[static_cast<std::size_t>(i)]);
        // the workspace is reusable with another size
        std::vector<float> w(v.begin(), v.begin() + n / 2);
        std::vector<double> r2(w.size());
        averageRanks(w.data(), static_cast<int>(w.size()), r2.data(), ws);
        const auto expected2 = n <= 8193 ? slowRanks(w) : fastReference(w);
        for (std::size_t i = 0; i < w.size(); ++i) QCOMPARE(r2[i], expected2[i]);
    }

    void percentRanksMatchReference_data() {
        QTest::addColumn<int>("n");
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("groupCount"); // 0: no groups
        QTest::addColumn<bool>("allUsable"); // no NaN, inf or ungrouped cell (the kernel's fast path)
        for (int n : {1, 3, 47, 48, 100, 537, 3000})
            for (int kind = 0; kind < 5; ++kind)
                for (int groupCount : {0, 1, 11, 150})
                    for (bool allUsable : {false, true})
                        QTest::newRow(qPrintable(QStringLiteral("n=%1 kind=%2 groups=%3%4")
                                                     .arg(n)
                                                     .arg(kind)
                                                     .arg(groupCount)
                                                     .arg(allUsable ? " all usable" : "")))
                            << n << kind << groupCount << allUsable;
    }
    void percentRanksMatchReference() {
        QFETCH(int, n);
        QFETCH(int, kind);
        QFETCH(int, groupCount);
        QFETCH(bool, allUsable);
        std::mt19937 rng(static_cast<unsigned>(n * 31 + kind * 7 + groupCount));
        std::normal_distribution<float> g(0.f, 1.f);
        std::uniform_int_distribution<int> small(-3, 3), special(0, 19);
        std::vector<float> row(static_cast<std::size_t>(n));
        std::vector<int> groups(static_cast<std::size_t>(n), -1);
        std::uniform_int_distribution<int> pick(allUsable ? 0 : -1, std::max(groupCount - 1, 0));
        for (int i = 0; i < n; ++i) {
            // kinds: 0 both signs, 1 ties, 2 huge, 3 a cluster with an outlier, 4 one sign spread in log |x|
            float x = kind == 1   ? static_cast<float>(small(rng))
                      : kind == 3 ? (i == n / 2 ? -1e25f : 7.f + g(rng) * 1e-4f)
                      : kind == 4 ? std::exp(3.f * g(rng))
                                  : g(rng) * (kind == 2 ? 1e20f : 1.f);
            int c = special(rng); // some NaN, inf and signed zeros among them (none when all usable)
            if (allUsable) c = 4;
            x = c == 0   ? std::numeric_limits<float>::quiet_NaN()
                : c == 1 ? std::numeric_limits<float>::infinity()
                : c == 2 ? -std::numeric_limits<float>::infinity()
                : c == 3 ? -0.f
                         : x;
            row[static_cast<std::size_t>(i)] = x;
            if (groupCount > 0) groups[static_cast<std::size_t>(i)] = pick(rng);
        }
        RankWorkspace ws;
        std::vector<float> out(static_cast<std::size_t>(n), 123.f);
        percentRanks(row.data(), n, out.data(), ws, groupCount > 0 ? groups.data() : nullptr, groupCount);
        // Reference: each cell's finite peers (same group), counted slowly.
        int defined = 0;
        for (int i = 0; i < n; ++i) {
            const float v = row[static_cast<std::size_t>(i)];
            const int gi = groups[static_cast<std::size_t>(i)];
            if (!std::isfinite(v) || (groupCount > 0 && gi < 0)) {
                QVERIFY(std::isnan(out[static_cast<std::size_t>(i)]));
                continue;
            }
            double less = 0, equal = 0, count = 0;
            for (int j = 0; j < n; ++j) {
                const float u = row[static_cast<std::size_t>(j)];
                if (!std::isfinite(u) || (groupCount > 0 && groups[static_cast<std::size_t>(j)] != gi)) continue;
                ++count;
                less += u < v;
                equal += u == v;
            }
            QCOMPARE(out[static_cast<std::size_t>(i)], static_cast<float>((less + (equal + 1) / 2) / count));
            ++defined;
        }
        QVERIFY(n < 20 || defined > n / 4); // about 20 % not finite, and up to half without a group
        if (allUsable) QCOMPARE(defined, n);
        // The workspace is reusable: a second, shorter row gives its own ranks.
        if (n >= 2) {
            percentRanks(row.data(), n / 2, out.data(), ws);
            double count = 0;
            for (int j = 0; j < n / 2; ++j) count += std::isfinite(row[static_cast<std::size_t>(j)]);
            for (int i = 0; i < n / 2; ++i) {
                const float v = row[static_cast<std::size_t>(i)];
                if (!std::isfinite(v)) continue;
                double less = 0, equal = 0;
                for (int j = 0; j < n / 2; ++j) {
                    const float u = row[static_cast<std::size_t>(j)];
                    less += std::isfinite(u) && u < v;
                    equal += u == v;
                }
                QCOMPARE(out[static_cast<std::size_t>(i)], static_cast<float>((less + (equal + 1) / 2) / count));
            }
        }
    }

    /// percentRanks multiplies a rank by 1 / count instead of dividing: for every count to 8,192 and
    /// every rank it can give (whole, or the half of a tie's mean) the float is the quotient's.
    void rankTimesReciprocalIsTheQuotientInFloat() {
        long long differ = 0;
        for (int n = 1; n <= 8192; ++n) {
            const double scale = 1.0 / static_cast<double>(n);
            for (int twice = 2; twice <= 2 * n; ++twice) {
                const double rank = 0.5 * static_cast<double>(twice);
                differ += static_cast<float>(rank * scale) != static_cast<float>(rank / static_cast<double>(n));
            }
        }
        QCOMPARE(differ, 0LL);
        // ... which the rounding of the reciprocal alone would not give: float arithmetic differs
        long long differInFloat = 0;
        for (int n = 1; n <= 512; ++n)
            for (int r = 1; r <= n; ++r)
                differInFloat += static_cast<float>(r) * (1.0f / static_cast<float>(n)) !=
                                 static_cast<float>(static_cast<double>(r) / n);
        QVERIFY(differInFloat > 0);
    }

    void percentRanksHandComputed() {
        RankWorkspace ws;
        const float nan = std::numeric_limits<float>::quiet_NaN();
        const float row[] = {3.f, nan, 1.f, 3.f, 2.f, 5.f};
        float out[6];
        percentRanks(row, 6, out, ws); // five finite values: ranks 3.5, 1, 3.5, 2, 5
        QVERIFY(std::isnan(out[1]));
        QCOMPARE(out[0], 0.7f);
        QCOMPARE(out[2], 0.2f);
        QCOMPARE(out[3], 0.7f);
        QCOMPARE(out[4], 0.4f);
        QCOMPARE(out[5], 1.0f);
        const int groups[] = {0, 0, 1, 1, -1, 0}; // group 0: {3, 5}; group 1: {1, 3}
        percentRanks(row, 6, out, ws, groups, 2);
        QCOMPARE(out[0], 0.5f);
        QVERIFY(std::isnan(out[1]));
        QCOMPARE(out[2], 0.5f);
        QCOMPARE(out[3], 1.0f);
        QVERIFY(std::isnan(out[4]));
        QCOMPARE(out[5], 1.0f);
    }
};

QTEST_GUILESS_MAIN(TestRanking)
#include "tst_ranking.moc"

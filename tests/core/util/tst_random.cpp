// The draw helper of core (core/util/random.h): hand values from fixed seeds (so that a change of
// algorithm, which would change every search's stream, cannot pass unnoticed), the moments of each
// distribution on 1e5 draws, and uniformInt's freedom from modulo bias.

#include "core/util/random.h"

#include "tests/support/test_support.h"

#include <QTest>

#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

using namespace alphascope;

namespace {

constexpr int kDraws = 100000;

/// floor(x * n / 2^64) from 32-bit halves (no 128-bit product): Lemire's result when not rejected.
std::uint64_t scaledHigh(std::uint64_t x, std::uint64_t n) {
    // x * n = (xh * 2^32 + xl) * n; with n < 2^32 each partial product fits in 64 bits, and
    // floor((xh * n + floor(xl * n / 2^32)) / 2^32) is exact (the dropped part is below 1).
    const std::uint64_t xh = x >> 32, xl = x & 0xffffffffULL;
    return (xh * n + ((xl * n) >> 32)) >> 32;
}

struct Moments {
    double mean = 0.0, variance = 0.0, skewness = 0.0, kurtosis = 0.0;
};

Moments momentsOf(const std::vector<double>& x) {
    Moments m;
    const double n = static_cast<double>(x.size());
    for (double v : x) m.mean += v;
    m.mean /= n;
    double m2 = 0.0, m3 = 0.0, m4 = 0.0;
    for (double v : x) {
        const double d = v - m.mean;
        m2 += d * d;
        m3 += d * d * d;
        m4 += d * d * d * d;
    }
    m2 /= n;
    m3 /= n;
    m4 /= n;
    m.variance = m2;
    m.skewness = m3 / std::pow(m2, 1.5);
    m.kurtosis = m4 / (m2 * m2);
    return m;
}

} // namespace

class TestRandom : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void engineIsTheStandardOne() {
        // [rand.predef]: the 10000th output of a default-constructed mt19937_64 is fixed.
        std::mt19937_64 rng;
        rng.discard(9999);
        std::mt19937_64 copy = rng;
        QCOMPARE(copy(), std::uint64_t{9981545732273789042ULL});
        QCOMPARE(uniform01(rng), double(9981545732273789042ULL >> 11) / 9007199254740992.0);
    }

    void handValues() {
        // Expected values from an independent Python implementation of mt19937_64 and of the same
        // algorithms (exact integers; doubles to 1e-12 for the libm functions).
        {
            std::mt19937_64 rng(42);
            const std::array<std::uint64_t, 3> raw{13930160852258120406ULL, 11788048577503494824ULL,
                                                   13874630024467741450ULL};
            for (std::uint64_t r : raw) QCOMPARE(rng(), r);
            std::mt19937_64 again(42);
            for (std::uint64_t r : raw) QCOMPARE(uniform01(again), double(r >> 11) * 0x1.0p-53);
        }
        {
            std::mt19937_64 rng(42);
            const double expected[] = {0.755155532954539, 0.6390313938546974, 0.7521452007480266};
            for (double e : expected) QCOMPARE(uniform01(rng), e);
        }
        {
            std::mt19937_64 rng(42), raw(42);
            const std::uint64_t expected[] = {4, 3, 4, 0, 5, 0, 3, 2};
            for (std::uint64_t e : expected) {
                QCOMPARE(scaledHigh(raw(), 6), e); // no rejection: 2^64 mod 6 = 4 low values only
                QCOMPARE(uniformInt(rng, 6), e);
            }
        }
        {
            std::mt19937_64 rng(42);
            const std::uint64_t n = 3ULL << 62;
            const std::uint64_t expected[] = {10447620639193590304ULL, 10405972518350806087ULL, 1885340489403866746ULL,
                                              12496778590071329535ULL};
            for (std::uint64_t e : expected) QCOMPARE(uniformInt(rng, n), e);
        }
        {
            std::mt19937_64 rng(42);
            const double expected[] = {1.2938204232729367, 0.3979773961837887, 1.118555052457478};
            for (double e : expected) {
                const double z = normal(rng); // CHECK_NEAR evaluates its arguments twice
                CHECK_NEAR(z, e, 1e-12);
            }
        }
        {
            std::mt19937_64 rng(42);
            const double expected[] = {4.68360488746233, 1.1298329194043624, 2.558971571932168};
            for (double e : expected) {
                const double g = gamma(rng, 2.5);
                CHECK_NEAR(g, e, 1e-12);
            }
        }
        {
            std::mt19937_64 rng(42);
            const double expected[] = {1.2249263564823541e-06, 1.6687842149220928e-11, 0.030937441804611943};
            for (double e : expected) QVERIFY(std::fabs(gamma(rng, 0.1) - e) <= 1e-12 * e);
        }
        {
            std::mt19937_64 rng(42);
            const std::vector<double> w{1.0, 0.0, 2.0, 1.0};
            const std::size_t expected[] = {3, 2, 3, 0, 3, 0, 2, 2};
            for (std::size_t e : expected) QCOMPARE(discrete(rng, w), e);
        }
    }

    void uniform01Moments() {
        std::mt19937_64 rng(1);
        std::vector<double> x(kDraws);
        for (double& v : x) {
            v = uniform01(rng);
            QVERIFY(v >= 0.0 && v < 1.0);
        }
        const Moments m = momentsOf(x);
        QVERIFY(std::fabs(m.mean - 0.5) < 0.005);
        QVERIFY(std::fabs(m.variance - 1.0 / 12.0) < 0.002);
        QVERIFY(std::fabs(m.skewness) < 0.04);
    }

    void uniformIntIsUnbiased_data() {
        QTest::addColumn<int>("n");
        for (int n : {1, 2, 3, 5, 6, 7}) QTest::newRow(qPrintable(QStringLiteral("n=%1").arg(n))) << n;
    }

    void uniformIntIsUnbiased() {
        QFETCH(int, n);
        std::mt19937_64 rng(static_cast<std::uint64_t>(100 + n));
        std::vector<int> counts(static_cast<std::size_t>(n), 0);
        for (int k = 0; k < kDraws; ++k) {
            const std::uint64_t v = uniformInt(rng, static_cast<std::uint64_t>(n));
            QVERIFY(v < static_cast<std::uint64_t>(n));
            ++counts[static_cast<std::size_t>(v)];
        }
        // Pearson chi-square with n - 1 <= 6 degrees of freedom: 30 is beyond the 99.99% quantile.
        const double expected = double(kDraws) / n;
        double chi2 = 0.0;
        for (int c : counts) chi2 += (c - expected) * (c - expected) / expected;
        QVERIFY2(chi2 < 30.0, qPrintable(QStringLiteral("chi2 %1").arg(chi2)));
    }

    void uniformIntHasNoModuloBias() {
        // n = 3 * 2^62: rng() % n would return a value below 2^62 with probability 1/2 (that range
        // is hit twice), a uniform draw with probability 1/3. About half the draws are rejected.
        std::mt19937_64 rng(7);
        const std::uint64_t n = 3ULL << 62;
        int low = 0;
        for (int k = 0; k < kDraws; ++k) {
            const std::uint64_t v = uniformInt(rng, n);
            QVERIFY(v < n);
            low += v < (1ULL << 62) ? 1 : 0;
        }
        QVERIFY2(std::fabs(double(low) / kDraws - 1.0 / 3.0) < 0.01, qPrintable(QString::number(low)));
        // The largest n and n = 1 are in range.
        QCOMPARE(uniformInt(rng, 1), std::uint64_t{0});
        QVERIFY(uniformInt(rng, ~0ULL) < ~0ULL);
    }

    void normalMoments() {
        std::mt19937_64 rng(2);
        std::vector<double> x(kDraws);
        for (double& v : x) v = normal(rng);
        const Moments m = momentsOf(x);
        // Standard errors on 1e5 draws: mean 0.003, variance 0.0045, skewness 0.008, kurtosis 0.016.
        QVERIFY(std::fabs(m.mean) < 0.02);
        QVERIFY(std::fabs(m.variance - 1.0) < 0.03);
        QVERIFY(std::fabs(m.skewness) < 0.05);
        QVERIFY(std::fabs(m.kurtosis - 3.0) < 0.1);
        // Tail: P(|Z| > 2) = 0.0455.
        int tail = 0;
        for (double v : x) tail += std::fabs(v) > 2.0 ? 1 : 0;
        QVERIFY(std::fabs(double(tail) / kDraws - 0.0455) < 0.005);
    }

    void gammaMoments_data() {
        QTest::addColumn<double>("alpha");
        for (double a : {0.1, 0.5, 1.0, 2.5, 10.0}) QTest::newRow(qPrintable(QStringLiteral("alpha=%1").arg(a))) << a;
    }

    void gammaMoments() {
        QFETCH(double, alpha);
        std::mt19937_64 rng(3);
        std::vector<double> x(kDraws);
        for (double& v : x) {
            v = gamma(rng, alpha);
            QVERIFY(std::isfinite(v) && v > 0.0);
        }
        const Moments m = momentsOf(x);
        // Gamma(alpha, 1): mean = variance = alpha, skewness 2 / sqrt(alpha); the sample variance's
        // standard error is sqrt((mu4 - alpha^2) / n) with mu4 = 3 alpha^2 + 6 alpha. Six of them.
        const double n = kDraws;
        const double meanTol = 6.0 * std::sqrt(alpha / n);
        const double varTol = 6.0 * std::sqrt((2.0 * alpha * alpha + 6.0 * alpha) / n);
        QVERIFY2(std::fabs(m.mean - alpha) < meanTol, qPrintable(QStringLiteral("mean %1").arg(m.mean)));
        QVERIFY2(std::fabs(m.variance - alpha) < varTol, qPrintable(QStringLiteral("var %1").arg(m.variance)));
        const double skew = 2.0 / std::sqrt(alpha);
        QVERIFY2(std::fabs(m.skewness - skew) < 0.2 * skew, qPrintable(QStringLiteral("skew %1").arg(m.skewness)));
    }

    void discreteFollowsTheWeights() {
        std::mt19937_64 rng(4), same(4);
        const std::vector<double> w{1.0, 0.0, 2.0, 1.0};
        const std::vector<float> wf{1.0f, 0.0f, 2.0f, 1.0f};
        std::array<int, 4> counts{};
        for (int k = 0; k < kDraws; ++k) {
            const std::size_t i = discrete(rng, w);
            QCOMPARE(discrete(same, wf), i); // float weights: the same draws
            ++counts[i];
        }
        QCOMPARE(counts[1], 0);
        QVERIFY(std::fabs(counts[0] / double(kDraws) - 0.25) < 0.01);
        QVERIFY(std::fabs(counts[2] / double(kDraws) - 0.50) < 0.01);
        QVERIFY(std::fabs(counts[3] / double(kDraws) - 0.25) < 0.01);

        // A single positive weight, last or first, always wins; all zero is uniform.
        QCOMPARE(discrete(rng, std::vector<double>{0.0, 0.0, 3.0}), std::size_t{2});
        QCOMPARE(discrete(rng, std::vector<double>{3.0, 0.0, 0.0}), std::size_t{0});
        std::array<int, 3> zero{};
        for (int k = 0; k < 30000; ++k) ++zero[discrete(rng, std::vector<double>{0.0, 0.0, 0.0})];
        for (int c : zero) QVERIFY(std::fabs(c / 30000.0 - 1.0 / 3.0) < 0.015);
    }
};

QTEST_GUILESS_MAIN(TestRandom)
#include "tst_random.moc"

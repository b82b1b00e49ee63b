// Evaluator: elementwise kernels against slow references on random panels with NaNs and infs;
// constant folding; membership; cache; concurrency; cancel; errors (the cross-sectional and group
// kernels: tst_cross_section).

#include "core/data/synthetic.h"
#include "core/eval/cross_section_kernels.h"
#include "core/eval/elementwise_kernels.h"
#include "core/eval/evaluator.h"
#include "core/eval/rolling_kernels.h"
#include "core/eval/vector_math.h"
#include "core/expr/operator_registry.h"
#include "core/expr/parser.h"
#include "tests/core/eval/evaluator_market.h"

#include <QTest>

#include <atomic>
#include <cmath>
#include <cstring>
#include <random>
#include <thread>

using namespace alphascope;
using namespace evaluator_test;

namespace {

// Independent references of the operator semantics (ALGORITHMS.md §2).
double refUnary(OpId op, double x) {
    if (!std::isfinite(x)) return NAN;
    switch (op) {
    case OpId::Abs: return x < 0 ? -x : x;
    case OpId::Neg: return -x;
    case OpId::Sign: return x == 0 ? 0 : (x > 0 ? 1 : -1);
    case OpId::Log: return x <= 0 ? NAN : std::log(x);
    case OpId::SLog1p: return (x < 0 ? -1 : 1) * std::log(1 + std::fabs(x));
    case OpId::Inv: return x == 0 ? NAN : 1 / x;
    case OpId::Sqrt: return x < 0 ? -std::sqrt(-x) : std::sqrt(x);
    case OpId::Not: return x == 0 ? 1 : 0;
    default: return NAN;
    }
}
double refBinary(OpId op, double x, double y) {
    if (!std::isfinite(x) || !std::isfinite(y)) return NAN;
    double r = NAN;
    switch (op) {
    case OpId::Add: r = x + y; break;
    case OpId::Sub: r = x - y; break;
    case OpId::Mul: r = x * y; break;
    case OpId::Div: r = y == 0 ? NAN : x / y; break;
    case OpId::Pow: r = (x < 0 && std::floor(y) != y) ? NAN : std::pow(x, y); break;
    case OpId::Greater: r = std::max(x, y); break;
    case OpId::Less: r = std::min(x, y); break;
    case OpId::Gt: r = x > y; break;
    case OpId::Ge: r = x >= y; break;
    case OpId::Lt: r = x < y; break;
    case OpId::Le: r = x <= y; break;
    case OpId::Eq: r = x == y; break;
    case OpId::Ne: r = x != y; break;
    case OpId::And: r = x != 0 && y != 0; break;
    case OpId::Or: r = x != 0 || y != 0; break;
    case OpId::SignedPower: r = (x < 0 ? -1 : 1) * std::pow(std::fabs(x), y); break;
    default: break;
    }
    return std::isfinite(r) ? r : NAN;
}

} // namespace

class TestEvaluator : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void unaryOps_data() {
        QTest::addColumn<int>("op");
        for (OpId op : {OpId::Abs, OpId::Neg, OpId::Sign, OpId::Log, OpId::SLog1p, OpId::Inv, OpId::Sqrt, OpId::Not})
            QTest::newRow(std::to_string(static_cast<int>(op)).c_str()) << static_cast<int>(op);
    }
    void unaryOps() {
        QFETCH(int, op);
        auto md = makeMarket(1);
        Panel x = *md->fields["close"];
        x.at(2, 2) = std::numeric_limits<float>::infinity();
        x.at(3, 2) = -std::numeric_limits<float>::infinity();
        Panel out(kDays, kInstruments);
        kernels::unary(static_cast<OpId>(op), x, out);
        for (int t = 0; t < kDays; ++t)
            for (int i = 0; i < kInstruments; ++i)
                QVERIFY2(same(out.at(t, i), refUnary(static_cast<OpId>(op), x.at(t, i))),
                         qPrintable(QStringLiteral("t=%1 i=%2").arg(t).arg(i)));
    }

    void vectorPathsWriteTheSameBits() {
        // Log, SLog1p and Pow run eight lanes at a time with AVX-512 where the CPU has it, four with
        // AVX2, else the scalar definitions: every path that runs here must write the same bits as
        // the AVX2 one (the one the searches ran on before the AVX-512 path existed), and each must
        // stay within an ulp of the reference. 2^20 + 5 cells (a tail after the vector body):
        // magnitudes from 1e-45 to 3e38 of both signs, zeros, integer and non-integer exponents up
        // to +-40, exponents that overflow or underflow the float range, infinities and NaN.
        using kernels::detail::VectorPath;
        std::vector<VectorPath> paths;
        for (VectorPath p : {VectorPath::Avx2, VectorPath::Avx512})
            if (kernels::detail::vectorPathRuns(p)) paths.push_back(p);
        if (paths.empty()) QSKIP("no vector path on this CPU");
        std::mt19937 gen(11);
        std::uniform_real_distribution<float> decade(-45.0f, 38.5f), wide(-40.0f, 40.0f), unit(0.5f, 2.0f);
        const std::size_t n = (1u << 20) + 5;
        std::vector<float> a(n), b(n);
        for (std::size_t k = 0; k < n; ++k) {
            const float sign = (k % 3 == 0) ? -1.0f : 1.0f;
            a[k] = sign * ((k % 4 == 1) ? unit(gen) : std::pow(10.0f, decade(gen)));
            b[k] = (k % 5 == 0) ? std::round(wide(gen)) : (k % 4 == 1 ? 300.0f * wide(gen) : wide(gen));
            if (k % 101 == 0) a[k] = 0.0f;
            if (k % 103 == 0) a[k] = std::numeric_limits<float>::infinity();
            if (k % 107 == 0) b[k] = kNaN;
            if (k % 109 == 0) a[k] = -0.0f;
        }
        const auto run = [&](VectorPath p, int which) {
            std::vector<float> o(n);
            switch (which) {
            case 0: kernels::detail::logCells(a.data(), o.data(), n, p); break;
            case 1: kernels::detail::slog1pCells(a.data(), o.data(), n, p); break;
            case 2: kernels::detail::powCells(a.data(), b.data(), o.data(), n, p); break;
            case 3: kernels::detail::powScalarCells(a.data(), 1.7, true, o.data(), n, p); break;
            case 4: kernels::detail::powScalarCells(a.data(), -7.25, true, o.data(), n, p); break;
            default: kernels::detail::powScalarCells(b.data(), 1.03, false, o.data(), n, p); break;
            }
            return o;
        };
        for (int which = 0; which < 6; ++which) {
            const std::vector<float> avx2 = run(VectorPath::Avx2, which);
            for (VectorPath p : paths) {
                const std::vector<float> o = run(p, which);
                QVERIFY2(std::memcmp(o.data(), avx2.data(), n * sizeof(float)) == 0,
                         qPrintable(QStringLiteral("function %1").arg(which)));
            }
            const std::vector<float> scalar = run(VectorPath::Scalar, which);
            for (std::size_t k = 0; k < n; k += 7) QVERIFY(sameUlp(avx2[k], scalar[k]));
        }
    }

    void vectorPowIsRoundedAsTheScalarPow() {
        // The vector pow (our own log and exp in double) against the scalar definition (libm's pow in
        // double, rounded to float) on 2^20 pairs whose results are normal floats: their doubles
        // are precise enough (relative error near 2^-50) that a cell can differ only where the exact
        // value lies that close to a float rounding boundary. None differs here; exp's r^5 coefficient
        // off in its fourth digit makes 76,392 differ (each by one ulp, which the check below allows).
        using kernels::detail::VectorPath;
        if (!kernels::detail::vectorPathRuns(VectorPath::Avx2)) QSKIP("no vector path on this CPU");
        std::mt19937 gen(23);
        std::uniform_real_distribution<double> decade(-6.0, 6.0), unit(-1.0, 1.0);
        const std::size_t n = 1u << 20;
        std::vector<float> a(n), b(n), vec(n), ref(n);
        for (std::size_t k = 0; k < n; ++k) {
            a[k] = static_cast<float>(std::pow(10.0, decade(gen)));
            // |b log10 a| <= 30: the result stays within 1e-30 .. 1e30.
            b[k] = static_cast<float>(unit(gen) * 30.0 / std::max(0.05, std::fabs(std::log10(double(a[k])))));
        }
        kernels::detail::powCells(a.data(), b.data(), vec.data(), n, kernels::detail::bestVectorPath());
        kernels::detail::powCells(a.data(), b.data(), ref.data(), n, VectorPath::Scalar);
        std::size_t differ = 0;
        for (std::size_t k = 0; k < n; ++k) {
            QVERIFY(std::isfinite(ref[k]) && ref[k] != 0.0f);
            QVERIFY(sameUlp(vec[k], ref[k]));
            differ += vec[k] != ref[k];
        }
        qInfo("%zu of %zu results differ from the scalar pow by one ulp", differ, n);
        QVERIFY2(differ <= 2, qPrintable(QString::number(differ)));
    }

    void vectorMathMatchesTheReference() {
        // Log and SLog1p take glibc's vector functions where the CPU has AVX2, Pow our own vector log
        // and exp; 103 cells a row (not a multiple of 4), so the scalar tail runs too. Negative bases with integer
        // exponents, zeros, huge values, infinities and NaN.
        std::mt19937 gen(5);
        std::uniform_real_distribution<float> u(-4.0f, 4.0f);
        const int days = 3, n = 103;
        Panel x(days, n), y(days, n);
        for (int t = 0; t < days; ++t)
            for (int i = 0; i < n; ++i) {
                float a = u(gen), b = u(gen);
                if (i % 5 == 0) b = std::round(b); // integer exponents of negative bases
                if (i % 17 == 0) a = 0.0f;
                if (i % 19 == 0) a = (t == 0) ? 3e38f : 1e-40f; // overflow, subnormal
                if (i % 23 == 0) a = std::numeric_limits<float>::infinity();
                if (i % 29 == 0) b = kNaN;
                if (i % 31 == 0) a = -0.0f;
                if (i % 37 == 0) b = 0.0f;
                x.at(t, i) = a;
                y.at(t, i) = b;
            }
        Panel out(days, n);
        for (OpId op : {OpId::Log, OpId::SLog1p}) {
            kernels::unary(op, x, out);
            for (int t = 0; t < days; ++t)
                for (int i = 0; i < n; ++i) QVERIFY(same(out.at(t, i), refUnary(op, x.at(t, i)), 1e-6));
        }
        kernels::binary(OpId::Pow, x, y, out);
        for (int t = 0; t < days; ++t)
            for (int i = 0; i < n; ++i) QVERIFY(sameUlp(out.at(t, i), refBinary(OpId::Pow, x.at(t, i), y.at(t, i))));
        // Integer exponents and +-0.5 take their own paths (repeated squaring, square roots).
        for (double c : {3.0, -1.5, 0.01, 0.0, 2.0, -1.0, 0.5, -0.5, 30.0, -30.0, -2.0, 10.0, 7.0, 65.0}) {
            kernels::binaryScalar(OpId::Pow, x, c, true, out);
            for (int t = 0; t < days; ++t)
                for (int i = 0; i < n; ++i) QVERIFY(sameUlp(out.at(t, i), refBinary(OpId::Pow, x.at(t, i), c)));
            kernels::binaryScalar(OpId::Pow, x, c, false, out);
            for (int t = 0; t < days; ++t)
                for (int i = 0; i < n; ++i) QVERIFY(sameUlp(out.at(t, i), refBinary(OpId::Pow, c, x.at(t, i))));
        }
        // Magnitudes from 1e-45 to 3e38 and exponents up to +-40, and exponents near the float range's
        // edges for bases near 2 (the vector path settles certain overflows and underflows itself).
        std::uniform_real_distribution<float> decade(-45.0f, 38.5f), wide(-40.0f, 40.0f), edge(-0.3f, 0.3f);
        for (int t = 0; t < days; ++t)
            for (int i = 0; i < n; ++i) {
                const float sign = (i % 3 == 0) ? -1.0f : 1.0f;
                if (i % 2 == 0) {
                    x.at(t, i) = sign * std::pow(10.0f, decade(gen));
                    y.at(t, i) = (i % 4 == 0) ? std::round(wide(gen)) : wide(gen);
                } else {
                    x.at(t, i) = sign * (1.5f + 0.5f * u(gen) / 4.0f + 1.0f);
                    const float ends[] = {128.0f, -128.0f, 150.0f, -150.0f, 127.0f, -149.0f};
                    y.at(t, i) = std::round(ends[(i / 2) % 6] / std::log2(std::fabs(x.at(t, i)))) + edge(gen);
                }
            }
        kernels::binary(OpId::Pow, x, y, out);
        for (int t = 0; t < days; ++t)
            for (int i = 0; i < n; ++i)
                QVERIFY2(sameUlp(out.at(t, i), refBinary(OpId::Pow, x.at(t, i), y.at(t, i))) &&
                             (out.at(t, i) != 0.0f ||
                              std::signbit(out.at(t, i)) ==
                                  std::signbit(static_cast<float>(refBinary(OpId::Pow, x.at(t, i), y.at(t, i))))),
                         qPrintable(QStringLiteral("pow(%1, %2) = %3")
                                        .arg(x.at(t, i), 0, 'g', 9)
                                        .arg(y.at(t, i), 0, 'g', 9)
                                        .arg(out.at(t, i), 0, 'g', 9)));
        for (double c : {30.0, -30.0, 10.5, -7.25, 0.01})
            for (bool right : {true, false}) {
                kernels::binaryScalar(OpId::Pow, x, c, right, out);
                for (int t = 0; t < days; ++t)
                    for (int i = 0; i < n; ++i)
                        QVERIFY(sameUlp(out.at(t, i), right ? refBinary(OpId::Pow, x.at(t, i), c)
                                                            : refBinary(OpId::Pow, c, x.at(t, i))));
            }
        // Hand cases, inside the vector body (first four cells).
        Panel h(1, 4), e(1, 4);
        const float hv[] = {-2.0f, -2.0f, 0.0f, 4.0f}, ev[] = {3.0f, 0.5f, -1.0f, 0.5f};
        // and the zero and negative bases that the vector path settles itself
        const float zv[] = {-0.0f, 0.0f, -3.0f, 0.0f}, zev[] = {3.0f, 0.0f, -2.0f, 2.5f};
        for (int i = 0; i < 4; ++i) {
            h.at(0, i) = hv[i];
            e.at(0, i) = ev[i];
        }
        Panel r(1, 4);
        kernels::binary(OpId::Pow, h, e, r);
        QCOMPARE(r.at(0, 0), -8.0f);
        QVERIFY(std::isnan(r.at(0, 1)) && std::isnan(r.at(0, 2))); // (-2)^0.5, 0^-1
        QCOMPARE(r.at(0, 3), 2.0f);
        for (int i = 0; i < 4; ++i) {
            h.at(0, i) = zv[i];
            e.at(0, i) = zev[i];
        }
        kernels::binary(OpId::Pow, h, e, r);
        QVERIFY(r.at(0, 0) == 0.0f && std::signbit(r.at(0, 0))); // (-0)^3 = -0
        QCOMPARE(r.at(0, 1), 1.0f);                              // 0^0
        QCOMPARE(r.at(0, 2), static_cast<float>(1.0 / 9.0));     // (-3)^-2
        QCOMPARE(r.at(0, 3), 0.0f);                              // 0^2.5
        kernels::binaryScalar(OpId::Pow, h, -3.0, true, r);
        QVERIFY(std::isnan(r.at(0, 0)) && std::isnan(r.at(0, 1))); // 0^-3
        QCOMPARE(r.at(0, 2), static_cast<float>(-1.0 / 27.0));
        kernels::binaryScalar(OpId::Pow, h, 0.5, true, r);
        QVERIFY(r.at(0, 0) == 0.0f && !std::signbit(r.at(0, 0))); // (-0)^0.5 = +0
        QVERIFY(std::isnan(r.at(0, 2)));
        for (int i = 0; i < 4; ++i) {
            h.at(0, i) = hv[i];
            e.at(0, i) = ev[i];
        }
        kernels::unary(OpId::Log, h, r);
        QVERIFY(std::isnan(r.at(0, 0)) && std::isnan(r.at(0, 2)));
        QCOMPARE(r.at(0, 3), static_cast<float>(std::log(4.0)));
        kernels::unary(OpId::SLog1p, h, r);
        QCOMPARE(r.at(0, 0), static_cast<float>(-std::log1p(2.0)));
        QCOMPARE(r.at(0, 2), 0.0f);
    }

    void binaryOps_data() {
        QTest::addColumn<int>("op");
        for (OpId op : {OpId::Add, OpId::Sub, OpId::Mul, OpId::Div, OpId::Pow, OpId::Greater, OpId::Less, OpId::Gt,
                        OpId::Ge, OpId::Lt, OpId::Le, OpId::Eq, OpId::Ne, OpId::And, OpId::Or, OpId::SignedPower})
            QTest::newRow(std::to_string(static_cast<int>(op)).c_str()) << static_cast<int>(op);
    }
    void binaryOps() {
        QFETCH(int, op);
        const OpId id = static_cast<OpId>(op);
        auto md = makeMarket(2);
        Panel x = *md->fields["close"];
        Panel y = *md->fields["open"];
        for (int i = 0; i < kInstruments; ++i) y.at(10, i) = (i % 2) ? 0.5f : 2.0f; // fractional and integer exponents
        x.at(4, 4) = std::numeric_limits<float>::infinity();
        Panel out(kDays, kInstruments), outL(kDays, kInstruments), outR(kDays, kInstruments);
        kernels::binary(id, x, y, out);
        kernels::binaryScalar(id, x, 2.0, true, outR);
        kernels::binaryScalar(id, x, -0.5, false, outL);
        for (int t = 0; t < kDays; ++t)
            for (int i = 0; i < kInstruments; ++i) {
                QVERIFY(same(out.at(t, i), refBinary(id, x.at(t, i), y.at(t, i))));
                QVERIFY(same(outR.at(t, i), refBinary(id, x.at(t, i), 2.0)));
                QVERIFY(same(outL.at(t, i), refBinary(id, -0.5, x.at(t, i))));
            }
        if (id == OpId::Pow) QVERIFY(std::isnan(kernels::binaryValue(OpId::Pow, -8.0, 1.0 / 3.0)));
        if (id == OpId::SignedPower) { // sign(x) |x|^e: defined for a negative base and any exponent
            QCOMPARE(kernels::binaryValue(OpId::SignedPower, -8.0, 1.0 / 3.0), -2.0);
            QCOMPARE(kernels::binaryValue(OpId::SignedPower, -3.0, 2.0), -9.0);
            QCOMPARE(kernels::binaryValue(OpId::SignedPower, 0.0, 2.0), 0.0);
            QVERIFY(std::isnan(kernels::binaryValue(OpId::SignedPower, 0.0, -1.0)));
        }
        if (id == OpId::Div) QVERIFY(std::isnan(kernels::binaryValue(OpId::Div, 1.0, 0.0)));
    }

    /// 4,099 floats from subnormals to overflow, both signs, with NaN, infinities, zeros, FLT_MAX and
    /// values near AlphaGen's constants.
    static Panel extremeFloats(unsigned seed) {
        std::mt19937 rng(seed);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        const int n = 4099;
        Panel x(1, n);
        for (int k = 0; k < n; ++k) {
            const double mag = std::pow(10.0, -46.0 + 85.0 * u(rng)); // 1e-46 .. 1e39: subnormal to overflow
            float v = static_cast<float>((u(rng) < 0.5 ? -1.0 : 1.0) * mag);
            if (k % 97 == 0) v = NAN;
            if (k % 101 == 0) v = (k % 2) ? INFINITY : -INFINITY;
            if (k % 103 == 0) v = (k % 2) ? 0.0f : -0.0f;
            if (k % 107 == 0) v = std::numeric_limits<float>::max();
            if (k % 109 == 0) v = std::numeric_limits<float>::denorm_min();
            if (k % 113 == 0) v = static_cast<float>(u(rng) * 60.0 - 30.0); // near the constants
            x.at(0, k) = v;
        }
        return x;
    }

    static bool sameBits(float got, float expected) {
        return (std::isnan(got) && std::isnan(expected)) || std::memcmp(&got, &expected, sizeof got) == 0;
    }

    // binaryScalar takes a float road for constants that are exactly floats: it must give the
    // double road's bits (binaryValue rounded to float) on any input, subnormals and the edges of
    // the float range included, and keep the double road for the others (0.01).
    void scalarOpsGiveTheDoubleRoadsBits() {
        const Panel x = extremeFloats(21);
        const int n = x.instruments();
        Panel out(1, n);
        for (OpId op : {OpId::Add, OpId::Sub, OpId::Mul, OpId::Div, OpId::Greater, OpId::Less})
            for (double c : {-30.0, -10.0, -5.0, -2.0, -1.0, -0.5, -0.01, 0.0, 0.01, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0,
                             3.0e38, 1.0e-40, static_cast<double>(std::numeric_limits<float>::denorm_min()),
                             std::numeric_limits<double>::quiet_NaN()}) // NaN: a folded Div(1, 0)
                for (bool right : {true, false}) {
                    kernels::binaryScalar(op, x, c, right, out);
                    for (int k = 0; k < n; ++k) {
                        const double a = x.at(0, k);
                        const double r = right ? kernels::binaryValue(op, a, c) : kernels::binaryValue(op, c, a);
                        float expected = static_cast<float>(r);
                        if (!std::isfinite(expected)) expected = NAN;
                        const float got = out.at(0, k);
                        const bool equal =
                            (std::isnan(got) && std::isnan(expected)) || std::memcmp(&got, &expected, sizeof got) == 0;
                        if (!equal)
                            QFAIL(qPrintable(QString("op %1, c %2, %3: x %4 gives %5, expected %6")
                                                 .arg(static_cast<int>(op))
                                                 .arg(c)
                                                 .arg(right ? "right" : "left")
                                                 .arg(double(x.at(0, k)), 0, 'g', 9)
                                                 .arg(double(got), 0, 'g', 9)
                                                 .arg(double(expected), 0, 'g', 9)));
                    }
                }
    }

    /// Pow by 2, -1 and 0.5 and Delta take float roads (one operation each); their bits are those of
    /// computing in double and rounding back, as the code did before.
    void floatShortcutsGiveTheDoubleRoadsBits() {
        const Panel x = extremeFloats(22);
        const int n = x.instruments();
        Panel out(1, n);
        const auto doubleRoad = [](double r) {
            const float f = static_cast<float>(r);
            return std::isfinite(f) ? f : NAN;
        };
        for (double c : {2.0, -1.0, 0.5}) {
            kernels::binaryScalar(OpId::Pow, x, c, true, out);
            for (int k = 0; k < n; ++k) {
                const double a = x.at(0, k);
                float expected = NAN;
                if (std::isfinite(a))
                    expected = c == 2.0    ? doubleRoad(a * a)
                               : c == -1.0 ? doubleRoad(1.0 / a)
                               : a >= 0.0  ? doubleRoad(std::sqrt(a) + 0.0)
                                           : NAN;
                QVERIFY2(sameBits(out.at(0, k), expected), qPrintable(QString("Pow(%1, %2) = %3, expected %4")
                                                                          .arg(a, 0, 'g', 9)
                                                                          .arg(c)
                                                                          .arg(double(out.at(0, k)), 0, 'g', 9)
                                                                          .arg(double(expected), 0, 'g', 9)));
            }
        }
        // Delta(x, 1) over two days: the second row is the first reversed, so every pair meets.
        Panel two(2, n);
        for (int k = 0; k < n; ++k) {
            two.at(0, k) = x.at(0, k);
            two.at(1, k) = x.at(0, n - 1 - k);
        }
        Panel delta(2, n), ref(2, n);
        kernels::rolling(OpId::Delta, two, 1, delta);
        kernels::rolling(OpId::Ref, two, 1, ref);
        for (int k = 0; k < n; ++k) {
            const double a = two.at(0, k), b = two.at(1, k);
            const float expected = std::isfinite(a) && std::isfinite(b) ? doubleRoad(b - a) : NAN;
            QVERIFY2(sameBits(delta.at(1, k), expected),
                     qPrintable(QString("%1 - %2").arg(b, 0, 'g', 9).arg(a, 0, 'g', 9)));
            QVERIFY(sameBits(ref.at(1, k), std::isfinite(a) ? static_cast<float>(a) : NAN));
            QVERIFY(std::isnan(delta.at(0, k)) && std::isnan(ref.at(0, k)));
        }
    }

    void evaluatorMatchesKernels() {
        auto md = makeMarket(5);
        Evaluator ev(md);
        auto r = ev.evaluate("GroupZScore(Div(Sub($close, $open), Add(Sub($high, $low), 0.01)), sector)");
        QVERIFY(r.ok());
        Panel a(kDays, kInstruments), b(kDays, kInstruments), c(kDays, kInstruments), d(kDays, kInstruments),
            e(kDays, kInstruments);
        kernels::binary(OpId::Sub, *md->fields["close"], *md->fields["open"], a);
        kernels::binary(OpId::Sub, *md->fields["high"], *md->fields["low"], b);
        kernels::binaryScalar(OpId::Add, b, 0.01, true, c);
        kernels::binary(OpId::Div, a, c, d);
        kernels::group(OpId::GroupZScore, d, md->groupings[0].ids, e);
        for (std::size_t k = 0; k < e.size(); ++k) QVERIFY(same(r.value()->data()[k], e.data()[k], 0));
    }

    /// If(cond, a, b) against a loop over the cells; ChangeInstrument against the column copied by hand.
    void selectAndChangeInstrument() {
        auto md = makeMarket(9);
        Evaluator ev(md);
        auto r = ev.evaluate("If(Sub($close, $open), $high, -1)");
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
        const Panel& c = *md->fields["close"];
        const Panel& o = *md->fields["open"];
        const Panel& h = *md->fields["high"];
        int picked = 0, other = 0;
        for (int t = 0; t < kDays; ++t)
            for (int i = 0; i < kInstruments; ++i) {
                const double cond = double(c.at(t, i)) - double(o.at(t, i));
                double want = !std::isfinite(cond) ? NAN : cond != 0 ? double(h.at(t, i)) : -1.0;
                if (!md->isMember(t, i)) want = NAN;
                QVERIFY(same(r.value()->at(t, i), want, 0));
                picked += std::isfinite(cond) && cond != 0;
                other += std::isfinite(cond) && cond == 0;
            }
        QVERIFY(picked > 0);
        // Hand cases of the selection, NaN condition included.
        QCOMPARE(kernels::selectValue(1.0, 2.0, 3.0), 2.0);
        QCOMPARE(kernels::selectValue(0.0, 2.0, 3.0), 3.0);
        QCOMPARE(kernels::selectValue(-0.5, 2.0, 3.0), 2.0);
        QVERIFY(std::isnan(kernels::selectValue(NAN, 2.0, 3.0)));
        QVERIFY(std::isnan(kernels::selectValue(1.0, NAN, 3.0)));
        // All-constant arguments fold to a number: If(1 > 2, $close, 5) is 5 everywhere it is defined.
        auto folded = ev.evaluate("If(1 > 2, $close, 5) + $close * 0");
        QVERIFY(folded.ok());
        for (int t = 0; t < kDays; ++t)
            for (int i = 0; i < kInstruments; ++i)
                if (md->isMember(t, i) && std::isfinite(c.at(t, i))) QCOMPARE(folded.value()->at(t, i), 5.0f);

        const std::string code = md->instruments[2];
        auto b = ev.evaluate("ChangeInstrument('" + code + "', Mean($close, 3))");
        QVERIFY2(b.ok(), b.ok() ? "" : b.error().toString().c_str());
        auto mean = ev.evaluate("Mean($close, 3)");
        for (int t = 0; t < kDays; ++t)
            for (int i = 0; i < kInstruments; ++i)
                QVERIFY(same(b.value()->at(t, i), md->isMember(t, i) ? mean.value()->at(t, 2) : kNaN, 0));
        // Qlib's Mask(x, code) is the same node.
        auto mask = parseFormula("Mask(Mean($close, 3), '" + code + "')");
        QVERIFY(mask.ok());
        QCOMPARE(mask.value()->toString(), "ChangeInstrument('" + code + "', Mean($close, 3))");
        // An instrument the data does not hold is named in the error.
        auto missing = ev.evaluate("ChangeInstrument('SPY', $close)");
        QVERIFY(!missing.ok());
        QVERIFY2(missing.error().message.find("no instrument 'SPY'") != std::string::npos,
                 missing.error().message.c_str());
    }

    void constantFolding() {
        auto md = makeMarket(6);
        Evaluator ev(md);
        auto a = ev.evaluate("Mul($close, Add(1, 1))");
        auto b = ev.evaluate("Mul($close, 2)");
        auto c = ev.evaluate("$close * (3 - 1)");
        QVERIFY(a.ok() && b.ok() && c.ok());
        for (std::size_t k = 0; k < a.value()->size(); ++k) {
            QVERIFY(same(a.value()->data()[k], b.value()->data()[k], 0));
            QVERIFY(same(c.value()->data()[k], b.value()->data()[k], 0));
        }
    }

    void membershipMasksShiftedValues() {
        auto md = makeMarket(7);
        Evaluator ev(md);
        auto r = ev.evaluate("Ref($close, 1)");
        QVERIFY(r.ok());
        for (int t = 1; t < kDays; ++t)
            for (int i = 0; i < kInstruments; ++i) {
                const bool member = md->isMember(t, i);
                const float expected = member ? md->fields["close"]->at(t - 1, i) : kNaN;
                QVERIFY(same(r.value()->at(t, i), expected, 0));
            }
        // instrument 3 joins at day 5: Ref(.,1) at day 5 reads a non-member day -> NaN
        QVERIFY(std::isnan(r.value()->at(5, 3)));
        // Few cells outside the universe are masked from runs of days per instrument, many with a
        // select over every cell (UniverseMask): both give NaN exactly outside it (here a third of the
        // cells, every third day).
        for (int t = 0; t < kDays; t += 3)
            for (int i = 0; i < kInstruments; ++i) md->membership[static_cast<std::size_t>(t * kInstruments + i)] = 0;
        Evaluator dense(md);
        auto d = dense.evaluate("Mean($close, 2)");
        QVERIFY(d.ok());
        int masked = 0;
        for (int t = 2; t < kDays; ++t)
            for (int i = 0; i < kInstruments; ++i) {
                if (!md->isMember(t, i)) {
                    QVERIFY(std::isnan(d.value()->at(t, i)));
                    ++masked;
                } else if (md->isMember(t - 1, i)) {
                    QVERIFY(same(d.value()->at(t, i), r.value()->at(t, i) * 0.5 + md->fields["close"]->at(t, i) * 0.5,
                                 1e-5));
                }
            }
        QVERIFY(masked >= kInstruments * (kDays - 2) / 3 - kInstruments);
    }

    void cacheHitsAndBudget() {
        auto md = makeMarket(8);
        Evaluator ev(md);
        auto a = ev.evaluate("Add(Mul($close, 2), $open)");
        const CacheStats s1 = ev.cacheStats();
        auto b = ev.evaluate("Add(Mul($close, 2), $open)");
        const CacheStats s2 = ev.cacheStats();
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(a.value().get(), b.value().get()); // the very same panel
        QCOMPARE(s2.hits, s1.hits + 1);
        // A shared sub-tree is reused by another formula: Mean($close, 3) here. Mul($close, 2) ran
        // inside Add's fused chain and was never a panel of its own, so it is not in the cache.
        QVERIFY(ev.evaluate("Add(Mean($close, 3), $open)").ok());
        const CacheStats s3 = ev.cacheStats();
        auto c = ev.evaluate("Sub(Mean($close, 3), $high)");
        QVERIFY(c.ok());
        QCOMPARE(ev.cacheStats().hits, s3.hits + 1);
        QVERIFY(ev.evaluate("Mul($close, 2)").ok());
        QCOMPARE(ev.cacheStats().hits, s3.hits + 1);

        EvaluatorOptions tiny;
        tiny.cacheBytes = kDays * kInstruments * sizeof(float) + 1; // room for one panel
        Evaluator small(md, tiny);
        QVERIFY(small.evaluate("Add(Mean($close, 3), $open)").ok());
        QCOMPARE(small.cacheStats().entries, std::size_t(1));
        QVERIFY(small.cacheStats().evictions >= 1);
        QVERIFY(small.cacheStats().bytes <= tiny.cacheBytes);
    }

    void concurrentEvaluationsAgree() {
        auto md = makeMarket(9);
        const std::vector<std::string> formulas = {"Div(Sub($close,$open),Sub($high,$low))",
                                                   "CSRank(Mul($close, $volume))",
                                                   "GroupDemean(Abs($close), sector)",
                                                   "Sign(Sub($vwap, $close))",
                                                   "Inv(Add($volume, 1))",
                                                   "CSZScore(Log($volume))"};
        Evaluator sequential(md, EvaluatorOptions{0});
        std::vector<PanelPtr> expected;
        for (const auto& f : formulas) expected.push_back(sequential.evaluate(f).value());
        Evaluator shared(md);
        std::atomic<int> mismatches{0};
        std::vector<std::thread> threads;
        for (int k = 0; k < 4; ++k)
            threads.emplace_back([&, k] {
                for (int rep = 0; rep < 20; ++rep)
                    for (std::size_t f = 0; f < formulas.size(); ++f) {
                        const std::size_t idx = (f + static_cast<std::size_t>(k)) % formulas.size();
                        auto r = shared.evaluate(formulas[idx]);
                        if (!r.ok()) {
                            ++mismatches;
                            continue;
                        }
                        for (std::size_t c = 0; c < r.value()->size(); ++c)
                            if (!same(r.value()->data()[c], expected[idx]->data()[c], 0)) {
                                ++mismatches;
                                break;
                            }
                    }
            });
        for (auto& t : threads) t.join();
        QCOMPARE(mismatches.load(), 0);
    }

    // The searches evaluate on the market cut after training (MarketData::leadingDays): every
    // operator, on both a small market with zeros, negatives, NaN and a late listing and a longer
    // synthetic one (windows past the direct paths of Rank, Med and Mad), must give on the kept
    // days exactly the bits of the whole market's evaluation.
    void leadingDaysGiveTheWholeMarketsValues() {
        SyntheticSpec spec;
        spec.days = 420;
        spec.instruments = 45;
        spec.missingShare = 0.0005; // long windows still see values
        spec.seed = 7;
        const std::vector<std::pair<std::shared_ptr<const MarketData>, int>> markets = {
            {makeMarket(11), 41}, {std::make_shared<MarketData>(makeSyntheticMarket(spec)), 301}};
        const std::string x = "Div(Sub($close, $open), Add($volume, 1))", y = "Add($low, $volume)";
        std::vector<std::pair<std::string, int>> formulas = {{"Pow(CSRank($close), Sub($open, $low))", 0},
                                                             {"Corr(Mean($close, 5), Std($volume, 10), 20)", 30},
                                                             {"GroupRank(Delta(Log($volume), 3), sector)", 4}};
        for (const OperatorSpec& op : allOperators()) {
            const std::string name(op.name);
            std::string args = op.seriesArity == 3   ? "Gt(" + x + ", " + y + "), " + x + ", " + y
                               : op.seriesArity == 2 ? x + ", " + y
                                                     : x;
            if (op.hasInstrument) {
                continue; // the two markets have different instruments: selectAndChangeInstrument covers it
            } else if (op.hasGroup) {
                formulas.push_back({name + "(" + args + ", sector)", 0});
            } else if (op.hasWindow) {
                const std::string q = op.hasParameter ? ", 0.3" : ""; // Quantile's q
                for (int w : {1, 5, 20, 64, 100, 257, 300})
                    if (w >= minimumWindow(op.id))
                        formulas.push_back({name + "(" + args + ", " + std::to_string(w) + q + ")", w});
            } else {
                formulas.push_back({name + "(" + args + ")", 0});
                if (op.seriesArity == 2) formulas.push_back({name + "(" + x + ", 0.5)", 0}); // with a constant
            }
        }
        for (const auto& [market, cut] : markets) {
            const auto leading = market->leadingDays(cut);
            QCOMPARE(leading->days(), cut);
            QCOMPARE(leading->instrumentCount(), market->instrumentCount());
            Evaluator whole(market), part(leading);
            for (const auto& [f, window] : formulas) {
                auto a = whole.evaluate(f);
                auto b = part.evaluate(f);
                QVERIFY2(a.ok() && b.ok(), f.c_str());
                QCOMPARE(b.value()->days(), cut);
                int finite = 0;
                for (int t = 0; t < cut; ++t)
                    for (int i = 0; i < market->instrumentCount(); ++i) {
                        const float u = a.value()->at(t, i), v = b.value()->at(t, i);
                        const bool equal = (std::isnan(u) && std::isnan(v)) || std::memcmp(&u, &v, sizeof u) == 0;
                        if (!equal)
                            QFAIL(qPrintable(QString::fromStdString(f) +
                                             QString(" differs at day %1, instrument %2").arg(t).arg(i)));
                        finite += std::isfinite(v) ? 1 : 0;
                    }
                if (window < cut) QVERIFY2(finite > 0, f.c_str()); // the comparison saw values
            }
        }
    }

    void cancelAndErrors() {
        auto md = makeMarket(10);
        Evaluator ev(md);
        std::atomic<bool> cancel{true};
        auto e = parseFormula("Add($close, $open)");
        auto r = ev.evaluate(e.value(), &cancel);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::Canceled);

        auto unknownField = ev.evaluate("Add($close, $amount)");
        QVERIFY(!unknownField.ok());
        QCOMPARE(unknownField.error().code, ErrorCode::Semantic);
        QVERIFY(QString::fromStdString(unknownField.error().message).contains("$amount"));
        auto unknownGroup = ev.evaluate("GroupRank($close, industry)");
        QVERIFY(!unknownGroup.ok());
        QVERIFY(QString::fromStdString(unknownGroup.error().message).contains("sector"));
        auto future = ev.evaluate("Ref($close, -1)");
        QVERIFY(!future.ok());
        auto target = ev.evaluate("Ref($close, -1)", true);
        QVERIFY(target.ok());
        QCOMPARE(target.value()->at(0, 0), md->fields["close"]->at(1, 0));
    }
};

QTEST_GUILESS_MAIN(TestEvaluator)
#include "tst_evaluator.moc"

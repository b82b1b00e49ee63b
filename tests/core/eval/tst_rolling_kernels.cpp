// Tests of the rolling kernels (ALGORITHMS.md §2): every operator against a slow reference written
// here (collect the window, two-pass double, naive sorts) on random panels with NaNs, infs, constant
// runs and large near-constant values, plus cases worked out by hand.

#include "core/eval/rolling_kernels.h"
#include "tests/core/eval/rolling_compare.h"
#include "tests/core/eval/rolling_reference.h"

#include <QtTest/QtTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <thread>
#include <vector>

using namespace alphascope;

namespace {

using namespace rolling_reference;

const float kInf = std::numeric_limits<float>::infinity();

struct OpName {
    OpId op;
    const char* name;
};

const OpName kWindowOps[] = {{OpId::Mean, "Mean"},
                             {OpId::Sum, "Sum"},
                             {OpId::Std, "Std"},
                             {OpId::Var, "Var"},
                             {OpId::Skew, "Skew"},
                             {OpId::Kurt, "Kurt"},
                             {OpId::Max, "Max"},
                             {OpId::Min, "Min"},
                             {OpId::Med, "Med"},
                             {OpId::Mad, "Mad"},
                             {OpId::Rank, "Rank"},
                             {OpId::WMA, "WMA"},
                             {OpId::EMA, "EMA"},
                             {OpId::IR, "IR"},
                             {OpId::MaxDiff, "MaxDiff"},
                             {OpId::MinDiff, "MinDiff"},
                             {OpId::MinMaxDiff, "MinMaxDiff"},
                             {OpId::TsDiv, "TsDiv"},
                             {OpId::ArgMax, "ArgMax"},
                             {OpId::ArgMin, "ArgMin"},
                             {OpId::Slope, "Slope"},
                             {OpId::Rsquare, "Rsquare"},
                             {OpId::Resi, "Resi"},
                             {OpId::Product, "Product"}};

const OpName kEndpointOps[] = {{OpId::Ref, "Ref"}, {OpId::Delta, "Delta"}, {OpId::PctChange, "PctChange"}};

const int kWindows[] = {1, 2, 3, 5, 10, 20};

const char* opName(OpId op) {
    for (const OpName& o : kWindowOps)
        if (o.op == op) return o.name;
    return "?";
}

/// The kernel's result on one short series.
std::vector<float> runSeries(OpId op, const std::vector<float>& xs, int window) {
    Panel x(static_cast<int>(xs.size()), 1);
    for (std::size_t t = 0; t < xs.size(); ++t) x.at(int(t), 0) = xs[t];
    Panel out(x.days(), 1, 123.0f);
    kernels::rolling(op, x, window, out);
    return {out.storage().begin(), out.storage().end()};
}

/// The kernel's result on one short pair of series.
std::vector<float> runPair(OpId op, const std::vector<float>& xs, const std::vector<float>& ys, int window) {
    Panel x(static_cast<int>(xs.size()), 1), y(static_cast<int>(ys.size()), 1);
    for (std::size_t t = 0; t < xs.size(); ++t) {
        x.at(int(t), 0) = xs[t];
        y.at(int(t), 0) = ys[t];
    }
    Panel out(x.days(), 1, 123.0f);
    kernels::pairRolling(op, x, y, window, out);
    return {out.storage().begin(), out.storage().end()};
}

bool sameBits(const Panel& a, const Panel& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t k = 0; k < a.size(); ++k) {
        const float u = a.storage()[k], v = b.storage()[k];
        if (!(u == v || (std::isnan(u) && std::isnan(v)))) return false;
    }
    return true;
}

#define CHECK_VALUE(got, expected)                                                                                     \
    do {                                                                                                               \
        const double g_ = (got), e_ = (expected);                                                                      \
        QVERIFY2(std::isnan(e_) ? std::isnan(g_) : std::fabs(g_ - e_) <= 1e-6 * std::max(1.0, std::fabs(e_)),          \
                 qPrintable(QStringLiteral("got %1, expected %2").arg(g_, 0, 'g', 10).arg(e_, 0, 'g', 10)));           \
    } while (false)

} // namespace

class TestRollingKernels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesReference_data();
    void matchesReference();
    void pairMatchesReference_data();
    void pairMatchesReference();
    void longSeriesMatchesReference();
    void blocksAndThreadsAgree();
    void undefinedWindowsAreNaN();
    void aliasedOutput();

    void handRankAndMedian();
    void handWeightedAverages();
    void handArgExtremes();
    void handMoments();
    void handConstantAndNearConstant();
    void handMadAndExtrema();
    void handCovCorr();
    void handEndpoints();
    void handNonFinitePoisonsWindows();
    void handRegressionAndCount();
    void handProduct();
    void quantileMatchesReference();
};

void TestRollingKernels::quantileMatchesReference() {
    // Direct sorted windows (W <= 256) and the order-statistic tree (longer), q at the ends and
    // between, against sorting each window (pandas' linear rule), NaNs and ties included.
    for (int w : {1, 2, 5, 20, 64, 257, 300}) {
        const Panel x = randomPanel(w + 150, 13, 777u + unsigned(w), w > 100 ? 0.001 : 0.02);
        for (double q : {0.0, 0.2, 0.5, 0.8, 1.0}) {
            Panel out(x.days(), x.instruments(), 123.0f);
            kernels::rollingQuantile(x, w, q, out);
            for (int t = 0; t < x.days(); ++t)
                for (int i = 0; i < x.instruments(); ++i) {
                    RefValue ref;
                    if (t >= w - 1) {
                        std::vector<double> win;
                        bool finite = true;
                        for (int s = t - w + 1; s <= t; ++s) {
                            finite = finite && std::isfinite(x.at(s, i));
                            win.push_back(x.at(s, i));
                        }
                        if (finite) {
                            std::sort(win.begin(), win.end());
                            const double pos = (w - 1) * q;
                            const int lo = static_cast<int>(std::floor(pos)),
                                      hi = std::min(w - 1, static_cast<int>(std::ceil(pos)));
                            ref = {win[lo] + (win[hi] - win[lo]) * (pos - lo), meanAbs(win)};
                        }
                    }
                    QString why;
                    QVERIFY2(agrees(out.at(t, i), ref, &why),
                             qPrintable(QStringLiteral("Quantile W %1 q %2 day %3 instrument %4: %5")
                                            .arg(w)
                                            .arg(q)
                                            .arg(t)
                                            .arg(i)
                                            .arg(why)));
                }
        }
        // q = 0.5 is the median.
        Panel half(x.days(), x.instruments()), med(x.days(), x.instruments());
        kernels::rollingQuantile(x, w, 0.5, half);
        kernels::rolling(OpId::Med, x, w, med);
        for (std::size_t c = 0; c < half.size(); ++c) {
            const float a = half.storage()[c], b = med.storage()[c];
            QVERIFY((std::isnan(a) && std::isnan(b)) || std::fabs(a - b) <= 1e-6f * std::max(1.0f, std::fabs(b)));
        }
    }
    // By hand: 1, 2, 3, 4, 10 -> q 0.8 at position 3.2: 4 + 0.2 * 6 = 5.2; q 0.2 at 0.8: 1.8.
    Panel x(5, 1);
    const float v[] = {3, 10, 1, 4, 2};
    for (int t = 0; t < 5; ++t) x.at(t, 0) = v[t];
    Panel out(5, 1);
    kernels::rollingQuantile(x, 5, 0.8, out);
    CHECK_VALUE(out.at(4, 0), 5.2);
    kernels::rollingQuantile(x, 5, 0.2, out);
    CHECK_VALUE(out.at(4, 0), 1.8);
    QVERIFY(std::isnan(out.at(3, 0)));
    kernels::rollingQuantile(x, 5, 1.5, out); // q outside [0, 1]: undefined
    QVERIFY(std::isnan(out.at(4, 0)));
}

void TestRollingKernels::handRegressionAndCount() {
    // x = 1, 2, 4 on days 1..3: slope 1.5, R^2 = 9 / (2 * 14/3) = 27/28, residual 4 - (7/3 + 1.5).
    const std::vector<float> xs = {1, 2, 4, 4, 4, 4};
    const auto slope = runSeries(OpId::Slope, xs, 3), r2 = runSeries(OpId::Rsquare, xs, 3),
               resi = runSeries(OpId::Resi, xs, 3);
    QVERIFY(std::isnan(slope[0]) && std::isnan(slope[1]));
    CHECK_VALUE(slope[2], 1.5);
    CHECK_VALUE(r2[2], 27.0 / 28.0);
    CHECK_VALUE(resi[2], 4.0 - (7.0 / 3.0 + 1.5));
    // 2, 4, 4: slope 1, R^2 = 4 / (2 * 8/3) = 0.75, residual 4 - (10/3 + 1) = -1/3.
    CHECK_VALUE(slope[3], 1.0);
    CHECK_VALUE(r2[3], 0.75);
    CHECK_VALUE(resi[3], -1.0 / 3.0);
    // A constant window: slope 0, R^2 undefined, residual 0.
    CHECK_VALUE(slope[5], 0.0);
    QVERIFY(std::isnan(r2[5]));
    CHECK_VALUE(resi[5], 0.0);
    // A straight line: R^2 = 1 exactly, residual 0.
    const auto line = runSeries(OpId::Rsquare, {3, 5, 7, 9, 11}, 4);
    CHECK_VALUE(line[4], 1.0);
    CHECK_VALUE(runSeries(OpId::Resi, {3, 5, 7, 9, 11}, 4)[4], 0.0);
    CHECK_VALUE(runSeries(OpId::Slope, {3, 5, 7, 9, 11}, 4)[4], 2.0);
    // A NaN poisons the regression's windows but is only counted out by Count.
    const std::vector<float> gap = {1, kNaN, 3, 4, 5};
    const auto sg = runSeries(OpId::Slope, gap, 2);
    QVERIFY(std::isnan(sg[1]) && std::isnan(sg[2]));
    CHECK_VALUE(sg[3], 1.0);
    const auto count = runSeries(OpId::Count, gap, 3);
    QVERIFY(std::isnan(count[0]) && std::isnan(count[1]));
    CHECK_VALUE(count[2], 2.0);
    CHECK_VALUE(count[3], 2.0);
    CHECK_VALUE(count[4], 3.0);
    // Windows below two days (regression) or beyond the data are NaN everywhere.
    for (float v : runSeries(OpId::Slope, xs, 1)) QVERIFY(std::isnan(v));
    for (float v : runSeries(OpId::Count, xs, 7)) QVERIFY(std::isnan(v));
}

void TestRollingKernels::handProduct() {
    // 2 * -3 = -6, -3 * 0.5 = -1.5, 0.5 * 4 = 2; a zero makes 0, a NaN makes NaN (full windows).
    const auto p = runSeries(OpId::Product, {2, -3, 0.5f, 4, 0, 5, kNaN, 7}, 2);
    QVERIFY(std::isnan(p[0]));
    CHECK_VALUE(p[1], -6.0);
    CHECK_VALUE(p[2], -1.5);
    CHECK_VALUE(p[3], 2.0);
    CHECK_VALUE(p[4], 0.0);
    CHECK_VALUE(p[5], 0.0);
    QVERIFY(std::isnan(p[6]) && std::isnan(p[7]));
    // Three negatives in a window of three: negative; the window of one is x itself.
    CHECK_VALUE(runSeries(OpId::Product, {-1, -2, -3}, 3)[2], -6.0);
    const auto one = runSeries(OpId::Product, {1.5f, -2, kNaN}, 1);
    CHECK_VALUE(one[0], 1.5);
    CHECK_VALUE(one[1], -2.0);
    QVERIFY(std::isnan(one[2]));
    // Beyond float's range: NaN, as every operator's overflow.
    QVERIFY(std::isnan(runSeries(OpId::Product, {1e30f, 1e30f}, 2)[1]));
    // Partial products beyond double's range (1e30^12 = 1e360) whose window is moderate: the
    // mantissas and exponents are kept apart, so the window's product comes out; a product below
    // float's range is 0.
    std::vector<float> wide(12, 1e30f);
    wide.insert(wide.end(), 12, 1e-30f);
    const double unit = double(1e30f) * double(1e-30f);
    CHECK_VALUE(runSeries(OpId::Product, wide, 24)[23], std::pow(unit, 12));
    CHECK_VALUE(runSeries(OpId::Product, {1e-30f, 1e-30f, 1e-30f, 1e-30f}, 4)[3], 0.0);
    const double tiny = double(-1e-30f) * double(1e-20f) * double(1e25f); // -1e-25: relative check
    const double gotTiny = runSeries(OpId::Product, {-1e-30f, 1e-20f, 1e25f}, 3)[2];
    QVERIFY2(std::fabs(gotTiny / tiny - 1.0) < 1e-6, qPrintable(QString::number(gotTiny, 'g', 10)));
    // Over 3,000 days, windows far from the start are as exact as near it.
    std::vector<float> longSeries(3000);
    for (std::size_t t = 0; t < longSeries.size(); ++t)
        longSeries[t] = (t % 3 == 0 ? -1.0f : 1.0f) * (1.0f + float(t % 7) / 8.0f);
    const auto lp = runSeries(OpId::Product, longSeries, 4);
    for (int t : {3, 1023, 1024, 1025, 2048, 2999}) {
        double want = 1;
        for (int s = t - 3; s <= t; ++s) want *= longSeries[static_cast<std::size_t>(s)];
        CHECK_VALUE(lp[static_cast<std::size_t>(t)], want);
    }
}

void TestRollingKernels::matchesReference_data() {
    QTest::addColumn<int>("op");
    QTest::addColumn<int>("window");
    for (const OpName& o : kWindowOps)
        for (int w : kWindows) QTest::addRow("%s/%d", o.name, w) << int(o.op) << w;
    // Order statistics switch from direct window scans to a Fenwick tree above 64 days (Mad) or
    // 256 days (Rank, Med).
    for (OpId op : {OpId::Rank, OpId::Med, OpId::Mad, OpId::Skew, OpId::ArgMin})
        for (int w : {40, 64, 65, 130, 256, 257, 300}) QTest::addRow("%s/%d", opName(op), w) << int(op) << w;
    for (const OpName& o : kEndpointOps)
        for (int w : kWindows) QTest::addRow("%s/%d", o.name, w) << int(o.op) << w;
    for (int w : {0, -1, -3, -20}) QTest::addRow("Ref/%d", w) << int(OpId::Ref) << w;
    // Count is not poisoned by a NaN (it counts them out), so it is not in kWindowOps.
    for (int w : kWindows) QTest::addRow("Count/%d", w) << int(OpId::Count) << w;
}

void TestRollingKernels::matchesReference() {
    QFETCH(int, op);
    QFETCH(int, window);
    // Fewer NaNs for long windows, so that complete windows remain.
    const Panel x = randomPanel(std::max(200, window + 100), 17, 20240601u + unsigned(op),
                                window > 100  ? 0.001
                                : window > 20 ? 0.003
                                              : 0.03);
    Panel out(x.days(), x.instruments(), 123.0f);
    kernels::rolling(OpId(op), x, window, out);
    const auto reference = refRolling(OpId(op), x, window);
    comparePanels(out, reference, "rolling");
    // The extremes, their positions and a float's difference with one are exact: the reference's
    // double rounded once to float, bit for bit.
    const OpId exact[] = {OpId::Max,        OpId::Min,    OpId::MaxDiff, OpId::MinDiff,
                          OpId::MinMaxDiff, OpId::ArgMax, OpId::ArgMin};
    if (std::find(std::begin(exact), std::end(exact), OpId(op)) != std::end(exact))
        for (std::size_t k = 0; k < reference.size(); ++k) {
            const float expected = static_cast<float>(reference[k].value), got = out.storage()[k];
            QVERIFY2(got == expected || (std::isnan(got) && std::isnan(expected)),
                     qPrintable(
                         QStringLiteral("cell %1: %2 against %3").arg(k).arg(got, 0, 'g', 9).arg(expected, 0, 'g', 9)));
        }
    // The panel must exercise defined values, not only NaNs.
    int defined = 0;
    for (float v : out.storage()) defined += !std::isnan(v);
    if (window >= minimumWindow(OpId(op))) QVERIFY(defined > x.instruments() * (x.days() - std::abs(window)) / 4);
}

void TestRollingKernels::pairMatchesReference_data() {
    QTest::addColumn<int>("op");
    QTest::addColumn<int>("window");
    for (int w : kWindows) {
        QTest::addRow("Cov/%d", w) << int(OpId::Cov) << w;
        QTest::addRow("Corr/%d", w) << int(OpId::Corr) << w;
    }
}

void TestRollingKernels::pairMatchesReference() {
    QFETCH(int, op);
    QFETCH(int, window);
    const Panel x = randomPanel(200, 17, 7u);
    Panel y = randomPanel(200, 17, 8u);
    // Some columns of y follow x (high correlation) and some are scaled copies of x (|Corr| = 1).
    for (int t = 0; t < y.days(); ++t) {
        y.at(t, 2) = x.at(t, 2) + 0.1f * y.at(t, 2);
        y.at(t, 8) = -2.0f * x.at(t, 8);
        y.at(t, 6) = x.at(t, 7);
    }
    Panel out(x.days(), x.instruments(), 123.0f);
    kernels::pairRolling(OpId(op), x, y, window, out);
    comparePanels(out, refPair(OpId(op), x, y, window), "pair");
}

void TestRollingKernels::longSeriesMatchesReference() {
    // Long near-constant price series (prices ~3000 drifting slowly, tiny moves, level shifts of
    // 1,000 followed by tiny moves, values alternating between two floats) where running sums of
    // powers lose their digits; checked against the reference at spot days.
    const int days = 3000, cols = 5;
    std::mt19937 rng(99u);
    std::normal_distribution<double> normal(0.0, 1.0);
    Panel x(days, cols);
    for (int i = 0; i < cols; ++i) {
        double price = 3000.0 + 100.0 * i;
        for (int t = 0; t < days; ++t) {
            price += (i == 4 ? 0.5 : 0.002) * normal(rng) + (i == 3 ? 0.01 : 0.0);
            if (i == 1 && t % 700 == 350) price += 1000.0; // level shifts: far from the old centre, tiny moves after
            if (i == 0 && t > 2500) price = 3000.0 + 1e-3 * float(t % 2); // two values a tick apart
            x.at(t, i) = (i == 2 && t % 997 == 500) ? kNaN : static_cast<float>(price);
        }
    }
    for (int window : {20, 60, 100, 250}) {
        for (const OpName& o : kWindowOps) {
            Panel out(days, cols);
            kernels::rolling(o.op, x, window, out);
            for (int t = window - 1; t < days; t += (t % 7 == 0 ? 11 : 3)) {
                for (int i = 0; i < cols; ++i) {
                    std::vector<double> w;
                    bool finite = true;
                    for (int s = t - window + 1; s <= t; ++s) {
                        w.push_back(x.at(s, i));
                        finite = finite && std::isfinite(x.at(s, i));
                    }
                    const RefValue ref = finite ? refWindow(o.op, w) : RefValue{};
                    QString why;
                    QVERIFY2(agrees(out.at(t, i), ref, &why),
                             qPrintable(QStringLiteral("%1/%2 day %3 instrument %4: %5")
                                            .arg(o.name)
                                            .arg(window)
                                            .arg(t)
                                            .arg(i)
                                            .arg(why)));
                }
            }
        }
    }
    // Cov and Corr of each series with the next one (every day).
    Panel y(days, cols);
    for (int t = 0; t < days; ++t)
        for (int i = 0; i < cols; ++i) y.at(t, i) = x.at(t, (i + 1) % cols);
    for (int window : {20, 250}) {
        for (OpId op : {OpId::Cov, OpId::Corr}) {
            Panel out(days, cols);
            kernels::pairRolling(op, x, y, window, out);
            comparePanels(out, refPair(op, x, y, window), QStringLiteral("%1/%2 long").arg(opName(op)).arg(window));
        }
    }
}

void TestRollingKernels::blocksAndThreadsAgree() {
    // Instruments are split into blocks and run in parallel: each column of a wide panel must equal
    // the same column computed alone, and concurrent calls must not disturb each other.
    const Panel x = randomPanel(120, 150, 5u);
    const Panel y = randomPanel(120, 150, 6u);
    for (int window : {10, 80}) {
        for (const OpName& o : kWindowOps) {
            Panel wide(x.days(), x.instruments());
            kernels::rolling(o.op, x, window, wide);
            for (int i : {0, 15, 16, 63, 64, 100, 149}) {
                Panel one(x.days(), 1), oneOut(x.days(), 1);
                for (int t = 0; t < x.days(); ++t) one.at(t, 0) = x.at(t, i);
                kernels::rolling(o.op, one, window, oneOut);
                for (int t = 0; t < x.days(); ++t) {
                    const float a = wide.at(t, i), b = oneOut.at(t, 0);
                    QVERIFY2(a == b || (std::isnan(a) && std::isnan(b)), o.name);
                }
            }
        }
    }
    for (OpId op : {OpId::Corr, OpId::Cov}) {
        Panel wide(x.days(), x.instruments());
        kernels::pairRolling(op, x, y, 10, wide);
        for (int i = 0; i < x.instruments(); ++i) {
            Panel oneX(x.days(), 1), oneY(x.days(), 1), oneOut(x.days(), 1);
            for (int t = 0; t < x.days(); ++t) {
                oneX.at(t, 0) = x.at(t, i);
                oneY.at(t, 0) = y.at(t, i);
            }
            kernels::pairRolling(op, oneX, oneY, 10, oneOut);
            for (int t = 0; t < x.days(); ++t) {
                const float a = wide.at(t, i), b = oneOut.at(t, 0);
                QVERIFY(a == b || (std::isnan(a) && std::isnan(b)));
            }
        }
    }
    Panel serialRank(x.days(), x.instruments()), serialCorr(x.days(), x.instruments());
    kernels::rolling(OpId::Rank, x, 70, serialRank);
    kernels::pairRolling(OpId::Corr, x, y, 7, serialCorr);
    std::vector<Panel> ranks(4, Panel(x.days(), x.instruments()));
    std::vector<Panel> corrs(4, Panel(x.days(), x.instruments()));
    std::vector<std::thread> threads;
    for (int k = 0; k < 4; ++k) {
        threads.emplace_back([&, k] {
            kernels::rolling(OpId::Rank, x, 70, ranks[k]);
            kernels::pairRolling(OpId::Corr, x, y, 7, corrs[k]);
        });
    }
    for (std::thread& th : threads) th.join();
    for (int k = 0; k < 4; ++k) {
        QVERIFY(sameBits(ranks[k], serialRank));
        QVERIFY(sameBits(corrs[k], serialCorr));
    }
}

void TestRollingKernels::undefinedWindowsAreNaN() {
    const Panel x = randomPanel(30, 3, 11u);
    auto allNaN = [](const Panel& p) {
        return std::all_of(p.storage().begin(), p.storage().end(), [](float v) { return std::isnan(v); });
    };
    for (const OpName& o : kWindowOps) {
        for (int w : {0, -2, 31, minimumWindow(o.op) - 1}) {
            if (w >= 1 && w >= minimumWindow(o.op) && w <= 30) continue;
            Panel out(x.days(), x.instruments(), 123.0f);
            kernels::rolling(o.op, x, w, out);
            QVERIFY2(allNaN(out), qPrintable(QStringLiteral("%1/%2").arg(o.name).arg(w)));
        }
    }
    for (OpId op : {OpId::Delta, OpId::PctChange}) {
        Panel out(x.days(), x.instruments(), 123.0f);
        kernels::rolling(op, x, 0, out);
        QVERIFY(allNaN(out));
    }
    Panel out(x.days(), x.instruments(), 123.0f);
    kernels::rolling(OpId::Ref, x, 30, out);
    QVERIFY(allNaN(out));
    kernels::pairRolling(OpId::Cov, x, x, 1, out);
    QVERIFY(allNaN(out));
    kernels::pairRolling(OpId::Corr, x, Panel(29, 3, 1.0f), 5, out); // mismatched shapes
    QVERIFY(allNaN(out));
    kernels::rolling(OpId::CSRank, x, 5, out); // not a rolling operator
    QVERIFY(allNaN(out));
}

void TestRollingKernels::aliasedOutput() {
    const Panel x = randomPanel(60, 20, 13u);
    for (OpId op : {OpId::Mean, OpId::Skew, OpId::Max, OpId::Rank, OpId::Delta, OpId::Ref}) {
        Panel expected(x.days(), x.instruments());
        kernels::rolling(op, x, 5, expected);
        Panel inPlace = x;
        kernels::rolling(op, inPlace, 5, inPlace);
        QVERIFY(sameBits(inPlace, expected));
    }
    Panel expected(x.days(), x.instruments());
    kernels::pairRolling(OpId::Corr, x, x, 5, expected);
    Panel inPlace = x;
    kernels::pairRolling(OpId::Corr, inPlace, inPlace, 5, inPlace);
    QVERIFY(sameBits(inPlace, expected));
}

void TestRollingKernels::handRankAndMedian() {
    // [1,3,2,3], today 3: two values below (1, 2), two equal with today: (2 + (2+1)/2) / 4 = 0.875.
    CHECK_VALUE(runSeries(OpId::Rank, {1, 3, 2, 3}, 4)[3], 0.875);
    // The same window after sliding past an older 9.
    CHECK_VALUE(runSeries(OpId::Rank, {9, 1, 3, 2, 3}, 4)[4], 0.875);
    // [3,1,2,3,0]: window {1,2,3,0}, today 0 is the strict minimum: (0 + 1) / 4.
    CHECK_VALUE(runSeries(OpId::Rank, {3, 1, 2, 3, 0}, 4)[4], 0.25);
    CHECK_VALUE(runSeries(OpId::Rank, {1, 2, 3, 4}, 4)[3], 1.0);  // today's strict maximum
    CHECK_VALUE(runSeries(OpId::Rank, {4, 3, 2, 1}, 4)[3], 0.25); // strict minimum: (0 + 1) / 4
    CHECK_VALUE(runSeries(OpId::Rank, {2, 2, 2}, 3)[2], 2.0 / 3); // all tied: (0 + 2) / 3
    CHECK_VALUE(runSeries(OpId::Rank, {5, -1}, 1)[1], 1.0);
    const std::vector<float> med4 = runSeries(OpId::Med, {4, 1, 3, 2}, 4);
    CHECK_VALUE(med4[3], 2.5);
    QVERIFY(std::isnan(med4[2]));
    const std::vector<float> med3 = runSeries(OpId::Med, {4, 1, 3, 2, 2}, 3);
    CHECK_VALUE(med3[2], 3.0); // {4,1,3}
    CHECK_VALUE(med3[3], 2.0); // {1,3,2}
    CHECK_VALUE(med3[4], 2.0); // {3,2,2}
}

void TestRollingKernels::handWeightedAverages() {
    // WMA weights 1,2,3 / 6: (1*1 + 2*2 + 3*3) / 6 = 14/6; (3*1 + 2*2 + 1*3) / 6 = 10/6.
    const std::vector<float> wma = runSeries(OpId::WMA, {1, 2, 3, 2, 1}, 3);
    CHECK_VALUE(wma[2], 14.0 / 6);
    CHECK_VALUE(wma[4], 10.0 / 6);
    // EMA W=3: alpha = 0.5, weights by age 1, 0.5, 0.25 (sum 1.75): (3 + 1 + 0.25) / 1.75 = 17/7.
    const std::vector<float> ema = runSeries(OpId::EMA, {1, 2, 3, 0, 0, 4}, 3);
    CHECK_VALUE(ema[2], 17.0 / 7);
    CHECK_VALUE(ema[4], 0.75 / 1.75); // {3,0,0}: 3 at age 2
    CHECK_VALUE(ema[5], 4.0 / 1.75);
    // EMA W=1: alpha = 1, the value itself.
    CHECK_VALUE(runSeries(OpId::EMA, {1, -7}, 1)[1], -7.0);
    // EMA W=4: alpha = 0.4, weights 1, 0.6, 0.36, 0.216 (sum 2.176); window {1,0,0,0} -> 0.216 / 2.176.
    CHECK_VALUE(runSeries(OpId::EMA, {1, 0, 0, 0}, 4)[3], 0.216 / 2.176);
}

void TestRollingKernels::handArgExtremes() {
    CHECK_VALUE(runSeries(OpId::ArgMax, {2, 5, 1, 5}, 4)[3], 2.0); // ties: the oldest 5
    CHECK_VALUE(runSeries(OpId::ArgMin, {3, 1, 4, 1}, 4)[3], 2.0);
    CHECK_VALUE(runSeries(OpId::ArgMax, {1, 2, 3}, 3)[2], 3.0); // today
    CHECK_VALUE(runSeries(OpId::ArgMin, {1, 2, 3}, 3)[2], 1.0); // the oldest day
    const std::vector<float> arg = runSeries(OpId::ArgMax, {2, 5, 1, 5, 0, 0, 0}, 4);
    CHECK_VALUE(arg[4], 1.0); // {5,1,5,0}: first 5 is the oldest day
    CHECK_VALUE(arg[5], 2.0); // {1,5,0,0}
    CHECK_VALUE(arg[6], 1.0); // {5,0,0,0}
    CHECK_VALUE(runSeries(OpId::ArgMax, {7, 7, 7}, 3)[2], 1.0);
    CHECK_VALUE(runSeries(OpId::ArgMin, {0.5f}, 1)[0], 1.0);
}

void TestRollingKernels::handMoments() {
    // [1,2,3,10]: mean 4, deviations -3,-2,-1,6: m2 = 50/4 = 12.5, m3 = 180/4 = 45, m4 = 1394/4 = 348.5.
    // Skew = sqrt(4*3)/2 * 45 / 12.5^1.5 = 1.7636326...; Kurt = (15 * 348.5/156.25 - 27) / 2 = 3.228.
    CHECK_VALUE(runSeries(OpId::Skew, {1, 2, 3, 10}, 4)[3], 1.7636326148);
    CHECK_VALUE(runSeries(OpId::Kurt, {1, 2, 3, 10}, 4)[3], 3.228);
    // [1,2,3,4]: deviations +-1.5, +-0.5: m2 = 1.25, m4 = 2.5625: Kurt = (15*1.64 - 27)/2 = -1.2.
    CHECK_VALUE(runSeries(OpId::Kurt, {1, 2, 3, 4}, 4)[3], -1.2);
    CHECK_VALUE(runSeries(OpId::Skew, {1, 2, 3}, 3)[2], 0.0);
    // Var = (2.25 + 0.25 + 0.25 + 2.25) / 3 = 5/3; IR = 2.5 / sqrt(5/3).
    CHECK_VALUE(runSeries(OpId::Var, {1, 2, 3, 4}, 4)[3], 5.0 / 3);
    CHECK_VALUE(runSeries(OpId::Std, {1, 2, 3, 4}, 4)[3], std::sqrt(5.0 / 3));
    CHECK_VALUE(runSeries(OpId::IR, {1, 2, 3, 4}, 4)[3], 1.9364916731);
    CHECK_VALUE(runSeries(OpId::Std, {5, 1, 3}, 2)[2], std::sqrt(2.0)); // {1,3}: 2 / 1
    const std::vector<float> mean = runSeries(OpId::Mean, {1, 2, 6, -3}, 3);
    QVERIFY(std::isnan(mean[1]));
    CHECK_VALUE(mean[2], 3.0);
    CHECK_VALUE(mean[3], 5.0 / 3);
    CHECK_VALUE(runSeries(OpId::Sum, {1, 2, 6, -3}, 2)[3], 3.0);
    CHECK_VALUE(runSeries(OpId::TsDiv, {1, 2, 3}, 3)[2], 1.5);
    QVERIFY(std::isnan(runSeries(OpId::TsDiv, {-1, 1}, 2)[1])); // mean 0
}

void TestRollingKernels::handConstantAndNearConstant() {
    const std::vector<float> flat = {7, 7, 7, 7};
    CHECK_VALUE(runSeries(OpId::Std, flat, 3)[3], 0.0);
    CHECK_VALUE(runSeries(OpId::Var, flat, 4)[3], 0.0);
    CHECK_VALUE(runSeries(OpId::Mad, flat, 4)[3], 0.0);
    CHECK_VALUE(runSeries(OpId::MinMaxDiff, flat, 4)[3], 0.0);
    QVERIFY(std::isnan(runSeries(OpId::Skew, flat, 3)[3]));
    QVERIFY(std::isnan(runSeries(OpId::Kurt, flat, 4)[3]));
    QVERIFY(std::isnan(runSeries(OpId::IR, flat, 2)[3]));
    // The next float after 3000 is 3000 + u, u = 2^-12. Window {3000, 3000+u, 3000}: mean 3000 + u/3,
    // deviations -u/3, 2u/3, -u/3: Var = (6u^2/9) / 2 = u^2/3, Std = u / sqrt(3) = 1.4095466e-4.
    // Float32 running sums of squares give 0 or garbage here.
    const float up = std::nextafter(3000.0f, 4000.0f);
    const double u = std::ldexp(1.0, -12);
    QCOMPARE(double(up) - 3000.0, u);
    const std::vector<float> near = {3000, 3000, up, 3000, 3000, 3000};
    const std::vector<float> std3 = runSeries(OpId::Std, near, 3);
    CHECK_VALUE(std3[2] / u, 1.0 / std::sqrt(3.0));
    CHECK_VALUE(std3[3] / u, 1.0 / std::sqrt(3.0));
    CHECK_VALUE(std3[5], 0.0); // the bump has left: constant again, exactly 0
    // Skew of {3000, 3000+u, 3000}: deviations -1/3, 2/3, -1/3 (in u): m2 = 2/9, m3 = 2/27 / ... :
    // m3 = (-1/27 + 8/27 - 1/27) / 3 = 2/27; Skew = sqrt(6)/1 * (2/27) / (2/9)^1.5 = 0.7071068.
    CHECK_VALUE(runSeries(OpId::Skew, near, 3)[3], std::sqrt(6.0) * (2.0 / 27) / std::pow(2.0 / 9, 1.5));
    CHECK_VALUE(runSeries(OpId::Mad, near, 3)[3] / u, (1.0 / 3 + 2.0 / 3 + 1.0 / 3) / 3);
    // Corr is NaN as soon as one side is constant.
    QVERIFY(std::isnan(runPair(OpId::Corr, {1, 1, 1}, {1, 2, 3}, 3)[2]));
    QVERIFY(std::isnan(runPair(OpId::Corr, {1, 2, 3}, {4, 4, 4}, 3)[2]));
    CHECK_VALUE(runPair(OpId::Cov, {1, 1, 1}, {1, 2, 3}, 3)[2], 0.0);
}

void TestRollingKernels::handMadAndExtrema() {
    // [1,2,3,10]: mean 4, |deviations| 3,2,1,6: Mad = 12/4 = 3.
    CHECK_VALUE(runSeries(OpId::Mad, {1, 2, 3, 10}, 4)[3], 3.0);
    // [1,5,2]: Max 5, Min 1, MaxDiff 2-5, MinDiff 2-1, MinMaxDiff 4.
    const std::vector<float> xs = {1, 5, 2};
    CHECK_VALUE(runSeries(OpId::Max, xs, 3)[2], 5.0);
    CHECK_VALUE(runSeries(OpId::Min, xs, 3)[2], 1.0);
    CHECK_VALUE(runSeries(OpId::MaxDiff, xs, 3)[2], -3.0);
    CHECK_VALUE(runSeries(OpId::MinDiff, xs, 3)[2], 1.0);
    CHECK_VALUE(runSeries(OpId::MinMaxDiff, xs, 3)[2], 4.0);
    const std::vector<float> max2 = runSeries(OpId::Max, {1, 5, 2, 0, -1}, 2);
    CHECK_VALUE(max2[1], 5.0);
    CHECK_VALUE(max2[2], 5.0);
    CHECK_VALUE(max2[3], 2.0);
    CHECK_VALUE(max2[4], 0.0);
}

void TestRollingKernels::handCovCorr() {
    // x = 1,2,3 (mean 2), y = 2,4,7 (mean 13/3): sxy = 7/3 + 0 + 8/3 = 5, sxx = 2, syy = 114/9.
    CHECK_VALUE(runPair(OpId::Cov, {1, 2, 3}, {2, 4, 7}, 3)[2], 2.5);
    CHECK_VALUE(runPair(OpId::Corr, {1, 2, 3}, {2, 4, 7}, 3)[2], 5.0 / std::sqrt(2.0 * 114.0 / 9.0));
    CHECK_VALUE(runPair(OpId::Corr, {1, 2, 3, 4}, {8, 6, 4, 2}, 4)[3], -1.0);
    CHECK_VALUE(runPair(OpId::Corr, {0, 1}, {5, 3}, 2)[1], -1.0);
    const std::vector<float> c = runPair(OpId::Cov, {1, 2, kNaN, 4, 5, 6}, {1, 1, 1, 2, 2, 0}, 2);
    QVERIFY(std::isnan(c[2]) && std::isnan(c[3]));
    CHECK_VALUE(c[4], 0.0);  // {4,5} with {2,2}
    CHECK_VALUE(c[5], -1.0); // {5,6} with {2,0}: (-0.5)(1) + (0.5)(-1) = -1, / 1
    QVERIFY(std::isnan(runPair(OpId::Corr, {1, 2, 3}, {1, kInf, 3}, 3)[2]));
}

void TestRollingKernels::handEndpoints() {
    const std::vector<float> xs = {1, 2, 4, 7};
    const std::vector<float> ref1 = runSeries(OpId::Ref, xs, 1);
    QVERIFY(std::isnan(ref1[0]));
    CHECK_VALUE(ref1[3], 4.0);
    const std::vector<float> future = runSeries(OpId::Ref, xs, -1);
    CHECK_VALUE(future[0], 2.0);
    CHECK_VALUE(future[2], 7.0);
    QVERIFY(std::isnan(future[3]));
    CHECK_VALUE(runSeries(OpId::Ref, xs, 0)[2], 4.0);
    QVERIFY(std::isnan(runSeries(OpId::Ref, {1, kInf}, 0)[1]));
    const std::vector<float> delta = runSeries(OpId::Delta, xs, 2);
    QVERIFY(std::isnan(delta[1]));
    CHECK_VALUE(delta[2], 3.0);
    CHECK_VALUE(delta[3], 5.0);
    const std::vector<float> pct = runSeries(OpId::PctChange, {2, 3, 0, 6, 3}, 1);
    QVERIFY(std::isnan(pct[0]));
    CHECK_VALUE(pct[1], 0.5);
    CHECK_VALUE(pct[2], -1.0);
    QVERIFY(std::isnan(pct[3])); // divided by 0
    CHECK_VALUE(pct[4], -0.5);
    // Endpoints only: a NaN between them does not matter.
    CHECK_VALUE(runSeries(OpId::Delta, {1, kNaN, 4}, 2)[2], 3.0);
}

void TestRollingKernels::handNonFinitePoisonsWindows() {
    const std::vector<float> mean = runSeries(OpId::Mean, {1, kNaN, 3, 4, 5}, 2);
    QVERIFY(std::isnan(mean[1]) && std::isnan(mean[2]));
    CHECK_VALUE(mean[3], 3.5);
    CHECK_VALUE(mean[4], 4.5);
    const std::vector<float> max = runSeries(OpId::Max, {1, kInf, 2, 3}, 2);
    QVERIFY(std::isnan(max[1]) && std::isnan(max[2]));
    CHECK_VALUE(max[3], 3.0);
    // -inf is not the max, but still poisons MaxDiff; it never becomes a value.
    QVERIFY(std::isnan(runSeries(OpId::MaxDiff, {1, -kInf, 2}, 3)[2]));
    QVERIFY(std::isnan(runSeries(OpId::Rank, {1, kNaN, 2, 3}, 3)[3]));
    CHECK_VALUE(runSeries(OpId::Rank, {1, kNaN, 2, 3}, 2)[3], 1.0);
    QVERIFY(std::isnan(runSeries(OpId::Med, {kNaN, 2, 3}, 3)[2]));
    // Results that overflow float are NaN, not inf.
    QVERIFY(std::isnan(runSeries(OpId::Sum, {3e38f, 3e38f}, 2)[1]));
    QVERIFY(std::isnan(runSeries(OpId::Var, {-3e38f, 3e38f}, 2)[1]));
}

QTEST_GUILESS_MAIN(TestRollingKernels)
#include "tst_rolling_kernels.moc"

// Invariants of the rolling kernels' machinery (core/eval/rolling_window.h) that the reference
// comparisons in tst_rolling_kernels do not pin down: how instruments are split into blocks for the
// worker threads, and that the moment kernels find constant windows from their sums alone.

#include "core/eval/rolling_kernels.h"
#include "core/eval/rolling_window.h"

#include <QtTest/QtTest>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <mutex>
#include <random>
#include <tbb/task_arena.h>
#include <utility>
#include <vector>

using namespace alphascope;

class TestRollingInvariants : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void columnBlocksShareEvenly();
    void constantWindowsFoundByTheirMoments();
};

void TestRollingInvariants::columnBlocksShareEvenly() {
    // Every instrument lands in exactly one block, in order, blocks start on multiples of 8, and
    // block widths are within 8 of the even share on either side (537 on 2 threads in blocks of
    // about 64: 10 blocks of 48-56).
    for (int workers : {1, 2, 3, 8}) {
        tbb::task_arena arena(workers);
        arena.execute([&] {
            for (int columns = 1; columns <= 1100; ++columns) {
                for (int block : {kernels::detail::kColumnBlock, kernels::detail::kWideColumnBlock}) {
                    std::vector<std::pair<int, int>> got;
                    std::mutex lock;
                    kernels::detail::forEachColumnBlock(columns, block, [&](int first, int last) {
                        std::lock_guard<std::mutex> hold(lock);
                        got.emplace_back(first, last);
                    });
                    std::sort(got.begin(), got.end());
                    QVERIFY(!got.empty());
                    QCOMPARE(got.front().first, 0);
                    QCOMPARE(got.back().second, columns);
                    int widest = 0, narrowest = columns;
                    for (std::size_t b = 0; b < got.size(); ++b) {
                        QVERIFY(got[b].first < got[b].second);
                        QCOMPARE(got[b].first % 8, 0);
                        if (b > 0) QCOMPARE(got[b].first, got[b - 1].second);
                        widest = std::max(widest, got[b].second - got[b].first);
                        narrowest = std::min(narrowest, got[b].second - got[b].first);
                    }
                    QVERIFY(widest <= std::max(block, 16) + 8);
                    if (got.size() > 1) QVERIFY2(widest - narrowest < 16, qPrintable(QString::number(columns)));
                    if (workers > 1 && columns >= 2 * block) QCOMPARE(static_cast<int>(got.size()) % workers, 0);
                }
            }
        });
    }
}

void TestRollingInvariants::constantWindowsFoundByTheirMoments() {
    // The moment kernels find constant windows from their second central sums (exactly 0 on a
    // constant window, above rounding otherwise), with no run tracking. Series that step between a
    // value and the next float up, at magnitudes from subnormal to 1e30, with runs long enough to
    // hold constant windows and ~2% NaN: every all-finite window is constant exactly when IR, Skew,
    // Kurt and Corr are NaN; Std and Var are 0 on it, and above 0 on the others (but where a step of
    // one float is too small for a float32 Std).
    const float bases[] = {3000.0f, -5.0e4f, 1.0e30f, 1.5e-38f, 1.0e-42f, 0.1f, 0.0f};
    const int days = 300, columns = static_cast<int>(std::size(bases)) * 6;
    Panel x(days, columns), y(days, columns);
    std::mt19937 rng(99u);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    for (int i = 0; i < columns; ++i) {
        const float lo = bases[i % std::size(bases)], hi = std::nextafter(lo, 1e38f);
        bool up = false;
        for (int t = 0; t < days; ++t) {
            if (u(rng) < 0.15) up = !up;
            x.at(t, i) = u(rng) < 0.02 ? kNaN : (up ? hi : lo);
            y.at(t, i) = normal(rng);
        }
    }
    for (int w : {2, 3, 4, 7, 20}) {
        auto run = [&](OpId op) {
            Panel out(days, columns);
            kernels::rolling(op, x, w, out);
            return out;
        };
        const Panel sd = run(OpId::Std), var = run(OpId::Var), ir = run(OpId::IR);
        const Panel skew = run(OpId::Skew), kurt = run(OpId::Kurt);
        Panel corr(days, columns), corrYX(days, columns);
        kernels::pairRolling(OpId::Corr, x, y, w, corr);
        kernels::pairRolling(OpId::Corr, y, x, w, corrYX);
        int constantWindows = 0, others = 0;
        for (int i = 0; i < columns; ++i) {
            for (int t = w - 1; t < days; ++t) {
                bool finite = true, constant = true;
                for (int k = t - w + 1; k <= t; ++k) {
                    finite = finite && std::isfinite(x.at(k, i));
                    constant = constant && x.at(k, i) == x.at(t, i);
                }
                if (!finite) continue;
                const QString where = QString("W %1, instrument %2, day %3").arg(w).arg(i).arg(t);
                if (constant) {
                    ++constantWindows;
                    QVERIFY2(sd.at(t, i) == 0.0f && var.at(t, i) == 0.0f, qPrintable(where));
                    QVERIFY2(std::isnan(ir.at(t, i)) && std::isnan(corr.at(t, i)) && std::isnan(corrYX.at(t, i)),
                             qPrintable(where));
                    if (w >= 3) QVERIFY2(std::isnan(skew.at(t, i)), qPrintable(where));
                    if (w >= 4) QVERIFY2(std::isnan(kurt.at(t, i)), qPrintable(where));
                } else {
                    ++others;
                    // (a step of one subnormal float has a Std that underflows float32 itself)
                    const bool tiny = std::fabs(bases[i % std::size(bases)]) < 1e-30f;
                    QVERIFY2(tiny || (sd.at(t, i) > 0.0f && !(var.at(t, i) == 0.0f)), qPrintable(where));
                    QVERIFY2(std::isfinite(ir.at(t, i)) && std::isfinite(corr.at(t, i)) && std::isfinite(corrYX.at(t, i)),
                             qPrintable(where));
                    if (w >= 3) QVERIFY2(std::isfinite(skew.at(t, i)), qPrintable(where));
                    if (w >= 4) QVERIFY2(std::isfinite(kurt.at(t, i)), qPrintable(where));
                }
            }
        }
        QVERIFY(constantWindows > 100 && others > 100);
    }
}

QTEST_GUILESS_MAIN(TestRollingInvariants)
#include "tst_rolling_invariants.moc"

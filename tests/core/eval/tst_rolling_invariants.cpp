// Invariants of the rolling kernels' machinery (core/eval/rolling_window.h) that the reference
// comparisons in tst_rolling_kernels do not pin down: how instruments are split into blocks for the
// worker threads (instruments into blocks, days into spans), that the moment kernels find constant
// windows from their sums alone, that the fused day loop (slidingRows) gives slidingAggregate's
// bits, over all days and span by span, and that a kernel masking the universe block by block gives
// what masking its whole output afterwards gives.

#include "core/eval/rolling_kernels.h"
#include "core/eval/rolling_window.h"
#include "core/expr/operator_registry.h"

#include <QtTest/QtTest>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
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
    void daySpansGiveTheSameBits();
    void constantWindowsFoundByTheirMoments();
    void fusedRowsGiveSlidingAggregateBits();
    void maskedBlocksAsMaskingAfter();
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
                    QVERIFY2(std::isfinite(ir.at(t, i)) && std::isfinite(corr.at(t, i)) &&
                                 std::isfinite(corrYX.at(t, i)),
                             qPrintable(where));
                    if (w >= 3) QVERIFY2(std::isfinite(skew.at(t, i)), qPrintable(where));
                    if (w >= 4) QVERIFY2(std::isfinite(kurt.at(t, i)), qPrintable(where));
                }
            }
        }
        QVERIFY(constantWindows > 100 && others > 100);
    }
}

namespace {

/// Mean and second central sum of a run, merged as the moment kernels do (Chan et al.).
struct Run2 {
    double mean = 0, m2 = 0;
};

/// The outputs of one aggregate through slidingRows and through slidingAggregate with a WindowGuard,
/// over all days and with the days cut into spans at `cuts` (multiples of W), each span run alone
/// with its own guard as a kernel task does. Days before W - 1 keep a sentinel.
struct Roads {
    Panel fused, plain, fusedSpans, plainSpans;
};

template <class Agg, class Lift, class Merge, class Result>
Roads bothRoads(const Panel& x, int w, int i0, int i1, const std::vector<int>& cuts, Lift lift, Merge merge,
                Result result) {
    using namespace kernels::detail;
    const int n = i1 - i0;
    Roads r{Panel(x.days(), x.instruments(), -7.0f), Panel(x.days(), x.instruments(), -7.0f),
            Panel(x.days(), x.instruments(), -7.0f), Panel(x.days(), x.instruments(), -7.0f)};
    const auto plainRoad = [&](Panel& into, DaySpan span) {
        WindowGuard guard(w, n, false);
        slidingAggregate<Agg>(
            x.days(), n, w, span,
            [&](int t, int i) {
                const float v = x.row(t)[i0 + i];
                return lift(t, v, std::fabs(v) <= FLT_MAX);
            },
            merge, [&](int t) { guard.step(t, x.row(t) + i0); },
            [&](int t, int i, const Agg& a) {
                into.row(t)[i0 + i] = guard.valid(i) ? result(t, x.row(t)[i0 + i], a) : kNaN;
            });
    };
    slidingRows<Agg>(x, r.fused, i0, n, w, DaySpan{0, x.days()}, lift, merge, result);
    plainRoad(r.plain, DaySpan{0, x.days()});
    for (std::size_t k = 0; k <= cuts.size(); ++k) {
        const DaySpan span{k == 0 ? 0 : cuts[k - 1], k == cuts.size() ? x.days() : cuts[k]};
        slidingRows<Agg>(x, r.fusedSpans, i0, n, w, span, lift, merge, result);
        plainRoad(r.plainSpans, span);
    }
    return r;
}

bool sameBits(const Panel& a, const Panel& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

} // namespace

void TestRollingInvariants::fusedRowsGiveSlidingAggregateBits() {
    // slidingRows does slidingAggregate's merges in the same order, with the guard's step in the
    // same loop: the bits must be the same, NaN cells included, for aggregates of one double, of
    // two with count-weighted merges, and of a float with a day, on values of every magnitude with
    // NaN, infinities, zeros and runs of missing days, for windows from 1 day to the whole series.
    using kernels::detail::toOutput;
    const int days = 157, columns = 61;
    Panel x(days, columns);
    std::mt19937 rng(2026u);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::normal_distribution<double> normal(0.0, 1.0);
    for (int i = 0; i < columns; ++i) {
        const double scale = std::pow(10.0, -40.0 + 75.0 * u(rng));
        int gap = 0;
        for (int t = 0; t < days; ++t) {
            if (gap == 0 && u(rng) < 0.01) gap = 1 + static_cast<int>(u(rng) * 25);
            const double r = u(rng);
            float v = static_cast<float>(scale * normal(rng));
            if (gap > 0)
                --gap, v = kNaN;
            else if (r < 0.03)
                v = kNaN;
            else if (r < 0.04)
                v = r < 0.035 ? INFINITY : -INFINITY;
            else if (r < 0.06)
                v = 0.0f;
            x.at(t, i) = v;
        }
    }
    const auto clean = [](float v, bool ok) { return ok ? static_cast<double>(v) : 0.0; };
    for (int w : {1, 2, 3, 5, 20, 64, 156, 157}) {
        // Spans as forEachSpanAndColumnBlock cuts them (on multiples of W), down to one block each.
        std::vector<int> cuts;
        for (int c = w * (1 + static_cast<int>(u(rng) * 3)); c < days; c += w * (1 + static_cast<int>(u(rng) * 3)))
            cuts.push_back(c);
        for (auto [i0, i1] : {std::pair{0, columns}, std::pair{8, 45}, std::pair{56, 61}}) {
            const QString where =
                QString("W %1, instruments %2-%3, %4 spans").arg(w).arg(i0).arg(i1).arg(cuts.size() + 1);
            const auto check = [&](const Roads& r, const char* what) {
                QVERIFY2(sameBits(r.fused, r.plain), qPrintable(QString(what) + ", " + where));
                QVERIFY2(sameBits(r.fusedSpans, r.fused), qPrintable(QString(what) + " by spans, " + where));
                QVERIFY2(sameBits(r.plainSpans, r.plain),
                         qPrintable(QString(what) + " (slidingAggregate) by spans, " + where));
            };
            check(bothRoads<double>(
                      x, w, i0, i1, cuts, [&](int, float v, bool ok) { return clean(v, ok); },
                      [](double a, double, double b, double) { return a + b; },
                      [w](int, float v, double sum) { return toOutput(static_cast<double>(v) / (sum / w)); }),
                  "sum");
            check(bothRoads<Run2>(
                      x, w, i0, i1, cuts,
                      [&](int, float v, bool ok) {
                          return Run2{clean(v, ok), 0.0};
                      },
                      [](const Run2& a, double na, const Run2& b, double nb) {
                          const double fb = nb / (na + nb), d = b.mean - a.mean;
                          return Run2{a.mean + d * fb, a.m2 + b.m2 + d * d * na * fb};
                      },
                      [w](int, float, const Run2& a) { return toOutput(a.m2 / std::max(1, w - 1) + a.mean); }),
                  "moments");
            struct Arg {
                float v, day;
            };
            check(bothRoads<Arg>(
                      x, w, i0, i1, cuts,
                      [](int t, float v, bool ok) {
                          return Arg{ok ? v : 0.0f, static_cast<float>(t)};
                      },
                      [](const Arg& older, double, const Arg& newer, double) {
                          return newer.v > older.v ? newer : older;
                      },
                      [](int t, float, const Arg& a) { return a.v + static_cast<float>(t) - a.day; }),
                  "arg");
        }
    }
}

void TestRollingInvariants::daySpansGiveTheSameBits() {
    // With more than one worker the day-major kernels cut the days into spans on multiples of W (one
    // per worker, each at least kSpanWindows windows long) as well as the instruments into blocks:
    // every cell lands in exactly one task, and every kernel that runs on spans gives, on 1 to 8
    // workers, the bits of one worker (one span), NaNs, infinities and runs of missing days included.
    using kernels::detail::DaySpan;
    for (int workers : {1, 2, 3, 8}) {
        tbb::task_arena arena(workers);
        arena.execute([&] {
            for (int days : {1, 7, 40, 161, 1259}) {
                for (int window : {0, 1, 3, 20, 50}) {
                    for (int columns : {1, 9, 70, 537}) {
                        std::vector<int> hits(static_cast<std::size_t>(days) * columns, 0);
                        std::vector<int> spanStarts;
                        std::mutex lock;
                        kernels::detail::forEachSpanAndColumnBlock(
                            columns, days, window, kernels::detail::kColumnBlock,
                            [&](int first, int last, DaySpan span) {
                                std::lock_guard<std::mutex> hold(lock);
                                spanStarts.push_back(span.begin);
                                for (int t = span.begin; t < span.end; ++t)
                                    for (int i = first; i < last; ++i)
                                        ++hits[static_cast<std::size_t>(t) * columns + i];
                            });
                        const QString where = QString("%1 workers, %2 days, W %3, %4 columns")
                                                  .arg(workers)
                                                  .arg(days)
                                                  .arg(window)
                                                  .arg(columns);
                        QVERIFY2(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; }),
                                 qPrintable(where));
                        std::sort(spanStarts.begin(), spanStarts.end());
                        spanStarts.erase(std::unique(spanStarts.begin(), spanStarts.end()), spanStarts.end());
                        const int spans = static_cast<int>(spanStarts.size());
                        QVERIFY2(spans <= workers, qPrintable(where));
                        for (int s = 1; s < spans; ++s) {
                            QCOMPARE(spanStarts[s] % window, 0);
                            QVERIFY2(spanStarts[s] - spanStarts[s - 1] >= (kernels::detail::kSpanWindows - 1) * window,
                                     qPrintable(where));
                        }
                        if (window == 20 && days == 1259 && workers > 1) QCOMPARE(spans, std::min(workers, 7));
                    }
                }
            }
        });
    }
    const auto market = [](unsigned seed) {
        Panel p(700, 75);
        std::mt19937 rng(seed);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        std::normal_distribution<double> normal(0.0, 1.0);
        for (int i = 0; i < p.instruments(); ++i) {
            int gap = 0;
            double level = 50.0 + i;
            for (int t = 0; t < p.days(); ++t) {
                if (gap == 0 && u(rng) < 0.005) gap = 1 + static_cast<int>(u(rng) * 30);
                level *= std::exp(0.02 * normal(rng));
                const double r = u(rng);
                float v = static_cast<float>(level);
                if (gap > 0)
                    --gap, v = kNaN;
                else if (r < 0.01)
                    v = kNaN;
                else if (r < 0.012)
                    v = INFINITY;
                p.at(t, i) = v;
            }
        }
        return p;
    };
    const Panel x = market(11u), y = market(12u);
    const std::pair<OpId, const char*> ops[] = {{OpId::Mean, "Mean"},       {OpId::Sum, "Sum"},
                                                {OpId::TsDiv, "TsDiv"},     {OpId::WMA, "WMA"},
                                                {OpId::EMA, "EMA"},         {OpId::Std, "Std"},
                                                {OpId::Var, "Var"},         {OpId::IR, "IR"},
                                                {OpId::Skew, "Skew"},       {OpId::Kurt, "Kurt"},
                                                {OpId::Product, "Product"}, {OpId::Max, "Max"},
                                                {OpId::Min, "Min"},         {OpId::MaxDiff, "MaxDiff"},
                                                {OpId::MinDiff, "MinDiff"}, {OpId::MinMaxDiff, "MinMaxDiff"},
                                                {OpId::ArgMax, "ArgMax"},   {OpId::ArgMin, "ArgMin"},
                                                {OpId::Rank, "Rank"}};
    for (int w : {1, 2, 5, 20, 29, 87}) {
        for (auto [op, name] : ops) {
            Panel alone(x.days(), x.instruments(), 3.0f);
            tbb::task_arena(1).execute([&] { kernels::rolling(op, x, w, alone); });
            for (int workers : {2, 3, 8}) {
                Panel split(x.days(), x.instruments(), -3.0f);
                tbb::task_arena(workers).execute([&] { kernels::rolling(op, x, w, split); });
                QVERIFY2(sameBits(split, alone),
                         qPrintable(QString("%1, W %2, %3 workers").arg(name).arg(w).arg(workers)));
            }
        }
        for (auto [op, name] : {std::pair{OpId::Cov, "Cov"}, std::pair{OpId::Corr, "Corr"}}) {
            Panel alone(x.days(), x.instruments(), 3.0f);
            tbb::task_arena(1).execute([&] { kernels::pairRolling(op, x, y, w, alone); });
            for (int workers : {2, 3, 8}) {
                Panel split(x.days(), x.instruments(), -3.0f);
                tbb::task_arena(workers).execute([&] { kernels::pairRolling(op, x, y, w, split); });
                QVERIFY2(sameBits(split, alone),
                         qPrintable(QString("%1, W %2, %3 workers").arg(name).arg(w).arg(workers)));
            }
        }
    }
}

void TestRollingInvariants::maskedBlocksAsMaskingAfter() {
    // Every rolling kernel given a UniverseMask writes, bit for bit, its unmasked output with NaN in
    // exactly the cells outside the universe, on 1, 2, 3 and 8 workers (column blocks, day spans, the
    // row tasks of Ref/Delta/PctChange, the running Count): for a sparse membership (instruments that
    // join late, leave early or drop out for a while, masked from runs of days) and a dense one (a
    // third of the cells, masked by a select over every cell).
    const int days = 300, n = 45;
    Panel x(days, n), y(days, n);
    std::mt19937 rng(5u);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (std::size_t k = 0; k < x.size(); ++k) {
        const double r = u(rng);
        x.data()[k] = r < 0.02 ? kNaN : r < 0.025 ? INFINITY : static_cast<float>(50.0 + 10.0 * u(rng));
        y.data()[k] = static_cast<float>(u(rng) * 1e6);
    }
    std::vector<std::uint8_t> sparse(x.size(), 1), dense(x.size(), 1);
    for (int i = 0; i < n; ++i) {
        const int joins = i % 5 == 0 ? static_cast<int>(u(rng) * days / 2) : 0;
        const int leaves = i % 7 == 0 ? days - static_cast<int>(u(rng) * days / 3) : days;
        const int awayFrom = i % 4 == 1 ? static_cast<int>(u(rng) * days) : days,
                  awayFor = 1 + static_cast<int>(u(rng) * 20);
        for (int t = 0; t < days; ++t) {
            const bool member = t >= joins && t < leaves && (t < awayFrom || t >= awayFrom + awayFor);
            sparse[static_cast<std::size_t>(t) * n + i] = member ? 1 : 0;
            dense[static_cast<std::size_t>(t) * n + i] = u(rng) < 0.33 ? 0 : 1;
        }
    }
    sparse.back() = 0; // the last cell: a run that ends with the data
    for (const auto* member : {&sparse, &dense}) {
        const UniverseMask mask(*member, days, n);
        QCOMPARE(mask.cellsOutside(),
                 static_cast<std::size_t>(std::count(member->begin(), member->end(), std::uint8_t(0))));
        const auto maskedAfter = [&](const Panel& p) {
            Panel m = p;
            for (std::size_t k = 0; k < m.size(); ++k)
                if (!(*member)[k]) m.data()[k] = kNaN;
            return m;
        };
        // The mask on any block of days and instruments touches that block only.
        Panel block(days, n, 1.0f);
        mask.apply(block, 40, 170, 9, 31);
        for (int t = 0; t < days; ++t)
            for (int i = 0; i < n; ++i) {
                const bool inside = t >= 40 && t < 170 && i >= 9 && i < 31;
                const bool out = inside && !(*member)[static_cast<std::size_t>(t) * n + i];
                QVERIFY2(std::isnan(block.at(t, i)) == out, qPrintable(QString("day %1, instrument %2").arg(t).arg(i)));
            }
        int rollingOps = 0;
        for (int op = 0; op < kOpCount; ++op) {
            const auto id = OpId(op);
            if (operatorSpec(id).kind != OpKind::Rolling) continue;
            ++rollingOps;
            for (int w : {-3, 0, 1, 4, 20, 61}) {
                if (w <= 0 && id != OpId::Ref) continue;
                Panel plain(days, n);
                if (id == OpId::Quantile)
                    kernels::rollingQuantile(x, w, 0.3, plain);
                else
                    kernels::rolling(id, x, w, plain);
                const Panel expected = maskedAfter(plain);
                for (int workers : {1, 2, 3, 8}) {
                    Panel got(days, n, 7.0f);
                    tbb::task_arena(workers).execute([&] {
                        if (id == OpId::Quantile)
                            kernels::rollingQuantile(x, w, 0.3, got, &mask);
                        else
                            kernels::rolling(id, x, w, got, &mask);
                    });
                    QVERIFY2(sameBits(got, expected),
                             qPrintable(QString("op %1, W %2, %3 workers").arg(op).arg(w).arg(workers)));
                }
            }
        }
        QCOMPARE(rollingOps, 29);
        for (OpId id : {OpId::Cov, OpId::Corr}) {
            Panel plain(days, n);
            kernels::pairRolling(id, x, y, 10, plain);
            const Panel expected = maskedAfter(plain);
            for (int workers : {1, 2, 3}) {
                Panel got(days, n, 7.0f);
                tbb::task_arena(workers).execute([&] { kernels::pairRolling(id, x, y, 10, got, &mask); });
                QVERIFY(sameBits(got, expected));
            }
        }
    }
}

QTEST_GUILESS_MAIN(TestRollingInvariants)
#include "tst_rolling_invariants.moc"

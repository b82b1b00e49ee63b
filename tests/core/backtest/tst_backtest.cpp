// Tests of the signal backtest: TopkDropout traced by hand, quantile portfolios by hand, and both
// against slow references on random panels.

#include "core/backtest/backtest.h"
#include "core/util/feedback.h"

#include "tests/support/test_support.h"

#include <QtTest/QtTest>

#include <algorithm>
#include <cmath>
#include <future>
#include <map>
#include <random>
#include <thread>
#include <vector>

using namespace alphascope;
using alphascope::test::makePanel;
using alphascope::test::near;

namespace {

// Five names A..E over seven days. D is delisted after day 4.
Panel handPrices() {
    return makePanel({
        {10, 10, 10, 10, 10},
        {10, 10, 10, 10, 10},
        {11, 10.5f, 10, 12, 10},
        {12.1f, 10.5f, 11, 12, 9},
        {12.1f, 11.55f, 11, 13.2f, 9},
        {12.1f, 11.55f, 11, kNaN, 9.9f},
        {12.1f, 11.55f, 12.1f, kNaN, 8.91f},
    });
}

Panel handScores() {
    return makePanel({
        {5, 4, 3, 2, 1},    // t0, trades at close 1: buy A, B (fill topk)
        {5, 4, 3, 2, 1},    // t1: held A, B beat the candidate C: no trade
        {1, 4, 3, 5, 2},    // t2: D (5) replaces A (1)
        {1, kNaN, 3, 4, 5}, // t3: B has no score -> worst -> E replaces B (only ndrop = 1 a day)
        {kNaN, 1, 2, 4, 3}, // t4: D has no price at close 5 -> sold; C bought; B (1) stays out
        {1, 1, 1, 1, 1},
        {1, 1, 1, 1, 1},
    });
}

BacktestConfig topkConfig(double open, double close) {
    BacktestConfig cfg;
    cfg.strategy = BacktestStrategy::TopkDropout;
    cfg.topk = 2;
    cfg.ndrop = 1;
    cfg.openCost = open;
    cfg.closeCost = close;
    cfg.account = 100.0;
    return cfg;
}

bool tradable(float p) {
    return std::isfinite(p) && p > 0.0f;
}

double refBenchmark(const Panel& prices, int s) {
    double sum = 0;
    int n = 0;
    for (int i = 0; i < prices.instruments(); ++i) {
        if (tradable(prices.at(s - 1, i)) && tradable(prices.at(s, i))) {
            sum += double(prices.at(s, i)) / prices.at(s - 1, i) - 1.0;
            ++n;
        }
    }
    return n ? sum / n : 0.0;
}

/// Slow TopkDropout written after Qlib's pandas code (last / today / comb / sell / buy), zero costs.
std::vector<double> refTopkReturns(const Panel& score, const Panel& prices, DayRange r, int topk, int ndrop) {
    std::map<int, double> shares, last; // held name -> shares, last known price
    double cash = 1.0;
    std::vector<double> out;
    auto key = [](float v) { return std::isfinite(v) ? double(v) : -1e300; };
    for (int s = r.begin + 2; s < std::min(r.end + 2, prices.days()); ++s) {
        const int d = s - 1, t = s - 2;
        double before = cash;
        for (auto& [i, q] : shares) before += q * last[i];
        for (auto it = shares.begin(); it != shares.end();) {
            if (!tradable(prices.at(d, it->first))) {
                cash += it->second * last[it->first];
                it = shares.erase(it);
            } else {
                last[it->first] = prices.at(d, it->first);
                ++it;
            }
        }
        std::vector<std::pair<double, int>> lastList, today, comb;
        for (auto& [i, q] : shares) lastList.push_back({key(score.at(t, i)), i});
        for (int i = 0; i < score.instruments(); ++i) {
            if (!shares.count(i) && std::isfinite(score.at(t, i)) && tradable(prices.at(d, i)))
                today.push_back({score.at(t, i), i});
        }
        auto desc = [](auto a, auto b) { return a.first != b.first ? a.first > b.first : a.second < b.second; };
        std::sort(today.begin(), today.end(), desc);
        today.resize(std::min<std::size_t>(today.size(), std::max(0, ndrop + topk - int(lastList.size()))));
        comb = lastList;
        comb.insert(comb.end(), today.begin(), today.end());
        std::sort(comb.begin(), comb.end(), desc);
        std::vector<int> sell;
        for (std::size_t k = comb.size() > std::size_t(ndrop) ? comb.size() - ndrop : 0; k < comb.size(); ++k) {
            if (shares.count(comb[k].second)) sell.push_back(comb[k].second);
        }
        const int nBuy = std::max(0, int(sell.size()) + topk - int(lastList.size()));
        for (int i : sell) {
            cash += shares[i] * last[i];
            shares.erase(i);
        }
        const int buys = cash > 1e-9 * before ? std::min<int>(nBuy, int(today.size())) : 0;
        const double each = buys ? cash / buys : 0.0;
        for (int k = 0; k < buys; ++k) {
            const int i = today[k].second;
            shares[i] = each / prices.at(d, i);
            last[i] = prices.at(d, i);
            cash -= each;
        }
        double after = cash;
        for (auto& [i, q] : shares) {
            if (tradable(prices.at(s, i))) last[i] = prices.at(s, i);
            after += q * last[i];
        }
        out.push_back(after / before - 1.0);
    }
    return out;
}

/// Slow quantile portfolio: O(n^2) ranks, labels floor((r - 0.5) q / m), costs on drifted weights.
std::vector<double> refQuantileReturns(const Panel& score, const Panel& prices, DayRange r, int q, bool longShort,
                                       double open, double close) {
    const int n = score.instruments();
    std::vector<double> drift(n, 0.0), out;
    for (int s = r.begin + 2; s < std::min(r.end + 2, prices.days()); ++s) {
        const int d = s - 1, t = s - 2;
        std::vector<int> valid;
        for (int i = 0; i < n; ++i)
            if (std::isfinite(score.at(t, i)) && tradable(prices.at(d, i))) valid.push_back(i);
        std::vector<int> longs, shorts;
        for (int i : valid) {
            int less = 0, eq = 0;
            for (int j : valid) {
                less += score.at(t, j) < score.at(t, i);
                eq += score.at(t, j) == score.at(t, i);
            }
            const double rank = less + (eq + 1) / 2.0;
            const int label = std::min(q - 1, int(std::floor((rank - 0.5) * q / valid.size() + 1e-12)));
            if (label == q - 1) longs.push_back(i);
            if (label == 0 && longShort) shorts.push_back(i);
        }
        std::vector<double> w(n, 0.0);
        if (!longs.empty() && (!longShort || !shorts.empty())) {
            for (int i : longs) w[i] = 1.0 / longs.size();
            for (int i : shorts) w[i] = -1.0 / shorts.size();
        }
        double cost = 0;
        for (int i = 0; i < n; ++i) {
            if (drift[i] * w[i] < 0)
                cost += std::fabs(drift[i]) * close + std::fabs(w[i]) * open;
            else if (std::fabs(w[i]) > std::fabs(drift[i]))
                cost += (std::fabs(w[i]) - std::fabs(drift[i])) * open;
            else
                cost += (std::fabs(drift[i]) - std::fabs(w[i])) * close;
        }
        double book = 0;
        for (int i = 0; i < n; ++i) {
            if (w[i] == 0.0) {
                drift[i] = 0.0;
                continue;
            }
            const double ret = tradable(prices.at(s, i)) ? double(prices.at(s, i)) / prices.at(d, i) - 1.0 : 0.0;
            book += w[i] * ret;
            drift[i] = w[i] * (1 + ret);
        }
        for (int i = 0; i < n; ++i) drift[i] /= 1 + book;
        out.push_back(book - cost);
    }
    return out;
}

void randomMarket(int days, int n, unsigned seed, Panel& score, Panel& prices) {
    std::mt19937 gen(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    score = Panel(days, n);
    prices = Panel(days, n);
    for (int i = 0; i < n; ++i) {
        float p = 20.0f + 10.0f * u(gen);
        const int listed = u(gen) < 0.2f ? int(u(gen) * days) : 0;      // joins late
        const int delisted = u(gen) < 0.2f ? int(u(gen) * days) : days; // leaves early
        for (int t = 0; t < days; ++t) {
            p *= 1.0f + 0.02f * normal(gen);
            prices.at(t, i) = (t >= listed && t < delisted && u(gen) > 0.03f) ? p : kNaN;
            score.at(t, i) = u(gen) < 0.1f ? kNaN : normal(gen);
        }
    }
}

} // namespace

class TstBacktest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void topkDropoutHandNoCost() {
        const auto res = runBacktest(handScores(), handPrices(), DayRange{0, 5}, topkConfig(0.0, 0.0));
        QVERIFY(res.ok());
        const std::vector<BacktestDay>& d = res->days;
        QCOMPARE(static_cast<int>(d.size()), 5); // days 2..6
        // Values by hand (account 100): A,B 5 shares each; then D bought for 60.5; E for 57.75;
        // D sold at its last price 13.2 (66.55) and C bought.
        const double value[] = {107.5, 113.0, 124.3, 130.075, 130.3775};
        const double prev[] = {100.0, 107.5, 113.0, 124.3, 130.075};
        const double bench[] = {0.07, 0.02, 0.04, 0.025, 0.0};
        const double turnover[] = {0.5, 0.0, 121.0 / 226.0, 115.5 / (2 * 124.3), 133.1 / (2 * 130.075)};
        for (int k = 0; k < 5; ++k) {
            QCOMPARE(d[k].day, k + 2);
            CHECK_NEAR(d[k].value, value[k], 1e-6);
            CHECK_NEAR(d[k].ret, value[k] / prev[k] - 1.0, 1e-6);
            CHECK_NEAR(d[k].benchmark, bench[k], 1e-6);
            CHECK_NEAR(d[k].excess, d[k].ret - bench[k], 1e-6);
            CHECK_NEAR(d[k].turnover, turnover[k], 1e-6);
            QCOMPARE(d[k].cost, 0.0);
            QCOMPARE(d[k].holdings, 2);
        }
        CHECK_NEAR(d[2].ret, 0.1, 1e-6); // B and D both gained 10%
        CHECK_NEAR(res->portfolio.cumulativeReturn, 0.303775, 1e-6);
        CHECK_NEAR(res->portfolio.turnover, (0.5 + 121.0 / 226.0 + 115.5 / 248.6 + 133.1 / 260.15) / 5, 1e-6);
        QCOMPARE(res->portfolio.days, 5);
    }

    void topkDropoutHandWithCost() {
        const double o = 0.001, c = 0.002;
        const auto res = runBacktest(handScores(), handPrices(), DayRange{0, 5}, topkConfig(o, c));
        QVERIFY(res.ok());
        const std::vector<BacktestDay>& d = res->days;
        QCOMPARE(static_cast<int>(d.size()), 5);
        // Close 1: 50 a name pays value + 0.1% cost: v0 = 50 / 1.001 each.
        const double v0 = 50.0 / (1.0 + o);
        const double v2 = v0 * (1.1 + 1.05);                 // A +10%, B +5%
        const double v3 = v0 * (1.21 + 1.05);                // no trade, A +10%
        const double w = 1.21 * v0 * (1.0 - c) / (1.0 + o);  // A sold (less 0.2%), D bought (plus 0.1%)
        const double v4 = 1.155 * v0 + 1.1 * w;              // B +10%, D +10%
        const double e = 1.155 * v0 * (1.0 - c) / (1.0 + o); // B sold, E bought
        const double v5 = 1.1 * w + 1.1 * e;                 // D kept at 13.2, E +10%
        const double cc = 1.1 * w * (1.0 - c) / (1.0 + o);   // D sold at its last price, C bought
        const double v6 = 1.1 * cc + 0.99 * e;               // C +10%, E -10%
        const double values[] = {v2, v3, v4, v5, v6};
        const double before[] = {100.0, v2, v3, v4, v5};
        const double costs[] = {2 * v0 * o, 0.0, 1.21 * v0 * c + w * o, 1.155 * v0 * c + e * o, 1.1 * w * c + cc * o};
        const double traded[] = {2 * v0, 0.0, 1.21 * v0 + w, 1.155 * v0 + e, 1.1 * w + cc};
        for (int k = 0; k < 5; ++k) {
            CHECK_NEAR(d[k].value, values[k], 1e-6);
            CHECK_NEAR(d[k].ret, values[k] / before[k] - 1.0, 1e-6);
            CHECK_NEAR(d[k].cost, costs[k] / before[k], 1e-6);
            CHECK_NEAR(d[k].turnover, traded[k] / (2 * before[k]), 1e-6);
        }
        CHECK_NEAR(res->portfolio.cumulativeReturn, v6 / 100.0 - 1.0, 1e-6);
        QVERIFY(res->portfolio.cumulativeReturn < 0.303775);
    }

    void topkDropoutMinCost() {
        BacktestConfig cfg = topkConfig(0.001, 0.002);
        cfg.minCost = 1.0; // currency, the book starting at account = 100
        const auto res = runBacktest(handScores(), handPrices(), DayRange{0, 1}, cfg);
        QVERIFY(res.ok());
        QCOMPARE(static_cast<int>(res->days.size()), 1);
        // Budget 50 a name: 0.1% would be 0.05 < 1, so each order costs 1 and buys 49.
        const BacktestDay& d = res->days[0];
        CHECK_NEAR(d.cost, 2.0 / 100.0, 1e-9);
        CHECK_NEAR(d.value, 4.9 * 11 + 4.9 * 10.5, 1e-5);
        CHECK_NEAR(d.ret, (4.9 * 11 + 4.9 * 10.5) / 100.0 - 1.0, 1e-6);
    }

    void topkDropoutKeepsBetterHeld() {
        // Held A, B always outrank every candidate: after the first fill nothing is traded.
        Panel score(8, 5);
        Panel prices(8, 5);
        for (int t = 0; t < 8; ++t) {
            for (int i = 0; i < 5; ++i) {
                score.at(t, i) = (i < 2) ? 10.0f + float((t + i) % 2) : float(i + t % 3); // C..E < 10
                prices.at(t, i) = 10.0f + float(t * (i + 1)) * 0.1f;
            }
        }
        const auto res = runBacktest(score, prices, DayRange{0, 6}, topkConfig(0.001, 0.002));
        QVERIFY(res.ok());
        QCOMPARE(static_cast<int>(res->days.size()), 6);
        CHECK_NEAR(res->days[0].turnover, 0.5 / (1.0 + 0.001) * 1.0, 1e-9);
        for (std::size_t k = 1; k < res->days.size(); ++k) {
            QCOMPARE(res->days[k].turnover, 0.0);
            QCOMPARE(res->days[k].cost, 0.0);
            QCOMPARE(res->days[k].holdings, 2);
        }
        const BacktestDay& last = res->days.back(); // day 7
        // Bought at the close of day 1 (A 10.1, B 10.2) with 50 / 1.001 each; day 7: A 10.7, B 11.4.
        CHECK_NEAR(last.value, 50.0 / 1.001 * (10.7 / 10.1 + 11.4 / 10.2), 1e-6);
    }

    void topkDropoutReplacesAtMostNdrop() {
        // All held names become the worst at once; with ndrop = 1 one is replaced a day.
        const Panel score = makePanel(
            {{5, 4, 3, 2, 1}, {1, 2, 3, 4, 5}, {1, 2, 3, 4, 5}, {1, 2, 3, 4, 5}, {0, 0, 0, 0, 0}, {0, 0, 0, 0, 0}});
        Panel prices(6, 5, 10.0f);
        for (int i = 0; i < 5; ++i) prices.at(5, i) = 10.0f * (1.0f + 0.01f * float(i + 1));
        const auto res = runBacktest(score, prices, DayRange{0, 4}, topkConfig(0.0, 0.0));
        QVERIFY(res.ok());
        QCOMPARE(static_cast<int>(res->days.size()), 4);
        // Buy A,B; then A -> E; then B -> D; then nothing (held D, E beat C).
        CHECK_NEAR(res->days[0].turnover, 0.5, 1e-9);
        CHECK_NEAR(res->days[1].turnover, 0.5, 1e-9);
        CHECK_NEAR(res->days[2].turnover, 0.5, 1e-9);
        CHECK_NEAR(res->days[3].turnover, 0.0, 1e-9);
        // Over day 5 the book holds D (+4%) and E (+5%), equal value.
        CHECK_NEAR(res->days[3].ret, 0.045, 1e-6);
    }

    void topkDropoutAgainstReference() {
        for (unsigned seed = 1; seed <= 6; ++seed) {
            Panel score, prices;
            randomMarket(40, 30, seed, score, prices);
            BacktestConfig cfg = topkConfig(0.0, 0.0);
            cfg.topk = 5 + int(seed % 3);
            cfg.ndrop = 1 + int(seed % 2);
            const DayRange r{3, 35};
            const auto res = runBacktest(score, prices, r, cfg);
            QVERIFY(res.ok());
            const std::vector<double> ref = refTopkReturns(score, prices, r, cfg.topk, cfg.ndrop);
            QCOMPARE(res->days.size(), ref.size());
            for (std::size_t k = 0; k < ref.size(); ++k) {
                CHECK_NEAR(res->days[k].ret, ref[k], 1e-9);
                CHECK_NEAR(res->days[k].benchmark, refBenchmark(prices, res->days[k].day), 1e-9);
                QVERIFY(res->days[k].holdings <= cfg.topk);
            }
        }
    }

    void longShortHand() {
        BacktestConfig cfg;
        cfg.strategy = BacktestStrategy::LongShortQuantile;
        cfg.quantiles = 2;
        cfg.openCost = 0.001;
        cfg.closeCost = 0.002;
        const Panel score = makePanel({{1, 2, 3, 4}, {1, 2, 3, 4}, {4, 3, 2, 1}, {0, 0, 0, 0}, {0, 0, 0, 0}});
        const Panel prices = makePanel(
            {{10, 10, 10, 10}, {10, 10, 10, 10}, {11, 9, 12, 10}, {11, 9.9f, 12, 11}, {12.1f, 9.9f, 10.8f, 11}});
        const auto res = runBacktest(score, prices, DayRange{0, 3}, cfg);
        QVERIFY(res.ok());
        const std::vector<BacktestDay>& d = res->days;
        QCOMPARE(static_cast<int>(d.size()), 3);
        // Day 2: long C, D; short A, B, each 0.5. Opening 2 of notional at 0.1%.
        // long = 0.5*0.2 + 0.5*0 = 0.1, short = 0.5*0.1 + 0.5*(-0.1) = 0.
        CHECK_NEAR(d[0].cost, 0.002, 1e-9);
        CHECK_NEAR(d[0].turnover, 0.5, 1e-9);
        CHECK_NEAR(d[0].ret, 0.1 - 0.0 - 0.002, 1e-6);
        QCOMPARE(d[0].holdings, 4);
        // Drifted weights (book 1.1): A -0.5, B -0.45/1.1, C 0.6/1.1, D 0.5/1.1. Back to +-0.5:
        // B opens 0.1/1.1, C closes 0.05/1.1, D opens 0.05/1.1.
        const double cost1 = (0.1 * 0.001 + 0.05 * 0.002 + 0.05 * 0.001) / 1.1;
        CHECK_NEAR(d[1].cost, cost1, 1e-6);
        CHECK_NEAR(d[1].turnover, (0.1 + 0.05 + 0.05) / 1.1 / 4.0, 1e-6);
        // long = 0.5*0 + 0.5*0.1, short = 0.5*0 + 0.5*0.1.
        CHECK_NEAR(d[1].ret, 0.05 - 0.05 - cost1, 1e-6);
        // Drifted (book 1): A -0.5, B -0.55, C 0.5, D 0.55. Flip: A,B long 0.5; C,D short 0.5.
        const double cost2 = (0.5 + 0.55 + 0.5 + 0.55) * 0.002 + 4 * 0.5 * 0.001;
        CHECK_NEAR(d[2].cost, cost2, 1e-6);
        CHECK_NEAR(d[2].turnover, (1.0 + 1.05 + 1.0 + 1.05) / 4.0, 1e-6);
        // long = 0.5*0.1 + 0.5*0, short = 0.5*(-0.1) + 0.5*0.
        CHECK_NEAR(d[2].ret, 0.05 + 0.05 - cost2, 1e-6);
        CHECK_NEAR(d[2].benchmark, 0.0, 1e-6);
        CHECK_NEAR(d[2].value, 1e8 * (1 + d[0].ret) * (1 + d[1].ret) * (1 + d[2].ret), 1e-6);
    }

    void longOnlyHand() {
        BacktestConfig cfg;
        cfg.strategy = BacktestStrategy::LongOnlyTopQuantile;
        cfg.quantiles = 2;
        cfg.openCost = 0.001;
        cfg.closeCost = 0.002;
        const Panel score = makePanel({{1, 2, 3, 4}, {1, 2, 3, 4}, {4, 3, 2, 1}, {0, 0, 0, 0}, {0, 0, 0, 0}});
        const Panel prices = makePanel(
            {{10, 10, 10, 10}, {10, 10, 10, 10}, {11, 9, 12, 10}, {11, 9.9f, 12, 11}, {12.1f, 9.9f, 10.8f, 11}});
        const auto res = runBacktest(score, prices, DayRange{0, 3}, cfg);
        QVERIFY(res.ok());
        const std::vector<BacktestDay>& d = res->days;
        CHECK_NEAR(d[0].ret, 0.1 - 0.001, 1e-6);
        CHECK_NEAR(d[0].turnover, 0.5, 1e-9);
        // Drift (book 1.1): C 0.6/1.1, D 0.5/1.1: C closes 0.05/1.1, D opens 0.05/1.1.
        const double cost1 = 0.05 / 1.1 * (0.002 + 0.001);
        CHECK_NEAR(d[1].ret, 0.05 - cost1, 1e-6);
        // Drift (book 1.05): C 0.5/1.05, D 0.55/1.05 closed; A, B opened at 0.5.
        CHECK_NEAR(d[2].cost, 1.0 * 0.002 + 1.0 * 0.001, 1e-6);
        CHECK_NEAR(d[2].turnover, 1.0, 1e-6);
        CHECK_NEAR(d[2].ret, 0.05 - 0.003, 1e-6);
        QCOMPARE(d[2].holdings, 2);
    }

    void quantileAgainstReference() {
        for (unsigned seed = 11; seed <= 14; ++seed) {
            Panel score, prices;
            randomMarket(30, 25, seed, score, prices);
            for (bool longShort : {true, false}) {
                BacktestConfig cfg;
                cfg.strategy = longShort ? BacktestStrategy::LongShortQuantile : BacktestStrategy::LongOnlyTopQuantile;
                cfg.quantiles = 3 + int(seed % 3);
                cfg.openCost = 0.0005;
                cfg.closeCost = 0.0015;
                const DayRange r{2, 30};
                const auto res = runBacktest(score, prices, r, cfg);
                QVERIFY(res.ok());
                const std::vector<double> ref =
                    refQuantileReturns(score, prices, r, cfg.quantiles, longShort, cfg.openCost, cfg.closeCost);
                QCOMPARE(res->days.size(), ref.size());
                QCOMPARE(static_cast<int>(ref.size()), 26); // days 4..31 clipped to 4..29
                for (std::size_t k = 0; k < ref.size(); ++k) CHECK_NEAR(res->days[k].ret, ref[k], 1e-9);
            }
        }
    }

    void invalidInput_data() {
        QTest::addColumn<int>("which");
        QTest::newRow("shape") << 0;
        QTest::newRow("empty range") << 1;
        QTest::newRow("range past end") << 2;
        QTest::newRow("no trading day") << 3;
        QTest::newRow("topk 0") << 4;
        QTest::newRow("negative cost") << 5;
        QTest::newRow("one quantile long-short") << 6;
    }
    void invalidInput() {
        QFETCH(int, which);
        Panel score(6, 4, 1.0f), prices(6, 4, 10.0f);
        BacktestConfig cfg;
        DayRange r{0, 3};
        switch (which) {
        case 0: prices = Panel(6, 5, 10.0f); break;
        case 1: r = DayRange{2, 2}; break;
        case 2: r = DayRange{0, 7}; break;
        case 3: r = DayRange{4, 6}; break;
        case 4: cfg.topk = 0; break;
        case 5: cfg.closeCost = -0.1; break;
        case 6:
            cfg.strategy = BacktestStrategy::LongShortQuantile;
            cfg.quantiles = 1;
            break;
        }
        const auto res = runBacktest(score, prices, r, cfg);
        QVERIFY(!res.ok());
        QCOMPARE(res.error().code, ErrorCode::InvalidArgument);
    }

    void lastSignalDayClipped() {
        // r.end = T: the last two signals have no later price; only days up to T-1 are reported.
        Panel score(6, 4, 1.0f), prices(6, 4, 10.0f);
        for (int i = 0; i < 4; ++i) score.at(0, i) = float(i);
        const auto res = runBacktest(score, prices, DayRange{0, 6}, BacktestConfig{});
        QVERIFY(res.ok());
        QCOMPARE(static_cast<int>(res->days.size()), 4);
        QCOMPARE(res->days.front().day, 2);
        QCOMPARE(res->days.back().day, 5);
    }

    // Progress moves forward to exactly 1, a report per block of days, and changes nothing.
    void feedbackProgress_data() {
        QTest::addColumn<int>("strategy");
        QTest::newRow("topk dropout") << int(BacktestStrategy::TopkDropout);
        QTest::newRow("long-short") << int(BacktestStrategy::LongShortQuantile);
    }
    void feedbackProgress() {
        QFETCH(int, strategy);
        Panel score, prices;
        randomMarket(400, 40, 7, score, prices);
        BacktestConfig cfg = topkConfig(0.001, 0.002);
        cfg.strategy = static_cast<BacktestStrategy>(strategy);
        cfg.topk = 8;
        const DayRange r{0, 398};
        Feedback feedback;
        feedback.progressInterval = 0.0;
        std::vector<double> fractions;
        feedback.onProgress = [&](const TaskProgress& p) { fractions.push_back(p.fraction); };
        const auto plain = runBacktest(score, prices, r, cfg);
        const auto watched = runBacktest(score, prices, r, cfg, &feedback);
        QVERIFY(plain.ok() && watched.ok());
        QCOMPARE(watched->days.size(), plain->days.size());
        for (std::size_t k = 0; k < plain->days.size(); ++k) {
            QCOMPARE(watched->days[k].ret, plain->days[k].ret);
            QCOMPARE(watched->days[k].value, plain->days[k].value);
        }
        QVERIFY2(fractions.size() >= 396 / 16, qPrintable(QString::number(fractions.size())));
        for (std::size_t k = 1; k < fractions.size(); ++k) QVERIFY(fractions[k] >= fractions[k - 1]);
        QVERIFY(fractions.front() >= 0.0);
        QCOMPARE(fractions.back(), 1.0);
    }

    // A cancel stored from another thread after the first report stops the run at the next block.
    void feedbackCancel() {
        Panel score, prices;
        randomMarket(400, 40, 8, score, prices);
        Feedback feedback;
        feedback.progressInterval = 0.0;
        int reports = 0;
        std::thread canceller;
        feedback.onProgress = [&](const TaskProgress&) {
            if (reports++ > 0) return;
            std::promise<void> stored;
            std::future<void> done = stored.get_future();
            canceller = std::thread([&feedback, stored = std::move(stored)]() mutable {
                feedback.cancel();
                stored.set_value();
            });
            done.wait(); // the worker goes on only once the flag is set: no timing in the test
        };
        const auto res = runBacktest(score, prices, DayRange{0, 398}, BacktestConfig{}, &feedback);
        if (canceller.joinable()) canceller.join();
        QVERIFY(!res.ok());
        QCOMPARE(res.error().code, ErrorCode::Canceled);
        QCOMPARE(reports, 1);

        Feedback already;
        already.cancel();
        const auto none = runBacktest(score, prices, DayRange{0, 398}, BacktestConfig{}, &already);
        QVERIFY(!none.ok());
        QCOMPARE(none.error().code, ErrorCode::Canceled);
    }
};

QTEST_GUILESS_MAIN(TstBacktest)
#include "tst_backtest.moc"

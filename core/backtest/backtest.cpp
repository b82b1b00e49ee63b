#include "core/backtest/backtest.h"

#include "core/metrics/factor_stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

namespace alphascope {

namespace {

/// Cash below this share of the book counts as none (floating-point leftovers of a full reinvestment).
constexpr double kDustFraction = 1e-9;
/// Days simulated between two polls of the cancel flag (well under a millisecond each, even with
/// thousands of instruments).
constexpr int kDaysPerPoll = 16;

bool tradable(float price) {
    return std::isfinite(price) && price > 0.0f;
}

/// Equal-weight mean close-to-close return s-1 -> s over instruments priced on both days; 0 when none.
double benchmarkReturn(const Panel& prices, int s) {
    const float* p0 = prices.row(s - 1);
    const float* p1 = prices.row(s);
    double sum = 0.0;
    int count = 0;
    for (int i = 0; i < prices.instruments(); ++i) {
        if (!tradable(p0[i]) || !tradable(p1[i])) continue;
        sum += static_cast<double>(p1[i]) / p0[i] - 1.0;
        ++count;
    }
    return count > 0 ? sum / count : 0.0;
}

/// The first reported day and one past the last one (see runBacktest()).
DayRange reportedDays(DayRange r, int days) {
    return DayRange{r.begin + 2, std::min(r.end + 2, days)};
}

// ---------------------------------------------------------------------------------------------
// TopkDropout (Qlib TopkDropoutStrategy, method_sell "bottom", method_buy "top", PEERS.md §6).

class TopkDropoutBook {
public:
    TopkDropoutBook(const BacktestConfig& cfg, int instruments)
        : m_cfg(cfg), m_shares(static_cast<std::size_t>(instruments), 0.0),
          m_lastPrice(static_cast<std::size_t>(instruments), 0.0), m_cash(cfg.account) {}

    /// Trades at the close of day d on the scores `score` (of day d-1), then holds to the close of d+1.
    BacktestDay step(const float* score, const Panel& prices, int d) {
        const float* pd = prices.row(d);
        const float* ps = prices.row(d + 1);
        BacktestDay day;
        day.day = d + 1;
        const double before = value();
        double traded = 0.0, costs = 0.0;

        // A held name with no price at the trade close (delisted / left the universe) cannot be
        // ranked or traded any more: it is sold at its last known price before the dropout logic.
        std::vector<int> held;
        for (int i : m_held) {
            if (tradable(pd[i])) {
                m_lastPrice[static_cast<std::size_t>(i)] = pd[i];
                held.push_back(i);
            } else {
                sell(i, traded, costs);
            }
        }

        // Higher score first; NaN scores rank worst; ties by instrument index for determinism.
        auto better = [score](int a, int b) {
            const bool fa = std::isfinite(score[a]), fb = std::isfinite(score[b]);
            if (fa != fb) return fa;
            if (fa && score[a] != score[b]) return score[a] > score[b];
            return a < b;
        };
        std::vector<char> isHeld(m_shares.size(), 0);
        for (int i : held) isHeld[static_cast<std::size_t>(i)] = 1;
        // Candidates need a score and a price at the trade close (as AlphaGen's only_tradable=True).
        std::vector<int> candidates;
        for (int i = 0; i < static_cast<int>(m_shares.size()); ++i) {
            if (!isHeld[static_cast<std::size_t>(i)] && std::isfinite(score[i]) && tradable(pd[i]))
                candidates.push_back(i);
        }
        std::sort(candidates.begin(), candidates.end(), better);
        const int nHeld = static_cast<int>(held.size());
        const int want = std::max(0, m_cfg.ndrop + m_cfg.topk - nHeld);
        if (static_cast<int>(candidates.size()) > want) candidates.resize(static_cast<std::size_t>(want));

        // comb = held ∪ candidates by score; held names in its bottom ndrop are sold. Because the
        // candidates are the best non-held names, a held name is only sold for a better one.
        std::vector<int> comb = held;
        comb.insert(comb.end(), candidates.begin(), candidates.end());
        std::sort(comb.begin(), comb.end(), better);
        // ndrop = 0 sells nothing (Qlib's get_last_n(comb, 0) would return the whole list).
        const int bottomFrom = std::max(0, static_cast<int>(comb.size()) - m_cfg.ndrop);
        std::vector<char> sellFlag(m_shares.size(), 0);
        int nSell = 0;
        for (int k = bottomFrom; k < static_cast<int>(comb.size()); ++k) {
            const int i = comb[static_cast<std::size_t>(k)];
            if (isHeld[static_cast<std::size_t>(i)]) {
                sellFlag[static_cast<std::size_t>(i)] = 1;
                ++nSell;
            }
        }
        const int nBuy = std::clamp(nSell + m_cfg.topk - nHeld, 0, static_cast<int>(candidates.size()));

        m_held.clear();
        for (int i : held) {
            if (sellFlag[static_cast<std::size_t>(i)])
                sell(i, traded, costs);
            else
                m_held.push_back(i);
        }
        buy(std::vector<int>(candidates.begin(), candidates.begin() + nBuy), pd, traded, costs);

        // Hold to the next close; a name without a price there keeps its last known price.
        for (int i : m_held) {
            if (tradable(ps[i])) m_lastPrice[static_cast<std::size_t>(i)] = ps[i];
        }
        const double after = value();
        day.ret = before > 0.0 ? after / before - 1.0 : 0.0;
        day.cost = before > 0.0 ? costs / before : 0.0;
        day.turnover = before > 0.0 ? traded / (2.0 * before) : 0.0;
        day.value = after;
        day.holdings = static_cast<int>(m_held.size());
        return day;
    }

private:
    double value() const {
        double v = m_cash;
        for (int i : m_held) v += m_shares[static_cast<std::size_t>(i)] * m_lastPrice[static_cast<std::size_t>(i)];
        return v;
    }

    /// Cost of one order; minCost is in currency like the portfolio, which starts at `account`.
    double orderCost(double value, double rate) const { return std::max(value * rate, m_cfg.minCost); }

    void sell(int i, double& traded, double& costs) {
        const std::size_t k = static_cast<std::size_t>(i);
        const double v = m_shares[k] * m_lastPrice[k];
        const double c = orderCost(v, m_cfg.closeCost);
        m_cash += v - c;
        traded += v;
        costs += c;
        m_shares[k] = 0.0;
    }

    /// Splits the cash equally among the buys; each order's value plus its cost uses its share.
    void buy(const std::vector<int>& names, const float* pd, double& traded, double& costs) {
        // Cash left over from rounding (or nothing at all) buys nothing: dust positions would occupy slots.
        if (names.empty() || m_cash <= kDustFraction * value()) return;
        const double budget = m_cash / static_cast<double>(names.size());
        // v + max(v*rate, minCost) = budget  =>  v = min(budget / (1 + rate), budget - minCost).
        const double v = std::min(budget / (1.0 + m_cfg.openCost), budget - m_cfg.minCost);
        if (v <= 0.0) return; // the cash cannot pay even the minimum cost
        for (int i : names) {
            const std::size_t k = static_cast<std::size_t>(i);
            const double c = orderCost(v, m_cfg.openCost);
            m_lastPrice[k] = pd[i];
            m_shares[k] = v / pd[i];
            m_cash -= v + c;
            traded += v;
            costs += c;
            m_held.push_back(i);
        }
    }

    const BacktestConfig& m_cfg;
    std::vector<double> m_shares;
    std::vector<double> m_lastPrice;
    std::vector<int> m_held;
    double m_cash = 0.0;
};

// ---------------------------------------------------------------------------------------------
// Quantile portfolios: target weights each day, costs on the change from the drifted weights.

class QuantileBook {
public:
    QuantileBook(const BacktestConfig& cfg, int instruments)
        : m_cfg(cfg), m_longShort(cfg.strategy == BacktestStrategy::LongShortQuantile),
          m_drifted(static_cast<std::size_t>(instruments), 0.0), m_target(static_cast<std::size_t>(instruments), 0.0),
          m_masked(static_cast<std::size_t>(instruments)) {}

    BacktestDay step(const float* score, const Panel& prices, int d) {
        const int n = static_cast<int>(m_target.size());
        const float* pd = prices.row(d);
        const float* ps = prices.row(d + 1);
        BacktestDay day;
        day.day = d + 1;

        // Only names priced at the trade close can be held.
        for (int i = 0; i < n; ++i) m_masked[static_cast<std::size_t>(i)] = tradable(pd[i]) ? score[i] : kNaN;
        const std::vector<int> labels = quantileLabels(m_masked.data(), n, m_cfg.quantiles);
        int nLong = 0, nShort = 0;
        for (int l : labels) {
            if (l == m_cfg.quantiles - 1)
                ++nLong;
            else if (l == 0 && m_longShort)
                ++nShort;
        }
        // A leg that cannot be formed leaves the book flat that day (no one-legged long-short).
        const bool flat = nLong == 0 || (m_longShort && nShort == 0);
        std::fill(m_target.begin(), m_target.end(), 0.0);
        if (!flat) {
            for (int i = 0; i < n; ++i) {
                const int l = labels[static_cast<std::size_t>(i)];
                if (l == m_cfg.quantiles - 1)
                    m_target[static_cast<std::size_t>(i)] = 1.0 / nLong;
                else if (l == 0 && m_longShort)
                    m_target[static_cast<std::size_t>(i)] = -1.0 / nShort;
            }
        }

        double cost = 0.0, traded = 0.0;
        for (std::size_t k = 0; k < m_target.size(); ++k) {
            const double from = m_drifted[k], to = m_target[k];
            traded += std::fabs(to - from);
            if (from * to >= 0.0) {
                // Same side (or one is zero): growing |w| opens, shrinking it closes.
                const double change = std::fabs(to) - std::fabs(from);
                cost += change > 0.0 ? change * m_cfg.openCost : -change * m_cfg.closeCost;
            } else {
                cost += std::fabs(from) * m_cfg.closeCost + std::fabs(to) * m_cfg.openCost;
            }
        }

        // Holding period; a name without a price at s keeps its last price (return 0).
        double longRet = 0.0, shortRet = 0.0;
        int holdings = 0;
        for (int i = 0; i < n; ++i) {
            const std::size_t k = static_cast<std::size_t>(i);
            const double w = m_target[k];
            m_drifted[k] = 0.0;
            if (w == 0.0) continue;
            ++holdings;
            const double r = tradable(ps[i]) ? static_cast<double>(ps[i]) / pd[i] - 1.0 : 0.0;
            if (w > 0.0)
                longRet += w * r;
            else
                shortRet += -w * r;
            m_drifted[k] = w * (1.0 + r);
        }
        // Drifted weights are relative to the book's value before costs (1 + long - short).
        const double book = 1.0 + longRet - shortRet;
        for (double& w : m_drifted) w = book > 0.0 ? w / book : 0.0;

        const double gross = m_longShort ? 2.0 : 1.0;
        day.ret = longRet - shortRet - cost;
        day.cost = cost;
        day.turnover = traded / (2.0 * gross);
        day.holdings = holdings;
        return day;
    }

private:
    const BacktestConfig& m_cfg;
    bool m_longShort;
    std::vector<double> m_drifted;
    std::vector<double> m_target;
    std::vector<float> m_masked;
};

Result<void> validate(const Panel& score, const Panel& prices, DayRange r, const BacktestConfig& cfg) {
    auto bad = [](std::string msg) { return makeError(ErrorCode::InvalidArgument, std::move(msg)); };
    if (score.days() != prices.days() || score.instruments() != prices.instruments())
        return bad("backtest: score and prices have different shapes");
    if (r.begin < 0 || r.end > score.days() || r.begin >= r.end)
        return bad("backtest: day range [" + std::to_string(r.begin) + ", " + std::to_string(r.end) +
                   ") is empty or outside the " + std::to_string(score.days()) + " days");
    if (r.begin + 2 >= score.days()) return bad("backtest: no trading day: a signal needs two later days of prices");
    if (cfg.strategy == BacktestStrategy::TopkDropout && (cfg.topk < 1 || cfg.ndrop < 0))
        return bad("backtest: topk must be >= 1 and ndrop >= 0");
    if (cfg.strategy == BacktestStrategy::LongShortQuantile && cfg.quantiles < 2)
        return bad("backtest: long-short needs at least 2 quantiles");
    if (cfg.strategy == BacktestStrategy::LongOnlyTopQuantile && cfg.quantiles < 1)
        return bad("backtest: quantiles must be >= 1");
    if (!(cfg.openCost >= 0.0) || !(cfg.closeCost >= 0.0) || !(cfg.minCost >= 0.0))
        return bad("backtest: costs must be >= 0");
    if (!(cfg.account > 0.0) || cfg.daysPerYear < 1) return bad("backtest: account must be > 0 and daysPerYear >= 1");
    return {};
}

} // namespace

Result<BacktestResult> runBacktest(const Panel& score, const Panel& prices, DayRange r, const BacktestConfig& cfg,
                                   ProgressSpan progress) {
    if (Result<void> ok = validate(score, prices, r, cfg); !ok) return ok.error();

    BacktestResult result;
    result.config = cfg;
    const DayRange days = reportedDays(r, prices.days());
    TopkDropoutBook topk(cfg, prices.instruments());
    QuantileBook quantile(cfg, prices.instruments());
    double equity = cfg.account;
    const double dayCount = days.end - days.begin;
    for (int s = days.begin; s < days.end; ++s) {
        if ((s - days.begin) % kDaysPerPoll == 0) {
            if (progress.stopRequested())
                return makeError(ErrorCode::Canceled, "backtest canceled at day " + std::to_string(s));
            progress.report((s - days.begin) / dayCount, "backtesting");
        }
        // Day s: trade at the close of s-1 on the signal of s-2, hold to the close of s.
        const float* signal = score.row(s - 2);
        BacktestDay day = cfg.strategy == BacktestStrategy::TopkDropout ? topk.step(signal, prices, s - 1)
                                                                        : quantile.step(signal, prices, s - 1);
        if (cfg.strategy != BacktestStrategy::TopkDropout) {
            equity *= 1.0 + day.ret;
            day.value = equity;
        }
        day.benchmark = benchmarkReturn(prices, s);
        day.excess = day.ret - day.benchmark;
        result.days.push_back(day);
    }

    std::vector<double> ret, bench, excess, turnover;
    for (const BacktestDay& d : result.days) {
        ret.push_back(d.ret);
        bench.push_back(d.benchmark);
        excess.push_back(d.excess);
        turnover.push_back(d.turnover);
    }
    result.portfolio = computePerformance(ret, turnover, cfg.daysPerYear);
    result.benchmark = computePerformance(bench, {}, cfg.daysPerYear);
    result.excess = computePerformance(excess, {}, cfg.daysPerYear);
    progress.report(1.0, "backtesting");
    return result;
}

} // namespace alphascope

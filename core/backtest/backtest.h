#pragma once
// Signal backtests: Qlib-style TopkDropout and daily-rebalanced quantile portfolios (ALGORITHMS.md §8).

#include "core/backtest/performance.h"
#include "core/data/panel.h"
#include "core/metrics/correlation.h"
#include "core/util/progress_span.h"
#include "core/util/result.h"

#include <vector>

namespace alphascope {

/// Which portfolio the score drives.
enum class BacktestStrategy {
    TopkDropout,         ///< Qlib TopkDropoutStrategy: hold topk names, swap at most ndrop a day
    LongShortQuantile,   ///< long the top quantile, short the bottom one, equal weight, daily
    LongOnlyTopQuantile, ///< long the top quantile, equal weight, daily
};

/// Backtest settings; defaults follow the Qlib benchmark YAML used by AlphaGen/Qlib (PEERS.md §6).
struct BacktestConfig {
    BacktestStrategy strategy = BacktestStrategy::TopkDropout;
    int topk = 50;             ///< names held by TopkDropout
    int ndrop = 5;             ///< most names TopkDropout replaces a day
    int quantiles = 5;         ///< quantile count of the quantile strategies
    double openCost = 0.0005;  ///< cost rate of a buy (or of opening a short)
    double closeCost = 0.0015; ///< cost rate of a sell (or of covering a short)
    double minCost = 0.0;      ///< minimum cost per order in currency, the portfolio starting at `account`
    double account = 1e8;      ///< starting capital in currency (only matters with minCost > 0)
    int daysPerYear = 252;     ///< annualisation factor
};

/// One reported day s: the trade at the close of s-1 and the holding period close s-1 -> close s.
struct BacktestDay {
    int day = 0;            ///< day index s of the closing price that ends the holding period
    double ret = 0.0;       ///< portfolio return of the day, net of the costs of the trade at close s-1
    double benchmark = 0.0; ///< equal-weight mean close-to-close return s-1 -> s of the universe
    double excess = 0.0;    ///< ret - benchmark
    double turnover = 0.0;  ///< traded value (buys + sells) / (2 * gross book value) at close s-1
    double cost = 0.0;      ///< trading costs paid at close s-1 as a fraction of the value before trading
    double value = 0.0;     ///< portfolio value at close s (currency, starting at account)
    int holdings = 0;       ///< positions held over the day
};

/// The daily path and its statistics.
struct BacktestResult {
    std::vector<BacktestDay> days;
    Performance portfolio;
    Performance benchmark;
    Performance excess;
    BacktestConfig config;
};

/// score: signal per (day, instrument); prices: close prices (NaN = not tradable / not in universe).
/// Signals of days [r.begin, r.end) are used; the signal of day t trades at the close of day t+1 and
/// earns returns from day t+2 on, so the reported days are s in [r.begin+2, min(r.end+2, T)).
/// `progress` (a Feedback* or a share of one) is polled every few days and told the fraction of
/// days done; a cancel returns ErrorCode::Canceled. Call off the GUI thread for long ranges.
Result<BacktestResult> runBacktest(const Panel& score, const Panel& prices, DayRange r, const BacktestConfig& cfg,
                                   ProgressSpan progress = {});

} // namespace alphascope

#pragma once
// Performance statistics of a daily return series (ALGORITHMS.md §8).

#include <vector>

namespace alphascope {

/// Summary statistics of a daily return series; NaN where a statistic is undefined.
struct Performance {
    double cumulativeReturn = 0.0;    ///< compounded: prod(1 + r) - 1
    double cumulativeReturnSum = 0.0; ///< summed: sum(r) (Qlib's default accumulation)
    double annualReturn = 0.0;        ///< mean * daysPerYear
    double cagr = 0.0;                ///< (1 + cumulativeReturn)^(daysPerYear / n) - 1
    double annualVolatility = 0.0;    ///< std (ddof=1) * sqrt(daysPerYear)
    double sharpe = 0.0;              ///< mean / std * sqrt(daysPerYear), no risk-free rate
    double sortino = 0.0;             ///< mean / sqrt(mean(min(r, 0)^2)) * sqrt(daysPerYear)
    double calmar = 0.0;              ///< cagr / |maxDrawdown|
    double maxDrawdown = 0.0;         ///< min over t of equity / running peak - 1 (compounded, <= 0)
    double turnover = 0.0;            ///< mean daily turnover; NaN when no turnover series was given
    double winRate = 0.0;             ///< share of days with r > 0
    int days = 0;
};

/// Statistics of `dailyReturns` (assumed finite); `turnover` may be empty (turnover = NaN).
/// The equity starts at 1 before the first day, so a first-day loss is a drawdown.
Performance computePerformance(const std::vector<double>& dailyReturns, const std::vector<double>& turnover,
                               int daysPerYear);

} // namespace alphascope

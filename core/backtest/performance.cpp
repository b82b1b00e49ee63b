#include "core/backtest/performance.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace alphascope {

Performance computePerformance(const std::vector<double>& dailyReturns, const std::vector<double>& turnover,
                               int daysPerYear) {
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    Performance p;
    const int n = static_cast<int>(dailyReturns.size());
    p.days = n;
    p.turnover = nan;
    if (!turnover.empty()) {
        double s = 0.0;
        for (double v : turnover) s += v;
        p.turnover = s / static_cast<double>(turnover.size());
    }
    if (n == 0) {
        p.cumulativeReturn = p.cumulativeReturnSum = 0.0;
        p.annualReturn = p.cagr = p.annualVolatility = p.sharpe = p.sortino = p.calmar = nan;
        p.maxDrawdown = 0.0;
        p.winRate = nan;
        return p;
    }
    const double scale = std::sqrt(static_cast<double>(daysPerYear));
    double sum = 0.0, equity = 1.0, peak = 1.0, mdd = 0.0, downSq = 0.0;
    int wins = 0;
    for (double r : dailyReturns) {
        sum += r;
        equity *= 1.0 + r;
        peak = std::max(peak, equity);
        mdd = std::min(mdd, equity / peak - 1.0);
        const double down = std::min(r, 0.0);
        downSq += down * down;
        if (r > 0.0) ++wins;
    }
    const double mean = sum / n;
    double ss = 0.0;
    for (double r : dailyReturns) ss += (r - mean) * (r - mean);
    const double sd = n > 1 ? std::sqrt(ss / (n - 1)) : nan;
    const double downside = std::sqrt(downSq / n);

    p.cumulativeReturn = equity - 1.0;
    p.cumulativeReturnSum = sum;
    p.annualReturn = mean * daysPerYear;
    // A wiped-out account (equity <= 0) has no real root: report a total loss.
    p.cagr = equity > 0.0 ? std::pow(equity, static_cast<double>(daysPerYear) / n) - 1.0 : -1.0;
    p.annualVolatility = sd * scale;
    p.sharpe = sd > 0.0 ? mean / sd * scale : nan;
    p.sortino = downside > 0.0 ? mean / downside * scale : nan;
    p.maxDrawdown = mdd;
    p.calmar = mdd < 0.0 ? p.cagr / std::fabs(mdd) : nan;
    p.winRate = static_cast<double>(wins) / n;
    return p;
}

} // namespace alphascope

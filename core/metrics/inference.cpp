#include "core/metrics/inference.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace alphascope {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> finiteValues(const std::vector<double>& values) {
    std::vector<double> out;
    out.reserve(values.size());
    for (double v : values)
        if (std::isfinite(v)) out.push_back(v);
    return out;
}
} // namespace

double studentTAbsCdf(double t, int df) {
    if (df < 1 || std::isnan(t)) return kNaN;
    t = std::fabs(t);
    if (std::isinf(t)) return 1.0;
    const double theta = std::atan(t / std::sqrt(static_cast<double>(df)));
    const double s = std::sin(theta), c = std::cos(theta), c2 = c * c;
    if (df % 2 == 1) {
        // A = (2/pi) (theta + sin cos (1 + 2/3 cos^2 + 2.4/(3.5) cos^4 + ... up to cos^(df-3)))
        double sum = 0.0;
        if (df > 1) {
            double term = 1.0;
            sum = 1.0;
            for (int k = 2; k <= df - 3; k += 2) {
                term *= c2 * k / (k + 1.0);
                sum += term;
            }
        }
        return 2.0 / std::numbers::pi * (theta + s * c * sum);
    }
    // A = sin (1 + 1/2 cos^2 + 1.3/(2.4) cos^4 + ... up to cos^(df-2))
    double term = 1.0, sum = 1.0;
    for (int k = 1; k <= df - 3; k += 2) {
        term *= c2 * k / (k + 1.0);
        sum += term;
    }
    return s * sum;
}

double studentTQuantile(double level, int df) {
    if (df < 1 || !(level > 0.0 && level < 1.0)) return kNaN;
    double lo = 0.0, hi = 1.0;
    while (studentTAbsCdf(hi, df) < level) hi *= 2.0; // the cdf is increasing; df 1 at 0.999: ~636
    for (int k = 0; k < 200 && hi - lo > 1e-13 * std::max(1.0, hi); ++k) {
        const double mid = 0.5 * (lo + hi);
        (studentTAbsCdf(mid, df) < level ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
}

double normalTwoSidedP(double z) {
    if (std::isnan(z)) return kNaN;
    return std::erfc(std::fabs(z) / std::numbers::sqrt2);
}

MeanInterval meanInterval(const std::vector<double>& values, double level) {
    const std::vector<double> v = finiteValues(values);
    MeanInterval r;
    r.n = static_cast<int>(v.size());
    if (r.n == 0) return r;
    double sum = 0.0;
    for (double x : v) sum += x;
    r.mean = sum / r.n;
    if (r.n < 2) return r;
    double ss = 0.0;
    for (double x : v) ss += (x - r.mean) * (x - r.mean);
    r.sd = std::sqrt(ss / (r.n - 1));
    const double half = studentTQuantile(level, r.n - 1) * r.sd / std::sqrt(static_cast<double>(r.n));
    r.lo = r.mean - half;
    r.hi = r.mean + half;
    return r;
}

WelchInterval welchInterval(const std::vector<double>& a, const std::vector<double>& b, double level) {
    const MeanInterval x = meanInterval(a, level);
    const MeanInterval y = meanInterval(b, level);
    WelchInterval r;
    if (x.n < 2 || y.n < 2) return r;
    r.diff = x.mean - y.mean;
    const double va = x.sd * x.sd / x.n;
    const double vb = y.sd * y.sd / y.n;
    r.se = std::sqrt(va + vb);
    if (r.se == 0.0) {
        r.df = x.n + y.n - 2;
        r.lo = r.hi = r.diff;
        r.p = r.diff == 0.0 ? 1.0 : 0.0;
        return r;
    }
    const double nu = (va + vb) * (va + vb) / (va * va / (x.n - 1) + vb * vb / (y.n - 1));
    r.df = std::max(1, static_cast<int>(std::floor(nu + 1e-9)));
    const double half = studentTQuantile(level, r.df) * r.se;
    r.lo = r.diff - half;
    r.hi = r.diff + half;
    r.p = 1.0 - studentTAbsCdf(std::fabs(r.diff) / r.se, r.df);
    return r;
}

NeweyWestTest neweyWestMeanTest(const std::vector<double>& series, int lags) {
    const std::vector<double> v = finiteValues(series);
    NeweyWestTest r;
    r.n = static_cast<int>(v.size());
    if (r.n < 2) return r;
    r.lags = lags >= 0 ? lags : static_cast<int>(std::floor(4.0 * std::pow(r.n / 100.0, 2.0 / 9.0)));
    r.lags = std::min(r.lags, r.n - 1);
    double sum = 0.0;
    for (double x : v) sum += x;
    r.mean = sum / r.n;
    auto autocovariance = [&](int lag) {
        double s = 0.0;
        for (int t = lag; t < r.n; ++t) s += (v[t] - r.mean) * (v[t - lag] - r.mean);
        return s / r.n;
    };
    double longRun = autocovariance(0);
    for (int l = 1; l <= r.lags; ++l) longRun += 2.0 * (1.0 - l / (r.lags + 1.0)) * autocovariance(l);
    if (!(longRun > 0.0)) return r; // a constant series: no test
    r.se = std::sqrt(longRun / r.n);
    r.t = r.mean / r.se;
    r.p = normalTwoSidedP(r.t);
    return r;
}

} // namespace alphascope

#pragma once
// Statistical inference for comparing searches over seeds and days: Student-t intervals of a mean,
// and the Newey-West (HAC) test of a mean for serially correlated daily series such as the
// difference of two pools' daily Rank IC.

#include <limits>
#include <vector>

namespace alphascope {

/// P(|T| <= t) for T ~ Student t with `df` >= 1 degrees of freedom (exact finite sums for integer
/// df, Abramowitz & Stegun 26.7.3-4). NaN for df < 1 or NaN t.
double studentTAbsCdf(double t, int df);

/// The two-sided quantile: t >= 0 with P(|T| <= t) = level (0 < level < 1). NaN otherwise.
double studentTQuantile(double level, int df);

/// P(|Z| > |z|) for a standard normal Z.
double normalTwoSidedP(double z);

/// Mean, sample standard deviation (n - 1) and the Student-t interval of the mean at `level`, over
/// the finite values (others are ignored). With one value the interval and sd are NaN.
struct MeanInterval {
    int n = 0;
    double mean = std::numeric_limits<double>::quiet_NaN();
    double sd = std::numeric_limits<double>::quiet_NaN();
    double lo = std::numeric_limits<double>::quiet_NaN();
    double hi = std::numeric_limits<double>::quiet_NaN();
};
MeanInterval meanInterval(const std::vector<double>& values, double level = 0.95);

/// Welch's interval for the difference of two means, mean(a) - mean(b), over the finite values of
/// two independent samples (each needs 2 or more): the standard error sqrt(var_a / n_a + var_b / n_b)
/// and the Welch-Satterthwaite degrees of freedom, rounded down to a whole number (a slightly wider,
/// conservative interval); two-sided p of the difference being 0. When both samples are constant the
/// standard error is 0: the interval is the difference itself, p is 1 or 0.
struct WelchInterval {
    double diff = std::numeric_limits<double>::quiet_NaN();
    double se = std::numeric_limits<double>::quiet_NaN();
    int df = 0;
    double lo = std::numeric_limits<double>::quiet_NaN();
    double hi = std::numeric_limits<double>::quiet_NaN();
    double p = std::numeric_limits<double>::quiet_NaN();
};
WelchInterval welchInterval(const std::vector<double>& a, const std::vector<double>& b, double level = 0.95);

/// Newey-West test that a series' mean is 0: HAC variance with Bartlett weights 1 - l/(L+1),
/// autocovariances divided by n; t = mean / se, two-sided p from the normal distribution.
/// Non-finite entries are dropped (the remaining days taken as consecutive). `lags` < 0 takes
/// floor(4 (n/100)^(2/9)), the usual automatic choice.
struct NeweyWestTest {
    int n = 0;
    int lags = 0;
    double mean = std::numeric_limits<double>::quiet_NaN();
    double se = std::numeric_limits<double>::quiet_NaN();
    double t = std::numeric_limits<double>::quiet_NaN();
    double p = std::numeric_limits<double>::quiet_NaN();
};
NeweyWestTest neweyWestMeanTest(const std::vector<double>& series, int lags = -1);

} // namespace alphascope

#include "core/pool/adaptive_combination.h"

#include <Eigen/Dense>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace alphascope {

namespace {

/// Prefix sums of a daily series over its finite entries: sum, sum of squares, count.
struct Prefix {
    std::vector<double> sum, sq;
    std::vector<int> count;

    explicit Prefix(const std::vector<double>& series)
        : sum(series.size() + 1, 0.0), sq(series.size() + 1, 0.0), count(series.size() + 1, 0) {
        for (std::size_t k = 0; k < series.size(); ++k) {
            const double v = series[k];
            const bool ok = std::isfinite(v);
            sum[k + 1] = sum[k] + (ok ? v : 0.0);
            sq[k + 1] = sq[k] + (ok ? v * v : 0.0);
            count[k + 1] = count[k] + (ok ? 1 : 0);
        }
    }
    /// Mean and IR (mean / std, ddof 1) over entries [a, b).
    void stats(int a, int b, double& mean, double& ir) const {
        const int n = count[b] - count[a];
        mean = ir = kNaNd;
        if (n < 2) return;
        const double s = sum[b] - sum[a];
        mean = s / n;
        const double var = (sq[b] - sq[a] - s * mean) / (n - 1);
        // A series without spread (a perfect factor) has an infinite IR, not an undefined one.
        ir = var > 0 ? mean / std::sqrt(var) : (mean != 0 ? std::copysign(HUGE_VAL, mean) : kNaNd);
    }
};

} // namespace

Result<AdaptiveCombination> adaptiveCombination(const std::vector<PanelPtr>& factors, const Panel& target,
                                                int historyBegin, DayRange apply, int gap,
                                                const AdaptiveOptions& options) {
    auto bad = [](std::string m) {
        return makeError(ErrorCode::InvalidArgument, "adaptive combination: " + std::move(m));
    };
    if (factors.empty()) return bad("no factors");
    const int T = target.days(), N = target.instruments();
    for (const auto& f : factors)
        if (!f || f->days() != T || f->instruments() != N) return bad("factor and target shapes differ");
    if (apply.size() <= 0 || apply.end > T || historyBegin < 0) return bad("empty or out-of-range days");
    if (apply.begin < historyBegin + gap + 2) return bad("no labelled history before the first applied day");
    const int K = static_cast<int>(factors.size());
    const int histEndMax = apply.end - gap; // the last history day any applied day may use, exclusive
    const DayRange hist{historyBegin, std::max(historyBegin, histEndMax)};

    // z-scores (NaN -> 0) and daily Rank IC of each factor over the history.
    std::vector<Panel> z(static_cast<std::size_t>(K));
    std::vector<Prefix> rankIc;
    rankIc.reserve(static_cast<std::size_t>(K));
    for (int k = 0; k < K; ++k) {
        normalizeByDay(*factors[static_cast<std::size_t>(k)], z[static_cast<std::size_t>(k)]);
        rankIc.emplace_back(dailyRankIc(*factors[static_cast<std::size_t>(k)], target, hist));
    }

    // Per-day Gram matrices of [1, z_1..z_K] and moments with the target, then prefix sums, so each
    // day's OLS on the stacked history is a (k+1)^2 solve.
    const int D = K + 1;
    const int H = hist.size();
    std::vector<Eigen::MatrixXd> gram(static_cast<std::size_t>(H) + 1, Eigen::MatrixXd::Zero(D, D));
    std::vector<Eigen::VectorXd> xy(static_cast<std::size_t>(H) + 1, Eigen::VectorXd::Zero(D));
    tbb::parallel_for(0, H, [&](int h) {
        const int t = hist.begin + h;
        const float* y = target.row(t);
        Eigen::MatrixXd X(N, D);
        Eigen::VectorXd Y(N);
        int rows = 0;
        for (int i = 0; i < N; ++i) {
            if (!std::isfinite(y[i])) continue;
            X(rows, 0) = 1.0;
            for (int k = 0; k < K; ++k) X(rows, k + 1) = z[static_cast<std::size_t>(k)].at(t, i);
            Y(rows) = y[i];
            ++rows;
        }
        if (rows == 0) return;
        const auto Xr = X.topRows(rows);
        gram[static_cast<std::size_t>(h) + 1] = Xr.transpose() * Xr;
        xy[static_cast<std::size_t>(h) + 1] = Xr.transpose() * Y.head(rows);
    });
    for (int h = 0; h < H; ++h) {
        gram[static_cast<std::size_t>(h) + 1] += gram[static_cast<std::size_t>(h)];
        xy[static_cast<std::size_t>(h) + 1] += xy[static_cast<std::size_t>(h)];
    }

    AdaptiveCombination out;
    auto values = std::make_shared<Panel>(T, N, kNaN);
    out.selectedPerDay.assign(static_cast<std::size_t>(apply.size()), 0);
    tbb::parallel_for(apply.begin, apply.end, [&](int t) {
        const int endDay = t - gap; // history days < endDay have labels known on day t
        const int beginDay = options.window > 0 ? std::max(historyBegin, endDay - options.window) : historyBegin;
        const int a = beginDay - hist.begin, b = endDay - hist.begin;
        if (b - a < 2) return;
        std::vector<std::pair<double, int>> ranked; // (|Rank ICIR|, factor)
        std::pair<double, int> best{-1.0, -1};
        for (int k = 0; k < K; ++k) {
            double mean, ir;
            rankIc[static_cast<std::size_t>(k)].stats(a, b, mean, ir);
            if (std::isnan(ir)) continue;
            if (std::fabs(ir) > best.first) best = {std::fabs(ir), k};
            if (std::fabs(mean) > options.minRankIc && std::fabs(ir) > options.minRankIcir)
                ranked.emplace_back(std::fabs(ir), k);
        }
        // Best first; ties by factor order so the choice is deterministic.
        std::stable_sort(ranked.begin(), ranked.end(), [](auto& l, auto& r) { return l.first > r.first; });
        if (static_cast<int>(ranked.size()) > options.maxFactors)
            ranked.resize(static_cast<std::size_t>(options.maxFactors));
        if (ranked.empty()) {
            if (best.second < 0) return;
            ranked.push_back(best); // none passes: keep the single best by |Rank ICIR| (AlphaSAGE)
        }
        const int m = static_cast<int>(ranked.size());
        std::vector<int> cols{0};
        for (const auto& [score, k] : ranked) cols.push_back(k + 1);
        const Eigen::MatrixXd G = gram[static_cast<std::size_t>(b)] - gram[static_cast<std::size_t>(a)];
        const Eigen::VectorXd g = xy[static_cast<std::size_t>(b)] - xy[static_cast<std::size_t>(a)];
        Eigen::MatrixXd A(m + 1, m + 1);
        Eigen::VectorXd rhs(m + 1);
        for (int i = 0; i <= m; ++i) {
            rhs(i) = g(cols[static_cast<std::size_t>(i)]);
            for (int j = 0; j <= m; ++j)
                A(i, j) = G(cols[static_cast<std::size_t>(i)], cols[static_cast<std::size_t>(j)]);
        }
        // Minimum-norm solution: collinear factors share their weight instead of blowing up.
        const Eigen::VectorXd beta = A.completeOrthogonalDecomposition().solve(rhs);
        float* row = values->row(t);
        for (int i = 0; i < N; ++i) {
            bool any = false;
            double p = beta(0);
            for (int j = 1; j <= m; ++j) {
                const int k = cols[static_cast<std::size_t>(j)] - 1;
                any = any || std::isfinite(factors[static_cast<std::size_t>(k)]->at(t, i));
                p += beta(j) * z[static_cast<std::size_t>(k)].at(t, i);
            }
            row[i] = any ? static_cast<float>(p) : kNaN;
        }
        out.selectedPerDay[static_cast<std::size_t>(t - apply.begin)] = m;
    });
    out.meanSelected = std::accumulate(out.selectedPerDay.begin(), out.selectedPerDay.end(), 0.0) /
                       std::max<std::size_t>(1, out.selectedPerDay.size());
    out.values = std::move(values);
    return out;
}

} // namespace alphascope

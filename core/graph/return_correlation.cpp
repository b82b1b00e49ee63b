// Pairwise-complete correlation by four matrix products: with X the window's values (0 where
// missing, each column centred on its own mean) and M the 0/1 mask, a pair's count, sums, sums of
// squares and cross sums over the days both have are (M'M), (X'M), (X.X)'M and X'X.

#include "core/graph/return_correlation.h"

#include "core/util/ranking.h"

#include <algorithm>
#include <cmath>

namespace alphascope::graph {

namespace {

constexpr double kNaNd = std::numeric_limits<double>::quiet_NaN();

/// Pearson of the columns of `x` on the days where `m` is 1 for both; `x` is 0 where `m` is 0.
/// Pairs of columns with every day take one matrix product (x'x of the centred columns); a pair
/// with a gap takes the pairwise-complete sums, computed only for the rows of the columns with gaps.
Eigen::MatrixXd pairwisePearson(Eigen::MatrixXd x, const Eigen::MatrixXd& m, int minOverlap) {
    const Eigen::Index n = x.cols(), w = x.rows();
    // A series is constant when its variation is below its float32 rounding (1e-6 of its largest
    // value per day); centring in double leaves such residuals, which must not correlate.
    std::vector<double> floor(static_cast<std::size_t>(n));
    for (Eigen::Index j = 0; j < n; ++j) {
        const double scale = 1e-6 * (w > 0 ? x.col(j).cwiseAbs().maxCoeff() : 0.0);
        floor[static_cast<std::size_t>(j)] = scale * scale;
    }
    for (Eigen::Index j = 0; j < n; ++j) {
        const double count = m.col(j).sum();
        if (count > 0) x.col(j) = (x.col(j).array() - x.col(j).sum() / count) * m.col(j).array();
    }
    auto flat = [&](double v, double count, Eigen::Index j) {
        return !(v > count * floor[static_cast<std::size_t>(j)]) || !(v > 0);
    };
    const int need = std::max(2, minOverlap);
    std::vector<Eigen::Index> complete, partial;
    for (Eigen::Index j = 0; j < n; ++j) (m.col(j).sum() == static_cast<double>(w) ? complete : partial).push_back(j);
    Eigen::MatrixXd rho = Eigen::MatrixXd::Constant(n, n, kNaNd);

    if (!complete.empty() && w >= need) {
        const Eigen::Index c = static_cast<Eigen::Index>(complete.size());
        Eigen::MatrixXd xc(w, c);
        for (Eigen::Index k = 0; k < c; ++k) xc.col(k) = x.col(complete[static_cast<std::size_t>(k)]);
        const Eigen::MatrixXd g = xc.transpose() * xc; // centred over the whole window: sums are 0
        for (Eigen::Index b = 0; b < c; ++b)
            for (Eigen::Index a = 0; a < c; ++a) {
                const Eigen::Index i = complete[static_cast<std::size_t>(a)], j = complete[static_cast<std::size_t>(b)];
                if (flat(g(a, a), static_cast<double>(w), i) || flat(g(b, b), static_cast<double>(w), j)) continue;
                rho(i, j) = std::clamp(g(a, b) / std::sqrt(g(a, a) * g(b, b)), -1.0, 1.0);
            }
    }
    if (!partial.empty()) {
        const Eigen::Index p = static_cast<Eigen::Index>(partial.size());
        Eigen::MatrixXd xp(w, p), mp(w, p);
        for (Eigen::Index k = 0; k < p; ++k) {
            xp.col(k) = x.col(partial[static_cast<std::size_t>(k)]);
            mp.col(k) = m.col(partial[static_cast<std::size_t>(k)]);
        }
        const Eigen::MatrixXd x2 = x.array().square().matrix();
        const Eigen::MatrixXd nn = mp.transpose() * m;  // P x N: common days
        const Eigen::MatrixXd sxP = xp.transpose() * m; // sum of x_p on j's days
        const Eigen::MatrixXd sxJ = x.transpose() * mp; // N x P: sum of x_j on p's days
        const Eigen::MatrixXd sxxP = xp.array().square().matrix().transpose() * m;
        const Eigen::MatrixXd sxxJ = x2.transpose() * mp;
        const Eigen::MatrixXd sxy = xp.transpose() * x;
        for (Eigen::Index r = 0; r < p; ++r) {
            const Eigen::Index i = partial[static_cast<std::size_t>(r)];
            for (Eigen::Index j = 0; j < n; ++j) {
                const double c = nn(r, j);
                double v = kNaNd;
                if (c >= need) {
                    const double vx = sxxP(r, j) - sxP(r, j) * sxP(r, j) / c;
                    const double vy = sxxJ(j, r) - sxJ(j, r) * sxJ(j, r) / c;
                    if (!flat(vx, c, i) && !flat(vy, c, j))
                        v = std::clamp((sxy(r, j) - sxP(r, j) * sxJ(j, r) / c) / std::sqrt(vx * vy), -1.0, 1.0);
                }
                rho(i, j) = rho(j, i) = v;
            }
        }
    }
    return rho;
}

/// Spearman of two series on their common days, by ranking those days (the slow, exact path for
/// pairs where one series has gaps in the window).
double pairSpearman(const Eigen::MatrixXd& x, const Eigen::MatrixXd& m, Eigen::Index a, Eigen::Index b, int minOverlap,
                    RankWorkspace& ws) {
    std::vector<float> va, vb;
    for (Eigen::Index t = 0; t < x.rows(); ++t) {
        if (m(t, a) > 0 && m(t, b) > 0) {
            va.push_back(static_cast<float>(x(t, a)));
            vb.push_back(static_cast<float>(x(t, b)));
        }
    }
    const int c = static_cast<int>(va.size());
    if (c < minOverlap || c < 2) return kNaNd;
    std::vector<double> ra(static_cast<std::size_t>(c)), rb(static_cast<std::size_t>(c));
    averageRanks(va.data(), c, ra.data(), ws);
    averageRanks(vb.data(), c, rb.data(), ws);
    const double mean = (c + 1) / 2.0; // ranks 1..c average to (c + 1) / 2 with or without ties
    double saa = 0, sbb = 0, sab = 0;
    for (int k = 0; k < c; ++k) {
        const double da = ra[static_cast<std::size_t>(k)] - mean, db = rb[static_cast<std::size_t>(k)] - mean;
        saa += da * da;
        sbb += db * db;
        sab += da * db;
    }
    if (!(saa > 0) || !(sbb > 0)) return kNaNd;
    return std::clamp(sab / std::sqrt(saa * sbb), -1.0, 1.0);
}

} // namespace

Panel logReturns(const Panel& close) {
    Panel out(close.days(), close.instruments(), kNaN);
    for (int t = 1; t < close.days(); ++t) {
        const float* prev = close.row(t - 1);
        const float* cur = close.row(t);
        float* o = out.row(t);
        for (int i = 0; i < close.instruments(); ++i)
            if (prev[i] > 0.0f && cur[i] > 0.0f && std::isfinite(prev[i]) && std::isfinite(cur[i]))
                o[i] = static_cast<float>(std::log(static_cast<double>(cur[i]) / prev[i]));
    }
    return out;
}

Eigen::MatrixXd windowCorrelation(const Panel& returns, int end, int window, int minOverlap, CorrelationMethod method) {
    const int n = returns.instruments();
    const int first = std::max(0, end - window + 1);
    const int w = end - first + 1;
    Eigen::MatrixXd x = Eigen::MatrixXd::Zero(w, n), m = Eigen::MatrixXd::Zero(w, n);
    for (int k = 0; k < w; ++k) {
        const float* row = returns.row(first + k);
        for (int i = 0; i < n; ++i)
            if (std::isfinite(row[i])) {
                x(k, i) = row[i];
                m(k, i) = 1.0;
            }
    }
    if (method == CorrelationMethod::Pearson) return pairwisePearson(std::move(x), m, minOverlap);

    // Spearman: a series with every day of the window is ranked once over the window, and a pair of
    // such series is Pearson on those ranks; a pair with a gap is ranked on its common days.
    std::vector<char> complete(static_cast<std::size_t>(n));
    Eigen::MatrixXd ranks = Eigen::MatrixXd::Zero(w, n), full = Eigen::MatrixXd::Zero(w, n);
    RankWorkspace ws;
    std::vector<float> column(static_cast<std::size_t>(w));
    std::vector<double> r(static_cast<std::size_t>(w));
    for (int i = 0; i < n; ++i) {
        complete[static_cast<std::size_t>(i)] = m.col(i).sum() == w;
        if (!complete[static_cast<std::size_t>(i)]) continue;
        for (int k = 0; k < w; ++k) column[static_cast<std::size_t>(k)] = static_cast<float>(x(k, i));
        averageRanks(column.data(), w, r.data(), ws);
        for (int k = 0; k < w; ++k) ranks(k, i) = r[static_cast<std::size_t>(k)];
        full.col(i).setOnes();
    }
    Eigen::MatrixXd rho = pairwisePearson(std::move(ranks), full, minOverlap);
    for (int j = 0; j < n; ++j)
        for (int i = 0; i <= j; ++i) {
            if (complete[static_cast<std::size_t>(i)] && complete[static_cast<std::size_t>(j)]) continue;
            rho(i, j) = rho(j, i) = pairSpearman(x, m, i, j, minOverlap, ws);
        }
    return rho;
}

std::vector<int> windowEnds(int days, int window, int step) {
    std::vector<int> ends;
    if (window < 1 || step < 1 || days < window) return ends;
    for (int e = window - 1; e < days; e += step) ends.push_back(e);
    if (ends.back() != days - 1) ends.push_back(days - 1);
    return ends;
}

Eigen::MatrixXd correlationDistance(const Eigen::MatrixXd& rho) {
    Eigen::MatrixXd d(rho.rows(), rho.cols());
    for (Eigen::Index j = 0; j < rho.cols(); ++j)
        for (Eigen::Index i = 0; i < rho.rows(); ++i) {
            const double r = std::isfinite(rho(i, j)) ? rho(i, j) : 0.0;
            d(i, j) = i == j ? 0.0 : std::sqrt(std::max(0.0, 2.0 * (1.0 - r)));
        }
    return d;
}

} // namespace alphascope::graph

#include "core/pool/linear_combination.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <string>

namespace alphascope {

namespace {

/// Below this reciprocal condition number (or relative LDLT pivot) M is treated as singular and gets a ridge.
constexpr double kMinRcond = 1e-10;
/// Ridge added on top of the shift that makes M positive definite, relative to its largest eigenvalue.
constexpr double kRidge = 1e-8;
/// Coordinate descent stops when no weight moved more than this in a sweep...
constexpr double kCdTolerance = 1e-13;
/// ...or after this many sweeps (a pool has at most ~100 members; convergence is linear).
constexpr int kCdMaxSweeps = 100000;

double finiteOr(double v, double fallback) {
    return std::isfinite(v) ? v : fallback;
}

/// Symmetric copy with NaN read as "no information": 0 off the diagonal, 1 on it.
Eigen::MatrixXd sanitized(const Eigen::MatrixXd& m) {
    Eigen::MatrixXd s = m;
    for (Eigen::Index i = 0; i < s.rows(); ++i)
        for (Eigen::Index j = 0; j < s.cols(); ++j) s(i, j) = finiteOr(s(i, j), i == j ? 1.0 : 0.0);
    return 0.5 * (s + s.transpose());
}

/// M itself when it is safely positive definite, else M + cI with c just large enough. A mean of daily
/// correlation matrices over pairwise-valid cells need not be PSD, and duplicated factors make it
/// singular; either way the quadratic would have no unique minimum.
Eigen::MatrixXd positiveDefinite(const Eigen::MatrixXd& m) {
    Eigen::LDLT<Eigen::MatrixXd> ldlt(m);
    if (ldlt.info() == Eigen::Success) {
        // Eigen's rcond() skips zero pivots (its solve is a pseudo-inverse there), so look at them too.
        const Eigen::VectorXd d = ldlt.vectorD();
        if (d.minCoeff() > kMinRcond * std::max(1.0, d.cwiseAbs().maxCoeff()) && ldlt.rcond() >= kMinRcond) return m;
    }
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(m, Eigen::EigenvaluesOnly);
    const double lo = eig.eigenvalues().minCoeff();
    const double hi = std::max(1.0, eig.eigenvalues().cwiseAbs().maxCoeff());
    const double shift = std::max(0.0, -lo) + kRidge * hi;
    return m + shift * Eigen::MatrixXd::Identity(m.rows(), m.cols());
}

double softThreshold(double z, double t) {
    if (z > t) return z - t;
    if (z < -t) return z + t;
    return 0.0;
}

} // namespace

Eigen::MatrixXd mutualCorrelationMatrix(const std::vector<PanelPtr>& factors, DayRange r) {
    const auto n = static_cast<Eigen::Index>(factors.size());
    Eigen::MatrixXd m = Eigen::MatrixXd::Identity(n, n);
    // dailyIc is already parallel over days, so the pairs go one after the other.
    for (Eigen::Index i = 0; i < n; ++i) {
        for (Eigen::Index j = i + 1; j < n; ++j) {
            const double c =
                mutualCorrelation(*factors[static_cast<std::size_t>(i)], *factors[static_cast<std::size_t>(j)], r);
            m(i, j) = c;
            m(j, i) = c;
        }
    }
    return m;
}

Eigen::VectorXd solvePoolWeights(const Eigen::MatrixXd& mutual, const Eigen::VectorXd& ics, double l1Lambda,
                                 const Eigen::VectorXd* start, double ridge, const Eigen::VectorXd* extraL1) {
    assert(mutual.rows() == mutual.cols() && mutual.rows() == ics.size());
    assert(l1Lambda >= 0.0);
    const Eigen::Index n = ics.size();
    if (n == 0) return Eigen::VectorXd();
    Eigen::MatrixXd s = sanitized(mutual);
    if (ridge > 0.0) s.diagonal().array() += ridge;
    const Eigen::MatrixXd m = positiveDefinite(s);
    Eigen::VectorXd rho(n);
    for (Eigen::Index i = 0; i < n; ++i) rho(i) = finiteOr(ics(i), 0.0);

    Eigen::VectorXd lambda = Eigen::VectorXd::Constant(n, std::max(0.0, l1Lambda));
    if (extraL1 && extraL1->size() == n)
        for (Eigen::Index i = 0; i < n; ++i) lambda(i) += std::max(0.0, finiteOr((*extraL1)(i), 0.0));
    if (lambda.maxCoeff() == 0.0) return m.ldlt().solve(rho);

    // Coordinate descent on w'Mw - 2w'rho + sum_j lambda_j |w_j|: the exact minimiser in w_j with the
    // others fixed is soft(rho_j - sum_{k!=j} M_jk w_k, lambda_j/2) / M_jj. Converges for positive
    // definite M.
    Eigen::VectorXd w = Eigen::VectorXd::Zero(n);
    if (start && start->size() == n && start->allFinite()) w = *start;
    Eigen::VectorXd mw = m * w; // M w, kept up to date
    for (int sweep = 0; sweep < kCdMaxSweeps; ++sweep) {
        double moved = 0.0;
        for (Eigen::Index j = 0; j < n; ++j) {
            const double z = rho(j) - (mw(j) - m(j, j) * w(j));
            const double wj = softThreshold(z, 0.5 * lambda(j)) / m(j, j);
            const double delta = wj - w(j);
            if (delta != 0.0) {
                mw += delta * m.col(j);
                w(j) = wj;
                moved = std::max(moved, std::fabs(delta));
            }
        }
        if (moved <= kCdTolerance) break;
    }
    return w;
}

Result<Combination> combineFactors(const std::vector<PanelPtr>& factors, const Panel& target, DayRange fit,
                                   CombineMethod method) {
    if (factors.empty()) return makeError(ErrorCode::InvalidArgument, "no factors to combine");
    for (std::size_t i = 0; i < factors.size(); ++i) {
        if (!factors[i])
            return makeError(ErrorCode::InvalidArgument, "factor " + std::to_string(i + 1) + " has no values");
        if (factors[i]->days() != target.days() || factors[i]->instruments() != target.instruments())
            return makeError(ErrorCode::InvalidArgument,
                             "factor " + std::to_string(i + 1) + " is " + std::to_string(factors[i]->days()) + " x " +
                                 std::to_string(factors[i]->instruments()) + ", the target is " +
                                 std::to_string(target.days()) + " x " + std::to_string(target.instruments()));
    }
    if (fit.begin < 0 || fit.end > target.days() || fit.size() == 0)
        return makeError(ErrorCode::InvalidArgument, "the fit range [" + std::to_string(fit.begin) + ", " +
                                                         std::to_string(fit.end) + ") is empty or outside the " +
                                                         std::to_string(target.days()) + " days");

    Combination c;
    c.method = method;
    const std::size_t n = factors.size();
    Eigen::VectorXd rho(static_cast<Eigen::Index>(n));
    for (std::size_t i = 0; i < n; ++i) {
        c.ics.push_back(seriesStats(dailyIc(*factors[i], target, fit)).mean);
        rho(static_cast<Eigen::Index>(i)) = c.ics.back();
    }
    c.mutual = mutualCorrelationMatrix(factors, fit);
    if (method == CombineMethod::EqualWeight) {
        for (double ic : c.ics) c.weights.push_back(std::isfinite(ic) && ic != 0.0 ? std::copysign(1.0 / n, ic) : 0.0);
    } else {
        const Eigen::VectorXd w = solvePoolWeights(c.mutual, rho);
        c.weights.assign(w.data(), w.data() + w.size());
    }

    c.values = weightedCombination(factors, c.weights);
    return c;
}

PanelPtr weightedCombination(const std::vector<PanelPtr>& factors, const std::vector<double>& weights) {
    return weightedCombination(factors, weights, DayRange{0, factors.empty() ? 0 : factors.front()->days()});
}

PanelPtr weightedCombination(const std::vector<PanelPtr>& factors, const std::vector<double>& weights, DayRange days) {
    if (factors.empty()) return std::make_shared<Panel>();
    const Panel& shape = *factors.front();
    const int n = shape.instruments();
    auto values = std::make_shared<Panel>(shape.days(), n, kNaN);
    const int first = std::max(0, days.begin), last = std::min(shape.days(), days.end);
    // Day by day (each day's z-scores of every factor stay in cache): the cells add up in the
    // factors' order, as they would factor by factor over the whole panel.
    tbb::parallel_for(tbb::blocked_range<int>(first, std::max(first, last)), [&](const tbb::blocked_range<int>& br) {
        std::vector<float> z(static_cast<std::size_t>(n));
        std::vector<std::uint8_t> present(static_cast<std::size_t>(n));
        for (int t = br.begin(); t < br.end(); ++t) {
            float* out = values->row(t);
            std::fill(out, out + n, 0.0f);
            std::fill(present.begin(), present.end(), std::uint8_t{0});
            for (std::size_t i = 0; i < factors.size() && i < weights.size(); ++i) {
                const auto w = static_cast<float>(weights[i]);
                if (w == 0.0f) continue;
                const float* raw = factors[i]->row(t);
                normalizeRow(raw, z.data(), n);
                for (int k = 0; k < n; ++k) {
                    if (!std::isfinite(raw[k])) continue; // z is 0 there; the cell is only valid if some factor is
                    out[k] += w * z[static_cast<std::size_t>(k)];
                    present[static_cast<std::size_t>(k)] = 1;
                }
            }
            for (int k = 0; k < n; ++k)
                if (!present[static_cast<std::size_t>(k)]) out[k] = kNaN;
        }
    });
    return values;
}

} // namespace alphascope

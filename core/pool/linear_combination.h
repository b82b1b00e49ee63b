#pragma once
// Linear combination of factors: the mutual-IC matrix and AlphaGen's pool weights (ALGORITHMS.md §3-4).

#include "core/data/panel.h"
#include "core/metrics/correlation.h"
#include "core/util/result.h"

#include <Eigen/Dense>

#include <vector>

namespace alphascope {

/// How combineFactors() picks the weights.
enum class CombineMethod { EqualWeight, LeastSquares };

/// Mutual-IC matrix (mean daily Pearson, ALGORITHMS.md §3) of factors over r; diagonal 1. An entry
/// with no defined day (a constant factor) is NaN. Call from any thread.
Eigen::MatrixXd mutualCorrelationMatrix(const std::vector<PanelPtr>& factors, DayRange r);

/// AlphaGen pool weights (ALGORITHMS.md §4): minimise w'Mw - 2w'rho + lambda|w|_1; lambda = 0 closed form
/// (LDLT, tiny ridge when singular), else coordinate descent. NaN entries count as 0 (1 on the
/// diagonal); a matrix that is not positive definite is shifted until it is. `start` (same size)
/// starts the coordinate descent there: a pool refitted after one change converges in a few sweeps
/// from its previous weights instead of hundreds from 0. On a nearly singular M (near-collinear
/// members) the descent stops in a flat valley, and where depends on the start: the weights then
/// differ, the pool's combined IC hardly (US random search: 0.035 from 0, 0.038 warm). The exact
/// minimiser there can have offsetting weights in the thousands; the descent's stop is the
/// regularisation the pool relies on (as AlphaGen's fixed number of optimiser steps is).
/// `ridge` > 0 adds ridge * I to M first (minimise w'(M + ridge I)w - 2w'rho + lambda|w|_1).
/// `extraL1` (same size, entries >= 0) adds a penalty of its own to each weight: the term becomes
/// sum_i (lambda + extra_i)|w_i| (the pool's complexity penalty).
Eigen::VectorXd solvePoolWeights(const Eigen::MatrixXd& mutual, const Eigen::VectorXd& ics, double l1Lambda = 0.0,
                                 const Eigen::VectorXd* start = nullptr, double ridge = 0.0,
                                 const Eigen::VectorXd* extraL1 = nullptr);

/// A fitted combination of factors.
struct Combination {
    CombineMethod method = CombineMethod::EqualWeight;
    std::vector<double> weights; ///< on the per-day z-scored factors
    std::vector<double> ics;     ///< single IC of each factor over the fit range
    Eigen::MatrixXd mutual;      ///< mutual IC over the fit range
    PanelPtr values;             ///< sum_i w_i * normalizeByDay(f_i)
};

/// sum_i w_i * normalizeByDay(f_i) over every day; a cell where no factor with a non-zero weight is
/// finite is NaN. The factors must have the same shape.
PanelPtr weightedCombination(const std::vector<PanelPtr>& factors, const std::vector<double>& weights);
/// The same on the days of `days` only (the other days are NaN): the same values there.
PanelPtr weightedCombination(const std::vector<PanelPtr>& factors, const std::vector<double>& weights, DayRange days);

/// EqualWeight: w_i = sign(ic_i)/n. LeastSquares: solvePoolWeights(mutual, ics). Fit on `fit` (train split).
/// The values cover every day; a cell where no factor with a non-zero weight is finite is NaN.
/// Errors: InvalidArgument (no factors, shapes differ, empty or out-of-range fit). Call from any thread.
Result<Combination> combineFactors(const std::vector<PanelPtr>& factors, const Panel& target, DayRange fit,
                                   CombineMethod method);

} // namespace alphascope

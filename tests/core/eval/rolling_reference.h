#pragma once
// Slow, obviously-correct references for the rolling kernels (tests only): for each day the window
// is collected and computed with plain loops and two-pass double formulas, sorts done naively.

#include "core/data/panel.h"
#include "core/expr/op_id.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace rolling_reference {

using alphascope::kNaN;
using alphascope::OpId;
using alphascope::Panel;

inline const double kNaND = std::numeric_limits<double>::quiet_NaN();

/// A reference value and the magnitude its cancellation-prone parts work at (for the tolerance).
struct RefValue {
    double value = kNaND;
    double scale = 0.0;
};

inline int minimumWindow(OpId op) {
    switch (op) {
    case OpId::Std:
    case OpId::Var:
    case OpId::IR:
    case OpId::Cov:
    case OpId::Corr:
    case OpId::Slope:
    case OpId::Rsquare:
    case OpId::Resi: return 2;
    case OpId::Skew: return 3;
    case OpId::Kurt: return 4;
    default: return 1;
    }
}

inline bool isConstant(const std::vector<double>& w) {
    const double hi = *std::max_element(w.begin(), w.end());
    const double lo = *std::min_element(w.begin(), w.end());
    return hi - lo <= 1e-12 * std::max(std::fabs(hi), std::fabs(lo));
}

inline double mean(const std::vector<double>& w) {
    double s = 0;
    for (double v : w) s += v;
    return s / w.size();
}

inline double meanAbs(const std::vector<double>& w) {
    double s = 0;
    for (double v : w) s += std::fabs(v);
    return s / w.size();
}

/// Population central moment of order k, two passes.
inline double central(const std::vector<double>& w, int k) {
    const double m = mean(w);
    double s = 0;
    for (double v : w) s += std::pow(v - m, k);
    return s / w.size();
}

/// Slow reference of a one-series rolling operator on one complete, all-finite window (oldest first).
inline RefValue refWindow(OpId op, const std::vector<double>& w) {
    const int n = static_cast<int>(w.size());
    const double today = w.back();
    const double hi = *std::max_element(w.begin(), w.end());
    const double lo = *std::min_element(w.begin(), w.end());
    const bool flat = isConstant(w);
    RefValue r;
    switch (op) {
    case OpId::Mean: r = {mean(w), meanAbs(w)}; break;
    case OpId::Sum: r = {mean(w) * n, meanAbs(w) * n}; break;
    case OpId::Product: {
        double p = 1.0;
        for (double v : w) p *= v;
        r.value = std::fabs(p) <= std::numeric_limits<float>::max() ? p : kNaND; // beyond float: NaN
        break;
    }
    case OpId::Var: r.value = flat ? 0.0 : central(w, 2) * n / (n - 1); break;
    case OpId::Std: r.value = flat ? 0.0 : std::sqrt(central(w, 2) * n / (n - 1)); break;
    case OpId::IR: {
        const double sd = std::sqrt(central(w, 2) * n / (n - 1));
        if (!flat && sd > 0) r = {mean(w) / sd, meanAbs(w) / sd};
        break;
    }
    case OpId::Skew:
        if (!flat) r = {std::sqrt(double(n) * (n - 1)) / (n - 2) * central(w, 3) / std::pow(central(w, 2), 1.5), 1e3};
        break;
    case OpId::Kurt:
        if (!flat) {
            const double m2 = central(w, 2);
            const double k =
                ((double(n) * n - 1) * central(w, 4) / (m2 * m2) - 3.0 * (n - 1) * (n - 1)) / ((n - 2.0) * (n - 3.0));
            r = {k, 1e3};
        }
        break;
    case OpId::Max: r.value = hi; break;
    case OpId::Min: r.value = lo; break;
    case OpId::MaxDiff: r.value = today - hi; break;
    case OpId::MinDiff: r.value = today - lo; break;
    case OpId::MinMaxDiff: r.value = hi - lo; break;
    case OpId::ArgMax:
    case OpId::ArgMin: {
        int best = 0;
        for (int j = 1; j < n; ++j)
            if (op == OpId::ArgMax ? w[j] > w[best] : w[j] < w[best]) best = j;
        r.value = best + 1;
        break;
    }
    case OpId::Med: {
        std::vector<double> s = w;
        std::sort(s.begin(), s.end());
        r.value = n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
        break;
    }
    case OpId::Mad: {
        if (flat) {
            r.value = 0.0;
            break;
        }
        const double m = mean(w);
        double s = 0;
        for (double v : w) s += std::fabs(v - m);
        r.value = s / n;
        break;
    }
    case OpId::Rank: {
        int less = 0, equal = 0;
        for (double v : w) {
            less += v < today;
            equal += v == today;
        }
        r.value = (less + (equal + 1) / 2.0) / n;
        break;
    }
    case OpId::WMA: {
        double s = 0;
        for (int j = 0; j < n; ++j) s += (j + 1) * w[j];
        r = {s / (n * (n + 1) / 2.0), meanAbs(w)};
        break;
    }
    case OpId::EMA: {
        const double alpha = 2.0 / (n + 1);
        double s = 0, norm = 0;
        for (int age = 0; age < n; ++age) {
            const double weight = std::pow(1 - alpha, age);
            s += weight * w[n - 1 - age];
            norm += weight;
        }
        r = {s / norm, meanAbs(w)};
        break;
    }
    case OpId::TsDiv:
        if (mean(w) != 0) r.value = today / mean(w);
        break;
    case OpId::Slope:
    case OpId::Rsquare:
    case OpId::Resi: {
        // Least squares of the window on k = 1..n, two passes.
        const double mk = (n + 1) / 2.0, my = mean(w);
        double skk = 0, sky = 0, syy = 0;
        for (int j = 0; j < n; ++j) {
            const double k = j + 1.0;
            skk += (k - mk) * (k - mk);
            sky += (k - mk) * (w[j] - my);
            syy += (w[j] - my) * (w[j] - my);
        }
        const double slope = flat ? 0.0 : sky / skk;
        if (op == OpId::Slope)
            r = {slope, meanAbs(w)};
        else if (op == OpId::Resi)
            r = {flat ? 0.0 : today - (my + slope * (n - mk)), meanAbs(w)};
        else if (!flat && syy > 0)
            r = {std::min(1.0, sky * sky / (skk * syy)), 1e3};
        break;
    }
    default: break;
    }
    if (!std::isfinite(r.value)) r.value = kNaND;
    return r;
}

/// Slow reference of the whole panel for a rolling operator.
inline std::vector<RefValue> refRolling(OpId op, const Panel& x, int window) {
    const int days = x.days(), cols = x.instruments();
    std::vector<RefValue> out(x.size());
    for (int t = 0; t < days; ++t) {
        for (int i = 0; i < cols; ++i) {
            RefValue& r = out[std::size_t(t) * cols + i];
            if (op == OpId::Ref || op == OpId::Delta || op == OpId::PctChange) {
                const int past = t - window;
                if (past < 0 || past >= days || (op != OpId::Ref && window < 1)) continue;
                const double a = x.at(past, i), b = x.at(t, i);
                if (op == OpId::Ref)
                    r.value = a;
                else if (!std::isfinite(a) || !std::isfinite(b))
                    continue;
                else if (op == OpId::Delta)
                    r.value = b - a;
                else if (a != 0)
                    r = {b / a - 1, 1.0};
                if (!std::isfinite(r.value)) r.value = kNaND;
                continue;
            }
            if (window < rolling_reference::minimumWindow(op) || t < window - 1) continue;
            if (op == OpId::Count) { // days with a finite value; NaN does not poison the window
                int count = 0;
                for (int s = t - window + 1; s <= t; ++s) count += std::isfinite(x.at(s, i)) ? 1 : 0;
                r.value = count;
                continue;
            }
            std::vector<double> w;
            bool finite = true;
            for (int s = t - window + 1; s <= t; ++s) {
                finite = finite && std::isfinite(x.at(s, i));
                w.push_back(x.at(s, i));
            }
            if (finite) r = refWindow(op, w);
        }
    }
    return out;
}

/// Slow reference of Cov / Corr.
inline std::vector<RefValue> refPair(OpId op, const Panel& x, const Panel& y, int window) {
    const int days = x.days(), cols = x.instruments();
    std::vector<RefValue> out(x.size());
    for (int t = window - 1; t < days; ++t) {
        for (int i = 0; i < cols; ++i) {
            if (window < 2) continue;
            std::vector<double> a, b;
            bool finite = true;
            for (int s = t - window + 1; s <= t; ++s) {
                finite = finite && std::isfinite(x.at(s, i)) && std::isfinite(y.at(s, i));
                a.push_back(x.at(s, i));
                b.push_back(y.at(s, i));
            }
            if (!finite) continue;
            const double ma = mean(a), mb = mean(b);
            double sab = 0, saa = 0, sbb = 0;
            for (int j = 0; j < window; ++j) {
                sab += (a[j] - ma) * (b[j] - mb);
                saa += (a[j] - ma) * (a[j] - ma);
                sbb += (b[j] - mb) * (b[j] - mb);
            }
            RefValue& r = out[std::size_t(t) * cols + i];
            if (op == OpId::Cov)
                r = {sab / (window - 1), 1e3 * std::sqrt(saa * sbb) / (window - 1)};
            else if (!isConstant(a) && !isConstant(b))
                r = {sab / std::sqrt(saa * sbb), 1e3};
            if (!std::isfinite(r.value)) r.value = kNaND;
        }
    }
    return out;
}

/// Random panel with the awkward cases: NaNs (~3%), a few +-inf, runs of constant values, a column of
/// 3000 + 1e-4 * noise (mostly the same float), one of 3000 + 1e-3 * noise, a price random walk,
/// small integers (ties), zeros, and values around 1e6.
inline Panel randomPanel(int days, int cols, unsigned seed, double nanRate = 0.03) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    std::uniform_int_distribution<int> small(0, 4);
    Panel p(days, cols);
    for (int i = 0; i < cols; ++i) {
        double walk = 100.0, level = normal(rng);
        for (int t = 0; t < days; ++t) {
            double v = normal(rng);
            switch (i % 17) {
            case 6: v = 3000.0 + 1e-4 * normal(rng); break;
            case 7: v = 3000.0 + 1e-3 * normal(rng); break;
            case 8:
                walk += normal(rng);
                v = walk;
                break;
            case 9: v = small(rng); break;
            case 10:
                if (uniform(rng) < 0.08) level = normal(rng);
                v = level;
                break;                                                                // constant runs
            case 11: v = uniform(rng) < 0.95 ? 5.0 : normal(rng); break;              // mostly constant
            case 12: v = uniform(rng) < 0.15 ? 0.0 : 2.0 * uniform(rng) - 1.0; break; // zeros
            case 13: v = 1e6 + normal(rng); break;
            default: break;
            }
            p.at(t, i) = static_cast<float>(v);
        }
    }
    for (int t = 0; t < days; ++t)
        for (int i = 0; i < cols; ++i)
            if (uniform(rng) < nanRate) p.at(t, i) = kNaN;
    const float inf = std::numeric_limits<float>::infinity();
    for (int k = 0; k < 6; ++k)
        p.at(static_cast<int>(uniform(rng) * days), static_cast<int>(uniform(rng) * cols)) = k % 2 ? inf : -inf;
    return p;
}

} // namespace rolling_reference

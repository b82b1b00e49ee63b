#include "core/metrics/correlation.h"

#include "core/util/ranking.h"
#include "core/util/simd.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <numeric>

namespace alphascope {

namespace {

/// The correlation from centred second moments over m pairs; NaN for a constant side (std at most
/// kDegenerateRel times its largest |value|): it is skipped, not counted as 0 (ALGORITHMS.md §3).
double pearsonFromMoments(double sxx, double syy, double sxy, int m, double maxX, double maxY) {
    const double stdX = std::sqrt(sxx / m), stdY = std::sqrt(syy / m);
    if (stdX <= kDegenerateRel * maxX || stdY <= kDegenerateRel * maxY) return kNaNd;
    return std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
}

template <class T> double pearsonImpl(const T* x, const T* y, int n) {
    // Two passes in double: means first, then centred moments (stable for large offsets).
    double sx = 0.0, sy = 0.0, maxX = 0.0, maxY = 0.0;
    int m = 0;
    for (int i = 0; i < n; ++i) {
        const double a = x[i], b = y[i];
        if (!std::isfinite(a) || !std::isfinite(b)) continue;
        sx += a;
        sy += b;
        maxX = std::max(maxX, std::fabs(a));
        maxY = std::max(maxY, std::fabs(b));
        ++m;
    }
    if (m < 2) return kNaNd;
    const double mx = sx / m, my = sy / m;
    double sxx = 0.0, syy = 0.0, sxy = 0.0;
    for (int i = 0; i < n; ++i) {
        const double a = x[i], b = y[i];
        if (!std::isfinite(a) || !std::isfinite(b)) continue;
        const double dx = a - mx, dy = b - my;
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
    }
    return pearsonFromMoments(sxx, syy, sxy, m, maxX, maxY);
}

/// pearsonImpl for float input, vectorised: masks instead of branches, every reduction declared.
/// The same two passes and the same arithmetic in double; only the order of the sums differs.
ALPHASCOPE_SIMD_CLONES
double pearsonFloat(const float* x, const float* y, int n) {
    double sx = 0.0, sy = 0.0, maxX = 0.0, maxY = 0.0;
    int m = 0;
#pragma omp simd reduction(+ : sx, sy, m) reduction(max : maxX, maxY)
    for (int i = 0; i < n; ++i) {
        const bool ok = std::fabs(x[i]) <= FLT_MAX && std::fabs(y[i]) <= FLT_MAX;
        const double a = ok ? double(x[i]) : 0.0, b = ok ? double(y[i]) : 0.0;
        sx += a;
        sy += b;
        maxX = std::max(maxX, std::fabs(a));
        maxY = std::max(maxY, std::fabs(b));
        m += ok ? 1 : 0;
    }
    if (m < 2) return kNaNd;
    const double mx = sx / m, my = sy / m;
    double sxx = 0.0, syy = 0.0, sxy = 0.0;
#pragma omp simd reduction(+ : sxx, syy, sxy)
    for (int i = 0; i < n; ++i) {
        const bool ok = std::fabs(x[i]) <= FLT_MAX && std::fabs(y[i]) <= FLT_MAX;
        const double dx = ok ? double(x[i]) - mx : 0.0, dy = ok ? double(y[i]) - my : 0.0;
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
    }
    return pearsonFromMoments(sxx, syy, sxy, m, maxX, maxY);
}

/// Per-thread buffers for rank correlations, so a day costs no allocation after the first.
struct RankScratch {
    std::vector<float> xs, ys;
    std::vector<double> rx, ry;
    RankWorkspace ranking;
};

double spearmanImpl(const float* x, const float* y, int n, RankScratch& s) {
    s.xs.clear();
    s.ys.clear();
    for (int i = 0; i < n; ++i) {
        if (!std::isfinite(x[i]) || !std::isfinite(y[i])) continue;
        s.xs.push_back(x[i]);
        s.ys.push_back(y[i]);
    }
    const int m = static_cast<int>(s.xs.size());
    if (m < 2) return kNaNd;
    s.rx.resize(m);
    s.ry.resize(m);
    averageRanks(s.xs.data(), m, s.rx.data(), s.ranking);
    averageRanks(s.ys.data(), m, s.ry.data(), s.ranking);
    return pearsonImpl(s.rx.data(), s.ry.data(), m);
}

template <class DayFn> std::vector<double> perDay(const Panel& a, const Panel& b, DayRange r, DayFn fn) {
    std::vector<double> out(static_cast<std::size_t>(r.size()), kNaNd);
    if (out.empty() || a.instruments() != b.instruments()) return out;
    const int lastDay = std::min(a.days(), b.days());
    const int n = a.instruments();
    tbb::parallel_for(tbb::blocked_range<int>(r.begin, r.end), [&](const tbb::blocked_range<int>& br) {
        RankScratch scratch;
        for (int t = br.begin(); t < br.end(); ++t) {
            if (t < 0 || t >= lastDay) continue;
            out[static_cast<std::size_t>(t - r.begin)] = fn(a.row(t), b.row(t), n, scratch);
        }
    });
    return out;
}

} // namespace

double pearson(const float* x, const float* y, int n) {
    return pearsonFloat(x, y, n);
}

double pearson(const double* x, const double* y, int n) {
    return pearsonImpl(x, y, n);
}

double spearman(const float* x, const float* y, int n) {
    RankScratch scratch;
    return spearmanImpl(x, y, n, scratch);
}

std::vector<double> dailyIc(const Panel& factor, const Panel& target, DayRange r) {
    return perDay(factor, target, r,
                  [](const float* x, const float* y, int n, RankScratch&) { return pearsonFloat(x, y, n); });
}

std::vector<double> dailyRankIc(const Panel& factor, const Panel& target, DayRange r) {
    return perDay(factor, target, r, [](const float* x, const float* y, int n, RankScratch& s) {
        return spearmanImpl(x, y, n, s);
    });
}

SeriesStats seriesStats(const std::vector<double>& series) {
    SeriesStats st;
    double sum = 0.0;
    for (double v : series) {
        if (!std::isfinite(v)) continue;
        sum += v;
        ++st.days;
    }
    if (st.days == 0) return st;
    st.mean = sum / st.days;
    if (st.days < 2) return st;
    double ss = 0.0;
    for (double v : series) {
        if (std::isfinite(v)) ss += (v - st.mean) * (v - st.mean);
    }
    st.std = std::sqrt(ss / (st.days - 1));
    if (st.std > 0.0) st.ir = st.mean / st.std;
    return st;
}

double mutualCorrelation(const Panel& a, const Panel& b, DayRange r) {
    return seriesStats(dailyIc(a, b, r)).mean;
}

void normalizeByDay(const Panel& in, Panel& out) {
    if (&out != &in) out = Panel(in.days(), in.instruments());
    const int n = in.instruments();
    Panel& dst = out;
    tbb::parallel_for(tbb::blocked_range<int>(0, in.days()), [&](const tbb::blocked_range<int>& br) {
        for (int t = br.begin(); t < br.end(); ++t) {
            const float* src = in.row(t);
            double sum = 0.0, maxAbs = 0.0;
            int m = 0;
            for (int i = 0; i < n; ++i) {
                if (!std::isfinite(src[i])) continue;
                sum += src[i];
                maxAbs = std::max(maxAbs, std::fabs(static_cast<double>(src[i])));
                ++m;
            }
            const double mean = m > 0 ? sum / m : 0.0;
            double ss = 0.0;
            for (int i = 0; i < n; ++i) {
                if (std::isfinite(src[i])) ss += (src[i] - mean) * (src[i] - mean);
            }
            const double sd = m > 0 ? std::sqrt(ss / m) : 0.0;
            const bool flat = m == 0 || sd <= kDegenerateRel * maxAbs;
            // Written after both reads of the row, so in-place normalisation (dst == in) is safe.
            float* d = dst.row(t);
            for (int i = 0; i < n; ++i) {
                const float v = src[i];
                d[i] = (flat || !std::isfinite(v)) ? 0.0f : static_cast<float>((v - mean) / sd);
            }
        }
    });
}

} // namespace alphascope

#include "core/metrics/factor_stats.h"

#include "core/util/ranking.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

namespace alphascope {

namespace {

/// The range clipped to the days the panel has.
DayRange clip(DayRange r, int days) {
    return DayRange{std::max(r.begin, 0), std::min(r.end, days)};
}

} // namespace

namespace {

/// Labels from the average ranks of the m finite values (in instrument order, `finite` marks them).
void labelsFromRanks(const double* ranks, long long m, const std::uint8_t* finite, int n, int quantiles,
                     std::vector<int>& labels) {
    labels.assign(static_cast<std::size_t>(std::max(n, 0)), -1);
    long long k = 0;
    for (int i = 0; i < n; ++i) {
        if (!finite[i]) continue;
        // 2r is an integer (ranks are whole or half), so the label is exact integer arithmetic.
        const long long twiceRank = std::llround(2.0 * ranks[k++]);
        const long long q = (twiceRank - 1) * quantiles / (2 * m);
        labels[static_cast<std::size_t>(i)] = static_cast<int>(std::clamp<long long>(q, 0, quantiles - 1));
    }
}

} // namespace

DayRanks rankDays(const Panel& factor, DayRange r) {
    DayRanks out;
    out.range = clip(r, factor.days());
    out.range.end = std::max(out.range.end, out.range.begin);
    const int n = factor.instruments();
    out.instruments = n;
    const int days = out.range.size();
    out.finite.assign(static_cast<std::size_t>(days) * static_cast<std::size_t>(n), 0);
    out.offset.assign(static_cast<std::size_t>(days) + 1, 0);
    for (int k = 0; k < days; ++k) {
        const float* row = factor.row(out.range.begin + k);
        std::uint8_t* fin = out.finite.data() + static_cast<std::size_t>(k) * n;
        std::size_t m = 0;
        for (int i = 0; i < n; ++i) {
            fin[i] = std::isfinite(row[i]) ? 1 : 0;
            m += fin[i];
        }
        out.offset[static_cast<std::size_t>(k) + 1] = out.offset[static_cast<std::size_t>(k)] + m;
    }
    out.ranks.resize(out.offset.back());
    tbb::parallel_for(tbb::blocked_range<int>(0, days), [&](const tbb::blocked_range<int>& br) {
        std::vector<float> packed;
        RankWorkspace workspace;
        for (int k = br.begin(); k < br.end(); ++k) {
            const float* row = factor.row(out.range.begin + k);
            const std::uint8_t* fin = out.finite.data() + static_cast<std::size_t>(k) * n;
            packed.clear();
            for (int i = 0; i < n; ++i)
                if (fin[i]) packed.push_back(row[i]);
            if (!packed.empty())
                averageRanks(packed.data(), static_cast<int>(packed.size()),
                             out.ranks.data() + out.offset[static_cast<std::size_t>(k)], workspace);
        }
    });
    return out;
}

std::vector<int> quantileLabels(const float* values, int n, int quantiles) {
    std::vector<int> labels(static_cast<std::size_t>(std::max(n, 0)), -1);
    if (quantiles < 1) return labels;
    std::vector<float> finite;
    std::vector<std::uint8_t> isFinite(static_cast<std::size_t>(std::max(n, 0)), 0);
    for (int i = 0; i < n; ++i) {
        if (!std::isfinite(values[i])) continue;
        finite.push_back(values[i]);
        isFinite[static_cast<std::size_t>(i)] = 1;
    }
    if (finite.empty()) return labels;
    std::vector<double> ranks(finite.size());
    RankWorkspace workspace;
    averageRanks(finite.data(), static_cast<int>(finite.size()), ranks.data(), workspace);
    labelsFromRanks(ranks.data(), static_cast<long long>(finite.size()), isFinite.data(), n, quantiles, labels);
    return labels;
}

double coverage(const Panel& factor, const std::vector<std::uint8_t>& membership, DayRange r) {
    const int n = factor.instruments();
    if (!membership.empty() && membership.size() != factor.size()) return kNaNd;
    const DayRange c = clip(r, factor.days());
    long long members = 0, valid = 0;
    for (int t = c.begin; t < c.end; ++t) {
        const float* row = factor.row(t);
        const std::uint8_t* mem = membership.empty() ? nullptr : membership.data() + static_cast<std::size_t>(t) * n;
        for (int i = 0; i < n; ++i) {
            if (mem && !mem[i]) continue;
            ++members;
            if (std::isfinite(row[i])) ++valid;
        }
    }
    return members > 0 ? static_cast<double>(valid) / static_cast<double>(members) : kNaNd;
}

double topQuantileTurnover(const Panel& factor, DayRange r, int quantiles, const DayRanks* ranks) {
    const DayRange c = clip(r, factor.days());
    if (c.size() < 2 || quantiles < 1) return kNaNd;
    const int n = factor.instruments();
    // Top-quantile membership per day (sorted instrument indices), computed in parallel.
    std::vector<std::vector<int>> top(static_cast<std::size_t>(c.size()));
    tbb::parallel_for(tbb::blocked_range<int>(c.begin, c.end), [&](const tbb::blocked_range<int>& br) {
        std::vector<int> labels;
        for (int t = br.begin(); t < br.end(); ++t) {
            if (ranks && ranks->covers(t))
                labelsFromRanks(ranks->of(t), ranks->count(t), ranks->finiteOf(t), n, quantiles, labels);
            else
                labels = quantileLabels(factor.row(t), n, quantiles);
            std::vector<int>& set = top[static_cast<std::size_t>(t - c.begin)];
            for (int i = 0; i < n; ++i) {
                if (labels[static_cast<std::size_t>(i)] == quantiles - 1) set.push_back(i);
            }
        }
    });
    double sum = 0.0;
    int count = 0;
    for (std::size_t k = 1; k < top.size(); ++k) {
        const std::vector<int>& now = top[k];
        const std::vector<int>& before = top[k - 1];
        if (now.empty() || before.empty()) continue;
        std::vector<int> common;
        std::set_intersection(now.begin(), now.end(), before.begin(), before.end(), std::back_inserter(common));
        sum += 1.0 - static_cast<double>(common.size()) / static_cast<double>(now.size());
        ++count;
    }
    return count > 0 ? sum / count : kNaNd;
}

double rankAutocorrelation(const Panel& factor, DayRange r, int lag, const DayRanks* ranks) {
    const DayRange c = clip(r, factor.days());
    if (lag < 1 || c.size() <= lag) return kNaNd;
    const int n = factor.instruments();
    const DayRange days{c.begin + lag, c.end};
    std::vector<double> daily(static_cast<std::size_t>(days.size()), kNaNd);
    tbb::parallel_for(tbb::blocked_range<int>(days.begin, days.end), [&](const tbb::blocked_range<int>& br) {
        for (int t = br.begin(); t < br.end(); ++t) {
            double& out = daily[static_cast<std::size_t>(t - days.begin)];
            // Both days finite on the same cells: Spearman ranks exactly each day's own ranks.
            if (ranks && ranks->covers(t) && ranks->covers(t - lag) && ranks->count(t) == ranks->count(t - lag) &&
                std::equal(ranks->finiteOf(t), ranks->finiteOf(t) + n, ranks->finiteOf(t - lag)))
                out = ranks->count(t) < 2 ? kNaNd : pearson(ranks->of(t), ranks->of(t - lag), ranks->count(t));
            else
                out = spearman(factor.row(t), factor.row(t - lag), n);
        }
    });
    return seriesStats(daily).mean;
}

std::vector<double> quantileMeanReturns(const Panel& factor, const Panel& forwardReturn, DayRange r, int quantiles,
                                        const DayRanks* ranks) {
    std::vector<double> result(static_cast<std::size_t>(std::max(quantiles, 0)), kNaNd);
    if (quantiles < 1 || factor.instruments() != forwardReturn.instruments()) return result;
    const DayRange c = clip(r, std::min(factor.days(), forwardReturn.days()));
    if (c.size() == 0) return result;
    const int n = factor.instruments();
    const std::size_t q = static_cast<std::size_t>(quantiles);
    // Per day and quantile: the mean return, NaN when the quantile is empty that day.
    std::vector<double> daily(static_cast<std::size_t>(c.size()) * q, kNaNd);
    tbb::parallel_for(tbb::blocked_range<int>(c.begin, c.end), [&](const tbb::blocked_range<int>& br) {
        std::vector<float> masked(static_cast<std::size_t>(n));
        std::vector<double> sum(q);
        std::vector<int> cnt(q);
        std::vector<int> labels;
        for (int t = br.begin(); t < br.end(); ++t) {
            const float* f = factor.row(t);
            const float* y = forwardReturn.row(t);
            // Quantiles over the cells where both are finite, so each day's buckets are comparable.
            bool dropped = false;
            for (int i = 0; i < n; ++i) {
                const bool keep = std::isfinite(y[i]);
                masked[i] = keep ? f[i] : kNaN;
                dropped = dropped || (!keep && std::isfinite(f[i]));
            }
            if (ranks && ranks->covers(t) && !dropped) // the return masks no finite factor cell
                labelsFromRanks(ranks->of(t), ranks->count(t), ranks->finiteOf(t), n, quantiles, labels);
            else
                labels = quantileLabels(masked.data(), n, quantiles);
            std::fill(sum.begin(), sum.end(), 0.0);
            std::fill(cnt.begin(), cnt.end(), 0);
            for (int i = 0; i < n; ++i) {
                const int l = labels[static_cast<std::size_t>(i)];
                if (l < 0) continue;
                sum[static_cast<std::size_t>(l)] += y[i];
                ++cnt[static_cast<std::size_t>(l)];
            }
            double* out = daily.data() + static_cast<std::size_t>(t - c.begin) * q;
            for (std::size_t k = 0; k < q; ++k) {
                if (cnt[k] > 0) out[k] = sum[k] / cnt[k];
            }
        }
    });
    for (std::size_t k = 0; k < q; ++k) {
        double s = 0.0;
        int days = 0;
        for (int d = 0; d < c.size(); ++d) {
            const double v = daily[static_cast<std::size_t>(d) * q + k];
            if (std::isnan(v)) continue;
            s += v;
            ++days;
        }
        if (days > 0) result[k] = s / days;
    }
    return result;
}

namespace {

/// Linear-interpolated quantile (numpy's default) of unsorted values; reorders `v`.
double quantileOf(std::vector<double>& v, double p) {
    const double pos = p * static_cast<double>(v.size() - 1);
    const std::size_t lo = static_cast<std::size_t>(std::floor(pos));
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(lo), v.end());
    const double a = v[lo];
    if (lo + 1 >= v.size()) return a;
    const double b = *std::min_element(v.begin() + static_cast<std::ptrdiff_t>(lo) + 1, v.end());
    return a + (pos - static_cast<double>(lo)) * (b - a);
}

} // namespace

Histogram histogram(const Panel& factor, DayRange r, int bins) {
    Histogram h;
    h.counts.assign(static_cast<std::size_t>(std::max(bins, 1)), 0);
    const DayRange c = clip(r, factor.days());
    std::vector<double> values;
    for (int t = c.begin; t < c.end; ++t) {
        const float* row = factor.row(t);
        for (int i = 0; i < factor.instruments(); ++i) {
            if (std::isfinite(row[i])) values.push_back(row[i]);
        }
    }
    if (values.empty()) return h;
    std::vector<double> work = values;
    // Bounds at the 0.5% / 99.5% quantiles keep a few outliers from squashing the picture.
    h.lo = quantileOf(work, 0.005);
    h.hi = quantileOf(work, 0.995);
    const int nb = static_cast<int>(h.counts.size());
    const double width = h.hi - h.lo;
    for (double v : values) {
        if (v < h.lo) {
            ++h.below;
        } else if (v > h.hi) {
            ++h.above;
        } else if (width <= 0.0) {
            ++h.counts[0];
        } else {
            const int b = std::min(nb - 1, static_cast<int>((v - h.lo) / width * nb));
            ++h.counts[static_cast<std::size_t>(b)];
        }
    }
    return h;
}

} // namespace alphascope

#include "core/metrics/correlation.h"

#include "core/metrics/factor_stats.h"

#include "core/util/ranking.h"
#include "core/util/simd.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <tbb/task_arena.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <mutex>
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

template <class T>
double pearsonImpl(const T* x, const T* y, int n) {
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
    std::vector<int> position;
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

template <class DayFn>
std::vector<double> perDay(const Panel& a, const Panel& b, DayRange r, DayFn fn) {
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

/// Rank IC against a prepared day. The factor is ranked over the pairs. When the factor drops some
/// of the day's target cells, the target's ranks over the pairs come from one walk over the day's
/// sorted order: each run of equal values gets the mean of the next ranks among the kept cells.
double preparedRankIc(const float* x, const PreparedTarget& pt, const PreparedTarget::Day& d, RankScratch& s,
                      const double* sharedRanks = nullptr, int sharedCount = 0) {
    if (d.count < 2) return kNaNd;
    const int* idx = pt.instruments(d);
    const float* fullRank = pt.ranks(d);
    const int n = d.count;
    s.xs.resize(static_cast<std::size_t>(n));
    s.ys.resize(static_cast<std::size_t>(n));
    s.position.resize(static_cast<std::size_t>(n));
    float* xs = s.xs.data();
    float* ys = s.ys.data();           // the target's ranks over the pairs
    int* position = s.position.data(); // of each day cell among the pairs, -1 when dropped
    int m = 0;
    for (int k = 0; k < n; ++k) { // branch-free compaction
        const float v = x[idx[k]];
        const bool ok = std::fabs(v) <= FLT_MAX;
        xs[m] = v;
        ys[m] = fullRank[k];
        position[k] = ok ? m : -1;
        m += ok ? 1 : 0;
    }
    if (m < 2) return kNaNd;
    if (m < n) {
        const int* order = pt.order(d);
        int below = 0; // kept cells of lower value
        for (int j = 0; j < n;) {
            const float r = fullRank[order[j]];
            int e = j + 1;
            while (e < n && fullRank[order[e]] == r) ++e;
            int kept = 0;
            for (int q = j; q < e; ++q) kept += position[order[q]] >= 0 ? 1 : 0;
            const float mean = static_cast<float>(below) + 0.5f * static_cast<float>(kept + 1); // half-integer: exact
            for (int q = j; q < e; ++q)
                if (position[order[q]] >= 0) ys[position[order[q]]] = mean;
            below += kept;
            j = e;
        }
    }
    const double* rx = sharedRanks;
    if (!rx || sharedCount != m) { // the pairs are not exactly the factor's finite cells: rank them
        s.rx.resize(static_cast<std::size_t>(m));
        averageRanks(xs, m, s.rx.data(), s.ranking);
        rx = s.rx.data();
    }
    // Ranks over m pairs sum to m(m+1)/2 exactly, so their mean is (m+1)/2 exactly.
    const double mr = 0.5 * (m + 1.0);
    double sxx = 0.0, syy = 0.0, sxy = 0.0, maxRx = 0.0, maxRy = 0.0;
#pragma omp simd reduction(+ : sxx, syy, sxy) reduction(max : maxRx, maxRy)
    for (int k = 0; k < m; ++k) {
        const double dx = rx[k] - mr, dy = double(ys[k]) - mr;
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
        maxRx = std::max(maxRx, rx[k]);
        maxRy = std::max(maxRy, double(ys[k]));
    }
    return pearsonFromMoments(sxx, syy, sxy, m, maxRx, maxRy);
}

template <class DayFn>
std::vector<double> perPreparedDay(const Panel& factor, const PreparedTarget& pt, DayRange r, DayFn fn) {
    const Panel& target = pt.values();
    std::vector<double> out(static_cast<std::size_t>(r.size()), kNaNd);
    if (out.empty() || factor.instruments() != target.instruments()) return out;
    const int lastDay = std::min(factor.days(), target.days());
    tbb::parallel_for(tbb::blocked_range<int>(r.begin, r.end), [&](const tbb::blocked_range<int>& br) {
        RankScratch scratch;
        for (int t = br.begin(); t < br.end(); ++t) {
            if (t < 0 || t >= lastDay) continue;
            out[static_cast<std::size_t>(t - r.begin)] = fn(t, factor.row(t), pt, pt.day(t), scratch);
        }
    });
    return out;
}

} // namespace

PreparedTarget::PreparedTarget(const Panel& target) : m_target(&target) {
    const int days = target.days();
    const int n = target.instruments();
    m_days.resize(static_cast<std::size_t>(days));
    std::size_t total = 0;
    for (int t = 0; t < days; ++t) {
        const float* y = target.row(t);
        int count = 0;
        for (int i = 0; i < n; ++i) count += std::isfinite(y[i]) ? 1 : 0;
        m_days[static_cast<std::size_t>(t)].offset = total;
        m_days[static_cast<std::size_t>(t)].count = count;
        total += static_cast<std::size_t>(count);
    }
    m_index.resize(total);
    m_ranks.resize(total);
    m_order.resize(total);
    tbb::parallel_for(tbb::blocked_range<int>(0, days), [&](const tbb::blocked_range<int>& br) {
        std::vector<float> ys;
        std::vector<double> ranks;
        RankWorkspace ws;
        for (int t = br.begin(); t < br.end(); ++t) {
            Day& d = m_days[static_cast<std::size_t>(t)];
            const float* y = target.row(t);
            int* idx = m_index.data() + d.offset;
            ys.clear();
            for (int i = 0; i < n; ++i) {
                if (!std::isfinite(y[i])) continue;
                idx[ys.size()] = i;
                ys.push_back(y[i]);
            }
            const int m = d.count;
            if (m == 0) continue;
            ranks.resize(static_cast<std::size_t>(m));
            averageRanks(ys.data(), m, ranks.data(), ws);
            float* r = m_ranks.data() + d.offset;
            for (int k = 0; k < m; ++k) r[k] = static_cast<float>(ranks[static_cast<std::size_t>(k)]);
            int* order = m_order.data() + d.offset;
            std::iota(order, order + m, 0);
            std::sort(order, order + m, [&](int a, int b) { return r[a] < r[b] || (r[a] == r[b] && a < b); });
        }
    });
}

std::size_t PreparedTarget::bytes() const {
    return m_days.size() * sizeof(Day) + (m_index.size() + m_order.size()) * sizeof(int) +
           m_ranks.size() * sizeof(float);
}

std::shared_ptr<const PreparedTarget> prepareTarget(const PanelPtr& target) {
    if (!target) return nullptr;
    struct Entry {
        std::weak_ptr<const Panel> panel;
        const Panel* address;
        std::shared_ptr<const PreparedTarget> prepared;
    };
    static std::mutex mutex;
    static std::vector<Entry> memo; // a few targets at most: sessions are opened one at a time
    const auto find = [&]() -> std::shared_ptr<const PreparedTarget> {
        memo.erase(std::remove_if(memo.begin(), memo.end(), [](const Entry& e) { return e.panel.expired(); }),
                   memo.end());
        for (const Entry& e : memo) {
            // The same object while it lives: a freed panel's address may be reused by another.
            if (e.address == target.get() && !e.panel.owner_before(target) && !target.owner_before(e.panel))
                return e.prepared;
        }
        return nullptr;
    };
    // The handle returned also owns the panel, so the prepared target never outlives its values.
    const auto handle = [&](std::shared_ptr<const PreparedTarget> prepared) {
        struct Held {
            PanelPtr panel;
            std::shared_ptr<const PreparedTarget> prepared;
        };
        auto held = std::make_shared<const Held>(Held{target, std::move(prepared)});
        return std::shared_ptr<const PreparedTarget>(held, held->prepared.get());
    };
    {
        std::lock_guard<std::mutex> lock(mutex);
        if (auto hit = find()) return handle(hit);
    }
    // Prepared outside the lock and in an isolated arena: a thread waiting inside the parallel
    // loop must not pick up another task that asks for the same lock.
    std::shared_ptr<const PreparedTarget> prepared;
    tbb::this_task_arena::isolate([&] { prepared = std::make_shared<const PreparedTarget>(*target); });
    std::lock_guard<std::mutex> lock(mutex);
    if (auto hit = find()) return handle(hit); // another thread prepared it meanwhile
    memo.push_back({target, target.get(), prepared});
    constexpr std::size_t kKept = 4;
    if (memo.size() > kKept) memo.erase(memo.begin());
    return handle(prepared);
}

std::vector<double> dailyIc(const Panel& factor, const PreparedTarget& target, DayRange r) {
    // Pearson needs nothing from the target that a pass over its row does not give as cheaply.
    return dailyIc(factor, target.values(), r);
}

std::vector<double> dailyRankIc(const Panel& factor, const PreparedTarget& target, DayRange r) {
    return perPreparedDay(factor, target, r,
                          [](int, const float* x, const PreparedTarget& pt, const PreparedTarget::Day& d,
                             RankScratch& s) { return preparedRankIc(x, pt, d, s); });
}

std::vector<double> dailyRankIc(const Panel& factor, const PreparedTarget& target, DayRange r, const DayRanks& ranks) {
    // The pairs are the factor's finite cells whose target is finite, in instrument order; when
    // as many pairs as finite factor cells, they are those cells, whose ranks `ranks` holds in
    // the same order.
    return perPreparedDay(
        factor, target, r,
        [&](int t, const float* x, const PreparedTarget& pt, const PreparedTarget::Day& d, RankScratch& s) {
            const bool shared = ranks.covers(t) && ranks.instruments == factor.instruments();
            return preparedRankIc(x, pt, d, s, shared ? ranks.of(t) : nullptr, shared ? ranks.count(t) : 0);
        });
}

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
    return perDay(factor, target, r,
                  [](const float* x, const float* y, int n, RankScratch& s) { return spearmanImpl(x, y, n, s); });
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

void normalizeRow(const float* src, float* d, int n) {
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
    // Written after both reads of the row, so in-place normalisation (d == src) is safe.
    for (int i = 0; i < n; ++i) {
        const float v = src[i];
        d[i] = (flat || !std::isfinite(v)) ? 0.0f : static_cast<float>((v - mean) / sd);
    }
}

void normalizeByDay(const Panel& in, Panel& out) {
    if (&out != &in) out = Panel(in.days(), in.instruments());
    const int n = in.instruments();
    Panel& dst = out;
    tbb::parallel_for(tbb::blocked_range<int>(0, in.days()), [&](const tbb::blocked_range<int>& br) {
        for (int t = br.begin(); t < br.end(); ++t) normalizeRow(in.row(t), dst.row(t), n);
    });
}

} // namespace alphascope

#include "core/eval/cross_section_kernels.h"

#include "core/util/ranking.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace alphascope::kernels {

namespace {

OpId csEquivalent(OpId op) {
    switch (op) {
    case OpId::GroupDemean: return OpId::CSDemean;
    case OpId::GroupRank: return OpId::CSRank;
    case OpId::GroupZScore: return OpId::CSZScore;
    default: return op;
    }
}

// Buffers reused across the days one task handles.
struct Scratch {
    RankWorkspace ranking;
    std::vector<float> keys;
    std::vector<double> ranks;
};

// Average rank / count; values come from float32 panels, so ranking their float form is exact.
void rankInPlace(std::vector<double>& v, Scratch& s) {
    const std::size_t n = v.size();
    s.keys.resize(n);
    s.ranks.resize(n);
    for (std::size_t k = 0; k < n; ++k) s.keys[k] = static_cast<float>(v[k]);
    averageRanks(s.keys.data(), static_cast<int>(n), s.ranks.data(), s.ranking);
    for (std::size_t k = 0; k < n; ++k) v[k] = s.ranks[k] / static_cast<double>(n);
}

void apply(OpId op, std::vector<double>& v, Scratch& scratch) {
    const std::size_t n = v.size();
    if (n == 0) return;
    switch (csEquivalent(op)) {
    case OpId::CSRank: rankInPlace(v, scratch); return;
    case OpId::CSDemean: {
        double mean = 0;
        for (double x : v) mean += x;
        mean /= static_cast<double>(n);
        for (double& x : v) x -= mean;
        return;
    }
    case OpId::CSZScore: {
        double mean = 0, maxAbs = 0;
        for (double x : v) {
            mean += x;
            maxAbs = std::max(maxAbs, std::fabs(x));
        }
        mean /= static_cast<double>(n);
        double ss = 0;
        for (double x : v) ss += (x - mean) * (x - mean);
        const double sd = std::sqrt(ss / static_cast<double>(n));
        if (n < 2 || !(sd > 1e-12 * maxAbs) || sd == 0) {
            std::fill(v.begin(), v.end(), NAN);
            return;
        }
        for (double& x : v) x = (x - mean) / sd;
        return;
    }
    case OpId::CSScale: {
        double s = 0;
        for (double x : v) s += std::fabs(x);
        for (double& x : v) x = s > 0 ? x / s : NAN;
        return;
    }
    default: std::fill(v.begin(), v.end(), NAN);
    }
}

/// CSDemean, CSZScore and CSScale of one day straight from the panel row: the same sums in the
/// same order as apply() over the day's finite cells (a non-finite cell adds +0.0, which changes no
/// sum), so the values are apply()'s bit for bit, without gathering the cells into a vector first.
void centredRow(OpId op, const float* in, int n, float* o) {
    constexpr float big = std::numeric_limits<float>::max();
    int count = 0;
    double sum = 0.0, maxAbs = 0.0;
    for (int i = 0; i < n; ++i) {
        const float v = in[i];
        const bool ok = std::fabs(v) <= big;
        const double x = ok ? static_cast<double>(v) : 0.0;
        count += ok ? 1 : 0;
        sum += op == OpId::CSScale ? std::fabs(x) : x;
        maxAbs = std::max(maxAbs, std::fabs(x));
    }
    const auto finiteOut = [](double r) {
        const float f = static_cast<float>(r);
        return std::fabs(f) <= std::numeric_limits<float>::max() ? f : kNaN;
    };
    if (op == OpId::CSScale) {
        for (int i = 0; i < n; ++i)
            o[i] = std::fabs(in[i]) <= big && sum > 0 ? finiteOut(static_cast<double>(in[i]) / sum) : kNaN;
        return;
    }
    const double mean = count > 0 ? sum / static_cast<double>(count) : 0.0;
    if (op == OpId::CSDemean) {
        for (int i = 0; i < n; ++i)
            o[i] = std::fabs(in[i]) <= big ? finiteOut(static_cast<double>(in[i]) - mean) : kNaN;
        return;
    }
    double ss = 0.0;
    for (int i = 0; i < n; ++i) {
        const double d = std::fabs(in[i]) <= big ? static_cast<double>(in[i]) - mean : 0.0;
        ss += d * d;
    }
    const double sd = count > 0 ? std::sqrt(ss / static_cast<double>(count)) : 0.0;
    const bool defined = count >= 2 && sd > 1e-12 * maxAbs && sd != 0;
    for (int i = 0; i < n; ++i)
        o[i] = defined && std::fabs(in[i]) <= big ? finiteOut((static_cast<double>(in[i]) - mean) / sd) : kNaN;
}

/// GroupDemean and GroupZScore of one day straight from the row: per group the same sums in the
/// same (instrument) order as apply() over the group's finite cells, so the same bits.
struct GroupSums {
    std::vector<int> count;
    std::vector<double> sum, maxAbs, ss, mean, sd;
    std::vector<char> defined;
};

void groupCentredRow(OpId op, const float* in, const int* ids, int n, int groups, float* o, GroupSums& g) {
    constexpr float big = std::numeric_limits<float>::max();
    const auto G = static_cast<std::size_t>(groups);
    g.count.assign(G, 0);
    g.sum.assign(G, 0.0);
    g.maxAbs.assign(G, 0.0);
    g.ss.assign(G, 0.0);
    g.mean.resize(G);
    g.sd.resize(G);
    g.defined.resize(G);
    for (int i = 0; i < n; ++i) {
        const int k = ids[i];
        if (k < 0 || !(std::fabs(in[i]) <= big)) continue;
        const double x = in[i];
        ++g.count[static_cast<std::size_t>(k)];
        g.sum[static_cast<std::size_t>(k)] += x;
        g.maxAbs[static_cast<std::size_t>(k)] = std::max(g.maxAbs[static_cast<std::size_t>(k)], std::fabs(x));
    }
    for (std::size_t k = 0; k < G; ++k) g.mean[k] = g.count[k] > 0 ? g.sum[k] / static_cast<double>(g.count[k]) : 0.0;
    const bool zscore = csEquivalent(op) == OpId::CSZScore;
    if (zscore) {
        for (int i = 0; i < n; ++i) {
            const int k = ids[i];
            if (k < 0 || !(std::fabs(in[i]) <= big)) continue;
            const double d = static_cast<double>(in[i]) - g.mean[static_cast<std::size_t>(k)];
            g.ss[static_cast<std::size_t>(k)] += d * d;
        }
        for (std::size_t k = 0; k < G; ++k) {
            g.sd[k] = g.count[k] > 0 ? std::sqrt(g.ss[k] / static_cast<double>(g.count[k])) : 0.0;
            g.defined[k] = g.count[k] >= 2 && g.sd[k] > 1e-12 * g.maxAbs[k] && g.sd[k] != 0;
        }
    }
    for (int i = 0; i < n; ++i) {
        const int k = ids[i];
        if (k < 0 || !(std::fabs(in[i]) <= big) || (zscore && !g.defined[static_cast<std::size_t>(k)])) {
            o[i] = kNaN;
            continue;
        }
        const double d = static_cast<double>(in[i]) - g.mean[static_cast<std::size_t>(k)];
        const float f = static_cast<float>(zscore ? d / g.sd[static_cast<std::size_t>(k)] : d);
        o[i] = std::fabs(f) <= big ? f : kNaN;
    }
}

} // namespace

void crossSectionValues(OpId op, std::vector<double>& v) {
    Scratch scratch;
    apply(op, v, scratch);
}

void crossSectional(OpId op, const Panel& x, Panel& out) {
    const int N = x.instruments();
    if (op == OpId::CSRank) { // straight from the row to the output: one sort, no copies in double
        tbb::parallel_for(tbb::blocked_range<int>(0, x.days(), 8), [&](const tbb::blocked_range<int>& r) {
            RankWorkspace ws;
            for (int t = r.begin(); t != r.end(); ++t) percentRanks(x.row(t), N, out.row(t), ws);
        });
        return;
    }
    if (op == OpId::CSDemean || op == OpId::CSZScore || op == OpId::CSScale) {
        tbb::parallel_for(tbb::blocked_range<int>(0, x.days(), 8), [&](const tbb::blocked_range<int>& r) {
            for (int t = r.begin(); t != r.end(); ++t) centredRow(op, x.row(t), N, out.row(t));
        });
        return;
    }
    tbb::parallel_for(tbb::blocked_range<int>(0, x.days(), 8), [&](const tbb::blocked_range<int>& r) {
        std::vector<double> vals;
        std::vector<int> idx;
        Scratch scratch;
        for (int t = r.begin(); t != r.end(); ++t) {
            const float* in = x.row(t);
            float* o = out.row(t);
            vals.clear();
            idx.clear();
            for (int i = 0; i < N; ++i) {
                o[i] = kNaN;
                if (std::isfinite(in[i])) {
                    vals.push_back(in[i]);
                    idx.push_back(i);
                }
            }
            apply(op, vals, scratch);
            for (std::size_t k = 0; k < vals.size(); ++k)
                o[idx[k]] = std::isfinite(static_cast<float>(vals[k])) ? static_cast<float>(vals[k]) : kNaN;
        }
    });
}

void group(OpId op, const Panel& x, const std::vector<int>& groupIds, Panel& out) {
    const int N = x.instruments();
    int groups = 0;
    for (int g : groupIds) groups = std::max(groups, g + 1);
    const bool daily = groupIds.size() != static_cast<std::size_t>(N);
    auto idsOn = [&](int t) {
        return groupIds.data() + (daily ? static_cast<std::size_t>(t) * static_cast<std::size_t>(N) : 0);
    };
    if (op == OpId::GroupRank) {
        tbb::parallel_for(tbb::blocked_range<int>(0, x.days(), 8), [&](const tbb::blocked_range<int>& r) {
            RankWorkspace ws;
            for (int t = r.begin(); t != r.end(); ++t) percentRanks(x.row(t), N, out.row(t), ws, idsOn(t), groups);
        });
        return;
    }
    if (op == OpId::GroupDemean || op == OpId::GroupZScore) {
        tbb::parallel_for(tbb::blocked_range<int>(0, x.days(), 8), [&](const tbb::blocked_range<int>& r) {
            GroupSums sums;
            for (int t = r.begin(); t != r.end(); ++t)
                groupCentredRow(op, x.row(t), idsOn(t), N, groups, out.row(t), sums);
        });
        return;
    }
    tbb::parallel_for(tbb::blocked_range<int>(0, x.days(), 8), [&](const tbb::blocked_range<int>& r) {
        std::vector<std::vector<double>> vals(static_cast<std::size_t>(groups));
        std::vector<std::vector<int>> idx(static_cast<std::size_t>(groups));
        Scratch scratch;
        for (int t = r.begin(); t != r.end(); ++t) {
            const float* in = x.row(t);
            const int* ids = idsOn(t);
            float* o = out.row(t);
            for (int g = 0; g < groups; ++g) {
                vals[static_cast<std::size_t>(g)].clear();
                idx[static_cast<std::size_t>(g)].clear();
            }
            for (int i = 0; i < N; ++i) {
                o[i] = kNaN;
                const int g = ids[i];
                if (g >= 0 && std::isfinite(in[i])) {
                    vals[static_cast<std::size_t>(g)].push_back(in[i]);
                    idx[static_cast<std::size_t>(g)].push_back(i);
                }
            }
            for (int g = 0; g < groups; ++g) {
                auto& v = vals[static_cast<std::size_t>(g)];
                apply(op, v, scratch);
                const auto& ix = idx[static_cast<std::size_t>(g)];
                for (std::size_t k = 0; k < v.size(); ++k)
                    o[ix[k]] = std::isfinite(static_cast<float>(v[k])) ? static_cast<float>(v[k]) : kNaN;
            }
        }
    });
}

} // namespace alphascope::kernels

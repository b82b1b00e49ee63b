#include "core/eval/cross_section_kernels.h"

#include "core/util/ranking.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
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
    case OpId::CSRank:
        rankInPlace(v, scratch);
        return;
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
    default:
        std::fill(v.begin(), v.end(), NAN);
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
    auto idsOn = [&](int t) { return groupIds.data() + (daily ? static_cast<std::size_t>(t) * static_cast<std::size_t>(N) : 0); };
    if (op == OpId::GroupRank) {
        tbb::parallel_for(tbb::blocked_range<int>(0, x.days(), 8), [&](const tbb::blocked_range<int>& r) {
            RankWorkspace ws;
            for (int t = r.begin(); t != r.end(); ++t) percentRanks(x.row(t), N, out.row(t), ws, idsOn(t), groups);
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

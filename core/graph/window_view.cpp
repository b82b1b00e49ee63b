#include "core/graph/window_view.h"

#include "core/graph/return_correlation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <string>

namespace alphascope::graph {

Result<WindowView> windowView(const MarketData& data, const HierarchyFit& fit, int window) {
    if (window < 0 || window >= static_cast<int>(fit.windows.size()))
        return makeError(ErrorCode::InvalidArgument, "window " + std::to_string(window) + " is not one of the fit's " +
                                                         std::to_string(fit.windows.size()));
    const Panel* close = data.field("close");
    if (!close) return makeError(ErrorCode::NotFound, "the data has no close prices");
    const WindowFit& w = fit.windows[static_cast<std::size_t>(window)];
    if (w.end < 0 || w.end >= close->days())
        return makeError(ErrorCode::InvalidArgument, "the fit's window ends on day " + std::to_string(w.end) +
                                                         ", outside the data's " + std::to_string(close->days()) +
                                                         " days");
    WindowView v;
    v.window = window;
    v.end = w.end;
    const Eigen::MatrixXd rho =
        windowCorrelation(logReturns(*close), w.end, fit.options.window, fit.options.minOverlap, fit.options.method);
    for (int i = 0; i < rho.rows(); ++i)
        if (std::isfinite(rho(i, i))) v.active.push_back(i);
    const int na = static_cast<int>(v.active.size());
    v.rho.resize(na, na);
    for (int b = 0; b < na; ++b)
        for (int a = 0; a < na; ++a)
            v.rho(a, b) = rho(v.active[static_cast<std::size_t>(a)], v.active[static_cast<std::size_t>(b)]);
    if (na >= 2) {
        v.dendrogram = agglomerate(correlationDistance(v.rho), fit.options.linkage);
        v.order = leafOrder(v.dendrogram);
    } else {
        v.dendrogram.leaves = na;
        for (int a = 0; a < na; ++a) v.order.push_back(a);
    }
    for (const std::vector<int>& level : w.labels) {
        std::vector<int> labels;
        labels.reserve(static_cast<std::size_t>(na));
        for (int i : v.active)
            labels.push_back(i < static_cast<int>(level.size()) ? level[static_cast<std::size_t>(i)] : -1);
        v.labels.push_back(std::move(labels));
    }
    return v;
}

std::vector<Edge> viewEdges(const WindowView& view, const GraphOptions& options, bool spanningTree,
                            const std::vector<int>& groups) {
    if (spanningTree) {
        std::vector<Edge> tree = minimumSpanningTree(correlationDistance(view.rho));
        for (Edge& e : tree) e.weight = std::abs(view.rho(e.a, e.b));
        return tree;
    }
    std::vector<int> activeGroups;
    if (!groups.empty())
        for (int i : view.active)
            activeGroups.push_back(i < static_cast<int>(groups.size()) ? groups[static_cast<std::size_t>(i)] : -1);
    return buildGraph(view.rho, options, activeGroups).edges;
}

std::vector<ClusterSummary> clusterSummaries(const WindowView& view, int level, int window,
                                             const std::vector<int>& groups, const Panel* returns) {
    std::vector<ClusterSummary> out;
    if (level < 0 || level >= static_cast<int>(view.labels.size())) return out;
    const std::vector<int>& labels = view.labels[static_cast<std::size_t>(level)];
    std::map<int, std::vector<int>> byLabel;
    for (std::size_t a = 0; a < labels.size(); ++a)
        if (labels[a] >= 0) byLabel[labels[a]].push_back(static_cast<int>(a));
    const int na = static_cast<int>(labels.size());
    for (auto& [id, members] : byLabel) {
        ClusterSummary c;
        c.id = id;
        std::vector<char> in(static_cast<std::size_t>(na), 0);
        for (int a : members) in[static_cast<std::size_t>(a)] = 1;
        double intra = 0, outside = 0, ni = 0, no = 0;
        std::vector<double> strength(static_cast<std::size_t>(na), 0);
        for (int a : members)
            for (int b = 0; b < na; ++b) {
                const double r = view.rho(a, b);
                if (a == b || !std::isfinite(r)) continue;
                if (in[static_cast<std::size_t>(b)]) {
                    intra += r;
                    ++ni;
                    strength[static_cast<std::size_t>(a)] += r;
                } else {
                    outside += r;
                    ++no;
                }
            }
        c.intra = ni > 0 ? intra / ni : std::numeric_limits<double>::quiet_NaN();
        c.outside = no > 0 ? outside / no : std::numeric_limits<double>::quiet_NaN();
        std::stable_sort(members.begin(), members.end(), [&](int x, int y) {
            return strength[static_cast<std::size_t>(x)] > strength[static_cast<std::size_t>(y)];
        });
        c.members = members;
        if (!groups.empty()) {
            std::map<int, int> counts;
            for (int a : members) {
                const int i = view.active[static_cast<std::size_t>(a)];
                const int g = i < static_cast<int>(groups.size()) ? groups[static_cast<std::size_t>(i)] : -1;
                if (g >= 0) ++counts[g];
            }
            int best = 0;
            for (const auto& [g, count] : counts)
                if (count > best) best = count, c.topGroup = g;
            c.topGroupShare = static_cast<double>(best) / static_cast<double>(members.size());
        }
        c.windowReturn = std::numeric_limits<double>::quiet_NaN();
        if (returns) {
            double sum = 0;
            int count = 0;
            for (int a : members) {
                const int i = view.active[static_cast<std::size_t>(a)];
                double total = 0;
                bool any = false;
                for (int t = std::max(0, view.end - window + 1); t <= view.end && t < returns->days(); ++t) {
                    const float r = returns->at(t, i);
                    if (std::isfinite(r)) total += r, any = true;
                }
                if (any) sum += total, ++count;
            }
            if (count > 0) c.windowReturn = sum / count;
        }
        out.push_back(std::move(c));
    }
    std::stable_sort(out.begin(), out.end(), [](const ClusterSummary& x, const ClusterSummary& y) {
        return x.members.size() > y.members.size();
    });
    return out;
}

std::vector<int> clusterOrder(const WindowView& v) {
    std::vector<int> order = v.order;
    if (v.labels.empty()) return order;
    const int n = static_cast<int>(v.order.size());
    std::vector<double> position(static_cast<std::size_t>(n));
    for (int r = 0; r < n; ++r) position[static_cast<std::size_t>(v.order[static_cast<std::size_t>(r)])] = r;
    auto meanPosition = [&](std::size_t level) {
        std::map<int, std::pair<double, int>> sum;
        for (int a = 0; a < n; ++a) {
            auto& s = sum[v.labels[level][static_cast<std::size_t>(a)]];
            s.first += position[static_cast<std::size_t>(a)];
            ++s.second;
        }
        std::map<int, double> out;
        for (const auto& [c, s] : sum) out[c] = s.first / s.second;
        return out;
    };
    const auto fine = meanPosition(0), coarse = meanPosition(v.labels.size() - 1);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        const std::size_t ia = static_cast<std::size_t>(a), ib = static_cast<std::size_t>(b);
        const double ca = coarse.at(v.labels.back()[ia]), cb = coarse.at(v.labels.back()[ib]);
        if (ca != cb) return ca < cb;
        const double fa = fine.at(v.labels[0][ia]), fb = fine.at(v.labels[0][ib]);
        if (fa != fb) return fa < fb;
        return position[ia] < position[ib];
    });
    return order;
}

std::vector<double> meanDollarVolume(const MarketData& data, const WindowView& view, int window) {
    std::vector<double> out(view.active.size(), std::numeric_limits<double>::quiet_NaN());
    const Panel* close = data.field("close");
    const Panel* volume = data.field("volume");
    if (!close || !volume) return out;
    for (std::size_t a = 0; a < view.active.size(); ++a) {
        const int i = view.active[a];
        double sum = 0;
        int count = 0;
        for (int t = std::max(0, view.end - window + 1); t <= view.end; ++t) {
            const double v = static_cast<double>(close->at(t, i)) * volume->at(t, i);
            if (std::isfinite(v)) sum += v, ++count;
        }
        if (count > 0) out[a] = sum / count;
    }
    return out;
}

Result<RegimeSeries> regimeSeries(const MarketData& data, const HierarchyFit& fit) {
    const Panel* close = data.field("close");
    if (!close) return makeError(ErrorCode::NotFound, "the data has no close prices");
    const int days = close->days();
    RegimeSeries s;
    for (std::size_t l = 0; l < fit.options.levels.size(); ++l)
        s.entropy.push_back(fit.daily(days, static_cast<int>(l), &LevelWindow::entropy));
    s.meanCorrelation = fit.daily(days, &WindowFit::meanCorrelation);
    const Panel returns = logReturns(*close);
    s.market.assign(static_cast<std::size_t>(days), 1.0);
    s.drawdown.assign(static_cast<std::size_t>(days), 0.0);
    double equity = 1, peak = 1;
    for (int t = 0; t < days; ++t) {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < returns.instruments(); ++i) {
            const float r = returns.at(t, i);
            if (std::isfinite(r)) sum += r, ++count;
        }
        if (count > 0) equity *= std::exp(sum / count);
        peak = std::max(peak, equity);
        s.market[static_cast<std::size_t>(t)] = equity;
        s.drawdown[static_cast<std::size_t>(t)] = equity / peak - 1;
    }
    return s;
}

std::vector<std::pair<int, int>> drawdownSpells(const std::vector<double>& drawdown, double depth) {
    std::vector<std::pair<int, int>> spells;
    const int n = static_cast<int>(drawdown.size());
    for (int t = 0; t < n;) {
        if (!(drawdown[static_cast<std::size_t>(t)] <= -depth)) {
            ++t;
            continue;
        }
        // Hysteresis: the spell lasts until the drawdown is back above half the depth, so that a
        // market hovering around the depth makes one spell, not many.
        int last = t;
        while (last + 1 < n && drawdown[static_cast<std::size_t>(last + 1)] <= -depth / 2) ++last;
        spells.emplace_back(t, last);
        t = last + 1;
    }
    return spells;
}

} // namespace alphascope::graph

#include "core/graph/hierarchy_fit.h"

#include "core/graph/cluster_quality.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <limits>
#include <mutex>
#include <numeric>
#include <random>

namespace alphascope::graph {

namespace {

constexpr double kNaNd = std::numeric_limits<double>::quiet_NaN();

/// The count in [2, maxK] with the best silhouette (the smaller count on a tie).
int clustersBySilhouette(const Dendrogram& d, const Eigen::MatrixXd& dist, int maxK) {
    int best = 2;
    double bestS = -std::numeric_limits<double>::infinity();
    for (int k = 2; k <= maxK; ++k) {
        const double s = silhouette(dist, cutTree(d, k));
        if (s > bestS) {
            bestS = s;
            best = k;
        }
    }
    return best;
}

/// Tibshirani's pooled within-cluster dispersion: sum over clusters of the sum of squared distances
/// between its members over twice its size.
double withinDispersion(const Eigen::MatrixXd& dist, const std::vector<int>& labels, int k) {
    std::vector<double> sum(static_cast<std::size_t>(k), 0.0), size(static_cast<std::size_t>(k), 0.0);
    const int n = static_cast<int>(labels.size());
    for (int i = 0; i < n; ++i) {
        size[static_cast<std::size_t>(labels[static_cast<std::size_t>(i)])] += 1;
        for (int j = i + 1; j < n; ++j)
            if (labels[static_cast<std::size_t>(i)] == labels[static_cast<std::size_t>(j)])
                sum[static_cast<std::size_t>(labels[static_cast<std::size_t>(i)])] += 2 * dist(i, j) * dist(i, j);
    }
    double w = 0;
    for (int c = 0; c < k; ++c)
        if (size[static_cast<std::size_t>(c)] > 0)
            w += sum[static_cast<std::size_t>(c)] / (2 * size[static_cast<std::size_t>(c)]);
    return w;
}

/// Distance matrices of `count` copies of the window whose returns are shuffled in time, each
/// instrument on its own (seeded by the window's end, so threads need no shared generator).
std::vector<Eigen::MatrixXd> shuffledReferences(const Panel& returns, const WindowInput& in,
                                                const HierarchyOptions& o) {
    const int na = static_cast<int>(in.active->size());
    const int first = std::max(0, in.end - o.window + 1);
    const int w = in.end - first + 1;
    std::vector<Eigen::MatrixXd> out;
    std::mt19937_64 rng(o.seed * 0x9E3779B97F4A7C15ULL + static_cast<std::uint64_t>(in.end));
    std::vector<float> column(static_cast<std::size_t>(w));
    for (int b = 0; b < o.gapReferences; ++b) {
        Panel copy(w, na, kNaN);
        for (int a = 0; a < na; ++a) {
            const int i = (*in.active)[static_cast<std::size_t>(a)];
            for (int t = 0; t < w; ++t) column[static_cast<std::size_t>(t)] = returns.at(first + t, i);
            std::shuffle(column.begin(), column.end(), rng);
            for (int t = 0; t < w; ++t) copy.at(t, a) = column[static_cast<std::size_t>(t)];
        }
        out.push_back(correlationDistance(windowCorrelation(copy, w - 1, w, o.minOverlap, o.method)));
    }
    return out;
}

/// The window's statistics from its clusters (labels of the active instruments, no matching yet).
Result<WindowFit> fitWindow(const Panel& returns, int windowIndex, int end, const HierarchyOptions& o,
                            const std::vector<int>* compare, const WindowClusterer& cluster) {
    const int n = returns.instruments();
    WindowFit w;
    w.end = end;
    const Eigen::MatrixXd rho = windowCorrelation(returns, end, o.window, o.minOverlap, o.method);
    std::vector<int> idx;
    for (int i = 0; i < n; ++i)
        if (std::isfinite(rho(i, i))) idx.push_back(i);
    const int na = static_cast<int>(idx.size());
    w.active = na;
    w.levels.assign(o.levels.size(), LevelWindow{0, kNaNd, kNaNd, kNaNd, kNaNd, kNaNd, kNaNd, kNaNd});
    w.labels.assign(o.levels.size(), std::vector<int>(static_cast<std::size_t>(n), -1));
    w.meanCorrelation = w.cophenetic = kNaNd;
    if (na < 3) return w;
    Eigen::MatrixXd sub(na, na);
    double sum = 0, count = 0;
    for (int b = 0; b < na; ++b)
        for (int a = 0; a < na; ++a) {
            sub(a, b) = rho(idx[static_cast<std::size_t>(a)], idx[static_cast<std::size_t>(b)]);
            if (a != b && std::isfinite(sub(a, b))) {
                sum += sub(a, b);
                ++count;
            }
        }
    w.meanCorrelation = count > 0 ? sum / count : kNaNd;
    const Eigen::MatrixXd dist = correlationDistance(sub);
    Result<WindowClusters> clusters = cluster(WindowInput{windowIndex, end, &idx, &sub, &dist, &o, &returns});
    if (!clusters.ok()) return clusters.error();
    if (clusters->labels.size() != o.levels.size())
        return makeError(ErrorCode::Internal, "the clustering returned " + std::to_string(clusters->labels.size()) +
                                                  " levels instead of " + std::to_string(o.levels.size()));
    for (const auto& labels : clusters->labels)
        if (labels.size() != idx.size() || std::any_of(labels.begin(), labels.end(), [](int c) { return c < 0; }))
            return makeError(ErrorCode::Internal,
                             "the clustering returned labels that do not match the active instruments");
    w.cophenetic = clusters->cophenetic;
    std::vector<int> compared;
    if (compare)
        for (int i : idx) compared.push_back((*compare)[static_cast<std::size_t>(i)]);
    for (std::size_t l = 0; l < o.levels.size(); ++l) {
        const std::vector<int>& labels = clusters->labels[l];
        LevelWindow& s = w.levels[l];
        int k = 0;
        for (int c : labels) k = std::max(k, c + 1);
        std::vector<int> sizes(static_cast<std::size_t>(k), 0);
        for (int c : labels) ++sizes[static_cast<std::size_t>(c)];
        s.clusters = static_cast<int>(std::count_if(sizes.begin(), sizes.end(), [](int v) { return v > 0; }));
        s.largestShare = k > 0 ? static_cast<double>(*std::max_element(sizes.begin(), sizes.end())) / na : kNaNd;
        s.silhouette = silhouette(dist, labels);
        const ClusterCorrelation cc = clusterCorrelation(sub, labels);
        s.intra = cc.intra;
        s.inter = cc.inter;
        const double own = l < clusters->entropy.size() ? clusters->entropy[l] : kNaNd;
        s.entropy = std::isfinite(own) ? own : assignmentEntropy(sub, labels, o.temperature);
        s.ariCompared = compare ? adjustedRandIndex(labels, compared) : kNaNd;
        for (int a = 0; a < na; ++a)
            w.labels[l][static_cast<std::size_t>(idx[static_cast<std::size_t>(a)])] =
                labels[static_cast<std::size_t>(a)];
    }
    return w;
}

} // namespace

Result<HierarchyOptions> checkedHierarchyOptions(const HierarchyOptions& options) {
    HierarchyOptions o = options;
    auto bad = [](std::string m) { return makeError(ErrorCode::InvalidArgument, std::move(m)); };
    if (o.window < 3) return bad("the window must be at least 3 days");
    if (o.step < 1) return bad("the step must be at least 1 day");
    if (o.minOverlap == 0) o.minOverlap = std::max(3, (2 * o.window) / 3);
    if (o.minOverlap < 3 || o.minOverlap > o.window)
        return bad("the minimum overlap must be between 3 and the window (" + std::to_string(o.window) + ")");
    if (o.levels.empty()) return bad("at least one level is needed");
    int previous = std::numeric_limits<int>::max();
    for (int k : o.levels) {
        if (k == 1 || k < 0) return bad("a level needs at least 2 clusters (or 0 to choose by silhouette)");
        if (k > 0 && k >= previous)
            return bad("levels go from fine to coarse: each count must be below the one before");
        if (k > 0) previous = k;
    }
    if (o.maxClusters < 2) return bad("the largest cluster count tried must be at least 2");
    if (!(o.temperature > 0)) return bad("the temperature must be positive");
    if (o.gapStatistic && o.gapReferences < 2) return bad("the gap statistic needs at least 2 reference windows");
    return o;
}

int clustersByGap(const Eigen::MatrixXd& dist, const std::vector<Eigen::MatrixXd>& references, Linkage linkage,
                  int maxK, std::vector<double>* gapOut, std::vector<double>* spreadOut) {
    const int kMax = std::max(2, maxK) + 1; // Gap(K + 1) is needed for the largest K
    const Dendrogram tree = agglomerate(dist, linkage);
    std::vector<Dendrogram> refTrees;
    for (const auto& r : references) refTrees.push_back(agglomerate(r, linkage));
    std::vector<double> gap(static_cast<std::size_t>(kMax), kNaNd), spread(static_cast<std::size_t>(kMax), kNaNd);
    const double b = static_cast<double>(references.size());
    for (int k = 1; k <= kMax && !references.empty(); ++k) {
        const double logW = std::log(std::max(1e-300, withinDispersion(dist, cutTree(tree, k), k)));
        std::vector<double> logRef;
        for (std::size_t r = 0; r < references.size(); ++r)
            logRef.push_back(std::log(std::max(1e-300, withinDispersion(references[r], cutTree(refTrees[r], k), k))));
        const double mean = std::accumulate(logRef.begin(), logRef.end(), 0.0) / b;
        double var = 0;
        for (double v : logRef) var += (v - mean) * (v - mean);
        gap[static_cast<std::size_t>(k - 1)] = mean - logW;
        spread[static_cast<std::size_t>(k - 1)] = std::sqrt(var / b) * std::sqrt(1 + 1 / b);
    }
    int chosen = -1, best = 2;
    for (int k = 2; k < kMax && chosen < 0; ++k)
        if (gap[static_cast<std::size_t>(k - 1)] >=
            gap[static_cast<std::size_t>(k)] - spread[static_cast<std::size_t>(k)])
            chosen = k;
    for (int k = 2; k < kMax; ++k)
        if (gap[static_cast<std::size_t>(k - 1)] > gap[static_cast<std::size_t>(best - 1)]) best = k;
    if (gapOut) *gapOut = gap;
    if (spreadOut) *spreadOut = spread;
    return chosen > 0 ? chosen : best;
}

bool parseHierarchySpec(std::string_view text, HierarchyOptions& out, std::string& error) {
    const std::size_t colon = text.find(':');
    const std::string_view linkage = text.substr(0, colon);
    if (!parseLinkage(linkage, out.linkage)) {
        error = "unknown linkage '" + std::string(linkage) + "' (single, average, complete, ward)";
        return false;
    }
    if (colon == std::string_view::npos) return true;
    std::vector<int> levels;
    std::string_view rest = text.substr(colon + 1);
    while (!rest.empty()) {
        const std::size_t comma = rest.find(',');
        const std::string_view item = rest.substr(0, comma);
        int v = -1;
        const auto r = std::from_chars(item.data(), item.data() + item.size(), v);
        if (r.ec != std::errc() || r.ptr != item.data() + item.size() || v < 0) {
            error = "bad cluster count '" + std::string(item) + "' (a whole number >= 2, or 0 to choose by silhouette)";
            return false;
        }
        levels.push_back(v);
        if (comma == std::string_view::npos) break;
        rest = rest.substr(comma + 1);
    }
    if (levels.empty()) {
        error = "no cluster counts after ':'";
        return false;
    }
    out.levels = levels;
    return true;
}

double HierarchyFit::meanOver(int level, double LevelWindow::*field) const {
    double sum = 0;
    int n = 0;
    for (const WindowFit& w : windows) {
        const double v = w.levels[static_cast<std::size_t>(level)].*field;
        if (std::isfinite(v)) {
            sum += v;
            ++n;
        }
    }
    return n > 0 ? sum / n : kNaNd;
}

namespace {

template <class Get>
std::vector<double> forwardFilled(const std::vector<WindowFit>& windows, int days, Get get) {
    std::vector<double> out(static_cast<std::size_t>(std::max(0, days)), kNaNd);
    for (std::size_t k = 0; k < windows.size(); ++k) {
        const int from = windows[k].end;
        const int to = k + 1 < windows.size() ? windows[k + 1].end : days;
        for (int t = std::max(0, from); t < std::min(to, days); ++t) out[static_cast<std::size_t>(t)] = get(windows[k]);
    }
    return out;
}

} // namespace

std::vector<double> HierarchyFit::daily(int days, double WindowFit::*field) const {
    return forwardFilled(windows, days, [&](const WindowFit& w) { return w.*field; });
}

std::vector<double> HierarchyFit::daily(int days, int level, double LevelWindow::*field) const {
    return forwardFilled(windows, days,
                         [&](const WindowFit& w) { return w.levels[static_cast<std::size_t>(level)].*field; });
}

Result<HierarchyFit> fitHierarchy(const MarketData& data, const HierarchyOptions& options, ProgressSpan progress) {
    auto agglomerative = [](const WindowInput& in) -> Result<WindowClusters> {
        const HierarchyOptions& o = *in.options;
        const int na = static_cast<int>(in.active->size());
        const Dendrogram tree = agglomerate(*in.dist, o.linkage);
        WindowClusters c;
        c.cophenetic = copheneticCorrelation(tree, *in.dist);
        int byData = 0; // the count chosen by the data, computed once for all levels of 0
        for (int level : o.levels) {
            if (level == 0 && byData == 0) {
                const int maxK = std::min(o.maxClusters, na - 1);
                byData = o.gapStatistic ? clustersByGap(*in.dist, shuffledReferences(*in.returns, in, o), o.linkage,
                                                        std::min(maxK, na - 2))
                                        : clustersBySilhouette(tree, *in.dist, maxK);
            }
            c.labels.push_back(cutTree(tree, level > 0 ? std::min(level, na) : byData));
        }
        return c;
    };
    return fitHierarchyWith(data, options, agglomerative, false, progress);
}

Result<HierarchyFit> fitHierarchyWith(const MarketData& data, const HierarchyOptions& options,
                                      const WindowClusterer& cluster, bool inOrder, ProgressSpan progress) {
    const auto t0 = std::chrono::steady_clock::now();
    Result<HierarchyOptions> checked = checkedHierarchyOptions(options);
    if (!checked.ok()) return checked.error();
    const HierarchyOptions& o = checked.value();
    const Panel* close = data.field("close");
    if (!close)
        return makeError(ErrorCode::NotFound,
                         "the data has no close prices ($close): the hierarchy is fitted on returns");
    const int T = data.days();
    const std::vector<int> ends = windowEnds(T, o.window + 1, o.step); // a window of returns needs window + 1 closes
    if (ends.empty())
        return makeError(ErrorCode::InvalidArgument, "the data has " + std::to_string(T) +
                                                         " days, fewer than the window's " +
                                                         std::to_string(o.window + 1));

    const Panel returns = logReturns(*close);
    const Grouping* compare = o.compareWith.empty() ? nullptr : data.grouping(o.compareWith);
    HierarchyFit fit;
    fit.options = o;
    fit.windows.resize(ends.size());
    std::vector<Error> errors(ends.size());
    std::vector<char> failed(ends.size(), 0);
    std::atomic<int> done{0};
    std::atomic<bool> stop{false};
    progress.report(0.0, "fitting the market hierarchy");
    std::mutex reporting; // report() from one worker at a time
    auto one = [&](std::size_t k) {
        if (stop.load(std::memory_order_relaxed)) return;
        // In order: the poll point honours a pause. In parallel only the cancel flag is read (a
        // pause polled on every worker would count the paused time once per thread).
        const bool canceled =
            inOrder ? progress.stopRequested() : (progress.feedback() && progress.feedback()->canceled());
        if (canceled) {
            stop = true;
            return;
        }
        Result<WindowFit> w =
            fitWindow(returns, static_cast<int>(k), ends[k], o, compare ? &compare->ids : nullptr, cluster);
        if (!w.ok()) {
            errors[k] = w.error();
            failed[k] = 1;
            stop = true;
            return;
        }
        fit.windows[k] = std::move(w.value());
        const int d = ++done;
        std::lock_guard lock(reporting);
        progress.report(static_cast<double>(d) / ends.size(),
                        "fitted " + std::to_string(d) + " of " + std::to_string(ends.size()) + " windows");
    };
    if (inOrder)
        for (std::size_t k = 0; k < ends.size(); ++k) one(k);
    else
        tbb::parallel_for(std::size_t(0), ends.size(), one);
    for (std::size_t k = 0; k < ends.size(); ++k)
        if (failed[k]) return errors[k];
    if (stop) return makeError(ErrorCode::Canceled, "the hierarchy fit was canceled");

    // Matching, in time order: each window's labels take the previous window's numbers.
    for (std::size_t k = 1; k < fit.windows.size(); ++k)
        for (std::size_t l = 0; l < o.levels.size(); ++l) {
            const std::vector<int>& prev = fit.windows[k - 1].labels[l];
            std::vector<int>& cur = fit.windows[k].labels[l];
            cur = matchLabels(prev, cur);
            fit.windows[k].levels[l].ariPrevious = adjustedRandIndex(prev, cur);
        }

    fit.groupings = levelGroupings(fit, T, data.instrumentCount());
    fit.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    progress.report(1.0, "market hierarchy fitted");
    return fit;
}

std::vector<Grouping> levelGroupings(const HierarchyFit& fit, int days, int instruments) {
    std::vector<Grouping> out;
    const std::size_t N = static_cast<std::size_t>(std::max(0, instruments));
    for (std::size_t l = 0; l < fit.options.levels.size(); ++l) {
        Grouping g;
        g.name = fit.options.prefix + std::to_string(l + 1);
        int groups = 0;
        for (const WindowFit& w : fit.windows)
            if (l < w.labels.size())
                for (int v : w.labels[l]) groups = std::max(groups, v + 1);
        for (int c = 0; c < groups; ++c) g.labels.push_back(std::to_string(c + 1));
        g.daily.assign(static_cast<std::size_t>(std::max(0, days)) * N, -1);
        g.ids.assign(N, -1);
        for (std::size_t k = 0; k < fit.windows.size(); ++k) {
            const WindowFit& w = fit.windows[k];
            if (l >= w.labels.size() || w.labels[l].size() != N) continue;
            const int to = k + 1 < fit.windows.size() ? fit.windows[k + 1].end : days;
            for (int t = std::max(0, w.end); t < std::min(to, days); ++t)
                std::copy(w.labels[l].begin(), w.labels[l].end(), g.daily.begin() + static_cast<std::ptrdiff_t>(t * N));
            g.ids = w.labels[l];
        }
        out.push_back(std::move(g));
    }
    return out;
}

std::shared_ptr<MarketData> withGroupings(const MarketData& data, const std::vector<Grouping>& groupings) {
    auto copy = std::make_shared<MarketData>(data);
    for (const Grouping& g : groupings) copy->setGrouping(g);
    return copy;
}

} // namespace alphascope::graph

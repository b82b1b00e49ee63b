#pragma once
// Time-varying market hierarchy: at the end of every window (every `step` days) the return
// correlation of the last `window` days is clustered into nested levels, using only data up to that
// day; labels are matched to the previous window's so that a cluster keeps its number; the levels
// become groupings "h1", "h2", ... (finest first) whose ids change from one window end to the next,
// for the group operators of formulas (GroupDemean(x, h1)).

#include "core/data/market_data.h"
#include "core/graph/hierarchy.h"
#include "core/graph/return_correlation.h"
#include "core/util/progress_span.h"
#include "core/util/result.h"

#include <Eigen/Core>

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace alphascope::graph {

struct HierarchyOptions {
    int window = 60;    ///< days of returns per fit
    int step = 20;      ///< days between fits
    int minOverlap = 0; ///< common days a pair needs; 0 = two thirds of the window
    CorrelationMethod method = CorrelationMethod::Pearson;
    /// Ward by default: on the US data (537 stocks, 60-day windows) average linkage puts 76 % of the
    /// stocks in one cluster beside about five clusters of one or two, Ward's largest holds 22 %.
    Linkage linkage = Linkage::Ward;
    std::vector<int> levels = {10, 3}; ///< clusters per level, finest first; 0 = chosen by silhouette
    int maxClusters = 30;              ///< the largest count tried for a level chosen by the data
    /// How a level of 0 clusters is chosen: the best silhouette, or the gap statistic (Tibshirani,
    /// Walther and Hastie 2001) against `gapReferences` windows whose returns are shuffled in time
    /// per instrument (same series, no co-movement): the smallest K with Gap(K) >= Gap(K+1) - s(K+1).
    bool gapStatistic = false;
    int gapReferences = 20;
    std::uint64_t seed = 1;             ///< of the gap statistic's shuffles
    double temperature = 0.1;           ///< of the soft assignment behind the entropy
    std::string compareWith = "sector"; ///< grouping the levels are compared with (ARI), when present
    std::string prefix = "h";           ///< level l is named prefix + l (1-based)
};

/// The gap statistic's choice of a cluster count in [2, maxK] for one window: `dist` the window's
/// distances, `references` the distance matrices of its shuffled copies (same linkage for all).
/// Also returns Gap(k) and s(k) for k = 1..maxK + 1 (index k - 1) when the pointers are given.
int clustersByGap(const Eigen::MatrixXd& dist, const std::vector<Eigen::MatrixXd>& references, Linkage linkage,
                  int maxK, std::vector<double>* gap = nullptr, std::vector<double>* spread = nullptr);

/// The options as a fit will use them (a minimum overlap of 0 becomes two thirds of the window), or
/// InvalidArgument saying which one is wrong (levels must be counts of at least 2, decreasing, or 0).
Result<HierarchyOptions> checkedHierarchyOptions(const HierarchyOptions& options);

/// Reads "average:10,3" / "ward:0" / "complete" (linkage, then the levels); false with a message.
bool parseHierarchySpec(std::string_view text, HierarchyOptions& out, std::string& error);

/// One level of one window.
struct LevelWindow {
    int clusters = 0;
    double silhouette = 0, intra = 0, inter = 0;
    double ariCompared = 0;  ///< with options.compareWith (NaN without it)
    double ariPrevious = 0;  ///< with the previous window's labels (NaN for the first window)
    double entropy = 0;      ///< assignmentEntropy
    double largestShare = 0; ///< share of the active instruments in the largest cluster
};

/// One fit, at the close of day `end`.
struct WindowFit {
    int end = 0;
    int active = 0;             ///< instruments with at least minOverlap returns in the window
    double meanCorrelation = 0; ///< over all finite pairs i != j
    double cophenetic = 0;
    std::vector<LevelWindow> levels;
    std::vector<std::vector<int>> labels; ///< per level, per instrument (-1 = not active), matched
};

struct HierarchyFit {
    HierarchyOptions options;
    std::vector<WindowFit> windows;
    std::vector<Grouping> groupings; ///< one per level, time-varying (Grouping::daily)
    double seconds = 0;

    /// Mean of a level's statistic over windows (finite values only).
    double meanOver(int level, double LevelWindow::*field) const;
    /// A window statistic as a daily series: each day gets the last fit made on or before it (NaN
    /// before the first).
    std::vector<double> daily(int days, double WindowFit::*field) const;
    std::vector<double> daily(int days, int level, double LevelWindow::*field) const;
};

/// Fits the hierarchy over `data`'s whole calendar from its close prices, agglomeratively. Windows
/// run in parallel; a cancel returns ErrorCode::Canceled. InvalidArgument for a bad option (the
/// levels must be counts of at least 2, decreasing, or 0), NotFound without $close.
Result<HierarchyFit> fitHierarchy(const MarketData& data, const HierarchyOptions& options, ProgressSpan progress = {});

/// What a clustering method returns for one window: per level, a label in 0..K-1 for each active
/// instrument (in the order of `active`), and optionally its own soft-assignment entropy per level
/// and cophenetic correlation (NaN: the entropy is then computed from the correlation).
struct WindowClusters {
    std::vector<std::vector<int>> labels;
    std::vector<double> entropy;
    double cophenetic = std::numeric_limits<double>::quiet_NaN();
};

/// One window for a clustering method: its last day, the active instruments (indices into the
/// data) and their correlation and distance matrices, with the fit's checked options and the
/// data's daily log returns (T x N, computed once per fit).
struct WindowInput {
    int index = 0; ///< 0-based window number
    int end = 0;
    const std::vector<int>* active = nullptr;
    const Eigen::MatrixXd* rho = nullptr;
    const Eigen::MatrixXd* dist = nullptr;
    const HierarchyOptions* options = nullptr;
    const Panel* returns = nullptr;
};

using WindowClusterer = std::function<Result<WindowClusters>(const WindowInput&)>;

/// fitHierarchy with another clustering method (learned graph pooling in core/nn). With `inOrder`
/// the windows run one after the other in time order (a method that warm-starts from the previous
/// window); otherwise in parallel. Options are checked as fitHierarchy does (the linkage unused).
Result<HierarchyFit> fitHierarchyWith(const MarketData& data, const HierarchyOptions& options,
                                      const WindowClusterer& cluster, bool inOrder, ProgressSpan progress = {});

/// The fit's levels as time-varying groupings prefix1, prefix2, ... over `days` x `instruments`:
/// each window's labels hold from its last day until the next window's (-1 before the first). What
/// fitHierarchy returns in `groupings`; also rebuilds them for a fit read back from a project.
std::vector<Grouping> levelGroupings(const HierarchyFit& fit, int days, int instruments);

/// A copy of `data` (sharing its fields) with `groupings` added or replaced.
std::shared_ptr<MarketData> withGroupings(const MarketData& data, const std::vector<Grouping>& groupings);

} // namespace alphascope::graph

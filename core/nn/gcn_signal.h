#pragma once
// The GCN signal of seed 000 ("AlphaGen with Graph RL", ALGORITHMS.md §9): a black-box baseline
// beside the formulas. Two graph convolutions over the market graph of each day (sector edges, or
// the correlation graph of the last window, refitted every `step` days from past returns only) and
// a linear read-out predict each instrument's target from per-day features; trained on the train
// split, early-stopped on valid, and its daily scores measured like any factor. No torch types here.
//
// Design notes:
// - Features are formulas (default: 1-, 5-, 20- and 60-day returns, 20-day volatility, the 5- over
//   60-day volume ratio, the 20-day return-volume correlation, the position in the 20-day range),
//   each z-scored per day over the instruments (CSZScore); missing values are 0 and an instrument
//   outside the universe that day has no edges and no score.
// - Loss "ic": minus the mean over the batch's days of the Pearson correlation between scores and
//   target across instruments (what the analyst reads); "mse": squared error against the target
//   z-scored per day. Adam with weight decay; days in seeded random order, `daysPerBatch` a step.
// - Early stopping: after each epoch the mean daily IC on valid; the best epoch's weights are kept,
//   and training stops after `patience` epochs without a better one.

#include "core/eval/research_session.h"
#include "core/graph/market_graph.h"

#include <cstdint>
#include <string>
#include <vector>

namespace alphascope::nn {

struct GcnSignalOptions {
    graph::GraphOptions graph{graph::EdgeRule::Sector, 0.5, 10, false};
    std::string groupName = "sector";  ///< grouping of the sector edges
    int window = 60, step = 20;        ///< correlation graphs
    std::vector<std::string> features; ///< formulas; empty = defaultGcnFeatures()
    int hidden = 32;
    int epochs = 20;
    int patience = 4;
    int daysPerBatch = 16;
    double learningRate = 1e-3;
    double weightDecay = 1e-4;
    bool icLoss = true; ///< false: mean squared error on the per-day z-scored target
    std::uint64_t seed = 1;
    bool cuda = false;
};

std::vector<std::string> defaultGcnFeatures();

struct GcnSignalResult {
    PanelPtr scores;               ///< T x N, NaN outside the universe and before the features exist
    std::vector<double> trainLoss; ///< per epoch
    std::vector<double> validIc;   ///< per epoch, mean daily IC on valid
    int bestEpoch = 0;             ///< 0-based
    std::string graph;             ///< what the graph was, e.g. "sector edges (group 'sector')"
    std::string device;
    double seconds = 0;
};

/// Trains the GCN on `session`'s train split (early stopping on its validation split) and scores
/// every day. InvalidArgument for a bad option, a feature that does not parse, or a session
/// without a validation split; NotFound for a missing grouping; Canceled. Deterministic per seed on
/// the CPU.
Result<GcnSignalResult> trainGcnSignal(const ResearchSession& session, const GcnSignalOptions& options,
                                       ProgressSpan progress = {});

} // namespace alphascope::nn

#pragma once
// ResearchSession: a loaded dataset with its evaluator, target and splits — what the CLI, the GUI
// and the tests all start from (one road, ARCHITECTURE.md §3).

#include "core/data/dataset.h"
#include "core/data/split.h"
#include "core/eval/evaluator.h"
#include "core/util/progress_span.h"

#include <memory>
#include <string>
#include <vector>

namespace alphascope {

/// The default target: the 20-day forward close-to-close return (ALGORITHMS.md §1).
inline constexpr const char* kDefaultTarget = "Ref($close, -20) / $close - 1";

/// What to open.
struct SessionSpec {
    DatasetSpec dataset;
    std::string target = kDefaultTarget;
    std::vector<SplitRange> splits; ///< empty: defaultSplits() after `warmupDays` of history
    int warmupDays = 60;
};

/// A dataset ready for analysis. Immutable once opened; share it across threads (the evaluator is
/// re-entrant).
struct ResearchSession {
    SessionSpec spec;
    std::shared_ptr<const MarketData> data;
    std::shared_ptr<Evaluator> evaluator;
    ExprPtr target;
    PanelPtr targetValues;
    int horizon = 0; ///< days the target looks ahead (label gap between splits)
    std::vector<Split> splits;
    std::vector<std::string> warnings; ///< about the target and the splits (loader warnings are in data)
    double loadSeconds = 0;
};

/// The training range every fit uses (search scoring, pool weights, library combinations): the
/// split named "train", else the first split. The session must have splits.
const Split& trainingSplit(const ResearchSession& session);
/// The validation split: the one named "valid", else the first split after the training one;
/// null when there is none.
const Split* validationSplit(const ResearchSession& session);

/// The session's spec with its training split moved to `start`..`end` (inclusive dates) and the
/// other splits as they stand: the ranges the spec asked for, or the dates of the default splits when
/// it asked for none. Reopen it with makeResearchSession on the same data (the splits are checked
/// there: chronological, no overlap, label gaps purged).
SessionSpec withTrainingRange(const ResearchSession& session, Date start, Date end);

/// Which step of opening a session failed.
enum class SessionStage { Data, Target, Splits };

/// Loads the data, parses and evaluates the target, builds the splits. On failure `failedStage`
/// (when given) says which step it was. `progress` (a Feedback* or a share of one) sees the whole
/// open as one monotone 0..1, its text naming the stage ("decompressing prices.csv.xz",
/// "parsing prices.csv.xz", "evaluating the target"); a cancel from any thread returns
/// ErrorCode::Canceled promptly. Call off the GUI thread.
Result<std::shared_ptr<const ResearchSession>>
openResearchSession(const SessionSpec& spec, SessionStage* failedStage = nullptr, ProgressSpan progress = {});

/// The same on data already in memory (synthetic or planted markets); `spec.dataset` is recorded
/// but not read. `progress` covers the target's evaluation and the splits.
Result<std::shared_ptr<const ResearchSession>> makeResearchSession(std::shared_ptr<const MarketData> data,
                                                                   const SessionSpec& spec,
                                                                   SessionStage* failedStage = nullptr,
                                                                   ProgressSpan progress = {});

} // namespace alphascope

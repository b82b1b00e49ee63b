#pragma once
// WorkbenchSession: the loaded dataset, its evaluator, target and splits, shared by the panels.

#include "core/data/dataset.h"
#include "core/data/split.h"
#include "core/eval/evaluator.h"

#include <memory>
#include <string>
#include <vector>

namespace alphascope::ui {

/// Everything the GUI needs after a dataset is loaded. Built off the GUI thread, then shared
/// read-only (the evaluator is re-entrant).
struct WorkbenchSession {
    DatasetSpec spec;
    std::shared_ptr<const MarketData> data;
    std::shared_ptr<Evaluator> evaluator;
    ExprPtr target;
    PanelPtr targetValues;
    int horizon = 0;
    std::vector<Split> splits;
    double loadSeconds = 0;
};

/// Loads a dataset and prepares target and default splits (call off the GUI thread).
Result<std::shared_ptr<const WorkbenchSession>> openWorkbenchSession(const DatasetSpec& spec,
    const std::string& targetFormula = "Ref($close, -20) / $close - 1");

} // namespace alphascope::ui

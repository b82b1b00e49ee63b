#pragma once
// A stored fit of the market hierarchy (the graph view's), as ProjectStore reads it back, and the
// JSON form of its options.

#include "core/graph/hierarchy_fit.h"
#include "core/util/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace alphascope {

struct GraphFitRecord {
    std::int64_t id = 0;
    std::int64_t datasetId = 0;
    std::string method;    ///< "ward", "average", "complete", "single", "mincut", "diffpool"
    std::string createdAt; ///< ISO 8601 UTC
    int instruments = 0;
    int days = 0;
    std::vector<std::string> endDates; ///< per window, "YYYY-MM-DD"
    graph::HierarchyFit fit;           ///< with its groupings rebuilt (levelGroupings)
};

/// The options as a JSON object (every field, so that a later default change does not alter a fit).
std::string hierarchyOptionsToJson(const graph::HierarchyOptions& options);
/// Reads hierarchyOptionsToJson's text; Format error naming the field that is wrong.
Result<graph::HierarchyOptions> hierarchyOptionsFromJson(const std::string& text);

} // namespace alphascope

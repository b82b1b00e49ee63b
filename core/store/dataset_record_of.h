#pragma once
// The project rows that describe an open session: the dataset row (datasets table) and a run's
// dataset description. One place for both, used by the GUI and the CLI (CODE-REVIEW.md seam 5).

#include "core/eval/research_session.h"
#include "core/store/project_store.h"
#include "core/store/run_store.h"

namespace alphascope {

/// The splits the session really uses (resolved dates, also when the spec asked for defaults).
std::vector<SplitRange> resolvedSplits(const ResearchSession& session);
/// The datasets row of `session` (lastOpened = now; the splits are the resolved ones).
DatasetRecord datasetRecordOf(const ResearchSession& session);
/// What a run searched on, enough to open the same session again.
RunDataset runDatasetOf(const ResearchSession& session);

} // namespace alphascope

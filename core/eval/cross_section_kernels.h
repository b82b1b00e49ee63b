#pragma once
// Cross-sectional (per day over instruments) and group (per day within each group) kernels.
// Only finite values take part; others stay NaN (ALGORITHMS.md §2).

#include "core/data/panel.h"
#include "core/expr/op_id.h"

#include <vector>

namespace alphascope::kernels {

/// CSRank (average rank / valid count, in (0, 1]), CSZScore (population std; NaN when the day's
/// std <= 1e-12 * max|x| or fewer than 2 values), CSDemean, CSScale (x / sum|x|).
void crossSectional(OpId op, const Panel& x, Panel& out);

/// GroupDemean / GroupRank / GroupZScore: as the cross-sectional ops, within each group.
/// groupIds has one id per instrument (-1 = no group: the result is NaN), the same every day, or
/// T x N ids (day-major) for a grouping that changes over time.
void group(OpId op, const Panel& x, const std::vector<int>& groupIds, Panel& out);

/// The cross-sectional operation on one set of values (used per day and per group); values must
/// be finite. Exposed for tests.
void crossSectionValues(OpId op, std::vector<double>& values);

} // namespace alphascope::kernels

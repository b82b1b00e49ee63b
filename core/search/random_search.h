#pragma once
// Random search (ALGORITHMS.md §7): the baseline every search is compared with. Each episode is a
// walk of the token environment that picks uniformly among the legal actions, so it uses exactly
// the grammar, masks and length limit of the GFlowNet.

#include "core/search/search.h"
#include "core/search/token_env.h"
#include "core/util/result.h"

#include <random>

namespace alphascope {

/// Probability scale of the length-proportional forced stop: once stop is legal, the walk stops
/// with probability kRandomSearchForcedStop * length / maxTokens (AlphaSAGE's mask dropout with
/// its default 1.0), otherwise it picks uniformly among the legal actions, stop included.
inline constexpr double kRandomSearchForcedStop = 1.0;

/// One random formula: resets `builder` and walks it to stop, uniformly among the legal actions
/// with the forced stop above. Null when the grammar allows no formula.
ExprPtr sampleRandomFormula(TokenBuilder& builder, std::mt19937_64& rng);

/// Builds random formulas from run.grammar() with run.rng(), scores each one (one evaluation) and
/// offers the usable ones to run.pool(), until run.shouldStop(). Returns success when stopped by a
/// budget or a cancel (the pool is the result). Errors: InvalidArgument when the grammar allows
/// no formula at all.
Result<void> runRandomSearch(SearchRun& run);

} // namespace alphascope

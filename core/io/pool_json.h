#pragma once
// The pool file of a search (JSON): formulas, weights, per-split metrics of every factor and of the
// combined pool, the config and the seed, the run's counters, and AlphaGen's {exprs, weights} shape
// so that AlphaGen tooling can read it too.

#include "core/eval/research_session.h"
#include "core/io/pool_choice.h"
#include "core/search/search.h"

#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace alphascope {

/// The pool file text (pretty-printed JSON).
std::string poolJson(const SearchResult& result, const ResearchSession& session);
/// The "data" object of a pool file (JSON text): the session's source, universe, instruments, days,
/// target, horizon and splits (name, first and last day, days).
std::string poolDataJson(const ResearchSession& session);

/// The formulas and weights of one of a result's pools: Combined every member with its weight;
/// Selected the members kept by selection (selected weight not 0); Tuned every member with its
/// tuned weight; Early the early-stopping pool. Empty when the result has no such pool (no
/// validation split, no member kept, the mining pool for Tuned).
std::vector<WeightedFormula> poolMembers(const SearchResult& result, PoolChoice choice);

/// The figures per split of one of a search pool file's combinations ("combined", "selected",
/// "tuned", "early" or "adaptive"), in the order of the file's splits: name, days, IC, ICIR, Rank IC,
/// Rank ICIR, coverage and turnover (NaN where the file has null). Empty when the file lacks that
/// combination. Errors: Format located at `where` for text that is not a JSON object.
Result<std::vector<SplitMetrics>> readPoolSplits(std::string_view json, std::string_view combination,
                                                 const std::string& where = {});

/// One factor read back from a pool file.
struct PoolFileEntry {
    std::string formula;
    double weight = std::numeric_limits<double>::quiet_NaN(); ///< NaN when the file gives none
    /// The weight in the pool selected on valid (our pool files' "selected_weight"; 0 = left out),
    /// NaN when the file gives none.
    double selectedWeight = std::numeric_limits<double>::quiet_NaN();
    /// The weight with the L1 strength chosen on valid ("tuned_weight"), NaN when the file gives none.
    double tunedWeight = std::numeric_limits<double>::quiet_NaN();
    /// The entry's position in the file's "factors" list (its metrics are there), -1 for an early
    /// pool's formula that is no longer a member, or a file without that list.
    int factorIndex = -1;
    std::string name; ///< the factor's name where the file has one (the native factor-set format), else empty
    int line = 0;     ///< where the formula's text starts in the file (1-based; after the opening quote)
    int column = 0;
};

/// Reads the formulas and weights of a pool file: ours ("factors", also the native factor-set format)
/// or AlphaGen's {exprs, weights}. Errors: Format located "where:line:column": invalid JSON (with the
/// byte offset in the message), a missing "factors"/"exprs" list or "formula" key, a formula that is
/// not a string, a weight that is not a number.
///
/// With a `choice` other than Combined, the members and weights of that pool as poolMembers gives
/// them, from a search's pool file ("selected_weight", "tuned_weight", "early_pool"); `weight` is
/// then the chosen pool's. Errors also: NotFound located at the file when it holds no such pool
/// (no validation split, no member kept, a file that is not a search's pool file).
Result<std::vector<PoolFileEntry>> readPoolFile(std::string_view json, const std::string& where = {},
                                                PoolChoice choice = PoolChoice::Combined);

} // namespace alphascope

#pragma once
// The pool file of a search (JSON): formulas, weights, per-split metrics of every factor and of the
// combined pool, the config and the seed, the run's counters, and AlphaGen's {exprs, weights} shape
// so that AlphaGen tooling can read it too.

#include "core/eval/research_session.h"
#include "core/search/search.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace alphascope {

/// The pool file text (pretty-printed JSON).
std::string poolJson(const SearchResult& result, const ResearchSession& session);

/// One factor read back from a pool file.
struct PoolFileEntry {
    std::string formula;
    double weight = 0.0;
};

/// Reads the formulas and weights of a pool file: ours ("factors") or AlphaGen's {exprs, weights}.
/// Errors: Format with the JSON parser's byte position, or naming the missing key.
Result<std::vector<PoolFileEntry>> readPoolFile(std::string_view json, const std::string& where = {});

} // namespace alphascope

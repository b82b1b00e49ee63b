#pragma once
// Text helpers shared by the loaders' summarised warnings.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace alphascope {

/// How many names a summarised warning lists before "...".
inline constexpr std::size_t kListedWarningNames = 5;

/// "AMCR 892, BHF 109, ..." from (name, count) pairs, largest count first.
std::string listCounts(std::vector<std::pair<std::string, int>> items);

} // namespace alphascope

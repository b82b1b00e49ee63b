#pragma once
// Which of a search result's pools a reader or an export takes (the pool file holds all four).

#include <optional>
#include <string_view>

namespace alphascope {

/// The combined pool (every member, weights fitted on train), the members selected on valid
/// (SearchResult::selected), the weights with the L1 strength chosen on valid (SearchResult::tuned)
/// or the pool kept by early stopping on valid (SearchResult::early). The last three are chosen on
/// valid, so their valid figures are not out of sample.
enum class PoolChoice { Combined, Selected, Tuned, Early };

/// "combined", "selected", "tuned", "early".
std::string_view poolChoiceName(PoolChoice choice);
/// The choice of a name as poolChoiceName writes it; nullopt when unknown.
std::optional<PoolChoice> poolChoiceNamed(std::string_view name);

} // namespace alphascope

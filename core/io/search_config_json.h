#pragma once
// SearchConfig <-> JSON (nlohmann-json), every field, versioned. A stored run is reproducible from
// its row alone: the run store, the pool files and the CLI all use this one round trip.

#include "core/search/search.h"

#include <string>
#include <string_view>

namespace alphascope {

/// The format version written by searchConfigToJson (readers accept this and older).
inline constexpr int kSearchConfigVersion = 1;

/// The config as a JSON object text (compact unless `indent` >= 0). Every field is written, also
/// those of the algorithms not selected, so that a config read back is the same object.
std::string searchConfigToJson(const SearchConfig& config, int indent = -1);

/// Reads a config written by searchConfigToJson. Missing keys keep their defaults (older files);
/// unknown operators, algorithms, pool kinds or a newer version are errors: Format with `where`
/// naming the key ("<where>: gfn.learning_rate").
Result<SearchConfig> searchConfigFromJson(std::string_view text, const std::string& where = {});

/// The same read over `base`: the keys present replace base's values, the others keep them, so a
/// partial config such as {"mcts": {"train_every": 1}} applies to an algorithm's defaults (the
/// study's and recovery's --config). Without "algorithm" the result keeps base's.
Result<SearchConfig> searchConfigFromJson(std::string_view text, const std::string& where, const SearchConfig& base);

} // namespace alphascope

#pragma once
// SessionSpec <-> JSON: what the project database stores for a dataset or a run, and what the GUI
// keeps in its recent-datasets list (one format, written in core so the CLI shares it).

#include "core/eval/research_session.h"

#include <optional>
#include <string>
#include <string_view>

namespace alphascope {

/// {"path", "groups", "universe", "mask_zero_volume", "target", "splits": [{"name","first","last"}]}
std::string sessionSpecToJson(const SessionSpec& spec);
/// The splits alone, as the "splits" array text.
std::string splitRangesToJson(const std::vector<SplitRange>& splits);
/// Reads sessionSpecToJson's text; nullopt when it is not such an object (no path, bad dates).
std::optional<SessionSpec> sessionSpecFromJson(std::string_view text);

} // namespace alphascope

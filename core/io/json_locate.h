#pragma once
// Where things are in a JSON text. nlohmann-json keeps no source positions, so the readers of
// factor-set and pool files find them here, to report an unparsable formula at its line and column.
// Internal to core/io.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace alphascope::jsonpos {

/// A 1-based line and column (columns count bytes) of a byte offset.
struct TextPosition {
    int line = 0;
    int column = 0;
};

/// The line and column of byte `offset` of `text` (an offset past the end gives the end).
TextPosition positionAt(std::string_view text, std::size_t offset);

/// One value found by locateValues(): its byte offset and the indices of the arrays it sits in.
struct LocatedValue {
    std::vector<int> indices; ///< one per "*" of the path, 0-based
    std::size_t offset = 0;   ///< first byte of the value (the opening quote of a string)
};

/// Every value of `text` at `path`, in document order. Path elements are object keys, or "*" for
/// any element of an array: {"factors", "*", "formula"}, {"exprs", "*"}. `text` must be valid JSON
/// (parse it first); keys are compared as written, without unescaping.
std::vector<LocatedValue> locateValues(std::string_view text, const std::vector<std::string>& path);

/// "where:line:column", or "line L, column C" when `where` is empty.
std::string located(const std::string& where, TextPosition position);

} // namespace alphascope::jsonpos

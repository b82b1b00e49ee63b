#pragma once
// Cells of the CSV files core/io writes (RFC 4180 quoting, shortest round-trip numbers, NaN as an
// empty cell). Internal to core/io.

#include <charconv>
#include <cmath>
#include <string>
#include <string_view>

namespace alphascope::csvcell {

/// The cell as written: quoted (with "" for ") when it holds a comma, a quote, a line break or
/// leading/trailing spaces, which a CSV reader would otherwise split or trim.
inline std::string quoted(std::string_view s) {
    const bool needs =
        s.find_first_of(",\"\r\n") != std::string_view::npos || (!s.empty() && (s.front() == ' ' || s.back() == ' '));
    if (!needs) return std::string(s);
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

/// The shortest text that reads back as the same value; empty for NaN and +-inf.
template <class T>
inline void appendNumber(std::string& out, T v) {
    if (!std::isfinite(v)) return;
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

inline std::string number(double v) {
    std::string out;
    appendNumber(out, v);
    return out;
}

} // namespace alphascope::csvcell

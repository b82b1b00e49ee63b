#pragma once
// Internal text helpers of the CSV loaders (long prices, groups): line cursor, cells, header.
// Not part of the public API.

#include "core/data/csv_loader.h"
#include "core/data/warning_text.h"
#include "core/util/result.h"

#include <fast_float/fast_float.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace alphascope::csv {

inline constexpr std::string_view kInstrumentNames[] = {"ticker", "code", "instrument", "symbol", "stock"};

/// Iterates over the lines of an in-memory buffer without copying; counts line numbers from 1.
class LineCursor {
public:
    explicit LineCursor(std::string_view text) : m_p(text.data()), m_end(text.data() + text.size()) {}
    bool next(std::string_view& line) {
        if (m_p >= m_end) return false;
        ++m_line;
        const char* nl = static_cast<const char*>(std::memchr(m_p, '\n', static_cast<std::size_t>(m_end - m_p)));
        const char* e = nl ? nl : m_end;
        line = std::string_view(m_p, static_cast<std::size_t>(e - m_p));
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        m_p = nl ? nl + 1 : m_end;
        return true;
    }
    int line() const { return m_line; }

private:
    const char* m_p;
    const char* m_end;
    int m_line = 0;
};

inline std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

inline bool isBlank(std::string_view s) {
    return trim(s).empty();
}

inline bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t k = 0; k < a.size(); ++k) {
        const char x = a[k] >= 'A' && a[k] <= 'Z' ? static_cast<char>(a[k] + 32) : a[k];
        if (x != b[k]) return false;
    }
    return true;
}

inline std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    return out;
}

/// A quoted cell keeps "" doubled in its view; labels want the single quote back.
inline std::string unescapeCell(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t k = 0; k < s.size(); ++k) {
        out.push_back(s[k]);
        if (s[k] == '"' && k + 1 < s.size() && s[k + 1] == '"') ++k;
    }
    return out;
}

enum class CellKind { Value, Missing, Bad };

/// Parses a numeric cell; empty / NA / N/A / null / None and nan (any case) are missing.
inline CellKind parseCell(std::string_view s, float& out) {
    s = trim(s);
    if (s.empty() || iequals(s, "na") || iequals(s, "n/a") || iequals(s, "null") || iequals(s, "none")) {
        out = kNaN;
        return CellKind::Missing;
    }
    if (s.front() == '+') s.remove_prefix(1); // fast_float follows from_chars, which rejects '+'
    const auto r = fast_float::from_chars(s.data(), s.data() + s.size(), out);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return CellKind::Bad;
    return std::isnan(out) ? CellKind::Missing : CellKind::Value;
}

inline char detectDelimiter(std::string_view header) {
    if (header.find(',') != std::string_view::npos) return ',';
    if (header.find(';') != std::string_view::npos) return ';';
    if (header.find('\t') != std::string_view::npos) return '\t';
    return ',';
}

inline std::string at(const std::string& path, int line, int column = 0) {
    std::string s = path + ":" + std::to_string(line);
    if (column > 0) s += ":" + std::to_string(column);
    return s;
}

inline int columnOf(std::string_view line, std::string_view cell) {
    return static_cast<int>(cell.data() - line.data()) + 1;
}

inline std::string joinHeader(const std::vector<std::string>& names) {
    std::string s;
    for (const auto& n : names) s += (s.empty() ? "" : ",") + n;
    return s;
}

/// Index of the first column whose normalised name matches a candidate (candidates in priority order).
template <std::size_t K>
inline int findColumn(const std::vector<std::string>& names, const std::string_view (&candidates)[K]) {
    for (std::string_view c : candidates)
        for (std::size_t k = 0; k < names.size(); ++k)
            if (names[k] == c) return static_cast<int>(k);
    return -1;
}

inline std::string listNames(const std::vector<std::string>& names) {
    std::string s;
    for (std::size_t k = 0; k < names.size() && k < kListedWarningNames; ++k) s += (k ? ", " : "") + names[k];
    if (names.size() > kListedWarningNames) s += ", ...";
    return s;
}

/// The header of a CSV: its line, delimiter, raw and normalised names.
struct Header {
    int line = 0;
    char delimiter = ',';
    std::vector<std::string> raw;
    std::vector<std::string> names;
};

inline Result<Header> readHeader(LineCursor& cursor, const std::string& path) {
    std::string_view line;
    while (cursor.next(line))
        if (!isBlank(line)) break;
    if (isBlank(line)) return makeError(ErrorCode::Format, "empty file", path);
    Header h;
    h.line = cursor.line();
    h.delimiter = detectDelimiter(line);
    std::vector<std::string_view> cells;
    splitCsvLine(line, h.delimiter, cells);
    for (std::string_view c : cells) {
        h.raw.emplace_back(trim(c));
        h.names.push_back(normaliseCsvHeader(c));
    }
    return h;
}

inline std::string_view stripBom(std::string_view s) {
    if (s.size() >= 3 && static_cast<unsigned char>(s[0]) == 0xEF && static_cast<unsigned char>(s[1]) == 0xBB &&
        static_cast<unsigned char>(s[2]) == 0xBF)
        s.remove_prefix(3);
    return s;
}

/// The column of the instrument code (ticker/code/instrument/symbol/stock), or a located error.
inline Result<int> requireInstrumentColumn(const Header& h, const std::string& path) {
    const int column = findColumn(h.names, kInstrumentNames);
    if (column < 0)
        return makeError(ErrorCode::Format,
                         "missing required column 'ticker' (or code/instrument/symbol/stock); header: " +
                             joinHeader(h.raw),
                         at(path, h.line));
    return column;
}

} // namespace alphascope::csv

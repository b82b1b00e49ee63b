#pragma once
// Small text helpers for names in formulas and in the parser's messages (shared by the parser and
// the WorldQuant notation, whose names match in any case).

#include <cctype>
#include <string>
#include <string_view>
#include <vector>

namespace alphascope {

/// a == b, ignoring ASCII case.
inline bool sameIgnoringCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

/// s in ASCII lower case.
inline std::string lowered(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

/// "a, b, c" with each name prefixed (e.g. "$"), at most 20 names and then "...": for messages.
inline std::string joinNames(const std::vector<std::string>& names, const char* prefix) {
    std::string out;
    for (std::size_t i = 0; i < names.size() && i < 20; ++i) {
        if (i) out += ", ";
        out += prefix + names[i];
    }
    if (names.size() > 20) out += ", ...";
    return out;
}

} // namespace alphascope

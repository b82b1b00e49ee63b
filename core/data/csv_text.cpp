#include "core/data/csv_text.h"

namespace alphascope {

using namespace csv;

std::string normaliseCsvHeader(std::string_view name) {
    name = trim(name);
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = trim(name.substr(1, name.size() - 2));
    std::string out;
    out.reserve(name.size());
    for (char c : name) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
        if (c == ' ' || c == '-') c = '_';
        out.push_back(c);
    }
    return out;
}

void splitCsvLine(std::string_view line, char delimiter, std::vector<std::string_view>& cells) {
    cells.clear();
    const char* p = line.data();
    const char* end = p + line.size();
    for (;;) {
        const char* q;
        if (p < end && *p == '"') {
            // Quoted cell: runs to the closing quote; "" is an escaped quote inside it.
            q = p + 1;
            for (;;) {
                q = static_cast<const char*>(std::memchr(q, '"', static_cast<std::size_t>(end - q)));
                if (!q) {
                    q = end;
                    break;
                }
                if (q + 1 < end && q[1] == '"') {
                    q += 2;
                    continue;
                }
                break;
            }
            cells.emplace_back(p + 1, static_cast<std::size_t>(q - p - 1));
            p = q < end ? q + 1 : end;
            const char* d = static_cast<const char*>(std::memchr(p, delimiter, static_cast<std::size_t>(end - p)));
            p = d ? d : end;
        } else {
            q = static_cast<const char*>(std::memchr(p, delimiter, static_cast<std::size_t>(end - p)));
            if (!q) q = end;
            cells.emplace_back(p, static_cast<std::size_t>(q - p));
            p = q;
        }
        if (p >= end) break;
        ++p; // the delimiter; a trailing one yields a last empty cell
        if (p == end) {
            cells.emplace_back(p, 0);
            break;
        }
    }
}

} // namespace alphascope

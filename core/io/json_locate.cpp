#include "core/io/json_locate.h"

#include <algorithm>

namespace alphascope::jsonpos {

namespace {

/// An open object or array while scanning; the path matches down to `level` when `onPath`.
struct Frame {
    bool object = false;
    bool onPath = false;
    std::size_t level = 0;
    bool keyNext = true;      ///< in an object: the next string is a key
    std::string_view key;     ///< in an object: the key of the value being read
    int index = 0;            ///< in an array: the element being read
    std::vector<int> indices; ///< array indices matched by "*" down to this frame
};

/// Skips a string starting at the opening quote `p`; returns the offset just past its closing quote.
std::size_t skipString(std::string_view text, std::size_t p) {
    for (std::size_t k = p + 1; k < text.size(); ++k) {
        if (text[k] == '\\')
            ++k;
        else if (text[k] == '"')
            return k + 1;
    }
    return text.size();
}

bool isDelimiter(char c) {
    return c == ',' || c == ']' || c == '}' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

} // namespace

TextPosition positionAt(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    TextPosition pos{1, 1};
    for (std::size_t k = 0; k < offset; ++k) {
        if (text[k] == '\n') {
            ++pos.line;
            pos.column = 1;
        } else {
            ++pos.column;
        }
    }
    return pos;
}

std::vector<LocatedValue> locateValues(std::string_view text, const std::vector<std::string>& path) {
    std::vector<LocatedValue> out;
    // An explicit stack rather than recursion: the text was parsed already, but its depth is the
    // file's choice, not ours.
    std::vector<Frame> stack;
    // Whether a value starting now lies on the path, at which level, with which array indices.
    auto child = [&](bool& onPath, std::size_t& level, std::vector<int>& indices) {
        if (stack.empty()) {
            onPath = true;
            level = 0;
            indices.clear();
            return;
        }
        const Frame& f = stack.back();
        level = f.level + 1;
        indices = f.indices;
        onPath = f.onPath && f.level < path.size() && (f.object ? path[f.level] == f.key : path[f.level] == "*");
        if (onPath && !f.object) indices.push_back(f.index);
    };
    auto valueAt = [&](std::size_t offset) {
        bool onPath = false;
        std::size_t level = 0;
        std::vector<int> indices;
        child(onPath, level, indices);
        if (onPath && level == path.size()) out.push_back({std::move(indices), offset});
    };

    std::size_t p = 0;
    while (p < text.size()) {
        const char c = text[p];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            ++p;
        } else if (c == '{' || c == '[') {
            valueAt(p);
            Frame f;
            f.object = c == '{';
            child(f.onPath, f.level, f.indices);
            stack.push_back(std::move(f));
            ++p;
        } else if (c == '}' || c == ']') {
            if (!stack.empty()) stack.pop_back();
            ++p;
        } else if (c == ',') {
            if (!stack.empty()) {
                if (stack.back().object)
                    stack.back().keyNext = true;
                else
                    ++stack.back().index;
            }
            ++p;
        } else if (c == ':') {
            if (!stack.empty()) stack.back().keyNext = false;
            ++p;
        } else if (c == '"') {
            const std::size_t end = skipString(text, p);
            if (!stack.empty() && stack.back().object && stack.back().keyNext)
                stack.back().key = text.substr(p + 1, end - p - 2);
            else
                valueAt(p);
            p = end;
        } else { // a number or a literal
            valueAt(p);
            while (p < text.size() && !isDelimiter(text[p])) ++p;
        }
    }
    return out;
}

std::string located(const std::string& where, TextPosition position) {
    if (where.empty()) return "line " + std::to_string(position.line) + ", column " + std::to_string(position.column);
    return where + ":" + std::to_string(position.line) + ":" + std::to_string(position.column);
}

} // namespace alphascope::jsonpos

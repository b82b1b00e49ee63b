#pragma once
// A file written whole or not at all: the text goes to "<path>.part" and is renamed over `path` on
// commit(), so a failed or cancelled export leaves what was there before. Internal to core/io.

#include "core/util/result.h"

#include <cstdio>
#include <string>
#include <string_view>

namespace alphascope::io {

/// Writes to "<path>.part"; commit() renames it to `path`; destroyed uncommitted, it removes the part.
class AtomicFile {
public:
    AtomicFile() = default;
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    /// Creates the part file. Errors: Io located at `path`.
    Result<void> open(const std::string& path);
    /// Appends; errors are collected and reported by commit().
    void write(std::string_view text);
    /// Flushes, closes and renames over the target. Errors: Io located at the path (disk full, ...).
    Result<void> commit();

private:
    std::string m_path, m_partPath;
    std::FILE* m_file = nullptr;
    bool m_failed = false;
};

/// Writes `text` to `path` through an AtomicFile.
Result<void> writeFileAtomically(const std::string& path, std::string_view text);

} // namespace alphascope::io

#include "core/io/file_output.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace alphascope::io {

AtomicFile::~AtomicFile() {
    if (m_file) {
        std::fclose(m_file);
        std::error_code ignored;
        std::filesystem::remove(m_partPath, ignored);
    }
}

Result<void> AtomicFile::open(const std::string& path) {
    m_path = path;
    m_partPath = path + ".part";
    m_file = std::fopen(m_partPath.c_str(), "wb");
    if (!m_file) return makeError(ErrorCode::Io, std::string("cannot write the file: ") + std::strerror(errno), path);
    m_failed = false;
    return {};
}

void AtomicFile::write(std::string_view text) {
    if (!m_file || text.empty()) return;
    if (std::fwrite(text.data(), 1, text.size(), m_file) != text.size()) m_failed = true;
}

Result<void> AtomicFile::commit() {
    if (!m_file) return makeError(ErrorCode::Io, "the file was not opened", m_path);
    const bool failed = m_failed || std::ferror(m_file) != 0;
    const bool closed = std::fclose(m_file) == 0;
    m_file = nullptr;
    std::error_code ec;
    if (failed || !closed) {
        std::filesystem::remove(m_partPath, ec);
        return makeError(ErrorCode::Io, "writing failed (disk full?)", m_path);
    }
    std::filesystem::rename(m_partPath, m_path, ec);
    if (ec) {
        std::error_code ignored;
        std::filesystem::remove(m_partPath, ignored);
        return makeError(ErrorCode::Io, "cannot replace the file: " + ec.message(), m_path);
    }
    return {};
}

Result<void> writeFileAtomically(const std::string& path, std::string_view text) {
    AtomicFile file;
    if (auto r = file.open(path); !r.ok()) return r;
    file.write(text);
    return file.commit();
}

} // namespace alphascope::io

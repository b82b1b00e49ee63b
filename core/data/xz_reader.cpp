#include "core/data/xz_reader.h"

#include <lzma.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

namespace alphascope {

namespace {

constexpr unsigned char kXzMagic[6] = {0xFD, '7', 'z', 'X', 'Z', 0x00};

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

const char* lzmaMessage(lzma_ret ret) {
    switch (ret) {
    case LZMA_MEM_ERROR:
        return "out of memory";
    case LZMA_MEMLIMIT_ERROR:
        return "memory limit reached";
    case LZMA_FORMAT_ERROR:
        return "not an xz stream";
    case LZMA_OPTIONS_ERROR:
        return "unsupported xz options";
    case LZMA_DATA_ERROR:
        return "corrupt xz data";
    case LZMA_BUF_ERROR:
        return "truncated xz data";
    case LZMA_UNSUPPORTED_CHECK:
        return "unsupported xz integrity check";
    default:
        return "xz decoder error";
    }
}

} // namespace

bool hasXzMagic(std::string_view bytes) {
    return bytes.size() >= sizeof kXzMagic && std::memcmp(bytes.data(), kXzMagic, sizeof kXzMagic) == 0;
}

Result<std::string> decompressXz(std::string_view compressed, const std::string& name) {
    lzma_stream strm = LZMA_STREAM_INIT;
    // LZMA_CONCATENATED: `xz` may append streams (e.g. `cat a.xz b.xz`); accept them like xz does.
    lzma_ret ret = lzma_stream_decoder(&strm, UINT64_MAX, LZMA_CONCATENATED);
    if (ret != LZMA_OK) return makeError(ErrorCode::Internal, lzmaMessage(ret), name);
    std::unique_ptr<lzma_stream, void (*)(lzma_stream*)> guard(&strm, lzma_end);

    std::string out;
    // Text compresses about 4x with xz; start there and grow geometrically.
    out.resize(std::max<std::size_t>(compressed.size() * 4, 1 << 16));
    strm.next_in = reinterpret_cast<const uint8_t*>(compressed.data());
    strm.avail_in = compressed.size();
    strm.next_out = reinterpret_cast<uint8_t*>(out.data());
    strm.avail_out = out.size();
    for (;;) {
        ret = lzma_code(&strm, strm.avail_in == 0 ? LZMA_FINISH : LZMA_RUN);
        if (ret == LZMA_STREAM_END) break;
        if (ret != LZMA_OK) {
            return makeError(ErrorCode::Format,
                             std::string(lzmaMessage(ret)) + " at compressed byte " +
                                 std::to_string(strm.total_in),
                             name + "@" + std::to_string(strm.total_in));
        }
        if (strm.avail_out == 0) {
            const std::size_t used = out.size();
            out.resize(used * 2);
            strm.next_out = reinterpret_cast<uint8_t*>(out.data() + used);
            strm.avail_out = out.size() - used;
        }
    }
    out.resize(strm.total_out);
    return out;
}

Result<std::string> readFileRaw(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        return makeError(ErrorCode::Io, "cannot open: is a directory", path);
    std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
    if (!f) return makeError(ErrorCode::Io, "cannot open: " + std::string(std::strerror(errno)), path);
    std::string bytes;
    std::size_t used = 0;
    if (std::fseek(f.get(), 0, SEEK_END) == 0) {
        const long size = std::ftell(f.get());
        // One extra byte so that a file that grew meanwhile is noticed by the loop below.
        if (size > 0) bytes.resize(static_cast<std::size_t>(size) + 1);
        std::fseek(f.get(), 0, SEEK_SET);
    }
    for (;;) {
        if (used == bytes.size()) bytes.resize(std::max<std::size_t>(bytes.size() * 2, 1 << 16));
        const std::size_t n = std::fread(bytes.data() + used, 1, bytes.size() - used, f.get());
        used += n;
        if (n == 0) break;
    }
    if (std::ferror(f.get())) return makeError(ErrorCode::Io, "read error", path);
    bytes.resize(used);
    return bytes;
}

Result<std::string> readFileMaybeXz(const std::string& path) {
    Result<std::string> bytes = readFileRaw(path);
    if (!bytes || !hasXzMagic(*bytes)) return bytes;
    return decompressXz(*bytes, path);
}

} // namespace alphascope

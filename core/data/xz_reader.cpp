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
/// Compressed bytes handed to liblzma per call: a few tens of milliseconds of decoding, so that a
/// cancel is seen promptly and the progress moves smoothly, at no measurable cost in speed.
constexpr std::size_t kXzInputChunk = std::size_t{1} << 18;
/// Output bytes the decoder's buffer grows by (zero-filled by std::string, a few milliseconds).
constexpr std::size_t kXzOutputStep = std::size_t{4} << 20;
/// Bytes read from disk per fread between two polls.
constexpr std::size_t kReadChunk = std::size_t{2} << 20;
/// Share of readFileMaybeXz()'s progress given to reading a compressed file; decoding is the rest
/// (reading the 10 MB of the US file's xz took ~5 % of the time of decoding it).
constexpr double kXzReadShare = 0.05;

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

const char* lzmaMessage(lzma_ret ret) {
    switch (ret) {
    case LZMA_MEM_ERROR: return "out of memory";
    case LZMA_MEMLIMIT_ERROR: return "memory limit reached";
    case LZMA_FORMAT_ERROR: return "not an xz stream";
    case LZMA_OPTIONS_ERROR: return "unsupported xz options";
    case LZMA_DATA_ERROR: return "corrupt xz data";
    case LZMA_BUF_ERROR: return "truncated xz data";
    case LZMA_UNSUPPORTED_CHECK: return "unsupported xz integrity check";
    default: return "xz decoder error";
    }
}

std::string fileName(const std::string& path) {
    return std::filesystem::path(path).filename().string();
}

Error canceled(std::string_view stage, const std::string& where) {
    return makeError(ErrorCode::Canceled, "canceled while " + std::string(stage), where);
}

} // namespace

bool hasXzMagic(std::string_view bytes) {
    return bytes.size() >= sizeof kXzMagic && std::memcmp(bytes.data(), kXzMagic, sizeof kXzMagic) == 0;
}

Result<std::string> decompressXz(std::string_view compressed, const std::string& name, ProgressSpan progress) {
    lzma_stream strm = LZMA_STREAM_INIT;
    // LZMA_CONCATENATED: `xz` may append streams (e.g. `cat a.xz b.xz`); accept them like xz does.
    lzma_ret ret = lzma_stream_decoder(&strm, UINT64_MAX, LZMA_CONCATENATED);
    if (ret != LZMA_OK) return makeError(ErrorCode::Internal, lzmaMessage(ret), name);
    std::unique_ptr<lzma_stream, void (*)(lzma_stream*)> guard(&strm, lzma_end);
    const std::string text = "decompressing " + fileName(name);
    progress.report(0.0, text);

    // Text compresses about 4x with xz. Reserving that touches no memory; the string is then sized
    // step by step, because zero-filling tens of megabytes at once takes a few hundred
    // milliseconds on a busy machine, a gap in which a cancel would not be seen.
    std::string out;
    out.reserve(std::max<std::size_t>(compressed.size() * 4, 1 << 16));
    // The input goes in by chunks: one lzma_code() call on the whole buffer would decode it all
    // before a cancel could be seen.
    std::size_t fed = 0;
    for (;;) {
        if (strm.avail_out == 0) {
            const std::size_t used = out.size();
            out.resize(used + kXzOutputStep);
            strm.next_out = reinterpret_cast<uint8_t*>(out.data() + used);
            strm.avail_out = kXzOutputStep;
        }
        if (strm.avail_in == 0 && fed < compressed.size()) {
            const std::size_t n = std::min(kXzInputChunk, compressed.size() - fed);
            strm.next_in = reinterpret_cast<const uint8_t*>(compressed.data() + fed);
            strm.avail_in = n;
            fed += n;
        }
        ret = lzma_code(&strm, fed == compressed.size() ? LZMA_FINISH : LZMA_RUN);
        if (ret == LZMA_STREAM_END) break;
        if (ret != LZMA_OK) {
            return makeError(ErrorCode::Format,
                             std::string(lzmaMessage(ret)) + " at compressed byte " + std::to_string(strm.total_in),
                             name + "@" + std::to_string(strm.total_in));
        }
        if (progress.stopRequested()) return canceled("decompressing", name + "@" + std::to_string(strm.total_in));
        progress.report(static_cast<double>(strm.total_in) /
                            static_cast<double>(std::max<std::size_t>(compressed.size(), 1)),
                        text);
    }
    out.resize(strm.total_out);
    progress.report(1.0, text);
    return out;
}

bool isXzFile(const std::string& path) {
    std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
    char head[sizeof kXzMagic];
    return f && std::fread(head, 1, sizeof head, f.get()) == sizeof head &&
           hasXzMagic(std::string_view(head, sizeof head));
}

Result<std::string> readFileRaw(const std::string& path, ProgressSpan progress) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) return makeError(ErrorCode::Io, "cannot open: is a directory", path);
    std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
    if (!f) return makeError(ErrorCode::Io, "cannot open: " + std::string(std::strerror(errno)), path);
    const std::string text = "reading " + fileName(path);
    progress.report(0.0, text);
    // Reserved, not sized: like the decoder's output, the buffer is zero-filled chunk by chunk.
    std::string bytes;
    std::size_t used = 0, expected = 0;
    if (std::fseek(f.get(), 0, SEEK_END) == 0) {
        const long size = std::ftell(f.get());
        // One extra byte so that a file that grew meanwhile is noticed by the loop below.
        if (size > 0) {
            expected = static_cast<std::size_t>(size);
            bytes.reserve(expected + 1);
        }
        std::fseek(f.get(), 0, SEEK_SET);
    }
    for (;;) {
        // Up to the reserve while it lasts, so that reaching the end costs no reallocation.
        const std::size_t want = bytes.capacity() > used ? std::min(kReadChunk, bytes.capacity() - used) : kReadChunk;
        bytes.resize(used + want);
        const std::size_t n = std::fread(bytes.data() + used, 1, want, f.get());
        used += n;
        if (n == 0) break;
        if (progress.stopRequested()) return canceled("reading", path);
        if (expected > 0)
            progress.report(static_cast<double>(std::min(used, expected)) / static_cast<double>(expected), text);
    }
    if (std::ferror(f.get())) return makeError(ErrorCode::Io, "read error", path);
    bytes.resize(used);
    progress.report(1.0, text);
    return bytes;
}

Result<std::string> readFileMaybeXz(const std::string& path, ProgressSpan progress) {
    const bool xz = isXzFile(path);
    Result<std::string> bytes = readFileRaw(path, xz ? progress.sub(0.0, kXzReadShare) : progress);
    if (!bytes || !hasXzMagic(*bytes)) return bytes;
    return decompressXz(*bytes, path, progress.sub(kXzReadShare, 1.0));
}

} // namespace alphascope

#pragma once
// Whole-file reading with transparent .xz decompression (liblzma).

#include "core/util/progress_span.h"
#include "core/util/result.h"

#include <string>
#include <string_view>

namespace alphascope {

/// True when `bytes` starts with the xz stream magic (FD 37 7A 58 5A 00).
bool hasXzMagic(std::string_view bytes);

/// True when the file starts with the xz stream magic; false when it cannot be read.
bool isXzFile(const std::string& path);

/// Reads a whole file into memory as it is on disk, in chunks: polls `progress` for a cancel
/// (ErrorCode::Canceled) and reports the fraction of bytes read ("reading <file name>").
Result<std::string> readFileRaw(const std::string& path, ProgressSpan progress = {});

/// Reads a whole file into memory; decompresses it when its content is xz (detected by the magic
/// bytes, whatever the extension). Errors name the file, and the byte offset for corrupt xz.
/// Cancellable through `progress`, which sees reading and decompressing as one 0..1.
Result<std::string> readFileMaybeXz(const std::string& path, ProgressSpan progress = {});

/// Decompresses an in-memory xz buffer; `name` is used in error locations ("name@byte") and in the
/// progress text ("decompressing <file name>"). Polls `progress` between input chunks (a few tens
/// of milliseconds apart) and reports the fraction of compressed bytes consumed.
Result<std::string> decompressXz(std::string_view compressed, const std::string& name, ProgressSpan progress = {});

} // namespace alphascope

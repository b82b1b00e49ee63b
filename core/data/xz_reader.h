#pragma once
// Whole-file reading with transparent .xz decompression (liblzma).

#include "core/util/result.h"

#include <string>
#include <string_view>

namespace alphascope {

/// True when `bytes` starts with the xz stream magic (FD 37 7A 58 5A 00).
bool hasXzMagic(std::string_view bytes);

/// Reads a whole file into memory as it is on disk.
Result<std::string> readFileRaw(const std::string& path);

/// Reads a whole file into memory; decompresses it when its content is xz (detected by the magic
/// bytes, whatever the extension). Errors name the file, and the byte offset for corrupt xz.
Result<std::string> readFileMaybeXz(const std::string& path);

/// Decompresses an in-memory xz buffer; `name` is used in error locations ("name@byte").
Result<std::string> decompressXz(std::string_view compressed, const std::string& name);

} // namespace alphascope

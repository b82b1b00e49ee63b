#include "core/data/qlib_format.h"

#include "core/data/xz_reader.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

namespace fs = std::filesystem;

namespace alphascope {

namespace {

constexpr std::string_view kBinSuffix = ".day.bin";
// How many codes a summarised warning names before "...".
constexpr std::size_t kListedNames = 5;

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    return out;
}

std::string listNames(const std::vector<std::string>& names) {
    std::string s;
    for (std::size_t k = 0; k < names.size() && k < kListedNames; ++k) s += (k ? ", " : "") + names[k];
    if (names.size() > kListedNames) s += ", ...";
    return s;
}

/// Whitespace-separated tokens of one line (tabs or spaces, as Qlib's own files vary).
std::vector<std::string_view> tokens(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t k = 0;
    while (k < line.size()) {
        while (k < line.size() && (line[k] == ' ' || line[k] == '\t' || line[k] == '\r')) ++k;
        const std::size_t b = k;
        while (k < line.size() && line[k] != ' ' && line[k] != '\t' && line[k] != '\r') ++k;
        if (k > b) out.push_back(line.substr(b, k - b));
    }
    return out;
}

/// Calls fn(lineNumber, tokens) for every non-blank line; stops at the first error.
template <class Fn>
Result<void> forEachLine(std::string_view text, Fn fn) {
    int lineNo = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos) nl = text.size();
        ++lineNo;
        const std::vector<std::string_view> tok = tokens(text.substr(pos, nl - pos));
        pos = nl + 1;
        if (tok.empty()) continue;
        Result<void> r = fn(lineNo, tok);
        if (!r) return r;
    }
    return {};
}

std::string at(const fs::path& file, int line) {
    return file.string() + ":" + std::to_string(line);
}

std::string atByte(const fs::path& file, std::size_t byte) {
    return file.string() + "@" + std::to_string(byte);
}

float readFloatLe(const char* p) {
    std::uint32_t bits;
    std::memcpy(&bits, p, 4);
    if constexpr (std::endian::native == std::endian::big)
        bits = (bits >> 24) | ((bits >> 8) & 0xFF00u) | ((bits << 8) & 0xFF0000u) | (bits << 24);
    return std::bit_cast<float>(bits);
}

void appendFloatLe(std::string& out, float v) {
    std::uint32_t bits = std::bit_cast<std::uint32_t>(v);
    if constexpr (std::endian::native == std::endian::big)
        bits = (bits >> 24) | ((bits >> 8) & 0xFF00u) | ((bits << 8) & 0xFF0000u) | (bits << 24);
    char b[4];
    std::memcpy(b, &bits, 4);
    out.append(b, 4);
}

Result<std::vector<Date>> readCalendar(const fs::path& dir) {
    const fs::path file = dir / "calendars" / "day.txt";
    std::error_code ec;
    if (!fs::is_regular_file(file, ec))
        return makeError(ErrorCode::Io, "missing calendar calendars/day.txt", file.string());
    Result<std::string> text = readFileMaybeXz(file.string());
    if (!text) return text.error();
    std::vector<Date> days;
    Result<void> r = forEachLine(*text, [&](int lineNo, const std::vector<std::string_view>& tok) -> Result<void> {
        const std::optional<Date> d = parseDate(tok[0]);
        if (!d) return makeError(ErrorCode::Format, "bad date '" + std::string(tok[0]) + "'", at(file, lineNo));
        if (!days.empty() && !(days.back() < *d))
            return makeError(ErrorCode::Format, "calendar dates must be strictly increasing", at(file, lineNo));
        days.push_back(*d);
        return {};
    });
    if (!r) return r.error();
    if (days.empty()) return makeError(ErrorCode::Format, "empty calendar", file.string());
    return days;
}

/// One line of an instruments file: a code and an inclusive date interval.
struct Interval {
    std::string code;
    Date start;
    Date end;
};

Result<std::vector<Interval>> readUniverse(const fs::path& dir, const std::string& universe) {
    const fs::path file = dir / "instruments" / (universe + ".txt");
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) {
        const std::vector<std::string> available = qlibUniverses(dir.string());
        std::string list;
        for (const auto& u : available) list += (list.empty() ? "" : ", ") + u;
        return makeError(ErrorCode::NotFound,
                         "unknown universe '" + universe + "'; available: " + (list.empty() ? "(none)" : list),
                         (dir / "instruments").string());
    }
    Result<std::string> text = readFileMaybeXz(file.string());
    if (!text) return text.error();
    std::vector<Interval> out;
    Result<void> r = forEachLine(*text, [&](int lineNo, const std::vector<std::string_view>& tok) -> Result<void> {
        if (tok.size() < 3) return makeError(ErrorCode::Format, "expected CODE START END", at(file, lineNo));
        const std::optional<Date> s = parseDate(tok[1]);
        const std::optional<Date> e = parseDate(tok[2]);
        if (!s || !e)
            return makeError(ErrorCode::Format, "bad date '" + std::string(!s ? tok[1] : tok[2]) + "'",
                             at(file, lineNo));
        if (*e < *s) return makeError(ErrorCode::Format, "end date before start date", at(file, lineNo));
        out.push_back({std::string(tok[0]), *s, *e});
        return {};
    });
    if (!r) return r.error();
    return out;
}

/// Reads one .day.bin into column `i` of `panel`.
Result<void> readBin(const fs::path& file, Panel& panel, int i) {
    Result<std::string> bytes = readFileRaw(file.string());
    if (!bytes) return bytes.error();
    const std::string& b = *bytes;
    if (b.size() % 4 != 0)
        return makeError(ErrorCode::Format,
                         "truncated .day.bin: " + std::to_string(b.size()) + " bytes is not a multiple of 4",
                         atByte(file, b.size() - b.size() % 4));
    if (b.empty()) return makeError(ErrorCode::Format, "empty .day.bin: no start index", atByte(file, 0));
    const int T = panel.days();
    const float startValue = readFloatLe(b.data());
    if (!(startValue >= 0.0f && startValue <= static_cast<float>(T)) || startValue != std::floor(startValue))
        return makeError(ErrorCode::Format,
                         "bad start index " + std::to_string(startValue) + " for a calendar of " + std::to_string(T) +
                             " days",
                         atByte(file, 0));
    const std::size_t start = static_cast<std::size_t>(startValue);
    const std::size_t count = b.size() / 4 - 1;
    if (start + count > static_cast<std::size_t>(T))
        return makeError(ErrorCode::Format,
                         "data runs past the calendar: start index " + std::to_string(start) + " + " +
                             std::to_string(count) + " values > " + std::to_string(T) + " days",
                         atByte(file, 4 * (1 + static_cast<std::size_t>(T) - start)));
    for (std::size_t k = 0; k < count; ++k)
        panel.at(static_cast<int>(start + k), i) = readFloatLe(b.data() + 4 * (k + 1));
    return {};
}

Result<void> writeBytes(const fs::path& file, const std::string& bytes) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(file.string().c_str(), "wb"), std::fclose);
    if (!f || std::fwrite(bytes.data(), 1, bytes.size(), f.get()) != bytes.size())
        return makeError(ErrorCode::Io, "cannot write", file.string());
    if (std::fclose(f.release()) != 0) return makeError(ErrorCode::Io, "cannot write", file.string());
    return {};
}

} // namespace

std::vector<std::string> qlibUniverses(const std::string& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    for (fs::directory_iterator it(fs::path(dir) / "instruments", ec), end; !ec && it != end; it.increment(ec))
        if (it->path().extension() == ".txt") out.push_back(it->path().stem().string());
    std::sort(out.begin(), out.end());
    return out;
}

Result<MarketData> loadQlib(const std::string& dirText, const QlibOptions& options, ProgressSpan progress) {
    const fs::path dir(dirText);
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return makeError(ErrorCode::Io, "not a directory", dirText);
    progress.report(0.0, "reading the calendar and the universe");
    Result<std::vector<Date>> days = readCalendar(dir);
    if (!days) return days.error();
    const std::string universe = options.universe.empty() ? "all" : options.universe;
    Result<std::vector<Interval>> intervals = readUniverse(dir, universe);
    if (!intervals) return intervals.error();

    MarketData data;
    data.calendar = Calendar(std::move(*days));
    data.source = dirText;
    data.universe = universe;
    std::set<std::string> codeSet;
    for (const Interval& iv : *intervals) codeSet.insert(iv.code);
    data.instruments.assign(codeSet.begin(), codeSet.end());
    const int T = data.days(), N = data.instrumentCount();
    data.membership.assign(static_cast<std::size_t>(T) * static_cast<std::size_t>(N), 0);
    for (const Interval& iv : *intervals) {
        const int i = static_cast<int>(std::lower_bound(data.instruments.begin(), data.instruments.end(), iv.code) -
                                       data.instruments.begin());
        for (int t = data.calendar.lowerBound(iv.start); t <= data.calendar.upperIndex(iv.end); ++t)
            data.membership[static_cast<std::size_t>(t) * N + i] = 1;
    }

    // Qlib lower-cases the feature folder names; match the universe's codes case-insensitively.
    std::map<std::string, fs::path> folders;
    for (fs::directory_iterator it(dir / "features", ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code entryError;
        if (it->is_directory(entryError)) folders.emplace(lower(it->path().filename().string()), it->path());
    }
    std::vector<fs::path> folderOf(static_cast<std::size_t>(N));
    std::vector<std::string> noFolder;
    std::set<std::string> found;
    for (int i = 0; i < N; ++i) {
        const auto it = folders.find(lower(data.instruments[static_cast<std::size_t>(i)]));
        if (it == folders.end()) {
            noFolder.push_back(data.instruments[static_cast<std::size_t>(i)]);
            continue;
        }
        folderOf[static_cast<std::size_t>(i)] = it->second;
        for (fs::directory_iterator f(it->second, ec), end; !ec && f != end; f.increment(ec)) {
            const std::string name = f->path().filename().string();
            if (name.size() > kBinSuffix.size() && name.ends_with(kBinSuffix))
                found.insert(name.substr(0, name.size() - kBinSuffix.size()));
        }
    }
    std::vector<std::string> fields;
    if (options.fields.empty()) {
        fields.assign(found.begin(), found.end());
        if (fields.empty())
            return makeError(ErrorCode::Format, "no feature files (*.day.bin) for universe '" + universe + "'",
                             (dir / "features").string());
    } else {
        for (std::string f : options.fields) {
            if (!f.empty() && f.front() == '$') f.erase(0, 1);
            if (!found.count(f))
                return makeError(ErrorCode::NotFound,
                                 "field '" + f + "' has no .day.bin file for universe '" + universe + "'",
                                 (dir / "features").string());
            fields.push_back(f);
        }
    }

    std::vector<std::string> missingFiles;
    int missingCount = 0;
    const double totalFiles = static_cast<double>(fields.size()) * std::max(N, 1);
    for (std::size_t f = 0; f < fields.size(); ++f) {
        const std::string& field = fields[f];
        const std::string text =
            "reading " + field + " (field " + std::to_string(f + 1) + " of " + std::to_string(fields.size()) + ")";
        Panel panel(T, N);
        for (int i = 0; i < N; ++i) {
            // One poll per file: a .day.bin holds one instrument's years, a millisecond or less.
            if (progress.stopRequested())
                return makeError(ErrorCode::Canceled, "canceled while reading " + field, (dir / "features").string());
            progress.report((static_cast<double>(f) * N + i) / totalFiles, text);
            const fs::path& folder = folderOf[static_cast<std::size_t>(i)];
            if (folder.empty()) continue;
            const fs::path file = folder / (field + std::string(kBinSuffix));
            if (!fs::is_regular_file(file, ec)) {
                if (missingCount++ < static_cast<int>(kListedNames))
                    missingFiles.push_back(data.instruments[static_cast<std::size_t>(i)] + "/" + field);
                continue;
            }
            Result<void> r = readBin(file, panel, i);
            if (!r) return r.error();
        }
        data.fields[field] = std::make_shared<const Panel>(std::move(panel));
    }
    if (!noFolder.empty())
        data.warnings.push_back({(dir / "features").string(),
                                 std::to_string(noFolder.size()) + " instruments of universe '" + universe +
                                     "' have no feature folder (" + listNames(noFolder) + "); their values are NaN",
                                 static_cast<int>(noFolder.size())});
    if (missingCount > 0)
        data.warnings.push_back({(dir / "features").string(),
                                 std::to_string(missingCount) + " field files missing (" + listNames(missingFiles) +
                                     (missingCount > static_cast<int>(kListedNames) ? ", ...)" : ")") +
                                     "; those values are NaN",
                                 missingCount});
    progress.report(1.0, "reading the features");
    return data;
}

Result<void> writeQlib(const MarketData& data, const std::string& dirText) {
    const fs::path dir(dirText);
    std::error_code ec;
    for (const char* sub : {"calendars", "instruments", "features"}) {
        fs::create_directories(dir / sub, ec);
        if (ec) return makeError(ErrorCode::Io, "cannot create directory: " + ec.message(), (dir / sub).string());
    }
    const int T = data.days(), N = data.instrumentCount();
    std::string calendar;
    for (Date d : data.calendar.days()) calendar += d.toString() + "\n";
    if (Result<void> r = writeBytes(dir / "calendars" / "day.txt", calendar); !r) return r;

    std::set<std::string> folderNames;
    std::string instruments;
    for (int i = 0; i < N; ++i) {
        const std::string& code = data.instruments[static_cast<std::size_t>(i)];
        const std::string folder = lower(code);
        if (!folderNames.insert(folder).second)
            return makeError(ErrorCode::InvalidArgument,
                             "instrument codes differ only by case; Qlib folders would clash: " + code, dirText);
        int first = -1, last = -1, runStart = -1;
        for (int t = 0; t < T; ++t) {
            if (!data.isMember(t, i)) continue;
            if (first < 0) first = t;
            if (runStart < 0) runStart = t;
            last = t;
            // One line per contiguous membership interval: Qlib reads several lines per code.
            if (t == T - 1 || !data.isMember(t + 1, i)) {
                instruments +=
                    code + "\t" + data.calendar[runStart].toString() + "\t" + data.calendar[t].toString() + "\n";
                runStart = -1;
            }
        }
        if (first < 0) continue; // never a member: nothing Qlib could show
        const fs::path featureDir = dir / "features" / folder;
        fs::create_directories(featureDir, ec);
        if (ec) return makeError(ErrorCode::Io, "cannot create directory: " + ec.message(), featureDir.string());
        for (const auto& [name, panel] : data.fields) {
            std::string bytes;
            bytes.reserve(4 * static_cast<std::size_t>(last - first + 2));
            appendFloatLe(bytes, static_cast<float>(first));
            for (int t = first; t <= last; ++t) appendFloatLe(bytes, panel->at(t, i));
            if (Result<void> r = writeBytes(featureDir / (name + std::string(kBinSuffix)), bytes); !r) return r;
        }
    }
    return writeBytes(dir / "instruments" / "all.txt", instruments);
}

} // namespace alphascope

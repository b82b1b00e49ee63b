#include "core/data/dataset.h"
#include "core/data/warning_text.h"

#include "core/data/csv_loader.h"
#include "core/data/qlib_format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

namespace fs = std::filesystem;

namespace alphascope {

std::string listCounts(std::vector<std::pair<std::string, int>> items) {
    std::stable_sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    std::string s;
    for (std::size_t k = 0; k < items.size() && k < kListedWarningNames; ++k)
        s += (k ? ", " : "") + items[k].first + " " + std::to_string(items[k].second);
    if (items.size() > kListedWarningNames) s += ", ...";
    return s;
}

namespace {

/// Share of loadDataset()'s progress for the loader; the groups and the finalisation (vwap,
/// masks, data-quality scans) take the rest, well under 5 % of the time on the US file.
constexpr double kLoaderShare = 0.97;

Error canceledLoad(const std::string& path) {
    return makeError(ErrorCode::Canceled, "loading canceled", path);
}

bool hasWarning(const MarketData& data, std::string_view prefix) {
    return std::any_of(data.warnings.begin(), data.warnings.end(),
                       [&](const LoadWarning& w) { return std::string_view(w.message).starts_with(prefix); });
}

/// Member cells whose volume is exactly zero, as (t, i) per instrument.
std::vector<std::vector<int>> zeroVolumeDays(const MarketData& data) {
    std::vector<std::vector<int>> days(data.instruments.size());
    const Panel* volume = data.field("volume");
    if (!volume) return days;
    for (int t = 0; t < data.days(); ++t)
        for (int i = 0; i < data.instrumentCount(); ++i)
            if (data.isMember(t, i) && volume->at(t, i) == 0.0f) days[static_cast<std::size_t>(i)].push_back(t);
    return days;
}

/// Adds the zero-volume summary; returns how many cells were found.
int addZeroVolumeWarning(MarketData& data, const std::vector<std::vector<int>>& days, bool masked) {
    std::vector<std::pair<std::string, int>> counts;
    int total = 0;
    for (std::size_t i = 0; i < days.size(); ++i)
        if (!days[i].empty()) {
            counts.emplace_back(data.instruments[i], static_cast<int>(days[i].size()));
            total += static_cast<int>(days[i].size());
        }
    if (total > 0)
        data.warnings.push_back({data.source,
                                 std::string(kZeroVolumeWarning) + ": " + std::to_string(total) + " rows in " +
                                     std::to_string(counts.size()) + " instruments (" + listCounts(counts) + ")" +
                                     (masked ? "; masked to NaN" : ""),
                                 total});
    return total;
}

/// Replaces each field by a copy with NaN where `drop(t, i)` holds; untouched fields are shared as they were.
template <class Drop>
void maskCells(MarketData& data, Drop drop) {
    for (auto& [name, panel] : data.fields) {
        const Panel& p = *panel;
        bool needed = false;
        for (int t = 0; t < p.days() && !needed; ++t)
            for (int i = 0; i < p.instruments(); ++i)
                if (!std::isnan(p.at(t, i)) && drop(t, i)) {
                    needed = true;
                    break;
                }
        if (!needed) continue;
        Panel copy = p;
        for (int t = 0; t < copy.days(); ++t)
            for (int i = 0; i < copy.instruments(); ++i)
                if (drop(t, i)) copy.at(t, i) = kNaN;
        panel = std::make_shared<const Panel>(std::move(copy));
    }
}

void deriveVwap(MarketData& data) {
    const Panel* high = data.field("high");
    const Panel* low = data.field("low");
    const Panel* close = data.field("close");
    if (!high || !low || !close) {
        data.warnings.push_back({data.source, "vwap not available: the data has no vwap and lacks high/low/close"});
        return;
    }
    const Panel* amount = data.field("amount");
    const Panel* volume = data.field("volume");
    const bool useAmount = amount && volume;
    Panel vwap(data.days(), data.instrumentCount());
    for (std::size_t k = 0; k < vwap.size(); ++k) {
        if (useAmount) {
            const float a = amount->data()[k], v = volume->data()[k];
            if (std::isfinite(a) && std::isfinite(v) && v > 0.0f) {
                vwap.data()[k] = static_cast<float>(static_cast<double>(a) / v);
                continue;
            }
        }
        vwap.data()[k] =
            static_cast<float>((static_cast<double>(high->data()[k]) + low->data()[k] + close->data()[k]) / 3.0);
    }
    data.fields["vwap"] = std::make_shared<const Panel>(std::move(vwap));
    data.vwapDerived = true;
    data.vwapFormula = useAmount ? "amount/volume where volume > 0, else (high+low+close)/3" : "(high+low+close)/3";
    data.warnings.push_back(
        {data.source, std::string(kVwapDerivedWarning) + ": the data has no vwap; using " + data.vwapFormula});
}

void addCloseJumpWarning(MarketData& data) {
    const Panel* close = data.field("close");
    if (!close) return;
    std::vector<std::pair<std::string, int>> counts;
    int total = 0;
    std::string first;
    for (int i = 0; i < data.instrumentCount(); ++i) {
        int n = 0;
        double prev = std::nan("");
        for (int t = 0; t < data.days(); ++t) {
            const double c = close->at(t, i);
            if (!std::isfinite(c)) continue; // compare with the last valid close, across gaps
            if (std::isfinite(prev) && prev != 0.0) {
                const double ratio = std::fabs(c / prev);
                if (ratio > kSuspiciousJumpRatio || ratio < 1.0 / kSuspiciousJumpRatio) {
                    if (total + n == 0) {
                        char buf[32];
                        std::snprintf(buf, sizeof buf, " x%.3g", ratio);
                        first = data.instruments[static_cast<std::size_t>(i)] + " " + data.calendar[t].toString() + buf;
                    }
                    ++n;
                }
            }
            prev = c;
        }
        if (n > 0) counts.emplace_back(data.instruments[static_cast<std::size_t>(i)], n);
        total += n;
    }
    if (total > 0)
        data.warnings.push_back(
            {data.source,
             std::string(kCloseJumpWarning) + " (day-over-day ratio > 3 or < 1/3): " + std::to_string(total) + " in " +
                 std::to_string(counts.size()) + " instruments (" + listCounts(counts) + "); first: " + first,
             total});
}

} // namespace

void maskZeroVolumeCells(MarketData& data) {
    const std::vector<std::vector<int>> days = zeroVolumeDays(data);
    const std::size_t N = data.instruments.size();
    std::vector<std::uint8_t> zero(static_cast<std::size_t>(data.days()) * N, 0);
    for (std::size_t i = 0; i < N; ++i)
        for (int t : days[i]) zero[static_cast<std::size_t>(t) * N + i] = 1;
    if (addZeroVolumeWarning(data, days, true) == 0) return;
    maskCells(data,
              [&](int t, int i) { return zero[static_cast<std::size_t>(t) * N + static_cast<std::size_t>(i)] != 0; });
}

void finalizeMarketData(MarketData& data) {
    if (!data.membership.empty()) maskCells(data, [&](int t, int i) { return !data.isMember(t, i); });
    if (!data.hasField("vwap")) deriveVwap(data);
    addDataQualityWarnings(data);
}

void addDataQualityWarnings(MarketData& data) {
    if (!hasWarning(data, kZeroVolumeWarning)) addZeroVolumeWarning(data, zeroVolumeDays(data), false);
    if (!hasWarning(data, kCloseJumpWarning)) addCloseJumpWarning(data);
}

Result<std::shared_ptr<const MarketData>> loadDataset(const DatasetSpec& spec, ProgressSpan progress) {
    if (progress.stopRequested()) return canceledLoad(spec.path);
    if (spec.path.empty()) return makeError(ErrorCode::InvalidArgument, "no dataset path given");
    std::error_code ec;
    const fs::file_status status = fs::status(spec.path, ec);
    if (ec || !fs::exists(status)) return makeError(ErrorCode::Io, "cannot open: no such file or directory", spec.path);
    const bool isQlib = fs::is_directory(status);
    if (isQlib && !fs::exists(fs::path(spec.path) / "calendars" / "day.txt", ec))
        return makeError(ErrorCode::Format,
                         "a folder that is not a Qlib binary dataset (no calendars/day.txt); give a long CSV file "
                         "(.csv or .csv.xz) or a Qlib folder (calendars/, instruments/, features/)",
                         spec.path);
    const std::string universe = spec.universe.empty() ? "all" : spec.universe;
    if (!isQlib && universe != "all")
        return makeError(ErrorCode::InvalidArgument,
                         "universe '" + universe + "' given, but a CSV file has only the universe 'all'", spec.path);
    const ProgressSpan loading = progress.sub(0.0, kLoaderShare);
    Result<MarketData> loaded = [&]() -> Result<MarketData> {
        if (!isQlib) return loadLongCsv(spec.path, CsvOptions{spec.maskZeroVolume}, loading);
        QlibOptions options;
        options.universe = universe;
        return loadQlib(spec.path, options, loading);
    }();
    if (!loaded) return loaded.error();
    MarketData& data = *loaded;
    const ProgressSpan finishing = progress.sub(kLoaderShare, 1.0);
    if (isQlib && spec.maskZeroVolume) maskZeroVolumeCells(data);
    if (!spec.groupsPath.empty()) {
        if (progress.stopRequested()) return canceledLoad(spec.path);
        finishing.report(0.0, "reading " + fs::path(spec.groupsPath).filename().string());
        Result<void> groups = loadGroupsCsv(data, spec.groupsPath);
        if (!groups) return groups.error();
    }
    if (progress.stopRequested()) return canceledLoad(spec.path);
    finishing.report(0.2, "checking the data");
    finalizeMarketData(data);
    if (progress.stopRequested()) return canceledLoad(spec.path);
    progress.report(1.0, "data loaded");
    return std::shared_ptr<const MarketData>(std::make_shared<MarketData>(std::move(data)));
}

std::string bundledSampleDir() {
    std::error_code ec;
#ifdef ALPHASCOPE_SAMPLE_DIR
    if (fs::is_directory(ALPHASCOPE_SAMPLE_DIR, ec)) return ALPHASCOPE_SAMPLE_DIR;
#endif
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return {};
    const fs::path installed = (exe.parent_path() / ".." / "share" / "alphascope" / "sample").lexically_normal();
    if (fs::is_directory(installed, ec)) return installed.string();
    return {};
}

DatasetSpec bundledSampleSpec() {
    DatasetSpec spec;
    const std::string dir = bundledSampleDir();
    if (dir.empty()) return spec;
    spec.path = (fs::path(dir) / "prices.csv.xz").string();
    spec.groupsPath = (fs::path(dir) / "sectors.csv").string();
    return spec;
}

} // namespace alphascope

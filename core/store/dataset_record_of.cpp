#include "core/store/dataset_record_of.h"

#include "core/io/session_spec_json.h"

#include <ctime>
#include <filesystem>

namespace alphascope {

namespace {
/// Stored paths are absolute: a row must open the same files from any working directory.
std::string absolutePath(const std::string& path) {
    if (path.empty()) return path;
    std::error_code ec;
    const auto abs = std::filesystem::absolute(path, ec);
    return ec ? path : abs.lexically_normal().string();
}
} // namespace

std::vector<SplitRange> resolvedSplits(const ResearchSession& session) {
    std::vector<SplitRange> out;
    for (const Split& sp : session.splits) out.push_back(SplitRange{sp.name, sp.first, sp.last});
    return out;
}

DatasetRecord datasetRecordOf(const ResearchSession& s) {
    DatasetRecord rec;
    rec.name = std::filesystem::path(s.spec.dataset.path).filename().string();
    rec.path = absolutePath(s.spec.dataset.path);
    rec.sectorsPath = absolutePath(s.spec.dataset.groupsPath);
    rec.universe = s.spec.dataset.universe;
    rec.target = s.spec.target;
    SessionSpec spec = s.spec;
    spec.dataset.path = rec.path;
    spec.dataset.groupsPath = rec.sectorsPath;
    spec.splits = resolvedSplits(s);
    rec.splits = sessionSpecToJson(spec);
    const MarketData& d = *s.data;
    rec.instruments = d.instrumentCount();
    rec.days = d.days();
    if (d.days()) {
        rec.firstDate = d.calendar[0].toString();
        rec.lastDate = d.calendar[d.days() - 1].toString();
    }
    rec.lastOpened = static_cast<std::int64_t>(std::time(nullptr));
    return rec;
}

RunDataset runDatasetOf(const ResearchSession& s) {
    RunDataset d;
    d.path = absolutePath(s.spec.dataset.path);
    d.sectorsPath = absolutePath(s.spec.dataset.groupsPath);
    d.universe = s.spec.dataset.universe;
    d.maskZeroVolume = s.spec.dataset.maskZeroVolume;
    d.target = s.target ? s.target->toString() : s.spec.target;
    d.splits = splitRangesToJson(resolvedSplits(s));
    return d;
}

} // namespace alphascope

// Sector / industry CSV: ticker, sector[, industry] -> the "sector" and "industry" groupings.

#include "core/data/csv_loader.h"
#include "core/data/csv_text.h"
#include "core/data/xz_reader.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace alphascope {

using namespace csv;

namespace {

constexpr std::string_view kSectorNames[] = {"sector", "gics_sector", "sector_gics_2020", "gics_sector_2016"};
constexpr std::string_view kIndustryNames[] = {"industry", "gics_sub_industry", "sub_industry",
                                               "gics_sub_industry_2016", "gics_industry"};

} // namespace

Result<void> loadGroupsCsv(MarketData& data, const std::string& path) {
    Result<std::string> text = readFileMaybeXz(path);
    if (!text) return text.error();
    LineCursor cursor(stripBom(*text));
    Result<Header> header = readHeader(cursor, path);
    if (!header) return header.error();
    const Header& h = *header;
    const int nCols = static_cast<int>(h.names.size());
    const Result<int> instColumn = requireInstrumentColumn(h, path);
    if (!instColumn) return instColumn.error();
    const int instCol = *instColumn;
    int sectorCol = findColumn(h.names, kSectorNames);
    if (sectorCol < 0)
        return makeError(ErrorCode::Format, "missing required column 'sector'; header: " + joinHeader(h.raw),
                         at(path, h.line));
    int industryCol = findColumn(h.names, kIndustryNames);
    for (int pass = 0; pass < 2 && industryCol < 0; ++pass)
        for (int c = 0; c < nCols && industryCol < 0; ++c)
            if (h.names[c].find(pass == 0 ? "sub_industry" : "industry") != std::string::npos) industryCol = c;

    std::unordered_map<std::string, int> index;
    for (int i = 0; i < data.instrumentCount(); ++i) index.emplace(upper(data.instruments[i]), i);
    const std::size_t N = data.instruments.size();
    std::vector<std::string> sector(N), industry(N);
    std::vector<bool> seen(N, false);
    std::vector<std::string> unknown;
    int duplicates = 0;
    std::vector<std::string_view> cells;
    std::string_view line;
    while (cursor.next(line)) {
        if (isBlank(line)) continue;
        splitCsvLine(line, h.delimiter, cells);
        if (static_cast<int>(cells.size()) != nCols)
            return makeError(ErrorCode::Format,
                             "expected " + std::to_string(nCols) + " cells as in the header, found " +
                                 std::to_string(cells.size()),
                             at(path, cursor.line()));
        const std::string code = upper(trim(cells[instCol]));
        if (code.empty()) continue;
        const auto it = index.find(code);
        if (it == index.end()) {
            unknown.push_back(code);
            continue;
        }
        const std::size_t i = static_cast<std::size_t>(it->second);
        if (seen[i]) {
            ++duplicates; // the first row of an instrument wins
            continue;
        }
        seen[i] = true;
        sector[i] = unescapeCell(trim(cells[sectorCol]));
        if (industryCol >= 0) industry[i] = unescapeCell(trim(cells[industryCol]));
    }

    auto makeGrouping = [&](const std::string& name, const std::vector<std::string>& labels) {
        Grouping g;
        g.name = name;
        for (std::size_t i = 0; i < N; ++i)
            if (!labels[i].empty()) g.labels.push_back(labels[i]);
        std::sort(g.labels.begin(), g.labels.end());
        g.labels.erase(std::unique(g.labels.begin(), g.labels.end()), g.labels.end());
        g.ids.assign(N, -1);
        std::vector<std::string> unlabeled;
        for (std::size_t i = 0; i < N; ++i) {
            if (labels[i].empty()) {
                if (seen[i]) unlabeled.push_back(data.instruments[i]);
                continue;
            }
            g.ids[i] =
                static_cast<int>(std::lower_bound(g.labels.begin(), g.labels.end(), labels[i]) - g.labels.begin());
        }
        if (!unlabeled.empty())
            data.warnings.push_back({path,
                                     "empty " + name + " for " + std::to_string(unlabeled.size()) + " instruments (" +
                                         listNames(unlabeled) + "); group id -1",
                                     static_cast<int>(unlabeled.size())});
        data.setGrouping(std::move(g));
    };
    makeGrouping("sector", sector);
    if (industryCol >= 0) makeGrouping("industry", industry);

    std::vector<std::string> missing;
    for (std::size_t i = 0; i < N; ++i)
        if (!seen[i]) missing.push_back(data.instruments[i]);
    if (!missing.empty())
        data.warnings.push_back({path,
                                 std::to_string(missing.size()) + " instruments not in the groups file (" +
                                     listNames(missing) + "); group id -1",
                                 static_cast<int>(missing.size())});
    if (!unknown.empty())
        data.warnings.push_back({path,
                                 std::to_string(unknown.size()) + " tickers in the groups file are not in the data (" +
                                     listNames(unknown) + ")",
                                 static_cast<int>(unknown.size())});
    if (duplicates > 0)
        data.warnings.push_back(
            {path, std::to_string(duplicates) + " repeated tickers in the groups file; first row kept", duplicates});
    return {};
}

} // namespace alphascope

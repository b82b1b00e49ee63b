#include "core/data/csv_loader.h"
#include "core/data/csv_text.h"
#include "core/data/warning_text.h"

#include "core/data/dataset.h"
#include "core/data/xz_reader.h"

#include <fast_float/fast_float.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

namespace alphascope {

using namespace csv;

namespace {

constexpr std::string_view kDateNames[] = {"date", "datetime", "trade_date", "day"};
constexpr std::string_view kRequiredFields[] = {"open", "high", "low", "close", "volume"};
constexpr std::string_view kKnownFields[] = {"open", "high",   "low",       "close", "volume",
                                             "vwap", "amount", "adj_close", "factor"};
constexpr std::string_view kAdjCloseNames[] = {"adj_close", "adjclose", "adjusted_close"};

/// One value column of the long CSV.
struct FieldColumn {
    int column = 0;
    std::string name;
    bool known = false;   ///< a standard field: text in it is an error
    bool decided = false; ///< an extra column that has shown a number
    bool ignored = false; ///< an extra column that turned out to be text
};

/// Lines parsed between two polls of the cancel flag (a few milliseconds).
constexpr int kLinesPerPoll = 4096;
/// Shares of loadLongCsv()'s progress, measured on the US file: reading and decoding the xz take
/// about 80 % of the time, parsing 15 %, building the panels 5 %; a plain file is read in a small
/// fraction of its parse time.
constexpr double kXzReadEnd = 0.8;
constexpr double kPlainReadEnd = 0.1;
constexpr double kParseEnd = 0.95;

} // namespace

Result<MarketData> loadLongCsv(const std::string& path, const CsvOptions& options, ProgressSpan progress) {
    const double readEnd = isXzFile(path) ? kXzReadEnd : kPlainReadEnd;
    Result<std::string> text = readFileMaybeXz(path, progress.sub(0.0, readEnd));
    if (!text) return text.error();
    const ProgressSpan parsing = progress.sub(readEnd, kParseEnd);
    const std::string parsingText = "parsing " + std::filesystem::path(path).filename().string();
    parsing.report(0.0, parsingText);
    const std::string_view buffer = stripBom(*text);
    LineCursor cursor(buffer);
    Result<Header> header = readHeader(cursor, path);
    if (!header) return header.error();
    const Header& h = *header;
    const int nCols = static_cast<int>(h.names.size());
    MarketData data;

    for (int a = 0; a < nCols; ++a)
        for (int b = a + 1; b < nCols; ++b)
            if (!h.names[a].empty() && h.names[a] == h.names[b])
                return makeError(ErrorCode::Format, "duplicate column '" + h.raw[b] + "'; header: " + joinHeader(h.raw),
                                 at(path, h.line));
    const int dateCol = findColumn(h.names, kDateNames);
    if (dateCol < 0)
        return makeError(ErrorCode::Format,
                         "missing required column 'date' (or datetime/trade_date/day); header: " + joinHeader(h.raw),
                         at(path, h.line));
    const Result<int> instColumn = requireInstrumentColumn(h, path);
    if (!instColumn) return instColumn.error();
    const int instCol = *instColumn;
    for (std::string_view req : kRequiredFields)
        if (std::find(h.names.begin(), h.names.end(), req) == h.names.end())
            return makeError(ErrorCode::Format,
                             "missing required column '" + std::string(req) + "'; header: " + joinHeader(h.raw),
                             at(path, h.line));

    std::vector<FieldColumn> fieldCols;
    for (int c = 0; c < nCols; ++c) {
        if (c == dateCol || c == instCol) continue;
        std::string name = h.names[c];
        if (name.empty()) {
            // Typically the unnamed index column that pandas writes.
            data.warnings.push_back({at(path, h.line), "column " + std::to_string(c + 1) + " has no header; ignored"});
            continue;
        }
        if (std::find(std::begin(kAdjCloseNames), std::end(kAdjCloseNames), name) != std::end(kAdjCloseNames))
            name = "adj_close";
        for (const auto& f : fieldCols)
            if (f.name == name)
                return makeError(ErrorCode::Format,
                                 "columns '" + h.raw[f.column] + "' and '" + h.raw[c] + "' are both field '" + name +
                                     "'",
                                 at(path, h.line));
        FieldColumn f;
        f.column = c;
        f.known = std::find(std::begin(kKnownFields), std::end(kKnownFields), name) != std::end(kKnownFields);
        f.name = std::move(name);
        fieldCols.push_back(std::move(f));
    }
    const int nSlots = static_cast<int>(fieldCols.size());
    auto slotOf = [&](std::string_view name) {
        for (int s = 0; s < nSlots; ++s)
            if (fieldCols[s].name == name) return s;
        return -1;
    };
    const int openSlot = slotOf("open"), highSlot = slotOf("high"), lowSlot = slotOf("low");
    const int closeSlot = slotOf("close"), volSlot = slotOf("volume");

    // Rows are kept compactly (ids, line, values) and scattered into panels once the calendar and the
    // sorted instrument list are known.
    const std::size_t estRows = static_cast<std::size_t>(std::count(buffer.begin(), buffer.end(), '\n')) + 1;
    std::vector<std::int32_t> rowDate, rowInst;
    std::vector<std::int32_t> rowLine;
    std::vector<float> values;
    rowDate.reserve(estRows);
    rowInst.reserve(estRows);
    rowLine.reserve(estRows);
    values.reserve(estRows * static_cast<std::size_t>(nSlots));
    std::unordered_map<std::int32_t, int> dateIds;
    std::vector<Date> dates;
    std::unordered_map<std::string_view, int> instIds;
    std::vector<std::string_view> codes;
    std::string_view lastDateText, lastCode;
    int lastDateId = -1, lastInstId = -1;
    std::vector<int> zeroVolume;
    int zeroVolumeLine = 0;
    int ohlcCount = 0, ohlcLine = 0;
    std::string ohlcExample;

    std::vector<std::string_view> cells;
    cells.reserve(static_cast<std::size_t>(nCols) + 1);
    std::string_view line;
    while (cursor.next(line)) {
        const int lineNo = cursor.line();
        if (lineNo % kLinesPerPoll == 0) {
            if (parsing.stopRequested())
                return makeError(ErrorCode::Canceled, "canceled while parsing", at(path, lineNo));
            parsing.report(static_cast<double>(line.data() - buffer.data()) / static_cast<double>(buffer.size()),
                           parsingText);
        }
        if (line.empty() || isBlank(line)) continue;
        splitCsvLine(line, h.delimiter, cells);
        if (static_cast<int>(cells.size()) != nCols)
            return makeError(ErrorCode::Format,
                             "expected " + std::to_string(nCols) + " cells as in the header, found " +
                                 std::to_string(cells.size()),
                             at(path, lineNo));
        const std::string_view dateText = cells[dateCol];
        if (lastDateId < 0 || dateText != lastDateText) {
            const std::optional<Date> d = parseDate(dateText);
            if (!d)
                return makeError(ErrorCode::Format,
                                 "bad date '" + std::string(dateText) + "' in column '" + h.raw[dateCol] + "'",
                                 at(path, lineNo, columnOf(line, dateText)));
            auto [it, inserted] = dateIds.try_emplace(d->ymd, static_cast<int>(dates.size()));
            if (inserted) dates.push_back(*d);
            lastDateId = it->second;
            lastDateText = dateText;
        }
        const std::string_view code = trim(cells[instCol]);
        if (lastInstId < 0 || code != lastCode) {
            if (code.empty())
                return makeError(ErrorCode::Format, "empty instrument code in column '" + h.raw[instCol] + "'",
                                 at(path, lineNo, columnOf(line, cells[instCol])));
            auto [it, inserted] = instIds.try_emplace(code, static_cast<int>(codes.size()));
            if (inserted) {
                codes.push_back(code);
                zeroVolume.push_back(0);
            }
            lastInstId = it->second;
            lastCode = code;
        }
        const std::size_t base = values.size();
        values.resize(base + static_cast<std::size_t>(nSlots));
        float* v = values.data() + base;
        for (int s = 0; s < nSlots; ++s) {
            FieldColumn& f = fieldCols[s];
            if (f.ignored) {
                v[s] = kNaN;
                continue;
            }
            const std::string_view cell = cells[f.column];
            const CellKind kind = parseCell(cell, v[s]);
            if (kind == CellKind::Value) {
                f.decided = true;
            } else if (kind == CellKind::Bad) {
                if (f.known || f.decided)
                    return makeError(ErrorCode::Format,
                                     "non-numeric value '" + std::string(cell) + "' in column '" + h.raw[f.column] +
                                         "'",
                                     at(path, lineNo, columnOf(line, cell)));
                f.ignored = true;
                v[s] = kNaN;
                data.warnings.push_back({at(path, lineNo, columnOf(line, cell)),
                                         "column '" + h.raw[f.column] + "' is not numeric (first value '" +
                                             std::string(trim(cell)) + "'); ignored"});
            }
        }
        if (v[volSlot] == 0.0f) {
            if (zeroVolumeLine == 0) zeroVolumeLine = lineNo;
            ++zeroVolume[static_cast<std::size_t>(lastInstId)];
            if (options.maskZeroVolume) std::fill(v, v + nSlots, kNaN);
        }
        const float o = v[openSlot], hi = v[highSlot], lo = v[lowSlot], cl = v[closeSlot];
        if (std::isfinite(o) && std::isfinite(hi) && std::isfinite(lo) && std::isfinite(cl) &&
            (hi < lo || hi < std::max(o, cl) || lo > std::min(o, cl))) {
            if (ohlcCount++ == 0) {
                ohlcLine = lineNo;
                ohlcExample = std::string(code) + " " + dates[static_cast<std::size_t>(lastDateId)].toString();
            }
        }
        rowDate.push_back(lastDateId);
        rowInst.push_back(lastInstId);
        rowLine.push_back(lineNo);
    }
    const std::size_t nRows = rowLine.size();
    if (nRows == 0) return makeError(ErrorCode::Format, "no data rows after the header", path);
    if (progress.stopRequested()) return makeError(ErrorCode::Canceled, "canceled after parsing", path);
    const ProgressSpan building = progress.sub(kParseEnd, 1.0);
    building.report(0.0, "building the panels");

    // Calendar and instruments sorted; temporary ids map to final indices.
    std::vector<int> dateOrder(dates.size());
    std::iota(dateOrder.begin(), dateOrder.end(), 0);
    std::sort(dateOrder.begin(), dateOrder.end(), [&](int a, int b) { return dates[a] < dates[b]; });
    std::vector<Date> calendar(dates.size());
    std::vector<int> tOf(dates.size());
    for (std::size_t k = 0; k < dateOrder.size(); ++k) {
        calendar[k] = dates[static_cast<std::size_t>(dateOrder[k])];
        tOf[static_cast<std::size_t>(dateOrder[k])] = static_cast<int>(k);
    }
    std::vector<int> instOrder(codes.size());
    std::iota(instOrder.begin(), instOrder.end(), 0);
    std::sort(instOrder.begin(), instOrder.end(), [&](int a, int b) { return codes[a] < codes[b]; });
    std::vector<int> iOf(codes.size());
    for (std::size_t k = 0; k < instOrder.size(); ++k) {
        data.instruments.emplace_back(codes[static_cast<std::size_t>(instOrder[k])]);
        iOf[static_cast<std::size_t>(instOrder[k])] = static_cast<int>(k);
    }
    data.calendar = Calendar(std::move(calendar));
    const int T = data.days(), N = data.instrumentCount();
    const std::size_t cellsTotal = static_cast<std::size_t>(T) * static_cast<std::size_t>(N);

    std::vector<int> kept;
    for (int s = 0; s < nSlots; ++s) {
        if (fieldCols[s].ignored) continue;
        if (!fieldCols[s].known && !fieldCols[s].decided) {
            data.warnings.push_back({path, "column '" + h.raw[fieldCols[s].column] + "' has no values; ignored"});
            continue;
        }
        kept.push_back(s);
    }
    std::vector<Panel> panels;
    panels.reserve(kept.size());
    for (std::size_t k = 0; k < kept.size(); ++k) panels.emplace_back(T, N);
    data.membership.assign(cellsTotal, 0);
    std::vector<std::int32_t> cellRow(cellsTotal, -1);
    for (std::size_t r = 0; r < nRows; ++r) {
        const std::size_t cell = static_cast<std::size_t>(tOf[static_cast<std::size_t>(rowDate[r])]) * N +
                                 static_cast<std::size_t>(iOf[static_cast<std::size_t>(rowInst[r])]);
        if (cellRow[cell] >= 0) {
            const std::size_t first = static_cast<std::size_t>(cellRow[cell]);
            return makeError(ErrorCode::Format,
                             "duplicate row for (" + dates[static_cast<std::size_t>(rowDate[r])].toString() + ", " +
                                 std::string(codes[static_cast<std::size_t>(rowInst[r])]) + "): lines " +
                                 std::to_string(rowLine[first]) + " and " + std::to_string(rowLine[r]),
                             at(path, rowLine[r]));
        }
        cellRow[cell] = static_cast<std::int32_t>(r);
        data.membership[cell] = 1;
        const float* v = values.data() + r * static_cast<std::size_t>(nSlots);
        for (std::size_t k = 0; k < kept.size(); ++k) panels[k].data()[cell] = v[kept[k]];
    }
    for (std::size_t k = 0; k < kept.size(); ++k)
        data.fields[fieldCols[static_cast<std::size_t>(kept[k])].name] =
            std::make_shared<const Panel>(std::move(panels[k]));
    if (progress.stopRequested()) return makeError(ErrorCode::Canceled, "canceled while building the panels", path);
    building.report(0.6, "building the panels");

    std::vector<std::pair<std::string, int>> zeroCounts;
    int zeroTotal = 0;
    for (std::size_t id = 0; id < codes.size(); ++id)
        if (zeroVolume[id] > 0) {
            zeroCounts.emplace_back(std::string(codes[id]), zeroVolume[id]);
            zeroTotal += zeroVolume[id];
        }
    if (zeroTotal > 0)
        data.warnings.push_back({at(path, zeroVolumeLine),
                                 std::string(kZeroVolumeWarning) + ": " + std::to_string(zeroTotal) + " rows in " +
                                     std::to_string(zeroCounts.size()) + " instruments (" + listCounts(zeroCounts) +
                                     ")" + (options.maskZeroVolume ? "; masked to NaN" : ""),
                                 zeroTotal});
    if (ohlcCount > 0)
        data.warnings.push_back({at(path, ohlcLine),
                                 "OHLC inconsistent in " + std::to_string(ohlcCount) +
                                     (ohlcCount == 1 ? " row" : " rows") +
                                     " (high < low, or high/low not bracketing open and close); first: " + ohlcExample,
                                 ohlcCount});
    data.source = path;
    data.universe = "all";
    addDataQualityWarnings(data); // close jumps; zero volume was reported above with its line
    building.report(1.0, "building the panels");
    return data;
}

} // namespace alphascope

#pragma once
// Loaders for long-format market CSV (one row per date and instrument) and instrument groups CSV.

#include "core/data/market_data.h"
#include "core/util/progress_span.h"
#include "core/util/result.h"

#include <string>
#include <string_view>
#include <vector>

namespace alphascope {

/// Options of loadLongCsv().
struct CsvOptions {
    bool maskZeroVolume = false; ///< zero-volume rows become NaN for all fields (the row stays a member)
};

/// Loads a long CSV (plain or .xz): date, instrument, open, high, low, close, volume (+ optional vwap,
/// amount, adj_close, factor, and any other numeric column as a field named after its lower-cased
/// header). Columns are found by header name, case-insensitively; ',' ';' or tab delimited.
/// Instruments are sorted by code, the calendar is the sorted union of dates, membership is 1 where
/// a row exists. Zero-volume rows, OHLC inconsistencies and suspicious close jumps are reported as
/// summarised warnings (LoadWarning with a count).
/// `progress` (a Feedback* or a share of one) sees reading / decompressing, parsing (fraction of the
/// bytes parsed) and building the panels as one 0..1; a cancel returns ErrorCode::Canceled within
/// a few thousand lines. Call off the GUI thread.
Result<MarketData> loadLongCsv(const std::string& path, const CsvOptions& options = {}, ProgressSpan progress = {});

/// Adds the groupings "sector" and, when the file has an industry-like column, "industry" from a
/// CSV with an instrument column (ticker/code/instrument/symbol/stock) and a sector column.
/// Instruments missing from the file get id -1 (warning); unknown tickers in the file are counted.
Result<void> loadGroupsCsv(MarketData& data, const std::string& path);

/// Writes `data` as a long CSV that loadLongCsv() reads back: date, instrument, then every field
/// (float precision, 9 significant digits); one row per member (day, instrument).
Result<void> writeLongCsv(const MarketData& data, const std::string& path);
/// Writes the fixed groupings as "instrument,<grouping>,..." that loadGroupsCsv() reads back (a
/// grouping that changes over time has no single column and is left out).
Result<void> writeGroupsCsv(const MarketData& data, const std::string& path);

/// Header normalisation used for column matching: trimmed, unquoted, lower-case, ' ' and '-' -> '_'.
std::string normaliseCsvHeader(std::string_view name);

/// Splits one CSV line into cells (RFC 4180 quotes without embedded newlines; quotes are removed,
/// an escaped "" stays doubled in the view). `cells` is reused to avoid allocations.
void splitCsvLine(std::string_view line, char delimiter, std::vector<std::string_view>& cells);

} // namespace alphascope

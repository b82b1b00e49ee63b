#pragma once
// The Qlib binary data layout: calendars/day.txt, instruments/<universe>.txt,
// features/<code>/<field>.day.bin.

#include "core/data/market_data.h"
#include "core/util/progress_span.h"
#include "core/util/result.h"

#include <string>
#include <vector>

namespace alphascope {

/// Options of loadQlib().
struct QlibOptions {
    std::string universe = "all";    ///< instruments/<universe>.txt
    std::vector<std::string> fields; ///< without '$'; empty = every *.day.bin found
};

/// Loads a Qlib folder. Instruments are the codes of the universe file (sorted, as written there);
/// membership is 1 inside their [start, end] intervals (inclusive). Each <field>.day.bin is little-endian
/// float32: the first value is the start index into the calendar, then one value per day.
/// `progress` (a Feedback* or a share of one) is polled per feature file and told the fraction of
/// files read; a cancel returns ErrorCode::Canceled. Call off the GUI thread.
Result<MarketData> loadQlib(const std::string& dir, const QlibOptions& options = {}, ProgressSpan progress = {});

/// Writes `data` as a Qlib folder: calendars/day.txt, instruments/all.txt (one line per contiguous
/// membership interval), features/<code lower-cased>/<field>.day.bin spanning each instrument's
/// first to last member day.
Result<void> writeQlib(const MarketData& data, const std::string& dir);

/// The universe names available in a Qlib folder (instruments/*.txt without extension), sorted.
std::vector<std::string> qlibUniverses(const std::string& dir);

} // namespace alphascope

#pragma once
// Chronological date splits (train / valid / test) with a label gap of at least the target horizon.

#include "core/data/market_data.h"
#include "core/util/result.h"

#include <optional>
#include <string>
#include <vector>

namespace alphascope {

/// One split: days [begin, end) of the calendar.
struct Split {
    std::string name;
    int begin = 0;
    int end = 0;
    Date first;
    Date last;

    int days() const { return end - begin; }
};

/// A split requested by dates (inclusive), as typed by a user: "2015-01-01:2017-12-31".
struct SplitRange {
    std::string name;
    Date start;
    Date end;
};

/// Parses "A:B" (dates in any form parseDate accepts).
Result<SplitRange> parseSplitRange(std::string name, std::string_view text);

/// Turns date ranges into day-index splits. The ranges must be given in chronological order
/// (train before valid before test) and must not overlap; a range without trading days is an
/// error. When the gap between consecutive splits is shorter than `horizon` days, the earlier
/// split is cut short so that its labels do not read into the next one (a warning says so).
Result<std::vector<Split>> makeSplits(const Calendar& calendar, const std::vector<SplitRange>& ranges, int horizon,
                                      std::vector<std::string>* warnings = nullptr);

/// Default splits over the data: the first `warmup` days are history only, the last `horizon`
/// days have no label; the rest is cut 70 / 15 / 15 % by days with `horizon` days left out between
/// consecutive splits.
std::vector<Split> defaultSplits(const Calendar& calendar, int horizon, int warmup = 60);

} // namespace alphascope

#pragma once
// MarketData: the loaded market panel (calendar, instruments, fields, membership, groups).

#include "core/data/date.h"
#include "core/data/panel.h"
#include "core/util/result.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace alphascope {

/// A non-fatal finding of a loader (rows skipped, zero-volume days, suspicious jumps, ...).
struct LoadWarning {
    std::string where; ///< file:line, file, or instrument/date
    std::string message;
    int count = 1; ///< how many occurrences this warning summarises
};

/// A partition of the instruments into named groups (sector, industry, a hierarchy level).
struct Grouping {
    std::string name;                ///< "sector", "industry", "h1", ...
    std::vector<std::string> labels; ///< label of each group id
    std::vector<int> ids;            ///< group id per instrument, -1 when unknown (the latest day's when time-varying)
    /// T x N group ids, day-major, when the partition changes over time (a hierarchy level refitted
    /// at each window end from data up to that day); empty for a fixed partition.
    std::vector<int> daily;

    int groupCount() const { return static_cast<int>(labels.size()); }
    bool timeVarying() const { return !daily.empty(); }
    /// The ids in effect on day t: one per instrument.
    const int* idsOn(int t) const {
        return daily.empty() ? ids.data() : daily.data() + static_cast<std::size_t>(t) * ids.size();
    }
    /// The ids group kernels take: N values (the same every day) or T x N.
    const std::vector<int>& kernelIds() const { return daily.empty() ? ids : daily; }
};

/// The trading calendar: strictly increasing dates.
class Calendar {
public:
    Calendar() = default;
    explicit Calendar(std::vector<Date> days) : m_days(std::move(days)) {}

    int size() const { return static_cast<int>(m_days.size()); }
    Date operator[](int t) const { return m_days[static_cast<std::size_t>(t)]; }
    const std::vector<Date>& days() const { return m_days; }
    /// Index of the exact date, or -1.
    int indexOf(Date d) const;
    /// Index of the first day >= d (size() when none).
    int lowerBound(Date d) const;
    /// Index of the last day <= d (-1 when none).
    int upperIndex(Date d) const;

private:
    std::vector<Date> m_days;
};

/// The market panel every computation reads. Fields are T x N float32, day-major; a value outside
/// the universe membership is NaN. Immutable once loaded; share it as shared_ptr<const MarketData>.
class MarketData {
public:
    Calendar calendar;
    std::vector<std::string> instruments;
    std::map<std::string, PanelPtr> fields; ///< by name without '$': "close", "volume", ...
    std::vector<std::uint8_t> membership;   ///< T x N, 1 = in the universe that day
    std::vector<Grouping> groupings;
    std::vector<LoadWarning> warnings;
    bool vwapDerived = false; ///< vwap was not in the source (ALGORITHMS.md §1)
    std::string vwapFormula;  ///< how it was derived, e.g. "(high+low+close)/3"
    std::string source;       ///< the path it came from
    std::string universe;     ///< universe name (Qlib) or "all"

    int days() const { return calendar.size(); }
    int instrumentCount() const { return static_cast<int>(instruments.size()); }
    /// The field by name (with or without '$'), or nullptr.
    const Panel* field(std::string_view name) const;
    bool hasField(std::string_view name) const { return field(name) != nullptr; }
    /// Field names sorted, without '$'.
    std::vector<std::string> fieldNames() const;
    /// The grouping by name, or nullptr.
    const Grouping* grouping(std::string_view name) const;
    /// Index of an instrument code, or -1.
    int instrumentIndex(std::string_view code) const;
    bool isMember(int t, int i) const {
        return membership.empty() || membership[static_cast<std::size_t>(t) * instruments.size() + i] != 0;
    }
    /// Share of (day, instrument) cells in the universe whose value of `field` is finite.
    double coverage(std::string_view field) const;
    /// Adds or replaces a grouping; ids.size() must equal instrumentCount().
    void setGrouping(Grouping g);
    /// Approximate memory held by the fields, in bytes.
    std::size_t bytes() const;

    /// The market on its first `days` days (clamped to days()) and on the instruments `chosen`
    /// (indices, in that order): fields, membership and groupings copied, calendar cut, source,
    /// universe and vwap notes kept, warnings dropped. Every formula the parser accepts outside a
    /// target looks only backwards, so on the kept days its values are those of the whole market
    /// (the searches evaluate on the days up to the end of training, the probe on a sample).
    std::shared_ptr<MarketData> slice(int days, const std::vector<int>& chosen) const;
    /// slice() of every instrument.
    std::shared_ptr<MarketData> leadingDays(int days) const;
};

} // namespace alphascope

#pragma once
// Calendar dates as yyyymmdd integers, with parsing and formatting.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace alphascope {

/// A calendar day stored as yyyymmdd (e.g. 20150112); ordered like the date.
struct Date {
    std::int32_t ymd = 0;

    int year() const { return ymd / 10000; }
    int month() const { return ymd / 100 % 100; }
    int day() const { return ymd % 100; }
    bool isValid() const;
    /// "YYYY-MM-DD".
    std::string toString() const;
    /// Days since 1970-01-01 (proleptic Gregorian).
    std::int64_t toDayNumber() const;
    static Date fromYmd(int y, int m, int d) { return Date{y * 10000 + m * 100 + d}; }

    auto operator<=>(const Date&) const = default;
};

/// Parses "YYYY-MM-DD", "YYYY/MM/DD", "YYYYMMDD", optionally followed by a time ("2015-01-12 00:00:00").
std::optional<Date> parseDate(std::string_view text);

} // namespace alphascope

#include "core/data/date.h"

#include <cstdio>

namespace alphascope {

namespace {
bool isLeap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}
int daysInMonth(int y, int m) {
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && isLeap(y) ? 29 : kDays[m - 1];
}
bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    int v = 0;
    for (std::size_t k = pos; k < pos + n; ++k) {
        if (s[k] < '0' || s[k] > '9') return false;
        v = v * 10 + (s[k] - '0');
    }
    out = v;
    return true;
}
} // namespace

bool Date::isValid() const {
    const int y = year(), m = month(), d = day();
    return y >= 1800 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

std::string Date::toString() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year(), month(), day());
    return buf;
}

std::int64_t Date::toDayNumber() const {
    // Howard Hinnant's days_from_civil.
    int y = year();
    const unsigned m = static_cast<unsigned>(month());
    const unsigned d = static_cast<unsigned>(day());
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::optional<Date> parseDate(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '"')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '"' || s.back() == '\r')) s.remove_suffix(1);
    int y = 0, m = 0, d = 0;
    std::size_t end = 0;
    if (digits(s, 0, 4, y) && s.size() >= 10 && (s[4] == '-' || s[4] == '/') && s[7] == s[4] && digits(s, 5, 2, m) &&
        digits(s, 8, 2, d)) {
        end = 10;
    } else if (digits(s, 0, 4, y) && digits(s, 4, 2, m) && digits(s, 6, 2, d)) {
        end = 8;
    } else {
        return std::nullopt;
    }
    if (end < s.size()) {
        // Only a time of day may follow: " 00:00:00", "T09:30", " 15:00:00.000".
        if (s[end] != ' ' && s[end] != 'T') return std::nullopt;
        const std::string_view time = s.substr(end + 1);
        int hh = 0, mm = 0, ss = 0;
        if (!digits(time, 0, 2, hh) || time.size() < 5 || time[2] != ':' || !digits(time, 3, 2, mm) || hh > 23 ||
            mm > 59)
            return std::nullopt;
        std::size_t k = 5;
        if (k < time.size() && time[k] == ':') {
            if (!digits(time, k + 1, 2, ss) || ss > 60) return std::nullopt;
            k += 3;
            if (k < time.size() && time[k] == '.') {
                ++k;
                while (k < time.size() && time[k] >= '0' && time[k] <= '9') ++k;
            }
        }
        if (k < time.size() && time[k] == 'Z') ++k;
        if (k != time.size()) return std::nullopt;
    }
    Date date = Date::fromYmd(y, m, d);
    if (!date.isValid()) return std::nullopt;
    return date;
}

} // namespace alphascope

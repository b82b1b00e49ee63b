#include "core/data/split.h"

#include <algorithm>

namespace alphascope {

Result<SplitRange> parseSplitRange(std::string name, std::string_view text) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos)
        return makeError(ErrorCode::InvalidArgument, "the " + name + " range '" + std::string(text) +
                                                         "' must be START:END, e.g. 2015-01-01:2017-12-31");
    auto a = parseDate(text.substr(0, colon));
    auto b = parseDate(text.substr(colon + 1));
    if (!a)
        return makeError(ErrorCode::InvalidArgument,
                         "bad start date '" + std::string(text.substr(0, colon)) + "' in the " + name + " range");
    if (!b)
        return makeError(ErrorCode::InvalidArgument,
                         "bad end date '" + std::string(text.substr(colon + 1)) + "' in the " + name + " range");
    if (*b < *a)
        return makeError(ErrorCode::InvalidArgument,
                         "the " + name + " range ends before it starts: " + std::string(text));
    return SplitRange{std::move(name), *a, *b};
}

Result<std::vector<Split>> makeSplits(const Calendar& cal, const std::vector<SplitRange>& ranges, int horizon,
                                      std::vector<std::string>* warnings) {
    std::vector<Split> out;
    for (const auto& r : ranges) {
        Split s;
        s.name = r.name;
        s.begin = cal.lowerBound(r.start);
        s.end = cal.upperIndex(r.end) + 1;
        if (s.end <= s.begin)
            return makeError(
                ErrorCode::InvalidArgument,
                "the " + r.name + " range " + r.start.toString() + ":" + r.end.toString() +
                    " holds no trading day of the data (" +
                    (cal.size() ? cal[0].toString() + " .. " + cal[cal.size() - 1].toString() : std::string("empty")) +
                    ")");
        s.first = cal[s.begin];
        s.last = cal[s.end - 1];
        out.push_back(s);
    }
    for (std::size_t k = 1; k < out.size(); ++k) {
        Split& prev = out[k - 1];
        const Split& next = out[k];
        if (next.begin < prev.end) {
            if (next.end <= prev.begin)
                return makeError(ErrorCode::InvalidArgument, "the " + next.name + " range (" + next.first.toString() +
                                                                 " .. " + next.last.toString() + ") comes before the " +
                                                                 prev.name + " range (" + prev.first.toString() +
                                                                 " .. " + prev.last.toString() +
                                                                 "); splits must be chronological");
            return makeError(ErrorCode::InvalidArgument, "the " + prev.name + " and " + next.name + " ranges overlap");
        }
        const int gap = next.begin - prev.end;
        if (gap < horizon) {
            // Purge: the last labels of `prev` would read returns inside `next`.
            const int newEnd = next.begin - horizon;
            if (newEnd <= prev.begin)
                return makeError(ErrorCode::InvalidArgument, "the " + prev.name + " range is shorter than the " +
                                                                 std::to_string(horizon) +
                                                                 "-day label gap it needs before " + next.name);
            prev.end = newEnd;
            prev.last = cal[newEnd - 1];
            if (warnings)
                warnings->push_back(prev.name + " ends on " + prev.last.toString() + ", " +
                                    std::to_string(horizon - gap) + " trading days earlier than asked, so that its " +
                                    std::to_string(horizon) + "-day labels do not read into " + next.name);
        }
    }
    return out;
}

std::vector<Split> defaultSplits(const Calendar& cal, int horizon, int warmup) {
    const int T = cal.size();
    const int first = std::min(std::max(warmup, 0), T);
    const int last = std::max(first, T - std::max(horizon, 0)); // exclusive: the last days have no label
    const int gaps = 2 * std::max(horizon, 0);
    const int usable = std::max(0, last - first - gaps);
    const int nTrain = usable * 70 / 100;
    const int nValid = usable * 15 / 100;
    const int nTest = usable - nTrain - nValid;
    std::vector<Split> out;
    int cursor = first;
    auto add = [&](const char* name, int n) {
        Split s;
        s.name = name;
        s.begin = cursor;
        s.end = cursor + n;
        if (n > 0) {
            s.first = cal[s.begin];
            s.last = cal[s.end - 1];
        }
        out.push_back(s);
        cursor = s.end + std::max(horizon, 0);
    };
    add("train", nTrain);
    add("valid", nValid);
    add("test", nTest);
    return out;
}

} // namespace alphascope

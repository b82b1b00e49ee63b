#include "core/data/market_data.h"

#include <algorithm>
#include <numeric>

namespace alphascope {

int Calendar::indexOf(Date d) const {
    auto it = std::lower_bound(m_days.begin(), m_days.end(), d);
    return it != m_days.end() && *it == d ? static_cast<int>(it - m_days.begin()) : -1;
}

int Calendar::lowerBound(Date d) const {
    return static_cast<int>(std::lower_bound(m_days.begin(), m_days.end(), d) - m_days.begin());
}

int Calendar::upperIndex(Date d) const {
    return static_cast<int>(std::upper_bound(m_days.begin(), m_days.end(), d) - m_days.begin()) - 1;
}

const Panel* MarketData::field(std::string_view name) const {
    if (!name.empty() && name.front() == '$') name.remove_prefix(1);
    auto it = fields.find(std::string(name));
    return it == fields.end() ? nullptr : it->second.get();
}

std::vector<std::string> MarketData::fieldNames() const {
    std::vector<std::string> names;
    for (const auto& [k, v] : fields) names.push_back(k);
    return names;
}

const Grouping* MarketData::grouping(std::string_view name) const {
    for (const auto& g : groupings)
        if (g.name == name) return &g;
    return nullptr;
}

int MarketData::instrumentIndex(std::string_view code) const {
    for (std::size_t i = 0; i < instruments.size(); ++i)
        if (instruments[i] == code) return static_cast<int>(i);
    return -1;
}

double MarketData::coverage(std::string_view name) const {
    const Panel* p = field(name);
    if (!p) return 0.0;
    std::size_t members = 0, valid = 0;
    for (int t = 0; t < p->days(); ++t)
        for (int i = 0; i < p->instruments(); ++i) {
            if (!isMember(t, i)) continue;
            ++members;
            if (std::isfinite(p->at(t, i))) ++valid;
        }
    return members ? static_cast<double>(valid) / static_cast<double>(members) : 0.0;
}

void MarketData::setGrouping(Grouping g) {
    for (auto& existing : groupings)
        if (existing.name == g.name) {
            existing = std::move(g);
            return;
        }
    groupings.push_back(std::move(g));
}

std::size_t MarketData::bytes() const {
    std::size_t total = membership.size();
    for (const auto& [k, v] : fields) total += v->bytes();
    return total;
}

std::shared_ptr<MarketData> MarketData::slice(int days, const std::vector<int>& chosen) const {
    days = std::clamp(days, 0, this->days());
    const std::vector<int>& keep = chosen;
    const int m = static_cast<int>(keep.size());
    bool everyInstrument = m == instrumentCount();
    for (int j = 0; j < m && everyInstrument; ++j) everyInstrument = keep[static_cast<std::size_t>(j)] == j;

    auto out = std::make_shared<MarketData>();
    out->calendar = Calendar(std::vector<Date>(calendar.days().begin(), calendar.days().begin() + days));
    for (int i : keep) out->instruments.push_back(instruments[static_cast<std::size_t>(i)]);
    for (const auto& [name, panel] : fields) {
        auto p = std::make_shared<Panel>(days, m, Uninitialized{});
        for (int t = 0; t < days; ++t) {
            const float* src = panel->row(t);
            float* dst = p->row(t);
            if (everyInstrument)
                std::copy(src, src + m, dst);
            else
                for (int j = 0; j < m; ++j) dst[j] = src[keep[static_cast<std::size_t>(j)]];
        }
        out->fields.emplace(name, std::move(p));
    }
    if (!membership.empty()) {
        out->membership.resize(static_cast<std::size_t>(days) * static_cast<std::size_t>(m));
        for (int t = 0; t < days; ++t)
            for (int j = 0; j < m; ++j)
                out->membership[static_cast<std::size_t>(t) * static_cast<std::size_t>(m) +
                                static_cast<std::size_t>(j)] = isMember(t, keep[static_cast<std::size_t>(j)]) ? 1 : 0;
    }
    for (const Grouping& g : groupings) {
        Grouping s{g.name, g.labels, {}, {}};
        for (int i : keep) s.ids.push_back(g.ids[static_cast<std::size_t>(i)]);
        if (g.timeVarying()) {
            s.daily.reserve(static_cast<std::size_t>(days) * keep.size());
            for (int t = 0; t < days; ++t)
                for (int i : keep) s.daily.push_back(g.idsOn(t)[i]);
            // `ids` is the latest day's: the slice's last day, not a later fit.
            if (days > 0)
                s.ids.assign(s.daily.end() - static_cast<std::ptrdiff_t>(keep.size()), s.daily.end());
            else
                s.ids.assign(keep.size(), -1);
        }
        out->groupings.push_back(std::move(s));
    }
    out->vwapDerived = vwapDerived;
    out->vwapFormula = vwapFormula;
    out->source = source;
    out->universe = universe;
    return out;
}

std::shared_ptr<MarketData> MarketData::leadingDays(int days) const {
    std::vector<int> all(instruments.size());
    std::iota(all.begin(), all.end(), 0);
    return slice(days, all);
}

} // namespace alphascope

#include "core/data/market_data.h"

#include <algorithm>

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

} // namespace alphascope

#include "core/eval/universe_mask.h"

#include "core/util/simd.h"

#include <algorithm>

namespace alphascope {
namespace {

/// d[i] = NaN where the instrument is out of the universe: an unconditional select, so that the loop
/// vectorises (a conditional store does not).
ALPHASCOPE_SIMD_CLONES
void maskCells(float* d, const std::uint8_t* member, int n) {
    for (int i = 0; i < n; ++i) d[i] = member[i] ? d[i] : kNaN;
}

} // namespace

UniverseMask::UniverseMask(const std::vector<std::uint8_t>& membership, int days, int instruments) {
    const auto n = static_cast<std::size_t>(std::max(0, instruments));
    if (membership.empty() || membership.size() != static_cast<std::size_t>(std::max(0, days)) * n) return;
    m_days = days;
    m_instruments = instruments;
    m_cells = static_cast<std::size_t>(std::count(membership.begin(), membership.end(), std::uint8_t(0)));
    if (m_cells == 0) return;
    if (m_cells > membership.size() / 8) {
        m_member = membership;
        return;
    }
    // Runs per instrument, found row by row (the membership is day-major), then laid out by instrument.
    std::vector<std::vector<Run>> byInstrument(n);
    std::vector<int> openSince(n, -1);
    for (int t = 0; t <= days; ++t) {
        const std::uint8_t* row = t < days ? membership.data() + static_cast<std::size_t>(t) * n : nullptr;
        for (std::size_t i = 0; i < n; ++i) {
            const bool outside = row && !row[i];
            if (outside && openSince[i] < 0) {
                openSince[i] = t;
            } else if (!outside && openSince[i] >= 0) {
                byInstrument[i].push_back(Run{openSince[i], t});
                openSince[i] = -1;
            }
        }
    }
    m_first.resize(n + 1, 0);
    for (std::size_t i = 0; i < n; ++i) {
        m_first[i + 1] = m_first[i] + byInstrument[i].size();
        m_runs.insert(m_runs.end(), byInstrument[i].begin(), byInstrument[i].end());
    }
}

void UniverseMask::apply(Panel& out, int firstDay, int lastDay, int first, int last) const {
    if (m_cells == 0 || out.days() != m_days || out.instruments() != m_instruments) return;
    firstDay = std::max(firstDay, 0);
    lastDay = std::min(lastDay, m_days);
    first = std::max(first, 0);
    last = std::min(last, m_instruments);
    if (!m_member.empty()) {
        for (int t = firstDay; t < lastDay; ++t)
            maskCells(out.row(t) + first, m_member.data() + static_cast<std::size_t>(t) * m_instruments + first,
                      last - first);
        return;
    }
    for (int i = first; i < last; ++i) {
        for (std::size_t r = m_first[i]; r < m_first[i + 1]; ++r) {
            const Run run = m_runs[r];
            if (run.begin >= lastDay) break; // runs are in day order
            for (int t = std::max(run.begin, firstDay); t < std::min(run.end, lastDay); ++t) out.at(t, i) = kNaN;
        }
    }
}

} // namespace alphascope

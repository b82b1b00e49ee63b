#pragma once
// UniverseMask: the cells outside the universe membership, kept so that a kernel can set them to
// NaN block by block while its output is still in the worker's cache.

#include "core/data/panel.h"

#include <cstdint>
#include <vector>

namespace alphascope {

class UniverseMask {
public:
    UniverseMask() = default;
    /// From a day-major T x N membership (1 = in the universe); empty membership = no cell outside.
    UniverseMask(const std::vector<std::uint8_t>& membership, int days, int instruments);

    /// True when every cell is in the universe.
    bool empty() const { return m_cells == 0; }
    /// Cells outside the universe.
    std::size_t cellsOutside() const { return m_cells; }

    /// Sets the cells outside the universe among days [firstDay, lastDay) and instruments
    /// [first, last) of `out` (a panel of the mask's shape) to NaN.
    void apply(Panel& out, int firstDay, int lastDay, int first, int last) const;
    /// Sets every cell outside the universe to NaN.
    void apply(Panel& out) const { apply(out, 0, out.days(), 0, out.instruments()); }

private:
    struct Run {
        int begin = 0; ///< first day outside
        int end = 0;   ///< one past the last
    };
    int m_days = 0;
    int m_instruments = 0;
    std::size_t m_cells = 0;
    /// Few cells outside (the US sample: 2.7 %): runs of days per instrument, so that masking writes
    /// only those cells; instrument i's are m_runs[m_first[i], m_first[i + 1]).
    std::vector<std::size_t> m_first;
    std::vector<Run> m_runs;
    /// Many (a universe of 300 among 800 instruments): the membership itself, for a select over
    /// every cell that vectorises, where strided writes down the columns would not.
    std::vector<std::uint8_t> m_member;
};

} // namespace alphascope

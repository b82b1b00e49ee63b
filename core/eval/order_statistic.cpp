#include "core/eval/order_statistic.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace alphascope {
namespace {

/// Maps a float to an unsigned key with the same order (sign-magnitude to offset binary).
std::uint32_t orderedBits(float v) {
    if (v == 0.0f) v = 0.0f; // -0 and +0 compare equal, so they must share a rank
    const auto u = std::bit_cast<std::uint32_t>(v);
    return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}

/// Sorts keys by their upper 32 bits (the value), LSD radix by bytes: O(n), and a pass is skipped
/// when every key has the same byte there (prices share their top bytes).
void radixSortByValue(std::vector<std::uint64_t>& keys, std::vector<std::uint64_t>& scratch) {
    std::size_t counts[4][256] = {};
    for (std::uint64_t k : keys)
        for (int b = 0; b < 4; ++b) ++counts[b][(k >> (32 + 8 * b)) & 0xffu];
    scratch.resize(keys.size());
    for (int b = 0; b < 4; ++b) {
        std::size_t* count = counts[b];
        if (!keys.empty() && count[(keys[0] >> (32 + 8 * b)) & 0xffu] == keys.size()) continue;
        std::size_t offset = 0;
        for (int d = 0; d < 256; ++d) {
            const std::size_t c = count[d];
            count[d] = offset;
            offset += c;
        }
        for (std::uint64_t k : keys) scratch[count[(k >> (32 + 8 * b)) & 0xffu]++] = k;
        keys.swap(scratch);
    }
}

} // namespace

void OrderStatistic::reset(const float* series, int days, bool withSums) {
    m_rankOfDay.assign(static_cast<std::size_t>(std::max(days, 0)), -1);
    m_keys.clear();
    for (int t = 0; t < days; ++t) {
        if (std::isfinite(series[t]))
            m_keys.push_back((static_cast<std::uint64_t>(orderedBits(series[t])) << 32) | std::uint32_t(t));
    }
    // One sort of (value, day) keys ranks the whole series; equal values are adjacent.
    radixSortByValue(m_keys, m_scratch);
    m_values.clear();
    std::uint64_t previous = 0;
    for (std::size_t k = 0; k < m_keys.size(); ++k) {
        const std::uint64_t bits = m_keys[k] >> 32;
        const int day = static_cast<int>(m_keys[k] & 0xffffffffu);
        if (k == 0 || bits != previous) {
            m_values.push_back(series[day] == 0.0f ? 0.0 : static_cast<double>(series[day]));
            previous = bits;
        }
        m_rankOfDay[static_cast<std::size_t>(day)] = static_cast<int>(m_values.size()) - 1;
    }
    const std::size_t size = m_values.size() + 1;
    m_count.assign(size, 0);
    if (withSums)
        m_sum.assign(size, 0.0);
    else
        m_sum.clear();
    m_topBit = m_values.empty() ? 0 : static_cast<int>(std::bit_floor(m_values.size()));
}

void OrderStatistic::update(int rank, int delta) {
    const std::size_t size = m_count.size();
    if (m_sum.empty()) {
        for (std::size_t i = static_cast<std::size_t>(rank) + 1; i < size; i += i & (~i + 1)) m_count[i] += delta;
    } else {
        const double v = delta * m_values[static_cast<std::size_t>(rank)];
        for (std::size_t i = static_cast<std::size_t>(rank) + 1; i < size; i += i & (~i + 1)) {
            m_count[i] += delta;
            m_sum[i] += v;
        }
    }
}

int OrderStatistic::countBelow(int rank) const {
    int c = 0;
    for (std::size_t i = static_cast<std::size_t>(rank); i > 0; i &= i - 1) c += m_count[i];
    return c;
}

double OrderStatistic::sumBelow(int rank) const {
    double s = 0.0;
    for (std::size_t i = static_cast<std::size_t>(rank); i > 0; i &= i - 1) s += m_sum[i];
    return s;
}

int OrderStatistic::kth(int k) const {
    // Fenwick descent: the largest prefix holding at most k values ends just before the answer.
    int pos = 0;
    int remaining = k + 1;
    const int size = static_cast<int>(m_count.size());
    for (int step = m_topBit; step > 0; step >>= 1) {
        if (pos + step < size && m_count[static_cast<std::size_t>(pos + step)] < remaining) {
            pos += step;
            remaining -= m_count[static_cast<std::size_t>(pos)];
        }
    }
    return pos;
}

int OrderStatistic::ranksAtMost(double v) const {
    return static_cast<int>(std::upper_bound(m_values.begin(), m_values.end(), v) - m_values.begin());
}

} // namespace alphascope

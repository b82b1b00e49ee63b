#pragma once
// Average ranks of float32 values in O(n): the one ranking routine behind Rank IC, CSRank and
// GroupRank.

#include <cstdint>
#include <vector>

namespace alphascope {

/// Scratch buffers for averageRanks() and percentRanks(); keep one per thread and reuse it.
struct RankWorkspace {
    std::vector<std::uint64_t> items, items2;                   ///< order-preserving key << 32 | position
    std::vector<std::uint16_t> bucketOf;                        ///< each item's bucket (up to 8,192 items)
    std::vector<std::uint32_t> bucketStart;                     ///< each bucket's slots (two halves), then scratch
    std::vector<std::uint32_t> groupCells, groupSeen, groupTie; ///< percentRanks with groups: per group
    std::vector<double> groupScale;                             ///< 1 / each group's cell count
    std::vector<std::uint32_t> keys;                            ///< percentRanks: each cell's key
};

/// ranks[i] = the 1-based rank of values[i] among values[0..n), ties sharing the mean of their
/// ranks (pandas rank(method="average")). Values must be finite; -0 and +0 are equal. Sorts the
/// order-preserving bit pattern of the floats, carried with each value's position in one 64-bit
/// word: up to 8,192 values by one counting scatter into buckets monotone in the value and an
/// insertion sort within them (an LSD radix sort finishes when the values crowd into a few
/// buckets), more by an LSD radix sort of 4 passes of 8 bits.
void averageRanks(const float* values, int n, double* ranks, RankWorkspace& ws);

/// One day of CSRank / GroupRank, straight from a panel row: out[i] = float(averageRank / count)
/// over the row's finite values, NaN where row[i] is not finite. With `groups` (one id per
/// instrument in [0, groupCount), or -1 for none), ranks and counts are taken within each group
/// and instruments without a group get NaN. The same values as averageRanks over the compacted
/// values (one sort, no copies in double). The rank is multiplied by 1 / count rather than
/// divided by count: for counts below 2^24 the float of either double is the float of the exact
/// quotient, so the bits are the same (tests/core/util/tst_ranking.cpp checks every count to 8,192).
void percentRanks(const float* row, int n, float* out, RankWorkspace& ws, const int* groups = nullptr,
                  int groupCount = 0);

} // namespace alphascope

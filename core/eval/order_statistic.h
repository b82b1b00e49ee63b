#pragma once
// OrderStatistic: rank, k-th smallest and partial sums over a sliding multiset of one series'
// values, O(log T) per operation whatever the window.

#include <cstdint>
#include <vector>

namespace alphascope {

/// Order statistics of a window sliding over one series: the series' finite values are ranked once
/// (one radix sort), then a Fenwick tree over the ranks holds the counts (and sums) of the window's values.
/// Reusable across series; not thread-safe (use one per thread).
class OrderStatistic {
public:
    /// Ranks the finite values of `series` (length `days`) and empties the window; `withSums` also
    /// keeps sums of values for sumBelow().
    void reset(const float* series, int days, bool withSums);

    /// Dense rank (0-based, equal values share it) of the value on `day`, or -1 when not finite.
    int rankOf(int day) const { return m_rankOfDay[static_cast<std::size_t>(day)]; }
    /// The value of a dense rank.
    double value(int rank) const { return m_values[static_cast<std::size_t>(rank)]; }
    /// Number of distinct finite values in the series.
    int distinct() const { return static_cast<int>(m_values.size()); }

    /// Adds the value of `day` (which must be finite) to the window.
    void insert(int day) { update(rankOf(day), 1); }
    /// Removes the value of `day` (which must be in the window) from the window.
    void erase(int day) { update(rankOf(day), -1); }

    /// Number of window values with a dense rank below `rank` (rank may be distinct()).
    int countBelow(int rank) const;
    /// Sum of the window values with a dense rank below `rank` (needs withSums).
    double sumBelow(int rank) const;
    /// Dense rank of the k-th smallest window value (k is 0-based and < the window's size).
    int kth(int k) const;
    /// Number of distinct values <= v (the first rank whose value exceeds v).
    int ranksAtMost(double v) const;

private:
    void update(int rank, int delta);

    std::vector<double> m_values; // distinct finite values, ascending
    std::vector<int> m_rankOfDay;
    std::vector<int> m_count;             // Fenwick tree, 1-based
    std::vector<double> m_sum;            // Fenwick tree of sums, 1-based (empty without sums)
    std::vector<std::uint64_t> m_keys;    // (value bits, day) sort keys
    std::vector<std::uint64_t> m_scratch; // radix sort buffer
    int m_topBit = 0;
};

} // namespace alphascope

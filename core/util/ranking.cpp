#include "core/util/ranking.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>

namespace alphascope {

namespace {

// Maps a float to an unsigned key with the same order: flip all bits of negatives, the sign bit of
// the others. -0 is read as +0 first, so equal values are exactly equal keys.
inline std::uint32_t orderedKey(float f) {
    f += 0.0f; // -0 + 0 = +0
    std::uint32_t u;
    std::memcpy(&u, &f, sizeof u);
    return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}

constexpr int kSmall = 48; // below this, insertion sort beats four radix passes

using Counts = std::array<std::array<std::uint32_t, 256>, 4>;

inline void countKey(Counts& counts, std::uint32_t k) {
    ++counts[0][k & 0xFFu];
    ++counts[1][(k >> 8) & 0xFFu];
    ++counts[2][(k >> 16) & 0xFFu];
    ++counts[3][k >> 24];
}

// Sorts the n items of ws.items by key, stably (equal keys keep their order); `counts` holds the
// histograms of the keys' four bytes (filled when n >= kSmall). Returns the sorted buffer (items
// or items2).
std::uint64_t* sortItems(RankWorkspace& ws, int n, Counts& counts) {
    std::uint64_t* a = ws.items.data();
    if (n < kSmall) {
        for (int i = 1; i < n; ++i) {
            const std::uint64_t v = a[i];
            int j = i - 1;
            while (j >= 0 && a[j] > v) {
                a[j + 1] = a[j];
                --j;
            }
            a[j + 1] = v;
        }
        return a;
    }
    ws.items2.resize(ws.items.size());
    std::uint64_t* b = ws.items2.data();
    const auto first = static_cast<std::uint32_t>(a[0] >> 32);
    for (int pass = 0; pass < 4; ++pass) {
        auto& c = counts[static_cast<std::size_t>(pass)];
        const int shift = 8 * pass;
        if (c[(first >> shift) & 0xFFu] == static_cast<std::uint32_t>(n)) continue; // all share this byte
        std::uint32_t sum = 0;
        for (auto& v : c) {
            const std::uint32_t here = v;
            v = sum;
            sum += here;
        }
        for (int i = 0; i < n; ++i) b[c[(a[i] >> (32 + shift)) & 0xFFu]++] = a[i]; // stable scatter
        std::swap(a, b);
    }
    return a;
}

// Calls fn(first, last, rank) for each run of equal keys in sorted items [0, n), with the mean of
// the run's 1-based ranks.
template <class Fn> inline void forEachTie(const std::uint64_t* a, int n, Fn&& fn) {
    int i = 0;
    while (i < n) {
        const std::uint64_t key = a[i] >> 32;
        int j = i + 1;
        while (j < n && (a[j] >> 32) == key) ++j;
        fn(i, j, 0.5 * static_cast<double>(i + 1 + j)); // mean of the 1-based ranks i+1..j
        i = j;
    }
}

} // namespace

void averageRanks(const float* values, int n, double* ranks, RankWorkspace& ws) {
    if (n <= 0) return;
    ws.items.resize(static_cast<std::size_t>(n));
    std::uint64_t* a = ws.items.data();
    Counts counts{};
    for (int i = 0; i < n; ++i) {
        const std::uint32_t k = orderedKey(values[i]);
        a[i] = (std::uint64_t(k) << 32) | std::uint32_t(i);
        if (n >= kSmall) countKey(counts, k);
    }
    a = sortItems(ws, n, counts);
    forEachTie(a, n, [&](int first, int last, double rank) {
        for (int k = first; k < last; ++k) ranks[static_cast<std::uint32_t>(a[k])] = rank;
    });
}

void percentRanks(const float* row, int n, float* out, RankWorkspace& ws, const int* groups, int groupCount) {
    if (n <= 0) return;
    constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
    ws.items.resize(static_cast<std::size_t>(n));
    std::uint64_t* a = ws.items.data();
    int m = 0;
    for (int i = 0; i < n; ++i) { // the finite (and grouped) cells, in instrument order
        out[i] = kNaN;
        const float v = row[i];
        if (std::fabs(v) <= std::numeric_limits<float>::max() && (!groups || groups[i] >= 0))
            a[m++] = (std::uint64_t(orderedKey(v)) << 32) | std::uint32_t(i);
    }
    if (m == 0) return;
    Counts counts{};
    if (m >= kSmall)
        for (int k = 0; k < m; ++k) countKey(counts, static_cast<std::uint32_t>(a[k] >> 32));
    a = sortItems(ws, m, counts);
    const auto write = [&](const std::uint64_t* s, int count) {
        const double scale = static_cast<double>(count);
        forEachTie(s, count, [&](int first, int last, double rank) {
            const float p = static_cast<float>(rank / scale);
            for (int k = first; k < last; ++k) out[static_cast<std::uint32_t>(s[k])] = p;
        });
    };
    if (!groups) {
        write(a, m);
        return;
    }
    // A stable counting pass by group keeps each group's cells in value order.
    auto& start = ws.groupStart;
    start.assign(static_cast<std::size_t>(groupCount) + 1, 0);
    for (int k = 0; k < m; ++k) ++start[static_cast<std::size_t>(groups[static_cast<std::uint32_t>(a[k])]) + 1];
    for (int g = 0; g < groupCount; ++g) start[static_cast<std::size_t>(g) + 1] += start[static_cast<std::size_t>(g)];
    std::uint64_t* b = a == ws.items.data() ? (ws.items2.resize(ws.items.size()), ws.items2.data()) : ws.items.data();
    auto& next = ws.groupNext;
    next.assign(start.begin(), start.end() - 1);
    for (int k = 0; k < m; ++k) b[next[static_cast<std::size_t>(groups[static_cast<std::uint32_t>(a[k])])]++] = a[k];
    for (int g = 0; g < groupCount; ++g) {
        const std::uint32_t first = start[static_cast<std::size_t>(g)], last = start[static_cast<std::size_t>(g) + 1];
        if (last > first) write(b + first, static_cast<int>(last - first));
    }
}

} // namespace alphascope

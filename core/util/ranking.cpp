#include "core/util/ranking.h"

#include <algorithm>
#include <array>
#include <cstring>

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

} // namespace

void averageRanks(const float* values, int n, double* ranks, RankWorkspace& ws) {
    if (n <= 0) return;
    const auto un = static_cast<std::size_t>(n);
    ws.items.resize(un);
    std::uint64_t* a = ws.items.data();
    for (int i = 0; i < n; ++i) a[i] = (std::uint64_t(orderedKey(values[i])) << 32) | std::uint32_t(i);
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
    } else {
        ws.items2.resize(un);
        std::uint64_t* b = ws.items2.data();
        std::array<std::array<std::uint32_t, 256>, 4> counts{};
        for (int i = 0; i < n; ++i) {
            const auto k = static_cast<std::uint32_t>(a[i] >> 32);
            ++counts[0][k & 0xFFu];
            ++counts[1][(k >> 8) & 0xFFu];
            ++counts[2][(k >> 16) & 0xFFu];
            ++counts[3][k >> 24];
        }
        for (int pass = 0; pass < 4; ++pass) {
            auto& c = counts[static_cast<std::size_t>(pass)];
            if (*std::max_element(c.begin(), c.end()) == static_cast<std::uint32_t>(n)) continue; // all share this byte
            std::uint32_t sum = 0;
            for (auto& v : c) {
                const std::uint32_t here = v;
                v = sum;
                sum += here;
            }
            const int shift = 32 + 8 * pass;
            for (int i = 0; i < n; ++i) b[c[(a[i] >> shift) & 0xFFu]++] = a[i]; // stable scatter
            std::swap(a, b);
        }
    }
    int i = 0;
    while (i < n) {
        const std::uint64_t key = a[i] >> 32;
        int j = i + 1;
        while (j < n && (a[j] >> 32) == key) ++j;
        const double rank = 0.5 * static_cast<double>(i + 1 + j); // mean of the 1-based ranks i+1..j
        for (int k = i; k < j; ++k) ranks[static_cast<std::uint32_t>(a[k])] = rank;
        i = j;
    }
}

} // namespace alphascope

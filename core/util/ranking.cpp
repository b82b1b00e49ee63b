#include "core/util/ranking.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace alphascope {

namespace {

// Maps a float to an unsigned key with the same order: flip all bits of negatives, the sign bit of
// the others. -0 and +0 get neighbouring keys; equality is decided on the values afterwards.
inline std::uint32_t orderedKey(float f) {
    std::uint32_t u;
    std::memcpy(&u, &f, sizeof u);
    return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}

constexpr int kSmall = 48; // below this, insertion sort beats four radix passes

} // namespace

void averageRanks(const float* values, int n, double* ranks, RankWorkspace& ws) {
    if (n <= 0) return;
    const auto un = static_cast<std::size_t>(n);
    ws.keys.resize(un);
    ws.index.resize(un);
    for (int i = 0; i < n; ++i) {
        ws.keys[static_cast<std::size_t>(i)] = orderedKey(values[i]);
        ws.index[static_cast<std::size_t>(i)] = i;
    }
    if (n < kSmall) {
        for (int i = 1; i < n; ++i) {
            const std::uint32_t k = ws.keys[static_cast<std::size_t>(i)];
            const std::int32_t x = ws.index[static_cast<std::size_t>(i)];
            int j = i - 1;
            while (j >= 0 && ws.keys[static_cast<std::size_t>(j)] > k) {
                ws.keys[static_cast<std::size_t>(j + 1)] = ws.keys[static_cast<std::size_t>(j)];
                ws.index[static_cast<std::size_t>(j + 1)] = ws.index[static_cast<std::size_t>(j)];
                --j;
            }
            ws.keys[static_cast<std::size_t>(j + 1)] = k;
            ws.index[static_cast<std::size_t>(j + 1)] = x;
        }
    } else {
        ws.keys2.resize(un);
        ws.index2.resize(un);
        std::array<std::array<std::uint32_t, 256>, 4> counts{};
        for (std::uint32_t k : ws.keys)
            for (int pass = 0; pass < 4; ++pass) ++counts[static_cast<std::size_t>(pass)][(k >> (8 * pass)) & 0xFFu];
        for (int pass = 0; pass < 4; ++pass) {
            auto& c = counts[static_cast<std::size_t>(pass)];
            if (*std::max_element(c.begin(), c.end()) == static_cast<std::uint32_t>(n)) continue; // all share this byte
            std::uint32_t sum = 0;
            for (auto& v : c) {
                const std::uint32_t here = v;
                v = sum;
                sum += here;
            }
            const int shift = 8 * pass;
            for (std::size_t i = 0; i < un; ++i) { // stable scatter
                const std::uint32_t k = ws.keys[i];
                const std::uint32_t pos = c[(k >> shift) & 0xFFu]++;
                ws.keys2[pos] = k;
                ws.index2[pos] = ws.index[i];
            }
            ws.keys.swap(ws.keys2);
            ws.index.swap(ws.index2);
        }
    }
    int i = 0;
    while (i < n) {
        const float v = values[ws.index[static_cast<std::size_t>(i)]];
        int j = i + 1;
        while (j < n && values[ws.index[static_cast<std::size_t>(j)]] == v) ++j;
        const double rank = 0.5 * static_cast<double>(i + 1 + j); // mean of the 1-based ranks i+1..j
        for (int k = i; k < j; ++k) ranks[ws.index[static_cast<std::size_t>(k)]] = rank;
        i = j;
    }
}

} // namespace alphascope

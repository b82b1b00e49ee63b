#include "core/util/random.h"

#include <cassert>
#include <cmath>

namespace alphascope {

double uniform01(std::mt19937_64& rng) {
    return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

std::uint64_t uniformInt(std::mt19937_64& rng, std::uint64_t n) {
    assert(n >= 1);
    // x * n / 2^64 for a 64-bit x lands in [0, n); the 2^64 mod n low halves that would make some
    // results one draw more likely than others are rejected (Lemire 2019, algorithm 5).
    unsigned __int128 m = static_cast<unsigned __int128>(rng()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
        const std::uint64_t threshold = (0 - n) % n; // 2^64 mod n
        while (low < threshold) {
            m = static_cast<unsigned __int128>(rng()) * n;
            low = static_cast<std::uint64_t>(m);
        }
    }
    return static_cast<std::uint64_t>(m >> 64);
}

double normal(std::mt19937_64& rng) {
    // A point uniform in the unit disc (about 79% of the square's draws); 0 is refused for the log.
    for (;;) {
        const double u = 2.0 * uniform01(rng) - 1.0;
        const double v = 2.0 * uniform01(rng) - 1.0;
        const double s = u * u + v * v;
        if (s > 0.0 && s < 1.0) return u * std::sqrt(-2.0 * std::log(s) / s);
    }
}

double gamma(std::mt19937_64& rng, double alpha) {
    assert(alpha > 0.0);
    if (alpha < 1.0) {
        // Gamma(alpha) = Gamma(alpha + 1) * U^(1/alpha); U in (0, 1] so that the result is never 0
        // by the uniform alone.
        const double u = 1.0 - uniform01(rng);
        return gamma(rng, alpha + 1.0) * std::pow(u, 1.0 / alpha);
    }
    const double d = alpha - 1.0 / 3.0;
    const double c = 1.0 / std::sqrt(9.0 * d);
    for (;;) {
        double x = 0.0, v = 0.0;
        do {
            x = normal(rng);
            v = 1.0 + c * x;
        } while (v <= 0.0);
        v = v * v * v;
        const double u = 1.0 - uniform01(rng); // (0, 1]: log(u) is finite
        const double x2 = x * x;
        // The squeeze accepts about 98% without a log; the exact test decides the rest.
        if (u < 1.0 - 0.0331 * x2 * x2) return d * v;
        if (std::log(u) < 0.5 * x2 + d * (1.0 - v + std::log(v))) return d * v;
    }
}

namespace {

template <class W>
std::size_t discreteOf(std::mt19937_64& rng, std::span<const W> weights) {
    assert(!weights.empty());
    double total = 0.0;
    for (W w : weights) total += static_cast<double>(w);
    if (!(total > 0.0)) return static_cast<std::size_t>(uniformInt(rng, weights.size()));
    double u = uniform01(rng) * total;
    // The last positive weight catches the rounding of u against the partial sums.
    std::size_t chosen = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        const double w = static_cast<double>(weights[i]);
        if (!(w > 0.0)) continue;
        chosen = i;
        u -= w;
        if (u < 0.0) break;
    }
    return chosen;
}

} // namespace

std::size_t discrete(std::mt19937_64& rng, std::span<const double> weights) {
    return discreteOf(rng, weights);
}

std::size_t discrete(std::mt19937_64& rng, std::span<const float> weights) {
    return discreteOf(rng, weights);
}

} // namespace alphascope

#pragma once
// The one place core draws random numbers from (CODE-REVIEW.md point 7). std::mt19937_64's output
// is fixed by the standard, but the std::*_distribution algorithms are not, so a seed gave other
// runs with another standard library; these functions are written out and give the same values
// everywhere (up to the last bit of std::log / std::sqrt). Each call takes the engine it draws
// from: one engine per search (or learner), never a shared one, keeps runs independent.

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>

namespace alphascope {

/// Uniform in [0, 1): the engine's 53 high bits times 2^-53 (every value a multiple of 2^-53).
double uniform01(std::mt19937_64& rng);

/// Uniform integer in [0, n), n >= 1, without modulo bias (Lemire 2019, "Fast random integer
/// generation in an interval": one multiplication, a rejection only when the low half falls
/// below 2^64 mod n).
std::uint64_t uniformInt(std::mt19937_64& rng, std::uint64_t n);

/// Standard normal N(0, 1) by Marsaglia's polar method (Marsaglia & Bray 1964); the pair's second
/// value is dropped so that no state is kept outside the engine.
double normal(std::mt19937_64& rng);

/// Gamma(alpha, 1), alpha > 0, by Marsaglia & Tsang (2000); alpha < 1 draws Gamma(alpha + 1) and
/// multiplies by U^(1/alpha) (their section 6). Mean and variance both alpha.
double gamma(std::mt19937_64& rng, double alpha);

/// An index drawn with probability weights[i] / sum(weights), by one uniform01() and a linear walk
/// of the cumulative sums; an index with weight 0 is never returned. Weights must be finite and
/// >= 0 and `weights` not empty; when they sum to 0 every index is equally likely.
std::size_t discrete(std::mt19937_64& rng, std::span<const double> weights);
/// The same for float weights (summed in double).
std::size_t discrete(std::mt19937_64& rng, std::span<const float> weights);

} // namespace alphascope

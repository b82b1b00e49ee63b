#include "core/eval/vector_math.h"

#include "core/eval/elementwise_kernels.h"

#include "core/util/simd.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>

#if defined(ALPHASCOPE_HAVE_LIBMVEC) && defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define ALPHASCOPE_VECTOR_MATH 1
#include <immintrin.h>
// The lane helpers below pass vectors by value between functions that are always inlined into the
// AVX2 or AVX-512 loops, so no call ever uses the baseline ABI GCC warns about.
#pragma GCC diagnostic ignored "-Wpsabi"
// glibc's vector variants (vector function ABI names), exported by libmvec.so.1: AVX2 four doubles
// at a time, AVX-512 eight (since 2.22; log1p since 2.35).
extern "C" {
__attribute__((target("avx2"))) __m256d _ZGVdN4v_log(__m256d);
__attribute__((target("avx2"))) __m256d _ZGVdN4v_log1p(__m256d);
__attribute__((target("avx512f"))) __m512d _ZGVeN8v_log(__m512d);
__attribute__((target("avx512f"))) __m512d _ZGVeN8v_log1p(__m512d);
}
#endif

namespace alphascope::kernels::detail {

namespace {

// The scalar path (tails, and CPUs without AVX2): the operators' own definitions.
inline float finiteOrNaN(double v) {
    const float f = static_cast<float>(v);
    return std::fabs(f) <= FLT_MAX ? f : kNaN;
}
inline float logOf(float x) {
    return finiteOrNaN(unaryValue(OpId::Log, x));
}
inline float slog1pOf(float x) {
    return finiteOrNaN(unaryValue(OpId::SLog1p, x));
}
inline float powOf(double a, double b) {
    return finiteOrNaN(binaryValue(OpId::Pow, a, b));
}

#ifdef ALPHASCOPE_VECTOR_MATH

// The vector paths are written once, with GCC's vector extensions, in vector_math_lanes.inc, and
// compiled twice: for four double lanes with AVX2 and for eight with AVX-512 (a namespace each,
// under its own target; GCC lowers vector comparisons for the target of the function that holds
// them, so the helpers must be compiled for it too, not only inlined into it). Every lane goes
// through the same IEEE operations in both (pow's own log and exp with explicit FMAs: the AVX2 path
// needs FMA too), and glibc's AVX-512 log and log1p give the float results of its AVX2 ones (all
// 2^31 positive floats for log; tested), so the two paths write the same bits.
#pragma GCC push_options
#pragma GCC target("avx2,fma")
namespace avx2 {
using D = double __attribute__((vector_size(32)));
using I = std::int64_t __attribute__((vector_size(32)));
using F = float __attribute__((vector_size(16)));
using M = std::int32_t __attribute__((vector_size(16)));
inline D vlog(D x) {
    return (D)_ZGVdN4v_log((__m256d)x);
}
inline D vlog1p(D x) {
    return (D)_ZGVdN4v_log1p((__m256d)x);
}
inline D vfma(D a, D b, D c) {
    return (D)_mm256_fmadd_pd((__m256d)a, (__m256d)b, (__m256d)c);
}
#include "core/eval/vector_math_lanes.inc"
} // namespace avx2
#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("avx512f,avx512dq,avx512vl,avx512bw")
namespace avx512 {
using D = double __attribute__((vector_size(64)));
using I = std::int64_t __attribute__((vector_size(64)));
using F = float __attribute__((vector_size(32)));
using M = std::int32_t __attribute__((vector_size(32)));
inline D vlog(D x) {
    return (D)_ZGVeN8v_log((__m512d)x);
}
inline D vlog1p(D x) {
    return (D)_ZGVeN8v_log1p((__m512d)x);
}
inline D vfma(D a, D b, D c) {
    return (D)_mm512_fmadd_pd((__m512d)a, (__m512d)b, (__m512d)c);
}
#include "core/eval/vector_math_lanes.inc"
} // namespace avx512
#pragma GCC pop_options

#endif

// Exponents the search grammar's constants make common, without a pow: an integer exponent by
// repeated squaring in double (a handful of roundings in double, far below float's), 0.5 and -0.5
// by a square root (correctly rounded). Same special cases as pow: x^0 = 1, 0^-n and 0^-0.5 are
// infinite (NaN here), a negative base's square root is NaN, (-0)^0.5 = +0.
constexpr std::size_t kPowBlock = 256;

ALPHASCOPE_SIMD_CLONES
void powIntegerCells(const float* x, int e, float* o, std::size_t n) {
    // One operation (x * x, 1 / x) rounds in float exactly as in double rounded back (53 >= 2 * 24 + 2
    // bits): eight lanes, no conversions, the same bits.
    if (e == 2 || e == -1) {
        for (std::size_t k = 0; k < n; ++k) {
            const float v = x[k];
            const float f = e == 2 ? v * v : 1.0f / v;
            o[k] = std::fabs(v) <= FLT_MAX && std::fabs(f) <= FLT_MAX ? f : kNaN;
        }
        return;
    }
    const unsigned m = static_cast<unsigned>(e < 0 ? -e : e);
    double acc[kPowBlock], base[kPowBlock];
    for (std::size_t b = 0; b < n; b += kPowBlock) {
        const std::size_t len = std::min(kPowBlock, n - b);
        for (std::size_t k = 0; k < len; ++k) {
            acc[k] = 1.0;
            base[k] = x[b + k];
        }
        for (unsigned bits = m; bits != 0; bits >>= 1) {
            if (bits & 1u)
                for (std::size_t k = 0; k < len; ++k) acc[k] *= base[k];
            if (bits > 1u)
                for (std::size_t k = 0; k < len; ++k) base[k] *= base[k];
        }
        for (std::size_t k = 0; k < len; ++k) {
            const float v = x[b + k];
            const double r = e < 0 ? 1.0 / acc[k] : acc[k];
            const float f = static_cast<float>(r);
            o[b + k] = std::fabs(v) <= FLT_MAX && std::fabs(f) <= FLT_MAX ? f : kNaN;
        }
    }
}

ALPHASCOPE_SIMD_CLONES
void powHalfCells(const float* x, bool inverse, float* o, std::size_t n) {
    if (!inverse) { // a square root rounds in float as in double rounded back, like x * x above
        for (std::size_t k = 0; k < n; ++k) {
            const float v = x[k];
            const float f = std::sqrt(v) + 0.0f; // + 0: (-0)^0.5 = +0
            o[k] = std::fabs(v) <= FLT_MAX && v >= 0.0f && std::fabs(f) <= FLT_MAX ? f : kNaN;
        }
        return;
    }
    for (std::size_t k = 0; k < n; ++k) {
        const float v = x[k];
        const double root = std::sqrt(static_cast<double>(v)) + 0.0; // + 0.0: (-0)^0.5 = +0
        const float f = static_cast<float>(inverse ? 1.0 / root : root);
        o[k] = std::fabs(v) <= FLT_MAX && v >= 0.0f && std::fabs(f) <= FLT_MAX ? f : kNaN;
    }
}

} // namespace

bool vectorPathRuns(VectorPath path) {
#ifdef ALPHASCOPE_VECTOR_MATH
    static const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    static const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
                               __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw");
    if (path == VectorPath::Avx2) return avx2;
    if (path == VectorPath::Avx512) return avx512;
#else
    if (path != VectorPath::Scalar) return false;
#endif
    return true;
}

VectorPath bestVectorPath() {
    static const VectorPath path = vectorPathRuns(VectorPath::Avx512) ? VectorPath::Avx512
                                   : vectorPathRuns(VectorPath::Avx2) ? VectorPath::Avx2
                                                                      : VectorPath::Scalar;
    return path;
}

// Each entry takes the path asked for where it runs, else the next narrower one.
#ifdef ALPHASCOPE_VECTOR_MATH
#define ALPHASCOPE_DISPATCH(NAME, ...)                                                                                 \
    if (path == VectorPath::Avx512 && vectorPathRuns(VectorPath::Avx512)) return avx512::NAME##Cells(__VA_ARGS__);     \
    if (path != VectorPath::Scalar && vectorPathRuns(VectorPath::Avx2)) return avx2::NAME##Cells(__VA_ARGS__);
#else
#define ALPHASCOPE_DISPATCH(NAME, ...)
#endif

void logCells(const float* x, float* o, std::size_t n, VectorPath path) {
    ALPHASCOPE_DISPATCH(log, x, o, n)
    for (std::size_t k = 0; k < n; ++k) o[k] = logOf(x[k]);
}

void slog1pCells(const float* x, float* o, std::size_t n, VectorPath path) {
    ALPHASCOPE_DISPATCH(slog1p, x, o, n)
    for (std::size_t k = 0; k < n; ++k) o[k] = slog1pOf(x[k]);
}

void powCells(const float* a, const float* b, float* o, std::size_t n, VectorPath path) {
    ALPHASCOPE_DISPATCH(pow, a, b, o, n)
    for (std::size_t k = 0; k < n; ++k) o[k] = powOf(a[k], b[k]);
}

void powScalarCells(const float* x, double c, bool right, float* o, std::size_t n, VectorPath path) {
    if (right && c == std::nearbyint(c) && std::fabs(c) <= 64.0) return powIntegerCells(x, static_cast<int>(c), o, n);
    if (right && (c == 0.5 || c == -0.5)) return powHalfCells(x, c < 0, o, n);
    ALPHASCOPE_DISPATCH(powScalar, x, c, right, o, n)
    for (std::size_t k = 0; k < n; ++k) o[k] = right ? powOf(x[k], c) : powOf(c, x[k]);
}

#undef ALPHASCOPE_DISPATCH

} // namespace alphascope::kernels::detail

namespace alphascope::kernels {

const char* vectorInstructions() {
    switch (detail::bestVectorPath()) {
    case detail::VectorPath::Avx512: return "AVX-512";
    case detail::VectorPath::Avx2: return "AVX2";
    default: return "baseline";
    }
}

} // namespace alphascope::kernels

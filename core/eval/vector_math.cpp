#include "core/eval/vector_math.h"

#include "core/eval/elementwise_kernels.h"

#include "core/util/simd.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

#if defined(ALPHASCOPE_HAVE_LIBMVEC) && defined(__x86_64__) && defined(__GNUC__)
#define ALPHASCOPE_VECTOR_MATH 1
#include <immintrin.h>
// glibc's AVX2 variants (vector function ABI names), exported by libmvec.so.1 since 2.22 (log1p 2.35).
extern "C" {
__attribute__((target("avx2"))) __m256d _ZGVdN4v_log(__m256d);
__attribute__((target("avx2"))) __m256d _ZGVdN4v_exp(__m256d);
__attribute__((target("avx2"))) __m256d _ZGVdN4v_log1p(__m256d);
__attribute__((target("avx2"))) __m256d _ZGVdN4vv_pow(__m256d, __m256d);
}
#endif

namespace alphascope::kernels::detail {

namespace {

// The scalar path (tails, and CPUs without AVX2): the operators' own definitions.
inline float finiteOrNaN(double v) {
    const float f = static_cast<float>(v);
    return std::fabs(f) <= FLT_MAX ? f : kNaN;
}
inline float logOf(float x) { return finiteOrNaN(unaryValue(OpId::Log, x)); }
inline float slog1pOf(float x) { return finiteOrNaN(unaryValue(OpId::SLog1p, x)); }
inline float powOf(double a, double b) { return finiteOrNaN(binaryValue(OpId::Pow, a, b)); }

#ifdef ALPHASCOPE_VECTOR_MATH

__attribute__((target("avx2"))) inline __m128 finiteMask(__m128 v) {
    const __m128 absMask = _mm_castsi128_ps(_mm_set1_epi32(0x7FFFFFFF));
    return _mm_cmp_ps(_mm_and_ps(v, absMask), _mm_set1_ps(FLT_MAX), _CMP_LE_OQ);
}

/// The float result of a double vector where `ok` (and the result is finite), NaN elsewhere.
__attribute__((target("avx2"))) inline __m128 cleaned(__m256d r, __m128 ok) {
    const __m128 f = _mm256_cvtpd_ps(r);
    return _mm_blendv_ps(_mm_set1_ps(kNaN), f, _mm_and_ps(ok, finiteMask(f)));
}

__attribute__((target("avx2"))) void logAvx2(const float* x, float* o, std::size_t n) {
    std::size_t k = 0;
    for (; k + 4 <= n; k += 4) {
        const __m128 v = _mm_loadu_ps(x + k);
        const __m128 ok = _mm_and_ps(finiteMask(v), _mm_cmp_ps(v, _mm_setzero_ps(), _CMP_GT_OQ));
        const __m128 safe = _mm_blendv_ps(_mm_set1_ps(1.0f), v, ok); // no -inf/NaN work on dead lanes
        _mm_storeu_ps(o + k, cleaned(_ZGVdN4v_log(_mm256_cvtps_pd(safe)), ok));
    }
    for (; k < n; ++k) o[k] = logOf(x[k]);
}

__attribute__((target("avx2"))) void slog1pAvx2(const float* x, float* o, std::size_t n) {
    const __m128 sign = _mm_castsi128_ps(_mm_set1_epi32(static_cast<int>(0x80000000u)));
    std::size_t k = 0;
    for (; k + 4 <= n; k += 4) {
        const __m128 v = _mm_loadu_ps(x + k);
        const __m128 ok = finiteMask(v);
        const __m128 mag = _mm_blendv_ps(_mm_setzero_ps(), _mm_andnot_ps(sign, v), ok);
        const __m128 f = _mm256_cvtpd_ps(_ZGVdN4v_log1p(_mm256_cvtps_pd(mag))); // >= 0
        const __m128 signed_ = _mm_or_ps(f, _mm_and_ps(v, sign));              // copysign
        _mm_storeu_ps(o + k, _mm_blendv_ps(_mm_set1_ps(kNaN), signed_, _mm_and_ps(ok, finiteMask(f))));
    }
    for (; k < n; ++k) o[k] = slog1pOf(x[k]);
}

/// pow(a, b) of finite doubles without libmvec's scalar call-outs: its vector pow handles positive
/// bases and calls the scalar pow lane by lane for any other, which made Pow of a signed factor
/// cost five times as much. Zero and negative bases are settled here as C's pow settles them (a
/// negative base takes |a|^b and the sign of an odd integer exponent, NaN for a non-integer one;
/// a zero base gives 0, 1 or inf by the exponent's sign, -0 keeping its sign for odd exponents).
__attribute__((target("avx2"))) inline __m256d powLanes(__m256d a, __m256d b) {
    const __m256d zero = _mm256_setzero_pd(), one = _mm256_set1_pd(1.0);
    const __m256d signBit = _mm256_set1_pd(-0.0);
    const __m256d isZero = _mm256_cmp_pd(a, zero, _CMP_EQ_OQ);
    const __m256d isNeg = _mm256_cmp_pd(a, zero, _CMP_LT_OQ);
    const __m256d bInt = _mm256_cmp_pd(_mm256_round_pd(b, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC), b, _CMP_EQ_OQ);
    const __m256d half = _mm256_mul_pd(b, _mm256_set1_pd(0.5));
    const __m256d halfInt = _mm256_cmp_pd(_mm256_round_pd(half, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC), half, _CMP_EQ_OQ);
    const __m256d bOdd = _mm256_andnot_pd(halfInt, bInt);
    // Lanes whose float result is certainly infinite or 0: with E the exponent of |a| (a float, so
    // a normal double), log2 |a|^b lies between b E and b (E + 1). At or above 2^129 the float is
    // inf (NaN after cleaning), below 2^-151 it rounds to 0, whatever the mantissas. libmvec
    // answers such lanes by calling the scalar pow one lane at a time (formulas like
    // Pow($volume, 30) overflow on every cell); here they take base 1 and their result is set.
    const __m256d mag = _mm256_blendv_pd(_mm256_andnot_pd(signBit, a), one, isZero);
    const __m256i field = _mm256_and_si256(_mm256_srli_epi64(_mm256_castpd_si256(mag), 52), _mm256_set1_epi64x(0x7FF));
    const __m256d twoTo52 = _mm256_set1_pd(4503599627370496.0);
    const __m256d e = _mm256_sub_pd(_mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(field, _mm256_castpd_si256(twoTo52))), twoTo52),
                                    _mm256_set1_pd(1023.0));
    const __m256d p0 = _mm256_mul_pd(b, e), p1 = _mm256_mul_pd(b, _mm256_add_pd(e, one));
    const __m256d lo = _mm256_min_pd(p0, p1), hi = _mm256_max_pd(p0, p1);
    const __m256d over = _mm256_cmp_pd(lo, _mm256_set1_pd(129.0), _CMP_GE_OQ);
    const __m256d under = _mm256_cmp_pd(hi, _mm256_set1_pd(-151.0), _CMP_LE_OQ);
    const __m256d settled = _mm256_or_pd(over, under);
    // |a|^b as exp(b log|a|): 1.8x faster than libmvec's pow; the double result's relative error,
    // about |b log|a|| 2^-53 (under 1e-13 for the lanes left here, |b log2|a|| < 151), is far
    // below float rounding, so the float differs from libm's pow by at most one ulp, and rarely.
    __m256d r = _mm256_movemask_pd(settled) == 0xF
                    ? one
                    : _ZGVdN4v_exp(_mm256_mul_pd(b, _ZGVdN4v_log(_mm256_blendv_pd(mag, one, settled))));
    r = _mm256_blendv_pd(r, _mm256_set1_pd(HUGE_VAL), over);
    r = _mm256_blendv_pd(r, zero, under);
    const __m256d zeroBase = _mm256_blendv_pd(_mm256_blendv_pd(_mm256_set1_pd(HUGE_VAL), one, _mm256_cmp_pd(b, zero, _CMP_EQ_OQ)),
                                              zero, _mm256_cmp_pd(b, zero, _CMP_GT_OQ));
    r = _mm256_blendv_pd(r, zeroBase, isZero);
    r = _mm256_xor_pd(r, _mm256_and_pd(_mm256_and_pd(a, signBit), bOdd)); // odd exponent keeps the sign
    return _mm256_blendv_pd(r, _mm256_set1_pd(NAN), _mm256_andnot_pd(bInt, isNeg));
}

__attribute__((target("avx2"))) void powAvx2(const float* a, const float* b, float* o, std::size_t n) {
    std::size_t k = 0;
    for (; k + 4 <= n; k += 4) {
        const __m128 va = _mm_loadu_ps(a + k), vb = _mm_loadu_ps(b + k);
        const __m128 ok = _mm_and_ps(finiteMask(va), finiteMask(vb));
        const __m128 sa = _mm_blendv_ps(_mm_set1_ps(1.0f), va, ok), sb = _mm_blendv_ps(_mm_set1_ps(1.0f), vb, ok);
        _mm_storeu_ps(o + k, cleaned(powLanes(_mm256_cvtps_pd(sa), _mm256_cvtps_pd(sb)), ok));
    }
    for (; k < n; ++k) o[k] = powOf(a[k], b[k]);
}

__attribute__((target("avx2"))) void powScalarAvx2(const float* x, double c, bool right, float* o, std::size_t n) {
    const __m256d vc = _mm256_set1_pd(c);
    std::size_t k = 0;
    if (std::isfinite(c)) {
        for (; k + 4 <= n; k += 4) {
            const __m128 v = _mm_loadu_ps(x + k);
            const __m128 ok = finiteMask(v);
            const __m256d d = _mm256_cvtps_pd(_mm_blendv_ps(_mm_set1_ps(1.0f), v, ok));
            _mm_storeu_ps(o + k, cleaned(right ? powLanes(d, vc) : powLanes(vc, d), ok));
        }
    }
    for (; k < n; ++k) o[k] = right ? powOf(x[k], c) : powOf(c, x[k]);
}

bool useVector() {
    static const bool avx2 = __builtin_cpu_supports("avx2");
    return avx2;
}

#else

bool useVector() { return false; }

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

bool vectorMathAvailable() {
    return useVector();
}

void logCells(const float* x, float* o, std::size_t n) {
#ifdef ALPHASCOPE_VECTOR_MATH
    if (useVector()) return logAvx2(x, o, n);
#endif
    for (std::size_t k = 0; k < n; ++k) o[k] = logOf(x[k]);
}

void slog1pCells(const float* x, float* o, std::size_t n) {
#ifdef ALPHASCOPE_VECTOR_MATH
    if (useVector()) return slog1pAvx2(x, o, n);
#endif
    for (std::size_t k = 0; k < n; ++k) o[k] = slog1pOf(x[k]);
}

void powCells(const float* a, const float* b, float* o, std::size_t n) {
#ifdef ALPHASCOPE_VECTOR_MATH
    if (useVector()) return powAvx2(a, b, o, n);
#endif
    for (std::size_t k = 0; k < n; ++k) o[k] = powOf(a[k], b[k]);
}

void powScalarCells(const float* x, double c, bool right, float* o, std::size_t n) {
    if (right && c == std::nearbyint(c) && std::fabs(c) <= 64.0) return powIntegerCells(x, static_cast<int>(c), o, n);
    if (right && (c == 0.5 || c == -0.5)) return powHalfCells(x, c < 0, o, n);
#ifdef ALPHASCOPE_VECTOR_MATH
    if (useVector()) return powScalarAvx2(x, c, right, o, n);
#endif
    for (std::size_t k = 0; k < n; ++k) o[k] = right ? powOf(x[k], c) : powOf(c, x[k]);
}

} // namespace alphascope::kernels::detail

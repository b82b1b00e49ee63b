#include "core/eval/vector_math.h"

#include "core/eval/elementwise_kernels.h"

#include <cfloat>
#include <cmath>

#if defined(ALPHASCOPE_HAVE_LIBMVEC) && defined(__x86_64__) && defined(__GNUC__)
#define ALPHASCOPE_VECTOR_MATH 1
#include <immintrin.h>
// glibc's AVX2 variants (vector function ABI names), exported by libmvec.so.1 since 2.22 (log1p 2.35).
extern "C" {
__attribute__((target("avx2"))) __m256d _ZGVdN4v_log(__m256d);
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

__attribute__((target("avx2"))) void powAvx2(const float* a, const float* b, float* o, std::size_t n) {
    std::size_t k = 0;
    for (; k + 4 <= n; k += 4) {
        const __m128 va = _mm_loadu_ps(a + k), vb = _mm_loadu_ps(b + k);
        const __m128 ok = _mm_and_ps(finiteMask(va), finiteMask(vb));
        const __m128 sa = _mm_blendv_ps(_mm_set1_ps(1.0f), va, ok), sb = _mm_blendv_ps(_mm_set1_ps(1.0f), vb, ok);
        _mm_storeu_ps(o + k, cleaned(_ZGVdN4vv_pow(_mm256_cvtps_pd(sa), _mm256_cvtps_pd(sb)), ok));
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
            _mm_storeu_ps(o + k, cleaned(right ? _ZGVdN4vv_pow(d, vc) : _ZGVdN4vv_pow(vc, d), ok));
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
#ifdef ALPHASCOPE_VECTOR_MATH
    if (useVector()) return powScalarAvx2(x, c, right, o, n);
#endif
    for (std::size_t k = 0; k < n; ++k) o[k] = right ? powOf(x[k], c) : powOf(c, x[k]);
}

} // namespace alphascope::kernels::detail

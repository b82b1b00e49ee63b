#pragma once
// Vector instructions safely for distribution: a hot loop marked ALPHASCOPE_SIMD_CLONES is
// compiled twice, for AVX2 and for the x86-64 baseline, and the loader picks the one the CPU runs
// (GCC function multi-versioning). Elsewhere the macro is empty. Reductions are vectorised through
// `#pragma omp simd reduction` (-fopenmp-simd: no OpenMP runtime), so their summation order depends
// on the vector width: results are deterministic on one machine, and may differ in the last bits
// between an AVX2 and a baseline CPU.
//
// ALPHASCOPE_SIMD_CLONES_V4 adds a third clone for x86-64-v4 (AVX-512), for the kernels measured
// faster with it (the sliding sums and moments on 750 x 2,500, interleaved runs on a noisy host:
// Std 3.0-3.4 -> 2.0-2.3 ms, Skew 2.7-3.8 -> 2.2-3.0, Mean about 1.2x). EMA and WMA were 1.3x faster
// in one hour and slower in the next, Max, Rank and Med no faster, and Corr three times slower, so
// they keep the two clones. It is only for kernels whose lanes are independent (no reductions), so their
// values are the AVX2 clone's bit for bit; core compiles with -ffp-contract=off, so the FMA that
// x86-64-v4 brings never fuses a multiply and an add that the other clones round separately.

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__)
#define ALPHASCOPE_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#define ALPHASCOPE_SIMD_CLONES_V4 __attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
#else
#define ALPHASCOPE_SIMD_CLONES
#define ALPHASCOPE_SIMD_CLONES_V4
#endif

// Marks a lambda handed to the sliding-window templates from inside a cloned kernel: GCC left some
// of them out of line (the centred-sum terms of Cov, the centre of Skew and Kurt), and an
// out-of-line lambda is compiled for the x86-64 baseline, not for its caller's clone: Cov ran 3.6x
// slower than Corr. Inlined, it gets the clone's instructions; the arithmetic is the same.
#if defined(__GNUC__)
#define ALPHASCOPE_INLINE __attribute__((always_inline))
#else
#define ALPHASCOPE_INLINE
#endif

#pragma once
// Vector instructions safely for distribution: a hot loop marked ALPHASCOPE_SIMD_CLONES is
// compiled twice, for AVX2 and for the x86-64 baseline, and the loader picks the one the CPU runs
// (GCC function multi-versioning). Elsewhere the macro is empty. Reductions are vectorised through
// `#pragma omp simd reduction` (-fopenmp-simd: no OpenMP runtime), so their summation order depends
// on the vector width: results are deterministic on one machine, and may differ in the last bits
// between an AVX2 and a baseline CPU.

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__)
#define ALPHASCOPE_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define ALPHASCOPE_SIMD_CLONES
#endif

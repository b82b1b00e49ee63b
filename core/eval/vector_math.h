#pragma once
// Internal (not a public API): log, log1p and pow of float32 cells computed in double, eight at a
// time (AVX-512) or four (AVX2 with FMA) where the CPU and the C library have them: log and log1p
// with glibc's vector math library (libmvec), pow as exp(b log a) with our own inlined log and exp;
// else with the scalar libm functions. The AVX-512 and AVX2 paths write the same bits. Their
// double results are within a few ulp of libm's, far below the float32 rounding of a panel: a
// cell can differ from the scalar path (by one ulp) only when the double lies that close to a
// float rounding boundary (about one cell in 10^8).

#include <cstddef>

namespace alphascope::kernels::detail {

/// The instruction sets the functions below can use.
enum class VectorPath { Scalar, Avx2, Avx512 };
/// Whether `path` runs on this CPU with this build (Scalar always does).
bool vectorPathRuns(VectorPath path);
/// The widest path that runs: what the kernels use.
VectorPath bestVectorPath();

// Each function takes the path asked for (tests compare them) where it runs, else the next narrower.
/// o[k] = log(x[k]) for finite x[k] > 0; NaN otherwise.
void logCells(const float* x, float* o, std::size_t n, VectorPath path = bestVectorPath());
/// o[k] = sign(x[k]) log(1 + |x[k]|) for finite x[k]; NaN otherwise.
void slog1pCells(const float* x, float* o, std::size_t n, VectorPath path = bestVectorPath());
/// o[k] = pow(a[k], b[k]) for finite a[k] and b[k] with a finite float result; NaN otherwise.
void powCells(const float* a, const float* b, float* o, std::size_t n, VectorPath path = bestVectorPath());
/// o[k] = pow(x[k], c) (right) or pow(c, x[k]) (!right), as powCells.
void powScalarCells(const float* x, double c, bool right, float* o, std::size_t n, VectorPath path = bestVectorPath());

} // namespace alphascope::kernels::detail

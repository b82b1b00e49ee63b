#include "core/pool/factor_scorer.h"

#include "core/pool/factor_probe.h"
#include "core/util/simd.h"

#include <tbb/parallel_for.h>
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <optional>

namespace alphascope {

namespace {

constexpr std::size_t kRecentCapacity = 32;

// Dot products in a fixed order, whatever the vector width: 16 partial sums (partial l takes the
// elements l, l + 16, ...), folded pairwise (l + 8 into l, then 4, 2, 1), then the tail in order.
// The AVX2 path (four vectors of four partial sums, with FMA) and the portable one give the same
// bits: the product of two floats is exact in double, so a fused multiply-add rounds only where the
// separate add does. The 16 independent sums keep the adds' latency out of the way.
constexpr int kDotLanes = 16;

inline double foldLanes(double* s) {
    for (int w = kDotLanes / 2; w >= 1; w /= 2)
        for (int l = 0; l < w; ++l) s[l] += s[l + w];
    return s[0];
}

/// dot(a[r], b) for r < R in one pass over b.
template <int R>
void dotsPortable(const float* const* a, const float* b, int n, double* out) {
    double s[R][kDotLanes] = {};
    int i = 0;
    for (; i + kDotLanes <= n; i += kDotLanes)
        for (int l = 0; l < kDotLanes; ++l) {
            const double bl = b[i + l];
            for (int r = 0; r < R; ++r) s[r][l] += double(a[r][i + l]) * bl;
        }
    for (int r = 0; r < R; ++r) {
        double tail = 0.0;
        for (int k = i; k < n; ++k) tail += double(a[r][k]) * double(b[k]);
        out[r] = foldLanes(s[r]) + tail;
    }
}

#if defined(__x86_64__) && defined(__GNUC__)
#define ALPHASCOPE_DOT_AVX2 1
/// dotsPortable<R> with the partial sums l..l+3 in one AVX2 vector and fused multiply-adds: the
/// same bits, because the product of two floats is exact in double (24 + 24 bits), so rounding it
/// before the add changes nothing. (CPUs with AVX2 but without FMA take the portable path.)
template <int R>
__attribute__((target("avx2,fma"))) void dotsFma(const float* const* a, const float* b, int n, double* out) {
    __m256d acc[R][4];
    for (int r = 0; r < R; ++r)
        for (int v = 0; v < 4; ++v) acc[r][v] = _mm256_setzero_pd();
    int i = 0;
    for (; i + kDotLanes <= n; i += kDotLanes) {
        __m256d bv[4];
        for (int v = 0; v < 4; ++v) bv[v] = _mm256_cvtps_pd(_mm_loadu_ps(b + i + 4 * v));
        for (int r = 0; r < R; ++r)
            for (int v = 0; v < 4; ++v)
                acc[r][v] = _mm256_fmadd_pd(_mm256_cvtps_pd(_mm_loadu_ps(a[r] + i + 4 * v)), bv[v], acc[r][v]);
    }
    for (int r = 0; r < R; ++r) {
        alignas(32) double s[kDotLanes];
        for (int v = 0; v < 4; ++v) _mm256_store_pd(s + 4 * v, acc[r][v]);
        double tail = 0.0;
        for (int k = i; k < n; ++k) tail += double(a[r][k]) * double(b[k]);
        out[r] = foldLanes(s) + tail;
    }
}

bool dotUsesFma() {
    static const bool fma = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return fma;
}
#endif

template <int R>
void dots(const float* const* a, const float* b, int n, double* out) {
#ifdef ALPHASCOPE_DOT_AVX2
    if (dotUsesFma()) return dotsFma<R>(a, b, n, out);
#endif
    dotsPortable<R>(a, b, n, out);
}

/// Rows and columns of one block of dot products (blockDots).
constexpr int kBlockRows = 3, kBlockCols = 4;

#ifdef ALPHASCOPE_DOT_AVX2
/// dot(a[r], b[c]) into out[r * C + c] for an R x C block, with dotsFma's bits: each of the 16
/// partial sums still takes its elements in order, but the block runs the four vectors of partial
/// sums one after another (the sums are independent, so the order in which they are run changes
/// nothing), which leaves registers for R x C accumulators: each four floats of a row or a column
/// are widened once for C or R products instead of once for one or two. The widening, not the
/// multiply-adds, bounded the mutual correlations (random search: 12 % of a run).
template <int R, int C>
__attribute__((target("avx2,fma"))) void blockDotsFma(const float* const* a, const float* const* b, int n,
                                                      double* out) {
    const int full = n - n % kDotLanes;
    alignas(32) double s[R][C][kDotLanes];
    for (int v = 0; v < 4; ++v) {
        __m256d acc[R][C];
        for (int r = 0; r < R; ++r)
            for (int c = 0; c < C; ++c) acc[r][c] = _mm256_setzero_pd();
        for (int i = 4 * v; i < full; i += kDotLanes) {
            __m256d av[R];
            for (int r = 0; r < R; ++r) av[r] = _mm256_cvtps_pd(_mm_loadu_ps(a[r] + i));
            for (int c = 0; c < C; ++c) {
                const __m256d bv = _mm256_cvtps_pd(_mm_loadu_ps(b[c] + i));
                for (int r = 0; r < R; ++r) acc[r][c] = _mm256_fmadd_pd(av[r], bv, acc[r][c]);
            }
        }
        for (int r = 0; r < R; ++r)
            for (int c = 0; c < C; ++c) _mm256_store_pd(&s[r][c][4 * v], acc[r][c]);
    }
    for (int r = 0; r < R; ++r)
        for (int c = 0; c < C; ++c) {
            double tail = 0.0;
            for (int k = full; k < n; ++k) tail += double(a[r][k]) * double(b[c][k]);
            out[r * C + c] = foldLanes(s[r][c]) + tail;
        }
}

/// blockDotsFma for any block up to kBlockRows x kBlockCols.
void blockDotsFmaAny(int rows, int cols, const float* const* a, const float* const* b, int n, double* out) {
    using Fn = void (*)(const float* const*, const float* const*, int, double*);
    static constexpr Fn kBlocks[kBlockRows][kBlockCols] = {
        {blockDotsFma<1, 1>, blockDotsFma<1, 2>, blockDotsFma<1, 3>, blockDotsFma<1, 4>},
        {blockDotsFma<2, 1>, blockDotsFma<2, 2>, blockDotsFma<2, 3>, blockDotsFma<2, 4>},
        {blockDotsFma<3, 1>, blockDotsFma<3, 2>, blockDotsFma<3, 3>, blockDotsFma<3, 4>},
    };
    kBlocks[rows - 1][cols - 1](a, b, n, out);
}
#endif

/// The same block pair by pair with dotsPortable.
void blockDotsPortable(int rows, int cols, const float* const* a, const float* const* b, int n, double* out) {
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) dotsPortable<1>(a + r, b[c], n, &out[r * cols + c]);
}

/// dot(a[r], b[c]) into out[r * cols + c] for rows <= kBlockRows, cols <= kBlockCols: the bits of
/// dots() on every path.
void blockDots(int rows, int cols, const float* const* a, const float* const* b, int n, double* out) {
#ifdef ALPHASCOPE_DOT_AVX2
    if (dotUsesFma()) return blockDotsFmaAny(rows, cols, a, b, n, out);
#endif
    blockDotsPortable(rows, cols, a, b, n, out);
}

} // namespace

std::array<double, 2> detail::dotOnEveryPath(const float* a, const float* b, int n) {
    std::array<double, 2> r{};
    r.fill(kNaNd);
    dotsPortable<1>(&a, b, n, &r[0]);
#ifdef ALPHASCOPE_DOT_AVX2
    if (dotUsesFma()) dotsFma<1>(&a, b, n, &r[1]);
#endif
    return r;
}

void detail::blockDotsOnEveryPath(const float* const* a, int rows, const float* const* b, int cols, int n,
                                  double* portable, double* blocked) {
    blockDotsPortable(rows, cols, a, b, n, portable);
    std::fill(blocked, blocked + rows * cols, kNaNd);
#ifdef ALPHASCOPE_DOT_AVX2
    if (dotUsesFma()) blockDotsFmaAny(rows, cols, a, b, n, blocked);
#endif
}

namespace {

/// One day's term of a mean daily correlation: the dot product of two days' z-scores (mean 0) over
/// their norms, clamped to [-1, 1]. meanDailyCorrelationMatrix and FactorScorer::measure add the
/// days in order with it, so that a train IC measured while z-scoring is meanDailyCorrelation's.
inline double dayCorrelation(double dot, double normA, double normB) {
    return std::clamp(dot / std::sqrt(normA * normB), -1.0, 1.0);
}

/// Z-scores one day's gathered values in place (finite ones; the others and a day without
/// z-scores -> 0); returns the sum of squares of the result, counts the z-scored cells (`finite`)
/// and the finite cells (`present`, z-scored or not).
ALPHASCOPE_SIMD_CLONES
double zscoreDay(float* x, int n, int& finite, int& present) {
    // The three passes are vectorised (omp simd reductions; see core/util/simd.h for what that
    // means for the last bits of the sums).
    // The largest magnitude in float: the same value as in double (|v| and the larger of two are
    // exact), without widening every cell twice.
    double sum = 0.0;
    float maxAbs = 0.0f;
    int count = 0;
#pragma omp simd reduction(+ : sum, count) reduction(max : maxAbs)
    for (int j = 0; j < n; ++j) {
        const float v = x[j];
        const bool ok = std::isfinite(v);
        sum += ok ? double(v) : 0.0;
        maxAbs = std::max(maxAbs, ok ? std::fabs(v) : 0.0f);
        count += ok ? 1 : 0;
    }
    finite = 0;
    present = count;
    if (count < 2) {
        std::fill(x, x + n, 0.0f);
        return 0.0;
    }
    const double mean = sum / count;
    double ss = 0.0;
#pragma omp simd reduction(+ : ss)
    for (int j = 0; j < n; ++j) {
        const float v = x[j];
        const double d = std::isfinite(v) ? double(v) - mean : 0.0;
        ss += d * d;
    }
    const double sd = std::sqrt(ss / count);
    if (!(sd > kDegenerateRel * double(maxAbs)) || sd == 0.0) { // a constant day: no z-scores
        std::fill(x, x + n, 0.0f);
        return 0.0;
    }
    double norm2 = 0.0;
#pragma omp simd reduction(+ : norm2)
    for (int j = 0; j < n; ++j) {
        const float v = x[j];
        const float z = std::isfinite(v) ? static_cast<float>((double(v) - mean) / sd) : 0.0f;
        x[j] = z;
        norm2 += double(z) * double(z);
    }
    finite = count;
    return norm2;
}

} // namespace

double meanDailyCorrelation(const TrainLayout& layout, const TrainSlice& a, const TrainSlice& b, int* counted) {
    const TrainSlice* others[] = {&b};
    double r = kNaNd;
    meanDailyCorrelations(layout, a, others, 1, &r, counted);
    return r;
}

void meanDailyCorrelations(const TrainLayout& layout, const TrainSlice& a, const TrainSlice* const* others,
                           std::size_t count, double* out, int* counted) {
    const TrainSlice* as[] = {&a};
    meanDailyCorrelationMatrix(layout, as, 1, others, count, out, count, counted);
}

void meanDailyCorrelationMatrix(const TrainLayout& layout, const TrainSlice* const* as, std::size_t na,
                                const TrainSlice* const* others, std::size_t no, double* out, std::size_t stride,
                                int* counted) {
    // Mean over the days where both norms are positive of dot / sqrt(norm_a * norm_b), clamped to
    // [-1, 1]. Tile by tile, day by day: the tile's rows' days (a few KB each) stay in cache while
    // each column's day is read once for all of them. Every pair's sum runs over the days in order
    // with the same dot(), so each value equals meanDailyCorrelation(*as[i], *others[j]) whatever
    // the tiling.
    constexpr std::size_t kRows = 16, kCols = 16;
    for (std::size_t r0 = 0; r0 < na; r0 += kRows) {
        const std::size_t rows = std::min(kRows, na - r0);
        for (std::size_t c0 = 0; c0 < no; c0 += kCols) {
            const std::size_t cols = std::min(kCols, no - c0);
            double sum[kRows][kCols] = {};
            int days[kRows][kCols] = {};
            for (int k = 0; k < layout.days(); ++k) {
                const int n = layout.dayCells(k);
                if (n < 2) continue;
                const std::size_t off = layout.dayBegin(k);
                // The rows and the columns with a spread on this day (no slice: no day counts, NaN):
                // their indices in the tile and their day's z-scores; returns how many.
                const auto liveOn = [&](const TrainSlice* const* slices, std::size_t count, std::size_t* index,
                                        const float** z) {
                    std::size_t live = 0;
                    for (std::size_t i = 0; i < count; ++i) {
                        if (!slices[i] || !(slices[i]->norm2[static_cast<std::size_t>(k)] > 0.0)) continue;
                        index[live] = i;
                        z[live++] = slices[i]->z.data() + off;
                    }
                    return live;
                };
                std::size_t live[kRows], liveCol[kCols];
                const float *liveZ[kRows], *liveColZ[kCols];
                const std::size_t m = liveOn(as + r0, rows, live, liveZ);
                if (m == 0) continue;
                const std::size_t mc = liveOn(others + c0, cols, liveCol, liveColZ);
                // Blocks of up to 3 rows x 4 columns (blockDots), each pair's term added to its sum.
                for (std::size_t q = 0; q < m; q += kBlockRows) {
                    const int br = static_cast<int>(std::min<std::size_t>(kBlockRows, m - q));
                    for (std::size_t p = 0; p < mc; p += kBlockCols) {
                        const int bc = static_cast<int>(std::min<std::size_t>(kBlockCols, mc - p));
                        double d[kBlockRows * kBlockCols];
                        blockDots(br, bc, liveZ + q, liveColZ + p, n, d);
                        for (int r = 0; r < br; ++r)
                            for (int c = 0; c < bc; ++c) {
                                const std::size_t i = live[q + r], j = liveCol[p + c];
                                const double ka = as[r0 + i]->norm2[static_cast<std::size_t>(k)];
                                const double kb = others[c0 + j]->norm2[static_cast<std::size_t>(k)];
                                sum[i][j] += dayCorrelation(d[r * bc + c], ka, kb);
                                ++days[i][j];
                            }
                    }
                }
            }
            for (std::size_t i = 0; i < rows; ++i)
                for (std::size_t j = 0; j < cols; ++j) {
                    const std::size_t at = (r0 + i) * stride + c0 + j;
                    out[at] = days[i][j] > 0 ? sum[i][j] / days[i][j] : kNaNd;
                    if (counted) counted[at] = days[i][j];
                }
        }
    }
}

Panel::Storage zscoreSlice(const Panel& values, DayRange r, const Panel* mask) {
    const int n = values.instruments();
    Panel::Storage out(static_cast<std::size_t>(r.size()) * static_cast<std::size_t>(n), kNaN);
    for (int t = r.begin; t < r.end; ++t) {
        const float* x = values.row(t);
        const float* m = mask ? mask->row(t) : nullptr;
        float* z = out.data() + static_cast<std::size_t>(t - r.begin) * n;
        double sum = 0.0, maxAbs = 0.0;
        int count = 0;
        for (int i = 0; i < n; ++i) {
            if (!std::isfinite(x[i]) || (m && !std::isfinite(m[i]))) continue;
            sum += x[i];
            maxAbs = std::max(maxAbs, std::fabs(static_cast<double>(x[i])));
            ++count;
        }
        if (count < 2) continue;
        const double mean = sum / count;
        double ss = 0.0;
        for (int i = 0; i < n; ++i) {
            if (!std::isfinite(x[i]) || (m && !std::isfinite(m[i]))) continue;
            const double d = x[i] - mean;
            ss += d * d;
        }
        const double sd = std::sqrt(ss / count);
        if (!(sd > kDegenerateRel * maxAbs) || sd == 0.0) continue; // a constant day: no z-scores
        for (int i = 0; i < n; ++i) {
            if (!std::isfinite(x[i]) || (m && !std::isfinite(m[i]))) continue;
            z[i] = static_cast<float>((x[i] - mean) / sd);
        }
    }
    return out;
}

FactorScorer::FactorScorer(std::shared_ptr<const Evaluator> evaluator, PanelPtr target, DayRange train)
    : m_evaluator(std::move(evaluator)), m_target(std::move(target)), m_train(train) {
    m_instruments = m_target ? m_target->instruments() : 0;
    m_layout.range = m_train;
    m_layout.instruments = m_instruments;
    m_layout.dayStart.assign(1, 0);
    if (m_target) {
        // Labelled = the target has a z-score there (finite, on a day that is not constant).
        const Panel::Storage tz = zscoreSlice(*m_target, m_train);
        for (int k = 0; k < m_train.size(); ++k) {
            const float* row = tz.data() + static_cast<std::size_t>(k) * m_instruments;
            double norm2 = 0.0;
            for (int i = 0; i < m_instruments; ++i) {
                if (!std::isfinite(row[i])) continue;
                m_layout.instrument.push_back(static_cast<std::uint32_t>(i));
                m_targetZ.z.push_back(row[i]);
                norm2 += double(row[i]) * double(row[i]);
            }
            m_layout.dayStart.push_back(static_cast<std::uint32_t>(m_layout.instrument.size()));
            m_targetZ.norm2.push_back(norm2);
        }
    } else {
        m_layout.range = DayRange{};
    }
}

double FactorScorer::icOfSlice(const TrainSlice& z, int* counted) const {
    return meanDailyCorrelation(m_layout, z, m_targetZ, counted);
}

double FactorScorer::mutual(const ScoredFactor& a, const ScoredFactor& b, int* counted) const {
    if (counted) *counted = 0;
    if (!a.trainZ || !b.trainZ) return kNaNd;
    return meanDailyCorrelation(m_layout, *a.trainZ, *b.trainZ, counted);
}

void FactorScorer::mutualRow(const ScoredFactor& a, const std::vector<const TrainSlice*>& others, double* out,
                             int* counted) const {
    const std::size_t count = others.size();
    if (!a.trainZ) {
        std::fill(out, out + count, kNaNd);
        if (counted) std::fill(counted, counted + count, 0);
        return;
    }
    // Contiguous chunks, one per thread, each of which reads a's slice once (the values do not
    // depend on the chunking); a null slice answers NaN with 0 days.
    const std::size_t threads = static_cast<std::size_t>(std::max(1, tbb::this_task_arena::max_concurrency()));
    const std::size_t chunk = std::max<std::size_t>(4, (count + threads - 1) / threads);
    const std::size_t chunks = (count + chunk - 1) / chunk;
    auto run = [&](std::size_t c) {
        const std::size_t begin = c * chunk, end = std::min(count, begin + chunk);
        meanDailyCorrelations(m_layout, *a.trainZ, others.data() + begin, end - begin, out + begin,
                              counted ? counted + begin : nullptr);
    };
    if (chunks == 1)
        run(0);
    else if (chunks > 1)
        tbb::parallel_for(std::size_t(0), chunks, run);
}

void FactorScorer::mutualMatrix(const std::vector<const TrainSlice*>& as, const std::vector<const TrainSlice*>& others,
                                double* out, int* counted) const {
    const std::size_t na = as.size(), no = others.size();
    if (na == 0 || no == 0) return;
    // Even tiles of at most 16 x 16 pairs (the values do not depend on the tiling); each tile
    // reads its columns' z-scores once.
    const std::size_t rowTiles = (na + 15) / 16, colTiles = (no + 15) / 16;
    const std::size_t rows = (na + rowTiles - 1) / rowTiles, cols = (no + colTiles - 1) / colTiles;
    auto run = [&](std::size_t t) {
        const std::size_t r0 = (t / colTiles) * rows, c0 = (t % colTiles) * cols;
        if (r0 >= na || c0 >= no) return;
        const std::size_t at = r0 * no + c0;
        meanDailyCorrelationMatrix(m_layout, as.data() + r0, std::min(rows, na - r0), others.data() + c0,
                                   std::min(cols, no - c0), out + at, no, counted ? counted + at : nullptr);
    };
    const std::size_t tiles = rowTiles * colTiles;
    if (tiles == 1)
        run(0);
    else
        tbb::parallel_for(std::size_t(0), tiles, run);
}

ScoredFactor FactorScorer::measure(const ExprPtr& expr, PanelPtr values) const {
    ScoredFactor f;
    f.expr = expr;
    f.formula = expr->toString();
    f.values = std::move(values);
    auto slice = std::make_shared<TrainSlice>();
    slice->z.resize(m_layout.cells());
    slice->norm2.assign(static_cast<std::size_t>(m_layout.days()), 0.0);
    std::size_t cells = 0, present = 0;
    int spreadDays = 0;
    // The train IC day by day as each day is z-scored, while its z-scores are in cache (not in a
    // second pass over the slice): icOfSlice's days, dot products and sum, in order.
    double icSum = 0.0;
    int icDays = 0;
    for (int k = 0; k < m_layout.days(); ++k) {
        const float* row = f.values->row(m_train.begin + k);
        const std::size_t off = m_layout.dayBegin(k);
        const int n = m_layout.dayCells(k);
        float* z = slice->z.data() + off;
        const std::uint32_t* idx = m_layout.instrument.data() + off;
        for (int j = 0; j < n; ++j) z[j] = row[idx[j]];
        int finite = 0, found = 0;
        const double norm2 = zscoreDay(z, n, finite, found);
        slice->norm2[static_cast<std::size_t>(k)] = norm2;
        cells += static_cast<std::size_t>(finite);
        present += static_cast<std::size_t>(found);
        spreadDays += finite > 0 ? 1 : 0;
        const double targetNorm2 = m_targetZ.norm2[static_cast<std::size_t>(k)];
        if (n >= 2 && norm2 > 0.0 && targetNorm2 > 0.0) {
            const float* zs = z;
            double d = 0.0;
            dots<1>(&zs, m_targetZ.z.data() + off, n, &d);
            icSum += dayCorrelation(d, norm2, targetNorm2);
            ++icDays;
        }
    }
    // The labelled cells the factor misses are 0 (AlphaGen's NaN -> 0 after normalisation), so
    // that IC, mutual correlations and the pool's combination all see the same vectors: then the
    // mutual matrix is an average of correlation matrices (positive semi-definite) and the pool
    // weights fitted on it describe the combination that is actually formed. With correlations
    // over each pair's own finite cells it is not, and weights exploded on US data.
    f.coverage = m_layout.cells() > 0 ? double(cells) / double(m_layout.cells()) : 0.0;
    f.ic = icDays > 0 ? icSum / icDays : kNaNd;
    f.icDays = icDays;
    if (std::isfinite(f.ic) && f.coverage >= kMinCoverage && f.icDays >= kMinCoverage * m_train.size())
        f.trainZ = std::move(slice);
    else {
        f.ic = kNaNd;
        f.unusable = present == 0 ? Unusable::Empty : spreadDays == 0 ? Unusable::Constant : Unusable::Sparse;
    }
    return f;
}

void FactorScorer::count(const ScoredFactor& f) {
    if (f.rejected)
        ++m_rejections;
    else
        ++m_evaluations;
    if (f.usable()) return;
    if (!f.rejected) ++m_failures;
    UnusableCounts& c = f.rejected ? m_rejected : m_unusable;
    switch (f.unusable) {
    case Unusable::Empty: ++c.empty; break;
    case Unusable::Constant: ++c.constant; break;
    default: ++c.sparse; break; // Sparse (and a NaN IC on enough cells, which cannot happen)
    }
}

const ScoredFactor* FactorScorer::recent(const Expr& expr) {
    auto it = m_recentIndex.find(expr.hash());
    if (it == m_recentIndex.end() || !it->second->expr->equals(expr)) return nullptr;
    m_recent.splice(m_recent.begin(), m_recent, it->second); // most recent first
    return &m_recent.front();
}

void FactorScorer::remember(const ScoredFactor& f) {
    const std::uint64_t h = f.expr->hash();
    if (auto it = m_recentIndex.find(h); it != m_recentIndex.end()) { // a hash collision: replace
        m_recent.erase(it->second);
        m_recentIndex.erase(it);
    }
    m_recent.push_front(f);
    m_recentIndex[h] = m_recent.begin();
    if (m_recent.size() > kRecentCapacity) {
        m_recentIndex.erase(m_recent.back().expr->hash());
        m_recent.pop_back();
    }
}

Result<ScoredFactor> FactorScorer::score(const ExprPtr& expr, const std::atomic<bool>* cancel) {
    return std::move(scoreBatch({expr}, cancel).front());
}

std::vector<Result<ScoredFactor>> FactorScorer::scoreBatch(const std::vector<ExprPtr>& exprs,
                                                           const std::atomic<bool>* cancel) {
    // Which formulas need an evaluation: not in the recent memory, and not earlier in the batch.
    std::vector<int> firstOf(exprs.size(), -1); // index of the batch's first equal formula
    std::vector<std::size_t> fresh;
    for (std::size_t i = 0; i < exprs.size(); ++i) {
        for (std::size_t j : fresh)
            if (exprs[j]->hash() == exprs[i]->hash() && exprs[j]->equals(*exprs[i])) {
                firstOf[i] = static_cast<int>(j);
                break;
            }
        if (firstOf[i] < 0 &&
            !(m_recentIndex.count(exprs[i]->hash()) && m_recentIndex[exprs[i]->hash()]->expr->equals(*exprs[i])))
            fresh.push_back(i);
    }
    std::vector<std::optional<Result<ScoredFactor>>> measured(exprs.size());
    if (!m_target) return std::vector<Result<ScoredFactor>>(exprs.size(), makeError(ErrorCode::Internal, "no target"));
    auto work = [&](std::size_t i) {
        if (m_probe) {
            if (const Unusable why = m_probe->verdict(exprs[i], cancel); why != Unusable::None) {
                ScoredFactor f;
                f.expr = exprs[i];
                f.formula = exprs[i]->toString();
                f.unusable = why;
                f.rejected = true;
                measured[i] = std::move(f);
                return;
            }
        }
        auto values = m_evaluator->evaluate(exprs[i], cancel);
        if (!values.ok()) {
            measured[i] = values.error();
            return;
        }
        // The evaluator may hold the market up to the end of training only (SearchRun's).
        const int days = values.value()->days();
        if (days < m_train.end || days > m_target->days() || values.value()->instruments() != m_instruments) {
            measured[i] = makeError(ErrorCode::Internal, "factor and target shapes differ");
            return;
        }
        measured[i] = measure(exprs[i], values.value());
    };
    if (fresh.size() == 1)
        work(fresh.front());
    else
        tbb::parallel_for(std::size_t(0), fresh.size(), [&](std::size_t k) { work(fresh[k]); });

    // Bookkeeping in order, as if score() had been called on each formula in turn.
    std::vector<Result<ScoredFactor>> out;
    out.reserve(exprs.size());
    for (std::size_t i = 0; i < exprs.size(); ++i) {
        if (const ScoredFactor* r = recent(*exprs[i])) {
            count(*r);
            out.push_back(*r);
            continue;
        }
        const std::size_t src = firstOf[i] >= 0 ? static_cast<std::size_t>(firstOf[i]) : i;
        if (!measured[src]) { // evaluated in the batch but dropped from the memory since: repeat it
            work(src);
        }
        const Result<ScoredFactor>& r = *measured[src];
        if (!(r.ok() && r->rejected) && m_seen.insert(exprs[i]->hash()).second) ++m_distinct;
        if (!r.ok()) {
            ++m_evaluations;
            if (r.error().code != ErrorCode::Canceled) {
                ++m_failures;
                ++m_unusable.refused;
            }
            out.push_back(r.error());
            continue;
        }
        count(*r);
        remember(*r);
        out.push_back(*r);
    }
    return out;
}

} // namespace alphascope

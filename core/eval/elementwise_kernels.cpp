#include "core/eval/elementwise_kernels.h"

#include "core/eval/vector_math.h"
#include "core/util/simd.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <memory>

namespace alphascope::kernels {

namespace {
constexpr std::size_t kGrain = 1 << 15; // cells per task
/// Cells per tile of a fused chain: a multiple of every vector width, so that, as in forEachRange's
/// tasks, only the panel's last few cells go through a loop's scalar tail (where the vector math
/// paths may round differently: vector_math.h).
constexpr std::size_t kTile = 4096;
static_assert(kGrain % kTile == 0);

// Checked after the conversion: a finite double beyond float range would otherwise become inf.
inline float finiteOrNaN(double v) {
    const float f = static_cast<float>(v);
    return std::isfinite(f) ? f : kNaN;
}

// The vectorisable forms: a comparison instead of a classification call, a select instead of a
// branch. |f| <= FLT_MAX is false for NaN and +-inf.
inline bool finite(float f) {
    return std::fabs(f) <= FLT_MAX;
}
inline float clean(float f) {
    return finite(f) ? f : kNaN;
}
inline float cleanD(double v) {
    return clean(static_cast<float>(v));
}

/// f(begin, end) over ranges of cells in parallel, each starting on a multiple of kGrain (tbb's
/// halving would cut anywhere, and a loop's scalar tail with it).
template <class F>
void forEachRange(std::size_t n, F&& f) {
    if (n <= kGrain) {
        f(std::size_t(0), n);
        return;
    }
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, (n + kGrain - 1) / kGrain),
        [&](const tbb::blocked_range<std::size_t>& r) { f(r.begin() * kGrain, std::min(n, r.end() * kGrain)); });
}

// One loop per operator, the switch outside it. In float where float arithmetic on float inputs
// rounds exactly like the double reference (+ - * / and sqrt: double rounding is innocuous for
// them), in double where a double constant or a libm function is involved.

ALPHASCOPE_SIMD_CLONES
void unaryLoop(OpId op, const float* x, float* o, std::size_t n) {
    switch (op) {
    case OpId::Abs:
        for (std::size_t k = 0; k < n; ++k) o[k] = finite(x[k]) ? std::fabs(x[k]) : kNaN;
        return;
    case OpId::Neg:
        for (std::size_t k = 0; k < n; ++k) o[k] = finite(x[k]) ? -x[k] : kNaN;
        return;
    case OpId::Sign:
        for (std::size_t k = 0; k < n; ++k) {
            const float v = x[k];
            o[k] = finite(v) ? (v > 0.0f ? 1.0f : (v < 0.0f ? -1.0f : 0.0f)) : kNaN;
        }
        return;
    case OpId::Inv:
        for (std::size_t k = 0; k < n; ++k) o[k] = finite(x[k]) && x[k] != 0.0f ? clean(1.0f / x[k]) : kNaN;
        return;
    case OpId::Sqrt:
        for (std::size_t k = 0; k < n; ++k)
            o[k] = finite(x[k]) ? std::copysign(std::sqrt(std::fabs(x[k])), x[k]) : kNaN;
        return;
    case OpId::Log: detail::logCells(x, o, n); return;
    case OpId::SLog1p: detail::slog1pCells(x, o, n); return;
    default:
        for (std::size_t k = 0; k < n; ++k) o[k] = finiteOrNaN(unaryValue(op, x[k]));
        return;
    }
}

ALPHASCOPE_SIMD_CLONES
void binaryLoop(OpId op, const float* a, const float* b, float* o, std::size_t n) {
    switch (op) {
    case OpId::Add:
        for (std::size_t k = 0; k < n; ++k) o[k] = clean(a[k] + b[k]);
        return;
    case OpId::Sub:
        for (std::size_t k = 0; k < n; ++k) o[k] = clean(a[k] - b[k]);
        return;
    case OpId::Mul:
        for (std::size_t k = 0; k < n; ++k) o[k] = clean(a[k] * b[k]);
        return;
    case OpId::Div:
        for (std::size_t k = 0; k < n; ++k)
            o[k] = finite(a[k]) && finite(b[k]) && b[k] != 0.0f ? clean(a[k] / b[k]) : kNaN;
        return;
    case OpId::Greater:
        for (std::size_t k = 0; k < n; ++k) o[k] = finite(a[k]) && finite(b[k]) ? (a[k] > b[k] ? a[k] : b[k]) : kNaN;
        return;
    case OpId::Less:
        for (std::size_t k = 0; k < n; ++k) o[k] = finite(a[k]) && finite(b[k]) ? (a[k] < b[k] ? a[k] : b[k]) : kNaN;
        return;
    case OpId::Pow: detail::powCells(a, b, o, n); return;
    default:
        for (std::size_t k = 0; k < n; ++k) o[k] = finiteOrNaN(binaryValue(op, a[k], b[k]));
        return;
    }
}

/// scalarLoop for a constant that is exactly a float (all of AlphaGen's but +-0.01): + - * / and
/// the comparisons of two floats computed in float round exactly as in double and rounded back
/// (53 >= 2 * 24 + 2 bits), so the values are the double road's, eight lanes at a time.
ALPHASCOPE_SIMD_CLONES
bool scalarLoopFloat(OpId op, const float* x, float c, bool right, float* o, std::size_t n) {
    switch (op) {
    case OpId::Add:
        for (std::size_t k = 0; k < n; ++k) o[k] = finite(x[k]) ? clean(x[k] + c) : kNaN;
        return true;
    case OpId::Sub:
        if (right)
            for (std::size_t k = 0; k < n; ++k) o[k] = finite(x[k]) ? clean(x[k] - c) : kNaN;
        else
            for (std::size_t k = 0; k < n; ++k) o[k] = finite(x[k]) ? clean(c - x[k]) : kNaN;
        return true;
    case OpId::Mul:
        for (std::size_t k = 0; k < n; ++k) o[k] = finite(x[k]) ? clean(x[k] * c) : kNaN;
        return true;
    case OpId::Div:
        if (right)
            for (std::size_t k = 0; k < n; ++k) o[k] = finite(x[k]) && c != 0.0f ? clean(x[k] / c) : kNaN;
        else
            for (std::size_t k = 0; k < n; ++k) o[k] = finite(x[k]) && x[k] != 0.0f ? clean(c / x[k]) : kNaN;
        return true;
    // One loop per side: with the side tested inside, GCC 12 leaves the loop scalar. Only for a
    // finite c (the result is then x or c, both finite, as is): with clean() around it, GCC 12
    // unswitched the loop on c's finiteness and left the finite case scalar (Less($high, 2) took
    // five times as long as Mul($high, 2)). An infinite c takes the double road.
    case OpId::Greater:
        if (!finite(c)) return false;
        if (right)
            for (std::size_t k = 0; k < n; ++k) o[k] = finite(x[k]) ? (x[k] > c ? x[k] : c) : kNaN;
        else
            for (std::size_t k = 0; k < n; ++k) o[k] = finite(x[k]) ? (c > x[k] ? c : x[k]) : kNaN;
        return true;
    case OpId::Less:
        if (!finite(c)) return false;
        if (right)
            for (std::size_t k = 0; k < n; ++k) o[k] = finite(x[k]) ? (x[k] < c ? x[k] : c) : kNaN;
        else
            for (std::size_t k = 0; k < n; ++k) o[k] = finite(x[k]) ? (c < x[k] ? c : x[k]) : kNaN;
        return true;
    default: return false;
    }
}

/// op(x, c) (or op(c, x) when !right) with a double constant: computed in double like the reference.
ALPHASCOPE_SIMD_CLONES
void scalarLoop(OpId op, const float* x, double c, bool right, float* o, std::size_t n) {
    if (std::isnan(c)) { // a folded constant that is undefined (Div(1, 0)): undefined everywhere
        std::fill(o, o + n, kNaN);
        return;
    }
    if (const auto f = static_cast<float>(c); static_cast<double>(f) == c && scalarLoopFloat(op, x, f, right, o, n))
        return;
    switch (op) {
    case OpId::Add:
        for (std::size_t k = 0; k < n; ++k) o[k] = finite(x[k]) ? cleanD(double(x[k]) + c) : kNaN;
        return;
    case OpId::Sub:
        if (right)
            for (std::size_t k = 0; k < n; ++k) o[k] = finite(x[k]) ? cleanD(double(x[k]) - c) : kNaN;
        else
            for (std::size_t k = 0; k < n; ++k) o[k] = finite(x[k]) ? cleanD(c - double(x[k])) : kNaN;
        return;
    case OpId::Mul:
        for (std::size_t k = 0; k < n; ++k) o[k] = finite(x[k]) ? cleanD(double(x[k]) * c) : kNaN;
        return;
    case OpId::Div:
        if (right)
            for (std::size_t k = 0; k < n; ++k) o[k] = finite(x[k]) && c != 0.0 ? cleanD(double(x[k]) / c) : kNaN;
        else
            for (std::size_t k = 0; k < n; ++k) o[k] = finite(x[k]) && x[k] != 0.0f ? cleanD(c / double(x[k])) : kNaN;
        return;
    case OpId::Greater:
        if (right)
            for (std::size_t k = 0; k < n; ++k)
                o[k] = finite(x[k]) ? cleanD(double(x[k]) > c ? double(x[k]) : c) : kNaN;
        else
            for (std::size_t k = 0; k < n; ++k)
                o[k] = finite(x[k]) ? cleanD(c > double(x[k]) ? c : double(x[k])) : kNaN;
        return;
    case OpId::Less:
        if (right)
            for (std::size_t k = 0; k < n; ++k)
                o[k] = finite(x[k]) ? cleanD(double(x[k]) < c ? double(x[k]) : c) : kNaN;
        else
            for (std::size_t k = 0; k < n; ++k)
                o[k] = finite(x[k]) ? cleanD(c < double(x[k]) ? c : double(x[k])) : kNaN;
        return;
    case OpId::Pow:
        if (right && c == 1.0) { // x^1 = x
            for (std::size_t k = 0; k < n; ++k) o[k] = clean(x[k]);
            return;
        }
        detail::powScalarCells(x, c, right, o, n);
        return;
    default:
        if (right)
            for (std::size_t k = 0; k < n; ++k) o[k] = finiteOrNaN(binaryValue(op, x[k], c));
        else
            for (std::size_t k = 0; k < n; ++k) o[k] = finiteOrNaN(binaryValue(op, c, x[k]));
        return;
    }
}

} // namespace

double unaryValue(OpId op, double x) {
    if (!std::isfinite(x)) return NAN;
    switch (op) {
    case OpId::Abs: return std::fabs(x);
    case OpId::Neg: return -x;
    case OpId::Sign: return x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0);
    case OpId::Log: return x > 0 ? std::log(x) : NAN;
    case OpId::SLog1p: return std::copysign(std::log1p(std::fabs(x)), x);
    case OpId::Inv: return x != 0 ? 1.0 / x : NAN;
    case OpId::Sqrt: return std::copysign(std::sqrt(std::fabs(x)), x);
    case OpId::Not: return x == 0 ? 1.0 : 0.0;
    default: return NAN;
    }
}

double binaryValue(OpId op, double x, double y) {
    if (!std::isfinite(x) || !std::isfinite(y)) return NAN;
    double r;
    switch (op) {
    case OpId::Add: r = x + y; break;
    case OpId::Sub: r = x - y; break;
    case OpId::Mul: r = x * y; break;
    case OpId::Div: r = y != 0 ? x / y : NAN; break;
    case OpId::Pow: r = std::pow(x, y); break; // negative base, non-integer exponent -> NaN
    case OpId::Greater: r = x > y ? x : y; break;
    case OpId::Less: r = x < y ? x : y; break;
    case OpId::Gt: r = x > y ? 1.0 : 0.0; break;
    case OpId::Ge: r = x >= y ? 1.0 : 0.0; break;
    case OpId::Lt: r = x < y ? 1.0 : 0.0; break;
    case OpId::Le: r = x <= y ? 1.0 : 0.0; break;
    case OpId::Eq: r = x == y ? 1.0 : 0.0; break;
    case OpId::Ne: r = x != y ? 1.0 : 0.0; break;
    case OpId::And: r = (x != 0 && y != 0) ? 1.0 : 0.0; break;
    case OpId::Or: r = (x != 0 || y != 0) ? 1.0 : 0.0; break;
    case OpId::SignedPower: r = std::copysign(std::pow(std::fabs(x), y), x); break;
    default: r = NAN;
    }
    return std::isfinite(r) ? r : NAN;
}

void unary(OpId op, const Panel& x, Panel& out) {
    const float* in = x.data();
    float* o = out.data();
    forEachRange(x.size(), [&](std::size_t b, std::size_t e) { unaryLoop(op, in + b, o + b, e - b); });
}

void binary(OpId op, const Panel& x, const Panel& y, Panel& out) {
    const float* a = x.data();
    const float* b = y.data();
    float* o = out.data();
    forEachRange(x.size(), [&](std::size_t s, std::size_t e) { binaryLoop(op, a + s, b + s, o + s, e - s); });
}

void binaryScalar(OpId op, const Panel& x, double c, bool scalarOnRight, Panel& out) {
    const float* a = x.data();
    float* o = out.data();
    forEachRange(x.size(),
                 [&](std::size_t s, std::size_t e) { scalarLoop(op, a + s, c, scalarOnRight, o + s, e - s); });
}

double selectValue(double cond, double a, double b) {
    if (!std::isfinite(cond)) return NAN;
    const double r = cond != 0 ? a : b;
    return std::isfinite(r) ? r : NAN;
}

namespace {

ALPHASCOPE_SIMD_CLONES
void selectLoop(const float* c, const float* a, const float* b, float* o, std::size_t n) {
    for (std::size_t k = 0; k < n; ++k) o[k] = finite(c[k]) ? clean(c[k] != 0.0f ? a[k] : b[k]) : kNaN;
}

} // namespace

void select(const Panel& cond, const Panel& x, const Panel& y, Panel& out) {
    const float* c = cond.data();
    const float* a = x.data();
    const float* b = y.data();
    float* o = out.data();
    forEachRange(cond.size(), [&](std::size_t s, std::size_t e) { selectLoop(c + s, a + s, b + s, o + s, e - s); });
}

void chain(const std::vector<ChainStep>& steps, const std::vector<const Panel*>& inputs, Panel& out) {
    using K = ChainOperand::Kind;
    if (steps.empty()) return;
    // A scratch tile per step result that is still to be read: a step takes a free tile for its
    // result, then frees its operands' (each is read once).
    std::vector<int> slot(steps.size(), -1);
    std::vector<int> freeSlots;
    int slots = 0;
    for (std::size_t j = 0; j + 1 < steps.size(); ++j) {
        if (freeSlots.empty()) freeSlots.push_back(slots++);
        slot[j] = freeSlots.back();
        freeSlots.pop_back();
        for (int a = 0; a < steps[j].arity; ++a)
            if (steps[j].args[a].kind == K::Step)
                freeSlots.push_back(slot[static_cast<std::size_t>(steps[j].args[a].index)]);
    }
    bool numbersInIf = false; // If's numbers are read as tiles of that float
    for (const auto& st : steps)
        for (int a = 0; st.arity == 3 && a < 3; ++a) numbersInIf = numbersInIf || st.args[a].kind == K::Number;
    const int numberTiles = numbersInIf ? 3 : 0;
    const std::size_t n = out.size();
    // One step: one loop per task, as the unfused kernels.
    const std::size_t tileCells = steps.size() == 1 ? kGrain : kTile;
    const std::size_t tiles = (n + tileCells - 1) / tileCells;
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, tiles, kGrain / tileCells), [&](const tbb::blocked_range<std::size_t>& r) {
            const std::size_t scratchCells = static_cast<std::size_t>(slots + numberTiles) * tileCells;
            std::unique_ptr<float[]> scratchTiles(scratchCells ? new float[scratchCells] : nullptr); // not zeroed
            float* const scratch = scratchTiles.get();
            for (std::size_t tile = r.begin(); tile != r.end(); ++tile) {
                const std::size_t s = tile * tileCells, len = std::min(tileCells, n - s);
                const auto at = [&](const ChainOperand& o, int numberTile) -> const float* {
                    if (o.kind == K::Input) return inputs[static_cast<std::size_t>(o.index)]->data() + s;
                    if (o.kind == K::Step)
                        return scratch + static_cast<std::size_t>(slot[static_cast<std::size_t>(o.index)]) * tileCells;
                    float* t = scratch + static_cast<std::size_t>(slots + numberTile) * tileCells;
                    std::fill(t, t + len, static_cast<float>(o.value));
                    return t;
                };
                for (std::size_t j = 0; j < steps.size(); ++j) {
                    const ChainStep& st = steps[j];
                    float* o = j + 1 == steps.size() ? out.data() + s
                                                     : scratch + static_cast<std::size_t>(slot[j]) * tileCells;
                    const ChainOperand& a = st.args[0];
                    const ChainOperand& b = st.args[1];
                    if (st.arity == 1)
                        unaryLoop(st.op, at(a, 0), o, len);
                    else if (st.arity == 3)
                        selectLoop(at(a, 0), at(b, 1), at(st.args[2], 2), o, len);
                    else if (b.kind == K::Number)
                        scalarLoop(st.op, at(a, 0), b.value, true, o, len);
                    else if (a.kind == K::Number)
                        scalarLoop(st.op, at(b, 0), a.value, false, o, len);
                    else
                        binaryLoop(st.op, at(a, 0), at(b, 1), o, len);
                }
            }
        });
}

void broadcastColumn(const Panel& x, int column, Panel& out) {
    const int n = x.instruments();
    tbb::parallel_for(tbb::blocked_range<int>(0, x.days(), std::max(1, int(kGrain) / std::max(1, n))),
                      [&](const tbb::blocked_range<int>& r) {
                          for (int t = r.begin(); t != r.end(); ++t) {
                              const float v = clean(x.row(t)[column]);
                              std::fill(out.row(t), out.row(t) + n, v);
                          }
                      });
}

} // namespace alphascope::kernels

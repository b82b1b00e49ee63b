#include "core/eval/elementwise_kernels.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <cmath>

namespace alphascope::kernels {

namespace {
constexpr std::size_t kGrain = 1 << 14; // cells per task

// Checked after the conversion: a finite double beyond float range would otherwise become inf.
inline float finiteOrNaN(double v) {
    const float f = static_cast<float>(v);
    return std::isfinite(f) ? f : kNaN;
}

template <class F>
void forEachCell(std::size_t n, F&& f) {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, kGrain), [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t k = r.begin(); k != r.end(); ++k) f(k);
    });
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
    default: r = NAN;
    }
    return std::isfinite(r) ? r : NAN;
}

void unary(OpId op, const Panel& x, Panel& out) {
    const float* in = x.data();
    float* o = out.data();
    forEachCell(x.size(), [&](std::size_t k) { o[k] = finiteOrNaN(unaryValue(op, in[k])); });
}

void binary(OpId op, const Panel& x, const Panel& y, Panel& out) {
    const float* a = x.data();
    const float* b = y.data();
    float* o = out.data();
    switch (op) {
    // The common cases get a loop the compiler can vectorise.
    case OpId::Add:
    case OpId::Sub:
    case OpId::Mul:
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, x.size(), kGrain), [&](const tbb::blocked_range<std::size_t>& r) {
            for (std::size_t k = r.begin(); k != r.end(); ++k) {
                const double va = a[k], vb = b[k];
                const double v = op == OpId::Add ? va + vb : (op == OpId::Sub ? va - vb : va * vb);
                o[k] = finiteOrNaN(v);
            }
        });
        return;
    default:
        forEachCell(x.size(), [&](std::size_t k) { o[k] = finiteOrNaN(binaryValue(op, a[k], b[k])); });
    }
}

void binaryScalar(OpId op, const Panel& x, double c, bool scalarOnRight, Panel& out) {
    const float* a = x.data();
    float* o = out.data();
    if (scalarOnRight)
        forEachCell(x.size(), [&](std::size_t k) { o[k] = finiteOrNaN(binaryValue(op, a[k], c)); });
    else
        forEachCell(x.size(), [&](std::size_t k) { o[k] = finiteOrNaN(binaryValue(op, c, a[k])); });
}

} // namespace alphascope::kernels

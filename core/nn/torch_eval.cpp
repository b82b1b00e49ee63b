#include "core/nn/torch_eval.h"

#include "core/eval/elementwise_kernels.h"
#include "core/expr/operator_registry.h"
#include "core/nn/device.h"

#include <torch/torch.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <mutex>

namespace alphascope {

namespace {

// Every node computes in float64 from the float32 values of its inputs, as the CPU kernels and
// their references do, and rounds its result to float32 with non-finite results read as NaN.
// Windows are unfold() views (T-W+1 x N x W); statistics take the references' two-pass formulas
// (tests/core/eval/rolling_reference.h), so a value differs from the CPU kernels' sliding updates
// only in its last double bits.

const double kNaNd = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

/// A node's value: a float32 T x N tensor, or a scalar (a sub-expression without fields).
struct Val {
    torch::Tensor t;
    double scalar = 0.0;
    bool isScalar() const { return !t.defined(); }
};

struct Canceled {};

torch::Tensor nanLike(const torch::Tensor& x) {
    return torch::full_like(x, kNaNd);
}

/// float64 with non-finite cells NaN.
torch::Tensor toDouble(const torch::Tensor& x32) {
    torch::Tensor d = x32.to(torch::kFloat64);
    return torch::where(torch::isfinite(d), d, nanLike(d));
}

/// The float32 result: non-finite (including beyond float range) is NaN.
torch::Tensor finish(const torch::Tensor& d) {
    torch::Tensor f = d.to(torch::kFloat32);
    return torch::where(torch::isfinite(f), f, torch::full_like(f, kNaNd));
}

torch::Tensor unaryOp(OpId op, const torch::Tensor& x32) {
    const torch::Tensor d = toDouble(x32);
    torch::Tensor r;
    switch (op) {
    case OpId::Abs: r = d.abs(); break;
    case OpId::Neg: r = -d; break;
    case OpId::Sign:
        r = torch::where(d > 0, torch::ones_like(d), torch::where(d < 0, -torch::ones_like(d), torch::zeros_like(d)));
        break;
    case OpId::Log: r = torch::where(d > 0, torch::log(d), nanLike(d)); break;
    case OpId::SLog1p: r = torch::copysign(torch::log1p(d.abs()), d); break;
    case OpId::Inv: r = torch::where(d != 0, 1.0 / d, nanLike(d)); break;
    case OpId::Sqrt: r = torch::copysign(torch::sqrt(d.abs()), d); break;
    case OpId::Not: r = (d == 0).to(d.scalar_type()); break;
    default: r = nanLike(d); break;
    }
    return finish(torch::where(torch::isfinite(d), r, nanLike(d)));
}

torch::Tensor binaryOp(OpId op, const torch::Tensor& a, const torch::Tensor& b) {
    const torch::Tensor ok = torch::isfinite(a) & torch::isfinite(b);
    torch::Tensor r;
    switch (op) {
    case OpId::Add: r = a + b; break;
    case OpId::Sub: r = a - b; break;
    case OpId::Mul: r = a * b; break;
    case OpId::Div: {
        const torch::Tensor q = a / b;
        r = torch::where(b != 0, q, torch::full_like(q, kNaNd));
        break;
    }
    case OpId::Pow: r = torch::pow(a, b); break; // C pow: a negative base to a non-integer is NaN
    case OpId::Greater: r = torch::where(a > b, a, b); break;
    case OpId::Less: r = torch::where(a < b, a, b); break;
    case OpId::Gt: r = (a > b).to(a.scalar_type()); break;
    case OpId::Ge: r = (a >= b).to(a.scalar_type()); break;
    case OpId::Lt: r = (a < b).to(a.scalar_type()); break;
    case OpId::Le: r = (a <= b).to(a.scalar_type()); break;
    case OpId::Eq: r = (a == b).to(a.scalar_type()); break;
    case OpId::Ne: r = (a != b).to(a.scalar_type()); break;
    case OpId::And: r = ((a != 0) & (b != 0)).to(a.scalar_type()); break;
    case OpId::Or: r = ((a != 0) | (b != 0)).to(a.scalar_type()); break;
    case OpId::SignedPower: r = torch::copysign(torch::pow(a.abs(), b), a); break;
    default: r = torch::full_like(a + b, kNaNd); break;
    }
    return finish(torch::where(ok, r, torch::full_like(r, kNaNd)));
}

/// x shifted `w` days later (w < 0: earlier), NaN where no day is there.
torch::Tensor shifted(const torch::Tensor& d, int w) {
    const auto T = d.size(0);
    if (w == 0) return d;
    if (std::abs(static_cast<long>(w)) >= T) return nanLike(d);
    const auto pad = torch::full({std::abs(static_cast<long>(w)), d.size(1)}, kNaNd, d.options());
    if (w > 0) return torch::cat({pad, d.slice(0, 0, T - w)}, 0);
    return torch::cat({d.slice(0, -w, T), pad}, 0);
}

/// max - min <= 1e-12 max(|max|, |min|) over the window's last dimension (ALGORITHMS.md §2).
torch::Tensor constantWindow(const torch::Tensor& u) {
    const torch::Tensor hi = std::get<0>(u.max(-1)), lo = std::get<0>(u.min(-1));
    return (hi - lo) <= 1e-12 * torch::maximum(hi.abs(), lo.abs());
}

/// Rows of a window result (T-W+1 rows) placed at days W-1.., NaN before.
torch::Tensor padWindowRows(const torch::Tensor& r, int w) {
    if (w <= 1) return r;
    return torch::cat({torch::full({w - 1, r.size(1)}, kNaNd, r.options()), r}, 0);
}

torch::Tensor rollingOp(OpId op, const torch::Tensor& x32, int w, double q = 0.5) {
    const torch::Tensor d = toDouble(x32);
    const auto T = d.size(0);
    if (op == OpId::Ref) return finish(shifted(d, w));
    if (op == OpId::Delta || op == OpId::PctChange) {
        if (w < 1) return finish(nanLike(d));
        const torch::Tensor a = shifted(d, w);
        const torch::Tensor r = op == OpId::Delta ? d - a : torch::where(a != 0, d / a - 1.0, nanLike(d));
        return finish(r);
    }
    if (w < minimumWindow(op) || w > T) return finish(nanLike(d));
    if (op == OpId::Count) // days with a value: a NaN is counted out, not propagated
        return finish(padWindowRows(torch::isfinite(d).unfold(0, w, 1).sum(-1).to(d.scalar_type()), w));

    const torch::Tensor finite = torch::isfinite(d);
    const torch::Tensor u = torch::where(finite, d, torch::zeros_like(d)).unfold(0, w, 1); // (T-w+1, N, w)
    const torch::Tensor valid = finite.unfold(0, w, 1).all(-1);
    const double n = w;
    const torch::Tensor today = u.select(-1, w - 1);
    torch::Tensor r;
    auto meanOf = [&] { return u.mean(-1); };
    auto centralMoment = [&](const torch::Tensor& mean, int k) { return (u - mean.unsqueeze(-1)).pow(k).mean(-1); };
    switch (op) {
    case OpId::Mean: r = meanOf(); break;
    case OpId::Sum: r = u.sum(-1); break;
    case OpId::Product: r = u.prod(-1); break;
    case OpId::Var:
    case OpId::Std:
    case OpId::IR: {
        const torch::Tensor mean = meanOf();
        const torch::Tensor var = centralMoment(mean, 2) * (n / (n - 1));
        const torch::Tensor flat = constantWindow(u);
        if (op == OpId::Var)
            r = torch::where(flat, torch::zeros_like(var), var);
        else if (op == OpId::Std)
            r = torch::where(flat, torch::zeros_like(var), var.sqrt());
        else
            r = torch::where(flat | (var.sqrt() <= 0), nanLike(var), mean / var.sqrt());
        break;
    }
    case OpId::Skew:
    case OpId::Kurt: {
        const torch::Tensor mean = meanOf();
        const torch::Tensor m2 = centralMoment(mean, 2);
        if (op == OpId::Skew)
            r = std::sqrt(n * (n - 1)) / (n - 2) * centralMoment(mean, 3) / m2.pow(1.5);
        else
            r = ((n * n - 1) * centralMoment(mean, 4) / (m2 * m2) - 3.0 * (n - 1) * (n - 1)) / ((n - 2.0) * (n - 3.0));
        r = torch::where(constantWindow(u), nanLike(r), r);
        break;
    }
    case OpId::Max: r = std::get<0>(u.max(-1)); break;
    case OpId::Min: r = std::get<0>(u.min(-1)); break;
    case OpId::MaxDiff: r = today - std::get<0>(u.max(-1)); break;
    case OpId::MinDiff: r = today - std::get<0>(u.min(-1)); break;
    case OpId::MinMaxDiff: r = std::get<0>(u.max(-1)) - std::get<0>(u.min(-1)); break;
    case OpId::ArgMax:
    case OpId::ArgMin: {
        // The first extreme day of the window (oldest first), 1-based; the first index equal to the
        // extreme is taken explicitly rather than trusting argmax's tie rule on every device.
        const torch::Tensor ext = op == OpId::ArgMax ? std::get<0>(u.max(-1, true)) : std::get<0>(u.min(-1, true));
        const torch::Tensor pos = torch::arange(1, w + 1, d.options()).expand_as(u);
        r = std::get<0>(torch::where(u == ext, pos, torch::full_like(pos, kInf)).min(-1));
        break;
    }
    case OpId::Med: {
        const torch::Tensor s = std::get<0>(u.sort(-1));
        r = w % 2 ? s.select(-1, w / 2) : 0.5 * (s.select(-1, w / 2 - 1) + s.select(-1, w / 2));
        break;
    }
    case OpId::Quantile: { // linear between the order statistics around (W - 1) q, as pandas
        const torch::Tensor s = std::get<0>(u.sort(-1));
        const double position = (w - 1) * q;
        const int lo = static_cast<int>(std::floor(position));
        const int hi = std::min(w - 1, static_cast<int>(std::ceil(position)));
        const torch::Tensor a = s.select(-1, lo), b = s.select(-1, hi);
        r = a + (b - a) * (position - lo);
        break;
    }
    case OpId::Mad: {
        const torch::Tensor mean = meanOf();
        r = (u - mean.unsqueeze(-1)).abs().mean(-1);
        r = torch::where(constantWindow(u), torch::zeros_like(r), r);
        break;
    }
    case OpId::Rank: {
        const torch::Tensor t = today.unsqueeze(-1);
        const torch::Tensor less = (u < t).sum(-1).to(torch::kFloat64), equal = (u == t).sum(-1).to(torch::kFloat64);
        r = (less + (equal + 1.0) / 2.0) / n;
        break;
    }
    case OpId::WMA: {
        const torch::Tensor weights = torch::arange(1, w + 1, d.options()) / (n * (n + 1) / 2.0);
        r = (u * weights).sum(-1);
        break;
    }
    case OpId::EMA: {
        const double alpha = 2.0 / (n + 1);
        // position j (oldest first) is age w-1-j
        const torch::Tensor age = torch::arange(w - 1, -1, -1, d.options());
        const torch::Tensor weights = torch::pow(1.0 - alpha, age);
        r = (u * weights).sum(-1) / weights.sum();
        break;
    }
    case OpId::TsDiv: {
        const torch::Tensor mean = meanOf();
        r = torch::where(mean != 0, today / mean, nanLike(mean));
        break;
    }
    case OpId::Slope:
    case OpId::Rsquare:
    case OpId::Resi: { // least squares on time 1..W: sum (k - mean k)^2 = W (W^2 - 1) / 12
        const torch::Tensor k = torch::arange(1, w + 1, d.options());
        const double kMean = (w + 1) / 2.0, kSq = n * (n * n - 1.0) / 12.0;
        const torch::Tensor mean = meanOf();
        const torch::Tensor centred = u - mean.unsqueeze(-1);
        const torch::Tensor cov = (centred * (k - kMean)).sum(-1);
        const torch::Tensor slope = cov / kSq;
        const torch::Tensor flat = constantWindow(u);
        if (op == OpId::Slope) {
            r = torch::where(flat, torch::zeros_like(slope), slope);
        } else if (op == OpId::Rsquare) {
            const torch::Tensor m2 = centred.pow(2).sum(-1);
            r = torch::where(flat | (m2 <= 0), nanLike(m2), torch::clamp_max(cov * cov / (kSq * m2), 1.0));
        } else {
            r = torch::where(flat, torch::zeros_like(slope), today - (mean + slope * (n - kMean)));
        }
        break;
    }
    default: r = nanLike(today); break;
    }
    return finish(padWindowRows(torch::where(valid, r, nanLike(r)), w));
}

torch::Tensor pairRollingOp(OpId op, const torch::Tensor& x32, const torch::Tensor& y32, int w) {
    const torch::Tensor a = toDouble(x32), b = toDouble(y32);
    if (w < 2 || w > a.size(0)) return finish(nanLike(a));
    const torch::Tensor finite = torch::isfinite(a) & torch::isfinite(b);
    const torch::Tensor ua = torch::where(finite, a, torch::zeros_like(a)).unfold(0, w, 1);
    const torch::Tensor ub = torch::where(finite, b, torch::zeros_like(b)).unfold(0, w, 1);
    const torch::Tensor valid = finite.unfold(0, w, 1).all(-1);
    const torch::Tensor da = ua - ua.mean(-1, true), db = ub - ub.mean(-1, true);
    const torch::Tensor sab = (da * db).sum(-1);
    torch::Tensor r;
    if (op == OpId::Cov) {
        r = sab / (w - 1.0);
    } else {
        const torch::Tensor saa = (da * da).sum(-1), sbb = (db * db).sum(-1);
        r = sab / torch::sqrt(saa * sbb);
        r = torch::where(constantWindow(ua) | constantWindow(ub), nanLike(r), r);
    }
    return finish(padWindowRows(torch::where(valid, r, nanLike(r)), w));
}

OpId crossSectionEquivalent(OpId op) {
    switch (op) {
    case OpId::GroupDemean: return OpId::CSDemean;
    case OpId::GroupRank: return OpId::CSRank;
    case OpId::GroupZScore: return OpId::CSZScore;
    default: return op;
    }
}

/// A cross-sectional operation per day over the cells of `member` (finite ones): NaN elsewhere.
torch::Tensor crossSection(OpId op, const torch::Tensor& d, const torch::Tensor& member) {
    const torch::Tensor count = member.sum(1, true).to(torch::kFloat64);
    const torch::Tensor x0 = torch::where(member, d, torch::zeros_like(d));
    torch::Tensor r;
    switch (crossSectionEquivalent(op)) {
    case OpId::CSRank: {
        // average rank / count: the tied block of x holds ranks less+1 .. lessOrEqual
        const torch::Tensor keys = torch::where(member, d, torch::full_like(d, kInf)).contiguous();
        const torch::Tensor sorted = std::get<0>(keys.sort(1));
        const torch::Tensor less = torch::searchsorted(sorted, keys, false, false).to(torch::kFloat64);
        const torch::Tensor lessOrEqual = torch::searchsorted(sorted, keys, false, true).to(torch::kFloat64);
        r = (less + lessOrEqual + 1.0) / 2.0 / count;
        break;
    }
    case OpId::CSDemean: r = d - x0.sum(1, true) / count; break;
    case OpId::CSZScore: {
        const torch::Tensor mean = x0.sum(1, true) / count;
        const torch::Tensor dev = torch::where(member, d - mean, torch::zeros_like(d));
        const torch::Tensor sd = torch::sqrt((dev * dev).sum(1, true) / count);
        const torch::Tensor maxAbs = std::get<0>(x0.abs().max(1, true));
        const torch::Tensor ok = (count >= 2) & (sd > 1e-12 * maxAbs) & (sd != 0);
        r = torch::where(ok, (d - mean) / sd, nanLike(d));
        break;
    }
    case OpId::CSScale: {
        const torch::Tensor s = x0.abs().sum(1, true);
        r = torch::where(s > 0, d / s, nanLike(d));
        break;
    }
    default: r = nanLike(d); break;
    }
    return torch::where(member, r, nanLike(r));
}

class TorchEvalBackend final : public EvalBackend {
public:
    TorchEvalBackend(std::shared_ptr<const MarketData> data, torch::Device device, std::string name)
        : m_data(std::move(data)), m_device(device), m_name(std::move(name)) {
        const auto T = static_cast<long>(m_data->days()), N = static_cast<long>(m_data->instrumentCount());
        if (!m_data->membership.empty()) {
            auto host = torch::from_blob(const_cast<std::uint8_t*>(m_data->membership.data()), {T, N}, torch::kUInt8);
            m_membership = host.to(m_device, torch::kBool);
        }
    }

    std::string name() const override { return m_name; }

    Result<PanelPtr> evaluate(const Expr& expr, const std::atomic<bool>* cancel) const override {
        try {
            torch::NoGradGuard noGrad;
            Val v = eval(expr, cancel);
            torch::Tensor t = v.isScalar() ? withMembership(full(static_cast<float>(v.scalar))) : v.t;
            t = t.to(torch::kCPU, torch::kFloat32).contiguous();
            auto panel = std::make_shared<Panel>(m_data->days(), m_data->instrumentCount(), Uninitialized{});
            std::memcpy(panel->data(), t.data_ptr<float>(), panel->size() * sizeof(float));
            return PanelPtr(panel);
        } catch (const Canceled&) {
            return makeError(ErrorCode::Canceled, "evaluation canceled");
        } catch (const std::exception& e) {
            return makeError(ErrorCode::Internal, std::string("LibTorch evaluation failed: ") + e.what());
        }
    }

private:
    torch::Tensor full(float value) const {
        return torch::full({static_cast<long>(m_data->days()), static_cast<long>(m_data->instrumentCount())}, value,
                           torch::TensorOptions().dtype(torch::kFloat32).device(m_device));
    }

    torch::Tensor withMembership(const torch::Tensor& x) const {
        return m_membership.defined() ? torch::where(m_membership, x, torch::full_like(x, kNaNd)) : x;
    }

    torch::Tensor field(const std::string& name) const {
        std::lock_guard lock(m_mutex);
        if (auto it = m_fields.find(name); it != m_fields.end()) return it->second;
        const auto it = m_data->fields.find(name);
        if (it == m_data->fields.end()) throw std::runtime_error("unknown field $" + name);
        const Panel& p = *it->second;
        auto host = torch::from_blob(const_cast<float*>(p.data()), {p.days(), p.instruments()}, torch::kFloat32);
        torch::Tensor t = host.to(m_device, torch::kFloat32, false, /*copy=*/true);
        m_fields.emplace(name, t);
        return t;
    }

    torch::Tensor groupIds(const std::string& name) const {
        std::lock_guard lock(m_mutex);
        if (auto it = m_groups.find(name); it != m_groups.end()) return it->second;
        const Grouping* g = m_data->grouping(name);
        if (!g) throw std::runtime_error("unknown grouping '" + name + "'");
        // [1, N] for a fixed grouping, [T, N] for one that changes over time: both broadcast on a panel.
        const std::vector<int>& source = g->kernelIds();
        std::vector<std::int64_t> ids(source.begin(), source.end());
        const std::int64_t n = static_cast<std::int64_t>(g->ids.size());
        torch::Tensor t = torch::tensor(ids, torch::kInt64).reshape({-1, n}).to(m_device);
        m_groups.emplace(name, t);
        return t;
    }

    /// A panel for a value (a scalar filled over the calendar).
    torch::Tensor asPanel(const Val& v) const { return v.isScalar() ? full(static_cast<float>(v.scalar)) : v.t; }

    Val eval(const Expr& e, const std::atomic<bool>* cancel) const {
        if (cancel && cancel->load(std::memory_order_relaxed)) throw Canceled{};
        if (e.isConstant()) return Val{{}, e.value()};
        if (e.isFeature()) return Val{field(e.name()), 0.0};
        const OperatorSpec& spec = operatorSpec(e.opId());
        std::vector<Val> args;
        args.reserve(e.args().size());
        for (const auto& a : e.args()) args.push_back(eval(*a, cancel));
        bool allScalar = true;
        for (const auto& a : args) allScalar = allScalar && a.isScalar();
        if (allScalar && (spec.kind == OpKind::Unary || spec.kind == OpKind::Binary || spec.kind == OpKind::Select)) {
            const double r = spec.kind == OpKind::Unary ? kernels::unaryValue(e.opId(), args[0].scalar)
                             : spec.kind == OpKind::Binary
                                 ? kernels::binaryValue(e.opId(), args[0].scalar, args[1].scalar)
                                 : kernels::selectValue(args[0].scalar, args[1].scalar, args[2].scalar);
            return Val{{}, r};
        }
        const auto f64 = torch::TensorOptions().dtype(torch::kFloat64).device(m_device);
        auto operand = [&](const Val& v) { return v.isScalar() ? torch::scalar_tensor(v.scalar, f64) : toDouble(v.t); };
        switch (spec.kind) {
        case OpKind::Unary: return Val{unaryOp(e.opId(), args[0].t), 0.0};
        case OpKind::Binary: return Val{binaryOp(e.opId(), operand(args[0]), operand(args[1])), 0.0};
        case OpKind::Rolling:
            return Val{withMembership(rollingOp(e.opId(), asPanel(args[0]), e.window(), e.parameter())), 0.0};
        case OpKind::PairRolling:
            return Val{withMembership(pairRollingOp(e.opId(), asPanel(args[0]), asPanel(args[1]), e.window())), 0.0};
        case OpKind::CrossSectional: {
            const torch::Tensor x = args[0].isScalar() ? withMembership(asPanel(args[0])) : args[0].t;
            const torch::Tensor d = toDouble(x);
            return Val{finish(crossSection(e.opId(), d, torch::isfinite(d))), 0.0};
        }
        case OpKind::Group: {
            const torch::Tensor ids = groupIds(e.name());
            const torch::Tensor x = args[0].isScalar() ? withMembership(asPanel(args[0])) : args[0].t;
            const torch::Tensor d = toDouble(x);
            const torch::Tensor finite = torch::isfinite(d);
            torch::Tensor out = nanLike(d);
            const int groups = m_data->grouping(e.name())->groupCount();
            for (int g = 0; g < groups; ++g) {
                const torch::Tensor member = finite & (ids == g);
                out = torch::where(member, crossSection(e.opId(), d, member), out);
            }
            return Val{finish(out), 0.0};
        }
        case OpKind::Select: { // NaN where the condition is NaN; otherwise the chosen branch
            const torch::Tensor c = toDouble(asPanel(args[0]));
            const torch::Tensor picked = torch::where(c != 0, toDouble(asPanel(args[1])), toDouble(asPanel(args[2])));
            return Val{finish(torch::where(torch::isfinite(c), picked, nanLike(c))), 0.0};
        }
        case OpKind::Instrument: {
            const int column = m_data->instrumentIndex(e.name());
            if (column < 0) throw std::runtime_error("the data has no instrument " + quoteInstrument(e.name()));
            const torch::Tensor x = asPanel(args[0]);
            return Val{withMembership(x.select(1, column).unsqueeze(1).expand_as(x).contiguous()), 0.0};
        }
        }
        throw std::runtime_error("operator without a LibTorch form");
    }

    std::shared_ptr<const MarketData> m_data;
    torch::Device m_device;
    std::string m_name;
    torch::Tensor m_membership; ///< bool T x N on the device; undefined when everything is a member
    mutable std::mutex m_mutex;
    mutable std::map<std::string, torch::Tensor> m_fields; ///< float32 T x N on the device, uploaded once
    mutable std::map<std::string, torch::Tensor> m_groups; ///< int64 [1, N] or [T, N]
};

} // namespace

std::unique_ptr<EvalBackend> makeTorchEvalBackend(std::shared_ptr<const MarketData> data, bool cuda) {
    if (!data) return nullptr;
    if (cuda) {
        const ComputeDevice d = detectComputeDevice();
        if (!d.cuda) return nullptr;
        return std::make_unique<TorchEvalBackend>(std::move(data), torch::Device(torch::kCUDA, 0),
                                                  "LibTorch CUDA" +
                                                      (d.gpuName.empty() ? std::string() : " (" + d.gpuName + ")"));
    }
    return std::make_unique<TorchEvalBackend>(std::move(data), torch::Device(torch::kCPU), "LibTorch CPU");
}

} // namespace alphascope

#include "core/eval/evaluator.h"

#include "core/eval/cross_section_kernels.h"
#include "core/eval/elementwise_kernels.h"
#include "core/eval/rolling_kernels.h"
#include "core/expr/operator_registry.h"
#include "core/expr/parser.h"
#include "core/util/simd.h"

#include <algorithm>
#include <limits>

namespace alphascope {

struct Evaluator::Value {
    PanelPtr panel;       // set for series
    double scalar = 0.0;  // used when panel is null (a constant sub-expression)
    bool isScalar() const { return !panel; }
};

Evaluator::Evaluator(std::shared_ptr<const MarketData> data, EvaluatorOptions options)
    : m_data(std::move(data)), m_options(options), m_cache(options.cacheBytes) {
    const auto& member = m_data->membership;
    // Scattered writes to a list cost more per cell than the dense select: use the list below 1/8.
    const std::size_t outside = static_cast<std::size_t>(std::count(member.begin(), member.end(), std::uint8_t(0)));
    if (member.empty() || outside > member.size() / 8 || member.size() > std::numeric_limits<std::uint32_t>::max()) return;
    m_sparseOutside = true;
    m_outside.reserve(outside);
    for (std::size_t k = 0; k < member.size(); ++k)
        if (!member[k]) m_outside.push_back(static_cast<std::uint32_t>(k));
}

ParseOptions parseOptionsFor(const MarketData& data, bool isTarget) {
    ParseOptions o;
    o.allowFuture = isTarget;
    o.checkNames = true;
    o.knownFields = data.fieldNames();
    for (const auto& g : data.groupings) o.knownGroups.push_back(g.name);
    return o;
}

Result<void> Evaluator::check(const Expr& e) const {
    switch (e.kind()) {
    case Expr::Kind::Constant:
        return {};
    case Expr::Kind::Feature:
        if (!m_data->hasField(e.name())) {
            std::string names;
            for (const auto& n : m_data->fieldNames()) names += (names.empty() ? "$" : ", $") + n;
            return makeError(ErrorCode::Semantic, "unknown field $" + e.name() + "; the data has " + names);
        }
        return {};
    case Expr::Kind::Operator:
        if (operatorSpec(e.opId()).hasInstrument && m_data->instrumentIndex(e.name()) < 0)
            return makeError(ErrorCode::Semantic, "ChangeInstrument: the data has no instrument " + quoteInstrument(e.name()) +
                                                      " (" + std::to_string(m_data->instrumentCount()) + " instruments, e.g. " +
                                                      (m_data->instruments.empty() ? std::string("none") : m_data->instruments.front()) + ")");
        if (operatorSpec(e.opId()).hasGroup && !m_data->grouping(e.name())) {
            std::string names;
            for (const auto& g : m_data->groupings) names += (names.empty() ? "" : ", ") + g.name;
            return makeError(ErrorCode::Semantic, "unknown grouping '" + e.name() + "'; the data has " + (names.empty() ? std::string("none (load a sector file)") : names));
        }
        for (const auto& a : e.args())
            if (auto r = check(*a); !r.ok()) return r;
        return {};
    }
    return {};
}

namespace {

/// d[k] = NaN where the instrument is out of the universe: an unconditional select, so that the
/// loop vectorises (a conditional store does not, and this runs after every rolling node).
ALPHASCOPE_SIMD_CLONES
void maskCells(float* d, const std::uint8_t* member, std::size_t n) {
    for (std::size_t k = 0; k < n; ++k) d[k] = member[k] ? d[k] : kNaN;
}

} // namespace

void Evaluator::applyMembership(Panel& p) const {
    if (m_data->membership.empty()) return;
    if (m_sparseOutside && p.size() == m_data->membership.size()) {
        float* d = p.data();
        for (std::uint32_t k : m_outside) d[k] = kNaN;
        return;
    }
    maskCells(p.data(), m_data->membership.data(), std::min(p.size(), m_data->membership.size()));
}

Result<PanelPtr> Evaluator::evaluate(std::string_view formula, bool isTarget) const {
    auto parsed = parseFormula(formula, parseOptionsFor(*m_data, isTarget));
    if (!parsed.ok()) return parsed.error();
    return evaluate(parsed.value());
}

Result<PanelPtr> Evaluator::evaluateKept(const std::string& formula, bool isTarget) const {
    const std::string key = (isTarget ? "T:" : "F:") + formula;
    {
        std::lock_guard lock(m_keptMutex);
        if (auto it = m_kept.find(key); it != m_kept.end()) return it->second;
    }
    auto values = evaluate(formula, isTarget); // outside the lock: two threads may both compute it once
    if (!values.ok()) return values;
    std::lock_guard lock(m_keptMutex);
    return m_kept.emplace(key, values.value()).first->second;
}

Result<PanelPtr> Evaluator::evaluate(const ExprPtr& expr, const std::atomic<bool>* cancel) const {
    if (auto c = check(*expr); !c.ok()) return c.error();
    if (m_backend) {
        if (PanelPtr cached = m_cache.find(*expr)) return cached;
        auto values = m_backend->evaluate(*expr, cancel);
        if (values.ok() && !expr->isConstant() && !expr->isFeature()) m_cache.insert(expr, values.value());
        return values;
    }
    auto v = eval(expr, cancel);
    if (!v.ok()) return v.error();
    if (!v.value().isScalar()) return v.value().panel;
    auto p = std::make_shared<Panel>(m_data->days(), m_data->instrumentCount(), static_cast<float>(v.value().scalar));
    applyMembership(*p);
    return PanelPtr(p);
}

Result<Evaluator::Value> Evaluator::eval(const ExprPtr& ep, const std::atomic<bool>* cancel) const {
    const Expr& e = *ep;
    if (cancel && cancel->load(std::memory_order_relaxed)) return makeError(ErrorCode::Canceled, "evaluation canceled");
    if (e.isConstant()) return Value{nullptr, e.value()};
    if (e.isFeature()) {
        auto it = m_data->fields.find(e.name());
        if (it == m_data->fields.end()) return makeError(ErrorCode::Semantic, "unknown field $" + e.name());
        return Value{it->second, 0.0};
    }
    if (PanelPtr cached = m_cache.find(e)) return Value{cached, 0.0};

    const OperatorSpec& spec = operatorSpec(e.opId());
    std::vector<Value> args;
    args.reserve(e.args().size());
    for (const auto& a : e.args()) {
        auto v = eval(a, cancel);
        if (!v.ok()) return v.error();
        args.push_back(std::move(v.value()));
    }

    // A sub-expression without any field folds to a scalar.
    bool allScalar = true;
    for (const auto& a : args) allScalar = allScalar && a.isScalar();
    if (allScalar && (spec.kind == OpKind::Unary || spec.kind == OpKind::Binary || spec.kind == OpKind::Select)) {
        const double r = spec.kind == OpKind::Unary    ? kernels::unaryValue(e.opId(), args[0].scalar)
                         : spec.kind == OpKind::Binary ? kernels::binaryValue(e.opId(), args[0].scalar, args[1].scalar)
                                                       : kernels::selectValue(args[0].scalar, args[1].scalar, args[2].scalar);
        return Value{nullptr, r};
    }

    const int T = m_data->days(), N = m_data->instrumentCount();
    auto asPanel = [&](const Value& v) -> PanelPtr {
        if (!v.isScalar()) return v.panel;
        return std::make_shared<const Panel>(T, N, static_cast<float>(v.scalar));
    };
    auto out = std::make_shared<Panel>(T, N, Uninitialized{});
    switch (spec.kind) {
    case OpKind::Unary:
        kernels::unary(e.opId(), *args[0].panel, *out);
        break;
    case OpKind::Binary:
        if (args[0].isScalar())
            kernels::binaryScalar(e.opId(), *args[1].panel, args[0].scalar, false, *out);
        else if (args[1].isScalar())
            kernels::binaryScalar(e.opId(), *args[0].panel, args[1].scalar, true, *out);
        else
            kernels::binary(e.opId(), *args[0].panel, *args[1].panel, *out);
        break;
    case OpKind::Rolling:
        if (e.opId() == OpId::Quantile)
            kernels::rollingQuantile(*asPanel(args[0]), e.window(), e.parameter(), *out);
        else
            kernels::rolling(e.opId(), *asPanel(args[0]), e.window(), *out);
        applyMembership(*out);
        break;
    case OpKind::PairRolling:
        kernels::pairRolling(e.opId(), *asPanel(args[0]), *asPanel(args[1]), e.window(), *out);
        applyMembership(*out);
        break;
    case OpKind::CrossSectional: {
        PanelPtr x = asPanel(args[0]);
        if (args[0].isScalar()) {
            auto masked = std::make_shared<Panel>(*x);
            applyMembership(*masked);
            x = masked;
        }
        kernels::crossSectional(e.opId(), *x, *out);
        break;
    }
    case OpKind::Group: {
        const Grouping* g = m_data->grouping(e.name());
        if (!g) return makeError(ErrorCode::Semantic, "unknown grouping '" + e.name() + "'");
        PanelPtr x = asPanel(args[0]);
        if (args[0].isScalar()) {
            auto masked = std::make_shared<Panel>(*x);
            applyMembership(*masked);
            x = masked;
        }
        kernels::group(e.opId(), *x, g->kernelIds(), *out);
        break;
    }
    case OpKind::Select:
        kernels::select(*asPanel(args[0]), *asPanel(args[1]), *asPanel(args[2]), *out);
        break;
    case OpKind::Instrument: {
        const int column = m_data->instrumentIndex(e.name());
        if (column < 0) return makeError(ErrorCode::Semantic, "the data has no instrument " + quoteInstrument(e.name()));
        kernels::broadcastColumn(*asPanel(args[0]), column, *out);
        applyMembership(*out);
        break;
    }
    }
    PanelPtr result = out;
    m_cache.insert(ep, result);
    return Value{result, 0.0};
}

} // namespace alphascope

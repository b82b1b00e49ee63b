#include "core/eval/evaluator.h"

#include "core/eval/cross_section_kernels.h"
#include "core/eval/elementwise_kernels.h"
#include "core/eval/rolling_kernels.h"
#include "core/expr/operator_registry.h"
#include "core/expr/parser.h"

namespace alphascope {

struct Evaluator::Value {
    PanelPtr panel;      // set for series
    double scalar = 0.0; // used when panel is null (a constant sub-expression)
    bool isScalar() const { return !panel; }
};

struct Evaluator::Chain {
    std::vector<kernels::ChainStep> steps;
    std::vector<PanelPtr> inputs;
    kernels::ChainOperand operand; ///< what the last addToChain added
};

namespace {

bool isElementwise(OpKind kind) {
    return kind == OpKind::Unary || kind == OpKind::Binary || kind == OpKind::Select;
}

} // namespace

Evaluator::Evaluator(std::shared_ptr<const MarketData> data, EvaluatorOptions options)
    : m_data(std::move(data)), m_mask(m_data->membership, m_data->days(), m_data->instrumentCount()),
      m_options(options), m_cache(options.cacheBytes) {}

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
    case Expr::Kind::Constant: return {};
    case Expr::Kind::Feature:
        if (!m_data->hasField(e.name())) {
            std::string names;
            for (const auto& n : m_data->fieldNames()) names += (names.empty() ? "$" : ", $") + n;
            return makeError(ErrorCode::Semantic, "unknown field $" + e.name() + "; the data has " + names);
        }
        return {};
    case Expr::Kind::Operator:
        if (operatorSpec(e.opId()).hasInstrument && m_data->instrumentIndex(e.name()) < 0)
            return makeError(ErrorCode::Semantic,
                             "ChangeInstrument: the data has no instrument " + quoteInstrument(e.name()) + " (" +
                                 std::to_string(m_data->instrumentCount()) + " instruments, e.g. " +
                                 (m_data->instruments.empty() ? std::string("none") : m_data->instruments.front()) +
                                 ")");
        if (operatorSpec(e.opId()).hasGroup && !m_data->grouping(e.name())) {
            std::string names;
            for (const auto& g : m_data->groupings) names += (names.empty() ? "" : ", ") + g.name;
            return makeError(ErrorCode::Semantic,
                             "unknown grouping '" + e.name() + "'; the data has " +
                                 (names.empty() ? std::string("none (load a sector file)") : names));
        }
        for (const auto& a : e.args())
            if (auto r = check(*a); !r.ok()) return r;
        return {};
    }
    return {};
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
    m_mask.apply(*p);
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
    if (isElementwise(spec.kind)) return evalChain(ep, cancel);
    std::vector<Value> args;
    args.reserve(e.args().size());
    for (const auto& a : e.args()) {
        auto v = eval(a, cancel);
        if (!v.ok()) return v.error();
        args.push_back(std::move(v.value()));
    }

    const int T = m_data->days(), N = m_data->instrumentCount();
    auto asPanel = [&](const Value& v) -> PanelPtr {
        if (!v.isScalar()) return v.panel;
        return std::make_shared<const Panel>(T, N, static_cast<float>(v.scalar));
    };
    auto out = std::make_shared<Panel>(T, N, Uninitialized{});
    const UniverseMask* mask = m_mask.empty() ? nullptr : &m_mask;
    switch (spec.kind) {
    case OpKind::Unary:
    case OpKind::Binary:
    case OpKind::Select: // evalChain's
        break;
    case OpKind::Rolling:
        if (e.opId() == OpId::Quantile)
            kernels::rollingQuantile(*asPanel(args[0]), e.window(), e.parameter(), *out, mask);
        else
            kernels::rolling(e.opId(), *asPanel(args[0]), e.window(), *out, mask);
        break;
    case OpKind::PairRolling:
        kernels::pairRolling(e.opId(), *asPanel(args[0]), *asPanel(args[1]), e.window(), *out, mask);
        break;
    case OpKind::CrossSectional: {
        PanelPtr x = asPanel(args[0]);
        if (args[0].isScalar()) {
            auto masked = std::make_shared<Panel>(*x);
            m_mask.apply(*masked);
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
            m_mask.apply(*masked);
            x = masked;
        }
        kernels::group(e.opId(), *x, g->kernelIds(), *out);
        break;
    }
    case OpKind::Instrument: {
        const int column = m_data->instrumentIndex(e.name());
        if (column < 0)
            return makeError(ErrorCode::Semantic, "the data has no instrument " + quoteInstrument(e.name()));
        kernels::broadcastColumn(*asPanel(args[0]), column, *out);
        m_mask.apply(*out);
        break;
    }
    }
    PanelPtr result = out;
    m_cache.insert(ep, result);
    return Value{result, 0.0};
}

Result<Evaluator::Value> Evaluator::evalChain(const ExprPtr& ep, const std::atomic<bool>* cancel) const {
    Chain chain;
    if (auto r = addToChain(ep, true, chain, cancel); !r.ok()) return r.error();
    using K = kernels::ChainOperand::Kind;
    if (chain.operand.kind == K::Number) return Value{nullptr, chain.operand.value};
    std::vector<const Panel*> inputs;
    inputs.reserve(chain.inputs.size());
    for (const auto& p : chain.inputs) inputs.push_back(p.get());
    auto out = std::make_shared<Panel>(m_data->days(), m_data->instrumentCount(), Uninitialized{});
    kernels::chain(chain.steps, inputs, *out);
    PanelPtr result = out;
    m_cache.insert(ep, result);
    return Value{result, 0.0};
}

Result<void> Evaluator::addToChain(const ExprPtr& ep, bool root, Chain& chain, const std::atomic<bool>* cancel) const {
    using K = kernels::ChainOperand::Kind;
    const Expr& e = *ep;
    const bool elementwise = e.isOperator() && isElementwise(operatorSpec(e.opId()).kind);
    PanelPtr cached = elementwise && !root ? m_cache.find(e) : nullptr;
    if (!elementwise || cached) { // a leaf of the chain: a number or a panel
        Value v;
        if (cached) {
            v.panel = cached;
        } else {
            auto r = eval(ep, cancel);
            if (!r.ok()) return r.error();
            v = std::move(r.value());
        }
        if (v.isScalar()) {
            chain.operand = {K::Number, 0, v.scalar};
        } else {
            chain.operand = {K::Input, static_cast<int>(chain.inputs.size()), 0.0};
            chain.inputs.push_back(std::move(v.panel));
        }
        return {};
    }
    if (cancel && cancel->load(std::memory_order_relaxed)) return makeError(ErrorCode::Canceled, "evaluation canceled");
    const OperatorSpec& spec = operatorSpec(e.opId());
    kernels::ChainStep step;
    step.op = e.opId();
    step.arity = static_cast<int>(e.args().size());
    bool allNumbers = true;
    for (int a = 0; a < step.arity; ++a) {
        if (auto r = addToChain(e.args()[static_cast<std::size_t>(a)], false, chain, cancel); !r.ok()) return r;
        step.args[a] = chain.operand;
        allNumbers = allNumbers && chain.operand.kind == K::Number;
    }
    if (allNumbers) { // a sub-expression without any field folds to a number
        const auto& a = step.args;
        const double r = spec.kind == OpKind::Unary    ? kernels::unaryValue(e.opId(), a[0].value)
                         : spec.kind == OpKind::Binary ? kernels::binaryValue(e.opId(), a[0].value, a[1].value)
                                                       : kernels::selectValue(a[0].value, a[1].value, a[2].value);
        chain.operand = {K::Number, 0, r};
        return {};
    }
    chain.operand = {K::Step, static_cast<int>(chain.steps.size()), 0.0};
    chain.steps.push_back(step);
    return {};
}

} // namespace alphascope

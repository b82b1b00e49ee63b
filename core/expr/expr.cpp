#include "core/expr/expr.h"

#include "core/expr/operator_registry.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>

namespace alphascope {

namespace {

std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
    // splitmix64-style combination; order-sensitive.
    v += 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    v ^= v >> 30;
    v *= 0xbf58476d1ce4e5b9ULL;
    v ^= v >> 27;
    v *= 0x94d049bb133111ebULL;
    v ^= v >> 31;
    return h ^ v;
}

std::uint64_t hashString(const std::string& s) {
    std::uint64_t h = 1469598103934665603ULL; // FNV-1a
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

} // namespace

Expr::Expr(Kind kind, OpId op, std::string name, double value, int window, std::vector<ExprPtr> args)
    : m_kind(kind), m_op(op), m_name(std::move(name)), m_value(value), m_window(window), m_args(std::move(args)) {
    std::uint64_t h = mix(0x5eed, static_cast<std::uint64_t>(m_kind));
    switch (m_kind) {
    case Kind::Feature: h = mix(h, hashString(m_name)); break;
    case Kind::Constant: {
        const double v = m_value == 0.0 ? 0.0 : m_value; // -0 and +0 are the same constant
        h = mix(h, std::bit_cast<std::uint64_t>(v));
        m_constantOnly = true;
        break;
    }
    case Kind::Operator: {
        h = mix(h, static_cast<std::uint64_t>(m_op));
        h = mix(h, static_cast<std::uint64_t>(static_cast<std::int64_t>(m_window)));
        if (!m_name.empty()) h = mix(h, hashString(m_name));
        const OperatorSpec& spec = operatorSpec(m_op);
        if (spec.hasParameter) h = mix(h, std::bit_cast<std::uint64_t>(m_value == 0.0 ? 0.0 : m_value));
        m_tokens = 1 + (spec.hasWindow ? 1 : 0) + (spec.hasGroup ? 1 : 0) + (spec.hasParameter ? 1 : 0) +
                   (spec.hasInstrument ? 1 : 0);
        m_constantOnly = true;
        int depth = 0;
        for (const auto& a : m_args) {
            h = mix(h, a->hash());
            m_tokens += a->tokenCount();
            depth = std::max(depth, a->depth());
            m_constantOnly = m_constantOnly && a->isConstantExpression();
        }
        m_depth = depth + 1;
        break;
    }
    }
    m_hash = h;
}

ExprPtr Expr::feature(std::string name) {
    if (!name.empty() && name.front() == '$') name.erase(0, 1);
    return std::make_shared<const Expr>(Kind::Feature, OpId::Abs, std::move(name), 0.0, 0, std::vector<ExprPtr>{});
}

ExprPtr Expr::constant(double value) {
    return std::make_shared<const Expr>(Kind::Constant, OpId::Abs, std::string{}, value, 0, std::vector<ExprPtr>{});
}

ExprPtr Expr::op(OpId id, std::vector<ExprPtr> args, int window, std::string group) {
    return std::make_shared<const Expr>(Kind::Operator, id, std::move(group), 0.0, window, std::move(args));
}

ExprPtr Expr::withArgs(const Expr& node, std::vector<ExprPtr> args) {
    return std::make_shared<const Expr>(Kind::Operator, node.m_op, node.m_name, node.m_value, node.m_window,
                                        std::move(args));
}

ExprPtr Expr::opWithParameter(OpId id, std::vector<ExprPtr> args, int window, double parameter) {
    return std::make_shared<const Expr>(Kind::Operator, id, std::string{}, parameter, window, std::move(args));
}

bool Expr::equals(const Expr& o) const {
    if (this == &o) return true;
    if (m_hash != o.m_hash || m_kind != o.m_kind) return false;
    switch (m_kind) {
    case Kind::Feature: return m_name == o.m_name;
    case Kind::Constant: return m_value == o.m_value || (std::isnan(m_value) && std::isnan(o.m_value));
    case Kind::Operator:
        if (m_op != o.m_op || m_window != o.m_window || m_name != o.m_name || m_args.size() != o.m_args.size() ||
            m_value != o.m_value)
            return false;
        for (std::size_t i = 0; i < m_args.size(); ++i)
            if (!m_args[i]->equals(*o.m_args[i])) return false;
        return true;
    }
    return false;
}

std::string formatConstant(double value) {
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, value);
    return std::string(buf, res.ptr);
}

std::string quoteInstrument(const std::string& code) {
    const char q = code.find('\'') == std::string::npos ? '\'' : '"';
    return q + code + q;
}

std::string Expr::toString() const {
    switch (m_kind) {
    case Kind::Feature: return "$" + m_name;
    case Kind::Constant: return formatConstant(m_value);
    case Kind::Operator: break;
    }
    const OperatorSpec& spec = operatorSpec(m_op);
    std::string out(spec.name);
    out += '(';
    if (spec.hasInstrument) out += quoteInstrument(m_name);
    for (std::size_t i = 0; i < m_args.size(); ++i) {
        if (i || spec.hasInstrument) out += ", ";
        out += m_args[i]->toString();
    }
    if (spec.hasWindow) out += ", " + std::to_string(m_window);
    if (spec.hasGroup) out += ", " + m_name;
    if (spec.hasParameter) out += ", " + formatConstant(m_value);
    out += ')';
    return out;
}

int Expr::futureDays() const {
    int own = 0;
    if (m_kind == Kind::Operator && m_op == OpId::Ref && m_window < 0) own = -m_window;
    int child = 0;
    for (const auto& a : m_args) child = std::max(child, a->futureDays());
    return own + child;
}

int Expr::historyDays() const {
    if (m_kind != Kind::Operator) return 0;
    int child = 0;
    for (const auto& a : m_args) child = std::max(child, a->historyDays());
    const OperatorSpec& spec = operatorSpec(m_op);
    int own = 0;
    if (spec.hasWindow) {
        if (m_op == OpId::Ref || m_op == OpId::Delta || m_op == OpId::PctChange)
            own = std::max(0, m_window);
        else
            own = std::max(0, m_window - 1);
    }
    return child + own;
}

} // namespace alphascope

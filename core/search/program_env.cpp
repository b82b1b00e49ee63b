#include "core/search/program_env.h"

#include "core/expr/operator_registry.h"

#include <cassert>

namespace alphascope {

namespace {

using OK = ProgramOperand::Kind;

// Strings are built by appending: GCC 12 warns falsely (-Wrestrict) on `"literal" + std::string&&`.
std::string operandText(const ProgramOperand& o, const Grammar& g) {
    std::string s;
    switch (o.kind) {
    case OK::Register:
        s += 'r';
        s += std::to_string(o.index);
        break;
    case OK::Feature:
        s += '$';
        s += g.features[static_cast<std::size_t>(o.index)];
        break;
    case OK::Constant: s += formatConstant(g.constants[static_cast<std::size_t>(o.index)]); break;
    case OK::None: break;
    }
    return s;
}

std::string instructionText(const ProgramInstruction& ins, const Grammar& g) {
    if (ins.finish) return "Finish";
    std::string s;
    s += 'r';
    s += std::to_string(ins.destination);
    s += " = ";
    s += operatorSpec(ins.op).name;
    s += '(';
    s += operandText(ins.a, g);
    if (ins.b.kind != OK::None) {
        s += ", ";
        s += operandText(ins.b, g);
    }
    if (ins.windowIndex >= 0) {
        s += ", ";
        s += std::to_string(g.windows[static_cast<std::size_t>(ins.windowIndex)]);
    }
    if (ins.groupIndex >= 0) {
        s += ", ";
        s += g.groups[static_cast<std::size_t>(ins.groupIndex)];
    }
    s += ')';
    return s;
}

/// Rank of an operand in the canonical order of commutative operators: registers, features, constants.
int operandRank(const ProgramOperand& o, int features) {
    switch (o.kind) {
    case OK::Register: return o.index;
    case OK::Feature: return 1000 + o.index;
    case OK::Constant: return 1000 + features + o.index;
    case OK::None: break;
    }
    return -1;
}

bool sameOperand(const ProgramOperand& x, const ProgramOperand& y) {
    return x.kind == y.kind && x.index == y.index;
}

} // namespace

ProgramVocabulary::ProgramVocabulary(Grammar grammar) : m_grammar(std::move(grammar)) {
    const Grammar& g = m_grammar;
    const int features = static_cast<int>(g.features.size());
    for (const auto& f : g.features) m_features.push_back(Expr::feature(f));
    for (double c : g.constants) m_constants.push_back(Expr::constant(c));

    // Series operands: every register, then every feature.
    std::vector<ProgramOperand> series;
    for (int r = 0; r < g.registers; ++r) series.push_back({OK::Register, r});
    for (int f = 0; f < features; ++f) series.push_back({OK::Feature, f});
    std::vector<ProgramOperand> second = series;
    for (int c = 0; c < static_cast<int>(g.constants.size()); ++c) second.push_back({OK::Constant, c});

    auto add = [&](ProgramInstruction ins) {
        for (int d = 0; d < g.registers; ++d) {
            ins.destination = d;
            ins.text = instructionText(ins, g);
            m_actions.push_back(ins);
        }
    };
    for (OpId op : g.operators) {
        const OperatorSpec& spec = operatorSpec(op);
        ProgramInstruction ins;
        ins.op = op;
        // Two different operands; a commutative operator keeps the canonical order only.
        auto pairAllowed = [&](const ProgramOperand& a, const ProgramOperand& b) {
            if (sameOperand(a, b)) return false;
            return !spec.commutative || operandRank(a, features) < operandRank(b, features);
        };
        switch (spec.kind) {
        case OpKind::Unary:
        case OpKind::CrossSectional:
            for (const auto& a : series) {
                ins.a = a;
                add(ins);
            }
            break;
        case OpKind::Group:
            for (int gi = 0; gi < static_cast<int>(g.groups.size()); ++gi)
                for (const auto& a : series) {
                    ins.a = a;
                    ins.groupIndex = gi;
                    add(ins);
                }
            break;
        case OpKind::Rolling:
            for (const auto& a : series)
                for (int w = 0; w < static_cast<int>(g.windows.size()); ++w) {
                    if (g.windows[static_cast<std::size_t>(w)] < minimumWindow(op)) continue;
                    ins.a = a;
                    ins.windowIndex = w;
                    add(ins);
                }
            break;
        case OpKind::Binary:
            for (const auto& a : series)
                for (const auto& b : second) {
                    if (!pairAllowed(a, b)) continue;
                    ins.a = a;
                    ins.b = b;
                    add(ins);
                }
            break;
        case OpKind::PairRolling:
            for (const auto& a : series)
                for (const auto& b : series)
                    for (int w = 0; w < static_cast<int>(g.windows.size()); ++w) {
                        if (!pairAllowed(a, b) || g.windows[static_cast<std::size_t>(w)] < minimumWindow(op)) continue;
                        ins.a = a;
                        ins.b = b;
                        ins.windowIndex = w;
                        add(ins);
                    }
            break;
        case OpKind::Select:
        case OpKind::Instrument: // not searchable (Grammar::validate refuses them)
            break;
        }
    }
    ProgramInstruction finish;
    finish.finish = true;
    finish.text = "Finish";
    m_actions.push_back(finish);
}

int ProgramVocabulary::find(const std::string& text) const {
    for (int i = 0; i < size(); ++i)
        if (m_actions[static_cast<std::size_t>(i)].text == text) return i;
    return -1;
}

ProgramState::ProgramState(const ProgramVocabulary& vocabulary)
    : m_vocabulary(&vocabulary), m_registers(static_cast<std::size_t>(vocabulary.registers())),
      m_dimensions(static_cast<std::size_t>(vocabulary.registers()), Dimension::unknown()) {}

bool ProgramState::operandReady(const ProgramOperand& o) const {
    return o.kind != OK::Register || m_registers[static_cast<std::size_t>(o.index)] != nullptr;
}

Dimension ProgramState::operandDimension(const ProgramOperand& o) const {
    switch (o.kind) {
    case OK::Register: return m_dimensions[static_cast<std::size_t>(o.index)];
    case OK::Feature: return fieldDimension(m_vocabulary->grammar().features[static_cast<std::size_t>(o.index)]);
    case OK::Constant:
    case OK::None: break;
    }
    return Dimension::dimensionless();
}

ExprPtr ProgramState::operandExpr(const ProgramOperand& o) const {
    switch (o.kind) {
    case OK::Register: return m_registers[static_cast<std::size_t>(o.index)];
    case OK::Feature: return m_vocabulary->featureExpr(o.index);
    case OK::Constant: return m_vocabulary->constantExpr(o.index);
    case OK::None: break;
    }
    return nullptr;
}

bool ProgramState::isLegal(int action) const {
    if (m_finished || action < 0 || action >= m_vocabulary->size()) return false;
    const ProgramInstruction& ins = m_vocabulary->instruction(action);
    const ExprPtr& r0 = m_registers.front();
    if (ins.finish) return r0 != nullptr && !r0->isConstantExpression();
    const Grammar& g = m_vocabulary->grammar();
    if (m_length >= g.maxInstructions) return false;
    if (!operandReady(ins.a) || !operandReady(ins.b)) return false;
    // Finish must stay reachable: the last instruction slot is for register 0 while it is empty.
    if (ins.destination != 0 && r0 == nullptr && m_length + 1 >= g.maxInstructions) return false;
    // The first operand is a register or a feature and registers only ever hold featured formulas,
    // so no instruction yields a constant-only result (checked in apply()).
    return !g.dimensionCheck || dimensionStep(ins).ok;
}

DimensionStep ProgramState::dimensionStep(const ProgramInstruction& ins) const {
    double exponent = 0.0;
    const double* exponentPtr = nullptr;
    if (ins.b.kind == OK::Constant) {
        exponent = m_vocabulary->grammar().constants[static_cast<std::size_t>(ins.b.index)];
        exponentPtr = &exponent;
    }
    const Dimension b = ins.b.kind == OK::None ? Dimension::dimensionless() : operandDimension(ins.b);
    return applyDimensionRule(ins.op, operandDimension(ins.a), b, exponentPtr);
}

std::vector<int> ProgramState::legalActions() const {
    std::vector<int> legal;
    if (m_finished) return legal;
    for (int a = 0; a < m_vocabulary->size(); ++a)
        if (isLegal(a)) legal.push_back(a);
    return legal;
}

void ProgramState::apply(int action) {
    assert(isLegal(action));
    if (!isLegal(action)) return;
    m_actions.push_back(action);
    const ProgramInstruction& ins = m_vocabulary->instruction(action);
    if (ins.finish) {
        m_finished = true;
        return;
    }
    const Grammar& g = m_vocabulary->grammar();
    std::vector<ExprPtr> args{operandExpr(ins.a)};
    if (ins.b.kind != OK::None) args.push_back(operandExpr(ins.b));
    const int window = ins.windowIndex >= 0 ? g.windows[static_cast<std::size_t>(ins.windowIndex)] : 0;
    std::string group = ins.groupIndex >= 0 ? g.groups[static_cast<std::size_t>(ins.groupIndex)] : std::string{};
    ExprPtr e = Expr::op(ins.op, std::move(args), window, std::move(group));
    assert(!e->isConstantExpression());
    const auto d = static_cast<std::size_t>(ins.destination);
    m_dimensions[d] = dimensionStep(ins).result; // unknown when a rule breaks (dimension check off)
    m_registers[d] = std::move(e);
    ++m_length;
}

std::vector<int> ProgramState::encode() const {
    const int slots = m_vocabulary->grammar().maxInstructions;
    std::vector<int> code(static_cast<std::size_t>(slots), m_vocabulary->size());
    int k = 0;
    for (int a : m_actions) {
        if (a == m_vocabulary->finishAction() || k >= slots) continue;
        code[static_cast<std::size_t>(k++)] = a;
    }
    return code;
}

} // namespace alphascope

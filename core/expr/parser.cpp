#include "core/expr/parser.h"

#include "core/expr/formula_lexer.h"
#include "core/expr/names.h"
#include "core/expr/operator_registry.h"
#include "core/expr/worldquant.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <utility>

namespace alphascope {

namespace {

using lexer::describe;
using lexer::lexFormula;
using lexer::qlibInstead;
using lexer::Tok;
using lexer::Token;

class Parser {
public:
    Parser(std::string_view text, const ParseOptions& options, SourceMap* spans, bool worldQuant)
        : m_text(text), m_options(options), m_spans(spans), m_wq(worldQuant) {}

    Result<ExprPtr> run() {
        auto tokens = lexFormula(m_text, m_wq);
        if (!tokens.ok()) return tokens.error();
        m_tokens = std::move(tokens.value());
        if (m_tokens.size() == 1) return fail(1, "the formula is empty");
        auto expr = m_wq ? parseTernary() : parseExpr();
        if (!expr.ok()) return expr;
        if (peek().type != Tok::End)
            return fail(peek().column, std::string("unexpected ") + describe(peek().type) + " '" +
                                           std::string(peek().text) + "' after a complete formula" +
                                           (m_wq ? std::string() : qlibInstead(peek().type)));
        if (expr.value()->isConstantExpression())
            return fail(1, m_wq ? "the formula has no field: it is a constant (use at least one field such as close)"
                                : "the formula has no field: it is a constant (use at least one $field)");
        return expr;
    }

private:
    Error fail(int column, std::string message, ErrorCode code = ErrorCode::Parse) const {
        Error e = makeError(code, std::move(message), "column " + std::to_string(column));
        e.column = column;
        return e;
    }

    const Token& peek() const { return m_tokens[m_pos]; }
    /// The type of the token `k` places ahead; End past the end.
    Tok lookahead(std::size_t k) const { return m_pos + k < m_tokens.size() ? m_tokens[m_pos + k].type : Tok::End; }
    const Token& next() { return m_tokens[m_pos++]; }

    /// Byte offset of a token's first character.
    std::size_t offsetOf(const Token& t) const { return static_cast<std::size_t>(t.text.data() - m_text.data()); }
    /// Byte offset just past the last token consumed.
    std::size_t consumedEnd() const {
        if (m_pos == 0) return 0;
        const Token& t = m_tokens[m_pos - 1];
        return offsetOf(t) + t.text.size();
    }
    /// Records where `e` came from (when spans are wanted) and passes it on.
    ExprPtr mark(ExprPtr e, std::size_t begin, std::size_t end) {
        if (m_spans) (*m_spans)[e.get()] = SourceSpan{begin, end};
        return e;
    }

    static bool isComparison(Tok t) {
        return t == Tok::Gt || t == Tok::Ge || t == Tok::Lt || t == Tok::Le || t == Tok::Eq || t == Tok::Ne;
    }
    static OpId comparisonOp(Tok t) {
        switch (t) {
        case Tok::Gt: return OpId::Gt;
        case Tok::Ge: return OpId::Ge;
        case Tok::Lt: return OpId::Lt;
        case Tok::Le: return OpId::Le;
        case Tok::Eq: return OpId::Eq;
        default: return OpId::Ne;
        }
    }

    /// Python's (and so Qlib's) precedence: a comparison binds loosest, then '|', then '&', then
    /// + -, then * /. `a > b > c` means something else in Python and is refused here.
    Result<ExprPtr> parseExpr() {
        const std::size_t begin = offsetOf(peek());
        auto lhs = parseOr();
        if (!lhs.ok() || !isComparison(peek().type)) return lhs;
        const OpId op = comparisonOp(next().type);
        auto rhs = parseOr();
        if (!rhs.ok()) return rhs;
        if (isComparison(peek().type))
            return fail(peek().column, "comparisons cannot be chained: write (a > b) & (b > c)");
        return mark(Expr::op(op, {lhs.value(), rhs.value()}), begin, consumedEnd());
    }

    Result<ExprPtr> parseOr() {
        const std::size_t begin = offsetOf(peek());
        auto lhs = parseAnd();
        if (!lhs.ok()) return lhs;
        ExprPtr e = lhs.value();
        while (peek().type == Tok::Pipe) {
            next();
            auto rhs = parseAnd();
            if (!rhs.ok()) return rhs;
            e = mark(Expr::op(OpId::Or, {e, rhs.value()}), begin, consumedEnd());
        }
        return e;
    }

    Result<ExprPtr> parseAnd() {
        const std::size_t begin = offsetOf(peek());
        auto lhs = parseAdditive();
        if (!lhs.ok()) return lhs;
        ExprPtr e = lhs.value();
        while (peek().type == Tok::Amp) {
            next();
            auto rhs = parseAdditive();
            if (!rhs.ok()) return rhs;
            e = mark(Expr::op(OpId::And, {e, rhs.value()}), begin, consumedEnd());
        }
        return e;
    }

    Result<ExprPtr> parseAdditive() {
        const std::size_t begin = offsetOf(peek());
        auto lhs = parseTerm();
        if (!lhs.ok()) return lhs;
        ExprPtr e = lhs.value();
        while (peek().type == Tok::Plus || peek().type == Tok::Minus) {
            const bool plus = next().type == Tok::Plus;
            auto rhs = parseTerm();
            if (!rhs.ok()) return rhs;
            e = mark(Expr::op(plus ? OpId::Add : OpId::Sub, {e, rhs.value()}), begin, consumedEnd());
        }
        return e;
    }

    Result<ExprPtr> parseTerm() {
        const std::size_t begin = offsetOf(peek());
        auto lhs = parseUnary();
        if (!lhs.ok()) return lhs;
        ExprPtr e = lhs.value();
        while (peek().type == Tok::Star || peek().type == Tok::Slash) {
            const bool mul = next().type == Tok::Star;
            auto rhs = parseUnary();
            if (!rhs.ok()) return rhs;
            e = mark(Expr::op(mul ? OpId::Mul : OpId::Div, {e, rhs.value()}), begin, consumedEnd());
        }
        return e;
    }

    /// Counts nesting while a parse function runs; deeper than maxDepth is an error, not a crash.
    struct DepthGuard {
        int& depth;
        explicit DepthGuard(int& d) : depth(d) { ++depth; }
        ~DepthGuard() { --depth; }
    };

    // WorldQuant's notation, C's precedence: ?: (right), ||, &&, == !=, < <= > >=, + -, * /, unary
    // - + !, then ^ (right; -x ^ 2 is -(x ^ 2)). Chained comparisons read as C reads them.
    Result<ExprPtr> parseTernary() {
        DepthGuard guard(m_depth);
        if (m_depth > m_options.maxDepth)
            return fail(peek().column,
                        "the formula is nested deeper than " + std::to_string(m_options.maxDepth) + " levels");
        const std::size_t begin = offsetOf(peek());
        auto cond = parseLogical(false);
        if (!cond.ok() || peek().type != Tok::Question) return cond;
        const Token& question = next();
        auto a = parseTernary();
        if (!a.ok()) return a;
        if (peek().type != Tok::Colon)
            return fail(peek().column, "expected ':' for the '?' at column " + std::to_string(question.column) +
                                           ", found " + describe(peek().type));
        next();
        auto b = parseTernary();
        if (!b.ok()) return b;
        return mark(Expr::op(OpId::If, {cond.value(), a.value(), b.value()}), begin, consumedEnd());
    }

    /// || (and |) when `inner` is false, && (and &) when true.
    Result<ExprPtr> parseLogical(bool inner) {
        const std::size_t begin = offsetOf(peek());
        auto lhs = inner ? parseComparison(false) : parseLogical(true);
        if (!lhs.ok()) return lhs;
        ExprPtr e = lhs.value();
        const Tok word = inner ? Tok::AndAnd : Tok::OrOr, symbol = inner ? Tok::Amp : Tok::Pipe;
        while (peek().type == word || peek().type == symbol) {
            next();
            auto rhs = inner ? parseComparison(false) : parseLogical(true);
            if (!rhs.ok()) return rhs;
            e = mark(Expr::op(inner ? OpId::And : OpId::Or, {e, rhs.value()}), begin, consumedEnd());
        }
        return e;
    }

    /// == != when `relational` is false, < <= > >= when true.
    Result<ExprPtr> parseComparison(bool relational) {
        const std::size_t begin = offsetOf(peek());
        auto lhs = relational ? parseAdditive() : parseComparison(true);
        if (!lhs.ok()) return lhs;
        ExprPtr e = lhs.value();
        auto here = [&](Tok t) {
            return relational ? (t == Tok::Gt || t == Tok::Ge || t == Tok::Lt || t == Tok::Le)
                              : (t == Tok::Eq || t == Tok::Ne);
        };
        while (here(peek().type)) {
            const OpId op = comparisonOp(next().type);
            auto rhs = relational ? parseAdditive() : parseComparison(true);
            if (!rhs.ok()) return rhs;
            e = mark(Expr::op(op, {e, rhs.value()}), begin, consumedEnd());
        }
        return e;
    }

    Result<ExprPtr> parseUnary() {
        DepthGuard guard(m_depth);
        if (m_depth > m_options.maxDepth)
            return fail(peek().column,
                        "the formula is nested deeper than " + std::to_string(m_options.maxDepth) + " levels");
        if (peek().type == Tok::Minus) {
            const std::size_t begin = offsetOf(next());
            // "-5" is the constant -5; "-$close" is Neg($close).
            if (peek().type == Tok::Number && !isWindowText(peek()) && lookahead(1) != Tok::Caret) {
                const Token& t = next();
                return mark(Expr::constant(-t.number), begin, consumedEnd());
            }
            auto operand = parseUnary();
            if (!operand.ok()) return operand;
            if (operand.value()->isConstant())
                return mark(Expr::constant(-operand.value()->value()), begin, consumedEnd());
            return mark(Expr::op(OpId::Neg, {operand.value()}), begin, consumedEnd());
        }
        if (peek().type == Tok::Plus) {
            next();
            return parseUnary();
        }
        if (m_wq && peek().type == Tok::Bang) {
            const std::size_t begin = offsetOf(next());
            auto operand = parseUnary();
            if (!operand.ok()) return operand;
            return mark(Expr::op(OpId::Not, {operand.value()}), begin, consumedEnd());
        }
        if (!m_wq) return parsePrimary();
        const std::size_t begin = offsetOf(peek());
        auto base = parsePrimary();
        if (!base.ok() || peek().type != Tok::Caret) return base;
        next();
        auto exponent = parseUnary();
        if (!exponent.ok()) return exponent;
        return mark(Expr::op(OpId::Pow, {base.value(), exponent.value()}), begin, consumedEnd());
    }

    static bool isWindowText(const Token& t) { return !t.text.empty() && t.text.back() == 'd'; }

    Result<ExprPtr> parsePrimary() {
        const Token& t = next();
        switch (t.type) {
        case Tok::Number:
            if (isWindowText(t))
                return fail(t.column,
                            "'" + std::string(t.text) +
                                "' is a window; windows go last inside a rolling operator, e.g. Mean($close, 20)");
            return mark(Expr::constant(t.number), offsetOf(t), consumedEnd());
        case Tok::Field: {
            std::string name(t.text.substr(1));
            if (m_options.checkNames || !m_options.knownFields.empty()) {
                bool found = false;
                for (const auto& f : m_options.knownFields) found = found || f == name;
                if (!found)
                    return fail(t.column,
                                "unknown field $" + name + "; the data has " + joinNames(m_options.knownFields, "$"),
                                ErrorCode::Semantic);
            }
            return mark(Expr::feature(std::move(name)), offsetOf(t), consumedEnd());
        }
        case Tok::LParen: {
            auto inner = m_wq ? parseTernary() : parseExpr();
            if (!inner.ok()) return inner;
            if (peek().type != Tok::RParen)
                return fail(peek().column, std::string("expected ')' to close the '(' at column ") +
                                               std::to_string(t.column) + ", found " + describe(peek().type));
            next();
            return inner;
        }
        case Tok::Ident:
            if (m_wq && peek().type != Tok::LParen) return worldQuantName(t);
            return parseCall(t);
        case Tok::String:
            return fail(t.column,
                        "a quoted name is an instrument code, the first argument of ChangeInstrument('code', x)");
        default:
            return fail(t.column, std::string("expected a field, a number or an operator, found ") + describe(t.type) +
                                      (m_wq ? std::string() : qlibInstead(t.type)));
        }
    }

    struct RawArg {
        std::optional<ExprPtr> expr;     // a series argument
        std::optional<Token> number;     // a bare number (constant or window)
        std::optional<Token> identifier; // a bare name (grouping; a field in WorldQuant's notation)
        std::optional<Token> quoted;     // a quoted name (instrument code)
        int column = 1;
    };

    /// The arguments of a call, after its name; consumes the parentheses.
    Result<std::vector<RawArg>> parseArguments(std::string_view display) {
        next(); // '('
        std::vector<RawArg> raw;
        if (peek().type != Tok::RParen) {
            while (true) {
                RawArg arg;
                arg.column = peek().column;
                const Token& first = peek();
                const Tok after = lookahead(1);
                const bool argEnds = after == Tok::Comma || after == Tok::RParen;
                const bool negativeNumber = first.type == Tok::Minus && after == Tok::Number &&
                                            (lookahead(2) == Tok::Comma || lookahead(2) == Tok::RParen);
                if (first.type == Tok::Number && argEnds) {
                    arg.number = next();
                } else if (negativeNumber) {
                    const Token minus = next();
                    Token t = next();
                    t.number = -t.number;
                    const std::size_t begin = static_cast<std::size_t>(minus.column - 1);
                    t.text = m_text.substr(
                        begin, static_cast<std::size_t>(t.text.data() + t.text.size() - (m_text.data() + begin)));
                    t.column = minus.column;
                    arg.number = t;
                } else if (first.type == Tok::Ident && argEnds) {
                    arg.identifier = next();
                } else if (first.type == Tok::String && argEnds) {
                    arg.quoted = next();
                } else {
                    auto e = m_wq ? parseTernary() : parseExpr();
                    if (!e.ok()) return e.error();
                    arg.expr = e.value();
                }
                raw.push_back(arg);
                if (peek().type == Tok::Comma) {
                    next();
                    continue;
                }
                if (peek().type == Tok::RParen) break;
                return fail(peek().column, std::string("expected ',' or ')' in the arguments of ") +
                                               std::string(display) + ", found " + describe(peek().type));
            }
        }
        next(); // ')'
        return raw;
    }

    /// A bare name in WorldQuant's notation (resolveWorldQuantName says what it means).
    Result<ExprPtr> worldQuantName(const Token& t) {
        const WorldQuantName n = resolveWorldQuantName(t.text, m_options);
        const std::size_t begin = offsetOf(t), end = begin + t.text.size();
        const auto field = [&](const std::string& name) { return mark(Expr::feature(name), begin, end); };
        switch (n.kind) {
        case WorldQuantName::Kind::Field: return field(n.field);
        case WorldQuantName::Kind::Returns: // the daily return, close to close
            return mark(Expr::op(OpId::PctChange, {field("close")}, 1), begin, end);
        case WorldQuantName::Kind::DollarVolume: { // adv{d}: mean dollar volume
            ExprPtr dollars = mark(Expr::op(OpId::Mul, {field("close"), field("volume")}), begin, end);
            return mark(Expr::op(OpId::Mean, {dollars}, n.days), begin, end);
        }
        case WorldQuantName::Kind::Error: break;
        }
        return fail(t.column, n.error, n.semantic ? ErrorCode::Semantic : ErrorCode::Parse);
    }

    /// A grouping written in either notation: sector, IndClass.sector (any case after the dot).
    std::string groupingName(const Token& t) const {
        std::string name(t.text);
        if (m_wq && lowered(name).rfind("indclass.", 0) == 0) name = lowered(name.substr(9));
        return name;
    }

    Result<ExprPtr> parseCall(const Token& name) {
        if (m_wq) return parseWorldQuantCall(name);
        const bool mask = name.text == "Mask"; // Qlib's Mask(x, 'code') = ChangeInstrument('code', x)
        const OperatorSpec* spec = mask ? &operatorSpec(OpId::ChangeInstrument) : findOperator(name.text);
        if (peek().type != Tok::LParen) {
            if (spec)
                return fail(name.column, std::string("operator ") + std::string(spec->name) +
                                             " needs its arguments: " + std::string(spec->signature));
            if (name.text == "close" || name.text == "open" || name.text == "high" || name.text == "low" ||
                name.text == "volume" || name.text == "vwap")
                return fail(name.column, "fields start with '$': write $" + std::string(name.text));
            return fail(name.column,
                        "unexpected name '" + std::string(name.text) +
                            "'; fields start with '$' (e.g. $close) and operators take arguments in parentheses");
        }
        if (!spec) {
            return fail(name.column, "unknown operator '" + std::string(name.text) + "'; did you mean " +
                                         closestOperatorName(name.text) + "?");
        }
        auto raw = parseArguments(spec->name);
        if (!raw.ok()) return raw.error();
        if (mask && raw.value().size() == 2) std::swap(raw.value()[0], raw.value()[1]);
        return build(*spec, raw.value(), name, mask ? "Mask" : spec->name, mask ? "Mask(x, 'code')" : spec->signature);
    }

    Result<ExprPtr> parseWorldQuantCall(const Token& name) {
        const WorldQuantFunction* wq = findWorldQuantFunction(name.text);
        const OperatorSpec* spec = wq ? &operatorSpec(wq->op) : findOperatorIgnoringCase(name.text);
        const bool mask = !spec && sameIgnoringCase(name.text, "Mask");
        if (mask) spec = &operatorSpec(OpId::ChangeInstrument);
        if (!spec) {
            // WorldQuant's names first; AlphaScope's only when strictly closer.
            std::string best;
            int bestDistance = 1 << 30;
            for (const auto& f : worldQuantFunctions())
                if (const int d = nameDistance(name.text, f.name); d < bestDistance) {
                    bestDistance = d;
                    best = std::string(f.name);
                }
            if (const std::string ours = closestOperatorName(name.text); nameDistance(name.text, ours) < bestDistance)
                best = ours;
            return fail(name.column, "unknown operator '" + std::string(name.text) + "'; did you mean " + best + "?");
        }
        const std::string_view display = name.text;
        const std::string_view signature = wq     ? wq->signature
                                           : mask ? std::string_view("Mask(x, 'code')")
                                                  : spec->signature;
        auto parsed = parseArguments(display);
        if (!parsed.ok()) return parsed.error();
        std::vector<RawArg>& raw = parsed.value();
        const std::size_t begin = offsetOf(name), end = consumedEnd();
        if (mask && raw.size() == 2) std::swap(raw[0], raw[1]);
        if (wq && wq->shape == WqShape::Scale) { // scale(x, a) = CSScale(x) * a
            if (raw.empty() || raw.size() > 2)
                return fail(name.column, std::string(display) + " takes 1 or 2 arguments " + std::string(signature) +
                                             ", got " + std::to_string(raw.size()));
            std::vector<RawArg> first(raw.begin(), raw.begin() + 1);
            auto scaled = build(operatorSpec(OpId::CSScale), first, name, display, signature);
            if (!scaled.ok() || raw.size() == 1) return scaled;
            if (!raw[1].number || isWindowText(*raw[1].number))
                return fail(raw[1].column, "the second argument of " + std::string(display) +
                                               " must be a number (the book size): " + std::string(signature));
            ExprPtr a = mark(Expr::constant(raw[1].number->number), offsetOf(*raw[1].number),
                             offsetOf(*raw[1].number) + raw[1].number->text.size());
            return mark(Expr::op(OpId::Mul, {scaled.value(), a}), begin, end);
        }
        if (wq && (wq->shape == WqShape::Min || wq->shape == WqShape::Max)) {
            const bool isMax = wq->shape == WqShape::Max;
            if (raw.size() == 2 && raw[1].number) // min(x, d) = ts_min(x, d)
                return build(operatorSpec(isMax ? OpId::Max : OpId::Min), raw, name, display, signature);
            if (raw.size() < 2)
                return fail(name.column, std::string(display) + " takes at least 2 arguments " +
                                             std::string(signature) + ", got " + std::to_string(raw.size()));
            const OperatorSpec& pairwise = operatorSpec(isMax ? OpId::Greater : OpId::Less);
            auto e = seriesArgument(raw[0], 0, pairwise, display, signature);
            if (!e.ok()) return e;
            ExprPtr acc = e.value();
            for (std::size_t k = 1; k < raw.size(); ++k) {
                auto next = seriesArgument(raw[k], static_cast<int>(k), pairwise, display, signature);
                if (!next.ok()) return next;
                acc = mark(Expr::op(pairwise.id, {acc, next.value()}), begin, end);
            }
            return acc;
        }
        // group_neutralize(x, market): the whole universe is one group.
        if (spec->hasGroup && raw.size() == 2 && raw[1].identifier && groupingName(*raw[1].identifier) == "market" &&
            std::find(m_options.knownGroups.begin(), m_options.knownGroups.end(), "market") ==
                m_options.knownGroups.end()) {
            const OpId whole = spec->id == OpId::GroupDemean ? OpId::CSDemean
                               : spec->id == OpId::GroupRank ? OpId::CSRank
                                                             : OpId::CSZScore;
            raw.pop_back();
            return build(operatorSpec(whole), raw, name, display, signature);
        }
        return build(*spec, raw, name, display, signature);
    }

    /// Argument k (a series) of a call: an expression, a number, or (WorldQuant) a bare field name.
    Result<ExprPtr> seriesArgument(const RawArg& a, int k, const OperatorSpec& spec, std::string_view display,
                                   std::string_view signature) {
        const std::string which = "argument " + std::to_string(k + 1) + " of " + std::string(display);
        if (a.quoted)
            return fail(a.column, which + " must be a series, not the quoted name " + std::string(a.quoted->text));
        if (a.identifier) {
            if (m_wq) return worldQuantName(*a.identifier);
            return fail(a.column, which + " must be a series; '" + std::string(a.identifier->text) +
                                      "' is not a field (fields start with '$')");
        }
        if (a.number) {
            if (isWindowText(*a.number))
                return fail(a.column, which + " must be a series, got the window " + std::string(a.number->text));
            if (spec.kind == OpKind::Rolling || spec.kind == OpKind::PairRolling ||
                spec.kind == OpKind::CrossSectional || spec.kind == OpKind::Group || spec.kind == OpKind::Instrument) {
                return fail(a.column, which + " must be a series, got the number " + std::string(a.number->text) +
                                          (spec.hasWindow ? " (the " + std::string(m_wq ? "days go" : "window goes") +
                                                                " last: " + std::string(signature) + ")"
                                                          : ""));
            }
            return mark(Expr::constant(a.number->number), offsetOf(*a.number),
                        offsetOf(*a.number) + a.number->text.size());
        }
        return *a.expr;
    }

    /// An operator node from its raw arguments, checked against its spec.
    Result<ExprPtr> build(const OperatorSpec& spec, std::vector<RawArg>& raw, const Token& name,
                          std::string_view display, std::string_view signature) {
        const std::size_t callEnd = consumedEnd();
        const int expected = spec.argumentCount();
        if (static_cast<int>(raw.size()) != expected) {
            return fail(name.column, std::string(display) + " takes " + std::to_string(expected) + " argument" +
                                         (expected == 1 ? "" : "s") + " " + std::string(signature) + ", got " +
                                         std::to_string(raw.size()));
        }
        const int first = spec.hasInstrument ? 1 : 0; // ChangeInstrument's code comes before its series
        std::string code;
        if (spec.hasInstrument) {
            const RawArg& a = raw.front();
            if (a.quoted)
                code = std::string(a.quoted->text.substr(1, a.quoted->text.size() - 2));
            else if (a.identifier)
                code = std::string(a.identifier->text);
            if (code.empty())
                return fail(a.column, "the instrument of " + std::string(display) +
                                          " must be a code in quotes, e.g. 'SPY': " + std::string(signature));
        }
        std::vector<ExprPtr> args;
        for (int k = 0; k < spec.seriesArity; ++k) {
            auto e = seriesArgument(raw[static_cast<std::size_t>(first + k)], first + k, spec, display, signature);
            if (!e.ok()) return e;
            args.push_back(e.value());
        }
        int window = 0;
        std::string group;
        if (spec.hasWindow) {
            RawArg& a = raw[static_cast<std::size_t>(spec.seriesArity)]; // the parameter, if any, follows it
            if (!a.number) {
                return fail(a.column, "the last argument of " + std::string(display) + " must be " +
                                          (m_wq ? "a number of days: " : "a window, a whole number of days: ") +
                                          std::string(signature));
            }
            double w = a.number->number;
            if (m_wq) w = std::floor(w); // the paper: a non-integer number of days d is floor(d)
            if (std::floor(w) != w)
                return fail(a.column, "the window of " + std::string(display) +
                                          " must be a whole number of days, got " + std::string(a.number->text));
            if (std::fabs(w) > m_options.maxWindow)
                return fail(a.column, "the window " + std::string(a.number->text) + " is longer than the limit of " +
                                          std::to_string(m_options.maxWindow) + " days");
            window = static_cast<int>(w);
            if (spec.id == OpId::Ref && window < 0) {
                if (!m_options.allowFuture)
                    return fail(a.column,
                                std::string(display) + "(x, " + std::to_string(window) + ") reads " +
                                    std::to_string(-window) + " days into the future; a negative " +
                                    std::string(display) + " is allowed only in the target",
                                ErrorCode::Semantic);
            } else if (window < minimumWindow(spec.id) && !(spec.id == OpId::Ref && window == 0)) {
                return fail(a.column, "the window of " + std::string(display) + " must be at least " +
                                          std::to_string(minimumWindow(spec.id)) + " days, got " +
                                          std::string(a.number->text));
            }
        }
        if (spec.hasGroup) {
            RawArg& a = raw.back();
            if (!a.identifier)
                return fail(a.column,
                            "the last argument of " + std::string(display) +
                                " must be a grouping name such as sector or industry: " + std::string(signature));
            group = groupingName(*a.identifier);
            if (m_options.checkNames || !m_options.knownGroups.empty()) {
                bool found = false;
                for (const auto& g : m_options.knownGroups) found = found || g == group;
                if (!found)
                    return fail(a.column,
                                "unknown grouping '" + group + "'; the data has " +
                                    (m_options.knownGroups.empty() ? std::string("none (load a sector/industry file)")
                                                                   : joinNames(m_options.knownGroups, "")),
                                ErrorCode::Semantic);
            }
        }
        if (spec.hasParameter) {
            RawArg& a = raw.back();
            if (!a.number || isWindowText(*a.number) || !(a.number->number >= 0.0 && a.number->number <= 1.0))
                return fail(a.column, "the last argument of " + std::string(display) +
                                          " must be a number between 0 and 1: " + std::string(signature));
            return mark(Expr::opWithParameter(spec.id, std::move(args), window, a.number->number), offsetOf(name),
                        callEnd);
        }
        return mark(Expr::op(spec.id, std::move(args), window, spec.hasInstrument ? std::move(code) : std::move(group)),
                    offsetOf(name), callEnd);
    }

    std::string_view m_text;
    const ParseOptions& m_options;
    SourceMap* m_spans;
    bool m_wq; ///< WorldQuant's notation
    std::vector<Token> m_tokens;
    std::size_t m_pos = 0;
    int m_depth = 0;
};

} // namespace

namespace {

/// The length of a "wq:" or "qlib:" prefix (after leading spaces, any case), and the notation it names.
std::pair<std::size_t, Notation> notationPrefix(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    for (auto [word, notation] :
         {std::pair<std::string_view, Notation>{"wq:", Notation::WorldQuant}, {"qlib:", Notation::Qlib}})
        if (text.size() - i >= word.size() && sameIgnoringCase(text.substr(i, word.size()), word))
            return {i + word.size(), notation};
    return {0, Notation::Auto};
}

} // namespace

Notation detectNotation(std::string_view text) {
    if (auto [length, notation] = notationPrefix(text); length) return notation;
    return text.find('$') != std::string_view::npos ? Notation::Qlib : Notation::WorldQuant;
}

Result<ExprPtr> parseFormula(std::string_view text, const ParseOptions& options, SourceMap* spans) {
    // A prefix is blanked rather than cut, so that columns and spans stay those of the text given.
    const auto [length, prefixed] = notationPrefix(text);
    std::string blanked;
    std::string_view body = text;
    if (length) {
        blanked.assign(text);
        std::fill(blanked.begin(), blanked.begin() + static_cast<std::ptrdiff_t>(length), ' ');
        body = blanked;
    }
    Notation notation = length ? prefixed : options.notation;
    if (notation == Notation::Auto) notation = detectNotation(text);
    Parser p(body, options, spans, notation == Notation::WorldQuant);
    return p.run();
}

} // namespace alphascope

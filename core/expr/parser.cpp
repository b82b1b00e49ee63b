#include "core/expr/parser.h"

#include "core/expr/operator_registry.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>

namespace alphascope {

namespace {

enum class Tok { End, Number, Field, Ident, LParen, RParen, Comma, Plus, Minus, Star, Slash, Gt, Ge, Lt, Le, Eq, Ne, Amp, Pipe };

struct Token {
    Tok type = Tok::End;
    std::string_view text;
    double number = 0.0;
    int column = 1; // 1-based
};

const char* describe(Tok t) {
    switch (t) {
    case Tok::End: return "the end of the formula";
    case Tok::Number: return "a number";
    case Tok::Field: return "a field";
    case Tok::Ident: return "a name";
    case Tok::LParen: return "'('";
    case Tok::RParen: return "')'";
    case Tok::Comma: return "','";
    case Tok::Plus: return "'+'";
    case Tok::Minus: return "'-'";
    case Tok::Star: return "'*'";
    case Tok::Slash: return "'/'";
    case Tok::Gt: return "'>'";
    case Tok::Ge: return "'>='";
    case Tok::Lt: return "'<'";
    case Tok::Le: return "'<='";
    case Tok::Eq: return "'=='";
    case Tok::Ne: return "'!='";
    case Tok::Amp: return "'&'";
    case Tok::Pipe: return "'|'";
    }
    return "?";
}

std::string joinNames(const std::vector<std::string>& names, const char* prefix) {
    std::string out;
    for (std::size_t i = 0; i < names.size() && i < 20; ++i) {
        if (i) out += ", ";
        out += prefix + names[i];
    }
    if (names.size() > 20) out += ", ...";
    return out;
}

class Parser {
public:
    Parser(std::string_view text, const ParseOptions& options, SourceMap* spans)
        : m_text(text), m_options(options), m_spans(spans) {}

    Result<ExprPtr> run() {
        if (auto e = lex(); !e.ok()) return e.error();
        if (m_tokens.size() == 1) return fail(1, "the formula is empty");
        auto expr = parseExpr();
        if (!expr.ok()) return expr;
        if (peek().type != Tok::End) return fail(peek().column, std::string("unexpected ") + describe(peek().type) + " '" + std::string(peek().text) + "' after a complete formula");
        if (expr.value()->isConstantExpression())
            return fail(1, "the formula has no field: it is a constant (use at least one $field)");
        return expr;
    }

private:
    Error fail(int column, std::string message, ErrorCode code = ErrorCode::Parse) const {
        Error e = makeError(code, std::move(message), "column " + std::to_string(column));
        e.column = column;
        return e;
    }

    Result<void> lex() {
        std::size_t i = 0;
        while (i < m_text.size()) {
            const char c = m_text[i];
            const int col = static_cast<int>(i) + 1;
            if (std::isspace(static_cast<unsigned char>(c))) {
                ++i;
                continue;
            }
            Token t;
            t.column = col;
            if (std::isdigit(static_cast<unsigned char>(c)) || (c == '.' && i + 1 < m_text.size() && std::isdigit(static_cast<unsigned char>(m_text[i + 1])))) {
                double v = 0;
                auto res = std::from_chars(m_text.data() + i, m_text.data() + m_text.size(), v);
                if (res.ec != std::errc()) return fail(col, "malformed number");
                std::size_t end = static_cast<std::size_t>(res.ptr - m_text.data());
                // AlphaGen writes windows as "20d".
                if (end < m_text.size() && m_text[end] == 'd' && (end + 1 == m_text.size() || !std::isalnum(static_cast<unsigned char>(m_text[end + 1]))))
                    ++end;
                t.type = Tok::Number;
                t.number = v;
                t.text = m_text.substr(i, end - i);
                i = end;
            } else if (c == '$' || std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
                std::size_t j = i + (c == '$' ? 1 : 0);
                while (j < m_text.size() && (std::isalnum(static_cast<unsigned char>(m_text[j])) || m_text[j] == '_')) ++j;
                if (c == '$' && j == i + 1) return fail(col, "'$' must be followed by a field name, e.g. $close");
                t.type = c == '$' ? Tok::Field : Tok::Ident;
                t.text = m_text.substr(i, j - i);
                i = j;
            } else if (c == '>' || c == '<' || c == '=' || c == '!') {
                // Qlib's infix comparisons: > >= < <= == !=
                const bool eq = i + 1 < m_text.size() && m_text[i + 1] == '=';
                if ((c == '=' || c == '!') && !eq)
                    return fail(col, c == '=' ? "'=' alone is not an operator: write '==' to compare"
                                              : "'!' alone is not an operator: write '!=' or Not(x)");
                t.type = c == '>' ? (eq ? Tok::Ge : Tok::Gt) : c == '<' ? (eq ? Tok::Le : Tok::Lt) : c == '=' ? Tok::Eq : Tok::Ne;
                t.text = m_text.substr(i, eq ? 2 : 1);
                i += eq ? 2 : 1;
                m_tokens.push_back(t);
                continue;
            } else {
                switch (c) {
                case '(': t.type = Tok::LParen; break;
                case ')': t.type = Tok::RParen; break;
                case ',': t.type = Tok::Comma; break;
                case '+': t.type = Tok::Plus; break;
                case '-': t.type = Tok::Minus; break;
                case '*': t.type = Tok::Star; break;
                case '/': t.type = Tok::Slash; break;
                case '&': t.type = Tok::Amp; break;
                case '|': t.type = Tok::Pipe; break;
                default: return fail(col, std::string("unexpected character '") + c + "'");
                }
                t.text = m_text.substr(i, 1);
                ++i;
            }
            m_tokens.push_back(t);
        }
        Token end;
        end.column = static_cast<int>(m_text.size()) + 1;
        end.text = m_text.substr(m_text.size()); // empty, but positioned at the end (for spans)
        m_tokens.push_back(end);
        return {};
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

    Result<ExprPtr> parseUnary() {
        DepthGuard guard(m_depth);
        if (m_depth > m_options.maxDepth)
            return fail(peek().column, "the formula is nested deeper than " + std::to_string(m_options.maxDepth) + " levels");
        if (peek().type == Tok::Minus) {
            const std::size_t begin = offsetOf(next());
            // "-5" is the constant -5; "-$close" is Neg($close).
            if (peek().type == Tok::Number && !isWindowText(peek())) {
                const Token& t = next();
                return mark(Expr::constant(-t.number), begin, consumedEnd());
            }
            auto operand = parseUnary();
            if (!operand.ok()) return operand;
            if (operand.value()->isConstant()) return mark(Expr::constant(-operand.value()->value()), begin, consumedEnd());
            return mark(Expr::op(OpId::Neg, {operand.value()}), begin, consumedEnd());
        }
        if (peek().type == Tok::Plus) {
            next();
            return parseUnary();
        }
        return parsePrimary();
    }

    static bool isWindowText(const Token& t) { return !t.text.empty() && t.text.back() == 'd'; }

    Result<ExprPtr> parsePrimary() {
        const Token& t = next();
        switch (t.type) {
        case Tok::Number:
            if (isWindowText(t)) return fail(t.column, "'" + std::string(t.text) + "' is a window; windows go last inside a rolling operator, e.g. Mean($close, 20)");
            return mark(Expr::constant(t.number), offsetOf(t), consumedEnd());
        case Tok::Field: {
            std::string name(t.text.substr(1));
            if (m_options.checkNames || !m_options.knownFields.empty()) {
                bool found = false;
                for (const auto& f : m_options.knownFields) found = found || f == name;
                if (!found)
                    return fail(t.column, "unknown field $" + name + "; the data has " + joinNames(m_options.knownFields, "$"), ErrorCode::Semantic);
            }
            return mark(Expr::feature(std::move(name)), offsetOf(t), consumedEnd());
        }
        case Tok::LParen: {
            auto inner = parseExpr();
            if (!inner.ok()) return inner;
            if (peek().type != Tok::RParen) return fail(peek().column, std::string("expected ')' to close the '(' at column ") + std::to_string(t.column) + ", found " + describe(peek().type));
            next();
            return inner;
        }
        case Tok::Ident:
            return parseCall(t);
        default:
            return fail(t.column, std::string("expected a field, a number or an operator, found ") + describe(t.type));
        }
    }

    struct RawArg {
        std::optional<ExprPtr> expr;       // a series argument
        std::optional<Token> number;       // a bare number (constant or window)
        std::optional<Token> identifier;   // a bare name (grouping)
        int column = 1;
    };

    Result<ExprPtr> parseCall(const Token& name) {
        const OperatorSpec* spec = findOperator(name.text);
        if (peek().type != Tok::LParen) {
            if (spec) return fail(name.column, std::string("operator ") + std::string(spec->name) + " needs its arguments: " + std::string(spec->signature));
            if (name.text == "close" || name.text == "open" || name.text == "high" || name.text == "low" || name.text == "volume" || name.text == "vwap")
                return fail(name.column, "fields start with '$': write $" + std::string(name.text));
            return fail(name.column, "unexpected name '" + std::string(name.text) + "'; fields start with '$' (e.g. $close) and operators take arguments in parentheses");
        }
        if (!spec) {
            return fail(name.column, "unknown operator '" + std::string(name.text) + "'; did you mean " + closestOperatorName(name.text) + "?");
        }
        const Token& open = next(); // '('
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
                    t.text = m_text.substr(begin, static_cast<std::size_t>(t.text.data() + t.text.size() - (m_text.data() + begin)));
                    t.column = minus.column;
                    arg.number = t;
                } else if (first.type == Tok::Ident && argEnds) {
                    arg.identifier = next();
                } else {
                    auto e = parseExpr();
                    if (!e.ok()) return e;
                    arg.expr = e.value();
                }
                raw.push_back(arg);
                if (peek().type == Tok::Comma) {
                    next();
                    continue;
                }
                if (peek().type == Tok::RParen) break;
                return fail(peek().column, std::string("expected ',' or ')' in the arguments of ") + std::string(spec->name) + ", found " + describe(peek().type));
            }
        }
        next(); // ')'
        (void)open;
        const std::size_t callEnd = consumedEnd();

        const int expected = spec->argumentCount();
        if (static_cast<int>(raw.size()) != expected) {
            return fail(name.column, std::string(spec->name) + " takes " + std::to_string(expected) + " argument" + (expected == 1 ? "" : "s") + " " + std::string(spec->signature) + ", got " + std::to_string(raw.size()));
        }

        std::vector<ExprPtr> args;
        for (int k = 0; k < spec->seriesArity; ++k) {
            RawArg& a = raw[static_cast<std::size_t>(k)];
            if (a.identifier) {
                return fail(a.column, "argument " + std::to_string(k + 1) + " of " + std::string(spec->name) + " must be a series; '" + std::string(a.identifier->text) + "' is not a field (fields start with '$')");
            }
            if (a.number) {
                if (isWindowText(*a.number)) return fail(a.column, "argument " + std::to_string(k + 1) + " of " + std::string(spec->name) + " must be a series, got the window " + std::string(a.number->text));
                if (spec->kind == OpKind::Rolling || spec->kind == OpKind::PairRolling || spec->kind == OpKind::CrossSectional || spec->kind == OpKind::Group) {
                    return fail(a.column, "argument " + std::to_string(k + 1) + " of " + std::string(spec->name) + " must be a series, got the number " + std::string(a.number->text) + (spec->hasWindow ? " (the window goes last: " + std::string(spec->signature) + ")" : ""));
                }
                args.push_back(mark(Expr::constant(a.number->number), offsetOf(*a.number), offsetOf(*a.number) + a.number->text.size()));
            } else {
                args.push_back(*a.expr);
            }
        }
        int window = 0;
        std::string group;
        if (spec->hasWindow) {
            RawArg& a = raw[static_cast<std::size_t>(spec->seriesArity)]; // the parameter, if any, follows it
            if (!a.number) {
                return fail(a.column, "the last argument of " + std::string(spec->name) + " must be a window, a whole number of days: " + std::string(spec->signature));
            }
            const double w = a.number->number;
            if (std::floor(w) != w) return fail(a.column, "the window of " + std::string(spec->name) + " must be a whole number of days, got " + std::string(a.number->text));
            if (std::fabs(w) > m_options.maxWindow) return fail(a.column, "the window " + std::string(a.number->text) + " is longer than the limit of " + std::to_string(m_options.maxWindow) + " days");
            window = static_cast<int>(w);
            if (spec->id == OpId::Ref && window < 0) {
                if (!m_options.allowFuture)
                    return fail(a.column, "Ref(x, " + std::to_string(window) + ") reads " + std::to_string(-window) + " days into the future; a negative Ref is allowed only in the target", ErrorCode::Semantic);
            } else if (window < minimumWindow(spec->id) && !(spec->id == OpId::Ref && window == 0)) {
                return fail(a.column, "the window of " + std::string(spec->name) + " must be at least " + std::to_string(minimumWindow(spec->id)) + " days, got " + std::string(a.number->text));
            }
        }
        if (spec->hasGroup) {
            RawArg& a = raw.back();
            if (!a.identifier) return fail(a.column, "the last argument of " + std::string(spec->name) + " must be a grouping name such as sector or industry: " + std::string(spec->signature));
            group = std::string(a.identifier->text);
            if (m_options.checkNames || !m_options.knownGroups.empty()) {
                bool found = false;
                for (const auto& g : m_options.knownGroups) found = found || g == group;
                if (!found)
                    return fail(a.column, "unknown grouping '" + group + "'; the data has " +
                                              (m_options.knownGroups.empty() ? std::string("none (load a sector/industry file)") : joinNames(m_options.knownGroups, "")),
                                ErrorCode::Semantic);
            }
        }
        if (spec->hasParameter) {
            RawArg& a = raw.back();
            if (!a.number || isWindowText(*a.number) || !(a.number->number >= 0.0 && a.number->number <= 1.0))
                return fail(a.column, "the last argument of " + std::string(spec->name) + " must be a number between 0 and 1: " +
                                          std::string(spec->signature));
            return mark(Expr::opWithParameter(spec->id, std::move(args), window, a.number->number), offsetOf(name), callEnd);
        }
        return mark(Expr::op(spec->id, std::move(args), window, std::move(group)), offsetOf(name), callEnd);
    }

    std::string_view m_text;
    const ParseOptions& m_options;
    SourceMap* m_spans;
    std::vector<Token> m_tokens;
    std::size_t m_pos = 0;
    int m_depth = 0;
};

} // namespace

Result<ExprPtr> parseFormula(std::string_view text, const ParseOptions& options, SourceMap* spans) {
    Parser p(text, options, spans);
    return p.run();
}

} // namespace alphascope

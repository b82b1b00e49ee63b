#include "core/expr/formula_lexer.h"

#include <cctype>
#include <charconv>

namespace alphascope::lexer {

namespace {

Error fail(int column, std::string message) {
    Error e = makeError(ErrorCode::Parse, std::move(message), "column " + std::to_string(column));
    e.column = column;
    return e;
}

} // namespace

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
    case Tok::String: return "a quoted name";
    case Tok::AndAnd: return "'&&'";
    case Tok::OrOr: return "'||'";
    case Tok::Question: return "'?'";
    case Tok::Colon: return "':'";
    case Tok::Caret: return "'^'";
    case Tok::Bang: return "'!'";
    }
    return "?";
}

/// What Qlib's notation writes instead of a WorldQuant token; empty for other tokens.
std::string qlibInstead(Tok t) {
    switch (t) {
    case Tok::Question:
    case Tok::Colon:
        return " (cond ? a : b is WorldQuant's notation: Qlib writes If(cond, a, b), or write the formula without $ "
               "fields)";
    case Tok::AndAnd: return " (Qlib writes '&')";
    case Tok::OrOr: return " (Qlib writes '|')";
    case Tok::Caret: return " (Qlib writes Power(x, y))";
    case Tok::Bang: return " (write '!=' or Not(x))";
    default: return {};
    }
}

Result<std::vector<Token>> lexFormula(std::string_view text, bool worldQuant) {
    std::vector<Token> tokens;
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        const int col = static_cast<int>(i) + 1;
        if (std::isspace(static_cast<unsigned char>(c))) {
            ++i;
            continue;
        }
        Token t;
        t.column = col;
        if (std::isdigit(static_cast<unsigned char>(c)) ||
            (c == '.' && i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1])))) {
            double v = 0;
            auto res = std::from_chars(text.data() + i, text.data() + text.size(), v);
            if (res.ec != std::errc()) return fail(col, "malformed number");
            std::size_t end = static_cast<std::size_t>(res.ptr - text.data());
            // AlphaGen writes windows as "20d".
            if (end < text.size() && text[end] == 'd' &&
                (end + 1 == text.size() || !std::isalnum(static_cast<unsigned char>(text[end + 1]))))
                ++end;
            t.type = Tok::Number;
            t.number = v;
            t.text = text.substr(i, end - i);
            i = end;
        } else if (c == '$' || std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            std::size_t j = i + (c == '$' ? 1 : 0);
            // IndClass.sector is one name (WorldQuant's groupings).
            while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_' ||
                                       (text[j] == '.' && c != '$' && j + 1 < text.size() &&
                                        std::isalpha(static_cast<unsigned char>(text[j + 1])))))
                ++j;
            if (c == '$' && j == i + 1) return fail(col, "'$' must be followed by a field name, e.g. $close");
            t.type = c == '$' ? Tok::Field : Tok::Ident;
            t.text = text.substr(i, j - i);
            i = j;
        } else if (c == '\'' || c == '"') { // an instrument code: ChangeInstrument('SPY', $close)
            const std::size_t close = text.find(c, i + 1);
            if (close == std::string_view::npos) return fail(col, std::string("the quote ") + c + " is not closed");
            t.type = Tok::String;
            t.text = text.substr(i, close + 1 - i);
            i = close + 1;
        } else if ((c == '&' || c == '|') && i + 1 < text.size() && text[i + 1] == c) {
            t.type = c == '&' ? Tok::AndAnd : Tok::OrOr;
            t.text = text.substr(i, 2);
            i += 2;
        } else if (c == '!' && worldQuant && !(i + 1 < text.size() && text[i + 1] == '=')) {
            t.type = Tok::Bang;
            t.text = text.substr(i, 1);
            ++i;
        } else if (c == '>' || c == '<' || c == '=' || c == '!') {
            // Qlib's infix comparisons: > >= < <= == !=
            const bool eq = i + 1 < text.size() && text[i + 1] == '=';
            if ((c == '=' || c == '!') && !eq)
                return fail(col, c == '=' ? "'=' alone is not an operator: write '==' to compare"
                                          : "'!' alone is not an operator: write '!=' or Not(x)");
            t.type = c == '>'   ? (eq ? Tok::Ge : Tok::Gt)
                     : c == '<' ? (eq ? Tok::Le : Tok::Lt)
                     : c == '=' ? Tok::Eq
                                : Tok::Ne;
            t.text = text.substr(i, eq ? 2 : 1);
            i += eq ? 2 : 1;
            tokens.push_back(t);
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
            case '?': t.type = Tok::Question; break;
            case ':': t.type = Tok::Colon; break;
            case '^': t.type = Tok::Caret; break;
            default: return fail(col, std::string("unexpected character '") + c + "'");
            }
            t.text = text.substr(i, 1);
            ++i;
        }
        tokens.push_back(t);
    }
    Token end;
    end.column = static_cast<int>(text.size()) + 1;
    end.text = text.substr(text.size()); // empty, but positioned at the end (for spans)
    tokens.push_back(end);
    return tokens;
}

} // namespace alphascope::lexer

#pragma once
// The formula lexer (internal to core/expr): the tokens of both notations, Qlib's (and AlphaGen's)
// and WorldQuant's, with their columns, for the parser in parser.cpp.

#include "core/util/result.h"

#include <string>
#include <string_view>
#include <vector>

namespace alphascope::lexer {

enum class Tok {
    End,
    Number,
    Field,
    Ident,
    String,
    LParen,
    RParen,
    Comma,
    Plus,
    Minus,
    Star,
    Slash,
    Gt,
    Ge,
    Lt,
    Le,
    Eq,
    Ne,
    Amp,
    Pipe,
    AndAnd,
    OrOr,
    Question,
    Colon,
    Caret,
    Bang // WorldQuant's && || ?: ^ !
};

struct Token {
    Tok type = Tok::End;
    std::string_view text;
    double number = 0.0;
    int column = 1; // 1-based
};

/// How a message names a token type ("a number", "')'", ...).
const char* describe(Tok t);
/// What Qlib's notation writes instead of a WorldQuant token (a message's tail); empty for other tokens.
std::string qlibInstead(Tok t);

/// The tokens of `text`, ending with an End token positioned at the end of the text (for spans).
/// `worldQuant`: a lone '!' is WorldQuant's not. Errors: Parse located "column N" (with
/// Error::column) for a malformed number, a '$' without a name, an unclosed quote, '=' or '!'
/// alone, or a character no token starts with.
Result<std::vector<Token>> lexFormula(std::string_view text, bool worldQuant);

} // namespace alphascope::lexer

#pragma once
// WorldQuant's formula notation (the 101 Formulaic Alphas, Kakushadze 2016, and BRAIN's operator
// names): the function table the parser reads it with, and the printer that writes any formula in it.

#include "core/expr/expr.h"
#include "core/expr/parser.h"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace alphascope {

/// How a WorldQuant function's arguments become an AlphaScope operator's.
enum class WqShape : std::uint8_t {
    Plain, ///< the same arguments as `op` (series, then a day count or a grouping)
    Scale, ///< scale(x[, a]) = CSScale(x) * a
    Min,   ///< min(x, d) = ts_min (d a number); min(x, y, ...) = Less, element by element
    Max,   ///< max(x, d) = ts_max; max(x, y, ...) = Greater
};

/// One WorldQuant function name (lower case; the parser matches any case).
struct WorldQuantFunction {
    std::string_view name;
    OpId op;
    WqShape shape;
    std::string_view signature; ///< e.g. "ts_rank(x, d)"
};

/// All WorldQuant names the parser knows; for each operator the first entry is the name the printer uses.
std::span<const WorldQuantFunction> worldQuantFunctions();
/// The function of a name, any case; nullptr when WorldQuant has no such name (the parser then tries
/// AlphaScope's own operator names, any case).
const WorldQuantFunction* findWorldQuantFunction(std::string_view name);

/// What a bare name (not followed by '(') means in WorldQuant's notation: a field in any case,
/// `returns` (PctChange($close, 1)), `adv{d}` (Mean($close * $volume, d)), or an error naming what
/// is wrong or what the data lacks. With ParseOptions::knownFields (or checkNames) the data's fields
/// are checked; without them any plain name is taken as a field.
struct WorldQuantName {
    enum class Kind : std::uint8_t { Field, Returns, DollarVolume, Error };
    Kind kind = Kind::Error;
    std::string field;     ///< Field: the data's field name
    int days = 0;          ///< DollarVolume: d of adv{d}
    std::string error;     ///< Error: the message (the parser adds the column)
    bool semantic = false; ///< Error: the data lacks something (ErrorCode::Semantic), not a misspelling
};
WorldQuantName resolveWorldQuantName(std::string_view name, const ParseOptions& options);

/// The formula in WorldQuant's notation: BRAIN's names where WorldQuant has the operator (rank, delay,
/// ts_rank, decay_linear, group_neutralize, cond ? a : b, ...), adv{d} for Mean($close * $volume, d),
/// returns for PctChange($close, 1), and AlphaScope's own names for the operators WorldQuant lacks
/// (Kurt, EMA, Quantile, ...). Parsing the text in WorldQuant notation gives the formula back.
std::string toWorldQuant(const Expr& formula);

/// The AlphaScope operators in a formula that WorldQuant has no name for (written under AlphaScope's
/// names by toWorldQuant, so BRAIN would not read them), sorted, each once.
std::vector<std::string> operatorsWithoutWorldQuantName(const Expr& formula);

/// The formula in a notation (Auto and Qlib: Expr::toString()).
std::string formatFormula(const Expr& formula, Notation notation);

/// "qlib", "worldquant" (Auto: "auto").
std::string_view notationName(Notation notation);

} // namespace alphascope

#include "core/expr/operator_registry.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cctype>
#include <vector>

// The descriptions are English; the GUI translates them in the context "Operators". lupdate reads
// them from this marker (core has no Qt: it is defined here as the text itself).
#define QT_TRANSLATE_NOOP(context, text) text

namespace alphascope {

namespace {

using K = OpKind;
using D = DimRule;

// Kept in OpId order (checked at start-up by operatorSpec()).
// One operator per line:
// clang-format off
constexpr std::array<OperatorSpec, kOpCount> kOps = {{
    {OpId::Abs, "Abs", K::Unary, 1, false, false, false, D::Keep, "Abs(x)", QT_TRANSLATE_NOOP("Operators", "absolute value")},
    {OpId::Neg, "Neg", K::Unary, 1, false, false, false, D::Keep, "Neg(x)", QT_TRANSLATE_NOOP("Operators", "negation, -x")},
    {OpId::Sign, "Sign", K::Unary, 1, false, false, false, D::Dimensionless, "Sign(x)", QT_TRANSLATE_NOOP("Operators", "sign: -1, 0 or 1")},
    {OpId::Log, "Log", K::Unary, 1, false, false, false, D::Dimensionless, "Log(x)", QT_TRANSLATE_NOOP("Operators", "natural log; NaN for x <= 0")},
    {OpId::SLog1p, "SLog1p", K::Unary, 1, false, false, false, D::Dimensionless, "SLog1p(x)", QT_TRANSLATE_NOOP("Operators", "sign(x) * log(1 + |x|)")},
    {OpId::Inv, "Inv", K::Unary, 1, false, false, false, D::Invert, "Inv(x)", QT_TRANSLATE_NOOP("Operators", "1 / x; NaN at 0")},
    {OpId::Sqrt, "Sqrt", K::Unary, 1, false, false, false, D::Root, "Sqrt(x)", QT_TRANSLATE_NOOP("Operators", "sign(x) * sqrt(|x|)")},
    {OpId::Add, "Add", K::Binary, 2, false, false, true, D::SameKeep, "Add(x, y)", QT_TRANSLATE_NOOP("Operators", "x + y")},
    {OpId::Sub, "Sub", K::Binary, 2, false, false, false, D::SameKeep, "Sub(x, y)", QT_TRANSLATE_NOOP("Operators", "x - y")},
    {OpId::Mul, "Mul", K::Binary, 2, false, false, true, D::Multiply, "Mul(x, y)", QT_TRANSLATE_NOOP("Operators", "x * y")},
    {OpId::Div, "Div", K::Binary, 2, false, false, false, D::Divide, "Div(x, y)", QT_TRANSLATE_NOOP("Operators", "x / y; NaN when y = 0")},
    {OpId::Pow, "Pow", K::Binary, 2, false, false, false, D::Power, "Pow(x, y)", QT_TRANSLATE_NOOP("Operators", "x ^ y; NaN for a negative base and non-integer y")},
    {OpId::Greater, "Greater", K::Binary, 2, false, false, true, D::SameKeep, "Greater(x, y)", QT_TRANSLATE_NOOP("Operators", "elementwise max(x, y)")},
    {OpId::Less, "Less", K::Binary, 2, false, false, true, D::SameKeep, "Less(x, y)", QT_TRANSLATE_NOOP("Operators", "elementwise min(x, y)")},
    {OpId::Ref, "Ref", K::Rolling, 1, true, false, false, D::Keep, "Ref(x, days)", QT_TRANSLATE_NOOP("Operators", "x, days ago (negative: future, target only)")},
    {OpId::Delta, "Delta", K::Rolling, 1, true, false, false, D::Keep, "Delta(x, days)", QT_TRANSLATE_NOOP("Operators", "x - Ref(x, days)")},
    {OpId::Mean, "Mean", K::Rolling, 1, true, false, false, D::Keep, "Mean(x, window)", QT_TRANSLATE_NOOP("Operators", "rolling mean")},
    {OpId::Sum, "Sum", K::Rolling, 1, true, false, false, D::Keep, "Sum(x, window)", QT_TRANSLATE_NOOP("Operators", "rolling sum")},
    {OpId::Std, "Std", K::Rolling, 1, true, false, false, D::Keep, "Std(x, window)", QT_TRANSLATE_NOOP("Operators", "rolling standard deviation (ddof 1)")},
    {OpId::Var, "Var", K::Rolling, 1, true, false, false, D::Square, "Var(x, window)", QT_TRANSLATE_NOOP("Operators", "rolling variance (ddof 1)")},
    {OpId::Skew, "Skew", K::Rolling, 1, true, false, false, D::Dimensionless, "Skew(x, window)", QT_TRANSLATE_NOOP("Operators", "rolling skewness (bias-corrected)")},
    {OpId::Kurt, "Kurt", K::Rolling, 1, true, false, false, D::Dimensionless, "Kurt(x, window)", QT_TRANSLATE_NOOP("Operators", "rolling excess kurtosis (bias-corrected)")},
    {OpId::Max, "Max", K::Rolling, 1, true, false, false, D::Keep, "Max(x, window)", QT_TRANSLATE_NOOP("Operators", "rolling maximum")},
    {OpId::Min, "Min", K::Rolling, 1, true, false, false, D::Keep, "Min(x, window)", QT_TRANSLATE_NOOP("Operators", "rolling minimum")},
    {OpId::Med, "Med", K::Rolling, 1, true, false, false, D::Keep, "Med(x, window)", QT_TRANSLATE_NOOP("Operators", "rolling median")},
    {OpId::Mad, "Mad", K::Rolling, 1, true, false, false, D::Keep, "Mad(x, window)", QT_TRANSLATE_NOOP("Operators", "rolling mean absolute deviation")},
    {OpId::Rank, "Rank", K::Rolling, 1, true, false, false, D::Dimensionless, "Rank(x, window)", QT_TRANSLATE_NOOP("Operators", "percentile of today within the window (max = 1)")},
    {OpId::WMA, "WMA", K::Rolling, 1, true, false, false, D::Keep, "WMA(x, window)", QT_TRANSLATE_NOOP("Operators", "linearly weighted moving average")},
    {OpId::EMA, "EMA", K::Rolling, 1, true, false, false, D::Keep, "EMA(x, window)", QT_TRANSLATE_NOOP("Operators", "exponential moving average, alpha 2/(W+1), truncated")},
    {OpId::IR, "IR", K::Rolling, 1, true, false, false, D::Dimensionless, "IR(x, window)", QT_TRANSLATE_NOOP("Operators", "rolling mean / standard deviation")},
    {OpId::MaxDiff, "MaxDiff", K::Rolling, 1, true, false, false, D::Keep, "MaxDiff(x, window)", QT_TRANSLATE_NOOP("Operators", "x - rolling max")},
    {OpId::MinDiff, "MinDiff", K::Rolling, 1, true, false, false, D::Keep, "MinDiff(x, window)", QT_TRANSLATE_NOOP("Operators", "x - rolling min")},
    {OpId::MinMaxDiff, "MinMaxDiff", K::Rolling, 1, true, false, false, D::Keep, "MinMaxDiff(x, window)", QT_TRANSLATE_NOOP("Operators", "rolling max - rolling min")},
    {OpId::TsDiv, "TsDiv", K::Rolling, 1, true, false, false, D::Dimensionless, "TsDiv(x, window)", QT_TRANSLATE_NOOP("Operators", "x / rolling mean")},
    {OpId::PctChange, "PctChange", K::Rolling, 1, true, false, false, D::Dimensionless, "PctChange(x, days)", QT_TRANSLATE_NOOP("Operators", "x / Ref(x, days) - 1")},
    {OpId::ArgMax, "ArgMax", K::Rolling, 1, true, false, false, D::Dimensionless, "ArgMax(x, window)", QT_TRANSLATE_NOOP("Operators", "position of the max in the window (1 = oldest)")},
    {OpId::ArgMin, "ArgMin", K::Rolling, 1, true, false, false, D::Dimensionless, "ArgMin(x, window)", QT_TRANSLATE_NOOP("Operators", "position of the min in the window (1 = oldest)")},
    {OpId::Cov, "Cov", K::PairRolling, 2, true, false, true, D::SameSquare, "Cov(x, y, window)", QT_TRANSLATE_NOOP("Operators", "rolling covariance (ddof 1)")},
    {OpId::Corr, "Corr", K::PairRolling, 2, true, false, true, D::Dimensionless, "Corr(x, y, window)", QT_TRANSLATE_NOOP("Operators", "rolling correlation; NaN on a constant window")},
    {OpId::CSRank, "CSRank", K::CrossSectional, 1, false, false, false, D::Dimensionless, "CSRank(x)", QT_TRANSLATE_NOOP("Operators", "rank across instruments each day, in (0, 1]")},
    {OpId::CSZScore, "CSZScore", K::CrossSectional, 1, false, false, false, D::Dimensionless, "CSZScore(x)", QT_TRANSLATE_NOOP("Operators", "z-score across instruments each day")},
    {OpId::CSDemean, "CSDemean", K::CrossSectional, 1, false, false, false, D::Keep, "CSDemean(x)", QT_TRANSLATE_NOOP("Operators", "x minus the day's cross-sectional mean")},
    {OpId::CSScale, "CSScale", K::CrossSectional, 1, false, false, false, D::Dimensionless, "CSScale(x)", QT_TRANSLATE_NOOP("Operators", "x / sum |x| across instruments each day")},
    {OpId::GroupDemean, "GroupDemean", K::Group, 1, false, true, false, D::Keep, "GroupDemean(x, group)", QT_TRANSLATE_NOOP("Operators", "x minus its group's mean each day")},
    {OpId::GroupRank, "GroupRank", K::Group, 1, false, true, false, D::Dimensionless, "GroupRank(x, group)", QT_TRANSLATE_NOOP("Operators", "rank within its group each day, in (0, 1]")},
    {OpId::GroupZScore, "GroupZScore", K::Group, 1, false, true, false, D::Dimensionless, "GroupZScore(x, group)", QT_TRANSLATE_NOOP("Operators", "z-score within its group each day")},
    {OpId::Gt, "Gt", K::Binary, 2, false, false, false, D::SameDimensionless, "Gt(x, y)", QT_TRANSLATE_NOOP("Operators", "1 where x > y, else 0 (infix x > y)")},
    {OpId::Ge, "Ge", K::Binary, 2, false, false, false, D::SameDimensionless, "Ge(x, y)", QT_TRANSLATE_NOOP("Operators", "1 where x >= y, else 0 (infix x >= y)")},
    {OpId::Lt, "Lt", K::Binary, 2, false, false, false, D::SameDimensionless, "Lt(x, y)", QT_TRANSLATE_NOOP("Operators", "1 where x < y, else 0 (infix x < y)")},
    {OpId::Le, "Le", K::Binary, 2, false, false, false, D::SameDimensionless, "Le(x, y)", QT_TRANSLATE_NOOP("Operators", "1 where x <= y, else 0 (infix x <= y)")},
    {OpId::Eq, "Eq", K::Binary, 2, false, false, true, D::SameDimensionless, "Eq(x, y)", QT_TRANSLATE_NOOP("Operators", "1 where x == y, else 0 (infix x == y)")},
    {OpId::Ne, "Ne", K::Binary, 2, false, false, true, D::SameDimensionless, "Ne(x, y)", QT_TRANSLATE_NOOP("Operators", "1 where x != y, else 0 (infix x != y)")},
    {OpId::And, "And", K::Binary, 2, false, false, true, D::Dimensionless, "And(x, y)", QT_TRANSLATE_NOOP("Operators", "1 where both are non-zero, else 0 (infix x & y)")},
    {OpId::Or, "Or", K::Binary, 2, false, false, true, D::Dimensionless, "Or(x, y)", QT_TRANSLATE_NOOP("Operators", "1 where either is non-zero, else 0 (infix x | y)")},
    {OpId::Not, "Not", K::Unary, 1, false, false, false, D::Dimensionless, "Not(x)", QT_TRANSLATE_NOOP("Operators", "1 where x is 0, else 0")},
    {OpId::Count, "Count", K::Rolling, 1, true, false, false, D::Dimensionless, "Count(x, window)", QT_TRANSLATE_NOOP("Operators", "number of days with a value in the window (Qlib's Count)")},
    {OpId::Slope, "Slope", K::Rolling, 1, true, false, false, D::Keep, "Slope(x, window)", QT_TRANSLATE_NOOP("Operators", "least-squares slope of x on time over the window, per day")},
    {OpId::Rsquare, "Rsquare", K::Rolling, 1, true, false, false, D::Dimensionless, "Rsquare(x, window)", QT_TRANSLATE_NOOP("Operators", "R-squared of the regression of x on time over the window")},
    {OpId::Resi, "Resi", K::Rolling, 1, true, false, false, D::Keep, "Resi(x, window)", QT_TRANSLATE_NOOP("Operators", "today's residual from the regression of x on time over the window")},
    {OpId::Quantile, "Quantile", K::Rolling, 1, true, false, false, D::Keep, "Quantile(x, window, q)", QT_TRANSLATE_NOOP("Operators", "the window's q-quantile, linear between the two nearest values (q in [0, 1])"), true},
    {OpId::If, "If", K::Select, 3, false, false, false, D::Select, "If(cond, x, y)", QT_TRANSLATE_NOOP("Operators", "x where cond is non-zero, else y; NaN where cond is NaN (WorldQuant: cond ? x : y)")},
    {OpId::SignedPower, "SignedPower", K::Binary, 2, false, false, false, D::Power, "SignedPower(x, e)", QT_TRANSLATE_NOOP("Operators", "sign(x) * |x| ^ e")},
    {OpId::Product, "Product", K::Rolling, 1, true, false, false, D::Power, "Product(x, window)", QT_TRANSLATE_NOOP("Operators", "rolling product")},
    {OpId::ChangeInstrument, "ChangeInstrument", K::Instrument, 1, false, false, false, D::Keep, "ChangeInstrument('code', x)", QT_TRANSLATE_NOOP("Operators", "x of the instrument code (an index, a stock), the same for every instrument (Qlib's Mask(x, 'code') too)"), false, true},
}};
// clang-format on

struct Alias {
    std::string_view alias;
    OpId id;
};

// Names used by AlphaSAGE / AlphaForge / Qlib for the same semantics.
constexpr Alias kAliases[] = {
    {"TsMean", OpId::Mean},
    {"TsSum", OpId::Sum},
    {"TsStd", OpId::Std},
    {"TsVar", OpId::Var},
    {"TsSkew", OpId::Skew},
    {"TsKurt", OpId::Kurt},
    {"TsMax", OpId::Max},
    {"TsMin", OpId::Min},
    {"TsMed", OpId::Med},
    {"TsMad", OpId::Mad},
    {"TsRank", OpId::Rank},
    {"TsDelta", OpId::Delta},
    {"TsWMA", OpId::WMA},
    {"TsEMA", OpId::EMA},
    {"TsIr", OpId::IR},
    {"TsMaxDiff", OpId::MaxDiff},
    {"TsMinDiff", OpId::MinDiff},
    {"TsMinMaxDiff", OpId::MinMaxDiff},
    {"TsPctChange", OpId::PctChange},
    {"TsCov", OpId::Cov},
    {"TsCorr", OpId::Corr},
    {"S_log1p", OpId::SLog1p},
    {"IdxMax", OpId::ArgMax},
    {"IdxMin", OpId::ArgMin},
    {"Median", OpId::Med},
    {"Ts_Div", OpId::TsDiv},
    {"Power", OpId::Pow},
};

bool checkOrder() {
    for (int i = 0; i < kOpCount; ++i)
        if (static_cast<int>(kOps[static_cast<std::size_t>(i)].id) != i) return false;
    return true;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

int editDistance(const std::string& a, const std::string& b) {
    std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = static_cast<int>(i);
        for (std::size_t j = 1; j <= b.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

} // namespace

std::span<const OperatorSpec> allOperators() {
    return kOps;
}

const OperatorSpec& operatorSpec(OpId id) {
    static const bool ordered = checkOrder();
    (void)ordered;
    assert(ordered);
    return kOps[static_cast<std::size_t>(id)];
}

const OperatorSpec* findOperator(std::string_view name) {
    for (const auto& op : kOps)
        if (op.name == name) return &op;
    for (const auto& a : kAliases)
        if (a.alias == name) return &operatorSpec(a.id);
    return nullptr;
}

const OperatorSpec* findOperatorIgnoringCase(std::string_view name) {
    if (const OperatorSpec* exact = findOperator(name)) return exact;
    const std::string key = lower(name);
    for (const auto& op : kOps)
        if (lower(op.name) == key) return &op;
    for (const auto& a : kAliases)
        if (lower(a.alias) == key) return &operatorSpec(a.id);
    return nullptr;
}

int nameDistance(std::string_view a, std::string_view b) {
    return editDistance(lower(a), lower(b));
}

int minimumWindow(OpId op) {
    switch (op) {
    case OpId::Std:
    case OpId::Var:
    case OpId::IR:
    case OpId::Cov:
    case OpId::Corr:
    case OpId::Slope:
    case OpId::Rsquare:
    case OpId::Resi: return 2; // ddof 1; a line needs two days
    case OpId::Skew: return 3;
    case OpId::Kurt: return 4;
    default: return 1;
    }
}

std::string closestOperatorName(std::string_view name) {
    const std::string key = lower(name);
    std::string best;
    int bestDistance = 1 << 30;
    auto consider = [&](std::string_view candidate, std::string_view canonical) {
        const int d = editDistance(key, lower(candidate));
        if (d < bestDistance) {
            bestDistance = d;
            best = std::string(canonical);
        }
    };
    for (const auto& op : kOps) consider(op.name, op.name);
    for (const auto& a : kAliases) consider(a.alias, operatorSpec(a.id).name);
    return best;
}

} // namespace alphascope

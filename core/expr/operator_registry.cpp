#include "core/expr/operator_registry.h"

#include <algorithm>
#include <cassert>
#include <array>
#include <cctype>
#include <vector>

namespace alphascope {

namespace {

using K = OpKind;
using D = DimRule;

// Kept in OpId order (checked at start-up by operatorSpec()).
constexpr std::array<OperatorSpec, kOpCount> kOps = {{
    {OpId::Abs, "Abs", K::Unary, 1, false, false, false, D::Keep, "Abs(x)", "absolute value"},
    {OpId::Neg, "Neg", K::Unary, 1, false, false, false, D::Keep, "Neg(x)", "negation, -x"},
    {OpId::Sign, "Sign", K::Unary, 1, false, false, false, D::Dimensionless, "Sign(x)", "sign: -1, 0 or 1"},
    {OpId::Log, "Log", K::Unary, 1, false, false, false, D::Dimensionless, "Log(x)", "natural log; NaN for x <= 0"},
    {OpId::SLog1p, "SLog1p", K::Unary, 1, false, false, false, D::Dimensionless, "SLog1p(x)", "sign(x) * log(1 + |x|)"},
    {OpId::Inv, "Inv", K::Unary, 1, false, false, false, D::Invert, "Inv(x)", "1 / x; NaN at 0"},
    {OpId::Sqrt, "Sqrt", K::Unary, 1, false, false, false, D::Root, "Sqrt(x)", "sign(x) * sqrt(|x|)"},
    {OpId::Add, "Add", K::Binary, 2, false, false, true, D::SameKeep, "Add(x, y)", "x + y"},
    {OpId::Sub, "Sub", K::Binary, 2, false, false, false, D::SameKeep, "Sub(x, y)", "x - y"},
    {OpId::Mul, "Mul", K::Binary, 2, false, false, true, D::Multiply, "Mul(x, y)", "x * y"},
    {OpId::Div, "Div", K::Binary, 2, false, false, false, D::Divide, "Div(x, y)", "x / y; NaN when y = 0"},
    {OpId::Pow, "Pow", K::Binary, 2, false, false, false, D::Power, "Pow(x, y)", "x ^ y; NaN for a negative base and non-integer y"},
    {OpId::Greater, "Greater", K::Binary, 2, false, false, true, D::SameKeep, "Greater(x, y)", "elementwise max(x, y)"},
    {OpId::Less, "Less", K::Binary, 2, false, false, true, D::SameKeep, "Less(x, y)", "elementwise min(x, y)"},
    {OpId::Ref, "Ref", K::Rolling, 1, true, false, false, D::Keep, "Ref(x, days)", "x, days ago (negative: future, target only)"},
    {OpId::Delta, "Delta", K::Rolling, 1, true, false, false, D::Keep, "Delta(x, days)", "x - Ref(x, days)"},
    {OpId::Mean, "Mean", K::Rolling, 1, true, false, false, D::Keep, "Mean(x, window)", "rolling mean"},
    {OpId::Sum, "Sum", K::Rolling, 1, true, false, false, D::Keep, "Sum(x, window)", "rolling sum"},
    {OpId::Std, "Std", K::Rolling, 1, true, false, false, D::Keep, "Std(x, window)", "rolling standard deviation (ddof 1)"},
    {OpId::Var, "Var", K::Rolling, 1, true, false, false, D::Square, "Var(x, window)", "rolling variance (ddof 1)"},
    {OpId::Skew, "Skew", K::Rolling, 1, true, false, false, D::Dimensionless, "Skew(x, window)", "rolling skewness (bias-corrected)"},
    {OpId::Kurt, "Kurt", K::Rolling, 1, true, false, false, D::Dimensionless, "Kurt(x, window)", "rolling excess kurtosis (bias-corrected)"},
    {OpId::Max, "Max", K::Rolling, 1, true, false, false, D::Keep, "Max(x, window)", "rolling maximum"},
    {OpId::Min, "Min", K::Rolling, 1, true, false, false, D::Keep, "Min(x, window)", "rolling minimum"},
    {OpId::Med, "Med", K::Rolling, 1, true, false, false, D::Keep, "Med(x, window)", "rolling median"},
    {OpId::Mad, "Mad", K::Rolling, 1, true, false, false, D::Keep, "Mad(x, window)", "rolling mean absolute deviation"},
    {OpId::Rank, "Rank", K::Rolling, 1, true, false, false, D::Dimensionless, "Rank(x, window)", "percentile of today within the window (max = 1)"},
    {OpId::WMA, "WMA", K::Rolling, 1, true, false, false, D::Keep, "WMA(x, window)", "linearly weighted moving average"},
    {OpId::EMA, "EMA", K::Rolling, 1, true, false, false, D::Keep, "EMA(x, window)", "exponential moving average, alpha 2/(W+1), truncated"},
    {OpId::IR, "IR", K::Rolling, 1, true, false, false, D::Dimensionless, "IR(x, window)", "rolling mean / standard deviation"},
    {OpId::MaxDiff, "MaxDiff", K::Rolling, 1, true, false, false, D::Keep, "MaxDiff(x, window)", "x - rolling max"},
    {OpId::MinDiff, "MinDiff", K::Rolling, 1, true, false, false, D::Keep, "MinDiff(x, window)", "x - rolling min"},
    {OpId::MinMaxDiff, "MinMaxDiff", K::Rolling, 1, true, false, false, D::Keep, "MinMaxDiff(x, window)", "rolling max - rolling min"},
    {OpId::TsDiv, "TsDiv", K::Rolling, 1, true, false, false, D::Dimensionless, "TsDiv(x, window)", "x / rolling mean"},
    {OpId::PctChange, "PctChange", K::Rolling, 1, true, false, false, D::Dimensionless, "PctChange(x, days)", "x / Ref(x, days) - 1"},
    {OpId::ArgMax, "ArgMax", K::Rolling, 1, true, false, false, D::Dimensionless, "ArgMax(x, window)", "position of the max in the window (1 = oldest)"},
    {OpId::ArgMin, "ArgMin", K::Rolling, 1, true, false, false, D::Dimensionless, "ArgMin(x, window)", "position of the min in the window (1 = oldest)"},
    {OpId::Cov, "Cov", K::PairRolling, 2, true, false, true, D::SameSquare, "Cov(x, y, window)", "rolling covariance (ddof 1)"},
    {OpId::Corr, "Corr", K::PairRolling, 2, true, false, true, D::Dimensionless, "Corr(x, y, window)", "rolling correlation; NaN on a constant window"},
    {OpId::CSRank, "CSRank", K::CrossSectional, 1, false, false, false, D::Dimensionless, "CSRank(x)", "rank across instruments each day, in (0, 1]"},
    {OpId::CSZScore, "CSZScore", K::CrossSectional, 1, false, false, false, D::Dimensionless, "CSZScore(x)", "z-score across instruments each day"},
    {OpId::CSDemean, "CSDemean", K::CrossSectional, 1, false, false, false, D::Keep, "CSDemean(x)", "x minus the day's cross-sectional mean"},
    {OpId::CSScale, "CSScale", K::CrossSectional, 1, false, false, false, D::Dimensionless, "CSScale(x)", "x / sum |x| across instruments each day"},
    {OpId::GroupDemean, "GroupDemean", K::Group, 1, false, true, false, D::Keep, "GroupDemean(x, group)", "x minus its group's mean each day"},
    {OpId::GroupRank, "GroupRank", K::Group, 1, false, true, false, D::Dimensionless, "GroupRank(x, group)", "rank within its group each day, in (0, 1]"},
    {OpId::GroupZScore, "GroupZScore", K::Group, 1, false, true, false, D::Dimensionless, "GroupZScore(x, group)", "z-score within its group each day"},
    {OpId::Gt, "Gt", K::Binary, 2, false, false, false, D::SameDimensionless, "Gt(x, y)", "1 where x > y, else 0 (infix x > y)"},
    {OpId::Ge, "Ge", K::Binary, 2, false, false, false, D::SameDimensionless, "Ge(x, y)", "1 where x >= y, else 0 (infix x >= y)"},
    {OpId::Lt, "Lt", K::Binary, 2, false, false, false, D::SameDimensionless, "Lt(x, y)", "1 where x < y, else 0 (infix x < y)"},
    {OpId::Le, "Le", K::Binary, 2, false, false, false, D::SameDimensionless, "Le(x, y)", "1 where x <= y, else 0 (infix x <= y)"},
    {OpId::Eq, "Eq", K::Binary, 2, false, false, true, D::SameDimensionless, "Eq(x, y)", "1 where x == y, else 0 (infix x == y)"},
    {OpId::Ne, "Ne", K::Binary, 2, false, false, true, D::SameDimensionless, "Ne(x, y)", "1 where x != y, else 0 (infix x != y)"},
    {OpId::And, "And", K::Binary, 2, false, false, true, D::Dimensionless, "And(x, y)", "1 where both are non-zero, else 0 (infix x & y)"},
    {OpId::Or, "Or", K::Binary, 2, false, false, true, D::Dimensionless, "Or(x, y)", "1 where either is non-zero, else 0 (infix x | y)"},
    {OpId::Not, "Not", K::Unary, 1, false, false, false, D::Dimensionless, "Not(x)", "1 where x is 0, else 0"},
    {OpId::Count, "Count", K::Rolling, 1, true, false, false, D::Dimensionless, "Count(x, window)", "number of days with a value in the window (Qlib's Count)"},
    {OpId::Slope, "Slope", K::Rolling, 1, true, false, false, D::Keep, "Slope(x, window)", "least-squares slope of x on time over the window, per day"},
    {OpId::Rsquare, "Rsquare", K::Rolling, 1, true, false, false, D::Dimensionless, "Rsquare(x, window)", "R-squared of the regression of x on time over the window"},
    {OpId::Resi, "Resi", K::Rolling, 1, true, false, false, D::Keep, "Resi(x, window)", "today's residual from the regression of x on time over the window"},
    {OpId::Quantile, "Quantile", K::Rolling, 1, true, false, false, D::Keep, "Quantile(x, window, q)", "the window's q-quantile, linear between the two nearest values (q in [0, 1])", true},
}};

struct Alias {
    std::string_view alias;
    OpId id;
};

// Names used by AlphaSAGE / AlphaForge / Qlib for the same semantics.
constexpr Alias kAliases[] = {
    {"TsMean", OpId::Mean},     {"TsSum", OpId::Sum},         {"TsStd", OpId::Std},
    {"TsVar", OpId::Var},       {"TsSkew", OpId::Skew},       {"TsKurt", OpId::Kurt},
    {"TsMax", OpId::Max},       {"TsMin", OpId::Min},         {"TsMed", OpId::Med},
    {"TsMad", OpId::Mad},       {"TsRank", OpId::Rank},       {"TsDelta", OpId::Delta},
    {"TsWMA", OpId::WMA},       {"TsEMA", OpId::EMA},         {"TsIr", OpId::IR},
    {"TsMaxDiff", OpId::MaxDiff}, {"TsMinDiff", OpId::MinDiff}, {"TsMinMaxDiff", OpId::MinMaxDiff},
    {"TsPctChange", OpId::PctChange}, {"TsCov", OpId::Cov},   {"TsCorr", OpId::Corr},
    {"S_log1p", OpId::SLog1p},  {"IdxMax", OpId::ArgMax},     {"IdxMin", OpId::ArgMin},
    {"Median", OpId::Med},      {"Ts_Div", OpId::TsDiv},    {"Power", OpId::Pow},
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

std::span<const OperatorSpec> allOperators() { return kOps; }

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

int minimumWindow(OpId op) {
    switch (op) {
    case OpId::Std:
    case OpId::Var:
    case OpId::IR:
    case OpId::Cov:
    case OpId::Corr:
    case OpId::Slope:
    case OpId::Rsquare:
    case OpId::Resi:
        return 2; // ddof 1; a line needs two days
    case OpId::Skew:
        return 3;
    case OpId::Kurt:
        return 4;
    default:
        return 1;
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

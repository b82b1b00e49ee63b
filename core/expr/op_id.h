#pragma once
// Operator identifiers shared by the formula language (core/expr) and the kernels (core/eval).

#include <cstdint>

namespace alphascope {

/// Every operator of ALGORITHMS.md §2, then Qlib's (README "Qlib's operators"). The order is stable
/// (it is used in encodings): new operators are appended.
enum class OpId : std::uint8_t {
    // unary (x)
    Abs,
    Neg,
    Sign,
    Log,
    SLog1p,
    Inv,
    Sqrt,
    // binary (x, y)
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Greater,
    Less,
    // rolling (x, W)
    Ref,
    Delta,
    Mean,
    Sum,
    Std,
    Var,
    Skew,
    Kurt,
    Max,
    Min,
    Med,
    Mad,
    Rank,
    WMA,
    EMA,
    IR,
    MaxDiff,
    MinDiff,
    MinMaxDiff,
    TsDiv,
    PctChange,
    ArgMax,
    ArgMin,
    // pair-rolling (x, y, W)
    Cov,
    Corr,
    // cross-sectional (x)
    CSRank,
    CSZScore,
    CSDemean,
    CSScale,
    // group (x, grouping)
    GroupDemean,
    GroupRank,
    GroupZScore,
    // Qlib's comparisons and logic (binary, unary Not): 1 or 0, NaN where an argument is NaN
    Gt,
    Ge,
    Lt,
    Le,
    Eq,
    Ne,
    And,
    Or,
    Not,
    // Qlib's rolling count of values and regression on time (x, W)
    Count,
    Slope,
    Rsquare,
    Resi,
    // Qlib's rolling quantile (x, W, q): the one operator with a number parameter
    Quantile,
    // Qlib's If(cond, a, b); WorldQuant's SignedPower(x, e) and product(x, W); Qlib's
    // ChangeInstrument(code, x) (one instrument's series given to every instrument)
    If,
    SignedPower,
    Product,
    ChangeInstrument,
    Count_ // number of operators; not an operator
};

inline constexpr int kOpCount = static_cast<int>(OpId::Count_);
/// The operators of the original language (Abs .. GroupZScore), before Qlib's were appended.
inline constexpr int kOriginalOpCount = static_cast<int>(OpId::Gt);

} // namespace alphascope

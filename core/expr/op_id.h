#pragma once
// Operator identifiers shared by the formula language (core/expr) and the kernels (core/eval).

#include <cstdint>

namespace alphascope {

/// Every operator of ALGORITHMS.md §2. The order is stable (it is used in encodings).
enum class OpId : std::uint8_t {
    // unary (x)
    Abs, Neg, Sign, Log, SLog1p, Inv, Sqrt,
    // binary (x, y)
    Add, Sub, Mul, Div, Pow, Greater, Less,
    // rolling (x, W)
    Ref, Delta, Mean, Sum, Std, Var, Skew, Kurt, Max, Min, Med, Mad, Rank, WMA, EMA, IR,
    MaxDiff, MinDiff, MinMaxDiff, TsDiv, PctChange, ArgMax, ArgMin,
    // pair-rolling (x, y, W)
    Cov, Corr,
    // cross-sectional (x)
    CSRank, CSZScore, CSDemean, CSScale,
    // group (x, grouping)
    GroupDemean, GroupRank, GroupZScore,
    Count_ // number of operators; not an operator
};

inline constexpr int kOpCount = static_cast<int>(OpId::Count_);

} // namespace alphascope

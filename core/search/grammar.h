#pragma once
// Grammar: the vocabulary every search builds formulas from (operators, fields, windows,
// constants, length limits, dimension rules). One grammar, four searches (ALGORITHMS.md §5-7).

#include "core/data/market_data.h"
#include "core/expr/op_id.h"
#include "core/util/result.h"

#include <string>
#include <vector>

namespace alphascope {

/// What formulas a search may build.
struct Grammar {
    std::vector<OpId> operators;       ///< operators the searches may use
    std::vector<std::string> features; ///< field names without '$' ("close", "volume", ...)
    std::vector<int> windows;          ///< windows of rolling operators (days)
    std::vector<double> constants;     ///< constants (AlphaGen's 14)
    std::vector<std::string> groups;   ///< groupings for group operators ("sector"); empty = none
    int maxTokens = 20;                ///< reverse-Polish tokens (windows included, stop excluded)
    int maxInstructions = 10;          ///< program length of the Alpha2 environment
    int registers = 2;                 ///< registers of the Alpha2 environment
    bool dimensionCheck = false;       ///< refuse formulas that break the dimension rules

    /// AlphaSAGE's 36 operators, windows 10..50, AlphaGen's 14 constants and the six price/volume
    /// fields, restricted to the fields `data` has; no group operators.
    static Grammar defaults(const MarketData& data);
    /// The operators of defaults(): AlphaSAGE's 36, in our names.
    static std::vector<OpId> defaultOperators();
    /// Every feature and grouping exists in `data`, windows are >= the operators' minimum,
    /// nothing is empty. Errors: InvalidArgument naming the offending entry.
    Result<void> validate(const MarketData& data) const;
    /// "36 operators, 6 fields, 5 windows, 14 constants, max 20 tokens, dimension check off".
    std::string describe() const;
    /// This grammar where it names operators; else defaults(data) with this one's limits and
    /// groupings (groupings bring the group operators that use them): what a search runs with.
    Grammar completed(const MarketData& data) const;
};

} // namespace alphascope

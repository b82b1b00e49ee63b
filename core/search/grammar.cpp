#include "core/search/grammar.h"

#include "core/expr/operator_registry.h"

#include <algorithm>
#include <sstream>

namespace alphascope {

std::vector<OpId> Grammar::defaultOperators() {
    // AlphaSAGE's 36 operators (PEERS.md §1.4), in our names: TsIr = IR, Rank (cross-sectional) = CSRank.
    return {OpId::Abs,        OpId::SLog1p,    OpId::Inv,     OpId::Sign, OpId::Log,  OpId::CSRank,
            OpId::Add,        OpId::Sub,       OpId::Mul,     OpId::Div,  OpId::Pow,  OpId::Greater,
            OpId::Less,       OpId::Ref,       OpId::Mean,    OpId::Sum,  OpId::Std,  OpId::IR,
            OpId::MinMaxDiff, OpId::MaxDiff,   OpId::MinDiff, OpId::Var,  OpId::Skew, OpId::Kurt,
            OpId::Max,        OpId::Min,       OpId::Med,     OpId::Mad,  OpId::Rank, OpId::Delta,
            OpId::TsDiv,      OpId::PctChange, OpId::WMA,     OpId::EMA,  OpId::Cov,  OpId::Corr};
}

Grammar Grammar::defaults(const MarketData& data) {
    Grammar g;
    g.operators = defaultOperators();
    for (const char* f : {"open", "close", "high", "low", "volume", "vwap"})
        if (data.hasField(f)) g.features.emplace_back(f);
    g.windows = {10, 20, 30, 40, 50};
    g.constants = {-30, -10, -5, -2, -1, -0.5, -0.01, 0.01, 0.5, 1, 2, 5, 10, 30};
    return g;
}

Result<void> Grammar::validate(const MarketData& data) const {
    auto bad = [](std::string m) { return makeError(ErrorCode::InvalidArgument, "grammar: " + std::move(m)); };
    if (operators.empty()) return bad("no operators");
    if (features.empty()) return bad("no fields");
    for (const auto& f : features)
        if (!data.hasField(f)) return bad("the data has no field $" + f);
    for (const auto& g : groups)
        if (!data.grouping(g)) return bad("the data has no grouping '" + g + "'");
    bool needsWindow = false, needsGroup = false;
    for (OpId op : operators) {
        const auto& spec = operatorSpec(op);
        if (spec.hasParameter)
            return bad(std::string(spec.name) + " takes a number parameter, which the searches cannot choose yet; "
                                                "it is for formulas typed by hand");
        if (!spec.searchable())
            return bad(std::string(spec.name) +
                       (spec.hasInstrument ? " takes an instrument code" : " takes three series") +
                       ", which the searches cannot build; it is for formulas typed by hand");
        needsWindow = needsWindow || spec.hasWindow;
        needsGroup = needsGroup || spec.hasGroup;
        if (spec.hasWindow && !windows.empty() &&
            std::none_of(windows.begin(), windows.end(), [&](int w) { return w >= minimumWindow(op); }))
            return bad("no window is long enough for " + std::string(spec.name));
    }
    if (needsWindow && windows.empty()) return bad("rolling operators need at least one window");
    if (needsGroup && groups.empty()) return bad("group operators need at least one grouping");
    for (int w : windows)
        if (w < 1) return bad("window " + std::to_string(w) + " is not a positive number of days");
    if (maxTokens < 1) return bad("maxTokens must be at least 1");
    if (maxInstructions < 1) return bad("maxInstructions must be at least 1");
    if (registers < 1) return bad("at least one register is needed");
    return {};
}

std::string Grammar::describe() const {
    std::ostringstream s;
    s << operators.size() << " operators, " << features.size() << " fields, " << windows.size() << " windows, "
      << constants.size() << " constants";
    if (!groups.empty()) s << ", " << groups.size() << " groupings";
    s << ", max " << maxTokens << " tokens, dimension check " << (dimensionCheck ? "on" : "off");
    return s.str();
}

Grammar Grammar::completed(const MarketData& data) const {
    if (!operators.empty()) return *this;
    Grammar d = defaults(data);
    d.maxTokens = maxTokens;
    d.maxInstructions = maxInstructions;
    d.registers = registers;
    d.dimensionCheck = dimensionCheck;
    // Groupings chosen with the default vocabulary bring the group operators that use them.
    d.groups = groups;
    if (!d.groups.empty())
        d.operators.insert(d.operators.end(), {OpId::GroupDemean, OpId::GroupRank, OpId::GroupZScore});
    return d;
}

} // namespace alphascope

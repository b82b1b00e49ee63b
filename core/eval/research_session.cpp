#include "core/eval/research_session.h"

#include "core/expr/parser.h"

#include <chrono>

namespace alphascope {

Result<std::shared_ptr<const ResearchSession>> openResearchSession(const SessionSpec& spec, SessionStage* failedStage) {
    const auto t0 = std::chrono::steady_clock::now();
    auto data = loadDataset(spec.dataset);
    if (!data.ok()) {
        if (failedStage) *failedStage = SessionStage::Data;
        return data.error();
    }
    auto session = makeResearchSession(data.value(), spec, failedStage);
    if (!session.ok()) return session.error();
    auto s = std::const_pointer_cast<ResearchSession>(session.value());
    s->loadSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return std::shared_ptr<const ResearchSession>(s);
}

Result<std::shared_ptr<const ResearchSession>> makeResearchSession(std::shared_ptr<const MarketData> data,
                                                                   const SessionSpec& spec, SessionStage* failedStage) {
    const auto t0 = std::chrono::steady_clock::now();
    auto fail = [failedStage](SessionStage stage, Error e) {
        if (failedStage) *failedStage = stage;
        return e;
    };
    auto s = std::make_shared<ResearchSession>();
    s->spec = spec;
    s->data = std::move(data);
    s->evaluator = std::make_shared<Evaluator>(s->data);

    auto target = parseFormula(spec.target, parseOptionsFor(*s->data, true));
    if (!target.ok()) return fail(SessionStage::Target, target.error());
    s->target = target.value();
    s->horizon = s->target->futureDays();
    if (s->horizon == 0)
        s->warnings.push_back("the target does not look into the future (no negative Ref): IC then measures a contemporaneous relation");
    auto values = s->evaluator->evaluate(s->target);
    if (!values.ok()) return fail(SessionStage::Target, values.error());
    s->targetValues = values.value();

    if (spec.splits.empty()) {
        s->splits = defaultSplits(s->data->calendar, s->horizon, spec.warmupDays);
    } else {
        auto splits = makeSplits(s->data->calendar, spec.splits, s->horizon, &s->warnings);
        if (!splits.ok()) return fail(SessionStage::Splits, splits.error());
        s->splits = splits.value();
    }
    for (const Split& split : s->splits)
        if (split.days() <= 0)
            return fail(SessionStage::Splits, makeError(ErrorCode::InvalidArgument, "the " + split.name + " split has no day: the data (" + std::to_string(s->data->days()) + " days) is too short for " + std::to_string(spec.warmupDays) + " days of history, three splits and " + std::to_string(s->horizon) + "-day label gaps; give --train/--valid/--test ranges"));
    s->loadSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return std::shared_ptr<const ResearchSession>(s);
}

} // namespace alphascope

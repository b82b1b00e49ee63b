#include "core/eval/research_session.h"

#include "core/expr/parser.h"

#include <algorithm>
#include <chrono>

namespace alphascope {

namespace {

/// Share of openResearchSession()'s progress for loading the data; evaluating the default target
/// and building the splits take about 2 % of the time on the US file.
constexpr double kDataShare = 0.97;

} // namespace

Result<std::shared_ptr<const ResearchSession>> openResearchSession(const SessionSpec& spec, SessionStage* failedStage,
                                                                   ProgressSpan progress) {
    const auto t0 = std::chrono::steady_clock::now();
    auto data = loadDataset(spec.dataset, progress.sub(0.0, kDataShare));
    if (!data.ok()) {
        if (failedStage) *failedStage = SessionStage::Data;
        return data.error();
    }
    auto session = makeResearchSession(data.value(), spec, failedStage, progress.sub(kDataShare, 1.0));
    if (!session.ok()) return session.error();
    auto s = std::const_pointer_cast<ResearchSession>(session.value());
    s->loadSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return std::shared_ptr<const ResearchSession>(s);
}

Result<std::shared_ptr<const ResearchSession>> makeResearchSession(std::shared_ptr<const MarketData> data,
                                                                   const SessionSpec& spec, SessionStage* failedStage,
                                                                   ProgressSpan progress) {
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
        s->warnings.push_back(
            "the target does not look into the future (no negative Ref): IC then measures a contemporaneous relation");
    progress.report(0.0, "evaluating the target");
    auto values = s->evaluator->evaluate(s->target, progress.cancelFlag());
    if (!values.ok()) return fail(SessionStage::Target, values.error());
    s->targetValues = values.value();
    if (progress.stopRequested())
        return fail(SessionStage::Target, makeError(ErrorCode::Canceled, "canceled after evaluating the target"));
    progress.report(0.9, "building the splits");

    if (spec.splits.empty()) {
        s->splits = defaultSplits(s->data->calendar, s->horizon, spec.warmupDays);
    } else {
        auto splits = makeSplits(s->data->calendar, spec.splits, s->horizon, &s->warnings);
        if (!splits.ok()) return fail(SessionStage::Splits, splits.error());
        s->splits = splits.value();
    }
    for (const Split& split : s->splits)
        if (split.days() <= 0)
            return fail(SessionStage::Splits,
                        makeError(ErrorCode::InvalidArgument,
                                  "the " + split.name + " split has no day: the data (" +
                                      std::to_string(s->data->days()) + " days) is too short for " +
                                      std::to_string(spec.warmupDays) + " days of history, three splits and " +
                                      std::to_string(s->horizon) +
                                      "-day label gaps; give --train/--valid/--test ranges"));
    s->loadSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    progress.report(1.0, "session ready");
    return std::shared_ptr<const ResearchSession>(s);
}

const Split& trainingSplit(const ResearchSession& session) {
    for (const Split& sp : session.splits)
        if (sp.name == "train") return sp;
    return session.splits.front();
}

SessionSpec withTrainingRange(const ResearchSession& session, Date start, Date end) {
    SessionSpec spec = session.spec;
    if (spec.splits.empty())
        for (const Split& sp : session.splits) spec.splits.push_back({sp.name, sp.first, sp.last});
    if (spec.splits.empty()) return spec;
    const std::string& train = trainingSplit(session).name;
    auto it =
        std::find_if(spec.splits.begin(), spec.splits.end(), [&](const SplitRange& r) { return r.name == train; });
    if (it == spec.splits.end()) it = spec.splits.begin();
    it->start = start;
    it->end = end;
    return spec;
}

const Split* validationSplit(const ResearchSession& session) {
    for (const Split& sp : session.splits)
        if (sp.name == "valid") return &sp;
    if (session.splits.empty()) return nullptr;
    const Split& train = trainingSplit(session);
    for (const Split& sp : session.splits)
        if (sp.begin >= train.end) return &sp;
    return nullptr;
}

} // namespace alphascope

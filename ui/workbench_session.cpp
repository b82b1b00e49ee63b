#include "ui/workbench_session.h"

#include "core/expr/parser.h"

#include <chrono>

namespace alphascope::ui {

Result<std::shared_ptr<const WorkbenchSession>> openWorkbenchSession(const DatasetSpec& spec, const std::string& targetFormula) {
    const auto t0 = std::chrono::steady_clock::now();
    auto s = std::make_shared<WorkbenchSession>();
    s->spec = spec;
    auto data = loadDataset(spec);
    if (!data.ok()) return data.error();
    s->data = data.value();
    s->evaluator = std::make_shared<Evaluator>(s->data);
    auto target = parseFormula(targetFormula, parseOptionsFor(*s->data, true));
    if (!target.ok()) return target.error();
    s->target = target.value();
    s->horizon = s->target->futureDays();
    auto tv = s->evaluator->evaluate(s->target);
    if (!tv.ok()) return tv.error();
    s->targetValues = tv.value();
    s->splits = defaultSplits(s->data->calendar, s->horizon);
    s->loadSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return std::shared_ptr<const WorkbenchSession>(s);
}

} // namespace alphascope::ui

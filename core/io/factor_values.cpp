// Factor values as long CSV (date, instrument, one column per factor), evaluated on a session.

#include "core/io/factor_set.h"

#include "core/io/csv_cells.h"
#include "core/io/file_output.h"

#include <functional>

namespace alphascope {

namespace {

/// Evaluations take most of the time of an export; writing the rows takes the rest.
constexpr double kEvaluationShare = 0.5;

/// Every member's values on the session's data, in the set's order.
Result<std::vector<PanelPtr>> evaluateMembers(const FactorSet& set, const ResearchSession& session,
                                              Feedback& feedback) {
    const auto n = set.members.size();
    const ParseOptions options = parseOptionsFor(*session.data, false);
    std::vector<PanelPtr> out;
    for (std::size_t k = 0; k < n; ++k) {
        if (feedback.canceled()) return makeError(ErrorCode::Canceled, "export canceled");
        const FactorRecord& f = set.members[k].factor;
        feedback.setProgress(kEvaluationShare * double(k) / double(n),
                             "evaluating factor " + std::to_string(k + 1) + " of " + std::to_string(n));
        auto expr = parseFormula(f.formula, options);
        Result<PanelPtr> values = expr.ok() ? session.evaluator->evaluate(expr.value(), &feedback.cancelFlag)
                                            : Result<PanelPtr>(expr.error());
        if (!values.ok()) {
            Error e = values.error();
            if (e.code == ErrorCode::Canceled) return e;
            e.message = "factor " + std::to_string(k + 1) + " (" + f.name + ")" +
                        (e.where.empty() ? "" : ", " + e.where) + ": " + e.message;
            e.where = "factor " + std::to_string(k + 1);
            return e;
        }
        out.push_back(std::move(values.value()));
    }
    return out;
}

/// Writes the CSV through `sink`, one day of rows at a time.
Result<void> writeValues(const FactorSet& set, const ResearchSession& session, Feedback& feedback,
                         const std::function<void(std::string_view)>& sink) {
    auto panels = evaluateMembers(set, session, feedback);
    if (!panels.ok()) return panels.error();
    const MarketData& data = *session.data;
    std::string chunk = "date,instrument";
    for (const FactorSetMember& m : set.members) {
        chunk += ',';
        chunk += csvcell::quoted(m.factor.name);
    }
    chunk += "\n";
    std::vector<std::string> instruments;
    for (const auto& code : data.instruments) instruments.push_back(csvcell::quoted(code));
    const int days = data.days();
    for (int t = 0; t < days; ++t) {
        if (feedback.canceled()) return makeError(ErrorCode::Canceled, "export canceled");
        feedback.setProgress(kEvaluationShare + (1.0 - kEvaluationShare) * double(t) / double(days),
                             "writing " + data.calendar[t].toString());
        const std::string date = data.calendar[t].toString();
        for (int i = 0; i < data.instrumentCount(); ++i) {
            if (!data.isMember(t, i)) continue;
            chunk += date;
            chunk += ',';
            chunk += instruments[static_cast<std::size_t>(i)];
            for (const PanelPtr& p : panels.value()) {
                chunk += ',';
                csvcell::appendNumber(chunk, p->at(t, i)); // float: its shortest text reads back exactly
            }
            chunk += '\n';
        }
        sink(chunk);
        chunk.clear();
    }
    sink(chunk);
    feedback.setProgress(1.0, "factor values written");
    return {};
}

} // namespace

Result<std::string> factorValuesCsv(const FactorSet& set, const ResearchSession& session, Feedback& feedback) {
    std::string out;
    auto r = writeValues(set, session, feedback, [&](std::string_view s) { out += s; });
    if (!r.ok()) return r.error();
    return out;
}

Result<void> writeFactorValuesCsv(const FactorSet& set, const ResearchSession& session, const std::string& path,
                                  Feedback& feedback) {
    io::AtomicFile file;
    if (auto opened = file.open(path); !opened.ok()) return opened;
    auto r = writeValues(set, session, feedback, [&](std::string_view s) { file.write(s); });
    if (!r.ok()) {
        Error e = r.error();
        if (e.where.empty()) e.where = path;
        return e; // the part file goes with `file`
    }
    return file.commit();
}

} // namespace alphascope

#include "core/io/factor_import.h"

#include "core/io/csv_cells.h"
#include "core/metrics/factor_report.h"
#include "core/store/factor_record_of.h"

#include <cmath>

namespace alphascope {

namespace {

/// "file:line:column" of a column inside a member's formula (1-based), or of its first character.
std::string locate(const std::string& where, const FactorSetMember& m, int formulaColumn) {
    if (m.line <= 0) return where;
    const int column = m.column + std::max(formulaColumn, 1) - 1;
    return (where.empty() ? std::string("line ") + std::to_string(m.line) + ", column " + std::to_string(column)
                          : where + ":" + std::to_string(m.line) + ":" + std::to_string(column));
}

std::string noteOf(const std::string& where, const FactorSetMember& m) {
    std::string note = "imported from " + (where.empty() ? std::string("a factor set") : where);
    if (std::isfinite(m.weight)) note += " (weight " + csvcell::number(m.weight) + ")";
    return note;
}

} // namespace

Result<FactorSetImport> prepareFactorImport(std::string_view text, const std::string& where,
                                            const ResearchSession& session, Feedback& feedback,
                                            std::int64_t datasetId) {
    auto read = readFactorSet(text, where);
    if (!read.ok()) return read.error();
    FactorSetImport out;
    out.set = std::move(read.value());

    const ParseOptions options = parseOptionsFor(*session.data, false);
    AnalysisOptions analysis;
    analysis.decayHorizons = 0; // the project stores neither the decay nor the histogram
    analysis.histogramBins = 0;
    const std::size_t n = out.set.members.size();
    std::vector<FactorRecord> records;
    for (std::size_t k = 0; k < n; ++k) {
        if (feedback.canceled()) return makeError(ErrorCode::Canceled, "import canceled", where);
        feedback.setProgress(double(k) / double(n),
                             "measuring factor " + std::to_string(k + 1) + " of " + std::to_string(n));
        const FactorSetMember& m = out.set.members[k];
        auto fail = [&](const Error& e) {
            Error located = e;
            located.where = locate(where, m, e.column);
            located.message = "factor " + std::to_string(k + 1) + " \"" + m.factor.formula + "\": " + e.message;
            out.errors.push_back(std::move(located));
        };
        auto expr = parseFormula(m.factor.formula, options);
        if (!expr.ok()) {
            fail(expr.error());
            continue;
        }
        auto report = analyzeFactor(*session.evaluator, expr.value(), session.targetValues, session.splits, analysis,
                                    &feedback.cancelFlag);
        if (!report.ok()) {
            if (report.error().code == ErrorCode::Canceled)
                return makeError(ErrorCode::Canceled, "import canceled", where);
            Error e = report.error();
            e.column = 0; // an evaluation error has no column in the formula
            fail(e);
            continue;
        }
        // A file without names gave the formula as the name: let the record take the printed formula.
        std::string name = m.factor.name == m.factor.formula ? std::string() : m.factor.name;
        FactorRecord r = factorRecordOf(std::move(name), report.value(), datasetId);
        r.notes = m.factor.notes.empty() ? noteOf(where, m) : m.factor.notes;
        records.push_back(std::move(r));
    }
    if (out.errors.empty()) out.records = std::move(records);
    feedback.setProgress(1.0, out.errors.empty() ? "all factors measured" : "some factors cannot be imported");
    return out;
}

Result<FactorSetImport> importFactorSet(std::string_view text, const std::string& where, const ResearchSession& session,
                                        ProjectStore& store, Feedback& feedback, std::int64_t datasetId) {
    auto prepared = prepareFactorImport(text, where, session, feedback, datasetId);
    if (!prepared.ok() || !prepared->errors.empty()) return prepared;
    if (feedback.canceled()) return makeError(ErrorCode::Canceled, "import canceled", where);
    auto ids = store.addFactors(prepared->records);
    if (!ids.ok()) return ids.error();
    prepared->ids = std::move(ids.value());
    return prepared;
}

} // namespace alphascope

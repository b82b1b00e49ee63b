// Writers of a factor set: native JSON, AlphaGen's pool, metrics CSV, Qlib expression list, and the
// dispatcher that writes any of them to a file.

#include "core/io/factor_set.h"

#include "core/expr/parser.h"
#include "core/expr/worldquant.h"
#include "core/io/csv_cells.h"
#include "core/io/file_output.h"
#include "core/io/qlib_expression.h"
#include "core/io/session_spec_json.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <limits>

namespace alphascope {

namespace {

// Ordered so that "format" and "version" come first, as a reader opening the file expects.
using ojson = nlohmann::ordered_json;

constexpr std::string_view kFormatNames[] = {"native", "alphagen", "csv", "qlib", "values", "worldquant"};

ojson num(double v) {
    return std::isfinite(v) ? ojson(v) : ojson(nullptr);
}

/// The days with a defined IC; NaN where they are not known: a finite IC with 0 days comes from a
/// search's pool file, whose metrics do not count them (its "days" are the split's trading days).
double icDaysOf(const FactorSplitRecord& m) {
    return m.icDays > 0 || !std::isfinite(m.ic) ? double(m.icDays) : std::numeric_limits<double>::quiet_NaN();
}

ojson metricsJson(const FactorSplitRecord& m) {
    const double icDays = icDaysOf(m);
    return {{"split", m.split},
            {"ic_days", std::isfinite(icDays) ? ojson(m.icDays) : ojson(nullptr)},
            {"ic", num(m.ic)},
            {"rank_ic", num(m.rankIc)},
            {"icir", num(m.icir)},
            {"rank_icir", num(m.rankIcir)},
            {"coverage", num(m.coverage)},
            {"turnover", num(m.turnover)},
            {"autocorrelation", num(m.autocorrelation)}};
}

/// The split names of a set: its dataset's splits first, then any other a member was measured on.
std::vector<std::string> splitNames(const FactorSet& set) {
    std::vector<std::string> names;
    auto add = [&](const std::string& n) {
        if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
    };
    for (const auto& s : set.dataset.splits) add(s.name);
    for (const auto& m : set.members)
        for (const auto& s : m.factor.metrics) add(s.split);
    return names;
}

/// "factor 3 (name)" for errors about one member.
std::string memberWhere(const FactorSet& set, std::size_t k) {
    return "factor " + std::to_string(k + 1) + " (" + set.members[k].factor.name + ")";
}

} // namespace

std::string_view factorSetFormatName(FactorSetFormat format) {
    return kFormatNames[static_cast<std::size_t>(format)];
}

std::optional<FactorSetFormat> factorSetFormatNamed(std::string_view name) {
    for (std::size_t k = 0; k < std::size(kFormatNames); ++k)
        if (kFormatNames[k] == name) return static_cast<FactorSetFormat>(k);
    return std::nullopt;
}

FactorSet factorSetOf(const std::vector<FactorRecord>& factors) {
    FactorSet set;
    for (const FactorRecord& f : factors) set.members.push_back(FactorSetMember{f});
    return set;
}

FactorSetDataset datasetOf(const ResearchSession& session) {
    const MarketData& d = *session.data;
    FactorSetDataset out;
    out.source = d.source;
    out.universe = d.universe;
    out.target = session.target ? session.target->toString() : session.spec.target;
    out.instruments = d.instrumentCount();
    out.days = d.days();
    if (d.days() > 0) {
        out.first = d.calendar[0].toString();
        out.last = d.calendar[d.days() - 1].toString();
    }
    for (const Split& s : session.splits)
        out.splits.push_back({s.name, s.days() ? s.first.toString() : "", s.days() ? s.last.toString() : ""});
    return out;
}

FactorSetDataset datasetOf(const DatasetRecord& record) {
    FactorSetDataset out;
    out.source = record.path;
    out.universe = record.universe;
    out.target = record.target;
    out.instruments = record.instruments;
    out.days = record.days;
    out.first = record.firstDate;
    out.last = record.lastDate;
    if (const auto spec = sessionSpecFromJson(record.splits))
        for (const SplitRange& r : spec->splits) out.splits.push_back({r.name, r.start.toString(), r.end.toString()});
    return out;
}

std::string utcNow() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

Result<std::string> factorSetJson(const FactorSet& set) {
    ojson j;
    j["format"] = "alphascope-factor-set";
    j["version"] = 1;
    j["generator"] = "AlphaScope " ALPHASCOPE_VERSION;
    j["created_at"] = set.createdAt.empty() ? utcNow() : set.createdAt;
    const FactorSetDataset& d = set.dataset;
    ojson splits = ojson::array();
    for (const auto& s : d.splits) splits.push_back({{"name", s.name}, {"first", s.first}, {"last", s.last}});
    j["dataset"] = {
        {"source", d.source}, {"universe", d.universe}, {"target", d.target}, {"instruments", d.instruments},
        {"days", d.days},     {"first", d.first},       {"last", d.last},     {"splits", splits}};
    if (!set.searchConfigJson.empty() || set.originRunId != 0) {
        ojson search = ojson::object();
        if (set.originRunId != 0) search["run_id"] = set.originRunId;
        if (!set.searchConfigJson.empty()) {
            ojson config = ojson::parse(set.searchConfigJson, nullptr, false);
            if (config.is_discarded())
                return makeError(ErrorCode::InvalidArgument, "the search config to embed is not valid JSON");
            search["config"] = std::move(config);
        }
        j["search"] = std::move(search);
    }
    ojson factors = ojson::array();
    for (const FactorSetMember& m : set.members) {
        ojson f;
        f["name"] = m.factor.name;
        f["formula"] = m.factor.formula;
        f["weight"] = num(m.weight);
        if (!m.factor.notes.empty()) f["notes"] = m.factor.notes;
        if (!m.factor.createdAt.empty()) f["created_at"] = m.factor.createdAt;
        ojson metrics = ojson::array();
        for (const auto& s : m.factor.metrics) metrics.push_back(metricsJson(s));
        f["metrics"] = std::move(metrics);
        factors.push_back(std::move(f));
    }
    j["factors"] = std::move(factors);
    return j.dump(2) + "\n";
}

std::string alphaGenPoolJson(const FactorSet& set) {
    ojson exprs = ojson::array(), weights = ojson::array();
    for (const FactorSetMember& m : set.members) {
        exprs.push_back(m.factor.formula);
        weights.push_back(std::isfinite(m.weight) ? m.weight : 1.0);
    }
    ojson j;
    j["exprs"] = std::move(exprs);
    j["weights"] = std::move(weights);
    return j.dump(2) + "\n";
}

std::string factorSetCsv(const FactorSet& set) {
    static constexpr const char* kColumns[] = {"ic_days",   "ic",       "rank_ic",  "icir",
                                               "rank_icir", "coverage", "turnover", "autocorrelation"};
    const auto splits = splitNames(set);
    std::string out = "name,formula,weight";
    for (const auto& s : splits)
        for (const char* c : kColumns) {
            out += ',';
            out += csvcell::quoted(s + "_" + c);
        }
    out += "\n";
    for (const FactorSetMember& m : set.members) {
        out += csvcell::quoted(m.factor.name);
        out += ',';
        out += csvcell::quoted(m.factor.formula);
        out += ',';
        csvcell::appendNumber(out, m.weight);
        for (const auto& s : splits) {
            const auto it = std::find_if(m.factor.metrics.begin(), m.factor.metrics.end(),
                                         [&](const FactorSplitRecord& r) { return r.split == s; });
            if (it == m.factor.metrics.end()) {
                out += std::string(std::size(kColumns), ',');
                continue;
            }
            for (double v : {icDaysOf(*it), it->ic, it->rankIc, it->icir, it->rankIcir, it->coverage, it->turnover,
                             it->autocorrelation}) {
                out += ',';
                csvcell::appendNumber(out, v);
            }
        }
        out += "\n";
    }
    return out;
}

namespace {

/// Member k's formula, parsed; an error is located "factor N" and names the member.
Result<ExprPtr> memberFormula(const FactorSet& set, std::size_t k) {
    auto parsed = parseFormula(set.members[k].factor.formula);
    if (parsed.ok()) return parsed;
    Error e = parsed.error();
    e.message = memberWhere(set, k) + ", " + e.where + ": " + e.message;
    e.where = "factor " + std::to_string(k + 1);
    return e;
}

} // namespace

Result<QlibExport> qlibExpressionList(const FactorSet& set) {
    QlibExport out;
    out.text = "# AlphaScope factor set in Qlib's expression syntax (qlib.data.ops), one expression per line.\n"
               "# Qlib fills partial windows (min_periods=1) and keeps +-inf where AlphaScope gives NaN;\n"
               "# the values agree on full windows of finite data.\n\n";
    for (std::size_t k = 0; k < set.members.size(); ++k) {
        const FactorRecord& f = set.members[k].factor;
        auto parsed = memberFormula(set, k);
        if (!parsed.ok()) return parsed.error();
        const QlibExpression q = toQlibExpression(*parsed.value());
        if (q.ok()) {
            out.text += q.text + "\n";
            ++out.expressions;
        } else {
            out.text += "# not expressible in Qlib: " + f.formula + " (uses " + q.blocker + ")\n";
            out.flagged.push_back({k, f.name, f.formula, q.blocker, q.reason});
        }
    }
    return out;
}

Result<WorldQuantExport> worldQuantExpressionList(const FactorSet& set) {
    WorldQuantExport out;
    out.text = "# AlphaScope factor set in WorldQuant's notation (the 101 Formulaic Alphas; BRAIN's names), one\n"
               "# expression per line after its name. adv{d} is the mean of close * volume over d days, returns\n"
               "# close / delay(close, 1) - 1; operators WorldQuant lacks keep AlphaScope's names (marked).\n\n";
    for (std::size_t k = 0; k < set.members.size(); ++k) {
        const FactorRecord& f = set.members[k].factor;
        auto parsed = memberFormula(set, k);
        if (!parsed.ok()) return parsed.error();
        out.text += "# " + (f.name.empty() ? "factor " + std::to_string(k + 1) : f.name) + "\n";
        const std::vector<std::string> own = operatorsWithoutWorldQuantName(*parsed.value());
        if (!own.empty()) {
            std::string names;
            for (const auto& n : own) names += (names.empty() ? "" : ", ") + n;
            out.text += "# uses AlphaScope operators WorldQuant has no name for: " + names + "\n";
            out.notes.push_back((f.name.empty() ? "factor " + std::to_string(k + 1) : f.name) + " uses " + names +
                                ", which WorldQuant has no name for (written under AlphaScope's names)");
        }
        out.text += toWorldQuant(*parsed.value()) + "\n";
        ++out.expressions;
    }
    return out;
}

Result<FactorSetExportReport> exportFactorSet(const FactorSet& set, FactorSetFormat format, const std::string& path,
                                              const ResearchSession* session, Feedback& feedback) {
    FactorSetExportReport report;
    report.written = static_cast<int>(set.members.size());
    std::string text;
    switch (format) {
    case FactorSetFormat::Native: {
        auto json = factorSetJson(set);
        if (!json.ok()) return json.error();
        text = std::move(json.value());
        break;
    }
    case FactorSetFormat::AlphaGen: {
        const auto unweighted = std::count_if(set.members.begin(), set.members.end(),
                                              [](const FactorSetMember& m) { return !std::isfinite(m.weight); });
        if (unweighted > 0)
            report.notes.push_back(std::to_string(unweighted) + " of " + std::to_string(set.members.size()) +
                                   " factors had no weight and were written with weight 1 (an equal-weight sum)");
        text = alphaGenPoolJson(set);
        break;
    }
    case FactorSetFormat::Csv: text = factorSetCsv(set); break;
    case FactorSetFormat::Qlib: {
        auto q = qlibExpressionList(set);
        if (!q.ok()) return q.error();
        report.written = q->expressions;
        report.flagged = std::move(q->flagged);
        text = std::move(q->text);
        break;
    }
    case FactorSetFormat::WorldQuant: {
        auto w = worldQuantExpressionList(set);
        if (!w.ok()) return w.error();
        report.written = w->expressions;
        report.notes = std::move(w->notes);
        text = std::move(w->text);
        break;
    }
    case FactorSetFormat::Values: {
        if (!session) return makeError(ErrorCode::InvalidArgument, "factor values need a dataset to evaluate on", path);
        auto written = writeFactorValuesCsv(set, *session, path, feedback);
        if (!written.ok()) return written.error();
        return report;
    }
    }
    if (feedback.canceled()) return makeError(ErrorCode::Canceled, "export canceled", path);
    auto written = io::writeFileAtomically(path, text);
    if (!written.ok()) return written.error();
    feedback.setProgress(1.0, "wrote " + path);
    return report;
}

} // namespace alphascope

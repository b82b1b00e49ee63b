// alphascope-cli eval: metrics of one or more formulas per split.

#include "app/cli_commands.h"
#include "app/cli_common.h"

#include "core/expr/parser.h"
#include "core/expr/worldquant.h"
#include "core/metrics/factor_report.h"

#include <cstdio>
#include <iostream>

namespace alphascope::cli {

namespace {

/// The formula in WorldQuant's notation (the reports hold Qlib's text).
std::string worldQuantOf(const std::string& formula) {
    auto parsed = parseFormula(formula);
    return parsed.ok() ? toWorldQuant(*parsed.value()) : std::string();
}

struct EvalOptions {
    DataOptions data;
    std::vector<std::string> formulas;
    bool daily = false;
    int decay = 20;
};

nlohmann::json splitJson(const SplitMetrics& m) {
    nlohmann::json decay = nlohmann::json::array();
    for (double v : m.icDecay) decay.push_back(number(v));
    return {{"name", m.name},
            {"first", m.days ? m.first.toString() : ""},
            {"last", m.days ? m.last.toString() : ""},
            {"days", m.days},
            {"ic_days", m.icDays},
            {"ic", number(m.ic)},
            {"ic_std", number(m.icStd)},
            {"icir", number(m.icir)},
            {"rank_ic", number(m.rankIc)},
            {"rank_ic_std", number(m.rankIcStd)},
            {"rank_icir", number(m.rankIcir)},
            {"coverage", number(m.coverage)},
            {"turnover", number(m.turnover)},
            {"autocorrelation", number(m.autocorrelation)},
            {"ic_decay", decay}};
}

int run(const EvalOptions& o) {
    int code = kExitOk;
    auto session = openSession(o.data, code);
    if (!session) return code;
    const MarketData& data = *session->data;

    std::vector<ExprPtr> parsed;
    for (const auto& f : o.formulas) {
        auto e = parseFormula(f, parseOptionsFor(data, false));
        if (!e.ok()) return reportFormulaError(f, e.error());
        parsed.push_back(e.value());
    }
    AnalysisOptions ao;
    ao.decayHorizons = o.decay;
    std::vector<FactorReport> reports;
    for (std::size_t k = 0; k < parsed.size(); ++k) {
        auto r = analyzeFactor(*session->evaluator, parsed[k], session->targetValues, session->splits, ao);
        if (!r.ok()) return reportFormulaError(o.formulas[k], r.error());
        reports.push_back(std::move(r.value()));
    }

    // Mutual correlation between every pair of formulas, per split.
    nlohmann::json mutual = nlohmann::json::array();
    for (std::size_t a = 0; a < reports.size(); ++a)
        for (std::size_t b = a + 1; b < reports.size(); ++b) {
            nlohmann::json perSplit = nlohmann::json::object();
            for (const auto& s : session->splits)
                perSplit[s.name] =
                    number(mutualCorrelation(*reports[a].values, *reports[b].values, DayRange{s.begin, s.end}));
            mutual.push_back({{"a", a}, {"b", b}, {"correlation", perSplit}});
        }

    if (o.data.json) {
        nlohmann::json j;
        j["data"] = describeData(*session);
        j["target"] = session->target->toString();
        j["horizon"] = session->horizon;
        j["splits"] = describeSplits(session->splits);
        j["warnings"] = session->warnings;
        nlohmann::json factors = nlohmann::json::array();
        for (const auto& r : reports) {
            nlohmann::json f;
            f["formula"] = r.formula;
            f["worldquant"] = worldQuantOf(r.formula);
            f["dimension"] = r.dimension.dimension.toString();
            f["dimension_violations"] = r.dimension.violations;
            f["warnings"] = r.warnings;
            nlohmann::json splits = nlohmann::json::array();
            for (const auto& m : r.splits) splits.push_back(splitJson(m));
            f["splits"] = splits;
            if (o.daily) {
                nlohmann::json daily = nlohmann::json::array();
                for (int t = 0; t < data.days(); ++t) {
                    const double ic = r.dailyIc[static_cast<std::size_t>(t)],
                                 ric = r.dailyRankIc[static_cast<std::size_t>(t)];
                    if (std::isfinite(ic) || std::isfinite(ric))
                        daily.push_back(
                            {{"date", data.calendar[t].toString()}, {"ic", number(ic)}, {"rank_ic", number(ric)}});
                }
                f["daily"] = daily;
            }
            factors.push_back(f);
        }
        j["factors"] = factors;
        j["mutual_correlation"] = mutual;
        std::cout << j.dump(2) << "\n";
        return kExitOk;
    }

    std::printf("Data    %s  (%d instruments x %d days, %s .. %s, universe %s)\n", data.source.c_str(),
                data.instrumentCount(), data.days(), data.days() ? data.calendar[0].toString().c_str() : "-",
                data.days() ? data.calendar[data.days() - 1].toString().c_str() : "-", data.universe.c_str());
    std::printf("Target  %s  (horizon %d days)\n", session->target->toString().c_str(), session->horizon);
    for (const auto& w : session->warnings) std::printf("warning: %s\n", w.c_str());
    for (const auto& r : reports) {
        std::printf("\nFactor  %s\n", r.formula.c_str());
        std::printf("        WorldQuant: %s\n", worldQuantOf(r.formula).c_str());
        std::printf("        dimension %s%s\n", r.dimension.dimension.toString().c_str(),
                    r.dimension.consistent() ? "" : "  (breaks the dimension rules)");
        for (const auto& w : r.warnings) std::printf("warning: %s\n", w.c_str());
        std::printf("%-6s %-10s %-10s %5s %6s %9s %9s %8s %8s %8s %8s %8s\n", "split", "first", "last", "days",
                    "icdays", "IC", "RankIC", "ICIR", "RankICIR", "coverage", "turnover", "autocorr");
        for (const auto& m : r.splits)
            std::printf("%-6s %-10s %-10s %5d %6d %9s %9s %8s %8s %8s %8s %8s\n", m.name.c_str(),
                        m.days ? m.first.toString().c_str() : "-", m.days ? m.last.toString().c_str() : "-", m.days,
                        m.icDays, fmt(m.ic, 5).c_str(), fmt(m.rankIc, 5).c_str(), fmt(m.icir, 3).c_str(),
                        fmt(m.rankIcir, 3).c_str(), fmt(m.coverage, 3).c_str(), fmt(m.turnover, 3).c_str(),
                        fmt(m.autocorrelation, 3).c_str());
        if (o.decay > 0 && !r.splits.empty() && !r.splits.front().icDecay.empty()) {
            std::printf("IC decay (%s), horizon 1..%d:", r.splits.front().name.c_str(), o.decay);
            for (double v : r.splits.front().icDecay) std::printf(" %s", fmt(v, 4).c_str());
            std::printf("\n");
        }
    }
    for (const auto& m : mutual) {
        std::printf("\nMutual correlation of factors %d and %d:", m["a"].get<int>() + 1, m["b"].get<int>() + 1);
        for (const auto& [k, v] : m["correlation"].items())
            std::printf("  %s %s", k.c_str(), v.is_null() ? "-" : fmt(v.get<double>(), 4).c_str());
        std::printf("\n");
    }
    return kExitOk;
}

} // namespace

Runner addEvalCommand(CLI::App& root) {
    auto o = std::make_shared<EvalOptions>();
    CLI::App* cmd = root.add_subcommand(
        "eval", "IC, Rank IC, ICIR, coverage, turnover, autocorrelation and IC decay of formulas per split");
    addDataOptions(*cmd, o->data);
    cmd->add_option("--formula,-f", o->formulas,
                    "Factor formula, e.g. 'Div(Sub($close,$open),Sub($high,$low))'; repeat for several (their mutual "
                    "correlation is reported)")
        ->required();
    cmd->add_flag("--daily", o->daily, "Include the daily IC / Rank IC series in the JSON output");
    cmd->add_option("--decay", o->decay, "IC decay horizons 1..N (0 = none)")
        ->capture_default_str()
        ->check(CLI::Range(0, 60));
    return [cmd, o]() { return cmd->parsed() ? run(*o) : -1; };
}

} // namespace alphascope::cli

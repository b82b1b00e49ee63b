// alphascope-cli backtest: top-k/drop-n, quantile long-short or long-only backtest of a formula.

#include "app/cli_commands.h"
#include "app/cli_common.h"

#include "core/backtest/backtest.h"
#include "core/expr/parser.h"

#include <cstdio>
#include <fstream>
#include <iostream>

namespace alphascope::cli {

namespace {

struct BacktestOptions {
    DataOptions data;
    std::string formula;
    std::string strategy = "topk";
    std::string period = "test";
    BacktestConfig cfg;
    std::string dailyCsv;
};

nlohmann::json perfJson(const Performance& p) {
    return {{"cumulative_return", number(p.cumulativeReturn)},
            {"cumulative_return_sum", number(p.cumulativeReturnSum)},
            {"annual_return", number(p.annualReturn)},
            {"cagr", number(p.cagr)},
            {"annual_volatility", number(p.annualVolatility)},
            {"sharpe", number(p.sharpe)},
            {"sortino", number(p.sortino)},
            {"calmar", number(p.calmar)},
            {"max_drawdown", number(p.maxDrawdown)},
            {"turnover", number(p.turnover)},
            {"win_rate", number(p.winRate)},
            {"days", p.days}};
}

int run(BacktestOptions& o) {
    if (o.strategy == "topk")
        o.cfg.strategy = BacktestStrategy::TopkDropout;
    else if (o.strategy == "longshort")
        o.cfg.strategy = BacktestStrategy::LongShortQuantile;
    else if (o.strategy == "longonly")
        o.cfg.strategy = BacktestStrategy::LongOnlyTopQuantile;

    int code = kExitOk;
    auto session = openSession(o.data, code);
    if (!session) return code;
    const MarketData& data = *session->data;
    const Panel* close = data.field("close");
    if (!close)
        return reportError(
            makeError(ErrorCode::NotFound, "the data has no close prices ($close); a backtest needs them"), kExitData);

    auto e = parseFormula(o.formula, parseOptionsFor(data, false));
    if (!e.ok()) return reportFormulaError(o.formula, e.error());
    auto values = session->evaluator->evaluate(e.value());
    if (!values.ok()) return reportFormulaError(o.formula, values.error());

    DayRange range{-1, -1};
    std::string periodLabel = o.period;
    if (o.period == "all") {
        for (const auto& s : session->splits) {
            if (s.days() == 0) continue;
            range.begin = range.begin < 0 ? s.begin : std::min(range.begin, s.begin);
            range.end = std::max(range.end, s.end);
        }
    } else {
        for (const auto& s : session->splits)
            if (s.name == o.period) range = {s.begin, s.end};
    }
    if (range.begin < 0 || range.end <= range.begin)
        return reportError(makeError(ErrorCode::InvalidArgument, "no days in the '" + o.period + "' period; give --" +
                                                                     o.period + " START:END or another --period"),
                           kExitConfig);

    auto result = runBacktest(*values.value(), *close, range, o.cfg);
    if (!result.ok()) return reportError(result.error(), kExitConfig);
    const BacktestResult& r = result.value();

    if (!o.dailyCsv.empty()) {
        std::ofstream out(o.dailyCsv);
        if (!out) return reportError(makeError(ErrorCode::Io, "cannot write " + o.dailyCsv), kExitConfig);
        out << "date,return,benchmark,excess,turnover,cost,value,holdings\n";
        out.precision(10);
        for (const auto& d : r.days)
            out << data.calendar[d.day].toString() << ',' << d.ret << ',' << d.benchmark << ',' << d.excess << ','
                << d.turnover << ',' << d.cost << ',' << d.value << ',' << d.holdings << '\n';
        if (!out) return reportError(makeError(ErrorCode::Io, "failed while writing " + o.dailyCsv), kExitConfig);
    }

    if (o.data.json) {
        nlohmann::json j;
        j["data"] = describeData(*session);
        j["formula"] = e.value()->toString();
        j["period"] = {{"name", periodLabel},
                       {"first", data.calendar[range.begin].toString()},
                       {"last", data.calendar[range.end - 1].toString()}};
        j["config"] = {
            {"strategy", o.strategy},       {"topk", o.cfg.topk},          {"ndrop", o.cfg.ndrop},
            {"quantiles", o.cfg.quantiles}, {"open_cost", o.cfg.openCost}, {"close_cost", o.cfg.closeCost},
            {"min_cost", o.cfg.minCost},    {"account", o.cfg.account},    {"days_per_year", o.cfg.daysPerYear}};
        j["portfolio"] = perfJson(r.portfolio);
        j["benchmark"] = perfJson(r.benchmark);
        j["excess"] = perfJson(r.excess);
        std::cout << j.dump(2) << "\n";
        return kExitOk;
    }
    std::printf("Factor   %s\n", e.value()->toString().c_str());
    std::printf("Period   %s: %s .. %s (signals), %zu trading days simulated\n", periodLabel.c_str(),
                data.calendar[range.begin].toString().c_str(), data.calendar[range.end - 1].toString().c_str(),
                r.days.size());
    std::printf("Strategy %s", o.strategy.c_str());
    if (o.cfg.strategy == BacktestStrategy::TopkDropout)
        std::printf(" (topk %d, ndrop %d)", o.cfg.topk, o.cfg.ndrop);
    else
        std::printf(" (%d quantiles)", o.cfg.quantiles);
    std::printf(", costs open %.4f close %.4f min %.2f\n\n", o.cfg.openCost, o.cfg.closeCost, o.cfg.minCost);
    std::printf("%-22s %12s %12s %12s\n", "", "portfolio", "benchmark", "excess");
    auto row = [&](const char* name, double a, double b, double c, int dec) {
        std::printf("%-22s %12s %12s %12s\n", name, fmt(a, dec).c_str(), fmt(b, dec).c_str(), fmt(c, dec).c_str());
    };
    row("cumulative (compound)", r.portfolio.cumulativeReturn, r.benchmark.cumulativeReturn, r.excess.cumulativeReturn,
        4);
    row("cumulative (sum)", r.portfolio.cumulativeReturnSum, r.benchmark.cumulativeReturnSum,
        r.excess.cumulativeReturnSum, 4);
    row("annual return", r.portfolio.annualReturn, r.benchmark.annualReturn, r.excess.annualReturn, 4);
    row("CAGR", r.portfolio.cagr, r.benchmark.cagr, r.excess.cagr, 4);
    row("annual volatility", r.portfolio.annualVolatility, r.benchmark.annualVolatility, r.excess.annualVolatility, 4);
    row("Sharpe", r.portfolio.sharpe, r.benchmark.sharpe, r.excess.sharpe, 3);
    row("Sortino", r.portfolio.sortino, r.benchmark.sortino, r.excess.sortino, 3);
    row("Calmar", r.portfolio.calmar, r.benchmark.calmar, r.excess.calmar, 3);
    row("max drawdown", r.portfolio.maxDrawdown, r.benchmark.maxDrawdown, r.excess.maxDrawdown, 4);
    row("win rate", r.portfolio.winRate, r.benchmark.winRate, r.excess.winRate, 3);
    std::printf("%-22s %12s\n", "turnover (daily mean)", fmt(r.portfolio.turnover, 4).c_str());
    if (!o.dailyCsv.empty()) std::printf("\nDaily series written to %s\n", o.dailyCsv.c_str());
    return kExitOk;
}

} // namespace

Runner addBacktestCommand(CLI::App& root) {
    auto o = std::make_shared<BacktestOptions>();
    CLI::App* cmd = root.add_subcommand(
        "backtest", "Backtest a formula: top-k/drop-n (Qlib TopkDropout), quantile long-short or long-only");
    addDataOptions(*cmd, o->data);
    cmd->add_option("--formula,-f", o->formula, "Factor formula (higher = buy)")->required();
    cmd->add_option("--strategy", o->strategy,
                    "topk (TopkDropout), longshort (top minus bottom quantile) or longonly (top quantile)")
        ->capture_default_str()
        ->check(CLI::IsMember({"topk", "longshort", "longonly"}));
    cmd->add_option("--period", o->period, "Which split's signals to trade: train, valid, test or all")
        ->capture_default_str()
        ->check(CLI::IsMember({"train", "valid", "test", "all"}));
    cmd->add_option("--topk", o->cfg.topk, "Names held by TopkDropout")
        ->capture_default_str()
        ->check(CLI::Range(1, 100000));
    cmd->add_option("--ndrop", o->cfg.ndrop, "Names TopkDropout may replace each day")
        ->capture_default_str()
        ->check(CLI::Range(0, 100000));
    cmd->add_option("--quantiles", o->cfg.quantiles, "Quantiles of the quantile strategies")
        ->capture_default_str()
        ->check(CLI::Range(2, 100));
    cmd->add_option("--open-cost", o->cfg.openCost, "Cost rate of a buy")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 0.5));
    cmd->add_option("--close-cost", o->cfg.closeCost, "Cost rate of a sell")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 0.5));
    cmd->add_option("--min-cost", o->cfg.minCost, "Minimum cost per order, in currency")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 1e9));
    cmd->add_option("--account", o->cfg.account, "Starting capital (matters with --min-cost)")
        ->capture_default_str()
        ->check(CLI::Range(1.0, 1e15));
    cmd->add_option("--days-per-year", o->cfg.daysPerYear, "Annualisation factor")
        ->capture_default_str()
        ->check(CLI::Range(1, 366));
    cmd->add_option(
        "--daily-csv", o->dailyCsv,
        "Write the daily series (date, return, benchmark, excess, turnover, cost, value, holdings) to this CSV");
    return [cmd, o]() { return cmd->parsed() ? run(*o) : -1; };
}

} // namespace alphascope::cli

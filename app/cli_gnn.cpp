// alphascope-cli gnn: the GCN signal baseline of seed 000 (core/nn/gcn_signal.h) measured like a
// factor (IC, Rank IC per split) with a top-quintile backtest on the test split, beside formulas
// given with --compare.

#include "app/cli_commands.h"
#include "app/cli_common.h"

#include "core/backtest/backtest.h"
#include "core/expr/parser.h"
#include "core/metrics/factor_report.h"
#ifdef ALPHASCOPE_HAVE_TORCH
#include "core/nn/gcn_signal.h"
#endif

#include <cstdio>
#include <iostream>

namespace alphascope::cli {

namespace {

struct GnnOptions {
    DataOptions data;
    std::string edges = "sector";
    std::string group = "sector";
    double threshold = 0.5;
    int k = 10, window = 60, step = 20;
    int hidden = 32, epochs = 20, patience = 4, daysPerBatch = 16;
    double learningRate = 1e-3, weightDecay = 1e-4;
    std::string loss = "ic";
    std::uint64_t seed = 1;
    std::string device = "cpu";
    std::vector<std::string> compare;
    std::string backtestPeriod = "test";
};

struct Measured {
    FactorReport report;
    BacktestResult backtest;
};

#ifdef ALPHASCOPE_HAVE_TORCH
nlohmann::json measuredJson(const Measured& m) {
    nlohmann::json splits = nlohmann::json::array();
    for (const auto& s : m.report.splits)
        splits.push_back({{"name", s.name},
                          {"ic", number(s.ic)},
                          {"rank_ic", number(s.rankIc)},
                          {"icir", number(s.icir)},
                          {"rank_icir", number(s.rankIcir)},
                          {"coverage", number(s.coverage)}});
    const Performance& p = m.backtest.portfolio;
    return {{"name", m.report.formula},
            {"splits", splits},
            {"backtest",
             {{"annual_return", number(p.annualReturn)},
              {"sharpe", number(p.sharpe)},
              {"max_drawdown", number(p.maxDrawdown)},
              {"excess_annual_return", number(m.backtest.excess.annualReturn)},
              {"excess_sharpe", number(m.backtest.excess.sharpe)},
              {"turnover", number(p.turnover)},
              {"days", p.days}}}};
}

int run(const GnnOptions& o) {
    int code = kExitOk;
    auto session = openSession(o.data, code);
    if (!session) return code;
    const MarketData& data = *session->data;
    const Panel* close = data.field("close");
    if (!close) return reportError(makeError(ErrorCode::NotFound, "the data has no close prices ($close)"), kExitData);
    DayRange range{-1, -1};
    for (const auto& s : session->splits)
        if (s.name == o.backtestPeriod) range = {s.begin, s.end};
    if (range.begin < 0 || range.end <= range.begin)
        return reportError(makeError(ErrorCode::InvalidArgument, "no days in the '" + o.backtestPeriod + "' split",
                                     "--backtest-period"),
                           kExitConfig);

    nn::GcnSignalOptions go;
    if (!graph::parseEdgeRule(o.edges, go.graph.rule))
        return reportError(makeError(ErrorCode::InvalidArgument, "unknown edge rule '" + o.edges + "'", "--edges"),
                           kExitConfig);
    go.graph.threshold = o.threshold;
    go.graph.k = o.k;
    go.groupName = o.group;
    go.window = o.window;
    go.step = o.step;
    go.hidden = o.hidden;
    go.epochs = o.epochs;
    go.patience = o.patience;
    go.daysPerBatch = o.daysPerBatch;
    go.learningRate = o.learningRate;
    go.weightDecay = o.weightDecay;
    go.icLoss = o.loss == "ic";
    go.seed = o.seed;
    go.cuda = o.device == "cuda";
    auto trained = nn::trainGcnSignal(*session, go);
    if (!trained.ok())
        return reportError(trained.error(), trained.error().code == ErrorCode::NotFound ? kExitData : kExitConfig);
    const nn::GcnSignalResult& g = trained.value();

    BacktestConfig cfg;
    cfg.strategy = BacktestStrategy::LongOnlyTopQuantile;
    cfg.quantiles = 5;
    auto measure = [&](PanelPtr values, const std::string& label, const ExprPtr& expr) -> Result<Measured> {
        Measured m;
        auto report = expr ? analyzeFactor(*session->evaluator, expr, session->targetValues, session->splits)
                           : analyzeValues(*session->evaluator, values, label, session->targetValues, session->splits);
        if (!report.ok()) return report.error();
        m.report = std::move(report.value());
        auto bt = runBacktest(*m.report.values, *close, range, cfg);
        if (!bt.ok()) return bt.error();
        m.backtest = std::move(bt.value());
        return m;
    };
    std::vector<Measured> rows;
    auto gcn = measure(g.scores, "GCN (" + g.graph + ")", nullptr);
    if (!gcn.ok()) return reportError(gcn.error(), kExitInternal);
    rows.push_back(std::move(gcn.value()));
    for (const auto& f : o.compare) {
        auto e = parseFormula(f, parseOptionsFor(data, false));
        if (!e.ok()) return reportFormulaError(f, e.error());
        auto m = measure(nullptr, f, e.value());
        if (!m.ok()) return reportFormulaError(f, m.error());
        rows.push_back(std::move(m.value()));
    }

    if (o.data.json) {
        nlohmann::json j;
        j["data"] = describeData(*session);
        j["target"] = session->target->toString();
        j["splits"] = describeSplits(session->splits);
        nlohmann::json trainLoss = nlohmann::json::array(), validIc = nlohmann::json::array();
        for (double v : g.trainLoss) trainLoss.push_back(number(v));
        for (double v : g.validIc) validIc.push_back(number(v));
        j["gcn"] = {{"graph", g.graph},
                    {"device", g.device},
                    {"seconds", g.seconds},
                    {"epochs_run", g.trainLoss.size()},
                    {"best_epoch", g.bestEpoch + 1},
                    {"train_loss", trainLoss},
                    {"valid_ic", validIc},
                    {"loss", o.loss},
                    {"seed", o.seed}};
        j["backtest"] = {{"strategy", "long the top quintile, equal weight, daily"}, {"period", o.backtestPeriod}};
        nlohmann::json signals = nlohmann::json::array();
        for (const auto& m : rows) signals.push_back(measuredJson(m));
        j["signals"] = signals;
        std::cout << j.dump(2) << "\n";
        return kExitOk;
    }
    std::printf("GCN signal on %s, %s loss, trained on %s in %.1f s: %zu epochs, best %d (valid IC by epoch:",
                g.graph.c_str(), o.loss.c_str(), g.device.c_str(), g.seconds, g.trainLoss.size(), g.bestEpoch + 1);
    for (double v : g.validIc) std::printf(" %s", fmt(v, 4).c_str());
    std::printf(")\n\n%-52s", "signal");
    for (const auto& s : session->splits) std::printf(" %9s %9s", (s.name + " IC").c_str(), "RankIC");
    std::printf(" | top quintile, %s: annual  Sharpe  max DD  excess\n", o.backtestPeriod.c_str());
    for (const auto& m : rows) {
        std::string name = m.report.formula;
        if (name.size() > 52) name = name.substr(0, 49) + "...";
        std::printf("%-52s", name.c_str());
        for (const auto& s : m.report.splits) std::printf(" %9s %9s", fmt(s.ic).c_str(), fmt(s.rankIc).c_str());
        const Performance& p = m.backtest.portfolio;
        std::printf(" | %7s %7s %7s %7s\n", fmt(p.annualReturn, 3).c_str(), fmt(p.sharpe, 2).c_str(),
                    fmt(p.maxDrawdown, 3).c_str(), fmt(m.backtest.excess.annualReturn, 3).c_str());
    }
    return kExitOk;
}
#endif

} // namespace

Runner addGnnCommand(CLI::App& root) {
    auto o = std::make_shared<GnnOptions>();
    CLI::App* cmd = root.add_subcommand(
        "gnn", "The GCN signal baseline: two graph convolutions over the sector or correlation graph, "
               "trained on train, early-stopped on valid, measured like a factor with a top-quintile backtest");
    addDataOptions(*cmd, o->data);
    cmd->add_option("--edges", o->edges,
                    "sector (within each group of --group), corr (|rho| > threshold), knn, or both (corr and sector)")
        ->check(CLI::IsMember({"sector", "corr", "knn", "both"}))
        ->capture_default_str();
    cmd->add_option("--group", o->group,
                    "Grouping of the sector edges (sector, industry, or a level h1 of --hierarchy)")
        ->capture_default_str();
    cmd->add_option("--threshold", o->threshold, "|rho| above which two instruments are linked")
        ->check(CLI::Range(0.0, 1.0))
        ->capture_default_str();
    cmd->add_option("--k", o->k, "Neighbours per instrument for knn edges")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    cmd->add_option("--window", o->window, "Days of returns per correlation graph")
        ->check(CLI::Range(3, 100000))
        ->capture_default_str();
    cmd->add_option("--step", o->step, "Days between correlation graphs")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    cmd->add_option("--hidden", o->hidden, "Width of the graph convolutions")
        ->check(CLI::Range(1, 4096))
        ->capture_default_str();
    cmd->add_option("--epochs", o->epochs, "Most passes over the train days")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    cmd->add_option("--patience", o->patience, "Epochs without a better valid IC before stopping")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    cmd->add_option("--days-per-batch", o->daysPerBatch, "Days per optimiser step")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    cmd->add_option("--learning-rate", o->learningRate, "Adam's learning rate")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    cmd->add_option("--weight-decay", o->weightDecay, "Adam's weight decay")
        ->check(CLI::Range(0.0, 1.0))
        ->capture_default_str();
    cmd->add_option("--loss", o->loss, "ic (minus the daily Pearson IC) or mse (on the target z-scored per day)")
        ->check(CLI::IsMember({"ic", "mse"}))
        ->capture_default_str();
    cmd->add_option("--seed", o->seed, "Seed of the weights and the order of days")->capture_default_str();
    cmd->add_option("--device", o->device, "cpu or cuda (the GPU when LibTorch has one)")
        ->check(CLI::IsMember({"cpu", "cuda"}))
        ->capture_default_str();
    cmd->add_option("--compare", o->compare, "A formula measured the same way beside the GCN (repeatable)");
    cmd->add_option("--backtest-period", o->backtestPeriod, "Split of the top-quintile backtest")
        ->capture_default_str();
    cmd->footer("Exit codes: 0 ok, 2 usage, 3 data (no close prices, a missing grouping), 4 a --compare formula, 5 a "
                "bad option value.");
    return [o, cmd]() -> int {
        if (!cmd->parsed()) return -1;
#ifdef ALPHASCOPE_HAVE_TORCH
        return run(*o);
#else
        return reportError(makeError(ErrorCode::InvalidArgument, "this build has no LibTorch: the GCN needs it"),
                           kExitConfig);
#endif
    };
}

} // namespace alphascope::cli

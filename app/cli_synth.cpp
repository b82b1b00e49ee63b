// alphascope-cli synth: a synthetic panel whose next-day returns are driven by planted formulas.

#include "app/cli_commands.h"
#include "app/cli_common.h"

#include "core/data/csv_loader.h"
#include "core/search/planted.h"

#include <filesystem>
#include <fstream>
#include <iostream>

namespace alphascope::cli {

namespace {

struct SynthOptions {
    std::string out;
    int days = 750;
    int instruments = 150;
    int sectors = 8;
    std::uint64_t seed = 7;
    std::vector<std::string> formulas;
    std::vector<double> weights;
    double strength = 0.35;
};

int run(const SynthOptions& o) {
    PlantedSpec spec;
    spec.market.days = o.days;
    spec.market.instruments = o.instruments;
    spec.market.sectors = o.sectors;
    spec.market.seed = o.seed;
    spec.market.missingShare = 0.0;
    if (!o.formulas.empty()) {
        spec.formulas = o.formulas;
        spec.weights = o.weights.empty() ? std::vector<double>(o.formulas.size(), 1.0) : o.weights;
    }
    spec.strength = o.strength;
    auto market = makePlantedMarket(spec);
    if (!market.ok()) {
        const Error& e = market.error();
        return e.code == ErrorCode::Parse || e.code == ErrorCode::Semantic ? reportError(e, kExitFormula)
                                                                           : reportError(e, kExitConfig);
    }
    std::error_code ec;
    std::filesystem::create_directories(o.out, ec);
    if (ec)
        return reportError(makeError(ErrorCode::Io, "cannot create the folder: " + ec.message(), o.out), kExitConfig);
    const std::string prices = (std::filesystem::path(o.out) / "prices.csv").string();
    const std::string sectors = (std::filesystem::path(o.out) / "sectors.csv").string();
    const std::string manifest = (std::filesystem::path(o.out) / "planted.json").string();
    if (auto r = writeLongCsv(*market->data, prices); !r.ok()) return reportError(r.error(), kExitConfig);
    if (auto r = writeGroupsCsv(*market->data, sectors); !r.ok()) return reportError(r.error(), kExitConfig);

    nlohmann::json j;
    j["prices"] = "prices.csv";
    j["sectors"] = "sectors.csv";
    j["target"] = market->target;
    j["days"] = o.days;
    j["instruments"] = o.instruments;
    j["seed"] = o.seed;
    j["strength"] = o.strength;
    nlohmann::json planted = nlohmann::json::array();
    for (std::size_t k = 0; k < market->formulas.size(); ++k)
        planted.push_back({{"formula", market->formulas[k]},
                           {"weight", market->weights[k]},
                           {"realised_ic", number(market->realisedIc[k])}});
    j["planted"] = planted;
    std::ofstream(manifest) << j.dump(2) << "\n";

    std::printf("Wrote %s, %s and %s (%d instruments x %d days)\n", prices.c_str(), sectors.c_str(), manifest.c_str(),
                o.instruments, o.days);
    std::printf("Target  %s\n", market->target.c_str());
    for (std::size_t k = 0; k < market->formulas.size(); ++k)
        std::printf("Planted %s  weight %g  realised IC %s\n", market->formulas[k].c_str(), market->weights[k],
                    fmt(market->realisedIc[k], 4).c_str());
    std::printf("Mine it: alphascope-cli mine --algo gp --data %s --sectors %s --target '%s' --budget-evals 2000 --out "
                "pool.json\n",
                prices.c_str(), sectors.c_str(), market->target.c_str());
    return kExitOk;
}

} // namespace

Runner addSynthCommand(CLI::App& root) {
    auto o = std::make_shared<SynthOptions>();
    CLI::App* cmd =
        root.add_subcommand("synth", "Write a synthetic market whose next-day returns are driven by planted formulas "
                                     "plus noise (long CSV + sectors + planted.json), for tests and demos");
    cmd->add_option("--out,-o", o->out, "Output folder")->required();
    cmd->add_option("--days", o->days, "Trading days")->capture_default_str()->check(CLI::Range(80, 20000));
    cmd->add_option("--instruments", o->instruments, "Instruments")
        ->capture_default_str()
        ->check(CLI::Range(10, 20000));
    cmd->add_option("--sectors", o->sectors, "Sectors")->capture_default_str()->check(CLI::Range(1, 100));
    cmd->add_option("--seed", o->seed, "Random seed")->capture_default_str();
    cmd->add_option("--formula,-f", o->formulas,
                    "Planted formula (repeat for several); it must not depend on the price level, e.g. "
                    "'Div(Sub($close, $open), Sub($high, $low))' (the default) or 'Div($volume, Mean($volume, 10))'");
    cmd->add_option("--weight,-w", o->weights, "Weight of each planted formula (default 1 each)");
    cmd->add_option("--strength", o->strength, "Signal-to-noise of the next-day return (IC about s / sqrt(1 + s^2))")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 10.0));
    return [cmd, o]() {
        if (!cmd->parsed()) return -1;
        if (!o->weights.empty() && o->weights.size() != o->formulas.size())
            return reportError(makeError(ErrorCode::InvalidArgument, "give one --weight per --formula"), kExitConfig);
        return run(*o);
    };
}

} // namespace alphascope::cli

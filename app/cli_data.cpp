// alphascope-cli info and convert: what a dataset holds, and writing it as a Qlib binary folder.

#include "app/cli_commands.h"
#include "app/cli_common.h"

#include "core/data/qlib_format.h"

#include <cstdio>
#include <iostream>

namespace alphascope::cli {

namespace {

struct InfoOptions {
    DataOptions data;
};

int runInfo(const InfoOptions& o) {
    int code = kExitOk;
    auto session = openSession(o.data, code);
    if (!session) return code;
    const MarketData& d = *session->data;
    if (o.data.json) {
        nlohmann::json j = describeData(*session);
        nlohmann::json cov = nlohmann::json::object();
        for (const auto& f : d.fieldNames()) cov[f] = number(d.coverage(f));
        j["coverage"] = cov;
        j["target"] = session->target->toString();
        j["horizon"] = session->horizon;
        j["splits"] = describeSplits(session->splits);
        std::cout << j.dump(2) << "\n";
        return kExitOk;
    }
    std::printf("Source       %s\n", d.source.c_str());
    std::printf("Universe     %s\n", d.universe.c_str());
    std::printf("Instruments  %d\n", d.instrumentCount());
    std::printf("Days         %d (%s .. %s)\n", d.days(), d.days() ? d.calendar[0].toString().c_str() : "-",
                d.days() ? d.calendar[d.days() - 1].toString().c_str() : "-");
    std::printf("Load time    %.2f s\n", session->loadSeconds);
    std::printf("Fields       ");
    for (const auto& f : d.fieldNames()) std::printf("$%s (%.1f%%)  ", f.c_str(), 100.0 * d.coverage(f));
    std::printf("\n");
    if (d.vwapDerived) std::printf("vwap         derived as %s (not in the source)\n", d.vwapFormula.c_str());
    for (const auto& g : d.groupings) {
        int known = 0;
        for (int id : g.ids) known += id >= 0;
        std::printf("Grouping     %s: %d groups, %d of %d instruments assigned\n", g.name.c_str(), g.groupCount(),
                    known, d.instrumentCount());
    }
    std::printf("Target       %s (horizon %d)\n", session->target->toString().c_str(), session->horizon);
    for (const auto& s : session->splits)
        std::printf("Split        %-5s %s .. %s (%d days)\n", s.name.c_str(),
                    s.days() ? s.first.toString().c_str() : "-", s.days() ? s.last.toString().c_str() : "-", s.days());
    for (const auto& w : d.warnings)
        std::printf("warning: %s: %s%s\n", w.where.c_str(), w.message.c_str(),
                    w.count > 1 ? (" (" + std::to_string(w.count) + "x)").c_str() : "");
    for (const auto& w : session->warnings) std::printf("warning: %s\n", w.c_str());
    return kExitOk;
}

struct ConvertOptions {
    DataOptions data;
    std::string qlibOut;
};

int runConvert(const ConvertOptions& o) {
    int code = kExitOk;
    auto session = openSession(o.data, code);
    if (!session) return code;
    auto r = writeQlib(*session->data, o.qlibOut);
    if (!r.ok()) return reportError(r.error(), kExitData);
    if (!o.data.json)
        std::printf("Wrote %d instruments x %d days, %zu fields, as a Qlib binary folder: %s (universe 'all')\n",
                    session->data->instrumentCount(), session->data->days(), session->data->fields.size(),
                    o.qlibOut.c_str());
    else
        std::cout << nlohmann::json{{"qlib_dir", o.qlibOut},
                                    {"instruments", session->data->instrumentCount()},
                                    {"days", session->data->days()}}
                         .dump(2)
                  << "\n";
    return kExitOk;
}

} // namespace

Runner addInfoCommand(CLI::App& root) {
    auto o = std::make_shared<InfoOptions>();
    CLI::App* cmd = root.add_subcommand(
        "info",
        "Summarise a dataset: instruments, days, fields and their coverage, groupings, splits, loader warnings");
    addDataOptions(*cmd, o->data);
    return [cmd, o]() { return cmd->parsed() ? runInfo(*o) : -1; };
}

Runner addConvertCommand(CLI::App& root) {
    auto o = std::make_shared<ConvertOptions>();
    CLI::App* cmd = root.add_subcommand(
        "convert", "Write a dataset as a Qlib binary folder (calendars/, instruments/all.txt, features/)");
    addDataOptions(*cmd, o->data);
    cmd->add_option("--qlib-out", o->qlibOut, "Output folder")->required();
    return [cmd, o]() { return cmd->parsed() ? runConvert(*o) : -1; };
}

} // namespace alphascope::cli

// alphascope-cli compare: one Markdown table of several pool files (the search comparison).

#include "app/cli_commands.h"
#include "app/cli_common.h"

#include <fstream>
#include <iostream>
#include <sstream>

namespace alphascope::cli {

namespace {

struct CompareOptions {
    std::vector<std::string> files;
};

double at(const nlohmann::json& j, std::initializer_list<const char*> path) {
    const nlohmann::json* p = &j;
    for (const char* k : path) {
        if (!p->is_object() || !p->contains(k)) return std::nan("");
        p = &(*p)[k];
    }
    return p->is_number() ? p->get<double>() : std::nan("");
}

int run(const CompareOptions& o) {
    std::printf("| search | evaluations | wall time (s) | evaluations/s | pool size | mean abs mutual corr | "
                "valid IC | valid Rank IC | test IC | test Rank IC | adaptive test IC | adaptive test Rank IC |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (const auto& path : o.files) {
        std::ifstream f(path, std::ios::binary);
        if (!f) return reportError(makeError(ErrorCode::Io, "cannot open the pool file", path), kExitData);
        nlohmann::json j;
        try {
            j = nlohmann::json::parse(f);
        } catch (const nlohmann::json::parse_error& e) {
            return reportError(makeError(ErrorCode::Format, std::string("not valid JSON: ") + e.what(),
                                         path + "@" + std::to_string(e.byte)),
                               kExitData);
        }
        if (j.value("format", "") != "alphascope-pool")
            return reportError(
                makeError(ErrorCode::Format, "not an alphascope pool file (no \"format\": \"alphascope-pool\")", path),
                kExitData);
        std::printf(
            "| %s | %.0f | %.1f | %.1f | %zu | %s | %s | %s | %s | %s | %s | %s |\n", j.value("algorithm", "?").c_str(),
            at(j, {"run", "evaluations"}), at(j, {"run", "seconds"}), at(j, {"run", "evaluations_per_second"}),
            j.value("factors", nlohmann::json::array()).size(), fmt(at(j, {"diversity", "mean_abs_mutual"}), 3).c_str(),
            fmt(at(j, {"combined", "valid", "ic"}), 4).c_str(), fmt(at(j, {"combined", "valid", "rank_ic"}), 4).c_str(),
            fmt(at(j, {"combined", "test", "ic"}), 4).c_str(), fmt(at(j, {"combined", "test", "rank_ic"}), 4).c_str(),
            fmt(at(j, {"adaptive", "test", "ic"}), 4).c_str(), fmt(at(j, {"adaptive", "test", "rank_ic"}), 4).c_str());
    }
    return kExitOk;
}

} // namespace

Runner addCompareCommand(CLI::App& root) {
    auto o = std::make_shared<CompareOptions>();
    CLI::App* cmd =
        root.add_subcommand("compare", "A Markdown table comparing pool files written by `mine --out`: work done, pool "
                                       "diversity, and the combined pool's valid/test IC and Rank IC");
    cmd->add_option("pools", o->files, "Pool JSON files")->required();
    return [cmd, o]() { return cmd->parsed() ? run(*o) : -1; };
}

} // namespace alphascope::cli

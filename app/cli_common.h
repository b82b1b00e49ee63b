#pragma once
// Shared wiring of the alphascope-cli subcommands: dataset options, target, splits, exit codes.

#include "core/eval/research_session.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace alphascope::cli {

/// Exit codes, documented in --help.
enum ExitCode : int {
    kExitOk = 0,
    kExitInternal = 1, ///< a bug or an unexpected failure
    kExitUsage = 2,    ///< bad command line
    kExitData = 3,     ///< the data could not be loaded (file, format, universe)
    kExitFormula = 4,  ///< a formula (factor or target) could not be parsed or evaluated
    kExitConfig = 5,   ///< a bad option value (split dates, backtest settings)
};

/// Options every data-reading subcommand shares.
struct DataOptions {
    std::string data;    ///< file or Qlib folder; empty = bundled sample
    std::string sectors; ///< groups CSV; empty = the sample's when data is empty
    std::string universe = "all";
    bool maskZeroVolume = false;
    std::string target = kDefaultTarget;
    std::string train, valid, test; ///< "A:B" each; all empty = default splits
    bool json = false;
    std::string hierarchy; ///< "average:10,3": learned levels h1, h2, ... added as groupings
    int hierarchyWindow = 60, hierarchyStep = 20;
};

/// Adds --data --sectors --universe --mask-zero-volume --target --train --valid --test --json
/// --hierarchy --hierarchy-window --hierarchy-step.
void addDataOptions(CLI::App& app, DataOptions& o);

using Session = ResearchSession;

/// Opens the research session the options describe (core's openResearchSession). On error prints
/// the message to stderr and returns nullptr with the exit code in `exitCode`.
std::shared_ptr<const Session> openSession(const DataOptions& o, int& exitCode);

/// Prints "alphascope-cli: <where>: <message>" to stderr and returns the exit code for the error.
int reportError(const Error& e, int exitCode);

/// The search config file's text (`--config` of mine, study and recovery); Io naming the file.
Result<std::string> readConfigFile(const std::string& path);
/// A formula error with a caret under the column.
int reportFormulaError(const std::string& formula, const Error& e);

/// JSON helpers: NaN becomes null.
nlohmann::json number(double v);
nlohmann::json describeData(const Session& s);
nlohmann::json describeSplits(const std::vector<Split>& splits);

/// "0.01234" style fixed formatting with NaN as "—" (for tables).
std::string fmt(double v, int decimals = 4);

} // namespace alphascope::cli

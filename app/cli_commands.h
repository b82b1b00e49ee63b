#pragma once
// The alphascope-cli subcommands. Each adds itself to the root app and returns the function that
// runs it after parsing.

#include <CLI/CLI.hpp>

#include <functional>

namespace alphascope::cli {

using Runner = std::function<int()>;

Runner addEvalCommand(CLI::App& root);
Runner addBacktestCommand(CLI::App& root);
Runner addBenchCommand(CLI::App& root);
Runner addConvertCommand(CLI::App& root);
Runner addInfoCommand(CLI::App& root);
Runner addSynthCommand(CLI::App& root);
Runner addCompareCommand(CLI::App& root);
Runner addMineCommand(CLI::App& root);
Runner addStudyCommand(CLI::App& root);
Runner addStudyCompareCommand(CLI::App& root);
Runner addRecoveryCommand(CLI::App& root);
Runner addPersistenceCommand(CLI::App& root);
Runner addRunsCommand(CLI::App& root);
Runner addExportCommand(CLI::App& root);
Runner addImportCommand(CLI::App& root);
Runner addGraphCommand(CLI::App& root);
Runner addGnnCommand(CLI::App& root);

} // namespace alphascope::cli

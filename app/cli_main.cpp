// alphascope-cli: the AlphaScope engine headless.

#include "app/cli_commands.h"
#include "app/cli_common.h"

#include "core/util/allocator_tuning.h"

#include <iostream>

int main(int argc, char** argv) {
    using namespace alphascope::cli;
    alphascope::tuneAllocatorForPanels();
    CLI::App app{"alphascope-cli " ALPHASCOPE_VERSION " - formulaic alpha research engine (AlphaScope), headless"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("alphascope-cli ") + ALPHASCOPE_VERSION);
    app.footer(
        "Formulas use Qlib-style text: $close, Mean($close, 20), Ref($close, 5), Corr($close, $volume, 10),\n"
        "CSRank(x), GroupRank(x, sector); + - * / and unary minus are accepted.\n\n"
        "Exit codes:\n"
        "  0  success\n"
        "  1  internal error (a bug)\n"
        "  2  bad command line\n"
        "  3  data error: a file could not be read or is malformed (the message names file and line)\n"
        "  4  formula error: a factor or target could not be parsed or evaluated (the message names the column)\n"
        "  5  bad option value (split dates, backtest settings, output file)\n"
        "Errors go to stderr with their location; results go to stdout (tables, or JSON with --json).");
    std::vector<Runner> runners{addEvalCommand(app),   addBacktestCommand(app), addBenchCommand(app),
                                addInfoCommand(app),   addConvertCommand(app),  addSynthCommand(app),
                                addCompareCommand(app)};
    runners.push_back(addMineCommand(app));
    runners.push_back(addStudyCommand(app));
    runners.push_back(addStudyCompareCommand(app));
    runners.push_back(addRecoveryCommand(app));
    runners.push_back(addPersistenceCommand(app));
    runners.push_back(addRunsCommand(app));
    runners.push_back(addExportCommand(app));
    runners.push_back(addImportCommand(app));
    runners.push_back(addGraphCommand(app));
    runners.push_back(addGnnCommand(app));
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? kExitOk : kExitUsage;
    }
    try {
        for (auto& r : runners) {
            const int code = r();
            if (code >= 0) return code;
        }
    } catch (const std::exception& e) {
        std::cerr << "alphascope-cli: internal error: " << e.what() << "\n";
        return kExitInternal;
    }
    return kExitUsage;
}

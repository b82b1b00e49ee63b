// The one entry point of every search (core/search/search.h): validate, build the shared run,
// call the algorithm, measure the pool. Lives in alphascope_nn because the GFlowNet and the MCTS
// network need LibTorch; this file itself includes no torch header.

#include "core/nn/gflownet.h"
#include "core/nn/mcts_network.h"
#include "core/search/genetic_search.h"
#include "core/search/mcts.h"
#include "core/search/program_env.h"
#include "core/search/random_search.h"
#include "core/search/search.h"

namespace alphascope {

namespace {

Result<void> validate(const ResearchSession& session, const SearchConfig& config) {
    auto bad = [](std::string m) { return makeError(ErrorCode::InvalidArgument, std::move(m)); };
    const SearchBudget& b = config.budget;
    if (b.evaluations < 0 || b.episodes < 0 || b.seconds < 0) return bad("budgets cannot be negative");
    if (b.evaluations == 0 && b.episodes == 0 && b.seconds == 0)
        return bad("give a budget: formula evaluations, episodes or seconds");
    if (config.poolOptions.capacity < 1) return bad("the pool capacity must be at least 1");
    if (session.splits.empty()) return bad("the session has no splits");
    if (!config.grammar.operators.empty()) {
        if (auto g = config.grammar.validate(*session.data); !g.ok()) return g.error();
    }
    return {};
}

} // namespace

Result<SearchResult> runSearch(std::shared_ptr<const ResearchSession> session, const SearchConfig& config,
                               SearchFeedback& feedback) {
    if (!session) return makeError(ErrorCode::InvalidArgument, "no data");
    if (auto v = validate(*session, config); !v.ok()) return v.error();
    SearchRun run(session, config, feedback);
    if (auto g = run.grammar().validate(*session->data); !g.ok()) return g.error();

    Result<void> done;
    switch (run.config().algo) {
    case SearchAlgo::Random: done = runRandomSearch(run); break;
    case SearchAlgo::Genetic: done = runGeneticSearch(run); break;
    case SearchAlgo::GFlowNet: done = runGFlowNetSearch(run); break;
    case SearchAlgo::Mcts: {
        std::unique_ptr<MctsGuide> guide;
        if (run.config().mcts.useNetwork) {
            ProgramVocabulary vocabulary(run.grammar());
            guide = makeMctsNetwork(vocabulary, run.config().mcts, run.config().seed, run.config().preferCuda);
            if (!guide) return makeError(ErrorCode::Internal, "the MCTS policy/value network could not be built");
            run.setDevice(guide->device());
        } else {
            run.addNote("MCTS without a network: uniform priors, zero value estimates");
        }
        done = runMctsSearch(run, guide.get());
        break;
    }
    }
    if (!done.ok() && done.error().code != ErrorCode::Canceled) return done.error();
    return run.finish();
}

} // namespace alphascope

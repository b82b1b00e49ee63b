#include "core/search/search_registry.h"

#include "core/search/genetic_search.h"
#include "core/search/random_search.h"

#include <map>
#include <mutex>

namespace alphascope {

namespace {

Result<void> runMctsWithGuide(SearchRun& run) {
    std::unique_ptr<MctsGuide> guide;
    if (run.config().mcts.useNetwork) {
        const MctsGuideFactory factory = mctsGuideFactory();
        if (!factory)
            return makeError(ErrorCode::InvalidArgument,
                             "the MCTS policy/value network needs LibTorch, which this build lacks");
        ProgramVocabulary vocabulary(run.grammar());
        guide = factory(vocabulary, run.config().mcts, run.config().seed, run.config().preferCuda);
        if (!guide) return makeError(ErrorCode::Internal, "the MCTS policy/value network could not be built");
        run.setDevice(guide->device());
    } else {
        run.addNote("MCTS without a network: uniform priors, zero value estimates");
    }
    return runMctsSearch(run, guide.get());
}

struct Registry {
    std::mutex mutex;
    std::map<SearchAlgo, SearchAlgorithmRunner> runners{
        {SearchAlgo::Random, runRandomSearch},
        {SearchAlgo::Genetic, runGeneticSearch},
        {SearchAlgo::Mcts, runMctsWithGuide},
    };
    MctsGuideFactory mctsFactory;
};

Registry& registry() {
    static Registry r; // built on first use, so registrations from static initialisers are safe
    return r;
}

} // namespace

void registerSearchAlgorithm(SearchAlgo algo, SearchAlgorithmRunner runner) {
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    r.runners[algo] = std::move(runner);
}

bool searchAlgorithmAvailable(SearchAlgo algo) {
    return static_cast<bool>(searchAlgorithm(algo));
}

SearchAlgorithmRunner searchAlgorithm(SearchAlgo algo) {
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    const auto it = r.runners.find(algo);
    return it == r.runners.end() ? SearchAlgorithmRunner{} : it->second;
}

void registerMctsGuideFactory(MctsGuideFactory factory) {
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    r.mctsFactory = std::move(factory);
}

MctsGuideFactory mctsGuideFactory() {
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    return r.mctsFactory;
}

} // namespace alphascope

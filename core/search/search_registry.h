#pragma once
// The algorithm registry behind runSearch() (ARCHITECTURE.md §2, core/search): core registers the
// searches it can run without LibTorch (random, GP, MCTS with uniform priors); alphascope_nn adds
// the GFlowNet, PPO and the MCTS policy/value network when it is linked. No code outside core/nn needs
// to know whether torch was built.

#include "core/search/mcts.h"
#include "core/search/program_env.h"
#include "core/search/search.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace alphascope {

/// Runs one algorithm on a prepared SearchRun (budgets, pool and feedback are the run's).
using SearchAlgorithmRunner = std::function<Result<void>(SearchRun&)>;

/// Builds the MCTS policy/value network for a vocabulary (null when it cannot be built).
using MctsGuideFactory = std::function<std::unique_ptr<MctsGuide>(const ProgramVocabulary&, const MctsOptions&,
                                                                  std::uint64_t seed, bool preferCuda)>;

/// Registers (or replaces) an algorithm. Call before searches start (static initialisation or
/// main); the registry itself is thread-safe.
void registerSearchAlgorithm(SearchAlgo algo, SearchAlgorithmRunner runner);
/// True when `algo` can run in this build (the GFlowNet and PPO need LibTorch).
bool searchAlgorithmAvailable(SearchAlgo algo);
/// The runner of `algo`, or null when it is not available.
SearchAlgorithmRunner searchAlgorithm(SearchAlgo algo);

/// Registers the MCTS network factory (alphascope_nn does).
void registerMctsGuideFactory(MctsGuideFactory factory);
/// The factory, or null when this build has no MCTS network.
MctsGuideFactory mctsGuideFactory();

} // namespace alphascope

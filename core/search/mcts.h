#pragma once
// MCTS over alpha programs (Alpha2, ALGORITHMS.md §6, PEERS.md §4), without torch: the tree, the
// pUCT selection, the top-k backup, the Perf reward and the game loop. A policy/value network
// plugs in through MctsGuide (core/nn/mcts_network.h implements it with LibTorch).
//
// A game starts from the empty program. Before each move the search runs `simulationsPerMove`
// simulations from the current root; a simulation descends by pUCT, creates one new node (applies
// its instruction, scores register 0, asks the guide for priors and a value) and backs the return
// up. The move is drawn from the root's visit counts, the subtree below it becomes the new root,
// and the game ends with Finish. Choices, with their reasons:
// - Reward per instruction: Perf(s') - Perf(s), Perf = (1 - max |mutual corr| with the alphas
//   found so far) * |IC| of register 0 (0 while register 0 is empty or unusable). Returns
//   telescope, so a finished program's return is the Perf of its formula.
// - Budget: Perf is cached per formula within the run and SearchRun::evaluate is called once per
//   new formula (each call is one unit of the budget), so the budget counts real evaluations.
//   When members were admitted since a cached Perf was measured (the formula itself included), its
//   max |mutual| is brought up to date from the kept training z-scores, without an evaluation, as
//   long as they are kept (about 256 MB of them); older entries keep their last Perf.
// - Pool: every new usable formula in register 0 is a finished program one Finish away (Finish is
//   legal there); it is offered to the pool when first scored, so that each evaluation is a pool
//   candidate, as in the other searches. Perf uses the pool's max |mutual| before the offer.
// - Selection: value scores r + V are min-max normalised over the tree (AlphaDev / MuZero); pUCT
//   chooses among a node's children. With thousands of legal instructions and uniform or barely
//   trained priors, the prior term is tiny and plain pUCT re-walks one greedy chain, so nodes
//   widen progressively (wideningLimit()): the next new child is drawn from the priors in
//   Gumbel-top-k order (Gumbel MuZero), and root noise re-draws that order at every move.
// - Move: drawn from visits^(1/T), T = 1 for the first half of the budget, 0.5 to 3/4, then 0.25
//   (Alpha2's 1 -> 0.5 -> 0.25 schedule, on the budget fraction instead of training steps).
// - Training: after every `trainEvery` games, about one pass over the new samples in minibatches of
//   `batchSize` drawn from the replay buffer of the last `replayCapacity` games (run.rng()).
//   Policy target = root visit distribution over the legal actions; value target = the return
//   from that state to the end of the game.
// - Leaf batches (not in Alpha2, which runs one simulation at a time): up to `leafBatch`
//   simulations descend before any is backed up, each counting as an in-flight visit with a
//   virtual loss (its child's normalised value scaled by visits / (visits + in flight)), so that
//   they spread over the tree; their new formulas are evaluated together in parallel, then the
//   simulations complete in order (Perf, pool offer, guide, backup). Deterministic per seed;
//   `leafBatch` 1 is the sequential search exactly. The run's note gives the mean batch.
// - The search also stops after 50 games in a row that reached no new formula (a note says so).

#include "core/search/program_env.h"
#include "core/util/result.h"

#include <random>
#include <string>
#include <vector>

namespace alphascope {

class SearchRun;

/// One training example: a root state, its legal actions, the visit distribution, the return.
struct MctsSample {
    std::vector<int> encoding; ///< ProgramState::encode()
    std::vector<int> legal;    ///< legal actions at that state
    std::vector<float> policy; ///< visit distribution over `legal` (sums to 1)
    float value = 0.0f;        ///< return from that state to the end of the game
};

/// What guides the search: priors over the legal actions and a value for a state.
class MctsGuide {
public:
    virtual ~MctsGuide() = default;
    /// Fills `priors` (one per legal action, summing to 1) and the state's `value`.
    virtual Result<void> evaluate(const ProgramState& state, const std::vector<int>& legal, std::vector<float>& priors,
                                  float& value) = 0;
    /// evaluate() for several states at once (a leaf batch: one network forward); `priors` and
    /// `values` get one entry per state. The default calls evaluate() on each. The search calls it
    /// on a thread of its own while it evaluates the batch's formulas, never beside train().
    virtual Result<void> evaluateBatch(const std::vector<const ProgramState*>& states,
                                       const std::vector<const std::vector<int>*>& legal,
                                       std::vector<std::vector<float>>& priors, std::vector<float>& values);
    /// One optimiser step on a minibatch; returns the loss before the step.
    virtual Result<double> train(const std::vector<MctsSample>& batch) = 0;
    /// "CPU" or "CUDA".
    virtual std::string device() const = 0;
    /// Size of the action list it was built for (checked against the run's ProgramVocabulary).
    virtual int vocabularySize() const = 0;
};

/// The k largest returns seen through a node (k = MctsOptions::topK), kept as a min-heap.
class TopKReturns {
public:
    explicit TopKReturns(int k = 5) : m_k(k) {}
    void add(double value);
    bool empty() const { return m_values.empty(); }
    int size() const { return static_cast<int>(m_values.size()); }
    double mean() const;
    double max() const;
    /// beta * mean(top-k) + (1 - beta) * max(top-k); 0 when empty.
    double value(double beta) const;
    /// The kept values, largest first.
    std::vector<double> sorted() const;

private:
    int m_k;
    std::vector<double> m_values; // min-heap: the smallest kept value on top
};

/// Running minimum and maximum of the value scores in a tree, for normalisation (MuZero).
class MinMaxStats {
public:
    void update(double value);
    /// (value - min) / (max - min) once max > min, else value unchanged.
    double normalize(double value) const;

private:
    double m_min = 1e300;
    double m_max = -1e300;
};

/// The exploration coefficient c = log((N + cBase + 1) / cBase) + cInit.
double puctCoefficient(int parentVisits, double cBase, double cInit);
/// pUCT score: valueScore + c * prior * sqrt(parentVisits) / (1 + childVisits).
double puctScore(double valueScore, double prior, int parentVisits, int childVisits, double cBase, double cInit);
/// A Dirichlet(alpha, ..., alpha) sample of size n.
std::vector<float> sampleDirichlet(int n, double alpha, std::mt19937_64& rng);
/// (1 - fraction) * priors + fraction * noise, element-wise.
std::vector<float> mixNoise(const std::vector<float>& priors, const std::vector<float>& noise, double fraction);
/// visits^(1/T), normalised; T <= 0 puts all mass on the most visited (first on ties).
std::vector<float> visitDistribution(const std::vector<int>& visits, double temperature);
/// The return each node of a simulated path backs up: rewards[i] is the reward of the edge into
/// node i (rewards[0], the root's, is unused); node i gets rewards[i+1] + ... + rewards[n-1] + leafValue.
std::vector<double> pathReturns(const std::vector<double>& rewards, double leafValue);
/// Progressive widening (Coulom 2007; Chaslot et al. 2008): a node visited N times may have
/// ceil(kWideningScale * (N + 1)^kWideningExponent) children.
inline constexpr double kWideningScale = 1.0;
inline constexpr double kWideningExponent = 0.5;
int wideningLimit(int visits);
/// Perf = (1 - maxAbsMutual) * |ic|; 0 when ic is not finite.
double programPerf(double ic, double maxAbsMutual);

/// Runs the MCTS search on `run` until a budget is used or the run is canceled (then it returns
/// success with the pool found so far). `guide` null (or MctsOptions::useNetwork false) = uniform
/// priors and value 0. Errors: InvalidArgument (grammar without operators or features), a guide's
/// error.
Result<void> runMctsSearch(SearchRun& run, MctsGuide* guide);

} // namespace alphascope

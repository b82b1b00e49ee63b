#pragma once
// The GFlowNet search (AlphaSAGE, ALGORITHMS.md §5, PEERS.md §3): a policy over the token
// environment, trained by trajectory balance to sample formulas in proportion to a reward
// R = max(|IC| + w_ssl * SSL + w_nov * NOV, e^-10). No torch types here (the networks live in
// gflownet.cpp behind a pimpl).
//
// Design notes (the choices the references leave open):
// - Encoder "Gnn": nodes are a BEG node plus one node per token (learned embeddings; BEG reuses
//   the stop action's id, which never occurs inside a state). Edges run child -> parent with the
//   six TokenRelation types, and each also runs parent -> child as its own inverse relation (12
//   weight matrices per layer, as in Schlichtkrull et al.'s RGCN): with mean pooling a leaf that
//   only sends messages would never learn its context. AlphaSAGE's PyG layer passes child ->
//   parent only. Two layers h' = ReLU(W_self h + b + sum_r mean_{j in N_r(i)} W_r h_j), then
//   mean pooling. "Lstm": a 2-layer LSTM over [BEG, tokens...]; the last output is the state.
// - Backward policy: states are prefixes, so each has exactly one parent. The backward head's
//   logits are masked to "remove the last token" only, so log PB = 0 exactly (as in torchgfn)
//   and receives no gradient; it is kept so that the loss is the textbook TB loss.
// - Forced stop ("mask dropout"): once stop is legal, with probability p * len / maxTokens every
//   other action is masked. The loss uses the mask the step was sampled with.
// - Dense rewards: after each step whose stack top is a complete sub-formula (not the final one),
//   that sub-formula is scored (one evaluation each; a repeat reuses the IC, NOV and SSL of its
//   first scoring from a run-level memo and is neither re-scored nor re-offered) and offered to
//   the pool. When it is the only stack item, stop was legal there, so "prefix + stop" is itself a
//   complete trajectory ending in that formula: its TB term (the prefix's log PF plus
//   log PF(stop), same log Z) is added to the loss with the sub-formula's reward. A stack top with
//   other items below it gets no TB term (it is not a terminal reachable from that prefix).
// - Log Z has its own Adam learning rate (logZLearningRate, default 0.1; AlphaSAGE: the networks'
//   1e-4). With one small rate log Z stays near its initial 0 while log R - sum log PF is tens of
//   nats, and trajectory balance then mostly raises the probability of whatever was sampled.
// - Log Z warm start (logZWarmStart, default on; AlphaSAGE: off): before the first step log Z is
//   set so that the first batch's mean TB residual is 0, so no early steps go to moving log Z.
// - Learning rate 1e-3 and an optimiser step every 16 episodes (AlphaSAGE: 1e-4 and 64, i.e. 300
//   steps of small moves in a 20,000-evaluation run), and the linear pool by default (AlphaSAGE:
//   its mining pool); search.h and search.cpp give the measurements behind both.
// - Reward exponent beta (rewardExponent, default 1 as AlphaSAGE): TB learns beta * log R, i.e.
//   samples in proportion to R^beta. beta = 8 without SSL and novelty raised the evaluated
//   formulas' train |IC| most (US, 20,000 evaluations, 2 seeds) but its pools held up worse in the
//   test year (README, "GFlowNet"), so it is an option, not the default.
// - Length prior (lengthPenalty, default 0; AlphaSAGE: none): TB learns beta * log R - lambda *
//   tokens. The count of formulas grows by the grammar's branching factor with every token, so
//   without it a reward as flat as |IC| leaves the lengths to that count and the sampled formulas
//   drift to the longest allowed (search.h). Replays and dense partial terminals take the prior of
//   their own length; the reported reward (learning curves) leaves it out.
// - Local search (localSearchShare, default 0; AlphaSAGE: none): a share of the episodes complete
//   a prefix of one of the run's best formulas (its last K tokens removed) instead of starting
//   from the empty formula, as Kim et al.'s local-search GFlowNets refine samples by backtracking
//   and reconstructing. States are prefixes, so backtracking is exact, and the completed
//   trajectory is a trajectory like any other for trajectory balance (an off-policy sample).
// - Reward: unusable or refused formulas get e^-10 and are not offered. SSL compares with pool
//   members through the embedding each had when it was admitted (the encoder moves on).

#include "core/search/search.h"
#include "core/search/token_env.h"
#include "core/util/result.h"

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace alphascope {

/// Runs the GFlowNet search on `run` until a budget is used up or it is canceled (then returns
/// success; the pool is the result). Errors: InvalidArgument (options), Internal (torch).
Result<void> runGFlowNetSearch(SearchRun& run);

/// One sampled trajectory s_0 -> ... -> s_n -> stop.
struct GFlowNetEpisode {
    std::vector<int> actions;                           ///< a_0..a_n, stop last
    std::vector<std::vector<std::uint8_t>> masks;       ///< the mask a_t was sampled with
    std::vector<std::vector<TokenBuilder::Edge>> edges; ///< the forest of each state s_0..s_n
    std::vector<int> stackSizes;                        ///< stack size of each state s_0..s_n
    std::vector<ExprPtr> stackTops;                     ///< complete stack top of s_t (null if none)
    ExprPtr formula;                                    ///< the finished formula (null if none)
    std::vector<std::vector<float>> embeddings;         ///< encoder embedding of s_0..s_n (sampled only)
};

/// A batch's trajectory-balance terms before its rewards are known (GFlowNetLearner::prepareBatch).
struct GFlowNetPrepared;

/// The networks and optimiser of one GFlowNet (encoder, forward/backward heads, log Z, Adam).
/// The search uses it; tests drive it with their own rewards. Torch errors become Internal.
class GFlowNetLearner {
public:
    /// Draws the parameters from the learner's own torch generator seeded with `seed` (torch's
    /// global seed is neither set nor relied on, so learners in other threads do not interfere).
    /// `cuda` places them on the GPU. `vocabulary` must outlive the learner.
    GFlowNetLearner(const TokenVocabulary& vocabulary, const GFlowNetOptions& options, std::uint64_t seed,
                    bool cuda = false);
    ~GFlowNetLearner();
    GFlowNetLearner(const GFlowNetLearner&) = delete;
    GFlowNetLearner& operator=(const GFlowNetLearner&) = delete;

    /// Samples one trajectory on-policy with `rng` (forced stop with probability
    /// forcedStopProb * len / maxTokens once stop is legal).
    Result<GFlowNetEpisode> sample(std::mt19937_64& rng);
    /// Samples `count` trajectories side by side, with one encoder and head forward pass per step
    /// for all of them; each trajectory's draws come from `rng` in turn.
    Result<std::vector<GFlowNetEpisode>> sampleBatch(std::mt19937_64& rng, int count);
    /// sampleBatch() with one trajectory per prefix: trajectory b takes prefixes[b]'s actions
    /// (stop excluded; an empty prefix samples the whole trajectory) with their natural masks, then
    /// samples on from there as sampleBatch() does. No draw is taken for a prefix's actions.
    /// Errors: InvalidArgument (an illegal prefix action, stop in a prefix, no prefix).
    Result<std::vector<GFlowNetEpisode>> sampleFrom(std::mt19937_64& rng,
                                                    const std::vector<std::vector<int>>& prefixes);
    /// Adds the episode's loss to the accumulated gradients and returns its value:
    /// (log Z + sum log PF - log R - sum log PB)^2 - entropyCoef * sum_t H_t, plus one TB term per
    /// `partialTerminals` entry (state index t, log R of the formula at s_t: trajectory s_0..s_t
    /// then stop). A non-finite loss is skipped (returns +inf, as AlphaSAGE does).
    Result<double> accumulate(const GFlowNetEpisode& episode, double logReward,
                              const std::vector<std::pair<int, double>>& partialTerminals = {});
    /// accumulate() for several episodes with one forward and one backward pass: the gradients
    /// are the sum of the episodes' (partialTerminals: empty, or one list per episode). It may
    /// run on another thread while sampleBatch(), logProbability() or embed() run (they only read
    /// the parameters), never while step() or another accumulate runs.
    Result<std::vector<double>>
    accumulateBatch(const std::vector<const GFlowNetEpisode*>& episodes, const std::vector<double>& logRewards,
                    const std::vector<std::vector<std::pair<int, double>>>& partialTerminals = {});
    /// The part of accumulateBatch() that does not depend on the rewards: the encoder and head
    /// passes over every state of the episodes and each trajectory's log PF, log PB and entropy
    /// terms, so that it can run while the episodes' formulas are evaluated. The episodes must
    /// outlive the result. It only reads the parameters: it may run beside sampleBatch() and
    /// beside the accumulation of an earlier batch, never beside step().
    /// Errors: InvalidArgument (a malformed episode).
    Result<std::shared_ptr<GFlowNetPrepared>> prepareBatch(const std::vector<const GFlowNetEpisode*>& episodes);
    /// accumulateBatch() of a prepared batch (log Z as it is now): the same losses and gradients,
    /// bit for bit. Call it once per prepared batch.
    Result<std::vector<double>>
    accumulatePrepared(const GFlowNetPrepared& prepared, const std::vector<double>& logRewards,
                       const std::vector<std::vector<std::pair<int, double>>>& partialTerminals = {});
    /// One Adam step over the accumulated gradients, then zeroes them.
    Result<void> step();
    /// The trajectory of an action sequence (stop included), as sampling would record it without
    /// forced stop and without embeddings: for replaying a formula found earlier. Only reads the
    /// vocabulary, so it may run while a loss pass does. Errors: InvalidArgument (an illegal action,
    /// no stop).
    Result<GFlowNetEpisode> replay(const std::vector<int>& actions) const;
    /// log P_F of an action sequence (stop included) under the current policy, without forced stop.
    Result<double> logProbability(const std::vector<int>& actions);
    /// Encoder embedding of the state reached by `actions` (stop excluded).
    Result<std::vector<float>> embed(const std::vector<int>& actions);
    double logZ() const;
    std::string device() const;
    long long steps() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// The trajectory-balance loss computed by the same torch code as the learner, on given logits:
/// for checks against hand arithmetic.
struct TrajectoryBalanceTerms {
    double loss = 0.0;  ///< delta^2 - entropyCoef * entropy
    double delta = 0.0; ///< log Z + sum log PF - log R - sum log PB
    double sumLogPF = 0.0;
    double sumLogPB = 0.0;                         ///< 0 exactly with the "remove last token" backward mask
    double entropy = 0.0;                          ///< sum_t H(softmax(masked logits_t / T))
    double dLossDLogZ = 0.0;                       ///< = 2 * delta
    std::vector<std::vector<double>> dLossDLogits; ///< per step and action
};

/// Evaluates the loss (double precision) for forward logits/masks/actions (one row per step, stop
/// the last action), backward logits (one row per non-stop step, vocabulary - 1 entries, or empty
/// for zeros), log Z and log R, and its gradients. Errors: InvalidArgument (shapes).
Result<TrajectoryBalanceTerms> trajectoryBalanceTerms(const std::vector<std::vector<double>>& forwardLogits,
                                                      const std::vector<std::vector<std::uint8_t>>& masks,
                                                      const std::vector<int>& actions,
                                                      const std::vector<std::vector<double>>& backwardLogits,
                                                      double logZ, double logReward, double entropyCoef,
                                                      double temperature);

/// (log Z + sumLogPF - logR - sumLogPB)^2: the reference arithmetic of one TB term.
double trajectoryBalanceLoss(double logZ, double sumLogPF, double logReward, double sumLogPB);

/// max(|ic| + wSsl * ssl + wNov * nov, e^-10); NaN components count as 0 (NaN ic -> e^-10). With
/// noveltyScaledIc the first term is |ic| * nov (nov clamped to [0, 1]; a NaN nov leaves |ic|).
double gflownetReward(double ic, double ssl, double novelty, double wSsl, double wNov, bool noveltyScaledIc = false);

/// A decaying weight: initial * (1 - fraction), fraction clamped to 0..1.
double linearDecay(double initial, double fraction);

/// A pool member as SSL sees it: its train z-scores and the encoder embedding it had when admitted.
struct SslMember {
    const TrainSlice* trainZ = nullptr;
    const std::vector<float>* embedding = nullptr;
};

/// AlphaSAGE's structure-behaviour consistency (PEERS.md §3.4): the k members nearest to
/// `embedding` (L2; near-identical embeddings skipped) weighted by softmax(-d^2 / tau); the loss is
/// the weighted mean over them of the per-day MSE between packed z-scores (the labelled cells of
/// `layout`); SSL = exp(-loss). 0 when fewer than 2 members or no neighbour counts.
double structureConsistency(const TrainSlice& trainZ, const std::vector<float>& embedding,
                            const std::vector<SslMember>& members, const TrainLayout& layout, int k = 3,
                            double tau = 0.1);

} // namespace alphascope

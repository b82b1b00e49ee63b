#pragma once
// AlphaGen's PPO baseline (PEERS.md §2.1, ALGORITHMS.md §7): maskable PPO over the token
// environment with an LSTM actor-critic, rewarded at the end of each episode with the linear
// pool's combined train IC after the formula was offered (a level, not an increment; 0 for a
// formula that cannot be used or that the pool's screening refuses). No torch types here (the
// networks live in ppo.cpp behind a pimpl).
//
// What is AlphaGen's (sb3-contrib MaskablePPO with its LSTMSharedNet) and what differs:
// - Features: token embedding of [BEG, a_0, ..., a_{t-1}] plus a sinusoidal position encoding, a
//   2-layer LSTM (d_model 128, dropout 0.1 between the layers while training), the mean of its
//   outputs over the state's positions. AlphaGen means over the longest state of the batch, so a
//   short state's features include padding and depend on which states share its batch; here
//   every state has the features of its own positions (the same in a rollout and in training).
// - Heads as SB3's MlpPolicy: policy and value each through two tanh layers of 64, orthogonal
//   initialisation with gains sqrt(2) (hidden layers), 0.01 (actions) and 1 (value), biases 0.
//   Illegal actions get logit -1e8 (MaskableCategorical); the entropy sums the legal actions.
// - PPO as SB3's defaults, which AlphaGen keeps except gamma 1, entropy 0.01 and minibatch 128:
//   GAE lambda 0.95, clip 0.2, 10 epochs of shuffled minibatches, advantages normalised per
//   minibatch, value loss MSE to the GAE returns (weight 0.5), gradient norm clipped at 0.5,
//   Adam lr 3e-4 (eps 1e-5). A rollout collects whole episodes until it holds rolloutSteps
//   actions (SB3 cuts the last episode at n_steps and bootstraps it with the value; here every
//   rollout ends on an episode's end, so no bootstrap is needed).
// - Episodes of one rollout are sampled 16 side by side (one network pass per token for all):
//   the policy only changes at an update, so this is the same distribution as one at a time,
//   and their formulas are evaluated in parallel and offered to the pool in order.
// - Every random draw (parameters, dropout, sampling, minibatch order) comes from the learner's
//   own generators seeded from the run's seed: deterministic per seed on CPU.

#include "core/search/search.h"
#include "core/search/token_env.h"
#include "core/util/result.h"

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace alphascope {

/// Runs the PPO search on `run` until a budget is used up or it is canceled (then returns success;
/// the pool is the result). Errors: InvalidArgument (options), Internal (torch).
Result<void> runPpoSearch(SearchRun& run);

/// One sampled episode s_0 -> ... -> s_n -> stop with what the policy said when it sampled it.
struct PpoEpisode {
    std::vector<int> actions;                     ///< a_0..a_n, stop last
    std::vector<std::vector<std::uint8_t>> masks; ///< the legal actions of s_0..s_n
    std::vector<double> logProbs;                 ///< log pi(a_t | s_t) at sampling
    std::vector<double> values;                   ///< V(s_t) at sampling
    ExprPtr formula;                              ///< the finished formula
};

/// What one update did (means over its minibatches, as SB3 logs them).
struct PpoUpdateStats {
    double loss = 0.0;              ///< policy + entropyCoef * (-entropy) + valueCoef * value
    double policyLoss = 0.0;        ///< clipped surrogate (negated)
    double valueLoss = 0.0;         ///< MSE to the GAE returns
    double entropy = 0.0;           ///< mean entropy of the masked policies
    double approxKl = 0.0;          ///< mean (ratio - 1) - log ratio
    double clipFraction = 0.0;      ///< share of states with |ratio - 1| > clip
    double explainedVariance = 0.0; ///< of the returns by the rollout's values
    int minibatches = 0;
};

/// The actor-critic and its optimiser. The search uses it; tests drive it with their own rewards.
/// Torch errors become Internal.
class PpoLearner {
public:
    /// Parameters and dropout masks come from the learner's own torch generator seeded with
    /// `seed`; `cuda` places the networks on the GPU. `vocabulary` must outlive the learner.
    PpoLearner(const TokenVocabulary& vocabulary, const PpoOptions& options, std::uint64_t seed, bool cuda = false);
    ~PpoLearner();
    PpoLearner(const PpoLearner&) = delete;
    PpoLearner& operator=(const PpoLearner&) = delete;

    /// Samples `count` episodes side by side under the current policy (one LSTM step per token for
    /// all of them, carrying its state); each episode's draws come from `rng` in turn.
    Result<std::vector<PpoEpisode>> sampleBatch(std::mt19937_64& rng, int count);
    /// One PPO update on a rollout: `rewards[e]` is episode e's reward, received at its last step.
    /// GAE advantages and returns from the values stored at sampling, then `epochs` passes over
    /// the rollout's states in minibatches shuffled with `rng`. Errors: InvalidArgument (shapes).
    Result<PpoUpdateStats> update(const std::vector<PpoEpisode>& episodes, const std::vector<double>& rewards,
                                  std::mt19937_64& rng);
    /// log pi of an action sequence (stop included) under the current policy (no dropout).
    Result<double> logProbability(const std::vector<int>& actions);
    /// V of the state reached by `actions` (stop excluded), no dropout.
    Result<double> value(const std::vector<int>& actions);
    std::string device() const;
    long long updates() const;
    long long gradientSteps() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// GAE(lambda) of one episode whose only reward, `reward`, comes with its last action: `values`
/// are V(s_0..s_n); the state after the last action is terminal (value 0). advantage_t =
/// sum_k (gamma lambda)^k delta_{t+k}, delta_t = r_t + gamma V(s_{t+1}) - V(s_t); return_t =
/// advantage_t + V(s_t).
void episodeAdvantages(const std::vector<double>& values, double reward, double gamma, double lambda,
                       std::vector<double>& advantages, std::vector<double>& returns);

/// The loss of one minibatch computed by the same torch code as the learner, in double precision,
/// on given logits (one row per state) and values, for checks against hand arithmetic.
struct PpoLossTerms {
    double loss = 0.0, policyLoss = 0.0, valueLoss = 0.0, entropy = 0.0, approxKl = 0.0, clipFraction = 0.0;
    std::vector<std::vector<double>> dLossDLogits; ///< per state and action
    std::vector<double> dLossDValues;              ///< per state
};

/// Advantages are normalised over the minibatch (mean, unbiased standard deviation + 1e-8) when it
/// holds more than one state. Errors: InvalidArgument (shapes).
Result<PpoLossTerms> ppoLossTerms(const std::vector<std::vector<double>>& logits,
                                  const std::vector<std::vector<std::uint8_t>>& masks, const std::vector<int>& actions,
                                  const std::vector<double>& oldLogProbs, const std::vector<double>& advantages,
                                  const std::vector<double>& returns, const std::vector<double>& values,
                                  const PpoOptions& options);

} // namespace alphascope

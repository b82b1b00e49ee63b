#pragma once
// The run API every search shares (ARCHITECTURE.md §4): a synchronous run that takes a config and
// a SearchFeedback (atomic cancel, throttled progress, periodic pool snapshots) and returns a
// SearchResult. Deterministic for a given seed on CPU.

#include "core/data/panel.h"
#include "core/data/split.h"
#include "core/eval/research_session.h"
#include "core/metrics/factor_report.h"
#include "core/pool/alpha_pool.h"
#include "core/search/grammar.h"
#include "core/util/feedback.h"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace alphascope {

enum class SearchAlgo { GFlowNet, Mcts, Genetic, Random, Ppo };
/// "gfn", "mcts", "gp", "random", "ppo".
std::string_view searchAlgoName(SearchAlgo algo);
std::optional<SearchAlgo> parseSearchAlgo(std::string_view name);

/// When a run stops: whichever limit comes first (0 = no limit). At least one must be set.
struct SearchBudget {
    long long evaluations = 2000; ///< full formula evaluations (FactorScorer::score calls that the
                                  ///< probe did not answer; see SearchConfig::precheck)
    long long episodes = 0;       ///< formulas built (GFN/random trajectories, MCTS simulations, GP individuals)
    double seconds = 0.0;         ///< wall time
};

/// GFlowNet (AlphaSAGE, ALGORITHMS.md §5).
struct GFlowNetOptions {
    enum class Encoder { Gnn, Lstm } encoder = Encoder::Gnn;
    int hidden = 128;
    int layers = 2;
    /// AlphaSAGE: 1e-4 and 64 episodes per step. At 1e-4 a 4,000-evaluation US run's formulas
    /// did not improve; 1e-3 with a step every 16 episodes (about 1,500 steps in 20,000
    /// evaluations instead of 300) is where their |IC| and the share of new top formulas first rose.
    double learningRate = 1e-3;
    int updateFrequency = 16; ///< episodes per optimiser step (gradient accumulation)
    double entropyCoef = 0.01;
    double entropyTemperature = 1.0;
    double forcedStopProb = 1.0; ///< p in "stop forced with probability p * len / maxTokens"
    double sslWeight = 1.0;      ///< initial w_ssl, decays linearly to 0
    double noveltyWeight = 0.3;  ///< initial w_nov, decays linearly to 0
    bool denseRewards = false;   ///< also reward complete sub-formulas on the stack
    double logZInit = 0.0;
    /// Before the first optimiser step log Z moves to the value that zeroes the first batch's mean
    /// trajectory-balance residual (log R - sum log PF, tens of nats), instead of climbing there
    /// at logZLearningRate per step. AlphaSAGE: no (log Z starts at 0).
    bool logZWarmStart = true;
    /// Adam's learning rate for log Z alone. AlphaSAGE uses one rate (1e-4) for everything, and log
    /// Z then moves about 1e-4 per step: after 470 steps of a 20,000-evaluation US run it was 0.05
    /// while log R - sum log PF was about 35, so the TB loss only pushed up the probability of
    /// whatever was sampled, whatever its reward (the mean reward fell over every run). GFlowNet
    /// practice (Malkin et al. 2022, torchgfn) gives log Z its own, larger rate.
    double logZLearningRate = 0.1;
    /// beta in the target distribution P(x) ~ R(x)^beta: trajectory balance learns beta * log R.
    /// AlphaSAGE uses R itself (beta = 1); gflownet.h says why a larger beta is not the default.
    double rewardExponent = 1.0;
    /// The IC term scaled by novelty: |IC| (1 - max |mutual corr| with the pool), as Alpha2's Perf,
    /// in place of AlphaSAGE's |IC| (the SSL and novelty terms are added as before). A formula that
    /// repeats a pool member then earns almost nothing, however high its IC.
    bool noveltyScaledIc = false;
    /// Off-policy exploration: at each step of a sampled trajectory, with this probability the
    /// action is drawn uniformly from the legal ones instead of from the policy (trajectory balance
    /// holds for any sampling distribution; GFlowNet practice, e.g. Malkin et al. 2022). AlphaSAGE: 0.
    double explorationEpsilon = 0.0;
    /// Reward-prioritised replay (Shen et al. 2023, "Towards understanding and improving GFlowNet
    /// training"): the run keeps its best distinct usable formulas (replayCapacity, by |IC|) and
    /// adds replayShare replayed trajectories per sampled one to the trajectory-balance loss, half
    /// drawn from the buffer's top tenth by reward and half from the rest, each with its reward
    /// recomputed under the weights of the moment. A formula's trajectory is unique (each state has
    /// one parent), so a replay needs no backward sampling and no evaluation. AlphaSAGE: 0.
    double replayShare = 0.0;
    int replayCapacity = 1000;
    /// A length prior: trajectory balance learns beta * log R - lengthPenalty * tokens, i.e. samples
    /// formula x in proportion to R(x)^beta e^(-lengthPenalty |x|) (|x| its reverse-Polish tokens,
    /// stop not counted); GFlowNets place a prior over objects this way. Without it the lengths
    /// follow the count of formulas, which grows by the grammar's branching factor b with each
    /// token, so sampling in proportion to a reward as flat as |IC| drifts to long formulas. The
    /// prior shortens them only above about log b: on the US data 2.5 still lets them grow, 3.2
    /// brings them to about 4 tokens, 4 collapses the sampler onto one or two (README). AlphaSAGE: 0.
    double lengthPenalty = 0.0;
    /// Local search (after Kim et al. 2024, "Local search GFlowNets"): this share of the episodes
    /// starts from one of the run's best formulas so far (the top tenth by reward of the formulas
    /// kept as for replay), removes its last K tokens (K uniform in 1..len - 1; the backward policy
    /// is "remove the last token", so backtracking is exact) and lets the policy complete the rest.
    /// The episode is learned from like a sampled one (trajectory balance holds for any sampling
    /// distribution), so the policy trains on the neighbourhood of the best formulas. AlphaSAGE: 0.
    double localSearchShare = 0.0;
    /// Genetic offspring (after Kim et al. 2024, "Genetic-guided GFlowNets for sample efficient
    /// molecular optimization"): this share of the episodes is not sampled but bred from the run's
    /// best formulas so far (parents drawn from the top tenth by reward of the formulas kept as for
    /// replay) by GP's operators with GP's probabilities (crossover with a second such parent,
    /// subtree, hoist or point mutation; reproduction left out), written in the policy's tokens,
    /// evaluated like any episode and learned from by trajectory balance as an off-policy sample
    /// (a formula's trajectory is unique). The offspring move any part of a formula, where local
    /// search only rewrites its end. AlphaSAGE: 0.
    double geneticShare = 0.0;
};

/// MCTS (Alpha2, ALGORITHMS.md §6).
struct MctsOptions {
    int simulationsPerMove = 64; ///< simulations from each root before an instruction is chosen
    int leafBatch = 16;          ///< simulations whose new formulas are evaluated together (1 = one at a time)
    double cBase = 20000.0;
    double cInit = 1.0;
    double dirichletAlpha = 0.1;
    double dirichletFraction = 0.25;
    int topK = 5;
    double beta = 0.5;      ///< value = beta * mean(top-k) + (1 - beta) * max(top-k)
    bool useNetwork = true; ///< policy/value network (LibTorch); false = uniform priors
    int hidden = 128;
    double learningRate = 2e-4;
    int batchSize = 64;
    int replayCapacity = 1000; ///< games kept for training
    int trainEvery = 4;        ///< games between training steps
    /// The share of the budget played at move temperature 1 (moves drawn in proportion to visit
    /// counts); the rest is halved between temperature 0.5 and 0.25, so the tree explores first and
    /// then exploits what it learned. Alpha2 anneals by game; tied to the budget here so that a run
    /// ends exploiting whatever its length.
    double exploreShare = 0.5;
};

/// Genetic programming (gplearn-style, ALGORITHMS.md §7).
struct GeneticOptions {
    int population = 1000;
    int tournament = 20;
    double crossover = 0.7;
    double subtreeMutation = 0.1;
    double hoistMutation = 0.05;
    double pointMutation = 0.1;
    double pointReplace = 0.05;
    double parsimony = 0.001; ///< fitness = |train IC| - parsimony * tokens
    int initDepthMin = 2;
    int initDepthMax = 4;
    int poolEvery = 1; ///< generations between offering the best to the pool
    int offerTop = 50; ///< best distinct individuals offered each time
};

/// Maskable PPO (AlphaGen's baseline, ALGORITHMS.md §7): an LSTM actor-critic over the token
/// environment, rewarded at the end of an episode with the linear pool's combined train IC after
/// the formula was offered. Defaults: AlphaGen's settings (LSTM 2 x 128, dropout 0.1, gamma 1,
/// entropy 0.01, minibatch 128) and Stable-Baselines3's PPO defaults for the rest.
struct PpoOptions {
    int hidden = 128;           ///< d_model: embedding and LSTM width
    int layers = 2;             ///< LSTM layers
    double dropout = 0.1;       ///< between LSTM layers, while training only
    double learningRate = 3e-4; ///< Adam (eps 1e-5)
    int rolloutSteps = 2048;    ///< actions collected before an update (SB3 n_steps; whole episodes here)
    int batchSize = 128;        ///< states per minibatch
    int epochs = 10;            ///< passes over each rollout
    double gamma = 1.0;
    double gaeLambda = 0.95;
    double clipRange = 0.2;
    double entropyCoef = 0.01;
    double valueCoef = 0.5;
    double maxGradNorm = 0.5;
};

/// Everything a run needs besides the data.
struct SearchConfig {
    SearchAlgo algo = SearchAlgo::Random;
    std::uint64_t seed = 0;
    SearchBudget budget;
    Grammar grammar; ///< empty operators = Grammar::defaults(data), plus GroupDemean, GroupRank and GroupZScore when
                     ///< groups are given
    std::optional<PoolKind> pool; ///< empty = the algorithm's own (Mining for GFN, Linear otherwise)
    PoolOptions poolOptions;
    bool preferCuda = true; ///< use CUDA when LibTorch has it
    /// Check each new formula on a sample of the market before its full evaluation (FactorProbe):
    /// a rejected formula is unusable at a few percent of an evaluation's cost and does not count
    /// against the evaluation budget; a run also stops after kMaxRejectionsPerEvaluation rejections
    /// per budgeted evaluation (a search that builds almost nothing usable).
    bool precheck = true;
    GFlowNetOptions gfn;
    MctsOptions mcts;
    GeneticOptions gp;
    PpoOptions ppo;
    double progressInterval = 0.25; ///< seconds between progress callbacks
    double snapshotInterval = 2.0;  ///< seconds between pool snapshots (and at every pool change
                                    ///< when it is older than that)
};

/// A progress report (throttled): the live monitor's figures at one moment.
struct SearchProgress {
    long long evaluations = 0;
    long long episodes = 0;
    double seconds = 0.0;              ///< wall time, paused time excluded
    double fraction = 0.0;             ///< of the tightest budget, 0..1
    double secondsLeft = -1.0;         ///< estimate from the rate so far; negative when unknown
    double evaluationsPerSecond = 0.0; ///< over the whole run so far
    int poolSize = 0;
    double poolIc = kNaNd;        ///< combined train IC of the pool
    double poolValidIc = kNaNd;   ///< the same weights on the validation split (NaN without one);
                                  ///< measured at snapshots only, the latest value is repeated
    double bestIc = kNaNd;        ///< best |train IC| of a single formula so far
    double meanAbsMutual = kNaNd; ///< pool diversity (mean |mutual corr| over member pairs)
    double rewardMean = kNaNd;    ///< mean reward of the episodes since the previous report
    double rewardBest = kNaNd;    ///< best reward of the episodes since the previous report
    double loss = kNaNd;          ///< the learner's latest training loss (GFN: TB loss; MCTS:
                                  ///< value + policy loss; PPO: clipped surrogate + value +
                                  ///< entropy terms); NaN for searches that do not train
    std::string lastFormula;
};

/// One member of a pool snapshot.
struct SnapshotMember {
    std::string formula;
    double weight = 0.0;
    double ic = kNaNd;      ///< train IC
    double rankIc = kNaNd;  ///< train Rank IC
    double validIc = kNaNd; ///< validation IC (NaN without a validation split)
    double validRankIc = kNaNd;
    double maxAbsCorr = kNaNd;          ///< largest |mutual corr| with the other members (train)
    double maxAbsCorrReference = kNaNd; ///< largest |corr| with SearchFeedback::referenceFactors
};

/// The pool at one moment.
struct PoolSnapshot {
    long long evaluations = 0;
    long long episodes = 0;
    double seconds = 0.0;
    double poolIc = kNaNd;      ///< combined train IC
    double poolValidIc = kNaNd; ///< combined validation IC, train weights
    double meanAbsMutual = kNaNd;
    std::vector<SnapshotMember> members;
};

/// How a run talks to its caller: the shared Feedback (cancel, pause, fraction with time left)
/// plus the search's own reports. Callbacks run on the search thread; keep them short.
class SearchFeedback : public Feedback {
public:
    std::function<void(const SearchProgress&)> onSearchProgress;
    std::function<void(const PoolSnapshot&)> onSnapshot;
    /// Factors each snapshot member is compared with (e.g. the project's library): filled by the
    /// caller before the run; SnapshotMember::maxAbsCorrReference is the largest |corr| on train.
    std::vector<PanelPtr> referenceFactors;
};

/// A formula and its weight in a combination.
struct WeightedFormula {
    std::string formula;
    double weight = 0.0;
};

/// One factor of the final pool, measured on every split.
struct PoolFactorReport {
    std::string formula;
    double weight = 0.0;
    std::vector<SplitMetrics> splits; ///< IC, Rank IC, ICIR, Rank ICIR, coverage per split
    /// The member's weight in the pool selected on valid (SearchResult::selected): 0 for a member
    /// left out, NaN when there is no selection (no validation split, or no member kept).
    double selectedWeight = kNaNd;
    /// The member's weight with the L1 strength chosen on valid (SearchResult::tuned); NaN when
    /// there is none.
    double tunedWeight = kNaNd;
};

/// The mean reward of one stretch of a run's episodes (SearchResult::rewardCurve).
struct RewardPoint {
    long long episodes = 0;    ///< episodes with a reported reward up to the end of the stretch
    long long evaluations = 0; ///< evaluations spent by then
    double meanReward = kNaNd; ///< over the stretch's episodes
};

/// What a run returns. A canceled run returns the pool found so far, measured the same way.
struct SearchResult {
    SearchConfig config;
    std::string device; ///< "CPU" or "CUDA (...)": where the networks ran
    bool canceled = false;
    std::string stopReason; ///< "evaluation budget", "episode budget", "time budget", "canceled", ...
    long long evaluations = 0;
    long long distinctFormulas = 0;
    long long failedEvaluations = 0;
    UnusableCounts unusable;  ///< failedEvaluations by reason
    long long rejections = 0; ///< formulas the pre-check answered (not in `evaluations`)
    UnusableCounts rejected;  ///< rejections by reason
    long long episodes = 0;
    double seconds = 0.0; ///< search wall time (without the final measurement)
    double evaluationsPerSecond = 0.0;
    PoolKind poolKind = PoolKind::Linear;
    std::vector<PoolFactorReport> pool;
    double meanAbsMutual = kNaNd;       ///< pool diversity on train
    std::vector<SplitMetrics> combined; ///< the weighted pool (weights fitted on train) per split
    std::vector<SplitMetrics> adaptive; ///< adaptive rolling OLS combination, valid and test splits
    /// Selection on valid: the members whose validation IC has the sign of their train IC,
    /// reweighted on train as if they were the pool (AlphaPool::weightsOf), per split (its valid
    /// figures are not out of sample: valid chose the members). Empty without a validation split
    /// or when no member holds its sign.
    std::vector<SplitMetrics> selected;
    int selectedMembers = 0;
    /// The linear pool's L1 strength chosen on valid: every member refitted on train at each L1 of
    /// kTunedL1Grid, the fit whose combined valid IC is highest kept (the smallest L1 on ties), per
    /// split (its valid figures are not out of sample). Empty without a validation split, for the
    /// mining pool, or when no fit has a finite valid IC.
    std::vector<SplitMetrics> tuned;
    double tunedL1 = kNaNd;
    /// Early stopping on valid: the pool as it was at each tenth of the budget (SearchRun's
    /// checkpoints) and at the end, measured like the combined pool with the weights it had then;
    /// the one with the highest combined valid IC is kept (the earliest on ties), per split (its
    /// valid figures are not out of sample). Empty without a validation split or a pool.
    std::vector<SplitMetrics> early;
    long long earlyEvaluations = 0;         ///< the evaluations spent when the pool was that one
    std::vector<WeightedFormula> earlyPool; ///< that pool's formulas and weights (empty with `early`)
    std::vector<PoolSnapshot> history;      ///< the snapshots sent during the run
    /// The learning curve of the algorithm's own reward: the episodes with a finite reward cut in
    /// kRewardCurvePoints equal stretches in order (fewer when there are fewer episodes), each
    /// with its mean reward. The first and last tenth of a run are the first and last
    /// kRewardCurvePoints / 10 stretches.
    std::vector<RewardPoint> rewardCurve;
    /// The same measure for every search: the mean |train IC| of the formulas it evaluated (0 for
    /// one that is unusable or refused; pre-check rejections are not evaluations), over
    /// kRewardCurvePoints equal stretches of its evaluations (RewardPoint::episodes counts
    /// evaluations here). It rises when a search spends its evaluations on better formulas.
    std::vector<RewardPoint> icCurve;
    /// The share of evaluations that found a new formula of the run's top tenth: a formula evaluated
    /// for the first time in the run whose |train IC| is at least the 90th percentile over the
    /// run's distinct usable formulas; over the same stretches as icCurve. A search that learns
    /// where good formulas are finds more of them late than early; one that repeats itself, fewer.
    std::vector<RewardPoint> topCurve;
    SearchProgress lastProgress;    ///< the monitor's figures at the end
    std::vector<std::string> notes; ///< e.g. "pool empty: no formula had a defined IC"
    /// Named figures a search measures about itself (e.g. "mcts.value_corr_second_half",
    /// "gfn.log_z"), in the order added; the study averages them over seeds.
    std::vector<std::pair<std::string, double>> diagnostics;
};

/// The shared state of one run: data, scorer, pool, budget, random numbers and feedback. Every
/// algorithm goes through it, so that budgets, counting and reporting mean the same for all.
class SearchRun {
public:
    /// `session` supplies evaluator, target and splits; trainingSplit() is the training range. The
    /// scorer evaluates on the session's market cut after the training range (its values there are
    /// the whole market's), so ScoredFactor::values ends with training; members' later days are
    /// evaluated on the whole market when snapshots and finish() need them.
    SearchRun(std::shared_ptr<const ResearchSession> session, SearchConfig config, SearchFeedback& feedback);

    const ResearchSession& session() const { return *m_session; }
    const SearchConfig& config() const { return m_config; }
    const Grammar& grammar() const { return m_config.grammar; }
    FactorScorer& scorer() { return m_scorer; }
    AlphaPool& pool() { return *m_pool; }
    std::mt19937_64& rng() { return m_rng; }
    SearchFeedback& feedback() { return m_feedback; }

    /// Stretches of SearchResult::rewardCurve.
    static constexpr int kRewardCurvePoints = 50;
    /// The L1 strengths SearchResult::tuned chooses from (AlphaGen's 5e-3 among them; 0 is the
    /// closed form).
    static constexpr std::array<double, 7> kTunedL1Grid{0.0, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2};
    /// Largest batch an algorithm gives evaluateBatch(): enough to keep every core busy.
    static constexpr int kBatch = 16;
    /// Pre-check rejections per budgeted evaluation after which a run stops.
    static constexpr int kMaxRejectionsPerEvaluation = 4;

    /// Scores one formula (one unit of the evaluation budget) and updates progress. Returns the
    /// error for a formula the evaluator refuses (counted as a failed evaluation).
    Result<ScoredFactor> evaluate(const ExprPtr& expr);
    /// evaluate() for each formula in order, their evaluations running in parallel: the results,
    /// counts and memory of recent results are those of calling evaluate() on each in turn.
    std::vector<Result<ScoredFactor>> evaluateBatch(const std::vector<ExprPtr>& exprs);
    /// shouldStop() as it would answer after `evaluations` more evaluations and `episodes` more
    /// episodes (an algorithm that collects a batch checks this before adding to it).
    bool stopsAfter(long long evaluations, long long episodes);
    /// Tells the pool that these results (of one evaluateBatch) are about to be offered in order:
    /// their mutual correlations with the members are measured together (AlphaPool::prepareOffers).
    /// Only worth it when most usable results are offered soon after.
    void prepareOffers(const std::vector<Result<ScoredFactor>>& scored);
    /// Offers a usable factor to the pool; sends a snapshot when the pool changed.
    AdmitResult offer(const ScoredFactor& factor);
    /// Counts one episode (a built formula / simulation / individual).
    void endEpisode();
    /// The reward an episode earned (the algorithm's own reward); the monitor shows the mean and
    /// best per report window.
    void reportReward(double reward);
    /// The learner's latest training loss (GFN: trajectory-balance loss; MCTS: value + policy loss).
    void reportLoss(double loss);
    /// True when a budget is used up or the run was canceled; the algorithm then returns.
    bool shouldStop();
    /// Fraction of the tightest budget used, 0..1.
    double fraction() const;
    /// fraction() as it was (negative) or will be with `evaluations` and `episodes` more.
    double fractionAfter(long long evaluations, long long episodes) const;
    /// Seconds since the run started, paused time excluded.
    double elapsed() const;
    long long episodes() const { return m_episodes; }
    /// Sets the device description recorded in the result (networks call it).
    void setDevice(std::string device) { m_device = std::move(device); }
    void addNote(std::string note) { m_notes.push_back(std::move(note)); }
    void addDiagnostic(std::string name, double value) { m_diagnostics.emplace_back(std::move(name), value); }
    /// Adds name + "_first_tenth" and name + "_last_tenth": the means of the first and the last
    /// tenth of `values` (at least one value each); nothing when `values` is empty.
    void addTenthsDiagnostic(const std::string& name, const std::vector<double>& values);

    /// Measures the pool on every split (per factor, weighted combination, adaptive combination)
    /// and assembles the result. Called once, after the algorithm returned.
    Result<SearchResult> finish();

    /// The pool at one moment of the run: its formulas and weights (SearchResult::early).
    struct Checkpoint {
        long long evaluations = 0;
        std::vector<ExprPtr> exprs;
        std::vector<std::string> formulas;
        std::vector<double> weights;
    };
    /// Checkpoints per run: the pool is kept at each 1/kCheckpoints of the budget (fraction()),
    /// taken at the first shouldStop() past it, so a run's checkpoints are the same for a seed.
    static constexpr int kCheckpoints = 10;
    const std::vector<Checkpoint>& checkpoints() const { return m_checkpoints; }

private:
    /// Validation and reference-correlation figures of a member, measured once per formula.
    struct MemberExtras {
        double rankIc = kNaNd, validIc = kNaNd, validRankIc = kNaNd, maxAbsCorrReference = kNaNd;
    };
    void maybeReport(bool force);
    void sendSnapshot();
    SearchProgress progress();
    const MemberExtras& extrasOf(const PoolMember& member);
    double poolValidIc();
    /// A scored factor's values over the whole calendar: its own when the scorer's evaluator holds
    /// the whole market, else evaluated once per formula (m_wholeEvaluator) while it is a member.
    Result<PanelPtr> fullValues(const ScoredFactor& factor);
    /// The same for any formula (a former member's, for SearchResult::early).
    Result<PanelPtr> fullValues(const ExprPtr& expr, const std::string& formula);
    /// Keeps the pool as a checkpoint for each tenth of the budget passed since the last call.
    void recordCheckpoints();
    Checkpoint checkpointNow() const;
    std::vector<Checkpoint> m_checkpoints;

    std::shared_ptr<const ResearchSession> m_session;
    SearchConfig m_config;
    SearchFeedback& m_feedback;
    FactorScorer m_scorer;
    std::unique_ptr<AlphaPool> m_pool;
    std::mt19937_64 m_rng;
    const Split* m_valid = nullptr;
    double m_clockOffset = 0.0;            ///< the feedback's elapsed() when the run started
    CacheStats m_cacheAtStart;             ///< the evaluator's cache counters when the run began
    PanelMemoryStats m_panelMemoryAtStart; ///< the panel allocator's counters when the run began
    double m_lastProgress = -1e9;
    double m_lastSnapshot = -1e9;
    bool m_poolChanged = false;
    long long m_episodes = 0;
    double m_bestIc = kNaNd;
    double m_poolValidIc = kNaNd;                   ///< at the last snapshot
    double m_rewardSum = 0.0, m_rewardBest = kNaNd; ///< since the last progress report
    long long m_rewardCount = 0;
    double m_lastRewardMean = kNaNd, m_lastRewardBest = kNaNd;
    /// Every finite reward reported, with the evaluations spent when it came (for rewardCurve).
    std::vector<std::pair<float, long long>> m_rewards;
    /// |train IC| (0 when unusable) of every full evaluation, with the evaluations then (icCurve).
    std::vector<std::pair<float, long long>> m_evaluatedIcs;
    std::vector<bool> m_evaluatedNew;                 ///< per m_evaluatedIcs entry: first time in the run (topCurve)
    std::unordered_set<std::uint64_t> m_seenFormulas; ///< structural hashes evaluated so far
    void recordEvaluated(const Result<ScoredFactor>& r);
    double m_loss = kNaNd;
    std::string m_lastFormula;
    std::string m_stopReason;
    std::string m_device = "CPU";
    std::unordered_map<std::string, MemberExtras> m_extras;
    std::unordered_map<std::string, PanelPtr> m_fullValues; ///< fullValues() of the members, by formula
    /// Evaluates members over the whole calendar (fullValues), made on first use: no cache, the
    /// members share little.
    std::shared_ptr<const Evaluator> m_wholeEvaluator;
    std::vector<PoolSnapshot> m_history;
    std::vector<std::string> m_notes;
    std::vector<std::pair<std::string, double>> m_diagnostics;
    SearchProgress m_lastProgressReport;
};

/// Rewards (each with the evaluations spent when it came), in order, cut in min(points, n) stretches
/// of n * i / k .. n * (i + 1) / k: each stretch's mean reward, and the episodes and evaluations at
/// its end. Empty for no rewards or points < 1.
std::vector<RewardPoint> rewardCurve(const std::vector<std::pair<float, long long>>& rewards, int points);
/// SearchResult::topCurve from every evaluation's |train IC| (0 when unusable) with the evaluations
/// then, and whether it was the formula's first evaluation in the run.
std::vector<RewardPoint> topShareCurve(const std::vector<std::pair<float, long long>>& ics,
                                       const std::vector<bool>& isNew, int points);

/// Default pool capacity: 50 for AlphaSAGE's mining pool, 20 for AlphaGen's linear pool.
int defaultPoolCapacity(PoolKind kind);
/// The pool an algorithm fills unless told otherwise: mining for the GFlowNet, linear otherwise.
PoolKind defaultPoolKind(SearchAlgo algo);
/// A config with every default for `algo` (pool kind and capacity included).
SearchConfig defaultSearchConfig(SearchAlgo algo);

/// The one validation of a config that the GUI form, the CLI and runSearch use: every field in its
/// range, the algorithm available in this build, the grammar valid for the session's data, the
/// session with a training split. Errors: InvalidArgument whose `where` is the field's key in the
/// config JSON ("gfn.learning_rate", "budget", "grammar", ...). `session` may be null (no data
/// checks).
Result<void> validate(const SearchConfig& config, const ResearchSession* session);

/// Runs one search to completion (or cancel) and measures its pool, dispatching through the
/// algorithm registry (core/search/search_registry.h; the GFlowNet needs alphascope_nn linked).
/// Synchronous: call it off the GUI thread. Errors: InvalidArgument (validate()), evaluation
/// errors of the data.
Result<SearchResult> runSearch(std::shared_ptr<const ResearchSession> session, const SearchConfig& config,
                               SearchFeedback& feedback);

} // namespace alphascope

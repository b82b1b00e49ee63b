#include "core/nn/gflownet.h"

#include "core/nn/device.h"
#include "core/search/genetic_search.h"
#include "core/util/random.h"

#include <algorithm>
#include <cmath>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>

// The GFlowNet search loop (no torch here: the networks are behind GFlowNetLearner): sample one
// trajectory per episode, score the formula, reward R = max(|IC| + w_ssl SSL + w_nov NOV, e^-10),
// offer it to the pool, accumulate the TB loss and take an Adam step every updateFrequency episodes.

namespace alphascope {

namespace {

constexpr double kLogMinReward = -10.0; // log of AlphaSAGE's reward floor e^-10

/// The components of one formula's reward (the weights are applied when it is used).
struct RewardParts {
    int tokens = 0; ///< the formula's length in tokens (for the length prior)
    bool usable = false;
    double ic = kNaNd;
    double ssl = 0.0;
    double novelty = 0.0;
};

/// Mean over days of the mean squared difference of two z-scored slices (cells finite in both).
/// Each day's sum runs over its cells in order and the days are averaged in order, as one loop per
/// day would; but four days at a time, as four independent chains of adds: one chain waited on each
/// add's latency, and this ran for about 8 % of a GFlowNet run on the US data (SSL against the 3
/// nearest members of every usable formula). The same bits.
double perDayMse(const TrainSlice& a, const TrainSlice& b, const TrainLayout& layout) {
    if (a.z.size() != layout.cells() || b.z.size() != layout.cells()) return kNaNd;
    double sum = 0.0;
    int counted = 0;
    // Day k's sum of squared differences from cell `from` on, added to s in order; then the day's
    // mean into the average.
    const auto finishDay = [&](int k, int from, double s) {
        const int n = layout.dayCells(k);
        const float* x = a.z.data() + layout.dayBegin(k);
        const float* y = b.z.data() + layout.dayBegin(k);
        for (int i = from; i < n; ++i) {
            const double d = double(x[i]) - double(y[i]);
            s += d * d;
        }
        if (n == 0) return;
        sum += s / n;
        ++counted;
    };
    // Four days at a time in named variables (with arrays GCC kept the sums in memory), over the
    // cells all four have; each finishes its own.
    const auto day = [&](const TrainSlice& t, int k) { return t.z.data() + layout.dayBegin(k); };
    const int days = layout.days();
    int k = 0;
    for (; k + 4 <= days; k += 4) {
        const float *x0 = day(a, k), *x1 = day(a, k + 1), *x2 = day(a, k + 2), *x3 = day(a, k + 3);
        const float *y0 = day(b, k), *y1 = day(b, k + 1), *y2 = day(b, k + 2), *y3 = day(b, k + 3);
        const int common = std::min(std::min(layout.dayCells(k), layout.dayCells(k + 1)),
                                    std::min(layout.dayCells(k + 2), layout.dayCells(k + 3)));
        double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
        for (int i = 0; i < common; ++i) {
            const double d0 = double(x0[i]) - double(y0[i]), d1 = double(x1[i]) - double(y1[i]);
            const double d2 = double(x2[i]) - double(y2[i]), d3 = double(x3[i]) - double(y3[i]);
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        finishDay(k, common, s0);
        finishDay(k + 1, common, s1);
        finishDay(k + 2, common, s2);
        finishDay(k + 3, common, s3);
    }
    for (; k < days; ++k) finishDay(k, 0, 0.0);
    return counted > 0 ? sum / counted : kNaNd;
}

Result<void> checkOptions(const GFlowNetOptions& o) {
    const auto bad = [](std::string what) { return makeError(ErrorCode::InvalidArgument, "GFlowNet: " + what); };
    if (o.hidden < 1) return bad("hidden must be >= 1");
    if (o.layers < 1) return bad("layers must be >= 1");
    if (!(o.learningRate > 0.0) || !std::isfinite(o.learningRate)) return bad("learning rate must be > 0");
    if (!(o.logZLearningRate > 0.0) || !std::isfinite(o.logZLearningRate))
        return bad("log Z's learning rate must be > 0");
    if (o.updateFrequency < 1) return bad("update frequency must be >= 1");
    if (!(o.rewardExponent > 0.0) || !std::isfinite(o.rewardExponent)) return bad("the reward exponent must be > 0");
    if (!(o.entropyTemperature > 0.0)) return bad("entropy temperature must be > 0");
    if (!(o.forcedStopProb >= 0.0)) return bad("forced stop probability must be >= 0");
    if (o.geneticShare > 0.0 && o.denseRewards)
        return bad("genetic offspring do not go with dense rewards (an offspring has no sampled states to score)");
    if (!std::isfinite(o.logZInit) || !std::isfinite(o.entropyCoef))
        return bad("log Z init and entropy coef must be finite");
    return {};
}

/// One GFlowNet run: the learner, the embeddings of the pool members (for SSL) and the memo of
/// dense sub-formula rewards.
class GfnSearch {
public:
    GfnSearch(SearchRun& run, const TokenVocabulary& vocabulary, GFlowNetLearner& learner)
        : m_run(run), m_options(run.config().gfn), m_vocabulary(vocabulary), m_learner(learner) {
        if (m_options.geneticShare > 0.0) m_genetic.emplace(run.grammar(), run.rng());
    }

    /// A batch whose loss pass runs on another thread while the next batch is sampled, evaluated
    /// and offered: the policy changes only at an optimiser step, so the next batch's sampling
    /// does not wait for this batch's gradients unless a step comes between them. The batch's
    /// data lives here until the pass is done (the future is declared last: destroyed first, it
    /// waits for the pass).
    struct LossPass {
        std::vector<GFlowNetEpisode> episodes;
        std::vector<GFlowNetEpisode> replayed; ///< trajectories of earlier formulas (replayShare)
        std::vector<const GFlowNetEpisode*> learned;
        std::vector<double> logRewards;
        std::vector<std::vector<std::pair<int, double>>> partialTerminals;
        /// The network's passes over the batch's states, begun before its rewards are known.
        std::future<Result<std::shared_ptr<GFlowNetPrepared>>> prepared;
        std::future<Result<std::vector<double>>> losses;
    };

    Result<void> loop() {
        int pending = 0;      // episodes whose losses were accumulated (or are being) since the last step
        double lossSum = 0.0; // finite episode losses since the last optimiser step
        int lossCount = 0;
        std::unique_ptr<LossPass> running; // a loss pass not yet joined
        // Waits for the running loss pass, if any, and counts its losses (in batch order).
        const auto join = [&]() -> Result<void> {
            if (!running) return {};
            auto losses = running->losses.get();
            running.reset();
            if (!losses) return losses.error();
            for (double loss : *losses) {
                if (std::isfinite(loss)) {
                    lossSum += loss;
                    ++lossCount;
                } else {
                    ++m_skipped;
                }
            }
            return {};
        };
        std::vector<GFlowNetEpisode> episodes;
        std::vector<ExprPtr> formulas;
        while (!m_run.shouldStop()) {
            // The policy changes only at an optimiser step, so the episodes up to the next step are
            // sampled together (one network pass per step for all of them) and their formulas
            // evaluated in parallel; rewards and pool offers then go episode by episode, in order,
            // and the batch's losses are added in one pass.
            // Dense rewards score sub-formulas between episodes: those runs go one at a time.
            const int batch =
                m_options.denseRewards ? 1 : std::min(SearchRun::kBatch, m_options.updateFrequency - pending);
            episodes.clear();
            formulas.clear();
            // One encoder pass per step for the whole batch; the episodes the budget leaves no room
            // for are dropped (the run ends with them).
            // Genetic offspring first (their draws come before the sampled episodes'), then the
            // rest of the batch from the policy.
            std::vector<double> offspringParentLogR;
            auto offspring = breedOffspring(batch, offspringParentLogR);
            if (!offspring) return offspring.error();
            const int sampledCount = batch - static_cast<int>(offspring->size());
            std::vector<double> parentLogR; // a local-search episode's parent's beta * log R (NaN: sampled)
            auto sampled = sampledCount == 0 ? Result<std::vector<GFlowNetEpisode>>(std::vector<GFlowNetEpisode>{})
                           : m_options.localSearchShare > 0.0
                               ? m_learner.sampleFrom(m_run.rng(), localSearchPrefixes(sampledCount, parentLogR))
                               : m_learner.sampleBatch(m_run.rng(), sampledCount);
            if (!sampled) return sampled.error();
            parentLogR.resize(sampled->size(), kNaNd);
            std::vector<bool> bred(sampled->size(), false); // an offspring, not a policy sample
            for (std::size_t k = 0; k < offspring->size(); ++k) {
                sampled->push_back(std::move((*offspring)[k]));
                parentLogR.push_back(offspringParentLogR[k]);
                bred.push_back(true);
            }
            for (GFlowNetEpisode& episode : *sampled) {
                if (m_run.stopsAfter(static_cast<long long>(formulas.size()), static_cast<long long>(episodes.size())))
                    break;
                if (episode.formula) formulas.push_back(episode.formula);
                episodes.push_back(std::move(episode));
            }
            if (episodes.empty()) break;
            // Everything of the batch's losses but the rewards (the network's passes over its
            // states) starts now on another thread, beside the evaluations and the offers. Not
            // with dense rewards (one episode at a time, scored between) or replays (drawn after
            // the offers, they share the batch's forward pass).
            auto pass = std::make_unique<LossPass>();
            pass->episodes = std::move(episodes); // the episodes stay where they are (the buffer moves)
            episodes = {};
            const bool early = !m_options.denseRewards && m_options.replayShare <= 0.0;
            if (early) {
                for (const GFlowNetEpisode& episode : pass->episodes) pass->learned.push_back(&episode);
                LossPass* p = pass.get();
                pass->prepared =
                    std::async(std::launch::async, [this, p] { return m_learner.prepareBatch(p->learned); });
            }
            const std::vector<GFlowNetEpisode>& batchEpisodes = pass->episodes;
            std::vector<Result<ScoredFactor>> scored;
            if (!m_options.denseRewards) {
                scored = m_run.evaluateBatch(formulas);
                m_run.prepareOffers(scored); // every usable one is offered below, in order
            }
            std::size_t next = 0; // the next formula's result in `scored`
            std::vector<const GFlowNetEpisode*> learned;
            std::vector<double> logRewards;
            std::vector<std::vector<std::pair<int, double>>> partialTerminals;
            for (std::size_t k = 0; k < batchEpisodes.size(); ++k) {
                const GFlowNetEpisode& episode = batchEpisodes[k];
                // The weights' decay follows the run as it was when this episode was built.
                const double f =
                    m_run.fractionAfter(-static_cast<long long>(formulas.size() - next) * !m_options.denseRewards, 0);
                m_wSsl = linearDecay(m_options.sslWeight, f);
                m_wNov = linearDecay(m_options.noveltyWeight, f);

                std::vector<std::pair<int, double>> partials;
                if (m_options.denseRewards) {
                    denseRewards(episode, partials);
                    if (m_run.shouldStop()) break; // dense scoring may have used the last evaluations
                }

                RewardParts parts;
                if (episode.formula) {
                    if (m_options.denseRewards) {
                        parts = scoreAndOffer(episode.formula, episode.embeddings.back());
                    } else {
                        parts = offerScored(scored[next], episode.embeddings.back());
                        ++next;
                    }
                }
                parts.tokens = static_cast<int>(episode.actions.size()) - 1; // stop not counted
                const double logR = logReward(parts);
                // R itself, for every beta and without the length prior
                m_run.reportReward(
                    std::exp((logR + m_options.lengthPenalty * parts.tokens) / m_options.rewardExponent));
                m_run.endEpisode();
                if (k < parentLogR.size() && std::isfinite(parentLogR[k])) {
                    ++(bred[k] ? m_bred : m_localSearched);
                    if (logR > parentLogR[k]) ++(bred[k] ? m_bredImproved : m_localImproved);
                }
                if (parts.usable) remember(episode, parts);
                if (episode.formula) m_tokens.push_back(parts.tokens);
                if (!early) learned.push_back(&episode);
                logRewards.push_back(logR);
                partialTerminals.push_back(std::move(partials));
            }
            // The batch's losses in one forward and one backward pass (the batch never crosses an
            // optimiser step, so this is the gradient the episodes added one by one), on another
            // thread while the next batch is built (its forward pass, begun above, ends first);
            // the previous pass ends first, so the passes add to the gradients in batch order.
            // Before a step, or with dense rewards (their scoring reads the policy between
            // episodes), it is waited for at once.
            if (auto joined = join(); !joined) return joined.error();
            if (!early) pass->learned = std::move(learned);
            pass->logRewards = std::move(logRewards);
            pass->partialTerminals = std::move(partialTerminals);
            if (auto replays = drawReplays(pass->learned.size()); !replays) {
                return replays.error();
            } else {
                pass->replayed = std::move(replays->first);
                for (std::size_t r = 0; r < pass->replayed.size(); ++r) {
                    pass->learned.push_back(&pass->replayed[r]);
                    pass->logRewards.push_back(replays->second[r]);
                    pass->partialTerminals.emplace_back();
                }
            }
            LossPass* p = pass.get();
            pass->losses = std::async(std::launch::async, [this, p]() -> Result<std::vector<double>> {
                if (!p->prepared.valid())
                    return m_learner.accumulateBatch(p->learned, p->logRewards, p->partialTerminals);
                auto prepared = p->prepared.get();
                if (!prepared) return prepared.error();
                return m_learner.accumulatePrepared(**prepared, p->logRewards, p->partialTerminals);
            });
            running = std::move(pass);
            pending += static_cast<int>(running->learned.size());
            if (pending >= m_options.updateFrequency || m_options.denseRewards)
                if (auto joined = join(); !joined) return joined.error();
            if (pending >= m_options.updateFrequency) {
                if (auto st = m_learner.step(); !st) return st.error();
                // The monitor's loss: the mean TB loss of the episodes this step learned from.
                if (lossCount > 0) {
                    m_run.reportLoss(lossSum / static_cast<double>(lossCount));
                    m_stepLosses.push_back(lossSum / static_cast<double>(lossCount));
                }
                pending = 0;
                lossSum = 0.0;
                lossCount = 0;
            }
        }
        if (auto joined = join(); !joined) return joined.error();
        std::string note = "GFlowNet: " + std::to_string(m_learner.steps()) + " optimiser steps, log Z " +
                           std::to_string(m_learner.logZ());
        if (m_options.denseRewards) note += ", " + std::to_string(m_denseScored) + " sub-formulas scored (dense)";
        if (m_skipped > 0) note += ", " + std::to_string(m_skipped) + " non-finite losses skipped";
        if (m_options.replayShare > 0.0) {
            note += ", " + std::to_string(m_replayedCount) + " trajectories replayed from " +
                    std::to_string(m_replay.size()) + " kept formulas";
            m_run.addDiagnostic("gfn.replayed", double(m_replayedCount));
        }
        if (m_options.localSearchShare > 0.0) {
            note += ", " + std::to_string(m_localSearched) + " episodes completed a best formula's prefix (" +
                    std::to_string(m_localImproved) + " beat it)";
            m_run.addDiagnostic("gfn.local_searched", double(m_localSearched));
            m_run.addDiagnostic("gfn.local_improved", double(m_localImproved));
        }
        if (m_options.geneticShare > 0.0) {
            note += ", " + std::to_string(m_bred) + " episodes bred from the best formulas (" +
                    std::to_string(m_bredImproved) + " beat their first parent)";
            m_run.addDiagnostic("gfn.genetic", double(m_bred));
            m_run.addDiagnostic("gfn.genetic_improved", double(m_bredImproved));
        }
        m_run.addNote(note);
        m_run.addDiagnostic("gfn.optimiser_steps", double(m_learner.steps()));
        m_run.addDiagnostic("gfn.log_z", m_learner.logZ());
        m_run.addTenthsDiagnostic("gfn.tokens", m_tokens);      // the sampled formulas' length, by episode
        m_run.addTenthsDiagnostic("gfn.tb_loss", m_stepLosses); // the TB loss, by optimiser step
        return {};
    }

private:
    /// beta * log R: the log of the reward trajectory balance learns.
    /// The length prior's -lengthPenalty * tokens is added to it (unusable formulas too).
    double logReward(const RewardParts& p) const {
        const double prior = -m_options.lengthPenalty * p.tokens;
        if (!p.usable) return m_options.rewardExponent * kLogMinReward + prior;
        return m_options.rewardExponent *
                   std::log(gflownetReward(p.ic, p.ssl, p.novelty, m_wSsl, m_wNov, m_options.noveltyScaledIc)) +
               prior;
    }

    /// One formula of the replay buffer: its actions and the reward parts it was scored with.
    struct Replayable {
        std::vector<int> actions;
        RewardParts parts;
        std::string formula;
        ExprPtr expr;
    };

    /// Keeps a usable formula for replay (once per distinct formula); a full buffer gives up its
    /// lowest |IC| for a higher one.
    void remember(const GFlowNetEpisode& episode, const RewardParts& parts) {
        if ((m_options.replayShare <= 0.0 && m_options.localSearchShare <= 0.0 && m_options.geneticShare <= 0.0) ||
            !episode.formula || !std::isfinite(parts.ic))
            return;
        std::string text = episode.formula->toString();
        if (m_inReplay.count(text)) return;
        Replayable item{episode.actions, parts, text, episode.formula};
        if (static_cast<int>(m_replay.size()) < m_options.replayCapacity) {
            m_replay.push_back(std::move(item));
        } else {
            std::size_t lowest = 0;
            for (std::size_t k = 1; k < m_replay.size(); ++k)
                if (std::fabs(m_replay[k].parts.ic) < std::fabs(m_replay[lowest].parts.ic)) lowest = k;
            if (!(std::fabs(parts.ic) > std::fabs(m_replay[lowest].parts.ic))) return;
            m_inReplay.erase(m_replay[lowest].formula);
            m_replay[lowest] = std::move(item);
        }
        m_inReplay.insert(std::move(text));
    }

    /// The kept formulas' indices by beta * log R under today's weights, best first (ties in
    /// buffer order), those rewards, and the size of the top tenth. The rewards include the length
    /// prior's -lengthPenalty * tokens, as trajectory balance learns them, so with a prior the
    /// shortest good formulas come first (ranking without the prior was tried for local search and
    /// the offspring's parents and found fewer planted formulas on average,
    /// docs/gfn-options/recovery3-genetic-screens.md).
    struct Ranked {
        std::vector<std::size_t> order;
        std::vector<double> logRewards;
        std::size_t top = 1; ///< the size of the top tenth (at least 1)
    };
    Ranked rankedKept() const {
        Ranked r;
        r.logRewards.resize(m_replay.size());
        for (std::size_t k = 0; k < m_replay.size(); ++k) r.logRewards[k] = logReward(m_replay[k].parts);
        r.order.resize(m_replay.size());
        for (std::size_t k = 0; k < r.order.size(); ++k) r.order[k] = k;
        std::stable_sort(r.order.begin(), r.order.end(),
                         [&](std::size_t a, std::size_t b) { return r.logRewards[a] > r.logRewards[b]; });
        r.top = std::max<std::size_t>(1, r.order.size() / 10);
        return r;
    }

    /// The whole items owed once `share` per unit of `units` is added to `owed` (the fraction is
    /// carried over to the next call).
    static int takeOwed(double& owed, double share, std::size_t units) {
        owed += share * static_cast<double>(units);
        const auto count = static_cast<int>(std::floor(owed));
        owed -= count;
        return count;
    }

    /// The prefixes of a batch of `batch` episodes (GFlowNetOptions::localSearchShare): with that
    /// probability an episode starts from a formula drawn from the top tenth of the kept ones, less
    /// its last K tokens (K uniform in 1..len - 1; a one-token formula is not used), else it is
    /// sampled whole (empty prefix). parentLogR gets each parent's beta * log R (NaN: none).
    std::vector<std::vector<int>> localSearchPrefixes(int batch, std::vector<double>& parentLogR) {
        std::vector<std::vector<int>> prefixes(static_cast<std::size_t>(batch));
        parentLogR.assign(prefixes.size(), kNaNd);
        if (m_replay.empty()) return prefixes;
        const auto [order, logRewards, top] = rankedKept();
        auto& rng = m_run.rng();
        for (std::size_t b = 0; b < prefixes.size(); ++b) {
            if (!(uniform01(rng) < m_options.localSearchShare)) continue;
            const std::size_t k = order[static_cast<std::size_t>(rng() % top)];
            const std::vector<int>& actions = m_replay[k].actions; // stop last
            const auto tokens = static_cast<int>(actions.size()) - 1;
            if (tokens < 2) continue;
            const int cut = 1 + static_cast<int>(rng() % static_cast<std::uint64_t>(tokens - 1)); // tokens removed
            prefixes[b].assign(actions.begin(), actions.begin() + (tokens - cut));
            parentLogR[b] = logRewards[k];
        }
        return prefixes;
    }

    /// The genetic offspring of a batch of `batch` episodes (GFlowNetOptions::geneticShare): that
    /// share of the batch (fractions carried over), each bred from a parent drawn uniformly from the
    /// top tenth of the kept formulas by GP's operators with GP's probabilities less reproduction
    /// (a crossover's donor drawn the same way), as the trajectory of its reverse-Polish tokens with
    /// the embedding of its last state (for SSL). A child that is its parent, already kept, outside
    /// the policy's masks or vocabulary (tokenize() refuses it) is bred again, up to 16 times, then
    /// left to the policy. parentLogR gets each first parent's beta * log R.
    Result<std::vector<GFlowNetEpisode>> breedOffspring(int batch, std::vector<double>& parentLogR) {
        std::vector<GFlowNetEpisode> out;
        parentLogR.clear();
        if (!m_genetic || !m_genetic->usable() || m_replay.empty()) return out;
        const int count = takeOwed(m_geneticOwed, m_options.geneticShare, static_cast<std::size_t>(batch));
        if (count == 0) return out;
        const auto [order, logRewards, top] = rankedKept();
        const GeneticOptions& gp = m_run.config().gp;
        const double breeding = gp.crossover + gp.subtreeMutation + gp.hoistMutation + gp.pointMutation;
        auto& rng = m_run.rng();
        const auto parent = [&]() { return order[static_cast<std::size_t>(uniformInt(rng, top))]; };
        for (int c = 0; c < count; ++c) {
            for (int attempt = 0; attempt < 16; ++attempt) {
                const std::size_t k = parent();
                const ExprPtr& p = m_replay[k].expr;
                const ExprPtr child = breeding > 0.0 ? vary(*m_genetic, gp, p, uniform01(rng) * breeding,
                                                            [&] { return m_replay[parent()].expr; })
                                                     : m_genetic->hoistMutation(p);
                if (!child || child->equals(*p)) continue;
                std::string text = child->toString();
                if (m_inReplay.count(text)) continue;
                auto actions = tokenize(*child, m_vocabulary);
                if (!actions) continue;
                auto episode = m_learner.replay(*actions);
                if (!episode) continue;
                std::vector<int> state(actions->begin(), actions->end() - 1); // stop excluded
                auto embedding = m_learner.embed(state);
                if (!embedding) return embedding.error();
                episode->embeddings.push_back(std::move(*embedding));
                out.push_back(std::move(*episode));
                parentLogR.push_back(logRewards[k]);
                break;
            }
        }
        return out;
    }

    /// The replayed trajectories that go with `sampled` sampled ones (replayShare per sampled
    /// trajectory, the fractions carried over), and their beta * log R under today's weights (the
    /// IC, SSL and novelty as measured when the formula was scored): half drawn from the buffer's
    /// top tenth by that reward, half from the rest (prioritised replay).
    Result<std::pair<std::vector<GFlowNetEpisode>, std::vector<double>>> drawReplays(std::size_t sampled) {
        std::pair<std::vector<GFlowNetEpisode>, std::vector<double>> out;
        if (m_options.replayShare <= 0.0 || m_replay.empty()) return out;
        const int count = takeOwed(m_replayOwed, m_options.replayShare, sampled);
        if (count == 0) return out;
        const auto [order, logRewards, top] = rankedKept();
        auto& rng = m_run.rng();
        for (int r = 0; r < count; ++r) {
            const bool fromTop = order.size() == top || (rng() >> 63) == 0;
            const std::size_t first = fromTop ? 0 : top, span = fromTop ? top : order.size() - top;
            const std::size_t k = order[first + static_cast<std::size_t>(rng() % span)];
            auto episode = m_learner.replay(m_replay[k].actions);
            if (!episode) return episode.error();
            out.first.push_back(std::move(*episode));
            out.second.push_back(logRewards[k]);
        }
        m_replayedCount += count;
        return out;
    }

    /// Scores a formula (one evaluation), measures SSL and novelty against the pool as it is,
    /// then offers it; remembers the embedding of an admitted formula.
    RewardParts scoreAndOffer(const ExprPtr& expr, const std::vector<float>& embedding) {
        return offerScored(m_run.evaluate(expr), embedding);
    }

    /// The reward parts of a scored formula against the pool as it is, then the offer.
    RewardParts offerScored(const Result<ScoredFactor>& scored, const std::vector<float>& embedding) {
        RewardParts p;
        if (!scored || !scored->usable()) return p;
        p.usable = true;
        p.ic = scored->ic;
        std::vector<SslMember> members;
        for (const PoolMember& m : m_run.pool().members()) {
            const auto it = m_embeddings.find(m.factor.formula);
            if (it != m_embeddings.end() && m.factor.trainZ) members.push_back({m.factor.trainZ.get(), &it->second});
        }
        p.ssl = structureConsistency(*scored->trainZ, embedding, members, m_run.scorer().layout());
        // The offer measures the mutual correlations with the pool as it was: novelty reuses them.
        const AdmitResult admit = m_run.offer(*scored);
        p.novelty = 1.0 - admit.maxAbsMutual;
        for (const std::string& gone : admit.evictedFormulas) m_embeddings.erase(gone);
        if (admit.admitted) m_embeddings[scored->formula] = embedding;
        return p;
    }

    /// Scores every complete stack top of s_1..s_{n-1} (s_n's is the formula itself) once per run
    /// and offers it to the pool; a top that is the only stack item becomes a partial terminal.
    void denseRewards(const GFlowNetEpisode& ep, std::vector<std::pair<int, double>>& partials) {
        const int last = static_cast<int>(ep.actions.size()) - 1;
        for (int t = 1; t < last; ++t) {
            const ExprPtr& top = ep.stackTops[static_cast<std::size_t>(t)];
            if (!top) continue;
            const RewardParts* parts = memo(*top);
            if (!parts) {
                if (m_run.shouldStop()) return;
                std::vector<float> embedding;
                if (ep.stackSizes[static_cast<std::size_t>(t)] == 1) {
                    embedding = ep.embeddings[static_cast<std::size_t>(t)];
                } else if (auto actions = tokenize(*top, m_vocabulary); actions) {
                    actions->pop_back(); // stop
                    if (auto e = m_learner.embed(*actions); e) embedding = std::move(*e);
                }
                auto& bucket = m_memo[top->hash()];
                bucket.emplace_back(top, scoreAndOffer(top, embedding));
                parts = &bucket.back().second;
                ++m_denseScored;
            }
            if (ep.stackSizes[static_cast<std::size_t>(t)] == 1) {
                RewardParts atT = *parts;
                atT.tokens = t; // s_t holds the prefix's t tokens
                partials.emplace_back(t, logReward(atT));
            }
        }
    }

    const RewardParts* memo(const Expr& e) const {
        const auto it = m_memo.find(e.hash());
        if (it == m_memo.end()) return nullptr;
        for (const auto& [expr, parts] : it->second)
            if (expr->equals(e)) return &parts;
        return nullptr;
    }

    SearchRun& m_run;
    const GFlowNetOptions& m_options;
    const TokenVocabulary& m_vocabulary;
    GFlowNetLearner& m_learner;
    double m_wSsl = 0.0;
    double m_wNov = 0.0;
    std::map<std::string, std::vector<float>> m_embeddings; ///< pool member formula -> embedding when admitted
    /// Dense sub-formula rewards by structural hash (looked up only, never iterated).
    std::unordered_map<std::uint64_t, std::vector<std::pair<ExprPtr, RewardParts>>> m_memo;
    long long m_denseScored = 0;
    std::vector<Replayable> m_replay; ///< the replay buffer (replayShare > 0)
    std::unordered_set<std::string> m_inReplay;
    double m_replayOwed = 0.0;
    long long m_replayedCount = 0;
    long long m_skipped = 0;
    long long m_localSearched = 0;             ///< episodes that completed a kept formula's prefix
    long long m_localImproved = 0;             ///< of those, the ones whose beta * log R beat the parent's
    std::optional<GeneticOperators> m_genetic; ///< GP's operators (geneticShare > 0)
    double m_geneticOwed = 0.0;
    long long m_bred = 0;             ///< episodes bred from kept formulas (geneticShare)
    long long m_bredImproved = 0;     ///< of those, the ones whose beta * log R beat their first parent's
    std::vector<double> m_stepLosses; ///< the mean TB loss of each optimiser step
    std::vector<double> m_tokens;     ///< each sampled formula's length in tokens, in order
};

} // namespace

double trajectoryBalanceLoss(double logZ, double sumLogPF, double logReward, double sumLogPB) {
    const double delta = logZ + sumLogPF - logReward - sumLogPB;
    return delta * delta;
}

double gflownetReward(double ic, double ssl, double novelty, double wSsl, double wNov, bool noveltyScaledIc) {
    const double floor = std::exp(kLogMinReward);
    if (!std::isfinite(ic)) return floor;
    double r = std::fabs(ic);
    if (noveltyScaledIc) r *= std::isfinite(novelty) ? std::clamp(novelty, 0.0, 1.0) : 1.0;
    if (std::isfinite(ssl)) r += wSsl * ssl;
    if (std::isfinite(novelty)) r += wNov * novelty;
    return std::max(r, floor);
}

double linearDecay(double initial, double fraction) {
    return initial * (1.0 - std::clamp(fraction, 0.0, 1.0));
}

double structureConsistency(const TrainSlice& trainZ, const std::vector<float>& embedding,
                            const std::vector<SslMember>& members, const TrainLayout& layout, int k, double tau) {
    if (members.size() < 2 || embedding.empty() || k < 1 || !(tau > 0.0)) return 0.0;
    std::vector<std::pair<double, std::size_t>> nearest; // (d^2, member)
    for (std::size_t m = 0; m < members.size(); ++m) {
        const SslMember& member = members[m];
        if (!member.trainZ || !member.embedding || member.embedding->size() != embedding.size()) continue;
        double d2 = 0.0;
        for (std::size_t j = 0; j < embedding.size(); ++j) {
            const double d = double(embedding[j]) - double((*member.embedding)[j]);
            d2 += d * d;
        }
        if (!std::isfinite(d2) || d2 < 1e-12) continue; // near-identical embeddings are skipped
        nearest.emplace_back(d2, m);
    }
    std::sort(nearest.begin(), nearest.end());
    if (nearest.size() > static_cast<std::size_t>(k)) nearest.resize(static_cast<std::size_t>(k));
    double weightSum = 0.0, loss = 0.0;
    for (const auto& [d2, m] : nearest) {
        const double mse = perDayMse(trainZ, *members[m].trainZ, layout);
        if (!std::isfinite(mse)) continue;
        const double w = std::exp(-(d2 - nearest.front().first) / tau); // softmax(-d^2 / tau), shifted
        weightSum += w;
        loss += w * mse;
    }
    if (weightSum <= 0.0) return 0.0;
    return std::exp(-loss / weightSum);
}

Result<void> runGFlowNetSearch(SearchRun& run) {
    const GFlowNetOptions& options = run.config().gfn;
    if (auto ok = checkOptions(options); !ok) return ok.error();
    const bool cuda = run.config().preferCuda && detectComputeDevice().cuda;
    run.setDevice(cuda ? describeComputeDevice() : "CPU");
    const TokenVocabulary vocabulary(run.grammar());
    if (vocabulary.size() < 2) return makeError(ErrorCode::InvalidArgument, "GFlowNet: the grammar has no tokens");
    try {
        GFlowNetLearner learner(vocabulary, options, run.config().seed, cuda);
        GfnSearch search(run, vocabulary, learner);
        return search.loop();
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal, std::string("GFlowNet: ") + e.what());
    }
}

} // namespace alphascope

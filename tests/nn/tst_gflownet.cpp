// GFlowNet learner (AlphaSAGE): the trajectory-balance loss and its gradients against hand
// arithmetic, the reward helpers, learning on a toy reward, sampling (batched, from prefixes),
// replay and the states the sampler and trainer see. The whole search on a planted market is in
// tst_gflownet_search.cpp.

#include "core/nn/gflownet.h"

#include "core/expr/parser.h"
#include "core/search/planted.h"
#include "core/search/search.h"
#include "core/search/token_env.h"
#include "tests/support/test_support.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <functional>
#include <future>
#include <random>
#include <set>

using namespace alphascope;

namespace {

ExprPtr parse(const std::string& text) {
    auto r = parseFormula(text);
    if (!r.ok()) qFatal("cannot parse %s: %s", text.c_str(), r.error().toString().c_str());
    return r.value();
}

/// log of sum exp over the entries where mask is 1.
double logSumExp(const std::vector<double>& x, const std::vector<std::uint8_t>& mask) {
    double s = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i)
        if (mask[i]) s += std::exp(x[i]);
    return std::log(s);
}

/// The tiny grammar of the toy-reward test: Div and Abs over $open and $close, at most 3 tokens.
Grammar toyGrammar() {
    Grammar g;
    g.operators = {OpId::Abs, OpId::Div};
    g.features = {"open", "close"};
    g.maxTokens = 3;
    return g;
}

/// The toy-reward learner's settings: small and fast-learning (a step every 4 episodes), no forced
/// stop and no entropy bonus.
GFlowNetOptions toyOptions() {
    GFlowNetOptions o;
    o.hidden = 16;
    o.learningRate = 0.02;
    o.updateFrequency = 4;
    o.forcedStopProb = 0.0;
    o.entropyCoef = 0.0;
    return o;
}

/// A small learner's options without forced stop, so that sampled masks are the natural ones (as
/// replay() and logProbability() build them).
GFlowNetOptions naturalMaskOptions() {
    GFlowNetOptions o;
    o.hidden = 16;
    o.forcedStopProb = 0.0;
    return o;
}

/// A small learner's options for comparing two ways of accumulating the same batches.
GFlowNetOptions batchOptions(GFlowNetOptions::Encoder encoder) {
    GFlowNetOptions o;
    o.hidden = 16;
    o.encoder = encoder;
    o.learningRate = 0.01;
    return o;
}

/// Trains `learner` on the toy reward (R = 1 for `target`, 0.01 for every other formula) for
/// `episodes` sampled episodes, a step every `updateFrequency`; hits[e] says whether episode e
/// sampled the target. `check` sees every episode first. Fails the calling test on an error.
void trainOnToy(GFlowNetLearner& learner, const Expr& target, int episodes, int updateFrequency,
                std::vector<bool>& hits, const std::function<void(const GFlowNetEpisode&)>& check = {}) {
    std::mt19937_64 rng(11);
    hits.clear();
    for (int e = 0; e < episodes; ++e) {
        auto ep = learner.sample(rng);
        QVERIFY(ep.ok());
        QVERIFY(ep->formula != nullptr);
        if (check) check(*ep);
        const bool hit = ep->formula->equals(target);
        hits.push_back(hit);
        QVERIFY(learner.accumulate(*ep, std::log(hit ? 1.0 : 0.01)).ok());
        if ((e + 1) % updateFrequency == 0) QVERIFY(learner.step().ok());
    }
}

/// A sampled episode is well formed and each state's embedding is the one the state gets when
/// encoded alone.
void checkStatesAlone(GFlowNetLearner& learner, const GFlowNetEpisode& ep) {
    QVERIFY(ep.formula != nullptr);
    QCOMPARE(ep.embeddings.size(), ep.actions.size());
    QCOMPARE(ep.masks.size(), ep.actions.size());
    // The finished formula is one tree: an edge per token but the root.
    QCOMPARE(static_cast<int>(ep.edges.back().size()) + 1, ep.formula->tokenCount());
    QCOMPARE(static_cast<int>(ep.actions.size()) - 1, ep.formula->tokenCount());
    for (std::size_t t = 0; t < ep.actions.size(); ++t) {
        QVERIFY(ep.masks[t][static_cast<std::size_t>(ep.actions[t])]);
        const std::vector<int> prefix(ep.actions.begin(), ep.actions.begin() + static_cast<std::ptrdiff_t>(t));
        auto alone = learner.embed(prefix);
        QVERIFY(alone.ok());
        QCOMPARE(alone->size(), ep.embeddings[t].size());
        for (std::size_t j = 0; j < alone->size(); ++j) QVERIFY(std::fabs((*alone)[j] - ep.embeddings[t][j]) < 1e-5);
    }
}

} // namespace

class TestGFlowNet : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void trajectoryBalanceMatchesHandArithmetic() {
        // Three actions (a, b, stop). Step 0 at s_0: logits (0, ln 2, 5) with stop illegal; a_0 = b.
        // Step 1 at s_1: logits (1, 2, ln 3) with only a and stop legal; a_1 = stop.
        const std::vector<std::vector<double>> logits{{0.0, std::log(2.0), 5.0}, {1.0, 2.0, std::log(3.0)}};
        const std::vector<std::vector<std::uint8_t>> masks{{1, 1, 0}, {1, 0, 1}};
        const std::vector<int> actions{1, 2};
        // Backward logits for s_1 (vocabulary - 1 = 2 entries): anything; the mask keeps only a_0.
        const std::vector<std::vector<double>> backward{{7.0, -3.0}};
        const double logZ = 0.5, logR = std::log(0.2);
        auto t = trajectoryBalanceTerms(logits, masks, actions, backward, logZ, logR, 0.0, 1.0);
        QVERIFY2(t.ok(), t.ok() ? "" : t.error().message.c_str());

        // log PF: step 0: ln(2/3); step 1: ln 3 - ln(e + 3).
        const double logPF = std::log(2.0 / 3.0) + std::log(3.0) - std::log(std::exp(1.0) + 3.0);
        const double delta = logZ + logPF - logR - 0.0;
        CHECK_NEAR(t->sumLogPF, logPF, 1e-12);
        QCOMPARE(t->sumLogPB, 0.0); // one parent per state: exactly zero
        CHECK_NEAR(t->delta, delta, 1e-12);
        CHECK_NEAR(t->loss, delta * delta, 1e-12);
        CHECK_NEAR(t->loss, trajectoryBalanceLoss(logZ, logPF, logR, 0.0), 1e-12);
        CHECK_NEAR(t->dLossDLogZ, 2.0 * delta, 1e-12);
        // d loss / d logit_{t,j} = 2 delta (1[j = a_t] - p_{t,j}) on legal j, 0 on masked ones.
        const double p00 = 1.0 / 3.0, p01 = 2.0 / 3.0;
        CHECK_NEAR(t->dLossDLogits[0][0], 2.0 * delta * (0.0 - p00), 1e-12);
        CHECK_NEAR(t->dLossDLogits[0][1], 2.0 * delta * (1.0 - p01), 1e-12);
        QCOMPARE(t->dLossDLogits[0][2], 0.0);
        const double p10 = std::exp(1.0) / (std::exp(1.0) + 3.0), p12 = 3.0 / (std::exp(1.0) + 3.0);
        CHECK_NEAR(t->dLossDLogits[1][0], 2.0 * delta * (0.0 - p10), 1e-12);
        QCOMPARE(t->dLossDLogits[1][1], 0.0);
        CHECK_NEAR(t->dLossDLogits[1][2], 2.0 * delta * (1.0 - p12), 1e-12);
    }

    void entropyBonusMatchesHandArithmetic() {
        const std::vector<std::vector<double>> logits{{0.0, std::log(2.0), 5.0}, {1.0, 2.0, std::log(3.0)}};
        const std::vector<std::vector<std::uint8_t>> masks{{1, 1, 0}, {1, 0, 1}};
        const double temperature = 2.0, coef = 0.01;
        auto t = trajectoryBalanceTerms(logits, masks, {1, 2}, {}, 0.0, -1.0, coef, temperature);
        QVERIFY(t.ok());
        double entropy = 0.0;
        for (std::size_t s = 0; s < logits.size(); ++s) {
            std::vector<double> scaled;
            for (double l : logits[s]) scaled.push_back(l / temperature);
            const double lse = logSumExp(scaled, masks[s]);
            for (std::size_t j = 0; j < scaled.size(); ++j)
                if (masks[s][j]) entropy -= std::exp(scaled[j] - lse) * (scaled[j] - lse);
        }
        CHECK_NEAR(t->entropy, entropy, 1e-12);
        CHECK_NEAR(t->loss, t->delta * t->delta - coef * entropy, 1e-12);
        CHECK_NEAR(t->dLossDLogZ, 2.0 * t->delta, 1e-12); // the entropy does not depend on log Z
    }

    void rewardHelpers() {
        CHECK_NEAR(gflownetReward(-0.05, 0.5, 0.8, 1.0, 0.3), 0.05 + 0.5 + 0.24, 1e-12);
        CHECK_NEAR(gflownetReward(kNaNd, 0.5, 0.8, 1.0, 0.3), std::exp(-10.0), 1e-12);
        CHECK_NEAR(gflownetReward(0.0, 0.0, 0.0, 1.0, 0.3), std::exp(-10.0), 1e-12);
        // Novelty-scaled IC: |ic| * nov, then the same additive terms.
        CHECK_NEAR(gflownetReward(-0.05, 0.5, 0.8, 1.0, 0.3, true), 0.05 * 0.8 + 0.5 + 0.24, 1e-12);
        CHECK_NEAR(gflownetReward(0.2, 0.0, 0.01, 0.0, 0.0, true), 0.002, 1e-12);
        CHECK_NEAR(gflownetReward(0.2, 0.0, kNaNd, 0.0, 0.0, true), 0.2, 1e-12);
        CHECK_NEAR(gflownetReward(0.2, 0.0, 0.0, 0.0, 0.0, true), std::exp(-10.0), 1e-12);
        CHECK_NEAR(linearDecay(0.3, 0.25), 0.225, 1e-12);
        CHECK_NEAR(linearDecay(0.3, 2.0), 0.0, 1e-12);

        // SSL: 2 days x 2 instruments; members at embedding distances 1, 2 and 3 (k = 2 keeps two).
        TrainLayout layout;
        layout.range = DayRange{0, 2};
        layout.instruments = 2;
        layout.dayStart = {0, 2, 4};
        layout.instrument = {0, 1, 0, 1};
        auto slice = [](std::initializer_list<float> z) { return TrainSlice{Panel::Storage(z), {2.0, 2.0}}; };
        const TrainSlice z = slice({1, -1, 1, -1});
        const TrainSlice same = slice({1, -1, 1, -1}), flipped = slice({-1, 1, -1, 1}), half = slice({1, -1, -1, 1});
        const std::vector<float> e0{0, 0}, e1{1, 0}, e2{0, 2}, e3{3, 0};
        const std::vector<SslMember> members{{&same, &e1}, {&flipped, &e2}, {&half, &e3}};
        QCOMPARE(structureConsistency(z, e0, {members[0]}, layout), 0.0); // <= 1 member: 0
        // MSE: same 0, flipped 4. Weights softmax(-(1, 4) / tau).
        const double tau = 0.5;
        const double w1 = 1.0 / (1.0 + std::exp(-3.0 / tau)), w2 = 1.0 - w1;
        CHECK_NEAR(structureConsistency(z, e0, members, layout, 2, tau), std::exp(-(w1 * 0.0 + w2 * 4.0)), 1e-9);
        // A member with the very same embedding is skipped.
        const std::vector<SslMember> withTwin{{&flipped, &e0}, {&same, &e1}};
        CHECK_NEAR(structureConsistency(z, e0, withTwin, layout, 3, tau), 1.0, 1e-12);

        // Many days of different sizes, some empty (the per-day MSE runs several days at a time):
        // with k = 1 the SSL is exp(-MSE) against the nearest member, bit for bit a plain loop's.
        std::mt19937 rng(17);
        std::normal_distribution<float> normal(0.f, 1.f);
        TrainLayout many;
        many.instruments = 60;
        many.dayStart = {0};
        const int sizes[] = {40, 0, 17, 60, 5, 1, 33, 60, 2, 0, 59, 41, 12, 60, 7};
        for (int n : sizes) {
            for (int i = 0; i < n; ++i) many.instrument.push_back(static_cast<std::uint32_t>(i));
            many.dayStart.push_back(static_cast<std::uint32_t>(many.instrument.size()));
        }
        many.range = DayRange{0, static_cast<int>(std::size(sizes))};
        auto randomSlice = [&] {
            TrainSlice t;
            t.z.resize(many.cells());
            for (float& v : t.z) v = normal(rng);
            t.norm2.assign(std::size(sizes), 1.0);
            return t;
        };
        const TrainSlice za = randomSlice(), near = randomSlice(), far = randomSlice();
        double mseSum = 0.0;
        int mseDays = 0;
        for (int k = 0; k < many.days(); ++k) {
            const int n = many.dayCells(k);
            if (n == 0) continue;
            double s = 0.0;
            for (int i = 0; i < n; ++i) {
                const double diff = double(za.z[many.dayBegin(k) + i]) - double(near.z[many.dayBegin(k) + i]);
                s += diff * diff;
            }
            mseSum += s / n;
            ++mseDays;
        }
        const std::vector<SslMember> pair{{&far, &e3}, {&near, &e1}};
        const double got = structureConsistency(za, e0, pair, many, 1, tau), want = std::exp(-(mseSum / mseDays));
        QVERIFY2(got == want, qPrintable(QString::number(got, 'g', 17) + " vs " + QString::number(want, 'g', 17)));
    }

    void learnerMovesTowardHighReward() {
        // Toy: R = 1 for Div($open, $close), 0.01 for every other formula of the tiny grammar.
        const TokenVocabulary vocabulary(toyGrammar());
        const GFlowNetOptions o = toyOptions();
        GFlowNetLearner learner(vocabulary, o, 5);
        const ExprPtr target = parse("Div($open, $close)");
        auto targetActions = tokenize(*target, vocabulary);
        QVERIFY(targetActions.ok());
        auto before = learner.logProbability(*targetActions);
        QVERIFY(before.ok());

        const int episodes = 400;
        std::vector<bool> hits;
        trainOnToy(learner, *target, episodes, o.updateFrequency, hits);
        if (QTest::currentTestFailed()) return;
        const int hitsFirst = static_cast<int>(std::count(hits.begin(), hits.begin() + 100, true));
        const int hitsLast = static_cast<int>(std::count(hits.end() - 100, hits.end(), true));
        auto after = learner.logProbability(*targetActions);
        QVERIFY(after.ok());
        qInfo("P(target) %.3f -> %.3f; hits in first/last 100 samples %d / %d; log Z %.3f", std::exp(*before),
              std::exp(*after), hitsFirst, hitsLast, learner.logZ());
        QVERIFY(std::exp(*after) > 0.5);
        QVERIFY(*after > *before + std::log(2.0));
        QVERIFY(hitsLast > hitsFirst);
    }

    void explorationSamplesOffPolicyAndStillLearns() {
        // The toy of learnerMovesTowardHighReward with half of the steps drawn uniformly from the
        // legal actions: trajectory balance holds for any sampling distribution, so the policy still
        // learns the target, while the samples hit it less often than the policy would.
        const TokenVocabulary vocabulary(toyGrammar());
        GFlowNetOptions o = toyOptions();
        o.explorationEpsilon = 0.5;
        GFlowNetLearner learner(vocabulary, o, 5);
        const ExprPtr target = parse("Div($open, $close)");
        auto targetActions = tokenize(*target, vocabulary);
        QVERIFY(targetActions.ok());
        const int episodes = 400, last = 100;
        std::vector<bool> hits;
        // Every episode: legal actions and the masks the loss uses.
        trainOnToy(learner, *target, episodes, o.updateFrequency, hits,
                   [&](const GFlowNetEpisode& ep) { checkStatesAlone(learner, ep); });
        if (QTest::currentTestFailed()) return;
        const int hitsLast = static_cast<int>(std::count(hits.end() - last, hits.end(), true));
        auto after = learner.logProbability(*targetActions);
        QVERIFY(after.ok());
        qInfo("with exploration 0.5: P(target) %.3f, hits in the last %d samples %d", std::exp(*after), last, hitsLast);
        QVERIFY(std::exp(*after) > 0.5);
        QVERIFY(hitsLast < std::exp(*after) * last);
    }

    void samplerAndTrainerSeeTheSameStates() {
        // The sampler encodes the states of a step together (one trajectory, or a batch side by
        // side; the LSTM step by step, carrying its state); the loss and embed() encode a state's
        // whole prefix alone. Both must give the same embeddings, for both encoders, and the same
        // rng must give the same batch.
        auto session = openPlantedSession(PlantedSpec{});
        QVERIFY(session.ok());
        const TokenVocabulary vocabulary(Grammar::defaults(*session.value()->data));
        for (auto encoder : {GFlowNetOptions::Encoder::Gnn, GFlowNetOptions::Encoder::Lstm}) {
            GFlowNetOptions o;
            o.hidden = 24;
            o.encoder = encoder;
            GFlowNetLearner learner(vocabulary, o, 3);
            std::mt19937_64 rng(8);
            for (int e = 0; e < 5; ++e) {
                auto ep = learner.sample(rng);
                QVERIFY(ep.ok());
                checkStatesAlone(learner, *ep);
            }
            std::mt19937_64 again = rng;
            auto batch = learner.sampleBatch(rng, 6);
            auto same = learner.sampleBatch(again, 6);
            QVERIFY(batch.ok() && same.ok());
            QCOMPARE(batch->size(), std::size_t(6));
            std::set<std::size_t> lengths;
            for (std::size_t b = 0; b < batch->size(); ++b) {
                QCOMPARE((*same)[b].actions, (*batch)[b].actions);
                lengths.insert((*batch)[b].actions.size());
                checkStatesAlone(learner, (*batch)[b]);
            }
            QVERIFY(lengths.size() > 1); // trajectories that finish at different steps
            QVERIFY(!learner.sampleBatch(rng, 0).ok());
        }
    }

    void logZWarmStartZeroesTheFirstResidual() {
        // With the warm start, log Z after the first batch is the mean of log R - sum log PF (log
        // PB = 0): measured by a twin learner without it, whose log Z stays at its initial 0.
        auto session = openPlantedSession(PlantedSpec{});
        QVERIFY(session.ok());
        const TokenVocabulary vocabulary(Grammar::defaults(*session.value()->data));
        const GFlowNetOptions o = naturalMaskOptions(); // logProbability() has no forced stop: the same masks
        GFlowNetOptions cold = o;
        cold.logZWarmStart = false;
        GFlowNetLearner warm(vocabulary, o, 3), twin(vocabulary, cold, 3);
        std::mt19937_64 rng(8);
        auto episodes = warm.sampleBatch(rng, 6);
        QVERIFY(episodes.ok());
        std::vector<const GFlowNetEpisode*> pointers;
        std::vector<double> logRewards;
        double expected = 0.0;
        for (std::size_t e = 0; e < episodes->size(); ++e) {
            pointers.push_back(&(*episodes)[e]);
            logRewards.push_back(-1.0 - 0.7 * double(e));
            auto logPF = twin.logProbability((*episodes)[e].actions);
            QVERIFY(logPF.ok());
            expected += (logRewards.back() - *logPF) / double(episodes->size());
        }
        QCOMPARE(warm.logZ(), 0.0);
        auto losses = warm.accumulateBatch(pointers, logRewards);
        QVERIFY(losses.ok());
        QVERIFY2(std::fabs(warm.logZ() - expected) < 1e-3 * (1.0 + std::fabs(expected)),
                 qPrintable(QString("%1 vs %2").arg(warm.logZ()).arg(expected)));
        QVERIFY(expected > 5.0); // tens of nats: why the warm start matters
        // Only once: a second batch leaves log Z to the optimiser.
        const double after = warm.logZ();
        QVERIFY(warm.accumulateBatch(pointers, logRewards).ok());
        QCOMPARE(warm.logZ(), after);
        auto coldLosses = twin.accumulateBatch(pointers, logRewards);
        QVERIFY(coldLosses.ok());
        QCOMPARE(twin.logZ(), 0.0);
    }

    void batchLossIsTheSumOfEpisodeLosses() {
        // accumulateBatch (one forward, one backward) must return each episode's loss and leave the
        // gradients that accumulate() one episode at a time leaves: two learners of one seed take
        // the same Adam step and then agree on log-probabilities.
        auto session = openPlantedSession(PlantedSpec{});
        QVERIFY(session.ok());
        const TokenVocabulary vocabulary(Grammar::defaults(*session.value()->data));
        for (auto encoder : {GFlowNetOptions::Encoder::Gnn, GFlowNetOptions::Encoder::Lstm}) {
            GFlowNetOptions o = batchOptions(encoder);
            o.logZWarmStart = false; // one episode at a time would warm-start on the first alone
            GFlowNetLearner one(vocabulary, o, 9), batched(vocabulary, o, 9);
            std::mt19937_64 rng(4);
            auto episodes = one.sampleBatch(rng, 5);
            QVERIFY(episodes.ok());
            std::vector<const GFlowNetEpisode*> pointers;
            std::vector<double> logRewards;
            std::vector<std::vector<std::pair<int, double>>> partials(episodes->size());
            for (std::size_t e = 0; e < episodes->size(); ++e) {
                pointers.push_back(&(*episodes)[e]);
                logRewards.push_back(-0.5 * double(e) - 1.0);
                const auto& masks = (*episodes)[e].masks;
                for (int t = 0; t + 1 < static_cast<int>(masks.size()); ++t)
                    if (masks[static_cast<std::size_t>(t)][static_cast<std::size_t>(vocabulary.stopAction())])
                        partials[e].push_back({t, -2.0}); // dense terms where stop was legal
            }
            std::vector<double> single;
            for (std::size_t e = 0; e < episodes->size(); ++e) {
                auto v = one.accumulate((*episodes)[e], logRewards[e], partials[e]);
                QVERIFY(v.ok());
                single.push_back(*v);
            }
            auto together = batched.accumulateBatch(pointers, logRewards, partials);
            QVERIFY(together.ok());
            QCOMPARE(together->size(), single.size());
            for (std::size_t e = 0; e < single.size(); ++e)
                QVERIFY2(std::fabs((*together)[e] - single[e]) <= 1e-4 * (1.0 + std::fabs(single[e])),
                         qPrintable(QString("episode %1: %2 vs %3").arg(e).arg((*together)[e]).arg(single[e])));
            QVERIFY(one.step().ok() && batched.step().ok());
            QVERIFY(std::fabs(one.logZ() - batched.logZ()) < 1e-6);
            QVERIFY(one.logZ() != 0.0); // the step moved log Z
            for (const GFlowNetEpisode* ep : pointers) {
                auto a = one.logProbability(ep->actions), b = batched.logProbability(ep->actions);
                QVERIFY(a.ok() && b.ok());
                QVERIFY2(std::fabs(*a - *b) < 1e-4, qPrintable(QString("%1 vs %2").arg(*a).arg(*b)));
            }
            QVERIFY(!batched.accumulateBatch(pointers, {0.0}).ok()); // one reward per episode
        }
    }

    void preparedBatchesGiveTheSameSteps() {
        // The GFlowNet search begins a batch's forward pass (prepareBatch) on another thread before
        // the rewards are known, beside the evaluations and beside the previous batch's backward
        // pass. The losses, log Z (warm start included) and the parameters after each step must be
        // those of accumulateBatch, bit for bit.
        auto session = openPlantedSession(PlantedSpec{});
        QVERIFY(session.ok());
        const TokenVocabulary vocabulary(Grammar::defaults(*session.value()->data));
        for (auto encoder : {GFlowNetOptions::Encoder::Gnn, GFlowNetOptions::Encoder::Lstm}) {
            const GFlowNetOptions o = batchOptions(encoder);
            GFlowNetLearner plain(vocabulary, o, 11), early(vocabulary, o, 11);
            std::mt19937_64 rng(6);
            for (int round = 0; round < 2; ++round) {
                auto a = plain.sampleBatch(rng, 5), b = plain.sampleBatch(rng, 4);
                QVERIFY(a.ok() && b.ok());
                std::vector<const GFlowNetEpisode*> pa, pb;
                std::vector<double> ra, rb;
                for (const auto& ep : *a) {
                    pa.push_back(&ep);
                    ra.push_back(-1.0 - 0.3 * double(pa.size()));
                }
                for (const auto& ep : *b) {
                    pb.push_back(&ep);
                    rb.push_back(-2.0 + 0.2 * double(pb.size()));
                }
                auto la = plain.accumulateBatch(pa, ra), lb = plain.accumulateBatch(pb, rb);
                QVERIFY(la.ok() && lb.ok());
                auto preparedA = std::async(std::launch::async, [&] { return early.prepareBatch(pa); }).get();
                QVERIFY(preparedA.ok());
                // A's backward pass beside B's forward pass.
                auto backwardA =
                    std::async(std::launch::async, [&] { return early.accumulatePrepared(**preparedA, ra); });
                auto preparedB = std::async(std::launch::async, [&] { return early.prepareBatch(pb); }).get();
                auto ea = backwardA.get();
                QVERIFY(preparedB.ok() && ea.ok());
                auto eb = early.accumulatePrepared(**preparedB, rb);
                QVERIFY(eb.ok());
                QCOMPARE(*ea, *la);
                QCOMPARE(*eb, *lb);
                QCOMPARE(early.logZ(), plain.logZ()); // the warm start in round 0
                QVERIFY(plain.step().ok() && early.step().ok());
                QCOMPARE(early.logZ(), plain.logZ());
                for (const GFlowNetEpisode* ep : pa) {
                    auto x = plain.logProbability(ep->actions), y = early.logProbability(ep->actions);
                    QVERIFY(x.ok() && y.ok());
                    QCOMPARE(*y, *x);
                }
                QVERIFY(!early.accumulatePrepared(**early.prepareBatch(pa), {0.0}).ok()); // one reward per episode
            }
            GFlowNetEpisode malformed;
            malformed.actions = {0};
            QVERIFY(!early.prepareBatch({&malformed}).ok());
        }
    }

    void replayRebuildsTheSampledTrajectory() {
        // Without forced stop and exploration a sampled trajectory's masks are the natural ones, so
        // replaying its actions must rebuild it: the same actions, masks, forests, stack sizes and
        // formula (replayShare trains on such rebuilt trajectories of earlier formulas).
        auto session = openPlantedSession(PlantedSpec{});
        QVERIFY(session.ok());
        const TokenVocabulary vocabulary(Grammar::defaults(*session.value()->data));
        GFlowNetLearner learner(vocabulary, naturalMaskOptions(), 5);
        std::mt19937_64 rng(2);
        auto batch = learner.sampleBatch(rng, 8);
        QVERIFY(batch.ok());
        for (const GFlowNetEpisode& ep : *batch) {
            auto again = learner.replay(ep.actions);
            QVERIFY(again.ok());
            QCOMPARE(again->actions, ep.actions);
            QCOMPARE(again->masks, ep.masks);
            QCOMPARE(again->stackSizes, ep.stackSizes);
            QCOMPARE(again->edges.size(), ep.edges.size());
            for (std::size_t t = 0; t < ep.edges.size(); ++t) {
                QCOMPARE(again->edges[t].size(), ep.edges[t].size());
                for (std::size_t k = 0; k < ep.edges[t].size(); ++k) {
                    QCOMPARE(again->edges[t][k].child, ep.edges[t][k].child);
                    QCOMPARE(again->edges[t][k].parent, ep.edges[t][k].parent);
                    QVERIFY(again->edges[t][k].relation == ep.edges[t][k].relation);
                }
            }
            QVERIFY(again->formula && again->formula->equals(*ep.formula));
            QVERIFY(again->embeddings.empty());
            // Its loss is the sampled one's.
            auto a = learner.accumulateBatch({&ep}, {-3.0});
            auto b = learner.accumulateBatch({&*again}, {-3.0});
            QVERIFY(a.ok() && b.ok());
            QCOMPARE((*a)[0], (*b)[0]);
            std::vector<int> open(ep.actions.begin(), ep.actions.end() - 1);
            QVERIFY(!learner.replay(open).ok()); // no stop
        }
        QVERIFY(!learner.replay({vocabulary.stopAction()}).ok()); // stop on the empty formula
    }

    void sampleFromCompletesPrefixes() {
        // A prefix's actions are taken as given with their natural masks, then the policy samples
        // on; an empty prefix samples the whole trajectory. The trajectory learns like any other
        // (its replay has the same loss), and a bad prefix is refused.
        auto session = openPlantedSession(PlantedSpec{});
        QVERIFY(session.ok());
        const TokenVocabulary vocabulary(Grammar::defaults(*session.value()->data));
        GFlowNetLearner learner(vocabulary, naturalMaskOptions(), 5);
        std::mt19937_64 rng(4);
        auto whole = learner.sampleBatch(rng, 6);
        QVERIFY(whole.ok());
        std::vector<std::vector<int>> prefixes;
        for (const GFlowNetEpisode& ep : *whole) {
            const std::size_t tokens = ep.actions.size() - 1;
            prefixes.emplace_back(ep.actions.begin(), ep.actions.begin() + static_cast<std::ptrdiff_t>(tokens / 2));
        }
        prefixes.emplace_back(); // sampled whole
        auto completed = learner.sampleFrom(rng, prefixes);
        QVERIFY(completed.ok());
        QCOMPARE(completed->size(), prefixes.size());
        int differs = 0;
        for (std::size_t b = 0; b < prefixes.size(); ++b) {
            const GFlowNetEpisode& ep = (*completed)[b];
            QVERIFY(ep.formula);
            QVERIFY(ep.actions.size() > prefixes[b].size());
            QVERIFY(std::equal(prefixes[b].begin(), prefixes[b].end(), ep.actions.begin()));
            QCOMPARE(ep.embeddings.size(), ep.actions.size());
            auto again = learner.replay(ep.actions);
            QVERIFY(again.ok());
            QCOMPARE(again->masks, ep.masks); // natural masks throughout (no forced stop here)
            auto a = learner.accumulateBatch({&ep}, {-2.0});
            auto c = learner.accumulateBatch({&*again}, {-2.0});
            QVERIFY(a.ok() && c.ok());
            QCOMPARE((*a)[0], (*c)[0]);
            if (b < whole->size() && !ep.formula->equals(*(*whole)[b].formula)) ++differs;
        }
        QVERIFY(differs > 0); // the completions are sampled, not copied
        const std::vector<int>& first = (*whole)[0].actions;
        QVERIFY(!learner.sampleFrom(rng, {first}).ok());               // stop inside a prefix
        QVERIFY(!learner.sampleFrom(rng, {{vocabulary.size()}}).ok()); // not an action
        QVERIFY(!learner.sampleFrom(rng, {}).ok());
    }
};

QTEST_GUILESS_MAIN(TestGFlowNet)
#include "tst_gflownet.moc"

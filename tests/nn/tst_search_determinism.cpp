// Searches in one process do not disturb each other (CODE-REVIEW.md point 7): learners built side
// by side (and during the device self-test) get the parameters they get alone, and a GFlowNet
// search and an MCTS search with its network give the same pools alone, side by side in two
// threads and one after the other in reverse order, because each learner draws from its own torch
// generator and each run from its own mt19937_64. Also the monitor's figures of every search: the
// rewards each algorithm reports and the loss of those that train (PPO's too).

#include "core/expr/parser.h"
#include "core/nn/device.h"
#include "core/nn/gflownet.h"
#include "core/nn/mcts_network.h"
#include "core/search/planted.h"
#include "core/search/program_env.h"
#include "core/search/search.h"
#include "core/search/token_env.h"

#include <QTest>

#include <atomic>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using namespace alphascope;

namespace {

/// What must agree between two runs of one config: the pool's formulas and weights.
struct PoolPrint {
    std::vector<std::string> formulas;
    std::vector<double> weights;
    long long evaluations = 0;
    double loss = std::numeric_limits<double>::quiet_NaN();
    std::string error;
};

PoolPrint printOf(const Result<SearchResult>& r) {
    PoolPrint p;
    if (!r.ok()) {
        p.error = r.error().message;
        return p;
    }
    for (const PoolFactorReport& f : r->pool) {
        p.formulas.push_back(f.formula);
        p.weights.push_back(f.weight);
    }
    p.evaluations = r->evaluations;
    p.loss = r->lastProgress.loss;
    return p;
}

/// A small GFlowNet (hidden 32, a step every 8 episodes: about 20 optimiser steps).
SearchConfig gfnConfig() {
    SearchConfig c = defaultSearchConfig(SearchAlgo::GFlowNet);
    c.seed = 3;
    c.budget.evaluations = 160;
    c.preferCuda = false; // CPU: bitwise reproducible
    c.gfn.hidden = 32;
    c.gfn.learningRate = 3e-3;
    c.gfn.updateFrequency = 8;
    c.grammar.maxTokens = 8;
    return c;
}

/// A small MCTS whose network trains during the run (a training step every 2 games).
SearchConfig mctsConfig() {
    SearchConfig c = defaultSearchConfig(SearchAlgo::Mcts);
    c.seed = 4;
    c.budget.evaluations = 200;
    c.preferCuda = false;
    c.mcts.simulationsPerMove = 8;
    c.mcts.trainEvery = 2;
    c.mcts.batchSize = 16;
    c.mcts.hidden = 32;
    c.mcts.learningRate = 1e-3;
    c.poolOptions.l1 = 0.005; // as in tst_mcts_search: keeps closed-form weights meaningful
    return c;
}

/// A fingerprint of a freshly built GFlowNet learner's parameters: log P_F of a fixed formula.
double gfnFingerprint(const TokenVocabulary& vocabulary, const std::vector<int>& actions, std::uint64_t seed) {
    GFlowNetOptions o;
    o.hidden = 64;
    GFlowNetLearner learner(vocabulary, o, seed);
    auto logP = learner.logProbability(actions);
    return logP.ok() ? *logP : std::numeric_limits<double>::quiet_NaN();
}

/// The same for the MCTS network: its heads start at zero (the first loss is the same for every
/// parameter draw), so the loss of the second step on a fixed batch, after the heads moved.
double mctsFingerprint(const ProgramVocabulary& vocabulary, std::uint64_t seed) {
    MctsOptions o;
    o.hidden = 64;
    o.learningRate = 1e-2;
    auto net = makeMctsNetwork(vocabulary, o, seed, false);
    if (!net) return std::numeric_limits<double>::quiet_NaN();
    ProgramState empty(vocabulary);
    MctsSample sample;
    sample.encoding = empty.encode();
    sample.legal = empty.legalActions();
    sample.policy.assign(sample.legal.size(), 0.0f);
    sample.policy.front() = 1.0f;
    sample.value = 0.3f;
    const std::vector<MctsSample> batch{sample};
    if (!net->train(batch).ok()) return std::numeric_limits<double>::quiet_NaN();
    auto loss = net->train(batch);
    return loss.ok() ? *loss : std::numeric_limits<double>::quiet_NaN();
}

} // namespace

class TestSearchDeterminism : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        PlantedSpec spec;
        spec.formulas = {"Div($open, $close)"};
        auto s = openPlantedSession(spec);
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().message.c_str());
        m_session = *s;
    }

    void learnersBuiltInParallelMatchAlone() {
        // Learners built while others are built in another thread, and while the device self-test
        // draws its matrices, get the parameters they get alone: nothing reseeds or shares torch's
        // global generator. (With a process-wide torch::manual_seed before each construction, the
        // threads' seeds and draws interleave and fingerprints differ.)
        const TokenVocabulary tokens(Grammar::defaults(*m_session->data));
        auto actions = tokenize(*parseFormula("Div($open, $close)").value(), tokens);
        QVERIFY(actions.ok());
        const ProgramVocabulary programs(Grammar::defaults(*m_session->data));
        constexpr int kLearners = 12;
        std::vector<double> gfnAlone, mctsAlone;
        for (int k = 0; k < kLearners; ++k) {
            gfnAlone.push_back(gfnFingerprint(tokens, *actions, std::uint64_t(k)));
            mctsAlone.push_back(mctsFingerprint(programs, std::uint64_t(k)));
            QVERIFY(std::isfinite(gfnAlone.back()) && std::isfinite(mctsAlone.back()));
        }
        QVERIFY(gfnAlone[0] != gfnAlone[1] && mctsAlone[0] != mctsAlone[1]); // the seed matters

        std::vector<double> gfnThreaded(kLearners), mctsThreaded(kLearners);
        std::atomic<bool> done{false};
        std::thread gfn([&] {
            for (int k = 0; k < kLearners; ++k)
                gfnThreaded[std::size_t(k)] = gfnFingerprint(tokens, *actions, std::uint64_t(k));
        });
        std::thread mcts([&] {
            for (int k = 0; k < kLearners; ++k)
                mctsThreaded[std::size_t(k)] = mctsFingerprint(programs, std::uint64_t(k));
        });
        std::thread selfTest([&] {
            while (!done.load()) deviceSelfTest(32);
        });
        gfn.join();
        mcts.join();
        done = true;
        selfTest.join();
        QCOMPARE(gfnThreaded, gfnAlone);
        QCOMPARE(mctsThreaded, mctsAlone);
    }

    void twoSearchesInOneProcess() {
        const SearchConfig gfn = gfnConfig(), mcts = mctsConfig();
        auto run = [this](const SearchConfig& c) {
            SearchFeedback feedback;
            return printOf(runSearch(m_session, c, feedback));
        };

        // Alone.
        const PoolPrint gfnAlone = run(gfn);
        const PoolPrint mctsAlone = run(mcts);
        for (const PoolPrint* p : {&gfnAlone, &mctsAlone}) {
            QVERIFY2(p->error.empty(), p->error.c_str());
            QVERIFY(!p->formulas.empty());
            // Both learners trained: their parameters (drawn from their generators) shaped the run.
            QVERIFY(std::isfinite(p->loss));
        }
        qInfo("alone: GFlowNet pool %d, MCTS pool %d", int(gfnAlone.formulas.size()), int(mctsAlone.formulas.size()));

        // Side by side, sharing the session (its evaluator is re-entrant).
        PoolPrint gfnThreaded, mctsThreaded;
        std::thread a([&] { gfnThreaded = run(gfn); });
        std::thread b([&] { mctsThreaded = run(mcts); });
        a.join();
        b.join();

        // One after the other, MCTS first.
        const PoolPrint mctsSecond = run(mcts);
        const PoolPrint gfnSecond = run(gfn);

        for (const PoolPrint* p : {static_cast<const PoolPrint*>(&gfnThreaded), &gfnSecond}) {
            QVERIFY2(p->error.empty(), p->error.c_str());
            QCOMPARE(p->evaluations, gfnAlone.evaluations);
            QCOMPARE(p->formulas, gfnAlone.formulas);
            QCOMPARE(p->weights, gfnAlone.weights);
        }
        for (const PoolPrint* p : {static_cast<const PoolPrint*>(&mctsThreaded), &mctsSecond}) {
            QVERIFY2(p->error.empty(), p->error.c_str());
            QCOMPARE(p->evaluations, mctsAlone.evaluations);
            QCOMPARE(p->formulas, mctsAlone.formulas);
            QCOMPARE(p->weights, mctsAlone.weights);
        }
    }

    void monitorFiguresOfEverySearch_data() {
        QTest::addColumn<int>("algo");
        QTest::newRow("random") << int(SearchAlgo::Random);
        QTest::newRow("gp") << int(SearchAlgo::Genetic);
        QTest::newRow("mcts") << int(SearchAlgo::Mcts);
        QTest::newRow("gfn") << int(SearchAlgo::GFlowNet);
        QTest::newRow("ppo") << int(SearchAlgo::Ppo);
    }

    void monitorFiguresOfEverySearch() {
        // Every report (one per episode and evaluation here) carries the reward figures of the
        // episodes since the previous one; the largest over the run is the best reward earned.
        QFETCH(int, algo);
        SearchConfig c = algo == int(SearchAlgo::GFlowNet) ? gfnConfig()
                         : algo == int(SearchAlgo::Mcts)   ? mctsConfig()
                                                           : defaultSearchConfig(SearchAlgo(algo));
        if (algo == int(SearchAlgo::Ppo)) { // small, with updates within the budget
            c.ppo.hidden = 32;
            c.ppo.rolloutSteps = 128;
            c.ppo.batchSize = 64;
            c.ppo.epochs = 2;
            c.grammar.maxTokens = 8;
        }
        c.seed = 1;
        c.budget.evaluations = 160;
        if (algo == int(SearchAlgo::Genetic)) {
            c.gp.population = 100; // two generations and more within the budget
            c.budget.evaluations = 300;
        }
        c.progressInterval = 1e-9; // a report at every episode and evaluation
        c.preferCuda = false;
        SearchFeedback feedback;
        double bestReward = -std::numeric_limits<double>::infinity();
        bool anyLoss = false, meanAboveBest = false;
        int reports = 0;
        feedback.onSearchProgress = [&](const SearchProgress& p) {
            ++reports;
            if (std::isfinite(p.rewardBest)) bestReward = std::max(bestReward, p.rewardBest);
            if (p.rewardMean > p.rewardBest + 1e-12) meanAboveBest = true;
            anyLoss = anyLoss || std::isfinite(p.loss);
        };
        auto r = runSearch(m_session, c, feedback);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        const double bestIc = r->lastProgress.bestIc;
        qInfo("%d reports; best reward %.4f, best |IC| %.4f, last loss %g", reports, bestReward, bestIc,
              r->lastProgress.loss);
        QVERIFY(reports > 10);
        QVERIFY2(std::isfinite(bestReward), "no reward reported");
        QVERIFY(!meanAboveBest);
        QVERIFY(std::isfinite(bestIc) && bestIc > 0.0);
        switch (SearchAlgo(algo)) {
        case SearchAlgo::Random:
            // The reward is |train IC|: the best reward is the best single-formula IC.
            QCOMPARE(bestReward, bestIc);
            QVERIFY(!anyLoss);
            break;
        case SearchAlgo::Genetic:
            // Fitness = |IC| - parsimony * tokens: below the best |IC|, above 0 on this market.
            QVERIFY(bestReward > 0.0 && bestReward < bestIc);
            QVERIFY(!anyLoss);
            break;
        case SearchAlgo::Mcts:
            // The episode's return is the leaf's Perf = (1 - max |mutual|) * |IC| <= best |IC|.
            QVERIFY(bestReward > 0.0 && bestReward <= bestIc + 1e-12);
            QVERIFY(anyLoss && std::isfinite(r->lastProgress.loss) && r->lastProgress.loss >= 0.0);
            break;
        case SearchAlgo::GFlowNet:
            // R = |IC| + w_ssl * SSL + w_nov * NOV >= |IC| for a usable formula, floored at e^-10.
            QVERIFY(bestReward >= bestIc);
            QVERIFY(anyLoss && std::isfinite(r->lastProgress.loss));
            break;
        case SearchAlgo::Ppo: {
            // The reward is the pool's combined train IC after an offer: the last admission was
            // rewarded with the final pool's level, so the best reward is at least that.
            QVERIFY(bestReward > 0.0);
            QVERIFY(!r->combined.empty());
            QVERIFY(bestReward >= r->lastProgress.poolIc - 1e-12);
            QVERIFY(anyLoss && std::isfinite(r->lastProgress.loss));
            break;
        }
        }
    }

private:
    std::shared_ptr<const ResearchSession> m_session;
};

QTEST_GUILESS_MAIN(TestSearchDeterminism)
#include "tst_search_determinism.moc"

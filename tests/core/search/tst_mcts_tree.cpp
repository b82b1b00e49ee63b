// MCTS arithmetic on hand-computed numbers (top-k returns, beta mean/max value, pUCT, Dirichlet
// mixing, visit temperature, path returns, Perf), and the search loop without a network on a
// planted market: budget, determinism, cancel, and what the search hands to a guide.

#include "core/search/mcts.h"

#include "core/search/planted.h"
#include "core/search/search.h"

#include "tests/support/test_support.h"

#include <QTest>

#include <cmath>
#include <cstdio>
#include <numeric>

using namespace alphascope;
using alphascope::test::near;

namespace {

/// A guide with fixed priors (uniform) and value, recording what the search sends it.
class RecordingGuide final : public MctsGuide {
public:
    explicit RecordingGuide(int vocabulary) : m_vocabulary(vocabulary) {}
    Result<void> evaluate(const ProgramState& state, const std::vector<int>& legal, std::vector<float>& priors,
                          float& value) override {
        ++evaluations;
        if (state.finished() || legal != state.legalActions()) badCalls++;
        priors.assign(legal.size(), 1.0f / static_cast<float>(legal.size()));
        value = 0.0f;
        return {};
    }
    Result<double> train(const std::vector<MctsSample>& batch) override {
        ++trainCalls;
        samples.insert(samples.end(), batch.begin(), batch.end());
        return 0.0;
    }
    std::string device() const override { return "CPU"; }
    int vocabularySize() const override { return m_vocabulary; }

    int evaluations = 0;
    int trainCalls = 0;
    int badCalls = 0;
    std::vector<MctsSample> samples;

private:
    int m_vocabulary;
};

Grammar smallGrammar() {
    Grammar g;
    g.operators = {OpId::Abs, OpId::Add, OpId::Sub, OpId::Div, OpId::Mean, OpId::CSRank};
    g.features = {"open", "close", "high", "low", "volume", "vwap"};
    g.windows = {10, 20};
    g.constants = {1.0, 2.0};
    return g;
}

SearchConfig mctsConfig(long long evaluations, std::uint64_t seed) {
    SearchConfig c;
    c.algo = SearchAlgo::Mcts;
    c.seed = seed;
    c.budget.evaluations = evaluations;
    c.grammar = smallGrammar();
    c.mcts.simulationsPerMove = 16;
    c.mcts.useNetwork = false;
    return c;
}

std::vector<std::string> poolFormulas(SearchRun& run) {
    std::vector<std::string> f;
    for (const auto& m : run.pool().members()) f.push_back(m.factor.formula);
    return f;
}

} // namespace

class TestMctsTree : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        PlantedSpec spec;
        spec.market.days = 260;
        spec.market.instruments = 60;
        spec.formulas = {"Div($open, $close)"};
        auto s = openPlantedSession(spec);
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().message.c_str());
        m_session = *s;
    }

    void topKKeepsTheLargest() {
        TopKReturns t(5);
        QVERIFY(t.empty());
        QCOMPARE(t.value(0.5), 0.0);
        for (double v : {1.0, 5.0, 3.0, 7.0, 2.0, 9.0, 4.0}) t.add(v);
        QCOMPARE(t.size(), 5);
        QCOMPARE(t.sorted(), (std::vector<double>{9, 7, 5, 4, 3}));
        CHECK_NEAR(t.mean(), 5.6, 1e-12);
        QCOMPARE(t.max(), 9.0);
        CHECK_NEAR(t.value(0.5), 0.5 * 5.6 + 0.5 * 9.0, 1e-12);
        CHECK_NEAR(t.value(1.0), 5.6, 1e-12);
        CHECK_NEAR(t.value(0.0), 9.0, 1e-12);
        t.add(3.5); // replaces 3
        QCOMPARE(t.sorted(), (std::vector<double>{9, 7, 5, 4, 3.5}));
        t.add(-1.0); // below the smallest kept: ignored
        QCOMPARE(t.sorted(), (std::vector<double>{9, 7, 5, 4, 3.5}));
        TopKReturns negative(2);
        negative.add(-0.2);
        negative.add(-0.1);
        negative.add(-0.3);
        CHECK_NEAR(negative.value(0.25), 0.25 * -0.15 + 0.75 * -0.1, 1e-12);
    }

    void puctArithmetic() {
        // c = log((N + c_base + 1) / c_base) + c_init.
        CHECK_NEAR(puctCoefficient(0, 20000, 1.0), 1.0000499987500417, 1e-15);
        CHECK_NEAR(puctCoefficient(100, 20000, 1.0), 1.005037291517268, 1e-15);
        // 0.4 + c(100) * 0.2 * sqrt(100) / (1 + 3).
        CHECK_NEAR(puctScore(0.4, 0.2, 100, 3, 20000, 1.0), 0.902518645758634, 1e-14);
        CHECK_NEAR(puctScore(0.0, 0.5, 0, 0, 20000, 1.0), 0.0, 1e-15);
        // More visits to the child shrink the exploration term.
        QVERIFY(puctScore(0.0, 0.2, 100, 9, 20000, 1.0) < puctScore(0.0, 0.2, 100, 3, 20000, 1.0));
    }

    void minMaxNormalisation() {
        MinMaxStats s;
        QCOMPARE(s.normalize(0.3), 0.3); // nothing seen yet: unchanged
        s.update(0.1);
        QCOMPARE(s.normalize(0.3), 0.3); // max == min: unchanged
        s.update(0.5);
        CHECK_NEAR(s.normalize(0.3), 0.5, 1e-12);
        CHECK_NEAR(s.normalize(0.5), 1.0, 1e-12);
    }

    void dirichletMixing() {
        std::mt19937_64 rng(5), same(5);
        const std::vector<float> noise = sampleDirichlet(40, 0.1, rng);
        QCOMPARE(noise, sampleDirichlet(40, 0.1, same));
        QCOMPARE(static_cast<int>(noise.size()), 40);
        double sum = 0.0;
        for (float x : noise) {
            QVERIFY(x >= 0.0f);
            sum += x;
        }
        CHECK_NEAR(sum, 1.0, 1e-5);
        // Alpha 0.1 concentrates the mass on a few entries.
        QVERIFY(*std::max_element(noise.begin(), noise.end()) > 0.2f);
        const std::vector<float> priors(40, 1.0f / 40.0f);
        const std::vector<float> mixed = mixNoise(priors, noise, 0.25);
        CHECK_NEAR(std::accumulate(mixed.begin(), mixed.end(), 0.0), 1.0, 1e-5);
        CHECK_NEAR(mixed[7], 0.75 / 40.0 + 0.25 * noise[7], 1e-7);
        const std::vector<float> hand = mixNoise({0.5f, 0.5f}, {1.0f, 0.0f}, 0.25);
        CHECK_NEAR(hand[0], 0.625, 1e-7);
        CHECK_NEAR(hand[1], 0.375, 1e-7);
    }

    void visitTemperature() {
        const std::vector<int> visits{1, 3, 0, 4};
        const auto t1 = visitDistribution(visits, 1.0);
        CHECK_NEAR(t1[0], 0.125, 1e-7);
        CHECK_NEAR(t1[1], 0.375, 1e-7);
        QCOMPARE(t1[2], 0.0f);
        CHECK_NEAR(t1[3], 0.5, 1e-7);
        const auto t05 = visitDistribution(visits, 0.5); // squares: 1, 9, 0, 16 over 26
        CHECK_NEAR(t05[1], 9.0 / 26.0, 1e-6);
        CHECK_NEAR(t05[3], 16.0 / 26.0, 1e-6);
        QCOMPARE(visitDistribution(visits, 0.0), (std::vector<float>{0, 0, 0, 1}));
        QCOMPARE(visitDistribution({0, 0}, 1.0), (std::vector<float>{0.5f, 0.5f}));
    }

    void progressiveWidening() {
        // ceil((N + 1)^0.5): 1 child before any visit, 2 after 1..3, 3 after 4..8, 10 after 99.
        QCOMPARE(wideningLimit(0), 1);
        QCOMPARE(wideningLimit(1), 2);
        QCOMPARE(wideningLimit(3), 2);
        QCOMPARE(wideningLimit(4), 3);
        QCOMPARE(wideningLimit(8), 3);
        QCOMPARE(wideningLimit(99), 10);
    }

    void backupReturns() {
        // Root, then edges with rewards 0.1, -0.02, 0.05 and a leaf value of 0.2.
        const auto g = pathReturns({0.0, 0.1, -0.02, 0.05}, 0.2);
        QCOMPARE(static_cast<int>(g.size()), 4);
        CHECK_NEAR(g[3], 0.2, 1e-12);
        CHECK_NEAR(g[2], 0.25, 1e-12);
        CHECK_NEAR(g[1], 0.23, 1e-12);
        CHECK_NEAR(g[0], 0.33, 1e-12);
        // Perf = (1 - max |mutual|) * |IC|.
        CHECK_NEAR(programPerf(0.05, 0.3), 0.035, 1e-12);
        CHECK_NEAR(programPerf(-0.05, 0.3), 0.035, 1e-12);
        QCOMPARE(programPerf(std::nan(""), 0.0), 0.0);
        QCOMPARE(programPerf(0.05, 1.0), 0.0);
    }

    void searchRespectsBudgetAndIsDeterministic() {
        std::vector<std::string> first;
        for (int round = 0; round < 2; ++round) {
            SearchFeedback feedback;
            SearchRun run(m_session, mctsConfig(150, 3), feedback);
            QVERIFY(runMctsSearch(run, nullptr).ok());
            QCOMPARE(run.scorer().evaluations(), 150LL);
            QVERIFY(run.pool().size() > 0);
            QVERIFY(run.episodes() >= 150);
            if (round == 0)
                first = poolFormulas(run);
            else
                QCOMPARE(poolFormulas(run), first);
        }
        SearchFeedback feedback;
        SearchRun other(m_session, mctsConfig(150, 4), feedback);
        QVERIFY(runMctsSearch(other, nullptr).ok());
        QVERIFY(poolFormulas(other) != first);
    }

    void leafBatchesEvaluateTogether() {
        // The note's averages: a batch of 1 is one simulation at a time; the default batch runs
        // several simulations and evaluates more than one new formula per batch, within the exact
        // evaluation and episode budgets.
        auto averages = [](const SearchResult& r, double& simulations, double& formulas) {
            for (const std::string& n : r.notes)
                if (std::sscanf(n.c_str(), "mcts: %*d games, %*d actions, leaf batches of %lf simulations and %lf",
                                &simulations, &formulas) == 2)
                    return true;
            return false;
        };
        // One run of 150 evaluations with the given batch: its mean simulations and new formulas per batch.
        auto batchRun = [&](int leafBatch, double& simulations, double& formulas) {
            SearchFeedback feedback;
            SearchConfig c = mctsConfig(150, 3);
            c.mcts.leafBatch = leafBatch;
            SearchRun run(m_session, c, feedback);
            QVERIFY(runMctsSearch(run, nullptr).ok());
            QCOMPARE(run.scorer().evaluations(), 150LL);
            auto r = run.finish();
            QVERIFY(r.ok());
            QVERIFY(averages(*r, simulations, formulas));
        };
        QCOMPARE(MctsOptions{}.leafBatch, 16);
        double simulations = 0, formulas = 0;
        batchRun(1, simulations, formulas);
        if (QTest::currentTestFailed()) return;
        QCOMPARE(simulations, 1.0);
        QVERIFY(formulas <= 1.0);
        batchRun(16, simulations, formulas);
        if (QTest::currentTestFailed()) return;
        QVERIFY2(simulations > 4.0, std::to_string(simulations).c_str());
        QVERIFY2(formulas > 1.5, std::to_string(formulas).c_str());
        {
            SearchFeedback feedback;
            SearchConfig c = mctsConfig(0, 5);
            c.budget.episodes = 101; // not a multiple of the batch
            SearchRun run(m_session, c, feedback);
            QVERIFY(runMctsSearch(run, nullptr).ok());
            QCOMPARE(run.episodes(), 101LL);
        }
    }

    void canceledRunReturnsAtOnce() {
        SearchFeedback feedback;
        feedback.cancel();
        SearchRun run(m_session, mctsConfig(1000, 1), feedback);
        QVERIFY(runMctsSearch(run, nullptr).ok());
        QCOMPARE(run.scorer().evaluations(), 0LL);
        // Cancel from the progress callback, mid-search.
        SearchFeedback mid;
        SearchConfig c = mctsConfig(100000, 1);
        c.progressInterval = 0.0;
        mid.onSearchProgress = [&mid](const SearchProgress& p) {
            if (p.evaluations >= 40) mid.cancel();
        };
        SearchRun run2(m_session, c, mid);
        QVERIFY(runMctsSearch(run2, nullptr).ok());
        QVERIFY(run2.scorer().evaluations() >= 40);
        QVERIFY(run2.scorer().evaluations() <= 41);
        auto result = run2.finish();
        QVERIFY(result.ok());
        QVERIFY(result->canceled);
    }

    void guideSeesLegalStatesAndGetsSamples() {
        SearchFeedback feedback;
        SearchConfig c = mctsConfig(400, 2);
        c.mcts.useNetwork = true;
        c.mcts.trainEvery = 1;
        c.mcts.batchSize = 8;
        SearchRun run(m_session, c, feedback);
        RecordingGuide guide(ProgramVocabulary(run.grammar()).size());
        QVERIFY(runMctsSearch(run, &guide).ok());
        QVERIFY(guide.evaluations > 0);
        QCOMPARE(guide.badCalls, 0);
        QVERIFY(guide.trainCalls > 0);
        QVERIFY(!guide.samples.empty());
        const ProgramVocabulary v(run.grammar());
        for (const MctsSample& s : guide.samples) {
            QCOMPARE(static_cast<int>(s.encoding.size()), run.grammar().maxInstructions);
            QCOMPARE(s.legal.size(), s.policy.size());
            CHECK_NEAR(std::accumulate(s.policy.begin(), s.policy.end(), 0.0), 1.0, 1e-5);
            QVERIFY(std::isfinite(s.value));
            QVERIFY(s.value >= -1.0f && s.value <= 1.0f);
        }
        // A guide built for another grammar is refused.
        RecordingGuide wrong(7);
        SearchRun run2(m_session, c, feedback);
        QVERIFY(!runMctsSearch(run2, &wrong).ok());
    }

private:
    std::shared_ptr<const ResearchSession> m_session;
};

QTEST_GUILESS_MAIN(TestMctsTree)
#include "tst_mcts_tree.moc"

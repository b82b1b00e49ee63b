// The MCTS search with its LibTorch policy/value network (Alpha2), through runSearch, on a planted
// market: it finds the planted formula within a small budget on the default grammar, is
// deterministic per seed on CPU, respects the budget and cancels promptly; the network starts
// uniform and its AlphaZero loss falls on a fixed toy batch.

#include "core/nn/mcts_network.h"
#include "core/search/mcts.h"
#include "core/search/planted.h"
#include "core/search/search.h"

#include "core/expr/parser.h"
#include "core/pool/factor_scorer.h"

#include "tests/support/test_support.h"

#include <QTest>

#include <cmath>
#include <map>
#include <numeric>

using namespace alphascope;

namespace {

const char* const kPlanted = "Div($open, $close)";

SearchConfig mctsConfig(long long evaluations, std::uint64_t seed) {
    SearchConfig c;
    c.algo = SearchAlgo::Mcts;
    c.seed = seed;
    c.budget.evaluations = evaluations;
    c.preferCuda = false; // tests run on the CPU (deterministic)
    c.mcts.simulationsPerMove = 32;
    c.mcts.trainEvery = 2;
    c.mcts.batchSize = 32;
    c.mcts.learningRate = 1e-3;
    // With lambda = 0 the closed-form weights of near-collinear price-level members run into the
    // thousands and the planted factor can be evicted as the "smallest |w|" (seen with seed 0);
    // a small L1 penalty keeps the weights meaningful. That is about the pool, not the search.
    c.poolOptions.l1 = 0.005;
    return c;
}

/// Largest |mutual correlation| between the planted formula and a pool member, on the train split.
double bestMutual(const ResearchSession& s, const SearchResult& r, std::string* best) {
    const Split* train = &s.splits.front();
    for (const Split& sp : s.splits)
        if (sp.name == "train") train = &sp;
    FactorScorer scorer(s.evaluator, s.targetValues, DayRange{train->begin, train->end});
    auto planted = scorer.score(*parseFormula(kPlanted));
    if (!planted.ok()) return 0.0;
    double m = 0.0;
    for (const PoolFactorReport& f : r.pool) {
        auto e = parseFormula(f.formula);
        if (!e.ok()) continue;
        auto scored = scorer.score(*e);
        if (!scored.ok()) continue;
        const double c = std::fabs(scorer.mutual(*planted, *scored));
        if (c > m) {
            m = c;
            if (best) *best = f.formula;
        }
    }
    return m;
}

/// A fixed batch from random legal walks: one-hot policy targets, values in [-0.2, 0.2].
std::vector<MctsSample> toyBatch(const ProgramVocabulary& v, int size) {
    std::mt19937_64 rng(9);
    std::vector<MctsSample> batch;
    for (int b = 0; b < size; ++b) {
        ProgramState s(v);
        const int steps = b % 4;
        for (int k = 0; k < steps; ++k) {
            const auto legal = s.legalActions();
            int a = legal[std::uniform_int_distribution<std::size_t>(0, legal.size() - 1)(rng)];
            if (a == v.finishAction()) a = legal.front();
            s.apply(a);
        }
        MctsSample sample;
        sample.encoding = s.encode();
        sample.legal = s.legalActions();
        sample.policy.assign(sample.legal.size(), 0.0f);
        sample.policy[std::uniform_int_distribution<std::size_t>(0, sample.legal.size() - 1)(rng)] = 1.0f;
        sample.value = std::uniform_real_distribution<float>(-0.2f, 0.2f)(rng);
        batch.push_back(std::move(sample));
    }
    return batch;
}

Grammar toyGrammar() {
    Grammar g;
    g.operators = {OpId::Abs, OpId::Sub, OpId::Div, OpId::Mean};
    g.features = {"open", "close", "volume"};
    g.windows = {10, 20};
    g.constants = {2.0};
    return g;
}

} // namespace

class TestMctsSearch : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        PlantedSpec spec;
        spec.formulas = {kPlanted};
        auto s = openPlantedSession(spec);
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().message.c_str());
        m_session = *s;
    }

    void findsThePlantedFormula() {
        // Default grammar (36 operators, about 4,500 program actions), 1,500 evaluations. Measured
        // at this config: 11 of seeds 0-15 reach |mutual| 0.9; the others fill the pool with
        // price-level formulas and never meet a price ratio (3,000 evaluations rescue 1 of the 5).
        // On the planted market drawn with std::normal_distribution before core/util/random.h it
        // was 16 of 16: the search, not the draws, is that sensitive to the market.
        SearchFeedback feedback;
        auto r = runSearch(m_session, mctsConfig(1500, 0), feedback);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        std::string best;
        const double m = bestMutual(*m_session, *r, &best);
        qInfo("best |mutual| %.3f: %s; pool %d, %lld evaluations, %.1f s, %.0f evaluations/s, %s", m, best.c_str(),
              static_cast<int>(r->pool.size()), r->evaluations, r->seconds, r->evaluationsPerSecond, r->device.c_str());
        for (const auto& n : r->notes) qInfo("note: %s", n.c_str());
        QCOMPARE(r->evaluations, 1500LL);
        QCOMPARE(r->stopReason, std::string("evaluation budget"));
        QCOMPARE(r->device, std::string("CPU"));
        QVERIFY(m >= 0.9);
        // The diagnostics: games and their Perf, the value head's out-of-sample quality.
        std::map<std::string, double> d(r->diagnostics.begin(), r->diagnostics.end());
        for (const auto& [name, value] : d) qInfo("diagnostic %s = %g", name.c_str(), value);
        QVERIFY(d.count("mcts.games") && d["mcts.games"] >= 10);
        QVERIFY(d["mcts.game_perf_first_tenth"] >= 0.0 && d["mcts.game_perf_last_tenth"] >= 0.0);
        QVERIFY(d["mcts.training_steps"] >= 1);
        for (const char* name : {"mcts.value_corr_first_half", "mcts.value_corr_second_half"})
            QVERIFY2(d.count(name) && std::fabs(d[name]) <= 1.0, name);
        for (const char* name : {"mcts.value_mse_first_half", "mcts.value_mse_second_half"})
            QVERIFY2(d.count(name) && d[name] >= 0.0, name);
    }

    void sameSeedSamePool() {
        std::vector<std::string> formulas[2];
        std::vector<double> weights[2];
        for (int round = 0; round < 2; ++round) {
            SearchFeedback feedback;
            auto r = runSearch(m_session, mctsConfig(250, 5), feedback);
            QVERIFY(r.ok());
            QCOMPARE(r->evaluations, 250LL);
            for (const auto& f : r->pool) {
                formulas[round].push_back(f.formula);
                weights[round].push_back(f.weight);
            }
        }
        QVERIFY(!formulas[0].empty());
        QCOMPARE(formulas[1], formulas[0]);
        QCOMPARE(weights[1], weights[0]);
    }

    void cancelReturnsPromptly() {
        SearchFeedback before;
        before.cancel();
        auto r0 = runSearch(m_session, mctsConfig(100000, 1), before);
        QVERIFY(r0.ok());
        QVERIFY(r0->canceled);
        QCOMPARE(r0->evaluations, 0LL);

        SearchFeedback feedback;
        SearchConfig c = mctsConfig(100000, 1);
        c.progressInterval = 0.0;
        feedback.onSearchProgress = [&feedback](const SearchProgress& p) {
            if (p.evaluations >= 60) feedback.cancel();
        };
        auto r = runSearch(m_session, c, feedback);
        QVERIFY(r.ok());
        QVERIFY(r->canceled);
        QCOMPARE(r->stopReason, std::string("canceled"));
        // Each simulation scores at most one formula and checks shouldStop() before the next.
        QVERIFY(r->evaluations >= 60 && r->evaluations <= 61);
    }

    void networkStartsUniformAndLearnsAToyBatch() {
        const ProgramVocabulary v(toyGrammar());
        MctsOptions o;
        o.hidden = 64;
        o.learningRate = 3e-3;
        auto net = makeMctsNetwork(v, o, 7, false);
        QVERIFY(net);
        QCOMPARE(net->device(), std::string("CPU"));
        QCOMPARE(net->vocabularySize(), v.size());
        ProgramState empty(v);
        const auto legal = empty.legalActions();
        std::vector<float> priors;
        float value = 1.0f;
        QVERIFY(net->evaluate(empty, legal, priors, value).ok());
        QCOMPARE(priors.size(), legal.size());
        for (float p : priors) CHECK_NEAR(p, 1.0 / double(legal.size()), 1e-6);
        QCOMPARE(value, 0.0f);

        const auto batch = toyBatch(v, 24);
        std::vector<double> losses;
        for (int step = 0; step < 150; ++step) {
            auto loss = net->train(batch);
            QVERIFY(loss.ok());
            losses.push_back(*loss);
        }
        qInfo("toy loss %.4f -> %.4f", losses.front(), losses.back());
        QVERIFY(std::isfinite(losses.back()));
        QVERIFY(losses.back() < 0.2 * losses.front());

        // The trained priors put most mass on each sample's target action.
        int hits = 0;
        for (const MctsSample& s : batch) {
            ProgramState st(v);
            for (int a : s.encoding)
                if (a < v.size()) st.apply(a);
            QVERIFY(net->evaluate(st, s.legal, priors, value).ok());
            CHECK_NEAR(std::accumulate(priors.begin(), priors.end(), 0.0), 1.0, 1e-5);
            const auto top = std::max_element(priors.begin(), priors.end()) - priors.begin();
            if (s.policy[static_cast<std::size_t>(top)] == 1.0f) ++hits;
        }
        QVERIFY(hits >= 20);

        // A leaf batch's one forward gives each state the priors and value evaluate() gives it.
        std::vector<ProgramState> states;
        std::vector<std::vector<int>> legals;
        for (const MctsSample& s : batch) {
            ProgramState st(v);
            for (int a : s.encoding)
                if (a < v.size()) st.apply(a);
            states.push_back(st);
            legals.push_back(s.legal);
        }
        std::vector<const ProgramState*> sp;
        std::vector<const std::vector<int>*> lp;
        for (std::size_t i = 0; i < states.size(); ++i) {
            sp.push_back(&states[i]);
            lp.push_back(&legals[i]);
        }
        std::vector<std::vector<float>> batchPriors;
        std::vector<float> batchValues;
        QVERIFY(net->evaluateBatch(sp, lp, batchPriors, batchValues).ok());
        QCOMPARE(batchPriors.size(), states.size());
        QCOMPARE(batchValues.size(), states.size());
        for (std::size_t i = 0; i < states.size(); ++i) {
            QVERIFY(net->evaluate(states[i], legals[i], priors, value).ok());
            QCOMPARE(batchPriors[i].size(), priors.size());
            for (std::size_t k = 0; k < priors.size(); ++k) CHECK_NEAR(batchPriors[i][k], priors[k], 1e-5);
            CHECK_NEAR(batchValues[i], value, 1e-5);
        }

        // Same seed, same batch: the same losses (CPU determinism).
        auto again = makeMctsNetwork(v, o, 7, false);
        for (int step = 0; step < 5; ++step) QCOMPARE(*again->train(batch), losses[static_cast<std::size_t>(step)]);
    }

private:
    std::shared_ptr<const ResearchSession> m_session;
};

QTEST_GUILESS_MAIN(TestMctsSearch)
#include "tst_mcts_search.moc"

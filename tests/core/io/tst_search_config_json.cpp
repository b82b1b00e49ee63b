// SearchConfig <-> JSON: every field survives the round trip (also those of the algorithms not
// selected), older files missing keys read with defaults, and bad files are refused with the key.

#include "core/expr/operator_registry.h"
#include "core/io/search_config_json.h"

#include <QTest>

#include <nlohmann/json.hpp>

using namespace alphascope;

namespace {

/// A config where every field differs from its default.
SearchConfig everyFieldChanged() {
    SearchConfig c;
    c.algo = SearchAlgo::Mcts;
    c.seed = 0xFEDCBA9876543210ull; // the full 64 bits
    c.budget = {1234, 56, 78.5};
    c.grammar.operators = {OpId::Add, OpId::Mean, OpId::Corr, OpId::CSRank};
    c.grammar.features = {"close", "volume"};
    c.grammar.windows = {5, 21};
    c.grammar.constants = {-1.5, 0.25};
    c.grammar.groups = {"sector"};
    c.grammar.maxTokens = 13;
    c.grammar.maxInstructions = 7;
    c.grammar.registers = 3;
    c.grammar.dimensionCheck = true;
    c.pool = PoolKind::Mining;
    c.poolOptions = {.capacity = 33,
                     .l1 = 0.02,
                     .ridge = 0.125,
                     .refuseLowerIc = true,
                     .complexity = 0.0025,
                     .maxMutual = 0.95,
                     .replaceSimilar = 0.85,
                     .admitMutual = 0.45};
    c.preferCuda = false;
    c.gfn.encoder = GFlowNetOptions::Encoder::Lstm;
    c.gfn.hidden = 64;
    c.gfn.layers = 3;
    c.gfn.learningRate = 3e-4;
    c.gfn.updateFrequency = 16;
    c.gfn.entropyCoef = 0.02;
    c.gfn.entropyTemperature = 1.5;
    c.gfn.forcedStopProb = 0.5;
    c.gfn.sslWeight = 0.7;
    c.gfn.noveltyWeight = 0.1;
    c.gfn.denseRewards = true;
    c.gfn.logZInit = -2.25;
    c.gfn.logZLearningRate = 0.03;
    c.gfn.rewardExponent = 5.5;
    c.gfn.noveltyScaledIc = true;
    c.gfn.explorationEpsilon = 0.125;
    c.gfn.replayShare = 0.75;
    c.gfn.lengthPenalty = 0.3;
    c.gfn.localSearchShare = 0.4;
    c.gfn.geneticShare = 0.3;
    c.gfn.replayCapacity = 321;
    c.gfn.logZWarmStart = false;
    c.mcts = {32, 5, 1000.0, 1.25, 0.3, 0.1, 7, 0.25, false, 48, 1e-3, 16, 200, 2, 0.3};
    c.gp.population = 300;
    c.gp.tournament = 7;
    c.gp.crossover = 0.6;
    c.gp.subtreeMutation = 0.15;
    c.gp.hoistMutation = 0.04;
    c.gp.pointMutation = 0.11;
    c.gp.pointReplace = 0.07;
    c.gp.parsimony = 0.002;
    c.gp.initDepthMin = 3;
    c.gp.initDepthMax = 5;
    c.gp.poolEvery = 2;
    c.gp.offerTop = 9;
    c.ppo = {96, 3, 0.2, 1e-4, 512, 64, 4, 0.99, 0.9, 0.1, 0.02, 0.25, 1.5};
    c.progressInterval = 0.5;
    c.snapshotInterval = 3.5;
    return c;
}

void compareConfigs(const SearchConfig& a, const SearchConfig& b) {
    QCOMPARE(a.algo, b.algo);
    QCOMPARE(a.seed, b.seed);
    QCOMPARE(a.budget.evaluations, b.budget.evaluations);
    QCOMPARE(a.budget.episodes, b.budget.episodes);
    QCOMPARE(a.budget.seconds, b.budget.seconds);
    QCOMPARE(a.grammar.operators, b.grammar.operators);
    QCOMPARE(a.grammar.features, b.grammar.features);
    QCOMPARE(a.grammar.windows, b.grammar.windows);
    QCOMPARE(a.grammar.constants, b.grammar.constants);
    QCOMPARE(a.grammar.groups, b.grammar.groups);
    QCOMPARE(a.grammar.maxTokens, b.grammar.maxTokens);
    QCOMPARE(a.grammar.maxInstructions, b.grammar.maxInstructions);
    QCOMPARE(a.grammar.registers, b.grammar.registers);
    QCOMPARE(a.grammar.dimensionCheck, b.grammar.dimensionCheck);
    QCOMPARE(a.pool.has_value(), b.pool.has_value());
    if (a.pool) QCOMPARE(*a.pool, *b.pool);
    QCOMPARE(a.poolOptions.capacity, b.poolOptions.capacity);
    QCOMPARE(a.poolOptions.l1, b.poolOptions.l1);
    QCOMPARE(a.poolOptions.ridge, b.poolOptions.ridge);
    QCOMPARE(a.poolOptions.refuseLowerIc, b.poolOptions.refuseLowerIc);
    QCOMPARE(a.poolOptions.complexity, b.poolOptions.complexity);
    QCOMPARE(a.poolOptions.replaceSimilar, b.poolOptions.replaceSimilar);
    QCOMPARE(a.poolOptions.maxMutual, b.poolOptions.maxMutual);
    QCOMPARE(a.poolOptions.admitMutual, b.poolOptions.admitMutual);
    QCOMPARE(a.preferCuda, b.preferCuda);
    QCOMPARE(a.gfn.encoder, b.gfn.encoder);
    QCOMPARE(a.gfn.hidden, b.gfn.hidden);
    QCOMPARE(a.gfn.logZLearningRate, b.gfn.logZLearningRate);
    QCOMPARE(a.gfn.rewardExponent, b.gfn.rewardExponent);
    QCOMPARE(a.gfn.noveltyScaledIc, b.gfn.noveltyScaledIc);
    QCOMPARE(a.gfn.explorationEpsilon, b.gfn.explorationEpsilon);
    QCOMPARE(a.gfn.replayShare, b.gfn.replayShare);
    QCOMPARE(a.gfn.lengthPenalty, b.gfn.lengthPenalty);
    QCOMPARE(a.gfn.localSearchShare, b.gfn.localSearchShare);
    QCOMPARE(a.gfn.geneticShare, b.gfn.geneticShare);
    QCOMPARE(a.gfn.replayCapacity, b.gfn.replayCapacity);
    QCOMPARE(a.gfn.logZWarmStart, b.gfn.logZWarmStart);
    QCOMPARE(a.gfn.layers, b.gfn.layers);
    QCOMPARE(a.gfn.learningRate, b.gfn.learningRate);
    QCOMPARE(a.gfn.updateFrequency, b.gfn.updateFrequency);
    QCOMPARE(a.gfn.entropyCoef, b.gfn.entropyCoef);
    QCOMPARE(a.gfn.entropyTemperature, b.gfn.entropyTemperature);
    QCOMPARE(a.gfn.forcedStopProb, b.gfn.forcedStopProb);
    QCOMPARE(a.gfn.sslWeight, b.gfn.sslWeight);
    QCOMPARE(a.gfn.noveltyWeight, b.gfn.noveltyWeight);
    QCOMPARE(a.gfn.denseRewards, b.gfn.denseRewards);
    QCOMPARE(a.gfn.logZInit, b.gfn.logZInit);
    QCOMPARE(a.mcts.simulationsPerMove, b.mcts.simulationsPerMove);
    QCOMPARE(a.mcts.leafBatch, b.mcts.leafBatch);
    QCOMPARE(a.mcts.cBase, b.mcts.cBase);
    QCOMPARE(a.mcts.cInit, b.mcts.cInit);
    QCOMPARE(a.mcts.dirichletAlpha, b.mcts.dirichletAlpha);
    QCOMPARE(a.mcts.dirichletFraction, b.mcts.dirichletFraction);
    QCOMPARE(a.mcts.topK, b.mcts.topK);
    QCOMPARE(a.mcts.beta, b.mcts.beta);
    QCOMPARE(a.mcts.useNetwork, b.mcts.useNetwork);
    QCOMPARE(a.mcts.hidden, b.mcts.hidden);
    QCOMPARE(a.mcts.learningRate, b.mcts.learningRate);
    QCOMPARE(a.mcts.batchSize, b.mcts.batchSize);
    QCOMPARE(a.mcts.replayCapacity, b.mcts.replayCapacity);
    QCOMPARE(a.mcts.trainEvery, b.mcts.trainEvery);
    QCOMPARE(a.mcts.exploreShare, b.mcts.exploreShare);
    QCOMPARE(a.gp.population, b.gp.population);
    QCOMPARE(a.gp.tournament, b.gp.tournament);
    QCOMPARE(a.gp.crossover, b.gp.crossover);
    QCOMPARE(a.gp.subtreeMutation, b.gp.subtreeMutation);
    QCOMPARE(a.gp.hoistMutation, b.gp.hoistMutation);
    QCOMPARE(a.gp.pointMutation, b.gp.pointMutation);
    QCOMPARE(a.gp.pointReplace, b.gp.pointReplace);
    QCOMPARE(a.gp.parsimony, b.gp.parsimony);
    QCOMPARE(a.gp.initDepthMin, b.gp.initDepthMin);
    QCOMPARE(a.gp.initDepthMax, b.gp.initDepthMax);
    QCOMPARE(a.gp.poolEvery, b.gp.poolEvery);
    QCOMPARE(a.gp.offerTop, b.gp.offerTop);
    QCOMPARE(a.ppo.hidden, b.ppo.hidden);
    QCOMPARE(a.ppo.layers, b.ppo.layers);
    QCOMPARE(a.ppo.dropout, b.ppo.dropout);
    QCOMPARE(a.ppo.learningRate, b.ppo.learningRate);
    QCOMPARE(a.ppo.rolloutSteps, b.ppo.rolloutSteps);
    QCOMPARE(a.ppo.batchSize, b.ppo.batchSize);
    QCOMPARE(a.ppo.epochs, b.ppo.epochs);
    QCOMPARE(a.ppo.gamma, b.ppo.gamma);
    QCOMPARE(a.ppo.gaeLambda, b.ppo.gaeLambda);
    QCOMPARE(a.ppo.clipRange, b.ppo.clipRange);
    QCOMPARE(a.ppo.entropyCoef, b.ppo.entropyCoef);
    QCOMPARE(a.ppo.valueCoef, b.ppo.valueCoef);
    QCOMPARE(a.ppo.maxGradNorm, b.ppo.maxGradNorm);
    QCOMPARE(a.progressInterval, b.progressInterval);
    QCOMPARE(a.snapshotInterval, b.snapshotInterval);
}

} // namespace

class TstSearchConfigJson : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyFieldRoundTrips();
    void defaultsRoundTrip();
    void textIsStable();
    void missingKeysKeepDefaults();
    void partialConfigOverABase();
    void badFilesNameTheKey_data();
    void badFilesNameTheKey();
};

void TstSearchConfigJson::everyFieldRoundTrips() {
    const SearchConfig c = everyFieldChanged();
    // Guard against a field that equals its default (it would round-trip by accident).
    const SearchConfig d;
    QVERIFY(c.mcts.cInit != d.mcts.cInit && c.gfn.logZInit != d.gfn.logZInit && c.gp.offerTop != d.gp.offerTop);
    // Every PPO field differs from its default.
    const PpoOptions& p = c.ppo;
    const PpoOptions q;
    QVERIFY(p.hidden != q.hidden && p.layers != q.layers && p.dropout != q.dropout &&
            p.learningRate != q.learningRate && p.rolloutSteps != q.rolloutSteps && p.batchSize != q.batchSize &&
            p.epochs != q.epochs && p.gamma != q.gamma && p.gaeLambda != q.gaeLambda && p.clipRange != q.clipRange &&
            p.entropyCoef != q.entropyCoef && p.valueCoef != q.valueCoef && p.maxGradNorm != q.maxGradNorm);
    auto back = searchConfigFromJson(searchConfigToJson(c));
    QVERIFY2(back.ok(), back.ok() ? "" : back.error().toString().c_str());
    compareConfigs(back.value(), c);
}

void TstSearchConfigJson::defaultsRoundTrip() {
    for (SearchAlgo a :
         {SearchAlgo::GFlowNet, SearchAlgo::Mcts, SearchAlgo::Genetic, SearchAlgo::Random, SearchAlgo::Ppo}) {
        const SearchConfig c = defaultSearchConfig(a);
        auto back = searchConfigFromJson(searchConfigToJson(c, 2));
        QVERIFY(back.ok());
        compareConfigs(back.value(), c);
    }
    SearchConfig noPool; // "the algorithm's own pool" stays unset
    auto back = searchConfigFromJson(searchConfigToJson(noPool));
    QVERIFY(back.ok());
    QVERIFY(!back->pool.has_value());
}

void TstSearchConfigJson::textIsStable() {
    // Written, read, written again: the same text (what the run store keeps is canonical).
    const std::string once = searchConfigToJson(everyFieldChanged());
    QCOMPARE(searchConfigToJson(searchConfigFromJson(once).value()), once);
    const auto j = nlohmann::json::parse(once);
    QCOMPARE(j.at("version").get<int>(), kSearchConfigVersion);
    QCOMPARE(j.at("format").get<std::string>(), std::string("alphascope-search-config"));
}

void TstSearchConfigJson::missingKeysKeepDefaults() {
    auto c = searchConfigFromJson(R"({"algorithm": "gp", "seed": 7, "gp": {"population": 50}})");
    QVERIFY(c.ok());
    QCOMPARE(c->algo, SearchAlgo::Genetic);
    QCOMPARE(c->seed, std::uint64_t(7));
    QCOMPARE(c->gp.population, 50);
    QCOMPARE(c->gp.tournament, GeneticOptions{}.tournament);
    QCOMPARE(c->budget.evaluations, SearchBudget{}.evaluations);
    QVERIFY(c->grammar.operators.empty());
}

void TstSearchConfigJson::partialConfigOverABase() {
    // A study's --config: the keys given replace the algorithm's defaults, the rest stay; a list
    // (the operators) is replaced, not appended to.
    SearchConfig base = defaultSearchConfig(SearchAlgo::Mcts);
    base.poolOptions.ridge = 0.25;
    base.grammar.operators = {OpId::Add, OpId::Mean, OpId::Corr};
    base.mcts.trainEvery = 9;
    auto c =
        searchConfigFromJson(R"({"mcts": {"train_every": 1}, "grammar": {"operators": ["Sub", "Std"]}})", "cfg", base);
    QVERIFY2(c.ok(), c.ok() ? "" : c.error().toString().c_str());
    QCOMPARE(c->algo, SearchAlgo::Mcts);
    QCOMPARE(c->mcts.trainEvery, 1);
    QCOMPARE(c->mcts.simulationsPerMove, base.mcts.simulationsPerMove);
    QCOMPARE(c->poolOptions.ridge, 0.25);
    QCOMPARE(c->pool, base.pool);
    QCOMPARE(c->grammar.operators, (std::vector<OpId>{OpId::Sub, OpId::Std}));
    QCOMPARE(c->grammar.windows, base.grammar.windows);
    SearchConfig expected = base;
    expected.mcts.trainEvery = 1;
    expected.grammar.operators = {OpId::Sub, OpId::Std};
    compareConfigs(c.value(), expected);
    // Without a grammar key the base's operators stay as they are.
    auto same = searchConfigFromJson(R"({"gp": {"population": 40}})", "cfg", base);
    QVERIFY(same.ok());
    QCOMPARE(same->grammar.operators, base.grammar.operators);
    QCOMPARE(same->gp.population, 40);
    QCOMPARE(same->mcts.trainEvery, 9);
    // A bad key still names itself and the file.
    auto bad = searchConfigFromJson(R"({"mcts": {"train_every": "often"}})", "cfg", base);
    QVERIFY(!bad.ok());
    QVERIFY(QString::fromStdString(bad.error().toString()).contains("mcts.train_every"));
}

// One row per line, each input beside what it should give:
// clang-format off
void TstSearchConfigJson::badFilesNameTheKey_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not json") << R"({"algorithm": )" << "@";
    QTest::newRow("not an object") << "[1,2]" << "not a JSON object";
    QTest::newRow("algorithm") << R"({"algorithm": "ppo2"})" << "algorithm";
    QTest::newRow("operator") << R"({"grammar": {"operators": ["Add", "Frobnicate"]}})" << "grammar.operators";
    QTest::newRow("type") << R"({"gfn": {"hidden": "wide"}})" << "gfn.hidden";
    QTest::newRow("pool kind") << R"({"pool": {"kind": "deep"}})" << "pool.kind";
    QTest::newRow("encoder") << R"({"gfn": {"encoder": "transformer"}})" << "gfn.encoder";
    QTest::newRow("ppo type") << R"({"ppo": {"epochs": "ten"}})" << "ppo.epochs";
    QTest::newRow("newer") << R"({"version": 99})" << "version";
}
// clang-format on

void TstSearchConfigJson::badFilesNameTheKey() {
    QFETCH(QString, text);
    QFETCH(QString, expected);
    auto c = searchConfigFromJson(text.toStdString(), "run 3");
    QVERIFY(!c.ok());
    QCOMPARE(c.error().code, ErrorCode::Format);
    const QString message = QString::fromStdString(c.error().toString());
    QVERIFY2(message.contains(expected), qPrintable(message));
    QVERIFY2(message.startsWith(QStringLiteral("run 3")), qPrintable(message));
}

QTEST_GUILESS_MAIN(TstSearchConfigJson)
#include "tst_search_config_json.moc"

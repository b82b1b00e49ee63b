// The search dispatch in core: random, GP and uniform-prior MCTS run through runSearch() in a build
// without LibTorch; the GFlowNet and the MCTS network are refused with the reason (this test links
// alphascope_core only); validate() names the offending field; the shared Feedback pauses a run.

#include "core/search/planted.h"
#include "core/search/search.h"
#include "core/search/search_registry.h"
#include "core/util/compute_device.h"

#include <QTest>

#include <thread>

using namespace alphascope;

namespace {

std::shared_ptr<const ResearchSession> session() {
    static const std::shared_ptr<const ResearchSession> s = [] {
        PlantedSpec spec;
        spec.formulas = {"CSRank($volume)"};
        auto r = openPlantedSession(spec);
        if (!r) qFatal("%s", r.error().toString().c_str());
        return r.value();
    }();
    return s;
}

SearchConfig small(SearchAlgo algo) {
    SearchConfig c = defaultSearchConfig(algo);
    c.budget.evaluations = 60;
    c.grammar.maxTokens = 6;
    c.gp.population = 20;
    c.mcts.useNetwork = false;
    c.mcts.simulationsPerMove = 8;
    return c;
}

} // namespace

class TstSearchRegistry : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void coreSearchesRunWithoutTorch_data();
    void coreSearchesRunWithoutTorch();
    void torchSearchesAreRefusedWithTheReason();
    void validateNamesTheField_data();
    void validateNamesTheField();
    void defaultsAreValid();
    void pauseHoldsTheRunAndResumeContinues();
    void progressCarriesTheMonitorFigures();
};

void TstSearchRegistry::coreSearchesRunWithoutTorch_data() {
    QTest::addColumn<int>("algo");
    QTest::newRow("random") << int(SearchAlgo::Random);
    QTest::newRow("gp") << int(SearchAlgo::Genetic);
    QTest::newRow("mcts uniform") << int(SearchAlgo::Mcts);
}

void TstSearchRegistry::coreSearchesRunWithoutTorch() {
    QFETCH(int, algo);
    QVERIFY(searchAlgorithmAvailable(SearchAlgo(algo)));
    SearchFeedback feedback;
    auto r = runSearch(session(), small(SearchAlgo(algo)), feedback);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
    QVERIFY(r->evaluations >= 60 || r->stopReason != "evaluation budget");
    QVERIFY(!r->pool.empty());
    QCOMPARE(r->device, std::string("CPU"));
}

void TstSearchRegistry::torchSearchesAreRefusedWithTheReason() {
    QVERIFY(!computeDeviceInfo().torch);
    QVERIFY(!searchAlgorithmAvailable(SearchAlgo::GFlowNet));
    SearchFeedback feedback;
    auto gfn = runSearch(session(), small(SearchAlgo::GFlowNet), feedback);
    QVERIFY(!gfn.ok());
    QCOMPARE(gfn.error().where, std::string("algorithm"));
    QVERIFY(gfn.error().message.find("LibTorch") != std::string::npos);
    SearchConfig mcts = small(SearchAlgo::Mcts);
    mcts.mcts.useNetwork = true;
    auto v = validate(mcts, session().get());
    QVERIFY(!v.ok());
    QCOMPARE(v.error().where, std::string("mcts.network"));
}

void TstSearchRegistry::validateNamesTheField_data() {
    QTest::addColumn<QString>("field");
    QTest::newRow("budget") << "budget";
    QTest::newRow("pool.capacity") << "pool.capacity";
    QTest::newRow("grammar.max_tokens") << "grammar.max_tokens";
    QTest::newRow("gp.tournament") << "gp.tournament";
    QTest::newRow("gp.crossover") << "gp.crossover";
    QTest::newRow("mcts.beta") << "mcts.beta";
    QTest::newRow("grammar") << "grammar";
}

void TstSearchRegistry::validateNamesTheField() {
    QFETCH(QString, field);
    SearchConfig c = small(SearchAlgo::Genetic);
    if (field == "budget") c.budget = {0, 0, 0};
    if (field == "pool.capacity") c.poolOptions.capacity = 0;
    if (field == "grammar.max_tokens") c.grammar.maxTokens = 2;
    if (field == "gp.tournament") c.gp.tournament = c.gp.population + 1;
    if (field == "gp.crossover") c.gp.crossover = 0.9; // + the mutations > 1
    if (field == "mcts.beta") {
        c = small(SearchAlgo::Mcts);
        c.mcts.beta = 1.5;
    }
    if (field == "grammar") {
        c.grammar = Grammar::defaults(*session()->data);
        c.grammar.features.push_back("dividends");
    }
    auto v = validate(c, session().get());
    QVERIFY(!v.ok());
    QCOMPARE(v.error().code, ErrorCode::InvalidArgument);
    QCOMPARE(QString::fromStdString(v.error().where), field);
    // runSearch refuses the same config with the same error, before any work.
    SearchFeedback feedback;
    auto r = runSearch(session(), c, feedback);
    QVERIFY(!r.ok());
    QCOMPARE(QString::fromStdString(r.error().where), field);
}

void TstSearchRegistry::defaultsAreValid() {
    for (SearchAlgo a : {SearchAlgo::Random, SearchAlgo::Genetic})
        QVERIFY(validate(defaultSearchConfig(a), session().get()).ok());
    // Every search defaults to the linear pool of 20 (the GFlowNet too, since issue #11's study);
    // the mining pool's capacity is 50.
    QCOMPARE(defaultSearchConfig(SearchAlgo::GFlowNet).poolOptions.capacity, 20);
    QVERIFY(*defaultSearchConfig(SearchAlgo::GFlowNet).pool == PoolKind::Linear);
    QCOMPARE(defaultPoolCapacity(PoolKind::Mining), 50);
    QCOMPARE(defaultSearchConfig(SearchAlgo::Random).poolOptions.capacity, 20);
}

void TstSearchRegistry::pauseHoldsTheRunAndResumeContinues() {
    SearchFeedback feedback;
    feedback.pause(); // paused before the first step: nothing may be evaluated until resume
    std::atomic<long long> seen{0};
    feedback.onSearchProgress = [&](const SearchProgress& p) { seen = p.evaluations; };
    Result<SearchResult> result = makeError(ErrorCode::Internal, "not run");
    std::thread worker([&] { result = runSearch(session(), small(SearchAlgo::Random), feedback); });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const long long whilePaused = seen.load();
    feedback.resume();
    worker.join();
    QVERIFY(result.ok());
    QVERIFY2(whilePaused <= 1, qPrintable(QString::number(whilePaused)));
    QCOMPARE(result->evaluations, 60LL);
    // The paused time does not count as search time.
    QVERIFY2(result->seconds < 0.25 + 5.0, qPrintable(QString::number(result->seconds)));
    QVERIFY(result->seconds < feedback.elapsed() + 1e-9);
}

void TstSearchRegistry::progressCarriesTheMonitorFigures() {
    SearchFeedback feedback;
    std::vector<SearchProgress> reports;
    std::vector<PoolSnapshot> snapshots;
    std::vector<TaskProgress> fractions;
    SearchConfig c = small(SearchAlgo::Random);
    c.budget.evaluations = 200;
    c.progressInterval = 1e-6; // every step
    c.snapshotInterval = 1e-6;
    feedback.progressInterval = 0.0;
    feedback.onSearchProgress = [&](const SearchProgress& p) { reports.push_back(p); };
    feedback.onSnapshot = [&](const PoolSnapshot& s) { snapshots.push_back(s); };
    feedback.onProgress = [&](const TaskProgress& p) { fractions.push_back(p); };
    auto r = runSearch(session(), c, feedback);
    QVERIFY(r.ok());
    QVERIFY(!reports.empty() && !snapshots.empty() && !fractions.empty());
    for (std::size_t k = 1; k < reports.size(); ++k) QVERIFY(reports[k].fraction >= reports[k - 1].fraction);
    QVERIFY(std::isfinite(reports.back().rewardMean)); // random search reports |IC| per formula
    QVERIFY(reports.back().rewardBest >= reports.back().rewardMean);
    QVERIFY(std::isnan(reports.back().loss)); // it does not train
    const PoolSnapshot& last = snapshots.back();
    QVERIFY(!last.members.empty());
    QVERIFY(std::isfinite(last.poolValidIc)); // the planted session has a valid split
    for (const SnapshotMember& m : last.members) {
        QVERIFY(std::isfinite(m.validIc) && std::isfinite(m.rankIc));
        if (last.members.size() > 1) QVERIFY(m.maxAbsCorr >= 0.0 && m.maxAbsCorr <= 1.0 + 1e-9);
        QVERIFY(std::isnan(m.maxAbsCorrReference)); // no reference factors given
    }
    QCOMPARE(r->lastProgress.evaluations, 200LL);
}

QTEST_GUILESS_MAIN(TstSearchRegistry)
#include "tst_search_registry.moc"

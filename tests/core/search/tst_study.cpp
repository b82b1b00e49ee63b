// The study harness on a planted market: every (algorithm, seed) pair runs once and is written as
// a pool file; a second call reads them back instead of running them; a deleted or damaged file
// is run again, with the same result (determinism per seed); the summary's means, intervals and
// paired tests equal the same statistics computed by hand from the runs; and the recomputed daily
// test Rank IC of each pool agrees with the search's own measurement.

#include "core/search/study.h"

#include "core/search/planted.h"

#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>

using namespace alphascope;

namespace {

SearchConfig baseConfig(SearchAlgo algo) {
    SearchConfig c = defaultSearchConfig(algo);
    c.gp.population = 20;
    return c;
}

double finiteMean(const std::vector<double>& v) {
    double s = 0.0;
    int n = 0;
    for (double x : v)
        if (std::isfinite(x)) {
            s += x;
            ++n;
        }
    return n ? s / n : NAN;
}

} // namespace

class TestStudy : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        auto s = openPlantedSession(PlantedSpec{});
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().message.c_str());
        m_session = *s;
        QVERIFY(m_dir.isValid());
        m_spec.algos = {SearchAlgo::Random, SearchAlgo::Genetic};
        m_spec.seeds = {0, 1};
        m_spec.evaluations = 60;
        m_spec.outDir = m_dir.path().toStdString() + "/study";
        m_spec.preferCuda = false;
        m_spec.persistenceFormulas = 0; // measured in measuresTheSplitsPersistence only
    }

    void runsEveryPairAndSummarises() {
        Feedback feedback;
        auto r = runStudy(m_session, m_spec, baseConfig, feedback);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        QCOMPARE(r->ran, 4);
        QCOMPARE(r->reused, 0);
        QCOMPARE(r->runs.size(), std::size_t(4));
        QCOMPARE(feedback.fraction(), 1.0);
        int withSelection = 0;
        for (const StudyRun& run : r->runs) {
            QVERIFY(std::filesystem::exists(run.file));
            QCOMPARE(run.evaluations, 60LL);
            QVERIFY(run.poolSize > 0);
            QVERIFY(!run.validIcCurve.empty());
            // The reward curve came back from the pool file: points in order, the last at the run's
            // end, and the tenths from its points.
            QVERIFY(run.rewardCurve.size() >= 10);
            QVERIFY(run.rewardCurve.size() <= std::size_t(SearchRun::kRewardCurvePoints));
            for (std::size_t i = 1; i < run.rewardCurve.size(); ++i) {
                QVERIFY(run.rewardCurve[i].episodes > run.rewardCurve[i - 1].episodes);
                QVERIFY(run.rewardCurve[i].evaluations >= run.rewardCurve[i - 1].evaluations);
            }
            QVERIFY(run.rewardCurve.back().evaluations <= 60);
            QCOMPARE(run.rewardFirstTenth, rewardOfTenth(run.rewardCurve, false));
            QVERIFY(std::isfinite(run.rewardLastTenth));
            // The |IC| curve: one entry per full evaluation, the last at the budget, means in [0, 1].
            QVERIFY(run.icCurve.size() >= 10);
            QCOMPARE(run.icCurve.back().episodes, run.evaluations);
            for (const RewardPoint& p : run.icCurve) QVERIFY(p.meanReward >= 0.0 && p.meanReward <= 1.0);
            QVERIFY(std::isfinite(run.icFirstTenth) && std::isfinite(run.icLastTenth));
            // The top-share curve: the same stretches, shares in [0, 1], about a tenth of the
            // distinct usable formulas in all (ties at the threshold may add a few).
            QCOMPARE(run.topCurve.size(), run.icCurve.size());
            double hits = 0.0;
            long long before = 0;
            for (std::size_t i = 0; i < run.topCurve.size(); ++i) {
                const RewardPoint& p = run.topCurve[i];
                QCOMPARE(p.episodes, run.icCurve[i].episodes);
                QVERIFY(p.meanReward >= 0.0 && p.meanReward <= 1.0);
                hits += p.meanReward * double(p.episodes - before);
                before = p.episodes;
            }
            QVERIFY2(hits >= 1.0 && hits <= 0.5 * double(run.evaluations), qPrintable(QString::number(hits)));
            QVERIFY(std::isfinite(run.topFirstTenth) && std::isfinite(run.topLastTenth));
            // Two roads to the same figure: the search's report and the recomputed daily series.
            QVERIFY2(std::fabs(finiteMean(run.dailyTestRankIc) - run.testRankIc) < 1e-6,
                     qPrintable(QStringLiteral("%1 vs %2").arg(finiteMean(run.dailyTestRankIc)).arg(run.testRankIc)));
            // The same for the pool selected on valid, from the members' selected weights.
            QCOMPARE(run.dailySelectedTestRankIc.empty(), !std::isfinite(run.selectedTestRankIc));
            if (!run.dailySelectedTestRankIc.empty()) {
                ++withSelection;
                QVERIFY(std::fabs(finiteMean(run.dailySelectedTestRankIc) - run.selectedTestRankIc) < 1e-6);
            }
            // Every linear pool carries its L1 strength chosen on valid, one of the grid's.
            QVERIFY(run.poolSize > 0);
            QVERIFY(std::isfinite(run.tunedTestRankIc));
            QVERIFY(std::find(SearchRun::kTunedL1Grid.begin(), SearchRun::kTunedL1Grid.end(), run.tunedL1) !=
                    SearchRun::kTunedL1Grid.end());
            // And the pool stopped early on valid, at a checkpoint of the budget or at the end.
            QVERIFY(std::isfinite(run.earlyTestRankIc));
            QVERIFY(run.earlyShare > 0.0 && run.earlyShare <= 1.0);
        }
        QVERIFY(withSelection >= 2);
        // The summary against the runs.
        for (const StudyAlgoSummary& a : r->algos) {
            std::vector<double> v;
            for (const StudyRun& run : r->runs)
                if (run.algo == a.algo) v.push_back(run.testRankIc);
            QCOMPARE(a.testRankIc.n, 2);
            QVERIFY(std::fabs(a.testRankIc.mean - 0.5 * (v[0] + v[1])) < 1e-15);
            const double sd = std::fabs(v[0] - v[1]) / std::sqrt(2.0);
            QVERIFY(std::fabs(a.testRankIc.sd - sd) < 1e-12);
            QVERIFY(std::fabs(a.testRankIc.hi - a.testRankIc.mean - 12.706204736 * sd / std::sqrt(2.0)) < 1e-8);
        }
        QCOMPARE(r->pairs.size(), std::size_t(1));
        const StudyPair& p = r->pairs[0];
        auto runOf = [&](SearchAlgo algo, std::uint64_t seed) {
            for (const StudyRun& run : r->runs)
                if (run.algo == algo && run.seed == seed) return run;
            return StudyRun{};
        };
        const double d0 = runOf(SearchAlgo::Random, 0).testRankIc - runOf(SearchAlgo::Genetic, 0).testRankIc;
        const double d1 = runOf(SearchAlgo::Random, 1).testRankIc - runOf(SearchAlgo::Genetic, 1).testRankIc;
        QVERIFY(std::fabs(p.testRankIcDifference.mean - 0.5 * (d0 + d1)) < 1e-15);
        std::vector<double> daily;
        const auto& ra0 = runOf(SearchAlgo::Random, 0).dailyTestRankIc;
        for (std::size_t d = 0; d < ra0.size(); ++d) {
            const double a = 0.5 * (runOf(SearchAlgo::Random, 0).dailyTestRankIc[d] +
                                    runOf(SearchAlgo::Random, 1).dailyTestRankIc[d]);
            const double b = 0.5 * (runOf(SearchAlgo::Genetic, 0).dailyTestRankIc[d] +
                                    runOf(SearchAlgo::Genetic, 1).dailyTestRankIc[d]);
            daily.push_back(a - b);
        }
        const NeweyWestTest nw = neweyWestMeanTest(daily);
        QVERIFY(nw.n > 10);
        QVERIFY(std::fabs(p.dailyDifference.t - nw.t) < 1e-9 * std::max(1.0, std::fabs(nw.t)));
        QCOMPARE(p.dailyDifference.lags, nw.lags);
        // Selection against the combined pool, day by day and averaged over the seeds, per search.
        for (const StudyAlgoSummary& a : r->algos) {
            std::vector<double> sum, count;
            for (const StudyRun& run : r->runs) {
                if (run.algo != a.algo || run.dailySelectedTestRankIc.empty()) continue;
                sum.resize(run.dailyTestRankIc.size(), 0.0);
                count.resize(sum.size(), 0.0);
                for (std::size_t d = 0; d < sum.size(); ++d) {
                    const double x = run.dailySelectedTestRankIc[d] - run.dailyTestRankIc[d];
                    if (std::isfinite(x)) sum[d] += x, count[d] += 1.0;
                }
            }
            if (sum.empty()) {
                QCOMPARE(a.selectionDaily.n, 0);
                continue;
            }
            for (std::size_t d = 0; d < sum.size(); ++d) sum[d] = count[d] > 0 ? sum[d] / count[d] : NAN;
            const NeweyWestTest want = neweyWestMeanTest(sum);
            QCOMPARE(a.selectionDaily.n, want.n);
            QVERIFY(std::fabs(a.selectionDaily.t - want.t) < 1e-9 * std::max(1.0, std::fabs(want.t)));
        }
        m_first = r.value();

        // The outputs.
        const std::string md = studyMarkdown(*r);
        QVERIFY(md.find("| random |") != std::string::npos && md.find("random − gp") != std::string::npos);
        const auto j = nlohmann::json::parse(studyJson(*r));
        QCOMPARE(j.at("algorithms").size(), std::size_t(2));
        QCOMPARE(j.at("pairs").at(0).at("a").get<std::string>(), std::string("random"));
        const std::string csv = studyCurvesCsv(*r);
        QVERIFY(csv.rfind("algorithm,seed,evaluations,valid_ic\n", 0) == 0);
        QVERIFY(csv.find("\ngp,1,") != std::string::npos);
        const std::string rewards = studyRewardCurvesCsv(*r);
        QVERIFY(rewards.rfind("algorithm,seed,curve,point,episodes,evaluations,mean\n", 0) == 0);
        QVERIFY(rewards.find("\nrandom,mean,reward,0,") != std::string::npos);
        QVERIFY(rewards.find("\ngp,1,abs_ic,0,") != std::string::npos);
        QVERIFY(rewards.find("\nrandom,0,top_share,0,") != std::string::npos);
        QVERIFY(md.find("top tenth") != std::string::npos);
        QVERIFY(j.at("algorithms").at(0).contains("top_share_gain"));
        // The summary's gain is the seeds' last minus first tenth.
        for (const StudyAlgoSummary& a : r->algos) {
            std::vector<double> gains;
            for (const StudyRun& run : r->runs)
                if (run.algo == a.algo) gains.push_back(run.rewardLastTenth - run.rewardFirstTenth);
            QCOMPARE(a.rewardGain.n, 2);
            QVERIFY(std::fabs(a.rewardGain.mean - 0.5 * (gains[0] + gains[1])) < 1e-15);
            QCOMPARE(a.seedsWithRewardGain, int(gains[0] > 0) + int(gains[1] > 0));
        }
        QVERIFY(md.find("Learning:") != std::string::npos);
        for (const StudyAlgoSummary& a : r->algos) {
            std::vector<double> gains;
            for (const StudyRun& run : r->runs)
                if (run.algo == a.algo) gains.push_back(run.icLastTenth - run.icFirstTenth);
            QVERIFY(std::fabs(a.icGain.mean - 0.5 * (gains[0] + gains[1])) < 1e-15);
            QCOMPARE(a.seedsWithIcGain, int(gains[0] > 0) + int(gains[1] > 0));
        }
    }

    void selectionGainByHand() {
        // Selected minus combined test Rank IC, seed by seed: random +0.01 and -0.02, GP +0.03 and
        // +0.01 (one of its seeds without a selected pool); the pairs compare the selected pools.
        StudyReport r;
        r.spec.algos = {SearchAlgo::Random, SearchAlgo::Genetic};
        r.spec.seeds = {0, 1};
        auto run = [](SearchAlgo algo, std::uint64_t seed, double combined, double selected) {
            StudyRun x;
            x.algo = algo;
            x.seed = seed;
            x.testRankIc = combined;
            x.selectedTestRankIc = selected;
            return x;
        };
        r.runs = {run(SearchAlgo::Random, 0, 0.02, 0.03), run(SearchAlgo::Random, 1, 0.05, 0.03),
                  run(SearchAlgo::Genetic, 0, 0.01, 0.04), run(SearchAlgo::Genetic, 1, 0.00, kNaNd)};
        summarizeStudy(r);
        const StudyAlgoSummary& random = r.algos[0];
        QCOMPARE(random.selectionGain.n, 2);
        QVERIFY(std::fabs(random.selectionGain.mean - (-0.005)) < 1e-15);
        QVERIFY(std::fabs(random.selectionGain.sd - 0.03 / std::sqrt(2.0)) < 1e-15);
        QCOMPARE(random.seedsWithSelectionGain, 1);
        QCOMPARE(r.algos[1].selectionGain.n, 1);
        QVERIFY(std::fabs(r.algos[1].selectionGain.mean - 0.03) < 1e-15);
        QCOMPARE(r.selectionGain.n, 3);
        QVERIFY(std::fabs(r.selectionGain.mean - 0.02 / 3.0) < 1e-15);
        QCOMPARE(r.runsWithSelectionGain, 2);
        // random − gp on the selected pools: only seed 0 has both (0.03 - 0.04).
        QCOMPARE(r.pairs.size(), std::size_t(1));
        QCOMPARE(r.pairs[0].selectedTestRankIcDifference.n, 1);
        QVERIFY(std::fabs(r.pairs[0].selectedTestRankIcDifference.mean - (-0.01)) < 1e-15);
        QCOMPARE(r.pairs[0].testRankIcDifference.n, 2);
        const std::string md = studyMarkdown(r);
        QVERIFY(md.find("| all runs | 0.0067 ± ") != std::string::npos);
        QVERIFY(md.find("| random | -0.0050 ± 0.0212 [") != std::string::npos);
        const auto j = nlohmann::json::parse(studyJson(r));
        QCOMPARE(j.at("selection_gain").at("runs_with_a_gain").get<int>(), 2);
        QCOMPARE(j.at("algorithms").at(1).at("seeds_with_selection_gain").get<int>(), 1);
        QVERIFY(std::fabs(j.at("pairs").at(0).at("selected_test_rank_ic_difference").at("mean").get<double>() + 0.01) <
                1e-15);
    }

    void tuningGainByHand() {
        // Tuned minus combined test Rank IC, seed by seed: random +0.01 and -0.02, GP +0.02 (its
        // other seed has no tuned pool); the strengths chosen are averaged like any figure.
        StudyReport r;
        r.spec.algos = {SearchAlgo::Random, SearchAlgo::Genetic};
        r.spec.seeds = {0, 1};
        auto run = [](SearchAlgo algo, std::uint64_t seed, double combined, double tuned, double l1) {
            StudyRun x;
            x.algo = algo;
            x.seed = seed;
            x.testRankIc = combined;
            x.tunedTestRankIc = tuned;
            x.tunedL1 = l1;
            // Early stopping: the combined pool's test Rank IC plus 0.01 (random) or minus 0.01 (GP).
            x.earlyTestRankIc = combined + (algo == SearchAlgo::Random ? 0.01 : -0.01);
            x.earlyShare = 0.5;
            return x;
        };
        r.runs = {run(SearchAlgo::Random, 0, 0.02, 0.03, 0.0), run(SearchAlgo::Random, 1, 0.05, 0.03, 0.01),
                  run(SearchAlgo::Genetic, 0, 0.01, 0.03, 0.05), run(SearchAlgo::Genetic, 1, 0.00, kNaNd, kNaNd)};
        summarizeStudy(r);
        const StudyAlgoSummary& random = r.algos[0];
        QCOMPARE(random.tuningGain.n, 2);
        QVERIFY(std::fabs(random.tuningGain.mean - (-0.005)) < 1e-15);
        QVERIFY(std::fabs(random.tuningGain.sd - 0.03 / std::sqrt(2.0)) < 1e-15);
        QCOMPARE(random.seedsWithTuningGain, 1);
        QVERIFY(std::fabs(random.tunedL1.mean - 0.005) < 1e-15);
        QVERIFY(std::fabs(random.tunedTestRankIc.mean - 0.03) < 1e-15);
        QCOMPARE(r.algos[1].tuningGain.n, 1);
        QVERIFY(std::fabs(r.algos[1].tuningGain.mean - 0.02) < 1e-15);
        QCOMPARE(r.tuningGain.n, 3);
        QVERIFY(std::fabs(r.tuningGain.mean - 0.01 / 3.0) < 1e-15);
        QCOMPARE(r.runsWithTuningGain, 2);
        const std::string md = studyMarkdown(r);
        QVERIFY(md.find("at each L1 of 0, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05,") != std::string::npos);
        QVERIFY(md.find("| random | 0.0300 ± 0.0000 [") != std::string::npos);
        QVERIFY(md.find("| -0.0050 ± 0.0212 [") != std::string::npos);
        QVERIFY(md.find("| all runs | | 0.0033 ± ") != std::string::npos);
        const auto j = nlohmann::json::parse(studyJson(r));
        QCOMPARE(j.at("tuning_gain").at("runs_with_a_gain").get<int>(), 2);
        QCOMPARE(j.at("algorithms").at(0).at("seeds_with_tuning_gain").get<int>(), 1);
        QVERIFY(std::fabs(j.at("algorithms").at(1).at("tuning_gain").at("mean").get<double>() - 0.02) < 1e-15);
        // Early stopping: +0.01 on both random seeds, -0.01 on both of GP's.
        QCOMPARE(random.earlyGain.n, 2);
        QVERIFY(std::fabs(random.earlyGain.mean - 0.01) < 1e-15);
        QCOMPARE(random.seedsWithEarlyGain, 2);
        QCOMPARE(r.algos[1].seedsWithEarlyGain, 0);
        QCOMPARE(r.earlyGain.n, 4);
        QVERIFY(std::fabs(r.earlyGain.mean) < 1e-15);
        QCOMPARE(r.runsWithEarlyGain, 2);
        QVERIFY(md.find("Early stopping on valid") != std::string::npos);
        QVERIFY(md.find("| 2 / 2 | 0.50 ± 0.00 [") != std::string::npos);
        QCOMPARE(j.at("early_gain").at("runs_with_a_gain").get<int>(), 2);
    }

    void rewardCurveByHand() {
        // Seven rewards in three stretches: [0, 2), [2, 4), [4, 7).
        std::vector<std::pair<float, long long>> rewards{{1, 1}, {2, 1}, {3, 2}, {4, 3}, {5, 3}, {6, 4}, {7, 6}};
        const auto curve = rewardCurve(rewards, 3);
        QCOMPARE(curve.size(), std::size_t(3));
        QCOMPARE(curve[0].episodes, 2LL);
        QCOMPARE(curve[0].evaluations, 1LL);
        QCOMPARE(curve[0].meanReward, 1.5);
        QCOMPARE(curve[1].episodes, 4LL);
        QCOMPARE(curve[1].evaluations, 3LL);
        QCOMPARE(curve[1].meanReward, 3.5);
        QCOMPARE(curve[2].episodes, 7LL);
        QCOMPARE(curve[2].evaluations, 6LL);
        QCOMPARE(curve[2].meanReward, 6.0);
        QCOMPARE(rewardCurve(rewards, 50).size(), std::size_t(7)); // one point per reward
        QVERIFY(rewardCurve({}, 50).empty());
        // Top share: 12 evaluations, distinct usable |IC| 0.1 .. 1.0 (ten formulas) plus one
        // repeat of the best and one unusable; the 90th percentile of ten values is the 10th
        // smallest minus one, i.e. 0.9 and 1.0 are the top tenth (k = 10 - 1 - 1 = 8th: 0.9).
        {
            std::vector<std::pair<float, long long>> ics;
            std::vector<bool> fresh;
            for (int i = 1; i <= 10; ++i) {
                ics.push_back({0.1f * float(i), i});
                fresh.push_back(true);
            }
            ics.push_back({1.0f, 11}); // the best again
            fresh.push_back(false);
            ics.push_back({0.0f, 12}); // unusable
            fresh.push_back(true);
            const auto top = topShareCurve(ics, fresh, 3); // stretches [0,4) [4,8) [8,12)
            QCOMPARE(top.size(), std::size_t(3));
            QCOMPARE(top[0].meanReward, 0.0);
            QCOMPARE(top[1].meanReward, 0.0);
            QCOMPARE(top[2].meanReward, 2.0 / 4.0); // 0.9 and 1.0 new; the repeat and the unusable not
            QCOMPARE(top[2].episodes, 12LL);
            QVERIFY(topShareCurve({{0.0f, 1}}, {true}, 3).empty());
        }
        // Tenths of a 20-point curve: the first two and the last two points, weighted by episodes.
        std::vector<RewardPoint> c;
        long long episodes = 0;
        for (int i = 0; i < 20; ++i) {
            episodes += i == 1 ? 3 : 1; // point 1 holds three episodes
            c.push_back({episodes, episodes, double(i)});
        }
        QCOMPARE(rewardOfTenth(c, false), (0.0 * 1 + 1.0 * 3) / 4.0);
        QCOMPARE(rewardOfTenth(c, true), (18.0 + 19.0) / 2.0);
        QVERIFY(std::isnan(rewardOfTenth({}, true)));
    }

    void resumesFromTheFiles() {
        Feedback feedback;
        auto again = runStudy(m_session, m_spec, baseConfig, feedback);
        QVERIFY(again.ok());
        QCOMPARE(again->ran, 0);
        QCOMPARE(again->reused, 4);
        for (std::size_t k = 0; k < 4; ++k) QCOMPARE(again->runs[k].testRankIc, m_first.runs[k].testRankIc);

        // One file deleted, one damaged, one of another budget: those three run again, with the
        // same results (each search is deterministic per seed on the CPU).
        std::filesystem::remove(studyRunFile(m_spec, SearchAlgo::Random, 1));
        std::ofstream(studyRunFile(m_spec, SearchAlgo::Genetic, 0)) << "{\"format\": \"alphascope-pool\", trunc";
        {
            const std::string path = studyRunFile(m_spec, SearchAlgo::Genetic, 1);
            std::ifstream in(path);
            auto j = nlohmann::json::parse(in);
            j["config"]["budget"]["evaluations"] = 59;
            std::ofstream(path) << j.dump();
        }
        auto resumed = runStudy(m_session, m_spec, baseConfig, feedback);
        QVERIFY(resumed.ok());
        QCOMPARE(resumed->ran, 3);
        QCOMPARE(resumed->reused, 1);
        for (std::size_t k = 0; k < 4; ++k) QCOMPARE(resumed->runs[k].testRankIc, m_first.runs[k].testRankIc);

        // Other settings (here the pool's ridge for GP) run those pairs again; the others are read back.
        const auto ridged = [](SearchAlgo algo) {
            SearchConfig c = baseConfig(algo);
            if (algo == SearchAlgo::Genetic) c.poolOptions.ridge = 0.1;
            return c;
        };
        // Runs the study with `base`: how many pairs ran and were read back, and (when its files
        // are of its first settings) random search's results as in the first study.
        const auto expectRuns = [&](const std::function<SearchConfig(SearchAlgo)>& base, int ran, int reused,
                                    bool randomAsFirst) {
            auto r = runStudy(m_session, m_spec, base, feedback);
            QVERIFY(r.ok());
            QCOMPARE(r->ran, ran);
            QCOMPARE(r->reused, reused);
            for (std::size_t k = 0; k < r->runs.size(); ++k)
                if (randomAsFirst && r->runs[k].algo == SearchAlgo::Random)
                    QCOMPARE(r->runs[k].testRankIc, m_first.runs[k].testRankIc);
        };
        expectRuns(ridged, 2, 2, true);
        expectRuns(ridged, 0, 4, true);

        // Another search's options (here GP's population, set for every search) rerun only that
        // search's pairs: the random search's files do not depend on them.
        const auto bigger = [&ridged](SearchAlgo algo) {
            SearchConfig c = ridged(algo);
            c.gp.population += 7;
            return c;
        };
        expectRuns(bigger, 2, 2, true);
        // The grammar changes what every search can find: every pair runs again, and back.
        const auto shorter = [&bigger](SearchAlgo algo) {
            SearchConfig c = bigger(algo);
            c.grammar.maxTokens -= 2;
            return c;
        };
        expectRuns(shorter, 4, 0, false);
        expectRuns(bigger, 4, 0, true);
    }

    void measuresTheSplitsPersistence() {
        // After the runs (read back here), random formulas of the grammar say whether train ranks
        // formulas as valid and test do: the same report measurePersistence gives on its own, in
        // the summary's Markdown and JSON.
        StudySpec spec = m_spec;
        spec.persistenceFormulas = 200;
        Feedback feedback;
        auto r = runStudy(m_session, spec, baseConfig, feedback);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        QCOMPARE(r->ran + r->reused, 4);
        QVERIFY(r->persistence.has_value());
        PersistenceSpec ps;
        ps.formulas = 200;
        ps.grammar = baseConfig(spec.algos.front()).grammar;
        Feedback direct;
        auto alone = measurePersistence(*m_session, ps, direct);
        QVERIFY(alone.ok());
        QCOMPARE(r->persistence->formulas, alone->formulas);
        QCOMPARE(r->persistence->correlations.size(), alone->correlations.size());
        for (std::size_t k = 0; k < alone->correlations.size(); ++k)
            QCOMPARE(r->persistence->correlations[k].correlation, alone->correlations[k].correlation);
        const std::string summary = persistenceSummary(*alone);
        QVERIFY(summary.find("train ↔ valid") != std::string::npos);
        QVERIFY(summary.find(persistenceVerdictText(persistenceVerdict(
                    alone->correlation(alone->trainPeriod, lastSelectionPeriod(*alone))))) != std::string::npos);
        QVERIFY(studyMarkdown(r.value()).find("The split's persistence: " + summary) != std::string::npos);
        const auto j = nlohmann::json::parse(studyJson(r.value()));
        QCOMPARE(j["persistence"]["formulas"].get<std::size_t>(), alone->formulas.size());
        QCOMPARE(j["persistence"]["train_test"]["spearman"].get<double>(),
                 alone->correlation(alone->trainPeriod, lastSelectionPeriod(*alone))->correlation);
        QVERIFY(j["persistence"]["verdict"].is_string());
        // Not measured: no section.
        spec.persistenceFormulas = 0;
        auto without = runStudy(m_session, spec, baseConfig, feedback);
        QVERIFY(without.ok());
        QVERIFY(!without->persistence);
        QVERIFY(studyMarkdown(without.value()).find("persistence") == std::string::npos);
        QVERIFY(!nlohmann::json::parse(studyJson(without.value())).contains("persistence"));
        spec.persistenceFormulas = 2;
        auto bad = runStudy(m_session, spec, baseConfig, feedback);
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().code, ErrorCode::InvalidArgument);
    }

    void persistenceVerdicts() {
        // The verdict's thresholds by hand: the interval below zero, holding zero, above zero
        // under 0.3, above zero at 0.3 or more; no correlation.
        const auto verdict = [](double r, double lo, double hi) {
            PeriodCorrelation c;
            c.correlation = r;
            c.lo = lo;
            c.hi = hi;
            return persistenceVerdict(&c);
        };
        QCOMPARE(verdict(-0.24, -0.29, -0.18), PersistenceVerdict::Against);
        QCOMPARE(verdict(0.05, -0.02, 0.11), PersistenceVerdict::NoCarryOver);
        QCOMPARE(verdict(-0.05, -0.11, 0.02), PersistenceVerdict::NoCarryOver);
        QCOMPARE(verdict(0.2, 0.1, 0.3), PersistenceVerdict::Weak);
        QCOMPARE(verdict(0.3, 0.2, 0.4), PersistenceVerdict::CarriesOver);
        QCOMPARE(verdict(NAN, NAN, NAN), PersistenceVerdict::Unknown);
        QCOMPARE(persistenceVerdict(nullptr), PersistenceVerdict::Unknown);
        QCOMPARE(std::string(persistenceVerdictName(PersistenceVerdict::Against)), std::string("against"));
        QCOMPARE(std::string(persistenceVerdictName(PersistenceVerdict::NoCarryOver)), std::string("no_carry_over"));
        QCOMPARE(std::string(persistenceVerdictName(PersistenceVerdict::CarriesOver)), std::string("carries_over"));
    }

    void jobsRunPairsAtOnceWithTheSameResults() {
        // Three searches at a time write the files one at a time writes (each search is
        // deterministic per seed, also beside another), and the runs come back in the pairs' order.
        StudySpec spec = m_spec;
        spec.outDir = m_dir.path().toStdString() + "/study-jobs";
        spec.jobs = 3;
        Feedback feedback;
        auto r = runStudy(m_session, spec, baseConfig, feedback);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        QCOMPARE(r->ran, 4);
        QCOMPARE(feedback.fraction(), 1.0);
        QCOMPARE(r->runs.size(), m_first.runs.size());
        for (std::size_t k = 0; k < r->runs.size(); ++k) {
            QCOMPARE(r->runs[k].algo, m_first.runs[k].algo);
            QCOMPARE(r->runs[k].seed, m_first.runs[k].seed);
            QCOMPARE(r->runs[k].testRankIc, m_first.runs[k].testRankIc);
            QCOMPARE(r->runs[k].validIc, m_first.runs[k].validIc);
            QCOMPARE(r->runs[k].testIc, m_first.runs[k].testIc);
            QCOMPARE(r->runs[k].poolSize, m_first.runs[k].poolSize);
            QCOMPARE(r->runs[k].meanAbsMutual, m_first.runs[k].meanAbsMutual);
            QCOMPARE(r->runs[k].earlyTestRankIc, m_first.runs[k].earlyTestRankIc);
        }
        // Resuming with jobs reads them back.
        auto again = runStudy(m_session, spec, baseConfig, feedback);
        QVERIFY(again.ok());
        QCOMPARE(again->reused, 4);
        spec.jobs = 0;
        QCOMPARE(runStudy(m_session, spec, baseConfig, feedback).error().code, ErrorCode::InvalidArgument);
    }

    void diagnosticsAreAveragedOverSeeds() {
        // Two runs' files with a diagnostic (0.5 and 1.5) and one with a NaN-free other name.
        StudySpec spec = m_spec;
        spec.algos = {SearchAlgo::Random};
        for (std::uint64_t seed : {0u, 1u}) {
            const std::string path = studyRunFile(spec, SearchAlgo::Random, seed);
            std::ifstream in(path);
            auto j = nlohmann::json::parse(in);
            j["diagnostics"] = {{"test.value", 0.5 + double(seed)}};
            if (seed == 1) j["diagnostics"]["test.only_one"] = 7.0;
            std::ofstream(path) << j.dump();
        }
        Feedback feedback;
        auto r = runStudy(m_session, spec, baseConfig, feedback);
        QVERIFY(r.ok());
        QCOMPARE(r->ran, 0);
        QCOMPARE(r->algos.size(), std::size_t(1));
        const auto& d = r->algos[0].diagnostics;
        QCOMPARE(d.size(), std::size_t(2));
        QCOMPARE(d[0].first, std::string("test.value"));
        QCOMPARE(d[0].second.n, 2);
        QCOMPARE(d[0].second.mean, 1.0);
        QCOMPARE(d[1].first, std::string("test.only_one"));
        QCOMPARE(d[1].second.n, 1);
        QVERIFY(studyMarkdown(*r).find("| random | test.value | 1.0000") != std::string::npos);
        const auto j = nlohmann::json::parse(studyJson(*r));
        QCOMPARE(j.at("algorithms").at(0).at("diagnostics").at("test.value").at("mean").get<double>(), 1.0);
    }

    void cancelKeepsTheFinishedRuns() {
        StudySpec spec = m_spec;
        spec.seeds = {7};
        Feedback feedback;
        feedback.cancel();
        auto r = runStudy(m_session, spec, baseConfig, feedback);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::Canceled);
        QVERIFY(!std::filesystem::exists(studyRunFile(spec, SearchAlgo::Random, 7)));
        QVERIFY(std::filesystem::exists(studyRunFile(m_spec, SearchAlgo::Random, 0))); // earlier runs stay
        StudySpec none = m_spec;
        none.algos.clear();
        QCOMPARE(runStudy(m_session, none, baseConfig, feedback).error().code, ErrorCode::InvalidArgument);
    }

private:
    std::shared_ptr<const ResearchSession> m_session;
    QTemporaryDir m_dir;
    StudySpec m_spec;
    StudyReport m_first;
};

QTEST_APPLESS_MAIN(TestStudy)
#include "tst_study.moc"

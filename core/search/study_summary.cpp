// A study's summary: per search the means and intervals over its runs, the selection-on-valid,
// tuned-L1 and early-stopping gains seed by seed, and the paired comparisons between searches
// (running a study and reading its runs back is study.cpp).
#include "core/search/study.h"

#include "core/metrics/correlation.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace alphascope {

namespace {

MeanInterval over(const std::vector<StudyRun>& runs, SearchAlgo algo, double StudyRun::*field) {
    std::vector<double> v;
    for (const auto& r : runs)
        if (r.algo == algo) v.push_back(r.*field);
    return meanInterval(v);
}

/// The day-by-day mean of daily series (NaN entries left out; NaN on a day none of them has).
std::vector<double> meanOfDaily(const std::vector<const std::vector<double>*>& series) {
    std::vector<double> sum;
    std::vector<int> count;
    for (const auto* x : series) {
        sum.resize(std::max(sum.size(), x->size()), 0.0);
        count.resize(sum.size(), 0);
        for (std::size_t d = 0; d < x->size(); ++d)
            if (std::isfinite((*x)[d])) {
                sum[d] += (*x)[d];
                ++count[d];
            }
    }
    for (std::size_t d = 0; d < sum.size(); ++d) sum[d] = count[d] > 0 ? sum[d] / count[d] : kNaNd;
    return sum;
}

/// a minus b day by day, as long as the shorter (NaN where either is).
std::vector<double> dailyDifference(const std::vector<double>& a, const std::vector<double>& b) {
    std::vector<double> d(std::min(a.size(), b.size()));
    for (std::size_t k = 0; k < d.size(); ++k) d[k] = a[k] - b[k];
    return d;
}

/// Newey-West on the seed-averaged daily selected minus combined test Rank IC of the runs `use` takes
/// (those with both series); n = 0 when none has.
NeweyWestTest selectionDailyTest(const std::vector<StudyRun>& runs, const std::function<bool(const StudyRun&)>& use) {
    std::vector<DailyPair> pairs;
    for (const auto& r : runs)
        if (use(r)) pairs.emplace_back(&r.dailySelectedTestRankIc, &r.dailyTestRankIc);
    return meanDailyDifferenceTest(pairs);
}

/// A variant of the pool (selected on valid, the L1 strength chosen on valid, early stopping)
/// against the combined pool for the runs `use` takes: its test Rank IC minus the combined pool's,
/// run by run, and how many gained.
void gainOver(const std::vector<StudyRun>& runs, const std::function<bool(const StudyRun&)>& use,
              double StudyRun::*variant, MeanInterval& gain, int& gains) {
    std::vector<double> differences;
    gains = 0;
    for (const auto& r : runs)
        if (use(r) && std::isfinite(r.*variant) && std::isfinite(r.testRankIc)) {
            differences.push_back(r.*variant - r.testRankIc);
            if (differences.back() > 0.0) ++gains;
        }
    gain = meanInterval(differences);
}

/// Selection on valid against the combined pool for the runs `use` takes: selected minus combined
/// test Rank IC, run by run, how many gained, and the daily test above.
void selectionOf(const std::vector<StudyRun>& runs, const std::function<bool(const StudyRun&)>& use, MeanInterval& gain,
                 int& gains, NeweyWestTest& daily) {
    gainOver(runs, use, &StudyRun::selectedTestRankIc, gain, gains);
    daily = selectionDailyTest(runs, use);
}

} // namespace

NeweyWestTest meanDailyDifferenceTest(const std::vector<DailyPair>& pairs) {
    std::vector<std::vector<double>> differences;
    for (const auto& [a, b] : pairs)
        if (!a->empty() && !b->empty()) differences.push_back(dailyDifference(*a, *b));
    if (differences.empty()) return {};
    std::vector<const std::vector<double>*> series;
    for (const auto& d : differences) series.push_back(&d);
    return neweyWestMeanTest(meanOfDaily(series));
}

void summarizeStudy(StudyReport& report) {
    report.algos.clear();
    report.pairs.clear();
    for (SearchAlgo algo : report.spec.algos) {
        StudyAlgoSummary s;
        s.algo = algo;
        s.validIc = over(report.runs, algo, &StudyRun::validIc);
        s.validRankIc = over(report.runs, algo, &StudyRun::validRankIc);
        s.testIc = over(report.runs, algo, &StudyRun::testIc);
        s.testRankIc = over(report.runs, algo, &StudyRun::testRankIc);
        s.testIcir = over(report.runs, algo, &StudyRun::testIcir);
        s.adaptiveTestRankIc = over(report.runs, algo, &StudyRun::adaptiveTestRankIc);
        s.selectedTestRankIc = over(report.runs, algo, &StudyRun::selectedTestRankIc);
        s.tunedTestRankIc = over(report.runs, algo, &StudyRun::tunedTestRankIc);
        s.tunedL1 = over(report.runs, algo, &StudyRun::tunedL1);
        s.earlyTestRankIc = over(report.runs, algo, &StudyRun::earlyTestRankIc);
        s.earlyShare = over(report.runs, algo, &StudyRun::earlyShare);
        s.bestFactorTestIc = over(report.runs, algo, &StudyRun::bestFactorTestIc);
        s.meanAbsMutual = over(report.runs, algo, &StudyRun::meanAbsMutual);
        s.evaluationsPerSecond = over(report.runs, algo, &StudyRun::evaluationsPerSecond);
        s.seconds = over(report.runs, algo, &StudyRun::seconds);
        std::vector<double> failed;
        for (const auto& r : report.runs)
            if (r.algo == algo && r.evaluations > 0)
                failed.push_back(double(r.failedEvaluations) / double(r.evaluations));
        s.failedShare = meanInterval(failed);
        // First and last tenth over seeds, and the seed-by-seed gain with the seeds that gained.
        const auto learning = [&](double StudyRun::*first, double StudyRun::*last, MeanInterval& firstOut,
                                  MeanInterval& lastOut, MeanInterval& gainOut, int& seeds) {
            firstOut = over(report.runs, algo, first);
            lastOut = over(report.runs, algo, last);
            std::vector<double> gains;
            for (const auto& r : report.runs)
                if (r.algo == algo && std::isfinite(r.*first) && std::isfinite(r.*last)) {
                    gains.push_back(r.*last - r.*first);
                    if (gains.back() > 0.0) ++seeds;
                }
            gainOut = meanInterval(gains);
        };
        learning(&StudyRun::rewardFirstTenth, &StudyRun::rewardLastTenth, s.rewardFirstTenth, s.rewardLastTenth,
                 s.rewardGain, s.seedsWithRewardGain);
        learning(&StudyRun::icFirstTenth, &StudyRun::icLastTenth, s.icFirstTenth, s.icLastTenth, s.icGain,
                 s.seedsWithIcGain);
        learning(&StudyRun::topFirstTenth, &StudyRun::topLastTenth, s.topFirstTenth, s.topLastTenth, s.topGain,
                 s.seedsWithTopGain);
        std::vector<std::pair<std::string, std::vector<double>>> named;
        for (const auto& r : report.runs) {
            if (r.algo != algo) continue;
            for (const auto& [name, value] : r.diagnostics) {
                auto it = std::find_if(named.begin(), named.end(), [&](const auto& e) { return e.first == name; });
                if (it == named.end()) it = named.insert(named.end(), {name, {}});
                it->second.push_back(value);
            }
        }
        for (const auto& [name, values] : named) s.diagnostics.emplace_back(name, meanInterval(values));
        selectionOf(
            report.runs, [algo](const StudyRun& r) { return r.algo == algo; }, s.selectionGain,
            s.seedsWithSelectionGain, s.selectionDaily);
        const auto ofAlgo = [algo](const StudyRun& r) { return r.algo == algo; };
        gainOver(report.runs, ofAlgo, &StudyRun::tunedTestRankIc, s.tuningGain, s.seedsWithTuningGain);
        gainOver(report.runs, ofAlgo, &StudyRun::earlyTestRankIc, s.earlyGain, s.seedsWithEarlyGain);
        report.algos.push_back(s);
    }
    selectionOf(
        report.runs, [](const StudyRun&) { return true; }, report.selectionGain, report.runsWithSelectionGain,
        report.selectionDaily);
    const auto every = [](const StudyRun&) { return true; };
    gainOver(report.runs, every, &StudyRun::tunedTestRankIc, report.tuningGain, report.runsWithTuningGain);
    gainOver(report.runs, every, &StudyRun::earlyTestRankIc, report.earlyGain, report.runsWithEarlyGain);
    auto runOf = [&](SearchAlgo algo, std::uint64_t seed) -> const StudyRun* {
        for (const auto& r : report.runs)
            if (r.algo == algo && r.seed == seed) return &r;
        return nullptr;
    };
    // The seed-averaged daily test Rank IC of one algorithm's combined or selected pools.
    auto averagedDaily = [&](SearchAlgo algo, std::vector<double> StudyRun::*daily) {
        std::vector<const std::vector<double>*> series;
        for (const auto& r : report.runs)
            if (r.algo == algo && !(r.*daily).empty()) series.push_back(&(r.*daily));
        return meanOfDaily(series);
    };
    for (std::size_t i = 0; i < report.spec.algos.size(); ++i)
        for (std::size_t k = i + 1; k < report.spec.algos.size(); ++k) {
            StudyPair p;
            p.a = report.spec.algos[i];
            p.b = report.spec.algos[k];
            std::vector<double> diffs, selected;
            for (std::uint64_t seed : report.spec.seeds) {
                const StudyRun* ra = runOf(p.a, seed);
                const StudyRun* rb = runOf(p.b, seed);
                if (!ra || !rb) continue;
                diffs.push_back(ra->testRankIc - rb->testRankIc);
                if (std::isfinite(ra->selectedTestRankIc) && std::isfinite(rb->selectedTestRankIc))
                    selected.push_back(ra->selectedTestRankIc - rb->selectedTestRankIc);
            }
            p.testRankIcDifference = meanInterval(diffs);
            p.selectedTestRankIcDifference = meanInterval(selected);
            p.dailyDifference = neweyWestMeanTest(dailyDifference(averagedDaily(p.a, &StudyRun::dailyTestRankIc),
                                                                  averagedDaily(p.b, &StudyRun::dailyTestRankIc)));
            const auto sa = averagedDaily(p.a, &StudyRun::dailySelectedTestRankIc);
            const auto sb = averagedDaily(p.b, &StudyRun::dailySelectedTestRankIc);
            if (!sa.empty() && !sb.empty()) p.selectedDailyDifference = neweyWestMeanTest(dailyDifference(sa, sb));
            report.pairs.push_back(p);
        }
}

} // namespace alphascope

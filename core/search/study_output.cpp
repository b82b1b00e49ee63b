// The study's outputs: Markdown and JSON summaries, the curve CSVs, and reading the curves back
// (study.h). Everything here is computed from a StudyReport; running and summarising is study.cpp.

#include "core/search/study.h"
#include "core/search/study_text.h"

#include "core/expr/expr.h"
#include "core/io/file_output.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace alphascope {

namespace {

using json = nlohmann::json;
using study_text::intervalJson;
using study_text::num;
using study_text::nwJson;
using study_text::tp;

std::string cell(const MeanInterval& m, int digits = 4) {
    if (m.n == 0 || !std::isfinite(m.mean)) return "–";
    char buf[96];
    if (std::isfinite(m.sd))
        std::snprintf(buf, sizeof buf, "%.*f ± %.*f [%.*f, %.*f]", digits, m.mean, digits, m.sd, digits, m.lo, digits,
                      m.hi);
    else
        std::snprintf(buf, sizeof buf, "%.*f", digits, m.mean);
    return buf;
}

} // namespace

std::string studyMarkdown(const StudyReport& r) {
    std::ostringstream o;
    o << "# Search study: " << r.spec.seeds.size() << " seeds, " << r.spec.evaluations
      << " evaluations each\n\nMean ± sd [95 % Student-t interval] over seeds; the combined pool (train weights) "
         "unless said otherwise.\n\n";
    if (r.missing > 0)
        o << r.missing << " (search, seed) pairs of the " << r.spec.algos.size() << " x " << r.spec.seeds.size()
          << " have no finished run in the folder and are left out (the first: " << r.missingReason
          << "); each search's figures are over its own runs.\n\n";
    if (r.persistence) o << "The split's persistence: " << persistenceSummary(*r.persistence) << "\n\n";
    o << "| search | valid IC | valid Rank IC | test IC | test Rank IC | test ICIR | adaptive test Rank IC | "
         "selected on valid: test Rank IC |\n|---|---|---|---|---|---|---|---|\n";
    for (const auto& a : r.algos)
        o << "| " << searchAlgoName(a.algo) << " | " << cell(a.validIc) << " | " << cell(a.validRankIc) << " | "
          << cell(a.testIc) << " | " << cell(a.testRankIc) << " | " << cell(a.testIcir, 3) << " | "
          << cell(a.adaptiveTestRankIc) << " | " << cell(a.selectedTestRankIc) << " |\n";
    o << "\n| search | best member's test IC (chosen on valid) | mean abs mutual corr | unusable evaluations | "
         "evaluations/s | seconds |\n|---|---|---|---|---|---|\n";
    for (const auto& a : r.algos)
        o << "| " << searchAlgoName(a.algo) << " | " << cell(a.bestFactorTestIc) << " | " << cell(a.meanAbsMutual, 3)
          << " | " << cell(a.failedShare, 3) << " | " << cell(a.evaluationsPerSecond, 1) << " | " << cell(a.seconds, 1)
          << " |\n";
    if (!r.pairs.empty()) {
        o << "\nPaired comparisons: test Rank IC of A minus B seed by seed, and a Newey-West test on the daily "
             "difference of their seed-averaged test Rank IC; the last two columns do the same for the pools "
             "selected on valid.\n\n| A − B | mean difference [95 %] | daily mean difference | NW t | p | lags | "
             "selected on valid: mean difference [95 %] | selected: NW t, p |\n|---|---|---|---|---|---|---|---|\n";
        char buf[160];
        for (const auto& p : r.pairs) {
            std::snprintf(buf, sizeof buf, "%.4f | %.2f | %.3f | %d", p.dailyDifference.mean, p.dailyDifference.t,
                          p.dailyDifference.p, p.dailyDifference.lags);
            o << "| " << searchAlgoName(p.a) << " − " << searchAlgoName(p.b) << " | " << cell(p.testRankIcDifference)
              << " | " << buf << " | " << cell(p.selectedTestRankIcDifference) << " | " << tp(p.selectedDailyDifference)
              << " |\n";
        }
    }
    if (r.selectionGain.n > 0) {
        o << "\nSelection on valid against the combined pool: test Rank IC of the members whose valid IC has "
             "their train IC's sign (refitted on train) minus the combined pool's, seed by seed, and a Newey-West "
             "test on the daily difference averaged over the seeds.\n\n| search | selected − combined [95 %] | "
             "seeds with a gain | NW t, p |\n|---|---|---|---|\n";
        for (const auto& a : r.algos)
            o << "| " << searchAlgoName(a.algo) << " | " << cell(a.selectionGain) << " | " << a.seedsWithSelectionGain
              << " / " << a.selectionGain.n << " | " << tp(a.selectionDaily) << " |\n";
        o << "| all runs | " << cell(r.selectionGain) << " | " << r.runsWithSelectionGain << " / " << r.selectionGain.n
          << " | " << tp(r.selectionDaily) << " |\n";
    }
    if (r.tuningGain.n > 0) {
        std::string grid;
        for (double l1 : SearchRun::kTunedL1Grid) grid += (grid.empty() ? "" : ", ") + formatConstant(l1);
        o << "\nThe L1 strength chosen on valid (every member refitted on train at each L1 of " << grid
          << ", the fit with the highest combined valid IC kept) against the pool's own weights: test "
             "Rank IC, the difference seed by seed, and the strength chosen.\n\n| search | test Rank IC | tuned − "
             "combined [95 %] | seeds with a gain | L1 chosen |\n|---|---|---|---|---|\n";
        for (const auto& a : r.algos)
            o << "| " << searchAlgoName(a.algo) << " | " << cell(a.tunedTestRankIc) << " | " << cell(a.tuningGain)
              << " | " << a.seedsWithTuningGain << " / " << a.tuningGain.n << " | " << cell(a.tunedL1) << " |\n";
        o << "| all runs | | " << cell(r.tuningGain) << " | " << r.runsWithTuningGain << " / " << r.tuningGain.n
          << " | |\n";
    }
    if (r.earlyGain.n > 0) {
        o << "\nEarly stopping on valid (the pool at each tenth of the budget and at the end, the one with the highest "
             "combined valid IC kept, with the weights it had then) against the final pool: test Rank IC, the "
             "difference seed by seed, and the share of the budget spent at the pool kept.\n\n| search | test Rank IC "
             "| "
             "early − combined [95 %] | seeds with a gain | share of the budget |\n|---|---|---|---|---|\n";
        for (const auto& a : r.algos)
            o << "| " << searchAlgoName(a.algo) << " | " << cell(a.earlyTestRankIc) << " | " << cell(a.earlyGain)
              << " | " << a.seedsWithEarlyGain << " / " << a.earlyGain.n << " | " << cell(a.earlyShare, 2) << " |\n";
        o << "| all runs | | " << cell(r.earlyGain) << " | " << r.runsWithEarlyGain << " / " << r.earlyGain.n
          << " | |\n";
    }
    // One "Learning" table: an introduction, then per search the first and last tenth, the gain
    // and the seeds that gained.
    const auto learningTable = [&](const char* intro, MeanInterval StudyAlgoSummary::*first,
                                   MeanInterval StudyAlgoSummary::*last, MeanInterval StudyAlgoSummary::*gain,
                                   int StudyAlgoSummary::*seeds) {
        o << intro
          << "\n\n| search | first tenth | last tenth | last − first | seeds with a gain |\n|---|---|---|---|---|\n";
        for (const auto& a : r.algos)
            o << "| " << searchAlgoName(a.algo) << " | " << cell(a.*first) << " | " << cell(a.*last) << " | "
              << cell(a.*gain) << " | " << a.*seeds << " / " << (a.*gain).n << " |\n";
    };
    learningTable("\nLearning: each search's own reward (random: |IC|; GP: fitness; MCTS: the episode's return; "
                  "GFlowNet: |IC| + w_ssl SSL + w_nov NOV; PPO: the pool's combined IC after the offer), mean over the "
                  "first and the last tenth of its episodes; scales differ between searches.",
                  &StudyAlgoSummary::rewardFirstTenth, &StudyAlgoSummary::rewardLastTenth,
                  &StudyAlgoSummary::rewardGain, &StudyAlgoSummary::seedsWithRewardGain);
    learningTable("\nThe same for one measure every search shares: the mean |train IC| of the formulas it evaluated "
                  "(0 when unusable), first and last tenth of its evaluations.",
                  &StudyAlgoSummary::icFirstTenth, &StudyAlgoSummary::icLastTenth, &StudyAlgoSummary::icGain,
                  &StudyAlgoSummary::seedsWithIcGain);
    learningTable("\nAnd the share of its evaluations that found a new formula of the run's top tenth (|train IC| at "
                  "or above the 90th percentile of the run's distinct usable formulas), first and last tenth of its "
                  "evaluations.",
                  &StudyAlgoSummary::topFirstTenth, &StudyAlgoSummary::topLastTenth, &StudyAlgoSummary::topGain,
                  &StudyAlgoSummary::seedsWithTopGain);
    bool anyDiagnostic = false;
    for (const auto& a : r.algos) anyDiagnostic = anyDiagnostic || !a.diagnostics.empty();
    if (anyDiagnostic) {
        o << "\nDiagnostics the searches report about themselves (over the seeds that report each).\n\n| search | "
             "diagnostic | mean ± sd [95 %] | seeds |\n|---|---|---|---|\n";
        for (const auto& a : r.algos)
            for (const auto& [name, value] : a.diagnostics)
                o << "| " << searchAlgoName(a.algo) << " | " << name << " | " << cell(value) << " | " << value.n
                  << " |\n";
    }
    o << "\nRuns: " << r.ran << " run now, " << r.reused << " read back from earlier.\n";
    return o.str();
}

std::string studyJson(const StudyReport& r) {
    json j;
    j["format"] = "alphascope-study";
    j["version"] = 1;
    j["evaluations"] = r.spec.evaluations;
    j["seeds"] = r.spec.seeds;
    j["missing_runs"] = r.missing;
    json algos = json::array();
    for (const auto& a : r.algos)
        algos.push_back({{"algorithm", std::string(searchAlgoName(a.algo))},
                         {"valid_ic", intervalJson(a.validIc)},
                         {"valid_rank_ic", intervalJson(a.validRankIc)},
                         {"test_ic", intervalJson(a.testIc)},
                         {"test_rank_ic", intervalJson(a.testRankIc)},
                         {"test_icir", intervalJson(a.testIcir)},
                         {"adaptive_test_rank_ic", intervalJson(a.adaptiveTestRankIc)},
                         {"selected_test_rank_ic", intervalJson(a.selectedTestRankIc)},
                         {"tuned_test_rank_ic", intervalJson(a.tunedTestRankIc)},
                         {"tuned_l1", intervalJson(a.tunedL1)},
                         {"tuning_gain", intervalJson(a.tuningGain)},
                         {"seeds_with_tuning_gain", a.seedsWithTuningGain},
                         {"early_test_rank_ic", intervalJson(a.earlyTestRankIc)},
                         {"early_share", intervalJson(a.earlyShare)},
                         {"early_gain", intervalJson(a.earlyGain)},
                         {"seeds_with_early_gain", a.seedsWithEarlyGain},
                         {"best_member_test_ic", intervalJson(a.bestFactorTestIc)},
                         {"mean_abs_mutual", intervalJson(a.meanAbsMutual)},
                         {"unusable_share", intervalJson(a.failedShare)},
                         {"evaluations_per_second", intervalJson(a.evaluationsPerSecond)},
                         {"seconds", intervalJson(a.seconds)},
                         {"reward_first_tenth", intervalJson(a.rewardFirstTenth)},
                         {"reward_last_tenth", intervalJson(a.rewardLastTenth)},
                         {"reward_gain", intervalJson(a.rewardGain)},
                         {"seeds_with_reward_gain", a.seedsWithRewardGain},
                         {"abs_ic_first_tenth", intervalJson(a.icFirstTenth)},
                         {"abs_ic_last_tenth", intervalJson(a.icLastTenth)},
                         {"abs_ic_gain", intervalJson(a.icGain)},
                         {"seeds_with_abs_ic_gain", a.seedsWithIcGain},
                         {"top_share_first_tenth", intervalJson(a.topFirstTenth)},
                         {"top_share_last_tenth", intervalJson(a.topLastTenth)},
                         {"top_share_gain", intervalJson(a.topGain)},
                         {"seeds_with_top_share_gain", a.seedsWithTopGain},
                         {"selection_gain", intervalJson(a.selectionGain)},
                         {"seeds_with_selection_gain", a.seedsWithSelectionGain},
                         {"selection_daily", nwJson(a.selectionDaily)}});
    for (std::size_t k = 0; k < r.algos.size(); ++k) {
        json d = json::object();
        for (const auto& [name, value] : r.algos[k].diagnostics) d[name] = intervalJson(value);
        algos[k]["diagnostics"] = d;
    }
    j["algorithms"] = algos;
    json pairs = json::array();
    for (const auto& p : r.pairs)
        pairs.push_back({{"a", std::string(searchAlgoName(p.a))},
                         {"b", std::string(searchAlgoName(p.b))},
                         {"test_rank_ic_difference", intervalJson(p.testRankIcDifference)},
                         {"selected_test_rank_ic_difference", intervalJson(p.selectedTestRankIcDifference)},
                         {"daily_difference", nwJson(p.dailyDifference)},
                         {"selected_daily_difference", nwJson(p.selectedDailyDifference)}});
    j["pairs"] = pairs;
    if (r.persistence) {
        const PersistenceReport& p = *r.persistence;
        const auto corr = [&](int a, int b) -> json {
            const PeriodCorrelation* c = a >= 0 && b >= 0 ? p.correlation(a, b) : nullptr;
            if (!c) return nullptr;
            return {{"a", p.periods[static_cast<std::size_t>(a)].name},
                    {"b", p.periods[static_cast<std::size_t>(b)].name},
                    {"spearman", num(c->correlation)},
                    {"lo", num(c->lo)},
                    {"hi", num(c->hi)},
                    {"formulas", c->formulas}};
        };
        const int test = lastSelectionPeriod(p);
        json jp = {{"formulas", p.formulas.size()},
                   {"drawn", p.drawn},
                   {"measure", p.spec.rankIc ? "rank_ic" : "ic"},
                   {"train_valid", corr(p.trainPeriod, p.validPeriod)},
                   {"train_test", corr(p.trainPeriod, test)},
                   {"valid_test", test != p.validPeriod ? corr(p.validPeriod, test) : json(nullptr)},
                   {"verdict", persistenceVerdictName(trainToTestVerdict(p))},
                   {"summary", persistenceSummary(p)}};
        if (p.suggestedWindow >= 0) {
            const PersistencePeriod& w = p.periods[static_cast<std::size_t>(p.suggestedWindow)];
            jp["suggested_window"] = {{"name", w.name},
                                      {"first", w.first.toString()},
                                      {"last", w.last.toString()},
                                      {"with_valid", corr(p.suggestedWindow, p.validPeriod)}};
        }
        j["persistence"] = jp;
    }
    j["selection_gain"] = {{"all_runs", intervalJson(r.selectionGain)},
                           {"runs_with_a_gain", r.runsWithSelectionGain},
                           {"daily", nwJson(r.selectionDaily)}};
    j["tuning_gain"] = {{"all_runs", intervalJson(r.tuningGain)}, {"runs_with_a_gain", r.runsWithTuningGain}};
    j["early_gain"] = {{"all_runs", intervalJson(r.earlyGain)}, {"runs_with_a_gain", r.runsWithEarlyGain}};
    json runs = json::array();
    for (const auto& run : r.runs)
        runs.push_back({{"algorithm", std::string(searchAlgoName(run.algo))},
                        {"seed", run.seed},
                        {"file", run.file},
                        {"valid_ic", num(run.validIc)},
                        {"test_rank_ic", num(run.testRankIc)},
                        {"evaluations", run.evaluations},
                        {"reused", run.reused}});
    j["runs"] = runs;
    return j.dump(2);
}

Result<void> writeStudySummary(const StudyReport& report) {
    const std::filesystem::path dir(report.spec.outDir);
    for (const auto& [name, text] : {std::pair<const char*, std::string>{"summary.md", studyMarkdown(report)},
                                     {"summary.json", studyJson(report)},
                                     {"curves.csv", studyCurvesCsv(report)},
                                     {"reward_curves.csv", studyRewardCurvesCsv(report)}})
        if (auto w = io::writeFileAtomically((dir / name).string(), text); !w.ok()) return w.error();
    return {};
}

std::string studyCurvesCsv(const StudyReport& r) {
    std::ostringstream o;
    o << "algorithm,seed,evaluations,valid_ic\n";
    char buf[64];
    for (const auto& run : r.runs)
        for (const auto& [evaluations, ic] : run.validIcCurve) {
            std::snprintf(buf, sizeof buf, "%.10g", ic);
            o << searchAlgoName(run.algo) << ',' << run.seed << ',' << evaluations << ','
              << (std::isfinite(ic) ? buf : "") << '\n';
        }
    return o.str();
}

std::string studyRewardCurvesCsv(const StudyReport& r) {
    std::ostringstream o;
    o << "algorithm,seed,curve,point,episodes,evaluations,mean\n";
    char buf[160];
    const auto row = [&](SearchAlgo algo, const std::string& seed, const char* curve, std::size_t point,
                         double episodes, double evaluations, double value) {
        std::snprintf(buf, sizeof buf, ",%s,%zu,%.10g,%.10g,", curve, point, episodes, evaluations);
        o << searchAlgoName(algo) << ',' << seed << buf;
        if (std::isfinite(value)) {
            std::snprintf(buf, sizeof buf, "%.10g", value);
            o << buf;
        }
        o << '\n';
    };
    for (auto [curve, member] : {std::pair{"reward", &StudyRun::rewardCurve}, std::pair{"abs_ic", &StudyRun::icCurve},
                                 std::pair{"top_share", &StudyRun::topCurve}}) {
        for (const auto& run : r.runs) {
            const std::vector<RewardPoint>& points = run.*member;
            for (std::size_t i = 0; i < points.size(); ++i)
                row(run.algo, std::to_string(run.seed), curve, i, double(points[i].episodes),
                    double(points[i].evaluations), points[i].meanReward);
        }
        for (SearchAlgo algo : r.spec.algos) {
            std::size_t count = 0;
            for (const auto& run : r.runs)
                if (run.algo == algo) count = std::max(count, (run.*member).size());
            for (std::size_t i = 0; i < count; ++i) {
                double episodes = 0.0, evaluations = 0.0, value = 0.0;
                int n = 0, nv = 0;
                for (const auto& run : r.runs) {
                    const std::vector<RewardPoint>& points = run.*member;
                    if (run.algo != algo || i >= points.size()) continue;
                    episodes += double(points[i].episodes);
                    evaluations += double(points[i].evaluations);
                    ++n;
                    if (std::isfinite(points[i].meanReward)) {
                        value += points[i].meanReward;
                        ++nv;
                    }
                }
                row(algo, "mean", curve, i, episodes / n, evaluations / n, nv > 0 ? value / nv : kNaNd);
            }
        }
    }
    return o.str();
}

namespace {

/// Rows of a study CSV after its header, split at commas; `columns` each. Errors name file and line.
Result<std::vector<std::vector<std::string>>> readCsvRows(const std::string& path, const std::string& header,
                                                          std::size_t columns) {
    std::ifstream in(path);
    if (!in) return makeError(ErrorCode::Io, "cannot read the file", path);
    std::string line;
    if (!std::getline(in, line) || line != header)
        return makeError(ErrorCode::Format, "the header is not '" + header + "'", path + ":1");
    std::vector<std::vector<std::string>> rows;
    for (int number = 2; std::getline(in, line); ++number) {
        if (line.empty()) continue;
        std::vector<std::string> cells;
        std::stringstream cellStream(line);
        for (std::string cell; std::getline(cellStream, cell, ',');) cells.push_back(cell);
        if (!line.empty() && line.back() == ',') cells.emplace_back(); // a trailing empty cell
        if (cells.size() != columns)
            return makeError(ErrorCode::Format,
                             "expected " + std::to_string(columns) + " cells, found " + std::to_string(cells.size()),
                             path + ":" + std::to_string(number));
        rows.push_back(std::move(cells));
    }
    return rows;
}

/// A number cell (empty = NaN); false when it is not one.
bool cellNumber(const std::string& text, double& out) {
    if (text.empty()) {
        out = kNaNd;
        return true;
    }
    char* end = nullptr;
    out = std::strtod(text.c_str(), &end);
    return end && *end == '\0';
}

StudyCurve& curveOf(std::vector<StudyCurve>& curves, const std::string& algorithm, const std::string& seed) {
    for (auto& c : curves)
        if (c.algorithm == algorithm && c.seed == seed) return c;
    curves.push_back({algorithm, seed, {}, {}});
    return curves.back();
}

} // namespace

Result<StudyCurves> readStudyCurves(const std::string& dir) {
    const std::filesystem::path folder(dir);
    StudyCurves out;
    const std::string validPath = (folder / "curves.csv").string();
    auto valid = readCsvRows(validPath, "algorithm,seed,evaluations,valid_ic", 4);
    if (!valid) return valid.error();
    int line = 1;
    for (const auto& row : *valid) {
        ++line;
        double evaluations = 0.0, ic = 0.0;
        if (!cellNumber(row[2], evaluations) || !cellNumber(row[3], ic))
            return makeError(ErrorCode::Format, "not a number", validPath + ":" + std::to_string(line));
        StudyCurve& c = curveOf(out.validIc, row[0], row[1]);
        c.evaluations.push_back(evaluations);
        c.values.push_back(ic);
    }
    // Means on a grid: each seed's latest finite value at or before each grid point.
    std::vector<std::string> algorithms;
    for (const auto& c : out.validIc)
        if (std::find(algorithms.begin(), algorithms.end(), c.algorithm) == algorithms.end())
            algorithms.push_back(c.algorithm);
    const std::size_t runs = out.validIc.size();
    for (const std::string& algorithm : algorithms) {
        double last = 0.0;
        for (std::size_t k = 0; k < runs; ++k)
            if (out.validIc[k].algorithm == algorithm && !out.validIc[k].evaluations.empty())
                last = std::max(last, out.validIc[k].evaluations.back());
        StudyCurve mean{algorithm, "mean", {}, {}};
        for (int g = 1; g <= kStudyCurveGrid; ++g) {
            const double at = last * g / kStudyCurveGrid;
            double sum = 0.0;
            int n = 0;
            for (std::size_t k = 0; k < runs; ++k) {
                const StudyCurve& c = out.validIc[k];
                if (c.algorithm != algorithm) continue;
                double latest = kNaNd;
                for (std::size_t i = 0; i < c.evaluations.size() && c.evaluations[i] <= at; ++i)
                    if (std::isfinite(c.values[i])) latest = c.values[i];
                if (std::isfinite(latest)) {
                    sum += latest;
                    ++n;
                }
            }
            if (n == 0) continue;
            mean.evaluations.push_back(at);
            mean.values.push_back(sum / n);
        }
        out.validIc.push_back(std::move(mean));
    }
    const std::string rewardPath = (folder / "reward_curves.csv").string();
    auto rewards = readCsvRows(rewardPath, "algorithm,seed,curve,point,episodes,evaluations,mean", 7);
    if (!rewards) return rewards.error();
    line = 1;
    for (const auto& row : *rewards) {
        ++line;
        double evaluations = 0.0, reward = 0.0;
        if (!cellNumber(row[5], evaluations) || !cellNumber(row[6], reward))
            return makeError(ErrorCode::Format, "not a number", rewardPath + ":" + std::to_string(line));
        if (row[2] != "reward" && row[2] != "abs_ic" && row[2] != "top_share")
            return makeError(ErrorCode::Format, "the curve is not reward, abs_ic or top_share",
                             rewardPath + ":" + std::to_string(line));
        StudyCurve& c = curveOf(row[2] == "reward"   ? out.reward
                                : row[2] == "abs_ic" ? out.formulaIc
                                                     : out.topShare,
                                row[0], row[1]);
        c.evaluations.push_back(evaluations);
        c.values.push_back(reward);
    }
    return out;
}

} // namespace alphascope

#include "core/search/study.h"

#include "core/io/file_output.h"
#include "core/io/pool_json.h"
#include "core/io/search_config_json.h"
#include "core/metrics/correlation.h"
#include "core/pool/linear_combination.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

namespace alphascope {

namespace {

using json = nlohmann::json;

double numberAt(const json& j, std::initializer_list<const char*> path) {
    const json* p = &j;
    for (const char* key : path) {
        if (!p->is_object() || !p->contains(key)) return kNaNd;
        p = &p->at(key);
    }
    return p->is_number() ? p->get<double>() : kNaNd;
}

/// The split the study tests on: the one named "test", else the last one.
const Split& testSplit(const ResearchSession& s) {
    for (const auto& sp : s.splits)
        if (sp.name == "test") return sp;
    return s.splits.back();
}

std::string readText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return in ? text.str() : std::string();
}

/// The run's figures from its pool file; an error when it is not a finished run of this pair at
/// this budget (then it is run again).
Result<StudyRun> readRun(const ResearchSession& session, const StudySpec& spec, SearchAlgo algo, std::uint64_t seed,
                         const std::string& path, const SearchConfig& expected) {
    const std::string text = readText(path);
    if (text.empty()) return makeError(ErrorCode::Io, "no pool file", path);
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || j.value("format", "") != "alphascope-pool")
        return makeError(ErrorCode::Format, "not a pool file", path);
    if (j.value("algorithm", "") != searchAlgoName(algo) || j.value("seed", std::uint64_t(~0ull)) != seed)
        return makeError(ErrorCode::Format, "the pool file is of another run", path);
    if (!j.contains("run") || j["run"].value("canceled", true))
        return makeError(ErrorCode::Format, "the run was canceled", path);
    if (numberAt(j, {"config", "budget", "evaluations"}) != static_cast<double>(spec.evaluations))
        return makeError(ErrorCode::Format, "the run had another budget", path);
    // Settings that change what this search finds (pre-check, pool, grammar, its own options): a file of
    // other settings (an older version, another --ridge) is run again, not mixed in. The other
    // searches' blocks do not matter: a new GFlowNet default does not rerun the random search.
    const json want = json::parse(searchConfigToJson(expected));
    // A search's options block is named as the search ("gfn", "mcts", "gp", "ppo"); random has none.
    const std::string own = algo == SearchAlgo::Random ? "" : std::string(searchAlgoName(algo));
    for (const std::string& key : {std::string("precheck"), std::string("pool"), own})
        if (!key.empty() && (!j["config"].contains(key) || j["config"][key] != want[key]))
            return makeError(ErrorCode::Format, std::string("the run had other settings (") + key + ")", path);
    // The grammar too, but an empty list (operators, features, groups) is filled in by the run from
    // the data, so only the lists given are compared.
    const json& grammar = j["config"].contains("grammar") ? j["config"]["grammar"] : json::object();
    for (const auto& [key, value] : want["grammar"].items())
        if (!(value.is_array() && value.empty()) && (!grammar.contains(key) || grammar[key] != value))
            return makeError(ErrorCode::Format, "the run had other settings (grammar." + key + ")", path);

    StudyRun r;
    r.algo = algo;
    r.seed = seed;
    r.file = path;
    const std::string test = testSplit(session).name;
    const Split* valid = validationSplit(session);
    const std::string validName = valid ? valid->name : "valid";
    r.validIc = numberAt(j, {"combined", validName.c_str(), "ic"});
    r.validRankIc = numberAt(j, {"combined", validName.c_str(), "rank_ic"});
    r.testIc = numberAt(j, {"combined", test.c_str(), "ic"});
    r.testRankIc = numberAt(j, {"combined", test.c_str(), "rank_ic"});
    r.testIcir = numberAt(j, {"combined", test.c_str(), "icir"});
    r.adaptiveTestIc = numberAt(j, {"adaptive", test.c_str(), "ic"});
    r.adaptiveTestRankIc = numberAt(j, {"adaptive", test.c_str(), "rank_ic"});
    r.selectedTestRankIc = numberAt(j, {"selected", test.c_str(), "rank_ic"});
    r.meanAbsMutual = numberAt(j, {"diversity", "mean_abs_mutual"});
    r.evaluations = static_cast<long long>(numberAt(j, {"run", "evaluations"}));
    r.failedEvaluations = static_cast<long long>(numberAt(j, {"run", "failed_evaluations"}));
    r.seconds = numberAt(j, {"run", "seconds"});
    r.evaluationsPerSecond = numberAt(j, {"run", "evaluations_per_second"});
    double bestValid = -std::numeric_limits<double>::infinity();
    for (const json& f : j.value("factors", json::array())) {
        ++r.poolSize;
        const double v = numberAt(f, {"metrics", validName.c_str(), "ic"});
        if (std::isfinite(v) && v > bestValid) {
            bestValid = v;
            r.bestFactorTestIc = numberAt(f, {"metrics", test.c_str(), "ic"});
        }
    }
    for (const json& h : j.value("history", json::array()))
        r.validIcCurve.emplace_back(static_cast<long long>(numberAt(h, {"evaluations"})), numberAt(h, {"pool_valid_ic"}));
    // A curve of the pool file (its count and mean keys) and the means of its first and last tenth.
    const auto readCurve = [&j](const char* key, const char* count, const char* mean, std::vector<RewardPoint>& curve,
                                double& first, double& last) {
        for (const json& p : j.value(key, json::array()))
            curve.push_back({static_cast<long long>(numberAt(p, {count})), static_cast<long long>(numberAt(p, {"evaluations"})),
                             numberAt(p, {mean})});
        first = rewardOfTenth(curve, false);
        last = rewardOfTenth(curve, true);
    };
    readCurve("reward_curve", "episodes", "mean_reward", r.rewardCurve, r.rewardFirstTenth, r.rewardLastTenth);
    readCurve("ic_curve", "evaluated", "mean_abs_ic", r.icCurve, r.icFirstTenth, r.icLastTenth);
    readCurve("top_curve", "evaluated", "top_share", r.topCurve, r.topFirstTenth, r.topLastTenth);
    if (j.contains("diagnostics") && j["diagnostics"].is_object())
        for (const auto& [name, value] : j["diagnostics"].items())
            if (value.is_number() && std::isfinite(value.get<double>())) r.diagnostics.emplace_back(name, value.get<double>());

    // The combined pool's daily test Rank IC, from its formulas and weights.
    auto entries = readPoolFile(text, path);
    if (!entries.ok()) return entries.error();
    // And the selected pool's, from the members' selected weights.
    std::vector<PanelPtr> values, selectedValues;
    std::vector<double> weights, selectedWeights;
    for (const PoolFileEntry& e : entries.value()) {
        auto v = session.evaluator->evaluate(e.formula);
        if (!v.ok()) return makeError(ErrorCode::Format, "a formula of the pool does not evaluate: " + v.error().message, path);
        values.push_back(v.value());
        weights.push_back(std::isfinite(e.weight) ? e.weight : 0.0);
        if (std::isfinite(e.selectedWeight) && e.selectedWeight != 0.0) {
            selectedValues.push_back(v.value());
            selectedWeights.push_back(e.selectedWeight);
        }
    }
    const Split& t = testSplit(session);
    const DayRange testDays{t.begin, t.end};
    if (!values.empty())
        r.dailyTestRankIc = dailyRankIc(*weightedCombination(values, weights), *session.targetValues, testDays);
    if (!selectedValues.empty())
        r.dailySelectedTestRankIc =
            dailyRankIc(*weightedCombination(selectedValues, selectedWeights), *session.targetValues, testDays);
    return r;
}

MeanInterval over(const std::vector<StudyRun>& runs, SearchAlgo algo, double StudyRun::*field) {
    std::vector<double> v;
    for (const auto& r : runs)
        if (r.algo == algo) v.push_back(r.*field);
    return meanInterval(v);
}

/// "t, p" of a Newey-West test, "–" when it was not computed.
std::string tp(const NeweyWestTest& t) {
    if (t.n == 0 || !std::isfinite(t.t)) return "–";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f, %.3f", t.t, t.p);
    return buf;
}

std::string cell(const MeanInterval& m, int digits = 4) {
    if (m.n == 0 || !std::isfinite(m.mean)) return "–";
    char buf[96];
    if (std::isfinite(m.sd))
        std::snprintf(buf, sizeof buf, "%.*f ± %.*f [%.*f, %.*f]", digits, m.mean, digits, m.sd, digits, m.lo, digits, m.hi);
    else
        std::snprintf(buf, sizeof buf, "%.*f", digits, m.mean);
    return buf;
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
    std::vector<std::vector<double>> differences;
    for (const auto& r : runs)
        if (use(r) && !r.dailySelectedTestRankIc.empty() && !r.dailyTestRankIc.empty())
            differences.push_back(dailyDifference(r.dailySelectedTestRankIc, r.dailyTestRankIc));
    if (differences.empty()) return {};
    std::vector<const std::vector<double>*> series;
    for (const auto& d : differences) series.push_back(&d);
    return neweyWestMeanTest(meanOfDaily(series));
}

json num(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json intervalJson(const MeanInterval& m) {
    return {{"n", m.n}, {"mean", num(m.mean)}, {"sd", num(m.sd)}, {"lo95", num(m.lo)}, {"hi95", num(m.hi)}};
}

json nwJson(const NeweyWestTest& t) {
    return {{"days", t.n}, {"mean", num(t.mean)}, {"se", num(t.se)}, {"t", num(t.t)}, {"p", num(t.p)}, {"lags", t.lags}};
}

} // namespace

SearchConfig benchmarkRunConfig(const std::function<SearchConfig(SearchAlgo)>& base, SearchAlgo algo, std::uint64_t seed,
                                long long evaluations, bool preferCuda) {
    SearchConfig config = base(algo);
    config.algo = algo;
    config.seed = seed;
    config.budget = SearchBudget{};
    config.budget.evaluations = evaluations;
    config.budget.episodes = 0;
    config.budget.seconds = 0;
    config.preferCuda = preferCuda;
    return config;
}

std::string studyRunFile(const StudySpec& spec, SearchAlgo algo, std::uint64_t seed) {
    return (std::filesystem::path(spec.outDir) / (std::string(searchAlgoName(algo)) + "-seed" + std::to_string(seed) + ".json")).string();
}

Result<StudyReport> runStudy(std::shared_ptr<const ResearchSession> session, const StudySpec& spec,
                             const std::function<SearchConfig(SearchAlgo)>& base, Feedback& feedback) {
    if (spec.algos.empty() || spec.seeds.empty()) return makeError(ErrorCode::InvalidArgument, "a study needs algorithms and seeds");
    if (spec.evaluations < 1) return makeError(ErrorCode::InvalidArgument, "a study needs an evaluation budget (equal for every search)");
    std::error_code ec;
    std::filesystem::create_directories(spec.outDir, ec);
    if (ec) return makeError(ErrorCode::Io, "cannot create the study folder: " + ec.message(), spec.outDir);

    StudyReport report;
    report.spec = spec;
    const double pairs = double(spec.algos.size() * spec.seeds.size());
    int done = 0;
    for (SearchAlgo algo : spec.algos) {
        for (std::uint64_t seed : spec.seeds) {
            if (feedback.canceled()) return makeError(ErrorCode::Canceled, "study canceled; the finished runs are kept in " + spec.outDir);
            const std::string path = studyRunFile(spec, algo, seed);
            const SearchConfig config = benchmarkRunConfig(base, algo, seed, spec.evaluations, spec.preferCuda);
            auto existing = readRun(*session, spec, algo, seed, path, config);
            if (existing.ok()) {
                existing->reused = true;
                report.runs.push_back(std::move(existing.value()));
                ++report.reused;
            } else {
                feedback.setProgress(done / pairs, std::string(searchAlgoName(algo)) + " seed " + std::to_string(seed));
                SearchFeedback searchFeedback;
                searchFeedback.onSearchProgress = [&](const SearchProgress& p) {
                    feedback.setProgress((done + p.fraction) / pairs,
                                         std::string(searchAlgoName(algo)) + " seed " + std::to_string(seed));
                    if (feedback.canceled()) searchFeedback.cancel();
                };
                auto result = runSearch(session, config, searchFeedback);
                if (!result.ok()) return result.error();
                if (result->canceled || feedback.canceled())
                    return makeError(ErrorCode::Canceled, "study canceled; the finished runs are kept in " + spec.outDir);
                if (auto w = io::writeFileAtomically(path, poolJson(result.value(), *session)); !w.ok()) return w.error();
                auto run = readRun(*session, spec, algo, seed, path, config);
                if (!run.ok()) return run.error();
                report.runs.push_back(std::move(run.value()));
                ++report.ran;
            }
            ++done;
            feedback.setProgress(done / pairs);
        }
    }
    summarizeStudy(report);
    return report;
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
        s.bestFactorTestIc = over(report.runs, algo, &StudyRun::bestFactorTestIc);
        s.meanAbsMutual = over(report.runs, algo, &StudyRun::meanAbsMutual);
        s.evaluationsPerSecond = over(report.runs, algo, &StudyRun::evaluationsPerSecond);
        s.seconds = over(report.runs, algo, &StudyRun::seconds);
        std::vector<double> failed;
        for (const auto& r : report.runs)
            if (r.algo == algo && r.evaluations > 0) failed.push_back(double(r.failedEvaluations) / double(r.evaluations));
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
        std::vector<double> selection;
        for (const auto& r : report.runs)
            if (r.algo == algo && std::isfinite(r.selectedTestRankIc) && std::isfinite(r.testRankIc)) {
                selection.push_back(r.selectedTestRankIc - r.testRankIc);
                if (selection.back() > 0.0) ++s.seedsWithSelectionGain;
            }
        s.selectionGain = meanInterval(selection);
        s.selectionDaily = selectionDailyTest(report.runs, [algo](const StudyRun& r) { return r.algo == algo; });
        report.algos.push_back(s);
    }
    std::vector<double> selection;
    report.runsWithSelectionGain = 0;
    for (const auto& r : report.runs)
        if (std::isfinite(r.selectedTestRankIc) && std::isfinite(r.testRankIc)) {
            selection.push_back(r.selectedTestRankIc - r.testRankIc);
            if (selection.back() > 0.0) ++report.runsWithSelectionGain;
        }
    report.selectionGain = meanInterval(selection);
    report.selectionDaily = selectionDailyTest(report.runs, [](const StudyRun&) { return true; });
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

std::string studyMarkdown(const StudyReport& r) {
    std::ostringstream o;
    o << "# Search study: " << r.spec.seeds.size() << " seeds, " << r.spec.evaluations
      << " evaluations each\n\nMean ± sd [95 % Student-t interval] over seeds; the combined pool (train weights) "
         "unless said otherwise.\n\n";
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
    // One "Learning" table: an introduction, then per search the first and last tenth, the gain
    // and the seeds that gained.
    const auto learningTable = [&](const char* intro, MeanInterval StudyAlgoSummary::*first,
                                   MeanInterval StudyAlgoSummary::*last, MeanInterval StudyAlgoSummary::*gain,
                                   int StudyAlgoSummary::*seeds) {
        o << intro << "\n\n| search | first tenth | last tenth | last − first | seeds with a gain |\n|---|---|---|---|---|\n";
        for (const auto& a : r.algos)
            o << "| " << searchAlgoName(a.algo) << " | " << cell(a.*first) << " | " << cell(a.*last) << " | "
              << cell(a.*gain) << " | " << a.*seeds << " / " << (a.*gain).n << " |\n";
    };
    learningTable("\nLearning: each search's own reward (random: |IC|; GP: fitness; MCTS: the episode's return; "
                  "GFlowNet: |IC| + w_ssl SSL + w_nov NOV; PPO: the pool's combined IC after the offer), mean over the "
                  "first and the last tenth of its episodes; scales differ between searches.",
                  &StudyAlgoSummary::rewardFirstTenth, &StudyAlgoSummary::rewardLastTenth, &StudyAlgoSummary::rewardGain,
                  &StudyAlgoSummary::seedsWithRewardGain);
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
                o << "| " << searchAlgoName(a.algo) << " | " << name << " | " << cell(value) << " | " << value.n << " |\n";
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
    j["selection_gain"] = {{"all_runs", intervalJson(r.selectionGain)}, {"runs_with_a_gain", r.runsWithSelectionGain},
                           {"daily", nwJson(r.selectionDaily)}};
    json runs = json::array();
    for (const auto& run : r.runs)
        runs.push_back({{"algorithm", std::string(searchAlgoName(run.algo))}, {"seed", run.seed}, {"file", run.file},
                        {"valid_ic", num(run.validIc)}, {"test_rank_ic", num(run.testRankIc)},
                        {"evaluations", run.evaluations}, {"reused", run.reused}});
    j["runs"] = runs;
    return j.dump(2);
}

std::string studyCurvesCsv(const StudyReport& r) {
    std::ostringstream o;
    o << "algorithm,seed,evaluations,valid_ic\n";
    char buf[64];
    for (const auto& run : r.runs)
        for (const auto& [evaluations, ic] : run.validIcCurve) {
            std::snprintf(buf, sizeof buf, "%.10g", ic);
            o << searchAlgoName(run.algo) << ',' << run.seed << ',' << evaluations << ',' << (std::isfinite(ic) ? buf : "") << '\n';
        }
    return o.str();
}

double rewardOfTenth(const std::vector<RewardPoint>& curve, bool last) {
    if (curve.empty()) return kNaNd;
    const std::size_t k = std::max<std::size_t>(1, curve.size() / 10);
    const std::size_t begin = last ? curve.size() - k : 0;
    double sum = 0.0, episodes = 0.0;
    for (std::size_t i = begin; i < begin + k; ++i) {
        const double n = static_cast<double>(curve[i].episodes - (i > 0 ? curve[i - 1].episodes : 0));
        if (n <= 0.0 || !std::isfinite(curve[i].meanReward)) continue;
        sum += n * curve[i].meanReward;
        episodes += n;
    }
    return episodes > 0.0 ? sum / episodes : kNaNd;
}

std::string studyRewardCurvesCsv(const StudyReport& r) {
    std::ostringstream o;
    o << "algorithm,seed,curve,point,episodes,evaluations,mean\n";
    char buf[160];
    const auto row = [&](SearchAlgo algo, const std::string& seed, const char* curve, std::size_t point, double episodes,
                         double evaluations, double value) {
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
                row(run.algo, std::to_string(run.seed), curve, i, double(points[i].episodes), double(points[i].evaluations),
                    points[i].meanReward);
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
Result<std::vector<std::vector<std::string>>> readCsvRows(const std::string& path, const std::string& header, std::size_t columns) {
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
            return makeError(ErrorCode::Format, "expected " + std::to_string(columns) + " cells, found " + std::to_string(cells.size()),
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
        if (std::find(algorithms.begin(), algorithms.end(), c.algorithm) == algorithms.end()) algorithms.push_back(c.algorithm);
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
        StudyCurve& c = curveOf(row[2] == "reward" ? out.reward : row[2] == "abs_ic" ? out.formulaIc : out.topShare,
                                row[0], row[1]);
        c.evaluations.push_back(evaluations);
        c.values.push_back(reward);
    }
    return out;
}

} // namespace alphascope

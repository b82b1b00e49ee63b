#include "core/search/study.h"

#include "core/io/file_output.h"
#include "core/io/pool_json.h"
#include "core/io/search_config_json.h"
#include "core/metrics/correlation.h"
#include "core/pool/linear_combination.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <regex>
#include <sstream>
#include <thread>

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

/// How the data a pool file records ("data") differs from the session's, in words; empty when the
/// target, the instruments, the days and the splits (names, first and last days) agree. The source
/// path is not compared: the same data copied elsewhere is the same data.
std::string dataDifference(const json& recorded, const ResearchSession& session) {
    const json here = json::parse(poolDataJson(session));
    if (!recorded.is_object()) return "the runs record no data";
    std::vector<std::string> out;
    const auto text = [](const json& j, const char* key) {
        if (!j.contains(key)) return std::string("none");
        return j.at(key).is_string() ? j.at(key).get<std::string>() : j.at(key).dump();
    };
    for (const char* key : {"target", "instruments", "days"})
        if (!recorded.contains(key) || recorded.at(key) != here.at(key))
            out.push_back(std::string(key) + " " + text(recorded, key) + " in the runs, " + text(here, key) + " here");
    const auto splitsText = [](const json& splits) {
        std::string t;
        if (!splits.is_array()) return std::string("none");
        for (const json& sp : splits) {
            if (!t.empty()) t += ", ";
            t += sp.value("name", "?") + " " + sp.value("first", "?") + " … " + sp.value("last", "?");
        }
        return t;
    };
    const auto sameSplits = [](const json& a, const json& b) {
        if (!a.is_array() || a.size() != b.size()) return false;
        for (std::size_t k = 0; k < a.size(); ++k)
            for (const char* key : {"name", "first", "last"})
                if (!a[k].is_object() || !a[k].contains(key) || a[k].at(key) != b[k].at(key)) return false;
        return true;
    };
    const json none = json::array();
    const json& splits = recorded.contains("splits") ? recorded.at("splits") : none;
    if (!sameSplits(splits, here.at("splits")))
        out.push_back("splits " + splitsText(splits) + " in the runs, " + splitsText(here.at("splits")) + " here");
    std::string joined;
    for (const std::string& d : out) joined += (joined.empty() ? "" : "; ") + d;
    return joined;
}

/// The run's figures from its pool file; an error when it is not a finished run of this pair at
/// this budget on this data (then it is run again).
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
    if (const std::string d = dataDifference(j.contains("data") ? j["data"] : json(), session); !d.empty())
        return makeError(ErrorCode::Format, "the run was made on other data (" + d + ")", path);
    // Settings that change what this search finds (pre-check, pool, grammar, its own options): a file of
    // other settings (an older version, another --ridge) is run again, not mixed in. The other
    // searches' blocks do not matter: a new GFlowNet default does not rerun the random search.
    const json want = json::parse(searchConfigToJson(expected));
    // Opening a folder (nothing to run) compares the file's settings as this version reads them, so
    // that an option added since, absent from the file, is its default and the run is still read;
    // a study that runs keeps the strict comparison and reruns files of an older version.
    json have = j["config"];
    if (!spec.runMissing) {
        auto read = searchConfigFromJson(have.dump(), path);
        if (!read.ok()) return read.error();
        have = json::parse(searchConfigToJson(read.value()));
    }
    // A search's options block is named as the search ("gfn", "mcts", "gp", "ppo"); random has none.
    const std::string own = algo == SearchAlgo::Random ? "" : std::string(searchAlgoName(algo));
    for (const std::string& key : {std::string("precheck"), std::string("pool"), own})
        if (!key.empty() && (!have.contains(key) || have[key] != want[key]))
            return makeError(ErrorCode::Format, std::string("the run had other settings (") + key + ")", path);
    // The grammar too, but an empty list (operators, features, groups) is filled in by the run from
    // the data, so only the lists given are compared.
    const json& grammar = have.contains("grammar") ? have["grammar"] : json::object();
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
    r.tunedTestRankIc = numberAt(j, {"tuned", test.c_str(), "rank_ic"});
    r.tunedL1 = numberAt(j, {"tuned_l1"});
    r.earlyTestRankIc = numberAt(j, {"early", test.c_str(), "rank_ic"});
    if (const double at = numberAt(j, {"early_evaluations"}), all = numberAt(j, {"run", "evaluations"});
        std::isfinite(r.earlyTestRankIc) && std::isfinite(at) && all > 0)
        r.earlyShare = at / all;
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
        r.validIcCurve.emplace_back(static_cast<long long>(numberAt(h, {"evaluations"})),
                                    numberAt(h, {"pool_valid_ic"}));
    // A curve of the pool file (its count and mean keys) and the means of its first and last tenth.
    const auto readCurve = [&j](const char* key, const char* count, const char* mean, std::vector<RewardPoint>& curve,
                                double& first, double& last) {
        for (const json& p : j.value(key, json::array()))
            curve.push_back({static_cast<long long>(numberAt(p, {count})),
                             static_cast<long long>(numberAt(p, {"evaluations"})), numberAt(p, {mean})});
        first = rewardOfTenth(curve, false);
        last = rewardOfTenth(curve, true);
    };
    readCurve("reward_curve", "episodes", "mean_reward", r.rewardCurve, r.rewardFirstTenth, r.rewardLastTenth);
    readCurve("ic_curve", "evaluated", "mean_abs_ic", r.icCurve, r.icFirstTenth, r.icLastTenth);
    readCurve("top_curve", "evaluated", "top_share", r.topCurve, r.topFirstTenth, r.topLastTenth);
    if (j.contains("diagnostics") && j["diagnostics"].is_object())
        for (const auto& [name, value] : j["diagnostics"].items())
            if (value.is_number() && std::isfinite(value.get<double>()))
                r.diagnostics.emplace_back(name, value.get<double>());

    // The combined pool's daily test Rank IC, from its formulas and weights.
    auto entries = readPoolFile(text, path);
    if (!entries.ok()) return entries.error();
    // And the selected pool's, from the members' selected weights.
    std::vector<PanelPtr> values, selectedValues;
    std::vector<double> weights, selectedWeights;
    for (const PoolFileEntry& e : entries.value()) {
        auto v = session.evaluator->evaluate(e.formula);
        if (!v.ok())
            return makeError(ErrorCode::Format, "a formula of the pool does not evaluate: " + v.error().message, path);
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

} // namespace

Result<StudyBase> studyBaseConfig(const std::string& config, const std::string& where,
                                  const std::vector<SearchAlgo>& algos,
                                  const std::function<void(SearchConfig&)>& adjust) {
    auto overlay = [config, where, adjust](SearchAlgo algo) -> Result<SearchConfig> {
        SearchConfig c = defaultSearchConfig(algo);
        if (!config.empty()) {
            auto read = searchConfigFromJson(config, where, c);
            if (!read.ok()) return read.error();
            c = std::move(read.value());
            c.algo = algo;
        }
        if (adjust) adjust(c);
        return c;
    };
    for (SearchAlgo algo : algos) {
        auto c = overlay(algo);
        if (!c.ok()) return c.error();
        if (auto v = validate(c.value(), nullptr); !v.ok()) {
            Error e = v.error();
            if (!where.empty()) {
                e.where = where + (e.where.empty() ? "" : ": " + e.where);
                e.message += " (the " + std::string(searchAlgoName(algo)) + " search)";
            }
            return e;
        }
    }
    return StudyBase([overlay](SearchAlgo algo) { return overlay(algo).value(); });
}

SearchConfig benchmarkRunConfig(const std::function<SearchConfig(SearchAlgo)>& base, SearchAlgo algo,
                                std::uint64_t seed, long long evaluations, bool preferCuda) {
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

SearchConfig StudyFolder::base(SearchAlgo algo) const {
    for (const auto& [a, config] : configs)
        if (a == algo) return config;
    if (configs.empty()) return defaultSearchConfig(algo);
    // A pool file's config holds every search's options (searchConfigToJson writes them all), so a
    // search the folder lacks takes the settings of the study's first one.
    SearchConfig c = configs.front().second;
    c.algo = algo;
    return c;
}

Result<StudyFolder> scanStudyFolder(const std::string& dir) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) return makeError(ErrorCode::Io, "no such folder", dir);
    struct File {
        SearchAlgo algo;
        std::uint64_t seed;
        long long evaluations;
        json config;
        json data;
        std::string path;
    };
    std::vector<File> files;
    StudyFolder folder;
    const std::regex name(R"(^([a-z]+)-seed([0-9]{1,18})\.json$)");
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        std::smatch m;
        const std::string file = entry.path().filename().string();
        if (!entry.is_regular_file(ec) || !std::regex_match(file, m, name)) continue;
        const auto algo = parseSearchAlgo(m[1].str());
        if (!algo) continue;
        const std::string path = entry.path().string();
        json j = json::parse(readText(path), nullptr, false);
        const std::uint64_t seed = std::stoull(m[2].str());
        if (j.is_discarded() || j.value("format", "") != "alphascope-pool" || j.value("algorithm", "") != m[1].str() ||
            j.value("seed", std::uint64_t(~0ull)) != seed || !j.contains("run") || j["run"].value("canceled", true) ||
            !j.contains("config") || !j["config"].is_object()) {
            ++folder.skipped;
            continue;
        }
        const double evaluations = numberAt(j, {"config", "budget", "evaluations"});
        if (!std::isfinite(evaluations) || evaluations < 1) {
            ++folder.skipped;
            continue;
        }
        files.push_back({*algo, seed, static_cast<long long>(evaluations), std::move(j["config"]),
                         j.contains("data") ? std::move(j["data"]) : json(), path});
    }
    if (ec) return makeError(ErrorCode::Io, "cannot read the folder: " + ec.message(), dir);
    if (files.empty())
        return makeError(ErrorCode::NotFound, "no finished study run (<algorithm>-seed<k>.json) in the folder", dir);
    // The budget most files have (the smaller on a tie); the others are not this study's.
    std::map<long long, int> budgets;
    for (const File& f : files) ++budgets[f.evaluations];
    folder.evaluations = std::max_element(budgets.begin(), budgets.end(), [](const auto& a, const auto& b) {
                             return a.second < b.second;
                         })->first;
    std::sort(files.begin(), files.end(), [](const File& a, const File& b) {
        return a.algo != b.algo ? static_cast<int>(a.algo) < static_cast<int>(b.algo) : a.seed < b.seed;
    });
    for (const File& f : files) {
        if (f.evaluations != folder.evaluations) {
            ++folder.skipped;
            continue;
        }
        ++folder.files;
        if (folder.data.empty()) folder.data = f.data.dump();
        if (folder.algos.empty() || folder.algos.back() != f.algo) {
            auto config = searchConfigFromJson(f.config.dump(), f.path);
            if (!config.ok()) return config.error();
            folder.algos.push_back(f.algo);
            folder.configs.emplace_back(f.algo, std::move(config.value()));
        }
        folder.seeds.push_back(f.seed);
    }
    std::sort(folder.seeds.begin(), folder.seeds.end());
    folder.seeds.erase(std::unique(folder.seeds.begin(), folder.seeds.end()), folder.seeds.end());
    return folder;
}

std::string studyDataDifference(const StudyFolder& folder, const ResearchSession& session) {
    const json recorded = json::parse(folder.data, nullptr, false);
    return dataDifference(recorded.is_discarded() ? json() : recorded, session);
}

Result<OpenedStudy> openStudy(std::shared_ptr<const ResearchSession> session, const std::string& dir,
                              int persistenceFormulas, Feedback& feedback) {
    auto folder = scanStudyFolder(dir);
    if (!folder.ok()) return folder.error();
    // A study's figures are its runs' pools measured on their own data and splits.
    if (const std::string difference = studyDataDifference(folder.value(), *session); !difference.empty())
        return makeError(ErrorCode::InvalidArgument,
                         "the study was run on other data or splits (" + difference +
                             "); open its data with those splits to read it",
                         dir);
    StudySpec spec;
    spec.algos = folder->algos;
    spec.seeds = folder->seeds;
    spec.evaluations = folder->evaluations;
    spec.outDir = dir;
    spec.persistenceFormulas = persistenceFormulas;
    spec.runMissing = false;
    const StudyFolder f = folder.value();
    auto report = runStudy(
        std::move(session), spec, [f](SearchAlgo algo) { return f.base(algo); }, feedback);
    if (!report.ok()) return report.error();
    return OpenedStudy{f, std::move(report.value())};
}

std::string studyRunFile(const StudySpec& spec, SearchAlgo algo, std::uint64_t seed) {
    return (std::filesystem::path(spec.outDir) /
            (std::string(searchAlgoName(algo)) + "-seed" + std::to_string(seed) + ".json"))
        .string();
}

Result<StudyReport> runStudy(std::shared_ptr<const ResearchSession> session, const StudySpec& spec,
                             const std::function<SearchConfig(SearchAlgo)>& base, Feedback& feedback) {
    if (spec.algos.empty() || spec.seeds.empty())
        return makeError(ErrorCode::InvalidArgument, "a study needs algorithms and seeds");
    if (spec.evaluations < 1)
        return makeError(ErrorCode::InvalidArgument, "a study needs an evaluation budget (equal for every search)");
    if (spec.jobs < 1)
        return makeError(ErrorCode::InvalidArgument, "a study runs at least one search at a time (jobs >= 1)");
    if (spec.persistenceFormulas < 0 || (spec.persistenceFormulas > 0 && spec.persistenceFormulas < 3))
        return makeError(ErrorCode::InvalidArgument,
                         "the split's persistence needs at least 3 formulas (0: not measured)");
    std::error_code ec;
    std::filesystem::create_directories(spec.outDir, ec);
    if (ec) return makeError(ErrorCode::Io, "cannot create the study folder: " + ec.message(), spec.outDir);
    const auto canceled = [&] {
        return makeError(ErrorCode::Canceled, "study canceled; the finished runs are kept in " + spec.outDir);
    };

    // Every pair in order (algorithms, then seeds); the runs come out in this order whatever the
    // order they finish in. Pairs whose file holds their run are read back, the others run.
    struct Pair {
        SearchAlgo algo = SearchAlgo::Random;
        std::uint64_t seed = 0;
        std::string path;
        SearchConfig config;
        std::optional<StudyRun> run;
        double fraction = 0.0; ///< of a pair that runs
    };
    std::vector<Pair> pairs;
    for (SearchAlgo algo : spec.algos)
        for (std::uint64_t seed : spec.seeds)
            pairs.push_back({algo,
                             seed,
                             studyRunFile(spec, algo, seed),
                             benchmarkRunConfig(base, algo, seed, spec.evaluations, spec.preferCuda),
                             {}});
    StudyReport report;
    report.spec = spec;
    std::vector<std::size_t> pending;
    for (std::size_t k = 0; k < pairs.size(); ++k) {
        Pair& p = pairs[k];
        if (auto existing = readRun(*session, spec, p.algo, p.seed, p.path, p.config); existing.ok()) {
            existing->reused = true;
            p.run = std::move(existing.value());
            ++report.reused;
        } else if (spec.runMissing) {
            pending.push_back(k);
        } else {
            if (report.missing++ == 0) report.missingReason = existing.error().toString();
        }
        if (feedback.canceled()) return canceled();
        if (!spec.runMissing) feedback.setProgress(0.5 * double(k + 1) / double(pairs.size()), "reading " + p.path);
    }
    if (!spec.runMissing && report.reused == 0)
        return makeError(ErrorCode::NotFound,
                         "no finished run of these settings in the study folder (the first: " + report.missingReason +
                             ")",
                         spec.outDir);

    // Up to spec.jobs searches at once, each on its own thread taking the next pending pair; the
    // first error (or a cancel) stops the others, whose files are then not written.
    std::mutex mutex; // guards the pairs' fractions, `failure` and the feedback's progress
    std::optional<Error> failure;
    std::atomic<bool> stop{false};
    std::atomic<std::size_t> next{0};
    const double total = double(pairs.size());
    const auto publish = [&](const std::string& text) { // under `mutex`
        double done = double(report.reused);
        for (std::size_t k : pending) done += pairs[k].fraction;
        feedback.setProgress(done / total, text);
    };
    const auto fail = [&](Error e) {
        std::lock_guard lock(mutex);
        if (!failure) failure = std::move(e);
        stop = true;
    };
    const auto worker = [&] {
        for (std::size_t i = next++; i < pending.size() && !stop && !feedback.canceled(); i = next++) {
            Pair& p = pairs[pending[i]];
            const std::string name = std::string(searchAlgoName(p.algo)) + " seed " + std::to_string(p.seed);
            SearchFeedback searchFeedback;
            searchFeedback.onSearchProgress = [&](const SearchProgress& progress) {
                {
                    std::lock_guard lock(mutex);
                    p.fraction = progress.fraction;
                    publish(name);
                }
                if (feedback.canceled() || stop) searchFeedback.cancel();
            };
            auto result = runSearch(session, p.config, searchFeedback);
            if (!result.ok()) return fail(result.error());
            if (result->canceled) return fail(canceled()); // a run that finished is kept, even as the others stop
            if (auto w = io::writeFileAtomically(p.path, poolJson(result.value(), *session)); !w.ok())
                return fail(w.error());
            auto run = readRun(*session, spec, p.algo, p.seed, p.path, p.config);
            if (!run.ok()) return fail(run.error());
            std::lock_guard lock(mutex);
            p.run = std::move(run.value());
            p.fraction = 1.0;
            ++report.ran;
            publish(name);
        }
    };
    if (!pending.empty() && feedback.canceled()) return canceled();
    const int threads = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(spec.jobs), pending.size()));
    if (threads <= 1) {
        worker();
    } else {
        std::vector<std::thread> team;
        for (int t = 0; t < threads; ++t) team.emplace_back(worker);
        for (std::thread& t : team) t.join();
    }
    if (failure) return *failure;
    if (feedback.canceled() && report.ran + report.reused < static_cast<int>(pairs.size())) return canceled();
    for (Pair& p : pairs)
        if (p.run) report.runs.push_back(std::move(*p.run));
    if (spec.persistenceFormulas > 0) {
        PersistenceSpec ps;
        ps.grammar = pairs.front().config.grammar;
        ps.formulas = spec.persistenceFormulas;
        auto persistence = measurePersistence(*session, ps, feedback);
        if (!persistence.ok()) {
            if (persistence.error().code == ErrorCode::Canceled) return canceled();
            // A session whose periods cannot be compared (too short for two of them) has no
            // persistence to report; the study stands without it.
            if (persistence.error().code != ErrorCode::InvalidArgument) return persistence.error();
        } else {
            report.persistence = std::move(persistence.value());
        }
    }
    feedback.setProgress(1.0);
    summarizeStudy(report);
    return report;
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

} // namespace alphascope

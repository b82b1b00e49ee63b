#include "core/search/recovery.h"

#include "core/metrics/correlation.h"
#include "core/search/study.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace alphascope {

Result<RecoveryReport> runRecovery(const RecoverySpec& spec, const std::function<SearchConfig(SearchAlgo)>& base,
                                   Feedback& feedback) {
    if (spec.algos.empty() || spec.seeds.empty())
        return makeError(ErrorCode::InvalidArgument, "a recovery benchmark needs algorithms and seeds");
    if (spec.evaluations < 1) return makeError(ErrorCode::InvalidArgument, "a recovery benchmark needs an evaluation budget");
    if (!(spec.threshold > 0.0 && spec.threshold <= 1.0))
        return makeError(ErrorCode::InvalidArgument, "the recovery threshold must be in (0, 1]");
    auto market = makePlantedMarket(spec.market);
    if (!market.ok()) return market.error();
    auto opened = openPlantedSession(spec.market);
    if (!opened.ok()) return opened.error();
    const std::shared_ptr<const ResearchSession> session = opened.value();

    RecoveryReport report;
    report.spec = spec;
    report.planted = market->formulas;
    report.realisedIc = market->realisedIc;
    if (report.spec.checkpoints.empty())
        for (int k = 1; k <= 10; ++k) report.spec.checkpoints.push_back(std::max(1LL, spec.evaluations * k / 10));
    const std::vector<long long>& checkpoints = report.spec.checkpoints;

    std::vector<PanelPtr> planted;
    for (const std::string& f : report.planted) {
        auto v = session->evaluator->evaluate(f);
        if (!v.ok()) return v.error();
        planted.push_back(v.value());
    }
    const Split& trainSplit = trainingSplit(*session);
    const DayRange train{trainSplit.begin, trainSplit.end};
    const std::size_t n = planted.size();
    const double pairs = double(spec.algos.size() * spec.seeds.size());
    int done = 0;

    for (SearchAlgo algo : spec.algos) {
        for (std::uint64_t seed : spec.seeds) {
            if (feedback.canceled()) return makeError(ErrorCode::Canceled, "recovery benchmark canceled");
            RecoveryRun run;
            run.algo = algo;
            run.seed = seed;
            run.firstFoundAt.assign(n, -1);
            std::vector<std::pair<long long, double>> timeline; // (evaluations, share found by the pool then)
            auto measure = [&](const std::vector<std::string>& formulas, long long evaluations) {
                std::vector<bool> found(n, false);
                for (const std::string& f : formulas) {
                    auto v = session->evaluator->evaluate(f);
                    if (!v.ok()) continue;
                    for (std::size_t p = 0; p < n; ++p)
                        if (!found[p] && std::fabs(mutualCorrelation(*planted[p], *v.value(), train)) >= spec.threshold)
                            found[p] = true;
                }
                int count = 0;
                for (std::size_t p = 0; p < n; ++p) {
                    if (!found[p]) continue;
                    ++count;
                    if (run.firstFoundAt[p] < 0) run.firstFoundAt[p] = evaluations;
                }
                timeline.emplace_back(evaluations, n ? double(count) / double(n) : 0.0);
            };

            SearchConfig config = benchmarkRunConfig(base, algo, seed, spec.evaluations, spec.preferCuda);
            config.snapshotInterval = 0.0; // a snapshot at every change of the pool
            SearchFeedback searchFeedback;
            const std::string label = std::string(searchAlgoName(algo)) + " seed " + std::to_string(seed);
            searchFeedback.onSnapshot = [&](const PoolSnapshot& s) {
                std::vector<std::string> formulas;
                for (const auto& m : s.members) formulas.push_back(m.formula);
                measure(formulas, s.evaluations);
            };
            searchFeedback.onSearchProgress = [&](const SearchProgress& p) {
                feedback.setProgress((done + p.fraction) / pairs, label);
                if (feedback.canceled()) searchFeedback.cancel();
            };
            auto result = runSearch(session, config, searchFeedback);
            if (!result.ok()) return result.error();
            if (result->canceled || feedback.canceled()) return makeError(ErrorCode::Canceled, "recovery benchmark canceled");
            std::vector<std::string> final;
            for (const auto& f : result->pool) final.push_back(f.formula);
            measure(final, result->evaluations);

            for (long long c : checkpoints) {
                double share = 0.0;
                for (const auto& [evaluations, s] : timeline)
                    if (evaluations <= c) share = s; // the pool as it stood at c
                run.found.push_back(share);
            }
            report.runs.push_back(std::move(run));
            ++done;
            feedback.setProgress(done / pairs, label);
        }
    }
    for (SearchAlgo algo : spec.algos) {
        std::vector<MeanInterval> curve;
        for (std::size_t k = 0; k < checkpoints.size(); ++k) {
            std::vector<double> v;
            for (const auto& r : report.runs)
                if (r.algo == algo) v.push_back(r.found[k]);
            curve.push_back(meanInterval(v));
        }
        report.curves.push_back(std::move(curve));
    }
    return report;
}

double recoveryArea(const RecoveryRun& run) {
    if (run.found.empty()) return kNaNd;
    double sum = 0.0;
    for (double v : run.found) sum += v;
    return sum / static_cast<double>(run.found.size());
}

std::vector<RecoveryDifference> recoveryDifferences(const RecoveryReport& report) {
    const auto values = [&](SearchAlgo algo, bool area) {
        std::vector<double> v;
        for (const RecoveryRun& run : report.runs)
            if (run.algo == algo && !run.found.empty()) v.push_back(area ? recoveryArea(run) : run.found.back());
        return v;
    };
    std::vector<RecoveryDifference> out;
    const std::vector<SearchAlgo>& algos = report.spec.algos;
    for (std::size_t i = 0; i < algos.size(); ++i)
        for (std::size_t j = i + 1; j < algos.size(); ++j) {
            RecoveryDifference d;
            d.first = algos[i];
            d.second = algos[j];
            d.atBudget = welchInterval(values(algos[i], false), values(algos[j], false));
            d.area = welchInterval(values(algos[i], true), values(algos[j], true));
            out.push_back(d);
        }
    return out;
}

std::string recoveryMarkdown(const RecoveryReport& r) {
    std::ostringstream o;
    o << "# Planted-formula recovery: " << r.spec.seeds.size() << " seeds, strength " << r.spec.market.strength
      << ", |corr| >= " << r.spec.threshold << " on train\n\nPlanted (realised IC):";
    char buf[128];
    for (std::size_t p = 0; p < r.planted.size(); ++p) {
        std::snprintf(buf, sizeof buf, " %.3f", p < r.realisedIc.size() ? r.realisedIc[p] : NAN);
        o << (p ? ";" : "") << " `" << r.planted[p] << "`" << buf;
    }
    o << "\n\nShare of the planted formulas in the pool, mean [95 % interval] over seeds:\n\n| evaluations |";
    for (SearchAlgo a : r.spec.algos) o << ' ' << searchAlgoName(a) << " |";
    o << "\n|---|";
    for (std::size_t k = 0; k < r.spec.algos.size(); ++k) o << "---|";
    o << '\n';
    for (std::size_t k = 0; k < r.spec.checkpoints.size(); ++k) {
        o << "| " << r.spec.checkpoints[k] << " |";
        for (const auto& curve : r.curves) {
            const MeanInterval& m = curve[k];
            if (std::isfinite(m.lo))
                std::snprintf(buf, sizeof buf, " %.2f [%.2f, %.2f] |", m.mean, std::max(0.0, m.lo), std::min(1.0, m.hi));
            else
                std::snprintf(buf, sizeof buf, " %.2f |", m.mean);
            o << buf;
        }
        o << '\n';
    }
    o << "\nSeeds whose pool ever held each planted formula (of " << r.spec.seeds.size()
      << "), with the earliest evaluation count:\n\n| planted |";
    for (SearchAlgo a : r.spec.algos) o << ' ' << searchAlgoName(a) << " |";
    o << "\n|---|";
    for (std::size_t k = 0; k < r.spec.algos.size(); ++k) o << "---|";
    o << '\n';
    for (std::size_t p = 0; p < r.planted.size(); ++p) {
        o << "| `" << r.planted[p] << "` |";
        for (SearchAlgo a : r.spec.algos) {
            int seeds = 0;
            long long earliest = -1;
            for (const auto& run : r.runs) {
                if (run.algo != a || p >= run.firstFoundAt.size() || run.firstFoundAt[p] < 0) continue;
                ++seeds;
                earliest = earliest < 0 ? run.firstFoundAt[p] : std::min(earliest, run.firstFoundAt[p]);
            }
            if (seeds > 0) std::snprintf(buf, sizeof buf, " %d (from %lld) |", seeds, earliest);
            else std::snprintf(buf, sizeof buf, " 0 |");
            o << buf;
        }
        o << '\n';
    }
    o << "\nArea under each curve (the mean share over the checkpoints), mean [95 % interval] over seeds:";
    for (std::size_t a = 0; a < r.spec.algos.size(); ++a) {
        std::vector<double> v;
        for (const auto& run : r.runs)
            if (run.algo == r.spec.algos[a]) v.push_back(recoveryArea(run));
        const MeanInterval m = meanInterval(v);
        std::snprintf(buf, sizeof buf, " %s %.3f", std::string(searchAlgoName(r.spec.algos[a])).c_str(), m.mean);
        o << (a ? ";" : "") << buf;
        if (std::isfinite(m.lo)) {
            std::snprintf(buf, sizeof buf, " [%.3f, %.3f]", m.lo, m.hi);
            o << buf;
        }
    }
    o << ".\n";
    const std::vector<RecoveryDifference> diffs = recoveryDifferences(r);
    if (!diffs.empty() && !r.spec.checkpoints.empty()) {
        o << "\nDifferences between the searches (first minus second; Welch 95 % interval over seeds and two-sided p: "
             "the seeds drive only each search's own draws on one market, so runs are not paired):\n\n"
             "| first - second | share at " << r.spec.checkpoints.back() << " evaluations | p | area under the curve | p |\n"
             "|---|---|---|---|---|\n";
        const auto cell = [&](const WelchInterval& w) {
            if (!std::isfinite(w.diff)) return std::string(" - | - |");
            std::snprintf(buf, sizeof buf, " %+.3f [%+.3f, %+.3f] | %.3f |", w.diff, w.lo, w.hi, w.p);
            return std::string(buf);
        };
        for (const RecoveryDifference& d : diffs)
            o << "| " << searchAlgoName(d.first) << " - " << searchAlgoName(d.second) << " |" << cell(d.atBudget)
              << cell(d.area) << '\n';
    }
    return o.str();
}

std::string recoveryCsv(const RecoveryReport& r) {
    std::ostringstream o;
    o << "algorithm,evaluations,mean,sd,lo95,hi95,seeds\n";
    char buf[160];
    for (std::size_t a = 0; a < r.curves.size(); ++a)
        for (std::size_t k = 0; k < r.spec.checkpoints.size(); ++k) {
            const MeanInterval& m = r.curves[a][k];
            std::snprintf(buf, sizeof buf, "%s,%lld,%.6g,%.6g,%.6g,%.6g,%d\n", std::string(searchAlgoName(r.spec.algos[a])).c_str(),
                          r.spec.checkpoints[k], m.mean, m.sd, m.lo, m.hi, m.n);
            o << buf;
        }
    return o.str();
}

} // namespace alphascope

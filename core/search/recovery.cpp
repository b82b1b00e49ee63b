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
    if (spec.evaluations < 1)
        return makeError(ErrorCode::InvalidArgument, "a recovery benchmark needs an evaluation budget");
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
            run.bestCorr.assign(n, 0.0);
            struct Reading {
                long long evaluations = 0;
                double share = 0.0, closeness = 0.0;
            };
            std::vector<Reading> timeline; // the pool as it stood after each change
            auto measure = [&](const std::vector<std::string>& formulas, long long evaluations) {
                std::vector<double> best(n, 0.0);
                for (const std::string& f : formulas) {
                    auto v = session->evaluator->evaluate(f);
                    if (!v.ok()) continue;
                    for (std::size_t p = 0; p < n; ++p) {
                        const double c = std::fabs(mutualCorrelation(*planted[p], *v.value(), train));
                        if (std::isfinite(c)) best[p] = std::max(best[p], c);
                    }
                }
                int count = 0;
                double closeness = 0.0;
                for (std::size_t p = 0; p < n; ++p) {
                    closeness += best[p];
                    run.bestCorr[p] = std::max(run.bestCorr[p], best[p]);
                    if (best[p] < spec.threshold) continue;
                    ++count;
                    if (run.firstFoundAt[p] < 0) run.firstFoundAt[p] = evaluations;
                }
                timeline.push_back({evaluations, n ? double(count) / double(n) : 0.0, n ? closeness / double(n) : 0.0});
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
            if (result->canceled || feedback.canceled())
                return makeError(ErrorCode::Canceled, "recovery benchmark canceled");
            std::vector<std::string> final;
            for (const auto& f : result->pool) final.push_back(f.formula);
            measure(final, result->evaluations);

            for (long long c : checkpoints) {
                Reading at; // the pool as it stood at c (empty before the first change)
                for (const Reading& r : timeline)
                    if (r.evaluations <= c) at = r;
                run.found.push_back(at.share);
                run.closeness.push_back(at.closeness);
            }
            report.runs.push_back(std::move(run));
            ++done;
            feedback.setProgress(done / pairs, label);
        }
    }
    const auto curve = [&](SearchAlgo algo, std::vector<double> RecoveryRun::*series) {
        std::vector<MeanInterval> out;
        for (std::size_t k = 0; k < checkpoints.size(); ++k) {
            std::vector<double> v;
            for (const auto& r : report.runs)
                if (r.algo == algo) v.push_back((r.*series)[k]);
            out.push_back(meanInterval(v));
        }
        return out;
    };
    for (SearchAlgo algo : spec.algos) {
        report.curves.push_back(curve(algo, &RecoveryRun::found));
        report.closenessCurves.push_back(curve(algo, &RecoveryRun::closeness));
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
    enum class What { AtBudget, Area, Closeness };
    const auto values = [&](SearchAlgo algo, What what) {
        std::vector<double> v;
        for (const RecoveryRun& run : report.runs) {
            if (run.algo != algo || run.found.empty()) continue;
            if (what == What::AtBudget)
                v.push_back(run.found.back());
            else if (what == What::Area)
                v.push_back(recoveryArea(run));
            else if (!run.closeness.empty())
                v.push_back(run.closeness.back());
        }
        return v;
    };
    std::vector<RecoveryDifference> out;
    const std::vector<SearchAlgo>& algos = report.spec.algos;
    for (std::size_t i = 0; i < algos.size(); ++i)
        for (std::size_t j = i + 1; j < algos.size(); ++j) {
            RecoveryDifference d;
            d.first = algos[i];
            d.second = algos[j];
            d.atBudget = welchInterval(values(algos[i], What::AtBudget), values(algos[j], What::AtBudget));
            d.area = welchInterval(values(algos[i], What::Area), values(algos[j], What::Area));
            d.closeness = welchInterval(values(algos[i], What::Closeness), values(algos[j], What::Closeness));
            out.push_back(d);
        }
    return out;
}

const std::vector<std::string>& recoveryDefaultFormulas() {
    static const std::vector<std::string> formulas{
        "Log($volume)",
        "Div(Sub($close, $open), Sub($high, $low))",
        "CSRank(Mean(Div($high, $low), 10))",
        "Corr(Div($close, $open), SLog1p(Div($volume, Mean($volume, 20))), 10)",
    };
    return formulas;
}

std::vector<std::vector<RecoveryFind>> recoveryFinds(const RecoveryReport& r) {
    std::vector<std::vector<RecoveryFind>> out(r.spec.algos.size(), std::vector<RecoveryFind>(r.planted.size()));
    for (std::size_t k = 0; k < r.spec.algos.size(); ++k)
        for (std::size_t p = 0; p < r.planted.size(); ++p) {
            RecoveryFind& f = out[k][p];
            std::vector<double> best;
            for (const auto& run : r.runs) {
                if (run.algo != r.spec.algos[k]) continue;
                if (p < run.bestCorr.size()) best.push_back(run.bestCorr[p]);
                if (p >= run.firstFoundAt.size() || run.firstFoundAt[p] < 0) continue;
                ++f.seeds;
                f.earliest = f.earliest < 0 ? run.firstFoundAt[p] : std::min(f.earliest, run.firstFoundAt[p]);
            }
            if (best.empty()) continue;
            double sum = 0.0;
            for (double x : best) sum += x;
            const auto [lo, hi] = std::minmax_element(best.begin(), best.end());
            f.bestMean = sum / double(best.size());
            f.bestLo = *lo;
            f.bestHi = *hi;
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
    const auto header = [&](const char* first) {
        o << "| " << first << " |";
        for (SearchAlgo a : r.spec.algos) o << ' ' << searchAlgoName(a) << " |";
        o << "\n|---|";
        for (std::size_t k = 0; k < r.spec.algos.size(); ++k) o << "---|";
        o << '\n';
    };
    const auto curveTable = [&](const std::vector<std::vector<MeanInterval>>& curves) {
        header("evaluations");
        for (std::size_t k = 0; k < r.spec.checkpoints.size(); ++k) {
            o << "| " << r.spec.checkpoints[k] << " |";
            for (const auto& curve : curves) {
                const MeanInterval& m = curve[k];
                if (std::isfinite(m.lo))
                    std::snprintf(buf, sizeof buf, " %.2f [%.2f, %.2f] |", m.mean, std::max(0.0, m.lo),
                                  std::min(1.0, m.hi));
                else
                    std::snprintf(buf, sizeof buf, " %.2f |", m.mean);
                o << buf;
            }
            o << '\n';
        }
    };
    o << "\n\nShare of the planted formulas in the pool, mean [95 % interval] over seeds:\n\n";
    curveTable(r.curves);
    if (r.closenessCurves.size() == r.curves.size() && !r.closenessCurves.empty()) {
        o << "\nCloseness: the largest |corr| of a pool member with each planted formula, averaged over the planted "
             "formulas (continuous where the share jumps at the threshold), mean [95 % interval] over seeds:\n\n";
        curveTable(r.closenessCurves);
    }
    const auto finds = recoveryFinds(r);
    o << "\nSeeds whose pool ever held each planted formula (of " << r.spec.seeds.size()
      << "), with the earliest evaluation count:\n\n";
    header("planted");
    for (std::size_t p = 0; p < r.planted.size(); ++p) {
        o << "| `" << r.planted[p] << "` |";
        for (std::size_t k = 0; k < r.spec.algos.size(); ++k) {
            const RecoveryFind& f = finds[k][p];
            if (f.seeds > 0)
                std::snprintf(buf, sizeof buf, " %d (from %lld) |", f.seeds, f.earliest);
            else
                std::snprintf(buf, sizeof buf, " 0 |");
            o << buf;
        }
        o << '\n';
    }
    bool anyBest = false;
    for (const auto& run : r.runs) anyBest = anyBest || run.bestCorr.size() == r.planted.size();
    if (anyBest) {
        o << "\nThe largest |corr| any pool of a run reached with each planted formula, mean [lowest, highest] over "
             "seeds (how close a search came to a formula it did not find):\n\n";
        header("planted");
        for (std::size_t p = 0; p < r.planted.size(); ++p) {
            o << "| `" << r.planted[p] << "` |";
            for (std::size_t k = 0; k < r.spec.algos.size(); ++k) {
                const RecoveryFind& f = finds[k][p];
                if (!std::isfinite(f.bestMean)) {
                    o << " - |";
                    continue;
                }
                std::snprintf(buf, sizeof buf, " %.2f [%.2f, %.2f] |", f.bestMean, f.bestLo, f.bestHi);
                o << buf;
            }
            o << '\n';
        }
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
             "| first - second | share at "
          << r.spec.checkpoints.back()
          << " evaluations | p | area under the curve | p | "
             "closeness at "
          << r.spec.checkpoints.back()
          << " | p |\n"
             "|---|---|---|---|---|---|---|\n";
        const auto cell = [&](const WelchInterval& w) {
            if (!std::isfinite(w.diff)) return std::string(" - | - |");
            std::snprintf(buf, sizeof buf, " %+.3f [%+.3f, %+.3f] | %.3f |", w.diff, w.lo, w.hi, w.p);
            return std::string(buf);
        };
        for (const RecoveryDifference& d : diffs)
            o << "| " << searchAlgoName(d.first) << " - " << searchAlgoName(d.second) << " |" << cell(d.atBudget)
              << cell(d.area) << cell(d.closeness) << '\n';
    }
    return o.str();
}

std::string recoveryCsv(const RecoveryReport& r) {
    std::ostringstream o;
    o << "algorithm,evaluations,mean,sd,lo95,hi95,seeds,closeness,closeness_lo95,closeness_hi95\n";
    char buf[224];
    for (std::size_t a = 0; a < r.curves.size(); ++a)
        for (std::size_t k = 0; k < r.spec.checkpoints.size(); ++k) {
            const MeanInterval& m = r.curves[a][k];
            const MeanInterval c = a < r.closenessCurves.size() ? r.closenessCurves[a][k] : MeanInterval{};
            std::snprintf(buf, sizeof buf, "%s,%lld,%.6g,%.6g,%.6g,%.6g,%d,%.6g,%.6g,%.6g\n",
                          std::string(searchAlgoName(r.spec.algos[a])).c_str(), r.spec.checkpoints[k], m.mean, m.sd,
                          m.lo, m.hi, m.n, c.mean, c.lo, c.hi);
            o << buf;
        }
    return o.str();
}

} // namespace alphascope

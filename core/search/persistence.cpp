#include "core/search/persistence.h"

#include "core/pool/factor_scorer.h"
#include "core/search/random_search.h"
#include "core/search/token_env.h"
#include "core/util/random.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <random>
#include <sstream>
#include <unordered_set>

namespace alphascope {

namespace {

/// Days where the target has at least two finite values (a cross-sectional IC can exist).
std::vector<std::uint8_t> labelledDays(const Panel& target) {
    std::vector<std::uint8_t> out(static_cast<std::size_t>(target.days()), 0);
    for (int t = 0; t < target.days(); ++t) {
        int finite = 0;
        for (int i = 0; i < target.instruments() && finite < 2; ++i) finite += std::isfinite(target.at(t, i)) ? 1 : 0;
        out[static_cast<std::size_t>(t)] = finite >= 2;
    }
    return out;
}

/// Mean of the finite daily values in [begin, end); NaN unless, as a search's scorer demands of a
/// usable factor (FactorScorer::kMinCoverage), they cover at least half of the period's labelled
/// days and the factor is finite on at least half of its labelled cells (`cells[t]`: the factor's
/// finite cells among the day's finite targets, `targetCells[t]`: those targets). A factor defined
/// on two stocks a day would otherwise have a Rank IC of +-1 every day.
double periodMean(const std::vector<double>& daily, const std::vector<std::uint8_t>& labelled,
                  const std::vector<int>& cells, const std::vector<int>& targetCells, const PersistencePeriod& p) {
    double sum = 0.0;
    int n = 0, days = 0;
    long long covered = 0, labelledCells = 0;
    for (int t = p.begin; t < p.end; ++t) {
        const std::size_t k = static_cast<std::size_t>(t);
        days += labelled[k];
        covered += cells[k];
        labelledCells += targetCells[k];
        if (std::isfinite(daily[k])) {
            sum += daily[k];
            ++n;
        }
    }
    const double minShare = FactorScorer::kMinCoverage;
    return n > 0 && n >= minShare * days && double(covered) >= minShare * double(labelledCells) ? sum / n : kNaNd;
}

/// Per day, the finite cells of `values` where the target is finite too.
std::vector<int> coveredCells(const Panel& values, const Panel& target) {
    std::vector<int> out(static_cast<std::size_t>(target.days()), 0);
    for (int t = 0; t < target.days(); ++t) {
        int n = 0;
        for (int i = 0; i < target.instruments(); ++i)
            n += std::isfinite(target.at(t, i)) && std::isfinite(values.at(t, i));
        out[static_cast<std::size_t>(t)] = n;
    }
    return out;
}

double percentile(std::vector<double> v, double q) {
    v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return !std::isfinite(x); }), v.end());
    if (v.empty()) return kNaNd;
    std::sort(v.begin(), v.end());
    const double pos = q * double(v.size() - 1);
    const std::size_t lo = static_cast<std::size_t>(std::floor(pos));
    const std::size_t hi = std::min(v.size() - 1, lo + 1);
    return v[lo] + (pos - double(lo)) * (v[hi] - v[lo]);
}

/// Selection statistics over the formulas `rows` (indices into x, y): top-K mean of s * y by |x|,
/// share of the top K with s * y > 0, mean of s * y over all.
struct TopStats {
    double topMean = kNaNd, sameSign = kNaNd, allMean = kNaNd;
};
TopStats topStats(const std::vector<double>& x, const std::vector<double>& y, std::vector<int> rows, int k) {
    TopStats s;
    if (rows.empty()) return s;
    // Ties broken by the formula's index, so that the order is the same on every platform.
    std::sort(rows.begin(), rows.end(), [&](int a, int b) {
        const double fa = std::fabs(x[static_cast<std::size_t>(a)]), fb = std::fabs(x[static_cast<std::size_t>(b)]);
        return fa != fb ? fa > fb : a < b;
    });
    const auto signedY = [&](int r) {
        return (x[static_cast<std::size_t>(r)] >= 0.0 ? 1.0 : -1.0) * y[static_cast<std::size_t>(r)];
    };
    double all = 0.0;
    for (int r : rows) all += signedY(r);
    s.allMean = all / double(rows.size());
    const std::size_t top = std::min<std::size_t>(rows.size(), static_cast<std::size_t>(std::max(1, k)));
    double sum = 0.0;
    int same = 0;
    for (std::size_t j = 0; j < top; ++j) {
        const double v = signedY(rows[j]);
        sum += v;
        same += v > 0.0 ? 1 : 0;
    }
    s.topMean = sum / double(top);
    s.sameSign = double(same) / double(top);
    return s;
}

} // namespace

bool PersistenceReport::isTraining(int period) const {
    if (trainPeriod < 0 || period < 0 || period >= static_cast<int>(periods.size())) return false;
    const PersistencePeriod& p = periods[static_cast<std::size_t>(period)];
    const PersistencePeriod& train = periods[static_cast<std::size_t>(trainPeriod)];
    return p.begin == train.begin && p.end == train.end;
}

const PeriodCorrelation* PersistenceReport::correlation(int a, int b) const {
    if (a > b) std::swap(a, b);
    for (const PeriodCorrelation& c : correlations)
        if (c.a == a && c.b == b) return &c;
    return nullptr;
}

double pairwiseRankCorrelation(const std::vector<double>& x, const std::vector<double>& y, int* pairs) {
    const std::size_t n = std::min(x.size(), y.size());
    std::vector<double> a, b;
    for (std::size_t k = 0; k < n; ++k)
        if (std::isfinite(x[k]) && std::isfinite(y[k])) {
            a.push_back(x[k]);
            b.push_back(y[k]);
        }
    const int m = static_cast<int>(a.size());
    if (pairs) *pairs = m;
    if (m < 3) return kNaNd;
    // Average ranks, in place. Not core/util/ranking's averageRanks: that ranks float keys, and these
    // are means in double whose ties must not be made by rounding them to float.
    const auto rank = [m](std::vector<double>& v) {
        std::vector<int> order(static_cast<std::size_t>(m));
        std::iota(order.begin(), order.end(), 0);
        std::sort(order.begin(), order.end(),
                  [&](int i, int j) { return v[static_cast<std::size_t>(i)] < v[static_cast<std::size_t>(j)]; });
        std::vector<double> r(static_cast<std::size_t>(m));
        for (int s = 0; s < m;) {
            int e = s + 1;
            while (e < m && v[static_cast<std::size_t>(order[static_cast<std::size_t>(e)])] ==
                                v[static_cast<std::size_t>(order[static_cast<std::size_t>(s)])])
                ++e;
            const double mid = 0.5 * double(s + e - 1);
            for (int k = s; k < e; ++k) r[static_cast<std::size_t>(order[static_cast<std::size_t>(k)])] = mid;
            s = e;
        }
        v = std::move(r);
    };
    rank(a);
    rank(b);
    const double mean = 0.5 * double(m - 1); // of 0..m-1, ties or not
    double sab = 0.0, saa = 0.0, sbb = 0.0;
    for (int k = 0; k < m; ++k) {
        const double da = a[static_cast<std::size_t>(k)] - mean, db = b[static_cast<std::size_t>(k)] - mean;
        sab += da * db;
        saa += da * da;
        sbb += db * db;
    }
    return saa > 0.0 && sbb > 0.0 ? sab / std::sqrt(saa * sbb) : kNaNd;
}

std::vector<PersistencePeriod> persistencePeriods(const ResearchSession& session, int blocks, int minDays) {
    std::vector<PersistencePeriod> out;
    const std::vector<std::uint8_t> labelled = labelledDays(*session.targetValues);
    const int days = static_cast<int>(labelled.size());
    std::vector<int> marked;
    for (int t = 0; t < days; ++t)
        if (labelled[static_cast<std::size_t>(t)]) marked.push_back(t);
    const auto& calendar = session.data->calendar;
    if (blocks > 0) {
        const int n = static_cast<int>(marked.size());
        for (int b = 0; b < blocks; ++b) {
            const int lo = static_cast<int>((long long)n * b / blocks),
                      hi = static_cast<int>((long long)n * (b + 1) / blocks);
            if (hi - lo < std::max(1, minDays)) continue;
            const int first = marked[static_cast<std::size_t>(lo)], last = marked[static_cast<std::size_t>(hi - 1)];
            out.push_back({"block " + std::to_string(b + 1), first, last + 1, calendar[static_cast<std::size_t>(first)],
                           calendar[static_cast<std::size_t>(last)], false});
        }
    } else {
        std::size_t k = 0;
        while (k < marked.size()) {
            const int year = calendar[static_cast<std::size_t>(marked[k])].year();
            std::size_t e = k;
            while (e < marked.size() && calendar[static_cast<std::size_t>(marked[e])].year() == year) ++e;
            if (static_cast<int>(e - k) >= std::max(1, minDays))
                out.push_back({std::to_string(year), marked[k], marked[e - 1] + 1,
                               calendar[static_cast<std::size_t>(marked[k])],
                               calendar[static_cast<std::size_t>(marked[e - 1])], false});
            k = e;
        }
        // Candidate training windows: years s..e ending a horizon before valid, e the last year
        // with labelled days before that cut.
        if (const Split* valid = validationSplit(session)) {
            const int cut = valid->begin - std::max(0, session.horizon);
            std::vector<PersistencePeriod> windows;
            const std::size_t years = out.size();
            for (std::size_t y = 0; y < years; ++y) {
                if (out[y].begin >= cut) break;
                int last = -1; // the last labelled day before the cut
                for (int t = std::min(cut, days) - 1; t >= out[y].begin; --t)
                    if (labelled[static_cast<std::size_t>(t)]) {
                        last = t;
                        break;
                    }
                if (last < 0 || last - out[y].begin + 1 < std::max(1, minDays)) continue;
                const std::string lastYear = std::to_string(calendar[static_cast<std::size_t>(last)].year());
                const std::string name =
                    out[y].name == lastYear ? "train " + lastYear : "train " + out[y].name + "-" + lastYear;
                PersistencePeriod w{
                    name, out[y].begin, last + 1, out[y].first, calendar[static_cast<std::size_t>(last)], false};
                w.window = true;
                windows.push_back(std::move(w));
            }
            out.insert(out.end(), windows.begin(), windows.end());
        }
    }
    for (const Split& s : session.splits) out.push_back({s.name, s.begin, s.end, s.first, s.last, true});
    return out;
}

Result<PersistenceReport> measurePersistence(const ResearchSession& session, const PersistenceSpec& spec,
                                             Feedback& feedback) {
    if (spec.formulas < 3) return makeError(ErrorCode::InvalidArgument, "persistence needs at least 3 formulas");
    if (spec.topK < 1) return makeError(ErrorCode::InvalidArgument, "the selection's top K must be at least 1");
    if (spec.bootstrap < 0 || spec.blocks < 0 || spec.minDays < 1)
        return makeError(ErrorCode::InvalidArgument, "bootstrap and blocks must be >= 0, min days >= 1");
    PersistenceReport report;
    report.spec = spec;
    report.spec.grammar = spec.grammar.completed(*session.data);
    if (auto v = report.spec.grammar.validate(*session.data); !v.ok()) return v.error();
    report.periods = persistencePeriods(session, spec.blocks, spec.minDays);
    const int periods = static_cast<int>(report.periods.size());
    if (periods < 2)
        return makeError(ErrorCode::InvalidArgument,
                         "persistence needs at least two periods (years, blocks or splits)");
    const Split* valid = validationSplit(session);
    for (int p = 0; p < periods; ++p) {
        const PersistencePeriod& period = report.periods[static_cast<std::size_t>(p)];
        if (period.split && period.name == trainingSplit(session).name) report.trainPeriod = p;
        if (period.split && valid && period.name == valid->name) report.validPeriod = p;
    }

    // The formulas: distinct walks of the grammar, as random search draws them.
    const TokenVocabulary vocabulary(report.spec.grammar);
    TokenBuilder builder(vocabulary);
    std::mt19937_64 rng(spec.seed);
    std::unordered_set<std::uint64_t> seen;
    std::vector<ExprPtr> exprs;
    const long long maxDraws = 200LL * spec.formulas;
    for (long long draw = 0; static_cast<int>(exprs.size()) < spec.formulas && draw < maxDraws; ++draw) {
        ExprPtr e = sampleRandomFormula(builder, rng);
        if (!e)
            return makeError(ErrorCode::InvalidArgument,
                             "the grammar allows no formula: " + report.spec.grammar.describe());
        if (seen.insert(e->hash()).second) exprs.push_back(std::move(e));
    }
    report.drawn = static_cast<long long>(exprs.size());

    const std::vector<std::uint8_t> labelled = labelledDays(*session.targetValues);
    const std::vector<int> targetCells = coveredCells(*session.targetValues, *session.targetValues);
    const auto prepared = prepareTarget(session.targetValues);
    const DayRange all{0, session.targetValues->days()};
    std::vector<std::vector<double>> means(exprs.size());
    // Chunks evaluated in parallel; progress and cancel between them, on this thread.
    constexpr std::size_t kChunk = 32;
    for (std::size_t begin = 0; begin < exprs.size(); begin += kChunk) {
        if (feedback.canceled()) return makeError(ErrorCode::Canceled, "persistence canceled");
        feedback.waitWhilePaused();
        const std::size_t end = std::min(exprs.size(), begin + kChunk);
        tbb::parallel_for(begin, end, [&](std::size_t k) {
            auto values = session.evaluator->evaluate(exprs[k], &feedback.cancelFlag);
            if (!values.ok()) return;
            const std::vector<double> daily =
                spec.rankIc ? dailyRankIc(**values, *prepared, all) : dailyIc(**values, *prepared, all);
            const std::vector<int> cells = coveredCells(**values, *session.targetValues);
            std::vector<double> m(static_cast<std::size_t>(periods));
            for (int p = 0; p < periods; ++p)
                m[static_cast<std::size_t>(p)] =
                    periodMean(daily, labelled, cells, targetCells, report.periods[static_cast<std::size_t>(p)]);
            means[k] = std::move(m);
        });
        feedback.setProgress(double(end) / double(exprs.size()),
                             "persistence: formula " + std::to_string(end) + " of " + std::to_string(exprs.size()));
    }
    if (feedback.canceled()) return makeError(ErrorCode::Canceled, "persistence canceled");
    for (std::size_t k = 0; k < exprs.size(); ++k) {
        const auto& m = means[k];
        const long long finite = std::count_if(m.begin(), m.end(), [](double v) { return std::isfinite(v); });
        if (finite < 2) {
            ++report.failed;
            continue;
        }
        report.formulas.push_back(exprs[k]->toString());
        report.means.push_back(m);
    }

    // Columns, for the correlations and the bootstrap.
    const int n = static_cast<int>(report.means.size());
    std::vector<std::vector<double>> column(static_cast<std::size_t>(periods),
                                            std::vector<double>(static_cast<std::size_t>(n)));
    for (int f = 0; f < n; ++f)
        for (int p = 0; p < periods; ++p)
            column[static_cast<std::size_t>(p)][static_cast<std::size_t>(f)] =
                report.means[static_cast<std::size_t>(f)][static_cast<std::size_t>(p)];
    for (int a = 0; a < periods; ++a)
        for (int b = a + 1; b < periods; ++b) {
            PeriodCorrelation c{a, b};
            c.correlation = pairwiseRankCorrelation(column[static_cast<std::size_t>(a)],
                                                    column[static_cast<std::size_t>(b)], &c.formulas);
            report.correlations.push_back(c);
        }
    if (report.validPeriod >= 0) {
        double best = -2.0;
        for (int p = 0; p < periods; ++p) {
            if (!report.periods[static_cast<std::size_t>(p)].window) continue;
            const double c = report.correlation(p, report.validPeriod)->correlation;
            if (std::isfinite(c) && c > best) {
                best = c;
                report.suggestedWindow = p;
            }
        }
    }
    if (report.trainPeriod >= 0) {
        const PersistencePeriod& train = report.periods[static_cast<std::size_t>(report.trainPeriod)];
        for (int p = 0; p < periods; ++p) {
            const PersistencePeriod& s = report.periods[static_cast<std::size_t>(p)];
            if (!s.split || p == report.trainPeriod || s.begin < train.end) continue;
            PersistenceSelection sel;
            sel.period = p;
            std::vector<int> rows;
            for (int f = 0; f < n; ++f)
                if (std::isfinite(column[static_cast<std::size_t>(report.trainPeriod)][static_cast<std::size_t>(f)]) &&
                    std::isfinite(column[static_cast<std::size_t>(p)][static_cast<std::size_t>(f)]))
                    rows.push_back(f);
            sel.formulas = static_cast<int>(rows.size());
            const TopStats t = topStats(column[static_cast<std::size_t>(report.trainPeriod)],
                                        column[static_cast<std::size_t>(p)], rows, spec.topK);
            sel.topMean = t.topMean;
            sel.topSameSign = t.sameSign;
            sel.allMean = t.allMean;
            report.selection.push_back(sel);
        }
    }

    // Samplers in proportion to |train|^beta over the formulas with a finite train mean.
    if (report.trainPeriod >= 0 && !report.selection.empty()) {
        const auto& train = column[static_cast<std::size_t>(report.trainPeriod)];
        std::vector<std::vector<double>> later;
        for (const PersistenceSelection& sel : report.selection)
            later.push_back(column[static_cast<std::size_t>(sel.period)]);
        for (double beta : PersistenceReport::kSamplerExponents)
            report.samplers.push_back(persistenceSampler(beta, train, later));
        const auto valid =
            std::find_if(report.selection.begin(), report.selection.end(),
                         [&](const PersistenceSelection& sel) { return sel.period == report.validPeriod; });
        if (valid != report.selection.end()) {
            const std::size_t k = static_cast<std::size_t>(valid - report.selection.begin());
            double best = -std::numeric_limits<double>::infinity();
            for (std::size_t b = 0; b < report.samplers.size(); ++b)
                if (std::isfinite(report.samplers[b].splitMeans[k]) && report.samplers[b].splitMeans[k] > best) {
                    best = report.samplers[b].splitMeans[k];
                    report.suggestedSampler = static_cast<int>(b);
                }
        }
    }

    // Bootstrap over the formulas: each resample draws n formulas with replacement and recomputes
    // every correlation and every selection's top-K mean.
    if (spec.bootstrap > 0 && n >= 3) {
        std::vector<std::vector<double>> corrs(report.correlations.size()), tops(report.selection.size());
        std::mt19937_64 brng(spec.seed ^ 0x9E3779B97F4A7C15ULL);
        std::vector<std::vector<double>> resampled(static_cast<std::size_t>(periods),
                                                   std::vector<double>(static_cast<std::size_t>(n)));
        std::vector<int> pick(static_cast<std::size_t>(n)), rows;
        for (int r = 0; r < spec.bootstrap; ++r) {
            if (feedback.canceled()) return makeError(ErrorCode::Canceled, "persistence canceled");
            for (int f = 0; f < n; ++f)
                pick[static_cast<std::size_t>(f)] = static_cast<int>(uniformInt(brng, static_cast<std::uint64_t>(n)));
            for (int p = 0; p < periods; ++p)
                for (int f = 0; f < n; ++f)
                    resampled[static_cast<std::size_t>(p)][static_cast<std::size_t>(f)] =
                        column[static_cast<std::size_t>(p)]
                              [static_cast<std::size_t>(pick[static_cast<std::size_t>(f)])];
            for (std::size_t c = 0; c < report.correlations.size(); ++c)
                corrs[c].push_back(
                    pairwiseRankCorrelation(resampled[static_cast<std::size_t>(report.correlations[c].a)],
                                            resampled[static_cast<std::size_t>(report.correlations[c].b)]));
            for (std::size_t s = 0; s < report.selection.size(); ++s) {
                const auto& x = resampled[static_cast<std::size_t>(report.trainPeriod)];
                const auto& y = resampled[static_cast<std::size_t>(report.selection[s].period)];
                rows.clear();
                for (int f = 0; f < n; ++f)
                    if (std::isfinite(x[static_cast<std::size_t>(f)]) && std::isfinite(y[static_cast<std::size_t>(f)]))
                        rows.push_back(f);
                tops[s].push_back(topStats(x, y, rows, spec.topK).topMean);
            }
        }
        for (std::size_t c = 0; c < corrs.size(); ++c) {
            report.correlations[c].lo = percentile(corrs[c], 0.025);
            report.correlations[c].hi = percentile(corrs[c], 0.975);
        }
        for (std::size_t s = 0; s < tops.size(); ++s) {
            report.selection[s].topLo = percentile(tops[s], 0.025);
            report.selection[s].topHi = percentile(tops[s], 0.975);
        }
    }
    feedback.setProgress(1.0, "done");
    return report;
}

namespace {
std::string signedNum(double v, int digits = 3) {
    if (!std::isfinite(v)) return std::string("-");
    char buf[32];
    std::snprintf(buf, sizeof buf, "%+.*f", digits, v);
    return std::string(buf);
}
} // namespace

std::string persistenceSummary(const PersistenceReport& report) {
    const auto corr = [&](int a, int b) {
        const PeriodCorrelation* c = a >= 0 && b >= 0 ? report.correlation(a, b) : nullptr;
        return c ? signedNum(c->correlation, 2) + " [" + signedNum(c->lo, 2) + ", " + signedNum(c->hi, 2) + "]"
                 : std::string("-");
    };
    const auto name = [&](int p) { return report.periods[static_cast<std::size_t>(p)].name; };
    const char* what = report.spec.rankIc ? "Rank IC" : "IC";
    const int test = lastSelectionPeriod(report);
    std::ostringstream o;
    o << report.formulas.size() << " usable random formulas of the search grammar (" << report.drawn << " drawn, seed "
      << report.spec.seed << "), ranked by their mean daily " << what
      << " in each period; Spearman across formulas with a 95 % bootstrap interval:";
    std::vector<std::pair<int, int>> pairs;
    if (report.trainPeriod >= 0 && report.validPeriod >= 0) pairs.emplace_back(report.trainPeriod, report.validPeriod);
    if (report.trainPeriod >= 0 && test >= 0 && test != report.validPeriod)
        pairs.emplace_back(report.trainPeriod, test);
    if (report.validPeriod >= 0 && test >= 0 && test != report.validPeriod)
        pairs.emplace_back(report.validPeriod, test);
    for (std::size_t k = 0; k < pairs.size(); ++k)
        o << (k ? "," : "") << " " << name(pairs[k].first) << " ↔ " << name(pairs[k].second) << " "
          << corr(pairs[k].first, pairs[k].second);
    o << ". ";
    o << persistenceVerdictText(trainToTestVerdict(report));
    if (!report.selection.empty()) {
        const PersistenceSelection& s = report.selection.back();
        o << " The " << report.spec.topK << " formulas with the largest |train " << what << "|, signed by train, in "
          << name(s.period) << ": " << signedNum(s.topMean, 4) << " [" << signedNum(s.topLo, 4) << ", "
          << signedNum(s.topHi, 4) << "] (every formula " << signedNum(s.allMean, 4) << ").";
    }
    if (report.suggestedSampler >= 0 && !report.selection.empty()) {
        const PersistenceSampler& best = report.samplers[static_cast<std::size_t>(report.suggestedSampler)];
        const PersistenceSampler& walks = report.samplers.front();
        char beta[32];
        std::snprintf(beta, sizeof beta, "%g", best.beta);
        o << " Drawing these formulas in proportion to |train " << what << "|^beta (beta " << beta
          << ", the best in valid) gives " << signedNum(best.splitMeans.back(), 4) << " in "
          << name(report.selection.back().period) << " against " << signedNum(walks.splitMeans.back(), 4)
          << " for the random walks (beta 0).";
    }
    if (report.suggestedWindow >= 0) {
        const PersistencePeriod& w = report.periods[static_cast<std::size_t>(report.suggestedWindow)];
        o << " Of the training windows that end before valid, " << w.name << " ranks the formulas most like valid ("
          << corr(report.suggestedWindow, report.validPeriod) << ")";
        if (report.trainPeriod >= 0 && !report.isTraining(report.suggestedWindow))
            o << ": `--train " << w.first.toString() << ":" << w.last.toString() << "` trains on it";
        o << ".";
    }
    return o.str();
}

std::string persistenceMarkdown(const PersistenceReport& report) {
    const auto num = [](double v, int digits = 3) { return signedNum(v, digits); };
    const char* what = report.spec.rankIc ? "Rank IC" : "IC";
    std::ostringstream o;
    o << "# Persistence of factor performance\n\n"
      << report.formulas.size() << " usable random formulas of the search grammar (" << report.drawn << " drawn, seed "
      << report.spec.seed << ", " << report.failed << " without two finite period means). Each formula's mean daily "
      << what
      << " per period; the table gives the rank correlation (Spearman) across formulas of those means for each pair of "
         "periods, with a 95 % "
         "bootstrap interval over the formulas ("
      << report.spec.bootstrap << " resamples). Near 0 or below: ranking formulas by one period's " << what
      << " says nothing about the other's.\n\n"
      << persistenceSummary(report) << "\n\n";
    o << "| period | days | first | last |\n|---|---|---|---|\n";
    for (const auto& p : report.periods)
        o << "| " << p.name << " | " << (p.end - p.begin) << " | " << p.first.toString() << " | " << p.last.toString()
          << " |\n";
    o << "\n| | ";
    for (const auto& p : report.periods) o << p.name << " | ";
    o << "\n|---|";
    for (std::size_t k = 0; k < report.periods.size(); ++k) o << "---|";
    o << "\n";
    for (int a = 0; a < static_cast<int>(report.periods.size()); ++a) {
        o << "| " << report.periods[static_cast<std::size_t>(a)].name << " | ";
        for (int b = 0; b < static_cast<int>(report.periods.size()); ++b) {
            if (a == b) {
                o << "1 | ";
                continue;
            }
            const PeriodCorrelation* c = report.correlation(a, b);
            o << (c ? num(c->correlation, 2) + " [" + num(c->lo, 2) + ", " + num(c->hi, 2) + "]" : std::string("-"))
              << " | ";
        }
        o << "\n";
    }
    if (report.suggestedWindow >= 0) {
        const int v = report.validPeriod;
        const int test = report.selection.empty() ? -1 : report.selection.back().period;
        o << "\nCandidate training windows (calendar years up to a target horizon before valid): how each ranks the "
             "formulas "
             "against valid, which may choose among them, and against the last split, for information only:\n\n"
          << "| window | with " << report.periods[static_cast<std::size_t>(v)].name << " |";
        const bool withTest = test >= 0 && test != v;
        if (withTest) o << " with " << report.periods[static_cast<std::size_t>(test)].name << " |";
        o << "\n|---|---|" << (withTest ? "---|" : "") << "\n";
        const auto cell = [&](int a, int b) {
            const PeriodCorrelation* c = report.correlation(a, b);
            return c ? num(c->correlation, 2) + " [" + num(c->lo, 2) + ", " + num(c->hi, 2) + "]" : std::string("-");
        };
        std::vector<int> rows;
        for (int p = 0; p < static_cast<int>(report.periods.size()); ++p)
            if (report.periods[static_cast<std::size_t>(p)].window || p == report.trainPeriod) rows.push_back(p);
        for (int p : rows) {
            o << "| " << report.periods[static_cast<std::size_t>(p)].name
              << (p == report.suggestedWindow ? " (most like valid)" : "") << " | " << cell(p, v) << " |";
            if (withTest) o << " " << cell(p, test) << " |";
            o << "\n";
        }
        const PersistencePeriod& w = report.periods[static_cast<std::size_t>(report.suggestedWindow)];
        o << "\nTo train on " << w.name << " (valid and test as they are): `--train " << w.first.toString() << ":"
          << w.last.toString() << "`, or \"Train on\" in the workbench's Persistence tab.\n";
    }
    if (!report.selection.empty()) {
        o << "\nSelection by train " << what << ": the " << report.spec.topK << " formulas with the largest |train "
          << what << "|, each signed by its train " << what << ", and their " << what
          << " in each later split (mean, 95 % bootstrap "
          << "interval, share of the " << report.spec.topK
          << " with the train sign), against the same over every formula:\n\n"
          << "| split | formulas | top " << report.spec.topK
          << ": signed mean | interval | same sign | every formula: signed mean |\n"
          << "|---|---|---|---|---|---|\n";
        for (const auto& s : report.selection)
            o << "| " << report.periods[static_cast<std::size_t>(s.period)].name << " | " << s.formulas << " | "
              << num(s.topMean, 4) << " | [" << num(s.topLo, 4) << ", " << num(s.topHi, 4) << "] | "
              << num(s.topSameSign, 2).substr(1) << " | " << num(s.allMean, 4) << " |\n";
    }
    if (!report.samplers.empty()) {
        o << "\nSamplers in proportion to |train " << what
          << "|^beta over these formulas, each signed by train (what a GFlowNet "
          << "with reward |IC| and reward exponent beta samples once trained, on the random walks' base measure; beta "
             "0 is the "
             "random walks): expected |train "
          << what << "|, how many formulas it effectively draws from, and expected signed " << what
          << " in each later split. The beta with the best valid figure is marked (chosen on valid only).\n\n"
          << "| beta | expected abs train | effective formulas |";
        for (const auto& s : report.selection)
            o << " " << report.periods[static_cast<std::size_t>(s.period)].name << " |";
        o << "\n|---|---|---|";
        for (std::size_t k = 0; k < report.selection.size(); ++k) o << "---|";
        o << "\n";
        for (std::size_t b = 0; b < report.samplers.size(); ++b) {
            const PersistenceSampler& sm = report.samplers[b];
            char beta[32];
            std::snprintf(beta, sizeof beta, "%g", sm.beta);
            o << "| " << beta << (static_cast<int>(b) == report.suggestedSampler ? " (best in valid)" : "") << " | "
              << num(sm.trainAbs, 4).substr(1) << " | "
              << (std::isfinite(sm.effectiveFormulas) ? std::to_string(std::lround(sm.effectiveFormulas))
                                                      : std::string("-"))
              << " |";
            for (double m : sm.splitMeans) o << " " << num(m, 4) << " |";
            o << "\n";
        }
    }
    return o.str();
}

PersistenceSampler persistenceSampler(double beta, const std::vector<double>& train,
                                      const std::vector<std::vector<double>>& splits) {
    PersistenceSampler sampler;
    sampler.beta = beta;
    double w = 0, ww = 0, wx = 0;
    for (double x : train) {
        if (!std::isfinite(x)) continue;
        const double weight = std::pow(std::fabs(x), beta);
        w += weight;
        ww += weight * weight;
        wx += weight * std::fabs(x);
    }
    if (w > 0) {
        sampler.trainAbs = wx / w;
        sampler.effectiveFormulas = w * w / ww;
    }
    for (const std::vector<double>& y : splits) {
        double sw = 0, swy = 0;
        for (std::size_t f = 0; f < train.size() && f < y.size(); ++f) {
            const double x = train[f], v = y[f];
            if (!std::isfinite(x) || !std::isfinite(v)) continue;
            const double weight = std::pow(std::fabs(x), beta);
            sw += weight;
            swy += weight * (x >= 0.0 ? v : -v); // the sign convention of the selection check
        }
        sampler.splitMeans.push_back(sw > 0 ? swy / sw : kNaNd);
    }
    return sampler;
}

PersistenceVerdict persistenceVerdict(const PeriodCorrelation* c) {
    if (!c || !std::isfinite(c->correlation)) return PersistenceVerdict::Unknown;
    if (c->hi < 0) return PersistenceVerdict::Against;
    if (c->lo > 0) return c->correlation >= 0.3 ? PersistenceVerdict::CarriesOver : PersistenceVerdict::Weak;
    return PersistenceVerdict::NoCarryOver;
}

const char* persistenceVerdictText(PersistenceVerdict v) {
    switch (v) {
    case PersistenceVerdict::Against:
        return "The test period ranks the formulas against the training period: a search that maximises train IC "
               "should not be "
               "expected to gain out of sample on this split.";
    case PersistenceVerdict::NoCarryOver:
        return "No measurable carry-over: differences between searches out of sample will be mostly noise on this "
               "split.";
    case PersistenceVerdict::Weak:
        return "The ranking carries over only weakly: expect small out-of-sample differences between searches on this "
               "split.";
    case PersistenceVerdict::CarriesOver:
        return "The ranking carries over: searching harder on train can pay off out of sample on this split.";
    case PersistenceVerdict::Unknown: break;
    }
    return "No training and later split to compare.";
}

const char* persistenceVerdictName(PersistenceVerdict v) {
    static constexpr const char* kNames[] = {"unknown", "against", "no_carry_over", "weak", "carries_over"};
    return kNames[static_cast<int>(v)];
}

PersistenceVerdict trainToTestVerdict(const PersistenceReport& report) {
    const int last = lastSelectionPeriod(report);
    return persistenceVerdict(report.trainPeriod >= 0 && last >= 0 ? report.correlation(report.trainPeriod, last)
                                                                   : nullptr);
}

int lastSelectionPeriod(const PersistenceReport& report) {
    return report.selection.empty() ? -1 : report.selection.back().period;
}

std::string persistenceCsv(const PersistenceReport& report) {
    std::ostringstream o;
    o << "formula";
    for (const auto& p : report.periods) o << "," << p.name;
    o << "\n";
    char buf[32];
    for (std::size_t f = 0; f < report.formulas.size(); ++f) {
        std::string quoted = "\"";
        for (char c : report.formulas[f]) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
        o << quoted << "\"";
        for (double v : report.means[f]) {
            o << ",";
            if (std::isfinite(v)) {
                std::snprintf(buf, sizeof buf, "%.9g", v);
                o << buf;
            }
        }
        o << "\n";
    }
    return o.str();
}

} // namespace alphascope

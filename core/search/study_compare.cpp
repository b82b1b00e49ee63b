// A variant study against a baseline study (study_compare.h).

#include "core/search/study_compare.h"
#include "core/search/study_text.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace alphascope {

namespace {

using json = nlohmann::json;
using study_text::intervalJson;
using study_text::nwJson;
using study_text::tp;

struct Figure {
    const char* name;
    double StudyRun::*field;
};

const std::vector<Figure>& figures() {
    static const std::vector<Figure> list{{"valid IC", &StudyRun::validIc},
                                          {"valid Rank IC", &StudyRun::validRankIc},
                                          {"test IC", &StudyRun::testIc},
                                          {"test Rank IC", &StudyRun::testRankIc},
                                          {"test ICIR", &StudyRun::testIcir},
                                          {"adaptive test Rank IC", &StudyRun::adaptiveTestRankIc},
                                          {"selected on valid: test Rank IC", &StudyRun::selectedTestRankIc},
                                          {"best member's test IC (chosen on valid)", &StudyRun::bestFactorTestIc},
                                          {"mean abs mutual corr", &StudyRun::meanAbsMutual}};
    return list;
}

using RunPair = std::pair<const StudyRun*, const StudyRun*>; // variant, baseline

StudyFigureComparison compareFigure(const Figure& f, const std::vector<RunPair>& pairs) {
    StudyFigureComparison c;
    c.figure = f.name;
    std::vector<double> variant, baseline, difference;
    for (const auto& [v, b] : pairs) {
        const double x = v->*f.field, y = b->*f.field;
        if (!std::isfinite(x) || !std::isfinite(y)) continue;
        variant.push_back(x);
        baseline.push_back(y);
        difference.push_back(x - y);
        if (x > y) ++c.higher;
    }
    c.variant = meanInterval(variant);
    c.baseline = meanInterval(baseline);
    c.difference = meanInterval(difference);
    return c;
}

/// Newey-West on the day-by-day mean over `pairs` of each pair's daily test Rank IC difference
/// (the combined pools'), which for one search is the difference of the seed-averaged series.
NeweyWestTest dailyTest(const std::vector<RunPair>& pairs) {
    std::vector<DailyPair> daily;
    for (const auto& [v, b] : pairs) daily.emplace_back(&v->dailyTestRankIc, &b->dailyTestRankIc);
    return meanDailyDifferenceTest(daily);
}

std::string number(double v, bool sign = false) {
    if (!std::isfinite(v)) return "–";
    char buf[32];
    std::snprintf(buf, sizeof buf, sign ? "%+.4f" : "%.4f", v);
    return buf;
}

std::string difference(const StudyFigureComparison& f) {
    const MeanInterval& d = f.difference;
    if (d.n == 0) return "–";
    std::string s = number(d.mean, true);
    if (std::isfinite(d.lo)) s += " [" + number(d.lo, true) + ", " + number(d.hi, true) + "]";
    return s + " (" + std::to_string(f.higher) + " / " + std::to_string(d.n) + ")";
}

std::string levels(const StudyFigureComparison& f) {
    return number(f.variant.mean) + " / " + number(f.baseline.mean);
}

json figuresJson(const std::vector<StudyFigureComparison>& list) {
    json out = json::array();
    for (const auto& f : list)
        out.push_back({{"figure", f.figure},
                       {"variant", intervalJson(f.variant)},
                       {"baseline", intervalJson(f.baseline)},
                       {"difference", intervalJson(f.difference)},
                       {"variant_higher", f.higher}});
    return out;
}

} // namespace

const std::vector<std::string>& studyComparedFigures() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const Figure& f : figures()) out.emplace_back(f.name);
        return out;
    }();
    return names;
}

const StudyFigureComparison& studyFigure(const std::vector<StudyFigureComparison>& list, std::string_view figure) {
    for (const auto& f : list)
        if (f.figure == figure) return f;
    static const StudyFigureComparison none;
    return none;
}

StudyComparison compareStudies(const StudyReport& variant, const StudyReport& baseline) {
    StudyComparison c;
    c.variantDir = variant.spec.outDir;
    c.baselineDir = baseline.spec.outDir;
    auto find = [](const StudyReport& r, SearchAlgo algo, std::uint64_t seed) -> const StudyRun* {
        for (const StudyRun& run : r.runs)
            if (run.algo == algo && run.seed == seed) return &run;
        return nullptr;
    };
    std::vector<RunPair> all;
    int paired = 0;
    for (const StudyRun& run : variant.runs) {
        if (std::find_if(c.algos.begin(), c.algos.end(),
                         [&](const StudyAlgoComparison& a) { return a.algo == run.algo; }) != c.algos.end())
            continue;
        StudyAlgoComparison a;
        a.algo = run.algo;
        std::vector<RunPair> pairs;
        for (const StudyRun& v : variant.runs)
            if (v.algo == run.algo)
                if (const StudyRun* b = find(baseline, v.algo, v.seed)) {
                    pairs.emplace_back(&v, b);
                    a.seeds.push_back(v.seed);
                }
        if (pairs.empty()) continue;
        for (const Figure& f : figures()) a.figures.push_back(compareFigure(f, pairs));
        a.dailyTestRankIc = dailyTest(pairs);
        paired += static_cast<int>(pairs.size());
        all.insert(all.end(), pairs.begin(), pairs.end());
        c.algos.push_back(std::move(a));
    }
    for (const Figure& f : figures()) c.overall.push_back(compareFigure(f, all));
    c.overallDaily = dailyTest(all);
    c.unpaired = static_cast<int>(variant.runs.size() + baseline.runs.size()) - 2 * paired;
    return c;
}

std::string studyComparisonMarkdown(const StudyComparison& c) {
    std::ostringstream o;
    o << "# Variant against baseline\n\nVariant: `" << c.variantDir << "`; baseline: `" << c.baselineDir
      << "`. Each search's runs paired seed by seed (the seeds both studies ran): variant / baseline means, and the "
         "variant minus the baseline run by run, mean [95 % Student-t interval] (runs where the variant is higher / "
         "runs); Newey-West on the day-by-day difference of the combined pools' daily test Rank IC averaged over the "
         "paired seeds.";
    if (c.unpaired > 0) o << " " << c.unpaired << " run(s) of one study have no partner in the other and are left out.";
    o << "\n\n| search | seeds | valid Rank IC | difference | test Rank IC | difference | daily test Rank IC: NW t, p "
         "|\n"
         "|---|---|---|---|---|---|---|\n";
    auto row = [&](const std::string& name, std::size_t seeds, const std::vector<StudyFigureComparison>& list,
                   const NeweyWestTest& daily) {
        const auto& valid = studyFigure(list, "valid Rank IC");
        const auto& test = studyFigure(list, "test Rank IC");
        o << "| " << name << " | " << seeds << " | " << levels(valid) << " | " << difference(valid) << " | "
          << levels(test) << " | " << difference(test) << " | " << tp(daily) << " |\n";
    };
    std::size_t runs = 0;
    for (const auto& a : c.algos) {
        row(std::string(searchAlgoName(a.algo)), a.seeds.size(), a.figures, a.dailyTestRankIc);
        runs += a.seeds.size();
    }
    if (c.algos.size() > 1) row("all runs", runs, c.overall, c.overallDaily);
    o << "\nThe other figures, variant / baseline and the difference run by run:\n\n| search | figure | variant / "
         "baseline | "
         "difference |\n|---|---|---|---|\n";
    auto others = [&](const std::string& name, const std::vector<StudyFigureComparison>& list) {
        for (const auto& f : list) {
            if (f.figure == "valid Rank IC" || f.figure == "test Rank IC") continue;
            o << "| " << name << " | " << f.figure << " | " << levels(f) << " | " << difference(f) << " |\n";
        }
    };
    for (const auto& a : c.algos) others(std::string(searchAlgoName(a.algo)), a.figures);
    if (c.algos.size() > 1) others("all runs", c.overall);
    return o.str();
}

std::string studyComparisonJson(const StudyComparison& c) {
    json j;
    j["format"] = "alphascope-study-comparison";
    j["variant"] = c.variantDir;
    j["baseline"] = c.baselineDir;
    j["unpaired"] = c.unpaired;
    json algos = json::array();
    for (const auto& a : c.algos)
        algos.push_back({{"algorithm", std::string(searchAlgoName(a.algo))},
                         {"seeds", a.seeds},
                         {"figures", figuresJson(a.figures)},
                         {"daily_test_rank_ic", nwJson(a.dailyTestRankIc)}});
    j["algorithms"] = std::move(algos);
    j["all_runs"] = {{"figures", figuresJson(c.overall)}, {"daily_test_rank_ic", nwJson(c.overallDaily)}};
    return j.dump(2) + "\n";
}

} // namespace alphascope

#pragma once
// A variant study against a baseline study on the same data: for each search both ran, every
// figure of the runs compared seed by seed on the seeds both have (variant minus baseline, with a
// 95 % Student-t interval and the seeds where the variant is higher), and a Newey-West test on the
// day-by-day difference of the two combined pools' seed-averaged daily test Rank IC. It answers
// "did my setting help, beyond seed noise?" for a study run with --config against one without.

#include "core/metrics/inference.h"
#include "core/search/study.h"

#include <string>
#include <string_view>
#include <vector>

namespace alphascope {

/// One figure of the runs (StudyRun's field), paired seed by seed.
struct StudyFigureComparison {
    std::string figure;             ///< "test Rank IC", ...
    MeanInterval variant, baseline; ///< over the paired runs that have the figure in both
    MeanInterval difference;        ///< variant minus baseline, run by run
    int higher = 0;                 ///< runs where the variant's figure is the higher
};

struct StudyAlgoComparison {
    SearchAlgo algo = SearchAlgo::Random;
    std::vector<std::uint64_t> seeds;           ///< the seeds both studies ran
    std::vector<StudyFigureComparison> figures; ///< in kStudyComparedFigures' order
    NeweyWestTest dailyTestRankIc;              ///< variant minus baseline, day by day, seed-averaged combined pools
};

struct StudyComparison {
    std::string variantDir, baselineDir;
    std::vector<StudyAlgoComparison> algos;     ///< the searches with a paired seed, in the variant's order
    std::vector<StudyFigureComparison> overall; ///< every paired run of every search
    NeweyWestTest overallDaily;                 ///< day by day, averaged over every paired run's difference
    int unpaired = 0;                           ///< runs of either study without a partner in the other
};

/// The figures compared, in order (names as the tables print them).
const std::vector<std::string>& studyComparedFigures();
/// The comparison of `figure` (one of studyComparedFigures()) in `list`; an empty one (n = 0)
/// when the list does not have it.
const StudyFigureComparison& studyFigure(const std::vector<StudyFigureComparison>& list, std::string_view figure);

/// Pairs the runs of two studies read on one session (so on the same data, splits and test days).
StudyComparison compareStudies(const StudyReport& variant, const StudyReport& baseline);

/// The comparison as Markdown tables and as JSON.
std::string studyComparisonMarkdown(const StudyComparison& c);
std::string studyComparisonJson(const StudyComparison& c);

} // namespace alphascope

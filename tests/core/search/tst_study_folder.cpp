// Opening a study folder (core/search/study.h): scanStudyFolder finds a folder's searches, seeds,
// budget and each search's recorded settings; runStudy with StudySpec::runMissing false reads the
// finished runs back without running anything, counts the missing ones with the first reason, reads
// an older file as this version reads it, and refuses runs made on other data; writeStudySummary
// writes the summary files; openStudy does all that in one call, and compareStudies sets a variant
// study against its baseline seed by seed. (Running, resuming and the statistics are tst_study's.)

#include "core/search/study.h"
#include "core/search/study_compare.h"

#include "core/search/planted.h"

#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

using namespace alphascope;

namespace {

SearchConfig baseConfig(SearchAlgo algo) {
    SearchConfig c = defaultSearchConfig(algo);
    c.gp.population = 20;
    return c;
}

} // namespace

class TestStudyFolder : public QObject {
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
        m_spec.preferCuda = false;
        m_spec.persistenceFormulas = 0;
    }

    // A study folder opened as it is: its algorithms, seeds, budget and each search's settings come
    // from the pool files (here GP's population of 20, not the default), so that the runs are read
    // back, never run; pairs without a finished run are counted, not run.
    void opensAFolderWithoutRunning() {
        StudySpec spec = m_spec;
        spec.outDir = m_dir.path().toStdString() + "/opened";
        Feedback feedback;
        auto first = runStudy(m_session, spec, baseConfig, feedback);
        QVERIFY(first.ok());
        QCOMPARE(first->ran, 4);
        QVERIFY(writeStudySummary(*first).ok());
        for (const char* name : {"summary.md", "summary.json", "curves.csv", "reward_curves.csv"})
            QVERIFY2(std::filesystem::exists(std::filesystem::path(spec.outDir) / name), name);
        // Not a run: other JSON files and names beside the pool files.
        std::ofstream(spec.outDir + "/notes.json") << "{}";
        std::ofstream(spec.outDir + "/gp-seed9.json") << "{\"format\": \"alphascope-pool\", trunc";

        auto folder = scanStudyFolder(spec.outDir);
        QVERIFY2(folder.ok(), folder.ok() ? "" : folder.error().message.c_str());
        QCOMPARE(folder->algos, (std::vector<SearchAlgo>{SearchAlgo::Genetic, SearchAlgo::Random})); // SearchAlgo order
        QCOMPARE(folder->seeds, (std::vector<std::uint64_t>{0, 1}));
        QCOMPARE(folder->evaluations, 60LL);
        QCOMPARE(folder->files, 4);
        QCOMPARE(folder->skipped, 1);
        QCOMPARE(folder->base(SearchAlgo::Genetic).gp.population, 20);
        // A search the folder has no run of takes the study's settings from another file (each
        // records every search's options): here GP's population of 20.
        QCOMPARE(folder->base(SearchAlgo::Mcts).gp.population, 20);
        QVERIFY(folder->base(SearchAlgo::Mcts).algo == SearchAlgo::Mcts);
        QCOMPARE(StudyFolder{}.base(SearchAlgo::Mcts).gp.population,
                 defaultSearchConfig(SearchAlgo::Mcts).gp.population);
        QVERIFY(studyDataDifference(*folder, *m_session).empty());
        QVERIFY(folder->data.find("\"splits\"") != std::string::npos);
        // Another market (fewer days, so other splits): the runs are not its runs, and say why.
        PlantedSpec shorter;
        shorter.market.days = 300;
        auto elsewhereSession = openPlantedSession(shorter);
        QVERIFY(elsewhereSession.ok());
        const std::string difference = studyDataDifference(*folder, *elsewhereSession.value());
        QVERIFY2(difference.find("days 400 in the runs, 300 here") != std::string::npos, difference.c_str());
        QVERIFY2(difference.find("splits train ") != std::string::npos, difference.c_str());
        QVERIFY(difference.find("target") == std::string::npos);

        const auto open = [&](const StudyFolder& f) {
            StudySpec read;
            read.algos = f.algos;
            read.seeds = f.seeds;
            read.evaluations = f.evaluations;
            read.outDir = spec.outDir;
            read.preferCuda = false;
            read.persistenceFormulas = 0;
            read.runMissing = false;
            return runStudy(
                m_session, read, [f](SearchAlgo algo) { return f.base(algo); }, feedback);
        };
        const auto sameAsFirst = [&](const StudyReport& r) {
            for (const StudyRun& run : r.runs) {
                const auto it = std::find_if(first->runs.begin(), first->runs.end(), [&](const StudyRun& o) {
                    return o.algo == run.algo && o.seed == run.seed;
                });
                QVERIFY(it != first->runs.end());
                QCOMPARE(run.testRankIc, it->testRankIc);
                QCOMPARE(run.validIc, it->validIc);
            }
        };
        {
            StudySpec read = spec;
            read.runMissing = false;
            read.persistenceFormulas = 0;
            auto elsewhere = runStudy(elsewhereSession.value(), read, baseConfig, feedback);
            QVERIFY(!elsewhere.ok());
            QCOMPARE(elsewhere.error().code, ErrorCode::NotFound); // read on their own data only
        }
        auto opened = open(*folder);
        QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().message.c_str());
        QCOMPARE(opened->ran, 0);
        QCOMPARE(opened->reused, 4);
        QCOMPARE(opened->missing, 0);
        sameAsFirst(*opened);

        // A file of an older version (a key of GP's options absent: the option did not exist then)
        // is read when the folder is opened, its settings as this version reads them; a study that
        // runs is strict and runs it again (with the same result).
        {
            const std::string path = studyRunFile(spec, SearchAlgo::Genetic, 0);
            std::ifstream in(path);
            auto j = nlohmann::json::parse(in);
            j["config"]["gp"].erase("offer_top");
            std::ofstream(path) << j.dump();
            auto older = scanStudyFolder(spec.outDir);
            QVERIFY(older.ok());
            auto read = open(*older);
            QVERIFY2(read.ok(), read.ok() ? "" : read.error().message.c_str());
            QCOMPARE(read->reused, 4);
            QCOMPARE(read->missing, 0);
            sameAsFirst(*read);
            auto strict = runStudy(m_session, spec, baseConfig, feedback);
            QVERIFY(strict.ok());
            QCOMPARE(strict->ran, 1);
            QCOMPARE(strict->reused, 3);
            sameAsFirst(*strict);
        }

        // One run gone: the folder still has seeds 0 and 1 (GP has both); random seed 1 is missing,
        // left out and not run; random search's figures are its one seed's.
        std::filesystem::remove(studyRunFile(spec, SearchAlgo::Random, 1));
        folder = scanStudyFolder(spec.outDir);
        QVERIFY(folder.ok());
        QCOMPARE(folder->files, 3);
        QCOMPARE(folder->seeds, (std::vector<std::uint64_t>{0, 1}));
        opened = open(*folder);
        QVERIFY(opened.ok());
        QCOMPARE(opened->ran, 0);
        QCOMPARE(opened->reused, 3);
        QCOMPARE(opened->missing, 1);
        QCOMPARE(opened->runs.size(), std::size_t(3));
        QVERIFY(!std::filesystem::exists(studyRunFile(spec, SearchAlgo::Random, 1)));
        sameAsFirst(*opened);
        const auto random = std::find_if(opened->algos.begin(), opened->algos.end(),
                                         [](const StudyAlgoSummary& a) { return a.algo == SearchAlgo::Random; });
        QVERIFY(random != opened->algos.end());
        QCOMPARE(random->testRankIc.n, 1);
        QVERIFY(studyMarkdown(*opened).find("1 (search, seed) pairs of the 2 x 2 have no finished run") !=
                std::string::npos);
        QVERIFY2(opened->missingReason.find("random-seed1.json") != std::string::npos, opened->missingReason.c_str());
        QVERIFY(opened->missingReason.find("no pool file") != std::string::npos);
        QCOMPARE(nlohmann::json::parse(studyJson(*opened)).at("missing_runs").get<int>(), 1);

        // A file of another budget is not this study's; the budget is the one most files have.
        {
            const std::string path = studyRunFile(spec, SearchAlgo::Genetic, 1);
            std::ifstream in(path);
            auto j = nlohmann::json::parse(in);
            j["config"]["budget"]["evaluations"] = 61;
            std::ofstream(path) << j.dump();
        }
        folder = scanStudyFolder(spec.outDir);
        QVERIFY(folder.ok());
        QCOMPARE(folder->evaluations, 60LL);
        QCOMPARE(folder->files, 2);
        QCOMPARE(folder->skipped, 2);
        QCOMPARE(folder->seeds, (std::vector<std::uint64_t>{0}));

        // Settings no file has: nothing to read, and nothing is run.
        StudySpec other = spec;
        other.runMissing = false;
        other.persistenceFormulas = 0;
        other.evaluations = 62;
        auto none = runStudy(m_session, other, baseConfig, feedback);
        QVERIFY(!none.ok());
        QCOMPARE(none.error().code, ErrorCode::NotFound);
        QVERIFY(!std::filesystem::exists(studyRunFile(spec, SearchAlgo::Random, 1)));

        const std::string empty = m_dir.path().toStdString() + "/empty";
        std::filesystem::create_directories(empty);
        QCOMPARE(scanStudyFolder(empty).error().code, ErrorCode::NotFound);
        QCOMPARE(scanStudyFolder(empty + "/nowhere").error().code, ErrorCode::Io);
    }

    // openStudy: the folder and its report as opened by hand above; a folder made on other data is
    // refused, saying how it differs.
    // compareStudies: a variant (GP with another tournament, random search unchanged) against its
    // baseline, paired seed by seed, against a slow reference from the two reports; a study
    // against itself differs by 0 on every figure.
    void comparesAVariantWithItsBaseline() {
        Feedback feedback;
        StudySpec spec = m_spec;
        spec.seeds = {0, 1, 2};
        spec.outDir = m_dir.path().toStdString() + "/baseline";
        QVERIFY(runStudy(m_session, spec, baseConfig, feedback).ok());
        StudySpec variantSpec = spec;
        variantSpec.seeds = {0, 1}; // seed 2 has no partner
        variantSpec.outDir = m_dir.path().toStdString() + "/variant";
        const auto variantConfig = [](SearchAlgo algo) {
            SearchConfig c = baseConfig(algo);
            c.gp.tournament = 3;
            return c;
        };
        QVERIFY(runStudy(m_session, variantSpec, variantConfig, feedback).ok());

        auto baseline = openStudy(m_session, spec.outDir, 0, feedback);
        QVERIFY2(baseline.ok(), baseline.ok() ? "" : baseline.error().message.c_str());
        auto variant = openStudy(m_session, variantSpec.outDir, 0, feedback);
        QVERIFY(variant.ok());
        QCOMPARE(variant->report.ran, 0);
        QCOMPARE(variant->report.reused, 4);
        QCOMPARE(variant->folder.base(SearchAlgo::Genetic).gp.tournament, 3);
        QCOMPARE(baseline->report.runs.size(), std::size_t(6));

        const StudyComparison c = compareStudies(variant->report, baseline->report);
        QCOMPARE(c.algos.size(), std::size_t(2));
        QCOMPARE(c.unpaired, 2); // the baseline's seed 2 of each search
        const std::vector<std::string>& names = studyComparedFigures();
        for (const StudyAlgoComparison& a : c.algos) {
            QCOMPARE(a.seeds, (std::vector<std::uint64_t>{0, 1}));
            QCOMPARE(a.figures.size(), names.size());
            std::vector<double> differences;
            int higher = 0;
            std::vector<std::vector<double>> daily;
            for (std::uint64_t seed : a.seeds) {
                const StudyRun *v = nullptr, *b = nullptr;
                for (const StudyRun& r : variant->report.runs)
                    if (r.algo == a.algo && r.seed == seed) v = &r;
                for (const StudyRun& r : baseline->report.runs)
                    if (r.algo == a.algo && r.seed == seed) b = &r;
                QVERIFY(v && b);
                differences.push_back(v->testRankIc - b->testRankIc);
                if (v->testRankIc > b->testRankIc) ++higher;
                std::vector<double> d(v->dailyTestRankIc.size());
                for (std::size_t k = 0; k < d.size(); ++k) d[k] = v->dailyTestRankIc[k] - b->dailyTestRankIc[k];
                daily.push_back(d);
            }
            const StudyFigureComparison& test = a.figures[3];
            QCOMPARE(test.figure, std::string("test Rank IC"));
            const MeanInterval expected = meanInterval(differences);
            QCOMPARE(test.difference.n, 2);
            QCOMPARE(test.difference.mean, expected.mean);
            QCOMPARE(test.difference.lo, expected.lo);
            QCOMPARE(test.higher, higher);
            // Newey-West on the day-by-day mean of the two seeds' daily differences.
            std::vector<double> averaged(daily[0].size());
            for (std::size_t k = 0; k < averaged.size(); ++k) {
                double sum = 0.0;
                int n = 0;
                for (const auto& d : daily)
                    if (std::isfinite(d[k])) sum += d[k], ++n;
                averaged[k] = n > 0 ? sum / n : kNaNd;
            }
            const NeweyWestTest nw = neweyWestMeanTest(averaged);
            QCOMPARE(a.dailyTestRankIc.n, nw.n);
            QCOMPARE(a.dailyTestRankIc.mean, nw.mean);
            QCOMPARE(a.dailyTestRankIc.t, nw.t);
            if (a.algo == SearchAlgo::Random) // the variant changed GP only: random search's runs are the same
                for (const StudyFigureComparison& f : a.figures)
                    if (f.difference.n > 0) QCOMPARE(f.difference.mean, 0.0);
        }
        // Every paired run together.
        QCOMPARE(c.overall[3].difference.n, 4);
        const std::string md = studyComparisonMarkdown(c);
        QVERIFY2(md.find("| gp | 2 |") != std::string::npos && md.find("| all runs | 4 |") != std::string::npos,
                 md.c_str());
        QVERIFY(md.find("2 run(s) of one study have no partner") != std::string::npos);
        QVERIFY(studyComparisonJson(c).find("\"alphascope-study-comparison\"") != std::string::npos);

        const StudyComparison same = compareStudies(baseline->report, baseline->report);
        QCOMPARE(same.unpaired, 0);
        for (const StudyFigureComparison& f : same.overall) {
            if (f.difference.n == 0) continue;
            QCOMPARE(f.difference.mean, 0.0);
            QCOMPARE(f.higher, 0);
        }

        // On other data the folder is not read, and the error says how the data differ.
        PlantedSpec shorter;
        shorter.market.days = 300;
        auto elsewhere = openPlantedSession(shorter);
        QVERIFY(elsewhere.ok());
        auto refused = openStudy(elsewhere.value(), spec.outDir, 0, feedback);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(refused.error().message.find("days 400 in the runs, 300 here") != std::string::npos,
                 refused.error().message.c_str());
    }

private:
    std::shared_ptr<const ResearchSession> m_session;
    QTemporaryDir m_dir;
    StudySpec m_spec;
};

QTEST_APPLESS_MAIN(TestStudyFolder)
#include "tst_study_folder.moc"

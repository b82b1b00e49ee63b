// StudyPanel: runs a study in the background on a planted market and shows per search and per pair
// the figures core's study computes (read back from the same folder, cell by cell), the summary and
// the learning curves; a second run reads the finished pairs back; a folder opens without running
// anything and fills the form; a folder without runs is an error; a running study cancels and keeps
// nothing half written; Run is enabled only with a dataset, a search and a folder.

#include "core/search/planted.h"
#include "ui/panels/study_panel.h"
#include "ui/views/study_curves_plot.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

using namespace alphascope;
using namespace alphascope::ui;

namespace {

std::shared_ptr<const ResearchSession> planted() {
    PlantedSpec spec;
    spec.formulas = {"CSRank($volume)"};
    spec.market.days = 320;
    spec.market.instruments = 80;
    auto s = openPlantedSession(spec);
    if (!s.ok()) qFatal("%s", s.error().message.c_str());
    return s.value();
}

/// GP and random search, 2 seeds of 60 evaluations, no persistence measure, in `dir`.
void configure(StudyPanel& panel, const QString& dir) {
    for (SearchAlgo algo : {SearchAlgo::GFlowNet, SearchAlgo::Mcts, SearchAlgo::Ppo})
        panel.algoBox(algo)->setChecked(false);
    panel.algoBox(SearchAlgo::Genetic)->setChecked(true);
    panel.algoBox(SearchAlgo::Random)->setChecked(true);
    panel.seedsBox()->setValue(2);
    panel.firstSeedBox()->setValue(0);
    panel.budgetBox()->setValue(60);
    panel.persistenceBox()->setValue(0);
    panel.folderEdit()->setText(dir);
}

QString fixed(double v, int digits, bool sign) {
    if (!std::isfinite(v)) return QStringLiteral("–");
    return (sign && v >= 0 ? QStringLiteral("+") : QString()) + QString::number(v, 'f', digits);
}

QString cellText(const QTableWidget* t, int row, int col) {
    return t->item(row, col) ? t->item(row, col)->text() : QString();
}

/// The tables' text, row by row.
QStringList tableText(const QTableWidget* t) {
    QStringList rows;
    for (int r = 0; r < t->rowCount(); ++r) {
        QStringList cells;
        for (int c = 0; c < t->columnCount(); ++c) cells << cellText(t, r, c);
        rows << cells.join(QLatin1Char('|'));
    }
    return rows;
}

bool runAndWait(StudyPanel& panel, int timeoutMs = 240000) {
    QSignalSpy finished(&panel, &StudyPanel::finished);
    QTest::mouseClick(panel.runButton(), Qt::LeftButton);
    if (!finished.wait(timeoutMs)) return false;
    return finished.first().first().toBool();
}

} // namespace

class TestStudyPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_session = planted();
        m_folder = m_dir.filePath(QStringLiteral("study"));
    }

    void runIsEnabledOnlyWhenItCanRun() {
        StudyPanel panel;
        QVERIFY(!panel.runButton()->isEnabled()); // no dataset
        QVERIFY(!panel.openButton()->isEnabled());
        panel.setSession(m_session);
        configure(panel, m_dir.filePath(QStringLiteral("unused")));
        QVERIFY(panel.runButton()->isEnabled());
        QVERIFY(panel.openButton()->isEnabled());
        panel.algoBox(SearchAlgo::Genetic)->setChecked(false);
        panel.algoBox(SearchAlgo::Random)->setChecked(false);
        QVERIFY(!panel.runButton()->isEnabled());
        panel.algoBox(SearchAlgo::Random)->setChecked(true);
        QVERIFY(panel.runButton()->isEnabled());
        panel.folderEdit()->clear();
        QVERIFY(!panel.runButton()->isEnabled());
        // A new folder under the base the main window gives (beside the project).
        panel.setFolderBase(m_dir.filePath(QStringLiteral("base")));
        QVERIFY(panel.folderEdit()->text().startsWith(m_dir.filePath(QStringLiteral("base/study-"))));
        QVERIFY(panel.runButton()->isEnabled());
        const StudySpec s = panel.spec();
        QCOMPARE(s.algos, (std::vector<SearchAlgo>{SearchAlgo::Random}));
        QCOMPARE(s.seeds, (std::vector<std::uint64_t>{0, 1}));
        QCOMPARE(s.evaluations, 60LL);
        QCOMPARE(s.persistenceFormulas, 0);
        panel.setSession(nullptr);
        QVERIFY(!panel.runButton()->isEnabled());
    }

    void runsAndShowsWhatCoreComputes() {
        StudyPanel panel;
        panel.setSession(m_session);
        configure(panel, m_folder);
        QSignalSpy busy(&panel, &StudyPanel::busyChanged);
        QVERIFY2(runAndWait(panel), qPrintable(panel.summaryLabel()->text()));
        QCOMPARE(busy.count(), 2); // busy, then idle
        QVERIFY(panel.runButton()->isEnabled());
        QVERIFY(!panel.cancelButton()->isEnabled());
        const StudyOutcome* out = panel.outcome();
        QVERIFY(out);
        QCOMPARE(out->report.ran, 4);
        QCOMPARE(out->report.reused, 0);
        for (const char* name :
             {"summary.md", "summary.json", "curves.csv", "reward_curves.csv", "gp-seed0.json", "random-seed1.json"})
            QVERIFY2(QFileInfo::exists(QDir(m_folder).filePath(QString::fromLatin1(name))), name);

        // The same folder read back by core: every figure the tables show is core's.
        StudySpec spec = panel.spec();
        Feedback feedback;
        auto core = runStudy(
            m_session, spec, [](SearchAlgo a) { return defaultSearchConfig(a); }, feedback);
        QVERIFY(core.ok());
        QCOMPARE(core->reused, 4);
        const QTableWidget* searches = panel.searchTable();
        QCOMPARE(searches->rowCount(), 2);
        QCOMPARE(cellText(searches, 0, 0), QStringLiteral("GP"));
        QCOMPARE(cellText(searches, 1, 0), QStringLiteral("Random search"));
        int best = 0;
        for (int row = 0; row < 2; ++row) {
            const StudyAlgoSummary& a = core->algos[static_cast<std::size_t>(row)];
            QCOMPARE(cellText(searches, row, 1), QStringLiteral("2"));
            QCOMPARE(cellText(searches, row, 2), fixed(a.validRankIc.mean, 4, true));
            QCOMPARE(cellText(searches, row, 3), fixed(a.testIc.mean, 4, true));
            QCOMPARE(cellText(searches, row, 4), fixed(a.testRankIc.mean, 4, true));
            QCOMPARE(cellText(searches, row, 5),
                     QStringLiteral("[%1, %2]").arg(fixed(a.testRankIc.lo, 4, true), fixed(a.testRankIc.hi, 4, true)));
            QCOMPARE(cellText(searches, row, 7), fixed(a.selectedTestRankIc.mean, 4, true));
            QCOMPARE(cellText(searches, row, 9), fixed(a.meanAbsMutual.mean, 3, false));
            QCOMPARE(cellText(searches, row, 11), fixed(a.evaluationsPerSecond.mean, 1, false));
            QVERIFY(searches->item(row, 4)->toolTip().contains(QStringLiteral("over 2 seed(s)")));
            if (a.testRankIc.mean > core->algos[static_cast<std::size_t>(best)].testRankIc.mean) best = row;
        }
        // The search with the highest mean test Rank IC is bold, the other not.
        QVERIFY(searches->item(best, 0)->font().bold());
        QVERIFY(!searches->item(1 - best, 0)->font().bold());

        const QTableWidget* pairs = panel.pairTable();
        QCOMPARE(pairs->rowCount(), 1);
        const StudyPair& p = core->pairs.front();
        QCOMPARE(cellText(pairs, 0, 0), QStringLiteral("GP − Random search"));
        QCOMPARE(cellText(pairs, 0, 1), fixed(p.testRankIcDifference.mean, 4, true));
        QCOMPARE(cellText(pairs, 0, 3), QStringLiteral("2"));
        QCOMPARE(cellText(pairs, 0, 4), fixed(p.dailyDifference.t, 2, false));
        QCOMPARE(cellText(pairs, 0, 5), fixed(p.dailyDifference.p, 3, false));
        const bool differs = p.testRankIcDifference.lo > 0 || p.testRankIcDifference.hi < 0;
        QCOMPARE(pairs->item(0, 0)->font().bold(), differs);

        const QString summary = panel.summaryLabel()->text();
        QVERIFY2(summary.contains(QStringLiteral("(4 run now, 0 read back)")), qPrintable(summary));
        QVERIFY2(summary.contains(QStringLiteral("Highest mean test Rank IC: %1").arg(cellText(searches, best, 0))),
                 qPrintable(summary));
        QVERIFY(summary.contains(differs ? QStringLiteral("differ beyond seed noise (bold under Pairs)")
                                         : QStringLiteral("No two searches differ")));

        // The learning curves: one panel per search, the views switch.
        QCOMPARE(panel.curvesPlot()->panels(), 2);
        QVERIFY(panel.curvesPlot()->lines() > 0);
        panel.curveBox()->setCurrentIndex(3);
        QCOMPARE(panel.curvesPlot()->panels(), 2);
        m_table = tableText(searches);
        m_pairs = tableText(pairs);

        // Again: every pair is read back, nothing runs, the same figures.
        QVERIFY(runAndWait(panel));
        QCOMPARE(panel.outcome()->report.ran, 0);
        QCOMPARE(panel.outcome()->report.reused, 4);
        QVERIFY(panel.summaryLabel()->text().contains(QStringLiteral("(0 run now, 4 read back)")));
        QCOMPARE(tableText(panel.searchTable()), m_table);
    }

    void opensAFolderWithoutRunning() {
        QVERIFY(!m_table.isEmpty()); // after runsAndShowsWhatCoreComputes
        // A folder with one run removed: the form is filled from the files, the removed pair is
        // counted as missing and not run again.
        const QString copy = m_dir.filePath(QStringLiteral("copy"));
        std::filesystem::copy(m_folder.toStdString(), copy.toStdString());
        std::filesystem::remove((copy + QStringLiteral("/random-seed1.json")).toStdString());
        StudyPanel panel;
        panel.setSession(m_session);
        panel.persistenceBox()->setValue(0);
        panel.seedsBox()->setValue(9);
        panel.budgetBox()->setValue(5000);
        QSignalSpy finished(&panel, &StudyPanel::finished);
        panel.open(m_folder);
        QVERIFY(finished.wait(120000));
        QVERIFY2(finished.takeFirst().first().toBool(), qPrintable(panel.summaryLabel()->text()));
        QCOMPARE(panel.outcome()->report.ran, 0);
        QVERIFY(panel.outcome()->opened);
        QVERIFY(panel.algoBox(SearchAlgo::Genetic)->isChecked());
        QVERIFY(panel.algoBox(SearchAlgo::Random)->isChecked());
        QVERIFY(!panel.algoBox(SearchAlgo::Mcts)->isChecked());
        QCOMPARE(panel.seedsBox()->value(), 2);
        QCOMPARE(panel.budgetBox()->value(), 60);
        QCOMPARE(panel.folderEdit()->text(), m_folder);
        QCOMPARE(tableText(panel.searchTable()), m_table);
        QCOMPARE(tableText(panel.pairTable()), m_pairs);

        panel.open(copy);
        QVERIFY(finished.wait(120000));
        QVERIFY(finished.takeFirst().first().toBool());
        QCOMPARE(panel.outcome()->report.missing, 1);
        QCOMPARE(panel.outcome()->report.reused, 3);
        QCOMPARE(cellText(panel.searchTable(), 1, 1), QStringLiteral("1")); // random search: one run
        QVERIFY2(panel.summaryLabel()->text().contains(
                     QStringLiteral("1 (search, seed) pair(s) without a finished run are left out (the first: ")),
                 qPrintable(panel.summaryLabel()->text()));
        QVERIFY(panel.summaryLabel()->text().contains(QStringLiteral("random-seed1.json")));
        QVERIFY(!QFileInfo::exists(copy + QStringLiteral("/random-seed1.json")));

        // Another market: its figures would not be the study's, so it is not read, and says why.
        PlantedSpec shorter;
        shorter.formulas = {"CSRank($volume)"};
        shorter.market.days = 300;
        shorter.market.instruments = 80;
        auto other = openPlantedSession(shorter);
        QVERIFY(other.ok());
        panel.setSession(other.value());
        QCOMPARE(panel.searchTable()->rowCount(), 0); // a new dataset clears the last study
        QCOMPARE(panel.pairTable()->rowCount(), 0);
        QVERIFY(!panel.outcome());
        QVERIFY(panel.summaryLabel()->text().startsWith(QStringLiteral("Does a search find anything")));
        panel.open(m_folder);
        QVERIFY(finished.wait(60000));
        QVERIFY(!finished.takeFirst().first().toBool());
        QVERIFY2(panel.summaryLabel()->text().contains(QStringLiteral("other data or splits")),
                 qPrintable(panel.summaryLabel()->text()));
        QVERIFY(panel.summaryLabel()->text().contains(QStringLiteral("days 320 in the runs, 300 here")));
        panel.setSession(m_session);

        const QString empty = m_dir.filePath(QStringLiteral("empty"));
        QDir().mkpath(empty);
        panel.open(empty);
        QVERIFY(finished.wait(60000));
        QVERIFY(!finished.takeFirst().first().toBool());
        QVERIFY2(panel.summaryLabel()->text().contains(QStringLiteral("no finished study run")),
                 qPrintable(panel.summaryLabel()->text()));
    }

    // A settings file is read over every search's defaults, as alphascope-cli study --config; a bad
    // one is refused before anything runs, naming the key.
    void settingsFileAppliesToEverySearch() {
        const QString dir = m_dir.filePath(QStringLiteral("settings"));
        const QString file = m_dir.filePath(QStringLiteral("gp20.json"));
        {
            QFile out(file);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(R"({"gp": {"population": 20}, "pool": {"capacity": 7}})");
        }
        StudyPanel panel;
        panel.setSession(m_session);
        configure(panel, dir);
        panel.seedsBox()->setValue(1);
        panel.settingsEdit()->setText(file);
        QVERIFY2(runAndWait(panel), qPrintable(panel.summaryLabel()->text()));
        const auto config = [&](const char* name) {
            std::ifstream in((dir + QLatin1Char('/') + QString::fromLatin1(name)).toStdString());
            return nlohmann::json::parse(in).at("config");
        };
        QCOMPARE(config("gp-seed0.json").at("gp").at("population").get<int>(), 20);
        QCOMPARE(config("gp-seed0.json").at("pool").at("capacity").get<int>(), 7);
        QCOMPARE(config("random-seed0.json").at("pool").at("capacity").get<int>(), 7);
        QCOMPARE(config("random-seed0.json").at("gp").at("population").get<int>(),
                 20); // every search's config carries it

        // Opened in a fresh panel and run again without a settings file, the study resumes with the
        // settings its runs were made with: the missing GP run gets population 20 and capacity 7 (from
        // the random run's file, which records every search's options), not the defaults.
        {
            QFile::remove(dir + QStringLiteral("/gp-seed0.json"));
            StudyPanel reopened;
            reopened.setSession(m_session);
            reopened.persistenceBox()->setValue(0);
            QSignalSpy opened(&reopened, &StudyPanel::finished);
            // A folder of one GP and one random run, the GP one removed: it opens with the random run.
            reopened.open(dir);
            QVERIFY(opened.wait(60000));
            QVERIFY(opened.takeFirst().first().toBool());
            reopened.algoBox(SearchAlgo::Genetic)->setChecked(true); // the form asks for GP again
            QVERIFY(reopened.settingsEdit()->text().isEmpty());
            QVERIFY2(runAndWait(reopened), qPrintable(reopened.summaryLabel()->text()));
            QCOMPARE(reopened.outcome()->report.ran, 1);
            QCOMPARE(reopened.outcome()->report.reused, 1);
            QCOMPARE(config("random-seed0.json").at("pool").at("capacity").get<int>(), 7);
            QCOMPARE(config("gp-seed0.json").at("pool").at("capacity").get<int>(), 7);
            QCOMPARE(config("gp-seed0.json").at("gp").at("population").get<int>(), 20);
            QVERIFY(reopened.summaryLabel()->text().contains(QStringLiteral("(1 run now, 1 read back)")));
        }
        {
            QFile out(file);
            QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
            out.write(R"({"mcts": {"train_every": "often"}})");
        }
        QSignalSpy busy(&panel, &StudyPanel::busyChanged);
        QTest::mouseClick(panel.runButton(), Qt::LeftButton);
        QVERIFY(!panel.busy());
        QCOMPARE(busy.count(), 0);
        QVERIFY2(panel.summaryLabel()->text().contains(QStringLiteral("mcts.train_every")),
                 qPrintable(panel.summaryLabel()->text()));
        panel.settingsEdit()->setText(m_dir.filePath(QStringLiteral("nowhere.json")));
        QTest::mouseClick(panel.runButton(), Qt::LeftButton);
        QVERIFY(!panel.busy());
        QVERIFY(panel.summaryLabel()->text().startsWith(QStringLiteral("Cannot read the settings file")));
    }

    // Compare with…: the study shown against a baseline folder on the same data, seed by seed, as
    // core's compareStudies computes it; a folder that cannot be compared leaves the study shown.
    void comparesWithABaseline() {
        QVERIFY(!m_table.isEmpty()); // m_folder holds the study of runsAndShowsWhatCoreComputes
        const QString dir = m_dir.filePath(QStringLiteral("variant"));
        const QString file = m_dir.filePath(QStringLiteral("tournament3.json"));
        {
            QFile out(file);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(R"({"gp": {"tournament": 3}})");
        }
        StudyPanel panel;
        panel.setSession(m_session);
        QVERIFY(!panel.compareButton()->isEnabled()); // nothing to compare yet
        configure(panel, dir);
        panel.settingsEdit()->setText(file);
        QVERIFY2(runAndWait(panel), qPrintable(panel.summaryLabel()->text()));
        QVERIFY(panel.compareButton()->isEnabled());
        const StudyReport variant = panel.outcome()->report;
        const QStringList searches = tableText(panel.searchTable());

        QSignalSpy finished(&panel, &StudyPanel::finished);
        panel.compareWith(m_folder);
        QVERIFY(finished.wait(120000));
        QVERIFY2(finished.takeFirst().first().toBool(), qPrintable(panel.summaryLabel()->text()));
        QVERIFY(panel.outcome()->comparison.has_value());
        QCOMPARE(panel.tabs()->currentWidget(), static_cast<QWidget*>(panel.compareTable()));
        QCOMPARE(tableText(panel.searchTable()), searches); // the study shown is still this one

        Feedback feedback;
        auto baseline = openStudy(m_session, m_folder.toStdString(), 0, feedback);
        QVERIFY(baseline.ok());
        const StudyComparison expected = compareStudies(variant, baseline->report);
        QCOMPARE(expected.algos.size(), std::size_t(2));
        const QTableWidget* t = panel.compareTable();
        QCOMPARE(t->rowCount(), 3); // GP, random search, every run
        const auto testOf = [](const std::vector<StudyFigureComparison>& list) {
            for (const auto& f : list)
                if (f.figure == "test Rank IC") return f;
            return StudyFigureComparison{};
        };
        for (int row = 0; row < 3; ++row) {
            const std::vector<StudyFigureComparison>& figures =
                row < 2 ? expected.algos[row].figures : expected.overall;
            const NeweyWestTest& nw = row < 2 ? expected.algos[row].dailyTestRankIc : expected.overallDaily;
            const StudyFigureComparison test = testOf(figures);
            QCOMPARE(cellText(t, row, 1), QString::number(row < 2 ? 2 : 4));
            QCOMPARE(cellText(t, row, 4),
                     fixed(test.variant.mean, 4, true) + QStringLiteral(" / ") + fixed(test.baseline.mean, 4, true));
            QCOMPARE(cellText(t, row, 5), fixed(test.difference.mean, 4, true));
            QCOMPARE(
                cellText(t, row, 6),
                QStringLiteral("[%1, %2]").arg(fixed(test.difference.lo, 4, true), fixed(test.difference.hi, 4, true)));
            QCOMPARE(cellText(t, row, 7), QStringLiteral("%1 of %2").arg(test.higher).arg(test.difference.n));
            QCOMPARE(cellText(t, row, 8), fixed(nw.t, 2, false));
        }
        QCOMPARE(cellText(t, 0, 0), panel.algoBox(SearchAlgo::Genetic)->text());
        QCOMPARE(cellText(t, 1, 5), QStringLiteral("+0.0000")); // random search's runs are the same in both
        QCOMPARE(cellText(t, 2, 0), QStringLiteral("All runs"));
        QVERIFY2(panel.summaryLabel()->text().contains(QStringLiteral("Against the baseline ")) &&
                     panel.summaryLabel()->text().contains(QStringLiteral("4 paired run(s)")),
                 qPrintable(panel.summaryLabel()->text()));

        // An empty folder is no baseline: said so, and the study and its comparison stay shown.
        const QString empty = m_dir.filePath(QStringLiteral("no-baseline"));
        QDir().mkpath(empty);
        panel.compareWith(empty);
        QVERIFY(finished.wait(60000));
        QVERIFY(!finished.takeFirst().first().toBool());
        QVERIFY2(panel.summaryLabel()->text().startsWith(QStringLiteral("The baseline could not be compared")),
                 qPrintable(panel.summaryLabel()->text()));
        QVERIFY(panel.outcome() && panel.outcome()->comparison);
        QCOMPARE(t->rowCount(), 3);
        // A new study shown drops the comparison.
        panel.open(dir);
        QVERIFY(finished.wait(60000));
        QVERIFY(finished.takeFirst().first().toBool());
        QCOMPARE(t->rowCount(), 0);
    }

    void cancelKeepsNothingHalfWritten() {
        const QString dir = m_dir.filePath(QStringLiteral("cancelled"));
        StudyPanel panel;
        panel.setSession(m_session);
        configure(panel, dir);
        panel.algoBox(SearchAlgo::Genetic)->setChecked(false);
        panel.seedsBox()->setValue(1);
        panel.budgetBox()->setValue(100000000);
        QSignalSpy finished(&panel, &StudyPanel::finished);
        QTest::mouseClick(panel.runButton(), Qt::LeftButton);
        QVERIFY(panel.busy());
        QVERIFY(panel.cancelButton()->isEnabled());
        QVERIFY(!panel.openButton()->isEnabled());
        QTest::qWait(300);
        QTest::mouseClick(panel.cancelButton(), Qt::LeftButton);
        QVERIFY(finished.wait(60000));
        QVERIFY(!finished.first().first().toBool());
        QVERIFY(panel.summaryLabel()->text().contains(QStringLiteral("cancelled")));
        QVERIFY(!QFileInfo::exists(dir + QStringLiteral("/random-seed0.json")));
        QVERIFY(panel.runButton()->isEnabled());
    }

private:
    QTemporaryDir m_dir;
    std::shared_ptr<const ResearchSession> m_session;
    QString m_folder;
    QStringList m_table, m_pairs;
};

QTEST_MAIN(TestStudyPanel)
#include "tst_study_panel.moc"

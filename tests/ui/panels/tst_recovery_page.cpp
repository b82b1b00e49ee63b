// RecoveryPage: runs the planted-market benchmark in the background and shows what core's report
// holds: the share and closeness curves (one line per search, its interval as a band), which seeds
// found each planted formula and from when, and the Welch differences between searches; a bad
// settings file is refused before anything runs; Run needs a search and a formula; a running
// benchmark cancels.

#include "ui/panels/recovery_page.h"
#include "ui/qcustomplot_include.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <cmath>

using namespace alphascope;
using namespace alphascope::ui;

namespace {

/// GP and random search, 2 seeds of 200 evaluations, one depth-1 formula on a small market.
void configure(RecoveryPage& page) {
    for (SearchAlgo algo : {SearchAlgo::GFlowNet, SearchAlgo::Mcts, SearchAlgo::Ppo})
        page.algoBox(algo)->setChecked(false);
    page.algoBox(SearchAlgo::Genetic)->setChecked(true);
    page.algoBox(SearchAlgo::Random)->setChecked(true);
    page.seedsBox()->setValue(2);
    page.budgetBox()->setValue(200);
    page.formulasEdit()->setPlainText(QStringLiteral("CSRank($volume)\n\n"));
    page.daysBox()->setValue(200);
    page.instrumentsBox()->setValue(60);
}

QString text(const QTableWidget* t, int row, int col) {
    return t->item(row, col) ? t->item(row, col)->text() : QString();
}

} // namespace

class TestRecoveryPage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void runIsEnabledOnlyWhenItCanRun() {
        RecoveryPage page;
        QVERIFY(page.runButton()->isEnabled()); // the default planted formulas and searches
        QCOMPARE(page.spec().market.formulas.size(), std::size_t(4));
        configure(page);
        QVERIFY(page.runButton()->isEnabled());
        const RecoverySpec s = page.spec();
        QCOMPARE(s.market.formulas, (std::vector<std::string>{"CSRank($volume)"}));
        QCOMPARE(s.market.weights, (std::vector<double>{1.0}));
        QCOMPARE(s.algos, (std::vector<SearchAlgo>{SearchAlgo::Genetic, SearchAlgo::Random}));
        QCOMPARE(s.seeds, (std::vector<std::uint64_t>{0, 1}));
        QCOMPARE(s.evaluations, 200LL);
        QCOMPARE(s.market.market.days, 200);
        page.formulasEdit()->setPlainText(QStringLiteral("  \n"));
        QVERIFY(!page.runButton()->isEnabled());
        page.formulasEdit()->setPlainText(QStringLiteral("CSRank($volume)"));
        page.algoBox(SearchAlgo::Genetic)->setChecked(false);
        page.algoBox(SearchAlgo::Random)->setChecked(false);
        QVERIFY(!page.runButton()->isEnabled());
    }

    void runsAndShowsTheReport() {
        RecoveryPage page;
        configure(page);
        QSignalSpy finished(&page, &RecoveryPage::finished);
        QTest::mouseClick(page.runButton(), Qt::LeftButton);
        QVERIFY(page.busy());
        QVERIFY(finished.wait(240000));
        QVERIFY2(finished.first().first().toBool(), qPrintable(page.summaryLabel()->text()));
        const RecoveryReport* r = page.report();
        QVERIFY(r);
        QCOMPARE(r->runs.size(), std::size_t(4));
        QCOMPARE(r->spec.checkpoints.back(), 200LL);

        // Which seeds found the formula, as core counts them.
        const auto finds = recoveryFinds(*r);
        const QTableWidget* t = page.findTable();
        QCOMPARE(t->rowCount(), 1);
        QCOMPARE(t->columnCount(), 4);
        QCOMPARE(text(t, 0, 0), QStringLiteral("CSRank($volume)"));
        QCOMPARE(text(t, 0, 1), QString::number(r->realisedIc[0], 'f', 3));
        for (int k = 0; k < 2; ++k) {
            const RecoveryFind& f = finds[static_cast<std::size_t>(k)][0];
            const QString cell = text(t, 0, 2 + k);
            QVERIFY2(cell.startsWith(f.seeds > 0 ? QStringLiteral("%1 of 2 (from %2)").arg(f.seeds).arg(f.earliest)
                                                 : QStringLiteral("0 of 2")),
                     qPrintable(cell));
            QVERIFY2(cell.contains(QString::number(f.bestMean, 'f', 2)), qPrintable(cell));
        }
        // The difference between the two searches, Welch, as core computes it.
        const auto d = recoveryDifferences(*r);
        QCOMPARE(page.differenceTable()->rowCount(), 1);
        QCOMPARE(text(page.differenceTable(), 0, 0), QStringLiteral("GP − Random search"));
        const QString atBudget = text(page.differenceTable(), 0, 1);
        QVERIFY2(atBudget.startsWith((d[0].atBudget.diff >= 0 ? QStringLiteral("+") : QString()) +
                                     QString::number(d[0].atBudget.diff, 'f', 3)),
                 qPrintable(atBudget));

        // The curves: per search a band (two graphs) and a line through the mean at each checkpoint.
        QCustomPlot* plot = page.plot();
        QCOMPARE(plot->graphCount(), 6);
        const auto lineOf = [&](int k) { return plot->graph(3 * k + 2); };
        for (int k = 0; k < 2; ++k) {
            QCOMPARE(lineOf(k)->data()->size(), static_cast<int>(r->spec.checkpoints.size()));
            for (int c = 0; c < static_cast<int>(r->spec.checkpoints.size()); ++c) {
                const auto point = lineOf(k)->data()->at(c);
                QCOMPARE(point->key, double(r->spec.checkpoints[static_cast<std::size_t>(c)]));
                QCOMPARE(point->value, r->curves[static_cast<std::size_t>(k)][static_cast<std::size_t>(c)].mean);
            }
        }
        QCOMPARE(lineOf(0)->name(), QStringLiteral("GP"));
        page.curveBox()->setCurrentIndex(1);
        QCOMPARE(plot->graphCount(), 6);
        QCOMPARE(lineOf(1)->data()->at(0)->value, r->closenessCurves[1][0].mean);
        QVERIFY2(page.summaryLabel()->text().contains(QStringLiteral("Share found at the budget: ")),
                 qPrintable(page.summaryLabel()->text()));
    }

    void badSettingsRunNothing() {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("bad.json"));
        {
            QFile out(file);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(R"({"gp": {"population": -3}})");
        }
        RecoveryPage page;
        configure(page);
        page.settingsEdit()->setText(file);
        QSignalSpy busy(&page, &RecoveryPage::busyChanged);
        QTest::mouseClick(page.runButton(), Qt::LeftButton);
        QVERIFY(!page.busy());
        QCOMPARE(busy.count(), 0);
        QVERIFY2(page.summaryLabel()->text().contains(QStringLiteral("gp.population")),
                 qPrintable(page.summaryLabel()->text()));
    }

    void cancels() {
        RecoveryPage page;
        configure(page);
        page.budgetBox()->setValue(100000000);
        QSignalSpy finished(&page, &RecoveryPage::finished);
        QTest::mouseClick(page.runButton(), Qt::LeftButton);
        QVERIFY(page.cancelButton()->isEnabled());
        QTest::qWait(300);
        QTest::mouseClick(page.cancelButton(), Qt::LeftButton);
        QVERIFY(finished.wait(60000));
        QVERIFY(!finished.first().first().toBool());
        QVERIFY(page.summaryLabel()->text().contains(QStringLiteral("cancelled")));
        QVERIFY(!page.report());
        QVERIFY(page.runButton()->isEnabled());
    }
};

QTEST_MAIN(TestRecoveryPage)
#include "tst_recovery_page.moc"

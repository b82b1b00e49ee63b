// PersistencePage: measures in the background on a planted market whose signal persists, shows the
// periods' Spearman correlations in the heat map as the report has them, the selection check and
// the samplers in their tables and a verdict that the ranking carries over; the same on a market
// whose signal flips after training, where the verdict says it does not; cancels; a new session
// drops the result.

#include "core/search/planted.h"
#include "ui/panels/persistence_page.h"
#include "ui/views/correlation_heatmap.h"

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QtTest/QtTest>

#include <cmath>

using namespace alphascope;
using namespace alphascope::ui;

namespace {
/// A planted market; with `flip`, its target negated from the validation split on: what predicted
/// returns in train predicts them with the other sign in valid and test.
std::shared_ptr<const ResearchSession> planted(bool flip) {
    PlantedSpec spec;
    spec.formulas = {"CSRank($volume)"};
    spec.market.days = 320;
    spec.market.instruments = 80;
    auto s = openPlantedSession(spec);
    if (!s.ok()) qFatal("%s", s.error().message.c_str());
    if (!flip) return s.value();
    auto flipped = std::make_shared<ResearchSession>(*s.value());
    auto target = std::make_shared<Panel>(*flipped->targetValues);
    for (int t = validationSplit(*flipped)->begin; t < target->days(); ++t)
        for (int i = 0; i < target->instruments(); ++i) target->at(t, i) = -target->at(t, i);
    flipped->targetValues = target;
    return flipped;
}

void configure(PersistencePage& page) {
    page.formulasBox()->setValue(200);
    page.blocksBox()->setValue(4);
    page.topBox()->setValue(20);
}
} // namespace

class TestPersistencePage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void measuresAndShowsThePeriods() {
        PersistencePage page;
        QVERIFY(!page.measureButton()->isEnabled());
        page.setSession(planted(false));
        QVERIFY(page.measureButton()->isEnabled());
        configure(page);
        QSignalSpy measured(&page, &PersistencePage::measured);
        QTest::mouseClick(page.measureButton(), Qt::LeftButton);
        QVERIFY(page.measuring());
        QVERIFY(page.cancelButton()->isEnabled());
        QVERIFY(measured.wait(120000));
        QVERIFY2(measured.first().first().toBool(), qPrintable(page.summaryLabel()->text()));
        const PersistenceReport* r = page.report();
        QVERIFY(r);
        QCOMPARE(r->spec.formulas, 200);
        QCOMPARE(r->spec.blocks, 4);
        // The map: one row and column per period (4 blocks, then train, valid, test), the values
        // the report's, 1 on the diagonal.
        const int n = static_cast<int>(r->periods.size());
        QCOMPARE(n, 7);
        QCOMPARE(page.heatmap()->matrixSize(), n);
        QCOMPARE(page.heatmap()->names().front(), QStringLiteral("block 1"));
        QCOMPARE(page.heatmap()->names().back(), QStringLiteral("test"));
        for (const PeriodCorrelation& c : r->correlations) {
            QCOMPARE(page.heatmap()->cellValue(c.a, c.b), c.correlation);
            QCOMPARE(page.heatmap()->cellValue(c.b, c.a), c.correlation);
        }
        QCOMPARE(page.heatmap()->cellValue(2, 2), 1.0);
        // The selection check: valid and test, as in the report.
        QCOMPARE(page.selectionTable()->rowCount(), 2);
        QCOMPARE(page.selectionTable()->item(1, 0)->text(), QStringLiteral("test"));
        QCOMPARE(page.selectionTable()->item(1, 2)->text().toDouble(), std::round(r->selection[1].topMean * 1e4) / 1e4);
        // The samplers: a row per beta, a column per split after train; the one best in valid bold.
        QTableWidget* samplers = page.samplerTable();
        QCOMPARE(samplers->rowCount(), static_cast<int>(r->samplers.size()));
        QCOMPARE(samplers->columnCount(), 3 + 2);
        QCOMPARE(samplers->horizontalHeaderItem(4)->text(), QStringLiteral("test: signed mean"));
        QVERIFY(r->suggestedSampler >= 0);
        for (int row = 0; row < samplers->rowCount(); ++row) {
            const PersistenceSampler& s = r->samplers[static_cast<std::size_t>(row)];
            QCOMPARE(samplers->item(row, 0)->text().toDouble(), s.beta);
            QCOMPARE(samplers->item(row, 1)->text().toDouble(), std::round(s.trainAbs * 1e4) / 1e4);
            QCOMPARE(samplers->item(row, 2)->text().toDouble(), std::round(s.effectiveFormulas * 10) / 10);
            QCOMPARE(samplers->item(row, 3)->text().toDouble(), std::round(s.splitMeans[0] * 1e4) / 1e4);
            QCOMPARE(samplers->item(row, 4)->text().toDouble(), std::round(s.splitMeans[1] * 1e4) / 1e4);
            QCOMPARE(samplers->item(row, 0)->font().bold(), row == r->suggestedSampler);
        }
        // β 0 is every formula, as the selection check's last column has it.
        QCOMPARE(samplers->item(0, 4)->text(), page.selectionTable()->item(1, 5)->text());
        // The verdict names the pair and says the ranking carries over.
        const QString summary = page.summaryLabel()->text();
        QVERIFY2(summary.contains(QStringLiteral("train → test")) && summary.contains(QStringLiteral("carries over")),
                 qPrintable(summary));
        const PersistenceSampler& best = r->samplers[static_cast<std::size_t>(r->suggestedSampler)];
        QVERIFY2(summary.contains(QStringLiteral("(β %1, the best in valid) gives %2%3 in test")
                                      .arg(best.beta)
                                      .arg(best.splitMeans.back() >= 0 ? QStringLiteral("+") : QString())
                                      .arg(best.splitMeans.back(), 0, 'f', 4)),
                 qPrintable(summary));
        page.resize(1100, 720);
        const QString shot = QCoreApplication::applicationDirPath() + QStringLiteral("/tst_persistence_page.png");
        QVERIFY(page.grab().save(shot));
        qInfo("screenshot: %s", qPrintable(shot));
        // With calendar years, the candidate training windows join the map and the verdict names
        // the one most like valid.
        measured.clear();
        page.blocksBox()->setValue(0);
        QCOMPARE(page.blocksBox()->text(), QStringLiteral("Calendar years"));
        page.measure();
        QVERIFY(measured.wait(120000));
        QVERIFY(page.report()->suggestedWindow >= 0);
        const QString window = QString::fromStdString(
            page.report()->periods[static_cast<std::size_t>(page.report()->suggestedWindow)].name);
        QVERIFY(page.heatmap()->names().contains(window));
        QVERIFY2(page.summaryLabel()->text().contains(window + QStringLiteral(" ranks the formulas most like valid")),
                 qPrintable(page.summaryLabel()->text()));
        // The suggested window is not the training split (the default splits start after 60 days
        // of history, the windows at a calendar year), so the page offers to train on it.
        const int suggested = page.report()->suggestedWindow;
        const PersistencePeriod& w = page.report()->periods[static_cast<std::size_t>(suggested)];
        const Split& train = trainingSplit(*planted(false));
        QVERIFY(w.begin != train.begin || w.end != train.end);
        QVERIFY(!page.useWindowButton()->isHidden());
        QCOMPARE(page.useWindowButton()->text(),
                 QStringLiteral("Train on %1 … %2")
                     .arg(QString::fromStdString(w.first.toString()), QString::fromStdString(w.last.toString())));
        const QString yearsShot =
            QCoreApplication::applicationDirPath() + QStringLiteral("/tst_persistence_page_years.png");
        QVERIFY(page.grab().save(yearsShot));
        qInfo("screenshot: %s", qPrintable(yearsShot));
        QSignalSpy requested(&page, &PersistencePage::trainingWindowRequested);
        QTest::mouseClick(page.useWindowButton(), Qt::LeftButton);
        QCOMPARE(requested.size(), 1);
        QCOMPARE(requested.first().first().toInt(), suggested);
        // Reopened with that training split, the same window is suggested and no longer offered.
        auto moved = makeResearchSession(planted(false)->data, withTrainingRange(*planted(false), w.first, w.last));
        QVERIFY(moved.ok());
        page.setSession(moved.value());
        QVERIFY(page.useWindowButton()->isHidden());
        measured.clear();
        page.measure();
        QVERIFY(measured.wait(120000));
        QCOMPARE(page.report()->suggestedWindow, suggested);
        QVERIFY(page.isTrainingSplit(suggested));
        QVERIFY(page.useWindowButton()->isHidden());
        // A new session drops the result.
        page.setSession(planted(false));
        QVERIFY(!page.report());
        QCOMPARE(page.heatmap()->matrixSize(), 0);
        QCOMPARE(page.selectionTable()->rowCount(), 0);
        QCOMPARE(page.samplerTable()->rowCount(), 0);
    }

    void aFlippedMarketIsCalledOut() {
        PersistencePage page;
        page.setSession(planted(true));
        configure(page);
        QSignalSpy measured(&page, &PersistencePage::measured);
        page.measure();
        QVERIFY(measured.wait(120000));
        QVERIFY(measured.first().first().toBool());
        const QString summary = page.summaryLabel()->text();
        QVERIFY2(summary.contains(QStringLiteral("ranks the formulas against the training period")),
                 qPrintable(summary));
        QVERIFY(page.heatmap()->cellValue(0, 3) < -0.3); // block 1 against block 4
    }

    void cancels() {
        PersistencePage page;
        page.setSession(planted(false));
        page.formulasBox()->setValue(50000);
        QSignalSpy measured(&page, &PersistencePage::measured);
        page.measure();
        page.cancel();
        QVERIFY(measured.wait(120000));
        QCOMPARE(measured.first().first().toBool(), false);
        QCOMPARE(page.summaryLabel()->text(), QStringLiteral("Measurement cancelled."));
        QVERIFY(!page.report());
        QVERIFY(page.measureButton()->isEnabled());
    }
};

QTEST_MAIN(TestPersistencePage)
#include "tst_persistence_page.moc"

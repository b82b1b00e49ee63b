// GcnSignalPage: trains the GCN baseline in the background on a planted market with the default
// features, shows its metrics per split and a summary naming the graph, hands its scores to the
// backtest, refuses a market without sectors for sector edges with the reason, and cancels.

#include "core/eval/research_session.h"
#include "ui/models/split_metrics_model.h"
#include "ui/panels/gcn_signal_page.h"

#include "tests/support/graph_support.h"

#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest/QtTest>

#include <random>

using namespace alphascope;
using namespace alphascope::ui;

namespace {
std::shared_ptr<const ResearchSession> market(bool sectors) {
    MarketData d = test::plantedBlocks(260, 4, 8, 1.0, 100000, 5);
    const Panel& close = *d.field("close");
    auto high = std::make_shared<Panel>(close), low = std::make_shared<Panel>(close);
    auto volume = std::make_shared<Panel>(close.days(), close.instruments(), 0.0f);
    std::mt19937_64 rng(9);
    std::lognormal_distribution<double> v(13.0, 0.4);
    for (int t = 0; t < close.days(); ++t)
        for (int i = 0; i < close.instruments(); ++i) {
            high->at(t, i) = close.at(t, i) * 1.01f;
            low->at(t, i) = close.at(t, i) * 0.99f;
            volume->at(t, i) = static_cast<float>(v(rng));
        }
    d.fields["high"] = high;
    d.fields["low"] = low;
    d.fields["volume"] = volume;
    if (!sectors) d.groupings.clear();
    SessionSpec spec;
    spec.target = "Ref($close, -5) / $close - 1";
    auto s = makeResearchSession(std::make_shared<const MarketData>(std::move(d)), spec);
    if (!s.ok()) qFatal("%s", s.error().message.c_str());
    return s.value();
}
} // namespace

class TestGcnSignalPage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void trainsAndHandsTheScoresOn() {
        GcnSignalPage page;
        QVERIFY(!page.trainButton()->isEnabled());
        auto session = market(true);
        page.setSession(session);
        QVERIFY(page.trainButton()->isEnabled());
        page.epochsBox()->setValue(2);
        page.hiddenBox()->setValue(8);
        QSignalSpy trained(&page, &GcnSignalPage::trained);
        QTest::mouseClick(page.trainButton(), Qt::LeftButton);
        QVERIFY(page.training());
        QVERIFY(trained.wait(120000));
        QVERIFY2(trained.first().first().toBool(), qPrintable(page.summaryLabel()->text()));
        QVERIFY(page.outcome());
        QCOMPARE(page.metricsModel()->rowCount(), 3); // train, valid, test
        QVERIFY(std::isfinite(page.metricsModel()->metrics()[1].ic));
        QVERIFY(page.summaryLabel()->text().contains(QStringLiteral("sector")));
        QCOMPARE(static_cast<int>(page.outcome()->validIc.size()) >= 1, true);
        page.resize(1100, 360);
        const QString shot = QCoreApplication::applicationDirPath() + QStringLiteral("/tst_gcn_signal_page.png");
        QVERIFY(page.grab().save(shot));
        qInfo("screenshot: %s", qPrintable(shot));
        QSignalSpy backtest(&page, &GcnSignalPage::backtestRequested);
        QVERIFY(page.backtestButton()->isEnabled());
        QTest::mouseClick(page.backtestButton(), Qt::LeftButton);
        QCOMPARE(backtest.count(), 1);
        QVERIFY(backtest.first().first().toString().startsWith(QStringLiteral("GCN (")));
        const PanelPtr scores = backtest.first().at(1).value<PanelPtr>();
        QVERIFY(scores);
        QCOMPARE(scores->days(), session->data->days());
        QCOMPARE(scores->instruments(), session->data->instrumentCount());
        // Same seed, same metrics.
        const double valid = page.metricsModel()->metrics()[1].ic;
        trained.clear();
        page.train();
        QVERIFY(trained.wait(120000));
        QCOMPARE(page.metricsModel()->metrics()[1].ic, valid);
        // A new session drops the result.
        page.setSession(market(true));
        QVERIFY(!page.outcome());
        QVERIFY(!page.backtestButton()->isEnabled());
    }

    void sectorEdgesNeedSectors() {
        GcnSignalPage page;
        page.setSession(market(false));
        page.epochsBox()->setValue(1);
        QSignalSpy trained(&page, &GcnSignalPage::trained);
        page.train();
        QVERIFY(trained.wait(120000));
        QCOMPARE(trained.first().first().toBool(), false);
        QVERIFY2(page.summaryLabel()->text().startsWith(QStringLiteral("Training failed")),
                 qPrintable(page.summaryLabel()->text()));
        QVERIFY(!page.backtestButton()->isEnabled());
    }

    void cancels() {
        GcnSignalPage page;
        page.setSession(market(true));
        page.epochsBox()->setValue(200);
        QSignalSpy trained(&page, &GcnSignalPage::trained);
        page.train();
        page.cancel();
        QVERIFY(trained.wait(120000));
        QCOMPARE(trained.first().first().toBool(), false);
        QCOMPARE(page.summaryLabel()->text(), QStringLiteral("Training cancelled."));
    }
};

QTEST_MAIN(TestGcnSignalPage)
#include "tst_gcn_signal_page.moc"

// MarketGraphPanel on a planted block market: the fit runs in the background and reports, the graph
// shows one dot per active instrument coloured by its recovered block, the spanning tree and the
// threshold graph have the right edges, the time slider moves between windows, the clustermap and
// the cluster table agree with the planted blocks, a click on a dot shows its instrument, the levels
// can be handed on, and a session of the same market keeps the fit while another drops it.

#include "core/eval/research_session.h"
#include "ui/panels/market_graph_panel.h"
#include "ui/views/clustermap_view.h"
#include "ui/views/market_graph_view.h"
#include "ui/views/regime_timeline.h"

#include "tests/support/graph_support.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QtTest/QtTest>

#include <set>

using namespace alphascope;
using namespace alphascope::ui;

namespace {
constexpr int kBlocks = 4, kPer = 6, kDays = 240;

std::shared_ptr<const ResearchSession> plantedSession(int days = kDays) {
    auto data = std::make_shared<MarketData>(test::plantedBlocks(days, kBlocks, kPer, 1.3, 100000, 7));
    data->source = "planted";
    SessionSpec spec;
    spec.target = "Ref($close, -5) / $close - 1";
    auto s = makeResearchSession(data, spec);
    if (!s.ok()) qFatal("%s", s.error().message.c_str());
    return s.value();
}

int block(int instrument) {
    return instrument % kBlocks;
}
} // namespace

class TestMarketGraphPanel : public QObject {
    Q_OBJECT

    std::unique_ptr<MarketGraphPanel> m_panel;
    std::shared_ptr<const ResearchSession> m_session;

    bool waitWindow(int timeoutMs = 20000) {
        QSignalSpy shown(m_panel.get(), &MarketGraphPanel::windowShown);
        return shown.wait(timeoutMs);
    }

private Q_SLOTS:
    void initTestCase() {
        m_session = plantedSession();
        m_panel = std::make_unique<MarketGraphPanel>();
        m_panel->resize(1200, 700);
        m_panel->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
    }

    void fitsInTheBackground() {
        QVERIFY(!m_panel->fitButton()->isEnabled()); // no session yet
        m_panel->setSession(m_session);
        QVERIFY(m_panel->fitButton()->isEnabled());
        m_panel->levelsEdit()->setText(QStringLiteral("4,2"));
        m_panel->windowDaysBox()->setValue(60);
        m_panel->stepBox()->setValue(30);
        QSignalSpy finished(m_panel.get(), &MarketGraphPanel::fitFinished);
        QSignalSpy shown(m_panel.get(), &MarketGraphPanel::windowShown);
        QTest::mouseClick(m_panel->fitButton(), Qt::LeftButton);
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().first().toBool(), true);
        QVERIFY(m_panel->currentFit());
        QVERIFY(!shown.isEmpty() || shown.wait(20000));
        const auto& fit = *m_panel->currentFit();
        QCOMPARE(m_panel->currentWindow(), static_cast<int>(fit.windows.size()) - 1); // the latest window first
        QVERIFY(m_panel->statusLabel()->text().contains(QStringLiteral("h1")));
        QVERIFY(m_panel->useButton()->isEnabled());
        QCOMPARE(m_panel->colorBox()->count(), 3); // h1, h2, sector
    }

    void graphShowsTheBlocks() {
        const GraphWindowOutcome* w = m_panel->windowOutcome();
        QVERIFY(w);
        MarketGraphView* g = m_panel->graphView();
        QCOMPARE(g->nodeCount(), kBlocks * kPer);
        // Minimum spanning tree by default: n - 1 edges.
        QCOMPARE(g->linkCount(), kBlocks * kPer - 1);
        // Coloured by h1: the same colour within a planted block, four colours in all.
        std::set<QRgb> colours;
        for (int a = 0; a < g->nodeCount(); ++a) {
            colours.insert(g->nodeColor(a).rgb());
            for (int b = 0; b < g->nodeCount(); ++b)
                QCOMPARE(g->nodeColor(a) == g->nodeColor(b),
                         block(m_panel->instrumentOfNode(a)) == block(m_panel->instrumentOfNode(b)));
        }
        QCOMPARE(colours.size(), std::size_t(kBlocks));
        // Threshold edges: only inside blocks at rho > 0.45 (within a block rho is about 0.63; between
        // blocks 0 with a standard error of 0.13 over 60 days).
        m_panel->edgesBox()->setCurrentIndex(
            m_panel->edgesBox()->findText(QStringLiteral("Correlation above threshold")));
        m_panel->thresholdSlider()->setValue(45);
        QVERIFY(waitWindow());
        QVERIFY(g->linkCount() > 0);
        for (const graph::Edge& e : m_panel->windowOutcome()->edges) {
            QVERIFY(e.weight > 0.45);
            QCOMPARE(block(m_panel->instrumentOfNode(e.a)), block(m_panel->instrumentOfNode(e.b)));
        }
        // Colour by the sector grouping: also four colours, by block.
        m_panel->colorBox()->setCurrentIndex(m_panel->colorBox()->findText(QStringLiteral("sector")));
        for (int a = 0; a < g->nodeCount(); ++a)
            QCOMPARE(g->nodeColor(a) == g->nodeColor(0),
                     block(m_panel->instrumentOfNode(a)) == block(m_panel->instrumentOfNode(0)));
        m_panel->colorBox()->setCurrentIndex(0);
    }

    void timeSliderMovesBetweenWindows() {
        const auto& fit = *m_panel->currentFit();
        QSignalSpy shown(m_panel.get(), &MarketGraphPanel::windowShown);
        m_panel->timeSlider()->setValue(0);
        QVERIFY(shown.wait(20000));
        QCOMPARE(shown.last().first().toInt(), 0);
        QCOMPARE(m_panel->windowOutcome()->view.end, fit.windows[0].end);
        // Layout stays put: the nodes' positions are aligned to the previous window's.
        QCOMPARE(m_panel->graphView()->nodeCount(), kBlocks * kPer);
    }

    void clustermapAndTableAgreeWithTheBlocks() {
        ClustermapView* map = m_panel->clustermap();
        QCOMPARE(map->rowCount(), kBlocks * kPer);
        // Ward's leaf order puts each block's rows together: block changes kBlocks - 1 times.
        int changes = 0;
        for (int r = 1; r < map->rowCount(); ++r) changes += block(map->dataRow(r)) != block(map->dataRow(r - 1));
        QCOMPARE(changes, kBlocks - 1);
        // Collapsed to h1: one value per pair of clusters, the within-block mean above the others.
        m_panel->collapseBox()->setChecked(true);
        QVERIFY(map->collapsed());
        for (int r = 0; r < map->rowCount(); ++r)
            for (int c = 0; c < map->rowCount(); ++c) {
                const bool same = block(map->dataRow(r)) == block(map->dataRow(c));
                if (same)
                    QCOMPARE(map->shownValue(r, c), map->shownValue(r, r));
                else
                    QVERIFY(map->shownValue(r, c) < map->shownValue(r, r) - 0.3);
            }
        m_panel->collapseBox()->setChecked(false);
        QVERIFY(!map->collapsed());

        QStandardItemModel* model = m_panel->clusterModel();
        QCOMPARE(model->rowCount(), kBlocks);
        int members = 0;
        for (int r = 0; r < model->rowCount(); ++r) {
            members += model->item(r, 1)->data(Qt::DisplayRole).toInt();
            QVERIFY(model->item(r, 4)->text().startsWith(QLatin1Char('B')));   // top sector
            QCOMPARE(model->item(r, 5)->data(Qt::EditRole).toDouble(), 100.0); // all of it
            QVERIFY(model->item(r, 2)->data(Qt::EditRole).toDouble() >
                    model->item(r, 3)->data(Qt::EditRole).toDouble());
        }
        QCOMPARE(members, kBlocks * kPer);
    }

    void timelineAndClicks() {
        RegimeTimeline* t = m_panel->timeline();
        QCOMPARE(t->drawdownGraph()->dataCount(), kDays);
        QVERIFY(t->correlationGraph()->dataCount() == kDays);
        // Click a dot: its instrument's details.
        m_panel->tabs()->setCurrentWidget(m_panel->graphView());
        MarketGraphView* g = m_panel->graphView();
        g->fitInView(g->scene()->sceneRect(), Qt::KeepAspectRatio);
        QApplication::processEvents();
        const int node = 5;
        const QPoint at = g->nodeViewPosition(node);
        QCOMPARE(g->nodeAt(at), node);
        QTest::mouseClick(g->viewport(), Qt::LeftButton, {}, at);
        QCOMPARE(g->selectedNode(), node);
        const QString name = QString::fromStdString(
            m_session->data->instruments[static_cast<std::size_t>(m_panel->instrumentOfNode(node))]);
        QVERIFY2(m_panel->detailLabel()->text().contains(name), qPrintable(m_panel->detailLabel()->text()));
        QVERIFY(m_panel->detailLabel()->text().contains(QStringLiteral("h1 cluster")));
        // A picture of the panel with the selection, to look at.
        const QString shot = QCoreApplication::applicationDirPath() + QStringLiteral("/tst_market_graph_panel.png");
        QVERIFY(m_panel->grab().save(shot));
        qInfo("screenshot: %s", qPrintable(shot));
        // Export of the graph, as SVG and PNG.
        QTemporaryDir dir;
        QString error;
        QVERIFY(g->exportTo(dir.filePath(QStringLiteral("g.svg")), &error));
        QVERIFY(QFile(dir.filePath(QStringLiteral("g.svg"))).size() > 1000);
        QVERIFY(g->exportTo(dir.filePath(QStringLiteral("g.png")), &error));
        QVERIFY(!QImage(dir.filePath(QStringLiteral("g.png"))).isNull());
    }

    void levelsAreHandedOnAndSessionsKeepOrDropTheFit() {
        QSignalSpy use(m_panel.get(), &MarketGraphPanel::useLevelsRequested);
        QTest::mouseClick(m_panel->useButton(), Qt::LeftButton);
        QCOMPARE(use.count(), 1);
        // The same market with the levels added: the fit stays.
        const auto fit = m_panel->currentFit();
        auto withLevels = makeResearchSession(graph::withGroupings(*m_session->data, fit->groupings), m_session->spec);
        QVERIFY(withLevels.ok());
        QVERIFY(withLevels.value()->data->grouping("h1"));
        m_panel->setSession(withLevels.value());
        QCOMPARE(m_panel->currentFit(), fit);
        // Another market: the fit is dropped.
        m_panel->setSession(plantedSession(kDays - 10));
        QVERIFY(!m_panel->currentFit());
        QCOMPARE(m_panel->graphView()->nodeCount(), 0);
        QVERIFY(!m_panel->useButton()->isEnabled());
    }

    void badLevelsAreReported() {
        m_panel->levelsEdit()->setText(QStringLiteral("2,5"));
        QTest::mouseClick(m_panel->fitButton(), Qt::LeftButton);
        QVERIFY(!m_panel->fitting());
        QVERIFY(m_panel->statusLabel()->text().startsWith(QStringLiteral("Levels:")));
        QVERIFY(m_panel->statusLabel()->text().contains(QStringLiteral("fine to coarse")));
    }

    void restoresAFitMadeElsewhere() {
        m_panel->setSession(m_session);
        graph::HierarchyOptions o;
        o.levels = {4};
        auto fit = graph::fitHierarchy(*m_session->data, o);
        QVERIFY(fit.ok());
        QSignalSpy shown(m_panel.get(), &MarketGraphPanel::windowShown);
        m_panel->setFit(std::make_shared<const graph::HierarchyFit>(std::move(fit.value())), QStringLiteral("average"));
        QVERIFY(shown.wait(20000));
        QCOMPARE(m_panel->colorBox()->count(), 2); // h1, sector
        QCOMPARE(m_panel->fitMethod(), QStringLiteral("average"));
    }
};

QTEST_MAIN(TestMarketGraphPanel)
#include "tst_market_graph_panel.moc"

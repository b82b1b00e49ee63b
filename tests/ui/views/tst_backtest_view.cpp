// BacktestView on the bundled sample: a real formula's score is backtested off the GUI thread and
// the table, the plots and the exports show what core's runBacktest gives directly.

#include "core/backtest/backtest.h"
#include "core/data/dataset.h"
#include "core/eval/research_session.h"
#include "ui/models/backtest_stats_model.h"
#include "ui/qcustomplot_include.h"
#include "ui/views/backtest_view.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>

#include <cmath>
#include <memory>
#include <set>

using namespace alphascope;
using alphascope::ui::BacktestStatsModel;
using alphascope::ui::BacktestView;

namespace {

constexpr int kRunTimeoutMs = 60000;
const char* const kFormula = "Div(Sub($close, $open), Sub($high, $low))";

double dateSeconds(Date d) {
    return static_cast<double>(QDateTime(QDate(d.year(), d.month(), d.day()), QTime(0, 0), Qt::UTC).toSecsSinceEpoch());
}

} // namespace

class TestBacktestView : public QObject {
    Q_OBJECT

    std::shared_ptr<const ResearchSession> m_session;
    PanelPtr m_score;
    std::unique_ptr<BacktestView> m_view;

    /// runBacktest called directly with what the view is set to.
    BacktestResult direct(const PanelPtr& score) const {
        auto r = runBacktest(*score, *m_session->data->field("close"), m_view->period(), m_view->config());
        if (!r.ok()) qFatal("%s", r.error().toString().c_str());
        return r.value();
    }

    /// Every cell of the stats model equals `expected`'s statistics, text and value.
    static bool sameStatistics(const BacktestStatsModel& model, const BacktestResult& expected) {
        if (model.rowCount() != BacktestStatsModel::RowCount) return false;
        const Performance* perf[3] = {&expected.portfolio, &expected.benchmark, &expected.excess};
        for (int c = 0; c < 3; ++c)
            for (int r = 0; r < BacktestStatsModel::RowCount; ++r) {
                const auto row = static_cast<BacktestStatsModel::Row>(r);
                const double want = BacktestStatsModel::value(*perf[c], row);
                const QModelIndex index = model.index(r, c);
                const double shown = index.data(BacktestStatsModel::kValueRole).toDouble();
                if (std::isnan(want) ? !std::isnan(shown) : shown != want) return false;
                if (index.data().toString() != BacktestStatsModel::format(row, want)) return false;
            }
        return true;
    }

private Q_SLOTS:
    void initTestCase() {
        auto session = openResearchSession(SessionSpec{bundledSampleSpec()});
        QVERIFY2(session.ok(), session.ok() ? "" : session.error().toString().c_str());
        m_session = session.value();
        auto score = m_session->evaluator->evaluate(kFormula);
        QVERIFY(score.ok());
        m_score = score.value();
        m_view = std::make_unique<BacktestView>();
        m_view->resize(1200, 800);
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
        m_view->setSession(m_session);
    }

    void cleanupTestCase() { m_view.reset(); }

    void offersEachSplitAndAll() {
        const QComboBox* period = m_view->periodBox();
        QCOMPARE(period->count(), int(m_session->splits.size()) + 1);
        QVERIFY(period->itemText(0).startsWith(QStringLiteral("train")));
        QCOMPARE(period->currentText(), QStringLiteral("All splits")); // the default
        QCOMPARE(m_view->period().begin, m_session->splits.front().begin);
        QCOMPARE(m_view->period().end, m_session->splits.back().end);
        QVERIFY(m_view->autoRunBox()->isChecked());
    }

    void runsOnSetScore() {
        QAbstractItemModelTester tester(m_view->statsModel(), QAbstractItemModelTester::FailureReportingMode::Fatal);
        QSignalSpy finished(m_view.get(), &BacktestView::finished);
        QSignalSpy busy(m_view.get(), &BacktestView::busyChanged);
        m_view->setScore(QStringLiteral("intraday position"), m_score);
        QVERIFY(finished.wait(kRunTimeoutMs));
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.first().first().toBool(), true);
        QCOMPARE(busy.count(), 2); // busy, then idle
        QVERIFY(!m_view->isBusy());

        const BacktestResult expected = direct(m_score);
        QVERIFY(sameStatistics(*m_view->statsModel(), expected));
        QCOMPARE(
            m_view->statsModel()->index(BacktestStatsModel::Sharpe, BacktestStatsModel::Portfolio).data().toString(),
            QString::number(expected.portfolio.sharpe, 'f', 3));

        // Four stacked rects on one date axis; one point per reported day in every curve.
        QCustomPlot* plot = m_view->plot();
        QCOMPARE(plot->axisRectCount(), 4);
        QCOMPARE(plot->graphCount(), 5);
        for (QCPAxisRect* rect : plot->axisRects())
            QVERIFY(qSharedPointerDynamicCast<QCPAxisTickerDateTime>(rect->axis(QCPAxis::atBottom)->ticker()));
        const int n = static_cast<int>(expected.days.size());
        for (int g = 0; g < plot->graphCount(); ++g) QCOMPARE(plot->graph(g)->dataCount(), n);
        const auto portfolio = plot->graph(0)->data();
        QCOMPARE(portfolio->constBegin()->key, dateSeconds(m_session->data->calendar[expected.days.front().day]));
        QVERIFY(std::abs((portfolio->constEnd() - 1)->value - expected.portfolio.cumulativeReturn * 100.0) < 1e-9);
        const auto benchmark = plot->graph(1)->data();
        QVERIFY(std::abs((benchmark->constEnd() - 1)->value - expected.benchmark.cumulativeReturn * 100.0) < 1e-9);
        double lowest = 0;
        for (const QCPGraphData& p : *plot->graph(3)->data()) lowest = std::min(lowest, p.value);
        QVERIFY(std::abs(lowest - expected.portfolio.maxDrawdown * 100.0) < 1e-9);
        // The date axes move together.
        plot->axisRect(3)
            ->axis(QCPAxis::atBottom)
            ->setRange(portfolio->constBegin()->key, portfolio->constBegin()->key + 1e7);
        QCOMPARE(plot->axisRect(0)->axis(QCPAxis::atBottom)->range(),
                 plot->axisRect(3)->axis(QCPAxis::atBottom)->range());
    }

    // One row per line, each input beside what it should give:
    // clang-format off
    void followsTheForm_data() {
        QTest::addColumn<int>("strategy");
        QTest::addColumn<int>("periodIndex");
        QTest::newRow("top-k dropout on test") << int(BacktestStrategy::TopkDropout) << 2;
        QTest::newRow("long-short quantile on all") << int(BacktestStrategy::LongShortQuantile) << 3;
        QTest::newRow("long-only top quantile on train") << int(BacktestStrategy::LongOnlyTopQuantile) << 0;
    }
    // clang-format on
    void followsTheForm() {
        QFETCH(int, strategy);
        QFETCH(int, periodIndex);
        m_view->autoRunBox()->setChecked(false);
        BacktestConfig cfg;
        cfg.strategy = static_cast<BacktestStrategy>(strategy);
        cfg.topk = 30;
        cfg.ndrop = 3;
        cfg.quantiles = 10;
        cfg.openCost = 0.0002;
        cfg.closeCost = 0.0012;
        m_view->setConfig(cfg);
        m_view->periodBox()->setCurrentIndex(periodIndex);
        QVERIFY(!m_view->isBusy()); // nothing runs while "Run automatically" is off
        const BacktestConfig shown = m_view->config();
        QCOMPARE(int(shown.strategy), strategy);
        QCOMPARE(shown.topk, 30);
        QCOMPARE(shown.quantiles, 10);
        QVERIFY(std::abs(shown.openCost - 0.0002) < 1e-12 && std::abs(shown.closeCost - 0.0012) < 1e-12);

        QSignalSpy finished(m_view.get(), &BacktestView::finished);
        auto* run = m_view->findChild<QPushButton*>(QStringLiteral("runButton"));
        QVERIFY(run);
        QTest::mouseClick(run, Qt::LeftButton);
        QVERIFY(finished.wait(kRunTimeoutMs));
        QCOMPARE(finished.first().first().toBool(), true);
        QVERIFY(sameStatistics(*m_view->statsModel(), direct(m_score)));
        m_view->autoRunBox()->setChecked(true);
    }

    void aNewerRunSupersedesAnOlder() {
        m_view->periodBox()->setCurrentIndex(m_view->periodBox()->count() - 1);
        m_view->setConfig(BacktestConfig{});
        auto negated = std::make_shared<Panel>(*m_score);
        for (float& v : negated->storage()) v = -v;
        QSignalSpy finished(m_view.get(), &BacktestView::finished);
        m_view->setScore(QStringLiteral("first"), m_score);
        m_view->setScore(QStringLiteral("negated"), negated);
        QVERIFY(finished.wait(kRunTimeoutMs));
        QCOMPARE(finished.count(), 1);
        QCOMPARE(m_view->scoreLabel(), QStringLiteral("negated"));
        QVERIFY(sameStatistics(*m_view->statsModel(), direct(negated)));
        QVERIFY(!sameStatistics(*m_view->statsModel(), direct(m_score)));
    }

    void showsErrors() {
        QSignalSpy finished(m_view.get(), &BacktestView::finished);
        m_view->setScore(QStringLiteral("wrong shape"), std::make_shared<Panel>(10, 3, 1.0f));
        QVERIFY(finished.wait(kRunTimeoutMs));
        QCOMPARE(finished.first().first().toBool(), false);
        QCOMPARE(m_view->statsModel()->rowCount(), 0);
        QCOMPARE(m_view->plot()->graphCount(), 0);
        QVERIFY(m_view->messageLabel()->text().contains(QStringLiteral("b00020"))); // shown as an error
        QVERIFY(!m_view->exportCsv(QDir::temp().filePath(QStringLiteral("none.csv"))));
    }

    void exportsTheSeriesAndTheChart() {
        QSignalSpy finished(m_view.get(), &BacktestView::finished);
        m_view->setScore(QStringLiteral("intraday position"), m_score);
        QVERIFY(finished.wait(kRunTimeoutMs));
        QCOMPARE(finished.first().first().toBool(), true);
        const BacktestResult expected = direct(m_score);

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString csv = dir.filePath(QStringLiteral("series.csv"));
        QVERIFY(m_view->exportCsv(csv));
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
        QStringList lines;
        QTextStream in(&file);
        while (!in.atEnd()) lines << in.readLine();
        QCOMPARE(lines.size(), int(expected.days.size()) + 1);
        QCOMPARE(lines.first(), QStringLiteral("date,return,benchmark,excess,turnover,cost,value,holdings,"
                                               "cumulative_return,benchmark_cumulative,drawdown"));
        const QStringList first = lines[1].split(QLatin1Char(','));
        QCOMPARE(first.size(), 11);
        QCOMPARE(first[0], QString::fromStdString(m_session->data->calendar[expected.days.front().day].toString()));
        QVERIFY(std::abs(first[1].toDouble() - expected.days.front().ret) <=
                1e-11 * std::max(1.0, std::abs(expected.days.front().ret)));
        QCOMPARE(first[7].toInt(), expected.days.front().holdings);
        const QStringList last = lines.last().split(QLatin1Char(','));
        QVERIFY(std::abs(last[8].toDouble() - expected.portfolio.cumulativeReturn) < 1e-9);

        const QString png = dir.filePath(QStringLiteral("chart.png"));
        QVERIFY(m_view->exportPng(png));
        QVERIFY(QFileInfo(png).size() > 0);
        QVERIFY(!QImage(png).isNull());
    }

    void savesAScreenshot() {
        const QString file = QCoreApplication::applicationDirPath() + QStringLiteral("/tst_backtest_view.png");
        const QPixmap shot = m_view->grab();
        QVERIFY(shot.save(file));
        const QImage image(file);
        QCOMPARE(image.size(), m_view->size());
        std::set<QRgb> colours;
        for (int y = 0; y < image.height(); y += 4)
            for (int x = 0; x < image.width(); x += 4) colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 20, qPrintable(QString::number(colours.size())));
        qInfo("screenshot: %s", qPrintable(file));
    }
};

QTEST_MAIN(TestBacktestView)
#include "tst_backtest_view.moc"

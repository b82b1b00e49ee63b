// BacktestStatsModel: a real backtest on the bundled sample, checked cell by cell against core's
// Performance, under QAbstractItemModelTester.

#include "core/backtest/backtest.h"
#include "core/data/dataset.h"
#include "core/eval/research_session.h"
#include "ui/models/backtest_stats_model.h"

#include <QAbstractItemModelTester>
#include <QTest>

#include <cmath>
#include <memory>

using namespace alphascope;
using alphascope::ui::BacktestStatsModel;

class TestBacktestStatsModel : public QObject {
    Q_OBJECT

    std::shared_ptr<const ResearchSession> m_session;
    BacktestResult m_result;

private Q_SLOTS:
    void initTestCase() {
        auto session = openResearchSession(SessionSpec{bundledSampleSpec()});
        QVERIFY2(session.ok(), session.ok() ? "" : session.error().toString().c_str());
        m_session = session.value();
        auto score = m_session->evaluator->evaluate("Div(Sub($close, $open), Sub($high, $low))");
        QVERIFY(score.ok());
        const Split& first = m_session->splits.front();
        const Split& last = m_session->splits.back();
        auto result = runBacktest(*score.value(), *m_session->data->field("close"), DayRange{first.begin, last.end},
                                  BacktestConfig{});
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().toString().c_str());
        m_result = result.value();
        QVERIFY(m_result.days.size() > 500);
    }

    void emptyUntilAResult() {
        BacktestStatsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), 3);
        QVERIFY(!model.hasResult());
        QVERIFY(model.result() == nullptr);
    }

    void showsTheBacktestStatistics() {
        BacktestStatsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.setResult(m_result);
        QCOMPARE(model.rowCount(), int(BacktestStatsModel::RowCount));
        QCOMPARE(model.columnCount(), 3);
        QCOMPARE(model.headerData(BacktestStatsModel::Portfolio, Qt::Horizontal).toString(),
                 QStringLiteral("Portfolio"));
        QCOMPARE(model.headerData(BacktestStatsModel::Excess, Qt::Horizontal).toString(), QStringLiteral("Excess"));
        QCOMPARE(model.headerData(BacktestStatsModel::Sharpe, Qt::Vertical).toString(), QStringLiteral("Sharpe"));

        const Performance* perf[3] = {&m_result.portfolio, &m_result.benchmark, &m_result.excess};
        for (int c = 0; c < 3; ++c) {
            const QModelIndex sharpe = model.index(BacktestStatsModel::Sharpe, c);
            QCOMPARE(sharpe.data().toString(), QString::number(perf[c]->sharpe, 'f', 3));
            QCOMPARE(sharpe.data(BacktestStatsModel::kValueRole).toDouble(), perf[c]->sharpe);
            QCOMPARE(model.index(BacktestStatsModel::CumulativeReturn, c).data().toString(),
                     QString::number(perf[c]->cumulativeReturn * 100.0, 'f', 2) + QLatin1Char('%'));
            QCOMPARE(model.index(BacktestStatsModel::MaxDrawdown, c).data(BacktestStatsModel::kValueRole).toDouble(),
                     perf[c]->maxDrawdown);
            QCOMPARE(model.index(BacktestStatsModel::Days, c).data().toString(), QString::number(m_result.days.size()));
        }
        // Every row reads back the field it names.
        for (int r = 0; r < BacktestStatsModel::RowCount; ++r) {
            const auto row = static_cast<BacktestStatsModel::Row>(r);
            const double expected = BacktestStatsModel::value(m_result.portfolio, row);
            const double shown =
                model.index(r, BacktestStatsModel::Portfolio).data(BacktestStatsModel::kValueRole).toDouble();
            QVERIFY(std::isnan(expected) ? std::isnan(shown) : shown == expected);
        }
        QCOMPARE(model.index(BacktestStatsModel::WinRate, 0).data(BacktestStatsModel::kValueRole).toDouble(),
                 m_result.portfolio.winRate);
        QCOMPARE(model.index(BacktestStatsModel::Turnover, 0).data(BacktestStatsModel::kValueRole).toDouble(),
                 m_result.portfolio.turnover);
        // Only the portfolio trades: the benchmark's turnover is undefined.
        QVERIFY(std::isnan(m_result.benchmark.turnover));
        QCOMPARE(model.index(BacktestStatsModel::Turnover, BacktestStatsModel::Benchmark).data().toString(),
                 QStringLiteral("–"));

        model.clear();
        QCOMPARE(model.rowCount(), 0);
        model.setResult(m_result); // and back, under the tester
        QCOMPARE(model.rowCount(), int(BacktestStatsModel::RowCount));
    }

    // One row per line, each input beside what it should give:
    // clang-format off
    void formatsByKind_data() {
        QTest::addColumn<int>("row");
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("text");
        QTest::newRow("cumulative return as percent") << int(BacktestStatsModel::CumulativeReturn) << 0.12345 << "12.35%";
        QTest::newRow("negative drawdown") << int(BacktestStatsModel::MaxDrawdown) << -0.05 << "-5.00%";
        QTest::newRow("win rate") << int(BacktestStatsModel::WinRate) << 0.5 << "50.00%";
        QTest::newRow("turnover") << int(BacktestStatsModel::Turnover) << 0.0312 << "3.12%";
        QTest::newRow("sharpe as a ratio") << int(BacktestStatsModel::Sharpe) << 1.23456 << "1.235";
        QTest::newRow("calmar") << int(BacktestStatsModel::Calmar) << -0.5 << "-0.500";
        QTest::newRow("days as an integer") << int(BacktestStatsModel::Days) << 1000.0 << "1000";
        QTest::newRow("undefined") << int(BacktestStatsModel::Sortino) << std::nan("") << "–";
        QTest::newRow("infinite") << int(BacktestStatsModel::AnnualReturn) << HUGE_VAL << "–";
    }
    // clang-format on
    void formatsByKind() {
        QFETCH(int, row);
        QFETCH(double, value);
        QFETCH(QString, text);
        QCOMPARE(BacktestStatsModel::format(static_cast<BacktestStatsModel::Row>(row), value), text);
    }
};

QTEST_MAIN(TestBacktestStatsModel)
#include "tst_backtest_stats_model.moc"

// SplitMetricsModel: Qt's model tester, then what each cell shows for known metrics.

#include "ui/models/split_metrics_model.h"

#include <QAbstractItemModelTester>
#include <QColor>
#include <QTest>

#include <cmath>

using namespace alphascope;
using alphascope::ui::SplitMetricsModel;

namespace {
SplitMetrics metrics(const char* name, double ic, double rankIc) {
    SplitMetrics m;
    m.name = name;
    m.first = Date::fromYmd(2015, 1, 2);
    m.last = Date::fromYmd(2017, 12, 29);
    m.days = 753;
    m.icDays = 740;
    m.ic = ic;
    m.rankIc = rankIc;
    m.icir = ic / 0.1;
    m.rankIcir = std::nan("");
    m.coverage = 0.987654;
    m.turnover = 0.25;
    m.autocorrelation = 0.9;
    return m;
}
} // namespace

class TestSplitMetricsModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void passesTheModelTester() {
        SplitMetricsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.setMetrics({metrics("train", 0.05, 0.04), metrics("valid", -0.01, 0.02)});
        model.clear();
        model.setMetrics({metrics("test", 0.03, 0.03)});
        QCOMPARE(model.rowCount(), 1);
    }

    void showsFormattedValues() {
        SplitMetricsModel model;
        model.setMetrics({metrics("train", 0.051234, 0.04), metrics("valid", -0.0123456, 0.02)});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.columnCount(), int(SplitMetricsModel::ColumnCount));
        QCOMPARE(model.headerData(SplitMetricsModel::Ic, Qt::Horizontal).toString(), QStringLiteral("IC"));
        QCOMPARE(model.headerData(SplitMetricsModel::RankIc, Qt::Horizontal).toString(), QStringLiteral("Rank IC"));
        QCOMPARE(model.index(0, SplitMetricsModel::Split).data().toString(), QStringLiteral("train"));
        QCOMPARE(model.index(0, SplitMetricsModel::First).data().toString(), QStringLiteral("2015-01-02"));
        QCOMPARE(model.index(0, SplitMetricsModel::Ic).data().toString(), QStringLiteral("0.0512"));
        QCOMPARE(model.index(1, SplitMetricsModel::Ic).data().toString(), QStringLiteral("-0.0123"));
        QCOMPARE(model.index(0, SplitMetricsModel::IcDays).data().toString(), QStringLiteral("740"));
        QCOMPARE(model.index(0, SplitMetricsModel::Coverage).data().toString(), QStringLiteral("0.988"));
        // Undefined values read as a dash, and the raw value is NaN.
        QCOMPARE(model.index(0, SplitMetricsModel::RankIcir).data().toString(), QStringLiteral("–"));
        QVERIFY(std::isnan(model.index(0, SplitMetricsModel::RankIcir).data(Qt::UserRole).toDouble()));
        // The raw value keeps full precision for sorting and copying.
        QCOMPARE(model.index(1, SplitMetricsModel::Ic).data(Qt::UserRole).toDouble(), -0.0123456);
        // A negative IC is drawn in red, a positive one in the default colour.
        QCOMPARE(model.index(1, SplitMetricsModel::Ic).data(Qt::ForegroundRole).value<QColor>(), QColor(176, 0, 32));
        QVERIFY(!model.index(0, SplitMetricsModel::Ic).data(Qt::ForegroundRole).isValid());
    }
};

QTEST_GUILESS_MAIN(TestSplitMetricsModel)
#include "tst_split_metrics_model.moc"

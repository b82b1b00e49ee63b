// OpenDatasetDialog: what a user types becomes the SessionSpec that is opened; bad input is refused
// with a message and the dialog stays open.

#include "core/data/dataset.h"
#include "ui/dialogs/open_dataset_dialog.h"
#include "ui/settings.h"

#include <QApplication>
#include <QComboBox>
#include <QDateEdit>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QRadioButton>
#include <QStandardPaths>
#include <QTest>

using namespace alphascope;
using alphascope::ui::OpenDatasetDialog;

class TestOpenDatasetDialog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setOrganizationName(QStringLiteral("AlphaScopeTest"));
        QApplication::setApplicationName(QStringLiteral("tst_open_dataset_dialog"));
        ui::RecentDatasets::clear();
    }

    void typedFormBecomesTheSpec() {
        OpenDatasetDialog dialog;
        const DatasetSpec sample = bundledSampleSpec();
        QVERIFY(!sample.path.empty());
        QTest::keyClicks(dialog.pathEdit(), QString::fromStdString(sample.path));
        dialog.targetEdit()->clear();
        QTest::keyClicks(dialog.targetEdit(), QStringLiteral("Ref($close, -5) / $close - 1"));
        QTest::mouseClick(dialog.customSplitsButton(), Qt::LeftButton);
        QVERIFY(dialog.customSplitsButton()->isChecked());
        QVERIFY(dialog.splitEdit(0, false)->isEnabled());
        dialog.splitEdit(2, true)->setDate(QDate(2019, 6, 30));
        QCOMPARE(dialog.validate(), QString());
        const SessionSpec spec = dialog.spec();
        QCOMPARE(spec.dataset.path, sample.path);
        QCOMPARE(spec.dataset.universe, std::string("all"));
        QCOMPARE(spec.target, std::string("Ref($close, -5) / $close - 1"));
        QCOMPARE(spec.splits.size(), std::size_t(3));
        QCOMPARE(spec.splits[0].name, std::string("train"));
        QCOMPARE(spec.splits[0].start.ymd, 20150101);
        QCOMPARE(spec.splits[2].end.ymd, 20190630);
        // A CSV has only the universe "all", so the box is disabled.
        QVERIFY(!dialog.universeBox()->isEnabled());
    }

    // One row per line, each input beside what it should give:
    // clang-format off
    void refusesBadInput_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("target");
        QTest::addColumn<bool>("badDates");
        QTest::addColumn<QString>("expected");
        const QString sample = QString::fromStdString(bundledSampleSpec().path);
        QTest::newRow("no path") << QString() << QStringLiteral("Ref($close,-20)/$close-1") << false << QStringLiteral("Choose a CSV file");
        QTest::newRow("missing file") << QStringLiteral("/nonexistent/x.csv") << QStringLiteral("Ref($close,-20)/$close-1") << false << QStringLiteral("does not exist");
        QTest::newRow("bad target") << sample << QStringLiteral("Ref($close,-20)/") << false << QStringLiteral("Target, column");
        QTest::newRow("overlapping splits") << sample << QStringLiteral("Ref($close,-20)/$close-1") << true << QStringLiteral("must start after");
    }
    // clang-format on
    void refusesBadInput() {
        QFETCH(QString, path);
        QFETCH(QString, target);
        QFETCH(bool, badDates);
        QFETCH(QString, expected);
        OpenDatasetDialog dialog;
        dialog.pathEdit()->setText(path);
        dialog.targetEdit()->setText(target);
        if (badDates) {
            dialog.customSplitsButton()->setChecked(true);
            dialog.splitEdit(1, false)->setDate(QDate(2017, 6, 1)); // valid starts inside train
        }
        dialog.show();
        dialog.accept();
        QVERIFY2(dialog.messageLabel()->text().contains(expected), qPrintable(dialog.messageLabel()->text()));
        QVERIFY(dialog.isVisible()); // still open: nothing was lost
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
    }

    void recentEntryFillsTheForm() {
        SessionSpec spec;
        spec.dataset.path = bundledSampleSpec().path;
        spec.dataset.groupsPath = bundledSampleSpec().groupsPath;
        spec.target = "Ref($close, -10) / $close - 1";
        ui::RecentDatasets::add(spec);
        OpenDatasetDialog dialog;
        QCOMPARE(dialog.recentList()->count(), 1);
        QListWidgetItem* item = dialog.recentList()->item(0);
        const QRect rect = dialog.recentList()->visualItemRect(item);
        dialog.show();
        QTest::mouseClick(dialog.recentList()->viewport(), Qt::LeftButton, {}, rect.center());
        QCOMPARE(dialog.pathEdit()->text(), QString::fromStdString(spec.dataset.path));
        QCOMPARE(dialog.targetEdit()->text(), QStringLiteral("Ref($close, -10) / $close - 1"));
        QVERIFY(!dialog.customSplitsButton()->isChecked());
    }
};

QTEST_MAIN(TestOpenDatasetDialog)
#include "tst_open_dataset_dialog.moc"

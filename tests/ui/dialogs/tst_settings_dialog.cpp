// SettingsDialog: what the user picks is written to the typed settings on OK, and nothing on Cancel.

#include "ui/dialogs/settings_dialog.h"
#include "ui/settings.h"

#include <QApplication>
#include <QComboBox>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTest>

using namespace alphascope::ui;

class TestSettingsDialog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setOrganizationName(QStringLiteral("AlphaScopeTest"));
        QApplication::setApplicationName(QStringLiteral("tst_settings_dialog"));
        QSettings().clear();
    }

    void showsTheCurrentSettings() {
        settings::debounceMs.setValue(450);
        settings::language.setValue(QStringLiteral("zh_CN"));
        SettingsDialog dialog;
        QCOMPARE(dialog.debounceBox()->value(), 450);
        QCOMPARE(dialog.languageBox()->currentData().toString(), QStringLiteral("zh_CN"));
        QCOMPARE(dialog.cacheBox()->value(), settings::cacheMiB.defaultValue);
        settings::language.reset();
    }

    void okWritesTheSettings() {
        SettingsDialog dialog;
        dialog.show();
        dialog.languageBox()->setCurrentIndex(dialog.languageBox()->findData(QStringLiteral("en")));
        dialog.debounceBox()->selectAll();
        QTest::keyClicks(dialog.debounceBox(), QStringLiteral("800"));
        dialog.cacheBox()->setValue(2048);
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(dialog.restartNeeded()); // the language changed
        QCOMPARE(settings::language.value(), QStringLiteral("en"));
        QCOMPARE(settings::debounceMs.value(), 800);
        QCOMPARE(settings::cacheMiB.value(), 2048);
    }

    void cancelWritesNothing() {
        SettingsDialog dialog;
        dialog.show();
        dialog.debounceBox()->setValue(1200);
        dialog.reject();
        QCOMPARE(settings::debounceMs.value(), 800);
        // Accepting without changing the language needs no restart.
        SettingsDialog again;
        again.accept();
        QVERIFY(!again.restartNeeded());
    }
};

QTEST_MAIN(TestSettingsDialog)
#include "tst_settings_dialog.moc"

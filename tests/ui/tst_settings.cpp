// Typed settings: defaults, clamping, and the recent-datasets list (order, de-duplication, limit,
// JSON round trip with custom splits).

#include "ui/settings.h"

#include <QCoreApplication>
#include <QStandardPaths>
#include <QTest>

using namespace alphascope;
using namespace alphascope::ui;

class TestSettings : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("AlphaScopeTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_settings"));
        QSettings().clear();
    }

    void defaultsAndClamping() {
        QCOMPARE(settings::debounceMs.value(), 300);
        settings::debounceMs.setValue(1);
        QCOMPARE(settings::debounceMs.value(), settings::debounceMs.minimum);
        settings::debounceMs.setValue(999999);
        QCOMPARE(settings::debounceMs.value(), settings::debounceMs.maximum);
        settings::debounceMs.setValue(420);
        QCOMPARE(settings::debounceMs.value(), 420);
        // A value written by hand outside the range is clamped on read.
        QSettings().setValue(QLatin1String(settings::cacheMiB.key), 1);
        QCOMPARE(settings::cacheMiB.value(), settings::cacheMiB.minimum);
        QSettings().setValue(QLatin1String(settings::cacheMiB.key), QStringLiteral("not a number"));
        QCOMPARE(settings::cacheMiB.value(), settings::cacheMiB.defaultValue);

        QCOMPARE(settings::language.value(), QString());
        settings::language.setValue(QStringLiteral("zh_CN"));
        QCOMPARE(settings::language.value(), QStringLiteral("zh_CN"));
        settings::language.reset();
        QCOMPARE(settings::language.value(), QString());
    }

    void recentDatasetsRoundTrip() {
        RecentDatasets::clear();
        SessionSpec a;
        a.dataset.path = "/data/a.csv.xz";
        a.dataset.groupsPath = "/data/sectors.csv";
        a.target = "Ref($close, -5) / $close - 1";
        a.splits = {SplitRange{"train", Date::fromYmd(2015, 1, 1), Date::fromYmd(2017, 12, 31)},
                    SplitRange{"valid", Date::fromYmd(2018, 1, 1), Date::fromYmd(2018, 12, 31)},
                    SplitRange{"test", Date::fromYmd(2019, 1, 1), Date::fromYmd(2019, 12, 31)}};
        RecentDatasets::add(a);
        auto list = RecentDatasets::load();
        QCOMPARE(list.size(), std::size_t(1));
        QCOMPARE(list[0].dataset.path, a.dataset.path);
        QCOMPARE(list[0].dataset.groupsPath, a.dataset.groupsPath);
        QCOMPARE(list[0].target, a.target);
        QCOMPARE(list[0].splits.size(), std::size_t(3));
        QCOMPARE(list[0].splits[1].name, std::string("valid"));
        QCOMPARE(list[0].splits[2].end.ymd, 20191231);
        QCOMPARE(RecentDatasets::label(a), QStringLiteral("a.csv.xz (all)"));
    }

    void recentDatasetsOrderAndLimit() {
        RecentDatasets::clear();
        for (int k = 0; k < settings::kMaxRecentDatasets + 3; ++k) {
            SessionSpec s;
            s.dataset.path = "/data/" + std::to_string(k) + ".csv";
            RecentDatasets::add(s);
        }
        auto list = RecentDatasets::load();
        QCOMPARE(static_cast<int>(list.size()), settings::kMaxRecentDatasets);
        QCOMPARE(list.front().dataset.path, std::string("/data/10.csv")); // newest first
        // Re-opening an older one moves it to the front without a duplicate.
        SessionSpec again;
        again.dataset.path = "/data/5.csv";
        RecentDatasets::add(again);
        list = RecentDatasets::load();
        QCOMPARE(list.front().dataset.path, std::string("/data/5.csv"));
        int fives = 0;
        for (const auto& s : list) fives += s.dataset.path == "/data/5.csv";
        QCOMPARE(fives, 1);
        // A corrupt entry is skipped, not fatal.
        QStringList raw = settings::recentDatasets.value();
        raw.prepend(QStringLiteral("{not json"));
        settings::recentDatasets.setValue(raw);
        QCOMPARE(RecentDatasets::load().size(), list.size());
    }
};

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"

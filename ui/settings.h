#pragma once
// Typed settings over QSettings: each key is declared once with its type, default and range
// (the LabPlot/QGIS pattern), so no call site spells a key or a default twice.

#include "core/eval/research_session.h"

#include <QByteArray>
#include <QSettings>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <algorithm>
#include <vector>

namespace alphascope::ui {

/// One setting: its key, type and default.
template <typename T>
struct Setting {
    const char* key;
    T defaultValue;

    T value() const {
        QSettings s;
        const QVariant v = s.value(QLatin1String(key));
        return v.isValid() && v.canConvert<T>() ? v.value<T>() : defaultValue;
    }
    void setValue(const T& v) const { QSettings().setValue(QLatin1String(key), QVariant::fromValue(v)); }
    void reset() const { QSettings().remove(QLatin1String(key)); }
};

/// An integer setting clamped to [minimum, maximum] on read and write.
struct IntSetting {
    const char* key;
    int defaultValue;
    int minimum;
    int maximum;

    int value() const {
        bool ok = false;
        const int v = QSettings().value(QLatin1String(key)).toInt(&ok);
        return ok ? std::clamp(v, minimum, maximum) : defaultValue;
    }
    void setValue(int v) const { QSettings().setValue(QLatin1String(key), std::clamp(v, minimum, maximum)); }
};

namespace settings {
/// User interface language: "" = the system's, "en", "zh_CN". Applied at the next start.
inline const Setting<QString> language{"ui/language", QString()};
inline const Setting<QByteArray> windowGeometry{"mainWindow/geometry", QByteArray()};
inline const Setting<QByteArray> windowState{"mainWindow/state", QByteArray()};
/// The project file opened last (empty: the default project in the user's data directory).
inline const Setting<QString> lastProject{"project/last", QString()};
/// Recently opened datasets, newest first, each a JSON object (see RecentDatasets).
inline const Setting<QStringList> recentDatasets{"data/recent", QStringList()};
/// Milliseconds the lab waits after the last keystroke before it evaluates.
inline const IntSetting debounceMs{"lab/debounceMs", 300, 50, 5000};
/// Sub-expression cache budget of the evaluator, in MiB.
inline const IntSetting cacheMiB{"eval/cacheMiB", 1024, 64, 65536};
/// How many recent datasets are remembered.
inline constexpr int kMaxRecentDatasets = 8;
} // namespace settings

/// The recent-datasets list: SessionSpecs (path, sectors, universe, target, splits) kept in settings.
class RecentDatasets {
public:
    /// Newest first; entries that do not parse are skipped.
    static std::vector<SessionSpec> load();
    /// Puts `spec` first (dropping an older entry with the same path and universe).
    static void add(const SessionSpec& spec);
    static void clear();
    /// A short label, e.g. "prices.csv.xz (all)".
    static QString label(const SessionSpec& spec);
    static QString toJson(const SessionSpec& spec);
    static bool fromJson(const QString& json, SessionSpec* spec);
};

} // namespace alphascope::ui

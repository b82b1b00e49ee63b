#include "ui/settings.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace alphascope::ui {

QString RecentDatasets::toJson(const SessionSpec& spec) {
    QJsonObject o;
    o[QStringLiteral("path")] = QString::fromStdString(spec.dataset.path);
    o[QStringLiteral("groups")] = QString::fromStdString(spec.dataset.groupsPath);
    o[QStringLiteral("universe")] = QString::fromStdString(spec.dataset.universe);
    o[QStringLiteral("target")] = QString::fromStdString(spec.target);
    QJsonArray splits;
    for (const SplitRange& r : spec.splits) {
        QJsonObject s;
        s[QStringLiteral("name")] = QString::fromStdString(r.name);
        s[QStringLiteral("first")] = QString::fromStdString(r.start.toString());
        s[QStringLiteral("last")] = QString::fromStdString(r.end.toString());
        splits.append(s);
    }
    o[QStringLiteral("splits")] = splits;
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

bool RecentDatasets::fromJson(const QString& json, SessionSpec* spec) {
    const QJsonDocument doc = QJsonDocument::fromJson(json.toUtf8());
    if (!doc.isObject()) return false;
    const QJsonObject o = doc.object();
    SessionSpec s;
    s.dataset.path = o.value(QStringLiteral("path")).toString().toStdString();
    if (s.dataset.path.empty()) return false;
    s.dataset.groupsPath = o.value(QStringLiteral("groups")).toString().toStdString();
    s.dataset.universe = o.value(QStringLiteral("universe")).toString(QStringLiteral("all")).toStdString();
    const QString target = o.value(QStringLiteral("target")).toString();
    if (!target.isEmpty()) s.target = target.toStdString();
    for (const QJsonValue& v : o.value(QStringLiteral("splits")).toArray()) {
        const QJsonObject so = v.toObject();
        auto first = parseDate(so.value(QStringLiteral("first")).toString().toStdString());
        auto last = parseDate(so.value(QStringLiteral("last")).toString().toStdString());
        if (!first || !last) return false;
        s.splits.push_back(SplitRange{so.value(QStringLiteral("name")).toString().toStdString(), *first, *last});
    }
    *spec = std::move(s);
    return true;
}

std::vector<SessionSpec> RecentDatasets::load() {
    std::vector<SessionSpec> out;
    for (const QString& json : settings::recentDatasets.value()) {
        SessionSpec s;
        if (fromJson(json, &s)) out.push_back(std::move(s));
    }
    return out;
}

void RecentDatasets::add(const SessionSpec& spec) {
    QStringList list{toJson(spec)};
    for (const SessionSpec& s : load()) {
        if (s.dataset.path == spec.dataset.path && s.dataset.universe == spec.dataset.universe) continue;
        if (list.size() >= settings::kMaxRecentDatasets) break;
        list.append(toJson(s));
    }
    settings::recentDatasets.setValue(list);
}

void RecentDatasets::clear() {
    settings::recentDatasets.reset();
}

QString RecentDatasets::label(const SessionSpec& spec) {
    const QString name = QFileInfo(QString::fromStdString(spec.dataset.path)).fileName();
    return QStringLiteral("%1 (%2)").arg(name, QString::fromStdString(spec.dataset.universe));
}

} // namespace alphascope::ui

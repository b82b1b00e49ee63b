#include "ui/panels/dataset_panel.h"

#include <QHeaderView>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace alphascope::ui {

DatasetPanel::DatasetPanel(QWidget* parent) : QWidget(parent), m_tree(new QTreeWidget(this)) {
    m_tree->setColumnCount(2);
    m_tree->setHeaderLabels({tr("Property"), tr("Value")});
    m_tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_tree->setAlternatingRowColors(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tree);
}

void DatasetPanel::setSession(std::shared_ptr<const ResearchSession> session) {
    m_tree->clear();
    if (!session) return;
    const MarketData& d = *session->data;
    auto add = [this](QTreeWidgetItem* parent, const QString& k, const QString& v) {
        auto* item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(m_tree);
        item->setText(0, k);
        item->setText(1, v);
        item->setToolTip(1, v); // long values (paths, date ranges) are cut by a narrow dock
        item->setToolTip(1, v);
        return item;
    };
    add(nullptr, tr("Source"), QString::fromStdString(d.source));
    add(nullptr, tr("Universe"), QString::fromStdString(d.universe));
    add(nullptr, tr("Instruments"), QString::number(d.instrumentCount()));
    add(nullptr, tr("Days"), QString::number(d.days()));
    if (d.days() > 0)
        add(nullptr, tr("Date range"),
            QStringLiteral("%1 .. %2")
                .arg(QString::fromStdString(d.calendar[0].toString()),
                     QString::fromStdString(d.calendar[d.days() - 1].toString())));
    add(nullptr, tr("Memory"), tr("%1 MB").arg(static_cast<double>(d.bytes()) / 1e6, 0, 'f', 1));
    add(nullptr, tr("Load time"), tr("%1 s").arg(session->loadSeconds, 0, 'f', 2));
    auto* fields = add(nullptr, tr("Fields (coverage)"), QString::number(d.fields.size()));
    for (const auto& f : d.fieldNames()) {
        QString value = QStringLiteral("%1 %").arg(100.0 * d.coverage(f), 0, 'f', 1);
        if (f == "vwap" && d.vwapDerived) value += tr("  (derived: %1)").arg(QString::fromStdString(d.vwapFormula));
        add(fields, QStringLiteral("$") + QString::fromStdString(f), value);
    }
    fields->setExpanded(true);
    auto* groups = add(nullptr, tr("Groupings"), QString::number(d.groupings.size()));
    for (const auto& g : d.groupings)
        add(groups, QString::fromStdString(g.name), tr("%n group(s)", "", g.groupCount()));
    groups->setExpanded(true);
    add(nullptr, tr("Target"), QString::fromStdString(session->target->toString()));
    auto* splits = add(nullptr, tr("Splits"), QString::number(session->splits.size()));
    for (const auto& s : session->splits)
        add(splits, QString::fromStdString(s.name),
            s.days() ? tr("%1 .. %2 (%3 days)")
                           .arg(QString::fromStdString(s.first.toString()), QString::fromStdString(s.last.toString()))
                           .arg(s.days())
                     : tr("empty"));
    splits->setExpanded(true);
    auto* warnings = add(nullptr, tr("Loader warnings"), QString::number(d.warnings.size()));
    for (const auto& w : d.warnings) {
        QString text = QString::fromStdString(w.message);
        if (w.count > 1) text += tr(" (%1 times)").arg(w.count);
        // `where` is "path:line": a full path would widen the key column past the dock and push the
        // values out of sight, so the key shows the file name and the tooltip the whole location.
        const QString where = QString::fromStdString(w.where);
        add(warnings, where.section(QLatin1Char('/'), -1), text)->setToolTip(0, where);
    }
    warnings->setExpanded(d.warnings.size() <= 10);
    if (!session->warnings.empty()) {
        auto* notes = add(nullptr, tr("Target and split notes"), QString::number(session->warnings.size()));
        for (const auto& w : session->warnings) add(notes, QString(), QString::fromStdString(w));
        notes->setExpanded(true);
    }
}

} // namespace alphascope::ui

#include "ui/models/cluster_table_model.h"

#include "ui/util/cluster_colors.h"

#include <algorithm>
#include <cmath>

namespace alphascope::ui {

ClusterTableModel::ClusterTableModel(QObject* parent) : QStandardItemModel(parent) {}

void ClusterTableModel::setClusters(const MarketData& data, const graph::WindowView& view,
                                    const std::vector<graph::ClusterSummary>& clusters, const QString& levelName) {
    clear();
    setHorizontalHeaderLabels({tr("Cluster"), tr("Members"), tr("Intra ρ"), tr("ρ to others"), tr("Top sector"),
                               tr("Sector share"), tr("Window return"), tr("Most central members")});
    const Grouping* sector = data.grouping("sector");
    auto number = [](double v, int decimals) {
        auto* item = new QStandardItem;
        if (std::isfinite(v)) {
            item->setData(v, Qt::EditRole);
            item->setData(QString::number(v, 'f', decimals), Qt::DisplayRole);
        } else {
            item->setData(QStringLiteral("–"), Qt::DisplayRole);
        }
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        return item;
    };
    for (const graph::ClusterSummary& c : clusters) {
        QList<QStandardItem*> row;
        auto* id = new QStandardItem(levelName + QLatin1Char('.') + QString::number(c.id + 1));
        id->setData(clusterColor(c.id), Qt::DecorationRole);
        row << id;
        auto* size = new QStandardItem;
        size->setData(static_cast<int>(c.members.size()), Qt::DisplayRole);
        row << size << number(c.intra, 3) << number(c.outside, 3);
        const QString top = sector && c.topGroup >= 0 && c.topGroup < static_cast<int>(sector->labels.size())
                                ? QString::fromStdString(sector->labels[static_cast<std::size_t>(c.topGroup)])
                                : QStringLiteral("–");
        row << new QStandardItem(top) << number(100 * c.topGroupShare, 0) << number(100 * c.windowReturn, 1);
        QStringList names;
        for (std::size_t k = 0; k < std::min<std::size_t>(6, c.members.size()); ++k)
            names << QString::fromStdString(
                data.instruments[static_cast<std::size_t>(view.active[static_cast<std::size_t>(c.members[k])])]);
        row << new QStandardItem(names.join(QStringLiteral(", ")));
        appendRow(row);
    }
    setHeaderData(5, Qt::Horizontal, tr("Share of the cluster in its top sector (%)"), Qt::ToolTipRole);
    setHeaderData(6, Qt::Horizontal, tr("Mean log return of the members over the window (%)"), Qt::ToolTipRole);
}

} // namespace alphascope::ui

#pragma once
// ClusterTableModel: the clusters of one level in the market graph's window on screen — size, intra
// and outside correlation, top sector and its share, the window's mean return and the most central
// members — as sortable rows (numbers keep their value in the edit role).

#include "core/data/market_data.h"
#include "core/graph/window_view.h"

#include <QStandardItemModel>

#include <vector>

namespace alphascope::ui {

class ClusterTableModel : public QStandardItemModel {
    Q_OBJECT
public:
    explicit ClusterTableModel(QObject* parent = nullptr);

    /// One row per cluster of `clusters` (a level of `view`); the ids read "<levelName>.<id + 1>".
    void setClusters(const MarketData& data, const graph::WindowView& view,
                     const std::vector<graph::ClusterSummary>& clusters, const QString& levelName);
};

} // namespace alphascope::ui

#pragma once
// ClustermapView: the clustermap analysts know — the correlation heat map with its rows and columns
// in the hierarchy's leaf order, the dendrogram beside it, and colour strips (sectors, learned
// levels) between them, so that learned clusters read against sectors. A level can be collapsed:
// each block of two clusters then shows its mean correlation and the dendrogram stops at the cut.

#include "core/graph/hierarchy.h"

#include <Eigen/Core>

#include <QImage>
#include <QStringList>
#include <QVector>
#include <QWidget>

#include <optional>

namespace alphascope::ui {

struct ColorStrip {
    QString name;        ///< "sector", "h1", ...
    QVector<int> colors; ///< clusterColor id per row (data order), -1 = none
};

class ClustermapView : public QWidget {
    Q_OBJECT
public:
    explicit ClustermapView(QWidget* parent = nullptr);

    /// `rho` (n x n), `order` (a permutation of 0..n-1: display row -> data row), the dendrogram
    /// whose leaf order `order` is (nullopt: none is drawn, e.g. a learned hierarchy whose clusters
    /// are not the dendrogram's), the row names and the strips.
    void setData(const Eigen::MatrixXd& rho, const QVector<int>& order,
                 const std::optional<graph::Dendrogram>& dendrogram, const QStringList& names,
                 const QVector<ColorStrip>& strips);
    void showMessage(const QString& message);
    /// Collapses the picture to the clusters of `labels` (per data row; empty: not collapsed):
    /// blocks show mean correlations, the dendrogram only merges above `clusters` clusters.
    void setCollapsed(const QVector<int>& labels, int clusters);

    int rowCount() const { return static_cast<int>(m_order.size()); }
    /// The data row drawn at display row `row`.
    int dataRow(int row) const { return row >= 0 && row < m_order.size() ? m_order[row] : -1; }
    /// The value drawn at display cell (row, column) (the block mean when collapsed).
    double shownValue(int row, int column) const;
    /// The display row under widget position `pos`, or -1.
    int rowAt(const QPoint& pos) const;
    bool collapsed() const { return !m_collapse.isEmpty(); }
    QString message() const { return m_message; }
    QSize sizeHint() const override { return {640, 520}; }

Q_SIGNALS:
    /// A row was clicked: its data row.
    void rowClicked(int dataRow);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;

private:
    struct Geometry {
        QRectF dendrogram, strips, heat, scale;
        double cell = 0;
    };
    Geometry geometry() const;
    void rebuildImage();

    Eigen::MatrixXd m_rho;
    QVector<int> m_order;
    std::optional<graph::Dendrogram> m_dendrogram;
    QStringList m_names;
    QVector<ColorStrip> m_strips;
    QVector<int> m_collapse;
    int m_collapseClusters = 0;
    Eigen::MatrixXd m_shown; ///< display order
    QImage m_image;
    QString m_message;
};

} // namespace alphascope::ui

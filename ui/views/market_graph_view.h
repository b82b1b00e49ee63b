#pragma once
// MarketGraphView: the market as a graph — one dot per instrument at its Graphviz position,
// coloured by cluster and sized by a weight, edges drawn with an opacity that follows the
// correlation. Wheel to zoom, drag to pan, click a dot to select its instrument.

#include <QGraphicsView>
#include <QPointF>
#include <QString>
#include <QVector>

class QGraphicsEllipseItem;
class QGraphicsSimpleTextItem;

namespace alphascope::ui {

struct GraphNode {
    QPointF position; ///< Graphviz's coordinates (points, y up)
    QString name;     ///< drawn beside the dot when `labelled`
    QString toolTip;
    int color = -1;  ///< cluster id (clusterColor), -1 = none
    double size = 6; ///< diameter in pixels
    bool labelled = false;
};

struct GraphLink {
    int a = 0, b = 0;
    double weight = 0; ///< |rho| in [0, 1]: the line's opacity
};

class MarketGraphView : public QGraphicsView {
    Q_OBJECT
public:
    explicit MarketGraphView(QWidget* parent = nullptr);

    /// Replaces the picture; the view is fitted to it when `fit` (else zoom and centre stay).
    void setGraph(const QVector<GraphNode>& nodes, const QVector<GraphLink>& links, bool fit);
    /// Recolours and resizes the dots (same nodes as the last setGraph).
    void restyle(const QVector<GraphNode>& nodes);
    /// Shows `message` instead of a graph.
    void showMessage(const QString& message);
    /// Rings node `node` (-1: none) and keeps it in view.
    void setSelectedNode(int node);
    int selectedNode() const { return m_selected; }

    int nodeCount() const { return static_cast<int>(m_dots.size()); }
    int linkCount() const { return m_links; }
    QColor nodeColor(int node) const;
    double nodeSize(int node) const;
    QString message() const { return m_message; }
    /// The node whose dot is under `viewPos`, or -1.
    int nodeAt(const QPoint& viewPos) const;
    /// Where node `node`'s dot is drawn, in view coordinates.
    QPoint nodeViewPosition(int node) const;
    /// Writes the picture as SVG (".svg") or an image (".png", ...); false with `error` set.
    bool exportTo(const QString& path, QString* error);

Q_SIGNALS:
    void nodeClicked(int node);

protected:
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void styleDot(int node, const GraphNode& spec);

    QVector<QGraphicsEllipseItem*> m_dots;
    QVector<QGraphicsSimpleTextItem*> m_labels;
    QVector<bool> m_labelled; ///< the node's ticker is shown without being selected
    QGraphicsEllipseItem* m_ring = nullptr;
    int m_links = 0;
    int m_selected = -1;
    bool m_autoFit = true; ///< fit the picture to the view on resize (until the user zooms)
    QString m_message;
};

} // namespace alphascope::ui

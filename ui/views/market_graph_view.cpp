#include "ui/views/market_graph_view.h"

#include "ui/util/cluster_colors.h"

#include <QFileInfo>
#include <QGraphicsEllipseItem>
#include <QGraphicsLineItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QImage>
#include <QMouseEvent>
#include <QPainter>
#include <QSvgGenerator>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace alphascope::ui {

namespace {
constexpr int kNodeIndex = 0; // QGraphicsItem::data key holding the node's index
}

MarketGraphView::MarketGraphView(QWidget* parent) : QGraphicsView(parent) {
    setObjectName(QStringLiteral("MarketGraphView"));
    setScene(new QGraphicsScene(this));
    setRenderHint(QPainter::Antialiasing);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setBackgroundBrush(Qt::white);
    setMinimumSize(320, 240);
}

void MarketGraphView::showMessage(const QString& message) {
    scene()->clear();
    m_dots.clear();
    m_labels.clear();
    m_labelled.clear();
    m_ring = nullptr;
    m_links = 0;
    m_selected = -1;
    m_message = message;
    auto* text = scene()->addSimpleText(message);
    text->setBrush(QColor(110, 110, 110));
    scene()->setSceneRect(text->boundingRect().adjusted(-20, -20, 20, 20));
    resetTransform();
    centerOn(text);
}

void MarketGraphView::styleDot(int node, const GraphNode& spec) {
    QGraphicsEllipseItem* dot = m_dots[node];
    const double d = std::max(2.0, spec.size);
    dot->setRect(-d / 2, -d / 2, d, d);
    dot->setBrush(clusterColor(spec.color));
    dot->setToolTip(spec.toolTip);
    QGraphicsSimpleTextItem* label = m_labels[node];
    label->setText(spec.name);
    m_labelled[node] = spec.labelled;
    label->setVisible(spec.labelled || node == m_selected);
    label->setPos(spec.position.x(), -spec.position.y());
    label->setTransform(QTransform::fromTranslate(d / 2 + 1, -label->boundingRect().height() / 2));
}

void MarketGraphView::setGraph(const QVector<GraphNode>& nodes, const QVector<GraphLink>& links, bool fit) {
    const QTransform zoom = transform();
    const QPointF centre = mapToScene(viewport()->rect().center());
    scene()->clear();
    m_dots.clear();
    m_labels.clear();
    m_labelled.clear();
    m_ring = nullptr;
    m_message.clear();
    m_links = 0;
    const int previous = m_selected;
    m_selected = -1;
    for (const GraphLink& l : links) {
        if (l.a < 0 || l.b < 0 || l.a >= nodes.size() || l.b >= nodes.size()) continue;
        const QPointF a(nodes[l.a].position.x(), -nodes[l.a].position.y());
        const QPointF b(nodes[l.b].position.x(), -nodes[l.b].position.y());
        const double w = std::isfinite(l.weight) ? std::clamp(std::abs(l.weight), 0.0, 1.0) : 0.0;
        QPen pen(QColor(60, 60, 60, static_cast<int>(25 + 140 * w)));
        pen.setCosmetic(true);
        pen.setWidthF(0.6 + 0.8 * w);
        scene()->addLine(QLineF(a, b), pen)->setZValue(0);
        ++m_links;
    }
    QFont labelFont = font();
    labelFont.setPointSizeF(std::max(6.0, font().pointSizeF() - 1.5));
    for (int i = 0; i < nodes.size(); ++i) {
        auto* dot = scene()->addEllipse(QRectF(), QPen(QColor(255, 255, 255), 0.8));
        dot->setPos(nodes[i].position.x(), -nodes[i].position.y());
        dot->setFlag(QGraphicsItem::ItemIgnoresTransformations); // dots keep their size when zoomed
        dot->setData(kNodeIndex, i);
        dot->setZValue(1);
        auto* label = scene()->addSimpleText(nodes[i].name, labelFont);
        label->setFlag(QGraphicsItem::ItemIgnoresTransformations);
        label->setBrush(QColor(40, 40, 40));
        label->setZValue(2);
        m_dots.push_back(dot);
        m_labels.push_back(label);
        m_labelled.push_back(false);
        styleDot(i, nodes[i]);
    }
    const QRectF bounds = scene()->itemsBoundingRect().adjusted(-30, -30, 30, 30);
    scene()->setSceneRect(bounds);
    if (fit || previous < 0) {
        resetTransform();
        fitInView(bounds, Qt::KeepAspectRatio);
        m_autoFit = true;
    } else {
        setTransform(zoom);
        centerOn(centre);
    }
    if (previous >= 0 && previous < nodes.size()) setSelectedNode(previous);
}

void MarketGraphView::restyle(const QVector<GraphNode>& nodes) {
    if (nodes.size() != m_dots.size()) return;
    for (int i = 0; i < nodes.size(); ++i) styleDot(i, nodes[i]);
    setSelectedNode(m_selected);
}

void MarketGraphView::setSelectedNode(int node) {
    if (m_ring) {
        scene()->removeItem(m_ring);
        delete m_ring;
        m_ring = nullptr;
    }
    if (m_selected >= 0 && m_selected < m_labels.size()) m_labels[m_selected]->setVisible(m_labelled[m_selected]);
    m_selected = node >= 0 && node < m_dots.size() ? node : -1;
    if (m_selected < 0) return;
    const QRectF r = m_dots[m_selected]->rect().adjusted(-4, -4, 4, 4);
    m_ring = scene()->addEllipse(r, QPen(QColor(20, 20, 20), 2), Qt::NoBrush);
    m_ring->setFlag(QGraphicsItem::ItemIgnoresTransformations);
    m_ring->setPos(m_dots[m_selected]->pos());
    m_ring->setZValue(3);
    m_labels[m_selected]->setVisible(true);
    ensureVisible(QRectF(m_ring->pos(), QSizeF(1, 1)), 40, 40);
}

QColor MarketGraphView::nodeColor(int node) const {
    return node >= 0 && node < m_dots.size() ? m_dots[node]->brush().color() : QColor();
}

double MarketGraphView::nodeSize(int node) const {
    return node >= 0 && node < m_dots.size() ? m_dots[node]->rect().width() : 0.0;
}

int MarketGraphView::nodeAt(const QPoint& viewPos) const {
    for (QGraphicsItem* item : items(viewPos)) {
        const QVariant index = item->data(kNodeIndex);
        if (index.isValid()) return index.toInt();
    }
    return -1;
}

QPoint MarketGraphView::nodeViewPosition(int node) const {
    return node >= 0 && node < m_dots.size() ? mapFromScene(m_dots[node]->pos()) : QPoint();
}

void MarketGraphView::resizeEvent(QResizeEvent* event) {
    QGraphicsView::resizeEvent(event);
    // Until the user zooms, the picture follows the view's size (e.g. a dock shown for the first time).
    if (m_autoFit && !m_dots.isEmpty()) fitInView(scene()->sceneRect(), Qt::KeepAspectRatio);
}

void MarketGraphView::wheelEvent(QWheelEvent* event) {
    m_autoFit = false;
    const double factor = std::pow(1.0015, event->angleDelta().y());
    scale(factor, factor);
    event->accept();
}

void MarketGraphView::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton) {
        const int node = nodeAt(event->position().toPoint());
        if (node >= 0) {
            setSelectedNode(node);
            Q_EMIT nodeClicked(node);
            event->accept();
            return;
        }
    }
    QGraphicsView::mousePressEvent(event);
}

bool MarketGraphView::exportTo(const QString& path, QString* error) {
    // Dots and labels ignore the view's zoom: render the scene as the user sees it (the visible
    // viewport's transform) so that they keep their proportions in the file.
    const QSize size = viewport()->size();
    if (QFileInfo(path).suffix().compare(QLatin1String("svg"), Qt::CaseInsensitive) == 0) {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(size);
        svg.setViewBox(QRect(QPoint(0, 0), size));
        svg.setTitle(QStringLiteral("AlphaScope market graph"));
        QPainter painter;
        if (!painter.begin(&svg)) {
            if (error) *error = tr("Cannot write %1").arg(path);
            return false;
        }
        render(&painter, QRectF(QPointF(0, 0), size), viewport()->rect());
        painter.end();
        return true;
    }
    QImage image(size * 2, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(2);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    render(&painter, QRectF(QPointF(0, 0), size), viewport()->rect());
    painter.end();
    if (!image.save(path)) {
        if (error) *error = tr("Cannot write %1").arg(path);
        return false;
    }
    return true;
}

} // namespace alphascope::ui

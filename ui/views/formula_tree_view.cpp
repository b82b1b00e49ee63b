#include "ui/views/formula_tree_view.h"

#include "core/expr/operator_registry.h"
#include "ui/util/dimension_text.h"
#include "ui/views/formula_tree_items.h"

#include <QApplication>
#include <QFileInfo>
#include <QGraphicsLineItem>
#include <QGraphicsScene>
#include <QGraphicsTextItem>
#include <QImage>
#include <QKeyEvent>
#include <QPainter>
#include <QSvgGenerator>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <functional>

namespace alphascope::ui {

using formula_tree::kPadX;
using formula_tree::kPadY;
using formula_tree::LegendStrip;
using formula_tree::NodeItem;
using formula_tree::smallFont;

namespace {

constexpr double kSiblingGap = 14; // px between neighbouring sub-trees
constexpr double kLevelGap = 34;   // px between a parent's bottom and its children's top
constexpr double kMargin = 16;     // px around the tree in exports and in the scene rect
constexpr double kMinScale = 0.05, kMaxScale = 8.0;
constexpr double kWheelStep = 1.0015; // zoom factor per 1/8 degree of wheel (a notch of 120 -> ~1.2x)
constexpr double kKeyStep = 1.25;
const QColor kEdgeColor(0x8a, 0x8a, 0x8a);

QString labelOf(const Expr& e) {
    switch (e.kind()) {
    case Expr::Kind::Feature: return QLatin1Char('$') + QString::fromStdString(e.name());
    case Expr::Kind::Constant: return QString::fromStdString(formatConstant(e.value()));
    case Expr::Kind::Operator: break;
    }
    const OperatorSpec& spec = operatorSpec(e.opId());
    QString label = QString::fromUtf8(spec.name.data(), static_cast<qsizetype>(spec.name.size()));
    if (spec.hasWindow) label += QStringLiteral(" %1d").arg(e.window());
    if (spec.hasGroup || spec.hasInstrument) label += QStringLiteral(" · ") + QString::fromStdString(e.name());
    if (spec.hasParameter) label += QStringLiteral(" q=") + QString::fromStdString(formatConstant(e.parameter()));
    return label;
}

} // namespace

FormulaTreeView::FormulaTreeView(QWidget* parent)
    : QGraphicsView(parent), m_scene(new QGraphicsScene(this)), m_legend(new LegendStrip(this)) {
    setScene(m_scene);
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setDragMode(QGraphicsView::ScrollHandDrag);
    // Panning is by drag and zoom by wheel; hidden scroll bars keep the fitted scale independent of
    // whether they would be needed (they still scroll).
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setResizeAnchor(QGraphicsView::AnchorViewCenter);
    setBackgroundBrush(palette().color(QPalette::Base));
    setFocusPolicy(Qt::StrongFocus);
    // On the legend rather than the view, so that it does not pop up over every empty spot.
    m_legend->setToolTip(tr("Click a node to see its metrics and its text; wheel or Ctrl+= / Ctrl+- to zoom, "
                            "Ctrl+0 to fit, drag to pan."));
    placeLegend();
}

void FormulaTreeView::clear() {
    m_scene->clear();
    m_nodes.clear();
    m_message.clear();
    m_formula.clear();
    m_selected = -1;
    m_pressNode = -1;
    m_scene->setSceneRect(QRectF());
}

void FormulaTreeView::setFormula(const QString& text, const ParseOptions& options) {
    clear();
    m_formula = text;
    if (text.trimmed().isEmpty()) return;
    const QByteArray utf8 = text.toUtf8();
    SourceMap spans;
    auto parsed =
        parseFormula(std::string_view(utf8.constData(), static_cast<std::size_t>(utf8.size())), options, &spans);
    if (!parsed.ok()) {
        const Error& e = parsed.error();
        const QString msg = QString::fromStdString(e.message);
        m_message = e.column > 0 ? tr("No tree: column %1: %2").arg(e.column).arg(msg) : tr("No tree: %1").arg(msg);
        auto* item = m_scene->addText(m_message, font());
        item->setDefaultTextColor(QColor(0xb0, 0x00, 0x20));
        item->setTextWidth(std::max(240, viewport()->width() - 40));
        m_scene->setSceneRect(item->boundingRect().adjusted(-kMargin, -kMargin, kMargin, kMargin));
        resetTransform();
        centerOn(item->boundingRect().center());
        return;
    }
    buildNodes(parsed.value(), spans, utf8);
    layoutNodes();
    createItems();
    m_autoFit = true;
    fitToView();
}

void FormulaTreeView::buildNodes(const ExprPtr& root, const SourceMap& spans, const QByteArray& utf8) {
    auto charOffset = [&](std::size_t byte) {
        const qsizetype b = std::min<qsizetype>(static_cast<qsizetype>(byte), utf8.size());
        return static_cast<int>(QString::fromUtf8(utf8.constData(), b).size());
    };
    // Violations found in a sub-tree; a node breaks a rule itself when it has more than its children.
    std::function<int(const ExprPtr&, int)> visit = [&](const ExprPtr& e, int parent) -> int {
        const int index = static_cast<int>(m_nodes.size());
        m_nodes.push_back({});
        const DimensionReport report = inferDimension(*e);
        {
            Node& n = m_nodes.back();
            n.expr = e;
            n.label = labelOf(*e);
            n.dimension = report.dimension;
            n.parent = parent;
            if (auto it = spans.find(e.get()); it != spans.end()) {
                n.begin = charOffset(it->second.begin);
                n.end = charOffset(it->second.end);
            }
        }
        std::size_t childViolations = 0;
        for (const ExprPtr& a : e->args()) {
            const int child = visit(a, index);
            m_nodes[static_cast<std::size_t>(index)].children.push_back(child);
            childViolations += inferDimension(*a).violations.size();
        }
        Node& n = m_nodes[static_cast<std::size_t>(index)];
        if (report.violations.size() > childViolations) {
            n.violation = true;
            n.why = QString::fromStdString(report.violations.back()); // infer reports a node after its arguments
        }
        return index;
    };
    visit(root, -1);
}

void FormulaTreeView::layoutNodes() {
    const QFontMetricsF fm(font());
    const QFontMetricsF small(smallFont(font()));
    const double height = kPadY * 2 + fm.height() + small.height();
    for (Node& n : m_nodes) {
        const double w = std::max(fm.horizontalAdvance(n.label), small.horizontalAdvance(dimensionText(n.dimension)));
        n.size = QSizeF(std::max(w + 2 * kPadX, height * 1.4), height);
    }
    // Width each sub-tree needs: children side by side, or the node itself if wider (post-order).
    std::vector<double> span(m_nodes.size());
    for (std::size_t k = m_nodes.size(); k-- > 0;) {
        const Node& n = m_nodes[k];
        double children = 0;
        for (int c : n.children) children += span[static_cast<std::size_t>(c)];
        if (!n.children.empty()) children += kSiblingGap * static_cast<double>(n.children.size() - 1);
        span[k] = std::max(n.size.width(), children);
    }
    // Children centred in their parent's span, parents centred over their children.
    std::function<void(int, double, int)> place = [&](int i, double left, int depth) {
        Node& n = m_nodes[static_cast<std::size_t>(i)];
        const double total = span[static_cast<std::size_t>(i)];
        n.center.setY(depth * (height + kLevelGap) + height / 2);
        if (n.children.empty()) {
            n.center.setX(left + total / 2);
            return;
        }
        double block = kSiblingGap * static_cast<double>(n.children.size() - 1);
        for (int c : n.children) block += span[static_cast<std::size_t>(c)];
        double x = left + (total - block) / 2;
        for (int c : n.children) {
            place(c, x, depth + 1);
            x += span[static_cast<std::size_t>(c)] + kSiblingGap;
        }
        const Node& first = m_nodes[static_cast<std::size_t>(n.children.front())];
        const Node& last = m_nodes[static_cast<std::size_t>(n.children.back())];
        const double half = n.size.width() / 2;
        n.center.setX(std::clamp((first.center.x() + last.center.x()) / 2, left + half, left + total - half));
    };
    if (!m_nodes.empty()) place(0, 0, 0);
}

void FormulaTreeView::createItems() {
    for (const Node& n : m_nodes) {
        if (n.parent < 0) continue;
        const Node& p = m_nodes[static_cast<std::size_t>(n.parent)];
        auto* edge = m_scene->addLine(
            QLineF(p.center.x(), p.center.y() + p.size.height() / 2, n.center.x(), n.center.y() - n.size.height() / 2),
            QPen(kEdgeColor, 1.2));
        edge->setZValue(-1);
    }
    for (std::size_t k = 0; k < m_nodes.size(); ++k) {
        Node& n = m_nodes[k];
        auto* item = new NodeItem(n, font());
        item->setPos(n.center);
        QString tip = QString::fromStdString(n.expr->toString()) + QLatin1Char('\n') +
                      tr("Dimension: %1").arg(dimensionText(n.dimension));
        if (n.violation) tip += QLatin1Char('\n') + n.why;
        item->setToolTip(tip);
        item->setCursor(Qt::PointingHandCursor);
        item->setData(0, static_cast<int>(k));
        m_scene->addItem(item);
        n.item = item;
    }
    m_scene->setSceneRect(m_scene->itemsBoundingRect().adjusted(-kMargin, -kMargin, kMargin, kMargin));
}

QStringList FormulaTreeView::nodeLabels() const {
    QStringList labels;
    for (const Node& n : m_nodes) labels << n.label;
    return labels;
}

int FormulaTreeView::nodeAt(const QPoint& viewportPos) const {
    for (QGraphicsItem* item : items(viewportPos)) {
        const QVariant v = item->data(0);
        if (v.isValid()) return v.toInt();
    }
    return -1;
}

void FormulaTreeView::selectNode(int preorderIndex) {
    if (preorderIndex < -1 || preorderIndex >= nodeCount()) preorderIndex = -1;
    if (m_selected >= 0) static_cast<NodeItem*>(m_nodes[static_cast<std::size_t>(m_selected)].item)->setSelected(false);
    m_selected = preorderIndex;
    if (m_selected < 0) return;
    const Node& n = m_nodes[static_cast<std::size_t>(m_selected)];
    static_cast<NodeItem*>(n.item)->setSelected(true);
    ensureVisible(n.item, 20, 20);
}

QColor FormulaTreeView::dimensionColor(DimensionClass c) {
    // Light fills so that dark text stays readable; hues far apart for the common units.
    switch (c) {
    case DimensionClass::Price: return QColor(0xc6, 0xdc, 0xf7);
    case DimensionClass::Volume: return QColor(0xcd, 0xeb, 0xc5);
    case DimensionClass::PriceVolume: return QColor(0xfb, 0xdc, 0xb0);
    case DimensionClass::Dimensionless: return QColor(0xec, 0xec, 0xec);
    case DimensionClass::Other: return QColor(0xe4, 0xd3, 0xf2);
    }
    return Qt::white;
}

FormulaTreeView::DimensionClass FormulaTreeView::classify(const Dimension& d) {
    if (!d.known) return DimensionClass::Other;
    if (d.price == 0 && d.volume == 0) return DimensionClass::Dimensionless;
    if (d.price == 1 && d.volume == 0) return DimensionClass::Price;
    if (d.price == 0 && d.volume == 1) return DimensionClass::Volume;
    if (d.price == 1 && d.volume == 1) return DimensionClass::PriceVolume;
    return DimensionClass::Other;
}

QColor FormulaTreeView::violationColor() {
    return QColor(0xd3, 0x2f, 0x2f);
}

void FormulaTreeView::scaleBy(double factor) {
    const double current = transform().m11();
    const double target = std::clamp(current * factor, kMinScale, kMaxScale);
    if (current <= 0 || target == current) return;
    scale(target / current, target / current);
    m_autoFit = false;
}

void FormulaTreeView::zoomIn() {
    const ViewportAnchor anchor = transformationAnchor();
    setTransformationAnchor(AnchorViewCenter);
    scaleBy(kKeyStep);
    setTransformationAnchor(anchor);
}

void FormulaTreeView::zoomOut() {
    const ViewportAnchor anchor = transformationAnchor();
    setTransformationAnchor(AnchorViewCenter);
    scaleBy(1.0 / kKeyStep);
    setTransformationAnchor(anchor);
}

void FormulaTreeView::fitToView() {
    m_autoFit = true;
    const QRectF r = m_scene->sceneRect();
    resetTransform();
    if (r.isEmpty() || viewport()->width() <= 0 || viewport()->height() <= 0) return;
    const double s = std::min({viewport()->width() / r.width(), viewport()->height() / r.height(), 1.0});
    scale(s, s);
    centerOn(r.center());
}

void FormulaTreeView::wheelEvent(QWheelEvent* event) {
    const double steps = event->angleDelta().y();
    if (steps == 0) {
        QGraphicsView::wheelEvent(event);
        return;
    }
    scaleBy(std::pow(kWheelStep, steps)); // anchored under the mouse (transformationAnchor)
    event->accept();
}

void FormulaTreeView::keyPressEvent(QKeyEvent* event) {
    const bool ctrl = event->modifiers() & Qt::ControlModifier;
    if (event->matches(QKeySequence::ZoomIn) ||
        (ctrl && (event->key() == Qt::Key_Equal || event->key() == Qt::Key_Plus))) {
        zoomIn();
    } else if (event->matches(QKeySequence::ZoomOut) || (ctrl && event->key() == Qt::Key_Minus)) {
        zoomOut();
    } else if (ctrl && event->key() == Qt::Key_0) {
        fitToView();
    } else {
        QGraphicsView::keyPressEvent(event);
        return;
    }
    event->accept();
}

void FormulaTreeView::mousePressEvent(QMouseEvent* event) {
    m_pressNode = event->button() == Qt::LeftButton ? nodeAt(event->pos()) : -1;
    m_pressPos = event->pos();
    QGraphicsView::mousePressEvent(event); // starts hand-drag panning
}

void FormulaTreeView::mouseReleaseEvent(QMouseEvent* event) {
    QGraphicsView::mouseReleaseEvent(event);
    // A click, not the end of a pan.
    if (event->button() != Qt::LeftButton || m_pressNode < 0) return;
    const int node = nodeAt(event->pos());
    const bool moved = (event->pos() - m_pressPos).manhattanLength() >= QApplication::startDragDistance();
    if (node != m_pressNode || moved) return;
    m_pressNode = -1;
    selectNode(node);
    const Node& n = m_nodes[static_cast<std::size_t>(node)];
    Q_EMIT nodeActivated(QString::fromStdString(n.expr->toString()), n.begin, n.end);
}

void FormulaTreeView::resizeEvent(QResizeEvent* event) {
    placeLegend();
    QGraphicsView::resizeEvent(event);
    if (m_autoFit && !m_nodes.empty()) fitToView();
}

void FormulaTreeView::placeLegend() {
    const int fw = frameWidth();
    const int w = width() - 2 * fw;
    const int h = m_legend->heightForWidth(w);
    setViewportMargins(0, h, 0, 0);
    m_legend->setGeometry(fw, fw, w, h);
}

QSizeF FormulaTreeView::exportSize() const {
    const QRectF tree = m_scene->sceneRect();
    const double width = std::max(tree.width(), 320.0);
    const double legend = formula_tree::legendHeight(width - 2 * kMargin, smallFont(font())) + kMargin;
    return {width, legend + tree.height()};
}

void FormulaTreeView::renderExport(QPainter* painter) const {
    const QSizeF size = exportSize();
    const QRectF tree = m_scene->sceneRect();
    painter->fillRect(QRectF(QPointF(0, 0), size), Qt::white);
    const double legend = size.height() - tree.height();
    formula_tree::paintLegend(painter, QRectF(kMargin, kMargin, size.width() - 2 * kMargin, legend - kMargin),
                              smallFont(font()), QColor(0x33, 0x33, 0x33));
    const QRectF target((size.width() - tree.width()) / 2, legend, tree.width(), tree.height());
    m_scene->render(painter, target, tree);
}

bool FormulaTreeView::exportPng(const QString& path) const {
    const QSizeF size = exportSize();
    QImage image((size * 2).toSize(), QImage::Format_ARGB32_Premultiplied);
    if (image.isNull()) return false;
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing | QPainter::SmoothPixmapTransform);
    painter.scale(2, 2); // twice the screen resolution, for slides and papers
    renderExport(&painter);
    painter.end();
    return image.save(path, "PNG");
}

bool FormulaTreeView::exportSvg(const QString& path) const {
    const QSizeF size = exportSize();
    QSvgGenerator generator;
    generator.setFileName(path);
    generator.setSize(size.toSize());
    generator.setViewBox(QRectF(QPointF(0, 0), size));
    generator.setTitle(tr("Formula tree"));
    generator.setDescription(m_formula);
    QPainter painter;
    if (!painter.begin(&generator)) return false;
    painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    renderExport(&painter);
    if (!painter.end()) return false;
    return QFileInfo(path).size() > 0;
}

} // namespace alphascope::ui

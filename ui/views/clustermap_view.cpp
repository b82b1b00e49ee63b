#include "ui/views/clustermap_view.h"

#include "ui/util/cluster_colors.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <map>

namespace alphascope::ui {

namespace {
constexpr double kMargin = 8;
constexpr double kStripWidth = 10;
constexpr double kHeader = 36; // room for the strips' names above them

QColor divergingColor(double v) {
    if (!std::isfinite(v)) return QColor(200, 200, 200);
    const double t = std::clamp(v, -1.0, 1.0);
    const QColor lo(33, 102, 172), mid(247, 247, 247), hi(178, 24, 43);
    const QColor& end = t < 0 ? lo : hi;
    const double f = std::abs(t);
    return QColor::fromRgbF(static_cast<float>(mid.redF() + f * (end.redF() - mid.redF())),
                            static_cast<float>(mid.greenF() + f * (end.greenF() - mid.greenF())),
                            static_cast<float>(mid.blueF() + f * (end.blueF() - mid.blueF())));
}
} // namespace

ClustermapView::ClustermapView(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("ClustermapView"));
    setMinimumSize(320, 240);
    setMouseTracking(false);
    showMessage(QString());
}

void ClustermapView::showMessage(const QString& message) {
    m_rho.resize(0, 0);
    m_order.clear();
    m_dendrogram.reset();
    m_names.clear();
    m_strips.clear();
    m_collapse.clear();
    m_shown.resize(0, 0);
    m_image = QImage();
    m_message = message;
    update();
}

void ClustermapView::setData(const Eigen::MatrixXd& rho, const QVector<int>& order,
                             const std::optional<graph::Dendrogram>& dendrogram, const QStringList& names,
                             const QVector<ColorStrip>& strips) {
    m_message.clear();
    m_rho = rho;
    m_order = order;
    m_dendrogram = dendrogram;
    if (m_dendrogram && m_dendrogram->leaves != static_cast<int>(order.size())) m_dendrogram.reset();
    m_names = names;
    m_strips = strips;
    if (m_collapse.size() != order.size()) m_collapse.clear();
    rebuildImage();
}

void ClustermapView::setCollapsed(const QVector<int>& labels, int clusters) {
    m_collapse = labels.size() == m_order.size() ? labels : QVector<int>();
    m_collapseClusters = m_collapse.isEmpty() ? 0 : clusters;
    rebuildImage();
}

void ClustermapView::rebuildImage() {
    const int n = static_cast<int>(m_order.size());
    m_shown.resize(n, n);
    for (int r = 0; r < n; ++r)
        for (int c = 0; c < n; ++c) m_shown(r, c) = m_rho(m_order[r], m_order[c]);
    if (!m_collapse.isEmpty()) {
        // Mean correlation of each pair of clusters (off-diagonal cells only within a cluster).
        std::map<std::pair<int, int>, std::pair<double, int>> blocks;
        for (int a = 0; a < n; ++a)
            for (int b = 0; b < n; ++b) {
                const double v = m_rho(a, b);
                if (a == b || !std::isfinite(v)) continue;
                auto& s = blocks[{m_collapse[a], m_collapse[b]}];
                s.first += v;
                ++s.second;
            }
        for (int r = 0; r < n; ++r)
            for (int c = 0; c < n; ++c) {
                const auto it = blocks.find({m_collapse[m_order[r]], m_collapse[m_order[c]]});
                m_shown(r, c) =
                    it == blocks.end() || it->second.second == 0 ? std::nan("") : it->second.first / it->second.second;
            }
    }
    m_image = QImage(n, n, QImage::Format_RGB32);
    for (int r = 0; r < n; ++r)
        for (int c = 0; c < n; ++c) m_image.setPixelColor(c, r, divergingColor(m_shown(r, c)));
    update();
}

double ClustermapView::shownValue(int row, int column) const {
    const int n = static_cast<int>(m_shown.rows());
    return row >= 0 && column >= 0 && row < n && column < n ? m_shown(row, column) : std::nan("");
}

ClustermapView::Geometry ClustermapView::geometry() const {
    Geometry g;
    const double w = width() - 2 * kMargin, h = height() - 2 * kMargin - kHeader;
    const double stripsWidth = m_strips.size() * (kStripWidth + 2);
    const double scaleWidth = 48;
    const double dendro = m_dendrogram ? std::clamp(w * 0.2, 40.0, 160.0) : 0.0;
    const double side = std::max(10.0, std::min(h, w - dendro - stripsWidth - scaleWidth - 8));
    const double top = kMargin + kHeader;
    g.dendrogram = QRectF(kMargin, top, dendro, side);
    g.strips = QRectF(g.dendrogram.right() + 2, top, stripsWidth, side);
    g.heat = QRectF(g.strips.right() + 2, top, side, side);
    g.scale = QRectF(g.heat.right() + 10, top, 12, side);
    g.cell = m_order.isEmpty() ? 0 : side / m_order.size();
    return g;
}

int ClustermapView::rowAt(const QPoint& pos) const {
    const Geometry g = geometry();
    if (g.cell <= 0 || pos.y() < g.heat.top() || pos.y() >= g.heat.bottom()) return -1;
    const int row = static_cast<int>((pos.y() - g.heat.top()) / g.cell);
    return row >= 0 && row < m_order.size() ? row : -1;
}

void ClustermapView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), Qt::white);
    if (m_order.isEmpty()) {
        p.setPen(QColor(110, 110, 110));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, m_message);
        return;
    }
    const Geometry g = geometry();
    const int n = static_cast<int>(m_order.size());
    p.drawImage(g.heat, m_image);
    p.setPen(QColor(150, 150, 150));
    p.drawRect(g.heat);

    // Strips, named above.
    QFont small = font();
    small.setPointSizeF(std::max(6.0, font().pointSizeF() - 2));
    p.setFont(small);
    for (int s = 0; s < m_strips.size(); ++s) {
        const double x = g.strips.left() + s * (kStripWidth + 2);
        for (int r = 0; r < n; ++r) {
            const int data = m_order[r];
            const int id = data < m_strips[s].colors.size() ? m_strips[s].colors[data] : -1;
            p.fillRect(QRectF(x, g.heat.top() + r * g.cell, kStripWidth, g.cell + 0.5), clusterColor(id));
        }
        p.save();
        p.translate(x + kStripWidth / 2 + 3, g.heat.top() - 3);
        p.rotate(-60);
        p.setPen(QColor(60, 60, 60));
        p.drawText(QPointF(0, 0), m_strips[s].name);
        p.restore();
    }

    // Dendrogram: leaves at the right edge, height growing to the left.
    if (m_dendrogram && !m_dendrogram->merges.empty()) {
        const graph::Dendrogram& d = *m_dendrogram;
        std::vector<double> y(static_cast<std::size_t>(2 * n - 1)), height(static_cast<std::size_t>(2 * n - 1), 0.0);
        for (int r = 0; r < n; ++r) y[static_cast<std::size_t>(m_order[r])] = g.heat.top() + (r + 0.5) * g.cell;
        double top = 0;
        for (std::size_t k = 0; k < d.merges.size(); ++k) {
            const graph::Merge& m = d.merges[k];
            y[static_cast<std::size_t>(n) + k] =
                0.5 * (y[static_cast<std::size_t>(m.a)] + y[static_cast<std::size_t>(m.b)]);
            height[static_cast<std::size_t>(n) + k] = m.height;
            top = std::max(top, m.height);
        }
        // Collapsed to K clusters: only the last K - 1 merges are drawn, the ones below are stubs.
        const int firstShown = collapsed() && m_collapseClusters > 0 ? std::max(0, n - m_collapseClusters) : 0;
        auto x = [&](double h) { return g.dendrogram.right() - (top > 0 ? h / top : 0) * (g.dendrogram.width() - 4); };
        auto childHeight = [&](int node) {
            return node < n || node - n < firstShown ? 0.0 : height[static_cast<std::size_t>(node)];
        };
        p.setPen(QPen(QColor(70, 70, 70), 0.8));
        for (std::size_t k = static_cast<std::size_t>(firstShown); k < d.merges.size(); ++k) {
            const graph::Merge& m = d.merges[k];
            const double xm = x(m.height);
            const double ya = y[static_cast<std::size_t>(m.a)], yb = y[static_cast<std::size_t>(m.b)];
            p.drawLine(QPointF(xm, ya), QPointF(xm, yb));
            p.drawLine(QPointF(x(childHeight(m.a)), ya), QPointF(xm, ya));
            p.drawLine(QPointF(x(childHeight(m.b)), yb), QPointF(xm, yb));
        }
    }

    // Colour scale.
    for (int i = 0; i < 100; ++i) {
        const double v = 1 - 2 * (i + 0.5) / 100;
        p.fillRect(QRectF(g.scale.left(), g.scale.top() + i * g.scale.height() / 100, g.scale.width(),
                          g.scale.height() / 100 + 0.5),
                   divergingColor(v));
    }
    p.setPen(QColor(60, 60, 60));
    for (double v : {1.0, 0.5, 0.0, -0.5, -1.0}) {
        const double yv = g.scale.top() + (1 - v) / 2 * g.scale.height();
        p.drawText(QPointF(g.scale.right() + 3, yv + 4), QString::number(v, 'f', 1));
    }
    p.drawText(QRectF(g.heat.left(), kMargin, g.heat.width(), kHeader - 4), Qt::AlignLeft | Qt::AlignBottom,
               collapsed() ? tr("Mean correlation between clusters (%n instrument(s))", "", n)
                           : tr("Return correlation (%n instrument(s))", "", n));
}

void ClustermapView::mousePressEvent(QMouseEvent* event) {
    const int row = rowAt(event->position().toPoint());
    if (row >= 0) Q_EMIT rowClicked(m_order[row]);
    QWidget::mousePressEvent(event);
}

bool ClustermapView::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const Geometry g = geometry();
        const int row = rowAt(help->pos());
        const int column = g.cell > 0 && help->pos().x() >= g.heat.left() && help->pos().x() < g.heat.right()
                               ? static_cast<int>((help->pos().x() - g.heat.left()) / g.cell)
                               : -1;
        if (row >= 0 && column >= 0 && column < m_order.size()) {
            const QString a = m_names.value(m_order[row]), b = m_names.value(m_order[column]);
            const double v = shownValue(row, column);
            QToolTip::showText(help->globalPos(),
                               tr("%1 × %2: %3").arg(a, b, std::isfinite(v) ? QString::number(v, 'f', 2) : tr("n/a")),
                               this);
        } else if (row >= 0) {
            QToolTip::showText(help->globalPos(), m_names.value(m_order[row]), this);
        } else {
            QToolTip::hideText();
        }
        return true;
    }
    return QWidget::event(event);
}

} // namespace alphascope::ui

#include "ui/views/formula_tree_items.h"

#include "ui/util/dimension_text.h"

#include <QPainter>

#include <cmath>

namespace alphascope::ui::formula_tree {

namespace {

constexpr double kCornerRadius = 7;
constexpr double kLegendSwatch = 12;
constexpr double kLegendGap = 14; // px between legend entries
constexpr int kLegendPadding = 8; // px around the legend in its strip

const QColor kOutlineColor(0x6e, 0x6e, 0x6e);
const QColor kSelectedColor(0x15, 0x65, 0xc0);
const QColor kNodeTextColor(0x1a, 0x1a, 0x1a);
const QColor kDimTextColor(0x55, 0x55, 0x55);

/// One legend entry: swatch fill, outline, text.
struct LegendEntry {
    QColor fill, outline;
    double outlineWidth;
    QString text;
};

std::vector<LegendEntry> legendEntries() {
    using C = FormulaTreeView::DimensionClass;
    auto color = &FormulaTreeView::dimensionColor;
    return {
        {color(C::Price), kOutlineColor, 1, FormulaTreeView::tr("price")},
        {color(C::Volume), kOutlineColor, 1, FormulaTreeView::tr("volume")},
        {color(C::PriceVolume), kOutlineColor, 1, FormulaTreeView::tr("price × volume")},
        {color(C::Dimensionless), kOutlineColor, 1, FormulaTreeView::tr("dimensionless")},
        {color(C::Other), kOutlineColor, 1, FormulaTreeView::tr("other / unknown")},
        {QColor(Qt::white), FormulaTreeView::violationColor(), 2.5, FormulaTreeView::tr("dimension rule broken")},
    };
}

/// Lays the legend out as a flow within `width`: the entries' rectangles and the height used.
double legendLayout(double width, const QFont& font, std::vector<QRectF>* rects) {
    const QFontMetricsF fm(font);
    const double lineHeight = std::max(fm.height(), kLegendSwatch) + 4;
    double x = 0, y = 0;
    for (const LegendEntry& e : legendEntries()) {
        const double w = kLegendSwatch + 5 + fm.horizontalAdvance(e.text);
        if (x > 0 && x + w > width) {
            x = 0;
            y += lineHeight;
        }
        if (rects) rects->push_back(QRectF(x, y, w, lineHeight));
        x += w + kLegendGap;
    }
    return y + lineHeight;
}

} // namespace

QFont smallFont(const QFont& font) {
    QFont s = font;
    s.setPointSizeF(font.pointSizeF() > 0 ? font.pointSizeF() * 0.82 : 8);
    return s;
}

double legendHeight(double width, const QFont& font) {
    return legendLayout(width, font, nullptr);
}

void paintLegend(QPainter* p, const QRectF& area, const QFont& font, const QColor& textColor) {
    std::vector<QRectF> rects;
    legendLayout(area.width(), font, &rects);
    const auto entries = legendEntries();
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    p->setFont(font);
    for (std::size_t k = 0; k < entries.size(); ++k) {
        const QRectF r = rects[k].translated(area.topLeft());
        const QRectF swatch(r.left() + 1, r.center().y() - kLegendSwatch / 2, kLegendSwatch, kLegendSwatch);
        p->setPen(QPen(entries[k].outline, entries[k].outlineWidth));
        p->setBrush(entries[k].fill);
        p->drawRoundedRect(swatch, 3, 3);
        p->setPen(textColor);
        p->drawText(QRectF(swatch.right() + 5, r.top(), r.width(), r.height()), Qt::AlignLeft | Qt::AlignVCenter,
                    entries[k].text);
    }
    p->restore();
}

NodeItem::NodeItem(const FormulaTreeView::Node& node, const QFont& font)
    : m_label(node.label), m_dimension(dimensionText(node.dimension)), m_font(font),
      m_fill(FormulaTreeView::dimensionColor(FormulaTreeView::classify(node.dimension))), m_violation(node.violation),
      m_rect(-node.size.width() / 2, -node.size.height() / 2, node.size.width(), node.size.height()) {
    // The view handles clicks, so that hand-drag panning starts anywhere, on a node too.
    setAcceptedMouseButtons(Qt::NoButton);
}

void NodeItem::setSelected(bool selected) {
    m_selected = selected;
    update();
}

QRectF NodeItem::boundingRect() const {
    return m_rect.adjusted(-5, -5, 5, 5);
}

void NodeItem::paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) {
    p->setRenderHint(QPainter::Antialiasing);
    if (m_selected) { // a halo outside the box, so that a red outline stays visible
        p->setPen(QPen(kSelectedColor, 3));
        p->setBrush(Qt::NoBrush);
        p->drawRoundedRect(m_rect.adjusted(-3.5, -3.5, 3.5, 3.5), kCornerRadius + 3, kCornerRadius + 3);
    }
    p->setPen(m_violation ? QPen(FormulaTreeView::violationColor(), 2.5) : QPen(kOutlineColor, 1));
    p->setBrush(m_fill);
    p->drawRoundedRect(m_rect, kCornerRadius, kCornerRadius);
    const QRectF labelRect(m_rect.left(), m_rect.top() + kPadY, m_rect.width(), QFontMetricsF(m_font).height());
    p->setFont(m_font);
    p->setPen(kNodeTextColor);
    p->drawText(labelRect, Qt::AlignCenter, m_label);
    const QFont small = smallFont(m_font);
    p->setFont(small);
    p->setPen(kDimTextColor);
    p->drawText(QRectF(m_rect.left(), labelRect.bottom(), m_rect.width(), QFontMetricsF(small).height()),
                Qt::AlignCenter, m_dimension);
}

int LegendStrip::heightForWidth(int width) const {
    return static_cast<int>(std::ceil(legendHeight(width - 2.0 * kLegendPadding, smallFont(font())))) + kLegendPadding;
}

void LegendStrip::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Base));
    paintLegend(&p,
                QRectF(kLegendPadding, kLegendPadding / 2.0, width() - 2.0 * kLegendPadding, height() - kLegendPadding),
                smallFont(font()), palette().color(QPalette::Text));
    p.setPen(palette().color(QPalette::Mid));
    p.drawLine(0, height() - 1, width(), height() - 1);
}

} // namespace alphascope::ui::formula_tree

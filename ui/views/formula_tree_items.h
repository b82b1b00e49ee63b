#pragma once
// The pieces FormulaTreeView draws with: node boxes, the legend (on screen and in exports) and the
// geometry they share. Internal to the view.

#include "ui/views/formula_tree_view.h"

#include <QGraphicsItem>
#include <QWidget>

namespace alphascope::ui::formula_tree {

inline constexpr double kPadX = 10; // px of fill left and right of a label
inline constexpr double kPadY = 5;  // px above the label and below the dimension line

/// The font of a node's dimension line and of the legend.
QFont smallFont(const QFont& font);
/// Height of the legend laid out as a flow within `width`.
double legendHeight(double width, const QFont& font);
/// Draws the legend within `area`.
void paintLegend(QPainter* painter, const QRectF& area, const QFont& font, const QColor& textColor);

/// A rounded box with a node's label and, smaller, its dimension; red outline on a rule break.
class NodeItem : public QGraphicsItem {
public:
    NodeItem(const FormulaTreeView::Node& node, const QFont& font);
    void setSelected(bool selected);
    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
    QString m_label, m_dimension;
    QFont m_font;
    QColor m_fill;
    bool m_violation;
    bool m_selected = false;
    QRectF m_rect;
};

/// The legend strip in the view's top margin, so that it never covers a node.
class LegendStrip : public QWidget {
public:
    using QWidget::QWidget;
    int heightForWidth(int width) const override;

protected:
    void paintEvent(QPaintEvent* event) override;
};

} // namespace alphascope::ui::formula_tree

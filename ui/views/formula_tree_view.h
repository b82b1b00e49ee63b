#pragma once
// FormulaTreeView: a formula drawn as a top-down tree, one node per operator, field and constant,
// coloured by the node's dimension, with rule breaks outlined in red. Clicking a node reports
// that sub-formula and where it is in the text.

#include "core/expr/dimension.h"
#include "core/expr/parser.h"

#include <QGraphicsView>

#include <vector>

namespace alphascope::ui {

/// The formula tree of the lab.
class FormulaTreeView : public QGraphicsView {
    Q_OBJECT
public:
    /// The colour classes of the legend.
    enum class DimensionClass { Price, Volume, PriceVolume, Dimensionless, Other };

    /// One drawn node (pre-order).
    struct Node {
        ExprPtr expr;
        QString label;
        Dimension dimension;    ///< of the sub-tree rooted here
        bool violation = false; ///< this node's own operator breaks a dimension rule
        QString why;            ///< the broken rule, when violation
        int begin = 0, end = 0; ///< character range in the text given to setFormula
        int parent = -1;
        std::vector<int> children;
        QPointF center; ///< scene coordinates
        QSizeF size;
        QGraphicsItem* item = nullptr;
    };

    explicit FormulaTreeView(QWidget* parent = nullptr);

    /// Parses `text` (with source spans) and draws its tree; on a parse error shows only the message.
    void setFormula(const QString& text, const ParseOptions& options);
    /// Removes the tree (or the message).
    void clear();

    int nodeCount() const { return static_cast<int>(m_nodes.size()); }
    /// Node labels in pre-order: "Div", "Mean 20d", "GroupRank · sector", "$close", "0.001".
    QStringList nodeLabels() const;
    /// The drawn nodes, pre-order (for tests and tooltips).
    const std::vector<Node>& nodes() const { return m_nodes; }
    /// The message shown instead of a tree (parse error), empty when a tree is shown.
    QString message() const { return m_message; }
    /// The node under a viewport position, -1 when none.
    int nodeAt(const QPoint& viewportPos) const;

    /// Selects (highlights) a node by its pre-order index; -1 clears. Does not emit nodeActivated().
    void selectNode(int preorderIndex);
    int selectedNode() const { return m_selected; }

    /// Fill colour of a dimension class (the legend's swatches).
    static QColor dimensionColor(DimensionClass c);
    static DimensionClass classify(const Dimension& d);
    /// Outline of a node whose operator breaks a dimension rule.
    static QColor violationColor();

    /// The whole tree with its legend at twice the screen resolution.
    bool exportPng(const QString& path) const;
    bool exportSvg(const QString& path) const;

public Q_SLOTS:
    void zoomIn();
    void zoomOut();
    /// Fits the tree into the view (never magnifies beyond 100 %).
    void fitToView();

Q_SIGNALS:
    /// A node was clicked: its canonical text and its character range [begin, end) in the formula.
    void nodeActivated(const QString& subFormula, int begin, int end);

protected:
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void buildNodes(const ExprPtr& root, const SourceMap& spans, const QByteArray& utf8);
    void layoutNodes();
    void createItems();
    void scaleBy(double factor);
    void placeLegend();
    /// Size of an export (legend above the tree), in scene units.
    QSizeF exportSize() const;
    /// Draws legend + tree (or message) on a white page of exportSize().
    void renderExport(QPainter* painter) const;

    QGraphicsScene* m_scene;
    QWidget* m_legend; ///< strip above the viewport (in the view's margin), so it never covers a node
    std::vector<Node> m_nodes;
    QString m_formula;
    QString m_message;
    int m_selected = -1;
    int m_pressNode = -1;
    QPoint m_pressPos;
    bool m_autoFit = true; ///< refit on resize until the user zooms
};

} // namespace alphascope::ui

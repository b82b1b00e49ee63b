#pragma once
// CorrelationHeatmap: a symmetric correlation matrix as a coloured grid (QCPColorMap) with the value
// printed in each cell and the factor names on both axes.

#include "ui/qcustomplot_include.h"

#include <Eigen/Dense>

#include <QStringList>

namespace alphascope::ui {

/// Heat map of a correlation matrix; row 0 is at the top, colours span [-1, 1].
class CorrelationHeatmap : public QCustomPlot {
    Q_OBJECT
public:
    explicit CorrelationHeatmap(QWidget* parent = nullptr);

    /// Shows `matrix` (n x n) with `names` (n) on the axes.
    void setMatrix(const QStringList& names, const Eigen::MatrixXd& matrix);
    /// Shows nothing.
    void clearMatrix();
    /// The colour scale's label ("Mutual IC" unless set).
    void setScaleLabel(const QString& label);

    int matrixSize() const { return static_cast<int>(m_names.size()); }
    const QStringList& names() const { return m_names; }
    /// The value drawn in row `row`, column `column` (read back from the colour map's data).
    double cellValue(int row, int column) const;
    QCPColorMap* colorMap() const { return m_map; }

private:
    QCPColorMap* m_map;
    QCPColorScale* m_scale;
    QStringList m_names;
};

} // namespace alphascope::ui

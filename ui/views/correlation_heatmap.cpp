#include "ui/views/correlation_heatmap.h"

#include <cmath>

namespace alphascope::ui {

namespace {
constexpr int kMaxLabelChars = 22;   // longer names are elided on the axes (full names in the tables)
constexpr int kMaxPrintedCells = 16; // beyond this many factors the cell values would not be legible

QString elided(const QString& name) {
    return name.size() <= kMaxLabelChars ? name : name.left(kMaxLabelChars - 1) + QChar(0x2026);
}
} // namespace

CorrelationHeatmap::CorrelationHeatmap(QWidget* parent)
    : QCustomPlot(parent), m_map(new QCPColorMap(xAxis, yAxis)), m_scale(new QCPColorScale(this)) {
    setMinimumSize(320, 260);
    plotLayout()->addElement(0, 1, m_scale);
    m_scale->setType(QCPAxis::atRight);
    m_scale->setDataRange(QCPRange(-1.0, 1.0));
    m_scale->axis()->setLabel(tr("Mutual IC"));
    m_map->setColorScale(m_scale);
    m_map->setInterpolate(false);
    // Diverging blue - white - red: 0 is white so that the sign of a correlation reads at a glance.
    QCPColorGradient gradient;
    gradient.clearColorStops();
    gradient.setColorStopAt(0.0, QColor(33, 102, 172));
    gradient.setColorStopAt(0.5, QColor(247, 247, 247));
    gradient.setColorStopAt(1.0, QColor(178, 24, 43));
    gradient.setNanHandling(QCPColorGradient::nhNanColor);
    gradient.setNanColor(QColor(200, 200, 200));
    m_map->setGradient(gradient);
    m_map->setDataRange(QCPRange(-1.0, 1.0));

    auto* margins = new QCPMarginGroup(this);
    axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    m_scale->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    for (QCPAxis* axis : {xAxis, yAxis}) {
        axis->grid()->setVisible(false);
        axis->setSubTicks(false);
        axis->setTickLength(0, 3);
    }
    yAxis->setRangeReversed(true); // matrix order: the first factor on top
    xAxis->setTickLabelRotation(-30);
    clearMatrix();
}

void CorrelationHeatmap::setScaleLabel(const QString& label) {
    m_scale->axis()->setLabel(label);
    replot();
}

void CorrelationHeatmap::clearMatrix() {
    m_names.clear();
    clearItems();
    m_map->data()->clear();
    m_map->setVisible(false);
    xAxis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
    yAxis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
    xAxis->setRange(-0.5, 0.5);
    yAxis->setRange(-0.5, 0.5);
    replot();
}

void CorrelationHeatmap::setMatrix(const QStringList& names, const Eigen::MatrixXd& matrix) {
    clearMatrix();
    const int n = static_cast<int>(names.size());
    if (n == 0 || matrix.rows() != n || matrix.cols() != n) return;
    m_names = names;
    m_map->setVisible(true);
    // Key = column, value = row; cell centres at integer coordinates 0 .. n-1.
    m_map->data()->setSize(n, n);
    m_map->data()->setRange(QCPRange(0, n - 1), QCPRange(0, n - 1));
    if (n == 1) m_map->data()->setRange(QCPRange(-0.5, 0.5), QCPRange(-0.5, 0.5)); // a range needs width
    auto xTicks = QSharedPointer<QCPAxisTickerText>::create();
    auto yTicks = QSharedPointer<QCPAxisTickerText>::create();
    QFont cellFont = font();
    cellFont.setPointSizeF(n <= 6 ? font().pointSizeF() : std::max(6.0, font().pointSizeF() - 1.5));
    for (int i = 0; i < n; ++i) {
        xTicks->addTick(i, elided(names[i]));
        yTicks->addTick(i, elided(names[i]));
        for (int j = 0; j < n; ++j) {
            const double v = matrix(i, j);
            m_map->data()->setCell(j, i, v);
            if (n > kMaxPrintedCells) continue;
            auto* text = new QCPItemText(this);
            text->position->setType(QCPItemPosition::ptPlotCoords);
            text->position->setCoords(j, i);
            text->setText(std::isfinite(v) ? QString::number(v, 'f', 2) : QStringLiteral("–"));
            text->setFont(cellFont);
            text->setColor(std::isfinite(v) && std::abs(v) > 0.6 ? Qt::white : Qt::black);
            text->setClipToAxisRect(true);
        }
    }
    xAxis->setTicker(xTicks);
    yAxis->setTicker(yTicks);
    xAxis->setRange(-0.5, n - 0.5);
    yAxis->setRange(-0.5, n - 0.5);
    replot();
}

double CorrelationHeatmap::cellValue(int row, int column) const {
    if (row < 0 || column < 0 || row >= matrixSize() || column >= matrixSize()) return std::nan("");
    return m_map->data()->cell(column, row);
}

} // namespace alphascope::ui

#include "ui/views/search_monitor.h"

#include <cmath>
#include <set>

namespace alphascope::ui {

MonitorPoint MonitorPoint::of(const SearchProgress& p) {
    MonitorPoint m;
    m.evaluations = double(p.evaluations);
    m.seconds = p.seconds;
    m.rewardMean = p.rewardMean;
    m.rewardBest = p.rewardBest;
    m.loss = p.loss;
    m.poolIc = p.poolIc;
    m.poolValidIc = p.poolValidIc;
    m.bestIc = p.bestIc;
    m.poolSize = p.poolSize;
    m.meanAbsMutual = p.meanAbsMutual;
    m.evaluationsPerSecond = p.evaluationsPerSecond;
    return m;
}

namespace {

/// What each graph of a series draws: its row, the value, its pen style, its label.
struct Curve {
    int row;
    double MonitorPoint::*value;
    Qt::PenStyle style;
    const char* label;
    bool rightAxis = false;
};

const Curve kCurves[] = {
    {SearchMonitor::RewardRow, &MonitorPoint::rewardMean, Qt::SolidLine,
     QT_TRANSLATE_NOOP("alphascope::ui::SearchMonitor", "mean reward")},
    {SearchMonitor::RewardRow, &MonitorPoint::rewardBest, Qt::DotLine,
     QT_TRANSLATE_NOOP("alphascope::ui::SearchMonitor", "best reward")},
    {SearchMonitor::LossRow, &MonitorPoint::loss, Qt::SolidLine,
     QT_TRANSLATE_NOOP("alphascope::ui::SearchMonitor", "loss")},
    {SearchMonitor::IcRow, &MonitorPoint::poolIc, Qt::SolidLine,
     QT_TRANSLATE_NOOP("alphascope::ui::SearchMonitor", "pool IC train")},
    {SearchMonitor::IcRow, &MonitorPoint::poolValidIc, Qt::DashLine,
     QT_TRANSLATE_NOOP("alphascope::ui::SearchMonitor", "pool IC valid")},
    {SearchMonitor::IcRow, &MonitorPoint::bestIc, Qt::DotLine,
     QT_TRANSLATE_NOOP("alphascope::ui::SearchMonitor", "best single |IC|")},
    {SearchMonitor::PoolRow, &MonitorPoint::poolSize, Qt::SolidLine,
     QT_TRANSLATE_NOOP("alphascope::ui::SearchMonitor", "pool size")},
    {SearchMonitor::PoolRow, &MonitorPoint::meanAbsMutual, Qt::DashLine,
     QT_TRANSLATE_NOOP("alphascope::ui::SearchMonitor", "mean |mutual corr| (right)"), true},
    {SearchMonitor::RateRow, &MonitorPoint::evaluationsPerSecond, Qt::SolidLine,
     QT_TRANSLATE_NOOP("alphascope::ui::SearchMonitor", "evaluations/s")},
};

} // namespace

SearchMonitor::SearchMonitor(QWidget* parent) : QCustomPlot(parent) {
    // Small minimum: the search and runs panels share the bottom dock area with the backtest, and a
    // large one would widen that area beyond a laptop's window.
    setMinimumSize(200, 160);
    plotLayout()->clear();
    setAutoAddPlottableToLegend(false);
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    setNoAntialiasingOnDrag(true);
    const QString titles[RowCount] = {tr("Reward"), tr("Loss"), tr("IC"), tr("Pool size"), tr("Evaluations/s")};
    auto* margins = new QCPMarginGroup(this);
    for (int k = 0; k < RowCount; ++k) {
        auto* rect = new QCPAxisRect(this);
        m_rects[k] = rect;
        // Two columns: reward | loss, IC | pool, rate under them.
        plotLayout()->addElement(k / 2, k % 2, rect);
        rect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
        rect->axis(QCPAxis::atLeft)->setLabel(titles[k]);
        rect->axis(QCPAxis::atBottom)->setLabel(tr("Evaluations"));
        if (k == PoolRow) {
            rect->axis(QCPAxis::atRight)->setVisible(true);
            rect->axis(QCPAxis::atRight)->setLabel(tr("|mutual corr|"));
        }
        auto* legend = new QCPLegend;
        // Small, see-through and in the upper left, where the curves of a search are lowest at the
        // start (rewards, ICs and the pool grow from zero); the loss curve falls, so its goes right.
        rect->insetLayout()->addElement(legend, (k == LossRow ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignTop);
        legend->setLayer(QStringLiteral("legend"));
        legend->setBrush(QColor(255, 255, 255, 150));
        legend->setBorderPen(Qt::NoPen);
        legend->setIconSize(16, 8);
        legend->setRowSpacing(-2);
        legend->setFont(QFont(font().family(), std::max(6, font().pointSize() - 3)));
    }
}

void SearchMonitor::clearSeries() {
    for (QCPAxisRect* r : m_rects) {
        if (auto* legend = qobject_cast<QCPLegend*>(r->insetLayout()->elementAt(0))) legend->clearItems();
    }
    clearGraphs();
    m_series.clear();
    replot();
}

int SearchMonitor::addSeries(const QString& name, const std::vector<MonitorPoint>& points, const QColor& color) {
    Series s;
    s.name = name;
    s.color = color;
    s.points = points;
    std::set<int> rowsNamed;
    for (const Curve& c : kCurves) {
        QCPAxisRect* rect = m_rects[c.row];
        QCPGraph* g =
            addGraph(rect->axis(QCPAxis::atBottom), rect->axis(c.rightAxis ? QCPAxis::atRight : QCPAxis::atLeft));
        QPen pen(color, c.style == Qt::SolidLine ? 1.6 : 1.2, c.style);
        g->setPen(pen);
        g->setName(m_series.empty() ? tr(c.label) : QStringLiteral("%1: %2").arg(name, tr(c.label)));
        g->setAdaptiveSampling(true);
        // Dots for a stored run with few snapshots (GP offers once per generation), so that one
        // point still shows; a live series reports too often for dots to help.
        if (!points.empty() && points.size() < 60)
            g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, color, 3.5));
        // The legend names every curve of the first series, and each further series once per row.
        auto* legend = qobject_cast<QCPLegend*>(rect->insetLayout()->elementAt(0));
        const bool firstOfRow = rowsNamed.insert(c.row).second;
        if (legend && (m_series.empty() || firstOfRow)) {
            if (!m_series.empty()) g->setName(name);
            legend->addItem(new QCPPlottableLegendItem(legend, g));
        }
        s.graphs.push_back(g);
    }
    m_series.push_back(std::move(s));
    rebuild(m_series.back());
    rescale();
    replot();
    return static_cast<int>(m_series.size()) - 1;
}

void SearchMonitor::appendPoint(int series, const MonitorPoint& p) {
    if (series < 0 || series >= seriesCount()) return;
    Series& s = m_series[static_cast<std::size_t>(series)];
    s.points.push_back(p);
    const double x = m_xAxis == XAxis::Evaluations ? p.evaluations : p.seconds;
    for (std::size_t k = 0; k < std::size(kCurves); ++k) {
        const double y = p.*(kCurves[k].value);
        if (std::isfinite(y)) s.graphs[k]->addData(x, y);
    }
    rescale();
    replot(QCustomPlot::rpQueuedReplot);
}

void SearchMonitor::setXAxis(XAxis axis) {
    m_xAxis = axis;
    for (QCPAxisRect* r : m_rects)
        r->axis(QCPAxis::atBottom)->setLabel(axis == XAxis::Evaluations ? tr("Evaluations") : tr("Seconds"));
    for (Series& s : m_series) rebuild(s);
    rescale();
    replot();
}

int SearchMonitor::pointsDrawn(int row, int series) const {
    if (series < 0 || series >= seriesCount()) return 0;
    for (std::size_t k = 0; k < std::size(kCurves); ++k)
        if (kCurves[k].row == row) return m_series[static_cast<std::size_t>(series)].graphs[k]->dataCount();
    return 0;
}

void SearchMonitor::rebuild(Series& s) {
    for (std::size_t k = 0; k < std::size(kCurves); ++k) {
        QVector<double> x, y;
        for (const MonitorPoint& p : s.points) {
            const double v = p.*(kCurves[k].value);
            if (!std::isfinite(v)) continue;
            x.push_back(m_xAxis == XAxis::Evaluations ? p.evaluations : p.seconds);
            y.push_back(v);
        }
        s.graphs[k]->setData(x, y, true);
    }
}

void SearchMonitor::rescale() {
    for (QCPAxisRect* r : m_rects) {
        bool first = true;
        for (QCPGraph* g : r->graphs()) {
            if (g->dataCount() == 0) continue;
            g->rescaleAxes(!first);
            first = false;
        }
    }
}

} // namespace alphascope::ui

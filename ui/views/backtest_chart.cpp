#include "ui/views/backtest_chart.h"

#include "ui/views/plot_dates.h"

#include <algorithm>

namespace alphascope::ui {

namespace {

const QColor kPortfolioColor(31, 119, 180);
const QColor kBenchmarkColor(127, 127, 127);
const QColor kExcessColor(44, 160, 44);
const QColor kDrawdownColor(214, 39, 40);
const QColor kTurnoverColor(255, 127, 14);

QVector<double> percent(const QVector<double>& v) {
    QVector<double> out(v.size());
    std::transform(v.begin(), v.end(), out.begin(), [](double x) { return x * 100.0; });
    return out;
}

} // namespace

BacktestSeries makeBacktestSeries(const BacktestResult& result, const Calendar& calendar) {
    BacktestSeries s;
    double equity = 1.0, bench = 1.0, excess = 1.0, peak = 1.0;
    for (const BacktestDay& d : result.days) {
        equity *= 1.0 + d.ret;
        bench *= 1.0 + d.benchmark;
        excess *= 1.0 + d.excess;
        peak = std::max(peak, equity);
        const Date date = calendar[d.day];
        s.x.push_back(plotTime(date));
        s.dates.push_back(QString::fromStdString(date.toString()));
        s.cumulative.push_back(equity - 1.0);
        s.benchmark.push_back(bench - 1.0);
        s.excess.push_back(excess - 1.0);
        s.drawdown.push_back(equity / peak - 1.0);
        s.turnover.push_back(d.turnover);
    }
    return s;
}

BacktestChart::BacktestChart(QWidget* parent) : QCustomPlot(parent) {
    setMinimumSize(360, 300);
    plotLayout()->clear(); // drop the default axis rect: four stacked ones share the date axis
    setAutoAddPlottableToLegend(false);
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    setNoAntialiasingOnDrag(true);

    m_title = new QCPTextElement(this, QString(), QFont(font().family(), font().pointSize() + 1, QFont::Bold));
    plotLayout()->addElement(0, 0, m_title);

    const auto ticker = makeDateTicker();
    auto* margins = new QCPMarginGroup(this);
    const QString labels[RowCount] = {tr("Cumulative return (%)"), tr("Excess (%)"), tr("Drawdown (%)"),
                                      tr("Turnover (%)")};
    QList<double> stretch = {0.001}; // the title row takes only its height
    for (int k = 0; k < RowCount; ++k) {
        auto* rect = new QCPAxisRect(this);
        plotLayout()->addElement(k + 1, 0, rect);
        rect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
        rect->setRangeDrag(Qt::Horizontal);
        rect->setRangeZoom(Qt::Horizontal);
        QCPAxis* x = rect->axis(QCPAxis::atBottom);
        QCPAxis* y = rect->axis(QCPAxis::atLeft);
        x->setTicker(ticker);
        x->setTickLabels(k == RowCount - 1); // one row of dates, under the last rect
        if (k == RowCount - 1) x->setLabel(tr("Date"));
        y->setLabel(labels[k]);
        y->grid()->setZeroLinePen(QPen(QColor(120, 120, 120), 1));
        auto* legend = new QCPLegend;
        rect->insetLayout()->addElement(legend, Qt::AlignTop | Qt::AlignLeft);
        legend->setLayer(QStringLiteral("legend"));
        legend->setBrush(QColor(255, 255, 255, 210)); // the curves stay visible under the legend
        legend->setBorderPen(QPen(QColor(190, 190, 190)));
        legend->setVisible(false);
        // Dragging or zooming one rect moves the dates of all of them.
        connect(x, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this](const QCPRange& range) {
            for (QCPAxisRect* other : axisRects()) other->axis(QCPAxis::atBottom)->setRange(range);
        });
        stretch << (k == ReturnRow ? 3.0 : k == TurnoverRow ? 1.5 : 2.0);
    }
    plotLayout()->setRowStretchFactors(stretch);
    plotLayout()->setRowSpacing(0);
}

QCPLegend* BacktestChart::legendOf(int row) const {
    return qobject_cast<QCPLegend*>(axisRect(row)->insetLayout()->elementAt(0));
}

void BacktestChart::clearChart(const QString& title) {
    // The legends live in the axis rects, not in QCustomPlot::legend, so removing a graph does not
    // remove its legend item: empty them first or they would point at deleted graphs.
    for (int row = 0; row < RowCount; ++row) {
        legendOf(row)->clearItems();
        legendOf(row)->setVisible(false);
    }
    clearGraphs();
    clearItems();
    // A long formula would be clipped at both ends of the chart: elide its middle to fit.
    const QFontMetrics metrics(m_title->font());
    m_title->setText(metrics.elidedText(title, Qt::ElideMiddle, std::max(200, width() - 40)));
    replot();
}

void BacktestChart::addCurve(int row, const QString& name, const QVector<double>& x, const QVector<double>& y,
                             const QColor& color, bool fill) {
    QCPAxisRect* rect = axisRect(row);
    QCPGraph* g = addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    g->setName(name);
    g->setPen(QPen(color, 1.5));
    if (fill) g->setBrush(QColor(color.red(), color.green(), color.blue(), 60)); // fills to zero
    g->setData(x, y, true);
    g->addToLegend(legendOf(row));
    legendOf(row)->setVisible(true);
}

void BacktestChart::markSplit(double x, const QString& name) {
    for (QCPAxisRect* rect : axisRects()) {
        auto* line = new QCPItemStraightLine(this);
        line->setClipAxisRect(rect);
        line->setPen(QPen(QColor(150, 150, 150), 1, Qt::DashLine));
        for (QCPItemPosition* p : {line->point1, line->point2})
            p->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        line->point1->setCoords(x, 0);
        line->point2->setCoords(x, 1);
    }
    QCPAxisRect* top = axisRect(ReturnRow);
    auto* text = new QCPItemText(this);
    text->setClipAxisRect(top);
    text->position->setAxes(top->axis(QCPAxis::atBottom), top->axis(QCPAxis::atLeft));
    text->position->setAxisRect(top);
    text->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    text->position->setCoords(x, 0.0); // at the top of the rect
    text->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
    text->setPadding(QMargins(4, 2, 4, 2));
    text->setColor(QColor(110, 110, 110));
    text->setText(name);
}

void BacktestChart::showSeries(const BacktestSeries& s, const std::vector<Split>& splits, const QString& title) {
    clearChart(title);
    addCurve(ReturnRow, tr("Portfolio"), s.x, percent(s.cumulative), kPortfolioColor, false);
    addCurve(ReturnRow, tr("Benchmark"), s.x, percent(s.benchmark), kBenchmarkColor, false);
    addCurve(ExcessRow, tr("Excess over benchmark"), s.x, percent(s.excess), kExcessColor, true);
    addCurve(DrawdownRow, tr("Drawdown"), s.x, percent(s.drawdown), kDrawdownColor, true);
    addCurve(TurnoverRow, tr("Daily turnover"), s.x, percent(s.turnover), kTurnoverColor, false);
    if (s.x.isEmpty()) {
        replot();
        return;
    }
    for (std::size_t k = 1; k < splits.size(); ++k) {
        const double x = plotTime(splits[k].first);
        if (x > s.x.front() && x < s.x.back()) markSplit(x, QString::fromStdString(splits[k].name));
    }
    for (QCPAxisRect* rect : axisRects()) {
        for (QCPGraph* g : rect->graphs()) g->rescaleAxes(g != rect->graphs().first());
        QCPAxis* y = rect->axis(QCPAxis::atLeft);
        const QCPRange r = y->range();
        const double pad = std::max(1e-6, (r.upper - r.lower) * 0.06);
        y->setRange(r.lower - pad, r.upper + pad);
    }
    // The first day builds the whole book (turnover near 100 %); scale to the days after it so
    // that the daily level stays readable. The statistics table has the mean.
    if (s.turnover.size() > 1) {
        const double top = *std::max_element(s.turnover.begin() + 1, s.turnover.end()) * 100.0;
        axisRect(TurnoverRow)->axis(QCPAxis::atLeft)->setRange(0.0, std::max(1e-6, top * 1.15));
    }
    axisRect(0)->axis(QCPAxis::atBottom)->setRange(s.x.front(), s.x.back());
    replot();
}

} // namespace alphascope::ui

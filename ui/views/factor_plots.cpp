#include "ui/views/factor_plots.h"

#include "ui/qcustomplot_include.h"
#include "ui/views/plot_dates.h"

#include <cmath>

namespace alphascope::ui {

QColor splitColor(int k) {
    static const QColor colors[] = {QColor(31, 119, 180), QColor(255, 127, 14), QColor(44, 160, 44),
                                    QColor(148, 103, 189), QColor(140, 86, 75)};
    return colors[k % 5];
}

namespace {
void styleLegend(QCustomPlot* p) {
    p->legend->setVisible(true);
    p->legend->setBrush(QColor(255, 255, 255, 210)); // curves stay visible under the legend
    p->legend->setFont(QFont(p->font().family(), 8));
}
} // namespace

FactorPlots::FactorPlots(QWidget* parent) : QTabWidget(parent) {
    const QString titles[4] = {tr("Daily IC"), tr("IC decay"), tr("Quantile returns"), tr("Distribution")};
    for (int k = 0; k < 4; ++k) {
        m_plots[k] = new QCustomPlot(this);
        m_plots[k]->setMinimumHeight(180);
        m_plots[k]->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
        addTab(m_plots[k], titles[k]);
    }
    m_plots[DailyIc]->xAxis->setTicker(makeDateTicker());
    m_plots[DailyIc]->yAxis->setLabel(tr("Daily Rank IC"));
    m_plots[DailyIc]->yAxis2->setVisible(true);
    m_plots[DailyIc]->yAxis2->setLabel(tr("Cumulative"));
    // The daily-IC legend sits in a row above the plot: inside, it covered the curves where the
    // series starts (both cumulative curves begin at zero on the left).
    {
        QCustomPlot* p = m_plots[DailyIc];
        p->plotLayout()->insertRow(0);
        p->plotLayout()->addElement(0, 0, p->legend);
        p->legend->setFillOrder(QCPLegend::foColumnsFirst);
        p->legend->setBorderPen(Qt::NoPen);
        p->plotLayout()->setRowStretchFactor(0, 0.001);
        p->plotLayout()->setRowSpacing(0);
    }
    m_plots[Decay]->xAxis->setLabel(tr("Horizon (days)"));
    m_plots[Decay]->yAxis->setLabel(tr("IC"));
    m_plots[Quantiles]->xAxis->setLabel(tr("Factor quantile (1 = lowest)"));
    m_plots[Quantiles]->yAxis->setLabel(tr("Mean target"));
    m_plots[Distribution]->xAxis->setLabel(tr("Factor value"));
    m_plots[Distribution]->yAxis->setLabel(tr("Count"));
    for (QCustomPlot* p : m_plots) styleLegend(p);
}

void FactorPlots::clear() {
    for (QCustomPlot* p : m_plots) {
        p->clearPlottables();
        p->replot();
    }
}

void FactorPlots::setReport(const FactorReport& report, const MarketData& data) {
    showDailyIc(report, data);
    showDecay(report);
    showQuantiles(report);
    showDistribution(report);
}

bool FactorPlots::exportCurrent(const QString& path) const {
    QCustomPlot* p = m_plots[currentIndex()];
    if (path.endsWith(QStringLiteral(".pdf"), Qt::CaseInsensitive)) return p->savePdf(path);
    return p->savePng(path, 0, 0, 2.0);
}

void FactorPlots::showDailyIc(const FactorReport& report, const MarketData& data) {
    QCustomPlot* p = m_plots[DailyIc];
    p->clearPlottables();
    // Daily Rank IC as thin bars, one colour per split, and the cumulative IC / Rank IC on the right axis.
    for (std::size_t k = 0; k < report.splits.size(); ++k) {
        const SplitMetrics& s = report.splits[k];
        QVector<double> x, y;
        for (int t = 0; t < data.days(); ++t) {
            const double v = report.dailyRankIc[static_cast<std::size_t>(t)];
            const Date d = data.calendar[t];
            if (!std::isfinite(v) || d < s.first || s.last < d) continue;
            x.push_back(plotTime(d));
            y.push_back(v);
        }
        auto* bars = new QCPBars(p->xAxis, p->yAxis);
        bars->setName(tr("Daily Rank IC"));
        if (k > 0) bars->removeFromLegend(); // one legend entry for the bars; the colours mark the splits
        bars->setWidth(86400.0 * 0.9);
        QColor c = splitColor(static_cast<int>(k));
        c.setAlpha(110);
        bars->setPen(Qt::NoPen);
        bars->setBrush(c);
        bars->setData(x, y, true);
    }
    auto cumulative = [&](const std::vector<double>& daily, const QString& name, const QColor& color) {
        QVector<double> x, y;
        double cum = 0;
        for (int t = 0; t < data.days(); ++t) {
            const double v = daily[static_cast<std::size_t>(t)];
            if (!std::isfinite(v)) continue;
            cum += v;
            x.push_back(plotTime(data.calendar[t]));
            y.push_back(cum);
        }
        QCPGraph* g = p->addGraph(p->xAxis, p->yAxis2);
        g->setName(name);
        g->setPen(QPen(color, 1.8));
        g->setData(x, y, true);
    };
    cumulative(report.dailyIc, tr("Cumulative IC"), QColor(20, 20, 20));
    cumulative(report.dailyRankIc, tr("Cumulative Rank IC"), QColor(214, 39, 40));
    p->rescaleAxes();
    p->replot();
}

void FactorPlots::showDecay(const FactorReport& report) {
    QCustomPlot* p = m_plots[Decay];
    p->clearPlottables();
    for (std::size_t k = 0; k < report.splits.size(); ++k) {
        const SplitMetrics& s = report.splits[k];
        QVector<double> x, y;
        for (std::size_t h = 0; h < s.icDecay.size(); ++h) {
            if (!std::isfinite(s.icDecay[h])) continue;
            x.push_back(static_cast<double>(h + 1));
            y.push_back(s.icDecay[h]);
        }
        QCPGraph* g = p->addGraph();
        g->setName(QString::fromStdString(s.name));
        g->setPen(QPen(splitColor(static_cast<int>(k)), 1.8));
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
        g->setData(x, y, true);
    }
    p->rescaleAxes();
    p->yAxis->scaleRange(1.15);
    p->replot();
}

void FactorPlots::showQuantiles(const FactorReport& report) {
    QCustomPlot* p = m_plots[Quantiles];
    p->clearPlottables();
    const int n = static_cast<int>(report.splits.size());
    const double width = 0.8 / std::max(1, n);
    int quantiles = 0;
    for (int k = 0; k < n; ++k) {
        const SplitMetrics& s = report.splits[static_cast<std::size_t>(k)];
        quantiles = std::max(quantiles, static_cast<int>(s.quantileReturns.size()));
        QVector<double> x, y;
        for (std::size_t q = 0; q < s.quantileReturns.size(); ++q) {
            if (!std::isfinite(s.quantileReturns[q])) continue;
            x.push_back(static_cast<double>(q + 1) - 0.4 + width * (k + 0.5));
            y.push_back(s.quantileReturns[q] * 100.0);
        }
        auto* bars = new QCPBars(p->xAxis, p->yAxis);
        bars->setName(QString::fromStdString(s.name));
        bars->setWidth(width * 0.95);
        bars->setPen(Qt::NoPen);
        bars->setBrush(splitColor(k));
        bars->setData(x, y, true);
    }
    p->yAxis->setLabel(tr("Mean target (%)"));
    auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
    ticker->setTickStep(1.0);
    p->xAxis->setTicker(ticker);
    p->rescaleAxes();
    p->xAxis->setRange(0.4, std::max(1, quantiles) + 0.6);
    p->yAxis->scaleRange(1.15);
    p->replot();
}

void FactorPlots::showDistribution(const FactorReport& report) {
    QCustomPlot* p = m_plots[Distribution];
    p->clearPlottables();
    // Each split's histogram as a step line, so that the splits' distributions can be compared.
    for (std::size_t k = 0; k < report.splits.size(); ++k) {
        const Histogram& h = report.splits[k].histogram;
        if (h.counts.empty() || !std::isfinite(h.lo) || !std::isfinite(h.hi)) continue;
        const double bins = static_cast<double>(h.counts.size());
        const double step = h.hi > h.lo ? (h.hi - h.lo) / bins : 1.0;
        QVector<double> x, y;
        for (std::size_t b = 0; b < h.counts.size(); ++b) {
            x.push_back(h.lo + step * static_cast<double>(b));
            y.push_back(h.counts[b]);
        }
        x.push_back(h.lo + step * bins);
        y.push_back(h.counts.back());
        QCPGraph* g = p->addGraph();
        g->setName(tr("%1 (%2 below, %3 above the 0.5–99.5 % range)")
                       .arg(QString::fromStdString(report.splits[k].name))
                       .arg(h.below)
                       .arg(h.above));
        g->setLineStyle(QCPGraph::lsStepLeft);
        QColor c = splitColor(static_cast<int>(k));
        g->setPen(QPen(c, 1.5));
        c.setAlpha(40);
        g->setBrush(c);
        g->setData(x, y, true);
    }
    p->rescaleAxes();
    p->yAxis->setRangeLower(0);
    p->yAxis->scaleRange(1.1, 0);
    p->replot();
}

} // namespace alphascope::ui

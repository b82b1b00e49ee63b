#include "ui/views/instrument_detail_view.h"

#include "ui/qcustomplot_include.h"
#include "ui/util/cluster_colors.h"

#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace alphascope::ui {

InstrumentDetailView::InstrumentDetailView(QWidget* parent)
    : QWidget(parent), m_text(new QLabel(this)), m_plot(new QCustomPlot(this)) {
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::RichText);
    m_text->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_text->setObjectName(QStringLiteral("MarketGraphDetail"));
    m_text->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
    m_text->setMinimumHeight(5 * m_text->fontMetrics().lineSpacing());
    m_text->setText(tr("Click an instrument in the graph or the clustermap."));
    m_plot->setMinimumHeight(170);
    m_plot->xAxis->setLabel(tr("Days in the window"));
    m_plot->yAxis->setLabel(tr("Cumulative log return"));
    m_plot->legend->setFont(QFont(font().family(), std::max(6, font().pointSize() - 2)));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_text);
    layout->addWidget(m_plot, 1);
    setMinimumWidth(260);
}

void InstrumentDetailView::showInstrument(const InstrumentWindow& w, int instrument) {
    m_plot->clearGraphs();
    m_plot->legend->setVisible(false);
    if (!w.data || !w.returns || !w.view || !w.clusters || !w.edges || instrument < 0 ||
        instrument >= w.data->instrumentCount()) {
        m_plot->replot();
        return;
    }
    const MarketData& data = *w.data;
    const graph::WindowView& v = *w.view;
    auto levelName = [&](int level) { return w.prefix + QString::number(level + 1); };
    const auto it = std::find(v.active.begin(), v.active.end(), instrument);
    const QString name = QString::fromStdString(data.instruments[static_cast<std::size_t>(instrument)]);
    const Grouping* sector = data.grouping("sector");
    QString sectorName = tr("no sector");
    if (sector && sector->ids[static_cast<std::size_t>(instrument)] >= 0)
        sectorName = QString::fromStdString(
            sector->labels[static_cast<std::size_t>(sector->ids[static_cast<std::size_t>(instrument)])]);
    if (it == v.active.end()) {
        m_text->setText(tr("<b>%1</b> (%2) has too few returns in this window.")
                            .arg(name.toHtmlEscaped(), sectorName.toHtmlEscaped()));
        m_plot->replot();
        return;
    }
    const std::size_t a = static_cast<std::size_t>(it - v.active.begin());
    QStringList lines;
    lines << tr("<b>%1</b> — %2").arg(name.toHtmlEscaped(), sectorName.toHtmlEscaped());
    std::vector<int> members;
    for (std::size_t l = 0; l < v.labels.size() && l < w.clusters->size(); ++l) {
        const int c = v.labels[l][a];
        for (const graph::ClusterSummary& s : (*w.clusters)[l])
            if (s.id == c) {
                lines << tr("%1 cluster %2: %n member(s), intra ρ %3", "", static_cast<int>(s.members.size()))
                             .arg(levelName(static_cast<int>(l)))
                             .arg(c + 1)
                             .arg(s.intra, 0, 'f', 2);
                if (static_cast<int>(l) == w.level) members = s.members;
            }
    }
    int degree = 0;
    for (const graph::Edge& e : *w.edges) degree += (e.a == static_cast<int>(a)) + (e.b == static_cast<int>(a));
    lines << tr("Edges in this graph: %1").arg(degree);
    m_text->setText(lines.join(QStringLiteral("<br>")));

    // Cumulative log return over the window: the instrument, its cluster's mean, the market's mean.
    const Panel& returns = *w.returns;
    const int first = std::max(0, v.end - w.windowDays + 1);
    QVector<double> x, self, cluster, market;
    double cs = 0, cc = 0, cm = 0;
    for (int t = first; t <= v.end; ++t) {
        auto mean = [&](auto begin, auto end, auto index) {
            double sum = 0;
            int count = 0;
            for (auto p = begin; p != end; ++p) {
                const float r = returns.at(t, index(*p));
                if (std::isfinite(r)) sum += r, ++count;
            }
            return count ? sum / count : 0.0;
        };
        const float r = returns.at(t, instrument);
        cs += std::isfinite(r) ? r : 0.0f;
        cc += mean(members.begin(), members.end(), [&](int m) { return v.active[static_cast<std::size_t>(m)]; });
        cm += mean(v.active.begin(), v.active.end(), [](int i) { return i; });
        x << t - first + 1;
        self << cs;
        cluster << cc;
        market << cm;
    }
    auto add = [&](const QVector<double>& y, const QString& label, const QColor& color, double width) {
        QCPGraph* g = m_plot->addGraph();
        g->setData(x, y, true);
        g->setName(label);
        g->setPen(QPen(color, width));
    };
    const bool hasLevel = w.level >= 0 && w.level < static_cast<int>(v.labels.size());
    add(market, tr("market"), QColor(150, 150, 150), 1.2);
    add(cluster, tr("cluster (%1)").arg(levelName(w.level)),
        clusterColor(hasLevel ? v.labels[static_cast<std::size_t>(w.level)][a] : -1), 1.6);
    add(self, name, QColor(30, 30, 30), 1.8);
    m_plot->legend->setVisible(true);
    m_plot->rescaleAxes();
    m_plot->replot();
}

} // namespace alphascope::ui

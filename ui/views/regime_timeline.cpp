#include "ui/views/regime_timeline.h"

#include "ui/views/plot_dates.h"

#include <algorithm>
#include <cmath>

namespace alphascope::ui {

namespace {
const QColor kCorrelationColor(31, 119, 180);
const QColor kEntropyColor(255, 127, 14);
const QColor kDrawdownColor(214, 39, 40);
const QColor kSpellColor(214, 39, 40, 28);
} // namespace

RegimeTimeline::RegimeTimeline(QWidget* parent) : QCustomPlot(parent) {
    setObjectName(QStringLiteral("RegimeTimeline"));
    setMinimumSize(360, 260);
    plotLayout()->clear();
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_title = new QCPTextElement(this, QString(), QFont(font().family(), font().pointSize(), QFont::Bold));
    plotLayout()->addElement(0, 0, m_title);
    m_top = new QCPAxisRect(this);
    m_bottom = new QCPAxisRect(this);
    plotLayout()->addElement(1, 0, m_top);
    plotLayout()->addElement(2, 0, m_bottom);
    plotLayout()->setRowStretchFactors({0.001, 0.62, 0.38});
    auto* margins = new QCPMarginGroup(this);
    const auto ticker = makeDateTicker();
    for (QCPAxisRect* r : {m_top, m_bottom}) {
        r->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
        r->setRangeDrag(Qt::Horizontal);
        r->setRangeZoom(Qt::Horizontal);
        r->axis(QCPAxis::atBottom)->setTicker(ticker);
        connect(r->axis(QCPAxis::atBottom), qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this,
                [this](const QCPRange& range) {
                    for (QCPAxisRect* other : {m_top, m_bottom})
                        if (other->axis(QCPAxis::atBottom)->range() != range)
                            other->axis(QCPAxis::atBottom)->setRange(range);
                });
    }
    m_top->axis(QCPAxis::atBottom)->setTickLabels(false);
    m_top->axis(QCPAxis::atRight)->setVisible(true);
    m_top->axis(QCPAxis::atLeft)->setLabel(tr("Mean correlation"));
    m_top->axis(QCPAxis::atLeft)->setLabelColor(kCorrelationColor);
    m_top->axis(QCPAxis::atRight)->setLabelColor(kEntropyColor);
    m_bottom->axis(QCPAxis::atLeft)->setLabel(tr("Market drawdown (%)"));
    m_bottom->axis(QCPAxis::atBottom)->setLabel(tr("Date"));

    m_correlation = addGraph(m_top->axis(QCPAxis::atBottom), m_top->axis(QCPAxis::atLeft));
    m_correlation->setPen(QPen(kCorrelationColor, 1.6));
    m_correlation->setName(tr("Mean correlation"));
    m_entropy = addGraph(m_top->axis(QCPAxis::atBottom), m_top->axis(QCPAxis::atRight));
    m_entropy->setPen(QPen(kEntropyColor, 1.6));
    m_drawdown = addGraph(m_bottom->axis(QCPAxis::atBottom), m_bottom->axis(QCPAxis::atLeft));
    m_drawdown->setPen(QPen(kDrawdownColor, 1.2));
    m_drawdown->setBrush(QColor(214, 39, 40, 50));
    m_drawdown->setName(tr("Equal-weight market drawdown"));

    auto makeMarker = [this](QCPAxisRect* r) {
        auto* line = new QCPItemStraightLine(this);
        line->setClipAxisRect(r);
        line->point1->setAxes(r->axis(QCPAxis::atBottom), r->axis(QCPAxis::atLeft));
        line->point2->setAxes(r->axis(QCPAxis::atBottom), r->axis(QCPAxis::atLeft));
        line->setPen(QPen(QColor(40, 40, 40), 1, Qt::DashLine));
        line->setVisible(false);
        return line;
    };
    m_marker = makeMarker(m_top);
    m_markerBottom = makeMarker(m_bottom);

    connect(this, &QCustomPlot::mousePress, this, [this](QMouseEvent* event) {
        if (m_keys.empty()) return;
        QCPAxis* x = m_bottom->axis(QCPAxis::atBottom);
        const double key = x->pixelToCoord(event->position().x());
        const auto it = std::lower_bound(m_keys.begin(), m_keys.end(), key);
        int day = static_cast<int>(it - m_keys.begin());
        if (day >= static_cast<int>(m_keys.size())) day = static_cast<int>(m_keys.size()) - 1;
        if (day > 0 && std::abs(m_keys[static_cast<std::size_t>(day - 1)] - key) <
                           std::abs(m_keys[static_cast<std::size_t>(day)] - key))
            --day;
        Q_EMIT dayClicked(day);
    });
    clearSeries(QString());
}

void RegimeTimeline::clearSeries(const QString& message) {
    m_keys.clear();
    m_spells = 0;
    for (QCPGraph* g : {m_correlation, m_entropy, m_drawdown}) g->data()->clear();
    for (int i = itemCount() - 1; i >= 0; --i) {
        QCPAbstractItem* it = item(i);
        if (it != m_marker && it != m_markerBottom) removeItem(it);
    }
    m_marker->setVisible(false);
    m_markerBottom->setVisible(false);
    m_title->setText(message);
    replot();
}

void RegimeTimeline::setSeries(const graph::RegimeSeries& series, const Calendar& calendar, int level,
                               const QString& levelName) {
    clearSeries(QString());
    const int days = std::min<int>(calendar.size(), static_cast<int>(series.drawdown.size()));
    QVector<double> x, corr, ent, dd;
    for (int t = 0; t < days; ++t) {
        const double key = plotTime(calendar[t]);
        m_keys.push_back(key);
        x.push_back(key);
        corr.push_back(t < static_cast<int>(series.meanCorrelation.size())
                           ? series.meanCorrelation[static_cast<std::size_t>(t)]
                           : std::nan(""));
        const std::vector<double>* e = level >= 0 && level < static_cast<int>(series.entropy.size())
                                           ? &series.entropy[static_cast<std::size_t>(level)]
                                           : nullptr;
        ent.push_back(e && t < static_cast<int>(e->size()) ? (*e)[static_cast<std::size_t>(t)] : std::nan(""));
        dd.push_back(100.0 * series.drawdown[static_cast<std::size_t>(t)]);
    }
    m_correlation->setData(x, corr, true);
    m_entropy->setData(x, ent, true);
    m_entropy->setName(tr("Assignment entropy (%1)").arg(levelName));
    m_top->axis(QCPAxis::atRight)->setLabel(tr("Entropy (%1)").arg(levelName));
    m_drawdown->setData(x, dd, true);
    // Drawdown spells deeper than kSpellDepth, shaded in both rects.
    for (const auto& [first, last] : graph::drawdownSpells(series.drawdown, kSpellDepth)) {
        if (last >= days) continue;
        for (QCPAxisRect* r : {m_top, m_bottom}) {
            auto* band = new QCPItemRect(this);
            band->setClipAxisRect(r);
            band->topLeft->setAxes(r->axis(QCPAxis::atBottom), r->axis(QCPAxis::atLeft));
            band->bottomRight->setAxes(r->axis(QCPAxis::atBottom), r->axis(QCPAxis::atLeft));
            band->topLeft->setAxisRect(r); // the rect its vertical ratio refers to
            band->bottomRight->setAxisRect(r);
            band->topLeft->setTypeY(QCPItemPosition::ptAxisRectRatio);
            band->bottomRight->setTypeY(QCPItemPosition::ptAxisRectRatio);
            band->topLeft->setCoords(x[first], 0);
            band->bottomRight->setCoords(x[last], 1);
            band->setPen(Qt::NoPen);
            band->setBrush(kSpellColor);
            band->setLayer(QStringLiteral("background"));
        }
        ++m_spells;
    }
    bool found = false;
    const QCPRange corrRange = m_correlation->getValueRange(found);
    if (found) m_top->axis(QCPAxis::atLeft)->setRange(corrRange.lower - 0.02, corrRange.upper + 0.02);
    const QCPRange entRange = m_entropy->getValueRange(found);
    if (found) m_top->axis(QCPAxis::atRight)->setRange(entRange.lower - 0.02, entRange.upper + 0.02);
    const QCPRange ddRange = m_drawdown->getValueRange(found);
    if (found) m_bottom->axis(QCPAxis::atLeft)->setRange(ddRange.lower - 1, 1);
    if (!x.isEmpty()) m_bottom->axis(QCPAxis::atBottom)->setRange(x.front(), x.back());
    m_title->setText(
        tr("Regimes: %n drawdown spell(s) deeper than %1 % shaded", "", m_spells).arg(100 * kSpellDepth, 0, 'f', 0));
    replot();
}

void RegimeTimeline::setCurrentDay(int day) {
    if (day < 0 || day >= static_cast<int>(m_keys.size())) {
        m_marker->setVisible(false);
        m_markerBottom->setVisible(false);
    } else {
        const double key = m_keys[static_cast<std::size_t>(day)];
        for (QCPItemStraightLine* line : {m_marker, m_markerBottom}) {
            line->point1->setCoords(key, 0);
            line->point2->setCoords(key, 1);
            line->setVisible(true);
        }
    }
    replot(QCustomPlot::rpQueuedReplot);
}

} // namespace alphascope::ui

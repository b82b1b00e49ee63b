#pragma once
// FactorPlots: the lab's charts of one factor report — daily IC with its cumulative sum, IC decay,
// mean target per quantile, and the distribution of the factor's values.

#include "core/data/market_data.h"
#include "core/metrics/factor_report.h"

#include <QTabWidget>

class QCustomPlot;

namespace alphascope::ui {

/// Four QCustomPlot tabs fed by a FactorReport.
class FactorPlots : public QTabWidget {
    Q_OBJECT
public:
    enum Tab { DailyIc, Decay, Quantiles, Distribution };

    explicit FactorPlots(QWidget* parent = nullptr);

    /// Shows `report`, computed on `data` (for the calendar).
    void setReport(const FactorReport& report, const MarketData& data);
    void clear();
    QCustomPlot* plot(Tab tab) const { return m_plots[tab]; }
    /// Saves the current tab's chart (PNG by extension, else PDF).
    bool exportCurrent(const QString& path) const;

private:
    void showDailyIc(const FactorReport& report, const MarketData& data);
    void showDecay(const FactorReport& report);
    void showQuantiles(const FactorReport& report);
    void showDistribution(const FactorReport& report);

    QCustomPlot* m_plots[4];
};

/// The colour of split k in every chart (train, valid, test, ...).
QColor splitColor(int k);

} // namespace alphascope::ui

#pragma once
// Dates on QCustomPlot axes: one key (seconds at midnight UTC) and one ticker for every chart.

#include "core/data/date.h"
#include "ui/qcustomplot_include.h"

namespace alphascope::ui {

/// Seconds since the epoch at midnight UTC of a date (the key of a date axis).
inline double plotTime(const Date& d) {
    return static_cast<double>(d.toDayNumber()) * 86400.0;
}

/// A "yyyy-MM" date ticker in UTC, matching plotTime().
inline QSharedPointer<QCPAxisTickerDateTime> makeDateTicker() {
    auto ticker = QSharedPointer<QCPAxisTickerDateTime>::create();
    ticker->setDateTimeFormat(QStringLiteral("yyyy-MM"));
    ticker->setDateTimeSpec(Qt::UTC);
    return ticker;
}

} // namespace alphascope::ui

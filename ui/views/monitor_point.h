#pragma once
// One point of a search's monitor curves: a live progress report or a stored snapshot.

#include "core/search/search.h"

#include <QMetaType>

#include <vector>

namespace alphascope::ui {

/// One point of the curves (a progress report or a stored snapshot).
struct MonitorPoint {
    double evaluations = 0, seconds = 0;
    double rewardMean = kNaNd, rewardBest = kNaNd, loss = kNaNd;
    double poolIc = kNaNd, poolValidIc = kNaNd, bestIc = kNaNd;
    double poolSize = kNaNd, meanAbsMutual = kNaNd, evaluationsPerSecond = kNaNd;

    static MonitorPoint of(const SearchProgress& p);
};

} // namespace alphascope::ui

Q_DECLARE_METATYPE(std::vector<alphascope::ui::MonitorPoint>)

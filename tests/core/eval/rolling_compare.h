#pragma once
// A kernel's (or another engine's) float32 panel against the slow double references of
// rolling_reference.h, for the QtTest suites: the tolerance the CPU kernels are held to.

#include "tests/core/eval/rolling_reference.h"

#include <QtTest/QtTest>

#include <cmath>
#include <vector>

namespace rolling_reference {

/// Float output against the double reference: same NaNs, then 1e-5 relative plus a small absolute
/// part proportional to the magnitude the computation cancels at.
inline bool agrees(float got, const RefValue& ref, QString* why) {
    if (std::isnan(got) || std::isnan(ref.value)) {
        if (std::isnan(got) == std::isnan(ref.value)) return true;
        *why = QStringLiteral("got %1, expected %2").arg(got, 0, 'g', 9).arg(ref.value, 0, 'g', 17);
        return false;
    }
    const double tol = 1e-5 * std::fabs(ref.value) + 1e-9 * ref.scale + 1e-30;
    if (std::fabs(got - ref.value) <= tol) return true;
    *why = QStringLiteral("got %1, expected %2").arg(got, 0, 'g', 9).arg(ref.value, 0, 'g', 17);
    return false;
}

/// Compares a whole panel; reports the first disagreement with its day and instrument.
inline void comparePanels(const Panel& got, const std::vector<RefValue>& ref, const QString& what) {
    QCOMPARE(got.size(), ref.size());
    for (int t = 0; t < got.days(); ++t) {
        for (int i = 0; i < got.instruments(); ++i) {
            QString why;
            if (!agrees(got.at(t, i), ref[std::size_t(t) * got.instruments() + i], &why))
                QFAIL(qPrintable(QStringLiteral("%1 day %2 instrument %3: %4").arg(what).arg(t).arg(i).arg(why)));
        }
    }
}

} // namespace rolling_reference

#pragma once
// Small helpers shared by the QtTest suites of core.

#include "core/data/panel.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <vector>

namespace alphascope::test {

/// a and b agree to a relative tolerance (absolute below 1); NaN only equals NaN.
inline bool near(double a, double b, double tol = 1e-9) {
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
    return std::fabs(a - b) <= tol * std::max(1.0, std::fabs(b));
}

/// A panel from rows of values (one row per day).
inline Panel makePanel(const std::vector<std::vector<float>>& rows) {
    Panel p(static_cast<int>(rows.size()), static_cast<int>(rows.front().size()));
    for (int t = 0; t < p.days(); ++t)
        for (int i = 0; i < p.instruments(); ++i)
            p.at(t, i) = rows[static_cast<std::size_t>(t)][static_cast<std::size_t>(i)];
    return p;
}

} // namespace alphascope::test

/// QVERIFY that two numbers are near, printing both with full precision when they are not.
#define CHECK_NEAR(a, b, tol)                                                                                          \
    QVERIFY2(::alphascope::test::near((a), (b), (tol)),                                                                \
             qPrintable(QStringLiteral("%1 vs expected %2").arg((a), 0, 'g', 17).arg((b), 0, 'g', 17)))

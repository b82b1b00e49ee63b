#pragma once
// Numbers as the tables and summaries of the workbench print them: fixed digits, "–" for a value
// that is not finite, and a "+" in front of a non-negative signed figure (IC, differences).

#include <QString>

#include <cmath>

namespace alphascope::ui {

inline QString fixedOrDash(double v, int digits) {
    return std::isfinite(v) ? QString::number(v, 'f', digits) : QStringLiteral("–");
}
inline QString signedFixed(double v, int digits) {
    return (std::isfinite(v) && v >= 0 ? QStringLiteral("+") : QString()) + fixedOrDash(v, digits);
}

} // namespace alphascope::ui

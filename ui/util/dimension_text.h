#pragma once
// A dimension in the words an analyst uses ("dimensionless", "price", "volume", "price × volume"),
// as the formula tree's legend does; other products keep their exponents ("price^2").

#include "core/expr/dimension.h"

#include <QCoreApplication>
#include <QString>

namespace alphascope::ui {

inline QString dimensionText(const Dimension& d) {
    if (!d.known) return QCoreApplication::translate("alphascope::ui::Dimension", "unknown");
    if (d.isDimensionless()) return QCoreApplication::translate("alphascope::ui::Dimension", "dimensionless");
    if (d.price == 1 && d.volume == 0) return QCoreApplication::translate("alphascope::ui::Dimension", "price");
    if (d.price == 0 && d.volume == 1) return QCoreApplication::translate("alphascope::ui::Dimension", "volume");
    if (d.price == 1 && d.volume == 1)
        return QCoreApplication::translate("alphascope::ui::Dimension", "price × volume");
    return QString::fromStdString(d.toString());
}

} // namespace alphascope::ui

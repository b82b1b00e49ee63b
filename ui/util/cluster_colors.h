#pragma once
// Colours of cluster and group ids in the market views: a qualitative palette of 20 (after
// Tableau's), repeated for larger ids; -1 (no cluster) is grey.

#include <QColor>

namespace alphascope::ui {

inline QColor clusterColor(int id) {
    static const QColor palette[] = {{31, 119, 180},  {255, 127, 14},  {44, 160, 44},   {214, 39, 40},
                                     {148, 103, 189}, {140, 86, 75},   {227, 119, 194}, {127, 127, 127},
                                     {188, 189, 34},  {23, 190, 207},  {174, 199, 232}, {255, 187, 120},
                                     {152, 223, 138}, {255, 152, 150}, {197, 176, 213}, {196, 156, 148},
                                     {247, 182, 210}, {199, 199, 199}, {219, 219, 141}, {158, 218, 229}};
    constexpr int size = static_cast<int>(sizeof palette / sizeof palette[0]);
    if (id < 0) return QColor(170, 170, 170);
    return palette[id % size];
}

} // namespace alphascope::ui

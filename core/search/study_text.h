#pragma once
// Internal to core/search: the text and JSON cells a study's summary and a study comparison share
// (study_output.cpp, study_compare.cpp).

#include "core/metrics/inference.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <string>

namespace alphascope::study_text {

using json = nlohmann::json;

/// "t, p" of a Newey-West test, "–" when it was not computed.
inline std::string tp(const NeweyWestTest& t) {
    if (t.n == 0 || !std::isfinite(t.t)) return "–";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f, %.3f", t.t, t.p);
    return buf;
}

inline json num(double v) {
    return std::isfinite(v) ? json(v) : json(nullptr);
}

inline json intervalJson(const MeanInterval& m) {
    return {{"n", m.n}, {"mean", num(m.mean)}, {"sd", num(m.sd)}, {"lo95", num(m.lo)}, {"hi95", num(m.hi)}};
}

inline json nwJson(const NeweyWestTest& t) {
    return {{"days", t.n},   {"mean", num(t.mean)}, {"se", num(t.se)},
            {"t", num(t.t)}, {"p", num(t.p)},       {"lags", t.lags}};
}

} // namespace alphascope::study_text

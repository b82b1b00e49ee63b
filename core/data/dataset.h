#pragma once
// Dataset loading: picks the loader (Qlib folder or long CSV), adds groups, finalises the panel.

#include "core/data/market_data.h"
#include "core/util/progress_span.h"
#include "core/util/result.h"

#include <memory>
#include <string>
#include <string_view>

namespace alphascope {

/// What to load: a Qlib folder or a long CSV (.csv / .csv.xz), plus an optional groups CSV.
struct DatasetSpec {
    std::string path;             ///< directory -> Qlib layout, file -> long CSV
    std::string groupsPath;       ///< sectors / industries CSV, optional
    std::string universe = "all"; ///< Qlib instruments/<universe>.txt; CSV files only have "all"
    bool maskZeroVolume = false;  ///< zero-volume rows become NaN in every field
};

/// Message prefixes of the data-quality warnings; finalizeMarketData() does not repeat a finding that
/// a loader has already reported (with line numbers).
inline constexpr std::string_view kZeroVolumeWarning = "zero volume";
inline constexpr std::string_view kCloseJumpWarning = "suspicious close jumps";
inline constexpr std::string_view kVwapDerivedWarning = "vwap derived";
/// A day-over-day close ratio above this (or below its inverse) is reported as suspicious.
inline constexpr double kSuspiciousJumpRatio = 3.0;

/// Loads a dataset: directory -> loadQlib(), file -> loadLongCsv(); then groups; then finalizeMarketData().
/// `progress` (a Feedback* or a share of one) sees the whole load as one monotone 0..1 with the stage
/// in its text; a cancel returns ErrorCode::Canceled promptly. Call off the GUI thread.
Result<std::shared_ptr<const MarketData>> loadDataset(const DatasetSpec& spec, ProgressSpan progress = {});

/// Completes a freshly loaded panel: derives vwap when missing (amount/volume where amount is known and
/// volume > 0, else (high+low+close)/3) and flags it, sets cells outside the membership to NaN, and adds
/// warnings for zero-volume cells and suspicious close jumps. Safe to call more than once.
void finalizeMarketData(MarketData& data);

/// Adds the summarised warnings for zero-volume member cells and suspicious close jumps, each unless a
/// warning of that kind is already present (loadLongCsv() and finalizeMarketData() both call it).
void addDataQualityWarnings(MarketData& data);

/// Sets every field to NaN on member cells whose volume is exactly zero (suspended days).
void maskZeroVolumeCells(MarketData& data);

/// The folder of the bundled sample: ALPHASCOPE_SAMPLE_DIR when it exists, else
/// <dir of the executable>/../share/alphascope/sample, else "".
std::string bundledSampleDir();

/// The bundled sample: prices.csv.xz with sectors.csv from bundledSampleDir().
DatasetSpec bundledSampleSpec();

} // namespace alphascope

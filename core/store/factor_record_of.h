#pragma once
// From an analysis to what the project stores: a FactorReport becomes a FactorRecord.

#include "core/metrics/factor_report.h"
#include "core/store/project_store.h"

#include <cstdint>
#include <string>

namespace alphascope {

/// The record of `report`'s formula and its metrics per split, named `name` (the formula when
/// empty), for dataset `datasetId` (0 = none). The id and the creation time are left to the store.
FactorRecord factorRecordOf(std::string name, const FactorReport& report, std::int64_t datasetId = 0);

} // namespace alphascope

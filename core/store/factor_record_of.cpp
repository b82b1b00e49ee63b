#include "core/store/factor_record_of.h"

namespace alphascope {

FactorRecord factorRecordOf(std::string name, const FactorReport& report, std::int64_t datasetId) {
    FactorRecord rec;
    rec.name = name.empty() ? report.formula : std::move(name);
    rec.formula = report.formula;
    rec.datasetId = datasetId;
    for (const SplitMetrics& m : report.splits) {
        FactorSplitRecord s;
        s.split = m.name;
        s.icDays = m.icDays;
        s.ic = m.ic;
        s.rankIc = m.rankIc;
        s.icir = m.icir;
        s.rankIcir = m.rankIcir;
        s.coverage = m.coverage;
        s.turnover = m.turnover;
        s.autocorrelation = m.autocorrelation;
        rec.metrics.push_back(std::move(s));
    }
    return rec;
}

} // namespace alphascope

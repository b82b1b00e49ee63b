#include "core/metrics/factor_report.h"

#include "core/metrics/factor_stats.h"

#include <algorithm>

namespace alphascope {

std::string forwardReturnFormula(int horizon) {
    return "Sub(Div(Ref($close, -" + std::to_string(horizon) + "), $close), 1)";
}

Result<FactorReport> analyzeFactor(const Evaluator& evaluator, const ExprPtr& factor, const PanelPtr& target,
                                   const std::vector<Split>& splits, const AnalysisOptions& options,
                                   const std::atomic<bool>* cancel) {
    if (factor->futureDays() > 0)
        return makeError(ErrorCode::Semantic, "the factor reads future data (a negative Ref); only the target may");
    auto values = evaluator.evaluate(factor, cancel);
    if (!values.ok()) return values.error();
    auto report =
        analyzeValues(evaluator, std::move(values.value()), factor->toString(), target, splits, options, cancel);
    if (!report.ok()) return report;
    report->dimension = inferDimension(*factor);
    for (const auto& v : report->dimension.violations) report->warnings.push_back("dimension: " + v);
    return report;
}

Result<FactorReport> analyzeValues(const Evaluator& evaluator, PanelPtr values, std::string label,
                                   const PanelPtr& target, const std::vector<Split>& splits,
                                   const AnalysisOptions& options, const std::atomic<bool>* cancel) {
    const MarketData& data = evaluator.data();
    if (!values || !target) return makeError(ErrorCode::InvalidArgument, "no factor values or no target to analyse");
    if (values->days() != data.days() || values->instruments() != data.instrumentCount())
        return makeError(ErrorCode::InvalidArgument,
                         "the values of " + label + " are " + std::to_string(values->days()) + " x " +
                             std::to_string(values->instruments()) + ", the data is " + std::to_string(data.days()) +
                             " x " + std::to_string(data.instrumentCount()));
    FactorReport report;
    report.formula = std::move(label);
    report.values = std::move(values);
    const Panel& f = *report.values;
    const int T = data.days();
    report.dailyIc.assign(static_cast<std::size_t>(T), kNaNd);
    report.dailyRankIc.assign(static_cast<std::size_t>(T), kNaNd);

    // The target's per-day moments and ranks are computed once per target (i.e. per session).
    const std::shared_ptr<const PreparedTarget> prepared = prepareTarget(target);

    // Each day of the splits is ranked once for the rank statistics of every split.
    DayRange span{T, 0};
    for (const Split& s : splits) {
        span.begin = std::min(span.begin, s.begin);
        span.end = std::max(span.end, s.end);
    }
    const DayRanks ranks = rankDays(f, span);

    for (const Split& s : splits) {
        if (cancel && cancel->load()) return makeError(ErrorCode::Canceled, "analysis canceled");
        SplitMetrics m;
        m.name = s.name;
        m.first = s.first;
        m.last = s.last;
        m.days = s.days();
        const DayRange r{s.begin, s.end};
        const auto ic = dailyIc(f, *prepared, r);
        const auto ric = dailyRankIc(f, *prepared, r, ranks);
        for (int k = 0; k < r.size(); ++k) {
            report.dailyIc[static_cast<std::size_t>(r.begin + k)] = ic[static_cast<std::size_t>(k)];
            report.dailyRankIc[static_cast<std::size_t>(r.begin + k)] = ric[static_cast<std::size_t>(k)];
        }
        const SeriesStats a = seriesStats(ic), b = seriesStats(ric);
        m.icDays = a.days;
        m.ic = a.mean;
        m.icStd = a.std;
        m.icir = a.ir;
        m.rankIc = b.mean;
        m.rankIcStd = b.std;
        m.rankIcir = b.ir;
        m.coverage = coverage(f, data.membership, r);
        m.turnover = topQuantileTurnover(f, r, options.quantiles, &ranks);
        m.autocorrelation = rankAutocorrelation(f, r, 1, &ranks);
        m.quantileReturns = quantileMeanReturns(f, *target, r, options.quantiles, &ranks);
        if (m.icDays == 0) report.warnings.push_back("no day of " + s.name + " has an IC (too few valid values)");
        report.splits.push_back(std::move(m));
    }
    if (auto details = addDecayAndHistogram(evaluator, report, splits, options, cancel); !details.ok())
        return details.error();
    return report;
}

Result<void> addDecayAndHistogram(const Evaluator& evaluator, FactorReport& report, const std::vector<Split>& splits,
                                  const AnalysisOptions& options, const std::atomic<bool>* cancel) {
    if (!report.values) return makeError(ErrorCode::InvalidArgument, "no factor values in the report");
    if (report.splits.size() != splits.size())
        return makeError(ErrorCode::InvalidArgument, "the report has " + std::to_string(report.splits.size()) +
                                                         " splits, not " + std::to_string(splits.size()));
    const Panel& f = *report.values;
    std::vector<PanelPtr> forward;
    if (options.decayHorizons > 0 && evaluator.data().hasField("close")) {
        for (int h = 1; h <= options.decayHorizons; ++h) {
            if (cancel && cancel->load()) return makeError(ErrorCode::Canceled, "analysis canceled");
            auto p = evaluator.evaluateKept(forwardReturnFormula(h), true);
            if (!p.ok()) return p.error();
            forward.push_back(p.value());
        }
    }
    for (std::size_t k = 0; k < splits.size(); ++k) {
        if (cancel && cancel->load()) return makeError(ErrorCode::Canceled, "analysis canceled");
        SplitMetrics& m = report.splits[k];
        const DayRange r{splits[k].begin, splits[k].end};
        m.icDecay.clear();
        for (const auto& fwd : forward) m.icDecay.push_back(seriesStats(dailyIc(f, *fwd, r)).mean);
        m.histogram = options.histogramBins > 0 ? histogram(f, r, options.histogramBins) : Histogram{};
    }
    return {};
}

} // namespace alphascope

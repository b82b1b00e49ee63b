#include "core/search/search.h"

#include "core/pool/adaptive_combination.h"
#include "core/pool/linear_combination.h"

#include <algorithm>
#include <cmath>

namespace alphascope {

std::string_view searchAlgoName(SearchAlgo algo) {
    switch (algo) {
    case SearchAlgo::GFlowNet: return "gfn";
    case SearchAlgo::Mcts: return "mcts";
    case SearchAlgo::Genetic: return "gp";
    case SearchAlgo::Random: return "random";
    }
    return "?";
}

std::optional<SearchAlgo> parseSearchAlgo(std::string_view name) {
    for (SearchAlgo a : {SearchAlgo::GFlowNet, SearchAlgo::Mcts, SearchAlgo::Genetic, SearchAlgo::Random})
        if (searchAlgoName(a) == name) return a;
    return std::nullopt;
}

namespace {

/// The split named "train", else the first one.
const Split& trainSplit(const ResearchSession& s) {
    for (const Split& sp : s.splits)
        if (sp.name == "train") return sp;
    return s.splits.front();
}

SearchConfig completed(SearchConfig c, const ResearchSession& s) {
    if (c.grammar.operators.empty()) {
        Grammar d = Grammar::defaults(*s.data);
        d.maxTokens = c.grammar.maxTokens;
        d.maxInstructions = c.grammar.maxInstructions;
        d.registers = c.grammar.registers;
        d.dimensionCheck = c.grammar.dimensionCheck;
        c.grammar = std::move(d);
    }
    if (!c.pool) c.pool = c.algo == SearchAlgo::GFlowNet ? PoolKind::Mining : PoolKind::Linear;
    return c;
}

} // namespace

SearchRun::SearchRun(std::shared_ptr<const ResearchSession> session, SearchConfig config, SearchFeedback& feedback)
    : m_session(std::move(session)),
      m_config(completed(std::move(config), *m_session)),
      m_feedback(feedback),
      m_scorer(m_session->evaluator, m_session->targetValues,
               DayRange{trainSplit(*m_session).begin, trainSplit(*m_session).end}),
      m_pool(makeAlphaPool(*m_config.pool, m_scorer, m_config.poolOptions)),
      m_rng(m_config.seed),
      m_start(std::chrono::steady_clock::now()) {}

double SearchRun::elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
}

double SearchRun::fraction() const {
    const SearchBudget& b = m_config.budget;
    double f = 0.0;
    if (b.evaluations > 0) f = std::max(f, double(m_scorer.evaluations()) / double(b.evaluations));
    if (b.episodes > 0) f = std::max(f, double(m_episodes) / double(b.episodes));
    if (b.seconds > 0) f = std::max(f, elapsed() / b.seconds);
    return std::clamp(f, 0.0, 1.0);
}

Result<ScoredFactor> SearchRun::evaluate(const ExprPtr& expr) {
    auto r = m_scorer.score(expr, &m_feedback.cancel);
    m_lastFormula = expr->toString();
    if (r.ok() && r->usable() && !(std::fabs(r->ic) <= m_bestIc)) m_bestIc = std::fabs(r->ic);
    maybeReport(false);
    return r;
}

AdmitResult SearchRun::offer(const ScoredFactor& factor) {
    AdmitResult r = m_pool->offer(factor);
    if (r.admitted) m_poolChanged = true;
    if (m_poolChanged && elapsed() - m_lastSnapshot >= m_config.snapshotInterval) sendSnapshot();
    return r;
}

void SearchRun::endEpisode() {
    ++m_episodes;
    maybeReport(false);
}

bool SearchRun::shouldStop() {
    if (!m_stopReason.empty()) return true;
    const SearchBudget& b = m_config.budget;
    if (m_feedback.canceled())
        m_stopReason = "canceled";
    else if (b.evaluations > 0 && m_scorer.evaluations() >= b.evaluations)
        m_stopReason = "evaluation budget";
    else if (b.episodes > 0 && m_episodes >= b.episodes)
        m_stopReason = "episode budget";
    else if (b.seconds > 0 && elapsed() >= b.seconds)
        m_stopReason = "time budget";
    return !m_stopReason.empty();
}

void SearchRun::maybeReport(bool force) {
    const double now = elapsed();
    if (m_poolChanged && now - m_lastSnapshot >= m_config.snapshotInterval) sendSnapshot();
    if (!force && now - m_lastProgress < m_config.progressInterval) return;
    m_lastProgress = now;
    if (!m_feedback.onProgress) return;
    SearchProgress p;
    p.evaluations = m_scorer.evaluations();
    p.episodes = m_episodes;
    p.seconds = now;
    p.fraction = fraction();
    p.poolSize = m_pool->size();
    p.poolIc = m_pool->combinedIc();
    p.bestIc = m_bestIc;
    p.lastFormula = m_lastFormula;
    m_feedback.onProgress(p);
}

void SearchRun::sendSnapshot() {
    m_poolChanged = false;
    m_lastSnapshot = elapsed();
    PoolSnapshot s;
    s.evaluations = m_scorer.evaluations();
    s.seconds = m_lastSnapshot;
    s.poolIc = m_pool->combinedIc();
    for (const auto& m : m_pool->members()) {
        s.formulas.push_back(m.factor.formula);
        s.weights.push_back(m.weight);
        s.ics.push_back(m.factor.ic);
    }
    m_history.push_back(s);
    if (m_feedback.onSnapshot) m_feedback.onSnapshot(m_history.back());
}

Result<SearchResult> SearchRun::finish() {
    shouldStop(); // records why the algorithm returned, if a limit was reached
    maybeReport(true);
    sendSnapshot();

    SearchResult r;
    r.config = m_config;
    r.device = m_device;
    r.canceled = m_feedback.canceled();
    r.stopReason = m_stopReason.empty() ? "search finished" : m_stopReason;
    r.evaluations = m_scorer.evaluations();
    r.distinctFormulas = m_scorer.distinctFormulas();
    r.failedEvaluations = m_scorer.failures();
    r.episodes = m_episodes;
    r.seconds = elapsed();
    r.evaluationsPerSecond = r.seconds > 0 ? double(r.evaluations) / r.seconds : 0.0;
    r.poolKind = m_pool->kind();
    r.meanAbsMutual = m_pool->meanAbsMutual();
    r.history = m_history;
    r.notes = m_notes;

    const ResearchSession& s = *m_session;
    AnalysisOptions light;
    light.decayHorizons = 0;
    light.histogramBins = 0;
    std::vector<PanelPtr> values;
    std::vector<double> weights;
    for (const auto& m : m_pool->members()) {
        auto report = analyzeValues(*s.evaluator, m.factor.values, m.factor.formula, s.targetValues, s.splits, light);
        if (!report.ok()) return report.error();
        r.pool.push_back({m.factor.formula, m.weight, report->splits});
        values.push_back(m.factor.values);
        weights.push_back(m.weight);
    }
    if (values.empty()) {
        r.notes.push_back("the pool is empty: no formula was admitted");
        return r;
    }
    auto combined = analyzeValues(*s.evaluator, weightedCombination(values, weights), "pool", s.targetValues,
                                  s.splits, light);
    if (!combined.ok()) return combined.error();
    r.combined = combined->splits;

    // Adaptive rolling OLS over the days after training (valid and test), history from the train start.
    const Split& train = trainSplit(s);
    int applyBegin = s.data->days(), applyEnd = 0;
    for (const Split& sp : s.splits)
        if (sp.begin >= train.end) {
            applyBegin = std::min(applyBegin, sp.begin);
            applyEnd = std::max(applyEnd, sp.end);
        }
    if (applyBegin < applyEnd) {
        auto adaptive = adaptiveCombination(values, *s.targetValues, train.begin, {applyBegin, applyEnd}, s.horizon);
        if (!adaptive.ok()) {
            r.notes.push_back("adaptive combination skipped: " + adaptive.error().message);
        } else {
            auto rep = analyzeValues(*s.evaluator, adaptive->values, "adaptive pool", s.targetValues, s.splits, light);
            if (!rep.ok()) return rep.error();
            for (const SplitMetrics& m : rep->splits)
                if (m.first >= s.data->calendar[applyBegin]) r.adaptive.push_back(m);
        }
    }
    return r;
}

} // namespace alphascope

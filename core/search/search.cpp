#include "core/search/search.h"

#include "core/metrics/correlation.h"
#include "core/pool/adaptive_combination.h"
#include "core/pool/factor_probe.h"
#include "core/pool/linear_combination.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>

namespace alphascope {

std::string_view searchAlgoName(SearchAlgo algo) {
    switch (algo) {
    case SearchAlgo::GFlowNet: return "gfn";
    case SearchAlgo::Mcts: return "mcts";
    case SearchAlgo::Genetic: return "gp";
    case SearchAlgo::Random: return "random";
    case SearchAlgo::Ppo: return "ppo";
    }
    return "?";
}

std::optional<SearchAlgo> parseSearchAlgo(std::string_view name) {
    for (SearchAlgo a :
         {SearchAlgo::GFlowNet, SearchAlgo::Mcts, SearchAlgo::Genetic, SearchAlgo::Random, SearchAlgo::Ppo})
        if (searchAlgoName(a) == name) return a;
    return std::nullopt;
}

namespace {

/// The IC of the split named `name` among `splits`; NaN when there is none.
double icOn(const std::vector<SplitMetrics>& splits, const std::string& name) {
    for (const SplitMetrics& m : splits)
        if (m.name == name) return m.ic;
    return kNaNd;
}

SearchConfig completed(SearchConfig c, const ResearchSession& s) {
    c.grammar = c.grammar.completed(*s.data);
    if (!c.pool) c.pool = defaultPoolKind(c.algo);
    return c;
}

} // namespace

std::vector<RewardPoint> rewardCurve(const std::vector<std::pair<float, long long>>& rewards, int points) {
    std::vector<RewardPoint> curve;
    const auto n = static_cast<long long>(rewards.size());
    if (n == 0 || points < 1) return curve;
    const long long k = std::min<long long>(points, n);
    for (long long i = 0; i < k; ++i) {
        const long long begin = n * i / k, end = n * (i + 1) / k;
        double sum = 0.0;
        for (long long e = begin; e < end; ++e) sum += rewards[static_cast<std::size_t>(e)].first;
        curve.push_back(
            {end, rewards[static_cast<std::size_t>(end - 1)].second, sum / static_cast<double>(end - begin)});
    }
    return curve;
}

int defaultPoolCapacity(PoolKind kind) {
    return kind == PoolKind::Mining ? 50 : 20;
}

// AlphaSAGE pairs its GFlowNet with the mining pool; on the US data (train 2015-17, test 2019) the
// GFlowNet's combined test Rank IC with it was -0.016 [-0.029, -0.003] over 5 seeds at 20,000
// evaluations, and at 4,000 evaluations the same search with the linear pool reached 0.033 and
// 0.045 (seeds 0, 1) where the mining pool gave -0.032 and 0.002: every search defaults to the
// linear pool; the mining pool stays a choice (--pool mining, pool.kind).
PoolKind defaultPoolKind(SearchAlgo) {
    return PoolKind::Linear;
}

SearchConfig defaultSearchConfig(SearchAlgo algo) {
    SearchConfig c;
    c.algo = algo;
    c.pool = defaultPoolKind(algo);
    c.poolOptions.capacity = defaultPoolCapacity(*c.pool);
    return c;
}

namespace {
/// The evaluator a search scores with. The scorer, the pools and every search read only the
/// training days, and every formula a search builds looks only backwards (windows are positive,
/// Grammar::validate), so the formulas are evaluated on the market's days up to the end of the
/// training split: their values there are the whole market's, at ~60 % of the work on the US split
/// (train 2015-2017 of 2015-2019). The members' validation and test days are evaluated on the
/// whole market when a snapshot or the result needs them (SearchRun::fullValues). When
/// the run prefers CUDA and a registered backend finds a GPU, the evaluator hands whole formulas
/// to it. The session's own evaluator when neither applies.
std::shared_ptr<const Evaluator> evaluatorFor(const ResearchSession& session, const SearchConfig& config) {
    const std::shared_ptr<const MarketData> data = session.evaluator->dataPtr();
    const int trainEnd = trainingSplit(session).end;
    const std::shared_ptr<const MarketData> searched = trainEnd < data->days() ? data->leadingDays(trainEnd) : data;
    std::unique_ptr<EvalBackend> backend;
    if (config.preferCuda)
        if (const EvalBackendFactory factory = evalBackendFactory()) backend = factory(searched, true);
    if (searched == data && !backend) return session.evaluator;
    EvaluatorOptions options;
    options.cacheBytes = session.evaluator->cacheStats().budgetBytes;
    auto evaluator = std::make_shared<Evaluator>(searched, options);
    if (backend) evaluator->setBackend(std::move(backend));
    return evaluator;
}
} // namespace

SearchRun::SearchRun(std::shared_ptr<const ResearchSession> session, SearchConfig config, SearchFeedback& feedback)
    : m_session(std::move(session)), m_config(completed(std::move(config), *m_session)), m_feedback(feedback),
      m_scorer(evaluatorFor(*m_session, m_config), m_session->targetValues,
               DayRange{trainingSplit(*m_session).begin, trainingSplit(*m_session).end}),
      m_pool(makeAlphaPool(*m_config.pool, m_scorer, m_config.poolOptions)), m_rng(m_config.seed),
      m_valid(validationSplit(*m_session)), m_clockOffset(feedback.elapsed()),
      m_cacheAtStart(m_scorer.evaluator().cacheStats()), m_panelMemoryAtStart(panelMemoryStats()) {
    if (m_config.precheck) {
        const Split& train = trainingSplit(*m_session);
        m_scorer.setProbe(std::make_shared<FactorProbe>(*m_session->data, DayRange{train.begin, train.end}));
    }
    if (const EvalBackend* backend = m_scorer.evaluator().backend()) {
        m_device = backend->name();
        addNote("formulas evaluated by " + backend->name());
    }
}

double SearchRun::elapsed() const {
    return m_feedback.elapsed() - m_clockOffset;
}

double SearchRun::fraction() const {
    return fractionAfter(0, 0);
}

double SearchRun::fractionAfter(long long evaluations, long long episodes) const {
    const SearchBudget& b = m_config.budget;
    double f = 0.0;
    if (b.evaluations > 0) f = std::max(f, double(m_scorer.evaluations() + evaluations) / double(b.evaluations));
    if (b.episodes > 0) f = std::max(f, double(m_episodes + episodes) / double(b.episodes));
    if (b.seconds > 0) f = std::max(f, elapsed() / b.seconds);
    return std::clamp(f, 0.0, 1.0);
}

void SearchRun::recordEvaluated(const Result<ScoredFactor>& r) {
    if (r.ok() && r->rejected) return; // answered by the pre-check: not an evaluation
    if (!r.ok() && r.error().code == ErrorCode::Canceled) return;
    const double ic = r.ok() && r->usable() ? std::fabs(r->ic) : 0.0;
    m_evaluatedIcs.emplace_back(static_cast<float>(ic), m_scorer.evaluations());
    m_evaluatedNew.push_back(r.ok() && r->expr && m_seenFormulas.insert(r->expr->hash()).second);
}

std::vector<RewardPoint> topShareCurve(const std::vector<std::pair<float, long long>>& ics,
                                       const std::vector<bool>& isNew, int points) {
    std::vector<float> distinct;
    for (std::size_t i = 0; i < ics.size(); ++i)
        if (isNew[i] && ics[i].first > 0.0f) distinct.push_back(ics[i].first);
    if (distinct.empty()) return rewardCurve({}, points);
    // The 90th percentile: the smallest value with at most 10 % of the distinct formulas above it.
    const std::size_t k = distinct.size() - 1 - distinct.size() / 10;
    std::nth_element(distinct.begin(), distinct.begin() + static_cast<std::ptrdiff_t>(k), distinct.end());
    const float threshold = distinct[k];
    std::vector<std::pair<float, long long>> hits(ics.size());
    for (std::size_t i = 0; i < ics.size(); ++i)
        hits[i] = {isNew[i] && ics[i].first > 0.0f && ics[i].first >= threshold ? 1.0f : 0.0f, ics[i].second};
    return rewardCurve(hits, points);
}

Result<ScoredFactor> SearchRun::evaluate(const ExprPtr& expr) {
    auto r = m_scorer.score(expr, &m_feedback.cancelFlag);
    recordEvaluated(r);
    m_lastFormula = expr->toString();
    if (r.ok() && r->usable() && !(std::fabs(r->ic) <= m_bestIc)) m_bestIc = std::fabs(r->ic);
    maybeReport(false);
    return r;
}

std::vector<Result<ScoredFactor>> SearchRun::evaluateBatch(const std::vector<ExprPtr>& exprs) {
    auto results = m_scorer.scoreBatch(exprs, &m_feedback.cancelFlag);
    for (std::size_t i = 0; i < exprs.size(); ++i) {
        const auto& r = results[i];
        recordEvaluated(r);
        if (r.ok() && r->usable() && !(std::fabs(r->ic) <= m_bestIc)) m_bestIc = std::fabs(r->ic);
    }
    if (!exprs.empty()) m_lastFormula = exprs.back()->toString();
    maybeReport(false);
    return results;
}

void SearchRun::addTenthsDiagnostic(const std::string& name, const std::vector<double>& values) {
    const std::size_t n = values.size();
    if (n == 0) return;
    const std::size_t tenth = std::max<std::size_t>(1, n / 10);
    double first = 0.0, last = 0.0;
    for (std::size_t i = 0; i < tenth; ++i) {
        first += values[i];
        last += values[n - 1 - i];
    }
    addDiagnostic(name + "_first_tenth", first / double(tenth));
    addDiagnostic(name + "_last_tenth", last / double(tenth));
}

bool SearchRun::stopsAfter(long long evaluations, long long episodes) {
    if (shouldStop()) return true;
    const SearchBudget& b = m_config.budget;
    return (b.evaluations > 0 && m_scorer.evaluations() + evaluations >= b.evaluations) ||
           (b.episodes > 0 && m_episodes + episodes >= b.episodes);
}

void SearchRun::prepareOffers(const std::vector<Result<ScoredFactor>>& scored) {
    std::vector<const ScoredFactor*> candidates;
    for (const auto& s : scored)
        if (s.ok()) candidates.push_back(&*s);
    m_pool->prepareOffers(candidates);
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

void SearchRun::reportReward(double reward) {
    if (!std::isfinite(reward)) return;
    m_rewards.emplace_back(static_cast<float>(reward), m_scorer.evaluations());
    m_rewardSum += reward;
    ++m_rewardCount;
    if (!(reward <= m_rewardBest)) m_rewardBest = reward;
}

void SearchRun::reportLoss(double loss) {
    if (std::isfinite(loss)) m_loss = loss;
}

SearchRun::Checkpoint SearchRun::checkpointNow() const {
    Checkpoint c;
    c.evaluations = m_scorer.evaluations();
    for (const auto& m : m_pool->members()) {
        c.exprs.push_back(m.factor.expr);
        c.formulas.push_back(m.factor.formula);
        c.weights.push_back(m.weight);
    }
    return c;
}

void SearchRun::recordCheckpoints() {
    const int passed = static_cast<int>(std::floor(fraction() * kCheckpoints + 1e-9));
    while (static_cast<int>(m_checkpoints.size()) < std::min(passed, kCheckpoints - 1))
        m_checkpoints.push_back(checkpointNow());
}

bool SearchRun::shouldStop() {
    if (!m_stopReason.empty()) return true;
    recordCheckpoints();
    if (m_feedback.paused()) {
        maybeReport(true); // the monitor shows where it paused
        m_feedback.waitWhilePaused();
    }
    const SearchBudget& b = m_config.budget;
    if (m_feedback.canceled())
        m_stopReason = "canceled";
    else if (b.evaluations > 0 && m_scorer.evaluations() >= b.evaluations)
        m_stopReason = "evaluation budget";
    else if (b.evaluations > 0 && m_scorer.rejections() >= kMaxRejectionsPerEvaluation * b.evaluations)
        m_stopReason = "pre-check rejections (" + std::to_string(kMaxRejectionsPerEvaluation) +
                       " per budgeted evaluation: the search builds almost nothing usable)";
    else if (b.episodes > 0 && m_episodes >= b.episodes)
        m_stopReason = "episode budget";
    else if (b.seconds > 0 && elapsed() >= b.seconds)
        m_stopReason = "time budget";
    return !m_stopReason.empty();
}

SearchProgress SearchRun::progress() {
    SearchProgress p;
    p.evaluations = m_scorer.evaluations();
    p.episodes = m_episodes;
    p.seconds = elapsed();
    p.fraction = fraction();
    if (p.fraction >= 0.01 && p.seconds > 0.5) p.secondsLeft = p.seconds * (1.0 - p.fraction) / p.fraction;
    p.evaluationsPerSecond = p.seconds > 0 ? double(p.evaluations) / p.seconds : 0.0;
    p.poolSize = m_pool->size();
    p.poolIc = m_pool->combinedIc();
    p.poolValidIc = m_poolValidIc;
    p.bestIc = m_bestIc;
    p.meanAbsMutual = m_pool->meanAbsMutual();
    if (m_rewardCount > 0) {
        m_lastRewardMean = m_rewardSum / double(m_rewardCount);
        m_lastRewardBest = m_rewardBest;
        m_rewardSum = 0.0;
        m_rewardCount = 0;
        m_rewardBest = kNaNd;
    }
    p.rewardMean = m_lastRewardMean; // a window without episodes repeats the previous figures
    p.rewardBest = m_lastRewardBest;
    p.loss = m_loss;
    p.lastFormula = m_lastFormula;
    return p;
}

void SearchRun::maybeReport(bool force) {
    const double now = elapsed();
    if (m_poolChanged && now - m_lastSnapshot >= m_config.snapshotInterval) sendSnapshot();
    if (!force && now - m_lastProgress < m_config.progressInterval) return;
    m_lastProgress = now;
    m_lastProgressReport = progress();
    const SearchProgress& p = m_lastProgressReport;
    m_feedback.setProgress(p.fraction,
                           std::to_string(p.evaluations) + " evaluations, pool " + std::to_string(p.poolSize));
    if (m_feedback.onSearchProgress) m_feedback.onSearchProgress(p);
}

const SearchRun::MemberExtras& SearchRun::extrasOf(const PoolMember& member) {
    auto it = m_extras.find(member.factor.formula);
    if (it != m_extras.end()) return it->second;
    MemberExtras e;
    const Panel& values = *member.factor.values;
    const std::shared_ptr<const PreparedTarget> target = prepareTarget(m_session->targetValues);
    const Split& train = trainingSplit(*m_session);
    const DayRange trainRange{train.begin, train.end};
    e.rankIc = seriesStats(dailyRankIc(values, *target, trainRange)).mean;
    if (m_valid) {
        const DayRange v{m_valid->begin, m_valid->end};
        if (auto full = fullValues(member.factor); full.ok()) {
            e.validIc = seriesStats(dailyIc(**full, *target, v)).mean;
            e.validRankIc = seriesStats(dailyRankIc(**full, *target, v)).mean;
        }
    }
    for (const PanelPtr& ref : m_feedback.referenceFactors) {
        if (!ref) continue;
        const double c = std::fabs(mutualCorrelation(values, *ref, trainRange));
        if (std::isfinite(c) && !(c <= e.maxAbsCorrReference)) e.maxAbsCorrReference = c;
    }
    return m_extras.emplace(member.factor.formula, e).first->second;
}

Result<PanelPtr> SearchRun::fullValues(const ScoredFactor& factor) {
    if (factor.values && factor.values->days() == m_session->data->days()) return factor.values;
    return fullValues(factor.expr, factor.formula);
}

Result<PanelPtr> SearchRun::fullValues(const ExprPtr& expr, const std::string& formula) {
    if (auto it = m_fullValues.find(formula); it != m_fullValues.end()) return it->second;
    if (!m_wholeEvaluator) // only when the scorer's market is cut (most runs), at the first snapshot
        m_wholeEvaluator = std::make_shared<Evaluator>(m_session->evaluator->dataPtr(), EvaluatorOptions{0});
    auto full = m_wholeEvaluator->evaluate(expr);
    if (!full.ok()) return full.error();
    m_fullValues.emplace(formula, *full);
    return full;
}

double SearchRun::poolValidIc() {
    if (!m_valid || m_pool->members().empty()) return kNaNd;
    std::vector<PanelPtr> values;
    std::vector<double> weights;
    for (const auto& m : m_pool->members()) {
        auto full = fullValues(m.factor);
        if (!full.ok()) return kNaNd;
        values.push_back(*full);
        weights.push_back(m.weight);
    }
    const DayRange valid{m_valid->begin, m_valid->end}; // the combination on those days only
    return seriesStats(
               dailyIc(*weightedCombination(values, weights, valid), *prepareTarget(m_session->targetValues), valid))
        .mean;
}

void SearchRun::sendSnapshot() {
    m_poolChanged = false;
    m_lastSnapshot = elapsed();
    m_poolValidIc = poolValidIc();
    PoolSnapshot s;
    s.evaluations = m_scorer.evaluations();
    s.episodes = m_episodes;
    s.seconds = m_lastSnapshot;
    s.poolIc = m_pool->combinedIc();
    s.poolValidIc = m_poolValidIc;
    s.meanAbsMutual = m_pool->meanAbsMutual();
    const auto& members = m_pool->members();
    const Eigen::MatrixXd& mutual = m_pool->mutualMatrix();
    for (std::size_t i = 0; i < members.size(); ++i) {
        const PoolMember& m = members[i];
        const MemberExtras& e = extrasOf(m);
        SnapshotMember out;
        out.formula = m.factor.formula;
        out.weight = m.weight;
        out.ic = m.factor.ic;
        out.rankIc = e.rankIc;
        out.validIc = e.validIc;
        out.validRankIc = e.validRankIc;
        out.maxAbsCorrReference = e.maxAbsCorrReference;
        for (std::size_t j = 0; j < members.size(); ++j) {
            if (j == i || static_cast<Eigen::Index>(std::max(i, j)) >= mutual.rows()) continue;
            const double c = std::fabs(mutual(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)));
            if (std::isfinite(c) && !(c <= out.maxAbsCorr)) out.maxAbsCorr = c;
        }
        s.members.push_back(std::move(out));
    }
    // Formulas that left the pool are not needed again (whole-calendar values are large: only the
    // members' are kept).
    if (m_extras.size() > 4 * members.size() + 64) {
        std::unordered_map<std::string, MemberExtras> kept;
        for (const auto& m : members) kept.emplace(m.factor.formula, m_extras[m.factor.formula]);
        m_extras.swap(kept);
    }
    if (m_fullValues.size() > members.size()) {
        std::unordered_map<std::string, PanelPtr> kept;
        for (const auto& m : members)
            if (auto it = m_fullValues.find(m.factor.formula); it != m_fullValues.end()) kept.emplace(*it);
        m_fullValues.swap(kept);
    }
    m_history.push_back(std::move(s));
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
    r.unusable = m_scorer.unusableCounts();
    r.rejections = m_scorer.rejections();
    r.rejected = m_scorer.rejectionCounts();
    r.episodes = m_episodes;
    r.seconds = elapsed();
    r.evaluationsPerSecond = r.seconds > 0 ? double(r.evaluations) / r.seconds : 0.0;
    r.poolKind = m_pool->kind();
    r.meanAbsMutual = m_pool->meanAbsMutual();
    r.history = m_history;
    r.rewardCurve = rewardCurve(m_rewards, kRewardCurvePoints);
    r.icCurve = rewardCurve(m_evaluatedIcs, kRewardCurvePoints);
    r.topCurve = topShareCurve(m_evaluatedIcs, m_evaluatedNew, kRewardCurvePoints);
    r.lastProgress = m_lastProgressReport;
    r.notes = m_notes;
    r.diagnostics = m_diagnostics;
    if (const FactorProbe* probe = m_scorer.probe()) {
        char text[240];
        std::snprintf(
            text, sizeof text,
            "pre-check: %lld formulas rejected without a full evaluation (%lld empty, %lld constant, %lld sparse) "
            "on %d sampled instruments, %.1f %% of a full evaluation's cells each",
            r.rejections, r.rejected.empty, r.rejected.constant, r.rejected.sparse, probe->sampledInstruments(),
            100.0 * probe->relativeSize());
        r.notes.push_back(text);
    }
    {
        // How much the sub-expression cache saved this run (shared with other users of the session).
        const CacheStats c = m_scorer.evaluator().cacheStats();
        const std::uint64_t hits = c.hits - m_cacheAtStart.hits, lookups = hits + (c.misses - m_cacheAtStart.misses);
        if (lookups > 0) {
            char text[200];
            std::snprintf(text, sizeof text,
                          "evaluator cache: %.0f %% of %llu sub-expression lookups hit; %.0f MB in %zu panels "
                          "(%zu bytes per cached cell)",
                          100.0 * double(hits) / double(lookups), static_cast<unsigned long long>(lookups),
                          double(c.bytes) / 1e6, c.entries, sizeof(float));
            r.notes.push_back(text);
        }
    }
    {
        // Fresh panel memory is faulted in and zeroed by the kernel; kept blocks are not. The counts
        // are the program's over the run (a workbench's other jobs included).
        const PanelMemoryStats m = panelMemoryStats();
        const std::size_t requests = m.allocations - m_panelMemoryAtStart.allocations;
        if (requests > 0) {
            char text[200];
            std::snprintf(text, sizeof text,
                          "panel memory during the run: %zu blocks of 64 KiB or more requested, %.0f %% served "
                          "by kept blocks, %zu given back to the system",
                          requests, 100.0 * double(m.reused - m_panelMemoryAtStart.reused) / double(requests),
                          m.released - m_panelMemoryAtStart.released);
            r.notes.push_back(text);
        }
    }

    const ResearchSession& s = *m_session;
    AnalysisOptions light;
    light.decayHorizons = 0;
    light.histogramBins = 0;
    std::vector<PanelPtr> values;
    std::vector<double> weights;
    for (const auto& m : m_pool->members()) {
        auto full = fullValues(m.factor);
        if (!full.ok()) return full.error();
        auto report = analyzeValues(*s.evaluator, *full, m.factor.formula, s.targetValues, s.splits, light);
        if (!report.ok()) return report.error();
        r.pool.push_back({m.factor.formula, m.weight, report->splits});
        values.push_back(*full);
        weights.push_back(m.weight);
    }
    if (values.empty()) {
        r.notes.push_back("the pool is empty: no formula was admitted");
        return r;
    }
    auto combined =
        analyzeValues(*s.evaluator, weightedCombination(values, weights), "pool", s.targetValues, s.splits, light);
    if (!combined.ok()) return combined.error();
    r.combined = combined->splits;

    // Selection on valid: keep the members whose valid IC has their train IC's sign, reweight them.
    if (const Split* valid = validationSplit(s)) {
        std::vector<int> keep;
        for (std::size_t i = 0; i < r.pool.size(); ++i) {
            const double trainIc = m_pool->members()[i].factor.ic;
            const double validIc = icOn(r.pool[i].splits, valid->name);
            if (std::isfinite(trainIc) && std::isfinite(validIc) && trainIc * validIc > 0.0)
                keep.push_back(static_cast<int>(i));
        }
        if (!keep.empty()) {
            const std::vector<double> w = m_pool->weightsOf(keep);
            std::vector<PanelPtr> kept;
            for (int i : keep) kept.push_back(values[static_cast<std::size_t>(i)]);
            auto sel = analyzeValues(*s.evaluator, weightedCombination(kept, w), "selected pool", s.targetValues,
                                     s.splits, light);
            if (!sel.ok()) return sel.error();
            r.selected = sel->splits;
            r.selectedMembers = static_cast<int>(keep.size());
            for (auto& f : r.pool) f.selectedWeight = 0.0;
            for (std::size_t k = 0; k < keep.size(); ++k)
                r.pool[static_cast<std::size_t>(keep[k])].selectedWeight = w[k];
        }
    }

    // The L1 strength chosen on valid: the same members, refitted on train at each strength of the
    // grid; the fit with the highest combined valid IC is kept.
    if (const Split* valid = validationSplit(s); valid && m_pool->kind() == PoolKind::Linear) {
        std::vector<int> all(r.pool.size());
        std::iota(all.begin(), all.end(), 0);
        double bestValidIc = -std::numeric_limits<double>::infinity();
        std::vector<double> bestWeights;
        for (double l1 : kTunedL1Grid) {
            const std::vector<double> w = m_pool->weightsOf(all, l1);
            auto rep = analyzeValues(*s.evaluator, weightedCombination(values, w), "pool, L1 chosen on valid",
                                     s.targetValues, s.splits, light);
            if (!rep.ok()) return rep.error();
            if (const double validIc = icOn(rep->splits, valid->name);
                std::isfinite(validIc) && validIc > bestValidIc) {
                bestValidIc = validIc;
                bestWeights = w;
                r.tuned = rep->splits;
                r.tunedL1 = l1;
            }
        }
        for (std::size_t i = 0; i < bestWeights.size(); ++i) r.pool[i].tunedWeight = bestWeights[i];
    }

    // Early stopping on valid: the pool at each checkpoint and at the end, the highest combined
    // valid IC kept (the earliest on ties).
    if (const Split* valid = validationSplit(s)) {
        double bestValidIc = -std::numeric_limits<double>::infinity();
        const auto consider = [&](const std::vector<SplitMetrics>& splits, long long evaluations,
                                  const std::vector<std::string>& formulas, const std::vector<double>& weights) {
            if (const double validIc = icOn(splits, valid->name); std::isfinite(validIc) && validIc > bestValidIc) {
                bestValidIc = validIc;
                r.early = splits;
                r.earlyEvaluations = evaluations;
                r.earlyPool.clear();
                for (std::size_t i = 0; i < formulas.size(); ++i) r.earlyPool.push_back({formulas[i], weights[i]});
            }
        };
        for (const Checkpoint& c : m_checkpoints) {
            if (c.exprs.empty()) continue;
            std::vector<PanelPtr> at;
            for (std::size_t i = 0; i < c.exprs.size(); ++i) {
                auto full = fullValues(c.exprs[i], c.formulas[i]);
                if (!full.ok()) return full.error();
                at.push_back(*full);
            }
            auto rep = analyzeValues(*s.evaluator, weightedCombination(at, c.weights), "pool, stopped early on valid",
                                     s.targetValues, s.splits, light);
            if (!rep.ok()) return rep.error();
            consider(rep->splits, c.evaluations, c.formulas, c.weights);
        }
        std::vector<std::string> formulas; // the final pool, measured above
        for (const PoolFactorReport& f : r.pool) formulas.push_back(f.formula);
        consider(r.combined, m_scorer.evaluations(), formulas, weights);
    }

    // Adaptive rolling OLS over the days after training (valid and test), history from the train start.
    const Split& train = trainingSplit(s);
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

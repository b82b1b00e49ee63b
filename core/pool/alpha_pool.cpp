#include "core/pool/alpha_pool.h"

#include "core/pool/linear_combination.h"
#include "core/util/simd.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace alphascope {

AlphaPool::AlphaPool(const FactorScorer& scorer, PoolOptions options) : m_scorer(scorer), m_options(options) {
    m_options.capacity = std::max(1, m_options.capacity);
}

std::vector<double> AlphaPool::weights() const {
    std::vector<double> w;
    w.reserve(m_members.size());
    for (const auto& m : m_members) w.push_back(m.weight);
    return w;
}

std::vector<double> AlphaPool::mutualWith(const ScoredFactor& candidate, std::vector<int>* days) const {
    std::vector<double> row(m_members.size(), kNaNd);
    std::vector<int> counted(m_members.size(), 0);
    const auto prepared = std::find_if(m_prepared.begin(), m_prepared.end(), [&](const PreparedRow& p) {
        return candidate.trainZ && p.candidate == candidate.trainZ;
    });
    // The members the prepared row does not cover (all of them without one) are measured now.
    std::vector<const TrainSlice*> missing;
    std::vector<std::size_t> missingAt;
    for (std::size_t i = 0; i < m_members.size(); ++i) {
        const std::shared_ptr<const TrainSlice>& z = m_members[i].factor.trainZ;
        if (prepared != m_prepared.end()) {
            const auto at = std::find(m_preparedMembers.begin(), m_preparedMembers.end(), z);
            if (z && at != m_preparedMembers.end()) {
                const auto j = static_cast<std::size_t>(at - m_preparedMembers.begin());
                row[i] = prepared->mutual[j];
                counted[i] = prepared->days[j];
                continue;
            }
        }
        missing.push_back(z.get());
        missingAt.push_back(i);
    }
    if (!missing.empty()) {
        std::vector<double> values(missing.size());
        std::vector<int> valueDays(missing.size());
        m_scorer.mutualRow(candidate, missing, values.data(), valueDays.data());
        for (std::size_t k = 0; k < missing.size(); ++k) {
            row[missingAt[k]] = values[k];
            counted[missingAt[k]] = valueDays[k];
        }
    }
    if (days) *days = std::move(counted);
    return row;
}

void AlphaPool::prepareOffers(const std::vector<const ScoredFactor*>& candidates) {
    m_prepared.clear();
    m_preparedMembers.clear();
    std::vector<const TrainSlice*> rows;
    for (const ScoredFactor* c : candidates) {
        if (!c || !c->usable() || contains(*c->expr)) continue; // the offer will not ask
        if (std::any_of(m_prepared.begin(), m_prepared.end(),
                        [&](const PreparedRow& p) { return p.candidate == c->trainZ; }))
            continue;
        m_prepared.push_back({c->trainZ, {}, {}});
        rows.push_back(c->trainZ.get());
    }
    if (m_prepared.empty() || m_members.empty()) {
        m_prepared.clear();
        return;
    }
    std::vector<const TrainSlice*> columns;
    for (const auto& m : m_members) {
        m_preparedMembers.push_back(m.factor.trainZ);
        columns.push_back(m.factor.trainZ.get());
    }
    std::vector<double> values(rows.size() * columns.size());
    std::vector<int> valueDays(values.size());
    m_scorer.mutualMatrix(rows, columns, values.data(), valueDays.data());
    for (std::size_t i = 0; i < m_prepared.size(); ++i) {
        const auto from = static_cast<std::ptrdiff_t>(i * columns.size());
        const auto to = from + static_cast<std::ptrdiff_t>(columns.size());
        m_prepared[i].mutual.assign(values.begin() + from, values.begin() + to);
        m_prepared[i].days.assign(valueDays.begin() + from, valueDays.begin() + to);
    }
}

namespace {

ALPHASCOPE_SIMD_CLONES
void addScaled(float* out, const float* z, float w, std::size_t n) {
    for (std::size_t c = 0; c < n; ++c) out[c] += w * z[c];
}

ALPHASCOPE_SIMD_CLONES
double sumOfSquares(const float* z, int n) {
    double acc = 0.0;
#pragma omp simd reduction(+ : acc)
    for (int i = 0; i < n; ++i) acc += double(z[i]) * double(z[i]);
    return acc;
}

double maxAbsFinite(const std::vector<double>& v) {
    double m = 0.0;
    for (double x : v)
        if (std::isfinite(x)) m = std::max(m, std::fabs(x));
    return m;
}

bool anyNaN(const std::vector<double>& v) {
    return std::any_of(v.begin(), v.end(), [](double x) { return !std::isfinite(x); });
}

/// Index of the member with the smallest |key(member)|; the first one on ties.
template <class Key>
int smallestBy(const std::vector<PoolMember>& members, Key key) {
    int best = 0;
    for (int i = 1; i < static_cast<int>(members.size()); ++i)
        if (std::fabs(key(members[static_cast<std::size_t>(i)])) <
            std::fabs(key(members[static_cast<std::size_t>(best)])))
            best = i;
    return best;
}

} // namespace

double AlphaPool::maxAbsMutual(const ScoredFactor& candidate) const {
    return maxAbsFinite(mutualWith(candidate));
}

double AlphaPool::combinedIc() const {
    if (!m_combinedIcValid) {
        m_combinedIc = measureCombinedIc();
        m_combinedIcValid = true;
    }
    return m_combinedIc;
}

double AlphaPool::measureCombinedIc() const {
    if (m_members.empty()) return kNaNd;
    TrainSlice combo;
    combo.z.assign(m_scorer.layout().cells(), 0.0f);
    for (const auto& m : m_members)
        addScaled(combo.z.data(), m.factor.trainZ->z.data(), static_cast<float>(m.weight), combo.z.size());
    const TrainLayout& layout = m_scorer.layout();
    combo.norm2.resize(static_cast<std::size_t>(layout.days()));
    for (int k = 0; k < layout.days(); ++k)
        combo.norm2[static_cast<std::size_t>(k)] =
            sumOfSquares(combo.z.data() + layout.dayBegin(k), layout.dayCells(k));
    return m_scorer.icOfSlice(combo);
}

double AlphaPool::meanAbsMutual() const {
    double sum = 0.0;
    int pairs = 0;
    for (int i = 0; i < size(); ++i)
        for (int j = i + 1; j < size(); ++j)
            if (std::isfinite(m_mutual(i, j))) {
                sum += std::fabs(m_mutual(i, j));
                ++pairs;
            }
    return pairs > 0 ? sum / pairs : kNaNd;
}

bool AlphaPool::contains(const Expr& expr) const {
    return std::any_of(m_members.begin(), m_members.end(),
                       [&](const PoolMember& m) { return m.factor.expr->equals(expr); });
}

bool AlphaPool::screen(const ScoredFactor& candidate, double limit, AdmitResult& r, std::vector<double>& row,
                       std::vector<int>& days) const {
    r.objective = combinedIc();
    if (!candidate.usable()) {
        r.reason = "no defined train IC";
        return false;
    }
    if (contains(*candidate.expr)) {
        r.maxAbsMutual = 1.0; // with itself
        r.reason = "already in the pool";
        return false;
    }
    row = mutualWith(candidate, &days);
    r.maxAbsMutual = maxAbsFinite(row);
    if (anyNaN(row)) {
        r.reason = "mutual correlation with a member is undefined";
        return false;
    }
    if (r.maxAbsMutual > limit) {
        r.reason = "|mutual IC| with a member above " + formatConstant(limit);
        return false;
    }
    r.screened = true;
    return true;
}

void AlphaPool::append(const ScoredFactor& f, double weight, const std::vector<double>& mutualRow,
                       const std::vector<int>& mutualDays) {
    m_combinedIcValid = false;
    const int n = size();
    m_members.push_back({f, weight});
    Eigen::MatrixXd grown(n + 1, n + 1);
    grown.topLeftCorner(n, n) = m_mutual;
    for (int i = 0; i < n; ++i) grown(n, i) = grown(i, n) = mutualRow[static_cast<std::size_t>(i)];
    grown(n, n) = 1.0;
    m_mutual = std::move(grown);
    Eigen::MatrixXi days(n + 1, n + 1);
    days.topLeftCorner(n, n) = m_mutualDays;
    for (int i = 0; i < n; ++i) days(n, i) = days(i, n) = mutualDays[static_cast<std::size_t>(i)];
    days(n, n) = f.icDays;
    m_mutualDays = std::move(days);
}

AlphaPool::State AlphaPool::state() const {
    return {m_members, m_mutual, m_mutualDays};
}

void AlphaPool::restore(State state, double combinedIc) {
    m_members = std::move(state.members);
    m_mutual = std::move(state.mutual);
    m_mutualDays = std::move(state.mutualDays);
    restoreCombinedIc(combinedIc);
}

void AlphaPool::removeAt(int index) {
    m_combinedIcValid = false;
    const int n = size();
    m_members.erase(m_members.begin() + index);
    Eigen::MatrixXd shrunk(n - 1, n - 1);
    Eigen::MatrixXi shrunkDays(n - 1, n - 1);
    for (int i = 0, si = 0; i < n; ++i) {
        if (i == index) continue;
        for (int j = 0, sj = 0; j < n; ++j) {
            if (j == index) continue;
            shrunkDays(si, sj) = m_mutualDays(i, j);
            shrunk(si, sj++) = m_mutual(i, j);
        }
        ++si;
    }
    m_mutual = std::move(shrunk);
    m_mutualDays = std::move(shrunkDays);
}

// ---- AlphaGen ------------------------------------------------------------------------------------

LinearAlphaPool::LinearAlphaPool(const FactorScorer& scorer, PoolOptions options) : AlphaPool(scorer, options) {}

void LinearAlphaPool::refit() {
    if (m_members.empty()) return;
    // The fit minimises the mean over all training days of |sum_i w_i z_i - z_y|^2 with each day's
    // vectors of unit norm (a zero vector on a day without a spread): its quadratic term is the
    // mean of per-day Gram matrices, M~_ij = M_ij * days_ij / D, and its linear term
    // rho~_i = IC_i * days_i / D. M~ is positive semi-definite by construction. M itself (each
    // entry averaged over its own days) is not when members miss different days: with members that
    // vary only on some days (comparisons with constants) it had negative eigenvalues on US data,
    // and the weights went to thousands with offsetting signs.
    std::vector<int> all(static_cast<std::size_t>(size()));
    Eigen::VectorXd start(size());
    for (int i = 0; i < size(); ++i) {
        all[static_cast<std::size_t>(i)] = i;
        start(i) = m_members[static_cast<std::size_t>(i)].weight;
    }
    const Eigen::VectorXd w = fitWeights(all, start, m_options.l1);
    for (int i = 0; i < size(); ++i) m_members[static_cast<std::size_t>(i)].weight = w(i);
    weightsChanged();
}

Eigen::VectorXd LinearAlphaPool::fitWeights(const std::vector<int>& keep, const Eigen::VectorXd& start,
                                            double l1) const {
    const double d = std::max(1, m_scorer.layout().days());
    const int n = static_cast<int>(keep.size());
    Eigen::VectorXd ics(n);
    Eigen::MatrixXd fit(n, n);
    for (int a = 0; a < n; ++a) {
        const int i = keep[static_cast<std::size_t>(a)];
        const ScoredFactor& f = m_members[static_cast<std::size_t>(i)].factor;
        ics(a) = f.ic * double(f.icDays) / d;
        for (int b = 0; b < n; ++b) {
            const int j = keep[static_cast<std::size_t>(b)];
            fit(a, b) = m_mutual(i, j) * double(m_mutualDays(i, j)) / d;
        }
    }
    Eigen::VectorXd extra = Eigen::VectorXd::Zero(n);
    if (m_options.complexity > 0.0)
        for (int a = 0; a < n; ++a)
            extra(a) =
                m_options.complexity *
                double(
                    m_members[static_cast<std::size_t>(keep[static_cast<std::size_t>(a)])].factor.expr->tokenCount());
    return solvePoolWeights(fit, ics, l1, &start, m_options.ridge, &extra);
}

std::vector<double> LinearAlphaPool::weightsOf(const std::vector<int>& keep, std::optional<double> l1) const {
    if (keep.empty()) return {};
    Eigen::VectorXd start(static_cast<int>(keep.size()));
    for (std::size_t a = 0; a < keep.size(); ++a)
        start(static_cast<int>(a)) = m_members[static_cast<std::size_t>(keep[a])].weight;
    const Eigen::VectorXd w = fitWeights(keep, start, l1.value_or(m_options.l1));
    return std::vector<double>(w.data(), w.data() + w.size());
}

std::vector<double> AlphaPool::weightsOf(const std::vector<int>& keep, std::optional<double>) const {
    std::vector<double> w;
    for (int i : keep) w.push_back(m_members[static_cast<std::size_t>(i)].weight);
    return w;
}

AdmitResult LinearAlphaPool::offer(const ScoredFactor& candidate) {
    AdmitResult r;
    std::vector<double> row;
    std::vector<int> days;
    // |mutual| rather than AlphaGen's signed test: a negated copy carries no new information, and
    // admitting it gives two offsetting, exploding weights.
    if (!screen(candidate, m_options.maxMutual, r, row, days)) return r;
    if (m_options.replaceSimilar > 0.0 && r.maxAbsMutual > m_options.replaceSimilar)
        return replaceSimilar(candidate, row, days, r);
    // The pool before the offer: when the newcomer leaves again, so do its effects (refitting the
    // same members would give the same weights, and the combined IC is the one already measured).
    const std::vector<double> before = weights();
    const double icBefore = combinedIc();
    // With refuseLowerIc the whole state is kept, to be put back when the pool would get worse.
    std::optional<State> kept;
    if (m_options.refuseLowerIc) kept = state();
    append(candidate, 0.0, row, days); // the refit starts from the weights so far and 0 for the newcomer
    refit();
    if (size() > capacity()) {
        const int weakest = smallestBy(m_members, [](const PoolMember& m) { return m.weight; });
        if (weakest == size() - 1) {
            removeAt(weakest);
            for (std::size_t i = 0; i < before.size(); ++i) m_members[i].weight = before[i];
            restoreCombinedIc(icBefore);
            r.reason = "its weight would be the smallest in a full pool";
            return r;
        }
        r.evictedOther = true;
        r.evictedFormulas = {m_members[static_cast<std::size_t>(weakest)].factor.formula};
        removeAt(weakest);
        refit();
    }
    r.objective = combinedIc();
    if (kept && std::isfinite(icBefore) && !(r.objective >= icBefore)) {
        restore(std::move(*kept), icBefore);
        r.evictedOther = false;
        r.evictedFormulas.clear();
        r.objective = icBefore;
        r.reason = "it would lower the combined train IC";
        return r;
    }
    r.admitted = true;
    return r;
}

AdmitResult LinearAlphaPool::replaceSimilar(const ScoredFactor& candidate, std::vector<double> row,
                                            std::vector<int> days, AdmitResult r) {
    const double limit = m_options.replaceSimilar;
    const double icBefore = combinedIc();
    State kept = state();
    // The newcomer's refit starts from the weight of its most similar member, signed by their
    // correlation (it explains much the same); the others' from their own.
    int rival = 0;
    for (int i = 1; i < size(); ++i)
        if (std::fabs(row[static_cast<std::size_t>(i)]) > std::fabs(row[static_cast<std::size_t>(rival)])) rival = i;
    const double rivalWeight = m_members[static_cast<std::size_t>(rival)].weight;
    const double start = row[static_cast<std::size_t>(rival)] < 0.0 ? -rivalWeight : rivalWeight;
    std::vector<std::string> replaced;
    for (int i = size() - 1; i >= 0; --i)
        if (std::fabs(row[static_cast<std::size_t>(i)]) > limit) {
            replaced.insert(replaced.begin(), m_members[static_cast<std::size_t>(i)].factor.formula);
            removeAt(i);
            row.erase(row.begin() + i);
            days.erase(days.begin() + i);
        }
    append(candidate, start, row, days);
    refit();
    const double after = combinedIc();
    const bool better = std::isfinite(icBefore) ? after > icBefore : std::isfinite(after);
    if (!better) {
        restore(std::move(kept), icBefore);
        r.objective = icBefore;
        char text[32];
        std::snprintf(text, sizeof text, "%.3f", r.maxAbsMutual);
        r.reason = std::string("|mutual IC| ") + text +
                   " with a member, and in its place it would not raise the combined train IC";
        return r;
    }
    r.objective = after;
    r.evictedOther = true;
    r.evictedFormulas = std::move(replaced);
    r.admitted = true;
    return r;
}

// ---- AlphaSAGE -----------------------------------------------------------------------------------

MiningAlphaPool::MiningAlphaPool(const FactorScorer& scorer, PoolOptions options) : AlphaPool(scorer, options) {}

AdmitResult MiningAlphaPool::offer(const ScoredFactor& candidate) {
    AdmitResult r;
    std::vector<double> row;
    std::vector<int> days;
    if (!screen(candidate, m_options.admitMutual, r, row, days)) return r;
    if (size() >= capacity()) {
        const int weakest = smallestBy(m_members, [](const PoolMember& m) { return m.factor.ic; });
        if (!(std::fabs(candidate.ic) > std::fabs(m_members[static_cast<std::size_t>(weakest)].factor.ic))) {
            r.reason = "|IC| not above the weakest member of a full pool";
            return r;
        }
        r.evictedOther = true;
        r.evictedFormulas = {m_members[static_cast<std::size_t>(weakest)].factor.formula};
        removeAt(weakest);
        row.erase(row.begin() + weakest);
    }
    append(candidate, candidate.ic, row, days);
    r.admitted = true;
    r.objective = combinedIc();
    return r;
}

std::unique_ptr<AlphaPool> makeAlphaPool(PoolKind kind, const FactorScorer& scorer, PoolOptions options) {
    if (kind == PoolKind::Mining) return std::make_unique<MiningAlphaPool>(scorer, options);
    return std::make_unique<LinearAlphaPool>(scorer, options);
}

} // namespace alphascope

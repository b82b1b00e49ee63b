#pragma once
// Alpha pools (ALGORITHMS.md §4): AlphaGen's linear pool (0.99 mutual-IC rejection, weights that
// minimise w'Mw - 2w'rho + lambda|w|_1, smallest-|w| eviction, reward = combined train IC) and
// AlphaSAGE's mining pool (admission at max |mutual IC| <= 0.3, lowest-|IC| replacement).
// Members keep their z-scored training values and the mutual matrix grows by one row per
// admission: nothing is re-evaluated.

#include "core/pool/factor_scorer.h"

#include <Eigen/Dense>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace alphascope {

/// Which pool a search fills.
enum class PoolKind { Linear, Mining };

/// Pool settings (defaults from AlphaGen / AlphaSAGE).
struct PoolOptions {
    int capacity = 20;
    /// Linear: L1 penalty lambda; 0 = Eigen closed form. AlphaGen's default 5e-3: with lambda = 0,
    /// near-collinear members (price-level formulas at mutual IC 0.98) get offsetting weights in the
    /// thousands and a strong factor can be evicted as the "smallest |w|" (measured on US data).
    double l1 = 5e-3;
    /// Linear: ridge term gamma added to the mutual matrix's diagonal (w'(M + gamma I)w): shrinks
    /// the offsetting weights of near-collinear members; 0 = none.
    double ridge = 0.0;
    /// Linear: refuse a candidate whose admission (after the refit, and the eviction of the
    /// smallest |w| in a full pool) would lower the pool's combined train IC; the pool stays as it
    /// was. Off by default (AlphaGen admits and evicts regardless).
    bool refuseLowerIc = false;
    /// Linear: complexity penalty, an L1 term of its own per member: member i's weight is penalised
    /// by (l1 + complexity * tokens_i)|w_i|, tokens_i its formula's length in reverse-Polish tokens,
    /// so that of two members that explain the same, the longer gets the smaller weight (and leaves
    /// a full pool first). 0 = none.
    double complexity = 0.0;
    double maxMutual = 0.99; ///< Linear: reject when |mutual IC| with a member exceeds this
    /// Linear: deterministic crowding (after Mahfoud 1992). A candidate whose |mutual IC| with a
    /// member exceeds this competes with the members it is that similar to: it takes their place
    /// when the pool's combined train IC (refitted) is higher with it, and is refused otherwise.
    /// So no two members above this sit side by side, a find is not evicted because L1 gave its
    /// weight to a near-copy, and a better version of a member (the planted formula itself after a
    /// variant of it) still gets in, where maxMutual would refuse it. 0 = off (AlphaGen).
    double replaceSimilar = 0.0;
    double admitMutual = 0.3; ///< Mining: admit when max |mutual IC| <= this
};

/// One member: the scored factor and its weight (Linear: fitted; Mining: its train IC).
struct PoolMember {
    ScoredFactor factor;
    double weight = 0.0;
};

/// What happened to a candidate offered to a pool.
struct AdmitResult {
    bool admitted = false;                    ///< the candidate is a member now
    bool screened = false;                    ///< it passed the screening (usable, not in the pool, every
                                              ///< |mutual IC| defined and within the limit); a screened
                                              ///< candidate may still be refused for a full pool
    bool evictedOther = false;                ///< a former member left to make room
    std::vector<std::string> evictedFormulas; ///< the members that left (more than one only with replaceSimilar)
    double maxAbsMutual = 0.0;                ///< with the members before the change (0 for an empty pool, 1
                                              ///< for a formula already in it)
    double objective = kNaNd;                 ///< combined train IC of the pool after the change
    std::string reason;                       ///< why it was rejected (empty when admitted)
};

/// The common part of both pools.
class AlphaPool {
public:
    AlphaPool(const FactorScorer& scorer, PoolOptions options);
    virtual ~AlphaPool() = default;

    virtual PoolKind kind() const = 0;
    /// Offers a usable scored factor; an unusable one or a formula already in the pool is rejected.
    virtual AdmitResult offer(const ScoredFactor& candidate) = 0;

    const std::vector<PoolMember>& members() const { return m_members; }
    int size() const { return static_cast<int>(m_members.size()); }
    int capacity() const { return m_options.capacity; }
    const PoolOptions& options() const { return m_options; }
    std::vector<double> weights() const;

    /// Signed mutual correlation of a candidate with each member; `days` (optional) gets the number
    /// of training days each correlation averages (both with a cross-sectional spread).
    std::vector<double> mutualWith(const ScoredFactor& candidate, std::vector<int>* days = nullptr) const;
    /// Measures, in one pass over the members' training z-scores, the mutual correlations of a batch
    /// of candidates that are about to be offered (mutualWith() of each, as the pool is now);
    /// mutualWith() and the offers then take them from here, measuring only the members admitted
    /// since (earlier candidates of the batch). The values are those mutualWith() would measure.
    /// Replaces the previous batch's; unusable candidates and current members are skipped.
    void prepareOffers(const std::vector<const ScoredFactor*>& candidates);
    /// Largest |mutual correlation| with a member (0 for an empty pool; NaN entries ignored).
    double maxAbsMutual(const ScoredFactor& candidate) const;
    /// Mutual-IC matrix of the members (diagonal 1), kept up to date incrementally.
    const Eigen::MatrixXd& mutualMatrix() const { return m_mutual; }
    /// Train IC of sum_i w_i * z_i (NaN z -> 0), the AlphaGen objective; NaN for an empty pool.
    /// Measured once per change of the pool (every offer and progress report asks for it).
    double combinedIc() const;
    /// Mean |mutual correlation| over pairs of members (pool diversity: lower is more diverse).
    double meanAbsMutual() const;
    /// True when a member has the same formula (structural hash and equality).
    bool contains(const Expr& expr) const;
    /// The weights the pool would give the members at `keep` (indices into members(), ascending)
    /// if they were its only members: Linear refits them on train with the pool's l1 and ridge;
    /// Mining keeps their weights (their ICs). The pool itself is not changed. `l1` (Linear), when
    /// given, replaces the pool's L1 penalty for this fit.
    virtual std::vector<double> weightsOf(const std::vector<int>& keep, std::optional<double> l1 = {}) const;

protected:
    /// The checks both pools make: usable, not yet a member, mutual correlations defined and at most
    /// `limit` in absolute value. Fills `r` (objective, maxAbsMutual, reason) and the candidate's
    /// mutual `row`; false when the candidate is rejected.
    bool screen(const ScoredFactor& candidate, double limit, AdmitResult& r, std::vector<double>& row,
                std::vector<int>& days) const;
    /// Members' weights were refitted: the combined IC must be measured again.
    void weightsChanged() { m_combinedIcValid = false; }
    /// The members and weights are back to a state whose combined IC was `ic`.
    void restoreCombinedIc(double ic) {
        m_combinedIc = ic;
        m_combinedIcValid = true;
    }
    void append(const ScoredFactor& f, double weight, const std::vector<double>& mutualRow,
                const std::vector<int>& mutualDays);
    void removeAt(int index);
    /// Members, weights and mutual matrices: what an offer changes.
    struct State {
        std::vector<PoolMember> members;
        Eigen::MatrixXd mutual;
        Eigen::MatrixXi mutualDays;
    };
    State state() const;
    /// Puts back a state whose combined IC was `combinedIc`.
    void restore(State state, double combinedIc);

    const FactorScorer& m_scorer;
    PoolOptions m_options;
    std::vector<PoolMember> m_members;
    Eigen::MatrixXd m_mutual;
    /// Training days each entry of m_mutual averages (the diagonal: the member's own days).
    Eigen::MatrixXi m_mutualDays;

private:
    double measureCombinedIc() const;

    /// prepareOffers(): the members' slices then (kept alive, so that a pointer means one slice)
    /// and, per candidate slice, its row against them.
    struct PreparedRow {
        std::shared_ptr<const TrainSlice> candidate;
        std::vector<double> mutual;
        std::vector<int> days;
    };
    std::vector<std::shared_ptr<const TrainSlice>> m_preparedMembers;
    std::vector<PreparedRow> m_prepared;

    mutable double m_combinedIc = kNaNd;
    mutable bool m_combinedIcValid = false;
};

/// AlphaGen's MSE pool (PEERS.md §2.2): reject at |mutual IC| > maxMutual (AlphaGen: signed); refit weights by
/// solvePoolWeights (closed form for l1 = 0, coordinate descent otherwise) on the all-days form of
/// the problem (each mutual correlation and IC weighted by the share of training days it averages,
/// so that the quadratic is positive semi-definite; see refit()); over capacity the smallest |w|
/// leaves (when that is the newcomer, the pool is unchanged and it is rejected).
class LinearAlphaPool final : public AlphaPool {
public:
    LinearAlphaPool(const FactorScorer& scorer, PoolOptions options);
    PoolKind kind() const override { return PoolKind::Linear; }
    AdmitResult offer(const ScoredFactor& candidate) override;
    std::vector<double> weightsOf(const std::vector<int>& keep, std::optional<double> l1 = {}) const override;

private:
    void refit();
    /// PoolOptions::replaceSimilar: the candidate (screened, `row` and `days` its mutual rows with
    /// the members) in place of the members above the threshold, if that raises the combined train IC.
    AdmitResult replaceSimilar(const ScoredFactor& candidate, std::vector<double> row, std::vector<int> days,
                               AdmitResult r);
    /// solvePoolWeights on the members at `keep` (all-days form), starting from `start`, with the
    /// L1 penalty `l1`.
    Eigen::VectorXd fitWeights(const std::vector<int>& keep, const Eigen::VectorXd& start, double l1) const;
};

/// AlphaSAGE's mining pool (PEERS.md §3.4): admit at max |mutual IC| <= admitMutual; when full,
/// the newcomer replaces the member with the lowest |IC| if its own |IC| is higher. Weights = ICs.
class MiningAlphaPool final : public AlphaPool {
public:
    MiningAlphaPool(const FactorScorer& scorer, PoolOptions options);
    PoolKind kind() const override { return PoolKind::Mining; }
    AdmitResult offer(const ScoredFactor& candidate) override;
};

std::unique_ptr<AlphaPool> makeAlphaPool(PoolKind kind, const FactorScorer& scorer, PoolOptions options);

} // namespace alphascope

#pragma once
// Evaluator: any formula -> a T x N float32 panel on one MarketData, with a sub-expression cache.

#include "core/data/market_data.h"
#include "core/eval/eval_backend.h"
#include "core/eval/eval_cache.h"
#include "core/eval/universe_mask.h"
#include "core/expr/expr.h"
#include "core/expr/parser.h"
#include "core/util/result.h"

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

namespace alphascope {

/// Evaluator settings.
struct EvaluatorOptions {
    /// Sub-expression cache budget (0 = no cache). 128 MiB: on the US data at 1,500 evaluations
    /// MCTS hits it on 21 % of its sub-expression lookups (22 % with 512 MiB), GP on 3 % (10 %),
    /// random search and the GFlowNet on 1 % (3 %), while every megabyte the cache fills is fresh
    /// memory the system must fault in and zero: with 512 MiB an MCTS run of 1,500 evaluations
    /// took 24 % longer and peaked at 1.23 GB instead of 0.83 GB.
    std::size_t cacheBytes = std::size_t(128) << 20;
};

/// Evaluates formulas over the whole calendar of one dataset. Re-entrant: several threads may
/// evaluate at once (the cache is shared and locked; kernels run on oneTBB's pool).
class Evaluator {
public:
    explicit Evaluator(std::shared_ptr<const MarketData> data, EvaluatorOptions options = {});

    const MarketData& data() const { return *m_data; }
    std::shared_ptr<const MarketData> dataPtr() const { return m_data; }

    /// Values of a formula; cells outside the universe membership are NaN. `cancel` is polled
    /// between operator nodes (a Canceled error is returned when it becomes true).
    Result<PanelPtr> evaluate(const ExprPtr& expr, const std::atomic<bool>* cancel = nullptr) const;
    /// Parses (future data allowed only when `isTarget`) and evaluates.
    Result<PanelPtr> evaluate(std::string_view formula, bool isTarget = false) const;

    /// Evaluates a formula once and keeps its values for the evaluator's lifetime, outside the
    /// cache's budget and untouched by clearCache(): for the few panels every analysis needs (the
    /// forward returns of the IC decay), so that measuring a new formula never recomputes them.
    Result<PanelPtr> evaluateKept(const std::string& formula, bool isTarget = false) const;

    /// Checks a parsed formula against this dataset: fields and groupings exist.
    Result<void> check(const Expr& expr) const;

    /// Hands whole formulas to another engine (e.g. LibTorch on a GPU): evaluate() then checks the
    /// formula, looks the whole formula up in the cache and otherwise asks the backend (its
    /// sub-expressions stay on the backend's device, not in this cache). Null: the CPU kernels.
    /// Set it before the evaluator is shared.
    void setBackend(std::shared_ptr<const EvalBackend> backend) { m_backend = std::move(backend); }
    const EvalBackend* backend() const { return m_backend.get(); }

    CacheStats cacheStats() const { return m_cache.stats(); }
    void clearCache() const { m_cache.clear(); }
    void setCacheBudget(std::size_t bytes) const { m_cache.setBudget(bytes); }

private:
    struct Value;
    struct Chain;
    Result<Value> eval(const ExprPtr& e, const std::atomic<bool>* cancel) const;
    /// An elementwise node with the elementwise nodes under it that the cache does not hold, run as
    /// one fused chain (kernels::chain); the other nodes under it are evaluated as usual.
    Result<Value> evalChain(const ExprPtr& e, const std::atomic<bool>* cancel) const;
    /// Adds e to the chain: sets chain.operand to a number, an input or the step that computes it.
    Result<void> addToChain(const ExprPtr& e, bool root, Chain& chain, const std::atomic<bool>* cancel) const;

    std::shared_ptr<const MarketData> m_data;
    /// The cells outside the universe membership: the rolling kernels set them to NaN block by block.
    UniverseMask m_mask;
    EvaluatorOptions m_options;
    mutable EvalCache m_cache;
    std::shared_ptr<const EvalBackend> m_backend;
    mutable std::mutex m_keptMutex;
    mutable std::map<std::string, PanelPtr> m_kept; ///< evaluateKept() results by formula text
};

/// ParseOptions for this dataset: its fields and groupings are the known ones.
ParseOptions parseOptionsFor(const MarketData& data, bool isTarget);

} // namespace alphascope
